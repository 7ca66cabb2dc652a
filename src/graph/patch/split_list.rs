//! The split list and the renumbering of a patched graph (see [`super`]): the baseline's split list
//! minus the removed split nodes, the added ones merged in by `(segment, t)`.
//!
//! Glossary:
//! - **split list**: [`crate::graph::build::BuiltGraph::split_at`], `(segment, t)` per split node.
//! - **rank**: a split node's index in the scenario's split list.

use super::{NONE, Nodes, PatchBase, Regrouped};

/// The scenario's split list and where each kept and added split node lands in it.
pub(super) struct SplitList {
    pub(super) split_at: Vec<(u32, f64)>,
    /// Per baseline split index: its scenario split index ([`NONE`]: removed).
    rank_base: Vec<u32>,
    /// Per added split node: its scenario split index.
    rank_added: Vec<u32>,
}

/// The scenario's split list: the baseline's minus the removed, the added merged in by
/// `(segment, t)`.
pub(super) fn merge_split_list(base: &PatchBase, rg: &Regrouped) -> SplitList {
    let added = &rg.added;
    let mut removed_k = rg.removed_split.clone();
    removed_k.sort_unstable();
    let mut added_by_at: Vec<usize> = (0..added.len()).collect();
    added_by_at
        .sort_by(|&x, &y| (added[x].seg, added[x].t).partial_cmp(&(added[y].seg, added[y].t)).expect("finite t"));
    let mut out = SplitList {
        split_at: Vec::with_capacity(base.split_at.len() + added.len()),
        rank_base: vec![NONE; base.split_at.len()],
        rank_added: vec![NONE; added.len()],
    };
    let (mut k, mut a, mut rk) = (0usize, 0usize, 0usize);
    while k < base.split_at.len() || a < added_by_at.len() {
        if rk < removed_k.len() && removed_k[rk] == k {
            rk += 1;
            k += 1;
            continue;
        }
        let take_added = match (base.split_at.get(k), added_by_at.get(a)) {
            (Some(b), Some(&x)) => (added[x].seg, added[x].t) < *b,
            (None, Some(_)) => true,
            _ => false,
        };
        if take_added {
            let x = added_by_at[a];
            out.rank_added[x] = out.split_at.len() as u32;
            out.split_at.push((added[x].seg, added[x].t));
            a += 1;
        } else {
            out.rank_base[k] = out.split_at.len() as u32;
            out.split_at.push(base.split_at[k]);
            k += 1;
        }
    }
    out
}

/// The scenario's renumbering ([`BuiltGraph::renumber`]) of its street and split nodes.
pub(super) fn renumbering(base: &PatchBase, nodes: &Nodes, list: &SplitList) -> Vec<u32> {
    let sc = base.street_count;
    let mut renumber = vec![0u32; nodes.n_street];
    for (i, &old) in base.renumber.iter().enumerate() {
        let v = nodes.to_scen[i];
        if v == NONE {
            continue;
        }
        let old = old as usize;
        renumber[v as usize] = if old < sc { old as u32 } else { (sc as u32) + list.rank_base[old - sc] };
    }
    for (x, &v) in nodes.added_scen.iter().enumerate() {
        renumber[v as usize] = sc as u32 + list.rank_added[x];
    }
    renumber
}
