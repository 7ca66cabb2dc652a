//! Site suggestions for one category of an analysis: candidates, the chosen objective by lazy
//! greedy, and what each chosen site does for each community (coverage, and for the 2SFCA
//! objective per-1,000 and capacity shortfall, before and after).

use super::{
    Budget, PlanInput, ShortfallInput, candidates_from_points, default_candidates, plan_max_coverage_within,
    plan_shortfall,
};
use crate::io::candidate_points::CandidateSite;
use crate::model::Analysis;
use crate::profile::{PlanObjective, QuotaBase};

/// A planning request, validated against the profile (see `cli::plan_request`).
#[derive(Clone, Debug)]
pub struct PlanRequest {
    pub category: String,
    /// Most sites to pick.
    pub count: usize,
    pub objective: PlanObjective,
    /// Capacity of each new facility: required by [`PlanObjective::Sfca`], reported otherwise.
    pub capacity: Option<f64>,
    /// User candidate sites (vacant public land, …); default: street nodes in the communities.
    pub candidates: Option<Vec<CandidateSite>>,
    /// Most the picks may cost together (every candidate then has a cost).
    pub budget: Option<f64>,
}

/// One suggested site with its effect.
#[derive(Clone, Debug)]
pub struct Suggestion {
    pub rank: usize,
    pub node: u32,
    pub lon_lat: [f64; 2],
    /// Coverage: residents of the demand group newly within the threshold. 2SFCA: places-worth of
    /// shortfall closed.
    pub gain: f64,
    pub cumulative_covered: f64,
    pub cumulative_covered_share: f64,
    /// Communities served by this site: coverage, the residents it newly covers there; 2SFCA,
    /// the places-worth of shortfall it closes there.
    pub served: Vec<(usize, f64)>,
    pub cost: Option<f64>,
    pub cumulative_cost: Option<f64>,
    /// 2SFCA only: the site's ratio (places per resident), the residents within its threshold and
    /// the shortfall left after it.
    pub ratio: Option<f64>,
    pub catchment_demand: Option<f64>,
    pub remaining_shortfall: Option<f64>,
}

/// Per-1,000 and capacity shortfall of an area, as the gap report computes them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CapacityFigures {
    pub per_1000: Option<f64>,
    pub shortfall: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct SitePlan {
    pub category: usize,
    pub objective: PlanObjective,
    pub capacity: Option<f64>,
    pub budget: Option<f64>,
    pub candidates: usize,
    pub baseline_covered_share: f64,
    pub suggestions: Vec<Suggestion>,
    /// Per community: covered share before and after all suggested sites.
    pub before_after: Vec<(Option<f64>, Option<f64>)>,
    /// 2SFCA only: unmet demand (places, point by point) before planning.
    pub baseline_shortfall: Option<f64>,
    /// 2SFCA only: per community, then area-wide, per-1,000 and shortfall before and after.
    pub capacity_before_after: Vec<(CapacityFigures, CapacityFigures)>,
    pub area_capacity: Option<(CapacityFigures, CapacityFigures)>,
    /// Budgeted plans: the best single affordable site beat the cost-benefit greedy set.
    pub single_instead: bool,
    pub searches: usize,
    pub evaluations: usize,
}

/// Per-1,000 and shortfall of the points `idx` with access `access`, exactly as `analyze` sums
/// them (`base_all` = residents of all ages of the area).
fn capacity_figures(a: &Analysis, k: usize, idx: &[usize], base_all: f64, access: &[f64]) -> CapacityFigures {
    let cat = &a.profile.categories[k];
    let w = &a.weights[k];
    let wsum: f64 = idx.iter().map(|&i| w[i]).sum();
    let acc: f64 = idx.iter().map(|&i| w[i] * access[i]).sum();
    let base = match cat.quota_base {
        QuotaBase::All => base_all,
        QuotaBase::Group => wsum,
    };
    if base <= 0.0 {
        return CapacityFigures::default();
    }
    CapacityFigures {
        per_1000: Some(1000.0 * acc / base),
        shortfall: cat.quota_per_1000.map(|q| (q * base / 1000.0 - acc).max(0.0)),
    }
}

