//! Presence indicators: the share of units of some levels that have a facility of a category.
//!
//! A unit passes an indicator when, for its category (and name patterns, if any):
//! - `contains`: a facility's point lies inside the unit polygon;
//! - `within`: some resident of the unit (a demand point inside the polygon) reaches a facility
//!   within `minutes` of walking. The category's nearest-facility times (`Analysis::times_ds`) are
//!   used when they answer the question (no name filter, `minutes` within the search cap);
//!   otherwise one capped search from the matching facilities runs here. A unit without any
//!   resident is judged by containment and listed in `no_residents`.
//!
//! With `all_names`, every name pattern must be met by some facility (一场两馆: a 体育场, a 体育馆
//! and a 游泳馆); otherwise a facility matching any pattern (or any facility when there is none)
//! does. The indicator passes when the share of passing units reaches `min_share`.

use rstar::{AABB, RTree, primitives::GeomWithData};
use serde::Serialize;

use super::Unit;
use crate::graph::NodeId;
use crate::model::{Analysis, Facility};
use crate::profile::{Presence, PresenceMode};
use crate::route::nearest;

/// The outcome of one presence indicator.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PresenceResult {
    pub id: String,
    /// Units of the indicator's levels (indices into the unit list), in index order.
    pub units: Vec<usize>,
    /// Of them, those that pass.
    pub passing: Vec<usize>,
    /// Of them, those that fail.
    pub failing: Vec<usize>,
    /// `passing ÷ units`; `None` when the layer has no unit of the levels.
    pub share: Option<f64>,
    pub min_share: f64,
    /// `share ≥ min_share`; `None` when there is no unit of the levels.
    pub pass: Option<bool>,
    /// Mode `within`: units of the levels without any resident (judged by containment).
    pub no_residents: Vec<usize>,
    /// False when the indicator's category has no data (no facility in the inputs): then nothing
    /// passes or fails (`share` and `pass` are `None`).
    pub assessed: bool,
}

impl PresenceResult {
    /// Whether unit `u` passes; `None` when the indicator does not apply to it.
    pub fn unit_pass(&self, u: usize) -> Option<bool> {
        if !self.assessed {
            return None;
        }
        self.units.binary_search(&u).ok().map(|_| self.passing.binary_search(&u).is_ok())
    }
}

/// Whether facility `f` counts for the indicator: of its category, and its name contains
/// `pattern` (one pattern of an `all_names` indicator) or any of the indicator's names.
fn counts(f: &Facility, p: &Presence, pattern: Option<&str>) -> bool {
    f.serves(crate::model::CategoryId::from_index(p.category))
        && match pattern {
            Some(pat) => f.name.contains(pat),
            None => p.names.is_empty() || p.names.iter().any(|n| f.name.contains(n.as_str())),
        }
}

/// Evaluates every indicator over the units (in indicator order).
pub fn evaluate_presence(a: &Analysis, units: &[Unit], indicators: &[Presence]) -> Vec<PresenceResult> {
    let boxes: Vec<[f64; 4]> = units.iter().map(Unit::bbox).collect();
    let residents: RTree<GeomWithData<[f64; 2], usize>> = RTree::bulk_load(
        a.demand
            .iter()
            .enumerate()
            .filter(|(_, d)| d.population > 0.0)
            .map(|(i, d)| GeomWithData::new(d.point, i))
            .collect(),
    );
    // Demand points (with residents) inside each unit, computed once for the units that need them.
    let mut inside_cache: Vec<Option<Vec<usize>>> = vec![None; units.len()];
    let mut points_in = |u: usize| -> Vec<usize> {
        inside_cache[u]
            .get_or_insert_with(|| {
                let b = boxes[u];
                if !b[0].is_finite() {
                    return Vec::new();
                }
                let mut v: Vec<usize> = residents
                    .locate_in_envelope(&AABB::from_corners([b[0], b[1]], [b[2], b[3]]))
                    .map(|g| g.data)
                    .filter(|&i| units[u].contains(a.demand[i].point))
                    .collect();
                v.sort_unstable();
                v
            })
            .clone()
    };
    indicators
        .iter()
        .map(|p| {
            let groups: Vec<Option<&str>> =
                if p.all_names { p.names.iter().map(|n| Some(n.as_str())).collect() } else { vec![None] };
            let members: Vec<Vec<&Facility>> =
                groups.iter().map(|g| a.facilities.iter().filter(|f| counts(f, p, *g)).collect()).collect();
            let contains_all = |u: usize| members.iter().all(|fs| fs.iter().any(|f| units[u].contains(f.point)));
            let cat = &a.profile.categories[p.category];
            // Mode within: walking times from each group's facilities, capped at `minutes`.
            let limit_ds = match p.mode {
                PresenceMode::Within { minutes } => Some((minutes * 600.0).round() as u32),
                PresenceMode::Contains => None,
            };
            let times: Vec<std::borrow::Cow<'_, [u32]>> = match limit_ds {
                None => Vec::new(),
                Some(lim) if !p.all_names && p.names.is_empty() && lim <= a.profile.cap_ds(cat) => {
                    vec![std::borrow::Cow::Borrowed(a.times_ds[p.category].as_slice())]
                }
                Some(lim) => members
                    .iter()
                    .map(|fs| {
                        let src: Vec<(NodeId, u32)> =
                            fs.iter().filter_map(|f| f.node.map(|n| (NodeId(n), 0))).collect();
                        std::borrow::Cow::Owned(nearest(&a.graph, &src, lim).0)
                    })
                    .collect(),
            };
            let mut r = PresenceResult {
                id: p.id.clone(),
                units: Vec::new(),
                passing: Vec::new(),
                failing: Vec::new(),
                share: None,
                min_share: p.min_share,
                pass: None,
                no_residents: Vec::new(),
                assessed: a.categories[p.category].assessment.assessed(),
            };
            if !r.assessed {
                r.units = (0..units.len()).filter(|&u| units[u].is_of(&p.levels)).collect();
                return r;
            }
            for u in (0..units.len()).filter(|&u| units[u].is_of(&p.levels)) {
                r.units.push(u);
                let ok = match limit_ds {
                    None => contains_all(u),
                    Some(lim) => {
                        let pts = points_in(u);
                        if pts.is_empty() {
                            r.no_residents.push(u);
                            contains_all(u)
                        } else {
                            times
                                .iter()
                                .all(|t| pts.iter().any(|&i| a.demand_node[i].is_some_and(|n| t[n as usize] <= lim)))
                        }
                    }
                };
                if ok { r.passing.push(u) } else { r.failing.push(u) }
            }
            if !r.units.is_empty() {
                let share = r.passing.len() as f64 / r.units.len() as f64;
                r.share = Some(share);
                // A target its source states only for a later year is shown, not passed or failed.
                let due_later = matches!(p.status, crate::profile::TargetStatus::DueIn(_));
                r.pass = (!due_later).then_some(share + 1e-12 >= p.min_share);
            }
            r
        })
        .collect()
}
