//! `circle15 batch` and `merge`, through the binary: a batch of districts equals separate
//! `analyze --clip` runs file by file; shards run as separate processes and merged equal one
//! batch; a bad district is reported and skipped with exit code 2; a missing shard is named.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::*;

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> serde_json::Value {
    serde_json::json!([[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]])
}

fn feature(code: &str, name: &str, coords: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"type": "Feature", "properties": {"code": code, "name": name},
        "geometry": {"type": "Polygon", "coordinates": coords}})
}

/// Three small districts of Las Palmas (their halos overlap) and one whose ring is not closed.
fn districts(dir: &Path) -> (PathBuf, Vec<(String, PathBuf)>) {
    let good = [
        ("35016a", "Centro", square(-15.44, 28.09, -15.42, 28.11)),
        ("35016b", "Norte", square(-15.44, 28.11, -15.42, 28.13)),
        ("35016c", "Oeste", square(-15.47, 28.09, -15.44, 28.11)),
    ];
    let mut features: Vec<serde_json::Value> = Vec::new();
    let mut singles = Vec::new();
    for (code, name, g) in &good {
        let f = feature(code, name, g.clone());
        let p = dir.join(format!("{code}.geojson"));
        std::fs::write(&p, serde_json::json!({"type": "FeatureCollection", "features": [f.clone()]}).to_string())
            .unwrap();
        singles.push((code.to_string(), p));
        features.push(f);
    }
    features
        .insert(1, feature("bad", "Broken", serde_json::json!([[[-15.44, 28.0], [-15.43, 28.0], [-15.43, 28.01]]])));
    let p = dir.join("districts.geojson");
    std::fs::write(&p, serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()).unwrap();
    (p, singles)
}

fn circle15(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_circle15")).args(args).output().unwrap()
}

fn batch_args<'a>(osm: &'a str, districts: &'a str, out: &'a str) -> Vec<&'a str> {
    vec!["batch", "--osm", osm, "--districts", districts, "--out", out, "--halo-m", "1000", "--quiet", "--no-html"]
}

/// Every file of `a` equals the same file of `b` (summary.json without its stage timings).
fn assert_same_files(a: &Path, b: &Path) -> usize {
    let mut names: Vec<_> = std::fs::read_dir(a).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    let mut m: Vec<_> = std::fs::read_dir(b).unwrap().map(|e| e.unwrap().file_name()).collect();
    m.sort();
    assert_eq!(names, m, "{} vs {}", a.display(), b.display());
    for n in &names {
        let (x, y) = (std::fs::read(a.join(n)).unwrap(), std::fs::read(b.join(n)).unwrap());
        if n == "summary.json" {
            let strip = |v: &[u8]| {
                let mut j: serde_json::Value = serde_json::from_slice(v).unwrap();
                j.as_object_mut().unwrap().remove("stages_ms");
                j
            };
            assert_eq!(strip(&x), strip(&y), "{}", a.join(n).display());
        } else {
            assert!(x == y, "{} differs from {}", a.join(n).display(), b.join(n).display());
        }
    }
    names.len()
}

