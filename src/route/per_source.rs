//! One bounded search per source, in parallel.

use std::cell::RefCell;

use rayon::prelude::*;

use super::{Scratch, bounded};
use crate::graph::{NodeId, WalkGraph};

/// One bounded search per source, in parallel (a per-thread Scratch kept across calls), each
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
    let run = |scratch: &mut Scratch, settled: &mut Vec<(u32, u32)>, i: usize, source: (NodeId, u32)| {
        settled.clear();
        bounded(graph, scratch, &[source], cap_ds, |node, time_ds| settled.push((node, time_ds)));
        f(i, settled)
    };
    sources
        .par_iter()
        .enumerate()
        .map(|(i, &source)| {
            // One scratch per worker thread for the life of the process: rayon's `map_init` would
            // build one per split job (dozens per call, each a fresh `8 × node_count`-byte array
            // the kernel must page in), which dominated the 2SFCA stage on real data.
            SCRATCH.with(|cell| match cell.try_borrow_mut() {
                Ok(mut slot) => {
                    let (scratch, settled) = slot.get_or_insert_with(|| (Scratch::new(node_count), Vec::new()));
                    run(scratch, settled, i, source)
                }
                // Re-entered from inside `f`: use a scratch of its own.
                Err(_) => run(&mut Scratch::new(node_count), &mut Vec::new(), i, source),
            })
        })
        .collect()
}

/// A worker's search state and settled-node buffer.
type Worker = (Scratch, Vec<(u32, u32)>);

thread_local! {
    static SCRATCH: RefCell<Option<Worker>> = const { RefCell::new(None) };
}
