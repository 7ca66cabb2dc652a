//! Per-community and area-wide figures of every category: coverage, unserved residents, per-1,000
//! capacity against the quota, the composite score, and the category-weighted overall score.
//!
//! Glossary:
//! - **quota base**: the population a per-1,000 quota is stated for: all residents, or the demand
//!   group (`QuotaBase`).
//! - **capacity shortfall**: `quota × base / 1000 − accessible capacity`, when positive.
//! - **not assessed**: a category without data gets only the size of its demand group; no
//!   coverage, pass/fail, score or unserved residents (see [`Assessment`]).

use rayon::prelude::*;

use super::{CoverageStats, SfcaResult, composite, coverage_of};
use crate::model::{Assessment, CategorySummary, Community, CommunityCategory, DemandPoint, Facility};
use crate::profile::{Profile, QuotaBase};
use crate::route::UNREACHED;

/// What scoring reads: the demand points with their nodes, the searches and the catchments.
pub struct ScoreInput<'a> {
    pub profile: &'a Profile,
    pub assessment: &'a [Assessment],
    pub facilities: &'a [Facility],
    pub communities: &'a [Community],
    pub demand: &'a [DemandPoint],
    pub demand_node: &'a [Option<u32>],
    /// Per category, per node.
    pub times_ds: &'a [Vec<u32>],
    /// Per category, per node, at the elderly speed.
    pub elderly_times: &'a [Option<Vec<u32>>],
    /// Per category, per demand point.
    pub weights: &'a [Vec<f64>],
    pub sfca: &'a [Option<SfcaResult>],
}

/// The scores of an analysis.
#[derive(Clone, Debug)]
pub struct Scores {
    /// `per_community[community][category]`.
    pub per_community: Vec<Vec<CommunityCategory>>,
    /// Per community: the category-weighted mean of its category scores.
    pub community_score: Vec<Option<f64>>,
    /// Per category: the figures over every demand point of the area.
    pub area: Vec<CommunityCategory>,
    pub overall_score: Option<f64>,
}

/// Scores every community and the whole area. Each community's figures depend only on its own
/// points, so communities are scored in parallel with the same result for any thread count.
pub fn score_communities(s: &ScoreInput) -> Scores {
    let ncat = s.profile.categories.len();
    let mut by_comm: Vec<Vec<usize>> = vec![Vec::new(); s.communities.len()];
    for (i, d) in s.demand.iter().enumerate() {
        by_comm[d.community as usize].push(i);
    }
    let any_public: Vec<bool> = (0..ncat)
        .map(|k| s.facilities.iter().any(|f| f.serves(crate::model::CategoryId::from_index(k)) && f.public.is_some()))
        .collect();
    // Walking time of every demand point, per category.
    let at_points =
        |t: &Vec<u32>| -> Vec<u32> { s.demand_node.iter().map(|n| n.map_or(UNREACHED, |n| t[n as usize])).collect() };
    let point_times: Vec<Vec<u32>> = s.times_ds.iter().map(at_points).collect();
    let elderly_point_times: Vec<Option<Vec<u32>>> =
        s.elderly_times.iter().map(|t| t.as_ref().map(at_points)).collect();
    let fig =
        Figures { s, point_times: &point_times, elderly_point_times: &elderly_point_times, any_public: &any_public };
    let per_community: Vec<Vec<CommunityCategory>> = s
        .communities
        .par_iter()
        .enumerate()
        .map(|(ci, c)| {
            let pop = c.population.unwrap_or(0.0);
            (0..ncat).map(|k| fig.category(k, &by_comm[ci], pop)).collect::<Vec<_>>()
        })
        .collect();
    let total_pop: f64 = s.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();
    let community_score: Vec<Option<f64>> =
        per_community.iter().map(|cc| overall(s.profile, &cc.iter().map(|x| x.score).collect::<Vec<_>>())).collect();
    let all_idx: Vec<usize> = (0..s.demand.len()).collect();
    let area: Vec<CommunityCategory> =
        (0..ncat).into_par_iter().map(|k| fig.category(k, &all_idx, total_pop)).collect();
    let overall_score = overall(s.profile, &area.iter().map(|a| a.score).collect::<Vec<_>>());
    Scores { per_community, community_score, area, overall_score }
}

