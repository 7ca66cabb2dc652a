//! `--svg`: one static map per category, with a shape per community and a marker per facility,
//! over the walking network (base layer), with a scale bar whose length matches the map's scale
//! and a north arrow; the district outline when one is given.

use crate::common::*;

/// The value of attribute `name` in the first element of `svg` starting with `open`.
fn attr(svg: &str, open: &str, name: &str) -> String {
    let i = svg.find(open).unwrap_or_else(|| panic!("no {open}"));
    let el = &svg[i..i + svg[i..].find('>').unwrap()];
    let j = el.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("{open} has no {name}")) + name.len() + 3;
    el[j..j + el[j..].find('"').unwrap()].to_string()
}

#[test]
fn one_map_per_category_with_every_community_and_facility() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let mut cfg = config(Some(shared("helsinki-centre.osm.pbf")), "default", None, &out);
    cfg.svg = true;
    cfg.isochrones = circle15::isochrone::IsochroneKind::None;
    circle15::run_analyze(&cfg).unwrap();
    let a = circle15::analyze::run(&cfg).unwrap();
    let s = read_json(&out.join("summary.json"));
    let communities = s["counts"]["communities"].as_u64().unwrap() as usize;
    let mut checked = 0;
    for (cat, v) in s["coverage"].as_object().unwrap() {
        let k = a.profile.category_index(cat).unwrap();
        // Categories without data get no map.
        let path = out.join(format!("map_{cat}.svg"));
        if v["assessed"] == false {
            assert!(!path.exists(), "{cat}");
            continue;
        }
        let svg = std::fs::read_to_string(out.join(format!("map_{cat}.svg"))).unwrap();
        assert!(svg.starts_with("<?xml") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<path d=").count(), communities, "{cat}");
        assert_eq!(svg.matches("<circle ").count() - 1, v["facilities"].as_u64().unwrap() as usize, "{cat}");
        assert!(svg.contains("© OpenStreetMap contributors"));
        // The base layer comes before (under) the communities and holds many street lines.
        let base = svg.find("<path id=\"c15-base\"").expect("base layer");
        assert!(base < svg.find("<path d=").unwrap(), "{cat}: streets under the communities");
        let lines = attr(&svg, "<path id=\"c15-base\"", "d").matches('M').count();
        assert!(lines > 500, "{cat}: {lines} street lines");
        assert!(svg.contains("<g id=\"c15-north\">"), "{cat}: north arrow");
        assert!(!svg.contains("c15-district"), "no district without --clip");
        // The scale bar: its length in metres over its length in SVG units is the map's scale,
        // measured here between the two facility markers farthest apart (haversine).
        let bar_m: f64 = attr(&svg, "<g id=\"c15-scale\"", "data-length-m").parse().unwrap();
        let bar_units: f64 = attr(&svg[svg.find("<g id=\"c15-scale\"").unwrap()..], "<rect", "width").parse().unwrap();
        let circles: Vec<[f64; 2]> = svg
            .match_indices("<circle cx=")
            .map(|(i, _)| {
                let el = &svg[i..];
                [attr(el, "<circle", "cx").parse().unwrap(), attr(el, "<circle", "cy").parse().unwrap()]
            })
            .collect();
        let facs: Vec<[f64; 2]> = a
            .facilities
            .iter()
            .filter(|f| f.serves(circle15::model::CategoryId::from_index(k)))
            .map(|f| f.point)
            .collect();
        assert_eq!(facs.len() + 1, circles.len(), "{cat}: the legend has one circle too");
        if facs.len() < 2 {
            continue;
        }
        let far = (1..facs.len())
            .max_by(|&i, &j| {
                circle15::geom::haversine_m(facs[0], facs[i]).total_cmp(&circle15::geom::haversine_m(facs[0], facs[j]))
            })
            .unwrap();
        let metres = circle15::geom::haversine_m(facs[0], facs[far]);
        let units = (circles[0][0] - circles[far][0]).hypot(circles[0][1] - circles[far][1]);
        assert!(metres > 300.0, "{cat}: markers {metres} m apart");
        let scale = metres / units;
        let bar_scale = bar_m / bar_units;
        assert!(
            (bar_scale / scale - 1.0).abs() < 0.01,
            "{cat}: bar {bar_m} m / {bar_units} units vs map {scale} m/unit"
        );
        assert!(bar_units > 40.0 && bar_units <= 170.0, "{cat}: bar {bar_units} units");
        checked += 1;
    }
    assert!(checked >= 3, "{checked} maps with a measured scale");
}

#[test]
fn the_district_outline_is_drawn_with_clip() {
    let d = tempfile::tempdir().unwrap();
    let cfg = config(None, "default", None, &d.path().join("o"));
    let a = circle15::analyze::run(&cfg).unwrap();
    // A square over the middle of the communities.
    let b: Vec<circle15::geom::Bbox> = a.communities.iter().map(|c| c.bbox()).collect();
    let b = circle15::geom::bbox::of_boxes(&b);
    let (cx, cy, rx, ry) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0, (b[2] - b[0]) / 4.0, (b[3] - b[1]) / 4.0);
    let square = vec![vec![vec![
        [cx - rx, cy - ry],
        [cx + rx, cy - ry],
        [cx + rx, cy + ry],
        [cx - rx, cy + ry],
        [cx - rx, cy - ry],
    ]]];
    let maps = circle15::report::svg_map::category_maps_with(&a, Some(&square));
    assert!(!maps.is_empty());
    let frame = circle15::report::svg_map::MapFrame::of(&a).unwrap();
    for (cat, svg) in maps {
        let svg = String::from_utf8(svg).unwrap();
        let dd = attr(&svg, "<path id=\"c15-district\"", "d");
        // Five corners in map-area units (page minus the title band).
        let first: Vec<f64> = dd[1..dd.find('L').unwrap()].split(',').map(|v| v.parse().unwrap()).collect();
        let want = frame.page_xy([cx - rx, cy - ry]);
        assert!(
            (first[0] - want[0]).abs() < 0.1 && (first[1] - (want[1] - circle15::report::svg_map::MAP_TOP)).abs() < 0.1,
            "{cat}: {dd}"
        );
        assert_eq!(dd.matches('L').count(), 4, "{cat}");
    }
}
