//! Patching a built walk graph for a what-if scenario: the graph [`super::build::assemble`] would
//! build for the scenario's snaps, made from the baseline's graph by changing only what the edited
//! snaps touch. Owns [`PatchBase`] (what a baseline keeps of its build) and [`patch`].
//!
//! Why the result is the full build's, node for node and edge for edge:
//! - **split nodes** are grouped per segment ([`super::build`]: sorted by `(t, request, source)`,
//!   a split within `SAME_SPLIT_M` of the segment's last split node shares it), so only the
//!   segments an added or removed snap splits (the **affected segments**) can change; their
//!   grouping is redone from the baseline's split sources on them, minus the removed requests',
//!   plus the added ones. Every other segment keeps its split nodes and pieces.
//! - **numbering**: street and split nodes are ordered by Hilbert key within the box of all of
//!   them, ties by their index before renumbering (street nodes by index, then split nodes by
//!   `(segment, t)`). That order is total and does not depend on which other nodes exist, so the
//!   scenario's order is the baseline's with the removed split nodes left out and the added ones
//!   merged in at their place (a binary search) — as long as the box is the same: it is the street
//!   nodes' box when every split node lies inside it (else no patch: [`PatchBase::bbox`]). Point
//!   nodes follow in request order (facilities, then demand points), so they map in order too: the
//!   baseline → scenario node map is increasing, and a kept node's edge list stays sorted by target.
//! - **edges**: a node's edges change only when a piece of an affected segment or a connector of
//!   an edited or regrouped request ends at it (a **dirty node**); its list is rebuilt (the baseline's
//!   minus the removed entries plus the new ones, sorted by `(target, weight)` as the CSR sorts).
//!   Every other node's list is copied with its targets renumbered.
//!
//! The unit tests of `analyze::what_if` compare every patched [`BuiltGraph`] with the full build.
//!
//! Glossary:
//! - **request**: one snap request of the run (a facility, then the demand points), see [`Request`].
//! - **rebuilt request**: a kept request with a split source on an affected segment: its connectors
//!   are made again; **moved** when they differ from the baseline's (its split node was regrouped).

use std::collections::HashMap;

use super::build::{BuiltGraph, SAME_SPLIT_M, SnapOutcome, Speeds, StreetNet, end_node, split_pieces_ds, weight_ds};
use super::renumber::hilbert_key;
use super::snap::Snapped;
use super::{NodeId, WalkGraph};
use crate::geom::bbox::{Bbox, of_points};
use crate::geom::haversine_m;

/// No node.
const NONE: u32 = u32::MAX;

/// What a baseline keeps of its graph build for [`patch`].
#[derive(Clone, Debug)]
pub struct PatchBase {
    street_count: usize,
    /// [`BuiltGraph::renumber`] and its inverse (`new_of[old] = new`).
    renumber: Vec<u32>,
    new_of: Vec<u32>,
    /// [`BuiltGraph::split_at`].
    split_at: Vec<(u32, f64)>,
    /// Every source that splits its segment: `(segment, t, request, source)`, sorted.
    splits: Vec<(u32, f64, u32, u32)>,
    /// [`BuiltGraph::snaps`].
    snaps: Vec<SnapOutcome>,
    /// The street nodes' box, when it holds every split node (then it is the box the Hilbert
    /// renumbering used); `None`: no patch.
    bbox: Option<Bbox>,
}

