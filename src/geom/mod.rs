//! Geometry helpers on WGS84 coordinates, metric where it matters.
//!
//! Glossary: **lon_lat** `[lon, lat]` degrees; **LocalProj** an equirectangular projection around
//! a reference latitude, metres, accurate to < 0.1 % over a district (used for areas, buffers and
//! segment snapping, never for reported distances, which are haversine).

pub mod haversine;
pub mod local_proj;
pub mod polygon;

pub use haversine::haversine_m;
pub use local_proj::LocalProj;
