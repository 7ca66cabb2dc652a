//! CSV outputs: `access.csv` (every node's walking time per category) and, with
//! `--export-graph`, the exact graph searched (`nodes.csv`, `edges.csv`).

use std::fmt::Write;

use super::round;
use crate::analyze::Analysis;
use crate::geom::haversine_m;
use crate::route::UNREACHED;

/// `node,lon,lat,<cat>_s…` — seconds to the nearest facility, empty beyond the search cap.
pub fn access(a: &Analysis) -> Vec<u8> {
    let g = &a.graph;
    let mut s = String::with_capacity(g.node_count() * (24 + 8 * a.times_ds.len()));
    s.push_str("node,lon,lat");
    for c in &a.profile.categories {
        let _ = write!(s, ",{}_s", c.id);
    }
    s.push('\n');
    for v in 0..g.node_count() {
        let p = g.lon_lat[v];
        let _ = write!(s, "{v},{},{}", round(p[0], 7), round(p[1], 7));
        for t in &a.times_ds {
            let d = t[v];
            if d == UNREACHED {
                s.push(',');
            } else {
                let _ = write!(s, ",{}.{}", d / 10, d % 10);
            }
        }
        s.push('\n');
    }
    s.into_bytes()
}

/// `node,lon,lat,osm_id` (osm_id empty for split and snapped-point nodes).
pub fn nodes(a: &Analysis) -> Vec<u8> {
    let g = &a.graph;
    let mut s = String::from("node,lon,lat,osm_id\n");
    for v in 0..g.node_count() {
        let p = g.lon_lat[v];
        let _ = write!(s, "{v},{},{},", round(p[0], 7), round(p[1], 7));
        if g.osm_id[v] != 0 {
            let _ = write!(s, "{}", g.osm_id[v]);
        }
        s.push('\n');
    }
    s.into_bytes()
}

/// `from,to,length_m,walk_s`: every directed edge the router searched.
pub fn edges(a: &Analysis) -> Vec<u8> {
    let g = &a.graph;
    let mut s = String::from("from,to,length_m,walk_s\n");
    for v in 0..g.node_count() as u32 {
        for (t, w) in g.edges(v) {
            let len = haversine_m(g.lon_lat[v as usize], g.lon_lat[t as usize]);
            let _ = writeln!(s, "{v},{t},{},{}.{}", round(len, 2), w / 10, w % 10);
        }
    }
    s.into_bytes()
}
