//! Atomic output set: stage files under temporary names, then rename them all.
//!
//! Every staged temporary file is also listed in a process-wide registry, so that an interrupt
//! (SIGINT/SIGTERM, see the binary) can remove them with [`abort_staged`] before the process exits.
//! The registry's lock orders the interrupt against the writer:
//! - a temporary file is created, and registered, under the lock: the interrupt sees every file
//!   that exists, and none can appear after it ran;
//! - [`OutputSet::commit`] holds the lock for all its renames: an interrupt that arrives during a
//!   commit waits for it, so a set is renamed whole or not at all. (An interrupt in that window
//!   therefore ends with the new set complete, and still exits 130.)
//!
//! Runs killed outright (SIGKILL, power loss) leave their temporary files; the next
//! [`OutputSet::new`] on the directory removes them.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, Result};

/// Prefix of temporary files (hidden, recognisable, cleaned on drop).
pub const TMP_PREFIX: &str = ".circle15-tmp-";

/// Test only: milliseconds [`OutputSet::commit`] sleeps before renaming (with every file staged),
/// so that a test can interrupt a run deterministically in its write phase. Not for users.
pub const TEST_PAUSE_ENV: &str = "CIRCLE15_TEST_PAUSE_BEFORE_COMMIT_MS";

/// Temporary files currently staged by any output set of this process.
static STAGED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic elsewhere never leaves the list inconsistent (each change is one push or retain).
    STAGED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every staged temporary file of this process and returns the registry still locked:
/// for an interrupt handler, which then exits while holding it, so that no output set can stage
/// or commit anything more. Returns the number of files removed alongside.
pub fn abort_staged() -> (MutexGuard<'static, Vec<PathBuf>>, usize) {
    let mut reg = registry();
    let n = reg.len();
    for tmp in reg.drain(..) {
        let _ = fs::remove_file(&tmp);
    }
    (reg, n)
}

