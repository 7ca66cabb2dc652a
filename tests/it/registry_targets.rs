//! Issue 14: targets fed by a facility registry (`--facilities`): the share of public care homes
//! that serve meals (`[[facility_share]]`) and the bed quotas per 1,000 elderly, end to end on the
//! Helsinki-centre extract (`../shared/data`).

use std::path::{Path, PathBuf};

use crate::common::*;

/// Points in the Helsinki centre extract.
const POINTS: [(f64, f64); 6] = [
    (24.9384, 60.1699),
    (24.9458, 60.1675),
    (24.9410, 60.1720),
    (24.9500, 60.1690),
    (24.9350, 60.1660),
    (24.9440, 60.1640),
];

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run(table: Option<PathBuf>, year: Option<i32>, out: &Path) -> (serde_json::Value, String) {
    let mut cfg = config(Some(shared("helsinki-centre.osm.pbf")), "zhejiang-2027", year, out);
    cfg.export_graph = false;
    cfg.isochrones = circle15::isochrone::IsochroneKind::None;
    cfg.facilities = table;
    circle15::run_analyze(&cfg).unwrap();
    (read_json(&out.join("summary.json")), std::fs::read_to_string(out.join("report.md")).unwrap())
}

/// 「推动80%以上公办养老机构开展老年助餐服务」: a share of public care homes, counted over the
/// registry's public elderly_care rows with a meals column; private rows and blank cells are not
/// counted; no column → not assessed.
#[test]
fn public_care_meals_share_from_a_registry() {
    let d = tempfile::tempdir().unwrap();
    // Chinese headers: 5 public homes, 4 serve meals (80 %: pass); a private home without meals
    // and a public one with a blank cell are not counted.
    let mut zh = String::from("类别,名称,经度,纬度,床位,公办,提供助餐\n");
    for (i, (lon, lat)) in POINTS.iter().take(5).enumerate() {
        zh += &format!("elderly_care,公办养老院{i},{lon},{lat},100,是,{}\n", if i < 4 { "是" } else { "否" });
    }
    zh += &format!("elderly_care,民办养老院,{},{},50,否,否\n", POINTS[5].0, POINTS[5].1);
    zh += &format!("elderly_care,公办养老院X,{},{},50,是,\n", POINTS[5].0, POINTS[5].1);
    let (s, md) = run(Some(write(d.path(), "zh.csv", &zh)), Some(2025), &d.path().join("pass"));
    let m = &s["facility_shares"]["public_care_meals"];
    assert_eq!((m["counted"].as_u64(), m["yes"].as_u64(), m["unknown"].as_u64()), (Some(5), Some(4), Some(1)), "{m}");
    assert_eq!((m["share"].as_f64(), m["min_share"].as_f64()), (Some(0.8), Some(0.8)));
    assert_eq!(m["pass"], true);
    assert!(m["source"].as_str().unwrap().contains("推动80%以上公办养老机构开展老年助餐服务"));
    assert_eq!(m["status"]["status"], "in_force");
    assert!(md.contains("## 设施占比指标"), "{md}");
    assert!(
        md.contains("| 开展老年助餐服务的公办养老机构占比 `public_care_meals` | 5 | 4 | 80.0% | ≥ 80% | 达标 |"),
        "{md}"
    );
    assert!(md.contains("海曙 二(五)3 「推动80%以上公办养老机构开展老年助餐服务」 (2023-2027)"));

    // English headers and yes/no/1/0: 3 of 5 public homes (60 %): fail.
    let mut en = String::from("category,name,lon,lat,capacity,public,meals\n");
    for (i, (lon, lat)) in POINTS.iter().take(5).enumerate() {
        en += &format!("elderly_care,home {i},{lon},{lat},100,yes,{}\n", ["yes", "1", "yes", "no", "0"][i]);
    }
    let (s, md) = run(Some(write(d.path(), "en.csv", &en)), None, &d.path().join("fail"));
    let m = &s["facility_shares"]["public_care_meals"];
    assert_eq!((m["counted"].as_u64(), m["yes"].as_u64(), m["share"].as_f64()), (Some(5), Some(3), Some(0.6)));
    assert_eq!(m["pass"], false);
    assert!(md.contains("| 5 | 3 | 60.0% | ≥ 80% | 未达标 |"), "{md}");

    // No meals column, or no registry at all: not assessed (no data), never a fail.
    let plain = en.lines().map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n").collect::<String>();
    for (tag, table) in [("nocol", Some(write(d.path(), "plain.csv", &plain))), ("notable", None)] {
        let (s, md) = run(table, None, &d.path().join(tag));
        let m = &s["facility_shares"]["public_care_meals"];
        assert_eq!((m["assessed"].as_bool(), m["counted"].as_u64()), (Some(false), Some(0)), "{tag}: {m}");
        assert!(m["pass"].is_null() && m["share"].is_null(), "{tag}: {m}");
        assert!(md.contains("| 0 | 0 | – | ≥ 80% | 未评估（无数据） |"), "{tag}: {md}");
    }
}

