//! GeoPackage layers (`.gpkg`, SQLite through `rusqlite` with the bundled SQLite): one feature
//! table, named by `--layer` or the only one in `gpkg_contents`. The geometry column
//! (`gpkg_geometry_columns`) holds GeoPackage binary geometry: the `GP` header (version, flags,
//! SRS id, optional envelope) and then ISO WKB, parsed here (Point, LineString, Polygon and their
//! Multi forms; Z and M dropped). The coordinate system is the table's `gpkg_spatial_ref_sys`
//! entry: its EPSG code, else its WKT definition; SRS ids 0 and −1 (undefined) are lon/lat.

use std::path::Path;

use rusqlite::types::ValueRef;
use serde_json::{Map, Value};

use super::{LayerOptions, collection, number, polygons_geometry, position};
use crate::error::{Error, Result};
use crate::io::crs::{self, LayerCrs};

struct Wkb<'a> {
    b: &'a [u8],
    i: usize,
}

impl Wkb<'_> {
    fn take<const N: usize>(&mut self, le: bool) -> std::result::Result<[u8; N], String> {
        let s = self.b.get(self.i..self.i + N).ok_or("WKB ends early")?;
        self.i += N;
        let mut a: [u8; N] = s.try_into().map_err(|_| "WKB ends early")?;
        if !le {
            a.reverse();
        }
        Ok(a)
    }

    fn u32(&mut self, le: bool) -> std::result::Result<u32, String> {
        Ok(u32::from_le_bytes(self.take::<4>(le)?))
    }

    fn f64(&mut self, le: bool) -> std::result::Result<f64, String> {
        Ok(f64::from_le_bytes(self.take::<8>(le)?))
    }

    fn point(&mut self, le: bool, dims: usize) -> std::result::Result<[f64; 2], String> {
        let x = self.f64(le)?;
        let y = self.f64(le)?;
        for _ in 2..dims {
            self.f64(le)?;
        }
        Ok([x, y])
    }

    fn points(&mut self, le: bool, dims: usize) -> std::result::Result<Vec<[f64; 2]>, String> {
        let n = self.u32(le)? as usize;
        if n > self.b.len() / 16 {
            return Err(format!("WKB count {n} larger than the geometry"));
        }
        (0..n).map(|_| self.point(le, dims)).collect()
    }

    fn rings(&mut self, le: bool, dims: usize) -> std::result::Result<Vec<Vec<[f64; 2]>>, String> {
        let n = self.u32(le)? as usize;
        if n > self.b.len() / 4 {
            return Err(format!("WKB ring count {n} larger than the geometry"));
        }
        (0..n).map(|_| self.points(le, dims)).collect()
    }

    /// One WKB geometry as GeoJSON in WGS84.
    fn geometry(&mut self, crs: &LayerCrs, depth: usize) -> std::result::Result<Value, String> {
        if depth > 8 {
            return Err("WKB nested too deeply".into());
        }
        let le = match self.take::<1>(true)?[0] {
            0 => false,
            1 => true,
            b => return Err(format!("WKB byte order {b} is neither 0 nor 1")),
        };
        let raw = self.u32(le)?;
        // ISO (1000s: Z, 2000s: M, 3000s: ZM) or EWKB flags.
        let (mut kind, mut dims) = (raw & 0x0FFF_FFFF, 2);
        if raw & 0x8000_0000 != 0 {
            dims += 1;
        }
        if raw & 0x4000_0000 != 0 {
            dims += 1;
        }
        match kind / 1000 {
            1 | 2 => dims += 1,
            3 => dims += 2,
            _ => {}
        }
        kind %= 1000;
        let pos = |v: &Vec<[f64; 2]>| Value::Array(v.iter().map(|q| position(crs, *q)).collect());
        let multi = |w: &mut Self, want: u32| -> std::result::Result<Vec<Value>, String> {
            let n = w.u32(le)? as usize;
            (0..n.min(w.b.len()))
                .map(|_| {
                    let g = w.geometry(crs, depth + 1)?;
                    let t = g.get("type").and_then(Value::as_str).unwrap_or("");
                    let ok = matches!((want, t), (1, "Point") | (2, "LineString") | (3, "Polygon") | (0, _));
                    if ok { Ok(g) } else { Err(format!("a {t} inside a WKB multi-geometry of type {want}")) }
                })
                .collect()
        };
        Ok(match kind {
            1 => serde_json::json!({"type": "Point", "coordinates": position(crs, self.point(le, dims)?)}),
            2 => serde_json::json!({"type": "LineString", "coordinates": pos(&self.points(le, dims)?)}),
            3 => {
                let rings = self.rings(le, dims)?;
                if rings.is_empty() {
                    serde_json::json!({"type": "Polygon", "coordinates": []})
                } else {
                    let tagged = rings.into_iter().enumerate().map(|(k, r)| (k == 0, r)).collect();
                    polygons_geometry(tagged, crs)
                }
            }
            4 => {
                let pts: Vec<Value> = multi(self, 1)?.into_iter().map(|g| g["coordinates"].clone()).collect();
                serde_json::json!({"type": "MultiPoint", "coordinates": pts})
            }
            5 => {
                let ls: Vec<Value> = multi(self, 2)?.into_iter().map(|g| g["coordinates"].clone()).collect();
                serde_json::json!({"type": "MultiLineString", "coordinates": ls})
            }
            6 => {
                let ps: Vec<Value> = multi(self, 3)?.into_iter().map(|g| g["coordinates"].clone()).collect();
                serde_json::json!({"type": "MultiPolygon", "coordinates": ps})
            }
            7 => serde_json::json!({"type": "GeometryCollection", "geometries": multi(self, 0)?}),
            k => return Err(format!("WKB geometry type {k} is not supported")),
        })
    }
}

