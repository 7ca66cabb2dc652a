//! The command line in the user's language: which language a command line asks for, read before
//! clap parses it ([`peek_lang`]; the top level without a command follows the locale,
//! [`locale_lang`]); the Chinese help of `analyze`, `plan` and `template` ([`command`]); clap's own
//! errors in Chinese (`clap_error`); and a library error in Chinese ([`error_message`]).
//!
//! Glossary: **peek** — look at the raw arguments for `--lang`, `--profile` and `--osm` before
//! parsing, so the help and a parse error are already in that language; **lead** — the category
//! sentence of an error (“输入数据有误”), printed before the detail. The place (file, row or
//! feature, column) and the problem text of a library error are translated through
//! `crate::zh_text`, keeping file names, values and flags as written (see README, “In Chinese”).

use std::ffi::OsString;

use clap::CommandFactory;

mod clap_error;

use crate::cli::Cli;
use crate::error::Error;
use crate::profile::Lang;

/// The language a command line asks for: `--lang`, else the language of `--profile`, else of the
/// profile the run would pick (`zhejiang-2027`, Chinese, on the embedded extract; `default`,
/// English, with `--osm`; `batch` needs `--osm`, so it is Chinese with `--lang zh` or a Chinese
/// `--profile`). `template` is Chinese; other commands are English; no command: the locale
/// ([`locale_lang`]).
pub fn peek_lang(args: &[OsString]) -> Lang {
    let args: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let value = |flag: &str| -> Option<String> {
        let eq = format!("{flag}=");
        args.iter().enumerate().find_map(|(i, a)| {
            if a == flag { args.get(i + 1).cloned() } else { a.strip_prefix(&eq).map(str::to_string) }
        })
    };
    let command = args.iter().skip(1).find(|a| !a.starts_with('-')).map(String::as_str);
    if let Some(l) = value("--lang") {
        return if l == "zh" { Lang::Zh } else { Lang::En };
    }
    match command {
        Some("template") => return Lang::Zh,
        Some("analyze" | "plan" | "batch") => {}
        // `circle15`, `circle15 --help`: no command says which language; the locale does.
        None => return locale_lang(),
        _ => return Lang::En,
    }
    let profile = match value("--profile") {
        Some(p) => p,
        None if value("--osm").is_some() => crate::analyze::DEFAULT_PROFILE.to_string(),
        None => crate::analyze::DEFAULT_OSM_PROFILE.to_string(),
    };
    crate::profile::Profile::load(&profile, None).map_or(Lang::En, |p| p.lang)
}

/// The language of the user's locale: Chinese when `LC_ALL`, `LC_MESSAGES` or `LANG` (the first
/// one set, as POSIX orders them) starts with `zh`, else English.
pub fn locale_lang() -> Lang {
    let var = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    if var.is_some_and(|v| v.to_ascii_lowercase().starts_with("zh")) { Lang::Zh } else { Lang::En }
}

