//! Patching a built walk graph for a what-if scenario: the graph [`super::build::assemble`] would
//! build for the scenario's snaps, made from the baseline's graph by changing only what the edited
//! snaps touch. Owns [`PatchBase`] (what a baseline keeps of its build) and [`patch`], a sequence of
//! steps; the dirty nodes and connectors are in `connect`, the CSR in `csr`, the split list and
//! renumbering in `split_list`.
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

mod connect;
mod csr;
mod split_list;

use super::WalkGraph;
use super::build::{BuiltGraph, SAME_SPLIT_M, SnapOutcome, Speeds, StreetNet, end_node};
use super::renumber::hilbert_key;
use super::snap::Snapped;
use crate::geom::bbox::{Bbox, of_points};
use connect::{Connected, connect, dirty_pieces, drop_connectors};
use csr::build_csr;
use split_list::{merge_split_list, renumbering};

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

impl<'r> Request<'r> {
    /// The request's snap: the baseline's (`base`, in request order) or the new one.
    pub fn snap(self, base: &'r [Snapped]) -> &'r Snapped {
        match self {
            Request::Base(i) => &base[i],
            Request::New(s) => s,
        }
    }
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

/// What the steps of [`patch`] read of the baseline.
#[derive(Clone, Copy)]
struct Baseline<'a> {
    net: &'a StreetNet,
    speeds: Speeds,
    base: &'a PatchBase,
    g0: &'a WalkGraph,
    /// The Hilbert box, [`PatchBase::bbox`].
    bbox: Bbox,
    /// The baseline's street and split node count (its first point node).
    n_street0: usize,
}

impl PatchBase {
    /// The split sources on segment `s`, a range of [`PatchBase::splits`].
    fn splits_on(&self, s: u32) -> &[(u32, f64, u32, u32)] {
        let v = &self.splits;
        &v[v.partition_point(|x| x.0 < s)..v.partition_point(|x| x.0 <= s)]
    }

    /// The split indices (`split_at` order) on segment `s`: `(lo, hi)`.
    fn split_range(&self, s: u32) -> (usize, usize) {
        (self.split_at.partition_point(|x| x.0 < s), self.split_at.partition_point(|x| x.0 <= s))
    }

    /// The baseline node (new index) of split index `k`.
    fn split_node(&self, k: usize) -> u32 {
        self.new_of[self.street_count + k]
    }
}

/// The scenario's requests against the baseline's.
struct Edit<'a> {
    reqs: &'a [Request<'a>],
    base_raw: &'a [Snapped],
    /// Per baseline request: its scenario request, [`NONE`] when removed.
    scen_of_req: Vec<u32>,
    /// The affected segments, ascending.
    affected: Vec<u32>,
}

impl<'a> Edit<'a> {
    /// The snap of scenario request `r`.
    fn raw(&self, r: usize) -> &'a Snapped {
        self.reqs[r].snap(self.base_raw)
    }
}

/// The edited requests and the affected segments (those a removed or a new request splits);
/// `None` when the kept requests are not in baseline order.
fn edited_requests<'a>(
    net: &StreetNet,
    nb: usize,
    base_raw: &'a [Snapped],
    reqs: &'a [Request<'a>],
) -> Option<Edit<'a>> {
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
    Some(Edit { reqs, base_raw, scen_of_req, affected })
}

/// The affected segments' split nodes, regrouped.
struct Regrouped {
    /// Per affected segment (ascending): its scenario chain.
    chains: Vec<SegChain>,
    added: Vec<Added>,
    /// Baseline split indices (`split_at` order) the scenario leaves out.
    removed_split: Vec<usize>,
    /// Per scenario request: whether it is rebuilt (kept with a split source on an affected
    /// segment, or new).
    rebuilt: Vec<bool>,
}

/// Regroups the split nodes of every affected segment; `None` when an added split node lies
/// outside the box.
fn regroup(b: &Baseline, edit: &Edit) -> Option<Regrouped> {
    let mut rg = Regrouped {
        chains: Vec::with_capacity(edit.affected.len()),
        added: Vec::new(),
        removed_split: Vec::new(),
        rebuilt: vec![false; edit.reqs.len()],
    };
    for &s in &edit.affected {
        let e = scenario_split_sources(b, edit, s);
        for &(_, r, _) in &e {
            rg.rebuilt[r as usize] = true;
        }
        let (ts, at) = group(&e, b.net.seg_len[s as usize]);
        let chain = match_chain(b, s, &ts, &mut rg)?;
        let entries = e.iter().zip(&at).map(|(&(_, r, src), &k)| (r, src, k)).collect();
        rg.chains.push((s, chain, entries));
    }
    for (r, q) in edit.reqs.iter().enumerate() {
        if matches!(q, Request::New(_)) {
            rg.rebuilt[r] = true;
        }
    }
    Some(rg)
}

