//! Property tests of the 2SFCA objective and of budgets on seeded random instances, against the
//! exhaustive optimum and the plain greedy algorithm; and handwritten cases with known answers.

use proptest::prelude::*;

use super::brute::{MAX_CANDIDATES, coverage_value, reach};
use super::brute_sfca::{Model, best_subset};
use super::fixture::{Instance, Rng, random_instance, random_set_system, set_system};
use super::props::pool;
use super::{Budget, ShortfallInput, ShortfallResult, plan_max_coverage, plan_max_coverage_within, plan_shortfall};

/// A 2SFCA problem owning its data: a coverage instance plus targets, access and a capacity.
#[derive(Clone, Debug)]
struct SfcaInstance {
    base: Instance,
    target: Vec<f64>,
    access: Vec<f64>,
    capacity: f64,
}

impl SfcaInstance {
    fn input(&self) -> ShortfallInput<'_> {
        let b = &self.base;
        ShortfallInput {
            graph: &b.graph,
            demand_node: &b.demand_node,
            weight: &b.weight,
            target: &self.target,
            access: &self.access,
            covered: &b.covered,
            candidates: &b.candidates,
            threshold_ds: b.threshold_ds,
            capacity: self.capacity,
        }
    }
}

/// Targets 0–0.5 places per person (one in five 0), access 0–0.4 at covered points (0 elsewhere),
/// capacity 1–300.
fn with_targets(base: Instance, seed: u64) -> SfcaInstance {
    let mut rng = Rng(seed ^ 0x5F5F);
    let n = base.weight.len();
    let target = (0..n).map(|_| if rng.below(5) == 0 { 0.0 } else { rng.below(501) as f64 / 1000.0 }).collect();
    let access = (0..n)
        .map(|i| if base.covered[i] && rng.below(2) == 0 { rng.below(401) as f64 / 1000.0 } else { 0.0 })
        .collect();
    let capacity = (1 + rng.below(300)) as f64;
    SfcaInstance { base, target, access, capacity }
}

fn instance() -> impl Strategy<Value = (SfcaInstance, usize)> {
    let street = (any::<u64>(), 1usize..=40, 0u64..=6, 0usize..=40, 0usize..=3, 0usize..=MAX_CANDIDATES)
        .prop_map(|(seed, s, d, p, f, c)| with_targets(random_instance(seed, s, d, p, f, c), seed));
    let sets =
        (any::<u64>(), 0usize..=MAX_CANDIDATES, 0usize..=2, 0usize..=24, prop_oneof![Just(10u64), Just(25), Just(40)])
            .prop_map(|(seed, c, f, p, pc)| with_targets(random_set_system(seed, c, f, p, pc), seed));
    (prop_oneof![street, sets], 1usize..=4)
}

/// Integer costs 1–9 per candidate and a budget of 1–20.
fn costs(seed: u64, n: usize) -> (Vec<f64>, f64) {
    let mut rng = Rng(seed ^ 0xC057);
    ((0..n).map(|_| (1 + rng.below(9)) as f64).collect(), (1 + rng.below(20)) as f64)
}

fn total_gain(r: &ShortfallResult) -> f64 {
    r.picks.iter().map(|p| p.gain).sum()
}

