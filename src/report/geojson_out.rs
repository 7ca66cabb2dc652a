//! GeoJSON outputs (RFC 7946: WGS84, outer rings counter-clockwise, holes clockwise).

use serde_json::{Map, Value, json};

use super::{ATTRIBUTION, json_num, round};
use crate::model::Analysis;

fn ring_area2(r: &[[f64; 2]]) -> f64 {
    let mut s = 0.0;
    for i in 0..r.len() {
        let (a, b) = (r[i], r[(i + 1) % r.len()]);
        s += a[0] * b[1] - b[0] * a[1];
    }
    s
}

/// Polygon coordinates with RFC 7946 winding and rounded positions.
pub fn polygon_coords(rings: &[Vec<[f64; 2]>]) -> Value {
    let out: Vec<Value> = rings
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let ccw = ring_area2(r) > 0.0;
            let want_ccw = k == 0;
            let mut pts: Vec<[f64; 2]> = r.clone();
            if ccw != want_ccw {
                pts.reverse();
            }
            Value::Array(pts.iter().map(|p| json!([round(p[0], 7), round(p[1], 7)])).collect())
        })
        .collect();
    Value::Array(out)
}

pub fn multipolygon(polys: &[crate::geom::Polygon]) -> Value {
    if polys.len() == 1 {
        json!({"type": "Polygon", "coordinates": polygon_coords(&polys[0])})
    } else {
        json!({"type": "MultiPolygon", "coordinates": polys.iter().map(|p| polygon_coords(p)).collect::<Vec<_>>()})
    }
}

/// A FeatureCollection of `n` features made by `feature(i)`. Features are built and serialised in
/// parallel (the largest city outputs hold tens of megabytes of GeoJSON) and joined in index
/// order, so the bytes do not depend on the thread count.
fn collection(name: &str, a: &Analysis, n: usize, feature: impl Fn(usize) -> Value + Sync) -> Vec<u8> {
    use rayon::prelude::*;
    let doc = json!({
        "type": "FeatureCollection",
        "name": name,
        "attribution": ATTRIBUTION,
        "source": a.input_label,
        "profile": a.profile.name,
        "features": [],
    });
    let mut s = serde_json::to_vec(&doc).expect("serialisable");
    // `features` is the last key (insertion order is kept): reopen its empty array.
    debug_assert!(s.ends_with(b"[]}"));
    s.truncate(s.len() - 2);
    let parts: Vec<Vec<u8>> = (0..n)
        .into_par_iter()
        .with_min_len(64)
        .map(|i| serde_json::to_vec(&feature(i)).expect("serialisable"))
        .collect();
    s.reserve(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 3);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            s.push(b',');
        }
        s.extend_from_slice(p);
    }
    s.extend_from_slice(b"]}\n");
    s
}

/// The properties of community `ci` in `communities.geojson` (also the figures of its popup in
/// `report.html`).
pub fn community_properties(a: &Analysis, ci: usize) -> Map<String, Value> {
    let c = &a.communities[ci];
    let mut props = Map::new();
    props.insert("id".into(), json!(c.id));
    props.insert("name".into(), json!(c.name));
    props.insert("population".into(), json_num(c.population, 1));
    props.insert("population_source".into(), json!(c.source.as_str()));
    props.insert("area_m2".into(), json_num(Some(c.area_m2()), 0));
    for (k, cat) in a.profile.categories.iter().enumerate() {
        let f = &a.per_community[ci][k];
        let id = &cat.id;
        props.insert(format!("{id}_covered_share"), json_num(f.stats.covered_share, 4));
        props.insert(format!("{id}_mean_s"), json_num(f.stats.mean_s, 1));
        props.insert(format!("{id}_p90_s"), json_num(f.stats.p90_s, 1));
        props.insert(format!("{id}_pass"), f.pass.map_or(Value::Null, Value::Bool));
        props.insert(format!("{id}_unserved"), json_num(Some(f.unserved), 1));
        props.insert(format!("{id}_reachable"), json_num(f.reachable, 2));
        props.insert(format!("{id}_per_1000"), json_num(f.per_1000, 3));
        props.insert(format!("{id}_quota_pass"), f.quota_pass.map_or(Value::Null, Value::Bool));
        if f.covered_share_elderly.is_some() {
            props.insert(format!("{id}_covered_share_elderly"), json_num(f.covered_share_elderly, 4));
        }
        props.insert(format!("{id}_score"), json_num(f.score, 1));
    }
    props.insert("score".into(), json_num(a.community_score[ci], 1));
    props.insert("island_population".into(), json_num(Some(a.island_population[ci]), 1));
    props.insert("unattached_population".into(), json_num(Some(a.unattached_population[ci]), 1));
    props
}

/// `communities.geojson`: one feature per community with every category's figures.
pub fn communities(a: &Analysis) -> Vec<u8> {
    collection("communities", a, a.communities.len(), |ci| {
        let c = &a.communities[ci];
        json!({
            "type": "Feature",
            "id": c.id,
            "properties": community_properties(a, ci),
            "geometry": multipolygon(&c.polygons),
        })
    })
}

/// `facilities.geojson`: one point per facility and category it serves.
pub fn facilities(a: &Analysis) -> Vec<u8> {
    let pairs: Vec<(usize, usize)> =
        a.facilities.iter().enumerate().flat_map(|(i, f)| (0..f.categories.len()).map(move |j| (i, j))).collect();
    collection("facilities", a, pairs.len(), |p| {
        let (f, j) = (&a.facilities[pairs[p].0], pairs[p].1);
        let k = f.categories[j];
        let cat = &a.profile.categories[k.index()];
        let (cap, assumed) = match f.capacity[j] {
            Some((c, a)) => (json_num(Some(c), 1), Value::Bool(a)),
            None => (Value::Null, Value::Null),
        };
        json!({
            "type": "Feature",
            "properties": {
                "category": cat.id,
                "name": f.name,
                "osm_type": f.osm_type,
                "osm_id": f.osm_id,
                "capacity": cap,
                "capacity_assumed": assumed,
                "public": f.public,
                "snap_m": json_num(Some(f.snap_m), 2),
                "node": f.node,
                "used": f.node.is_some(),
            },
            "geometry": {"type": "Point", "coordinates": [round(f.point[0], 7), round(f.point[1], 7)]},
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winding_is_rfc7946() {
        let cw = vec![[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]];
        let v = polygon_coords(&[cw.clone(), cw]);
        let outer: Vec<[f64; 2]> = serde_json::from_value(v[0].clone()).unwrap();
        let hole: Vec<[f64; 2]> = serde_json::from_value(v[1].clone()).unwrap();
        assert!(ring_area2(&outer) > 0.0);
        assert!(ring_area2(&hole) < 0.0);
    }
}
