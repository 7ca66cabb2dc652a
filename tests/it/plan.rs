//! Site planning on Las Palmas: five kindergartens with non-increasing marginal gains, and a
//! re-run of `analyze` with those five added reproduces the coverage the plan reported.

use crate::common::*;

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

/// The default profile with a kindergarten quota: 30 places per 1,000 residents of all ages.
fn kindergarten_quota_profile() -> circle15::profile::Profile {
    let raw = circle15::profile::Profile::load("default", None).unwrap().raw;
    let anchor = "default_capacity = 270";
    assert!(raw.contains(anchor));
    let text = raw.replacen(anchor, &format!("{anchor}\nquota_per_1000 = 30"), 1);
    circle15::profile::Profile::parse(&text, "default + kindergarten quota", None).unwrap()
}

#[test]
fn sfca_plan_then_rerun_reproduces_per_1000_and_shortfall() {
    let d = tempfile::tempdir().unwrap();
    let profile = kindergarten_quota_profile();
    let mut cfg = circle15::analyze::Config::new(Some(shared("las-palmas.osm.pbf")), profile, d.path().join("a"));
    cfg.isochrones = circle15::isochrone::IsochroneKind::None;
    cfg.html = false;
    // A capacity and a quota: the 2SFCA objective by default.
    let req = circle15::cli::plan_request(&cfg.profile, "kindergarten", 5, Some(300.0), None).unwrap();
    assert_eq!(req.objective, circle15::profile::PlanObjective::Sfca);
    let a = circle15::analyze::run(&cfg).unwrap();
    let k = a.profile.category_index("kindergarten").unwrap();
    let plan = circle15::plan::suggest::suggest_sites(&a, &req).unwrap();
    assert_eq!(plan.suggestions.len(), 5);
    let (before, after) = plan.area_capacity.unwrap();
    // The plan's "before" is what the analysis reported.
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-6 * (1.0 + x.abs().max(y.abs()));
    assert!(close(before.per_1000.unwrap(), a.categories[k].per_1000.unwrap()));
    assert!(close(before.shortfall.unwrap(), a.categories[k].capacity_shortfall.unwrap()));
    // Each site adds its whole capacity to the accessible total; the shortfall left falls pick
    // by pick, and the gains do not increase (compared to a millionth of a place).
    let base = plan.baseline_shortfall.unwrap();
    let mut left = base;
    for s in &plan.suggestions {
        assert!(s.gain > 0.0 && s.gain <= 300.0 + 1e-6, "{s:?}");
        let r = s.remaining_shortfall.unwrap();
        assert!(close(left - s.gain, r), "{left} - {} vs {r}", s.gain);
        left = r;
        assert!(close(s.ratio.unwrap() * s.catchment_demand.unwrap(), 300.0));
        assert!(!s.served.is_empty());
    }
    assert!(plan.suggestions.windows(2).all(|w| w[1].gain <= w[0].gain + 1e-6));
    let added_per_1000 = 1000.0 * 5.0 * 300.0 / a.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum::<f64>();
    assert!(after.per_1000.unwrap() > before.per_1000.unwrap());
    assert!(after.per_1000.unwrap() <= before.per_1000.unwrap() + added_per_1000 + 1e-9);
    let json: serde_json::Value =
        serde_json::from_slice(&circle15::report::plan_report::suggestions_geojson(&a, std::slice::from_ref(&plan)))
            .unwrap();
    let p0 = &json["features"][0]["properties"];
    assert_eq!((p0["objective"].as_str(), p0["gain_unit"].as_str()), (Some("sfca"), Some("places")));
    assert!(p0["remaining_shortfall"].as_f64().is_some() && p0["ratio_per_1000"].as_f64().is_some());

    // Re-run with the five sites added at their capacity: 2SFCA reproduces the prediction.
    let mut cfg2 = cfg.clone();
    cfg2.add_facilities = plan
        .suggestions
        .iter()
        .map(|s| circle15::analyze::AddedFacility {
            lon: s.lon_lat[0],
            lat: s.lon_lat[1],
            category: "kindergarten".into(),
            capacity: Some(300.0),
        })
        .collect();
    let a2 = circle15::analyze::run(&cfg2).unwrap();
    assert_eq!(a2.categories[k].facilities, a.categories[k].facilities + 5);
    let got = (a2.categories[k].per_1000.unwrap(), a2.categories[k].capacity_shortfall.unwrap());
    assert!(close(got.0, after.per_1000.unwrap()), "per 1,000: re-run {} vs plan {:?}", got.0, after.per_1000);
    assert!(close(got.1, after.shortfall.unwrap()), "shortfall: re-run {} vs plan {:?}", got.1, after.shortfall);
    assert_eq!(a2.communities.len(), plan.capacity_before_after.len());
    let mut changed = 0;
    for (c, (b, x)) in plan.capacity_before_after.iter().enumerate() {
        let f = &a2.per_community[c][k];
        assert_eq!(f.per_1000.is_some(), x.per_1000.is_some(), "community {c}");
        if let (Some(g), Some(w)) = (f.per_1000, x.per_1000) {
            assert!(close(g, w), "community {c}: per 1,000 re-run {g} vs plan {w}");
            assert!(close(f.capacity_shortfall.unwrap(), x.shortfall.unwrap()), "community {c}");
        }
        changed += usize::from(b != x);
    }
    assert!(changed >= 5, "{changed} communities changed");
}

