//! Reports: every file `analyze` writes, through one atomic output set.
//!
//! Owns the output contract of `design.md` (field names, units, rounding) and the atomic writer.
//! Numbers are rounded at write time only: coordinates to 1e-7° (≈1 cm), times to 0.1 s, shares
//! to 1e-4, so the same input gives byte-identical files whatever the thread count.
//!
//! The toolkit every writer uses, one concern per file:
//! - [`format`]: rounding, JSON numbers, fixed decimals, percentages, HTML/Markdown escaping, ms;
//! - [`i18n`]: the Chinese/English words, one table keyed by [`i18n::Label`];
//! - [`md_table`]: Markdown tables of `report.md`;
//! - [`colour_ramp`]: the covered-share colours of the SVG/PNG maps and `report.html`;
//! - `assets/`: the page's CSS and script (`include_str!`), CSV through `csv::Writer`.
//!
//! The writers: [`geojson_out`] (communities, facilities), [`units_geojson`], [`csv_out`] (access,
//! nodes, edges), [`gap_report`] (report.md core, gaps.csv), [`plan_report`], [`units_report`],
//! [`area_targets`], [`facility_share`], [`assessment`], [`summary`], [`html`], [`svg_map`],
//! [`png_map`], with the maps' base layer ([`base_layer`]: streets, scale bar) and the page's tile
//! background ([`basemap`]). (`isochrones.geojson` is still written by `crate::isochrone`.) With `--format fgb`
//! every GeoJSON layer is also (or instead) written as FlatGeobuf through [`fgb_layer`], and the
//! node table as [`access_fgb`].
//!
//! Glossary: **staged** file — written in full to a hidden temporary name in the output directory
//! and fsynced; **commit** — all staged files renamed to their final names, only once every one was
//! written, so a failed run leaves the previous outputs untouched and no temporary file behind.

pub mod access_fgb;
pub mod area_targets;
pub mod assessment;
pub mod atomic;
pub mod base_layer;
pub mod basemap;
pub mod colour_ramp;
pub mod compact_geometry;
pub mod csv_out;
pub mod district_record;
pub mod districts_summary;
pub mod facility_share;
pub mod fgb_layer;
pub mod format;
pub mod gap_report;
pub mod geojson_out;
pub mod html;
pub mod i18n;
pub mod isochrones;
pub mod land_layer;
pub mod md_table;
pub mod plan_report;
pub mod png_map;
pub mod summary;
pub mod svg_map;
pub mod templates;
pub mod units_geojson;
pub mod units_report;
pub mod whatif_data;

pub use atomic::OutputSet;

/// Attribution carried by every output derived from OSM data.
pub const ATTRIBUTION: &str = "© OpenStreetMap contributors, ODbL 1.0";

pub use format::{json_num, round};

use crate::error::Result;
use crate::model::Analysis;

/// What the report adds beyond one analysis.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extras<'a> {
    pub plans: &'a [crate::plan::suggest::SitePlan],
    /// The analysis without the what-if edits, when there are some.
    pub baseline: Option<&'a Analysis>,
    /// The tile background of `report.html` (`--basemap`; `None`: none).
    pub basemap: Option<&'a crate::model::Basemap>,
    /// The district outline drawn on the maps (`--clip`), WGS84.
    pub district: Option<&'a crate::geom::MultiPolygon>,
}

/// Which optional outputs to write.
#[derive(Clone, Copy, Debug)]
pub struct Outputs {
    pub export_graph: bool,
    /// Which walk-sheds `isochrones.geojson` holds (none: no file).
    pub isochrones: crate::isochrone::IsochroneKind,
    pub html: bool,
    /// One static SVG map per category (`map_<category>.svg`).
    pub svg: bool,
    /// The same maps as PNG (`map_<category>.png`).
    pub png: bool,
    /// The formats of the map layers and the access table.
    pub formats: crate::model::LayerFormats,
    /// Text encoding of the CSV outputs.
    pub csv_encoding: crate::model::CsvEncoding,
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs {
            export_graph: false,
            isochrones: crate::isochrone::IsochroneKind::default(),
            html: true,
            svg: false,
            png: false,
            formats: crate::model::LayerFormats::default(),
            csv_encoding: crate::model::CsvEncoding::default(),
        }
    }
}

