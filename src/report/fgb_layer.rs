//! FlatGeobuf layers (`--format fgb`): one small writer every layer goes through.
//!
//! Owns the `.fgb` encoding of the outputs: a [`LayerWriter`] takes a layer's columns up front,
//! then features (a [`Geometry`] and one optional [`Cell`] per column), and writes the file with
//! a packed Hilbert R-tree index, so GIS tools open and pan a city-scale layer without reading it
//! whole. [`from_geojson`] turns any GeoJSON FeatureCollection this crate writes into the same
//! layer: every property becomes a column (typed from the values it takes), the collection's other
//! members (attribution, source, profile…) go into the header's `metadata` as JSON.
//!
//! Glossary:
//! - **column**: an attribute of every feature, typed once per layer ([`ColType`]); a missing or
//!   `null` value is left out of the feature (FlatGeobuf's null).
//! - **packed Hilbert R-tree**: the spatial index FlatGeobuf stores after the header; features are
//!   sorted along a Hilbert curve (a stable sort of the input order, so the bytes are the same for
//!   the same input).
//!
//! Coordinates are lon/lat WGS84 (EPSG:4326), as in the GeoJSON: the values written are the ones
//! the GeoJSON prints (rounded to 1e-7°).

use std::io::{self, Write};

use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geozero::{ColumnValue, GeomProcessor, GeozeroGeometry, PropertyProcessor};
use serde_json::Value;

/// A column's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColType {
    Bool,
    /// Unsigned 32-bit integer (graph node numbers).
    UInt,
    Long,
    Double,
    String,
    /// JSON text (arrays and objects of the GeoJSON properties).
    Json,
}

impl ColType {
    fn fgb(self) -> ColumnType {
        match self {
            ColType::Bool => ColumnType::Bool,
            ColType::UInt => ColumnType::UInt,
            ColType::Long => ColumnType::Long,
            ColType::Double => ColumnType::Double,
            ColType::String => ColumnType::String,
            ColType::Json => ColumnType::Json,
        }
    }
}

/// One value of a feature.
#[derive(Clone, Copy, Debug)]
pub enum Cell<'v> {
    Bool(bool),
    UInt(u32),
    Long(i64),
    Double(f64),
    String(&'v str),
    Json(&'v str),
}

/// A feature's geometry, lon/lat. Rings as in GeoJSON (closed, outer first).
#[derive(Clone, Copy, Debug)]
pub enum Geometry<'g> {
    Point([f64; 2]),
    /// A GeoJSON geometry object (`Point`, `MultiPoint`, `LineString`, `MultiLineString`,
    /// `Polygon`, `MultiPolygon`).
    Json(&'g Value),
}

/// The layer's geometry type (FlatGeobuf stores one per file; `Unknown` lets each feature carry
/// its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerGeometry {
    Point,
    LineString,
    /// Polygons and multipolygons, all written as multipolygons.
    MultiPolygon,
    Unknown,
}

/// Writes one `.fgb` layer: columns first, then features, then [`LayerWriter::finish`].
pub struct LayerWriter<'a> {
    fgb: FgbWriter<'a>,
    columns: Vec<ColType>,
    name: String,
}

fn invalid(layer: &str, msg: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("layer {layer}: {msg}"))
}

impl<'a> LayerWriter<'a> {
    /// A layer named `name` with these columns; `metadata` (JSON text) goes into the header.
    pub fn new(
        name: &str,
        geometry: LayerGeometry,
        columns: &[(String, ColType)],
        metadata: Option<&'a str>,
    ) -> io::Result<Self> {
        let gtype = match geometry {
            LayerGeometry::Point => GeometryType::Point,
            LayerGeometry::LineString => GeometryType::LineString,
            LayerGeometry::MultiPolygon => GeometryType::MultiPolygon,
            LayerGeometry::Unknown => GeometryType::Unknown,
        };
        let options = FgbWriterOptions {
            write_index: true,
            detect_type: false,
            promote_to_multi: geometry == LayerGeometry::MultiPolygon,
            crs: FgbCrs { code: 4326, ..Default::default() },
            metadata,
            ..Default::default()
        };
        let mut fgb = FgbWriter::create_with_options(name, gtype, options).map_err(|e| invalid(name, e))?;
        for (col, t) in columns {
            fgb.add_column(col, t.fgb(), |_, c| c.nullable = true);
        }
        Ok(LayerWriter { fgb, columns: columns.iter().map(|c| c.1).collect(), name: name.to_string() })
    }

