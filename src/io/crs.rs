//! io::crs owns the coordinate systems of user layers and tables: recognising them (an EPSG code,
//! a `.prj` / GeoPackage WKT, a `--crs` flag value) and converting positions to WGS84 lon/lat.
//! Every reader of a user file (communities, planning units, candidate sites, clip areas, facility
//! tables, population rasters) goes through this module or [`crate::geom::tmerc`] under it.
//!
//! Glossary:
//! - **lon/lat**: WGS84 degrees, what everything downstream of `io` uses.
//! - **CGCS2000** (EPSG:4490, 2000 国家大地坐标系): China's geocentric frame. Its ellipsoid differs
//!   from WGS84's by 0.1 mm in the semi-minor axis and the frames agree to a few centimetres (well
//!   under 1 m), so CGCS2000 lon/lat is taken as WGS84 unchanged.
//! - **Gauss–Krüger** (高斯-克吕格): transverse Mercator with scale 1 on the central meridian (CM),
//!   false easting 500 km, optionally prefixed by the zone number (`40` 500 000 m for 3° zone 40,
//!   CM 120°E). Zhejiang lies in the 3° zones with CM 120°E (EPSG:4549, prefixed 4528) and 123°E
//!   (EPSG:4550, prefixed 4529); 6° zones are EPSG:4491–4501 (prefixed) and 4502–4512.
//! - **UTM**: WGS 84 / UTM zones, EPSG:326xx (north) and 327xx (south).
//! - **GCJ-02 / BD-09**: the obfuscated Chinese web-map systems ([`super::coord_transform`]); for
//!   point tables and clip areas.
//!
//! The projection: one transverse Mercator, [`crate::geom::tmerc`] (Krüger's series to n⁶, as in
//! PROJ), shared by the layer readers and the raster reader. It was kept instead of adding a
//! projection crate because it matches GDAL 3.6.2 / PROJ to well under a millimetre: the test
//! `geom::tmerc::tests::matches_gdal_to_a_millimetre` checks 30 positions in CGCS2000 3° zones
//! CM 120°E/123°E (with and without prefix), 6° zone 20 and UTM 51N against `gdaltransform`
//! (worst forward difference measured 4.5e-8 m), and `tests/it/readers.rs` converts a whole
//! Shapefile with `ogr2ogr -t_srs EPSG:4326` and compares.
//!
//! Not supported (an error naming the system and pointing at `--crs`): other projections
//! (Lambert, Albers, Web Mercator), and the old Chinese datums Xi'an 1980 and Beijing 1954, whose
//! offset from CGCS2000 (tens of metres) needs a datum transformation with local parameters.

use std::fmt;

use super::coord_transform::{self, Crs};
use crate::geom::tmerc::{self, CGCS2000, Ellipsoid, TransverseMercator, WGS84};

/// The coordinate system of a layer or table, and how to bring its positions to WGS84.
#[derive(Clone, Debug, PartialEq)]
pub enum LayerCrs {
    /// WGS84 or CGCS2000 lon/lat, taken as WGS84 unchanged.
    LonLat { name: String },
    /// A transverse Mercator grid (Gauss–Krüger, UTM), eastings and northings in metres.
    Projected { name: String, tm: TransverseMercator },
    /// GCJ-02 lon/lat (高德, 腾讯).
    Gcj02,
    /// BD-09 lon/lat (百度).
    Bd09,
}

impl Default for LayerCrs {
    fn default() -> LayerCrs {
        LayerCrs::wgs84()
    }
}

impl fmt::Display for LayerCrs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayerCrs::LonLat { name } | LayerCrs::Projected { name, .. } => f.write_str(name),
            LayerCrs::Gcj02 => f.write_str("GCJ-02"),
            LayerCrs::Bd09 => f.write_str("BD-09"),
        }
    }
}

/// What the error for a system circle15 cannot convert tells the user to do.
pub const CRS_HELP: &str = "circle15 converts EPSG:4326, EPSG:4490 (CGCS2000), CGCS2000 Gauss–Krüger \
     (EPSG:4491–4554), UTM (EPSG:326xx/327xx), gcj02 and bd09, and Gauss–Krüger / transverse Mercator .prj \
     files; give the file's system with --crs (e.g. --crs EPSG:4549) or convert it to EPSG:4326";

impl LayerCrs {
    pub fn wgs84() -> LayerCrs {
        LayerCrs::LonLat { name: "EPSG:4326 WGS 84".into() }
    }

