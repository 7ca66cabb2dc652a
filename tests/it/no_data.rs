//! "No data" is not "no service": on the Helsinki-centre extract (the embedded default before issue 15, no childcare,
//! kindergarten, elderly-care … facilities mapped), categories without any facility are listed as
//! not assessed and kept out of the index, the gap ranking, gaps.csv and the maps.

use std::path::Path;

use crate::common::*;
use circle15::analyze::Config;
use circle15::profile::Profile;

fn run(out: &Path, complete: &[&str]) -> serde_json::Value {
    let mut cfg = Config::new(
        Some(crate::common::shared("helsinki-centre.osm.pbf")),
        Profile::load("default", None).unwrap(),
        out.to_path_buf(),
    );
    cfg.svg = true;
    cfg.html = true;
    cfg.isochrones = circle15::isochrone::IsochroneKind::None;
    cfg.complete = complete.iter().map(|s| s.to_string()).collect();
    circle15::run_analyze(&cfg).unwrap();
    read_json(&out.join("summary.json"))
}

#[test]
fn categories_without_facilities_are_not_assessed() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let s = run(&out, &[]);
    let cov = s["coverage"].as_object().unwrap();
    let not: Vec<&str> = s["not_assessed_categories"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let yes: Vec<&str> = s["assessed_categories"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(not.contains(&"childcare") && not.contains(&"elderly_care"), "{not:?}");
    assert!(yes.contains(&"health") && yes.contains(&"school"), "{yes:?}");
    assert_eq!(not.len() + yes.len(), cov.len());
    for (id, c) in cov {
        let has = c["facilities"].as_u64().unwrap() > 0;
        assert_eq!(c["assessed"].as_bool().unwrap(), has, "{id}");
        if !has {
            assert_eq!(c["assessment"], "no_data", "{id}");
            assert!(c["covered_share"].is_null() && c["pass"].is_null() && c["score"].is_null(), "{id}: {c}");
            assert_eq!(c["failing_communities"], 0, "{id}");
        }
    }
    // The overall index is the weighted mean of the assessed categories only.
    let prof = Profile::load("default", None).unwrap();
    let (mut num, mut den) = (0.0, 0.0);
    for c in &prof.categories {
        if let Some(x) = cov[&c.id]["score"].as_f64() {
            assert!(yes.contains(&c.id.as_str()));
            num += c.weight * x;
            den += c.weight;
        }
    }
    let overall = s["score"].as_f64().unwrap();
    assert!((overall - num / den).abs() < 0.051, "{overall} vs {}", num / den);
    // Communities: null figures for a no-data category.
    let comm = read_json(&out.join("communities.geojson"));
    for f in comm["features"].as_array().unwrap() {
        assert!(f["properties"]["childcare_covered_share"].is_null());
        assert!(f["properties"]["childcare_pass"].is_null());
        assert!(f["properties"]["health_covered_share"].is_number());
    }
    // gaps.csv: only assessed categories, grouped by category, ranks restart per category.
    let (h, rows) = read_csv(&out.join("gaps.csv"));
    let (ri, ci) = (h.iter().position(|x| x == "rank").unwrap(), h.iter().position(|x| x == "category").unwrap());
    assert!(!rows.is_empty());
    let mut seen: Vec<String> = Vec::new();
    for r in &rows {
        let cat = &r[ci];
        assert!(yes.contains(&cat.as_str()), "gaps.csv lists not-assessed {cat}");
        if seen.last() != Some(cat) {
            assert!(!seen.contains(cat), "category {cat} not grouped");
            seen.push(cat.clone());
            assert_eq!(r[ri], "1", "rank restarts at 1 for {cat}");
        }
    }
    // Maps only for assessed categories.
    for id in cov.keys() {
        assert_eq!(out.join(format!("map_{id}.svg")).exists(), yes.contains(&id.as_str()), "map of {id}");
    }
    // report.md says which categories were assessed, first.
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let head: String = md.lines().take(12).collect::<Vec<_>>().join("\n");
    assert!(head.contains("Not assessed (no data)") && head.contains("`childcare`"), "{head}");
    assert!(head.contains("--facilities") && head.contains("lon/经度"), "{head}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"c15-assessment\"") && html.contains("not assessed (no data)"));
}

#[test]
fn declared_complete_categories_are_assessed_with_every_resident_unserved() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let s = run(&out, &["childcare"]);
    let c = &s["coverage"]["childcare"];
    assert_eq!(c["assessment"], "declared_complete");
    assert_eq!(c["covered_share"].as_f64(), Some(0.0));
    assert_eq!(c["pass"], false);
    let (h, rows) = read_csv(&out.join("gaps.csv"));
    let ci = h.iter().position(|x| x == "category").unwrap();
    assert!(rows.iter().any(|r| r[ci] == "childcare"));
    assert!(out.join("map_childcare.svg").exists());
    assert!(!out.join("map_kindergarten.svg").exists());
}

#[test]
fn complete_with_an_unknown_category_exits_2() {
    let d = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_circle15"))
        .arg("analyze")
        .args(crate::common::helsinki_unless_osm::<&str>(&[]))
        .args(["--quiet", "--complete", "childcare,nurseries", "--out"])
        .arg(d.path().join("o"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--complete") && err.contains("nurseries"), "{err}");
}
