//! The gap report planners act on: `report.md` and `gaps.csv`.
//!
//! Headline table per category for the chosen year; the communities that fail, ranked by
//! unserved residents, with what each lacks (categories, residents beyond the threshold, capacity
//! shortfall); coverage at adult vs elderly walking speed for the 一老一小 categories; the composite
//! formula; the assumptions made; data-quality warnings. Numbers are rounded exactly as in
//! `communities.geojson` (shares 1e-4, per-1,000 1e-3, residents 0.1), so the two agree.

use std::fmt::Write;

use crate::model::{Analysis, CommunityCategory};
use crate::profile::{Category, Lang, QuotaBase};

use super::ATTRIBUTION;
use super::format::{fixed, html_text, pct, round};
use super::i18n::Label;
use super::md_table::{Align, MdTable};

fn pass_mark(lang: Lang, p: Option<bool>) -> &'static str {
    match p {
        Some(true) => Label::Pass.text(lang),
        Some(false) => Label::FailMark.text(lang),
        None => "–",
    }
}

/// The population a quota is counted per, in words.
pub fn base_label(lang: Lang, c: &Category) -> String {
    match (c.quota_base, lang) {
        (QuotaBase::All, Lang::Zh) => "每千常住人口".into(),
        (QuotaBase::All, Lang::En) => "per 1,000 residents".into(),
        (QuotaBase::Group, Lang::Zh) => format!("每千{}", c.demand.join("+")),
        (QuotaBase::Group, Lang::En) => format!("per 1,000 of {}", c.demand.join("+")),
    }
}

/// Failing (community, category) pairs of the assessed categories, by category (profile order),
/// then ranked by the category's unserved residents (descending), then community id. Residents are
/// never added across categories: each category has its own ranking.
pub fn failing_pairs(a: &Analysis) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = Vec::new();
    for (ci, cc) in a.per_community.iter().enumerate() {
        for (k, f) in cc.iter().enumerate() {
            if f.fails() {
                v.push((ci, k));
            }
        }
    }
    v.sort_by(|x, y| {
        let (fx, fy) = (&a.per_community[x.0][x.1], &a.per_community[y.0][y.1]);
        x.1.cmp(&y.1)
            .then_with(|| round(fy.unserved, 1).total_cmp(&round(fx.unserved, 1)))
            .then_with(|| a.communities[x.0].id.cmp(&a.communities[y.0].id))
    });
    v
}

/// `gaps.csv`: one row per failing (community, assessed category), grouped by category; `rank` is
/// the rank within the category (by unserved residents).
pub fn gaps_csv(a: &Analysis) -> Vec<u8> {
    // Quoted only where needed (a comma, quote or line break in a name), `""` doubling a quote.
    let mut w = csv::WriterBuilder::new().quote_style(csv::QuoteStyle::Necessary).from_writer(Vec::new());
    let o = |x: Option<f64>, d: i32| x.map_or(String::new(), |v| round(v, d).to_string());
    let b = |x: Option<bool>| x.map_or(String::new(), |v| v.to_string());
    let rows = ranked_within_category(failing_pairs(a)).into_iter().map(|(rank, (ci, k))| {
        let c = &a.communities[ci];
        let cat = &a.profile.categories[k];
        let f = &a.per_community[ci][k];
        [
            (rank + 1).to_string(),
            c.id.clone(),
            c.name.clone(),
            o(c.population, 1),
            c.source.as_str().to_string(),
            cat.id.clone(),
            round(f.stats.demand, 1).to_string(),
            o(f.stats.covered_share, 4),
            cat.coverage_target.to_string(),
            round(f.unserved, 1).to_string(),
            o(f.stats.mean_s, 1),
            o(f.stats.p90_s, 1),
            o(f.per_1000, 3),
            cat.quota_per_1000.map_or(String::new(), |v| v.to_string()),
            match cat.quota_base {
                QuotaBase::All => "all",
                QuotaBase::Group => "group",
            }
            .to_string(),
            o(f.capacity_shortfall, 1),
            b(f.pass),
            b(f.quota_pass),
        ]
    });
    // Writing into memory cannot fail.
    w.write_record(GAPS_HEADER).expect("in-memory CSV");
    for r in rows {
        w.write_record(&r).expect("in-memory CSV");
    }
    w.into_inner().expect("in-memory CSV")
}