    /// Whether positions pass unchanged.
    pub fn is_lon_lat(&self) -> bool {
        matches!(self, LayerCrs::LonLat { .. })
    }

    /// A position of this system in WGS84 `[lon, lat]`. Lon/lat systems return it unchanged
    /// (bit for bit).
    pub fn to_wgs84(&self, p: [f64; 2]) -> [f64; 2] {
        match self {
            LayerCrs::LonLat { .. } => p,
            LayerCrs::Projected { tm, .. } => tm.inverse(p),
            LayerCrs::Gcj02 => {
                let (lon, lat) = coord_transform::to_wgs84(Crs::Gcj02, p[0], p[1]);
                [lon, lat]
            }
            LayerCrs::Bd09 => {
                let (lon, lat) = coord_transform::to_wgs84(Crs::Bd09, p[0], p[1]);
                [lon, lat]
            }
        }
    }
}

impl From<Crs> for LayerCrs {
    fn from(c: Crs) -> LayerCrs {
        match c {
            Crs::Wgs84 => LayerCrs::wgs84(),
            Crs::Gcj02 => LayerCrs::Gcj02,
            Crs::Bd09 => LayerCrs::Bd09,
        }
    }
}

/// The system of an EPSG code, `None` when circle15 does not convert it.
pub fn from_epsg(code: u32) -> Option<LayerCrs> {
    match code {
        4326 => Some(LayerCrs::wgs84()),
        4490 => Some(LayerCrs::LonLat { name: "EPSG:4490 CGCS2000".into() }),
        _ => tmerc::from_epsg(code).map(|(tm, name)| LayerCrs::Projected { name: format!("EPSG:{code} {name}"), tm }),
    }
}

/// A `--crs` value: `EPSG:4549` (or `4549`, `epsg:4549`), `wgs84`, `cgcs2000`, `gcj02`, `bd09`.
pub fn parse_crs(s: &str) -> Result<LayerCrs, String> {
    let t = s.trim();
    if let Ok(c) = t.parse::<Crs>() {
        return Ok(c.into());
    }
    let lower = t.to_ascii_lowercase();
    if lower == "cgcs2000" {
        return Ok(LayerCrs::LonLat { name: "EPSG:4490 CGCS2000".into() });
    }
    let digits = lower.strip_prefix("epsg:").unwrap_or(&lower);
    match digits.parse::<u32>() {
        Ok(code) => from_epsg(code).ok_or_else(|| format!("unknown coordinate system EPSG:{code}: {CRS_HELP}")),
        Err(_) => Err(format!("unknown coordinate system {t:?}: {CRS_HELP}")),
    }
}

// ---- WKT (OGC WKT 1, ESRI .prj, WKT 2) ----

#[derive(Debug)]
enum Arg {
    Text(String),
    Num(f64),
    Node(Node),
}

#[derive(Debug)]
struct Node {
    name: String,
    args: Vec<Arg>,
}

impl Node {
    fn text(&self, i: usize) -> Option<&str> {
        match self.args.get(i) {
            Some(Arg::Text(s)) => Some(s),
            _ => None,
        }
    }

    fn num(&self, i: usize) -> Option<f64> {
        match self.args.get(i) {
            Some(Arg::Num(x)) => Some(*x),
            Some(Arg::Text(s)) => s.trim().parse().ok(),
            _ => None,
        }
    }

    fn children(&self) -> impl Iterator<Item = &Node> {
        self.args.iter().filter_map(|a| if let Arg::Node(n) = a { Some(n) } else { None })
    }

    /// The first child with one of these (upper-case) names.
    fn child(&self, names: &[&str]) -> Option<&Node> {
        self.children().find(|n| names.contains(&n.name.as_str()))
    }

