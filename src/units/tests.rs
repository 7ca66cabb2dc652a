//! Aggregation, presence and output on a synthetic analysis, and aggregation on a real city.

use super::testutil::{rect, unit};
use super::*;
use crate::analyze::{Analysis, CategorySummary, CommunityCategory, Facility};
use crate::community::{Community, CommunityOrigin, DemandPoint, PopulationSource};
use crate::graph::{NodeId, WalkGraph};
use crate::profile::{Presence, PresenceMode, Profile};
use crate::report::units_geojson::units_geojson;
use crate::route::nearest;
use crate::score::CoverageStats;

/// A facility of one category at street node `node` (lon = 0.0005 + 0.001 × node).
fn facility(p: &Profile, name: &str, cat: &str, node: u32) -> Facility {
    Facility {
        osm_type: "node",
        osm_id: node as i64,
        name: name.into(),
        categories: vec![crate::model::CategoryId::from_index(p.category_index(cat).unwrap())],
        capacity: vec![None],
        public: None,
        point: [0.0005 + 0.001 * node as f64, 0.005],
        node: Some(node),
        snap_m: 0.0,
    }
}

fn community(name: &str, poly: Vec<Vec<[f64; 2]>>, population: f64) -> Community {
    Community {
        id: name.into(),
        name: name.into(),
        polygons: vec![poly],
        population: Some(population),
        source: PopulationSource::Given,
        age_groups: Vec::new(),
    }
}

/// A street of 20 nodes along lat 0.005, lon 0.0005 … 0.0195, one minute (600 ds) apart; demand
/// points sit on street nodes. Times to the nearest facility per category, capped as the pipeline
/// caps them. Community figures are left at their defaults.
fn street_analysis(p: Profile, facilities: Vec<Facility>, demand: Vec<(u32, f64)>) -> Analysis {
    let n = 20u32;
    let lon_lat: Vec<[f64; 2]> = (0..n).map(|i| [0.0005 + 0.001 * i as f64, 0.005]).collect();
    let edges: Vec<(u32, u32, u32)> = (0..n - 1).map(|i| (i, i + 1, 600)).collect();
    let graph = WalkGraph::from_undirected(lon_lat.clone(), vec![1; n as usize], n, &edges);
    let times_ds = p
        .categories
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let src: Vec<(NodeId, u32)> = facilities
                .iter()
                .filter(|f| f.serves(crate::model::CategoryId::from_index(k)))
                .filter_map(|f| f.node.map(|v| (NodeId(v), 0)))
                .collect();
            nearest(&graph, &src, p.cap_ds(c)).0
        })
        .collect();
    let communities = vec![community("all", rect(0.0, 0.0, 0.02, 0.01), 0.0)];
    let demand_points: Vec<DemandPoint> = demand
        .iter()
        .map(|&(v, pop)| DemandPoint { community: 0, point: lon_lat[v as usize], population: pop })
        .collect();
    let ncat = p.categories.len();
    Analysis {
        units: Vec::new(),
        area_measures: Vec::new(),
        facility_share_counts: Vec::new(),
        halo: None,
        land_cover: Vec::new(),
        input_label: "synthetic".into(),
        osm_stats: Default::default(),
        graph,
        walkable_km: 0.0,
        facilities,
        community_origin: CommunityOrigin::File,
        demand_node: demand.iter().map(|&(v, _)| Some(v)).collect(),
        weights: vec![demand.iter().map(|x| x.1).collect(); ncat],
        access: vec![None; ncat],
        times_ds,
        per_community: vec![vec![CommunityCategory::default(); ncat]],
        community_score: vec![None],
        categories: vec![CategorySummary::default(); ncat],
        overall_score: None,
        stages_ms: Vec::new(),
        warnings: Vec::new(),
        demand_unattached: 0,
        unattached_population: vec![0.0],
        island_population: vec![0.0],
        island_nodes: 0,
        communities,
        demand: demand_points,
        profile: p,
    }
}

