//! Candidate sites for planning: a GeoJSON FeatureCollection of Point (or MultiPoint) features in
//! WGS84, e.g. vacant public land.

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};

pub fn read_candidate_points(path: &Path) -> Result<Vec<[f64; 2]>> {
    let bytes = std::fs::read(path).map_err(|e| Error::Io { path: path.to_path_buf(), cause: e })?;
    parse_candidate_points(&bytes, path)
}

/// [`read_candidate_points`] of a file's bytes; `path` names it in errors.
pub fn parse_candidate_points(bytes: &[u8], path: &Path) -> Result<Vec<[f64; 2]>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::input(path, format!("byte {}", e.valid_up_to()), "not UTF-8 text (GeoJSON must be UTF-8)")
    })?;
    let doc: Value = crate::io::parse_json(path, text)?;
    let feats = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::input(path, "document", "not a GeoJSON FeatureCollection"))?;
    let mut out = Vec::new();
    for (i, f) in feats.iter().enumerate() {
        let at = |m: &str| Error::input(path, format!("feature {i}"), m.to_string());
        let g = f.get("geometry").ok_or_else(|| at("no geometry"))?;
        let pos = |v: &Value| -> Result<[f64; 2]> {
            let a = v.as_array().filter(|a| a.len() >= 2).ok_or_else(|| at("position is not [lon, lat]"))?;
            let (Some(lon), Some(lat)) = (a[0].as_f64(), a[1].as_f64()) else {
                return Err(at("non-numeric coordinate"));
            };
            if !(lon.abs() <= 180.0 && lat.abs() <= 90.0) {
                return Err(at("coordinates outside WGS84 ranges (or swapped)"));
            }
            Ok([lon, lat])
        };
        match g.get("type").and_then(Value::as_str) {
            Some("Point") => out.push(pos(g.get("coordinates").unwrap_or(&Value::Null))?),
            Some("MultiPoint") => {
                for p in g.get("coordinates").and_then(Value::as_array).ok_or_else(|| at("no coordinates"))? {
                    out.push(pos(p)?);
                }
            }
            _ => return Err(at("geometry is not a Point or MultiPoint")),
        }
    }
    if out.is_empty() {
        return Err(Error::input(path, "document", "no candidate points"));
    }
    Ok(out)
}
