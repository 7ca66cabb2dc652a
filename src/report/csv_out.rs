//! CSV outputs: `access.csv` (every node's walking time per category) and, with
//! `--export-graph`, the exact graph searched (`nodes.csv`, `edges.csv`); and [`encode`], the
//! text encoding every CSV output is written in (`--csv-encoding`: UTF-8, UTF-8 with BOM, GBK).

use std::fmt::Write;

use crate::geom::haversine_m;
use crate::model::Analysis;
use crate::route::UNREACHED;

/// A CSV output (UTF-8 bytes) in the chosen encoding: as is, behind a UTF-8 BOM, or as GB18030
/// (GBK's superset: every GBK character has its GBK bytes, and no character is lost).
pub fn encode(utf8: Vec<u8>, enc: crate::model::CsvEncoding) -> Vec<u8> {
    use crate::model::CsvEncoding;
    match enc {
        CsvEncoding::Utf8 => utf8,
        CsvEncoding::Utf8Bom => {
            let mut b = Vec::with_capacity(utf8.len() + 3);
            b.extend_from_slice(b"\xEF\xBB\xBF");
            b.extend_from_slice(&utf8);
            b
        }
        CsvEncoding::Gbk => {
            let text = String::from_utf8_lossy(&utf8);
            encoding_rs::GB18030.encode(&text).0.into_owned()
        }
    }
}

/// [`encode`] of a table given as consecutive parts that each end at a row boundary (so no
/// character is split between parts).
pub fn encode_parts(parts: Vec<Vec<u8>>, enc: crate::model::CsvEncoding) -> Vec<Vec<u8>> {
    use crate::model::CsvEncoding;
    match enc {
        CsvEncoding::Utf8 => parts,
        CsvEncoding::Utf8Bom => std::iter::once(b"\xEF\xBB\xBF".to_vec()).chain(parts).collect(),
        CsvEncoding::Gbk => parts.into_iter().map(|p| encode(p, enc)).collect(),
    }
}

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

    /// Each encoding reads back, through the readers' decoder, to the same text; the BOM and GBK
    /// bytes are the ones Excel expects.
    #[test]
    fn encodings_round_trip_through_the_table_decoder() {
        use crate::io::text_encoding::{TextEncoding, decode_text};
        use crate::model::CsvEncoding;
        let text = "community_id,名称,unserved\nc1,求是村,12.5\n";
        assert_eq!(encode(text.as_bytes().to_vec(), CsvEncoding::Utf8), text.as_bytes());
        let bom = encode(text.as_bytes().to_vec(), CsvEncoding::Utf8Bom);
        assert_eq!(&bom[..3], b"\xEF\xBB\xBF");
        assert_eq!(decode_text(&bom).unwrap(), (text.to_string(), TextEncoding::Utf8));
        let gbk = encode(text.as_bytes().to_vec(), CsvEncoding::Gbk);
        assert!(gbk.windows(2).any(|w| w == [0xC7, 0xF3]), "求 in GBK is C7 F3");
        assert_eq!(decode_text(&gbk).unwrap(), (text.to_string(), TextEncoding::Gb18030));
    }
}
