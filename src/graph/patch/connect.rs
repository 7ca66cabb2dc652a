//! The dirty nodes and the connectors of a patched graph (see [`super`]): the affected segments'
//! pieces, the connectors of removed and rebuilt requests, and the connectors and snap outcomes of
//! rebuilt and new requests.
//!
//! Glossary:
//! - **dirty node**: a scenario node whose edge list is rebuilt ([`Dirty`]): the baseline's minus
//!   `remove`, plus `add`.
//! - **piece**: the edge between consecutive nodes of a segment's chain (ends and split nodes).
//! - **connector**: the edge between a request's point node and the street or split node a source
//!   snaps to.

use std::collections::HashMap;

use super::{Baseline, Dirty, Edit, NONE, Nodes, Regrouped, Request, group};
use crate::geom::haversine_m;
use crate::graph::NodeId;
use crate::graph::build::{SnapOutcome, end_node, split_pieces_ds, weight_ds};

/// The dirty nodes of the affected segments' pieces: the baseline's pieces go, the scenario's
/// chain pieces come.
pub(super) fn dirty_pieces(b: &Baseline, rg: &Regrouped, nodes: &Nodes) -> HashMap<u32, Dirty> {
    let (base, to_scen, speeds) = (b.base, &nodes.to_scen, b.speeds);
    let mut dirty: HashMap<u32, Dirty> = HashMap::new();
    let speed_of = |steps: bool| if steps { speeds.speed_mps * speeds.steps_factor } else { speeds.speed_mps };
    for (s, chain, _) in &rg.chains {
        let (a, c, steps) = b.net.segs[*s as usize];
        let (blo, bhi) = base.split_range(*s);
        let base_chain: Vec<u32> = std::iter::once(base.new_of[a as usize])
            .chain((blo..bhi).map(|k| base.split_node(k)))
            .chain(std::iter::once(base.new_of[c as usize]))
            .collect();
        for p in base_chain.windows(2) {
            for (x, y) in [(p[0], p[1]), (p[1], p[0])] {
                if to_scen[x as usize] != NONE {
                    dirty.entry(to_scen[x as usize]).or_default().remove.push(y);
                }
            }
        }
        let scen_chain: Vec<u32> = std::iter::once(to_scen[base.new_of[a as usize] as usize])
            .chain(chain.iter().map(|&n| nodes.chain_node(n)))
            .chain(std::iter::once(to_scen[base.new_of[c as usize] as usize]))
            .collect();
        let pts: Vec<[f64; 2]> = scen_chain.iter().map(|&v| nodes.lon_lat[v as usize]).collect();
        let idx: Vec<u32> = (0..pts.len() as u32).collect();
        let len = b.net.seg_len[*s as usize];
        let pieces = split_pieces_ds(&idx, &pts, len, speed_of(steps));
        let flat = split_pieces_ds(&idx, &pts, len, speeds.speed_mps);
        for ((p, w), f) in scen_chain.windows(2).zip(pieces).zip(flat) {
            dirty.entry(p[0]).or_default().add.push((p[1], w, f));
            dirty.entry(p[1]).or_default().add.push((p[0], w, f));
        }
    }
    dirty
}

/// The connectors of removed and rebuilt baseline requests go (a rebuilt point node drops all).
pub(super) fn drop_connectors(
    b: &Baseline,
    edit: &Edit,
    rg: &Regrouped,
    nodes: &Nodes,
    dirty: &mut HashMap<u32, Dirty>,
) {
    let to_scen = &nodes.to_scen;
    for (i, &r) in edit.scen_of_req.iter().enumerate() {
        if r != NONE && !rg.rebuilt[r as usize] {
            continue;
        }
        let Some(p0) = b.base.snaps[i].node else { continue };
        for (u, _) in b.g0.edges(p0.0) {
            if (u as usize) < b.n_street0 && to_scen[u as usize] != NONE {
                dirty.entry(to_scen[u as usize]).or_default().remove.push(p0.0);
            }
        }
        if r != NONE {
            dirty.entry(to_scen[p0.idx()]).or_default().drop_all = true;
        }
    }
}

/// The scenario's snap outcomes and its moved requests.
pub(super) struct Connected {
    pub(super) snaps: Vec<SnapOutcome>,
    pub(super) moved: Vec<usize>,
}

