//! Candidate sites: street nodes inside residential areas thinned to a grid, or user points
//! mapped to their nearest street node.

use std::collections::HashSet;

use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::geom::polygon::polygon_contains;
use crate::geom::{LocalProj, Polygon, PolygonIndex, bbox};
use crate::graph::WalkGraph;

/// Grid cell of [`default_candidates`], metres: at most one candidate per 50 m × 50 m, so a city
/// yields thousands of candidates rather than hundreds of thousands.
pub const DEFAULT_CELL_M: f64 = 50.0;

/// Street nodes (OSM and split nodes, `< first_point_node`) with at least one edge: the nodes a
/// new facility can be attached to.
fn street_nodes(graph: &WalkGraph) -> impl Iterator<Item = u32> + '_ {
    let n = (graph.first_point_node as usize).min(graph.node_count()) as u32;
    (0..n).filter(|&v| graph.offsets[v as usize + 1] > graph.offsets[v as usize])
}

/// A projection centred on the street nodes' bounding box (any fixed choice works: it only has to
/// be the same for every node).
fn street_proj(graph: &WalkGraph) -> Option<LocalProj> {
    let b = bbox::of_points(street_nodes(graph).map(|v| &graph.lon_lat[v as usize]));
    let [lon, lat] = bbox::center(b);
    (!bbox::is_empty(b)).then(|| LocalProj::new(lon, lat))
}

/// The default candidate sites of a city: the street nodes inside `areas`, thinned to at most one
/// per [`DEFAULT_CELL_M`] grid cell. See [`street_nodes_in_areas`].
pub fn default_candidates(graph: &WalkGraph, areas: &[Polygon]) -> Vec<u32> {
    street_nodes_in_areas(graph, areas, DEFAULT_CELL_M)
}

/// Street nodes (OSM or split nodes with at least one edge) lying inside any of the polygons
/// `areas` (outer ring then holes, `[lon, lat]`), thinned to at most one node per `cell_m` ×
/// `cell_m` grid cell: the lowest node id of each cell. Returned in increasing node id; the same
/// graph and areas always give the same list. A `cell_m` that is not finite and positive keeps
/// every node inside.
///
/// Polygons are found through an R-tree of their bounding boxes, then tested exactly.
pub fn street_nodes_in_areas(graph: &WalkGraph, areas: &[Polygon], cell_m: f64) -> Vec<u32> {
    let index = PolygonIndex::new(areas.iter().map(|rings| bbox::of_polygon(rings)).enumerate());
    if index.is_empty() {
        return Vec::new();
    }
    let nodes: Vec<u32> = street_nodes(graph).collect();
    let inside: Vec<u32> = nodes
        .par_iter()
        .copied()
        .filter(|&v| {
            let p = graph.lon_lat[v as usize];
            index.any_containing(p, |i| polygon_contains(&areas[i], p))
        })
        .collect();
    if !(cell_m.is_finite() && cell_m > 0.0) {
        return inside;
    }
    let Some(proj) = street_proj(graph) else {
        return inside;
    };
    // Nodes arrive in increasing id, so the first node seen in a cell is its lowest.
    let mut seen: HashSet<(i64, i64)> = HashSet::with_capacity(inside.len() / 4);
    inside
        .into_iter()
        .filter(|&v| {
            let [x, y] = proj.to_xy(graph.lon_lat[v as usize]);
            let cell = ((x / cell_m).floor() as i64, (y / cell_m).floor() as i64);
            seen.insert(cell)
        })
        .collect()
}