impl PatchBase {
    /// What `built` (assembled from `raw` on `net`) keeps for patching.
    pub fn of(net: &StreetNet, built: &BuiltGraph, raw: &[Snapped]) -> PatchBase {
        let mut splits: Vec<(u32, f64, u32, u32)> = Vec::new();
        for (i, s) in raw.iter().enumerate() {
            for (j, src) in s.sources.iter().enumerate() {
                if splits_segment(net, src.segment, src.t) {
                    splits.push((src.segment, src.t, i as u32, j as u32));
                }
            }
        }
        splits.sort_by(|x, y| x.partial_cmp(y).expect("finite t"));
        let mut new_of = vec![0u32; built.renumber.len()];
        for (new, &old) in built.renumber.iter().enumerate() {
            new_of[old as usize] = new as u32;
        }
        let street_box = of_points(&net.lon_lat);
        let g = &built.graph;
        let all_box = of_points(&g.lon_lat[..g.first_point_node as usize]);
        PatchBase {
            street_count: net.lon_lat.len(),
            renumber: built.renumber.clone(),
            new_of,
            split_at: built.split_at.clone(),
            splits,
            snaps: built.snaps.clone(),
            bbox: (street_box == all_box).then_some(street_box),
        }
    }
}

/// One snap request of the scenario, in request order.
#[derive(Clone, Copy, Debug)]
pub enum Request<'r> {
    /// The baseline's request of this index (kept; indices must increase).
    Base(usize),
    /// A new request and its snap.
    New(&'r Snapped),
}

/// A patched graph and how the baseline's nodes map onto it.
#[derive(Clone, Debug)]
pub struct Patched {
    /// What [`super::build::assemble`] gives for the scenario's snaps.
    pub built: BuiltGraph,
    /// Per baseline node: its scenario node, `u32::MAX` when the scenario does not have it or it is
    /// the point node of a moved request.
    pub to_scenario: Vec<u32>,
    /// Scenario nodes without a baseline node (or of a moved request), ascending.
    pub new_nodes: Vec<u32>,
    /// No street or split node was added or removed.
    pub same_streets: bool,
    /// Scenario requests kept from the baseline whose connectors changed (regrouped split node).
    pub moved: Vec<usize>,
}

/// Whether a snap at `t` on `segment` splits it (not within the end tolerance of an end).
fn splits_segment(net: &StreetNet, segment: u32, t: f64) -> bool {
    end_node(net.segs[segment as usize], net.seg_len[segment as usize], t).is_none()
}

/// A split node of the scenario on an affected segment.
#[derive(Clone, Copy, Debug)]
enum ChainNode {
    /// The baseline's node (new index).
    Base(u32),
    /// An added split node (index into the added list).
    Added(usize),
}

/// The split nodes on one segment from its sorted split sources: each source's node index.
fn group(entries: &[(f64, u32, u32)], len_m: f64) -> (Vec<f64>, Vec<usize>) {
    let mut ts: Vec<f64> = Vec::new();
    let mut at = Vec::with_capacity(entries.len());
    for &(t, _, _) in entries {
        match ts.last() {
            Some(&lt) if (t - lt) * len_m <= SAME_SPLIT_M => {}
            _ => ts.push(t),
        }
        at.push(ts.len() - 1);
    }
    (ts, at)
}

/// One affected segment in the scenario: the segment, its split nodes in order, and per split
/// source `(request, source, position in the chain)`.
type SegChain = (u32, Vec<ChainNode>, Vec<(u32, u32, usize)>);

/// An added split node.
struct Added {
    seg: u32,
    t: f64,
    pos: [f64; 2],
    key: u64,
    /// The baseline position it is merged in before.
    before: usize,
}

/// A dirty node's changes.
#[derive(Default)]
struct Dirty {
    /// Drop every baseline edge (a rebuilt point node).
    drop_all: bool,
    /// Baseline targets whose edges go.
    remove: Vec<u32>,
    /// New edges `(target, walk_ds, flat_ds)` (scenario numbering).
    add: Vec<(u32, u32, u32)>,
}

