//! Area-based targets (`[[area_target]]`): ground or floor area per resident measured from OSM
//! polygons, e.g. “人均体育场地面积 ≥ 3.2 m²” or “公共文化设施面积 ≥ 4,400 m² per 10,000 residents”.
//!
//! Glossary:
//! - **kind**: `sports_ground_m2_per_resident` (ground area of the polygons the target's `tags`
//!   select, overlaps counted once, per resident) or `culture_floor_m2_per_10k` (floor area —
//!   footprint × `building:levels` — of the buildings that are, contain or stand in a facility the
//!   target selects, per 10,000 residents).
//! - **milestone**: a `min_by_year` entry; the target in force for a year is the first milestone
//!   at or after it, else the base `min_value`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ProfileFile, TagRule, check_range};

/// An area target as written in a profile.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AreaTargetDef {
    pub id: String,
    #[serde(default)]
    pub label_zh: String,
    #[serde(default)]
    pub label_en: String,
    /// `sports_ground_m2_per_resident` or `culture_floor_m2_per_10k`.
    pub kind: String,
    /// Tag rules selecting the OSM objects that count (see [`TagRule`]).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Category ids of the profile whose facilities count too (their tag rules and name patterns).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Minimum value (m² per resident, or m² per 10,000 residents) without `--year`.
    pub min_value: f64,
    /// Milestones: `year → minimum`.
    #[serde(default)]
    pub min_by_year: BTreeMap<String, f64>,
    /// Storeys assumed for a building without `building:levels` (floor kinds), flagged as assumed.
    #[serde(default = "one")]
    pub default_levels: f64,
    /// Free text citing the source of the target.
    #[serde(default)]
    pub source: String,
    /// Years the source states the target for (empty: every year); other years are printed as
    /// carried forward or not yet due.
    #[serde(default)]
    pub years: Vec<i32>,
    /// The figure is recalled from secondary summaries, not in the seed documents.
    #[serde(default)]
    pub recalled: bool,
    /// `unit` (every planning unit must meet it) or `district` (a district-wide figure such as
    /// 全区人均体育场地面积: evaluated over the study area; units are shown as context only).
    #[serde(default = "scope_unit")]
    pub scope: String,
}

fn scope_unit() -> String {
    "unit".into()
}

fn one() -> f64 {
    1.0
}

/// What an area target measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    /// Ground area of polygons (union), m² per resident.
    SportsGroundM2PerResident,
    /// Floor area of buildings, m² per 10,000 residents.
    #[serde(rename = "culture_floor_m2_per_10k")]
    CultureFloorM2Per10k,
}

impl AreaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AreaKind::SportsGroundM2PerResident => "sports_ground_m2_per_resident",
            AreaKind::CultureFloorM2Per10k => "culture_floor_m2_per_10k",
        }
    }
    /// Whether the measure is building floor area (footprint × levels) rather than ground area.
    pub fn is_floor(self) -> bool {
        self == AreaKind::CultureFloorM2Per10k
    }
    /// Residents the value is counted per: 1 or 10,000.
    pub fn per_residents(self) -> f64 {
        match self {
            AreaKind::SportsGroundM2PerResident => 1.0,
            AreaKind::CultureFloorM2Per10k => 10_000.0,
        }
    }
}

/// A validated area target, with the year's milestone applied.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaTarget {
    pub id: String,
    pub label_zh: String,
    pub label_en: String,
    pub kind: AreaKind,
    #[serde(skip)]
    pub tags: Vec<TagRule>,
    /// Indices into the profile's categories.
    pub categories: Vec<u16>,
    /// The minimum in force for the profile's year.
    pub min_value: f64,
    pub default_levels: f64,
    pub source: String,
    /// Whether the target is in force for the analysis year.
    pub status: super::TargetStatus,
    /// Recalled, not in the seeds.
    pub recalled: bool,
    /// District-wide figure: units are context, never failing.
    pub district_only: bool,
}

/// Validates the `[[area_target]]` tables; `year` selects the milestone. Errors name the table
/// and the key.
pub(super) fn validate_area_targets(file: &ProfileFile, year: Option<i32>) -> Result<Vec<AreaTarget>, String> {
    let mut out: Vec<AreaTarget> = Vec::with_capacity(file.area_target.len());
    for (i, t) in file.area_target.iter().enumerate() {
        let at = format!("area_target[{i}] ({})", t.id);
        let valid_id = t.id.chars().next().is_some_and(|ch| ch.is_ascii_lowercase())
            && t.id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !valid_id {
            return Err(format!("{at}: key `id`: must be ASCII snake_case"));
        }
        if out.iter().any(|q| q.id == t.id) {
            return Err(format!("{at}: key `id`: duplicate area target id"));
        }
        let kind = match t.kind.as_str() {
            "sports_ground_m2_per_resident" => AreaKind::SportsGroundM2PerResident,
            "culture_floor_m2_per_10k" => AreaKind::CultureFloorM2Per10k,
            k => {
                return Err(format!(
                    "{at}: key `kind` = {k:?}: must be \"sports_ground_m2_per_resident\" or \"culture_floor_m2_per_10k\""
                ));
            }
        };
        let mut tags = Vec::with_capacity(t.tags.len());
        for r in &t.tags {
            tags.push(TagRule::parse(r).map_err(|e| format!("{at}: key `tags`: {e}"))?);
        }
        let mut categories = Vec::with_capacity(t.categories.len());
        for c in &t.categories {
            let k = file.categories.iter().position(|d| d.id == *c).ok_or_else(|| {
                let known: Vec<&str> = file.categories.iter().map(|c| c.id.as_str()).collect();
                format!("{at}: key `categories`: unknown category {c:?} (known: {})", known.join(", "))
            })?;
            categories.push(k as u16);
        }
        if tags.is_empty() && categories.is_empty() {
            return Err(format!("{at}: needs `tags` or `categories` to select what is measured"));
        }
        check_range(&format!("{at}.min_value"), t.min_value, 0.0, 1_000_000.0)?;
        check_range(&format!("{at}.default_levels"), t.default_levels, 1.0, 200.0)?;
        let mut milestones: Vec<(i32, f64)> = Vec::with_capacity(t.min_by_year.len());
        for (y, v) in &t.min_by_year {
            let yi: i32 = y
                .parse()
                .ok()
                .filter(|y| (1990..=2100).contains(y))
                .ok_or_else(|| format!("{at}: key `min_by_year.{y}`: must be a year 1990–2100"))?;
            check_range(&format!("{at}.min_by_year.{y}"), *v, 0.0, 1_000_000.0)?;
            milestones.push((yi, *v));
        }
        milestones.sort_by_key(|m| m.0);
        let district_only = match t.scope.as_str() {
            "unit" => false,
            "district" => true,
            s => return Err(format!("{at}: key `scope` = {s:?}: must be \"unit\" or \"district\"")),
        };
        let min_value = year.and_then(|y| milestones.iter().find(|m| m.0 >= y).map(|m| m.1)).unwrap_or(t.min_value);
        out.push(AreaTarget {
            id: t.id.clone(),
            label_zh: t.label_zh.clone(),
            label_en: t.label_en.clone(),
            kind,
            tags,
            categories,
            min_value,
            default_levels: t.default_levels,
            source: t.source.clone(),
            status: super::TargetStatus::of(&t.years, year),
            recalled: t.recalled,
            district_only,
        });
    }
    Ok(out)
}

