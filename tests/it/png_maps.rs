//! `--png`: the PNG maps decode, have the print size, and show at the projected position of a
//! community the colour of its coverage on the legend (at the communities' opacity over the
//! street base layer, checked off the streets), and the facility markers on top.

use crate::common::*;
use circle15::report::colour_ramp::share_colour;
use circle15::report::png_map::{self, SCALE};
use circle15::report::svg_map::{COMMUNITY_OPACITY, MAP_TOP, MapFrame};
use geo::{Area, Contains, Distance, Euclidean, InteriorPoint, LineString, Polygon};

struct Image {
    w: u32,
    h: u32,
    ppu: Option<(u32, u32)>,
    rgb: Vec<u8>,
}

impl Image {
    fn decode(bytes: &[u8]) -> Image {
        let dec = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut r = dec.read_info().unwrap();
        let ppu = r.info().pixel_dims.map(|d| (d.xppu, d.yppu));
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        assert_eq!((info.color_type, info.bit_depth), (png::ColorType::Rgb, png::BitDepth::Eight));
        buf.truncate(info.buffer_size());
        Image { w: info.width, h: info.height, ppu, rgb: buf }
    }

    /// The pixel containing the page position `p` (SVG units).
    fn at(&self, p: [f64; 2]) -> [u8; 3] {
        let (x, y) = ((p[0] * SCALE as f64) as usize, (p[1] * SCALE as f64) as usize);
        let i = 3 * (y * self.w as usize + x);
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
}

fn hex(c: &str) -> [u8; 3] {
    let v = |i: usize| u8::from_str_radix(&c[i..i + 2], 16).unwrap();
    [v(1), v(3), v(5)]
}

/// Community polygons in page units (SVG), from `communities.geojson`.
fn page_polygons(frame: &MapFrame, feature: &serde_json::Value) -> Vec<Polygon> {
    let g = &feature["geometry"];
    let polys: Vec<&serde_json::Value> = match g["type"].as_str().unwrap() {
        "Polygon" => vec![&g["coordinates"]],
        "MultiPolygon" => g["coordinates"].as_array().unwrap().iter().collect(),
        t => panic!("{t}"),
    };
    let ring = |r: &serde_json::Value| -> LineString {
        r.as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let q = frame.page_xy([p[0].as_f64().unwrap(), p[1].as_f64().unwrap()]);
                (q[0], q[1])
            })
            .collect::<Vec<_>>()
            .into()
    };
    polys
        .iter()
        .map(|p| {
            let rings = p.as_array().unwrap();
            Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect())
        })
        .collect()
}

