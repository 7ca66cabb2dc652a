//! The integration tests, one binary (one link): each module is one former test file.

mod areas;
mod browser;
mod cli_errors;
mod clip;
mod common;
mod determinism;
mod formats;
mod gap_report;
mod gcj02_detection;
mod golden;
mod interrupt;
mod las_palmas;
mod malformed;
mod metre_thresholds;
mod network_snapping;
mod no_data;
mod plan;
mod png_maps;
mod raster_demand;
mod registry_targets;
mod svg_maps;
mod targets;
mod units;
mod walksheds;
mod warnings;
mod zh_names;
