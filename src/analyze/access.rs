//! Stage 4 of the pipeline, **access**: per category, every node's walking time to the nearest
//! facility (and again at the elderly walking speed for the 一老一小 categories), the residents
//! of each category's demand group at every demand point, and the 2SFCA catchments.
//!
//! Glossary:
//! - **time graph / distance graph**: minute thresholds are searched on walking times; metre
//!   thresholds (`threshold_m`) on network distance (a metre of steps is one metre).
//! - **demand group**: the residents a category serves (children 0–3, elderly 60+, everyone …);
//!   its share of a community comes from the layer's age columns when it has them, else from the
//!   profile's assumed share.

use crate::graph::{NodeId, WalkGraph};
use crate::model::{CategorySummary, Community, DemandPoint, Facility};
use crate::profile::Profile;
use crate::route;
use crate::score::{self, SfcaResult};

/// The nearest-facility searches of every category.
#[derive(Clone, Debug)]
pub struct Searches {
    /// `times_ds[category][node]`: walking time to the nearest facility (UNREACHED beyond the cap).
    pub times_ds: Vec<Vec<u32>>,
    /// The same at the elderly walking speed, for the 一老一小 categories with a facility.
    pub elderly_times: Vec<Option<Vec<u32>>>,
    /// Nodes settled per category by the main search (the elderly-speed rerun is not counted).
    pub settled: Vec<u64>,
    /// The distance graph, when a category has a threshold in metres.
    pub dist_graph: Option<WalkGraph>,
}

/// One multi-source search per category, in parallel (see [`route::nearest_many`]).
pub fn nearest(profile: &Profile, graph: &WalkGraph, facilities: &[Facility]) -> Searches {
    nearest_known(profile, graph, facilities, |_, _, _, _| None)
}

/// [`nearest`], where `known(category, graph searched, cap_ds, elderly)` may give a category's
/// times and settled count without searching (`elderly`: the elderly-speed search; a what-if
/// re-score carries untouched categories over from its baseline, see `analyze::carry_over`).
pub fn nearest_known(
    profile: &Profile,
    graph: &WalkGraph,
    facilities: &[Facility],
    known: impl Fn(usize, &WalkGraph, u32, bool) -> Option<(Vec<u32>, u64)>,
) -> Searches {
    let ncat = profile.categories.len();
    let jobs: Vec<(Vec<(NodeId, u32)>, u32)> = (0..ncat)
        .map(|k| {
            let src = facilities
                .iter()
                .filter(|f| f.serves(crate::model::CategoryId::from_index(k)))
                .filter_map(|f| f.node.map(|n| (NodeId(n), 0)))
                .collect();
            (src, profile.cap_ds(&profile.categories[k]))
        })
        .collect();
    let metre_cats: Vec<usize> = (0..ncat).filter(|&k| profile.categories[k].threshold_m.is_some()).collect();
    let dist_graph: Option<WalkGraph> = (!metre_cats.is_empty()).then(|| graph.distance_graph());
    let mut done: Vec<Option<(Vec<u32>, u64)>> = (0..ncat)
        .map(|k| {
            let g = if metre_cats.contains(&k) { dist_graph.as_ref().unwrap_or(graph) } else { graph };
            known(k, g, jobs[k].1, false)
        })
        .collect();
    let time_cats: Vec<usize> = (0..ncat).filter(|&k| !metre_cats.contains(&k) && done[k].is_none()).collect();
    let time_jobs: Vec<(Vec<(NodeId, u32)>, u32)> = time_cats.iter().map(|&k| jobs[k].clone()).collect();
    for (&k, (d, st)) in time_cats.iter().zip(route::nearest_many(graph, &time_jobs)) {
        done[k] = Some((d, st.settled));
    }
    if let Some(dg) = &dist_graph {
        let metre_todo: Vec<usize> = metre_cats.iter().copied().filter(|&k| done[k].is_none()).collect();
        let metre_jobs: Vec<(Vec<(NodeId, u32)>, u32)> = metre_todo.iter().map(|&k| jobs[k].clone()).collect();
        for (&k, (d, st)) in metre_todo.iter().zip(route::nearest_many(dg, &metre_jobs)) {
            done[k] = Some((d, st.settled));
        }
    }
    let mut settled = vec![0u64; ncat];
    let mut times_ds = Vec::with_capacity(ncat);
    for (k, r) in done.into_iter().enumerate() {
        let (d, st) = r.expect("every category searched or known");
        settled[k] = st;
        times_ds.push(d);
    }
    // Sensitivity: the 一老一小 categories again at the elderly walking speed. Not for a threshold
    // in metres (`threshold_m`): a network distance is the same at any walking speed.
    let mut elderly_times: Vec<Option<Vec<u32>>> = vec![None; ncat];
    let elderly_cats: Vec<usize> = (0..ncat)
        .filter(|&k| {
            let c = &profile.categories[k];
            c.one_old_one_young && c.threshold_m.is_none() && !jobs[k].0.is_empty()
        })
        .collect();
    if !elderly_cats.is_empty() && profile.walk.elderly_speed_mps < profile.walk.speed_mps {
        let slow = graph.with_speed_factor(profile.walk.speed_mps / profile.walk.elderly_speed_mps);
        let mut todo = Vec::with_capacity(elderly_cats.len());
        for &k in &elderly_cats {
            match known(k, &slow, jobs[k].1, true) {
                Some((d, _)) => elderly_times[k] = Some(d),
                None => todo.push(k),
            }
        }
        let ejobs: Vec<(Vec<(NodeId, u32)>, u32)> = todo.iter().map(|&k| jobs[k].clone()).collect();
        for (&k, (d, _)) in todo.iter().zip(route::nearest_many(&slow, &ejobs)) {
            elderly_times[k] = Some(d);
        }
    }
    Searches { times_ds, elderly_times, settled, dist_graph }
}

