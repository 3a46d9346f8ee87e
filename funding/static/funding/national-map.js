/* The national map: name the municipality under the pointer below the map (its <title> says the same as a
   tooltip), and open the table of all municipalities when a link points at it. Without JavaScript the
   titles and the table remain. */
(function () {
  "use strict";

  document.querySelectorAll("[data-national-map]").forEach(function (figure) {
    var readout = figure.querySelector("[data-map-readout]");
    var pointed = null;

    function show(area) {
      if (pointed) {
        pointed.classList.remove("is-pointed");
      }
      pointed = area;
      if (!area) {
        readout.textContent = "";
        return;
      }
      area.classList.add("is-pointed");
      var title = area.querySelector("title");
      readout.textContent = title ? title.textContent : "";
    }

    figure.addEventListener("pointerover", function (event) {
      var area = event.target.closest ? event.target.closest(".nat-map__area") : null;
      if (area) {
        show(area);
      }
    });
    figure.addEventListener("pointerleave", function () {
      show(null);
    });
  });

  function openTarget(hash) {
    if (!hash || hash.length < 2) {
      return;
    }
    var target = document.getElementById(hash.slice(1));
    if (target && target.tagName === "DETAILS") {
      target.open = true;
    }
  }

  document.querySelectorAll("a[data-open-details]").forEach(function (link) {
    link.addEventListener("click", function () {
      openTarget(link.hash);
    });
  });
  openTarget(window.location.hash);
})();
