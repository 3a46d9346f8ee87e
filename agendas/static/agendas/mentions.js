/*
 * Mention suggestions in the comment box: typing "@" and a few letters lists the coalition's
 * members by name; arrow keys move through the list, Enter picks, Escape closes. The chosen
 * member goes in as "@username". Progressive enhancement: without JavaScript people type the
 * username themselves, and the server alone decides whether a mention is valid.
 *
 * The box: <div data-mentions-url="..." data-mentions-label data-mentions-none
 * data-mentions-one data-mentions-many> around the textarea (the texts in the page's language).
 */
(function () {
  "use strict";

  // "@" and what was typed after it, right before the caret; not in a word, an e-mail address or a path.
  var TOKEN = /(^|[^\w@\/])@([\w.+-]*)$/;
  var MAX_SHOWN = 8;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setup(box, index) {
    var textarea = box.querySelector("textarea");
    var url = box.getAttribute("data-mentions-url");
    if (!textarea || !url) return;

    var list = document.createElement("ul");
    list.id = (textarea.id || "ka-mentions-" + index) + "-mentions";
    list.className = "ka-mentions__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.getAttribute("data-mentions-label") || "");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.appendChild(list);
    box.appendChild(status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);

    var members = null;
    var loading = null;
    var shown = [];
    var active = -1;
    var token = null;

    function load() {
      if (!loading) {
        loading = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { members: [] }; })
          .then(function (data) { members = data.members || []; })
          .catch(function () { members = []; });
      }
      return loading;
    }

    function currentToken() {
      if (textarea.selectionStart !== textarea.selectionEnd) return null;
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = TOKEN.exec(before);
      if (!match) return null;
      return { start: before.length - match[2].length - 1, end: before.length, query: match[2] };
    }

    function announce(text) {
      if (status.textContent !== text) status.textContent = text;
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      shown = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(position) {
      var options = list.querySelectorAll("[role=option]");
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === position ? "true" : "false");
      }
      active = position;
      if (position >= 0 && options[position]) {
        textarea.setAttribute("aria-activedescendant", options[position].id);
        options[position].scrollIntoView({ block: "nearest" });
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function show(matches) {
      list.textContent = "";
      shown = matches;
      if (!matches.length) {
        list.hidden = true;
        textarea.removeAttribute("aria-activedescendant");
        announce(box.getAttribute("data-mentions-none") || "");
        return;
      }
      matches.forEach(function (member, position) {
        var option = document.createElement("li");
        option.id = list.id + "-" + position;
        option.className = "ka-mentions__option";
        option.setAttribute("role", "option");
        option.appendChild(document.createTextNode(member.name + " "));
        var handle = document.createElement("span");
        handle.className = "ka-muted";
        handle.textContent = "@" + member.handle;
        option.appendChild(handle);
        // mousedown would take the focus from the textarea (and close the list) before the click.
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(position); });
        list.appendChild(option);
      });
      list.hidden = false;
      highlight(0);
      var many = box.getAttribute(matches.length === 1 ? "data-mentions-one" : "data-mentions-many") || "";
      announce(many.replace("%(n)s", String(matches.length)));
    }

    function update() {
      token = currentToken();
      if (!token) {
        close();
        return;
      }
      load().then(function () {
        token = currentToken();
        if (!token) {
          close();
          return;
        }
        var query = fold(token.query);
        var matches = members.filter(function (member) {
          return !query || fold(member.name).indexOf(query) !== -1 || fold(member.handle).indexOf(query) === 0;
        });
        show(matches.slice(0, MAX_SHOWN));
      });
    }

    function choose(position) {
      var member = shown[position];
      var where = currentToken();
      if (!member || !where) return;
      var text = "@" + member.handle + " ";
      textarea.value = textarea.value.slice(0, where.start) + text + textarea.value.slice(where.end);
      var caret = where.start + text.length;
      textarea.setSelectionRange(caret, caret);
      textarea.focus();
      close();
      announce("");
    }

    textarea.addEventListener("input", update);
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + shown.length) % shown.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    textarea.addEventListener("blur", close);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-mentions-url]"), setup);
})();
