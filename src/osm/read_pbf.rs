//! Block-parallel PBF decode and selection of walkable ways, facilities, buildings and areas.
//!
//! Where the time goes (4×4-tiled Las Palmas, 55 MB, 11 M nodes; `perf record -F 499 --call-graph
//! dwarf` of `analyze --no-html --no-isochrones`, release, 2 cores, session 6): the block decode
//! was ~1.9 s of CPU on the workers — `Blob::decode` (zlib-rs inflate + rust-protobuf parsing into
//! owned vectors) 40 % of it, the facility classification of tagged nodes and closed ways ~22 %,
//! building and pushing `RawWay`s ~17 %, freeing the decoded block 8 % — and [`assemble`] ~0.6 s
//! on one thread: concatenating and unzipping the blocks' nodes 0.2 s, multipolygon relations
//! 0.11 s, the facility-node/area duplicate test (every node against every area facility)
//! 0.09 s, moving the ways 0.07 s. Hence: the classification is skipped for objects that carry
//! none of the keys it could match ([`FacilityKeys`], exact); `RawWay` keeps its facility tags
//! boxed; the node table is filled from the blocks in parallel ([`NodeStore::from_parts`]);
//! relations are assembled in parallel; the duplicate test looks only at the area facilities of
//! the node's grid cell ([`BoxGrid`]). Blocks are decoded by the hand-written zero-copy parser
//! [`super::pbf_block`] instead of `osmpbf` (session 7; `osmpbf` stays the oracle of its test and
//! `load_districts`' decoder): on the 4×4 default run, old and new release binaries back to back
//! at load 7.5–8 (other engineers' builds), user+sys 9.69 / 9.33 s → 8.47 / 8.40 s, load_osm
//! 6.2 / 5.9 s → 2.2 / 2.8 s wall; outputs byte-identical.

use std::cell::Cell;
use std::path::Path;

use osmpbf::BlobReader;
use rayon::prelude::*;

use super::pbf_block::{self, Blob, Element, Member, MemberType, Want};
use super::rings::assemble_rings;
use super::walkable::{WayKind, walkable_kind};
use super::*;
use crate::error::{Error, Result};
use crate::geom::polygon::{polygon_area_m2, polygon_centroid, polygon_contains};
use crate::geom::{MultiPolygon, bbox};
use crate::profile::Profile;

/// What to keep while loading.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Keep only nodes inside this `[min_lon, min_lat, max_lon, max_lat]` box (ways leaving it are
    /// split like ways cut at the extract edge). With a box, [`load_pbf`] reads the file twice so
    /// that memory stays proportional to what is kept, not to the file: pass 1 keeps the nodes
    /// inside the box, pass 2 keeps only the ways and relations that touch them.
    pub bbox: Option<[f64; 4]>,
    /// Pass 1 of a clipped load: nodes only.
    nodes_only: bool,
    /// Pass 2 of a clipped load: the kept node ids (sorted); nodes are not decoded again and a way
    /// is kept only when it references one of them.
    kept_nodes: Option<std::sync::Arc<Vec<i64>>>,
    /// Set by the decode: the keys one of which a node or closed way must carry to be classified.
    facility_keys: Option<std::sync::Arc<FacilityKeys>>,
}

/// Tag keys one of which an object must carry for [`Profile::classify`] to find a category: the
/// first positive key of every tag rule, and the name keys when a category has name patterns or
/// name kinds. An object with none of them is no facility, so classifying it is skipped (it was
/// ~0.4 s of the 4×4 Las Palmas decode's CPU, ~20 % of it: most tagged nodes and buildings are
/// addresses and houses). `None` when a rule has only negated clauses (it matches untagged objects).
#[derive(Debug)]
pub(super) struct FacilityKeys(Vec<String>);

impl FacilityKeys {
    fn of(profile: &Profile) -> Option<FacilityKeys> {
        let mut keys: Vec<String> = Vec::new();
        for c in &profile.categories {
            for r in &c.tags {
                keys.push(r.clauses.iter().find(|cl| !cl.negated)?.key.clone());
            }
            if !c.names.is_empty() || !c.name_kinds.is_empty() {
                keys.extend(crate::profile::NAME_KEYS.iter().map(|k| k.to_string()));
            }
        }
        keys.sort();
        keys.dedup();
        Some(FacilityKeys(keys))
    }

    /// Whether an object with these tags may be a facility (`false`: certainly not).
    fn may_match(&self, tags: &[(&str, &str)]) -> bool {
        tags.iter().any(|(k, _)| self.0.binary_search_by(|x| x.as_str().cmp(k)).is_ok())
    }
}

/// Whether the facility classification can be skipped for these tags (see [`FacilityKeys`]).
fn no_facility(keys: Option<&FacilityKeys>, tags: &[(&str, &str)]) -> bool {
    keys.is_some_and(|k| !k.may_match(tags))
}

impl LoadOptions {
    /// Options that keep only what lies inside `bbox` (`None`: everything).
    pub fn clipped(bbox: Option<[f64; 4]>) -> LoadOptions {
        LoadOptions { bbox, ..Default::default() }
    }
}

thread_local! {
    /// Set while a worker decodes a block: a panic inside the PBF decoder is then caught and
    /// reported as a corrupt block, and the binary's panic hook stays silent.
    pub(super) static DECODING: Cell<bool> = const { Cell::new(false) };
}

/// Installs a panic hook that stays silent for a panic inside the PBF decoder (it is caught and
/// reported as a corrupt block, with the file and block) and otherwise calls the previous hook.
/// For binaries; the library itself never installs hooks.
pub fn silence_decoder_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !DECODING.with(|d| d.get()) {
            previous(info);
        }
    }));
}

#[derive(Clone, Default)]
pub(super) struct WayRole {
    walk: Option<WayKind>,
    building: Option<(BuildingUse, Option<f64>)>,
    residential: bool,
    /// Boxed: most kept ways are not facilities, and a smaller `RawWay` is cheaper to move
    /// (pushed per way, then concatenated across blocks).
    facility: Option<Box<FacilityTags>>,
    name: String,
    /// Area targets of the profile that select the object (indices).
    area_targets: Vec<u16>,
    /// Water or green for the maps' base layer ([`super::land_cover`]).
    land: Option<super::LandCover>,
    /// Kept only for the water and green layer (a water or green way, or a name-only way that
    /// may be a ring of such a relation): invisible to everything else.
    land_member_only: bool,
}

#[derive(Clone, Default)]
pub(super) struct FacilityTags {
    name: String,
    name_zh: String,
    categories: Vec<u16>,
    capacity_tags: Vec<(String, String)>,
    public: Option<bool>,
}

#[derive(Clone)]
pub(super) struct RawWay {
    pub(super) id: i64,
    pub(super) refs: Vec<i64>,
    pub(super) role: WayRole,
}

