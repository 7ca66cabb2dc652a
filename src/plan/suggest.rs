//! Site suggestions for one category of an analysis: candidates, lazy greedy, and what each chosen
//! site does for each community (before/after coverage).

use super::{PlanInput, PlanResult, candidates_from_points, default_candidates, plan_max_coverage};
use crate::analyze::Analysis;

/// A planning request.
#[derive(Clone, Debug)]
pub struct PlanRequest {
    pub category: String,
    pub count: usize,
    /// Capacity of each new facility (reported; the objective is maximal coverage).
    pub capacity: Option<f64>,
    /// User candidate points (vacant public land, …); default: street nodes in the communities.
    pub candidates: Option<Vec<[f64; 2]>>,
}

/// One suggested site with its effect.
#[derive(Clone, Debug)]
pub struct Suggestion {
    pub rank: usize,
    pub node: u32,
    pub lon_lat: [f64; 2],
    /// Residents of the demand group newly within the threshold.
    pub gain: f64,
    pub cumulative_covered: f64,
    pub cumulative_covered_share: f64,
    /// Communities served by this site, with the residents it newly covers there.
    pub served: Vec<(usize, f64)>,
}

#[derive(Clone, Debug)]
pub struct SitePlan {
    pub category: usize,
    pub capacity: Option<f64>,
    pub candidates: usize,
    pub baseline_covered_share: f64,
    pub suggestions: Vec<Suggestion>,
    /// Per community: covered share before and after all suggested sites.
    pub before_after: Vec<(Option<f64>, Option<f64>)>,
    pub result: PlanResult,
}

/// Plans `req.count` new sites of a category on an analysis.
pub fn suggest_sites(a: &Analysis, req: &PlanRequest) -> Result<SitePlan, String> {
    let k = a.profile.category_index(&req.category).ok_or_else(|| {
        let ids: Vec<&str> = a.profile.categories.iter().map(|c| c.id.as_str()).collect();
        format!("unknown category {:?} (the profile has: {})", req.category, ids.join(", "))
    })?;
    let cat = &a.profile.categories[k];
    let thr = cat.threshold_ds();
    let covered: Vec<bool> =
        a.demand_node.iter().map(|n| n.is_some_and(|n| a.times_ds[k][n as usize] <= thr)).collect();
    let candidates = match &req.candidates {
        Some(p) => candidates_from_points(&a.graph, p),
        None => {
            let areas: Vec<Vec<Vec<[f64; 2]>>> =
                a.communities.iter().flat_map(|c| c.polygons.iter().cloned()).collect();
            default_candidates(&a.graph, &areas)
        }
    };
    let input = PlanInput {
        graph: &a.graph,
        demand_node: &a.demand_node,
        weight: &a.weights[k],
        covered: &covered,
        candidates: &candidates,
        threshold_ds: thr,
    };
    let result = plan_max_coverage(&input, req.count);
    let mut newly = vec![false; a.demand.len()];
    let suggestions = result
        .picks
        .iter()
        .map(|p| {
            let mut served: Vec<(usize, f64)> = Vec::new();
            for &d in &p.newly_covered {
                newly[d] = true;
                let c = a.demand[d].community as usize;
                match served.iter_mut().find(|x| x.0 == c) {
                    Some(x) => x.1 += a.weights[k][d],
                    None => served.push((c, a.weights[k][d])),
                }
            }
            served.sort_by_key(|x| x.0);
            Suggestion {
                rank: p.rank,
                node: p.node,
                lon_lat: a.graph.lon_lat[p.node as usize],
                gain: p.gain,
                cumulative_covered: p.cumulative_covered,
                cumulative_covered_share: p.cumulative_share,
                served,
            }
        })
        .collect();
    let mut num_b = vec![0.0; a.communities.len()];
    let mut num_a = vec![0.0; a.communities.len()];
    let mut den = vec![0.0; a.communities.len()];
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
    let before_after = (0..a.communities.len())
        .map(|c| if den[c] > 0.0 { (Some(num_b[c] / den[c]), Some(num_a[c] / den[c])) } else { (None, None) })
        .collect();
    let baseline_covered_share =
        if result.total_demand > 0.0 { result.baseline_covered / result.total_demand } else { 0.0 };
    Ok(SitePlan {
        category: k,
        capacity: req.capacity,
        candidates: candidates.len(),
        baseline_covered_share,
        suggestions,
        before_after,
        result,
    })
}
