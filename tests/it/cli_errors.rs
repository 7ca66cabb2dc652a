//! Bad input → one clear error line naming the file and the problem, exit code 2, no panic, no
//! partial output, previous outputs untouched.

use std::path::Path;
use std::process::Command;

use crate::common::shared;

const PREVIOUS: &str = "previous good output";

/// Runs `circle15 analyze <args> --out <tmp>/out` where `out` already holds a previous output, and
/// returns (exit code, stderr).
fn analyze_fails(args: &[&str], dir: &Path) -> (i32, String) {
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("communities.geojson"), PREVIOUS).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_circle15"))
        .arg("analyze")
        .args(args)
        .args(crate::common::helsinki_unless_osm(args))
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one error line expected: {stderr}");
    // English, or Chinese with a zh profile (issue 15).
    assert!(stderr.starts_with("error: ") || stderr.starts_with("错误："), "{stderr}");
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, vec!["communities.geojson".to_string()], "partial outputs left: {names:?}");
    assert_eq!(std::fs::read_to_string(out.join("communities.geojson")).unwrap(), PREVIOUS);
    (o.status.code().unwrap_or(-1), stderr)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

const SQUARE: &str = r#"[[[-15.43,28.10],[-15.42,28.10],[-15.42,28.11],[-15.43,28.11],[-15.43,28.10]]]"#;

fn communities(pop: &str) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"Arenales","population":{pop}}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}}]}}"#
    )
}

#[test]
fn missing_osm_file() {
    let d = tempfile::tempdir().unwrap();
    let (code, e) = analyze_fails(&["--osm", "/no/such/extract.osm.pbf"], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("/no/such/extract.osm.pbf") && e.contains("no such file"), "{e}");
}

#[test]
fn not_a_pbf() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "notes.osm.pbf", "this is a text file, not an OSM extract\n");
    let (code, e) = analyze_fails(&["--osm", &p], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("notes.osm.pbf") && e.contains("not a valid OSM PBF file"), "{e}");
}

#[test]
fn truncated_pbf() {
    let d = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(shared("las-palmas.osm.pbf")).unwrap();
    let p = d.path().join("half.osm.pbf");
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    let (code, e) = analyze_fails(&["--osm", p.to_str().unwrap()], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("half.osm.pbf") && e.contains("not a valid OSM PBF file"), "{e}");
}

#[test]
fn empty_pbf() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "empty.osm.pbf", "");
    let (code, e) = analyze_fails(&["--osm", &p], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("empty.osm.pbf") && e.contains("empty"), "{e}");
}

#[test]
fn invalid_geojson() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "broken.geojson", "{\"type\": \"FeatureCollection\", \"features\": [");
    let (code, e) = analyze_fails(&["--communities", &p], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("broken.geojson") && e.contains("invalid JSON"), "{e}");
}

#[test]
fn negative_population() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "neg.geojson", &communities("-12"));
    let (code, e) = analyze_fails(&["--communities", &p], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("neg.geojson") && e.contains("feature 0 (Arenales)") && e.contains("negative"), "{e}");
}

#[test]
fn non_numeric_population() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "nan.geojson", &communities("\"many\""));
    let (code, e) = analyze_fails(&["--communities", &p], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("nan.geojson") && e.contains("\"many\" is not a number"), "{e}");
}

#[test]
fn swapped_coordinates() {
    let d = tempfile::tempdir().unwrap();
    let swapped = communities("100").replace("-15.43,28.10", "28.10,-150.43");
    let p = write(d.path(), "swapped.geojson", &swapped);
    let (code, e) = analyze_fails(&["--communities", &p], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("swapped.geojson") && e.contains("swapped"), "{e}");
}