/// The snap outcomes: a kept request's renumbered, a rebuilt or new one's connectors made again
/// (added to `dirty`); `None` when a connector would end at a removed node.
pub(super) fn connect(
    b: &Baseline,
    edit: &Edit,
    rg: &Regrouped,
    nodes: &Nodes,
    dirty: &mut HashMap<u32, Dirty>,
) -> Option<Connected> {
    let to_scen = &nodes.to_scen;
    let mut out = Connected { snaps: Vec::with_capacity(edit.reqs.len()), moved: Vec::new() };
    for (r, q) in edit.reqs.iter().enumerate() {
        let s = edit.raw(r);
        if !rg.rebuilt[r] {
            let Request::Base(i) = *q else { unreachable!("new requests are rebuilt") };
            let mut o = b.base.snaps[i];
            o.node = o.node.map(|v| NodeId(to_scen[v.idx()]));
            o.attach = o.attach.map(|v| NodeId(to_scen[v.idx()]));
            out.snaps.push(o);
        } else if s.sources.is_empty() {
            out.snaps.push(SnapOutcome { node: None, access_m: s.nearest_m, attach: None, entrances: 0 });
        } else {
            let (o, moved) = connect_request(b, edit, rg, nodes, r, dirty)?;
            if moved {
                out.moved.push(r);
            }
            out.snaps.push(o);
        }
    }
    Some(out)
}

/// The connectors of rebuilt or new request `r` (with sources): its snap outcome and whether it
/// moved (a kept request whose connectors differ from the baseline's).
fn connect_request(
    b: &Baseline,
    edit: &Edit,
    rg: &Regrouped,
    nodes: &Nodes,
    r: usize,
    dirty: &mut HashMap<u32, Dirty>,
) -> Option<(SnapOutcome, bool)> {
    let s = edit.raw(r);
    let p = nodes.scen_point[r];
    let mut out = SnapOutcome { node: Some(NodeId(p)), access_m: 0.0, attach: None, entrances: s.sources.len() as u32 };
    let mut mine: Vec<(u32, u32)> = Vec::with_capacity(s.sources.len());
    for (j, src) in s.sources.iter().enumerate() {
        let street = street_node(b, edit, rg, nodes, r, j);
        if street == NONE {
            return None;
        }
        let len = haversine_m(src.from, nodes.lon_lat[street as usize]);
        let w = weight_ds(len, b.speeds.speed_mps);
        dirty.entry(p).or_default().add.push((street, w, w));
        if s.sources.len() == 1 {
            dirty.entry(street).or_default().add.push((p, w, w));
        }
        mine.push((street, w));
        if j == 0 {
            out.access_m = len;
            out.attach = Some(NodeId(street));
        }
    }
    let mut moved = false;
    if let Request::Base(i) = edit.reqs[r] {
        let p0 = b.base.snaps[i].node.expect("attached").0;
        let mut was: Vec<(u32, u32)> = b.g0.edges(p0).map(|(t, w)| (nodes.to_scen[t as usize], w)).collect();
        was.sort_unstable();
        mine.sort_unstable();
        moved = was != mine;
    }
    Some((out, moved))
}

/// The scenario street or split node source `j` of request `r` connects to: a segment end, its
/// node in an affected segment's chain, or else the baseline's grouping's node.
fn street_node(b: &Baseline, edit: &Edit, rg: &Regrouped, nodes: &Nodes, r: usize, j: usize) -> u32 {
    let (net, base, to_scen) = (b.net, b.base, &nodes.to_scen);
    let src = &edit.raw(r).sources[j];
    let seg = net.segs[src.segment as usize];
    if let Some(v) = end_node(seg, net.seg_len[src.segment as usize], src.t) {
        return to_scen[base.new_of[v as usize] as usize];
    }
    match rg.chains.binary_search_by_key(&src.segment, |c| c.0) {
        Ok(c) => {
            let (_, chain, entries) = &rg.chains[c];
            let k = entries.iter().find(|e| e.0 == r as u32 && e.1 == j as u32).expect("a source").2;
            nodes.chain_node(chain[k])
        }
        Err(_) => {
            // An unaffected segment keeps the baseline's grouping.
            let Request::Base(i) = edit.reqs[r] else { unreachable!("new sources are on affected segments") };
            let e: Vec<(f64, u32, u32)> = base.splits_on(src.segment).iter().map(|x| (x.1, x.2, x.3)).collect();
            let (_, at) = group(&e, net.seg_len[src.segment as usize]);
            let k = e.iter().position(|x| x.1 == i as u32 && x.2 == j as u32).expect("a source");
            let (blo, _) = base.split_range(src.segment);
            to_scen[base.split_node(blo + at[k]) as usize]
        }
    }
}
