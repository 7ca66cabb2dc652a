//! Decoding one OSM PBF blob: inflating it into a buffer each worker thread reuses, then walking
//! the protobuf wire format of its `PrimitiveBlock` (or `HeaderBlock`) directly over those bytes,
//! handing each element to a callback with its tags and references resolved into reused scratch
//! vectors. Nothing is copied into owned per-element vectors; strings stay slices of the block.
//!
//! Why (4×4-tiled Las Palmas, 55 MB, 11 M nodes, session 6 perf): inside `osmpbf`, `Blob::decode`
//! (zlib-rs inflate, then rust-protobuf parsing every block into owned vectors — one `Vec` per
//! way's refs, keys and vals, the whole dense arrays — and freeing them afterwards) was ~40 % of
//! the decode's worker CPU; `read_raw_varint64`, `read_repeated_packed_sint64_into`,
//! `DenseNodeIter::next`, `str_from_stringtable` and malloc/free were the visible parts. Here the
//! packed arrays are decoded lazily while the elements are visited, the string table is a vector
//! of slices checked for UTF-8 once per string, and the inflate buffer and `Decompress` state are
//! reused per thread. Measured on the 4×4 default run (old and new release binaries back to back,
//! 5 pairs, machine at load 6.5–8 from other builds, so wall times are noisy): user+sys
//! 9.1–10.0 s → 8.2–8.5 s (sys 2.5–3.2 s → 1.1–1.2 s: far fewer allocations and page faults);
//! the load_osm stage 4.2–6.6 s → 2.2–3.2 s; outputs byte-identical. `perf record -F 999` of the
//! new run (`--no-html --no-isochrones`, 5,289 samples): the wire parsing (`for_each_element`,
//! `Frame::string`, `tags_of`, `from_utf8`) is 2.9 % of all samples, zlib-rs inflate 4.3 %, the
//! classification around it (`keep_node`, `no_facility`, `raw_way_with`) 3.2 %.
//!
//! The values handed on are those `osmpbf` gives (the oracle test in this file compares every
//! element of real extracts): coordinates in nanodegrees `offset + granularity · raw`, ids and
//! refs delta-decoded, tags in file order, elements of a group in `osmpbf`'s order (dense nodes,
//! nodes, ways, relations). Where `osmpbf` silently truncated or panicked on corrupt data, this
//! decoder returns an error naming the element: a truncated varint, a length past the end, packed
//! arrays of different lengths (dense ids/lats/lons, keys/vals, relation members), a string index
//! outside the table or a referenced string that is not UTF-8 (an unreferenced one, e.g. a user
//! name, is never looked at, as before), an unknown member type, a zlib error, an inflated size
//! other than the declared `raw_size`, and LZMA/bzip2/LZ4/zstd blobs (unsupported). Not accepted
//! either (no known writer emits them): a repeated field in unpacked encoding, a packed field
//! or a group's `dense` given twice in one message.
//!
//! Glossary:
//! - **wire type**: protobuf's field encoding — 0 varint, 1 fixed 64-bit, 2 length-delimited,
//!   5 fixed 32-bit (3/4, deprecated groups, are refused).
//! - **packed**: a repeated scalar field stored as one length-delimited run of varints.
//! - **zigzag** (`sint64`/`sint32`): signed values mapped to unsigned, `(n << 1) ^ (n >> 63)`.
//! - **dense nodes**: a group's nodes as parallel packed arrays (delta-coded ids, lats, lons) and
//!   one `keys_vals` array of string indices, each node's pairs ended by a `0`.
//! - **nano** (nanodegrees): `lat_offset/lon_offset + granularity · raw`; `1e-9 · nano` degrees.

use std::cell::RefCell;

/// Largest inflated block the reader accepts (as `osmpbf`): 32 MiB.
pub(super) const MAX_RAW_BYTES: usize = 32 * 1024 * 1024;

/// A relation member's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MemberType {
    Node,
    Way,
    Relation,
}

/// A relation member: its type, id and role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Member<'a> {
    pub(super) kind: MemberType,
    pub(super) id: i64,
    pub(super) role: &'a str,
}

/// One element of a block; the slices live until the callback returns.
#[derive(Debug)]
pub(super) enum Element<'e, 'a> {
    /// A node (dense or not): id, `[lon, lat]` in nanodegrees, tags.
    Node {
        id: i64,
        nano: [i64; 2],
        tags: &'e [(&'a str, &'a str)],
    },
    Way {
        id: i64,
        refs: &'e [i64],
        tags: &'e [(&'a str, &'a str)],
    },
    Relation {
        id: i64,
        members: &'e [Member<'a>],
        tags: &'e [(&'a str, &'a str)],
    },
}

/// `[lon, lat]` in degrees, as `osmpbf`'s `lon()`/`lat()`.
pub(super) fn degrees(nano: [i64; 2]) -> [f64; 2] {
    [1e-9 * nano[0] as f64, 1e-9 * nano[1] as f64]
}

/// `[lon, lat]` in 1e-7 degrees, as `osmpbf`'s `decimicro_lon()`/`decimicro_lat()`.
pub(super) fn decimicro(nano: [i64; 2]) -> [i32; 2] {
    [(nano[0] / 100) as i32, (nano[1] / 100) as i32]
}

/// Which element kinds to decode (the others' groups are skipped unread).
#[derive(Clone, Copy, Debug)]
pub(super) struct Want {
    pub(super) nodes: bool,
    pub(super) ways: bool,
    pub(super) relations: bool,
}

#[cfg(test)]
impl Want {
    pub(super) const ALL: Want = Want { nodes: true, ways: true, relations: true };
}