/// Places the comparisons allow for: gains are compared rounded to 10⁻⁶ places, and sums of a few
/// dozen terms differ in the last bits.
fn slack(count: usize, scale: f64) -> f64 {
    1e-6 * count as f64 + 1e-9 * (1.0 + scale)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Greedy closes at least `1 − (1 − 1/k)^k ≥ 1 − 1/e` of the best shortfall any k sites close,
    /// never more than it, and all of it for one site.
    #[test]
    fn sfca_greedy_within_bound_of_optimum((inst, count) in instance()) {
        let input = inst.input();
        let r = plan_shortfall(&input, count, None);
        let m = Model::new(&input);
        let opt = best_subset(m.reach.len(), count, None, |mask| m.closed(mask));
        let got = total_gain(&r);
        let k = count as f64;
        let bound = 1.0 - (1.0 - 1.0 / k).powf(k);
        let eps = slack(count, opt);
        prop_assert!(got >= bound * opt - eps, "greedy {got} < {bound} × {opt}");
        prop_assert!(got <= opt + eps, "greedy {got} > optimum {opt}");
        if count == 1 {
            prop_assert!((got - opt).abs() <= eps, "greedy {got} != optimum {opt}");
        }
    }

    /// Lazy evaluation picks what plain greedy picks; the reported gains, remaining shortfall and
    /// access after the picks match a from-scratch evaluation of the picked set.
    #[test]
    fn sfca_lazy_equals_plain_greedy_and_replay((inst, count) in instance()) {
        let input = inst.input();
        let r = plan_shortfall(&input, count, None);
        let m = Model::new(&input);
        let plain = m.plain_greedy(count);
        let lazy: Vec<usize> = r.picks.iter().map(|p| p.candidate).collect();
        prop_assert_eq!(&lazy, &plain.iter().map(|p| p.0).collect::<Vec<_>>());
        let base = m.unmet(&m.access);
        prop_assert!((r.baseline_shortfall - base).abs() <= 1e-9 * (1.0 + base));
        let mut mask = 0u32;
        for (p, (_, raw)) in r.picks.iter().zip(&plain) {
            prop_assert!((p.gain - raw).abs() <= 1e-9 * (1.0 + raw), "{} vs {raw}", p.gain);
            prop_assert!(p.gain > 0.0);
            prop_assert_eq!(p.ratio, m.ratio[p.candidate] as f64 / crate::score::sfca::SCALE);
            mask |= 1 << p.candidate;
            let left = m.unmet(&m.access_with(mask));
            prop_assert!((p.remaining_shortfall - left).abs() <= 1e-9 * (1.0 + base), "{} vs {left}", p.remaining_shortfall);
            prop_assert!(p.closed.iter().all(|&(i, x)| x > 0.0 && m.reach[p.candidate][i]));
        }
        let after = m.access_with(mask);
        for (i, a) in after.iter().enumerate() {
            if m.weight[i] > 0.0 {
                prop_assert_eq!(r.access_after[i], *a as f64 / crate::score::sfca::SCALE, "point {}", i);
            }
        }
    }

    /// Same result on one and two threads.
    #[test]
    fn sfca_same_on_one_and_two_threads((inst, count) in instance()) {
        let input = inst.input();
        let one = pool(1).install(|| plan_shortfall(&input, count, None));
        let two = pool(2).install(|| plan_shortfall(&input, count, None));
        prop_assert_eq!(one, two);
    }

    /// Budgeted (both objectives): within the budget, and at least ½(1 − 1/e) of the budgeted
    /// optimum (Krause & Guestrin's bound for the better of cost-benefit greedy and the best single
    /// site).
    #[test]
    fn budgeted_within_bound_of_optimum((inst, _count) in instance(), seed in any::<u64>()) {
        let n = inst.base.candidates.len();
        let (cost, limit) = costs(seed, n);
        let budget = Budget { cost: &cost, limit };
        let bound = 0.5 * (1.0 - (-1.0f64).exp());
        let spent = |picks: &[usize]| picks.iter().map(|&c| cost[c]).sum::<f64>();

        let cov = inst.base.input();
        let r = plan_max_coverage_within(&cov, MAX_CANDIDATES, Some(budget));
        let picks: Vec<usize> = r.picks.iter().map(|p| p.candidate).collect();
        prop_assert!(spent(&picks) <= limit);
        let rc = reach(&cov);
        let opt = best_subset(n, n, Some((&cost, limit)), |mask| coverage_value(&cov, &rc, mask));
        let got: f64 = r.picks.iter().map(|p| p.gain).sum();
        prop_assert!(got >= bound * opt - 1e-9 * (1.0 + opt), "coverage {got} < {bound} × {opt}");
        prop_assert!(got <= opt + 1e-9 * (1.0 + opt));
        if let Some(last) = r.picks.last() {
            prop_assert_eq!(last.cumulative_cost, Some(spent(&picks)));
        }

        let input = inst.input();
        let r = plan_shortfall(&input, MAX_CANDIDATES, Some(budget));
        let picks: Vec<usize> = r.picks.iter().map(|p| p.candidate).collect();
        prop_assert!(spent(&picks) <= limit);
        let m = Model::new(&input);
        let opt = best_subset(n, n, Some((&cost, limit)), |mask| m.closed(mask));
        let got = total_gain(&r);
        let eps = slack(n, opt);
        prop_assert!(got >= bound * opt - eps, "sfca {got} < {bound} × {opt}");
        prop_assert!(got <= opt + eps);
    }
}

