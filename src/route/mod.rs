//! Search kernels: the exact, capped shortest-walking-time searches every later stage runs.
//!
//! Owns the Dijkstra kernel over the [`WalkGraph`](crate::graph::WalkGraph) CSR and its four
//! entry points: [`nearest`] (multi-source nearest-facility time to every node),
//! [`nearest_many`] (one such search per category, in parallel), [`bounded`] (a capped search on
//! reusable [`Scratch`] that reports settled nodes to a visitor) and [`per_source`] (one bounded
//! search per source, in parallel).
//! Pure computation: no I/O and no knowledge of profiles or categories.
//!
//! Glossary:
//! - **source**: a `(NodeId, initial_ds)` pair; the search starts at that node with that time
//!   already spent (the access walk from a facility to its snapped node).
//! - **cap** (`cap_ds`): the largest time of interest; nodes farther than the cap are
//!   [`UNREACHED`] and never enter the queue.
//! - **settled**: a node whose final time is known; each settled node is reported exactly once.
//! - **relaxed**: an out-edge scanned from a settled node ([`SearchStats::relaxed`]).
//! - **epoch**: the search counter stamped on each distance slot of a [`Scratch`]; a slot from an
//!   older epoch reads as unreached, so nothing is refilled between queries.
//! - **bucket queue** (Dial): one bucket per integer time `0..=cap`, read in increasing time;
//!   a node may sit in several buckets (lazy deletion) and stale entries are skipped when popped.
//!
//! Why a bucket queue over the CSR instead of `petgraph::algo::dijkstra`: walk times are small
//! integers (deciseconds) and every search is capped (at most ~36,000 ds), so a bucket per value
//! makes push and pop O(1) with no comparisons, and the CSR gives each node's edges as two
//! contiguous `u32` slices. `petgraph`'s Dijkstra pays for a binary heap, a `HashMap` of scores,
//! a visited set and pointer-chasing edge lists, and has no cap. Measured on a synthetic
//! 1000×1000 grid (1 M nodes, 4 M directed edges, 73–136 ds per edge; 2 shared cores; details in
//! `benches/README.md`):
//!
//! | search | time | vs petgraph |
//! | --- | ---: | ---: |
//! | [`nearest`], 50 sources, cap 18,000 ds (97% of nodes settled) | 81 ms | 4.0× |
//! | the same kernel with its binary heap, no cap (all nodes) | 228 ms | 1.4× |
//! | `petgraph::algo::dijkstra` via a super-source, no cap | 326 ms | 1× |
//! | [`bounded`], 1 source, cap 9,000 ds (19 k nodes), reused [`Scratch`] | 0.9 ms | |
//! | [`per_source`], 200 sources, cap 9,000 ds, 2 threads | 126 ms | |
//!
//! Whole-graph searches are memory-bound, so when the frontier is large the kernel prefetches
//! the CSR rows of the nodes it will pop next (≈20% on `nearest` above).
//!
//! Caps above [`MAX_BUCKET_CAP_DS`] (beyond any walking threshold) fall back to a binary heap so
//! bucket storage stays bounded; results are the same, only the order of ties differs.
//!
//! Contract for all entry points:
//! - the graph is a well-formed CSR (`offsets.len() == node_count + 1`, every target
//!   `< node_count`); a malformed one may panic on an index. `WalkGraph::default()` is fine.
//! - sources with a node id `>= node_count` are skipped (nothing to reach), as are sources whose
//!   initial time exceeds the cap; a source listed twice keeps its smallest initial time.
//! - zero-weight edges are fine; an empty graph or an empty source list gives an all-`UNREACHED`
//!   result (or no visits).
//! - a time of `u32::MAX` is [`UNREACHED`], so the cap is clamped to `u32::MAX - 1`.

mod bounded;
mod kernel;
mod nearest;
mod per_source;
mod queue;
mod scratch;

#[cfg(test)]
mod cases;
#[cfg(test)]
mod oracle;
#[cfg(test)]
mod props;

pub use bounded::bounded;
pub use nearest::{nearest, nearest_binary_heap, nearest_many};
pub use per_source::per_source;
pub use scratch::Scratch;

/// Time of a node not reached within the cap.
pub const UNREACHED: u32 = u32::MAX;

/// Largest cap served by the bucket queue (≈ 7.3 h of walking); larger caps use a binary heap.
pub const MAX_BUCKET_CAP_DS: u32 = 1 << 18;

/// Statistics of one search (for benchmarks: settled nodes, relaxed edges).
#[derive(Clone, Copy, Debug, Default)]
pub struct SearchStats {
    /// Nodes settled (reported to the visitor / given a time `<= cap`).
    pub settled: u64,
    /// Out-edges scanned from settled nodes.
    pub relaxed: u64,
}
