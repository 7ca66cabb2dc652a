//! Which units each community lies in, and with what share.
//!
//! [`nest`] measures shares of area: the community polygon is intersected with each unit whose
//! bounding box overlaps it, with `geo`'s `BooleanOps` (the `i_overlay` sweep, available with
//! default features off), both projected onto one local equirectangular plane (metres) around the
//! community. The unit is first clipped (Sutherland–Hodgman, exact for any polygon against a
//! rectangle) to the community's bounding box plus 1 m, so the overlay's integer snapping grid is
//! fine (~1e-6 m for a 1 km community) and a 10,000-vertex district boundary costs nothing beyond
//! the clip; a unit covering the whole box gives share 1 exactly. Share = intersection area ÷
//! community area. The projection's scale error (< 0.1 % over a district) cancels in the ratio, so
//! shares are accurate to ~1e-8; shares within 1e-9 of 0 or 1 are taken as 0 or 1. A community of
//! zero area takes share 1 in the unit containing its first vertex.
//!
//! [`nest_by_residents`] measures shares of residents instead: each demand point counts in the unit
//! containing it (exact where a community straddles a boundary and its residents do not spread
//! evenly); communities without residents fall back to area shares.
//!
//! Either way, over the units of one level a community's shares add up to at most 1 (overlapping
//! units of one level, a data error, are scaled down to 1); [`level_outside_share`] gives the rest.

use geo::{Area, BooleanOps};
use rayon::prelude::*;

use super::Unit;
use crate::community::{Community, DemandPoint};
use crate::geom::shapes::to_geo_nondegenerate as to_geo;
use crate::geom::{LocalProj, MultiPolygon, Polygon, PolygonIndex, bbox};

/// Shares below this are dropped (slivers of floating-point noise along shared boundaries).
pub const MIN_SHARE: f64 = 1e-9;

fn project(polys: &[Polygon], proj: &LocalProj) -> MultiPolygon {
    polys.iter().map(|p| p.iter().map(|r| r.iter().map(|q| proj.to_xy(*q)).collect()).collect()).collect()
}

/// Sutherland–Hodgman clipping of a ring (any shape) to the rectangle `[x0, y0, x1, y1]`. The result
/// may have zero-width edges along the rectangle, but its area is that of the ring inside the
/// rectangle; an empty result means no overlap.
fn clip_ring_to_rect(ring: &[[f64; 2]], r: [f64; 4]) -> Vec<[f64; 2]> {
    let mut pts: Vec<[f64; 2]> = ring.to_vec();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    // Each edge of the rectangle: (axis, bound, keep values >= bound?).
    for (axis, bound, keep_above) in [(0, r[0], true), (0, r[2], false), (1, r[1], true), (1, r[3], false)] {
        if pts.is_empty() {
            break;
        }
        let inside = |p: &[f64; 2]| if keep_above { p[axis] >= bound } else { p[axis] <= bound };
        let mut out = Vec::with_capacity(pts.len() + 4);
        for i in 0..pts.len() {
            let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
            let (ina, inb) = (inside(&a), inside(&b));
            if ina {
                out.push(a);
            }
            if ina != inb {
                let t = (bound - a[axis]) / (b[axis] - a[axis]);
                let mut q = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
                q[axis] = bound;
                out.push(q);
            }
        }
        pts = out;
    }
    if pts.len() >= 3 {
        pts.push(pts[0]);
        pts
    } else {
        Vec::new()
    }
}

fn shoelace(r: &[[f64; 2]]) -> f64 {
    let mut s = 0.0;
    for w in r.windows(2) {
        s += w[0][0] * w[1][1] - w[1][0] * w[0][1];
    }
    0.5 * s
}

/// Scales the shares of each level down so that they add up to at most 1.
fn cap_per_level(row: &mut [(usize, f64)], units: &[Unit]) {
    let mut levels: Vec<&str> = row.iter().map(|&(u, _)| units[u].level.as_str()).collect();
    levels.sort_unstable();
    levels.dedup();
    for level in levels {
        let sum: f64 = row.iter().filter(|(u, _)| units[*u].level == level).map(|x| x.1).sum();
        if sum > 1.0 {
            for (u, s) in row.iter_mut() {
                if units[*u].level == level {
                    *s /= sum;
                }
            }
        }
    }
}

