//! `units.geojson`: one feature per unit with its aggregated figures and presence results (RFC 7946:
//! WGS84, outer rings counter-clockwise, holes clockwise; numbers rounded as in the other outputs).

use serde_json::{Map, Value, json};

use super::geojson_out::multipolygon;
use super::{ATTRIBUTION, json_num};
use crate::model::Analysis;
use crate::units::{PresenceResult, Unit, UnitFigures};

/// The document, ready to write. `figures[u]` belongs to `units[u]`; `presence` may be empty.
/// Per unit: `name`, `level`, `code`, `parent`, `population`, `communities`, `score`, per category
/// `<id>_demand`, `<id>_covered_share`, `<id>_unserved`, `<id>_accessible_capacity`,
/// `<id>_per_1000`, `<id>_quota_pass`, `<id>_pass`, `<id>_score` (and `<id>_covered_share_elderly`
/// for 一老一小 categories), and `presence_<indicator>` (true/false) for every indicator whose levels
/// include the unit's. The collection carries a `presence` member summarising each indicator.
pub fn units_geojson(a: &Analysis, units: &[Unit], figures: &[UnitFigures], presence: &[PresenceResult]) -> Vec<u8> {
    assert_eq!(units.len(), figures.len(), "one figure set per unit");
    let features: Vec<Value> = units
        .iter()
        .zip(figures)
        .enumerate()
        .map(|(u, (unit, f))| {
            let mut props = Map::new();
            props.insert("name".into(), json!(unit.name));
            props.insert("level".into(), json!(unit.level));
            props.insert("code".into(), json!(unit.code));
            props.insert("parent".into(), json!(unit.parent));
            props.insert("population".into(), json_num(Some(f.population), 1));
            props.insert("communities".into(), json!(f.communities));
            props.insert("score".into(), json_num(f.score, 1));
            for (cat, c) in a.profile.categories.iter().zip(&f.categories) {
                let id = &cat.id;
                props.insert(format!("{id}_demand"), json_num(Some(c.demand), 1));
                props.insert(format!("{id}_covered_share"), json_num(c.covered_share, 4));
                props.insert(format!("{id}_unserved"), json_num(Some(c.unserved), 1));
                if c.covered_share_elderly.is_some() {
                    props.insert(format!("{id}_covered_share_elderly"), json_num(c.covered_share_elderly, 4));
                }
                props.insert(format!("{id}_accessible_capacity"), json_num(c.accessible_capacity, 1));
                props.insert(format!("{id}_per_1000"), json_num(c.per_1000, 3));
                props.insert(format!("{id}_quota_pass"), json!(c.quota_pass));
                props.insert(format!("{id}_pass"), json!(c.pass));
                props.insert(format!("{id}_score"), json_num(c.score, 1));
            }
            super::area_targets::unit_props(a, u, f.population, &mut props);
            for r in presence {
                if let Some(ok) = r.unit_pass(u) {
                    props.insert(format!("presence_{}", r.id), json!(ok));
                }
            }
            let mut feature = json!({
                "type": "Feature",
                "properties": props,
                "geometry": multipolygon(&unit.polygons),
            });
            if let Some(code) = &unit.code {
                feature["id"] = json!(code);
            }
            feature
        })
        .collect();
    let summary: Vec<Value> = presence
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "units": r.units.len(),
                "passing": r.passing.len(),
                "share": json_num(r.share, 4),
                "min_share": r.min_share,
                "pass": r.pass,
                "source": a.profile.presence.iter().find(|p| p.id == r.id).map(|p| p.source.as_str()),
                "status": a.profile.presence.iter().find(|p| p.id == r.id).map(|p| p.status),
                "failing": r.failing.iter().map(|&u| &units[u].name).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "type": "FeatureCollection",
        "name": "units",
        "attribution": ATTRIBUTION,
        "source": a.input_label,
        "profile": a.profile.name,
        "presence": summary,
        "features": features,
    });
    let mut bytes = serde_json::to_vec(&doc).expect("serialisable");
    bytes.push(b'\n');
    bytes
}