/// What a blob holds.
pub(super) enum Blob<'a> {
    /// The `OSMHeader` block's required features.
    Header(Vec<&'a str>),
    /// An `OSMData` block, inflated.
    Data(&'a [u8]),
}

/// A low-level problem in the wire format, before its context is known.
#[derive(Debug)]
enum Wire {
    Varint,
    Length { len: u64, left: usize },
    Fixed { left: usize },
    UnknownType { field: u32, wire: u8 },
    Packed { field: u32, wire: u8 },
    Twice { field: u32 },
}

impl Wire {
    fn at(&self, ctx: &str) -> String {
        match *self {
            Wire::Varint => format!("{ctx}: a varint runs past the end or is too long"),
            Wire::Length { len, left } => {
                format!("{ctx}: a field of {len} bytes runs past the end ({left} bytes left)")
            }
            Wire::Fixed { left } => format!("{ctx}: a fixed-size field runs past the end ({left} bytes left)"),
            Wire::UnknownType { field, wire } => format!("{ctx}: field {field} has the unknown wire type {wire}"),
            Wire::Packed { field, wire } => {
                format!("{ctx}: field {field} has wire type {wire}, not the expected one (unpacked or corrupt)")
            }
            Wire::Twice { field } => format!("{ctx}: field {field} appears twice"),
        }
    }
}

type W<T> = std::result::Result<T, Wire>;

/// A cursor over protobuf bytes.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    b: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn new(b: &'a [u8]) -> Cursor<'a> {
        Cursor { b }
    }

    fn is_empty(&self) -> bool {
        self.b.is_empty()
    }

    #[inline]
    fn varint(&mut self) -> W<u64> {
        let b = self.b;
        if let Some(&c) = b.first()
            && c < 0x80
        {
            self.b = &b[1..];
            return Ok(u64::from(c));
        }
        let mut v = 0u64;
        for (i, &c) in b.iter().enumerate().take(10) {
            v |= u64::from(c & 0x7f) << (7 * i);
            if c < 0x80 {
                self.b = &b[i + 1..];
                return Ok(v);
            }
        }
        Err(Wire::Varint)
    }

    #[inline]
    fn sint(&mut self) -> W<i64> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// The next field's number and wire type.
    #[inline]
    fn key(&mut self) -> W<(u32, u8)> {
        let k = self.varint()?;
        Ok(((k >> 3) as u32, (k & 7) as u8))
    }

    /// A length-delimited field's bytes.
    #[inline]
    fn bytes(&mut self) -> W<&'a [u8]> {
        let len = self.varint()?;
        let left = self.b.len();
        match usize::try_from(len).ok().filter(|&n| n <= left) {
            Some(n) => {
                let (x, rest) = self.b.split_at(n);
                self.b = rest;
                Ok(x)
            }
            None => Err(Wire::Length { len, left }),
        }
    }

    fn fixed(&mut self, n: usize) -> W<()> {
        if self.b.len() < n {
            return Err(Wire::Fixed { left: self.b.len() });
        }
        self.b = &self.b[n..];
        Ok(())
    }

    /// Skips a field's value of wire type `wire`.
    fn skip(&mut self, field: u32, wire: u8) -> W<()> {
        match wire {
            0 => self.varint().map(drop),
            1 => self.fixed(8),
            2 => self.bytes().map(drop),
            5 => self.fixed(4),
            _ => Err(Wire::UnknownType { field, wire }),
        }
    }

    /// A varint field's value (wire type 0 checked).
    fn varint_field(&mut self, field: u32, wire: u8) -> W<u64> {
        if wire != 0 {
            return Err(Wire::Packed { field, wire });
        }
        self.varint()
    }

    /// A length-delimited field's bytes (wire type 2 checked).
    fn bytes_field(&mut self, field: u32, wire: u8) -> W<&'a [u8]> {
        if wire != 2 {
            return Err(Wire::Packed { field, wire });
        }
        self.bytes()
    }

    /// A packed field that may appear once: stored into `slot`.
    fn packed_once(&mut self, field: u32, wire: u8, slot: &mut Option<&'a [u8]>) -> W<()> {
        let b = self.bytes_field(field, wire)?;
        if slot.replace(b).is_some() {
            return Err(Wire::Twice { field });
        }
        Ok(())
    }
}

/// Counts the varints of a packed run.
fn count_varints(b: &[u8]) -> W<usize> {
    let n = b.iter().filter(|&&c| c < 0x80).count();
    if b.last().is_some_and(|&c| c >= 0x80) {
        return Err(Wire::Varint);
    }
    Ok(n)
}

/// The inflate state a worker thread reuses.
struct Inflater {
    buf: Vec<u8>,
    z: flate2::Decompress,
}

thread_local! {
    static INFLATER: RefCell<Inflater> =
        RefCell::new(Inflater { buf: Vec::new(), z: flate2::Decompress::new(true) });
}

/// The type (`OSMHeader`, `OSMData`, …) a serialized `BlobHeader` declares.
pub(super) fn blob_type(header: &[u8]) -> std::result::Result<&str, String> {
    let ctx = "block header";
    let mut c = Cursor::new(header);
    let mut ty = None;
    while !c.is_empty() {
        let (field, wire) = c.key().map_err(|e| e.at(ctx))?;
        match field {
            1 => ty = Some(c.bytes_field(field, wire).map_err(|e| e.at(ctx))?),
            _ => c.skip(field, wire).map_err(|e| e.at(ctx))?,
        }
    }
    let ty = ty.ok_or_else(|| format!("{ctx}: no blob type"))?;
    std::str::from_utf8(ty).map_err(|_| format!("{ctx}: the blob type is not UTF-8"))
}

