//! CSV outputs: `access.csv` (every node's walking time per category) and, with
//! `--export-graph`, the exact graph searched (`nodes.csv`, `edges.csv`).

use std::fmt::Write;

use crate::analyze::Analysis;
use crate::geom::haversine_m;
use crate::route::UNREACHED;

/// Appends `x` rounded to 1e-7 without trailing zeros (the same digits `round(x, 7)` prints),
/// using integer formatting: float `Display` dominated the writing time.
pub fn push_deg7(s: &mut String, x: f64) {
    let v = (x * 1e7).round() as i64;
    if v < 0 {
        s.push('-');
    }
    let a = v.unsigned_abs();
    let (int, mut frac) = (a / 10_000_000, a % 10_000_000);
    let _ = write!(s, "{int}");
    if frac != 0 {
        let mut width = 7;
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        let _ = write!(s, ".{frac:0width$}");
    }
}

/// Formats rows `0..n` in parallel chunks and joins them in order (identical bytes for any
/// thread count).
fn rows_parallel(header: String, n: usize, row: impl Fn(&mut String, usize) + Sync) -> Vec<u8> {
    use rayon::prelude::*;
    const CHUNK: usize = 16_384;
    let chunks: Vec<String> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut s = String::with_capacity(CHUNK * 64);
            for v in c * CHUNK..((c + 1) * CHUNK).min(n) {
                row(&mut s, v);
            }
            s
        })
        .collect();
    let mut out = Vec::with_capacity(header.len() + chunks.iter().map(String::len).sum::<usize>());
    out.extend_from_slice(header.as_bytes());
    for c in chunks {
        out.extend_from_slice(c.as_bytes());
    }
    out
}

/// `node,lon,lat,<cat>_s…` — seconds to the nearest facility, empty beyond the search cap.
pub fn access(a: &Analysis) -> Vec<u8> {
    let g = &a.graph;
    let mut header = String::from("node,lon,lat");
    for c in &a.profile.categories {
        let _ = write!(header, ",{}_s", c.id);
    }
    header.push('\n');
    rows_parallel(header, g.node_count(), |s, v| {
        let p = g.lon_lat[v];
        let _ = write!(s, "{v},");
        push_deg7(s, p[0]);
        s.push(',');
        push_deg7(s, p[1]);
        for t in &a.times_ds {
            let d = t[v];
            if d == UNREACHED {
                s.push(',');
            } else {
                let _ = write!(s, ",{}.{}", d / 10, d % 10);
            }
        }
        s.push('\n');
    })
}

/// `node,lon,lat,osm_id` (osm_id empty for split and snapped-point nodes).
pub fn nodes(a: &Analysis) -> Vec<u8> {
    let g = &a.graph;
    let mut s = String::from("node,lon,lat,osm_id\n");
    for v in 0..g.node_count() {
        let p = g.lon_lat[v];
        let _ = write!(s, "{v},");
        push_deg7(&mut s, p[0]);
        s.push(',');
        push_deg7(&mut s, p[1]);
        s.push(',');
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
            let cm = (haversine_m(g.lon_lat[v as usize], g.lon_lat[t as usize]) * 100.0).round() as u64;
            let _ = write!(s, "{v},{t},{}", cm / 100);
            match cm % 100 {
                0 => {}
                c if c % 10 == 0 => {
                    let _ = write!(s, ".{}", c / 10);
                }
                c => {
                    let _ = write!(s, ".{c:02}");
                }
            }
            let _ = writeln!(s, ",{}.{}", w / 10, w % 10);
        }
    }
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deg7_matches_rounded_display() {
        for x in [0.0, -15.4, 28.1234567, -0.00000004, 121.5440001, -179.9999999, 3.10000005, 1e-7] {
            let mut s = String::new();
            push_deg7(&mut s, x);
            let want = format!("{}", crate::report::round(x, 7));
            assert_eq!(s, if want == "-0" { "0".to_string() } else { want }, "{x}");
        }
    }
}
