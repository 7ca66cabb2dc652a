//! `summary.json` and the short human summary printed on stdout.

use serde_json::{Map, Value, json};

use super::format::pct;
use super::i18n::Label;
use super::{ATTRIBUTION, json_num};
use crate::model::Analysis;

/// `summary.json`: input, profile, counts, coverage per category, stage times, warnings.
pub fn summary_json(a: &Analysis, stages_ms: &[(&str, f64)]) -> Vec<u8> {
    summary_json_with(a, stages_ms, None)
}

/// [`summary_json`] with `outputs`: which walk-sheds (`category`/`facility`/`none`), formats and
/// report.html the run wrote, so that its `stages_ms` can be read against what was written.
pub fn summary_json_with(a: &Analysis, stages_ms: &[(&str, f64)], outputs: Option<&super::Outputs>) -> Vec<u8> {
    let p = &a.profile;
    let mut fac = Map::new();
    let mut cov = Map::new();
    for (k, c) in p.categories.iter().enumerate() {
        let s = &a.categories[k];
        fac.insert(c.id.clone(), json!(s.facilities));
        cov.insert(
            c.id.clone(),
            json!({
                "label_zh": c.label_zh,
                "label_en": c.label_en,
                "assessed": s.assessment.assessed(),
                "assessment": s.assessment,
                "threshold_s": c.threshold_s,
                "cap_s": p.cap_ds(c) as f64 / 10.0,
                "facilities": s.facilities,
                "facilities_unattached": s.facilities_unattached,
                "demand": json_num(Some(s.stats.demand), 1),
                "covered": json_num(Some(s.stats.covered), 1),
                "covered_share": json_num(s.stats.covered_share, 4),
                "mean_s": json_num(s.stats.mean_s, 1),
                "p90_s": json_num(s.stats.p90_s, 1),
                "beyond_cap_share": json_num(s.stats.beyond_cap_share, 4),
                "per_1000": json_num(s.per_1000, 3),
                "quota_per_1000": c.quota_per_1000,
                "quota_base": c.quota_base,
                "capacity_total": json_num(Some(s.capacity_total), 1),
                "capacity_assumed_facilities": s.capacity_assumed,
                "coverage_target": c.coverage_target,
                "coverage_target_source": c.coverage_source.as_deref().unwrap_or("default (no plan figure)"),
                "quota_source": c.quota_per_1000.or(c.quota_not_yet_due).map(|_| c.quota_source.as_deref().unwrap_or("default (no plan figure)")),
                "quota_status": c.quota_per_1000.or(c.quota_not_yet_due).map(|_| c.quota_status),
                "quota_not_yet_due": c.quota_not_yet_due,
                "threshold_m": c.threshold_m,
                "failing_communities": s.failing_communities,
                "pass": s.pass,
                "quota_pass": s.quota_pass,
                "covered_share_elderly": json_num(s.covered_share_elderly, 4),
                "from_table": s.from_table,
                "score": json_num(s.score, 1),
                "settled_nodes": s.settled,
            }),
        );
    }
    let population: f64 = a.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();
    let stages: Map<String, Value> = stages_ms.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    let o = &a.osm_stats;
    let doc = json!({
        "tool": concat!("circle15 ", env!("CARGO_PKG_VERSION")),
        "input": a.input_label,
        "attribution": ATTRIBUTION,
        "profile": p.name,
        "year": p.year,
        "walk_speed_mps": p.walk.speed_mps,
        "counts": {
            "nodes": a.graph.node_count(),
            "edges": a.graph.edge_count(),
            "street_nodes": a.graph.first_point_node,
            "walkable_km": json_num(Some(a.walkable_km), 3),
            "facilities": fac,
            "communities": a.communities.len(),
            "community_origin": a.community_origin,
            "demand_points": a.demand.len(),
            "demand_points_unattached": a.demand_unattached,
            "unattached_population": json_num(Some(a.unattached_population.iter().sum::<f64>()), 1),
            "population": json_num(Some(population), 1),
        },
        "osm": {
            "blocks": o.blocks, "nodes": o.nodes, "ways": o.ways, "relations": o.relations,
            "walk_ways": o.walk_ways, "ways_cut_at_edge": o.ways_cut_at_edge,
            "missing_node_refs": o.missing_node_refs, "broken_multipolygons": o.broken_multipolygons,
            "duplicate_facility_nodes": o.duplicate_facility_nodes,
        },
        "assessed_categories": assessed_ids(a, true),
        "not_assessed_categories": assessed_ids(a, false),
        "coverage": cov,
        "score": json_num(a.overall_score, 1),
        "area_targets": super::area_targets::summary_json(a),
        "facility_shares": crate::report::facility_share::summary_json(a),
        "halo": a.halo.as_ref().map(|h| json!({
            "communities": h.communities,
            "derived_communities": h.derived,
            "population": json_num(Some(h.population), 1),
            "note": "residents beyond the --clip district: they share facility capacity (2SFCA step 1) but are in no figure",
        })),
        "outputs": outputs.map(|o| json!({
            "isochrones": o.isochrones.id(),
            "formats": o.formats.ids(),
            "html": o.html,
        })),
        "stages_ms": stages,
        "warnings": a.warnings,
    });
    let mut s = serde_json::to_vec_pretty(&doc).expect("serialisable");
    s.push(b'\n');
    s
}