/// Runs `circle15 plan <args>` and returns (exit code, stderr).
fn plan_cli(args: &[&str]) -> (i32, String) {
    let d = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_circle15"))
        .arg("plan")
        .args(args)
        .args(crate::common::helsinki_unless_osm(args))
        .arg("--out")
        .arg(d.path().join("out"))
        .arg("--quiet")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (o.status.code().unwrap_or(-1), stderr)
}

#[test]
fn sfca_without_a_quota_and_bad_costs_exit_2() {
    let (code, e) = plan_cli(&["--category", "kindergarten", "--count", "2", "--objective", "sfca"]);
    assert_eq!(code, 2, "{e}");
    assert!(e.contains("kindergarten") && e.contains("per-1,000 target"), "{e}");
    let d = tempfile::tempdir().unwrap();
    let cands = d.path().join("cands.geojson");
    std::fs::write(
        &cands,
        r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"cost":3},"geometry":{"type":"Point","coordinates":[24.94,60.17]}},
            {"type":"Feature","properties":{"cost":"cheap"},"geometry":{"type":"Point","coordinates":[24.95,60.17]}}]}"#,
    )
    .unwrap();
    let path = cands.to_str().unwrap();
    let (code, e) = plan_cli(&["--category", "kindergarten", "--budget", "5", "--candidates", path]);
    assert_eq!(code, 2, "{e}");
    assert!(e.contains("cands.geojson") && e.contains("feature 1") && e.contains("not a number"), "{e}");
    // A budget needs candidates with costs.
    let (code, e) = plan_cli(&["--category", "kindergarten", "--budget", "5"]);
    assert_eq!(code, 2, "{e}");
    assert!(e.contains("--budget") && e.contains("cost"), "{e}");
}

#[test]
fn budgeted_plan_on_the_default_extract_stays_within_budget() {
    // Three sites in central Helsinki costing 2, 3 and 4; budget 5.
    let d = tempfile::tempdir().unwrap();
    let cands = d.path().join("sites.geojson");
    std::fs::write(
        &cands,
        r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"cost":2},"geometry":{"type":"Point","coordinates":[24.9384,60.1699]}},
            {"type":"Feature","properties":{"cost":3},"geometry":{"type":"Point","coordinates":[24.9458,60.1675]}},
            {"type":"Feature","properties":{"cost":4},"geometry":{"type":"Polygon","coordinates":[[[24.930,60.160],[24.932,60.160],[24.932,60.161],[24.930,60.161],[24.930,60.160]]]}}]}"#,
    )
    .unwrap();
    let out = d.path().join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_circle15"))
        .args(["plan", "--category", "school", "--budget", "5", "--candidates"])
        .arg(&cands)
        .args(crate::common::helsinki_unless_osm::<&str>(&[]))
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--no-html", "--no-isochrones"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sug = read_json(&out.join("suggestions.geojson"));
    let feats = sug["features"].as_array().unwrap();
    assert!(!feats.is_empty());
    let mut spent = 0.0;
    for f in feats {
        let p = &f["properties"];
        spent += p["cost"].as_f64().unwrap();
        assert_eq!(p["cumulative_cost"].as_f64().unwrap(), spent);
    }
    assert!(spent <= 5.0);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("cumulative cost") && md.contains("Khuller"), "{md}");
}
