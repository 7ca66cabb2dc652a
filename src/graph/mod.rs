//! The walk graph: what the router searches.
//!
//! Owns the compact CSR (compressed sparse row) representation of the walkable network, its
//! construction from OSM ways ([`build`]), edge snapping of points ([`snap`]) and the locality
//! renumbering of nodes ([`renumber`]).
//!
//! Glossary:
//! - **node**: a graph vertex, `NodeId(u32)`; an OSM way node, an edge split point, or a snapped
//!   point (facility, demand point) attached by an access connector.
//! - **edge**: a directed arc; every walkable segment is stored in both directions (walking
//!   ignores `oneway`).
//! - **walk_ds**: walking time in integer deciseconds (0.1 s), the unit of every kernel.
//! - **connector**: the straight access edge from a snapped point to its split point on a street.
//!
//! Why CSR and not `petgraph`: the searches touch every edge of a million-node graph per category;
//! a CSR with `u32` targets and `u32` weights is 8 bytes per directed edge, contiguous per node,
//! and lets the bucket-queue kernels in `route` run ~4× faster than `petgraph::algo::dijkstra` on
//! the same graph (see `benches/README.md`). `petgraph` stays as the test oracle.

pub mod build;
pub mod components;
pub mod patch;
pub mod renumber;
pub mod segment_grid;
pub mod snap;

use std::sync::Arc;

use serde::Serialize;

/// A graph node id (dense, `0..node_count`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NodeId(pub u32);

impl NodeId {
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

/// What a graph node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeOrigin {
    /// An OSM node of a walkable way (its OSM id).
    Osm(i64),
    /// A split point inserted on a street where a point was snapped.
    Split,
    /// A snapped point itself (facility, demand point, candidate), attached by a connector.
    Point,
}

/// Compact walk graph in CSR form. Edges of node `v` are `offsets[v]..offsets[v+1]` in
/// `targets` / `weights_ds`.
#[derive(Clone, Debug, Default)]
pub struct WalkGraph {
    // The arrays are shared (`Arc`): a graph with other weights (the elderly walking speed) or a
    // clone costs only what differs, not a copy of a 2-million-node city.
    pub offsets: Arc<[u32]>,
    pub targets: Arc<[u32]>,
    /// Walking time of each directed edge, deciseconds.
    pub weights_ds: Arc<[u32]>,
    /// Walking time of each directed edge at the profile speed *without* the steps slowdown,
    /// deciseconds: network distance ÷ speed, for thresholds in metres (`threshold_m`). `None`
    /// when it equals `weights_ds` (no steps in the graph). See [`WalkGraph::distance_graph`].
    pub flat_weights_ds: Option<Arc<[u32]>>,
    /// `[lon, lat]` of every node, WGS84 degrees.
    pub lon_lat: Arc<[[f64; 2]]>,
    /// OSM node id, or 0 for split and point nodes (see [`WalkGraph::origin`]).
    pub osm_id: Arc<[i64]>,
    /// Number of leading nodes that belong to the street network (OSM + split); nodes at or after
    /// this index are snapped points.
    pub first_point_node: u32,
}

