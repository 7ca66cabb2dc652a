//! Loading many districts of one large extract without decoding it once per district: what
//! `circle15 batch` reads. Each district gets exactly the [`OsmData`] that [`super::load_pbf`] with
//! its halo box ([`super::LoadOptions::clipped`]) would give, so its analysis is byte-identical to
//! `analyze --clip`.
//!
//! Three kinds of pass over the file, each block-parallel like [`super::load_pbf`]:
//! 1. **index** ([`DistrictIndex::build`], once): every block is decoded once; it records what each
//!    block holds (node box, way-reference id range), the file totals, how many nodes fall in each
//!    district's box (to size groups), and keeps every relation (few; every district needs them).
//! 2. **nodes of a group** ([`DistrictIndex::load_group`]): only the blocks whose node box meets a
//!    district box of the group are decoded again; each node goes to every district whose box
//!    holds it (a uniform grid over the boxes finds them).
//! 3. **ways of a group**: only the blocks whose way references can meet a kept node id; each way
//!    goes to every district holding one of its nodes.
//!
//! Memory is that of one group (its districts' nodes and ways) plus the relations and the index,
//! not that of the file: the caller sizes groups with [`DistrictIndex::kept_nodes`]. Measured on
//! Las Palmas tiled 20×20 (1.37 GB PBF, 153 M nodes, 400 districts): decoding everything at once
//! would need ≈ 2.5 GB for the nodes alone; the `batch` module gives the group budget and timings.
//!
//! Glossary: **district box** the district's bbox grown by its halo, the box `--clip` loads;
//! **group** districts loaded together by one node pass and one way pass; **local index** a
//! district's position in its group.

use std::path::Path;
use std::sync::Arc;

use osmpbf::{BlobDecode, Element, PrimitiveBlock, RelMemberType};
use rayon::prelude::*;

use super::admin::RawAdmin;
use super::pbf_block::{Member, MemberType};
use super::read_pbf::{BlockOut, DECODING, Framed, RawRel, assemble, keep_node, raw_way, relation_into};
use super::{LoadOptions, OsmData};
use crate::error::{Error, Result};
use crate::profile::Profile;

/// What the index pass learnt about one block.
#[derive(Clone, Debug, Default)]
struct BlockInfo {
    /// Box of its nodes (`[min_lon, min_lat, max_lon, max_lat]`), `None` without nodes.
    node_box: Option<[f64; 4]>,
    /// Smallest and largest node id its ways reference, `None` without ways.
    way_refs: Option<(i64, i64)>,
}

/// The index of an extract for a set of district boxes (see the module doc).
pub struct DistrictIndex {
    path: std::path::PathBuf,
    boxes: Vec<[f64; 4]>,
    blocks: Vec<BlockInfo>,
    /// Nodes inside each district box.
    kept_nodes: Vec<u64>,
    /// Multipolygon relations the analysis uses, sorted by id.
    relations: Vec<RawRel>,
    /// `(member way id, relation index)`, sorted.
    relation_of_way: Vec<(i64, u32)>,
    /// Relations with at least one way member.
    relations_with_ways: usize,
    admin: Vec<RawAdmin>,
    totals: [usize; 3],
}

/// Districts loaded together: their nodes and ways, taken out one district at a time.
pub struct Group {
    districts: Vec<usize>,
    outs: Vec<Option<BlockOut>>,
}

/// A uniform grid over boxes: which boxes hold a point.
struct BoxGrid {
    boxes: Vec<[f64; 4]>,
    bounds: [f64; 4],
    n: [usize; 2],
    cells: Vec<Vec<u32>>,
}

impl BoxGrid {
    const MAX_CELLS: usize = 128;

    fn new(boxes: Vec<[f64; 4]>) -> BoxGrid {
        let mut b = crate::geom::bbox::EMPTY;
        for x in &boxes {
            b = [b[0].min(x[0]), b[1].min(x[1]), b[2].max(x[2]), b[3].max(x[3])];
        }
        let n = if boxes.is_empty() { [1, 1] } else { [Self::MAX_CELLS, Self::MAX_CELLS] };
        let mut g = BoxGrid { boxes, bounds: b, n, cells: vec![Vec::new(); n[0] * n[1]] };
        for (i, x) in g.boxes.clone().iter().enumerate() {
            let (c0, r0) = g.cell([x[0], x[1]]).unwrap_or((0, 0));
            let (c1, r1) = g.cell([x[2], x[3]]).unwrap_or((n[0] - 1, n[1] - 1));
            for r in r0..=r1 {
                for c in c0..=c1 {
                    g.cells[r * n[0] + c].push(i as u32);
                }
            }
        }
        g
    }

