//! Spreading a known population over residential buildings by floor area, exactly.

use crate::geom::PolygonIndex;

use super::{CensusRow, PopPoint, residential_floor_m2, sample_points};
use crate::error::{Error, Result};
use crate::osm::Building;
use crate::profile::PopulationParams;
use crate::units::Unit;

/// Splits `total` in proportion to `weights` (negative or non-finite weights count as 0; all zero:
/// equal parts). The floating-point residue is added to the largest part, so the parts add up to
/// `total` (summed in index order) to within an ulp or two. Empty weights give an empty result.
pub fn spread_over_buildings(total: f64, weights: &[f64]) -> Vec<f64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let w: Vec<f64> = weights.iter().map(|&x| if x.is_finite() && x > 0.0 { x } else { 0.0 }).collect();
    let sum: f64 = w.iter().sum();
    let mut parts: Vec<f64> =
        if sum > 0.0 { w.iter().map(|x| total * (x / sum)).collect() } else { vec![total / w.len() as f64; w.len()] };
    let largest = (0..parts.len()).max_by(|&a, &b| parts[a].abs().total_cmp(&parts[b].abs())).expect("non-empty");
    for _ in 0..3 {
        let residue = total - parts.iter().sum::<f64>();
        if residue == 0.0 {
            break;
        }
        parts[largest] += residue;
    }
    parts
}

/// Where residents go: a point, and the building there (`None`: a sample point).
type Site = ([f64; 2], Option<usize>);

/// A census placed on buildings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CensusSpread {
    /// Residents per residential building (and per sample point of units without one).
    pub points: Vec<PopPoint>,
    /// Per census row (in table order): the unit it was matched to.
    pub row_unit: Vec<Option<usize>>,
    /// Rows (1-based row numbers) matched to no unit: their residents are not placed.
    pub unmatched_rows: Vec<usize>,
    /// Units with no residential building inside: their residents sit on a regular grid of sample
    /// points (`population.sample_spacing_m` apart, at most 2,000 per unit).
    pub on_grid: Vec<usize>,
    /// Residents of the matched rows (= the sum over `points`).
    pub total: f64,
}

