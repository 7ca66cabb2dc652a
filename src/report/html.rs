//! `report.html`: one self-contained, offline page with the map, the headline table, charts and
//! gap tables of an analysis.
//!
//! Owns the page layout, its labels (Chinese or English, from the profile's `lang`), the data
//! blocks it embeds and the page script. Everything is inside the file: Leaflet 1.9.4 (vendored
//! in `vendor/leaflet/`, see `vendor/README.md`), the GeoJSON layers, the SVG charts (drawn in
//! Rust by [`svg_chart`]). Only the optional OpenStreetMap tile background needs the network;
//! offline, tile errors are ignored and the vector layers show on a plain background.
//!
//! Glossary:
//! - **data block**: a `<script type="application/json" id="c15-…">` element holding one
//!   GeoJSON or JSON document, with `</` written `<\/` and `<!--` written `\u003c!--` so no
//!   content can close the element early; the page script reads them with `JSON.parse`.
//! - **DOM hooks**: suggested sites are SVG paths with class `c15-suggestion`. Community outlines
//!   and facility markers are drawn on canvases (no element each: a city has ~4,000 and ~10^4);
//!   the self-test counts the shapes each canvas renderer projected.
//! - **compact blocks**: positions as integer offsets in 10⁻⁵ degree (~1 m) from `origin` in
//!   the meta block, community and walk-shed outlines simplified at [`PAGE_SIMPLIFY_M`] (see
//!   [`super::compact_geometry`]), properties in columns (one array per key).
//! - **self-test**: opened with `#selftest` in the URL, the page counts its rendered shapes and
//!   markers (those the canvas renderers projected, and the facility canvas's painted pixels),
//!   clicks the first named community at a pixel where the canvas hit-test finds it, reads the popup and writes a JSON result into
//!   `<pre id="selftest">` (and `document.title` = `selftest:ok` / `selftest:fail`); the tiles are
//!   not requested.
//! - **URL options**: after `#`, joined by `&`: `selftest`, `notiles` (no tile requests),
//!   `cat=<category id>` (walk-shed, unserved residents and histogram), `colour=<score|category
//!   id>` (community colouring), `view=<lat>,<lon>,<zoom>`, `unserved` (show that layer).
//! - **street levels of detail**: `c15-base`, the whole city's streets within [`BASE_BYTES`];
//!   when that is coarser than [`BASE_SIMPLIFY_M`], `c15-base-fine`, a finer level cut into tiles
//!   within [`BASE_FINE_BYTES`], drawn for the tiles in view at street zoom (`assets/basemap.js`).
//!   `c15-land`: water and green fills under the streets ([`super::land_layer`], [`LAND_BYTES`]).
//! - **canvases**: community outlines, walk-sheds, unserved residents, facility markers and the
//!   base layer are each drawn on one Leaflet canvas; the community canvas hit-tests the facility
//!   canvas first, so a click opens the marker's popup on a marker and the community's elsewhere.
//! - **unserved residents**: demand points whose walk to the nearest facility of the selected
//!   category exceeds its threshold (or the search cap), drawn as circles whose area follows the
//!   residents at the point.
//!
//! Size: the page embeds compact blocks, not the GeoJSON outputs: the communities' popup
//! figures (the values of `communities.geojson`) and simplified outlines, the facilities as
//! columns, the merged per-category walk-sheds only (the per-facility ones, written to
//! `isochrones.geojson` with `--isochrones facility`, are left out), and the demand for the unserved layer within [`DEMAND_BUDGET`]
//! entries (points, or residents summed per grid cell above it; the legend gives the cell
//! size). On Las Palmas tiled 4×4 (4,293 communities, 342,568 demand points) that is 6.7 MB
//! instead of 45 MB; see benches/README.md. Bytes are deterministic.

#[path = "svg_chart.rs"]
pub mod svg_chart;

use std::fmt::Write;

use serde_json::{Value, json};

use super::compact_geometry::CompactWriter;
use super::format::{fixed, html_attr, html_text, pct};
use super::i18n::{Label, PAGE_WORDS};
use super::{ATTRIBUTION, geojson_out, json_num, round};
use crate::geom::Polygon;
use crate::model::Analysis;
use crate::profile::Lang;
use crate::route::UNREACHED;
use svg_chart::{Bar, HistLabels};

const LEAFLET_JS: &str = include_str!("../../vendor/leaflet/leaflet.js");
const LEAFLET_CSS: &str = include_str!("../../vendor/leaflet/leaflet.css");
const LEAFLET_LICENSE: &str = include_str!("../../vendor/leaflet/LICENSE");
/// The page's own style sheet and script.
const PAGE_CSS: &str = include_str!("assets/report.css");
const PAGE_JS: &str = include_str!("assets/report.js");
/// The what-if panel's script (reads the `c15-whatif` block; see [`super::whatif_data`]).
const WHATIF_JS: &str = include_str!("assets/whatif.js");
/// The base layers of the map (tiles, streets, district outline): `assets/basemap.js`.
const BASEMAP_JS: &str = include_str!("assets/basemap.js");

/// Douglas–Peucker tolerance, metres, of the community and walk-shed outlines on the page (a
/// street-scale map; the full shapes stay in `communities.geojson` / `isochrones.geojson`).
pub const PAGE_SIMPLIFY_M: f64 = 4.0;
/// Most demand entries embedded for the unserved-residents layer; more demand points than this
/// are summed into grid cells (see [`demand_json`]).
pub const DEMAND_BUDGET: usize = 25_000;
/// Douglas–Peucker tolerance, metres, of the street lines of the offline base layer (coarsened
/// to fit [`BASE_BUDGET`], see [`super::base_layer`]).
pub const BASE_SIMPLIFY_M: f64 = 4.0;
/// Most positions of the street lines embedded in the page.
pub const BASE_BUDGET: usize = 400_000;
/// Most bytes of the street block (`c15-base`): a city's streets are coarsened to fit (Las
/// Palmas alone, 73 k positions at 4 m, takes 0.5 MB).
pub const BASE_BYTES: usize = 800_000;

/// Most bytes of the water and green block (`c15-land`, see [`super::land_layer`]).
pub const LAND_BYTES: usize = 1_000_000;
/// Most bytes of the fine street block (`c15-base-fine`, the street-zoom level of detail).
pub const BASE_FINE_BYTES: usize = 4_500_000;
/// About this many positions per tile of the fine street block.
pub const BASE_TILE_POINTS: usize = 20_000;

/// The street blocks of the page: the whole-city layer `c15-base` (within [`BASE_BUDGET`]
/// positions and [`BASE_BYTES`] bytes), and, when that had to be coarser than
/// [`BASE_SIMPLIFY_M`], the finest level within [`BASE_FINE_BYTES`] cut into tiles
/// (`c15-base-fine`), which the page draws at street zoom for the tiles in view.
///
/// `c15-base` is `{"tol_m":…,"lines":[[x0,y0,dx1,dy1,…],…]}` in e5 integers: a line's first
/// position relative to the previous line's last (the first line's to the origin), then deltas.
/// `c15-base-fine` is `{"tol_m":…,"tiles":[{"b":[x_min,y_min,x_max,y_max],"lines":[…]},…]}`,
/// the box in e5 from the origin, each tile's lines encoded as `c15-base`'s (from the origin).
/// The street chains are simplified once ([`super::base_layer::StreetDetail`]); a level is then
/// picked by counting positions and writing only the candidate levels.
fn streets_json(a: &Analysis, w: &CompactWriter) -> (String, Option<String>) {
    streets_json_within(a, w, [BASE_BUDGET, BASE_BYTES, BASE_FINE_BYTES])
}

