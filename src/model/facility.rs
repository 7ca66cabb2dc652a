//! A facility of the analysis: where it came from, what it serves, its capacities and where it joined
//! the walking network.

/// A facility with its capacities and where it joined the network.
#[derive(Clone, Debug)]
pub struct Facility {
    /// `node`, `way`, `relation`, or `table` (a row of `--facilities`).
    pub osm_type: &'static str,
    pub osm_id: i64,
    pub name: String,
    pub categories: Vec<u16>,
    /// Per entry of `categories`: `(capacity, assumed)`; `None` when neither tagged nor defaulted.
    pub capacity: Vec<Option<(f64, bool)>>,
    pub public: Option<bool>,
    pub point: [f64; 2],
    pub node: Option<u32>,
    pub snap_m: f64,
}
