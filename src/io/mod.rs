//! io owns readers of user tables and coordinate-system conversion.
//!
//! Facility and community tables from Chinese sources are often in GCJ-02 (AutoNavi, Tencent) or
//! BD-09 (Baidu) rather than WGS84; [`coord_transform`] brings them onto the WGS84 of OSM before
//! anything is snapped to the walk graph.

pub mod candidate_points;
pub mod clip_area;
pub mod coord_transform;
pub mod crs;
pub mod crs_hint;
pub mod districts;
pub mod extent;
pub mod facility_table;
pub mod layer;
pub mod number;
pub mod table;
pub mod text_encoding;

/// Parses JSON text; the error names the file, the line and column, and the problem.
pub fn parse_json(path: &std::path::Path, text: &str) -> crate::error::Result<serde_json::Value> {
    serde_json::from_str(text).map_err(|e| {
        crate::error::Error::input(
            path,
            format!("line {} column {}", e.line(), e.column()),
            format!("invalid JSON: {e}"),
        )
    })
}
