//! Walk-shed tests: containment (reached streets inside, unreachable streets outside), validity
//! (closed rings, RFC 7946 winding, no crossing, no spikes) on a hand-made river network and on
//! the Las Palmas extract.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use serde_json::Value;

use super::*;
use crate::analyze::{self, Analysis, Config};
use crate::geom::polygon::{polygon_contains, ring_contains};
use crate::profile::Profile;
use crate::report::isochrones::isochrones_geojson;

// ---------------------------------------------------------------------------------------------
// Checkers (independent of the implementation).

fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

fn on_segment(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> bool {
    p[0] >= a[0].min(b[0]) && p[0] <= a[0].max(b[0]) && p[1] >= a[1].min(b[1]) && p[1] <= a[1].max(b[1])
}

/// Whether two closed segments share any point.
fn segments_meet(p1: [f64; 2], p2: [f64; 2], p3: [f64; 2], p4: [f64; 2]) -> bool {
    let d1 = orient(p3, p4, p1);
    let d2 = orient(p3, p4, p2);
    let d3 = orient(p1, p2, p3);
    let d4 = orient(p1, p2, p4);
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0)) {
        return true;
    }
    (d1 == 0.0 && on_segment(p3, p4, p1))
        || (d2 == 0.0 && on_segment(p3, p4, p2))
        || (d3 == 0.0 && on_segment(p1, p2, p3))
        || (d4 == 0.0 && on_segment(p1, p2, p4))
}

/// A segment's box with (ring id, segment index in the ring, ring segment count).
type SegBox = GeomWithData<Rectangle<[f64; 2]>, (usize, usize, usize)>;

fn signed_area(r: &[[f64; 2]]) -> f64 {
    (0..r.len() - 1).map(|i| r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1]).sum::<f64>() / 2.0
}

