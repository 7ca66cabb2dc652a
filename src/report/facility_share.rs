//! Facility-share indicators (`[[facility_share]]`) in the outputs: a `report.md` section and the
//! `facility_shares` member of `summary.json`.

use std::fmt::Write;

use serde_json::{Map, Value, json};

use super::format::{pct, round};
use super::md_table::{Align, MdTable};
use crate::analyze::Analysis;
use crate::profile::{Lang, TargetStatus};

fn result_text(lang: Lang, t: &crate::profile::FacilityShare, c: &crate::profile::ShareCount) -> &'static str {
    match (t.status, t.pass(c)) {
        (TargetStatus::DueIn(_), _) => lang.pick("尚未到期", "not yet due"),
        (_, Some(true)) => lang.pick("达标", "pass"),
        (_, Some(false)) => lang.pick("未达标", "fail"),
        (_, None) => lang.pick("未评估（无数据）", "not assessed (no data)"),
    }
}

/// The report section; empty when the profile has no facility-share indicators.
pub fn section(a: &Analysis) -> String {
    let p = &a.profile;
    if p.facility_shares.is_empty() {
        return String::new();
    }
    let lang = p.lang;
    let mut s = String::new();
    let _ = writeln!(s, "\n## {}\n", lang.pick("设施占比指标", "Facility-share targets"));
    let mut table = MdTable::new()
        .column(lang.pick("指标", "indicator"), Align::Left)
        .column(lang.pick("计入设施", "facilities counted"), Align::Right)
        .column(lang.pick("是", "yes"), Align::Right)
        .column(lang.pick("占比", "share"), Align::Right)
        .column(lang.pick("目标", "target"), Align::Left)
        .column(lang.pick("结果", "result"), Align::Left);
    for (t, c) in p.facility_shares.iter().zip(&a.facility_share_counts) {
        let st = t.status.text(lang);
        table.row(vec![
            format!("{} `{}`", t.label(lang), t.id),
            c.counted.to_string(),
            c.yes.to_string(),
            pct(c.share()),
            format!("≥ {:.0}%{}", 100.0 * t.min_share, if st.is_empty() { String::new() } else { format!(" ({st})") }),
            result_text(lang, t, c).to_string(),
        ]);
    }
    s.push_str(&table.render());
    let _ = writeln!(s);
    for (t, c) in p.facility_shares.iter().zip(&a.facility_share_counts) {
        let _ = write!(
            s,
            "- `{}`: {} {} `{}` {}",
            t.id,
            lang.pick("设施表中", "facility-table rows of"),
            t.categories.join(", "),
            t.attribute,
            if t.public_only { lang.pick("（仅公办/普惠行）", "(public rows only)") } else { "" }
        );
        if c.unknown > 0 {
            let _ = write!(
                s,
                "; {} {}",
                c.unknown,
                lang.pick("行未填该列，不计入", "rows leave the column blank, not counted")
            );
        }
        if c.counted == 0 {
            let _ = write!(
                s,
                "; {}",
                lang.pick(
                    "未评估：没有输入给出该列（--facilities 表的 meals / 助餐 / 提供助餐 列）",
                    "not assessed: no input gives the column (a --facilities table's meals / 助餐 / 提供助餐 column)"
                )
            );
        }
        let src = if t.source.is_empty() { crate::profile::default_label(lang) } else { t.source.as_str() };
        let _ = writeln!(s, ". {src}");
    }
    s
}

/// `summary.json`'s `facility_shares`: per indicator, the counts, share, target and source.
pub fn summary_json(a: &Analysis) -> Value {
    let mut out = Map::new();
    for (t, c) in a.profile.facility_shares.iter().zip(&a.facility_share_counts) {
        out.insert(
            t.id.clone(),
            json!({
                "categories": t.categories,
                "attribute": t.attribute,
                "public_only": t.public_only,
                "counted": c.counted,
                "yes": c.yes,
                "unknown": c.unknown,
                "share": c.share().map(|v| round(v, 4)),
                "min_share": t.min_share,
                "assessed": c.counted > 0,
                "pass": t.pass(c),
                "source": t.source,
                "status": t.status,
            }),
        );
    }
    Value::Object(out)
}