/// Chinese help of the flags, by clap argument id.
const ARGS_ZH: &[(&str, &str)] = &[
    (
        "osm",
        "OpenStreetMap 数据文件（.osm.pbf）；默认：内置的杭州市中心数据（2015 年 OSM），按 zhejiang-2027 指标方案分析",
    ),
    ("communities", "社区边界（GeoJSON、Shapefile 或 GeoPackage 面要素，含 name、population）；默认：由数据自动划分"),
    (
        "crs",
        "社区、单元和候选点图层的坐标系，优先于文件声明（.prj、GeoPackage 空间参考）：EPSG:4326、EPSG:4490（CGCS2000）、\
         EPSG:4549（CGCS2000 3° 高斯–克吕格，中央经线 120°E；4550：123°E；4528/4529 带带号）、UTM EPSG:326xx、gcj02、bd09",
    ),
    ("layer", "GeoPackage 中要读取的图层（表名）；默认：唯一的要素表"),
    ("encoding", "Shapefile 属性表（.dbf）的文字编码，如 gbk、gb18030、utf-8；默认：按 .cpg、代码页或自动识别"),
    ("sheet", "Excel 表（.xlsx）中要读取的工作表；默认：第一个"),
    (
        "facilities",
        "设施登记表（CSV 或 GeoJSON 点：类别、名称、经度、纬度、容量、普惠、坐标系）；模板见 circle15 template",
    ),
    ("facilities_mode", "设施表与 OSM 设施的关系：add 追加，replace 按表中类别替换"),
    (
        "complete",
        "声明这些类别的数据完整（逗号分隔的类别代码，或 all）：没有设施的类别也参与评估（全部居民计为未覆盖）",
    ),
    (
        "profile",
        "指标方案：内置名称或 TOML 文件（默认：内置数据用 zhejiang-2027 及 2027 年指标；给出 --osm 时用 default）",
    ),
    ("speed", "步行速度，米/秒（覆盖指标方案中的值）"),
    ("lang", "报告、帮助和错误信息的语言（默认：指标方案的语言）"),
    (
        "csv_encoding",
        "CSV 输出的编码：utf8-bom（中文默认，Excel 可直接打开）、utf8（英文默认）或 gbk（按 GB18030 写出）",
    ),
    ("year", "采用指标方案中该年份的目标"),
    ("out", "输出目录"),
    ("threads", "计算线程数（默认：全部核心）"),
    ("quiet", "不显示进度和汇总表"),
    ("export_graph", "同时输出 nodes.csv 和 edges.csv：实际搜索的步行路网"),
    ("clip", "只分析该范围（区县边界，GeoJSON 面）及其缓冲区"),
    ("halo_m", "裁剪范围外保留道路和设施的缓冲距离，米"),
    ("clip_crs", "裁剪边界的坐标系（国内边界数据多为 gcj02）"),
    ("units", "规划单元（GeoJSON 面，含 name、level：区、街道/镇、社区/村），或 osm：使用数据中的行政边界"),
    ("census", "按单元的人口普查表（名称或代码、常住人口、可选年龄列），按建筑面积分配；需要 --units"),
    ("population", "人口栅格（GeoTIFF），按网格分配到居住建筑"),
    ("isochrones", "isochrones.geojson 中的步行圈：category 每类一个，facility 另加每个设施一个，none 不输出"),
    ("no_isochrones", "不输出 isochrones.geojson（同 --isochrones none）"),
    ("no_html", "不输出 report.html"),
    (
        "basemap",
        "report.html 的底图：none 不加载瓦片（默认，完全离线）、osm、tianditu（天地图矢量）、tianditu-img（天地图影像），\
         或瓦片地址模板 https://…/{z}/{x}/{y}.png",
    ),
    ("basemap_key", "天地图密钥（tk），使用 tianditu 底图时必需"),
    ("svg", "同时输出每类设施的静态地图（map_<类别>.svg）"),
    ("png", "同时输出 PNG 地图（2000 像素宽，300 dpi）"),
    ("format", "图层格式：geojson（附 access.csv）、fgb（FlatGeobuf，附 access.fgb），或两者"),
    ("max_memory", "估计内存需求超过该值（MiB）时拒绝运行（默认：本机可用内存）"),
    ("plan", "建议选址：类别:数量（可重复）"),
    ("remove_facility", "情景分析：移除设施，如 node/123456（可重复）"),
    ("add_facility", "情景分析：新增设施 经度,纬度,类别[,容量]（WGS84，可重复）"),
    ("category", "选址类别（指标方案中的类别代码，如 kindergarten）"),
    ("count", "新增设施数量（使用 --budget 时可省略）"),
    ("capacity", "每处新增设施的容量（托位或床位）"),
    ("objective", "优化目标：coverage 新增覆盖居民，sfca 缩小两步移动搜索法（2SFCA）容量缺口"),
    ("candidates", "候选点位（GeoJSON 点或面，WGS84，可含 cost）；默认：社区内的路网节点"),
    ("budget", "所选点位的总成本上限（候选点需有 cost）"),
    ("verbose", "更多日志输出（-v 信息，-vv 调试），写到标准错误"),
];

/// Chinese descriptions of the subcommands.
const COMMANDS_ZH: &[(&str, &str)] = &[
    ("analyze", "计算每个社区的步行可达性、覆盖率和容量，结果写入 --out 目录"),
    ("plan", "先分析，再为某类设施建议 N 处新增点位，使未覆盖居民减少最多"),
    ("profile", "以 TOML 格式显示指标方案（内置名称或文件）"),
    ("batch", "一次分析一个省的全部区县：数据只解码一次，每个区县按 analyze --clip 输出，并汇总排名"),
    ("merge", "合并各分片（--shard）的输出，生成与单次 batch 相同的全省汇总"),
    ("template", "生成空白设施表和人口普查表模板（xlsx 和 CSV），表头为读取程序接受的中文列名"),
];