/// The columns of `gaps.csv`.
pub const GAPS_HEADER: [&str; 18] = [
    "rank",
    "community_id",
    "community",
    "population",
    "population_source",
    "category",
    "demand",
    "covered_share",
    "coverage_target",
    "unserved",
    "mean_s",
    "p90_s",
    "per_1000",
    "quota_per_1000",
    "quota_base",
    "capacity_shortfall",
    "coverage_pass",
    "quota_pass",
];

/// `(rank within its category, 0-based; pair)` for pairs grouped by category.
fn ranked_within_category(pairs: Vec<(usize, usize)>) -> Vec<(usize, (usize, usize))> {
    let mut out = Vec::with_capacity(pairs.len());
    let mut prev = usize::MAX;
    let mut rank = 0;
    for p in pairs {
        rank = if p.1 == prev { rank + 1 } else { 0 };
        prev = p.1;
        out.push((rank, p));
    }
    out
}

fn missing_line(lang: Lang, cat: &Category, f: &CommunityCategory) -> String {
    let mut parts = Vec::new();
    if f.pass == Some(false) {
        parts.push(match lang {
            Lang::Zh => format!(
                "{:.1} 名居民超出 {:.0} 分钟步行（覆盖率 {} < 目标 {:.0}%{}）",
                round(f.unserved, 1),
                cat.threshold_s / 60.0,
                pct(f.stats.covered_share),
                100.0 * cat.coverage_target,
                if cat.coverage_source.is_none() { "，默认值" } else { "" }
            ),
            Lang::En => format!(
                "{:.1} residents beyond {:.0} min walk (covered {} < target {:.0}%{})",
                round(f.unserved, 1),
                cat.threshold_s / 60.0,
                pct(f.stats.covered_share),
                100.0 * cat.coverage_target,
                if cat.coverage_source.is_none() { ", default" } else { "" }
            ),
        });
    }
    if f.quota_pass == Some(false) {
        let unit = if cat.capacity_unit.is_empty() { "places" } else { cat.capacity_unit.as_str() };
        parts.push(match lang {
            Lang::Zh => format!(
                "{} {} {}（定额 {}），缺口 {} {}",
                base_label(lang, cat),
                fixed(f.per_1000, 3),
                unit,
                fixed(cat.quota_per_1000, 2),
                fixed(f.capacity_shortfall, 1),
                unit
            ),
            Lang::En => format!(
                "{} {} {} {} (quota {}), shortfall {} {}",
                fixed(f.per_1000, 3),
                unit,
                base_label(lang, cat),
                "",
                fixed(cat.quota_per_1000, 2),
                fixed(f.capacity_shortfall, 1),
                unit
            )
            .replace("  ", " "),
        });
    }
    format!("{} ({}): {}", cat.label(lang), cat.id, parts.join("; "))
}

