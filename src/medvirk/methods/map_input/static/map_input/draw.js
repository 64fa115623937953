/* Medvirk map input: draw a place, a route or an area on a Leaflet map and write it as
 * GeoJSON into the form's hidden "geometry" field.
 *
 * Progressive enhancement: the page works without this file (it offers the list of places,
 * which gives the same marks), and the server checks everything posted. The mode is the
 * checked category radio button (its data-kind says point, line or polygon); the map takes
 * clicks, and the keyboard works too: move the map with the arrow keys and press "Mark at
 * the cross" (or Enter on the map). "Finish", "Undo last point" and "Remove the drawing" are
 * ordinary buttons; every change is announced in the status line (role="status").
 *
 * Settings and texts come from the JSON data block #map-data (no inline script).
 */
(function () {
  "use strict";

  var form = document.getElementById("mark-form");
  var dataNode = document.getElementById("map-data");
  if (!form || !dataNode || !window.L) {
    return;
  }
  var config = JSON.parse(dataNode.textContent);
  var text = config.text;
  var L = window.L;

  var field = form.querySelector("input[name='geometry']");
  var statusLine = document.getElementById("map-status");
  var comment = form.querySelector("textarea[name='comment']");
  var radios = Array.prototype.slice.call(form.querySelectorAll("input[name='category']"));
  var buttons = {
    add: document.getElementById("map-add"),
    finish: document.getElementById("map-finish"),
    undo: document.getElementById("map-undo"),
    cancel: document.getElementById("map-cancel")
  };
  var MIN = { point: 1, line: 2, polygon: 3 };

  form.hidden = false;
  var noScript = document.getElementById("map-nojs");
  if (noScript) {
    noScript.hidden = true;
  }

  // -- the map -----------------------------------------------------------------------------
  var map = L.map("map", { zoomControl: false, minZoom: 3, maxZoom: 19, keyboard: true });
  L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);
  if (config.tiles) {
    L.tileLayer(config.tiles.url, {
      attribution: config.tiles.attribution,
      maxZoom: config.tiles.maxZoom
    }).addTo(map);
  } else {
    map.getContainer().classList.add("map-no-tiles");
  }
  L.geoJSON(config.area, {
    interactive: false,
    style: { color: "#1a1a1a", weight: 2, dashArray: "6 4", fill: false }
  }).addTo(map);
  if (config.view) {
    map.setView([config.view.lat, config.view.lon], config.view.zoom);
  } else {
    map.fitBounds(config.bounds);
  }
  var cross = document.createElement("div");
  cross.className = "map-cross";
  cross.setAttribute("aria-hidden", "true");
  map.getContainer().appendChild(cross);
  var drawing = L.layerGroup().addTo(map);

  // -- state -------------------------------------------------------------------------------
  var vertices = [];
  var finished = false;

  function mode() {
    for (var i = 0; i < radios.length; i += 1) {
      if (radios[i].checked) {
        var category = config.categories[radios[i].getAttribute("data-category")] || {};
        return { kind: radios[i].getAttribute("data-kind"), colour: category.colour || "#0b5394", number: category.number || "" };
      }
    }
    return null;
  }

  function say(message) {
    // Emptied first, so the same words said twice are announced twice.
    statusLine.textContent = "";
    window.setTimeout(function () { statusLine.textContent = message; }, 50);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  // -- is a point inside the area? (the server checks again) --------------------------------
  function inRing(lng, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }

  function inArea(latlng) {
    var polygons = config.area.type === "Polygon" ? [config.area.coordinates] : config.area.coordinates;
    return polygons.some(function (rings) {
      if (!inRing(latlng.lng, latlng.lat, rings[0])) {
        return false;
      }
      return !rings.slice(1).some(function (hole) { return inRing(latlng.lng, latlng.lat, hole); });
    });
  }

  // -- drawing -----------------------------------------------------------------------------
  function markerIcon(current) {
    var span = document.createElement("span");
    span.style.backgroundColor = current.colour;
    span.textContent = current.number;
    return L.divIcon({ className: "map-marker", html: span, iconSize: [28, 28], iconAnchor: [14, 14] });
  }

  function redraw() {
    drawing.clearLayers();
    var current = mode();
    if (!current || !vertices.length) {
      return;
    }
    var options = { color: current.colour, weight: 5, interactive: false };
    if (current.kind === "point") {
      L.marker(vertices[0], { icon: markerIcon(current), keyboard: false, interactive: false }).addTo(drawing);
      return;
    }
    if (current.kind === "polygon" && finished) {
      L.polygon(vertices, Object.assign({ fillOpacity: 0.25 }, options)).addTo(drawing);
    } else if (vertices.length > 1) {
      L.polyline(vertices, options).addTo(drawing);
    }
    vertices.forEach(function (latlng, index) {
      L.circleMarker(latlng, {
        radius: index === 0 ? 7 : 5,
        color: "#ffffff",
        weight: 2,
        fillColor: current.colour,
        fillOpacity: 1,
        interactive: false
      }).addTo(drawing);
    });
  }

  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function geojson(kind) {
    var positions = vertices.map(function (p) { return [round(p.lng), round(p.lat)]; });
    if (kind === "point") {
      return { type: "Point", coordinates: positions[0] };
    }
    if (kind === "line") {
      return { type: "LineString", coordinates: positions };
    }
    return { type: "Polygon", coordinates: [positions.concat([positions[0]])] };
  }

  function write() {
    var current = mode();
    field.value = current && finished ? JSON.stringify(geojson(current.kind)) : "";
  }

  function updateButtons() {
    var current = mode();
    var shape = current && current.kind !== "point";
    buttons.finish.hidden = !shape;
    buttons.undo.hidden = !shape;
    buttons.cancel.disabled = !vertices.length;
    buttons.undo.disabled = !vertices.length;
  }

  function add(latlng) {
    var current = mode();
    if (!current) {
      say(text.choose);
      if (radios.length) {
        radios[0].focus();
      }
      return;
    }
    if (!inArea(latlng)) {
      say(text.outside);
      return;
    }
    if (current.kind === "point") {
      vertices = [latlng];
      finished = true;
      write();
      redraw();
      updateButtons();
      say(text.pointSet);
      return;
    }
    if (vertices.length >= config.maxVertices) {
      say(fill(text.tooMany, { max: config.maxVertices }));
      return;
    }
    finished = false;
    vertices.push(latlng);
    write();
    redraw();
    updateButtons();
    say(fill(text.count, { n: vertices.length }));
  }

  function finish() {
    var current = mode();
    if (!current) {
      say(text.choose);
      return false;
    }
    if (vertices.length < MIN[current.kind]) {
      say(fill(text.tooFew, { min: MIN[current.kind] }));
      return false;
    }
    finished = true;
    write();
    redraw();
    updateButtons();
    say(current.kind === "line" ? text.lineDone : current.kind === "polygon" ? text.polygonDone : text.pointSet);
    return true;
  }

  function clear(message) {
    vertices = [];
    finished = false;
    write();
    redraw();
    updateButtons();
    if (message) {
      say(message);
    }
  }

  map.on("click", function (event) { add(event.latlng); });
  map.getContainer().addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target === map.getContainer()) {
      event.preventDefault();
      add(map.getCenter());
    }
  });
  buttons.add.addEventListener("click", function () { add(map.getCenter()); });
  buttons.finish.addEventListener("click", function () {
    if (finish() && comment) {
      comment.focus();
    }
  });
  buttons.undo.addEventListener("click", function () {
    if (!vertices.length) {
      return;
    }
    vertices.pop();
    finished = false;
    write();
    redraw();
    updateButtons();
    say(fill(text.undone, { n: vertices.length }));
  });
  buttons.cancel.addEventListener("click", function () { clear(text.cleared); });
  radios.forEach(function (radio) {
    radio.addEventListener("change", function () {
      clear("");
      var current = mode();
      say(current ? text[current.kind] : text.choose);
    });
  });
  form.addEventListener("submit", function () {
    // A route or area with enough points but not finished yet is finished on sending.
    var current = mode();
    if (current && !finished && vertices.length >= MIN[current.kind]) {
      finish();
    }
  });

  // -- after a refused send: the drawing as it was posted ------------------------------------
  (function restore() {
    if (!field.value) {
      return;
    }
    try {
      var shape = JSON.parse(field.value);
      var points = shape.type === "Point" ? [shape.coordinates]
        : shape.type === "LineString" ? shape.coordinates
          : shape.type === "Polygon" ? shape.coordinates[0].slice(0, -1) : [];
      vertices = points.map(function (p) { return L.latLng(p[1], p[0]); });
      finished = vertices.length > 0;
    } catch (error) {
      vertices = [];
      finished = false;
    }
    write();
    redraw();
  }());
  updateButtons();
  var start = mode();
  statusLine.textContent = start ? text[start.kind] : text.choose;
}());
