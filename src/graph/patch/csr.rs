//! The CSR of a patched graph (see [`super`]): every kept node's list copied with its targets
//! renumbered, every dirty node's list rebuilt.
//!
//! Glossary:
//! - **kept list**: a baseline node's edge list that no edit touches.
//! - **dirty node**: see [`Dirty`]; its list is sorted by `(target, weight)` as the full build's CSR.

use std::collections::HashMap;

use super::{Baseline, Dirty, Edit, NONE, Nodes, Regrouped};
use crate::graph::WalkGraph;

/// The scenario's CSR arrays.
pub(super) struct Csr {
    pub(super) offsets: Vec<u32>,
    pub(super) targets: Vec<u32>,
    pub(super) weights: Vec<u32>,
    pub(super) flat: Option<Vec<u32>>,
}

/// The CSR: kept lists renumbered, dirty ones rebuilt; `None` when a kept edge ends at a removed
/// node or a new node is not dirty.
pub(super) fn build_csr(
    b: &Baseline,
    edit: &Edit,
    rg: &Regrouped,
    nodes: &Nodes,
    dirty: HashMap<u32, Dirty>,
) -> Option<Csr> {
    let (g0, to_scen) = (b.g0, &nodes.to_scen);
    let n = nodes.lon_lat.len();
    let mut base_of = vec![NONE; n];
    for (i, &v) in to_scen.iter().enumerate() {
        if v != NONE {
            base_of[v as usize] = i as u32;
        }
    }
    let mut dirty: Vec<(u32, Dirty)> = dirty.into_iter().collect();
    dirty.sort_unstable_by_key(|d| d.0);
    let m = g0.edge_count() + 8 * (rg.added.len() + edit.reqs.len().saturating_sub(b.base.snaps.len())) + 8;
    let mut csr = Csr {
        offsets: Vec::with_capacity(n + 1),
        targets: Vec::with_capacity(m),
        weights: Vec::with_capacity(m),
        flat: g0.flat_weights_ds.as_deref().map(|_| Vec::with_capacity(m)),
    };
    let mut di = 0;
    let mut list: Vec<(u32, u32, u32)> = Vec::new();
    for v in 0..n as u32 {
        csr.offsets.push(csr.targets.len() as u32);
        let i = base_of[v as usize];
        let d = match dirty.get(di) {
            Some((dv, d)) if *dv == v => {
                di += 1;
                Some(d)
            }
            _ => None,
        };
        let range = (i != NONE).then(|| g0.offsets[i as usize] as usize..g0.offsets[i as usize + 1] as usize);
        match d {
            None => csr.push_kept(g0, to_scen, range?)?,
            Some(d) => csr.push_rebuilt(g0, to_scen, range, d, &mut list)?,
        }
    }
    csr.offsets.push(csr.targets.len() as u32);
    Some(csr)
}

impl Csr {
    /// Appends a kept node's baseline list (edges `range` of `g0`), targets renumbered.
    fn push_kept(&mut self, g0: &WalkGraph, to_scen: &[u32], range: std::ops::Range<usize>) -> Option<()> {
        for e in range.clone() {
            let t = to_scen[g0.targets[e] as usize];
            if t == NONE {
                return None;
            }
            self.targets.push(t);
        }
        self.weights.extend_from_slice(&g0.weights_ds[range.clone()]);
        if let (Some(f), Some(f0)) = (self.flat.as_mut(), g0.flat_weights_ds.as_deref()) {
            f.extend_from_slice(&f0[range]);
        }
        Some(())
    }

    /// Appends a dirty node's list: the baseline's (edges `range`, unless dropped) minus the
    /// removed targets plus the added edges, sorted by `(target, weight)`.
    fn push_rebuilt(
        &mut self,
        g0: &WalkGraph,
        to_scen: &[u32],
        range: Option<std::ops::Range<usize>>,
        d: &Dirty,
        list: &mut Vec<(u32, u32, u32)>,
    ) -> Option<()> {
        let flat0 = g0.flat_weights_ds.as_deref();
        list.clear();
        if let Some(range) = range.filter(|_| !d.drop_all) {
            for e in range {
                let t0 = g0.targets[e];
                if d.remove.contains(&t0) {
                    continue;
                }
                let t = to_scen[t0 as usize];
                if t == NONE {
                    return None;
                }
                list.push((t, g0.weights_ds[e], flat0.map_or(g0.weights_ds[e], |f| f[e])));
            }
        }
        list.extend_from_slice(&d.add);
        list.sort_by_key(|x| (x.0, x.1));
        for &(t, w, f) in list.iter() {
            self.targets.push(t);
            self.weights.push(w);
            if let Some(fl) = self.flat.as_mut() {
                fl.push(f);
            }
        }
        Some(())
    }
}