/// Area share of `c` inside each unit: `result[community] = [(unit, share)]`, units in index order.
pub fn nest(communities: &[Community], units: &[Unit]) -> Vec<Vec<(usize, f64)>> {
    let unit_boxes: Vec<[f64; 4]> = units.iter().map(Unit::bbox).collect();
    communities.par_iter().map(|c| nest_one(c, units, &unit_boxes)).collect()
}

fn nest_one(c: &Community, units: &[Unit], unit_boxes: &[[f64; 4]]) -> Vec<(usize, f64)> {
    area_shares(&c.polygons, units, unit_boxes)
}

/// Area share of any polygons (outer ring then holes, `[lon, lat]`) inside each unit, as
/// [`nest`] measures it for a community: `[(unit, share)]`, units in index order, shares of one
/// level capped to add up to 1. `unit_boxes[u]` is `units[u].bbox()`.
pub fn area_shares(polygons: &[Polygon], units: &[Unit], unit_boxes: &[[f64; 4]]) -> Vec<(usize, f64)> {
    let cb = bbox::of_polygons(polygons);
    if bbox::is_empty(cb) {
        return Vec::new();
    }
    let [lon, lat] = bbox::center(cb);
    let proj = LocalProj::new(lon, lat);
    let cxy = project(polygons, &proj);
    let cpoly = to_geo(&cxy);
    let carea = cpoly.unsigned_area();
    // The community's box with a 1 m margin: units are clipped to it first, so the overlay works
    // on a small extent (its integer grid is then ~1e-6 m) and far-away vertices cost nothing.
    let (lo, hi) = (proj.to_xy([cb[0], cb[1]]), proj.to_xy([cb[2], cb[3]]));
    let rect = [lo[0] - 1.0, lo[1] - 1.0, hi[0] + 1.0, hi[1] + 1.0];
    let rect_area = (rect[2] - rect[0]) * (rect[3] - rect[1]);
    let mut row = Vec::new();
    for (u, ub) in unit_boxes.iter().enumerate() {
        if !bbox::overlaps(cb, *ub) {
            continue;
        }
        let share = if carea > 0.0 {
            let clipped: MultiPolygon = project(&units[u].polygons, &proj)
                .iter()
                .map(|p| p.iter().map(|r| clip_ring_to_rect(r, rect)).collect::<Vec<_>>())
                .filter(|p: &Polygon| !p[0].is_empty())
                .collect();
            let covered: f64 = clipped
                .iter()
                .map(|p| shoelace(&p[0]).abs() - p[1..].iter().map(|h| shoelace(h).abs()).sum::<f64>())
                .sum();
            if clipped.is_empty() || covered <= 0.0 {
                0.0
            } else if (covered - rect_area).abs() <= 1e-12 * rect_area {
                // The unit covers the whole box, hence the whole community.
                1.0
            } else {
                (cpoly.intersection(&to_geo(&clipped)).unsigned_area() / carea).min(1.0)
            }
        } else {
            let first = polygons.iter().flatten().flatten().next().copied();
            if first.is_some_and(|p| units[u].contains(p)) { 1.0 } else { 0.0 }
        };
        if share > MIN_SHARE {
            row.push((u, if share > 1.0 - MIN_SHARE { 1.0 } else { share }));
        }
    }
    cap_per_level(&mut row, units);
    row
}

/// Resident share of each community inside each unit: the population of its demand points inside
/// the unit ÷ the population of all its demand points. A point inside several units of one level
/// (overlapping units) counts in the first. Communities without residents get area shares.
pub fn nest_by_residents(communities: &[Community], demand: &[DemandPoint], units: &[Unit]) -> Vec<Vec<(usize, f64)>> {
    let index = PolygonIndex::new(units.iter().map(Unit::bbox).enumerate());
    let mut total = vec![0.0; communities.len()];
    let mut inside: Vec<Vec<(usize, f64)>> = vec![Vec::new(); communities.len()];
    for d in demand {
        let c = d.community as usize;
        if d.population <= 0.0 {
            continue;
        }
        total[c] += d.population;
        let hits = index.all_containing(d.point, |u| units[u].contains(d.point));
        let mut seen_levels: Vec<&str> = Vec::new();
        for u in hits {
            if seen_levels.contains(&units[u].level.as_str()) {
                continue;
            }
            seen_levels.push(&units[u].level);
            match inside[c].iter_mut().find(|x| x.0 == u) {
                Some(x) => x.1 += d.population,
                None => inside[c].push((u, d.population)),
            }
        }
    }
    let unit_boxes: Vec<[f64; 4]> = units.iter().map(Unit::bbox).collect();
    communities
        .par_iter()
        .enumerate()
        .map(|(c, community)| {
            if total[c] <= 0.0 {
                return nest_one(community, units, &unit_boxes);
            }
            let mut row: Vec<(usize, f64)> =
                inside[c].iter().map(|&(u, p)| (u, (p / total[c]).min(1.0))).filter(|x| x.1 > MIN_SHARE).collect();
            row.sort_unstable_by_key(|x| x.0);
            row
        })
        .collect()
}

