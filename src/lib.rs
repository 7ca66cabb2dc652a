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
pub mod batch;
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
pub mod zh_text;

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
    write_run(cfg, &a, baseline.as_ref(), total)
}

/// Plans and every output of one analysis (and its what-if baseline), written atomically into
/// `cfg.out`; returns the human summary table and the warnings. `total`: when the run started.
fn write_run(
    cfg: &analyze::Config,
    a: &model::Analysis,
    baseline: Option<&model::Analysis>,
    total: std::time::Instant,
) -> error::Result<RunOutput> {
    let mut stages = a.stages_ms.clone();
    let t = std::time::Instant::now();
    let plans = cfg
        .plans
        .iter()
        .map(|r| plan::suggest::suggest_sites(a, r).map_err(error::Error::Config))
        .collect::<error::Result<Vec<_>>>()?;
    if !plans.is_empty() {
        stages.push(("plan", timing::ms_since(t)));
    }
    let t = std::time::Instant::now();
    let mut set = report::OutputSet::new(&cfg.out)?;
    let extras = report::Extras {
        plans: &plans,
        baseline,
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
    stages.extend(report::write_all(a, &extras, &mut set, outputs)?);
    set.finish_pending()?;
    stages.push(("write", timing::ms_since(t)));
    stages.push(("total", timing::ms_since(total)));
    set.stage("summary.json", &report::summary::summary_json_with(a, &stages, Some(&outputs)))?;
    let files = set.commit()?;
    let mut s = report::summary::text_table(a);
    let lang = a.profile.lang;
    for p in &plans {
        let head = format!("suggested sites for {}:", a.profile.categories[p.category].id);
        s.push_str(&format!("{}\n", say(lang, &head)));
        for x in &p.suggestions {
            let what = match x.remaining_shortfall {
                Some(r) => format!("+{:.1} places of shortfall closed, {r:.1} left", x.gain),
                None => format!("+{:.0} residents", x.gain),
            };
            let what = say(lang, &what);
            let share = 100.0 * x.cumulative_covered_share;
            let (lon, lat) = (x.lon_lat[0], x.lon_lat[1]);
            s.push_str(&match lang {
                profile::Lang::En => {
                    let cost = x.cumulative_cost.map_or(String::new(), |c| format!(", cost {c}"));
                    format!("  {:>2}. {lon:.6},{lat:.6}  {what}  → {share:.1}% covered{cost}\n", x.rank)
                }
                profile::Lang::Zh => {
                    let cost = x.cumulative_cost.map_or(String::new(), |c| format!("，累计成本 {c}"));
                    format!("  {:>2}. {lon:.6},{lat:.6}  {what}  → 覆盖率 {share:.1}%{cost}\n", x.rank)
                }
            });
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

/// `text` in `lang`: an English console line or problem text, in Chinese through
/// [`zh_text::problem`].
pub fn say(lang: profile::Lang, text: &str) -> String {
    match lang {
        profile::Lang::En => text.to_string(),
        profile::Lang::Zh => zh_text::problem(text),
    }
}

/// What `batch` hands back: a short text for stdout and the districts that failed (code: problem),
/// which the binary prints and turns into exit code 2.
#[derive(Clone, Debug)]
pub struct BatchOutput {
    pub table: String,
    pub failed: Vec<String>,
    pub warnings: Vec<String>,
}

/// The per-district config of a batch: `analyze --clip` of the district into `DIR/<code>/`.
fn district_config(b: &batch::BatchConfig, area: &io::clip_area::ClipArea, code: &str) -> analyze::Config {
    let mut cfg = b.analyze.clone();
    cfg.clip = Some(area.clone());
    cfg.out = b.analyze.out.join(code);
    cfg.progress = false;
    cfg
}

/// Writes one district's record, atomically, into `DIR/batch/<code>/record.json`.
fn write_record(out: &std::path::Path, r: &model::district_record::DistrictRecord) -> error::Result<()> {
    let mut set = report::OutputSet::new(&out.join(batch::RECORDS_DIR).join(&r.code))?;
    set.stage("record.json", &report::district_record::record_json(r))?;
    set.commit()?;
    Ok(())
}

/// Runs `batch` (see [`batch`]): the shard's districts, decoded group by group, each analysed as
/// `analyze --clip` would into `DIR/<code>/`, its record written; then, without `--shard`, the
/// provincial summary (the same as `merge DIR --out DIR`).
pub fn run_batch(b: &batch::BatchConfig) -> error::Result<BatchOutput> {
    let started = std::time::Instant::now();
    let cfg = &b.analyze;
    let out = &cfg.out;
    let total = b.districts.len();
    let codes = b.shard.select(b.districts.iter().map(|d| d.code.as_str()));
    let mine: Vec<&io::districts::District> =
        codes.iter().map(|c| b.districts.iter().find(|d| d.code == *c).expect("selected from them")).collect();
    let lang = cfg.profile.lang;
    let page = if cfg.html { "report.html" } else { "report.md" };
    let mut failed = Vec::new();
    let mut warnings = Vec::new();
    let bar = b.progress.then(|| {
        let pb = indicatif::ProgressBar::new(mine.len() as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} districts  elapsed {elapsed_precise}  remaining {eta_precise}  {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb.enable_steady_tick(std::time::Duration::from_millis(250));
        pb
    });
    let step = |msg: &str| {
        if let Some(pb) = &bar {
            pb.set_message(msg.to_string());
        }
        tracing::info!(batch = msg);
    };
    let fail = |d: &io::districts::District, e: String, failed: &mut Vec<String>| -> error::Result<()> {
        failed.push(say(lang, &format!("district {} ({}): {e}", d.code, d.name)));
        write_record(out, &batch::record::failed(d, total, lang, e))
    };
    let ok: Vec<(&io::districts::District, &io::clip_area::ClipArea)> =
        mine.iter().filter_map(|d| d.area.as_ref().ok().map(|a| (*d, a))).collect();
    for d in mine.iter().filter(|d| d.area.is_err()) {
        fail(d, say(lang, &d.area.clone().err().unwrap_or_default()), &mut failed)?;
        if let Some(pb) = &bar {
            pb.inc(1);
        }
    }
    if !ok.is_empty() {
        let osm_path = cfg.osm.clone().ok_or_else(|| error::Error::Config("batch needs --osm".into()))?;
        step("indexing the extract");
        let boxes: Vec<[f64; 4]> = ok.iter().map(|(_, a)| a.bbox_with_halo()).collect();
        let index = osm::load_districts::DistrictIndex::build(&osm_path, &cfg.profile, boxes.clone())?;
        let all: Vec<usize> = (0..ok.len()).collect();
        let groups = batch::groups::group_districts(&all, &boxes, index.kept_nodes(), b.group_nodes);
        tracing::info!(groups = groups.len(), blocks = index.blocks(), "batch plan");
        for (gi, g) in groups.iter().enumerate() {
            step(&format!("decoding group {}/{} ({} districts)", gi + 1, groups.len(), g.len()));
            let mut grp = index.load_group(&cfg.profile, g)?;
            // Districts of a group are analysed `batch::DISTRICTS_AT_ONCE` at a time (each
            // analysis is parallel inside, but not in every stage), then handled in order.
            let locals: Vec<usize> = (0..g.len()).collect();
            for chunk in locals.chunks(batch::DISTRICTS_AT_ONCE) {
                let mut jobs = Vec::with_capacity(chunk.len());
                for &local in chunk {
                    let (d, area) = ok[g[local]];
                    let t = std::time::Instant::now();
                    let osm = index.take(&cfg.profile, &mut grp, local);
                    jobs.push((d, district_config(b, area, &d.code), osm, timing::ms_since(t)));
                }
                step(&jobs.iter().map(|j| format!("{} {}", j.0.code, j.0.name)).collect::<Vec<_>>().join(", "));
                use rayon::prelude::*;
                let results: Vec<error::Result<model::Analysis>> = jobs
                    .par_iter_mut()
                    .map(|(_, dcfg, osm, load_ms)| {
                        let osm = std::mem::replace(osm, Ok(osm::OsmData::default()))?;
                        let total_t = std::time::Instant::now();
                        let a = analyze::run_on(dcfg, &osm, *load_ms)?;
                        drop(osm);
                        write_run(dcfg, &a, None, total_t)?;
                        Ok(a)
                    })
                    .collect();
                for ((d, ..), res) in jobs.iter().zip(results) {
                    match res {
                        Ok(a) => {
                            warnings.extend(a.warnings.iter().map(|w| match lang {
                                profile::Lang::En => format!("district {}: {w}", d.code),
                                profile::Lang::Zh => {
                                    format!("区县 {}：{}", d.code, report::i18n::warning(lang, w))
                                }
                            }));
                            write_record(out, &batch::record::analysed(d, total, &a, page))?;
                        }
                        // A failing district is reported and skipped; an output that cannot be
                        // written stops the batch (the next would fail alike).
                        Err(e @ error::Error::Write { .. }) => return Err(e),
                        Err(e) => fail(d, cli_lang::error_text(&e, lang), &mut failed)?,
                    }
                    if let Some(pb) = &bar {
                        pb.inc(1);
                    }
                }
            }
        }
    }
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    let mut table = format!(
        "batch: {} of {} districts in shard {}/{}: {} analysed, {} failed, into {} in {:.1} s",
        mine.len(),
        total,
        b.shard.index,
        b.shard.count,
        mine.len() - failed.len(),
        failed.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    table = format!("{}\n", say(lang, &table));
    if b.shard == batch::shard::Shard::ALL {
        table.push_str(&run_merge(std::slice::from_ref(out), out, None)?);
    } else {
        let line = "provincial summary: after every shard, `circle15 merge DIR… --out OUT`";
        table.push_str(&format!("{}\n", say(lang, line)));
    }
    Ok(BatchOutput { table, failed, warnings })
}

/// Runs `merge`: the provincial summary (`districts.geojson`, `districts.csv`, `districts.md`) of the
/// records in `dirs`, written atomically into `out`; `lang` overrides the records' language.
/// Returns a line for stdout.
pub fn run_merge(
    dirs: &[std::path::PathBuf],
    out: &std::path::Path,
    lang: Option<profile::Lang>,
) -> error::Result<String> {
    let recs = batch::read_records::read_records(dirs)?;
    std::fs::create_dir_all(out).map_err(|e| error::Error::Write { path: out.to_path_buf(), cause: e })?;
    let lang = lang.unwrap_or(if recs[0].0.lang == "en" { profile::Lang::En } else { profile::Lang::Zh });
    let linked: Vec<report::districts_summary::Linked> =
        recs.into_iter().map(|(r, d)| (r, batch::relative_dir(out, &d))).collect();
    let failed = linked.iter().filter(|r| r.0.error.is_some()).count();
    let mut set = report::OutputSet::new(out)?;
    report::districts_summary::stage_summary(&mut set, &linked, lang)?;
    set.commit()?;
    let line = format!(
        "provincial summary of {} districts ({} not analysed): districts.md, districts.csv, districts.geojson in {}",
        linked.len(),
        failed,
        out.display()
    );
    Ok(format!("{}\n", say(lang, &line)))
}
