//! The result of an analysis, ready to be planned on and reported.

use super::{
    AreaMeasure, CategorySummary, Community, CommunityCategory, CommunityOrigin, DemandPoint, Facility, Halo, Unit,
};
use crate::graph::WalkGraph;
use crate::osm::OsmStats;
use crate::profile::Profile;

/// The result of an analysis, ready to be reported.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub profile: Profile,
    pub input_label: String,
    pub osm_stats: OsmStats,
    pub graph: WalkGraph,
    pub walkable_km: f64,
    pub facilities: Vec<Facility>,
    pub communities: Vec<Community>,
    pub community_origin: CommunityOrigin,
    pub demand: Vec<DemandPoint>,
    pub demand_node: Vec<Option<u32>>,
    /// `times_ds[category][node]`: walking time to the nearest facility (UNREACHED beyond the cap).
    pub times_ds: Vec<Vec<u32>>,
    /// `weights[category][demand point]`: residents of the category's demand group at the point.
    pub weights: Vec<Vec<f64>>,
    /// `access[category][demand point]`: 2SFCA accessible capacity per resident of the demand
    /// group (None when the category has no capacities).
    pub access: Vec<Option<Vec<f64>>>,
    pub per_community: Vec<Vec<CommunityCategory>>,
    pub community_score: Vec<Option<f64>>,
    pub categories: Vec<CategorySummary>,
    pub overall_score: Option<f64>,
    pub stages_ms: Vec<(&'static str, f64)>,
    pub warnings: Vec<String>,
    pub demand_unattached: usize,
    /// Residents per community whose demand points are further than `walk.demand_snap_limit_m`
    /// from every street: not attached, counted as unserved.
    pub unattached_population: Vec<f64>,
    /// Residents per community living on network islands cut off from the main network.
    pub island_population: Vec<f64>,
    /// Street nodes outside the largest connected component.
    pub island_nodes: usize,
    /// Planning units, when given.
    pub units: Vec<Unit>,
    /// Per area target of the profile: m² in the study area and per unit.
    pub area_measures: Vec<AreaMeasure>,
    /// Per facility-share indicator of the profile: the facility-table rows counted (all zero
    /// without `--facilities`: not assessed).
    pub facility_share_counts: Vec<crate::profile::ShareCount>,
    /// With `--clip`: the halo residents who shared facility capacity but are not reported.
    pub halo: Option<Halo>,
    /// Water and green areas of the extract, drawn under the streets on the maps (no figure uses
    /// them).
    pub land_cover: Vec<crate::osm::LandArea>,
}
