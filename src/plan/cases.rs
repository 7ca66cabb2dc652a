//! Handwritten planning cases with known answers, and the edge cases of the contract.

use super::brute::{optimum, plain_greedy};
use super::fixture::{Instance, set_system};
use super::props::pool;
use super::{PlanInput, PlanResult, plan_max_coverage};
use crate::graph::WalkGraph;

fn picked(r: &PlanResult) -> Vec<usize> {
    r.picks.iter().map(|p| p.candidate).collect()
}

fn gains(r: &PlanResult) -> Vec<f64> {
    r.picks.iter().map(|p| p.gain).collect()
}

/// Street path 0–1–…–6 (10 ds per edge); demand points at street nodes 0, 2, 3 and 6 (point
/// nodes 7–10, 5 ds connectors) with weights 4, 1, 2, 3; threshold 15 ds, so a site at street
/// node v reaches the points at v − 1, v and v + 1. Candidates: every street node.
fn path_instance() -> Instance {
    let mut edges: Vec<(u32, u32, u32)> = (0..6).map(|v| (v, v + 1, 10)).collect();
    edges.extend([(7, 0, 5), (8, 2, 5), (9, 3, 5), (10, 6, 5)]);
    Instance {
        graph: WalkGraph::from_undirected(
            (0..11).map(|i| [f64::from(i) * 1e-4, 0.0]).collect(),
            (0..11).map(|i| i64::from(i < 7)).collect(),
            7,
            &edges,
        ),
        demand_node: vec![Some(7), Some(8), Some(9), Some(10)],
        weight: vec![4.0, 1.0, 2.0, 3.0],
        covered: vec![false; 4],
        candidates: (0..7).collect(),
        threshold_ds: 15,
        facilities: Vec::new(),
    }
}

#[test]
fn path_hand_computed() {
    // Catchments: 0 {p0} 4; 1 {p0, p1} 5; 2 {p1, p2} 3; 3 {p1, p2} 3; 4 {p2} 2; 5 {p3} 3;
    // 6 {p3} 3. Round 1: site 1 (5). Round 2: sites 2, 3, 4 gain 2, sites 5, 6 gain 3 → site 5.
    // Round 3: sites 2, 3, 4 tie at 2 → site 2. Then nothing is left.
    let inst = path_instance();
    let r = plan_max_coverage(&inst.input(), 5);
    assert_eq!(picked(&r), vec![1, 5, 2]);
    assert_eq!(gains(&r), vec![5.0, 3.0, 2.0]);
    let p = &r.picks;
    assert_eq!((p[0].newly_covered.clone(), p[1].newly_covered.clone()), (vec![0, 1], vec![3]));
    assert_eq!(p[2].newly_covered, vec![2]);
    assert_eq!(p.iter().map(|p| p.node).collect::<Vec<_>>(), vec![1, 5, 2]);
    assert_eq!(p.iter().map(|p| p.cumulative_covered).collect::<Vec<_>>(), vec![5.0, 8.0, 10.0]);
    assert_eq!(p[2].cumulative_share, 1.0);
    assert_eq!((r.baseline_covered, r.total_demand), (0.0, 10.0));
    assert_eq!(r.searches, 4);
    // Seven initial gains, then lazy re-evaluations only where a bound could win.
    assert!(r.evaluations >= 7 && r.evaluations < 7 * 3, "{}", r.evaluations);
}

#[test]
fn path_with_existing_coverage_stops_early() {
    // The point at street node 6 is already covered: only 3 searches, and after sites 1 and 2
    // nothing remains, so fewer picks than asked.
    let mut inst = path_instance();
    inst.covered[3] = true;
    let r = plan_max_coverage(&inst.input(), 3);
    assert_eq!(picked(&r), vec![1, 2]);
    assert_eq!(gains(&r), vec![5.0, 2.0]);
    assert_eq!((r.baseline_covered, r.total_demand, r.searches), (3.0, 10.0, 3));
    assert_eq!(r.picks[1].cumulative_covered, 10.0);
}

