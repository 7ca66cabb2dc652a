// circle15 report.html: the base layers of the map (report::basemap, report::base_layer).
// - tiles: the --basemap tile layers from META.basemap (none: no layer, no request);
// - streets: the walking network from the c15-base block, drawn on a canvas (offline); at street
//   zoom (when the whole-city layer's tolerance exceeds 4 pixels) the tiles in view of the finer
//   c15-base-fine block replace it (parsed on first use, each tile's polyline made once);
// - land: the water and green areas of the c15-land block (report::land_layer), light fills on the
//   streets' canvas under the lines, part of the same base layer;
// - district: the --clip outline from the c15-district block.
// C15Base.layers(map, META, S, noTiles) returns {bases, overlays, selftest()}.
var C15Base = (function () {
  'use strict';
  function data(id) { var e = document.getElementById(id); return e ? JSON.parse(e.textContent) : null; }
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }
  // Lines [x0, y0, dx1, dy1, ...] in 1e-5 degree, each line's first position from the previous
  // line's last (the first from the origin).
  function lines(flat, ox, oy) {
    var out = new Array(flat.length), x = ox, y = oy;
    for (var k = 0; k < flat.length; k++) {
      var a = flat[k], l = new Array(a.length / 2);
      for (var i = 0; i < a.length; i += 2) { x += a[i]; y += a[i + 1]; l[i / 2] = [y / 1e5, x / 1e5]; }
      out[k] = l;
    }
    return out;
  }
  function rings(g, ox, oy) {
    return g.map(function (p) {
      return p.map(function (a) {
        var out = new Array(a.length / 2), x = ox, y = oy;
        for (var i = 0; i < a.length; i += 2) { x += a[i]; y += a[i + 1]; out[i / 2] = [y / 1e5, x / 1e5]; }
        return out;
      });
    });
  }
  function layers(map, META, S, noTiles) {
    var ox = META.origin[0], oy = META.origin[1];
    var BASE = data('c15-base'), DISTRICT = data('c15-district');
    var p = map.createPane('c15-base'); p.style.zIndex = 250; p.style.pointerEvents = 'none';
    var streets = L.layerGroup(), streetLines = 0, streetRenderer = L.canvas({pane: 'c15-base'});
    var streetStyle = {renderer: streetRenderer, interactive: false, color: '#a0a0a0', weight: 1, opacity: 0.9,
      smoothFactor: 1.5};
    var coarse = null, fineEl = document.getElementById('c15-base-fine'), fine = null, fineOn = false;
    var fineGroup = L.layerGroup(), fineShown = 0;
    var LAND = data('c15-land'), landAreas = 0;
    if (LAND) {
      [['green', '#cfe8b6'], ['water', '#a9cfe6']].forEach(function (kc) {
        (LAND[kc[0]] || []).forEach(function (g) {
          L.polygon(rings(g, ox, oy), {renderer: streetRenderer, interactive: false, stroke: false, fillColor: kc[1],
            fillOpacity: 1, className: 'c15-' + kc[0]}).addTo(streets);
          landAreas++;
        });
      });
    }
    if (BASE && BASE.lines.length) {
      var ll = lines(BASE.lines, ox, oy);
      streetLines = ll.length;
      coarse = L.polyline(ll, streetStyle).addTo(streets);
    }
    // Street zoom: the fine tiles in view (a quarter of the view's size around it) instead of the
    // whole-city lines.
    function detail() {
      if (!fineEl || !BASE || !map._loaded || !map.hasLayer(streets)) return;
      var z = map.getZoom(), lat = map.getCenter().lat;
      var mPerPx = 40075016.686 * Math.cos(lat * Math.PI / 180) / (256 * Math.pow(2, z));
      var want = BASE.tol_m > 4 * mPerPx;
      if (!want) {
        if (fineOn) { streets.removeLayer(fineGroup); if (coarse) streets.addLayer(coarse); fineOn = false; }
        return;
      }
      if (!fine) {
        fine = JSON.parse(fineEl.textContent);
        fine.tiles.forEach(function (t) { t.layer = null; });
      }
      var vb = map.getBounds().pad(0.25);
      var x0 = vb.getWest() * 1e5 - ox, x1 = vb.getEast() * 1e5 - ox, y0 = vb.getSouth() * 1e5 - oy, y1 = vb.getNorth() * 1e5 - oy;
      fineShown = 0;
      fine.tiles.forEach(function (t) {
        var b = t.b, inView = b[0] <= x1 && b[2] >= x0 && b[1] <= y1 && b[3] >= y0;
        if (inView) {
          if (!t.layer) t.layer = L.polyline(lines(t.lines, ox, oy), streetStyle);
          if (!fineGroup.hasLayer(t.layer)) fineGroup.addLayer(t.layer);
          fineShown++;
        } else if (t.layer && fineGroup.hasLayer(t.layer)) fineGroup.removeLayer(t.layer);
      });
      if (!fineOn) { if (coarse) streets.removeLayer(coarse); streets.addLayer(fineGroup); fineOn = true; }
    }
    map.on('moveend', detail);
    map.on('baselayerchange', detail);
    var tiles = null, tileLayers = [];
    (META.basemap || []).forEach(function (t) {
      var l = L.tileLayer(t.url, {maxZoom: t.max_zoom, subdomains: t.subdomains || 'abc', attribution: t.attribution});
      l.on('tileerror', function () {});
      tileLayers.push(l);
    });
    var bases = {};
    if (tileLayers.length) { tiles = L.layerGroup(tileLayers); bases[esc(S.base_tiles)] = tiles; }
    bases[esc(S.base_streets)] = streets;
    bases[esc(S.no_background)] = L.layerGroup();
    (tiles && !noTiles ? tiles : streets).addTo(map);
    detail();
    var overlays = {};
    var district = null;
    if (DISTRICT) {
      district = L.polygon(rings(DISTRICT, ox, oy), {className: 'c15-district', interactive: false, fill: false,
        color: '#222', weight: 2.5, opacity: 0.9, dashArray: '8 5'});
      district.addTo(map);
      overlays[esc(S.base_district)] = district;
    }
    return {
      bases: bases,
      renderer: streetRenderer,
      // Street zoom now (for the self-test and #pantest).
      detail: detail,
      overlays: overlays,
      // For the page's self-test: what the base layers drew.
      selftest: function () {
        var r = {tile_layers: tileLayers.length, tiles_shown: !!(tiles && map.hasLayer(tiles)),
          street_lines: streetLines, street_pixels: 0, land_areas: landAreas, fine_tiles: fine ? fine.tiles.length : 0,
          fine_tiles_shown: fineOn ? fineShown : 0, street_tol_m: BASE ? BASE.tol_m : null, district: !!(district && district.getElement())};
        var cv = streetRenderer._container;
        if (map.hasLayer(streets) && cv && cv.width && cv.height) {
          var px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
          for (var j = 3; j < px.length; j += 4) if (px[j]) r.street_pixels++;
        }
        return r;
      }
    };
  }
  return {layers: layers};
})();
