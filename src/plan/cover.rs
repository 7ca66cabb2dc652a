//! Cover lists from the demand side: one bounded search per demand point lists the candidates
//! within the threshold; the lists are transposed into candidate → points (CSR).

use crate::graph::{NodeId, WalkGraph};
use crate::route::per_source;

/// Marker of a node that is no candidate.
const NONE: u32 = u32::MAX;

/// Searches run together, so that at most this many points' candidate lists are held at once
/// besides the kept ones.
const CHUNK: usize = 8192;

/// Candidate → demand points within the threshold, each list in increasing point index. A node
/// listed as several candidates has one list, shared by all of them.
#[derive(Clone, Debug, Default)]
pub struct CoverLists {
    offsets: Vec<usize>,
    members: Vec<u32>,
    /// Per candidate, the first candidate at its node (itself when first; `NONE` outside the
    /// graph).
    first: Vec<u32>,
}

impl CoverLists {
    /// The points of candidate `c`'s catchment that were kept.
    pub fn of(&self, c: usize) -> &[u32] {
        match self.first[c] {
            NONE => &[],
            f => &self.members[self.offsets[f as usize]..self.offsets[f as usize + 1]],
        }
    }
    /// The first candidate at `c`'s node, which the `visit` callback of [`cover_lists`] names
    /// (None for a node outside the graph).
    pub fn first(&self, c: usize) -> Option<usize> {
        (self.first[c] != NONE).then_some(self.first[c] as usize)
    }
}

/// Node → first candidate at that node (`NONE` elsewhere; a node outside the graph is ignored).
fn candidate_of(graph: &WalkGraph, candidates: &[u32]) -> Vec<u32> {
    let mut of = vec![NONE; graph.node_count()];
    for (c, &v) in candidates.iter().enumerate() {
        if let Some(slot) = of.get_mut(v as usize)
            && *slot == NONE
        {
            *slot = c as u32;
        }
    }
    of
}

/// One bounded search (cap `threshold_ds`) from each of `points` (`(point index, graph node)`, in
/// increasing point index, nodes inside the graph). `visit(point, candidates)` sees every point's
/// reached candidates (the first candidate of each node), in point order, whatever the number of
/// threads; the points for which `keep(point)` holds make up the cover lists.
///
/// # Panics
/// If there are `u32::MAX` candidates or more.
pub fn cover_lists(
    graph: &WalkGraph,
    candidates: &[u32],
    points: &[(u32, u32)],
    threshold_ds: u32,
    keep: impl Fn(u32) -> bool,
    mut visit: impl FnMut(u32, &[u32]),
) -> CoverLists {
    assert!(candidates.len() < NONE as usize, "plan: too many candidates");
    let of = candidate_of(graph, candidates);
    let n_cand = candidates.len();
    // Kept (point, candidate) pairs, in point order.
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for chunk in points.chunks(CHUNK) {
        let sources: Vec<(NodeId, u32)> = chunk.iter().map(|&(_, v)| (NodeId(v), 0)).collect();
        let reached: Vec<Vec<u32>> = per_source(graph, &sources, threshold_ds, |_, settled| {
            settled.iter().map(|&(v, _)| of[v as usize]).filter(|&c| c != NONE).collect()
        });
        for (&(p, _), list) in chunk.iter().zip(&reached) {
            visit(p, list);
            if keep(p) {
                pairs.extend(list.iter().map(|&c| (p, c)));
            }
        }
    }
    let mut offsets = vec![0usize; n_cand + 1];
    for &(_, c) in &pairs {
        offsets[c as usize + 1] += 1;
    }
    for c in 0..n_cand {
        offsets[c + 1] += offsets[c];
    }
    let mut members = vec![0u32; pairs.len()];
    let mut fill = offsets[..n_cand].to_vec();
    for &(p, c) in &pairs {
        members[fill[c as usize]] = p;
        fill[c as usize] += 1;
    }
    let first = candidates.iter().map(|&v| of.get(v as usize).copied().unwrap_or(NONE)).collect();
    CoverLists { offsets, members, first }
}

/// The attached demand points of positive weight satisfying `want`, as `(point, node)`.
pub fn search_points(
    graph: &WalkGraph,
    demand_node: &[Option<u32>],
    weight: &[f64],
    want: impl Fn(usize) -> bool,
) -> Vec<(u32, u32)> {
    assert!(demand_node.len() <= u32::MAX as usize, "plan: too many demand points");
    (0..demand_node.len())
        .filter(|&i| weight[i] > 0.0 && want(i))
        .filter_map(|i| {
            let v = demand_node[i]?;
            ((v as usize) < graph.node_count()).then_some((i as u32, v))
        })
        .collect()
}
