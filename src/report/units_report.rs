//! Report section on planning units: per-unit roll-ups and the presence indicators of the plan
//! ("老年学校 in 100% of 镇街", …), listing the units that fail each.

use std::fmt::Write;

use super::format::{fixed, pct, round};
use super::i18n::Label;
use super::md_table::{Align, MdTable};
use crate::model::Analysis;
use crate::profile::Lang;
use crate::units::{PresenceResult, Unit, UnitFigures};

pub fn units_section(a: &Analysis, units: &[Unit], figures: &[UnitFigures], presence: &[PresenceResult]) -> String {
    let lang = a.profile.lang;
    let mut s = String::new();
    let _ = writeln!(s, "\n## {}\n", Label::PlanningUnits.text(lang));
    let cats: Vec<usize> = (0..a.profile.categories.len())
        .filter(|&k| a.profile.categories[k].weight > 0.0 && a.categories[k].assessment.assessed())
        .collect();
    let mut table = MdTable::new()
        .column(Label::Unit.text(lang), Align::Left)
        .column(Label::Level.text(lang), Align::Left)
        .column(Label::Population.text(lang), Align::Right);
    for &k in &cats {
        table.push_column(a.profile.categories[k].id.clone(), Align::Right);
    }
    table.push_column(Label::Score.text(lang), Align::Right);
    for (u, f) in units.iter().zip(figures) {
        let mut row = vec![u.name.clone(), u.level.clone(), format!("{:.0}", round(f.population, 1))];
        row.extend(cats.iter().map(|&k| pct(f.categories[k].covered_share)));
        row.push(fixed(f.score, 1));
        table.row(row);
    }
    s.push_str(&table.render());
    if !a.profile.presence.is_empty() {
        let _ = writeln!(s, "\n## {}\n", Label::PresenceIndicators.text(lang));
        let mut table = MdTable::new()
            .column(Label::Indicator.text(lang), Align::Left)
            .column(Label::Units.text(lang), Align::Right)
            .column(Label::SharePassing.text(lang), Align::Right)
            .column(Label::Target.text(lang), Align::Right)
            .column(Label::FailingUnits.text(lang), Align::Left)
            .column(Label::SourceDocumentSectionYear.text(lang), Align::Left);
        for (p, r) in a.profile.presence.iter().zip(presence) {
            let label = if lang == Lang::Zh && !p.label_zh.is_empty() { &p.label_zh } else { &p.label_en };
            let failing: Vec<&str> = r.failing.iter().take(20).map(|&u| units[u].name.as_str()).collect();
            table.row(vec![
                format!("{} `{}`", label, p.id),
                r.units.len().to_string(),
                if r.assessed { pct(r.share) } else { Label::NotAssessed.text(lang).into() },
                format!(
                    "{:.0}%{}",
                    100.0 * p.min_share,
                    match p.status.text(lang) {
                        t if t.is_empty() => String::new(),
                        t => format!(" ({t})"),
                    }
                ),
                format!("{}{}", failing.join(", "), if r.failing.len() > 20 { " …" } else { "" }),
                if p.source.is_empty() { crate::profile::default_label(lang) } else { p.source.as_str() }.to_string(),
            ]);
        }
        s.push_str(&table.render());
    }
    s
}
