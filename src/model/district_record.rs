//! What a batch keeps of one district's analysis for the provincial summary: the plain record a
//! shard writes (`DIR/batch/<code>.json`) and `merge` reads back, so the summary of several shards
//! is built from exactly what one process would have built it from.
//!
//! Glossary: **record** one district's figures (or its problem); **weakest communities** the
//! district's communities with the lowest composite index, linked from the summary.

use serde::{Deserialize, Serialize};

/// One district of a batch: its figures, or why it has none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistrictRecord {
    /// Position of the district's feature in the districts file.
    pub feature: usize,
    /// Features in the districts file (so `merge` can tell a missing shard).
    pub districts_total: usize,
    pub code: String,
    pub name: String,
    /// Language of the reports (`zh`, `en`): the provincial summary's too.
    pub lang: String,
    /// The district's report, relative to its folder (`report.html`), empty when it failed.
    pub page: String,
    /// The problem that stopped the district (file, feature, what), `None` when analysed.
    pub error: Option<String>,
    /// The district's polygons (WGS84 `[lon, lat]`), when they could be read.
    pub polygons: Option<crate::geom::MultiPolygon>,
    pub population: f64,
    pub communities: usize,
    /// The composite index (0–100) of the district.
    pub score: Option<f64>,
    pub categories: Vec<DistrictCategory>,
    pub weakest: Vec<WeakCommunity>,
}

/// One category of a district.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistrictCategory {
    pub id: String,
    pub label_zh: String,
    pub label_en: String,
    pub assessed: bool,
    pub covered_share: Option<f64>,
    pub per_1000: Option<f64>,
    /// The year's quota, places per 1,000 residents.
    pub quota_per_1000: Option<f64>,
    /// Residents beyond the category's walking threshold.
    pub unserved: f64,
}

/// A community among the district's weakest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeakCommunity {
    pub id: String,
    pub name: String,
    pub score: Option<f64>,
    pub population: f64,
}
