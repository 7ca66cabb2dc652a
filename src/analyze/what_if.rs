//! What-if re-scoring: a scenario (facilities added or removed) scored from a kept baseline run
//! instead of a second run from scratch. Owns [`Baseline`] (what a baseline run keeps) and
//! [`Baseline::rescore`].
//!
//! A full run of a scenario differs from its baseline only from the facility edits on: the inputs
//! (communities, units, population, demand points), the facility table, the street network and
//! every demand point's and unedited facility's snap are the same. The baseline keeps them; a
//! re-score snaps only the added facilities (snapping a request depends only on the request and
//! the street network, see [`crate::graph::build::StreetNet`]), patches the baseline's graph into
//! the one a full build gives for the scenario's snaps ([`crate::graph::patch`]; assembled in full
//! only when the patch declines) and runs the same code as a full run from there on
//! ([`super::finish`]), so its [`Analysis`] is the full run's, figure for figure (the tests
//! compare them whole, and the patched graph with the full assembly). The nearest-facility searches of every category that no
//! added or removed facility serves are not run again: their times are carried over from the
//! baseline onto the scenario's nodes ([`super::carry_over`], exact because split pieces are
//! rounded cumulatively along their street).
//!
//! Glossary:
//! - **baseline**: the run without the edits (`Config::baseline`).
//! - **edits**: `--add-facility` / `--remove-facility` ([`Edits`]).
//! - **unedited facility**: one of the baseline's facilities kept by the edits; its snap is reused.

use std::time::Instant;

use super::carry_over::{Carry, KeptGraph, NodeMap, node_map};
use super::{Before, Config, Joined, Progress, facilities, finish, ms, network, prepare};
use crate::error::Result;
use crate::graph::build::{BuiltGraph, StreetNet, assemble, street_net};
use crate::graph::patch::{PatchBase, Patched, Request, patch};
use crate::graph::snap::{SnapRequest, Snapped};
use crate::model::Analysis;
use crate::osm::OsmData;

/// What-if edits: facilities added (`added/1`, `added/2`, … in this order) and removed (`type/id`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edits {
    pub add: Vec<super::AddedFacility>,
    pub remove: Vec<String>,
}

/// A baseline run and what a re-score of a scenario reuses from it.
pub struct Baseline<'a> {
    /// The baseline's config (no edits).
    cfg: Config,
    osm: &'a OsmData,
    before: Before<'a>,
    street: StreetNet,
    /// One snap per baseline facility, then one per demand point (the requests' order).
    snaps: Vec<Snapped>,
    /// What the baseline's graph build made of the snaps (renumbering, split nodes).
    kept: KeptGraph,
    /// The same, for patching the baseline's graph into a scenario's ([`patch`]).
    patch_base: PatchBase,
    /// The baseline's elderly-speed times per category (`access::Searches::elderly_times`).
    elderly: Vec<Option<Vec<u32>>>,
    /// The baseline's analysis.
    pub analysis: Analysis,
}

impl<'a> Baseline<'a> {
    /// Runs the baseline of `cfg` (its edits are ignored) on a loaded extract (`load_ms`: how
    /// long loading took) and keeps what a re-score needs.
    pub fn new(cfg: &Config, osm: &'a OsmData, load_ms: f64) -> Result<Baseline<'a>> {
        let cfg = cfg.baseline();
        cfg.validate()?;
        let progress = Progress::new(false);
        let before = prepare(&cfg, osm, load_ms, &progress)?;
        Baseline::from_before(cfg, osm, before, &progress)
    }

    fn from_before(cfg: Config, osm: &'a OsmData, before: Before<'a>, progress: &Progress) -> Result<Baseline<'a>> {
        let fac = facilities::edit(&cfg, osm.bbox, before.fac.clone())?;
        progress.stage("building the walk graph");
        let t = Instant::now();
        let street = street_net(&osm.walk_ways, &osm.nodes);
        let snaps = street.snap(&network::requests(&cfg.profile, &fac, &before.inputs.demand));
        let built = assemble(&street, network::speeds(&cfg.profile), &snaps.iter().collect::<Vec<_>>());
        let kept = KeptGraph::of(&built);
        let patch_base = PatchBase::of(&street, &built, &snaps);
        let joined = Joined {
            inputs: before.inputs.clone(),
            fac,
            built,
            warnings: before.warnings.clone(),
            stages: before.stages.clone(),
            t,
            carry: None,
        };
        let analysis = finish(&cfg, osm, joined, progress)?;
        // Only the elderly-speed searches run: the main ones are given (and not used).
        let elderly =
            super::access::nearest_known(&cfg.profile, &analysis.graph, &analysis.facilities, |_, _, _, e| {
                (!e).then(|| (Vec::new(), 0))
            })
            .elderly_times;
        Ok(Baseline { cfg, osm, before, street, snaps, kept, patch_base, elderly, analysis })
    }

