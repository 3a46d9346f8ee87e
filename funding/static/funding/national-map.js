/* The national map: the map is an image of its own (its URL names the data version, so the browser keeps it);
   put the same SVG inline, so each municipality's <title> shows as a tooltip, and name the municipality under
   the pointer below the map. Without JavaScript the image, its legend and the table remain. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  function inlineMap(image) {
    if (!window.fetch || !window.DOMParser) {
      return;
    }
    fetch(image.src, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("map " + response.status);
        }
        return response.text();
      })
      .then(function (text) {
        var parsed = new DOMParser().parseFromString(text, "image/svg+xml");
        var svg = parsed.documentElement;
        if (svg.namespaceURI !== SVG || svg.localName !== "svg" || parsed.getElementsByTagName("parsererror").length) {
          return;
        }
        svg = document.importNode(svg, true);
        // Sized by the style sheet (.nl-map svg), like the image it replaces.
        svg.removeAttribute("width");
        svg.removeAttribute("height");
        svg.setAttribute("focusable", "false");
        image.replaceWith(svg);
      })
      .catch(function () {
        // The image stays: the map without its tooltips.
      });
  }

  document.querySelectorAll("[data-national-map]").forEach(function (figure) {
    var readout = figure.querySelector("[data-map-readout]");
    var pointed = null;
    var image = figure.querySelector("img[data-inline-map]");
    if (image) {
      inlineMap(image);
    }

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
})();
