//! Property tests of the planner on seeded random instances, against the exhaustive optimum, the
//! plain greedy algorithm and a re-run of the nearest-facility search.

use std::sync::OnceLock;

use proptest::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};

use super::brute::{MAX_CANDIDATES, optimum, plain_greedy};
use super::fixture::{Instance, random_instance, random_set_system};
use super::{PlanResult, plan_max_coverage};
use crate::graph::NodeId;
use crate::route::nearest;

/// Half random street networks, half random set systems (denser overlaps, where greedy is more
/// often short of the optimum); 1–4 sites to plan.
fn instance() -> impl Strategy<Value = (Instance, usize)> {
    let street = (any::<u64>(), 1usize..=40, 0u64..=6, 0usize..=40, 0usize..=3, 0usize..=MAX_CANDIDATES).prop_map(
        |(seed, streets, degree, points, facilities, cands)| {
            random_instance(seed, streets, degree, points, facilities, cands)
        },
    );
    let sets =
        (any::<u64>(), 0usize..=MAX_CANDIDATES, 0usize..=2, 0usize..=24, prop_oneof![Just(10u64), Just(25), Just(40)])
            .prop_map(|(seed, cands, facilities, points, percent)| {
                random_set_system(seed, cands, facilities, points, percent)
            });
    (prop_oneof![street, sets], 1usize..=4)
}

pub(super) fn pool(threads: usize) -> &'static ThreadPool {
    static ONE: OnceLock<ThreadPool> = OnceLock::new();
    static TWO: OnceLock<ThreadPool> = OnceLock::new();
    let cell = if threads == 1 { &ONE } else { &TWO };
    cell.get_or_init(|| ThreadPoolBuilder::new().num_threads(threads).build().unwrap())
}

/// Weight newly covered by all picks.
fn planned_gain(r: &PlanResult) -> f64 {
    r.picks.iter().map(|p| p.gain).sum()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Greedy reaches `1 − (1 − 1/k)^k ≥ 1 − 1/e` of the optimum, never exceeds it, and matches it
    /// when one site is planned or when it stopped early (everything coverable covered).
    #[test]
    fn greedy_within_bound_of_optimum((inst, count) in instance()) {
        let input = inst.input();
        let r = plan_max_coverage(&input, count);
        let (opt, _) = optimum(&input, count);
        let got = planned_gain(&r);
        let k = count as f64;
        let bound = 1.0 - (1.0 - 1.0 / k).powf(k);
        prop_assert!(bound >= 1.0 - (-1.0f64).exp());
        prop_assert!(got >= bound * opt - 1e-9 * (1.0 + opt), "greedy {got} < {bound} × {opt}");
        prop_assert!(got <= opt + 1e-9 * (1.0 + opt), "greedy {got} > optimum {opt}");
        if count == 1 || r.picks.len() < count {
            prop_assert!(close(got, opt), "greedy {got} != optimum {opt}");
        }
    }

    /// Lazy evaluation picks exactly what the plain greedy algorithm picks, gains bit for bit.
    #[test]
    fn lazy_equals_plain_greedy((inst, count) in instance()) {
        let input = inst.input();
        let r = plan_max_coverage(&input, count);
        let lazy: Vec<(usize, f64)> = r.picks.iter().map(|p| (p.candidate, p.gain)).collect();
        prop_assert_eq!(lazy, plain_greedy(&input, count));
    }

    /// Gains positive and non-increasing; running totals exactly baseline + gains so far; every
    /// newly covered set disjoint from the others and from the baseline, summing to its gain.
    #[test]
    fn gains_and_totals_are_consistent((inst, count) in instance()) {
        let input = inst.input();
        let r = plan_max_coverage(&input, count);
        let usable = |w: f64| if w.is_finite() && w > 0.0 { w } else { 0.0 };
        prop_assert_eq!(r.total_demand, inst.weight.iter().map(|&w| usable(w)).sum::<f64>());
        let baseline: f64 = (0..inst.weight.len())
            .filter(|&i| inst.covered[i])
            .map(|i| usable(inst.weight[i]))
            .sum();
        prop_assert_eq!(r.baseline_covered, baseline);
        prop_assert!(r.picks.len() <= count);
        let mut done = inst.covered.clone();
        let mut cumulative = r.baseline_covered;
        for (k, p) in r.picks.iter().enumerate() {
            prop_assert_eq!(p.rank, k + 1);
            prop_assert_eq!(p.node, inst.candidates[p.candidate]);
            prop_assert!(p.gain > 0.0);
            if k > 0 {
                prop_assert!(p.gain <= r.picks[k - 1].gain);
            }
            prop_assert!(p.newly_covered.windows(2).all(|w| w[0] < w[1]));
            let mut sum = 0.0;
            for &i in &p.newly_covered {
                prop_assert!(!done[i], "point {} covered twice", i);
                prop_assert!(inst.demand_node[i].is_some() && inst.weight[i] > 0.0);
                done[i] = true;
                sum += inst.weight[i];
            }
            prop_assert_eq!(sum, p.gain);
            cumulative += p.gain;
            prop_assert_eq!(p.cumulative_covered, cumulative);
            let share = if r.total_demand > 0.0 { cumulative / r.total_demand } else { 0.0 };
            prop_assert_eq!(p.cumulative_share, share);
        }
        prop_assert!(r.evaluations >= r.picks.len());
    }

    /// A new nearest-facility search from the existing facilities plus the picked sites covers
    /// exactly the baseline and the newly covered points, i.e. re-running the analysis with the
    /// planned sites reproduces the cumulative coverage.
    #[test]
    fn rerun_nearest_reproduces_cumulative((inst, count) in instance()) {
        let r = plan_max_coverage(&inst.input(), count);
        let sources: Vec<(NodeId, u32)> = inst
            .facilities
            .iter()
            .chain(r.picks.iter().map(|p| &p.node))
            .map(|&v| (NodeId(v), 0))
            .collect();
        let times = nearest(&inst.graph, &sources, inst.threshold_ds).0;
        let after: Vec<bool> = inst
            .demand_node
            .iter()
            .map(|v| v.is_some_and(|v| times[v as usize] <= inst.threshold_ds))
            .collect();
        let mut expected = inst.covered.clone();
        for p in &r.picks {
            for &i in &p.newly_covered {
                expected[i] = true;
            }
        }
        // Zero-weight points the new sites reach are not reported as newly covered.
        for i in 0..after.len() {
            if inst.weight[i] > 0.0 {
                prop_assert_eq!(after[i], expected[i], "point {}", i);
            }
        }
        let covered_after: f64 = (0..after.len())
            .filter(|&i| after[i])
            .map(|i| inst.weight[i])
            .sum();
        let last = r.picks.last().map_or(r.baseline_covered, |p| p.cumulative_covered);
        prop_assert!(close(covered_after, last), "{covered_after} vs {last}");
    }

    /// The same result on a one-thread and a two-thread pool.
    #[test]
    fn same_result_on_one_and_two_threads((inst, count) in instance()) {
        let input = inst.input();
        let one = pool(1).install(|| plan_max_coverage(&input, count));
        let two = pool(2).install(|| plan_max_coverage(&input, count));
        prop_assert_eq!(one, two);
    }
}
