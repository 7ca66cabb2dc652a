//! GeoTIFF rasters written here with the `tiff` encoder (GeoTIFF tags as raw tags), spread onto
//! buildings and communities; a census age column feeding 2SFCA.

use std::io::Cursor;
use std::path::Path;

use tiff::encoder::{TiffEncoder, colortype};
use tiff::tags::Tag;

use super::*;
use crate::community::{Community, PopulationSource, demand_points};
use crate::geom::tmerc::TransverseMercator;
use crate::osm::{Building, BuildingUse, OsmType};
use crate::profile::PopulationParams;
use crate::units::testutil::{rect, unit};

/// Georeferencing of a test raster.
enum Georef {
    /// ModelPixelScale (sx, sy) + ModelTiepoint at pixel (0, 0) = (x, y).
    Tie { sx: f64, sy: f64, x: f64, y: f64 },
    /// ModelTransformation for the same north-up grid.
    Matrix { sx: f64, sy: f64, x: f64, y: f64 },
}

/// GeoKeyDirectory: version 1.1.0, then (key, location 0, count 1, value) per key.
fn geokeys(keys: &[(u16, u16)]) -> Vec<u16> {
    let mut v = vec![1, 1, 0, keys.len() as u16];
    for &(k, val) in keys {
        v.extend_from_slice(&[k, 0, 1, val]);
    }
    v
}

fn geotiff_f32(w: u32, h: u32, data: &[f32], g: &Georef, keys: &[(u16, u16)], nodata: Option<&str>) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut enc = TiffEncoder::new(&mut buf).unwrap();
        let mut img = enc.new_image::<colortype::Gray32Float>(w, h).unwrap();
        let d = img.encoder();
        match *g {
            Georef::Tie { sx, sy, x, y } => {
                d.write_tag(Tag::ModelPixelScaleTag, &[sx, sy, 0.0][..]).unwrap();
                d.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, x, y, 0.0][..]).unwrap();
            }
            Georef::Matrix { sx, sy, x, y } => {
                let m = [sx, 0.0, 0.0, x, 0.0, -sy, 0.0, y, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0];
                d.write_tag(Tag::ModelTransformationTag, &m[..]).unwrap();
            }
        }
        d.write_tag(Tag::GeoKeyDirectoryTag, &geokeys(keys)[..]).unwrap();
        if let Some(nd) = nodata {
            d.write_tag(Tag::GdalNodata, nd).unwrap();
        }
        img.write_data(data).unwrap();
    }
    buf.into_inner()
}

fn read(bytes: Vec<u8>) -> crate::error::Result<PopRaster> {
    raster::read_raster_from(Cursor::new(bytes), Path::new("pop.tif"))
}

const WGS84_KEYS: [(u16, u16); 3] = [(1024, 2), (1025, 1), (2048, 4326)];

