//! Ablation of the routing core: what each design choice buys, measured in the same run on the
//! benchmark's own graph (the analysed, possibly tiled, city), one thread.
//!
//! Glossary:
//! - **variant**: the final kernel with exactly one choice undone.
//! - **nearest workload**: the nearest-facility search of every category (its facilities as
//!   sources, its cap of 2 × threshold), run one after another: the `nearest_search` stage
//!   without parallelism.
//! - **per-facility workload**: one bounded search per facility (the first
//!   [`PER_FACILITY_SAMPLE`] of the category with most facilities) at that category's cap, as the
//!   2SFCA stage runs them.
//! - **identical**: every variant must give the same times as the final kernel (node by node,
//!   mapped back through the renumbering); a variant that differs is reported as such.

use std::time::Instant;

use serde_json::{Value, json};

use crate::graph::{NodeId, WalkGraph};
use crate::route::{self, MAX_BUCKET_CAP_DS, Scratch};

/// Bounded searches timed in the per-facility rows.
pub const PER_FACILITY_SAMPLE: usize = 200;

/// One measured variant.
#[derive(Clone, Debug)]
pub struct Row {
    pub workload: &'static str,
    pub variant: &'static str,
    pub ms: f64,
    /// `ms / final ms` of the same workload (> 1: the choice undone was worth that factor).
    pub slowdown: f64,
    pub identical: bool,
}

/// The graph with node `v` renumbered `new_of[v]` (same nodes, edges and weights).
fn renumbered(g: &WalkGraph, new_of: &[u32]) -> WalkGraph {
    let n = g.node_count();
    let mut lon_lat = vec![[0.0; 2]; n];
    let mut osm_id = vec![0i64; n];
    for v in 0..n {
        lon_lat[new_of[v] as usize] = g.lon_lat[v];
        osm_id[new_of[v] as usize] = g.osm_id[v];
    }
    let mut edges = Vec::with_capacity(g.edge_count() / 2);
    for v in 0..n as u32 {
        for (t, w) in g.edges(v) {
            if v < t {
                edges.push((new_of[v as usize], new_of[t as usize], w));
            }
        }
    }
    WalkGraph::from_undirected(lon_lat, osm_id, g.first_point_node, &edges)
}

/// `new_of` for the order the graph had before Hilbert renumbering: street nodes by OSM id, then
/// split and point nodes in their current order.
fn osm_order(g: &WalkGraph) -> Vec<u32> {
    let mut order: Vec<u32> = (0..g.node_count() as u32).collect();
    order.sort_by_key(|&v| (g.osm_id[v as usize] == 0, g.osm_id[v as usize], v));
    inverse(&order)
}

/// `new_of` of a fixed pseudo-random shuffle (no locality at all).
fn random_order(n: usize) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..n).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        order.swap(i, (x % (i as u64 + 1)) as usize);
    }
    inverse(&order)
}