impl AreaTarget {
    /// Whether an OSM object with these tags, classified into `categories`, is selected.
    pub fn selects<'a>(&self, get: impl Fn(&str) -> Option<&'a str> + Copy, categories: &[u16]) -> bool {
        self.categories.iter().any(|c| categories.contains(c)) || self.tags.iter().any(|r| r.matches(get))
    }
    pub fn label(&self, lang: super::Lang) -> &str {
        match lang {
            super::Lang::Zh if !self.label_zh.is_empty() => &self.label_zh,
            _ if !self.label_en.is_empty() => &self.label_en,
            _ => &self.id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{BUILTIN, Profile};
    use super::*;

    fn zj(year: Option<i32>) -> Profile {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == "zhejiang-2027").unwrap();
        Profile::parse(text, "zhejiang-2027", year).unwrap()
    }

    fn min(p: &Profile, id: &str) -> f64 {
        p.area_targets.iter().find(|t| t.id == id).unwrap().min_value
    }

    #[test]
    fn zhejiang_milestones_apply_by_year() {
        // Sports: the seed has only Haishu's 3.2 m² by 2027 (the recalled Zhejiang 2.8 m² by
        // 2025 is gone); before 2027 it is printed as not yet due, and it is district-wide.
        use super::super::TargetStatus;
        for y in [None, Some(2023), Some(2025), Some(2026), Some(2027)] {
            assert_eq!(min(&zj(y), "sports_ground"), 3.2, "{y:?}");
        }
        let sports = |y| zj(y).area_targets.into_iter().find(|t| t.id == "sports_ground").unwrap();
        assert_eq!(sports(Some(2025)).status, TargetStatus::DueIn(2027));
        assert_eq!(sports(Some(2027)).status, TargetStatus::InForce);
        assert!(sports(None).district_only && !sports(None).recalled);
        let culture = zj(Some(2025)).area_targets.into_iter().find(|t| t.id == "culture_floor").unwrap();
        assert_eq!(culture.min_value, 4400.0);
        assert!(culture.recalled, "4,400 m² per 10,000 is not in the seeds");
        let p = zj(None);
        let c = p.area_targets.iter().find(|t| t.id == "culture_floor").unwrap();
        assert_eq!(c.kind, AreaKind::CultureFloorM2Per10k);
        assert_eq!(c.categories, vec![p.category_index("culture").unwrap() as u16]);
        assert_eq!(serde_json::to_value(c.kind).unwrap(), c.kind.as_str());
        assert_eq!(serde_json::to_value(AreaKind::SportsGroundM2PerResident).unwrap(), "sports_ground_m2_per_resident");
    }

    #[test]
    fn errors_name_the_table_and_key() {
        let base = BUILTIN[0].1;
        let cases = [
            ("[[area_target]]\nid = \"x\"\nkind = \"m3\"\ntags = [\"a=b\"]\nmin_value = 1\n", "key `kind` = \"m3\""),
            ("[[area_target]]\nid = \"x\"\nkind = \"culture_floor_m2_per_10k\"\nmin_value = 1\n", "needs `tags`"),
            (
                "[[area_target]]\nid = \"x\"\nkind = \"culture_floor_m2_per_10k\"\ncategories = [\"nope\"]\nmin_value = 1\n",
                "unknown category \"nope\"",
            ),
            (
                "[[area_target]]\nid = \"x\"\nkind = \"culture_floor_m2_per_10k\"\ntags = [\"a=b\"]\nmin_value = -1\n",
                "area_target[0] (x).min_value",
            ),
            (
                "[[area_target]]\nid = \"x\"\nkind = \"culture_floor_m2_per_10k\"\ntags = [\"a=b\"]\nmin_value = 1\nmin_by_year = { soon = 2 }\n",
                "min_by_year.soon",
            ),
        ];
        for (extra, want) in cases {
            let e = Profile::parse(&format!("{base}\n{extra}"), "x.toml", None).unwrap_err().to_string();
            assert!(e.contains(want), "{e}\n  wanted: {want}");
        }
    }
}
