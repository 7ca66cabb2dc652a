(function () {
'use strict';
function data(id) { var e = document.getElementById(id); return e ? JSON.parse(e.textContent) : null; }
var META = data('c15-meta'), COMM = data('c15-communities'), FAC = data('c15-facilities'),
    DEM = data('c15-demand'), ISO = data('c15-isochrones'), SUG = data('c15-suggestions');
var S = META.strings, CATS = META.categories, CAT = {};
// Positions are integers in 1e-5 degree: rings [x0, y0, dx1, dy1, ...] from META.origin, point
// columns x, y as offsets from it (report::compact_geometry).
var OX = META.origin[0], OY = META.origin[1];
function ring(a) {
  var out = new Array(a.length / 2), x = OX, y = OY;
  for (var i = 0; i < a.length; i += 2) { x += a[i]; y += a[i + 1]; out[i / 2] = [y / 1e5, x / 1e5]; }
  return out;
}
function mpoly(g) { return g.map(function (p) { return p.map(ring); }); }
function at(col, i) { return [(OY + col.y[i]) / 1e5, (OX + col.x[i]) / 1e5]; }
// Community properties: one object per community from the columns.
var COMM_PROPS = [];
for (var ci = 0; ci < COMM.n; ci++) {
  var cp = {};
  for (var ck in COMM.props) cp[ck] = COMM.props[ck][ci];
  COMM_PROPS.push(cp);
}
CATS.forEach(function (c) { CAT[c.id] = c; });
// URL options after '#', joined by '&': selftest, notiles (no --basemap tiles), cat=<id>, colour=<score|id>,
// view=<lat>,<lon>,<zoom>, unserved (show that layer), pantest (time pan/zoom redraws).
var OPT = {};
(location.hash || '').replace(/^#/, '').split('&').forEach(function (kv) {
  if (!kv) return; var i = kv.indexOf('=');
  OPT[decodeURIComponent(i < 0 ? kv : kv.slice(0, i))] = i < 0 ? true : decodeURIComponent(kv.slice(i + 1));
});
var SELFTEST = !!OPT.selftest, NOTILES = SELFTEST || !!OPT.notiles || !!OPT.pantest;

function esc(s) {
  return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
    return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
  });
}
function pct(v) { return v == null ? '–' : (100 * v).toFixed(1) + '%'; }
function mins(s) { return s == null ? '–' : (s / 60).toFixed(1) + ' ' + S.min; }
function fixed(v, d) { return v == null ? '–' : Number(v).toFixed(d); }
function lerp(a, b, t) { return Math.round(a + (b - a) * t); }
// The covered-share ramp of the maps (report::colour_ramp): its stops come in META.ramp and are
// interpolated with the same formula as the SVG/PNG maps; grey for no data.
var RAMP = META.ramp;
function ramp(v) {
  if (v == null || isNaN(v)) return RAMP.no_data;
  v = Math.max(0, Math.min(1, v));
  var s = RAMP.stops, i = s.length - 2;
  while (i > 0 && s[i][0] > v) i--;
  var a = s[i][1], b = s[i + 1][1], t = (v - s[i][0]) / (s[i + 1][0] - s[i][0]);
  return 'rgb(' + lerp(a[0], b[0], t) + ',' + lerp(a[1], b[1], t) + ',' + lerp(a[2], b[2], t) + ')';
}

var map = L.map('map', {zoomSnap: 0.25});
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution(esc(S.data_attr));
function pane(name, z, interactive) {
  var p = map.createPane(name); p.style.zIndex = z;
  if (!interactive) p.style.pointerEvents = 'none';
  return p;
}
pane('c15-iso', 420, false); pane('c15-unserved', 430, false);
pane('c15-fac', 610, false); pane('c15-sug', 620, true);
var isoRenderer = L.canvas({pane: 'c15-iso'}), unservedRenderer = L.canvas({pane: 'c15-unserved'});
// Facilities on one canvas (a city has ~10^4: one DOM element each would stall pan and zoom).
var facRenderer = L.canvas({pane: 'c15-fac'}), sugRenderer = L.svg({pane: 'c15-sug'});
// Communities on one canvas too (a city has ~4,000 outlines; SVG paths re-clipped at each move
// dominated pan and zoom). A canvas takes the pointer events over its whole area, so the facility
// pane lets them through and the community canvas asks the facility canvas first: a click on a
// marker opens the marker's popup, anywhere else the community's.
var commRenderer = L.canvas({pane: 'overlayPane'});
function canvasHit(r, e) {
  if (!r._map || !r._drawFirst) return null;
  var pt = r._map.mouseEventToLayerPoint(e), found = null;
  for (var o = r._drawFirst; o; o = o.next) {
    var l = o.layer;
    if (l.options.interactive && l._containsPoint(pt)) found = l;
  }
  return found;
}
(function (own) {
  commRenderer._onClick = function (e) {
    var f = canvasHit(facRenderer, e);
    if (f) {
      if (!(e.type === 'click' && map._draggableMoved(f))) facRenderer._fireEvent([f], e);
      return;
    }
    own.call(this, e);
  };
})(commRenderer._onClick);

