//! Demand points: where residents live, with how many of them.

use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use super::{Community, PopulationSource};
use crate::osm::{Building, BuildingUse};
use crate::profile::PopulationParams;

#[derive(Clone, Debug, PartialEq)]
pub struct DemandPoint {
    /// Index of the community.
    pub community: u32,
    pub point: [f64; 2],
    /// Residents (all ages) at this point.
    pub population: f64,
}

/// Most samples placed in one community without buildings (the spacing grows beyond this).
const MAX_SAMPLES: f64 = 2000.0;

fn samples_inside(c: &Community, spacing_m: f64) -> Vec<[f64; 2]> {
    crate::geom::polygon::grid_samples(&c.polygons, spacing_m, MAX_SAMPLES)
}

/// Places demand points and completes every community's population.
///
/// Residential buildings (`building=residential|apartments|house|…`, and `building=yes` of unknown
/// use) inside a community carry its residents in proportion to floor area. A given population is
/// spread over them; a missing one is estimated as floor area ÷ m² per resident. A community with
/// no such building gets regular samples, with ground area × fallback floor-area ratio ÷ m² per
/// resident when its population must be estimated. A building inside several (overlapping)
/// communities belongs to the first.
pub fn demand_points(
    communities: &mut [Community],
    buildings: &[Building],
    params: &PopulationParams,
) -> Vec<DemandPoint> {
    let tree: RTree<GeomWithData<Rectangle<[f64; 2]>, u32>> = RTree::bulk_load(
        communities
            .iter()
            .enumerate()
            .filter(|(_, c)| c.bbox()[0].is_finite())
            .map(|(i, c)| {
                let b = c.bbox();
                GeomWithData::new(Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]), i as u32)
            })
            .collect(),
    );
    let mut members: Vec<Vec<(usize, f64)>> = vec![Vec::new(); communities.len()];
    for (bi, b) in buildings.iter().enumerate() {
        if b.usage == BuildingUse::Other || b.footprint_m2 <= 0.0 {
            continue;
        }
        let env = AABB::from_point(b.centroid);
        let mut hit: Option<u32> = None;
        for cand in tree.locate_in_envelope_intersecting(&env) {
            if hit.is_none_or(|h| cand.data < h) && communities[cand.data as usize].contains(b.centroid) {
                hit = Some(cand.data);
            }
        }
        if let Some(ci) = hit {
            let floor = b.footprint_m2 * b.levels.unwrap_or(params.default_levels);
            members[ci as usize].push((bi, floor));
        }
    }
    let mut out = Vec::new();
    for (ci, c) in communities.iter_mut().enumerate() {
        let m = &members[ci];
        let floor: f64 = m.iter().map(|x| x.1).sum();
        if !m.is_empty() && floor > 0.0 {
            let pop = *c.population.get_or_insert_with(|| floor / params.m2_per_resident);
            for &(bi, f) in m {
                out.push(DemandPoint {
                    community: ci as u32,
                    point: buildings[bi].centroid,
                    population: pop * f / floor,
                });
            }
        } else {
            let samples = samples_inside(c, params.sample_spacing_m);
            if c.population.is_none() {
                c.population = Some(c.area_m2() * params.fallback_floor_area_ratio / params.m2_per_resident);
                c.source = PopulationSource::EstimatedArea;
            }
            let pop = c.population.unwrap_or(0.0);
            let n = samples.len().max(1) as f64;
            for p in samples {
                out.push(DemandPoint { community: ci as u32, point: p, population: pop / n });
            }
        }
    }
    out
}
