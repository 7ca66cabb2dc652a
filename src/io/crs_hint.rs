//! Why a projected layer may lie off the extract: a wrong Gauss–Krüger zone. When none of a
//! layer's features overlaps the extract and the layer came from a transverse Mercator system
//! (`--crs` or its `.prj` / GeoPackage SRS), its box is taken back to the grid coordinates of the
//! file and read with every other CGCS2000 Gauss–Krüger system (3° and 6° zones, with and without
//! the zone number in the easting); the one that lands it on the extract is named.
//!
//! Glossary: **grid coordinates** — eastings and northings in metres, as written in the file;
//! **zone prefix** — the zone number written before the easting (40 500 000 m for zone 40);
//! **extract box** — the extract's bbox grown by [`super::extent::MARGIN_M`].

use super::crs::{self, LayerCrs};
use super::extent;

/// The CGCS2000 Gauss–Krüger EPSG codes circle15 converts.
const GK_CODES: std::ops::RangeInclusive<u32> = 4491..=4554;

/// A sentence naming the system with which `layer_box` (WGS84, as read with `layer`) would
/// overlap `extract` (the extract's bbox), or `None` (not projected, or no such system).
pub fn wrong_zone_hint(layer: &LayerCrs, layer_box: [f64; 4], extract: [f64; 4]) -> Option<String> {
    let LayerCrs::Projected { tm, .. } = layer else { return None };
    let e = extent::grow(extract, extent::MARGIN_M);
    // The file's grid coordinates of the layer's corners and centre.
    let [w, s, east, n] = layer_box;
    let pts: Vec<[f64; 2]> = [[w, s], [east, s], [east, n], [w, n], [(w + east) / 2.0, (s + n) / 2.0]]
        .iter()
        .map(|p| tm.forward(*p))
        .collect();
    for code in GK_CODES {
        let Some(LayerCrs::Projected { tm: other, .. }) = crs::from_epsg(code) else { continue };
        if other == *tm {
            continue;
        }
        let back: Vec<[f64; 2]> = pts.iter().map(|p| other.inverse(*p)).collect();
        if back.iter().any(|p| !(p[0].is_finite() && p[1].is_finite() && p[1].abs() <= 90.0)) {
            continue;
        }
        let lons = back.iter().map(|p| p[0]);
        let lats = back.iter().map(|p| p[1]);
        let b = [
            lons.clone().fold(f64::INFINITY, f64::min),
            lats.clone().fold(f64::INFINITY, f64::min),
            lons.fold(f64::NEG_INFINITY, f64::max),
            lats.fold(f64::NEG_INFINITY, f64::max),
        ];
        if extent::overlaps(e, b) {
            let cm = other.lon0;
            return Some(if other.false_easting > 1.0e6 {
                let zone = (other.false_easting / 1.0e6).floor();
                format!(
                    "the layer's CRS may be wrong: with EPSG:{code} (CM {cm}°E, zone {zone} in the easting) it would \
                     overlap the extract"
                )
            } else {
                format!("the layer's CRS may be wrong: with EPSG:{code} (CM {cm}°E) it would overlap the extract")
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Central Hangzhou (CM 120°E zone).
    const EXTRACT: [f64; 4] = [120.10, 30.23, 120.185, 30.296];

    fn read_as(code_written: u32, code_read: u32, lon_lat: [f64; 4]) -> [f64; 4] {
        let Some(LayerCrs::Projected { tm: w, .. }) = crs::from_epsg(code_written) else { panic!() };
        let Some(LayerCrs::Projected { tm: r, .. }) = crs::from_epsg(code_read) else { panic!() };
        let a = r.inverse(w.forward([lon_lat[0], lon_lat[1]]));
        let b = r.inverse(w.forward([lon_lat[2], lon_lat[3]]));
        [a[0].min(b[0]), a[1].min(b[1]), a[0].max(b[0]), a[1].max(b[1])]
    }

    #[test]
    fn a_layer_written_in_one_zone_and_read_in_the_next_is_named() {
        let layer = [120.15, 30.25, 120.16, 30.26];
        // Written in EPSG:4549 (CM 120°E), read as EPSG:4550 (CM 123°E): lands near 123°E.
        let misread = read_as(4549, 4550, layer);
        assert!(misread[0] > 122.0, "{misread:?}");
        let crs = crs::from_epsg(4550).unwrap();
        let hint = wrong_zone_hint(&crs, misread, EXTRACT).unwrap();
        assert_eq!(hint, "the layer's CRS may be wrong: with EPSG:4549 (CM 120°E) it would overlap the extract");
        // 6° zones: written in EPSG:4508 (CM 111°E), read as the next one, EPSG:4509 (CM 117°E).
        let misread = read_as(4508, 4509, layer);
        let hint = wrong_zone_hint(&crs::from_epsg(4509).unwrap(), misread, EXTRACT).unwrap();
        assert!(hint.contains("with EPSG:4508 (CM 111°E)"), "{hint}");
    }

    #[test]
    fn lon_lat_layers_and_far_away_layers_get_no_hint() {
        let far = [2.0, 48.0, 2.1, 48.1];
        assert_eq!(wrong_zone_hint(&LayerCrs::wgs84(), far, EXTRACT), None);
        let paris_in_utm = crs::from_epsg(32631).unwrap();
        assert_eq!(wrong_zone_hint(&paris_in_utm, far, EXTRACT), None);
    }
}