/// [`streets_json`] within `[positions, bytes, fine bytes]`.
fn streets_json_within(a: &Analysis, w: &CompactWriter, limits: [usize; 3]) -> (String, Option<String>) {
    use super::base_layer::StreetDetail;
    let [budget, bytes, fine_bytes] = limits;
    let centre = [w.origin[0] as f64 / 1e5, w.origin[1] as f64 / 1e5];
    let d = StreetDetail::new(&a.graph, centre, BASE_SIMPLIFY_M);
    // Positions per level, counted once for the coarse level's choice and the fine level's bound.
    let level_points = d.level_points();
    let points_at = |f: u32| level_points.get(f as usize).copied().unwrap_or_else(|| d.points_at(d.level_m(f)));
    let mut k = d.fitting_in(&level_points, budget);
    let coarse = loop {
        let tol = d.level_m(k);
        let chains = d.kept_chains(tol);
        let mut s = String::new();
        s.push_str("{\"tol_m\":");
        let _ = write!(s, "{}", d.level_m(k));
        s.push_str(",\"lines\":");
        push_street_lines(&mut s, chains.iter().map(|&c| d.kept(c, tol).expect("kept chain")), w);
        s.push('}');
        if s.len() <= bytes || d.level_m(k) > 1e5 || d.base_m <= 0.0 {
            break s;
        }
        k += 1;
    };
    // Each position takes at least 4 bytes ("1,2,"): levels above that bound are not written.
    let fine = (0..k).filter(|&f| points_at(f) * 4 <= fine_bytes).find_map(|f| {
        let s = street_tiles_json(&d, f, points_at(f), w);
        (s.len() <= fine_bytes).then_some(s)
    });
    (coarse, fine)
}

/// Appends `[[x0,y0,dx1,dy1,…],…]` (see [`streets_json`]) and returns the box of the positions
/// written (e5 from the origin; `None` when no line has two distinct positions). The lines are
/// read straight from the chains (no `Vec` per line: collecting them was a third of the street
/// block's time on 4×4 Las Palmas, mostly malloc/free).
fn push_street_lines(
    out: &mut String,
    lines: impl Iterator<Item = impl Iterator<Item = [f64; 2]>>,
    w: &CompactWriter,
) -> Option<[i64; 4]> {
    out.push('[');
    let mut prev = [0i64, 0];
    let mut bbox: Option<[i64; 4]> = None;
    let mut pts: Vec<[i64; 2]> = Vec::new();
    for line in lines {
        pts.clear();
        pts.extend(line.map(|p| w.offset(p)));
        pts.dedup();
        if pts.len() < 2 {
            continue;
        }
        if bbox.is_some() {
            out.push(',');
        }
        let b = bbox.get_or_insert([i64::MAX, i64::MAX, i64::MIN, i64::MIN]);
        for p in &pts {
            *b = [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])];
        }
        super::compact_geometry::push_deltas(out, &pts, &mut prev);
    }
    out.push(']');
    bbox
}

/// The lines of level `k` of `d` in square tiles of about [`BASE_TILE_POINTS`] positions (a
/// line goes to the tile of its first position; tiles in row-major order, lines in chain order).
/// `points`: the positions at level `k` (`d.points_at(d.level_m(k))`).
fn street_tiles_json(d: &super::base_layer::StreetDetail, k: u32, points: usize, w: &CompactWriter) -> String {
    use rayon::prelude::*;
    let tol = d.level_m(k);
    let chains = d.kept_chains(tol);
    let side = ((points as f64 / BASE_TILE_POINTS as f64).sqrt().ceil() as usize).max(1);
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in chains.iter().map(|&c| d.chain(c)[0]) {
        lo = [lo[0].min(p[0]), lo[1].min(p[1])];
        hi = [hi[0].max(p[0]), hi[1].max(p[1])];
    }
    let cell =
        |p: [f64; 2], i: usize| (((p[i] - lo[i]) / (hi[i] - lo[i]).max(1e-9) * side as f64) as usize).min(side - 1);
    let mut order: Vec<(usize, usize)> = chains
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let p = d.chain(c)[0];
            (cell(p, 1) * side + cell(p, 0), i)
        })
        .collect();
    order.sort_unstable();
    let tiles: Vec<&[(usize, usize)]> = order.chunk_by(|a, b| a.0 == b.0).collect();
    let parts: Vec<String> = tiles
        .par_iter()
        .map(|t| {
            let mut s = String::new();
            let lines = t.iter().map(|&(_, i)| d.kept(chains[i], tol).expect("kept chain"));
            let b = push_street_lines(&mut s, lines, w);
            match b {
                Some(b) => format!("{{\"b\":[{},{},{},{}],\"lines\":{s}}}", b[0], b[1], b[2], b[3]),
                None => String::new(),
            }
        })
        .collect();
    let mut out = String::from("{\"tol_m\":");
    let _ = write!(out, "{}", d.level_m(k));
    out.push_str(",\"tiles\":[");
    let mut first = true;
    for p in parts.iter().filter(|p| !p.is_empty()) {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(p);
    }
    out.push_str("]}");
    out
}

/// The Content-Security-Policy of the page: nothing from the network but images (tiles) from the
/// basemap's hosts; with no basemap, no request at all.
fn content_security_policy(basemap: &crate::model::Basemap) -> String {
    let mut img = String::from("data: blob:");
    for h in super::basemap::hosts(basemap) {
        // `{s}` subdomains: a wildcard of the host's parent.
        let h = match h.split_once("{s}") {
            Some((_, rest)) => format!("*{}", rest.trim_start_matches(|c: char| c != '.')),
            None => h,
        };
        if !img.contains(&format!(" https://{h}")) {
            let _ = write!(img, " https://{h} http://{h}");
        }
    }
    format!(
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src {img}; \
         connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
}

/// Optional inputs produced by other stages; `None` leaves the matching layer or section out.
#[derive(Clone, Debug, Default)]
pub struct HtmlExtras {
    /// `isochrones.geojson` bytes, or a FeatureCollection of some of its features; the
    /// `kind: "category"` features are shown.
    pub isochrones: Option<Vec<u8>>,
    /// `suggestions.geojson` bytes (points with `rank`, `category`, `gain`, …).
    pub suggestions: Option<Vec<u8>>,
    /// Ready HTML of the gap tables (trusted, inserted as is).
    pub gap_tables_html: Option<String>,
    /// The tile background (`--basemap`); `None`: no tile layer, no network request.
    pub basemap: crate::model::Basemap,
    /// The district outline (`--clip`), WGS84.
    pub district: Option<crate::geom::MultiPolygon>,
}

/// Category colours, by category index (cycled).
const PALETTE: [&str; 15] = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324", "#469990", "#800000",
    "#808000", "#000075", "#e6a800", "#bfef45", "#fabed4",
];

/// Text of a JSON document safe inside a `<script>` element.
#[cfg(test)]
fn script_json(text: &str) -> String {
    let mut s = String::new();
    push_script_json(&mut s, text);
    s
}

/// Appends `text` (trailing whitespace trimmed) with `</` written `<\/` and `<!--` written
/// `\u003c!--`, without an intermediate copy (the blocks are megabytes for a city).
fn push_script_json(out: &mut String, text: &str) {
    let text = text.trim_end();
    let mut last = 0;
    for (i, _) in text.match_indices('<') {
        let rest = &text[i..];
        let repl = if rest.starts_with("</") {
            "<\\/"
        } else if rest.starts_with("<!--") {
            "\\u003c!--"
        } else {
            continue;
        };
        out.push_str(&text[last..i]);
        out.push_str(repl);
        last = i + if repl.starts_with('<') { 2 } else { 4 };
    }
    out.push_str(&text[last..]);
}