#[test]
fn disjoint_catchments_greedy_is_optimal() {
    // Disjoint catchments: coverage is additive, so the k heaviest catchments are optimal and
    // greedy takes exactly those, heaviest first.
    let sets: [&[usize]; 5] = [&[0, 1], &[2], &[3, 4, 5], &[6], &[7, 8]];
    let weight = [3.0, 4.0, 9.0, 1.0, 2.0, 2.0, 6.0, 0.5, 0.25];
    // Catchment weights: 7, 9, 5, 6, 0.75.
    let inst = set_system(&sets, &weight);
    for count in 1..=6 {
        let r = plan_max_coverage(&inst.input(), count);
        let order = [1, 0, 3, 2, 4];
        assert_eq!(picked(&r), order[..count.min(5)].to_vec());
        let got: f64 = gains(&r).iter().sum();
        assert_eq!(got, optimum(&inst.input(), count).0, "count {count}");
    }
}

#[test]
fn greedy_can_miss_the_optimum_within_the_bound() {
    // Greedy takes the big middle catchment first (4), then gains 1; the two side catchments
    // together cover 6. 5 / 6 ≥ 1 − (1 − 1/2)² = 0.75.
    let sets: [&[usize]; 3] = [&[1, 2, 3, 4], &[0, 1, 2], &[3, 4, 5]];
    let inst = set_system(&sets, &[1.0; 6]);
    let r = plan_max_coverage(&inst.input(), 2);
    assert_eq!(picked(&r), vec![0, 1]);
    assert_eq!(gains(&r), vec![4.0, 1.0]);
    assert_eq!(optimum(&inst.input(), 2), (6.0, vec![1, 2]));
}

#[test]
fn ties_go_to_the_lower_candidate_index() {
    // Three equal catchments, two of them identical: 0 first, then 1; 2 has nothing left.
    let sets: [&[usize]; 3] = [&[0, 1], &[2, 3], &[0, 1]];
    let r = plan_max_coverage(&set_system(&sets, &[1.0; 4]).input(), 3);
    assert_eq!(picked(&r), vec![0, 1]);
    // The tie decided after a lazy re-evaluation, either way round: after site 0 both others
    // gain 2; the re-evaluated one (bound 3) and the untouched one (bound 2) tie, and the lower
    // index wins whether it is the re-evaluated one or not.
    for (sets, want) in
        [([&[0, 1, 2][..], &[2, 3, 4], &[5, 6]], [0, 1, 2]), ([&[0, 1, 2][..], &[5, 6], &[2, 3, 4]], [0, 1, 2])]
    {
        let inst = set_system(&sets, &[1.0; 7]);
        let r = plan_max_coverage(&inst.input(), 3);
        assert_eq!(picked(&r), want.to_vec());
        assert_eq!(gains(&r), vec![3.0, 2.0, 2.0]);
        assert_eq!(plain_greedy(&inst.input(), 3), vec![(0, 3.0), (1, 2.0), (2, 2.0)]);
    }
    // Equal gains are compared exactly: 0.1 + 0.2 != 0.3 in binary, so the catchment {0.1, 0.2}
    // (sum 0.30000000000000004) beats {0.3} even at a higher index.
    let sets: [&[usize]; 2] = [&[2], &[0, 1]];
    let r = plan_max_coverage(&set_system(&sets, &[0.1, 0.2, 0.3]).input(), 1);
    assert_eq!(picked(&r), vec![1]);
}

#[test]
fn a_node_listed_twice_shares_its_catchment() {
    let mut inst = path_instance();
    inst.candidates = vec![6, 1, 5, 1];
    let r = plan_max_coverage(&inst.input(), 4);
    // Node 1 is candidates 1 and 3: the lower index is picked, then candidate 3 gains nothing;
    // nodes 6 and 5 tie at 3 → candidate 0 (node 6).
    assert_eq!(picked(&r), vec![1, 0]);
    assert_eq!(r.picks[1].node, 6);
}

