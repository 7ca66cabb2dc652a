//! OpenStreetMap input: everything circle15 takes from an `.osm.pbf` extract.
//!
//! Owns the streaming, block-parallel PBF decode and the selection of what matters: walkable ways
//! (split where the extract cut them), facilities (nodes, closed ways and multipolygon relations,
//! classified by the profile's tag rules and Chinese name patterns), buildings, residential
//! areas and the polygons the profile's area targets measure. Knows OSM, nothing about graphs or scores.
//!
//! Glossary:
//! - **blob / block**: a PBF file is a sequence of independently compressed blocks; they are
//!   decoded in parallel (rayon) and their results merged in file order, so the output does not
//!   depend on the thread count.
//! - **cut way**: a way that references nodes missing from the extract (cut at its edge); it is
//!   split at each gap into the runs of nodes that are present.
//! - **decimicro**: 1e-7 degree, the PBF coordinate unit, kept as `i32`.
//!
//! Crate choice: `osmpbf` over `osmpbfreader` because it decodes blobs independently (we drive
//! the parallelism and the merge order ourselves) and measured 1.3–1.8× faster here. Since
//! session 7 `load_pbf` decodes blocks with its own zero-copy parser (`pbf_block`); `osmpbf`
//! remains `load_districts`' decoder and the parser's test oracle.

pub mod admin;
pub mod area_features;
pub mod land_cover;
pub mod load_districts;
mod pbf_block;
pub mod read_pbf;
pub mod rings;
pub mod tile;
pub mod walkable;

pub use admin::{AdminBoundary, IncompleteBoundary};
pub use area_features::{AreaFeature, AreaVia};
pub use land_cover::{LandArea, LandCover};
pub use read_pbf::{LoadOptions, load_pbf, load_pbf_reader};
pub use walkable::WayKind;

/// OSM element type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OsmType {
    Node,
    Way,
    Relation,
}

impl OsmType {
    pub fn as_str(self) -> &'static str {
        match self {
            OsmType::Node => "node",
            OsmType::Way => "way",
            OsmType::Relation => "relation",
        }
    }
}

/// Node coordinates, sorted by id for binary search.
#[derive(Clone, Debug, Default)]
pub struct NodeStore {
    ids: Vec<i64>,
    coords: Vec<[i32; 2]>,
}

impl NodeStore {
    pub fn from_sorted(mut items: Vec<(i64, [i32; 2])>) -> NodeStore {
        if !items.windows(2).all(|w| w[0].0 < w[1].0) {
            items.sort_unstable_by_key(|x| x.0);
            items.dedup_by_key(|x| x.0);
        }
        let (ids, coords) = items.into_iter().unzip();
        NodeStore { ids, coords }
    }
    /// The same as [`NodeStore::from_sorted`] on the concatenation of `parts` (the blocks' nodes
    /// in file order). When each part is sorted and the parts follow each other (a sorted file),
    /// they are copied into place in parallel, without the concatenation (on the 4×4 Las Palmas
    /// extract the serial concatenation and unzip of 11 M nodes were ~0.2 s of the decode).
    pub fn from_parts(parts: Vec<Vec<(i64, [i32; 2])>>) -> NodeStore {
        use rayon::prelude::*;
        let each_sorted = parts.par_iter().all(|p| p.windows(2).all(|w| w[0].0 < w[1].0));
        let firsts_lasts: Vec<(i64, i64)> = parts.iter().filter_map(|p| Some((p.first()?.0, p.last()?.0))).collect();
        if !each_sorted || !firsts_lasts.windows(2).all(|w| w[0].1 < w[1].0) {
            return NodeStore::from_sorted(parts.concat());
        }
        let n = parts.iter().map(Vec::len).sum();
        let mut ids = vec![0i64; n];
        let mut coords = vec![[0i32; 2]; n];
        let mut jobs = Vec::with_capacity(parts.len());
        let (mut rest_ids, mut rest_coords) = (&mut ids[..], &mut coords[..]);
        for p in &parts {
            let (i, ri) = std::mem::take(&mut rest_ids).split_at_mut(p.len());
            let (c, rc) = std::mem::take(&mut rest_coords).split_at_mut(p.len());
            (rest_ids, rest_coords) = (ri, rc);
            jobs.push((p, i, c));
        }
        jobs.into_par_iter().for_each(|(p, i, c)| {
            for (k, &(id, xy)) in p.iter().enumerate() {
                i[k] = id;
                c[k] = xy;
            }
        });
        NodeStore { ids, coords }
    }
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    /// `[lon, lat]` degrees of a node, if present.
    #[inline]
    pub fn get(&self, id: i64) -> Option<[f64; 2]> {
        self.ids.binary_search(&id).ok().map(|i| [self.coords[i][0] as f64 * 1e-7, self.coords[i][1] as f64 * 1e-7])
    }
}

