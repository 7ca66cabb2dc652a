//! `--shard I/N`: which districts a shard runs. The rule, documented for cluster engines that
//! start one process per index: the districts are sorted by code and cut into N consecutive runs
//! of as equal a length as possible (the first `len % N` runs one longer); shard `I` (0-based,
//! `0 ≤ I < N`, as a Kubernetes completion index or `SLURM_ARRAY_TASK_ID` with `--array=0-(N-1)`)
//! takes run `I`. Consecutive codes are usually neighbours (330102, 330105, 330106 …), so a shard
//! decodes a compact part of the extract.
//!
//! Glossary: **shard** one process's share of the districts; **run** consecutive codes.

use crate::error::{Error, Result};

/// The I-th of N shards (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// The whole batch in one process.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Parses `I/N`.
    pub fn parse(s: &str) -> Result<Shard> {
        let bad = || Error::Config(format!("--shard {s:?}: expected I/N with 0 ≤ I < N, e.g. 0/4"));
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) =
            (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The codes of this shard, out of all the codes (any order), sorted.
    pub fn select<'a>(&self, codes: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        let mut all: Vec<&str> = codes.into_iter().collect();
        all.sort_unstable();
        let (len, n) = (all.len(), self.count);
        let start = |i: usize| i * (len / n) + i.min(len % n);
        all[start(self.index)..start(self.index + 1)].to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_code_once_in_consecutive_runs() {
        let codes: Vec<String> = (0..10).map(|i| format!("33{i:02}")).collect();
        let mut seen = Vec::new();
        for i in 0..3 {
            let s = Shard::parse(&format!("{i}/3")).unwrap().select(codes.iter().map(String::as_str));
            seen.extend(s.iter().map(|c| c.to_string()));
            assert_eq!(s.len(), if i == 0 { 4 } else { 3 });
        }
        assert_eq!(seen, codes);
        assert_eq!(Shard::ALL.select(codes.iter().map(String::as_str)).len(), 10);
        // More shards than districts: some shards are empty.
        assert!(Shard::parse("4/5").unwrap().select(["a", "b"]).is_empty());
    }

    #[test]
    fn bad_shards_are_refused() {
        for s in ["3/3", "1", "a/2", "0/0", "-1/2"] {
            assert!(Shard::parse(s).is_err(), "{s}");
        }
        assert_eq!(Shard::parse(" 2/5").unwrap(), Shard { index: 2, count: 5 });
    }
}
