//! The coordinate representation every layer shares, and its conversion to `geo-types`.
//!
//! Communities, units, clip areas, OSM areas and isochrones all keep polygons as plain nested
//! vectors of `[lon, lat]` (or local `[x, y]` metres): cheap to clone, serialise and compare, and
//! the exact type the structs have always had. Where a `geo` algorithm does the work (boolean
//! overlay, validity), [`to_geo`] / [`from_geo`] convert, coordinate for coordinate.

/// A ring: positions `[lon, lat]` (or `[x, y]`), closed or not (treated as closed).
pub type Ring = Vec<[f64; 2]>;
/// A polygon: outer ring first, then holes.
pub type Polygon = Vec<Ring>;
/// Polygons of one feature.
pub type MultiPolygon = Vec<Polygon>;

fn line(r: &[[f64; 2]]) -> geo::LineString<f64> {
    r.iter().map(|p| geo::Coord { x: p[0], y: p[1] }).collect()
}

/// The same polygons as a `geo` MultiPolygon, every ring kept (`geo` closes an open ring by
/// repeating its first position). A polygon without rings becomes an empty polygon.
pub fn to_geo(polys: &[Polygon]) -> geo::MultiPolygon<f64> {
    geo::MultiPolygon(
        polys
            .iter()
            .map(|rings| match rings.split_first() {
                Some((outer, holes)) => geo::Polygon::new(line(outer), holes.iter().map(|h| line(h)).collect()),
                None => geo::Polygon::new(geo::LineString(Vec::new()), Vec::new()),
            })
            .collect(),
    )
}

/// [`to_geo`] without the degenerate parts an overlay cannot use: polygons whose outer ring has
/// fewer than 3 positions, and holes with fewer than 3.
pub fn to_geo_nondegenerate(polys: &[Polygon]) -> geo::MultiPolygon<f64> {
    geo::MultiPolygon(
        polys
            .iter()
            .filter(|p| !p.is_empty() && p[0].len() >= 3)
            .map(|p| geo::Polygon::new(line(&p[0]), p[1..].iter().filter(|h| h.len() >= 3).map(|h| line(h)).collect()))
            .collect(),
    )
}

/// A `geo` MultiPolygon as nested vectors: exterior then interiors, each polygon in order.
pub fn from_geo(mp: &geo::MultiPolygon<f64>) -> MultiPolygon {
    mp.0.iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|r| r.0.iter().map(|c| [c.x, c.y]).collect())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64) -> Ring {
        vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]]
    }

    #[test]
    fn to_geo_and_back_keeps_every_coordinate() {
        let hole = vec![[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]];
        let polys: MultiPolygon = vec![vec![square(0.0), hole], vec![square(5.0)]];
        let g = to_geo(&polys);
        assert_eq!(g.0.len(), 2);
        assert_eq!(g.0[0].interiors().len(), 1);
        assert_eq!(from_geo(&g), polys);
    }

    #[test]
    fn nondegenerate_drops_short_rings_only() {
        let polys: MultiPolygon =
            vec![vec![square(0.0), vec![[0.1, 0.1], [0.2, 0.2]]], vec![vec![[9.0, 9.0], [9.5, 9.0]]], vec![]];
        let g = to_geo_nondegenerate(&polys);
        assert_eq!(g.0.len(), 1);
        assert!(g.0[0].interiors().is_empty());
        // The exact conversion keeps all three (the empty one as an empty polygon).
        assert_eq!(to_geo(&polys).0.len(), 3);
    }
}