#[derive(Clone)]
pub(super) struct RawRel {
    pub(super) id: i64,
    pub(super) members: Vec<(i64, bool)>, // (way id, is_inner)
    pub(super) role: WayRole,
}

impl RawRel {
    /// Kept for the water and green layer alone (no building, residential, facility or area
    /// target role): not assembled nor counted with the others.
    pub(super) fn land_only(&self) -> bool {
        let r = &self.role;
        r.building.is_none() && !r.residential && r.facility.is_none() && r.area_targets.is_empty()
    }
}

#[derive(Default)]
pub(super) struct BlockOut {
    pub(super) nodes: Vec<(i64, [i32; 2])>,
    pub(super) facility_nodes: Vec<(i64, [f64; 2], FacilityTags)>,
    /// Nodes selected by a floor-area target: (id, lon/lat, targets).
    pub(super) area_nodes: Vec<(i64, [f64; 2], Vec<u16>)>,
    /// `entrance=*` nodes (any value but `no`): where area facilities are entered.
    pub(super) entrance_nodes: Vec<(i64, [f64; 2])>,
    pub(super) ways: Vec<RawWay>,
    pub(super) relations: Vec<RawRel>,
    pub(super) admin_relations: Vec<super::admin::RawAdmin>,
    pub(super) n_nodes: usize,
    pub(super) n_ways: usize,
    pub(super) n_rels: usize,
}

/// Tags that give a `building=yes` a use other than housing (a bus station, a shop, a church…).
const NON_RESIDENTIAL_KEYS: &[&str] = &[
    "amenity",
    "shop",
    "office",
    "public_transport",
    "tourism",
    "craft",
    "industrial",
    "man_made",
    "military",
    "leisure",
    "railway",
    "aeroway",
    "power",
    "healthcare",
    "emergency",
];

/// Whether a building can house residents (see [`BuildingUse`]): its `building=*` value, and for
/// `building=yes` its other tags.
fn building_use<'a>(v: &str, get: impl Fn(&str) -> Option<&'a str>) -> BuildingUse {
    match v {
        "residential" | "apartments" | "house" | "detached" | "semidetached_house" | "terrace" | "dormitory"
        | "bungalow" | "farm" | "cabin" | "static_caravan" | "houseboat" => BuildingUse::Residential,
        "yes" if get("building:use").is_some_and(|u| u.starts_with("residential")) => BuildingUse::Residential,
        "yes" if NON_RESIDENTIAL_KEYS.iter().any(|k| get(k).is_some_and(|x| x != "no")) => BuildingUse::Other,
        // A monument, memorial, castle or church; `historic=building|house|…` may be lived in.
        "yes" if get("historic").is_some_and(|h| !matches!(h, "no" | "building" | "house" | "manor" | "farm")) => {
            BuildingUse::Other
        }
        "yes" => match get("building:use") {
            Some(_) => BuildingUse::Other,
            None => BuildingUse::Unknown,
        },
        _ => BuildingUse::Other,
    }
}

fn parse_levels(s: &str) -> Option<f64> {
    let v: f64 = s.trim().split([';', ',']).next()?.trim().parse().ok()?;
    (v.is_finite() && (1.0..=200.0).contains(&v)).then_some(v)
}

fn public_flag<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Option<bool> {
    if let Some(v) = get("operator:type") {
        match v {
            "public" | "government" | "community" => return Some(true),
            "private" | "commercial" | "religious" | "business" => return Some(false),
            _ => {}
        }
    }
    if let Some(n) = get("name").or_else(|| get("name:zh")) {
        if n.contains("普惠") || n.contains("公办") {
            return Some(true);
        }
        if n.contains("民办") {
            return Some(false);
        }
    }
    None
}

fn facility_tags<'a>(
    profile: &Profile,
    cap_keys: &[String],
    get: impl Fn(&str) -> Option<&'a str> + Copy,
) -> Option<FacilityTags> {
    let categories = profile.classify(get);
    if categories.is_empty() {
        return None;
    }
    Some(FacilityTags {
        name: get("name").or_else(|| get("name:zh")).unwrap_or("").to_string(),
        name_zh: get("name:zh").unwrap_or("").to_string(),
        categories,
        capacity_tags: cap_keys.iter().filter_map(|k| get(k).map(|v| (k.clone(), v.to_string()))).collect(),
        public: public_flag(get),
    })
}

fn way_role<'a>(
    profile: &Profile,
    cap_keys: &[String],
    get: impl Fn(&str) -> Option<&'a str> + Copy,
    closed: bool,
    skip_facility: bool,
) -> WayRole {
    let mut role = WayRole { walk: walkable_kind(get), ..Default::default() };
    if closed {
        if let Some(b) = get("building").filter(|b| *b != "no") {
            role.building = Some((building_use(b, get), get("building:levels").and_then(parse_levels)));
        }
        role.residential = get("landuse") == Some("residential");
        if role.residential {
            role.name = get("name").or_else(|| get("name:zh")).unwrap_or("").to_string();
        }
        if !skip_facility {
            role.facility = facility_tags(profile, cap_keys, get).map(Box::new);
        }
        let cats = role.facility.as_ref().map_or(&[][..], |f| &f.categories[..]);
        role.area_targets = super::area_features::selecting(&profile.area_targets, get, cats, false);
        role.land = super::land_cover::land_cover_of(get);
    }
    role
}

fn in_bbox(b: &Option<[f64; 4]>, lon: f64, lat: f64) -> bool {
    match b {
        None => true,
        Some(b) => lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3],
    }
}

/// A node beyond WGS84 ranges means a corrupt block (or a bad offset/granularity).
fn check_coords(id: i64, lon: f64, lat: f64) -> std::result::Result<(), String> {
    if lon.abs() <= 180.0 && lat.abs() <= 90.0 {
        Ok(())
    } else {
        Err(format!("node {id} at lon {lon}, lat {lat}: outside WGS84 ranges"))
    }
}

/// Records one node (dense or not): its coordinates when inside the box, and a facility when its
/// tags make one.
#[allow(clippy::too_many_arguments)]
pub(super) fn keep_node(
    out: &mut BlockOut,
    tags: &[(&str, &str)],
    id: i64,
    lon_lat: [f64; 2],
    decimicro: [i32; 2],
    profile: &Profile,
    cap_keys: &[String],
    opts: &LoadOptions,
) -> std::result::Result<(), String> {
    out.n_nodes += 1;
    check_coords(id, lon_lat[0], lon_lat[1])?;
    if !in_bbox(&opts.bbox, lon_lat[0], lon_lat[1]) {
        return Ok(());
    }
    out.nodes.push((id, decimicro));
    if !tags.is_empty() {
        let get = |k: &str| tags.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v);
        let f =
            if no_facility(opts.facility_keys.as_deref(), tags) { None } else { facility_tags(profile, cap_keys, get) };
        if !profile.area_targets.is_empty() {
            let cats = f.as_ref().map_or(&[][..], |f| &f.categories[..]);
            let hits = super::area_features::selecting(&profile.area_targets, get, cats, true);
            if !hits.is_empty() {
                out.area_nodes.push((id, lon_lat, hits));
            }
        }
        if let Some(f) = f {
            out.facility_nodes.push((id, lon_lat, f));
        }
        if get("entrance").is_some_and(|v| v != "no") {
            out.entrance_nodes.push((id, lon_lat));
        }
    }
    Ok(())
}

