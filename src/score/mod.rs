//! Scores: walking times turned into coverage, capacity balance (2SFCA) and a composite index.
//!
//! Owns numbers only, no formatting. Every figure is population-weighted over demand points with
//! the weight of the category's demand group.
//!
//! Glossary:
//! - **covered share**: residents of the demand group within the threshold ÷ all of them.
//! - **mean_s / p90_s**: population-weighted mean and 90th-percentile walking time; times beyond
//!   the search cap count as the cap in the mean (a lower bound, flagged by `beyond_cap_share`)
//!   and make `p90_s` unknown when the 90th percentile lies beyond the cap.
//! - **2SFCA**: two-step floating catchment: each facility's capacity ÷ the demand within its
//!   threshold (step 1), summed back to every demand point within the threshold (step 2).
//! - **per_1000**: 1,000 × accessible capacity ÷ base population (all residents or the demand
//!   group, as the profile's `quota_base` says).

pub mod communities;
pub mod composite;
pub mod coverage;
pub mod sfca;

pub use communities::{ScoreInput, Scores, fill_summaries, score_communities};
pub use composite::{CompositeParts, composite};
pub use coverage::{CoverageStats, coverage_of};
pub use sfca::{SfcaResult, two_step_fca};

/// Demand points as the scoring stage sees them.
#[derive(Clone, Debug, Default)]
pub struct Demand {
    /// Community index of each demand point.
    pub community: Vec<u32>,
    /// Graph node of each demand point (`None`: not attached to the network).
    pub node: Vec<Option<u32>>,
}
