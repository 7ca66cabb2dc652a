//! Edge snapping: puts points (facilities, demand points, candidate sites) onto the nearest
//! walkable segment (found with the [`SegmentGrid`] index), not merely the nearest node.
//!
//! The snap point splits the segment (see `build`), and the straight-line access distance from
//! the point to the street is walked too, through a connector edge.

use super::segment_grid::SegmentGrid;
use crate::geom::haversine_m;
use rayon::prelude::*;

/// A point to snap. Area facilities pass their outline: the vertex closest to the network is used
/// (an entrance is on the boundary, not at the centroid of a campus).
#[derive(Clone, Copy, Debug)]
pub struct SnapRequest<'a> {
    pub point: [f64; 2],
    pub outline: &'a [[f64; 2]],
    /// Points further than this from every street are not attached (reported instead).
    pub max_access_m: f64,
}

/// Where a point landed on the street network.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SegmentSnap {
    /// Index of the street segment.
    pub segment: u32,
    /// Position along the segment, 0 at its first node, 1 at its second.
    pub t: f64,
    /// The point the access walk starts from (the point or the chosen outline vertex).
    pub from: [f64; 2],
    /// Access distance, metres (haversine from `from` to the snap point).
    pub access_m: f64,
}

fn nearest_on(grid: &SegmentGrid, segs: &[([f64; 2], [f64; 2])], p: [f64; 2]) -> Option<SegmentSnap> {
    let hit = grid.nearest(segs, p)?;
    let (sa, sb) = segs[hit.segment as usize];
    let t = hit.t;
    let on = [sa[0] + (sb[0] - sa[0]) * t, sa[1] + (sb[1] - sa[1]) * t];
    Some(SegmentSnap { segment: hit.segment, t, from: p, access_m: haversine_m(p, on) })
}

/// Snaps every request (in parallel; each result depends only on its request, so the output is
/// the same for any thread count). `None` when the network is empty.
pub fn snap_points(
    grid: &SegmentGrid,
    segs: &[([f64; 2], [f64; 2])],
    reqs: &[SnapRequest<'_>],
) -> Vec<Option<SegmentSnap>> {
    reqs.par_iter()
        .with_min_len(256)
        .map(|r| {
            let mut best = nearest_on(grid, segs, r.point);
            for v in r.outline {
                if let Some(s) = nearest_on(grid, segs, *v)
                    && best.is_none_or(|b| s.access_m < b.access_m)
                {
                    best = Some(s);
                }
            }
            best
        })
        .collect()
}
