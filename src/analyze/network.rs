//! Stage 3 of the pipeline, **network**: the walk graph with every facility and demand point
//! joined to it, the residents who could not be joined, and those on network islands.
//!
//! Glossary:
//! - **snap limit**: the longest straight access walk from a point to the nearest walkable way
//!   (`walk.snap_limit_m` for facilities, `walk.demand_snap_limit_m` for demand points); beyond it a
//!   point is not attached.
//! - **island**: a connected component of the street graph other than the largest; its residents
//!   reach only the facilities on it.

use crate::graph::WalkGraph;
use crate::graph::build::{BuiltGraph, Speeds, build_graph};
use crate::graph::snap::SnapRequest;
use crate::model::{Community, DemandPoint};
use crate::osm::OsmData;
use crate::profile::Profile;
use crate::warnings::Warnings;

use super::facilities::FacilitySet;

/// The walk graph and where the demand joined it.
#[derive(Clone, Debug)]
pub struct Network {
    pub graph: WalkGraph,
    pub walkable_km: f64,
    /// Per demand point: its graph node (`None`: beyond the demand snap limit).
    pub demand_node: Vec<Option<u32>>,
    /// Per community: residents not attached to the network.
    pub unattached_population: Vec<f64>,
}

/// Builds the graph with the facilities (joined at their outline's doors when mapped) and the
/// demand points snapped onto it; sets each facility's `node` and `snap_m`. Residents beyond the
/// demand snap limit are not joined by a long straight connector: they count as unserved and are
/// reported per community of the district (residents, points, nearest street).
pub fn attach(
    profile: &Profile,
    osm: &OsmData,
    fac: &mut FacilitySet,
    communities: &[Community],
    in_district: &[bool],
    demand: &[DemandPoint],
    warnings: &mut Warnings,
) -> Network {
    let reqs = requests(profile, fac, demand);
    let built = build_graph(&osm.walk_ways, &osm.nodes, speeds(profile), &reqs);
    join(profile, built, fac, communities, in_district, demand, warnings)
}

/// The walking speeds of the profile, as the graph is weighted with.
pub fn speeds(profile: &Profile) -> Speeds {
    Speeds { speed_mps: profile.walk.speed_mps, steps_factor: profile.walk.steps_speed_factor }
}

/// The snap requests of a run: every facility (at its shape, within `walk.snap_limit_m`), then
/// every demand point (within `walk.demand_snap_limit_m`).
pub fn requests<'a>(profile: &Profile, fac: &FacilitySet<'a>, demand: &[DemandPoint]) -> Vec<SnapRequest<'a>> {
    let limit = profile.walk.snap_limit_m;
    let mut reqs: Vec<SnapRequest> = Vec::with_capacity(fac.facilities.len() + demand.len());
    reqs.extend(fac.facilities.iter().zip(&fac.shapes).map(|(f, o)| SnapRequest {
        point: f.point,
        outline: o.0,
        entrances: o.1,
        max_access_m: limit,
    }));
    let demand_limit = profile.walk.demand_snap_limit_m;
    reqs.extend(demand.iter().map(|d| SnapRequest::point(d.point, demand_limit)));
    reqs
}

