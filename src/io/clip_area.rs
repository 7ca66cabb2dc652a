//! The area to analyse inside a large extract (`--clip AREA.geojson`): a district boundary as a
//! FeatureCollection, a Feature or a bare Polygon/MultiPolygon geometry (or a Shapefile /
//! GeoPackage polygon layer, [`super::layer`]), in WGS84, CGCS2000, Gauss–Krüger or GCJ-02/BD-09
//! (Chinese boundary data is usually GCJ-02: `--clip-crs gcj02`), plus a halo so facilities just
//! across the border still serve residents.

use std::path::Path;

use serde_json::Value;

use super::coord_transform::Crs;
use super::layer::LayerOptions;
use crate::error::{Error, Result};
use crate::geom::polygon::polygon_contains;
use crate::geom::{MultiPolygon, bbox, read_polygons};

#[derive(Clone, Debug)]
pub struct ClipArea {
    /// Polygons (outer ring, holes) in WGS84.
    pub polygons: MultiPolygon,
    pub halo_m: f64,
    /// The coordinate system it was read in (e.g. `GCJ-02`, `EPSG:4549 …`).
    pub crs: String,
    /// The file it was read from, for messages.
    pub path: std::path::PathBuf,
}

impl ClipArea {
    /// Whether a point is inside the area itself (not the halo).
    pub fn contains(&self, p: [f64; 2]) -> bool {
        self.polygons.iter().any(|poly| polygon_contains(poly, p))
    }

    /// The area's bbox grown by the halo, `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn bbox_with_halo(&self) -> [f64; 4] {
        bbox::grow_m(bbox::of_polygons(&self.polygons), self.halo_m)
    }
}

fn geometries<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {
            for f in v.get("features").and_then(Value::as_array).into_iter().flatten() {
                geometries(f, out);
            }
        }
        Some("Feature") => {
            if let Some(g) = v.get("geometry") {
                geometries(g, out);
            }
        }
        Some("Polygon" | "MultiPolygon") => out.push(v),
        _ => {}
    }
}

/// Reads the clip area and converts it to WGS84 (`crs`: the system of a GeoJSON file's lon/lat).
pub fn read_clip_area(path: &Path, crs: Crs, halo_m: f64) -> Result<ClipArea> {
    let given = (crs != Crs::Wgs84).then(|| crs.into());
    read_clip_area_with(path, &LayerOptions { crs: given, ..LayerOptions::default() }, halo_m)
}

/// [`read_clip_area`] of any layer format [`super::layer`] reads (GeoJSON, Shapefile, GeoPackage),
/// in the system it declares or `opts.crs` (`--clip-crs`).
pub fn read_clip_area_with(path: &Path, opts: &LayerOptions, halo_m: f64) -> Result<ClipArea> {
    if !(halo_m.is_finite() && (0.0..=50_000.0).contains(&halo_m)) {
        return Err(Error::Config(format!("--halo-m {halo_m}: must be between 0 and 50000")));
    }
    let (doc, layer_crs) = super::layer::read_layer_document(path, opts)?;
    let mut geoms = Vec::new();
    geometries(&doc, &mut geoms);
    if geoms.is_empty() {
        return Err(Error::input(path, "document", "no Polygon or MultiPolygon geometry"));
    }
    let mut polygons = Vec::new();
    for (i, g) in geoms.iter().enumerate() {
        let at = |m: String| Error::input(path, format!("geometry {i}"), m);
        polygons.extend(read_polygons(g, &at)?);
    }
    Ok(ClipArea { polygons, halo_m, crs: layer_crs.to_string(), path: path.to_path_buf() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::haversine_m;

    fn read_text(text: &str) -> Result<ClipArea> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("area.geojson");
        std::fs::write(&p, text).unwrap();
        read_clip_area(&p, Crs::Wgs84, 500.0)
    }

    const SQUARE: &str = "[[[-15.45,28.1],[-15.44,28.1],[-15.44,28.11],[-15.45,28.11],[-15.45,28.1]]]";

    #[test]
    fn bare_geometry_feature_and_collection_read_alike() {
        let bare = format!(r#"{{"type":"Polygon","coordinates":{SQUARE}}}"#);
        let feature = format!(r#"{{"type":"Feature","properties":{{}},"geometry":{bare}}}"#);
        let multi = format!(r#"{{"type":"MultiPolygon","coordinates":[{SQUARE},{SQUARE}]}}"#);
        let coll =
            format!(r#"{{"type":"FeatureCollection","features":[{feature},{{"type":"Feature","geometry":{multi}}}]}}"#);
        assert_eq!(read_text(&bare).unwrap().polygons.len(), 1);
        assert_eq!(read_text(&feature).unwrap().polygons.len(), 1);
        let c = read_text(&coll).unwrap();
        assert_eq!(c.polygons.len(), 3);
        assert!(c.contains([-15.445, 28.105]) && !c.contains([-15.43, 28.105]));
        let b = c.bbox_with_halo();
        assert!(b[0] < -15.45 && b[2] > -15.44 && (b[3] - 28.11 - 500.0 / 111_195.0).abs() < 1e-12, "{b:?}");
    }

    /// The shared polygon reader: errors name the geometry, ring and position; an empty
    /// MultiPolygon, which this reader used to take as no polygon at all, is an error.
    #[test]
    fn errors_name_the_geometry_and_the_place_in_it() {
        let cases = [
            (r#"{"type":"MultiPolygon","coordinates":[]}"#.to_string(), "geometry 0: MultiPolygon has no polygons"),
            (
                r#"{"type":"Polygon","coordinates":[[[28.1,-15.45],[28.1,-15.44],[28.11,-150.44],[28.1,-15.45]]]}"#
                    .to_string(),
                "geometry 0: ring 0, position 2: lon 28.11, lat -150.44: latitude out of range; lon and lat look swapped",
            ),
            (
                format!(r#"{{"type":"MultiPolygon","coordinates":[{SQUARE},[[[0,0],[1,0],[1,1],[0,0.5]]]]}}"#),
                "geometry 0: polygon 1, ring 0 is not closed",
            ),
            (r#"{"type":"Point","coordinates":[1,2]}"#.to_string(), "document: no Polygon or MultiPolygon geometry"),
        ];
        for (text, want) in cases {
            let e = read_text(&text).unwrap_err().to_string();
            assert!(e.contains("area.geojson: ") && e.contains(want), "{e}\n  wanted: {want}");
        }
    }

    #[test]
    fn longwan_gcj02_boundary_moves_to_wgs84() {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/boundaries/wenzhou-longwan-330303-gcj02.geojson");
        if !p.exists() {
            panic!("test data missing: {}", p.display());
        }
        let g = read_clip_area(&p, Crs::Gcj02, 2000.0).unwrap();
        let w = read_clip_area(&p, Crs::Wgs84, 2000.0).unwrap();
        let (a, b) = (g.polygons[0][0][0], w.polygons[0][0][0]);
        let d = haversine_m(a, b);
        assert!((300.0..700.0).contains(&d), "GCJ-02 offset {d} m");
        let bb = g.bbox_with_halo();
        assert!(bb[0] < 120.7 && bb[2] > 120.8 && bb[1] < 27.9 && bb[3] > 27.9, "{bb:?}");
    }
}
