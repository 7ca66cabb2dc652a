//! Where residents and facilities sit on the network (issue 12, item 3), on a synthetic city: a
//! mainland street grid, a river island 1 km east of it with its own few streets, houses and
//! school, and a riverbank house 460 m from any street. Island residents reach the island's
//! school; nobody is joined across the water by a long straight connector; the riverbank
//! residents are reported per community; access.csv marks the island's rows.

use circle15::analyze::{Analysis, Config, run_on};
use circle15::osm::{Building, BuildingUse, NodeStore, OsmData, OsmFacility, OsmType, WalkWay, WayKind};
use circle15::profile::Profile;

const LON0: f64 = -15.45;
const LAT0: f64 = 28.1;

/// `[lon, lat]` of a point `x` m east and `y` m north of the origin.
fn at(x: f64, y: f64) -> [f64; 2] {
    [LON0 + x / (111_195.0 * LAT0.to_radians().cos()), LAT0 + y / 111_195.0]
}

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
    vec![at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]
}

/// A street grid of `n × n` nodes, 60 m apart, from `(x0, y0)`; node ids from `id0`.
fn grid(x0: f64, y0: f64, n: usize, id0: i64, nodes: &mut Vec<(i64, [i32; 2])>, ways: &mut Vec<WalkWay>) {
    let id = |i: usize, j: usize| id0 + (i * n + j) as i64;
    for i in 0..n {
        for j in 0..n {
            let p = at(x0 + j as f64 * 60.0, y0 + i as f64 * 60.0);
            nodes.push((id(i, j), [(p[0] * 1e7).round() as i32, (p[1] * 1e7).round() as i32]));
        }
    }
    for i in 0..n {
        let w = id0 + 2 * i as i64;
        ways.push(WalkWay { osm_id: w, kind: WayKind::Flat, refs: (0..n).map(|j| id(i, j)).collect() });
        ways.push(WalkWay { osm_id: w + 1, kind: WayKind::Flat, refs: (0..n).map(|j| id(j, i)).collect() });
    }
}

fn house(id: i64, x: f64, y: f64) -> Building {
    Building {
        osm_type: OsmType::Way,
        osm_id: id,
        centroid: at(x, y),
        footprint_m2: 200.0,
        levels: Some(3.0),
        usage: BuildingUse::Residential,
    }
}

/// Mainland: 20 × 20 streets over 0..1140 m. Island: 3 × 3 streets over x 2140..2260 m,
/// y 500..620 m (9 nodes: a minor component), its school 60 m south of its streets (1,040 m from
/// the mainland). Riverbank house at (1600, 600): 460 m from the mainland, 540 m from the island.
fn city() -> OsmData {
    let (mut nodes, mut ways) = (Vec::new(), Vec::new());
    grid(0.0, 0.0, 20, 1, &mut nodes, &mut ways);
    grid(2140.0, 500.0, 3, 10_000, &mut nodes, &mut ways);
    let mut buildings = Vec::new();
    for i in 0..19 {
        for j in 0..19 {
            buildings.push(house(100_000 + (i * 19 + j) as i64, 30.0 + 60.0 * j as f64, 30.0 + 60.0 * i as f64));
        }
    }
    for (k, (x, y)) in [(2170.0, 530.0), (2230.0, 530.0), (2170.0, 590.0), (2230.0, 590.0)].iter().enumerate() {
        buildings.push(house(200_000 + k as i64, *x, *y));
    }
    buildings.push(house(300_000, 1600.0, 600.0));
    let profile = Profile::load("default", None).unwrap();
    let school = profile.category_index("school").unwrap() as u16;
    let facilities = vec![OsmFacility {
        osm_type: OsmType::Way,
        osm_id: 500,
        name: "Island school".into(),
        name_zh: String::new(),
        categories: vec![school],
        capacity_tags: Vec::new(),
        public: None,
        point: at(2200.0, 425.0),
        outline: square(2180.0, 410.0, 2220.0, 440.0),
        entrances: Vec::new(),
    }];
    let (lo, hi) = (at(0.0, 0.0), at(2260.0, 1140.0));
    OsmData {
        nodes: NodeStore::from_sorted(nodes),
        walk_ways: ways,
        buildings,
        facilities,
        bbox: [lo[0], lo[1], hi[0], hi[1]],
        ..Default::default()
    }
}