    fn cell(&self, p: [f64; 2]) -> Option<(usize, usize)> {
        let b = self.bounds;
        if !(p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]) {
            return None;
        }
        let f = |v: f64, lo: f64, hi: f64, n: usize| {
            if hi > lo { (((v - lo) / (hi - lo)) * n as f64).floor().clamp(0.0, (n - 1) as f64) as usize } else { 0 }
        };
        Some((f(p[0], b[0], b[2], self.n[0]), f(p[1], b[1], b[3], self.n[1])))
    }

    /// The boxes holding `p` (edges included, as `--clip` keeps nodes), in box order.
    fn holding(&self, p: [f64; 2], out: &mut Vec<u32>) {
        out.clear();
        let Some((c, r)) = self.cell(p) else { return };
        for &i in &self.cells[r * self.n[0] + c] {
            let b = self.boxes[i as usize];
            if p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3] {
                out.push(i);
            }
        }
    }

    fn meets(&self, b: [f64; 4]) -> bool {
        self.boxes.iter().any(|x| x[0] <= b[2] && b[0] <= x[2] && x[1] <= b[3] && b[1] <= x[3])
    }
}

/// The data blocks of a blob, or `None` for the header (its required features checked).
fn data_block(blob: &osmpbf::Blob) -> std::result::Result<Option<PrimitiveBlock>, String> {
    match blob.decode().map_err(|e| e.to_string())? {
        BlobDecode::OsmData(b) => Ok(Some(b)),
        BlobDecode::OsmHeader(h) => {
            if let Some(f) =
                h.required_features().iter().find(|f| !matches!(f.as_str(), "OsmSchema-V0.6" | "DenseNodes"))
            {
                return Err(format!("unsupported required feature {f:?}"));
            }
            Ok(None)
        }
        BlobDecode::Unknown(t) => Err(format!("unknown blob type {t:?}")),
    }
}

/// Decodes the blocks `wanted` picks, in parallel, and hands each to `f`; results in file order.
/// Returns them with the number of blocks in the file.
fn for_blocks<T: Send>(
    path: &Path,
    wanted: impl Fn(usize) -> bool + Sync,
    f: impl Fn(usize, &PrimitiveBlock) -> std::result::Result<T, String> + Sync,
) -> Result<(Vec<(usize, T)>, usize)> {
    let pbf_err = |msg: String| Error::Pbf { path: path.to_path_buf(), msg };
    let file = std::fs::File::open(path).map_err(|e| Error::Io { path: path.to_path_buf(), cause: e })?;
    let framed = Framed::new(std::io::BufReader::with_capacity(1 << 20, file));
    let count = std::sync::atomic::AtomicUsize::new(0);
    let mut out: Vec<(usize, std::result::Result<Option<T>, String>)> = framed
        .par_bridge()
        .filter_map(|(i, blob)| {
            count.fetch_max(i + 1, std::sync::atomic::Ordering::Relaxed);
            let frame = match blob {
                Err(e) => return Some((i, Err(e))),
                Ok(b) => b,
            };
            if !wanted(i) {
                return None;
            }
            let blob = match frame.osmpbf_blob(i) {
                Err(e) => return Some((i, Err(e))),
                Ok(b) => b,
            };
            DECODING.with(|d| d.set(true));
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                data_block(&blob).and_then(|b| b.map(|b| f(i, &b)).transpose())
            }));
            DECODING.with(|d| d.set(false));
            Some((
                i,
                match r {
                    Ok(r) => r.map_err(|e| format!("block {i}: {e}")),
                    Err(_) => Err(format!("block {i}: corrupt data")),
                },
            ))
        })
        .collect();
    out.sort_by_key(|(i, _)| *i);
    let mut res = Vec::with_capacity(out.len());
    for (i, r) in out {
        if let Some(t) = r.map_err(pbf_err)? {
            res.push((i, t));
        }
    }
    let n = count.into_inner();
    if n == 0 {
        return Err(pbf_err("file is empty (no blocks)".into()));
    }
    Ok((res, n))
}

