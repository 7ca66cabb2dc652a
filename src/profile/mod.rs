//! Target profiles: what is measured and against which targets.
//!
//! Owns the TOML profile format, its validation, the built-in profiles compiled into the binary
//! (`profiles/*.toml`) and the resolution of yearly targets.
//!
//! Glossary:
//! - **category**: a kind of public service (`childcare`, `health`, …) with OSM tag rules, Chinese
//!   name patterns, a walking-time threshold and a demand group.
//! - **threshold**: the walking time within which a resident counts as covered.
//! - **demand group**: who uses the service (`all`, `age_0_3`, …, `age_60_plus`), as a share of
//!   the population when community data has no age columns.
//! - **quota**: capacity per 1,000 of a base population (`quota_base` = `all` residents or the
//!   demand `group`).
//! - **yearly targets**: `[targets.<year>.<category>]` tables overriding quota, coverage target or
//!   threshold for one year.

pub mod admin_units;
pub mod area_target;
pub mod facility_share;
pub mod tag_rule;
pub mod zh_name;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use admin_units::UnitsParams;
pub use area_target::{AreaKind, AreaTarget, AreaTargetDef};
pub use facility_share::{FacilityShare, FacilityShareDef, ShareCount};
pub use tag_rule::TagRule;

use crate::error::{Error, Result};

/// Built-in profiles, `(name, toml)`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../profiles/default.toml")),
    ("gb50180", include_str!("../../profiles/gb50180.toml")),
    ("zhejiang-2027", include_str!("../../profiles/zhejiang-2027.toml")),
];

/// Age groups a demand may name (besides `all`).
pub const AGE_GROUPS: &[&str] = &["age_0_3", "age_3_6", "age_6_12", "age_12_15", "age_60_plus", "age_65_plus"];

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    pub name: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default = "default_lang")]
    pub lang: String,
    #[serde(default)]
    pub walk: WalkParams,
    #[serde(default)]
    pub population: PopulationParams,
    #[serde(default)]
    pub age_shares: BTreeMap<String, f64>,
    #[serde(default)]
    pub index: IndexWeights,
    #[serde(rename = "category")]
    pub categories: Vec<CategoryDef>,
    /// `year → category → override`.
    #[serde(default)]
    pub targets: BTreeMap<String, BTreeMap<String, TargetOverride>>,
    /// Free-text notes (sources), printed in the report.
    #[serde(default)]
    pub notes: Vec<String>,
    /// `[text_zh]`: the Chinese of the profile's English free text (notes, sources), as
    /// `"English fragment" = "中文"`; a Chinese report replaces each fragment (longest first).
    #[serde(default)]
    pub text_zh: BTreeMap<String, String>,
    /// Presence indicators over administrative units (`[[presence]]`).
    #[serde(default)]
    pub presence: Vec<PresenceDef>,
    /// Area-based targets (`[[area_target]]`): sports ground or cultural floor per resident.
    #[serde(default)]
    pub area_target: Vec<AreaTargetDef>,
    /// Shares of facilities (`[[facility_share]]`), e.g. public care homes that serve meals.
    #[serde(default)]
    pub facility_share: Vec<FacilityShareDef>,
    /// Source of each `[age_shares]` value, by group (absent: printed as a default).
    #[serde(default)]
    pub age_shares_source: BTreeMap<String, String>,
    /// Later shares with their source: `year → group → { share, source }`. A run for `--year Y`
    /// uses the latest entry at or before `Y`, else `[age_shares]`.
    #[serde(default)]
    pub age_shares_by_year: BTreeMap<String, BTreeMap<String, SourcedShare>>,
    /// Ready site-planning scenarios from the plans (`[[plan_scenario]]`), run with `--plan <id>`.
    #[serde(default)]
    pub plan_scenario: Vec<PlanScenario>,
    /// Planning units from OSM admin boundaries (`[units]`).
    #[serde(default)]
    pub units: UnitsParams,
}

/// An age share with its source (`[age_shares_by_year.<year>]`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourcedShare {
    pub share: f64,
    pub source: String,
}

/// A plan's count of new facilities, offered as a site-planning scenario (`--plan <id>`): the
/// plan's N new sites placed where they do most good. A plan input, not a coverage target.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlanScenario {
    pub id: String,
    /// A category id of the profile.
    pub category: String,
    /// New facilities the plan builds.
    pub count: usize,
    /// The year the plan counts them for.
    pub year: i32,
    /// Document, section and quote.
    pub source: String,
}

/// Whether a sourced target is in force for the analysis year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "year")]
pub enum TargetStatus {
    /// No `--year`, no years given, or the year is one the source states.
    InForce,
    /// The year is after the last year the source states: its figure is carried forward.
    CarriedForward(i32),
    /// The year is before the first year the source states: the figure is due later.
    DueIn(i32),
}

impl TargetStatus {
    /// The status of a target stated for `years` in a run for `year`.
    pub fn of(years: &[i32], year: Option<i32>) -> TargetStatus {
        match (year, years.iter().min(), years.iter().max()) {
            (Some(y), Some(&lo), Some(&hi)) if !years.contains(&y) => {
                if y > hi {
                    TargetStatus::CarriedForward(hi)
                } else if y < lo {
                    TargetStatus::DueIn(lo)
                } else {
                    // Between two stated years: the earlier one's figure is carried forward.
                    TargetStatus::CarriedForward(years.iter().copied().filter(|&x| x < y).max().unwrap_or(lo))
                }
            }
            _ => TargetStatus::InForce,
        }
    }
    /// Text for the reports, empty when in force.
    pub fn text(self, lang: Lang) -> String {
        match (self, lang) {
            (TargetStatus::InForce, _) => String::new(),
            (TargetStatus::CarriedForward(y), Lang::Zh) => format!("沿用{y}年指标"),
            (TargetStatus::CarriedForward(y), Lang::En) => format!("carried forward from {y}"),
            (TargetStatus::DueIn(y), Lang::Zh) => format!("{y}年目标，尚未到期"),
            (TargetStatus::DueIn(y), Lang::En) => format!("target for {y}, not yet due"),
        }
    }
}

/// Printed beside a target that no plan or standard states.
pub fn default_label(lang: Lang) -> &'static str {
    lang.pick("默认值（无规划指标）", "default (no plan figure)")
}

/// `profile --show`'s appendix: every target the profile applies, with its source and status, as
/// TOML comments (the output stays a valid profile).
pub fn show_targets(p: &Profile) -> String {
    use std::fmt::Write;
    let lang = Lang::En;
    let mut s = String::from(
        "\n# ---------------------------------------------------------------------------------------------\n",
    );
    let _ = writeln!(
        s,
        "# Targets as applied (year: {}), each with its source, or marked as a default / recalled:",
        p.year.map_or("none, base values".to_string(), |y| y.to_string())
    );
    for line in p.target_lines(lang) {
        let _ = writeln!(s, "#   {line}");
    }
    for t in &p.presence {
        let st = t.status.text(lang);
        let _ = writeln!(
            s,
            "#   presence `{}`: {:.0}% of {} units{} — {}",
            t.id,
            100.0 * t.min_share,
            t.levels.join("/"),
            if st.is_empty() { String::new() } else { format!(" ({st})") },
            if t.source.is_empty() { default_label(lang) } else { &t.source }
        );
    }
    for t in &p.area_targets {
        let mut notes: Vec<String> = Vec::new();
        let st = t.status.text(lang);
        if !st.is_empty() {
            notes.push(st);
        }
        if t.recalled {
            notes.push("recalled, not in the seeds".into());
        }
        if t.district_only {
            notes.push("district-wide".into());
        }
        let _ = writeln!(
            s,
            "#   area_target `{}`: ≥ {}{} — {}",
            t.id,
            t.min_value,
            if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) },
            if t.source.is_empty() { default_label(lang) } else { &t.source }
        );
    }
    for t in &p.facility_shares {
        let st = t.status.text(lang);
        let _ = writeln!(
            s,
            "#   facility_share `{}`: ≥ {:.0}% of {}{} rows with `{}` = yes{} — {}",
            t.id,
            100.0 * t.min_share,
            if t.public_only { "public " } else { "" },
            t.categories.join("/"),
            t.attribute,
            if st.is_empty() { String::new() } else { format!(" ({st})") },
            if t.source.is_empty() { default_label(lang) } else { &t.source }
        );
    }
    for (g, v) in &p.age_shares {
        let src = p.age_share_sources.get(g).map_or(default_label(lang), |s| s.as_str());
        let _ = writeln!(s, "#   age share {g}: {:.2}% — {src}", 100.0 * v);
    }
    for sc in &p.plan_scenarios {
        let _ = writeln!(
            s,
            "#   plan scenario `{}` (--plan {}): {} new {} sites in {} (a plan input, not a target) — {}",
            sc.id, sc.id, sc.count, sc.category, sc.year, sc.source
        );
    }
    s
}