// Base layers (assets/basemap.js): the --basemap tiles (online; none without --basemap), the
// walking network (offline), the district outline (--clip).
var BASE = C15Base.layers(map, META, S, NOTILES), bases = BASE.bases;

// Communities.
var colourBy = OPT.colour && CAT[OPT.colour] ? OPT.colour : 'score';
document.getElementById('c15-colour').value = colourBy;
function commValue(p) {
  if (colourBy === 'score') return p.score == null ? null : p.score / 100;
  return p[colourBy + '_covered_share'];
}
function commStyle(f) {
  return {renderer: commRenderer, color: '#555', weight: 1, opacity: 0.8,
          fillColor: ramp(commValue(f.properties)), fillOpacity: 0.5};
}
function commPopup(p) {
  var h = '<div class="c15-popup"><b class="c15-popup-name">' + esc(p.name || p.id) + '</b> <small>' + esc(p.id) + '</small><br>' +
    esc(S.population) + ': ' + fixed(p.population, 0) + ' (' + esc(p.population_source === 'given' ? S.given : S.estimated) + ') · ' +
    esc(S.score) + ': ' + fixed(p.score, 1) +
    '<table><tr><th>' + esc(S.category) + '</th><th>' + esc(S.covered) + '</th><th>' + esc(S.mean) + '</th><th>' +
    esc(S.p90) + '</th><th>' + esc(S.per_1000) + '</th><th>' + esc(S.pass) + '</th></tr>';
  CATS.forEach(function (c) {
    var pass = p[c.id + '_pass'];
    h += '<tr><td><i class="c15-dot" style="background:' + c.color + '"></i>' + esc(c.label) + '</td><td>' + pct(p[c.id + '_covered_share']) +
      '</td><td>' + mins(p[c.id + '_mean_s']) + '</td><td>' + mins(p[c.id + '_p90_s']) + '</td><td>' + fixed(p[c.id + '_per_1000'], 2) +
      '</td><td class="' + (pass === true ? 'c15-pass' : pass === false ? 'c15-fail' : '') + '">' +
      (pass === true ? esc(S.yes) : pass === false ? esc(S.no) : '–') + '</td></tr>';
  });
  return h + '</table></div>';
}
var comm = L.featureGroup();
COMM_PROPS.forEach(function (p, i) {
  var f = {properties: p};
  var l = L.polygon(mpoly(COMM.geom[i]), commStyle(f));
  l.feature = f;
  l.bindPopup(function () { return commPopup(p); }, {maxWidth: 560});
  l.addTo(comm);
});
// The view first: Leaflet adds layers (and creates their elements) once the map has one.
var bounds = comm.getBounds();
var view = typeof OPT.view === 'string' ? OPT.view.split(',').map(Number) : null;
if (view && view.length === 3 && view.every(isFinite)) map.setView([view[0], view[1]], view[2]);
else if (bounds.isValid()) map.fitBounds(bounds, {padding: [10, 10]}); else map.setView([0, 0], 2);
comm.addTo(map);

