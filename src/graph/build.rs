//! Builds the CSR walk graph from walkable ways, with points snapped onto it.
//!
//! Steps: (1) the nodes of walkable ways become street nodes, consecutive pairs become segments
//! (deduplicated); (2) every point request is snapped onto its nearest segment (`snap`); (3) each
//! snapped position splits its segment (a split node), unless it lies within 0.5 m of an end node;
//! (4) street and split nodes are renumbered along a Hilbert curve; (5) each attached point gets a
//! node after all street nodes, joined to its split node by a connector whose length is the access
//! distance (a facility with several entrances: one connector per entrance, one-way out of the
//! facility). Weights are `round(length_m / speed × 10)` deciseconds, steps at a reduced speed; the
//! pieces of a split segment are rounded cumulatively along it ([`split_pieces_ds`]), so they sum
//! to the segment's own weight.
//!
//! Speed (4×4-tiled Las Palmas, 2.2 M segments, session 6 profile): of ~0.9 s on the main thread,
//! the two segment grids took ~0.28 s (built one after the other, one thread each) and [`assemble`]
//! ~0.5 s (segment edges with their haversine lengths 0.12 s, the CSR 0.12 s, the split sort). The
//! grids are now built side by side, each in parallel (`SegmentGrid::new`); the edges are made
//! in parallel slices concatenated in segment order; the split sort is parallel (distinct keys)
//! and the CSR's per-node edge sort runs over node ranges in parallel. Every result is in the
//! same order as before, whatever the thread count.

use rayon::prelude::*;

use super::renumber::hilbert_order;
use super::segment_grid::SegmentGrid;
use super::snap::{SnapRequest, Snapped, snap_points};
use super::{NodeId, WalkGraph};
use crate::geom::{LocalProj, haversine_m};
use crate::osm::{NodeStore, WalkWay, WayKind};

/// Walking speeds used to weight edges.
#[derive(Clone, Copy, Debug)]
pub struct Speeds {
    pub speed_mps: f64,
    /// Steps are walked at this fraction of `speed_mps`.
    pub steps_factor: f64,
}

/// Where a point request was attached.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SnapOutcome {
    /// The point's own graph node; `None` when it is further than its limit from every street (or
    /// the network is empty).
    pub node: Option<NodeId>,
    /// Straight-line access distance to the street, metres: the (best) connector's length when
    /// attached, else the true distance to the nearest street of any component (infinite when
    /// there is no street).
    pub access_m: f64,
    /// The street node the (best) connector joins (split node or existing node).
    pub attach: Option<NodeId>,
    /// Number of connectors (entrances) of the point: 0 when not attached.
    pub entrances: u32,
}

/// The graph and what was made of the point requests.
#[derive(Clone, Debug)]
pub struct BuiltGraph {
    pub graph: WalkGraph,
    /// One outcome per request, in request order.
    pub snaps: Vec<SnapOutcome>,
    /// Length of the OSM walkable network alone (no connectors), km.
    pub walkable_km: f64,
    pub segments: usize,
    pub split_nodes: usize,
    /// The Hilbert renumbering: `renumber[node] = ` the street or split node's index before it
    /// (street nodes `0..street_count`, then split nodes in `split_at` order).
    pub renumber: Vec<u32>,
    /// Per split node before renumbering: its segment and position `t` along it (sorted).
    pub split_at: Vec<(u32, f64)>,
}

/// Below this distance from a segment end, a snap reuses the end node instead of splitting.
pub(super) const END_TOLERANCE_M: f64 = 0.5;
/// Two snaps on one segment closer than this share a split node.
pub(super) const SAME_SPLIT_M: f64 = 0.05;

/// Street components of at least this many nodes (and the largest, whatever its size) take snaps.
pub const MIN_SNAP_COMPONENT_NODES: usize = 200;

/// For every street node: whether its component is major (see [`MIN_SNAP_COMPONENT_NODES`]).
fn major_components(n: usize, segs: &[(u32, u32, bool)]) -> Vec<bool> {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x
    }
    for &(a, b, _) in segs {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let roots: Vec<u32> = (0..n as u32).map(|v| find(&mut parent, v)).collect();
    let mut size = vec![0usize; n];
    for &r in &roots {
        size[r as usize] += 1;
    }
    let largest = size.iter().copied().max().unwrap_or(0);
    roots.iter().map(|&r| size[r as usize] >= MIN_SNAP_COMPONENT_NODES.min(largest)).collect()
}

