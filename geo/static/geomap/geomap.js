/*
 * geomap.js: the conflict news map's drawing code for Leaflet 1.9 (MIT, part of this project).
 *
 * Why a file of our own rather than folium's element templates: status markers must
 * differ by shape as well as colour (readable in greyscale print), which no stock
 * Leaflet layer does; and folium's popups need jQuery from a CDN. Python (geo/mapview.py)
 * passes plain data: every string that reaches innerHTML here was escaped on the server.
 */
(function () {
  "use strict";

  // Shapes as SVG path data around (x, y) with "radius" r, in pixels.
  function star(x, y, r) {
    var d = "", inner = r * 0.45;
    for (var i = 0; i < 10; i++) {
      var a = Math.PI / 5 * i - Math.PI / 2, rr = i % 2 ? inner : r;
      d += (i ? "L" : "M") + (x + rr * Math.cos(a)).toFixed(2) + "," + (y + rr * Math.sin(a)).toFixed(2);
    }
    return d + "Z";
  }
  function circle(x, y, r) {
    return "M" + (x - r) + "," + y + "a" + r + "," + r + " 0 1,0 " + 2 * r + ",0a" + r + "," + r + " 0 1,0 " + -2 * r + ",0Z";
  }
  var SHAPES = {
    circle: circle,
    ring: function (x, y, r) { return circle(x, y, r) + circle(x, y, r * 0.45); },
    square: function (x, y, r) { var s = r * 0.86; return "M" + (x - s) + "," + (y - s) + "h" + 2 * s + "v" + 2 * s + "h" + -2 * s + "Z"; },
    diamond: function (x, y, r) { var s = r * 1.15; return "M" + x + "," + (y - s) + "L" + (x + s) + "," + y + "L" + x + "," + (y + s) + "L" + (x - s) + "," + y + "Z"; },
    triangle: function (x, y, r) { var s = r * 1.2; return "M" + x + "," + (y - s) + "L" + (x + s) + "," + (y + s * 0.75) + "L" + (x - s) + "," + (y + s * 0.75) + "Z"; },
    "triangle-down": function (x, y, r) { var s = r * 1.2; return "M" + x + "," + (y + s) + "L" + (x + s) + "," + (y - s * 0.75) + "L" + (x - s) + "," + (y - s * 0.75) + "Z"; },
    cross: function (x, y, r) {
      // A plus sign of half-width a and reach b, turned 45 degrees into an X.
      var a = r * 0.36, b = r, c = Math.SQRT1_2, d = "";
      var pts = [[-a, -b], [a, -b], [a, -a], [b, -a], [b, a], [a, a], [a, b], [-a, b], [-a, a], [-b, a], [-b, -a], [-a, -a]];
      for (var i = 0; i < pts.length; i++) {
        var px = pts[i][0], py = pts[i][1];
        d += (i ? "L" : "M") + (x + c * (px - py)).toFixed(2) + "," + (y + c * (px + py)).toFixed(2);
      }
      return d + "Z";
    },
    star: star
  };

  function shapePath(shape, x, y, r) {
    return (SHAPES[shape] || circle)(x, y, r);
  }

  // A CircleMarker (fixed pixel size, SVG path, interactive) drawn as any shape above.
  L.ShapeMarker = L.CircleMarker.extend({
    options: { shape: "circle", fillRule: "evenodd" },
    _updatePath: function () {
      if (!this._renderer._setPath) { return L.CircleMarker.prototype._updatePath.call(this); }
      var p = this._point;
      this._renderer._setPath(this, shapePath(this.options.shape, p.x, p.y, this._radius));
    }
  });
  L.shapeMarker = function (latlng, options) { return new L.ShapeMarker(latlng, options); };

  function svgSymbol(style, size) {
    var r = size / 2 - 2, c = size / 2;
    return '<svg class="geomap-symbol" width="' + size + '" height="' + size + '" viewBox="0 0 ' + size + " " + size +
      '" aria-hidden="true"><path fill-rule="evenodd" d="' + shapePath(style.shape, c, c, r) + '" fill="' + style.fill +
      '" stroke="' + style.stroke + '" stroke-width="1.5"/></svg>';
  }

  function el(tag, className, parent) { return L.DomUtil.create(tag, className, parent); }

  // A map control showing server-escaped HTML.
  function box(className, html, position) {
    var control = L.control({ position: position });
    control.onAdd = function () {
      var div = el("div", "geomap-box " + className);
      div.innerHTML = html;
      L.DomEvent.disableScrollPropagation(div);
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return control;
  }

  // Show a control while "target" (a map, or a layer on one) is on the map.
  function attach(target, control) {
    if (target instanceof L.Map) { control.addTo(target); return; }
    target.on("add", function () { control.addTo(target._map); });
    target.on("remove", function () { control.remove(); });
    if (target._map) { control.addTo(target._map); }
  }

  // A place's marker drawn as its status's shape, and its bold label when it has one. Returns the layers.
  function point(target, p) {
    var m = L.shapeMarker([p.lat, p.lon], {
      shape: p.shape, radius: p.r, color: p.stroke, weight: 1.5, fillColor: p.fill, fillOpacity: 0.95,
      className: "geomap-marker geomap-" + p.status
    });
    // A click reports the place's own point (not the pixel clicked), so the app can tell which place it was.
    m.on("click", function (e) { e.latlng = m.getLatLng(); });
    m.bindTooltip(p.tip, { direction: "top", offset: [0, -p.r], className: "geomap-tip" });
    if (p.popup) { m.bindPopup(p.popup, { maxWidth: 420, className: "geomap-popup" }); }
    m.addTo(target);
    if (p.selected) {  // the place whose evidence is shown: a heavy outline, drawn on top
      m.setStyle({ weight: 4, color: "#111" });
      m.setRadius(p.r + 2);
      m.once("add", function () { m.bringToFront(); });
      if (m._map) { m.bringToFront(); }
    }
    if (!p.label) { return [m]; }
    var label = L.marker([p.lat, p.lon], {
      pane: "geomap-labels", interactive: false, keyboard: false,
      icon: L.divIcon({ className: "geomap-place-label", iconSize: null, iconAnchor: [-p.r - 3, 8] })
    });
    // The basemap's own name for this town gives way while the bold label is shown.
    var townName = function (map) { var c = (map && map._geomapCities || {})[p.label]; return c && c.getElement(); };
    label.on("add", function () {
      label.getElement().textContent = p.label;  // text, never HTML
      var town = townName(label._map);
      if (town) { town.style.visibility = "hidden"; }
    });
    label.on("remove", function (e) {
      var town = townName(e.target._map || e.target._mapToAdd);
      if (town) { town.style.visibility = ""; }
    });
    label.addTo(target);
    return [m, label];
  }

  // A region's, country's or sea's shaded area.
  function area(target, a) {
    var layer = L.geoJSON(a.geometry, {
      pane: "geomap-areas",
      style: { color: a.stroke, weight: 2.5, dashArray: a.dash, fillColor: a.fill, fillOpacity: 0.22,
               className: "geomap-area geomap-" + a.status }
    });
    if (a.lat !== null && a.lon !== null) { layer.on("click", function (e) { e.latlng = L.latLng(a.lat, a.lon); }); }
    layer.bindTooltip(a.tip, { sticky: true, className: "geomap-tip" });
    if (a.popup) { layer.bindPopup(a.popup, { maxWidth: 420, className: "geomap-popup" }); }
    layer.addTo(target);
    return layer;
  }

  function listedBox(title, rows) {
    return box("geomap-listed", '<div class="geomap-box-title">' + title + "</div>" + rows.join(""), "bottomright");
  }

  var GeoMap = {
    shapePath: shapePath,
    svgSymbol: svgSymbol,

    panes: function (map) {
      // Basemap under everything, then areas, then the basemap's town names (a status marker on a
      // town covers its dot), then markers (overlay pane, 400), then place labels; none of the
      // labels catch the mouse.
      [["geomap-basemap", 250], ["geomap-areas", 390], ["geomap-cities", 395], ["geomap-labels", 450]].forEach(function (p) {
        if (!map.getPane(p[0])) { map.createPane(p[0]).style.zIndex = p[1]; }
      });
      map.getPane("geomap-labels").style.pointerEvents = "none";
      map.getPane("geomap-cities").style.pointerEvents = "none";
      map.getPane("geomap-basemap").style.pointerEvents = "none";
    },

    // Natural Earth layers as vector GeoJSON: land, Ukraine highlighted, oblast borders, water, rivers, city labels.
    basemap: function (map, layers, attribution) {
      GeoMap.panes(map);
      var pane = "geomap-basemap", opts = { pane: pane, interactive: false };
      map.getContainer().classList.add("geomap-vector");
      L.geoJSON(layers.countries, L.extend({}, opts, {
        attribution: attribution,
        style: function (f) {
          var ua = f.properties.iso_a2 === "UA";
          return { color: "#6b6b6b", weight: ua ? 1.6 : 0.8, fillColor: ua ? "#fbfaf5" : "#e6e2d8", fillOpacity: 1 };
        }
      })).addTo(map);
      L.geoJSON(layers.admin1, L.extend({}, opts, {
        filter: function (f) { return !f.properties.country || f.properties.country === "UA"; },
        style: { color: "#a9a49a", weight: 0.7, dashArray: "3 3", fill: false }
      })).addTo(map);
      L.geoJSON(layers.water, L.extend({}, opts, {
        style: { color: "#8fb3cf", weight: 0.5, fillColor: "#b9d3e6", fillOpacity: 1 }
      })).addTo(map);
      L.geoJSON(layers.rivers, L.extend({}, opts, {
        style: function (f) { return { color: "#7fa7c7", weight: f.properties.scalerank <= 4 ? 1.6 : 1.0, opacity: 0.9 }; }
      })).addTo(map);
      var cities = map._geomapCities = {};  // name -> label, so a place label can stand in for it
      L.geoJSON(layers.cities, {
        pointToLayer: function (f, latlng) {
          var label = cities[f.properties.name] = L.marker(latlng, {
            pane: "geomap-cities", interactive: false, keyboard: false,
            icon: L.divIcon({ className: "geomap-city", html: "", iconSize: null })
          });
          label.options.icon.options.html = '<span class="geomap-city-dot"></span><span class="geomap-city-name"></span>';
          label.on("add", function () {
            var name = label.getElement() && label.getElement().querySelector(".geomap-city-name");
            if (name) { name.textContent = f.properties.name; }  // textContent: never parsed as HTML
            // Drawn after the places (fetched basemap): give way to a bold label already shown for this town.
            var labels = label._map.getPane("geomap-labels").querySelectorAll(".geomap-place-label");
            if (Array.prototype.some.call(labels, function (el) { return el.textContent === f.properties.name; })) {
              label.getElement().style.visibility = "hidden";
            }
          });
          return label;
        }
      }).addTo(map);
    },

    // The same basemap fetched from the server's static files (the dashboard: its pages then
    // carry no basemap, which keeps every rerun small).
    basemapFrom: function (map, base, names, attribution) {
      GeoMap.panes(map);
      Promise.all(names.map(function (name) {
        return fetch(base + name + ".geojson").then(function (r) {
          if (!r.ok) { throw new Error(name + ".geojson: HTTP " + r.status); }
          return r.json();
        });
      })).then(function (parts) {
        var layers = {};
        names.forEach(function (name, i) { layers[name] = parts[i]; });
        GeoMap.basemap(map, layers, attribution);
      }).catch(function (e) { console.error("basemap not loaded: " + e.message); });
    },

    // One marker per place, areas for regions/countries, a box listing what has no shape.
    // "target" is the map or a feature group.
    places: function (target, data) {
      (data.points || []).forEach(function (p) { point(target, p); });
      (data.areas || []).forEach(function (a) { area(target, a); });
      if (data.listed && data.listed.length) { attach(target, listedBox(data.listed_title, data.listed)); }
      if (data.empty) { attach(target, box("geomap-empty", data.empty, "topright")); }
    },

    // The dashboard's places for a run of days (geo.mapview.steps_data), drawn for the day its
    // date slider shows. The slider is in the page around this map's frame: each move redraws
    // here, at once, only the places whose marker changed, without waiting for the server
    // (whose rerun then brings the same run of days, or the next one). Every value drawn
    // (radius, label, tooltip, list row, order) comes computed from the server.
    steps: function (group, data) {
      var drawn = {}, boxes = [], shownDay = null, observer = null, places = data.places, listed = {};
      if (window.geomapSteps) { window.geomapSteps.stop(); }  // the run of days this one replaces
      places.listed.forEach(function (i) { listed[i] = true; });

      // Entry of each place shown on day k ([place, status, articles, radius, order, label, row]):
      // day 0 plus k days of changes.
      function stateAt(k) {
        var state = {}, i, j, changes;
        for (i = 0; i < data.start.length; i++) { state[data.start[i][0]] = data.start[i]; }
        for (i = 0; i < k; i++) {
          changes = data.changes[i];
          for (j = 0; j < changes.length; j++) {
            if (changes[j][1] < 0) { delete state[changes[j][0]]; } else { state[changes[j][0]] = changes[j]; }
          }
        }
        return state;
      }

      function draw(i, row) {
        var style = data.styles[row[1]], tip = places.names[i] + style.tip, lat = places.lat[i], lon = places.lon[i];
        if (places.areas[i]) {
          return [area(group, { geometry: places.areas[i], status: style.status, fill: style.fill, stroke: style.fill,
                                dash: style.dash, tip: tip, lat: lat, lon: lon })];
        }
        return point(group, {
          lat: lat, lon: lon, status: style.status, shape: style.shape, fill: style.fill,
          stroke: style.stroke, r: row[3], tip: tip, selected: i === data.selected, label: row[5] || null
        });
      }

      function show(k) {
        if (k === shownDay) { return; }
        shownDay = k;
        var state = stateAt(k), rows = Object.keys(state).map(function (i) { return state[i]; }), listRows = [];
        function key(row) { return row[1] + ":" + row[3] + ":" + row[5]; }
        Object.keys(drawn).forEach(function (i) {  // gone, or drawn differently on this day
          if (!state[i] || drawn[i].key !== key(state[i])) {
            drawn[i].layers.forEach(function (layer) { group.removeLayer(layer); });
            delete drawn[i];
          }
        });
        rows.sort(function (a, b) { return a[4] - b[4]; }).forEach(function (row) {  // in the server's order
          var i = row[0];
          if (listed[i]) {
            listRows.push(row[6]);
          } else if (!drawn[i]) {
            drawn[i] = { key: key(row), layers: draw(i, row) };
          }
        });
        boxes.forEach(function (control) { control.remove(); });
        boxes = [];
        if (listRows.length) { boxes.push(listedBox(data.listed_title, listRows)); }
        if (!rows.length) { boxes.push(box("geomap-empty", data.empty, "topright")); }
        if (group._map) { onMap(); }
      }

      // The boxes go on the map itself, and its element says which day it shows (for tests and tools).
      function onMap() {
        boxes.forEach(function (control) { control.addTo(group._map); });
        group._map.getContainer().setAttribute("data-day", data.days[shownDay]);
      }

      // The slider's value: microseconds from 1970 to the UTC midnight of the day it shows.
      function sliderDay() {
        var input = null;
        try { input = window.parent.document.querySelector('input[type="range"][aria-label="' + data.slider + '"]'); }
        catch (e) { return -1; }  // a page of its own, not the dashboard's frame
        if (!input || !input.value || isNaN(Number(input.value))) { return -1; }  // never a throw that stops the map
        return data.days.indexOf(new Date(Number(input.value) / 1000).toISOString().slice(0, 10));
      }
      function follow() {
        var k = sliderDay();
        if (k >= 0) { show(k); }  // a day outside this run: the server's rerun brings the run that has it
      }
      function stop() {
        if (observer) { observer.disconnect(); observer = null; }
        boxes.forEach(function (control) { control.remove(); });
      }

      var first = sliderDay();
      show(first >= 0 ? first : data.shown);
      group.on("add", onMap);
      group.on("remove", stop);
      try {
        if (window.parent !== window) {
          observer = new MutationObserver(follow);
          observer.observe(window.parent.document.body,
                           { subtree: true, attributes: true, attributeFilter: ["value", "aria-valuetext"] });
        }
      } catch (e) { observer = null; }
      window.geomapSteps = { show: show, stop: stop, days: data.days };
    },

    legend: function (map, items, note, position) {
      var legend = L.control({ position: position || "bottomright" });
      legend.onAdd = function () {
        var div = el("div", "geomap-box geomap-legend");
        var title = el("div", "geomap-box-title", div);
        title.textContent = "Status";
        items.forEach(function (it) {
          var row = el("div", "geomap-legend-row", div);
          row.innerHTML = svgSymbol(it, 18);
          var label = el("span", "", row);
          label.textContent = it.label;
        });
        if (note) { var n = el("div", "geomap-legend-note", div); n.textContent = note; }
        return div;
      };
      legend.addTo(map);
    },

    // Fit bounds in the part of the map its corner boxes (title, legend) leave free, so no
    // marker hides under them. Each box is avoided by reserving either its height (top or
    // bottom edge) or its width (left or right edge); of all choices, the closest zoom wins.
    fit: function (map, bounds, pad) {
      pad = pad || 24;
      var c = map.getContainer(), box = c.getBoundingClientRect(), corners = [];
      ["top left", "top right", "bottom left", "bottom right"].forEach(function (name) {
        var sides = name.split(" "), w = 0, h = 0;
        c.querySelectorAll(".leaflet-" + sides[0] + ".leaflet-" + sides[1] + " > .leaflet-control").forEach(function (el) {
          var r = el.getBoundingClientRect();
          w = Math.max(w, sides[1] === "left" ? r.right - box.left : box.right - r.left);
          h = Math.max(h, sides[0] === "top" ? r.bottom - box.top : box.bottom - r.top);
        });
        if (w && h) { corners.push({ v: sides[0], h: sides[1], width: w, height: h }); }
      });
      var latLngBounds = L.latLngBounds(bounds), best = null;
      for (var choice = 0; choice < (1 << corners.length); choice++) {
        var p = { top: pad, bottom: pad, left: pad, right: pad };
        corners.forEach(function (k, i) {
          if (choice & (1 << i)) { p[k.h] = Math.max(p[k.h], k.width + pad / 2); }
          else { p[k.v] = Math.max(p[k.v], k.height + pad / 2); }
        });
        if (p.left + p.right >= box.width - 40 || p.top + p.bottom >= box.height - 40) { continue; }
        var zoom = map.getBoundsZoom(latLngBounds, false, L.point(p.left + p.right, p.top + p.bottom));
        if (!best || zoom > best.zoom) { best = { zoom: zoom, p: p }; }
      }
      var padding = best ? best.p : { top: pad, bottom: pad, left: pad, right: pad };
      map.fitBounds(latLngBounds, { paddingTopLeft: [padding.left, padding.top],
                                    paddingBottomRight: [padding.right, padding.bottom], animate: false });
    },

    stamp: function (map, title, date, position) {
      var box = L.control({ position: position || "topleft" });
      box.onAdd = function () {
        var div = el("div", "geomap-box geomap-stamp");
        if (title) { el("div", "geomap-title", div).textContent = title; }
        if (date) { el("div", "geomap-date", div).textContent = date; }
        return div;
      };
      box.addTo(map);
    }
  };

  window.GeoMap = GeoMap;
})();