/// A walkable way (or a piece of one, where the extract cut it), all of whose nodes are present.
#[derive(Clone, Debug)]
pub struct WalkWay {
    pub osm_id: i64,
    pub kind: WayKind,
    pub refs: Vec<i64>,
}

/// A facility found in OSM, with every category it serves.
#[derive(Clone, Debug)]
pub struct OsmFacility {
    pub osm_type: OsmType,
    pub osm_id: i64,
    pub name: String,
    pub name_zh: String,
    /// Indices into the profile's categories.
    pub categories: Vec<u16>,
    /// Raw values of the capacity tags the profile reads (`capacity`, `beds`, …).
    pub capacity_tags: Vec<(String, String)>,
    /// Public / 普惠 provision, when tagged (`operator:type`, name contains 普惠 or 公办).
    pub public: Option<bool>,
    /// Representative point: the node, or the area's centroid.
    pub point: [f64; 2],
    /// Boundary vertices of an area facility (snapping uses the closest ones); empty for nodes.
    pub outline: Vec<[f64; 2]>,
    /// Mapped entrances (`entrance=*` nodes on the outline, else inside it) of an area facility;
    /// when present, walks start at them rather than at outline vertices. Empty for nodes.
    pub entrances: Vec<[f64; 2]>,
}

/// What a building is used for, as far as tags tell. Residents are placed only on
/// residential-capable buildings (`Residential` and `Unknown`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildingUse {
    /// `building=residential|apartments|house|detached|semidetached_house|terrace|dormitory|
    /// bungalow|farm|cabin|static_caravan|houseboat`, or `building=yes` + `building:use=residential`.
    Residential,
    /// `building=yes` with no tag that gives it another use (unknown use, may be housing).
    Unknown,
    /// Any other `building=*` value (monument, shed, garage, kiosk, transportation, industrial,
    /// retail, school…), and `building=yes` with `amenity`, `shop`, `office`, `public_transport`,
    /// `tourism`, `craft`, `industrial`, `man_made`, `military`, `leisure`, `railway`, `aeroway`,
    /// `power`, `healthcare`, `emergency`, a `historic` other than building/house/manor/farm, or a
    /// non-residential `building:use`.
    Other,
}

#[derive(Clone, Debug)]
pub struct Building {
    pub osm_type: OsmType,
    pub osm_id: i64,
    pub centroid: [f64; 2],
    pub footprint_m2: f64,
    pub levels: Option<f64>,
    pub usage: BuildingUse,
}

/// A named area polygon from OSM (residential landuse), possibly with several outer parts.
#[derive(Clone, Debug)]
pub struct Area {
    pub osm_type: OsmType,
    pub osm_id: i64,
    pub name: String,
    /// Polygons, each outer ring first then its holes, `[lon, lat]`, closed.
    pub polygons: crate::geom::MultiPolygon,
}

/// Counts that describe the extract and what was made of it.
#[derive(Clone, Debug, Default)]
pub struct OsmStats {
    pub blocks: usize,
    pub nodes: usize,
    pub ways: usize,
    pub relations: usize,
    pub walk_ways: usize,
    /// Walkable ways that referenced nodes missing from the extract (split at the gaps).
    pub ways_cut_at_edge: usize,
    pub missing_node_refs: usize,
    /// Multipolygon relations whose rings could not all be closed.
    pub broken_multipolygons: usize,
    /// Facility nodes dropped because an area facility of the same category and name contains them.
    pub duplicate_facility_nodes: usize,
}

/// Everything the analysis takes from an extract.
#[derive(Clone, Debug, Default)]
pub struct OsmData {
    pub nodes: NodeStore,
    pub walk_ways: Vec<WalkWay>,
    pub facilities: Vec<OsmFacility>,
    pub buildings: Vec<Building>,
    pub residential_areas: Vec<Area>,
    /// Polygons and buildings measured by the profile's area targets.
    pub area_features: Vec<AreaFeature>,
    /// Complete `boundary=administrative` relations at the profile's `[units]` admin levels.
    pub admin_boundaries: Vec<AdminBoundary>,
    /// Those that could not be assembled from the extract.
    pub admin_incomplete: Vec<IncompleteBoundary>,
    /// Water and green areas for the maps' base layer ([`land_cover`]), by (OSM type, id).
    pub land_cover: Vec<LandArea>,
    pub stats: OsmStats,
    /// Extract bbox `[min_lon, min_lat, max_lon, max_lat]` of the kept nodes.
    pub bbox: [f64; 4],
}
