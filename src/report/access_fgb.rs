//! `access.fgb` (`--format fgb`): the table of `access.csv` as a compact, indexed point layer.
//!
//! Owns the binary form of the per-node walking times. One point per graph node (lon/lat rounded
//! to 1e-7° as in `access.csv`) with the columns
//! - `node` (unsigned 32-bit): the graph node number, the row key of `access.csv`;
//! - `<category>_ds` (unsigned 16-bit, or 32-bit when the category's search cap exceeds 65,535 ds):
//!   deciseconds to the nearest facility, null where the CSV cell is empty;
//! - `main_network` (boolean).
//!
//! At 2 M nodes the CSV is read row by row; this layer opens at once in QGIS or GDAL and is queried
//! by area through its packed Hilbert R-tree. Integer deciseconds take 2 bytes a cell where a
//! double takes 8, and the features are encoded in parallel in memory (never through a temporary
//! file), then written in Hilbert order after the header and the index.
//!
//! Glossary: **ds** — deciseconds, the router's time unit (`123` ds = 12.3 s); **Hilbert order** —
//! features sorted by the Hilbert-curve value of their position on a 65,536² grid over the layer's
//! extent (descending, ties in node order, as the `flatgeobuf` crate sorts), so that each index
//! node covers a compact area.

use std::io;

use flatbuffers::FlatBufferBuilder;
use flatgeobuf::packed_r_tree::{NodeItem, PackedRTree};
use flatgeobuf::{
    Column, ColumnArgs, ColumnType, Crs, CrsArgs, Feature, FeatureArgs, Geometry, GeometryArgs, GeometryType, Header,
    HeaderArgs,
};
use rayon::prelude::*;

use crate::model::Analysis;
use crate::route::UNREACHED;

/// The FlatGeobuf magic bytes (format version 3).
const MAGIC: [u8; 8] = *b"fgb\x03fgb\x00";
/// Features encoded per parallel job.
const CHUNK: usize = 16_384;

/// Whether a time (or a category's search cap) fits an unsigned 16-bit column.
fn fits_u16(ds: u32) -> bool {
    ds <= u32::from(u16::MAX)
}

/// The Hilbert-curve value of the cell `(x, y)` of a 65,536² grid (the `flatgeobuf` crate's
/// `hilbert`, from Fast Hilbert Curve Generation by rawrunprotected, public domain).
fn hilbert(x: u32, y: u32) -> u32 {
    let mut a = x ^ y;
    let mut b = 0xFFFF ^ a;
    let mut c = 0xFFFF ^ (x | y);
    let mut d = x & (y ^ 0xFFFF);
    let mut aa = a | (b >> 1);
    let mut bb = (a >> 1) ^ a;
    let mut cc = ((c >> 1) ^ (b & (d >> 1))) ^ c;
    let mut dd = ((a & (c >> 1)) ^ (d >> 1)) ^ d;
    (a, b, c, d) = (aa, bb, cc, dd);
    aa = (a & (a >> 2)) ^ (b & (b >> 2));
    bb = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2));
    cc ^= (a & (c >> 2)) ^ (b & (d >> 2));
    dd ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2));
    (a, b, c, d) = (aa, bb, cc, dd);
    aa = (a & (a >> 4)) ^ (b & (b >> 4));
    bb = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4));
    cc ^= (a & (c >> 4)) ^ (b & (d >> 4));
    dd ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4));
    (a, b, c, d) = (aa, bb, cc, dd);
    cc ^= (a & (c >> 8)) ^ (b & (d >> 8));
    dd ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8));
    a = cc ^ (cc >> 1);
    b = dd ^ (dd >> 1);
    let mut i0 = x ^ y;
    let mut i1 = b | (0xFFFF ^ (i0 | a));
    i0 = (i0 | (i0 << 8)) & 0x00FF_00FF;
    i0 = (i0 | (i0 << 4)) & 0x0F0F_0F0F;
    i0 = (i0 | (i0 << 2)) & 0x3333_3333;
    i0 = (i0 | (i0 << 1)) & 0x5555_5555;
    i1 = (i1 | (i1 << 8)) & 0x00FF_00FF;
    i1 = (i1 | (i1 << 4)) & 0x0F0F_0F0F;
    i1 = (i1 | (i1 << 2)) & 0x3333_3333;
    i1 = (i1 | (i1 << 1)) & 0x5555_5555;
    (i1 << 1) | i0
}