    /// The first node with one of these names anywhere below (depth first).
    fn find(&self, names: &[&str]) -> Option<&Node> {
        self.children().find_map(|n| if names.contains(&n.name.as_str()) { Some(n) } else { n.find(names) })
    }

    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        for n in self.children() {
            if n.name == name {
                out.push(n);
            }
            n.all(name, out);
        }
    }

    /// The EPSG code of this node's own AUTHORITY / ID.
    fn epsg(&self) -> Option<u32> {
        let a = self.child(&["AUTHORITY", "ID"])?;
        a.text(0).filter(|o| o.eq_ignore_ascii_case("EPSG"))?;
        a.num(1).map(|c| c as u32)
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn node(&mut self, depth: usize) -> Result<Node, String> {
        if depth > 32 {
            return Err("WKT nested too deeply".into());
        }
        self.ws();
        let start = self.i;
        while self.i < self.s.len() && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_') {
            self.i += 1;
        }
        let name = String::from_utf8_lossy(&self.s[start..self.i]).to_ascii_uppercase();
        self.ws();
        if name.is_empty() || !matches!(self.s.get(self.i), Some(b'[' | b'(')) {
            return Err(format!("WKT: expected KEYWORD[ at byte {start}"));
        }
        self.i += 1;
        let mut args = Vec::new();
        loop {
            self.ws();
            match self.s.get(self.i) {
                Some(b']' | b')') => {
                    self.i += 1;
                    return Ok(Node { name, args });
                }
                Some(b',') => self.i += 1,
                Some(b'"') => {
                    self.i += 1;
                    let mut text = Vec::new();
                    loop {
                        match self.s.get(self.i) {
                            None => return Err("WKT: unterminated string".into()),
                            Some(b'"') if self.s.get(self.i + 1) == Some(&b'"') => {
                                text.push(b'"');
                                self.i += 2;
                            }
                            Some(b'"') => {
                                self.i += 1;
                                break;
                            }
                            Some(&c) => {
                                text.push(c);
                                self.i += 1;
                            }
                        }
                    }
                    args.push(Arg::Text(String::from_utf8_lossy(&text).into_owned()));
                }
                Some(c) if c.is_ascii_digit() || *c == b'-' || *c == b'+' || *c == b'.' => {
                    let start = self.i;
                    while self.i < self.s.len() && !matches!(self.s[self.i], b',' | b']' | b')') {
                        self.i += 1;
                    }
                    let t = String::from_utf8_lossy(&self.s[start..self.i]);
                    let x = t.trim().parse::<f64>().map_err(|_| format!("WKT: bad number {t:?}"))?;
                    args.push(Arg::Num(x));
                }
                Some(_) => {
                    // A keyword: a nested node, or a bare enum value (AXIS["x",EAST]).
                    let save = self.i;
                    match self.node(depth + 1) {
                        Ok(n) => args.push(Arg::Node(n)),
                        Err(_) => {
                            self.i = save;
                            while self.i < self.s.len() && !matches!(self.s[self.i], b',' | b']' | b')') {
                                self.i += 1;
                            }
                            let t = String::from_utf8_lossy(&self.s[save..self.i]).trim().to_string();
                            args.push(Arg::Text(t));
                        }
                    }
                }
                None => return Err("WKT: unexpected end".into()),
            }
        }
    }
}

/// Lower-case letters and digits only: `"Gauss_Kruger"` and `"Gauss Kruger"` compare equal.
fn key(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase()
}

/// The datum and ellipsoid of a geographic CRS node: CGCS2000 or WGS84 (and GRS 80 frames, within
/// a metre of them) are accepted; Xi'an 1980 / Beijing 1954 and unknown datums are errors.
fn datum_ellipsoid(geog: &Node) -> Result<Ellipsoid, String> {
    let datum = geog.find(&["DATUM", "TRF"]).and_then(|d| d.text(0)).unwrap_or("");
    let sph = geog.find(&["SPHEROID", "ELLIPSOID"]);
    let ell = sph.and_then(|s| Some(Ellipsoid { a: s.num(1)?, inv_f: s.num(2)? }));
    let d = key(datum);
    let sname = key(sph.and_then(|s| s.text(0)).unwrap_or(""));
    if ["xian", "beijing", "1954", "1980", "krassowsky", "krasovsky", "iag75", "iag1975"]
        .iter()
        .any(|k| d.contains(k) || sname.contains(k))
    {
        return Err(format!(
            "datum {datum:?} (ellipsoid {:?}) is not CGCS2000 or WGS84; converting it needs a datum \
             transformation with local parameters, which circle15 does not do: convert the file to \
             CGCS2000 or WGS84 first (or, accepting an error of tens of metres, give --crs)",
            sph.and_then(|s| s.text(0)).unwrap_or("?")
        ));
    }
    let near = |e: &Ellipsoid, r: &Ellipsoid| (e.a - r.a).abs() < 0.01 && (e.inv_f - r.inv_f).abs() < 1e-5;
    match ell {
        Some(e) if near(&e, &WGS84) || near(&e, &CGCS2000) => Ok(e),
        Some(e) => Err(format!(
            "datum {datum:?} with ellipsoid a = {} m, 1/f = {} is not CGCS2000 or WGS84; {CRS_HELP}",
            e.a, e.inv_f
        )),
        None if ["wgs84", "wgs1984", "cgcs2000", "china2000", "chinageodeticcoordinatesystem2000"]
            .iter()
            .any(|k| d.contains(k)) =>
        {
            Ok(if d.contains("wgs") { WGS84 } else { CGCS2000 })
        }
        None => Err(format!("datum {datum:?} without an ellipsoid is not one circle15 knows; {CRS_HELP}")),
    }
}

