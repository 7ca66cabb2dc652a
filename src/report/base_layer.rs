//! The offline base layer of the maps: the walking network the run already has (the street edges
//! of the [`WalkGraph`]), merged into chains and simplified, drawn light grey under the
//! communities in `report.html` (a canvas) and the SVG/PNG maps; plus the scale bar length.
//!
//! Owns the chain merging, the simplification within a point budget, and the choice of a round
//! scale-bar length.
//!
//! Glossary:
//! - **street node**: a graph node before `first_point_node` (OSM way nodes and split points);
//!   snapped points and their connectors are not drawn.
//! - **chain**: a maximal run of street edges through nodes of street degree 2 (the degree counts
//!   distinct street neighbours), from a node of any other degree to the next one (or around a
//!   loop of degree-2 nodes); merging collinear segments starts here.
//! - **budget**: the most positions the simplified lines may have; above it the Douglas–Peucker
//!   tolerance doubles (and chains shorter than the tolerance are dropped) until they fit, so a
//!   city's page stays bounded.

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

/// The chains of street nodes of `g`, in a deterministic order (by first node).
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
    let mut buf = Vec::new();
    let degree: Vec<u8> = (0..n)
        .map(|v| {
            neighbours(v, &mut buf);
            buf.len().min(255) as u8
        })
        .collect();
    // Directed edges walked (both directions of a street are marked together).
    let mut done = vec![false; g.targets.len()];
    let mark = |done: &mut Vec<bool>, u: u32, v: u32| {
        for (x, y) in [(u, v), (v, u)] {
            let (a, b) = (g.offsets[x as usize] as usize, g.offsets[x as usize + 1] as usize);
            for (t, d) in g.targets[a..b].iter().zip(&mut done[a..b]) {
                if *t == y {
                    *d = true;
                }
            }
        }
    };
    let is_done = |done: &Vec<bool>, u: u32, v: u32| {
        let (a, b) = (g.offsets[u as usize] as usize, g.offsets[u as usize + 1] as usize);
        (a..b).any(|e| g.targets[e] == v && done[e])
    };
    let mut chains = Vec::new();
    let mut nb = Vec::new();
    let mut nb2 = Vec::new();
    // Chains from the ends (degree ≠ 2) first, then the loops of degree-2 nodes left.
    for pass in 0..2 {
        for v in 0..n {
            if (degree[v] == 2) != (pass == 1) || degree[v] == 0 {
                continue;
            }
            neighbours(v, &mut nb);
            for &t in nb.iter() {
                if is_done(&done, v as u32, t) {
                    continue;
                }
                let mut chain = vec![v as u32, t];
                mark(&mut done, v as u32, t);
                let (mut prev, mut cur) = (v as u32, t);
                while degree[cur as usize] == 2 {
                    neighbours(cur as usize, &mut nb2);
                    let next = if nb2[0] == prev { nb2[1] } else { nb2[0] };
                    if is_done(&done, cur, next) {
                        break;
                    }
                    mark(&mut done, cur, next);
                    chain.push(next);
                    (prev, cur) = (cur, next);
                }
                chains.push(chain);
            }
        }
    }
    chains
}

/// Indices of the positions of the open line `xy` kept by Douglas–Peucker at `tolerance_m`
/// (both ends always kept).
fn simplify_open(xy: &[[f64; 2]], tolerance_m: f64) -> Vec<usize> {
    let n = xy.len();
    if n <= 2 || tolerance_m <= 0.0 {
        return (0..n).collect();
    }
    let keep = crate::geom::simplify::keep_open(|i| xy[i], n, tolerance_m * tolerance_m);
    (0..n).filter(|&i| keep[i]).collect()
}

/// The street lines of `g`, simplified at `tolerance_m` or, when that leaves more than
/// `budget` positions, at the smallest `tolerance_m × 2ᵏ` that fits (chains shorter than the
/// tolerance dropped), projected around `centre` (`[lon, lat]`) for the distances.
pub fn street_lines(g: &WalkGraph, centre: [f64; 2], tolerance_m: f64, budget: usize) -> StreetLines {
    let chains = street_chains(g);
    let proj = LocalProj::new(centre[0], centre[1]);
    let xy: Vec<Vec<[f64; 2]>> = chains
        .par_iter()
        .with_min_len(256)
        .map(|c| c.iter().map(|&v| proj.to_xy(g.lon_lat[v as usize])).collect())
        .collect();
    let length: Vec<f64> = xy
        .par_iter()
        .with_min_len(256)
        .map(|l| l.windows(2).map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1])).sum())
        .collect();
    let mut tol = tolerance_m.max(0.0);
    loop {
        let kept: Vec<Option<Vec<usize>>> = xy
            .par_iter()
            .zip(length.par_iter())
            .with_min_len(256)
            .map(|(l, &len)| {
                if tol > tolerance_m && len < tol {
                    return None;
                }
                Some(simplify_open(l, tol))
            })
            .collect();
        let points: usize = kept.iter().flatten().map(Vec::len).sum();
        if points <= budget || tol > 1e5 || tol <= 0.0 {
            let lines = kept
                .iter()
                .zip(&chains)
                .filter_map(|(k, c)| k.as_ref().map(|k| k.iter().map(|&i| g.lon_lat[c[i] as usize]).collect()))
                .collect();
            return StreetLines { lines, tolerance_m: tol, points };
        }
        tol *= 2.0;
    }
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