/// The index pass's result for one block.
struct IndexOut {
    info: BlockInfo,
    counts: Vec<(u32, u64)>,
    rels: BlockOut,
    n_nodes: usize,
    n_ways: usize,
}

fn grow(b: &mut Option<[f64; 4]>, p: [f64; 2]) {
    let x = b.get_or_insert([p[0], p[1], p[0], p[1]]);
    *x = [x[0].min(p[0]), x[1].min(p[1]), x[2].max(p[0]), x[3].max(p[1])];
}

impl DistrictIndex {
    /// The index pass over `path` for districts whose boxes (grown by their halos) are `boxes`.
    pub fn build(path: &Path, profile: &Profile, boxes: Vec<[f64; 4]>) -> Result<DistrictIndex> {
        let grid = BoxGrid::new(boxes.clone());
        let cap_keys = profile.capacity_keys();
        let (outs, n_blocks) = for_blocks(
            path,
            |_| true,
            |_, block| {
                let mut o = IndexOut {
                    info: BlockInfo::default(),
                    counts: Vec::new(),
                    rels: BlockOut::default(),
                    n_nodes: 0,
                    n_ways: 0,
                };
                let mut counts = vec![0u64; grid.boxes.len()];
                let mut hits = Vec::new();
                let mut tags: Vec<(&str, &str)> = Vec::new();
                let mut node = |id: i64, p: [f64; 2], o: &mut IndexOut| -> std::result::Result<(), String> {
                    o.n_nodes += 1;
                    if !(p[0].abs() <= 180.0 && p[1].abs() <= 90.0) {
                        return Err(format!("node {id} at lon {}, lat {}: outside WGS84 ranges", p[0], p[1]));
                    }
                    grow(&mut o.info.node_box, p);
                    grid.holding(p, &mut hits);
                    for &h in &hits {
                        counts[h as usize] += 1;
                    }
                    Ok(())
                };
                for el in block.elements() {
                    match el {
                        Element::DenseNode(n) => node(n.id(), [n.lon(), n.lat()], &mut o)?,
                        Element::Node(n) => node(n.id(), [n.lon(), n.lat()], &mut o)?,
                        Element::Way(w) => {
                            o.n_ways += 1;
                            for r in w.refs() {
                                let x = o.info.way_refs.get_or_insert((r, r));
                                *x = (x.0.min(r), x.1.max(r));
                            }
                        }
                        Element::Relation(r) => {
                            tags.clear();
                            tags.extend(r.tags());
                            // As `load_pbf` reads them; `osmpbf` gives an unreadable role as an error.
                            let members: Vec<Member<'_>> = r
                                .members()
                                .map(|m| Member {
                                    kind: match m.member_type {
                                        RelMemberType::Node => MemberType::Node,
                                        RelMemberType::Way => MemberType::Way,
                                        RelMemberType::Relation => MemberType::Relation,
                                    },
                                    id: m.member_id,
                                    role: m.role().unwrap_or(""),
                                })
                                .collect();
                            relation_into(r.id(), &tags, &members, profile, &cap_keys, &mut o.rels)
                        }
                    }
                }
                o.counts = counts.into_iter().enumerate().filter(|c| c.1 > 0).map(|(i, c)| (i as u32, c)).collect();
                Ok(o)
            },
        )?;
        let mut blocks = vec![BlockInfo::default(); n_blocks];
        let mut kept_nodes = vec![0u64; boxes.len()];
        let (mut relations, mut admin) = (Vec::new(), Vec::new());
        let mut totals = [0usize; 3];
        for (i, o) in outs {
            blocks[i] = o.info;
            for (d, c) in o.counts {
                kept_nodes[d as usize] += c;
            }
            totals[0] += o.n_nodes;
            totals[1] += o.n_ways;
            totals[2] += o.rels.n_rels;
            relations.extend(o.rels.relations);
            admin.extend(o.rels.admin_relations);
        }
        relations.sort_by_key(|r: &RawRel| r.id);
        let mut relation_of_way: Vec<(i64, u32)> =
            relations.iter().enumerate().flat_map(|(k, r)| r.members.iter().map(move |m| (m.0, k as u32))).collect();
        relation_of_way.sort_unstable();
        relation_of_way.dedup();
        let relations_with_ways = relations.iter().filter(|r| !r.members.is_empty() && !r.land_only()).count();
        Ok(DistrictIndex {
            path: path.to_path_buf(),
            boxes,
            blocks,
            kept_nodes,
            relations,
            relation_of_way,
            relations_with_ways,
            admin,
            totals,
        })
    }

