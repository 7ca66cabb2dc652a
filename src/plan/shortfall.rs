//! 2SFCA shortfall reduction by lazy greedy: new sites of a given capacity placed where they close
//! the most unmet per-resident target.

use super::cover::{CoverLists, cover_lists, search_points};
use super::lazy::{Budget, Gain, Marginal, lazy_greedy};
use crate::graph::{NodeId, WalkGraph};
use crate::route::per_source;
use crate::score::sfca::{SCALE, ratio_fixed, ratio_of};

/// One category's shortfall-reduction problem.
#[derive(Clone, Copy, Debug)]
pub struct ShortfallInput<'a> {
    pub graph: &'a WalkGraph,
    /// Demand points: graph node (None = not attached).
    pub demand_node: &'a [Option<u32>],
    /// Residents of the demand group at each point; not finite and positive counts as zero.
    pub weight: &'a [f64],
    /// Target accessible capacity per resident of the demand group at each point (places per
    /// person); not finite and non-negative counts as zero.
    pub target: &'a [f64],
    /// Accessible capacity per resident from the existing facilities (2SFCA step 2, places per
    /// person; held as 2⁻³² fixed point like [`two_step_fca`](crate::score::two_step_fca)).
    pub access: &'a [f64],
    /// Points within the threshold of an existing facility.
    pub covered: &'a [bool],
    /// Candidate sites: graph nodes. A node listed several times is several sites at one place
    /// (each adds its ratio); a node outside the graph serves nobody.
    pub candidates: &'a [u32],
    pub threshold_ds: u32,
    /// Capacity of each new site (places).
    pub capacity: f64,
}

/// One chosen site.
#[derive(Clone, Debug, PartialEq)]
pub struct ShortfallPick {
    pub rank: usize,
    pub candidate: usize,
    pub node: u32,
    /// Places-worth of shortfall this site closes (its marginal gain).
    pub gain: f64,
    /// Unmet demand left after this and every earlier pick, places.
    pub remaining_shortfall: f64,
    /// Step-1 ratio of the site, places per resident (as added in fixed point).
    pub ratio: f64,
    /// Residents of the demand group within its threshold, covered or not (`D_c`).
    pub catchment_demand: f64,
    /// Points whose shortfall it reduces, with the places-worth closed at each, by point index.
    pub closed: Vec<(usize, f64)>,
    /// Points within its threshold that no facility or earlier pick covered, by point index.
    pub newly_covered: Vec<usize>,
    /// Weight of `newly_covered`.
    pub newly_covered_weight: f64,
    /// Budgeted plans: this site's cost and the cost of this and every earlier pick.
    pub cost: Option<f64>,
    pub cumulative_cost: Option<f64>,
}

/// The planned sites, best first.
#[derive(Clone, Debug, PartialEq)]
pub struct ShortfallResult {
    pub picks: Vec<ShortfallPick>,
    /// Unmet demand before planning: `Σ w·max(0, target − access)`, places.
    pub baseline_shortfall: f64,
    /// Bounded searches run: one per attached demand point of positive weight, one per pick.
    pub searches: usize,
    pub evaluations: usize,
    /// Budgeted plans: the best single affordable site beat the cost-benefit greedy set.
    pub single_instead: bool,
    /// Accessible capacity per resident at every point with the picked sites added: what 2SFCA
    /// computes when the analysis is re-run with them.
    pub access_after: Vec<f64>,
}

/// Gains are compared rounded to this many places (a millionth): equal to the last few bits,
/// e.g. two sites that both put their whole capacity to use, then go by newly covered residents.
const GAIN_QUANTUM: f64 = 1e-6;

fn usable(w: f64) -> f64 {
    if w.is_finite() && w > 0.0 { w } else { 0.0 }
}

fn sum_in_order(terms: impl Iterator<Item = f64>) -> f64 {
    terms.fold(0.0, |acc, w| acc + w)
}

/// Shortfall per resident at a point with target `t` and fixed-point access `a`.
fn deficit(t: f64, a: u64) -> f64 {
    (t - a as f64 / SCALE).max(0.0)
}

/// The objective's state: fixed-point access, covered points and the sites' ratios.
struct Shortfall<'a> {
    lists: &'a CoverLists,
    weight: &'a [f64],
    target: &'a [f64],
    ratio: &'a [u64],
    access: Vec<u64>,
    done: Vec<bool>,
}

impl Shortfall<'_> {
    /// `(point, places closed)` for every point of `c`'s catchment, and the newly covered weight.
    fn terms(&self, c: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let r = self.ratio[c] as f64 / SCALE;
        self.lists.of(c).iter().map(move |&p| {
            let p = p as usize;
            (p, self.weight[p] * deficit(self.target[p], self.access[p]).min(r))
        })
    }
    fn apply(&mut self, c: usize) {
        for &p in self.lists.of(c) {
            self.access[p as usize] += self.ratio[c];
            self.done[p as usize] = true;
        }
    }
}

impl Marginal for Shortfall<'_> {
    fn gain(&self, c: usize) -> Gain {
        let raw = sum_in_order(self.terms(c).map(|t| t.1));
        let tie = sum_in_order(
            self.lists.of(c).iter().filter(|&&p| !self.done[p as usize]).map(|&p| self.weight[p as usize]),
        );
        Gain { value: (raw / GAIN_QUANTUM).round() * GAIN_QUANTUM, tie }
    }
    fn commit(&mut self, c: usize) {
        self.apply(c);
    }
}

