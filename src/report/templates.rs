//! `circle15 template`: empty, correctly-headed facility and census tables for a planner to fill
//! in, as `.xlsx` workbooks and as CSV (UTF-8 with BOM, so Excel on Chinese Windows opens them).
//!
//! The headers are exactly names the readers accept (`io::facility_table`, `population::census`):
//! Chinese (类别、名称、经度、纬度 …) with `--lang zh`, English (category, name, lon, lat …) with
//! `--lang en`. A second sheet (and `categories.csv`) lists the category codes the facility table's
//! 类别 column takes, with their names. Glossary: **template** — a table with its header row and no
//! data row.

use crate::error::{Error, Result};
use crate::profile::{Lang, Profile};

/// Facility-table headers: `(zh, en)`, each accepted by the facility-table reader.
pub const FACILITY_HEADERS: [(&str, &str); 8] = [
    ("类别", "category"),
    ("名称", "name"),
    ("经度", "lon"),
    ("纬度", "lat"),
    ("容量", "capacity"),
    ("普惠", "public"),
    ("助餐", "meals"),
    ("坐标系", "crs"),
];

/// Census-table headers: `(zh, en)`, each accepted by the census reader.
pub const CENSUS_HEADERS: [(&str, &str); 10] = [
    ("名称", "name"),
    ("代码", "code"),
    ("级别", "level"),
    ("常住人口", "population"),
    ("0-3岁", "age_0_3"),
    ("3-6岁", "age_3_6"),
    ("6-12岁", "age_6_12"),
    ("12-15岁", "age_12_15"),
    ("60岁及以上", "age_60_plus"),
    ("65岁及以上", "age_65_plus"),
];

/// A note per facility column, shown as the header cell's comment-like second sheet row.
const FACILITY_NOTES: [(&str, &str); 8] = [
    ("类别代码，见“类别代码”表，如 kindergarten", "category id, see the categories sheet, e.g. kindergarten"),
    ("设施名称", "facility name"),
    ("经度（小数度）", "longitude (decimal degrees)"),
    ("纬度（小数度）", "latitude (decimal degrees)"),
    ("托位、学位或床位数（可空）", "places or beds (optional)"),
    ("是/否：公办或普惠（可空）", "yes/no: public (optional)"),
    ("是/否：提供老年助餐（可空）", "yes/no: serves meals (optional)"),
    ("wgs84、gcj02（高德）或 bd09（百度），空为 wgs84", "wgs84, gcj02 or bd09; blank = wgs84"),
];

fn pick<'a>(lang: Lang, (zh, en): (&'a str, &'a str)) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A header row as CSV, behind a UTF-8 BOM.
fn csv_header(cells: &[&str]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(cells).expect("writing to a Vec");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&w.into_inner().expect("writing to a Vec"));
    bytes
}

fn xlsx_err(name: &str, e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Write { path: name.into(), cause: std::io::Error::other(e.to_string()) }
}

/// One workbook: a sheet with the header row (bold, frozen), and optionally the categories sheet.
fn workbook(
    name: &str,
    sheet: &str,
    headers: &[&str],
    notes: Option<&[&str]>,
    categories: Option<(&str, &[(String, String)])>,
) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let e = |x| xlsx_err(name, x);
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(e)?;
    for (c, h) in headers.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, *h, &bold).map_err(e)?;
        ws.set_column_width(c, 14).map_err(e)?;
    }
    ws.set_freeze_panes(1, 0).map_err(e)?;
    if let Some(notes) = notes {
        // The notes go on the categories sheet's neighbour, not under the header: the data sheet
        // holds nothing but the header, so a reader sees no half-filled row.
        let ns = wb.add_worksheet();
        ns.set_name(if sheet == "设施" { "填写说明" } else { "notes" }).map_err(e)?;
        for (r, (h, n)) in headers.iter().zip(notes).enumerate() {
            ns.write_string_with_format(r as u32, 0, *h, &bold).map_err(e)?;
            ns.write_string(r as u32, 1, *n).map_err(e)?;
        }
        ns.set_column_width(1, 48).map_err(e)?;
    }
    if let Some((title, cats)) = categories {
        let cs = wb.add_worksheet();
        cs.set_name(title).map_err(e)?;
        for (r, (id, label)) in cats.iter().enumerate() {
            cs.write_string(r as u32, 0, id).map_err(e)?;
            cs.write_string(r as u32, 1, label).map_err(e)?;
        }
        cs.set_column_width(0, 20).map_err(e)?;
        cs.set_column_width(1, 30).map_err(e)?;
    }
    wb.save_to_buffer().map_err(e)
}

