//! Multi-source nearest-facility times over the whole graph.

use rayon::prelude::*;

use super::kernel::search;
use super::queue::{BucketQueue, HeapQueue};
use super::{MAX_BUCKET_CAP_DS, SearchStats, UNREACHED};
use crate::graph::{NodeId, WalkGraph};

/// Multi-source shortest walking time from the nearest source to every node; each source starts at
/// its own initial time (access walk). Times > cap_ds are UNREACHED. Returns one `Vec<u32>` of
/// length node_count.
///
/// Sources out of range or with an initial time above the cap are ignored; a repeated source keeps
/// its smallest initial time. The output array is the search's own distance array, so the only
/// other memory is the bucket queue.
pub fn nearest(graph: &WalkGraph, sources: &[(NodeId, u32)], cap_ds: u32) -> (Vec<u32>, SearchStats) {
    nearest_with(graph, &mut BucketQueue::default(), &mut HeapQueue::default(), sources, cap_ds)
}

/// Several independent multi-source searches (one per category) in parallel with rayon; result i
/// belongs to job i.
///
/// Each job is `(sources, cap_ds)` with the semantics of [`nearest`]; queue storage is reused by
/// the jobs a rayon worker runs in turn.
pub fn nearest_many(graph: &WalkGraph, jobs: &[(Vec<(NodeId, u32)>, u32)]) -> Vec<(Vec<u32>, SearchStats)> {
    jobs.par_iter()
        .map_init(
            || (BucketQueue::default(), HeapQueue::default()),
            |(buckets, heap), (sources, cap_ds)| nearest_with(graph, buckets, heap, sources, *cap_ds),
        )
        .collect()
}

/// [`nearest`] with the binary-heap queue whatever the cap: the same exact result (ties may pop
/// in another order), for measuring what the bucket queue buys (`circle15 bench`'s ablation).
pub fn nearest_binary_heap(graph: &WalkGraph, sources: &[(NodeId, u32)], cap_ds: u32) -> (Vec<u32>, SearchStats) {
    let mut dist = vec![UNREACHED; graph.node_count()];
    let mut heap = HeapQueue::default();
    let stats = search(graph, dist.as_mut_slice(), &mut heap, sources, cap_ds, |_, _| {});
    (dist, stats)
}

fn nearest_with(
    graph: &WalkGraph,
    buckets: &mut BucketQueue,
    heap: &mut HeapQueue,
    sources: &[(NodeId, u32)],
    cap_ds: u32,
) -> (Vec<u32>, SearchStats) {
    let mut dist = vec![UNREACHED; graph.node_count()];
    let stats = if cap_ds <= MAX_BUCKET_CAP_DS {
        buckets.reset(cap_ds);
        search(graph, dist.as_mut_slice(), buckets, sources, cap_ds, |_, _| {})
    } else {
        heap.reset();
        search(graph, dist.as_mut_slice(), heap, sources, cap_ds, |_, _| {})
    };
    (dist, stats)
}
