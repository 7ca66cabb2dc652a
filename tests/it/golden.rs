//! Golden fixtures (issue 13 item 6): whole-program outputs on the shipped extracts, checked by
//! `insta` snapshots, so that a refactor that changes any number fails.
//!
//! Each case is a folder `tests/fixtures/golden/<case>/` holding
//! - `args`: the `circle15` command line, one argument per line (`#` comments, blank lines ignored;
//!   paths relative to the crate root); the test runs the built binary with these plus
//!   `--quiet --out <temp dir>`;
//! - `summary.snap`: `summary.json` without `stages_ms` (the one wall-clock field);
//! - `gaps.snap`: `gaps.csv` as written (a UTF-8 BOM shown as a first line `[UTF-8 BOM]`);
//! - `communities.snap`: the properties of the first 20 features of `communities.geojson` by `id`
//!   (geometry dropped).
//!
//! Coordinates (any number under a `lon`/`lat`/`bbox`/`coordinates`/`centroid` key) are rounded to
//! 1e-6° so the snapshots do not depend on the last bits of a float; every other number is compared
//! exactly as written (the writers already round them).
//!
//! A mismatch fails the test and, on a developer machine, leaves `<name>.snap.new` beside the
//! snapshot. With `CI=true` (set by CI) or `INSTA_UPDATE=no` nothing is written, the test only fails.
//!
//! **Regenerating after an intended change** (e.g. after a merge that changes numbers), one command:
//!
//! ```sh
//! INSTA_UPDATE=always cargo test --test it golden   # rewrites the .snap files in place
//! git diff --stat tests/fixtures/golden             # review, then commit
//! ```
//!
//! or, with `cargo install cargo-insta`: `cargo test --test it golden` then `cargo insta review`.
//! A new case is a new folder with an `args` file and one line in the list of tests below.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::*;

/// How many communities the excerpt keeps (first by `id`).
const COMMUNITIES: usize = 20;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn case_dir(case: &str) -> PathBuf {
    root().join("tests/fixtures/golden").join(case)
}

/// The case's arguments; a data file of `../shared/data/` that is missing fails loudly.
fn args(case: &str) -> Vec<String> {
    let path = case_dir(case).join("args");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let args: Vec<String> =
        text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect();
    for a in &args {
        if a.starts_with("../shared/") {
            assert!(root().join(a).exists(), "test data {a} is missing: CI places ../shared beside the clone");
        }
    }
    args
}

/// Rounds the numbers under coordinate keys to 1e-6 (recursively).
fn round_coords(v: &mut Value, in_coord: bool) {
    match v {
        Value::Number(n) if in_coord => {
            if let Some(x) = n.as_f64().filter(|x| x.fract() != 0.0) {
                *v = serde_json::json!((x * 1e6).round() / 1e6);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| round_coords(x, in_coord)),
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                let coord = in_coord || matches!(k.as_str(), "lon" | "lat" | "bbox" | "coordinates" | "centroid");
                round_coords(x, coord);
            }
        }
        _ => {}
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

/// Runs one case and checks its three snapshots; every mismatch is recorded (`.snap.new`) before
/// the test fails, so one run shows all that changed.
fn check(case: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_circle15"))
        .current_dir(root())
        .args(args(case))
        .arg("--quiet")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{case}: circle15 failed: {}", String::from_utf8_lossy(&o.stderr));

    let mut summary = read_json(&out.join("summary.json"));
    summary.as_object_mut().unwrap().remove("stages_ms").expect("summary.json has stages_ms");
    round_coords(&mut summary, false);

    // A UTF-8 BOM (Chinese runs: Excel on Chinese Windows) is shown as a visible first line.
    let gaps = std::fs::read_to_string(out.join("gaps.csv")).unwrap();
    let gaps = match gaps.strip_prefix('\u{feff}') {
        Some(rest) => format!("[UTF-8 BOM]\n{rest}"),
        None => gaps,
    };

    let geo = read_json(&out.join("communities.geojson"));
    let mut props: Vec<Value> = geo["features"].as_array().unwrap().iter().map(|f| f["properties"].clone()).collect();
    props.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    props.truncate(COMMUNITIES);
    let mut communities = Value::Array(props);
    round_coords(&mut communities, false);

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(case_dir(case));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(format!("circle15 {} (tests/fixtures/golden/{case}/args)", args(case).join(" ")));
    let failed: Vec<&str> = settings.bind(|| {
        let checks: [(&str, String); 3] =
            [("summary", pretty(&summary)), ("gaps", gaps), ("communities", pretty(&communities))];
        checks
            .into_iter()
            .filter_map(|(name, text)| {
                let r = std::panic::catch_unwind(|| insta::assert_snapshot!(name, text));
                r.is_err().then_some(name)
            })
            .collect()
    });
    assert!(failed.is_empty(), "{case}: snapshots differ: {failed:?} (see the module doc to review/accept)");
}

/// The embedded default: central Hangzhou with zhejiang-2027 (2027), in Chinese.
#[test]
fn golden_default_embedded_extract() {
    check("default");
}

/// Helsinki centre, the embedded default before issue 15, now named explicitly.
#[test]
fn golden_helsinki_default_profile() {
    check("helsinki");
}

#[test]
fn golden_hangzhou_zhejiang_2027() {
    check("hangzhou-2027");
}

#[test]
fn golden_las_palmas_default() {
    check("las-palmas");
}
