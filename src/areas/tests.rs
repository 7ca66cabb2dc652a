//! Hand-computed areas on a synthetic district: two units side by side, sports polygons that
//! overlap and straddle, culture buildings selected in each of the three ways.

use super::*;
use crate::geom::LocalProj;
use crate::osm::area_features::{AreaCollector, selecting};
use crate::osm::{AreaFeature, AreaVia, OsmType};
use crate::profile::{AreaKind, Profile};
use crate::units::Unit;

/// Metres east/north of (120°E, 30°N) → lon/lat.
fn proj() -> LocalProj {
    LocalProj::new(120.0, 30.0)
}

/// A rectangle `[x0, x1] × [y0, y1]` in metres as one lon/lat polygon.
fn rect_m(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<Vec<[f64; 2]>> {
    let p = proj();
    vec![[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]].into_iter().map(|q| p.to_lon_lat(q)).collect()]
}

fn units() -> Vec<Unit> {
    let u = |name: &str, x0: f64, x1: f64| Unit {
        name: name.into(),
        level: "街道".into(),
        code: None,
        parent: None,
        polygons: vec![rect_m(x0, 0.0, x1, 300.0)],
    };
    vec![u("west", 0.0, 300.0), u("east", 300.0, 600.0)]
}

fn profile() -> Profile {
    let text = format!(
        "{}\n{}",
        crate::profile::BUILTIN[0].1,
        r#"
[[area_target]]
id = "sports_ground"
kind = "sports_ground_m2_per_resident"
tags = ["leisure=pitch|sports_centre|track|stadium"]
min_value = 2.8

[[area_target]]
id = "culture_floor"
kind = "culture_floor_m2_per_10k"
categories = ["culture"]
tags = ["amenity=theatre"]
min_value = 4400
"#
    );
    Profile::parse(&text, "test", None).unwrap()
}

fn tags<'a>(t: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> + Copy + 'a {
    move |k| t.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v)
}

/// What the loader selects for an object with these tags.
fn hits(p: &Profile, t: &[(&str, &str)], node: bool) -> Vec<u16> {
    let get = tags(t);
    selecting(&p.area_targets, get, &p.classify(get), node)
}

/// The synthetic features, through the loader's collector:
/// - sports centre A [20,220]×[20,120] (20,000 m²) with pitch B [50,150]×[40,90] inside it;
///   track D [200,260]×[20,70] (3,000 m², 1,000 of them inside A); pitch C [250,350]×[200,250]
///   (5,000 m², half in each unit); a park (not selected);
/// - culture: library building E [400,420]×[50,80], 3 levels (600 m² × 3, east); building F
///   [290,310]×[250,290] containing a theatre node, no levels (800 m² × 1 assumed, half in each
///   unit); grounds G (community centre, not a building) [400,500]×[100,200] holding building H
///   [420,440]×[120,140], 2 levels (400 × 2, east); building I outside every facility.
fn features(p: &Profile) -> Vec<AreaFeature> {
    let theatre = proj().to_lon_lat([300.0, 270.0]);
    let node_hits = hits(p, &[("amenity", "theatre"), ("name", "剧院")], true);
    assert_eq!(node_hits, vec![1]);
    assert!(hits(p, &[("amenity", "bench")], true).is_empty());
    let mut c = AreaCollector::new(&p.area_targets, vec![(77, theatre, node_hits)]);
    let ground = |t: &[(&str, &str)]| hits(p, t, false);
    let g = rect_m(400.0, 100.0, 500.0, 200.0);
    c.add_grounds(OsmType::Way, 7, &ground(&[("amenity", "community_centre")]), std::slice::from_ref(&g));
    c.index_grounds();
    let mut add = |id: i64, t: &[(&str, &str)], building: Option<Option<f64>>, r: Vec<Vec<[f64; 2]>>| {
        c.add_object(OsmType::Way, id, &ground(t), building, &[r]);
    };
    add(1, &[("leisure", "sports_centre")], None, rect_m(20.0, 20.0, 220.0, 120.0));
    add(2, &[("leisure", "pitch")], None, rect_m(50.0, 40.0, 150.0, 90.0));
    add(3, &[("leisure", "pitch")], None, rect_m(250.0, 200.0, 350.0, 250.0));
    add(4, &[("leisure", "track")], None, rect_m(200.0, 20.0, 260.0, 70.0));
    add(5, &[("leisure", "park")], None, rect_m(0.0, 0.0, 600.0, 300.0));
    add(10, &[("building", "yes"), ("amenity", "library")], Some(Some(3.0)), rect_m(400.0, 50.0, 420.0, 80.0));
    add(11, &[("building", "yes")], Some(None), rect_m(290.0, 250.0, 310.0, 290.0));
    add(12, &[("building", "yes")], Some(Some(2.0)), rect_m(420.0, 120.0, 440.0, 140.0));
    add(13, &[("building", "yes")], Some(Some(5.0)), rect_m(550.0, 250.0, 580.0, 280.0));
    add(7, &[("amenity", "community_centre")], None, g);
    c.finish()
}

