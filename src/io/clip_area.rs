//! The area to analyse inside a large extract (`--clip AREA.geojson`): a district boundary as a
//! FeatureCollection, a Feature or a bare Polygon/MultiPolygon geometry, in WGS84 or GCJ-02/BD-09
//! (Chinese boundary data is usually GCJ-02: `--clip-crs gcj02`), plus a halo so facilities just
//! across the border still serve residents.

use std::path::Path;

use serde_json::Value;

use super::coord_transform::{Crs, to_wgs84};
use crate::error::{Error, Result};
use crate::geom::polygon::polygon_contains;
use crate::geom::{MultiPolygon, bbox, read_polygons};

#[derive(Clone, Debug)]
pub struct ClipArea {
    /// Polygons (outer ring, holes) in WGS84.
    pub polygons: MultiPolygon,
    pub halo_m: f64,
    pub crs: Crs,
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

/// Reads the clip area and converts it to WGS84.
pub fn read_clip_area(path: &Path, crs: Crs, halo_m: f64) -> Result<ClipArea> {
    if !(halo_m.is_finite() && (0.0..=50_000.0).contains(&halo_m)) {
        return Err(Error::Config(format!("--halo-m {halo_m}: must be between 0 and 50000")));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io { path: path.to_path_buf(), cause: e })?;
    let doc: Value = crate::io::parse_json(path, &text)?;
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
    for p in polygons.iter_mut().flatten().flatten() {
        let (lon, lat) = to_wgs84(crs, p[0], p[1]);
        *p = [lon, lat];
    }
    Ok(ClipArea { polygons, halo_m, crs, path: path.to_path_buf() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::haversine_m;

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