fn data_block(out: &mut String, id: &str, text: &str) {
    let _ = write!(out, r#"<script type="application/json" id="{id}">"#);
    push_script_json(out, text);
    out.push_str("</script>\n");
}

/// Keeps the `kind: "category"` features of `isochrones.geojson` (or of a collection of them
/// alone) as `{"features":[{"properties":…,"g":multipolygon},…]}`, the geometry re-written by
/// `w` (integers, simplified). Only the kept features are decoded, so no document tree of the
/// whole file is built.
fn category_sheds(bytes: &[u8], w: &CompactWriter) -> Option<String> {
    use serde_json::value::RawValue;
    #[derive(serde::Deserialize)]
    struct Doc<'a> {
        #[serde(borrow)]
        features: Vec<&'a RawValue>,
    }
    #[derive(serde::Deserialize)]
    struct Props<'a> {
        #[serde(borrow)]
        kind: Option<std::borrow::Cow<'a, str>>,
    }
    #[derive(serde::Deserialize)]
    struct Full<'a> {
        #[serde(borrow)]
        properties: &'a RawValue,
        /// Decoded for the kept features only (`null` or absent: the page has no walk-sheds).
        #[serde(borrow)]
        geometry: Option<&'a RawValue>,
    }
    #[derive(serde::Deserialize)]
    struct Geometry<'a> {
        #[serde(rename = "type")]
        kind: std::borrow::Cow<'a, str>,
        #[serde(borrow)]
        coordinates: &'a RawValue,
    }
    let doc: Doc<'_> = serde_json::from_slice(bytes).ok()?;
    // Each feature decoded once, in parallel: the kind from its properties, then the geometry of
    // the kept ones, re-written; joined in input order. (A serial pass read every feature's kind
    // first, i.e. scanned all the geometry twice.) `Some(None)`: left out (not a category
    // feature, or not a polygon).
    use rayon::prelude::*;
    let parts: Vec<Option<Option<String>>> = doc
        .features
        .par_iter()
        .map(|f| {
            let full: Full<'_> = serde_json::from_str(f.get()).ok()?;
            let props: Props<'_> = serde_json::from_str(full.properties.get()).ok()?;
            if props.kind.as_deref() != Some("category") {
                return Some(None);
            }
            let geometry: Geometry<'_> = serde_json::from_str(full.geometry?.get()).ok()?;
            let polys: Vec<Polygon> = match geometry.kind.as_ref() {
                "Polygon" => vec![serde_json::from_str(geometry.coordinates.get()).ok()?],
                "MultiPolygon" => serde_json::from_str(geometry.coordinates.get()).ok()?,
                _ => return Some(None),
            };
            let mut s = String::from("{\"properties\":");
            s.push_str(full.properties.get());
            s.push_str(",\"g\":");
            w.multipolygon(&mut s, &polys);
            s.push('}');
            Some(Some(s))
        })
        .collect();
    let mut s = String::from("{\"features\":[");
    let mut n = 0;
    for part in parts {
        let Some(part) = part? else { continue };
        if n > 0 {
            s.push(',');
        }
        s.push_str(&part);
        n += 1;
    }
    s.push_str("]}");
    Some(s)
}

/// The `[lon, lat]` south-west corner of everything the page draws (the origin of its
/// integer positions).
fn page_origin(a: &Analysis) -> [f64; 2] {
    let pts = a
        .communities
        .iter()
        .flat_map(|c| c.polygons.iter().filter_map(|p| p.first()).flatten())
        .chain(a.facilities.iter().map(|f| &f.point))
        .chain(a.demand.iter().map(|d| &d.point));
    let (mut lon, mut lat) = (f64::INFINITY, f64::INFINITY);
    for p in pts {
        lon = lon.min(p[0]);
        lat = lat.min(p[1]);
    }
    if lon.is_finite() && lat.is_finite() { [lon, lat] } else { [0.0, 0.0] }
}

/// Appends `v` as serde_json writes it (`null` for NaN).
fn push_num(s: &mut String, v: f64) {
    let _ = match serde_json::Number::from_f64(v) {
        Some(n) => write!(s, "{n}"),
        None => write!(s, "null"),
    };
}

/// Appends a JSON array of the e5 offsets of `pts` (`x` = 0, `y` = 1).
fn push_offsets<'p>(s: &mut String, w: &CompactWriter, axis: usize, pts: impl Iterator<Item = &'p [f64; 2]>) {
    s.push('[');
    for (i, p) in pts.enumerate() {
        if i > 0 {
            s.push(',');
        }
        super::format::push_i64(s, w.offset(*p)[axis]);
    }
    s.push(']');
}

/// The page's figures of a community popup: these keys of `communities.geojson`, per category
/// `<id>_<key>`.
const COMMUNITY_KEYS: [&str; 5] = ["id", "name", "population", "population_source", "score"];
const COMMUNITY_CATEGORY_KEYS: [&str; 5] = ["covered_share", "mean_s", "p90_s", "per_1000", "pass"];

/// Communities as `{"n":…,"props":{key:[value per community]},"geom":[multipolygon…]}`: the
/// popup's properties in columns (values as in `communities.geojson`) and the shapes written by
/// `w`.
fn communities_json(a: &Analysis, w: &CompactWriter) -> String {
    let mut keys: Vec<String> = COMMUNITY_KEYS.iter().map(|k| k.to_string()).collect();
    for c in &a.profile.categories {
        keys.extend(COMMUNITY_CATEGORY_KEYS.iter().map(|k| format!("{}_{k}", c.id)));
    }
    use rayon::prelude::*;
    // Properties and outlines per community in parallel, joined in index order (the bytes do not
    // depend on the thread count).
    let props: Vec<serde_json::Map<String, Value>> =
        (0..a.communities.len()).into_par_iter().map(|ci| geojson_out::community_properties(a, ci)).collect();
    let shapes: Vec<String> = a
        .communities
        .par_iter()
        .with_min_len(64)
        .map(|c| {
            let mut g = String::new();
            w.multipolygon(&mut g, &c.polygons);
            g
        })
        .collect();
    // The popup's values by column: each map is walked once in its insertion order (the same for
    // every community but for optional keys), compared by string with the first community's, and
    // hashed only where it differs. Looking every key up in every map (`Map::get`, SipHash) was
    // ~100 of the ~150 samples of this block on 4×4 Las Palmas (`perf record`), all serial.
    let col_of: std::collections::HashMap<&str, usize> =
        keys.iter().enumerate().map(|(j, k)| (k.as_str(), j)).collect();
    let order: Vec<(&str, Option<usize>)> = props
        .first()
        .map(|p| p.keys().map(|k| (k.as_str(), col_of.get(k.as_str()).copied())).collect())
        .unwrap_or_default();
    let rows: Vec<Vec<&Value>> = props
        .par_iter()
        .with_min_len(64)
        .map(|p| {
            let mut row = vec![&Value::Null; keys.len()];
            let mut pos = 0;
            for (k, v) in p {
                let col = match (order.get(pos), order.get(pos + 1)) {
                    (Some(&(ok, c)), _) if ok == k => {
                        pos += 1;
                        c
                    }
                    (_, Some(&(ok, c))) if ok == k => {
                        pos += 2;
                        c
                    }
                    _ => col_of.get(k.as_str()).copied(),
                };
                if let Some(c) = col {
                    row[c] = v;
                }
            }
            row
        })
        .collect();
    let columns: Vec<String> = (0..keys.len())
        .into_par_iter()
        .map(|j| {
            let mut col = Vec::with_capacity(rows.len() * 8);
            for (i, row) in rows.iter().enumerate() {
                if i > 0 {
                    col.push(b',');
                }
                serde_json::to_writer(&mut col, row[j]).expect("serialisable");
            }
            String::from_utf8(col).expect("serde_json writes UTF-8")
        })
        .collect();
    let mut s = String::with_capacity(a.communities.len() * 400);
    s.push_str("{\"n\":"); // (braces balanced per line, for modgraph.py's naive count)
    let _ = write!(s, "{}", a.communities.len());
    s.push_str(",\"props\":{");
    for (j, (k, col)) in keys.iter().zip(&columns).enumerate() {
        if j > 0 {
            s.push(',');
        }
        s.push_str(&serde_json::to_string(k).expect("serialisable"));
        s.push_str(":[");
        s.push_str(col);
        s.push(']');
    }
    s.push_str("},\"geom\":[");
    for (i, g) in shapes.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(g);
    }
    s.push_str("]}");
    s
}