fn building(id: i64, centroid: [f64; 2], footprint: f64, levels: f64) -> Building {
    Building {
        osm_type: OsmType::Way,
        osm_id: id,
        centroid,
        footprint_m2: footprint,
        levels: Some(levels),
        usage: BuildingUse::Residential,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// 4 × 3 cells of 0.001°, top-left corner at (120.000, 30.003):
///
/// ```text
/// row 0:  40    7.5   nodata  0
/// row 1:  12.25 NaN   100     3
/// row 2:  1     2     -5      1000.125
/// ```
fn wgs84_raster() -> PopRaster {
    let nan = f32::NAN;
    let data = [40.0, 7.5, -99999.0, 0.0, 12.25, nan, 100.0, 3.0, 1.0, 2.0, -5.0, 1000.125];
    let g = Georef::Tie { sx: 0.001, sy: 0.001, x: 120.0, y: 30.003 };
    read(geotiff_f32(4, 3, &data, &g, &WGS84_KEYS, Some("-99999"))).unwrap()
}

/// Centre of cell (col, row) of [`wgs84_raster`].
fn centre(col: usize, row: usize) -> [f64; 2] {
    [120.0 + 0.001 * (col as f64 + 0.5), 30.003 - 0.001 * (row as f64 + 0.5)]
}

#[test]
fn reads_values_nodata_and_georeferencing() {
    let r = wgs84_raster();
    assert_eq!((r.width, r.height, r.nodata, r.nodata_cells), (4, 3, Some(-99999.0), 3));
    assert_eq!(r.crs, RasterCrs::Geographic { epsg: 4326 });
    assert_eq!(r.value(0, 0), 40.0);
    assert!(r.value(2, 0).is_nan() && r.value(1, 1).is_nan() && r.value(2, 2).is_nan());
    assert!(close(r.total(), 40.0 + 7.5 + 12.25 + 100.0 + 3.0 + 1.0 + 2.0 + 1000.125));
    let c = r.cell_centre(3, 2);
    assert!((c[0] - 120.0035).abs() < 1e-12 && (c[1] - 30.0005).abs() < 1e-12, "{c:?}");
    assert_eq!(r.cell_of([120.0035, 30.0005]), Some((3, 2)));
    assert_eq!(r.cell_of([120.0001, 30.0029]), Some((0, 0)));
    assert_eq!(r.cell_of([119.9999, 30.001]), None);
    assert_eq!(r.cell_of([120.001, 30.0031]), None);
    // The same grid through a ModelTransformation.
    let data = [1.0f32; 12];
    let m = read(geotiff_f32(
        4,
        3,
        &data,
        &Georef::Matrix { sx: 0.001, sy: 0.001, x: 120.0, y: 30.003 },
        &WGS84_KEYS,
        None,
    ))
    .unwrap();
    assert_eq!(m.transform, r.transform);
    // PixelIsPoint: the tiepoint is the first cell's centre, so the grid moves half a cell.
    let keys = [(1024, 2), (1025, 2), (2048, 4326)];
    let p = read(geotiff_f32(4, 3, &data, &Georef::Tie { sx: 0.001, sy: 0.001, x: 120.0, y: 30.003 }, &keys, None))
        .unwrap();
    let c = p.cell_centre(0, 0);
    assert!((c[0] - 120.0).abs() < 1e-12 && (c[1] - 30.003).abs() < 1e-12, "{c:?}");
}

#[test]
fn spreads_exactly_to_buildings_cells_and_communities() {
    let r = wgs84_raster();
    let params = PopulationParams::default();
    let buildings = vec![
        // Cell (0,0), value 40: floor areas 100 and 300 → 10 and 30.
        building(1, [120.0002, 30.0028], 100.0, 1.0),
        building(2, [120.0008, 30.0022], 150.0, 2.0),
        // Cell (2,1), value 100: one building.
        building(3, [120.0025, 30.0015], 80.0, 4.0),
        // Cell (2,0) has no data: this building gets nobody.
        building(4, [120.0025, 30.0025], 80.0, 4.0),
        // Cell (3,2), value 1000.125: three buildings of awkward sizes.
        building(5, [120.0031, 30.0001], 123.4, 3.0),
        building(6, [120.0036, 30.0004], 77.7, 7.0),
        building(7, [120.0039, 30.0009], 10.1, 1.0),
        // Outside the raster.
        building(8, [120.01, 30.01], 100.0, 1.0),
    ];
    let s = spread_raster(&r, &buildings, None, &params);
    assert!(close(s.total, r.total()), "{} vs {}", s.total, r.total());
    let placed: f64 = s.points.iter().map(|p| p.population).sum();
    assert!(close(placed, r.total()), "{placed} vs {}", r.total());
    assert_eq!((s.cells, s.cells_without_building), (8, 5));
    let of = |b: usize| s.points.iter().find(|p| p.building == Some(b)).map(|p| p.population);
    assert_eq!((of(0), of(1), of(2), of(3), of(7)), (Some(10.0), Some(30.0), Some(100.0), None, None));
    let cell_32: f64 = [4, 5, 6].iter().map(|&b| of(b).unwrap()).sum();
    assert!(close(cell_32, 1000.125));
    assert!(close(of(4).unwrap(), 1000.125 * 370.2 / (370.2 + 543.9 + 10.1)));
    // Cells without buildings keep their residents at the centre.
    let at_centre = s.points.iter().find(|p| p.building.is_none() && p.point == centre(1, 0)).unwrap();
    assert_eq!(at_centre.population, 7.5);
    assert!(!s.points.iter().any(|p| p.point == centre(3, 0))); // value 0: no point

    // Into communities: west half (cols 0–1) and east half (cols 2–3); then demand points.
    let west = rect(120.0, 30.0, 120.002, 30.003);
    let east = rect(120.002, 30.0, 120.004, 30.003);
    let mut communities: Vec<Community> = [("west", west.clone()), ("east", east)]
        .into_iter()
        .map(|(n, poly)| Community {
            id: n.into(),
            name: n.into(),
            polygons: vec![poly],
            population: None,
            source: PopulationSource::Estimated,
            age_groups: Vec::new(),
        })
        .collect();
    let t = community_totals(&s.points, &communities);
    assert_eq!((t.outside, t.outside_points), (0.0, 0));
    assert!(close(t.population[0], 40.0 + 7.5 + 12.25 + 1.0 + 2.0));
    assert!(close(t.population[0] + t.population[1], r.total()));
    for (c, p) in communities.iter_mut().zip(&t.population) {
        c.population = Some(*p);
        c.source = PopulationSource::Given;
    }
    let demand = demand_points(&mut communities, &buildings, &params);
    let placed: f64 = demand.iter().map(|d| d.population).sum();
    assert!(close(placed, r.total()), "{placed} vs {}", r.total());

    // Restricted to an area (the west half): only its cells count, and only its buildings.
    let w = spread_raster(&r, &buildings, Some(std::slice::from_ref(&west)), &params);
    assert!(close(w.total, 62.75) && close(w.points.iter().map(|p| p.population).sum(), 62.75));
    assert!(w.points.iter().all(|p| p.point[0] < 120.002));
}

#[test]
fn utm_and_gauss_kruger_rasters_locate_cells_to_the_millimetre() {
    // 10 × 10 cells of 100 m in WGS 84 / UTM 51N, corner at E 300,000 m, N 3,400,000 m (near 30.7°N 120.9°E).
    let data: Vec<f32> = (0..100).map(|i| i as f32).collect();
    let keys = [(1024, 1), (1025, 1), (3072, 32651)];
    let g = Georef::Tie { sx: 100.0, sy: 100.0, x: 300_000.0, y: 3_400_000.0 };
    let r = read(geotiff_f32(10, 10, &data, &g, &keys, None)).unwrap();
    let RasterCrs::Projected { epsg, name, .. } = &r.crs else { panic!("{:?}", r.crs) };
    assert_eq!((*epsg, name.as_str()), (32651, "WGS 84 / UTM zone 51N"));
    let tm = TransverseMercator::utm(51, true);
    for (col, row) in [(0usize, 0usize), (3, 7), (9, 9)] {
        let model = [300_000.0 + 100.0 * (col as f64 + 0.5), 3_400_000.0 - 100.0 * (row as f64 + 0.5)];
        let ll = r.cell_centre(col, row);
        let back = tm.forward(ll);
        assert!((back[0] - model[0]).abs() < 1e-3 && (back[1] - model[1]).abs() < 1e-3, "{back:?} vs {model:?}");
        assert!((30.0..31.5).contains(&ll[1]) && (120.5..121.5).contains(&ll[0]), "{ll:?}");
        assert_eq!(r.cell_of(ll), Some((col, row)));
        // 40 m inside the cell's north-west corner is still the same cell.
        let corner = tm.inverse([model[0] - 40.0, model[1] + 40.0]);
        assert_eq!(r.cell_of(corner), Some((col, row)));
        assert_eq!(r.value(col, row), (row * 10 + col) as f64);
    }
    // CGCS2000 3-degree Gauss–Krüger CM 120°E (EPSG:4549), as Zhejiang surveys use.
    let keys = [(1024, 1), (1025, 1), (3072, 4549)];
    let g = Georef::Tie { sx: 100.0, sy: 100.0, x: 500_000.0, y: 3_320_000.0 };
    let r = read(geotiff_f32(10, 10, &data, &g, &keys, None)).unwrap();
    let c = r.cell_centre(0, 0);
    assert!((c[0] - 120.0).abs() < 0.001 && (29.9..30.1).contains(&c[1]), "{c:?}");
    assert_eq!(r.cell_of(c), Some((0, 0)));
}

#[test]
fn rejects_unsupported_rasters_with_clear_errors() {
    let data = [1.0f32; 4];
    let g = Georef::Tie { sx: 1.0, sy: 1.0, x: 0.0, y: 0.0 };
    let cases: Vec<(Vec<(u16, u16)>, &str)> = vec![
        (vec![(1024, 1), (3072, 3857)], "projected CRS EPSG:3857 is not supported"),
        (vec![(1024, 1), (3072, 32767)], "Mollweide"),
        (vec![(1024, 2), (2048, 4269)], "geographic CRS EPSG:4269 is not supported"),
        (vec![(1024, 3)], "geocentric"),
        (vec![(2048, 4326)], "no GTModelTypeGeoKey"),
    ];
    for (keys, want) in cases {
        let e = read(geotiff_f32(2, 2, &data, &g, &keys, None)).unwrap_err().to_string();
        assert!(e.contains("pop.tif") && e.contains(want), "{e}\n  wanted: {want}");
    }
    // No GeoKeyDirectory at all, several bands, no georeferencing, not a TIFF.
    let mut plain = Cursor::new(Vec::new());
    TiffEncoder::new(&mut plain).unwrap().write_image::<colortype::Gray32Float>(2, 2, &data).unwrap();
    let e = read(plain.into_inner()).unwrap_err().to_string();
    assert!(e.contains("no GeoKeyDirectory"), "{e}");
    let mut rgb = Cursor::new(Vec::new());
    TiffEncoder::new(&mut rgb).unwrap().write_image::<colortype::RGB8>(1, 1, &[1, 2, 3]).unwrap();
    let e = read(rgb.into_inner()).unwrap_err().to_string();
    assert!(e.contains("one band"), "{e}");
    let mut bare = Cursor::new(Vec::new());
    {
        let mut enc = TiffEncoder::new(&mut bare).unwrap();
        let mut img = enc.new_image::<colortype::Gray32Float>(2, 2).unwrap();
        img.encoder().write_tag(Tag::GeoKeyDirectoryTag, &geokeys(&WGS84_KEYS)[..]).unwrap();
        img.write_data(&data).unwrap();
    }
    let e = read(bare.into_inner()).unwrap_err().to_string();
    assert!(e.contains("no georeferencing"), "{e}");
    let e = read(b"not a tiff at all".to_vec()).unwrap_err().to_string();
    assert!(e.contains("not a readable TIFF"), "{e}");
}

#[test]
fn integer_raster_with_nodata() {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut enc = TiffEncoder::new(&mut buf).unwrap();
        let mut img = enc.new_image::<colortype::Gray16>(3, 1).unwrap();
        let d = img.encoder();
        d.write_tag(Tag::ModelPixelScaleTag, &[0.01, 0.01, 0.0][..]).unwrap();
        d.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, 120.0, 30.0, 0.0][..]).unwrap();
        d.write_tag(Tag::GeoKeyDirectoryTag, &geokeys(&WGS84_KEYS)[..]).unwrap();
        d.write_tag(Tag::GdalNodata, "65535").unwrap();
        img.write_data(&[5u16, 65535, 20]).unwrap();
    }
    let r = read(buf.into_inner()).unwrap();
    assert_eq!((r.nodata_cells, r.total()), (1, 25.0));
}

