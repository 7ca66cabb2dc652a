//! Walk-shed (isochrone) polygons: the area within walking reach of a facility, and of all
//! facilities of a category (`report::isochrones` writes them as `isochrones.geojson`).
//!
//! Owns turning search times into polygons: which parts of which edges are walkable within a
//! budget ([`pieces`]), the buffer raster that unions and traces them ([`raster`]), the merged
//! walk-shed of each category ([`category`]) and the per-facility ones ([`facility`]). It
//! computes polygons only; it writes nothing.
//!
//! Glossary:
//! - **walk-shed**: every point of the street network walkable from the source within the budget,
//!   widened by [`BUFFER_M`] on each side. It follows the streets: a block whose interior is
//!   farther than the buffer from every reached street stays a hole, and the far bank of a river
//!   stays outside unless the walk over a bridge reaches it.
//! - **category walk-shed**: the union of the walk-sheds of every facility of a category (the
//!   default output); **facility walk-shed**: one facility's (on request, [`IsochroneKind`]).
//! - **budget** (`budget_ds`): the category's threshold (`Category::threshold_ds`).
//! - **piece**: a reached stretch of one edge, in local metres; a whole edge when every point on
//!   it is within the budget (`t_u + t_v + w <= 2·budget`), else the stretch of fraction
//!   `(budget − t_end) / w` from each reached end.
//! - **street edge**: an edge between two street nodes. The connector of a snapped point
//!   (facility, demand point, candidate) is drawn when the point itself is reached within the
//!   budget (the access walk to it), and left out otherwise (see `shed_edge`).
//! - **sample / cell** (`c`): the raster lattice, every `c` metres in the analysis' local
//!   projection ([`LocalProj`] around the centre of the graph): [`CELL_M`] (5 m), doubled for a
//!   raster that would pass [`raster::MAX_SAMPLES`] samples, up to [`MAX_CELL_M`] (20 m: the
//!   category walk-sheds of a 2 M-node city, drawn for a street-scale map of the whole city).
//! - **tolerance** (`τ`): the Douglas–Peucker tolerance, [`SIMPLIFY_PER_CELL`] of the cell used
//!   (`τ = c/4`: 1.25 m on 5 m cells, 5 m on 20 m cells).
//!
//! Method: the pieces are dilated by [`BUFFER_M`] on a raster of `c`-metre cells (each sample row
//! is intersected with the exact capsule of each piece: a strip per piece, a disk per distinct
//! piece end, i.e. per reached node and per cut end), the in-region is traced with marching
//! squares (4-connected in-regions, contours through the midpoints of lattice edges, in on the
//! left: outer rings counter-clockwise, holes clockwise) and every ring is simplified with
//! Douglas–Peucker at `τ`. No hull is ever taken, so nothing unreachable is covered and there are
//! no spikes: the shape is a union of 25 m capsules up to the cell size.
//!
//! Valid by construction (what QGIS needs), for any cell: marching-squares contours never touch,
//! and two non-adjacent contour segments are at least `c/√2` apart (the two cuts of a saddle cell,
//! or opposite sides of a one-sample diamond). A Douglas–Peucker chord stays within `τ` of the
//! chain it replaces and the chain within `τ` of the chord (Hausdorff, with distance to the
//! segment: the chain joins the chord's ends inside the `τ`-band, so it covers the chord's length),
//! so two chords of disjoint chains cannot meet while `2τ < c/√2`, i.e. `τ < c/(2√2)` ≈ 0.354·c;
//! `τ = c/4` keeps a margin. The tests check it on every ring (`check_valid`).
//!
//! Containment (every node `access.csv` puts within the threshold lies inside its category's
//! shed): every reached node is a piece end, so every sample within 25 m of it is in; a contour
//! passes through midpoints of lattice edges between an in and an out sample, at least
//! `25 − c·√2/2` from the node, and simplification moves it by at most `τ` more. The node is thus
//! at least `BUFFER_M − c·√2/2 − c/4` inside: 20.2 m on 5 m cells, 15.4 m on 10 m, 5.9 m on 20 m.
//! The bound stays positive for `c < 26.1 m`, which is why the cell stops at [`MAX_CELL_M`] and a
//! larger area grows the raster instead (before, a 4×4 Las Palmas raster went to 40 m cells,
//! where the bound is negative).
//!
//! The merged walk-shed of a category is built the same way from the multi-source nearest times
//! of the analysis (`Analysis::times_ds`): a point is within the budget of some facility exactly
//! when it is within the budget of the nearest one, so this is the union of the facility
//! walk-sheds without a second search.
//!
//! Why a raster and not `geo`'s BooleanOps: a walk-shed is the union of one buffered segment per
//! reached edge; the raster's cost is linear in the shed's area and its output valid by
//! construction, while `geo::unary_union` of the same pieces was two orders of magnitude slower
//! and unsimplified (figures in benches/README.md, test `compare_with_geo_unary_union`).

