//! Times site planning on a real extract: analyze, default candidates over every community
//! polygon, then `plan_max_coverage` for one category.
//!
//! `cargo run --release --example plan_bench -- [extract.osm.pbf] [category] [sites] [threads]`
//! (defaults: `/work/shared/data/las-palmas.osm.pbf`, `kindergarten`, 10, 2).

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use circle15::analyze::{self, Config};
use circle15::plan::{PlanInput, default_candidates, plan_max_coverage};
use circle15::profile::Profile;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let osm = PathBuf::from(args.next().unwrap_or_else(|| "/work/shared/data/las-palmas.osm.pbf".into()));
    let category = args.next().unwrap_or_else(|| "kindergarten".into());
    let sites: usize = args.next().map_or(Ok(10), |s| s.parse())?;
    let threads: usize = args.next().map_or(Ok(2), |s| s.parse())?;
    rayon::ThreadPoolBuilder::new().num_threads(threads).build_global()?;

    let t = Instant::now();
    let cfg = Config::new(Some(osm), Profile::load("default", None)?, std::env::temp_dir().join("circle15-plan-bench"));
    let a = analyze::run(&cfg)?;
    let analyze_s = t.elapsed().as_secs_f64();

    let k = a.profile.category_index(&category).ok_or_else(|| format!("no category {category:?} in the profile"))?;
    let cat = &a.profile.categories[k];
    let threshold_ds = cat.threshold_ds();
    let share = a.profile.demand_share(cat);
    let weight: Vec<f64> = a.demand.iter().map(|d| d.population * share).collect();
    let covered: Vec<bool> =
        a.demand_node.iter().map(|n| n.is_some_and(|n| a.times_ds[k][n as usize] <= threshold_ds)).collect();

    let t = Instant::now();
    let areas: Vec<_> = a.communities.iter().flat_map(|c| c.polygons.iter().cloned()).collect();
    let candidates = default_candidates(&a.graph, &areas);
    let candidates_s = t.elapsed().as_secs_f64();

    let input = PlanInput {
        graph: &a.graph,
        demand_node: &a.demand_node,
        weight: &weight,
        covered: &covered,
        candidates: &candidates,
        threshold_ds,
    };
    let t = Instant::now();
    let r = plan_max_coverage(&input, sites);
    let plan_s = t.elapsed().as_secs_f64();

    println!(
        "{}: {} nodes ({} street), {} demand points, {} communities ({} polygons)",
        cfg.osm_label,
        a.graph.node_count(),
        a.graph.first_point_node,
        a.demand.len(),
        a.communities.len(),
        areas.len()
    );
    println!(
        "category {category}: threshold {:.0} s, demand {:.0}, baseline covered {:.0} ({:.1} %)",
        f64::from(threshold_ds) / 10.0,
        r.total_demand,
        r.baseline_covered,
        100.0 * r.baseline_covered / r.total_demand.max(f64::MIN_POSITIVE)
    );
    println!(
        "candidates: {} ({candidates_s:.3} s); searches {}, gain evaluations {}",
        candidates.len(),
        r.searches,
        r.evaluations
    );
    for p in &r.picks {
        let [lon, lat] = a.graph.lon_lat[p.node as usize];
        println!(
            "  #{:<2} node {:>7} ({lon:.5}, {lat:.5})  +{:>7.1}  → {:>8.1} ({:.1} %), {} points",
            p.rank,
            p.node,
            p.gain,
            p.cumulative_covered,
            100.0 * p.cumulative_share,
            p.newly_covered.len()
        );
    }
    println!("analyze {analyze_s:.2} s; plan {} sites on {threads} threads: {plan_s:.3} s", r.picks.len());
    Ok(())
}
