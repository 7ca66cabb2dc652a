//! Handwritten cases with known answers, and the edge cases of the contract.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::oracle::{make_graph, oracle};
use super::{MAX_BUCKET_CAP_DS, Scratch, UNREACHED, bounded, nearest, nearest_many, per_source};
use crate::graph::{NodeId, WalkGraph};

const U: u32 = UNREACHED;

/// 0 - 1 - 2 - 3 - 4, every edge 10 ds.
fn path5() -> WalkGraph {
    make_graph(5, &[(0, 1, 10), (1, 2, 10), (2, 3, 10), (3, 4, 10)])
}

/// `side × side` grid, node `r * side + c`, every edge `w` ds.
fn grid(side: u32, w: u32) -> WalkGraph {
    let mut edges = Vec::new();
    for r in 0..side {
        for c in 0..side {
            let v = r * side + c;
            if c + 1 < side {
                edges.push((v, v + 1, w));
            }
            if r + 1 < side {
                edges.push((v, v + side, w));
            }
        }
    }
    make_graph((side * side) as usize, &edges)
}

fn collect(graph: &WalkGraph, scratch: &mut Scratch, sources: &[(NodeId, u32)], cap_ds: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    bounded(graph, scratch, sources, cap_ds, |v, t| out.push((v, t)));
    out
}

#[test]
fn path_single_source_stops_at_cap() {
    let g = path5();
    let (times, stats) = nearest(&g, &[(NodeId(0), 0)], 25);
    assert_eq!(times, vec![0, 10, 20, U, U]);
    assert_eq!(stats.settled, 3);
    assert_eq!(stats.relaxed, 5); // degrees 1 + 2 + 2
    let mut scratch = Scratch::new(5);
    assert_eq!(collect(&g, &mut scratch, &[(NodeId(0), 0)], 25), vec![(0, 0), (1, 10), (2, 20)]);
    // The cap is inclusive.
    assert_eq!(nearest(&g, &[(NodeId(0), 0)], 20).0, vec![0, 10, 20, U, U]);
}

#[test]
fn path_two_sources_with_access_walks() {
    let g = path5();
    let (times, _) = nearest(&g, &[(NodeId(0), 0), (NodeId(4), 5)], 100);
    assert_eq!(times, vec![0, 10, 20, 15, 5]);
    let mut scratch = Scratch::new(5);
    let seen = collect(&g, &mut scratch, &[(NodeId(0), 0), (NodeId(4), 5)], 100);
    assert_eq!(seen, vec![(0, 0), (4, 5), (1, 10), (3, 15), (2, 20)]);
}

#[test]
fn grid_times_are_manhattan_distances() {
    let side = 6;
    let g = grid(side, 7);
    let cap = 7 * 4;
    let (times, stats) = nearest(&g, &[(NodeId(0), 0)], cap);
    let expected: Vec<u32> = (0..side * side)
        .map(|v| {
            let t = 7 * (v / side + v % side);
            if t <= cap { t } else { U }
        })
        .collect();
    assert_eq!(times, expected);
    assert_eq!(stats.settled, 15); // 1 + 2 + 3 + 4 + 5 nodes on the first five diagonals
    // Centre source on a larger cap: every node reached, agrees with the oracle.
    let centre = [(NodeId(2 * side + 2), 3)];
    assert_eq!(nearest(&g, &centre, 1000).0, oracle(&g, &centre, 1000));
}

#[test]
fn repeated_source_keeps_smallest_initial_time() {
    let g = path5();
    for sources in [[(NodeId(2), 50), (NodeId(2), 3)], [(NodeId(2), 3), (NodeId(2), 50)]] {
        assert_eq!(nearest(&g, &sources, 40).0, vec![23, 13, 3, 13, 23]);
        let mut scratch = Scratch::new(5);
        let seen = collect(&g, &mut scratch, &sources, 40);
        assert_eq!(seen.len(), 5);
        assert_eq!(seen[0], (2, 3));
    }
}

