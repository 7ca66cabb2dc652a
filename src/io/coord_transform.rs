//! Chinese map coordinate systems: WGS84, GCJ-02 and BD-09.
//!
//! - **WGS84**: GPS and OpenStreetMap; everything downstream of `io` is in WGS84.
//! - **GCJ-02** ("Mars coordinates", 国测局坐标): the obfuscated system that AutoNavi (高德),
//!   Tencent and most Chinese web maps publish. It is WGS84 plus a smooth, position-dependent
//!   offset of a few hundred metres (200–800 m in Zhejiang), defined by the published polynomial
//!   on the Krasovsky 1940 ellipsoid. Outside China (a rough bounding box, see [`in_china`]) it
//!   equals WGS84.
//! - **BD-09** (Baidu): a second obfuscation applied to GCJ-02.
//!
//! The forward transforms are closed formulas; the inverses are solved by fixed-point iteration
//! on the forward formula, to < 1e-10° (sub-millimetre), not by the common one-step approximation
//! `2·g − forward(g)` (which leaves errors of up to ≈ 3 m in Zhejiang and ≈ 5 m elsewhere in
//! China).

use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

use crate::geom::haversine_m;

/// Semi-major axis of the Krasovsky 1940 ellipsoid, metres (GCJ-02's reference ellipsoid).
const KRASOVSKY_A: f64 = 6_378_245.0;
/// First eccentricity squared of the Krasovsky 1940 ellipsoid.
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943;
/// Stopping tolerance of the iterative inversions, degrees (≈ 0.01 mm).
const INVERSE_TOL_DEG: f64 = 1e-10;
/// Iteration cap of the inversions; they converge in about 4 steps.
const INVERSE_MAX_ITER: usize = 30;
/// The angular factor of the BD-09 formula (π · 3000 / 180).
const BD_X_PI: f64 = PI * 3000.0 / 180.0;
/// The constant shift of BD-09 relative to GCJ-02, degrees (lon, lat).
const BD_SHIFT: (f64, f64) = (0.0065, 0.006);

/// A coordinate reference system of an input table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Crs {
    /// WGS84 longitude/latitude (GPS, OpenStreetMap).
    Wgs84,
    /// GCJ-02 (AutoNavi/高德, Tencent/腾讯).
    Gcj02,
    /// BD-09 (Baidu/百度).
    Bd09,
}

impl Crs {
    /// The lower-case name that [`FromStr`] accepts and [`fmt::Display`] prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Crs::Wgs84 => "wgs84",
            Crs::Gcj02 => "gcj02",
            Crs::Bd09 => "bd09",
        }
    }
}

impl FromStr for Crs {
    type Err = String;