fn default_lang() -> String {
    "en".into()
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct WalkParams {
    pub speed_mps: f64,
    pub elderly_speed_mps: f64,
    pub steps_speed_factor: f64,
    pub snap_limit_m: f64,
    /// Demand points (residents) further than this from every street are not attached: they are
    /// reported per community (`unattached_population`) and count as unserved.
    pub demand_snap_limit_m: f64,
    pub cap_factor: f64,
}

impl Default for WalkParams {
    fn default() -> Self {
        WalkParams {
            speed_mps: 1.1,
            elderly_speed_mps: 0.9,
            steps_speed_factor: 0.6,
            snap_limit_m: 300.0,
            demand_snap_limit_m: 300.0,
            cap_factor: 2.0,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PopulationParams {
    pub m2_per_resident: f64,
    pub default_levels: f64,
    pub grid_cell_m: f64,
    pub sample_spacing_m: f64,
    /// Residential floor area per m² of ground, for residential areas with no buildings mapped.
    pub fallback_floor_area_ratio: f64,
    /// A community whose mapped residential floor area houses less than this share of its known
    /// population (at `m2_per_resident`) keeps only that share on its buildings; the rest sit on
    /// area samples (stray buildings: a bus terminal or one house in a census hexagon).
    pub min_building_share: f64,
}

impl Default for PopulationParams {
    fn default() -> Self {
        PopulationParams {
            m2_per_resident: 35.0,
            default_levels: 3.0,
            grid_cell_m: 500.0,
            sample_spacing_m: 50.0,
            fallback_floor_area_ratio: 1.0,
            min_building_share: 0.1,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct IndexWeights {
    pub access: f64,
    pub balance: f64,
    pub quality: f64,
}

impl Default for IndexWeights {
    fn default() -> Self {
        IndexWeights { access: 0.5, balance: 0.3, quality: 0.2 }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryDef {
    pub id: String,
    #[serde(default)]
    pub label_zh: String,
    #[serde(default)]
    pub label_en: String,
    #[serde(default)]
    pub level: String,
    /// Walking-time threshold in minutes at the profile speed; or give `threshold_m`.
    pub threshold_min: Option<f64>,
    /// Threshold in metres of network distance (GB 50180-2018: 300 / 500 / 800–1000 m), turned
    /// into walking time at `walk.speed_mps`.
    pub threshold_m: Option<f64>,
    #[serde(default = "demand_all")]
    pub demand: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub exclude_names: Vec<String>,
    /// Kinds of the Chinese name classifier ([`zh_name::KINDS`]) that put an object here.
    #[serde(default)]
    pub name_kinds: Vec<String>,
    /// Kinds that keep an object out even when its tags match (unless its name also states one
    /// of `name_kinds`): a 托育园 tagged as a kindergarten, a 高级中学 tagged as secondary.
    #[serde(default)]
    pub exclude_name_kinds: Vec<String>,
    #[serde(default)]
    pub capacity_tags: Vec<String>,
    pub default_capacity: Option<f64>,
    #[serde(default)]
    pub capacity_unit: String,
    pub quota_per_1000: Option<f64>,
    #[serde(default = "quota_base_all")]
    pub quota_base: String,
    #[serde(default = "default_coverage_target")]
    pub coverage_target: f64,
    /// Document, section and year of `coverage_target`; absent: a project default.
    pub coverage_source: Option<String>,
    /// Document, section and year of `quota_per_1000`; absent: a project default.
    pub quota_source: Option<String>,
    /// Years the quota's source states it for (empty: every year).
    #[serde(default)]
    pub quota_years: Vec<i32>,
    #[serde(default = "default_weight")]
    pub weight: f64,
    #[serde(default)]
    pub one_old_one_young: bool,
    /// Site planning objective: `"coverage"` or `"sfca"` (default: sfca when a capacity is given
    /// and the category has a quota, coverage otherwise).
    pub objective: Option<String>,
}

fn demand_all() -> Vec<String> {
    vec!["all".into()]
}
fn quota_base_all() -> String {
    "all".into()
}
fn default_coverage_target() -> f64 {
    0.9
}
fn default_weight() -> f64 {
    1.0
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TargetOverride {
    pub quota_per_1000: Option<f64>,
    pub coverage_target: Option<f64>,
    pub threshold_min: Option<f64>,
    /// Source of the figures of this table (document, section, year).
    pub source: Option<String>,
}

/// Who a quota is counted per.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaBase {
    /// Residents of all ages.
    All,
    /// The category's demand group.
    Group,
}

/// A validated category, with the chosen year's targets applied.
#[derive(Clone, Debug)]
pub struct Category {
    pub id: String,
    pub label_zh: String,
    pub label_en: String,
    pub level: String,
    pub threshold_s: f64,
    /// The threshold as network metres, when the profile gives it so (`threshold_s` is then
    /// `threshold_m / walk.speed_mps`).
    pub threshold_m: Option<f64>,
    /// Age groups whose shares add up to the demand; empty = all residents.
    pub demand: Vec<String>,
    pub tags: Vec<TagRule>,
    pub names: Vec<String>,
    pub exclude_names: Vec<String>,
    pub name_kinds: Vec<String>,
    pub exclude_name_kinds: Vec<String>,
    pub capacity_tags: Vec<String>,
    pub default_capacity: Option<f64>,
    pub capacity_unit: String,
    pub quota_per_1000: Option<f64>,
    pub quota_base: QuotaBase,
    pub coverage_target: f64,
    /// Source of the coverage target; `None`: a project default.
    pub coverage_source: Option<String>,
    /// Source of the quota; `None`: a project default.
    pub quota_source: Option<String>,
    /// Whether the quota is in force for the analysis year.
    pub quota_status: TargetStatus,
    /// A quota whose source states it only for a later year: printed, not applied
    /// (`quota_per_1000` is then `None`).
    pub quota_not_yet_due: Option<f64>,
    pub weight: f64,
    pub one_old_one_young: bool,
    /// The profile's site planning objective for this category, if it sets one.
    pub objective: Option<PlanObjective>,
}

/// What site planning maximises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanObjective {
    /// Residents of the demand group newly within the threshold.
    Coverage,
    /// 2SFCA shortfall closed (places), needs a capacity and a per-1,000 quota.
    Sfca,
}

impl Category {
    /// Threshold in the kernels' unit.
    pub fn threshold_ds(&self) -> u32 {
        (self.threshold_s * 10.0).round() as u32
    }
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh if !self.label_zh.is_empty() => &self.label_zh,
            _ if !self.label_en.is_empty() => &self.label_en,
            _ => &self.id,
        }
    }
    /// Whether the demand group is everyone.
    pub fn demand_is_all(&self) -> bool {
        self.demand.is_empty()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The label in this language: `zh` for Chinese, `en` for English.
    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A validated profile for one analysis year.
#[derive(Clone, Debug)]
pub struct Profile {
    pub name: String,
    pub source: String,
    pub title_zh: String,
    pub title_en: String,
    pub lang: Lang,
    pub walk: WalkParams,
    pub population: PopulationParams,
    pub age_shares: BTreeMap<String, f64>,
    /// Source of each age share in force (group → text); a group without one is a default.
    pub age_share_sources: BTreeMap<String, String>,
    pub index: IndexWeights,
    pub categories: Vec<Category>,
    /// The year whose targets were applied, if any.
    pub year: Option<i32>,
    /// Years that have targets.
    pub years: Vec<i32>,
    pub notes: Vec<String>,
    /// `[text_zh]` fragments, longest English first (see [`Profile::free_text`]).
    pub text_zh: Vec<(String, String)>,
    /// The raw TOML, for `profile --show`.
    pub raw: String,
    /// Validated presence indicators (`[[presence]]`), in file order.
    pub presence: Vec<Presence>,
    /// Validated area targets (`[[area_target]]`), the year's milestone applied, in file order.
    pub area_targets: Vec<AreaTarget>,
    /// Validated facility-share indicators (`[[facility_share]]`), in file order.
    pub facility_shares: Vec<FacilityShare>,
    /// OSM admin levels that become planning units when no unit layer is given.
    pub units: UnitsParams,
    /// Ready site-planning scenarios (`--plan <id>`).
    pub plan_scenarios: Vec<PlanScenario>,
}

/// A presence indicator as written in a profile (`[[presence]]`): the share of administrative
/// units of some level (街道 / 镇, 社区 / 村, …) that have a facility of a category, e.g. “老年学校
/// 镇(乡)街道覆盖率 100%”.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PresenceDef {
    pub id: String,
    #[serde(default)]
    pub label_zh: String,
    #[serde(default)]
    pub label_en: String,
    /// A category id of the profile.
    pub category: String,
    /// Only facilities whose name contains one of these patterns count (empty: every facility of
    /// the category).
    #[serde(default)]
    pub names: Vec<String>,
    /// Every pattern of `names` must be matched by some facility (e.g. 一场两馆: 体育场 and 体育馆
    /// and 游泳馆), instead of any one.
    #[serde(default)]
    pub all_names: bool,
    /// Unit level names the indicator applies to, e.g. `["街道", "镇", "乡"]`.
    pub level: Vec<String>,
    /// Share of those units that must pass, 0–1.
    pub min_share: f64,
    /// `contains` (a facility inside the unit polygon) or `within` (reachable from the unit's
    /// residents within `minutes` of walking).
    pub mode: String,
    pub minutes: Option<f64>,
    /// Free text citing the source of the target.
    #[serde(default)]
    pub source: String,
    /// Years the source states the target for (empty: every year).
    #[serde(default)]
    pub years: Vec<i32>,
}

/// How a unit passes a presence indicator.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceMode {
    /// A facility of the category lies inside the unit polygon.
    Contains,
    /// Some resident of the unit reaches a facility of the category within `minutes` of walking.
    Within { minutes: f64 },
}

/// A validated presence indicator.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Presence {
    pub id: String,
    pub label_zh: String,
    pub label_en: String,
    /// Index into the profile's categories.
    pub category: usize,
    pub names: Vec<String>,
    pub all_names: bool,
    pub levels: Vec<String>,
    pub min_share: f64,
    pub mode: PresenceMode,
    pub source: String,
    /// Whether the target is in force for the analysis year.
    pub status: TargetStatus,
}

/// Validates the `[[presence]]` tables against the categories; errors name the table and the key.
fn validate_presence(file: &ProfileFile, year: Option<i32>) -> Result<Vec<Presence>, String> {
    let mut out: Vec<Presence> = Vec::with_capacity(file.presence.len());
    for (i, p) in file.presence.iter().enumerate() {
        let at = format!("presence[{i}] ({})", p.id);
        let valid_id = p.id.chars().next().is_some_and(|ch| ch.is_ascii_lowercase())
            && p.id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !valid_id {
            return Err(format!("{at}: key `id`: must be ASCII snake_case"));
        }
        if out.iter().any(|q| q.id == p.id) {
            return Err(format!("{at}: key `id`: duplicate presence id"));
        }
        let category = file.categories.iter().position(|c| c.id == p.category).ok_or_else(|| {
            let known: Vec<&str> = file.categories.iter().map(|c| c.id.as_str()).collect();
            format!("{at}: key `category` = {:?}: unknown category (known: {})", p.category, known.join(", "))
        })?;
        if p.level.is_empty() {
            return Err(format!("{at}: key `level`: must list at least one unit level, e.g. [\"街道\", \"镇\"]"));
        }
        let mut levels: Vec<String> = Vec::with_capacity(p.level.len());
        for l in &p.level {
            let l = l.trim();
            if l.is_empty() {
                return Err(format!("{at}: key `level`: empty level name"));
            }
            if levels.iter().any(|x| x == l) {
                return Err(format!("{at}: key `level`: level {l:?} listed twice"));
            }
            levels.push(l.to_string());
        }
        check_range(&format!("{at}.min_share"), p.min_share, 0.0, 1.0)?;
        if p.names.iter().any(|n| n.trim().is_empty()) {
            return Err(format!("{at}: key `names`: empty name pattern"));
        }
        if p.all_names && p.names.is_empty() {
            return Err(format!(
                "{at}: key `all_names`: needs `names` to list the facilities that must all be present"
            ));
        }
        let mode = match (p.mode.as_str(), p.minutes) {
            ("contains", None) => PresenceMode::Contains,
            ("contains", Some(_)) => {
                return Err(format!("{at}: key `minutes`: only applies to mode = \"within\""));
            }
            ("within", None) => return Err(format!("{at}: key `minutes`: required with mode = \"within\"")),
            ("within", Some(m)) => {
                check_range(&format!("{at}.minutes"), m, 0.5, 120.0)?;
                PresenceMode::Within { minutes: m }
            }
            (m, _) => return Err(format!("{at}: key `mode` = {m:?}: must be \"contains\" or \"within\"")),
        };
        out.push(Presence {
            id: p.id.clone(),
            label_zh: p.label_zh.clone(),
            label_en: p.label_en.clone(),
            category,
            names: p.names.iter().map(|n| n.trim().to_string()).collect(),
            all_names: p.all_names,
            levels,
            min_share: p.min_share,
            mode,
            source: p.source.clone(),
            status: TargetStatus::of(&p.years, year),
        });
    }
    Ok(out)
}

impl Profile {
    /// The profile's free text (a note, a source) in `lang`: in Chinese, every `[text_zh]` fragment
    /// replaced by its Chinese (longest first); in English as written.
    pub fn free_text(&self, text: &str, lang: Lang) -> String {
        let mut s = text.to_string();
        if lang == Lang::Zh {
            for (en, zh) in &self.text_zh {
                if s.contains(en.as_str()) {
                    s = s.replace(en.as_str(), zh);
                }
            }
        }
        s
    }

    /// Loads a built-in profile by name, or a TOML file by path.
    pub fn load(name_or_path: &str, year: Option<i32>) -> Result<Profile> {
        if let Some((name, text)) = BUILTIN.iter().find(|(n, _)| *n == name_or_path) {
            return Profile::parse(text, &format!("built-in profile {name}"), year);
        }
        let path = std::path::Path::new(name_or_path);
        if !path.exists() {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            return Err(Error::Profile {
                path: name_or_path.into(),
                msg: format!("no such profile file, and not a built-in profile (built-in: {})", names.join(", ")),
            });
        }
        let bytes = std::fs::read(path).map_err(|e| Error::Io { path: path.to_path_buf(), cause: e })?;
        let text = String::from_utf8(bytes).map_err(|e| Error::Profile {
            path: name_or_path.into(),
            msg: format!(
                "not UTF-8 text (invalid byte at offset {}); save the profile as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        })?;
        Profile::parse(&text, name_or_path, year)
    }

    /// Parses and validates a profile; errors name the offending key.
    pub fn parse(text: &str, source: &str, year: Option<i32>) -> Result<Profile> {
        let err = |msg: String| Error::Profile { path: source.to_string(), msg };
        let file: ProfileFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|r| text[..r.start.min(text.len())].matches('\n').count() + 1);
            let msg = e.message().trim().replace('\n', " ");
            match line {
                Some(l) => err(format!("line {l}: {msg}")),
                None => err(msg),
            }
        })?;
        file.validate().map_err(err)?;
        let presence = validate_presence(&file, year).map_err(err)?;
        let area_targets = area_target::validate_area_targets(&file, year).map_err(err)?;
        let facility_shares = facility_share::validate_facility_shares(&file, year).map_err(err)?;
        file.units.validate().map_err(err)?;
        let mut years: Vec<i32> = file.targets.keys().filter_map(|y| y.parse().ok()).collect();
        years.sort_unstable();
        if let Some(y) = year
            && file.targets.is_empty()
        {
            return Err(err(format!(
                "no targets for year {y}: the profile has no yearly targets ([targets.<year>.<category>] tables)"
            )));
        }
        if let Some(y) = year
            && !years.contains(&y)
        {
            return Err(err(format!(
                "no targets for year {y} (profile has {})",
                years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")
            )));
        }
        let lang = if file.lang == "zh" { Lang::Zh } else { Lang::En };
        let mut age_shares = file.age_shares.clone();
        let mut age_share_sources = file.age_shares_source.clone();
        if let Some(y) = year {
            // Latest figure at or before the year, per group.
            for (yy, shares) in &file.age_shares_by_year {
                if yy.parse::<i32>().is_ok_and(|yy| yy <= y) {
                    for (g, s) in shares {
                        age_shares.insert(g.clone(), s.share);
                        age_share_sources.insert(g.clone(), format!("{} ({yy})", s.source));
                    }
                }
            }
        }
        let mut categories = Vec::with_capacity(file.categories.len());
        for c in &file.categories {
            let mut cat = Category {
                id: c.id.clone(),
                label_zh: c.label_zh.clone(),
                label_en: c.label_en.clone(),
                level: c.level.clone(),
                threshold_s: match c.threshold_m {
                    Some(m) => m / file.walk.speed_mps,
                    None => c.threshold_min.unwrap_or(15.0) * 60.0,
                },
                threshold_m: c.threshold_m,
                demand: c.demand.iter().filter(|d| *d != "all").cloned().collect(),
                tags: c.tags.iter().map(|t| TagRule::parse(t).expect("validated")).collect(),
                names: c.names.clone(),
                exclude_names: c.exclude_names.clone(),
                name_kinds: c.name_kinds.clone(),
                exclude_name_kinds: c.exclude_name_kinds.clone(),
                capacity_tags: c.capacity_tags.clone(),
                default_capacity: c.default_capacity,
                capacity_unit: c.capacity_unit.clone(),
                quota_per_1000: c.quota_per_1000,
                quota_base: if c.quota_base == "group" { QuotaBase::Group } else { QuotaBase::All },
                coverage_target: c.coverage_target,
                coverage_source: c.coverage_source.clone(),
                quota_source: c.quota_source.clone(),
                quota_status: TargetStatus::of(&c.quota_years, year),
                quota_not_yet_due: None,
                weight: c.weight,
                one_old_one_young: c.one_old_one_young,
                objective: match c.objective.as_deref() {
                    Some("sfca") => Some(PlanObjective::Sfca),
                    Some(_) => Some(PlanObjective::Coverage),
                    None => None,
                },
            };
            if let Some(y) = year
                && let Some(o) = file.targets.get(&y.to_string()).and_then(|t| t.get(&c.id))
            {
                if let Some(q) = o.quota_per_1000 {
                    cat.quota_per_1000 = Some(q);
                    cat.quota_source = o.source.clone();
                    cat.quota_status = TargetStatus::InForce;
                }
                if let Some(t) = o.coverage_target {
                    cat.coverage_target = t;
                    cat.coverage_source = o.source.clone();
                }
                if let Some(t) = o.threshold_min {
                    cat.threshold_s = t * 60.0;
                    cat.threshold_m = None;
                }
            }
            if matches!(cat.quota_status, TargetStatus::DueIn(_)) {
                cat.quota_not_yet_due = cat.quota_per_1000.take();
            }
            categories.push(cat);
        }
        Ok(Profile {
            name: file.name.clone(),
            source: source.to_string(),
            title_zh: file.title_zh.clone(),
            title_en: file.title_en.clone(),
            lang,
            walk: file.walk.clone(),
            population: file.population.clone(),
            age_shares,
            age_share_sources,
            index: file.index.clone(),
            categories,
            year,
            years,
            notes: file.notes.clone(),
            text_zh: {
                let mut t: Vec<(String, String)> = file.text_zh.clone().into_iter().collect();
                t.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
                t
            },
            raw: text.to_string(),
            presence,
            area_targets,
            facility_shares,
            units: file.units.clone(),
            plan_scenarios: file.plan_scenario.clone(),
        })
    }

    /// The ready plan scenario `id`, if the profile has one.
    pub fn plan_scenario(&self, id: &str) -> Option<&PlanScenario> {
        self.plan_scenarios.iter().find(|s| s.id == id)
    }

    /// One line per printed target: the category's coverage target, quota and threshold with
    /// their source and status, or marked as a project default. For the reports and
    /// `profile --show`.
    pub fn target_lines(&self, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.categories {
            let cov = c.coverage_source.as_deref().unwrap_or(default_label(lang));
            let mut line = format!(
                "`{}` {}: {} {:.0}% — {}",
                c.id,
                c.label(lang),
                lang.pick("覆盖率目标", "coverage target"),
                100.0 * c.coverage_target,
                cov
            );
            if let Some(q) = c.quota_per_1000.or(c.quota_not_yet_due) {
                let src = c.quota_source.as_deref().unwrap_or(default_label(lang));
                let st = c.quota_status.text(lang);
                line.push_str(&format!(
                    "; {} {q} — {src}{}{st}",
                    lang.pick("千人指标", "quota per 1,000"),
                    if st.is_empty() { "" } else { "; " }
                ));
            }
            match c.threshold_m {
                Some(m) => line.push_str(&format!(
                    "; {} {m:.0} m {} ({:.1} min @ {} m/s)",
                    lang.pick("阈值", "threshold"),
                    lang.pick("路网距离", "network distance"),
                    c.threshold_s / 60.0,
                    self.walk.speed_mps
                )),
                None => line.push_str(&format!("; {} {:.0} min", lang.pick("阈值", "threshold"), c.threshold_s / 60.0)),
            }
            out.push(line);
        }
        out
    }

    /// Index of a category by id.
    pub fn category_index(&self, id: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.id == id)
    }

    /// Share of the population in a category's demand group (1.0 for `all`).
    pub fn demand_share(&self, cat: &Category) -> f64 {
        if cat.demand_is_all() {
            1.0
        } else {
            cat.demand.iter().map(|g| self.age_shares.get(g).copied().unwrap_or(0.0)).sum()
        }
    }

    /// The search cap of a category: `cap_factor ×` its threshold, in deciseconds.
    pub fn cap_ds(&self, cat: &Category) -> u32 {
        (cat.threshold_s * self.walk.cap_factor * 10.0).round() as u32
    }
}

fn check_range(key: &str, v: f64, lo: f64, hi: f64) -> Result<(), String> {
    if !v.is_finite() || v < lo || v > hi {
        return Err(format!("key `{key}` = {v}: must be between {lo} and {hi}"));
    }
    Ok(())
}

impl ProfileFile {
    fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("key `name`: must not be empty".into());
        }
        if !matches!(self.lang.as_str(), "zh" | "en") {
            return Err(format!("key `lang` = {:?}: must be \"zh\" or \"en\"", self.lang));
        }
        // The Chinese goes into Markdown and into report.html's JSON and HTML as is.
        for (en, zh) in &self.text_zh {
            if en.trim().is_empty() {
                return Err("[text_zh]: an empty key".into());
            }
            if let Some(c) = zh.chars().find(|c| matches!(c, '"' | '\\' | '<' | '>' | '&' | '\n')) {
                return Err(format!("[text_zh] {en:?}: the Chinese must not contain {c:?} (use “” for quotes)"));
            }
        }
        let w = &self.walk;
        check_range("walk.speed_mps", w.speed_mps, 0.2, 3.0)?;
        check_range("walk.elderly_speed_mps", w.elderly_speed_mps, 0.2, 3.0)?;
        check_range("walk.steps_speed_factor", w.steps_speed_factor, 0.1, 1.0)?;
        check_range("walk.snap_limit_m", w.snap_limit_m, 1.0, 10_000.0)?;
        check_range("walk.demand_snap_limit_m", w.demand_snap_limit_m, 1.0, 10_000.0)?;
        check_range("walk.cap_factor", w.cap_factor, 1.0, 4.0)?;
        let p = &self.population;
        check_range("population.m2_per_resident", p.m2_per_resident, 1.0, 1000.0)?;
        check_range("population.default_levels", p.default_levels, 1.0, 200.0)?;
        check_range("population.grid_cell_m", p.grid_cell_m, 50.0, 10_000.0)?;
        check_range("population.sample_spacing_m", p.sample_spacing_m, 5.0, 1000.0)?;
        check_range("population.fallback_floor_area_ratio", p.fallback_floor_area_ratio, 0.0, 20.0)?;
        check_range("population.min_building_share", p.min_building_share, 0.0, 1.0)?;
        for (k, v) in &self.age_shares {
            if !AGE_GROUPS.contains(&k.as_str()) {
                return Err(format!("key `age_shares.{k}`: unknown age group (known: {})", AGE_GROUPS.join(", ")));
            }
            check_range(&format!("age_shares.{k}"), *v, 0.0, 1.0)?;
        }
        check_range("index.access", self.index.access, 0.0, 1.0)?;
        check_range("index.balance", self.index.balance, 0.0, 1.0)?;
        check_range("index.quality", self.index.quality, 0.0, 1.0)?;
        if self.index.access + self.index.balance + self.index.quality <= 0.0 {
            return Err("keys `index.*`: weights must not all be zero".into());
        }
        if self.categories.is_empty() {
            return Err("no [[category]] defined".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, c) in self.categories.iter().enumerate() {
            let at = format!("category[{i}] ({})", c.id);
            let valid_id = !c.id.is_empty()
                && c.id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
                && c.id.chars().next().is_some_and(|ch| ch.is_ascii_lowercase());
            if !valid_id {
                return Err(format!("{at}: key `id`: must be ASCII snake_case"));
            }
            if !seen.insert(c.id.clone()) {
                return Err(format!("{at}: key `id`: duplicate category id"));
            }
            match (c.threshold_min, c.threshold_m) {
                (Some(t), None) => check_range(&format!("{at}.threshold_min"), t, 0.5, 120.0)?,
                (None, Some(m)) => check_range(&format!("{at}.threshold_m"), m, 20.0, 10_000.0)?,
                (Some(_), Some(_)) => {
                    return Err(format!("{at}: keys `threshold_min` and `threshold_m`: give one, not both"));
                }
                (None, None) => return Err(format!("{at}: needs `threshold_min` (minutes) or `threshold_m` (metres)")),
            }
            for y in &c.quota_years {
                check_range(&format!("{at}.quota_years"), *y as f64, 1990.0, 2100.0)?;
            }
            check_range(&format!("{at}.coverage_target"), c.coverage_target, 0.0, 1.0)?;
            check_range(&format!("{at}.weight"), c.weight, 0.0, 100.0)?;
            if let Some(q) = c.quota_per_1000 {
                check_range(&format!("{at}.quota_per_1000"), q, 0.0, 1_000_000.0)?;
            }
            if let Some(q) = c.default_capacity {
                check_range(&format!("{at}.default_capacity"), q, 0.0, 1_000_000.0)?;
            }
            if let Some(o) = &c.objective
                && !matches!(o.as_str(), "coverage" | "sfca")
            {
                return Err(format!("{at}: key `objective` = {o:?}: must be \"coverage\" or \"sfca\""));
            }
            if !matches!(c.quota_base.as_str(), "all" | "group") {
                return Err(format!("{at}: key `quota_base` = {:?}: must be \"all\" or \"group\"", c.quota_base));
            }
            if c.demand.is_empty() {
                return Err(format!("{at}: key `demand`: must not be empty (use [\"all\"])"));
            }
            for d in &c.demand {
                if d != "all" && !AGE_GROUPS.contains(&d.as_str()) {
                    return Err(format!(
                        "{at}: key `demand`: unknown group {d:?} (known: all, {})",
                        AGE_GROUPS.join(", ")
                    ));
                }
                if d != "all" && !self.age_shares.contains_key(d) {
                    return Err(format!("{at}: key `demand`: group {d:?} has no share in [age_shares]"));
                }
            }
            for t in &c.tags {
                TagRule::parse(t).map_err(|e| format!("{at}: key `tags`: {e}"))?;
            }
            for (key, kinds) in [("name_kinds", &c.name_kinds), ("exclude_name_kinds", &c.exclude_name_kinds)] {
                if let Some(k) = kinds.iter().find(|k| !zh_name::KINDS.contains(&k.as_str())) {
                    return Err(format!(
                        "{at}: key `{key}`: unknown kind {k:?} (known: {})",
                        zh_name::KINDS.join(", ")
                    ));
                }
            }
            if c.tags.is_empty() && c.names.is_empty() && c.name_kinds.is_empty() {
                return Err(format!("{at}: needs `tags`, `names` or `name_kinds` to find facilities"));
            }
        }
        for (year, shares) in &self.age_shares_by_year {
            year.parse::<i32>()
                .ok()
                .filter(|y| (1990..=2100).contains(y))
                .ok_or_else(|| format!("key `age_shares_by_year.{year}`: the table name must be a year 1990–2100"))?;
            for (k, v) in shares {
                if !AGE_GROUPS.contains(&k.as_str()) {
                    return Err(format!("key `age_shares_by_year.{year}.{k}`: unknown age group"));
                }
                check_range(&format!("age_shares_by_year.{year}.{k}.share"), v.share, 0.0, 1.0)?;
            }
        }
        for (i, s) in self.plan_scenario.iter().enumerate() {
            if !self.categories.iter().any(|c| c.id == s.category) {
                return Err(format!(
                    "plan_scenario[{i}] ({}): key `category` = {:?}: unknown category",
                    s.id, s.category
                ));
            }
            if s.count == 0 || s.count > 10_000 {
                return Err(format!("plan_scenario[{i}] ({}): key `count`: must be 1–10000", s.id));
            }
            if self.plan_scenario[..i].iter().any(|t| t.id == s.id) {
                return Err(format!("plan_scenario[{i}] ({}): key `id`: duplicate", s.id));
            }
        }
        for (year, cats) in &self.targets {
            let y: i32 = year.parse().map_err(|_| format!("key `targets.{year}`: the table name must be a year"))?;
            if !(1990..=2100).contains(&y) {
                return Err(format!("key `targets.{year}`: year out of range"));
            }
            for (cid, o) in cats {
                if !seen.contains(cid) {
                    return Err(format!("key `targets.{year}.{cid}`: unknown category"));
                }
                if let Some(q) = o.quota_per_1000 {
                    check_range(&format!("targets.{year}.{cid}.quota_per_1000"), q, 0.0, 1_000_000.0)?;
                }
                if let Some(t) = o.coverage_target {
                    check_range(&format!("targets.{year}.{cid}.coverage_target"), t, 0.0, 1.0)?;
                }
                if let Some(t) = o.threshold_min {
                    check_range(&format!("targets.{year}.{cid}.threshold_min"), t, 0.5, 120.0)?;
                }
            }
        }
        Ok(())
    }
}

/// Keys whose presence marks an object as infrastructure or a place, not a facility: their names
/// (a road called 中学路, a bus stop called 小学站) never count as facility names.
const NOT_A_FACILITY_KEYS: &[&str] = &[
    "highway",
    "railway",
    "public_transport",
    "route",
    "boundary",
    "waterway",
    "natural",
    "place",
    "landuse",
    "bridge",
    "tunnel",
];
/// Name keys searched for the Chinese name patterns.
pub const NAME_KEYS: &[&str] = &["name", "name:zh", "name:zh-Hans", "name:zh-Hant", "official_name"];

impl Profile {
    /// Categories (indices) an OSM object with these tags serves: any tag rule of the category
    /// matches, or one of its name patterns occurs in a name (unless an exclusion pattern does too,
    /// or the object is infrastructure such as a road or a stop), or the Chinese name classifier
    /// ([`zh_name::name_kinds`]) reads one of its `name_kinds` in a name. A name of a kind in
    /// `exclude_name_kinds` (and of none in `name_kinds`) keeps the object out, tags or not.
    pub fn classify<'a>(&self, get: impl Fn(&str) -> Option<&'a str> + Copy) -> Vec<u16> {
        let mut out = Vec::new();
        let names_allowed = !NOT_A_FACILITY_KEYS.iter().any(|k| get(k).is_some());
        let mut kinds: Option<Vec<&'static str>> = None;
        let mut name_kinds = || -> Vec<&'static str> {
            kinds
                .get_or_insert_with(|| {
                    let mut all: Vec<&'static str> = Vec::new();
                    if names_allowed {
                        for n in NAME_KEYS.iter().filter_map(|k| get(k)) {
                            for k in zh_name::name_kinds(n) {
                                if !all.contains(&k) {
                                    all.push(k);
                                }
                            }
                        }
                    }
                    all
                })
                .clone()
        };
        for (i, c) in self.categories.iter().enumerate() {
            let stated =
                |kinds: &[&str], wanted: &[String]| kinds.iter().any(|k| wanted.iter().any(|w| w.as_str() == *k));
            if !c.exclude_name_kinds.is_empty() {
                let k = name_kinds();
                if stated(&k, &c.exclude_name_kinds) && !stated(&k, &c.name_kinds) {
                    continue;
                }
            }
            let by_tag = c.tags.iter().any(|r| r.matches(get));
            let by_name = !by_tag
                && names_allowed
                && !c.names.is_empty()
                && NAME_KEYS.iter().filter_map(|k| get(k)).any(|n| {
                    c.names.iter().any(|p| n.contains(p.as_str()))
                        && !c.exclude_names.iter().any(|p| n.contains(p.as_str()))
                });
            let by_kind = !by_tag && !by_name && !c.name_kinds.is_empty() && stated(&name_kinds(), &c.name_kinds);
            if by_tag || by_name || by_kind {
                out.push(i as u16);
            }
        }
        out
    }

    /// Every tag key a capacity may be read from, over all categories.
    pub fn capacity_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.categories.iter().flat_map(|c| c.capacity_tags.iter().cloned()).collect();
        keys.sort();
        keys.dedup();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profiles_parse() {
        for (name, text) in BUILTIN {
            let p = Profile::parse(text, name, None).unwrap();
            assert_eq!(&p.name, name);
            assert!(p.categories.len() >= 10);
        }
    }

    /// The Chinese name decides where tags say less or the wrong thing (issue 12, item 7).
    #[test]
    fn chinese_names_override_misleading_tags_and_fill_missing_ones() {
        for name in ["zhejiang-2027", "default", "gb50180"] {
            let p = Profile::load(name, None).unwrap();
            let ids = |tags: &[(&str, &str)]| -> Vec<String> {
                let get = |k: &str| tags.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v);
                p.classify(get).into_iter().map(|i| p.categories[i as usize].id.clone()).collect()
            };
            let has = |tags: &[(&str, &str)], id: &str| ids(tags).iter().any(|c| c == id);
            // Senior high school tagged as secondary: not junior.
            let senior = [("amenity", "school"), ("school", "secondary"), ("name", "浙江省杭州高级中学")];
            assert!(!has(&senior, "junior_school"), "{name}: {:?}", ids(&senior));
            // A complete middle school is junior (and senior).
            let complete = [("amenity", "school"), ("school", "secondary"), ("name", "杭州市长河完全中学")];
            assert!(has(&complete, "junior_school"), "{name}");
            // Abbreviated primary school without level tags.
            let primary = [("amenity", "school"), ("name", "古荡一小")];
            assert!(has(&primary, "primary_school"), "{name}: {:?}", ids(&primary));
            // Nine-year school: primary and junior by name alone.
            let nine = [("building", "school"), ("name", "杭州市XX九年一贯制学校")];
            assert!(has(&nine, "primary_school") && has(&nine, "junior_school"), "{name}: {:?}", ids(&nine));
            // A 托育园 tagged as a kindergarten is childcare, not a kindergarten.
            let tuoyu = [("amenity", "kindergarten"), ("name", "XX托育园")];
            assert!(has(&tuoyu, "childcare") && !has(&tuoyu, "kindergarten"), "{name}: {:?}", ids(&tuoyu));
            // A general hospital is not 社区卫生; a township health centre is, by name alone.
            let hospital = [("amenity", "hospital"), ("name", "杭州市第一人民医院")];
            assert!(!has(&hospital, "health"), "{name}");
            let township = [("building", "yes"), ("name", "XX镇卫生院")];
            assert!(has(&township, "health"), "{name}");
            // A road named after a school is still not a school.
            let road = [("highway", "residential"), ("name", "古荡一小路")];
            assert!(ids(&road).is_empty());
        }
        // Day care vs residential vs meals (default and zhejiang-2027 have all three).
        let p = Profile::load("zhejiang-2027", None).unwrap();
        let ids = |n: &str, extra: (&str, &str)| -> Vec<String> {
            let tags = [("name", n), extra];
            let get = |k: &str| tags.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v);
            p.classify(get).into_iter().map(|i| p.categories[i as usize].id.clone()).collect()
        };
        assert_eq!(ids("古荡街道居家养老服务中心", ("building", "yes")), vec!["elderly_daycare"]);
        assert_eq!(ids("XX镇敬老院", ("building", "yes")), vec!["elderly_care"]);
        assert_eq!(ids("XX社区老年食堂", ("building", "yes")), vec!["elderly_meals"]);
        // Tagged as a nursing home, named as day care: day care.
        assert_eq!(ids("XX社区居家养老服务照料中心", ("social_facility", "nursing_home")), vec!["elderly_daycare"]);
    }

    #[test]
    fn unknown_name_kind_is_named() {
        let text = BUILTIN[0].1.replacen("name_kinds = [\"childcare\"]", "name_kinds = [\"creche\"]", 1);
        let e = Profile::parse(&text, "x.toml", None).unwrap_err().to_string();
        assert!(e.contains("x.toml") && e.contains("creche") && e.contains("name_kinds"), "{e}");
    }

    #[test]
    fn unknown_key_is_named() {
        let text = BUILTIN[0].1.replace("speed_mps = 1.1", "speed_mps = 1.1\nsped = 2");
        let e = Profile::parse(&text, "x.toml", None).unwrap_err().to_string();
        assert!(e.contains("x.toml") && e.contains("sped"), "{e}");
    }

    #[test]
    fn impossible_value_is_named() {
        let text = BUILTIN[0].1.replace("speed_mps = 1.1", "speed_mps = -1");
        let e = Profile::parse(&text, "x.toml", None).unwrap_err().to_string();
        assert!(e.contains("walk.speed_mps"), "{e}");
    }

    fn builtin(name: &str, year: Option<i32>) -> Result<Profile> {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name).expect("built-in profile");
        Profile::parse(text, name, year)
    }

    fn quota(p: &Profile, id: &str) -> Option<f64> {
        p.categories[p.category_index(id).expect(id)].quota_per_1000
    }

    /// Ids of the categories an object with these tags is classified into.
    fn classified(p: &Profile, kv: &[(&str, &str)]) -> Vec<String> {
        let get = |k: &str| kv.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
        p.classify(get).into_iter().map(|i| p.categories[i as usize].id.clone()).collect()
    }

    #[test]
    fn gb50180_parses_without_targets() {
        let gb = builtin("gb50180", None).unwrap();
        assert_eq!(gb.name, "gb50180");
        assert!(gb.years.is_empty(), "GB 50180 has no yearly targets");
        assert!(gb.categories.iter().all(|c| c.quota_per_1000.is_none()));
    }

    #[test]
    fn zhejiang_2027_parses_with_years_2023_to_2027() {
        let zj = builtin("zhejiang-2027", None).unwrap();
        assert_eq!(zj.name, "zhejiang-2027");
        assert_eq!(zj.lang, Lang::Zh);
        assert_eq!(zj.years, vec![2023, 2024, 2025, 2026, 2027]);
        assert!(!zj.notes.is_empty());
        assert!(zj.notes.iter().any(|n| n.contains("004_884a96158c1703ec")));
        assert!(zj.notes.iter().any(|n| n.contains("000_8ed796a6c9fbd30b")));
        assert!(Profile::load("zhejiang-2027", Some(2025)).is_ok());
    }

    #[test]
    fn gb50180_thresholds_follow_the_life_circle_levels() {
        let gb = builtin("gb50180", None).unwrap();
        for c in &gb.categories {
            let minutes = match c.level.as_str() {
                "5-min" => 5.0,
                "10-min" => 10.0,
                "15-min" => 15.0,
                other => panic!("{}: unexpected level {other}", c.id),
            };
            // Network metres of the standard (checked in gb50180_thresholds_are_network_metres).
            assert!(c.threshold_m.is_some() && minutes > 0.0, "{}", c.id);
        }
        let level = |id: &str| gb.categories[gb.category_index(id).expect(id)].level.clone();
        for id in ["kindergarten", "childcare", "elderly_daycare", "community_service", "health_station"] {
            assert_eq!(level(id), "5-min", "{id}");
        }
        for id in ["primary_school", "sports"] {
            assert_eq!(level(id), "10-min", "{id}");
        }
        for id in ["junior_school", "health", "culture", "elderly_care"] {
            assert_eq!(level(id), "15-min", "{id}");
        }
        assert!((gb.walk.speed_mps - 1.1).abs() < 1e-12);
    }

    #[test]
    fn gb50180_higher_tier_does_not_stand_in_for_a_lower_one() {
        let gb = builtin("gb50180", None).unwrap();
        let centre =
            classified(&gb, &[("amenity", "clinic"), ("healthcare", "centre"), ("name", "五常街道社区卫生服务中心")]);
        assert!(centre.contains(&"health".into()), "{centre:?}");
        assert!(!centre.contains(&"health_station".into()), "{centre:?}");
        let station = classified(&gb, &[("name", "荷花社区卫生服务站")]);
        assert_eq!(station, vec!["health_station".to_string()]);

        let hall = classified(&gb, &[("leisure", "sports_centre"), ("name", "龙湾体育馆")]);
        assert_eq!(hall, vec!["sports_centre".to_string()]);
        let fitness = classified(&gb, &[("leisure", "fitness_station")]);
        assert_eq!(fitness, vec!["fitness".to_string()]);

        let street = classified(&gb, &[("name", "永中街道办事处")]);
        assert_eq!(street, vec!["street_service".to_string()]);
        let committee = classified(&gb, &[("name", "沙河社区居委会")]);
        assert_eq!(committee, vec!["community_service".to_string()]);

        let library = classified(&gb, &[("amenity", "library")]);
        assert_eq!(library, vec!["culture".to_string()]);
        let hall = classified(&gb, &[("name", "沙城村文化礼堂")]);
        assert_eq!(hall, vec!["culture_station".to_string()]);
    }

    #[test]
    fn zhejiang_2027_childcare_quota_follows_the_haishu_table() {
        let expected = [(2023, 4.0), (2024, 4.3), (2025, 4.6), (2026, 5.0), (2027, 5.5)];
        for (year, q) in expected {
            let p = builtin("zhejiang-2027", Some(year)).unwrap();
            assert_eq!(p.year, Some(year));
            assert_eq!(quota(&p, "childcare"), Some(q), "{year}");
        }
        let y2023 = builtin("zhejiang-2027", Some(2023)).unwrap();
        let y2027 = builtin("zhejiang-2027", Some(2027)).unwrap();
        assert_eq!(quota(&y2023, "childcare"), Some(4.0));
        assert_eq!(quota(&y2027, "childcare"), Some(5.5));
        let i = y2023.category_index("childcare").unwrap();
        assert_eq!(y2023.categories[i].quota_base, QuotaBase::All);
        // Without a year the base value is the 2027 end state.
        assert_eq!(quota(&builtin("zhejiang-2027", None).unwrap(), "childcare"), Some(5.5));
    }

    #[test]
    fn zhejiang_2027_year_without_targets_names_the_years() {
        let e = builtin("zhejiang-2027", Some(2030)).unwrap_err().to_string();
        assert!(e.contains("2030"), "{e}");
        assert!(e.contains("2023, 2024, 2025, 2026, 2027"), "{e}");
    }

    /// Every text in “…” or 「…」 quotes in the built-in profiles occurs verbatim in `seeds/`
    /// (… marks an elision: each fragment must occur).
    #[test]
    fn quoted_strings_occur_verbatim_in_the_seeds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut seeds = String::new();
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_some_and(|x| x == "txt") {
                seeds.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
        assert!(seeds.len() > 50_000, "seeds missing");
        let mut checked = 0;
        let mut missing = Vec::new();
        for (name, text) in BUILTIN {
            let mut rest = *text;
            while let Some(i) = rest.find(['“', '「']) {
                let open = rest[i..].chars().next().unwrap();
                let close = if open == '“' { '”' } else { '」' };
                let body = &rest[i + open.len_utf8()..];
                let Some(j) = body.find(close) else { break };
                let quote = &body[..j];
                checked += 1;
                if quote.split('…').any(|part| !part.is_empty() && !seeds.contains(part)) {
                    missing.push(format!("{name}: {quote}"));
                }
                // Continue inside 「…」 too, so nested “…” are checked on their own.
                rest = if open == '「' { body } else { &body[j + close.len_utf8()..] };
            }
        }
        assert!(checked > 30, "only {checked} quotes found");
        assert!(missing.is_empty(), "quotes not in the seeds:\n{}", missing.join("\n"));
    }

    #[test]
    fn target_status_follows_the_years_of_the_source() {
        assert_eq!(TargetStatus::of(&[2024], None), TargetStatus::InForce);
        assert_eq!(TargetStatus::of(&[], Some(2025)), TargetStatus::InForce);
        assert_eq!(TargetStatus::of(&[2024], Some(2024)), TargetStatus::InForce);
        assert_eq!(TargetStatus::of(&[2024], Some(2025)), TargetStatus::CarriedForward(2024));
        assert_eq!(TargetStatus::of(&[2027], Some(2025)), TargetStatus::DueIn(2027));
        assert_eq!(TargetStatus::of(&[2023, 2027], Some(2025)), TargetStatus::CarriedForward(2023));
        let p = |y| builtin("zhejiang-2027", Some(y)).unwrap();
        let status = |p: &Profile, id: &str| p.presence.iter().find(|t| t.id == id).expect(id).status;
        assert_eq!(status(&p(2025), "elderly_class_village"), TargetStatus::CarriedForward(2024));
        assert_eq!(status(&p(2023), "elderly_class_village"), TargetStatus::DueIn(2024));
        assert_eq!(status(&p(2024), "labour_station_subdistrict"), TargetStatus::InForce);
        assert_eq!(status(&p(2025), "care_consortium_town"), TargetStatus::DueIn(2027));
        assert_eq!(status(&p(2027), "care_consortium_town"), TargetStatus::InForce);
        assert_eq!(status(&p(2026), "elderly_school_town"), TargetStatus::InForce);
        // Quotas stated for a later year are printed but not applied.
        let y23 = p(2023);
        let dementia = &y23.categories[y23.category_index("dementia_beds").unwrap()];
        assert_eq!((dementia.quota_per_1000, dementia.quota_not_yet_due), (None, Some(2.0)));
        let y27 = p(2027);
        let dementia = &y27.categories[y27.category_index("dementia_beds").unwrap()];
        assert_eq!(dementia.quota_per_1000, Some(2.0));
        assert_eq!(dementia.quota_status, TargetStatus::CarriedForward(2025));
        assert!(
            y27.target_lines(Lang::En)
                .iter()
                .any(|l| l.contains("dementia_beds") && l.contains("carried forward from 2025"))
        );
    }

    /// Every category target is printed with a seed source or labelled a default; coverage
    /// targets of zhejiang-2027 are all project defaults (no seed gives a share of residents).
    #[test]
    fn every_printed_target_has_a_source_or_says_default() {
        for year in [None, Some(2025), Some(2027)] {
            let p = builtin("zhejiang-2027", year).unwrap();
            let lines = p.target_lines(Lang::En);
            assert_eq!(lines.len(), p.categories.len());
            for (c, l) in p.categories.iter().zip(&lines) {
                assert!(c.coverage_source.is_none(), "{}: no seed gives a coverage share", c.id);
                assert!(l.contains("coverage target 90% — default (no plan figure)"), "{l}");
                if c.quota_per_1000.is_some() {
                    assert!(l.contains("seeds/"), "{l}");
                }
            }
            let child = &lines[p.category_index("childcare").unwrap()];
            if let Some(y) = year {
                assert!(child.contains(&format!("序号1 每千人拥有3岁以下婴幼儿托位数 ({y})")), "{child}");
            }
            for t in &p.presence {
                assert!(t.source.contains("seeds/"), "{}", t.id);
            }
            for t in &p.area_targets {
                assert!(t.recalled || t.source.contains("seeds/"), "{}", t.id);
            }
        }
        let shown = show_targets(&builtin("zhejiang-2027", Some(2025)).unwrap());
        assert!(shown.contains("recalled, not in the seeds") && shown.contains("default (no plan figure)"));
        assert!(shown.contains("carried forward from 2024") && shown.contains("target for 2027, not yet due"));
        assert!(shown.lines().all(|l| l.is_empty() || l.starts_with('#')), "appendix must stay TOML comments");
        // The default profile's generic age shares are labelled as defaults, its recalled quota as recalled.
        let shown = show_targets(&builtin("default", None).unwrap());
        assert!(shown.contains("age share age_0_3: 2.50% — default (no plan figure)"), "{shown}");
        assert!(
            shown.contains("quota per 1,000 4.5 — Zhejiang province 4.5 places per 1,000 residents by 2025 (recalled")
        );
        // The appendix parses back: `profile --show` output is still a valid profile.
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == "zhejiang-2027").unwrap();
        let round_trip = format!("{text}{}", show_targets(&builtin("zhejiang-2027", Some(2027)).unwrap()));
        assert!(Profile::parse(&round_trip, "shown.toml", None).is_ok());
    }

    /// GB 50180-2018 defines the circles by walking distance: 300 / 500 / 1000 m of network
    /// distance, searched as time at the profile speed.
    #[test]
    fn gb50180_thresholds_are_network_metres() {
        let gb = builtin("gb50180", None).unwrap();
        for c in &gb.categories {
            let m = match c.level.as_str() {
                "5-min" => 300.0,
                "10-min" => 500.0,
                "15-min" => 1000.0,
                other => panic!("{}: unexpected level {other}", c.id),
            };
            assert_eq!(c.threshold_m, Some(m), "{}", c.id);
            assert!((c.threshold_s - m / gb.walk.speed_mps).abs() < 1e-9, "{}", c.id);
        }
        let base = BUILTIN[0].1;
        let both = base.replacen("threshold_min = 15\n", "threshold_min = 15\nthreshold_m = 800\n", 1);
        let e = Profile::parse(&both, "x.toml", None).unwrap_err().to_string();
        assert!(e.contains("give one, not both"), "{e}");
        let none = base.replacen("threshold_min = 15\n", "\n", 1);
        let e = Profile::parse(&none, "x.toml", None).unwrap_err().to_string();
        assert!(e.contains("threshold_m"), "{e}");
        let metres = base.replacen("threshold_min = 15\n", "threshold_m = 800\n", 1);
        let p = Profile::parse(&metres, "x.toml", None).unwrap();
        assert!((p.categories[0].threshold_s - 800.0 / 1.1).abs() < 1e-9);
    }

    /// Tier labels match the thresholds applied in zhejiang-2027 (childcare: Longwan's
    /// 15分钟托育服务圈 governs).
    #[test]
    fn zhejiang_levels_match_thresholds() {
        let zj = builtin("zhejiang-2027", None).unwrap();
        for c in &zj.categories {
            assert_eq!(c.level, format!("{:.0}-min", c.threshold_s / 60.0), "{}", c.id);
        }
    }

    #[test]
    fn labour_station_counts_labour_relations_stations_only() {
        let zj = builtin("zhejiang-2027", Some(2024)).unwrap();
        let st = zj.presence.iter().find(|p| p.id == "labour_station_subdistrict").unwrap();
        assert_eq!(zj.categories[st.category].id, "labour_relations");
        for name in ["龙湾区零工市场", "温州人力资源市场"] {
            let got = classified(&zj, &[("name", name)]);
            assert!(
                got.contains(&"employment".to_string()) && !got.contains(&"labour_relations".to_string()),
                "{name}: {got:?}"
            );
        }
        let got = classified(&zj, &[("name", "永中街道劳动关系基层服务站")]);
        assert!(got.contains(&"labour_relations".to_string()), "{got:?}");
    }

    #[test]
    fn seed_indicators_are_encoded_as_the_text_means() {
        let zj = builtin("zhejiang-2027", None).unwrap();
        let pres = |id: &str| zj.presence.iter().find(|p| p.id == id).expect(id).clone();
        let h = pres("hospice_subdistrict");
        assert_eq!(
            (zj.categories[h.category].id.as_str(), h.min_share, h.levels.clone()),
            ("hospice", 0.6, vec!["街道".to_string()])
        );
        let k = pres("care_consortium_town");
        assert_eq!((zj.categories[k.category].id.as_str(), k.min_share), ("care_consortium", 1.0));
        for (id, q) in [("rehab_beds", 5.5), ("dementia_beds", 2.0)] {
            let c = &zj.categories[zj.category_index(id).unwrap()];
            assert_eq!(
                (c.quota_per_1000, c.quota_base, c.demand.clone()),
                (Some(q), QuotaBase::Group, vec!["age_60_plus".to_string()]),
                "{id}"
            );
            assert_eq!(c.capacity_unit, "beds");
            assert_eq!(c.weight, 0.0, "{id}: reported, not in the composite");
        }
        // New-facility counts are plan scenarios, not targets.
        let sc: Vec<(&str, &str, usize, i32)> =
            zj.plan_scenarios.iter().map(|s| (s.id.as_str(), s.category.as_str(), s.count, s.year)).collect();
        assert_eq!(
            sc,
            vec![
                ("longwan_2024_meals", "elderly_meals", 5, 2024),
                ("longwan_2024_sports", "sports", 18, 2024),
                ("longwan_2024_kindergartens", "kindergarten", 4, 2024),
                ("haishu_2027_kindergartens", "kindergarten", 8, 2027),
                ("haishu_2027_schools", "school", 11, 2027),
            ]
        );
        // The meal note reads 80% as a share of 公办养老机构, and quotes the seed.
        assert!(
            zj.notes.iter().any(|n| n.contains("「推动80%以上公办养老机构开展老年助餐服务」 is a share of public"))
        );
        assert!(zj.notes.iter().any(|n| n.contains("二(八)1")) && !zj.notes.iter().any(|n| n.contains("八.1")));
    }

    /// Zhejiang's census shares with their source, later bulletins by year.
    #[test]
    fn zhejiang_age_shares_are_sourced_and_by_year() {
        let share = |y: Option<i32>, g: &str| builtin("zhejiang-2027", y).unwrap().age_shares[g];
        assert_eq!(share(None, "age_0_3"), 0.019);
        assert_eq!(share(None, "age_60_plus"), 0.187);
        assert_eq!(share(None, "age_65_plus"), 0.1327);
        assert_eq!(share(Some(2023), "age_60_plus"), 0.215);
        assert_eq!(share(Some(2027), "age_60_plus"), 0.215);
        assert_eq!(share(Some(2027), "age_0_3"), 0.019);
        let p = builtin("zhejiang-2027", Some(2025)).unwrap();
        for g in AGE_GROUPS {
            assert!(p.age_share_sources.get(*g).is_some_and(|s| s.contains("recalled")), "{g}");
        }
        assert!(
            p.age_share_sources["age_60_plus"].contains("21.5 %")
                && p.age_share_sources["age_60_plus"].ends_with("(2023)")
        );
    }

    #[test]
    fn zhejiang_2027_has_every_default_category() {
        let default = builtin("default", None).unwrap();
        let zj = builtin("zhejiang-2027", None).unwrap();
        for c in &default.categories {
            let z = zj.category_index(&c.id).map(|i| &zj.categories[i]);
            let z = z.unwrap_or_else(|| panic!("zhejiang-2027 lacks category {}", c.id));
            assert_eq!(z.demand, c.demand, "{}", c.id);
        }
    }
}
