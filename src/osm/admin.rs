//! Administrative boundaries (`boundary=administrative` relations) at the admin levels a profile's
//! `[units]` names, assembled into polygons only when complete in the extract.
//!
//! A boundary is complete when every member way is in the extract, every node of those ways is
//! too, and the ways join into closed rings. An extract cut through a boundary, or a relation whose
//! member ways were not kept, gives an incomplete boundary: it is reported by relation id, name
//! and reason, and skipped — a partial polygon would misplace residents and facilities.
//!
//! Member ways are usually tagged `boundary=administrative` or `natural=coastline` (or untagged);
//! the loader keeps those when the profile asks for admin units ([`is_boundary_way`]).
//!
//! Glossary: **admin_level** — OSM's level number (see [`crate::profile::UnitsParams`]).

use super::rings::assemble_rings;
use crate::geom::MultiPolygon;
use crate::geom::polygon::polygon_contains;

/// A relation as read from a block.
#[derive(Clone, Debug)]
pub(crate) struct RawAdmin {
    pub id: i64,
    pub name: String,
    pub admin_level: u8,
    /// Member ways: (id, is_inner). Roles other than outer/inner/empty are not ways of the outline.
    pub members: Vec<(i64, bool)>,
}

/// A complete administrative boundary.
#[derive(Clone, Debug, PartialEq)]
pub struct AdminBoundary {
    pub osm_id: i64,
    pub name: String,
    pub admin_level: u8,
    /// Outer ring then holes, `[lon, lat]`, closed.
    pub polygons: MultiPolygon,
}

/// An admin relation of a wanted level that could not be assembled.
#[derive(Clone, Debug, PartialEq)]
pub struct IncompleteBoundary {
    pub osm_id: i64,
    pub name: String,
    pub admin_level: u8,
    pub reason: String,
}

/// Whether a way may be part of an admin boundary and must be kept for it.
pub(crate) fn is_boundary_way<'a>(get: impl Fn(&str) -> Option<&'a str>) -> bool {
    get("boundary") == Some("administrative") || get("natural") == Some("coastline")
}

/// The admin level of a relation, when it is a `boundary=administrative` of one of `levels`.
pub(crate) fn wanted_level<'a>(get: impl Fn(&str) -> Option<&'a str>, levels: &[u8]) -> Option<u8> {
    if levels.is_empty() || get("boundary") != Some("administrative") {
        return None;
    }
    if !matches!(get("type"), Some("boundary") | Some("multipolygon")) {
        return None;
    }
    get("admin_level").and_then(|v| v.trim().parse::<u8>().ok()).filter(|l| levels.contains(l))
}

/// Assembles each relation; complete ones become boundaries, the others are reported.
pub(crate) fn assemble_admin<'w>(
    rels: Vec<RawAdmin>,
    way_refs: &dyn Fn(i64) -> Option<&'w Vec<i64>>,
    coords: &crate::geom::polygon::CoordsOf<'_>,
) -> (Vec<AdminBoundary>, Vec<IncompleteBoundary>) {
    let mut done = Vec::new();
    let mut incomplete = Vec::new();
    for r in rels {
        let fail = |reason: String| IncompleteBoundary {
            osm_id: r.id,
            name: r.name.clone(),
            admin_level: r.admin_level,
            reason,
        };
        let missing = r.members.iter().filter(|m| way_refs(m.0).is_none()).count();
        if missing > 0 {
            incomplete.push(fail(format!("{missing} of {} member ways are not in the extract", r.members.len())));
            continue;
        }
        if r.members.is_empty() {
            incomplete.push(fail("no member ways".into()));
            continue;
        }
        let part = |inner: bool| -> Vec<Vec<i64>> {
            r.members.iter().filter(|m| m.1 == inner).filter_map(|m| way_refs(m.0).cloned()).collect()
        };
        let (outer, open_o) = assemble_rings(part(false));
        let (inner, open_i) = assemble_rings(part(true));
        if open_o + open_i > 0 || outer.is_empty() {
            incomplete.push(fail(format!("{} ring pieces do not close", open_o + open_i)));
            continue;
        }
        let outer: Option<Vec<Vec<[f64; 2]>>> = outer.iter().map(|r| coords(r)).collect();
        let inner: Option<Vec<Vec<[f64; 2]>>> = inner.iter().map(|r| coords(r)).collect();
        let (Some(outer), Some(inner)) = (outer, inner) else {
            incomplete.push(fail("nodes of its member ways are not in the extract".into()));
            continue;
        };
        let mut polygons: MultiPolygon = outer.into_iter().map(|o| vec![o]).collect();
        for h in inner {
            if let Some(p) = polygons.iter_mut().find(|p| polygon_contains(&p[..1], h[0])) {
                p.push(h);
            }
        }
        done.push(AdminBoundary { osm_id: r.id, name: r.name, admin_level: r.admin_level, polygons });
    }
    (done, incomplete)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_rings_become_boundaries_and_the_rest_is_reported() {
        // Nodes 1..4 at the corners of a square; node 9 missing from the extract.
        let pts = |id: i64| -> Option<[f64; 2]> {
            match id {
                1 => Some([0.0, 0.0]),
                2 => Some([1.0, 0.0]),
                3 => Some([1.0, 1.0]),
                4 => Some([0.0, 1.0]),
                _ => None,
            }
        };
        let ways: Vec<(i64, Vec<i64>)> = vec![(10, vec![1, 2, 3]), (11, vec![3, 4, 1]), (12, vec![3, 9, 1])];
        let way_refs = |id: i64| ways.iter().find(|w| w.0 == id).map(|w| &w.1);
        let coords = |refs: &[i64]| -> Option<Vec<[f64; 2]>> { refs.iter().map(|r| pts(*r)).collect() };
        let rel = |id: i64, members: Vec<(i64, bool)>| RawAdmin { id, name: format!("r{id}"), admin_level: 8, members };
        let (ok, bad) = assemble_admin(
            vec![
                rel(1, vec![(10, false), (11, false)]),
                rel(2, vec![(10, false), (99, false)]),
                rel(3, vec![(10, false)]),
                rel(4, vec![(10, false), (12, false)]),
            ],
            &way_refs,
            &coords,
        );
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].osm_id, 1);
        assert_eq!(ok[0].polygons[0][0].len(), 5);
        let reasons: Vec<(i64, &str)> = bad.iter().map(|b| (b.osm_id, b.reason.as_str())).collect();
        assert_eq!(
            reasons,
            vec![
                (2, "1 of 2 member ways are not in the extract"),
                (3, "1 ring pieces do not close"),
                (4, "nodes of its member ways are not in the extract")
            ]
        );
        let get = |t: &'static [(&'static str, &'static str)]| move |k: &str| t.iter().find(|x| x.0 == k).map(|x| x.1);
        let t8: &[(&str, &str)] = &[("type", "boundary"), ("boundary", "administrative"), ("admin_level", "8")];
        assert_eq!(wanted_level(get(t8), &[6, 8]), Some(8));
        assert_eq!(wanted_level(get(t8), &[6]), None);
        assert_eq!(
            wanted_level(get(&[("type", "route"), ("boundary", "administrative"), ("admin_level", "8")]), &[8]),
            None
        );
    }
}
