//! `report.html`: one self-contained, offline page with the map, the headline table, charts and
//! gap tables of an analysis.
//!
//! Owns the page layout, its labels (Chinese or English, from the profile's `lang`), the data
//! blocks it embeds and the page script. Everything is inside the file: Leaflet 1.9.4 (vendored
//! in `vendor/leaflet/`, see `vendor/README.md`), the GeoJSON layers, the SVG charts (drawn in
//! Rust by [`svg_chart`]). Only the optional OpenStreetMap tile background needs the network;
//! offline, tile errors are ignored and the vector layers show on a plain background.
//!
//! Glossary:
//! - **data block**: a `<script type="application/json" id="c15-…">` element holding one
//!   GeoJSON or JSON document, with `</` written `<\/` and `<!--` written `\u003c!--` so no
//!   content can close the element early; the page script reads them with `JSON.parse`.
//! - **DOM hooks**: community shapes are SVG paths with class `c15-community` (and
//!   `data-c15-id`), facility markers paths with class `c15-facility` (and `c15-cat-<id>`),
//!   suggested sites `c15-suggestion`. The browser test counts them.
//! - **self-test**: opened with `#selftest` in the URL, the page counts its rendered shapes and
//!   markers, clicks the first named community, reads the popup and writes a JSON result into
//!   `<pre id="selftest">` (and `document.title` = `selftest:ok` / `selftest:fail`); the tiles are
//!   not requested.
//! - **URL options**: after `#`, joined by `&`: `selftest`, `notiles` (no tile requests),
//!   `cat=<category id>` (walk-shed, unserved residents and histogram), `colour=<score|category
//!   id>` (community colouring), `view=<lat>,<lon>,<zoom>`, `unserved` (show that layer).
//! - **unserved residents**: demand points whose walk to the nearest facility of the selected
//!   category exceeds its threshold (or the search cap), drawn as circles whose area follows the
//!   residents at the point.
//!
//! Size: the page embeds `communities.geojson` and `facilities.geojson` as written, the merged
//! per-category walk-sheds only (the per-facility ones, written to `isochrones.geojson` with
//! `--isochrones facility`, are left out), and the demand points as compact arrays. Bytes are
//! deterministic.

#[path = "svg_chart.rs"]
pub mod svg_chart;

use std::fmt::Write;

use serde_json::{Value, json};

use super::{ATTRIBUTION, geojson_out, round};
use crate::analyze::Analysis;
use crate::profile::Lang;
use crate::route::UNREACHED;
use svg_chart::{Bar, HistLabels, esc};

const LEAFLET_JS: &str = include_str!("../../vendor/leaflet/leaflet.js");
const LEAFLET_CSS: &str = include_str!("../../vendor/leaflet/leaflet.css");
const LEAFLET_LICENSE: &str = include_str!("../../vendor/leaflet/LICENSE");

/// Optional inputs produced by other stages; `None` leaves the matching layer or section out.
#[derive(Clone, Debug, Default)]
pub struct HtmlExtras {
    /// `isochrones.geojson` bytes, or a FeatureCollection of some of its features; the
    /// `kind: "category"` features are shown.
    pub isochrones: Option<Vec<u8>>,
    /// `suggestions.geojson` bytes (points with `rank`, `category`, `gain`, …).
    pub suggestions: Option<Vec<u8>>,
    /// Ready HTML of the gap tables (trusted, inserted as is).
    pub gap_tables_html: Option<String>,
    /// `communities.geojson` / `facilities.geojson` already rendered by the caller (rendered here
    /// when `None`).
    pub communities_geojson: Option<Vec<u8>>,
    pub facilities_geojson: Option<Vec<u8>>,
}

/// Category colours, by category index (cycled).
const PALETTE: [&str; 15] = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324", "#469990", "#800000",
    "#808000", "#000075", "#e6a800", "#bfef45", "#fabed4",
];

/// The page's words, in the profile's language.
struct Words {
    lang: Lang,
}