fn decode_block(
    frame: &RawFrame,
    profile: &Profile,
    cap_keys: &[String],
    opts: &LoadOptions,
) -> std::result::Result<BlockOut, String> {
    let ty = pbf_block::blob_type(frame.header())?;
    pbf_block::with_blob(ty, frame.blob(), |blob| {
        let bytes = match blob {
            Blob::Header(features) => {
                if let Some(f) = features.iter().find(|f| !matches!(**f, "OsmSchema-V0.6" | "DenseNodes")) {
                    return Err(format!("unsupported required feature {f:?}"));
                }
                return Ok(BlockOut::default());
            }
            Blob::Data(b) => b,
        };
        let mut out = BlockOut::default();
        let want = Want { nodes: opts.kept_nodes.is_none(), ways: !opts.nodes_only, relations: !opts.nodes_only };
        let keys = opts.facility_keys.as_deref();
        pbf_block::for_each_element(bytes, want, |el| {
            match el {
                Element::Node { id, nano, tags } => {
                    let (p, xy) = (pbf_block::degrees(nano), pbf_block::decimicro(nano));
                    keep_node(&mut out, tags, id, p, xy, profile, cap_keys, opts)?;
                }
                Element::Way { id, refs, tags } => {
                    out.n_ways += 1;
                    if let Some(kept) = &opts.kept_nodes
                        && !refs.iter().any(|r| kept.binary_search(r).is_ok())
                    {
                        return Ok(());
                    }
                    if let Some(w) = raw_way_with(id, refs.to_vec(), tags, profile, cap_keys, keys) {
                        out.ways.push(w);
                    }
                }
                Element::Relation { id, members, tags } => {
                    relation_into(id, tags, members, profile, cap_keys, &mut out)
                }
            }
            Ok(())
        })?;
        Ok(out)
    })
}

/// A way as the analysis keeps it (walkable, a building, a residential or facility area, an area
/// target, an untagged ring member or an admin boundary way), or `None`.
pub(super) fn raw_way(
    id: i64,
    refs: Vec<i64>,
    tags: &[(&str, &str)],
    profile: &Profile,
    cap_keys: &[String],
) -> Option<RawWay> {
    raw_way_with(id, refs, tags, profile, cap_keys, None)
}

/// [`raw_way`], skipping the facility classification when `keys` tells it finds nothing.
fn raw_way_with(
    id: i64,
    refs: Vec<i64>,
    tags: &[(&str, &str)],
    profile: &Profile,
    cap_keys: &[String],
    keys: Option<&FacilityKeys>,
) -> Option<RawWay> {
    let closed = refs.len() >= 4 && refs.first() == refs.last();
    let get = |k: &str| tags.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v);
    let role = way_role(profile, cap_keys, get, closed, no_facility(keys, tags));
    let untagged = tags.iter().all(|(k, _)| matches!(*k, "source" | "note" | "created_by" | "fixme" | "FIXME"));
    let mut role = role;
    let keep = role.walk.is_some()
        || role.building.is_some()
        || role.residential
        || role.facility.is_some()
        || !role.area_targets.is_empty()
        || untagged
        || (!profile.units.admin_levels.is_empty() && super::admin::is_boundary_way(get));
    // Kept for the water and green layer alone: no other part of the reader sees these ways.
    role.land_member_only =
        !keep && (role.land.is_some() || tags.iter().all(|(k, _)| super::land_cover::descriptive_key(k)));
    ((keep || role.land_member_only) && refs.len() >= 2).then_some(RawWay { id, refs, role })
}

/// Counts a relation and keeps it when it is an admin boundary at a wanted level or a
/// multipolygon the analysis uses.
pub(super) fn relation_into(
    id: i64,
    tags: &[(&str, &str)],
    members: &[Member<'_>],
    profile: &Profile,
    cap_keys: &[String],
    out: &mut BlockOut,
) {
    out.n_rels += 1;
    let get = |k: &str| tags.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v);
    let ways = || members.iter().filter(|m| m.kind == MemberType::Way);
    if let Some(admin_level) = super::admin::wanted_level(get, &profile.units.admin_levels) {
        out.admin_relations.push(super::admin::RawAdmin {
            id,
            name: get("name").or_else(|| get("name:zh")).unwrap_or("").to_string(),
            admin_level,
            members: ways()
                .filter_map(|m| match m.role {
                    "" | "outer" => Some((m.id, false)),
                    "inner" => Some((m.id, true)),
                    _ => None,
                })
                .collect(),
        });
    }
    if get("type") != Some("multipolygon") {
        return;
    }
    let mut role = way_role(profile, cap_keys, get, true, false);
    role.walk = None;
    if role.building.is_none()
        && !role.residential
        && role.facility.is_none()
        && role.area_targets.is_empty()
        && role.land.is_none()
    {
        return;
    }
    let members = ways().map(|m| (m.id, m.role == "inner")).collect();
    out.relations.push(RawRel { id, members, role });
}