/// The part of a community (its nesting row) outside every unit of `level`: `1 − Σ shares`.
pub fn level_outside_share(row: &[(usize, f64)], units: &[Unit], level: &str) -> f64 {
    (1.0 - row.iter().filter(|(u, _)| units[*u].level == level).map(|x| x.1).sum::<f64>()).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::PopulationSource;
    use crate::units::testutil::{rect, unit};

    fn community(id: &str, polygons: MultiPolygon) -> Community {
        Community {
            id: id.into(),
            name: id.into(),
            polygons,
            population: Some(100.0),
            source: PopulationSource::Given,
            age_groups: Vec::new(),
        }
    }

    fn share(row: &[(usize, f64)], u: usize) -> f64 {
        row.iter().find(|x| x.0 == u).map_or(0.0, |x| x.1)
    }

    #[test]
    fn area_shares_across_two_units_and_outside() {
        // Units: west half and east half of [0, 0.02] × [0, 0.01]; a district over both.
        let units = vec![
            unit("west", "街道", vec![rect(0.0, 0.0, 0.01, 0.01)]),
            unit("east", "街道", vec![rect(0.01, 0.0, 0.02, 0.01)]),
            unit("district", "区", vec![rect(0.0, 0.0, 0.02, 0.01)]),
        ];
        let cs = vec![
            // Straddles the west/east boundary: 1/4 west, 3/4 east.
            community("a", vec![rect(0.0075, 0.002, 0.0175, 0.004)]),
            // Half outside the district, to the north.
            community("b", vec![rect(0.002, 0.008, 0.004, 0.012)]),
            // Entirely outside.
            community("c", vec![rect(0.05, 0.05, 0.06, 0.06)]),
            // With a hole in the east half: the hole's area is not the community's.
            community(
                "d",
                vec![vec![
                    rect(0.005, 0.0, 0.015, 0.001)[0].clone(),
                    vec![[0.011, 0.0002], [0.014, 0.0002], [0.014, 0.0008], [0.011, 0.0008], [0.011, 0.0002]],
                ]],
            ),
        ];
        let n = nest(&cs, &units);
        assert!((share(&n[0], 0) - 0.25).abs() < 1e-6, "{:?}", n[0]);
        assert!((share(&n[0], 1) - 0.75).abs() < 1e-6, "{:?}", n[0]);
        assert!((share(&n[0], 2) - 1.0).abs() < 1e-9, "{:?}", n[0]);
        assert!(level_outside_share(&n[0], &units, "街道") < 1e-6);
        assert!((share(&n[1], 0) - 0.5).abs() < 1e-6 && share(&n[1], 1) == 0.0, "{:?}", n[1]);
        assert!((level_outside_share(&n[1], &units, "街道") - 0.5).abs() < 1e-6);
        assert!((level_outside_share(&n[1], &units, "区") - 0.5).abs() < 1e-6);
        assert!(n[2].is_empty());
        // d: 10 × 1 minus a 3 × 0.6 hole in the east: west 5 / 8.2, east 3.2 / 8.2.
        assert!((share(&n[3], 0) - 5.0 / 8.2).abs() < 1e-5, "{:?}", n[3]);
        assert!((share(&n[3], 1) - 3.2 / 8.2).abs() < 1e-5, "{:?}", n[3]);
        for row in &n {
            for level in ["街道", "区"] {
                let s: f64 = row.iter().filter(|(u, _)| units[*u].level == level).map(|x| x.1).sum();
                assert!(s <= 1.0 + 1e-12);
            }
        }
    }

    #[test]
    fn overlapping_units_of_one_level_are_capped_at_one() {
        let units =
            vec![unit("a", "村", vec![rect(0.0, 0.0, 0.01, 0.01)]), unit("b", "村", vec![rect(0.0, 0.0, 0.01, 0.01)])];
        let n = nest(&[community("x", vec![rect(0.002, 0.002, 0.004, 0.004)])], &units);
        assert!((share(&n[0], 0) - 0.5).abs() < 1e-9 && (share(&n[0], 1) - 0.5).abs() < 1e-9, "{:?}", n[0]);
    }

    #[test]
    fn resident_shares_follow_the_demand_points() {
        let units = vec![
            unit("west", "社区", vec![rect(0.0, 0.0, 0.01, 0.01)]),
            unit("east", "社区", vec![rect(0.01, 0.0, 0.02, 0.01)]),
        ];
        let cs = vec![
            community("a", vec![rect(0.0075, 0.002, 0.0175, 0.004)]),
            community("empty", vec![rect(0.005, 0.005, 0.015, 0.006)]),
        ];
        let demand = vec![
            DemandPoint { community: 0, point: [0.008, 0.003], population: 30.0 },
            DemandPoint { community: 0, point: [0.012, 0.003], population: 10.0 },
            DemandPoint { community: 0, point: [0.030, 0.003], population: 10.0 },
        ];
        let n = nest_by_residents(&cs, &demand, &units);
        assert_eq!(n[0], vec![(0, 0.6), (1, 0.2)]);
        assert!((level_outside_share(&n[0], &units, "社区") - 0.2).abs() < 1e-12);
        // No residents: area shares, half and half.
        assert!((share(&n[1], 0) - 0.5).abs() < 1e-6 && (share(&n[1], 1) - 0.5).abs() < 1e-6, "{:?}", n[1]);
    }
}