/// The scenario's split sources on affected segment `s`, sorted `(t, request, source)`: the
/// baseline's minus the removed requests', plus the new requests'.
fn scenario_split_sources(b: &Baseline, edit: &Edit, s: u32) -> Vec<(f64, u32, u32)> {
    let mut e: Vec<(f64, u32, u32)> = b
        .base
        .splits_on(s)
        .iter()
        .filter(|x| edit.scen_of_req[x.2 as usize] != NONE)
        .map(|x| (x.1, edit.scen_of_req[x.2 as usize], x.3))
        .collect();
    for (r, q) in edit.reqs.iter().enumerate() {
        if let Request::New(sn) = q {
            for (j, src) in sn.sources.iter().enumerate() {
                if src.segment == s && splits_segment(b.net, s, src.t) {
                    e.push((src.t, r as u32, j as u32));
                }
            }
        }
    }
    e.sort_by(|x, y| x.partial_cmp(y).expect("finite t"));
    e
}

/// The scenario chain of segment `s` from its regrouped split nodes at `ts`, matched with the
/// baseline's: an equal `t` keeps the baseline node, a baseline node without one is removed, a
/// new `t` is added (to `rg`); `None` when an added node lies outside the box.
fn match_chain(b: &Baseline, s: u32, ts: &[f64], rg: &mut Regrouped) -> Option<Vec<ChainNode>> {
    let base = b.base;
    let (mut i, bhi) = base.split_range(s);
    let mut j = 0;
    let mut chain = Vec::with_capacity(ts.len());
    let (a, c) = b.net.seg_geom[s as usize];
    while i < bhi || j < ts.len() {
        let bt = (i < bhi).then(|| base.split_at[i].1);
        let st = ts.get(j).copied();
        match (bt, st) {
            (Some(x), Some(y)) if x == y => {
                chain.push(ChainNode::Base(base.split_node(i)));
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                rg.removed_split.push(i);
                i += 1;
            }
            (Some(_), None) => {
                rg.removed_split.push(i);
                i += 1;
            }
            (_, Some(t)) => {
                let pos = [a[0] + (c[0] - a[0]) * t, a[1] + (c[1] - a[1]) * t];
                let bbox = b.bbox;
                if !(pos[0] >= bbox[0] && pos[0] <= bbox[2] && pos[1] >= bbox[1] && pos[1] <= bbox[3]) {
                    return None;
                }
                chain.push(ChainNode::Added(rg.added.len()));
                rg.added.push(Added { seg: s, t, pos, key: hilbert_key(bbox, pos), before: 0 });
                j += 1;
            }
            (None, None) => unreachable!("loop condition"),
        }
    }
    Some(chain)
}

