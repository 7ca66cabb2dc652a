//! Property tests: every kernel against the `petgraph` oracle on seeded random graphs.

use std::sync::OnceLock;

use proptest::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};

use super::oracle::{make_graph, oracle};
use super::{MAX_BUCKET_CAP_DS, Scratch, UNREACHED, bounded, nearest, nearest_many, per_source};
use crate::graph::{NodeId, WalkGraph};

/// SplitMix64: a tiny deterministic generator, so each case is reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

#[derive(Debug)]
struct Case {
    graph: WalkGraph,
    sources: Vec<(NodeId, u32)>,
    cap_ds: u32,
}

/// Builds a sparse random graph of `n` nodes split into `parts` blocks with no edge between
/// blocks (so parts are disconnected; isolated nodes occur too), about `n * degree / 2` edges
/// (self-loops and parallel edges included), weights with ~15% zeros, and `source_count` sources
/// whose initial times may exceed the cap and whose nodes may repeat.
fn build_case(seed: u64, n: usize, degree: u64, parts: usize, source_count: usize, cap_ds: u32) -> Case {
    let mut rng = Rng(seed);
    let mut cuts: Vec<usize> = (1..parts).map(|_| rng.below(n as u64) as usize).collect();
    cuts.push(0);
    cuts.push(n);
    cuts.sort_unstable();
    let block_of = |v: usize| cuts.partition_point(|&c| c <= v) - 1;

    let edge_count = n as u64 * degree / 2;
    let mut edges = Vec::with_capacity(edge_count as usize);
    for _ in 0..edge_count {
        let a = rng.below(n as u64) as usize;
        let blk = block_of(a);
        let (lo, hi) = (cuts[blk], cuts[blk + 1]);
        let b = lo + rng.below((hi - lo) as u64) as usize;
        let w = match rng.below(100) {
            0..15 => 0,
            15..65 => 1 + rng.below(60) as u32,
            _ => 61 + rng.below(540) as u32,
        };
        edges.push((a as u32, b as u32, w));
    }

    let mut sources: Vec<(NodeId, u32)> = Vec::with_capacity(source_count);
    for k in 0..source_count {
        let node = if k > 0 && rng.below(4) == 0 {
            sources[rng.below(k as u64) as usize].0
        } else {
            NodeId(rng.below(n as u64) as u32)
        };
        let initial = rng.below(u64::from(cap_ds.min(3000)) + 300) as u32;
        sources.push((node, initial));
    }
    Case { graph: make_graph(n, &edges), sources, cap_ds }
}

fn case() -> impl Strategy<Value = Case> {
    let cap = prop_oneof![
        2 => 0u32..=60,
        8 => 0u32..=4000,
        1 => Just(MAX_BUCKET_CAP_DS),
        1 => (MAX_BUCKET_CAP_DS + 1)..=u32::MAX,
    ];
    (any::<u64>(), 1usize..=300, 0u64..=6, 1usize..=4, 1usize..=5, cap).prop_map(
        |(seed, n, degree, parts, source_count, cap_ds)| build_case(seed, n, degree, parts, source_count, cap_ds),
    )
}

fn pool(threads: usize) -> &'static ThreadPool {
    static ONE: OnceLock<ThreadPool> = OnceLock::new();
    static TWO: OnceLock<ThreadPool> = OnceLock::new();
    let cell = if threads == 1 { &ONE } else { &TWO };
    cell.get_or_init(|| ThreadPoolBuilder::new().num_threads(threads).build().unwrap())
}

/// Runs `bounded` and returns the visits in order.
fn visits(graph: &WalkGraph, scratch: &mut Scratch, sources: &[(NodeId, u32)], cap_ds: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    bounded(graph, scratch, sources, cap_ds, |v, t| out.push((v, t)));
    out
}

/// Checks a visit sequence against reference times: each node at most once, with its reference
/// time, in non-decreasing time order, and every node within the cap present.
fn check_visits(seen: &[(u32, u32)], expected: &[u32]) -> Result<(), TestCaseError> {
    let mut got = vec![UNREACHED; expected.len()];
    for &(v, t) in seen {
        prop_assert_eq!(got[v as usize], UNREACHED, "node {} visited twice", v);
        got[v as usize] = t;
    }
    prop_assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1), "times decrease: {:?}", seen);
    prop_assert_eq!(got.as_slice(), expected);
    Ok(())
}

proptest! {
    #[test]
    fn nearest_equals_oracle(c in case()) {
        let (times, stats) = nearest(&c.graph, &c.sources, c.cap_ds);
        let expected = oracle(&c.graph, &c.sources, c.cap_ds);
        prop_assert_eq!(&times, &expected);
        let reached = expected.iter().filter(|&&t| t != UNREACHED).count() as u64;
        prop_assert_eq!(stats.settled, reached);
    }

    #[test]
    fn bounded_visits_exactly_the_capped_ball(c in case()) {
        let mut scratch = Scratch::new(c.graph.node_count());
        // Dirty the scratch with another query first: results must not depend on it.
        let warm = [(c.sources[0].0, 0)];
        let first = visits(&c.graph, &mut scratch, &warm, c.cap_ds / 2 + 7);
        check_visits(&first, &oracle(&c.graph, &warm, c.cap_ds / 2 + 7))?;

        let seen = visits(&c.graph, &mut scratch, &c.sources, c.cap_ds);
        check_visits(&seen, &oracle(&c.graph, &c.sources, c.cap_ds))?;
        // Same query again on the reused scratch: identical, including tie order.
        prop_assert_eq!(visits(&c.graph, &mut scratch, &c.sources, c.cap_ds), seen);
    }

    #[test]
    fn per_source_equals_sequential_bounded_on_any_pool(c in case()) {
        let mut scratch = Scratch::new(c.graph.node_count());
        let sequential: Vec<(usize, Vec<(u32, u32)>)> = c
            .sources
            .iter()
            .enumerate()
            .map(|(i, &s)| (i, visits(&c.graph, &mut scratch, &[s], c.cap_ds)))
            .collect();
        let run = |threads| {
            pool(threads).install(|| {
                per_source(&c.graph, &c.sources, c.cap_ds, |i, settled| (i, settled.to_vec()))
            })
        };
        prop_assert_eq!(&run(1), &sequential);
        prop_assert_eq!(&run(2), &sequential);
    }

    #[test]
    fn nearest_many_equals_nearest_per_job(c in case()) {
        // One job per prefix of the sources, each with its own cap.
        let jobs: Vec<(Vec<(NodeId, u32)>, u32)> = (1..=c.sources.len())
            .map(|k| (c.sources[..k].to_vec(), c.cap_ds.saturating_sub(k as u32 * 37)))
            .collect();
        let many = pool(2).install(|| nearest_many(&c.graph, &jobs));
        prop_assert_eq!(many.len(), jobs.len());
        for ((sources, cap_ds), (times, _)) in jobs.iter().zip(&many) {
            prop_assert_eq!(times, &oracle(&c.graph, sources, *cap_ds));
        }
    }
}
