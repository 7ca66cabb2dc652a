//! The one reader of GeoJSON polygon geometry: a `Polygon` or `MultiPolygon` geometry object →
//! [`MultiPolygon`] (WGS84 `[lon, lat]`), every position checked with
//! [`check_lon_lat`](super::lon_lat::check_lon_lat), every ring closed with at least 4 positions.
//!
//! The caller parses the document (it knows the file) and passes `at`, which turns a message into
//! an error naming the file and the feature; the message names the polygon, ring and position.

use serde_json::Value;

use super::lon_lat::check_lon_lat;
use super::shapes::{MultiPolygon, Polygon, Ring};
use crate::error::{Error, Result};

/// `"polygon 2, ring 0, "` inside a MultiPolygon, `"ring 0, "` in a Polygon.
fn place(polygon: Option<usize>, ring: usize) -> String {
    match polygon {
        Some(p) => format!("polygon {p}, ring {ring}"),
        None => format!("ring {ring}"),
    }
}

fn ring(v: &Value, at_ring: &str, at: &dyn Fn(String) -> Error) -> Result<Ring> {
    let arr = v.as_array().ok_or_else(|| at(format!("{at_ring} is not an array of positions")))?;
    let mut out = Vec::with_capacity(arr.len());
    for (k, pos) in arr.iter().enumerate() {
        let p = pos
            .as_array()
            .filter(|p| p.len() >= 2)
            .ok_or_else(|| at(format!("{at_ring}, position {k} is not [lon, lat]")))?;
        let (Some(lon), Some(lat)) = (p[0].as_f64(), p[1].as_f64()) else {
            return Err(at(format!("{at_ring}, position {k} has a non-numeric coordinate")));
        };
        out.push(check_lon_lat(lon, lat).map_err(|e| at(format!("{at_ring}, position {k}: {e}")))?);
    }
    if out.len() < 4 {
        return Err(at(format!("{at_ring} has {} positions; a closed ring needs at least 4", out.len())));
    }
    if out.first() != out.last() {
        return Err(at(format!("{at_ring} is not closed (its first and last positions differ)")));
    }
    Ok(out)
}

fn polygon(v: &Value, index: Option<usize>, at: &dyn Fn(String) -> Error) -> Result<Polygon> {
    let what = index.map_or_else(|| "the polygon".to_string(), |p| format!("polygon {p}"));
    match v.as_array() {
        Some(rings) if !rings.is_empty() => {
            rings.iter().enumerate().map(|(r, x)| ring(x, &place(index, r), at)).collect()
        }
        Some(_) => Err(at(format!("{what} has no rings"))),
        None => Err(at(format!("{what}: coordinates are not an array of rings"))),
    }
}

/// The polygons of a GeoJSON geometry object, which must be a `Polygon` or a `MultiPolygon`
/// (with at least one polygon). Errors go through `at` (file and feature) and name the polygon,
/// ring and position at fault.
pub fn read_polygons(geometry: &Value, at: &dyn Fn(String) -> Error) -> Result<MultiPolygon> {
    let coords = || geometry.get("coordinates").ok_or_else(|| at("geometry without coordinates".into()));
    match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon") => Ok(vec![polygon(coords()?, None, at)?]),
        Some("MultiPolygon") => match coords()?.as_array() {
            Some(parts) if !parts.is_empty() => {
                parts.iter().enumerate().map(|(p, x)| polygon(x, Some(p), at)).collect()
            }
            Some(_) => Err(at("MultiPolygon has no polygons".into())),
            None => Err(at("MultiPolygon coordinates are not an array".into())),
        },
        Some(t) => Err(at(format!("geometry type {t} is not Polygon or MultiPolygon"))),
        None => Err(at("geometry without a type".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(geometry: &str) -> Result<MultiPolygon> {
        let v: Value = serde_json::from_str(geometry).unwrap();
        read_polygons(&v, &|m| Error::input("layer.geojson", "feature 3 (甲)", m))
    }

    fn err(geometry: &str) -> String {
        read(geometry).unwrap_err().to_string()
    }

    const SQUARE: &str = "[[120,30],[120.01,30],[120.01,30.01],[120,30.01],[120,30]]";

    #[test]
    fn polygons_and_multipolygons_become_one_shape() {
        let p = read(&format!(r#"{{"type":"Polygon","coordinates":[{SQUARE}]}}"#)).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0][0][1], [120.01, 30.0]);
        let m = read(&format!(r#"{{"type":"MultiPolygon","coordinates":[[{SQUARE}],[{SQUARE},{SQUARE}]]}}"#)).unwrap();
        assert_eq!((m.len(), m[1].len()), (2, 2));
        // Extra position members (altitude) are ignored.
        let z = read(r#"{"type":"Polygon","coordinates":[[[1,2,9],[3,2,9],[3,4,9],[1,2,9]]]}"#).unwrap();
        assert_eq!(z[0][0], vec![[1.0, 2.0], [3.0, 2.0], [3.0, 4.0], [1.0, 2.0]]);
    }

    #[test]
    fn errors_name_file_feature_polygon_ring_and_position() {
        let cases = [
            (
                r#"{"type":"Point","coordinates":[1,2]}"#.to_string(),
                "geometry type Point is not Polygon or MultiPolygon",
            ),
            (r#"{"coordinates":[]}"#.to_string(), "geometry without a type"),
            (r#"{"type":"Polygon"}"#.to_string(), "geometry without coordinates"),
            (r#"{"type":"Polygon","coordinates":[]}"#.to_string(), "the polygon has no rings"),
            (r#"{"type":"Polygon","coordinates":{}}"#.to_string(), "coordinates are not an array of rings"),
            (r#"{"type":"MultiPolygon","coordinates":[]}"#.to_string(), "MultiPolygon has no polygons"),
            (r#"{"type":"MultiPolygon","coordinates":7}"#.to_string(), "MultiPolygon coordinates are not an array"),
            (
                format!(
                    r#"{{"type":"MultiPolygon","coordinates":[[{SQUARE}],[{SQUARE},[[120,30],[120,31],[121,31],[120,30],"x"]]]}}"#
                ),
                "polygon 1, ring 1, position 4 is not [lon, lat]",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[1,2],[3,"2"],[3,4],[1,2]]]}"#.to_string(),
                "ring 0, position 1 has a non-numeric",
            ),
            (r#"{"type":"Polygon","coordinates":[[[1,2],[3,2],[1,2]]]}"#.to_string(), "ring 0 has 3 positions"),
            (r#"{"type":"Polygon","coordinates":[[[1,2],[3,2],[3,4],[1,3]]]}"#.to_string(), "ring 0 is not closed"),
            (r#"{"type":"Polygon","coordinates":[5]}"#.to_string(), "ring 0 is not an array of positions"),
            (
                r#"{"type":"Polygon","coordinates":[[[30,120],[30.01,120],[30.01,120.01],[30,120]]]}"#.to_string(),
                "ring 0, position 0: lon 30.0, lat 120.0: latitude out of range; lon and lat look swapped",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[1,2],[450000,2],[3,4],[1,2]]]}"#.to_string(),
                "ring 0, position 1: lon 450000.0, lat 2.0: outside WGS84 ranges",
            ),
        ];
        for (g, want) in cases {
            let e = err(&g);
            assert!(e.starts_with("layer.geojson: feature 3 (甲): ") && e.contains(want), "{e}\n  wanted: {want}");
        }
    }
}