/// Stages the layer `name` (GeoJSON `bytes`) in each chosen format: `<name>.geojson` as is,
/// `<name>.fgb` converted by [`fgb_layer::from_geojson`].
fn stage_layer(set: &mut OutputSet, f: crate::model::LayerFormats, name: &str, bytes: &[u8]) -> Result<()> {
    if f.geojson {
        set.stage(&format!("{name}.geojson"), bytes)?;
    }
    if f.fgb {
        set.stage_with(&format!("{name}.fgb"), |w| fgb_layer::from_geojson(name, bytes, w))?;
    }
    Ok(())
}

/// [`stage_layer`] with the GeoJSON written on a thread of its own
/// ([`OutputSet::stage_in_background`]).
fn stage_layer_in_background(
    set: &mut OutputSet,
    f: crate::model::LayerFormats,
    name: &str,
    bytes: Vec<u8>,
) -> Result<()> {
    if f.fgb {
        set.stage_with(&format!("{name}.fgb"), |w| fgb_layer::from_geojson(name, &bytes, w))?;
    }
    if f.geojson {
        set.stage_in_background(&format!("{name}.geojson"), vec![bytes])?;
    }
    Ok(())
}

/// Writes every output of an analysis into `set` (staged; the caller commits). Returns the wall
/// time of the costlier parts (`isochrones`, `html`, `png`), ms, for `stages_ms`.
pub fn write_all(
    a: &Analysis,
    x: &Extras<'_>,
    set: &mut OutputSet,
    outputs: Outputs,
) -> Result<Vec<(&'static str, f64)>> {
    std::thread::scope(|scope| {
        // access.csv (2 M rows, 144 MB on the 4×4 Las Palmas input) is streamed to disk on a
        // thread of its own while the rest is computed, never held whole.
        let access = match outputs.formats.geojson {
            true => Some(set.stage_scoped(scope, "access.csv", |w| csv_out::write_access(a, outputs.csv_encoding, w))?),
            false => None,
        };
        let rest = write_rest(a, x, set, outputs);
        // Joined even when the rest failed, so that no thread writes a file the set removes.
        let access = access.map_or(Ok(()), atomic::ScopedStage::join);
        let timings = rest?;
        access?;
        Ok(timings)
    })
}

