//! Stage 1 of the pipeline, **inputs**: the communities (read, checked, or derived from the extract),
//! which of them lie in the district (`--clip`), the planning units, the area targets measured over
//! them, the population (given, census by unit, raster or estimated) and the demand points.
//!
//! Glossary:
//! - **district / halo**: with `--clip`, communities whose main part lies inside the clip area are
//!   the district and are reported; the others (the halo) take part in the catchments only.
//! - **placed population**: residents spread from a census table or a raster onto buildings
//!   ([`crate::population`]), before the demand points are made.

use crate::community::{self, Community, CommunityOrigin, DemandPoint, PopulationSource};
use crate::error::{Error, Result};
use crate::model::{AreaMeasure, Unit};
use crate::osm::OsmData;
use crate::population::PopPoint;
use crate::profile::Profile;
use crate::warnings::Warnings;

use super::on_extract::check_on_extract;
use super::{Config, PopulationInput, UnitsSource, ms};

/// What the inputs stage hands on.
#[derive(Clone, Debug)]
pub struct Inputs {
    /// District communities first in layer order, then (with `--clip`) derived halo communities.
    pub communities: Vec<Community>,
    pub origin: CommunityOrigin,
    /// Per community: inside the district (every one without `--clip`).
    pub in_district: Vec<bool>,
    /// Halo communities derived from the extract because the layer did not cover them.
    pub halo_derived: usize,
    pub units: Vec<Unit>,
    pub area_measures: Vec<AreaMeasure>,
    pub demand: Vec<DemandPoint>,
    /// Time spent measuring the area targets, ms (reported as its own stage).
    pub areas_ms: f64,
}

/// Runs the stage: communities, district membership, units, area targets, population, demand.
pub fn prepare(cfg: &Config, osm: &OsmData, warnings: &mut Warnings) -> Result<Inputs> {
    let profile = &cfg.profile;
    let (mut communities, origin) = communities(cfg, osm, warnings)?;
    let (in_district, halo_derived) = district(cfg, osm, &mut communities, origin)?;
    let units = planning_units(cfg, osm, warnings)?;
    let t_areas = std::time::Instant::now();
    let clip_polygons = cfg.clip.as_ref().map(|c| c.polygons.as_slice());
    let area_measures = crate::areas::measure(&osm.area_features, &profile.area_targets, &units, clip_polygons);
    let areas_ms = ms(t_areas);
    let placed = place_population(cfg, osm, &units, warnings)?;
    let demand = demand_points(profile, osm, &mut communities, placed, warnings);
    for c in communities.iter().zip(&in_district).filter(|x| *x.1).map(|x| x.0) {
        if c.population == Some(0.0) {
            warnings.add("communities with zero population", format!("{} ({})", c.id, c.name));
        }
    }
    Ok(Inputs { communities, origin, in_district, halo_derived, units, area_measures, demand, areas_ms })
}

