/*
 * Parts of a page that follow work in the background (an import, scoring, a letter being made).
 *
 *   <div id="import-status" data-live="2000" aria-live="polite"> ... <a href="">Vernieuwen</a> </div>
 *
 * Every data-live milliseconds the page is fetched again and the part is replaced by the part with the
 * same id in the new page. When the new part no longer has data-live (the work is done), polling stops.
 * Without JavaScript the part shows its own reload link. No inline script: loaded from base.html.
 */
(function () {
  "use strict";
  var MAX_POLLS = 300;

  function follow(part) {
    var interval = parseInt(part.getAttribute("data-live"), 10) || 3000;
    var polls = 0;
    part.querySelectorAll("[data-live-reload]").forEach(function (link) { link.hidden = true; });

    function poll() {
      polls += 1;
      if (polls > MAX_POLLS || document.hidden) {
        window.setTimeout(poll, interval);
        return;
      }
      window.fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return schedule(); }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(part.id);
          if (!fresh) { return; }
          part.innerHTML = fresh.innerHTML;
          if (fresh.hasAttribute("data-live")) {
            part.querySelectorAll("[data-live-reload]").forEach(function (link) { link.hidden = true; });
            schedule();
          } else {
            part.removeAttribute("data-live");
          }
        })
        .catch(schedule);
    }

    function schedule() { window.setTimeout(poll, interval); }
    schedule();
  }

  document.querySelectorAll("[data-live][id]").forEach(follow);
})();
