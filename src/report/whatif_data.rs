//! The what-if data block of `report.html` (`<script type="application/json" id="c15-whatif">`):
//! everything the page's own what-if panel (`assets/whatif.js`) needs to re-score a scenario of
//! added and removed facilities offline, with the command line's arithmetic.
//!
//! Why in the page and not a `circle15 serve` page on localhost: the report is a single file that
//! planners mail and open in a meeting room without a terminal, and the issue asks that the page
//! opens offline with no network request. A local server would need the binary, the extract and a
//! running process at the meeting; the page needs nothing. The price is size: the block carries
//! the walk graph, so it is embedded only up to [`WHATIF_NODE_BUDGET`] graph nodes (Las Palmas:
//! 136 k nodes, about 4 MB); above it (a 4×4-tiled city of 2 M nodes) the panel says so and
//! points to `--add-facility` / `--remove-facility`, and `report.html` stays within its size goal.
//! With `--clip` (a halo of residents who share capacity but are not reported) it is not embedded
//! either: the panel does not model the halo.
//!
//! What the page redoes is exactly the pipeline's: the added facility is snapped with the same
//! rule (`graph::snap`: nearest segment of a major component in the same local projection, within
//! the snap limit, else of any component), splits its segment as `graph::build` does (end
//! tolerance 0.5 m, shared split within 5 cm, pieces weighted `round(haversine / speed × 10)`
//! deciseconds, steps at their slower speed), and removing a facility drops its connectors and, when
//! no other point uses it, its split node (the segment's pieces joined again). Then the category's
//! nearest-facility search (capped at `cap_ds`), coverage (`score::coverage_of`), 2SFCA with the
//! fixed-point step 2 (`score::sfca`), and the per-community / area figures
//! (`score::communities`), rounded as `communities.geojson` and `summary.json` print them.
//!
//! Glossary:
//! - **b64 array**: a little-endian typed array (u32, i32 or f64) as base64 text.
//! - **fixed coordinates**: `round(lon × 1e7)`, `round(lat × 1e7)` as i32 for every node; a node
//!   whose f64 position is not exactly `i32 × 1e-7` (split and point nodes) is listed with its
//!   exact f64 position in `exact_nodes` / `exact_ll`.
//! - **weight set**: the demand-group residents of every demand point; categories with the same
//!   demand group share one set (`cat_weights`).

use serde_json::{Value, json};

use crate::model::Analysis;
use crate::profile::QuotaBase;

