//! Times site planning on a real extract: analyze, then `suggest_sites` (default candidates over
//! every community polygon, cover lists, lazy greedy, before/after figures) for one category.
//!
//! `cargo run --release --features bench --example plan_bench -- [extract.osm.pbf] [category] [sites] [threads]
//! [coverage|sfca] [capacity]` (defaults: `/work/shared/data/las-palmas.osm.pbf`, `kindergarten`,
//! 10, 2, `coverage`, the category's default capacity). For `sfca` on a category without a quota
//! in the default profile, a quota of 30 places per 1,000 residents is added.

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use circle15::analyze::{self, Config};
use circle15::plan::suggest::{PlanRequest, suggest_sites};
use circle15::profile::{PlanObjective, Profile};

/// CPU time of this process so far (user + system, all threads), seconds; Linux only (0 elsewhere).
/// On a shared machine it tells what the run would take on idle cores better than the wall clock.
fn cpu_s() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i - 3).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(14) + ticks(15)) / 100.0
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let osm = PathBuf::from(args.next().unwrap_or_else(|| "/work/shared/data/las-palmas.osm.pbf".into()));
    let category = args.next().unwrap_or_else(|| "kindergarten".into());
    let sites: usize = args.next().map_or(Ok(10), |s| s.parse())?;
    let threads: usize = args.next().map_or(Ok(2), |s| s.parse())?;
    let objective = match args.next().as_deref() {
        None | Some("coverage") => PlanObjective::Coverage,
        Some("sfca") => PlanObjective::Sfca,
        Some(o) => return Err(format!("objective {o:?}: coverage or sfca").into()),
    };
    let capacity: Option<f64> = args.next().map(|s| s.parse()).transpose()?;
    rayon::ThreadPoolBuilder::new().num_threads(threads).build_global()?;

    let mut profile = Profile::load("default", None)?;
    let k = profile.category_index(&category).ok_or_else(|| format!("no category {category:?} in the profile"))?;
    if objective == PlanObjective::Sfca && profile.categories[k].quota_per_1000.is_none() {
        let anchor = format!("id = \"{category}\"");
        let text = profile.raw.replacen(&anchor, &format!("{anchor}\nquota_per_1000 = 30"), 1);
        profile = Profile::parse(&text, "default + quota", None)?;
    }
    let capacity = capacity.or(profile.categories[k].default_capacity);

    let t = Instant::now();
    let cfg = Config::new(Some(osm), profile, std::env::temp_dir().join("circle15-plan-bench"));
    let a = analyze::run(&cfg)?;
    let analyze_s = t.elapsed().as_secs_f64();

    let req =
        PlanRequest { category: category.clone(), count: sites, objective, capacity, candidates: None, budget: None };
    let (t, cpu) = (Instant::now(), cpu_s());
    let plan = suggest_sites(&a, &req)?;
    let (plan_s, plan_cpu_s) = (t.elapsed().as_secs_f64(), cpu_s() - cpu);

    let cat = &a.profile.categories[k];
    println!(
        "{}: {} nodes ({} street), {} demand points, {} communities",
        cfg.osm_label,
        a.graph.node_count(),
        a.graph.first_point_node,
        a.demand.len(),
        a.communities.len(),
    );
    println!(
        "category {category}: threshold {:.0} s, objective {objective:?}, capacity {capacity:?}, baseline covered {:.1} %",
        cat.threshold_s,
        100.0 * plan.baseline_covered_share
    );
    if let Some(b) = plan.baseline_shortfall {
        println!("shortfall (point by point) before: {b:.1} places");
    }
    println!("candidates: {}; searches {}, gain evaluations {}", plan.candidates, plan.searches, plan.evaluations);
    for s in &plan.suggestions {
        let extra = s
            .remaining_shortfall
            .map_or(String::new(), |r| format!(", ratio {:.2}/1000, {r:.1} left", 1000.0 * s.ratio.unwrap_or(0.0)));
        println!(
            "  #{:<2} node {:>7} ({:.5}, {:.5})  +{:>7.1}  → {:.1} % covered{extra}",
            s.rank,
            s.node,
            s.lon_lat[0],
            s.lon_lat[1],
            s.gain,
            100.0 * s.cumulative_covered_share,
        );
    }
    if let Some((b, x)) = plan.area_capacity {
        println!("per 1,000: {:?} → {:?}; shortfall {:?} → {:?}", b.per_1000, x.per_1000, b.shortfall, x.shortfall);
    }
    println!(
        "analyze {analyze_s:.2} s; plan {} sites on {threads} threads: {plan_s:.3} s wall, {plan_cpu_s:.2} s CPU",
        plan.suggestions.len()
    );
    Ok(())
}