/// Where each added split node goes in the baseline's order of street and split nodes (sets
/// `before`, a binary search); returns the added nodes in merge order.
fn place_added(b: &Baseline, added: &mut [Added]) -> Vec<usize> {
    let (base, sc) = (b.base, b.base.street_count);
    let base_key = |i: usize| -> (u64, u32, u32, f64) {
        let old = base.renumber[i] as usize;
        let key = hilbert_key(b.bbox, b.g0.lon_lat[i]);
        if old < sc {
            (key, 0, old as u32, 0.0)
        } else {
            let (seg, t) = base.split_at[old - sc];
            (key, 1, seg, t)
        }
    };
    for x in added.iter_mut() {
        let k = (x.key, 1, x.seg, x.t);
        let (mut lo, mut hi) = (0usize, b.n_street0);
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
    order
}

/// The scenario's nodes: street and split nodes merged, then the point nodes.
struct Nodes {
    /// Per baseline node: its scenario node, [`NONE`] when removed.
    to_scen: Vec<u32>,
    /// Per added split node: its scenario node.
    added_scen: Vec<u32>,
    lon_lat: Vec<[f64; 2]>,
    osm_id: Vec<i64>,
    /// The street and split node count (the first point node).
    n_street: usize,
    /// Per scenario request: its point node, [`NONE`] when it has no sources.
    scen_point: Vec<u32>,
}

impl Nodes {
    /// The scenario node of a chain node.
    fn chain_node(&self, c: ChainNode) -> u32 {
        match c {
            ChainNode::Base(i) => self.to_scen[i as usize],
            ChainNode::Added(x) => self.added_scen[x],
        }
    }
}

/// The merged street and split node table (baseline order, removed split nodes left out, added
/// ones merged in at `before` in `order`), then the point nodes.
fn merge_nodes(b: &Baseline, edit: &Edit, rg: &Regrouped, order: &[usize]) -> Nodes {
    let (g0, n_street0, added) = (b.g0, b.n_street0, &rg.added);
    let mut removed_new: Vec<u32> = rg.removed_split.iter().map(|&k| b.base.split_node(k)).collect();
    removed_new.sort_unstable();
    let (nb, nr) = (b.base.snaps.len(), edit.reqs.len());
    let cap = g0.node_count() + added.len() + nr - nb.min(nr);
    let mut nodes = Nodes {
        to_scen: vec![NONE; g0.node_count()],
        added_scen: vec![NONE; added.len()],
        lon_lat: Vec::with_capacity(cap),
        osm_id: Vec::with_capacity(cap),
        n_street: n_street0 - removed_new.len() + added.len(),
        scen_point: vec![NONE; nr],
    };
    let ll = &mut nodes.lon_lat;
    let (mut ai, mut ri) = (0, 0);
    let mut from = 0usize;
    loop {
        let next_add = order.get(ai).map_or(usize::MAX, |&x| added[x].before);
        let next_rem = removed_new.get(ri).map_or(usize::MAX, |&x| x as usize);
        let at = next_add.min(next_rem).min(n_street0);
        for (k, t) in nodes.to_scen[from..at].iter_mut().enumerate() {
            *t = (ll.len() + k) as u32;
        }
        ll.extend_from_slice(&g0.lon_lat[from..at]);
        nodes.osm_id.extend_from_slice(&g0.osm_id[from..at]);
        from = at;
        if at == n_street0 && next_add == usize::MAX {
            break;
        }
        if next_add <= next_rem {
            let x = order[ai];
            nodes.added_scen[x] = ll.len() as u32;
            ll.push(added[x].pos);
            nodes.osm_id.push(0);
            ai += 1;
        } else {
            from = at + 1;
            ri += 1;
        }
    }
    debug_assert_eq!(ll.len(), nodes.n_street);
    push_point_nodes(b.base, edit, &mut nodes);
    nodes
}

/// The point nodes, in request order (a kept request's maps from its baseline point node).
fn push_point_nodes(base: &PatchBase, edit: &Edit, nodes: &mut Nodes) {
    for r in 0..edit.reqs.len() {
        let s = edit.raw(r);
        if s.sources.is_empty() {
            continue;
        }
        nodes.scen_point[r] = nodes.lon_lat.len() as u32;
        if let Request::Base(i) = edit.reqs[r] {
            nodes.to_scen[base.snaps[i].node.expect("attached").idx()] = nodes.lon_lat.len() as u32;
        }
        nodes.lon_lat.push(s.sources[0].from);
        nodes.osm_id.push(0);
    }
}

/// The node map for carrying searches over: moved requests' point nodes count as new (their
/// baseline nodes map to [`NONE`]); returns the new nodes, ascending.
fn node_map(base: &PatchBase, edit: &Edit, nodes: &mut Nodes, moved: &[usize]) -> Vec<u32> {
    let mut new_nodes: Vec<u32> = nodes.added_scen.clone();
    for (r, q) in edit.reqs.iter().enumerate() {
        if matches!(q, Request::New(_)) && nodes.scen_point[r] != NONE {
            new_nodes.push(nodes.scen_point[r]);
        }
    }
    for &r in moved {
        let Request::Base(i) = edit.reqs[r] else { unreachable!("moved requests are kept") };
        let p0 = base.snaps[i].node.expect("attached").idx();
        nodes.to_scen[p0] = NONE;
        new_nodes.push(nodes.scen_point[r]);
    }
    new_nodes.sort_unstable();
    new_nodes
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
    let b = Baseline { net, speeds, base, g0, bbox: base.bbox?, n_street0: g0.first_point_node as usize };
    let edit = edited_requests(net, base.snaps.len(), base_raw, reqs)?;
    let mut rg = regroup(&b, &edit)?;
    let order = place_added(&b, &mut rg.added);
    let mut nodes = merge_nodes(&b, &edit, &rg, &order);
    let mut dirty = dirty_pieces(&b, &rg, &nodes);
    drop_connectors(&b, &edit, &rg, &nodes, &mut dirty);
    let Connected { snaps, moved } = connect(&b, &edit, &rg, &nodes, &mut dirty)?;
    let csr = build_csr(&b, &edit, &rg, &nodes, dirty)?;
    let list = merge_split_list(base, &rg);
    let renumber = renumbering(base, &nodes, &list);
    let new_nodes = node_map(base, &edit, &mut nodes, &moved);
    let graph = WalkGraph {
        offsets: csr.offsets.into(),
        targets: csr.targets.into(),
        weights_ds: csr.weights.into(),
        flat_weights_ds: csr.flat.map(Into::into),
        lon_lat: nodes.lon_lat.into(),
        osm_id: nodes.osm_id.into(),
        first_point_node: nodes.n_street as u32,
    };
    let built = BuiltGraph {
        graph,
        snaps,
        walkable_km: net.walkable_km,
        segments: net.segs.len(),
        split_nodes: list.split_at.len(),
        renumber,
        split_at: list.split_at,
    };
    let same_streets = rg.added.is_empty() && rg.removed_split.is_empty();
    Some(Patched { built, to_scenario: nodes.to_scen, new_nodes, same_streets, moved })
}
