//! Reads a unit layer: Polygon / MultiPolygon features (any format [`crate::io::layer`] reads,
//! converted to WGS84 lon/lat) with properties `name`, `level` (街道, 镇, 社区, 村, 区, …), optional `code` and optional
//! `parent` (the code of the enclosing unit).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Map, Value};

use super::Unit;
use crate::error::{Error, Result};
use crate::geom::read_polygons;

/// A string or number property as text; `None` when absent, null or blank.
fn text_prop(props: Option<&Map<String, Value>>, key: &str) -> Option<String> {
    let v = props?.get(key)?;
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// Reads and validates a unit layer. Every error names the file, the feature (index and name) and
/// the problem.
pub fn read_units(path: &Path) -> Result<Vec<Unit>> {
    read_units_with(path, &crate::io::layer::LayerOptions::default())
}

/// [`read_units`] of any layer format, with the layer options (`--layer`, `--crs`, `--encoding`).
pub fn read_units_with(path: &Path, opts: &crate::io::layer::LayerOptions) -> Result<Vec<Unit>> {
    let (doc, _) = crate::io::layer::read_layer_document(path, opts)?;
    let document = |m: &str| Error::input(path, "document", m.to_string());
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(document("not a GeoJSON FeatureCollection"));
    }
    let features = doc.get("features").and_then(Value::as_array).ok_or_else(|| document("no `features` array"))?;
    if features.is_empty() {
        return Err(document("the FeatureCollection has no features"));
    }
    let mut units = Vec::with_capacity(features.len());
    let mut codes = BTreeSet::new();
    for (i, f) in features.iter().enumerate() {
        let props = f.get("properties").and_then(Value::as_object);
        let name = text_prop(props, "name");
        let place = match &name {
            Some(n) => format!("feature {i} ({n})"),
            None => format!("feature {i}"),
        };
        let fail = |m: String| Error::input(path, place.clone(), m);
        let name = name.ok_or_else(|| fail("property `name` is missing or empty".into()))?;
        if let Some(v) = props.and_then(|p| p.get("level")).filter(|v| !v.is_null() && !v.is_string()) {
            return Err(fail(format!("property `level` = {v} is not a string (e.g. \"街道\", \"社区\")")));
        }
        let level = text_prop(props, "level").ok_or_else(|| {
            fail("property `level` is missing or empty (the unit's level: 区, 街道, 镇, 乡, 社区, 村, …)".into())
        })?;
        let code = text_prop(props, "code");
        let parent = text_prop(props, "parent");
        if let Some(c) = &code
            && !codes.insert(c.clone())
        {
            return Err(fail(format!("duplicate code {c:?}")));
        }
        if code.is_some() && code == parent {
            return Err(fail(format!("`parent` = {:?} is the unit's own code", parent.unwrap_or_default())));
        }
        let geometry = f.get("geometry").filter(|g| !g.is_null()).ok_or_else(|| fail("no geometry".into()))?;
        let polygons = read_polygons(geometry, &fail)?;
        units.push(Unit { name, level, code, parent, polygons });
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &tempfile::TempDir, text: &str) -> std::path::PathBuf {
        let p = dir.path().join("units.geojson");
        std::fs::write(&p, text).unwrap();
        p
    }

    fn feature(props: &str, geom: &str) -> String {
        format!(r#"{{"type":"Feature","properties":{props},"geometry":{geom}}}"#)
    }

    const SQUARE: &str =
        r#"{"type":"Polygon","coordinates":[[[120,30],[120.01,30],[120.01,30.01],[120,30.01],[120,30]]]}"#;

    fn collection(features: &[String]) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
    }

    #[test]
    fn reads_levels_codes_parents_and_multipolygons() {
        let dir = tempfile::tempdir().unwrap();
        let multi = r#"{"type":"MultiPolygon","coordinates":[[[[120,30],[120.01,30],[120.01,30.01],[120,30]]],[[[121,30],[121.01,30],[121.01,30.01],[121,30]]]]}"#;
        let text = collection(&[
            feature(r#"{"name":"永中街道","level":"街道","code":330303001000}"#, SQUARE),
            feature(r#"{"name":"沙城社区","level":" 社区 ","code":"330303001001","parent":"330303001000"}"#, multi),
        ]);
        let u = read_units(&write(&dir, &text)).unwrap();
        assert_eq!(u.len(), 2);
        assert_eq!((u[0].name.as_str(), u[0].level.as_str()), ("永中街道", "街道"));
        assert_eq!(u[0].code.as_deref(), Some("330303001000"));
        assert_eq!(u[1].level, "社区");
        assert_eq!(u[1].parent.as_deref(), Some("330303001000"));
        assert_eq!(u[1].polygons.len(), 2);
        assert!(u[0].contains([120.005, 30.005]) && !u[0].contains([120.02, 30.005]));
        assert!((u[0].area_m2() - 1_070_000.0).abs() < 20_000.0, "{}", u[0].area_m2());
    }

    #[test]
    fn errors_name_the_feature_and_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let cases: Vec<(String, &str)> = vec![
            (collection(&[feature(r#"{"name":"甲"}"#, SQUARE)]), "feature 0 (甲): property `level`"),
            (collection(&[feature(r#"{"level":"村"}"#, SQUARE)]), "feature 0: property `name`"),
            (collection(&[feature(r#"{"name":"甲","level":3}"#, SQUARE)]), "`level` = 3 is not a string"),
            (
                collection(&[
                    feature(r#"{"name":"甲","level":"村","code":"1"}"#, SQUARE),
                    feature(r#"{"name":"乙","level":"村","code":"1"}"#, SQUARE),
                ]),
                "feature 1 (乙): duplicate code \"1\"",
            ),
            (
                collection(&[feature(
                    r#"{"name":"甲","level":"村"}"#,
                    r#"{"type":"Polygon","coordinates":[[[30,120],[30.01,120],[30.01,120.01],[30,120]]]}"#,
                )]),
                "look swapped",
            ),
            (
                // Projected metres with a small easting: out of range, not swapped (this reader
                // used to call any latitude beyond 90 with |lon| ≤ 90 swapped).
                collection(&[feature(
                    r#"{"name":"甲","level":"村"}"#,
                    r#"{"type":"Polygon","coordinates":[[[50,3300000],[60,3300000],[60,3300010],[50,3300000]]]}"#,
                )]),
                "ring 0, position 0: lon 50.0, lat 3300000.0: outside WGS84 ranges",
            ),
            (
                collection(&[feature(
                    r#"{"name":"甲","level":"村"}"#,
                    r#"{"type":"Polygon","coordinates":[[[120,30],[120.01,30],[120.01,30.01],[120,30.01]]]}"#,
                )]),
                "not closed",
            ),
            (
                collection(&[feature(r#"{"name":"甲","level":"村"}"#, r#"{"type":"Point","coordinates":[120,30]}"#)]),
                "Point is not Polygon or MultiPolygon",
            ),
            (r#"{"type":"Feature"}"#.to_string(), "document: not a GeoJSON FeatureCollection"),
            ("{".to_string(), "invalid JSON"),
        ];
        for (text, want) in cases {
            let e = read_units(&write(&dir, &text)).unwrap_err().to_string();
            assert!(e.contains("units.geojson") && e.contains(want), "{e}\n  wanted: {want}");
        }
    }
}