/// Four points (weights 10, 30, 20, 5; target 0.2 places per person, so 2, 6, 4 and 1 places
/// wanted); point 1 is covered with access 0.1 (3 places short). Capacity 8. Catchments: site 0
/// {p0, p1} (D = 40, R = 0.2), site 1 {p1, p2} (D = 50, R = 0.16), site 2 {p2, p3} (D = 25,
/// R = 0.32), site 3 {p0} (D = 10, R = 0.8).
fn four_points() -> SfcaInstance {
    let sets: [&[usize]; 4] = [&[0, 1], &[1, 2], &[2, 3], &[0]];
    let mut base = set_system(&sets, &[10.0, 30.0, 20.0, 5.0]);
    base.covered[1] = true;
    SfcaInstance { base, target: vec![0.2; 4], access: vec![0.0, 0.1, 0.0, 0.0], capacity: 8.0 }
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn sfca_hand_computed() {
    // Round 1: site 0 closes 10·0.2 + 30·0.1 = 5; site 1 30·0.1 + 20·0.16 = 6.2; site 2
    // 20·0.2 + 5·0.2 = 5; site 3 10·0.2 = 2 → site 1. Then p1 is at target and p2 0.04 short.
    // Round 2: site 0 2, site 2 20·0.04 + 1 = 1.8, site 3 2; sites 0 and 3 tie at 2 and both
    // newly cover p0 (10) → site 0. Round 3: site 2 (1.8), which closes the rest; then nothing.
    let inst = four_points();
    let r = plan_shortfall(&inst.input(), 5, None);
    assert!(near(r.baseline_shortfall, 10.0), "{}", r.baseline_shortfall);
    let picked: Vec<usize> = r.picks.iter().map(|p| p.candidate).collect();
    assert_eq!(picked, vec![1, 0, 2]);
    let want = [(6.2, 3.8, 0.16, 50.0), (2.0, 1.8, 0.2, 40.0), (1.8, 0.0, 0.32, 25.0)];
    for (p, (gain, left, ratio, d)) in r.picks.iter().zip(want) {
        assert!(near(p.gain, gain) && near(p.remaining_shortfall, left), "{p:?}");
        assert!(near(p.ratio, ratio) && p.catchment_demand == d, "{p:?}");
    }
    // Site 1 closes 3 places at p1 and 3.2 at p2, and newly covers p2 only.
    let closed = &r.picks[0].closed;
    assert_eq!(closed.iter().map(|c| c.0).collect::<Vec<_>>(), vec![1, 2]);
    assert!(near(closed[0].1, 3.0) && near(closed[1].1, 3.2));
    assert_eq!((r.picks[0].newly_covered.clone(), r.picks[0].newly_covered_weight), (vec![2], 20.0));
    // Access after: p0 0.2, p1 0.1 + 0.16 + 0.2, p2 0.16 + 0.32, p3 0.32.
    for (a, b) in r.access_after.iter().zip([0.2, 0.46, 0.48, 0.32]) {
        assert!(near(*a, b), "{a} vs {b}");
    }
    // Three sites close everything: optimal. Two sites: greedy 8.2, but sites 0 and 2 together
    // close 10 (8.2 ≥ 0.75 × 10).
    let m = Model::new(&inst.input());
    assert!(near(best_subset(4, 3, None, |mask| m.closed(mask)), 10.0));
    let two = plan_shortfall(&inst.input(), 2, None);
    assert!(near(total_gain(&two), 8.2));
    assert!(near(best_subset(4, 2, None, |mask| m.closed(mask)), 10.0));
}

#[test]
fn sfca_ties_go_to_newly_covered_residents() {
    // Two single-point catchments, both 10 residents 0.5 places short, capacity 5: each closes
    // exactly 5 places. Site 1's point is not covered yet, site 0's is: site 1 first.
    let sets: [&[usize]; 2] = [&[0], &[1]];
    let mut base = set_system(&sets, &[10.0, 10.0]);
    base.covered[0] = true;
    let inst = SfcaInstance { base, target: vec![0.5; 2], access: vec![0.0; 2], capacity: 5.0 };
    let r = plan_shortfall(&inst.input(), 2, None);
    assert_eq!(r.picks.iter().map(|p| (p.candidate, p.gain)).collect::<Vec<_>>(), vec![(1, 5.0), (0, 5.0)]);
    assert_eq!(r.picks[1].remaining_shortfall, 0.0);
}

#[test]
fn sfca_degenerate_inputs() {
    let inst = four_points();
    // No capacity, no count, no candidates: nothing searched, the baseline still reported.
    for (count, capacity, cands) in [(3, 0.0, vec![0u32]), (0, 8.0, vec![0]), (3, 8.0, vec![])] {
        let input = ShortfallInput { capacity, candidates: &cands, ..inst.input() };
        let r = plan_shortfall(&input, count, None);
        assert!(r.picks.is_empty() && r.searches == 0);
        assert!(near(r.baseline_shortfall, 10.0));
    }
    // Everything at target: searches run (for D_c) but nothing is picked.
    let at = [0.0; 4];
    let r = plan_shortfall(&ShortfallInput { target: &at, ..inst.input() }, 3, None);
    assert!(r.picks.is_empty());
    assert_eq!((r.baseline_shortfall, r.searches), (0.0, 4));
}

#[test]
fn budget_prefers_cheap_sites_when_they_cover_more() {
    // Site 0 covers 10 residents for 10, sites 1 and 2 cover 6 each for 3; budget 10. Greedy on
    // gain alone takes site 0 and nothing else fits (10); cost-benefit greedy takes sites 1 and 2
    // (12), which is optimal, and beats the best single site (10).
    let sets: [&[usize]; 3] = [&[0, 1], &[2], &[3]];
    let inst = set_system(&sets, &[5.0, 5.0, 6.0, 6.0]);
    let cost = [10.0, 3.0, 3.0];
    let plain = plan_max_coverage(&inst.input(), 3);
    assert_eq!(plain.picks[0].candidate, 0);
    let r = plan_max_coverage_within(&inst.input(), 3, Some(Budget { cost: &cost, limit: 10.0 }));
    assert_eq!(r.picks.iter().map(|p| p.candidate).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(
        r.picks.iter().map(|p| (p.cost, p.cumulative_cost)).collect::<Vec<_>>(),
        vec![(Some(3.0), Some(3.0)), (Some(3.0), Some(6.0))]
    );
    assert!(!r.single_instead);
    let rc = reach(&inst.input());
    let opt = best_subset(3, 3, Some((&cost, 10.0)), |m| coverage_value(&inst.input(), &rc, m));
    assert_eq!((r.picks.iter().map(|p| p.gain).sum::<f64>(), opt), (12.0, 12.0));
}

#[test]
fn budget_keeps_the_best_single_site_when_it_wins() {
    // Site 1 covers 2 for 1 (ratio 2), site 0 covers 10 for 10 (ratio 1); budget 10. Cost-benefit
    // greedy takes site 1, then site 0 no longer fits: 2. The single site 0 gives 10.
    let sets: [&[usize]; 2] = [&[0, 1], &[2]];
    let inst = set_system(&sets, &[5.0, 5.0, 2.0]);
    let cost = [10.0, 1.0];
    let r = plan_max_coverage_within(&inst.input(), 5, Some(Budget { cost: &cost, limit: 10.0 }));
    assert!(r.single_instead);
    assert_eq!(r.picks.iter().map(|p| (p.candidate, p.gain)).collect::<Vec<_>>(), vec![(0, 10.0)]);
    assert_eq!(r.picks[0].cumulative_cost, Some(10.0));
    // A budget below every cost: nothing.
    let r = plan_max_coverage_within(&inst.input(), 5, Some(Budget { cost: &cost, limit: 0.5 }));
    assert!(r.picks.is_empty());
    // The same on the 2SFCA objective: capacity 10, target 1 place per person.
    let s = SfcaInstance { base: inst, target: vec![1.0; 3], access: vec![0.0; 3], capacity: 10.0 };
    let r = plan_shortfall(&s.input(), 5, Some(Budget { cost: &cost, limit: 10.0 }));
    assert!(r.single_instead);
    // Site 0: D = 10, R = 1, closes 10; site 1: D = 2, R = 5, closes 2.
    assert_eq!(r.picks.iter().map(|p| (p.candidate, p.gain)).collect::<Vec<_>>(), vec![(0, 10.0)]);
}
