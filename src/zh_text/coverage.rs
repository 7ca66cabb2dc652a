//! The coverage proof of the Chinese problem texts: every English sentence a user can be shown
//! from the library's errors and warnings is a literal in `src/`; this test lexes the sources,
//! takes every string literal with a run of three or more ASCII words outside test modules,
//! comments and log/progress calls, and checks that it lies inside an English pattern of
//! [`super::table::PROBLEMS_ZH`] or [`super::table::KINDS_ZH`] (which hold the patterns of the
//! report's own `WARNINGS_ZH` too) — or is on [`NOT_SHOWN`], with the reason.
//!
//! Glossary: **literal** — a Rust string literal, escapes resolved, `{…}` placeholders written
//! `{}`; **covered** — the literal's text, placeholders included, is part of a pattern.

use std::path::{Path, PathBuf};

/// Literals with English words that never reach a user's screen in a Chinese run, by file and a
/// piece of their text, with the reason.
const NOT_SHOWN: &[(&str, &str, &str)] = &[
    ("cli.rs", "15-minute public-service circle", "clap's English about; the Chinese one is in cli_lang"),
    ("lib.rs", "{bar:30}", "progress-bar template (its words are ASCII field names)"),
    ("lib.rs", "selected from them", "expect() message of an invariant"),
    ("main.rs", "serialising the results", "bench-only (English command)"),
    ("main.rs", "--json needs a file name", "bench-only (English command)"),
    ("main.rs", "the bench subcommand is not in this build", "bench is an English command"),
    ("cli.rs", "--tile {}: must be between", "bench flag (English command)"),
    ("cli.rs", "--threads: a list of thread counts", "bench flag (English command)"),
    ("cli.rs", "--runs {}: must be between", "bench flag (English command)"),
    ("profile/mod.rs", "# Targets as applied", "`circle15 profile` output, an English command"),
    ("profile/mod.rs", "#   facility_share", "`circle15 profile` output, an English command"),
    ("profile/mod.rs", "#   plan scenario", "`circle15 profile` output, an English command"),
    ("profile/mod.rs", "carried forward from", "`circle15 profile` and English report notes"),
    ("profile/mod.rs", "target for {}, not yet due", "`circle15 profile` and English report notes"),
    ("profile/mod.rs", "default (no plan figure)", "`circle15 profile` and English report notes"),
    ("profile/mod.rs", "recalled, not in the seeds", "English report note (Label::Recalled in Chinese)"),
    ("geom/tmerc.rs", "WGS 84 / UTM zone", "coordinate-system name (a proper name)"),
    ("geom/tmerc.rs", "Gauss-Kruger CM", "coordinate-system name (a proper name)"),
    ("io/layer/gpkg.rs", "SELECT ", "SQL"),
    (
        "error.rs",
        "not a valid OSM PBF file",
        "the English Display; cli_lang::error_message writes each variant's Chinese lead",
    ),
    (
        "error.rs",
        "no such file or directory",
        "the English Display; cli_lang::error_message names the I/O error in Chinese",
    ),
    (
        "io/layer/gpkg.rs",
        "spatial reference system {}",
        "the name of an SRS row (a place), followed by a covered problem",
    ),
];

/// Call heads whose literal arguments are never shown as a problem text: logs, progress steps,
/// assertions and invariants.
const SILENT_CALLS: &[&str] = &[
    "tracing::",
    "info!(",
    "debug!(",
    "warn!(",
    "trace!(",
    "step(",
    "stage(",
    ".expect(",
    "assert!(",
    "assert_eq!(",
    "debug_assert!(",
    "debug_assert_eq!(",
    "debug_assert_ne!(",
    "assert_ne!(",
    "unreachable!(",
    "panic!(",
    ".context(",
    "with_template(",
    "progress(",
];

/// `(byte offset, literal text)` of the string literals of Rust source `src` (normal, raw, byte),
/// comments and char literals skipped.
pub(crate) fn literals(src: &str) -> Vec<(usize, String)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'\'' => {
                // A char literal ('x', '\n', '\'', '"', '“') or a lifetime ('a).
                let rest = &src[i + 1..];
                let mut chars = rest.char_indices();
                match chars.next() {
                    Some((_, '\\')) => {
                        let close = rest[1..].find('\'').map_or(rest.len(), |k| k + 2);
                        i += 1 + close;
                    }
                    Some((_, c)) if rest[c.len_utf8()..].starts_with('\'') => i += 2 + c.len_utf8(),
                    _ => i += 1,
                }
            }
            b'r' if (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let start = j + 1;
                let end = src[start..].find(&close).map_or(src.len(), |k| start + k);
                out.push((i, src[start..end].to_string()));
                i = end + close.len();
            }
            b'"' => {
                let start = i;
                i += 1;
                let mut text = String::new();
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        match b.get(i + 1) {
                            Some(b'\n') => {
                                i += 2;
                                while i < b.len() && (b[i] as char).is_ascii_whitespace() {
                                    i += 1;
                                }
                                continue;
                            }
                            Some(b'n') => text.push('\n'),
                            Some(b't') => text.push('\t'),
                            Some(&c) => text.push(c as char),
                            None => {}
                        }
                        i += 2;
                        continue;
                    }
                    let ch = src[i..].chars().next().unwrap_or(' ');
                    text.push(ch);
                    i += ch.len_utf8();
                }
                i += 1;
                out.push((start, text));
            }
            _ => i += 1,
        }
    }
    out
}