/// Where a snap at `t` along a segment `(a, b, steps)` of length `len_m` joins it: the end node
/// within [`END_TOLERANCE_M`] of it, else `None` (it splits the segment).
pub(super) fn end_node(seg: (u32, u32, bool), len_m: f64, t: f64) -> Option<u32> {
    if t * len_m <= END_TOLERANCE_M {
        Some(seg.0)
    } else if (1.0 - t) * len_m <= END_TOLERANCE_M {
        Some(seg.1)
    } else {
        None
    }
}

#[inline]
pub(super) fn weight_ds(length_m: f64, speed_mps: f64) -> u32 {
    let w = (length_m / speed_mps * 10.0).round();
    if w.is_finite() { w.clamp(0.0, (u32::MAX / 4) as f64) as u32 } else { u32::MAX / 4 }
}

/// The weights of the pieces of one segment split at `chain[1..len-1]` (`chain`: the segment's
/// first node, its split nodes in order along it, its last node), by **cumulative rounding**:
/// each node's rounded time from the first node, `cum = weight_ds(haversine(first, node))` (kept
/// between the previous node's and the whole segment's), and a piece is `cum(end) − cum(start)`.
/// The pieces sum to the unsplit segment's weight `weight_ds(len_m)` whatever the number of
/// splits, so a route's time does not depend on how many points snapped to a street, and
/// inserting or removing a split node changes no other node's time (what-if re-scoring relies on
/// it, `analyze::what_if`). Rounding each piece on its own made a split street up to ±0.1 s per
/// piece longer or shorter than the street.
pub fn split_pieces_ds(chain: &[u32], lon_lat: &[[f64; 2]], len_m: f64, speed_mps: f64) -> Vec<u32> {
    let total = weight_ds(len_m, speed_mps);
    if chain.len() == 2 {
        return vec![total];
    }
    let first = lon_lat[chain[0] as usize];
    let mut prev = 0u32;
    let mut out = Vec::with_capacity(chain.len() - 1);
    for &v in &chain[1..chain.len() - 1] {
        let cum = weight_ds(haversine_m(first, lon_lat[v as usize]), speed_mps).clamp(prev, total);
        out.push(cum - prev);
        prev = cum;
    }
    out.push(total - prev);
    out
}

