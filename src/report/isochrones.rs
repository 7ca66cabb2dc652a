//! `isochrones.geojson`: the walk-sheds of `isochrone` as RFC 7946 GeoJSON, streamed to the file.
//!
//! Owns the layout of the file (header, feature properties, feature order), the geometry writer
//! and its digit formatting; `isochrone` computes the polygons.
//!
//! Glossary:
//! - **category feature** (`kind: "category"`): the merged walk-shed of every facility of one
//!   category; always written (when the file is).
//! - **facility feature** (`kind: "facility"`): the walk-shed of one facility for one category it
//!   serves; written with `--isochrones facility` only.
//! - **sheds** (header property): which kinds the file holds, `category` or `facility`.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::{ATTRIBUTION, round};
use crate::analyze::Analysis;
use crate::isochrone::{
    self, BUFFER_M, CELL_M, CategoryShed, FacilityJob, FacilitySheds, IsochroneKind, Makers, PolygonLonLat,
};

/// Facility walk-sheds built and written per chunk of this many features: memory stays a few
/// megabytes whatever the number of facilities (a Las Palmas feature is ~30 kB).
const CHUNK: usize = 128;

/// `isochrones.geojson` as bytes (see [`write_isochrones`]).
pub fn isochrones_geojson(a: &Analysis, kind: IsochroneKind) -> Vec<u8> {
    let mut out = Vec::new();
    write_isochrones(a, kind, &mut out).expect("writing to a Vec cannot fail");
    out
}

/// Writes `isochrones.geojson` to `w`. With [`IsochroneKind::Facility`], one feature per used
/// facility and category it serves (`kind: "facility"`), in facility order; then, for every kind,
/// one merged feature per category with a used facility (`kind: "category"`), in profile order.
/// RFC 7946: WGS84, outer rings counter-clockwise, holes clockwise, positions rounded to 1e-7°.
/// Facility walk-sheds are built [`CHUNK`] at a time in parallel and written in order as each
/// chunk completes, so the bytes do not depend on the thread count and the file is never held in
/// memory. With [`IsochroneKind::None`] nothing is written.
///
/// Returns the category features alone as a FeatureCollection (for `report.html`).
pub fn write_isochrones(a: &Analysis, kind: IsochroneKind, w: &mut dyn std::io::Write) -> std::io::Result<String> {
    let mut categories = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    if !kind.any() {
        categories.push_str("]}");
        return Ok(categories);
    }
    let cats = &a.profile.categories;
    // Thresholds in metres: sheds on the distance graph (steps not slowed down), as searched.
    let dist = isochrone::needs_distance_graph(cats).then(|| a.graph.distance_graph());
    let makers = Makers::new(&a.graph, dist.as_ref());
    let head = json!({
        "type": "FeatureCollection",
        "name": "isochrones",
        "attribution": ATTRIBUTION,
        "source": a.input_label,
        "profile": a.profile.name,
        "sheds": kind.id(),
        "buffer_m": BUFFER_M,
        "cell_m": CELL_M,
    });
    let mut s = serde_json::to_string(&head).expect("serialisable");
    s.pop(); // the closing brace: the features follow
    s.push_str(",\"features\":[");
    w.write_all(s.as_bytes())?;
    let mut first = true;
    let mut put = |w: &mut dyn std::io::Write, f: &str| -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        w.write_all(f.as_bytes())
    };

    if kind == IsochroneKind::Facility {
        let jobs: Vec<(usize, FacilityJob)> = a
            .facilities
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.node.map(|n| (i, f, n)))
            .flat_map(|(i, f, node)| {
                f.categories.iter().map(move |&category| (i, FacilityJob { node, category: category.0 }))
            })
            .collect();
        let sheds = FacilitySheds::new(&makers, cats);
        for chunk in jobs.chunks(CHUNK) {
            let only_jobs: Vec<FacilityJob> = chunk.iter().map(|c| c.1).collect();
            let built = sheds.build(&only_jobs);
            let feats: Vec<String> = chunk
                .par_iter()
                .zip(&built)
                .map(|(&(i, job), shed)| {
                    let f = &a.facilities[i];
                    let cat = &cats[job.category as usize];
                    feature(
                        json!({
                            "kind": "facility",
                            "category": cat.id,
                            "name": f.name,
                            "osm_type": f.osm_type,
                            "osm_id": f.osm_id,
                            "threshold_s": cat.threshold_s,
                            "node": job.node,
                            "area_m2": round(shed.area_m2, 0),
                        }),
                        &shed.polygons,
                    )
                })
                .collect();
            for f in &feats {
                put(w, f)?;
            }
        }
    }

    let sources: Vec<Vec<u32>> = (0..cats.len())
        .map(|k| {
            a.facilities
                .iter()
                .filter(|f| f.serves(crate::model::CategoryId::from_index(k)))
                .filter_map(|f| f.node)
                .collect()
        })
        .collect();
    let cat_sheds = isochrone::category_sheds(&makers, cats, &sources, &a.times_ds);
    let cat_feats: Vec<String> = cat_sheds.par_iter().map(|c| category_feature(a, c)).collect();
    for (i, f) in cat_feats.iter().enumerate() {
        put(w, f)?;
        if i > 0 {
            categories.push(',');
        }
        categories.push_str(f);
    }
    categories.push_str("]}");
    w.write_all(b"]}\n")?;
    Ok(categories)
}