fn assessed_ids(a: &Analysis, assessed: bool) -> Vec<&str> {
    (0..a.profile.categories.len())
        .filter(|&k| a.categories[k].assessment.assessed() == assessed)
        .map(|k| a.profile.categories[k].id.as_str())
        .collect()
}

/// The table printed on stdout: category, facilities, population covered %.
pub fn text_table(a: &Analysis) -> String {
    let p = &a.profile;
    let lang = p.lang;
    let mut s = String::new();
    let population: f64 = a.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();
    let given = a.communities.iter().all(|c| c.source == crate::community::PopulationSource::Given);
    s.push_str(&match lang {
        crate::profile::Lang::En => format!(
            "{}: {} walk nodes, {:.1} km walkable, {} communities, {:.0} residents ({})\n",
            a.input_label,
            a.graph.first_point_node,
            a.walkable_km,
            a.communities.len(),
            population,
            if given { "given" } else { "estimated" }
        ),
        crate::profile::Lang::Zh => format!(
            "{}：步行路网节点 {} 个，可步行道路 {:.1} 公里，社区 {} 个，居民 {:.0} 人（{}）\n",
            super::i18n::input_label(&a.input_label, lang),
            a.graph.first_point_node,
            a.walkable_km,
            a.communities.len(),
            population,
            if given { "给定" } else { "估算" }
        ),
    });
    let [h0, h1, h2, h3, h4] =
        [Label::Category, Label::ThresholdShort, Label::FacilitiesShort, Label::Covered, Label::UnservedPopulation]
            .map(|l| l.text(lang));
    s.push_str(&format!("{h0:<28} {h1:>9} {h2:>10} {h3:>8} {h4:>10}\n"));
    for (k, c) in p.categories.iter().enumerate() {
        let st = &a.categories[k];
        let name = format!("{} ({})", c.id, c.label(lang));
        let threshold = c.threshold_m.map_or(format!("{:.0}min", c.threshold_s / 60.0), |m| format!("{m:.0}m"));
        if !st.assessment.assessed() {
            s.push_str(&format!(
                "{:<28} {:>10} {:>10}   {}\n",
                name,
                threshold,
                st.facilities,
                Label::NotAssessed.text(lang)
            ));
            continue;
        }
        let share = pct(st.stats.covered_share);
        s.push_str(&format!(
            "{:<28} {:>10} {:>10} {:>8} {:>10.0}\n",
            name,
            threshold,
            st.facilities,
            share,
            st.stats.demand - st.stats.covered
        ));
    }
    if a.categories.iter().any(|c| !c.assessment.assessed()) {
        s.push_str(Label::NotAssessedHint.text(lang));
    }
    s
}
