//! Monotone priority queues for the search kernel: a bucket queue (Dial) with one bucket per
//! distance value, and a binary-heap fallback for caps too large to give one bucket each.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A monotone min-queue of `(time_ds, node)` entries: keys pushed are never below the key last
/// popped. Duplicates and stale entries are allowed (lazy deletion); the kernel skips them.
pub(crate) trait Queue {
    fn push(&mut self, time_ds: u32, node: u32);
    fn pop(&mut self) -> Option<(u32, u32)>;
    /// A node likely to be popped `k` pops from now, if cheaply known (a prefetch hint only).
    #[inline]
    fn upcoming(&self, _k: usize) -> Option<u32> {
        None
    }
}

/// Queue length from which [`BucketQueue::upcoming`] gives prefetch hints.
const PREFETCH_MIN_PENDING: usize = 2048;

/// Dial's bucket queue: `buckets[d]` holds the nodes pushed with time `d`, for `d in 0..=cap`.
///
/// Storage is kept across searches: a bucket is cleared (capacity retained) when the scan moves
/// past it, so a finished search leaves every bucket empty. `dirty` marks a search that did not run
/// to the end (e.g. its visitor panicked); the next `reset` then clears every bucket.
#[derive(Default)]
pub(crate) struct BucketQueue {
    buckets: Vec<Vec<u32>>,
    /// Time of the bucket being read.
    cur: usize,
    /// Read position inside `buckets[cur]`.
    pos: usize,
    /// Entries pushed and not yet popped (stale ones included).
    pending: usize,
    dirty: bool,
}

impl BucketQueue {
    /// Prepares an empty queue for keys `0..=cap`.
    pub(crate) fn reset(&mut self, cap: u32) {
        if self.dirty {
            self.buckets.iter_mut().for_each(Vec::clear);
        }
        let need = cap as usize + 1;
        if self.buckets.len() < need {
            self.buckets.resize_with(need, Vec::new);
        }
        self.cur = 0;
        self.pos = 0;
        self.pending = 0;
        self.dirty = true;
    }

    /// Number of buckets allocated so far (the largest cap seen plus one).
    #[cfg(test)]
    pub(crate) fn bucket_count(&self) -> usize {
        self.buckets.len()
    }
}

impl Queue for BucketQueue {
    #[inline]
    fn push(&mut self, time_ds: u32, node: u32) {
        debug_assert!(time_ds as usize >= self.cur, "bucket queue is monotone");
        self.buckets[time_ds as usize].push(node);
        self.pending += 1;
    }

    #[inline]
    fn pop(&mut self) -> Option<(u32, u32)> {
        if self.pending == 0 {
            // Only the bucket under the cursor can still hold (already read) entries.
            if let Some(bucket) = self.buckets.get_mut(self.cur) {
                bucket.clear();
            }
            self.pos = 0;
            self.dirty = false;
            return None;
        }
        loop {
            // `pending > 0` guarantees a non-empty bucket at or after `cur`, inside `buckets`.
            if let Some(&node) = self.buckets[self.cur].get(self.pos) {
                self.pos += 1;
                self.pending -= 1;
                return Some((self.cur as u32, node));
            }
            self.buckets[self.cur].clear();
            self.cur += 1;
            self.pos = 0;
        }
    }

    /// Looks `k` entries past the read position in the current bucket, else in the next one.
    /// Gives no hint while the queue is small: the frontier then fits in cache and prefetching
    /// would only cost instructions.
    #[inline]
    fn upcoming(&self, k: usize) -> Option<u32> {
        if self.pending < PREFETCH_MIN_PENDING {
            return None;
        }
        let i = self.pos + k;
        let here = self.buckets.get(self.cur)?;
        match here.get(i) {
            Some(&node) => Some(node),
            None => self.buckets.get(self.cur + 1)?.get(i - here.len()).copied(),
        }
    }
}

/// Binary-heap queue, used when the cap is too large for one bucket per value. Ties are popped
/// in increasing node id.
#[derive(Default)]
pub(crate) struct HeapQueue {
    heap: BinaryHeap<Reverse<(u32, u32)>>,
}

impl HeapQueue {
    pub(crate) fn reset(&mut self) {
        self.heap.clear();
    }
}

impl Queue for HeapQueue {
    #[inline]
    fn push(&mut self, time_ds: u32, node: u32) {
        self.heap.push(Reverse((time_ds, node)));
    }

    #[inline]
    fn pop(&mut self) -> Option<(u32, u32)> {
        self.heap.pop().map(|Reverse(entry)| entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(q: &mut impl Queue) -> Vec<(u32, u32)> {
        std::iter::from_fn(|| q.pop()).collect()
    }

    #[test]
    fn buckets_pop_in_time_then_insertion_order() {
        let mut q = BucketQueue::default();
        q.reset(10);
        q.push(5, 1);
        q.push(0, 2);
        q.push(5, 0);
        q.push(10, 3);
        assert_eq!(q.pop(), Some((0, 2)));
        // A push at the current key (zero-weight edge) is still seen.
        q.push(0, 9);
        assert_eq!(drain(&mut q), vec![(0, 9), (5, 1), (5, 0), (10, 3)]);
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn buckets_are_reusable_and_survive_an_abandoned_search() {
        let mut q = BucketQueue::default();
        q.reset(20);
        q.push(3, 1);
        q.push(7, 2);
        assert_eq!(q.pop(), Some((3, 1)));
        // Abandoned with an entry left at 7: the next reset must not see it.
        q.reset(8);
        assert_eq!(q.bucket_count(), 21);
        q.push(8, 4);
        assert_eq!(drain(&mut q), vec![(8, 4)]);
        q.reset(8);
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn upcoming_hints_only_on_a_large_queue() {
        let mut q = BucketQueue::default();
        q.reset(3);
        q.push(0, 7);
        q.push(1, 8);
        assert_eq!(q.upcoming(0), None, "small queue: no hint");
        let many = PREFETCH_MIN_PENDING as u32;
        for v in 0..many {
            q.push(2 + v % 2, 100 + v);
        }
        assert_eq!(q.upcoming(0), Some(7));
        assert_eq!(q.upcoming(1), Some(8)); // looks into the next bucket
        assert_eq!(q.upcoming(2), None); // but no further
        assert_eq!(q.pop(), Some((0, 7)));
        assert_eq!(q.upcoming(0), Some(8));
        assert_eq!(q.pop(), Some((1, 8)));
        assert_eq!(q.upcoming(3), Some(106));
        assert_eq!(std::iter::from_fn(|| q.pop()).count(), many as usize);
    }

    #[test]
    fn heap_pops_ties_by_node_id() {
        let mut q = HeapQueue::default();
        q.reset();
        q.push(5, 3);
        q.push(5, 1);
        q.push(2, 7);
        assert_eq!(drain(&mut q), vec![(2, 7), (5, 1), (5, 3)]);
    }
}
