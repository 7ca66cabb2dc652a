//! An R-tree of polygon bounding boxes: which polygons may contain a point (or meet a box),
//! before the exact test.
//!
//! Every query answers in increasing polygon index, whatever the tree's shape, so "the first
//! polygon containing a point" (the tie-break of overlapping communities or units) is the one with
//! the lowest index.

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::bbox::{self, Bbox};

/// Polygons found by their bounding boxes; built once, queried many times (also from threads).
pub struct PolygonIndex {
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl Default for PolygonIndex {
    /// An index of nothing.
    fn default() -> PolygonIndex {
        PolygonIndex { tree: RTree::new() }
    }
}

impl PolygonIndex {
    /// Indexes `(index, bbox)` pairs; empty boxes (a polygon without a position) are left out,
    /// since they hold no point.
    pub fn new(boxes: impl IntoIterator<Item = (usize, Bbox)>) -> PolygonIndex {
        let items = boxes
            .into_iter()
            .filter(|(_, b)| !bbox::is_empty(*b))
            .map(|(i, b)| GeomWithData::new(Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]), i))
            .collect();
        PolygonIndex { tree: RTree::bulk_load(items) }
    }

    /// Indexes `boxes[i]` as polygon `i`.
    pub fn of_boxes(boxes: &[Bbox]) -> PolygonIndex {
        PolygonIndex::new(boxes.iter().copied().enumerate())
    }

    /// Polygons indexed.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Polygons whose box holds `p` (edges included), in increasing index.
    pub fn candidates_at(&self, p: [f64; 2]) -> Vec<usize> {
        let mut v: Vec<usize> =
            self.tree.locate_in_envelope_intersecting(&AABB::from_point(p)).map(|g| g.data).collect();
        v.sort_unstable();
        v
    }

    /// Polygons whose box meets `b` (edges included), in increasing index.
    pub fn candidates_meeting(&self, b: Bbox) -> Vec<usize> {
        if bbox::is_empty(b) {
            return Vec::new();
        }
        let env = AABB::from_corners([b[0], b[1]], [b[2], b[3]]);
        let mut v: Vec<usize> = self.tree.locate_in_envelope_intersecting(&env).map(|g| g.data).collect();
        v.sort_unstable();
        v
    }

    /// The lowest-index polygon for which `contains(index)` holds among those whose box holds `p`.
    pub fn first_containing(&self, p: [f64; 2], contains: impl Fn(usize) -> bool) -> Option<usize> {
        self.tree.locate_in_envelope_intersecting(&AABB::from_point(p)).map(|g| g.data).filter(|&i| contains(i)).min()
    }

    /// Every polygon for which `contains(index)` holds among those whose box holds `p`, in
    /// increasing index.
    pub fn all_containing(&self, p: [f64; 2], contains: impl Fn(usize) -> bool) -> Vec<usize> {
        let mut v = self.candidates_at(p);
        v.retain(|&i| contains(i));
        v
    }

    /// Whether `contains(index)` holds for any polygon whose box holds `p`.
    pub fn any_containing(&self, p: [f64; 2], contains: impl Fn(usize) -> bool) -> bool {
        self.tree.locate_in_envelope_intersecting(&AABB::from_point(p)).any(|g| contains(g.data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::polygon::polygon_contains;

    fn square(x0: f64, y0: f64, s: f64) -> Vec<Vec<[f64; 2]>> {
        vec![vec![[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]]]
    }

    /// A triangle whose box holds (0.9, 0.9) but whose area does not.
    fn triangle() -> Vec<Vec<[f64; 2]>> {
        vec![vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]]
    }

    #[test]
    fn hit_miss_and_box_only_candidates() {
        let polys = &[triangle(), square(5.0, 5.0, 1.0)];
        let idx = PolygonIndex::of_boxes(&polys.iter().map(|p| bbox::of_polygon(p)).collect::<Vec<_>>());
        assert_eq!(idx.len(), 2);
        let inside = |p: [f64; 2]| move |i: usize| polygon_contains(&polys[i], p);
        assert_eq!(idx.first_containing([0.2, 0.2], inside([0.2, 0.2])), Some(0));
        assert_eq!(idx.first_containing([5.5, 5.5], inside([5.5, 5.5])), Some(1));
        // In the triangle's box, not in the triangle: a candidate, not a hit.
        assert_eq!(idx.candidates_at([0.9, 0.9]), vec![0]);
        assert_eq!(idx.first_containing([0.9, 0.9], inside([0.9, 0.9])), None);
        assert!(!idx.any_containing([0.9, 0.9], inside([0.9, 0.9])));
        // Far from everything.
        assert!(idx.candidates_at([3.0, 3.0]).is_empty());
        assert_eq!(idx.candidates_meeting([0.5, 0.5, 5.0, 5.0]), vec![0, 1]);
        assert!(idx.candidates_meeting(bbox::EMPTY).is_empty());
    }

    #[test]
    fn overlapping_polygons_answer_in_index_order_and_the_lowest_wins() {
        // 300 nested squares (enough for a multi-level tree), added in a scrambled order.
        let n = 300;
        let boxes: Vec<(usize, Bbox)> = (0..n)
            .map(|k| (k * 7919) % n)
            .map(|i| {
                let s = 1.0 + i as f64;
                (i, [-s, -s, s, s])
            })
            .collect();
        let idx = PolygonIndex::new(boxes);
        let all = idx.candidates_at([0.0, 0.0]);
        assert_eq!(all, (0..n).collect::<Vec<_>>());
        assert_eq!(idx.first_containing([0.0, 0.0], |i| i % 5 == 3), Some(3));
        assert_eq!(idx.all_containing([0.0, 0.0], |i| i % 100 == 7), vec![7, 107, 207]);
        // Only squares of half-side ≥ 150 reach x = 150.
        assert_eq!(idx.candidates_at([150.0, 0.0]).first(), Some(&149));
    }

    #[test]
    fn empty_boxes_are_not_indexed() {
        let idx = PolygonIndex::of_boxes(&[bbox::EMPTY, [0.0, 0.0, 1.0, 1.0], bbox::of_polygons(&[vec![]])]);
        assert_eq!(idx.len(), 1);
        assert_eq!(idx.candidates_at([0.5, 0.5]), vec![1]);
        assert!(PolygonIndex::of_boxes(&[]).is_empty());
        assert_eq!(PolygonIndex::of_boxes(&[]).first_containing([0.0, 0.0], |_| true), None);
    }
}
