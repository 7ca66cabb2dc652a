//! A facility registry in GCJ-02 passed as WGS84 is detected against the street network; the same
//! table declared `crs=gcj02` lands on the streets and raises no warning. Runs on a synthetic street
//! grid in Longwan (Wenzhou), where OSM data is WGS84.

use circle15::analyze::{Config, run_on};
use circle15::io::coord_transform::wgs84_to_gcj02;
use circle15::osm::{Building, BuildingUse, NodeStore, OsmData, OsmFacility, OsmType, WalkWay, WayKind};
use circle15::profile::Profile;

/// A 25 × 25 street grid with 60 m blocks around 120.75°E, 27.95°N, and one house per block.
fn grid() -> OsmData {
    let (lon0, lat0): (f64, f64) = (120.75, 27.95);
    let (dlon, dlat) = (60.0 / (111_195.0 * lat0.to_radians().cos()), 60.0 / 111_195.0);
    let n = 25;
    let id = |i: usize, j: usize| (i * n + j + 1) as i64;
    let mut nodes = Vec::new();
    for i in 0..n {
        for j in 0..n {
            let (lon, lat) = (lon0 + j as f64 * dlon, lat0 + i as f64 * dlat);
            nodes.push((id(i, j), [(lon * 1e7).round() as i32, (lat * 1e7).round() as i32]));
        }
    }
    let mut ways = Vec::new();
    for i in 0..n {
        ways.push(WalkWay { osm_id: 1000 + i as i64, kind: WayKind::Flat, refs: (0..n).map(|j| id(i, j)).collect() });
        ways.push(WalkWay { osm_id: 2000 + i as i64, kind: WayKind::Flat, refs: (0..n).map(|j| id(j, i)).collect() });
    }
    let mut buildings = Vec::new();
    for i in 0..n - 1 {
        for j in 0..n - 1 {
            buildings.push(Building {
                osm_type: OsmType::Way,
                osm_id: 10_000 + (i * n + j) as i64,
                centroid: [lon0 + (j as f64 + 0.5) * dlon, lat0 + (i as f64 + 0.5) * dlat],
                footprint_m2: 400.0,
                levels: Some(6.0),
                usage: BuildingUse::Residential,
            });
        }
    }
    OsmData {
        nodes: NodeStore::from_sorted(nodes),
        walk_ways: ways,
        buildings,
        bbox: [lon0, lat0, lon0 + (n - 1) as f64 * dlon, lat0 + (n - 1) as f64 * dlat],
        ..Default::default()
    }
}

fn run_with_table(crs_column: &str) -> Vec<String> {
    let d = tempfile::tempdir().unwrap();
    // Five kindergartens at street intersections (WGS84 truth), written in GCJ-02.
    let mut csv = format!("category,name,lon,lat,capacity{}\n", if crs_column.is_empty() { "" } else { ",crs" });
    let g = grid();
    for (k, node) in [30i64, 140, 260, 400, 555].iter().enumerate() {
        let p = g.nodes.get(*node).unwrap();
        let (lon, lat) = wgs84_to_gcj02(p[0], p[1]);
        csv += &format!(
            "kindergarten,幼儿园{k},{lon:.7},{lat:.7},180{}\n",
            if crs_column.is_empty() { String::new() } else { format!(",{crs_column}") }
        );
    }
    let table = d.path().join("kg.csv");
    std::fs::write(&table, csv).unwrap();
    let profile = Profile::load("default", None).unwrap();
    // OSM maps three of the five kindergartens, at their true (WGS84) positions.
    let mut g = g;
    let kg = profile.category_index("kindergarten").unwrap() as u16;
    for (k, node) in [30i64, 140, 260].iter().enumerate() {
        g.facilities.push(OsmFacility {
            osm_type: OsmType::Node,
            osm_id: 90_000 + k as i64,
            name: format!("OSM 幼儿园{k}"),
            name_zh: String::new(),
            categories: vec![kg],
            capacity_tags: Vec::new(),
            public: None,
            point: g.nodes.get(*node).unwrap(),
            outline: Vec::new(),
            entrances: Vec::new(),
        });
    }
    let mut cfg = Config::new(Some(crate::common::shared("helsinki-centre.osm.pbf")), profile, d.path().join("out"));
    cfg.facilities = Some(table);
    let a = run_on(&cfg, &g, 0.0).unwrap();
    let k = a.profile.category_index("kindergarten").unwrap();
    assert_eq!(a.categories[k].facilities, 8);
    let used: Vec<f64> = a.facilities.iter().filter(|f| f.osm_type == "table").map(|f| f.snap_m).collect();
    if crs_column == "gcj02" {
        assert!(used.iter().all(|&m| m < 1.0), "converted facilities land on the streets: {used:?}");
    }
    a.warnings
}

#[test]
fn gcj02_table_declared_wgs84_is_detected() {
    let w = run_with_table("");
    assert!(w.iter().any(|w| w.contains("look like GCJ-02") && w.contains("crs=gcj02")), "{w:#?}");
}

#[test]
fn gcj02_table_declared_gcj02_is_converted_and_not_flagged() {
    let w = run_with_table("gcj02");
    assert!(!w.iter().any(|w| w.contains("GCJ-02")), "{w:#?}");
}
