//! Per-facility walk-sheds, built in parallel a chunk at a time, with per-thread buffers pooled
//! across chunks so a run of 10^4 sheds allocates them once per thread.
//!
//! Glossary: **job** — one facility node and one category it serves (a facility serving two
//! categories has two sheds, one per threshold); **chunk** — the jobs built between two writes.

use std::sync::Mutex;

use rayon::prelude::*;

use super::{Makers, PolygonLonLat, Work, area_m2};
use crate::profile::Category;

/// One facility walk-shed to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FacilityJob {
    /// The facility's snapped node.
    pub node: u32,
    /// Index of the category in the profile (its threshold is the budget).
    pub category: u16,
}

/// One facility walk-shed in WGS84.
#[derive(Clone, Debug)]
pub struct FacilityShed {
    /// Polygons by decreasing area, rings closed.
    pub polygons: Vec<PolygonLonLat>,
    /// Area in the local projection (outer rings minus holes), m².
    pub area_m2: f64,
}

/// Builds facility walk-sheds chunk after chunk on one analysis.
#[derive(Debug)]
pub struct FacilitySheds<'m, 'g> {
    makers: &'m Makers<'g>,
    categories: &'m [Category],
    pool: Mutex<Vec<Work>>,
}

impl<'m, 'g> FacilitySheds<'m, 'g> {
    pub fn new(makers: &'m Makers<'g>, categories: &'m [Category]) -> FacilitySheds<'m, 'g> {
        FacilitySheds { makers, categories, pool: Mutex::new(Vec::new()) }
    }

    /// The walk-sheds of `jobs`, in order (built in parallel; the result does not depend on the
    /// thread count).
    pub fn build(&self, jobs: &[FacilityJob]) -> Vec<FacilityShed> {
        jobs.par_iter()
            .map_init(
                || Pooled::take(&self.pool),
                |work, job| {
                    let cat = &self.categories[job.category as usize];
                    let maker = self.makers.for_category(cat);
                    let polys = maker.from_node(work.work(), job.node, cat.threshold_ds());
                    FacilityShed { area_m2: area_m2(&polys), polygons: maker.to_lon_lat(&polys) }
                },
            )
            .collect()
    }
}

/// A [`Work`] borrowed from the pool and given back when dropped (at the end of a rayon fold), so
/// successive chunks reuse the per-thread buffers instead of allocating them.
struct Pooled<'p> {
    work: Option<Work>,
    pool: &'p Mutex<Vec<Work>>,
}

impl<'p> Pooled<'p> {
    fn take(pool: &'p Mutex<Vec<Work>>) -> Pooled<'p> {
        let w = pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
        Pooled { work: Some(w.unwrap_or_else(|| Work::new(0))), pool }
    }

    fn work(&mut self) -> &mut Work {
        self.work.as_mut().expect("present until dropped")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(w) = self.work.take() {
            self.pool.lock().unwrap_or_else(|e| e.into_inner()).push(w);
        }
    }
}
