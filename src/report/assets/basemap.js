// circle15 report.html: the base layers of the map (report::basemap, report::base_layer).
// - tiles: the --basemap tile layers from META.basemap (none: no layer, no request);
// - streets: the walking network from the c15-base block, drawn on a canvas (offline);
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
    if (BASE && BASE.lines.length) {
      var ll = lines(BASE.lines, ox, oy);
      streetLines = ll.length;
      L.polyline(ll, {renderer: streetRenderer, interactive: false, color: '#a0a0a0', weight: 1, opacity: 0.9,
        smoothFactor: 1.5}).addTo(streets);
    }
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
      overlays: overlays,
      // For the page's self-test: what the base layers drew.
      selftest: function () {
        var r = {tile_layers: tileLayers.length, tiles_shown: !!(tiles && map.hasLayer(tiles)),
          street_lines: streetLines, street_pixels: 0, district: !!(district && district.getElement())};
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