/// Facilities (one entry per facility and category it serves, as in `facilities.geojson`) in
/// columns: `x`, `y` (e5 offsets), `cat` (category index), `used` (`0`/`1` per entry: attached
/// to the walk graph), `cap` (capacity or null), `name`, `osm` (`type/id`).
fn facilities_json(a: &Analysis, w: &CompactWriter) -> (String, usize) {
    let pairs: Vec<(usize, usize)> =
        a.facilities.iter().enumerate().flat_map(|(i, f)| (0..f.categories.len()).map(move |j| (i, j))).collect();
    let fac = |p: &(usize, usize)| &a.facilities[p.0];
    let mut s = String::with_capacity(pairs.len() * 60 + 64);
    s.push_str("{\"x\":");
    push_offsets(&mut s, w, 0, pairs.iter().map(|p| &fac(p).point));
    s.push_str(",\"y\":");
    push_offsets(&mut s, w, 1, pairs.iter().map(|p| &fac(p).point));
    s.push_str(",\"cat\":[");
    for (i, p) in pairs.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "{}", fac(p).categories[p.1].index());
    }
    s.push_str("],\"used\":\"");
    s.extend(pairs.iter().map(|p| if fac(p).node.is_some() { '1' } else { '0' }));
    s.push_str("\",\"cap\":[");
    for (i, p) in pairs.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let v = fac(p).capacity[p.1].map_or(Value::Null, |(c, _)| json_num(Some(c), 1));
        s.push_str(&serde_json::to_string(&v).expect("serialisable"));
    }
    s.push_str("],\"name\":[");
    for (i, p) in pairs.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&serde_json::to_string(&fac(p).name).expect("serialisable"));
    }
    s.push_str("],\"osm\":[");
    for (i, p) in pairs.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let f = fac(p);
        let _ = write!(s, "\"{}/{}\"", f.osm_type, f.osm_id);
    }
    s.push_str("]}");
    (s, pairs.len())
}

/// Demand for the unserved-residents layer, at most [`DEMAND_BUDGET`] entries:
/// `{"cell_m":…,"x":[…],"y":[…],"pop":[…],"unserved":{category id: …}}`. With few enough demand
/// points (`cell_m` 0) an entry is a demand point and a category's value is a string of `0`/`1`
/// flags, `1` = beyond the threshold (unserved); above the budget an entry is a square grid
/// cell of `cell_m` metres (the smallest of 100 m × 2ᵏ that fits the budget) at the
/// residents-weighted centre of its points, `pop` its residents and a category's value the
/// array of its unserved residents. `null`: the category has no facility (everyone unserved).
fn demand_json(a: &Analysis, w: &CompactWriter) -> String {
    demand_json_within(a, w, DEMAND_BUDGET)
}

/// [`demand_json`] with at most `budget` entries.
fn demand_json_within(a: &Analysis, w: &CompactWriter, budget: usize) -> String {
    let ncat = a.profile.categories.len();
    let unserved = |k: usize, i: usize| -> bool {
        let used = a.categories[k].facilities > a.categories[k].facilities_unattached;
        if !used || k >= a.times_ds.len() {
            return true;
        }
        let th = a.profile.categories[k].threshold_ds();
        !matches!(a.demand_node[i], Some(n) if a.times_ds[k][n as usize] <= th)
    };
    let used = |k: usize| a.categories[k].facilities > a.categories[k].facilities_unattached && k < a.times_ds.len();
    let mut s = String::with_capacity(budget.min(a.demand.len()) * (20 + 3 * ncat) + 256);
    if a.demand.len() <= budget {
        s.push_str("{\"cell_m\":0,\"x\":");
        push_offsets(&mut s, w, 0, a.demand.iter().map(|d| &d.point));
        s.push_str(",\"y\":");
        push_offsets(&mut s, w, 1, a.demand.iter().map(|d| &d.point));
        s.push_str(",\"pop\":[");
        for (i, d) in a.demand.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            push_num(&mut s, round(d.population, 1));
        }
        s.push_str("],\"unserved\":{");
        for (k, cat) in a.profile.categories.iter().enumerate() {
            if k > 0 {
                s.push(',');
            }
            s.push_str(&serde_json::to_string(&cat.id).expect("serialisable"));
            s.push(':');
            if !used(k) {
                s.push_str("null");
                continue;
            }
            s.push('"');
            s.extend((0..a.demand.len()).map(|i| if unserved(k, i) { '1' } else { '0' }));
            s.push('"');
        }
        s.push_str("}}");
        return s;
    }
    // Grid cells: the cell of each point, by first appearance (deterministic).
    let proj = crate::geom::LocalProj::new(w.origin[0] as f64 / 1e5, w.origin[1] as f64 / 1e5);
    let mut cell_m = 100.0;
    let (cell_of, ncell) = loop {
        let mut index: std::collections::HashMap<(i64, i64), usize> = std::collections::HashMap::new();
        let cell_of: Vec<usize> = a
            .demand
            .iter()
            .map(|d| {
                let xy = proj.to_xy(d.point);
                let key = ((xy[0] / cell_m).floor() as i64, (xy[1] / cell_m).floor() as i64);
                let next = index.len();
                *index.entry(key).or_insert(next)
            })
            .collect();
        if index.len() <= budget {
            break (cell_of, index.len());
        }
        cell_m *= 2.0;
    };
    // Residents-weighted centre (plain mean when nobody lives there), residents, unserved.
    let mut sum = vec![[0.0f64; 5]; ncell];
    let mut uns = vec![vec![0.0f64; ncell]; ncat];
    for (i, d) in a.demand.iter().enumerate() {
        let c = cell_of[i];
        let e = &mut sum[c];
        e[0] += d.population * d.point[0];
        e[1] += d.population * d.point[1];
        e[2] += d.population;
        e[3] += d.point[0];
        e[4] += d.point[1];
        for (k, u) in uns.iter_mut().enumerate() {
            if unserved(k, i) {
                u[c] += d.population;
            }
        }
    }
    let mut count = vec![0usize; ncell];
    for &c in &cell_of {
        count[c] += 1;
    }
    let centres: Vec<[f64; 2]> = sum
        .iter()
        .zip(&count)
        .map(|(e, &n)| if e[2] > 0.0 { [e[0] / e[2], e[1] / e[2]] } else { [e[3] / n as f64, e[4] / n as f64] })
        .collect();
    s.push_str("{\"cell_m\":");
    let _ = write!(s, "{cell_m}");
    s.push_str(",\"x\":");
    push_offsets(&mut s, w, 0, centres.iter());
    s.push_str(",\"y\":");
    push_offsets(&mut s, w, 1, centres.iter());
    s.push_str(",\"pop\":[");
    for (c, e) in sum.iter().enumerate() {
        if c > 0 {
            s.push(',');
        }
        push_num(&mut s, round(e[2], 1));
    }
    s.push_str("],\"unserved\":{");
    for (k, cat) in a.profile.categories.iter().enumerate() {
        if k > 0 {
            s.push(',');
        }
        s.push_str(&serde_json::to_string(&cat.id).expect("serialisable"));
        s.push(':');
        if !used(k) {
            s.push_str("null");
            continue;
        }
        s.push('[');
        for (c, v) in uns[k].iter().enumerate() {
            if c > 0 {
                s.push(',');
            }
            push_num(&mut s, round(*v, 1));
        }
        s.push(']');
    }
    s.push_str("}}");
    s
}

/// Residents of each category's demand group by walking minute (1-minute bins up to the search
/// cap) and beyond the cap. A demand point's weight is its residents × its community's
/// demand-group share (`CoverageStats::demand` ÷ the community's residents at demand points), so
/// the bars add up to the coverage figures.
fn histograms(a: &Analysis) -> Vec<(Vec<f64>, f64)> {
    let nc = a.communities.len();
    let mut at_points = vec![0.0; nc];
    for d in &a.demand {
        at_points[d.community as usize] += d.population;
    }
    a.profile
        .categories
        .iter()
        .enumerate()
        .map(|(k, cat)| {
            let cap = a.profile.cap_ds(cat);
            let nb = cap.div_ceil(600).max(1) as usize;
            let mut bins = vec![0.0; nb];
            let mut beyond = 0.0;
            for (i, d) in a.demand.iter().enumerate() {
                let c = d.community as usize;
                let share = match (a.per_community.get(c), at_points[c]) {
                    (Some(pc), p) if p > 0.0 => pc[k].stats.demand / p,
                    _ => 0.0,
                };
                let w = d.population * share;
                let t = a.demand_node[i].and_then(|n| a.times_ds.get(k).map(|t| t[n as usize])).unwrap_or(UNREACHED);
                if t == UNREACHED || t > cap {
                    beyond += w;
                } else {
                    bins[((t / 600) as usize).min(nb - 1)] += w;
                }
            }
            (bins, beyond)
        })
        .collect()
}

