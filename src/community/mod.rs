//! Communities (社区/村) and the demand points that carry their residents.
//!
//! Owns reading a community layer (GeoJSON polygons with population), deriving communities from
//! the extract when none is given (residential landuse areas, else a regular grid over the
//! built-up area), estimating population from residential floor area, and placing demand points.
//!
//! Glossary:
//! - **community**: a polygon whose residents are scored together; `population_source` says
//!   whether its population was `given` or `estimated` (floor area ÷ m² per resident) or
//!   `estimated_area` (no building mapped: ground area × fallback floor-area ratio).
//! - **demand point**: a residential building centroid (or a grid sample where the community has
//!   no building) carrying a share of the community's population; snapped onto the walk graph.
//! - **floor area**: footprint m² × `building:levels` (profile default when untagged).

pub mod demand;
pub mod derive;
pub mod read_geojson;
pub mod validate;

pub use crate::model::{Community, CommunityOrigin, DemandPoint, PopulationSource};
pub use demand::{demand_points, demand_points_blended};
pub use derive::derive_communities;
pub use read_geojson::read_communities;