/// Checks a (multi)polygon in WGS84: closed rings of at least 4 positions, outer rings
/// counter-clockwise and holes clockwise (RFC 7946), holes inside their outer ring, polygons not
/// inside one another, no two segments meeting except consecutive ones at their shared vertex,
/// and no spike (no convex corner sharper than 20°).
fn check_valid(polys: &[PolygonLonLat]) -> Result<(), String> {
    let Some(first) = polys.iter().flatten().flatten().next() else {
        return Err("empty geometry".into());
    };
    let proj = LocalProj::new(first[0], first[1]);
    let m: crate::geom::MultiPolygon =
        polys.iter().map(|p| p.iter().map(|r| r.iter().map(|&q| proj.to_xy(q)).collect()).collect()).collect();
    // (ring id, segment index in ring, ring segment count)
    let mut segs: Vec<SegBox> = Vec::new();
    let mut ring_pts: Vec<&Vec<[f64; 2]>> = Vec::new();
    for (pi, poly) in m.iter().enumerate() {
        for (ri, r) in poly.iter().enumerate() {
            if r.len() < 4 || r[0] != r[r.len() - 1] {
                return Err(format!("polygon {pi} ring {ri}: not closed or < 4 positions"));
            }
            let a = signed_area(r);
            if (ri == 0) != (a > 0.0) {
                return Err(format!("polygon {pi} ring {ri}: wrong winding (area {a})"));
            }
            let n = r.len() - 1;
            for i in 0..n {
                let (prev, p, next) = (r[(i + n - 1) % n], r[i], r[i + 1]);
                let (u, v) = ([p[0] - prev[0], p[1] - prev[1]], [next[0] - p[0], next[1] - p[1]]);
                let turn = (u[0] * v[1] - u[1] * v[0]).atan2(u[0] * v[0] + u[1] * v[1]);
                if turn > 0.0 && std::f64::consts::PI - turn < 20f64.to_radians() {
                    return Err(format!("polygon {pi} ring {ri}: spike at {:?}", polys[pi][ri][i]));
                }
            }
            let id = ring_pts.len();
            ring_pts.push(r);
            for i in 0..n {
                segs.push(GeomWithData::new(Rectangle::from_corners(r[i], r[i + 1]), (id, i, n)));
            }
            if ri > 0 && !ring_contains(&poly[0], r[0]) {
                return Err(format!("polygon {pi} hole {ri} outside its outer ring"));
            }
        }
    }
    for (pi, poly) in m.iter().enumerate() {
        for (qi, other) in m.iter().enumerate() {
            if pi != qi && polygon_contains(other, poly[0][0]) {
                return Err(format!("polygon {pi} lies inside polygon {qi}"));
            }
        }
    }
    let tree = RTree::bulk_load(segs.clone());
    for s in &segs {
        let (id, i, n) = s.data;
        let r = ring_pts[id];
        let env = AABB::from_corners(r[i], r[i + 1]);
        for o in tree.locate_in_envelope_intersecting(&env) {
            let (jd, j, _) = o.data;
            if (jd, j) <= (id, i) {
                continue;
            }
            if jd == id && (j == i + 1 || (i == 0 && j == n - 1)) {
                // Consecutive: they share exactly one vertex unless they fold back.
                let (a, b, c) = if j == i + 1 { (r[i], r[i + 1], r[j + 1]) } else { (r[j], r[0], r[1]) };
                let fold =
                    orient(a, b, c) == 0.0 && (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0.0;
                if fold {
                    return Err(format!("ring {id}: segments {i} and {j} fold back"));
                }
                continue;
            }
            let q = ring_pts[jd];
            if segments_meet(r[i], r[i + 1], q[j], q[j + 1]) {
                return Err(format!(
                    "segments meet: ring {id} seg {i} {:?}-{:?} and ring {jd} seg {j} {:?}-{:?}",
                    r[i],
                    r[i + 1],
                    q[j],
                    q[j + 1]
                ));
            }
        }
    }
    Ok(())
}

fn multi_contains(polys: &[PolygonLonLat], p: [f64; 2]) -> bool {
    polys.iter().any(|poly| polygon_contains(poly, p))
}

fn geometry_polys(g: &Value) -> Vec<PolygonLonLat> {
    let coords = &g["coordinates"];
    let parse = |v: &Value| -> PolygonLonLat { serde_json::from_value(v.clone()).unwrap() };
    match g["type"].as_str().unwrap() {
        "Polygon" => vec![parse(coords)],
        "MultiPolygon" => coords.as_array().unwrap().iter().map(parse).collect(),
        t => panic!("unexpected geometry {t}"),
    }
}

/// Street pieces reached within `budget` from the node times, computed independently of
/// `reached_pieces`: from every reached node, each kept edge is walked for
/// `min(w, budget − t)`.
fn naive_pieces(
    g: &WalkGraph,
    xy: &[[f64; 2]],
    time: &HashMap<u32, u32>,
    budget: u32,
    keep: impl Fn(u32, u32) -> bool,
) -> Vec<Piece> {
    let mut out = Vec::new();
    for (&u, &tu) in time {
        out.push([xy[u as usize]; 2]);
        for (v, w) in g.edges(u) {
            if !keep(u, v) {
                continue;
            }
            let f = if w == 0 { 1.0 } else { ((budget - tu) as f64 / w as f64).min(1.0) };
            let (a, b) = (xy[u as usize], xy[v as usize]);
            out.push([a, [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]]);
        }
    }
    out
}

fn dist_to_piece(p: [f64; 2], s: &Piece) -> f64 {
    let (a, b) = (s[0], s[1]);
    let d = [b[0] - a[0], b[1] - a[1]];
    let l2 = d[0] * d[0] + d[1] * d[1];
    let t = if l2 > 0.0 { (((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1]) / l2).clamp(0.0, 1.0) } else { 0.0 };
    (p[0] - a[0] - t * d[0]).hypot(p[1] - a[1] - t * d[1])
}

/// Far enough from every reached piece that a sample-accurate buffer cannot cover it: the
/// buffer, plus a cell diagonal, plus the simplification tolerance.
const OUTSIDE_M: f64 = BUFFER_M + 1.5 * CELL_M + SIMPLIFY_M;

struct Containment {
    inside_checked: usize,
    outside_checked: usize,
}

/// Checks one facility walk-shed against the search: every node reached within the budget (street
/// nodes, the facility, demand points and other facilities) inside, every street node not reached and farther than [`OUTSIDE_M`]
/// from every reached piece outside.
fn check_containment(
    g: &WalkGraph,
    maker: &ShedMaker,
    polys: &[PolygonLonLat],
    node: u32,
    budget: u32,
) -> Result<Containment, String> {
    let mut scratch = Scratch::new(g.node_count());
    let mut time = HashMap::new();
    route::bounded(g, &mut scratch, &[(NodeId(node), 0)], budget, |v, t| {
        time.insert(v, t);
    });
    let fp = g.first_point_node;
    let xy: Vec<[f64; 2]> = g.lon_lat.iter().map(|&p| maker.proj().to_xy(p)).collect();
    let mut c = Containment { inside_checked: 0, outside_checked: 0 };
    for &v in time.keys() {
        // Street nodes and points (facilities, demand points) alike: whatever is reached.
        c.inside_checked += 1;
        if !multi_contains(polys, g.lon_lat[v as usize]) {
            return Err(format!("reached node {v} outside the walk-shed of {node}"));
        }
    }
    let reached = |v: u32| v < fp || time.contains_key(&v);
    let pieces = naive_pieces(g, &xy, &time, budget, |u, v| reached(u) && reached(v));
    // Bucket the pieces (grown by OUTSIDE_M) on a 100 m grid.
    let cell = 100.0;
    let key = |p: [f64; 2]| ((p[0] / cell).floor() as i64, (p[1] / cell).floor() as i64);
    let mut buckets: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (k, s) in pieces.iter().enumerate() {
        let lo = key([s[0][0].min(s[1][0]) - OUTSIDE_M, s[0][1].min(s[1][1]) - OUTSIDE_M]);
        let hi = key([s[0][0].max(s[1][0]) + OUTSIDE_M, s[0][1].max(s[1][1]) + OUTSIDE_M]);
        for i in lo.0..=hi.0 {
            for j in lo.1..=hi.1 {
                buckets.entry((i, j)).or_default().push(k);
            }
        }
    }
    let bb = crate::geom::bbox::of_polygons(polys);
    for v in 0..fp {
        if time.contains_key(&v) {
            continue;
        }
        let ll = g.lon_lat[v as usize];
        if !crate::geom::bbox::contains(bb, ll) {
            continue; // trivially outside
        }
        let p = xy[v as usize];
        let near = buckets.get(&key(p)).is_some_and(|ks| ks.iter().any(|&k| dist_to_piece(p, &pieces[k]) <= OUTSIDE_M));
        if near {
            continue;
        }
        c.outside_checked += 1;
        if multi_contains(polys, ll) {
            return Err(format!("unreached street node {v} at {ll:?} inside the walk-shed of {node}"));
        }
    }
    Ok(c)
}

// ---------------------------------------------------------------------------------------------
// Hand-made network: two street grids on either side of a river, joined by one bridge.

const SPEED: f64 = 1.1;

fn ds(m: f64) -> u32 {
    (m / SPEED * 10.0).round() as u32
}

struct River {
    graph: WalkGraph,
    facility: u32,
    /// Node index of the street node at grid position (bank, column, row).
    at: HashMap<(u8, usize, usize), u32>,
    proj: LocalProj,
}

/// Bank A: 6 × 6 nodes, 100 m apart, y ∈ [0, 500]. The river is 60 m wide (y 500…560). Bank B:
/// 6 × 6 nodes, y ∈ [560, 1060]. One bridge joins (0, 500) and (0, 560). A facility stands 30 m
/// south of (500, 500), on bank A by the river, far from the bridge; a demand point sits in the
/// middle of a block with a 70 m connector.
fn river() -> River {
    let proj = LocalProj::new(-15.43, 28.1);
    let mut ll = Vec::new();
    let mut at = HashMap::new();
    for bank in 0..2u8 {
        for j in 0..6 {
            for i in 0..6 {
                let y = if bank == 0 { 100.0 * j as f64 } else { 560.0 + 100.0 * j as f64 };
                at.insert((bank, i, j), ll.len() as u32);
                ll.push(proj.to_lon_lat([100.0 * i as f64, y]));
            }
        }
    }
    let mut edges = Vec::new();
    for bank in 0..2u8 {
        for j in 0..6 {
            for i in 0..6 {
                if i < 5 {
                    edges.push((at[&(bank, i, j)], at[&(bank, i + 1, j)], ds(100.0)));
                }
                if j < 5 {
                    edges.push((at[&(bank, i, j)], at[&(bank, i, j + 1)], ds(100.0)));
                }
            }
        }
    }
    edges.push((at[&(0, 0, 5)], at[&(1, 0, 0)], ds(60.0)));
    let street = ll.len() as u32;
    let facility = street;
    ll.push(proj.to_lon_lat([500.0, 470.0]));
    edges.push((facility, at[&(0, 5, 5)], ds(30.0)));
    let demand = street + 1;
    ll.push(proj.to_lon_lat([350.0, 350.0]));
    edges.push((demand, at[&(0, 3, 3)], ds(70.7)));
    let n = ll.len();
    let mut osm = vec![1i64; n];
    osm[facility as usize] = 0;
    osm[demand as usize] = 0;
    River { graph: WalkGraph::from_undirected(ll, osm, street, &edges), facility, at, proj }
}

#[test]
fn river_bank_across_is_outside_and_walkable_bank_inside() {
    let r = river();
    let maker = ShedMaker::new(&r.graph);
    let mut work = maker.work();
    let budget = ds(620.0); // 30 m access + 500 m along the bank + 60 m bridge + 30 m beyond
    let polys = maker.to_lon_lat(&maker.from_node(&mut work, r.facility, budget));
    check_valid(&polys).unwrap();
    let c = check_containment(&r.graph, &maker, &polys, r.facility, budget).unwrap();
    assert!(c.inside_checked > 10 && c.outside_checked > 10);

    let inside = |x: f64, y: f64| multi_contains(&polys, r.proj.to_lon_lat([x, y]));
    // The whole river-side street of bank A and the bridge are walkable.
    for x in [0.0, 100.0, 250.0, 500.0] {
        assert!(inside(x, 500.0), "bank A riverside at x={x}");
    }
    assert!(inside(0.0, 530.0), "bridge");
    // Bank B: the bridge head and 30 m beyond it are in; the rest of the riverside street, 60 m
    // from the facility as the crow flies, is out.
    assert!(inside(0.0, 560.0) && inside(25.0, 560.0));
    for x in [200.0, 300.0, 400.0, 500.0] {
        assert!(!inside(x, 560.0), "far bank at x={x} must be outside");
        assert!(!inside(x, 600.0), "far bank at x={x} must be outside");
    }
    // River water far from the bridge: 30 m from both banks' streets, but bank B's street is not
    // reached there, so only bank A's 25 m buffer counts.
    assert!(!inside(300.0, 530.0));
    assert!(inside(300.0, 520.0));
    // Block interiors enclosed by reached streets stay holes; the demand point in the middle of
    // block (3..4, 3..4), reached at 30 + 400 + 70.7 m, is inside with its connector, and the
    // rest of its block is not.
    assert!(polys[0].len() > 1, "enclosed blocks leave holes");
    assert!(!inside(450.0, 450.0));
    assert!(inside(350.0, 350.0) && inside(340.0, 340.0));
    // (370, 330) and (330, 370): 28 m from the demand point, 30 m from the streets.
    assert!(!inside(370.0, 330.0) && !inside(330.0, 370.0));
    // The facility and its connector are inside.
    assert!(inside(500.0, 470.0) && inside(500.0, 485.0));
    // One connected walk-shed.
    assert_eq!(polys.len(), 1);
    let _ = r.at;
}

/// The connector of a point is drawn exactly when the point is reached: a walk that ends partway
/// along a demand point's connector reaches nothing (the connector leads only to that point).
#[test]
fn demand_point_connector_is_drawn_only_when_the_point_is_reached() {
    let r = river();
    let maker = ShedMaker::new(&r.graph);
    let mut work = maker.work();
    let demand = r.graph.first_point_node + 1;
    let inside = |polys: &[PolygonLonLat], x: f64, y: f64| multi_contains(polys, r.proj.to_lon_lat([x, y]));
    // 30 m access + 400 m to the corner (300, 300) + 70.7 m connector = 500.7 m.
    for (budget_m, reached) in [(460.0, false), (520.0, true)] {
        let budget = ds(budget_m);
        let polys = maker.to_lon_lat(&maker.from_node(&mut work, r.facility, budget));
        check_valid(&polys).unwrap();
        check_containment(&r.graph, &maker, &polys, r.facility, budget).unwrap();
        assert_eq!(inside(&polys, 350.0, 350.0), reached, "demand point, budget {budget_m} m");
        // 42 m from the corner along the connector: only the drawn connector covers it.
        assert_eq!(inside(&polys, 330.0, 330.0), reached, "connector, budget {budget_m} m");
        // The multi-source form follows the same rule.
        let (times, _) = route::nearest(&r.graph, &[(NodeId(r.facility), 0)], 2 * budget);
        assert_eq!(times[demand as usize] <= budget, reached);
        let merged = maker.to_lon_lat(&maker.from_times(&mut work, &times, budget, &[r.facility]));
        assert_eq!(inside(&merged, 350.0, 350.0), reached, "merged, budget {budget_m} m");
        assert_eq!(inside(&merged, 330.0, 330.0), reached, "merged connector, budget {budget_m} m");
    }
}

#[test]
fn river_multi_source_times_give_the_union_of_the_facility_sheds() {
    let r = river();
    let g = &r.graph;
    let maker = ShedMaker::new(g);
    let mut work = maker.work();
    let budget = ds(300.0);
    // Two sources: the facility and the street node at bank B (5, 5).
    let far = r.at[&(1, 5, 5)];
    let (times, _) = route::nearest(g, &[(NodeId(r.facility), 0), (NodeId(far), 0)], 2 * budget);
    let union = maker.to_lon_lat(&maker.from_times(&mut work, &times, budget, &[r.facility, far]));
    check_valid(&union).unwrap();
    assert_eq!(union.len(), 2, "two separate sheds, the river between them");
    let a = maker.to_lon_lat(&maker.from_node(&mut work, r.facility, budget));
    let b = maker.to_lon_lat(&maker.from_node(&mut work, far, budget));
    // Every vertex of each single shed lies inside or on the edge of the union: test points
    // slightly inside each shed (the street nodes it reaches) instead of its boundary.
    for (single, src) in [(&a, r.facility), (&b, far)] {
        let mut scratch = Scratch::new(g.node_count());
        route::bounded(g, &mut scratch, &[(NodeId(src), 0)], budget, |v, _| {
            let p = g.lon_lat[v as usize];
            if v < g.first_point_node || v == src {
                assert!(multi_contains(single, p));
                assert!(multi_contains(&union, p));
            }
        });
    }
    // Area of the union = sum of the two (they are disjoint).
    let area = |p: &[PolygonLonLat]| -> f64 { p.iter().map(|q| crate::geom::polygon::polygon_area_m2(q)).sum() };
    let (ua, sa) = (area(&union), area(&a) + area(&b));
    assert!((ua - sa).abs() / sa < 0.01, "{ua} vs {sa}");
}

#[test]
fn zero_budget_gives_a_disk_around_the_facility() {
    let r = river();
    let maker = ShedMaker::new(&r.graph);
    let mut work = maker.work();
    let polys = maker.to_lon_lat(&maker.from_node(&mut work, r.facility, 0));
    check_valid(&polys).unwrap();
    assert_eq!(polys.len(), 1);
    let a = crate::geom::polygon::polygon_area_m2(&polys[0]);
    let disk = std::f64::consts::PI * BUFFER_M * BUFFER_M;
    // Marching squares on 5 m cells and the 1.25 m simplification cut the round corners.
    assert!((a - disk).abs() / disk < 0.1, "{a} vs {disk}");
}

// ---------------------------------------------------------------------------------------------
// Las Palmas.

fn las_palmas_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/las-palmas.osm.pbf")
}

