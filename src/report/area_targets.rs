//! Area targets in the outputs: the `report.md` section (study area and failing units), the
//! `area_targets` member of `summary.json` and the `area_<id>_*` properties of `units.geojson`.

use std::fmt::Write;

use serde_json::{Map, Value, json};

use super::format::{fixed, json_num, round};
use super::i18n::Label;
use super::md_table::{Align, MdTable};
use crate::areas::evaluate;
use crate::model::Analysis;
use crate::profile::Lang;

/// Residents of the study area: the sum over the communities.
pub fn study_population(a: &Analysis) -> f64 {
    a.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum()
}

fn pass_text(lang: Lang, p: Option<bool>) -> &'static str {
    match p {
        Some(true) => Label::Pass.text(lang),
        Some(false) => Label::Fail.text(lang),
        None => "–",
    }
}

fn result_text(lang: Lang, t: &crate::profile::AreaTarget, p: Option<bool>) -> &'static str {
    match t.status {
        crate::profile::TargetStatus::DueIn(_) => Label::NotYetDue.text(lang),
        _ => pass_text(lang, p),
    }
}

/// The report section; `unit_population[u]` are the units' residents from the roll-up (`None`
/// without units). Empty when the profile has no area targets.
pub fn section(a: &Analysis, unit_population: Option<&[f64]>) -> String {
    let p = &a.profile;
    if p.area_targets.is_empty() {
        return String::new();
    }
    let lang = p.lang;
    let pop = study_population(a);
    let mut s = String::new();
    let _ = writeln!(s, "\n## {}\n", Label::AreaBasedTargets.text(lang));
    let mut table = MdTable::new()
        .column(Label::Indicator.text(lang), Align::Left)
        .column("m²", Align::Right)
        .column(Label::Residents.text(lang), Align::Right)
        .column(Label::Value.text(lang), Align::Right)
        .column(Label::Target.text(lang), Align::Right)
        .column(Label::Result.text(lang), Align::Left)
        .column(Label::FailingUnits.text(lang), Align::Left);
    for (t, m) in p.area_targets.iter().zip(&a.area_measures) {
        let v = evaluate(t, m.total_m2, pop);
        let failing: Vec<String> = match unit_population {
            // A district-wide figure (全区): units are context, listed below, never failing.
            Some(_) if t.district_only => Vec::new(),
            Some(up) => a
                .units
                .iter()
                .enumerate()
                .filter_map(|(u, unit)| {
                    let uv = evaluate(t, m.unit_m2[u], up[u]);
                    (uv.pass == Some(false)).then(|| format!("{} ({})", unit.name, fixed(uv.value, 2)))
                })
                .collect(),
            None => Vec::new(),
        };
        table.row(vec![
            format!("{} `{}`", t.label(lang), t.id),
            format!("{:.0}", round(m.total_m2, 0)),
            format!("{:.0}", round(pop, 0)),
            fixed(v.value, 2),
            format!("≥ {}{}", t.min_value, target_note(lang, t)),
            result_text(lang, t, v.pass).to_string(),
            format!(
                "{}{}",
                failing.iter().take(20).cloned().collect::<Vec<_>>().join(", "),
                if failing.len() > 20 { " …" } else { "" }
            ),
        ]);
    }
    s.push_str(&table.render());
    let _ = writeln!(s);
    for (t, m) in p.area_targets.iter().zip(&a.area_measures) {
        let unit =
            if t.kind.is_floor() { Label::M2Per10000Residents.text(lang) } else { Label::M2PerResident.text(lang) };
        let _ = write!(s, "- `{}` ({unit}): {} {}", t.id, m.features, Label::OsmObjects.text(lang));
        if t.kind.is_floor() {
            let _ = write!(
                s,
                "; {} {} = {} ({:.0} m²)",
                m.levels_assumed,
                Label::LevelsAssumed.text(lang),
                t.default_levels,
                round(m.assumed_m2, 0)
            );
        } else {
            let _ = write!(s, "; {} {:.0} m²", Label::OverlapsCountedOnce.text(lang), round(m.overlap_m2, 0));
        }
        if !t.source.is_empty() {
            let _ = write!(s, ". {}", t.source);
        }
        if t.district_only
            && let Some(up) = unit_population
        {
            let ctx: Vec<String> = a
                .units
                .iter()
                .enumerate()
                .take(30)
                .map(|(u, unit)| format!("{} {}", unit.name, fixed(evaluate(t, m.unit_m2[u], up[u]).value, 2)))
                .collect();
            let _ = write!(
                s,
                ". {}: {}{}",
                Label::DistrictWideContext.text(lang),
                ctx.join(", "),
                if a.units.len() > 30 { " …" } else { "" }
            );
        }
        let _ = writeln!(s);
    }
    s
}

/// Status and provenance printed beside a target value: not yet due / carried forward, recalled,
/// district-wide.
fn target_note(lang: Lang, t: &crate::profile::AreaTarget) -> String {
    let mut parts: Vec<String> = Vec::new();
    let st = t.status.text(lang);
    if !st.is_empty() {
        parts.push(st);
    }
    if t.recalled {
        parts.push(Label::Recalled.text(lang).into());
    }
    if t.district_only {
        parts.push(Label::DistrictWide.text(lang).into());
    }
    if t.source.is_empty() && !t.recalled {
        parts.push(crate::profile::default_label(lang).into());
    }
    if parts.is_empty() { String::new() } else { format!(" ({})", parts.join("; ")) }
}

/// `summary.json`'s `area_targets`: per target, the study-area figures.
pub fn summary_json(a: &Analysis) -> Value {
    let pop = study_population(a);
    let mut out = Map::new();
    for (t, m) in a.profile.area_targets.iter().zip(&a.area_measures) {
        let v = evaluate(t, m.total_m2, pop);
        out.insert(
            t.id.clone(),
            json!({
                "kind": t.kind.as_str(),
                "area_m2": json_num(Some(m.total_m2), 1),
                "population": json_num(Some(pop), 1),
                "value": json_num(v.value, 4),
                "min_value": t.min_value,
                "pass": v.pass,
                "source": t.source,
                "status": t.status,
                "recalled": t.recalled,
                "scope": if t.district_only { "district" } else { "unit" },
                "features": m.features,
                "levels_assumed": m.levels_assumed,
                "assumed_m2": json_num(Some(m.assumed_m2), 1),
                "overlap_m2": json_num(Some(m.overlap_m2), 1),
            }),
        );
    }
    Value::Object(out)
}

/// Adds `area_<id>_m2`, `area_<id>_value` and `area_<id>_pass` of unit `u` (with `population`
/// residents) to a units.geojson feature's properties.
pub fn unit_props(a: &Analysis, u: usize, population: f64, props: &mut Map<String, Value>) {
    for (t, m) in a.profile.area_targets.iter().zip(&a.area_measures) {
        let v = evaluate(t, m.unit_m2[u], population);
        props.insert(format!("area_{}_m2", t.id), json_num(Some(v.area_m2), 1));
        props.insert(format!("area_{}_value", t.id), json_num(v.value, 4));
        // A district-wide target does not pass or fail per unit.
        props.insert(format!("area_{}_pass", t.id), if t.district_only { Value::Null } else { json!(v.pass) });
    }
}
