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

/// Numeric properties of every community, by id.
fn figures(out: &std::path::Path) -> std::collections::BTreeMap<String, serde_json::Map<String, serde_json::Value>> {
    let c = read_json(&out.join("communities.geojson"));
    c["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["properties"]["id"].as_str().unwrap().to_string(), f["properties"].as_object().unwrap().clone()))
        .collect()
}

/// Every figure of every community of the clipped run equals the whole run's (border communities
/// too: the halo residents compete for capacity, and the derived grid does not depend on the
/// extract). Before the fix, 36 of 257 communities had a different elderly-care per-1,000.
fn assert_same_figures(clipped: &std::path::Path, whole: &std::path::Path) {
    let (c, w) = (figures(clipped), figures(whole));
    assert!(c.len() > 200 && c.len() < w.len(), "{} of {}", c.len(), w.len());
    let mut compared = 0;
    for (id, p) in &c {
        let q = w.get(id).unwrap_or_else(|| panic!("community {id} of the clipped run is not in the whole run"));
        for (k, v) in p {
            if let (Some(x), Some(y)) = (v.as_f64(), q[k].as_f64()) {
                assert!((x - y).abs() <= 1e-9 * x.abs().max(1.0), "{id} {k}: clipped {x}, whole {y}");
                compared += 1;
            } else {
                assert_eq!(v, &q[k], "{id} {k}");
            }
        }
    }
    assert!(compared > 5000, "{compared}");
}

#[test]
fn clipped_run_gives_the_whole_runs_figures_inside_the_district() {
    let d = tempfile::tempdir().unwrap();
    let area = read_clip_area(&shared("las-palmas-boundary.geojson"), Crs::Wgs84, 2000.0).unwrap();
    let whole = d.path().join("whole");
    let mut cfg = config(Some(shared("las-palmas.osm.pbf")), "default", None, &whole);
    (cfg.export_graph, cfg.isochrones, cfg.html) = (false, circle15::isochrone::IsochroneKind::None, false);
    circle15::run_analyze(&cfg).unwrap();

    let clipped = d.path().join("clipped");
    let mut cc = cfg.clone();
    cc.out = clipped.clone();
    cc.clip = Some(area.clone());
    circle15::run_analyze(&cc).unwrap();
    assert_same_figures(&clipped, &whole);
    let s = read_json(&clipped.join("summary.json"));
    assert!(s["halo"]["population"].as_f64().unwrap() > 1000.0, "{}", s["halo"]);
    let md = std::fs::read_to_string(clipped.join("report.md")).unwrap();
    assert!(md.contains("share facility capacity (2SFCA step 1) but are in no figure"));

    // A community layer covering only the district (the whole run's communities inside it, with
    // their populations): the halo's residents are derived from the extract, as in the whole run.
    let mut layer = read_json(&whole.join("communities.geojson"));
    let inside: std::collections::BTreeSet<String> = figures(&clipped).into_keys().collect();
    let feats = layer["features"].as_array_mut().unwrap();
    feats.retain(|f| inside.contains(f["properties"]["id"].as_str().unwrap()));
    for f in feats.iter_mut() {
        let p = f["properties"].as_object_mut().unwrap();
        p.retain(|k, _| k == "id" || k == "name" || k == "population");
    }
    let file = d.path().join("district.geojson");
    std::fs::write(&file, serde_json::to_vec(&layer).unwrap()).unwrap();
    let given = d.path().join("given");
    let mut cg = cc.clone();
    cg.out = given.clone();
    cg.communities = Some(file);
    circle15::run_analyze(&cg).unwrap();
    let s = read_json(&given.join("summary.json"));
    assert!(s["halo"]["derived_communities"].as_u64().unwrap() > 10, "{}", s["halo"]);
    let (g, c) = (figures(&given), figures(&clipped));
    assert_eq!(g.len(), c.len());
    for (id, p) in &g {
        for k in ["kindergarten_per_1000", "elderly_care_per_1000", "health_covered_share", "school_mean_s"] {
            let (x, y) = (p[k].as_f64(), c[id][k].as_f64());
            match (x, y) {
                // Populations in the layer are rounded to 0.1 resident (up to ~2e-4 of a small
                // community), figures to 1e-3; a halo left out moved figures by up to 12.6 %.
                (Some(x), Some(y)) => assert!((x - y).abs() <= 1e-3 * x.abs() + 2e-3, "{id} {k}: {x} vs {y}"),
                _ => assert_eq!(x, y, "{id} {k}"),
            }
        }
    }
}
