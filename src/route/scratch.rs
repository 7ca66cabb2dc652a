//! Per-thread reusable search state.

use std::fmt;

use super::UNREACHED;
use super::kernel::{DistStore, prefetch};
use super::queue::{BucketQueue, HeapQueue};

/// One node's tentative distance, valid only when `epoch` is the scratch's current epoch.
/// Kept side by side so a relaxation touches one 8-byte slot.
#[derive(Clone, Copy, Default)]
pub(crate) struct Slot {
    epoch: u32,
    dist: u32,
}

/// Per-thread reusable search state: distances stamped by an epoch counter (never refilled between
/// queries), bucket queue storage. Sized for a graph of n nodes and a maximum cap.
///
/// `Scratch::new(n)` allocates the distance slots (8 bytes per node); bucket storage grows on
/// demand to the largest cap used (one bucket per decisecond up to [`MAX_BUCKET_CAP_DS`]) and is
/// kept, so after the first few queries a search allocates nothing. A scratch used on a larger
/// graph than it was sized for grows to fit. Epoch 0 is never live: when the counter wraps, every
/// slot is cleared once and counting restarts at 1.
///
/// [`MAX_BUCKET_CAP_DS`]: super::MAX_BUCKET_CAP_DS
pub struct Scratch {
    slots: Vec<Slot>,
    epoch: u32,
    pub(crate) buckets: BucketQueue,
    pub(crate) heap: HeapQueue,
}

impl Scratch {
    pub fn new(node_count: usize) -> Scratch {
        Scratch {
            slots: vec![Slot::default(); node_count],
            epoch: 0,
            buckets: BucketQueue::default(),
            heap: HeapQueue::default(),
        }
    }

    /// Starts a new search over `node_count` nodes: bumps the epoch (so every distance reads as
    /// unreached) and returns the distance view plus both queues.
    pub(crate) fn begin(&mut self, node_count: usize) -> (Stamped<'_>, &mut BucketQueue, &mut HeapQueue) {
        if self.slots.len() < node_count {
            self.slots.resize(node_count, Slot::default());
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.slots.fill(Slot::default());
            self.epoch = 1;
        }
        let view = Stamped { slots: &mut self.slots, epoch: self.epoch };
        (view, &mut self.buckets, &mut self.heap)
    }

    #[cfg(test)]
    pub(crate) fn set_epoch(&mut self, epoch: u32) {
        self.epoch = epoch;
    }
}

impl fmt::Debug for Scratch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scratch")
            .field("node_count", &self.slots.len())
            .field("epoch", &self.epoch)
            .finish_non_exhaustive()
    }
}

/// Distances of the current epoch; slots from older epochs read as [`UNREACHED`].
pub(crate) struct Stamped<'a> {
    slots: &'a mut [Slot],
    epoch: u32,
}

impl DistStore for Stamped<'_> {
    #[inline]
    fn get(&self, node: u32) -> u32 {
        let slot = self.slots[node as usize];
        if slot.epoch == self.epoch { slot.dist } else { UNREACHED }
    }
    #[inline]
    fn improve(&mut self, node: u32, time_ds: u32) -> bool {
        let slot = &mut self.slots[node as usize];
        if slot.epoch != self.epoch || time_ds < slot.dist {
            *slot = Slot { epoch: self.epoch, dist: time_ds };
            true
        } else {
            false
        }
    }
    #[inline]
    fn prefetch(&self, node: u32) {
        prefetch(self.slots.as_ptr().wrapping_add(node as usize));
    }
}
