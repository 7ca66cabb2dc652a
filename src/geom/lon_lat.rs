//! The one check of a user-given WGS84 position: finite, longitude in [−180, 180], latitude in
//! [−90, 90], and, when the latitude is out of range but the pair would be valid the other way
//! round, a hint that it was written `[lat, lon]`.
//!
//! Readers of every user layer (communities, units, clip areas, facility tables, candidate sites,
//! `--add-facility`) call [`check_lon_lat`] and put the place (file, feature or row, position) in
//! front of its message. A pair in range both ways (most of the world east of 90°W and south of
//! 90°N…) cannot be told apart here; `io::extent` catches those against the extract.

/// `[lon, lat]` when the position is valid WGS84; otherwise what is wrong, starting with the
/// values (`lon 30, lat 120: latitude out of range; …`).
pub fn check_lon_lat(lon: f64, lat: f64) -> Result<[f64; 2], String> {
    if !(lon.is_finite() && lat.is_finite()) {
        return Err(format!("lon {lon:?}, lat {lat:?}: not a finite number"));
    }
    if lat.abs() > 90.0 && lat.abs() <= 180.0 && lon.abs() <= 90.0 {
        return Err(format!(
            "lon {lon:?}, lat {lat:?}: latitude out of range; lon and lat look swapped (the order is [lon, lat])"
        ));
    }
    if lon.abs() > 180.0 || lat.abs() > 90.0 {
        return Err(format!(
            "lon {lon:?}, lat {lat:?}: outside WGS84 ranges (lon −180…180, lat −90…90; projected coordinates? \
             give the file's system with --crs, e.g. --crs EPSG:4549 for CGCS2000 3° Gauss–Krüger CM 120°E, \
             or a .prj beside a Shapefile)"
        ));
    }
    Ok([lon, lat])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_positions_pass_edges_included() {
        for (lon, lat) in [(0.0, 0.0), (180.0, 90.0), (-180.0, -90.0), (120.7, 27.9), (-15.4, 28.1)] {
            assert_eq!(check_lon_lat(lon, lat), Ok([lon, lat]));
        }
    }

    #[test]
    fn non_finite_values_are_rejected() {
        for (lon, lat) in [(f64::NAN, 0.0), (0.0, f64::INFINITY), (f64::NEG_INFINITY, 1.0)] {
            let e = check_lon_lat(lon, lat).unwrap_err();
            assert!(e.contains("not a finite number"), "{e}");
        }
    }

    #[test]
    fn a_latitude_that_would_be_a_longitude_is_called_swapped() {
        // Wenzhou written [lat, lon].
        let e = check_lon_lat(27.9, 120.7).unwrap_err();
        assert!(e.starts_with("lon 27.9, lat 120.7: latitude out of range") && e.contains("look swapped"), "{e}");
        assert!(check_lon_lat(-90.0, -180.0).unwrap_err().contains("swapped"));
        // Just outside: latitude beyond 180 cannot be a longitude, longitude beyond 90 cannot be a
        // latitude; both are plain range errors, not swaps.
        for (lon, lat) in [(27.9, 180.5), (90.5, 120.0), (3.0, 4_500_000.0)] {
            let e = check_lon_lat(lon, lat).unwrap_err();
            assert!(e.contains("outside WGS84 ranges") && !e.contains("swapped"), "{e}");
        }
        assert!(check_lon_lat(180.01, 45.0).unwrap_err().contains("outside WGS84 ranges"));
    }
}
