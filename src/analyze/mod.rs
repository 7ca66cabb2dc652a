//! The `analyze` pipeline: one validated [`Config`] in, one [`Analysis`] out, through named stages
//! that each own one step and hand plain data to the next, in one direction:
//!
//! ```text
//! load (osm) → inputs → facilities → network → access → halo → scoring (score) → diagnostics
//! ```
//!
//! - [`inputs`]: communities, district membership (`--clip`), units, area targets, population,
//!   demand points.
//! - [`facilities`]: extract facilities with capacities, the facility table, what-if edits,
//!   which categories are assessed.
//! - [`network`]: the walk graph with facilities and demand points joined; islands.
//! - [`access`]: nearest-facility searches, demand-group weights, 2SFCA catchments.
//! - [`halo`]: with `--clip`, the halo's residents leave after the catchments.
//! - scoring: [`crate::score::score_communities`], per community and for the area.
//! - [`diagnostics`]: the warnings that need the whole analysis.
//!
//! Nothing is written here (`report` writes). Stage timings are kept in `stages_ms` (wall clock,
//! milliseconds). Glossary: **stage** a function of this pipeline with its own module;
//! **what-if** a run with facilities added or removed, compared with its baseline (the same
//! loaded extract without the edits, see [`run_with_baseline`]).

pub mod access;
pub mod carry_over;
pub mod diagnostics;
pub mod facilities;
pub mod halo;
pub mod inputs;
pub mod network;
pub mod on_extract;
pub mod what_if;

use std::path::PathBuf;
use std::time::Instant;

use crate::error::{Error, Result};
pub use crate::model::{Analysis, Assessment, CategorySummary, CommunityCategory, Facility, Halo};
use crate::osm::{self, LoadOptions, OsmData};
use crate::profile::Profile;

/// Everything `analyze` needs, validated before any work starts.
#[derive(Clone, Debug)]
pub struct Config {
    /// The extract; `None` = the embedded default (`data/hangzhou-2015.osm.pbf`).
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
    /// Planning units (街道/镇, 社区/村 polygons with a `level`); `None`: the extract's
    /// administrative boundaries when it has any.
    pub units: Option<UnitsSource>,
    /// Where residents are counted from besides the community layer.
    pub population: Option<PopulationInput>,
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
    /// The tile background of report.html (`--basemap`; none by default: no network request).
    pub basemap: crate::model::Basemap,
    /// Write one static SVG map per category (`map_<category>.svg`).
    pub svg: bool,
    /// Write one PNG map per category (`map_<category>.png`).
    pub png: bool,
    /// Formats of the map layers and the access table (`--format`).
    pub formats: crate::model::LayerFormats,
    /// Text encoding of the CSV outputs (`--csv-encoding`).
    pub csv_encoding: crate::model::CsvEncoding,
    /// Show a progress spinner on stderr (a terminal, not `--quiet`).
    pub progress: bool,
    /// Categories whose inputs the user declares complete (`--complete`): assessed even without a
    /// facility (then every resident is unserved), instead of "not assessed (no data)".
    pub complete: Vec<String>,
    /// How to read the user's layers (communities, units): `--layer`, `--crs`, `--encoding`.
    pub layer_options: crate::io::layer::LayerOptions,
    /// The worksheet of an .xlsx facility or census table (`--sheet`); `None`: the first.
    pub sheet: Option<String>,
}

impl Config {
    /// Checks what can be checked without reading any input: category ids of `--complete` and of
    /// the what-if additions, coordinates of the additions, and that a census has units to be
    /// spread over. Called once by [`run`] and [`run_on`]; the command line validates its flags
    /// into a `Config` the same way before any work starts.
    pub fn validate(&self) -> Result<()> {
        let p = &self.profile;
        for id in &self.complete {
            if p.category_index(id).is_none() {
                return Err(Error::Config(format!("--complete: unknown category {id:?}")));
            }
        }
        for f in &self.add_facilities {
            if p.category_index(&f.category).is_none() {
                return Err(Error::Config(format!("--add-facility: unknown category {:?}", f.category)));
            }
            if !(f.lon.abs() <= 180.0 && f.lat.abs() <= 90.0) {
                return Err(Error::Config(format!("--add-facility {},{}: lon/lat outside WGS84 ranges", f.lon, f.lat)));
            }
        }
        if matches!(self.population, Some(PopulationInput::Census(_))) && self.units.is_none() {
            return Err(Error::Config("--census needs --units (the units the census table is by)".into()));
        }
        Ok(())
    }