fn indicator(
    p: &Profile,
    id: &str,
    cat: &str,
    names: &[&str],
    all: bool,
    levels: &[&str],
    mode: PresenceMode,
) -> Presence {
    Presence {
        id: id.into(),
        label_zh: String::new(),
        label_en: String::new(),
        category: p.category_index(cat).unwrap(),
        names: names.iter().map(|s| s.to_string()).collect(),
        all_names: all,
        levels: levels.iter().map(|s| s.to_string()).collect(),
        min_share: 0.5,
        mode,
        source: String::new(),
        status: crate::profile::TargetStatus::InForce,
    }
}

/// Four 街道 side by side (x = 0–5, 5–10, 10–15, 15–20 thousandths of a degree), a 区 over all,
/// and a 社区 far away without residents.
fn four_streets() -> Vec<Unit> {
    vec![
        unit("s0", "街道", vec![rect(0.0, 0.0, 0.005, 0.01)]),
        unit("s1", "街道", vec![rect(0.005, 0.0, 0.01, 0.01)]),
        unit("s2", "镇", vec![rect(0.01, 0.0, 0.015, 0.01)]),
        unit("s3", "街道", vec![rect(0.015, 0.0, 0.02, 0.01)]),
        unit("district", "区", vec![rect(0.0, 0.0, 0.02, 0.01)]),
        unit("empty", "社区", vec![rect(0.05, 0.0, 0.06, 0.01)]),
    ]
}

fn setup() -> Analysis {
    let p = Profile::load("zhejiang-2027", None).unwrap();
    let fs = vec![
        facility(&p, "海曙老年学校", "learning", 1), // in s0
        facility(&p, "某社区学校", "learning", 11),  // in s2, not an elderly school
        facility(&p, "城西体育场", "sports", 16),    // in s3
        facility(&p, "城西体育馆", "sports", 17),    // in s3
        facility(&p, "城南游泳馆", "sports", 12),    // in s2
    ];
    // One resident point per 街道/镇: nodes 2, 7, 12, 17.
    street_analysis(p, fs, vec![(2, 100.0), (7, 100.0), (12, 100.0), (17, 100.0)])
}

#[test]
fn presence_contains_counts_facilities_inside_each_unit() {
    let a = setup();
    let units = four_streets();
    let p = &a.profile;
    let towns = ["街道", "镇", "乡"];
    let inds = vec![
        indicator(p, "school", "learning", &["老年学校"], false, &towns, PresenceMode::Contains),
        indicator(p, "any_learning", "learning", &[], false, &towns, PresenceMode::Contains),
        indicator(p, "halls", "sports", &["体育场", "体育馆", "游泳馆"], true, &towns, PresenceMode::Contains),
        indicator(
            p,
            "halls_district",
            "sports",
            &["体育场", "体育馆", "游泳馆"],
            true,
            &["区"],
            PresenceMode::Contains,
        ),
        indicator(p, "village", "learning", &[], false, &["村"], PresenceMode::Contains),
    ];
    let r = evaluate_presence(&a, &units, &inds);
    assert_eq!(r[0].units, vec![0, 1, 2, 3]);
    assert_eq!((r[0].passing.clone(), r[0].failing.clone()), (vec![0], vec![1, 2, 3]));
    assert_eq!((r[0].share, r[0].pass), (Some(0.25), Some(false)));
    assert_eq!(r[1].passing, vec![0, 2]);
    assert_eq!((r[1].share, r[1].pass), (Some(0.5), Some(true)));
    // s3 has a 体育场 and a 体育馆 but no 游泳馆; s2 only the 游泳馆.
    assert!(r[2].passing.is_empty());
    assert_eq!((r[3].passing.clone(), r[3].pass), (vec![4], Some(true)));
    assert_eq!((r[4].units.len(), r[4].share, r[4].pass), (0, None, None));
    assert_eq!(r[0].unit_pass(0), Some(true));
    assert_eq!(r[0].unit_pass(1), Some(false));
    assert_eq!(r[0].unit_pass(4), None);
}