/// Reads an `.osm.pbf` file in one block-parallel pass (two with a clip box, see
/// [`LoadOptions::bbox`]) and selects what the analysis needs.
pub fn load_pbf(path: &Path, profile: &Profile, opts: &LoadOptions) -> Result<OsmData> {
    let meta = std::fs::metadata(path).map_err(|e| Error::Io { path: path.to_path_buf(), cause: e })?;
    if meta.is_dir() {
        return Err(Error::Pbf { path: path.to_path_buf(), msg: "is a directory".into() });
    }
    let open = || -> Result<std::io::BufReader<std::fs::File>> {
        let f = std::fs::File::open(path).map_err(|e| Error::Io { path: path.to_path_buf(), cause: e })?;
        Ok(std::io::BufReader::with_capacity(1 << 20, f))
    };
    if opts.bbox.is_none() {
        return load_pbf_reader(open()?, path, profile, opts);
    }
    // Pass 1: the nodes inside the box.
    let pass1 = LoadOptions { nodes_only: true, ..opts.clone() };
    let outs1 = decode_all(open()?, path, profile, &pass1)?;
    let mut nodes: Vec<(i64, [i32; 2])> = Vec::new();
    let mut facility_nodes = Vec::new();
    let mut area_nodes = Vec::new();
    let mut entrance_nodes = Vec::new();
    let (mut n_nodes, blocks) = (0, outs1.len());
    for o in outs1 {
        nodes.extend(o.nodes);
        facility_nodes.extend(o.facility_nodes);
        area_nodes.extend(o.area_nodes);
        entrance_nodes.extend(o.entrance_nodes);
        n_nodes += o.n_nodes;
    }
    nodes.sort_unstable_by_key(|x| x.0);
    let kept: Vec<i64> = nodes.iter().map(|x| x.0).collect();
    // Pass 2: ways and relations touching them.
    let pass2 = LoadOptions { kept_nodes: Some(std::sync::Arc::new(kept)), ..opts.clone() };
    let mut outs2 = decode_all(open()?, path, profile, &pass2)?;
    let first = outs2.first_mut().expect("non-empty");
    first.nodes = nodes;
    first.facility_nodes = facility_nodes;
    first.area_nodes = area_nodes;
    first.entrance_nodes = entrance_nodes;
    first.n_nodes = n_nodes;
    let mut data = assemble(outs2, profile)?;
    data.stats.blocks = blocks;
    Ok(data)
}

/// Largest blob header the format allows (as osmpbf checks).
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Largest blob the format allows: 32 MiB.
const MAX_BLOB_BYTES: usize = 32 * 1024 * 1024;

/// Splits a PBF stream into its blocks before osmpbf sees them, so that what a block declares is
/// checked against what is there: a blob size beyond the format's limit is refused before any
/// allocation, a block cut short (even at a protobuf field boundary, which osmpbf would accept)
/// or 1–3 stray bytes at the end are reported as truncation, and memory grows with the bytes
/// actually read, never with a declared size.
pub(super) struct Framed<R> {
    reader: R,
    next: usize,
    offset: u64,
    done: bool,
}

/// Reads up to `n` bytes onto `buf`; returns how many came.
fn read_up_to<R: std::io::Read>(r: &mut R, n: usize, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    use std::io::Read;
    r.by_ref().take(n as u64).read_to_end(buf)
}

/// The `datasize` (field 3, an int32) of a serialized `BlobHeader`, by a minimal protobuf scan;
/// `None` when the bytes do not parse that far. (osmpbf parses the header in full afterwards.)
fn declared_blob_size(mut b: &[u8]) -> Option<i32> {
    fn varint(b: &mut &[u8]) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&c, rest) = b.split_first()?;
            *b = rest;
            v |= u64::from(c & 0x7f) << shift;
            if c < 0x80 {
                return Some(v);
            }
        }
        None
    }
    let mut size = None;
    while !b.is_empty() {
        let key = varint(&mut b)?;
        match (key >> 3, key & 7) {
            // int32: a negative value is sign-extended to 64 bits.
            (3, 0) => size = Some(varint(&mut b)? as i64 as i32),
            (_, 0) => {
                varint(&mut b)?;
            }
            (_, 1) => b = b.get(8..)?,
            (_, 2) => {
                let n = usize::try_from(varint(&mut b)?).ok()?;
                b = b.get(n..)?;
            }
            (_, 5) => b = b.get(4..)?,
            _ => return None,
        }
    }
    size
}

impl<R: std::io::Read> Framed<R> {
    /// Frames the blocks of `reader` from its start.
    pub(super) fn new(reader: R) -> Framed<R> {
        Framed { reader, next: 0, offset: 0, done: false }
    }

    /// Reads block `i`.
    fn frame(&mut self, i: usize) -> std::result::Result<Option<RawFrame>, String> {
        let at = self.offset;
        let io = |e: std::io::Error| format!("block {i} (byte {at}): {e}");
        let mut frame = Vec::with_capacity(4 + 256);
        let got = read_up_to(&mut self.reader, 4, &mut frame).map_err(io)?;
        if got == 0 {
            return Ok(None);
        }
        if got < 4 {
            return Err(format!("truncated: {got} stray bytes at the end (byte {at})"));
        }
        let header_len = u32::from_be_bytes([frame[0], frame[1], frame[2], frame[3]]) as usize;
        if i == 0 && (frame.starts_with(b"<?xm") || frame.starts_with(b"<osm")) {
            return Err("this is OSM XML (.osm), not PBF: convert it, e.g. `osmium cat in.osm -o out.osm.pbf`".into());
        }
        if header_len == 0 || header_len >= MAX_HEADER_BYTES {
            return Err(format!(
                "block {i} (byte {at}): block header length {header_len} is impossible (corrupt, or not a PBF file)"
            ));
        }
        let got = read_up_to(&mut self.reader, header_len, &mut frame).map_err(io)?;
        if got < header_len {
            return Err(format!("block {i} (byte {at}): truncated block header ({got} of {header_len} bytes)"));
        }
        let size = declared_blob_size(&frame[4..])
            .ok_or_else(|| format!("block {i} (byte {at}): unreadable block header (no blob size)"))?;
        let size = usize::try_from(size).ok().filter(|s| *s <= MAX_BLOB_BYTES).ok_or_else(|| {
            format!("block {i} (byte {at}): declares a blob of {size} bytes (the format allows 0 to 32 MiB)")
        })?;
        let got = read_up_to(&mut self.reader, size, &mut frame).map_err(io)?;
        if got < size {
            return Err(format!("block {i} (byte {at}): truncated: the blob declares {size} bytes, {got} remain"));
        }
        self.offset += frame.len() as u64;
        Ok(Some(RawFrame { bytes: frame, header_len, at }))
    }
}

/// One block as framed: the 4-byte length, the serialized `BlobHeader` and `Blob`, not yet parsed.
pub(super) struct RawFrame {
    bytes: Vec<u8>,
    header_len: usize,
    /// Where the block starts in the file.
    at: u64,
}

impl RawFrame {
    /// The serialized `BlobHeader`.
    pub(super) fn header(&self) -> &[u8] {
        &self.bytes[4..4 + self.header_len]
    }

    /// The serialized `Blob`.
    pub(super) fn blob(&self) -> &[u8] {
        &self.bytes[4 + self.header_len..]
    }

    /// The block as `osmpbf` parses it (for `load_districts`, which still decodes with it).
    pub(super) fn osmpbf_blob(&self, i: usize) -> std::result::Result<osmpbf::Blob, String> {
        let at = self.at;
        match BlobReader::new(std::io::Cursor::new(&self.bytes[..])).next() {
            Some(Ok(b)) => Ok(b),
            Some(Err(e)) => Err(format!("block {i} (byte {at}): {e}")),
            None => Err(format!("block {i} (byte {at}): unreadable block")),
        }
    }
}