/// The scenario graph of `reqs` patched from the baseline's (`g0`, `base`, its snaps `base_raw`),
/// see the module doc; `None` when it cannot be patched (the split nodes widen the street box, or
/// the requests are not in baseline order): then assemble it in full.
pub fn patch(
    net: &StreetNet,
    speeds: Speeds,
    base: &PatchBase,
    g0: &WalkGraph,
    base_raw: &[Snapped],
    reqs: &[Request],
) -> Option<Patched> {
    let bbox = base.bbox?;
    let sc = base.street_count;
    let nb = base.snaps.len();
    let n_street0 = g0.first_point_node as usize;
    // Requests: the baseline's kept ones in order.
    let mut scen_of_req = vec![NONE; nb];
    let mut last: Option<usize> = None;
    for (r, q) in reqs.iter().enumerate() {
        if let Request::Base(i) = *q {
            if i >= nb || last.is_some_and(|l| l >= i) {
                return None;
            }
            last = Some(i);
            scen_of_req[i] = r as u32;
        }
    }
    let raw_of = |r: usize| -> &Snapped {
        match reqs[r] {
            Request::Base(i) => &base_raw[i],
            Request::New(s) => s,
        }
    };
    let split_segs = |s: &Snapped| -> Vec<u32> {
        s.sources.iter().filter(|x| splits_segment(net, x.segment, x.t)).map(|x| x.segment).collect()
    };
    let mut affected: Vec<u32> = Vec::new();
    for (i, _) in scen_of_req.iter().enumerate().filter(|(_, r)| **r == NONE) {
        affected.extend(split_segs(&base_raw[i]));
    }
    for q in reqs {
        if let Request::New(s) = q {
            affected.extend(split_segs(s));
        }
    }
    affected.sort_unstable();
    affected.dedup();

    // Split nodes of the affected segments, regrouped.
    let seg_range =
        |v: &[(u32, f64, u32, u32)], s: u32| (v.partition_point(|x| x.0 < s), v.partition_point(|x| x.0 <= s));
    let split_range =
        |s: u32| (base.split_at.partition_point(|x| x.0 < s), base.split_at.partition_point(|x| x.0 <= s));
    let mut added: Vec<Added> = Vec::new();
    let mut removed_split: Vec<usize> = Vec::new(); // baseline split indices (split_at order)
    // Per affected segment: the scenario chain and, per split source, its chain position.
    let mut chains: Vec<SegChain> = Vec::with_capacity(affected.len());
    let mut rebuilt = vec![false; reqs.len()];
    for &s in &affected {
        let (lo, hi) = seg_range(&base.splits, s);
        let mut e: Vec<(f64, u32, u32)> = base.splits[lo..hi]
            .iter()
            .filter(|x| scen_of_req[x.2 as usize] != NONE)
            .map(|x| (x.1, scen_of_req[x.2 as usize], x.3))
            .collect();
        for &(_, r, _) in &e {
            rebuilt[r as usize] = true;
        }
        for (r, q) in reqs.iter().enumerate() {
            if let Request::New(sn) = q {
                for (j, src) in sn.sources.iter().enumerate() {
                    if src.segment == s && splits_segment(net, s, src.t) {
                        e.push((src.t, r as u32, j as u32));
                    }
                }
            }
        }
        e.sort_by(|x, y| x.partial_cmp(y).expect("finite t"));
        let (ts, at) = group(&e, net.seg_len[s as usize]);
        let (blo, bhi) = split_range(s);
        let (mut i, mut j) = (blo, 0);
        let mut chain = Vec::with_capacity(ts.len());
        let (a, b) = net.seg_geom[s as usize];
        while i < bhi || j < ts.len() {
            let bt = (i < bhi).then(|| base.split_at[i].1);
            let st = ts.get(j).copied();
            match (bt, st) {
                (Some(x), Some(y)) if x == y => {
                    chain.push(ChainNode::Base(base.new_of[sc + i]));
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x < y => {
                    removed_split.push(i);
                    i += 1;
                }
                (Some(_), None) => {
                    removed_split.push(i);
                    i += 1;
                }
                (_, Some(t)) => {
                    let pos = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
                    if !(pos[0] >= bbox[0] && pos[0] <= bbox[2] && pos[1] >= bbox[1] && pos[1] <= bbox[3]) {
                        return None;
                    }
                    chain.push(ChainNode::Added(added.len()));
                    added.push(Added { seg: s, t, pos, key: hilbert_key(bbox, pos), before: 0 });
                    j += 1;
                }
                (None, None) => unreachable!("loop condition"),
            }
        }
        let entries = e.iter().zip(&at).map(|(&(_, r, src), &k)| (r, src, k)).collect();
        chains.push((s, chain, entries));
    }
    // Requests with a split source on an affected segment that are kept are rebuilt; new ones too.
    for (r, q) in reqs.iter().enumerate() {
        if matches!(q, Request::New(_)) {
            rebuilt[r] = true;
        }
    }

    // Where each added split node goes in the baseline's order of street and split nodes.
    let base_key = |i: usize| -> (u64, u32, u32, f64) {
        let old = base.renumber[i] as usize;
        let key = hilbert_key(bbox, g0.lon_lat[i]);
        if old < sc {
            (key, 0, old as u32, 0.0)
        } else {
            let (seg, t) = base.split_at[old - sc];
            (key, 1, seg, t)
        }
    };
    for x in &mut added {
        let k = (x.key, 1, x.seg, x.t);
        let (mut lo, mut hi) = (0usize, n_street0);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if base_key(mid) < k {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        x.before = lo;
    }
    let mut order: Vec<usize> = (0..added.len()).collect();
    order.sort_by(|&x, &y| {
        let (p, q) = (&added[x], &added[y]);
        (p.before, p.key, p.seg, p.t).partial_cmp(&(q.before, q.key, q.seg, q.t)).expect("finite t")
    });
    let mut removed_new: Vec<u32> = removed_split.iter().map(|&k| base.new_of[sc + k]).collect();
    removed_new.sort_unstable();

    // Street and split nodes, merged.
    let n_street = n_street0 - removed_new.len() + added.len();
    let mut to_scen = vec![NONE; g0.node_count()];
    let mut added_scen = vec![NONE; added.len()];
    let mut ll: Vec<[f64; 2]> = Vec::with_capacity(g0.node_count() + added.len() + reqs.len() - nb.min(reqs.len()));
    let mut osm_id: Vec<i64> = Vec::with_capacity(ll.capacity());
    {
        let (mut ai, mut ri) = (0, 0);
        let mut from = 0usize;
        loop {
            let next_add = order.get(ai).map_or(usize::MAX, |&x| added[x].before);
            let next_rem = removed_new.get(ri).map_or(usize::MAX, |&x| x as usize);
            let at = next_add.min(next_rem).min(n_street0);
            for (k, t) in to_scen[from..at].iter_mut().enumerate() {
                *t = (ll.len() + k) as u32;
            }
            ll.extend_from_slice(&g0.lon_lat[from..at]);
            osm_id.extend_from_slice(&g0.osm_id[from..at]);
            from = at;
            if at == n_street0 && next_add == usize::MAX {
                break;
            }
            if next_add <= next_rem {
                let x = order[ai];
                added_scen[x] = ll.len() as u32;
                ll.push(added[x].pos);
                osm_id.push(0);
                ai += 1;
            } else {
                from = at + 1;
                ri += 1;
            }
        }
    }
    debug_assert_eq!(ll.len(), n_street);
    // Point nodes, in request order.
    let mut scen_point = vec![NONE; reqs.len()];
    for r in 0..reqs.len() {
        let s = raw_of(r);
        if s.sources.is_empty() {
            continue;
        }
        scen_point[r] = ll.len() as u32;
        if let Request::Base(i) = reqs[r] {
            to_scen[base.snaps[i].node.expect("attached").idx()] = ll.len() as u32;
        }
        ll.push(s.sources[0].from);
        osm_id.push(0);
    }
    let n = ll.len();

    // Dirty nodes.
    let mut dirty: HashMap<u32, Dirty> = HashMap::new();
    let speed_of = |steps: bool| if steps { speeds.speed_mps * speeds.steps_factor } else { speeds.speed_mps };
    let chain_node = |c: ChainNode| match c {
        ChainNode::Base(i) => to_scen[i as usize],
        ChainNode::Added(x) => added_scen[x],
    };
    for (s, chain, _) in &chains {
        let (a, b, steps) = net.segs[*s as usize];
        let (blo, bhi) = split_range(*s);
        let base_chain: Vec<u32> = std::iter::once(base.new_of[a as usize])
            .chain((blo..bhi).map(|k| base.new_of[sc + k]))
            .chain(std::iter::once(base.new_of[b as usize]))
            .collect();
        for p in base_chain.windows(2) {
            for (x, y) in [(p[0], p[1]), (p[1], p[0])] {
                if to_scen[x as usize] != NONE {
                    dirty.entry(to_scen[x as usize]).or_default().remove.push(y);
                }
            }
        }
        let scen_chain: Vec<u32> = std::iter::once(to_scen[base.new_of[a as usize] as usize])
            .chain(chain.iter().map(|&c| chain_node(c)))
            .chain(std::iter::once(to_scen[base.new_of[b as usize] as usize]))
            .collect();
        let pts: Vec<[f64; 2]> = scen_chain.iter().map(|&v| ll[v as usize]).collect();
        let idx: Vec<u32> = (0..pts.len() as u32).collect();
        let len = net.seg_len[*s as usize];
        let pieces = split_pieces_ds(&idx, &pts, len, speed_of(steps));
        let flat = split_pieces_ds(&idx, &pts, len, speeds.speed_mps);
        for ((p, w), f) in scen_chain.windows(2).zip(pieces).zip(flat) {
            dirty.entry(p[0]).or_default().add.push((p[1], w, f));
            dirty.entry(p[1]).or_default().add.push((p[0], w, f));
        }
    }
    // Connectors of removed and rebuilt baseline requests go.
    for (i, &r) in scen_of_req.iter().enumerate() {
        if r != NONE && !rebuilt[r as usize] {
            continue;
        }
        let Some(p0) = base.snaps[i].node else { continue };
        for (u, _) in g0.edges(p0.0) {
            if (u as usize) < n_street0 && to_scen[u as usize] != NONE {
                dirty.entry(to_scen[u as usize]).or_default().remove.push(p0.0);
            }
        }
        if r != NONE {
            dirty.entry(to_scen[p0.idx()]).or_default().drop_all = true;
        }
    }
    // Connectors of rebuilt and new requests.
    let chain_of = |s: u32| chains.binary_search_by_key(&s, |c| c.0).ok();
    let mut snaps: Vec<SnapOutcome> = Vec::with_capacity(reqs.len());
    let mut moved: Vec<usize> = Vec::new();
    for (r, q) in reqs.iter().enumerate() {
        let s = raw_of(r);
        if !rebuilt[r] {
            let Request::Base(i) = *q else { unreachable!("new requests are rebuilt") };
            let mut o = base.snaps[i];
            o.node = o.node.map(|v| NodeId(to_scen[v.idx()]));
            o.attach = o.attach.map(|v| NodeId(to_scen[v.idx()]));
            snaps.push(o);
            continue;
        }
        if s.sources.is_empty() {
            snaps.push(SnapOutcome { node: None, access_m: s.nearest_m, attach: None, entrances: 0 });
            continue;
        }
        let p = scen_point[r];
        let mut out =
            SnapOutcome { node: Some(NodeId(p)), access_m: 0.0, attach: None, entrances: s.sources.len() as u32 };
        let mut mine: Vec<(u32, u32)> = Vec::with_capacity(s.sources.len());
        for (j, src) in s.sources.iter().enumerate() {
            let seg = net.segs[src.segment as usize];
            let street = match end_node(seg, net.seg_len[src.segment as usize], src.t) {
                Some(v) => to_scen[base.new_of[v as usize] as usize],
                None => match chain_of(src.segment) {
                    Some(c) => {
                        let (_, chain, entries) = &chains[c];
                        let k = entries.iter().find(|e| e.0 == r as u32 && e.1 == j as u32).expect("a source").2;
                        chain_node(chain[k])
                    }
                    None => {
                        // An unaffected segment keeps the baseline's grouping.
                        let Request::Base(i) = *q else { unreachable!("new sources are on affected segments") };
                        let (lo, hi) = seg_range(&base.splits, src.segment);
                        let e: Vec<(f64, u32, u32)> = base.splits[lo..hi].iter().map(|x| (x.1, x.2, x.3)).collect();
                        let (_, at) = group(&e, net.seg_len[src.segment as usize]);
                        let k = e.iter().position(|x| x.1 == i as u32 && x.2 == j as u32).expect("a source");
                        let (blo, _) = split_range(src.segment);
                        to_scen[base.new_of[sc + blo + at[k]] as usize]
                    }
                },
            };
            if street == NONE {
                return None;
            }
            let len = haversine_m(src.from, ll[street as usize]);
            let w = weight_ds(len, speeds.speed_mps);
            dirty.entry(p).or_default().add.push((street, w, w));
            if s.sources.len() == 1 {
                dirty.entry(street).or_default().add.push((p, w, w));
            }
            mine.push((street, w));
            if j == 0 {
                out.access_m = len;
                out.attach = Some(NodeId(street));
            }
        }
        if let Request::Base(i) = *q {
            let p0 = base.snaps[i].node.expect("attached").0;
            let mut was: Vec<(u32, u32)> = g0.edges(p0).map(|(t, w)| (to_scen[t as usize], w)).collect();
            was.sort_unstable();
            mine.sort_unstable();
            if was != mine {
                moved.push(r);
            }
        }
        snaps.push(out);
    }

    // The CSR: kept lists renumbered, dirty ones rebuilt.
    let mut base_of = vec![NONE; n];
    for (i, &v) in to_scen.iter().enumerate() {
        if v != NONE {
            base_of[v as usize] = i as u32;
        }
    }
    let mut dirty: Vec<(u32, Dirty)> = dirty.into_iter().collect();
    dirty.sort_unstable_by_key(|d| d.0);
    let flat0 = g0.flat_weights_ds.as_deref();
    let m = g0.edge_count() + 8 * (added.len() + reqs.len().saturating_sub(nb)) + 8;
    let mut offsets: Vec<u32> = Vec::with_capacity(n + 1);
    let mut targets: Vec<u32> = Vec::with_capacity(m);
    let mut weights: Vec<u32> = Vec::with_capacity(m);
    let mut flat: Option<Vec<u32>> = flat0.map(|_| Vec::with_capacity(m));
    let mut di = 0;
    let mut list: Vec<(u32, u32, u32)> = Vec::new();
    for v in 0..n as u32 {
        offsets.push(targets.len() as u32);
        let i = base_of[v as usize];
        let d = match dirty.get(di) {
            Some((dv, d)) if *dv == v => {
                di += 1;
                Some(d)
            }
            _ => None,
        };
        let range = (i != NONE).then(|| g0.offsets[i as usize] as usize..g0.offsets[i as usize + 1] as usize);
        match d {
            None => {
                let range = range?;
                for e in range {
                    let t = to_scen[g0.targets[e] as usize];
                    if t == NONE {
                        return None;
                    }
                    targets.push(t);
                }
                weights.extend_from_slice(
                    &g0.weights_ds[g0.offsets[i as usize] as usize..g0.offsets[i as usize + 1] as usize],
                );
                if let (Some(f), Some(f0)) = (flat.as_mut(), flat0) {
                    f.extend_from_slice(&f0[g0.offsets[i as usize] as usize..g0.offsets[i as usize + 1] as usize]);
                }
            }
            Some(d) => {
                list.clear();
                if let Some(range) = range.filter(|_| !d.drop_all) {
                    for e in range {
                        let t0 = g0.targets[e];
                        if d.remove.contains(&t0) {
                            continue;
                        }
                        let t = to_scen[t0 as usize];
                        if t == NONE {
                            return None;
                        }
                        list.push((t, g0.weights_ds[e], flat0.map_or(g0.weights_ds[e], |f| f[e])));
                    }
                }
                list.extend_from_slice(&d.add);
                list.sort_by_key(|x| (x.0, x.1));
                for &(t, w, f) in &list {
                    targets.push(t);
                    weights.push(w);
                    if let Some(fl) = flat.as_mut() {
                        fl.push(f);
                    }
                }
            }
        }
    }
    offsets.push(targets.len() as u32);

    // The scenario's split list and renumbering.
    let mut removed_k = removed_split.clone();
    removed_k.sort_unstable();
    let mut added_by_at: Vec<usize> = (0..added.len()).collect();
    added_by_at
        .sort_by(|&x, &y| (added[x].seg, added[x].t).partial_cmp(&(added[y].seg, added[y].t)).expect("finite t"));
    let mut split_at: Vec<(u32, f64)> = Vec::with_capacity(base.split_at.len() + added.len());
    let mut rank_base = vec![NONE; base.split_at.len()];
    let mut rank_added = vec![NONE; added.len()];
    {
        let (mut k, mut a, mut rk) = (0usize, 0usize, 0usize);
        while k < base.split_at.len() || a < added_by_at.len() {
            if rk < removed_k.len() && removed_k[rk] == k {
                rk += 1;
                k += 1;
                continue;
            }
            let take_added = match (base.split_at.get(k), added_by_at.get(a)) {
                (Some(b), Some(&x)) => (added[x].seg, added[x].t) < *b,
                (None, Some(_)) => true,
                _ => false,
            };
            if take_added {
                let x = added_by_at[a];
                rank_added[x] = split_at.len() as u32;
                split_at.push((added[x].seg, added[x].t));
                a += 1;
            } else {
                rank_base[k] = split_at.len() as u32;
                split_at.push(base.split_at[k]);
                k += 1;
            }
        }
    }
    let mut renumber = vec![0u32; n_street];
    for (i, &old) in base.renumber.iter().enumerate() {
        let v = to_scen[i];
        if v == NONE {
            continue;
        }
        let old = old as usize;
        renumber[v as usize] = if old < sc { old as u32 } else { (sc as u32) + rank_base[old - sc] };
    }
    for (x, &v) in added_scen.iter().enumerate() {
        renumber[v as usize] = sc as u32 + rank_added[x];
    }

    let graph = WalkGraph {
        offsets: offsets.into(),
        targets: targets.into(),
        weights_ds: weights.into(),
        flat_weights_ds: flat.map(Into::into),
        lon_lat: ll.into(),
        osm_id: osm_id.into(),
        first_point_node: n_street as u32,
    };
    // The node map for carrying searches over: moved points count as new.
    let mut new_nodes: Vec<u32> = added_scen.clone();
    for (r, q) in reqs.iter().enumerate() {
        if matches!(q, Request::New(_)) && scen_point[r] != NONE {
            new_nodes.push(scen_point[r]);
        }
    }
    for &r in &moved {
        let Request::Base(i) = reqs[r] else { unreachable!("moved requests are kept") };
        let p0 = base.snaps[i].node.expect("attached").idx();
        to_scen[p0] = NONE;
        new_nodes.push(scen_point[r]);
    }
    new_nodes.sort_unstable();
    let same_streets = added.is_empty() && removed_split.is_empty();
    let built = BuiltGraph {
        graph,
        snaps,
        walkable_km: net.walkable_km,
        segments: net.segs.len(),
        split_nodes: split_at.len(),
        renumber,
        split_at,
    };
    Some(Patched { built, to_scenario: to_scen, new_nodes, same_streets, moved })
}
