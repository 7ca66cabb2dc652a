//! Units from the extract's administrative boundaries (`--units osm`, or no unit layer and a
//! profile whose `[units]` names admin levels): one unit per complete `boundary=administrative`
//! relation, its level named as [`UnitsParams::level_name`] says, its code `relation/<id>`, its
//! `parent` the code of the unit of the nearest coarser admin level that holds most of it.
//!
//! Glossary: **holds most of it** — more than half of the unit's grid sample points (about 64,
//! see [`grid_samples`]) lie inside the candidate parent. Neighbouring boundaries share edges and
//! OSM rings are not exactly nested, so a majority of samples is more robust than exact polygon
//! containment.

use super::Unit;
use crate::geom::polygon::grid_samples;
use crate::osm::{AdminBoundary, IncompleteBoundary};
use crate::profile::UnitsParams;

/// Units in (admin level, name, relation id) order.
pub fn units_from_osm(boundaries: &[AdminBoundary], params: &UnitsParams) -> Vec<Unit> {
    let mut b: Vec<&AdminBoundary> = boundaries.iter().collect();
    b.sort_by(|x, y| (x.admin_level, &x.name, x.osm_id).cmp(&(y.admin_level, &y.name, y.osm_id)));
    let mut units: Vec<Unit> = b
        .iter()
        .map(|a| Unit {
            name: if a.name.is_empty() { format!("relation/{}", a.osm_id) } else { a.name.clone() },
            level: params.level_name(a.admin_level, &a.name),
            code: Some(format!("relation/{}", a.osm_id)),
            parent: None,
            polygons: a.polygons.clone(),
        })
        .collect();
    let parents: Vec<Option<usize>> = (0..b.len()).map(|i| parent_of(&b, i)).collect();
    for (i, p) in parents.into_iter().enumerate() {
        units[i].parent = p.and_then(|p| units[p].code.clone());
    }
    units
}

/// Index of the unit holding most of unit `i`, among those of the finest admin level coarser
/// than its own that has such a unit (ties: the first in order).
fn parent_of(b: &[&AdminBoundary], i: usize) -> Option<usize> {
    let samples = grid_samples(&b[i].polygons, 1.0, 64.0);
    if samples.is_empty() {
        return None;
    }
    let unit = Unit { name: String::new(), level: String::new(), code: None, parent: None, polygons: Vec::new() };
    let mut coarser: Vec<u8> = b.iter().map(|x| x.admin_level).filter(|&l| l < b[i].admin_level).collect();
    coarser.sort_unstable_by(|x, y| y.cmp(x));
    coarser.dedup();
    for level in coarser {
        let mut best: Option<(usize, usize)> = None;
        for (j, cand) in b.iter().enumerate().filter(|(_, x)| x.admin_level == level) {
            let holder = Unit { polygons: cand.polygons.clone(), ..unit.clone() };
            let inside = samples.iter().filter(|p| holder.contains(**p)).count();
            if 2 * inside > samples.len() && best.is_none_or(|(_, n)| inside > n) {
                best = Some((j, inside));
            }
        }
        if let Some((j, _)) = best {
            return Some(j);
        }
    }
    None
}

/// The warning for boundaries that were skipped, naming each (up to 10).
pub fn incomplete_warning(incomplete: &[IncompleteBoundary]) -> Option<String> {
    if incomplete.is_empty() {
        return None;
    }
    let list: Vec<String> = incomplete
        .iter()
        .take(10)
        .map(|b| format!("relation/{} {:?} (admin_level {}): {}", b.osm_id, b.name, b.admin_level, b.reason))
        .collect();
    Some(format!(
        "{} administrative boundaries are incomplete in the extract and were not used as units: {}{}",
        incomplete.len(),
        list.join("; "),
        if incomplete.len() > 10 { "; …" } else { "" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(id: i64, level: u8, x: [f64; 2], y: [f64; 2]) -> AdminBoundary {
        let ring = vec![[x[0], y[0]], [x[1], y[0]], [x[1], y[1]], [x[0], y[1]], [x[0], y[0]]];
        AdminBoundary { osm_id: id, name: format!("u{id}"), admin_level: level, polygons: vec![vec![ring]] }
    }

    #[test]
    fn parents_are_the_nearest_coarser_unit_holding_most_of_it() {
        let b = vec![
            rect(1, 6, [120.0, 120.1], [30.0, 30.1]),   // district
            rect(2, 8, [120.0, 120.05], [30.0, 30.05]), // two streets sharing an edge
            rect(3, 8, [120.05, 120.1], [30.0, 30.05]),
            rect(4, 10, [120.035, 120.055], [30.01, 30.03]), // 3/4 in street 2, 1/4 in street 3
            rect(5, 10, [120.5, 120.51], [30.5, 30.51]),     // outside everything
            rect(6, 10, [120.02, 120.03], [30.07, 30.08]),   // in the district, in no street
        ];
        let u = units_from_osm(&b, &UnitsParams::default());
        let parent = |id: i64| {
            let code = format!("relation/{id}");
            u.iter().find(|x| x.code.as_deref() == Some(code.as_str())).unwrap().parent.clone()
        };
        assert_eq!(parent(1), None);
        assert_eq!(parent(2).as_deref(), Some("relation/1"));
        assert_eq!(parent(3).as_deref(), Some("relation/1"));
        assert_eq!(parent(4).as_deref(), Some("relation/2"));
        assert_eq!(parent(5), None);
        assert_eq!(parent(6).as_deref(), Some("relation/1"));
    }
}
