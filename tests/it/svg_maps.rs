//! `--svg`: one static map per category, with a shape per community and a marker per facility.

use crate::common::*;

#[test]
fn one_map_per_category_with_every_community_and_facility() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let mut cfg = config(Some(shared("helsinki-centre.osm.pbf")), "default", None, &out);
    cfg.svg = true;
    cfg.isochrones = circle15::isochrone::IsochroneKind::None;
    circle15::run_analyze(&cfg).unwrap();
    let s = read_json(&out.join("summary.json"));
    let communities = s["counts"]["communities"].as_u64().unwrap() as usize;
    for (cat, v) in s["coverage"].as_object().unwrap() {
        // Categories without data get no map.
        let path = out.join(format!("map_{cat}.svg"));
        if v["assessed"] == false {
            assert!(!path.exists(), "{cat}");
            continue;
        }
        let svg = std::fs::read_to_string(out.join(format!("map_{cat}.svg"))).unwrap();
        assert!(svg.starts_with("<?xml") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<path ").count(), communities, "{cat}");
        assert_eq!(svg.matches("<circle ").count() - 1, v["facilities"].as_u64().unwrap() as usize, "{cat}");
        assert!(svg.contains("© OpenStreetMap contributors"));
    }
}
