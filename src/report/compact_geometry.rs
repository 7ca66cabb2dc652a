//! Compact geometry for `report.html`'s data blocks: positions as integers at ~1 m precision,
//! rings simplified with Douglas–Peucker and written as deltas.
//!
//! Glossary:
//! - **e5**: a coordinate in units of 10⁻⁵ degree (≈ 1.1 m of latitude, ≤ 1.1 m of longitude),
//!   `round(deg × 10⁵)`; the page divides by 10⁵.
//! - **origin**: the `[lon, lat]` e5 every first position is written relative to.
//! - **ring**: a flat array `[x0, y0, dx1, dy1, …]`: the first position minus the origin, then
//!   each position minus the previous one, in e5; not closed (the page closes it). Consecutive
//!   repeats after rounding are dropped.
//! - **polygon** `[ring, …]` (outer first, then holes), **multipolygon** `[polygon, …]`.

use crate::geom::{LocalProj, Ring, simplify::simplify_ring_m};

/// Degrees → e5.
pub fn e5(deg: f64) -> i64 {
    (deg * 1e5).round() as i64
}

/// Writes rings, polygons and multipolygons relative to one origin, simplified at `tolerance_m`.
#[derive(Clone, Copy, Debug)]
pub struct CompactWriter {
    /// `[lon, lat]` e5.
    pub origin: [i64; 2],
    proj: LocalProj,
    tolerance_m: f64,
}

impl CompactWriter {
    /// `origin_lon_lat` also sets the projection the tolerance is measured in.
    pub fn new(origin_lon_lat: [f64; 2], tolerance_m: f64) -> CompactWriter {
        CompactWriter {
            origin: [e5(origin_lon_lat[0]), e5(origin_lon_lat[1])],
            proj: LocalProj::new(origin_lon_lat[0], origin_lon_lat[1]),
            tolerance_m,
        }
    }

    /// `[x, y]` e5 minus the origin.
    pub fn offset(&self, p: [f64; 2]) -> [i64; 2] {
        [e5(p[0]) - self.origin[0], e5(p[1]) - self.origin[1]]
    }

    /// Appends one ring; returns the number of positions written.
    pub fn ring(&self, out: &mut String, ring: &[[f64; 2]]) -> usize {
        let xy: Vec<[f64; 2]> = ring.iter().map(|&p| self.proj.to_xy(p)).collect();
        let keep = simplify_ring_m(&xy, self.tolerance_m);
        let mut pts: Vec<[i64; 2]> = Vec::with_capacity(keep.len());
        for i in keep {
            let p = self.offset(ring[i]);
            if pts.last() != Some(&p) {
                pts.push(p);
            }
        }
        while pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        push_deltas(out, &pts, &mut [0, 0]);
        pts.len()
    }

    /// Appends one polygon (outer ring, then holes).
    pub fn polygon(&self, out: &mut String, rings: &[Ring]) {
        out.push('[');
        for (i, r) in rings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.ring(out, r);
        }
        out.push(']');
    }

    /// Appends one multipolygon.
    pub fn multipolygon(&self, out: &mut String, polys: &[Vec<Ring>]) {
        out.push('[');
        for (i, p) in polys.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.polygon(out, p);
        }
        out.push(']');
    }
}

/// Decodes a ring written by [`CompactWriter::ring`] back to `[lon, lat]` degrees (what the page
/// script does).
/// Appends `[x0,y0,dx1,dy1,…]`: each position of `pts` (e5 units) as its difference from the one
/// before, the first from `prev`; `prev` ends at the last position (a layer may continue the
/// deltas from line to line).
pub fn push_deltas(out: &mut String, pts: &[[i64; 2]], prev: &mut [i64; 2]) {
    out.push('[');
    for (i, p) in pts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        super::format::push_i64(out, p[0] - prev[0]);
        out.push(',');
        super::format::push_i64(out, p[1] - prev[1]);
        *prev = *p;
    }
    out.push(']');
}

#[cfg(test)]
pub fn decode_ring(origin: [i64; 2], flat: &[i64]) -> Vec<[f64; 2]> {
    let (mut x, mut y) = (origin[0], origin[1]);
    flat.chunks(2)
        .map(|d| {
            x += d[0];
            y += d[1];
            [x as f64 / 1e5, y as f64 / 1e5]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::haversine_m;

    #[test]
    fn ring_round_trips_within_tolerance_and_precision() {
        // A wavy ring around Las Palmas: 200 vertices, ±0.5 m noise on a 300 m circle.
        let c = [-15.43, 28.12];
        let ring: Vec<[f64; 2]> = (0..=200)
            .map(|i| {
                let t = (i % 200) as f64 / 200.0 * std::f64::consts::TAU;
                let r = 300.0 + if i % 2 == 0 { 0.5 } else { -0.5 };
                [c[0] + r * t.cos() / 98_000.0, c[1] + r * t.sin() / 111_000.0]
            })
            .collect();
        let w = CompactWriter::new([-15.5, 28.0], 3.0);
        let mut s = String::new();
        let n = w.ring(&mut s, &ring);
        let flat: Vec<i64> = serde_json::from_str(&s).unwrap();
        assert_eq!(flat.len(), 2 * n);
        assert!((3..100).contains(&n), "{n} positions kept of 200");
        let back = decode_ring(w.origin, &flat);
        // Every kept position is an input vertex to ~1 m.
        for p in &back {
            let d = ring.iter().map(|q| haversine_m(*p, *q)).fold(f64::INFINITY, f64::min);
            assert!(d < 1.0, "{d} m");
        }
        // Every input vertex lies within tolerance + rounding of the kept outline (checked at
        // the vertices, which is enough for a circle this fine).
        for q in &ring {
            let d = back.iter().map(|p| haversine_m(*p, *q)).fold(f64::INFINITY, f64::min);
            assert!(d < 300.0 * 2.0 * std::f64::consts::PI / n as f64, "{d} m");
        }
        // No tolerance: every vertex, the closing repeat dropped.
        let mut s = String::new();
        assert_eq!(CompactWriter::new([-15.5, 28.0], 0.0).ring(&mut s, &ring), 200);
    }
}
