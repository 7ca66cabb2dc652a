//! The buffer raster: street pieces dilated into a grid of samples, traced back into rings with
//! marching squares and simplified with Douglas–Peucker.
//!
//! Samples sit on a global lattice `(i·cell, j·cell)` in local metres, so rasters of different
//! extents agree sample for sample. A sample is *in* when it lies within the buffer half-width of
//! some piece (exactly: the analytic capsule of the segment is intersected with each sample row).
//! The raster has a margin of out samples on every side, so every contour closes.
//!
//! Contours run through the midpoints of the lattice edges between an in and an out sample, with
//! the in side on the left: outer rings come out counter-clockwise, holes clockwise. At a saddle
//! (two diagonal in samples, two out) the in samples are kept apart, so in-regions are
//! 4-connected; one in-region gives exactly one outer ring plus its holes, and two contours never
//! share a point. Coordinates are traced in integer half-cell units, so removing collinear
//! vertices and computing areas is exact.

/// Rings of one polygon in local metres: outer ring (counter-clockwise) first, then holes
/// (clockwise); open (the first vertex is not repeated).
pub type PolygonXy = Vec<Vec<[f64; 2]>>;

/// A binary sample grid with reusable buffers (one per worker thread).
#[derive(Debug, Default)]
pub struct Raster {
    /// Lattice index of sample `(0, 0)`.
    i0: i64,
    j0: i64,
    nx: usize,
    ny: usize,
    cell: f64,
    inside: Vec<u8>,
    /// The in-regions as runs (see [`Raster::find_regions`]): `[first, end)` columns of every
    /// maximal run of in samples, row by row; the first run of row `j` is `runs[row_start[j]]`.
    runs: Vec<[u32; 2]>,
    row_start: Vec<u32>,
    /// Union–find parent of each run; a root stands for its 4-connected in-region.
    parent: Vec<u32>,
    /// Contour links: `next[crossing] = crossing`.
    next: Links,
    /// Crossings that start a contour segment, in scan order.
    starts: Vec<u32>,
}

/// Largest sample count of one raster (≈ 200 km² at 5 m); beyond it the cell is doubled, up to
/// [`super::MAX_CELL_M`] (≈ 3,200 km² at 20 m); beyond that the raster grows.
pub const MAX_SAMPLES: f64 = 8.0e6;

/// Largest crossing-id count (2 per sample) for which contour links are a dense table: 16 MB.
/// A facility walk-shed has ~0.5 M ids; a city-wide category walk-shed up to 16 M, whose links
/// (one per contour crossing, a few 10^5) then go to a sorted list instead of 64 MB of table
/// (no hashing: one sort of the links, then a binary search per contour vertex).
const DENSE_LINK_IDS: usize = 1 << 22;

/// Contour links by crossing id, `u32::MAX` when absent or already followed. Dense: only ever
/// read where the current trace wrote it, so grown, never cleared. Sparse: `(from, to)` pairs,
/// sorted by [`Links::seal`] before the first lookup.
#[derive(Debug, Default)]
struct Links {
    dense: Vec<u32>,
    sparse: Vec<(u32, u32)>,
    use_sparse: bool,
    /// Crossing ids per sample row (`2·nx`), and, once sealed, where each row's links start in
    /// `sparse`: a lookup searches one row's few links, not all of them (the whole-list binary
    /// search was a fifth of `polygons` on the 4×4 Las Palmas category rasters).
    row_ids: usize,
    rows: usize,
    row_start: Vec<u32>,
}

impl Links {
    fn prepare(&mut self, ids: usize, row_ids: usize) {
        self.use_sparse = ids > DENSE_LINK_IDS;
        self.sparse.clear();
        self.row_ids = row_ids.max(1);
        self.rows = ids.div_ceil(self.row_ids);
        if !self.use_sparse && self.dense.len() < ids {
            self.dense.resize(ids, u32::MAX);
        }
    }