fn las_palmas() -> Option<&'static Analysis> {
    static A: OnceLock<Option<Analysis>> = OnceLock::new();
    A.get_or_init(|| {
        let path = las_palmas_path();
        // Missing test data fails: CI places ../shared beside the clone.
        assert!(path.exists(), "test data {} is missing: CI places ../shared beside the clone", path.display());
        let cfg = Config::new(Some(path), Profile::load("default", None).unwrap(), PathBuf::from("unused"));
        Some(analyze::run(&cfg).unwrap())
    })
    .as_ref()
}

#[test]
fn las_palmas_facility_sheds_contain_reached_streets_and_exclude_unreachable_ones() {
    let Some(a) = las_palmas() else { return };
    let maker = ShedMaker::new(&a.graph);
    let mut work = maker.work();
    let jobs: Vec<(u32, u32)> = a
        .facilities
        .iter()
        .filter_map(|f| f.node.map(|n| (f, n)))
        .flat_map(|(f, n)| f.categories.iter().map(move |&k| (n, a.profile.categories[k.index()].threshold_ds())))
        .collect();
    assert!(jobs.len() > 500);
    let (mut inside, mut outside) = (0, 0);
    for &(node, budget) in jobs.iter().step_by(60) {
        let polys = maker.to_lon_lat(&maker.from_node(&mut work, node, budget));
        check_valid(&polys).unwrap_or_else(|e| panic!("facility node {node}: {e}"));
        let c = check_containment(&a.graph, &maker, &polys, node, budget).unwrap();
        inside += c.inside_checked;
        outside += c.outside_checked;
    }
    assert!(inside > 1000 && outside > 1000, "{inside} {outside}");
}

