//! `--format geojson,fgb`: every layer written as FlatGeobuf too, read back by GDAL's `ogrinfo`
//! and compared with the GeoJSON of the same run (feature counts, column names, a few values),
//! and `access.fgb` against `access.csv`.
//!
//! Needs `ogrinfo` (Debian `gdal-bin`, installed by scripts/test.sh): under `CI=true` a missing
//! `ogrinfo` fails the test; elsewhere the test is skipped with a loud message.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::*;

fn ogrinfo_available() -> bool {
    Command::new("ogrinfo").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// `ogrinfo -ro -al <args> <file>`'s standard output; fails on a non-zero exit.
fn ogrinfo(file: &Path, args: &[&str]) -> String {
    let o = Command::new("ogrinfo").arg("-ro").arg("-al").args(args).arg(file).output().unwrap();
    assert!(o.status.success(), "ogrinfo {args:?} {}: {}", file.display(), String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn feature_count(summary: &str) -> usize {
    let line = summary.lines().find(|l| l.starts_with("Feature Count:")).expect("a Feature Count line");
    line["Feature Count:".len()..].trim().parse().unwrap()
}

/// The value GDAL prints for field `name` of the (single) feature in `out` (`  name (Type) = v`).
fn field(out: &str, name: &str) -> Option<String> {
    let prefix = format!("  {name} (");
    out.lines().find(|l| l.starts_with(&prefix)).map(|l| l.split_once(" = ").map_or("", |x| x.1).trim().to_string())
}

fn same_number(gdal: &str, json: &Value, what: &str) {
    let g: f64 = gdal.parse().unwrap_or_else(|_| panic!("{what}: GDAL printed {gdal:?}"));
    let j = json.as_f64().unwrap_or_else(|| panic!("{what}: GeoJSON has {json}"));
    assert!((g - j).abs() <= 1e-9 * j.abs().max(1.0), "{what}: fgb {g} ≠ geojson {j}");
}

#[test]
fn every_fgb_layer_opens_in_gdal_with_the_geojson_features() {
    if !ogrinfo_available() {
        let msg = "ogrinfo (GDAL) not found: apt-get install -y gdal-bin";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg} (CI=true: the FlatGeobuf layers must be checked)");
        }
        eprintln!("\n**********\nSKIPPED: {msg}\n**********\n");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let mut cfg = config(Some(shared("las-palmas.osm.pbf")), "default", None, &out);
    cfg.export_graph = false;
    cfg.html = false;
    cfg.formats = circle15::model::LayerFormats { geojson: true, fgb: true };
    cfg.units = Some(circle15::analyze::UnitsSource::File(unit_file(d.path())));
    cfg.plans = vec![circle15::cli::plan_request(&cfg.profile, "kindergarten", 2, None, None).unwrap()];
    circle15::run_analyze(&cfg).unwrap();

    for layer in ["communities", "facilities", "units", "suggestions", "isochrones"] {
        let gj = read_json(&out.join(format!("{layer}.geojson")));
        let feats = gj["features"].as_array().unwrap();
        assert!(!feats.is_empty(), "{layer}: no feature to compare");
        let fgb = out.join(format!("{layer}.fgb"));
        let summary = ogrinfo(&fgb, &["-so"]);
        assert!(summary.contains("FlatGeobuf"), "{layer}: {summary}");
        assert_eq!(feature_count(&summary), feats.len(), "{layer}: feature count");
        // Every property of the GeoJSON is a column.
        for f in feats {
            for k in f["properties"].as_object().unwrap().keys() {
                assert!(summary.contains(&format!("\n{k}: ")), "{layer}: column {k} missing\n{summary}");
            }
        }
        assert!(summary.contains("4326"), "{layer}: CRS EPSG:4326 expected\n{summary}");
    }

    // A few values, feature by feature, looked up by key (the fgb is sorted along its index).
    let comm = read_json(&out.join("communities.geojson"));
    let feats = comm["features"].as_array().unwrap();
    for f in feats.iter().step_by(feats.len().div_ceil(5)) {
        let p = &f["properties"];
        let id = p["id"].as_str().expect("community ids are text");
        let one = ogrinfo(&out.join("communities.fgb"), &["-q", "-where", &format!("id = '{id}'")]);
        assert_eq!(one.matches("OGRFeature(").count(), 1, "community {id}: one feature\n{one}");
        assert_eq!(field(&one, "name").as_deref(), p["name"].as_str().or(Some("(null)")), "community {id}");
        for k in ["population", "area_m2", "score"] {
            match (&p[k], field(&one, k)) {
                (Value::Null, g) => assert!(g.is_none() || g.as_deref() == Some("(null)"), "{id} {k}: {g:?}"),
                (j, Some(g)) => same_number(&g, j, &format!("community {id} {k}")),
                (j, None) => panic!("community {id} {k}: GeoJSON {j}, no field in the fgb"),
            }
        }
    }

    // access.fgb holds access.csv: same number of rows and the same times, as integer
    // deciseconds (`<category>_ds`, 16-bit) where the CSV has seconds (`<category>_s`).
    let (header, rows) = read_csv(&out.join("access.csv"));
    let summary = ogrinfo(&out.join("access.fgb"), &["-so"]);
    assert_eq!(feature_count(&summary), rows.len(), "access rows");
    let fgb_name = |h: &str| h.strip_suffix("_s").map_or(h.to_string(), |c| format!("{c}_ds"));
    for h in &header[3..] {
        let f = fgb_name(h);
        let ty = if h == "main_network" { "Integer(Boolean)" } else { "Integer" };
        assert!(summary.contains(&format!("\n{f}: {ty} ")), "access column {f} ({ty}) missing\n{summary}");
    }
    let mut reached = 0;
    for row in rows.iter().step_by(rows.len().div_ceil(6)) {
        let one = ogrinfo(&out.join("access.fgb"), &["-q", "-where", &format!("node = {}", row[0])]);
        assert_eq!(one.matches("OGRFeature(").count(), 1, "node {}\n{one}", row[0]);
        for (h, v) in header.iter().zip(row).skip(3) {
            let g = field(&one, &fgb_name(h));
            match (h.as_str(), v.as_str()) {
                ("main_network", v) => {
                    assert_eq!(g.as_deref(), Some(if v == "1" { "1" } else { "0" }), "node {} {h}", row[0])
                }
                (_, "") => assert!(g.is_none() || g.as_deref() == Some("(null)"), "node {} {h}: {g:?}", row[0]),
                (_, v) => {
                    reached += 1;
                    let ds = (v.parse::<f64>().unwrap() * 10.0).round();
                    same_number(g.as_deref().unwrap_or("missing"), &ds.into(), h)
                }
            }
        }
        let point = one.lines().find(|l| l.trim_start().starts_with("POINT")).expect("a point");
        let lon_lat = format!("POINT ({} {})", row[1], row[2]);
        assert_eq!(point.trim(), lon_lat, "node {} position", row[0]);
    }
    assert!(reached > 0, "no sampled node reaches a facility: the time columns went unchecked");
}

#[test]
fn fgb_outputs_are_the_same_bytes_on_one_and_two_threads() {
    let d = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (run, threads) in [("a", 1), ("b", 2)] {
        let out = d.path().join(run);
        let mut cfg = config(Some(shared("helsinki-centre.osm.pbf")), "default", None, &out);
        cfg.export_graph = false;
        cfg.html = false;
        cfg.formats = circle15::model::LayerFormats { geojson: false, fgb: true };
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| circle15::run_analyze(&cfg)).unwrap();
        assert!(!out.join("communities.geojson").exists() && !out.join("access.csv").exists());
        files.push(
            ["communities", "facilities", "isochrones", "access"]
                .map(|l| std::fs::read(out.join(format!("{l}.fgb"))).unwrap()),
        );
    }
    assert_eq!(files[0], files[1]);
    assert!(files[0].iter().all(|f| f.starts_with(b"fgb\x03")));
}
