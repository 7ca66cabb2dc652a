//! The districts of a `batch` run (`--districts FILE`): one feature per district with a name and a
//! code, each read as the clip area of its own `analyze --clip` run (same polygon reader, same CRS
//! conversion, same halo), so a district of a batch and the same boundary given to `--clip` are
//! the same [`ClipArea`].
//!
//! A feature whose geometry cannot be read is not fatal: it becomes a district with a problem
//! (file, feature, what is wrong), reported and skipped while the others run. A file that cannot
//! be read at all, or two districts with one code, are errors.
//!
//! Glossary: **code** the district's identifier (e.g. 330106), the name of its output folder
//! `DIR/<code>/`, so only letters, digits, `.`, `_` and `-`; **halo** metres kept beyond the
//! district so facilities across its border still serve its residents (`--halo-m`).

use std::path::Path;

use serde_json::Value;

use super::clip_area::ClipArea;
use super::layer::LayerOptions;
use crate::error::{Error, Result};
use crate::geom::read_polygons;

/// One feature of the districts file.
#[derive(Clone, Debug)]
pub struct District {
    /// Position of the feature in the file (0-based).
    pub feature: usize,
    pub code: String,
    pub name: String,
    /// The clip area, or what is wrong with the feature (the message names file and feature).
    pub area: std::result::Result<ClipArea, String>,
}

/// Which properties hold the name and the code.
#[derive(Clone, Debug)]
pub struct Fields {
    pub name: String,
    pub code: String,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields { name: "name".into(), code: "code".into() }
    }
}

/// A property as text: a string as is, a number as JSON writes it.
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whether a code can name a folder everywhere (no separator, no `..`, no hidden name).
pub fn code_is_safe(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && !code.starts_with('.')
        && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Reads the districts: every feature of the layer (GeoJSON, Shapefile or GeoPackage, in the system
/// it declares or `opts.crs`, through [`super::layer`] as `--clip` is), in file order.
pub fn read_districts(path: &Path, opts: &LayerOptions, halo_m: f64, fields: &Fields) -> Result<Vec<District>> {
    if !(halo_m.is_finite() && (0.0..=50_000.0).contains(&halo_m)) {
        return Err(Error::Config(format!("--halo-m {halo_m}: must be between 0 and 50000")));
    }
    let (doc, layer_crs) = super::layer::read_layer_document(path, opts)?;
    let crs = layer_crs.to_string();
    let features = match doc.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => doc.get("features").and_then(Value::as_array).cloned().unwrap_or_default(),
        Some("Feature") => vec![doc.clone()],
        _ => return Err(Error::input(path, "document", "not a GeoJSON Feature or FeatureCollection of districts")),
    };
    if features.is_empty() {
        return Err(Error::input(path, "document", "no district feature"));
    }
    let mut out: Vec<District> = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let props = f.get("properties");
        let prop = |k: &str| text(props.and_then(|p| p.get(k)));
        let name = prop(&fields.name).unwrap_or_default();
        let Some(code) = prop(&fields.code) else {
            return Err(Error::input(
                path,
                format!("feature {i}{}", if name.is_empty() { String::new() } else { format!(" ({name})") }),
                format!(
                    "no {:?} property: every district needs a code (choose the property with --code-field)",
                    fields.code
                ),
            ));
        };
        if !code_is_safe(&code) {
            return Err(Error::input(
                path,
                format!("feature {i} ({name})"),
                format!("code {code:?} cannot name a folder: use letters, digits, '.', '_' or '-'"),
            ));
        }
        if let Some(other) = out.iter().find(|d| d.code == code) {
            return Err(Error::input(
                path,
                format!("feature {i} ({name})"),
                format!(
                    "code {code} is also the code of feature {} ({}): codes must be unique",
                    other.feature, other.name
                ),
            ));
        }
        let place = format!("feature {i} ({code} {name})");
        let at = |m: String| Error::input(path, place.clone(), m);
        let area = match f.get("geometry").filter(|g| !g.is_null()) {
            None => Err(at("no geometry".into()).to_string()),
            Some(g) => match read_polygons(g, &at) {
                Err(e) => Err(e.to_string()),
                Ok(polygons) => Ok(ClipArea { polygons, halo_m, crs: crs.clone(), path: path.to_path_buf() }),
            },
        };
        out.push(District { feature: i, code, name, area });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = "[[[-15.45,28.1],[-15.44,28.1],[-15.44,28.11],[-15.45,28.11],[-15.45,28.1]]]";

    fn read(text: &str) -> Result<Vec<District>> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("districts.geojson");
        std::fs::write(&p, text).unwrap();
        read_districts(&p, &LayerOptions::default(), 500.0, &Fields::default())
    }

    fn feature(code: &str, name: &str, coords: &str) -> String {
        format!(
            r#"{{"type":"Feature","properties":{{"code":{code},"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":{coords}}}}}"#
        )
    }

    #[test]
    fn each_feature_is_a_district_like_a_clip_area() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            feature("330106", "西湖区", SQUARE),
            feature("\"a-2\"", "B", SQUARE)
        );
        let d = read(&text).unwrap();
        assert_eq!(d.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["330106", "a-2"]);
        assert_eq!(d[0].name, "西湖区");
        let a = d[0].area.as_ref().unwrap();
        assert!(a.contains([-15.445, 28.105]) && a.halo_m == 500.0);
    }

    #[test]
    fn a_bad_geometry_is_a_district_problem_not_an_error() {
        let open = "[[[-15.45,28.1],[-15.44,28.1],[-15.44,28.11],[-15.45,28.12]]]";
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            feature("1", "ok", SQUARE),
            feature("2", "bad", open)
        );
        let d = read(&text).unwrap();
        assert!(d[0].area.is_ok());
        let e = d[1].area.as_ref().unwrap_err();
        assert!(e.contains("districts.geojson") && e.contains("feature 1 (2 bad)") && e.contains("not closed"), "{e}");
    }

    #[test]
    fn missing_unsafe_or_duplicate_codes_are_errors() {
        let no_code = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"x"}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}}]}}"#
        );
        assert!(read(&no_code).unwrap_err().to_string().contains("feature 0 (x): no \"code\" property"));
        let unsafe_code =
            format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, feature("\"../x\"", "x", SQUARE));
        assert!(read(&unsafe_code).unwrap_err().to_string().contains("cannot name a folder"));
        let dup = format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            feature("7", "a", SQUARE),
            feature("7", "b", SQUARE)
        );
        assert!(read(&dup).unwrap_err().to_string().contains("feature 1 (b): code 7 is also the code of feature 0"));
        assert!(!code_is_safe("a/b") && !code_is_safe(".x") && code_is_safe("330106"));
    }
}