/// The system a WKT text (a `.prj` file, GeoPackage `definition`, OGC WKT 1 or WKT 2) describes.
/// An EPSG code on the outer node wins; otherwise a geographic CRS on the WGS84 / CGCS2000 datum,
/// or a transverse Mercator / Gauss–Krüger projection of one, from its parameters.
pub fn from_wkt(wkt: &str) -> Result<LayerCrs, String> {
    let root = Parser { s: wkt.trim().as_bytes(), i: 0 }.node(0)?;
    let crs_name = root.text(0).unwrap_or("").to_string();
    if let Some(code) = root.epsg()
        && let Some(c) = from_epsg(code)
    {
        return Ok(c);
    }
    match root.name.as_str() {
        "GEOGCS" | "GEOGCRS" | "GEODCRS" | "GEOGRAPHICCRS" => {
            datum_ellipsoid(&root)?;
            Ok(LayerCrs::LonLat { name: crs_name })
        }
        "PROJCS" | "PROJCRS" | "PROJECTEDCRS" => {
            let geog = root
                .child(&["GEOGCS", "BASEGEOGCRS", "BASEGEODCRS"])
                .ok_or_else(|| format!("projected system {crs_name:?} without its geographic system"))?;
            let ell = datum_ellipsoid(geog)?;
            let method = root
                .child(&["PROJECTION"])
                .or_else(|| root.child(&["CONVERSION"]).and_then(|c| c.child(&["METHOD"])))
                .and_then(|m| m.text(0))
                .unwrap_or("");
            if !matches!(key(method).as_str(), "transversemercator" | "gausskruger") {
                return Err(format!("projection {method:?} of {crs_name:?} is not supported; {CRS_HELP}"));
            }
            let mut params = Vec::new();
            root.all("PARAMETER", &mut params);
            let param = |names: &[&str]| {
                params
                    .iter()
                    .find(|p| p.text(0).is_some_and(|n| names.contains(&key(n).as_str())))
                    .and_then(|p| p.num(1))
            };
            let lon0 = param(&["centralmeridian", "longitudeofnaturalorigin", "longitudeofcenter"])
                .ok_or_else(|| format!("{crs_name:?}: no central meridian parameter"))?;
            let lat0 = param(&["latitudeoforigin", "latitudeofnaturalorigin"]).unwrap_or(0.0);
            if lat0 != 0.0 {
                return Err(format!("{crs_name:?}: latitude of origin {lat0} (only 0 is supported); {CRS_HELP}"));
            }
            let k0 = param(&["scalefactor", "scalefactoratnaturalorigin"]).unwrap_or(1.0);
            let fe = param(&["falseeasting"]).unwrap_or(0.0);
            let fnorth = param(&["falsenorthing"]).unwrap_or(0.0);
            // The linear unit: the last UNIT / LENGTHUNIT directly on the projected system.
            let unit = root.children().filter(|n| matches!(n.name.as_str(), "UNIT" | "LENGTHUNIT")).last();
            if let Some(u) = unit
                && u.num(1).is_some_and(|m| (m - 1.0).abs() > 1e-9)
            {
                return Err(format!("{crs_name:?}: unit {:?} is not the metre; {CRS_HELP}", u.text(0).unwrap_or("?")));
            }
            let name = match root.epsg() {
                Some(code) => format!("EPSG:{code} {crs_name}"),
                None => format!("{crs_name} (transverse Mercator CM {lon0}°E, false easting {fe} m, scale {k0})"),
            };
            Ok(LayerCrs::Projected { name, tm: TransverseMercator::new(ell, lon0, k0, fe, fnorth) })
        }
        other => match root.epsg() {
            Some(code) => Err(format!("unknown coordinate system EPSG:{code} ({crs_name:?}); {CRS_HELP}")),
            None => Err(format!("unknown coordinate system {other}[{crs_name:?}]; {CRS_HELP}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ArcGIS's .prj for CGCS2000 3° CM 120°E (no EPSG code), and the zone-prefixed zone 40.
    pub const PRJ_CM120: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    pub const PRJ_ZONE40: &str = r#"PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    fn close(a: [f64; 2], b: [f64; 2]) -> bool {
        crate::geom::haversine_m(a, b) < 1e-3
    }

    #[test]
    fn esri_prj_without_epsg_code_matches_the_epsg_system() {
        let p = [120.6543, 28.0123];
        let (epsg, _) = tmerc::from_epsg(4549).unwrap();
        let xy = epsg.forward(p);
        let a = from_wkt(PRJ_CM120).unwrap();
        assert!(matches!(a, LayerCrs::Projected { .. }) && a.to_string().contains("CM 120°E"), "{a}");
        assert!(close(a.to_wgs84(xy), p));
        let b = from_wkt(PRJ_ZONE40).unwrap();
        assert!(close(b.to_wgs84([xy[0] + 40_000_000.0, xy[1]]), p));
        // Without the prefix, the prefixed easting is nowhere near Zhejiang.
        assert!(!close(a.to_wgs84([xy[0] + 40_000_000.0, xy[1]]), p));
    }

    #[test]
    fn ogc_wkt_with_an_epsg_code_and_geographic_systems() {
        let wkt = r#"PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 123E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",123],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AUTHORITY["EPSG","4550"]]"#;
        let c = from_wkt(wkt).unwrap();
        assert_eq!(c, from_epsg(4550).unwrap());
        let g = from_wkt(r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#).unwrap();
        assert!(g.is_lon_lat());
        assert_eq!(g.to_wgs84([120.1, 30.2]), [120.1, 30.2]);
        let cg = from_wkt(r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#).unwrap();
        assert!(cg.is_lon_lat());
        // UTM 51N in WKT 1 with its code.
        let utm = from_epsg(32651).unwrap();
        assert!(close(utm.to_wgs84([210590.346763536, 3322575.90438476]), [120.0, 30.0]));
    }

    #[test]
    fn unknown_systems_are_errors_that_name_them_and_point_at_crs() {
        let xian = r#"PROJCS["Xian_1980_3_Degree_GK_CM_120E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        let e = from_wkt(xian).unwrap_err();
        assert!(e.contains("D_Xian_1980") && e.contains("--crs"), "{e}");
        let lcc = r#"PROJCS["Asia_Lambert",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["Central_Meridian",105.0],UNIT["Meter",1.0]]"#;
        let e = from_wkt(lcc).unwrap_err();
        assert!(e.contains("Lambert_Conformal_Conic") && e.contains("--crs EPSG:4549"), "{e}");
        let e = parse_crs("EPSG:3857").unwrap_err();
        assert!(e.contains("EPSG:3857") && e.contains("--crs"), "{e}");
        assert!(parse_crs("mars").unwrap_err().contains("\"mars\""));
        assert!(from_wkt("not wkt").is_err());
        let feet = PRJ_CM120.replace(r#"UNIT["Meter",1.0]]"#, r#"UNIT["Foot_US",0.3048006096012192]]"#);
        assert!(from_wkt(&feet).unwrap_err().contains("Foot_US"));
    }

    #[test]
    fn flag_values() {
        assert_eq!(parse_crs("EPSG:4549").unwrap(), from_epsg(4549).unwrap());
        assert_eq!(parse_crs("4528").unwrap(), from_epsg(4528).unwrap());
        assert!(parse_crs("epsg:4490").unwrap().is_lon_lat());
        assert!(parse_crs("cgcs2000").unwrap().is_lon_lat());
        assert_eq!(parse_crs("GCJ-02").unwrap(), LayerCrs::Gcj02);
        assert_eq!(parse_crs("bd09").unwrap(), LayerCrs::Bd09);
        assert_eq!(parse_crs("wgs84").unwrap(), LayerCrs::wgs84());
        let g = LayerCrs::Gcj02.to_wgs84([120.7, 27.9]);
        let d = crate::geom::haversine_m(g, [120.7, 27.9]);
        assert!((200.0..800.0).contains(&d), "{d}");
    }
}