#[test]
fn initial_time_above_cap_is_ignored() {
    let g = path5();
    assert_eq!(nearest(&g, &[(NodeId(0), 26)], 25).0, vec![U; 5]);
    assert_eq!(nearest(&g, &[(NodeId(0), 26), (NodeId(4), 25)], 25).0, vec![U, U, U, U, 25]);
    let mut scratch = Scratch::new(5);
    assert!(collect(&g, &mut scratch, &[(NodeId(3), 26)], 25).is_empty());
}

#[test]
fn zero_weight_edges_share_the_source_time() {
    // 0 =0= 1 =0= 2 -5- 3, plus 1 =0= 3 making 3 reachable at 0 too; 4 isolated.
    let g = make_graph(5, &[(0, 1, 0), (1, 2, 0), (2, 3, 5), (1, 3, 0)]);
    let expected = vec![4, 4, 4, 4, U];
    assert_eq!(nearest(&g, &[(NodeId(0), 4)], 10).0, expected);
    let mut scratch = Scratch::new(5);
    let seen = collect(&g, &mut scratch, &[(NodeId(0), 4)], 10);
    // Ties visited in the order reached: 0, then its neighbour 1, then 1's neighbours by id.
    assert_eq!(seen, vec![(0, 4), (1, 4), (2, 4), (3, 4)]);
    // A graph of only zero-weight edges with cap 0.
    assert_eq!(nearest(&g, &[(NodeId(2), 0)], 0).0, vec![0, 0, 0, 0, U]);
}

#[test]
fn empty_graph_and_empty_sources() {
    let empty = WalkGraph::default();
    assert_eq!(nearest(&empty, &[(NodeId(0), 0)], 100).0, Vec::<u32>::new());
    let mut scratch = Scratch::new(0);
    assert!(collect(&empty, &mut scratch, &[(NodeId(0), 0)], 100).is_empty());
    assert_eq!(per_source(&empty, &[(NodeId(0), 0)], 100, |_, s| s.len()), vec![0]);
    assert!(nearest_many(&empty, &[]).is_empty());

    let g = path5();
    let (times, stats) = nearest(&g, &[], 100);
    assert_eq!(times, vec![U; 5]);
    assert_eq!((stats.settled, stats.relaxed), (0, 0));
    assert!(collect(&g, &mut scratch, &[], 100).is_empty());
    assert!(per_source(&g, &[], 100, |_, s| s.len()).is_empty());
}

#[test]
fn out_of_range_sources_are_skipped() {
    let g = path5();
    let sources = [(NodeId(99), 0), (NodeId(5), 0), (NodeId(1), 0)];
    assert_eq!(nearest(&g, &sources, 10).0, vec![10, 0, 10, U, U]);
    let mut scratch = Scratch::new(5);
    assert_eq!(collect(&g, &mut scratch, &sources[..2], 10), vec![]);
    assert_eq!(per_source(&g, &sources, 10, |_, s| s.len()), vec![0, 0, 3]);
}

#[test]
fn scratch_grows_to_a_larger_graph() {
    let g = path5();
    let mut scratch = Scratch::new(0);
    assert_eq!(collect(&g, &mut scratch, &[(NodeId(4), 0)], 10), vec![(4, 0), (3, 10)]);
}

#[test]
fn epoch_wrap_around_clears_old_stamps() {
    let g = path5();
    let mut scratch = Scratch::new(5);
    // Epoch 1 stamps node 4 with time 0.
    assert_eq!(collect(&g, &mut scratch, &[(NodeId(4), 0)], 0), vec![(4, 0)]);
    scratch.set_epoch(u32::MAX - 1);
    // Epoch u32::MAX.
    assert_eq!(collect(&g, &mut scratch, &[(NodeId(2), 0)], 0), vec![(2, 0)]);
    // The counter wraps back to 1: node 4's old stamp must not be taken as current.
    let seen = collect(&g, &mut scratch, &[(NodeId(0), 0)], 100);
    assert_eq!(seen, vec![(0, 0), (1, 10), (2, 20), (3, 30), (4, 40)]);
    assert_eq!(collect(&g, &mut scratch, &[(NodeId(0), 0)], 100), seen);
}

