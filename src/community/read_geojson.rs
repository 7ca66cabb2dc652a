//! Reads a community layer: Polygon / MultiPolygon features with `name` and `population`
//! properties (optional `id`, and age-group columns `age_0_3` … ), from any layer format
//! [`crate::io::layer`] reads (GeoJSON, Shapefile, GeoPackage; converted to WGS84).

use std::path::Path;

use serde_json::Value;

use super::{Community, PopulationSource};
use crate::error::{Error, Result};
use crate::geom::polygon::polygon_area_m2;
use crate::geom::{LocalProj, Polygon, bbox, read_polygons};
use crate::io::layer::LayerOptions;
use crate::profile::AGE_GROUPS;

/// Demand sampling (`community::demand`) walks a grid over a community's bounding box with a
/// spacing of at least `max(sample_spacing_m, √(area / 2000))`, testing each grid point against
/// every ring edge. This bounds that work, taken at the finest spacing a profile allows (5 m), to
/// well under a second. Whole-city boundaries (Las Palmas, Ningbo, Wenzhou) need 3–4e7, real
/// neighbourhoods far less; a sliver or self-cancelling polygon spanning a continent would
/// otherwise keep the run busy for hours (found by the `communities_geojson` fuzz target).
const MAX_SAMPLING_WORK: f64 = 2e8;
const FINEST_SPACING_M: f64 = 5.0;
const MAX_SAMPLES: f64 = 2000.0;

/// Rejects polygons that enclose no area, or whose bounding box is out of all proportion to it.
fn check_extent(polygons: &[Polygon], at: &dyn Fn(String) -> Error) -> Result<()> {
    let area: f64 = polygons.iter().map(|p| polygon_area_m2(p)).sum();
    if area.is_nan() || area <= 0.0 {
        return Err(at("the polygon encloses no area (degenerate ring, or holes as large as the outer ring)".into()));
    }
    let b = bbox::of_polygons(polygons);
    let vertices = polygons.iter().flatten().map(Vec::len).sum::<usize>();
    // The box demand sampling covers, in the projection it uses.
    let max = LocalProj::new(b[0], b[1]).to_xy([b[2], b[3]]);
    let spacing = FINEST_SPACING_M.max((area / MAX_SAMPLES).sqrt());
    let grid_points = (max[0].abs() / spacing + 1.0) * (max[1].abs() / spacing + 1.0);
    if grid_points * vertices as f64 > MAX_SAMPLING_WORK {
        return Err(at(format!(
            "the polygon is degenerate: its bounding box ({:.1} × {:.1} km) is out of all proportion to its \
             area ({area:.0} m²); a sliver or self-intersecting ring?",
            max[0].abs() / 1000.0,
            max[1].abs() / 1000.0
        )));
    }
    Ok(())
}

/// Reads and validates the community layer. Every error names the file, the feature (index and
/// name) and the problem.
pub fn read_communities(path: &Path) -> Result<Vec<Community>> {
    read_communities_with(path, &LayerOptions::default())
}

/// [`read_communities`] with the layer options (`--layer`, `--crs`, `--encoding`).
pub fn read_communities_with(path: &Path, opts: &LayerOptions) -> Result<Vec<Community>> {
    let (doc, _) = crate::io::layer::read_layer_document(path, opts)?;
    communities_of(&doc, path)
}

/// [`read_communities`] of a GeoJSON file's bytes; `path` names it in errors.
pub fn parse_communities(bytes: &[u8], path: &Path) -> Result<Vec<Community>> {
    let (doc, _) = crate::io::layer::geojson::parse(bytes, path, &LayerOptions::default())?;
    communities_of(&doc, path)
}

fn communities_of(doc: &Value, path: &Path) -> Result<Vec<Community>> {
    let whole = |msg: &str| Error::input(path, "document", msg.to_string());
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(whole("not a GeoJSON FeatureCollection"));
    }
    let feats = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| whole("FeatureCollection without a `features` array"))?;
    if feats.is_empty() {
        return Err(whole("the FeatureCollection has no features"));
    }
    let mut out = Vec::with_capacity(feats.len());
    let mut ids = std::collections::BTreeSet::new();
    for (i, f) in feats.iter().enumerate() {
        let props = f.get("properties").and_then(Value::as_object);
        let name = props
            .and_then(|p| p.get("name"))
            .and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_number().map(|n| n.to_string())))
            .unwrap_or_default();
        let place = if name.is_empty() { format!("feature {i}") } else { format!("feature {i} ({name})") };
        let at = |msg: String| Error::input(path, place.clone(), msg);
        let geom = f.get("geometry").filter(|g| !g.is_null()).ok_or_else(|| at("no geometry".into()))?;
        let polygons = read_polygons(geom, &at)?;
        check_extent(&polygons, &at)?;
        let population = match props.and_then(|p| p.get("population")) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => {
                let v = n.as_f64().unwrap_or(f64::NAN);
                if !v.is_finite() || v < 0.0 {
                    return Err(at(format!("population {n} is negative or not finite")));
                }
                Some(v)
            }
            Some(Value::String(s)) => match crate::io::number::parse_count(s, crate::io::number::NumberFormat::Plain) {
                Ok(v) => Some(v),
                Err(e) if e.ends_with("is not a number") => {
                    return Err(at(format!("population {s:?} is not a number")));
                }
                Err(e) => return Err(at(format!("population {e}"))),
            },
            Some(v) => return Err(at(format!("population {v} is not a number"))),
        };
        let mut age_groups = Vec::new();
        for g in AGE_GROUPS {
            if let Some(v) = props.and_then(|p| p.get(*g)).filter(|v| !v.is_null()) {
                let x = v
                    .as_f64()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| at(format!("age column {g} = {v} is not a non-negative number")))?;
                age_groups.push((g.to_string(), x));
            }
        }
        let id = props
            .and_then(|p| p.get("id"))
            .or_else(|| f.get("id"))
            .and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_number().map(|n| n.to_string())))
            .unwrap_or_else(|| format!("c{i}"));
        if !ids.insert(id.clone()) {
            return Err(at(format!("duplicate id {id:?}")));
        }
        out.push(Community {
            id,
            name: if name.is_empty() { format!("community {i}") } else { name },
            polygons,
            source: if population.is_some() { PopulationSource::Given } else { PopulationSource::Estimated },
            population,
            age_groups,
        });
    }
    Ok(out)
}