/// Plans up to `req.count` new sites of a category on an analysis.
pub fn suggest_sites(a: &Analysis, req: &PlanRequest) -> Result<SitePlan, String> {
    let k = a.profile.category_index(&req.category).ok_or_else(|| {
        let ids: Vec<&str> = a.profile.categories.iter().map(|c| c.id.as_str()).collect();
        format!("unknown category {:?} (the profile has: {})", req.category, ids.join(", "))
    })?;
    let cat = &a.profile.categories[k];
    let thr = cat.threshold_ds();
    let covered: Vec<bool> =
        a.demand_node.iter().map(|n| n.is_some_and(|n| a.times_ds[k][n as usize] <= thr)).collect();
    let (candidates, costs): (Vec<u32>, Vec<f64>) = match &req.candidates {
        Some(sites) => {
            let pts: Vec<[f64; 2]> = sites.iter().map(|s| s.lon_lat).collect();
            let nodes = candidates_from_points(&a.graph, &pts);
            if nodes.len() != sites.len() {
                return Err("no street in the extract to place the candidate sites on".into());
            }
            (nodes, sites.iter().map(|s| s.cost.unwrap_or(1.0)).collect())
        }
        None => {
            let areas: Vec<crate::geom::Polygon> =
                a.communities.iter().flat_map(|c| c.polygons.iter().cloned()).collect();
            let nodes = default_candidates(&a.graph, &areas);
            let ones = vec![1.0; nodes.len()];
            (nodes, ones)
        }
    };
    let budget = req.budget.map(|limit| Budget { cost: &costs, limit });
    let total_demand: f64 = a.weights[k].iter().filter(|w| w.is_finite() && **w > 0.0).fold(0.0, |s, w| s + w);
    let baseline_covered: f64 = a.weights[k]
        .iter()
        .zip(&covered)
        .filter(|(w, c)| **c && w.is_finite() && **w > 0.0)
        .fold(0.0, |s, (w, _)| s + w);
    let share = |x: f64| if total_demand > 0.0 { x / total_demand } else { 0.0 };
    let mut plan = SitePlan {
        category: k,
        objective: req.objective,
        capacity: req.capacity,
        budget: req.budget,
        candidates: candidates.len(),
        baseline_covered_share: share(baseline_covered),
        suggestions: Vec::new(),
        before_after: Vec::new(),
        baseline_shortfall: None,
        capacity_before_after: Vec::new(),
        area_capacity: None,
        single_instead: false,
        searches: 0,
        evaluations: 0,
    };
    let mut newly = vec![false; a.demand.len()];
    let site_at = |node: u32| a.graph.lon_lat[node as usize];
    // A threshold in metres is searched on the distance graph (steps not slowed down), as in analyze.
    let search_graph = if cat.threshold_m.is_some() { a.graph.distance_graph() } else { a.graph.clone() };
    match req.objective {
        PlanObjective::Coverage => {
            let input = PlanInput {
                graph: &search_graph,
                demand_node: &a.demand_node,
                weight: &a.weights[k],
                covered: &covered,
                candidates: &candidates,
                threshold_ds: thr,
            };
            let result = plan_max_coverage_within(&input, req.count, budget);
            (plan.searches, plan.evaluations, plan.single_instead) =
                (result.searches, result.evaluations, result.single_instead);
            for p in &result.picks {
                for &d in &p.newly_covered {
                    newly[d] = true;
                }
                let served = by_community(a, p.newly_covered.iter().map(|&d| (d, a.weights[k][d])));
                plan.suggestions.push(Suggestion {
                    rank: p.rank,
                    node: p.node,
                    lon_lat: site_at(p.node),
                    gain: p.gain,
                    cumulative_covered: p.cumulative_covered,
                    cumulative_covered_share: p.cumulative_share,
                    served,
                    cost: p.cost,
                    cumulative_cost: p.cumulative_cost,
                    ratio: None,
                    catchment_demand: None,
                    remaining_shortfall: None,
                });
            }
        }
        PlanObjective::Sfca => {
            let (Some(q), Some(capacity)) = (cat.quota_per_1000, req.capacity) else {
                return Err(format!(
                    "category {}: the 2SFCA objective needs a capacity and a per-1,000 target",
                    cat.id
                ));
            };
            let access: Vec<f64> = match &a.access[k] {
                Some(acc) => acc.clone(),
                None if a.categories[k].facilities == 0 => vec![0.0; a.demand.len()],
                None => {
                    return Err(format!(
                        "category {}: the 2SFCA objective needs the capacity of every existing facility (some have no \
                         capacity tag and the profile sets no default_capacity); use --objective coverage",
                        cat.id
                    ));
                }
            };
            let q = q / 1000.0;
            let target: Vec<f64> = a
                .demand
                .iter()
                .zip(&a.weights[k])
                .map(|(d, &w)| match cat.quota_base {
                    QuotaBase::Group => q,
                    QuotaBase::All if w > 0.0 => q * d.population / w,
                    QuotaBase::All => 0.0,
                })
                .collect();
            let input = ShortfallInput {
                graph: &search_graph,
                demand_node: &a.demand_node,
                weight: &a.weights[k],
                target: &target,
                access: &access,
                covered: &covered,
                candidates: &candidates,
                threshold_ds: thr,
                capacity,
            };
            let result = plan_shortfall(&input, req.count, budget);
            (plan.searches, plan.evaluations, plan.single_instead) =
                (result.searches, result.evaluations, result.single_instead);
            plan.baseline_shortfall = Some(result.baseline_shortfall);
            let mut cumulative = baseline_covered;
            for p in &result.picks {
                for &d in &p.newly_covered {
                    newly[d] = true;
                }
                cumulative += p.newly_covered_weight;
                plan.suggestions.push(Suggestion {
                    rank: p.rank,
                    node: p.node,
                    lon_lat: site_at(p.node),
                    gain: p.gain,
                    cumulative_covered: cumulative,
                    cumulative_covered_share: share(cumulative),
                    served: by_community(a, p.closed.iter().copied()),
                    cost: p.cost,
                    cumulative_cost: p.cumulative_cost,
                    ratio: Some(p.ratio),
                    catchment_demand: Some(p.catchment_demand),
                    remaining_shortfall: Some(p.remaining_shortfall),
                });
            }
            let mut by_comm: Vec<Vec<usize>> = vec![Vec::new(); a.communities.len()];
            for (i, d) in a.demand.iter().enumerate() {
                by_comm[d.community as usize].push(i);
            }
            plan.capacity_before_after = a
                .communities
                .iter()
                .zip(&by_comm)
                .map(|(c, idx)| {
                    let pop = c.population.unwrap_or(0.0);
                    (capacity_figures(a, k, idx, pop, &access), capacity_figures(a, k, idx, pop, &result.access_after))
                })
                .collect();
            let all: Vec<usize> = (0..a.demand.len()).collect();
            let pop: f64 = a.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();
            plan.area_capacity = Some((
                capacity_figures(a, k, &all, pop, &access),
                capacity_figures(a, k, &all, pop, &result.access_after),
            ));
        }
    }
    let n_comm = a.communities.len();
    let (mut num_b, mut num_a, mut den) = (vec![0.0; n_comm], vec![0.0; n_comm], vec![0.0; n_comm]);
    for (d, dp) in a.demand.iter().enumerate() {
        let c = dp.community as usize;
        let w = a.weights[k][d];
        den[c] += w;
        if covered[d] {
            num_b[c] += w;
        }
        if covered[d] || newly[d] {
            num_a[c] += w;
        }
    }
    plan.before_after = (0..n_comm)
        .map(|c| if den[c] > 0.0 { (Some(num_b[c] / den[c]), Some(num_a[c] / den[c])) } else { (None, None) })
        .collect();
    Ok(plan)
}

/// `(demand point, amount)` summed per community, by community index.
fn by_community(a: &Analysis, items: impl Iterator<Item = (usize, f64)>) -> Vec<(usize, f64)> {
    let mut served: Vec<(usize, f64)> = Vec::new();
    for (d, x) in items {
        let c = a.demand[d].community as usize;
        match served.iter_mut().find(|s| s.0 == c) {
            Some(s) => s.1 += x,
            None => served.push((c, x)),
        }
    }
    served.sort_by_key(|s| s.0);
    served
}