/// A set of outputs written atomically into one directory.
#[derive(Debug)]
pub struct OutputSet {
    dir: PathBuf,
    staged: Vec<(PathBuf, PathBuf)>,
    /// Files being written and fsynced on their own thread ([`OutputSet::stage_in_background`]),
    /// with their final paths; [`OutputSet::commit`] waits for them.
    pending: Vec<(PathBuf, std::thread::JoinHandle<std::io::Result<()>>)>,
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
        Ok(OutputSet { dir: dir.to_path_buf(), staged: Vec::new(), pending: Vec::new(), committed: false })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates the temporary file for `name`, registered (under the registry lock, see the module
    /// doc) and staged for the commit; returns it with the final path.
    fn create_staged(&mut self, name: &str) -> Result<(File, PathBuf)> {
        let final_path = self.dir.join(name);
        let tmp = self.dir.join(format!("{TMP_PREFIX}{}-{name}", std::process::id()));
        let f = {
            let mut reg = registry();
            let f = File::create(&tmp).map_err(|e| Error::Write { path: final_path.clone(), cause: e })?;
            reg.push(tmp.clone());
            f
        };
        self.staged.push((tmp, final_path.clone()));
        Ok((f, final_path))
    }

    /// Writes `bytes` in full to a temporary file for `name`, fsynced.
    pub fn stage(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.stage_with(name, |w| w.write_all(bytes))
    }

    /// Like [`OutputSet::stage`], with the content streamed by `write` (buffered), so a large
    /// output need not be held in memory.
    pub fn stage_with(&mut self, name: &str, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
        let (mut f, final_path) = self.create_staged(name)?;
        let werr = |e| Error::Write { path: final_path.clone(), cause: e };
        let mut buf = std::io::BufWriter::with_capacity(1 << 16, &mut f);
        write(&mut buf).map_err(werr)?;
        buf.flush().map_err(werr)?;
        drop(buf);
        f.sync_all().map_err(werr)?;
        Ok(())
    }

    /// Like [`OutputSet::stage`] with the content given as consecutive parts, written and fsynced
    /// on a thread of its own while the caller goes on computing (the disk then overlaps the CPU
    /// work); the temporary file is created and registered before this returns, and
    /// [`OutputSet::commit`] waits for the write and reports its error, if any.
    pub fn stage_in_background(&mut self, name: &str, parts: Vec<Vec<u8>>) -> Result<()> {
        let (f, final_path) = self.create_staged(name)?;
        let write = move || -> std::io::Result<()> {
            let mut f = f;
            for p in &parts {
                f.write_all(p)?;
            }
            drop(parts);
            f.sync_all()
        };
        // Should no thread be available (resource limits), the same closure cannot be retried
        // after `spawn` consumed it, so the shared slot hands it back for a write in this thread.
        let slot = std::sync::Arc::new(std::sync::Mutex::new(Some(write)));
        let in_thread = std::sync::Arc::clone(&slot);
        let spawned = std::thread::Builder::new().name(format!("write {name}")).spawn(move || {
            let w = in_thread.lock().unwrap_or_else(|p| p.into_inner()).take();
            w.map_or(Ok(()), |w| w())
        });
        match spawned {
            Ok(handle) => self.pending.push((final_path, handle)),
            Err(_) => {
                let w = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
                if let Some(w) = w {
                    w().map_err(|e| Error::Write { path: final_path, cause: e })?;
                }
            }
        }
        Ok(())
    }

    /// Like [`OutputSet::stage_with`], with `write` run on a thread of `scope` (it may borrow
    /// what the scope's caller holds, e.g. the analysis): the temporary file is created and
    /// registered before this returns; the caller joins the handle before the scope ends and
    /// calls [`ScopedStage::join`]. A large table is then streamed to disk,
    /// and fsynced, while the caller goes on computing, without ever being held whole.
    pub fn stage_scoped<'scope, W>(
        &mut self,
        scope: &'scope std::thread::Scope<'scope, '_>,
        name: &str,
        write: W,
    ) -> Result<ScopedStage<'scope>>
    where
        W: FnOnce(&mut dyn Write) -> std::io::Result<()> + Send + 'scope,
    {
        let (f, final_path) = self.create_staged(name)?;
        let handle = std::thread::Builder::new()
            .name(format!("write {name}"))
            .spawn_scoped(scope, move || {
                let mut f = f;
                let mut buf = std::io::BufWriter::with_capacity(1 << 16, &mut f);
                write(&mut buf)?;
                buf.flush()?;
                drop(buf);
                f.sync_all()
            })
            .map_err(|e| Error::Write { path: final_path.clone(), cause: e })?;
        Ok(ScopedStage { final_path, handle })
    }

    /// Waits for every background write; the first failure is returned. (Called by
    /// [`OutputSet::commit`]; call it earlier to time the writing.)
    pub fn finish_pending(&mut self) -> Result<()> {
        let mut first = Ok(());
        for (path, h) in self.pending.drain(..) {
            let r = h.join().unwrap_or_else(|_| Err(std::io::Error::other("writer thread panicked")));
            if let (Err(e), Ok(())) = (r, &first) {
                first = Err(Error::Write { path, cause: e });
            }
        }
        first
    }

    /// Renames every staged file to its final name, holding the registry lock throughout (see the
    /// module doc). Should a rename fail, the files not yet renamed are removed on drop.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        self.finish_pending()?;
        if let Some(ms) = std::env::var(TEST_PAUSE_ENV).ok().and_then(|v| v.parse::<u64>().ok()) {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        let mut done = Vec::new();
        {
            let mut reg = registry();
            while let Some((tmp, fin)) = self.staged.first() {
                if let Err(e) = fs::rename(tmp, fin) {
                    // The lock is released before the set drops (and removes what is left).
                    return Err(Error::Write { path: fin.clone(), cause: e });
                }
                reg.retain(|p| p != tmp);
                done.push(fin.clone());
                self.staged.remove(0);
            }
        }
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        self.committed = true;
        Ok(done)
    }
}

/// A file being written on a scoped thread ([`OutputSet::stage_scoped`]).
#[derive(Debug)]
pub struct ScopedStage<'scope> {
    final_path: PathBuf,
    handle: std::thread::ScopedJoinHandle<'scope, std::io::Result<()>>,
}

