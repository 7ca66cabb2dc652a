//! Shapefile layers (`.shp` + `.shx` + `.dbf`, optional `.prj` and `.cpg`), read with the
//! `shapefile` and `dbase` crates. Shapes: Point, MultiPoint, Polygon (rings grouped into
//! polygons, holes with the outer ring containing them), PolyLine (kept as LineString geometry,
//! which polygon layers refuse with a message); the M and Z variants drop M and Z.
//!
//! Attribute text: `--encoding`, else the `.cpg` (`UTF-8`, `GBK`, `936`, `GB18030`, …), else the
//! `.dbf` language driver byte (0x4D / 0x7A: code page 936), else detected: UTF-8 when the
//! records are valid UTF-8, otherwise GB18030 (a superset of GBK and GB2312) with a warning that
//! names the file.

use std::path::Path;

use serde_json::{Map, Value};
use shapefile::{Point, PolygonRing, Shape};

use super::{LayerOptions, collection, number, polygons_geometry, position};
use crate::error::{Error, Result};
use crate::io::crs::{LayerCrs, from_wkt};

/// The encoding of the `.cpg`, if there is one; an unknown label is an error.
fn cpg_encoding(shp: &Path) -> Result<Option<&'static encoding_rs::Encoding>> {
    let cpg = shp.with_extension("cpg");
    let Ok(text) = std::fs::read_to_string(&cpg) else { return Ok(None) };
    let label = text.trim();
    let label = match label {
        "936" | "CP936" | "cp936" => "gbk",
        "65001" => "utf-8",
        "54936" => "gb18030",
        l => l,
    };
    super::parse_encoding(label).map(Some).map_err(|m| Error::input(&cpg, "file", format!("{m}; give --encoding")))
}

/// How the `.dbf` text is decoded, and whether it was guessed.
fn dbf_encoding(shp: &Path, dbf: &[u8], opts: &LayerOptions) -> Result<(&'static encoding_rs::Encoding, bool)> {
    if let Some(e) = opts.encoding {
        return Ok((e, false));
    }
    if let Some(e) = cpg_encoding(shp)? {
        return Ok((e, false));
    }
    // Language driver id (byte 29): 0x4D GBK/GB2312, 0x7A PRC GBK.
    if matches!(dbf.get(29), Some(0x4D | 0x7A)) {
        return Ok((encoding_rs::GBK, false));
    }
    let header_len = dbf.get(8..10).map_or(dbf.len(), |b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let records = dbf.get(header_len.min(dbf.len())..).unwrap_or(&[]);
    if std::str::from_utf8(records).is_ok() {
        Ok((encoding_rs::UTF_8, records.iter().any(|b| *b >= 0x80)))
    } else {
        Ok((encoding_rs::GB18030, true))
    }
}

/// The run warning for a Shapefile whose `.dbf` text was decoded as GB18030 by detection (no
/// `--encoding`, no `.cpg`, no language byte, not UTF-8); `None` when the encoding was declared or
/// the text is UTF-8, or the file cannot be read (the reader reports that).
pub fn encoding_note(shp: &Path, opts: &LayerOptions) -> Option<String> {
    let dbf_path = shp.with_extension("dbf");
    let dbf = std::fs::read(&dbf_path).ok()?;
    let (enc, guessed) = dbf_encoding(shp, &dbf, opts).ok()?;
    (guessed && enc == encoding_rs::GB18030).then(|| {
        format!(
            "{}: the attribute text (.dbf) is not UTF-8 and no code page is declared (no .cpg, no language byte): \
             read as GB18030; if names look wrong, give --encoding",
            dbf_path.display()
        )
    })
}

fn xy(p: &Point) -> [f64; 2] {
    [p.x, p.y]
}

fn rings_of(rings: &[PolygonRing<[f64; 2]>]) -> Vec<(bool, Vec<[f64; 2]>)> {
    rings
        .iter()
        .map(|r| match r {
            PolygonRing::Outer(v) => (true, v.clone()),
            PolygonRing::Inner(v) => (false, v.clone()),
        })
        .collect()
}

fn ring_points<P: Copy>(rings: &[PolygonRing<P>], f: impl Fn(&P) -> [f64; 2]) -> Vec<PolygonRing<[f64; 2]>> {
    rings
        .iter()
        .map(|r| match r {
            PolygonRing::Outer(v) => PolygonRing::Outer(v.iter().map(&f).collect()),
            PolygonRing::Inner(v) => PolygonRing::Inner(v.iter().map(&f).collect()),
        })
        .collect()
}

fn line(parts: Vec<Vec<[f64; 2]>>, crs: &LayerCrs) -> Value {
    let arr = |p: &Vec<[f64; 2]>| Value::Array(p.iter().map(|q| position(crs, *q)).collect());
    if parts.len() == 1 {
        serde_json::json!({"type": "LineString", "coordinates": arr(&parts[0])})
    } else {
        serde_json::json!({"type": "MultiLineString", "coordinates": Value::Array(parts.iter().map(arr).collect())})
    }
}

fn geometry(shape: &Shape, crs: &LayerCrs) -> Value {
    let points = |v: Vec<[f64; 2]>| serde_json::json!({"type": "MultiPoint", "coordinates": Value::Array(v.iter().map(|q| position(crs, *q)).collect())});
    match shape {
        Shape::NullShape => Value::Null,
        Shape::Point(p) => serde_json::json!({"type": "Point", "coordinates": position(crs, xy(p))}),
        Shape::PointM(p) => serde_json::json!({"type": "Point", "coordinates": position(crs, [p.x, p.y])}),
        Shape::PointZ(p) => serde_json::json!({"type": "Point", "coordinates": position(crs, [p.x, p.y])}),
        Shape::Multipoint(m) => points(m.points().iter().map(xy).collect()),
        Shape::MultipointM(m) => points(m.points().iter().map(|p| [p.x, p.y]).collect()),
        Shape::MultipointZ(m) => points(m.points().iter().map(|p| [p.x, p.y]).collect()),
        Shape::Polygon(p) => polygons_geometry(rings_of(&ring_points(p.rings(), xy)), crs),
        Shape::PolygonM(p) => polygons_geometry(rings_of(&ring_points(p.rings(), |q| [q.x, q.y])), crs),
        Shape::PolygonZ(p) => polygons_geometry(rings_of(&ring_points(p.rings(), |q| [q.x, q.y])), crs),
        Shape::Polyline(l) => line(l.parts().iter().map(|p| p.iter().map(xy).collect()).collect(), crs),
        Shape::PolylineM(l) => line(l.parts().iter().map(|p| p.iter().map(|q| [q.x, q.y]).collect()).collect(), crs),
        Shape::PolylineZ(l) => line(l.parts().iter().map(|p| p.iter().map(|q| [q.x, q.y]).collect()).collect(), crs),
        Shape::Multipatch(_) => serde_json::json!({"type": "Multipatch"}),
    }
}

fn attribute(v: &dbase::FieldValue) -> Value {
    use dbase::FieldValue as F;
    match v {
        F::Character(Some(s)) | F::Memo(s) => Value::String(s.trim().to_string()),
        F::Numeric(Some(x)) | F::Currency(x) | F::Double(x) => number(*x),
        F::Float(Some(x)) => number(f64::from(*x)),
        F::Integer(i) => Value::from(*i),
        F::Logical(Some(b)) => Value::Bool(*b),
        F::Date(Some(d)) => Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())),
        _ => Value::Null,
    }
}

