//! Command-line flags and their validation into one [`crate::analyze::Config`] before any work.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::analyze::Config;
use crate::error::{Error, Result};
use crate::isochrone::IsochroneKind;
use crate::profile::Profile;

#[derive(Debug, Parser)]
#[command(
    name = "circle15",
    version,
    about = "15-minute public-service circle (15分钟公共服务圈) analyzer on OpenStreetMap walking networks"
)]
pub struct Cli {
    /// More log output (-v info, -vv debug), on stderr.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walking access, coverage and capacity of every community; writes the outputs to --out.
    Analyze(AnalyzeArgs),
    /// Analyze, then suggest where N new facilities of a category cover the most unserved residents.
    Plan(PlanArgs),
    /// Every district of a province from one extract (decoded once per group of neighbours): each
    /// as `analyze --clip` into DIR/<code>/, then the provincial summary (exit 2 if any failed).
    Batch(BatchArgs),
    /// The provincial summary of batch shards: districts.md, districts.csv, districts.geojson.
    Merge(MergeArgs),
    /// Times every stage on an extract (optionally tiled N×N in memory) at several thread counts.
    #[cfg(feature = "bench")]
    Bench(BenchArgs),
    /// Not in this build: `bench` needs the `bench` feature. Hidden; it only says so.
    #[cfg(not(feature = "bench"))]
    #[command(hide = true, disable_help_flag = true)]
    Bench {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Prints a profile (built-in name or TOML file) as TOML.
    Profile(ProfileArgs),
    /// Writes empty facility and census tables (xlsx and CSV) with the headers the readers accept.
    Template(TemplateArgs),
}

#[derive(Clone, Debug, Args)]
pub struct AnalyzeArgs {
    /// OpenStreetMap extract (.osm.pbf); default: the embedded central-Hangzhou extract (OSM 2015),
    /// analysed with the zhejiang-2027 profile.
    #[arg(long)]
    pub osm: Option<PathBuf>,
    /// Community polygons (GeoJSON FeatureCollection with `name`, `population`); default: derived
    /// from the extract.
    #[arg(long)]
    pub communities: Option<PathBuf>,
    /// Facility registry (CSV or GeoJSON points: category, name, lon, lat, capacity, public, crs).
    #[arg(long)]
    pub facilities: Option<PathBuf>,
    /// Whether --facilities adds to the OSM facilities or replaces them, per category in the table.
    #[arg(long, value_enum, default_value = "add")]
    pub facilities_mode: ModeArg,
    /// Declare the inputs complete for these categories (comma-separated ids, or `all`): a category
    /// without any facility is then assessed (every resident unserved) instead of "not assessed
    /// (no data)".
    #[arg(long, value_delimiter = ',', value_name = "CAT,…|all")]
    pub complete: Vec<String>,
    /// Built-in profile name or a TOML file (default: zhejiang-2027 for the embedded extract,
    /// with --year 2027 unless given; `default` with --osm).
    #[arg(long)]
    pub profile: Option<String>,
    /// Walking speed, m/s (overrides the profile's; e.g. 1.33 for the 4.8 km/h sensitivity run).
    #[arg(long)]
    pub speed: Option<f64>,
    /// Language of labels in reports, of this help and of error messages (default: the profile's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Text encoding of the CSV outputs (gaps.csv, access.csv, nodes.csv, edges.csv): `utf8-bom`
    /// opens in Excel on Chinese Windows (default with a zh profile or --lang zh), `utf8` (default
    /// in English), or `gbk` (written as GB18030, GBK's superset).
    #[arg(long, value_enum, value_name = "ENC")]
    pub csv_encoding: Option<CsvEncodingArg>,
    /// Apply the profile's targets of this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Output directory.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress display and no summary table.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write nodes.csv and edges.csv: the exact graph searched.
    #[arg(long)]
    pub export_graph: bool,
    /// Analyse only this area (district boundary: Polygon/MultiPolygon GeoJSON) of a large extract.
    #[arg(long)]
    pub clip: Option<PathBuf>,
    /// Keep streets and facilities this far beyond the clip area, metres.
    #[arg(long, default_value_t = 2000.0)]
    pub halo_m: f64,
    /// Coordinate system of the clip area, overriding its .prj / GeoPackage SRS (Chinese boundary
    /// data is often gcj02); the values of --crs. Default: what the file declares, else WGS84.
    #[arg(long)]
    pub clip_crs: Option<String>,
    /// Coordinate system of the community, unit and candidate layers, overriding what a file
    /// declares (.prj, GeoPackage SRS): EPSG:4326, EPSG:4490 (CGCS2000), EPSG:4549 (CGCS2000 3°
    /// Gauss–Krüger CM 120°E; 4550: 123°E; 4528/4529 with zone prefix), UTM EPSG:326xx, gcj02, bd09.
    #[arg(long, value_name = "CRS")]
    pub crs: Option<String>,
    /// The GeoPackage layer (table) to read, when a .gpkg has more than one.
    #[arg(long, value_name = "NAME")]
    pub layer: Option<String>,
    /// Text encoding of Shapefile attributes (.dbf): utf-8, gbk, gb18030; default: the .cpg, else
    /// detected (UTF-8, else GB18030).
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
    /// The worksheet of an .xlsx facility or census table (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Planning units (GeoJSON polygons with `name` and `level`: 区, 街道/镇, 社区/村) for roll-ups and
    /// presence indicators, or `osm`: the extract's admin boundaries at the profile's `[units]` levels.
    #[arg(long)]
    pub units: Option<PathBuf>,
    /// Census table by unit (name or code, population, optional age columns), spread over
    /// buildings by floor area; needs --units.
    #[arg(long)]
    pub census: Option<PathBuf>,
    /// Population raster (GeoTIFF, EPSG:4326, UTM or CGCS2000 Gauss–Krüger), spread over the
    /// residential buildings of each cell.
    #[arg(long)]
    pub population: Option<PathBuf>,
    /// Walk-sheds in isochrones.geojson: one merged shed per category (a few MB for a city), or
    /// also one per facility and category it serves (hundreds of MB for a city), or none (no
    /// file).
    #[arg(long, value_enum, default_value = "category", value_name = "KIND")]
    pub isochrones: IsochronesArg,
    /// Do not write isochrones.geojson (same as `--isochrones none`).
    #[arg(long, conflicts_with = "isochrones")]
    pub no_isochrones: bool,
    /// Do not write report.html.
    #[arg(long)]
    pub no_html: bool,
    /// Background tiles of report.html: none (default: offline, no network request; the page
    /// draws the walking network), osm (tile.openstreetmap.org), tianditu / tianditu-img (天地图
    /// map or imagery, CGCS2000 ≈ WGS84; needs --basemap-key), or a tile URL template
    /// https://…/{z}/{x}/{y}.png (WGS84 / Web Mercator; Amap, Baidu and Tencent tiles are offset).
    #[arg(long, default_value = "none", value_name = "none|osm|tianditu|tianditu-img|URL")]
    pub basemap: String,
    /// Your 天地图 (Tianditu) browser key for --basemap tianditu (written into report.html).
    #[arg(long, value_name = "KEY")]
    pub basemap_key: Option<String>,
    /// Also write a static map per category for printed reports (map_<category>.svg).
    #[arg(long)]
    pub svg: bool,
    /// Also write the same maps as PNG images, 2000 px wide at 300 dpi (map_<category>.png).
    #[arg(long)]
    pub png: bool,
    /// Formats of the map layers (communities, facilities, units, suggestions, isochrones) and of
    /// the per-node access table: `geojson` (with access.csv), `fgb` (FlatGeobuf with a spatial
    /// index, with access.fgb: for city-scale runs), or both, e.g. `--format geojson,fgb`.
    #[arg(long = "format", value_enum, value_delimiter = ',', default_value = "geojson")]
    pub format: Vec<FormatArg>,
    /// Refuse to start when the estimated memory need exceeds this many MiB (default: the memory
    /// available on the machine). Unclipped runs need about 95 MiB + 12.5 MiB per MB of PBF.
    #[arg(long, value_name = "MIB")]
    pub max_memory: Option<u64>,
    /// Suggest sites: `CATEGORY:COUNT` (repeatable); adds suggestions.geojson and a report section.
    #[arg(long = "plan", value_name = "CAT:N")]
    pub plan: Vec<String>,
    /// What-if: remove a facility, e.g. `node/123456` (repeatable; ids as in facilities.geojson).
    #[arg(long = "remove-facility", value_name = "TYPE/ID")]
    pub remove_facility: Vec<String>,
    /// What-if: add a facility `lon,lat,category[,capacity]` (WGS84; repeatable). A western or
    /// southern coordinate may start the value: `--add-facility -15.43,28.12,kindergarten,120`.
    #[arg(long = "add-facility", value_name = "LON,LAT,CAT[,CAP]", allow_hyphen_values = true)]
    pub add_facility: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub analyze: AnalyzeArgs,
    /// Category to plan for (profile id, e.g. kindergarten).
    #[arg(long)]
    pub category: String,
    /// Number of new facilities (most sites to pick; optional with --budget).
    #[arg(long, required_unless_present = "budget")]
    pub count: Option<usize>,
    /// Capacity of each new facility (places or beds).
    #[arg(long)]
    pub capacity: Option<f64>,
    /// What to maximise: residents newly covered, or 2SFCA shortfall closed (default: the
    /// profile's `objective`, else sfca when --capacity is given and the category has a quota).
    #[arg(long, value_enum)]
    pub objective: Option<ObjectiveArg>,
    /// Candidate sites (GeoJSON points or polygons, WGS84, optional `cost`); default: street
    /// nodes inside the communities.
    #[arg(long)]
    pub candidates: Option<PathBuf>,
    /// Most the picked sites may cost together (needs --candidates with a `cost` on every feature).
    #[arg(long)]
    pub budget: Option<f64>,
}

/// `batch`: the analyze options, applied to every district, plus the districts and the shard.
#[derive(Debug, Args)]
pub struct BatchArgs {
    #[command(flatten)]
    pub analyze: AnalyzeArgs,
    /// The districts: a GeoJSON FeatureCollection, one Polygon/MultiPolygon feature per district
    /// with a name and a code (the code names its folder DIR/<code>/).
    #[arg(long)]
    pub districts: PathBuf,
    /// Property holding a district's name.
    #[arg(long, default_value = "name")]
    pub name_field: String,
    /// Property holding a district's code (unique; letters, digits, '.', '_', '-').
    #[arg(long, default_value = "code")]
    pub code_field: String,
    /// Coordinate system of the districts, overriding what the file declares and --crs (as --crs:
    /// wgs84, EPSG:4549, gcj02, …; Chinese web-map boundaries are usually gcj02).
    #[arg(long)]
    pub districts_crs: Option<String>,
    /// Run only the I-th (0-based) of N shards: the districts sorted by code, cut into N
    /// consecutive runs; then `circle15 merge` the shards' folders. E.g. `--shard
    /// $JOB_COMPLETION_INDEX/8`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

/// `merge`: shard folders in, provincial summary out.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The --out folders of the shards (one shared folder, or one per shard).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Where to write districts.md, districts.csv and districts.geojson.
    #[arg(long)]
    pub out: PathBuf,
    /// Language of districts.md (default: the districts' reports').
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ObjectiveArg {
    Coverage,
    Sfca,
}

/// `--format`: a file format of the map layers.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum FormatArg {
    /// GeoJSON layers and access.csv.
    Geojson,
    /// FlatGeobuf layers (packed Hilbert R-tree) and access.fgb.
    Fgb,
}

/// The formats chosen by `--format` (analyze and bench).
fn layer_formats(f: &[FormatArg]) -> crate::model::LayerFormats {
    crate::model::LayerFormats {
        geojson: f.iter().any(|f| matches!(f, FormatArg::Geojson)),
        fgb: f.iter().any(|f| matches!(f, FormatArg::Fgb)),
    }
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ModeArg {
    Add,
    Replace,
}

/// `--isochrones`: which walk-sheds to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum IsochronesArg {
    None,
    Category,
    Facility,
}

impl IsochronesArg {
    /// The kind to write, `--no-isochrones` taking precedence.
    pub fn kind(self, no_isochrones: bool) -> IsochroneKind {
        match self {
            _ if no_isochrones => IsochroneKind::None,
            IsochronesArg::None => IsochroneKind::None,
            IsochronesArg::Category => IsochroneKind::Category,
            IsochronesArg::Facility => IsochroneKind::Facility,
        }
    }
}

/// `--csv-encoding`: the text encoding of the CSV outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CsvEncodingArg {
    Utf8,
    Utf8Bom,
    Gbk,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Directory to write the templates into.
    #[arg(long, default_value = "templates")]
    pub out: PathBuf,
    /// Language of the headers: zh (Chinese, default) or en.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// OpenStreetMap extract; default: the embedded central-Hangzhou extract.
    #[arg(long)]
    pub osm: Option<PathBuf>,
    /// Tile the extract N×N in memory (copies side by side) for a city-scale network.
    #[arg(long, default_value_t = 1)]
    pub tile: usize,
    /// Thread counts to compare, e.g. 1,2.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    pub threads: Vec<usize>,
    /// Repetitions per thread count (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Built-in profile name or a TOML file.
    #[arg(long, default_value = "default")]
    pub profile: String,
    /// Write the results as JSON here.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Leave isochrones.geojson out of the write stage.
    #[arg(long, conflicts_with = "isochrones")]
    pub no_isochrones: bool,
    /// Walk-sheds written in the write stage, as `analyze --isochrones`.
    #[arg(long, value_enum, default_value = "category", value_name = "KIND")]
    pub isochrones: IsochronesArg,
    /// Formats written in the write stage, as `analyze --format`.
    #[arg(long = "format", value_enum, value_delimiter = ',', default_value = "geojson")]
    pub format: Vec<FormatArg>,
    /// Leave report.html out of the write stage.
    #[arg(long)]
    pub no_html: bool,
    /// Also measure what each routing-core choice buys (Hilbert order, bucket queue, cap, epoch
    /// scratch) on the same graph, one thread.
    #[arg(long)]
    pub ablation: bool,
}