#[test]
fn las_palmas_isochrones_geojson_is_valid_rfc7946() {
    let Some(a) = las_palmas() else { return };
    let bytes = isochrones_geojson(a, IsochroneKind::Facility);
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    assert_eq!(doc["sheds"], "facility");
    let feats = doc["features"].as_array().unwrap();
    // The default file holds the same category features, and only those.
    let cat_doc: Value = serde_json::from_slice(&isochrones_geojson(a, IsochroneKind::Category)).unwrap();
    assert_eq!(cat_doc["sheds"], "category");
    let cat_only: Vec<&Value> = feats.iter().filter(|f| f["properties"]["kind"] == "category").collect();
    assert_eq!(cat_doc["features"].as_array().unwrap().iter().collect::<Vec<_>>(), cat_only);
    let used: usize = a.facilities.iter().filter(|f| f.node.is_some()).map(|f| f.categories.len()).sum();
    let n_fac = feats.iter().filter(|f| f["properties"]["kind"] == "facility").count();
    let n_cat = feats.iter().filter(|f| f["properties"]["kind"] == "category").count();
    assert_eq!(n_fac, used);
    let cats_with_facility = a.categories.iter().filter(|c| c.facilities > c.facilities_unattached).count();
    assert_eq!(n_cat, cats_with_facility);
    let maker = ShedMaker::new(&a.graph);
    for (i, f) in feats.iter().enumerate() {
        let p = &f["properties"];
        let polys = geometry_polys(&f["geometry"]);
        // Positions rounded to 1e-7°.
        for q in polys.iter().flatten().flatten() {
            for c in q {
                assert!(((c * 1e7).round() / 1e7 - c).abs() < 1e-12);
            }
        }
        check_valid(&polys).unwrap_or_else(|e| panic!("feature {i} {p}: {e}"));
        if p["kind"] == "category" {
            // A sample of the nodes (street nodes and points) within the threshold of the
            // nearest facility; `tests/it/walksheds.rs` checks every one through the files.
            let k = a.profile.categories.iter().position(|c| c.id == p["category"].as_str().unwrap()).unwrap();
            let budget = a.profile.categories[k].threshold_ds();
            let t = &a.times_ds[k];
            let mut n = 0;
            for v in (0..a.graph.node_count() as u32).step_by(97) {
                if t[v as usize] <= budget {
                    n += 1;
                    assert!(
                        multi_contains(&polys, a.graph.lon_lat[v as usize]),
                        "{}: node {v} within the threshold is outside",
                        p["category"]
                    );
                }
            }
            assert!(n > 0);
        }
    }
    let _ = maker;
}

