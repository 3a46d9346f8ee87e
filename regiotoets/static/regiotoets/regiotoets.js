// The region picker of the entry form (regiotoets/entry_form.html): a search box over the checkbox lists.
// Without this script the lists work as they are (open a group, tick the regions).
(function () {
  "use strict";
  document.querySelectorAll("[data-region-picker]").forEach(function (picker) {
    var search = picker.querySelector("[data-region-search]");
    var query = picker.querySelector("[data-region-query]");
    var count = picker.querySelector("[data-region-count]");
    var groups = picker.querySelectorAll("[data-region-group]");
    var label = count.getAttribute("data-region-count");
    search.hidden = false;

    function chosen() {
      return picker.querySelectorAll("input[type=checkbox]:checked").length;
    }

    function showCount() {
      count.textContent = label + " " + String(chosen());
    }

    query.addEventListener("input", function () {
      var text = query.value.trim().toLowerCase();
      groups.forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("[data-region-name]").forEach(function (item) {
          var match = !text || item.getAttribute("data-region-name").indexOf(text) !== -1;
          item.hidden = !match;
          if (match) {
            shown += 1;
          }
        });
        group.hidden = text !== "" && shown === 0;
        if (text) {
          group.open = shown > 0;
        }
      });
    });
    query.addEventListener("keydown", function (event) {
      // Enter in the search box searches; it does not send the form.
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    picker.addEventListener("change", showCount);
    showCount();
  });
})();
