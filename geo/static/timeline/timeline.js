/*
 * timeline.js: the exported map's time slider and play button (MIT, part of this project).
 *
 * The exported file carries, for every step of its date range, which places show which
 * status; this control swaps the places layer as the slider moves, drawing each step with
 * the dashboard's own GeoMap.places so the export never draws differently from the app.
 * Items (markers, areas, list rows) are shared between steps: a step is a list of indices.
 * Every string here was escaped on the server; names reach the page through textContent.
 */
(function () {
  "use strict";

  function pick(items, indices) {
    var out = [];
    for (var i = 0; i < indices.length; i++) { out.push(items[indices[i]]); }
    return out;
  }

  function start(map, data) {
    var steps = data.steps, items = data.items, layer = null, timer = null, index = -1;
    // Areas name their outline by index: an oblast's polygon is stored once, however often it is shown.
    function withGeometry(area) { return L.extend({}, area, { geometry: data.geometries[area.geometry] }); }
    // The bar is in the page under the map (never over a marker); Python wrote its markup.
    var bar = document.querySelector(".geo-timeline");
    var button = bar.querySelector(".geo-timeline-play"), slider = bar.querySelector(".geo-timeline-slider");
    var label = bar.querySelector(".geo-timeline-date"), counts = bar.querySelector(".geo-timeline-counts");
    slider.min = 0; slider.max = steps.length - 1; slider.step = 1;
    slider.addEventListener("input", function () { stop(); show(+slider.value); });
    button.addEventListener("click", function () { if (timer) { stop(); } else { play(); } });

    function show(i) {
      if (i === index) { return; }
      index = i;
      var s = steps[i];
      if (layer) { map.removeLayer(layer); }
      layer = L.featureGroup().addTo(map);
      var empty = !(s.p.length || s.a.length || s.l.length);
      GeoMap.places(layer, {
        points: pick(items, s.p), areas: pick(items, s.a).map(withGeometry), listed: pick(items, s.l),
        listed_title: data.listed_title, empty: empty ? data.empty : null
      }, map);
      slider.value = i;
      label.textContent = s.label;
      counts.textContent = s.counts;
      var stamp = map.getContainer().querySelector(".geomap-date");
      if (stamp) { stamp.textContent = s.label; }
      var note = document.querySelector(".snapshot-footnote");
      if (note) { note.textContent = data.notes[s.f]; }
      map.getContainer().setAttribute("data-step", s.date);
      // The date in the address (map.html#2022-03-03): a recipient can point a colleague at one day.
      if (window.history && history.replaceState) { history.replaceState(null, "", "#" + s.date); }
    }

    function play() {
      if (index >= steps.length - 1) { show(0); }
      button.classList.add("playing");
      button.setAttribute("aria-label", "Pause");
      button.textContent = "\u275A\u275A";
      timer = setInterval(function () {
        if (index >= steps.length - 1) { stop(); } else { show(index + 1); }
      }, data.interval_ms);
    }

    function stop() {
      if (timer) { clearInterval(timer); timer = null; }
      button.classList.remove("playing");
      button.setAttribute("aria-label", "Play");
      button.textContent = "\u25B6";
    }

    stop();
    map.invalidateSize();  // the bar took its height from the map's column
    // The last step on or before the date in the address, if it names one within the range.
    function askedStep() {
      var asked = decodeURIComponent(location.hash.slice(1)), found = -1;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(asked)) { return -1; }
      for (var k = 0; k < steps.length; k++) { if (steps[k].date <= asked) { found = k; } }
      return found;
    }
    window.addEventListener("hashchange", function () { var k = askedStep(); if (k >= 0) { stop(); show(k); } });
    var asked = askedStep();
    show(asked >= 0 ? asked : Math.max(0, Math.min(steps.length - 1, data.start)));
    return { show: show, play: play, stop: stop, steps: steps };
  }

  // A big export carries its data gzip-compressed and base64-encoded: unpack it with the
  // browser's own DecompressionStream, then start. Small ones are plain objects.
  function unpack(data) {
    if (!data.gzip) { return Promise.resolve(data); }
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot unpack the map's data; open the file in a current browser"));
    }
    var binary = atob(data.gzip), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  window.GeoTimeline = {
    start: function (map, data) {
      var bar = document.querySelector(".geo-timeline");
      return unpack(data).then(function (full) {
        var timeline = start(map, full);
        bar.setAttribute("data-ready", "");
        return timeline;
      }, function (error) {
        bar.querySelector(".geo-timeline-counts").textContent = error.message;
        throw error;
      });
    }
  };
})();