#[test]
fn batch_equals_clipped_runs_and_shards_merge_to_the_same_summary() {
    let d = tempfile::tempdir().unwrap();
    let (dfile, singles) = districts(d.path());
    let osm = shared("las-palmas.osm.pbf");
    let (osm, dfile_s) = (osm.to_str().unwrap(), dfile.to_str().unwrap());
    let one = d.path().join("one");
    let o = circle15(&batch_args(osm, dfile_s, one.to_str().unwrap()));
    let err = String::from_utf8_lossy(&o.stderr);
    // The bad district is reported (file, feature, problem) and skipped; the exit code says so.
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("districts.geojson: feature 1 (bad Broken): ring 0 has 3 positions")
            && err.contains("1 of 4 districts failed"),
        "{err}"
    );

    // Each district: byte-identical to `analyze --clip` of its boundary alone.
    for (code, single) in &singles {
        let alone = d.path().join("alone").join(code);
        let o = circle15(&[
            "analyze",
            "--osm",
            osm,
            "--clip",
            single.to_str().unwrap(),
            "--out",
            alone.to_str().unwrap(),
            "--halo-m",
            "1000",
            "--quiet",
            "--no-html",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let n = assert_same_files(&one.join(code), &alone);
        assert!(n >= 6, "{n} files");
    }

    // The summary ranks the three analysed districts and lists the failed one.
    let (head, rows) = read_csv(&one.join("districts.csv"));
    assert_eq!(head[..4], ["code", "name", "status", "rank"]);
    let status: Vec<(&str, &str)> = rows.iter().map(|r| (r[0].as_str(), r[2].as_str())).collect();
    assert_eq!(status, [("35016a", "ok"), ("35016b", "ok"), ("35016c", "ok"), ("bad", "failed")]);
    let mut ranks: Vec<&str> = rows[..3].iter().map(|r| r[3].as_str()).collect();
    ranks.sort();
    assert_eq!(ranks, ["1", "2", "3"]);
    let md = std::fs::read_to_string(one.join("districts.md")).unwrap();
    assert!(md.contains("(35016a/report.md)") && md.contains("ring 0 has 3 positions"), "{md}");
    let gj = read_json(&one.join("districts.geojson"));
    assert_eq!(gj["features"].as_array().unwrap().len(), 3, "the bad district has no polygon to draw");

    // Three shards, separate processes at once, into one folder; then merge.
    let sh = d.path().join("sh");
    let sh_s = sh.to_str().unwrap().to_string();
    let kids: Vec<_> = (0..3)
        .map(|i| {
            let shard = format!("{i}/3");
            let mut a = batch_args(osm, dfile_s, &sh_s);
            a.extend(["--shard", &shard]);
            Command::new(env!("CARGO_BIN_EXE_circle15")).args(&a).stderr(std::process::Stdio::null()).spawn().unwrap()
        })
        .collect();
    let codes: Vec<Option<i32>> = kids.into_iter().map(|mut k| k.wait().unwrap().code()).collect();
    // Shards 0..3 of [35016a, 35016b, 35016c, bad] sorted by code: [a, b], [c], [bad].
    assert_eq!(codes, [Some(0), Some(0), Some(2)]);
    assert!(!sh.join("districts.md").exists(), "a shard does not write the summary");
    let o = circle15(&["merge", &sh_s, "--out", &sh_s]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["districts.csv", "districts.md", "districts.geojson"] {
        assert!(std::fs::read(one.join(f)).unwrap() == std::fs::read(sh.join(f)).unwrap(), "{f}");
    }
    for (code, _) in &singles {
        assert_same_files(&one.join(code), &sh.join(code));
    }

    // An interrupted shard (its record gone) is named by merge; re-running it repairs the set.
    std::fs::remove_dir_all(sh.join("batch").join("35016c")).unwrap();
    let o = circle15(&["merge", &sh_s, "--out", &sh_s]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("1 of 4 districts have no record (features 3)"), "{err}");
    let mut a = batch_args(osm, dfile_s, &sh_s);
    a.extend(["--shard", "1/3"]);
    assert!(circle15(&a).status.success());
    assert!(circle15(&["merge", &sh_s, "--out", &sh_s]).status.success());
    assert!(std::fs::read(one.join("districts.md")).unwrap() == std::fs::read(sh.join("districts.md")).unwrap());

    // Shards in folders of their own: the summary links into them.
    let (p0, p1) = (d.path().join("p0"), d.path().join("p1"));
    for (i, p) in [(0, &p0), (1, &p1)] {
        let shard = format!("{i}/2");
        let mut a = batch_args(osm, dfile_s, p.to_str().unwrap());
        a.extend(["--shard", &shard]);
        circle15(&a);
    }
    let m = d.path().join("m");
    let o = circle15(&["merge", p0.to_str().unwrap(), p1.to_str().unwrap(), "--out", m.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(m.join("districts.md")).unwrap();
    assert!(md.contains("(../p0/35016a/report.md)") && md.contains("(../p1/35016c/report.md)"), "{md}");
}