/// Decodes the blob `blob` (a serialized `Blob`) whose header declared `ty` and hands what it
/// holds to `f`, inflated into this thread's reused buffer.
pub(super) fn with_blob<T>(
    ty: &str,
    blob: &[u8],
    f: impl FnOnce(Blob<'_>) -> std::result::Result<T, String>,
) -> std::result::Result<T, String> {
    if ty != "OSMHeader" && ty != "OSMData" {
        return Err(format!("unknown blob type {ty:?}"));
    }
    let ctx = "blob";
    let mut c = Cursor::new(blob);
    let (mut raw, mut raw_size, mut zlib) = (None, None, None);
    let mut other = None;
    while !c.is_empty() {
        let (field, wire) = c.key().map_err(|e| e.at(ctx))?;
        match field {
            1 => raw = Some(c.bytes_field(field, wire).map_err(|e| e.at(ctx))?),
            2 => raw_size = Some(c.varint_field(field, wire).map_err(|e| e.at(ctx))? as i64 as i32),
            3 => zlib = Some(c.bytes_field(field, wire).map_err(|e| e.at(ctx))?),
            4..=7 => {
                c.skip(field, wire).map_err(|e| e.at(ctx))?;
                other = Some(["lzma", "bzip2", "lz4", "zstd"][field as usize - 4]);
            }
            _ => c.skip(field, wire).map_err(|e| e.at(ctx))?,
        }
    }
    let header = ty == "OSMHeader";
    let run = move |payload: &[u8]| {
        if header { f(Blob::Header(header_features(payload)?)) } else { f(Blob::Data(payload)) }
    };
    if let Some(raw) = raw {
        if raw.len() > MAX_RAW_BYTES {
            return Err(format!("blob holds {} bytes uncompressed (the format allows up to 32 MiB)", raw.len()));
        }
        return run(raw);
    }
    let Some(zlib) = zlib else {
        return Err(match other {
            Some(how) => format!(
                "blob compressed with {how}, which is not supported (only zlib and uncompressed blobs are); re-encode the file, e.g. `osmium cat in.osm.pbf -o out.osm.pbf`"
            ),
            None => "blob has neither raw nor zlib data".into(),
        });
    };
    let size = match raw_size {
        Some(s) => usize::try_from(s)
            .ok()
            .filter(|&s| s <= MAX_RAW_BYTES)
            .ok_or_else(|| format!("blob declares {s} bytes uncompressed (the format allows 0 to 32 MiB)"))?,
        None => MAX_RAW_BYTES,
    };
    INFLATER.with(|cell| {
        let mut guard = cell.borrow_mut();
        let Inflater { buf, z } = &mut *guard;
        inflate(z, zlib, size, raw_size.is_some(), buf)?;
        run(buf)
    })
}

/// Inflates zlib data `src` into `buf`: exactly `size` bytes when `exact` (the declared
/// `raw_size`), else at most `size`.
fn inflate(z: &mut flate2::Decompress, src: &[u8], size: usize, exact: bool, buf: &mut Vec<u8>) -> Result<(), String> {
    z.reset(true);
    buf.clear();
    // One byte more than declared, to notice data that inflates to more.
    buf.reserve(size + 1);
    let status = z.decompress_vec(src, buf, flate2::FlushDecompress::Finish).map_err(|e| format!("zlib data: {e}"))?;
    let ended = status == flate2::Status::StreamEnd;
    if buf.len() > size || (!ended && buf.len() == buf.capacity()) {
        return Err(format!("zlib data inflates to more than the declared {size} bytes"));
    }
    if !ended {
        return Err(format!("zlib data: the stream ends early ({} bytes inflated)", buf.len()));
    }
    if exact && buf.len() != size {
        return Err(format!("zlib data inflates to {} bytes, not the declared {size}", buf.len()));
    }
    Ok(())
}

/// The required features of a serialized `HeaderBlock`.
fn header_features(b: &[u8]) -> std::result::Result<Vec<&str>, String> {
    let ctx = "header block";
    let mut c = Cursor::new(b);
    let mut out = Vec::new();
    while !c.is_empty() {
        let (field, wire) = c.key().map_err(|e| e.at(ctx))?;
        if field == 4 {
            let s = c.bytes_field(field, wire).map_err(|e| e.at(ctx))?;
            out.push(std::str::from_utf8(s).map_err(|_| format!("{ctx}: a required feature is not UTF-8"))?);
        } else {
            c.skip(field, wire).map_err(|e| e.at(ctx))?;
        }
    }
    Ok(out)
}

/// Reused vectors of one block's decode.
#[derive(Default)]
struct Scratch<'a> {
    tags: Vec<(&'a str, &'a str)>,
    refs: Vec<i64>,
    members: Vec<Member<'a>>,
    nodes: Vec<&'a [u8]>,
    ways: Vec<&'a [u8]>,
    relations: Vec<&'a [u8]>,
}

/// A `PrimitiveBlock`'s string table and coordinate frame.
struct Frame<'a> {
    strings: Vec<&'a [u8]>,
    /// UTF-8 checked: `Some` once a string was found valid.
    checked: Vec<Option<&'a str>>,
    granularity: i64,
    offset: [i64; 2],
}

impl<'a> Frame<'a> {
    /// String `i` (`what` names the element in an error).
    #[inline]
    fn string(&mut self, i: i64, what: &dyn Fn() -> String) -> std::result::Result<&'a str, String> {
        let Some(k) = usize::try_from(i).ok().filter(|&k| k < self.strings.len()) else {
            return Err(format!(
                "{}: string index {i} is outside the string table ({} strings)",
                what(),
                self.strings.len()
            ));
        };
        if let Some(s) = self.checked[k] {
            return Ok(s);
        }
        let s = std::str::from_utf8(self.strings[k])
            .map_err(|_| format!("{}: string {k} of the string table is not UTF-8", what()))?;
        self.checked[k] = Some(s);
        Ok(s)
    }

    /// `offset + granularity · raw` for `[lon, lat]`.
    #[inline]
    fn nano(&self, raw: [i64; 2], what: &dyn Fn() -> String) -> std::result::Result<[i64; 2], String> {
        let f = |r: i64, o: i64| r.checked_mul(self.granularity)?.checked_add(o);
        match (f(raw[0], self.offset[0]), f(raw[1], self.offset[1])) {
            (Some(x), Some(y)) => Ok([x, y]),
            _ => Err(format!("{}: coordinates overflow", what())),
        }
    }
}

