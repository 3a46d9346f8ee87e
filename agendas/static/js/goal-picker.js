/*
 * Goal picker: a search box above every goal <select> (data-goal-picker) that
 * narrows the options as you type. Without JavaScript the select with its
 * optgroups (SDG, EU, national) works as it is. Matching ignores case and
 * accents; the selected option always stays, so a filter never changes the value.
 */
(function () {
  "use strict";

  var counter = 0;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function setup(select) {
    var groups = Array.prototype.map.call(select.querySelectorAll("optgroup"), function (group) {
      return {
        label: group.label,
        options: Array.prototype.map.call(group.querySelectorAll("option"), function (option) {
          return { value: option.value, text: option.textContent, key: fold(option.textContent) };
        }),
      };
    });
    var placeholder = select.querySelector("option[value='']");
    var placeholderText = placeholder ? placeholder.textContent : "";

    var id = (select.id || "goal-picker-" + ++counter) + "-zoek";
    var wrapper = document.createElement("div");
    wrapper.className = "ka-goal-search";
    var label = document.createElement("label");
    label.className = "utrecht-form-label ka-goal-search__label";
    label.htmlFor = id;
    label.textContent = document.documentElement.lang === "en" ? "Search goals" : "Zoek in de doelen";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.className = "utrecht-textbox utrecht-textbox--html-input ka-goal-search__input";
    input.setAttribute("aria-controls", select.id);
    var status = document.createElement("span");
    status.className = "ka-muted ka-goal-search__status";
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    select.parentNode.insertBefore(wrapper, select);

    function render() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var current = select.value;
      var shown = 0;
      var fragment = document.createDocumentFragment();
      var empty = document.createElement("option");
      empty.value = "";
      empty.textContent = placeholderText;
      fragment.appendChild(empty);
      groups.forEach(function (group) {
        var optgroup = document.createElement("optgroup");
        optgroup.label = group.label;
        group.options.forEach(function (item) {
          var matches = words.every(function (word) { return item.key.indexOf(word) !== -1; });
          if (!matches && item.value !== current) return;
          var option = document.createElement("option");
          option.value = item.value;
          option.textContent = item.text;
          if (item.value === current) option.selected = true;
          optgroup.appendChild(option);
          if (matches) shown += 1;
        });
        if (optgroup.children.length) fragment.appendChild(optgroup);
      });
      select.replaceChildren(fragment);
      select.value = current;
      status.textContent = words.length
        ? (document.documentElement.lang === "en" ? shown + " goals found" : shown + " doelen gevonden")
        : "";
    }

    input.addEventListener("input", render);
  }

  function init() {
    document.querySelectorAll("select[data-goal-picker]").forEach(setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
