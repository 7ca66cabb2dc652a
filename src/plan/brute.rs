//! Test oracles, independent of the planner's cover lists: catchments from one full `nearest`
//! search per candidate, the exact optimum by enumerating every subset of at most `count`
//! candidates (≤ 12), and the plain (non-lazy) greedy algorithm.

use super::PlanInput;
use crate::graph::NodeId;
use crate::route::nearest;

/// Most candidates [`optimum`] enumerates (2¹² subsets).
pub(super) const MAX_CANDIDATES: usize = 12;

/// Per candidate, which demand points it could newly cover: uncovered, attached, positive finite
/// weight, within the threshold.
pub(super) fn reach(input: &PlanInput) -> Vec<Vec<bool>> {
    let n = input.graph.node_count();
    input
        .candidates
        .iter()
        .map(|&c| {
            let times = if (c as usize) < n {
                nearest(input.graph, &[(NodeId(c), 0)], input.threshold_ds).0
            } else {
                Vec::new()
            };
            input
                .demand_node
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let w = input.weight[i];
                    !input.covered[i]
                        && w.is_finite()
                        && w > 0.0
                        && v.is_some_and(|v| times.get(v as usize).is_some_and(|&t| t <= input.threshold_ds))
                })
                .collect()
        })
        .collect()
}

/// Weight newly covered by a set of candidates (bit `c` of `mask`), summed in point order.
pub(super) fn coverage_value(input: &PlanInput, reach: &[Vec<bool>], mask: u32) -> f64 {
    (0..input.weight.len())
        .filter(|&i| (0..reach.len()).any(|c| mask >> c & 1 == 1 && reach[c][i]))
        .map(|i| input.weight[i])
        .sum()
}

/// The largest weight any set of at most `count` candidates newly covers, and one such set.
pub(super) fn optimum(input: &PlanInput, count: usize) -> (f64, Vec<usize>) {
    assert!(input.candidates.len() <= MAX_CANDIDATES);
    let reach = reach(input);
    let mut best = (0.0, 0u32);
    for mask in 0..1u32 << reach.len() {
        if mask.count_ones() as usize <= count {
            let v = coverage_value(input, &reach, mask);
            if v > best.0 {
                best = (v, mask);
            }
        }
    }
    let sites = (0..reach.len()).filter(|c| best.1 >> c & 1 == 1).collect();
    (best.0, sites)
}

/// Plain greedy: every round, every candidate's gain (summed in point order), the largest taken,
/// ties to the lower index; stops at `count` picks or when no gain is positive. Returns
/// `(candidate, gain)` per pick.
pub(super) fn plain_greedy(input: &PlanInput, count: usize) -> Vec<(usize, f64)> {
    let reach = reach(input);
    let mut done = vec![false; input.weight.len()];
    let mut picks = Vec::new();
    while picks.len() < count {
        let mut best: Option<(usize, f64)> = None;
        for (c, r) in reach.iter().enumerate() {
            let gain: f64 = (0..done.len()).filter(|&i| r[i] && !done[i]).map(|i| input.weight[i]).sum();
            if best.is_none_or(|(_, g)| gain > g) {
                best = Some((c, gain));
            }
        }
        match best {
            Some((c, gain)) if gain > 0.0 => {
                for (i, d) in done.iter_mut().enumerate() {
                    *d |= reach[c][i];
                }
                picks.push((c, gain));
            }
            _ => break,
        }
    }
    picks
}
