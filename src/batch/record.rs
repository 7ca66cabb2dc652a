//! One district's [`DistrictRecord`] from its analysis, or from the problem that stopped it.
//!
//! Glossary: see [`crate::model::district_record`].

use crate::io::districts::District;
use crate::model::Analysis;
use crate::model::district_record::{DistrictCategory, DistrictRecord, WeakCommunity};

/// Communities listed as a district's weakest.
pub const WEAKEST: usize = 3;

fn base(d: &District, total: usize, lang: crate::profile::Lang, page: &str) -> DistrictRecord {
    DistrictRecord {
        feature: d.feature,
        districts_total: total,
        code: d.code.clone(),
        name: d.name.clone(),
        lang: lang.pick("zh", "en").to_string(),
        page: page.to_string(),
        error: None,
        polygons: d.area.as_ref().ok().map(|a| a.polygons.clone()),
        population: 0.0,
        communities: 0,
        score: None,
        categories: Vec::new(),
        weakest: Vec::new(),
    }
}

/// The record of a district that could not be analysed.
pub fn failed(d: &District, total: usize, lang: crate::profile::Lang, error: String) -> DistrictRecord {
    DistrictRecord { error: Some(error), ..base(d, total, lang, "") }
}

/// The record of an analysed district; `page` is its report's file name (`report.html`).
pub fn analysed(d: &District, total: usize, a: &Analysis, page: &str) -> DistrictRecord {
    let p = &a.profile;
    let categories = p
        .categories
        .iter()
        .zip(&a.categories)
        .map(|(c, s)| DistrictCategory {
            id: c.id.clone(),
            label_zh: c.label_zh.clone(),
            label_en: c.label_en.clone(),
            assessed: s.assessment.assessed(),
            covered_share: s.stats.covered_share,
            per_1000: s.per_1000,
            quota_per_1000: c.quota_per_1000,
            unserved: s.unserved,
        })
        .collect();
    let mut weakest: Vec<WeakCommunity> = a
        .communities
        .iter()
        .zip(&a.community_score)
        .filter(|(_, s)| s.is_some())
        .map(|(c, s)| WeakCommunity {
            id: c.id.clone(),
            name: c.name.clone(),
            score: *s,
            population: c.population.unwrap_or(0.0),
        })
        .collect();
    weakest.sort_by(|x, y| x.score.unwrap_or(0.0).total_cmp(&y.score.unwrap_or(0.0)).then_with(|| x.id.cmp(&y.id)));
    weakest.truncate(WEAKEST);
    DistrictRecord {
        population: a.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum(),
        communities: a.communities.len(),
        score: a.overall_score,
        categories,
        weakest,
        ..base(d, total, p.lang, page)
    }
}