impl<R: std::io::Read> Iterator for Framed<R> {
    type Item = (usize, std::result::Result<RawFrame, String>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let i = self.next;
        self.next += 1;
        match self.frame(i) {
            Ok(Some(b)) => Some((i, Ok(b))),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                // Nothing after a broken frame can be trusted.
                self.done = true;
                Some((i, Err(e)))
            }
        }
    }
}

/// [`load_pbf`] from any reader (`label` names it in errors), e.g. the embedded default extract.
pub fn load_pbf_reader<R: std::io::Read + Send>(
    reader: R,
    label: &Path,
    profile: &Profile,
    opts: &LoadOptions,
) -> Result<OsmData> {
    let outs = decode_all(reader, label, profile, opts)?;
    let data = assemble(outs, profile);
    return_free_memory();
    data
}

/// Hands the allocator's free pages back to the system (glibc `malloc_trim`; elsewhere nothing).
/// After the decode and the graph build, glibc keeps much of what their parallel parts freed
/// (its per-thread arenas and raised mmap threshold): on the 4×4 Las Palmas run that was ~110 MB
/// of peak RSS (1,008,904 KiB; the same binary with a fixed `MALLOC_MMAP_THRESHOLD_` peaked at
/// 766,940 KiB, the previous release at 753,196 KiB). The `circle15` binary allocates with
/// mimalloc, which purges freed pages itself; there this only trims what C code (SQLite) left.
pub(crate) fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases memory the allocator holds free; callable at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Decodes every block in parallel; results in file order.
fn decode_all<R: std::io::Read + Send>(
    reader: R,
    label: &Path,
    profile: &Profile,
    opts: &LoadOptions,
) -> Result<Vec<BlockOut>> {
    let path = label;
    let pbf_err = |msg: String| Error::Pbf { path: path.to_path_buf(), msg };
    let reader = Framed { reader, next: 0, offset: 0, done: false };
    let cap_keys = profile.capacity_keys();
    let opts = &LoadOptions { facility_keys: FacilityKeys::of(profile).map(std::sync::Arc::new), ..opts.clone() };
    let mut blocks: Vec<(usize, std::result::Result<BlockOut, String>)> = reader
        .par_bridge()
        .map(|(i, blob)| {
            let res = match blob {
                Err(e) => Err(e),
                Ok(frame) => {
                    DECODING.with(|d| d.set(true));
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        decode_block(&frame, profile, &cap_keys, opts)
                    }));
                    DECODING.with(|d| d.set(false));
                    match r {
                        Ok(r) => r.map_err(|e| format!("block {i}: {e}")),
                        Err(_) => Err(format!("block {i}: corrupt data")),
                    }
                }
            };
            (i, res)
        })
        .collect();
    blocks.sort_by_key(|(i, _)| *i);
    let mut outs = Vec::with_capacity(blocks.len());
    for (_, b) in blocks {
        outs.push(b.map_err(&pbf_err)?);
    }
    if outs.is_empty() {
        return Err(pbf_err("file is empty (no blocks)".into()));
    }
    Ok(outs)
}

