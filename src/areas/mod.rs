//! Area-based targets: sports ground m² per resident and public cultural floor m² per 10,000
//! residents, measured from OSM polygons per planning unit and over the whole study area, against
//! the profile's `[[area_target]]` minimums.
//!
//! Owns measuring ([`measure`]: the features the loader selected → m² per unit and in total) and
//! judging ([`evaluate`]: m² ÷ residents against the minimum). Residents come from the community
//! roll-up of the units ([`crate::units::aggregate`]) and from the communities for the whole area.
//!
//! Glossary:
//! - **ground area**: the area of the union of a target's polygons, m² — a pitch mapped inside a
//!   sports centre is counted once (the union, not a skip of contained polygons, so partial
//!   overlaps count once too);
//! - **floor area**: footprint m² × `building:levels` (the target's `default_levels`, 1, when
//!   untagged: flagged as assumed), summed over the selected buildings;
//! - **study area**: the `--clip` polygon when given, else the whole extract;
//! - **split**: a polygon straddling units counts in each by its area share (as communities nest).

pub mod evaluate;
pub mod measure;

#[cfg(test)]
mod tests;

pub use evaluate::{AreaValue, evaluate};
pub use measure::{AreaMeasure, measure};