/// The template files, `(file name, bytes)`: `facilities.xlsx`, `facilities.csv`, `census.xlsx`,
/// `census.csv` and `categories.csv` (the category codes of `profile`, with their names).
pub fn templates(lang: Lang, profile: &Profile) -> Result<Vec<(String, Vec<u8>)>> {
    let fac: Vec<&str> = FACILITY_HEADERS.iter().map(|h| pick(lang, *h)).collect();
    let notes: Vec<&str> = FACILITY_NOTES.iter().map(|n| pick(lang, *n)).collect();
    let cen: Vec<&str> = CENSUS_HEADERS.iter().map(|h| pick(lang, *h)).collect();
    let cats: Vec<(String, String)> =
        profile.categories.iter().map(|c| (c.id.clone(), c.label(lang).to_string())).collect();
    let cat_title = pick(lang, ("类别代码", "categories"));
    let mut cat_rows: Vec<&str> = vec![pick(lang, ("类别代码", "category")), pick(lang, ("类别名称", "label"))];
    let mut cat_csv = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    cat_csv.write_record(&cat_rows).expect("writing to a Vec");
    for (id, label) in &cats {
        cat_rows = vec![id, label];
        cat_csv.write_record(&cat_rows).expect("writing to a Vec");
    }
    let mut header_and_cats =
        vec![(pick(lang, ("类别代码", "category")).to_string(), pick(lang, ("类别名称", "label")).to_string())];
    header_and_cats.extend(cats.iter().cloned());
    Ok(vec![
        (
            "facilities.xlsx".into(),
            workbook(
                "facilities.xlsx",
                pick(lang, ("设施", "facilities")),
                &fac,
                Some(&notes),
                Some((cat_title, &header_and_cats)),
            )?,
        ),
        ("facilities.csv".into(), csv_header(&fac)),
        ("census.xlsx".into(), workbook("census.xlsx", pick(lang, ("人口", "census")), &cen, None, None)?),
        ("census.csv".into(), csv_header(&cen)),
        ("categories.csv".into(), cat_csv.into_inner().expect("writing to a Vec")),
    ])
}

/// Writes the templates into `dir` (atomically, as every output set): the files written.
pub fn write_templates(dir: &std::path::Path, lang: Lang) -> Result<Vec<std::path::PathBuf>> {
    let profile = Profile::load(
        match lang {
            Lang::Zh => crate::analyze::DEFAULT_OSM_PROFILE,
            Lang::En => crate::analyze::DEFAULT_PROFILE,
        },
        None,
    )?;
    let mut set = super::OutputSet::new(dir)?;
    for (name, bytes) in templates(lang, &profile)? {
        set.stage(&name, &bytes)?;
    }
    set.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The workbooks are zip files (xlsx) holding the Chinese headers as shared strings.
    #[test]
    fn workbooks_hold_the_headers() {
        let p = Profile::load("zhejiang-2027", None).unwrap();
        let files = templates(Lang::Zh, &p).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["facilities.xlsx", "facilities.csv", "census.xlsx", "census.csv", "categories.csv"]);
        let xlsx = &files[0].1;
        assert_eq!(&xlsx[..2], b"PK", "an xlsx is a zip file");
        let csv = String::from_utf8(files[1].1.clone()).unwrap();
        assert_eq!(csv, "\u{feff}类别,名称,经度,纬度,容量,普惠,助餐,坐标系\n");
        let cats = String::from_utf8(files[4].1.clone()).unwrap();
        assert!(cats.contains("kindergarten,幼儿园\n"), "{cats}");
    }
}