/// Validates `bench` flags.
#[cfg(feature = "bench")]
pub fn bench_config(b: &BenchArgs) -> Result<crate::bench::BenchConfig> {
    if let Some(p) = &b.osm
        && !p.exists()
    {
        return Err(Error::Io { path: p.clone(), cause: std::io::Error::from(std::io::ErrorKind::NotFound) });
    }
    if b.tile == 0 || b.tile > 16 {
        return Err(Error::Config(format!("--tile {}: must be between 1 and 16", b.tile)));
    }
    if b.threads.is_empty() || b.threads.iter().any(|&t| t == 0 || t > 1024) {
        return Err(Error::Config("--threads: a list of thread counts between 1 and 1024, e.g. 1,2".into()));
    }
    if b.runs == 0 || b.runs > 100 {
        return Err(Error::Config(format!("--runs {}: must be between 1 and 100", b.runs)));
    }
    let profile = Profile::load(&b.profile, None)?;
    let mut cfg = Config::new(b.osm.clone(), profile, std::env::temp_dir());
    cfg.isochrones = b.isochrones.kind(b.no_isochrones);
    cfg.formats = layer_formats(&b.format);
    cfg.html = !b.no_html;
    Ok(crate::bench::BenchConfig {
        analyze: cfg,
        tile: b.tile,
        threads: b.threads.clone(),
        runs: b.runs,
        ablation: b.ablation,
    })
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Print the profile.
    #[arg(long)]
    pub show: bool,
    /// Built-in profile name or TOML file.
    #[arg(default_value = "default")]
    pub name: String,
    /// List the targets as applied for this year (after the TOML, as comments).
    #[arg(long)]
    pub year: Option<i32>,
}