impl Words {
    fn get(&self, key: &str) -> &'static str {
        let (zh, en) = match key {
            "title" => ("15分钟公共服务圈评估报告", "15-minute public-service circle report"),
            "input" => ("数据", "Input"),
            "profile" => ("评估方案", "Profile"),
            "year" => ("年份", "Year"),
            "population" => ("人口", "Population"),
            "communities" => ("社区", "Communities"),
            "overall_score" => ("综合得分", "Overall score"),
            "colour_by" => ("社区着色", "Colour communities by"),
            "category_select" => {
                ("类别（步行圈、未覆盖居民、步行时间分布）", "Category (walk-shed, unserved residents, walking times)")
            }
            "category" => ("类别", "Category"),
            "covered" => ("覆盖率", "Covered"),
            "covered_share" => ("人口覆盖率", "covered share"),
            "mean" => ("平均步行", "Mean walk"),
            "p90" => ("90%分位步行", "90th pct walk"),
            "per_1000" => ("千人指标", "Per 1000"),
            "quota" => ("千人指标要求", "Quota per 1000"),
            "pass" => ("达标", "Pass"),
            "yes" => ("是", "yes"),
            "no" => ("否", "no"),
            "min" => ("分钟", "min"),
            "facilities" => ("设施", "Facilities"),
            "unserved" => ("未覆盖居民", "Unserved residents"),
            "walkshed" => ("步行圈", "Walk-shed"),
            "suggestions" => ("建议选址", "Suggested sites"),
            "osm_tiles" => ("OpenStreetMap 底图（需联网）", "OpenStreetMap tiles (online)"),
            "no_background" => ("无底图", "No background"),
            "no_data" => ("无数据", "no data"),
            "not_assessed" => ("未评估（无数据）", "not assessed (no data)"),
            "threshold" => ("阈值", "Threshold"),
            "target" => ("目标", "Target"),
            "score" => ("得分", "Score"),
            "failing" => ("未达标社区", "Failing communities"),
            "headline" => ("各类设施概况", "Categories at a glance"),
            "charts" => ("图表", "Charts"),
            "coverage_chart" => ("各类别人口覆盖率（竖线：目标）", "Residents covered per category (tick: target)"),
            "histogram" => ("步行时间分布", "Walking time to the nearest facility"),
            "beyond_cap" => ("超出搜索上限", "beyond the search cap"),
            "gaps" => ("差距分析", "Gaps"),
            "warnings" => ("提示", "Warnings"),
            "residents" => ("居民", "residents"),
            "capacity" => ("容量", "Capacity"),
            "not_attached" => ("未接入路网（未计入）", "not attached to the network (not used)"),
            "rank" => ("序号", "Rank"),
            "gain" => ("新增覆盖", "Gain"),
            "legend" => ("图例", "Legend"),
            "colour_is_category" => ("颜色表示类别", "colour = category"),
            "map" => ("地图", "Map"),
            "circle_area" => ("圆面积 ∝ 居民数", "circle area ∝ residents"),
            "estimated" => ("估算", "estimated"),
            "given" => ("给定", "given"),
            "walkshed_note" => (
                "步行圈：所选类别任一设施在阈值内可步行到达的街道两侧各 25 米范围",
                "Walk-shed: 25 m either side of the streets walkable within the threshold from a facility of the selected category",
            ),
            "data_attr" => ("数据 © OpenStreetMap 贡献者，ODbL 1.0", "Data © OpenStreetMap contributors, ODbL 1.0"),
            "no_isochrones" => ("（本报告未包含步行圈）", "(no walk-sheds in this report)"),
            _ => ("", ""),
        };
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Text of a JSON document safe inside a `<script>` element.
#[cfg(test)]
fn script_json(text: &str) -> String {
    let mut s = String::new();
    push_script_json(&mut s, text);
    s
}

/// Appends `text` (trailing whitespace trimmed) with `</` written `<\/` and `<!--` written
/// `\u003c!--`, without an intermediate copy (the blocks are megabytes for a city).
fn push_script_json(out: &mut String, text: &str) {
    let text = text.trim_end();
    let mut last = 0;
    for (i, _) in text.match_indices('<') {
        let rest = &text[i..];
        let repl = if rest.starts_with("</") {
            "<\\/"
        } else if rest.starts_with("<!--") {
            "\\u003c!--"
        } else {
            continue;
        };
        out.push_str(&text[last..i]);
        out.push_str(repl);
        last = i + if repl.starts_with('<') { 2 } else { 4 };
    }
    out.push_str(&text[last..]);
}

fn data_block(out: &mut String, id: &str, text: &str) {
    let _ = write!(out, r#"<script type="application/json" id="{id}">"#);
    push_script_json(out, text);
    out.push_str("</script>\n");
}

fn pct(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{:.1}%", 100.0 * v))
}

fn fixed(x: Option<f64>, d: usize) -> String {
    x.map_or("–".into(), |v| format!("{v:.d$}"))
}

/// Keeps the `kind: "category"` features of `isochrones.geojson` (or of a collection of them
/// alone), copied as written: each feature is kept as raw text and only its `properties.kind`
/// is decoded, so no document tree of the ~30 MB file is built.
fn category_sheds(bytes: &[u8]) -> Option<String> {
    use serde_json::value::RawValue;
    #[derive(serde::Deserialize)]
    struct Doc<'a> {
        #[serde(borrow)]
        features: Vec<&'a RawValue>,
    }
    #[derive(serde::Deserialize)]
    struct Feature<'a> {
        #[serde(borrow)]
        properties: Props<'a>,
    }
    #[derive(serde::Deserialize)]
    struct Props<'a> {
        #[serde(borrow)]
        kind: Option<std::borrow::Cow<'a, str>>,
    }
    let doc: Doc<'_> = serde_json::from_slice(bytes).ok()?;
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    let mut n = 0;
    for f in doc.features {
        let feat: Feature<'_> = serde_json::from_str(f.get()).ok()?;
        if feat.properties.kind.as_deref() == Some("category") {
            if n > 0 {
                s.push(',');
            }
            s.push_str(f.get());
            n += 1;
        }
    }
    s.push_str("]}");
    Some(s)
}

/// Demand points as compact arrays: `lon`, `lat`, `pop` (residents) and per category a string
/// of `0`/`1` flags, `1` = beyond the threshold (unserved); `null` when the category has no
/// facility (everyone unserved).
/// Written straight into a string (no `Value` per number: a city has ~10^5 points).
fn demand_json(a: &Analysis) -> String {
    let mut s = String::with_capacity(a.demand.len() * (30 + a.profile.categories.len()) + 256);
    for (key, field) in [("lon", 0), ("lat", 1), ("pop", 2)] {
        s.push_str(if field == 0 { "{\"" } else { "],\"" });
        s.push_str(key);
        s.push_str("\":[");
        for (i, d) in a.demand.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            let v = match field {
                0 => round(d.point[0], 6),
                1 => round(d.point[1], 6),
                _ => round(d.population, 1),
            };
            // The same text as serde_json writes for an f64.
            let _ = match serde_json::Number::from_f64(v) {
                Some(n) => write!(s, "{n}"),
                None => write!(s, "null"),
            };
        }
    }
    s.push_str("],\"unserved\":{");
    for (k, cat) in a.profile.categories.iter().enumerate() {
        if k > 0 {
            s.push(',');
        }
        s.push_str(&serde_json::to_string(&cat.id).expect("serialisable"));
        s.push(':');
        let used = a.categories[k].facilities > a.categories[k].facilities_unattached;
        if !used || k >= a.times_ds.len() {
            s.push_str("null");
            continue;
        }
        let th = cat.threshold_ds();
        s.push('"');
        s.extend(a.demand_node.iter().map(|n| match n {
            Some(n) if a.times_ds[k][*n as usize] <= th => '0',
            _ => '1',
        }));
        s.push('"');
    }
    s.push_str("}}");
    s
}

