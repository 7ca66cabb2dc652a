//! The provincial summary of a batch: `districts.geojson` (one feature per district with its
//! figures), `districts.csv` (the same figures) and `districts.md` (rankings by the composite index
//! and per assessed category, the weakest communities of each district linked into its folder, the
//! districts not analysed with their problem). Built from the district records only, so `batch`
//! and `merge` of its shards write the same bytes.
//!
//! Glossary: **rank** position by composite index (or by covered share in a category ranking),
//! highest first, ties by code; a district without an index has no rank; **link** the relative
//! path from the summary's folder to the district's folder.

use std::fmt::Write;

use serde_json::{Map, Value, json};

use super::OutputSet;
use super::format::{MISSING, fixed, json_num, pct, round};
use super::i18n::Label;
use super::md_table::{Align, MdTable};
use crate::error::Result;
use crate::model::district_record::DistrictRecord;
use crate::profile::Lang;

/// A district's record and the link to its folder (`""` or `../shard-1/`), ending before the code.
pub type Linked = (DistrictRecord, String);

/// The categories of the records, in the first record's order (id, zh label, en label).
fn categories(recs: &[Linked]) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    for (r, _) in recs {
        for c in &r.categories {
            if !out.iter().any(|x| x.0 == c.id) {
                out.push((c.id.clone(), c.label_zh.clone(), c.label_en.clone()));
            }
        }
    }
    out
}

/// Ranks by composite index: indices into `recs` of the analysed districts, best first.
fn by_index(recs: &[Linked]) -> Vec<usize> {
    let mut v: Vec<usize> = (0..recs.len()).filter(|&i| recs[i].0.error.is_none()).collect();
    v.sort_by(|&a, &b| {
        let (x, y) = (&recs[a].0, &recs[b].0);
        match (x.score, y.score) {
            (Some(p), Some(q)) => q.total_cmp(&p),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| x.code.cmp(&y.code))
    });
    v
}

fn rank_of(recs: &[Linked]) -> Vec<Option<usize>> {
    let mut rank = vec![None; recs.len()];
    for (k, i) in by_index(recs).into_iter().enumerate() {
        if recs[i].0.score.is_some() {
            rank[i] = Some(k + 1);
        }
    }
    rank
}

/// The figures of a district, as `(column, value)` for the CSV and the GeoJSON properties.
fn figures(r: &DistrictRecord, rank: Option<usize>, cats: &[(String, String, String)]) -> Vec<(String, Value)> {
    let mut v: Vec<(String, Value)> = vec![
        ("code".into(), json!(r.code)),
        ("name".into(), json!(r.name)),
        ("status".into(), json!(if r.error.is_none() { "ok" } else { "failed" })),
        ("rank".into(), rank.map_or(Value::Null, |k| json!(k))),
        ("score".into(), json_num(r.score, 1)),
        ("population".into(), if r.error.is_none() { json_num(Some(r.population), 1) } else { Value::Null }),
        ("communities".into(), if r.error.is_none() { json!(r.communities) } else { Value::Null }),
    ];
    for (id, _, _) in cats {
        let c = r.categories.iter().find(|c| &c.id == id && c.assessed);
        v.push((format!("{id}_covered_share"), json_num(c.and_then(|c| c.covered_share), 4)));
        v.push((format!("{id}_per_1000"), json_num(c.and_then(|c| c.per_1000), 3)));
        v.push((format!("{id}_quota_per_1000"), json_num(c.and_then(|c| c.quota_per_1000), 3)));
        v.push((format!("{id}_unserved"), json_num(c.map(|c| c.unserved), 1)));
    }
    v.push((
        "weakest_communities".into(),
        json!(r.weakest.iter().map(|w| w.id.as_str()).collect::<Vec<_>>().join(";")),
    ));
    v.push(("problem".into(), r.error.as_ref().map_or(Value::Null, |e| json!(e))));
    v
}

fn csv_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        x => x.to_string(),
    }
}

/// `districts.csv`.
pub fn districts_csv(recs: &[Linked]) -> Result<Vec<u8>> {
    let cats = categories(recs);
    let rank = rank_of(recs);
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| crate::error::Error::Config(format!("districts.csv: {e}"));
    for (i, (r, _)) in recs.iter().enumerate() {
        let f = figures(r, rank[i], &cats);
        if i == 0 {
            w.write_record(f.iter().map(|x| x.0.as_str())).map_err(io)?;
        }
        w.write_record(f.iter().map(|x| csv_cell(&x.1))).map_err(io)?;
    }
    w.into_inner().map_err(|e| crate::error::Error::Config(format!("districts.csv: {e}")))
}

/// `districts.geojson`: districts whose polygons could be read.
pub fn districts_geojson(recs: &[Linked]) -> Vec<u8> {
    let cats = categories(recs);
    let rank = rank_of(recs);
    let features: Vec<Value> = recs
        .iter()
        .enumerate()
        .filter_map(|(i, (r, _))| {
            let polys = r.polygons.as_ref()?;
            let coords: Vec<Vec<Vec<[f64; 2]>>> = polys
                .iter()
                .map(|p| p.iter().map(|ring| ring.iter().map(|q| [round(q[0], 7), round(q[1], 7)]).collect()).collect())
                .collect();
            let props: Map<String, Value> = figures(r, rank[i], &cats).into_iter().collect();
            Some(json!({"type": "Feature", "properties": props, "geometry": {"type": "MultiPolygon", "coordinates": coords}}))
        })
        .collect();
    let doc = json!({"type": "FeatureCollection", "attribution": super::ATTRIBUTION, "features": features});
    let mut s = serde_json::to_vec(&doc).expect("serialisable");
    s.push(b'\n');
    s
}