#[test]
fn the_collector_selects_grounds_and_buildings_once_each() {
    let p = profile();
    let f = features(&p);
    let got: Vec<(u16, i64, AreaVia)> = f.iter().map(|x| (x.target, x.osm_id, x.via)).collect();
    assert_eq!(
        got,
        vec![
            (0, 1, AreaVia::Ground),
            (0, 2, AreaVia::Ground),
            (0, 3, AreaVia::Ground),
            (0, 4, AreaVia::Ground),
            (1, 10, AreaVia::Building),
            (1, 11, AreaVia::ContainsNode(77)),
            (1, 12, AreaVia::InGrounds(OsmType::Way, 7)),
        ]
    );
    assert_eq!(p.area_targets[1].kind, AreaKind::CultureFloorM2Per10k);
}

#[test]
fn sports_ground_union_and_culture_floor_split_by_unit() {
    let p = profile();
    let f = features(&p);
    let u = units();
    let m = measure(&f, &p.area_targets, &u, None);
    // Union: A 20,000 + D outside A 2,000 + C 5,000 (B inside A counts nothing more).
    let s = &m[0];
    let close = |a: f64, b: f64| (a - b).abs() < 1e-4 * b.max(1.0);
    assert!(close(s.total_m2, 27_000.0), "{s:?}");
    assert!(close(s.unit_m2[0], 24_500.0) && close(s.unit_m2[1], 2_500.0), "{s:?}");
    assert!(close(s.overlap_m2, 6_000.0), "{s:?}");
    assert_eq!(s.features, 4);
    // Floor: E 600 × 3, F 800 × 1 (assumed), H 400 × 2.
    let c = &m[1];
    assert!(close(c.total_m2, 3_400.0), "{c:?}");
    assert!(close(c.unit_m2[0], 400.0) && close(c.unit_m2[1], 3_000.0), "{c:?}");
    assert_eq!((c.features, c.levels_assumed), (3, 1));
    assert!(close(c.assumed_m2, 800.0), "{c:?}");
    // Residents: west 8,000, east 1,000.
    let sw = evaluate(&p.area_targets[0], s.unit_m2[0], 8_000.0);
    let se = evaluate(&p.area_targets[0], s.unit_m2[1], 1_000.0);
    let all = evaluate(&p.area_targets[0], s.total_m2, 9_000.0);
    assert!(close(sw.value.unwrap(), 3.0625) && sw.pass == Some(true), "{sw:?}");
    assert!(close(se.value.unwrap(), 2.5) && se.pass == Some(false), "{se:?}");
    assert!(close(all.value.unwrap(), 3.0) && all.pass == Some(true), "{all:?}");
    let ce = evaluate(&p.area_targets[1], c.unit_m2[1], 1_000.0);
    let cw = evaluate(&p.area_targets[1], c.unit_m2[0], 8_000.0);
    assert!(close(ce.value.unwrap(), 30_000.0) && ce.pass == Some(true), "{ce:?}");
    assert!(close(cw.value.unwrap(), 500.0) && cw.pass == Some(false), "{cw:?}");
    assert_eq!(evaluate(&p.area_targets[1], 100.0, 0.0).value, None);
}

#[test]
fn a_clip_area_keeps_the_share_inside() {
    let p = profile();
    let f = features(&p);
    // The east unit as the study area: sports 2,500 m², culture 3,000 m².
    let clip = vec![rect_m(300.0, 0.0, 600.0, 300.0)];
    let m = measure(&f, &p.area_targets, &[], Some(&clip));
    assert!((m[0].total_m2 - 2_500.0).abs() < 0.3, "{:?}", m[0]);
    assert!((m[1].total_m2 - 3_000.0).abs() < 0.3, "{:?}", m[1]);
    assert_eq!(m[0].features, 1);
    assert!(m[0].unit_m2.is_empty());
}