/// A target its source states only for a later year (e.g. 康养联合体 by 2027 in a 2025 run) is
/// measured and shown, but neither passes nor fails; a carried-forward one is evaluated.
#[test]
fn presence_due_later_is_shown_not_judged() {
    use crate::profile::TargetStatus;
    let a = setup();
    let units = four_streets();
    let p = &a.profile;
    let towns = ["街道", "镇", "乡"];
    let mut due = indicator(p, "due", "learning", &[], false, &towns, PresenceMode::Contains);
    due.status = TargetStatus::DueIn(2027);
    let mut carried = due.clone();
    carried.status = TargetStatus::CarriedForward(2024);
    let r = evaluate_presence(&a, &units, &[due, carried]);
    assert_eq!((r[0].share, r[0].pass), (Some(0.5), None));
    assert_eq!((r[1].share, r[1].pass), (Some(0.5), Some(true)));
}

#[test]
fn presence_within_uses_walking_times_from_residents() {
    let a = setup();
    let units = four_streets();
    let p = &a.profile;
    let within = |m: f64| PresenceMode::Within { minutes: m };
    let towns = ["街道", "镇"];
    let inds = vec![
        // Elderly school at node 1: residents at nodes 2 (1 min), 7 (6 min), 12 (11), 17 (16).
        indicator(p, "school3", "learning", &["老年学校"], false, &towns, within(3.0)),
        indicator(p, "school6", "learning", &["老年学校"], false, &towns, within(6.0)),
        // Any learning facility (nodes 1, 11), from the analysis' own times: 1, 4, 1, 6 min.
        indicator(p, "any3", "learning", &[], false, &towns, within(3.0)),
        indicator(p, "any4", "learning", &[], false, &towns, within(4.0)),
        // Beyond the search cap (learning: 15 min × 2): a search of its own; the farthest is 16 min.
        indicator(p, "any40", "learning", &[], false, &towns, within(40.0)),
        // All three halls within 5 min of some resident: pool at 12, field 16, hall 17.
        indicator(p, "halls5", "sports", &["体育场", "体育馆", "游泳馆"], true, &towns, within(5.0)),
        // A 社区 without residents: judged by containment (no facility there).
        indicator(p, "empty", "learning", &[], false, &["社区"], within(10.0)),
    ];
    let r = evaluate_presence(&a, &units, &inds);
    assert_eq!(r[0].passing, vec![0]);
    assert_eq!(r[1].passing, vec![0, 1]);
    assert_eq!(r[2].passing, vec![0, 2]);
    assert_eq!(r[3].passing, vec![0, 1, 2]);
    assert_eq!(r[4].passing, vec![0, 1, 2, 3]);
    // Resident at 12: pool 0, field 4, hall 5 → passes; at 17: pool 5, field 1, hall 0 → passes;
    // at 7: pool 5, field 9 → fails.
    assert_eq!(r[5].passing, vec![2, 3]);
    assert_eq!((r[6].no_residents.clone(), r[6].passing.len(), r[6].pass), (vec![5], 0, Some(false)));
}

#[test]
fn zhejiang_2027_presence_indicators_carry_the_seed_values() {
    let p = Profile::load("zhejiang-2027", None).unwrap();
    let get = |id: &str| p.presence.iter().find(|x| x.id == id).unwrap_or_else(|| panic!("{id}"));
    let cat = |x: &Presence| p.categories[x.category].id.clone();
    let towns = vec!["街道".to_string(), "镇".into(), "乡".into()];
    let school = get("elderly_school_town");
    assert_eq!((cat(school).as_str(), school.min_share, &school.levels), ("learning", 1.0, &towns));
    assert!(school.names.contains(&"老年学校".to_string()) && school.source.contains("序号6"));
    let class = get("elderly_class_village");
    assert_eq!((cat(class).as_str(), class.min_share), ("learning", 0.3));
    assert_eq!(class.levels, vec!["社区".to_string(), "村".into()]);
    assert_eq!(class.names, vec!["老年学堂".to_string()]);
    assert!(class.source.contains("000_8ed796a6c9fbd30b") && class.source.contains("30%"));
    let home = get("disability_home_town");
    assert_eq!((cat(home).as_str(), home.min_share, &home.levels), ("disability", 1.0, &towns));
    assert!(home.source.contains("序号21") && home.source.contains("004_884a96158c1703ec"));
    let station = get("labour_station_subdistrict");
    // Counted by labour-relations stations only, not by any employment facility (issue 14).
    assert_eq!((cat(station).as_str(), station.min_share), ("labour_relations", 0.8));
    assert_eq!(station.levels, vec!["街道".to_string()]);
    assert!(station.source.contains("80%"));
    let halls = get("sports_one_field_two_halls");
    assert_eq!((cat(halls).as_str(), halls.all_names, halls.min_share), ("sports", true, 1.0));
    assert_eq!(halls.names, vec!["体育场".to_string(), "体育馆".into(), "游泳馆".into()]);
    let village = get("sports_village");
    assert_eq!((cat(village).as_str(), village.min_share, village.levels.clone()), ("sports", 1.0, vec!["村".into()]));
    assert!(p.presence.iter().all(|x| x.mode == PresenceMode::Contains && !x.source.is_empty()));
    // The other built-in profiles have none.
    assert!(Profile::load("default", None).unwrap().presence.is_empty());
}