// Walk-sheds and unserved residents of the selected category.
var category = OPT.cat && CAT[OPT.cat] ? OPT.cat : document.getElementById('c15-category').value;
document.getElementById('c15-category').value = category;
var iso = L.layerGroup().addTo(map), unserved = L.layerGroup();
function drawIso() {
  iso.clearLayers();
  if (!ISO) return;
  var c = CAT[category];
  ISO.features.forEach(function (f) {
    if (f.properties.category !== category) return;
    L.polygon(mpoly(f.g), {renderer: isoRenderer, interactive: false,
      className: 'c15-isochrone', color: c.color, weight: 1.5, fillColor: c.color, fillOpacity: 0.22}).addTo(iso);
  });
}
function drawUnserved() {
  unserved.clearLayers();
  // Per demand point: flags ('1' = unserved); per grid cell (DEM.cell_m > 0): unserved
  // residents; null: everyone.
  var u = DEM.unserved[category];
  for (var i = 0; i < DEM.pop.length; i++) {
    var v = u == null ? DEM.pop[i] : typeof u === 'string' ? (u.charAt(i) === '1' ? DEM.pop[i] : 0) : u[i];
    if (!(v > 0)) continue;
    L.circleMarker(at(DEM, i), {renderer: unservedRenderer, interactive: false, stroke: false,
      radius: Math.max(2, Math.min(16, Math.sqrt(v) * 0.8)), fillColor: '#b2182b', fillOpacity: 0.35}).addTo(unserved);
  }
}

// Facilities: one layer per category, all shown.
var facLayers = {};
CATS.forEach(function (c) { facLayers[c.id] = L.layerGroup(); });
FAC.cat.forEach(function (k, i) {
  var c = CATS[k], used = FAC.used.charAt(i) === '1', cap = FAC.cap[i];
  var m = L.circleMarker(at(FAC, i), {renderer: facRenderer,
    radius: 5, color: '#222', weight: 1, fillColor: c.color, fillOpacity: used ? 0.95 : 0.25, dashArray: used ? null : [2, 2]});
  m.bindPopup(function () {
    return '<div class="c15-popup"><b>' + esc(FAC.name[i] || '–') + '</b><br>' + esc(c.label) + '<br>' +
      (cap != null ? esc(S.capacity) + ': ' + fixed(cap, 0) + '<br>' : '') +
      (used ? '' : esc(S.not_attached) + '<br>') + '<small>' + esc(FAC.osm[i]) + '</small></div>';
  });
  m.addTo(facLayers[c.id]);
});

// Suggested sites.
var sug = L.layerGroup();
if (SUG && SUG.features) {
  SUG.features.forEach(function (f) {
    if (!f.geometry || f.geometry.type !== 'Point') return;
    var p = f.properties || {}, c = CAT[p.category], g = f.geometry.coordinates;
    var m = L.circleMarker([g[1], g[0]], {renderer: sugRenderer, className: 'c15-suggestion', radius: 9,
      color: '#000', weight: 2.5, fillColor: c ? c.color : '#fff', fillOpacity: 0.9});
    m.bindTooltip(String(p.rank == null ? '' : p.rank), {permanent: true, direction: 'center', className: 'c15-rank'});
    m.bindPopup('<div class="c15-popup"><b>' + esc(S.suggestions) + ' #' + esc(p.rank) + '</b><br>' + esc(c ? c.label : p.category) +
      '<br>' + esc(S.gain) + ': ' + fixed(p.gain, 0) + '<br>' + esc(S.covered) + ': ' + pct(p.cumulative_covered_share) + '</div>');
    m.addTo(sug);
  });
  sug.addTo(map);
}

// Layer control (expanded, so no icon image is needed).
var overlays = BASE.overlays;
overlays[esc(S.communities)] = comm;
if (ISO) overlays[esc(S.walkshed)] = iso;
overlays[esc(S.unserved)] = unserved;
if (SUG) overlays[esc(S.suggestions)] = sug;
CATS.forEach(function (c) {
  if (!c.facilities) return;
  facLayers[c.id].addTo(map);
  overlays['<i class="c15-dot" style="background:' + c.color + '"></i>' + esc(c.label) + ' (' + c.facilities + ')'] = facLayers[c.id];
});
L.control.layers(bases, overlays, {collapsed: false, position: 'topright'}).addTo(map);
L.control.scale({imperial: false}).addTo(map);

