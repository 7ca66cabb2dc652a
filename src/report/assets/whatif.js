// What-if panel of report.html: add / remove facilities on the map and re-score the category in
// the page, with the command line's arithmetic (report::whatif_data documents the rules and the
// data block). Reads window.C15 (map, suggestions, current category) set by report.js.
(function () {
'use strict';
var C = window.C15, el = document.getElementById('c15-whatif');
if (!C || !el) return;
var D = JSON.parse(el.textContent);
var S = C.strings || {};
var sec = document.createElement('section');
sec.id = 'c15-whatif-panel';
var anchor = document.getElementById('c15-map-section');
anchor.parentNode.insertBefore(sec, anchor.nextSibling);
if (D.unavailable) {
  sec.innerHTML = '<h2>What-if</h2><p class="c15-note" id="c15-wi-unavailable"></p>';
  document.getElementById('c15-wi-unavailable').textContent = 'Not embedded: ' + D.unavailable;
  return;
}
function bytes(b64) { var s = atob(b64), u = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i); return u; }
// The arrays come in one raw-deflate blob (report::whatif_data), inflated here synchronously
// (RFC 1951, after zlib's puff.c) so the panel is ready when the page has loaded.
function inflate(src, outLen) {
  var out = new Uint8Array(outLen), op = 0, pos = 0, bb = 0, bc = 0;
  function bits(n) { while (bc < n) { bb |= (src[pos++] | 0) << bc; bc += 8; } var v = bb & ((1 << n) - 1); bb >>>= n; bc -= n; return v; }
  function build(lengths, n) {
    var counts = new Uint16Array(16), offs = new Uint16Array(16), syms = new Uint16Array(n), i;
    for (i = 0; i < n; i++) counts[lengths[i]]++;
    counts[0] = 0;
    for (i = 1; i < 16; i++) offs[i] = offs[i - 1] + counts[i - 1];
    for (i = 0; i < n; i++) if (lengths[i]) syms[offs[lengths[i]]++] = i;
    return {counts: counts, syms: syms};
  }
  function decode(h) {
    var code = 0, first = 0, index = 0;
    for (var len = 1; len < 16; len++) {
      code |= bits(1);
      var count = h.counts[len];
      if (code - count < first) return h.syms[index + (code - first)];
      index += count; first += count; first <<= 1; code <<= 1;
    }
    throw new Error('bad deflate code');
  }
  var LB = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
  var LE = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  var DB = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  var DE = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
  var ORD = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
  var last, i;
  do {
    last = bits(1);
    var type = bits(2), lit, dist;
    if (type === 0) {
      bb = 0; bc = 0;
      var n = src[pos] | src[pos + 1] << 8; pos += 4;
      out.set(src.subarray(pos, pos + n), op); op += n; pos += n;
      continue;
    }
    var L = new Uint8Array(320);
    if (type === 1) {
      for (i = 0; i < 144; i++) L[i] = 8;
      for (; i < 256; i++) L[i] = 9;
      for (; i < 280; i++) L[i] = 7;
      for (; i < 288; i++) L[i] = 8;
      lit = build(L, 288);
      var Ld = new Uint8Array(30).fill(5); dist = build(Ld, 30);
    } else if (type === 2) {
      var hlit = bits(5) + 257, hdist = bits(5) + 1, hclen = bits(4) + 4, CL = new Uint8Array(19);
      for (i = 0; i < hclen; i++) CL[ORD[i]] = bits(3);
      var lc = build(CL, 19), idx = 0;
      while (idx < hlit + hdist) {
        var sym = decode(lc), rep = 0, val = 0;
        if (sym < 16) { L[idx++] = sym; continue; }
        if (sym === 16) { val = L[idx - 1]; rep = 3 + bits(2); } else if (sym === 17) rep = 3 + bits(3); else rep = 11 + bits(7);
        while (rep--) L[idx++] = val;
      }
      lit = build(L.subarray(0, hlit), hlit); dist = build(L.subarray(hlit, hlit + hdist), hdist);
    } else throw new Error('bad deflate block');
    for (;;) {
      var s = decode(lit);
      if (s < 256) { out[op++] = s; continue; }
      if (s === 256) break;
      s -= 257;
      var len = LB[s] + bits(LE[s]), ds = decode(dist), back = DB[ds] + bits(DE[ds]);
      for (var c = 0; c < len; c++) { out[op] = out[op - back]; op++; }
    }
  } while (!last);
  return out.buffer;
}
main(inflate(bytes(D.blob), D.blob_bytes));
function main(BUF) {
function arr(name) {
  var e = D.arrays[name]; if (!e) return null;
  return e[0] === 'u32' ? new Uint32Array(BUF, e[1], e[2]) : e[0] === 'i32' ? new Int32Array(BUF, e[1], e[2]) : new Float64Array(BUF, e[1], e[2]);
}
function undelta(a) { var out = new Int32Array(a.length), p = 0; for (var i = 0; i < a.length; i++) { p = (p + a[i]) | 0; out[i] = p; } return out; }
var INF = 4294967295, NONE = 4294967295;
var N0 = D.n, FP = D.first_point, OFF = arr('offsets'), W0 = arr('weights_ds'), RANK = arr('rank');
var TGT = new Uint32Array(W0.length);
(function () { var rel = arr('targets_rel'); for (var v = 0; v < N0; v++) for (var i = OFF[v]; i < OFF[v + 1]; i++) TGT[i] = v + rel[i]; })();
var FW0 = null;
if (D.arrays.flat_minus_weights) { var fm = arr('flat_minus_weights'); FW0 = new Uint32Array(W0.length); for (var fi = 0; fi < W0.length; fi++) FW0[fi] = W0[fi] + fm[fi]; }
var LON = new Float64Array(N0), LAT = new Float64Array(N0);
(function () {
  var fx = undelta(arr('fixed_ll_delta')), ex = undelta(arr('exact_nodes_delta')), ell = arr('exact_ll');
  for (var v = 0; v < N0; v++) { LON[v] = fx[2 * v] * 1e-7; LAT[v] = fx[2 * v + 1] * 1e-7; }
  for (var j = 0; j < ex.length; j++) { LON[ex[j]] = ell[2 * j]; LAT[ex[j]] = ell[2 * j + 1]; }
})();
var SPEED = D.speed_mps, STEPS_SPEED = D.speed_mps * D.steps_factor, LIMIT = D.snap_limit_m;
var RAD = Math.PI / 180, R2 = 2.0 * 6371008.8;
// geom::haversine_m, operation for operation.
function hav(a0, a1, b0, b1) {
  var lat1 = a1 * RAD, lat2 = b1 * RAD, dlat = lat2 - lat1, dlon = (b0 - a0) * RAD;
  var s1 = Math.sin(dlat * 0.5), s2 = Math.sin(dlon * 0.5);
  var h = s1 * s1 + Math.cos(lat1) * Math.cos(lat2) * (s2 * s2);
  return R2 * Math.asin(Math.min(Math.sqrt(h), 1.0));
}
// graph::build weight_ds.
function wds(len, speed) { var w = Math.round(len / speed * 10.0); return isFinite(w) ? Math.min(Math.max(w, 0), 1073741823) : 1073741823; }
function isOsm(v) { return v < FP && RANK[v] !== NONE; }
function edgeIdx(u, v) { for (var i = OFF[u]; i < OFF[u + 1]; i++) if (TGT[i] === v) return i; return -1; }

// Street segments (graph::build's, before splitting), with their chains of split nodes.
var SEG_A = [], SEG_B = [], SEG_CHAIN = [], SEG_STEPS = [];
for (var u = 0; u < FP; u++) {
  if (!isOsm(u)) continue;
  for (var i = OFF[u]; i < OFF[u + 1]; i++) {
    var x = TGT[i];
    if (x >= FP) continue;
    var chain = [u], prev = u, cur = x, ok = true;
    while (!isOsm(cur)) {
      chain.push(cur);
      var nx = -1;
      for (var j = OFF[cur]; j < OFF[cur + 1]; j++) { var y = TGT[j]; if (y < FP && y !== prev) { nx = y; break; } }
      if (nx < 0) { ok = false; break; }
      prev = cur; cur = nx;
    }
    if (!ok || cur === u || RANK[u] > RANK[cur]) continue;
    chain.push(cur);
    SEG_A.push(u); SEG_B.push(cur); SEG_CHAIN.push(chain);
  }
}
(function () {
  var ord = SEG_A.map(function (_, s) { return s; });
  ord.sort(function (p, q) { return RANK[SEG_A[p]] - RANK[SEG_A[q]] || RANK[SEG_B[p]] - RANK[SEG_B[q]]; });
  SEG_A = ord.map(function (s) { return SEG_A[s]; }); SEG_B = ord.map(function (s) { return SEG_B[s]; });
  SEG_CHAIN = ord.map(function (s) { return SEG_CHAIN[s]; });
})();
var NS = SEG_A.length;
for (var s = 0; s < NS; s++) {
  var st = false, ch = SEG_CHAIN[s];
  if (FW0) for (var q = 0; q + 1 < ch.length; q++) { var e = edgeIdx(ch[q], ch[q + 1]); if (W0[e] !== FW0[e]) st = true; }
  SEG_STEPS.push(st);
}
// Major components (graph::build major_components): at least 200 street nodes, or the largest.
var MAJOR = new Uint8Array(NS), ALL_MAJOR = true;
(function () {
  var parent = new Int32Array(FP);
  for (var v = 0; v < FP; v++) parent[v] = v;
  function find(x) { while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
  for (var s = 0; s < NS; s++) { var a = find(SEG_A[s]), b = find(SEG_B[s]); if (a !== b) parent[Math.max(a, b)] = Math.min(a, b); }
  var size = new Int32Array(FP), largest = 0;
  for (var v2 = 0; v2 < FP; v2++) if (isOsm(v2)) { var r = find(v2); size[r]++; if (size[r] > largest) largest = size[r]; }
  for (var s2 = 0; s2 < NS; s2++) { MAJOR[s2] = size[find(SEG_A[s2])] >= Math.min(200, largest) ? 1 : 0; if (!MAJOR[s2]) ALL_MAJOR = false; }
})();
var LON0 = D.proj[0], LAT0 = D.proj[1], KX = D.proj[2], KY = D.proj[3];
var SAX = new Float64Array(NS), SAY = new Float64Array(NS), SBX = new Float64Array(NS), SBY = new Float64Array(NS);
for (var s3 = 0; s3 < NS; s3++) {
  SAX[s3] = (LON[SEG_A[s3]] - LON0) * KX; SAY[s3] = (LAT[SEG_A[s3]] - LAT0) * KY;
  SBX[s3] = (LON[SEG_B[s3]] - LON0) * KX; SBY[s3] = (LAT[SEG_B[s3]] - LAT0) * KY;
}
// graph::snap for a plain point: nearest segment (lowest index on ties) of a major component
// within the limit, else of any component; null when none is within the limit.
function nearestSeg(lon, lat, majorOnly) {
  var px = (lon - LON0) * KX, py = (lat - LAT0) * KY, best = -1, bd = Infinity, bt = 0;
  for (var s = 0; s < NS; s++) {
    if (majorOnly && !MAJOR[s]) continue;
    var d0 = SBX[s] - SAX[s], d1 = SBY[s] - SAY[s], len2 = d0 * d0 + d1 * d1, t = 0;
    if (len2 > 0) t = Math.min(Math.max(((px - SAX[s]) * d0 + (py - SAY[s]) * d1) / len2, 0), 1);
    var q0 = SAX[s] + d0 * t - px, q1 = SAY[s] + d1 * t - py, d2 = q0 * q0 + q1 * q1;
    if (d2 < bd) { bd = d2; best = s; bt = t; }
  }
  if (best < 0) return null;
  var a = SEG_A[best], b = SEG_B[best];
  var on0 = LON[a] + (LON[b] - LON[a]) * bt, on1 = LAT[a] + (LAT[b] - LAT[a]) * bt;
  var acc = hav(lon, lat, on0, on1);
  return acc <= LIMIT ? {seg: best, t: bt, access_m: acc} : null;
}
function snap(lon, lat) { return nearestSeg(lon, lat, true) || (ALL_MAJOR ? null : nearestSeg(lon, lat, false)); }
// Position along segment s of a baseline split node.
function tOf(s, v) {
  var a = SEG_A[s], b = SEG_B[s], d0 = LON[b] - LON[a], d1 = LAT[b] - LAT[a];
  return ((LON[v] - LON[a]) * d0 + (LAT[v] - LAT[a]) * d1) / (d0 * d0 + d1 * d1);
}
// Point nodes joined to each split node (a connector or an entrance arc leaves the point).
var USERS = new Uint32Array(FP);
for (var pv = FP; pv < N0; pv++) for (var pe = OFF[pv]; pe < OFF[pv + 1]; pe++) if (TGT[pe] < FP) USERS[TGT[pe]]++;
var SEG_OF_SPLIT = {};
SEG_CHAIN.forEach(function (ch, s) { for (var k = 1; k + 1 < ch.length; k++) SEG_OF_SPLIT[ch[k]] = s; });

// Facilities, demand, categories.
var FAC = D.facilities, CATS = D.categories, NCAT = CATS.length;
var CAT_IX = {}; CATS.forEach(function (c, k) { CAT_IX[c.id] = k; });
var DN = arr('demand_node'), DC = arr('demand_community'), DPOP = arr('demand_population'), ND = DN.length;
var POP = D.community_population, NC = POP.length;
// Weight sets: per-community shares of each point's residents (the product of
// access::demand_weights), or the weights in full.
var WSETS = D.weight_sets.map(function (kind, i) {
  var a = arr('set' + i);
  if (kind !== 'share') return a;
  var w = new Float64Array(ND); for (var d = 0; d < ND; d++) w[d] = DPOP[d] * a[DC[d]]; return w;
});
var DEM_OF = new Int32Array(N0).fill(-1);
for (var d = 0; d < ND; d++) if (DN[d] >= 0) DEM_OF[DN[d]] = d;
var BY_COMM = []; for (var c = 0; c < NC; c++) BY_COMM.push([]);
for (var d2 = 0; d2 < ND; d2++) BY_COMM[DC[d2]].push(d2);
var ALL_IDX = []; for (var d3 = 0; d3 < ND; d3++) ALL_IDX.push(d3);
var TOTAL_POP = 0; for (var c2 = 0; c2 < NC; c2++) TOTAL_POP += POP[c2];
var FAC_BY_ID = {}; FAC.forEach(function (f, i) { (FAC_BY_ID[f.id] = FAC_BY_ID[f.id] || []).push(i); });

// graph::build split_pieces_ds: a split segment's pieces by cumulative rounding from its first
// node (each node's rounded time from it, kept between the previous one and the whole segment).
function pieces(G, chain, len, speed) {
  var total = wds(len, speed), a = G.pos(chain[0]), prev = 0, out = [];
  for (var i = 1; i + 1 < chain.length; i++) {
    var p = G.pos(chain[i]), cum = Math.min(Math.max(wds(hav(a[0], a[1], p[0], p[1]), speed), prev), total);
    out.push(cum - prev); prev = cum;
  }
  out.push(total - prev);
  return out;
}
// ---- The scenario graph: the baseline CSR with masked edges plus extra nodes and edges. ----
function buildGraph(edits) {
  var G = {W: W0.slice(), FW: FW0 ? FW0.slice() : null, xadj: {}, lon: [], lat: [], n: N0, removed: {}, added: []};
  function addEdge(u, v, w, fw) { (G.xadj[u] = G.xadj[u] || []).push(v, w, fw); }
  function mask(u, v) { var e = edgeIdx(u, v); if (e >= 0) { G.W[e] = INF; if (G.FW) G.FW[e] = INF; } }
  function newNode(lon, lat) { G.lon.push(lon); G.lat.push(lat); return G.n++; }
  G.pos = function (v) { return v < N0 ? [LON[v], LAT[v]] : [G.lon[v - N0], G.lat[v - N0]]; };
  // Point users of each split node.
  var users = {}, segEntries = {};
  function touch(s) {
    if (!segEntries[s]) segEntries[s] = SEG_CHAIN[s].slice(1, -1).map(function (v) { return {t: tOf(s, v), node: v, base: true}; });
    return segEntries[s];
  }
  edits.forEach(function (e) { if (e.type === 'remove') (FAC_BY_ID[e.id] || []).forEach(function (i) { G.removed[i] = true; }); });
  Object.keys(G.removed).forEach(function (i) {
    var v = FAC[i].node;
    if (v < 0) return;
    for (var j = OFF[v]; j < OFF[v + 1]; j++) {
      var x = TGT[j];
      G.W[j] = INF; if (G.FW) G.FW[j] = INF; mask(x, v);
      if (x < FP && !isOsm(x)) {
        if (users[x] === undefined) users[x] = USERS[x];
        users[x]--;
        if (users[x] === 0) { var s = SEG_OF_SPLIT[x]; touch(s); segEntries[s] = segEntries[s].filter(function (en) { return en.node !== x; }); }
      }
    }
  });
  edits.forEach(function (e, n) {
    if (e.type !== 'add') return;
    var sn = snap(e.lon, e.lat), add = {edit: n, k: e.k, cap: e.cap, node: -1, street: -1};
    G.added.push(add);
    if (!sn) return;
    var a = SEG_A[sn.seg], b = SEG_B[sn.seg], len = hav(LON[a], LAT[a], LON[b], LAT[b]);
    add.node = newNode(e.lon, e.lat);
    if (sn.t * len <= 0.5) add.street = a;
    else if ((1 - sn.t) * len <= 0.5) add.street = b;
    else touch(sn.seg).push({t: sn.t, node: -1, base: false, add: add});
  });
  // Rebuild every touched segment's chain as graph::build does (sorted by t, a split within
  // 5 cm of the previous one shares its node).
  // Baseline nodes whose edges change: a search that settles none of them is unchanged.
  G.mod = [];
  Object.keys(segEntries).forEach(function (sk) { SEG_CHAIN[+sk].forEach(function (v) { G.mod.push(v); }); });
  Object.keys(segEntries).forEach(function (sk) {
    var s = +sk, a = SEG_A[s], b = SEG_B[s], len = hav(LON[a], LAT[a], LON[b], LAT[b]);
    var ents = segEntries[s].slice().sort(function (p, q) { return p.t - q.t || (p.base ? 0 : 1) - (q.base ? 0 : 1); });
    var chain = [a], lastT = null, lastNode = -1;
    ents.forEach(function (en) {
      var node;
      if (lastT !== null && (en.t - lastT) * len <= 0.05) node = lastNode;
      else {
        node = en.base ? en.node : newNode(LON[a] + (LON[b] - LON[a]) * en.t, LAT[a] + (LAT[b] - LAT[a]) * en.t);
        chain.push(node); lastT = en.t; lastNode = node;
      }
      if (en.add) en.add.street = node;
      else if (node !== en.node) {
        // A baseline split merged into a new one: its points move their connectors.
        for (var j = OFF[en.node]; j < OFF[en.node + 1]; j++) {
          var p = TGT[j];
          if (p < FP || G.W[j] === INF) continue;
          var pp = G.pos(p), np = G.pos(node), w = wds(hav(pp[0], pp[1], np[0], np[1]), SPEED);
          mask(p, en.node); G.W[j] = INF; if (G.FW) G.FW[j] = INF;
          addEdge(p, node, w, w); addEdge(node, p, w, w);
        }
      }
    });
    chain.push(b);
    var old = SEG_CHAIN[s];
    for (var k = 0; k + 1 < old.length; k++) { mask(old[k], old[k + 1]); mask(old[k + 1], old[k]); }
    var sp = SEG_STEPS[s] ? STEPS_SPEED : SPEED, ws = pieces(G, chain, len, sp), fws = pieces(G, chain, len, SPEED);
    for (var m = 0; m + 1 < chain.length; m++) {
      addEdge(chain[m], chain[m + 1], ws[m], fws[m]); addEdge(chain[m + 1], chain[m], ws[m], fws[m]);
    }
  });
  G.added.forEach(function (ad) {
    if (ad.node < 0) return;
    var p = G.pos(ad.node), q = G.pos(ad.street), w = wds(hav(p[0], p[1], q[0], q[1]), SPEED);
    addEdge(ad.node, ad.street, w, w); addEdge(ad.street, ad.node, w, w);
  });
  Object.keys(G.xadj).forEach(function (k) { G.xadj[k] = G.xadj[k]; });
  G.hasX = new Uint8Array(G.n);
  Object.keys(G.xadj).forEach(function (k) { G.hasX[+k] = 1; });
  return G;
}

// ---- Searches: Dijkstra with a binary heap of packed keys (time × 2^22 + node). ----
var SH = 4194304;
function Search(n) {
  this.dist = new Uint32Array(n).fill(INF); this.heap = new Float64Array(1024); this.hn = 0; this.touched = [];
}
Search.prototype.push = function (key) {
  if (this.hn === this.heap.length) { var h = new Float64Array(this.hn * 2); h.set(this.heap); this.heap = h; }
  var hp = this.heap, i = this.hn++;
  while (i > 0) { var p = (i - 1) >> 1; if (hp[p] <= key) break; hp[i] = hp[p]; i = p; }
  hp[i] = key;
};
Search.prototype.pop = function () {
  var hp = this.heap, top = hp[0], last = hp[--this.hn], i = 0, n = this.hn;
  while (true) { var l = 2 * i + 1; if (l >= n) break; var r = l + 1, c = r < n && hp[r] < hp[l] ? r : l; if (hp[c] >= last) break; hp[i] = hp[c]; i = c; }
  hp[i] = last; return top;
};
// Runs from sources up to limit; calls visit(v, d) for every settled node (d <= limit).
function run(G, metre, sources, limit, visit, S0) {
  var W = metre && G.FW ? G.FW : G.W, xs = metre && G.FW ? 2 : 1;
  var sr = S0 || new Search(G.n), dist = sr.dist;
  for (var t = 0; t < sr.touched.length; t++) dist[sr.touched[t]] = INF;
  sr.touched.length = 0; sr.hn = 0;
  sources.forEach(function (v) { if (dist[v] !== 0) { dist[v] = 0; sr.touched.push(v); sr.push(v); } });
  while (sr.hn > 0) {
    var key = sr.pop(), dv = Math.floor(key / SH), v = key - dv * SH;
    if (dv !== dist[v]) continue;
    if (dv > limit) break;
    if (visit) visit(v, dv);
    if (v < N0) {
      for (var i = OFF[v], e = OFF[v + 1]; i < e; i++) {
        var w = W[i]; if (w === INF) continue;
        var nd = dv + w, u = TGT[i];
        if (nd < dist[u]) { if (dist[u] === INF) sr.touched.push(u); dist[u] = nd; sr.push(nd * SH + u); }
      }
    }
    if (G.hasX[v]) {
      var xa = G.xadj[v];
      for (var k = 0; k < xa.length; k += 3) {
        var nd2 = dv + xa[k + xs], u2 = xa[k];
        if (nd2 < dist[u2]) { if (dist[u2] === INF) sr.touched.push(u2); dist[u2] = nd2; sr.push(nd2 * SH + u2); }
      }
    }
  }
  return sr;
}

// ---- Figures (score::coverage_of, score::sfca, score::communities). ----
var SCALE = 4294967296;
function members(G, edits, k) {
  var out = [];
  FAC.forEach(function (f, i) {
    if (G.removed[i]) return;
    f.cats.forEach(function (c) { if (c[0] === k) out.push({node: f.node, cap: c[1], pub: f.public === true, bi: i}); });
  });
  G.added.forEach(function (ad) {
    if (ad.k !== k) return;
    var cap = ad.cap != null ? ad.cap : CATS[k].default_capacity;
    out.push({node: ad.node, cap: cap == null ? null : cap, pub: false});
  });
  return out;
}
// score::coverage_of; the 90th percentile walks the points sorted by time (ties in index order,
// as the stable sort there), here one native sort of keys min(time, cap + 1) × 2^21 + position.
var KEYS = new Float64Array(1024);
function coverage(idx, w, pt, thr, cap) {
  var s = {demand: 0, covered: 0, covered_share: null, mean_s: null, p90_s: null}, tsum = 0, n = idx.length;
  if (KEYS.length < n) KEYS = new Float64Array(n);
  var keys = KEYS.subarray(0, n);
  for (var j = 0; j < n; j++) {
    var i = idx[j], wi = w[i], t = pt[i];
    s.demand += wi;
    if (t <= thr) s.covered += wi;
    if (t === INF || t > cap) tsum += wi * cap; else tsum += wi * t;
    keys[j] = Math.min(t, cap + 1) * 2097152 + j;
  }
  if (s.demand <= 0) return s;
  s.covered_share = s.covered / s.demand; s.mean_s = tsum / s.demand / 10;
  keys.sort();
  var target = 0.9 * s.demand, acc = 0;
  for (var b = 0; b < n; b++) {
    var jj = keys[b] % 2097152, tt = pt[idx[jj]];
    acc += w[idx[jj]];
    if (acc >= target - 1e-9 * s.demand) { s.p90_s = tt !== INF && tt <= cap ? tt / 10 : null; break; }
  }
  return s;
}
var SEARCH = null, CACHE = {};
// Whether a baseline facility's search may differ: it settled a changed node, or its own
// connector leads to one.
function dirty(G, c, node) {
  if (G.mod.some(function (v) { return has(c.nodes, v); })) return true;
  for (var i = OFF[node]; i < OFF[node + 1]; i++) if (G.mod.indexOf(TGT[i]) >= 0) return true;
  return false;
}
function has(sorted, v) { var lo = 0, hi = sorted.length; while (lo < hi) { var m = (lo + hi) >> 1; if (sorted[m] < v) lo = m + 1; else hi = m; } return lo < sorted.length && sorted[lo] === v; }
function score(edits, k) {
  var t0 = performance.now();
  var G = buildGraph(edits), tb = performance.now(), cat = CATS[k], w = WSETS[cat.weights], thr = cat.threshold_ds, cap = cat.cap_ds;
  var mem = members(G, edits, k);
  var assessed = mem.length > 0 || cat.declared_complete;
  if (!SEARCH || SEARCH.dist.length < G.n + 64) SEARCH = new Search(G.n + 1024);
  var src = mem.filter(function (m) { return m.node >= 0; }).map(function (m) { return m.node; });
  var sr = run(G, cat.metre, src, cap, null, SEARCH);
  var pt = new Float64Array(ND);
  for (var i = 0; i < ND; i++) pt[i] = DN[i] >= 0 ? sr.dist[DN[i]] : INF;
  var t1 = performance.now(), t2;
  // 2SFCA: every member has a capacity.
  var sfca = null;
  if (mem.length && mem.every(function (m) { return m.cap != null; })) {
    var reach = new Uint32Array(ND), accFix = new Float64Array(ND), lists = [];
    // Step 1 of a baseline facility whose baseline search settled no changed node is reused.
    var cache = CACHE[k] || (CACHE[k] = {});
    mem.forEach(function (m) {
      var dsum = 0, list = [], c = m.bi !== undefined ? cache[m.bi] : null;
      if (c && edits.length && !dirty(G, c, m.node)) { dsum = c.dsum; list = c.list; }
      else if (m.node >= 0) {
        var nodes = edits.length ? null : [];
        run(G, cat.metre, [m.node], thr, function (v) {
          if (nodes) nodes.push(v);
          if (v < N0) { var di = DEM_OF[v]; if (di >= 0) { dsum += w[di]; list.push(di); } }
        }, SEARCH);
        if (nodes && m.bi !== undefined) cache[m.bi] = {dsum: dsum, list: list, nodes: new Uint32Array(nodes).sort()};
      }
      var ratio = dsum > 0 ? Math.min(m.cap / dsum, 1e6) : null;
      lists.push([list, ratio == null ? 0 : Math.round(ratio * SCALE)]);
    });
    lists.forEach(function (l) { for (var j = 0; j < l[0].length; j++) { reach[l[0][j]]++; accFix[l[0][j]] += l[1]; } });
    var access = new Float64Array(ND);
    for (var a = 0; a < ND; a++) access[a] = accFix[a] / SCALE;
    sfca = {reach: reach, access: access};
  }
  t2 = performance.now();
  function fig(idx, pop) {
    var st = coverage(idx, w, pt, thr, cap), r = {demand: st.demand};
    if (!assessed) return r;
    r.covered = st.covered; r.covered_share = st.covered_share; r.mean_s = st.mean_s; r.p90_s = st.p90_s;
    r.unserved = st.demand - st.covered;
    r.pass = st.covered_share == null ? null : st.covered_share + 1e-12 >= cat.coverage_target;
    r.per_1000 = null; r.quota_pass = null; r.reachable = null;
    if (sfca) {
      var wsum = 0, rs = 0, acc = 0;
      for (var j = 0; j < idx.length; j++) wsum += w[idx[j]];
      if (wsum > 0) { for (var j2 = 0; j2 < idx.length; j2++) rs += w[idx[j2]] * sfca.reach[idx[j2]]; r.reachable = rs / wsum; }
      for (var j3 = 0; j3 < idx.length; j3++) acc += w[idx[j3]] * sfca.access[idx[j3]];
      var base = cat.quota_group ? wsum : pop;
      if (base > 0) {
        r.per_1000 = 1000 * acc / base;
        if (cat.quota_per_1000 != null) r.quota_pass = 1000 * acc / base + 1e-9 >= cat.quota_per_1000;
      }
    }
    return r;
  }
  var comms = [];
  for (var ci = 0; ci < NC; ci++) comms.push(fig(BY_COMM[ci], POP[ci]));
  var area = fig(ALL_IDX, TOTAL_POP);
  area.facilities = mem.length;
  area.capacity_total = 0; mem.forEach(function (m) { if (m.cap != null) area.capacity_total += m.cap; });
  if (assessed) {
    area.failing_communities = comms.filter(function (x) { return x.pass === false || x.quota_pass === false; }).length;
    area.pass = area.covered_share == null ? null : area.covered_share + 1e-12 >= cat.coverage_target && area.quota_pass !== false;
  }
  var t3 = performance.now();
  return {G: G, comms: comms, area: area, assessed: assessed, ms: t3 - t0, parts_ms: [tb - t0, t1 - tb, t2 - t1, t3 - t2], pt: pt};
}
// report::format::round: half away from zero, -0 → 0.
function rnd(x, d) { if (x == null) return null; var f = Math.pow(10, d), r = Math.sign(x) * Math.round(Math.abs(x) * f) / f; return r === 0 ? 0 : r; }
var PRINT = {covered_share: 4, mean_s: 1, p90_s: 1, unserved: 1, reachable: 2, per_1000: 3, demand: 1, covered: 1, capacity_total: 1};
function printed(r) {
  var o = {};
  Object.keys(r).forEach(function (key) { o[key] = PRINT[key] !== undefined ? rnd(r[key], PRINT[key]) : r[key]; });
  return o;
}

// ---- The panel. ----
var ZH = C.lang === 'zh', T = ZH ? {
  whatif: '假设情景（What-if）', on: '在地图上试选址', category: '类别', adds: '点击添加设施', removes: '点击移除最近设施',
  capacity: '容量', undo: '撤销', reset: '重置', exp: '导出', csv: '设施 CSV', sites: '建议选址', now: '现状', scen: '情景',
  facilities: '设施数', covered: '覆盖居民', share: '覆盖率 %', per1000: '千人指标', passq: '达标（覆盖/千人指标）',
  failing: '未达标社区', community: '社区', affected: '个受影响', pass: '达标', fail: '未达标', updated: '更新用时',
  add: '添加', remove: '移除', at: '位于', deflt: '默认'
} : {
  whatif: 'What-if', on: 'Try sites on the map', category: 'Category', adds: 'click adds', removes: 'click removes nearest',
  capacity: 'Capacity', undo: 'Undo', reset: 'Reset', exp: 'Export', csv: 'facility CSV', sites: 'Suggested sites', now: 'now',
  scen: 'scenario', facilities: 'facilities', covered: 'covered residents', share: 'covered share %', per1000: 'per 1,000',
  passq: 'coverage / quota', failing: 'failing communities', community: 'community', affected: 'affected', pass: 'pass',
  fail: 'fail', updated: 'updated in', add: 'add', remove: 'remove', at: 'at', deflt: 'default'
};
var CATS_PAGE = C.categories || [];
var LABEL = {}; CATS_PAGE.forEach(function (c) { LABEL[c.id] = c.label; });
function esc(s) { return String(s == null ? '' : s).replace(/[&<>"']/g, function (ch) { return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[ch]; }); }
var opts = CATS.map(function (c, k) { return '<option value="' + k + '">' + esc(LABEL[c.id] || c.id) + '</option>'; }).join('');
sec.innerHTML =
  '<h2>' + T.whatif + '</h2><div class="c15-controls">' +
  '<label><input type="checkbox" id="c15-wi-on"> ' + T.on + '</label>' +
  '<label>' + T.category + ' <select id="c15-wi-cat">' + opts + '</select></label>' +
  '<label><input type="radio" name="c15-wi-mode" value="add" checked> ' + T.adds + '</label>' +
  '<label><input type="radio" name="c15-wi-mode" value="remove"> ' + T.removes + '</label>' +
  '<label>' + T.capacity + ' <input id="c15-wi-cap" type="number" min="0" step="1" style="width:6em" placeholder="' + T.deflt + '"></label>' +
  '<button id="c15-wi-undo" type="button">' + T.undo + '</button> <button id="c15-wi-reset" type="button">' + T.reset + '</button>' +
  '<button id="c15-wi-export" type="button">' + T.exp + '</button></div>' +
  '<div id="c15-wi-sug"></div><ol id="c15-wi-edits"></ol><div id="c15-wi-status" class="c15-note"></div>' +
  '<div id="c15-wi-area"></div><div id="c15-wi-comms"></div>' +
  '<textarea id="c15-wi-cmd" rows="3" style="width:100%" readonly></textarea>' +
  '<textarea id="c15-wi-csv" rows="4" style="width:100%" readonly></textarea> <a id="c15-wi-csv-link" download="whatif_facilities.csv">' + T.csv + '</a>';
var $ = function (id) { return document.getElementById(id); };
var edits = [], BASE = {}, last = null, map = C.map;
var SHED = null, shedRenderer = L.canvas({padding: 0.2}), shedLayer = L.layerGroup().addTo(map), markLayer = L.layerGroup().addTo(map);
var k0 = CAT_IX[C.category ? C.category() : ''];
$('c15-wi-cat').value = String(k0 !== undefined ? k0 : 0);
function curK() { return +$('c15-wi-cat').value; }
function base(k) { if (!BASE[k]) BASE[k] = score([], k); return BASE[k]; }
function fmt(v, d) { return v == null ? '–' : typeof v === 'boolean' ? (v ? T.pass : T.fail) : Number(v).toFixed(d); }
function update() {
  var k = curK(), b = base(k), r = score(edits, k);
  last = r;
  var rows = [[T.facilities, 'facilities', 0], [T.covered, 'covered', 0], [T.share, 'covered_share', 1],
    [T.per1000, 'per_1000', 2], [T.passq, 'pass', 0], [T.failing, 'failing_communities', 0]];
  $('c15-wi-area').innerHTML = '<table class="c15-table" id="c15-wi-area-table"><tr><th>' + esc(CATS[k].id) + '</th><th>' + T.now + '</th><th>' + T.scen + '</th></tr>' +
    rows.map(function (x) {
      var bv = b.area[x[1]], sv = r.area[x[1]];
      if (x[1] === 'covered_share') { bv = bv == null ? null : 100 * rnd(bv, 4); sv = sv == null ? null : 100 * rnd(sv, 4); }
      return '<tr><td>' + x[0] + '</td><td>' + fmt(bv, x[2]) + '</td><td>' + fmt(sv, x[2]) + '</td></tr>';
    }).join('') + '</table>';
  var ch = [];
  r.comms.forEach(function (c, i) {
    var o = b.comms[i];
    if (rnd(c.covered, 1) !== rnd(o.covered, 1) || rnd(c.per_1000, 3) !== rnd(o.per_1000, 3)) ch.push(i);
  });
  var names = C.communityNames || [];
  $('c15-wi-comms').innerHTML = '<table class="c15-table" id="c15-wi-comm-table"><tr><th>' + T.community + ' (' + ch.length + ' ' + T.affected + ')</th><th>' + T.covered + ' · ' + T.now + '</th><th>' + T.scen + '</th><th>' + T.per1000 + ' · ' + T.now + '</th><th>' + T.scen + '</th><th>' + T.pass + '</th></tr>' +
    ch.slice(0, 200).map(function (i) {
      var o = b.comms[i], c = r.comms[i];
      return '<tr><td>' + esc(names[i] || i) + '</td><td>' + fmt(o.covered, 0) + '</td><td>' + fmt(c.covered, 0) + '</td><td>' +
        fmt(o.per_1000, 2) + '</td><td>' + fmt(c.per_1000, 2) + '</td><td>' + fmt(c.pass === false || c.quota_pass === false ? false : c.pass, 0) + '</td></tr>';
    }).join('') + '</table>';
  $('c15-wi-edits').innerHTML = edits.map(function (e) {
    return '<li>' + (e.type === 'add' ? T.add + ' ' + esc(LABEL[CATS[e.k].id] || CATS[e.k].id) + ' ' + T.at + ' ' + e.lon + ',' + e.lat + (e.cap != null ? ' (' + e.cap + ')' : '') : T.remove + ' ' + esc(e.id)) + '</li>';
  }).join('');
  $('c15-wi-status').textContent = T.updated + ' ' + r.ms.toFixed(1) + ' ms';
  drawSheds(r, k);
  exportScenario();
}
function drawSheds(r, k) {
  shedLayer.clearLayers(); markLayer.clearLayers();
  var G = r.G, cat = CATS[k];
  G.added.forEach(function (ad) {
    var e = edits[ad.edit], col = ad.k === k ? '#d62728' : '#777';
    L.circleMarker([e.lat, e.lon], {radius: 7, color: '#000', weight: 2, fillColor: col, fillOpacity: 1}).addTo(markLayer);
    if (ad.node < 0 || ad.k !== k) return;
    var lines = [], thr = cat.threshold_ds;
    SHED = run(G, cat.metre, [ad.node], thr, null, SHED && SHED.dist.length >= G.n ? SHED : new Search(G.n + 1024));
    var dist = SHED.dist, tv = SHED.touched;
    for (var ti = 0; ti < tv.length; ti++) {
      var v = tv[ti]; if (dist[v] > thr) continue;
      var p = G.pos(v);
      if (v < N0) for (var i = OFF[v]; i < OFF[v + 1]; i++) { var u = TGT[i]; if (u > v && dist[u] <= thr && G.W[i] !== INF) { var q = G.pos(u); lines.push([[p[1], p[0]], [q[1], q[0]]]); } }
      if (G.hasX[v]) { var xa = G.xadj[v]; for (var j = 0; j < xa.length; j += 3) { var u2 = xa[j]; if (u2 > v && dist[u2] <= thr) { var q2 = G.pos(u2); lines.push([[p[1], p[0]], [q2[1], q2[0]]]); } } }
    }
    if (lines.length) L.polyline(lines, {color: '#d62728', weight: 3, opacity: 0.8, interactive: false, renderer: shedRenderer}).addTo(shedLayer);
  });
  edits.forEach(function (e) {
    if (e.type !== 'remove') return;
    (FAC_BY_ID[e.id] || []).forEach(function (i) {
      L.circleMarker([FAC[i].lat, FAC[i].lon], {radius: 8, color: '#000', weight: 2, fill: false, dashArray: '3'}).addTo(markLayer);
    });
  });
}
function exportScenario() {
  var args = ['circle15', 'analyze'];
  if (C.input) args.push('--osm', C.input);
  edits.forEach(function (e) { if (e.type === 'remove') args.push('--remove-facility', e.id); });
  edits.forEach(function (e) {
    if (e.type === 'add') args.push('--add-facility', e.lon + ',' + e.lat + ',' + CATS[e.k].id + (e.cap != null ? ',' + e.cap : ''));
  });
  $('c15-wi-cmd').value = args.join(' ');
  var csv = 'category,name,lon,lat,capacity\n' + edits.filter(function (e) { return e.type === 'add'; }).map(function (e, i) {
    return CATS[e.k].id + ',added ' + (i + 1) + ',' + e.lon + ',' + e.lat + ',' + (e.cap != null ? e.cap : '');
  }).join('\n') + '\n';
  $('c15-wi-csv').value = csv;
  $('c15-wi-csv-link').href = 'data:text/csv;charset=utf-8,' + encodeURIComponent(csv);
  return {cmd: args, csv: csv};
}
// A click adds a facility at the clicked point (rounded to 1e-7°, as exported), or removes the
// nearest facility of the category within 40 px (an added one is taken out of the edits).
function q7(x) { return Math.round(x * 1e7) / 1e7; }
function onClick(latlng) {
  var k = curK();
  var mode = document.querySelector('input[name="c15-wi-mode"]:checked').value;
  if (mode === 'add') {
    var capv = $('c15-wi-cap').value, cap = capv === '' ? null : +capv;
    edits.push({type: 'add', k: k, lon: q7(latlng.lng), lat: q7(latlng.lat), cap: cap});
  } else {
    var p = map.latLngToContainerPoint(latlng), best = null, bd = 40;
    edits.forEach(function (e, n) {
      if (e.type !== 'add' || e.k !== k) return;
      var dd = p.distanceTo(map.latLngToContainerPoint([e.lat, e.lon])); if (dd < bd) { bd = dd; best = {edit: n}; }
    });
    var gone = {}; edits.forEach(function (e) { if (e.type === 'remove') gone[e.id] = 1; });
    FAC.forEach(function (f) {
      if (gone[f.id] || !f.cats.some(function (c) { return c[0] === k; })) return;
      var dd = p.distanceTo(map.latLngToContainerPoint([f.lat, f.lon])); if (dd < bd) { bd = dd; best = {id: f.id}; }
    });
    if (!best) return;
    if (best.id) edits.push({type: 'remove', id: best.id}); else edits.splice(best.edit, 1);
  }
  update();
}
map.on('click', function (ev) { if ($('c15-wi-on').checked) onClick(ev.latlng); });
$('c15-wi-undo').addEventListener('click', function () { edits.pop(); update(); });
$('c15-wi-reset').addEventListener('click', function () { edits = []; update(); });
$('c15-wi-export').addEventListener('click', function () { exportScenario(); $('c15-wi-cmd').select(); });
$('c15-wi-cat').addEventListener('change', update);
// Suggested sites (--plan) as toggles: each adds a facility of its category at the site.
if (C.suggestions && C.suggestions.features && C.suggestions.features.length) {
  $('c15-wi-sug').innerHTML = T.sites + ': ' + C.suggestions.features.map(function (f, i) {
    return '<label><input type="checkbox" class="c15-wi-site" data-i="' + i + '"> #' + esc(f.properties.rank) + ' ' + esc(f.properties.category) + '</label>';
  }).join(' ');
  Array.prototype.forEach.call(document.querySelectorAll('.c15-wi-site'), function (box) {
    box.addEventListener('change', function () {
      var f = C.suggestions.features[+box.getAttribute('data-i')], k = CAT_IX[f.properties.category];
      if (k === undefined) return;
      var lon = q7(f.geometry.coordinates[0]), lat = q7(f.geometry.coordinates[1]);
      if (box.checked) edits.push({type: 'add', k: k, lon: lon, lat: lat, cap: null, site: +box.getAttribute('data-i')});
      else edits = edits.filter(function (e) { return e.site !== +box.getAttribute('data-i'); });
      update();
    });
  });
}
update();

// Test hook (URL with #whatiftest): a scenario by clicks, timed, with the page's figures.
window.C15W = {score: score, printed: printed, edits: function () { return edits; }, exportScenario: exportScenario};
if (C.OPT && C.OPT.whatiftest) {
  (function () {
    var out = {timings_ms: []};
    try {
      var k = C.OPT.wicat !== undefined ? CAT_IX[C.OPT.wicat] : curK();
      $('c15-wi-cat').value = String(k); $('c15-wi-on').checked = true;
      out.category = CATS[k].id;
      out.baseline = {area: printed(base(k).area), comms: base(k).comms.map(printed)};
      // Sites: 40 m east of demand points a third and two thirds of the way through the list.
      var site = function (frac) {
        var d = ALL_IDX[Math.floor(ND * frac)], v = DN[d];
        return L.latLng(LAT[v], LON[v] + 40 / (111195 * Math.cos(LAT[v] * RAD)));
      };
      out.score_ms = [];
      var click = function (ll) { var t = performance.now(); map.fire('click', {latlng: ll}); out.timings_ms.push(performance.now() - t); out.score_ms.push(last.parts_ms); };
      var setMode = function (m) { document.querySelector('input[name="c15-wi-mode"][value="' + m + '"]').checked = true; };
      setMode('add'); $('c15-wi-cap').value = '120';
      click(site(1 / 3));
      $('c15-wi-cap').value = '';
      click(site(2 / 3));
      out.after_two_adds = edits.length;
      $('c15-wi-undo').click();
      out.after_undo = edits.length;
      var victim = FAC.filter(function (f) { return f.node >= 0 && f.cats.some(function (c) { return c[0] === k; }); })[0];
      if (victim) { setMode('remove'); click(L.latLng(victim.lat, victim.lon)); }
      out.removed = victim ? victim.id : null;
      setMode('add'); $('c15-wi-cap').value = '80';
      click(site(0.9));
      $('c15-wi-export').click();
      out.edits = edits.slice();
      out.cmd = exportScenario().cmd; out.csv = $('c15-wi-csv').value;
      out.scenario = {area: printed(last.area), comms: last.comms.map(printed)};
      out.status = $('c15-wi-status').textContent;
      out.area_table = $('c15-wi-area').textContent.length > 0;
      out.shed_layers = shedLayer.getLayers().length;
    } catch (err) { out.error = String(err && err.stack || err); }
    var pre = document.createElement('pre');
    pre.id = 'c15-whatif-test'; pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  })();
}
}
})();