pub(super) fn assemble(outs: Vec<BlockOut>, profile: &Profile) -> Result<OsmData> {
    let mut stats = OsmStats { blocks: outs.len(), ..Default::default() };
    let mut node_parts = Vec::with_capacity(outs.len());
    // Sized once: growing these by doubling copied ~200 MB of ways into freshly zeroed pages on
    // the 4×4 input (5 % of the run's samples, serial).
    let total = |f: fn(&BlockOut) -> usize| outs.iter().map(f).sum::<usize>();
    let mut facility_nodes = Vec::with_capacity(total(|o| o.facility_nodes.len()));
    let mut area_nodes = Vec::with_capacity(total(|o| o.area_nodes.len()));
    let mut entrance_nodes = Vec::with_capacity(total(|o| o.entrance_nodes.len()));
    let mut ways = Vec::with_capacity(total(|o| o.ways.len()));
    let mut rels = Vec::with_capacity(total(|o| o.relations.len()));
    let mut admin_rels = Vec::with_capacity(total(|o| o.admin_relations.len()));
    for o in outs {
        stats.nodes += o.n_nodes;
        stats.ways += o.n_ways;
        stats.relations += o.n_rels;
        node_parts.push(o.nodes);
        facility_nodes.extend(o.facility_nodes);
        area_nodes.extend(o.area_nodes);
        entrance_nodes.extend(o.entrance_nodes);
        ways.extend(o.ways);
        rels.extend(o.relations);
        admin_rels.extend(o.admin_relations);
    }
    let nodes = NodeStore::from_parts(node_parts);
    ways.sort_by_key(|w| w.id);
    rels.sort_by_key(|r| r.id);

    // Ways used as multipolygon members.
    let mut member_ids: Vec<i64> = rels.iter().flat_map(|r| r.members.iter().map(|m| m.0)).collect();
    member_ids.sort_unstable();
    member_ids.dedup();
    let land_refs =
        |id: i64| -> Option<&Vec<i64>> { ways.binary_search_by_key(&id, |w| w.id).ok().map(|i| &ways[i].refs) };
    let way_refs = |id: i64| -> Option<&Vec<i64>> {
        let i = ways.binary_search_by_key(&id, |w| w.id).ok().filter(|&i| !ways[i].role.land_member_only)?;
        Some(&ways[i].refs)
    };
    let coords = |refs: &[i64]| -> Option<Vec<[f64; 2]>> { refs.iter().map(|r| nodes.get(*r)).collect() };

    let mut data = OsmData::default();
    let mut bbox = bbox::EMPTY;

    // Walkable ways, split where nodes are missing. The node look-ups (a binary search per
    // reference) run in parallel, way by way; the pieces are then taken in way order.
    let walk_pieces: Vec<Option<WalkPieces>> =
        ways.par_iter().map(|w| w.role.walk.map(|_| walk_pieces(&w.refs, &nodes))).collect();
    for (w, pieces) in ways.iter().zip(walk_pieces) {
        let (Some(kind), Some(p)) = (w.role.walk, pieces) else { continue };
        stats.walk_ways += 1;
        stats.missing_node_refs += p.missing;
        bbox = bbox::union(bbox, p.bbox);
        data.walk_ways.extend(p.runs.into_iter().map(|refs| WalkWay { osm_id: w.id, kind, refs }));
        if p.missing > 0 {
            stats.ways_cut_at_edge += 1;
        }
    }

    // Area targets: facility points and grounds first, so that buildings can be matched to them.
    let mut areas = super::area_features::AreaCollector::new(&profile.area_targets, area_nodes);
    for w in ways.iter().filter(|w| w.role.building.is_none() && !w.role.area_targets.is_empty()) {
        if let Some(ring) = coords(&w.refs).filter(|r| r.len() >= 4 && r.first() == r.last()) {
            areas.add_grounds(OsmType::Way, w.id, &w.role.area_targets, &[vec![ring]]);
        }
    }
    for rel in rels.iter().filter(|r| r.role.building.is_none() && !r.role.area_targets.is_empty()) {
        let (polygons, _) = relation_polygons(&rel.members, &way_refs, &coords);
        areas.add_grounds(OsmType::Relation, rel.id, &rel.role.area_targets, &polygons);
    }
    areas.index_grounds();

    // Closed-way areas; their rings (a node look-up per reference) are made in parallel first,
    // a slice of ways at a time (so that only a slice's rings are held at once).
    let area_role =
        |r: &WayRole| r.building.is_some() || r.residential || r.facility.is_some() || !r.area_targets.is_empty();
    let mut area_facilities: Vec<OsmFacility> = Vec::new();
    for slice in ways.chunks(1 << 16) {
        let area_rings: Vec<Option<Vec<[f64; 2]>>> =
            slice.par_iter().map(|w| if area_role(&w.role) { coords(&w.refs) } else { None }).collect();
        for (w, ring) in slice.iter().zip(area_rings) {
            let r = &w.role;
            if !area_role(r) {
                continue;
            }
            let Some(ring) = ring else {
                continue;
            };
            if ring.len() < 4 {
                continue;
            }
            let rings = vec![ring];
            areas.add_object(
                OsmType::Way,
                w.id,
                &r.area_targets,
                r.building.map(|b| b.1),
                std::slice::from_ref(&rings),
            );
            if let Some((usage, levels)) = r.building
                && let Some(c) = polygon_centroid(&rings)
            {
                data.buildings.push(Building {
                    osm_type: OsmType::Way,
                    osm_id: w.id,
                    centroid: c,
                    footprint_m2: polygon_area_m2(&rings),
                    levels,
                    usage,
                });
            }
            if r.residential {
                data.residential_areas.push(Area {
                    osm_type: OsmType::Way,
                    osm_id: w.id,
                    name: r.name.clone(),
                    polygons: vec![rings.clone()],
                });
            }
            if let Some(f) = &r.facility
                && let Some(c) = polygon_centroid(&rings)
            {
                area_facilities.push(area_facility(OsmType::Way, w.id, f, c, rings[0].clone()));
            }
        }
    }

    // Multipolygon relations; their polygons are assembled in parallel first, a slice at a time
    // (those kept for the water and green layer alone are skipped and not counted).
    let rel_polygons: Vec<(MultiPolygon, bool)> = {
        let mut all = Vec::with_capacity(rels.len());
        for slice in rels.chunks(1 << 14) {
            all.par_extend(slice.par_iter().map(|rel| {
                if rel.land_only() {
                    (MultiPolygon::new(), false)
                } else {
                    relation_polygons(&rel.members, &way_refs, &coords)
                }
            }));
        }
        all
    };
    for (rel, (polygons, broken)) in rels.iter().zip(rel_polygons) {
        let r = &rel.role;
        if rel.land_only() {
            continue;
        }
        if broken {
            stats.broken_multipolygons += 1;
        }
        if polygons.is_empty() {
            continue;
        }
        areas.add_object(OsmType::Relation, rel.id, &r.area_targets, r.building.map(|b| b.1), &polygons);
        // The largest part represents the relation for centroids.
        let main = polygons
            .iter()
            .max_by(|a, b| polygon_area_m2(a).total_cmp(&polygon_area_m2(b)))
            .cloned()
            .unwrap_or_default();
        if let Some((usage, levels)) = r.building
            && let Some(c) = polygon_centroid(&main)
        {
            let area: f64 = polygons.iter().map(|p| polygon_area_m2(p)).sum();
            data.buildings.push(Building {
                osm_type: OsmType::Relation,
                osm_id: rel.id,
                centroid: c,
                footprint_m2: area,
                levels,
                usage,
            });
        }
        if let Some(f) = &r.facility
            && let Some(c) = polygon_centroid(&main)
        {
            let outline: Vec<[f64; 2]> = polygons.iter().flat_map(|p| p[0].iter().copied()).collect();
            area_facilities.push(area_facility(OsmType::Relation, rel.id, f, c, outline));
        }
        if r.residential {
            data.residential_areas.push(Area {
                osm_type: OsmType::Relation,
                osm_id: rel.id,
                name: r.name.clone(),
                polygons,
            });
        }
    }

    // Facility nodes; drop a node inside an area facility of the same category that has the same
    // name (or the node has none): the same site mapped twice.
    let area_boxes: Vec<[f64; 4]> = area_facilities.iter().map(|a| bbox::of_points(&a.outline)).collect();
    entrance_nodes.sort_by_key(|e: &(i64, [f64; 2])| e.0);
    entrance_nodes.dedup_by_key(|e| e.0);
    for (a, b) in area_facilities.iter_mut().zip(&area_boxes) {
        a.entrances = facility_entrances(&a.outline, b, &entrance_nodes);
    }
    facility_nodes.sort_by_key(|f| f.0);
    // Whether a node is the same site as an area facility; tested in parallel, each node against
    // the area facilities whose box grid cells hold it (a test against every area facility was
    // ~90 ms of serial decode on the 4×4 Las Palmas extract). `any` does not depend on the order.
    let box_grid = BoxGrid::new(&area_boxes);
    let dups: Vec<bool> = facility_nodes
        .par_iter()
        .with_min_len(256)
        .map(|(_, p, f)| {
            box_grid.candidates(*p).any(|i| {
                let (a, b) = (&area_facilities[i], &area_boxes[i]);
                p[0] >= b[0]
                    && p[0] <= b[2]
                    && p[1] >= b[1]
                    && p[1] <= b[3]
                    && (f.name.is_empty() || f.name == a.name)
                    && f.categories.iter().all(|c| a.categories.contains(c))
                    && polygon_contains(std::slice::from_ref(&a.outline), *p)
            })
        })
        .collect();
    for ((id, p, f), dup) in facility_nodes.into_iter().zip(dups) {
        if dup {
            stats.duplicate_facility_nodes += 1;
            continue;
        }
        data.facilities.push(OsmFacility {
            osm_type: OsmType::Node,
            osm_id: id,
            name: f.name,
            name_zh: f.name_zh,
            categories: f.categories,
            capacity_tags: f.capacity_tags,
            public: f.public,
            point: p,
            outline: Vec::new(),
            entrances: Vec::new(),
        });
    }
    data.facilities.extend(area_facilities);
    data.facilities.sort_by_key(|f| (f.osm_type, f.osm_id));
    data.buildings.sort_by_key(|b| (b.osm_type, b.osm_id));
    data.residential_areas.sort_by_key(|a| (a.osm_type, a.osm_id));

    data.area_features = areas.finish();
    data.land_cover = land_cover(&ways, &rels, &land_refs, &coords);
    admin_rels.sort_by_key(|r: &super::admin::RawAdmin| r.id);
    (data.admin_boundaries, data.admin_incomplete) = super::admin::assemble_admin(admin_rels, &way_refs, &coords);
    data.nodes = nodes;
    data.stats = stats;
    data.bbox = bbox;
    Ok(data)
}