    /// Nodes inside each district box (the size of its load).
    pub fn kept_nodes(&self) -> &[u64] {
        &self.kept_nodes
    }

    /// Blocks in the file.
    pub fn blocks(&self) -> usize {
        self.blocks.len()
    }

    /// Loads the nodes and ways of the districts `districts` (indices into the boxes).
    pub fn load_group(&self, profile: &Profile, districts: &[usize]) -> Result<Group> {
        let grid = BoxGrid::new(districts.iter().map(|&d| self.boxes[d]).collect());
        let cap_keys = profile.capacity_keys();
        let plain = LoadOptions::default();
        let nd = districts.len();
        // Pass 2 of `--clip`: the nodes in the boxes.
        let wanted = |i: usize| self.blocks.get(i).and_then(|b| b.node_box).is_some_and(|b| grid.meets(b));
        let (node_outs, _) = for_blocks(&self.path, wanted, |_, block| {
            let mut per: Vec<(u32, BlockOut)> = Vec::new();
            let mut slot = vec![u32::MAX; nd];
            let mut scratch = BlockOut::default();
            let mut hits = Vec::new();
            let mut tags: Vec<(&str, &str)> = Vec::with_capacity(32);
            let mut node = |id: i64,
                            p: [f64; 2],
                            xy: [i32; 2],
                            tags: &[(&str, &str)],
                            per: &mut Vec<(u32, BlockOut)>|
             -> std::result::Result<(), String> {
                grid.holding(p, &mut hits);
                if hits.is_empty() {
                    return Ok(());
                }
                let before = [scratch.facility_nodes.len(), scratch.area_nodes.len(), scratch.entrance_nodes.len()];
                keep_node(&mut scratch, tags, id, p, xy, profile, &cap_keys, &plain)?;
                for &h in &hits {
                    let s = &mut slot[h as usize];
                    if *s == u32::MAX {
                        *s = per.len() as u32;
                        per.push((h, BlockOut::default()));
                    }
                    let o = &mut per[*s as usize].1;
                    o.nodes.push((id, xy));
                    o.facility_nodes.extend(scratch.facility_nodes[before[0]..].iter().cloned());
                    o.area_nodes.extend(scratch.area_nodes[before[1]..].iter().cloned());
                    o.entrance_nodes.extend(scratch.entrance_nodes[before[2]..].iter().cloned());
                }
                scratch.nodes.clear();
                scratch.facility_nodes.clear();
                scratch.area_nodes.clear();
                scratch.entrance_nodes.clear();
                Ok(())
            };
            for el in block.elements() {
                match el {
                    Element::DenseNode(n) => {
                        tags.clear();
                        tags.extend(n.tags());
                        let xy = [n.decimicro_lon(), n.decimicro_lat()];
                        node(n.id(), [n.lon(), n.lat()], xy, &tags, &mut per)?;
                    }
                    Element::Node(n) => {
                        tags.clear();
                        tags.extend(n.tags());
                        let xy = [n.decimicro_lon(), n.decimicro_lat()];
                        node(n.id(), [n.lon(), n.lat()], xy, &tags, &mut per)?;
                    }
                    _ => {}
                }
            }
            Ok(per)
        })?;
        let mut outs: Vec<BlockOut> = (0..nd).map(|_| BlockOut::default()).collect();
        for (_, per) in node_outs {
            for (d, o) in per {
                let t = &mut outs[d as usize];
                t.nodes.extend(o.nodes);
                t.facility_nodes.extend(o.facility_nodes);
                t.area_nodes.extend(o.area_nodes);
                t.entrance_nodes.extend(o.entrance_nodes);
            }
        }
        // Pass 2 of `--clip`: the ways touching the kept nodes.
        let mut kept: Vec<(i64, u32)> =
            outs.iter().enumerate().flat_map(|(d, o)| o.nodes.iter().map(move |n| (n.0, d as u32))).collect();
        kept.sort_unstable();
        let kept = Arc::new(kept);
        let wanted = |i: usize| {
            self.blocks.get(i).and_then(|b| b.way_refs).is_some_and(|(lo, hi)| {
                let k = kept.partition_point(|x| x.0 < lo);
                k < kept.len() && kept[k].0 <= hi
            })
        };
        let (way_outs, _) = for_blocks(&self.path, wanted, |_, block| {
            let mut per: Vec<(u32, super::read_pbf::RawWay)> = Vec::new();
            let mut tags: Vec<(&str, &str)> = Vec::with_capacity(32);
            let mut hits: Vec<u32> = Vec::new();
            for el in block.elements() {
                let Element::Way(w) = el else { continue };
                let refs: Vec<i64> = w.refs().collect();
                hits.clear();
                for r in &refs {
                    let mut k = kept.partition_point(|x| x.0 < *r);
                    while k < kept.len() && kept[k].0 == *r {
                        hits.push(kept[k].1);
                        k += 1;
                    }
                }
                if hits.is_empty() {
                    continue;
                }
                hits.sort_unstable();
                hits.dedup();
                tags.clear();
                tags.extend(w.tags());
                if let Some(rw) = raw_way(w.id(), refs, &tags, profile, &cap_keys) {
                    for &h in &hits {
                        per.push((h, rw.clone()));
                    }
                }
            }
            Ok(per)
        })?;
        drop(kept);
        for (_, per) in way_outs {
            for (d, w) in per {
                outs[d as usize].ways.push(w);
            }
        }
        Ok(Group { districts: districts.to_vec(), outs: outs.into_iter().map(Some).collect() })
    }

