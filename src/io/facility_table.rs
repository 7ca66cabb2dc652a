//! Facility registries from outside OSM: CSV (UTF-8 or GBK; `,`, `;` or tab separated, numbers as
//! [`super::number`] reads them), an `.xlsx` sheet ([`super::table`]) or GeoJSON points, with columns
//! `category`, `name`, `lon`, `lat`, `capacity`, optional `public` (or `普惠` / `公办`: yes/no/1/0/true/false/是/否),
//! optional `meals` (or `助餐` / `提供助餐`, same values: the facility serves meals, for `[[facility_share]]`)
//! and optional `crs` (`wgs84` | `gcj02` | `bd09`, or an EPSG code such as `EPSG:4549` with
//! easting/northing in the lon/lat columns ([`super::crs`]), per row; default wgs84). Coordinates are brought
//! to WGS84 before snapping. Registries of kindergartens and care homes are how planners hold this
//! data.

use std::path::Path;

use serde_json::Value;

use super::coord_transform::{Crs, to_wgs84};
use super::number::{NumberFormat, parse_count, parse_decimal};
use super::text_encoding::decode_text;
use crate::error::{Error, Result};

/// One facility of a table, coordinates already in WGS84.
#[derive(Clone, Debug, PartialEq)]
pub struct TableFacility {
    /// 1-based data row (CSV) or 0-based feature index (GeoJSON), for messages and outputs.
    pub row: usize,
    pub category: String,
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub capacity: Option<f64>,
    pub public: Option<bool>,
    /// Whether the facility serves meals (column `meals` / `助餐` / `提供助餐`), for
    /// `[[facility_share]]` indicators; `None` when the table has no such column or the cell is blank.
    pub meals: Option<bool>,
    /// The CRS the row was given in.
    pub crs: Crs,
}

fn parse_bool(s: &str) -> Option<Option<bool>> {
    match s.trim().to_lowercase().as_str() {
        "" => Some(None),
        "1" | "yes" | "y" | "true" | "是" | "普惠" | "公办" | "public" => Some(Some(true)),
        "0" | "no" | "n" | "false" | "否" | "民办" | "private" => Some(Some(false)),
        _ => None,
    }
}

struct Raw<'a> {
    category: Option<&'a str>,
    name: Option<&'a str>,
    lon: Option<&'a str>,
    lat: Option<&'a str>,
    capacity: Option<&'a str>,
    public: Option<&'a str>,
    meals: Option<&'a str>,
    crs: Option<&'a str>,
}

fn validate(
    raw: Raw<'_>,
    row: usize,
    known: &[&str],
    fmt: NumberFormat,
    at: &dyn Fn(String) -> Error,
) -> Result<TableFacility> {
    let category =
        raw.category.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| at("empty `category`".into()))?;
    if !known.contains(&category) {
        return Err(at(format!("unknown category {category:?} (the profile has: {})", known.join(", "))));
    }
    let num = |name: &str, v: Option<&str>| -> Result<f64> {
        let v = v.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| at(format!("empty `{name}`")))?;
        parse_decimal(v, fmt).map_err(|e| at(format!("`{name}` = {e}")))
    };
    let lon = num("lon", raw.lon)?;
    let lat = num("lat", raw.lat)?;
    // A projected row (`crs` = EPSG:4549, …): easting/northing in the lon/lat columns.
    let projected = match raw.crs.map(str::trim).filter(|s| !s.is_empty()) {
        Some(c) if c.parse::<Crs>().is_err() => match super::crs::parse_crs(c) {
            Ok(lc) => Some(lc),
            Err(e) => return Err(at(format!("`crs` = {c:?}: use wgs84, gcj02 or bd09, or an EPSG code ({e})"))),
        },
        _ => None,
    };
    let (lon, lat) = match &projected {
        Some(lc) => {
            let p = lc.to_wgs84([lon, lat]);
            (p[0], p[1])
        }
        None => (lon, lat),
    };
    crate::geom::check_lon_lat(lon, lat).map_err(at)?;
    let capacity = match raw.capacity.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(v) => match parse_count(v, fmt) {
            Ok(x) => Some(x),
            Err(e) => return Err(at(format!("`capacity` = {v:?} is not a non-negative number: {e}"))),
        },
    };
    let public = match raw.public {
        None => None,
        Some(v) => parse_bool(v).ok_or_else(|| at(format!("`public` = {v:?}: use yes/no")))?,
    };
    let meals = match raw.meals {
        None => None,
        Some(v) => parse_bool(v).ok_or_else(|| at(format!("`meals` = {v:?}: use yes/no (是/否, 1/0)")))?,
    };
    let crs: Crs = match raw.crs.map(str::trim).filter(|s| !s.is_empty()) {
        None => Crs::Wgs84,
        // Projected rows are converted above; their WGS84 result is CGCS2000 ≈ WGS84.
        Some(_) if projected.is_some() => Crs::Wgs84,
        Some(c) => c.parse().map_err(|_| at(format!("`crs` = {c:?}: use wgs84, gcj02 or bd09")))?,
    };
    let (lon, lat) = to_wgs84(crs, lon, lat);
    Ok(TableFacility {
        row,
        category: category.to_string(),
        name: raw.name.unwrap_or("").trim().to_string(),
        lon,
        lat,
        capacity,
        public,
        meals,
        crs,
    })
}

