//! Stage 6 of the pipeline, **diagnostics**: the warnings that need the whole analysis — where the
//! residents were counted from, categories without data, facilities that could not be joined to
//! the network, and a registry declared WGS84 that looks like GCJ-02.
//!
//! Glossary: **GCJ-02** the obfuscated coordinate system of Chinese web maps (Amap, Tencent);
//! points given in it but read as WGS84 sit 300–700 m off, all in the same direction.

use crate::model::{Assessment, CategorySummary, Community, Facility, PopulationSource};
use crate::profile::Profile;
use crate::warnings::Warnings;

use super::Config;

/// What the residents were counted from, per source, with community counts and resident totals;
/// `None` when every population was given. Says first when a community layer gave none at all.
pub fn population_sources_warning(communities: &[Community], cfg: &Config, profile: &Profile) -> Option<String> {
    let p = &profile.population;
    let sources = [
        (PopulationSource::Given, "given in the layer".to_string()),
        (PopulationSource::Census, "census table by unit".to_string()),
        (PopulationSource::Raster, "population raster".to_string()),
        (PopulationSource::Estimated, format!("building floor area ÷ {} m² per resident", p.m2_per_resident)),
        (
            PopulationSource::EstimatedArea,
            format!(
                "ground area × {} ÷ {} m² per resident (no residential building mapped)",
                p.fallback_floor_area_ratio, p.m2_per_resident
            ),
        ),
    ];
    let given = communities.iter().filter(|c| c.source == PopulationSource::Given).count();
    if given == communities.len() {
        return None;
    }
    let parts: Vec<String> = sources
        .iter()
        .filter_map(|(src, what)| {
            let cs: Vec<&Community> = communities.iter().filter(|c| c.source == *src).collect();
            let total: f64 = cs.iter().map(|c| c.population.unwrap_or(0.0)).sum();
            (!cs.is_empty()).then(|| format!("{} communities from {what}: {total:.0} residents", cs.len()))
        })
        .collect();
    let total: f64 = communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();
    let lead = match &cfg.communities {
        Some(f) if given == 0 && cfg.population.is_none() => format!(
            "{}: no community gives a population, so all {} are estimated (add a `population` property, or give \
             --census/--population); ",
            f.display(),
            communities.len()
        ),
        _ => String::new(),
    };
    Some(format!("{lead}population {total:.0} residents, by source: {}", parts.join("; ")))
}

/// Units-based indicators need units: say so when the profile has some and no unit was given.
pub fn presence_without_units(profile: &Profile, units_empty: bool, warnings: &mut Warnings) {
    if units_empty && !profile.presence.is_empty() {
        warnings.push(format!(
            "profile {} has {} presence indicators (e.g. {}); give --units to evaluate them",
            profile.name,
            profile.presence.len(),
            profile.presence[0].id
        ));
    }
}

/// GCJ-02 coordinates passed as WGS84 sit 300–700 m off the streets, all in the same direction:
/// if converting the table facilities `declared` (indices into `facilities`) as GCJ-02 brings them
/// much closer to the network, or onto the extract's facilities of their category, say so.
pub fn gcj02_offset(
    cfg: &Config,
    graph: &crate::graph::WalkGraph,
    facilities: &[Facility],
    declared: &[usize],
    warnings: &mut Warnings,
) {
    if declared.len() < 3 {
        return;
    }
    let given: Vec<[f64; 2]> = declared.iter().map(|&i| facilities[i].point).collect();
    let as_gcj: Vec<[f64; 2]> = given
        .iter()
        .map(|p| {
            let (lon, lat) = crate::io::coord_transform::gcj02_to_wgs84(p[0], p[1]);
            [lon, lat]
        })
        .collect();
    let med = |pts: &[[f64; 2]]| -> f64 {
        let nodes = crate::plan::candidates_from_points(graph, pts);
        let mut d: Vec<f64> =
            pts.iter().zip(&nodes).map(|(p, &n)| crate::geom::haversine_m(*p, graph.lon_lat[n as usize])).collect();
        d.sort_by(f64::total_cmp);
        d.get(d.len() / 2).copied().unwrap_or(0.0)
    };
    let (m_given, m_gcj) = (med(&given), med(&as_gcj));
    // Against OSM facilities of the same category: the registry read as GCJ-02 coincides with
    // them, read as WGS84 it sits a few hundred metres away.
    let osm_same = |i: usize, p: [f64; 2]| -> Option<f64> {
        facilities
            .iter()
            .filter(|o| matches!(o.osm_type, "node" | "way" | "relation"))
            .filter(|o| o.categories.iter().any(|c| facilities[i].categories.contains(c)))
            .map(|o| crate::geom::haversine_m(o.point, p))
            .min_by(f64::total_cmp)
    };
    let mut pairs: Vec<(f64, f64)> = declared
        .iter()
        .zip(given.iter().zip(&as_gcj))
        .filter_map(|(&i, (g, c))| Some((osm_same(i, *g)?, osm_same(i, *c)?)))
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let by_osm = pairs.len() >= 3 && {
        let mg = pairs[pairs.len() / 2].0;
        let mut c: Vec<f64> = pairs.iter().map(|p| p.1).collect();
        c.sort_by(f64::total_cmp);
        (250.0..1000.0).contains(&mg) && c[c.len() / 2] < 0.3 * mg
    };
    if (m_given > 100.0 && m_gcj < 0.5 * m_given) || by_osm {
        warnings.push(format!(
            "{}: the {} facilities declared WGS84 look like GCJ-02 (systematically offset from the street network \
             and from OSM facilities of their category; median distance to the network {:.0} m as given, {:.0} m \
             if read as GCJ-02): add a column crs=gcj02",
            cfg.facilities.as_ref().map_or(String::new(), |p| p.display().to_string()),
            given.len(),
            m_given,
            m_gcj
        ));
    }
}