fn communities_file(dir: &std::path::Path) -> std::path::PathBuf {
    let feature = |name: &str, pop: f64, ring: Vec<[f64; 2]>| {
        serde_json::json!({"type": "Feature", "properties": {"name": name, "population": pop},
            "geometry": {"type": "Polygon", "coordinates": [ring]}})
    };
    let fc = serde_json::json!({"type": "FeatureCollection", "features": [
        feature("Mainland", 5000.0, square(-20.0, -20.0, 1160.0, 1160.0)),
        feature("Island", 400.0, square(2100.0, 380.0, 2300.0, 660.0)),
        feature("Riverbank", 120.0, square(1500.0, 500.0, 1700.0, 700.0)),
    ]});
    let p = dir.join("communities.geojson");
    std::fs::write(&p, serde_json::to_vec(&fc).unwrap()).unwrap();
    p
}

fn analyse() -> Analysis {
    let d = tempfile::tempdir().unwrap();
    let mut cfg = Config::new(
        Some(crate::common::shared("helsinki-centre.osm.pbf")),
        Profile::load("default", None).unwrap(),
        d.path().join("out"),
    );
    cfg.communities = Some(communities_file(d.path()));
    run_on(&cfg, &city(), 0.0).unwrap()
}

fn community(a: &Analysis, name: &str) -> usize {
    a.communities.iter().position(|c| c.name == name).unwrap()
}

#[test]
fn island_residents_reach_the_island_school_and_nobody_crosses_the_water() {
    let a = analyse();
    let k = a.profile.category_index("school").unwrap();
    // The school joins the island's street, 60 m away (old: dropped, "1040 m from any walkable way").
    let school = &a.facilities[0];
    assert!(school.node.is_some(), "the island school is attached: {school:?}");
    assert!((school.snap_m - 60.0).abs() < 1.0, "true distance to the island street: {}", school.snap_m);
    assert!(!a.warnings.iter().any(|w| w.contains("from any walkable way and were not used")), "{:?}", a.warnings);
    // Island residents are on the island's network and within 10 minutes of their school.
    let (island, main) = (community(&a, "Island"), community(&a, "Mainland"));
    let f = &a.per_community[island][k];
    assert_eq!(f.stats.covered_share, Some(1.0), "island coverage {f:?}");
    assert!((a.island_population[island] - 400.0).abs() < 1e-6, "{:?}", a.island_population);
    // Mainland residents do not reach it (no bridge), and none of them sits on the island.
    assert_eq!(a.per_community[main][k].stats.covered_share, Some(0.0));
    assert_eq!(a.island_population[main], 0.0);
    // No connector is longer than the snap limit (300 m at 1.1 m/s = 2727 ds).
    let g = &a.graph;
    let max_ds = (300.0 / a.profile.walk.speed_mps * 10.0_f64).round() as u32;
    for v in g.first_point_node..g.node_count() as u32 {
        for (_, w) in g.edges(v) {
            assert!(w <= max_ds, "connector of node {v}: {w} ds");
        }
    }
}