/// Reads a Shapefile into a WGS84 FeatureCollection.
pub fn read(shp: &Path, opts: &LayerOptions) -> Result<(Value, LayerCrs)> {
    let fail = |place: String, m: String| Error::input(shp, place, m);
    let shapes = shapefile::ShapeReader::from_path(shp)
        .and_then(|r| r.read())
        .map_err(|e| fail("file".into(), format!("cannot read the shapes: {e}")))?;
    let dbf_path = shp.with_extension("dbf");
    let dbf = std::fs::read(&dbf_path).map_err(|e| Error::Io { path: dbf_path.clone(), cause: e })?;
    // A guessed GB18030 is a run warning (`encoding_note`), said by the stage that reads the layer.
    let (enc, _guessed) = dbf_encoding(shp, &dbf, opts)?;
    let mut reader = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::EncodingRs::from(enc))
        .build(std::io::Cursor::new(dbf))
        .map_err(|e| Error::input(&dbf_path, "header", format!("not a dBASE table: {e}")))?;
    let fields: Vec<String> = reader.fields().iter().map(|f| f.name().to_string()).collect();
    let records = reader.read().map_err(|e| Error::input(&dbf_path, "records", format!("{e}")))?;
    if records.len() != shapes.len() {
        return Err(fail(
            "file".into(),
            format!("{} shapes but {} .dbf records; the files do not belong together", shapes.len(), records.len()),
        ));
    }
    let prj = shp.with_extension("prj");
    let file_crs = match std::fs::read(&prj) {
        Ok(b) => Some(from_wkt(&String::from_utf8_lossy(&b)).map_err(|m| Error::input(&prj, "coordinate system", m))?),
        Err(_) => None,
    };
    let crs = opts.crs.clone().or(file_crs).unwrap_or_default();
    let features = shapes
        .iter()
        .zip(&records)
        .map(|(s, r)| {
            let props: Map<String, Value> =
                fields.iter().filter_map(|f| r.get(f).map(|v| (f.clone(), attribute(v)))).collect();
            (geometry(s, &crs), props)
        })
        .collect();
    Ok((collection(features), crs))
}