/// Picks up to `count` sites of capacity `input.capacity` that close the most unmet demand
/// `Σ w·max(0, target − access)`, by lazy greedy (see the [module documentation](super)), with an
/// optional budget. Stops early when no candidate closes anything. The same for any number of
/// threads.
///
/// # Panics
/// If the per-point slices differ in length, the budget has fewer costs than candidates, or
/// there are `u32::MAX` candidates or more.
pub fn plan_shortfall(input: &ShortfallInput, count: usize, budget: Option<Budget>) -> ShortfallResult {
    let n = input.demand_node.len();
    assert!(
        [input.weight.len(), input.target.len(), input.access.len(), input.covered.len()].iter().all(|&l| l == n),
        "plan: demand_node, weight, target, access and covered must have the same length"
    );
    if let Some(b) = budget {
        assert!(b.cost.len() >= input.candidates.len(), "plan: a cost per candidate");
    }
    let weight: Vec<f64> = input.weight.iter().map(|&w| usable(w)).collect();
    let target: Vec<f64> = input.target.iter().map(|&t| if t.is_finite() && t > 0.0 { t } else { 0.0 }).collect();
    let access: Vec<u64> =
        input.access.iter().map(|&a| if a.is_finite() && a > 0.0 { (a * SCALE).round() as u64 } else { 0 }).collect();
    let unmet = |access: &[u64]| sum_in_order((0..n).map(|p| weight[p] * deficit(target[p], access[p])));
    let baseline_shortfall = unmet(&access);
    let mut result = ShortfallResult {
        picks: Vec::new(),
        baseline_shortfall,
        searches: 0,
        evaluations: 0,
        single_instead: false,
        access_after: access.iter().map(|&a| a as f64 / SCALE).collect(),
    };
    let capacity = usable(input.capacity);
    if count == 0 || input.candidates.is_empty() || capacity <= 0.0 {
        return result;
    }
    // Every attached point of positive weight: its search adds it to the demand D_c of each
    // candidate in reach (step 1); the points still short of target or uncovered are kept.
    let points = search_points(input.graph, input.demand_node, &weight, |_| true);
    result.searches = points.len();
    let mut demand = vec![0.0; input.candidates.len()];
    let keep = |p: u32| deficit(target[p as usize], access[p as usize]) > 0.0 || !input.covered[p as usize];
    let lists = cover_lists(input.graph, input.candidates, &points, input.threshold_ds, keep, |p, cands| {
        for &c in cands {
            demand[c as usize] += weight[p as usize];
        }
    });
    let demand: Vec<f64> = (0..input.candidates.len()).map(|c| lists.first(c).map_or(0.0, |f| demand[f])).collect();
    let ratio: Vec<u64> = demand.iter().map(|&d| ratio_fixed(ratio_of(capacity, d))).collect();
    let active = (0..input.candidates.len()).filter(|&c| ratio[c] > 0 && !lists.of(c).is_empty());
    let mut objective = Shortfall {
        lists: &lists,
        weight: &weight,
        target: &target,
        ratio: &ratio,
        access: access.clone(),
        done: input.covered.to_vec(),
    };
    let choice = lazy_greedy(&mut objective, active, count, budget);
    result.evaluations = choice.evaluations;
    result.single_instead = choice.single_instead;

    // Replay the picks to report what each one does.
    let mut state = Shortfall { access: access.clone(), done: input.covered.to_vec(), ..objective };
    let mut spent = 0.0;
    for (k, &c) in choice.picks.iter().enumerate() {
        let closed: Vec<(usize, f64)> = state.terms(c).filter(|t| t.1 > 0.0).collect();
        let gain = sum_in_order(closed.iter().map(|t| t.1));
        let newly_covered: Vec<usize> = lists.of(c).iter().map(|&p| p as usize).filter(|&p| !state.done[p]).collect();
        let newly_covered_weight = sum_in_order(newly_covered.iter().map(|&p| weight[p]));
        state.apply(c);
        let cost = budget.map(|b| b.cost[c]);
        if let Some(x) = cost {
            spent += x;
        }
        result.picks.push(ShortfallPick {
            rank: k + 1,
            candidate: c,
            node: input.candidates[c],
            gain,
            remaining_shortfall: unmet(&state.access),
            ratio: ratio[c] as f64 / SCALE,
            catchment_demand: demand[c],
            closed,
            newly_covered,
            newly_covered_weight,
            cost,
            cumulative_cost: cost.map(|_| spent),
        });
    }

    // Step 2 from the picked sites over every point (the cover lists hold only some of them).
    let mut point_of = std::collections::HashMap::with_capacity(points.len());
    for &(p, v) in &points {
        point_of.entry(v).or_insert_with(Vec::new).push(p);
    }
    let sources: Vec<(NodeId, u32)> = result.picks.iter().map(|p| (NodeId(p.node), 0)).collect();
    result.searches += sources.len();
    let reached: Vec<Vec<u32>> = per_source(input.graph, &sources, input.threshold_ds, |_, settled| {
        settled.iter().filter_map(|(v, _)| point_of.get(v)).flatten().copied().collect()
    });
    let mut after = access;
    for (pick, pts) in result.picks.iter().zip(&reached) {
        let rf = ratio[pick.candidate];
        for &p in pts {
            after[p as usize] += rf;
        }
    }
    result.access_after = after.iter().map(|&a| a as f64 / SCALE).collect();
    result
}
