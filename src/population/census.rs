//! Census tables: population (and optionally age groups) per administrative unit, as CSV in UTF-8
//! or GBK (Excel on Chinese Windows), or an `.xlsx` sheet ([`crate::io::table`]).
//!
//! Columns (header names case-insensitive; Chinese alternatives in brackets): `name` [名称, 单位,
//! 地区] and/or `code` [代码, 区划代码], optional `level` [级别, 层级], `population` [人口, 常住人口,
//! 总人口], and optional age columns `age_0_3` [0-3岁], `age_3_6` [3-6岁], `age_6_12` [6-12岁],
//! `age_12_15` [12-15岁], `age_60_plus` [60岁以上, 60岁及以上], `age_65_plus` [65岁以上,
//! 65岁及以上]. Numbers are read as [`crate::io::number`] says: thousands separators (`12,345`
//! quoted, or `12 345`) are fine, a `;`-separated table uses decimal commas (`1.234,5`), and an
//! ambiguous `1.008` is refused. An empty age cell means unknown for that row.

use std::path::Path;

use crate::error::{Error, Result};
use crate::io::number::parse_count;
use crate::profile::AGE_GROUPS;

/// One unit's census figures.
#[derive(Clone, Debug, PartialEq)]
pub struct CensusRow {
    /// 1-based data row (the header is row 0).
    pub row: usize,
    pub name: Option<String>,
    pub code: Option<String>,
    /// The unit level, when the table has a `level` column.
    pub level: Option<String>,
    pub population: f64,
    /// Age-group residents for the groups the row gives, in [`AGE_GROUPS`] order.
    pub age_groups: Vec<(String, f64)>,
}

/// Header names accepted for each age group.
const AGE_HEADERS: [(&str, &[&str]); 6] = [
    ("age_0_3", &["0-3岁", "0—3岁", "0~3岁"]),
    ("age_3_6", &["3-6岁", "3—6岁", "3~6岁"]),
    ("age_6_12", &["6-12岁", "6—12岁", "6~12岁"]),
    ("age_12_15", &["12-15岁", "12—15岁", "12~15岁"]),
    ("age_60_plus", &["60岁以上", "60岁及以上", "60+"]),
    ("age_65_plus", &["65岁以上", "65岁及以上", "65+"]),
];

/// Reads a census table. Errors name the file, the row and the column.
pub fn read_census(path: &Path) -> Result<Vec<CensusRow>> {
    read_census_with(path, None)
}

