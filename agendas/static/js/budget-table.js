/*
 * Budget table of a measure: row, column and grand totals, the Rijk share and
 * the co-financing ratio update while you type. Progressive enhancement: the
 * server computes the same figures when the page is (re)loaded, and it alone
 * decides what is valid (it also refuses amounts outside the measure's years).
 */
(function () {
  "use strict";

  // Thousands separators in the notation of the page's language, as agendas.forms.parse_amount reads them.
  var AMOUNT = {
    nl: /^(\d+|\d{1,3}([.\u00a0\u202f ]\d{3})+)$/,
    en: /^(\d+|\d{1,3}([,\u00a0\u202f ]\d{3})+)$/
  };
  var english = (document.documentElement.lang || "nl").slice(0, 2) === "en";

  function parse(raw) {
    var text = raw.trim().replace(/^€\s*/, "");
    if (text === "") return 0;
    if (!AMOUNT[english ? "en" : "nl"].test(text)) return null;
    return parseInt(text.replace(/\D/g, ""), 10);
  }

  function setup(container) {
    var lang = document.documentElement.lang || "nl";
    var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 0, useGrouping: "always" });
    var onePlace = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });
    var inputs = Array.prototype.slice.call(container.querySelectorAll("input[data-source][data-year]"));
    var summary = container.parentNode.querySelector("[data-budget-summary]");
    var startInput = document.getElementById(container.getAttribute("data-start-input") || "");
    var endInput = document.getElementById(container.getAttribute("data-end-input") || "");

    // "€ 1.250.000" in Dutch, "€1,250,000" in English: core.formatting.euro's notation.
    function euro(n) { return (english ? "€" : "€\u00a0") + number.format(n); }
    // One decimal, rounded half up: the same as the server's |percent filter.
    function percent(part, total) { return total ? onePlace.format(Math.round((part * 1000) / total) / 10) + "%" : "–"; }
    function put(selector, text) {
      var el = (selector.charAt(0) === "[" ? container : document).querySelector(selector);
      if (el && el.textContent !== text) el.textContent = text;
    }
    function putSummary(key, text) {
      if (!summary) return;
      var el = summary.querySelector('[data-summary="' + key + '"]');
      if (el && el.textContent !== text) el.textContent = text;
    }

    function recalc() {
      var rows = {}, cols = {}, total = 0, rijk = 0;
      inputs.forEach(function (input) {
        var year = input.getAttribute("data-year"), source = input.getAttribute("data-source");
        var amount = parse(input.value);
        input.classList.toggle("ka-budget__input--unreadable", amount === null);
        if (amount === null) amount = 0;
        rows[year] = (rows[year] || 0) + amount;
        cols[source] = (cols[source] || 0) + amount;
        total += amount;
        if (source === "rijk") rijk += amount;
      });
      Object.keys(rows).forEach(function (year) { put('[data-row-total="' + year + '"]', number.format(rows[year])); });
      Object.keys(cols).forEach(function (source) { put('[data-col-total="' + source + '"]', number.format(cols[source])); });
      put("[data-grand-total]", number.format(total));
      putSummary("total", euro(total));
      putSummary("rijk", euro(rijk));
      putSummary("rijk-share", percent(rijk, total));
      putSummary("cofinancing", euro(total - rijk));
      putSummary("cofinancing-ratio", percent(total - rijk, total));
    }

    function markYears() {
      if (!startInput || !endInput) return;
      var start = parseInt(startInput.value, 10), end = parseInt(endInput.value, 10);
      var known = !isNaN(start) && !isNaN(end) && start <= end;
      container.querySelectorAll("tbody tr[data-year]").forEach(function (row) {
        var year = parseInt(row.getAttribute("data-year"), 10);
        var outside = known && (year < start || year > end);
        row.classList.toggle("ka-budget__row--outside", outside);
        var note = row.querySelector(".ka-budget__outside");
        if (note) note.hidden = !outside;
      });
    }

    container.addEventListener("input", recalc);
    if (startInput) startInput.addEventListener("input", markYears);
    if (endInput) endInput.addEventListener("input", markYears);
    recalc();
    markYears();
  }

  function init() {
    document.querySelectorAll("[data-budget-table]").forEach(setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
