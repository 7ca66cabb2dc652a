//! Site planning on Las Palmas: five kindergartens with non-increasing marginal gains, and a
//! re-run of `analyze` with those five added reproduces the coverage the plan reported.

mod common;

use common::*;

#[test]
fn five_kindergartens_then_rerun_reproduces_cumulative_coverage() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("plan");
    let mut cfg = config(Some(shared("las-palmas.osm.pbf")), "default", None, &out);
    cfg.export_graph = false;
    cfg.plans = vec![circle15::cli::plan_request(&cfg.profile, "kindergarten", 5, None, None).unwrap()];
    circle15::run_analyze(&cfg).unwrap();

    let sug = read_json(&out.join("suggestions.geojson"));
    let feats = sug["features"].as_array().unwrap();
    assert_eq!(feats.len(), 5);
    let gains: Vec<f64> = feats.iter().map(|f| f["properties"]["gain"].as_f64().unwrap()).collect();
    assert!(gains.windows(2).all(|w| w[0] >= w[1]), "gains not non-increasing: {gains:?}");
    assert!(gains[4] > 0.0);
    for (i, f) in feats.iter().enumerate() {
        assert_eq!(f["properties"]["rank"], i + 1);
        assert_eq!(f["properties"]["category"], "kindergarten");
        assert!(!f["properties"]["served_communities"].as_array().unwrap().is_empty());
    }
    let cumulative = feats[4]["properties"]["cumulative_covered_share"].as_f64().unwrap();
    let before = read_json(&out.join("summary.json"))["coverage"]["kindergarten"]["covered_share"].as_f64().unwrap();
    assert!(cumulative > before);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("Suggested sites") && md.contains("| before | after |"));

    // Re-run with the five sites added as facilities.
    let out2 = d.path().join("rerun");
    let mut cfg2 = config(Some(shared("las-palmas.osm.pbf")), "default", None, &out2);
    cfg2.export_graph = false;
    cfg2.add_facilities = feats
        .iter()
        .map(|f| circle15::analyze::AddedFacility {
            lon: f["geometry"]["coordinates"][0].as_f64().unwrap(),
            lat: f["geometry"]["coordinates"][1].as_f64().unwrap(),
            category: "kindergarten".into(),
            capacity: None,
        })
        .collect();
    circle15::run_analyze(&cfg2).unwrap();
    let s2 = read_json(&out2.join("summary.json"));
    let after = s2["coverage"]["kindergarten"]["covered_share"].as_f64().unwrap();
    assert_eq!(s2["coverage"]["kindergarten"]["facilities"], 23 + 5);
    assert!((after - cumulative).abs() < 1e-4, "re-run {after} vs plan {cumulative}");
    // The what-if report compares against the baseline.
    let md2 = std::fs::read_to_string(out2.join("report.md")).unwrap();
    assert!(md2.contains("Scenario vs baseline") && md2.contains("kindergarten"));
}

#[test]
fn removing_a_facility_is_a_scenario() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let mut cfg = config(Some(shared("las-palmas.osm.pbf")), "default", None, &out);
    cfg.export_graph = false;
    // C.E.I.P. Gran Canaria (node 1552686239), a school.
    cfg.remove_facilities = vec!["node/1552686239".into()];
    circle15::run_analyze(&cfg).unwrap();
    let s = read_json(&out.join("summary.json"));
    assert_eq!(s["coverage"]["school"]["facilities"], 162);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("Scenario vs baseline"));
    let mut bad = cfg.clone();
    bad.remove_facilities = vec!["node/1".into()];
    let e = circle15::run_analyze(&bad).unwrap_err().to_string();
    assert!(e.contains("node/1") && e.contains("no such facility"), "{e}");
}
