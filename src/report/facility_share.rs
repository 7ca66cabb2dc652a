//! Facility-share indicators (`[[facility_share]]`) in the outputs: a `report.md` section and the
//! `facility_shares` member of `summary.json`.

use std::fmt::Write;

use serde_json::{Map, Value, json};

use super::format::{pct, round};
use super::i18n::Label;
use super::md_table::{Align, MdTable};
use crate::model::Analysis;
use crate::profile::{Lang, TargetStatus};

fn result_text(lang: Lang, t: &crate::profile::FacilityShare, c: &crate::profile::ShareCount) -> &'static str {
    match (t.status, t.pass(c)) {
        (TargetStatus::DueIn(_), _) => Label::NotYetDue.text(lang),
        (_, Some(true)) => Label::Pass.text(lang),
        (_, Some(false)) => Label::Fail.text(lang),
        (_, None) => Label::NotAssessed.text(lang),
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
    let _ = writeln!(s, "\n## {}\n", Label::FacilityShareTargets.text(lang));
    let mut table = MdTable::new()
        .column(Label::Indicator.text(lang), Align::Left)
        .column(Label::FacilitiesCounted.text(lang), Align::Right)
        .column(Label::Yes.text(lang), Align::Right)
        .column(Label::Share.text(lang), Align::Right)
        .column(Label::Target.text(lang), Align::Left)
        .column(Label::Result.text(lang), Align::Left);
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
            Label::FacilityTableRows.text(lang),
            t.categories.join(", "),
            t.attribute,
            if t.public_only { Label::PublicRowsOnly.text(lang) } else { "" }
        );
        if c.unknown > 0 {
            let _ = write!(s, "; {} {}", c.unknown, Label::RowsLeaveColumnBlankCounted.text(lang));
        }
        if c.counted == 0 {
            let _ = write!(s, "; {}", Label::ShareNotAssessedNoColumn.text(lang));
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
