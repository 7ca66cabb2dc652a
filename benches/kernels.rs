//! Search-kernel benchmarks on a synthetic 1000×1000 street grid (see `benches/README.md`).
//!
//! Run with `cargo bench --bench kernels`. The grid has 1 M nodes and ~4 M directed edges; each
//! edge is 8–15 m walked at 1.1 m/s, in deciseconds, drawn from a fixed LCG so every run measures
//! the same graph.

use std::hint::black_box;
use std::time::Duration;

use circle15::graph::{NodeId, WalkGraph};
use circle15::route::{Scratch, bounded, nearest, nearest_many, per_source};
use criterion::{Criterion, criterion_group, criterion_main};
use petgraph::Graph;
use petgraph::algo::dijkstra;
use petgraph::graph::NodeIndex;

const SIDE: u32 = 1000;

/// Knuth's MMIX linear congruential generator; the high bits are used.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }
}

/// Walking time of an 8.0–15.0 m segment at 1.1 m/s, deciseconds.
fn segment_ds(rng: &mut Lcg) -> u32 {
    let length_dm = 80 + rng.next() % 71;
    (length_dm * 10 + 5) / 11
}

fn grid() -> WalkGraph {
    let mut rng = Lcg(0x15C1_2C1E);
    let n = (SIDE * SIDE) as usize;
    let mut edges = Vec::with_capacity(2 * n);
    for r in 0..SIDE {
        for c in 0..SIDE {
            let v = r * SIDE + c;
            if c + 1 < SIDE {
                edges.push((v, v + 1, segment_ds(&mut rng)));
            }
            if r + 1 < SIDE {
                edges.push((v, v + SIDE, segment_ds(&mut rng)));
            }
        }
    }
    let lon_lat = (0..n).map(|v| [(v as u32 % SIDE) as f64 * 1e-4, (v as u32 / SIDE) as f64 * 1e-4]);
    WalkGraph::from_undirected(lon_lat.collect(), vec![0; n], n as u32, &edges)
}

/// `count` pseudo-random sources with access walks of 0–300 ds.
fn sources(count: usize, seed: u64) -> Vec<(NodeId, u32)> {
    let mut rng = Lcg(seed);
    (0..count).map(|_| (NodeId(rng.next() % (SIDE * SIDE)), rng.next() % 301)).collect()
}

/// The same graph as a `petgraph::Graph` plus a super-source (the last node) linked to every
/// source with its initial time.
fn petgraph_with_super_source(g: &WalkGraph, srcs: &[(NodeId, u32)]) -> (Graph<(), u32>, NodeIndex) {
    let n = g.node_count();
    let mut pg: Graph<(), u32> = Graph::with_capacity(n + 1, g.edge_count() + srcs.len());
    for _ in 0..=n {
        pg.add_node(());
    }
    for v in 0..n {
        for (t, w) in g.edges(v as u32) {
            pg.add_edge(NodeIndex::new(v), NodeIndex::new(t as usize), w);
        }
    }
    let root = NodeIndex::new(n);
    for &(s, t0) in srcs {
        pg.add_edge(root, NodeIndex::new(s.idx()), t0);
    }
    (pg, root)
}

fn kernels(c: &mut Criterion) {
    let g = grid();
    let many = sources(50, 1);
    let centre = [(NodeId(SIDE / 2 * SIDE + SIDE / 2), 0)];
    let walkers = sources(200, 2);
    let (pg, root) = petgraph_with_super_source(&g, &many);
    let jobs: Vec<_> = (0..4).map(|k| (sources(50, 10 + k), 18_000)).collect();

    // Search sizes, printed once for the README.
    let (_, s) = nearest(&g, &many, 18_000);
    eprintln!("nearest 50 src cap 18000: settled {} relaxed {}", s.settled, s.relaxed);
    let (_, s) = nearest(&g, &many, u32::MAX);
    eprintln!("nearest 50 src uncapped: settled {} relaxed {}", s.settled, s.relaxed);
    let s = bounded(&g, &mut Scratch::new(g.node_count()), &centre, 9_000, |_, _| {});
    eprintln!("bounded 1 src cap 9000: settled {} relaxed {}", s.settled, s.relaxed);
    let settled: usize = per_source(&g, &walkers, 9_000, |_, s| s.len()).iter().sum();
    eprintln!("per_source 200 src cap 9000: settled {settled} in total");
    let settled: u64 = nearest_many(&g, &jobs).iter().map(|(_, s)| s.settled).sum();
    eprintln!("nearest_many 4 x 50 src cap 18000: settled {settled} in total");

    c.bench_function("nearest/50src/cap18000", |b| b.iter(|| black_box(nearest(&g, black_box(&many), 18_000))));
    c.bench_function("nearest/50src/uncapped_heap", |b| b.iter(|| black_box(nearest(&g, black_box(&many), u32::MAX))));
    c.bench_function("petgraph_dijkstra/50src/uncapped", |b| {
        b.iter(|| black_box(dijkstra(&pg, root, None, |e| *e.weight())))
    });
    c.bench_function("nearest_many/4x50src/cap18000", |b| b.iter(|| black_box(nearest_many(&g, black_box(&jobs)))));
    let mut scratch = Scratch::new(g.node_count());
    c.bench_function("bounded/1src/cap9000", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            bounded(&g, &mut scratch, black_box(&centre), 9_000, |_, t| sum += u64::from(t));
            black_box(sum)
        })
    });
    c.bench_function("per_source/200src/cap9000", |b| {
        b.iter(|| black_box(per_source(&g, black_box(&walkers), 9_000, |_, s| s.len())))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = kernels
}
criterion_main!(benches);