    #[inline]
    fn set(&mut self, from: u32, to: u32) {
        if self.use_sparse {
            self.sparse.push((from, to));
        } else {
            self.dense[from as usize] = to;
        }
    }

    /// Ends the setting: sorts the sparse links (every `from` is set once).
    fn seal(&mut self) {
        if self.use_sparse {
            self.sparse.sort_unstable_by_key(|l| l.0);
            self.row_start.clear();
            let mut k = 0;
            for r in 0..=self.rows {
                while k < self.sparse.len() && (self.sparse[k].0 as usize) < r * self.row_ids {
                    k += 1;
                }
                self.row_start.push(k as u32);
            }
        }
    }

    #[inline]
    fn slot(&self, id: u32) -> Option<usize> {
        let r = (id as usize / self.row_ids).min(self.rows);
        let (a, b) = (self.row_start[r] as usize, self.row_start[(r + 1).min(self.rows)] as usize);
        self.sparse[a..b].binary_search_by_key(&id, |l| l.0).ok().map(|i| a + i)
    }

    #[inline]
    fn get(&self, id: u32) -> u32 {
        if self.use_sparse { self.slot(id).map_or(u32::MAX, |i| self.sparse[i].1) } else { self.dense[id as usize] }
    }

    /// The link of `id`, marked followed.
    #[inline]
    fn take(&mut self, id: u32) -> u32 {
        if self.use_sparse {
            self.slot(id).map_or(u32::MAX, |i| std::mem::replace(&mut self.sparse[i].1, u32::MAX))
        } else {
            std::mem::replace(&mut self.dense[id as usize], u32::MAX)
        }
    }
}

impl Raster {
    /// Clears the raster to cover `bbox` (`[min_x, min_y, max_x, max_y]`, metres) grown by `pad`
    /// on every side, with samples every `cell` metres (coarsened when the area is huge).
    /// Returns the cell size used.
    pub fn reset(&mut self, bbox: [f64; 4], pad: f64, cell: f64) -> f64 {
        let w = bbox[2] - bbox[0] + 2.0 * pad;
        let h = bbox[3] - bbox[1] + 2.0 * pad;
        let mut cell = cell;
        while (w / cell + 3.0) * (h / cell + 3.0) > MAX_SAMPLES && cell * 2.0 <= super::MAX_CELL_M {
            cell *= 2.0;
        }
        self.cell = cell;
        self.i0 = ((bbox[0] - pad) / cell).floor() as i64;
        self.j0 = ((bbox[1] - pad) / cell).floor() as i64;
        let i1 = ((bbox[2] + pad) / cell).ceil() as i64;
        let j1 = ((bbox[3] + pad) / cell).ceil() as i64;
        self.nx = (i1 - self.i0 + 1).max(2) as usize;
        self.ny = (j1 - self.j0 + 1).max(2) as usize;
        self.inside.clear();
        self.inside.resize(self.nx * self.ny, 0);
        cell
    }

    fn x0(&self) -> f64 {
        self.i0 as f64 * self.cell
    }
    fn y0(&self) -> f64 {
        self.j0 as f64 * self.cell
    }

    /// Marks every sample within `r` metres of the segment `p`–`q` (a point when `p == q`).
    pub fn fill_capsule(&mut self, p: [f64; 2], q: [f64; 2], r: f64) {
        self.fill_strip(p, q, r);
        self.fill_disk(p, r);
        self.fill_disk(q, r);
    }

    /// Marks the samples within `r` of some piece: the strip of every piece, and one disk per
    /// entry of `ends`, which must hold every piece end (each distinct end once is enough: the
    /// caller lists them without sorting, see `pieces::reached_pieces`).
    pub fn fill_pieces(&mut self, pieces: &[[[f64; 2]; 2]], r: f64, ends: &[[f64; 2]]) {
        for p in pieces {
            self.fill_strip(p[0], p[1], r);
        }
        for &c in ends {
            self.fill_disk(c, r);
        }
    }