/// Matches a census row to a unit: by code, else by name (within the row's level when it gives
/// one). `Err` when a name matches several units.
fn match_row(r: &CensusRow, units: &[Unit]) -> std::result::Result<Option<usize>, String> {
    let level_ok = |u: &Unit| r.level.as_ref().is_none_or(|l| *l == u.level);
    if let Some(code) = &r.code
        && let Some(u) = units.iter().position(|u| u.code.as_ref() == Some(code) && level_ok(u))
    {
        return Ok(Some(u));
    }
    let Some(name) = &r.name else { return Ok(None) };
    let hits: Vec<usize> = (0..units.len()).filter(|&u| units[u].name == *name && level_ok(&units[u])).collect();
    match hits.len() {
        0 => Ok(None),
        1 => Ok(Some(hits[0])),
        n => Err(format!(
            "census row {}: {n} units are named {name:?} (levels {}); add a `level` or `code` column",
            r.row,
            hits.iter().map(|&u| units[u].level.as_str()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Spreads each census row's population (and age groups) over the residential buildings inside its
/// unit by floor area; a unit without one gets its residents on sample points. A building inside
/// several matched units counts in the first (lowest index). Rows must all match units of one
/// level, or residents would be counted twice; errors (`Error::Config`) name the census row.
pub fn spread_census(
    units: &[Unit],
    census: &[CensusRow],
    buildings: &[Building],
    params: &PopulationParams,
) -> Result<CensusSpread> {
    let mut out = CensusSpread::default();
    let mut row_of_unit: Vec<Option<usize>> = vec![None; units.len()];
    for (i, r) in census.iter().enumerate() {
        let u = match_row(r, units).map_err(Error::Config)?;
        if let Some(u) = u {
            if let Some(prev) = row_of_unit[u] {
                return Err(Error::Config(format!(
                    "census rows {} and {} both match unit {:?} ({})",
                    census[prev].row, r.row, units[u].name, units[u].level
                )));
            }
            row_of_unit[u] = Some(i);
        } else {
            out.unmatched_rows.push(r.row);
        }
        out.row_unit.push(u);
    }
    let mut levels: Vec<&str> = out.row_unit.iter().flatten().map(|&u| units[u].level.as_str()).collect();
    levels.sort_unstable();
    levels.dedup();
    if levels.len() > 1 {
        return Err(Error::Config(format!(
            "census rows match units of several levels ({}): give the rows of one level only, or residents \
             would be counted twice",
            levels.join(", ")
        )));
    }
    let matched: Vec<usize> = (0..units.len()).filter(|&u| row_of_unit[u].is_some()).collect();
    let index = PolygonIndex::new(matched.iter().map(|&u| (u, units[u].bbox())));
    let mut members: Vec<Vec<(usize, f64)>> = vec![Vec::new(); units.len()];
    for (bi, b) in buildings.iter().enumerate() {
        let Some(floor) = residential_floor_m2(b, params) else { continue };
        if let Some(u) = index.first_containing(b.centroid, |u| units[u].contains(b.centroid)) {
            members[u].push((bi, floor));
        }
    }
    // Units in census-row order, so the output follows the table.
    let mut order: Vec<(usize, usize)> = matched.iter().map(|&u| (row_of_unit[u].expect("matched"), u)).collect();
    order.sort_unstable();
    for (ri, u) in order {
        let r = &census[ri];
        out.total += r.population;
        let (sites, weights): (Vec<Site>, Vec<f64>) = if members[u].is_empty() {
            out.on_grid.push(u);
            let pts = sample_points(&units[u].polygons, params.sample_spacing_m);
            let n = pts.len();
            (pts.into_iter().map(|p| (p, None)).collect(), vec![1.0; n])
        } else {
            members[u].iter().map(|&(bi, f)| ((buildings[bi].centroid, Some(bi)), f)).unzip()
        };
        if sites.is_empty() {
            // A degenerate unit polygon: nowhere to place anyone.
            out.unmatched_rows.push(r.row);
            out.total -= r.population;
            continue;
        }
        let pop = spread_over_buildings(r.population, &weights);
        let groups: Vec<(String, Vec<f64>)> =
            r.age_groups.iter().map(|(g, v)| (g.clone(), spread_over_buildings(*v, &weights))).collect();
        for (j, (point, building)) in sites.into_iter().enumerate() {
            out.points.push(PopPoint {
                point,
                population: pop[j],
                age_groups: groups.iter().map(|(g, v)| (g.clone(), v[j])).collect(),
                building,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osm::{BuildingUse, OsmType};
    use crate::units::testutil::{rect, unit};

    pub(crate) fn building(
        id: i64,
        centroid: [f64; 2],
        footprint: f64,
        levels: Option<f64>,
        usage: BuildingUse,
    ) -> Building {
        Building { osm_type: OsmType::Way, osm_id: id, centroid, footprint_m2: footprint, levels, usage }
    }

    #[test]
    fn proportional_and_exact() {
        let parts = spread_over_buildings(1000.0, &[1.0, 2.0, 7.0]);
        assert_eq!(parts, vec![100.0, 200.0, 700.0]);
        assert_eq!(spread_over_buildings(9.0, &[0.0, 0.0, 0.0]), vec![3.0, 3.0, 3.0]);
        assert_eq!(spread_over_buildings(5.0, &[-1.0, f64::NAN, 2.0]), vec![0.0, 0.0, 5.0]);
        assert!(spread_over_buildings(5.0, &[]).is_empty());
        // Awkward totals and weights: the sum is the total to 1e-12 relative (the residue fix).
        let mut seed = 7u64;
        for _ in 0..200 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let n = 1 + (seed >> 58) as usize * 30;
            let w: Vec<f64> = (0..n).map(|i| ((seed >> (i % 50)) % 997) as f64 / 13.0 + 0.1).collect();
            let total = (seed % 1_000_003) as f64 / 7.0;
            let s: f64 = spread_over_buildings(total, &w).iter().sum();
            assert!((s - total).abs() <= 1e-12 * total.max(1.0), "{s} vs {total}");
        }
    }

    #[test]
    fn census_rows_spread_by_floor_area_and_onto_a_grid() {
        let units = vec![
            unit("甲社区", "社区", vec![rect(0.0, 0.0, 0.01, 0.01)]),
            unit("乙社区", "社区", vec![rect(0.01, 0.0, 0.02, 0.01)]),
            unit("丙村", "村", vec![rect(0.02, 0.0, 0.03, 0.01)]),
            unit("甲街道", "街道", vec![rect(0.0, 0.0, 0.03, 0.01)]),
        ];
        let params = PopulationParams::default(); // 3 levels when untagged
        let buildings = vec![
            building(1, [0.002, 0.005], 100.0, Some(6.0), BuildingUse::Residential), // 600 m²
            building(2, [0.007, 0.005], 200.0, None, BuildingUse::Unknown),          // 600 m² → 3 levels
            building(3, [0.008, 0.005], 500.0, Some(2.0), BuildingUse::Other),       // not residential
            building(4, [0.015, 0.005], 50.0, Some(1.0), BuildingUse::Residential),  // 乙 only
        ];
        let row = |n: usize, name: &str, pop: f64, age: &[(&str, f64)]| CensusRow {
            row: n,
            name: Some(name.into()),
            code: None,
            level: None,
            population: pop,
            age_groups: age.iter().map(|(g, v)| (g.to_string(), *v)).collect(),
        };
        let census = vec![
            row(1, "甲社区", 1000.0, &[("age_0_3", 30.0)]),
            row(2, "乙社区", 250.0, &[]),
            row(3, "丁社区", 70.0, &[]),
        ];
        let s = spread_census(&units, &census, &buildings, &params).unwrap();
        assert_eq!(s.row_unit, vec![Some(0), Some(1), None]);
        assert_eq!((s.unmatched_rows.clone(), s.total), (vec![3], 1250.0));
        assert_eq!(s.points.len(), 3);
        assert_eq!((s.points[0].building, s.points[0].population), (Some(0), 500.0));
        assert_eq!((s.points[1].building, s.points[1].population), (Some(1), 500.0));
        assert_eq!(s.points[0].age_groups, vec![("age_0_3".to_string(), 15.0)]);
        assert_eq!((s.points[2].building, s.points[2].population), (Some(3), 250.0));
        // A unit without buildings: sample points carrying its population exactly.
        let census2 = vec![row(1, "丙村", 333.0, &[("age_60_plus", 100.0)])];
        let g = spread_census(&units, &census2, &buildings, &params).unwrap();
        assert_eq!(g.on_grid, vec![2]);
        assert!(g.points.len() > 100 && g.points.iter().all(|p| p.building.is_none() && units[2].contains(p.point)));
        let sum: f64 = g.points.iter().map(|p| p.population).sum();
        let old: f64 = g.points.iter().map(|p| p.age_groups[0].1).sum();
        assert!((sum - 333.0).abs() < 1e-9 && (old - 100.0).abs() < 1e-9);
        // Rows of two levels would double count.
        let mixed = vec![row(1, "甲社区", 1.0, &[]), row(2, "甲街道", 2.0, &[])];
        let e = spread_census(&units, &mixed, &buildings, &params).unwrap_err().to_string();
        assert!(e.contains("several levels (社区, 街道)"), "{e}");
        // A name shared by two units needs a level.
        let mut twins = units.clone();
        twins[1].name = "甲社区".into();
        twins[1].level = "村".into();
        let e = spread_census(&twins, &census[..1], &buildings, &params).unwrap_err().to_string();
        assert!(e.contains("census row 1: 2 units are named \"甲社区\""), "{e}");
        let mut by_level = census[..1].to_vec();
        by_level[0].level = Some("村".into());
        assert_eq!(spread_census(&twins, &by_level, &buildings, &params).unwrap().row_unit, vec![Some(1)]);
    }
}