pub mod category;
pub mod facility;
pub mod pieces;
pub mod raster;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::geom::{LocalProj, bbox};
use crate::graph::{NodeId, WalkGraph};
use crate::profile::Category;
use crate::route::{self, Scratch, UNREACHED};
pub use category::{CategoryShed, category_sheds};
pub use facility::{FacilityJob, FacilitySheds};
pub use pieces::{Piece, reached_pieces};
pub use raster::{PolygonXy, Raster};

/// Which walk-sheds a run writes to `isochrones.geojson` (`--isochrones`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IsochroneKind {
    /// No `isochrones.geojson` (`--isochrones none`, `--no-isochrones`).
    None,
    /// One merged walk-shed per category with a facility (the default): a few megabytes for a
    /// city, whatever its number of facilities.
    #[default]
    Category,
    /// One walk-shed per facility and category it serves, then the per-category ones: what a
    /// planner opens for a district (Las Palmas: 32 MB; a 2 M-node city: ~380 MB).
    Facility,
}

impl IsochroneKind {
    /// The name used on the command line, in `isochrones.geojson` (`sheds`) and in the report.
    pub fn id(self) -> &'static str {
        match self {
            IsochroneKind::None => "none",
            IsochroneKind::Category => "category",
            IsochroneKind::Facility => "facility",
        }
    }

    /// Whether `isochrones.geojson` is written at all.
    pub fn any(self) -> bool {
        self != IsochroneKind::None
    }
}

/// Half-width of the band around reached streets, metres. Profile-independent: about a street's
/// width plus the front gardens and entrances on both sides, so the shed shows the street fronts
/// one can walk to, and block interiors more than 25 m from any reached street stay holes.
pub const BUFFER_M: f64 = 25.0;

/// Raster cell, metres: fine enough that the polygon is within 3.5 m of the exact buffer. A raster
/// that would pass [`raster::MAX_SAMPLES`] samples (a city-wide category walk-shed) doubles its
/// cell, up to [`MAX_CELL_M`].
pub const CELL_M: f64 = 5.0;

/// Largest cell, metres: a reached node stays inside its shed while
/// `BUFFER_M − cell·√2/2 − cell·SIMPLIFY_PER_CELL > 0`, i.e. cell < 26.1 m; beyond 20 m the
/// raster grows instead.
pub const MAX_CELL_M: f64 = 20.0;

/// Douglas–Peucker tolerance as a share of the cell used: 1.25 m on 5 m cells, 5 m on the 20 m
/// cells of a city-wide shed. Must stay below `1 / (2√2)` ≈ 0.354 for validity.
pub const SIMPLIFY_PER_CELL: f64 = 0.25;

/// Douglas–Peucker tolerance on [`CELL_M`] cells, metres.
pub const SIMPLIFY_M: f64 = CELL_M * SIMPLIFY_PER_CELL;

/// A polygon in WGS84: outer ring then holes, each ring closed (first position repeated).
pub type PolygonLonLat = Vec<Vec<[f64; 2]>>;

/// Per-thread reusable state: search scratch, node times, pieces, raster.
#[derive(Debug)]
pub struct Work {
    scratch: Scratch,
    time: Vec<u32>,
    settled: Vec<u32>,
    pieces: Vec<Piece>,
    ends: Vec<[f64; 2]>,
    raster: Raster,
}

impl Work {
    pub fn new(node_count: usize) -> Work {
        Work {
            scratch: Scratch::new(node_count),
            time: vec![UNREACHED; node_count],
            settled: Vec::new(),
            pieces: Vec::new(),
            ends: Vec::new(),
            raster: Raster::default(),
        }
    }
}

