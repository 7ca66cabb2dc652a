//! Report section on planning units: per-unit roll-ups and the presence indicators of the plan
//! ("老年学校 in 100% of 镇街", …), listing the units that fail each.

use std::fmt::Write;

use super::format::{fixed, pct, round};
use super::md_table::{Align, MdTable};
use crate::analyze::Analysis;
use crate::profile::Lang;
use crate::units::{PresenceResult, Unit, UnitFigures};

pub fn units_section(a: &Analysis, units: &[Unit], figures: &[UnitFigures], presence: &[PresenceResult]) -> String {
    let lang = a.profile.lang;
    let mut s = String::new();
    let _ = writeln!(s, "\n## {}\n", lang.pick("规划单元汇总", "Planning units"));
    let cats: Vec<usize> = (0..a.profile.categories.len())
        .filter(|&k| a.profile.categories[k].weight > 0.0 && a.categories[k].assessment.assessed())
        .collect();
    let mut table = MdTable::new()
        .column(lang.pick("单元", "unit"), Align::Left)
        .column(lang.pick("层级", "level"), Align::Left)
        .column(lang.pick("人口", "population"), Align::Right);
    for &k in &cats {
        table.push_column(a.profile.categories[k].id.clone(), Align::Right);
    }
    table.push_column(lang.pick("指数", "score"), Align::Right);
    for (u, f) in units.iter().zip(figures) {
        let mut row = vec![u.name.clone(), u.level.clone(), format!("{:.0}", round(f.population, 1))];
        row.extend(cats.iter().map(|&k| pct(f.categories[k].covered_share)));
        row.push(fixed(f.score, 1));
        table.row(row);
    }
    s.push_str(&table.render());
    if !a.profile.presence.is_empty() {
        let _ = writeln!(s, "\n## {}\n", lang.pick("设施覆盖单元指标", "Presence indicators"));
        let mut table = MdTable::new()
            .column(lang.pick("指标", "indicator"), Align::Left)
            .column(lang.pick("单元数", "units"), Align::Right)
            .column(lang.pick("达标比例", "share passing"), Align::Right)
            .column(lang.pick("目标", "target"), Align::Right)
            .column(lang.pick("未达标单元", "failing units"), Align::Left)
            .column(lang.pick("来源（文件、条目、年份）", "source (document, section, year)"), Align::Left);
        for (p, r) in a.profile.presence.iter().zip(presence) {
            let label = if lang == Lang::Zh && !p.label_zh.is_empty() { &p.label_zh } else { &p.label_en };
            let failing: Vec<&str> = r.failing.iter().take(20).map(|&u| units[u].name.as_str()).collect();
            table.row(vec![
                format!("{} `{}`", label, p.id),
                r.units.len().to_string(),
                if r.assessed {
                    pct(r.share)
                } else {
                    lang.pick("未评估（无数据）", "not assessed (no data)").into()
                },
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