/// `weights[category][demand point]`: residents of the category's demand group at the point.
pub fn demand_weights(profile: &Profile, communities: &[Community], demand: &[DemandPoint]) -> Vec<Vec<f64>> {
    let ncat = profile.categories.len();
    let mut group_share: Vec<Vec<f64>> = vec![vec![0.0; communities.len()]; ncat];
    for (k, cat) in profile.categories.iter().enumerate() {
        let assumed = profile.demand_share(cat);
        for (ci, c) in communities.iter().enumerate() {
            let pop = c.population.unwrap_or(0.0);
            let from_file: Option<f64> = if cat.demand_is_all() {
                Some(1.0)
            } else if pop > 0.0 && cat.demand.iter().all(|g| c.age_groups.iter().any(|(n, _)| n == g)) {
                Some(
                    cat.demand
                        .iter()
                        .map(|g| c.age_groups.iter().find(|(n, _)| n == g).map_or(0.0, |x| x.1))
                        .sum::<f64>()
                        / pop,
                )
            } else {
                None
            };
            group_share[k][ci] = from_file.unwrap_or(assumed);
        }
    }
    (0..ncat).map(|k| demand.iter().map(|d| d.population * group_share[k][d.community as usize]).collect()).collect()
}

/// The 2SFCA catchments of every category whose facilities all have a capacity (`None` for the
/// others); fills each category's supply figures in `summaries` (facilities, unattached,
/// capacity total and assumed, nodes settled).
pub fn catchments(
    profile: &Profile,
    graph: &WalkGraph,
    searches: &Searches,
    facilities: &[Facility],
    demand_node: &[Option<u32>],
    weights: &[Vec<f64>],
    summaries: &mut [CategorySummary],
) -> Vec<Option<SfcaResult>> {
    let first_point = graph.first_point_node;
    let mut point_demand = vec![u32::MAX; graph.node_count() - first_point as usize];
    for (i, n) in demand_node.iter().enumerate() {
        if let Some(n) = n {
            point_demand[(*n - first_point) as usize] = i as u32;
        }
    }
    let demand_of_node = |v: u32| -> Option<usize> {
        if v < first_point {
            return None;
        }
        let i = point_demand[(v - first_point) as usize];
        (i != u32::MAX).then_some(i as usize)
    };
    let mut sfca: Vec<Option<SfcaResult>> = Vec::with_capacity(profile.categories.len());
    for (k, cat) in profile.categories.iter().enumerate() {
        let members: Vec<(usize, usize)> = facilities
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.slot_of(crate::model::CategoryId::from_index(k)).map(|p| (i, p)))
            .collect();
        let s = &mut summaries[k];
        s.facilities = members.len();
        s.facilities_unattached = members.iter().filter(|(i, _)| facilities[*i].node.is_none()).count();
        let caps: Vec<Option<(f64, bool)>> = members.iter().map(|&(i, p)| facilities[i].capacity[p]).collect();
        s.capacity_total = caps.iter().flatten().map(|c| c.0).sum();
        s.capacity_assumed = caps.iter().flatten().filter(|c| c.1).count();
        let has_capacity = caps.iter().all(|c| c.is_some()) && !caps.is_empty();
        if !has_capacity {
            sfca.push(None);
            continue;
        }
        let nodes: Vec<Option<u32>> = members.iter().map(|&(i, _)| facilities[i].node).collect();
        let cap: Vec<f64> = caps.iter().map(|c| c.map_or(0.0, |c| c.0)).collect();
        let public: Vec<bool> = members.iter().map(|&(i, _)| facilities[i].public == Some(true)).collect();
        let g = if cat.threshold_m.is_some() { searches.dist_graph.as_ref().unwrap_or(graph) } else { graph };
        let r = score::two_step_fca(g, &nodes, &cap, &public, &demand_of_node, &weights[k], cat.threshold_ds());
        s.settled_bounded += r.settled;
        sfca.push(Some(r));
    }
    sfca
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PopulationSource;

    fn community(population: f64, age_groups: Vec<(String, f64)>) -> Community {
        Community {
            id: "c".into(),
            name: "c".into(),
            polygons: Vec::new(),
            population: Some(population),
            source: PopulationSource::Given,
            age_groups,
        }
    }

    /// A community with age columns gets its own share of the demand group; one without gets the
    /// profile's assumed share; a category serving everyone weighs every resident.
    #[test]
    fn demand_weights_from_age_columns_or_the_profile() {
        let profile = Profile::load("default", None).unwrap();
        let k = profile.categories.iter().position(|c| !c.demand_is_all()).expect("an age-group category");
        let cat = &profile.categories[k];
        let groups: Vec<(String, f64)> = cat.demand.iter().map(|g| (g.clone(), 50.0)).collect();
        let with_ages = community(1000.0, groups);
        let without = community(1000.0, Vec::new());
        let demand = vec![
            DemandPoint { community: 0, point: [0.0, 0.0], population: 400.0 },
            DemandPoint { community: 1, point: [0.0, 0.0], population: 400.0 },
        ];
        let w = demand_weights(&profile, &[with_ages, without], &demand);
        let share = 50.0 * cat.demand.len() as f64 / 1000.0;
        assert!((w[k][0] - 400.0 * share).abs() < 1e-9, "{} vs {}", w[k][0], 400.0 * share);
        assert!((w[k][1] - 400.0 * profile.demand_share(cat)).abs() < 1e-9);
        if let Some(all) = profile.categories.iter().position(|c| c.demand_is_all()) {
            assert_eq!(w[all], vec![400.0, 400.0]);
        }
    }

    /// The searches on the embedded extract: a facility's own node is at time 0 for its category;
    /// the catchments count the category's facilities and capacities.
    #[test]
    fn nearest_times_and_catchments_on_the_embedded_extract() {
        use crate::analyze::{Config, facilities, inputs, load, network};
        use crate::warnings::Warnings;
        let cfg = Config::new(
            Some(crate::analyze::helsinki_fixture()),
            Profile::load("default", None).unwrap(),
            "out".into(),
        );
        let osm = load(&cfg).unwrap();
        let mut w = Warnings::new();
        let i = inputs::prepare(&cfg, &osm, &mut w).unwrap();
        let mut fac = facilities::collect(&cfg, &osm, &mut w).unwrap();
        let net = network::attach(&cfg.profile, &osm, &mut fac, &i.communities, &i.in_district, &i.demand, &mut w);
        let s = nearest(&cfg.profile, &net.graph, &fac.facilities);
        let mut checked = 0;
        for f in &fac.facilities {
            if let Some(n) = f.node {
                for c in &f.categories {
                    assert_eq!(s.times_ds[c.index()][n as usize], 0, "{} at its own node", f.name);
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
        let weights = demand_weights(&cfg.profile, &i.communities, &i.demand);
        let mut summaries = vec![CategorySummary::default(); cfg.profile.categories.len()];
        let sfca =
            catchments(&cfg.profile, &net.graph, &s, &fac.facilities, &net.demand_node, &weights, &mut summaries);
        for (k, sum) in summaries.iter().enumerate() {
            let k_id = crate::model::CategoryId::from_index(k);
            assert_eq!(sum.facilities, fac.facilities.iter().filter(|f| f.serves(k_id)).count());
            if let Some(r) = &sfca[k] {
                assert_eq!(r.access.len(), i.demand.len());
                assert!(sum.capacity_total > 0.0);
            }
        }
    }
}
