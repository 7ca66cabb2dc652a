//! Which categories are assessed, and why the others are not: the first lines of `report.md`,
//! `report.html` and the console table.
//!
//! Glossary: **assessed** — the category has at least one facility in the inputs, or the user
//! declared its data complete; **not assessed (no data)** — neither, so its figures would measure
//! missing data, not missing service (see [`crate::model::Assessment`]).

use super::i18n::Label;
use crate::model::{Analysis, Assessment};
use crate::profile::Lang;

/// The column names a facility table needs (as `--facilities` reads them), in the report's language.
pub fn table_columns(lang: Lang) -> &'static str {
    Label::FacilityTableColumns.text(lang)
}

/// Category indices with the given assessment.
pub fn with(a: &Analysis, which: Assessment) -> Vec<usize> {
    (0..a.profile.categories.len()).filter(|&k| a.categories[k].assessment == which).collect()
}

fn names(a: &Analysis, ks: &[usize], counts: bool) -> String {
    let lang = a.profile.lang;
    ks.iter()
        .map(|&k| {
            let c = &a.profile.categories[k];
            if counts {
                format!("{} `{}` ({})", c.label(lang), c.id, a.categories[k].facilities)
            } else {
                format!("{} `{}`", c.label(lang), c.id)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The assessment in a few lines of plain text (Markdown inline code marks category ids).
pub fn lines(a: &Analysis) -> Vec<String> {
    let lang = a.profile.lang;
    let yes = with(a, Assessment::Facilities);
    let declared = with(a, Assessment::DeclaredComplete);
    let no = with(a, Assessment::NoData);
    let mut out = Vec::new();
    out.push(format!(
        "{} ({}): {}",
        Label::AssessedCategories.text(lang),
        yes.len(),
        if yes.is_empty() { "–".to_string() } else { names(a, &yes, true) }
    ));
    if !declared.is_empty() {
        out.push(format!(
            "{} ({}): {}",
            Label::DeclaredCompleteCategories.text(lang),
            declared.len(),
            names(a, &declared, false)
        ));
    }
    if !no.is_empty() {
        out.push(format!("{} ({}): {}", Label::NotAssessedCategories.text(lang), no.len(), names(a, &no, false)));
        let columns = table_columns(lang);
        out.push(match lang {
            Lang::Zh => format!(
                "这些类别在输入中没有任何设施：缺的是数据，不一定是服务。它们不计入综合指数、差距排名、gaps.csv \
                 和地图着色。如需评估，请用 `--facilities 文件.csv` 提供设施表（列：{columns}），或确认数据完整后用 \
                 `--complete 类别` 声明（此时全部居民计为未覆盖）。"
            ),
            Lang::En => format!(
                "These categories have no facility in the inputs: what is missing is data, not necessarily service. \
                 They are left out of the composite index, the gap ranking, gaps.csv and the map colouring. To assess \
                 them, supply a facility table with `--facilities FILE.csv` (columns: {columns}), or, if the \
                 inputs really hold every such facility, declare it with `--complete CATEGORY` (then every resident \
                 counts as unserved)."
            ),
        });
    }
    out
}
