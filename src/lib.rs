//! circle15 — the 15-minute public-service circle (15分钟公共服务圈) analyzer.
//!
//! Data flows one way through the stages:
//! `osm` → `graph` → `route` → `score` → `plan` → `report`, with `profile` (categories,
//! thresholds, targets) feeding every stage and `io` reading user tables.
//!
//! Units are explicit in names: `_m` metres, `_s` seconds, `_ds` deciseconds (the integer unit of
//! the search kernels), `lon`/`lat` WGS84 degrees.

pub mod analyze;
pub mod areas;
// `circle15 bench` is behind the `bench` feature; unit tests always build it (petgraph is a
// dev-dependency) so its tests run in the ordinary suite.
#[cfg(any(test, feature = "bench"))]
pub mod bench;
pub mod cli;
pub mod cli_lang;
pub mod community;
pub mod error;
pub mod geom;
pub mod graph;
pub mod io;
pub mod isochrone;
pub mod model;
pub mod osm;
pub mod plan;
pub mod population;
pub mod profile;
pub mod report;
pub mod route;
pub mod score;
pub mod timing;
pub mod units;
pub mod warnings;

/// What a run hands back to the terminal: the summary table (stdout, hidden by `--quiet`) and the
/// folded warnings (stderr, always shown).
#[derive(Clone, Debug)]
pub struct RunOutput {
    pub table: String,
    pub warnings: Vec<String>,
}

/// Runs `analyze` (and any site plans and what-if scenario of the config) end to end: analysis,
/// then every output written atomically into `cfg.out`. Returns the human summary table and the
/// warnings, kept apart: the binary prints warnings to stderr even with `--quiet`.
pub fn run_analyze(cfg: &analyze::Config) -> error::Result<RunOutput> {
    let total = std::time::Instant::now();
    // A what-if scenario and its baseline share one decoded extract.
    let (a, baseline) = analyze::run_with_baseline(cfg)?;
    let mut stages = a.stages_ms.clone();
    let t = std::time::Instant::now();
    let plans = cfg
        .plans
        .iter()
        .map(|r| plan::suggest::suggest_sites(&a, r).map_err(error::Error::Config))
        .collect::<error::Result<Vec<_>>>()?;
    if !plans.is_empty() {
        stages.push(("plan", timing::ms_since(t)));
    }
    let t = std::time::Instant::now();
    let mut set = report::OutputSet::new(&cfg.out)?;
    let extras = report::Extras {
        plans: &plans,
        baseline: baseline.as_ref(),
        basemap: Some(&cfg.basemap),
        district: cfg.clip.as_ref().map(|c| &c.polygons),
    };
    let outputs = report::Outputs {
        export_graph: cfg.export_graph,
        isochrones: cfg.isochrones,
        html: cfg.html,
        svg: cfg.svg,
        png: cfg.png,
        formats: cfg.formats,
        csv_encoding: cfg.csv_encoding,
    };
    stages.extend(report::write_all(&a, &extras, &mut set, outputs)?);
    set.finish_pending()?;
    stages.push(("write", timing::ms_since(t)));
    stages.push(("total", timing::ms_since(total)));
    set.stage("summary.json", &report::summary::summary_json_with(&a, &stages, Some(&outputs)))?;
    let files = set.commit()?;
    let mut s = report::summary::text_table(&a);
    for p in &plans {
        s.push_str(&format!("suggested sites for {}:\n", a.profile.categories[p.category].id));
        for x in &p.suggestions {
            let what = match x.remaining_shortfall {
                Some(r) => format!("+{:.1} places of shortfall closed, {r:.1} left", x.gain),
                None => format!("+{:.0} residents", x.gain),
            };
            let cost = x.cumulative_cost.map_or(String::new(), |c| format!(", cost {c}"));
            s.push_str(&format!(
                "  {:>2}. {:.6},{:.6}  {what}  → {:.1}% covered{cost}\n",
                x.rank,
                x.lon_lat[0],
                x.lon_lat[1],
                100.0 * x.cumulative_covered_share
            ));
        }
    }
    s.push_str(&report::i18n::run_footer(
        a.profile.lang,
        walksheds_kind(cfg.isochrones),
        files.len(),
        &cfg.out.display().to_string(),
        total.elapsed().as_secs_f64() * 1000.0,
    ));
    // In Chinese the warnings read as the report's data-quality section does.
    let warnings = a.warnings.iter().map(|w| report::i18n::warning(a.profile.lang, w)).collect();
    Ok(RunOutput { table: s, warnings })
}

/// Which walk-sheds `isochrones.geojson` holds, for the summary printed after a run.
fn walksheds_kind(kind: isochrone::IsochroneKind) -> &'static str {
    use isochrone::IsochroneKind;
    match kind {
        IsochroneKind::None => "none",
        IsochroneKind::Category => "category",
        IsochroneKind::Facility => "facility",
    }
}