/// Residents of each category's demand group by walking minute (1-minute bins up to the search
/// cap) and beyond the cap. A demand point's weight is its residents × its community's
/// demand-group share (`CoverageStats::demand` ÷ the community's residents at demand points), so
/// the bars add up to the coverage figures.
fn histograms(a: &Analysis) -> Vec<(Vec<f64>, f64)> {
    let nc = a.communities.len();
    let mut at_points = vec![0.0; nc];
    for d in &a.demand {
        at_points[d.community as usize] += d.population;
    }
    a.profile
        .categories
        .iter()
        .enumerate()
        .map(|(k, cat)| {
            let cap = a.profile.cap_ds(cat);
            let nb = cap.div_ceil(600).max(1) as usize;
            let mut bins = vec![0.0; nb];
            let mut beyond = 0.0;
            for (i, d) in a.demand.iter().enumerate() {
                let c = d.community as usize;
                let share = match (a.per_community.get(c), at_points[c]) {
                    (Some(pc), p) if p > 0.0 => pc[k].stats.demand / p,
                    _ => 0.0,
                };
                let w = d.population * share;
                let t = a.demand_node[i].and_then(|n| a.times_ds.get(k).map(|t| t[n as usize])).unwrap_or(UNREACHED);
                if t == UNREACHED || t > cap {
                    beyond += w;
                } else {
                    bins[((t / 600) as usize).min(nb - 1)] += w;
                }
            }
            (bins, beyond)
        })
        .collect()
}

