//! Administrative planning units (区 / 街道·镇·乡 / 社区·村) and the figures aggregated over them.
//!
//! Plans state their targets per administrative unit: “老年学校 in 100% of 镇街”, “one labour-relations
//! station per 街道”. This module reads a unit layer, nests the analysis' communities into the units
//! (by area share, or by where their residents live), aggregates the community figures per unit and
//! evaluates presence indicators (a facility of a category in, or within a walk of, each unit).
//! Pure computation over an [`Analysis`](crate::model::Analysis); writing is the caller's.
//!
//! Glossary:
//! - **unit**: a polygon with a `name`, a `level` (街道, 镇, 乡, 社区, 村, 区, … as the layer spells it),
//!   an optional `code` (e.g. the 12-digit 统计用区划代码) and an optional `parent` code.
//! - **share**: the part of a community that lies in a unit, 0–1. Over the units of one level the
//!   shares of a community add up to at most 1; the rest lies outside every unit of that level.
//! - **presence indicator**: the share of units of some levels that pass (contain a facility, or
//!   have a resident within a walk of one) against a minimum share (`[[presence]]` in a profile).

pub mod aggregate;
pub mod from_osm;
pub mod nest;
pub mod presence;
pub mod read;

#[cfg(test)]
mod tests;

pub use aggregate::{UnitCategory, UnitFigures, aggregate};
pub use from_osm::units_from_osm;
pub use nest::{area_shares, level_outside_share, nest, nest_by_residents};
pub use presence::{PresenceResult, evaluate_presence};
pub use read::read_units;

pub use crate::model::Unit;

#[cfg(test)]
pub(crate) mod testutil {
    use super::Unit;

    /// A lon/lat rectangle as one polygon.
    pub fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<Vec<[f64; 2]>> {
        vec![vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]
    }

    pub fn unit(name: &str, level: &str, polys: crate::geom::MultiPolygon) -> Unit {
        Unit { name: name.into(), level: level.into(), code: None, parent: None, polygons: polys }
    }
}
