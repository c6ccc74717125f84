// The map of /angebote/karte/, without a request to the tile server before consent.
// Nothing happens until the visitor chooses "Karte laden"; the choice is kept in
// sessionStorage, so it holds for this tab only. Leaflet is ours (static/vendor/);
// only the map pictures come from the configured tile server.
(function () {
  "use strict";

  var CONSENT = "map-consent";
  var box = document.getElementById("map");
  var button = document.getElementById("map-load");
  if (!box || !button) return;
  document.getElementById("map-nojs").hidden = true;
  button.hidden = false;

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { element[name] = attributes[name]; });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function text(tag, content) {
    var element = document.createElement(tag);
    element.textContent = content;
    return element;
  }

  // The popup is built from nodes: no text of ours is ever read as HTML.
  function popup(place) {
    var content = document.createElement("div");
    content.appendChild(text("strong", place.name));
    content.appendChild(text("p", place.address));
    var list = document.createElement("ul");
    place.offers.forEach(function (offer) {
      var item = document.createElement("li");
      var link = text("a", offer.title);
      link.href = offer.url;
      if (offer.lang !== document.documentElement.lang) {
        // German standing in for a missing translation: read as German, left to right.
        link.lang = offer.lang;
        link.dir = "ltr";
      }
      item.appendChild(link);
      list.appendChild(item);
    });
    content.appendChild(list);
    return content;
  }

  function show() {
    button.disabled = true;
    try { window.sessionStorage.setItem(CONSENT, "1"); } catch (error) { /* private mode */ }
    Promise.all([
      load("link", { rel: "stylesheet", href: box.dataset.leafletCss }),
      load("script", { src: box.dataset.leafletJs }),
      fetch(box.dataset.geojson, { credentials: "same-origin" }).then(function (r) { return r.json(); })
    ]).then(function (results) {
      var places = results[2].features;
      box.hidden = false;
      button.hidden = true;
      var map = window.L.map(box, { scrollWheelZoom: false });
      window.L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 18 }).addTo(map);
      var points = places.map(function (feature) {
        var point = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
        var count = feature.properties.offers.length;
        var label = feature.properties.name + ": " + count + " " +
          (count === 1 ? box.dataset.offer : box.dataset.offers);
        // Markers are links for the keyboard: Tab reaches them, Enter opens the offers.
        window.L.marker(point, { title: label, alt: label, keyboard: true })
          .bindPopup(popup(feature.properties))
          .addTo(map);
        return point;
      });
      if (points.length) {
        map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
      } else {
        map.setView([51.4963, 6.8638], 12);
      }
    }).catch(function () {
      button.disabled = false;
    });
  }

  button.addEventListener("click", show);
  var agreed = false;
  try { agreed = window.sessionStorage.getItem(CONSENT) === "1"; } catch (error) { /* private mode */ }
  if (agreed) show();
})();