/// Builds `report.html` (UTF-8 bytes).
pub fn report_html(a: &Analysis, extra: &HtmlExtras) -> Vec<u8> {
    let p = &a.profile;
    let lang = p.lang;
    let w = Words { lang };
    let title = match lang {
        Lang::Zh if !p.title_zh.is_empty() => p.title_zh.as_str(),
        Lang::En if !p.title_en.is_empty() => p.title_en.as_str(),
        _ => w.get("title"),
    };
    let color = |k: usize| PALETTE[k % PALETTE.len()];
    let population: f64 = a.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();

    // Data blocks.
    let rendered;
    let communities = match &extra.communities_geojson {
        Some(b) => String::from_utf8_lossy(b),
        None => {
            rendered = geojson_out::communities(a);
            String::from_utf8_lossy(&rendered)
        }
    };
    let rendered;
    let facilities = match &extra.facilities_geojson {
        Some(b) => String::from_utf8_lossy(b),
        None => {
            rendered = geojson_out::facilities(a);
            String::from_utf8_lossy(&rendered)
        }
    };
    let isochrones = extra.isochrones.as_deref().and_then(category_sheds);
    let suggestions = extra
        .suggestions
        .as_deref()
        .and_then(|b| serde_json::from_slice::<Value>(b).ok())
        .map(|v| serde_json::to_string(&v).expect("serialisable"));
    let cats: Vec<Value> = p
        .categories
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let s = &a.categories[k];
            json!({
                "id": c.id,
                "label": c.label(lang),
                "label_zh": c.label_zh,
                "label_en": c.label_en,
                "threshold_min": round(c.threshold_s / 60.0, 2),
                "coverage_target": c.coverage_target,
                "color": color(k),
                "facilities": s.facilities,
                "covered_share": super::num(s.stats.covered_share, 4),
            })
        })
        .collect();
    let keys = [
        "communities",
        "overall_score",
        "covered",
        "covered_share",
        "mean",
        "p90",
        "per_1000",
        "pass",
        "yes",
        "no",
        "min",
        "facilities",
        "unserved",
        "walkshed",
        "suggestions",
        "osm_tiles",
        "no_background",
        "no_data",
        "threshold",
        "score",
        "population",
        "residents",
        "capacity",
        "not_attached",
        "rank",
        "gain",
        "legend",
        "category",
        "circle_area",
        "estimated",
        "given",
        "data_attr",
        "colour_is_category",
    ];
    let strings: serde_json::Map<String, Value> = keys.iter().map(|k| (k.to_string(), json!(w.get(k)))).collect();
    let meta = json!({
        "lang": match lang { Lang::Zh => "zh", Lang::En => "en" },
        "categories": cats,
        "strings": strings,
        "has_isochrones": isochrones.is_some(),
        "has_suggestions": suggestions.is_some(),
    });

    // Page.
    let demand = demand_json(a);
    let mut h = String::with_capacity(
        communities.len()
            + facilities.len()
            + demand.len()
            + isochrones.as_ref().map_or(0, |s| s.len())
            + LEAFLET_JS.len()
            + LEAFLET_CSS.len()
            + 400_000,
    );
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"circle15 {}\">\n<title>{} — {}</title>\n",
        match lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        },
        env!("CARGO_PKG_VERSION"),
        esc(title),
        esc(&a.input_label)
    );
    let _ = writeln!(h, "<style>\n{LEAFLET_CSS}\n</style>\n<style>{PAGE_CSS}</style>\n</head>\n<body>");

    // Header.
    let _ = write!(
        h,
        "<header><h1>{}</h1><p class=\"c15-meta\">{}: <b>{}</b> · {}: <b>{}</b>",
        esc(title),
        w.get("input"),
        esc(&a.input_label),
        w.get("profile"),
        esc(&p.name)
    );
    if let Some(y) = p.year {
        let _ = write!(h, " · {}: <b>{y}</b>", w.get("year"));
    }
    let _ = write!(
        h,
        " · {}: <b>{}</b> · {}: <b>{:.0}</b> · {}: <b id=\"c15-overall\">{}</b></p></header>\n<main>\n",
        w.get("communities"),
        a.communities.len(),
        w.get("population"),
        population,
        w.get("overall_score"),
        fixed(a.overall_score, 1)
    );
    // Which categories are assessed, first: a category without data is not a red map.
    h.push_str("<section id=\"c15-assessment\"><ul>");
    for l in super::assessment::lines(a) {
        let _ = write!(h, "<li>{}</li>", esc(&l).replace('`', ""));
    }
    h.push_str("</ul></section>\n");

    // Map and its controls.
    let _ = write!(
        h,
        "<section id=\"c15-map-section\"><div class=\"c15-controls\"><label>{} <select id=\"c15-colour\"><option value=\"score\">{}</option>",
        w.get("colour_by"),
        w.get("overall_score")
    );
    for (k, c) in p.categories.iter().enumerate() {
        if !a.categories[k].assessment.assessed() {
            continue;
        }
        let _ =
            write!(h, "<option value=\"{}\">{} — {}</option>", esc(&c.id), esc(c.label(lang)), w.get("covered_share"));
    }
    let _ = write!(h, "</select></label> <label>{} <select id=\"c15-category\">", w.get("category_select"));
    // Default category: the first with a facility.
    let first_used = (0..p.categories.len())
        .find(|&k| a.categories[k].facilities > a.categories[k].facilities_unattached)
        .unwrap_or(0);
    for (k, c) in p.categories.iter().enumerate() {
        let _ = write!(
            h,
            "<option value=\"{}\"{}>{} ({})</option>",
            esc(&c.id),
            if k == first_used { " selected" } else { "" },
            esc(c.label(lang)),
            a.categories[k].facilities
        );
    }
    let _ = write!(
        h,
        "</select></label></div>\n<div id=\"map\" role=\"application\" aria-label=\"{}\"></div>\n<p class=\"c15-note\">{}{}</p></section>\n",
        w.get("map"),
        w.get("walkshed_note"),
        if isochrones.is_some() { "" } else { w.get("no_isochrones") }
    );

    // Headline table.
    let _ = writeln!(
        h,
        "<section><h2>{}</h2><table class=\"c15-table\" id=\"c15-headline\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        w.get("headline"),
        w.get("category"),
        w.get("threshold"),
        w.get("facilities"),
        w.get("covered"),
        w.get("target"),
        w.get("per_1000"),
        w.get("quota"),
        w.get("score"),
        w.get("failing"),
    );
    for (k, c) in p.categories.iter().enumerate() {
        let s = &a.categories[k];
        let fac = if s.facilities_unattached > 0 {
            format!("{} ({} ✕)", s.facilities, s.facilities_unattached)
        } else {
            s.facilities.to_string()
        };
        let _ = writeln!(
            h,
            "<tr data-cat=\"{}\"><td><span class=\"c15-dot\" style=\"background:{}\"></span>{} <small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}%{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} / {}</td></tr>",
            esc(&c.id),
            color(k),
            esc(c.label(lang)),
            esc(&c.id),
            c.threshold_m.map_or(format!("{:.0} {}", c.threshold_s / 60.0, w.get("min")), |m| format!("{m:.0} m")),
            fac,
            pct(s.stats.covered_share),
            100.0 * c.coverage_target,
            if c.coverage_source.is_none() { lang.pick("（默认）", " (default)") } else { "" },
            fixed(s.per_1000, 2),
            fixed(c.quota_per_1000, 2),
            fixed(s.score, 1),
            if s.assessment.assessed() { s.failing_communities.to_string() } else { w.get("not_assessed").to_string() },
            if s.assessment.assessed() { a.communities.len().to_string() } else { "–".to_string() }
        );
    }
    h.push_str("</tbody></table>\n");
    let _ =
        write!(h, "<details><summary>{}</summary><ul>", esc(lang.pick("目标及其来源", "Targets and their sources")));
    for line in p.target_lines(lang) {
        let _ = write!(h, "<li>{}</li>", esc(&line));
    }
    h.push_str("</ul></details></section>\n");

    // Charts.
    let bars: Vec<Bar> = p
        .categories
        .iter()
        .enumerate()
        .map(|(k, c)| Bar {
            label: c.label(lang).to_string(),
            value: a.categories[k].stats.covered_share,
            target: Some(c.coverage_target),
            color: color(k).to_string(),
        })
        .collect();
    let _ = writeln!(
        h,
        "<section id=\"c15-charts\"><h2>{}</h2><div class=\"c15-chart-box\">{}</div>",
        w.get("charts"),
        svg_chart::hbars(w.get("coverage_chart"), &bars, w.get("no_data"), w.get("target"))
    );
    for (k, (bins, beyond)) in histograms(a).iter().enumerate() {
        let c = &p.categories[k];
        let t = format!("{} — {}", w.get("histogram"), c.label(lang));
        let l = HistLabels {
            title: &t,
            unit: w.get("min"),
            threshold: w.get("threshold"),
            beyond: w.get("beyond_cap"),
            residents: w.get("residents"),
        };
        let _ = writeln!(
            h,
            "<div class=\"c15-chart-box c15-hist\" data-cat=\"{}\"{}>{}</div>",
            esc(&c.id),
            if k == first_used { "" } else { " hidden" },
            svg_chart::histogram(bins, 1.0, c.threshold_s / 60.0, *beyond, &l)
        );
    }
    h.push_str("</section>\n");

    if let Some(g) = &extra.gap_tables_html {
        let _ = writeln!(h, "<section id=\"c15-gaps\"><h2>{}</h2>{g}</section>", w.get("gaps"));
    }
    if !a.warnings.is_empty() {
        let _ = write!(h, "<section id=\"c15-warnings\"><h2>{}</h2><ul>", w.get("warnings"));
        for x in &a.warnings {
            let _ = write!(h, "<li>{}</li>", esc(x));
        }
        h.push_str("</ul></section>\n");
    }
    let _ = write!(
        h,
        "<footer><p>{}. circle15 {} · Leaflet 1.9.4 (BSD-2-Clause, © Volodymyr Agafonkin, CloudMade).</p></footer>\n</main>\n<pre id=\"selftest\" hidden></pre>\n",
        esc(ATTRIBUTION),
        env!("CARGO_PKG_VERSION")
    );

    // Data and scripts.
    data_block(&mut h, "c15-meta", &serde_json::to_string(&meta).expect("serialisable"));
    data_block(&mut h, "c15-communities", &communities);
    data_block(&mut h, "c15-facilities", &facilities);
    data_block(&mut h, "c15-demand", &demand);
    drop(demand);
    if let Some(iso) = &isochrones {
        data_block(&mut h, "c15-isochrones", iso);
    }
    if let Some(s) = &suggestions {
        data_block(&mut h, "c15-suggestions", s);
    }
    let js = LEAFLET_JS.trim_end().trim_end_matches("//# sourceMappingURL=leaflet.js.map").trim_end();
    let _ = write!(
        h,
        "<script>\n/*\n{}*/\n{}\n</script>\n<script>\n{}\n</script>\n</body>\n</html>\n",
        LEAFLET_LICENSE.replace("*/", "* /"),
        js,
        PAGE_JS
    );
    h.into_bytes()
}

