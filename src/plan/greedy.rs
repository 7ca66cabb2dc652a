//! Maximal coverage by lazy greedy (CELF) over cover lists built from the demand side.

use super::cover::{CoverLists, cover_lists, search_points};
use super::lazy::{Budget, Gain, Marginal, lazy_greedy};
use crate::graph::WalkGraph;

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
    /// Candidate sites: graph nodes. Candidates at the same node have the same catchment (after
    /// one is picked the others gain nothing); a node outside the graph covers nothing.
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
    /// Budgeted plans: this site's cost and the cost of this and every earlier pick.
    pub cost: Option<f64>,
    pub cumulative_cost: Option<f64>,
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
    /// Budgeted plans: the best single affordable site beat the cost-benefit greedy set.
    pub single_instead: bool,
}

/// A demand weight as used by the planner: finite and positive, else zero.
fn usable(w: f64) -> f64 {
    if w.is_finite() && w > 0.0 { w } else { 0.0 }
}

/// A sum in iteration order starting from +0.0 (`Iterator::sum` starts from −0.0, which would
/// surface as "-0" in reports for an empty sum).
fn sum_in_order(terms: impl Iterator<Item = f64>) -> f64 {
    terms.fold(0.0, |acc, w| acc + w)
}

/// Coverage as a [`Marginal`] objective: `done[i]` = point i covered (before planning or by a
/// pick); the gain of a candidate is the weight of its catchment not yet done, summed in point
/// order.
struct Coverage<'a> {
    lists: &'a CoverLists,
    weight: &'a [f64],
    done: Vec<bool>,
}

impl Marginal for Coverage<'_> {
    fn gain(&self, c: usize) -> Gain {
        let value = sum_in_order(
            self.lists.of(c).iter().filter(|&&p| !self.done[p as usize]).map(|&p| self.weight[p as usize]),
        );
        Gain { value, tie: 0.0 }
    }
    fn commit(&mut self, c: usize) {
        for &p in self.lists.of(c) {
            self.done[p as usize] = true;
        }
    }
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
    plan_max_coverage_within(input, count, None)
}

/// [`plan_max_coverage`] with an optional budget: with one, the picks are chosen by gain per
/// unit cost among the candidates that still fit, and the better of that set and the best single
/// affordable candidate is returned (see the [module documentation](super)).
///
/// # Panics
/// As [`plan_max_coverage`]; also if the budget's cost list is shorter than the candidates.
pub fn plan_max_coverage_within(input: &PlanInput, count: usize, budget: Option<Budget>) -> PlanResult {
    let n_points = input.demand_node.len();
    assert!(
        input.weight.len() == n_points && input.covered.len() == n_points,
        "plan: demand_node, weight and covered must have the same length ({}, {}, {})",
        n_points,
        input.weight.len(),
        input.covered.len()
    );
    if let Some(b) = budget {
        assert!(b.cost.len() >= input.candidates.len(), "plan: a cost per candidate");
    }
    let weight: Vec<f64> = input.weight.iter().map(|&w| usable(w)).collect();
    let total_demand = sum_in_order(weight.iter().copied());
    let baseline_covered = sum_in_order(weight.iter().zip(input.covered).filter(|(_, c)| **c).map(|(w, _)| *w));
    let mut result = PlanResult {
        picks: Vec::new(),
        baseline_covered,
        total_demand,
        searches: 0,
        evaluations: 0,
        single_instead: false,
    };
    if count == 0 || input.candidates.is_empty() {
        return result;
    }
    // Uncovered attached points of positive weight: one search each, listing the candidates
    // within the threshold.
    let points = search_points(input.graph, input.demand_node, &weight, |i| !input.covered[i]);
    result.searches = points.len();
    let lists = cover_lists(input.graph, input.candidates, &points, input.threshold_ds, |_| true, |_, _| {});
    let active = (0..input.candidates.len()).filter(|&c| !lists.of(c).is_empty());
    let mut objective = Coverage { lists: &lists, weight: &weight, done: input.covered.to_vec() };
    let choice = lazy_greedy(&mut objective, active, count, budget);
    result.evaluations = choice.evaluations;
    result.single_instead = choice.single_instead;

    // Replay the picks to report what each one adds.
    let mut done = input.covered.to_vec();
    let mut cumulative = baseline_covered;
    let mut spent = 0.0;
    for (k, &c) in choice.picks.iter().enumerate() {
        let newly_covered: Vec<usize> = lists.of(c).iter().map(|&p| p as usize).filter(|&p| !done[p]).collect();
        let gain = sum_in_order(newly_covered.iter().map(|&p| weight[p]));
        for &p in &newly_covered {
            done[p] = true;
        }
        cumulative += gain;
        let cost = budget.map(|b| b.cost[c]);
        if let Some(x) = cost {
            spent += x;
        }
        result.picks.push(Pick {
            rank: k + 1,
            candidate: c,
            node: input.candidates[c],
            gain,
            cumulative_covered: cumulative,
            cumulative_share: if total_demand > 0.0 { cumulative / total_demand } else { 0.0 },
            newly_covered,
            cost,
            cumulative_cost: cost.map(|_| spent),
        });
    }
    result
}
