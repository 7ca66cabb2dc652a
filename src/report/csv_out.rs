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

/// Formats rows `0..n` after `header` in parallel chunks, joined in order (identical bytes for
/// any thread count).
fn rows_parallel(header: String, n: usize, row: impl Fn(&mut Vec<u8>, usize) + Sync) -> Vec<u8> {
    let mut out = header.into_bytes();
    rows_streamed(n, row, |part| {
        out.extend_from_slice(part);
        Ok(())
    })
    .expect("writing to a Vec");
    out
}

/// Rows per chunk formatted by one task.
const ROW_CHUNK: usize = 16_384;
/// Chunks formatted side by side before they are handed on (≈ 17 MB of access.csv text).
const CHUNKS_IN_FLIGHT: usize = 16;

/// Formats rows `0..n` a group of [`ROW_CHUNK`]-row chunks at a time, the chunks of a group in
/// parallel, and hands each chunk to `out` in row order (identical bytes for any thread count).
/// The chunk buffers are reused from group to group, so at most [`CHUNKS_IN_FLIGHT`] chunks are
/// held whatever `n` is.
fn rows_streamed(
    n: usize,
    row: impl Fn(&mut Vec<u8>, usize) + Sync,
    mut out: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let chunks = n.div_ceil(ROW_CHUNK);
    let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); CHUNKS_IN_FLIGHT.min(chunks)];
    for first in (0..chunks).step_by(CHUNKS_IN_FLIGHT) {
        let group = CHUNKS_IN_FLIGHT.min(chunks - first);
        bufs[..group].par_iter_mut().enumerate().for_each(|(i, s)| {
            s.clear();
            let c = first + i;
            for v in c * ROW_CHUNK..((c + 1) * ROW_CHUNK).min(n) {
                row(s, v);
            }
        });
        for b in &bufs[..group] {
            out(b)?;
        }
    }
    Ok(())
}

/// `node,lon,lat,<cat>_s…,main_network` — seconds to the nearest facility, empty beyond the
/// search cap or when no facility of the category is on the node's network; `main_network` is 1
/// on the largest connected walking network and 0 on a disconnected fragment (an island), so an
/// empty time reads "beyond the cap" only where it is 1.
pub fn access(a: &Analysis) -> Vec<u8> {
    let mut out = Vec::new();
    write_access(a, crate::model::CsvEncoding::Utf8, &mut out).expect("writing to a Vec");
    out
}

/// [`access`] in the encoding `enc`, streamed to `w` a group of row chunks at a time: a city's
/// 2 M-row table (144 MB on the 4×4 Las Palmas input) is never held whole.
pub fn write_access(a: &Analysis, enc: crate::model::CsvEncoding, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let g = &a.graph;
    let (label, main) = crate::graph::components::components(g);
    let mut header = String::from("node,lon,lat");
    for c in &a.profile.categories {
        let _ = write!(header, ",{}_s", c.id);
    }
    header.push_str(",main_network\n");
    // The same bytes `encode` gives the whole table: a BOM once, GB18030 part by part (every
    // part ends at a row boundary, so no character is split).
    let put = |w: &mut dyn std::io::Write, part: &[u8]| match enc {
        crate::model::CsvEncoding::Gbk => w.write_all(&encode(part.to_vec(), enc)),
        _ => w.write_all(part),
    };
    if enc == crate::model::CsvEncoding::Utf8Bom {
        w.write_all(b"\xEF\xBB\xBF")?;
    }
    put(w, header.as_bytes())?;
    rows_streamed(
        g.node_count(),
        |s, v| {
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
        },
        |part| put(w, part),
    )
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
    fn streamed_rows_are_the_serial_rows_in_order_across_groups() {
        let row = |s: &mut Vec<u8>, v: usize| {
            push_int(s, v);
            s.extend_from_slice(if v.is_multiple_of(3) { b",x\n" } else { b"\n" });
        };
        let group = ROW_CHUNK * CHUNKS_IN_FLIGHT;
        for n in [0, 1, ROW_CHUNK - 1, ROW_CHUNK, ROW_CHUNK + 1, group, group + ROW_CHUNK + 7] {
            let mut serial = b"h\n".to_vec();
            (0..n).for_each(|v| row(&mut serial, v));
            let mut parts = 0;
            let mut streamed = b"h\n".to_vec();
            rows_streamed(n, row, |p| {
                parts += 1;
                assert!(p.is_empty() || p.ends_with(b"\n"), "a part ends at a row boundary");
                streamed.extend_from_slice(p);
                Ok(())
            })
            .unwrap();
            assert_eq!(streamed, serial, "n = {n}");
            assert_eq!(rows_parallel("h\n".into(), n, row), serial, "n = {n}");
            assert_eq!(parts, n.div_ceil(ROW_CHUNK), "n = {n}");
        }
        // A failing writer stops the stream with its error.
        let mut calls = 0;
        let r = rows_streamed(group + 1, row, |_| {
            calls += 1;
            Err(std::io::Error::other("disk full"))
        });
        assert_eq!(r.unwrap_err().to_string(), "disk full");
        assert_eq!(calls, 1);
    }

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