    /// The scenario of the baseline with `edits`: the [`Analysis`] a full run of it gives, with
    /// the stage `what_if_rescore` (ms) last in its `stages_ms`.
    pub fn rescore(&self, edits: &Edits) -> Result<Analysis> {
        let mut cfg = self.cfg.clone();
        cfg.add_facilities = edits.add.clone();
        cfg.remove_facilities = edits.remove.clone();
        cfg.validate()?;
        self.rescore_cfg(&cfg, &Progress::new(false))
    }

    fn rescore_cfg(&self, cfg: &Config, progress: &Progress) -> Result<Analysis> {
        let t0 = Instant::now();
        let joined = self.join(cfg, progress)?;
        let mut a = finish(cfg, self.osm, joined, progress)?;
        a.stages_ms.push(("what_if_rescore", ms(t0)));
        Ok(a)
    }

    /// The scenario's facilities and graph, with the searches it carries over.
    fn join(&self, cfg: &Config, progress: &Progress) -> Result<Joined<'_>> {
        let profile = &cfg.profile;
        let fac = facilities::edit(cfg, self.osm.bbox, self.before.fac.clone())?;
        progress.stage("building the walk graph");
        let t = Instant::now();
        let reqs = network::requests(profile, &fac, &self.before.inputs.demand);
        let added: Vec<SnapRequest> =
            fac.unedited_index.iter().zip(&reqs).filter(|(i, _)| i.is_none()).map(|(_, r)| *r).collect();
        let added = self.street.snap(&added);
        let (built, carry) = self.graph(&fac, &added, network::speeds(profile));
        let joined = Joined {
            inputs: self.before.inputs.clone(),
            fac,
            built,
            warnings: self.before.warnings.clone(),
            stages: self.before.stages.clone(),
            t,
            carry,
        };
        Ok(joined)
    }
}

impl Baseline<'_> {
    /// The scenario's graph (`added`: the added facilities' snaps, in order) and the searches it
    /// carries over: the baseline's graph patched ([`patch`]), else assembled in full.
    fn graph(
        &self,
        fac: &facilities::FacilitySet,
        added: &[Snapped],
        speeds: crate::graph::build::Speeds,
    ) -> (BuiltGraph, Option<Carry<'_>>) {
        let unedited = self.before.fac.facilities.len();
        let mut next_added = added.iter();
        let reqs: Vec<Request> = fac
            .unedited_index
            .iter()
            .map(|i| match i {
                Some(i) => Request::Base(*i),
                None => Request::New(next_added.next().expect("one snap per added facility")),
            })
            .chain((unedited..self.snaps.len()).map(Request::Base))
            .collect();
        if let Some(p) = patch(&self.street, speeds, &self.patch_base, &self.analysis.graph, &self.snaps, &reqs) {
            let carry = self.carry_patched(fac, &p);
            return (p.built, carry);
        }
        let raw: Vec<&Snapped> = reqs.iter().map(|r| r.snap(&self.snaps)).collect();
        let built = assemble(&self.street, speeds, &raw);
        let carry = self.carry(fac, &built);
        (built, carry)
    }

    /// [`Baseline::carry`] for a patched graph: its node map is the patch's, and a kept facility
    /// whose connectors moved counts as edited too.
    fn carry_patched(&self, fac: &facilities::FacilitySet, p: &Patched) -> Option<Carry<'_>> {
        let map = NodeMap::new(p.to_scenario.clone(), p.new_nodes.clone(), p.same_streets);
        let mut c = self.carry_with(fac, map);
        for &r in p.moved.iter().filter(|&&r| r < fac.facilities.len()) {
            fac.facilities[r].categories.iter().for_each(|k| c.edited[k.index()] = true);
        }
        Some(c)
    }

    /// The searches a scenario (`fac`, `built`) carries over: every category no added or removed
    /// facility serves, when the baseline's nodes map onto the scenario's (see
    /// [`super::carry_over`]).
    fn carry(&self, fac: &facilities::FacilitySet, built: &BuiltGraph) -> Option<Carry<'_>> {
        let base = &self.analysis;
        let nbase = self.before.fac.facilities.len();
        let map = node_map(&self.kept, &base.graph, built, &fac.unedited_index, nbase)?;
        Some(self.carry_with(fac, map))
    }

    /// The carry of a scenario (`fac`) with the node map `map`.
    fn carry_with(&self, fac: &facilities::FacilitySet, map: NodeMap) -> Carry<'_> {
        let base = &self.analysis;
        let nbase = self.before.fac.facilities.len();
        let mut edited = vec![false; base.profile.categories.len()];
        let mut kept = vec![false; nbase];
        for (f, i) in fac.facilities.iter().zip(&fac.unedited_index) {
            match i {
                Some(i) => kept[*i] = true,
                None => f.categories.iter().for_each(|c| edited[c.index()] = true),
            }
        }
        for (f, _) in base.facilities.iter().zip(&kept).filter(|(_, k)| !**k) {
            f.categories.iter().for_each(|c| edited[c.index()] = true);
        }
        let base_settled = base.categories.iter().map(|s| s.settled).collect();
        Carry { map, base_times: &base.times_ds, base_settled, base_elderly: &self.elderly, edited }
    }
}