    /// The same config without the what-if edits: the scenario's baseline.
    pub fn baseline(&self) -> Config {
        let mut b = self.clone();
        b.add_facilities.clear();
        b.remove_facilities.clear();
        b.progress = false;
        b
    }

    /// Whether the config is a what-if scenario (facilities added or removed).
    pub fn is_what_if(&self) -> bool {
        !self.add_facilities.is_empty() || !self.remove_facilities.is_empty()
    }

    /// A config with every option at its default: derived communities, OSM facilities only, no
    /// scenario, no plan, no graph export, no progress display.
    pub fn new(osm: Option<PathBuf>, profile: Profile, out: PathBuf) -> Config {
        let osm_label = match &osm {
            Some(p) => p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()),
            None => DEFAULT_OSM_LABEL.to_string(),
        };
        let csv_encoding = crate::model::CsvEncoding::for_lang(profile.lang);
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
            population: None,
            profile,
            out,
            export_graph: false,
            isochrones: crate::isochrone::IsochroneKind::Category,
            html: true,
            basemap: crate::model::Basemap::None,
            svg: false,
            png: false,
            formats: crate::model::LayerFormats::default(),
            csv_encoding,
            progress: false,
            complete: Vec::new(),
            layer_options: crate::io::layer::LayerOptions::default(),
            sheet: None,
        }
    }
}

/// Where the planning units come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitsSource {
    /// `--units osm`: the extract's administrative boundaries at the profile's admin levels (an
    /// error when it has none).
    Osm,
    /// A unit layer (GeoJSON polygons with `name`, `level`, optional `code`, `parent`).
    File(PathBuf),
}

impl UnitsSource {
    /// `osm` or a path, as `--units` takes it.
    pub fn from_arg(arg: &std::path::Path) -> UnitsSource {
        if arg.as_os_str() == UNITS_FROM_OSM { UnitsSource::Osm } else { UnitsSource::File(arg.to_path_buf()) }
    }
}

/// A population source other than the community layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PopulationInput {
    /// A census table by unit (population, age groups), spread over buildings; needs units.
    Census(PathBuf),
    /// Gridded population (GeoTIFF), spread over residential buildings in each cell.
    Raster(PathBuf),
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

/// The embedded default extract: central Hangzhou (east shore of West Lake, Wulin), OpenStreetMap
/// data of 2015-02-01 (© OpenStreetMap contributors, ODbL 1.0; see `data/README.md`).
pub const DEFAULT_OSM: &[u8] = include_bytes!("../../data/hangzhou-2015.osm.pbf");
/// `--units osm`: units from the extract's administrative boundaries.
pub const UNITS_FROM_OSM: &str = "osm";
pub const DEFAULT_OSM_LABEL: &str = "hangzhou-2015.osm.pbf (embedded default)";
/// The profile of a run on the embedded default extract when no `--profile` is given: a Zhejiang
/// city is read with the Zhejiang targets and labels (Chinese).
pub const DEFAULT_OSM_PROFILE: &str = "zhejiang-2027";
/// The target year of [`DEFAULT_OSM_PROFILE`] when no `--year` is given.
pub const DEFAULT_OSM_YEAR: i32 = 2027;
/// The profile of a run on a user's extract when no `--profile` is given.
pub const DEFAULT_PROFILE: &str = "default";

/// The Helsinki-centre extract the unit tests run on (the embedded default before issue 15),
/// read from `../shared/data/` beside the clone.
#[cfg(test)]
pub(crate) fn helsinki_fixture() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/helsinki-centre.osm.pbf"))
}

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

use crate::timing::ms_since as ms;

/// Runs the analysis (no output is written here).
pub fn run(cfg: &Config) -> Result<Analysis> {
    let (progress, osm, load_ms) = start(cfg)?;
    run_loaded(cfg, &osm, load_ms, &progress)
}

/// Validates the config, shows progress and loads the extract: `(progress, extract, load ms)`.
fn start(cfg: &Config) -> Result<(Progress, OsmData, f64)> {
    cfg.validate()?;
    let progress = Progress::new(cfg.progress);
    progress.stage("loading OSM extract");
    let t = Instant::now();
    let osm = load(cfg)?;
    Ok((progress, osm, ms(t)))
}