/// Maps user-supplied sites (`[lon, lat]`, finite) to their nearest street node (OSM or split node
/// with at least one edge; on equal distances the lowest id), by straight-line distance in a local
/// projection. One node per point, in the order of `points`; two points may map to the same node.
/// Empty when the graph has no street node.
pub fn candidates_from_points(graph: &WalkGraph, points: &[[f64; 2]]) -> Vec<u32> {
    let Some(proj) = street_proj(graph) else {
        return Vec::new();
    };
    let items: Vec<GeomWithData<[f64; 2], u32>> =
        street_nodes(graph).map(|v| GeomWithData::new(proj.to_xy(graph.lon_lat[v as usize]), v)).collect();
    let tree = RTree::bulk_load(items);
    points.iter().filter_map(|&p| tree.nearest_neighbors(&proj.to_xy(p)).into_iter().map(|g| g.data).min()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Metres → `[lon, lat]` around (24.94, 60.17).
    fn at(x: f64, y: f64) -> [f64; 2] {
        LocalProj::new(24.94, 60.17).to_lon_lat([x, y])
    }

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
        vec![at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1)]
    }

    /// Grid position of street node `v < 400`: a 20 × 20 grid, 10 m apart, centred on the
    /// origin (x, y = −95, −85, …, 95; id = row × 20 + column), so 50 m cells never split a
    /// node.
    fn xy(v: u32) -> (f64, f64) {
        (-95.0 + 10.0 * f64::from(v % 20), -95.0 + 10.0 * f64::from(v / 20))
    }

    /// The grid, plus node 400 (street, isolated, at (44, 44)), node 401 (split node on node
    /// 399's exact position, joined to it) and node 402 (a snapped point at (44.5, 44.5)).
    fn graph() -> WalkGraph {
        let mut lon_lat: Vec<[f64; 2]> = (0..400).map(xy).map(|(x, y)| at(x, y)).collect();
        lon_lat.extend([at(44.0, 44.0), lon_lat[399], at(44.5, 44.5)]);
        let mut edges = Vec::new();
        for v in 0..400u32 {
            if v % 20 < 19 {
                edges.push((v, v + 1, 91));
            }
            if v / 20 < 19 {
                edges.push((v, v + 20, 91));
            }
        }
        edges.extend([(401, 399, 0), (402, 294, 5)]);
        let mut osm_id: Vec<i64> = (1..=401).collect();
        osm_id.extend([0, 0]);
        WalkGraph::from_undirected(lon_lat, osm_id, 402, &edges)
    }

    /// A 120 m square with a 44 m hole, and a 30 m square in the far corner.
    fn areas() -> Vec<Polygon> {
        vec![
            vec![square(-60.0, -60.0, 60.0, 60.0), square(-22.0, -22.0, 22.0, 22.0)],
            vec![square(70.0, 70.0, 100.0, 100.0)],
        ]
    }

    fn inside(x: f64, y: f64) -> bool {
        let big = x.abs() < 60.0 && y.abs() < 60.0 && !(x.abs() < 22.0 && y.abs() < 22.0);
        big || (x > 70.0 && y > 70.0)
    }

    #[test]
    fn street_nodes_inside_areas_without_thinning() {
        let g = graph();
        let got = street_nodes_in_areas(&g, &areas(), 0.0);
        let mut want: Vec<u32> = (0..400).filter(|&v| inside(xy(v).0, xy(v).1)).collect();
        want.push(401); // the split node; not 400 (isolated) nor 402 (a point)
        assert_eq!(want.len(), 144 - 16 + 9 + 1);
        assert_eq!(got, want);
        assert_eq!(street_nodes_in_areas(&g, &areas(), f64::NAN), want);
    }

    #[test]
    fn thinning_keeps_the_lowest_node_of_each_cell() {
        let g = graph();
        let got = default_candidates(&g, &areas());
        let mut want: Vec<u32> = Vec::new();
        let mut cells = HashSet::new();
        for v in (0..400).filter(|&v| inside(xy(v).0, xy(v).1)) {
            let (x, y) = xy(v);
            if cells.insert(((x / 50.0).floor() as i64, (y / 50.0).floor() as i64)) {
                want.push(v);
            }
        }
        // Cells (−2..=1) × (−2..=1) that the big square reaches; the far square adds nothing new.
        assert_eq!(want.len(), 16);
        assert_eq!(got, want);
        assert_eq!(got[0], 4 * 20 + 4); // (−55, −55)
        assert!(got.contains(&(15 * 20 + 15))); // (55, 55), not 399 or 401 in the same cell
        assert_eq!(default_candidates(&g, &areas()), got);
    }

    #[test]
    fn no_area_or_no_street_gives_no_candidate() {
        let g = graph();
        assert!(default_candidates(&g, &[]).is_empty());
        assert!(default_candidates(&g, &[vec![]]).is_empty());
        assert!(default_candidates(&WalkGraph::default(), &areas()).is_empty());
        assert!(candidates_from_points(&WalkGraph::default(), &[at(0.0, 0.0)]).is_empty());
    }

    #[test]
    fn points_map_to_their_nearest_street_node() {
        let g = graph();
        let pts = [
            at(-94.0, -94.0),
            at(44.0, 44.0),  // on the isolated node: next is (45, 45)
            at(44.5, 44.5),  // on the snapped point: a street node is returned
            at(95.0, 95.0),  // nodes 399 and 401 share this position: the lower id
            at(500.0, 12.0), // far outside: the closest grid node, (95, 15)
            at(-94.0, -94.0),
        ];
        assert_eq!(candidates_from_points(&g, &pts), vec![0, 294, 294, 399, 11 * 20 + 19, 0]);
        assert!(candidates_from_points(&g, &[]).is_empty());
    }
}