#[test]
fn scratch_survives_a_panicking_visitor() {
    let g = grid(5, 3);
    let mut scratch = Scratch::new(25);
    let aborted = catch_unwind(AssertUnwindSafe(|| {
        bounded(&g, &mut scratch, &[(NodeId(0), 0)], 30, |v, _| assert_ne!(v, 6, "stop"))
    }));
    assert!(aborted.is_err());
    let sources = [(NodeId(24), 0)];
    let mut times = vec![U; 25];
    bounded(&g, &mut scratch, &sources, 30, |v, t| times[v as usize] = t);
    assert_eq!(times, oracle(&g, &sources, 30));
}

#[test]
fn smaller_cap_after_larger_reuses_buckets() {
    let g = grid(8, 5);
    let mut scratch = Scratch::new(64);
    let big = collect(&g, &mut scratch, &[(NodeId(0), 0)], 1000);
    assert_eq!(big.len(), 64);
    let small = collect(&g, &mut scratch, &[(NodeId(63), 0)], 10);
    assert_eq!(small, vec![(63, 0), (55, 5), (62, 5), (47, 10), (54, 10), (61, 10)]);
}

#[test]
fn caps_above_the_bucket_limit_use_the_heap() {
    let g = grid(5, 1000);
    let sources = [(NodeId(12), 0), (NodeId(0), 2500)];
    for cap in [MAX_BUCKET_CAP_DS, MAX_BUCKET_CAP_DS + 1, u32::MAX] {
        assert_eq!(nearest(&g, &sources, cap).0, oracle(&g, &sources, cap));
    }
    // Both queues settle ties deterministically: the bucket queue in the order nodes were reached
    // (sources first, in list order), the heap in node-id order among the entries queued.
    let star = make_graph(5, &[(3, 4, 0), (3, 0, 0), (3, 2, 0), (3, 1, 0)]);
    let sources = [(NodeId(4), 0), (NodeId(1), 0)];
    let mut scratch = Scratch::new(5);
    let order = |seen: Vec<(u32, u32)>| seen.into_iter().map(|(v, _)| v).collect::<Vec<_>>();
    let buckets = collect(&star, &mut scratch, &sources, MAX_BUCKET_CAP_DS);
    assert_eq!(order(buckets), vec![4, 1, 3, 0, 2]);
    let heap = collect(&star, &mut scratch, &sources, MAX_BUCKET_CAP_DS + 1);
    assert_eq!(order(heap), vec![1, 3, 0, 2, 4]);
}

#[test]
fn large_frontier_with_prefetch_hints_matches_oracle() {
    // A 150 × 150 grid with varied weights and 40 sources keeps thousands of entries queued, so
    // the prefetching path of the kernel runs.
    let side = 150u32;
    let mut edges = Vec::new();
    let mut x = 12345u32;
    let mut weight = || {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        (x >> 16) % 140
    };
    for r in 0..side {
        for c in 0..side {
            let v = r * side + c;
            if c + 1 < side {
                edges.push((v, v + 1, weight()));
            }
            if r + 1 < side {
                edges.push((v, v + side, weight()));
            }
        }
    }
    let g = make_graph((side * side) as usize, &edges);
    let sources: Vec<(NodeId, u32)> = (0..40).map(|k| (NodeId(k * 557 % (side * side)), k * 13 % 300)).collect();
    let cap = 6000;
    let expected = oracle(&g, &sources, cap);
    assert_eq!(nearest(&g, &sources, cap).0, expected);
    let mut scratch = Scratch::new(g.node_count());
    let mut times = vec![U; g.node_count()];
    bounded(&g, &mut scratch, &sources, cap, |v, t| times[v as usize] = t);
    assert_eq!(times, expected);
}

#[test]
fn per_source_hands_each_search_its_settled_nodes_in_order() {
    let g = path5();
    let sources = [(NodeId(0), 0), (NodeId(4), 5), (NodeId(2), 30)];
    let out = per_source(&g, &sources, 25, |i, settled| (i, settled.to_vec()));
    assert_eq!(out, vec![(0, vec![(0, 0), (1, 10), (2, 20)]), (1, vec![(4, 5), (3, 15), (2, 25)]), (2, vec![]),]);
}