    /// Marks the samples within `r` of the point `c`.
    pub fn fill_disk(&mut self, c: [f64; 2], r: f64) {
        let r2 = r * r;
        self.fill_rows(c[1] - r, c[1] + r, |y| {
            let dy = y - c[1];
            let h2 = r2 - dy * dy;
            (h2 >= 0.0).then(|| {
                let h = h2.sqrt();
                (c[0] - h, c[0] + h)
            })
        });
    }

    /// Marks the samples of the rectangle of half-width `r` along `p`–`q` (nothing beyond the
    /// ends; nothing for a point).
    pub fn fill_strip(&mut self, p: [f64; 2], q: [f64; 2], r: f64) {
        let d = [q[0] - p[0], q[1] - p[1]];
        let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
        if len <= 1e-9 {
            return;
        }
        let u = [d[0] / len, d[1] / len];
        // Row constraints `lo <= cx·(x − p.x) + cy·(y − p.y) <= hi`: across (unit normal) and
        // along (unit direction).
        let cons = [(-u[1], u[0], -r, r), (u[0], u[1], 0.0, len)]
            .map(|(cx, cy, lo, hi)| (cx, cy, lo, hi, if cx.abs() < 1e-12 { 0.0 } else { 1.0 / cx }));
        let ext = r * u[0].abs();
        self.fill_rows(p[1].min(q[1]) - ext, p[1].max(q[1]) + ext, |y| {
            let dy = y - p[1];
            let (mut a, mut b) = (f64::NEG_INFINITY, f64::INFINITY);
            for &(_, cy, lo, hi, inv_cx) in &cons {
                let c0 = cy * dy;
                if inv_cx == 0.0 {
                    if c0 < lo || c0 > hi {
                        return None;
                    }
                } else {
                    let t1 = (lo - c0) * inv_cx;
                    let t2 = (hi - c0) * inv_cx;
                    a = a.max(t1.min(t2));
                    b = b.min(t1.max(t2));
                }
            }
            (a <= b).then_some((p[0] + a, p[0] + b))
        });
    }

    /// Fills, for every sample row with `ylo <= y <= yhi`, the samples with `xl <= x <= xr`
    /// where `span(y) = Some((xl, xr))`.
    #[inline]
    fn fill_rows(&mut self, ylo: f64, yhi: f64, span: impl Fn(f64) -> Option<(f64, f64)>) {
        let (x0, y0, c) = (self.x0(), self.y0(), self.cell);
        let inv = 1.0 / c;
        let ja = ceil_i((ylo - y0) * inv).max(0);
        let jb = floor_i((yhi - y0) * inv).min(self.ny as i64 - 1);
        let last = self.nx as i64 - 1;
        for j in ja..=jb {
            let y = y0 + j as f64 * c;
            let Some((xl, xr)) = span(y) else {
                continue;
            };
            let ia = ceil_i((xl - x0) * inv).max(0);
            let ib = floor_i((xr - x0) * inv).min(last);
            if ib < ia {
                continue;
            }
            let (a, n) = (j as usize * self.nx + ia as usize, (ib - ia + 1) as usize);
            if n <= 8 && a + 8 <= self.inside.len() {
                // Most spans on 20 m cells are 1–3 samples: one 8-byte or-write instead of a
                // `memset` call (in-samples are 1, so or-ing 1 into the span's bytes and 0 into
                // the others is the fill).
                let w = &mut self.inside[a..a + 8];
                let v = u64::from_le_bytes(w.try_into().expect("8 bytes")) | (SPAN_ONES >> (8 * (8 - n)));
                w.copy_from_slice(&v.to_le_bytes());
            } else {
                self.inside[a..a + n].fill(1);
            }
        }
    }

    /// Area of the in samples, m² (one cell per sample).
    pub fn in_area_m2(&self) -> f64 {
        self.inside.iter().filter(|&&b| b != 0).count() as f64 * self.cell * self.cell
    }

