//! One bounded search per source, in parallel.

use rayon::prelude::*;

use super::{Scratch, bounded};
use crate::graph::{NodeId, WalkGraph};

/// One bounded search per source, in parallel (rayon `map_init` with a per-thread Scratch), each
/// producing a value via `f`; results returned in source order (deterministic regardless of thread
/// count).
///
/// For source `i`, `f(i, settled)` receives every node the search settled as `(node, time_ds)`,
/// i.e. exactly the nodes with time `<= cap_ds` from that source (starting at its own initial
/// time), in the visiting order of [`bounded`]. The slice lives in a buffer reused by the next
/// search on the same worker, so `f` must copy out whatever it keeps. Each search is independent
/// and deterministic and results are collected by index, so the output does not depend on the
/// number of threads or on scheduling.
pub fn per_source<T: Send>(
    graph: &WalkGraph,
    sources: &[(NodeId, u32)],
    cap_ds: u32,
    f: impl Fn(usize, &[(u32, u32)]) -> T + Sync,
) -> Vec<T> {
    let node_count = graph.node_count();
    sources
        .par_iter()
        .enumerate()
        .map_init(
            || (Scratch::new(node_count), Vec::new()),
            |(scratch, settled), (i, &source)| {
                settled.clear();
                bounded(graph, scratch, &[source], cap_ds, |node, time_ds| settled.push((node, time_ds)));
                f(i, settled)
            },
        )
        .collect()
}
