//! District clipping: only communities inside the area are scored; streets and facilities are
//! kept within the area's box grown by the halo.

use crate::common::*;
use circle15::io::clip_area::read_clip_area;
use circle15::io::coord_transform::Crs;

#[test]
fn las_palmas_clipped_to_its_municipality() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let mut cfg = config(Some(shared("las-palmas.osm.pbf")), "default", None, &out);
    let area = read_clip_area(&shared("las-palmas-boundary.geojson"), Crs::Wgs84, 1000.0).unwrap();
    let bb = area.bbox_with_halo();
    cfg.clip = Some(area.clone());
    circle15::run_analyze(&cfg).unwrap();

    let full = d.path().join("full");
    let mut cfg_full = config(Some(shared("las-palmas.osm.pbf")), "default", None, &full);
    cfg_full.export_graph = false;
    circle15::run_analyze(&cfg_full).unwrap();

    let s = read_json(&out.join("summary.json"));
    let sf = read_json(&full.join("summary.json"));
    let (n, nf) = (s["counts"]["communities"].as_u64().unwrap(), sf["counts"]["communities"].as_u64().unwrap());
    assert!(n > 100 && n < nf, "{n} of {nf} communities inside");
    // Every scored community lies inside the area.
    let c = read_json(&out.join("communities.geojson"));
    for f in c["features"].as_array().unwrap() {
        let ring: Vec<[f64; 2]> = serde_json::from_value(if f["geometry"]["type"] == "Polygon" {
            f["geometry"]["coordinates"][0].clone()
        } else {
            f["geometry"]["coordinates"][0][0].clone()
        })
        .unwrap();
        let inside = ring.iter().filter(|p| area.contains(**p)).count();
        assert!(inside > 0, "community {} entirely outside", f["properties"]["id"]);
    }
    // Every street node lies within the halo box.
    let (_, nodes) = read_csv(&out.join("nodes.csv"));
    for r in nodes.iter().filter(|r| !r[3].is_empty()) {
        let (lon, lat): (f64, f64) = (r[1].parse().unwrap(), r[2].parse().unwrap());
        assert!(lon >= bb[0] - 1e-7 && lon <= bb[2] + 1e-7 && lat >= bb[1] - 1e-7 && lat <= bb[3] + 1e-7);
    }
}
