//! `[units]` in a profile: which OSM `boundary=administrative` levels become planning units when
//! no unit layer is given, and what each level is called.
//!
//! Glossary: **admin_level** — OSM's level number. In China (as mapped in OSM): 2 country,
//! 4 province, 5 prefecture city, 6 county / district (区, 县, 县级市), 8 township / subdistrict
//! (街道, 镇, 乡), 10 village / community (村, 社区). A unit's level name comes from its name's
//! suffix where that says it (…街道, …镇, …乡, …社区, …村, …区, …县, …市), else from
//! `admin_level_names`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct UnitsParams {
    /// OSM admin levels to build units from (e.g. `[6, 8, 10]`); empty: none.
    pub admin_levels: Vec<u8>,
    /// Level name per admin level (`"8" = "街道"`), used when a unit's name has no telling suffix.
    pub admin_level_names: BTreeMap<String, String>,
}

impl UnitsParams {
    pub(super) fn validate(&self) -> Result<(), String> {
        for l in &self.admin_levels {
            if !(1..=12).contains(l) {
                return Err(format!("key `units.admin_levels`: {l} is not an OSM admin_level (1–12)"));
            }
        }
        for (k, v) in &self.admin_level_names {
            if !k.parse::<u8>().is_ok_and(|l| (1..=12).contains(&l)) {
                return Err(format!("key `units.admin_level_names.{k}`: must be an admin_level 1–12"));
            }
            if v.trim().is_empty() {
                return Err(format!("key `units.admin_level_names.{k}`: empty level name"));
            }
        }
        Ok(())
    }

    /// The unit level of an admin boundary: the name's suffix, else the configured name, else
    /// `admin_level_<n>`.
    pub fn level_name(&self, admin_level: u8, name: &str) -> String {
        const SUFFIXES: &[&str] = &["街道", "社区", "镇", "乡", "村", "区", "县", "市"];
        if let Some(s) = SUFFIXES.iter().find(|s| name.trim_end().ends_with(*s)) {
            return if *s == "市" && admin_level == 6 { "县级市".into() } else { (*s).to_string() };
        }
        self.admin_level_names
            .get(&admin_level.to_string())
            .cloned()
            .unwrap_or_else(|| format!("admin_level_{admin_level}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_names_from_suffix_then_table() {
        let p = UnitsParams {
            admin_levels: vec![6, 8, 10],
            admin_level_names: [("8".to_string(), "街道".to_string())].into_iter().collect(),
        };
        assert_eq!(p.level_name(8, "五乡镇"), "镇");
        assert_eq!(p.level_name(8, "南门街道"), "街道");
        assert_eq!(p.level_name(10, "沙城村"), "村");
        assert_eq!(p.level_name(6, "海曙区"), "区");
        assert_eq!(p.level_name(6, "瑞安市"), "县级市");
        assert_eq!(p.level_name(8, "Las Palmas de Gran Canaria"), "街道");
        assert_eq!(p.level_name(10, "Vegueta"), "admin_level_10");
        assert!(UnitsParams { admin_levels: vec![13], ..Default::default() }.validate().is_err());
    }
}