/// Timing on Las Palmas; run with
/// `cargo test --release --lib isochrone::tests::las_palmas_timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn las_palmas_timing() {
    let Some(a) = las_palmas() else { return };
    for kind in [IsochroneKind::Category, IsochroneKind::Facility] {
        let mut first: Option<Vec<u8>> = None;
        for threads in [2, 1] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut best = f64::INFINITY;
            for _ in 0..3 {
                let t = std::time::Instant::now();
                let bytes = pool.install(|| isochrones_geojson(a, kind));
                best = best.min(t.elapsed().as_secs_f64() * 1000.0);
                match &first {
                    None => first = Some(bytes),
                    Some(f) => assert!(f == &bytes, "bytes depend on the thread count"),
                }
            }
            eprintln!(
                "isochrones_geojson {}, {threads} thread(s): best of 3 {best:.0} ms, {} bytes",
                kind.id(),
                first.as_ref().unwrap().len()
            );
        }
    }
}

#[test]
fn helsinki_bytes_do_not_depend_on_the_thread_count() {
    let cfg = Config::new(
        Some(crate::analyze::helsinki_fixture()),
        Profile::load("default", None).unwrap(),
        PathBuf::from("unused"),
    );
    let a = analyze::run(&cfg).unwrap();
    let run = |threads: usize, kind| {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| isochrones_geojson(&a, kind))
    };
    assert_eq!(run(1, IsochroneKind::Category), run(3, IsochroneKind::Category));
    let one = run(1, IsochroneKind::Facility);
    assert_eq!(one, run(3, IsochroneKind::Facility));
    let doc: Value = serde_json::from_slice(&one).unwrap();
    let feats = doc["features"].as_array().unwrap();
    // Facility features in facility order, then categories in profile order.
    let kinds: Vec<&str> = feats.iter().map(|f| f["properties"]["kind"].as_str().unwrap()).collect();
    let first_cat = kinds.iter().position(|k| *k == "category").unwrap();
    assert!(kinds[first_cat..].iter().all(|k| *k == "category"));
    let ids: Vec<i64> = feats[..first_cat].iter().map(|f| f["properties"]["osm_id"].as_i64().unwrap()).collect();
    let expect: Vec<i64> = a
        .facilities
        .iter()
        .filter(|f| f.node.is_some())
        .flat_map(|f| f.categories.iter().map(move |_| f.osm_id))
        .collect();
    assert_eq!(ids, expect);
}

