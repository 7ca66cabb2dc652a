//! Shared helpers of the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use circle15::analyze::Config;
use circle15::profile::Profile;

/// A file of `../shared/data/` (the real extracts CI places beside the clone).
pub fn shared(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(name);
    assert!(p.exists(), "test data {} is missing: CI places ../shared beside the clone", p.display());
    p
}

pub fn config(osm: Option<PathBuf>, profile: &str, year: Option<i32>, out: &Path) -> Config {
    let mut c = Config::new(osm, Profile::load(profile, year).unwrap(), out.to_path_buf());
    c.export_graph = true;
    c
}

/// Parses a CSV (RFC 4180 quoting) into header and rows of strings.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

pub fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The IGN Las Palmas municipality boundary as a one-unit layer (level 区), written into `dir`.
pub fn unit_file(dir: &Path) -> PathBuf {
    let mut b = read_json(&shared("las-palmas-boundary.geojson"));
    for f in b["features"].as_array_mut().unwrap() {
        f["properties"]["name"] = "Las Palmas de Gran Canaria".into();
        f["properties"]["level"] = "区".into();
    }
    let p = dir.join("units.geojson");
    std::fs::write(&p, serde_json::to_vec(&b).unwrap()).unwrap();
    p
}

/// `--osm <Helsinki centre>` unless `args` name an extract: the tests written against the
/// embedded default before issue 15 (Helsinki, default profile) keep their input, now that the
/// embedded default is Hangzhou with the zhejiang-2027 profile.
pub fn helsinki_unless_osm<S: AsRef<str>>(args: &[S]) -> Vec<String> {
    if args.iter().any(|a| a.as_ref() == "--osm") {
        Vec::new()
    } else {
        vec!["--osm".into(), shared("helsinki-centre.osm.pbf").to_string_lossy().into_owned()]
    }
}
