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

use super::format::{fixed, html_attr, html_text, pct};
use super::i18n::{Label, PAGE_WORDS};
use super::{ATTRIBUTION, geojson_out, json_num, round};
use crate::model::Analysis;
use crate::profile::Lang;
use crate::route::UNREACHED;
use svg_chart::{Bar, HistLabels};

const LEAFLET_JS: &str = include_str!("../../vendor/leaflet/leaflet.js");
const LEAFLET_CSS: &str = include_str!("../../vendor/leaflet/leaflet.css");
const LEAFLET_LICENSE: &str = include_str!("../../vendor/leaflet/LICENSE");
/// The page's own style sheet and script.
const PAGE_CSS: &str = include_str!("assets/report.css");
const PAGE_JS: &str = include_str!("assets/report.js");

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
    let title = match lang {
        Lang::Zh if !p.title_zh.is_empty() => p.title_zh.as_str(),
        Lang::En if !p.title_en.is_empty() => p.title_en.as_str(),
        _ => Label::Title.text(lang),
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
                "covered_share": json_num(s.stats.covered_share, 4),
            })
        })
        .collect();
    let strings: serde_json::Map<String, Value> =
        PAGE_WORDS.iter().map(|(k, l)| (k.to_string(), json!(l.text(lang)))).collect();
    let meta = json!({
        "lang": match lang { Lang::Zh => "zh", Lang::En => "en" },
        "categories": cats,
        "strings": strings,
        "has_isochrones": isochrones.is_some(),
        "has_suggestions": suggestions.is_some(),
        "ramp": super::colour_ramp::json(),
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
        html_text(title),
        html_text(&a.input_label)
    );
    let _ = writeln!(h, "<style>\n{LEAFLET_CSS}\n</style>\n<style>\n{PAGE_CSS}</style>\n</head>\n<body>");

    // Header.
    let _ = write!(
        h,
        "<header><h1>{}</h1><p class=\"c15-meta\">{}: <b>{}</b> · {}: <b>{}</b>",
        html_text(title),
        Label::Input.text(lang),
        html_text(&a.input_label),
        Label::PageProfile.text(lang),
        html_text(&p.name)
    );
    if let Some(y) = p.year {
        let _ = write!(h, " · {}: <b>{y}</b>", Label::Year.text(lang));
    }
    let _ = write!(
        h,
        " · {}: <b>{}</b> · {}: <b>{:.0}</b> · {}: <b id=\"c15-overall\">{}</b></p></header>\n<main>\n",
        Label::Communities.text(lang),
        a.communities.len(),
        Label::PopulationHeading.text(lang),
        population,
        Label::OverallScore.text(lang),
        fixed(a.overall_score, 1)
    );
    // Which categories are assessed, first: a category without data is not a red map.
    h.push_str("<section id=\"c15-assessment\"><ul>");
    for l in super::assessment::lines(a) {
        let _ = write!(h, "<li>{}</li>", html_text(&l).replace('`', ""));
    }
    h.push_str("</ul></section>\n");

    // Map and its controls.
    let _ = write!(
        h,
        "<section id=\"c15-map-section\"><div class=\"c15-controls\"><label>{} <select id=\"c15-colour\"><option value=\"score\">{}</option>",
        Label::ColourBy.text(lang),
        Label::OverallScore.text(lang)
    );
    for (k, c) in p.categories.iter().enumerate() {
        if !a.categories[k].assessment.assessed() {
            continue;
        }
        let _ = write!(
            h,
            "<option value=\"{}\">{} — {}</option>",
            html_attr(&c.id),
            html_text(c.label(lang)),
            Label::CoveredShare.text(lang)
        );
    }
    let _ = write!(h, "</select></label> <label>{} <select id=\"c15-category\">", Label::CategorySelect.text(lang));
    // Default category: the first with a facility.
    let first_used = (0..p.categories.len())
        .find(|&k| a.categories[k].facilities > a.categories[k].facilities_unattached)
        .unwrap_or(0);
    for (k, c) in p.categories.iter().enumerate() {
        let _ = write!(
            h,
            "<option value=\"{}\"{}>{} ({})</option>",
            html_attr(&c.id),
            if k == first_used { " selected" } else { "" },
            html_text(c.label(lang)),
            a.categories[k].facilities
        );
    }
    let _ = write!(
        h,
        "</select></label></div>\n<div id=\"map\" role=\"application\" aria-label=\"{}\"></div>\n<p class=\"c15-note\">{}{}</p></section>\n",
        Label::Map.text(lang),
        Label::WalkshedNote.text(lang),
        if isochrones.is_some() { "" } else { Label::NoIsochrones.text(lang) }
    );

    // Headline table.
    let _ = writeln!(
        h,
        "<section><h2>{}</h2><table class=\"c15-table\" id=\"c15-headline\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        Label::Headline.text(lang),
        Label::PageCategory.text(lang),
        Label::PageThreshold.text(lang),
        Label::PageFacilities.text(lang),
        Label::PageCovered.text(lang),
        Label::PageTarget.text(lang),
        Label::PagePer1000.text(lang),
        Label::PageQuota.text(lang),
        Label::PageScore.text(lang),
        Label::Failing.text(lang),
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
            html_attr(&c.id),
            color(k),
            html_text(c.label(lang)),
            html_text(&c.id),
            c.threshold_m
                .map_or(format!("{:.0} {}", c.threshold_s / 60.0, Label::Min.text(lang)), |m| format!("{m:.0} m")),
            fac,
            pct(s.stats.covered_share),
            100.0 * c.coverage_target,
            if c.coverage_source.is_none() { Label::DefaultMark.text(lang) } else { "" },
            fixed(s.per_1000, 2),
            fixed(c.quota_per_1000, 2),
            fixed(s.score, 1),
            if s.assessment.assessed() {
                s.failing_communities.to_string()
            } else {
                Label::NotAssessed.text(lang).to_string()
            },
            if s.assessment.assessed() { a.communities.len().to_string() } else { "–".to_string() }
        );
    }
    h.push_str("</tbody></table>\n");
    let _ = write!(h, "<details><summary>{}</summary><ul>", html_text(Label::TargetsTheirSources.text(lang)));
    for line in p.target_lines(lang) {
        let _ = write!(h, "<li>{}</li>", html_text(&line));
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
        Label::Charts.text(lang),
        svg_chart::hbars(
            Label::CoverageChart.text(lang),
            &bars,
            Label::NoData.text(lang),
            Label::PageTarget.text(lang)
        )
    );
    for (k, (bins, beyond)) in histograms(a).iter().enumerate() {
        let c = &p.categories[k];
        let t = format!("{} — {}", Label::Histogram.text(lang), c.label(lang));
        let l = HistLabels {
            title: &t,
            unit: Label::Min.text(lang),
            threshold: Label::PageThreshold.text(lang),
            beyond: Label::BeyondCap.text(lang),
            residents: Label::PageResidents.text(lang),
        };
        let _ = writeln!(
            h,
            "<div class=\"c15-chart-box c15-hist\" data-cat=\"{}\"{}>{}</div>",
            html_attr(&c.id),
            if k == first_used { "" } else { " hidden" },
            svg_chart::histogram(bins, 1.0, c.threshold_s / 60.0, *beyond, &l)
        );
    }
    h.push_str("</section>\n");

    if let Some(g) = &extra.gap_tables_html {
        let _ = writeln!(h, "<section id=\"c15-gaps\"><h2>{}</h2>{g}</section>", Label::Gaps.text(lang));
    }
    if !a.warnings.is_empty() {
        let _ = write!(h, "<section id=\"c15-warnings\"><h2>{}</h2><ul>", Label::Warnings.text(lang));
        for x in &a.warnings {
            let _ = write!(h, "<li>{}</li>", html_text(x));
        }
        h.push_str("</ul></section>\n");
    }
    let _ = write!(
        h,
        "<footer><p>{}. circle15 {} · Leaflet 1.9.4 (BSD-2-Clause, © Volodymyr Agafonkin, CloudMade).</p></footer>\n</main>\n<pre id=\"selftest\" hidden></pre>\n",
        html_text(ATTRIBUTION),
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
        "<script>\n/*\n{}*/\n{}\n</script>\n<script>\n\n{}\n</script>\n</body>\n</html>\n",
        LEAFLET_LICENSE.replace("*/", "* /"),
        js,
        PAGE_JS
    );
    h.into_bytes()
}

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
        assert!(page.contains(&format!(">{}", html_text(zh))));
    }
}