/// A uniform grid of `CELL_DEG` cells over boxes `[min_lon, min_lat, max_lon, max_lat]`: each box
/// is listed in every cell its closed extent touches (a box over more than `MAX_CELLS` cells goes
/// to a list every query scans), so every box that contains a point is among the point's cell's
/// candidates (`floor` is monotone).
struct BoxGrid {
    x0: f64,
    y0: f64,
    nx: usize,
    ny: usize,
    /// Boxes of cell `j·nx + i`: `items[offsets[c]..offsets[c+1]]`.
    offsets: Vec<u32>,
    items: Vec<u32>,
    big: Vec<u32>,
}

impl BoxGrid {
    const CELL_DEG: f64 = 0.005;
    const MAX_CELLS: usize = 64;

    fn new(boxes: &[[f64; 4]]) -> BoxGrid {
        let ok = |b: &[f64; 4]| b.iter().all(|v| v.is_finite()) && b[0] <= b[2] && b[1] <= b[3];
        let ext = boxes.iter().filter(|b| ok(b)).fold(bbox::EMPTY, |e, b| bbox::union(e, *b));
        let mut g = BoxGrid { x0: 0.0, y0: 0.0, nx: 0, ny: 0, offsets: vec![0], items: Vec::new(), big: Vec::new() };
        if !ext.iter().all(|v| v.is_finite()) {
            return g;
        }
        g.x0 = ext[0];
        g.y0 = ext[1];
        g.nx = ((ext[2] - ext[0]) / Self::CELL_DEG) as usize + 1;
        g.ny = ((ext[3] - ext[1]) / Self::CELL_DEG) as usize + 1;
        if g.nx.saturating_mul(g.ny) > 1 << 22 {
            // A continent-wide spread: every box in the list every query scans.
            g.nx = 0;
            g.ny = 0;
            g.big = (0..boxes.len() as u32).filter(|&i| ok(&boxes[i as usize])).collect();
            return g;
        }
        let mut cells: Vec<(u32, u32)> = Vec::new();
        for (k, b) in boxes.iter().enumerate() {
            if !ok(b) {
                continue;
            }
            let (i0, j0) = g.cell(b[0], b[1]);
            let (i1, j1) = g.cell(b[2], b[3]);
            if (i1 - i0 + 1) * (j1 - j0 + 1) > Self::MAX_CELLS {
                g.big.push(k as u32);
                continue;
            }
            for j in j0..=j1 {
                for i in i0..=i1 {
                    cells.push(((j * g.nx + i) as u32, k as u32));
                }
            }
        }
        cells.sort_unstable();
        let mut offsets = vec![0u32; g.nx * g.ny + 1];
        for &(c, _) in &cells {
            offsets[c as usize + 1] += 1;
        }
        for c in 0..g.nx * g.ny {
            offsets[c + 1] += offsets[c];
        }
        g.items = cells.into_iter().map(|x| x.1).collect();
        g.offsets = offsets;
        g
    }

    /// The cell of a point, clamped to the grid.
    fn cell(&self, lon: f64, lat: f64) -> (usize, usize) {
        let i = ((lon - self.x0) / Self::CELL_DEG).floor().clamp(0.0, (self.nx - 1) as f64) as usize;
        let j = ((lat - self.y0) / Self::CELL_DEG).floor().clamp(0.0, (self.ny - 1) as f64) as usize;
        (i, j)
    }

    /// Indices of the boxes that may contain `p` (every one that does, and others).
    fn candidates(&self, p: [f64; 2]) -> impl Iterator<Item = usize> + '_ {
        let inside = self.nx > 0
            && p[0] >= self.x0
            && p[1] >= self.y0
            && p[0] <= self.x0 + self.nx as f64 * Self::CELL_DEG
            && p[1] <= self.y0 + self.ny as f64 * Self::CELL_DEG;
        let cell: &[u32] = if inside {
            let (i, j) = self.cell(p[0], p[1]);
            let c = j * self.nx + i;
            &self.items[self.offsets[c] as usize..self.offsets[c + 1] as usize]
        } else {
            &[]
        };
        cell.iter().chain(&self.big).map(|&k| k as usize)
    }
}

/// A walkable way's runs of present nodes (two or more each), the bounding box of its present
/// nodes, and how many of its references are missing from the extract.
struct WalkPieces {
    runs: Vec<Vec<i64>>,
    bbox: bbox::Bbox,
    missing: usize,
}

fn walk_pieces(refs: &[i64], nodes: &NodeStore) -> WalkPieces {
    let mut out = WalkPieces { runs: Vec::new(), bbox: bbox::EMPTY, missing: 0 };
    let mut run: Vec<i64> = Vec::new();
    for &r in refs {
        if let Some(p) = nodes.get(r) {
            run.push(r);
            out.bbox = bbox::add_point(out.bbox, p);
        } else {
            out.missing += 1;
            if run.len() >= 2 {
                out.runs.push(std::mem::take(&mut run));
            }
            run.clear();
        }
    }
    if run.len() >= 2 {
        out.runs.push(run);
    }
    out
}

/// The polygons of a multipolygon relation (outer rings with the inner rings they contain), and
/// whether it is broken (a member way missing, or rings that do not close).
fn relation_polygons<'w>(
    members: &[(i64, bool)],
    way_refs: &dyn Fn(i64) -> Option<&'w Vec<i64>>,
    coords: &crate::geom::polygon::CoordsOf<'_>,
) -> (MultiPolygon, bool) {
    let mut outer_parts = Vec::new();
    let mut inner_parts = Vec::new();
    let mut missing = false;
    for &(wid, inner) in members {
        match way_refs(wid) {
            Some(refs) => {
                if inner {
                    inner_parts.push(refs.clone())
                } else {
                    outer_parts.push(refs.clone())
                }
            }
            None => missing = true,
        }
    }
    let (outer, open_o) = assemble_rings(outer_parts);
    let (inner, open_i) = assemble_rings(inner_parts);
    let broken = missing || open_o + open_i > 0;
    let outer: Vec<Vec<[f64; 2]>> = outer.iter().filter_map(|r| coords(r)).collect();
    let inner: Vec<Vec<[f64; 2]>> = inner.iter().filter_map(|r| coords(r)).collect();
    // Each inner ring goes to the outer ring that contains its first vertex.
    let mut polygons: MultiPolygon = outer.into_iter().map(|o| vec![o]).collect();
    for h in inner {
        if let Some(p) = polygons.iter_mut().find(|p| polygon_contains(&p[..1], h[0])) {
            p.push(h);
        }
    }
    (polygons, broken)
}

