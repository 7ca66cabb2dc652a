//! Communities derived from the extract when the user gives none: OSM residential landuse areas,
//! plus regular grid cells for the residential buildings outside every such area (in most
//! extracts landuse is mapped for a fraction of the city only; no resident may be dropped).
//! With neither residential areas nor buildings, grid cells over the street network.

use super::{Community, CommunityOrigin, PopulationSource};
use crate::geom::PolygonIndex;
use crate::osm::{BuildingUse, OsmData};

/// Derives communities from OSM (population left to estimate).
pub fn derive_communities(osm: &OsmData, grid_cell_m: f64) -> (Vec<Community>, CommunityOrigin) {
    if !osm.residential_areas.is_empty() {
        let mut c: Vec<Community> = osm
            .residential_areas
            .iter()
            .map(|a| Community {
                id: format!("{}/{}", a.osm_type.as_str(), a.osm_id),
                name: if a.name.is_empty() {
                    format!("residential {}/{}", a.osm_type.as_str(), a.osm_id)
                } else {
                    a.name.clone()
                },
                polygons: a.polygons.clone(),
                population: None,
                source: PopulationSource::Estimated,
                age_groups: Vec::new(),
            })
            .collect();
        let outside: Vec<[f64; 2]> = {
            let tree = area_tree(&c);
            osm.buildings
                .iter()
                .filter(|b| b.usage != BuildingUse::Other)
                .map(|b| b.centroid)
                .filter(|p| !inside_any(&c, &tree, *p))
                .collect()
        };
        let grid = grid_cells(&outside, grid_cell_m);
        let origin =
            if grid.is_empty() { CommunityOrigin::ResidentialLanduse } else { CommunityOrigin::LanduseAndGrid };
        c.extend(grid);
        return (c, origin);
    }
    (grid_communities(osm, grid_cell_m), CommunityOrigin::Grid)
}

fn area_tree(cs: &[Community]) -> PolygonIndex {
    PolygonIndex::new(cs.iter().map(Community::bbox).enumerate())
}

fn inside_any(cs: &[Community], tree: &PolygonIndex, p: [f64; 2]) -> bool {
    tree.any_containing(p, |i| cs[i].contains(p))
}

/// Square cells of `cell_m` covering the residential (or unknown-use) buildings, or, when the
/// extract has no building, the street nodes.
fn grid_communities(osm: &OsmData, cell_m: f64) -> Vec<Community> {
    let mut pts: Vec<[f64; 2]> =
        osm.buildings.iter().filter(|b| b.usage != BuildingUse::Other).map(|b| b.centroid).collect();
    if pts.is_empty() {
        pts = osm.walk_ways.iter().flat_map(|w| w.refs.iter().filter_map(|r| osm.nodes.get(*r))).collect();
    }
    grid_cells(&pts, cell_m)
}

/// Square cells of `cell_m` containing at least one of `pts`, on one global grid: rows of
/// `cell_m` north–south from the equator, and in each row columns of `cell_m` east–west (at the
/// row's middle latitude) from the prime meridian. The grid does not depend on the extract, so a
/// district clipped from a larger extract gets the same cells (and ids) as the whole run.
fn grid_cells(pts: &[[f64; 2]], cell_m: f64) -> Vec<Community> {
    const M_PER_DEG: f64 = 111_195.0;
    let dlat = cell_m / M_PER_DEG;
    let dlon = |j: i64| cell_m / (M_PER_DEG * ((j as f64 + 0.5) * dlat).to_radians().cos().max(0.01));
    let mut cells: Vec<(i64, i64)> = pts
        .iter()
        .map(|p| {
            let j = (p[1] / dlat).floor() as i64;
            ((p[0] / dlon(j)).floor() as i64, j)
        })
        .collect();
    cells.sort_unstable();
    cells.dedup();
    cells
        .into_iter()
        .map(|(i, j)| {
            let w = dlon(j);
            let (x0, y0, x1, y1) = (i as f64 * w, j as f64 * dlat, (i + 1) as f64 * w, (j + 1) as f64 * dlat);
            Community {
                id: format!("grid_{i}_{j}"),
                name: format!("grid {i},{j}"),
                polygons: vec![vec![vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]],
                population: None,
                source: PopulationSource::Estimated,
                age_groups: Vec::new(),
            }
        })
        .collect()
}