#[test]
fn presence_validation_names_the_key() {
    let base = crate::profile::BUILTIN.iter().find(|(n, _)| *n == "default").unwrap().1;
    let with = |table: &str| Profile::parse(&format!("{base}\n[[presence]]\n{table}\n"), "x.toml", None);
    let ok = "id = \"p\"\ncategory = \"health\"\nlevel = [\"街道\"]\nmin_share = 1.0\nmode = \"within\"\nminutes = 15";
    let p = with(ok).unwrap();
    assert_eq!(p.presence[0].mode, PresenceMode::Within { minutes: 15.0 });
    let cases = [
        (ok.replace("\"health\"", "\"hospital\""), "key `category` = \"hospital\": unknown category"),
        (ok.replace("[\"街道\"]", "[]"), "key `level`: must list at least one"),
        (ok.replace("[\"街道\"]", "[\"街道\", \" \"]"), "key `level`: empty level name"),
        (ok.replace("[\"街道\"]", "[\"村\", \"村\"]"), "listed twice"),
        (ok.replace("min_share = 1.0", "min_share = 1.5"), "min_share` = 1.5: must be between 0 and 1"),
        (ok.replace("minutes = 15", ""), "key `minutes`: required with mode = \"within\""),
        (ok.replace("\"within\"", "\"contains\""), "key `minutes`: only applies to mode = \"within\""),
        (ok.replace("\"within\"", "\"near\""), "key `mode` = \"near\""),
        (ok.replace("id = \"p\"", "id = \"P-1\""), "key `id`: must be ASCII snake_case"),
        (format!("{ok}\nall_names = true"), "key `all_names`"),
        (format!("{ok}\ncolour = 1"), "colour"),
    ];
    for (table, want) in cases {
        let e = with(&table).unwrap_err().to_string();
        assert!(e.contains("x.toml") && e.contains(want), "{e}\n  wanted: {want}");
    }
    let twice = Profile::parse(&format!("{base}\n[[presence]]\n{ok}\n[[presence]]\n{ok}\n"), "x.toml", None);
    assert!(twice.unwrap_err().to_string().contains("duplicate presence id"));
}