/// Walks the serialized `PrimitiveBlock` `b` and hands the elements `want` picks to `f`, in
/// `osmpbf`'s order.
pub(super) fn for_each_element<'a>(
    b: &'a [u8],
    want: Want,
    mut f: impl FnMut(Element<'_, 'a>) -> std::result::Result<(), String>,
) -> std::result::Result<(), String> {
    let ctx = "primitive block";
    let mut c = Cursor::new(b);
    let mut table = None;
    let mut groups: Vec<&'a [u8]> = Vec::new();
    let (mut granularity, mut offset) = (100i64, [0i64; 2]);
    while !c.is_empty() {
        let (field, wire) = c.key().map_err(|e| e.at(ctx))?;
        match field {
            1 => {
                let t = c.bytes_field(field, wire).map_err(|e| e.at(ctx))?;
                if table.replace(t).is_some() {
                    return Err(Wire::Twice { field }.at(ctx));
                }
            }
            2 => groups.push(c.bytes_field(field, wire).map_err(|e| e.at(ctx))?),
            17 => granularity = i64::from(c.varint_field(field, wire).map_err(|e| e.at(ctx))? as i32),
            19 => offset[1] = c.varint_field(field, wire).map_err(|e| e.at(ctx))? as i64,
            20 => offset[0] = c.varint_field(field, wire).map_err(|e| e.at(ctx))? as i64,
            _ => c.skip(field, wire).map_err(|e| e.at(ctx))?,
        }
    }
    let mut strings = Vec::new();
    let mut t = Cursor::new(table.unwrap_or(&[]));
    while !t.is_empty() {
        let (field, wire) = t.key().map_err(|e| e.at("string table"))?;
        if field == 1 {
            strings.push(t.bytes_field(field, wire).map_err(|e| e.at("string table"))?);
        } else {
            t.skip(field, wire).map_err(|e| e.at("string table"))?;
        }
    }
    let mut frame = Frame { checked: vec![None; strings.len()], strings, granularity, offset };
    let mut s = Scratch::default();
    for g in groups {
        group(g, want, &mut frame, &mut s, &mut f)?;
    }
    Ok(())
}

/// One `PrimitiveGroup`: dense nodes, nodes, ways, relations.
fn group<'a>(
    g: &'a [u8],
    want: Want,
    frame: &mut Frame<'a>,
    s: &mut Scratch<'a>,
    f: &mut impl FnMut(Element<'_, 'a>) -> std::result::Result<(), String>,
) -> std::result::Result<(), String> {
    let ctx = "primitive group";
    let mut c = Cursor::new(g);
    let mut dense = None;
    s.nodes.clear();
    s.ways.clear();
    s.relations.clear();
    while !c.is_empty() {
        let (field, wire) = c.key().map_err(|e| e.at(ctx))?;
        match field {
            1 => s.nodes.push(c.bytes_field(field, wire).map_err(|e| e.at(ctx))?),
            2 => c.packed_once(field, wire, &mut dense).map_err(|e| e.at(ctx))?,
            3 => s.ways.push(c.bytes_field(field, wire).map_err(|e| e.at(ctx))?),
            4 => s.relations.push(c.bytes_field(field, wire).map_err(|e| e.at(ctx))?),
            _ => c.skip(field, wire).map_err(|e| e.at(ctx))?,
        }
    }
    if want.nodes {
        if let Some(d) = dense {
            dense_nodes(d, frame, &mut s.tags, f)?;
        }
        for k in 0..s.nodes.len() {
            node(s.nodes[k], frame, &mut s.tags, f)?;
        }
    }
    if want.ways {
        for k in 0..s.ways.len() {
            way(s.ways[k], frame, &mut s.tags, &mut s.refs, f)?;
        }
    }
    if want.relations {
        for k in 0..s.relations.len() {
            relation(s.relations[k], frame, &mut s.tags, &mut s.members, f)?;
        }
    }
    Ok(())
}

/// A group's dense nodes.
fn dense_nodes<'a>(
    d: &'a [u8],
    frame: &mut Frame<'a>,
    tags: &mut Vec<(&'a str, &'a str)>,
    f: &mut impl FnMut(Element<'_, 'a>) -> std::result::Result<(), String>,
) -> std::result::Result<(), String> {
    let ctx = "dense nodes";
    let mut c = Cursor::new(d);
    let (mut ids, mut lats, mut lons, mut kv) = (None, None, None, None);
    while !c.is_empty() {
        let (field, wire) = c.key().map_err(|e| e.at(ctx))?;
        match field {
            1 => c.packed_once(field, wire, &mut ids),
            8 => c.packed_once(field, wire, &mut lats),
            9 => c.packed_once(field, wire, &mut lons),
            10 => c.packed_once(field, wire, &mut kv),
            _ => c.skip(field, wire),
        }
        .map_err(|e| e.at(ctx))?;
    }
    let (ids, lats, lons) = (ids.unwrap_or(&[]), lats.unwrap_or(&[]), lons.unwrap_or(&[]));
    let n = [count_varints(ids), count_varints(lats), count_varints(lons)];
    let [Ok(n_ids), Ok(n_lats), Ok(n_lons)] = n else {
        return Err(Wire::Varint.at(ctx));
    };
    if n_ids != n_lats || n_ids != n_lons {
        return Err(format!("{ctx}: {n_ids} ids, {n_lats} latitudes and {n_lons} longitudes"));
    }
    let (mut ids, mut lats, mut lons) = (Cursor::new(ids), Cursor::new(lats), Cursor::new(lons));
    let mut kv = Cursor::new(kv.unwrap_or(&[]));
    let (mut id, mut lat, mut lon) = (0i64, 0i64, 0i64);
    for _ in 0..n_ids {
        // Counted above: these cannot fail.
        id = id.wrapping_add(ids.sint().map_err(|e| e.at(ctx))?);
        lat = lat.wrapping_add(lats.sint().map_err(|e| e.at(ctx))?);
        lon = lon.wrapping_add(lons.sint().map_err(|e| e.at(ctx))?);
        let what = || format!("node {id}");
        tags.clear();
        // `osmpbf`: pairs until a 0 key or a lone last index; an exhausted array means no tags.
        while !kv.is_empty() {
            let k = kv.varint().map_err(|e| e.at(ctx))? as i64 as i32;
            if k == 0 || kv.is_empty() {
                break;
            }
            let v = kv.varint().map_err(|e| e.at(ctx))? as i64 as i32;
            tags.push((frame.string(i64::from(k), &what)?, frame.string(i64::from(v), &what)?));
        }
        let nano = frame.nano([lon, lat], &what)?;
        f(Element::Node { id, nano, tags })?;
    }
    Ok(())
}