    /// Traces the in-region into polygons (local metres), simplified with tolerance `tol_m`
    /// (keep it below `cell / (2√2)` so the result stays valid; see the module docs of
    /// `isochrone`). Polygons are ordered by decreasing area.
    pub fn polygons(&mut self, tol_m: f64) -> Vec<PolygonXy> {
        let nx = self.nx;
        let ins = &self.inside;
        // (1) Directed contour segments between lattice-edge crossings, one per in-corner run of
        // a cell. Crossing id: 2·sample for the edge to the right neighbour, 2·sample+1 for the
        // edge to the upper neighbour.
        self.starts.clear();
        self.next.prepare(2 * self.nx * self.ny, 2 * self.nx);
        for j in 0..self.ny - 1 {
            let row = j * nx;
            let mut i = 0;
            while i < nx - 1 {
                let a = row + i;
                // Skip 8 cells at once where both sample rows are uniform and equal.
                if i + 9 <= nx {
                    let w0 = u64::from_ne_bytes(ins[a..a + 8].try_into().expect("8 bytes"));
                    let w1 = u64::from_ne_bytes(ins[a + nx..a + nx + 8].try_into().expect("8 bytes"));
                    let v = ins[a + 8];
                    if w0 == w1 && ins[a + nx + 8] == v && w0 == u64::from_ne_bytes([v; 8]) {
                        i += 8;
                        continue;
                    }
                }
                i += 1;
                let s = [ins[a], ins[a + 1], ins[a + nx + 1], ins[a + nx]];
                let case = s[0] | (s[1] << 1) | (s[2] << 2) | (s[3] << 3);
                if case == 0 || case == 15 {
                    continue;
                }
                // Edges in counter-clockwise order: bottom, right, top, left.
                let e = [2 * a as u32, 2 * (a + 1) as u32 + 1, 2 * (a + nx) as u32, 2 * a as u32 + 1];
                for k in 0..4 {
                    if s[k] == 1 && s[(k + 1) % 4] == 0 {
                        // in→out crossing: the contour starts here and ends at the previous
                        // out→in crossing, cutting off this run of in corners.
                        for step in 1..4 {
                            let m = (k + 4 - step) % 4;
                            if s[m] == 0 && s[(m + 1) % 4] == 1 {
                                self.next.set(e[k], e[m]);
                                self.starts.push(e[k]);
                                break;
                            }
                        }
                    }
                }
            }
        }

        self.next.seal();

        // (2) Rings in half-cell integer units, collinear vertices removed.
        let mut rings: Vec<(Vec<[i64; 2]>, i64, u32)> = Vec::new();
        for k in 0..self.starts.len() {
            let start = self.starts[k];
            if self.next.get(start) == u32::MAX {
                continue; // already on a ring
            }
            let mut pts = Vec::new();
            let mut cur = start;
            loop {
                pts.push(self.half_units(cur));
                let next = self.next.take(cur);
                debug_assert_ne!(next, u32::MAX, "every crossing starts exactly one segment");
                cur = next;
                if cur == start {
                    break;
                }
            }
            let pts = drop_collinear(pts);
            let area2 = ring_area2_i(&pts);
            let in_sample = self.in_sample(start);
            rings.push((pts, area2, in_sample));
        }

        // (3) Holes belong to the outer ring of their 4-connected in-region.
        let outers: Vec<usize> = (0..rings.len()).filter(|&k| rings[k].1 > 0).collect();
        let mut holes_of: Vec<Vec<usize>> = vec![Vec::new(); outers.len()];
        let has_holes = rings.iter().any(|r| r.1 < 0);
        if has_holes && outers.len() == 1 {
            holes_of[0] = (0..rings.len()).filter(|&k| rings[k].1 < 0).collect();
        } else if has_holes {
            self.find_regions();
            let mut outer_of_region = vec![usize::MAX; self.runs.len()];
            for (o, &k) in outers.iter().enumerate() {
                outer_of_region[self.region_of(rings[k].2) as usize] = o;
            }
            for (k, r) in rings.iter().enumerate() {
                if r.1 < 0 {
                    let o = outer_of_region[self.region_of(r.2) as usize];
                    holes_of[o].push(k);
                }
            }
        }

        // (4) Simplify, convert to metres, order by area.
        let (x0, y0, h) = (self.x0(), self.y0(), self.cell / 2.0);
        let tol = tol_m / h;
        let to_m = |ring: &[[i64; 2]]| -> Vec<[f64; 2]> {
            simplify_closed(ring, tol).iter().map(|p| [x0 + p[0] as f64 * h, y0 + p[1] as f64 * h]).collect()
        };
        let mut polys: Vec<(i64, PolygonXy)> = outers
            .iter()
            .zip(&holes_of)
            .map(|(&o, hs)| {
                let mut poly = vec![to_m(&rings[o].0)];
                poly.extend(hs.iter().map(|&k| to_m(&rings[k].0)));
                (rings[o].1, poly)
            })
            .collect();
        polys.sort_by_key(|p| std::cmp::Reverse(p.0));
        polys.into_iter().map(|p| p.1).collect()
    }

