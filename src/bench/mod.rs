//! `circle15 bench`: every stage of `analyze` timed on a real extract, optionally tiled N×N in
//! memory, at several thread counts, with the petgraph Dijkstra as an in-run baseline.
//! Only with the cargo feature `bench` (`cargo run --release --features bench -- bench --help`).
//!
//! Glossary: **median** — of `runs` repetitions per thread count; **throughput** — elements per
//! second for decoding (nodes + ways + relations), graph nodes per second for building, settled
//! nodes per second for searches, demand points × categories per second for scoring, bytes per
//! second for writing; **peak RSS** — the process high-water mark (`VmHWM`), which only grows.

pub mod ablation;

use std::time::Instant;

use petgraph::graph::{Graph, NodeIndex};
use serde_json::{Value, json};

use crate::analyze::{self, Config};
use crate::error::Result;
use crate::graph::NodeId;
use crate::osm::tile::tile;
use crate::report::{self, OutputSet};

/// What to benchmark.
#[derive(Clone, Debug)]
pub struct BenchConfig {
    pub analyze: Config,
    pub tile: usize,
    pub threads: Vec<usize>,
    pub runs: usize,
    /// Run the routing-core ablation ([`ablation`]) after the stages.
    pub ablation: bool,
}

/// Peak resident set size of this process, MiB (Linux; 0 elsewhere).
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { 0.0 } else { v[v.len() / 2] }
}

/// The stages of `summary.json`'s `stages_ms`, in run order (`isochrones`, `html` and
/// `access_fgb` are parts of `write`, timed inside it; the `what_if_*` stages follow the run).
const STAGES: &[&str] = &[
    "load_osm",
    "tile",
    "communities",
    "area_targets",
    "graph_build_snap",
    "nearest_search",
    "sfca",
    "score",
    "isochrones",
    "html",
    "access_fgb",
    "write",
    "total",
    "what_if_baseline",
    "what_if_rescore",
    "what_if_rescore_remove",
];

