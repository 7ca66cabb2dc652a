//! Static maps for printed reports (`--svg`): one SVG per category, communities coloured by the
//! share of residents within the threshold (at [`COMMUNITY_OPACITY`], over the walking network
//! drawn light grey as a base layer, see [`super::base_layer`]), the district outline with
//! `--clip`, the category's facilities on top, a legend, a scale bar, a north arrow, the title and
//! the OSM attribution. Plain SVG 1.1 (no scripts, no external resources), so it opens in
//! browsers, Inkscape and Word, and converts to PNG/PDF with any SVG tool.
//!
//! Glossary: **base layer** — `<g id="c15-land">`, the water and green areas of the extract as
//! light fills ([`super::land_layer`]), under `<path id="c15-base">`, the street lines simplified
//! to [`BASE_SIMPLIFY_UNITS`] of the map (within [`BASE_BUDGET`] positions); **scale bar** —
//! `<g id="c15-scale" data-length-m="…">`, a round length of the map's scale (1, 2 or 5 × 10ᵏ m)
//! below the map; **north arrow** — `<g id="c15-north">` in the title band (the map's y axis is
//! true north: a local equirectangular projection).

use std::fmt::Write;

use crate::geom::LocalProj;
use crate::model::Analysis;
use crate::profile::Lang;

use super::ATTRIBUTION;
use super::colour_ramp::share_colour;
use super::format::{html_text, pct};
use super::i18n::Label;

const WIDTH: f64 = 1000.0;

/// Fill opacity of the community shapes, so the streets under them show.
pub const COMMUNITY_OPACITY: f64 = 0.8;
/// Douglas–Peucker tolerance of the street lines, SVG units (half a unit: finer than the PNG's
/// pixel at scale 2 only by a little).
pub const BASE_SIMPLIFY_UNITS: f64 = 0.5;
/// Most positions of the street lines of one map.
pub const BASE_BUDGET: usize = 250_000;
/// Longest scale bar, SVG units; it starts at [`SCALE_BAR_X`] below the map.
pub const SCALE_BAR_MAX: f64 = 170.0;
/// Left end of the scale bar, SVG units.
pub const SCALE_BAR_X: f64 = 470.0;

/// Where the maps put things, in SVG user units (pixels of the 1× map, y down): the communities'
/// bounding box fills [`WIDTH`], below a title band of [`MAP_TOP`]; the legend follows the map.
#[derive(Clone, Debug)]
pub struct MapFrame {
    proj: LocalProj,
    lo: [f64; 2],
    scale: f64,
    /// Height of the map area (without title band and legend).
    pub map_height: f64,
}

/// Height of the title band above the map, SVG units.
pub const MAP_TOP: f64 = 50.0;