impl AnalyzeArgs {
    /// The profile and target year to load: as given, else `zhejiang-2027` (year 2027 unless
    /// `--year`) for the embedded Hangzhou extract, `default` for a user's `--osm`.
    pub fn profile_and_year(&self) -> (&str, Option<i32>) {
        match (&self.profile, &self.osm) {
            (Some(p), _) => (p, self.year),
            (None, Some(_)) => (crate::analyze::DEFAULT_PROFILE, self.year),
            (None, None) => {
                (crate::analyze::DEFAULT_OSM_PROFILE, Some(self.year.unwrap_or(crate::analyze::DEFAULT_OSM_YEAR)))
            }
        }
    }
}

/// Validates `analyze` flags into a config; nothing is computed before this succeeds.
pub fn analyze_config(a: &AnalyzeArgs) -> Result<(Config, Option<usize>)> {
    if let Some(p) = &a.osm
        && !p.exists()
    {
        return Err(Error::Io { path: p.clone(), cause: std::io::Error::from(std::io::ErrorKind::NotFound) });
    }
    if let Some(p) = &a.communities
        && !p.exists()
    {
        return Err(Error::Io { path: p.clone(), cause: std::io::Error::from(std::io::ErrorKind::NotFound) });
    }
    if let Some(t) = a.threads
        && (t == 0 || t > 1024)
    {
        return Err(Error::Config(format!("--threads {t}: must be between 1 and 1024")));
    }
    if let Some(y) = a.year
        && !(1990..=2100).contains(&y)
    {
        return Err(Error::Config(format!("--year {y}: not a plausible year")));
    }
    check_out_writable(&a.out)?;
    let (basemap, basemap_warning) =
        crate::report::basemap::parse(&a.basemap, a.basemap_key.as_deref()).map_err(Error::Config)?;
    for p in [&a.facilities, &a.units, &a.census, &a.population, &a.clip].into_iter().flatten() {
        if !p.exists() && p.as_os_str() != crate::analyze::UNITS_FROM_OSM {
            return Err(Error::Io { path: p.clone(), cause: std::io::Error::from(std::io::ErrorKind::NotFound) });
        }
    }
    if a.census.is_some() && a.units.is_none() {
        return Err(Error::Config("--census needs --units (the units the census table is by)".into()));
    }
    if a.census.is_some() && a.population.is_some() {
        return Err(Error::Config("--census and --population are alternative population sources: give one".into()));
    }
    let (profile_name, year) = a.profile_and_year();
    let mut profile = Profile::load(profile_name, year)?;
    if let Some(v) = a.speed {
        if !(v.is_finite() && (0.2..=3.0).contains(&v)) {
            return Err(Error::Config(format!("--speed {v}: must be between 0.2 and 3.0 m/s")));
        }
        profile.walk.speed_mps = v;
    }
    if let Some(l) = a.lang {
        profile.lang = match l {
            LangArg::Zh => crate::profile::Lang::Zh,
            LangArg::En => crate::profile::Lang::En,
        };
    }
    if let Some(w) = basemap_warning {
        match profile.lang {
            crate::profile::Lang::En => tracing::warn!("{w}"),
            crate::profile::Lang::Zh => eprintln!("提示：{}", crate::zh_text::problem(&w)),
        }
    }
    if let Some(p) = &a.osm
        && a.clip.is_none()
    {
        let size = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        memory_guard(p, size, a.max_memory)?;
    }
    let layer_options = layer_options(a)?;
    let clip = match &a.clip {
        Some(p) => {
            let mut opts = layer_options.clone();
            if let Some(c) = &a.clip_crs {
                opts.crs =
                    Some(crate::io::crs::parse_crs(c).map_err(|e| Error::Config(format!("--clip-crs {c:?}: {e}")))?);
            }
            Some(crate::io::clip_area::read_clip_area_with(p, &opts, a.halo_m)?)
        }
        None => None,
    };
    let mut plans = Vec::new();
    for p in &a.plan {
        // A ready scenario of the profile (`[[plan_scenario]]`): the plan's own count of new sites.
        if let Some(sc) = profile.plan_scenario(p) {
            let (cat, n) = (sc.category.clone(), sc.count);
            plans.push(plan_request(&profile, &cat, n, None, None)?);
            continue;
        }
        let (cat, n) = p
            .rsplit_once(':')
            .and_then(|(c, n)| n.parse::<usize>().ok().map(|n| (c, n)))
            .ok_or_else(|| Error::Config(format!("--plan {p:?}: expected CATEGORY:COUNT, e.g. kindergarten:5")))?;
        plans.push(plan_request(&profile, cat, n, None, None)?);
    }
    let mut add_facilities = Vec::new();
    for s in &a.add_facility {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let bad = || Error::Config(format!("--add-facility {s:?}: expected lon,lat,category[,capacity]"));
        if !(3..=4).contains(&parts.len()) {
            return Err(bad());
        }
        let lon: f64 = parts[0].parse().map_err(|_| bad())?;
        let lat: f64 = parts[1].parse().map_err(|_| bad())?;
        crate::geom::check_lon_lat(lon, lat).map_err(|e| Error::Config(format!("--add-facility {s:?}: {e}")))?;
        if profile.category_index(parts[2]).is_none() {
            return Err(Error::Config(format!("--add-facility {s:?}: unknown category {:?}", parts[2])));
        }
        let capacity = match parts.get(3) {
            Some(c) => Some(c.parse::<f64>().ok().filter(|c| c.is_finite() && *c >= 0.0).ok_or_else(bad)?),
            None => None,
        };
        add_facilities.push(crate::analyze::AddedFacility { lon, lat, category: parts[2].to_string(), capacity });
    }
    for r in &a.remove_facility {
        let ok = r
            .split_once('/')
            .is_some_and(|(t, id)| matches!(t, "node" | "way" | "relation" | "table") && id.parse::<i64>().is_ok());
        if !ok {
            return Err(Error::Config(format!("--remove-facility {r:?}: expected TYPE/ID, e.g. node/123456")));
        }
    }
    let complete: Vec<String> = if a.complete.iter().any(|c| c == "all") {
        profile.categories.iter().map(|c| c.id.clone()).collect()
    } else {
        for c in &a.complete {
            if profile.category_index(c).is_none() {
                return Err(Error::Config(format!(
                    "--complete {c:?}: no such category in profile {} (ids: {})",
                    profile.name,
                    profile.categories.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")
                )));
            }
        }
        a.complete.clone()
    };
    let osm_label = match &a.osm {
        Some(p) => p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()),
        None => crate::analyze::DEFAULT_OSM_LABEL.to_string(),
    };
    let csv_encoding = match a.csv_encoding {
        Some(CsvEncodingArg::Utf8) => crate::model::CsvEncoding::Utf8,
        Some(CsvEncodingArg::Utf8Bom) => crate::model::CsvEncoding::Utf8Bom,
        Some(CsvEncodingArg::Gbk) => crate::model::CsvEncoding::Gbk,
        None => crate::model::CsvEncoding::for_lang(profile.lang),
    };
    Ok((
        Config {
            osm: a.osm.clone(),
            osm_label,
            communities: a.communities.clone(),
            remove_facilities: a.remove_facility.clone(),
            add_facilities,
            plans,
            candidates_file: None,
            clip,
            facilities: a.facilities.clone(),
            facilities_mode: match a.facilities_mode {
                ModeArg::Add => crate::analyze::FacilitiesMode::Add,
                ModeArg::Replace => crate::analyze::FacilitiesMode::Replace,
            },
            profile,
            out: a.out.clone(),
            export_graph: a.export_graph,
            units: a.units.as_deref().map(crate::analyze::UnitsSource::from_arg),
            population: match (&a.census, &a.population) {
                (Some(c), _) => Some(crate::analyze::PopulationInput::Census(c.clone())),
                (None, Some(r)) => Some(crate::analyze::PopulationInput::Raster(r.clone())),
                (None, None) => None,
            },
            isochrones: a.isochrones.kind(a.no_isochrones),
            html: !a.no_html,
            basemap,
            svg: a.svg,
            png: a.png,
            formats: layer_formats(&a.format),
            csv_encoding,
            progress: !a.quiet && std::io::stderr().is_terminal(),
            complete,
            layer_options,
            sheet: a.sheet.clone(),
        },
        a.threads,
    ))
}

