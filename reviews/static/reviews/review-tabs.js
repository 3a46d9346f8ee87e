// The review page below 1100 px: the agenda and the form as two tabs (WAI-ARIA tabs pattern).
// Without JavaScript, or from 1100 px, both columns show (side by side from 1100 px).
(function () {
  "use strict";
  var layout = document.querySelector("[data-review-tabs]");
  if (!layout) return;
  var tablist = layout.querySelector('[role="tablist"]');
  var tabs = Array.prototype.slice.call(tablist.querySelectorAll('[role="tab"]'));
  var panels = tabs.map(function (tab) { return document.getElementById(tab.getAttribute("aria-controls")); });
  var wide = window.matchMedia("(min-width: 1100px)");

  panels.forEach(function (panel, i) {
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tabs[i].id);
  });

  function select(index, focus) {
    tabs.forEach(function (tab, i) {
      var on = i === index;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      panels[i].hidden = !on && !wide.matches;
    });
    if (focus) tabs[index].focus();
  }

  function current() {
    var index = tabs.findIndex(function (tab) { return tab.getAttribute("aria-selected") === "true"; });
    return index < 0 ? 0 : index;
  }

  // The tab of a link's target (#review-column, #agenda-column or anything inside one).
  function tabOf(id) {
    var target = id && document.getElementById(id);
    if (!target) return -1;
    return panels.findIndex(function (panel) { return panel === target || panel.contains(target); });
  }

  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { select(i, false); });
    tab.addEventListener("keydown", function (event) {
      var next = null;
      if (event.key === "ArrowRight") next = (i + 1) % tabs.length;
      else if (event.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = tabs.length - 1;
      if (next !== null) {
        event.preventDefault();
        select(next, true);
      }
    });
  });

  // A link to something in the other tab (an error summary, the skip links) opens that tab first.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link) return;
    var index = tabOf(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (index >= 0 && index !== current()) select(index, false);
  });

  function apply() {
    tablist.hidden = wide.matches;
    select(current(), false);
  }
  if (wide.addEventListener) wide.addEventListener("change", apply);
  else wide.addListener(apply);

  var fromHash = tabOf(decodeURIComponent(window.location.hash.slice(1)));
  if (fromHash >= 0) select(fromHash, false);
  apply();
})();
