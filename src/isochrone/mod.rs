//! Walk-shed (isochrone) polygons: the area within walking reach of a facility, and of all
//! facilities of a category, written as `isochrones.geojson`.
//!
//! Owns turning search times into polygons: which parts of which edges are walkable within a
//! budget ([`pieces`]), the buffer raster that unions and traces them ([`raster`]), and the
//! GeoJSON writer [`write_isochrones`] (streamed, chunk by chunk).
//!
//! Glossary:
//! - **walk-shed**: every point of the street network walkable from the source within the budget,
//!   widened by [`BUFFER_M`] on each side. It follows the streets: a block whose interior is
//!   farther than the buffer from every reached street stays a hole, and the far bank of a river
//!   stays outside unless the walk over a bridge reaches it.
//! - **budget** (`budget_ds`): the category's threshold (`Category::threshold_ds`).
//! - **piece**: a reached stretch of one edge, in local metres; a whole edge when every point on
//!   it is within the budget (`t_u + t_v + w <= 2·budget`), else the stretch of fraction
//!   `(budget − t_end) / w` from each reached end.
//! - **street edge**: an edge between two street nodes. The connector of a snapped point
//!   (facility, demand point, candidate) is drawn when the point itself is reached within the
//!   budget (the access walk to it), and left out otherwise (see `shed_edge`), so every node
//!   `access.csv` puts within the threshold lies inside the shed, at least
//!   `BUFFER_M − CELL_M·√2/2 − SIMPLIFY_M` (≈ 20 m) from its boundary.
//! - **sample / cell**: the raster lattice, every [`CELL_M`] metres in the analysis' local
//!   projection ([`LocalProj`] around the centre of the graph).
//!
//! Method: the pieces are dilated by [`BUFFER_M`] on a raster of [`CELL_M`] cells (each sample
//! row is intersected with the exact capsule of each piece), the in-region is traced with
//! marching squares (4-connected in-regions, contours through the midpoints of lattice edges, in
//! on the left: outer rings counter-clockwise, holes clockwise) and every ring is simplified with
//! Douglas–Peucker at [`SIMPLIFY_M`]. The union comes for free and the result is valid by
//! construction: marching-squares contours never touch, two non-adjacent contour segments are at
//! least `cell/√2` (3.5 m) apart, and a Douglas–Peucker chord stays within the tolerance of the
//! chain it replaces (Hausdorff, with distance to the segment), so with a tolerance below
//! `cell/(2√2)` (1.77 m) no simplified segment can cross another. No hull is ever taken, so
//! nothing unreachable is covered and there are no spikes: the shape is a union of 25 m capsules
//! up to the cell size.
//!
//! The merged walk-shed of a category is built the same way from the multi-source nearest times
//! of the analysis (`Analysis::times_ds`): a point is within the budget of some facility exactly
//! when it is within the budget of the nearest one, so this is the union of the facility
//! walk-sheds without a second search.
//!
//! Why a raster and not `geo`'s BooleanOps: a walk-shed is the union of one buffered segment per
//! reached edge (1,534 on average in Las Palmas). Measured on every tenth Las Palmas facility
//! walk-shed (119 sheds, 182,578 pieces; release; test `compare_with_geo_unary_union`): raster,
//! trace and simplification 196 ms in all; `geo::unary_union` (i_overlay) of the same pieces as
//! 18-vertex stadiums 31,255 ms, 160× slower, and still unsimplified. The raster's cost is linear
//! in the shed's area and its output valid by construction.
//!
//! Measured on Las Palmas (133,340 nodes, 2,065 km walkable; 1,189 facility walk-sheds and 9
//! category walk-sheds; release build, test `las_palmas_timing`, best of 3, on 2 cores shared
//! with other work): the whole `isochrones.geojson` (32 MB, 1.45 M positions) in 0.94 s with 2
//! threads and 1.86 s with 1 thread while the machine was lightly loaded (load average ≈ 3), and
//! 2.6–3.8 s with 2 threads while other jobs kept the load average at 7; about 1.9 s of CPU time
//! per run. By profile, about 40 % is filling the raster, 12 % tracing, 10 % the searches and
//! pieces, the rest simplification and writing. The category walk-sheds (city-wide rasters, up
//! to 4 M samples) take 1–90 ms each.
//!
//! Memory: the file is streamed to disk [`CHUNK`] features at a time, per-thread buffers are
//! pooled across chunks, and the contour links of city-wide rasters are a hash map rather than a
//! table of 8 bytes per sample. Las Palmas, release, 2 threads (`/usr/bin/time -v circle15
//! analyze --osm las-palmas.osm.pbf --no-html`): peak RSS 277 MB → 158 MB (89 MB without
//! isochrones), CPU time of the run 2.0 s → 1.8 s; the `isochrones` stage of `summary.json`
//! (its file included) median of 7 runs 1.83 s while other jobs kept the load average near 4,
//! i.e. about 1.4 s of CPU time over the 2 cores.