/// Builds `report.html` (UTF-8 bytes).
pub fn report_html(a: &Analysis, extra: &HtmlExtras) -> Vec<u8> {
    let p = &a.profile;
    let lang = p.lang;
    let title = match lang {
        Lang::Zh if !p.title_zh.is_empty() => p.title_zh.as_str(),
        Lang::En if !p.title_en.is_empty() => p.title_en.as_str(),
        _ => Label::Title.text(lang),
    };
    let color = |k: usize| PALETTE[k % PALETTE.len()];
    let population: f64 = a.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();

    // Data blocks.
    let origin = page_origin(a);
    let w = CompactWriter::new(origin, PAGE_SIMPLIFY_M);
    // The blocks do not depend on each other: built side by side (each is deterministic, so the
    // page is the same whatever the thread count).
    let ((communities, (facilities, n_facilities)), (isochrones, ((streets, streets_fine), land))) = rayon::join(
        || rayon::join(|| communities_json(a, &w), || facilities_json(a, &w)),
        || {
            rayon::join(
                || extra.isochrones.as_deref().and_then(|b| category_sheds(b, &w)),
                || rayon::join(|| streets_json(a, &w), || super::land_layer::land_json(&a.land_cover, &w, LAND_BYTES)),
            )
        },
    );
    let district = extra.district.as_ref().map(|d| {
        let mut s = String::new();
        w.multipolygon(&mut s, d);
        s
    });
    let suggestions = extra
        .suggestions
        .as_deref()
        .and_then(|b| serde_json::from_slice::<Value>(b).ok())
        .map(|v| serde_json::to_string(&v).expect("serialisable"));
    let cats: Vec<Value> = p
        .categories
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let s = &a.categories[k];
            json!({
                "id": c.id,
                "label": c.label(lang),
                "label_zh": c.label_zh,
                "label_en": c.label_en,
                "threshold_min": round(c.threshold_s / 60.0, 2),
                "coverage_target": c.coverage_target,
                "color": color(k),
                "facilities": s.facilities,
                "covered_share": json_num(s.stats.covered_share, 4),
            })
        })
        .collect();
    let mut strings: serde_json::Map<String, Value> =
        PAGE_WORDS.iter().map(|(k, l)| (k.to_string(), json!(l.text(lang)))).collect();
    for (k, zh, en) in super::basemap::PAGE_WORDS {
        strings.insert(k.to_string(), json!(if lang == Lang::Zh { zh } else { en }));
    }
    let meta = json!({
        "lang": match lang { Lang::Zh => "zh", Lang::En => "en" },
        "categories": cats,
        "strings": strings,
        "has_isochrones": isochrones.is_some(),
        "has_suggestions": suggestions.is_some(),
        "ramp": super::colour_ramp::json(),
        "origin": w.origin,
        "facilities": n_facilities,
        "input": a.input_label,
        "basemap": super::basemap::layers(&extra.basemap),
    });

    // Page.
    let demand = demand_json(a, &w);
    let mut h = String::with_capacity(
        communities.len()
            + facilities.len()
            + demand.len()
            + isochrones.as_ref().map_or(0, |s| s.len())
            + streets.len()
            + streets_fine.as_ref().map_or(0, |s| s.len())
            + land.as_ref().map_or(0, |s| s.len())
            + LEAFLET_JS.len()
            + LEAFLET_CSS.len()
            + 400_000,
    );
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"circle15 {}\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<title>{} — {}</title>\n",
        match lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        },
        env!("CARGO_PKG_VERSION"),
        html_attr(&content_security_policy(&extra.basemap)),
        html_text(title),
        html_text(&a.input_label)
    );
    let _ = writeln!(h, "<style>\n{LEAFLET_CSS}\n</style>\n<style>\n{PAGE_CSS}</style>\n</head>\n<body>");

    // Header.
    let _ = write!(
        h,
        "<header><h1>{}</h1><p class=\"c15-meta\">{}: <b>{}</b> · {}: <b>{}</b>",
        html_text(title),
        Label::Input.text(lang),
        html_text(&a.input_label),
        Label::PageProfile.text(lang),
        html_text(&p.name)
    );
    if let Some(y) = p.year {
        let _ = write!(h, " · {}: <b>{y}</b>", Label::Year.text(lang));
    }
    let _ = write!(
        h,
        " · {}: <b>{}</b> · {}: <b>{:.0}</b> · {}: <b id=\"c15-overall\">{}</b></p></header>\n<main>\n",
        Label::Communities.text(lang),
        a.communities.len(),
        Label::PopulationHeading.text(lang),
        population,
        Label::OverallScore.text(lang),
        fixed(a.overall_score, 1)
    );
    // Which categories are assessed, first: a category without data is not a red map.
    h.push_str("<section id=\"c15-assessment\"><ul>");
    for l in super::assessment::lines(a) {
        let _ = write!(h, "<li>{}</li>", html_text(&l).replace('`', ""));
    }
    h.push_str("</ul></section>\n");

    // Map and its controls.
    let _ = write!(
        h,
        "<section id=\"c15-map-section\"><div class=\"c15-controls\"><label>{} <select id=\"c15-colour\"><option value=\"score\">{}</option>",
        Label::ColourBy.text(lang),
        Label::OverallScore.text(lang)
    );
    for (k, c) in p.categories.iter().enumerate() {
        if !a.categories[k].assessment.assessed() {
            continue;
        }
        let _ = write!(
            h,
            "<option value=\"{}\">{} — {}</option>",
            html_attr(&c.id),
            html_text(c.label(lang)),
            Label::CoveredShare.text(lang)
        );
    }
    let _ = write!(h, "</select></label> <label>{} <select id=\"c15-category\">", Label::CategorySelect.text(lang));
    // Default category: the first with a facility.
    let first_used = (0..p.categories.len())
        .find(|&k| a.categories[k].facilities > a.categories[k].facilities_unattached)
        .unwrap_or(0);
    for (k, c) in p.categories.iter().enumerate() {
        let _ = write!(
            h,
            "<option value=\"{}\"{}>{} ({})</option>",
            html_attr(&c.id),
            if k == first_used { " selected" } else { "" },
            html_text(c.label(lang)),
            a.categories[k].facilities
        );
    }
    let _ = write!(
        h,
        "</select></label></div>\n<div id=\"map\" role=\"application\" aria-label=\"{}\"></div>\n<p class=\"c15-note\">{}{}</p></section>\n",
        Label::Map.text(lang),
        Label::WalkshedNote.text(lang),
        if isochrones.is_some() { "" } else { Label::NoIsochrones.text(lang) }
    );

    // Headline table.
    let _ = writeln!(
        h,
        "<section><h2>{}</h2><table class=\"c15-table\" id=\"c15-headline\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        Label::Headline.text(lang),
        Label::PageCategory.text(lang),
        Label::PageThreshold.text(lang),
        Label::PageFacilities.text(lang),
        Label::PageCovered.text(lang),
        Label::PageTarget.text(lang),
        Label::PagePer1000.text(lang),
        Label::PageQuota.text(lang),
        Label::PageScore.text(lang),
        Label::Failing.text(lang),
    );
    for (k, c) in p.categories.iter().enumerate() {
        let s = &a.categories[k];
        let fac = if s.facilities_unattached > 0 {
            format!("{} ({} ✕)", s.facilities, s.facilities_unattached)
        } else {
            s.facilities.to_string()
        };
        let _ = writeln!(
            h,
            "<tr data-cat=\"{}\"><td><span class=\"c15-dot\" style=\"background:{}\"></span>{} <small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}%{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} / {}</td></tr>",
            html_attr(&c.id),
            color(k),
            html_text(c.label(lang)),
            html_text(&c.id),
            c.threshold_m
                .map_or(format!("{:.0} {}", c.threshold_s / 60.0, Label::Min.text(lang)), |m| format!("{m:.0} m")),
            fac,
            pct(s.stats.covered_share),
            100.0 * c.coverage_target,
            if c.coverage_source.is_none() { Label::DefaultMark.text(lang) } else { "" },
            fixed(s.per_1000, 2),
            fixed(c.quota_per_1000, 2),
            fixed(s.score, 1),
            if s.assessment.assessed() {
                s.failing_communities.to_string()
            } else {
                Label::NotAssessed.text(lang).to_string()
            },
            if s.assessment.assessed() { a.communities.len().to_string() } else { "–".to_string() }
        );
    }
    h.push_str("</tbody></table>\n");
    let _ = write!(h, "<details><summary>{}</summary><ul>", html_text(Label::TargetsTheirSources.text(lang)));
    for line in p.target_lines(lang) {
        let _ = write!(h, "<li>{}</li>", html_text(&line));
    }
    h.push_str("</ul></details></section>\n");

    // Charts.
    let bars: Vec<Bar> = p
        .categories
        .iter()
        .enumerate()
        .map(|(k, c)| Bar {
            label: c.label(lang).to_string(),
            value: a.categories[k].stats.covered_share,
            target: Some(c.coverage_target),
            color: color(k).to_string(),
        })
        .collect();
    let _ = writeln!(
        h,
        "<section id=\"c15-charts\"><h2>{}</h2><div class=\"c15-chart-box\">{}</div>",
        Label::Charts.text(lang),
        svg_chart::hbars(
            Label::CoverageChart.text(lang),
            &bars,
            Label::NoData.text(lang),
            Label::PageTarget.text(lang)
        )
    );
    for (k, (bins, beyond)) in histograms(a).iter().enumerate() {
        let c = &p.categories[k];
        let t = format!("{} — {}", Label::Histogram.text(lang), c.label(lang));
        let l = HistLabels {
            title: &t,
            unit: Label::Min.text(lang),
            threshold: Label::PageThreshold.text(lang),
            beyond: Label::BeyondCap.text(lang),
            residents: Label::PageResidents.text(lang),
        };
        let _ = writeln!(
            h,
            "<div class=\"c15-chart-box c15-hist\" data-cat=\"{}\"{}>{}</div>",
            html_attr(&c.id),
            if k == first_used { "" } else { " hidden" },
            svg_chart::histogram(bins, 1.0, c.threshold_s / 60.0, *beyond, &l)
        );
    }
    h.push_str("</section>\n");

    if let Some(g) = &extra.gap_tables_html {
        let _ = writeln!(h, "<section id=\"c15-gaps\"><h2>{}</h2>{g}</section>", Label::Gaps.text(lang));
    }
    if !a.warnings.is_empty() {
        let _ = write!(h, "<section id=\"c15-warnings\"><h2>{}</h2><ul>", Label::Warnings.text(lang));
        for x in a.warnings.iter().map(|w| super::i18n::warning(lang, w)) {
            let x = &x;
            let _ = write!(h, "<li>{}</li>", html_text(x));
        }
        h.push_str("</ul></section>\n");
    }
    let _ = write!(
        h,
        "<footer><p>{}. circle15 {} · Leaflet 1.9.4 (BSD-2-Clause, © Volodymyr Agafonkin, CloudMade).</p></footer>\n</main>\n<pre id=\"selftest\" hidden></pre>\n",
        html_text(ATTRIBUTION),
        env!("CARGO_PKG_VERSION")
    );

    // Data and scripts.
    data_block(&mut h, "c15-meta", &serde_json::to_string(&meta).expect("serialisable"));
    data_block(&mut h, "c15-communities", &communities);
    data_block(&mut h, "c15-facilities", &facilities);
    data_block(&mut h, "c15-demand", &demand);
    drop(demand);
    data_block(&mut h, "c15-base", &streets);
    drop(streets);
    if let Some(s) = streets_fine {
        data_block(&mut h, "c15-base-fine", &s);
    }
    if let Some(s) = &land {
        data_block(&mut h, "c15-land", s);
    }
    if let Some(d) = &district {
        data_block(&mut h, "c15-district", d);
    }
    if let Some(iso) = &isochrones {
        data_block(&mut h, "c15-isochrones", iso);
    }
    if let Some(s) = &suggestions {
        data_block(&mut h, "c15-suggestions", s);
    }
    data_block(&mut h, "c15-whatif", &super::whatif_data::whatif_json(a));
    let js = LEAFLET_JS.trim_end().trim_end_matches("//# sourceMappingURL=leaflet.js.map").trim_end();
    let _ = write!(
        h,
        "<script>\n/*\n{}*/\n{}\n</script>\n<script>\n{}\n</script>\n<script>\n\n{}\n</script>\n<script>\n{}\n</script>\n</body>\n</html>\n",
        LEAFLET_LICENSE.replace("*/", "* /"),
        js,
        BASEMAP_JS,
        PAGE_JS,
        WHATIF_JS
    );
    h.into_bytes()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::OnceLock;

    use super::*;
    use crate::analyze::{self, Config};
    use crate::profile::Profile;

    fn helsinki(profile: &str) -> Analysis {
        let cfg = Config::new(
            Some(crate::analyze::helsinki_fixture()),
            Profile::load(profile, None).unwrap(),
            PathBuf::from("unused"),
        );
        analyze::run(&cfg).unwrap()
    }

    fn default_analysis() -> &'static Analysis {
        static A: OnceLock<Analysis> = OnceLock::new();
        A.get_or_init(|| helsinki("default"))
    }

    /// The JSON data blocks of a page, by id.
    fn blocks(page: &str) -> Vec<(String, Value)> {
        let open = "<script type=\"application/json\" id=\"";
        let mut out = Vec::new();
        let mut rest = page;
        while let Some(i) = rest.find(open) {
            rest = &rest[i + open.len()..];
            let id_end = rest.find('"').unwrap();
            let id = rest[..id_end].to_string();
            let body_start = rest.find('>').unwrap() + 1;
            let body_end = rest.find("</script>").unwrap();
            let v: Value =
                serde_json::from_str(&rest[body_start..body_end]).unwrap_or_else(|e| panic!("block {id}: {e}"));
            out.push((id, v));
            rest = &rest[body_end..];
        }
        out
    }

    #[test]
    fn script_json_cannot_close_the_element_and_parses_back() {
        let v = json!({"name": "a</script><script>alert(1)</script><!--x-->", "n": 1});
        let text = serde_json::to_string(&v).unwrap();
        let safe = script_json(&text);
        assert!(!safe.contains("</") && !safe.contains("<!--"));
        assert_eq!(serde_json::from_str::<Value>(&safe).unwrap(), v);
    }

    #[test]
    fn page_is_self_contained_deterministic_and_embeds_the_outputs() {
        let a = default_analysis();
        let bytes = report_html(a, &HtmlExtras::default());
        assert_eq!(bytes, report_html(a, &HtmlExtras::default()));
        let page = String::from_utf8(bytes).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
        // Nothing loaded from elsewhere: no external scripts, styles or images.
        for bad in ["<script src", "<link", "<img", "@import"] {
            assert!(!page.contains(bad), "{bad}");
        }
        assert!(page.contains("Leaflet 1.9.4") && page.contains("BSD 2-Clause"));
        assert!(!page.contains("sourceMappingURL"));
        // Every <script> element closes once.
        assert_eq!(page.matches("<script").count(), page.matches("</script>").count());
        let b = blocks(&page);
        let ids: Vec<&str> = b.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            ids,
            ["c15-meta", "c15-communities", "c15-facilities", "c15-demand", "c15-base", "c15-land", "c15-whatif"]
        );
        // No basemap: no tile layer, and a policy that allows no network source.
        assert_eq!(b[0].1["basemap"], json!([]));
        assert!(page.contains("default-src &#39;none&#39;") && page.contains("img-src data: blob:;"));
        let meta = &b[0].1;
        let origin: [i64; 2] = serde_json::from_value(meta["origin"].clone()).unwrap();
        // Communities: the popup figures are the values of communities.geojson; outlines decode
        // to within the tolerance of the shapes.
        let comm: Value = serde_json::from_slice(&geojson_out::communities(a)).unwrap();
        let feats = comm["features"].as_array().unwrap();
        let cb = &b[1].1;
        assert_eq!(cb["n"], json!(feats.len()));
        let props = cb["props"].as_object().unwrap();
        assert_eq!(props.len(), 5 + 5 * a.profile.categories.len());
        for (key, col) in props {
            let col = col.as_array().unwrap();
            assert_eq!(col.len(), feats.len());
            for (f, v) in feats.iter().zip(col) {
                assert_eq!(&f["properties"][key], v, "{key}");
            }
        }
        let geom = cb["geom"].as_array().unwrap();
        assert_eq!(geom.len(), a.communities.len());
        let (mut written, mut input) = (0, 0);
        for (c, g) in a.communities.iter().zip(geom) {
            let polys: Vec<Vec<Vec<i64>>> = serde_json::from_value(g.clone()).unwrap();
            assert_eq!(polys.len(), c.polygons.len());
            for (p, q) in polys.iter().zip(&c.polygons) {
                assert_eq!(p.len(), q.len());
                for (r, rin) in p.iter().zip(q) {
                    let back = super::super::compact_geometry::decode_ring(origin, r);
                    written += back.len();
                    input += rin.len();
                    for x in &back {
                        let d = rin.iter().map(|y| crate::geom::haversine_m(*x, *y)).fold(f64::INFINITY, f64::min);
                        assert!(d < 1.0, "{} at {d} m from its shape", c.id);
                    }
                }
            }
        }
        assert!(written < input, "simplified: {written} of {input} positions");
        // Facilities: one entry per feature of facilities.geojson, same category, name and place.
        let fac: Value = serde_json::from_slice(&geojson_out::facilities(a)).unwrap();
        let ff = fac["features"].as_array().unwrap();
        let fb = &b[2].1;
        assert_eq!(meta["facilities"], json!(ff.len()));
        assert_eq!(fb["cat"].as_array().unwrap().len(), ff.len());
        for (i, f) in ff.iter().enumerate() {
            let k = fb["cat"][i].as_u64().unwrap() as usize;
            assert_eq!(f["properties"]["category"], json!(a.profile.categories[k].id));
            assert_eq!(f["properties"]["name"], fb["name"][i]);
            assert_eq!(f["properties"]["capacity"], fb["cap"][i]);
            let used = fb["used"].as_str().unwrap().as_bytes()[i] == b'1';
            assert_eq!(f["properties"]["used"], json!(used));
            let g = &f["geometry"]["coordinates"];
            let x = (origin[0] + fb["x"][i].as_i64().unwrap()) as f64 / 1e5;
            let y = (origin[1] + fb["y"][i].as_i64().unwrap()) as f64 / 1e5;
            assert!((x - g[0].as_f64().unwrap()).abs() <= 0.5e-5 + 1e-9);
            assert!((y - g[1].as_f64().unwrap()).abs() <= 0.5e-5 + 1e-9);
        }
        // Demand: a district is within the budget, so one entry per demand point.
        let dem = &b[3].1;
        assert!(a.demand.len() <= DEMAND_BUDGET);
        assert_eq!(dem["cell_m"], json!(0));
        assert_eq!(dem["x"].as_array().unwrap().len(), a.demand.len());
        for (k, c) in a.profile.categories.iter().enumerate() {
            let flags = &dem["unserved"][&c.id];
            if a.categories[k].facilities == 0 {
                assert!(flags.is_null());
            } else {
                assert_eq!(flags.as_str().unwrap().len(), a.demand.len());
            }
        }
        // Headline table: one row per category; one histogram per category.
        assert_eq!(page.matches("<tr data-cat=").count(), a.profile.categories.len());
        assert_eq!(page.matches("class=\"c15-chart-box c15-hist\"").count(), a.profile.categories.len());
        assert!(page.contains("(no walk-sheds in this report)"));
        assert!(!page.contains("id=\"c15-gaps\""));
    }

    #[test]
    fn west_lake_is_water_on_the_page_and_on_the_svg_maps() {
        use crate::geom::polygon::polygon_contains;
        // The embedded extract: central Hangzhou (data/hangzhou-2015.osm.pbf).
        let cfg = Config::new(None, Profile::load("default", None).unwrap(), PathBuf::from("unused"));
        let a = &analyze::run(&cfg).unwrap();
        // Open water of 西湖 (West Lake), between 小瀛洲 and 孤山.
        let lake = [120.143, 30.245];
        let holds = |polys: &[Vec<Vec<[f64; 2]>>]| polys.iter().any(|p| polygon_contains(p, lake));
        assert!(
            a.land_cover.iter().any(|l| l.kind == crate::osm::LandCover::Water && holds(&l.polygons)),
            "no water area of the extract holds West Lake ({} areas)",
            a.land_cover.len()
        );
        assert!(a.land_cover.iter().any(|l| l.kind == crate::osm::LandCover::Green), "parks");
        let page = String::from_utf8(report_html(a, &HtmlExtras::default())).unwrap();
        let b = blocks(&page);
        let origin: [i64; 2] = serde_json::from_value(b[0].1["origin"].clone()).unwrap();
        let land = &b.iter().find(|(id, _)| id == "c15-land").expect("land block").1;
        let decoded: Vec<Vec<Vec<[f64; 2]>>> = land["water"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|mp| mp.as_array().unwrap().iter())
            .map(|poly| {
                poly.as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        let flat: Vec<i64> = serde_json::from_value(r.clone()).unwrap();
                        super::super::compact_geometry::decode_ring(origin, &flat)
                    })
                    .collect()
            })
            .collect();
        assert!(holds(&decoded), "the page's water holds West Lake");
        assert!(!land["green"].as_array().unwrap().is_empty());
        let (_, svg) = &super::super::svg_map::category_maps(a)[0];
        let svg = String::from_utf8_lossy(svg);
        let (l, s) = (svg.find("<g id=\"c15-land\">").expect("land group"), svg.find("<path id=\"c15-base\"").unwrap());
        assert!(l < s, "the fills lie under the streets");
        assert!(svg.contains("<path class=\"c15-water\"") && svg.contains("<path class=\"c15-green\""));
    }

    #[test]
    fn a_city_too_big_for_the_street_block_gets_finer_tiles_for_street_zoom() {
        let a = default_analysis();
        let w = CompactWriter::new(page_origin(a), PAGE_SIMPLIFY_M);
        let (whole, none) = streets_json(a, &w);
        assert!(none.is_none(), "a district fits at {BASE_SIMPLIFY_M} m: no finer level");
        let whole: Value = serde_json::from_str(&whole).unwrap();
        // Limits a tenth of the district's: coarser whole-city lines, finer tiles.
        let full_bytes = serde_json::to_string(&whole["lines"]).unwrap().len();
        let limits = [BASE_BUDGET, full_bytes / 10, full_bytes];
        let (coarse, fine) = streets_json_within(a, &w, limits);
        assert!(coarse.len() <= limits[1], "{} bytes", coarse.len());
        let coarse: Value = serde_json::from_str(&coarse).unwrap();
        let fine_text = fine.expect("a finer level");
        assert!(fine_text.len() <= limits[2]);
        let fine: Value = serde_json::from_str(&fine_text).unwrap();
        let (tc, tf) = (coarse["tol_m"].as_f64().unwrap(), fine["tol_m"].as_f64().unwrap());
        assert!(tf < tc && tf >= BASE_SIMPLIFY_M, "fine {tf} m, coarse {tc} m");
        // The tiles hold the lines of their level, each decoded from the origin and inside its box.
        let d = super::super::base_layer::StreetDetail::new(
            &a.graph,
            [w.origin[0] as f64 / 1e5, w.origin[1] as f64 / 1e5],
            BASE_SIMPLIFY_M,
        );
        let want: usize = d
            .lines_at(tf)
            .iter()
            .map(|l| {
                let mut p: Vec<[i64; 2]> = l.1.iter().map(|&q| w.offset(q)).collect();
                p.dedup();
                if p.len() < 2 { 0 } else { p.len() }
            })
            .sum();
        let tiles = fine["tiles"].as_array().unwrap();
        let mut got = 0;
        for t in tiles {
            let b: [i64; 4] = serde_json::from_value(t["b"].clone()).unwrap();
            let (mut x, mut y) = (0i64, 0i64);
            for line in t["lines"].as_array().unwrap() {
                let flat: Vec<i64> = serde_json::from_value(line.clone()).unwrap();
                for q in flat.chunks(2) {
                    (x, y) = (x + q[0], y + q[1]);
                    assert!(b[0] <= x && x <= b[2] && b[1] <= y && y <= b[3], "({x}, {y}) outside {b:?}");
                    got += 1;
                }
            }
        }
        assert_eq!(got, want, "positions of level {tf} m");
        // Deterministic, whatever the thread count.
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        assert_eq!(one.install(|| streets_json_within(a, &w, limits).1), Some(fine_text));
    }

    #[test]
    fn streets_block_decodes_to_the_walk_network_and_basemaps_add_their_hosts() {
        let a = default_analysis();
        let page = String::from_utf8(report_html(a, &HtmlExtras::default())).unwrap();
        let b = blocks(&page);
        let origin: [i64; 2] = serde_json::from_value(b[0].1["origin"].clone()).unwrap();
        let base = &b.iter().find(|(id, _)| id == "c15-base").unwrap().1;
        assert_eq!(base["tol_m"].as_f64(), Some(BASE_SIMPLIFY_M), "a district fits the budget");
        // Decode as the page does; every position is a street node of the graph (within the
        // rounding to 1e-5 degree), and the lines span the graph's street nodes.
        let street: Vec<[f64; 2]> = a.graph.lon_lat[..a.graph.first_point_node as usize].to_vec();
        let grid: std::collections::HashSet<[i64; 2]> = street
            .iter()
            .map(|p| [super::super::compact_geometry::e5(p[0]), super::super::compact_geometry::e5(p[1])])
            .collect();
        let (mut x, mut y) = (origin[0], origin[1]);
        let mut n = 0;
        let mut seen = std::collections::HashSet::new();
        for line in base["lines"].as_array().unwrap() {
            let flat: Vec<i64> = serde_json::from_value(line.clone()).unwrap();
            assert!(flat.len() >= 4 && flat.len().is_multiple_of(2));
            for d in flat.chunks(2) {
                x += d[0];
                y += d[1];
                assert!(grid.contains(&[x, y]), "({x}, {y}) is no street node");
                seen.insert([x, y]);
                n += 1;
            }
        }
        // Simplified (collinear nodes dropped), yet spanning the network.
        assert!(
            seen.len() < grid.len() && 4 * seen.len() > grid.len(),
            "{} of {} street nodes",
            seen.len(),
            grid.len()
        );
        assert!(n > 1000);
        // A template adds its host to the policy and one tile layer; Tianditu two, with the key.
        let t = crate::model::Basemap::Template("https://tiles.example.org/{z}/{x}/{y}.png".into());
        let page = String::from_utf8(report_html(a, &HtmlExtras { basemap: t, ..Default::default() })).unwrap();
        assert!(page.contains("img-src data: blob: https://tiles.example.org http://tiles.example.org;"));
        assert_eq!(blocks(&page)[0].1["basemap"][0]["url"], json!("https://tiles.example.org/{z}/{x}/{y}.png"));
        let t = crate::model::Basemap::Tianditu { key: "abc123".into() };
        let page = String::from_utf8(report_html(a, &HtmlExtras { basemap: t, ..Default::default() })).unwrap();
        assert!(page.contains("img-src data: blob: https://*.tianditu.gov.cn http://*.tianditu.gov.cn;"), "one entry");
        let layers = blocks(&page)[0].1["basemap"].clone();
        assert_eq!(layers.as_array().unwrap().len(), 2);
        assert!(layers[0]["url"].as_str().unwrap().ends_with("tk=abc123"));
    }

    #[test]
    fn demand_above_the_budget_is_summed_per_grid_cell() {
        let a = default_analysis();
        let w = CompactWriter::new(page_origin(a), PAGE_SIMPLIFY_M);
        let points: Value = serde_json::from_str(&demand_json_within(a, &w, a.demand.len())).unwrap();
        let budget = a.demand.len() / 10;
        let cells: Value = serde_json::from_str(&demand_json_within(a, &w, budget)).unwrap();
        let cell_m = cells["cell_m"].as_f64().unwrap();
        assert!(cell_m >= 100.0, "{cell_m}");
        let n = cells["pop"].as_array().unwrap().len();
        assert!(n > 0 && n <= budget, "{n} cells for a budget of {budget}");
        assert_eq!(cells["x"].as_array().unwrap().len(), n);
        let sum = |v: &Value| v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).sum::<f64>();
        let total = sum(&points["pop"]);
        assert!((sum(&cells["pop"]) - total).abs() < 0.05 * n as f64 + 1e-6);
        // The unserved residents per cell add up to the flagged points' residents.
        let mut some = false;
        for c in &a.profile.categories {
            let flags = &points["unserved"][&c.id];
            let per_cell = &cells["unserved"][&c.id];
            if flags.is_null() {
                assert!(per_cell.is_null());
                continue;
            }
            let want: f64 = flags
                .as_str()
                .unwrap()
                .bytes()
                .zip(points["pop"].as_array().unwrap())
                .filter(|(f, _)| *f == b'1')
                .map(|(_, p)| p.as_f64().unwrap())
                .sum();
            assert!((sum(per_cell) - want).abs() < 0.05 * (n + a.demand.len()) as f64 + 1e-6, "{}", c.id);
            some |= want > 0.0;
        }
        assert!(some, "some residents are unserved in some category");
    }

    #[test]
    fn histograms_add_up_to_the_coverage_figures() {
        let a = default_analysis();
        for (k, (bins, beyond)) in histograms(a).iter().enumerate() {
            let cat = &a.profile.categories[k];
            let s = &a.categories[k].stats;
            let total: f64 = bins.iter().sum::<f64>() + beyond;
            assert!((total - s.demand).abs() <= 1e-6 * s.demand.max(1.0), "{}", cat.id);
            // Threshold in whole minutes in the default profile: bins below it are covered.
            let within: f64 = bins[..(cat.threshold_s / 60.0) as usize].iter().sum();
            assert!(within <= s.covered + 1e-6 * s.demand.max(1.0), "{}", cat.id);
        }
    }

    #[test]
    fn extras_add_walk_sheds_suggestions_and_gap_tables() {
        let a = default_analysis();
        let iso = crate::report::isochrones::isochrones_geojson(a, crate::isochrone::IsochroneKind::Category);
        let sug = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"rank":1,"category":"health","gain":12.5},"geometry":{"type":"Point","coordinates":[24.94,60.17]}}]}"#;
        let extras = HtmlExtras {
            isochrones: Some(iso.clone()),
            suggestions: Some(sug.to_vec()),
            gap_tables_html: Some("<table id=\"gap\"><tr><td>x</td></tr></table>".into()),
            ..Default::default()
        };
        let page = String::from_utf8(report_html(a, &extras)).unwrap();
        let b = blocks(&page);
        let sheds = &b.iter().find(|(id, _)| id == "c15-isochrones").unwrap().1;
        let all: Value = serde_json::from_slice(&iso).unwrap();
        let cats: Vec<&Value> =
            all["features"].as_array().unwrap().iter().filter(|f| f["properties"]["kind"] == "category").collect();
        assert!(!cats.is_empty());
        let kept = sheds["features"].as_array().unwrap();
        assert_eq!(kept.len(), cats.len());
        for (k, f) in kept.iter().zip(&cats) {
            assert_eq!(k["properties"], f["properties"]);
            assert!(!k["g"].as_array().unwrap().is_empty());
        }
        assert!(b.iter().any(|(id, v)| id == "c15-suggestions" && v["features"][0]["properties"]["rank"] == 1));
        assert!(page.contains("<section id=\"c15-gaps\"><h2>Gaps</h2><table id=\"gap\">"));
        assert!(!page.contains("(no walk-sheds in this report)"));
        // Unreadable extras are left out, not fatal.
        let bad = HtmlExtras {
            isochrones: Some(b"not json".to_vec()),
            suggestions: Some(b"{".to_vec()),
            gap_tables_html: None,
            ..Default::default()
        };
        let page = String::from_utf8(report_html(a, &bad)).unwrap();
        assert!(!page.contains("id=\"c15-isochrones\"") && !page.contains("id=\"c15-suggestions\""));
    }

    #[test]
    fn chinese_profile_gives_chinese_labels() {
        let a = helsinki("zhejiang-2027");
        let page = String::from_utf8(report_html(&a, &HtmlExtras::default())).unwrap();
        assert!(page.contains("<html lang=\"zh-CN\">"));
        assert!(page.contains("综合得分") && page.contains("各类设施概况"));
        let zh = &a.profile.categories[0].label_zh;
        assert!(page.contains(&format!(">{}", html_text(zh))));
    }
}