#[test]
fn png_maps_show_coverage_colours_facilities_and_text() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let mut cfg = config(Some(shared("helsinki-centre.osm.pbf")), "default", None, &out);
    cfg.export_graph = false;
    cfg.isochrones = circle15::isochrone::IsochroneKind::None;
    cfg.html = false;
    cfg.png = true;
    circle15::run_analyze(&cfg).unwrap();
    let a = circle15::analyze::run(&cfg).unwrap();
    let frame = MapFrame::of(&a).unwrap();
    let [page_w, page_h] = frame.page_size();

    let comms = read_json(&out.join("communities.geojson"));
    let comms = comms["features"].as_array().unwrap();
    let facs = read_json(&out.join("facilities.geojson"));
    let facs = facs["features"].as_array().unwrap();
    let summary = read_json(&out.join("summary.json"));
    assert!(summary["stages_ms"]["png"].as_f64().unwrap() > 0.0);

    // Same bytes from the library call (deterministic rendering), one file per category.
    let (pngs, fonts) = png_map::category_pngs(&a).unwrap();
    assert_eq!(fonts, png_map::FontReport::default(), "English words need the embedded font only");
    assert_eq!(pngs.len(), a.categories.iter().filter(|c| c.assessment.assessed()).count());
    for (cat, bytes) in &pngs {
        assert_eq!(&std::fs::read(out.join(format!("map_{cat}.png"))).unwrap(), bytes, "{cat}");
    }

    let pages: Vec<Vec<Polygon>> = comms.iter().map(|f| page_polygons(&frame, f)).collect();
    let streets = frame.street_lines_page(&a);
    assert!(streets.len() > 500, "{} street lines", streets.len());
    let mut checked = (0, 0, 0);
    for (cat, bytes) in &pngs {
        let img = Image::decode(bytes);
        // 2000 px wide (the 1000-unit SVG at scale 2), 300 dpi = 11811 px/m.
        assert_eq!((img.w, img.h), (2000, (page_h.round() * 2.0) as u32), "{cat}");
        assert_eq!(page_w, 1000.0);
        assert_eq!(img.ppu, Some((11811, 11811)));
        // The legend: 0 % red, 100 % green, the ends of the shared ramp (report::colour_ramp).
        let (red, green) = (img.at(frame.legend_swatch(0)), img.at(frame.legend_swatch(10)));
        assert_eq!(red, hex("#d73027"), "{cat}");
        assert_eq!(green, hex("#1a9850"), "{cat}");
        assert_eq!(hex(&share_colour(Some(0.0))), red);
        assert_eq!(hex(&share_colour(Some(1.0))), green);

        let fac_points: Vec<[f64; 2]> = facs
            .iter()
            .filter(|f| f["properties"]["category"] == cat.as_str())
            .map(|f| {
                let c = &f["geometry"]["coordinates"];
                frame.page_xy([c[0].as_f64().unwrap(), c[1].as_f64().unwrap()])
            })
            .collect();
        // A facility marker (dark blue) at a facility with no other marker within 10 units.
        let inside = |p: &[f64; 2]| p[0] > 8.0 && p[0] < page_w - 8.0 && p[1] > 58.0 && p[1] < page_h - 98.0;
        let near = |p: &[f64; 2], q: &[f64; 2]| (p[0] - q[0]).hypot(p[1] - q[1]);
        if let Some(p) =
            fac_points.iter().find(|p| inside(p) && fac_points.iter().filter(|q| near(p, q) < 10.0).count() == 1)
        {
            assert_eq!(img.at(*p), hex("#1f3b73"), "{cat}: marker at {p:?}");
            checked.2 += 1;
        }

        // A community entirely covered / uncovered: its colour (at the communities' opacity, over
        // white) at an interior point that no other community overlaps, 3 units inside its
        // outline, away from any marker and any street of the base layer.
        let over_white =
            |c: [u8; 3]| c.map(|v| (v as f64 * COMMUNITY_OPACITY + 255.0 * (1.0 - COMMUNITY_OPACITY)).round() as u8);
        let close = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 2);
        let off_streets = |p: [f64; 2]| {
            streets.iter().all(|l| {
                l.windows(2).all(|w| {
                    let seg = geo::Line::new((w[0][0], w[0][1]), (w[1][0], w[1][1]));
                    Euclidean.distance(&geo::Point::new(p[0], p[1]), &seg) > 2.0
                })
            })
        };
        for (share, want) in [(1.0, over_white(green)), (0.0, over_white(red))] {
            let key = format!("{cat}_covered_share");
            for (i, f) in comms.iter().enumerate() {
                if f["properties"][&key].as_f64() != Some(share) {
                    continue;
                }
                let Some(poly) = pages[i].iter().max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area())) else {
                    continue;
                };
                let Some(ip) = poly.interior_point() else { continue };
                let clear = Euclidean.distance(&ip, poly.exterior()) > 3.0
                    && poly.interiors().iter().all(|r| Euclidean.distance(&ip, r) > 3.0)
                    && pages.iter().enumerate().all(|(j, ps)| j == i || ps.iter().all(|q| !q.contains(&ip)))
                    && fac_points.iter().all(|q| near(&[ip.x(), ip.y()], q) > 6.0)
                    && off_streets([ip.x(), ip.y()]);
                if !clear {
                    continue;
                }
                let got = img.at([ip.x(), ip.y()]);
                assert!(
                    close(got, want),
                    "{cat}: community {} (share {share}): {got:?} vs {want:?}",
                    f["properties"]["id"]
                );
                if share == 1.0 {
                    checked.0 += 1;
                } else {
                    checked.1 += 1;
                }
                break;
            }
        }

        // The words are drawn (embedded font): below the map, right of the legend (x > 700
        // units), only the attribution is written; its dark text pixels are there.
        let y0 = ((MAP_TOP + frame.map_height + 10.0) * 2.0) as usize;
        let dark = (y0..img.h as usize)
            .flat_map(|y| (1400..2000).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let i = 3 * (y * img.w as usize + x);
                img.rgb[i] < 160 && img.rgb[i + 1] < 160 && img.rgb[i + 2] < 160
            })
            .count();
        assert!(dark > 300, "{cat}: attribution text has {dark} dark pixels");
    }
    // On the Helsinki extract: covered and uncovered communities exist for school and health,
    // and every category with a facility has an isolated marker.
    assert!(checked.0 >= 2 && checked.1 >= 2 && checked.2 >= 5, "{checked:?}");
}

#[test]
fn chinese_labels_fall_back_to_system_fonts_and_report_missing_glyphs() {
    let d = tempfile::tempdir().unwrap();
    let mut cfg = config(Some(shared("helsinki-centre.osm.pbf")), "zhejiang-2027", None, &d.path().join("o"));
    cfg.export_graph = false;
    let a = circle15::analyze::run(&cfg).unwrap();
    let (pngs, fonts) = png_map::category_pngs(&a).unwrap();
    assert_eq!(pngs.len(), a.categories.iter().filter(|c| c.assessment.assessed()).count());
    // "设施" (facility) is in every legend; DejaVu Sans has no CJK glyphs.
    assert!(fonts.not_embedded.contains(&'设') && fonts.not_embedded.contains(&'施'), "{fonts:?}");
    assert!(!fonts.not_embedded.contains(&'%'));
    assert!(fonts.missing.iter().all(|c| fonts.not_embedded.contains(c)));
    for (_, bytes) in &pngs {
        assert_eq!(Image::decode(bytes).w, 2000);
    }
}
