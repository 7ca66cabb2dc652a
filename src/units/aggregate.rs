//! Community figures summed per unit, weighted by the community's share in the unit.
//!
//! For unit `u` and category `k`, with `s_c` the share of community `c` in `u`:
//! - population `P_u = Σ s_c · population_c`; demand `D_u = Σ s_c · demand_c`; covered
//!   `C_u = Σ s_c · covered_c`; covered share `C_u ÷ D_u` (so a unit holding whole communities has
//!   exactly the coverage of their residents);
//! - accessible capacity `A_u = Σ s_c · accessible_c` (2SFCA), per 1,000 = `1000 · A_u ÷ base`, base
//!   `P_u` or `D_u` as the category's `quota_base` says;
//! - score: the mean of the communities' composite scores weighted by `s_c · population_c`.
//!
//! Shares spread a community's figures evenly over its area (with [`nest`](super::nest)) or over
//! its residents (with [`nest_by_residents`](super::nest_by_residents)).

use serde::Serialize;

use super::Unit;
use crate::model::Analysis;
use crate::profile::QuotaBase;

/// One unit's figures for one category.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UnitCategory {
    /// Residents of the category's demand group.
    pub demand: f64,
    /// Of them, within the threshold.
    pub covered: f64,
    pub covered_share: Option<f64>,
    pub unserved: f64,
    /// Covered share at the elderly walking speed (一老一小 categories).
    pub covered_share_elderly: Option<f64>,
    /// Accessible capacity (places, beds) of the unit's demand group (2SFCA); `None` when the
    /// category has no capacities.
    pub accessible_capacity: Option<f64>,
    pub per_1000: Option<f64>,
    /// Capacity missing to reach the quota, when positive.
    pub capacity_shortfall: Option<f64>,
    pub quota_pass: Option<bool>,
    /// Coverage target met and (where a quota applies) per-1,000 ≥ quota.
    pub pass: Option<bool>,
    /// Population-weighted mean composite score of the communities, 0–100.
    pub score: Option<f64>,
}

/// One unit's figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UnitFigures {
    /// Residents (all ages).
    pub population: f64,
    /// Communities with a share in the unit.
    pub communities: usize,
    /// Per category, in profile order.
    pub categories: Vec<UnitCategory>,
    /// Population-weighted mean of the communities' overall scores, 0–100.
    pub score: Option<f64>,
}

/// Aggregates the analysis per unit; `nesting[community] = [(unit, share)]` from
/// [`nest`](super::nest) or [`nest_by_residents`](super::nest_by_residents). One entry per unit.
pub fn aggregate(a: &Analysis, nesting: &[Vec<(usize, f64)>], units: &[Unit]) -> Vec<UnitFigures> {
    assert_eq!(nesting.len(), a.communities.len(), "one nesting row per community");
    let ncat = a.profile.categories.len();
    // Members of each unit: (community, share).
    let mut members: Vec<Vec<(usize, f64)>> = vec![Vec::new(); units.len()];
    for (c, row) in nesting.iter().enumerate() {
        for &(u, s) in row {
            members[u].push((c, s));
        }
    }
    members
        .iter()
        .map(|m| {
            let pop = |c: usize| a.communities[c].population.unwrap_or(0.0);
            let population: f64 = m.iter().map(|&(c, s)| s * pop(c)).sum();
            let weighted_mean = |score: &dyn Fn(usize) -> Option<f64>| -> Option<f64> {
                let (mut num, mut den) = (0.0, 0.0);
                for &(c, s) in m {
                    if let Some(x) = score(c) {
                        num += s * pop(c) * x;
                        den += s * pop(c);
                    }
                }
                (den > 0.0).then(|| num / den)
            };
            let categories = (0..ncat)
                .map(|k| {
                    let cat = &a.profile.categories[k];
                    let f = |c: usize| &a.per_community[c][k];
                    let demand: f64 = m.iter().map(|&(c, s)| s * f(c).stats.demand).sum();
                    let covered: f64 = m.iter().map(|&(c, s)| s * f(c).stats.covered).sum();
                    if !a.categories[k].assessment.assessed() {
                        // No data: the demand group's size only, as for the communities.
                        return UnitCategory { demand, ..Default::default() };
                    }
                    let mut uc = UnitCategory {
                        demand,
                        covered,
                        covered_share: (demand > 0.0).then(|| covered / demand),
                        unserved: (demand - covered).max(0.0),
                        ..Default::default()
                    };
                    if m.iter().any(|&(c, _)| f(c).covered_share_elderly.is_some()) && demand > 0.0 {
                        let ce: f64 = m
                            .iter()
                            .map(|&(c, s)| s * f(c).stats.demand * f(c).covered_share_elderly.unwrap_or(0.0))
                            .sum();
                        uc.covered_share_elderly = Some(ce / demand);
                    }
                    if m.iter().any(|&(c, _)| f(c).accessible_capacity.is_some()) {
                        let acc: f64 = m.iter().map(|&(c, s)| s * f(c).accessible_capacity.unwrap_or(0.0)).sum();
                        uc.accessible_capacity = Some(acc);
                        let base = match cat.quota_base {
                            QuotaBase::All => population,
                            QuotaBase::Group => demand,
                        };
                        if base > 0.0 {
                            let per_1000 = 1000.0 * acc / base;
                            uc.per_1000 = Some(per_1000);
                            if let Some(q) = cat.quota_per_1000 {
                                uc.capacity_shortfall = Some((q * base / 1000.0 - acc).max(0.0));
                                uc.quota_pass = Some(per_1000 + 1e-9 >= q);
                            }
                        }
                    }
                    uc.pass =
                        uc.covered_share.map(|s| s + 1e-12 >= cat.coverage_target && uc.quota_pass != Some(false));
                    uc.score = weighted_mean(&|c| f(c).score);
                    uc
                })
                .collect();
            UnitFigures {
                population,
                communities: m.len(),
                categories,
                score: weighted_mean(&|c| a.community_score[c]),
            }
        })
        .collect()
}
