//! clap's own errors for a malformed command line, in Chinese: the kind of error and its context
//! (the flag, the value, the possible values, a suggestion) put into Chinese sentences, then the
//! usage line and the `--help` hint. The exit code stays clap's (2).
//!
//! Glossary: **context** — what clap attaches to an error (`ContextKind::InvalidArg`, the flag
//! as typed; `InvalidValue`; `ValidValue`, the possible values; `SuggestedArg` /
//! `SuggestedSubcommand`, the nearest correct spelling; `Usage`, the usage line).

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// A Rust number-parsing message (from a value parser) in Chinese, or as written.
fn parse_problem(text: &str) -> String {
    let zh = match text {
        "invalid digit found in string" => "含有非数字字符",
        "invalid float literal" => "不是有效的数",
        "cannot parse integer from empty string" | "cannot parse float from empty string" => "为空",
        "number too large to fit in target type" => "数值过大",
        "number too small to fit in target type" => "数值过小",
        "invalid value" => "无效",
        _ => return crate::zh_text::problem(text),
    };
    zh.to_string()
}

/// The Chinese text of a clap error (without a trailing newline), or `None` for help and version
/// output, which are not errors.
pub fn message(e: &clap::Error) -> Option<String> {
    let get = |k: ContextKind| e.get(k).map(ContextValue::to_string).unwrap_or_default();
    let has = |k: ContextKind| e.get(k).is_some();
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let mut lines = Vec::new();
    let lead = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return None;
        }
        ErrorKind::UnknownArgument => format!("未知参数 '{arg}'"),
        ErrorKind::InvalidValue if value.is_empty() => format!("参数 '{arg}' 需要一个值，但没有给出"),
        ErrorKind::InvalidValue => format!("参数 '{arg}' 的值 '{value}' 无效"),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| parse_problem(&s.to_string()));
            match why {
                Some(w) => format!("参数 '{arg}' 的值 '{value}' 无效：{w}"),
                None => format!("参数 '{arg}' 的值 '{value}' 无效"),
            }
        }
        ErrorKind::InvalidSubcommand => format!("未知命令 '{}'", get(ContextKind::InvalidSubcommand)),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{}", arg.replace(", ", "、")),
        ErrorKind::MissingSubcommand => format!("'{}' 需要一个子命令", get(ContextKind::InvalidSubcommand)),
        ErrorKind::NoEquals => format!("参数 '{arg}' 的值须用等号给出（{arg}=值）"),
        ErrorKind::TooManyValues => format!("参数 '{arg}' 的值过多：多出 '{value}'"),
        ErrorKind::TooFewValues => format!(
            "参数 '{arg}' 至少需要 {} 个值，只给了 {} 个",
            get(ContextKind::MinValues),
            get(ContextKind::ActualNumValues)
        ),
        ErrorKind::WrongNumberOfValues => format!(
            "参数 '{arg}' 需要 {} 个值，给了 {} 个",
            get(ContextKind::ExpectedNumValues),
            get(ContextKind::ActualNumValues)
        ),
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg);
            if prior.is_empty() || prior == arg {
                format!("参数 '{arg}' 不能多次给出")
            } else {
                format!("参数 '{arg}' 不能与 '{prior}' 同时使用")
            }
        }
        ErrorKind::InvalidUtf8 => "参数中含有无效的 UTF-8 文字".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    lines.push(format!("错误：{lead}"));
    let values = match e.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    if !values.is_empty() {
        lines.push(format!("  可选值：{values}"));
    }
    if has(ContextKind::SuggestedArg) {
        lines.push(format!("  提示：是否想用 '{}'？", get(ContextKind::SuggestedArg)));
    }
    if has(ContextKind::SuggestedSubcommand) {
        lines.push(format!("  提示：是否想用命令 '{}'？", get(ContextKind::SuggestedSubcommand)));
    }
    if has(ContextKind::SuggestedValue) {
        lines.push(format!("  提示：是否想用 '{}'？", get(ContextKind::SuggestedValue)));
    }
    if matches!(e.get(ContextKind::TrailingArg), Some(ContextValue::Bool(true))) {
        lines.push(format!("  提示：若要把 '{arg}' 当作值，请写作 '-- {arg}'"));
    }
    let usage = get(ContextKind::Usage);
    let usage = usage.trim();
    if !usage.is_empty() {
        let usage = usage.strip_prefix("Usage: ").unwrap_or(usage);
        lines.push(String::new());
        lines.push(format!("用法：{usage}"));
    }
    lines.push(String::new());
    lines.push("更多信息请用 '--help'。".to_string());
    Some(lines.join("\n"))
}
