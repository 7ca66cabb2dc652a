//! `circle15 batch`: every district of a province from one extract, and `merge`, the provincial
//! summary of one or several shards. Owns the batch's plan (which districts, in which shard, in
//! which decode group), each district's record, and reading records back; the analysis of a
//! district is `analyze --clip`'s ([`crate::analyze::run_on`]), the outputs are written by
//! `report` (called from `lib.rs`).
//!
//! How the extract is read (see [`crate::osm::load_districts`]): one index pass over the whole
//! file, then per group of neighbouring districts one pass over the node blocks that meet the
//! group and one over the way blocks that can reference its nodes. Why groups, with figures:
//! - decoding everything once and keeping it is ≈ 16 bytes per node before any way: 2.5 GB for
//!   the 153 M nodes of Las Palmas tiled 20×20 (1.37 GB PBF), beyond the 2 GB goal;
//! - decoding once per district (400 × `analyze --clip`) spent ≈ 28.7 s each, ≈ 3 h, almost all
//!   decoding the same file again;
//! - a spill of each district's elements to temporary files needs, for the way pass, which
//!   districts a node id belongs to: an id table of the whole file (≈ 1.2 GB for 153 M ids) or an
//!   external sort, for little gain over groups: a group's node pass decodes only the blocks that
//!   meet it, and ids of real extracts are spatially clustered enough for the way pass to skip
//!   most way blocks too.
//!
//! Groups are sized by [`DEFAULT_GROUP_NODES`] kept nodes (counted by the index pass), a bound on a
//! group's memory; districts are analysed [`DISTRICTS_AT_ONCE`] at a time inside a group (each
//! analysis uses every core too), and a district's nodes and ways are dropped once analysed.
//!
//! Failing districts: a feature whose polygon cannot be read, or whose analysis fails (no walkable
//! way, no community inside…), gets a record with its problem (file, feature, what); the others
//! finish; the binary exits with 2 and the summary lists it.
//!
//! Glossary: **record** `DIR/batch/<code>/record.json`, what the summary needs of a district;
//! **shard** see [`shard`]; **group** see [`groups`].

pub mod groups;
pub mod read_records;
pub mod record;
pub mod shard;

use std::path::PathBuf;

use crate::analyze::Config;
use crate::io::districts::District;

/// Kept nodes of one decode group. Measured on Las Palmas tiled 20×20 (400 districts, 1.31 GB PBF
/// made by `scripts/tile_pbf.py`, release build, 2 cores shared with other jobs: 55 % CPU):
/// 11 min 47 s wall, 360 s user + 34 s system CPU, peak RSS 2.19 GiB, all 400 analysed. That peak
/// is ≈ 0.9 GiB (relations, index, one analysis) + ≈ 110 bytes per kept node with its ways. With
/// 8 M-node groups: 10 min 18 s wall (65 % CPU), 406 s CPU, peak 1.85 GiB; on the idle machine
/// (2026-12-04 18:50): 4 min 18 s wall, 395 s CPU, peak 2,020,068 KiB (2.07 GB, over a decimal
/// 2 GB). The default is 6 M nodes, to stay under 2 GB however it is counted (see benches/README.md).
pub const DEFAULT_GROUP_NODES: u64 = 6_000_000;

/// Districts analysed at the same time inside a group. One: the 400-district measurement (below)
/// peaked at 2.19 GiB with one analysis at a time; two would overlap the serial stages of one
/// with the parallel ones of the other but hold two analyses (≈ +0.4 GiB), not measured yet.
pub const DISTRICTS_AT_ONCE: usize = 1;

/// Folder of the records inside the output folder.
pub const RECORDS_DIR: &str = "batch";

/// Everything `batch` needs, validated before any work.
#[derive(Clone, Debug)]
pub struct BatchConfig {
    /// The analysis of each district, without `clip` and with `out` the batch's folder.
    pub analyze: Config,
    pub districts_file: PathBuf,
    pub districts: Vec<District>,
    pub shard: shard::Shard,
    /// Most kept nodes decoded together.
    pub group_nodes: u64,
    /// Show a progress bar (a terminal, not `--quiet`).
    pub progress: bool,
}

/// A path from folder `from` to `to`, both absolute or both relative to one folder, `/`-separated
/// and ending with `/` (empty when they are the same folder): how the summary links a district.
pub fn relative_dir(from: &std::path::Path, to: &std::path::Path) -> String {
    let canon = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (f, t) = (canon(from), canon(to));
    let (fc, tc): (Vec<_>, Vec<_>) = (f.components().collect(), t.components().collect());
    let common = fc.iter().zip(&tc).take_while(|(a, b)| a == b).count();
    let mut s = String::new();
    for _ in common..fc.len() {
        s.push_str("../");
    }
    for c in &tc[common..] {
        s.push_str(&c.as_os_str().to_string_lossy());
        s.push('/');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dirs() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b/c"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        assert_eq!(relative_dir(&a, &a), "");
        assert_eq!(relative_dir(&a, &b), "../b/c/");
        assert_eq!(relative_dir(&b, &a), "../../a/");
    }
}
