//! The geometry layer: the coordinate types every layer shares, bounding boxes, the polygon
//! index, the GeoJSON polygon reader and the coordinate check, plus metric measures on WGS84.
//!
//! Glossary: **lon_lat** `[lon, lat]` degrees, WGS84; **Ring / Polygon / MultiPolygon** nested
//! vectors of positions (outer ring first, then holes; see [`shapes`]), converted to `geo-types`
//! where a `geo` algorithm does the work; **Bbox** `[min_lon, min_lat, max_lon, max_lat]` (or
//! metres), [`bbox::EMPTY`] for nothing; **PolygonIndex** an R-tree of polygon boxes answering in
//! increasing polygon index; **LocalProj** an equirectangular projection around a reference
//! latitude, metres, accurate to < 0.1 % over a district (used for areas, buffers and segment
//! snapping, never for reported distances, which are haversine).
//!
//! GeoJSON is read with `serde_json` rather than the `geojson` crate (which was a dependency never
//! used, now removed): the readers need the raw property values (numbers or strings for ids and
//! populations, null for "absent"), and the `geojson` crate rejects a whole document on the first
//! bad position without saying which feature, ring or position it was, while every error here
//! must name the file, the feature and the place in it. [`read_polygons`] reads one geometry
//! object, so each caller keeps its own document shape (FeatureCollection, Feature, bare
//! geometry) and error places.

pub mod bbox;
pub mod haversine;
pub mod local_proj;
pub mod lon_lat;
pub mod polygon;
pub mod polygon_index;
pub mod read_polygons;
pub mod shapes;
pub mod simplify;
pub mod tmerc;

pub use bbox::Bbox;
pub use haversine::haversine_m;
pub use local_proj::LocalProj;
pub use lon_lat::check_lon_lat;
pub use polygon_index::PolygonIndex;
pub use read_polygons::read_polygons;
pub use shapes::{MultiPolygon, Polygon, Ring};
