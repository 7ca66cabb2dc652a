//! The OSM objects the profile's area targets measure (`[[area_target]]`): ground polygons for a
//! ground-area target, buildings for a floor-area target.
//!
//! A ground target (sports ground) takes every closed way and multipolygon relation its tags or
//! categories select, as a polygon; overlaps are resolved later, when measured. A floor target
//! (public cultural floor) takes a building when
//! 1. the building itself is selected (e.g. `building=yes` + `amenity=library`), or
//! 2. it contains a selected node (a library mapped as a point inside its building), or
//! 3. its centroid lies in selected grounds that are not a building (a culture centre's site).
//!
//! Each building counts once per target, however many of these hold; the reason kept is the
//! first in that order.
//!
//! Glossary: **grounds** — a selected closed way or multipolygon that is not a building;
//! **via** — why a building was taken.

use rstar::{AABB, RTree, primitives::GeomWithData};

use super::OsmType;
use crate::geom::polygon::{polygon_centroid, polygon_contains};
use crate::geom::{MultiPolygon as Polygons, Polygon, PolygonIndex, bbox};
use crate::profile::AreaTarget;

/// Why an object is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AreaVia {
    /// A ground polygon selected by its own tags.
    Ground,
    /// A building selected by its own tags.
    Building,
    /// A building containing a selected node.
    ContainsNode(i64),
    /// A building standing in selected grounds.
    InGrounds(OsmType, i64),
}

/// One measured object of one area target.
#[derive(Clone, Debug)]
pub struct AreaFeature {
    /// Index into the profile's area targets.
    pub target: u16,
    pub osm_type: OsmType,
    pub osm_id: i64,
    /// Outer ring then holes, `[lon, lat]`, closed.
    pub polygons: Polygons,
    /// `building:levels` when tagged (floor targets).
    pub levels: Option<f64>,
    pub via: AreaVia,
}

/// Indices of the targets that select an object with these tags and facility categories;
/// `floor_only`: only floor targets (for nodes, which have no area of their own).
pub fn selecting<'a>(
    targets: &[AreaTarget],
    get: impl Fn(&str) -> Option<&'a str> + Copy,
    categories: &[u16],
    floor_only: bool,
) -> Vec<u16> {
    targets
        .iter()
        .enumerate()
        .filter(|(_, t)| (!floor_only || t.kind.is_floor()) && t.selects(get, categories))
        .map(|(i, _)| i as u16)
        .collect()
}

type PointEntry = GeomWithData<[f64; 2], (u16, i64)>;

/// Collects the features while the loader assembles closed ways and relations.
pub(crate) struct AreaCollector<'p> {
    targets: &'p [AreaTarget],
    /// Selected nodes of floor targets: (target, node id).
    points: RTree<PointEntry>,
    /// Grounds of floor targets: (target, type, id, polygons).
    grounds: Vec<(u16, OsmType, i64, Polygons)>,
    ground_index: PolygonIndex,
    features: Vec<AreaFeature>,
}

impl<'p> AreaCollector<'p> {
    pub fn new(targets: &'p [AreaTarget], nodes: Vec<(i64, [f64; 2], Vec<u16>)>) -> AreaCollector<'p> {
        let entries: Vec<PointEntry> = nodes
            .into_iter()
            .flat_map(|(id, p, ts)| ts.into_iter().map(move |t| GeomWithData::new(p, (t, id))))
            .collect();
        AreaCollector {
            targets,
            points: RTree::bulk_load(entries),
            grounds: Vec::new(),
            ground_index: PolygonIndex::default(),
            features: Vec::new(),
        }
    }

    /// Records selected grounds that are not buildings (before any [`add_object`](Self::add_object)).
    pub fn add_grounds(&mut self, t: OsmType, id: i64, targets: &[u16], polygons: &[Polygon]) {
        if polygons.is_empty() {
            return;
        }
        for &k in targets {
            if self.targets[k as usize].kind.is_floor() {
                self.grounds.push((k, t, id, polygons.to_vec()));
            }
        }
    }

    /// Indexes the grounds recorded so far.
    pub fn index_grounds(&mut self) {
        self.ground_index = PolygonIndex::new(self.grounds.iter().map(|g| bbox::of_polygons(&g.3)).enumerate());
    }

    /// A closed way or multipolygon relation: `targets` are those its own tags select, `building`
    /// its `building:levels` when it is a building (`Some(None)`: a building without levels).
    pub fn add_object(
        &mut self,
        t: OsmType,
        id: i64,
        targets: &[u16],
        building: Option<Option<f64>>,
        polygons: &[Polygon],
    ) {
        if self.targets.is_empty() || polygons.is_empty() {
            return;
        }
        for &k in targets {
            if !self.targets[k as usize].kind.is_floor() {
                self.push(k, t, id, polygons, None, AreaVia::Ground);
            }
        }
        let Some(levels) = building else { return };
        let mut via: Vec<(u16, AreaVia)> = targets
            .iter()
            .filter(|&&k| self.targets[k as usize].kind.is_floor())
            .map(|&k| (k, AreaVia::Building))
            .collect();
        if self.points.size() > 0 {
            for poly in polygons {
                let b = bbox::of_polygon(poly);
                let mut hits: Vec<&PointEntry> =
                    self.points.locate_in_envelope(&AABB::from_corners([b[0], b[1]], [b[2], b[3]])).collect();
                hits.sort_by_key(|e| e.data);
                for e in hits {
                    let (k, node) = e.data;
                    if !via.iter().any(|v| v.0 == k) && polygon_contains(poly, *e.geom()) {
                        via.push((k, AreaVia::ContainsNode(node)));
                    }
                }
            }
        }
        if !self.ground_index.is_empty()
            && let Some(c) = polygons.first().and_then(|p| polygon_centroid(p))
        {
            for g in self.ground_index.candidates_at(c) {
                let (k, gt, gid, gp) = &self.grounds[g];
                if !via.iter().any(|v| v.0 == *k) && gp.iter().any(|p| polygon_contains(p, c)) {
                    via.push((*k, AreaVia::InGrounds(*gt, *gid)));
                }
            }
        }
        for (k, v) in via {
            self.push(k, t, id, polygons, levels, v);
        }
    }

    fn push(&mut self, target: u16, t: OsmType, id: i64, polygons: &[Polygon], levels: Option<f64>, via: AreaVia) {
        self.features.push(AreaFeature { target, osm_type: t, osm_id: id, polygons: polygons.to_vec(), levels, via });
    }

    /// The features, in (target, type, id) order.
    pub fn finish(mut self) -> Vec<AreaFeature> {
        self.features.sort_by_key(|f| (f.target, f.osm_type, f.osm_id));
        self.features
    }
}