    /// Adds a feature: `cells[i]` is the value of column `i` (`None`: null). Extra cells are an
    /// error, as is a value of another type than its column's.
    pub fn add(&mut self, geometry: Geometry<'_>, cells: &[Option<Cell<'_>>]) -> io::Result<()> {
        if cells.len() > self.columns.len() {
            return Err(invalid(&self.name, format!("{} values for {} columns", cells.len(), self.columns.len())));
        }
        for (i, c) in cells.iter().enumerate() {
            if let Some(c) = c {
                let ok = matches!(
                    (c, self.columns[i]),
                    (Cell::Bool(_), ColType::Bool)
                        | (Cell::UInt(_), ColType::UInt)
                        | (Cell::Long(_), ColType::Long)
                        | (Cell::Double(_), ColType::Double)
                        | (Cell::String(_), ColType::String)
                        | (Cell::Json(_), ColType::Json)
                );
                if !ok {
                    return Err(invalid(&self.name, format!("column {i}: {c:?} in a {:?} column", self.columns[i])));
                }
            }
        }
        let geom = GeomSource(geometry);
        let mut res = Ok(());
        self.fgb
            .add_feature_geom(geom, |feat| {
                for (i, c) in cells.iter().enumerate() {
                    let Some(c) = c else { continue };
                    let v = match *c {
                        Cell::Bool(b) => ColumnValue::Bool(b),
                        Cell::UInt(u) => ColumnValue::UInt(u),
                        Cell::Long(l) => ColumnValue::Long(l),
                        Cell::Double(d) => ColumnValue::Double(d),
                        Cell::String(s) => ColumnValue::String(s),
                        Cell::Json(s) => ColumnValue::Json(s),
                    };
                    if let Err(e) = feat.property(i, "", &v) {
                        res = Err(e);
                    }
                }
            })
            .map_err(|e| invalid(&self.name, e))?;
        res.map_err(|e| invalid(&self.name, e))
    }

    /// Sorts the features along the Hilbert curve, writes header, index and features to `out`.
    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        let name = self.name;
        self.fgb.write(out).map_err(|e| invalid(&name, e))
    }
}

struct GeomSource<'g>(Geometry<'g>);

fn coord<P: GeomProcessor>(v: &Value, idx: usize, p: &mut P) -> geozero::error::Result<()> {
    let bad = || geozero::error::GeozeroError::Geometry(format!("bad position {v}"));
    let x = v.get(0).and_then(Value::as_f64).ok_or_else(bad)?;
    let y = v.get(1).and_then(Value::as_f64).ok_or_else(bad)?;
    p.xy(x, y, idx)
}

fn arr(v: &Value) -> geozero::error::Result<&Vec<Value>> {
    v.as_array().ok_or_else(|| geozero::error::GeozeroError::Geometry(format!("not an array: {v}")))
}

fn line<P: GeomProcessor>(v: &Value, tagged: bool, idx: usize, p: &mut P) -> geozero::error::Result<()> {
    let pts = arr(v)?;
    p.linestring_begin(tagged, pts.len(), idx)?;
    for (i, c) in pts.iter().enumerate() {
        coord(c, i, p)?;
    }
    p.linestring_end(tagged, idx)
}

fn polygon<P: GeomProcessor>(v: &Value, tagged: bool, idx: usize, p: &mut P) -> geozero::error::Result<()> {
    let rings = arr(v)?;
    p.polygon_begin(tagged, rings.len(), idx)?;
    for (i, r) in rings.iter().enumerate() {
        line(r, false, i, p)?;
    }
    p.polygon_end(tagged, idx)
}

