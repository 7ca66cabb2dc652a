//! io::layer owns reading a user's vector layer, whatever its format, into WGS84 GeoJSON: the one
//! entry point of every polygon / point layer reader (communities, planning units, candidate
//! sites, clip areas).
//!
//! Glossary:
//! - **layer**: one table of features: a GeoJSON file, a Shapefile (`.shp` with `.shx`, `.dbf`,
//!   optional `.prj` and `.cpg`), or one feature table of a GeoPackage (`.gpkg`).
//! - **feature**: a geometry (GeoJSON geometry object, WGS84 `[lon, lat]`) and its attributes (a
//!   JSON object: text, numbers, booleans, null).
//! - **declared CRS**: what the file says of its coordinates: the `.prj` WKT, the GeoPackage
//!   `gpkg_spatial_ref_sys` entry, a GeoJSON `crs` member (RFC 7946 files have none: WGS84).
//!   [`LayerOptions::crs`] (`--crs`) overrides it; a file that declares nothing is lon/lat.
//! - **encoding**: of a Shapefile's `.dbf` text: `--encoding`, else the `.cpg`, else the `.dbf`
//!   language driver byte, else detected (valid UTF-8, otherwise GB18030 with a warning naming the
//!   file).
//!
//! Dispatch is on the file extension: `.shp`/`.dbf`/`.shx` → [`shapefile`], `.gpkg` → [`gpkg`],
//! anything else → [`geojson`]. Each reader returns a GeoJSON FeatureCollection document, so the
//! callers keep one parser of features (their property names, ids, error places). Errors name the
//! file, the feature (0-based index) and the problem.

pub mod geojson;
pub mod gpkg;
pub mod shapefile;

use std::path::Path;

use serde_json::{Map, Number, Value};

use super::crs::LayerCrs;
use crate::error::{Error, Result};

/// How to read a layer; the defaults read a WGS84 GeoJSON file as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayerOptions {
    /// The GeoPackage table to read (`--layer`); `None`: the only feature table.
    pub layer: Option<String>,
    /// The coordinate system of the positions (`--crs`), overriding what the file declares.
    pub crs: Option<LayerCrs>,
    /// The text encoding of a Shapefile's `.dbf` (`--encoding`), overriding `.cpg` and detection.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// `--encoding` values: `utf-8`, `gbk`, `gb18030`, `gb2312`, `cp936`, `big5`, … (WHATWG labels).
pub fn parse_encoding(s: &str) -> std::result::Result<&'static encoding_rs::Encoding, String> {
    let label = s.trim();
    let label = if label.eq_ignore_ascii_case("cp936") || label == "936" { "gbk" } else { label };
    encoding_rs::Encoding::for_label(label.as_bytes())
        .ok_or_else(|| format!("unknown text encoding {s:?} (e.g. utf-8, gbk, gb18030)"))
}

/// One feature of a layer, geometry in WGS84.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// A GeoJSON geometry object; `None` for a feature without geometry.
    pub geometry: Option<Value>,
    pub properties: Map<String, Value>,
}

/// The run warning for a layer whose attribute text encoding was detected rather than declared
/// (a Shapefile `.dbf` read as GB18030); `None` for other layers.
pub fn encoding_note(path: &Path, opts: &LayerOptions) -> Option<String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "shp" | "shx" | "dbf")
        .then(|| shapefile::encoding_note(&path.with_extension("shp"), opts))
        .flatten()
}

/// Reads a layer's features, geometry in WGS84 lon/lat, attributes as a JSON object.
pub fn read_layer(path: &Path, opts: &LayerOptions) -> Result<Vec<Feature>> {
    let (doc, _) = read_layer_document(path, opts)?;
    let kind = doc.get("type").and_then(Value::as_str).map(str::to_string);
    let feats = match kind.as_deref() {
        Some("FeatureCollection") => doc.get("features").and_then(Value::as_array).cloned().unwrap_or_default(),
        Some("Feature") => vec![doc],
        Some(_) => vec![serde_json::json!({"type": "Feature", "geometry": doc})],
        None => return Err(Error::input(path, "document", "not a GeoJSON object")),
    };
    Ok(feats
        .into_iter()
        .map(|f| Feature {
            geometry: f.get("geometry").filter(|g| !g.is_null()).cloned(),
            properties: f.get("properties").and_then(Value::as_object).cloned().unwrap_or_default(),
        })
        .collect())
}

/// Reads a layer as a GeoJSON document in WGS84 (a GeoJSON file keeps its own shape: bare
/// geometry, Feature or FeatureCollection; the other formats give a FeatureCollection), with the
/// coordinate system its positions were converted from.
pub fn read_layer_document(path: &Path, opts: &LayerOptions) -> Result<(Value, LayerCrs)> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "shp" | "shx" | "dbf" => shapefile::read(&path.with_extension("shp"), opts),
        "gpkg" => gpkg::read(path, opts),
        _ => {
            let bytes = std::fs::read(path).map_err(|e| Error::Io { path: path.to_path_buf(), cause: e })?;
            geojson::parse(&bytes, path, opts)
        }
    }
}

/// A finite number as JSON (integers without a fraction as integers).
pub(crate) fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// `[x, y]` → a GeoJSON position in WGS84.
pub(crate) fn position(crs: &LayerCrs, p: [f64; 2]) -> Value {
    let q = crs.to_wgs84(p);
    Value::Array(vec![
        Number::from_f64(q[0]).map_or(Value::Null, Value::Number),
        Number::from_f64(q[1]).map_or(Value::Null, Value::Number),
    ])
}

/// Groups rings (outer or hole, in file order) into polygons: a hole joins the outer ring that
/// contains its first position, or the last outer ring when none does. Gives a GeoJSON
/// `Polygon` or `MultiPolygon`.
pub(crate) fn polygons_geometry(rings: Vec<(bool, Vec<[f64; 2]>)>, crs: &LayerCrs) -> Value {
    let mut polys: Vec<Vec<Vec<[f64; 2]>>> = Vec::new();
    for (outer, ring) in rings {
        if outer || polys.is_empty() {
            polys.push(vec![ring]);
        } else {
            let first = ring.first().copied().unwrap_or([0.0, 0.0]);
            let k = polys
                .iter()
                .position(|p| crate::geom::polygon::polygon_contains(&p[..1], first))
                .unwrap_or(polys.len() - 1);
            polys[k].push(ring);
        }
    }
    let coords = |p: &Vec<Vec<[f64; 2]>>| {
        Value::Array(p.iter().map(|r| Value::Array(r.iter().map(|q| position(crs, *q)).collect())).collect())
    };
    if polys.len() == 1 {
        serde_json::json!({"type": "Polygon", "coordinates": coords(&polys[0])})
    } else {
        serde_json::json!({"type": "MultiPolygon", "coordinates": Value::Array(polys.iter().map(coords).collect())})
    }
}

/// A FeatureCollection of `(geometry, properties)`.
pub(crate) fn collection(features: Vec<(Value, Map<String, Value>)>) -> Value {
    let features = features
        .into_iter()
        .map(|(g, p)| {
            let mut f = Map::new();
            f.insert("type".into(), "Feature".into());
            f.insert("properties".into(), Value::Object(p));
            f.insert("geometry".into(), g);
            Value::Object(f)
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": Value::Array(features)})
}
