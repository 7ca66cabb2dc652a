//! Units from the extract's administrative boundaries (`--units osm`, or no unit layer and a
//! profile whose `[units]` names admin levels): one unit per complete `boundary=administrative`
//! relation, its level named as [`UnitsParams::level_name`] says, its code `relation/<id>`.

use super::Unit;
use crate::osm::{AdminBoundary, IncompleteBoundary};
use crate::profile::UnitsParams;

/// Units in (admin level, name, relation id) order.
pub fn units_from_osm(boundaries: &[AdminBoundary], params: &UnitsParams) -> Vec<Unit> {
    let mut b: Vec<&AdminBoundary> = boundaries.iter().collect();
    b.sort_by(|x, y| (x.admin_level, &x.name, x.osm_id).cmp(&(y.admin_level, &y.name, y.osm_id)));
    b.into_iter()
        .map(|a| Unit {
            name: if a.name.is_empty() { format!("relation/{}", a.osm_id) } else { a.name.clone() },
            level: params.level_name(a.admin_level, &a.name),
            code: Some(format!("relation/{}", a.osm_id)),
            parent: None,
            polygons: a.polygons.clone(),
        })
        .collect()
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