/// Builds the walk graph; see the module doc. The same as [`street_net`], then
/// [`StreetNet::snap`] and [`assemble`].
pub fn build_graph(ways: &[WalkWay], nodes: &NodeStore, speeds: Speeds, reqs: &[SnapRequest<'_>]) -> BuiltGraph {
    let mut net = street_net(ways, nodes);
    let raw: Vec<Snapped> = net.snap(reqs);
    net.grids = None;
    let built = assemble(&net, speeds, &raw.iter().collect::<Vec<_>>());
    drop((net, raw));
    crate::osm::read_pbf::return_free_memory();
    built
}

/// The street network before any point joins it (steps 1–2 of the module doc): street nodes,
/// deduplicated segments and the snapping indexes. Snapping a request depends on nothing but the
/// request and this network, so a network kept from one run snaps a later run's points exactly
/// as a fresh build would (what-if re-scoring, `analyze::what_if`).
pub struct StreetNet {
    /// OSM id of each street node, sorted (a street node's index is its position here).
    pub(super) ids: Vec<i64>,
    pub(super) lon_lat: Vec<[f64; 2]>,
    /// `(a, b, steps)` with `a < b`, sorted, one per distinct node pair.
    pub(super) segs: Vec<(u32, u32, bool)>,
    pub(super) seg_geom: Vec<([f64; 2], [f64; 2])>,
    pub(super) seg_len: Vec<f64>,
    /// Length of the OSM walkable network alone (no connectors), km.
    pub walkable_km: f64,
    /// The major components' segment grid and, when some segment is on a minor component, the
    /// grid of every segment; `None` once dropped (no more snapping).
    grids: Option<(SegmentGrid, Option<SegmentGrid>)>,
}

/// Steps 1–2: street nodes and segments of the walkable ways, and the snapping indexes.
pub fn street_net(ways: &[WalkWay], nodes: &NodeStore) -> StreetNet {
    // (1) street nodes and segments.
    // Every step is a parallel map or sort whose result does not depend on the thread count.
    let mut ids: Vec<i64> = ways.iter().flat_map(|w| w.refs.iter().copied()).collect();
    ids.par_sort_unstable();
    ids.dedup();
    let lon_lat: Vec<[f64; 2]> =
        ids.par_iter().with_min_len(4096).map(|id| nodes.get(*id).expect("walk way nodes are present")).collect();
    let index = |id: i64| ids.binary_search(&id).expect("street node") as u32;
    let mut segs: Vec<(u32, u32, bool)> = ways
        .par_iter()
        .with_min_len(256)
        .flat_map_iter(|w| {
            let steps = w.kind == WayKind::Steps;
            w.refs.windows(2).filter_map(move |p| {
                let (a, b) = (index(p[0]), index(p[1]));
                (a != b).then(|| (a.min(b), a.max(b), steps))
            })
        })
        .collect();
    segs.par_sort_unstable();
    segs.dedup_by_key(|s| (s.0, s.1));
    let seg_geom: Vec<([f64; 2], [f64; 2])> =
        segs.par_iter().with_min_len(4096).map(|s| (lon_lat[s.0 as usize], lon_lat[s.1 as usize])).collect();
    let seg_len: Vec<f64> = seg_geom.par_iter().with_min_len(4096).map(|(a, b)| haversine_m(*a, *b)).collect();
    let walkable_km = seg_len.iter().sum::<f64>() / 1000.0;

    // (2) snapping indexes.
    let center =
        if lon_lat.is_empty() { [0.0, 0.0] } else { crate::geom::bbox::center(crate::geom::bbox::of_points(&lon_lat)) };
    let proj = LocalProj::new(center[0], center[1]);
    // Major components first: a building next to a 20 m footway fragment that joins nothing must
    // be attached to the street network, not stranded on the fragment. A point with no major
    // street within its limit takes the nearest street of any component (an island's own).
    let major = major_components(lon_lat.len(), &segs);
    let all_major = segs.iter().all(|s| major[s.0 as usize]);
    // The two grids are independent: built side by side.
    let (grid, any) = rayon::join(
        || SegmentGrid::new(proj, &seg_geom, |i| major[segs[i].0 as usize]),
        || (!all_major).then(|| SegmentGrid::new(proj, &seg_geom, |_| true)),
    );
    StreetNet { ids, lon_lat, segs, seg_geom, seg_len, walkable_km, grids: Some((grid, any)) }
}

impl StreetNet {
    /// Step 2: snaps every request (see [`snap_points`]), in request order.
    ///
    /// # Panics
    /// When the indexes were dropped (only [`build_graph`] does, after its one snap).
    pub fn snap(&self, reqs: &[SnapRequest<'_>]) -> Vec<Snapped> {
        let (grid, any) = self.grids.as_ref().expect("snapping indexes kept");
        snap_points(grid, any.as_ref(), &self.seg_geom, reqs)
    }
}

/// Steps 3–5: the graph with the snapped points (`raw`, one per request, in request order)
/// joined: split nodes, Hilbert renumbering, point nodes and connectors.
pub fn assemble(net: &StreetNet, speeds: Speeds, raw: &[&Snapped]) -> BuiltGraph {
    let StreetNet { ids, segs, seg_geom, seg_len, walkable_km, .. } = net;
    let (segs, seg_geom, seg_len, walkable_km) =
        (segs.as_slice(), seg_geom.as_slice(), seg_len.as_slice(), *walkable_km);

    // (3) split nodes: (segment, t, (request, source)), sorted along each segment.
    #[derive(Clone, Copy)]
    enum At {
        Node(u32),
        Split(usize),
        Pending,
    }
    let mut attach: Vec<Vec<At>> = Vec::with_capacity(raw.len());
    let mut splits: Vec<(u32, f64, (usize, usize))> = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let mut at = Vec::with_capacity(s.sources.len());
        for (j, s) in s.sources.iter().enumerate() {
            match end_node(segs[s.segment as usize], seg_len[s.segment as usize], s.t) {
                Some(n) => at.push(At::Node(n)),
                None => {
                    splits.push((s.segment, s.t, (i, j)));
                    at.push(At::Pending); // filled below
                }
            }
        }
        attach.push(at);
    }
    // Keys are distinct (the `(request, source)` pair), so the unstable parallel sort gives the
    // order the stable serial one gave.
    splits.par_sort_unstable_by(|x, y| (x.0, x.1, x.2).partial_cmp(&(y.0, y.1, y.2)).expect("finite t"));
    // Room for every split node at once (growing the 2 M-node table copied it into fresh pages).
    let mut lon_lat = Vec::with_capacity(net.lon_lat.len() + splits.len());
    lon_lat.extend_from_slice(&net.lon_lat);
    // Distinct split positions per segment.
    let street_count = lon_lat.len();
    let mut split_of_seg: Vec<(u32, Vec<(f64, u32)>)> = Vec::new(); // segment → [(t, node)]
    let mut split_at: Vec<(u32, f64)> = Vec::new();
    for &(seg, t, req) in &splits {
        let len = seg_len[seg as usize];
        let reuse = match split_of_seg.last() {
            Some((s, v)) if *s == seg => {
                let (lt, ln) = *v.last().expect("non-empty");
                ((t - lt) * len <= SAME_SPLIT_M).then_some(ln)
            }
            _ => None,
        };
        let node = match reuse {
            Some(n) => n,
            None => {
                let (a, b) = seg_geom[seg as usize];
                let n = lon_lat.len() as u32;
                lon_lat.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
                split_at.push((seg, t));
                match split_of_seg.last_mut() {
                    Some((s, v)) if *s == seg => v.push((t, n)),
                    _ => split_of_seg.push((seg, vec![(t, n)])),
                }
                n
            }
        };
        attach[req.0][req.1] = At::Split(node as usize);
    }
    let split_nodes = lon_lat.len() - street_count;

    // Edges over old ids: segments, chained through their split nodes.
    let mut edges: Vec<(u32, u32, u32)> = Vec::with_capacity(segs.len() + 2 * splits.len());
    // The same weights without the steps slowdown (network distance ÷ speed), for `threshold_m`.
    let mut flat_edges: Vec<u32> = Vec::with_capacity(segs.len() + 2 * splits.len());
    let any_steps = segs.iter().any(|s| s.2);
    // Made in parallel, a slice of segments at a time, each into its own part of the edge arrays
    // (a segment has one edge per split node on it, plus one), so the order is the segment order
    // whatever the thread count (the haversine lengths were ~0.1 s of serial graph build on the
    // 4×4 Las Palmas network).
    const SLICE: usize = 8192;
    let mut slice_edges = vec![0usize; segs.len().div_ceil(SLICE)];
    for (k, _) in segs.iter().enumerate() {
        slice_edges[k / SLICE] += 1;
    }
    for (seg, v) in &split_of_seg {
        slice_edges[*seg as usize / SLICE] += v.len();
    }
    edges.resize(slice_edges.iter().sum(), (0, 0, 0));
    flat_edges.resize(edges.len(), 0);
    {
        let mut jobs = Vec::with_capacity(slice_edges.len());
        let (mut re, mut rf) = (&mut edges[..], &mut flat_edges[..]);
        for (ci, &n) in slice_edges.iter().enumerate() {
            let (e, e2) = std::mem::take(&mut re).split_at_mut(n);
            let (f, f2) = std::mem::take(&mut rf).split_at_mut(n);
            (re, rf) = (e2, f2);
            jobs.push((ci, e, f));
        }
        jobs.into_par_iter().for_each(|(ci, e, f)| {
            let base = ci * SLICE;
            let chunk = &segs[base..(base + SLICE).min(segs.len())];
            let mut si = split_of_seg.partition_point(|x| (x.0 as usize) < base);
            let mut chain: Vec<u32> = Vec::new();
            let mut at = 0;
            for (off, &(a, b, steps)) in chunk.iter().enumerate() {
                let k = base + off;
                let speed = if steps { speeds.speed_mps * speeds.steps_factor } else { speeds.speed_mps };
                chain.clear();
                chain.push(a);
                if si < split_of_seg.len() && split_of_seg[si].0 as usize == k {
                    chain.extend(split_of_seg[si].1.iter().map(|x| x.1));
                    si += 1;
                }
                chain.push(b);
                if chain.len() == 2 {
                    e[at] = (a, b, weight_ds(seg_len[k], speed));
                    f[at] = weight_ds(seg_len[k], speeds.speed_mps);
                    at += 1;
                    continue;
                }
                let pieces = split_pieces_ds(&chain, &lon_lat, seg_len[k], speed);
                let flat_pieces = split_pieces_ds(&chain, &lon_lat, seg_len[k], speeds.speed_mps);
                for ((p, w), fw) in chain.windows(2).zip(pieces).zip(flat_pieces) {
                    e[at] = (p[0], p[1], w);
                    f[at] = fw;
                    at += 1;
                }
            }
        });
    }

    // (4) Hilbert renumbering of street + split nodes.
    let order = hilbert_order(&lon_lat);
    let mut new_of = vec![0u32; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_of[old as usize] = new as u32;
    }
    let mut osm_id: Vec<i64> = vec![0; order.len()];
    let mut ll = vec![[0.0; 2]; order.len()];
    for (new, &old) in order.iter().enumerate() {
        ll[new] = lon_lat[old as usize];
        if (old as usize) < street_count {
            osm_id[new] = ids[old as usize];
        }
    }
    edges.par_iter_mut().with_min_len(4096).for_each(|e| {
        e.0 = new_of[e.0 as usize];
        e.1 = new_of[e.1 as usize];
    });

    // (5) point nodes and connectors.
    let first_point = ll.len() as u32;
    let mut snaps = Vec::with_capacity(raw.len());
    let mut arcs: Vec<(u32, u32, u32)> = Vec::new();
    let mut flat_arcs: Vec<u32> = Vec::new();
    for (at, s) in attach.iter().zip(raw) {
        if at.is_empty() {
            snaps.push(SnapOutcome { node: None, access_m: s.nearest_m, attach: None, entrances: 0 });
            continue;
        }
        let node = ll.len() as u32;
        ll.push(s.sources[0].from);
        osm_id.push(0);
        let mut out = SnapOutcome { node: Some(NodeId(node)), access_m: 0.0, attach: None, entrances: at.len() as u32 };
        for (k, (a, src)) in at.iter().zip(&s.sources).enumerate() {
            let street = match a {
                At::Node(n) => new_of[*n as usize],
                At::Split(n) => new_of[*n],
                At::Pending => unreachable!("every pending source got a split node"),
            };
            let len = haversine_m(src.from, ll[street as usize]);
            let w = weight_ds(len, speeds.speed_mps);
            if at.len() == 1 {
                edges.push((node, street, w));
                flat_edges.push(w);
            } else {
                arcs.push((node, street, w));
                flat_arcs.push(w);
            }
            if k == 0 {
                out.access_m = len;
                out.attach = Some(NodeId(street));
            }
        }
        snaps.push(out);
    }
    let flat = any_steps.then_some((flat_edges.as_slice(), flat_arcs.as_slice()));
    let graph = WalkGraph::from_edges_flat(ll, osm_id, first_point, &edges, &arcs, flat);
    BuiltGraph { graph, snaps, walkable_km, segments: segs.len(), split_nodes, renumber: order, split_at }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osm::NodeStore;
    use std::sync::Arc;

    fn store(pts: &[(i64, f64, f64)]) -> NodeStore {
        NodeStore::from_sorted(
            pts.iter().map(|(id, lon, lat)| (*id, [(lon * 1e7) as i32, (lat * 1e7) as i32])).collect(),
        )
    }

    /// Cumulative rounding: the pieces of a split segment sum to its own weight, and a split node
    /// inserted between two others leaves every other node's time from the first node unchanged.
    #[test]
    fn split_pieces_sum_to_the_segment_and_keep_other_nodes() {
        // A 100 m street along the equator at 1.3 m/s: 769.2 ds; splits every 7.77 m round badly
        // one by one (59.8 ds each).
        let len = haversine_m([0.0, 0.0], [0.0009, 0.0]);
        let mut ll: Vec<[f64; 2]> = vec![[0.0, 0.0], [0.0009, 0.0]];
        ll.extend((1..12).map(|i| [0.0009 * i as f64 / 12.9, 0.0]));
        let chain: Vec<u32> = std::iter::once(0).chain(2..13).chain(std::iter::once(1)).collect();
        let pieces = split_pieces_ds(&chain, &ll, len, 1.3);
        assert_eq!(pieces.iter().sum::<u32>(), weight_ds(len, 1.3));
        let one_by_one: u32 =
            chain.windows(2).map(|p| weight_ds(haversine_m(ll[p[0] as usize], ll[p[1] as usize]), 1.3)).sum();
        assert_ne!(one_by_one, weight_ds(len, 1.3), "the old rule drifts on this street");
        let cum = |pieces: &[u32], chain: &[u32]| -> Vec<(u32, u32)> {
            let mut t = 0;
            chain
                .iter()
                .zip(std::iter::once(&0).chain(pieces))
                .map(|(v, w)| {
                    t += w;
                    (*v, t)
                })
                .collect()
        };
        // Insert a node between the 4th and 5th splits.
        ll.push([0.0009 * 4.5 / 12.9, 0.0]);
        let mut chain2 = chain.clone();
        chain2.insert(5, 13);
        let pieces2 = split_pieces_ds(&chain2, &ll, len, 1.3);
        let after: Vec<(u32, u32)> = cum(&pieces2, &chain2).into_iter().filter(|(v, _)| *v != 13).collect();
        assert_eq!(after, cum(&pieces, &chain));
    }

    #[test]
    fn snap_splits_the_edge_and_walks_the_access() {
        // A 222 m east-west street; a point 50 m north of its middle.
        let nodes = store(&[(1, 0.0, 0.0), (2, 0.002, 0.0)]);
        let ways = vec![WalkWay { osm_id: 10, kind: WayKind::Flat, refs: vec![1, 2] }];
        let dlat = 50.0 / 111_195.0;
        let reqs = [SnapRequest::point([0.001, dlat], 300.0)];
        let b = build_graph(&ways, &nodes, Speeds { speed_mps: 1.0, steps_factor: 0.5 }, &reqs);
        let g = &b.graph;
        assert_eq!(g.node_count(), 4); // 2 street + 1 split + 1 point
        assert_eq!(b.split_nodes, 1);
        let s = b.snaps[0];
        assert!((s.access_m - 50.0).abs() < 0.1, "{s:?}");
        let p = s.node.unwrap();
        assert_eq!(p.0, g.first_point_node);
        // The point reaches both ends via the split: 50 m + 111 m at 1 m/s.
        let (d, _) = crate::route::nearest(g, &[(p, 0)], 100_000);
        for v in 0..g.first_point_node {
            if g.osm_id[v as usize] != 0 {
                assert!((d[v as usize] as f64 - 1612.0).abs() <= 2.0, "{}", d[v as usize]);
            }
        }
        assert!((b.walkable_km - 0.2224).abs() < 0.001);
    }

    /// A 1.1 km street along the equator and a campus whose south side runs parallel to it, 20 m
    /// north: its two south corners tie. The old rule entered at the first corner only (west), so
    /// the east end of the street was 889 m away instead of 222 m.
    #[test]
    fn an_entrance_tie_starts_at_every_tied_vertex() {
        let nodes = store(&[(1, 0.0, 0.0), (2, 0.01, 0.0)]);
        let ways = vec![WalkWay { osm_id: 10, kind: WayKind::Flat, refs: vec![1, 2] }];
        let (s, n) = (20.0 / 111_195.0, 80.0 / 111_195.0);
        let outline = [[0.002, s], [0.008, s], [0.008, n], [0.002, n], [0.002, s]];
        let speeds = Speeds { speed_mps: 1.0, steps_factor: 0.5 };
        let reqs =
            [SnapRequest { point: [0.005, (s + n) / 2.0], outline: &outline, entrances: &[], max_access_m: 300.0 }];
        let b = build_graph(&ways, &nodes, speeds, &reqs);
        let g = &b.graph;
        assert_eq!(b.snaps[0].entrances, 2, "{:?}", b.snaps[0]);
        assert!((b.snaps[0].access_m - 20.0).abs() < 0.1);
        let (d, _) = crate::route::nearest(g, &[(b.snaps[0].node.unwrap(), 0)], 100_000);
        let end = |osm: i64| (0..g.node_count()).find(|&v| g.osm_id[v] == osm).unwrap();
        // 20 m access + 222.4 m along the street, at 1 m/s, to either end.
        for osm in [1, 2] {
            assert!((d[end(osm)] as f64 - 2424.0).abs() <= 3.0, "end {osm}: {} ds", d[end(osm)]);
        }
        // The entrances are one-way: no walk passes through the campus from one to the other.
        let east = end(2) as u32;
        let (from_east, _) = crate::route::nearest(g, &[(NodeId(east), 0)], 100_000);
        assert_eq!(from_east[b.snaps[0].node.unwrap().idx()], crate::route::UNREACHED);
        let split_near_east = (0..g.first_point_node as usize)
            .filter(|&v| g.osm_id[v] == 0)
            .min_by(|&x, &y| (g.lon_lat[x][0] - 0.008).abs().total_cmp(&(g.lon_lat[y][0] - 0.008).abs()))
            .unwrap();
        assert!((from_east[split_near_east] as f64 - 2224.0).abs() <= 3.0, "along the street only");
    }

    /// Mapped entrances replace the outline, each at its own access distance, within the limit.
    #[test]
    fn mapped_entrances_are_the_sources() {
        let nodes = store(&[(1, 0.0, 0.0), (2, 0.01, 0.0)]);
        let ways = vec![WalkWay { osm_id: 10, kind: WayKind::Flat, refs: vec![1, 2] }];
        let m = |x: f64| x / 111_195.0;
        let outline = [[0.002, m(20.0)], [0.008, m(20.0)], [0.008, m(80.0)], [0.002, m(80.0)], [0.002, m(20.0)]];
        // A gate on the north side (80 m from the street) and one 400 m north (beyond the limit).
        let entrances = [[0.005, m(80.0)], [0.005, m(400.0)]];
        let reqs =
            [SnapRequest { point: [0.005, m(50.0)], outline: &outline, entrances: &entrances, max_access_m: 300.0 }];
        let b = build_graph(&ways, &nodes, Speeds { speed_mps: 1.0, steps_factor: 0.5 }, &reqs);
        assert_eq!(b.snaps[0].entrances, 1);
        assert!((b.snaps[0].access_m - 80.0).abs() < 0.1, "{:?}", b.snaps[0]);
    }

    /// A point with no major street within its limit takes the street of a small separate
    /// component (an island); the reported distance is the true one.
    #[test]
    fn an_island_street_takes_what_the_main_network_cannot() {
        // Main network: 250 nodes along the equator (a major component); island: 2 nodes 5 km north.
        let mut pts: Vec<(i64, f64, f64)> = (0..250).map(|i| (i + 1, i as f64 * 1e-4, 0.0)).collect();
        let north = 5000.0 / 111_195.0;
        pts.extend([(1001, 0.0, north), (1002, 0.001, north)]);
        let nodes = store(&pts);
        let ways = vec![
            WalkWay { osm_id: 10, kind: WayKind::Flat, refs: (1..=250).collect() },
            WalkWay { osm_id: 11, kind: WayKind::Flat, refs: vec![1001, 1002] },
        ];
        let near_island = [0.0005, north + 50.0 / 111_195.0];
        let near_both = [0.0005, 40.0 / 111_195.0];
        // 3.5 km from the main network, 1.5 km from the island: the true distance is 1.5 km.
        let far = [0.0005, north * 0.7];
        let reqs = [
            SnapRequest::point(near_island, 300.0),
            SnapRequest::point(near_both, 300.0),
            SnapRequest::point(far, 300.0),
        ];
        let b = build_graph(&ways, &nodes, Speeds { speed_mps: 1.0, steps_factor: 0.5 }, &reqs);
        let island = b.snaps[0];
        assert!(island.node.is_some() && (island.access_m - 50.0).abs() < 0.1, "{island:?}");
        let on_island = b.graph.lon_lat[island.attach.unwrap().idx()][1] > north / 2.0;
        assert!(on_island);
        assert!((b.snaps[1].access_m - 40.0).abs() < 0.1);
        assert_eq!(b.snaps[2].node, None);
        assert!((b.snaps[2].access_m - 1500.0).abs() < 1.0, "true distance {}", b.snaps[2].access_m);
    }

    /// Issue 14 item 3: a 300 m threshold (GB 50180 5-minute circle) over 178 m of street and
    /// 100 m of steps. The old rule searched `300 m / 1.1 m/s` on walk time, where the steps count
    /// 100 / 0.6 m: 313.7 s > 272.7 s, not reached. On the distance graph it is 278 m: reached.
    /// The walk-time weights (minute thresholds) are unchanged.
    #[test]
    fn metre_thresholds_count_steps_as_metres() {
        let nodes = store(&[(1, 0.0, 0.0), (2, 0.0016, 0.0), (3, 0.0025, 0.0), (4, 0.0025, 0.0009)]);
        let ways = vec![
            WalkWay { osm_id: 10, kind: WayKind::Flat, refs: vec![1, 2] },
            WalkWay { osm_id: 11, kind: WayKind::Steps, refs: vec![2, 3] },
            WalkWay { osm_id: 12, kind: WayKind::Flat, refs: vec![3, 4, 1] },
        ];
        let speeds = Speeds { speed_mps: 1.1, steps_factor: 0.6 };
        let b = build_graph(&ways, &nodes, speeds, &[]);
        let g = &b.graph;
        let at = |id: i64| g.osm_id.iter().position(|&x| x == id).unwrap() as u32;
        let (from, to) = (at(1), at(3));
        let len = |a: u32, t: u32| haversine_m(g.lon_lat[a as usize], g.lon_lat[t as usize]);
        // Walk time: steps slowed down; distance graph: every edge is length ÷ speed, same layout.
        let dist = g.distance_graph();
        for v in 0..g.node_count() as u32 {
            for ((t, w), (t2, f)) in g.edges(v).zip(dist.edges(v)) {
                assert_eq!(t, t2);
                let flat = weight_ds(len(v, t), 1.1);
                assert_eq!(f, flat, "distance weight of {v}->{t}");
                let steps = [v, t].contains(&at(2)) && [v, t].contains(&at(3));
                assert_eq!(w, if steps { weight_ds(len(v, t), 1.1 * 0.6) } else { flat }, "walk weight of {v}->{t}");
            }
        }
        assert!(Arc::ptr_eq(&g.targets, &dist.targets), "only the weights are copied");
        let threshold_ds = (300.0 / 1.1 * 10.0_f64).round() as u32;
        let reach = |graph: &WalkGraph| {
            let r = crate::route::nearest_many(graph, &[(vec![(NodeId(to), 0)], 2 * threshold_ds)]);
            r[0].0[from as usize]
        };
        let (old, new) = (reach(g), reach(&dist));
        assert!(old > threshold_ds, "old rule: {old} ds > {threshold_ds} ds, not covered");
        assert!(new <= threshold_ds, "network distance 278 m ≤ 300 m: {new} ds");
        assert!((f64::from(new) / 10.0 * 1.1 - 278.0).abs() < 2.0, "{new}");
        // Without steps there is no second array: the distance graph is the graph itself.
        let flat_only = build_graph(&ways[..1], &nodes, speeds, &[]);
        assert!(flat_only.graph.flat_weights_ds.is_none());
        assert!(Arc::ptr_eq(&flat_only.graph.weights_ds, &flat_only.graph.distance_graph().weights_ds));
    }

    #[test]
    fn far_points_are_not_attached_and_steps_are_slower() {
        let nodes = store(&[(1, 0.0, 0.0), (2, 0.001, 0.0), (3, 0.002, 0.0)]);
        let ways = vec![
            WalkWay { osm_id: 10, kind: WayKind::Flat, refs: vec![1, 2] },
            WalkWay { osm_id: 11, kind: WayKind::Steps, refs: vec![2, 3] },
        ];
        let reqs = [SnapRequest::point([0.001, 0.01], 300.0)];
        let b = build_graph(&ways, &nodes, Speeds { speed_mps: 1.0, steps_factor: 0.5 }, &reqs);
        assert_eq!(b.snaps[0].node, None);
        assert!(b.snaps[0].access_m > 1000.0);
        let w: Vec<u32> = b.graph.weights_ds.to_vec();
        assert!(w.iter().any(|&x| (1110..=1114).contains(&x)));
        assert!(w.iter().any(|&x| (2221..=2226).contains(&x)));
    }
}
