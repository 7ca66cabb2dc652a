//! Inputs that may be right but look wrong, one folder each under `tests/fixtures/warnings/<case>/`:
//! the input file(s), `args` (extra `analyze` arguments; `{dir}` is the case folder) and
//! `expected` (one line per text a warning must contain). Every case must exit 0 and show each
//! expected text in exactly one `warning: ` line on stderr — with `--quiet`, and nothing on
//! stdout — and in `summary.json`'s `warnings` and report.md. Also here: the other message rules
//! of the binary (issue 12, item 6).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/warnings")
}

fn run_case(case: &Path) -> Result<(), String> {
    let read = |n: &str| std::fs::read_to_string(case.join(n)).map_err(|e| format!("{n}: {e}"));
    let args: Vec<String> =
        read("args")?.split_whitespace().map(|a| a.replace("{dir}", &case.to_string_lossy())).collect();
    let expected: Vec<String> = read("expected")?.lines().filter(|l| !l.is_empty()).map(String::from).collect();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_circle15"))
        .args(["analyze", "--quiet", "--no-html", "--no-isochrones", "--out"])
        .arg(&out)
        .args(&args)
        .args(crate::common::helsinki_unless_osm(&args))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let mut problems = Vec::new();
    if o.status.code() != Some(0) {
        problems.push(format!("exit code {:?}, want 0", o.status.code()));
    }
    if !o.stdout.is_empty() {
        problems.push(format!("stdout not empty with --quiet: {}", String::from_utf8_lossy(&o.stdout)));
    }
    let warnings: Vec<&str> = stderr.lines().filter_map(|l| l.strip_prefix("warning: ")).collect();
    let summary = if o.status.success() { read_json(&out.join("summary.json")) } else { serde_json::Value::Null };
    let in_summary: Vec<&str> =
        summary["warnings"].as_array().map(|a| a.iter().filter_map(|w| w.as_str()).collect()).unwrap_or_default();
    let report = std::fs::read_to_string(out.join("report.md")).unwrap_or_default();
    for e in &expected {
        let n = warnings.iter().filter(|w| w.contains(e.as_str())).count();
        if n != 1 {
            problems.push(format!("{n} stderr warning lines contain {e:?}"));
        }
        if !in_summary.iter().any(|w| w.contains(e.as_str())) {
            problems.push(format!("summary.json warnings lack {e:?}"));
        }
        if !report.contains(e.as_str()) {
            problems.push(format!("report.md lacks {e:?}"));
        }
    }
    if warnings != in_summary {
        problems.push("stderr and summary.json warnings differ".into());
    }
    if problems.is_empty() { Ok(()) } else { Err(format!("{}; stderr: {stderr}", problems.join("; "))) }
}

#[test]
fn every_warning_case_warns_once_on_stderr_and_in_the_outputs() {
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(fixtures()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 3, "only {} cases", cases.len());
    let failed: Vec<String> = cases
        .iter()
        .filter_map(|c| run_case(c).err().map(|e| format!("{}: {e}", c.file_name().unwrap().to_string_lossy())))
        .collect();
    assert!(failed.is_empty(), "{} of {} cases failed:\n{}", failed.len(), cases.len(), failed.join("\n"));
}

/// Without `--quiet` the table goes to stdout and the warnings to stderr only.
#[test]
fn warnings_go_to_stderr_not_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_circle15"))
        .args(["analyze", "--no-html", "--no-isochrones", "--out"])
        .arg(tmp.path().join("out"))
        .args(crate::common::helsinki_unless_osm::<&str>(&[]))
        .output()
        .unwrap();
    assert!(o.status.success());
    let (stdout, stderr) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("wrote "), "{stdout}");
    assert!(!stdout.contains("warning"), "warnings on stdout: {stdout}");
    assert!(stderr.lines().any(|l| l.starts_with("warning: population ")), "{stderr}");
}

/// An `--out` under a regular file is refused before the extract is read: the run fails fast
/// with the `--out` error even though the communities file would fail later.
#[test]
fn out_that_cannot_be_written_fails_before_the_analysis() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let bad_communities = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/malformed/geojson_communities_lat_lon/input.geojson");
    let o = Command::new(env!("CARGO_BIN_EXE_circle15"))
        .arg("analyze")
        .args(crate::common::helsinki_unless_osm::<&str>(&[]))
        .args(["--quiet", "--communities"])
        .arg(&bad_communities)
        .arg("--out")
        .arg(file.join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--out") && stderr.contains("is a file, not a directory"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");

    // A read-only directory (unless running as root, which may write anyway).
    use std::os::unix::fs::PermissionsExt;
    let ro = tmp.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let writable_anyway = std::fs::write(ro.join("probe"), "x").is_ok();
    let _ = std::fs::remove_file(ro.join("probe"));
    if !writable_anyway {
        let o = Command::new(env!("CARGO_BIN_EXE_circle15"))
            .arg("analyze")
            .args(crate::common::helsinki_unless_osm::<&str>(&[]))
            .args(["--quiet", "--communities"])
            .arg(&bad_communities)
            .arg("--out")
            .arg(ro.join("out"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("cannot write: permission denied"), "{stderr}");
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `plan --candidates` written [lat, lon] is an error naming the file.
#[test]
fn candidates_off_the_extract_are_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("candidates.geojson");
    std::fs::write(
        &c,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[60.169,24.940]}}]}"#,
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_circle15"))
        .args(["plan", "--quiet", "--lang", "en", "--category", "kindergarten", "--count", "1", "--candidates"])
        .arg(&c)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("candidates.geojson") && stderr.contains("none of the 1 candidate sites overlaps the extract"),
        "{stderr}"
    );
}