/// A GeoPackage geometry blob → GeoJSON in WGS84; `Null` for an empty geometry.
pub fn gpkg_geometry(blob: &[u8], crs: &LayerCrs) -> std::result::Result<Value, String> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("not a GeoPackage geometry (no GP header)".into());
    }
    let flags = blob[3];
    if flags & 0x10 != 0 {
        return Ok(Value::Null);
    }
    let envelope = match (flags >> 1) & 0x07 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        e => return Err(format!("invalid envelope indicator {e}")),
    };
    let mut w = Wkb { b: blob.get(8 + envelope..).ok_or("geometry ends in its header")?, i: 0 };
    w.geometry(crs, 0)
}

fn sql_err(path: &Path, place: &str) -> impl Fn(rusqlite::Error) -> Error {
    let (path, place) = (path.to_path_buf(), place.to_string());
    move |e| Error::input(&path, place.clone(), format!("GeoPackage: {e}"))
}

/// The system of an SRS id of the GeoPackage.
fn srs(conn: &rusqlite::Connection, path: &Path, srs_id: i64) -> Result<Option<LayerCrs>> {
    if srs_id == 0 || srs_id == -1 {
        return Ok(None);
    }
    let (org, code, def): (String, i64, String) = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(sql_err(path, &format!("spatial reference system {srs_id}")))?;
    if org.eq_ignore_ascii_case("EPSG")
        && let Some(c) = u32::try_from(code).ok().and_then(crs::from_epsg)
    {
        return Ok(Some(c));
    }
    crs::from_wkt(&def)
        .map(Some)
        .map_err(|m| Error::input(path, format!("spatial reference system {srs_id} ({org}:{code})"), m))
}

/// Reads one feature table of a GeoPackage into a WGS84 FeatureCollection.
pub fn read(path: &Path, opts: &LayerOptions) -> Result<(Value, LayerCrs)> {
    if !path.exists() {
        return Err(Error::Io { path: path.to_path_buf(), cause: std::io::ErrorKind::NotFound.into() });
    }
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(sql_err(path, "file"))?;
    let tables: Vec<String> = conn
        .prepare("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(sql_err(path, "gpkg_contents"))?;
    let table = match &opts.layer {
        Some(l) if tables.contains(l) => l.clone(),
        Some(l) => {
            return Err(Error::input(
                path,
                "file",
                format!("no feature layer {l:?}; its layers: {}", tables.join(", ")),
            ));
        }
        None if tables.len() == 1 => tables[0].clone(),
        None if tables.is_empty() => return Err(Error::input(path, "file", "no feature layer in gpkg_contents")),
        None => {
            return Err(Error::input(
                path,
                "file",
                format!("{} feature layers ({}): choose one with --layer", tables.len(), tables.join(", ")),
            ));
        }
    };
    let (geom_col, srs_id): (String, i64) = conn
        .query_row("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1", [&table], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(sql_err(path, &format!("layer {table}")))?;
    let file_crs = srs(&conn, path, srs_id)?;
    let crs = opts.crs.clone().or(file_crs).unwrap_or_default();
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM \"{}\"", table.replace('"', "\"\"")))
        .map_err(sql_err(path, &format!("layer {table}")))?;
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut rows = stmt.query([]).map_err(sql_err(path, &format!("layer {table}")))?;
    let mut features = Vec::new();
    while let Some(row) = rows.next().map_err(sql_err(path, &format!("layer {table}")))? {
        let i = features.len();
        let mut props = Map::new();
        let mut geometry = Value::Null;
        for (k, name) in names.iter().enumerate() {
            let v = row.get_ref(k).map_err(sql_err(path, &format!("feature {i}")))?;
            if *name == geom_col {
                if let ValueRef::Blob(b) = v {
                    geometry = gpkg_geometry(b, &crs)
                        .map_err(|m| Error::input(path, format!("feature {i}"), format!("geometry: {m}")))?;
                }
                continue;
            }
            let value = match v {
                ValueRef::Null | ValueRef::Blob(_) => Value::Null,
                ValueRef::Integer(n) => Value::from(n),
                ValueRef::Real(x) => number(x),
                ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
            };
            props.insert(name.clone(), value);
        }
        features.push((geometry, props));
    }
    Ok((collection(features), crs))
}
