//! Command-line flags and their validation into one [`crate::analyze::Config`] before any work.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::analyze::Config;
use crate::error::{Error, Result};
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
    /// Prints a profile (built-in name or TOML file) as TOML.
    Profile(ProfileArgs),
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// OpenStreetMap extract (.osm.pbf); default: the embedded Helsinki-centre extract.
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
    /// Built-in profile name or a TOML file.
    #[arg(long, default_value = "default")]
    pub profile: String,
    /// Walking speed, m/s (overrides the profile's; e.g. 1.33 for the 4.8 km/h sensitivity run).
    #[arg(long)]
    pub speed: Option<f64>,
    /// Language of labels in reports (default: the profile's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
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
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ModeArg {
    Add,
    Replace,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Print the profile.
    #[arg(long)]
    pub show: bool,
    /// Built-in profile name or TOML file.
    #[arg(default_value = "default")]
    pub name: String,
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
    if a.out.exists() && !a.out.is_dir() {
        return Err(Error::Config(format!("--out {}: exists and is not a directory", a.out.display())));
    }
    if let Some(p) = &a.facilities
        && !p.exists()
    {
        return Err(Error::Io { path: p.clone(), cause: std::io::Error::from(std::io::ErrorKind::NotFound) });
    }
    let mut profile = Profile::load(&a.profile, a.year)?;
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
    let osm_label = match &a.osm {
        Some(p) => p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()),
        None => crate::analyze::DEFAULT_OSM_LABEL.to_string(),
    };
    Ok((
        Config {
            osm: a.osm.clone(),
            osm_label,
            communities: a.communities.clone(),
            facilities: a.facilities.clone(),
            facilities_mode: match a.facilities_mode {
                ModeArg::Add => crate::analyze::FacilitiesMode::Add,
                ModeArg::Replace => crate::analyze::FacilitiesMode::Replace,
            },
            profile,
            out: a.out.clone(),
            export_graph: a.export_graph,
            progress: !a.quiet && std::io::stderr().is_terminal(),
        },
        a.threads,
    ))
}
