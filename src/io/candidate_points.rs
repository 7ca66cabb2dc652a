//! Candidate sites for planning: a layer ([`super::layer`]: GeoJSON, Shapefile, GeoPackage) of Point or MultiPoint
//! features (sites) or Polygon or MultiPolygon features (parcels, e.g. vacant public land), each
//! with an optional `cost` property.
//!
//! Glossary:
//! - **site**: one candidate position: a point, or the area centroid of a polygon (each polygon
//!   of a MultiPolygon and each point of a MultiPoint is a site of its own, all with the feature's
//!   cost).
//! - **cost**: what building on the site costs, in any unit the budget (`--budget`) uses; a
//!   positive finite number.

use std::path::Path;

use serde_json::Value;

use super::layer::LayerOptions;
use crate::error::{Error, Result};
use crate::geom::polygon::polygon_centroid;

/// One candidate site.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CandidateSite {
    pub lon_lat: [f64; 2],
    /// The feature's `cost`, when it has one.
    pub cost: Option<f64>,
    /// Index of the feature it came from.
    pub feature: usize,
}

pub fn read_candidate_points(path: &Path) -> Result<Vec<CandidateSite>> {
    read_candidate_points_with(path, &LayerOptions::default())
}

/// [`read_candidate_points`] of any layer format [`super::layer`] reads, with the layer options.
pub fn read_candidate_points_with(path: &Path, opts: &LayerOptions) -> Result<Vec<CandidateSite>> {
    let (doc, _) = super::layer::read_layer_document(path, opts)?;
    sites_of(&doc, path)
}

/// [`read_candidate_points`] of a GeoJSON file's bytes; `path` names it in errors.
pub fn parse_candidate_points(bytes: &[u8], path: &Path) -> Result<Vec<CandidateSite>> {
    let (doc, _) = super::layer::geojson::parse(bytes, path, &LayerOptions::default())?;
    sites_of(&doc, path)
}

