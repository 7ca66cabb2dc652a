//! What-if re-scoring, part of [`super::what_if`]: the nearest-facility times a scenario takes
//! over from its baseline instead of searching again. Owns [`KeptGraph`] (what a baseline keeps of
//! its graph build), [`node_map`] and [`carried_times`].
//!
//! Why this is exact: split pieces are rounded cumulatively along their street
//! ([`crate::graph::build::split_pieces_ds`]), so inserting or removing a split node changes no
//! other node's time in any search on walk times or network distance; a point node (facility or
//! demand point) is a dead end that no route passes through. So in a category that no edit touches
//! (no added or removed facility serves it) every node kept from the baseline keeps its time, and
//! a new node's time is the best over its in-neighbours. The elderly-speed graph rounds each edge
//! again (`WalkGraph::with_speed_factor`), so its searches are carried over only when the edits
//! add or remove no street or split node (`NodeMap::same_streets`: e.g. a facility added at a
//! demand point shares its split node).
//!
//! Where the edits regroup snaps (a new split within [`SAME_SPLIT`] of a kept one takes over its
//! points) a kept point's connectors change; [`node_map`] then returns `None` and the re-score
//! searches every category.
//!
//! Glossary:
//! - **kept node**: a baseline node that the scenario's graph has too (possibly renumbered).
//! - **new node**: a scenario node with no baseline node (an added facility's point node, its split).
//! - **edited category**: one served by an added or a removed facility.
//!
//! [`SAME_SPLIT`]: crate::graph::build

use crate::graph::WalkGraph;
use crate::graph::build::{BuiltGraph, SnapOutcome};
use crate::route::UNREACHED;

/// No node (a baseline node the scenario does not have).
const NONE: u32 = u32::MAX;

/// What a baseline keeps of its graph build for [`node_map`].
#[derive(Clone, Debug)]
pub struct KeptGraph {
    /// [`BuiltGraph::renumber`].
    renumber: Vec<u32>,
    /// [`BuiltGraph::split_at`].
    split_at: Vec<(u32, f64)>,
    /// One per snap request (facilities, then demand points).
    snaps: Vec<SnapOutcome>,
}

impl KeptGraph {
    pub fn of(built: &BuiltGraph) -> KeptGraph {
        KeptGraph { renumber: built.renumber.clone(), split_at: built.split_at.clone(), snaps: built.snaps.clone() }
    }
}

/// The baseline → scenario node correspondence.
#[derive(Clone, Debug)]
pub struct NodeMap {
    /// Per baseline node: its scenario node, or `u32::MAX` when the scenario does not have it.
    pub to_scenario: Vec<u32>,
    /// Scenario nodes without a baseline node, ascending.
    pub new_nodes: Vec<u32>,
    /// Every street and split node is kept and none is new: only point nodes differ.
    pub same_streets: bool,
    /// `to_scenario` as runs of consecutive nodes `(baseline start, scenario start, length)`,
    /// and the baseline nodes without a scenario node ([`NodeMap::new`]).
    runs: Vec<(usize, usize, usize)>,
    dropped: Vec<u32>,
}

impl NodeMap {
    /// The map of `to_scenario` (per baseline node, its scenario node or `u32::MAX`), with the
    /// scenario's `new_nodes` (ascending).
    pub fn new(to_scenario: Vec<u32>, new_nodes: Vec<u32>, same_streets: bool) -> NodeMap {
        let mut runs: Vec<(usize, usize, usize)> = Vec::new();
        let mut dropped = Vec::new();
        for (v, &s) in to_scenario.iter().enumerate() {
            if s == NONE {
                dropped.push(v as u32);
                continue;
            }
            match runs.last_mut() {
                Some((b, t, len)) if *b + *len == v && *t + *len == s as usize => *len += 1,
                _ => runs.push((v, s as usize, 1)),
            }
        }
        NodeMap { to_scenario, new_nodes, same_streets, runs, dropped }
    }
}