/// [`read_census`] of a CSV or spreadsheet (`.xlsx`: the sheet `sheet`, else the first).
pub fn read_census_with(path: &Path, sheet: Option<&str>) -> Result<Vec<CensusRow>> {
    let table = crate::io::table::read_table(path, sheet)?;
    let (headers, fmt) = (&table.headers, table.fmt);
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let c_name = col(&["name", "名称", "单位", "地区", "unit"]);
    let c_code = col(&["code", "代码", "区划代码"]);
    let c_level = col(&["level", "级别", "层级"]);
    let c_pop = col(&["population", "人口", "常住人口", "总人口"]);
    if c_name.is_none() && c_code.is_none() {
        return Err(Error::input(
            path,
            "header",
            format!("needs a `name` or a `code` column to match units (have: {})", headers.join(", ")),
        ));
    }
    let Some(c_pop) = c_pop else {
        return Err(Error::input(
            path,
            "header",
            format!("missing column `population` (have: {})", headers.join(", ")),
        ));
    };
    assert_eq!(AGE_HEADERS.len(), AGE_GROUPS.len());
    let age_cols: Vec<(&str, usize)> = AGE_HEADERS
        .iter()
        .filter_map(|(g, alts)| {
            headers.iter().position(|h| h == g || alts.iter().any(|a| a.to_lowercase() == *h)).map(|c| (*g, c))
        })
        .collect();
    let mut out: Vec<CensusRow> = Vec::new();
    for r in &table.rows {
        let (row, rec) = (r.row, &r.cells);
        let at = |c: usize, m: String| Error::input(path, format!("{}, column `{}`", r.place, headers[c]), m);
        let text =
            |c: Option<usize>| c.and_then(|c| rec.get(c)).map(|s| s.trim()).filter(|s| !s.is_empty()).map(String::from);
        let (name, code, level) = (text(c_name), text(c_code), text(c_level));
        if name.is_none() && code.is_none() {
            let c = c_name.or(c_code).expect("checked");
            return Err(at(c, "empty: the row names no unit".into()));
        }
        let raw = rec.get(c_pop).map_or("", |s| s.trim());
        if raw.is_empty() {
            return Err(at(c_pop, "empty population".into()));
        }
        let population = parse_count(raw, fmt).map_err(|e| at(c_pop, format!("not a non-negative number: {e}")))?;
        let mut age_groups = Vec::new();
        for &(g, c) in &age_cols {
            let raw = rec.get(c).map_or("", |s| s.trim());
            if raw.is_empty() {
                continue;
            }
            let v = parse_count(raw, fmt).map_err(|e| at(c, format!("not a non-negative number: {e}")))?;
            if v > population * (1.0 + 1e-9) {
                return Err(at(c, format!("{v} exceeds the row's population {population}")));
            }
            age_groups.push((g.to_string(), v));
        }
        let key =
            |r: &CensusRow| (r.code.clone(), if r.code.is_none() { r.name.clone() } else { None }, r.level.clone());
        let this = CensusRow { row, name, code, level, population, age_groups };
        if let Some(prev) = out.iter().find(|r| key(r) == key(&this)) {
            let c = if this.code.is_some() { c_code } else { c_name }.expect("a key column");
            return Err(at(c, format!("the same unit as row {}", prev.row)));
        }
        out.push(this);
    }
    if out.is_empty() {
        return Err(Error::input(path, "file", "no data rows"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &tempfile::TempDir, bytes: &[u8]) -> std::path::PathBuf {
        let p = dir.path().join("census.csv");
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn reads_english_and_chinese_headers_utf8_and_gbk() {
        let dir = tempfile::tempdir().unwrap();
        let en = "name,code,population,age_0_3,age_60_plus\n永中街道,330303001,\"12,345\",300,\n沙城社区,,800,20,150\n";
        let rows = read_census(&write(&dir, en.as_bytes())).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].population, 12345.0);
        assert_eq!(rows[0].code.as_deref(), Some("330303001"));
        assert_eq!(rows[0].age_groups, vec![("age_0_3".to_string(), 300.0)]);
        assert_eq!(rows[1].age_groups, vec![("age_0_3".to_string(), 20.0), ("age_60_plus".to_string(), 150.0)]);
        assert_eq!((rows[1].row, rows[1].code.clone()), (2, None));
        let semi = "name;population;age_0_3\nVegueta;12.345;300,5\n";
        let rows = read_census(&write(&dir, semi.as_bytes())).unwrap();
        assert_eq!(rows[0].population, 12345.0);
        assert_eq!(rows[0].age_groups, vec![("age_0_3".to_string(), 300.5)]);
        let zh = "名称,级别,常住人口,0-3岁,65岁及以上\n永中街道,街道,5000,120,700\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(zh);
        let rows = read_census(&write(&dir, &gbk)).unwrap();
        assert_eq!(rows[0].name.as_deref(), Some("永中街道"));
        assert_eq!(rows[0].level.as_deref(), Some("街道"));
        assert_eq!(rows[0].age_groups, vec![("age_0_3".to_string(), 120.0), ("age_65_plus".to_string(), 700.0)]);
    }

    #[test]
    fn errors_name_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("name,population\n甲,-5\n", "row 1, column `population`: not a non-negative number: \"-5\" is negative"),
            (
                "name,population\n甲,1.008\n",
                "row 1, column `population`: not a non-negative number: \"1.008\" is ambiguous",
            ),
            ("name,population\n甲,\n", "row 1, column `population`: empty population"),
            ("name,population,age_0_3\n甲,100,abc\n", "row 1, column `age_0_3`: not a non-negative number: \"abc\""),
            ("name,population,age_0_3\n甲,100,200\n", "row 1, column `age_0_3`: 200 exceeds"),
            ("name,population\n甲,100\n乙,5\n甲,7\n", "row 3, column `name`: the same unit as row 1"),
            ("name,population\n,100\n", "row 1, column `name`: empty"),
            ("name,people\n甲,100\n", "header: missing column `population`"),
            ("population\n100\n", "header: needs a `name` or a `code` column"),
            ("name,population\n", "no data rows"),
        ];
        for (text, want) in cases {
            let e = read_census(&write(&dir, text.as_bytes())).unwrap_err().to_string();
            assert!(e.contains("census.csv") && e.contains(want), "{e}\n  wanted: {want}");
        }
    }
}
