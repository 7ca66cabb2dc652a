//! Area-based targets and units from OSM admin boundaries on Las Palmas.

use crate::common::*;

fn clip() -> circle15::io::clip_area::ClipArea {
    circle15::io::clip_area::read_clip_area(
        &shared("las-palmas-boundary.geojson"),
        circle15::io::coord_transform::Crs::Wgs84,
        1000.0,
    )
    .unwrap()
}

/// Clipped to the municipality with the municipality as the single unit, the unit's m² are the
/// study area's, and value = m² ÷ residents as the profile defines it.
#[test]
fn per_unit_areas_add_up_to_the_study_area() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let mut cfg = config(Some(shared("las-palmas.osm.pbf")), "zhejiang-2027", Some(2027), &out);
    cfg.export_graph = false;
    cfg.isochrones = circle15::isochrone::IsochroneKind::None;
    cfg.html = false;
    cfg.units = Some(circle15::analyze::UnitsSource::File(unit_file(d.path())));
    cfg.clip = Some(clip());
    circle15::run_analyze(&cfg).unwrap();
    let s = read_json(&out.join("summary.json"));
    let u = read_json(&out.join("units.geojson"));
    let props = &u["features"][0]["properties"];
    let unit_pop = props["population"].as_f64().unwrap();
    for (id, per) in [("sports_ground", 1.0), ("culture_floor", 10_000.0)] {
        let t = &s["area_targets"][id];
        let whole = t["area_m2"].as_f64().unwrap();
        assert!(whole > 1000.0 && t["features"].as_u64().unwrap() > 3, "{id}: {t}");
        let unit = props[format!("area_{id}_m2")].as_f64().unwrap();
        assert!((unit - whole).abs() <= 0.1 + 1e-9 * whole, "{id}: unit {unit} vs study area {whole}");
        let pop = t["population"].as_f64().unwrap();
        let value = t["value"].as_f64().unwrap();
        assert!((value - whole / pop * per).abs() <= 1e-4 * value.max(1.0), "{id}: {t}");
        assert_eq!(t["pass"].as_bool().unwrap(), value >= t["min_value"].as_f64().unwrap());
        let unit_value = props[format!("area_{id}_value")].as_f64().unwrap();
        assert!((unit_value - unit / unit_pop * per).abs() <= 1e-3 * unit_value.max(1.0), "{id}");
    }
    // 2027: Haishu's 3.2 m² per resident (the seed's only figure), 4,400 m² per 10,000 (recalled).
    assert_eq!(s["area_targets"]["sports_ground"]["min_value"].as_f64(), Some(3.2));
    assert_eq!(s["area_targets"]["culture_floor"]["recalled"], true);
    // District-wide (全区) targets: the unit is context, never passes or fails.
    assert!(props["area_sports_ground_pass"].is_null(), "{props}");
    assert_eq!(s["area_targets"]["culture_floor"]["min_value"].as_f64(), Some(4400.0));
    assert!(s["area_targets"]["sports_ground"]["overlap_m2"].as_f64().unwrap() >= 0.0);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("面积指标") && md.contains("`sports_ground`") && md.contains("`culture_floor`"), "{md}");
}

/// `--units osm`: the municipality relation (admin_level 8, complete in the extract: 29
/// coastline ways and 4 boundary ways) becomes a unit; neighbours cut by the extract are named in
/// a warning; residents roll up to the same total as the communities inside the municipality.
#[test]
fn units_from_osm_admin_boundaries() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let mut cfg = config(Some(shared("las-palmas.osm.pbf")), "zhejiang-2027", None, &out);
    cfg.export_graph = false;
    cfg.isochrones = circle15::isochrone::IsochroneKind::None;
    cfg.html = false;
    cfg.units = Some(circle15::analyze::UnitsSource::Osm);
    cfg.clip = Some(clip());
    circle15::run_analyze(&cfg).unwrap();
    let u = read_json(&out.join("units.geojson"));
    let feats = u["features"].as_array().unwrap();
    let names: Vec<(&str, &str, &str)> = feats
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (p["name"].as_str().unwrap(), p["level"].as_str().unwrap(), p["code"].as_str().unwrap())
        })
        .collect();
    assert_eq!(names, vec![("Las Palmas de Gran Canaria", "街道", "relation/340783")]);
    let s = read_json(&out.join("summary.json"));
    let total = s["counts"]["population"].as_f64().unwrap();
    let unit_pop = feats[0]["properties"]["population"].as_f64().unwrap();
    assert!((unit_pop - total).abs() / total < 0.02, "unit {unit_pop} vs communities {total}");
    let warnings: Vec<&str> = s["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    let w = warnings.iter().find(|w| w.contains("administrative boundaries are incomplete")).expect("warning");
    assert!(w.contains("relation/345131 \"Arucas\" (admin_level 8)"), "{w}");
    // Per-category demand of the unit = Σ over communities of their demand (all inside, to the
    // residents along the boundary): compare with the area-wide summary.
    let demand = s["coverage"]["health"]["demand"].as_f64().unwrap();
    let unit_demand = feats[0]["properties"]["health_demand"].as_f64().unwrap();
    assert!((unit_demand - demand).abs() / demand < 0.02, "{unit_demand} vs {demand}");
}