/// Maps the baseline's nodes to the scenario's (`unedited_index`: per scenario facility, its
/// baseline index, `None` when added; `base_facilities`: the baseline's facility count). `None`
/// when a kept point node's edges differ (its snap was regrouped with a new one): then nothing
/// can be carried over.
pub fn node_map(
    base: &KeptGraph,
    base_graph: &WalkGraph,
    scen: &BuiltGraph,
    unedited_index: &[Option<usize>],
    base_facilities: usize,
) -> Option<NodeMap> {
    let street_count = base.renumber.len() - base.split_at.len();
    if scen.renumber.len() - scen.split_at.len() != street_count {
        return None;
    }
    // Split nodes by (segment, t): both lists are sorted.
    let mut split_map = vec![NONE; base.split_at.len()];
    let (mut i, mut j) = (0, 0);
    while i < base.split_at.len() && j < scen.split_at.len() {
        let (a, b) = (base.split_at[i], scen.split_at[j]);
        match (a.0, a.1).partial_cmp(&(b.0, b.1))? {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                split_map[i] = j as u32;
                i += 1;
                j += 1;
            }
        }
    }
    let mut scen_new_of = vec![0u32; scen.renumber.len()];
    for (new, &old) in scen.renumber.iter().enumerate() {
        scen_new_of[old as usize] = new as u32;
    }
    let g = &scen.graph;
    let mut to = vec![NONE; base_graph.node_count()];
    for (v, &old) in base.renumber.iter().enumerate() {
        let old = old as usize;
        let scen_old = if old < street_count {
            old
        } else {
            match split_map[old - street_count] {
                NONE => continue,
                s => street_count + s as usize,
            }
        };
        to[v] = scen_new_of[scen_old];
    }
    let scen_facilities = unedited_index.len();
    let pairs = unedited_index
        .iter()
        .enumerate()
        .filter_map(|(j, i)| i.map(|i| (i, j)))
        .chain((0..base.snaps.len() - base_facilities).map(|d| (base_facilities + d, scen_facilities + d)));
    for (i, j) in pairs {
        match (base.snaps[i].node, scen.snaps[j].node) {
            (Some(b), Some(s)) => to[b.idx()] = s.0,
            (None, None) => {}
            _ => return None,
        }
    }
    // A kept point's edges must be the same (regrouped snaps move connectors).
    for v in base_graph.first_point_node..base_graph.node_count() as u32 {
        let s = to[v as usize];
        if s == NONE {
            continue;
        }
        let same = base_graph.edges(v).map(|(t, w)| (to[t as usize], w)).eq(g.edges(s));
        if !same {
            return None;
        }
    }
    let mut has_base = vec![false; g.node_count()];
    for &s in &to {
        if s != NONE {
            has_base[s as usize] = true;
        }
    }
    let new_nodes: Vec<u32> = (0..g.node_count() as u32).filter(|&v| !has_base[v as usize]).collect();
    let same_streets = new_nodes.iter().all(|&v| v >= g.first_point_node)
        && to[..base_graph.first_point_node as usize].iter().all(|&s| s != NONE);
    Some(NodeMap::new(to, new_nodes, same_streets))
}

/// A category's times on the scenario's graph `g` (walk times, or the distance graph for a
/// threshold in metres) from its baseline times, when no edit touches the category: kept nodes
/// keep their time, new nodes take the best over their in-neighbours within `cap_ds`. Returns
/// the times and the settled count of a search on `g` (the nodes within the cap).
pub fn carried_times(
    map: &NodeMap,
    g: &WalkGraph,
    base_times: &[u32],
    base_settled: u64,
    cap_ds: u32,
) -> (Vec<u32>, u64) {
    let mut t = vec![UNREACHED; g.node_count()];
    // The map is mostly long runs of consecutive nodes: copied a run at a time.
    for &(b, s, len) in &map.runs {
        t[s..s + len].copy_from_slice(&base_times[b..b + len]);
    }
    let settled = base_settled - map.dropped.iter().filter(|&&v| base_times[v as usize] != UNREACHED).count() as u64;
    // New nodes are few; relax them from their in-neighbours until nothing improves.
    let cap_ds = cap_ds.min(UNREACHED - 1);
    loop {
        let mut changed = false;
        for &x in &map.new_nodes {
            for (u, _) in g.edges(x) {
                let tu = t[u as usize];
                if tu == UNREACHED {
                    continue;
                }
                for (y, w) in g.edges(u) {
                    let c = tu.saturating_add(w);
                    if y == x && c <= cap_ds && c < t[x as usize] {
                        t[x as usize] = c;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    let settled = settled + map.new_nodes.iter().filter(|&&x| t[x as usize] != UNREACHED).count() as u64;
    (t, settled)
}

/// What a re-score carries over: the node map, the baseline's times and settled counts per
/// category, and which categories the edits touch (those are searched again).
pub struct Carry<'b> {
    pub map: NodeMap,
    pub base_times: &'b [Vec<u32>],
    pub base_settled: Vec<u64>,
    /// The baseline's elderly-speed times per category.
    pub base_elderly: &'b [Option<Vec<u32>>],
    pub edited: Vec<bool>,
}

impl Carry<'_> {
    /// Category `k`'s times on `g` when the edits do not touch it (see [`carried_times`]); for
    /// the elderly-speed search (`elderly`) only when the streets are the same.
    pub fn known(&self, k: usize, g: &WalkGraph, cap_ds: u32, elderly: bool) -> Option<(Vec<u32>, u64)> {
        if self.edited[k] {
            return None;
        }
        if !elderly {
            return Some(carried_times(&self.map, g, &self.base_times[k], self.base_settled[k], cap_ds));
        }
        let base = self.base_elderly[k].as_ref()?;
        let settled = base.iter().filter(|&&t| t != UNREACHED).count() as u64;
        self.map.same_streets.then(|| carried_times(&self.map, g, base, settled, cap_ds))
    }
}
