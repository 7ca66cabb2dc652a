//! Walk-sheds contain what is reached (issue 12, item 5): on Las Palmas, every node that
//! `access.csv` puts within a category's threshold (street nodes, and the points snapped onto the
//! network: demand points at building centroids, facilities) lies inside that category's merged
//! walk-shed in `isochrones.geojson`.
//!
//! Tolerance [`TOL_M`] = 5 m, the raster's own error: a sample is in when it lies within the
//! 25 m buffer of a reached piece, the traced contour runs through the midpoints of 5 m lattice
//! edges (at most `5·√2/2` ≈ 3.5 m from the exact buffer) and Douglas–Peucker moves it by at most
//! 1.25 m more. Every reached node is the end of a drawn piece, so it lies about 20 m inside the
//! exact shape; the tolerance only absorbs rounding, it cannot hide a missing piece (the nodes
//! this test caught before the fix were up to 243 m outside).

use std::collections::HashMap;

use geo::{Contains, Coord, Distance, Euclidean, LineString, MultiPolygon, Point, Polygon};

use crate::common::*;

/// Allowed distance outside the walk-shed, metres (see the module docs).
const TOL_M: f64 = 5.0;

/// Equirectangular metres around a fixed latitude: enough for a city, and the same for the
/// nodes and the polygons.
struct Proj {
    lon0: f64,
    lat0: f64,
    kx: f64,
}

impl Proj {
    fn xy(&self, p: [f64; 2]) -> Coord {
        Coord { x: (p[0] - self.lon0) * self.kx, y: (p[1] - self.lat0) * 111_320.0 }
    }
}

/// A shed in metres with its boundary segments bucketed by 20 m rows of `y`, for an exact
/// even–odd ray test that is fast on 10^5 nodes (geo's `Contains` on a city-wide polygon of 10^5
/// vertices would take minutes; it is used on a sample to check this test against geo).
struct Shed {
    geo: MultiPolygon,
    rows: HashMap<i64, Vec<(Coord, Coord)>>,
}

const ROW_M: f64 = 20.0;

impl Shed {
    fn new(geo: MultiPolygon) -> Shed {
        let mut rows: HashMap<i64, Vec<(Coord, Coord)>> = HashMap::new();
        for poly in &geo {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for l in ring.lines() {
                    let (lo, hi) = (l.start.y.min(l.end.y), l.start.y.max(l.end.y));
                    for r in (lo / ROW_M).floor() as i64..=(hi / ROW_M).floor() as i64 {
                        rows.entry(r).or_default().push((l.start, l.end));
                    }
                }
            }
        }
        Shed { geo, rows }
    }

    fn contains(&self, p: Coord) -> bool {
        let mut odd = false;
        for &(a, b) in self.rows.get(&((p.y / ROW_M).floor() as i64)).into_iter().flatten() {
            if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y) {
                odd = !odd;
            }
        }
        odd
    }
}

fn polygons(g: &serde_json::Value, proj: &Proj) -> MultiPolygon {
    let poly = |v: &serde_json::Value| -> Polygon {
        let rings: Vec<LineString> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                LineString(
                    r.as_array()
                        .unwrap()
                        .iter()
                        .map(|c| proj.xy([c[0].as_f64().unwrap(), c[1].as_f64().unwrap()]))
                        .collect(),
                )
            })
            .collect();
        let mut it = rings.into_iter();
        Polygon::new(it.next().unwrap(), it.collect())
    };
    match g["type"].as_str().unwrap() {
        "Polygon" => MultiPolygon(vec![poly(&g["coordinates"])]),
        "MultiPolygon" => MultiPolygon(g["coordinates"].as_array().unwrap().iter().map(poly).collect()),
        t => panic!("unexpected geometry {t}"),
    }
}

#[test]
fn las_palmas_every_reached_node_lies_inside_its_category_walk_shed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut cfg = config(Some(shared("las-palmas.osm.pbf")), "default", None, &out);
    cfg.isochrones = circle15::isochrone::IsochroneKind::Category;
    cfg.html = false;
    circle15::run_analyze(&cfg).unwrap();

    let (header, rows) = read_csv(&out.join("access.csv"));
    let street_nodes = read_json(&out.join("summary.json"))["counts"]["street_nodes"].as_u64().unwrap() as usize;
    let proj = Proj { lon0: -15.43, lat0: 28.1, kx: 111_320.0 * 28.1f64.to_radians().cos() };
    let nodes: Vec<Coord> = rows.iter().map(|r| proj.xy([r[1].parse().unwrap(), r[2].parse().unwrap()])).collect();
    let iso = read_json(&out.join("isochrones.geojson"));
    let mut categories = 0;
    let (mut checked, mut points_checked, mut geo_checked) = (0usize, 0usize, 0usize);
    for f in iso["features"].as_array().unwrap() {
        let p = &f["properties"];
        if p["kind"] != "category" {
            continue;
        }
        categories += 1;
        let cat = p["category"].as_str().unwrap();
        let threshold = p["threshold_s"].as_f64().unwrap();
        let col = header.iter().position(|c| *c == format!("{cat}_s")).unwrap();
        let shed = Shed::new(polygons(&f["geometry"], &proj));
        let mut outside = Vec::new();
        for (v, r) in rows.iter().enumerate() {
            let Ok(t) = r[col].parse::<f64>() else { continue };
            if t > threshold {
                continue;
            }
            checked += 1;
            points_checked += (v >= street_nodes) as usize;
            let q = nodes[v];
            let inside = shed.contains(q);
            if v % 211 == 0 {
                // The bucketed ray test agrees with geo's point-in-polygon.
                assert_eq!(inside, shed.geo.contains(&Point(q)), "{cat}: node {v}");
                geo_checked += 1;
            }
            if !inside {
                let d = Euclidean.distance(&shed.geo, &Point(q));
                if d > TOL_M {
                    outside.push((v, d, t));
                }
            }
        }
        outside.sort_by(|a, b| b.1.total_cmp(&a.1));
        assert!(
            outside.is_empty(),
            "{cat}: {} reached nodes more than {TOL_M} m outside the walk-shed (street nodes are < {street_nodes}); \
             farthest (node, metres, seconds): {:?}",
            outside.len(),
            &outside[..outside.len().min(5)]
        );
    }
    // Categories with facilities in Las Palmas: kindergarten, primary, school, health, elderly
    // care, culture, sports, community service, employment.
    assert!(categories >= 9, "{categories} category walk-sheds");
    assert!(
        checked > 300_000 && points_checked > 10_000 && geo_checked > 1_000,
        "{checked} {points_checked} {geo_checked}"
    );
}