/// The category-weighted mean of the known scores.
fn overall(profile: &Profile, scores: &[Option<f64>]) -> Option<f64> {
    let mut num = 0.0;
    let mut den = 0.0;
    for (k, s) in scores.iter().enumerate() {
        if let Some(s) = s {
            num += profile.categories[k].weight * s;
            den += profile.categories[k].weight;
        }
    }
    (den > 0.0).then(|| num / den)
}

struct Figures<'a> {
    s: &'a ScoreInput<'a>,
    point_times: &'a [Vec<u32>],
    elderly_point_times: &'a [Option<Vec<u32>>],
    any_public: &'a [bool],
}

impl Figures<'_> {
    /// One category's figures over the demand points `idx` of a population `total_pop`.
    fn category(&self, k: usize, idx: &[usize], total_pop: f64) -> CommunityCategory {
        let (s, profile) = (self.s, self.s.profile);
        let cat = &profile.categories[k];
        let w = &s.weights[k];
        let stats = coverage_of(idx, w, &self.point_times[k], cat.threshold_ds(), profile.cap_ds(cat));
        if !s.assessment[k].assessed() {
            let stats = CoverageStats { demand: stats.demand, ..Default::default() };
            return CommunityCategory { stats, ..Default::default() };
        }
        let mut cc = CommunityCategory { stats, ..Default::default() };
        if let Some(et) = &self.elderly_point_times[k] {
            cc.covered_share_elderly = coverage_of(idx, w, et, cat.threshold_ds(), profile.cap_ds(cat)).covered_share;
        }
        cc.unserved = stats.demand - stats.covered;
        cc.pass = stats.covered_share.map(|s| s + 1e-12 >= cat.coverage_target);
        if let Some(r) = &s.sfca[k] {
            let wsum: f64 = idx.iter().map(|&i| w[i]).sum();
            if wsum > 0.0 {
                cc.reachable = Some(idx.iter().map(|&i| w[i] * r.reachable[i] as f64).sum::<f64>() / wsum);
            }
            let acc: f64 = idx.iter().map(|&i| w[i] * r.access[i]).sum();
            let base = match cat.quota_base {
                QuotaBase::All => total_pop,
                QuotaBase::Group => wsum,
            };
            if base > 0.0 {
                cc.accessible_capacity = Some(acc);
                cc.per_1000 = Some(1000.0 * acc / base);
                if let Some(q) = cat.quota_per_1000 {
                    cc.capacity_shortfall = Some((q * base / 1000.0 - acc).max(0.0));
                    cc.quota_pass = Some(1000.0 * acc / base + 1e-9 >= q);
                }
            }
            if self.any_public[k] && acc > 0.0 {
                let pubacc: f64 = idx.iter().map(|&i| w[i] * r.public_access[i]).sum();
                cc.parts.quality = Some(pubacc / acc);
            }
        }
        cc.parts.access = stats.covered_share;
        if let (Some(p), Some(q)) = (cc.per_1000, cat.quota_per_1000) {
            cc.parts.balance = Some(if q > 0.0 { (p / q).min(1.0) } else { 1.0 });
        }
        cc.score = composite(cc.parts, (profile.index.access, profile.index.balance, profile.index.quality));
        cc
    }
}

