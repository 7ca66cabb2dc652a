//! Planning units wired through `analyze`: Las Palmas with its municipality as the single unit
//! (level 区), roll-ups in units.geojson equal the sums over the communities inside, and the
//! zhejiang-2027 presence indicators appear in the report with their seed targets.

use crate::common::*;

#[test]
fn single_unit_rollup_and_presence_indicators() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let mut cfg = config(Some(shared("las-palmas.osm.pbf")), "zhejiang-2027", Some(2025), &out);
    cfg.export_graph = false;
    cfg.isochrones = circle15::isochrone::IsochroneKind::None;
    cfg.units = Some(circle15::analyze::UnitsSource::File(unit_file(d.path())));
    cfg.clip = Some(
        circle15::io::clip_area::read_clip_area(
            &shared("las-palmas-boundary.geojson"),
            circle15::io::coord_transform::Crs::Wgs84,
            1000.0,
        )
        .unwrap(),
    );
    circle15::run_analyze(&cfg).unwrap();
    let u = read_json(&out.join("units.geojson"));
    let feats = u["features"].as_array().unwrap();
    assert_eq!(feats.len(), 1);
    let unit_pop = feats[0]["properties"]["population"].as_f64().unwrap();
    let s = read_json(&out.join("summary.json"));
    let total = s["counts"]["population"].as_f64().unwrap();
    // Clipped to the municipality, the communities scored are those inside it; their residents
    // nest into the single unit (to rounding of residents along the boundary).
    assert!((unit_pop - total).abs() / total < 0.02, "unit {unit_pop} vs communities {total}");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("规划单元汇总") && md.contains("Las Palmas de Gran Canaria"));
    // Seed indicators with their targets: 老年学堂 in ≥ 30% of 村社, 老年学校 in 100% of 镇街.
    assert!(md.contains("设施覆盖单元指标"), "presence section");
    // Longwan states 30% for 2024: a 2025 run carries it forward and says so.
    assert!(md.contains("elderly_class_village") && md.contains("| 30% (沿用2024年指标) |"), "老年学堂 30%");
    // 康养联合体 in every 镇街 is Haishu's 2027 target: shown in 2025, neither passed nor failed.
    let care = u["presence"].as_array().unwrap().iter().find(|p| p["id"] == "care_consortium_town").unwrap();
    assert_eq!(care["status"]["status"], "due_in");
    assert!(care["pass"].is_null(), "{care}");
    let school = u["presence"].as_array().unwrap().iter().find(|p| p["id"] == "elderly_school_town").unwrap();
    assert!(school["source"].as_str().unwrap().contains("序号6"));
    assert!(md.contains("elderly_school_town") && md.contains("| 100% |"), "老年学校 100%");
}
