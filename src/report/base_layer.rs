//! The offline base layer of the maps: the walking network the run already has (the street edges
//! of the [`WalkGraph`]), merged into chains and simplified, drawn light grey under the
//! communities in `report.html` (a canvas) and the SVG/PNG maps; plus the scale bar length.
//!
//! Owns the chain merging, the simplification at any tolerance from one pass, the choice of a
//! level within a point budget, and the choice of a round scale-bar length.
//!
//! Glossary:
//! - **street node**: a graph node before `first_point_node` (OSM way nodes and split points);
//!   snapped points and their connectors are not drawn.
//! - **chain**: a maximal run of street edges through nodes of street degree 2 (the degree counts
//!   distinct street neighbours), from a node of any other degree to the next one (or around a
//!   loop of degree-2 nodes); merging collinear segments starts here. Chains are walked from
//!   their ends in parallel; each is kept from the end with the smaller (node, next node) pair,
//!   so the set and its order do not depend on the thread count.
//! - **keep tolerance**: for each position of a chain, the squared distance (m²) below which a
//!   Douglas–Peucker simplification keeps it: the split distance of the position in the full
//!   Douglas–Peucker recursion, capped by its parent split's (ends: infinite). Douglas–Peucker at
//!   tolerance `t` keeps exactly the positions whose keep tolerance exceeds `t²`, so one pass
//!   ([`StreetDetail::new`]) serves every tolerance.
//! - **level** `k`: the tolerance `base_m × 2ᵏ`; above level 0 chains shorter than the tolerance
//!   are dropped.
//! - **budget**: the most positions the simplified lines may have; the smallest level that fits is
//!   chosen by counting ([`StreetDetail::fitting`]), so a city's page stays bounded.

use rayon::prelude::*;

use crate::geom::LocalProj;
use crate::graph::WalkGraph;

/// The simplified street lines of a graph, `[lon, lat]`, each with at least two positions.
#[derive(Clone, Debug, Default)]
pub struct StreetLines {
    pub lines: Vec<Vec<[f64; 2]>>,
    /// The Douglas–Peucker tolerance used, metres.
    pub tolerance_m: f64,
    /// Positions over all lines.
    pub points: usize,
}

/// Tolerances above this (metres) are not tried: the coarsest level.
const MAX_TOLERANCE_M: f64 = 1e5;

/// The street chains of a graph with every position's keep tolerance: simplified once, read at
/// any level.
#[derive(Clone, Debug, Default)]
pub struct StreetDetail {
    /// Every chain's `[lon, lat]` positions, chain after chain in [`street_chains`] order: chain
    /// `c` is `points[start[c]..start[c + 1]]`. Flat, with the keep tolerances beside: one `Vec`
    /// per chain and per field was a malloc and a free per chain (4×4 Las Palmas: a third of
    /// [`StreetDetail::new`], and its drop ~40 ms of CPU on its own).
    points: Vec<[f64; 2]>,
    /// Per position, the keep tolerance, m² (chain ends: infinite).
    keep2: Vec<f64>,
    start: Vec<usize>,
    /// Per chain, its length, metres.
    length_m: Vec<f64>,
    /// The level-0 tolerance, metres.
    pub base_m: f64,
}

/// Chains made into positions and keep tolerances by one worker, flat (see [`StreetDetail`]).
#[derive(Default)]
struct Block {
    points: Vec<[f64; 2]>,
    keep2: Vec<f64>,
    sizes: Vec<usize>,
    length_m: Vec<f64>,
    xy: Vec<[f64; 2]>,
    stack: Vec<(usize, usize, f64)>,
}

