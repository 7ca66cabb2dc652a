//! Interrupted runs: SIGINT/SIGTERM at any moment leaves the previous outputs byte-identical (or,
//! had the run finished, a complete new set), never a temporary file; a run killed outright
//! (SIGKILL) leaves temporary files that the next run removes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::shared;
use circle15::report::atomic::{TEST_PAUSE_ENV, TMP_PREFIX};

/// What a finished `--export-graph` run writes.
const NEW_SET: &[&str] = &[
    "access.csv",
    "communities.geojson",
    "edges.csv",
    "facilities.geojson",
    "gaps.csv",
    "isochrones.geojson",
    "nodes.csv",
    "report.html",
    "report.md",
    "summary.json",
];

/// Fills `out` with a previous run's files (made-up contents) and returns them.
fn previous_outputs(out: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::create_dir_all(out).unwrap();
    let mut files = BTreeMap::new();
    for name in ["communities.geojson", "nodes.csv", "report.md", "summary.json"] {
        let bytes = format!("previous {name}\n").into_bytes();
        std::fs::write(out.join(name), &bytes).unwrap();
        files.insert(name.to_string(), bytes);
    }
    files
}

fn contents(out: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn temp_files(out: &Path) -> Vec<String> {
    contents(out).into_keys().filter(|n| n.starts_with(TMP_PREFIX)).collect()
}

fn start(osm: &Path, out: &Path, pause_ms: Option<u64>) -> Child {
    let mut c = Command::new(env!("CARGO_BIN_EXE_circle15"));
    c.args(["analyze", "--quiet", "--export-graph", "--osm"])
        .arg(osm)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(ms) = pause_ms {
        c.env(TEST_PAUSE_ENV, ms.to_string());
    }
    c.spawn().unwrap()
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill").arg(format!("-{sig}")).arg(child.id().to_string()).status().unwrap().success();
    assert!(ok, "kill -{sig} failed");
}

/// Waits until the run has staged its files (it then sleeps before committing).
fn wait_for_staged(child: &mut Child, out: &Path) {
    let t = Instant::now();
    while temp_files(out).len() < NEW_SET.len() {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before staging its outputs");
        assert!(t.elapsed() < Duration::from_secs(300), "no staged outputs after 300 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Exit code 130 → the previous outputs untouched; 0 → a complete new set. Never a temp file.
fn check_after(code: Option<i32>, stderr: &str, out: &Path, previous: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert!(temp_files(out).is_empty(), "{what}: temporary files left: {:?}", temp_files(out));
    let now = contents(out);
    match code {
        Some(130) => assert!(now == *previous, "{what}: previous outputs changed: {:?}", now.keys()),
        Some(0) => {
            let names: Vec<&str> = now.keys().map(String::as_str).collect();
            assert_eq!(names, NEW_SET, "{what}");
            assert!(now.iter().all(|(n, b)| previous.get(n) != Some(b)), "{what}: an old file survived");
            serde_json::from_slice::<serde_json::Value>(&now["summary.json"]).expect("complete summary.json");
        }
        other => panic!("{what}: exit code {other:?}, want 130 or 0; stderr: {stderr}"),
    }
}

fn finish(child: Child) -> (Option<i32>, String) {
    let o = child.wait_with_output().unwrap();
    (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn sigint_at_any_time_leaves_previous_outputs_or_a_complete_set() {
    let osm = shared("las-palmas.osm.pbf");
    let d = tempfile::tempdir().unwrap();
    let mut interrupted = 0;
    for delay_ms in [50, 150, 300, 600, 1500] {
        let out = d.path().join(format!("out-{delay_ms}"));
        let previous = previous_outputs(&out);
        let child = start(&osm, &out, None);
        std::thread::sleep(Duration::from_millis(delay_ms));
        signal(&child, "INT");
        let (code, stderr) = finish(child);
        interrupted += usize::from(code == Some(130));
        check_after(code, &stderr, &out, &previous, &format!("SIGINT after {delay_ms} ms"));
    }
    assert!(interrupted > 0, "no run was interrupted: the input is too small for this test");
}

#[test]
fn sigint_and_sigterm_in_the_write_phase_remove_the_staged_files() {
    let osm = shared("las-palmas.osm.pbf");
    let d = tempfile::tempdir().unwrap();
    for sig in ["INT", "TERM"] {
        let out = d.path().join(format!("out-{sig}"));
        let previous = previous_outputs(&out);
        let mut child = start(&osm, &out, Some(60_000));
        wait_for_staged(&mut child, &out);
        signal(&child, sig);
        let (code, stderr) = finish(child);
        assert_eq!(code, Some(130), "SIG{sig}: {stderr}");
        check_after(code, &stderr, &out, &previous, &format!("SIG{sig} while staged"));
    }
}

#[test]
fn leftovers_of_a_killed_run_are_removed_by_the_next_run() {
    let osm: PathBuf = shared("west-oakland.osm.pbf");
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let previous = previous_outputs(&out);
    let mut child = start(&osm, &out, Some(60_000));
    wait_for_staged(&mut child, &out);
    child.kill().unwrap(); // SIGKILL: no handler runs
    child.wait().unwrap();
    assert_eq!(temp_files(&out).len(), NEW_SET.len(), "a killed run leaves its staged files");
    let mut now = contents(&out);
    now.retain(|n, _| !n.starts_with(TMP_PREFIX));
    assert!(now == previous, "the killed run changed the previous outputs");

    let (code, stderr) = finish(start(&osm, &out, None));
    assert_eq!(code, Some(0), "{stderr}");
    check_after(code, &stderr, &out, &previous, "the run after a kill -9");
}
