//! Reached street pieces: the parts of edges walkable within a time budget.

use crate::graph::WalkGraph;
use crate::route::UNREACHED;

/// A straight stretch of street in local metres (`[from, to]`; a point when both are equal).
pub type Piece = [[f64; 2]; 2];

fn lerp(a: [f64; 2], b: [f64; 2], f: f64) -> [f64; 2] {
    [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]
}

/// Hands `emit(piece, cut)` the pieces of edges walkable within `budget_ds`; `cut` is true for a
/// partial piece, whose second end is where the budget runs out. The reached nodes and these cut
/// ends are every distinct piece end, so the caller knows where to put the round caps without
/// sorting.
///
/// `reached` lists every node with `time(v) <= budget_ds` (any order); `time(v)` is the walking
/// time of `v` or [`UNREACHED`]; `keep(u, v)` says which edges count (streets, not the connectors
/// of demand points). An edge `u–v` of weight `w` is walkable in full when every point on it is
/// reached within the budget: the latest point is where the walks from both ends meet, at time
/// `(t_u + t_v + w) / 2`, so the test is `t_u + t_v + w <= 2·budget`. Otherwise each reached end
/// contributes the stretch of fraction `(budget − t_end) / w` from that end. Every undirected
/// edge is handled once (from its smaller reached end).
pub fn reached_pieces(
    graph: &WalkGraph,
    xy: &[[f64; 2]],
    reached: &[u32],
    time: impl Fn(u32) -> u32,
    budget_ds: u32,
    keep: impl Fn(u32, u32) -> bool,
    mut emit: impl FnMut(Piece, bool),
) {
    let b = budget_ds as u64;
    for &u in reached {
        let tu = time(u) as u64;
        debug_assert!(tu <= b);
        let pu = xy[u as usize];
        for (v, w) in graph.edges(u) {
            if v == u || !keep(u, v) {
                continue;
            }
            let tv = time(v);
            let v_reached = tv != UNREACHED && tv as u64 <= b;
            if v_reached && v < u {
                continue; // handled from v
            }
            let pv = xy[v as usize];
            let w64 = w as u64;
            if v_reached && tu + tv as u64 + w64 <= 2 * b {
                emit([pu, pv], false);
                continue;
            }
            // Partly walkable (w > 0 here: with w = 0 both ends would be reached and the edge
            // full). Stretch from u, then from v when v is reached.
            let fu = ((b - tu) as f64 / w as f64).min(1.0);
            emit([pu, lerp(pu, pv, fu)], true);
            if v_reached {
                let fv = ((b - tv as u64) as f64 / w as f64).min(1.0);
                emit([pv, lerp(pv, pu, fv)], true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> WalkGraph {
        // 0 —100 ds— 1 —100 ds— 2, 10 m per 10 ds.
        WalkGraph::from_undirected(
            vec![[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
            vec![1, 2, 3],
            3,
            &[(0, 1, 100), (1, 2, 100)],
        )
    }

    #[test]
    fn partial_edge_is_cut_at_the_budget() {
        let g = line();
        let xy = [[0.0, 0.0], [100.0, 0.0], [200.0, 0.0]];
        let t = [0u32, 100, UNREACHED];
        let (mut out, mut cut) = (Vec::new(), Vec::new());
        reached_pieces(
            &g,
            &xy,
            &[0, 1],
            |v| t[v as usize],
            150,
            |_, _| true,
            |p, c| {
                out.push(p);
                if c {
                    cut.push(p[1]);
                }
            },
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0], [[0.0, 0.0], [100.0, 0.0]]);
        assert_eq!(out[1], [[100.0, 0.0], [150.0, 0.0]]);
        assert_eq!(cut, vec![[150.0, 0.0]], "the one partial piece's cut end");
    }

    #[test]
    fn edge_reached_from_both_ends_but_not_in_the_middle() {
        // Sources at both ends of a 100 ds edge, budget 40: two stretches of 40 %, gap between.
        let g = WalkGraph::from_undirected(vec![[0.0, 0.0]; 2], vec![1, 2], 2, &[(0, 1, 100)]);
        let xy = [[0.0, 0.0], [100.0, 0.0]];
        let t = [0u32, 0];
        let (mut out, mut cut) = (Vec::new(), Vec::new());
        reached_pieces(
            &g,
            &xy,
            &[0, 1],
            |v| t[v as usize],
            40,
            |_, _| true,
            |p, c| {
                out.push(p);
                if c {
                    cut.push(p[1]);
                }
            },
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0][1], [40.0, 0.0]);
        assert_eq!(out[1][1], [60.0, 0.0]);
        assert_eq!(cut, vec![[40.0, 0.0], [60.0, 0.0]]);
        // Budget 50: the walks meet in the middle, one full piece.
        out.clear();
        cut.clear();
        reached_pieces(
            &g,
            &xy,
            &[0, 1],
            |v| t[v as usize],
            50,
            |_, _| true,
            |p, c| {
                out.push(p);
                if c {
                    cut.push(p[1]);
                }
            },
        );
        assert_eq!(out, vec![[[0.0, 0.0], [100.0, 0.0]]]);
        assert!(cut.is_empty());
    }
}