impl ScopedStage<'_> {
    /// Waits for the write; its failure names the output file.
    pub fn join(self) -> Result<()> {
        let r = self.handle.join().unwrap_or_else(|_| Err(std::io::Error::other("writer thread panicked")));
        r.map_err(|e| Error::Write { path: self.final_path, cause: e })
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        // No file is removed while a thread still writes it.
        let _ = self.finish_pending();
        if !self.committed && !self.staged.is_empty() {
            let mut reg = registry();
            for (tmp, _) in &self.staged {
                let _ = fs::remove_file(tmp);
                reg.retain(|p| p != tmp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Registered temporary files in `dir` (other tests may stage elsewhere meanwhile).
    fn registered_in(dir: &Path) -> Vec<PathBuf> {
        registry().iter().filter(|p| p.starts_with(dir)).cloned().collect()
    }

    #[test]
    fn staged_files_are_registered_until_commit_or_drop() {
        let d = tempfile::tempdir().unwrap();
        let mut s = OutputSet::new(d.path()).unwrap();
        s.stage("a.txt", b"a").unwrap();
        s.stage("b.txt", b"b").unwrap();
        let tmp = registered_in(d.path());
        assert_eq!(tmp.len(), 2);
        assert!(tmp.iter().all(|p| p.exists()));
        s.commit().unwrap();
        assert!(registered_in(d.path()).is_empty());
        assert!(tmp.iter().all(|p| !p.exists()));

        let mut s = OutputSet::new(d.path()).unwrap();
        s.stage("c.txt", b"c").unwrap();
        assert_eq!(registered_in(d.path()).len(), 1);
        drop(s);
        assert!(registered_in(d.path()).is_empty());
        assert!(!d.path().join("c.txt").exists());
    }

    #[test]
    fn background_parts_are_joined_in_order_at_commit_or_removed_on_drop() {
        let d = tempfile::tempdir().unwrap();
        let mut s = OutputSet::new(d.path()).unwrap();
        s.stage_in_background("big.txt", vec![b"ab".to_vec(), Vec::new(), b"cde".to_vec()]).unwrap();
        s.stage("small.txt", b"x").unwrap();
        assert_eq!(registered_in(d.path()).len(), 2);
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(d.path().join("big.txt")).unwrap(), "abcde");
        assert!(registered_in(d.path()).is_empty());

        let mut s = OutputSet::new(d.path()).unwrap();
        s.stage_in_background("big.txt", vec![vec![b'z'; 1 << 20]]).unwrap();
        drop(s);
        assert_eq!(fs::read_to_string(d.path().join("big.txt")).unwrap(), "abcde", "previous output kept");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 2, "no temporary file left");
    }

    #[test]
    fn scoped_stage_streams_borrowed_data_and_reports_its_failure() {
        let d = tempfile::tempdir().unwrap();
        let rows: Vec<String> = (0..1000).map(|i| format!("{i}\n")).collect();
        let mut s = OutputSet::new(d.path()).unwrap();
        std::thread::scope(|scope| {
            let h =
                s.stage_scoped(scope, "t.csv", |w| rows.iter().try_for_each(|r| w.write_all(r.as_bytes()))).unwrap();
            assert_eq!(registered_in(d.path()).len(), 1, "registered before the write ends");
            h.join().unwrap();
        });
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(d.path().join("t.csv")).unwrap(), rows.concat());

        let mut s = OutputSet::new(d.path()).unwrap();
        let err = std::thread::scope(|scope| {
            let h = s.stage_scoped(scope, "t.csv", |_| Err(std::io::Error::other("no space"))).unwrap();
            h.join().unwrap_err()
        });
        assert!(matches!(&err, Error::Write { path, .. } if path.ends_with("t.csv")), "{err}");
        drop(s);
        assert_eq!(fs::read_to_string(d.path().join("t.csv")).unwrap(), rows.concat(), "previous output kept");
        assert!(registered_in(d.path()).is_empty());
    }

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