/// A census with an age column changes the childcare demand and the 2SFCA ratios, against the
/// profile's assumed share (age_0_3 = 2.5 % in zhejiang-2027), computed by hand.
///
/// Two 社区 with 1,000 residents each; 甲 has 40 children aged 0–3 on buildings of 100 and 300 m²,
/// 乙 has 20 on two of 200 m². A street 0–1–2–3–4–5–6 (10 ds per edge): buildings at nodes 1, 2
/// (甲) and 4, 5 (乙); childcare with 10, 20, 30 places at nodes 0, 3, 6; threshold 20 ds.
#[test]
fn census_age_column_changes_childcare_demand_and_2sfca() {
    use crate::graph::WalkGraph;
    use crate::score::two_step_fca;

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("census.csv");
    std::fs::write(&csv, "name,population,age_0_3\n甲社区,1000,40\n乙社区,1000,20\n").unwrap();
    let census = read_census(&csv).unwrap();
    let units = vec![
        unit("甲社区", "社区", vec![rect(0.0, 0.0, 0.01, 0.01)]),
        unit("乙社区", "社区", vec![rect(0.01, 0.0, 0.02, 0.01)]),
    ];
    let buildings = vec![
        building(1, [0.002, 0.005], 100.0, 1.0),
        building(2, [0.006, 0.005], 300.0, 1.0),
        building(3, [0.012, 0.005], 200.0, 1.0),
        building(4, [0.016, 0.005], 200.0, 1.0),
    ];
    // The default profile's assumed 0–3 share (2.5 %): the hand-computed figures below use it.
    let profile = crate::profile::Profile::load("default", None).unwrap();
    let s = spread_census(&units, &census, &buildings, &profile.population).unwrap();
    let by_building = |b: usize| s.points.iter().find(|p| p.building == Some(b)).unwrap();
    let census_w: Vec<f64> = (0..4).map(|b| by_building(b).age_groups[0].1).collect();
    assert_eq!(census_w, vec![10.0, 30.0, 10.0, 10.0]);
    let cat = &profile.categories[profile.category_index("childcare").unwrap()];
    let share = profile.demand_share(cat);
    assert_eq!(share, 0.025);
    let assumed_w: Vec<f64> = (0..4).map(|b| by_building(b).population * share).collect();
    assert_eq!(assumed_w, vec![6.25, 18.75, 12.5, 12.5]);
    assert_eq!((census_w.iter().sum::<f64>(), assumed_w.iter().sum::<f64>()), (60.0, 50.0));

    let ll = (0..7).map(|i| [i as f64 * 0.001, 0.0]).collect();
    let edges: Vec<(u32, u32, u32)> = (0..6).map(|i| (i, i + 1, 10)).collect();
    let g = WalkGraph::from_undirected(ll, vec![1; 7], 7, &edges);
    let nodes = [1u32, 2, 4, 5];
    let map = |v: u32| nodes.iter().position(|&n| n == v);
    let fac = [Some(0), Some(3), Some(6)];
    let cap = [10.0, 20.0, 30.0];
    let run = |w: &[f64]| two_step_fca(&g, &fac, &cap, &[false; 3], &map, w, 20);
    let (c, a) = (run(&census_w), run(&assumed_w));
    // Step 1: f0 reaches nodes 1, 2; f3 reaches 1, 2, 4, 5; f6 reaches 4, 5.
    assert_eq!(c.facility_demand, vec![40.0, 60.0, 20.0]);
    assert_eq!(a.facility_demand, vec![25.0, 50.0, 25.0]);
    let ratio = |r: &crate::score::SfcaResult| r.ratio.iter().map(|x| x.unwrap()).collect::<Vec<_>>();
    let (rc, ra) = (ratio(&c), ratio(&a));
    for (x, y) in rc.iter().zip([0.25, 1.0 / 3.0, 1.5]) {
        assert!((x - y).abs() < 1e-12, "{rc:?}");
    }
    for (x, y) in ra.iter().zip([0.4, 0.4, 1.2]) {
        assert!((x - y).abs() < 1e-12, "{ra:?}");
    }
    // Step 2: places per child at each building.
    let want_c = [0.25 + 1.0 / 3.0, 0.25 + 1.0 / 3.0, 1.0 / 3.0 + 1.5, 1.0 / 3.0 + 1.5];
    let want_a = [0.8, 0.8, 1.6, 1.6];
    for i in 0..4 {
        assert!((c.access[i] - want_c[i]).abs() < 1e-8 && (a.access[i] - want_a[i]).abs() < 1e-8);
    }
    // Every place is accessible to someone: Σ w·A = 60 places either way.
    let total = |r: &crate::score::SfcaResult, w: &[f64]| r.access.iter().zip(w).map(|(a, w)| a * w).sum::<f64>();
    assert!((total(&c, &census_w) - 60.0).abs() < 1e-6 && (total(&a, &assumed_w) - 60.0).abs() < 1e-6);
}