/// Reads a facility table (`.csv` or `.geojson`/`.json`); `known` are the profile's category ids.
pub fn read_facility_table(path: &Path, known: &[&str]) -> Result<Vec<TableFacility>> {
    read_facility_table_with(path, known, None)
}

/// [`read_facility_table`], also of spreadsheets (`.xlsx`, [`super::table`]): `sheet` names the
/// worksheet (`--sheet`), else the first.
pub fn read_facility_table_with(path: &Path, known: &[&str], sheet: Option<&str>) -> Result<Vec<TableFacility>> {
    if super::table::is_spreadsheet(path) {
        let rows = facilities_of(path, &super::table::read_table(path, sheet)?, known)?;
        if rows.is_empty() {
            return Err(Error::input(path, "file", "no facility rows"));
        }
        return Ok(rows);
    }
    let bytes = std::fs::read(path).map_err(|e| Error::Io { path: path.to_path_buf(), cause: e })?;
    parse_facility_table(&bytes, path, known)
}

/// [`read_facility_table`] of a file's bytes; `path` names it in errors and its extension picks
/// the format (`.geojson`/`.json`, else CSV).
pub fn parse_facility_table(bytes: &[u8], path: &Path, known: &[&str]) -> Result<Vec<TableFacility>> {
    let (text, _enc) = decode_text(bytes).map_err(|m| Error::input(path, "file", m))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    let rows = if ext == "geojson" || ext == "json" {
        read_geojson(path, &text, known)?
    } else {
        read_csv(path, &text, known)?
    };
    if rows.is_empty() {
        return Err(Error::input(path, "file", "no facility rows"));
    }
    Ok(rows)
}

fn read_csv(path: &Path, text: &str, known: &[&str]) -> Result<Vec<TableFacility>> {
    facilities_of(path, &super::table::csv_table(path, text)?, known)
}

/// The facilities of a table (CSV or spreadsheet), by its header names.
fn facilities_of(path: &Path, table: &super::table::Table, known: &[&str]) -> Result<Vec<TableFacility>> {
    let headers = &table.headers;
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let c_cat = col(&["category", "类别"]);
    let c_lon = col(&["lon", "lng", "longitude", "经度"]);
    let c_lat = col(&["lat", "latitude", "纬度"]);
    for (c, n) in [(c_cat, "category"), (c_lon, "lon"), (c_lat, "lat")] {
        if c.is_none() {
            return Err(Error::input(path, "header", format!("missing column `{n}` (have: {})", headers.join(", "))));
        }
    }
    let c_name = col(&["name", "名称"]);
    let c_cap = col(&["capacity", "容量", "托位", "床位"]);
    let c_pub = col(&["public", "普惠", "公办"]);
    let c_meals = col(&["meals", "助餐", "提供助餐"]);
    let c_crs = col(&["crs", "坐标系"]);
    let mut out = Vec::new();
    for r in &table.rows {
        let get = |c: Option<usize>| c.and_then(|c| r.cells.get(c)).map(String::as_str);
        let at = |m: String| Error::input(path, r.place.clone(), m);
        out.push(validate(
            Raw {
                category: get(c_cat),
                name: get(c_name),
                lon: get(c_lon),
                lat: get(c_lat),
                capacity: get(c_cap),
                public: get(c_pub),
                meals: get(c_meals),
                crs: get(c_crs),
            },
            r.row,
            known,
            table.fmt,
            &at,
        )?);
    }
    Ok(out)
}