/// Two communities with hand-set figures; one unit holds half of c0 and all of c1.
#[test]
fn aggregate_weights_figures_by_share() {
    let mut a = setup();
    let k = a.profile.category_index("childcare").unwrap();
    let ncat = a.profile.categories.len();
    a.communities =
        vec![community("c0", rect(0.0, 0.0, 0.01, 0.01), 1000.0), community("c1", rect(0.01, 0.0, 0.02, 0.01), 3000.0)];
    let fig = |demand: f64, covered: f64, acc: f64, score: f64| CommunityCategory {
        stats: CoverageStats { demand, covered, covered_share: Some(covered / demand), ..Default::default() },
        accessible_capacity: Some(acc),
        score: Some(score),
        ..Default::default()
    };
    a.per_community = vec![vec![CommunityCategory::default(); ncat]; 2];
    a.per_community[0][k] = fig(20.0, 10.0, 2.0, 40.0);
    a.per_community[1][k] = fig(60.0, 54.0, 12.0, 80.0);
    a.community_score = vec![Some(50.0), Some(70.0)];
    let units = vec![unit("u", "街道", vec![rect(0.005, 0.0, 0.02, 0.01)])];
    let nesting = vec![vec![(0, 0.5)], vec![(0, 1.0)]];
    let f = &aggregate(&a, &nesting, &units)[0];
    assert_eq!((f.population, f.communities), (3500.0, 2));
    let c = &f.categories[k];
    assert_eq!((c.demand, c.covered), (70.0, 59.0));
    assert!((c.covered_share.unwrap() - 59.0 / 70.0).abs() < 1e-12);
    assert_eq!(c.accessible_capacity, Some(13.0));
    // Childcare's quota is per 1,000 residents of all ages: 1000 × 13 / 3500.
    assert!((c.per_1000.unwrap() - 13000.0 / 3500.0).abs() < 1e-12);
    assert_eq!(c.quota_pass, Some(false)); // 3.71 < 5.5
    assert!((c.capacity_shortfall.unwrap() - (5.5 * 3.5 - 13.0)).abs() < 1e-9);
    assert!((c.score.unwrap() - (500.0 * 40.0 + 3000.0 * 80.0) / 3500.0).abs() < 1e-9);
    assert!((f.score.unwrap() - (500.0 * 50.0 + 3000.0 * 70.0) / 3500.0).abs() < 1e-9);
    // Nesting from polygons gives the same shares.
    let n = nest(&a.communities, &units);
    assert!((n[0][0].1 - 0.5).abs() < 1e-6 && n[1] == vec![(0, 1.0)], "{n:?}");
}

#[test]
fn units_geojson_carries_figures_and_presence() {
    let a = setup();
    let units = four_streets();
    let nesting = nest(&a.communities, &units);
    let figures = aggregate(&a, &nesting, &units);
    let p = &a.profile;
    let inds = vec![indicator(p, "school", "learning", &["老年学校"], false, &["街道", "镇"], PresenceMode::Contains)];
    let presence = evaluate_presence(&a, &units, &inds);
    let doc: serde_json::Value = serde_json::from_slice(&units_geojson(&a, &units, &figures, &presence)).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    let fs = doc["features"].as_array().unwrap();
    assert_eq!(fs.len(), 6);
    assert_eq!(fs[0]["properties"]["name"], "s0");
    assert_eq!(fs[0]["properties"]["level"], "街道");
    assert_eq!(fs[0]["properties"]["presence_school"], true);
    assert_eq!(fs[1]["properties"]["presence_school"], false);
    assert!(fs[4]["properties"].get("presence_school").is_none());
    assert!(fs[0]["properties"].get("childcare_per_1000").is_some());
    assert_eq!(fs[0]["geometry"]["type"], "Polygon");
    assert_eq!(doc["presence"][0]["failing"], serde_json::json!(["s1", "s2", "s3"]));
    assert_eq!(doc["presence"][0]["share"], 0.25);
}

