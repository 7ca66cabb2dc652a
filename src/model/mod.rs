//! The plain data every stage passes on: communities and demand points, planning units, facilities,
//! the figures per community and category, and the [`Analysis`] that holds them all.
//!
//! Owns types only, no reading, computing or writing: it sits below every stage (`community`,
//! `population`, `units`, `areas`, `score`, `plan`, `isochrone`, `report`, the `analyze` pipeline),
//! which import it and never each other's types. It depends only on `geom`, `profile`, `osm`
//! (`OsmStats`) and `graph` (`WalkGraph`).
//!
//! Glossary:
//! - **category**: a service of the profile (`Profile::categories`), named by a [`CategoryId`].
//! - **facility**: a place serving one or more categories ([`Facility`], [`FacilityId`]).
//! - **demand point**: where some residents of a community live ([`DemandPoint`], [`DemandId`]).
//! - **assessed**: a category with data ([`Assessment`]); a category without is "no data", not
//!   "no service".

pub mod analysis;
pub mod area_measure;
pub mod basemap;
pub mod community;
pub mod csv_encoding;
pub mod district_record;
pub mod facility;
pub mod figures;
pub mod ids;
pub mod layer_format;
pub mod unit;

pub use analysis::Analysis;
pub use area_measure::AreaMeasure;
pub use basemap::Basemap;
pub use community::{Community, CommunityOrigin, DemandPoint, PopulationSource};
pub use csv_encoding::CsvEncoding;
pub use facility::Facility;
pub use figures::{Assessment, CategorySummary, CommunityCategory, CompositeParts, CoverageStats, Halo};
pub use ids::{CategoryId, DemandId, FacilityId};
pub use layer_format::LayerFormats;
pub use unit::Unit;
