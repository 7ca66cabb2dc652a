//! Per-category walk-sheds: the union of the walk-sheds of every facility of a category, built
//! from the multi-source nearest times of the analysis (no second search).
//!
//! Glossary: **sources** — the snapped nodes of a category's facilities; **times** — the
//! category's nearest-facility times per node (`Analysis::times_ds[k]`).

use rayon::prelude::*;

use super::{Makers, PolygonLonLat, Work, area_m2};
use crate::profile::Category;

/// One category's merged walk-shed, in WGS84.
#[derive(Clone, Debug)]
pub struct CategoryShed {
    /// Index of the category in the profile.
    pub category: usize,
    /// Facilities (snapped) of the category: the sources of the shed.
    pub facilities: usize,
    /// Polygons by decreasing area, rings closed.
    pub polygons: Vec<PolygonLonLat>,
    /// Area in the local projection (outer rings minus holes), m².
    pub area_m2: f64,
}

/// The merged walk-shed of every category `k` with sources (`sources[k]` not empty) and times
/// (`k < times_ds.len()`), in category order; categories are built in parallel, the result does
/// not depend on the thread count.
pub fn category_sheds(
    makers: &Makers<'_>,
    categories: &[Category],
    sources: &[Vec<u32>],
    times_ds: &[Vec<u32>],
) -> Vec<CategoryShed> {
    let jobs: Vec<usize> = (0..categories.len())
        .filter(|&k| k < times_ds.len() && sources.get(k).is_some_and(|s| !s.is_empty()))
        .collect();
    // One `Work` per thread, kept across categories: `map_init` made one per rayon split, so each
    // category grew its node lists and its city-wide raster (8 M samples) from empty, in fresh
    // pages (page faults, copies on growth). Taken and put back: the contents are reset per use,
    // so the result does not depend on which buffer a category gets.
    let pool: std::sync::Mutex<Vec<Work>> = std::sync::Mutex::new(Vec::new());
    jobs.par_iter()
        .map(|&k| {
            let mut work = pool.lock().expect("not poisoned").pop().unwrap_or_else(|| Work::new(0));
            let cat = &categories[k];
            let maker = makers.for_category(cat);
            let polys = maker.from_times(&mut work, &times_ds[k], cat.threshold_ds(), &sources[k]);
            pool.lock().expect("not poisoned").push(work);
            CategoryShed {
                category: k,
                facilities: sources[k].len(),
                area_m2: area_m2(&polys),
                polygons: maker.to_lon_lat(&polys),
            }
        })
        .collect()
}