fn inverse(order: &[u32]) -> Vec<u32> {
    let mut new_of = vec![0u32; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_of[old as usize] = new as u32;
    }
    new_of
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Runs every variant; `jobs` are the categories' `(sources, cap_ds)`.
pub fn run(g: &WalkGraph, jobs: &[(Vec<(NodeId, u32)>, u32)]) -> Vec<Row> {
    let mut rows = Vec::new();
    // Final kernel: keep the times to check the variants against.
    let t = Instant::now();
    let reference: Vec<Vec<u32>> = jobs.iter().map(|(s, cap)| route::nearest(g, s, *cap).0).collect();
    let final_ms = ms_since(t);
    let mut push = |workload, variant, ms: f64, base: f64, identical| {
        rows.push(Row { workload, variant, ms, slowdown: if base > 0.0 { ms / base } else { 0.0 }, identical })
    };
    push("nearest", "final: CSR, Hilbert order, bucket queue, cap 2× threshold", final_ms, final_ms, true);

    let t = Instant::now();
    let mut same = true;
    for ((s, cap), want) in jobs.iter().zip(&reference) {
        same &= route::nearest_binary_heap(g, s, *cap).0 == *want;
    }
    push("nearest", "binary heap instead of the bucket queue", ms_since(t), final_ms, same);

    let t = Instant::now();
    let mut same = true;
    for ((s, _), want) in jobs.iter().zip(&reference) {
        let d = route::nearest(g, s, MAX_BUCKET_CAP_DS).0;
        same &= d.iter().zip(want).all(|(a, b)| a == b || *b == route::UNREACHED);
    }
    push("nearest", "no cap (whole graph)", ms_since(t), final_ms, same);

    for (variant, new_of) in [
        ("OSM-id node order instead of Hilbert", osm_order(g)),
        ("random node order instead of Hilbert", random_order(g.node_count())),
    ] {
        let h = renumbered(g, &new_of);
        let mapped: Vec<Vec<(NodeId, u32)>> =
            jobs.iter().map(|(s, _)| s.iter().map(|&(v, d)| (NodeId(new_of[v.idx()]), d)).collect()).collect();
        let t = Instant::now();
        let results: Vec<Vec<u32>> =
            mapped.iter().zip(jobs).map(|(s, (_, cap))| route::nearest(&h, s, *cap).0).collect();
        let ms = ms_since(t);
        let same =
            results.iter().zip(&reference).all(|(d, want)| (0..want.len()).all(|v| d[new_of[v] as usize] == want[v]));
        push("nearest", variant, ms, final_ms, same);
    }

    // Per-facility bounded searches: epoch-stamped scratch reused vs a fresh one per search.
    if let Some((sources, cap)) = jobs.iter().max_by_key(|(s, _)| s.len()) {
        let sample: Vec<(NodeId, u32)> = sources.iter().copied().take(PER_FACILITY_SAMPLE).collect();
        let mut sums_reused = Vec::with_capacity(sample.len());
        let t = Instant::now();
        let mut scratch = Scratch::new(g.node_count());
        for s in &sample {
            let mut sum = 0u64;
            route::bounded(g, &mut scratch, std::slice::from_ref(s), *cap, |_, d| sum += u64::from(d));
            sums_reused.push(sum);
        }
        let reused_ms = ms_since(t);
        push("per-facility", "final: one scratch per thread, reset by epoch", reused_ms, reused_ms, true);
        let t = Instant::now();
        let mut same = true;
        for (s, want) in sample.iter().zip(&sums_reused) {
            let mut scratch = Scratch::new(g.node_count());
            let mut sum = 0u64;
            route::bounded(g, &mut scratch, std::slice::from_ref(s), *cap, |_, d| sum += u64::from(d));
            same &= sum == *want;
        }
        push("per-facility", "fresh distance array per search", ms_since(t), reused_ms, same);
    }
    rows
}

/// The rows as a text table (`slow-down` = variant time / final time of the same workload).
pub fn table(rows: &[Row], jobs: usize) -> String {
    let mut s = format!(
        "ablation (1 thread; nearest = all {jobs} category searches in turn; per-facility = {PER_FACILITY_SAMPLE} bounded searches)\n"
    );
    s.push_str(&format!("{:<13} {:<62} {:>10} {:>10}  results\n", "workload", "variant", "ms", "slow-down"));
    for r in rows {
        s.push_str(&format!(
            "{:<13} {:<62} {:>10.1} {:>9.2}×  {}\n",
            r.workload,
            r.variant,
            r.ms,
            r.slowdown,
            if r.identical { "identical" } else { "DIFFER" }
        ));
    }
    s
}

pub fn to_json(rows: &[Row]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({"workload": r.workload, "variant": r.variant, "ms": r.ms, "slowdown": r.slowdown, "identical": r.identical})
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 30 × 30 grid with varied weights.
    fn grid() -> WalkGraph {
        let side = 30u32;
        let mut edges = Vec::new();
        for y in 0..side {
            for x in 0..side {
                let v = y * side + x;
                if x + 1 < side {
                    edges.push((v, v + 1, 10 + (v * 7) % 13));
                }
                if y + 1 < side {
                    edges.push((v, v + side, 10 + (v * 11) % 17));
                }
            }
        }
        let n = (side * side) as usize;
        let ll = (0..n).map(|v| [(v % 30) as f64 * 1e-4, (v / 30) as f64 * 1e-4]).collect();
        let ids = (0..n as i64).map(|v| (v * 7919) % 100_003 + 1).collect();
        WalkGraph::from_undirected(ll, ids, n as u32, &edges)
    }

    #[test]
    fn every_variant_reproduces_the_final_times() {
        let g = grid();
        let jobs = vec![(vec![(NodeId(0), 0), (NodeId(899), 5)], 400), (vec![(NodeId(450), 0)], 150)];
        let rows = run(&g, &jobs);
        assert_eq!(rows.len(), 7);
        assert!(rows.iter().all(|r| r.identical), "{rows:?}");
        assert_eq!(rows[0].slowdown, 1.0);
    }

    #[test]
    fn renumbering_is_a_bijection_that_keeps_times() {
        let g = grid();
        for new_of in [osm_order(&g), random_order(g.node_count())] {
            let mut seen = new_of.clone();
            seen.sort_unstable();
            assert_eq!(seen, (0..g.node_count() as u32).collect::<Vec<_>>());
            let h = renumbered(&g, &new_of);
            assert_eq!(h.edge_count(), g.edge_count());
            let (a, _) = route::nearest(&g, &[(NodeId(31), 0)], 10_000);
            let (b, _) = route::nearest(&h, &[(NodeId(new_of[31]), 0)], 10_000);
            assert!((0..g.node_count()).all(|v| a[v] == b[new_of[v] as usize]));
        }
    }
}