/// Node numbers in Hilbert order of their (rounded) positions inside `extent`
/// (`[min_x, min_y, max_x, max_y]`).
fn hilbert_order(points: &[[f64; 2]], extent: [f64; 4]) -> Vec<u32> {
    let max = f64::from(u16::MAX);
    let (w, h) = (extent[2] - extent[0], extent[3] - extent[1]);
    let cell = |v: f64, lo: f64, span: f64| if span > 0.0 { (max * (v - lo) / span).floor() as u32 } else { 0 };
    let mut keyed: Vec<(u32, u32)> = points
        .par_iter()
        .enumerate()
        .map(|(v, p)| (hilbert(cell(p[0], extent[0], w), cell(p[1], extent[1], h)), v as u32))
        .collect();
    // Descending curve value, ties by node number: a total order, so any thread count agrees.
    keyed.par_sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    keyed.into_iter().map(|k| k.1).collect()
}

/// The header: layer name, extent, point geometry, columns, feature count, index node size,
/// EPSG:4326 and `metadata` (JSON text).
fn header(columns: &[(String, ColumnType)], extent: [f64; 4], count: u64, metadata: &str) -> Vec<u8> {
    let mut fbb = FlatBufferBuilder::new();
    let name = fbb.create_string("access");
    let crs = Crs::create(&mut fbb, &CrsArgs { code: 4326, ..Default::default() });
    let metadata = fbb.create_string(metadata);
    let cols: Vec<_> = columns
        .iter()
        .map(|(n, t)| {
            let name = fbb.create_string(n);
            Column::create(&mut fbb, &ColumnArgs { name: Some(name), type_: *t, nullable: true, ..Default::default() })
        })
        .collect();
    let cols = fbb.create_vector(&cols);
    let envelope = fbb.create_vector(&extent);
    let h = Header::create(
        &mut fbb,
        &HeaderArgs {
            name: Some(name),
            envelope: Some(envelope),
            geometry_type: GeometryType::Point,
            columns: Some(cols),
            features_count: count,
            index_node_size: PackedRTree::DEFAULT_NODE_SIZE,
            crs: Some(crs),
            metadata: Some(metadata),
            ..Default::default()
        },
    );
    fbb.finish_size_prefixed(h, None);
    fbb.finished_data().to_vec()
}

/// The encoded features of the nodes `order` (in that order) and each one's size in bytes.
fn features(a: &Analysis, order: &[u32], wide: &[bool], points: &[[f64; 2]]) -> (Vec<Vec<u8>>, Vec<u32>) {
    let g = &a.graph;
    let (label, main) = crate::graph::components::components(g);
    let chunks: Vec<(Vec<u8>, Vec<u32>)> = order
        .par_chunks(CHUNK)
        .map(|ids| {
            let mut fbb = FlatBufferBuilder::with_capacity(256);
            let mut props: Vec<u8> = Vec::with_capacity(8 + 6 * a.times_ds.len());
            let (mut bytes, mut sizes) = (Vec::with_capacity(ids.len() * 96), Vec::with_capacity(ids.len()));
            for &v in ids {
                let v = v as usize;
                props.clear();
                props.extend_from_slice(&0u16.to_le_bytes());
                props.extend_from_slice(&(v as u32).to_le_bytes());
                for (k, t) in a.times_ds.iter().enumerate() {
                    let d = t[v];
                    if d == UNREACHED {
                        continue;
                    }
                    props.extend_from_slice(&(k as u16 + 1).to_le_bytes());
                    if wide[k] {
                        props.extend_from_slice(&d.to_le_bytes());
                    } else {
                        props.extend_from_slice(&(d as u16).to_le_bytes());
                    }
                }
                props.extend_from_slice(&(a.times_ds.len() as u16 + 1).to_le_bytes());
                props.push(u8::from(label[v] == main));
                let xy = fbb.create_vector(&points[v]);
                let geometry = Geometry::create(&mut fbb, &GeometryArgs { xy: Some(xy), ..Default::default() });
                let properties = fbb.create_vector(&props);
                let f = Feature::create(
                    &mut fbb,
                    &FeatureArgs { geometry: Some(geometry), properties: Some(properties), ..Default::default() },
                );
                fbb.finish_size_prefixed(f, None);
                let data = fbb.finished_data();
                bytes.extend_from_slice(data);
                sizes.push(data.len() as u32);
                fbb.reset();
            }
            (bytes, sizes)
        })
        .collect();
    let sizes = chunks.iter().flat_map(|c| c.1.iter().copied()).collect();
    (chunks.into_iter().map(|c| c.0).collect(), sizes)
}

