//! Edge snapping: puts points (facilities, demand points, candidate sites) onto the nearest
//! walkable segment with an R-tree, not merely the nearest node.
//!
//! The snap point splits the segment (see `build`), and the straight-line access distance from
//! the point to the street is walked too, through a connector edge.

use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Line};
use rstar::{PointDistance, RTree};

use crate::geom::{LocalProj, haversine_m};

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

pub type SegTree = RTree<GeomWithData<Line<[f64; 2]>, u32>>;

/// R-tree over street segments in local metres.
/// R-tree over the street segments for which `keep(index)` holds, in local metres.
pub fn segment_tree(proj: &LocalProj, segs: &[([f64; 2], [f64; 2])], keep: impl Fn(usize) -> bool) -> SegTree {
    let items = segs
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(i, (a, b))| GeomWithData::new(Line::new(proj.to_xy(*a), proj.to_xy(*b)), i as u32))
        .collect();
    RTree::bulk_load(items)
}

fn nearest_on(tree: &SegTree, proj: &LocalProj, segs: &[([f64; 2], [f64; 2])], p: [f64; 2]) -> Option<SegmentSnap> {
    let xy = proj.to_xy(p);
    let hit = tree.nearest_neighbor(&xy)?;
    let line = hit.geom();
    let (a, b) = (line.from, line.to);
    let d = [b[0] - a[0], b[1] - a[1]];
    let len2 = d[0] * d[0] + d[1] * d[1];
    let t = if len2 > 0.0 { (((xy[0] - a[0]) * d[0] + (xy[1] - a[1]) * d[1]) / len2).clamp(0.0, 1.0) } else { 0.0 };
    let _ = hit.geom().distance_2(&xy);
    let (sa, sb) = segs[hit.data as usize];
    let on = [sa[0] + (sb[0] - sa[0]) * t, sa[1] + (sb[1] - sa[1]) * t];
    Some(SegmentSnap { segment: hit.data, t, from: p, access_m: haversine_m(p, on) })
}

/// Snaps every request (in parallel; each result depends only on its request, so the output is
/// the same for any thread count). `None` when the network is empty.
pub fn snap_points(
    tree: &SegTree,
    proj: &LocalProj,
    segs: &[([f64; 2], [f64; 2])],
    reqs: &[SnapRequest<'_>],
) -> Vec<Option<SegmentSnap>> {
    reqs.par_iter()
        .with_min_len(256)
        .map(|r| {
            let mut best = nearest_on(tree, proj, segs, r.point);
            for v in r.outline {
                if let Some(s) = nearest_on(tree, proj, segs, *v)
                    && best.is_none_or(|b| s.access_m < b.access_m)
                {
                    best = Some(s);
                }
            }
            best
        })
        .collect()
}