fn sites_of(doc: &Value, path: &Path) -> Result<Vec<CandidateSite>> {
    let feats = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::input(path, "document", "not a GeoJSON FeatureCollection"))?;
    let mut out = Vec::new();
    for (i, f) in feats.iter().enumerate() {
        let at = |m: &str| Error::input(path, format!("feature {i}"), m.to_string());
        let cost = match f.get("properties").and_then(|p| p.get("cost")) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => match n.as_f64() {
                Some(c) if c.is_finite() && c > 0.0 => Some(c),
                _ => return Err(at(&format!("cost {n} is not a positive number"))),
            },
            Some(v) => return Err(at(&format!("cost {v} is not a number"))),
        };
        let g = f.get("geometry").ok_or_else(|| at("no geometry"))?;
        let pos = |v: &Value| -> Result<[f64; 2]> {
            let a = v.as_array().filter(|a| a.len() >= 2).ok_or_else(|| at("position is not [lon, lat]"))?;
            let (Some(lon), Some(lat)) = (a[0].as_f64(), a[1].as_f64()) else {
                return Err(at("non-numeric coordinate"));
            };
            crate::geom::check_lon_lat(lon, lat).map_err(|e| at(&e))
        };
        let array = |v: Option<&Value>, what: &str| -> Result<Vec<Value>> {
            v.and_then(Value::as_array).cloned().ok_or_else(|| at(&format!("{what} coordinates are not an array")))
        };
        let polygon = |v: &Value| -> Result<[f64; 2]> {
            let rings: Vec<Vec<[f64; 2]>> = array(Some(v), "Polygon")?
                .iter()
                .map(|r| array(Some(r), "ring")?.iter().map(pos).collect::<Result<Vec<_>>>())
                .collect::<Result<_>>()?;
            if rings.first().is_none_or(|r| r.len() < 3) {
                return Err(at("polygon without an outer ring of at least 3 positions"));
            }
            polygon_centroid(&rings).ok_or_else(|| at("polygon of zero area"))
        };
        let mut site = |p: [f64; 2]| out.push(CandidateSite { lon_lat: p, cost, feature: i });
        match g.get("type").and_then(Value::as_str) {
            Some("Point") => site(pos(g.get("coordinates").unwrap_or(&Value::Null))?),
            Some("MultiPoint") => {
                for p in array(g.get("coordinates"), "MultiPoint")? {
                    site(pos(&p)?);
                }
            }
            Some("Polygon") => site(polygon(g.get("coordinates").unwrap_or(&Value::Null))?),
            Some("MultiPolygon") => {
                for p in array(g.get("coordinates"), "MultiPolygon")? {
                    site(polygon(&p)?);
                }
            }
            _ => return Err(at("geometry is not a Point, MultiPoint, Polygon or MultiPolygon")),
        }
    }
    if out.is_empty() {
        return Err(Error::input(path, "document", "no candidate sites"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<CandidateSite>> {
        parse_candidate_points(text.as_bytes(), Path::new("cands.geojson"))
    }

    fn fc(features: &str) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
    }

    #[test]
    fn points_polygons_and_costs() {
        let text = fc(concat!(
            r#"{"type":"Feature","properties":{"cost":2.5},"geometry":{"type":"Point","coordinates":[10,20]}},"#,
            r#"{"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}},"#,
            r#"{"type":"Feature","properties":{"cost":7},"geometry":{"type":"Polygon","#,
            r#""coordinates":[[[0,0],[0.002,0],[0.002,0.002],[0,0.002],[0,0]]]}}"#
        ));
        let s = parse(&text).unwrap();
        assert_eq!(s.len(), 4);
        assert_eq!(s[0], CandidateSite { lon_lat: [10.0, 20.0], cost: Some(2.5), feature: 0 });
        assert_eq!((s[1].cost, s[2].lon_lat, s[2].feature), (None, [3.0, 4.0], 1));
        // The square's centroid, (0.001, 0.001).
        assert!((s[3].lon_lat[0] - 0.001).abs() < 1e-9 && (s[3].lon_lat[1] - 0.001).abs() < 1e-9);
        assert_eq!((s[3].cost, s[3].feature), (Some(7.0), 2));
    }

    #[test]
    fn bad_costs_name_the_feature_and_the_problem() {
        let point = r#""geometry":{"type":"Point","coordinates":[10,20]}"#;
        let ok = format!(r#"{{"type":"Feature","properties":{{}},{point}}}"#);
        for (cost, want) in [
            ("0", "cost 0 is not a positive number"),
            ("-3", "cost -3 is not a positive"),
            ("\"12\"", "cost \"12\" is not a number"),
        ] {
            let bad = format!(r#"{{"type":"Feature","properties":{{"cost":{cost}}},{point}}}"#);
            let e = parse(&fc(&format!("{ok},{bad}"))).unwrap_err().to_string();
            assert!(e.contains("cands.geojson") && e.contains("feature 1") && e.contains(want), "{e}");
        }
        let e = parse(&fc(r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}"#))
            .unwrap_err()
            .to_string();
        assert!(e.contains("feature 0") && e.contains("not a Point"), "{e}");
    }

    /// The shared coordinate check: a `[lat, lon]` site gets the swap hint (it used to get only
    /// "outside WGS84 ranges (or swapped)"), a projected one the range error.
    #[test]
    fn bad_coordinates_say_swapped_or_out_of_range() {
        let site = |c: &str| fc(&format!(r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":{c}}}}}"#));
        let e = parse(&site("[27.9,120.7]")).unwrap_err().to_string();
        assert!(e.contains("cands.geojson: feature 0: lon 27.9, lat 120.7") && e.contains("look swapped"), "{e}");
        let e = parse(&site("[350000,3100000]")).unwrap_err().to_string();
        assert!(e.contains("outside WGS84 ranges") && !e.contains("swapped"), "{e}");
    }
}
