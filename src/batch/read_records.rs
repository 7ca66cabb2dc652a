//! Reading the records of one or several batch folders back for `merge`: every
//! `DIR/batch/<code>/record.json`, checked to come from one districts file, each district once,
//! none missing.
//!
//! Glossary: see [`crate::model::district_record`].

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::district_record::DistrictRecord;

/// The records of a folder (none when it has no record folder), sorted by code, each with the
/// folder it came from.
fn read_dir_records(dir: &Path) -> Result<Vec<DistrictRecord>> {
    let root = dir.join(super::RECORDS_DIR);
    let rd = match std::fs::read_dir(&root) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::Io { path: root, cause: e }),
    };
    let mut out = Vec::new();
    let mut names: Vec<PathBuf> = rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    names.sort();
    for d in names {
        let p = d.join("record.json");
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::Io { path: p, cause: e }),
        };
        let r: DistrictRecord = serde_json::from_str(&text)
            .map_err(|e| Error::input(&p, format!("line {}", e.line()), format!("not a district record: {e}")))?;
        out.push(r);
    }
    Ok(out)
}

/// The records of every folder, each with its folder, sorted by code. Two records of one code, or
/// records of different districts files, are errors; so are districts without a record (a shard
/// not run or interrupted), named.
pub fn read_records(dirs: &[PathBuf]) -> Result<Vec<(DistrictRecord, PathBuf)>> {
    let mut all: Vec<(DistrictRecord, PathBuf)> = Vec::new();
    for d in dirs {
        if !d.is_dir() {
            return Err(Error::Io { path: d.clone(), cause: std::io::Error::from(std::io::ErrorKind::NotFound) });
        }
        all.extend(read_dir_records(d)?.into_iter().map(|r| (r, d.clone())));
    }
    if all.is_empty() {
        return Err(Error::Config(format!(
            "no district record ({}/<code>/record.json) in {}: run `circle15 batch` (or its shards) first",
            super::RECORDS_DIR,
            dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
        )));
    }
    all.sort_by(|a, b| a.0.code.cmp(&b.0.code).then_with(|| a.1.cmp(&b.1)));
    for w in all.windows(2) {
        if w[0].0.code == w[1].0.code {
            return Err(Error::Config(format!(
                "district {} has a record in both {} and {}: merge each shard's folder once",
                w[0].0.code,
                w[0].1.display(),
                w[1].1.display()
            )));
        }
    }
    let total = all[0].0.districts_total;
    if let Some((r, d)) = all.iter().find(|(r, _)| r.districts_total != total) {
        return Err(Error::Config(format!(
            "{}: district {} comes from a districts file of {} features, others from one of {total}",
            d.display(),
            r.code,
            r.districts_total
        )));
    }
    let mut have = vec![false; total];
    for (r, _) in &all {
        if let Some(h) = have.get_mut(r.feature) {
            *h = true;
        }
    }
    let missing: Vec<String> = have.iter().enumerate().filter(|(_, h)| !**h).map(|(i, _)| i.to_string()).collect();
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(20).map(String::as_str).collect();
        return Err(Error::Config(format!(
            "{} of {total} districts have no record (features {}{}): a shard was not run or was interrupted; run it \
             again, then merge",
            missing.len(),
            shown.join(", "),
            if missing.len() > shown.len() { ", …" } else { "" }
        )));
    }
    Ok(all)
}