/// Runs the benchmark; returns the printed table and the JSON record.
pub fn run_bench(bc: &BenchConfig) -> Result<(String, Value)> {
    let mut per_threads = Vec::new();
    let mut text = String::new();
    let mut last_graph = None;
    for &t in &bc.threads {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build().expect("thread pool");
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); STAGES.len()];
        let mut counts = json!({});
        for _ in 0..bc.runs.max(1) {
            let (stages, c, g) = pool.install(|| one_run(bc))?;
            for (i, s) in STAGES.iter().enumerate() {
                if let Some(v) = stages.iter().find(|x| x.0 == *s) {
                    samples[i].push(v.1);
                }
            }
            counts = c;
            last_graph = Some(g);
        }
        let med: Vec<f64> = samples.iter_mut().map(|v| median(v)).collect();
        per_threads.push((t, med, counts));
    }
    let (_, _, counts) = per_threads.last().cloned().expect("at least one thread count");
    let n = |k: &str| counts[k].as_f64().unwrap_or(0.0);
    let throughput = |stage: &str, ms: f64| -> (f64, &'static str) {
        let s = ms / 1000.0;
        match stage {
            "load_osm" => (n("osm_elements") / s, "elements/s"),
            "graph_build_snap" => (n("nodes") / s, "nodes/s"),
            "nearest_search" => (n("settled_nearest") / s, "settled/s"),
            "sfca" => (n("settled_bounded") / s, "settled/s"),
            "score" => (n("demand_points") * n("categories") / s, "points×cats/s"),
            "write" => (n("bytes_written") / s, "bytes/s"),
            _ => (0.0, ""),
        }
    };
    text.push_str(&format!(
        "input {} tiled {}×{}: {} nodes, {} edges, {} facilities, {} demand points, {} runs per thread count\n",
        bc.analyze.osm_label,
        bc.tile,
        bc.tile,
        counts["nodes"],
        counts["edges"],
        counts["facilities"],
        counts["demand_points"],
        bc.runs
    ));
    text.push_str(&written_line(bc, &counts));
    text.push_str(&format!("{:<18}", "stage"));
    for (t, _, _) in &per_threads {
        text.push_str(&format!(" {:>12}", format!("{t} thr ms")));
    }
    if per_threads.len() > 1 {
        text.push_str(&format!(" {:>9}", "speed-up"));
    }
    text.push_str("   throughput (last)\n");
    let mut stages_json = serde_json::Map::new();
    for (i, s) in STAGES.iter().enumerate() {
        if per_threads.iter().all(|p| p.1[i] == 0.0) {
            continue;
        }
        text.push_str(&format!("{s:<18}"));
        let mut by_t = serde_json::Map::new();
        for (t, med, _) in &per_threads {
            text.push_str(&format!(" {:>12.1}", med[i]));
            by_t.insert(t.to_string(), json!(med[i]));
        }
        let first = per_threads[0].1[i];
        let last = per_threads.last().map_or(0.0, |p| p.1[i]);
        if per_threads.len() > 1 {
            text.push_str(&format!(" {:>8.2}×", if last > 0.0 { first / last } else { 0.0 }));
        }
        let (tp, unit) = throughput(s, last);
        if !unit.is_empty() {
            text.push_str(&format!("   {:.3e} {unit}", tp));
        }
        text.push('\n');
        stages_json.insert(
            s.to_string(),
            json!({"median_ms": by_t, "throughput": tp, "unit": unit, "speedup": if last > 0.0 { first / last } else { 0.0 }}),
        );
    }
    // In-run baseline: the same multi-source nearest search with petgraph's Dijkstra.
    let mut baseline = Value::Null;
    let mut ablation_json = Value::Null;
    if let Some((g, jobs, k)) = last_graph {
        let (sources, cap) = (jobs[k].0.clone(), jobs[k].1);
        let t = Instant::now();
        let (d, _) = crate::route::nearest(&g, &sources, cap);
        let ours_capped = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let (d2, _) = crate::route::nearest(&g, &sources, crate::route::MAX_BUCKET_CAP_DS);
        let ours = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let pg = petgraph_nearest(&g, &sources);
        let pet = t.elapsed().as_secs_f64() * 1000.0;
        let agree = (0..g.node_count()).all(|v| {
            let (a, b) = (d2[v], pg[v]);
            a == b || (a == crate::route::UNREACHED && (b == u32::MAX || b > crate::route::MAX_BUCKET_CAP_DS))
        });
        let _ = d;
        text.push_str(&format!(
            "nearest kernel vs petgraph::algo::dijkstra (same graph, {} sources, 1 thread): ours {:.1} ms whole graph ({:.1} ms capped at {} s as in the analysis), petgraph {:.1} ms (no cap) → {:.1}× / {:.1}× faster; results {}\n",
            sources.len(),
            ours,
            ours_capped,
            cap / 10,
            pet,
            pet / ours,
            pet / ours_capped,
            if agree { "identical" } else { "DIFFER" }
        ));
        baseline = json!({"sources": sources.len(), "ours_ms": ours, "ours_capped_ms": ours_capped, "petgraph_ms": pet, "speedup": pet / ours, "speedup_capped": pet / ours_capped, "identical": agree});
        if bc.ablation {
            let rows = ablation::run(&g, &jobs);
            text.push_str(&ablation::table(&rows, jobs.len()));
            ablation_json = ablation::to_json(&rows);
        }
    }
    let rss = peak_rss_mib();
    text.push_str(&format!("peak RSS {rss:.0} MiB\n"));
    let record = json!({
        "input": bc.analyze.osm_label,
        "tile": bc.tile,
        "threads": bc.threads,
        "runs": bc.runs,
        "isochrones": bc.analyze.isochrones.id(),
        "formats": bc.analyze.formats.ids(),
        "html": bc.analyze.html,
        "counts": counts,
        "stages": stages_json,
        "petgraph_baseline": baseline,
        "ablation": ablation_json,
        "peak_rss_mib": rss,
    });
    Ok((text, record))
}