/// Facilities further than the snap limit from every walkable way: not used.
pub fn unattached_facilities(profile: &Profile, facilities: &[Facility], warnings: &mut Warnings) {
    let far: Vec<&Facility> = facilities.iter().filter(|f| f.node.is_none()).collect();
    if !far.is_empty() {
        warnings.push(format!(
            "{} facilities are further than {} m from any walkable way and were not used: {}",
            far.len(),
            profile.walk.snap_limit_m,
            far.iter()
                .take(10)
                .map(|f| format!("{}/{} {:?} ({:.0} m)", f.osm_type, f.osm_id, f.name, f.snap_m))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}

/// Categories declared complete without a facility, and categories not assessed (no data).
pub fn assessment(profile: &Profile, summaries: &[CategorySummary], warnings: &mut Warnings) {
    for (k, s) in summaries.iter().enumerate() {
        if s.assessment == Assessment::DeclaredComplete {
            warnings.add(
                "categories without any facility although their data is declared complete (every resident counts as \
                 unserved)",
                profile.categories[k].id.clone(),
            );
        }
    }
    let no_data: Vec<&str> = summaries
        .iter()
        .enumerate()
        .filter(|(_, s)| s.assessment == Assessment::NoData)
        .map(|(k, _)| profile.categories[k].id.as_str())
        .collect();
    if !no_data.is_empty() {
        warnings.push(format!(
            "{} categories have no facility in the inputs and are not assessed (no data; left out of the index, \
             gaps and maps): {}; supply a facility table (--facilities) or declare the data complete (--complete)",
            no_data.len(),
            no_data.join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn community(name: &str, population: f64, source: PopulationSource) -> Community {
        Community {
            id: name.into(),
            name: name.into(),
            polygons: Vec::new(),
            population: Some(population),
            source,
            age_groups: Vec::new(),
        }
    }

    /// The population warning says what was used per source, with counts and totals — not "floor
    /// area" for communities estimated from ground area.
    #[test]
    fn population_warning_counts_every_source() {
        let profile = Profile::load("default", None).unwrap();
        let mut cfg = Config::new(Some(crate::analyze::helsinki_fixture()), profile.clone(), "out".into());
        let cs = vec![
            community("a", 100.0, PopulationSource::Estimated),
            community("b", 1000.0, PopulationSource::EstimatedArea),
            community("c", 2000.0, PopulationSource::EstimatedArea),
        ];
        let w = population_sources_warning(&cs, &cfg, &profile).unwrap();
        assert!(w.contains("population 3100 residents"), "{w}");
        assert!(w.contains("1 communities from building floor area ÷ 35 m² per resident: 100 residents"), "{w}");
        assert!(w.contains("2 communities from ground area × 1 ÷ 35 m² per resident"), "{w}");
        assert!(w.contains("(no residential building mapped): 3000 residents"), "{w}");
        assert!(!w.contains("no community gives a population"), "derived communities: {w}");
        cfg.communities = Some("c.geojson".into());
        let w = population_sources_warning(&cs, &cfg, &profile).unwrap();
        assert!(w.starts_with("c.geojson: no community gives a population, so all 3 are estimated"), "{w}");
        let given = vec![community("g", 5.0, PopulationSource::Given)];
        assert_eq!(population_sources_warning(&given, &cfg, &profile), None);
    }
}
