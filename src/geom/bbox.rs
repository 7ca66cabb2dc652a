//! Bounding boxes `[min_x, min_y, max_x, max_y]` (`[min_lon, min_lat, max_lon, max_lat]` on
//! WGS84, or local metres): of points, rings, polygons and other boxes, grown by metres, tested
//! for containment and overlap.
//!
//! The box of nothing is [`EMPTY`] (`[+∞, +∞, −∞, −∞]`): it is the identity of [`union`], and
//! [`is_empty`] tells it apart. `min`/`max` are exact, so a box is the same whatever the order or
//! grouping in which its points are folded in.

use super::shapes::Polygon;

/// `[min_x, min_y, max_x, max_y]`.
pub type Bbox = [f64; 4];

/// The box of no point.
pub const EMPTY: Bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];

/// `b` grown to take in `p`.
#[inline]
pub fn add_point(b: Bbox, p: [f64; 2]) -> Bbox {
    [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])]
}

/// The smallest box holding both.
#[inline]
pub fn union(a: Bbox, b: Bbox) -> Bbox {
    [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]
}

/// Box of points (of a ring, of `polygons.iter().flatten().flatten()`, of graph nodes …).
pub fn of_points<'a>(points: impl IntoIterator<Item = &'a [f64; 2]>) -> Bbox {
    points.into_iter().fold(EMPTY, |b, p| add_point(b, *p))
}

/// Box of one polygon's rings.
pub fn of_polygon(rings: &[Vec<[f64; 2]>]) -> Bbox {
    of_points(rings.iter().flatten())
}

/// Box of polygons.
pub fn of_polygons(polygons: &[Polygon]) -> Bbox {
    of_points(polygons.iter().flatten().flatten())
}

/// Box of boxes.
pub fn of_boxes(boxes: &[Bbox]) -> Bbox {
    boxes.iter().fold(EMPTY, |u, b| union(u, *b))
}

/// Whether `b` holds no point (the box of nothing, or of non-finite coordinates).
#[inline]
pub fn is_empty(b: Bbox) -> bool {
    !b[0].is_finite()
}

/// Middle of the box.
pub fn center(b: Bbox) -> [f64; 2] {
    [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0]
}

/// A lon/lat box grown by `m` metres on every side (metres to degrees at the box's middle
/// latitude; the cosine is kept above 0.01 near the poles).
pub fn grow_m(b: Bbox, m: f64) -> Bbox {
    let dlat = m / 111_195.0;
    let dlon = dlat / ((b[1] + b[3]) / 2.0).to_radians().cos().max(0.01);
    [b[0] - dlon, b[1] - dlat, b[2] + dlon, b[3] + dlat]
}

/// Whether `p` lies in `b`, edges included.
#[inline]
pub fn contains(b: Bbox, p: [f64; 2]) -> bool {
    p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]
}

/// Whether the boxes share a point, edges included.
#[inline]
pub fn overlaps(a: Bbox, b: Bbox) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

/// `lon a…b, lat c…d`, 3 decimals.
pub fn describe(b: Bbox) -> String {
    format!("lon {:.3}…{:.3}, lat {:.3}…{:.3}", b[0], b[2], b[1], b[3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_box_of_nothing_is_empty_and_the_identity_of_union() {
        assert!(is_empty(of_points(&[])));
        assert!(is_empty(of_polygons(&[])));
        assert!(is_empty(of_polygons(&[vec![], vec![vec![]]])));
        assert!(is_empty(of_boxes(&[])));
        let b = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(union(EMPTY, b), b);
        assert_eq!(union(b, EMPTY), b);
        assert!(!contains(EMPTY, [0.0, 0.0]));
        assert!(!overlaps(EMPTY, b));
    }

    #[test]
    fn points_rings_and_polygons_give_the_same_box_whatever_the_grouping() {
        let a = vec![[1.0, 5.0], [-2.0, 3.0], [4.0, -1.0]];
        let h = vec![[0.0, 0.0], [9.0, 0.5]];
        assert_eq!(of_points(&a), [-2.0, -1.0, 4.0, 5.0]);
        let poly = vec![a.clone(), h.clone()];
        let flat: Vec<[f64; 2]> = a.iter().chain(&h).copied().collect();
        assert_eq!(of_polygon(&poly), of_points(&flat));
        assert_eq!(of_polygons(&[poly.clone(), vec![vec![[-7.0, 2.0]]]]), [-7.0, -1.0, 9.0, 5.0]);
        assert_eq!(of_boxes(&[of_polygon(&poly), of_points(&[[-7.0, 2.0]])]), [-7.0, -1.0, 9.0, 5.0]);
        assert_eq!(center([0.0, 2.0, 4.0, 6.0]), [2.0, 4.0]);
    }

    #[test]
    fn contains_and_overlaps_include_edges() {
        let b = [0.0, 0.0, 1.0, 1.0];
        assert!(contains(b, [1.0, 0.0]) && contains(b, [0.5, 0.5]));
        assert!(!contains(b, [1.000001, 0.5]));
        assert!(overlaps(b, [1.0, 1.0, 2.0, 2.0]));
        assert!(!overlaps(b, [1.1, 0.0, 2.0, 1.0]));
    }

    #[test]
    fn grow_m_is_metres_on_the_ground() {
        // At 60°N a degree of longitude is half as long as one of latitude.
        let g = grow_m([24.9, 60.0, 24.9, 60.0], 1000.0);
        let (dlon, dlat) = (g[2] - 24.9, g[3] - 60.0);
        assert!((dlat - 1000.0 / 111_195.0).abs() < 1e-12, "{dlat}");
        assert!((dlon / dlat - 2.0).abs() < 1e-9, "{}", dlon / dlat);
        assert_eq!(describe([1.0, 2.0, 3.0, 4.0]), "lon 1.000…3.000, lat 2.000…4.000");
    }
}