/// The water and green areas ([`super::land_cover`]): closed ways, then multipolygon relations,
/// each in id order.
fn land_cover<'w>(
    ways: &[RawWay],
    rels: &[RawRel],
    way_refs: &dyn Fn(i64) -> Option<&'w Vec<i64>>,
    coords: &crate::geom::polygon::CoordsOf<'_>,
) -> Vec<super::LandArea> {
    let mut out: Vec<super::LandArea> = ways
        .iter()
        .filter_map(|w| {
            // A name-only way is only a ring member.
            let kind = w.role.land?;
            let ring = coords(&w.refs).filter(|r| r.len() >= 4 && r.first() == r.last())?;
            Some(super::LandArea { kind, polygons: vec![vec![ring]] })
        })
        .collect();
    out.extend(rels.iter().filter_map(|r| {
        let kind = r.role.land?;
        let (polygons, _) = relation_polygons(&r.members, way_refs, coords);
        (!polygons.is_empty()).then_some(super::LandArea { kind, polygons })
    }));
    out
}

/// The mapped entrances of an area facility: `entrance=*` nodes on its outline (a vertex of it),
/// else those inside it (doors of its buildings), in node id order; empty when none is mapped.
fn facility_entrances(outline: &[[f64; 2]], bbox: &[f64; 4], entrances: &[(i64, [f64; 2])]) -> Vec<[f64; 2]> {
    let inside_box = |p: &[f64; 2]| p[0] >= bbox[0] && p[0] <= bbox[2] && p[1] >= bbox[1] && p[1] <= bbox[3];
    let near: Vec<[f64; 2]> = entrances.iter().map(|e| e.1).filter(inside_box).collect();
    if near.is_empty() {
        return near;
    }
    let on: Vec<[f64; 2]> = near.iter().copied().filter(|p| outline.contains(p)).collect();
    if !on.is_empty() {
        return on;
    }
    near.into_iter().filter(|p| crate::geom::polygon::ring_contains(outline, *p)).collect()
}

fn area_facility(t: OsmType, id: i64, f: &FacilityTags, c: [f64; 2], outline: Vec<[f64; 2]>) -> OsmFacility {
    OsmFacility {
        osm_type: t,
        osm_id: id,
        name: f.name.clone(),
        name_zh: f.name_zh.clone(),
        categories: f.categories.clone(),
        capacity_tags: f.capacity_tags.clone(),
        public: f.public,
        point: c,
        outline,
        entrances: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn use_of(tags: &[(&str, &str)]) -> BuildingUse {
        let get = |k: &str| tags.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v);
        building_use(get("building").unwrap(), get)
    }

    #[test]
    fn only_residential_capable_buildings_carry_residents() {
        for v in ["residential", "apartments", "house", "detached", "dormitory", "terrace", "semidetached_house"] {
            assert_eq!(use_of(&[("building", v)]), BuildingUse::Residential, "{v}");
        }
        assert_eq!(use_of(&[("building", "yes")]), BuildingUse::Unknown);
        assert_eq!(use_of(&[("building", "yes"), ("building:use", "residential")]), BuildingUse::Residential);
        for v in ["monument", "shed", "garage", "kiosk", "transportation", "industrial", "retail", "school"] {
            assert_eq!(use_of(&[("building", v)]), BuildingUse::Other, "{v}");
        }
        // A bus terminal, a shop or a church mapped as building=yes.
        assert_eq!(use_of(&[("building", "yes"), ("amenity", "bus_station")]), BuildingUse::Other);
        assert_eq!(use_of(&[("building", "yes"), ("public_transport", "station")]), BuildingUse::Other);
        assert_eq!(use_of(&[("building", "yes"), ("shop", "supermarket")]), BuildingUse::Other);
        assert_eq!(use_of(&[("building", "yes"), ("building:use", "commercial")]), BuildingUse::Other);
        assert_eq!(use_of(&[("building", "yes"), ("historic", "monument")]), BuildingUse::Other);
        assert_eq!(use_of(&[("building", "yes"), ("historic", "building")]), BuildingUse::Unknown);
    }

    /// The classification skip is exact: whenever it skips, `classify` finds no category; it
    /// does skip address and house tags; and a rule that matches objects without its keys turns it off.
    #[test]
    fn the_facility_key_filter_skips_only_what_classify_rejects() {
        let sets: &[&[(&str, &str)]] = &[
            &[("addr:street", "Calle Mayor"), ("addr:housenumber", "3")],
            &[("building", "house")],
            &[("highway", "crossing")],
            &[("amenity", "school"), ("name", "CEIP Mayor")],
            &[("amenity", "kindergarten")],
            &[("healthcare", "clinic")],
            &[("shop", "supermarket")],
            &[("name", "阳光幼儿园")],
            &[("name:zh", "社区卫生服务中心"), ("building", "yes")],
            &[("leisure", "park"), ("name", "Parque")],
        ];
        for name in ["default", "zhejiang-2027", "gb50180"] {
            let profile = Profile::load(name, None).unwrap();
            let keys = FacilityKeys::of(&profile).expect("built-in rules have a positive clause");
            let mut skipped = 0;
            for tags in sets {
                let get = |k: &str| tags.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v);
                if no_facility(Some(&keys), tags) {
                    skipped += 1;
                    assert!(profile.classify(get).is_empty(), "{name}: {tags:?} skipped but classified");
                }
            }
            assert!(no_facility(Some(&keys), sets[0]), "{name}: address tags are not skipped");
            assert!(!no_facility(Some(&keys), sets[3]), "{name}: a school is skipped");
            assert!(skipped >= 2, "{name}: {skipped} skipped");
            let mut negated = profile.clone();
            negated.categories[0].tags.push(crate::profile::tag_rule::TagRule::parse("!access=private").unwrap());
            assert!(FacilityKeys::of(&negated).is_none());
            assert!(!no_facility(None, sets[0]));
        }
    }

    #[test]
    fn entrances_on_the_outline_come_first_then_those_inside() {
        let outline = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
        let bbox = [0.0, 0.0, 1.0, 1.0];
        let gate = (5, [1.0, 0.0]);
        let door = (6, [0.5, 0.5]);
        let elsewhere = (7, [2.0, 0.5]);
        assert_eq!(facility_entrances(&outline, &bbox, &[gate, door, elsewhere]), vec![[1.0, 0.0]]);
        assert_eq!(facility_entrances(&outline, &bbox, &[door, elsewhere]), vec![[0.5, 0.5]]);
        assert!(facility_entrances(&outline, &bbox, &[elsewhere]).is_empty());
    }
}