const PAGE_CSS: &str = r#"
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#222;background:#fafafa}
header{padding:10px 16px 4px;background:#fff;border-bottom:1px solid #ddd}
header h1{font-size:20px;margin:0 0 2px}
.c15-meta{margin:0;color:#444}
main{padding:0 16px 16px}
section{margin:14px 0}
h2{font-size:17px;margin:8px 0}
.c15-controls{display:flex;flex-wrap:wrap;gap:6px 18px;margin:8px 0}
.c15-controls select{max-width:360px}
#map{height:620px;border:1px solid #bbb;background:#eef0ee}
.c15-note{color:#555;font-size:12px;margin:4px 0}
.c15-table{border-collapse:collapse;background:#fff}
.c15-table th,.c15-table td{border:1px solid #ddd;padding:3px 7px;text-align:right}
.c15-table th:first-child,.c15-table td:first-child{text-align:left}
.c15-table th{background:#f0f0f0}
.c15-dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:5px;border:1px solid #333;vertical-align:-1px}
.c15-chart-box{max-width:760px;background:#fff;border:1px solid #ddd;padding:6px;margin:8px 0}
.c15-chart{width:100%;height:auto;font-size:12px}
.c15-chart-title{font-size:13px;font-weight:600}
.c15-tick{font-size:11px;fill:#555}
.c15-value{font-size:11px}
.c15-nodata{fill:#888;font-style:italic}
.c15-legend{background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:12px;line-height:1.5;max-width:240px}
.c15-legend .ramp{height:10px;width:180px;background:linear-gradient(to right,#d73027,#fee08b,#1a9850);border:1px solid #888}
.c15-legend .ends{display:flex;justify-content:space-between;width:182px;font-size:11px}
.c15-legend i{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:5px;vertical-align:-1px;border:1px solid #333}
.c15-legend .sq{border-radius:0}
.c15-popup table{border-collapse:collapse;font-size:12px}
.c15-popup td,.c15-popup th{border-bottom:1px solid #eee;padding:1px 5px;text-align:right}
.c15-popup td:first-child,.c15-popup th:first-child{text-align:left}
.c15-pass{color:#1a7f37}.c15-fail{color:#b42318}
.leaflet-control-layers-overlays label,.leaflet-control-layers-base label{white-space:nowrap}
"#;

const PAGE_JS: &str = r#"
(function () {
'use strict';
function data(id) { var e = document.getElementById(id); return e ? JSON.parse(e.textContent) : null; }
var META = data('c15-meta'), COMM = data('c15-communities'), FAC = data('c15-facilities'),
    DEM = data('c15-demand'), ISO = data('c15-isochrones'), SUG = data('c15-suggestions');
var S = META.strings, CATS = META.categories, CAT = {};
CATS.forEach(function (c) { CAT[c.id] = c; });
// URL options after '#', joined by '&': selftest, notiles, cat=<id>, colour=<score|id>,
// view=<lat>,<lon>,<zoom>, unserved (show that layer).
var OPT = {};
(location.hash || '').replace(/^#/, '').split('&').forEach(function (kv) {
  if (!kv) return; var i = kv.indexOf('=');
  OPT[decodeURIComponent(i < 0 ? kv : kv.slice(0, i))] = i < 0 ? true : decodeURIComponent(kv.slice(i + 1));
});
var SELFTEST = !!OPT.selftest, NOTILES = SELFTEST || !!OPT.notiles;

function esc(s) {
  return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
    return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
  });
}
function pct(v) { return v == null ? '–' : (100 * v).toFixed(1) + '%'; }
function mins(s) { return s == null ? '–' : (s / 60).toFixed(1) + ' ' + S.min; }
function fixed(v, d) { return v == null ? '–' : Number(v).toFixed(d); }
function lerp(a, b, t) { return Math.round(a + (b - a) * t); }
// Red (0) → yellow (0.5) → green (1); grey for no data.
function ramp(v) {
  if (v == null || isNaN(v)) return '#bdbdbd';
  v = Math.max(0, Math.min(1, v));
  var a, b, t;
  if (v < 0.5) { a = [215, 48, 39]; b = [254, 224, 139]; t = v / 0.5; }
  else { a = [254, 224, 139]; b = [26, 152, 80]; t = (v - 0.5) / 0.5; }
  return 'rgb(' + lerp(a[0], b[0], t) + ',' + lerp(a[1], b[1], t) + ',' + lerp(a[2], b[2], t) + ')';
}

var map = L.map('map', {zoomSnap: 0.25});
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution(esc(S.data_attr));
function pane(name, z, interactive) {
  var p = map.createPane(name); p.style.zIndex = z;
  if (!interactive) p.style.pointerEvents = 'none';
  return p;
}
pane('c15-iso', 420, false); pane('c15-unserved', 430, false);
pane('c15-fac', 610, true); pane('c15-sug', 620, true);
var isoRenderer = L.canvas({pane: 'c15-iso'}), unservedRenderer = L.canvas({pane: 'c15-unserved'});
var facRenderer = L.svg({pane: 'c15-fac'}), sugRenderer = L.svg({pane: 'c15-sug'});

// Base layers: OSM tiles (online only; tile errors are ignored) or nothing.
var tiles = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
  maxZoom: 19, attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'});
tiles.on('tileerror', function () {});
var blank = L.layerGroup();
var bases = {}; bases[esc(S.osm_tiles)] = tiles; bases[esc(S.no_background)] = blank;
(NOTILES ? blank : tiles).addTo(map);

// Communities.
var colourBy = OPT.colour && CAT[OPT.colour] ? OPT.colour : 'score';
document.getElementById('c15-colour').value = colourBy;
function commValue(p) {
  if (colourBy === 'score') return p.score == null ? null : p.score / 100;
  return p[colourBy + '_covered_share'];
}
function commStyle(f) {
  return {className: 'c15-community', color: '#555', weight: 1, opacity: 0.8,
          fillColor: ramp(commValue(f.properties)), fillOpacity: 0.5};
}
function commPopup(p) {
  var h = '<div class="c15-popup"><b class="c15-popup-name">' + esc(p.name || p.id) + '</b> <small>' + esc(p.id) + '</small><br>' +
    esc(S.population) + ': ' + fixed(p.population, 0) + ' (' + esc(p.population_source === 'given' ? S.given : S.estimated) + ') · ' +
    esc(S.score) + ': ' + fixed(p.score, 1) +
    '<table><tr><th>' + esc(S.category) + '</th><th>' + esc(S.covered) + '</th><th>' + esc(S.mean) + '</th><th>' +
    esc(S.p90) + '</th><th>' + esc(S.per_1000) + '</th><th>' + esc(S.pass) + '</th></tr>';
  CATS.forEach(function (c) {
    var pass = p[c.id + '_pass'];
    h += '<tr><td><i class="c15-dot" style="background:' + c.color + '"></i>' + esc(c.label) + '</td><td>' + pct(p[c.id + '_covered_share']) +
      '</td><td>' + mins(p[c.id + '_mean_s']) + '</td><td>' + mins(p[c.id + '_p90_s']) + '</td><td>' + fixed(p[c.id + '_per_1000'], 2) +
      '</td><td class="' + (pass === true ? 'c15-pass' : pass === false ? 'c15-fail' : '') + '">' +
      (pass === true ? esc(S.yes) : pass === false ? esc(S.no) : '–') + '</td></tr>';
  });
  return h + '</table></div>';
}
var comm = L.geoJSON(COMM, {
  style: commStyle,
  onEachFeature: function (f, l) { l.bindPopup(function () { return commPopup(f.properties); }, {maxWidth: 560}); }
});
// The view first: Leaflet adds layers (and creates their elements) once the map has one.
var bounds = comm.getBounds();
var view = typeof OPT.view === 'string' ? OPT.view.split(',').map(Number) : null;
if (view && view.length === 3 && view.every(isFinite)) map.setView([view[0], view[1]], view[2]);
else if (bounds.isValid()) map.fitBounds(bounds, {padding: [10, 10]}); else map.setView([0, 0], 2);
comm.addTo(map);
comm.eachLayer(function (l) { var e = l.getElement(); if (e) e.setAttribute('data-c15-id', l.feature.properties.id); });

// Walk-sheds and unserved residents of the selected category.
var category = OPT.cat && CAT[OPT.cat] ? OPT.cat : document.getElementById('c15-category').value;
document.getElementById('c15-category').value = category;
var iso = L.layerGroup().addTo(map), unserved = L.layerGroup();
function drawIso() {
  iso.clearLayers();
  if (!ISO) return;
  var c = CAT[category];
  ISO.features.forEach(function (f) {
    if (f.properties.category !== category) return;
    L.geoJSON(f, {renderer: isoRenderer, interactive: false,
      style: {className: 'c15-isochrone', color: c.color, weight: 1.5, fillColor: c.color, fillOpacity: 0.22}}).addTo(iso);
  });
}
function drawUnserved() {
  unserved.clearLayers();
  var flags = DEM.unserved[category];
  for (var i = 0; i < DEM.pop.length; i++) {
    if (flags != null && flags.charAt(i) !== '1') continue;
    if (!(DEM.pop[i] > 0)) continue;
    L.circleMarker([DEM.lat[i], DEM.lon[i]], {renderer: unservedRenderer, interactive: false, stroke: false,
      radius: Math.max(2, Math.min(16, Math.sqrt(DEM.pop[i]) * 0.8)), fillColor: '#b2182b', fillOpacity: 0.35}).addTo(unserved);
  }
}

// Facilities: one layer per category, all shown.
var facLayers = {};
CATS.forEach(function (c) { facLayers[c.id] = L.layerGroup(); });
FAC.features.forEach(function (f) {
  var p = f.properties, c = CAT[p.category], g = f.geometry.coordinates;
  var m = L.circleMarker([g[1], g[0]], {renderer: facRenderer, className: 'c15-facility c15-cat-' + p.category,
    radius: 5, color: '#222', weight: 1, fillColor: c.color, fillOpacity: p.used ? 0.95 : 0.25, dashArray: p.used ? null : '2 2'});
  m.bindPopup('<div class="c15-popup"><b>' + esc(p.name || '–') + '</b><br>' + esc(c.label) + '<br>' +
    (p.capacity != null ? esc(S.capacity) + ': ' + fixed(p.capacity, 0) + '<br>' : '') +
    (p.used ? '' : esc(S.not_attached) + '<br>') +
    '<small>' + esc(p.osm_type) + '/' + esc(p.osm_id) + '</small></div>');
  m.addTo(facLayers[p.category]);
});

// Suggested sites.
var sug = L.layerGroup();
if (SUG && SUG.features) {
  SUG.features.forEach(function (f) {
    if (!f.geometry || f.geometry.type !== 'Point') return;
    var p = f.properties || {}, c = CAT[p.category], g = f.geometry.coordinates;
    var m = L.circleMarker([g[1], g[0]], {renderer: sugRenderer, className: 'c15-suggestion', radius: 9,
      color: '#000', weight: 2.5, fillColor: c ? c.color : '#fff', fillOpacity: 0.9});
    m.bindTooltip(String(p.rank == null ? '' : p.rank), {permanent: true, direction: 'center', className: 'c15-rank'});
    m.bindPopup('<div class="c15-popup"><b>' + esc(S.suggestions) + ' #' + esc(p.rank) + '</b><br>' + esc(c ? c.label : p.category) +
      '<br>' + esc(S.gain) + ': ' + fixed(p.gain, 0) + '<br>' + esc(S.covered) + ': ' + pct(p.cumulative_covered_share) + '</div>');
    m.addTo(sug);
  });
  sug.addTo(map);
}

// Layer control (expanded, so no icon image is needed).
var overlays = {};
overlays[esc(S.communities)] = comm;
if (ISO) overlays[esc(S.walkshed)] = iso;
overlays[esc(S.unserved)] = unserved;
if (SUG) overlays[esc(S.suggestions)] = sug;
CATS.forEach(function (c) {
  if (!c.facilities) return;
  facLayers[c.id].addTo(map);
  overlays['<i class="c15-dot" style="background:' + c.color + '"></i>' + esc(c.label) + ' (' + c.facilities + ')'] = facLayers[c.id];
});
L.control.layers(bases, overlays, {collapsed: false, position: 'topright'}).addTo(map);
L.control.scale({imperial: false}).addTo(map);

// Legend.
var legend = L.control({position: 'bottomleft'});
legend.onAdd = function () { this._div = L.DomUtil.create('div', 'c15-legend'); L.DomEvent.disableClickPropagation(this._div); return this._div; };
legend.update = function () {
  var c = CAT[category];
  var what = colourBy === 'score' ? S.overall_score : CAT[colourBy].label + ' — ' + S.covered_share;
  var ends = colourBy === 'score' ? ['0', '50', '100'] : ['0%', '50%', '100%'];
  this._div.innerHTML = '<b>' + esc(S.legend) + '</b><br>' + esc(S.communities) + ': ' + esc(what) +
    '<div class="ramp"></div><div class="ends"><span>' + ends.join('</span><span>') + '</span></div>' +
    '<i class="sq" style="background:#bdbdbd"></i>' + esc(S.no_data) + '<br>' +
    (ISO ? '<i class="sq" style="background:' + c.color + ';opacity:.5"></i>' + esc(S.walkshed) + ': ' + esc(c.label) + ' (' + c.threshold_min + ' ' + esc(S.min) + ')<br>' : '') +
    '<i style="background:#b2182b;opacity:.5;border:0"></i>' + esc(S.unserved) + ' (' + esc(S.circle_area) + ')<br>' +
    '<i style="background:' + c.color + '"></i>' + esc(S.facilities) + ' (' + esc(S.colour_is_category) + ')' +
    (SUG ? '<br><i style="background:#fff;border:2px solid #000"></i>' + esc(S.suggestions) : '');
};
legend.addTo(map);

function refresh() { comm.setStyle(commStyle); legend.update(); }
document.getElementById('c15-colour').addEventListener('change', function (e) { colourBy = e.target.value; refresh(); });
document.getElementById('c15-category').addEventListener('change', function (e) {
  category = e.target.value; drawIso(); drawUnserved(); legend.update();
if (OPT.unserved) unserved.addTo(map);
Array.prototype.forEach.call(document.querySelectorAll('.c15-hist'), function (d) { d.hidden = d.getAttribute('data-cat') !== category; });
  Array.prototype.forEach.call(document.querySelectorAll('.c15-hist'), function (d) { d.hidden = d.getAttribute('data-cat') !== category; });
});
drawIso(); drawUnserved(); legend.update();
if (OPT.unserved) unserved.addTo(map);
Array.prototype.forEach.call(document.querySelectorAll('.c15-hist'), function (d) { d.hidden = d.getAttribute('data-cat') !== category; });

// Self-test for the browser test (URL with #selftest).
if (SELFTEST) {
  setTimeout(function () {
    var r = {
      communities_expected: COMM.features.length,
      communities_rendered: document.querySelectorAll('path.c15-community').length,
      facilities_expected: FAC.features.length,
      facilities_rendered: document.querySelectorAll('path.c15-facility').length,
      isochrones_rendered: iso.getLayers().length,
      clicked_id: null, popup_text: null
    };
    var paths = document.querySelectorAll('path.c15-community'), target = null, name = null;
    var byId = {};
    COMM.features.forEach(function (f) { byId[f.properties.id] = f.properties; });
    for (var i = 0; i < paths.length; i++) {
      var p = byId[paths[i].getAttribute('data-c15-id')];
      if (p && p.name) { target = paths[i]; name = p.name; r.clicked_id = p.id; break; }
    }
    if (target) {
      var bb = target.getBoundingClientRect();
      target.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window,
        clientX: bb.left + bb.width / 2, clientY: bb.top + bb.height / 2}));
    }
    setTimeout(function () {
      var pc = document.querySelector('.leaflet-popup-content');
      r.popup_text = pc ? pc.textContent : null;
      r.ok = r.communities_rendered === r.communities_expected && r.facilities_rendered === r.facilities_expected &&
        !!(r.popup_text && name && r.popup_text.indexOf(name) >= 0);
      var pre = document.getElementById('selftest');
      pre.textContent = JSON.stringify(r);
      document.title = 'selftest:' + (r.ok ? 'ok' : 'fail');
    }, 200);
  }, 300);
}
})();
"#;

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::OnceLock;

    use super::*;
    use crate::analyze::{self, Config};
    use crate::profile::Profile;

    fn helsinki(profile: &str) -> Analysis {
        let cfg = Config::new(None, Profile::load(profile, None).unwrap(), PathBuf::from("unused"));
        analyze::run(&cfg).unwrap()
    }

    fn default_analysis() -> &'static Analysis {
        static A: OnceLock<Analysis> = OnceLock::new();
        A.get_or_init(|| helsinki("default"))
    }

    /// The JSON data blocks of a page, by id.
    fn blocks(page: &str) -> Vec<(String, Value)> {
        let open = "<script type=\"application/json\" id=\"";
        let mut out = Vec::new();
        let mut rest = page;
        while let Some(i) = rest.find(open) {
            rest = &rest[i + open.len()..];
            let id_end = rest.find('"').unwrap();
            let id = rest[..id_end].to_string();
            let body_start = rest.find('>').unwrap() + 1;
            let body_end = rest.find("</script>").unwrap();
            let v: Value =
                serde_json::from_str(&rest[body_start..body_end]).unwrap_or_else(|e| panic!("block {id}: {e}"));
            out.push((id, v));
            rest = &rest[body_end..];
        }
        out
    }

    #[test]
    fn script_json_cannot_close_the_element_and_parses_back() {
        let v = json!({"name": "a</script><script>alert(1)</script><!--x-->", "n": 1});
        let text = serde_json::to_string(&v).unwrap();
        let safe = script_json(&text);
        assert!(!safe.contains("</") && !safe.contains("<!--"));
        assert_eq!(serde_json::from_str::<Value>(&safe).unwrap(), v);
    }

    #[test]
    fn page_is_self_contained_deterministic_and_embeds_the_outputs() {
        let a = default_analysis();
        let bytes = report_html(a, &HtmlExtras::default());
        assert_eq!(bytes, report_html(a, &HtmlExtras::default()));
        let page = String::from_utf8(bytes).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
        // Nothing loaded from elsewhere: no external scripts, styles or images.
        for bad in ["<script src", "<link", "<img", "@import"] {
            assert!(!page.contains(bad), "{bad}");
        }
        assert!(page.contains("Leaflet 1.9.4") && page.contains("BSD 2-Clause"));
        assert!(!page.contains("sourceMappingURL"));
        // Every <script> element closes once.
        assert_eq!(page.matches("<script").count(), page.matches("</script>").count());
        let b = blocks(&page);
        let ids: Vec<&str> = b.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["c15-meta", "c15-communities", "c15-facilities", "c15-demand"]);
        let comm: Value = serde_json::from_slice(&geojson_out::communities(a)).unwrap();
        let fac: Value = serde_json::from_slice(&geojson_out::facilities(a)).unwrap();
        assert_eq!(b[1].1, comm);
        assert_eq!(b[2].1, fac);
        let dem = &b[3].1;
        assert_eq!(dem["lon"].as_array().unwrap().len(), a.demand.len());
        for (k, c) in a.profile.categories.iter().enumerate() {
            let flags = &dem["unserved"][&c.id];
            if a.categories[k].facilities == 0 {
                assert!(flags.is_null());
            } else {
                assert_eq!(flags.as_str().unwrap().len(), a.demand.len());
            }
        }
        // Headline table: one row per category; one histogram per category.
        assert_eq!(page.matches("<tr data-cat=").count(), a.profile.categories.len());
        assert_eq!(page.matches("class=\"c15-chart-box c15-hist\"").count(), a.profile.categories.len());
        assert!(page.contains("(no walk-sheds in this report)"));
        assert!(!page.contains("id=\"c15-gaps\""));
    }

    #[test]
    fn histograms_add_up_to_the_coverage_figures() {
        let a = default_analysis();
        for (k, (bins, beyond)) in histograms(a).iter().enumerate() {
            let cat = &a.profile.categories[k];
            let s = &a.categories[k].stats;
            let total: f64 = bins.iter().sum::<f64>() + beyond;
            assert!((total - s.demand).abs() <= 1e-6 * s.demand.max(1.0), "{}", cat.id);
            // Threshold in whole minutes in the default profile: bins below it are covered.
            let within: f64 = bins[..(cat.threshold_s / 60.0) as usize].iter().sum();
            assert!(within <= s.covered + 1e-6 * s.demand.max(1.0), "{}", cat.id);
        }
    }

    #[test]
    fn extras_add_walk_sheds_suggestions_and_gap_tables() {
        let a = default_analysis();
        let iso = crate::report::isochrones::isochrones_geojson(a, crate::isochrone::IsochroneKind::Category);
        let sug = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"rank":1,"category":"health","gain":12.5},"geometry":{"type":"Point","coordinates":[24.94,60.17]}}]}"#;
        let extras = HtmlExtras {
            isochrones: Some(iso.clone()),
            suggestions: Some(sug.to_vec()),
            gap_tables_html: Some("<table id=\"gap\"><tr><td>x</td></tr></table>".into()),
            ..Default::default()
        };
        let page = String::from_utf8(report_html(a, &extras)).unwrap();
        let b = blocks(&page);
        let sheds = &b.iter().find(|(id, _)| id == "c15-isochrones").unwrap().1;
        let all: Value = serde_json::from_slice(&iso).unwrap();
        let cats: Vec<&Value> =
            all["features"].as_array().unwrap().iter().filter(|f| f["properties"]["kind"] == "category").collect();
        assert!(!cats.is_empty());
        assert_eq!(sheds["features"].as_array().unwrap().len(), cats.len());
        assert!(b.iter().any(|(id, v)| id == "c15-suggestions" && v["features"][0]["properties"]["rank"] == 1));
        assert!(page.contains("<section id=\"c15-gaps\"><h2>Gaps</h2><table id=\"gap\">"));
        assert!(!page.contains("(no walk-sheds in this report)"));
        // Unreadable extras are left out, not fatal.
        let bad = HtmlExtras {
            isochrones: Some(b"not json".to_vec()),
            suggestions: Some(b"{".to_vec()),
            gap_tables_html: None,
            ..Default::default()
        };
        let page = String::from_utf8(report_html(a, &bad)).unwrap();
        assert!(!page.contains("id=\"c15-isochrones\"") && !page.contains("id=\"c15-suggestions\""));
    }

    #[test]
    fn chinese_profile_gives_chinese_labels() {
        let a = helsinki("zhejiang-2027");
        let page = String::from_utf8(report_html(&a, &HtmlExtras::default())).unwrap();
        assert!(page.contains("<html lang=\"zh-CN\">"));
        assert!(page.contains("综合得分") && page.contains("各类设施概况"));
        let zh = &a.profile.categories[0].label_zh;
        assert!(page.contains(&format!(">{}", esc(zh))));
    }
}
