//! Outputs of site planning and what-if scenarios: `suggestions.geojson` and the report sections
//! "suggested sites" (with a before/after table per community) and "scenario vs baseline".

use std::fmt::Write;

use serde_json::{Value, json};

use super::ATTRIBUTION;
use super::format::{fixed, pct, round};
use super::i18n::Label;
use super::md_table::{Align, MdTable};
use crate::model::Analysis;
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
        let _ = writeln!(s, "\n## {} — {} `{}`\n", Label::SuggestedSites.text(lang), cat.label(lang), cat.id);
        for sc in a.profile.plan_scenarios.iter().filter(|sc| sc.category == cat.id) {
            let _ = writeln!(
                s,
                "- {} `{}`: {} {} ({}) — {}\n",
                Label::PlanSiteCount.text(lang),
                sc.id,
                sc.count,
                Label::Sites.text(lang),
                sc.year,
                sc.source
            );
        }
        let method = match (sfca, budgeted) {
            (false, false) => Label::MethodGreedyCoverage.text(lang),
            (true, false) => Label::MethodGreedySfca.text(lang),
            (_, true) => Label::MethodBudgeted.text(lang),
        };
        let _ = writeln!(
            s,
            "{}: {} · {}: {} · {}: {}",
            Label::Candidates.text(lang),
            p.candidates,
            Label::CoverageNow.text(lang),
            pct(Some(p.baseline_covered_share)),
            Label::Method.text(lang),
            method
        );
        if let Some(c) = p.capacity {
            let _ = write!(s, "\n{}: {}", Label::CapacityPerSite.text(lang), fixed(Some(c), 0));
        }
        if let Some(b) = p.baseline_shortfall {
            let _ = write!(s, " · {}: {}", Label::ShortfallNow.text(lang), fixed(Some(b), 1));
        }
        if let Some(b) = p.budget {
            let _ = write!(s, " · {}: {}", Label::Budget.text(lang), b);
        }
        s.push('\n');
        if p.single_instead {
            let _ = writeln!(s, "\n{}", Label::SingleSiteInstead.text(lang));
        }
        let gain_head =
            if sfca { Label::ShortfallClosedPlaces.text(lang) } else { Label::NewlyCoveredResidents.text(lang) };
        let mut table = MdTable::new()
            .column(Label::Rank.text(lang), Align::Right)
            .column("lon, lat", Align::Left)
            .column(gain_head, Align::Right)
            .column(Label::CumulativeCoverage.text(lang), Align::Right);
        if sfca {
            table.push_column(Label::RatioPer1000.text(lang), Align::Right);
            table.push_column(Label::ShortfallLeft.text(lang), Align::Right);
        }
        if budgeted {
            table.push_column(Label::Cost.text(lang), Align::Right);
            table.push_column(Label::CumulativeCost.text(lang), Align::Right);
        }
        table.push_column(Label::CommunitiesServed.text(lang), Align::Left);
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
            let _ = writeln!(s, "\n{}", Label::NoCandidateAddsCoverage.text(lang));
        }
        let changed: Vec<usize> =
            (0..a.communities.len()).filter(|&c| p.before_after[c].0 != p.before_after[c].1).collect();
        if !changed.is_empty() {
            let mut table = MdTable::new()
                .column(Label::Community.text(lang), Align::Left)
                .column(Label::Before.text(lang), Align::Right)
                .column(Label::After.text(lang), Align::Right);
            for c in changed {
                table.row(vec![a.communities[c].name.clone(), pct(p.before_after[c].0), pct(p.before_after[c].1)]);
            }
            let _ = write!(s, "\n{}", table.render());
        }
        if let Some((before, after)) = p.area_capacity {
            let mut table = MdTable::new()
                .column(Label::Community.text(lang), Align::Left)
                .column(Label::Per1000Before.text(lang), Align::Right)
                .column(Label::Per1000After.text(lang), Align::Right)
                .column(Label::ShortfallBefore.text(lang), Align::Right)
                .column(Label::ShortfallAfter.text(lang), Align::Right);
            let figures = |name: String, b: &CapacityFigures, x: &CapacityFigures| {
                vec![name, fixed(b.per_1000, 3), fixed(x.per_1000, 3), fixed(b.shortfall, 1), fixed(x.shortfall, 1)]
            };
            table.row(figures(Label::WholeArea.text(lang).into(), &before, &after));
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
    let _ = writeln!(s, "\n## {}\n", Label::ScenarioVsBaseline.text(lang));
    let mut table = MdTable::new()
        .column(Label::Category.text(lang), Align::Left)
        .column(Label::FacilitiesBaseline.text(lang), Align::Right)
        .column(Label::FacilitiesScenario.text(lang), Align::Right)
        .column(Label::CoveredBaseline.text(lang), Align::Right)
        .column(Label::CoveredScenario.text(lang), Align::Right);
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
        .column(Label::Community.text(lang), Align::Left)
        .column(Label::Category.text(lang), Align::Left)
        .column(Label::Baseline.text(lang), Align::Right)
        .column(Label::Scenario.text(lang), Align::Right);
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
