//! Integration tests on a real city: Las Palmas de Gran Canaria (`../shared/data/las-palmas.osm.pbf`),
//! checked by facts a person can verify and by an independent shortest-path tool (petgraph over
//! the exported `edges.csv`).

use std::path::PathBuf;
use std::sync::OnceLock;

use petgraph::Directed;
use petgraph::algo::dijkstra;
use petgraph::graph::{Graph, NodeIndex};

use crate::common::*;

struct Run {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let cfg = config(Some(shared("las-palmas.osm.pbf")), "default", None, &out);
        circle15::run_analyze(&cfg).unwrap();
        Run { _dir: dir, out }
    })
}

fn facilities(cat: &str) -> Vec<serde_json::Value> {
    let d = read_json(&run().out.join("facilities.geojson"));
    d["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["category"] == cat)
        .map(|f| f["properties"].clone())
        .collect()
}

/// `access.csv` as node → seconds for one category.
fn access(cat: &str) -> Vec<Option<f64>> {
    let (h, rows) = read_csv(&run().out.join("access.csv"));
    let col = h.iter().position(|c| *c == format!("{cat}_s")).unwrap();
    rows.iter().map(|r| (!r[col].is_empty()).then(|| r[col].parse().unwrap())).collect()
}

#[test]
fn counts_match_the_extract() {
    let s = read_json(&run().out.join("summary.json"));
    let c = &s["counts"];
    // The data README: 23 kindergartens, 163 schools.
    assert_eq!(c["facilities"]["kindergarten"], 23);
    assert_eq!(c["facilities"]["school"], 163);
    let km = c["walkable_km"].as_f64().unwrap();
    assert!((1500.0..2500.0).contains(&km), "walkable_km {km}");
    assert!(c["street_nodes"].as_u64().unwrap() > 80_000);
    // 194 highway ways are cut at the extract edge; the walkable ones among them are split.
    let cut = s["osm"]["ways_cut_at_edge"].as_u64().unwrap();
    assert!((100..=194).contains(&cut), "cut {cut}");
    assert_eq!(s["attribution"], "© OpenStreetMap contributors, ODbL 1.0");
    for stage in ["load_osm", "graph_build_snap", "nearest_search", "sfca", "score", "write", "total"] {
        assert!(s["stages_ms"][stage].as_f64().is_some(), "{stage}");
    }
}

#[test]
fn a_named_school_is_at_zero_seconds() {
    let schools = facilities("school");
    let gc = schools.iter().find(|f| f["name"] == "C.E.I.P. Gran Canaria").expect("named school");
    assert_eq!(gc["osm_type"], "node");
    assert!(gc["snap_m"].as_f64().unwrap() < 50.0);
    let node = gc["node"].as_u64().unwrap() as usize;
    assert_eq!(access("school")[node], Some(0.0));
    // Every used facility is at 0 s for its own category.
    let acc = access("kindergarten");
    for f in facilities("kindergarten") {
        if let Some(n) = f["node"].as_u64() {
            assert_eq!(acc[n as usize], Some(0.0), "{f}");
        }
    }
}

/// The exported graph as petgraph sees it: every row of `edges.csv` is one directed arc (street
/// segments appear both ways; the extra entrances of a facility only leave it).
fn exported_graph(cost: &str) -> (Graph<(), f64, Directed>, usize) {
    let (h, rows) = read_csv(&run().out.join("edges.csv"));
    let col = h.iter().position(|c| c == cost).unwrap();
    let (_, nodes) = read_csv(&run().out.join("nodes.csv"));
    let n = nodes.len();
    let mut g: Graph<(), f64, Directed> = Graph::with_capacity(n + 1, rows.len());
    for _ in 0..=n {
        g.add_node(());
    }
    for r in &rows {
        let (a, b): (usize, usize) = (r[0].parse().unwrap(), r[1].parse().unwrap());
        g.add_edge(NodeIndex::new(a), NodeIndex::new(b), r[col].parse().unwrap());
    }
    (g, n)
}

/// Multi-source distances through a super-source node `n`.
fn from_facilities(g: &mut Graph<(), f64, Directed>, n: usize, cat: &str) -> Vec<Option<f64>> {
    for f in facilities(cat) {
        if let Some(v) = f["node"].as_u64() {
            g.add_edge(NodeIndex::new(n), NodeIndex::new(v as usize), 0.0);
        }
    }
    let d = dijkstra(&*g, NodeIndex::new(n), None, |e| *e.weight());
    (0..n).map(|v| d.get(&NodeIndex::new(v)).copied()).collect()
}

#[test]
fn access_equals_an_independent_dijkstra_over_the_exported_graph() {
    for (cat, cap_s) in [("kindergarten", 600.0), ("school", 1200.0), ("health", 1800.0)] {
        let (mut g, n) = exported_graph("walk_s");
        let d = from_facilities(&mut g, n, cat);
        let acc = access(cat);
        let mut checked = 0;
        for (v, a) in acc.iter().enumerate() {
            let want = d[v];
            match (a, want) {
                (Some(a), Some(w)) => {
                    assert!((a - w).abs() < 0.05, "{cat} node {v}: access {a} vs dijkstra {w}");
                    checked += 1;
                }
                (None, Some(w)) => {
                    assert!(w > cap_s - 0.05, "{cat} node {v}: empty but dijkstra {w}")
                }
                (Some(a), None) => panic!("{cat} node {v}: access {a} but unreachable"),
                (None, None) => {}
            }
        }
        assert!(checked > 10_000, "{cat}: only {checked} nodes compared");
    }
}

#[test]
fn a_node_1100_m_of_street_away_reads_about_1000_s() {
    // Street distance (length_m) from the health facilities (15-minute threshold, searched up to
    // 30 minutes), and walking time from access.csv.
    let (mut g, n) = exported_graph("length_m");
    let d = from_facilities(&mut g, n, "health");
    let acc = access("health");
    let mut times: Vec<f64> = d
        .iter()
        .enumerate()
        .filter(|(_, m)| m.is_some_and(|m| (1095.0..=1105.0).contains(&m)))
        .filter_map(|(v, _)| acc[v])
        .collect();
    assert!(times.len() > 20, "{} nodes at ~1.1 km", times.len());
    times.sort_by(f64::total_cmp);
    // At 1.1 m/s, 1,100 m take 1,000 s; steps only make it slower, never faster.
    assert!(times[0] >= 1095.0 / 1.1 - 1.0, "fastest {}", times[0]);
    let median = times[times.len() / 2];
    assert!((median - 1000.0).abs() <= 6.0, "median {median}");
}

#[test]
fn communities_cover_the_population_and_are_valid_geojson() {
    let c = read_json(&run().out.join("communities.geojson"));
    let s = read_json(&run().out.join("summary.json"));
    let feats = c["features"].as_array().unwrap();
    assert_eq!(feats.len() as u64, s["counts"]["communities"].as_u64().unwrap());
    let pop: f64 = feats.iter().map(|f| f["properties"]["population"].as_f64().unwrap()).sum();
    let total = s["counts"]["population"].as_f64().unwrap();
    assert!((pop - total).abs() < 1.0 * feats.len() as f64, "{pop} vs {total}");
    // Las Palmas has ~380,000 inhabitants; floor-area estimates must be of that order.
    assert!((150_000.0..1_000_000.0).contains(&total), "{total}");
    for f in feats {
        let p = &f["properties"];
        let src = p["population_source"].as_str().unwrap();
        assert!(src == "estimated" || src == "estimated_area", "{src}");
        for cat in ["school", "health", "sports"] {
            if let Some(sh) = p[format!("{cat}_covered_share")].as_f64() {
                assert!((0.0..=1.0).contains(&sh));
                assert_eq!(p[format!("{cat}_pass")].as_bool().unwrap(), sh >= 0.9 - 1e-9);
            }
        }
        // Outer rings counter-clockwise (RFC 7946).
        let g = &f["geometry"];
        let polys: Vec<&serde_json::Value> = if g["type"] == "Polygon" {
            vec![&g["coordinates"]]
        } else {
            g["coordinates"].as_array().unwrap().iter().collect()
        };
        for poly in polys {
            let ring: Vec<[f64; 2]> = serde_json::from_value(poly[0].clone()).unwrap();
            let a2: f64 = (0..ring.len())
                .map(|i| {
                    let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
                    a[0] * b[1] - b[0] * a[1]
                })
                .sum();
            assert!(a2 > 0.0);
        }
    }
}