/// Most graph nodes for which the page embeds its what-if data (Las Palmas has 136 k).
pub const WHATIF_NODE_BUDGET: usize = 400_000;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (with padding) of `bytes`.
pub fn base64(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= c.len() {
                s.push(B64[(n >> shift & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// The block's arrays, little-endian, each starting at a multiple of 8 bytes, deflated together.
#[derive(Default)]
struct Blob {
    bytes: Vec<u8>,
    index: serde_json::Map<String, Value>,
}

impl Blob {
    fn put(&mut self, name: &str, kind: &str, count: usize, data: impl Iterator<Item = u8>) {
        while !self.bytes.len().is_multiple_of(8) {
            self.bytes.push(0);
        }
        self.index.insert(name.into(), json!([kind, self.bytes.len(), count]));
        self.bytes.extend(data);
    }
    fn u32s(&mut self, name: &str, v: &[u32]) {
        self.put(name, "u32", v.len(), v.iter().flat_map(|x| x.to_le_bytes()));
    }
    fn i32s(&mut self, name: &str, v: &[i32]) {
        self.put(name, "i32", v.len(), v.iter().flat_map(|x| x.to_le_bytes()));
    }
    fn f64s(&mut self, name: &str, v: &[f64]) {
        self.put(name, "f64", v.len(), v.iter().flat_map(|x| x.to_le_bytes()));
    }
}

/// Differences of consecutive values (the first against 0), wrapping.
fn deltas(v: impl Iterator<Item = i32>) -> Vec<i32> {
    let mut prev = 0i32;
    v.map(|x| {
        let d = x.wrapping_sub(prev);
        prev = x;
        d
    })
    .collect()
}

/// Per community, a share `s` with `population × s` bitwise equal to the weight of each of its
/// demand points (the product `access::demand_weights` computes); `None` when one does not fit.
fn shares(a: &Analysis, w: &[f64]) -> Option<Vec<f64>> {
    let mut share: Vec<Option<f64>> = vec![None; a.communities.len()];
    for (d, &wi) in a.demand.iter().zip(w) {
        let c = d.community as usize;
        if share[c].is_none() && d.population > 0.0 {
            share[c] = Some(wi / d.population);
        }
    }
    let share: Vec<f64> = share.into_iter().map(|s| s.unwrap_or(0.0)).collect();
    a.demand
        .iter()
        .zip(w)
        .all(|(d, wi)| (d.population * share[d.community as usize]).to_bits() == wi.to_bits())
        .then_some(share)
}

/// Why the block is left out, or `None` when it is embedded.
pub fn not_embedded_reason(a: &Analysis) -> Option<String> {
    if a.halo.is_some() {
        return Some(
            "--clip: the what-if panel does not model the halo; use --add-facility / --remove-facility".into(),
        );
    }
    let n = a.graph.node_count();
    (n > WHATIF_NODE_BUDGET).then(|| {
        format!(
            "walk graph of {n} nodes is above the page's what-if budget of {WHATIF_NODE_BUDGET}; use --add-facility / \
             --remove-facility"
        )
    })
}

/// The block's JSON: the data when embedded, else `{"unavailable": reason}`.
pub fn whatif_json(a: &Analysis) -> String {
    if let Some(why) = not_embedded_reason(a) {
        return json!({ "unavailable": why }).to_string();
    }
    let g = &a.graph;
    let p = &a.profile;
    let n = g.node_count();
    let street = g.first_point_node as usize;
    // Fixed coordinates, and the nodes they do not give exactly.
    let fixed: Vec<[i32; 2]> =
        g.lon_lat.iter().map(|q| [(q[0] * 1e7).round() as i32, (q[1] * 1e7).round() as i32]).collect();
    let exact: Vec<usize> = (0..n)
        .filter(|&v| {
            let q = g.lon_lat[v];
            fixed[v][0] as f64 * 1e-7 != q[0] || fixed[v][1] as f64 * 1e-7 != q[1]
        })
        .collect();
    // The local projection of `graph::build` (centre of the street nodes' box).
    let osm_pts: Vec<[f64; 2]> = (0..street).filter(|&v| g.osm_id[v] != 0).map(|v| g.lon_lat[v]).collect();
    let centre =
        if osm_pts.is_empty() { [0.0, 0.0] } else { crate::geom::bbox::center(crate::geom::bbox::of_points(&osm_pts)) };
    let proj = crate::geom::LocalProj::new(centre[0], centre[1]);
    // Segment orientation in `graph::build` follows the rank of the OSM id.
    let mut by_id: Vec<u32> = (0..street as u32).filter(|&v| g.osm_id[v as usize] != 0).collect();
    by_id.sort_by_key(|&v| g.osm_id[v as usize]);
    let mut rank = vec![u32::MAX; street];
    for (r, &v) in by_id.iter().enumerate() {
        rank[v as usize] = r as u32;
    }
    // Weight sets, shared by categories with identical weights.
    let mut sets: Vec<&Vec<f64>> = Vec::new();
    let mut cat_weights = Vec::new();
    for w in &a.weights {
        let i =
            sets.iter().position(|s| s.len() == w.len() && s.iter().zip(w).all(|(x, y)| x.to_bits() == y.to_bits()));
        cat_weights.push(i.unwrap_or_else(|| {
            sets.push(w);
            sets.len() - 1
        }));
    }
    let categories: Vec<Value> = p
        .categories
        .iter()
        .enumerate()
        .map(|(k, c)| {
            json!({
                "id": c.id,
                "threshold_ds": c.threshold_ds(),
                "cap_ds": p.cap_ds(c),
                "metre": c.threshold_m.is_some(),
                "coverage_target": c.coverage_target,
                "quota_per_1000": c.quota_per_1000,
                "quota_group": c.quota_base == QuotaBase::Group,
                "default_capacity": c.default_capacity,
                "declared_complete": a.categories[k].assessment == crate::model::Assessment::DeclaredComplete,
                "weights": cat_weights[k],
            })
        })
        .collect();
    let facilities: Vec<Value> = a
        .facilities
        .iter()
        .map(|f| {
            json!({
                "id": format!("{}/{}", f.osm_type, f.osm_id),
                "name": f.name,
                "lon": f.point[0],
                "lat": f.point[1],
                "node": f.node.map_or(-1, |v| v as i64),
                "public": f.public,
                "cats": f.categories.iter().zip(&f.capacity).map(|(k, c)| json!([k.index(), c.map(|c| c.0), c.is_some_and(|c| c.1)])).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut blob = Blob::default();
    blob.i32s("fixed_ll_delta", &deltas(fixed.iter().flat_map(|q| [q[0], q[1]])));
    blob.i32s("exact_nodes_delta", &deltas(exact.iter().map(|&v| v as i32)));
    blob.f64s("exact_ll", &exact.iter().flat_map(|&v| g.lon_lat[v]).collect::<Vec<f64>>());
    blob.u32s("rank", &rank);
    blob.u32s("offsets", &g.offsets);
    let src_of = |i: usize| g.offsets.partition_point(|&o| o as usize <= i) as i64 - 1;
    blob.i32s(
        "targets_rel",
        &(0..g.edge_count()).map(|i| (g.targets[i] as i64 - src_of(i)) as i32).collect::<Vec<_>>(),
    );
    blob.u32s("weights_ds", &g.weights_ds);
    if let Some(f) = &g.flat_weights_ds {
        blob.i32s(
            "flat_minus_weights",
            &f.iter().zip(g.weights_ds.iter()).map(|(f, w)| *f as i32 - *w as i32).collect::<Vec<_>>(),
        );
    }
    blob.i32s("demand_node", &a.demand_node.iter().map(|v| v.map_or(-1, |v| v as i32)).collect::<Vec<_>>());
    blob.u32s("demand_community", &a.demand.iter().map(|d| d.community).collect::<Vec<_>>());
    blob.f64s("demand_population", &a.demand.iter().map(|d| d.population).collect::<Vec<_>>());
    // A weight set as per-community shares of each point's residents when they reproduce it
    // exactly, else in full.
    let mut set_kinds = Vec::new();
    for (i, w) in sets.iter().enumerate() {
        match shares(a, w) {
            Some(s) => {
                blob.f64s(&format!("set{i}"), &s);
                set_kinds.push("share");
            }
            None => {
                blob.f64s(&format!("set{i}"), w);
                set_kinds.push("full");
            }
        }
    }
    let packed = miniz_oxide::deflate::compress_to_vec(&blob.bytes, 6);
    json!({
        "n": n,
        "first_point": g.first_point_node,
        "speed_mps": p.walk.speed_mps,
        "steps_factor": p.walk.steps_speed_factor,
        "snap_limit_m": p.walk.snap_limit_m,
        "proj": [proj.lon0, proj.lat0, proj.scale()[0], proj.scale()[1]],
        "blob": base64(&packed),
        "blob_bytes": blob.bytes.len(),
        "arrays": blob.index,
        "weight_sets": set_kinds,
        "community_population": a.communities.iter().map(|c| c.population.unwrap_or(0.0)).collect::<Vec<_>>(),
        "categories": categories,
        "facilities": facilities,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    /// The block of the embedded extract inflates to every array it lists, with the whole graph
    /// and every demand point, and each weight set reproduces the analysis' weights.
    #[test]
    fn block_of_the_embedded_extract() {
        let cfg =
            crate::analyze::Config::new(None, crate::profile::Profile::load("default", None).unwrap(), "unused".into());
        let a = crate::analyze::run(&cfg).unwrap();
        assert!(not_embedded_reason(&a).is_none());
        let v: Value = serde_json::from_str(&whatif_json(&a)).unwrap();
        assert_eq!(v["n"], a.graph.node_count());
        let b64 = v["blob"].as_str().unwrap();
        let dec = |c: u8| B64.iter().position(|&x| x == c).unwrap() as u32;
        let mut packed = Vec::new();
        for q in b64.as_bytes().chunks(4) {
            let n = q.iter().filter(|&&c| c != b'=').fold(0u32, |n, &c| n << 6 | dec(c))
                << (6 * q.iter().filter(|&&c| c == b'=').count());
            let k = 3 - q.iter().filter(|&&c| c == b'=').count();
            packed.extend_from_slice(&n.to_be_bytes()[1..1 + k]);
        }
        let bytes = miniz_oxide::inflate::decompress_to_vec(&packed).unwrap();
        assert_eq!(bytes.len(), v["blob_bytes"].as_u64().unwrap() as usize);
        let arr = |name: &str| -> (usize, usize) {
            let e = &v["arrays"][name];
            (e[1].as_u64().unwrap() as usize, e[2].as_u64().unwrap() as usize)
        };
        let (off, cnt) = arr("weights_ds");
        assert_eq!(cnt, a.graph.edge_count());
        let w: Vec<u32> =
            bytes[off..off + 4 * cnt].chunks(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect();
        assert_eq!(&w[..], &a.graph.weights_ds[..]);
        assert_eq!(arr("demand_node").1, a.demand.len());
        assert!(arr("exact_ll").1 > 0, "split and point nodes are listed");
        let f64s = |name: &str| -> Vec<f64> {
            let (off, cnt) = arr(name);
            bytes[off..off + 8 * cnt].chunks(8).map(|c| f64::from_le_bytes(c.try_into().unwrap())).collect()
        };
        let pop = f64s("demand_population");
        for (k, kind) in v["weight_sets"].as_array().unwrap().iter().enumerate() {
            let set = f64s(&format!("set{k}"));
            let cat = v["categories"].as_array().unwrap().iter().position(|c| c["weights"] == k).unwrap();
            for (i, d) in a.demand.iter().enumerate() {
                let w = if kind == "share" { pop[i] * set[d.community as usize] } else { set[i] };
                assert_eq!(w.to_bits(), a.weights[cat][i].to_bits());
            }
        }
        assert_eq!(v["categories"].as_array().unwrap().len(), a.profile.categories.len());
        assert_eq!(v["facilities"].as_array().unwrap().len(), a.facilities.len());
    }
}
