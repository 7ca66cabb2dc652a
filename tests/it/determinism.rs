//! Same input → byte-identical outputs, whatever the thread count and however often it runs.

use crate::common::*;

fn outputs(threads: usize) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let cfg = config(Some(shared("las-palmas.osm.pbf")), "default", None, &out);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| circle15::run_analyze(&cfg)).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let mut bytes = std::fs::read(e.path()).unwrap();
            if name == "summary.json" {
                // Stage timings are wall-clock measurements: the one field that may differ.
                let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                v["stages_ms"] = serde_json::Value::Null;
                bytes = serde_json::to_vec(&v).unwrap();
            }
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn identical_outputs_with_1_2_and_8_threads() {
    let one = outputs(1);
    assert!(one.len() >= 6, "{:?}", one.iter().map(|f| &f.0).collect::<Vec<_>>());
    for t in [2, 8, 2] {
        let other = outputs(t);
        assert_eq!(one.len(), other.len());
        for (a, b) in one.iter().zip(&other) {
            assert_eq!(a.0, b.0);
            assert!(a.1 == b.1, "{} differs between 1 and {t} threads", a.0);
        }
    }
}