impl WalkGraph {
    pub fn node_count(&self) -> usize {
        self.lon_lat.len()
    }
    /// Directed edge count (each street segment counts twice).
    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }
    /// Outgoing edges of `v` as `(target, walk_ds)`.
    #[inline]
    pub fn edges(&self, v: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let (a, b) = (self.offsets[v as usize] as usize, self.offsets[v as usize + 1] as usize);
        self.targets[a..b].iter().copied().zip(self.weights_ds[a..b].iter().copied())
    }
    pub fn origin(&self, v: NodeId) -> NodeOrigin {
        if v.0 >= self.first_point_node {
            NodeOrigin::Point
        } else if self.osm_id[v.idx()] != 0 {
            NodeOrigin::Osm(self.osm_id[v.idx()])
        } else {
            NodeOrigin::Split
        }
    }
    /// The same graph walked at a different speed: every weight multiplied by `factor`
    /// (e.g. adult ÷ elderly speed), rounded to whole deciseconds.
    pub fn with_speed_factor(&self, factor: f64) -> WalkGraph {
        use rayon::prelude::*;
        let weights_ds: Vec<u32> = self
            .weights_ds
            .par_iter()
            .with_min_len(4096)
            .map(|&w| (w as f64 * factor).round().min((u32::MAX / 4) as f64) as u32)
            .collect();
        WalkGraph { weights_ds: weights_ds.into(), flat_weights_ds: None, ..self.clone() }
    }

    /// The same graph weighted by network distance (as time at the profile speed, steps not
    /// slowed down): searched against `threshold_m / speed`, a metre of steps counts one metre.
    /// Shares every array but the weights; the graph itself when it has no steps.
    pub fn distance_graph(&self) -> WalkGraph {
        match &self.flat_weights_ds {
            Some(f) => WalkGraph { weights_ds: f.clone(), flat_weights_ds: None, ..self.clone() },
            None => self.clone(),
        }
    }

    /// Builds a CSR from an undirected edge list `(a, b, walk_ds)`; every edge is stored in both
    /// directions, adjacency sorted by target for a deterministic layout.
    pub fn from_undirected(
        lon_lat: Vec<[f64; 2]>,
        osm_id: Vec<i64>,
        first_point_node: u32,
        edges: &[(u32, u32, u32)],
    ) -> WalkGraph {
        WalkGraph::from_edges(lon_lat, osm_id, first_point_node, edges, &[])
    }

    /// Like [`WalkGraph::from_undirected`], plus one-way arcs `(from, to, walk_ds)`: the extra
    /// connectors of a facility with several entrances, which leave the facility but never lead
    /// into it (no walker passes through a facility from one entrance to another).
    pub fn from_edges(
        lon_lat: Vec<[f64; 2]>,
        osm_id: Vec<i64>,
        first_point_node: u32,
        edges: &[(u32, u32, u32)],
        arcs: &[(u32, u32, u32)],
    ) -> WalkGraph {
        WalkGraph::from_edges_flat(lon_lat, osm_id, first_point_node, edges, arcs, None)
    }

    /// Like [`WalkGraph::from_edges`], with `flat = (per edge, per arc)` weights without the steps
    /// slowdown, kept as [`WalkGraph::flat_weights_ds`] in the same layout.
    pub fn from_edges_flat(
        lon_lat: Vec<[f64; 2]>,
        osm_id: Vec<i64>,
        first_point_node: u32,
        edges: &[(u32, u32, u32)],
        arcs: &[(u32, u32, u32)],
        flat: Option<(&[u32], &[u32])>,
    ) -> WalkGraph {
        let n = lon_lat.len();
        let mut deg = vec![0u32; n + 1];
        for &(a, b, _) in edges {
            deg[a as usize] += 1;
            deg[b as usize] += 1;
        }
        for &(a, _, _) in arcs {
            deg[a as usize] += 1;
        }
        let mut offsets = vec![0u32; n + 1];
        for v in 0..n {
            offsets[v + 1] = offsets[v] + deg[v];
        }
        let m = offsets[n] as usize;
        let mut targets = vec![0u32; m];
        let mut weights = vec![0u32; m];
        let mut flat_w: Option<Vec<u32>> = flat.map(|_| vec![0u32; m]);
        let mut fill: Vec<u32> = offsets[..n].to_vec();
        for (e, &(a, b, w)) in edges.iter().enumerate() {
            for (s, t) in [(a, b), (b, a)] {
                let i = fill[s as usize] as usize;
                targets[i] = t;
                weights[i] = w;
                if let (Some(fw), Some((fe, _))) = (flat_w.as_mut(), flat) {
                    fw[i] = fe[e];
                }
                fill[s as usize] += 1;
            }
        }
        for (e, &(s, t, w)) in arcs.iter().enumerate() {
            let i = fill[s as usize] as usize;
            targets[i] = t;
            weights[i] = w;
            if let (Some(fw), Some((_, fa))) = (flat_w.as_mut(), flat) {
                fw[i] = fa[e];
            }
            fill[s as usize] += 1;
        }
        drop(fill);
        // Each node's edges sorted by (target, weight) in place (insertion sort over the two
        // arrays: degrees are small): a deterministic layout with no per-node allocation. Done in
        // parallel over ranges of nodes, each owning its disjoint slice of the edge arrays.
        {
            use rayon::prelude::*;
            const NODES: usize = 1 << 15;
            let mut jobs = Vec::with_capacity(n / NODES + 1);
            let (mut rt, mut rw) = (&mut targets[..], &mut weights[..]);
            let mut rf: &mut [u32] = flat_w.as_deref_mut().unwrap_or(&mut []);
            for v0 in (0..n).step_by(NODES) {
                let v1 = (v0 + NODES).min(n);
                let len = (offsets[v1] - offsets[v0]) as usize;
                let (t, t2) = std::mem::take(&mut rt).split_at_mut(len);
                let (w, w2) = std::mem::take(&mut rw).split_at_mut(len);
                let (f, f2) =
                    if rf.is_empty() { (&mut [][..], &mut [][..]) } else { std::mem::take(&mut rf).split_at_mut(len) };
                (rt, rw, rf) = (t2, w2, f2);
                jobs.push((v0, v1, t, w, f));
            }
            jobs.into_par_iter().for_each(|(v0, v1, targets, weights, fw)| {
                let base = offsets[v0] as usize;
                for v in v0..v1 {
                    let (lo, hi) = (offsets[v] as usize - base, offsets[v + 1] as usize - base);
                    for i in lo + 1..hi {
                        let mut j = i;
                        while j > lo && (targets[j - 1], weights[j - 1]) > (targets[j], weights[j]) {
                            targets.swap(j - 1, j);
                            weights.swap(j - 1, j);
                            if !fw.is_empty() {
                                fw.swap(j - 1, j);
                            }
                            j -= 1;
                        }
                    }
                }
            });
        }
        WalkGraph {
            offsets: offsets.into(),
            targets: targets.into(),
            weights_ds: weights.into(),
            flat_weights_ds: flat_w.map(Into::into),
            lon_lat: lon_lat.into(),
            osm_id: osm_id.into(),
            first_point_node,
        }
    }
}