    /// The extract of one district of `group` (`local`: its position there), as `--clip` loads it;
    /// its nodes and ways leave the group.
    pub fn take(&self, profile: &Profile, group: &mut Group, local: usize) -> Result<OsmData> {
        let mut o = group.outs[local].take().unwrap_or_default();
        let _ = group.districts[local];
        let mut rels: Vec<u32> = Vec::new();
        for w in &o.ways {
            let mut k = self.relation_of_way.partition_point(|x| x.0 < w.id);
            while k < self.relation_of_way.len() && self.relation_of_way[k].0 == w.id {
                rels.push(self.relation_of_way[k].1);
                k += 1;
            }
        }
        rels.sort_unstable();
        rels.dedup();
        let taken = rels.iter().filter(|&&k| !self.relations[k as usize].land_only()).count();
        o.relations = rels.into_iter().map(|k| self.relations[k as usize].clone()).collect();
        o.admin_relations = self.admin.clone();
        let mut data = assemble(vec![o], profile)?;
        // As `load_pbf` counts: every block, node, way and relation of the file; relations none
        // of whose member ways is in the district are broken there, as with `--clip`.
        data.stats.blocks = self.blocks.len();
        [data.stats.nodes, data.stats.ways, data.stats.relations] = self.totals;
        data.stats.broken_multipolygons += self.relations_with_ways - taken;
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_finds_every_box_holding_a_point_edges_included() {
        let g = BoxGrid::new(vec![[0.0, 0.0, 1.0, 1.0], [0.5, 0.5, 2.0, 2.0], [3.0, 3.0, 4.0, 4.0]]);
        let mut h = Vec::new();
        g.holding([0.75, 0.75], &mut h);
        assert_eq!(h, vec![0, 1]);
        g.holding([1.0, 1.0], &mut h);
        assert_eq!(h, vec![0, 1]);
        g.holding([2.5, 2.5], &mut h);
        assert!(h.is_empty());
        g.holding([4.0, 4.0], &mut h);
        assert_eq!(h, vec![2]);
        g.holding([5.0, 0.0], &mut h);
        assert!(h.is_empty());
        assert!(g.meets([1.5, 1.5, 1.6, 1.6]) && !g.meets([2.1, 0.0, 2.9, 0.1]));
    }
}
