//! The water and green fills of the maps' base layer (`osm::land_cover`): which areas a map
//! draws and how, under the streets of `report.html` (block `c15-land`) and of the SVG/PNG maps
//! (`<g id="c15-land">`).
//!
//! Owns the choice of areas within a byte budget and their encoding for the page and the SVG.
//!
//! Glossary:
//! - **area**: one [`LandArea`] (a closed way or a multipolygon relation), water or green.
//! - **budget**: the most bytes of the page block; areas are taken largest first (ties by their
//!   order in the extract) until the next would exceed it, then written in extract order, green
//!   before water, so small ponds and lawns go first on a big city and the bytes stay bounded.
//! - Colours: [`WATER`] and [`GREEN`], light, so the streets and community colours stay readable.

use std::fmt::Write;

use super::compact_geometry::CompactWriter;
use crate::geom::polygon::polygon_area_m2;
use crate::osm::{LandArea, LandCover};

/// Fill of water areas.
pub const WATER: &str = "#a9cfe6";
/// Fill of green areas.
pub const GREEN: &str = "#cfe8b6";

/// The areas of `areas` to draw within `budget` bytes of [`land_json`], by index: the largest
/// first.
fn chosen(areas: &[LandArea], w: &CompactWriter, budget: usize) -> Vec<(usize, String)> {
    let mut by_size: Vec<(f64, usize)> = areas
        .iter()
        .enumerate()
        .map(|(i, a)| (a.polygons.iter().map(|p| polygon_area_m2(p)).sum::<f64>(), i))
        .collect();
    by_size.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out = Vec::new();
    let mut bytes = 0;
    for (_, i) in by_size {
        let mut s = String::new();
        w.multipolygon(&mut s, &areas[i].polygons);
        if bytes + s.len() + 1 > budget {
            break;
        }
        bytes += s.len() + 1;
        out.push((i, s));
    }
    out.sort_unstable_by_key(|x| x.0);
    out
}

/// `{"green":[multipolygon,…],"water":[…]}` in the page's compact geometry (one multipolygon per
/// area), within `budget` bytes; `None` when the extract has no such area.
pub fn land_json(areas: &[LandArea], w: &CompactWriter, budget: usize) -> Option<String> {
    if areas.is_empty() {
        return None;
    }
    let kept = chosen(areas, w, budget);
    let mut out = String::from("{");
    for (k, (kind, key)) in [(LandCover::Green, "green"), (LandCover::Water, "water")].iter().enumerate() {
        let _ = write!(out, "{}\"{key}\":[", if k > 0 { "," } else { "" });
        let mut first = true;
        for (_, s) in kept.iter().filter(|(i, _)| areas[*i].kind == *kind) {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(s);
        }
        out.push(']');
    }
    out.push('}');
    Some(out)
}

/// `<g id="c15-land">` with one path per kind (green, then water; even-odd fill, so the inner
/// rings are holes), positions mapped by `xy` to SVG units and simplified at `tolerance` units;
/// rings smaller than a unit across are left out. Empty when nothing is drawn.
pub fn land_svg(areas: &[LandArea], xy: impl Fn([f64; 2]) -> (f64, f64), tolerance: f64) -> String {
    let mut g = String::new();
    for (kind, fill) in [(LandCover::Green, GREEN), (LandCover::Water, WATER)] {
        let mut d = String::new();
        for ring in areas.iter().filter(|a| a.kind == kind).flat_map(|a| a.polygons.iter().flatten()) {
            let pts: Vec<[f64; 2]> = ring.iter().map(|&p| xy(p)).map(|(x, y)| [x, y]).collect();
            let (lo, hi) = pts.iter().fold(([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]), |(lo, hi), p| {
                ([lo[0].min(p[0]), lo[1].min(p[1])], [hi[0].max(p[0]), hi[1].max(p[1])])
            });
            if hi[0] - lo[0] < 1.0 && hi[1] - lo[1] < 1.0 {
                continue;
            }
            for (n, i) in crate::geom::simplify::simplify_ring_m(&pts, tolerance).into_iter().enumerate() {
                let _ = write!(d, "{}{:.1},{:.1}", if n == 0 { "M" } else { "L" }, pts[i][0], pts[i][1]);
            }
            d.push('Z');
        }
        if !d.is_empty() {
            let _ = writeln!(
                g,
                "<path class=\"c15-{}\" d=\"{d}\" fill=\"{fill}\" fill-rule=\"evenodd\" stroke=\"none\"/>",
                match kind {
                    LandCover::Water => "water",
                    LandCover::Green => "green",
                }
            );
        }
    }
    if g.is_empty() { g } else { format!("<g id=\"c15-land\">\n{g}</g>\n") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, side: f64) -> Vec<Vec<[f64; 2]>> {
        vec![vec![[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]]
    }

    fn areas() -> Vec<LandArea> {
        vec![
            LandArea { kind: LandCover::Water, polygons: vec![square(10.0, 50.0, 0.01)] },
            LandArea { kind: LandCover::Green, polygons: vec![square(10.02, 50.0, 0.001)] },
            LandArea { kind: LandCover::Green, polygons: vec![square(10.04, 50.0, 0.005)] },
        ]
    }

    #[test]
    fn the_page_block_keeps_the_largest_areas_within_the_budget() {
        let a = areas();
        let w = CompactWriter::new([10.0, 50.0], 1.0);
        let all: serde_json::Value = serde_json::from_str(&land_json(&a, &w, 1 << 20).unwrap()).unwrap();
        assert_eq!(all["water"].as_array().unwrap().len(), 1);
        assert_eq!(all["green"].as_array().unwrap().len(), 2);
        // Room for two areas: the smallest park goes.
        let one = {
            let mut s = String::new();
            w.multipolygon(&mut s, &a[0].polygons);
            s.len() + 1
        };
        let two: serde_json::Value = serde_json::from_str(&land_json(&a, &w, 2 * one).unwrap()).unwrap();
        let green = two["green"].as_array().unwrap();
        assert_eq!((two["water"].as_array().unwrap().len(), green.len()), (1, 1));
        assert_eq!(green[0], all["green"][1], "the larger park stays");
        assert_eq!(land_json(&[], &w, 100), None);
    }

    #[test]
    fn the_svg_group_fills_water_and_green_and_skips_specks() {
        let a = areas();
        // 1 degree = 10,000 units: the small park is 10 units, the water 100.
        let svg = land_svg(&a, |p| ((p[0] - 10.0) * 1e4, (50.1 - p[1]) * 1e4), 0.5);
        assert!(svg.starts_with("<g id=\"c15-land\">"));
        assert_eq!(svg.matches("<path class=\"c15-water\"").count(), 1);
        assert_eq!(svg.matches("<path class=\"c15-green\"").count(), 1);
        assert!(svg.contains(&format!("fill=\"{WATER}\"")));
        assert_eq!(svg.matches('Z').count(), 3);
        let coarse = land_svg(&a, |p| ((p[0] - 10.0) * 50.0, (50.1 - p[1]) * 50.0), 0.5);
        assert_eq!(coarse.matches('Z').count(), 0, "specks below a unit: {coarse}");
        assert_eq!(land_svg(&[], |p| (p[0], p[1]), 0.5), "");
    }
}