/// What the write stage wrote: walk-shed kind, formats, and every file with its size (last run).
fn written_line(bc: &BenchConfig, counts: &Value) -> String {
    let formats = bc.analyze.formats.ids();
    let mut s = format!(
        "write stage: walk-sheds {}, formats {}, report.html {}; files:",
        bc.analyze.isochrones.id(),
        formats.join(","),
        if bc.analyze.html { "yes" } else { "no" }
    );
    if let Some(files) = counts["files"].as_object() {
        for (name, bytes) in files {
            s.push_str(&format!(" {name} {}", bytes.as_u64().unwrap_or(0)));
        }
    }
    s.push('\n');
    s
}

/// Stage timings, counts, and the graph with every category's `(sources, cap_ds)` and the index
/// of the category with most facilities.
type RunOut = (Vec<(&'static str, f64)>, Value, (crate::graph::WalkGraph, Vec<(Vec<(NodeId, u32)>, u32)>, usize));

fn one_run(bc: &BenchConfig) -> Result<RunOut> {
    let total = Instant::now();
    let t = Instant::now();
    let osm = analyze::load(&bc.analyze)?;
    let load_ms = t.elapsed().as_secs_f64() * 1000.0;
    let elements = (osm.stats.nodes + osm.stats.ways + osm.stats.relations) as f64;
    let t = Instant::now();
    let osm = if bc.tile > 1 { tile(&osm, bc.tile) } else { osm };
    let tile_ms = t.elapsed().as_secs_f64() * 1000.0;
    let a = analyze::run_on(&bc.analyze, &osm, load_ms)?;
    let t = Instant::now();
    let dir = tempfile_dir()?;
    let mut set = OutputSet::new(&dir)?;
    let outputs = report::Outputs {
        isochrones: bc.analyze.isochrones,
        html: bc.analyze.html,
        formats: bc.analyze.formats,
        ..report::Outputs::default()
    };
    let parts = report::write_all(&a, &report::Extras::default(), &mut set, outputs)?;
    let files = set.commit()?;
    let sizes: serde_json::Map<String, Value> = files
        .iter()
        .filter_map(|f| Some((f.file_name()?.to_string_lossy().into_owned(), json!(std::fs::metadata(f).ok()?.len()))))
        .collect();
    let bytes: u64 = sizes.values().filter_map(Value::as_u64).sum();
    let write_ms = t.elapsed().as_secs_f64() * 1000.0;
    let _ = std::fs::remove_dir_all(&dir);
    let mut stages = a.stages_ms.clone();
    stages.push(("tile", tile_ms));
    stages.extend(parts);
    stages.push(("write", write_ms));
    stages.push(("total", total.elapsed().as_secs_f64() * 1000.0));
    let what_if = what_if_stages(bc, &osm, load_ms, &a, &mut stages)?;
    // The category with the most facilities is the baseline search.
    let k = (0..a.categories.len()).max_by_key(|&k| (a.categories[k].facilities, std::cmp::Reverse(k))).unwrap_or(0);
    let jobs: Vec<(Vec<(NodeId, u32)>, u32)> = (0..a.categories.len())
        .map(|k| {
            let sources = a
                .facilities
                .iter()
                .filter(|f| f.serves(crate::model::CategoryId::from_index(k)))
                .filter_map(|f| f.node.map(|n| (NodeId(n), 0)))
                .collect();
            (sources, a.profile.cap_ds(&a.profile.categories[k]))
        })
        .collect();
    let counts = json!({
        "osm_elements": elements,
        "nodes": a.graph.node_count(),
        "edges": a.graph.edge_count(),
        "facilities": a.facilities.len(),
        "demand_points": a.demand.len(),
        "categories": a.categories.len(),
        "settled_nearest": a.categories.iter().map(|c| c.settled).sum::<u64>(),
        "settled_bounded": a.categories.iter().map(|c| c.settled_bounded).sum::<u64>(),
        "bytes_written": bytes,
        "what_if": what_if,
        "files": sizes,
    });
    Ok((stages, counts, (a.graph, jobs, k)))
}

/// What-if re-scoring after the run (not in `total`): the baseline kept
/// ([`analyze::what_if::Baseline`], `what_if_baseline`), then the re-score of one kindergarten
/// added at the demand point nearest the demand's bbox centre (`what_if_rescore`), and of the
/// first school (else the first facility) removed (`what_if_rescore_remove`). Returns the edits.
fn what_if_stages(
    bc: &BenchConfig,
    osm: &crate::osm::OsmData,
    load_ms: f64,
    a: &analyze::Analysis,
    stages: &mut Vec<(&'static str, f64)>,
) -> Result<Value> {
    use analyze::what_if::{Baseline, Edits};
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let base = Baseline::new(&bc.analyze, osm, load_ms)?;
    stages.push(("what_if_baseline", ms(t)));
    let pts: Vec<[f64; 2]> = a.demand.iter().map(|d| d.point).collect();
    let profile = &bc.analyze.profile;
    let mut edits = json!({});
    if !pts.is_empty() {
        let c = crate::geom::bbox::center(crate::geom::bbox::of_points(&pts));
        let d2 = |p: &[f64; 2]| (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2);
        let at = *pts.iter().min_by(|x, y| d2(x).total_cmp(&d2(y))).expect("non-empty");
        let k = profile.category_index("kindergarten").unwrap_or(0);
        let category = profile.categories[k].id.clone();
        let add = vec![analyze::AddedFacility { lon: at[0], lat: at[1], category, capacity: None }];
        let t = Instant::now();
        base.rescore(&Edits { add, remove: Vec::new() })?;
        stages.push(("what_if_rescore", ms(t)));
        edits["added"] = json!(format!("{},{},{}", at[0], at[1], profile.categories[k].id));
    }
    let school = profile.category_index("school").map(crate::model::CategoryId::from_index);
    if let Some(f) = a.facilities.iter().find(|f| school.is_some_and(|k| f.serves(k))).or(a.facilities.first()) {
        let id = format!("{}/{}", f.osm_type, f.osm_id);
        let t = Instant::now();
        base.rescore(&Edits { add: Vec::new(), remove: vec![id.clone()] })?;
        stages.push(("what_if_rescore_remove", ms(t)));
        edits["removed"] = json!(id);
    }
    Ok(edits)
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!("circle15-bench-{}", std::process::id()));
    std::fs::create_dir_all(&d).map_err(|e| crate::error::Error::Write { path: d.clone(), cause: e })?;
    Ok(d)
}

/// Multi-source nearest with `petgraph::algo::dijkstra` through a super-source (`u32::MAX` =
/// unreachable). The baseline of the benchmarks; not used by the analysis.
pub fn petgraph_nearest(g: &crate::graph::WalkGraph, sources: &[(NodeId, u32)]) -> Vec<u32> {
    let n = g.node_count();
    let mut pg: Graph<(), u32> = Graph::with_capacity(n + 1, g.edge_count() + sources.len());
    for _ in 0..=n {
        pg.add_node(());
    }
    for v in 0..n as u32 {
        for (t, w) in g.edges(v) {
            pg.add_edge(NodeIndex::new(v as usize), NodeIndex::new(t as usize), w);
        }
    }
    for &(s, d) in sources {
        pg.add_edge(NodeIndex::new(n), NodeIndex::new(s.idx()), d);
    }
    let d = petgraph::algo::dijkstra(&pg, NodeIndex::new(n), None, |e| *e.weight());
    (0..n).map(|v| d.get(&NodeIndex::new(v)).copied().unwrap_or(u32::MAX)).collect()
}
