//! A facility of the analysis: where it came from, what it serves, its capacities and where it joined
//! the walking network.

use super::CategoryId;

/// A facility with its capacities and where it joined the network.
#[derive(Clone, Debug)]
pub struct Facility {
    /// `node`, `way`, `relation`, or `table` (a row of `--facilities`).
    pub osm_type: &'static str,
    pub osm_id: i64,
    pub name: String,
    pub categories: Vec<CategoryId>,
    /// Per entry of `categories`: `(capacity, assumed)`; `None` when neither tagged nor defaulted.
    pub capacity: Vec<Option<(f64, bool)>>,
    pub public: Option<bool>,
    pub point: [f64; 2],
    pub node: Option<u32>,
    pub snap_m: f64,
}

impl Facility {
    /// Whether the facility serves category `k`.
    pub fn serves(&self, k: CategoryId) -> bool {
        self.categories.contains(&k)
    }

    /// The position of category `k` in `categories` (and so in `capacity`).
    pub fn slot_of(&self, k: CategoryId) -> Option<usize> {
        self.categories.iter().position(|&c| c == k)
    }
}
