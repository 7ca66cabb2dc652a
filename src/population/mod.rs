//! Population sources beyond building floor area: census tables per administrative unit and
//! gridded population rasters (WorldPop, GHS-POP, national 100 m grids as GeoTIFF).
//!
//! Both end as [`PopPoint`]s: residents (and age groups, from a census) placed on residential
//! buildings in proportion to floor area, or on sample points where no building is mapped. Totals
//! are kept exact: the points of a unit (census) or a cell (raster) add up to its population to
//! floating-point rounding. [`community_totals`] turns the points into community populations. A
//! census is then spread over the community's buildings again by the same floor-area rule; raster
//! points become the demand points themselves ([`place::demand_from_points`]), so each cell's
//! residents stay in that cell.
//!
//! Glossary:
//! - **floor area**: footprint m² × `building:levels` (the profile's `default_levels` when untagged),
//!   of residential buildings (`building=residential|apartments|house|…`, or `yes` of unknown use).
//! - **census row**: one unit's population and optional age-group counts (`age_0_3` … `age_65_plus`).
//! - **cell**: a raster pixel; its population goes to the buildings whose centroid lies in it.

pub mod census;
pub mod place;
pub mod raster;
pub mod spread;

pub use census::{CensusRow, read_census};
pub use raster::{PopRaster, RasterCrs, RasterSpread, read_raster, spread_raster};
pub use spread::{CensusSpread, spread_census, spread_over_buildings};

use crate::community::Community;
use crate::geom::{Polygon, PolygonIndex};

use crate::osm::{Building, BuildingUse};
use crate::profile::PopulationParams;

/// Residents placed at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct PopPoint {
    pub point: [f64; 2],
    /// Residents of all ages.
    pub population: f64,
    /// Residents per age group (`age_0_3`, …), for the groups the source has.
    pub age_groups: Vec<(String, f64)>,
    /// The building (index into the building list) the residents live in; `None` for a sample
    /// point (a unit or cell without residential buildings).
    pub building: Option<usize>,
}

/// Floor area of a building that houses residents, m²; `None` for other buildings.
pub fn residential_floor_m2(b: &Building, params: &PopulationParams) -> Option<f64> {
    (b.usage != BuildingUse::Other && b.footprint_m2 > 0.0)
        .then(|| b.footprint_m2 * b.levels.unwrap_or(params.default_levels))
        .filter(|f| f.is_finite() && *f > 0.0)
}

/// Most sample points placed in one polygon set (the spacing grows beyond this).
const MAX_SAMPLES: f64 = 2000.0;

/// Regular sample points inside polygons, `spacing_m` apart (wider when that would give more than
/// 2,000); the first polygon's centroid when none falls inside (a sliver).
pub fn sample_points(polygons: &[Polygon], spacing_m: f64) -> Vec<[f64; 2]> {
    crate::geom::polygon::grid_samples(polygons, spacing_m, MAX_SAMPLES)
}

/// Population and age groups of each community from placed points.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommunityTotals {
    /// Per community: residents of the points inside it.
    pub population: Vec<f64>,
    /// Per community: age-group residents (the groups the points carry).
    pub age_groups: Vec<Vec<(String, f64)>>,
    /// Residents of points inside no community (reported, not placed).
    pub outside: f64,
    pub outside_points: usize,
    /// Per point: the community it counts in (`None`: outside every community).
    pub point_community: Vec<Option<usize>>,
}

/// Sums the points per community (a point inside several overlapping communities counts in the
/// first, as buildings do in the analysis). An age group is reported for a community only when
/// every point inside it carries the group. Set each community's `population` (source `given`) and
/// `age_groups` from the result before placing demand points.
pub fn community_totals(points: &[PopPoint], communities: &[Community]) -> CommunityTotals {
    let index = PolygonIndex::new(communities.iter().map(Community::bbox).enumerate());
    let mut t = CommunityTotals {
        population: vec![0.0; communities.len()],
        age_groups: vec![Vec::new(); communities.len()],
        point_community: Vec::with_capacity(points.len()),
        ..Default::default()
    };
    // Per community: points, and points carrying each group (a group is kept only when every
    // point of the community carries it, else the community's share of the group would be short).
    let mut npoints = vec![0usize; communities.len()];
    let mut ngroup: Vec<Vec<usize>> = vec![Vec::new(); communities.len()];
    for p in points {
        let hit = index.first_containing(p.point, |c| communities[c].contains(p.point));
        t.point_community.push(hit);
        match hit {
            Some(c) => {
                t.population[c] += p.population;
                npoints[c] += 1;
                for (g, v) in &p.age_groups {
                    match t.age_groups[c].iter().position(|x| x.0 == *g) {
                        Some(i) => {
                            t.age_groups[c][i].1 += v;
                            ngroup[c][i] += 1;
                        }
                        None => {
                            t.age_groups[c].push((g.clone(), *v));
                            ngroup[c].push(1);
                        }
                    }
                }
            }
            None => {
                t.outside += p.population;
                t.outside_points += 1;
            }
        }
    }
    for (c, groups) in t.age_groups.iter_mut().enumerate() {
        let mut i = 0;
        groups.retain(|_| {
            i += 1;
            ngroup[c][i - 1] == npoints[c]
        });
    }
    t
}

#[cfg(test)]
mod tests;