#[test]
fn empty_and_degenerate_inputs() {
    let inst = path_instance();
    // Nothing asked, or nothing to choose from: no search at all.
    for (count, candidates) in [(0, vec![1u32]), (3, vec![])] {
        let input = PlanInput { candidates: &candidates, ..inst.input() };
        let r = plan_max_coverage(&input, count);
        assert!(r.picks.is_empty());
        assert_eq!((r.searches, r.evaluations, r.total_demand), (0, 0, 10.0));
    }
    // Everything covered already.
    let all = [true; 4];
    let r = plan_max_coverage(&PlanInput { covered: &all, ..inst.input() }, 3);
    assert!(r.picks.is_empty());
    assert_eq!((r.searches, r.baseline_covered), (0, 10.0));
    // Unattached points and unusable weights count for nothing; a candidate outside the graph
    // covers nothing.
    let nodes = [None, Some(8), Some(9), Some(10)];
    let weight = [4.0, f64::NAN, -2.0, f64::INFINITY];
    let far = [99u32, 6];
    let r = plan_max_coverage(&PlanInput { demand_node: &nodes, weight: &weight, candidates: &far, ..inst.input() }, 3);
    assert_eq!((r.total_demand, r.searches), (4.0, 0));
    assert!(r.picks.is_empty());
    // An empty graph with no demand.
    let empty = WalkGraph::default();
    let r = plan_max_coverage(
        &PlanInput {
            graph: &empty,
            demand_node: &[],
            weight: &[],
            covered: &[],
            candidates: &[0, 1],
            threshold_ds: 100,
        },
        2,
    );
    assert_eq!((r.picks.len(), r.total_demand, r.searches), (0, 0.0, 0));
    // Empty sums are +0.0, never "-0" in a report.
    assert!(r.total_demand.is_sign_positive() && r.baseline_covered.is_sign_positive());
}

#[test]
#[should_panic(expected = "same length")]
fn mismatched_lengths_panic() {
    let inst = path_instance();
    plan_max_coverage(&PlanInput { weight: &[1.0], ..inst.input() }, 1);
}

/// A 40 × 40 street grid (10 ds edges), a demand point on every third street node (5 ds
/// connector, weights 1–9 with fractions), two existing facilities, every street node a
/// candidate, threshold 45 ds.
fn grid_instance() -> Instance {
    let side = 40u32;
    let streets = side * side;
    let mut edges = Vec::new();
    for r in 0..side {
        for c in 0..side {
            let v = r * side + c;
            if c + 1 < side {
                edges.push((v, v + 1, 10));
            }
            if r + 1 < side {
                edges.push((v, v + side, 10));
            }
        }
    }
    let mut demand_node = Vec::new();
    let mut weight = Vec::new();
    for (k, v) in (0..streets).step_by(3).enumerate() {
        let p = streets + k as u32;
        edges.push((p, v, 5));
        demand_node.push(Some(p));
        weight.push(1.0 + (v * 7919 % 80) as f64 / 10.0);
    }
    let n = (streets as usize) + demand_node.len();
    let graph =
        WalkGraph::from_undirected((0..n).map(|i| [i as f64 * 1e-5, 0.0]).collect(), vec![1; n], streets, &edges);
    let facilities = vec![0, 820];
    let sources: Vec<_> = facilities.iter().map(|&f| (crate::graph::NodeId(f), 0)).collect();
    let times = crate::route::nearest(&graph, &sources, 45).0;
    let covered = demand_node.iter().map(|v: &Option<u32>| times[v.unwrap() as usize] <= 45).collect();
    Instance { graph, demand_node, weight, covered, candidates: (0..streets).collect(), threshold_ds: 45, facilities }
}

#[test]
fn grid_lazy_equals_plain_greedy_on_one_and_two_threads() {
    let inst = grid_instance();
    let input = inst.input();
    let one = pool(1).install(|| plan_max_coverage(&input, 15));
    let two = pool(2).install(|| plan_max_coverage(&input, 15));
    assert_eq!(one, two);
    assert_eq!(one.picks.len(), 15);
    let lazy: Vec<(usize, f64)> = one.picks.iter().map(|p| (p.candidate, p.gain)).collect();
    assert_eq!(lazy, plain_greedy(&input, 15));
    // Lazy evaluation recomputes far fewer gains than 15 rounds over 1600 candidates.
    assert!(one.evaluations < 1600 + 15 * 200, "{}", one.evaluations);
}