/// Las Palmas: a unit around everything holds every community whole, so its figures are the
/// area-wide ones; the municipality boundary (level 区, added to a copy of the file) nests the
/// communities with shares in 0..=1.
#[test]
fn las_palmas_single_unit_equals_area_wide_figures() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let pbf = data.join("las-palmas.osm.pbf");
    assert!(pbf.exists(), "test data {} is missing: CI places ../shared beside the clone", pbf.display());
    let dir = tempfile::tempdir().unwrap();
    let mut boundary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("las-palmas-boundary.geojson")).unwrap()).unwrap();
    for f in boundary["features"].as_array_mut().unwrap() {
        f["properties"]["name"] = serde_json::json!("Las Palmas de Gran Canaria");
        f["properties"]["level"] = serde_json::json!("区");
    }
    let path = dir.path().join("units.geojson");
    std::fs::write(&path, serde_json::to_vec(&boundary).unwrap()).unwrap();
    let mut units = read_units(&path).unwrap();
    assert_eq!(units.len(), 1);

    let cfg = crate::analyze::Config::new(Some(pbf), Profile::load("default", None).unwrap(), dir.path().join("out"));
    let a = crate::analyze::run(&cfg).unwrap();
    let b = crate::geom::bbox::of_boxes(&a.communities.iter().map(|c| c.bbox()).collect::<Vec<_>>());
    units.push(unit("everything", "市", vec![rect(b[0] - 0.01, b[1] - 0.01, b[2] + 0.01, b[3] + 0.01)]));

    let nesting = nest(&a.communities, &units);
    let figures = aggregate(&a, &nesting, &units);
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0);
    // The unit around everything.
    assert!(nesting.iter().all(|row| row.iter().any(|&(u, s)| u == 1 && s == 1.0)));
    let all = &figures[1];
    let total: f64 = a.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();
    assert!(close(all.population, total), "{} vs {total}", all.population);
    assert_eq!(all.communities, a.communities.len());
    for (k, cat) in a.profile.categories.iter().enumerate() {
        let (u, s) = (&all.categories[k], &a.categories[k]);
        assert!(close(u.demand, s.stats.demand), "{}: demand {} vs {}", cat.id, u.demand, s.stats.demand);
        assert!(close(u.covered, s.stats.covered), "{}", cat.id);
        match (u.covered_share, s.stats.covered_share) {
            (Some(x), Some(y)) => assert!((x - y).abs() <= 1e-9, "{}: {x} vs {y}", cat.id),
            (x, y) => assert_eq!(x, y, "{}", cat.id),
        }
        match (u.per_1000, s.per_1000) {
            (Some(x), Some(y)) => assert!(close(x, y), "{}: per_1000 {x} vs {y}", cat.id),
            (x, y) => assert_eq!(x, y, "{}", cat.id),
        }
        assert!(close(u.unserved, s.unserved), "{}", cat.id);
        assert_eq!(u.quota_pass, s.quota_pass, "{}", cat.id);
        assert_eq!(u.pass, s.pass, "{}", cat.id);
    }
    // The municipality: shares in 0..=1, most communities whole, its population at most the total.
    let inside: Vec<f64> = nesting.iter().map(|row| row.iter().find(|x| x.0 == 0).map_or(0.0, |x| x.1)).collect();
    assert!(inside.iter().all(|s| (0.0..=1.0).contains(s)));
    // 500 m grid cells here: most lie whole inside, some beyond the municipality or the coast.
    let whole = inside.iter().filter(|&&s| s == 1.0).count();
    assert!(whole * 2 >= a.communities.len(), "{whole} of {} communities whole", a.communities.len());
    // Partial shares checked against a 200 × 200 point sample of each community's box.
    let partial: Vec<usize> = (0..inside.len()).filter(|&c| inside[c] > 0.05 && inside[c] < 0.95).take(8).collect();
    assert!(!partial.is_empty());
    for c in partial {
        let com = &a.communities[c];
        let b = com.bbox();
        let (mut n_in, mut n_both) = (0usize, 0usize);
        for i in 0..200 {
            for j in 0..200 {
                let p =
                    [b[0] + (b[2] - b[0]) * (i as f64 + 0.5) / 200.0, b[1] + (b[3] - b[1]) * (j as f64 + 0.5) / 200.0];
                if com.contains(p) {
                    n_in += 1;
                    n_both += usize::from(units[0].contains(p));
                }
            }
        }
        let sampled = n_both as f64 / n_in as f64;
        assert!((sampled - inside[c]).abs() < 0.01, "community {c}: overlay {} vs sampled {sampled}", inside[c]);
    }
    let muni = &figures[0];
    let expect: f64 = a.communities.iter().zip(&inside).map(|(c, s)| s * c.population.unwrap_or(0.0)).sum();
    assert!(close(muni.population, expect) && muni.population <= total + 1e-6);
    // By residents: the same whole-unit identity.
    let by_res = nest_by_residents(&a.communities, &a.demand, &units);
    let all_r = &aggregate(&a, &by_res, &units)[1];
    assert!(close(all_r.population, total));
    let out = units_geojson(&a, &units, &figures, &[]);
    assert!(out.len() > 1000);
}