/// Census points into communities: age groups survive only where every point carries them.
#[test]
fn community_totals_keep_age_groups_only_when_complete() {
    let p = |x: f64, pop: f64, age: Option<f64>| PopPoint {
        point: [x, 0.005],
        population: pop,
        age_groups: age.map(|a| vec![("age_0_3".to_string(), a)]).unwrap_or_default(),
        building: None,
    };
    let points = vec![
        p(0.002, 100.0, Some(3.0)),
        p(0.004, 50.0, Some(1.0)),
        p(0.012, 80.0, Some(2.0)),
        p(0.014, 20.0, None),
        p(0.05, 9.0, None),
    ];
    let communities: Vec<Community> = [rect(0.0, 0.0, 0.01, 0.01), rect(0.01, 0.0, 0.02, 0.01)]
        .into_iter()
        .enumerate()
        .map(|(i, poly)| Community {
            id: format!("c{i}"),
            name: format!("c{i}"),
            polygons: vec![poly],
            population: None,
            source: PopulationSource::Estimated,
            age_groups: Vec::new(),
        })
        .collect();
    let t = community_totals(&points, &communities);
    assert_eq!(t.population, vec![150.0, 100.0]);
    assert_eq!(t.age_groups[0], vec![("age_0_3".to_string(), 4.0)]);
    assert!(t.age_groups[1].is_empty(), "{:?}", t.age_groups[1]);
    assert_eq!((t.outside, t.outside_points), (9.0, 1));
}