/// `report.md`.
pub fn report_md(a: &Analysis) -> Vec<u8> {
    let p = &a.profile;
    let lang = p.lang;
    let mut s = String::new();
    // Sections are numbered in the order they appear (a section left out takes no number).
    let mut section = 0;
    let mut next = || {
        section += 1;
        section
    };
    let _ = writeln!(s, "# {}\n", Label::ReportTitle.text(lang));
    let year = p.year.map_or(Label::NoYear.text(lang).to_string(), |y| y.to_string());
    let population: f64 = a.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();
    let _ = writeln!(
        s,
        "{}: `{}` · {}: `{}` · {}: {} · {}: {} m/s · {}: {} · {}: {:.0}\n",
        Label::Input.text(lang),
        super::i18n::input_label(&a.input_label, lang),
        Label::Profile.text(lang),
        p.name,
        Label::TargetYear.text(lang),
        year,
        Label::WalkingSpeedHeading.text(lang),
        p.walk.speed_mps,
        Label::CommunityCount.text(lang),
        a.communities.len(),
        Label::PopulationHeading.text(lang),
        round(population, 1)
    );
    let _ = writeln!(s, "{}\n", ATTRIBUTION);
    for l in super::assessment::lines(a) {
        let _ = writeln!(s, "- {l}");
    }
    s.push('\n');

    // 1. Headline.
    let _ = writeln!(s, "## {}. {}\n", next(), Label::HeadlinePerCategory.text(lang));
    let mut table = MdTable::new()
        .column(Label::Category.text(lang), Align::Left)
        .column(Label::Threshold.text(lang), Align::Right)
        .column(Label::Facilities.text(lang), Align::Right)
        .column(Label::ResidentsCovered.text(lang), Align::Right)
        .column(Label::Target.text(lang), Align::Right)
        .column(Label::Per1000Base.text(lang), Align::Left)
        .column(Label::Quota.text(lang), Align::Right)
        .column(Label::Index.text(lang), Align::Right)
        .column(Label::Conclusion.text(lang), Align::Left);
    for (k, c) in p.categories.iter().enumerate() {
        let st = &a.categories[k];
        let per = st.per_1000.map_or("–".to_string(), |v| format!("{} ({})", fixed(Some(v), 3), base_label(lang, c)));
        table.row(vec![
            format!("{} `{}`", c.label(lang), c.id),
            c.threshold_m.map_or(format!("{:.0} min", c.threshold_s / 60.0), |m| format!("{m:.0} m")),
            st.facilities.to_string(),
            pct(st.stats.covered_share),
            format!(
                "{:.0}%{}",
                100.0 * c.coverage_target,
                if c.coverage_source.is_none() { Label::DefaultMark.text(lang) } else { "" }
            ),
            per,
            fixed(c.quota_per_1000, 2),
            fixed(st.score, 1),
            if st.assessment.assessed() { pass_mark(lang, st.pass) } else { Label::NotAssessed.text(lang) }.to_string(),
        ]);
    }
    s.push_str(&table.render());
    let _ = writeln!(s, "\n{}: **{}** / 100\n", Label::OverallCompositeIndex.text(lang), fixed(a.overall_score, 1));
    let _ = writeln!(s, "{}:\n", Label::TargetsTheirSources.text(lang));
    for line in p.target_lines(lang) {
        let _ = writeln!(s, "- {line}");
    }
    let _ = writeln!(s);

    // 2. Failing communities, per category.
    let pairs = failing_pairs(a);
    let _ = writeln!(s, "## {}. {} ({})\n", next(), Label::FailingCommunitiesHeading.text(lang), pairs.len());
    let _ = writeln!(s, "{}\n", Label::UnservedExplained.text(lang));
    if pairs.is_empty() {
        let _ = writeln!(s, "{}\n", Label::Nothing.text(lang));
    }
    let limit = 10;
    let ranked = ranked_within_category(pairs);
    for (k, cat) in p.categories.iter().enumerate() {
        let of_cat: Vec<&(usize, (usize, usize))> = ranked.iter().filter(|(_, (_, kk))| *kk == k).collect();
        if of_cat.is_empty() {
            continue;
        }
        let unserved: f64 = of_cat.iter().map(|(_, (ci, _))| round(a.per_community[*ci][k].unserved, 1)).sum();
        let _ = writeln!(
            s,
            "### {} `{}` — {} {}, {} {:.1}\n",
            cat.label(lang),
            cat.id,
            of_cat.len(),
            Label::CommunitiesFail.text(lang),
            Label::UnservedResidentsAll.text(lang),
            round(unserved, 1)
        );
        for (rank, (ci, _)) in of_cat.iter().take(limit) {
            let c = &a.communities[*ci];
            let _ = writeln!(
                s,
                "{}. **{}** (`{}`, {} {:.1}, {}) — {}",
                rank + 1,
                c.name,
                c.id,
                Label::Population.text(lang),
                round(c.population.unwrap_or(0.0), 1),
                c.source.as_str(),
                missing_line(lang, cat, &a.per_community[*ci][k])
            );
        }
        if of_cat.len() > limit {
            let _ = writeln!(s, "\n… {} {}", of_cat.len() - limit, Label::MoreGapsCsv.text(lang));
        }
        s.push('\n');
    }

    // 3. Sensitivity.
    let sens: Vec<usize> =
        (0..p.categories.len()).filter(|&k| a.categories[k].covered_share_elderly.is_some()).collect();
    if !sens.is_empty() {
        let _ = writeln!(s, "\n## {}. {}\n", next(), Label::ElderlySpeedHeading.text(lang));
        let mut table = MdTable::new()
            .column(Label::Category.text(lang), Align::Left)
            .column(format!("{} {} m/s", Label::Adult.text(lang), p.walk.speed_mps), Align::Right)
            .column(format!("{} {} m/s", Label::Elderly.text(lang), p.walk.elderly_speed_mps), Align::Right);
        for k in sens {
            let c = &p.categories[k];
            let st = &a.categories[k];
            table.row(vec![
                format!("{} `{}`", c.label(lang), c.id),
                pct(st.stats.covered_share),
                pct(st.covered_share_elderly),
            ]);
        }
        s.push_str(&table.render());
    }

    // 4. Formula.
    let _ = writeln!(s, "\n## {}. {}\n", next(), Label::CompositeIndexFormula.text(lang));
    let _ = writeln!(
        s,
        "{}\n\n`score = 100 × ({}·可及 + {}·均衡 + {}·优质) / ({} + {} + {})`\n\n{}\n",
        Label::FormulaIntro.text(lang),
        p.index.access,
        p.index.balance,
        p.index.quality,
        p.index.access,
        p.index.balance,
        p.index.quality,
        Label::FormulaTerms.text(lang)
    );

    // 5. Assumptions.
    if lang == Lang::Zh {
        let _ = writeln!(s, "{}\n", Label::SfcaMethod.text(lang));
    }
    let _ = writeln!(s, "## {}. {}\n", next(), Label::Assumptions.text(lang));
    let est = a.communities.iter().filter(|c| c.source != crate::community::PopulationSource::Given).count();
    let _ = writeln!(
        s,
        "- {}: {} / {} ({} {} m²/{})",
        Label::CommunitiesEstimatedPopulation.text(lang),
        est,
        a.communities.len(),
        Label::ResidentialFloorArea.text(lang),
        p.population.m2_per_resident,
        Label::Resident.text(lang)
    );
    if let Some(h) = &a.halo {
        let _ = writeln!(
            s,
            "- {}",
            match lang {
                Lang::Zh => format!(
                    "区域裁剪（--clip）：区外缓冲带 {} 个社区的 {:.0} 名居民（其中 {} 个社区由 OSM 推算）参与设施容量分配                     （两步移动搜索法第一步），但不计入任何统计；区内边界社区的千人指标因此与全域计算一致。",
                    h.communities, h.population, h.derived
                ),
                Lang::En => format!(
                    "District clip (--clip): {:.0} residents of {} communities in the halo beyond the district ({} of                      them derived from the extract) share facility capacity (2SFCA step 1) but are in no figure, so                      border communities get the same per-1,000 figures as in a run over the whole area.",
                    h.population, h.communities, h.derived
                ),
            }
        );
    }
    for (k, c) in p.categories.iter().enumerate() {
        let st = &a.categories[k];
        if st.capacity_assumed > 0 {
            let _ = writeln!(
                s,
                "- {} `{}`: {} {} {} {}",
                c.label(lang),
                c.id,
                st.capacity_assumed,
                Label::FacilitiesAssumedCapacity.text(lang),
                fixed(c.default_capacity, 0),
                super::i18n::capacity_unit(&c.capacity_unit, lang)
            );
        }
    }
    let _ = writeln!(
        s,
        "- {}: {} m/s ({} {} m/s); {}",
        Label::WalkingSpeed.text(lang),
        p.walk.speed_mps,
        Label::Elderly.text(lang),
        p.walk.elderly_speed_mps,
        Label::StepsWalkedSlower.text(lang)
    );
    let shares: Vec<String> = p
        .age_shares
        .iter()
        .map(|(k, v)| {
            let src = p.age_share_sources.get(k).map_or(crate::profile::default_label(lang), |s| s.as_str());
            format!("{k} {:.2}% ({src})", 100.0 * v)
        })
        .collect();
    let _ = writeln!(s, "- {}: {}", Label::AgeShares.text(lang), shares.join("; "));
    let defaults: Vec<&str> =
        p.categories.iter().filter(|c| c.coverage_source.is_none()).map(|c| c.id.as_str()).collect();
    if !defaults.is_empty() {
        let _ = writeln!(s, "- {}: {}", Label::DefaultCoverageTargets.text(lang), defaults.join(", "));
    }

    // 6. Data quality.
    let _ = writeln!(s, "\n## {}. {}\n", next(), Label::DataQualityWarnings.text(lang));
    if a.warnings.is_empty() {
        let _ = writeln!(s, "- {}", Label::Nothing.text(lang));
    }
    for w in &a.warnings {
        let _ = writeln!(s, "- {}", super::i18n::warning(lang, w));
    }
    let o = &a.osm_stats;
    let _ = writeln!(
        s,
        "- {}: {}; {}: {}",
        Label::WalkableWaysCutExtractEdge.text(lang),
        o.ways_cut_at_edge,
        Label::StreetNodesOffMainNetwork.text(lang),
        a.island_nodes
    );
    if !p.notes.is_empty() {
        let _ = writeln!(s, "\n## {}. {}\n", next(), Label::PlanIndicatorsFromSeedDocuments.text(lang));
        for n in &p.notes {
            let _ = writeln!(s, "- {n}");
        }
    }
    s.into_bytes()
}