/// Fills the area-wide figures of each category's summary from the scores.
pub fn fill_summaries(
    profile: &Profile,
    scores: &Scores,
    assessment: &[Assessment],
    from_table: &[usize],
    summaries: &mut [CategorySummary],
) {
    for (k, a) in scores.area.iter().enumerate() {
        let s = &mut summaries[k];
        s.assessment = assessment[k];
        s.stats = a.stats;
        s.per_1000 = a.per_1000;
        s.score = a.score;
        s.covered_share_elderly = a.covered_share_elderly;
        s.from_table = from_table[k];
        s.failing_communities = scores.per_community.iter().filter(|cc| cc[k].fails()).count();
        s.pass = a
            .stats
            .covered_share
            .map(|c| c + 1e-12 >= profile.categories[k].coverage_target && a.quota_pass != Some(false));
        s.unserved = a.unserved;
        s.capacity_shortfall = a.capacity_shortfall;
        s.quota_pass = a.quota_pass;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PopulationSource;

    fn community(population: f64) -> Community {
        Community {
            id: "c".into(),
            name: "c".into(),
            polygons: Vec::new(),
            population: Some(population),
            source: PopulationSource::Given,
            age_groups: Vec::new(),
        }
    }

    /// Two communities of two points each on a four-node line: coverage, per-1,000 against the quota,
    /// the shortfall and the pass flags come out as computed by hand; a category without data gets
    /// only its demand.
    #[test]
    fn figures_by_hand_on_a_tiny_case() {
        let profile = Profile::load("default", None).unwrap();
        let ncat = profile.categories.len();
        let k = profile.category_index("kindergarten").unwrap();
        let cat = &profile.categories[k];
        let thr = cat.threshold_ds();
        let communities = vec![community(100.0), community(300.0)];
        let demand = vec![
            DemandPoint { community: 0, point: [0.0, 0.0], population: 60.0 },
            DemandPoint { community: 0, point: [0.0, 0.0], population: 40.0 },
            DemandPoint { community: 1, point: [0.0, 0.0], population: 100.0 },
            DemandPoint { community: 1, point: [0.0, 0.0], population: 200.0 },
        ];
        let demand_node = vec![Some(0), Some(1), Some(2), None];
        // Node times: 0 and 2 within the threshold, 1 beyond.
        let times: Vec<Vec<u32>> = (0..ncat).map(|_| vec![thr / 2, thr + 10, thr, 0]).collect();
        let weights: Vec<Vec<f64>> = (0..ncat).map(|_| demand.iter().map(|d| d.population).collect()).collect();
        let mut sfca: Vec<Option<SfcaResult>> = vec![None; ncat];
        sfca[k] = Some(SfcaResult {
            facility_demand: vec![160.0],
            ratio: vec![Some(0.05)],
            access: vec![0.05, 0.0, 0.05, 0.0],
            public_access: vec![0.0; 4],
            reachable: vec![1, 0, 1, 0],
            settled: 0,
        });
        let mut assessment = vec![Assessment::NoData; ncat];
        assessment[k] = Assessment::Facilities;
        let input = ScoreInput {
            profile: &profile,
            assessment: &assessment,
            facilities: &[],
            communities: &communities,
            demand: &demand,
            demand_node: &demand_node,
            times_ds: &times,
            elderly_times: &vec![None; ncat],
            weights: &weights,
            sfca: &sfca,
        };
        let s = score_communities(&input);
        let c0 = &s.per_community[0][k];
        assert_eq!((c0.stats.demand, c0.stats.covered, c0.unserved), (100.0, 60.0, 40.0));
        assert_eq!(c0.pass, Some(0.6 + 1e-12 >= cat.coverage_target));
        let c1 = &s.per_community[1][k];
        assert_eq!((c1.stats.covered, c1.unserved), (100.0, 200.0));
        // Accessible capacity 60 × 0.05 = 3 places for 100 residents → 30 per 1,000 (group base).
        assert!((c0.accessible_capacity.unwrap() - 3.0).abs() < 1e-12);
        if cat.quota_base == QuotaBase::Group {
            assert!((c0.per_1000.unwrap() - 30.0).abs() < 1e-9);
        }
        if let Some(q) = cat.quota_per_1000 {
            // Community 0 has 100 residents, all of the demand group here: the base is 100 either way.
            assert!((c0.capacity_shortfall.unwrap() - (q * 100.0 / 1000.0 - 3.0).max(0.0)).abs() < 1e-9);
        }
        // The area: all four points.
        let a = &s.area[k];
        assert_eq!((a.stats.demand, a.stats.covered), (400.0, 160.0));
        // A category without data: demand only.
        let other = (0..ncat).find(|&j| j != k).unwrap();
        let o = &s.per_community[0][other];
        assert_eq!((o.stats.demand, o.stats.covered_share, o.pass, o.score), (100.0, None, None, None));
        assert_eq!(s.overall_score, s.area[k].score, "only one category is assessed and scored");
    }
}
