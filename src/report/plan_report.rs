//! Outputs of site planning and what-if scenarios: `suggestions.geojson` and the report sections
//! "suggested sites" (with a before/after table per community) and "scenario vs baseline".

use std::fmt::Write;

use serde_json::{Value, json};

use super::ATTRIBUTION;
use super::format::{fixed, pct, round};
use super::md_table::{Align, MdTable};
use crate::analyze::Analysis;
use crate::plan::suggest::{CapacityFigures, SitePlan};
use crate::profile::PlanObjective;

fn is_sfca(p: &SitePlan) -> bool {
    p.objective == PlanObjective::Sfca
}

/// `suggestions.geojson`: one point per suggested site.
pub fn suggestions_geojson(a: &Analysis, plans: &[SitePlan]) -> Vec<u8> {
    let mut feats = Vec::new();
    for p in plans {
        let cat = &a.profile.categories[p.category];
        let unit = if is_sfca(p) { "places" } else { "residents" };
        for s in &p.suggestions {
            let served: Vec<Value> = s
                .served
                .iter()
                .map(|(c, w)| json!({"id": a.communities[*c].id, "name": a.communities[*c].name, unit: round(*w, 1)}))
                .collect();
            let mut props = json!({
                "rank": s.rank,
                "category": cat.id,
                "objective": p.objective,
                "gain": round(s.gain, 1),
                "gain_unit": unit,
                "cumulative_covered": round(s.cumulative_covered, 1),
                "cumulative_covered_share": round(s.cumulative_covered_share, 4),
                "capacity": p.capacity,
                "node": s.node,
                "served_communities": served,
            });
            let m = props.as_object_mut().expect("object");
            if let Some(r) = s.ratio {
                m.insert("ratio_per_1000".into(), json!(round(1000.0 * r, 3)));
            }
            if let Some(d) = s.catchment_demand {
                m.insert("catchment_demand".into(), json!(round(d, 1)));
            }
            if let Some(r) = s.remaining_shortfall {
                m.insert("remaining_shortfall".into(), json!(round(r, 1)));
            }
            if let (Some(c), Some(t)) = (s.cost, s.cumulative_cost) {
                m.insert("cost".into(), json!(c));
                m.insert("cumulative_cost".into(), json!(round(t, 6)));
            }
            feats.push(json!({
                "type": "Feature",
                "properties": props,
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
        let sfca = is_sfca(p);
        let budgeted = p.budget.is_some();
        let _ = writeln!(
            s,
            "\n## {} — {} `{}`\n",
            lang.pick("建议新增设施点位", "Suggested sites"),
            cat.label(lang),
            cat.id
        );
        for sc in a.profile.plan_scenarios.iter().filter(|sc| sc.category == cat.id) {
            let _ = writeln!(
                s,
                "- {} `{}`: {} {} ({}) — {}\n",
                lang.pick(
                    "规划新增设施数（规划投入，非覆盖目标）",
                    "plan's count of new sites (a plan input, not a coverage target)"
                ),
                sc.id,
                sc.count,
                lang.pick("处", "sites"),
                sc.year,
                sc.source
            );
        }
        let method = match (sfca, budgeted) {
            (false, false) => lang.pick(
                "贪心最大覆盖（惰性评估），保证不低于最优解的 1 − 1/e ≈ 63%",
                "lazy greedy maximal coverage, guaranteed ≥ 1 − 1/e ≈ 63% of the optimum",
            ),
            (true, false) => lang.pick(
                "贪心缩小两步移动搜索法（2SFCA）容量缺口（惰性评估），保证不低于最优解的 1 − 1/e ≈ 63%",
                "lazy greedy 2SFCA shortfall reduction, guaranteed ≥ 1 − 1/e ≈ 63% of the optimum",
            ),
            (_, true) => lang.pick(
                "预算约束下按单位成本收益贪心，并与最佳单个可负担点比较（Khuller–Moss–Naor），保证不低于最优解的 ½(1 − 1/e) ≈ 32%",
                "cost-benefit lazy greedy within the budget, compared with the best single affordable site \
                 (Khuller–Moss–Naor), guaranteed ≥ ½(1 − 1/e) ≈ 32% of the optimum",
            ),
        };
        let _ = writeln!(
            s,
            "{}: {} · {}: {} · {}: {}",
            lang.pick("候选点", "candidates"),
            p.candidates,
            lang.pick("现状覆盖率", "coverage now"),
            pct(Some(p.baseline_covered_share)),
            lang.pick("方法", "method"),
            method
        );
        if let Some(c) = p.capacity {
            let _ = write!(s, "\n{}: {}", lang.pick("每处容量", "capacity per site"), fixed(Some(c), 0));
        }
        if let Some(b) = p.baseline_shortfall {
            let _ = write!(
                s,
                " · {}: {}",
                lang.pick("现状缺口（逐点）", "shortfall now (point by point)"),
                fixed(Some(b), 1)
            );
        }
        if let Some(b) = p.budget {
            let _ = write!(s, " · {}: {}", lang.pick("预算", "budget"), b);
        }
        s.push('\n');
        if p.single_instead {
            let _ = writeln!(
                s,
                "\n{}",
                lang.pick(
                    "最佳单个可负担点优于按成本收益贪心选出的组合，故只建议该点。",
                    "The best single affordable site beats the cost-benefit greedy set: it alone is suggested."
                )
            );
        }
        let gain_head = if sfca {
            lang.pick("缩小缺口（名额）", "shortfall closed (places)")
        } else {
            lang.pick("新增覆盖居民", "newly covered residents")
        };
        let mut table = MdTable::new()
            .column(lang.pick("序号", "rank"), Align::Right)
            .column("lon, lat", Align::Left)
            .column(gain_head, Align::Right)
            .column(lang.pick("累计覆盖率", "cumulative coverage"), Align::Right);
        if sfca {
            table.push_column(lang.pick("千人供给比", "ratio per 1,000"), Align::Right);
            table.push_column(lang.pick("剩余缺口", "shortfall left"), Align::Right);
        }
        if budgeted {
            table.push_column(lang.pick("成本", "cost"), Align::Right);
            table.push_column(lang.pick("累计成本", "cumulative cost"), Align::Right);
        }
        table.push_column(lang.pick("服务社区", "communities served"), Align::Left);
        for x in &p.suggestions {
            let served: Vec<String> = x.served.iter().map(|(c, _)| a.communities[*c].name.clone()).collect();
            let mut row = vec![
                x.rank.to_string(),
                format!("{:.6}, {:.6}", x.lon_lat[0], x.lon_lat[1]),
                format!("{:.1}", round(x.gain, 1)),
                pct(Some(x.cumulative_covered_share)),
            ];
            if sfca {
                row.extend([fixed(x.ratio.map(|r| 1000.0 * r), 3), fixed(x.remaining_shortfall, 1)]);
            }
            if budgeted {
                row.extend([fixed(x.cost, 2), fixed(x.cumulative_cost, 2)]);
            }
            row.push(served.join(", "));
            table.row(row);
        }
        let _ = write!(s, "\n{}", table.render());
        if p.suggestions.is_empty() {
            let _ = writeln!(s, "\n{}", lang.pick("没有能再增加覆盖的候选点。", "No candidate adds coverage."));
        }
        let changed: Vec<usize> =
            (0..a.communities.len()).filter(|&c| p.before_after[c].0 != p.before_after[c].1).collect();
        if !changed.is_empty() {
            let mut table = MdTable::new()
                .column(lang.pick("社区", "community"), Align::Left)
                .column(lang.pick("之前", "before"), Align::Right)
                .column(lang.pick("之后", "after"), Align::Right);
            for c in changed {
                table.row(vec![a.communities[c].name.clone(), pct(p.before_after[c].0), pct(p.before_after[c].1)]);
            }
            let _ = write!(s, "\n{}", table.render());
        }
        if let Some((before, after)) = p.area_capacity {
            let mut table = MdTable::new()
                .column(lang.pick("社区", "community"), Align::Left)
                .column(lang.pick("千人指标 之前", "per 1,000 before"), Align::Right)
                .column(lang.pick("千人指标 之后", "per 1,000 after"), Align::Right)
                .column(lang.pick("容量缺口 之前", "shortfall before"), Align::Right)
                .column(lang.pick("容量缺口 之后", "shortfall after"), Align::Right);
            let figures = |name: String, b: &CapacityFigures, x: &CapacityFigures| {
                vec![name, fixed(b.per_1000, 3), fixed(x.per_1000, 3), fixed(b.shortfall, 1), fixed(x.shortfall, 1)]
            };
            table.row(figures(lang.pick("全域", "whole area").into(), &before, &after));
            for (c, (b, x)) in p.capacity_before_after.iter().enumerate() {
                if b != x {
                    table.row(figures(a.communities[c].name.clone(), b, x));
                }
            }
            let _ = write!(s, "\n{}", table.render());
        }
    }
    s
}

/// Report section: the scenario (with added/removed facilities) against the baseline.
pub fn scenario_section(base: &Analysis, a: &Analysis) -> String {
    let lang = a.profile.lang;
    let mut s = String::new();
    let _ = writeln!(s, "\n## {}\n", lang.pick("情景与基准对比", "Scenario vs baseline"));
    let mut table = MdTable::new()
        .column(lang.pick("类别", "category"), Align::Left)
        .column(lang.pick("基准设施", "facilities (baseline)"), Align::Right)
        .column(lang.pick("情景设施", "facilities (scenario)"), Align::Right)
        .column(lang.pick("基准覆盖率", "covered (baseline)"), Align::Right)
        .column(lang.pick("情景覆盖率", "covered (scenario)"), Align::Right);
    for (k, c) in a.profile.categories.iter().enumerate() {
        let (b, x) = (&base.categories[k], &a.categories[k]);
        if b.facilities != x.facilities || b.stats.covered_share != x.stats.covered_share {
            table.row(vec![
                format!("{} `{}`", c.label(lang), c.id),
                b.facilities.to_string(),
                x.facilities.to_string(),
                pct(b.stats.covered_share),
                pct(x.stats.covered_share),
            ]);
        }
    }
    s.push_str(&table.render());
    let mut table = MdTable::new()
        .column(lang.pick("社区", "community"), Align::Left)
        .column(lang.pick("类别", "category"), Align::Left)
        .column(lang.pick("基准", "baseline"), Align::Right)
        .column(lang.pick("情景", "scenario"), Align::Right);
    for (ci, c) in a.communities.iter().enumerate() {
        for (k, cat) in a.profile.categories.iter().enumerate() {
            let (b, x) = (base.per_community[ci][k].stats.covered_share, a.per_community[ci][k].stats.covered_share);
            if b.map(|v| round(v, 4)) != x.map(|v| round(v, 4)) {
                table.row(vec![c.name.clone(), cat.id.clone(), pct(b), pct(x)]);
            }
        }
    }
    let _ = write!(s, "\n{}", table.render());
    s
}