#[test]
fn residents_beyond_the_snap_limit_are_reported_by_community() {
    let a = analyse();
    let rb = community(&a, "Riverbank");
    assert_eq!(a.demand_unattached, 1);
    assert!((a.unattached_population[rb] - 120.0).abs() < 1e-6, "{:?}", a.unattached_population);
    assert_eq!(a.unattached_population.iter().sum::<f64>(), a.unattached_population[rb]);
    // They count as unserved, in every category.
    let k = a.profile.category_index("school").unwrap();
    assert_eq!(a.per_community[rb][k].stats.covered_share, Some(0.0));
    // The warning names the community, its residents and the true distance to the nearest street.
    let w = a.warnings.iter().find(|w| w.contains("demand_snap_limit_m")).expect("a warning");
    assert!(w.contains("Riverbank (120 residents, 1 points, nearest street 460 m)"), "{w}");
    // communities.geojson and summary.json carry it.
    let cj: serde_json::Value = serde_json::from_slice(&circle15::report::geojson_out::communities(&a)).unwrap();
    let props = |name: &str| {
        cj["features"].as_array().unwrap().iter().find(|f| f["properties"]["name"] == name).unwrap()["properties"]
            .clone()
    };
    assert_eq!(props("Riverbank")["unattached_population"], 120.0);
    assert_eq!(props("Island")["unattached_population"], 0.0);
    let s: serde_json::Value = serde_json::from_slice(&circle15::report::summary::summary_json(&a, &[])).unwrap();
    assert_eq!(s["counts"]["unattached_population"], 120.0);
}

#[test]
fn access_csv_marks_the_rows_of_disconnected_fragments() {
    let a = analyse();
    let text = String::from_utf8(circle15::report::csv_out::access(&a)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"main_network"));
    let school = header.iter().position(|h| *h == "school_s").unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), a.graph.node_count());
    // Island street nodes (x ≥ 2100 m): main_network 0, and they reach their school.
    let east = at(2100.0, 0.0)[0];
    let mut island_rows = 0;
    for (v, r) in rows.iter().enumerate() {
        let on_island = a.graph.lon_lat[v][0] >= east;
        assert_eq!(r.last().copied(), Some(if on_island { "0" } else { "1" }), "row {v}: {r:?}");
        if on_island {
            island_rows += 1;
            assert!(!r[school].is_empty(), "island row {v} reaches the island school");
        } else {
            assert!(r[school].is_empty(), "mainland row {v} has no school within the cap");
        }
    }
    // 9 street nodes, their split nodes, 4 houses and the school.
    assert!(island_rows >= 14, "{island_rows}");
}

/// A hexagon of 3,000 residents whose only mapped building is a 600 m² bus terminal tagged
/// `building=yes` (unknown use): its 1,800 m² of floor house 51 residents, 1.7 % — the rest go on
/// area samples, with a warning (old: all 3,000 on the terminal, coverage all-or-nothing).
#[test]
fn a_hexagon_with_one_stray_building_is_not_put_on_it() {
    let d = tempfile::tempdir().unwrap();
    let (cx, cy, r) = (570.0, 570.0, 300.0);
    let mut osm = city();
    osm.buildings.retain(|b| {
        let (p, c) = (b.centroid, at(cx, cy));
        let m = circle15::geom::haversine_m(p, c);
        m > r + 50.0
    });
    let terminal = at(cx, cy);
    osm.buildings.push(Building {
        osm_type: OsmType::Way,
        osm_id: 400_000,
        centroid: terminal,
        footprint_m2: 600.0,
        levels: None,
        usage: BuildingUse::Unknown,
    });
    let ring: Vec<[f64; 2]> = (0..=6)
        .map(|k| {
            let a = (k % 6) as f64 * std::f64::consts::PI / 3.0;
            at(cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    let fc = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Hexagon", "population": 3000.0},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]});
    let p = d.path().join("hex.geojson");
    std::fs::write(&p, serde_json::to_vec(&fc).unwrap()).unwrap();
    let mut cfg = Config::new(
        Some(crate::common::shared("helsinki-centre.osm.pbf")),
        Profile::load("default", None).unwrap(),
        d.path().join("out"),
    );
    cfg.communities = Some(p);
    let a = run_on(&cfg, &osm, 0.0).unwrap();
    let on_terminal: f64 = a.demand.iter().filter(|x| x.point == terminal).map(|x| x.population).sum();
    assert!((on_terminal - 1800.0 / 35.0).abs() < 1e-6, "{on_terminal}");
    assert!(a.demand.len() > 50, "area samples carry the rest: {}", a.demand.len());
    let w = a.warnings.iter().find(|w| w.contains("min_building_share")).expect("a warning");
    assert!(w.contains("Hexagon (1.7% housed)"), "{w}");
}