    /// Accepts `wgs84`, `gcj02`, `bd09` in any case (also spelled `wgs-84`, `gcj-02`, `bd-09`).
    fn from_str(s: &str) -> Result<Crs, String> {
        let key: String = s.trim().chars().filter(|c| *c != '-' && *c != '_').collect::<String>().to_ascii_lowercase();
        match key.as_str() {
            "wgs84" => Ok(Crs::Wgs84),
            "gcj02" => Ok(Crs::Gcj02),
            "bd09" => Ok(Crs::Bd09),
            _ => Err(format!("unknown coordinate system {s:?} (expected wgs84, gcj02 or bd09)")),
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a point lies in the rough bounding box of China used by the GCJ-02 convention
/// (lon 72.004–137.8347, lat 0.8293–55.8271). Outside it GCJ-02 equals WGS84. The box is
/// deliberately rough: it includes e.g. parts of Korea and Mongolia, as every GCJ-02 library does.
pub fn in_china(lon: f64, lat: f64) -> bool {
    (72.004..=137.8347).contains(&lon) && (0.8293..=55.8271).contains(&lat)
}

/// The GCJ-02 latitude polynomial, metres, at `x = lon − 105`, `y = lat − 35` (degrees).
fn offset_north_m(x: f64, y: f64) -> f64 {
    let base = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    let wave_x = (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    let wave_y = (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    let long_wave_y = (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    base + wave_x + wave_y + long_wave_y
}

/// The GCJ-02 longitude polynomial, metres, at `x = lon − 105`, `y = lat − 35` (degrees).
fn offset_east_m(x: f64, y: f64) -> f64 {
    let base = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    let wave_x = (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    let wave_x2 = (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    let long_wave_x = (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    base + wave_x + wave_x2 + long_wave_x
}

/// WGS84 → GCJ-02. Points outside China (see [`in_china`]) are returned unchanged.
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let (x, y) = (lon - 105.0, lat - 35.0);
    let north_m = offset_north_m(x, y);
    let east_m = offset_east_m(x, y);
    // Metres to degrees on the Krasovsky ellipsoid: meridian radius M for latitude, parallel
    // radius N·cos φ for longitude.
    let phi = lat.to_radians();
    let w2 = 1.0 - KRASOVSKY_EE * phi.sin() * phi.sin();
    let w = w2.sqrt();
    let meridian_r = KRASOVSKY_A * (1.0 - KRASOVSKY_EE) / (w2 * w);
    let parallel_r = KRASOVSKY_A / w * phi.cos();
    let dlat = north_m * 180.0 / (meridian_r * PI);
    let dlon = east_m * 180.0 / (parallel_r * PI);
    (lon + dlon, lat + dlat)
}

/// Solves `forward(p) = target` for `p` by fixed-point iteration `p ← p − (forward(p) − target)`,
/// starting at `start`. Converges because both obfuscations are the identity plus a slowly varying
/// offset (the Jacobian differs from the identity by < 1e-2, so each step gains two digits).
fn invert(forward: impl Fn(f64, f64) -> (f64, f64), target: (f64, f64), start: (f64, f64)) -> (f64, f64) {
    let (mut lon, mut lat) = start;
    for _ in 0..INVERSE_MAX_ITER {
        let (f_lon, f_lat) = forward(lon, lat);
        let (d_lon, d_lat) = (f_lon - target.0, f_lat - target.1);
        if d_lon.abs() < INVERSE_TOL_DEG && d_lat.abs() < INVERSE_TOL_DEG {
            break;
        }
        lon -= d_lon;
        lat -= d_lat;
    }
    (lon, lat)
}

/// GCJ-02 → WGS84, the exact inverse of [`wgs84_to_gcj02`] to < 1e-10° (iterative).
/// Points outside China are returned unchanged.
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    invert(wgs84_to_gcj02, (lon, lat), (lon, lat))
}

/// GCJ-02 → BD-09 (Baidu), the published formula.
pub fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = (lon * lon + lat * lat).sqrt() + 0.00002 * (lat * BD_X_PI).sin();
    let theta = lat.atan2(lon) + 0.000003 * (lon * BD_X_PI).cos();
    (z * theta.cos() + BD_SHIFT.0, z * theta.sin() + BD_SHIFT.1)
}

/// BD-09 → GCJ-02: the usual one-step inverse refined by iteration to the exact inverse of
/// [`gcj02_to_bd09`] (< 1e-10°).
pub fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = (lon - BD_SHIFT.0, lat - BD_SHIFT.1);
    let z = (x * x + y * y).sqrt() - 0.00002 * (y * BD_X_PI).sin();
    let theta = y.atan2(x) - 0.000003 * (x * BD_X_PI).cos();
    let start = (z * theta.cos(), z * theta.sin());
    invert(gcj02_to_bd09, (lon, lat), start)
}

/// Converts a point in `crs` to WGS84.
pub fn to_wgs84(crs: Crs, lon: f64, lat: f64) -> (f64, f64) {
    match crs {
        Crs::Wgs84 => (lon, lat),
        Crs::Gcj02 => gcj02_to_wgs84(lon, lat),
        Crs::Bd09 => {
            let (g_lon, g_lat) = bd09_to_gcj02(lon, lat);
            gcj02_to_wgs84(g_lon, g_lat)
        }
    }
}

/// Distance between a WGS84 point and its GCJ-02 image, metres (haversine): what a table in
/// GCJ-02 read as WGS84 would be off by there.
pub fn gcj02_offset_m(lon: f64, lat: f64) -> f64 {
    let (g_lon, g_lat) = wgs84_to_gcj02(lon, lat);
    haversine_m([lon, lat], [g_lon, g_lat])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grid over Zhejiang: lon 118–123, lat 27–31.5, step 0.25°.
    fn zhejiang_grid() -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        for i in 0..=20 {
            for j in 0..=18 {
                out.push((118.0 + 0.25 * f64::from(i), 27.0 + 0.25 * f64::from(j)));
            }
        }
        out
    }

    fn close(a: (f64, f64), b: (f64, f64), tol: f64) -> bool {
        (a.0 - b.0).abs() < tol && (a.1 - b.1).abs() < tol
    }

    #[test]
    fn crs_parses_case_insensitively_and_displays() {
        assert_eq!("wgs84".parse::<Crs>(), Ok(Crs::Wgs84));
        assert_eq!("GCJ02".parse::<Crs>(), Ok(Crs::Gcj02));
        assert_eq!("Bd09".parse::<Crs>(), Ok(Crs::Bd09));
        assert_eq!("gcj-02".parse::<Crs>(), Ok(Crs::Gcj02));
        let e = "mars".parse::<Crs>().unwrap_err();
        assert!(e.contains("mars") && e.contains("gcj02"), "{e}");
        for c in [Crs::Wgs84, Crs::Gcj02, Crs::Bd09] {
            assert_eq!(c.to_string().parse::<Crs>(), Ok(c));
        }
        assert_eq!(Crs::Gcj02.to_string(), "gcj02");
    }

    /// Published reference values: the example output in the README/test of the widely used
    /// `coordtransform` library (Beijing, 116.404, 39.915) and the unit tests of `gcoord`
    /// (123, 45; quoted there to 8 decimals).
    #[test]
    fn forward_matches_published_pairs() {
        let g = wgs84_to_gcj02(116.404, 39.915);
        assert!(close(g, (116.410_244_499_169_38, 39.916_404_281_501_64), 1e-9), "{g:?}");
        let g = wgs84_to_gcj02(123.0, 45.0);
        assert!(close(g, (123.006_075_41, 45.001_978_15), 1e-8), "{g:?}");

        let b = gcj02_to_bd09(116.404, 39.915);
        assert!(close(b, (116.410_369_493_710_29, 39.921_336_993_510_21), 1e-9), "{b:?}");
        let b = gcj02_to_bd09(123.0, 45.0);
        assert!(close(b, (123.006_364_99, 45.006_368_99), 1e-8), "{b:?}");
    }

    /// `gcoord` publishes GCJ-02 (123, 45) → WGS84 (122.99395597, 44.99804071) to 5 decimals.
    #[test]
    fn inverse_matches_published_pair() {
        let w = gcj02_to_wgs84(123.0, 45.0);
        assert!(close(w, (122.993_955_97, 44.998_040_71), 1e-5), "{w:?}");
        let back = wgs84_to_gcj02(w.0, w.1);
        assert!(close(back, (123.0, 45.0), 1e-10), "{back:?}");
    }

    #[test]
    fn round_trip_over_zhejiang_is_within_1e_7_degree() {
        for (lon, lat) in zhejiang_grid() {
            let (g_lon, g_lat) = wgs84_to_gcj02(lon, lat);
            let w = gcj02_to_wgs84(g_lon, g_lat);
            assert!(close(w, (lon, lat), 1e-7), "({lon}, {lat}) -> {w:?}");
            // The one-step approximation `2g − f(g)` would not meet this bound everywhere; the
            // iteration does, with room to spare.
            assert!(close(w, (lon, lat), 1e-9), "({lon}, {lat}) -> {w:?}");
        }
    }

    /// Why the inversion iterates: the usual one-step inverse `2·g − forward(g)` is metres off
    /// somewhere in Zhejiang, enough to move a facility across a street.
    #[test]
    fn one_step_inverse_is_not_enough() {
        let worst = zhejiang_grid()
            .into_iter()
            .map(|(lon, lat)| {
                let g = wgs84_to_gcj02(lon, lat);
                let f = wgs84_to_gcj02(g.0, g.1);
                let one_step = [2.0 * g.0 - f.0, 2.0 * g.1 - f.1];
                haversine_m([lon, lat], one_step)
            })
            .fold(0.0f64, f64::max);
        assert!(worst > 1.0, "{worst}");
    }

    #[test]
    fn offset_in_zhejiang_is_between_200_and_800_m() {
        let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
        for (lon, lat) in zhejiang_grid() {
            let d = gcj02_offset_m(lon, lat);
            assert!((200.0..=800.0).contains(&d), "({lon}, {lat}): {d} m");
            lo = lo.min(d);
            hi = hi.max(d);
        }
        assert!(hi > lo, "the offset varies with position ({lo}..{hi})");
    }

    #[test]
    fn points_outside_china_are_unchanged() {
        for (lon, lat) in [
            (-0.1276, 51.5072),   // London
            (139.6917, 35.6895),  // Tokyo (east of the box)
            (-74.006, 40.7128),   // New York
            (151.2093, -33.8688), // Sydney
            (37.6173, 55.7558),   // Moscow (west of the box)
        ] {
            assert!(!in_china(lon, lat), "({lon}, {lat})");
            assert_eq!(wgs84_to_gcj02(lon, lat), (lon, lat));
            assert_eq!(gcj02_to_wgs84(lon, lat), (lon, lat));
            assert_eq!(to_wgs84(Crs::Gcj02, lon, lat), (lon, lat));
            assert_eq!(gcj02_offset_m(lon, lat), 0.0);
        }
        assert!(in_china(120.65, 27.97)); // Wenzhou
        assert!(!in_china(f64::NAN, 30.0));
    }

    #[test]
    fn bd09_round_trips() {
        for (lon, lat) in zhejiang_grid() {
            let b = gcj02_to_bd09(lon, lat);
            let g = bd09_to_gcj02(b.0, b.1);
            assert!(close(g, (lon, lat), 1e-9), "({lon}, {lat}) -> {g:?}");
        }
        // `gcoord` publishes BD-09 (123, 45) → GCJ-02 (122.99363304, 44.99365430), computed with
        // the one-step inverse; the exact inverse differs from it by ≈ 0.1 m (6e-7°).
        let g = bd09_to_gcj02(123.0, 45.0);
        assert!(close(g, (122.993_633_04, 44.993_654_30), 1e-5), "{g:?}");
        assert!(close(gcj02_to_bd09(g.0, g.1), (123.0, 45.0), 1e-10));
        // BD-09 is ~1 km from GCJ-02 (the 0.0065°/0.006° shift plus the rotation).
        let b = gcj02_to_bd09(120.7, 28.0);
        let d = haversine_m([120.7, 28.0], [b.0, b.1]);
        assert!((500.0..1500.0).contains(&d), "{d}");
    }

    type LonLat = (f64, f64);

    /// `(WGS84 truth, GCJ-02 image)` of places in Zhejiang. The images were computed once with
    /// the forward formula (checked against the published pairs above; an independent
    /// re-implementation in another language agrees to the last digit) and frozen here. A facility
    /// table in GCJ-02 (or BD-09) must land within 1 m of the truth after conversion.
    const ZHEJIANG_PAIRS: &[(LonLat, LonLat)] = &[
        // Hangzhou, near the Broken Bridge on West Lake
        ((120.151, 30.2585), (120.155704854591, 30.256176959280392)),
        // Ningbo, near Tianyi Square
        ((121.556, 29.868), (121.56014357820688, 29.86540534610351)),
        // Wenzhou, Longwan district
        ((120.811, 27.932), (120.8150310136801, 27.928711407927878)),
        // Ningbo, Haishu district near Gulou
        ((121.548, 29.874), (121.55216340706056, 29.87142141894372)),
        // Anji county, Huzhou (hilly)
        ((119.68, 30.638), (119.68488299351104, 30.63555450696359)),
    ];

    #[test]
    fn gcj02_facilities_land_within_1_m_of_wgs84_truth() {
        for &(truth, gcj) in ZHEJIANG_PAIRS {
            let fwd = wgs84_to_gcj02(truth.0, truth.1);
            assert!(close(fwd, gcj, 1e-9), "{truth:?}: {fwd:?} vs frozen {gcj:?}");
            let w = to_wgs84(Crs::Gcj02, gcj.0, gcj.1);
            let err = haversine_m([truth.0, truth.1], [w.0, w.1]);
            assert!(err < 1.0, "{truth:?}: {err} m");
            assert!(err < 0.01, "{truth:?}: {err} m (iteration should reach ≈ mm)");
            // Read as if it were WGS84, the same table would be hundreds of metres off.
            let raw = haversine_m([truth.0, truth.1], [gcj.0, gcj.1]);
            assert!(raw > 200.0, "{raw}");

            let bd = gcj02_to_bd09(gcj.0, gcj.1);
            let w = to_wgs84(Crs::Bd09, bd.0, bd.1);
            let err = haversine_m([truth.0, truth.1], [w.0, w.1]);
            assert!(err < 1.0, "{truth:?} via BD-09: {err} m");
        }
    }

    #[test]
    fn to_wgs84_dispatches() {
        assert_eq!(to_wgs84(Crs::Wgs84, 120.1, 30.2), (120.1, 30.2));
        assert_eq!(to_wgs84(Crs::Gcj02, 120.1, 30.2), gcj02_to_wgs84(120.1, 30.2));
        let g = bd09_to_gcj02(120.1, 30.2);
        assert_eq!(to_wgs84(Crs::Bd09, 120.1, 30.2), gcj02_to_wgs84(g.0, g.1));
    }
}
