//! Polygon measures on `[lon, lat]` rings: area (m²), centroid, point-in-polygon.

use super::LocalProj;
use super::bbox;
use super::shapes::Polygon;

/// Coordinates of a node-id sequence, `None` when a node is missing (as the loader looks them up).
pub type CoordsOf<'a> = dyn Fn(&[i64]) -> Option<Vec<[f64; 2]>> + 'a;

/// Signed shoelace area of a ring in the given projection, m² (positive = counter-clockwise).
pub fn ring_signed_area_m2(ring: &[[f64; 2]], proj: &LocalProj) -> f64 {
    let n = ring.len();
    if n < 3 {
        return 0.0;
    }
    let mut s = 0.0;
    let p0 = proj.to_xy(ring[0]);
    for i in 1..n - 1 {
        let a = proj.to_xy(ring[i]);
        let b = proj.to_xy(ring[i + 1]);
        s += (a[0] - p0[0]) * (b[1] - p0[1]) - (b[0] - p0[0]) * (a[1] - p0[1]);
    }
    s * 0.5
}

/// Area of a polygon with holes, m².
pub fn polygon_area_m2(rings: &[Vec<[f64; 2]>]) -> f64 {
    let Some(outer) = rings.first().filter(|r| !r.is_empty()) else {
        return 0.0;
    };
    let proj = LocalProj::new(outer[0][0], outer[0][1]);
    let mut a = ring_signed_area_m2(outer, &proj).abs();
    for h in &rings[1..] {
        a -= ring_signed_area_m2(h, &proj).abs();
    }
    a.max(0.0)
}

/// Area-weighted centroid of a polygon (outer minus holes); falls back to the vertex mean for
/// degenerate rings.
pub fn polygon_centroid(rings: &[Vec<[f64; 2]>]) -> Option<[f64; 2]> {
    let outer = rings.first().filter(|r| !r.is_empty())?;
    let proj = LocalProj::new(outer[0][0], outer[0][1]);
    let (mut ax, mut ay, mut aa) = (0.0, 0.0, 0.0);
    for (k, ring) in rings.iter().enumerate() {
        let sign = if k == 0 { 1.0 } else { -1.0 };
        let pts: Vec<[f64; 2]> = ring.iter().map(|p| proj.to_xy(*p)).collect();
        let n = pts.len();
        if n < 3 {
            continue;
        }
        let orient = if ring_signed_area_m2(ring, &proj) >= 0.0 { 1.0 } else { -1.0 };
        for i in 0..n {
            let a = pts[i];
            let b = pts[(i + 1) % n];
            let cross = a[0] * b[1] - b[0] * a[1];
            aa += sign * orient * cross;
            ax += sign * orient * (a[0] + b[0]) * cross;
            ay += sign * orient * (a[1] + b[1]) * cross;
        }
    }
    if aa.abs() < 1e-9 {
        let n = outer.len() as f64;
        let s = outer.iter().fold([0.0, 0.0], |s, p| [s[0] + p[0], s[1] + p[1]]);
        return Some([s[0] / n, s[1] / n]);
    }
    Some(proj.to_lon_lat([ax / (3.0 * aa), ay / (3.0 * aa)]))
}

/// Even-odd point-in-ring test.
pub fn ring_contains(ring: &[[f64; 2]], p: [f64; 2]) -> bool {
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut inside = false;
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (ring[i], ring[j]);
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x = (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0];
            if p[0] < x {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

/// Point in polygon with holes.
pub fn polygon_contains(rings: &[Vec<[f64; 2]>], p: [f64; 2]) -> bool {
    match rings.split_first() {
        Some((outer, holes)) => ring_contains(outer, p) && !holes.iter().any(|h| ring_contains(h, p)),
        None => false,
    }
}

/// Bounding box of one polygon's rings: [`bbox::of_polygon`] (the name `src/model` uses).
pub fn rings_bbox(rings: &[Vec<[f64; 2]>]) -> bbox::Bbox {
    bbox::of_polygon(rings)
}

/// Regular sample points inside polygons (outer ring then holes, `[lon, lat]`), `spacing_m` apart
/// on a grid anchored at the south-west corner of their bbox — wider when that would give more than
/// `max_samples` — or the first polygon's centroid when none falls inside (a sliver).
pub fn grid_samples(polygons: &[Polygon], spacing_m: f64, max_samples: f64) -> Vec<[f64; 2]> {
    let b = bbox::of_polygons(polygons);
    if bbox::is_empty(b) {
        return Vec::new();
    }
    let proj = LocalProj::new(b[0], b[1]);
    let max = proj.to_xy([b[2], b[3]]);
    let area: f64 = polygons.iter().map(|p| polygon_area_m2(p)).sum();
    let s = spacing_m.max((area.max(1.0) / max_samples).sqrt());
    let mut out = Vec::new();
    let mut y = s / 2.0;
    while y < max[1] {
        let mut x = s / 2.0;
        while x < max[0] {
            let p = proj.to_lon_lat([x, y]);
            if polygons.iter().any(|poly| polygon_contains(poly, p)) {
                out.push(p);
            }
            x += s;
        }
        y += s;
    }
    if out.is_empty()
        && let Some(c) = polygons.first().and_then(|p| polygon_centroid(p))
    {
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_area_centroid_containment() {
        // ~111 m × ~111 m square at the equator.
        let sq = vec![[0.0, 0.0], [0.001, 0.0], [0.001, 0.001], [0.0, 0.001]];
        let a = polygon_area_m2(std::slice::from_ref(&sq));
        assert!((a - 12_364.0).abs() < 50.0, "{a}");
        let c = polygon_centroid(std::slice::from_ref(&sq)).unwrap();
        assert!((c[0] - 0.0005).abs() < 1e-9 && (c[1] - 0.0005).abs() < 1e-9);
        assert!(polygon_contains(std::slice::from_ref(&sq), [0.0005, 0.0005]));
        assert!(!polygon_contains(std::slice::from_ref(&sq), [0.002, 0.0005]));
        let hole = vec![[0.0004, 0.0004], [0.0006, 0.0004], [0.0006, 0.0006], [0.0004, 0.0006]];
        assert!(!polygon_contains(&[sq, hole], [0.0005, 0.0005]));
    }
}
