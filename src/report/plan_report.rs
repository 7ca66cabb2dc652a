//! Outputs of site planning and what-if scenarios: `suggestions.geojson` and the report sections
//! "suggested sites" (with a before/after table per community) and "scenario vs baseline".

use std::fmt::Write;

use serde_json::{Value, json};

use super::{ATTRIBUTION, round};
use crate::analyze::Analysis;
use crate::plan::suggest::SitePlan;
use crate::profile::Lang;

fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}

fn pct(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{:.1}%", 100.0 * round(v, 4)))
}

/// `suggestions.geojson`: one point per suggested site.
pub fn suggestions_geojson(a: &Analysis, plans: &[SitePlan]) -> Vec<u8> {
    let mut feats = Vec::new();
    for p in plans {
        let cat = &a.profile.categories[p.category];
        for s in &p.suggestions {
            let served: Vec<Value> = s
                .served
                .iter()
                .map(|(c, w)| json!({"id": a.communities[*c].id, "name": a.communities[*c].name, "residents": round(*w, 1)}))
                .collect();
            feats.push(json!({
                "type": "Feature",
                "properties": {
                    "rank": s.rank,
                    "category": cat.id,
                    "gain": round(s.gain, 1),
                    "cumulative_covered": round(s.cumulative_covered, 1),
                    "cumulative_covered_share": round(s.cumulative_covered_share, 4),
                    "capacity": p.capacity,
                    "node": s.node,
                    "served_communities": served,
                },
                "geometry": {"type": "Point", "coordinates": [round(s.lon_lat[0], 7), round(s.lon_lat[1], 7)]},
            }));
        }
    }
    let doc =
        json!({"type": "FeatureCollection", "name": "suggestions", "attribution": ATTRIBUTION, "features": feats});
    let mut v = serde_json::to_vec(&doc).expect("serialisable");
    v.push(b'\n');
    v
}

/// Report section: suggested sites and the before/after coverage of the communities they serve.
pub fn plan_section(a: &Analysis, plans: &[SitePlan]) -> String {
    let lang = a.profile.lang;
    let mut s = String::new();
    for p in plans {
        let cat = &a.profile.categories[p.category];
        let _ = writeln!(
            s,
            "\n## {} — {} `{}`\n",
            tr(lang, "建议新增设施点位", "Suggested sites"),
            cat.label(lang),
            cat.id
        );
        let _ = writeln!(
            s,
            "{}: {} · {}: {} · {}: {}\n",
            tr(lang, "候选点", "candidates"),
            p.candidates,
            tr(lang, "现状覆盖率", "coverage now"),
            pct(Some(p.baseline_covered_share)),
            tr(lang, "方法", "method"),
            tr(
                lang,
                "贪心最大覆盖（惰性评估），保证不低于最优解的 1 − 1/e ≈ 63%",
                "lazy greedy maximal coverage, guaranteed ≥ 1 − 1/e ≈ 63% of the optimum"
            )
        );
        let _ = writeln!(
            s,
            "| {} | lon, lat | {} | {} | {} |\n|---:|---|---:|---:|---|",
            tr(lang, "序号", "rank"),
            tr(lang, "新增覆盖居民", "newly covered residents"),
            tr(lang, "累计覆盖率", "cumulative coverage"),
            tr(lang, "服务社区", "communities served")
        );
        for x in &p.suggestions {
            let served: Vec<String> = x.served.iter().map(|(c, _)| a.communities[*c].name.clone()).collect();
            let _ = writeln!(
                s,
                "| {} | {:.6}, {:.6} | {:.1} | {} | {} |",
                x.rank,
                x.lon_lat[0],
                x.lon_lat[1],
                round(x.gain, 1),
                pct(Some(x.cumulative_covered_share)),
                served.join(", ")
            );
        }
        if p.suggestions.len() < p.result.picks.len().max(1) || p.suggestions.is_empty() {
            let _ = writeln!(s, "\n{}", tr(lang, "没有能再增加覆盖的候选点。", "No candidate adds coverage."));
        }
        let changed: Vec<usize> =
            (0..a.communities.len()).filter(|&c| p.before_after[c].0 != p.before_after[c].1).collect();
        if !changed.is_empty() {
            let _ = writeln!(
                s,
                "\n| {} | {} | {} |\n|---|---:|---:|",
                tr(lang, "社区", "community"),
                tr(lang, "之前", "before"),
                tr(lang, "之后", "after")
            );
            for c in changed {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} |",
                    a.communities[c].name,
                    pct(p.before_after[c].0),
                    pct(p.before_after[c].1)
                );
            }
        }
    }
    s
}

/// Report section: the scenario (with added/removed facilities) against the baseline.
pub fn scenario_section(base: &Analysis, a: &Analysis) -> String {
    let lang = a.profile.lang;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n## {}\n\n| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|",
        tr(lang, "情景与基准对比", "Scenario vs baseline"),
        tr(lang, "类别", "category"),
        tr(lang, "基准设施", "facilities (baseline)"),
        tr(lang, "情景设施", "facilities (scenario)"),
        tr(lang, "基准覆盖率", "covered (baseline)"),
        tr(lang, "情景覆盖率", "covered (scenario)")
    );
    for (k, c) in a.profile.categories.iter().enumerate() {
        let (b, x) = (&base.categories[k], &a.categories[k]);
        if b.facilities != x.facilities || b.stats.covered_share != x.stats.covered_share {
            let _ = writeln!(
                s,
                "| {} `{}` | {} | {} | {} | {} |",
                c.label(lang),
                c.id,
                b.facilities,
                x.facilities,
                pct(b.stats.covered_share),
                pct(x.stats.covered_share)
            );
        }
    }
    let _ = writeln!(
        s,
        "\n| {} | {} | {} | {} |\n|---|---|---:|---:|",
        tr(lang, "社区", "community"),
        tr(lang, "类别", "category"),
        tr(lang, "基准", "baseline"),
        tr(lang, "情景", "scenario")
    );
    for (ci, c) in a.communities.iter().enumerate() {
        for (k, cat) in a.profile.categories.iter().enumerate() {
            let (b, x) = (base.per_community[ci][k].stats.covered_share, a.per_community[ci][k].stats.covered_share);
            if b.map(|v| round(v, 4)) != x.map(|v| round(v, 4)) {
                let _ = writeln!(s, "| {} | {} | {} | {} |", c.name, cat.id, pct(b), pct(x));
            }
        }
    }
    s
}