/// A what-if config's scenario and baseline on one loaded extract: the baseline runs in full and
/// the scenario is re-scored from it. Errors come in the order a full run of the scenario gives
/// them (its edits are checked before the baseline is scored).
pub(super) fn scenario_and_baseline(
    cfg: &Config,
    osm: &OsmData,
    load_ms: f64,
    progress: &Progress,
) -> Result<(Analysis, Analysis)> {
    let base_cfg = cfg.baseline();
    let before = prepare(&base_cfg, osm, load_ms, progress)?;
    facilities::edit(cfg, osm.bbox, before.fac.clone())?;
    let base = Baseline::from_before(base_cfg, osm, before, progress)?;
    let a = base.rescore_cfg(cfg, progress)?;
    Ok((a, base.analysis))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{AddedFacility, run_on};
    use crate::model::Facility;
    use crate::profile::Profile;

    /// The analysis as text, without the stage timings: two analyses print the same exactly
    /// when every figure is the same to the last bit (`{:?}` prints floats round-trip).
    fn figures(a: &Analysis) -> String {
        let mut a = a.clone();
        a.stages_ms.clear();
        format!("{a:?}")
    }

    fn rng(mut seed: u64) -> impl FnMut(u64) -> u64 {
        move |m| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        }
    }

    /// Seeded random edits on the embedded extract: additions anywhere on the extract (some
    /// beyond the snap limit), on an existing facility and on a demand point (sharing their split
    /// nodes), with and without a capacity, and removals; each re-score equals a full run of the
    /// scenario, whole analysis and every figure, and the kept baseline equals a full baseline run.
    #[test]
    fn rescore_equals_a_full_run() {
        let profile = Profile::load("default", None).unwrap();
        let cfg = Config::new(None, profile.clone(), "out".into());
        let osm = crate::analyze::load(&cfg).unwrap();
        let base = Baseline::new(&cfg, &osm, 0.0).unwrap();
        assert_eq!(figures(&base.analysis), figures(&run_on(&cfg, &osm, 0.0).unwrap()));
        let a = &base.analysis;
        let mut r = rng(0x9E37_79B9_7F4A_7C15);
        let [w, s, e, n] = osm.bbox;
        let ncat = profile.categories.len() as u64;
        let mut carried = 0;
        let mut patched = 0;
        for case in 0..16 {
            let mut edits = Edits::default();
            for _ in 0..=r(3) {
                let at = match r(4) {
                    0 => a.facilities[r(a.facilities.len() as u64) as usize].point,
                    1 => a.demand[r(a.demand.len() as u64) as usize].point,
                    _ => [w + (e - w) * r(10_000) as f64 / 1e4, s + (n - s) * r(10_000) as f64 / 1e4],
                };
                let category = profile.categories[r(ncat) as usize].id.clone();
                let capacity = (r(2) == 0).then(|| 10.0 + r(200) as f64);
                edits.add.push(AddedFacility { lon: at[0], lat: at[1], category, capacity });
            }
            for _ in 0..r(3) {
                let f = &a.facilities[r(a.facilities.len() as u64) as usize];
                edits.remove.push(format!("{}/{}", f.osm_type, f.osm_id));
            }
            edits.remove.dedup();
            let mut scen_cfg = cfg.clone();
            scen_cfg.add_facilities = edits.add.clone();
            scen_cfg.remove_facilities = edits.remove.clone();
            patched += usize::from(patch_equals_assembly(&base, &scen_cfg));
            let joined = base.join(&scen_cfg, &Progress::new(false)).unwrap();
            if let Some(c) = &joined.carry {
                carried += c.edited.iter().filter(|e| !**e).count();
            }
            let got = base.rescore(&edits).unwrap();
            assert_eq!(got.stages_ms.last().map(|s| s.0), Some("what_if_rescore"));
            let mut full_cfg = cfg.clone();
            full_cfg.add_facilities = edits.add.clone();
            full_cfg.remove_facilities = edits.remove.clone();
            let want = run_on(&full_cfg, &osm, 0.0).unwrap();
            assert!(
                figures(&got) == figures(&want),
                "case {case}: re-score differs from the full run, edits {edits:?}"
            );
        }
        assert!(carried > 0, "no category was carried over from the baseline");
        assert_eq!(patched, 16, "every scenario's graph is patched, none assembled in full");
    }

    /// The scenario graph of `scen` patched from the baseline equals the full assembly, whole
    /// [`BuiltGraph`] (nodes, edges, weights, snaps, renumbering, split list). Returns whether it
    /// was patched (`false`: the patch declined, the re-score assembles in full).
    fn patch_equals_assembly(base: &Baseline, scen: &Config) -> bool {
        let fac = facilities::edit(scen, base.osm.bbox, base.before.fac.clone()).unwrap();
        let reqs = network::requests(&scen.profile, &fac, &base.before.inputs.demand);
        let added: Vec<SnapRequest> =
            fac.unedited_index.iter().zip(&reqs).filter(|(i, _)| i.is_none()).map(|(_, r)| *r).collect();
        let added = base.street.snap(&added);
        let speeds = network::speeds(&scen.profile);
        let unedited = base.before.fac.facilities.len();
        let mut next = added.iter();
        let preqs: Vec<Request> = fac
            .unedited_index
            .iter()
            .map(|i| i.map_or_else(|| Request::New(next.next().unwrap()), Request::Base))
            .chain((unedited..base.snaps.len()).map(Request::Base))
            .collect();
        let raw: Vec<&Snapped> = preqs.iter().map(|r| r.snap(&base.snaps)).collect();
        let want = assemble(&base.street, speeds, &raw);
        let Some(p) = patch(&base.street, speeds, &base.patch_base, &base.analysis.graph, &base.snaps, &preqs) else {
            return false;
        };
        assert_eq!(format!("{:?}", p.built), format!("{want:?}"), "patched graph differs, {:?}", scen.add_facilities);
        // The node map: every baseline node it keeps has the same place and, unless new, the same
        // edges (renumbered).
        let (g0, g) = (&base.analysis.graph, &p.built.graph);
        for (v, &s) in p.to_scenario.iter().enumerate().filter(|(_, s)| **s != u32::MAX) {
            assert_eq!(g0.lon_lat[v], g.lon_lat[s as usize]);
        }
        true
    }

    fn scenario(cfg: &Config, add: Vec<AddedFacility>, remove: Vec<String>) -> Config {
        let mut c = cfg.clone();
        c.add_facilities = add;
        c.remove_facilities = remove;
        c
    }

    fn added(at: [f64; 2], category: &str) -> AddedFacility {
        AddedFacility { lon: at[0], lat: at[1], category: category.into(), capacity: Some(50.0) }
    }

    /// The edits the issue names, each patched (not assembled in full) and re-scored to the full
    /// run's analysis: an addition at an existing facility (its snap node), on a street already split
    /// (between a split node and its neighbour), on a network island, two categories at one point, a
    /// removal of a facility serving several categories, and of every facility of a category.
    #[test]
    fn named_edits_are_patched_and_equal_full_runs() {
        let profile = Profile::load("default", None).unwrap();
        let cfg = Config::new(None, profile.clone(), "out".into());
        let osm = crate::analyze::load(&cfg).unwrap();
        let base = Baseline::new(&cfg, &osm, 0.0).unwrap();
        let a = &base.analysis;
        let g = &a.graph;
        let cat = |k: usize| profile.categories[k].id.clone();
        let mut cases: Vec<(&str, Config)> = Vec::new();
        let f = a.facilities.iter().find(|f| f.node.is_some()).unwrap();
        cases.push(("at an existing facility", scenario(&cfg, vec![added(f.point, &cat(0))], vec![])));
        // A split node with a street neighbour: the point a third of the way to it splits that piece.
        let y = (0..g.first_point_node)
            .find(|&v| g.origin(crate::graph::NodeId(v)) == crate::graph::NodeOrigin::Split)
            .expect("a split node");
        let (u, _) = g.edges(y).find(|(u, _)| *u < g.first_point_node).unwrap();
        let (py, pu) = (g.lon_lat[y as usize], g.lon_lat[u as usize]);
        let mid = [py[0] + (pu[0] - py[0]) / 3.0, py[1] + (pu[1] - py[1]) / 3.0];
        cases.push(("on a split street", scenario(&cfg, vec![added(mid, &cat(1))], vec![])));
        // A network island: a street node outside the largest component.
        let (label, largest) = crate::graph::components::components(g);
        if let Some(v) = (0..g.first_point_node as usize).find(|&v| label[v] != largest) {
            cases.push(("on an island", scenario(&cfg, vec![added(g.lon_lat[v], &cat(2))], vec![])));
        } else {
            panic!("the embedded extract has no island");
        }
        let p = a.demand[a.demand.len() / 2].point;
        cases.push(("two categories at one point", scenario(&cfg, vec![added(p, &cat(0)), added(p, &cat(3))], vec![])));
        let id = |f: &Facility| format!("{}/{}", f.osm_type, f.osm_id);
        let multi = a
            .facilities
            .iter()
            .find(|f| f.categories.len() > 1 && f.node.is_some())
            .expect("a multi-category facility");
        cases.push(("remove a multi-category facility", scenario(&cfg, vec![], vec![id(multi)])));
        // The category with the fewest facilities loses all of them (none has only one here).
        let k = (0..profile.categories.len())
            .map(crate::model::CategoryId::from_index)
            .filter(|&k| a.facilities.iter().any(|f| f.serves(k)))
            .min_by_key(|&k| a.facilities.iter().filter(|f| f.serves(k)).count())
            .expect("a category with facilities");
        let all: Vec<String> = a.facilities.iter().filter(|f| f.serves(k)).map(id).collect();
        cases.push(("remove every facility of a category", scenario(&cfg, vec![], all)));
        for (name, scen) in &cases {
            assert!(patch_equals_assembly(&base, scen), "{name}: not patched");
            let edits = Edits { add: scen.add_facilities.clone(), remove: scen.remove_facilities.clone() };
            let got = base.rescore(&edits).unwrap();
            let want = run_on(scen, &osm, 0.0).unwrap();
            assert!(figures(&got) == figures(&want), "{name}: re-score differs from the full run");
        }
    }

    /// A facility of a 一老一小 category added at a demand point shares the point's split node: no
    /// street or split node changes, so even the elderly-speed searches of the other categories
    /// are carried over; the re-score still equals a full run.
    #[test]
    fn an_addition_at_a_demand_point_carries_every_other_search() {
        let profile = Profile::load("default", None).unwrap();
        let cfg = Config::new(None, profile.clone(), "out".into());
        let osm = crate::analyze::load(&cfg).unwrap();
        let base = Baseline::new(&cfg, &osm, 0.0).unwrap();
        let k = profile.categories.iter().position(|c| c.one_old_one_young).expect("a 一老一小 category");
        let d = base.analysis.demand_node.iter().position(|n| n.is_some()).expect("an attached demand point");
        let at = base.analysis.demand[d].point;
        let add =
            vec![AddedFacility { lon: at[0], lat: at[1], category: profile.categories[k].id.clone(), capacity: None }];
        let mut scen = cfg.clone();
        scen.add_facilities = add.clone();
        let joined = base.join(&scen, &Progress::new(false)).unwrap();
        let c = joined.carry.as_ref().expect("carried over");
        assert!(c.map.same_streets);
        assert_eq!(c.edited.iter().filter(|e| **e).count(), 1);
        let got = base.rescore(&Edits { add, remove: Vec::new() }).unwrap();
        assert!(figures(&got) == figures(&run_on(&scen, &osm, 0.0).unwrap()));
    }

    /// Bad edits are the full run's errors: an unknown facility to remove, an unknown category.
    #[test]
    fn bad_edits_are_errors() {
        let cfg = Config::new(None, Profile::load("default", None).unwrap(), "out".into());
        let osm = crate::analyze::load(&cfg).unwrap();
        let base = Baseline::new(&cfg, &osm, 0.0).unwrap();
        let e = base.rescore(&Edits { add: Vec::new(), remove: vec!["node/1".into()] }).unwrap_err().to_string();
        assert!(e.contains("--remove-facility node/1"), "{e}");
        let add = vec![AddedFacility { lon: 24.94, lat: 60.17, category: "nope".into(), capacity: None }];
        let e = base.rescore(&Edits { add, remove: Vec::new() }).unwrap_err().to_string();
        assert!(e.contains("unknown category"), "{e}");
    }
}
