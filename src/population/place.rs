//! Raster residents placed directly as demand points: each placed point (a building of a cell,
//! or a cell centre) becomes a demand point of the community containing it, so a cell's residents
//! stay in that cell instead of being re-spread over the whole community by floor area. Community
//! totals are unchanged: they are the sums of the same points ([`super::community_totals`]).

use super::PopPoint;
use crate::community::DemandPoint;

/// Demand points of the communities with `keep[c]`, from `points` and their communities
/// (`point_community`, from [`super::community_totals`]); in community order, then point order.
pub fn demand_from_points(points: &[PopPoint], point_community: &[Option<usize>], keep: &[bool]) -> Vec<DemandPoint> {
    assert_eq!(points.len(), point_community.len(), "one community per point");
    let mut out: Vec<DemandPoint> = points
        .iter()
        .zip(point_community)
        .filter_map(|(p, c)| {
            let c = (*c)?;
            keep[c].then_some(DemandPoint { community: c as u32, point: p.point, population: p.population })
        })
        .collect();
    out.sort_by_key(|d| d.community);
    out
}
