//! Atomic output set: stage files under temporary names, then rename them all.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Prefix of temporary files (hidden, recognisable, cleaned on drop).
pub const TMP_PREFIX: &str = ".circle15-tmp-";

/// A set of outputs written atomically into one directory.
#[derive(Debug)]
pub struct OutputSet {
    dir: PathBuf,
    staged: Vec<(PathBuf, PathBuf)>,
    committed: bool,
}

impl OutputSet {
    /// Creates the directory if needed. Leftover temporary files of an earlier killed run are
    /// removed.
    pub fn new(dir: &Path) -> Result<OutputSet> {
        fs::create_dir_all(dir).map_err(|e| Error::Write { path: dir.to_path_buf(), cause: e })?;
        if let Ok(rd) = fs::read_dir(dir) {
            for e in rd.flatten() {
                if e.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        Ok(OutputSet { dir: dir.to_path_buf(), staged: Vec::new(), committed: false })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` in full to a temporary file for `name`, fsynced.
    pub fn stage(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        let final_path = self.dir.join(name);
        let tmp = self.dir.join(format!("{TMP_PREFIX}{}-{name}", std::process::id()));
        let werr = |e| Error::Write { path: final_path.clone(), cause: e };
        let mut f = File::create(&tmp).map_err(werr)?;
        self.staged.push((tmp, final_path.clone()));
        f.write_all(bytes).map_err(werr)?;
        f.sync_all().map_err(werr)?;
        Ok(())
    }

    /// Renames every staged file to its final name.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        let mut done = Vec::new();
        for (tmp, fin) in &self.staged {
            fs::rename(tmp, fin).map_err(|e| Error::Write { path: fin.clone(), cause: e })?;
            done.push(fin.clone());
        }
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        self.committed = true;
        Ok(done)
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.committed {
            for (tmp, _) in &self.staged {
                let _ = fs::remove_file(tmp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_set_leaves_previous_outputs_and_no_temp() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("a.txt"), "old").unwrap();
        {
            let mut s = OutputSet::new(d.path()).unwrap();
            s.stage("a.txt", b"new").unwrap();
            // dropped without commit (a failure later in the run)
        }
        assert_eq!(fs::read_to_string(d.path().join("a.txt")).unwrap(), "old");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
        let mut s = OutputSet::new(d.path()).unwrap();
        s.stage("a.txt", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(d.path().join("a.txt")).unwrap(), "new");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
    }
}