const TEMPLATE_ZH: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The `Template` flags' Chinese help (`out`, `lang` are shared ids with other meanings there).
const TEMPLATE_ARGS_ZH: &[(&str, &str)] = &[("out", "模板写入的目录"), ("lang", "表头语言：zh 中文（默认）或 en 英文")];

fn localise(cmd: clap::Command, args: &[(&str, &'static str)]) -> clap::Command {
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    let mut cmd = cmd
        .help_template(TEMPLATE_ZH)
        .disable_help_flag(true)
        .next_help_heading("选项")
        .arg(clap::Arg::new("help").short('h').long("help").action(clap::ArgAction::Help).help("显示帮助"));
    for id in ids {
        let zh = args.iter().find(|(k, _)| *k == id).map(|(_, v)| *v);
        cmd = cmd.mut_arg(id.as_str(), |a| {
            let a = a.help_heading("选项");
            match zh {
                Some(t) => a.help(t),
                None => a,
            }
        });
    }
    cmd
}

/// The command line definition in `lang`: English as declared, or with Chinese help for the
/// top level and the `analyze`, `plan` and `template` subcommands.
pub fn command(lang: Lang) -> clap::Command {
    let cmd = Cli::command();
    if lang == Lang::En {
        return cmd;
    }
    let mut cmd = cmd
        .about("15分钟公共服务圈分析工具：基于 OpenStreetMap 步行路网")
        .help_template(TEMPLATE_ZH)
        .subcommand_help_heading("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .next_help_heading("选项")
        .arg(clap::Arg::new("help").short('h').long("help").action(clap::ArgAction::Help).help("显示帮助"))
        .arg(clap::Arg::new("version").short('V').long("version").action(clap::ArgAction::Version).help("显示版本"))
        .mut_arg("verbose", |a| {
            a.help_heading("选项").help(ARGS_ZH.iter().find(|(k, _)| *k == "verbose").map_or("", |(_, v)| *v))
        });
    for (name, about) in COMMANDS_ZH {
        let args = if *name == "template" { TEMPLATE_ARGS_ZH } else { ARGS_ZH };
        let localise_args = matches!(*name, "analyze" | "plan" | "template" | "batch");
        cmd = cmd.mut_subcommand(name, |c| {
            let c = c.about(*about);
            if localise_args {
                localise(c, args)
            } else {
                // The top level's help flag is replaced; each subcommand needs its own.
                c.disable_help_flag(true)
                    .arg(clap::Arg::new("help").short('h').long("help").action(clap::ArgAction::Help).help("显示帮助"))
            }
        });
    }
    cmd
}

/// Parses the process arguments with help in their language: `(flags, language)`. A malformed
/// command line exits as clap does (code 2), with clap's message in Chinese in a Chinese run.
pub fn parse() -> (Cli, Lang) {
    use clap::FromArgMatches;
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = peek_lang(&args);
    let matches = match command(lang).try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => match clap_error::message(&e).filter(|_| lang == Lang::Zh) {
            Some(text) => {
                eprintln!("{text}");
                std::process::exit(e.exit_code())
            }
            None => e.exit(),
        },
    };
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => (cli, lang),
        Err(e) => e.exit(),
    }
}

/// `错误：…` in Chinese: the category of a library error, its place (file, row or feature, column)
/// and its problem text in Chinese (`crate::zh_text`). Errors that are not library errors (e.g. a
/// thread pool that cannot start) keep their English text behind the Chinese lead.
pub fn error_message(e: &anyhow::Error, lang: Lang) -> String {
    if lang == Lang::En {
        return format!("error: {e:#}");
    }
    let Some(err) = e.chain().find_map(|c| c.downcast_ref::<Error>()) else {
        return format!("错误：{e:#}");
    };
    format!("错误：{}", error_text(err, lang))
}

/// A library error as one line without the `error:` / `错误：` lead: its English `Display`, or in
/// Chinese its category, place and problem text (`crate::zh_text`), file names and values kept.
pub fn error_text(err: &Error, lang: Lang) -> String {
    if lang == Lang::En {
        return err.to_string();
    }
    let place = |p: &str| -> String {
        // "row 3, column `lon`" → "第 3 行，列 `lon`"; other places as written.
        let mut out = p.to_string();
        if let Some(rest) = p.strip_prefix("row ") {
            let (n, tail) = rest.split_once(',').map_or((rest, ""), |(n, t)| (n, t));
            if n.trim().chars().all(|c| c.is_ascii_digit()) {
                let tail = tail.trim_start();
                let tail = match tail.strip_prefix("column ") {
                    Some(c) => format!("，列 {c}"),
                    None if tail.is_empty() => String::new(),
                    None => format!("，{tail}"),
                };
                out = format!("第 {} 行{tail}", n.trim());
            }
        } else if let Some(rest) = p.strip_prefix("feature ") {
            out = format!("要素 {rest}");
        } else if let Some(zh) = crate::zh_text::translate(p) {
            out = zh;
        }
        out
    };
    let msg = |m: &str| crate::zh_text::problem(m);
    match err {
        Error::Io { path, cause } => {
            let why = match cause.kind() {
                std::io::ErrorKind::NotFound => "文件或目录不存在".to_string(),
                std::io::ErrorKind::PermissionDenied => "没有权限".to_string(),
                _ => cause.to_string(),
            };
            format!("无法读取 {}：{why}", path.display())
        }
        Error::Pbf { path, msg: m } => format!("{}：不是有效的 OSM PBF 文件：{}", path.display(), msg(m)),
        Error::Profile { path, msg: m } => format!("指标方案 {path} 有误：{}", msg(m)),
        Error::Input { path, place: p, msg: m } => {
            format!("输入数据有误：{}：{}：{}", path.display(), place(p), msg(m))
        }
        Error::Write { path, cause } => {
            let why = match cause.kind() {
                std::io::ErrorKind::PermissionDenied => "没有权限".to_string(),
                std::io::ErrorKind::StorageFull => "磁盘空间不足".to_string(),
                _ => cause.to_string(),
            };
            format!("无法写入 {}：{why}", path.display())
        }
        Error::Config(m) => format!("参数有误：{}", msg(m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_peeked_from_lang_profile_and_osm() {
        assert_eq!(peek_lang(&os(&["circle15", "analyze"])), Lang::Zh, "embedded Hangzhou: zhejiang-2027");
        assert_eq!(peek_lang(&os(&["circle15", "analyze", "--osm", "x.pbf"])), Lang::En);
        assert_eq!(peek_lang(&os(&["circle15", "analyze", "--osm", "x.pbf", "--lang", "zh"])), Lang::Zh);
        assert_eq!(peek_lang(&os(&["circle15", "analyze", "--lang=en"])), Lang::En);
        assert_eq!(peek_lang(&os(&["circle15", "plan", "--osm", "x", "--profile", "zhejiang-2027"])), Lang::Zh);
        assert_eq!(peek_lang(&os(&["circle15", "profile", "zhejiang-2027"])), Lang::En);
        assert_eq!(peek_lang(&os(&["circle15", "analyze", "--profile", "no-such.toml"])), Lang::En);
    }

    #[test]
    fn every_analyze_and_plan_flag_has_chinese_help() {
        let cmd = command(Lang::Zh);
        for sub in ["analyze", "plan", "template"] {
            let c = cmd.find_subcommand(sub).unwrap();
            for a in c.get_arguments() {
                let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                assert!(
                    help.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{sub} --{}: help not in Chinese: {help:?}",
                    a.get_id()
                );
            }
        }
    }

    #[test]
    fn chinese_errors_keep_the_file_and_row() {
        let e: anyhow::Error = Error::input("设施.csv", "row 3, column `lon`", "`lon` = abc").into();
        assert_eq!(error_message(&e, Lang::Zh), "错误：输入数据有误：设施.csv：第 3 行，列 `lon`：`lon` = abc");
        assert_eq!(error_message(&e, Lang::En), "error: 设施.csv: row 3, column `lon`: `lon` = abc");
        let e: anyhow::Error = Error::Io { path: "a.pbf".into(), cause: std::io::ErrorKind::NotFound.into() }.into();
        assert_eq!(error_message(&e, Lang::Zh), "错误：无法读取 a.pbf：文件或目录不存在");
    }
}
