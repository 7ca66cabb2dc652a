//! Arbitrary bytes as a community layer, then demand sampling over what was accepted (the step
//! whose work grows with polygon extents).
#![no_main]

use std::path::Path;

use circle15::community::demand_points;
use circle15::community::read_geojson::parse_communities;
use circle15::profile::PopulationParams;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut communities) = parse_communities(data, Path::new("fuzz.geojson")) {
        let _ = demand_points(&mut communities, &[], &PopulationParams::default());
    }
});
