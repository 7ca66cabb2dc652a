//! circle15 — the 15-minute public-service circle (15分钟公共服务圈) analyzer.
//!
//! Data flows one way through the stages:
//! `osm` → `graph` → `route` → `score` → `plan` → `report`, with `profile` (categories,
//! thresholds, targets) feeding every stage and `io` reading user tables.
//!
//! Units are explicit in names: `_m` metres, `_s` seconds, `_ds` deciseconds (the integer unit of
//! the search kernels), `lon`/`lat` WGS84 degrees.

pub mod graph;
pub mod route;
pub mod error;
pub mod geom;
pub mod io;
pub mod osm;
pub mod profile;
pub mod community;
