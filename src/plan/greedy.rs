//! Maximal coverage by lazy greedy (CELF) over cover lists built from the demand side.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::graph::{NodeId, WalkGraph};
use crate::route::per_source;

/// One category's planning problem.
#[derive(Clone, Copy, Debug)]
pub struct PlanInput<'a> {
    pub graph: &'a WalkGraph,
    /// Demand points: graph node (None = not attached) and weight (residents of the demand group).
    pub demand_node: &'a [Option<u32>],
    /// Weight of each demand point; a weight that is not finite and positive counts as zero.
    pub weight: &'a [f64],
    /// Points already covered by existing facilities (time to nearest <= threshold).
    pub covered: &'a [bool],
    /// Candidate sites: graph nodes. A node listed several times counts once, as its first
    /// candidate; a node outside the graph covers nothing.
    pub candidates: &'a [u32],
    pub threshold_ds: u32,
}

/// One chosen site.
#[derive(Clone, Debug, PartialEq)]
pub struct Pick {
    /// 1 for the first site picked.
    pub rank: usize,
    /// Index into [`PlanInput::candidates`].
    pub candidate: usize,
    /// Its graph node.
    pub node: u32,
    /// Weight newly covered by this site (its marginal gain).
    pub gain: f64,
    /// Baseline plus the gains of this pick and every earlier one.
    pub cumulative_covered: f64,
    /// `cumulative_covered / total_demand` (0 when there is no demand).
    pub cumulative_share: f64,
    /// Demand points this site covers that were not covered before it, in increasing index
    /// (points of zero weight are never listed).
    pub newly_covered: Vec<usize>,
}

/// The planned sites, best first, and what it took to find them.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanResult {
    /// At most `count` picks; fewer when no candidate covers anything more.
    pub picks: Vec<Pick>,
    /// Weight of the points covered before planning.
    pub baseline_covered: f64,
    /// Weight of every demand point, attached or not.
    pub total_demand: f64,
    /// Bounded searches run (one per uncovered attached demand point of positive weight).
    pub searches: usize,
    /// Marginal gains computed: one per candidate with a non-empty catchment, plus the lazy
    /// re-evaluations.
    pub evaluations: usize,
}

/// Marker of a node that is no candidate.
const NONE: u32 = u32::MAX;

/// A heap entry: a gain computed in round `round` (an upper bound of the current gain).
/// Ordered by gain, then by lower candidate index first.
#[derive(Clone, Copy, Debug)]
struct Entry {
    gain: f64,
    candidate: u32,
    round: usize,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.gain.total_cmp(&other.gain).then_with(|| other.candidate.cmp(&self.candidate))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}

/// A demand weight as used by the planner: finite and positive, else zero.
fn usable(w: f64) -> f64 {
    if w.is_finite() && w > 0.0 { w } else { 0.0 }
}

/// A sum in iteration order starting from +0.0 (`Iterator::sum` starts from −0.0, which would
/// surface as "-0" in reports for an empty sum).
fn sum_in_order(terms: impl Iterator<Item = f64>) -> f64 {
    terms.fold(0.0, |acc, w| acc + w)
}