/// Decodes packed `keys` and `vals` (uint32 string indices) into `tags`.
fn tags_of<'a>(
    keys: Option<&'a [u8]>,
    vals: Option<&'a [u8]>,
    frame: &mut Frame<'a>,
    what: &dyn Fn() -> String,
    tags: &mut Vec<(&'a str, &'a str)>,
) -> std::result::Result<(), String> {
    tags.clear();
    let (mut k, mut v) = (Cursor::new(keys.unwrap_or(&[])), Cursor::new(vals.unwrap_or(&[])));
    while !k.is_empty() && !v.is_empty() {
        let ki = k.varint().map_err(|e| e.at(&what()))? as u32;
        let vi = v.varint().map_err(|e| e.at(&what()))? as u32;
        tags.push((frame.string(i64::from(ki), what)?, frame.string(i64::from(vi), what)?));
    }
    if !k.is_empty() || !v.is_empty() {
        let (nk, nv) = (count_varints(keys.unwrap_or(&[])), count_varints(vals.unwrap_or(&[])));
        return Err(format!(
            "{}: {} tag keys but {} values",
            what(),
            nk.map_err(|e| e.at(&what()))?,
            nv.map_err(|e| e.at(&what()))?
        ));
    }
    Ok(())
}

/// A plain (non-dense) node.
fn node<'a>(
    b: &'a [u8],
    frame: &mut Frame<'a>,
    tags: &mut Vec<(&'a str, &'a str)>,
    f: &mut impl FnMut(Element<'_, 'a>) -> std::result::Result<(), String>,
) -> std::result::Result<(), String> {
    let mut c = Cursor::new(b);
    let (mut id, mut lat, mut lon) = (0i64, 0i64, 0i64);
    let (mut keys, mut vals) = (None, None);
    let r = (|| -> W<()> {
        while !c.is_empty() {
            let (field, wire) = c.key()?;
            match field {
                1 => id = zigzag(c.varint_field(field, wire)?),
                2 => c.packed_once(field, wire, &mut keys)?,
                3 => c.packed_once(field, wire, &mut vals)?,
                8 => lat = zigzag(c.varint_field(field, wire)?),
                9 => lon = zigzag(c.varint_field(field, wire)?),
                _ => c.skip(field, wire)?,
            }
        }
        Ok(())
    })();
    let what = || format!("node {id}");
    r.map_err(|e| e.at(&what()))?;
    tags_of(keys, vals, frame, &what, tags)?;
    let nano = frame.nano([lon, lat], &what)?;
    f(Element::Node { id, nano, tags })
}

fn zigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

/// A way.
fn way<'a>(
    b: &'a [u8],
    frame: &mut Frame<'a>,
    tags: &mut Vec<(&'a str, &'a str)>,
    refs: &mut Vec<i64>,
    f: &mut impl FnMut(Element<'_, 'a>) -> std::result::Result<(), String>,
) -> std::result::Result<(), String> {
    let mut c = Cursor::new(b);
    let mut id = 0i64;
    let (mut keys, mut vals, mut packed_refs) = (None, None, None);
    let r = (|| -> W<()> {
        while !c.is_empty() {
            let (field, wire) = c.key()?;
            match field {
                1 => id = c.varint_field(field, wire)? as i64,
                2 => c.packed_once(field, wire, &mut keys)?,
                3 => c.packed_once(field, wire, &mut vals)?,
                8 => c.packed_once(field, wire, &mut packed_refs)?,
                _ => c.skip(field, wire)?,
            }
        }
        Ok(())
    })();
    let what = || format!("way {id}");
    r.map_err(|e| e.at(&what()))?;
    tags_of(keys, vals, frame, &what, tags)?;
    refs.clear();
    let mut p = Cursor::new(packed_refs.unwrap_or(&[]));
    let mut cur = 0i64;
    while !p.is_empty() {
        cur = cur.wrapping_add(p.sint().map_err(|e| e.at(&what()))?);
        refs.push(cur);
    }
    f(Element::Way { id, refs, tags })
}

/// A relation.
fn relation<'a>(
    b: &'a [u8],
    frame: &mut Frame<'a>,
    tags: &mut Vec<(&'a str, &'a str)>,
    members: &mut Vec<Member<'a>>,
    f: &mut impl FnMut(Element<'_, 'a>) -> std::result::Result<(), String>,
) -> std::result::Result<(), String> {
    let mut c = Cursor::new(b);
    let mut id = 0i64;
    let (mut keys, mut vals, mut roles, mut memids, mut types) = (None, None, None, None, None);
    let r = (|| -> W<()> {
        while !c.is_empty() {
            let (field, wire) = c.key()?;
            match field {
                1 => id = c.varint_field(field, wire)? as i64,
                2 => c.packed_once(field, wire, &mut keys)?,
                3 => c.packed_once(field, wire, &mut vals)?,
                8 => c.packed_once(field, wire, &mut roles)?,
                9 => c.packed_once(field, wire, &mut memids)?,
                10 => c.packed_once(field, wire, &mut types)?,
                _ => c.skip(field, wire)?,
            }
        }
        Ok(())
    })();
    let what = || format!("relation {id}");
    r.map_err(|e| e.at(&what()))?;
    tags_of(keys, vals, frame, &what, tags)?;
    let (roles, memids, types) = (roles.unwrap_or(&[]), memids.unwrap_or(&[]), types.unwrap_or(&[]));
    let counts = (count_varints(roles), count_varints(memids), count_varints(types));
    let (Ok(nr), Ok(nm), Ok(nt)) = counts else {
        return Err(Wire::Varint.at(&what()));
    };
    if nr != nm || nr != nt {
        return Err(format!("{}: {nr} member roles, {nm} member ids and {nt} member types", what()));
    }
    members.clear();
    let (mut roles, mut memids, mut types) = (Cursor::new(roles), Cursor::new(memids), Cursor::new(types));
    let mut cur = 0i64;
    for _ in 0..nr {
        let role = roles.varint().map_err(|e| e.at(&what()))? as i64 as i32;
        cur = cur.wrapping_add(memids.sint().map_err(|e| e.at(&what()))?);
        let kind = match types.varint().map_err(|e| e.at(&what()))? as i64 as i32 {
            0 => MemberType::Node,
            1 => MemberType::Way,
            2 => MemberType::Relation,
            t => return Err(format!("{}: member {cur} has the unknown member type {t}", what())),
        };
        members.push(Member { kind, id: cur, role: frame.string(i64::from(role), &what)? });
    }
    f(Element::Relation { id, members, tags })
}