/// Runs a what-if scenario and its baseline on one loaded extract: `(scenario, Some(baseline))`,
/// or `(analysis, None)` when the config has no edit. The extract is read and decoded once, the
/// baseline runs in full and the scenario is re-scored from it ([`what_if`]).
pub fn run_with_baseline(cfg: &Config) -> Result<(Analysis, Option<Analysis>)> {
    let (progress, osm, load_ms) = start(cfg)?;
    if !cfg.is_what_if() {
        return Ok((run_loaded(cfg, &osm, load_ms, &progress)?, None));
    }
    let (a, baseline) = what_if::scenario_and_baseline(cfg, &osm, load_ms, &progress)?;
    Ok((a, Some(baseline)))
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
pub fn run_on(cfg: &Config, osm: &OsmData, load_ms: f64) -> Result<Analysis> {
    cfg.validate()?;
    run_loaded(cfg, osm, load_ms, &Progress::new(false))
}

/// An extract without any walkable way (in the clip area) cannot be analysed.
fn check_walkable(cfg: &Config, osm: &OsmData) -> Result<()> {
    if !osm.walk_ways.is_empty() {
        return Ok(());
    }
    if let Some(clip) = &cfg.clip {
        return Err(Error::input(
            &clip.path,
            "area",
            format!(
                "the clip area and its halo ({}) hold no walkable way of {}: give the extract that covers it; an \
                 area written [lat, lon] (GeoJSON is [lon, lat]) or in another CRS (--clip-crs) lands elsewhere",
                crate::io::extent::describe(clip.bbox_with_halo()),
                cfg.osm_label
            ),
        ));
    }
    Err(Error::Pbf {
        path: cfg.osm.clone().unwrap_or_else(|| DEFAULT_OSM_LABEL.into()),
        msg: "no walkable way in the extract (is it a car-only or non-street export?)".into(),
    })
}

/// The pipeline: each stage in turn, timings and warnings collected on the way.
fn run_loaded(cfg: &Config, osm: &OsmData, load_ms: f64, progress: &Progress) -> Result<Analysis> {
    let before = prepare(cfg, osm, load_ms, progress)?;
    let fac = facilities::edit(cfg, osm.bbox, before.fac)?;
    progress.stage("building the walk graph");
    let t = Instant::now();
    let reqs = network::requests(&cfg.profile, &fac, &before.inputs.demand);
    let built = crate::graph::build::build_graph(&osm.walk_ways, &osm.nodes, network::speeds(&cfg.profile), &reqs);
    let joined =
        Joined { inputs: before.inputs, fac, built, warnings: before.warnings, stages: before.stages, t, carry: None };
    finish(cfg, osm, joined, progress)
}

/// A run before its what-if edits and its walk graph: the same for a scenario and its baseline.
#[derive(Clone, Debug)]
struct Before<'a> {
    /// The inputs stage's tables, before the halo leaves.
    inputs: inputs::Inputs,
    /// The facilities before the what-if edits.
    fac: facilities::FacilitySet<'a>,
    warnings: crate::warnings::Warnings,
    stages: Vec<(&'static str, f64)>,
}

/// The stages before the what-if edits: inputs, then the facilities without the edits.
fn prepare<'a>(cfg: &Config, osm: &'a OsmData, load_ms: f64, progress: &Progress) -> Result<Before<'a>> {
    let profile = &cfg.profile;
    let mut stages = vec![("load_osm", load_ms)];
    let mut warnings = crate::warnings::Warnings::new();
    check_walkable(cfg, osm)?;

    progress.stage("communities and demand points");
    let t = Instant::now();
    let inputs = inputs::prepare(cfg, osm, &mut warnings)?;
    stages.push(("communities", ms(t) - inputs.areas_ms));
    if !profile.area_targets.is_empty() {
        stages.push(("area_targets", inputs.areas_ms));
    }
    let fac = facilities::collect_unedited(cfg, osm, &mut warnings)?;
    Ok(Before { inputs, fac, warnings, stages })
}

/// A run with its edited facilities and its walk graph built (`t`: when the graph stage began).
struct Joined<'a> {
    inputs: inputs::Inputs,
    fac: facilities::FacilitySet<'a>,
    built: crate::graph::build::BuiltGraph,
    warnings: crate::warnings::Warnings,
    stages: Vec<(&'static str, f64)>,
    t: Instant,
    /// A what-if re-score: the searches carried over from its baseline.
    carry: Option<carry_over::Carry<'a>>,
}

