//! Report section on planning units: per-unit roll-ups and the presence indicators of the plan
//! ("老年学校 in 100% of 镇街", …), listing the units that fail each.

use std::fmt::Write;

use super::round;
use crate::analyze::Analysis;
use crate::profile::Lang;
use crate::units::{PresenceResult, Unit, UnitFigures};

fn pct(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{:.1}%", 100.0 * round(v, 4)))
}

pub fn units_section(a: &Analysis, units: &[Unit], figures: &[UnitFigures], presence: &[PresenceResult]) -> String {
    let lang = a.profile.lang;
    let mut s = String::new();
    let _ = writeln!(s, "\n## {}\n", lang.pick("规划单元汇总", "Planning units"));
    let _ = write!(
        s,
        "| {} | {} | {} |",
        lang.pick("单元", "unit"),
        lang.pick("层级", "level"),
        lang.pick("人口", "population")
    );
    let cats: Vec<usize> = (0..a.profile.categories.len())
        .filter(|&k| a.profile.categories[k].weight > 0.0 && a.categories[k].assessment.assessed())
        .collect();
    for &k in &cats {
        let _ = write!(s, " {} |", a.profile.categories[k].id);
    }
    let _ = writeln!(s, " {} |", lang.pick("指数", "score"));
    let _ = writeln!(s, "|---|---|---:|{}---:|", "---:|".repeat(cats.len()));
    for (u, f) in units.iter().zip(figures) {
        let _ = write!(s, "| {} | {} | {:.0} |", u.name, u.level, round(f.population, 1));
        for &k in &cats {
            let _ = write!(s, " {} |", pct(f.categories[k].covered_share));
        }
        let _ = writeln!(s, " {} |", f.score.map_or("–".into(), |v| format!("{:.1}", v)));
    }
    if !a.profile.presence.is_empty() {
        let _ = writeln!(
            s,
            "\n## {}\n\n| {} | {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---|---|",
            lang.pick("设施覆盖单元指标", "Presence indicators"),
            lang.pick("指标", "indicator"),
            lang.pick("单元数", "units"),
            lang.pick("达标比例", "share passing"),
            lang.pick("目标", "target"),
            lang.pick("未达标单元", "failing units"),
            lang.pick("来源（文件、条目、年份）", "source (document, section, year)")
        );
        for (p, r) in a.profile.presence.iter().zip(presence) {
            let label = if lang == Lang::Zh && !p.label_zh.is_empty() { &p.label_zh } else { &p.label_en };
            let failing: Vec<&str> = r.failing.iter().take(20).map(|&u| units[u].name.as_str()).collect();
            let _ = writeln!(
                s,
                "| {} `{}` | {} | {} | {:.0}%{} | {}{} | {} |",
                label,
                p.id,
                r.units.len(),
                if r.assessed {
                    pct(r.share)
                } else {
                    lang.pick("未评估（无数据）", "not assessed (no data)").into()
                },
                100.0 * p.min_share,
                match p.status.text(lang) {
                    t if t.is_empty() => String::new(),
                    t => format!(" ({t})"),
                },
                failing.join(", "),
                if r.failing.len() > 20 { " …" } else { "" },
                if p.source.is_empty() { crate::profile::default_label(lang) } else { p.source.as_str() }
            );
        }
    }
    s
}