#[cfg(test)]
mod tests {
    use super::*;

    // A minimal protobuf writer for hand-made blocks.
    fn varint(mut v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let c = (v & 0x7f) as u8;
            v >>= 7;
            out.push(if v != 0 { c | 0x80 } else { c });
            if v == 0 {
                return out;
            }
        }
    }
    fn zz(v: i64) -> u64 {
        ((v << 1) ^ (v >> 63)) as u64
    }
    fn f_varint(field: u32, v: u64) -> Vec<u8> {
        [varint(u64::from(field) << 3), varint(v)].concat()
    }
    fn f_bytes(field: u32, b: &[u8]) -> Vec<u8> {
        [varint(u64::from(field) << 3 | 2), varint(b.len() as u64), b.to_vec()].concat()
    }
    fn packed(field: u32, vals: &[i64], sint: bool) -> Vec<u8> {
        let b: Vec<u8> = vals.iter().flat_map(|&v| varint(if sint { zz(v) } else { v as u64 })).collect();
        f_bytes(field, &b)
    }
    fn deltas(xs: &[i64]) -> Vec<i64> {
        let mut prev = 0;
        xs.iter()
            .map(|&x| {
                let d = x - prev;
                prev = x;
                d
            })
            .collect()
    }

    const STRINGS: &[&[u8]] = &[b"", b"highway", b"footway", b"type", b"multipolygon", b"outer", b"name", b"\xff\xfe"];

    fn table(strings: &[&[u8]]) -> Vec<u8> {
        f_bytes(1, &strings.iter().flat_map(|s| f_bytes(1, s)).collect::<Vec<u8>>())
    }

    fn dense(ids: &[i64], lats: &[i64], lons: &[i64], kv: &[i64]) -> Vec<u8> {
        [
            packed(1, &deltas(ids), true),
            packed(8, &deltas(lats), true),
            packed(9, &deltas(lons), true),
            packed(10, kv, false),
        ]
        .concat()
    }

    fn block(groups: &[Vec<u8>]) -> Vec<u8> {
        let mut b = table(STRINGS);
        for g in groups {
            b.extend(f_bytes(2, g));
        }
        b.extend(f_varint(17, 100));
        b
    }

    #[derive(Debug, PartialEq)]
    enum E {
        Node(i64, [i64; 2], Vec<(String, String)>),
        Way(i64, Vec<i64>, Vec<(String, String)>),
        Rel(i64, Vec<(MemberType, i64, String)>, Vec<(String, String)>),
    }

    fn owned(t: &[(&str, &str)]) -> Vec<(String, String)> {
        t.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn elements(b: &[u8]) -> Result<Vec<E>, String> {
        let mut out = Vec::new();
        for_each_element(b, Want::ALL, |el| {
            out.push(match el {
                Element::Node { id, nano, tags } => E::Node(id, nano, owned(tags)),
                Element::Way { id, refs, tags } => E::Way(id, refs.to_vec(), owned(tags)),
                Element::Relation { id, members, tags } => {
                    E::Rel(id, members.iter().map(|m| (m.kind, m.id, m.role.to_string())).collect(), owned(tags))
                }
            });
            Ok(())
        })?;
        Ok(out)
    }

    fn err(b: &[u8]) -> String {
        elements(b).expect_err("corrupt block accepted")
    }

    fn good_way() -> Vec<u8> {
        [f_varint(1, 10), packed(2, &[1], false), packed(3, &[2], false), packed(8, &deltas(&[1, 2, 3]), true)].concat()
    }

    fn good_rel() -> Vec<u8> {
        [
            f_varint(1, 20),
            packed(2, &[3], false),
            packed(3, &[4], false),
            packed(8, &[5, 0], false),
            packed(9, &deltas(&[10, 1]), true),
            packed(10, &[1, 0], false),
        ]
        .concat()
    }

    #[test]
    fn a_hand_made_block_decodes_in_osmpbf_order_with_tags_refs_and_members() {
        let g1 = [
            f_bytes(2, &dense(&[1, 2, 3], &[280, 290, -5], &[-154, -150, 7], &[6, 1, 0, 0, 1, 2, 0])),
            f_bytes(3, &good_way()),
        ]
        .concat();
        let g2 = f_bytes(4, &good_rel());
        let mut b = block(&[g1, g2]);
        b.extend(f_varint(19, 1000)); // lat_offset
        let s = |x: &str| x.to_string();
        assert_eq!(
            elements(&b).unwrap(),
            vec![
                E::Node(1, [-15400, 29000], vec![(s("name"), s("highway"))]),
                E::Node(2, [-15000, 30000], vec![]),
                E::Node(3, [700, 500], vec![(s("highway"), s("footway"))]),
                E::Way(10, vec![1, 2, 3], vec![(s("highway"), s("footway"))]),
                E::Rel(
                    20,
                    vec![(MemberType::Way, 10, s("outer")), (MemberType::Node, 1, s(""))],
                    vec![(s("type"), s("multipolygon"))]
                ),
            ]
        );
        assert_eq!(decimicro([-15400, 29000]), [-154, 290]);
        // Wanted kinds only.
        let mut n = 0;
        for_each_element(&b, Want { nodes: false, ways: true, relations: false }, |e| {
            assert!(matches!(e, Element::Way { .. }));
            n += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_truncated_varint_or_a_length_past_the_end_is_an_error() {
        // Ids whose packed run ends inside a varint.
        let d = [f_bytes(1, &[0x02, 0x80]), packed(8, &[1], true), packed(9, &[1], true)].concat();
        let e = err(&block(&[f_bytes(2, &d)]));
        assert!(e.contains("dense nodes") && e.contains("varint runs past the end"), "{e}");
        // A group whose field declares 100 bytes with 3 left.
        let mut b = table(STRINGS);
        b.extend([0x12, 100, 1, 2, 3]);
        let e = err(&b);
        assert!(e.contains("primitive block: a field of 100 bytes runs past the end (3 bytes left)"), "{e}");
        // A way's refs cut inside a varint.
        let w = [f_varint(1, 10), f_bytes(8, &[0x02, 0x84])].concat();
        let e = err(&block(&[f_bytes(3, &w)]));
        assert!(e.contains("way 10: a varint"), "{e}");
    }

    #[test]
    fn packed_arrays_of_mismatched_length_are_errors() {
        let d = dense(&[1, 2, 3], &[1, 2], &[1, 2, 3], &[]);
        assert_eq!(err(&block(&[f_bytes(2, &d)])), "dense nodes: 3 ids, 2 latitudes and 3 longitudes");
        let w = [f_varint(1, 10), packed(2, &[1, 3], false), packed(3, &[2], false)].concat();
        assert_eq!(err(&block(&[f_bytes(3, &w)])), "way 10: 2 tag keys but 1 values");
        let r =
            [f_varint(1, 20), packed(8, &[5, 0], false), packed(9, &[10], true), packed(10, &[1, 1], false)].concat();
        assert_eq!(err(&block(&[f_bytes(4, &r)])), "relation 20: 2 member roles, 1 member ids and 2 member types");
    }

    #[test]
    fn string_indices_outside_the_table_and_referenced_invalid_utf8_are_errors() {
        let d = dense(&[5], &[1], &[1], &[1, 99]);
        assert_eq!(err(&block(&[f_bytes(2, &d)])), "node 5: string index 99 is outside the string table (8 strings)");
        let d = dense(&[5], &[1], &[1], &[-1, 2]);
        assert!(err(&block(&[f_bytes(2, &d)])).contains("string index -1 is outside"));
        let r = [f_varint(1, 20), packed(8, &[42], false), packed(9, &[10], true), packed(10, &[1], false)].concat();
        assert!(err(&block(&[f_bytes(4, &r)])).starts_with("relation 20: string index 42"));
        let w = [f_varint(1, 10), packed(2, &[7], false), packed(3, &[2], false)].concat();
        assert_eq!(err(&block(&[f_bytes(3, &w)])), "way 10: string 7 of the string table is not UTF-8");
        // Never referenced (e.g. a user name): not looked at, as with osmpbf.
        assert_eq!(elements(&block(&[f_bytes(3, &good_way())])).unwrap().len(), 1);
    }

    #[test]
    fn unknown_member_types_unpacked_fields_and_bad_wire_types_are_errors() {
        let r = [f_varint(1, 20), packed(8, &[5], false), packed(9, &[10], true), packed(10, &[7], false)].concat();
        assert_eq!(err(&block(&[f_bytes(4, &r)])), "relation 20: member 10 has the unknown member type 7");
        // Refs as one unpacked varint (wire type 0).
        let w = [f_varint(1, 10), f_varint(8, 2)].concat();
        assert!(err(&block(&[f_bytes(3, &w)])).contains("way 10: field 8 has wire type 0"));
        let w = [f_varint(1, 10), packed(8, &[1], true), packed(8, &[1], true)].concat();
        assert_eq!(err(&block(&[f_bytes(3, &w)])), "way 10: field 8 appears twice");
        let mut b = block(&[]);
        b.extend([0x1b]); // field 3, wire type 3 (a deprecated group)
        assert_eq!(err(&b), "primitive block: field 3 has the unknown wire type 3");
    }

    #[test]
    fn coordinate_overflow_is_an_error() {
        let d = dense(&[1], &[i64::MAX / 50], &[1], &[]);
        assert_eq!(err(&block(&[f_bytes(2, &d)])), "node 1: coordinates overflow");
    }

    fn zlib(b: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b).unwrap();
        z.finish().unwrap()
    }

    fn data_len(blob: &[u8]) -> Result<usize, String> {
        with_blob("OSMData", blob, |b| match b {
            Blob::Data(d) => Ok(d.len()),
            Blob::Header(_) => unreachable!(),
        })
    }

    #[test]
    fn blobs_inflate_exactly_to_raw_size_and_other_compressions_are_refused() {
        let payload = block(&[f_bytes(3, &good_way())]);
        let n = payload.len() as u64;
        let z = zlib(&payload);
        assert_eq!(data_len(&[f_varint(2, n), f_bytes(3, &z)].concat()), Ok(payload.len()));
        assert_eq!(data_len(&[f_bytes(1, &payload), f_varint(2, n)].concat()), Ok(payload.len()));
        // The same inflate state and buffer, reused on this thread, after a bigger block.
        let small = block(&[]);
        assert_eq!(data_len(&[f_varint(2, small.len() as u64), f_bytes(3, &zlib(&small))].concat()), Ok(small.len()));
        let e = data_len(&[f_varint(2, n - 1), f_bytes(3, &z)].concat()).unwrap_err();
        assert_eq!(e, format!("zlib data inflates to more than the declared {} bytes", n - 1));
        let e = data_len(&[f_varint(2, n + 5), f_bytes(3, &z)].concat()).unwrap_err();
        assert_eq!(e, format!("zlib data inflates to {n} bytes, not the declared {}", n + 5));
        let e = data_len(&[f_varint(2, n), f_bytes(3, &z[..z.len() / 2])].concat()).unwrap_err();
        assert!(e.starts_with("zlib data: the stream ends early"), "{e}");
        let e = data_len(&[f_varint(2, n), f_bytes(3, b"\x1f\x8b\x08\x00garbage")].concat()).unwrap_err();
        assert!(e.starts_with("zlib data: "), "{e}");
        let e = data_len(&[f_varint(2, 1 << 30), f_bytes(3, &z)].concat()).unwrap_err();
        assert!(e.contains("declares 1073741824 bytes uncompressed"), "{e}");
        for (field, how) in [(4, "lzma"), (7, "zstd")] {
            let e = data_len(&[f_varint(2, n), f_bytes(field, b"xx")].concat()).unwrap_err();
            assert!(e.starts_with(&format!("blob compressed with {how}, which is not supported")), "{e}");
        }
        assert_eq!(data_len(&[]).unwrap_err(), "blob has neither raw nor zlib data");
        assert_eq!(with_blob("OSMDelta", &[], |_| Ok(())).unwrap_err(), "unknown blob type \"OSMDelta\"");
        let h = f_bytes(4, b"DenseNodes");
        let got = with_blob("OSMHeader", &f_bytes(1, &h), |b| match b {
            Blob::Header(f) => Ok(f.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            Blob::Data(_) => unreachable!(),
        });
        assert_eq!(got, Ok(vec!["DenseNodes".to_string()]));
        assert_eq!(blob_type(&[f_bytes(1, b"OSMData"), f_varint(3, 7)].concat()), Ok("OSMData"));
        assert!(blob_type(&f_varint(3, 7)).unwrap_err().contains("no blob type"));
    }

    /// The oracle: every block of real extracts decoded by `osmpbf` and by this decoder gives the
    /// same elements in the same order (ids, coordinates to the nanodegree and their `f64`/`i32`
    /// forms, tags, refs, members with roles) and the same header features.
    #[test]
    fn every_element_of_real_extracts_equals_osmpbfs() {
        use osmpbf::{BlobDecode, Element as O, RelMemberType};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
        let mut totals = [0usize; 4];
        for name in [
            "hangzhou-2015.osm.pbf",
            "las-palmas.osm.pbf",
            "helsinki-centre.osm.pbf",
            "krems.osm.pbf",
            "monaco.osm.pbf",
        ] {
            let f = std::fs::File::open(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            let framed = super::super::read_pbf::Framed::new(std::io::BufReader::new(f));
            for (i, frame) in framed {
                let frame = frame.unwrap();
                let blob = frame.osmpbf_blob(i).unwrap();
                let ty = blob_type(frame.header()).unwrap();
                type Decoded = (Vec<String>, Vec<(E, [u64; 2], [i32; 2])>);
                let mine: Result<Decoded, String> = with_blob(ty, frame.blob(), |b| match b {
                    Blob::Header(f) => Ok((f.iter().map(|s| s.to_string()).collect(), Vec::new())),
                    Blob::Data(d) => {
                        let mut out = Vec::new();
                        for_each_element(d, Want::ALL, |el| {
                            let (e, nano) = match el {
                                Element::Node { id, nano, tags } => (E::Node(id, nano, owned(tags)), nano),
                                Element::Way { id, refs, tags } => (E::Way(id, refs.to_vec(), owned(tags)), [0, 0]),
                                Element::Relation { id, members, tags } => (
                                    E::Rel(
                                        id,
                                        members.iter().map(|m| (m.kind, m.id, m.role.to_string())).collect(),
                                        owned(tags),
                                    ),
                                    [0, 0],
                                ),
                            };
                            let p = degrees(nano);
                            out.push((e, [p[0].to_bits(), p[1].to_bits()], decimicro(nano)));
                            Ok(())
                        })?;
                        Ok((Vec::new(), out))
                    }
                });
                let (features, mine) = mine.unwrap_or_else(|e| panic!("{name} block {i}: {e}"));
                let mut theirs = Vec::new();
                let mut their_features = Vec::new();
                match blob.decode().unwrap() {
                    BlobDecode::OsmHeader(h) => their_features = h.required_features().to_vec(),
                    BlobDecode::OsmData(b) => {
                        let t = |it: &mut dyn Iterator<Item = (&str, &str)>| -> Vec<(String, String)> {
                            it.map(|(k, v)| (k.to_string(), v.to_string())).collect()
                        };
                        for el in b.elements() {
                            theirs.push(match el {
                                O::DenseNode(n) => (
                                    E::Node(n.id(), [n.nano_lon(), n.nano_lat()], t(&mut n.tags())),
                                    [n.lon().to_bits(), n.lat().to_bits()],
                                    [n.decimicro_lon(), n.decimicro_lat()],
                                ),
                                O::Node(n) => (
                                    E::Node(n.id(), [n.nano_lon(), n.nano_lat()], t(&mut n.tags())),
                                    [n.lon().to_bits(), n.lat().to_bits()],
                                    [n.decimicro_lon(), n.decimicro_lat()],
                                ),
                                O::Way(w) => (E::Way(w.id(), w.refs().collect(), t(&mut w.tags())), [0, 0], [0, 0]),
                                O::Relation(r) => {
                                    let members = r
                                        .members()
                                        .map(|m| {
                                            let kind = match m.member_type {
                                                RelMemberType::Node => MemberType::Node,
                                                RelMemberType::Way => MemberType::Way,
                                                RelMemberType::Relation => MemberType::Relation,
                                            };
                                            (kind, m.member_id, m.role().unwrap().to_string())
                                        })
                                        .collect();
                                    (E::Rel(r.id(), members, t(&mut r.tags())), [0, 0], [0, 0])
                                }
                            });
                        }
                    }
                    BlobDecode::Unknown(t) => panic!("{name} block {i}: unknown {t}"),
                }
                assert_eq!(features, their_features, "{name} block {i}");
                assert_eq!(mine.len(), theirs.len(), "{name} block {i}");
                for (k, (a, b)) in mine.iter().zip(&theirs).enumerate() {
                    assert_eq!(a, b, "{name} block {i} element {k}");
                }
                for (e, ..) in &mine {
                    totals[match e {
                        E::Node(..) => 0,
                        E::Way(..) => 1,
                        E::Rel(..) => 2,
                    }] += 1;
                }
                totals[3] += 1;
            }
        }
        // Real data was compared: Las Palmas alone has 383k nodes and 54k ways.
        assert!(totals[0] > 400_000 && totals[1] > 55_000 && totals[2] > 1_000, "{totals:?}");
    }
}
