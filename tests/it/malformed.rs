//! Malformed inputs, one folder each under `tests/fixtures/malformed/<case>/`: the input file(s),
//! `args` (extra `analyze` arguments; `{dir}` is the case folder) and `expected` (text the error
//! must contain). Every case must end with exit code 2, exactly one stderr line `error: …` naming
//! the input file and containing the expected text, no panic, and nothing written to `--out`.
//!
//! The binary PBF inputs are made by `tests/fixtures/malformed/make_pbf.py` (synthetic data).

use std::path::{Path, PathBuf};
use std::process::Command;

const PREVIOUS: &str = "previous good output";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed")
}

fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(fixtures()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    v.sort();
    v
}

/// The case's input: the one entry besides `args` and `expected`.
fn input_name(case: &Path) -> String {
    let names: Vec<String> = std::fs::read_dir(case)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "args" && n != "expected")
        .collect();
    assert_eq!(names.len(), 1, "{}: exactly one input expected, found {names:?}", case.display());
    names.into_iter().next().unwrap()
}

/// Runs one case; `Err` describes what went wrong.
fn run_case(case: &Path) -> Result<(), String> {
    let read = |n: &str| std::fs::read_to_string(case.join(n)).map_err(|e| format!("{n}: {e}"));
    let args: Vec<String> =
        read("args")?.split_whitespace().map(|a| a.replace("{dir}", &case.to_string_lossy())).collect();
    let expected = read("expected")?.trim_end_matches('\n').to_string();
    let input = input_name(case);

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("communities.geojson"), PREVIOUS).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_circle15"))
        .args(["analyze", "--quiet", "--out"])
        .arg(&out)
        .args(&args)
        .args(crate::common::helsinki_unless_osm(&args))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let mut problems = Vec::new();
    if o.status.code() != Some(2) {
        problems.push(format!("exit code {:?}, want 2", o.status.code()));
    }
    if stderr.contains("panicked") {
        problems.push("panicked".into());
    }
    let lines: Vec<&str> = stderr.lines().collect();
    if lines.len() != 1 || !lines[0].starts_with("error: ") {
        problems.push("not exactly one `error: ` line".into());
    }
    if !stderr.contains(&input) {
        problems.push(format!("does not name the input {input:?}"));
    }
    if !stderr.contains(&expected) {
        problems.push(format!("does not contain {expected:?}"));
    }
    let left: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    if left != ["communities.geojson"] {
        problems.push(format!("--out holds {left:?}"));
    }
    if std::fs::read_to_string(out.join("communities.geojson")).ok().as_deref() != Some(PREVIOUS) {
        problems.push("the previous output changed".into());
    }
    if problems.is_empty() { Ok(()) } else { Err(format!("{}; stderr: {stderr}", problems.join("; "))) }
}

#[test]
fn every_malformed_input_gets_one_clear_error_and_no_output() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    // Two at a time: each run starts its own decoding threads.
    let results: Vec<(String, Result<(), String>)> = std::thread::scope(|s| {
        let half = cases.len().div_ceil(2);
        let workers: Vec<_> = cases
            .chunks(half)
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|c| (c.file_name().unwrap().to_string_lossy().into_owned(), run_case(c)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    let failed: Vec<String> =
        results.iter().filter_map(|(n, r)| r.as_ref().err().map(|e| format!("{n}: {e}"))).collect();
    assert!(failed.is_empty(), "{} of {} cases failed:\n{}", failed.len(), results.len(), failed.join("\n"));
}

/// The loader's own reader entry point gives the same errors as the binary, without a file.
#[test]
fn pbf_errors_from_a_reader_name_the_label() {
    let profile = circle15::profile::Profile::load("default", None).unwrap();
    for case in ["pbf_truncated_blob", "pbf_huge_blob_size", "pbf_unknown_member_type", "pbf_stray_bytes"] {
        let bytes = std::fs::read(fixtures().join(case).join("input.osm.pbf")).unwrap();
        let expected = std::fs::read_to_string(fixtures().join(case).join("expected")).unwrap();
        let e = circle15::osm::load_pbf_reader(
            std::io::Cursor::new(bytes),
            Path::new("label.osm.pbf"),
            &profile,
            &Default::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("label.osm.pbf: not a valid OSM PBF file") && e.contains(expected.trim()), "{case}: {e}");
    }
}

/// The degenerate-polygon check lets real boundaries through, up to a whole prefecture-level city
/// (a community layer that coarse is unusual, but valid).
#[test]
fn real_boundaries_pass_the_extent_check() {
    use circle15::community::read_geojson::parse_communities;
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    for f in [
        "las-palmas-boundary.geojson",
        "boundaries/ningbo-haishu-330203-gcj02.geojson",
        "boundaries/ningbo-330200-gcj02.geojson",
        "boundaries/wenzhou-330300-gcj02.geojson",
    ] {
        let mut text = std::fs::read_to_string(shared.join(f)).unwrap();
        if !text.contains("FeatureCollection") {
            // The district boundaries are bare geometries.
            text = format!(
                r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":{text}}}]}}"#
            );
        }
        let c = parse_communities(text.as_bytes(), Path::new(f)).unwrap_or_else(|e| panic!("{e}"));
        assert!(!c.is_empty(), "{f}");
    }
}
