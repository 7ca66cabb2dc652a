//! circle15 — the 15-minute public-service circle (15分钟公共服务圈) analyzer.
//!
//! Data flows one way through the stages:
//! `osm` → `graph` → `route` → `score` → `plan` → `report`, with `profile` (categories,
//! thresholds, targets) feeding every stage and `io` reading user tables.
//!
//! Units are explicit in names: `_m` metres, `_s` seconds, `_ds` deciseconds (the integer unit of
//! the search kernels), `lon`/`lat` WGS84 degrees.

pub mod analyze;
pub mod cli;
pub mod community;
pub mod error;
pub mod geom;
pub mod graph;
pub mod io;
pub mod isochrone;
pub mod osm;
pub mod profile;
pub mod report;
pub mod route;
pub mod score;

/// Runs `analyze` end to end: analysis, then every output written atomically into `cfg.out`.
/// Returns the human summary table.
pub fn run_analyze(cfg: &analyze::Config) -> error::Result<String> {
    let total = std::time::Instant::now();
    let a = analyze::run(cfg)?;
    let t = std::time::Instant::now();
    let mut set = report::OutputSet::new(&cfg.out)?;
    report::write_all(&a, &mut set, cfg.export_graph)?;
    let mut stages = a.stages_ms.clone();
    stages.push(("write", (t.elapsed().as_secs_f64() * 1e5).round() / 100.0));
    stages.push((
        "total",
        (total.elapsed().as_secs_f64() * 1e5).round() / 100.0,
    ));
    set.stage("summary.json", &report::summary::summary_json(&a, &stages))?;
    let files = set.commit()?;
    let mut s = report::summary::text_table(&a);
    for w in &a.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s.push_str(&format!(
        "wrote {} files to {} in {:.0} ms\n",
        files.len(),
        cfg.out.display(),
        total.elapsed().as_secs_f64() * 1000.0
    ));
    Ok(s)
}