/// The stages from the walk graph on: joining, searches, catchments, halo, scoring, diagnostics.
fn finish(cfg: &Config, osm: &OsmData, j: Joined, progress: &Progress) -> Result<Analysis> {
    let profile = &cfg.profile;
    let Joined { inputs, mut fac, built, mut warnings, mut stages, t, carry } = j;
    let inputs::Inputs {
        mut communities,
        origin,
        in_district,
        halo_derived,
        units,
        area_measures,
        mut demand,
        areas_ms: _,
    } = inputs;
    let net = network::join(profile, built, &mut fac, &communities, &in_district, &demand, &mut warnings);
    let network::Network { graph, walkable_km, mut demand_node, mut unattached_population } = net;
    diagnostics::presence_without_units(profile, units.is_empty(), &mut warnings);
    stages.push(("graph_build_snap", ms(t)));
    diagnostics::gcj02_offset(cfg, &graph, &fac.facilities, &fac.declared_wgs84_in_china, &mut warnings);
    let (mut island_population, island_nodes) =
        network::islands(&graph, &communities, &in_district, &demand, &demand_node, &mut warnings);
    diagnostics::unattached_facilities(profile, &fac.facilities, &mut warnings);

    progress.stage("nearest-facility searches");
    let t = Instant::now();
    let searches = match &carry {
        Some(c) => access::nearest_known(profile, &graph, &fac.facilities, |k, g, cap, e| c.known(k, g, cap, e)),
        None => access::nearest(profile, &graph, &fac.facilities),
    };
    let ncat = profile.categories.len();
    let mut summaries: Vec<CategorySummary> = vec![CategorySummary::default(); ncat];
    for (s, &n) in summaries.iter_mut().zip(&searches.settled) {
        s.settled = n;
    }
    stages.push(("nearest_search", ms(t)));
    let mut weights = access::demand_weights(profile, &communities, &demand);

    progress.stage("2SFCA catchments");
    let t = Instant::now();
    let mut sfca =
        access::catchments(profile, &graph, &searches, &fac.facilities, &demand_node, &weights, &mut summaries);
    stages.push(("sfca", ms(t)));

    let halo = halo::drop_halo(
        &in_district,
        halo_derived,
        halo::Tables {
            communities: &mut communities,
            demand: &mut demand,
            demand_node: &mut demand_node,
            weights: &mut weights,
            sfca: &mut sfca,
            per_community: vec![&mut island_population, &mut unattached_population],
        },
    );
    let demand_unattached = demand_node.iter().filter(|n| n.is_none()).count();

    progress.stage("scoring");
    let t = Instant::now();
    let scores = crate::score::score_communities(&crate::score::ScoreInput {
        profile,
        assessment: &fac.assessment,
        facilities: &fac.facilities,
        communities: &communities,
        demand: &demand,
        demand_node: &demand_node,
        times_ds: &searches.times_ds,
        elderly_times: &searches.elderly_times,
        weights: &weights,
        sfca: &sfca,
    });
    crate::score::fill_summaries(profile, &scores, &fac.assessment, &fac.from_table, &mut summaries);
    stages.push(("score", ms(t)));

    diagnostics::assessment(profile, &summaries, &mut warnings);
    if let Some(w) = diagnostics::population_sources_warning(&communities, cfg, profile) {
        warnings.push(w);
    }

    Ok(Analysis {
        profile: profile.clone(),
        input_label: cfg.osm_label.clone(),
        osm_stats: osm.stats.clone(),
        walkable_km,
        graph,
        facilities: fac.facilities,
        communities,
        community_origin: origin,
        demand,
        demand_node,
        times_ds: searches.times_ds,
        weights,
        access: sfca.into_iter().map(|r| r.map(|r| r.access)).collect(),
        per_community: scores.per_community,
        community_score: scores.community_score,
        categories: summaries,
        overall_score: scores.overall_score,
        stages_ms: stages,
        warnings: warnings.lines(),
        demand_unattached,
        unattached_population,
        island_population,
        island_nodes,
        units,
        area_measures,
        facility_share_counts: fac.share_counts,
        halo,
        land_cover: osm.land_cover.clone(),
    })
}
