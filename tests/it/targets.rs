//! Issue 14: targets as the plans state them, each with its source, on the Hangzhou extract.

use std::process::Command;

use crate::common::*;

fn run(profile: &str, year: Option<i32>, out: &std::path::Path) -> (serde_json::Value, String, String) {
    let mut cfg = config(Some(shared("hangzhou-2015.osm.pbf")), profile, year, out);
    cfg.export_graph = false;
    cfg.isochrones = circle15::isochrone::IsochroneKind::None;
    circle15::run_analyze(&cfg).unwrap();
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    (read_json(&out.join("summary.json")), md, html)
}

/// `--year 2025` and `--year 2027` print that year's targets with their source and status.
#[test]
fn hangzhou_2025_and_2027_show_the_targets_of_the_year() {
    let d = tempfile::tempdir().unwrap();
    let (s25, md25, html25) = run("zhejiang-2027", Some(2025), &d.path().join("y2025"));
    let (s27, md27, _) = run("zhejiang-2027", Some(2027), &d.path().join("y2027"));
    // Childcare quota: Haishu table 序号1, 4.6 in 2025 and 5.5 in 2027, each with its year.
    assert_eq!(s25["coverage"]["childcare"]["quota_per_1000"], 4.6);
    assert_eq!(s27["coverage"]["childcare"]["quota_per_1000"], 5.5);
    assert!(md25.contains("千人指标 4.6 — 海曙 表 序号1 每千人拥有3岁以下婴幼儿托位数 (2025)"), "{md25}");
    assert!(md27.contains("千人指标 5.5 — 海曙 表 序号1 每千人拥有3岁以下婴幼儿托位数 (2027)"));
    // Coverage targets are labelled as project defaults, in the table, §Assumptions and JSON.
    assert!(md25.contains("| 90%（默认） |") && md25.contains("覆盖率目标为项目默认值（规划无此指标）"));
    assert!(md25.contains("< 目标 90%，默认值）"), "failing-community lines label the default too");
    assert!(html25.contains("90%（默认）") && html25.contains("目标及其来源"));
    assert_eq!(s25["coverage"]["elderly_meals"]["coverage_target_source"], "default (no plan figure)");
    assert!(s25["coverage"]["childcare"]["quota_source"].as_str().unwrap().contains("序号1"));
    // Sports ground: 3.2 m² is Haishu's 2027 figure: not yet due in 2025, evaluated in 2027,
    // district-wide; the recalled 2.8 m² is gone.
    let sg25 = &s25["area_targets"]["sports_ground"];
    let sg27 = &s27["area_targets"]["sports_ground"];
    assert_eq!((sg25["min_value"].as_f64(), sg27["min_value"].as_f64()), (Some(3.2), Some(3.2)));
    assert!(sg25["pass"].is_null(), "{sg25}");
    assert_eq!(sg25["status"]["status"], "due_in");
    assert!(sg27["pass"].is_boolean() && sg27["status"]["status"] == "in_force", "{sg27}");
    assert_eq!(sg27["scope"], "district");
    assert!(md25.contains("≥ 3.2 (2027年目标，尚未到期; 全区) | 尚未到期"), "{md25}");
    assert!(md27.contains("≥ 3.2 (全区) | "));
    assert!(md27.contains("≥ 4400 (回忆值，种子文件中没有; 全区)"));
    // Dementia beds (Haishu, by 2025): in force in 2025, carried forward in 2027.
    assert_eq!(s25["coverage"]["dementia_beds"]["quota_status"]["status"], "in_force");
    assert_eq!(s27["coverage"]["dementia_beds"]["quota_status"]["year"], 2025);
    assert!(md27.contains("沿用2025年指标"));
    // Census shares with their source; a community layer's age columns override them.
    assert!(md25.contains("age_60_plus 21.50% (浙江统计公报：2023 年末 60 岁及以上约占 21.5 %"), "{md25}");
    assert!(md25.contains("社区图层的 age_0_3 … 年龄列优先"));
}

/// gb50180 thresholds are network metres (300 m = 272.7 s at 1.1 m/s); no elderly-speed rerun
/// for a distance threshold.
#[test]
fn gb50180_runs_on_network_metres() {
    let d = tempfile::tempdir().unwrap();
    let (s, md, html) = run("gb50180", None, d.path());
    let c = &s["coverage"]["childcare"];
    assert_eq!(c["threshold_m"], 300.0);
    assert!((c["threshold_s"].as_f64().unwrap() - 300.0 / 1.1).abs() < 1e-9, "{c}");
    assert!(c["covered_share_elderly"].is_null(), "{c}");
    assert_eq!(s["coverage"]["junior_school"]["threshold_m"], 1000.0);
    assert!(md.contains("`childcare` | 300 m |"), "{md}");
    assert!(html.contains("<td>300 m</td>") && html.contains("<td>1000 m</td>"));
}

/// `profile --show` lists every target with its source or default / recalled label, and
/// `--plan <scenario>` runs the plan's own count of new sites, reported as a plan input.
#[test]
fn profile_show_and_plan_scenarios() {
    let bin = env!("CARGO_BIN_EXE_circle15");
    let out = Command::new(bin).args(["profile", "--show", "zhejiang-2027", "--year", "2025"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("# Targets as applied (year: 2025)"));
    for id in ["elderly_school_town", "hospice_subdistrict", "care_consortium_town", "labour_station_subdistrict"] {
        assert!(text.contains(&format!("presence `{id}`")), "{id}");
    }
    assert!(text.contains("presence `elderly_class_village`: 30% of 社区/村 units (carried forward from 2024)"));
    assert!(text.contains("recalled, not in the seeds") && text.contains("default (no plan figure)"));

    let d = tempfile::tempdir().unwrap();
    let o = d.path().join("o");
    let osm = shared("hangzhou-2015.osm.pbf");
    let args = ["analyze", "--osm", osm.to_str().unwrap(), "--profile", "zhejiang-2027"];
    let out = Command::new(bin)
        .args(args)
        .args(["--year", "2024", "--plan", "longwan_2024_meals", "--out", o.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let md = std::fs::read_to_string(o.join("report.md")).unwrap();
    assert!(md.contains("`longwan_2024_meals`: 5 处 (2024) — 龙湾 二(五)2 “新增5个老年助餐服务点”"), "{md}");
}