/// The rest of [`attach`] on a graph built from [`requests`]: each facility's `node` and
/// `snap_m`, the demand points' nodes, the unattached residents (reported).
pub fn join(
    profile: &Profile,
    built: BuiltGraph,
    fac: &mut FacilitySet,
    communities: &[Community],
    in_district: &[bool],
    demand: &[DemandPoint],
    warnings: &mut Warnings,
) -> Network {
    let demand_limit = profile.walk.demand_snap_limit_m;
    let facilities = &mut fac.facilities;
    let nf = facilities.len();
    for (f, s) in facilities.iter_mut().zip(&built.snaps[..nf]) {
        f.node = s.node.map(|n| n.0);
        f.snap_m = s.access_m;
    }
    let demand_node: Vec<Option<u32>> = built.snaps[nf..].iter().map(|s| s.node.map(|n| n.0)).collect();
    let mut unattached_population = vec![0.0; communities.len()];
    let mut unattached_far = vec![(0usize, f64::INFINITY); communities.len()];
    for (d, s) in demand.iter().zip(&built.snaps[nf..]) {
        if s.node.is_none() {
            let c = d.community as usize;
            unattached_population[c] += d.population;
            unattached_far[c].0 += 1;
            unattached_far[c].1 = unattached_far[c].1.min(s.access_m);
        }
    }
    let mut by: Vec<usize> = (0..communities.len()).filter(|&c| in_district[c] && unattached_far[c].0 > 0).collect();
    if !by.is_empty() {
        by.sort_by(|&a, &b| unattached_population[b].total_cmp(&unattached_population[a]).then(a.cmp(&b)));
        warnings.push(format!(
            "{:.0} residents ({} demand points) in {} communities are further than {demand_limit} m \
             (walk.demand_snap_limit_m) from any walkable way: not attached, counted as unserved in every category \
             (unattached_population): {}",
            by.iter().map(|&c| unattached_population[c]).sum::<f64>(),
            by.iter().map(|&c| unattached_far[c].0).sum::<usize>(),
            by.len(),
            by.iter()
                .take(10)
                .map(|&c| format!(
                    "{} ({:.0} residents, {} points, nearest street {:.0} m)",
                    communities[c].name, unattached_population[c], unattached_far[c].0, unattached_far[c].1
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Network { graph: built.graph, walkable_km: built.walkable_km, demand_node, unattached_population }
}

/// Residents per community attached to a component other than the largest, and the number of
/// street nodes outside it; the district's communities with such residents are reported.
pub fn islands(
    graph: &WalkGraph,
    communities: &[Community],
    in_district: &[bool],
    demand: &[DemandPoint],
    demand_node: &[Option<u32>],
    warnings: &mut Warnings,
) -> (Vec<f64>, usize) {
    let (label, main) = crate::graph::components::components(graph);
    let island_nodes = (0..graph.first_point_node as usize).filter(|&v| label[v] != main).count();
    let mut island_population = vec![0.0; communities.len()];
    for (d, n) in demand.iter().zip(demand_node) {
        if let Some(n) = n
            && label[*n as usize] != main
        {
            island_population[d.community as usize] += d.population;
        }
    }
    let on_islands: Vec<usize> =
        (0..communities.len()).filter(|&c| in_district[c] && island_population[c] > 0.0).collect();
    if !on_islands.is_empty() {
        let total: f64 = on_islands.iter().map(|&c| island_population[c]).sum();
        warnings.push(format!(
            "{total:.0} residents in {} communities live on network islands cut off from the main walking network \
             (they reach only facilities on their island): {}",
            on_islands.len(),
            on_islands
                .iter()
                .take(10)
                .map(|&c| format!("{} ({:.0})", communities[c].name, island_population[c]))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    (island_population, island_nodes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{Config, facilities, inputs, load};

    /// The stage on the embedded extract: every facility within the snap limit is joined, every
    /// demand point gets a node or counts as unattached, and island residents are a part of all.
    #[test]
    fn facilities_and_demand_join_the_graph() {
        let cfg = Config::new(
            Some(crate::analyze::helsinki_fixture()),
            Profile::load("default", None).unwrap(),
            "out".into(),
        );
        let osm = load(&cfg).unwrap();
        let mut w = Warnings::new();
        let i = inputs::prepare(&cfg, &osm, &mut w).unwrap();
        let mut fac = facilities::collect(&cfg, &osm, &mut w).unwrap();
        let net = attach(&cfg.profile, &osm, &mut fac, &i.communities, &i.in_district, &i.demand, &mut w);
        assert_eq!(net.demand_node.len(), i.demand.len());
        for f in &fac.facilities {
            match f.node {
                Some(n) => {
                    assert!(f.snap_m <= cfg.profile.walk.snap_limit_m, "{} joined {} m away", f.name, f.snap_m);
                    assert!((n as usize) < net.graph.node_count());
                }
                None => assert!(f.snap_m > cfg.profile.walk.snap_limit_m),
            }
        }
        let unattached: f64 =
            i.demand.iter().zip(&net.demand_node).filter(|(_, n)| n.is_none()).map(|(d, _)| d.population).sum();
        assert!((net.unattached_population.iter().sum::<f64>() - unattached).abs() < 1e-6);
        let (islands, island_nodes) =
            islands(&net.graph, &i.communities, &i.in_district, &i.demand, &net.demand_node, &mut w);
        let all: f64 = i.demand.iter().map(|d| d.population).sum();
        assert!(islands.iter().sum::<f64>() <= all);
        assert!(island_nodes < net.graph.first_point_node as usize);
    }
}
