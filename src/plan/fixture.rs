//! Test instances: an owned [`PlanInput`], set-system instances with chosen catchments, and
//! seeded random street networks with existing facilities.

use super::PlanInput;
use crate::graph::{NodeId, WalkGraph};
use crate::route::nearest;

/// A planning problem owning its data.
#[derive(Clone, Debug)]
pub(super) struct Instance {
    pub graph: WalkGraph,
    pub demand_node: Vec<Option<u32>>,
    pub weight: Vec<f64>,
    pub covered: Vec<bool>,
    pub candidates: Vec<u32>,
    pub threshold_ds: u32,
    /// Nodes of the existing facilities `covered` was computed from (empty when `covered` was set
    /// directly).
    pub facilities: Vec<u32>,
}

impl Instance {
    pub fn input(&self) -> PlanInput<'_> {
        PlanInput {
            graph: &self.graph,
            demand_node: &self.demand_node,
            weight: &self.weight,
            covered: &self.covered,
            candidates: &self.candidates,
            threshold_ds: self.threshold_ds,
        }
    }
}

/// Candidate `c` covers exactly the points `sets[c]`: candidates are nodes `0..C`, point `p` is
/// node `C + p`, joined to each candidate whose set holds it by a 5 ds edge; threshold 5 ds, so
/// nothing else is in reach (candidate to candidate or point to point takes 10 ds).
pub(super) fn set_system(sets: &[&[usize]], weight: &[f64]) -> Instance {
    let (nc, np) = (sets.len(), weight.len());
    let edges: Vec<(u32, u32, u32)> =
        sets.iter().enumerate().flat_map(|(c, s)| s.iter().map(move |&p| (c as u32, (nc + p) as u32, 5))).collect();
    let n = nc + np;
    let graph =
        WalkGraph::from_undirected((0..n).map(|i| [i as f64 * 1e-3, 0.0]).collect(), vec![1; n], nc as u32, &edges);
    Instance {
        graph,
        demand_node: (0..np).map(|p| Some((nc + p) as u32)).collect(),
        weight: weight.to_vec(),
        covered: vec![false; np],
        candidates: (0..nc as u32).collect(),
        threshold_ds: 5,
        facilities: Vec::new(),
    }
}

/// SplitMix64: a tiny deterministic generator, so each case is reproducible from its seed.
pub(super) struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

/// A random street network of `streets` nodes (about `streets × degree / 2` edges of 0–60 ds,
/// parallel edges, self-loops and isolated nodes included), `points` demand points attached to
/// random street nodes by 0–30 ds connectors (about one in eight unattached, one in six of zero
/// weight, the others with fractional weights), `facilities` existing facilities on random nodes
/// whose coverage sets `covered`, and `candidates` candidate nodes (street or point nodes,
/// repeats and an occasional node outside the graph included). Threshold 20–150 ds.
pub(super) fn random_instance(
    seed: u64,
    streets: usize,
    degree: u64,
    points: usize,
    facilities: usize,
    candidates: usize,
) -> Instance {
    let mut rng = Rng(seed);
    let mut edges = Vec::new();
    for _ in 0..streets as u64 * degree / 2 {
        let a = rng.below(streets as u64) as u32;
        let b = rng.below(streets as u64) as u32;
        edges.push((a, b, rng.below(61) as u32));
    }
    let mut demand_node = Vec::with_capacity(points);
    let mut weight = Vec::with_capacity(points);
    let mut next = streets as u32;
    for _ in 0..points {
        if rng.below(8) == 0 {
            demand_node.push(None);
        } else {
            let street = rng.below(streets as u64) as u32;
            edges.push((next, street, rng.below(31) as u32));
            demand_node.push(Some(next));
            next += 1;
        }
        weight.push(if rng.below(6) == 0 { 0.0 } else { (1 + rng.below(2000)) as f64 / 7.0 });
    }
    let n = next as usize;
    let graph = WalkGraph::from_undirected(
        (0..n).map(|i| [i as f64 * 1e-4, 0.0]).collect(),
        (0..n).map(|i| i64::from(i < streets)).collect(),
        streets as u32,
        &edges,
    );
    let threshold_ds = 20 + rng.below(131) as u32;
    let facilities: Vec<u32> = (0..facilities).map(|_| rng.below(n as u64) as u32).collect();
    let sources: Vec<(NodeId, u32)> = facilities.iter().map(|&f| (NodeId(f), 0)).collect();
    let times = nearest(&graph, &sources, threshold_ds).0;
    let covered = demand_node.iter().map(|v| v.is_some_and(|v| times[v as usize] <= threshold_ds)).collect();
    let mut cands: Vec<u32> = Vec::with_capacity(candidates);
    for _ in 0..candidates {
        let c = match rng.below(20) {
            0 => n as u32 + 3,
            1 if !cands.is_empty() => cands[rng.below(cands.len() as u64) as usize],
            2..6 => rng.below(n as u64) as u32,
            _ => rng.below(streets as u64) as u32,
        };
        cands.push(c);
    }
    Instance { graph, demand_node, weight, covered, candidates: cands, threshold_ds, facilities }
}

/// A random set system (see [`set_system`]): `candidates + facilities` sites, each reaching each
/// of `points` points with probability `percent` %; the last `facilities` sites are existing
/// facilities whose catchments set `covered`, the others the candidates. Weights as in
/// [`random_instance`].
pub(super) fn random_set_system(
    seed: u64,
    candidates: usize,
    facilities: usize,
    points: usize,
    percent: u64,
) -> Instance {
    let mut rng = Rng(seed);
    let sets: Vec<Vec<usize>> =
        (0..candidates + facilities).map(|_| (0..points).filter(|_| rng.below(100) < percent).collect()).collect();
    let weight: Vec<f64> =
        (0..points).map(|_| if rng.below(6) == 0 { 0.0 } else { (1 + rng.below(2000)) as f64 / 7.0 }).collect();
    let refs: Vec<&[usize]> = sets.iter().map(Vec::as_slice).collect();
    let mut inst = set_system(&refs, &weight);
    inst.candidates.truncate(candidates);
    inst.facilities = (candidates..candidates + facilities).map(|f| f as u32).collect();
    for s in &sets[candidates..] {
        for &p in s {
            inst.covered[p] = true;
        }
    }
    inst
}
