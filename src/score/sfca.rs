//! Two-step floating catchment (2SFCA) over the walk graph, computed from the facility side.
//!
//! Step 1: one bounded search per facility (radius = threshold) sums the demand-group residents
//! it reaches: `R_j = capacity_j / Σ_d w_d`. Step 2: a second bounded search per facility streams
//! `R_j` into every demand point it reaches: `A_d = Σ_j R_j`. No facility × point matrix is ever
//! held. Step-2 contributions are added as fixed-point integers (2⁻³² places per person), so the
//! totals are exact and identical whatever the order in which threads add them.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::graph::{NodeId, WalkGraph};
use crate::route::per_source;

/// Fixed-point scale of the accumulators.
pub const SCALE: f64 = 4_294_967_296.0;
/// Ratios are clamped here before accumulation (a facility reached by almost nobody).
pub const MAX_RATIO: f64 = 1.0e6;

/// Step 1's ratio of a facility: `capacity / demand`, clamped to [`MAX_RATIO`] (`None` when
/// nobody reaches it).
pub fn ratio_of(capacity: f64, demand: f64) -> Option<f64> {
    (demand > 0.0).then(|| (capacity / demand).min(MAX_RATIO))
}

/// A ratio as the fixed-point increment step 2 adds to every point in reach.
pub fn ratio_fixed(ratio: Option<f64>) -> u64 {
    ratio.map_or(0, |r| (r * SCALE).round() as u64)
}

#[derive(Clone, Debug, Default)]
pub struct SfcaResult {
    /// Step 1, per facility: demand-group residents within the threshold.
    pub facility_demand: Vec<f64>,
    /// Step 1, per facility: capacity ÷ demand (`None` when unattached or nobody reaches it).
    pub ratio: Vec<Option<f64>>,
    /// Step 2, per demand point: accessible capacity per resident of the demand group.
    pub access: Vec<f64>,
    /// The part of `access` provided by facilities flagged public / 普惠.
    pub public_access: Vec<f64>,
    /// Per demand point: facilities within the threshold.
    pub reachable: Vec<u32>,
    /// Nodes settled over all searches (for benchmarks).
    pub settled: u64,
}