impl MapFrame {
    /// The frame of an analysis' communities; `None` without communities.
    pub fn of(a: &Analysis) -> Option<MapFrame> {
        let boxes: Vec<crate::geom::Bbox> = a.communities.iter().map(|c| c.bbox()).collect();
        let b = crate::geom::bbox::of_boxes(&boxes);
        if !b[0].is_finite() {
            return None;
        }
        let proj = LocalProj::new((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
        let (lo, hi) = (proj.to_xy([b[0], b[1]]), proj.to_xy([b[2], b[3]]));
        let scale = WIDTH / (hi[0] - lo[0]).max(1.0);
        let map_height = ((hi[1] - lo[1]) * scale).max(1.0);
        Some(MapFrame { proj, lo, scale, map_height })
    }

    /// A WGS84 position within the map area (add [`MAP_TOP`] to `y` for the page).
    fn xy(&self, p: [f64; 2]) -> (f64, f64) {
        let q = self.proj.to_xy(p);
        ((q[0] - self.lo[0]) * self.scale, self.map_height - (q[1] - self.lo[1]) * self.scale)
    }

    /// A WGS84 position on the page, SVG units.
    pub fn page_xy(&self, lon_lat: [f64; 2]) -> [f64; 2] {
        let (x, y) = self.xy(lon_lat);
        [x, y + MAP_TOP]
    }

    /// Page size, SVG units: `[width, height]`.
    pub fn page_size(&self) -> [f64; 2] {
        [WIDTH, self.map_height + 90.0]
    }

    /// Metres per SVG unit at the centre of the map.
    pub fn metres_per_unit(&self) -> f64 {
        1.0 / self.scale
    }

    /// The street lines of `a`'s walk graph in page SVG units, simplified for this frame.
    pub fn street_lines_page(&self, a: &Analysis) -> Vec<Vec<[f64; 2]>> {
        let centre = self.proj.to_lon_lat([0.0, 0.0]);
        let s = super::base_layer::street_lines(&a.graph, centre, BASE_SIMPLIFY_UNITS / self.scale, BASE_BUDGET);
        s.lines.iter().map(|l| l.iter().map(|&p| self.page_xy(p)).collect()).collect()
    }

    /// Centre of the legend swatch for coverage `step / 10` (`step` 0..=10), page SVG units.
    pub fn legend_swatch(&self, step: usize) -> [f64; 2] {
        [10.0 + 30.0 * step as f64 + 15.0, self.map_height + 62.0 + 6.0]
    }
}

/// One SVG map per category: `(category id, svg bytes)`.
pub fn category_maps(a: &Analysis) -> Vec<(String, Vec<u8>)> {
    category_maps_with(a, None)
}

/// The street lines as one SVG path `d` (map-area units, one decimal).
fn base_path(frame: &MapFrame, a: &Analysis) -> String {
    let mut d = String::new();
    for line in frame.street_lines_page(a) {
        let mut last = String::new();
        for (i, p) in line.iter().enumerate() {
            let pt = format!("{:.1},{:.1}", p[0], p[1] - MAP_TOP);
            if i > 0 && pt == last {
                continue;
            }
            d.push(if i == 0 { 'M' } else { 'L' });
            d.push_str(&pt);
            last = pt;
        }
    }
    d
}

/// [`category_maps`] with the district outline (`--clip`) drawn over the communities.
pub fn category_maps_with(a: &Analysis, district: Option<&crate::geom::MultiPolygon>) -> Vec<(String, Vec<u8>)> {
    let Some(frame) = MapFrame::of(a) else {
        return Vec::new();
    };
    let base = base_path(&frame, a);
    let land = super::land_layer::land_svg(&a.land_cover, |p| frame.xy(p), BASE_SIMPLIFY_UNITS);
    let district_d = district.map(|polys| {
        let mut d = String::new();
        for ring in polys.iter().flatten() {
            for (i, p) in ring.iter().enumerate() {
                let (x, y) = frame.xy(*p);
                let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        d
    });
    let metres_per_unit = frame.metres_per_unit();
    let bar_m = super::base_layer::scale_bar_m(SCALE_BAR_MAX * metres_per_unit);
    let bar_units = bar_m / metres_per_unit;
    let height = frame.map_height;
    let xy = |p: [f64; 2]| frame.xy(p);
    let lang = a.profile.lang;
    let mut out = Vec::new();
    for (k, cat) in a.profile.categories.iter().enumerate() {
        if !a.categories[k].assessment.assessed() {
            // No data: a map of it would show every community red for want of data.
            continue;
        }
        let mut s = String::new();
        let total_h = frame.page_size()[1];
        let _ = write!(
            s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH:.0}\" \
             height=\"{total_h:.0}\" viewBox=\"0 0 {WIDTH:.0} {total_h:.0}\" font-family=\"sans-serif\">\n\
             <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n<defs><clipPath id=\"c15-map-area\"><rect width=\"{WIDTH:.0}\" \
             height=\"{height:.1}\"/></clipPath></defs>\n<g transform=\"translate(0,{MAP_TOP:.0})\" clip-path=\"url(#c15-map-area)\">\n\
             {land}<path id=\"c15-base\" d=\"{base}\" fill=\"none\" stroke=\"#a8a8a8\" stroke-width=\"0.6\" stroke-linecap=\"round\" \
             stroke-linejoin=\"round\"/>\n"
        );
        for (ci, c) in a.communities.iter().enumerate() {
            let share = a.per_community[ci][k].stats.covered_share;
            let mut d = String::new();
            for poly in &c.polygons {
                for ring in poly {
                    for (i, p) in ring.iter().enumerate() {
                        let (x, y) = xy(*p);
                        let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
                    }
                    d.push('Z');
                }
            }
            let _ = writeln!(
                s,
                "<path d=\"{d}\" fill=\"{}\" fill-opacity=\"{COMMUNITY_OPACITY}\" fill-rule=\"evenodd\" stroke=\"#ffffff\" stroke-width=\"0.5\"><title>{}: {}</title></path>",
                share_colour(share),
                html_text(&c.name),
                pct(share)
            );
        }
        if let Some(d) = &district_d {
            let _ = writeln!(
                s,
                "<path id=\"c15-district\" d=\"{d}\" fill=\"none\" stroke=\"#222222\" stroke-width=\"2\" stroke-dasharray=\"8 5\"/>"
            );
        }
        for f in a.facilities.iter().filter(|f| f.serves(crate::model::CategoryId::from_index(k))) {
            let (x, y) = xy(f.point);
            let _ = writeln!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"#1f3b73\" stroke=\"#ffffff\" stroke-width=\"1\"><title>{}</title></circle>",
                html_text(&f.name)
            );
        }
        let st = &a.categories[k];
        let title = match lang {
            Lang::Zh => format!(
                "{}：{:.0} 分钟步行覆盖率 {}（{} 处设施）",
                cat.label(lang),
                cat.threshold_s / 60.0,
                pct(st.stats.covered_share),
                st.facilities
            ),
            Lang::En => format!(
                "{}: {} of residents within {:.0} min walk ({} facilities)",
                cat.label(lang),
                pct(st.stats.covered_share),
                cat.threshold_s / 60.0,
                st.facilities
            ),
        };
        let _ = write!(s, "</g>\n<text x=\"10\" y=\"32\" font-size=\"20\">{}</text>\n", html_text(&title));
        // North arrow in the title band, right.
        let nx = WIDTH - 24.0;
        let _ = writeln!(
            s,
            "<g id=\"c15-north\"><polygon points=\"{nx:.0},8 {:.0},34 {nx:.0},28 {:.0},34\" fill=\"#333333\"/>\
             <text x=\"{nx:.0}\" y=\"46\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333333\">N</text></g>",
            nx - 8.0,
            nx + 8.0,
        );
        let ly = height + 62.0;
        // Scale bar below the map, on the legend's row.
        let _ = writeln!(
            s,
            "<g id=\"c15-scale\" data-length-m=\"{bar_m}\"><rect x=\"{SCALE_BAR_X:.0}\" y=\"{:.0}\" width=\"{bar_units:.2}\" \
             height=\"4\" fill=\"#333333\"/><rect x=\"{SCALE_BAR_X:.0}\" y=\"{:.0}\" width=\"{:.2}\" height=\"4\" fill=\"#ffffff\" \
             stroke=\"#333333\" stroke-width=\"0.5\"/><text x=\"{:.1}\" y=\"{:.0}\" font-size=\"11\">{}</text></g>",
            ly + 4.0,
            ly + 4.0,
            bar_units / 2.0,
            SCALE_BAR_X + bar_units + 5.0,
            ly + 10.0,
            super::base_layer::scale_bar_label(bar_m)
        );
        for i in 0..=10 {
            let v = i as f64 / 10.0;
            let _ = write!(
                s,
                "<rect x=\"{:.0}\" y=\"{ly:.0}\" width=\"30\" height=\"12\" fill=\"{}\"/>",
                10.0 + 30.0 * i as f64,
                share_colour(Some(v))
            );
        }
        let _ = write!(
            s,
            "\n<text x=\"10\" y=\"{:.0}\" font-size=\"11\">0%</text><text x=\"310\" y=\"{:.0}\" font-size=\"11\">100%</text>\
             <circle cx=\"370\" cy=\"{:.0}\" r=\"4\" fill=\"#1f3b73\"/><text x=\"380\" y=\"{:.0}\" font-size=\"11\">{}</text>\
             <text x=\"{:.0}\" y=\"{:.0}\" font-size=\"10\" text-anchor=\"end\" fill=\"#555555\">{}</text>\n</svg>\n",
            ly + 24.0,
            ly + 24.0,
            ly + 6.0,
            ly + 10.0,
            Label::Facility.text(lang),
            WIDTH - 10.0,
            ly + 24.0,
            html_text(ATTRIBUTION)
        );
        out.push((cat.id.clone(), s.into_bytes()));
    }
    out
}