/// Picks up to `count` candidate sites that, added to the existing facilities, bring the largest
/// demand weight within `threshold_ds`, by lazy greedy (see the [module documentation](super)).
///
/// Picks are in the order chosen, each with its marginal gain (non-increasing) and the running
/// covered weight and share. Planning stops early when no candidate has a positive gain. The
/// result is the same for any number of threads.
///
/// # Panics
/// If `demand_node`, `weight` and `covered` differ in length, or there are `u32::MAX` candidates
/// or more than `u32::MAX` demand points.
pub fn plan_max_coverage(input: &PlanInput, count: usize) -> PlanResult {
    let n_points = input.demand_node.len();
    assert!(
        input.weight.len() == n_points && input.covered.len() == n_points,
        "plan: demand_node, weight and covered must have the same length ({}, {}, {})",
        n_points,
        input.weight.len(),
        input.covered.len()
    );
    assert!(
        input.candidates.len() < NONE as usize && n_points <= u32::MAX as usize,
        "plan: too many candidates or demand points"
    );
    let weight: Vec<f64> = input.weight.iter().map(|&w| usable(w)).collect();
    let total_demand = sum_in_order(weight.iter().copied());
    let baseline_covered = sum_in_order(weight.iter().zip(input.covered).filter(|(_, c)| **c).map(|(w, _)| *w));
    let mut result = PlanResult { picks: Vec::new(), baseline_covered, total_demand, searches: 0, evaluations: 0 };
    let graph = input.graph;
    if count == 0 || input.candidates.is_empty() {
        return result;
    }

    // Node → first candidate at that node.
    let mut candidate_of = vec![NONE; graph.node_count()];
    for (c, &v) in input.candidates.iter().enumerate() {
        if let Some(slot) = candidate_of.get_mut(v as usize)
            && *slot == NONE
        {
            *slot = c as u32;
        }
    }

    // Uncovered attached points of positive weight: one search each, listing the candidates
    // within the threshold.
    let (points, sources): (Vec<u32>, Vec<(NodeId, u32)>) = (0..n_points)
        .filter(|&i| !input.covered[i] && weight[i] > 0.0)
        .filter_map(|i| {
            let v = input.demand_node[i]?;
            ((v as usize) < graph.node_count()).then_some((i as u32, (NodeId(v), 0)))
        })
        .unzip();
    result.searches = sources.len();
    let reached: Vec<Vec<u32>> = per_source(graph, &sources, input.threshold_ds, |_, settled| {
        settled.iter().map(|&(v, _)| candidate_of[v as usize]).filter(|&c| c != NONE).collect()
    });

    // Transpose into cover lists (CSR): candidate → points, each list in increasing point index.
    let n_cand = input.candidates.len();
    let mut offsets = vec![0usize; n_cand + 1];
    for list in &reached {
        for &c in list {
            offsets[c as usize + 1] += 1;
        }
    }
    for c in 0..n_cand {
        offsets[c + 1] += offsets[c];
    }
    let mut members = vec![0u32; offsets[n_cand]];
    let mut fill = offsets[..n_cand].to_vec();
    for (&p, list) in points.iter().zip(&reached) {
        for &c in list {
            members[fill[c as usize]] = p;
            fill[c as usize] += 1;
        }
    }
    drop(reached);
    let catchment = |c: usize| &members[offsets[c]..offsets[c + 1]];

    // Lazy greedy. `done[i]`: point i is covered (before planning or by a pick).
    let mut done: Vec<bool> = input.covered.to_vec();
    let gain_of = |c: usize, done: &[bool]| -> f64 {
        sum_in_order(catchment(c).iter().filter(|&&p| !done[p as usize]).map(|&p| weight[p as usize]))
    };
    let mut heap: BinaryHeap<Entry> = (0..n_cand)
        .filter(|&c| !catchment(c).is_empty())
        .map(|c| Entry { gain: gain_of(c, &done), candidate: c as u32, round: 0 })
        .collect();
    result.evaluations = heap.len();
    let mut cumulative = baseline_covered;
    let mut last_gain = f64::INFINITY;
    while result.picks.len() < count {
        let Some(mut top) = heap.pop() else { break };
        let round = result.picks.len();
        if top.round != round {
            let gain = gain_of(top.candidate as usize, &done);
            result.evaluations += 1;
            debug_assert!(gain <= top.gain, "marginal gains must not increase");
            top = Entry { gain, candidate: top.candidate, round };
            if heap.peek().is_some_and(|next| *next > top) {
                heap.push(top);
                continue;
            }
        }
        // An exact gain at least every other candidate's upper bound: the greedy choice.
        if top.gain <= 0.0 {
            break;
        }
        debug_assert!(top.gain <= last_gain, "picked gains must not increase");
        last_gain = top.gain;
        let c = top.candidate as usize;
        let mut newly_covered = Vec::new();
        for &p in catchment(c) {
            if !done[p as usize] {
                done[p as usize] = true;
                newly_covered.push(p as usize);
            }
        }
        cumulative += top.gain;
        result.picks.push(Pick {
            rank: round + 1,
            candidate: c,
            node: input.candidates[c],
            gain: top.gain,
            cumulative_covered: cumulative,
            cumulative_share: if total_demand > 0.0 { cumulative / total_demand } else { 0.0 },
            newly_covered,
        });
    }
    result
}