/// The literal with its `{…}` placeholders written `{}` and `{{`/`}}` as single braces.
pub(crate) fn normalise(lit: &str) -> String {
    let mut out = String::new();
    let mut chars = lit.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                }
                out.push_str("{}");
            }
            _ => out.push(c),
        }
    }
    while out.contains("{}{}") {
        out = out.replace("{}{}", "{}");
    }
    out.trim_end_matches('\n').to_string()
}

/// Whether `text` holds a run of three or more ASCII words separated by single spaces (the
/// English-sentence test of tests/it/zh_conventions.rs), placeholders not counted as words.
fn english_sentence(text: &str) -> bool {
    let t = normalise(text).replace("{}", "\u{0}");
    let mut run = 0;
    let mut prev_space = false;
    let mut word = false;
    for c in t.chars() {
        if c.is_ascii_alphabetic() || ((c == '\'' || c == '-') && word) {
            if !word {
                run = if prev_space { run + 1 } else { 1 };
                word = true;
                if run >= 3 {
                    return true;
                }
            }
            prev_space = false;
        } else if c == ' ' && word {
            word = false;
            prev_space = true;
        } else {
            word = false;
            prev_space = false;
            run = 0;
        }
    }
    false
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The text without `#[cfg(test)]` items (brace-matched), as tests/it/architecture.rs.
fn strip_test_items(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let semi = after.find(';').unwrap_or(after.len());
        let Some(open) = after.find('{') else { break };
        if semi < open {
            rest = &after[semi + 1..];
            continue;
        }
        let mut depth = 0usize;
        let mut end = after.len();
        for (j, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The source files whose literals can become a problem text or a warning: everything but the
/// report writers (their words are `report::i18n` labels), the benchmarks and the translators.
fn scanned_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut out = Vec::new();
    for p in files {
        let rel = p.strip_prefix(&root).unwrap_or(&p).to_string_lossy().replace('\\', "/");
        let skip = (rel.starts_with("report/") && rel != "report/basemap.rs")
            || rel.starts_with("bench/")
            || rel.starts_with("zh_text/")
            || rel == "cli_lang.rs"
            || rel.starts_with("cli_lang/")
            || rel.ends_with("tests.rs")
            || rel.starts_with("plan/") && !rel.ends_with("suggest.rs")
            || rel.starts_with("route/");
        if skip {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        out.push((rel, strip_test_items(&text)));
    }
    out.sort();
    out
}

/// Whether the literal at `at` is an argument of a log/progress/assertion call: the statement
/// before it (back to the last `;`, `{` or `}` outside the call) names one of [`SILENT_CALLS`].
fn in_silent_call(src: &str, at: usize) -> bool {
    let before = &src[..at];
    let start = before.rfind([';', '}']).map_or(0, |k| k + 1);
    let stmt = &before[start..];
    SILENT_CALLS.iter().any(|c| stmt.contains(c))
}

/// The uncovered literals: `(file, line, normalised text)`.
pub(crate) fn uncovered() -> Vec<(String, usize, String)> {
    let patterns: Vec<String> = super::table::PROBLEMS_ZH
        .iter()
        .chain(super::table::KINDS_ZH)
        .chain(super::table::VALUES_ZH)
        .map(|(en, _)| en.to_string())
        .collect();
    let mut out = Vec::new();
    for (rel, src) in scanned_files() {
        for (at, lit) in literals(&src) {
            if !english_sentence(&lit) || in_silent_call(&src, at) {
                continue;
            }
            let norm = normalise(&lit);
            if NOT_SHOWN.iter().any(|(f, piece, _)| rel == *f && (lit.contains(piece) || norm.contains(piece))) {
                continue;
            }
            if patterns.iter().any(|p| p.contains(&norm) || p.contains(&lit)) {
                continue;
            }
            let line = src[..at].matches('\n').count() + 1;
            out.push((rel.clone(), line, norm));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lexer_reads_strings_and_skips_chars_and_comments() {
        let src = "let a = '\"'; // \"not this\"\nlet b = \"one {x} two \\\n      three\"; let c = r#\"raw \"q\"\"#; let d: &'static str = \"x\";";
        let lits: Vec<String> = literals(src).into_iter().map(|l| l.1).collect();
        assert_eq!(lits, vec!["one {x} two three", "raw \"q\"", "x"]);
        assert_eq!(normalise("{a:?} b {{z}} {}"), "{} b {z} {}");
        assert!(english_sentence("{} is not a number"));
        assert!(!english_sentence("lon/lat"));
    }

    #[test]
    fn every_english_problem_text_in_src_has_a_chinese_pattern() {
        let missing = uncovered();
        let list: Vec<String> = missing.iter().map(|(f, l, t)| format!("{f}:{l}: {t}")).collect();
        assert!(missing.is_empty(), "{} literals without a Chinese pattern:\n{}", missing.len(), list.join("\n"));
    }
}