/// [`write_all`] but access.csv.
fn write_rest(a: &Analysis, x: &Extras<'_>, set: &mut OutputSet, outputs: Outputs) -> Result<Vec<(&'static str, f64)>> {
    let mut timings = Vec::new();
    let ms = format::ms_since;
    let f = outputs.formats;
    let communities = geojson_out::communities(a);
    let facilities = geojson_out::facilities(a);
    stage_layer_in_background(set, f, "communities", communities)?;
    stage_layer_in_background(set, f, "facilities", facilities)?;
    if f.fgb {
        let t = std::time::Instant::now();
        set.stage_with("access.fgb", |w| access_fgb::write_access_fgb(a, w))?;
        timings.push(("access_fgb", ms(t)));
    }
    let mut md = gap_report::report_md(a);
    let suggestions = (!x.plans.is_empty()).then(|| plan_report::suggestions_geojson(a, x.plans));
    if let Some(sug) = &suggestions {
        md.extend_from_slice(plan_report::plan_section(a, x.plans).as_bytes());
        stage_layer(set, f, "suggestions", sug)?;
    }
    if let Some(b) = x.baseline {
        md.extend_from_slice(plan_report::scenario_section(b, a).as_bytes());
    }
    let mut unit_population: Option<Vec<f64>> = None;
    if !a.units.is_empty() {
        let nesting = crate::units::nest_by_residents(&a.communities, &a.demand, &a.units);
        let figures = crate::units::aggregate(a, &nesting, &a.units);
        let presence = crate::units::evaluate_presence(a, &a.units, &a.profile.presence);
        stage_layer(set, f, "units", &units_geojson::units_geojson(a, &a.units, &figures, &presence))?;
        md.extend_from_slice(units_report::units_section(a, &a.units, &figures, &presence).as_bytes());
        unit_population = Some(figures.iter().map(|f| f.population).collect());
    }
    md.extend_from_slice(area_targets::section(a, unit_population.as_deref()).as_bytes());
    md.extend_from_slice(facility_share::section(a).as_bytes());
    if a.profile.lang == crate::profile::Lang::Zh {
        // The profile's English free text (notes, sources) and the seed documents' paths.
        md = i18n::profile_text(&a.profile, &String::from_utf8_lossy(&md)).into_bytes();
    }
    set.stage("report.md", &md)?;
    set.stage("gaps.csv", &csv_out::encode(gap_report::gaps_csv(a), outputs.csv_encoding))?;
    let t = std::time::Instant::now();
    // Streamed to the file; only the merged per-category walk-sheds are kept, for report.html.
    let mut iso = None;
    if outputs.isochrones.any() && !f.fgb {
        set.stage_with("isochrones.geojson", |w| {
            iso = Some(isochrones::write_isochrones(a, outputs.isochrones, w)?.into_bytes());
            Ok(())
        })?;
        timings.push(("isochrones", ms(t)));
    } else if outputs.isochrones.any() {
        // FlatGeobuf needs every feature before it sorts them: the GeoJSON is built in memory.
        let mut bytes = Vec::new();
        iso = Some(
            isochrones::write_isochrones(a, outputs.isochrones, &mut bytes).expect("writing to a Vec").into_bytes(),
        );
        stage_layer(set, f, "isochrones", &bytes)?;
        timings.push(("isochrones", ms(t)));
    }
    if outputs.html {
        let t = std::time::Instant::now();
        let extras = html::HtmlExtras {
            isochrones: iso,
            suggestions,
            gap_tables_html: Some(gap_report::gap_tables_html(a)),
            basemap: x.basemap.cloned().unwrap_or_default(),
            district: x.district.cloned(),
        };
        let mut page = html::report_html(a, &extras);
        if a.profile.lang == crate::profile::Lang::Zh {
            // As report.md: the profile's sources in Chinese, the seed documents by name.
            page = i18n::profile_text(&a.profile, &String::from_utf8_lossy(&page)).into_bytes();
        }
        set.stage_in_background("report.html", vec![page])?;
        timings.push(("html", ms(t)));
    }
    if outputs.svg {
        for (cat, svg) in svg_map::category_maps_with(a, x.district) {
            set.stage(&format!("map_{cat}.svg"), &svg)?;
        }
    }
    if outputs.png {
        let t = std::time::Instant::now();
        let (pngs, fonts) = png_map::category_pngs_with(a, x.district).map_err(|msg| crate::error::Error::Write {
            path: set.dir().join("map_<category>.png"),
            cause: std::io::Error::other(msg),
        })?;
        if !fonts.missing.is_empty() {
            let chars = fonts.missing.iter().collect::<String>();
            match a.profile.lang {
                crate::profile::Lang::En => tracing::warn!(
                    "--png: no font on this machine has the characters {chars:?}: they are left out of the PNG maps \
                     (install a CJK font, e.g. Debian's fonts-noto-cjk, or use the SVG maps)"
                ),
                crate::profile::Lang::Zh => tracing::warn!(
                    "--png：本机没有字体含有字符 {chars:?}：PNG 地图中略去这些字符（请安装中文字体，如 Debian 的 \
                     fonts-noto-cjk，或使用 SVG 地图）"
                ),
            }
        }
        for (cat, png) in pngs {
            set.stage(&format!("map_{cat}.png"), &png)?;
        }
        timings.push(("png", ms(t)));
    }
    if outputs.export_graph {
        set.stage("nodes.csv", &csv_out::encode(csv_out::nodes(a), outputs.csv_encoding))?;
        set.stage("edges.csv", &csv_out::encode(csv_out::edges(a), outputs.csv_encoding))?;
    }
    Ok(timings)
}