impl StreetDetail {
    /// Chains the street edges of `g` and computes the keep tolerances, projected around
    /// `centre` (`[lon, lat]`) for the distances; `base_m` is the finest tolerance.
    pub fn new(g: &WalkGraph, centre: [f64; 2], base_m: f64) -> StreetDetail {
        let proj = LocalProj::new(centre[0], centre[1]);
        // Consecutive runs of chains per worker, joined in order: the same arrays whatever the
        // thread count.
        let blocks: Vec<Block> = street_chains(g)
            .into_par_iter()
            .with_min_len(256)
            .fold(Block::default, |mut b, c| {
                let from = b.points.len();
                b.points.extend(c.iter().map(|&v| g.lon_lat[v as usize]));
                b.xy.clear();
                b.xy.extend(b.points[from..].iter().map(|&p| proj.to_xy(p)));
                b.length_m.push(b.xy.windows(2).map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1])).sum());
                keep_tolerances2_into(&b.xy, &mut b.stack, &mut b.keep2);
                b.sizes.push(c.len());
                b
            })
            .collect();
        let n_points = blocks.iter().map(|b| b.points.len()).sum();
        let n_chains = blocks.iter().map(|b| b.sizes.len()).sum();
        let mut d = StreetDetail {
            points: Vec::with_capacity(n_points),
            keep2: Vec::with_capacity(n_points),
            start: Vec::with_capacity(n_chains + 1),
            length_m: Vec::with_capacity(n_chains),
            base_m: base_m.max(0.0),
        };
        d.start.push(0);
        for b in blocks {
            d.points.extend_from_slice(&b.points);
            d.keep2.extend_from_slice(&b.keep2);
            d.length_m.extend_from_slice(&b.length_m);
            for n in b.sizes {
                d.start.push(d.start[d.start.len() - 1] + n);
            }
        }
        d
    }

    /// Number of chains.
    pub fn chain_count(&self) -> usize {
        self.length_m.len()
    }

    /// The positions of chain `c`, `[lon, lat]`.
    pub fn chain(&self, c: usize) -> &[[f64; 2]] {
        &self.points[self.start[c]..self.start[c + 1]]
    }

    /// The tolerance of level `k`, metres.
    pub fn level_m(&self, k: u32) -> f64 {
        self.base_m * 2f64.powi(k as i32)
    }

    /// Whether chain `c` is drawn at `tolerance_m`, and which of its positions (its first
    /// position always: the ends are kept at every tolerance).
    pub fn kept(&self, c: usize, tolerance_m: f64) -> Option<impl Iterator<Item = [f64; 2]> + '_> {
        if tolerance_m > self.base_m && self.length_m[c] < tolerance_m {
            return None;
        }
        let (t2, all) = (tolerance_m * tolerance_m, tolerance_m <= 0.0);
        let r = self.start[c]..self.start[c + 1];
        Some(self.points[r.clone()].iter().zip(&self.keep2[r]).filter(move |(_, k)| all || **k > t2).map(|(p, _)| *p))
    }

    /// Positions over all lines at `tolerance_m`.
    pub fn points_at(&self, tolerance_m: f64) -> usize {
        (0..self.chain_count())
            .into_par_iter()
            .with_min_len(1024)
            .map(|c| self.kept(c, tolerance_m).map_or(0, |k| k.count()))
            .sum()
    }

    /// `points_at(level_m(k))` for every level `k` up to [`MAX_TOLERANCE_M`], in one pass (a
    /// position kept at a level is kept at every finer one, and a chain drawn at a level at every
    /// finer one, so each position counts at its levels `0..m`); empty when the base tolerance
    /// is 0. The same comparisons as [`StreetDetail::kept`], so the same counts.
    pub fn level_points(&self) -> Vec<usize> {
        if self.base_m <= 0.0 {
            return Vec::new();
        }
        let t: Vec<f64> = (0..).map(|k| self.level_m(k)).take_while(|&t| t <= MAX_TOLERANCE_M).collect();
        let levels = t.len();
        let hist = (0..self.chain_count())
            .into_par_iter()
            .with_min_len(1024)
            .fold(
                || vec![0usize; levels + 1],
                |mut h, c| {
                    let drawn = t.iter().take_while(|&&tf| !(tf > self.base_m && self.length_m[c] < tf)).count();
                    for &k in &self.keep2[self.start[c]..self.start[c + 1]] {
                        h[t[..drawn].iter().take_while(|&&tf| k > tf * tf).count()] += 1;
                    }
                    h
                },
            )
            .reduce(|| vec![0usize; levels + 1], |a, b| a.iter().zip(&b).map(|(x, y)| x + y).collect());
        // Kept at level `f` when its count of levels exceeds `f`.
        (0..levels).map(|f| hist[f + 1..].iter().sum()).collect()
    }

    /// The chains drawn at `tolerance_m`, in order: what [`StreetDetail::lines_at`] holds, without
    /// collecting each line (read them with [`StreetDetail::kept`]).
    pub fn kept_chains(&self, tolerance_m: f64) -> Vec<usize> {
        (0..self.chain_count())
            .into_par_iter()
            .with_min_len(1024)
            .filter(|&c| self.kept(c, tolerance_m).is_some())
            .collect()
    }

    /// The kept lines at `tolerance_m`, each with the index of its chain.
    pub fn lines_at(&self, tolerance_m: f64) -> Vec<(usize, Vec<[f64; 2]>)> {
        (0..self.chain_count())
            .into_par_iter()
            .with_min_len(1024)
            .filter_map(|c| self.kept(c, tolerance_m).map(|k| (c, k.collect())))
            .collect()
    }

    /// The smallest level whose lines have at most `budget` positions (the coarsest level tried,
    /// past [`MAX_TOLERANCE_M`], if none does; level 0 when the base tolerance is 0).
    pub fn fitting(&self, budget: usize) -> u32 {
        self.fitting_in(&self.level_points(), budget)
    }

    /// [`StreetDetail::fitting`] from the counts of [`StreetDetail::level_points`].
    pub fn fitting_in(&self, level_points: &[usize], budget: usize) -> u32 {
        if self.base_m <= 0.0 {
            return 0;
        }
        level_points.iter().position(|&n| n <= budget).unwrap_or(level_points.len()) as u32
    }

    /// The street lines at level `k`.
    pub fn street_lines(&self, k: u32) -> StreetLines {
        let tolerance_m = self.level_m(k);
        let lines: Vec<Vec<[f64; 2]>> = self.lines_at(tolerance_m).into_iter().map(|(_, l)| l).collect();
        let points = lines.iter().map(Vec::len).sum();
        StreetLines { lines, tolerance_m, points }
    }
}