/// Builds walk-sheds on one graph (holds its local projection and projected node positions).
#[derive(Debug)]
pub struct ShedMaker<'g> {
    graph: &'g WalkGraph,
    proj: LocalProj,
    xy: Arc<Vec<[f64; 2]>>,
}

impl<'g> ShedMaker<'g> {
    pub fn new(graph: &'g WalkGraph) -> ShedMaker<'g> {
        let b = bbox::of_points(graph.lon_lat.iter());
        let proj = if !bbox::is_empty(b) {
            let [lon, lat] = bbox::center(b);
            LocalProj::new(lon, lat)
        } else {
            LocalProj::new(0.0, 0.0)
        };
        let xy = Arc::new(graph.lon_lat.iter().map(|&p| proj.to_xy(p)).collect());
        ShedMaker { graph, proj, xy }
    }

    /// The same projection and node positions on another graph over the same nodes (the distance
    /// graph of [`WalkGraph::distance_graph`]).
    pub fn on<'h>(&self, graph: &'h WalkGraph) -> ShedMaker<'h> {
        debug_assert_eq!(graph.node_count(), self.xy.len());
        ShedMaker { graph, proj: self.proj, xy: Arc::clone(&self.xy) }
    }

    pub fn proj(&self) -> &LocalProj {
        &self.proj
    }

    pub fn work(&self) -> Work {
        Work::new(self.graph.node_count())
    }

    /// Walk-shed of the walk from `node` (time 0) within `budget_ds`, in local metres.
    pub fn from_node(&self, work: &mut Work, node: u32, budget_ds: u32) -> Vec<PolygonXy> {
        if node as usize >= self.graph.node_count() {
            return Vec::new();
        }
        self.node_pieces(work, node, budget_ds);
        rasterise(&mut work.raster, &work.pieces, &work.ends)
    }

    /// The pieces of the walk from `node` within `budget_ds` (left in `work.pieces`; the
    /// facility point itself first, as a point piece) and their distinct ends (`work.ends`).
    fn node_pieces(&self, work: &mut Work, node: u32, budget_ds: u32) {
        let g = self.graph;
        let Work { scratch, time, settled, pieces, ends, .. } = work;
        if time.len() < g.node_count() {
            time.resize(g.node_count(), UNREACHED);
        }
        settled.clear();
        route::bounded(g, scratch, &[(NodeId(node), 0)], budget_ds, |v, t| {
            time[v as usize] = t;
            settled.push(v);
        });
        let fp = g.first_point_node;
        pieces.clear();
        pieces.push([self.xy[node as usize]; 2]);
        let tm: &[u32] = time;
        ends.clear();
        ends.extend(settled.iter().map(|&v| self.xy[v as usize]));
        reached_pieces(
            g,
            self.xy.as_slice(),
            settled,
            |v| tm[v as usize],
            budget_ds,
            |u, v| shed_edge(fp, u, v, |x| tm[x as usize] <= budget_ds),
            |p, cut| {
                pieces.push(p);
                if cut {
                    ends.push(p[1]);
                }
            },
        );
        for &v in settled.iter() {
            time[v as usize] = UNREACHED;
        }
    }

    /// Walk-shed from precomputed node times (`times[v]`, [`UNREACHED`] beyond the search cap),
    /// e.g. a multi-source nearest search: the union of the walk-sheds of its `sources`, whose
    /// connectors are kept.
    pub fn from_times(&self, work: &mut Work, times: &[u32], budget_ds: u32, sources: &[u32]) -> Vec<PolygonXy> {
        let g = self.graph;
        let fp = g.first_point_node;
        let Work { settled, pieces, ends, raster, .. } = work;
        pieces.clear();
        for &s in sources {
            if (s as usize) < g.node_count() && times[s as usize] <= budget_ds {
                pieces.push([self.xy[s as usize]; 2]);
            }
        }
        settled.clear();
        settled.extend((0..g.node_count() as u32).filter(|&v| times[v as usize] <= budget_ds));
        let reached = |v: u32| times[v as usize] <= budget_ds;
        // Every reached node (sources included) is a piece end; the cut ends follow.
        ends.clear();
        ends.extend(settled.iter().map(|&v| self.xy[v as usize]));
        reached_pieces(
            g,
            self.xy.as_slice(),
            settled,
            |v| times[v as usize],
            budget_ds,
            |u, v| shed_edge(fp, u, v, reached),
            |p, cut| {
                pieces.push(p);
                if cut {
                    ends.push(p[1]);
                }
            },
        );
        rasterise(raster, pieces, ends)
    }

    /// Converts polygons to WGS84 with closed rings.
    pub fn to_lon_lat(&self, polys: &[PolygonXy]) -> Vec<PolygonLonLat> {
        polys
            .iter()
            .map(|poly| {
                poly.iter()
                    .map(|ring| {
                        let mut r: Vec<[f64; 2]> = ring.iter().map(|&p| self.proj.to_lon_lat(p)).collect();
                        if let Some(&f) = r.first() {
                            r.push(f);
                        }
                        r
                    })
                    .collect()
            })
            .collect()
    }
}

