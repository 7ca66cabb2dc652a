//! Nearest street segment of a point: a uniform bucket grid over the segments, in local metres.
//!
//! Owns the spatial index that snapping queries (hundreds of thousands of demand points on a
//! city). Glossary:
//! - **cell**: a square of `cell_m` × `cell_m` local metres; cell `(i, j)` covers
//!   `[x0 + i·cell_m, x0 + (i+1)·cell_m) × [y0 + j·cell_m, …)`.
//! - **bucket**: the segments listed in a cell: every segment that passes through the cell (a
//!   conservative test: the segment comes within half a cell diagonal of the cell centre).
//! - **ring r**: the cells at Chebyshev distance `r` from the query's cell. Once rings `0..r`
//!   are scanned, every other cell lies outside their square, so the search stops when the best
//!   segment is nearer than the point's distance to that square's border.
//!
//! Why not `rstar`: for the 4×4-tiled Las Palmas network (2.2 M segments, 347 k demand points)
//! bulk-loading the R-tree and its nearest-neighbour queries were over half of graph building
//! (rstar `bulk_load` 9 % and `nearest_neighbor` 8.6 % of all CPU samples of `circle15 bench
//! --tile 4`, graph build 31 %), and the tree's 40-byte items plus its partitioning copies caused
//! a large share of the page faults. Street segments are short and evenly spread, which is the
//! case a flat grid handles best: building is two linear passes (count, fill) into CSR arrays of
//! `u32` (4 bytes per segment-cell entry plus 4 per cell), and a query scans a few cells around
//! the point. Segment coordinates are not copied: the caller's `[lon, lat]` pairs are projected on
//! the fly. Results are exact (same nearest distance as a brute-force scan; ties go to the lower
//! segment index) — tested against brute force below.

use crate::geom::LocalProj;

/// The nearest segment found for a point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NearestSegment {
    /// Index into the caller's segment list.
    pub segment: u32,
    /// Position of the closest point along the segment (0 = first end, 1 = second end).
    pub t: f64,
    /// Squared distance in local metres.
    pub dist2_m2: f64,
}

/// Uniform grid over the kept segments; see the module doc.
#[derive(Clone, Debug)]
pub struct SegmentGrid {
    proj: LocalProj,
    x0: f64,
    y0: f64,
    cell_m: f64,
    nx: i64,
    ny: i64,
    /// Bucket of cell `j·nx + i` is `items[offsets[c]..offsets[c+1]]`.
    offsets: Vec<u32>,
    items: Vec<u32>,
}