pub mod pieces;
pub mod raster;

#[cfg(test)]
mod tests;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::geom::{LocalProj, bbox};
use crate::graph::{NodeId, WalkGraph};
use crate::model::Analysis;
use crate::report::{ATTRIBUTION, round};
use crate::route::{self, Scratch, UNREACHED};
pub use pieces::{Piece, reached_pieces};
pub use raster::{PolygonXy, Raster};

/// Half-width of the band around reached streets, metres. Profile-independent: about a street's
/// width plus the front gardens and entrances on both sides, so the shed shows the street fronts
/// one can walk to, and block interiors more than 25 m from any reached street stay holes.
pub const BUFFER_M: f64 = 25.0;

/// Raster cell, metres: fine enough that the polygon is within 3.5 m of the exact buffer.
pub const CELL_M: f64 = 5.0;

/// Douglas–Peucker tolerance, metres; must stay below `CELL_M / (2√2)` for validity.
pub const SIMPLIFY_M: f64 = 1.25;

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
    xy: Vec<[f64; 2]>,
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
        let xy = graph.lon_lat.iter().map(|&p| proj.to_xy(p)).collect();
        ShedMaker { graph, proj, xy }
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
        rasterise(&mut work.raster, &work.pieces, &mut work.ends)
    }

    /// The pieces of the walk from `node` within `budget_ds` (left in `work.pieces`; the
    /// facility point itself first, as a point piece).
    fn node_pieces(&self, work: &mut Work, node: u32, budget_ds: u32) {
        let g = self.graph;
        let Work { scratch, time, settled, pieces, .. } = work;
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
        reached_pieces(
            g,
            &self.xy,
            settled,
            |v| tm[v as usize],
            budget_ds,
            |u, v| shed_edge(fp, u, v, |x| tm[x as usize] <= budget_ds),
            pieces,
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
        reached_pieces(
            g,
            &self.xy,
            settled,
            |v| times[v as usize],
            budget_ds,
            |u, v| shed_edge(fp, u, v, reached),
            pieces,
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

fn rasterise(raster: &mut Raster, pieces: &[Piece], ends: &mut Vec<[f64; 2]>) -> Vec<PolygonXy> {
    if pieces.is_empty() {
        return Vec::new();
    }
    let b = bbox::of_points(pieces.iter().flatten());
    raster.reset(b, BUFFER_M + 2.0 * CELL_M, CELL_M);
    raster.fill_pieces(pieces, BUFFER_M, ends);
    raster.polygons(SIMPLIFY_M)
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

/// Writes a GeoJSON Polygon (one polygon) or MultiPolygon: positions rounded to 1e-7°, outer
/// rings counter-clockwise and holes clockwise (checked on the rounded positions, as
/// `geojson_out::polygon_coords` does). Written directly rather than through `serde_json::Value`:
/// a Las Palmas run has 1.3 M positions and a `Value` per number dominated the writing time.
pub fn write_geometry(s: &mut String, polys: &[PolygonLonLat]) {
    let multi = polys.len() != 1;
    s.push_str(if multi {
        "{\"type\":\"MultiPolygon\",\"coordinates\":["
    } else {
        "{\"type\":\"Polygon\",\"coordinates\":"
    });
    let mut ring_r: Vec<[f64; 2]> = Vec::new();
    for (pi, poly) in polys.iter().enumerate() {
        if pi > 0 {
            s.push(',');
        }
        s.push('[');
        for (ri, ring) in poly.iter().enumerate() {
            if ri > 0 {
                s.push(',');
            }
            ring_r.clear();
            ring_r.extend(ring.iter().map(|p| [round(p[0], 7), round(p[1], 7)]));
            let n = ring_r.len();
            let area2: f64 = (0..n)
                .map(|i| {
                    let (a, b) = (ring_r[i], ring_r[(i + 1) % n]);
                    a[0] * b[1] - b[0] * a[1]
                })
                .sum();
            if (area2 > 0.0) != (ri == 0) {
                ring_r.reverse();
            }
            s.push('[');
            for (i, p) in ring_r.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                s.push('[');
                push_deg(s, p[0]);
                s.push(',');
                push_deg(s, p[1]);
                s.push(']');
            }
            s.push(']');
        }
        s.push(']');
    }
    s.push_str(if multi { "]}" } else { "}" });
}

/// Writes a coordinate already rounded to 1e-7 as the shortest decimal (the same text as
/// `Display` for such values: at most 10 significant digits always round-trip), without the
/// general float formatter, which took a tenth of the writing time.
fn push_deg(s: &mut String, x: f64) {
    let n = (x * 1e7).round() as i64;
    if n < 0 {
        s.push('-');
    }
    let n = n.unsigned_abs();
    let (int, mut frac) = (n / 10_000_000, n % 10_000_000);
    push_digits(s, int, 1);
    if frac != 0 {
        let mut digits = 7;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        s.push('.');
        push_digits(s, frac, digits);
    }
}

/// Appends `v` in decimal, zero-padded to at least `width` digits (at most 20).
fn push_digits(s: &mut String, mut v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let start = i.min(buf.len() - width.min(buf.len()));
    s.push_str(std::str::from_utf8(&buf[start..]).expect("ASCII digits"));
}

/// A [`Work`] borrowed from a pool and given back when dropped (at the end of a rayon fold), so
/// the chunks of [`write_isochrones`] reuse the per-thread buffers instead of allocating them.
struct Pooled<'p> {
    work: Option<Work>,
    pool: &'p std::sync::Mutex<Vec<Work>>,
}

impl<'p> Pooled<'p> {
    fn take(pool: &'p std::sync::Mutex<Vec<Work>>, make: impl FnOnce() -> Work) -> Pooled<'p> {
        let w = pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
        Pooled { work: Some(w.unwrap_or_else(make)), pool }
    }

    fn work(&mut self) -> &mut Work {
        self.work.as_mut().expect("present until dropped")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(w) = self.work.take() {
            self.pool.lock().unwrap_or_else(|e| e.into_inner()).push(w);
        }
    }
}

fn feature(props: Value, polys: &[PolygonLonLat]) -> String {
    let mut s = String::from("{\"type\":\"Feature\",\"properties\":");
    s.push_str(&serde_json::to_string(&props).expect("serialisable"));
    s.push_str(",\"geometry\":");
    write_geometry(&mut s, polys);
    s.push('}');
    s
}

/// Facility walk-sheds built and written per chunk of this many features: memory stays a few
/// megabytes whatever the number of facilities (a Las Palmas feature is ~30 kB).
const CHUNK: usize = 128;

/// `isochrones.geojson` as bytes (see [`write_isochrones`]).
pub fn isochrones_geojson(a: &Analysis) -> Vec<u8> {
    let mut out = Vec::new();
    write_isochrones(a, &mut out).expect("writing to a Vec cannot fail");
    out
}

/// Writes `isochrones.geojson` to `w`: one feature per used facility and category it serves
/// (`kind: "facility"`), in facility order, then one merged feature per category with a used
/// facility (`kind: "category"`), in profile order. RFC 7946: WGS84, outer rings
/// counter-clockwise, holes clockwise, positions rounded to 1e-7°. Facility walk-sheds are built
/// in parallel (rayon, one reusable [`Work`] per thread and chunk), [`CHUNK`] at a time, and
/// written in order as each chunk completes, so the bytes do not depend on the thread count and
/// the file is never held in memory.
///
/// Returns the category features alone as a FeatureCollection (for `report.html`).
pub fn write_isochrones(a: &Analysis, w: &mut dyn std::io::Write) -> std::io::Result<String> {
    let maker = ShedMaker::new(&a.graph);
    let cats = &a.profile.categories;
    // Thresholds in metres: sheds on the distance graph (steps not slowed down), as searched.
    let dist = a.graph.distance_graph();
    let dist_maker = cats.iter().any(|c| c.threshold_m.is_some()).then(|| ShedMaker::new(&dist));
    let maker_for = |cat: &crate::profile::Category| match (&dist_maker, cat.threshold_m) {
        (Some(m), Some(_)) => m,
        _ => &maker,
    };
    let head = json!({
        "type": "FeatureCollection",
        "name": "isochrones",
        "attribution": ATTRIBUTION,
        "source": a.input_label,
        "profile": a.profile.name,
        "buffer_m": BUFFER_M,
        "cell_m": CELL_M,
    });
    let mut s = serde_json::to_string(&head).expect("serialisable");
    s.pop(); // the closing brace: the features follow
    s.push_str(",\"features\":[");
    w.write_all(s.as_bytes())?;
    let mut first = true;
    let mut put = |w: &mut dyn std::io::Write, f: &str| -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        w.write_all(f.as_bytes())
    };

    let jobs: Vec<(usize, crate::model::CategoryId, u32)> = a
        .facilities
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.node.map(|n| (i, f, n)))
        .flat_map(|(i, f, n)| f.categories.iter().map(move |&k| (i, k, n)))
        .collect();
    let pool = std::sync::Mutex::new(Vec::new());
    for chunk in jobs.chunks(CHUNK) {
        let feats: Vec<String> = chunk
            .par_iter()
            .map_init(
                || Pooled::take(&pool, || maker.work()),
                |work, &(i, k, node)| {
                    let f = &a.facilities[i];
                    let cat = &cats[k.index()];
                    let polys = maker_for(cat).from_node(work.work(), node, cat.threshold_ds());
                    feature(
                        json!({
                            "kind": "facility",
                            "category": cat.id,
                            "name": f.name,
                            "osm_type": f.osm_type,
                            "osm_id": f.osm_id,
                            "threshold_s": cat.threshold_s,
                            "node": node,
                            "area_m2": round(area_m2(&polys), 0),
                        }),
                        &maker.to_lon_lat(&polys),
                    )
                },
            )
            .collect();
        for f in &feats {
            put(w, f)?;
        }
    }
    drop(pool);

    let cat_jobs: Vec<(usize, Vec<u32>)> = (0..cats.len())
        .filter_map(|k| {
            let nodes: Vec<u32> = a
                .facilities
                .iter()
                .filter(|f| f.serves(crate::model::CategoryId::from_index(k)))
                .filter_map(|f| f.node)
                .collect();
            (!nodes.is_empty() && k < a.times_ds.len()).then_some((k, nodes))
        })
        .collect();
    let cat_feats: Vec<String> = cat_jobs
        .par_iter()
        .map_init(
            || maker.work(),
            |work, (k, nodes)| {
                let cat = &cats[*k];
                let polys = maker_for(cat).from_times(work, &a.times_ds[*k], cat.threshold_ds(), nodes);
                feature(
                    json!({
                        "kind": "category",
                        "category": cat.id,
                        "label_zh": cat.label_zh,
                        "label_en": cat.label_en,
                        "threshold_s": cat.threshold_s,
                        "facilities": nodes.len(),
                        "area_m2": round(area_m2(&polys), 0),
                    }),
                    &maker.to_lon_lat(&polys),
                )
            },
        )
        .collect();
    let mut categories = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    for (i, f) in cat_feats.iter().enumerate() {
        put(w, f)?;
        if i > 0 {
            categories.push(',');
        }
        categories.push_str(f);
    }
    categories.push_str("]}");
    w.write_all(b"]}\n")?;
    Ok(categories)
}
