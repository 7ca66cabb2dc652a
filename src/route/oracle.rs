//! Test reference: `petgraph::algo::dijkstra` on a `petgraph::Graph` built from the same CSR.
//! Multi-source searches use a virtual super-source whose edges carry the initial times; the cap
//! is applied afterwards.

use petgraph::Graph;
use petgraph::algo::dijkstra;
use petgraph::graph::NodeIndex;

use super::UNREACHED;
use crate::graph::{NodeId, WalkGraph};

/// A graph of `n` nodes (dummy coordinates) from an undirected edge list `(a, b, walk_ds)`.
pub(super) fn make_graph(n: usize, edges: &[(u32, u32, u32)]) -> WalkGraph {
    WalkGraph::from_undirected(vec![[0.0, 0.0]; n], vec![0; n], n as u32, edges)
}

/// Reference times: shortest time from the nearest source (plus its initial time) to every node,
/// `UNREACHED` beyond `cap_ds`. Out-of-range sources are ignored.
pub(super) fn oracle(graph: &WalkGraph, sources: &[(NodeId, u32)], cap_ds: u32) -> Vec<u32> {
    let n = graph.node_count();
    let mut g: Graph<(), u64> = Graph::with_capacity(n + 1, graph.edge_count() + sources.len());
    for _ in 0..=n {
        g.add_node(());
    }
    for v in 0..n {
        for (t, w) in graph.edges(v as u32) {
            g.add_edge(NodeIndex::new(v), NodeIndex::new(t as usize), u64::from(w));
        }
    }
    let super_source = NodeIndex::new(n);
    for &(s, initial_ds) in sources {
        if s.idx() < n {
            g.add_edge(super_source, NodeIndex::new(s.idx()), u64::from(initial_ds));
        }
    }
    let scores = dijkstra(&g, super_source, None, |e| *e.weight());
    (0..n)
        .map(|v| match scores.get(&NodeIndex::new(v)) {
            Some(&d) if d <= u64::from(cap_ds) && d < u64::from(UNREACHED) => d as u32,
            _ => UNREACHED,
        })
        .collect()
}
