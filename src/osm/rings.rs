//! Multipolygon ring assembly: joins member ways (node-id sequences) end to end into closed rings.
//!
//! Work is O(n log n) in the member count and linear in the node count: an index from end node to
//! the positions of the parts that end there replaces a scan of all parts per join, and rings grow
//! at either end of a deque. (A relation with hundreds of thousands of members, as a corrupt or
//! hostile extract may declare, used to take quadratic time.) The choices are those of a plain
//! scan: the lowest-positioned matching part, with parts taken from the back and removed by
//! `swap_remove`.

use std::collections::{BTreeSet, HashMap, VecDeque};

/// Positions of the parts, by end node.
#[derive(Default)]
struct Ends(HashMap<i64, BTreeSet<usize>>);

impl Ends {
    fn insert(&mut self, p: &[i64], i: usize) {
        for n in [p[0], p[p.len() - 1]] {
            self.0.entry(n).or_default().insert(i);
        }
    }
    fn remove(&mut self, p: &[i64], i: usize) {
        for n in [p[0], p[p.len() - 1]] {
            if let Some(s) = self.0.get_mut(&n) {
                s.remove(&i);
            }
        }
    }
    /// The lowest position of a part that ends at `a` or `b`.
    fn first_at(&self, a: i64, b: i64) -> Option<usize> {
        [a, b].iter().filter_map(|n| self.0.get(n).and_then(|s| s.first().copied())).min()
    }
}

/// Joins way segments into closed rings by matching end nodes. Segments that cannot be closed are
/// returned in `open` (count) and left out. Output rings are closed (first == last).
pub fn assemble_rings(mut parts: Vec<Vec<i64>>) -> (Vec<Vec<i64>>, usize) {
    let mut rings = Vec::new();
    let mut open = 0;
    parts.retain(|p| p.len() >= 2);
    let mut ends = Ends::default();
    for (i, p) in parts.iter().enumerate() {
        ends.insert(p, i);
    }
    while let Some(first) = parts.pop() {
        ends.remove(&first, parts.len());
        let mut cur: VecDeque<i64> = first.into();
        loop {
            let (start, end) = (cur[0], cur[cur.len() - 1]);
            if cur.len() >= 4 && start == end {
                rings.push(Vec::from(cur));
                break;
            }
            let Some(i) = ends.first_at(end, start) else {
                open += 1;
                break;
            };
            let last = parts.len() - 1;
            ends.remove(&parts[i], i);
            if i != last {
                ends.remove(&parts[last], last);
                ends.insert(&parts[last], i);
            }
            let p = parts.swap_remove(i);
            let k = p.len();
            if p[0] == end {
                cur.extend(&p[1..]);
            } else if p[k - 1] == end {
                cur.extend(p[..k - 1].iter().rev());
            } else if p[k - 1] == start {
                for &n in p[..k - 1].iter().rev() {
                    cur.push_front(n);
                }
            } else {
                for &n in &p[1..] {
                    cur.push_front(n);
                }
            }
        }
    }
    (rings, open)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn joins_reversed_parts() {
        let (r, open) = assemble_rings(vec![vec![1, 2, 3], vec![5, 4, 3], vec![5, 6, 1], vec![7, 8]]);
        assert_eq!(open, 1);
        assert_eq!(r.len(), 1);
        let ring = &r[0];
        assert_eq!(ring.first(), ring.last());
        assert_eq!(ring.len(), 7);
    }

    /// The former quadratic scan: the reference the indexed version must match exactly.
    fn assemble_by_scan(mut parts: Vec<Vec<i64>>) -> (Vec<Vec<i64>>, usize) {
        let mut rings = Vec::new();
        let mut open = 0;
        parts.retain(|p| p.len() >= 2);
        while let Some(mut cur) = parts.pop() {
            loop {
                if cur.len() >= 4 && cur.first() == cur.last() {
                    rings.push(cur);
                    break;
                }
                let end = *cur.last().unwrap();
                let start = cur[0];
                let pos = parts.iter().position(|p| {
                    p[0] == end || *p.last().unwrap() == end || p[0] == start || *p.last().unwrap() == start
                });
                let Some(i) = pos else {
                    open += 1;
                    break;
                };
                let mut p = parts.swap_remove(i);
                if p[0] == end {
                    cur.extend_from_slice(&p[1..]);
                } else if *p.last().unwrap() == end {
                    p.reverse();
                    cur.extend_from_slice(&p[1..]);
                } else if *p.last().unwrap() == start {
                    p.extend_from_slice(&cur[1..]);
                    cur = p;
                } else {
                    p.reverse();
                    p.extend_from_slice(&cur[1..]);
                    cur = p;
                }
            }
        }
        (rings, open)
    }

    proptest! {
        #[test]
        fn same_rings_as_the_scan(parts in prop::collection::vec(prop::collection::vec(0i64..8, 0..5), 0..12)) {
            prop_assert_eq!(assemble_rings(parts.clone()), assemble_by_scan(parts));
        }
    }

    #[test]
    fn a_ring_of_200k_shuffled_members_assembles() {
        // Two-node members in shuffled order and alternating direction: the scan took minutes.
        let n = 200_000i64;
        let mut parts: Vec<Vec<i64>> =
            (0..n).map(|i| if i % 2 == 0 { vec![i, (i + 1) % n] } else { vec![(i + 1) % n, i] }).collect();
        let mut s = 0x2545_f491_4f6c_dd1du64;
        for i in (1..parts.len()).rev() {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            parts.swap(i, (s % (i as u64 + 1)) as usize);
        }
        // The quadratic scan would not finish in the test's time; the speed itself is measured in
        // benches, not asserted here.
        let (rings, open) = assemble_rings(parts);
        assert_eq!((rings.len(), open), (1, 0));
        assert_eq!(rings[0].len(), n as usize + 1);
    }
}