// Legend.
var legend = L.control({position: 'bottomleft'});
legend.onAdd = function () { this._div = L.DomUtil.create('div', 'c15-legend'); L.DomEvent.disableClickPropagation(this._div); return this._div; };
legend.update = function () {
  var c = CAT[category];
  var what = colourBy === 'score' ? S.overall_score : CAT[colourBy].label + ' — ' + S.covered_share;
  var ends = colourBy === 'score' ? ['0', '50', '100'] : ['0%', '50%', '100%'];
  this._div.innerHTML = '<b>' + esc(S.legend) + '</b><br>' + esc(S.communities) + ': ' + esc(what) +
    '<div class="ramp" style="background:' + RAMP.css + '"></div><div class="ends"><span>' + ends.join('</span><span>') + '</span></div>' +
    '<i class="sq" style="background:' + RAMP.no_data + '"></i>' + esc(S.no_data) + '<br>' +
    (ISO ? '<i class="sq" style="background:' + c.color + ';opacity:.5"></i>' + esc(S.walkshed) + ': ' + esc(c.label) + ' (' + c.threshold_min + ' ' + esc(S.min) + ')<br>' : '') +
    '<i style="background:#b2182b;opacity:.5;border:0"></i>' + esc(S.unserved) + ' (' + esc(S.circle_area) +
      (DEM.cell_m ? '; ' + esc(S.per_cell) + ' ' + DEM.cell_m + ' m' : '') + ')<br>' +
    '<i style="background:' + c.color + '"></i>' + esc(S.facilities) + ' (' + esc(S.colour_is_category) + ')' +
    (SUG ? '<br><i style="background:#fff;border:2px solid #000"></i>' + esc(S.suggestions) : '');
};
legend.addTo(map);

function refresh() { comm.eachLayer(function (l) { l.setStyle(commStyle(l.feature)); }); legend.update(); }
document.getElementById('c15-colour').addEventListener('change', function (e) { colourBy = e.target.value; refresh(); });
document.getElementById('c15-category').addEventListener('change', function (e) {
  category = e.target.value; drawIso(); drawUnserved(); legend.update();
  Array.prototype.forEach.call(document.querySelectorAll('.c15-hist'), function (d) { d.hidden = d.getAttribute('data-cat') !== category; });
});
drawIso(); drawUnserved(); legend.update();
if (OPT.unserved) unserved.addTo(map);
Array.prototype.forEach.call(document.querySelectorAll('.c15-hist'), function (d) { d.hidden = d.getAttribute('data-cat') !== category; });

// Self-test for the browser test (URL with #selftest).
if (SELFTEST) {
  setTimeout(function () {
    var r = {
      communities_expected: COMM.n,
      // Canvas outlines: those on the map and projected by the community canvas.
      communities_rendered: 0,
      facilities_expected: META.facilities,
      // Canvas markers: those on the map and projected by the canvas renderer, and the canvas's
      // painted pixels.
      facilities_rendered: 0,
      facility_pixels: 0,
      isochrones_rendered: iso.getLayers().length,
      // The community colours at some shares, for comparison with the SVG/PNG maps' ramp.
      ramp_probe: [0, 0.05, 0.25, 0.4999, 0.5, 0.6, 0.875, 1, null].map(function (v) { return [v, ramp(v)]; }),
      clicked_id: null, popup_text: null,
      base: BASE.selftest()
    };
    CATS.forEach(function (c) {
      if (!map.hasLayer(facLayers[c.id])) return;
      facLayers[c.id].eachLayer(function (m) { if (m._map && m._renderer === facRenderer && m._pxBounds) r.facilities_rendered++; });
    });
    var cv = facRenderer._container;
    if (cv && cv.width && cv.height) {
      var px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      for (var j = 3; j < px.length; j += 4) if (px[j]) r.facility_pixels++;
    }
    comm.eachLayer(function (l) { if (l._map && l._renderer === commRenderer && l._pxBounds) r.communities_rendered++; });
    // Click the first named community at a pixel where the community canvas's hit-test finds it,
    // in view, off the facility markers and with the canvas topmost there.
    var target = null, name = null, size = map.getSize(), box = map.getContainer().getBoundingClientRect();
    var layers = comm.getLayers();
    for (var i = 0; i < layers.length && !target; i++) {
      var l = layers[i], p = l.feature.properties, b = l._pxBounds;
      if (!p.name || !b) continue;
      for (var gy = 1; gy < 12 && !target; gy++) {
        for (var gx = 1; gx < 12 && !target; gx++) {
          var lp = L.point(b.min.x + (b.max.x - b.min.x) * gx / 12, b.min.y + (b.max.y - b.min.y) * gy / 12);
          var cp = map.layerPointToContainerPoint(lp);
          if (cp.x < 5 || cp.y < 5 || cp.x > size.x - 5 || cp.y > size.y - 5) continue;
          var cx = box.left + cp.x, cy = box.top + cp.y, ev = {clientX: cx, clientY: cy};
          // The community the canvas finds there (the last drawn of overlapping ones) is this one.
          if (canvasHit(commRenderer, ev) !== l || canvasHit(facRenderer, ev)) continue;
          if (document.elementFromPoint(cx, cy) !== commRenderer._container) continue;
          target = [l, lp]; name = p.name; r.clicked_id = p.id;
        }
      }
    }
    // The click is fired on the layer the canvas hit-test finds there (a synthetic DOM click on
    // the canvas did not reach Leaflet's handler in headless Chromium; not investigated yet).
    if (target) {
      target[0].fire('click', {latlng: map.layerPointToLatLng(target[1]), layerPoint: target[1],
        containerPoint: map.layerPointToContainerPoint(target[1])});
    }
    setTimeout(function () {
      var pc = document.querySelector('.leaflet-popup-content');
      r.popup_text = pc ? pc.textContent : null;
      r.ok = r.communities_rendered === r.communities_expected && r.facilities_rendered === r.facilities_expected &&
        (r.facilities_expected === 0 || r.facility_pixels > 0) &&
        !!(r.popup_text && name && r.popup_text.indexOf(name) >= 0);
      var pre = document.getElementById('selftest');
      pre.textContent = JSON.stringify(r);
      document.title = 'selftest:' + (r.ok ? 'ok' : 'fail');
    }, 200);
  }, 300);
}
// For the what-if panel (assets/whatif.js).
window.C15 = {map: map, OPT: OPT, lang: META.lang, strings: S, categories: CATS, suggestions: SUG, input: META.input,
  communityNames: COMM_PROPS.map(function (p) { return p.name; }), category: function () { return category; }};