impl GeozeroGeometry for GeomSource<'_> {
    fn process_geom<P: GeomProcessor>(&self, p: &mut P) -> geozero::error::Result<()> {
        match self.0 {
            Geometry::Point([x, y]) => {
                p.point_begin(0)?;
                p.xy(x, y, 0)?;
                p.point_end(0)
            }
            Geometry::Json(g) => {
                let c = &g["coordinates"];
                match g["type"].as_str() {
                    Some("Point") => {
                        p.point_begin(0)?;
                        coord(c, 0, p)?;
                        p.point_end(0)
                    }
                    Some("MultiPoint") => {
                        let pts = arr(c)?;
                        p.multipoint_begin(pts.len(), 0)?;
                        for (i, q) in pts.iter().enumerate() {
                            coord(q, i, p)?;
                        }
                        p.multipoint_end(0)
                    }
                    Some("LineString") => line(c, true, 0, p),
                    Some("MultiLineString") => {
                        let ls = arr(c)?;
                        p.multilinestring_begin(ls.len(), 0)?;
                        for (i, l) in ls.iter().enumerate() {
                            line(l, false, i, p)?;
                        }
                        p.multilinestring_end(0)
                    }
                    Some("Polygon") => polygon(c, true, 0, p),
                    Some("MultiPolygon") => {
                        let ps = arr(c)?;
                        p.multipolygon_begin(ps.len(), 0)?;
                        for (i, q) in ps.iter().enumerate() {
                            polygon(q, false, i, p)?;
                        }
                        p.multipolygon_end(0)
                    }
                    other => {
                        Err(geozero::error::GeozeroError::Geometry(format!("unsupported geometry type {other:?}")))
                    }
                }
            }
        }
    }
}

/// The column type a JSON value asks for (`None` for null).
fn value_type(v: &Value) -> Option<ColType> {
    match v {
        Value::Null => None,
        Value::Bool(_) => Some(ColType::Bool),
        Value::Number(n) if n.is_f64() => Some(ColType::Double),
        Value::Number(_) => Some(ColType::Long),
        Value::String(_) => Some(ColType::String),
        Value::Array(_) | Value::Object(_) => Some(ColType::Json),
    }
}

/// Two types one column takes: integers and floats make a double column, anything else mixed a
/// JSON one.
fn merge(a: ColType, b: ColType) -> ColType {
    match (a, b) {
        _ if a == b => a,
        (ColType::Long, ColType::Double) | (ColType::Double, ColType::Long) => ColType::Double,
        _ => ColType::Json,
    }
}

/// The layer geometry for these GeoJSON geometry type names.
fn layer_geometry<'t>(types: impl Iterator<Item = &'t str>) -> LayerGeometry {
    let mut out: Option<LayerGeometry> = None;
    for t in types {
        let g = match t {
            "Point" => LayerGeometry::Point,
            "LineString" => LayerGeometry::LineString,
            "Polygon" | "MultiPolygon" => LayerGeometry::MultiPolygon,
            _ => LayerGeometry::Unknown,
        };
        out = match out {
            None => Some(g),
            Some(o) if o == g => Some(o),
            Some(_) => Some(LayerGeometry::Unknown),
        };
    }
    out.unwrap_or(LayerGeometry::Unknown)
}