#[test]
fn facility_table_off_the_extract() {
    // Every row 2,000 km from the extract (another city's registry): not an assessed category
    // with nobody served, but an error naming the file.
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "far.csv", "category,name,lon,lat,capacity\nkindergarten,Far away,121.55,29.87,100\n");
    let (code, e) = analyze_fails(&["--facilities", &p], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("far.csv") && e.contains("every row") && e.contains("none of the 1 facilities"), "{e}");
}

#[test]
fn profile_with_unknown_key() {
    let d = tempfile::tempdir().unwrap();
    let text = circle15::profile::BUILTIN[0].1.replace("cap_factor = 2.0", "cap_factor = 2.0\nwalking_sped = 3");
    let p = write(d.path(), "my.toml", &text);
    let (code, e) = analyze_fails(&["--profile", &p], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("my.toml") && e.contains("walking_sped"), "{e}");
}

#[test]
fn profile_with_impossible_value() {
    let d = tempfile::tempdir().unwrap();
    let text = circle15::profile::BUILTIN[0].1.replace("threshold_min = 5\n", "threshold_min = -5\n");
    let p = write(d.path(), "neg.toml", &text);
    let (code, e) = analyze_fails(&["--profile", &p], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("neg.toml") && e.contains("threshold_min"), "{e}");
}

#[test]
fn unknown_builtin_profile_lists_the_builtins() {
    let d = tempfile::tempdir().unwrap();
    let (code, e) = analyze_fails(&["--profile", "zhejiang-2099"], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("zhejiang-2099") && e.contains("zhejiang-2027"), "{e}");
}

#[test]
fn year_without_targets() {
    let d = tempfile::tempdir().unwrap();
    let (code, e) = analyze_fails(&["--profile", "zhejiang-2027", "--year", "2031"], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("2031") && e.contains("2027"), "{e}");
}

#[test]
fn good_run_replaces_previous_outputs() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("communities.geojson"), PREVIOUS).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_circle15"))
        .args(["analyze", "--quiet", "--out"])
        .arg(&out)
        .args(crate::common::helsinki_unless_osm::<&str>(&[]))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let c = std::fs::read_to_string(out.join("communities.geojson")).unwrap();
    assert!(c.starts_with("{\"type\":\"FeatureCollection\""));
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.starts_with(".circle15-tmp")), "{names:?}");
}

#[test]
fn memory_guard_refuses_before_allocating() {
    let d = tempfile::tempdir().unwrap();
    let p = shared("las-palmas.osm.pbf");
    let (code, e) = analyze_fails(&["--osm", p.to_str().unwrap(), "--max-memory", "50"], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("las-palmas.osm.pbf") && e.contains("--max-memory (50 MiB)") && e.contains("--clip"), "{e}");
}

/// The default binary has no `bench` (issue 13 item 5): `circle15 bench …` says how to get it.
#[cfg(not(feature = "bench"))]
#[test]
fn bench_without_the_feature_says_how_to_get_it() {
    let o = Command::new(env!("CARGO_BIN_EXE_circle15")).args(["bench", "--tile", "2"]).output().unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.starts_with("error: ") && e.contains("--features bench"), "{e}");
    assert_eq!(e.trim_end().lines().count(), 1, "{e}");
}

#[test]
fn basemap_tianditu_without_key_and_bad_templates() {
    let d = tempfile::tempdir().unwrap();
    let (code, e) = analyze_fails(&["--basemap", "tianditu"], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("--basemap tianditu") && e.contains("--basemap-key"), "{e}");
    let (code, e) = analyze_fails(&["--basemap", "https://tiles.example.org/{z}/{x}.png"], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("{z}, {x} and {y}"), "{e}");
    let (code, e) = analyze_fails(&["--basemap", "https://tiles.example.org/{z}/{x}/{y}/{foo}.png"], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("unknown placeholder {foo}"), "{e}");
    let (code, e) = analyze_fails(&["--basemap", "osm", "--basemap-key", "abc"], d.path());
    assert_eq!(code, 2);
    assert!(e.contains("--basemap-key"), "{e}");
}
