//! Facility-share indicators (`[[facility_share]]`): a share of facilities, not of residents, e.g.
//! “推动80%以上公办养老机构开展老年助餐服务” — the share of public elderly-care institutions that
//! serve meals. Counted over the rows of a facility table (`--facilities`) of the indicator's
//! categories that carry the attribute (a `meals` / `助餐` / `提供助餐` column); OSM has no such
//! flag. Without a row giving the attribute the indicator is not assessed (no data).

use serde::{Deserialize, Serialize};

use super::{ProfileFile, TargetStatus, check_range};

/// A facility-share indicator as written in a profile.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FacilityShareDef {
    pub id: String,
    #[serde(default)]
    pub label_zh: String,
    #[serde(default)]
    pub label_en: String,
    /// Category ids whose table rows are counted.
    pub categories: Vec<String>,
    /// Count only public rows (`public` / `公办` / `普惠` = yes); default true.
    #[serde(default = "yes")]
    pub public_only: bool,
    /// The yes/no attribute whose share is measured: `meals` (the only one so far).
    pub attribute: String,
    /// Minimum share, 0–1.
    pub min_share: f64,
    /// Free text citing the source.
    #[serde(default)]
    pub source: String,
    /// Years the source states the target for (empty: every year).
    #[serde(default)]
    pub years: Vec<i32>,
}

fn yes() -> bool {
    true
}

/// A validated facility-share indicator.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FacilityShare {
    pub id: String,
    pub label_zh: String,
    pub label_en: String,
    /// Category ids (validated against the profile).
    pub categories: Vec<String>,
    pub public_only: bool,
    pub attribute: String,
    pub min_share: f64,
    pub source: String,
    pub status: TargetStatus,
}

/// The count behind a facility-share indicator.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ShareCount {
    /// Rows counted (public rows of the categories whose attribute is given).
    pub counted: usize,
    /// Of those, rows whose attribute is yes.
    pub yes: usize,
    /// Rows of the categories (public when `public_only`) whose attribute cell is blank or absent.
    pub unknown: usize,
}

impl ShareCount {
    /// The share, `None` when no row gives the attribute (not assessed: no data).
    pub fn share(&self) -> Option<f64> {
        (self.counted > 0).then(|| self.yes as f64 / self.counted as f64)
    }
}

impl FacilityShare {
    /// Counts the table rows the indicator measures, given as `(category, public, meals)` (the
    /// profile stays below the readers: it does not know the table's row type).
    pub fn count<'a>(&self, rows: impl IntoIterator<Item = (&'a str, Option<bool>, Option<bool>)>) -> ShareCount {
        let mut c = ShareCount::default();
        for (category, public, meals) in rows {
            if !self.categories.iter().any(|k| k == category) || (self.public_only && public != Some(true)) {
                continue;
            }
            match meals {
                Some(v) => {
                    c.counted += 1;
                    c.yes += usize::from(v);
                }
                None => c.unknown += 1,
            }
        }
        c
    }
    /// Pass / fail, `None` without data or when the target is not yet due.
    pub fn pass(&self, c: &ShareCount) -> Option<bool> {
        if matches!(self.status, TargetStatus::DueIn(_)) {
            return None;
        }
        c.share().map(|s| s >= self.min_share - 1e-12)
    }
    pub fn label(&self, lang: super::Lang) -> &str {
        match lang {
            super::Lang::Zh if !self.label_zh.is_empty() => &self.label_zh,
            _ if !self.label_en.is_empty() => &self.label_en,
            _ => &self.id,
        }
    }
}

/// Validates the `[[facility_share]]` tables; errors name the table and the key.
pub(super) fn validate_facility_shares(file: &ProfileFile, year: Option<i32>) -> Result<Vec<FacilityShare>, String> {
    let mut out: Vec<FacilityShare> = Vec::with_capacity(file.facility_share.len());
    for (i, t) in file.facility_share.iter().enumerate() {
        let at = format!("facility_share[{i}] ({})", t.id);
        let valid_id = t.id.chars().next().is_some_and(|ch| ch.is_ascii_lowercase())
            && t.id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !valid_id {
            return Err(format!("{at}: key `id`: must be ASCII snake_case"));
        }
        if out.iter().any(|q| q.id == t.id) {
            return Err(format!("{at}: key `id`: duplicate facility share id"));
        }
        if t.attribute != "meals" {
            return Err(format!("{at}: key `attribute` = {:?}: must be \"meals\"", t.attribute));
        }
        if t.categories.is_empty() {
            return Err(format!("{at}: key `categories`: give at least one category"));
        }
        for c in &t.categories {
            if !file.categories.iter().any(|d| d.id == *c) {
                let known: Vec<&str> = file.categories.iter().map(|c| c.id.as_str()).collect();
                return Err(format!("{at}: key `categories`: unknown category {c:?} (known: {})", known.join(", ")));
            }
        }
        check_range(&format!("{at}.min_share"), t.min_share, 0.0, 1.0)?;
        out.push(FacilityShare {
            id: t.id.clone(),
            label_zh: t.label_zh.clone(),
            label_en: t.label_en.clone(),
            categories: t.categories.clone(),
            public_only: t.public_only,
            attribute: t.attribute.clone(),
            min_share: t.min_share,
            source: t.source.clone(),
            status: TargetStatus::of(&t.years, year),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::{BUILTIN, Profile};

    #[test]
    fn zhejiang_meals_share_and_errors() {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == "zhejiang-2027").unwrap();
        let p = Profile::parse(text, "zhejiang-2027", None).unwrap();
        let m = p.facility_shares.iter().find(|t| t.id == "public_care_meals").unwrap();
        assert_eq!((m.min_share, m.public_only, m.attribute.as_str()), (0.8, true, "meals"));
        assert_eq!(m.categories, vec!["elderly_care".to_string()]);
        assert!(m.source.contains("推动80%以上公办养老机构开展老年助餐服务") && m.source.contains("seeds/"));
        let base = BUILTIN[0].1;
        let cases = [
            (
                "[[facility_share]]\nid = \"x\"\ncategories = [\"nope\"]\nattribute = \"meals\"\nmin_share = 0.8\n",
                "unknown category \"nope\"",
            ),
            (
                "[[facility_share]]\nid = \"x\"\ncategories = [\"childcare\"]\nattribute = \"beds\"\nmin_share = 0.8\n",
                "key `attribute` = \"beds\"",
            ),
            (
                "[[facility_share]]\nid = \"x\"\ncategories = [\"childcare\"]\nattribute = \"meals\"\nmin_share = 80\n",
                "facility_share[0] (x).min_share",
            ),
        ];
        for (extra, want) in cases {
            let e = Profile::parse(&format!("{base}\n{extra}"), "x.toml", None).unwrap_err().to_string();
            assert!(e.contains(want), "{e}\n  wanted: {want}");
        }
    }
}