    /// Position of a crossing in half-cell units relative to sample (0, 0).
    fn half_units(&self, id: u32) -> [i64; 2] {
        let s = (id / 2) as usize;
        let (i, j) = ((s % self.nx) as i64, (s / self.nx) as i64);
        if id.is_multiple_of(2) { [2 * i + 1, 2 * j] } else { [2 * i, 2 * j + 1] }
    }

    /// The in sample on either side of a crossing.
    fn in_sample(&self, id: u32) -> u32 {
        let s = id / 2;
        if self.inside[s as usize] == 1 {
            s
        } else if id.is_multiple_of(2) {
            s + 1
        } else {
            s + self.nx as u32
        }
    }

    /// Finds the 4-connected in-regions: every maximal run of in samples of a row is a run, and
    /// runs of adjacent rows that share a column are joined (union–find). Only the regions of the
    /// ring starts are ever asked for ([`Raster::region_of`]), so this replaces a flood fill that
    /// labelled every in sample: on the 20 m city-wide category rasters of the 4×4 Las Palmas run
    /// the flood fill was half of [`Raster::polygons`] (≈ 100 of 650 walk-shed samples in a
    /// `perf record`); the runs are found 8 samples at a time.
    fn find_regions(&mut self) {
        const ONES: u64 = u64::from_ne_bytes([1; 8]);
        let nx = self.nx;
        self.runs.clear();
        self.row_start.clear();
        for row in self.inside.chunks_exact(nx) {
            self.row_start.push(self.runs.len() as u32);
            let word = |i: usize| u64::from_ne_bytes(row[i..i + 8].try_into().expect("8 bytes"));
            let mut i = 0;
            loop {
                while i + 8 <= nx && word(i) == 0 {
                    i += 8;
                }
                while i < nx && row[i] == 0 {
                    i += 1;
                }
                if i == nx {
                    break;
                }
                let first = i;
                while i + 8 <= nx && word(i) == ONES {
                    i += 8;
                }
                while i < nx && row[i] != 0 {
                    i += 1;
                }
                self.runs.push([first as u32, i as u32]);
            }
        }
        self.row_start.push(self.runs.len() as u32);
        self.parent.clear();
        self.parent.extend(0..self.runs.len() as u32);
        for j in 1..self.ny {
            let (mut p, p_end) = (self.row_start[j - 1] as usize, self.row_start[j] as usize);
            let (mut q, q_end) = (p_end, self.row_start[j + 1] as usize);
            while p < p_end && q < q_end {
                let (a, b) = (self.runs[p], self.runs[q]);
                if a[0] < b[1] && b[0] < a[1] {
                    let (ra, rb) = (self.root(p as u32), self.root(q as u32));
                    if ra != rb {
                        self.parent[ra.max(rb) as usize] = ra.min(rb);
                    }
                }
                if a[1] <= b[1] {
                    p += 1;
                } else {
                    q += 1;
                }
            }
        }
    }

    /// The root run of a run (path halving).
    fn root(&mut self, mut r: u32) -> u32 {
        while self.parent[r as usize] != r {
            let up = self.parent[self.parent[r as usize] as usize];
            self.parent[r as usize] = up;
            r = up;
        }
        r
    }

