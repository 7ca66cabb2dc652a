//! Demand points: where residents live, with how many of them.

use crate::geom::PolygonIndex;

use crate::model::{Community, DemandPoint, PopulationSource};
use crate::osm::{Building, BuildingUse};
use crate::profile::PopulationParams;

/// Most samples placed in one community without buildings (the spacing grows beyond this).
const MAX_SAMPLES: f64 = 2000.0;

fn samples_inside(c: &Community, spacing_m: f64) -> Vec<[f64; 2]> {
    crate::geom::polygon::grid_samples(&c.polygons, spacing_m, MAX_SAMPLES)
}

/// Places demand points and completes every community's population.
///
/// Residential-capable buildings (see [`BuildingUse`]: `building=residential|apartments|house|…`,
/// and `building=yes` with no non-residential use tag) inside a community carry its residents in
/// proportion to floor area. A given population is spread over them; a missing one is estimated as
/// floor area ÷ m² per resident. A community with no such building gets regular samples, with
/// ground area × fallback floor-area ratio ÷ m² per resident when its population must be
/// estimated. A building inside several (overlapping) communities belongs to the first.
///
/// **Stray buildings**: when a community's population is known (given, census) and its mapped
/// residential floor area houses less than `min_building_share` of it (at `m2_per_resident`), the
/// buildings are not where its residents live (one or two mapped buildings in a hexagon): they
/// carry only the residents their floor area houses, and the rest sit on area samples.
pub fn demand_points(
    communities: &mut [Community],
    buildings: &[Building],
    params: &PopulationParams,
) -> Vec<DemandPoint> {
    demand_points_blended(communities, buildings, params).0
}

/// [`demand_points`], with the communities whose residents were blended with area samples:
/// `(community, share of the population the buildings house)`.
pub fn demand_points_blended(
    communities: &mut [Community],
    buildings: &[Building],
    params: &PopulationParams,
) -> (Vec<DemandPoint>, Vec<(u32, f64)>) {
    let index = PolygonIndex::new(communities.iter().map(Community::bbox).enumerate());
    let mut members: Vec<Vec<(usize, f64)>> = vec![Vec::new(); communities.len()];
    for (bi, b) in buildings.iter().enumerate() {
        if b.usage == BuildingUse::Other || b.footprint_m2 <= 0.0 {
            continue;
        }
        if let Some(ci) = index.first_containing(b.centroid, |c| communities[c].contains(b.centroid)) {
            let floor = b.footprint_m2 * b.levels.unwrap_or(params.default_levels);
            members[ci].push((bi, floor));
        }
    }
    let mut out = Vec::new();
    let mut blended = Vec::new();
    for (ci, c) in communities.iter_mut().enumerate() {
        let m = &members[ci];
        let floor: f64 = m.iter().map(|x| x.1).sum();
        if !m.is_empty() && floor > 0.0 {
            let pop = *c.population.get_or_insert_with(|| floor / params.m2_per_resident);
            let share = if pop > 0.0 { floor / params.m2_per_resident / pop } else { 1.0 };
            let on_buildings = if share < params.min_building_share {
                blended.push((ci as u32, share));
                share
            } else {
                1.0
            };
            for &(bi, f) in m {
                out.push(DemandPoint {
                    community: ci as u32,
                    point: buildings[bi].centroid,
                    population: pop * on_buildings * f / floor,
                });
            }
            if on_buildings < 1.0 {
                let samples = samples_inside(c, params.sample_spacing_m);
                let n = samples.len().max(1) as f64;
                for p in samples {
                    out.push(DemandPoint {
                        community: ci as u32,
                        point: p,
                        population: pop * (1.0 - on_buildings) / n,
                    });
                }
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
    (out, blended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osm::OsmType;

    /// A 1 km hexagon with 3,000 census residents and one mapped building: a 600 m² bus terminal
    /// tagged `building=yes` (read as unknown use). Its 1,800 m² of floor (3 default levels) house
    /// 51 residents at 35 m² each: 1.7 % of the population, below `min_building_share`.
    #[test]
    fn a_stray_building_does_not_carry_a_hexagon() {
        let r = 500.0 / 111_195.0;
        let ring: Vec<[f64; 2]> = (0..=6)
            .map(|k| {
                let a = (k % 6) as f64 * std::f64::consts::PI / 3.0;
                [r * a.cos(), r * a.sin()]
            })
            .collect();
        let mut cs = vec![Community {
            id: "h1".into(),
            name: "Hexagon".into(),
            polygons: vec![vec![ring]],
            population: Some(3000.0),
            source: PopulationSource::Given,
            age_groups: Vec::new(),
        }];
        let terminal = Building {
            osm_type: OsmType::Way,
            osm_id: 1,
            centroid: [0.001, 0.0],
            footprint_m2: 600.0,
            levels: None,
            usage: BuildingUse::Unknown,
        };
        let params = PopulationParams::default();
        let (pts, blended) = demand_points_blended(&mut cs, std::slice::from_ref(&terminal), &params);
        let on_terminal: f64 = pts.iter().filter(|d| d.point == terminal.centroid).map(|d| d.population).sum();
        assert!((on_terminal - 1800.0 / 35.0).abs() < 1e-6, "{on_terminal}");
        assert!(pts.len() > 100, "area samples carry the rest: {}", pts.len());
        let total: f64 = pts.iter().map(|d| d.population).sum();
        assert!((total - 3000.0).abs() < 1e-6);
        assert_eq!(blended.len(), 1);
        assert!((blended[0].1 - 0.0171).abs() < 1e-3, "{blended:?}");
        // Enough housing (≥ 10 %): all residents stay on the buildings, as before.
        cs[0].population = Some(400.0);
        let (pts, blended) = demand_points_blended(&mut cs, std::slice::from_ref(&terminal), &params);
        assert_eq!(pts.len(), 1);
        assert!(blended.is_empty());
    }
}