/// Runs 2SFCA. `facility_node[j]` is facility j's graph node, `demand_of_node(v)` maps a node to
/// its demand point, `w[d]` is the demand-group population of point d.
pub fn two_step_fca(
    graph: &WalkGraph,
    facility_node: &[Option<u32>],
    capacity: &[f64],
    public: &[bool],
    demand_of_node: &(dyn Fn(u32) -> Option<usize> + Sync),
    w: &[f64],
    threshold_ds: u32,
) -> SfcaResult {
    let attached: Vec<(usize, (NodeId, u32))> =
        facility_node.iter().enumerate().filter_map(|(j, n)| n.map(|n| (j, (NodeId(n), 0)))).collect();
    let sources: Vec<(NodeId, u32)> = attached.iter().map(|x| x.1).collect();
    // Step 1.
    let step1: Vec<(f64, u64)> = per_source(graph, &sources, threshold_ds, |_, settled| {
        let mut d = 0.0;
        for &(v, _) in settled {
            if let Some(i) = demand_of_node(v) {
                d += w[i];
            }
        }
        (d, settled.len() as u64)
    });
    let mut res = SfcaResult {
        facility_demand: vec![0.0; facility_node.len()],
        ratio: vec![None; facility_node.len()],
        ..Default::default()
    };
    for (k, &(j, _)) in attached.iter().enumerate() {
        let (d, n) = step1[k];
        res.facility_demand[j] = d;
        res.settled += n;
        res.ratio[j] = ratio_of(capacity[j], d);
    }
    // Step 2.
    let acc: Vec<AtomicU64> = (0..w.len()).map(|_| AtomicU64::new(0)).collect();
    let acc_pub: Vec<AtomicU64> = (0..w.len()).map(|_| AtomicU64::new(0)).collect();
    let reach: Vec<AtomicU32> = (0..w.len()).map(|_| AtomicU32::new(0)).collect();
    let ratio = &res.ratio;
    let step2: Vec<u64> = per_source(graph, &sources, threshold_ds, |k, settled| {
        let j = attached[k].0;
        let fixed = ratio_fixed(ratio[j]);
        for &(v, _) in settled {
            if let Some(i) = demand_of_node(v) {
                reach[i].fetch_add(1, Ordering::Relaxed);
                if fixed > 0 {
                    acc[i].fetch_add(fixed, Ordering::Relaxed);
                    if public[j] {
                        acc_pub[i].fetch_add(fixed, Ordering::Relaxed);
                    }
                }
            }
        }
        settled.len() as u64
    });
    res.settled += step2.iter().sum::<u64>();
    res.access = acc.into_iter().map(|a| a.into_inner() as f64 / SCALE).collect();
    res.public_access = acc_pub.into_iter().map(|a| a.into_inner() as f64 / SCALE).collect();
    res.reachable = reach.into_iter().map(|a| a.into_inner()).collect();
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::{UNREACHED, nearest};

    /// A path graph 0–1–2–3–4–5–6 with unit weights 10 ds; facilities at nodes 0, 3 and 6 with
    /// capacities 10, 20, 30; demand points at nodes 1, 2, 4, 5 and 6 with weights 1, 2, 3, 4, 5;
    /// threshold 20 ds.
    #[test]
    fn hand_computed_three_facilities_five_points() {
        let n = 7;
        let ll = (0..n).map(|i| [i as f64, 0.0]).collect();
        let edges: Vec<(u32, u32, u32)> = (0..n as u32 - 1).map(|i| (i, i + 1, 10)).collect();
        let g = WalkGraph::from_undirected(ll, vec![0; n], n as u32, &edges);
        let demand_nodes = [1u32, 2, 4, 5, 6];
        let w = [1.0, 2.0, 3.0, 4.0, 5.0];
        let map = |v: u32| demand_nodes.iter().position(|&d| d == v);
        let r =
            two_step_fca(&g, &[Some(0), Some(3), Some(6)], &[10.0, 20.0, 30.0], &[true, false, false], &map, &w, 20);
        // Step 1: f0 reaches nodes 1,2 (d=3); f3 reaches 1,2,4,5 (d=10); f6 reaches 4,5,6 (d=12).
        assert_eq!(r.facility_demand, vec![3.0, 10.0, 12.0]);
        let (r0, r1, r2) = (10.0 / 3.0, 2.0, 2.5);
        // Step 2.
        let want = [r0 + r1, r0 + r1, r1 + r2, r1 + r2, r2];
        for (a, b) in r.access.iter().zip(want) {
            assert!((a - b).abs() < 1e-8, "{a} vs {b}");
        }
        assert_eq!(r.reachable, vec![2, 2, 2, 2, 1]);
        assert!((r.public_access[0] - r0).abs() < 1e-8 && r.public_access[2] == 0.0);
        // Total accessible capacity equals total capacity (every facility reaches someone).
        let total: f64 = r.access.iter().zip(w).map(|(a, w)| a * w).sum();
        assert!((total - 60.0).abs() < 1e-6);
    }

    /// Brute force: all-pairs distances by one search per facility, then the textbook formula.
    #[test]
    fn equals_all_pairs_on_random_graphs() {
        let mut seed = 0x2545F4914F6CDD1Du64;
        let mut rnd = move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for _case in 0..30 {
            let n = 20 + rnd(80) as usize;
            let m = n + rnd(3 * n as u64) as usize;
            let edges: Vec<(u32, u32, u32)> =
                (0..m).map(|_| (rnd(n as u64) as u32, rnd(n as u64) as u32, rnd(40) as u32)).collect();
            let g = WalkGraph::from_undirected((0..n).map(|i| [i as f64, 0.0]).collect(), vec![0; n], n as u32, &edges);
            let nf = 1 + rnd(6) as usize;
            let fac: Vec<Option<u32>> = (0..nf).map(|_| Some(rnd(n as u64) as u32)).collect();
            let cap: Vec<f64> = (0..nf).map(|_| 1.0 + rnd(100) as f64).collect();
            let public: Vec<bool> = (0..nf).map(|_| rnd(2) == 0).collect();
            let mut dn: Vec<u32> = (0..n as u32).filter(|_| rnd(3) == 0).collect();
            dn.dedup();
            let w: Vec<f64> = dn.iter().map(|_| rnd(50) as f64 / 7.0).collect();
            let thr = 20 + rnd(100) as u32;
            let map = |v: u32| dn.iter().position(|&d| d == v);
            let r = two_step_fca(&g, &fac, &cap, &public, &map, &w, thr);
            let dist: Vec<Vec<u32>> = fac.iter().map(|f| nearest(&g, &[(NodeId(f.unwrap()), 0)], thr).0).collect();
            for (d, &v) in dn.iter().enumerate() {
                let mut a = 0.0;
                let mut cnt = 0;
                for j in 0..nf {
                    if dist[j][v as usize] != UNREACHED && dist[j][v as usize] <= thr {
                        cnt += 1;
                        let dem: f64 = dn
                            .iter()
                            .enumerate()
                            .filter(|(_, u)| dist[j][**u as usize] <= thr)
                            .map(|(k, _)| w[k])
                            .sum();
                        if dem > 0.0 {
                            a += cap[j] / dem;
                        }
                    }
                }
                assert_eq!(r.reachable[d], cnt);
                assert!((r.access[d] - a).abs() < 1e-6 * (1.0 + a), "{} vs {a}", r.access[d]);
            }
        }
    }
}
