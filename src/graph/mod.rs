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
pub mod renumber;
pub mod snap;

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
    pub offsets: Vec<u32>,
    pub targets: Vec<u32>,
    /// Walking time of each directed edge, deciseconds.
    pub weights_ds: Vec<u32>,
    /// `[lon, lat]` of every node, WGS84 degrees.
    pub lon_lat: Vec<[f64; 2]>,
    /// OSM node id, or 0 for split and point nodes (see [`WalkGraph::origin`]).
    pub osm_id: Vec<i64>,
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
        let mut g = self.clone();
        for w in g.weights_ds.iter_mut() {
            *w = (*w as f64 * factor).round().min((u32::MAX / 4) as f64) as u32;
        }
        g
    }

    /// Builds a CSR from an undirected edge list `(a, b, walk_ds)`; every edge is stored in both
    /// directions, adjacency sorted by target for a deterministic layout.
    pub fn from_undirected(
        lon_lat: Vec<[f64; 2]>,
        osm_id: Vec<i64>,
        first_point_node: u32,
        edges: &[(u32, u32, u32)],
    ) -> WalkGraph {
        let n = lon_lat.len();
        let mut deg = vec![0u32; n + 1];
        for &(a, b, _) in edges {
            deg[a as usize] += 1;
            deg[b as usize] += 1;
        }
        let mut offsets = vec![0u32; n + 1];
        for v in 0..n {
            offsets[v + 1] = offsets[v] + deg[v];
        }
        let m = offsets[n] as usize;
        let mut adj: Vec<(u32, u32)> = vec![(0, 0); m];
        let mut fill: Vec<u32> = offsets[..n].to_vec();
        for &(a, b, w) in edges {
            for (s, t) in [(a, b), (b, a)] {
                adj[fill[s as usize] as usize] = (t, w);
                fill[s as usize] += 1;
            }
        }
        // Each node's edges sorted by (target, weight) in place: a deterministic layout with no
        // per-node allocation.
        for v in 0..n {
            adj[offsets[v] as usize..offsets[v + 1] as usize].sort_unstable();
        }
        let (targets, weights): (Vec<u32>, Vec<u32>) = adj.into_iter().unzip();
        WalkGraph { offsets, targets, weights_ds: weights, lon_lat, osm_id, first_point_node }
    }
}
