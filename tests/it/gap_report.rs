//! The gap report: its numbers equal communities.geojson; yearly targets change pass/fail; a
//! facility registry feeds the 2SFCA.

use std::path::Path;

use crate::common::*;

fn run(profile: &str, year: Option<i32>, facilities: Option<&Path>, out: &Path) -> serde_json::Value {
    let mut cfg = config(Some(shared("las-palmas.osm.pbf")), profile, year, out);
    cfg.export_graph = false;
    cfg.facilities = facilities.map(Path::to_path_buf);
    circle15::run_analyze(&cfg).unwrap();
    read_json(&out.join("summary.json"))
}

#[test]
fn gaps_csv_numbers_equal_communities_geojson() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    run("zhejiang-2027", Some(2025), None, &out);
    let c = read_json(&out.join("communities.geojson"));
    let by_id: std::collections::HashMap<String, &serde_json::Value> = c["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["properties"]["id"].as_str().unwrap().to_string(), &f["properties"]))
        .collect();
    let mut rdr = csv::Reader::from_path(out.join("gaps.csv")).unwrap();
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut rows = 0;
    let mut last_unserved = f64::INFINITY;
    let mut last_cat = String::new();
    for r in rdr.records() {
        let r = r.unwrap();
        rows += 1;
        let p = by_id[&r[col("community_id")]];
        let cat = &r[col("category")];
        let unserved: f64 = r[col("unserved")].parse().unwrap();
        // Grouped by category, ranked by the category's unserved residents within it.
        if cat != last_cat {
            (last_cat, last_unserved) = (cat.to_string(), f64::INFINITY);
        }
        assert!(unserved <= last_unserved, "not ranked by unserved");
        last_unserved = unserved;
        assert_eq!(unserved, p[format!("{cat}_unserved")].as_f64().unwrap());
        let share = &r[col("covered_share")];
        match p[format!("{cat}_covered_share")].as_f64() {
            Some(v) => assert_eq!(share.parse::<f64>().unwrap(), v),
            None => assert!(share.is_empty()),
        }
        let per = &r[col("per_1000")];
        match p[format!("{cat}_per_1000")].as_f64() {
            Some(v) => assert_eq!(per.parse::<f64>().unwrap(), v),
            None => assert!(per.is_empty()),
        }
        assert_eq!(r[col("population")].parse::<f64>().unwrap(), p["population"].as_f64().unwrap());
        let cov_pass = p[format!("{cat}_pass")].as_bool();
        let quota_pass = p[format!("{cat}_quota_pass")].as_bool();
        assert!(cov_pass == Some(false) || quota_pass == Some(false), "listed but passing");
    }
    assert!(rows > 100, "{rows} gap rows");
    // Every failing pair of communities.geojson is in gaps.csv.
    let failing: usize = by_id
        .values()
        .map(|p| {
            p.as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| {
                    (k.ends_with("_pass") && !k.ends_with("_quota_pass") && v.as_bool() == Some(false))
                        || (k.ends_with("_quota_pass") && v.as_bool() == Some(false))
                })
                .map(|(k, _)| k.trim_end_matches("_quota_pass").trim_end_matches("_pass").to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        })
        .sum();
    assert_eq!(failing, rows);
    // The report's headline shows the same area coverage as summary.json.
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let s = read_json(&out.join("summary.json"));
    let share = s["coverage"]["sports"]["covered_share"].as_f64().unwrap();
    assert!(md.contains(&format!("| {:.1}% |", 100.0 * share)), "headline coverage missing");
    assert!(md.contains("每千常住人口"), "per-1,000 base printed");
}

#[test]
fn yearly_quota_changes_pass_fail_and_registry_feeds_2sfca() {
    let d = tempfile::tempdir().unwrap();
    // Ten childcare centres from a registry at the positions of ten OSM kindergartens, with
    // 2,287 places in all: ~4.8 places per 1,000 of the ~476,000 estimated residents. Zhejiang
    // 2027 profile: 2023 quota 4.0 (pass), 2027 quota 5.5 (fail).
    let base = d.path().join("base");
    let s0 = run("zhejiang-2027", Some(2023), None, &base);
    assert_eq!(s0["coverage"]["childcare"]["facilities"], 0);
    let pop = s0["counts"]["population"].as_f64().unwrap();
    let f = read_json(&base.join("facilities.geojson"));
    let points: Vec<(f64, f64)> = f["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["properties"]["category"] == "kindergarten" && x["properties"]["used"] == true)
        .take(10)
        .map(|x| (x["geometry"]["coordinates"][0].as_f64().unwrap(), x["geometry"]["coordinates"][1].as_f64().unwrap()))
        .collect();
    assert_eq!(points.len(), 10);
    let capacity = 4.8 * pop / 1000.0 / 10.0;
    let mut csv = String::from("category,name,lon,lat,capacity,public\n");
    for (i, (lon, lat)) in points.iter().enumerate() {
        csv += &format!("childcare,托育中心{i},{lon},{lat},{capacity:.2},{}\n", if i % 2 == 0 { "是" } else { "否" });
    }
    let table = d.path().join("childcare.csv");
    std::fs::write(&table, csv).unwrap();

    let s23 = run("zhejiang-2027", Some(2023), Some(&table), &d.path().join("y2023"));
    let s27 = run("zhejiang-2027", Some(2027), Some(&table), &d.path().join("y2027"));
    for s in [&s23, &s27] {
        let c = &s["coverage"]["childcare"];
        assert_eq!(c["facilities"], 10);
        assert_eq!(c["from_table"], 10);
        // Every centre reaches residents, so all capacity is accessible: per_1000 = 4.8.
        let per = c["per_1000"].as_f64().unwrap();
        assert!((per - 4.8).abs() < 0.01, "per_1000 {per}");
    }
    assert_eq!(s23["coverage"]["childcare"]["quota_per_1000"], 4.0);
    assert_eq!(s27["coverage"]["childcare"]["quota_per_1000"], 5.5);
    assert_eq!(s23["coverage"]["childcare"]["quota_pass"], true);
    assert_eq!(s27["coverage"]["childcare"]["quota_pass"], false);
    // The same data: only the targets moved.
    assert_eq!(s23["coverage"]["childcare"]["covered_share"], s27["coverage"]["childcare"]["covered_share"]);
    // 一老一小 sensitivity: slower walkers reach no more than adults.
    let adult = s23["coverage"]["childcare"]["covered_share"].as_f64().unwrap();
    let elderly = s23["coverage"]["childcare"]["covered_share_elderly"].as_f64().unwrap();
    assert!(elderly <= adult && elderly > 0.0, "{elderly} vs {adult}");
    // Half the centres are public: the quality dimension exists and lies strictly between 0 and 1.
    let md = std::fs::read_to_string(d.path().join("y2027/report.md")).unwrap();
    assert!(md.contains("托育 `childcare`") && md.contains("未达标"));
}
