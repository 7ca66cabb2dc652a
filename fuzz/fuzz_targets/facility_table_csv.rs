//! Arbitrary bytes as a facility table (CSV; UTF-8, GBK or neither), and as its GeoJSON form.
#![no_main]

use std::path::Path;

use circle15::io::facility_table::parse_facility_table;
use libfuzzer_sys::fuzz_target;

const KNOWN: &[&str] = &["kindergarten", "childcare", "elderly_care", "health"];

fuzz_target!(|data: &[u8]| {
    let _ = parse_facility_table(data, Path::new("fuzz.csv"), KNOWN);
    // The first byte picks whether the GeoJSON reader sees the same bytes too.
    if data.first().is_some_and(|b| b & 1 == 1) {
        let _ = parse_facility_table(data, Path::new("fuzz.geojson"), KNOWN);
    }
});