// Pan/zoom timing (URL with #pantest; benches/README.md): from the fitted view to four levels
// closer, a zoom step and then 8 pans of a third of the map each, each timed with its canvas
// redraws (Leaflet paints canvases at moveend: communities, walk-sheds, unserved, facilities,
// streets with their street-zoom tiles), the SVG paths' update and a forced layout; the
// facility canvas's share is summed apart. The figures go into <pre id="selftest"> as JSON.
function panZoomTest() {
  var canvases = [commRenderer, isoRenderer, unservedRenderer, facRenderer, BASE.renderer];
  function flush() {
    canvases.forEach(function (r) {
      if (r._redrawRequest) { L.Util.cancelAnimFrame(r._redrawRequest); r._redrawRequest = null; r._redraw(); }
    });
    return document.body.offsetHeight;
  }
  var facMs = 0, paths = facRenderer._updatePaths;
  facRenderer._updatePaths = function () { var t = performance.now(); paths.call(this); facMs += performance.now() - t; };
  var z0 = map.getZoom(), c0 = map.getCenter(), size = map.getSize();
  var out = {width: size.x, height: size.y, communities: COMM.n, facilities: META.facilities, steps: []};
  for (var dz = 0; dz <= 4; dz++) {
    var t = performance.now();
    map.setView(c0, z0 + dz, {animate: false}); flush();
    var zoomMs = performance.now() - t, pans = [];
    for (var k = 0; k < 8; k++) {
      var dx = (k % 2 ? -1 : 1) * size.x / 3, dy = (k % 4 < 2 ? 1 : -1) * size.y / 5;
      t = performance.now(); map.panBy([dx, dy], {animate: false}); flush(); pans.push(performance.now() - t);
    }
    pans.sort(function (a, b) { return a - b; });
    out.steps.push({zoom: z0 + dz, zoom_ms: +zoomMs.toFixed(1), pan_median_ms: +pans[4].toFixed(1),
      pan_max_ms: +pans[7].toFixed(1)});
  }
  out.facility_canvas_ms = +facMs.toFixed(1);
  document.getElementById('selftest').textContent = JSON.stringify(out);
  document.title = 'pantest:done';
}
// Run while the page loads, so that `chromium --headless --dump-dom` (no virtual time, whose
// clock stands still during a script) prints the result.
if (OPT.pantest) panZoomTest();
})();