/// A meals cell that is not yes/no is a typed error naming the file and row, exit 2.
#[test]
fn bad_meals_value_exits_2_naming_file_and_row() {
    let d = tempfile::tempdir().unwrap();
    let (lon, lat) = POINTS[0];
    let t = write(
        d.path(),
        "bad.csv",
        &format!("category,name,lon,lat,public,meals\nelderly_care,a,{lon},{lat},yes,sometimes\n"),
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_circle15"))
        .arg("analyze")
        .args(crate::common::helsinki_unless_osm::<&str>(&[]))
        .args(["--profile", "zhejiang-2027", "--lang", "en", "--facilities"])
        .arg(&t)
        .arg("--out")
        .arg(d.path().join("o"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("bad.csv") && err.contains("row 1") && err.contains("`meals` = \"sometimes\""), "{err}");
}

/// 康复护理床位 5.5 per 1,000 elderly (龙湾, 2024, carried forward in 2025) and 认知障碍床位 > 20 per
/// 10,000 elderly (海曙, 2025), fed by a registry's 床位 column (replacing OSM for those
/// categories). Hand computation: in 2SFCA every facility's beds are shared out in full among the
/// residents who reach it (Σ_i w_i·A_i = Σ_j S_j when every facility reaches someone), so the
/// area-wide figure is 1000 × beds ÷ residents 60+ (summary.json rounds it to 3 decimals); below the quota fails, above it passes.
#[test]
fn bed_quotas_per_1000_elderly_from_a_registry() {
    let d = tempfile::tempdir().unwrap();
    let table = |rehab: u32, dementia: u32, name: &str| {
        let mut t = String::from("类别,名称,经度,纬度,床位\n");
        for (i, (lon, lat)) in POINTS.iter().take(3).enumerate() {
            t += &format!("rehab_beds,康复护理院{i},{lon},{lat},{rehab}\n");
            t += &format!("dementia_beds,认知障碍照护{i},{lon},{lat},{dementia}\n");
        }
        write(d.path(), name, &t)
    };
    let run_beds = |rehab: u32, dementia: u32, tag: &str| {
        let mut cfg = config(Some(shared("helsinki-centre.osm.pbf")), "zhejiang-2027", Some(2025), &d.path().join(tag));
        cfg.export_graph = false;
        cfg.isochrones = circle15::isochrone::IsochroneKind::None;
        cfg.facilities = Some(table(rehab, dementia, &format!("{tag}.csv")));
        cfg.facilities_mode = circle15::analyze::FacilitiesMode::Replace;
        circle15::run_analyze(&cfg).unwrap();
        let md = std::fs::read_to_string(d.path().join(tag).join("report.md")).unwrap();
        (read_json(&d.path().join(tag).join("summary.json")), md)
    };
    // 1 bed per facility: far below either quota.
    let (s, md) = run_beds(1, 1, "few");
    let elderly = s["coverage"]["rehab_beds"]["demand"].as_f64().unwrap();
    assert!(elderly > 100.0, "Helsinki centre has residents 60+: {elderly}");
    for (id, beds, quota, status) in
        [("rehab_beds", 3.0, 5.5, "carried_forward"), ("dementia_beds", 3.0, 2.0, "in_force")]
    {
        let c = &s["coverage"][id];
        assert_eq!(c["from_table"], 3, "{id}: {c}");
        assert_eq!(c["capacity_total"].as_f64(), Some(beds), "{id}: the 床位 column is the capacity");
        assert_eq!(c["quota_per_1000"].as_f64(), Some(quota), "{id}");
        assert_eq!(c["quota_base"], "group", "{id}: per 1,000 of the elderly group");
        assert_eq!(c["quota_status"]["status"], status, "{id}: {c}");
        assert_eq!(c["demand"].as_f64(), Some(elderly), "{id}: same 60+ group");
        let per_1000 = c["per_1000"].as_f64().unwrap();
        let hand = 1000.0 * beds / elderly;
        assert!((per_1000 - hand).abs() < 6e-4 + 1e-4 * hand, "{id}: 2SFCA {per_1000} vs hand {hand}");
        assert_eq!(c["quota_pass"], false, "{id}: {per_1000} < {quota}");
    }
    assert!(md.contains("每千名老年人医疗机构康复护理床位数达5.5张以上"), "{md}");
    assert!(md.contains("每万老年人口拥有认知障碍床位数超20张"));
    // Enough beds for both quotas (a tenth above them): pass, still equal to the hand figure.
    let per_site = |q: f64| (1.1 * q * elderly / 1000.0 / 3.0).ceil() as u32;
    let (rehab, dementia) = (per_site(5.5), per_site(2.0));
    let (s, _) = run_beds(rehab, dementia, "enough");
    for (id, each, quota) in [("rehab_beds", rehab, 5.5), ("dementia_beds", dementia, 2.0)] {
        let c = &s["coverage"][id];
        let per_1000 = c["per_1000"].as_f64().unwrap();
        let hand = 1000.0 * 3.0 * f64::from(each) / elderly;
        assert!((per_1000 - hand).abs() < 6e-4 + 1e-4 * hand, "{id}: 2SFCA {per_1000} vs hand {hand}");
        assert!(hand >= quota, "{id}");
        assert_eq!(c["quota_pass"], true, "{id}: {per_1000} ≥ {quota}");
    }
}
