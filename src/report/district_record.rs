//! `DIR/batch/<code>/record.json`: one district's [`DistrictRecord`] as a batch shard leaves it for
//! `merge`. Full-precision numbers (the summary rounds when it writes), so a merged summary equals
//! the one-process one.
//!
//! Glossary: see [`crate::model::district_record`].

use crate::model::district_record::DistrictRecord;

/// The record as pretty JSON with a final newline.
pub fn record_json(r: &DistrictRecord) -> Vec<u8> {
    let mut s = serde_json::to_vec_pretty(r).expect("serialisable");
    s.push(b'\n');
    s
}