#[test]
fn raster_points_become_demand_points_and_stay_in_their_cells() {
    // Two cells of 0.001° side by side: west 100 residents, east 10. One community over both.
    let g = Georef::Tie { sx: 0.001, sy: 0.001, x: 120.0, y: 30.001 };
    let r = read(geotiff_f32(2, 1, &[100.0, 10.0], &g, &WGS84_KEYS, None)).unwrap();
    let params = PopulationParams::default();
    // A small building in the west cell (100 m² floor), a large one in the east (900 m²).
    let buildings = vec![building(1, [120.0005, 30.0005], 100.0, 1.0), building(2, [120.0015, 30.0005], 300.0, 3.0)];
    let s = spread_raster(&r, &buildings, None, &params);
    let mut communities = vec![Community {
        id: "c".into(),
        name: "c".into(),
        polygons: vec![rect(120.0, 30.0, 120.002, 30.001)],
        population: None,
        source: PopulationSource::Estimated,
        age_groups: Vec::new(),
    }];
    let t = community_totals(&s.points, &communities);
    assert_eq!(t.point_community, vec![Some(0), Some(0)]);
    communities[0].population = Some(t.population[0]);
    communities[0].source = PopulationSource::Raster;
    // Re-spread over the community by floor area, the cells would be lost: 11 west, 99 east.
    let respread = demand_points(&mut communities, &buildings, &params);
    assert!(close(respread[0].population, 11.0) && close(respread[1].population, 99.0), "{respread:?}");
    // Placed directly: 100 west, 10 east; the community total stays 110.
    let d = place::demand_from_points(&s.points, &t.point_community, &[true]);
    let got: Vec<([f64; 2], f64)> = d.iter().map(|p| (p.point, p.population)).collect();
    assert_eq!(got, vec![([120.0005, 30.0005], 100.0), ([120.0015, 30.0005], 10.0)]);
    assert!(close(d.iter().map(|p| p.population).sum(), communities[0].population.unwrap()));
    // A community not taken from the raster keeps its own points.
    assert!(place::demand_from_points(&s.points, &t.point_community, &[false]).is_empty());
}