    /// The region (root run, see [`Raster::find_regions`]) of an in sample.
    fn region_of(&mut self, sample: u32) -> u32 {
        let (j, i) = (sample as usize / self.nx, sample % self.nx as u32);
        let row = &self.runs[self.row_start[j] as usize..self.row_start[j + 1] as usize];
        let k = row.partition_point(|r| r[1] <= i);
        debug_assert!(k < row.len() && row[k][0] <= i, "sample {sample} is not in");
        self.root((self.row_start[j] as usize + k) as u32)
    }
}

/// Eight in-samples (`1` bytes) as one little-endian word.
const SPAN_ONES: u64 = u64::from_le_bytes([1; 8]);

/// `ceil` as an integer without a libm call (the baseline x86-64 target has no `roundsd`).
#[inline]
fn ceil_i(v: f64) -> i64 {
    let t = v as i64;
    if (t as f64) < v { t + 1 } else { t }
}

#[inline]
fn floor_i(v: f64) -> i64 {
    let t = v as i64;
    if (t as f64) > v { t - 1 } else { t }
}

fn cross_i(o: [i64; 2], a: [i64; 2], b: [i64; 2]) -> i64 {
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/// Drops vertices lying on the straight line through their neighbours (exact, integers).
fn drop_collinear(pts: Vec<[i64; 2]>) -> Vec<[i64; 2]> {
    let n = pts.len();
    if n < 4 {
        return pts;
    }
    let keep: Vec<[i64; 2]> =
        (0..n).filter(|&i| cross_i(pts[(i + n - 1) % n], pts[i], pts[(i + 1) % n]) != 0).map(|i| pts[i]).collect();
    if keep.len() < 3 { pts } else { keep }
}

/// Twice the signed area (positive = counter-clockwise), exact.
fn ring_area2_i(pts: &[[i64; 2]]) -> i64 {
    let n = pts.len();
    (0..n)
        .map(|i| {
            let (a, b) = (pts[i], pts[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum()
}

/// Douglas–Peucker on a closed ring (distance to the segment, not the line): anchored at vertex 0
/// and the vertex farthest from it. Keeps the ring unsimplified if fewer than 3 vertices remain.
pub(crate) fn simplify_closed(pts: &[[i64; 2]], tol: f64) -> Vec<[i64; 2]> {
    let n = pts.len();
    if n <= 4 || tol <= 0.0 {
        return pts.to_vec();
    }
    let f = |i: usize| -> [f64; 2] {
        let p = pts[i % n];
        [p[0] as f64, p[1] as f64]
    };
    let p0 = f(0);
    let far = (1..n)
        .max_by(|&a, &b| {
            let (pa, pb) = (f(a), f(b));
            let da = (pa[0] - p0[0]).powi(2) + (pa[1] - p0[1]).powi(2);
            let db = (pb[0] - p0[0]).powi(2) + (pb[1] - p0[1]).powi(2);
            da.total_cmp(&db).then(b.cmp(&a))
        })
        .expect("n > 4");
    let keep = crate::geom::simplify::keep_closed(f, n, far, tol * tol);
    let out: Vec<[i64; 2]> = (0..n).filter(|&i| keep[i]).map(|i| pts[i]).collect();
    if out.len() < 3 { pts.to_vec() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::simplify::seg_dist2;

    fn area(poly: &PolygonXy) -> f64 {
        poly.iter()
            .map(|r| {
                let n = r.len();
                (0..n).map(|i| r[i][0] * r[(i + 1) % n][1] - r[(i + 1) % n][0] * r[i][1]).sum::<f64>() / 2.0
            })
            .sum()
    }

    #[test]
    fn disk_is_one_ccw_ring_with_the_disk_area() {
        let mut r = Raster::default();
        r.reset([0.0, 0.0, 0.0, 0.0], 40.0, 1.0);
        r.fill_capsule([0.0, 0.0], [0.0, 0.0], 25.0);
        let polys = r.polygons(0.2);
        assert_eq!(polys.len(), 1);
        assert_eq!(polys[0].len(), 1);
        let a = area(&polys[0]);
        let disk = std::f64::consts::PI * 625.0;
        assert!((a - disk).abs() / disk < 0.03, "{a} vs {disk}");
    }

    #[test]
    fn square_loop_of_streets_leaves_a_clockwise_hole() {
        let mut r = Raster::default();
        // Streets half a cell off the lattice, so the 25 m band ends half-way between samples.
        r.reset([0.0, 0.0, 205.0, 205.0], 30.0, 5.0);
        let c = [[2.5, 2.5], [202.5, 2.5], [202.5, 202.5], [2.5, 202.5]];
        for k in 0..4 {
            r.fill_capsule(c[k], c[(k + 1) % 4], 25.0);
        }
        let polys = r.polygons(1.0);
        assert_eq!(polys.len(), 1);
        assert_eq!(polys[0].len(), 2, "outer + one hole");
        // Hole ≈ 150 × 150 m, outer ≈ 250 × 250 m minus rounded corners.
        let a = area(&polys[0]);
        let expect = 250.0 * 250.0 - (4.0 - std::f64::consts::PI) * 625.0 - 150.0 * 150.0;
        assert!((a - expect).abs() / expect < 0.03, "{a} vs {expect}");
    }

    #[test]
    fn separate_pieces_give_separate_polygons_with_their_own_holes() {
        let mut r = Raster::default();
        r.reset([0.0, 0.0, 600.0, 200.0], 30.0, 5.0);
        for ox in [0.0, 400.0] {
            let c = [[ox, 0.0], [ox + 200.0, 0.0], [ox + 200.0, 200.0], [ox, 200.0]];
            for k in 0..4 {
                r.fill_capsule(c[k], c[(k + 1) % 4], 25.0);
            }
        }
        let polys = r.polygons(1.0);
        assert_eq!(polys.len(), 2);
        for p in &polys {
            assert_eq!(p.len(), 2);
            let cx = p[0].iter().map(|q| q[0]).sum::<f64>() / p[0].len() as f64;
            let hx = p[1].iter().map(|q| q[0]).sum::<f64>() / p[1].len() as f64;
            assert!((cx - hx).abs() < 10.0, "hole assigned to its own outer ring");
        }
    }

    /// A city-wide extent coarsens the cell to `MAX_CELL_M` and no further; on 20 m cells with
    /// the 5 m tolerance every street node stays inside, at least the documented
    /// `25 − c·√2/2 − c/4` (5.9 m) from the boundary, and rings stay simple.
    #[test]
    fn city_wide_raster_stops_at_the_largest_cell_and_keeps_nodes_inside() {
        let mut r = Raster::default();
        let cell = r.reset([0.0, 0.0, 60_000.0, 60_000.0], 35.0, 5.0);
        assert_eq!(cell, super::super::MAX_CELL_M);
        // A 5 × 5 grid of streets 130 m apart, off the lattice.
        let nodes: Vec<[f64; 2]> =
            (0..5).flat_map(|j| (0..5).map(move |i| [1003.3 + 130.0 * i as f64, 997.1 + 130.0 * j as f64])).collect();
        for (k, &p) in nodes.iter().enumerate() {
            if k % 5 < 4 {
                r.fill_capsule(p, nodes[k + 1], 25.0);
            }
            if k < 20 {
                r.fill_capsule(p, nodes[k + 5], 25.0);
            }
        }
        let polys = r.polygons(cell * super::super::SIMPLIFY_PER_CELL);
        assert_eq!(polys.len(), 1);
        assert_eq!(polys[0].len(), 1 + 16, "one hole per block");
        let margin = 25.0 - cell * std::f64::consts::SQRT_2 / 2.0 - cell * super::super::SIMPLIFY_PER_CELL;
        for &p in &nodes {
            assert!(crate::geom::polygon::polygon_contains(&polys[0], p), "{p:?} outside");
            let d = polys[0]
                .iter()
                .flat_map(|ring| (0..ring.len()).map(move |i| seg_dist2(p, ring[i], ring[(i + 1) % ring.len()])))
                .fold(f64::INFINITY, f64::min)
                .sqrt();
            assert!(d >= margin, "{p:?}: {d} m from the boundary, bound {margin}");
        }
        // Simple rings: no two non-adjacent segments of any ring meet (brute force).
        for ring in &polys[0] {
            let n = ring.len();
            for i in 0..n {
                for j in i + 2..n {
                    if i == 0 && j == n - 1 {
                        continue;
                    }
                    let (a, b, c, d) = (ring[i], ring[(i + 1) % n], ring[j], ring[(j + 1) % n]);
                    let o = |p: [f64; 2], q: [f64; 2], r: [f64; 2]| {
                        (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
                    };
                    let cross = o(a, b, c) * o(a, b, d) < 0.0 && o(c, d, a) * o(c, d, b) < 0.0;
                    assert!(!cross, "segments {i} and {j} cross");
                }
            }
        }
    }

    /// The run regions partition the in samples exactly as a 4-connected flood fill does, on
    /// random rasters of several densities and widths (rows not a multiple of 8 samples wide, so
    /// the word skips meet row ends).
    #[test]
    fn run_regions_are_the_flood_fill_regions() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..60 {
            let mut r = Raster::default();
            let side = 7.0 + (case % 13) as f64 * 3.0;
            r.reset([0.0, 0.0, side, side * 0.7], 1.0, 1.0);
            let (nx, ny) = (r.nx, r.ny);
            let density = [10u64, 35, 50, 65, 90][case % 5];
            for j in 1..ny - 1 {
                for i in 1..nx - 1 {
                    // Long runs sometimes, so the 8-sample steps are taken.
                    let v = if j % 4 == 0 && case % 3 == 0 { 1 } else { u8::from(rnd() % 100 < density) };
                    r.inside[j * nx + i] = v;
                }
            }
            // Reference: flood fill labels.
            let n = nx * ny;
            let mut label = vec![u32::MAX; n];
            let mut next = 0;
            for s0 in 0..n {
                if r.inside[s0] == 0 || label[s0] != u32::MAX {
                    continue;
                }
                let mut stack = vec![s0];
                label[s0] = next;
                while let Some(s) = stack.pop() {
                    for t in [s - 1, s + 1, s - nx, s + nx] {
                        if r.inside[t] == 1 && label[t] == u32::MAX {
                            label[t] = next;
                            stack.push(t);
                        }
                    }
                }
                next += 1;
            }
            r.find_regions();
            let ins: Vec<u32> = (0..n as u32).filter(|&s| r.inside[s as usize] == 1).collect();
            let region: Vec<u32> = ins.iter().map(|&s| r.region_of(s)).collect();
            let mut pairs: Vec<(u32, u32)> = ins.iter().zip(&region).map(|(&s, &g)| (label[s as usize], g)).collect();
            pairs.sort_unstable();
            pairs.dedup();
            // A bijection between flood-fill labels and run regions.
            assert_eq!(pairs.len(), next as usize, "case {case}: a label split over regions");
            let mut roots: Vec<u32> = pairs.iter().map(|p| p.1).collect();
            roots.sort_unstable();
            roots.dedup();
            assert_eq!(roots.len(), next as usize, "case {case}: regions merged");
        }
    }

    #[test]
    fn saddle_keeps_diagonal_samples_apart() {
        let mut r = Raster::default();
        r.reset([0.0, 0.0, 1.0, 1.0], 3.0, 1.0);
        // Two diagonal in samples.
        let nx = r.nx;
        r.inside[3 * nx + 3] = 1;
        r.inside[4 * nx + 4] = 1;
        let polys = r.polygons(0.0);
        assert_eq!(polys.len(), 2);
        assert!(polys.iter().all(|p| p.len() == 1 && p[0].len() == 4));
    }
}
