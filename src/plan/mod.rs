//! Where to build next: choosing new facility sites that bring the most residents within the
//! walking threshold.
//!
//! Owns the site-selection stage that follows `score`: the candidate sites ([`candidates`]: street
//! nodes inside residential areas thinned to a grid, or user points mapped to the network) and the
//! maximal-coverage planner ([`plan_max_coverage`], lazy greedy). Pure computation over the
//! [`WalkGraph`](crate::graph::WalkGraph) and the kernels of [`route`](crate::route): no I/O and
//! no knowledge of profiles; the caller passes one category's demand weights, existing coverage
//! and threshold.
//!
//! Glossary:
//! - **demand point**: a weighted place where residents live (`weight` = residents of the
//!   category's demand group), attached to a graph node or not at all.
//! - **covered**: a demand point whose walking time to the nearest facility is `<= threshold_ds`.
//!   The **baseline** is the weight already covered by existing facilities.
//! - **candidate**: a graph node where a new facility could be built; candidates are referred to
//!   by their index in the candidate list.
//! - **catchment** of a candidate: the uncovered demand points within the threshold of it. All
//!   catchments together form the **cover lists**, a bipartite candidate → point relation stored
//!   in CSR form (never a candidate × point matrix).
//! - **gain** (marginal gain) of a candidate: the weight of the points of its catchment not yet
//!   covered by the existing facilities or by the sites already picked.
//! - **pick**: one chosen site, with its rank (1 = first), gain and running totals.
//!
//! # Maximal coverage and the greedy guarantee
//!
//! Choosing `k` sites that cover the most weight is the maximal covering location problem
//! (Church & ReVelle 1974), NP-hard in general. Coverage `f(S)` (weight covered by the set of
//! sites `S`) is monotone and submodular: a site adds at most as much to a larger set as to a
//! smaller one. For such functions the greedy algorithm (repeatedly take the site of largest
//! marginal gain) reaches at least `1 − (1 − 1/k)^k ≥ 1 − 1/e ≈ 0.632` of the optimum (Nemhauser,
//! Wolsey & Fisher 1978, "An analysis of approximations for maximizing submodular set functions
//! — I"). In practice on street networks it is usually within a few per cent of the optimum; the
//! tests compare it with an exhaustive search on small instances.
//!
//! # Lazy evaluation (CELF) is exact
//!
//! By submodularity, a candidate's marginal gain can only shrink as sites are picked, so a gain
//! computed in an earlier round is an upper bound of the current one. The planner keeps a
//! max-heap of such bounds; it pops the top, recomputes its true gain and either picks it (when
//! the gain was computed in the current round, it is at least every other candidate's bound and
//! therefore at least every other candidate's true gain) or pushes it back with the new value.
//! This picks exactly the site the plain greedy algorithm would pick, while recomputing only a
//! few gains per round instead of all of them (Minoux 1978; Leskovec et al. 2007, "CELF"). The
//! bound property also holds in floating point: gains are sums of non-negative weights taken in
//! demand-point index order, and rounding is monotone, so a sum over a subset of the terms in the
//! same order is never larger. Ties (equal gains, compared exactly) go to the lower candidate
//! index, so results are fully deterministic.
//!
//! # Cost model
//!
//! The cover lists are built from the demand side: one bounded search (cap = threshold) per
//! *uncovered* attached demand point, run in parallel with [`per_source`](crate::route::per_source)
//! (the walk graph is undirected, so the time from a point to a candidate equals the time from
//! the candidate to the point). The cost is therefore proportional to the uncovered demand, not to
//! the number of candidates, which may be in the thousands: a well-served city needs few searches,
//! and the threshold ball of a point (a few hundred to a few thousand nodes) is small. The greedy
//! phase then only touches the cover lists, whose total length is the number of (uncovered point,
//! candidate within the threshold) pairs.
//!
//! Measured with `examples/plan_bench.rs` (release, 2 threads on 2 shared cores): Las Palmas de
//! Gran Canaria, 133,340 nodes, 21,687 demand points, 14,950 default candidates, 10 sites:
//! kindergarten (5 min, 17,854 searches) 0.6–1.1 s; primary school (10 min, 21,129 searches)
//! 3.4–4.3 s; childcare (15 min, 21,687 searches) 4.0–6.2 s. The searches dominate; the search
//! ball, and so the time, grows with the square of the threshold.

pub mod candidates;
pub mod greedy;
pub mod suggest;

#[cfg(test)]
mod brute;
#[cfg(test)]
mod cases;
#[cfg(test)]
mod fixture;
#[cfg(test)]
mod props;

pub use candidates::{DEFAULT_CELL_M, candidates_from_points, default_candidates, street_nodes_in_areas};
pub use greedy::{Pick, PlanInput, PlanResult, plan_max_coverage};