/// The shed makers of one analysis: on the walking-time graph, and on its distance graph (steps
/// not slowed down) for the categories whose threshold is in metres, as they were searched.
#[derive(Debug)]
pub struct Makers<'g> {
    time: ShedMaker<'g>,
    dist: Option<ShedMaker<'g>>,
}

impl<'g> Makers<'g> {
    /// `dist`: the distance graph of `graph`, needed when [`needs_distance_graph`].
    pub fn new(graph: &'g WalkGraph, dist: Option<&'g WalkGraph>) -> Makers<'g> {
        let time = ShedMaker::new(graph);
        let dist = dist.map(|d| time.on(d));
        Makers { time, dist }
    }

    /// The maker on the graph the category was searched on.
    pub fn for_category(&self, cat: &Category) -> &ShedMaker<'g> {
        match (&self.dist, cat.threshold_m) {
            (Some(m), Some(_)) => m,
            _ => &self.time,
        }
    }

    /// The maker on the walking-time graph (projection and positions are shared).
    pub fn time(&self) -> &ShedMaker<'g> {
        &self.time
    }
}

/// Whether some category's threshold is in metres, so its walk-sheds need the distance graph.
pub fn needs_distance_graph(categories: &[Category]) -> bool {
    categories.iter().any(|c| c.threshold_m.is_some())
}

/// Which edges a walk-shed draws: every street edge (both ends below `first_point`), and the
/// connector of every point node (facility, demand point, candidate site) that is itself reached
/// within the budget. A reached point is a place the walk gets to (`access.csv` gives it a time),
/// so the shed must contain it: a demand point's connector runs from the street to the building
/// centroid where its residents are counted, up to hundreds of metres away (leaving it out put
/// 253 reached Las Palmas points more than 30 m outside their category's shed, up to 243 m).
/// A connector whose point is not reached is left out: it is a dead end that leads only to that
/// point, so the walk along it reaches nothing, and drawing it would add bristles toward
/// unreached buildings.
#[inline]
fn shed_edge(first_point: u32, u: u32, v: u32, reached: impl Fn(u32) -> bool) -> bool {
    (u < first_point || reached(u)) && (v < first_point || reached(v))
}

/// Dilates `pieces` (whose distinct ends are `ends`) into polygons: on [`CELL_M`] cells, coarsened
/// by the raster up to [`MAX_CELL_M`] for a city-wide shed, simplified at [`SIMPLIFY_PER_CELL`]
/// of the cell used.
fn rasterise(raster: &mut Raster, pieces: &[Piece], ends: &[[f64; 2]]) -> Vec<PolygonXy> {
    if pieces.is_empty() {
        return Vec::new();
    }
    let b = bbox::of_points(ends.iter());
    let cell = raster.reset(b, BUFFER_M + 2.0 * CELL_M, CELL_M);
    raster.fill_pieces(pieces, BUFFER_M, ends);
    raster.polygons(cell * SIMPLIFY_PER_CELL)
}

/// Area of polygons in local metres (outer rings minus holes), m².
pub fn area_m2(polys: &[PolygonXy]) -> f64 {
    polys
        .iter()
        .flatten()
        .map(|r| {
            let n = r.len();
            (0..n).map(|i| r[i][0] * r[(i + 1) % n][1] - r[(i + 1) % n][0] * r[i][1]).sum::<f64>() / 2.0
        })
        .sum::<f64>()
        .max(0.0)
}