/// Writes `access.fgb` to `out`.
pub fn write_access_fgb(a: &Analysis, out: &mut dyn io::Write) -> io::Result<()> {
    let g = &a.graph;
    let n = g.node_count();
    if u32::try_from(n).is_err() {
        return Err(io::Error::other("access.fgb: more than 2^32 nodes"));
    }
    if a.times_ds.len() != a.profile.categories.len() {
        return Err(io::Error::other("access.fgb: one time column per category expected"));
    }
    // A category's column is 32-bit when its cap (or, defensively, any time) exceeds 16 bits.
    let wide: Vec<bool> = (a.profile.categories.iter().zip(&a.times_ds))
        .map(|(c, t)| !fits_u16(a.profile.cap_ds(c)) || t.par_iter().any(|&d| d != UNREACHED && !fits_u16(d)))
        .collect();
    let mut columns = vec![("node".to_string(), ColumnType::UInt)];
    for (c, w) in a.profile.categories.iter().zip(&wide) {
        columns.push((format!("{}_ds", c.id), if *w { ColumnType::UInt } else { ColumnType::UShort }));
    }
    columns.push(("main_network".to_string(), ColumnType::Bool));
    let metadata = serde_json::json!({
        "name": "access",
        "attribution": super::ATTRIBUTION,
        "source": a.input_label,
        "profile": a.profile.name,
        "units": "<category>_ds: deciseconds to the nearest facility (123 = 12.3 s); null beyond the search cap",
    })
    .to_string();
    let round7 = |x: f64| (x * 1e7).round() / 1e7;
    let points: Vec<[f64; 2]> = g.lon_lat.par_iter().map(|p| [round7(p[0]), round7(p[1])]).collect();
    let extent = points.iter().fold([f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY], |e, p| {
        [e[0].min(p[0]), e[1].min(p[1]), e[2].max(p[0]), e[3].max(p[1])]
    });
    out.write_all(&MAGIC)?;
    out.write_all(&header(&columns, extent, n as u64, &metadata))?;
    if n == 0 {
        return Ok(());
    }
    let order = hilbert_order(&points, extent);
    let (chunks, sizes) = features(a, &order, &wide, &points);
    let mut offset = 0u64;
    let leaves: Vec<NodeItem> = order
        .iter()
        .zip(&sizes)
        .map(|(&v, &size)| {
            let p = points[v as usize];
            let item = NodeItem { min_x: p[0], min_y: p[1], max_x: p[0], max_y: p[1], offset };
            offset += u64::from(size);
            item
        })
        .collect();
    let node_extent = NodeItem { min_x: extent[0], min_y: extent[1], max_x: extent[2], max_y: extent[3], offset: 0 };
    let tree = PackedRTree::build(&leaves, &node_extent, PackedRTree::DEFAULT_NODE_SIZE).map_err(io::Error::other)?;
    drop(leaves);
    let mut index = Vec::with_capacity(tree.size());
    tree.stream_write(&mut index)?;
    drop(tree);
    out.write_all(&index)?;
    drop(index);
    for c in chunks {
        out.write_all(&c)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hilbert_order_is_total_and_spatial() {
        // Two points on the same cell keep node order; the four corners come out in curve order.
        let pts = [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]];
        let order = hilbert_order(&pts, [0.0, 0.0, 1.0, 1.0]);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec![0, 1, 2, 3, 4]);
        let pos = |v: u32| order.iter().position(|&x| x == v).unwrap();
        assert_eq!(pos(4), pos(0) + 1, "same cell: node order");
        // The curve starts at cell (0,0) (value 0): in descending order it comes last.
        assert_eq!(hilbert(0, 0), 0);
        assert_eq!(&order[3..], &[0, 4]);
    }

    #[test]
    fn caps_beyond_u16_take_a_wide_column() {
        assert!(fits_u16(18_000));
        assert!(fits_u16(65_535));
        assert!(!fits_u16(65_536));
    }
}