/// Point–segment distance in the plane: `(t, squared distance)`.
#[inline]
fn closest(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> (f64, f64) {
    let d = [b[0] - a[0], b[1] - a[1]];
    let len2 = d[0] * d[0] + d[1] * d[1];
    let t = if len2 > 0.0 { (((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1]) / len2).clamp(0.0, 1.0) } else { 0.0 };
    let q = [a[0] + d[0] * t - p[0], a[1] + d[1] * t - p[1]];
    (t, q[0] * q[0] + q[1] * q[1])
}

impl SegmentGrid {
    /// Indexes the segments `segs[i]` (`[lon, lat]` ends) for which `keep(i)` holds, projected
    /// with `proj`.
    pub fn new(proj: LocalProj, segs: &[([f64; 2], [f64; 2])], keep: impl Fn(usize) -> bool + Sync) -> SegmentGrid {
        use rayon::prelude::*;
        let kept: Vec<u32> =
            (0..segs.len() as u32).into_par_iter().with_min_len(4096).filter(|&i| keep(i as usize)).collect();
        // The box of the projected ends (min and max do not depend on the order).
        let b = kept
            .par_iter()
            .with_min_len(4096)
            .fold(
                || crate::geom::bbox::EMPTY,
                |b, &s| {
                    let (p, q) = segs[s as usize];
                    crate::geom::bbox::add_point(crate::geom::bbox::add_point(b, proj.to_xy(p)), proj.to_xy(q))
                },
            )
            .reduce(|| crate::geom::bbox::EMPTY, crate::geom::bbox::union);
        if kept.is_empty() || !b.iter().all(|v| v.is_finite()) {
            return SegmentGrid {
                proj,
                x0: 0.0,
                y0: 0.0,
                cell_m: 1.0,
                nx: 0,
                ny: 0,
                offsets: vec![0],
                items: Vec::new(),
            };
        }
        let (w, h) = ((b[2] - b[0]).max(1.0), (b[3] - b[1]).max(1.0));
        // About two segments per cell on an evenly spread network, never below 20 m, and never
        // more cells than four per segment (a long thin extract).
        let mut cell_m = ((w * h) / kept.len() as f64 * 2.0).sqrt().max(20.0);
        while (w / cell_m).ceil() * (h / cell_m).ceil() > 4.0 * kept.len() as f64 + 1024.0 {
            cell_m *= 1.5;
        }
        let nx = ((w / cell_m).floor() as i64 + 1).max(1);
        let ny = ((h / cell_m).floor() as i64 + 1).max(1);
        let mut g = SegmentGrid { proj, x0: b[0], y0: b[1], cell_m, nx, ny, offsets: Vec::new(), items: Vec::new() };
        let half_diag2 = cell_m * cell_m / 2.0;
        let cells_of = |g: &SegmentGrid, s: u32, f: &mut dyn FnMut(usize)| {
            let (p, q) = segs[s as usize];
            let (a, c) = (proj.to_xy(p), proj.to_xy(q));
            let (i0, j0) = g.cell_of([a[0].min(c[0]), a[1].min(c[1])]);
            let (i1, j1) = g.cell_of([a[0].max(c[0]), a[1].max(c[1])]);
            let small = (i1 - i0 + 1) * (j1 - j0 + 1) <= 2;
            for j in j0..=j1 {
                for i in i0..=i1 {
                    let centre = [g.x0 + (i as f64 + 0.5) * cell_m, g.y0 + (j as f64 + 0.5) * cell_m];
                    if small || closest(centre, a, c).1 <= half_diag2 {
                        f((j * nx + i) as usize);
                    }
                }
            }
        };
        // Two passes over the same cell enumeration: count, then fill. (Serial: a parallel version
        // with per-slice (cell, segment) lists raised the 4×4 run's peak RSS by ~100 MB; the two
        // grids are built side by side instead, see `street_net`.)
        let ncell = (nx * ny) as usize;
        let mut count = vec![0u32; ncell + 1];
        for &s in &kept {
            cells_of(&g, s, &mut |c| count[c + 1] += 1);
        }
        for c in 0..ncell {
            count[c + 1] += count[c];
        }
        let mut items = vec![0u32; count[ncell] as usize];
        let mut fill = count.clone();
        for &s in &kept {
            cells_of(&g, s, &mut |c| {
                items[fill[c] as usize] = s;
                fill[c] += 1;
            });
        }
        g.offsets = count;
        g.items = items;
        g
    }

    /// Cell of a projected point, clamped to the grid.
    #[inline]
    fn cell_of(&self, xy: [f64; 2]) -> (i64, i64) {
        let i = ((xy[0] - self.x0) / self.cell_m).floor() as i64;
        let j = ((xy[1] - self.y0) / self.cell_m).floor() as i64;
        (i.clamp(0, self.nx - 1), j.clamp(0, self.ny - 1))
    }

    /// The nearest indexed segment to the point `p` (`[lon, lat]`), `None` when nothing is
    /// indexed or the point is not finite. `segs` must be the list the grid was built from.
    pub fn nearest(&self, segs: &[([f64; 2], [f64; 2])], p: [f64; 2]) -> Option<NearestSegment> {
        if self.items.is_empty() || !(p[0].is_finite() && p[1].is_finite()) {
            return None;
        }
        let xy = self.proj.to_xy(p);
        // The point's own (virtual, possibly outside) cell.
        let ci = ((xy[0] - self.x0) / self.cell_m).floor().clamp(-1e15, 1e15) as i64;
        let cj = ((xy[1] - self.y0) / self.cell_m).floor().clamp(-1e15, 1e15) as i64;
        let outside = |c: i64, n: i64| {
            if c < 0 {
                -c
            } else if c >= n {
                c - n + 1
            } else {
                0
            }
        };
        let r0 = outside(ci, self.nx).max(outside(cj, self.ny));
        let r_max = (ci).max(self.nx - 1 - ci).max(cj).max(self.ny - 1 - cj);
        let mut best: Option<NearestSegment> = None;
        let consider = |cell: usize, best: &mut Option<NearestSegment>| {
            for &s in &self.items[self.offsets[cell] as usize..self.offsets[cell + 1] as usize] {
                let (a, b) = segs[s as usize];
                let (t, d2) = closest(xy, self.proj.to_xy(a), self.proj.to_xy(b));
                let better = match best {
                    None => true,
                    Some(bs) => d2 < bs.dist2_m2 || (d2 == bs.dist2_m2 && s < bs.segment),
                };
                if better {
                    *best = Some(NearestSegment { segment: s, t, dist2_m2: d2 });
                }
            }
        };
        let mut r = r0;
        while r <= r_max {
            if let Some(bs) = best
                && r > 0
            {
                // Every unexamined cell lies outside the square of rings 0..r-1; the point is
                // inside it, at least `lower` from its border.
                let c = self.cell_m;
                let (left, right) = (self.x0 + (ci - r + 1) as f64 * c, self.x0 + (ci + r) as f64 * c);
                let (bottom, top) = (self.y0 + (cj - r + 1) as f64 * c, self.y0 + (cj + r) as f64 * c);
                let lower = (xy[0] - left).min(right - xy[0]).min(xy[1] - bottom).min(top - xy[1]).max(0.0);
                if bs.dist2_m2 <= lower * lower {
                    break;
                }
            }
            let (ilo, ihi) = ((ci - r).max(0), (ci + r).min(self.nx - 1));
            let (jlo, jhi) = ((cj - r).max(0), (cj + r).min(self.ny - 1));
            for j in [cj - r, cj + r] {
                if (0..self.ny).contains(&j) {
                    for i in ilo..=ihi {
                        consider((j * self.nx + i) as usize, &mut best);
                    }
                }
                if r == 0 {
                    break;
                }
            }
            if r > 0 {
                for i in [ci - r, ci + r] {
                    if (0..self.nx).contains(&i) {
                        for j in jlo.max(cj - r + 1)..=jhi.min(cj + r - 1) {
                            consider((j * self.nx + i) as usize, &mut best);
                        }
                    }
                }
            }
            r += 1;
        }
        best
    }

    /// Bytes held by the index (offsets and buckets).
    pub fn heap_bytes(&self) -> usize {
        (self.offsets.len() + self.items.len()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute(
        proj: &LocalProj,
        segs: &[([f64; 2], [f64; 2])],
        keep: impl Fn(usize) -> bool,
        p: [f64; 2],
    ) -> Option<NearestSegment> {
        let xy = proj.to_xy(p);
        let mut best: Option<NearestSegment> = None;
        for (s, (a, b)) in segs.iter().enumerate() {
            if !keep(s) {
                continue;
            }
            let (t, d2) = closest(xy, proj.to_xy(*a), proj.to_xy(*b));
            if best.is_none_or(|bs| d2 < bs.dist2_m2) {
                best = Some(NearestSegment { segment: s as u32, t, dist2_m2: d2 });
            }
        }
        best
    }

    #[test]
    fn empty_and_non_finite() {
        let proj = LocalProj::new(0.0, 0.0);
        let g = SegmentGrid::new(proj, &[], |_| true);
        assert_eq!(g.nearest(&[], [0.0, 0.0]), None);
        let segs = [([0.0, 0.0], [0.001, 0.0])];
        let g = SegmentGrid::new(proj, &segs, |_| true);
        assert_eq!(g.nearest(&segs, [f64::NAN, 0.0]), None);
        let s = g.nearest(&segs, [0.0005, 0.0001]).unwrap();
        assert_eq!(s.segment, 0);
        assert!((s.t - 0.5).abs() < 1e-9);
        // 0.0001° of latitude is 11.1195 m.
        assert!((s.dist2_m2.sqrt() - 11.1195).abs() < 0.01, "{s:?}");
    }

    #[test]
    fn far_points_and_unkept_segments() {
        let proj = LocalProj::new(10.0, 50.0);
        let segs = [([10.0, 50.0], [10.001, 50.0]), ([10.0, 50.01], [10.001, 50.01]), ([10.5, 50.5], [10.5, 50.6])];
        let g = SegmentGrid::new(proj, &segs, |i| i != 2);
        // Near the unkept third segment, but it is not indexed.
        let s = g.nearest(&segs, [10.5, 50.55]).unwrap();
        assert_eq!(s.segment, 1);
        // 1,000 km away.
        let s = g.nearest(&segs, [10.0005, 41.0]).unwrap();
        assert_eq!(s.segment, 0);
        assert_eq!(Some(s), brute(&proj, &segs, |i| i != 2, [10.0005, 41.0]));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Random street-like segments (short, clustered, some long) and random query points,
        /// inside and outside the network's box: the grid's nearest distance equals brute force.
        #[test]
        fn equals_brute_force(seed in 0u64..u64::MAX, nseg in 1usize..300, long in 0usize..5) {
            let mut x = seed | 1;
            let mut next = || { x ^= x << 13; x ^= x >> 7; x ^= x << 17; (x >> 11) as f64 / (1u64 << 53) as f64 };
            let mut segs = Vec::new();
            for k in 0..nseg {
                let a = [116.0 + next() * 0.02, 30.0 + next() * 0.02];
                let len = if k < long { 0.02 } else { 0.0008 };
                let b = [a[0] + (next() - 0.5) * len, a[1] + (next() - 0.5) * len];
                segs.push((a, b));
            }
            let proj = LocalProj::new(116.01, 30.01);
            let keep = |i: usize| i % 7 != 3 || nseg < 7;
            let g = SegmentGrid::new(proj, &segs, keep);
            for _ in 0..60 {
                let p = [115.99 + next() * 0.04, 29.99 + next() * 0.04];
                let got = g.nearest(&segs, p).unwrap();
                let want = brute(&proj, &segs, keep, p).unwrap();
                prop_assert_eq!(got.dist2_m2, want.dist2_m2);
                prop_assert_eq!(got.segment, want.segment);
                prop_assert_eq!(got.t, want.t);
            }
        }
    }
}
