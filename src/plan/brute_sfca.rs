//! Test oracles for the 2SFCA objective and for budgets, independent of the planner's cover
//! lists: catchments from one full `nearest` search per candidate, the objective evaluated on a
//! set of sites from scratch, the exhaustive optimum (≤ 12 candidates, optionally within a
//! budget) and the plain greedy algorithm.

use super::ShortfallInput;
use crate::graph::NodeId;
use crate::route::nearest;
use crate::score::sfca::{SCALE, ratio_fixed, ratio_of};

fn usable(w: f64) -> f64 {
    if w.is_finite() && w > 0.0 { w } else { 0.0 }
}

/// The problem as plain arrays: per candidate the points it reaches (attached, positive weight;
/// nothing for a node outside the graph) and its fixed-point ratio; per point
/// weight, target and fixed-point access.
pub(super) struct Model {
    pub reach: Vec<Vec<bool>>,
    pub ratio: Vec<u64>,
    pub weight: Vec<f64>,
    pub target: Vec<f64>,
    pub access: Vec<u64>,
    pub covered: Vec<bool>,
}

impl Model {
    pub fn new(input: &ShortfallInput) -> Model {
        let n = input.graph.node_count();
        let weight: Vec<f64> = input.weight.iter().map(|&w| usable(w)).collect();
        let reach: Vec<Vec<bool>> = input
            .candidates
            .iter()
            .map(|&v| {
                let times = if (v as usize) < n {
                    nearest(input.graph, &[(NodeId(v), 0)], input.threshold_ds).0
                } else {
                    Vec::new()
                };
                (0..weight.len())
                    .map(|i| {
                        weight[i] > 0.0
                            && input.demand_node[i]
                                .is_some_and(|u| times.get(u as usize).is_some_and(|&t| t <= input.threshold_ds))
                    })
                    .collect()
            })
            .collect();
        let ratio = reach
            .iter()
            .map(|r| {
                let d = (0..weight.len()).filter(|&i| r[i]).fold(0.0, |s, i| s + weight[i]);
                ratio_fixed(ratio_of(usable(input.capacity), d))
            })
            .collect();
        Model {
            reach,
            ratio,
            target: input.target.iter().map(|&t| if t.is_finite() && t > 0.0 { t } else { 0.0 }).collect(),
            access: input.access.iter().map(|&a| if a > 0.0 { (a * SCALE).round() as u64 } else { 0 }).collect(),
            weight,
            covered: input.covered.to_vec(),
        }
    }

    fn deficit(&self, i: usize, a: u64) -> f64 {
        (self.target[i] - a as f64 / SCALE).max(0.0)
    }

    /// Access with the sites of `mask` added.
    pub fn access_with(&self, mask: u32) -> Vec<u64> {
        let mut a = self.access.clone();
        for (c, r) in self.reach.iter().enumerate() {
            if mask >> c & 1 == 1 {
                for i in 0..a.len() {
                    if r[i] {
                        a[i] += self.ratio[c];
                    }
                }
            }
        }
        a
    }

    /// Unmet demand with access `a`, places.
    pub fn unmet(&self, a: &[u64]) -> f64 {
        (0..a.len()).map(|i| self.weight[i] * self.deficit(i, a[i])).sum()
    }

    /// Shortfall closed by the sites of `mask`.
    pub fn closed(&self, mask: u32) -> f64 {
        self.unmet(&self.access) - self.unmet(&self.access_with(mask))
    }

    /// Plain greedy as the planner defines it: each candidate at most once, gains summed in point
    /// order, compared rounded to 10⁻⁶ places, then by newly covered weight, then lower index.
    /// Returns `(candidate, gain)`.
    pub fn plain_greedy(&self, count: usize) -> Vec<(usize, f64)> {
        let mut a = self.access.clone();
        let mut done = self.covered.clone();
        let mut picks = Vec::new();
        while picks.len() < count {
            let mut best: Option<(usize, f64, f64, f64)> = None;
            for (c, r) in self.reach.iter().enumerate() {
                if picks.iter().any(|p: &(usize, f64)| p.0 == c) {
                    continue;
                }
                let rr = self.ratio[c] as f64 / SCALE;
                let pts = (0..a.len()).filter(|&i| r[i]);
                let raw = pts.clone().fold(0.0, |s, i| s + self.weight[i] * self.deficit(i, a[i]).min(rr));
                let tie = pts.filter(|&i| !done[i]).fold(0.0, |s, i| s + self.weight[i]);
                let value = (raw / 1e-6).round() * 1e-6;
                if best.is_none_or(|b| value > b.1 || (value == b.1 && tie > b.2)) {
                    best = Some((c, value, tie, raw));
                }
            }
            match best {
                Some((c, value, _, raw)) if value > 0.0 => {
                    for i in 0..a.len() {
                        if self.reach[c][i] {
                            a[i] += self.ratio[c];
                            done[i] = true;
                        }
                    }
                    picks.push((c, raw));
                }
                _ => break,
            }
        }
        picks
    }
}

/// The best value of `value(mask)` over the sets of at most `count` candidates (of `n` ≤ 12)
/// whose cost (bit `c` costs `cost[c]`, when given) is within `limit`.
pub(super) fn best_subset(n: usize, count: usize, cost: Option<(&[f64], f64)>, value: impl Fn(u32) -> f64) -> f64 {
    assert!(n <= super::brute::MAX_CANDIDATES);
    let mut best = 0.0f64;
    for mask in 0..1u32 << n {
        if mask.count_ones() as usize > count {
            continue;
        }
        if let Some((cost, limit)) = cost
            && (0..n).filter(|&c| mask >> c & 1 == 1).map(|c| cost[c]).sum::<f64>() > limit
        {
            continue;
        }
        best = best.max(value(mask));
    }
    best
}
