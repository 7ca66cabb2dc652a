//! Bounded search on a reusable [`Scratch`], reporting settled nodes to a visitor.

use super::kernel::search;
use super::{MAX_BUCKET_CAP_DS, Scratch, SearchStats};
use crate::graph::{NodeId, WalkGraph};

/// Bounded search reusing `scratch`: calls `visit(node, time_ds)` exactly once for every node with
/// time <= cap_ds, in non-decreasing time order (ties in a deterministic order). Stops at the cap.
///
/// Each source starts at its own initial time; a source out of range (`>= node_count`) or with an
/// initial time above the cap is skipped, and a repeated source keeps its smallest time. Ties are
/// visited in queue order (the order nodes reached that time, which depends only on the graph and
/// the sources); above [`MAX_BUCKET_CAP_DS`] the heap fallback visits ties in node-id order.
/// Nothing is allocated once `scratch` has served a search of the same size and cap.
pub fn bounded(
    graph: &WalkGraph,
    scratch: &mut Scratch,
    sources: &[(NodeId, u32)],
    cap_ds: u32,
    visit: impl FnMut(u32, u32),
) -> SearchStats {
    let (mut dist, buckets, heap) = scratch.begin(graph.node_count());
    if cap_ds <= MAX_BUCKET_CAP_DS {
        buckets.reset(cap_ds);
        search(graph, &mut dist, buckets, sources, cap_ds, visit)
    } else {
        heap.reset();
        search(graph, &mut dist, heap, sources, cap_ds, visit)
    }
}