/// `--crs`, `--layer`, `--encoding` → how every user layer is read.
fn layer_options(a: &AnalyzeArgs) -> Result<crate::io::layer::LayerOptions> {
    let crs = match &a.crs {
        Some(c) => Some(crate::io::crs::parse_crs(c).map_err(|e| Error::Config(format!("--crs {c:?}: {e}")))?),
        None => None,
    };
    let encoding = match &a.encoding {
        Some(e) => {
            Some(crate::io::layer::parse_encoding(e).map_err(|m| Error::Config(format!("--encoding {e:?}: {m}")))?)
        }
        None => None,
    };
    Ok(crate::io::layer::LayerOptions { layer: a.layer.clone(), crs, encoding })
}

/// Finds an `--out` that cannot be written before any work: a path that is (or lies under) a
/// regular file, or a directory (or the existing parent it would be made in) where a file cannot
/// be created. Nothing is left behind.
pub fn check_out_writable(out: &std::path::Path) -> Result<()> {
    if out.exists() && !out.is_dir() {
        return Err(Error::Config(format!("--out {}: exists and is not a directory", out.display())));
    }
    let mut dir = out;
    while !dir.as_os_str().is_empty() && !dir.exists() {
        dir = dir.parent().unwrap_or(std::path::Path::new(""));
    }
    let dir = if dir.as_os_str().is_empty() { std::path::Path::new(".") } else { dir };
    if !dir.is_dir() {
        return Err(Error::Config(format!(
            "--out {}: cannot be created: {} is a file, not a directory",
            out.display(),
            dir.display()
        )));
    }
    let probe = dir.join(format!(".circle15-write-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::Write { path: out.to_path_buf(), cause: e }),
    }
}

/// Validates one planning request against the profile, with the default objective.
pub fn plan_request(
    profile: &Profile,
    category: &str,
    count: usize,
    capacity: Option<f64>,
    candidates: Option<Vec<crate::io::candidate_points::CandidateSite>>,
) -> Result<crate::plan::suggest::PlanRequest> {
    plan_request_with(profile, category, count, capacity, candidates, None, None)
}

/// Validates one planning request against the profile. The objective is `objective`, else the
/// category's `objective` in the profile, else 2SFCA when a capacity is given and the category
/// has a per-1,000 quota, else coverage. 2SFCA takes `capacity`, else the category's
/// `default_capacity`. A budget needs a cost on every candidate.
pub fn plan_request_with(
    profile: &Profile,
    category: &str,
    count: usize,
    capacity: Option<f64>,
    candidates: Option<Vec<crate::io::candidate_points::CandidateSite>>,
    objective: Option<crate::profile::PlanObjective>,
    budget: Option<f64>,
) -> Result<crate::plan::suggest::PlanRequest> {
    use crate::profile::PlanObjective;
    let Some(cat) = profile.category_index(category).map(|k| &profile.categories[k]) else {
        let ids: Vec<&str> = profile.categories.iter().map(|c| c.id.as_str()).collect();
        return Err(Error::Config(format!("unknown category {category:?} (the profile has: {})", ids.join(", "))));
    };
    if count == 0 || count > 10_000 {
        return Err(Error::Config(format!("--count {count}: must be between 1 and 10000")));
    }
    if let Some(c) = capacity
        && !(c.is_finite() && c >= 0.0)
    {
        return Err(Error::Config(format!("--capacity {c}: must be a non-negative number")));
    }
    let objective = objective.or(cat.objective).unwrap_or(if capacity.is_some() && cat.quota_per_1000.is_some() {
        PlanObjective::Sfca
    } else {
        PlanObjective::Coverage
    });
    let mut capacity = capacity;
    if objective == PlanObjective::Sfca {
        let year = profile.year.map_or(String::new(), |y| format!(" for {y}"));
        if cat.quota_per_1000.is_none() {
            return Err(Error::Config(format!(
                "objective sfca: category {category} has no per-1,000 target (quota_per_1000) in profile {}{year}; \
                 use --objective coverage or a profile with a quota",
                profile.name
            )));
        }
        capacity = capacity.or(cat.default_capacity);
        if capacity.is_none() {
            return Err(Error::Config(format!(
                "objective sfca: give --capacity (category {category} has no default_capacity in profile {})",
                profile.name
            )));
        }
    }
    if let Some(b) = budget {
        if !(b.is_finite() && b > 0.0) {
            return Err(Error::Config(format!("--budget {b}: must be a positive number")));
        }
        match &candidates {
            None => {
                return Err(Error::Config(
                    "--budget needs --candidates with a `cost` property on every feature".into(),
                ));
            }
            Some(sites) => {
                if let Some(s) = sites.iter().find(|s| s.cost.is_none()) {
                    return Err(Error::Config(format!(
                        "--budget: candidate feature {} has no `cost` property (every candidate needs one)",
                        s.feature
                    )));
                }
            }
        }
    }
    Ok(crate::plan::suggest::PlanRequest {
        category: category.to_string(),
        count,
        objective,
        capacity,
        candidates,
        budget,
    })
}

/// Validates `plan` flags: the analysis config with one planning request added.
pub fn plan_config(p: &PlanArgs) -> Result<(Config, Option<usize>)> {
    let (mut cfg, threads) = analyze_config(&p.analyze)?;
    let candidates = match &p.candidates {
        Some(path) => Some(crate::io::candidate_points::read_candidate_points_with(path, &cfg.layer_options)?),
        None => None,
    };
    let objective = p.objective.map(|o| match o {
        ObjectiveArg::Coverage => crate::profile::PlanObjective::Coverage,
        ObjectiveArg::Sfca => crate::profile::PlanObjective::Sfca,
    });
    // With a budget and no --count, the budget alone limits the picks.
    let count = p.count.unwrap_or(10_000);
    let req = plan_request_with(&cfg.profile, &p.category, count, p.capacity, candidates, objective, p.budget)?;
    cfg.plans.push(req);
    cfg.candidates_file = p.candidates.clone();
    Ok((cfg, threads))
}

/// Validates `batch` flags: the analyze flags (as for one district, without `--clip`, plans or
/// what-if edits), the districts (read before any work: a file that cannot be read is an error, a
/// district that cannot be is reported and skipped) and the shard. `--max-memory` sizes the decode
/// groups (see [`crate::batch`]).
pub fn batch_config(b: &BatchArgs) -> Result<(crate::batch::BatchConfig, Option<usize>)> {
    let a = &b.analyze;
    if a.osm.is_none() {
        return Err(Error::Config("batch needs --osm PROVINCE.osm.pbf".into()));
    }
    if a.clip.is_some() {
        return Err(Error::Config("batch: the districts are the clip areas; leave out --clip".into()));
    }
    if !a.plan.is_empty() || !a.add_facility.is_empty() || !a.remove_facility.is_empty() {
        return Err(Error::Config(
            "batch: site plans and what-if edits are per district: run `analyze --clip` for the district".into(),
        ));
    }
    if !b.districts.exists() {
        return Err(Error::Io { path: b.districts.clone(), cause: std::io::Error::from(std::io::ErrorKind::NotFound) });
    }
    // Each district is clipped, so the whole-extract memory guard does not apply.
    let mut whole = a.clone();
    whole.max_memory = Some(u64::MAX);
    let (mut cfg, threads) = analyze_config(&whole)?;
    cfg.progress = false;
    let mut opts = layer_options(a)?;
    if let Some(c) = &b.districts_crs {
        opts.crs =
            Some(crate::io::crs::parse_crs(c).map_err(|e| Error::Config(format!("--districts-crs {c:?}: {e}")))?);
    }
    let fields = crate::io::districts::Fields { name: b.name_field.clone(), code: b.code_field.clone() };
    let districts = crate::io::districts::read_districts(&b.districts, &opts, a.halo_m, &fields)?;
    let shard = match &b.shard {
        Some(s) => crate::batch::shard::Shard::parse(s)?,
        None => crate::batch::shard::Shard::ALL,
    };
    let group_nodes = match a.max_memory {
        // ≈ 110 bytes per kept node with its ways; ≈ 900 MiB for the relations, the index and one
        // district's analysis (measured, see `crate::batch::DEFAULT_GROUP_NODES`).
        Some(m) => (m.saturating_sub(900) * (1 << 20) / 110).max(1_000_000),
        None => crate::batch::DEFAULT_GROUP_NODES,
    };
    Ok((
        crate::batch::BatchConfig {
            progress: !a.quiet && std::io::stderr().is_terminal(),
            analyze: cfg,
            districts_file: b.districts.clone(),
            districts,
            shard,
            group_nodes,
        },
        threads,
    ))
}

/// The language `merge --lang` asks for.
pub fn merge_lang(m: &MergeArgs) -> Option<crate::profile::Lang> {
    m.lang.map(|l| match l {
        LangArg::Zh => crate::profile::Lang::Zh,
        LangArg::En => crate::profile::Lang::En,
    })
}

/// Estimated peak memory of an unclipped analysis with every default output:
/// `BASE_MIB + MIB_PER_PBF_MB × PBF size in MB (10⁶ bytes)`. Fitted on peak RSS measured with
/// `/usr/bin/time -v` (release build, 2 threads, 2026-12-04): Las Palmas 3.27 MB → 135 MiB
/// (estimate 136), Las Palmas tiled 4×4 by `tile_osm.py` 54.9 MB → 780 MiB (estimate 782); checked
/// on Liechtenstein 1.32 MB → 94 MiB (estimate 112) and Monaco 1.76 MB → 79 MiB (estimate 117).
/// The constant part is the isochrone raster and map outputs, which scale with area rather than
/// size; small extracts are over-estimated, which a guard can afford. The former rule (60 bytes per
/// PBF byte) gave 187 MiB and 3,143 MiB for the same two.
pub const BASE_MIB: f64 = 95.0;
pub const MIB_PER_PBF_MB: f64 = 12.5;

/// The estimated peak memory, MiB, of an unclipped analysis of a PBF of `pbf_bytes`.
pub fn estimated_mib(pbf_bytes: u64) -> u64 {
    (BASE_MIB + MIB_PER_PBF_MB * pbf_bytes as f64 / 1e6).ceil() as u64
}

/// `MemAvailable` of the machine, MiB (Linux), if known.
pub fn available_mib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/meminfo").ok()?;
    let l = s.lines().find(|l| l.starts_with("MemAvailable:"))?;
    l.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb / 1024)
}