fn link(label: &str, to: &str) -> String {
    format!("[{}]({})", label.replace(['[', ']'], ""), to.replace(' ', "%20"))
}

fn district_cell(r: &DistrictRecord, base: &str) -> String {
    let name = if r.name.is_empty() { r.code.clone() } else { r.name.clone() };
    if r.page.is_empty() { name } else { link(&name, &format!("{base}{}/{}", r.code, r.page)) }
}

/// `districts.md`, in `lang`.
pub fn districts_md(recs: &[Linked], lang: Lang) -> String {
    let t = |l: Label| l.text(lang);
    let cats = categories(recs);
    let order = by_index(recs);
    let mut s = String::new();
    let analysed = recs.iter().filter(|r| r.0.error.is_none()).count();
    let _ = writeln!(s, "# {}\n", t(Label::DistrictsTitle));
    let _ = writeln!(
        s,
        "{}\n",
        match lang {
            Lang::Zh => format!("共 {} 个区县，已分析 {} 个。", recs.len(), analysed),
            Lang::En => format!("{} districts, {} analysed.", recs.len(), analysed),
        }
    );
    let _ = writeln!(s, "## {}\n", t(Label::RankingByIndex));
    let mut tab = MdTable::new()
        .column(t(Label::Rank), Align::Right)
        .column(t(Label::DistrictCode), Align::Left)
        .column(t(Label::District), Align::Left)
        .column(t(Label::OverallCompositeIndex), Align::Right)
        .column(t(Label::Population), Align::Right)
        .column(t(Label::Communities), Align::Right)
        .column(t(Label::WeakestCommunities), Align::Left);
    for (k, &i) in order.iter().enumerate() {
        let (r, base) = &recs[i];
        let weak: Vec<String> = r
            .weakest
            .iter()
            .map(|w| {
                let name = if w.name.is_empty() { w.id.clone() } else { w.name.clone() };
                let label = format!("{name} ({})", fixed(w.score, 1));
                if r.page.is_empty() { label } else { link(&label, &format!("{base}{}/{}", r.code, r.page)) }
            })
            .collect();
        tab.row(vec![
            if r.score.is_some() { (k + 1).to_string() } else { MISSING.into() },
            format!("`{}`", r.code),
            district_cell(r, base),
            fixed(r.score, 1),
            format!("{:.0}", r.population),
            r.communities.to_string(),
            if weak.is_empty() { MISSING.into() } else { weak.join("; ") },
        ]);
    }
    s.push_str(&tab.render());
    s.push('\n');
    let _ = writeln!(s, "## {}\n", t(Label::RankingByCategory));
    for (id, zh, en) in &cats {
        let assessed: Vec<usize> =
            order.iter().copied().filter(|&i| recs[i].0.categories.iter().any(|c| &c.id == id && c.assessed)).collect();
        if assessed.is_empty() {
            continue;
        }
        let cat = |i: usize| recs[i].0.categories.iter().find(|c| &c.id == id).expect("filtered");
        let mut ranked = assessed.clone();
        ranked.sort_by(|&a, &b| {
            let (x, y) = (cat(a).covered_share, cat(b).covered_share);
            y.unwrap_or(-1.0).total_cmp(&x.unwrap_or(-1.0)).then_with(|| recs[a].0.code.cmp(&recs[b].0.code))
        });
        let _ = writeln!(
            s,
            "### {}\n",
            match lang {
                Lang::Zh => zh,
                Lang::En => en,
            }
        );
        let mut tab = MdTable::new()
            .column(t(Label::Rank), Align::Right)
            .column(t(Label::District), Align::Left)
            .column(t(Label::CoveredShare), Align::Right)
            .column(format!("{} / {}", t(Label::Per1000), t(Label::Quota)), Align::Right)
            .column(t(Label::Unserved), Align::Right);
        for (k, &i) in ranked.iter().enumerate() {
            let c = cat(i);
            tab.row(vec![
                (k + 1).to_string(),
                district_cell(&recs[i].0, &recs[i].1),
                pct(c.covered_share),
                format!("{} / {}", fixed(c.per_1000, 2), fixed(c.quota_per_1000, 2)),
                format!("{:.0}", c.unserved),
            ]);
        }
        s.push_str(&tab.render());
        s.push('\n');
    }
    let failed: Vec<&DistrictRecord> = recs.iter().map(|r| &r.0).filter(|r| r.error.is_some()).collect();
    if !failed.is_empty() {
        let _ = writeln!(s, "## {}\n", t(Label::DistrictsNotAnalysed));
        let mut tab = MdTable::new()
            .column(t(Label::DistrictCode), Align::Left)
            .column(t(Label::District), Align::Left)
            .column(t(Label::Problem), Align::Left);
        for r in failed {
            tab.row(vec![format!("`{}`", r.code), r.name.clone(), r.error.clone().unwrap_or_default()]);
        }
        s.push_str(&tab.render());
        s.push('\n');
    }
    let _ = writeln!(s, "{}", super::ATTRIBUTION);
    s
}

/// Stages the three summary files.
pub fn stage_summary(set: &mut OutputSet, recs: &[Linked], lang: Lang) -> Result<()> {
    set.stage("districts.geojson", &districts_geojson(recs))?;
    set.stage("districts.csv", &districts_csv(recs)?)?;
    set.stage("districts.md", districts_md(recs, lang).as_bytes())?;
    Ok(())
}
