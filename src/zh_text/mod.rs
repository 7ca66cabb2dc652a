//! The library's problem texts in Chinese: every error detail and warning the library writes in
//! English is translated here, through one pattern table ([`table::PROBLEMS_ZH`]), for the
//! Chinese error lines (`cli_lang::error_message`), the `提示：` warnings and the data-quality
//! section of the Chinese reports (`report::i18n::warning`) and the batch console lines.
//!
//! Glossary: **pattern** — an English text with `{}` standing for a value, paired with its
//! Chinese text, where `{0}`, `{1}`, … are the values in the English order; **value** — what a
//! `{}` matched: a file name, a number, a column or flag name (kept verbatim), or a nested
//! English problem text, itself translated; **kind** — the heading of a folded warning
//! (`communities with zero population: 3 (…)`, [`table::KINDS_ZH`]).
//!
//! Coverage: `coverage.rs` lexes `src/` and fails when an English sentence literal of an error or
//! warning has no pattern, so a new English-only message fails the tests.

pub mod table;

#[cfg(test)]
mod coverage;

/// The values of `text` matched against the English `pattern` (`{}` = any text, shortest first,
/// backtracking), or `None`.
pub fn match_pattern<'t>(pattern: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let pieces: Vec<&str> = pattern.split("{}").collect();
    let rest = text.strip_prefix(pieces[0])?;
    let mut values = Vec::new();
    match_rest(&pieces[1..], rest, &mut values).then_some(values)
}

fn match_rest<'t>(pieces: &[&str], rest: &'t str, values: &mut Vec<&'t str>) -> bool {
    let Some((piece, more)) = pieces.split_first() else { return rest.is_empty() };
    if more.is_empty() {
        // The last value runs to the end, before the last piece.
        return match rest.strip_suffix(piece) {
            Some(v) => {
                values.push(v);
                true
            }
            None => false,
        };
    }
    if piece.is_empty() {
        return false; // two values side by side cannot be told apart
    }
    let mut from = 0;
    while let Some(k) = rest[from..].find(piece) {
        let at = from + k;
        values.push(&rest[..at]);
        if match_rest(more, &rest[at + piece.len()..], values) {
            return true;
        }
        values.pop();
        from = at + piece.len().max(1);
    }
    false
}

/// How much fixed text a pattern has: of several matching patterns the most specific wins.
fn fixed_len(pattern: &str) -> usize {
    pattern.replace("{}", "").len()
}

/// `text` in Chinese through [`table::PROBLEMS_ZH`] (values translated in turn, up to a few
/// levels), or `None` when no pattern matches.
pub fn translate(text: &str) -> Option<String> {
    translate_at(text, 0)
}

fn translate_at(text: &str, depth: usize) -> Option<String> {
    if depth > 4 || text.is_empty() {
        return None;
    }
    if let Some((_, zh)) = table::VALUES_ZH.iter().find(|(en, _)| *en == text) {
        return Some(zh.to_string());
    }
    let mut best: Option<(usize, &str, Vec<&str>)> = None;
    for (en, zh) in table::PROBLEMS_ZH {
        if best.as_ref().is_some_and(|b| b.0 >= fixed_len(en)) {
            continue;
        }
        if let Some(values) = match_pattern(en, text) {
            best = Some((fixed_len(en), zh, values));
        }
    }
    let (_, zh, values) = best?;
    let mut out = String::with_capacity(zh.len() + text.len());
    let mut rest = zh;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c);
        let index = close.and_then(|c| rest[open + 1..c].parse::<usize>().ok());
        match (close, index) {
            (Some(c), Some(i)) => {
                out.push_str(&rest[..open]);
                let v = values.get(i).copied().unwrap_or("");
                out.push_str(&translate_at(v, depth + 1).unwrap_or_else(|| v.to_string()));
                rest = &rest[c + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// `text` in Chinese, or as written when no pattern matches (a text from another library, e.g.
/// an operating-system or TOML parser message).
pub fn problem(text: &str) -> String {
    translate(text).unwrap_or_else(|| text.to_string())
}

/// A folded warning line (`kind: count (examples, … and N more)`, or `text (×N)`) in Chinese: the
/// kind through [`table::KINDS_ZH`], each example and a single warning through [`problem`].
pub fn warning_line(line: &str) -> String {
    // `text (×N)`: the same warning N times.
    if let Some(open) = line.rfind(" (×")
        && line.ends_with(')')
        && line[open + 4..line.len() - 1].chars().all(|c| c.is_ascii_digit())
    {
        return format!("{}（×{}）", warning_line(&line[..open]), &line[open + 4..line.len() - 1]);
    }
    for (kind, zh) in table::KINDS_ZH {
        let Some(rest) = line.strip_prefix(kind).and_then(|r| r.strip_prefix(": ")) else { continue };
        // `N (a, b, c, … and M more)` or one item.
        let counted = rest.split_once(" (").filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty());
        return match counted.and_then(|(n, list)| list.strip_suffix(')').map(|l| (n, l))) {
            Some((n, list)) => {
                let (list, more) = match list.rsplit_once(", … and ") {
                    Some((l, m)) => (l, m.strip_suffix(" more").map(|m| format!("，……另 {m} 项"))),
                    None => (list, None),
                };
                let items: Vec<String> = list.split(", ").map(problem).collect();
                format!("{zh}：{n}（{}{}）", items.join("，"), more.unwrap_or_default())
            }
            None => format!("{zh}：{}", problem(rest)),
        };
    }
    problem(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_with_backtracking() {
        assert_eq!(match_pattern("{} is not a number", "\"a b\" is not a number"), Some(vec!["\"a b\""]));
        assert_eq!(match_pattern("a {}: {} b", "a x: y: z b"), Some(vec!["x", "y: z"]));
        assert_eq!(match_pattern("a {}", "b"), None);
        assert_eq!(match_pattern("{}, column {}", "row 1, column `lon`"), Some(vec!["row 1", "`lon`"]));
    }

    #[test]
    fn nested_texts_are_translated_and_values_kept() {
        let zh = problem("`lon` = \"abc\" is not a number");
        assert_eq!(zh, "`lon` = \"abc\" 不是数字");
        let zh = problem("--crs \"EPSG:9999\": unknown coordinate system EPSG:9999: whatever else");
        assert!(zh.contains("--crs \"EPSG:9999\"") && zh.contains("未知坐标系"), "{zh}");
        assert_eq!(problem("something no pattern knows"), "something no pattern knows");
    }

    #[test]
    fn folded_warning_lines_keep_counts_and_examples() {
        let line = "communities with zero population: 5 (c1 (甲), c2 (乙), c3 (丙), … and 2 more)";
        assert_eq!(warning_line(line), "人口为零的社区：5（c1 (甲)，c2 (乙)，c3 (丙)，……另 2 项）");
        assert_eq!(warning_line("communities with zero population: c1 (甲)"), "人口为零的社区：c1 (甲)");
        assert_eq!(warning_line("no data rows (×2)"), "没有数据行（×2）", "a repeated single warning keeps its count");
    }
}