/// Refuses an unclipped run whose estimated memory exceeds `--max-memory` (or what is available),
/// before anything is allocated.
pub fn memory_guard(path: &std::path::Path, pbf_bytes: u64, max_mib: Option<u64>) -> Result<()> {
    let need = estimated_mib(pbf_bytes);
    let (limit, what) = match max_mib {
        Some(m) => (m, "--max-memory"),
        None => match available_mib() {
            Some(m) => (m, "the memory available"),
            None => return Ok(()),
        },
    };
    if need > limit {
        return Err(Error::Config(format!(
            "{}: analysing this {:.0} MB extract whole needs about {need} MiB (estimated from its size), more than \
             {what} ({limit} MiB): clip it to the district with --clip AREA.geojson",
            path.display(),
            pbf_bytes as f64 / 1e6
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Within 30 % of the peak RSS measured on Las Palmas (135 MiB) and on Las Palmas tiled 4×4 by
    /// `../shared/tools/tile_osm.py` (54,928,873 bytes, 780 MiB); the old 60 bytes/byte rule gave
    /// 187 and 3,143 MiB.
    #[test]
    fn memory_estimate_is_within_30_percent_of_the_measured_peak() {
        for (bytes, measured_mib) in [(3_268_211u64, 135.0), (54_928_873, 780.0)] {
            let e = estimated_mib(bytes) as f64;
            assert!((e / measured_mib - 1.0).abs() <= 0.30, "{bytes} bytes: estimate {e} MiB, measured {measured_mib}");
        }
    }

    #[test]
    fn out_that_cannot_be_written_is_found_first() {
        let d = tempfile::tempdir().unwrap();
        let file = d.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        let e = check_out_writable(&file.join("sub/out")).unwrap_err().to_string();
        assert!(e.contains("is a file, not a directory"), "{e}");
        assert!(check_out_writable(&d.path().join("new/out")).is_ok());
        assert!(!d.path().join("new").exists(), "the check creates nothing");
        let names: Vec<_> = std::fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    /// A western longitude starts with '-': clap must take it as the value, not as a flag.
    #[test]
    fn add_facility_accepts_negative_coordinates() {
        let cli = Cli::try_parse_from([
            "circle15",
            "analyze",
            "--add-facility",
            "-15.43,28.12,kindergarten,120",
            "--add-facility",
            "151.2,-33.9,health",
        ])
        .unwrap();
        let Command::Analyze(a) = cli.command else { panic!("not analyze") };
        assert_eq!(a.add_facility, ["-15.43,28.12,kindergarten,120", "151.2,-33.9,health"]);
    }

    /// `--isochrones` picks the walk-sheds (per category by default); `--no-isochrones` still
    /// means none and cannot be combined with an explicit `--isochrones`.
    #[test]
    fn isochrones_flag_picks_the_walk_sheds() {
        let kind = |extra: &[&str]| -> Result<IsochroneKind> {
            let cli = Cli::try_parse_from(["circle15", "analyze"].iter().chain(extra))
                .map_err(|e| Error::Config(e.to_string()))?;
            let Command::Analyze(a) = cli.command else { panic!("not analyze") };
            Ok(analyze_config(&a)?.0.isochrones)
        };
        assert_eq!(kind(&[]).unwrap(), IsochroneKind::Category);
        assert_eq!(kind(&["--isochrones", "facility"]).unwrap(), IsochroneKind::Facility);
        assert_eq!(kind(&["--isochrones", "none"]).unwrap(), IsochroneKind::None);
        assert_eq!(kind(&["--no-isochrones"]).unwrap(), IsochroneKind::None);
        assert!(kind(&["--isochrones", "facility", "--no-isochrones"]).is_err());
        assert!(kind(&["--isochrones", "all"]).is_err());
    }
}
