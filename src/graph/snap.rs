//! Edge snapping: puts points (facilities, demand points, candidate sites) onto the nearest
//! walkable segment (found with the [`SegmentGrid`] index), not merely the nearest node.
//!
//! The snap point splits the segment (see `build`), and the straight-line access distance from
//! the point to the street is walked too, through a connector edge. Rules (README, "Snapping"):
//! - **limit**: a connector is never longer than the request's `max_access_m`; a point with no
//!   street within it is not attached (reported with its true distance to the nearest street).
//! - **components**: the street network's major components (see `build`) are preferred — a
//!   building next to a stray footway fragment joins the street network — but a point with no
//!   major street within its limit snaps to the nearest street of any component within it (a
//!   river island's residents and school join the island's streets, not the far bank).
//! - **entrances**: an area facility starts from its mapped entrances (`entrance=*` nodes on or
//!   inside its outline), every one within the limit; without mapped entrances, from every
//!   outline vertex (or the centroid) whose access distance is within [`ENTRANCE_TIE_M`] of the
//!   best one — never from one vertex picked arbitrarily among near-ties.

use super::segment_grid::SegmentGrid;
use crate::geom::haversine_m;
use rayon::prelude::*;

/// Outline vertices whose access distance is within this many metres of the best one are all
/// entrances of an area facility without mapped `entrance=*` nodes.
pub const ENTRANCE_TIE_M: f64 = 5.0;

/// A point to snap. Area facilities pass their outline and their mapped entrances.
#[derive(Clone, Copy, Debug)]
pub struct SnapRequest<'a> {
    pub point: [f64; 2],
    /// Boundary vertices of an area facility (empty for a point).
    pub outline: &'a [[f64; 2]],
    /// Mapped entrances (`entrance=*`) of an area facility: when any is given, the access walks
    /// start there instead of at the outline.
    pub entrances: &'a [[f64; 2]],
    /// Points further than this from every street are not attached (reported instead).
    pub max_access_m: f64,
}

impl<'a> SnapRequest<'a> {
    /// A plain point (no outline, no entrances).
    pub fn point(point: [f64; 2], max_access_m: f64) -> SnapRequest<'a> {
        SnapRequest { point, outline: &[], entrances: &[], max_access_m }
    }
}

/// Where a point (or one entrance of it) landed on the street network.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SegmentSnap {
    /// Index of the street segment.
    pub segment: u32,
    /// Position along the segment, 0 at its first node, 1 at its second.
    pub t: f64,
    /// The point the access walk starts from (the point, an entrance or an outline vertex).
    pub from: [f64; 2],
    /// Access distance, metres (haversine from `from` to the snap point).
    pub access_m: f64,
}

/// What became of one request.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Snapped {
    /// The access walks, best (shortest) first; empty when no street lies within the limit.
    pub sources: Vec<SegmentSnap>,
    /// True distance from the point (or its nearest entrance/vertex) to the nearest street of any
    /// component, metres; infinite when the network is empty.
    pub nearest_m: f64,
}

fn nearest_on(grid: &SegmentGrid, segs: &[([f64; 2], [f64; 2])], p: [f64; 2]) -> Option<SegmentSnap> {
    let hit = grid.nearest(segs, p)?;
    let (sa, sb) = segs[hit.segment as usize];
    let t = hit.t;
    let on = [sa[0] + (sb[0] - sa[0]) * t, sa[1] + (sb[1] - sa[1]) * t];
    Some(SegmentSnap { segment: hit.segment, t, from: p, access_m: haversine_m(p, on) })
}

/// The access walks of one request on one grid (see the module doc), best first.
fn sources_on(
    grid: &SegmentGrid,
    segs: &[([f64; 2], [f64; 2])],
    cands: &[[f64; 2]],
    entrances: bool,
    limit: f64,
) -> Vec<SegmentSnap> {
    let mut all: Vec<SegmentSnap> = cands.iter().filter_map(|c| nearest_on(grid, segs, *c)).collect();
    all.retain(|s| s.access_m <= limit);
    // Stable sort: ties keep the candidate order (point, then outline order).
    all.sort_by(|a, b| a.access_m.total_cmp(&b.access_m));
    if !entrances && let Some(best) = all.first().map(|s| s.access_m) {
        all.retain(|s| s.access_m <= best + ENTRANCE_TIE_M);
    }
    // An outline repeats its first vertex at the end: one walk per distinct start.
    let mut seen: Vec<[f64; 2]> = Vec::with_capacity(all.len());
    all.retain(|s| {
        let new = !seen.contains(&s.from);
        seen.push(s.from);
        new
    });
    all
}

/// Snaps every request (in parallel; each result depends only on its request, so the output is
/// the same for any thread count). `major` indexes the segments of the major components, `any`
/// every segment (`None` when they are the same).
pub fn snap_points(
    major: &SegmentGrid,
    any: Option<&SegmentGrid>,
    segs: &[([f64; 2], [f64; 2])],
    reqs: &[SnapRequest<'_>],
) -> Vec<Snapped> {
    reqs.par_iter()
        .with_min_len(256)
        .map(|r| {
            let entrances = !r.entrances.is_empty();
            let cands: Vec<[f64; 2]> = if entrances {
                r.entrances.to_vec()
            } else {
                std::iter::once(r.point).chain(r.outline.iter().copied()).collect()
            };
            let sources = sources_on(major, segs, &cands, entrances, r.max_access_m);
            if !sources.is_empty() {
                let nearest_m = sources[0].access_m;
                return Snapped { sources, nearest_m };
            }
            let grid = any.unwrap_or(major);
            let sources = sources_on(grid, segs, &cands, entrances, r.max_access_m);
            let nearest_m = cands
                .iter()
                .filter_map(|c| nearest_on(grid, segs, *c))
                .map(|s| s.access_m)
                .min_by(f64::total_cmp)
                .unwrap_or(f64::INFINITY);
            Snapped { sources, nearest_m }
        })
        .collect()
}
