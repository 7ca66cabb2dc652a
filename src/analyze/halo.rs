//! Stage 5 of the pipeline, **halo**: with `--clip`, the residents beyond the district have shared
//! facility capacity in the catchments (2SFCA step 1); from here on only the district is scored,
//! so their communities, demand points and per-point figures are dropped.
//!
//! Glossary: **district / halo** as in [`super::inputs`]; community indices are renumbered so the
//! district's communities keep their order.

use crate::model::{Community, DemandPoint, Halo};
use crate::score::SfcaResult;

/// Every per-community and per-point table the drop applies to.
pub struct Tables<'a> {
    pub communities: &'a mut Vec<Community>,
    pub demand: &'a mut Vec<DemandPoint>,
    pub demand_node: &'a mut Vec<Option<u32>>,
    /// Per category, per demand point.
    pub weights: &'a mut [Vec<f64>],
    pub sfca: &'a mut [Option<SfcaResult>],
    /// Per-community figures (residents unattached, on islands).
    pub per_community: Vec<&'a mut Vec<f64>>,
}

/// Drops the halo; `None` (and nothing changed) when every community is in the district.
pub fn drop_halo(in_district: &[bool], derived: usize, t: Tables) -> Option<Halo> {
    if in_district.iter().all(|&x| x) {
        return None;
    }
    let population: f64 = t.demand.iter().filter(|d| !in_district[d.community as usize]).map(|d| d.population).sum();
    let communities = in_district.iter().filter(|&&x| !x).count();
    let keep_point: Vec<bool> = t.demand.iter().map(|d| in_district[d.community as usize]).collect();
    let mut new_index = vec![u32::MAX; in_district.len()];
    let mut next = 0u32;
    for (i, &inside) in in_district.iter().enumerate() {
        if inside {
            new_index[i] = next;
            next += 1;
        }
    }
    retain_by(t.demand, &keep_point);
    retain_by(t.demand_node, &keep_point);
    for w in t.weights.iter_mut() {
        retain_by(w, &keep_point);
    }
    for r in t.sfca.iter_mut().flatten() {
        retain_by(&mut r.access, &keep_point);
        retain_by(&mut r.public_access, &keep_point);
        retain_by(&mut r.reachable, &keep_point);
    }
    for d in t.demand.iter_mut() {
        d.community = new_index[d.community as usize];
    }
    retain_by(t.communities, in_district);
    for v in t.per_community {
        retain_by(v, in_district);
    }
    Some(Halo { communities, derived, population })
}

fn retain_by<T>(v: &mut Vec<T>, flags: &[bool]) {
    let mut it = flags.iter();
    v.retain(|_| *it.next().expect("one flag per item"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PopulationSource;

    fn community(name: &str) -> Community {
        Community {
            id: name.into(),
            name: name.into(),
            polygons: Vec::new(),
            population: None,
            source: PopulationSource::Given,
            age_groups: Vec::new(),
        }
    }

    fn point(community: u32, population: f64) -> DemandPoint {
        DemandPoint { community, point: [0.0, 0.0], population }
    }

    #[test]
    fn the_halo_is_dropped_and_the_district_renumbered() {
        let mut communities = vec![community("halo"), community("a"), community("b")];
        let mut demand = vec![point(0, 10.0), point(1, 1.0), point(2, 2.0), point(0, 5.0)];
        let mut demand_node = vec![Some(7), Some(8), None, Some(9)];
        let mut weights = vec![vec![10.0, 1.0, 2.0, 5.0]];
        let mut sfca = vec![Some(SfcaResult {
            facility_demand: vec![15.0],
            ratio: vec![Some(0.1)],
            access: vec![0.1, 0.2, 0.3, 0.4],
            public_access: vec![0.0; 4],
            reachable: vec![1, 2, 3, 4],
            settled: 0,
        })];
        let mut islands = vec![1.0, 2.0, 3.0];
        let mut unattached = vec![0.0, 0.0, 2.0];
        let in_district = [false, true, true];
        let halo = drop_halo(
            &in_district,
            1,
            Tables {
                communities: &mut communities,
                demand: &mut demand,
                demand_node: &mut demand_node,
                weights: &mut weights,
                sfca: &mut sfca,
                per_community: vec![&mut islands, &mut unattached],
            },
        );
        assert_eq!(halo, Some(Halo { communities: 1, derived: 1, population: 15.0 }));
        assert_eq!(communities.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(demand, vec![point(0, 1.0), point(1, 2.0)]);
        assert_eq!(demand_node, vec![Some(8), None]);
        assert_eq!(weights, vec![vec![1.0, 2.0]]);
        let r = sfca[0].as_ref().unwrap();
        assert_eq!((r.access.clone(), r.reachable.clone()), (vec![0.2, 0.3], vec![2, 3]));
        assert_eq!((islands, unattached), (vec![2.0, 3.0], vec![0.0, 2.0]));
    }

    #[test]
    fn nothing_changes_without_a_halo() {
        let mut communities = vec![community("a")];
        let mut demand = vec![point(0, 1.0)];
        let before = demand.clone();
        let halo = drop_halo(
            &[true],
            0,
            Tables {
                communities: &mut communities,
                demand: &mut demand,
                demand_node: &mut vec![None],
                weights: &mut [],
                sfca: &mut [],
                per_community: Vec::new(),
            },
        );
        assert_eq!((halo, demand), (None, before));
    }
}
