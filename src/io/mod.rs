//! io owns readers of user tables and coordinate-system conversion.
//!
//! Facility and community tables from Chinese sources are often in GCJ-02 (AutoNavi, Tencent) or
//! BD-09 (Baidu) rather than WGS84; [`coord_transform`] brings them onto the WGS84 of OSM before
//! anything is snapped to the walk graph.

pub mod candidate_points;
pub mod clip_area;
pub mod coord_transform;
pub mod facility_table;
pub mod text_encoding;