/// The same facility walk-sheds with `geo`'s `unary_union` (i_overlay) over capsule polygons
/// (each piece buffered into a 2 × 8-segment stadium) instead of the raster; for the module docs.
/// Run with `cargo test --release --lib isochrone::tests::compare_with_geo_unary_union --
/// --ignored --nocapture`.
#[test]
#[ignore]
fn compare_with_geo_unary_union() {
    use geo::{Coord, LineString, Polygon};
    let Some(a) = las_palmas() else { return };
    let maker = ShedMaker::new(&a.graph);
    let mut work = maker.work();
    let jobs: Vec<(u32, u32)> = a
        .facilities
        .iter()
        .filter_map(|f| f.node.map(|n| (f, n)))
        .flat_map(|(f, n)| f.categories.iter().map(move |&k| (n, a.profile.categories[k.index()].threshold_ds())))
        .step_by(10)
        .collect();
    let stadium = |p: [f64; 2], q: [f64; 2]| -> Polygon<f64> {
        let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
        let base = if dx == 0.0 && dy == 0.0 { 0.0 } else { dy.atan2(dx) };
        let mut pts = Vec::with_capacity(20);
        for (c, from) in [(q, base - std::f64::consts::FRAC_PI_2), (p, base + std::f64::consts::FRAC_PI_2)] {
            for i in 0..=8 {
                let t = from + std::f64::consts::PI * i as f64 / 8.0;
                pts.push(Coord { x: c[0] + BUFFER_M * t.cos(), y: c[1] + BUFFER_M * t.sin() });
            }
        }
        Polygon::new(LineString::new(pts), vec![])
    };
    let (mut t_raster, mut t_geo, mut n_pieces, mut v_raster, mut v_geo) = (0.0, 0.0, 0, 0, 0);
    for &(node, budget) in &jobs {
        maker.node_pieces(&mut work, node, budget);
        let pieces = work.pieces.clone();
        n_pieces += pieces.len();
        let t = std::time::Instant::now();
        let polys = rasterise(&mut work.raster, &pieces, &work.ends);
        t_raster += t.elapsed().as_secs_f64();
        v_raster += polys.iter().flatten().map(|r| r.len()).sum::<usize>();
        let t = std::time::Instant::now();
        let caps: Vec<Polygon<f64>> = pieces.iter().map(|s| stadium(s[0], s[1])).collect();
        let u = geo::unary_union(&caps);
        t_geo += t.elapsed().as_secs_f64();
        v_geo +=
            u.0.iter()
                .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
                .sum::<usize>();
    }
    eprintln!(
        "{} walk-sheds, {} pieces: raster + trace + simplify {:.0} ms ({} vertices); geo unary_union of stadiums {:.0} ms ({} vertices)",
        jobs.len(),
        n_pieces,
        t_raster * 1000.0,
        v_raster,
        t_geo * 1000.0,
        v_geo
    );
}