/// The community layer (checked against the extract, repaired, overlaps reported), or communities
/// derived from the extract.
fn communities(cfg: &Config, osm: &OsmData, warnings: &mut Warnings) -> Result<(Vec<Community>, CommunityOrigin)> {
    let Some(p) = &cfg.communities else {
        return Ok(community::derive_communities(osm, cfg.profile.population.grid_cell_m));
    };
    let mut cs = community::read_geojson::read_communities_with(p, &cfg.layer_options)?;
    warnings.extend(crate::io::layer::encoding_note(p, &cfg.layer_options));
    let boxes: Vec<(String, [f64; 4])> = cs.iter().map(|c| (c.name.clone(), c.bbox())).collect();
    // `"population": 1.008` as a JSON number: a thousands dot a spreadsheet read as a decimal.
    for c in &cs {
        if let Some(x) = c.population
            && x.fract() != 0.0
            && x < 1000.0
            && ((x * 1000.0).round() - x * 1000.0).abs() < 1e-6
        {
            warnings.add(
                "communities with a fractional population of at most 3 decimals (a thousands separator read as a \
                 decimal point? 1.008 residents may be 1,008)",
                format!("{} ({x})", c.name),
            );
        }
    }
    let off = check_on_extract(p, &cfg.layer_options, osm.bbox, &boxes, "communities")?;
    // With --clip, communities beyond the area are dropped below anyway.
    for name in off.into_iter().filter(|_| cfg.clip.is_none()) {
        warnings.add("communities off the extract (their residents are joined to the nearest street)", name);
    }
    for w in community::validate::repair_polygons(&mut cs).map_err(|m| Error::input(p, "communities", m))? {
        warnings.add("invalid community polygons repaired", w);
    }
    let ov = community::validate::overlaps(&cs);
    if !ov.is_empty() {
        let mut top = ov.clone();
        top.sort_by(|a, b| b.2.max(b.3).total_cmp(&a.2.max(a.3)));
        warnings.push(format!(
            "{} pairs of communities overlap (their shared residents are counted once, in the first): {}",
            ov.len(),
            top.iter()
                .take(5)
                .map(|&(i, j, si, sj)| format!(
                    "{} / {} ({:.1}% / {:.1}%)",
                    cs[i].name,
                    cs[j].name,
                    100.0 * si,
                    100.0 * sj
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok((cs, CommunityOrigin::File))
}

/// Which communities are in the district, and how many halo communities were derived.
///
/// With `--clip`, only the communities inside the district are scored, but the residents of the
/// halo stay in the analysis until the catchments are formed: a facility near the border serves
/// them too, and its capacity is shared among all of them (2SFCA step 1). Dropping them first
/// would inflate the per-1,000 figures of border communities. A layer that covers only the
/// district gets the halo's residents estimated from the extract, as a derived run would (they
/// are never reported).
fn district(
    cfg: &Config,
    osm: &OsmData,
    communities: &mut Vec<Community>,
    origin: CommunityOrigin,
) -> Result<(Vec<bool>, usize)> {
    let Some(clip) = &cfg.clip else {
        return Ok((vec![true; communities.len()], 0));
    };
    let main_centroid = |c: &Community| {
        let main = c.polygons.iter().max_by(|a, b| {
            crate::geom::polygon::polygon_area_m2(a).total_cmp(&crate::geom::polygon::polygon_area_m2(b))
        });
        main.and_then(|p| crate::geom::polygon::polygon_centroid(p))
    };
    let mut inside: Vec<bool> =
        communities.iter().map(|c| main_centroid(c).is_some_and(|p| clip.contains(p))).collect();
    if !inside.iter().any(|&x| x) {
        return Err(Error::Config(format!(
            "--clip: none of the {} communities lies inside the clip area (wrong --clip-crs, or an extract that does \
             not cover the area?)",
            communities.len()
        )));
    }
    let mut derived_count = 0;
    if origin == CommunityOrigin::File {
        let (derived, _) = community::derive_communities(osm, cfg.profile.population.grid_cell_m);
        for c in derived {
            if main_centroid(&c).is_some_and(|p| !clip.contains(p) && !communities.iter().any(|g| g.contains(p))) {
                communities.push(c);
                inside.push(false);
                derived_count += 1;
            }
        }
    }
    Ok((inside, derived_count))
}

/// The planning units: from the extract's administrative boundaries, or from a layer.
fn planning_units(cfg: &Config, osm: &OsmData, warnings: &mut Warnings) -> Result<Vec<Unit>> {
    let profile = &cfg.profile;
    match &cfg.units {
        Some(UnitsSource::Osm) => {
            if profile.units.admin_levels.is_empty() {
                return Err(Error::Config(format!(
                    "--units osm: profile {} names no admin levels ([units] admin_levels = [6, 8, 10])",
                    profile.name
                )));
            }
            warnings.extend(crate::units::from_osm::incomplete_warning(&osm.admin_incomplete));
            if osm.admin_boundaries.is_empty() {
                return Err(Error::Config(format!(
                    "--units osm: no complete boundary=administrative relation of admin_level {:?} in the extract",
                    profile.units.admin_levels
                )));
            }
            Ok(crate::units::units_from_osm(&osm.admin_boundaries, &profile.units))
        }
        Some(UnitsSource::File(p)) => {
            let us = crate::units::read::read_units_with(p, &cfg.layer_options)?;
            warnings.extend(crate::io::layer::encoding_note(p, &cfg.layer_options));
            let boxes: Vec<(String, [f64; 4])> = us.iter().map(|u| (u.name.clone(), u.bbox())).collect();
            check_on_extract(p, &cfg.layer_options, osm.bbox, &boxes, "units")?;
            Ok(us)
        }
        None => {
            warnings.extend(crate::units::from_osm::incomplete_warning(&osm.admin_incomplete));
            Ok(crate::units::units_from_osm(&osm.admin_boundaries, &profile.units))
        }
    }
}

/// Residents spread from a census table (by unit) or a raster onto buildings; `None` without either.
fn place_population(
    cfg: &Config,
    osm: &OsmData,
    units: &[Unit],
    warnings: &mut Warnings,
) -> Result<Option<(Vec<PopPoint>, PopulationSource)>> {
    let profile = &cfg.profile;
    match &cfg.population {
        None => Ok(None),
        Some(PopulationInput::Census(path)) => {
            if units.is_empty() {
                return Err(Error::Config("--census needs --units (the units the table is by)".into()));
            }
            let rows = crate::population::census::read_census_with(path, cfg.sheet.as_deref())?;
            warnings.extend(crate::io::number::csv_dialect_note(path));
            let spread = crate::population::spread::spread_census(units, &rows, &osm.buildings, &profile.population)?;
            if !spread.unmatched_rows.is_empty() {
                warnings.push(format!(
                    "{}: rows {:?} match no unit and were not placed",
                    path.display(),
                    spread.unmatched_rows
                ));
            }
            if !spread.on_grid.is_empty() {
                warnings.push(format!(
                    "{}: {} units have no residential building; their residents sit on a sample grid",
                    path.display(),
                    spread.on_grid.len()
                ));
            }
            Ok(Some((spread.points, PopulationSource::Census)))
        }
        Some(PopulationInput::Raster(path)) => {
            let r = crate::population::raster::read_raster(path)?;
            // With --clip, the halo's residents take part in the catchments too: the raster is
            // read over the district's box grown by the halo, not the district alone.
            let area: Option<crate::geom::MultiPolygon> = cfg.clip.as_ref().map(|c| {
                let b = c.bbox_with_halo();
                vec![vec![vec![[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]], [b[0], b[1]]]]]
            });
            let spread =
                crate::population::raster::spread_raster(&r, &osm.buildings, area.as_deref(), &profile.population);
            if spread.cells_without_building > 0 {
                warnings.push(format!(
                    "{}: {} of {} populated cells have no residential building; their residents sit at the cell centre",
                    path.display(),
                    spread.cells_without_building,
                    spread.cells
                ));
            }
            Ok(Some((spread.points, PopulationSource::Raster)))
        }
    }
}

/// Completes every community's population from the placed residents (when given) and makes the
/// demand points.
fn demand_points(
    profile: &Profile,
    osm: &OsmData,
    communities: &mut [Community],
    placed: Option<(Vec<PopPoint>, PopulationSource)>,
    warnings: &mut Warnings,
) -> Vec<DemandPoint> {
    let mut point_community: Vec<Option<usize>> = Vec::new();
    if let Some((points, source)) = &placed {
        let totals = crate::population::community_totals(points, communities);
        if totals.outside > 0.0 {
            warnings.push(format!(
                "{:.0} residents of the population source lie outside every community ({} points)",
                totals.outside, totals.outside_points
            ));
        }
        for (i, c) in communities.iter_mut().enumerate() {
            if c.source != PopulationSource::Given {
                c.population = Some(totals.population[i]);
                c.source = *source;
                c.age_groups = totals.age_groups[i].clone();
            }
        }
        point_community = totals.point_community;
    }
    let (mut demand, mut blended) = community::demand_points_blended(communities, &osm.buildings, &profile.population);
    blended.retain(|&(c, _)| communities[c as usize].source != PopulationSource::Raster);
    if !blended.is_empty() {
        let moved: f64 =
            blended.iter().map(|&(c, s)| communities[c as usize].population.unwrap_or(0.0) * (1.0 - s)).sum();
        warnings.push(format!(
            "{} communities: their mapped residential buildings house less than {:.0}% of their population \
             (population.min_building_share, at {} m² per resident); {moved:.0} residents were placed on area \
             samples instead of on those buildings: {}",
            blended.len(),
            100.0 * profile.population.min_building_share,
            profile.population.m2_per_resident,
            blended
                .iter()
                .take(10)
                .map(|&(c, s)| format!("{} ({:.1}% housed)", communities[c as usize].name, 100.0 * s))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some((points, PopulationSource::Raster)) = &placed {
        // Raster residents stay where the raster puts them: its points are the demand points.
        let from_raster: Vec<bool> = communities.iter().map(|c| c.source == PopulationSource::Raster).collect();
        demand.retain(|d| !from_raster[d.community as usize]);
        demand.extend(crate::population::place::demand_from_points(points, &point_community, &from_raster));
        demand.sort_by_key(|d| d.community);
    }
    demand
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    fn embedded() -> (Config, OsmData) {
        let cfg = Config::new(
            Some(crate::analyze::helsinki_fixture()),
            Profile::load("default", None).unwrap(),
            "out".into(),
        );
        let osm = super::super::load(&cfg).unwrap();
        (cfg, osm)
    }

    /// Derived communities on the embedded extract: all in the district, every resident on a demand
    /// point of its own community, populations estimated.
    #[test]
    fn derived_communities_carry_every_resident_on_demand_points() {
        let (cfg, osm) = embedded();
        let mut w = Warnings::new();
        let i = prepare(&cfg, &osm, &mut w).unwrap();
        assert!(!i.communities.is_empty());
        assert!(i.in_district.iter().all(|&x| x) && i.in_district.len() == i.communities.len());
        assert_eq!(i.halo_derived, 0);
        assert_ne!(i.origin, CommunityOrigin::File);
        let mut per_community = vec![0.0; i.communities.len()];
        for d in &i.demand {
            per_community[d.community as usize] += d.population;
        }
        for (c, placed) in i.communities.iter().zip(&per_community) {
            let pop = c.population.unwrap();
            assert!((pop - placed).abs() <= 1e-6 * pop.max(1.0), "{}: {pop} vs {placed} on demand points", c.name);
            assert_ne!(c.source, PopulationSource::Given);
        }
        assert!(i.demand.windows(2).all(|p| p[0].community <= p[1].community), "demand grouped by community");
    }

    /// A community layer off the extract is refused before anything is computed; a census without
    /// units is an error naming the flag.
    #[test]
    fn layers_that_cannot_be_used_are_errors() {
        let (mut cfg, osm) = embedded();
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("c.geojson");
        std::fs::write(
            &p,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"far","population":10},
            "geometry":{"type":"Polygon","coordinates":[[[120.0,30.0],[120.01,30.0],[120.01,30.01],[120.0,30.0]]]}}]}"#,
        )
        .unwrap();
        cfg.communities = Some(p.clone());
        let e = prepare(&cfg, &osm, &mut Warnings::new()).unwrap_err().to_string();
        assert!(e.contains("c.geojson"), "{e}");
        cfg.communities = None;
        cfg.population = Some(PopulationInput::Census(d.path().join("census.csv")));
        let e = prepare(&cfg, &osm, &mut Warnings::new()).unwrap_err().to_string();
        assert!(e.contains("--census needs --units"), "{e}");
    }
}
