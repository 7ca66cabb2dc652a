//! GeoJSON layers: UTF-8 text (a BOM is skipped), positions in WGS84 (RFC 7946) unless the file
//! has an old-style `crs` member (`"urn:ogc:def:crs:EPSG::4549"`, as `ogr2ogr` writes for
//! non-WGS84 output) or `--crs` is given; then every position is converted to WGS84.

use std::path::Path;

use serde_json::Value;

use super::LayerOptions;
use crate::error::{Error, Result};
use crate::io::crs::{self, LayerCrs};

/// The `crs` member's system: `None` when absent or WGS84 (`OGC:1.3:CRS84`, EPSG:4326).
fn declared(doc: &Value) -> std::result::Result<Option<LayerCrs>, String> {
    let Some(name) =
        doc.get("crs").and_then(|c| c.get("properties")).and_then(|p| p.get("name")).and_then(Value::as_str)
    else {
        return Ok(None);
    };
    if name.ends_with("CRS84") {
        return Ok(None);
    }
    let code = name.rsplit(':').next().unwrap_or("");
    match code.parse::<u32>() {
        Ok(c) => crs::from_epsg(c)
            .map(Some)
            .ok_or_else(|| format!("`crs` {name:?}: unknown coordinate system EPSG:{c}; {}", crs::CRS_HELP)),
        Err(_) => Err(format!("`crs` {name:?}: unknown coordinate system; {}", crs::CRS_HELP)),
    }
}

/// Converts every position under `v` (nested arrays ending in `[x, y, …]`).
fn convert(v: &mut Value, c: &LayerCrs) {
    let Value::Array(a) = v else { return };
    if let (Some(x), Some(y)) = (a.first().and_then(Value::as_f64), a.get(1).and_then(Value::as_f64)) {
        let q = c.to_wgs84([x, y]);
        if let (Some(lon), Some(lat)) = (serde_json::Number::from_f64(q[0]), serde_json::Number::from_f64(q[1])) {
            a[0] = Value::Number(lon);
            a[1] = Value::Number(lat);
        }
        return;
    }
    for x in a {
        convert(x, c);
    }
}

/// Converts the positions of a document (FeatureCollection, Feature or geometry).
fn convert_document(v: &mut Value, c: &LayerCrs) {
    match v.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {
            if let Some(Value::Array(fs)) = v.get_mut("features") {
                fs.iter_mut().for_each(|f| convert_document(f, c));
            }
        }
        Some("Feature") => {
            if let Some(g) = v.get_mut("geometry") {
                convert_document(g, c);
            }
        }
        Some("GeometryCollection") => {
            if let Some(Value::Array(gs)) = v.get_mut("geometries") {
                gs.iter_mut().for_each(|g| convert_document(g, c));
            }
        }
        Some(_) => {
            if let Some(coords) = v.get_mut("coordinates") {
                convert(coords, c);
            }
        }
        None => {}
    }
}

/// Parses a GeoJSON file's bytes and brings its positions to WGS84; `path` names it in errors.
pub fn parse(bytes: &[u8], path: &Path, opts: &LayerOptions) -> Result<(Value, LayerCrs)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::input(path, format!("byte {}", e.valid_up_to()), "not UTF-8 text (GeoJSON must be UTF-8)")
    })?;
    let mut doc: Value = crate::io::parse_json(path, text)?;
    let file_crs = declared(&doc).map_err(|m| Error::input(path, "document", m))?;
    let crs = opts.crs.clone().or(file_crs).unwrap_or_default();
    if !crs.is_lon_lat() {
        convert_document(&mut doc, &crs);
    }
    Ok((doc, crs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_and_given_systems_convert_positions() {
        let (tm, _) = crate::geom::tmerc::from_epsg(4549).unwrap();
        let xy = tm.forward([120.65, 28.01]);
        let text = format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::4549"}}}},
            "features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}}]}}"#,
            xy[0], xy[1]
        );
        let (doc, crs) = parse(text.as_bytes(), Path::new("a.geojson"), &LayerOptions::default()).unwrap();
        assert!(crs.to_string().contains("4549"));
        let p = &doc["features"][0]["geometry"]["coordinates"];
        let q = [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()];
        assert!(crate::geom::haversine_m(q, [120.65, 28.01]) < 1e-3, "{q:?}");
        // Plain WGS84 passes untouched, byte for byte.
        let plain = r#"{"type":"Polygon","coordinates":[[[120.1,30.2],[120.2,30.2],[120.2,30.3],[120.1,30.2]]]}"#;
        let (d, _) = parse(plain.as_bytes(), Path::new("b.geojson"), &LayerOptions::default()).unwrap();
        assert_eq!(d, serde_json::from_str::<Value>(plain).unwrap());
        // --crs gcj02 moves it.
        let opts = LayerOptions { crs: Some(LayerCrs::Gcj02), ..Default::default() };
        let (g, _) = parse(plain.as_bytes(), Path::new("b.geojson"), &opts).unwrap();
        assert_ne!(g, d);
        let e = parse(
            br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"features":[]}"#,
            Path::new("c.geojson"),
            &LayerOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("c.geojson: document") && e.contains("EPSG:3857") && e.contains("--crs"), "{e}");
    }
}