/// The failing communities of the gap report as an HTML table (for `report.html`): the first 10
/// of each assessed category, ranked like `gaps.csv`.
pub fn gap_tables_html(a: &Analysis) -> String {
    let lang = a.profile.lang;
    let mut s = format!(
        "<h3>{}</h3><table class=\"gaps\"><thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        Label::FailingCommunitiesHeading.text(lang),
        Label::Community.text(lang),
        Label::Category.text(lang),
        Label::Covered.text(lang),
        Label::Target.text(lang),
        Label::Unserved.text(lang),
        Label::Per1000.text(lang),
        Label::CapacityShortfall.text(lang),
    );
    for (rank, (ci, k)) in ranked_within_category(failing_pairs(a)).into_iter().filter(|(r, _)| *r < 10) {
        let (c, cat, f) = (&a.communities[ci], &a.profile.categories[k], &a.per_community[ci][k]);
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}%{}</td><td>{:.1}</td><td>{}</td><td>{}</td></tr>",
            rank + 1,
            html_text(&c.name),
            html_text(cat.label(lang)),
            pct(f.stats.covered_share),
            100.0 * cat.coverage_target,
            if cat.coverage_source.is_none() { Label::DefaultMark.text(lang) } else { "" },
            round(f.unserved, 1),
            fixed(f.per_1000, 3),
            fixed(f.capacity_shortfall, 1)
        );
    }
    s.push_str("</tbody></table>");
    s
}
