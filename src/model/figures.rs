//! The figures of the analysis: coverage statistics, the composite index's parts, per community and
//! category, per category over the area, and whether a category is assessed at all.
//!
//! Computed by `score` and the `analyze` pipeline; read by `plan`, `units` and `report`.

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CoverageStats {
    /// Demand-group residents over the points.
    pub demand: f64,
    /// Residents within the threshold.
    pub covered: f64,
    pub covered_share: Option<f64>,
    pub mean_s: Option<f64>,
    pub p90_s: Option<f64>,
    /// Share of residents beyond the search cap (unreachable within 2 × threshold).
    pub beyond_cap_share: Option<f64>,
}

/// The dimensions of one category's score, each in 0..=1 when known.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CompositeParts {
    pub access: Option<f64>,
    pub balance: Option<f64>,
    pub quality: Option<f64>,
}

/// Whether a category is assessed. A category without any facility in the inputs is "no data", not
/// "no service": OpenStreetMap in Zhejiang has almost no 托育, 养老 or 助餐 points, so scoring such a
/// category would count every resident as unserved and drag the composite index down for want of
/// data. It is assessed only when the user declares its inputs complete.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// At least one facility of the category in the inputs (extract, table or what-if).
    #[default]
    Facilities,
    /// No facility, but the inputs are declared complete for it (`--complete`, or a facility table
    /// in `replace` mode that lists the category): its residents count as unserved.
    DeclaredComplete,
    /// No facility and no declaration: listed as "not assessed (no data)", left out of the
    /// composite index, the gap ranking, gaps.csv and the maps.
    NoData,
}

impl Assessment {
    pub fn assessed(self) -> bool {
        self != Assessment::NoData
    }
}

/// One community's figures for one category.
#[derive(Clone, Debug, Default)]
pub struct CommunityCategory {
    pub stats: CoverageStats,
    pub pass: Option<bool>,
    /// Residents of the demand group beyond the threshold.
    pub unserved: f64,
    /// Population-weighted mean number of facilities within the threshold.
    pub reachable: Option<f64>,
    pub per_1000: Option<f64>,
    /// Accessible capacity (places/beds) of the community's demand group.
    pub accessible_capacity: Option<f64>,
    /// Capacity missing to reach the quota: `quota × base / 1000 − accessible`, when positive.
    pub capacity_shortfall: Option<f64>,
    pub parts: CompositeParts,
    pub score: Option<f64>,
    /// Covered share at the elderly walking speed (一老一小 categories).
    pub covered_share_elderly: Option<f64>,
    /// `per_1000 ≥ quota` when the category has a quota and capacities.
    pub quota_pass: Option<bool>,
}

impl CommunityCategory {
    /// Fails the year's targets: coverage below target, or capacity below the quota.
    pub fn fails(&self) -> bool {
        self.pass == Some(false) || self.quota_pass == Some(false)
    }
}

/// Area-wide figures of one category.
#[derive(Clone, Debug, Default)]
pub struct CategorySummary {
    /// Whether the category is assessed (has data); see [`Assessment`].
    pub assessment: Assessment,
    pub facilities: usize,
    pub facilities_unattached: usize,
    pub stats: CoverageStats,
    pub per_1000: Option<f64>,
    pub capacity_total: f64,
    pub capacity_assumed: usize,
    pub score: Option<f64>,
    /// Nodes settled by the nearest-facility search (its elderly-speed rerun is not counted).
    pub settled: u64,
    /// Nodes settled by the per-facility bounded searches (2SFCA, both steps).
    pub settled_bounded: u64,
    /// Communities that fail the coverage target.
    pub failing_communities: usize,
    /// Covered share at the elderly walking speed (一老一小 categories).
    pub covered_share_elderly: Option<f64>,
    /// Facilities taken from the facility table.
    pub from_table: usize,
    /// Area-wide: coverage target met and (where a quota applies) per-1,000 ≥ quota.
    pub pass: Option<bool>,
    pub unserved: f64,
    pub capacity_shortfall: Option<f64>,
    /// Area-wide `per_1000 ≥ quota`.
    pub quota_pass: Option<bool>,
}

/// With `--clip`: the residents beyond the district who took part in the catchments (2SFCA step 1)
/// and were then left out of every figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Halo {
    /// Communities whose main part lies outside the district.
    pub communities: usize,
    /// Of them, derived from the extract because the community layer did not cover them.
    pub derived: usize,
    /// Their residents.
    pub population: f64,
}
