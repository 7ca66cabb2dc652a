//! Geometry checks of a community layer: self-intersecting polygons are repaired (and said so),
//! overlapping communities are reported with the share of their area that overlaps.

use geo::{Area, BooleanOps, MultiPolygon, Validation};

use super::Community;
use crate::geom::PolygonIndex;
use crate::geom::shapes::{from_geo, to_geo};

/// Repairs invalid (self-intersecting, bow-tie) polygons in place by re-building them with the
/// even-odd rule; returns one warning per repaired community. A polygon that is empty after the
/// repair is an error naming the community.
pub fn repair_polygons(communities: &mut [Community]) -> Result<Vec<String>, String> {
    let mut warnings = Vec::new();
    for c in communities.iter_mut() {
        let mp = to_geo(&c.polygons);
        if mp.is_valid() {
            continue;
        }
        let why = mp.validation_errors().first().map(|e| e.to_string()).unwrap_or_default();
        let repaired = mp.union(&MultiPolygon::<f64>(Vec::new()));
        let (before, after) = (mp.unsigned_area(), repaired.unsigned_area());
        if repaired.0.is_empty() || after <= 0.0 {
            return Err(format!(
                "community {} ({}): invalid polygon ({why}) with no area left after repair",
                c.id, c.name
            ));
        }
        c.polygons = from_geo(&repaired);
        warnings.push(format!(
            "community {} ({}): {why}, area changed by {:+.1}%",
            c.id,
            c.name,
            100.0 * (after - before) / before.max(f64::MIN_POSITIVE)
        ));
    }
    Ok(warnings)
}

/// Pairs of overlapping communities `(a, b, share of a's area, share of b's area)`, shares > 0.1 %.
pub fn overlaps(communities: &[Community]) -> Vec<(usize, usize, f64, f64)> {
    let geoms: Vec<MultiPolygon<f64>> = communities.iter().map(|c| to_geo(&c.polygons)).collect();
    let areas: Vec<f64> = geoms.iter().map(|g| g.unsigned_area()).collect();
    let boxes: Vec<[f64; 4]> = communities.iter().map(Community::bbox).collect();
    let index = PolygonIndex::of_boxes(&boxes);
    let mut out = Vec::new();
    for (i, b) in boxes.iter().enumerate() {
        for j in index.candidates_meeting(*b).into_iter().filter(|&j| j > i) {
            let inter = geoms[i].intersection(&geoms[j]).unsigned_area();
            let (si, sj) = (inter / areas[i].max(f64::MIN_POSITIVE), inter / areas[j].max(f64::MIN_POSITIVE));
            if si > 1e-3 || sj > 1e-3 {
                out.push((i, j, si, sj));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::PopulationSource;

    fn c(id: &str, ring: Vec<[f64; 2]>) -> Community {
        Community {
            id: id.into(),
            name: id.into(),
            polygons: vec![vec![ring]],
            population: Some(1.0),
            source: PopulationSource::Given,
            age_groups: Vec::new(),
        }
    }

    #[test]
    fn bow_tie_is_repaired_and_overlap_measured() {
        let bow = vec![[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]];
        let sq = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
        let half = vec![[0.5, 0.0], [1.5, 0.0], [1.5, 1.0], [0.5, 1.0], [0.5, 0.0]];
        let mut cs = vec![c("bow", bow), c("a", sq), c("b", half)];
        let w = repair_polygons(&mut cs).unwrap();
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("community bow"), "{w:?}");
        assert!(to_geo(&cs[0].polygons).is_valid());
        let o = overlaps(&cs);
        let ab = o.iter().find(|x| x.0 == 1 && x.1 == 2).unwrap();
        assert!((ab.2 - 0.5).abs() < 1e-9 && (ab.3 - 0.5).abs() < 1e-9, "{ab:?}");
    }
}
