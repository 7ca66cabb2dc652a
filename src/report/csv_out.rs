//! CSV outputs: `access.csv` (every node's walking time per category) and, with
//! `--export-graph`, the exact graph searched (`nodes.csv`, `edges.csv`).

use std::fmt::Write;

use crate::geom::haversine_m;
use crate::model::Analysis;
use crate::route::UNREACHED;

/// Appends the decimal digits of `v`.
#[inline]
pub fn push_int(s: &mut Vec<u8>, v: impl itoa::Integer) {
    s.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// Appends a time in deciseconds as seconds with one decimal (`123` → `12.3`).
#[inline]
pub fn push_ds(s: &mut Vec<u8>, ds: u32) {
    push_int(s, ds / 10);
    s.push(b'.');
    s.push(b'0' + (ds % 10) as u8);
}

/// Appends `x` rounded to 1e-7 without trailing zeros (the same digits `round(x, 7)` prints),
/// using integer formatting: float `Display` dominated the writing time.
pub fn push_deg7(s: &mut Vec<u8>, x: f64) {
    let v = (x * 1e7).round() as i64;
    if v < 0 {
        s.push(b'-');
    }
    let a = v.unsigned_abs();
    let (int, mut frac) = (a / 10_000_000, a % 10_000_000);
    push_int(s, int);
    if frac != 0 {
        let mut width = 7;
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        s.push(b'.');
        let digits = itoa::Buffer::new().format(frac).len();
        s.extend(std::iter::repeat_n(b'0', width - digits));
        push_int(s, frac);
    }
}

/// Formats rows `0..n` in parallel chunks and joins them in order (identical bytes for any
/// thread count).
fn rows_parallel(header: String, n: usize, row: impl Fn(&mut Vec<u8>, usize) + Sync) -> Vec<u8> {
    let chunks = rows_parallel_parts(header, n, row);
    let mut out = Vec::with_capacity(chunks.iter().map(Vec::len).sum::<usize>());
    for c in chunks {
        out.extend_from_slice(&c);
    }
    out
}

/// [`rows_parallel`] without the final join: the header, then the row chunks in order (a city's
/// access table is written part by part instead of being copied once more into one buffer).
fn rows_parallel_parts(header: String, n: usize, row: impl Fn(&mut Vec<u8>, usize) + Sync) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    const CHUNK: usize = 16_384;
    let mut chunks: Vec<Vec<u8>> = vec![header.into_bytes()];
    chunks.par_extend((0..n.div_ceil(CHUNK)).into_par_iter().map(|c| {
        let mut s = Vec::with_capacity(CHUNK * 72);
        for v in c * CHUNK..((c + 1) * CHUNK).min(n) {
            row(&mut s, v);
        }
        s
    }));
    chunks
}

/// `node,lon,lat,<cat>_s…,main_network` — seconds to the nearest facility, empty beyond the
/// search cap or when no facility of the category is on the node's network; `main_network` is 1
/// on the largest connected walking network and 0 on a disconnected fragment (an island), so an
/// empty time reads "beyond the cap" only where it is 1.
pub fn access(a: &Analysis) -> Vec<u8> {
    access_parts(a).concat()
}

/// [`access`] as consecutive parts (header, then row chunks), for [`super::OutputSet::stage_in_background`].
pub fn access_parts(a: &Analysis) -> Vec<Vec<u8>> {
    let g = &a.graph;
    let (label, main) = crate::graph::components::components(g);
    let mut header = String::from("node,lon,lat");
    for c in &a.profile.categories {
        let _ = write!(header, ",{}_s", c.id);
    }
    header.push_str(",main_network\n");
    rows_parallel_parts(header, g.node_count(), |s, v| {
        let p = g.lon_lat[v];
        push_int(s, v);
        s.push(b',');
        push_deg7(s, p[0]);
        s.push(b',');
        push_deg7(s, p[1]);
        for t in &a.times_ds {
            let d = t[v];
            s.push(b',');
            if d != UNREACHED {
                push_ds(s, d);
            }
        }
        s.extend_from_slice(if label[v] == main { b",1\n" } else { b",0\n" });
    })
}

/// `node,lon,lat,osm_id` (osm_id empty for split and snapped-point nodes).
pub fn nodes(a: &Analysis) -> Vec<u8> {
    let g = &a.graph;
    rows_parallel("node,lon,lat,osm_id\n".into(), g.node_count(), |s, v| {
        let p = g.lon_lat[v];
        push_int(s, v);
        s.push(b',');
        push_deg7(s, p[0]);
        s.push(b',');
        push_deg7(s, p[1]);
        s.push(b',');
        if g.osm_id[v] != 0 {
            push_int(s, g.osm_id[v]);
        }
        s.push(b'\n');
    })
}

/// `from,to,length_m,walk_s`: every directed edge the router searched.
pub fn edges(a: &Analysis) -> Vec<u8> {
    let g = &a.graph;
    let speed = a.profile.walk.speed_mps;
    rows_parallel("from,to,length_m,walk_s\n".into(), g.node_count(), |s, v| {
        // A facility with several entrances sits at its best one: the other connectors start
        // elsewhere, and their length is the one walked (time × speed).
        let entrances = v as u32 >= g.first_point_node && g.edges(v as u32).nth(1).is_some();
        for (t, w) in g.edges(v as u32) {
            let m = if entrances { w as f64 / 10.0 * speed } else { haversine_m(g.lon_lat[v], g.lon_lat[t as usize]) };
            let cm = (m * 100.0).round() as u64;
            push_int(s, v);
            s.push(b',');
            push_int(s, t);
            s.push(b',');
            push_int(s, cm / 100);
            match cm % 100 {
                0 => {}
                c if c % 10 == 0 => {
                    s.push(b'.');
                    s.push(b'0' + (c / 10) as u8);
                }
                c => {
                    s.push(b'.');
                    s.push(b'0' + (c / 10) as u8);
                    s.push(b'0' + (c % 10) as u8);
                }
            }
            s.push(b',');
            push_ds(s, w);
            s.push(b'\n');
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deg7_matches_rounded_display() {
        for x in [0.0, -15.4, 28.1234567, -0.00000004, 121.5440001, -179.9999999, 3.10000005, 1e-7] {
            let mut s = Vec::new();
            push_deg7(&mut s, x);
            let s = String::from_utf8(s).unwrap();
            let want = format!("{}", crate::report::round(x, 7));
            assert_eq!(s, if want == "-0" { "0".to_string() } else { want }, "{x}");
        }
    }
}