#[cfg(test)]
mod shape_tests {
    use super::*;
    use crate::community::PopulationSource;
    use crate::units::testutil::{rect, unit};

    fn community(polygons: MultiPolygon) -> Community {
        Community {
            id: "c".into(),
            name: "c".into(),
            polygons,
            population: None,
            source: PopulationSource::Estimated,
            age_groups: Vec::new(),
        }
    }

    /// A U-shaped (concave) unit: the clip to the community's box leaves two arms joined by
    /// zero-width edges along the box; the area must still be the arms' only.
    #[test]
    fn concave_unit_and_unit_hole() {
        // U: [0,0.03]×[0,0.03] minus the notch [0.01,0.02]×[0.01,0.03].
        let u_ring = vec![
            [0.0, 0.0],
            [0.03, 0.0],
            [0.03, 0.03],
            [0.02, 0.03],
            [0.02, 0.01],
            [0.01, 0.01],
            [0.01, 0.03],
            [0.0, 0.03],
            [0.0, 0.0],
        ];
        // With a hole [0.022,0.028]×[0.002,0.008] in the right arm's foot.
        let hole = rect(0.022, 0.002, 0.028, 0.008)[0].clone();
        let units = vec![unit("u", "村", vec![vec![u_ring, hole]])];
        // Across the notch, above the U's base: [0.005,0.025]×[0.015,0.02] — half in the arms.
        let across = community(vec![rect(0.005, 0.015, 0.025, 0.02)]);
        // Inside the hole.
        let in_hole = community(vec![rect(0.023, 0.003, 0.024, 0.004)]);
        // Half over the hole: [0.018,0.026]×[0.003,0.005] → x in [0.022,0.026] is in the hole.
        let over_hole = community(vec![rect(0.018, 0.003, 0.026, 0.005)]);
        let n = nest(&[across, in_hole, over_hole], &units);
        assert_eq!(n[0].len(), 1);
        assert!((n[0][0].1 - 0.5).abs() < 1e-6, "{:?}", n[0]);
        assert!(n[1].is_empty(), "{:?}", n[1]);
        assert!((n[2][0].1 - 0.5).abs() < 1e-6, "{:?}", n[2]);
    }

    #[test]
    fn sutherland_hodgman_clip_keeps_the_inside_area() {
        let tri = vec![[0.0, 0.0], [4.0, 0.0], [0.0, 4.0], [0.0, 0.0]];
        let c = clip_ring_to_rect(&tri, [1.0, 1.0, 3.0, 3.0]);
        // The triangle x + y ≤ 4 over the square [1,3]²: 4 minus the corner x + y > 4 (area 2).
        assert!((shoelace(&c).abs() - 2.0).abs() < 1e-12, "{c:?}");
        assert!(clip_ring_to_rect(&tri, [5.0, 5.0, 6.0, 6.0]).is_empty());
    }
}
