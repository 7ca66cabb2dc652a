//! Douglas–Peucker simplification of a closed ring in metres (the simplified community and
//! walk-shed shapes of `report.html`).
//!
//! Glossary: **ring** positions of a closed ring, the closing repeat of the first position
//! optional; **xy** metres of a [`LocalProj`](super::LocalProj); **tolerance_m** the largest
//! distance, metres, of a dropped vertex from the simplified outline.

/// Squared distance from `p` to the segment `a`–`b`.
pub(crate) fn seg_dist2(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let d = [b[0] - a[0], b[1] - a[1]];
    let l2 = d[0] * d[0] + d[1] * d[1];
    let t = if l2 > 0.0 { (((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1]) / l2).clamp(0.0, 1.0) } else { 0.0 };
    let (ex, ey) = (p[0] - a[0] - t * d[0], p[1] - a[1] - t * d[1]);
    ex * ex + ey * ey
}

/// The Douglas–Peucker core on a closed ring of `n` vertices (`f(i)` the position of vertex
/// `i % n`, so `f(n)` closes the ring), anchored at vertex 0 and vertex `far`: which vertices are
/// kept (`keep[i]`, `i` in `0..=n`) at the squared tolerance `tol2` (distance to the segment).
pub(crate) fn keep_closed(f: impl Fn(usize) -> [f64; 2], n: usize, far: usize, tol2: f64) -> Vec<bool> {
    let mut keep = vec![false; n + 1];
    keep[0] = true;
    keep[far] = true;
    let mut stack = vec![(0usize, far), (far, n)];
    while let Some((s, e)) = stack.pop() {
        if e <= s + 1 {
            continue;
        }
        let (a, b) = (f(s), f(e));
        let mut best = (0.0, 0usize);
        for i in s + 1..e {
            let d = seg_dist2(f(i), a, b);
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > tol2 {
            keep[best.1] = true;
            stack.push((s, best.1));
            stack.push((best.1, e));
        }
    }
    keep
}

/// The Douglas–Peucker core on an open line of `n` vertices (`f(i)`, `i` in `0..n`), both ends
/// kept: which vertices are kept at the squared tolerance `tol2`. (The street base layer reads
/// every tolerance from one pass, `report::base_layer`; this is its test oracle.)
#[cfg(test)]
pub(crate) fn keep_open(f: impl Fn(usize) -> [f64; 2], n: usize, tol2: f64) -> Vec<bool> {
    if n < 2 {
        return vec![true; n];
    }
    // The closed core anchored at the last vertex never reads `f(n)` (its second span is empty).
    let mut keep = keep_closed(f, n - 1, n - 1, tol2);
    keep.truncate(n);
    keep
}

/// Indices (ascending) of the vertices of the ring `xy` kept by Douglas–Peucker at
/// `tolerance_m`, anchored at vertex 0 and the vertex farthest from it, without the closing
/// repeat. Keeps every vertex when fewer than 3 would remain (the ring stays a fillable shape).
pub fn simplify_ring_m(xy: &[[f64; 2]], tolerance_m: f64) -> Vec<usize> {
    let mut n = xy.len();
    if n > 1 && xy[0] == xy[n - 1] {
        n -= 1;
    }
    let all = || (0..n).collect::<Vec<usize>>();
    if n <= 3 || tolerance_m.is_nan() || tolerance_m <= 0.0 {
        return all();
    }
    let f = |i: usize| xy[i % n];
    let p0 = xy[0];
    let d0 = |p: [f64; 2]| (p[0] - p0[0]).powi(2) + (p[1] - p0[1]).powi(2);
    // Farthest from vertex 0; the first on ties.
    let far = (1..n).fold(1, |best, i| if d0(xy[i]) > d0(xy[best]) { i } else { best });
    let keep = keep_closed(f, n, far, tolerance_m * tolerance_m);
    let kept: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
    if kept.len() < 3 { all() } else { kept }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_near_collinear_vertices_and_keeps_corners() {
        // A 100 m square with a 0.5 m bump mid-side and a 10 m spike on another side.
        let ring = [
            [0.0, 0.0],
            [50.0, 0.5],
            [100.0, 0.0],
            [100.0, 50.0],
            [110.0, 55.0],
            [100.0, 60.0],
            [100.0, 100.0],
            [0.0, 100.0],
            [0.0, 0.0],
        ];
        let kept = simplify_ring_m(&ring, 2.0);
        assert_eq!(kept, [0, 2, 3, 4, 5, 6, 7]);
        // A larger tolerance drops the spike too; no tolerance keeps everything but the repeat.
        assert_eq!(simplify_ring_m(&ring, 20.0), [0, 2, 6, 7]);
        assert_eq!(simplify_ring_m(&ring, 0.0), (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn a_ring_never_collapses_below_a_triangle() {
        let thin = [[0.0, 0.0], [50.0, 0.1], [100.0, 0.0], [50.0, -0.1], [0.0, 0.0]];
        assert_eq!(simplify_ring_m(&thin, 5.0), [0, 1, 2, 3]);
        let tri = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]];
        assert_eq!(simplify_ring_m(&tri, 100.0), [0, 1, 2]);
    }
}
