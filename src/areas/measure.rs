//! Measures each area target's m² in the study area and in each unit.
//!
//! Ground targets: the target's polygons are projected onto one local equirectangular plane
//! (an affine map of lon/lat, so the union's topology is that of the lon/lat polygons; the plane
//! only conditions the numbers), united with `geo`'s `unary_union`, and mapped back; each part of
//! the union is then measured with its own local projection ([`polygon_area_m2`]). Floor targets:
//! each building's footprint × levels. Every part or building is split over the units (and the
//! clip area) by area share ([`crate::units::area_shares`]), so the per-unit m² add up to the
//! study-area m² wherever the units tile the study area.

use geo::{Coord, LineString};
use rayon::prelude::*;

use crate::geom::polygon::{polygon_area_m2, ring_signed_area_m2};
use crate::geom::{LocalProj, MultiPolygon, Polygon};
pub use crate::model::AreaMeasure;
use crate::osm::AreaFeature;
use crate::profile::AreaTarget;
use crate::units::{Unit, area_shares};

type Polygons = MultiPolygon;
/// A piece to measure: polygons, m² multiplier (levels), levels assumed.
type Piece = (Polygons, f64, bool);
/// A measured piece: m² in the study area, m² per unit, levels assumed.
type Measured = (f64, Vec<(usize, f64)>, bool);

/// The measured pieces of one target: (polygons, m² multiplier, levels assumed).
fn pieces(t: &AreaTarget, feats: &[&AreaFeature]) -> (Vec<Piece>, Vec<Polygons>) {
    if t.kind.is_floor() {
        let p = feats
            .iter()
            .map(|f| (f.polygons.clone(), f.levels.unwrap_or(t.default_levels), f.levels.is_none()))
            .collect();
        return (p, Vec::new());
    }
    let all: Vec<&Polygon> = feats.iter().flat_map(|f| f.polygons.iter()).collect();
    let raw: Vec<Polygons> = all.iter().map(|p| vec![(*p).clone()]).collect();
    (union(&all).into_iter().map(|p| (vec![p], 1.0, false)).collect(), raw)
}

/// Union of polygons (outer ring then holes, lon/lat), as separate polygons.
fn union(polys: &[&Polygon]) -> Polygons {
    let Some(first) = polys.iter().flat_map(|p| p.iter()).flatten().next() else {
        return Vec::new();
    };
    let proj = LocalProj::new(first[0], first[1]);
    let ring = |r: &[[f64; 2]], ccw: bool| -> LineString<f64> {
        let mut pts: Vec<Coord<f64>> = r
            .iter()
            .map(|q| {
                let xy = proj.to_xy(*q);
                Coord { x: xy[0], y: xy[1] }
            })
            .collect();
        if (ring_signed_area_m2(r, &proj) > 0.0) != ccw {
            pts.reverse();
        }
        LineString(pts)
    };
    let geo_polys: Vec<geo::Polygon<f64>> = polys
        .iter()
        .filter(|p| !p.is_empty() && p[0].len() >= 4)
        .map(|p| {
            geo::Polygon::new(
                ring(&p[0], true),
                p[1..].iter().filter(|h| h.len() >= 4).map(|h| ring(h, false)).collect(),
            )
        })
        .collect();
    let u: geo::MultiPolygon<f64> = geo::unary_union(&geo_polys);
    let back = |l: &LineString<f64>| -> Vec<[f64; 2]> { l.0.iter().map(|c| proj.to_lon_lat([c.x, c.y])).collect() };
    u.0.iter().map(|p| std::iter::once(back(p.exterior())).chain(p.interiors().iter().map(back)).collect()).collect()
}

/// Measures every target of `targets` over `features` (the loader's [`AreaFeature`]s), per unit
/// and in the study area (`clip` polygons, or everything when `None`). One entry per target.
pub fn measure(
    features: &[AreaFeature],
    targets: &[AreaTarget],
    units: &[Unit],
    clip: Option<&[Polygon]>,
) -> Vec<AreaMeasure> {
    let unit_boxes: Vec<[f64; 4]> = units.iter().map(Unit::bbox).collect();
    let clip_unit: Vec<Unit> = clip
        .map(|c| Unit { name: "clip".into(), level: "clip".into(), code: None, parent: None, polygons: c.to_vec() })
        .into_iter()
        .collect();
    let clip_boxes: Vec<[f64; 4]> = clip_unit.iter().map(Unit::bbox).collect();
    // Share of polygons inside the study area.
    let inside = |p: &Polygons| -> f64 {
        if clip_unit.is_empty() { 1.0 } else { area_shares(p, &clip_unit, &clip_boxes).first().map_or(0.0, |x| x.1) }
    };
    targets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let feats: Vec<&AreaFeature> = features.iter().filter(|f| f.target as usize == k).collect();
            let (parts, raw) = pieces(t, &feats);
            // Per part: (m² in the study area, per-unit m², assumed).
            let measured: Vec<Measured> = parts
                .par_iter()
                .map(|(p, mult, assumed)| {
                    let m2 = p.iter().map(|q| polygon_area_m2(q)).sum::<f64>() * mult;
                    let shares = area_shares(p, units, &unit_boxes);
                    (m2 * inside(p), shares.into_iter().map(|(u, s)| (u, s * m2)).collect(), *assumed)
                })
                .collect();
            let mut m = AreaMeasure { unit_m2: vec![0.0; units.len()], ..Default::default() };
            for (m2, per_unit, assumed) in &measured {
                m.total_m2 += m2;
                if *assumed && *m2 > 0.0 {
                    m.levels_assumed += 1;
                    m.assumed_m2 += m2;
                }
                for &(u, x) in per_unit {
                    m.unit_m2[u] += x;
                }
            }
            m.features = feats.iter().filter(|f| inside(&f.polygons) > 0.0).count();
            if !raw.is_empty() {
                let summed: f64 =
                    raw.par_iter().map(|p| polygon_area_m2(&p[0]) * inside(p)).collect::<Vec<_>>().iter().sum();
                m.overlap_m2 = (summed - m.total_m2).max(0.0);
            }
            m
        })
        .collect()
}
