//! Where to build next: choosing new facility sites that bring the most residents within the
//! walking threshold.
//!
//! Owns the site-selection stage that follows `score`: the candidate sites ([`candidates`]: street
//! nodes inside residential areas thinned to a grid, or user points mapped to the network), the
//! two objectives — maximal coverage ([`plan_max_coverage`]) and 2SFCA shortfall reduction
//! ([`plan_shortfall`]) — and the lazy greedy engine they share ([`lazy`]), with an optional
//! budget over candidate costs. Pure computation over the
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
//! - **target** `t_i` (places per resident of the demand group at point `i`): the per-1,000 quota
//!   of the year ÷ 1,000, times `population_i / weight_i` when the quota counts all residents.
//! - **access** `A_i`: accessible capacity per resident (2SFCA step 2); **shortfall** (unmet
//!   demand) `Σ_i w_i·max(0, t_i − A_i)`, places.
//! - **ratio** `R_c = C / D_c` of a new site of capacity `C`, `D_c` the demand-group residents
//!   within its threshold, covered or not (2SFCA step 1).
//! - **cost** of a candidate (from the candidates file) and **budget**: the most the picks may
//!   cost together.
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
//! # 2SFCA shortfall reduction
//!
//! With a capacity `C` per new site, the planner can instead close the capacity gap. It uses the
//! model of [`two_step_fca`](crate::score::two_step_fca), so the plan agrees with what `analyze`
//! computes once the sites are added: a new site `c` has ratio `R_c = C / D_c` (clamped and
//! added in the same 2⁻³² fixed point) and raises `A_i` of every point of its catchment by `R_c`;
//! adding a facility changes no other facility's ratio. The gain of `c` is the shortfall it
//! closes, `Σ_{i ∈ catchment(c)} w_i·min(max(0, t_i − A_i), R_c)` (places). The planned value
//! `f(S) = Σ_i w_i·min(t_i, A_i + Σ_{c ∈ S, i ∈ catchment(c)} R_c)` is a sum of concave functions
//! (`min(t, ·)`) of non-negative modular functions of `S`, hence monotone and submodular, so lazy
//! greedy stays exact and the `1 − 1/e` guarantee holds as for coverage. The target is met point
//! by point: a surplus in one place does not offset a shortfall in another (this shortfall is at
//! least the community and area-wide `capacity_shortfall` of the gap report, and equal to it where
//! no point exceeds its target). Gains are summed in point order over fixed-point access values, so
//! they only shrink, also in floating point, and lazy bounds stay valid. They are compared rounded
//! to 10⁻⁶ places (rounding is monotone, so bounds survive it; the guarantee loses at most 10⁻⁶
//! places per pick): a site whose whole catchment is short by at least `R_c` closes exactly `C`,
//! and many sites tie there — they are then ranked by the residents they newly bring within the
//! threshold (also non-increasing), then by lower candidate index. Points within the threshold
//! of an existing facility and already at target take no part in the gains but count in `D_c`,
//! so the searches run from every attached demand point, not only the uncovered ones.
//!
//! # Budgets: cost-benefit greedy and the best single site
//!
//! With costs and a budget `B`, greedy on gain alone can spend the budget on one expensive site.
//! The planner then picks by gain per unit cost among the candidates that still fit (dividing by a
//! fixed cost keeps gains non-increasing, so lazy evaluation stays exact; a candidate that does not
//! fit never fits again and is dropped), and finally compares the set with the best single
//! affordable candidate and keeps the better (the modified greedy of Khuller, Moss & Naor 1999,
//! "The budgeted maximum coverage problem"). Guarantee, stated conservatively: at least
//! `½(1 − 1/e) ≈ 0.316` of the budgeted optimum for any monotone submodular objective (Krause &
//! Guestrin 2005, "A note on the budgeted maximization of submodular functions"); sharper analyses
//! put it near 0.4 (Khuller et al. state `1 − 1/√e ≈ 0.39` for coverage; Tang et al. 2021 prove
//! ≥ 0.405). The `1 − 1/e` bound needs partial enumeration over all triples of sites (KMN), which is
//! not done. `--count` still caps the number of picks; with both limits no guarantee is claimed.
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
//! The 2SFCA objective also needs `D_c`, the demand of *every* point in reach of a candidate, so
//! it searches from every attached demand point (covered or not), then once from each pick to
//! predict the access after planning; the cover lists keep only the points still short of target
//! or uncovered. Searches run in chunks of 8,192 points, so at most that many points' reach lists
//! are held besides the cover lists.
//!
//! The searches dominate; the search ball, and so the time, grows with the square of the
//! threshold. Measured times per category and objective (Las Palmas) are in `benches/README.md`,
//! section "Site planning".

pub mod candidates;
pub mod cover;
pub mod greedy;
pub mod lazy;
pub mod shortfall;
pub mod suggest;

#[cfg(test)]
mod brute;
#[cfg(test)]
mod brute_sfca;
#[cfg(test)]
mod cases;
#[cfg(test)]
mod fixture;
#[cfg(test)]
mod props;
#[cfg(test)]
mod props_sfca;

pub use candidates::{DEFAULT_CELL_M, candidates_from_points, default_candidates, street_nodes_in_areas};
pub use greedy::{Pick, PlanInput, PlanResult, plan_max_coverage, plan_max_coverage_within};
pub use lazy::Budget;
pub use shortfall::{ShortfallInput, ShortfallPick, ShortfallResult, plan_shortfall};