/// Converts a GeoJSON FeatureCollection (bytes as this crate writes them) into a `.fgb` layer named
/// `name`, written to `out`. Columns are the properties in first-seen order.
pub fn from_geojson(name: &str, geojson: &[u8], out: &mut dyn Write) -> io::Result<()> {
    let doc: Value = serde_json::from_slice(geojson).map_err(|e| invalid(name, format!("GeoJSON: {e}")))?;
    let Value::Object(mut doc) = doc else { return Err(invalid(name, "GeoJSON: not an object")) };
    let features = match doc.remove("features") {
        Some(Value::Array(f)) => f,
        _ => return Err(invalid(name, "GeoJSON: no `features` array")),
    };
    doc.remove("type");
    let metadata = serde_json::to_string(&doc).expect("serialisable");

    let mut columns: Vec<(String, Option<ColType>)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for f in &features {
        if let Some(props) = f["properties"].as_object() {
            for (k, v) in props {
                let i = *index.entry(k.as_str()).or_insert_with(|| {
                    columns.push((k.clone(), None));
                    columns.len() - 1
                });
                if let Some(t) = value_type(v) {
                    columns[i].1 = Some(columns[i].1.map_or(t, |c| merge(c, t)));
                }
            }
        }
    }
    // A column only ever null is typed as text (GDAL shows it as an empty string field).
    let typed: Vec<(String, ColType)> =
        columns.iter().map(|(k, t)| (k.clone(), t.unwrap_or(ColType::String))).collect();
    let geometry = layer_geometry(features.iter().map(|f| f["geometry"]["type"].as_str().unwrap_or("")));
    let mut layer = LayerWriter::new(name, geometry, &typed, Some(&metadata))?;
    let mut json_text: Vec<Option<String>> = vec![None; typed.len()];
    for (n, f) in features.iter().enumerate() {
        let props = f["properties"].as_object();
        for (i, (k, t)) in typed.iter().enumerate() {
            json_text[i] = match (props.and_then(|p| p.get(k)), t) {
                (Some(v @ (Value::Array(_) | Value::Object(_) | Value::Bool(_) | Value::Number(_))), ColType::Json) => {
                    Some(v.to_string())
                }
                (Some(Value::String(s)), ColType::Json) => Some(Value::String(s.clone()).to_string()),
                _ => None,
            };
        }
        let cells: Vec<Option<Cell<'_>>> = typed
            .iter()
            .enumerate()
            .map(|(i, (k, t))| {
                let v = props.and_then(|p| p.get(k))?;
                Some(match (t, v) {
                    (ColType::Json, _) => Cell::Json(json_text[i].as_deref()?),
                    (ColType::Bool, Value::Bool(b)) => Cell::Bool(*b),
                    (ColType::Long, Value::Number(x)) => Cell::Long(x.as_i64()?),
                    (ColType::Double, Value::Number(x)) => Cell::Double(x.as_f64()?),
                    (ColType::String, Value::String(s)) => Cell::String(s),
                    _ => return None,
                })
            })
            .collect();
        let geom = &f["geometry"];
        if !geom.is_object() {
            return Err(invalid(name, format!("feature {n}: no geometry")));
        }
        layer.add(Geometry::Json(geom), &cells).map_err(|e| invalid(name, format!("feature {n}: {e}")))?;
    }
    layer.finish(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_types_merge_and_layer_geometry() {
        assert_eq!(merge(ColType::Long, ColType::Double), ColType::Double);
        assert_eq!(merge(ColType::Bool, ColType::String), ColType::Json);
        assert_eq!(layer_geometry(["Polygon", "MultiPolygon"].into_iter()), LayerGeometry::MultiPolygon);
        assert_eq!(layer_geometry(["Point", "Polygon"].into_iter()), LayerGeometry::Unknown);
    }

    #[test]
    fn same_geojson_same_bytes_and_a_flatgeobuf_header() {
        let gj = br#"{"type":"FeatureCollection","name":"t","attribution":"x","features":[
            {"type":"Feature","properties":{"a":1,"b":"x","c":null,"d":[1,2]},"geometry":{"type":"Point","coordinates":[1.5,2.5]}},
            {"type":"Feature","properties":{"a":2.5,"b":"y","c":true},"geometry":{"type":"Point","coordinates":[3,4]}}]}"#;
        let mut one = Vec::new();
        from_geojson("t", gj, &mut one).unwrap();
        let mut two = Vec::new();
        from_geojson("t", gj, &mut two).unwrap();
        assert_eq!(one, two);
        assert_eq!(&one[..3], b"fgb");
        // The column names and the metadata are in the header.
        let s = String::from_utf8_lossy(&one);
        assert!(s.contains("attribution"), "metadata kept");
        for col in ["a", "b", "c", "d"] {
            assert!(s.contains(col));
        }
    }

    #[test]
    fn bad_geojson_is_an_error_naming_the_layer() {
        let e = from_geojson("layer_x", b"{\"type\":\"FeatureCollection\"}", &mut Vec::new()).unwrap_err();
        assert!(e.to_string().contains("layer_x"), "{e}");
        let gj =
            br#"{"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":["a",1]}}]}"#;
        let e = from_geojson("layer_y", gj, &mut Vec::new()).unwrap_err();
        assert!(e.to_string().contains("feature 0"), "{e}");
    }

    #[test]
    fn a_cell_of_the_wrong_type_is_refused() {
        let mut l = LayerWriter::new("w", LayerGeometry::Point, &[("n".into(), ColType::UInt)], None).unwrap();
        assert!(l.add(Geometry::Point([0.0, 0.0]), &[Some(Cell::Double(1.0))]).is_err());
        assert!(l.add(Geometry::Point([0.0, 0.0]), &[Some(Cell::UInt(1))]).is_ok());
    }
}