fn category_feature(a: &Analysis, c: &CategoryShed) -> String {
    let cat = &a.profile.categories[c.category];
    feature(
        json!({
            "kind": "category",
            "category": cat.id,
            "label_zh": cat.label_zh,
            "label_en": cat.label_en,
            "threshold_s": cat.threshold_s,
            "facilities": c.facilities,
            "area_m2": round(c.area_m2, 0),
        }),
        &c.polygons,
    )
}

fn feature(props: Value, polys: &[PolygonLonLat]) -> String {
    let mut s = String::from("{\"type\":\"Feature\",\"properties\":");
    s.push_str(&serde_json::to_string(&props).expect("serialisable"));
    s.push_str(",\"geometry\":");
    write_geometry(&mut s, polys);
    s.push('}');
    s
}

/// Writes a GeoJSON Polygon (one polygon) or MultiPolygon: positions rounded to 1e-7°, outer
/// rings counter-clockwise and holes clockwise (checked on the rounded positions, as
/// `geojson_out::polygon_coords` does). Written directly rather than through `serde_json::Value`:
/// a Las Palmas run has 1.3 M positions and a `Value` per number dominated the writing time.
pub fn write_geometry(s: &mut String, polys: &[PolygonLonLat]) {
    let multi = polys.len() != 1;
    s.push_str(if multi {
        "{\"type\":\"MultiPolygon\",\"coordinates\":["
    } else {
        "{\"type\":\"Polygon\",\"coordinates\":"
    });
    let mut ring_r: Vec<[f64; 2]> = Vec::new();
    for (pi, poly) in polys.iter().enumerate() {
        if pi > 0 {
            s.push(',');
        }
        s.push('[');
        for (ri, ring) in poly.iter().enumerate() {
            if ri > 0 {
                s.push(',');
            }
            ring_r.clear();
            ring_r.extend(ring.iter().map(|p| [round(p[0], 7), round(p[1], 7)]));
            let n = ring_r.len();
            let area2: f64 = (0..n)
                .map(|i| {
                    let (a, b) = (ring_r[i], ring_r[(i + 1) % n]);
                    a[0] * b[1] - b[0] * a[1]
                })
                .sum();
            if (area2 > 0.0) != (ri == 0) {
                ring_r.reverse();
            }
            s.push('[');
            for (i, p) in ring_r.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                s.push('[');
                push_deg(s, p[0]);
                s.push(',');
                push_deg(s, p[1]);
                s.push(']');
            }
            s.push(']');
        }
        s.push(']');
    }
    s.push_str(if multi { "]}" } else { "}" });
}

/// Writes a coordinate already rounded to 1e-7 as the shortest decimal (the same text as
/// `Display` for such values: at most 10 significant digits always round-trip), without the
/// general float formatter, which took a tenth of the writing time.
fn push_deg(s: &mut String, x: f64) {
    let n = (x * 1e7).round() as i64;
    if n < 0 {
        s.push('-');
    }
    let n = n.unsigned_abs();
    let (int, mut frac) = (n / 10_000_000, n % 10_000_000);
    push_digits(s, int, 1);
    if frac != 0 {
        let mut digits = 7;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        s.push('.');
        push_digits(s, frac, digits);
    }
}

/// Appends `v` in decimal, zero-padded to at least `width` digits (at most 20).
fn push_digits(s: &mut String, mut v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let start = i.min(buf.len() - width.min(buf.len()));
    s.push_str(std::str::from_utf8(&buf[start..]).expect("ASCII digits"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degrees_are_written_as_display_would() {
        for x in
            [0.0, -0.0, 28.0, -15.4312345, 28.1, -0.0000001, 0.0000001, 179.9999999, -180.0, 1.5e-6, 60.1700001, -15.43]
        {
            let r = round(x, 7);
            let mut s = String::new();
            push_deg(&mut s, r);
            assert_eq!(s, format!("{r}"), "{x}");
        }
    }
}
