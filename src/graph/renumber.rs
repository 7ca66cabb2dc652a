//! Node renumbering for memory locality: street nodes are ordered along a Hilbert curve over
//! their coordinates, so nodes near in space are near in memory and a search touches few cache
//! lines. Measured effect in `benches/README.md`.

/// Hilbert index of `(x, y)` on a `2^order × 2^order` grid.
pub fn hilbert_index(order: u32, mut x: u32, mut y: u32) -> u64 {
    let n: u32 = 1 << order;
    let mut d: u64 = 0;
    let mut s = n / 2;
    while s > 0 {
        let rx = u32::from((x & s) > 0);
        let ry = u32::from((y & s) > 0);
        d += (s as u64) * (s as u64) * u64::from((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

/// The Hilbert index [`hilbert_order`] sorts a point `p` by, within the box `b` of all the points.
pub fn hilbert_key(b: crate::geom::bbox::Bbox, p: [f64; 2]) -> u64 {
    let order = 16;
    let max = ((1u32 << order) - 1) as f64;
    let w = (b[2] - b[0]).max(1e-12);
    let h = (b[3] - b[1]).max(1e-12);
    let x = ((p[0] - b[0]) / w * max) as u32;
    let y = ((p[1] - b[1]) / h * max) as u32;
    hilbert_index(order, x, y)
}

/// A permutation `order[new] = old` of the points by Hilbert index (ties by old index).
pub fn hilbert_order(lon_lat: &[[f64; 2]]) -> Vec<u32> {
    if lon_lat.is_empty() {
        return Vec::new();
    }
    let b = crate::geom::bbox::of_points(lon_lat);
    use rayon::prelude::*;
    let mut keyed: Vec<(u64, u32)> =
        lon_lat.par_iter().with_min_len(4096).enumerate().map(|(i, p)| (hilbert_key(b, *p), i as u32)).collect();
    // Keys are distinct (ties broken by index), so the unstable parallel sort is deterministic.
    keyed.par_sort_unstable();
    keyed.into_par_iter().with_min_len(4096).map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hilbert_is_a_bijection_on_small_grid() {
        let mut seen = std::collections::BTreeSet::new();
        for x in 0..8 {
            for y in 0..8 {
                assert!(seen.insert(hilbert_index(3, x, y)));
            }
        }
        assert_eq!(seen.into_iter().max(), Some(63));
        // Consecutive indices are grid neighbours.
        let mut pos = vec![(0, 0); 64];
        for x in 0..8u32 {
            for y in 0..8u32 {
                pos[hilbert_index(3, x, y) as usize] = (x as i32, y as i32);
            }
        }
        for w in pos.windows(2) {
            assert_eq!((w[0].0 - w[1].0).abs() + (w[0].1 - w[1].1).abs(), 1);
        }
    }
}