/// [`keep_tolerances2_into`] with a fresh stack and output.
#[cfg(test)]
fn keep_tolerances2(xy: &[[f64; 2]]) -> Vec<f64> {
    let mut keep = Vec::new();
    keep_tolerances2_into(xy, &mut Vec::new(), &mut keep);
    keep
}

/// Per position of the open line `xy`, the squared tolerance below which Douglas–Peucker keeps
/// it (see the module glossary): the recursion of [`crate::geom::simplify::keep_open`] run to the
/// end, splitting at the first farthest position. Appended to `out`; `stack` is the recursion's
/// (both reused between chains).
fn keep_tolerances2_into(xy: &[[f64; 2]], stack: &mut Vec<(usize, usize, f64)>, out: &mut Vec<f64>) {
    let n = xy.len();
    let at = out.len();
    out.resize(at + n, 0.0);
    let keep = &mut out[at..];
    if n == 0 {
        return;
    }
    keep[0] = f64::INFINITY;
    keep[n - 1] = f64::INFINITY;
    stack.clear();
    stack.push((0usize, n - 1, f64::INFINITY));
    while let Some((s, e, cap)) = stack.pop() {
        if e <= s + 1 {
            continue;
        }
        let (a, b) = (xy[s], xy[e]);
        let mut best = (0.0, 0usize);
        for (i, &p) in xy.iter().enumerate().take(e).skip(s + 1) {
            let d = crate::geom::simplify::seg_dist2(p, a, b);
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > 0.0 {
            let k = best.0.min(cap);
            keep[best.1] = k;
            stack.push((s, best.1, k));
            stack.push((best.1, e, k));
        }
    }
}

/// The chains of street nodes of `g`, in a deterministic order (by first node, then second).
pub fn street_chains(g: &WalkGraph) -> Vec<Vec<u32>> {
    let n = (g.first_point_node as usize).min(g.node_count());
    // Distinct street neighbours of `v` (sorted; parallel edges and self-loops left out).
    let neighbours = |v: usize, buf: &mut Vec<u32>| {
        buf.clear();
        let (a, b) = (g.offsets[v] as usize, g.offsets[v + 1] as usize);
        buf.extend(g.targets[a..b].iter().copied().filter(|&t| (t as usize) < n && t as usize != v));
        buf.sort_unstable();
        buf.dedup();
    };
    let degree: Vec<u8> = (0..n)
        .into_par_iter()
        .with_min_len(4096)
        .map_init(Vec::new, |buf, v| {
            neighbours(v, buf);
            buf.len().min(255) as u8
        })
        .collect();
    // From an end `v` (degree ≠ 2) through `t` to the next end: a run of degree-2 nodes never
    // returns to one of its nodes, so the walk ends (the bound is a guard).
    let walk = |v: u32, t: u32, buf: &mut Vec<u32>| -> Vec<u32> {
        let mut chain = vec![v, t];
        let (mut prev, mut cur) = (v, t);
        while degree[cur as usize] == 2 && chain.len() <= n + 1 {
            neighbours(cur as usize, buf);
            let next = if buf[0] == prev { buf[1] } else { buf[0] };
            chain.push(next);
            (prev, cur) = (cur, next);
        }
        chain
    };
    let from_ends: Vec<Vec<Vec<u32>>> = (0..n)
        .into_par_iter()
        .with_min_len(1024)
        .map_init(
            || (Vec::new(), Vec::new()),
            |(nb, buf), v| {
                if degree[v] == 2 || degree[v] == 0 {
                    return Vec::new();
                }
                neighbours(v, nb);
                let v = v as u32;
                nb.iter().map(|&t| walk(v, t, buf)).filter(|c| (v, c[1]) < (c[c.len() - 1], c[c.len() - 2])).collect()
            },
        )
        .collect();
    let mut chains: Vec<Vec<u32>> = from_ends.into_iter().flatten().collect();
    // The loops of degree-2 nodes left: from their smallest node, towards its smaller neighbour.
    let mut covered = vec![false; n];
    for c in &chains {
        for &v in &c[1..c.len() - 1] {
            covered[v as usize] = true;
        }
    }
    let mut nb = Vec::new();
    for v in 0..n {
        if degree[v] != 2 || covered[v] {
            continue;
        }
        neighbours(v, &mut nb);
        let mut chain = vec![v as u32, nb[0]];
        covered[v] = true;
        let (mut prev, mut cur) = (v as u32, nb[0]);
        while cur != v as u32 && chain.len() <= n + 1 {
            covered[cur as usize] = true;
            neighbours(cur as usize, &mut nb);
            let next = if nb[0] == prev { nb[1] } else { nb[0] };
            chain.push(next);
            (prev, cur) = (cur, next);
        }
        chains.push(chain);
    }
    chains
}

/// The street lines of `g`, simplified at `tolerance_m` or, when that leaves more than
/// `budget` positions, at the smallest `tolerance_m × 2ᵏ` that fits (chains shorter than the
/// tolerance dropped), projected around `centre` (`[lon, lat]`) for the distances.
pub fn street_lines(g: &WalkGraph, centre: [f64; 2], tolerance_m: f64, budget: usize) -> StreetLines {
    let d = StreetDetail::new(g, centre, tolerance_m);
    d.street_lines(d.fitting(budget))
}

/// A round scale-bar length, metres (1, 2 or 5 × 10ᵏ), at most `max_m` (at least 1 m).
pub fn scale_bar_m(max_m: f64) -> f64 {
    if max_m.is_nan() || max_m < 1.0 {
        return 1.0;
    }
    let p = 10f64.powf(max_m.log10().floor());
    [5.0, 2.0, 1.0].iter().map(|f| f * p).find(|&l| l <= max_m).unwrap_or(p)
}

/// The words of a scale bar: `850 m`, `2 km`.
pub fn scale_bar_label(m: f64) -> String {
    if m >= 1000.0 { format!("{} km", m / 1000.0) } else { format!("{m} m") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mk(pts: Vec<[f64; 2]>, edges: &[(u32, u32, u32)], first_point: u32) -> WalkGraph {
        let ids = vec![1; pts.len()];
        WalkGraph::from_edges(pts, ids, first_point, edges, &[])
    }

    /// A street grid of `k × k` nodes `step` degrees apart, with a snapped point attached to
    /// node 0 (not drawn).
    fn grid(k: u32, step: f64) -> WalkGraph {
        let mut pts: Vec<[f64; 2]> = Vec::new();
        for j in 0..k {
            for i in 0..k {
                pts.push([10.0 + i as f64 * step, 50.0 + j as f64 * step]);
            }
        }
        let mut edges = Vec::new();
        for j in 0..k {
            for i in 0..k {
                let v = j * k + i;
                if i + 1 < k {
                    edges.push((v, v + 1, 10));
                }
                if j + 1 < k {
                    edges.push((v, v + k, 10));
                }
            }
        }
        let first_point = pts.len() as u32;
        pts.push([10.0, 49.9999]);
        edges.push((first_point, 0, 5));
        mk(pts, &edges, first_point)
    }

    #[test]
    fn chains_cover_every_street_edge_once_and_skip_connectors() {
        let g = grid(4, 0.001);
        let chains = street_chains(&g);
        let mut seen = std::collections::BTreeSet::new();
        for c in &chains {
            assert!(c.len() >= 2);
            for w in c.windows(2) {
                let e = (w[0].min(w[1]), w[0].max(w[1]));
                assert!(seen.insert(e), "edge {e:?} twice");
                assert!(w[1] < g.first_point_node && w[0] < g.first_point_node);
            }
            // Inner nodes of a chain have street degree 2.
            for &v in &c[1..c.len() - 1] {
                let d: std::collections::BTreeSet<u32> =
                    g.edges(v).map(|(t, _)| t).filter(|&t| t < g.first_point_node).collect();
                assert_eq!(d.len(), 2);
            }
        }
        assert_eq!(seen.len(), 2 * 4 * 3, "every street edge of the 4×4 grid");
        assert_eq!(street_chains(&g), chains, "deterministic");
    }

    #[test]
    fn a_straight_street_becomes_one_two_point_line_and_a_loop_is_kept() {
        // A straight street of 6 nodes (4 inner degree-2 nodes): one chain, simplified to its ends.
        let pts: Vec<[f64; 2]> = (0..6).map(|i| [10.0 + i as f64 * 0.001, 50.0]).collect();
        let mut edges: Vec<(u32, u32, u32)> = (0..5).map(|i| (i, i + 1, 10)).collect();
        // A separate square loop of degree-2 nodes.
        let base = pts.len() as u32;
        let mut all = pts.clone();
        all.extend([[11.0, 51.0], [11.001, 51.0], [11.001, 51.001], [11.0, 51.001]]);
        edges.extend([(base, base + 1, 10), (base + 1, base + 2, 10), (base + 2, base + 3, 10), (base + 3, base, 10)]);
        let n = all.len() as u32;
        let g = mk(all, &edges, n);
        let s = street_lines(&g, [10.0, 50.0], 1.0, 1_000);
        assert_eq!(s.lines.len(), 2, "{:?}", s.lines);
        assert_eq!(s.lines[0], vec![pts[0], pts[5]]);
        assert_eq!(s.lines[1].len(), 5, "the loop closes on its first node: {:?}", s.lines[1]);
        assert_eq!(s.lines[1].first(), s.lines[1].last());
    }

    #[test]
    fn the_budget_coarsens_the_lines() {
        // A wiggly street: 200 nodes alternating 3 m off a straight line.
        let pts: Vec<[f64; 2]> =
            (0..200).map(|i| [10.0 + i as f64 * 1e-4, 50.0 + if i % 2 == 0 { 0.0 } else { 3e-5 }]).collect();
        let edges: Vec<(u32, u32, u32)> = (0..199).map(|i| (i, i + 1, 10)).collect();
        let g = mk(pts.clone(), &edges, pts.len() as u32);
        let fine = street_lines(&g, [10.0, 50.0], 1.0, 10_000);
        assert_eq!((fine.points, fine.tolerance_m), (200, 1.0));
        let coarse = street_lines(&g, [10.0, 50.0], 1.0, 10);
        assert!(coarse.points <= 10 && coarse.tolerance_m >= 4.0, "{} at {}", coarse.points, coarse.tolerance_m);
        assert_eq!(coarse.lines[0].first(), Some(&pts[0]));
        assert_eq!(coarse.lines[0].last(), Some(&pts[199]));
    }

    /// A pseudo-random wiggly line, metres.
    fn wiggly(n: usize, seed: u64) -> Vec<[f64; 2]> {
        let mut s = seed;
        (0..n)
            .map(|i| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                [i as f64 * 2.0, ((s >> 33) % 1000) as f64 / 40.0]
            })
            .collect()
    }

    #[test]
    fn one_pass_keeps_what_douglas_peucker_keeps_at_every_tolerance() {
        for seed in 1..20 {
            let xy = wiggly(50 + seed as usize * 13, seed);
            let k = keep_tolerances2(&xy);
            for t in [0.3, 1.0, 2.5, 4.0, 8.0, 16.0, 1e3] {
                let want = crate::geom::simplify::keep_open(|i| xy[i], xy.len(), t * t);
                let got: Vec<bool> = k.iter().map(|&v| v > t * t).collect();
                assert_eq!(got, want, "seed {seed}, tolerance {t} m");
            }
        }
        // Collinear inner positions are never kept above tolerance 0; ends always.
        let k = keep_tolerances2(&[[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]]);
        assert_eq!(k, vec![f64::INFINITY, 0.0, f64::INFINITY]);
    }

    /// A jittered street grid with a ring road of degree-2 nodes and a loose loop.
    fn city(k: u32) -> WalkGraph {
        let mut g = grid(k, 0.0005);
        let mut pts = g.lon_lat[..g.first_point_node as usize].to_vec();
        let mut s = 7u64;
        for p in pts.iter_mut() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            p[1] += ((s >> 33) % 100) as f64 * 1e-7;
        }
        let mut edges = Vec::new();
        for v in 0..pts.len() as u32 {
            for (t, w) in g.edges(v) {
                if v < t && t < g.first_point_node {
                    edges.push((v, t, w));
                }
            }
        }
        let base = pts.len() as u32;
        pts.extend((0..12).map(|i| {
            let a = i as f64 / 12.0 * std::f64::consts::TAU;
            [10.1 + 0.001 * a.cos(), 50.1 + 0.001 * a.sin()]
        }));
        edges.extend((0..12).map(|i| (base + i, base + (i + 1) % 12, 10)));
        let n = pts.len() as u32;
        g = mk(pts, &edges, n);
        g
    }

    #[test]
    fn chains_and_levels_are_the_same_on_one_thread_and_four() {
        let g = city(40);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let d = StreetDetail::new(&g, [10.0, 50.0], 1.0);
                let k = d.fitting(2_000);
                (street_chains(&g), d.street_lines(k).lines, k, d.points_at(d.level_m(0)))
            })
        };
        let (one, four) = (run(1), run(4));
        assert_eq!(one, four);
        assert!(one.2 > 0, "the budget coarsened the grid");
        // The loose loop is one chain closing on its first node.
        let lp = one.0.iter().find(|c| c[0] >= 40 * 40).expect("the loop");
        assert_eq!((lp.len(), lp.first(), lp.last()), (13, Some(&1600), Some(&1600)));
    }

    #[test]
    fn the_chosen_level_is_the_smallest_within_the_budget() {
        let g = city(30);
        let d = StreetDetail::new(&g, [10.0, 50.0], 1.0);
        let all = d.points_at(1.0);
        for budget in [all, all - 1, all / 2, all / 5, 50] {
            let k = d.fitting(budget);
            let s = d.street_lines(k);
            assert_eq!(s.points, d.points_at(s.tolerance_m));
            assert!(s.points <= budget, "{} > {budget}", s.points);
            if k > 0 {
                assert!(d.points_at(d.level_m(k - 1)) > budget, "level {k} is not the smallest for {budget}");
            }
            // The same as the one-call form the SVG map uses.
            assert_eq!(street_lines(&g, [10.0, 50.0], 1.0, budget).lines, s.lines);
        }
        assert_eq!(d.fitting(all), 0);
    }

    /// The one-pass counts are the per-level counts, at every level up to the largest tolerance
    /// (chains dropped as too short included), on two bases; with base 0 there are none.
    #[test]
    fn level_points_are_the_points_at_every_level() {
        let g = city(30);
        for base in [1.0, 0.37] {
            let d = StreetDetail::new(&g, [10.0, 50.0], base);
            let counts = d.level_points();
            assert!(counts.len() > 10, "{}", counts.len());
            for (k, &n) in counts.iter().enumerate() {
                assert_eq!(n, d.points_at(d.level_m(k as u32)), "base {base}, level {k}");
            }
            assert!(counts.windows(2).any(|w| w[1] < w[0]), "the levels differ");
            assert!(d.level_m(counts.len() as u32) > MAX_TOLERANCE_M);
        }
        assert!(StreetDetail::new(&g, [10.0, 50.0], 0.0).level_points().is_empty());
    }

    #[test]
    fn scale_bars_are_round() {
        assert_eq!(scale_bar_m(1234.0), 1000.0);
        assert_eq!(scale_bar_m(2600.0), 2000.0);
        assert_eq!(scale_bar_m(999.0), 500.0);
        assert_eq!(scale_bar_m(50.0), 50.0);
        assert_eq!(scale_bar_m(0.2), 1.0);
        assert_eq!(scale_bar_label(500.0), "500 m");
        assert_eq!(scale_bar_label(2000.0), "2 km");
    }
}