fn read_geojson(path: &Path, text: &str, known: &[&str]) -> Result<Vec<TableFacility>> {
    let doc: Value = crate::io::parse_json(path, text)?;
    let feats = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::input(path, "document", "not a GeoJSON FeatureCollection"))?;
    let mut out = Vec::new();
    for (i, f) in feats.iter().enumerate() {
        let place = format!("feature {i}");
        let at = |m: String| Error::input(path, place.clone(), m);
        let g = f.get("geometry").filter(|g| g.get("type").and_then(Value::as_str) == Some("Point"));
        let c = g
            .and_then(|g| g.get("coordinates"))
            .and_then(Value::as_array)
            .ok_or_else(|| at("geometry is not a Point".into()))?;
        let lon = c.first().map(|v| v.to_string());
        let lat = c.get(1).map(|v| v.to_string());
        let p = f.get("properties").cloned().unwrap_or(Value::Null);
        let s = |k: &str| -> Option<String> {
            p.get(k).and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            })
        };
        let (cat, name, cap, public, crs) =
            (s("category"), s("name"), s("capacity"), s("public").or(s("普惠")).or(s("公办")), s("crs"));
        let meals = s("meals").or(s("助餐")).or(s("提供助餐"));
        out.push(validate(
            Raw {
                category: cat.as_deref(),
                name: name.as_deref(),
                lon: lon.as_deref(),
                lat: lat.as_deref(),
                capacity: cap.as_deref(),
                public: public.as_deref(),
                meals: meals.as_deref(),
                crs: crs.as_deref(),
            },
            i,
            known,
            NumberFormat::Plain,
            &at,
        )?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::haversine_m;
    use crate::io::coord_transform::wgs84_to_gcj02;

    fn write(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        (d, p)
    }

    #[test]
    fn gbk_csv_in_gcj02_lands_within_1_m_of_wgs84_truth() {
        // Two kindergartens in Haishu (WGS84 truths), written as GCJ-02 in a GBK CSV.
        let truths = [(121.5440, 29.8683), (121.5208, 29.8571)];
        let mut csv = String::from("类别,名称,经度,纬度,托位,普惠,坐标系\n");
        for (i, (lon, lat)) in truths.iter().enumerate() {
            let (glon, glat) = wgs84_to_gcj02(*lon, *lat);
            csv += &format!("kindergarten,海曙幼儿园{i},{glon:.8},{glat:.8},180,是,gcj02\n");
        }
        let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
        let (_d, p) = write("k.csv", &gbk);
        let rows = read_facility_table(&p, &["kindergarten"]).unwrap();
        assert_eq!(rows.len(), 2);
        for (r, (lon, lat)) in rows.iter().zip(truths) {
            assert!(haversine_m([r.lon, r.lat], [lon, lat]) < 1.0);
            assert_eq!(r.capacity, Some(180.0));
            assert_eq!(r.public, Some(true));
            assert_eq!(r.crs, Crs::Gcj02);
        }
        assert_eq!(rows[0].name, "海曙幼儿园0");
    }

    #[test]
    fn errors_name_the_row_and_problem() {
        let cases = [
            ("category,name,lon,lat\nzoo,a,1,2\n", "row 1: unknown category \"zoo\""),
            ("category,name,lon,lat\nkindergarten,a,x,2\n", "row 1: `lon` = \"x\" is not a number"),
            ("category,name,lon,lat,capacity\nkindergarten,a,1,2,-3\n", "row 1: `capacity` = \"-3\""),
            ("category,name,lon,lat\nkindergarten,a,29.8,121.5\n", "swapped"),
            ("category,name,lon\nkindergarten,a,1\n", "missing column `lat`"),
            ("category,name,lon,lat,crs\nkindergarten,a,1,2,utm\n", "`crs` = \"utm\""),
            ("category,name,lon,lat\nkindergarten,a,1\n", "row 1: invalid CSV"),
            ("category,name,lon,lat\n", "no facility rows"),
            ("category,name,lon,lat,助餐\nkindergarten,a,1,2,maybe\n", "row 1: `meals` = \"maybe\""),
        ];
        for (text, want) in cases {
            let (_d, p) = write("f.csv", text.as_bytes());
            let e = read_facility_table(&p, &["kindergarten"]).unwrap_err().to_string();
            assert!(e.contains("f.csv") && e.contains(want), "{e} (want {want})");
        }
    }

    #[test]
    fn semicolon_csv_with_decimal_commas_reads_exactly() {
        let text = "category;name;lon;lat;capacity\nkindergarten;Escuela Infantil;-15,4312;28,1047;1.200\n";
        let (_d, p) = write("f.csv", text.as_bytes());
        let r = read_facility_table(&p, &["kindergarten"]).unwrap();
        assert_eq!((r[0].lon, r[0].lat, r[0].capacity), (-15.4312, 28.1047, Some(1200.0)));
        assert_eq!(r[0].name, "Escuela Infantil");
        // The same thousands dot in a comma-separated table is ambiguous: refused, not read as 1.2.
        let (_d, p) = write("g.csv", b"category,name,lon,lat,capacity\nkindergarten,a,-15.43,28.10,1.200\n");
        let e = read_facility_table(&p, &["kindergarten"]).unwrap_err().to_string();
        assert!(e.contains("g.csv: row 1: `capacity`") && e.contains("ambiguous"), "{e}");
    }

    #[test]
    fn geojson_points() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"category":"kindergarten","name":"A","capacity":90,"public":true},"geometry":{"type":"Point","coordinates":[121.5,29.8]}}]}"#;
        let (_d, p) = write("f.geojson", text.as_bytes());
        let r = read_facility_table(&p, &["kindergarten"]).unwrap();
        assert_eq!((r[0].lon, r[0].lat, r[0].capacity, r[0].public), (121.5, 29.8, Some(90.0), Some(true)));
    }
}
