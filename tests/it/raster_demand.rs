//! `--population` through `analyze` on the embedded Helsinki extract: the raster's residents are the
//! demand points, so every cell keeps exactly its residents (less those outside every community),
//! which re-spreading community totals by floor area does not.

use std::io::Cursor;

use tiff::encoder::{TiffEncoder, colortype};
use tiff::tags::Tag;

/// A north-up EPSG:4326 GeoTIFF of `w × h` cells of `dx × dy` degrees, top-left at `(x, y)`.
fn geotiff(w: u32, h: u32, data: &[f32], dx: f64, dy: f64, x: f64, y: f64) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut enc = TiffEncoder::new(&mut buf).unwrap();
        let mut img = enc.new_image::<colortype::Gray32Float>(w, h).unwrap();
        let d = img.encoder();
        d.write_tag(Tag::ModelPixelScaleTag, &[dx, dy, 0.0][..]).unwrap();
        d.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, x, y, 0.0][..]).unwrap();
        d.write_tag(Tag::GeoKeyDirectoryTag, &[1u16, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326][..])
            .unwrap();
        img.write_data(data).unwrap();
    }
    buf.into_inner()
}

#[test]
fn each_cell_keeps_its_residents_as_demand_points() {
    let d = tempfile::tempdir().unwrap();
    let profile = circle15::profile::Profile::load("default", None).unwrap();
    let mut cfg = circle15::analyze::Config::new(
        Some(crate::common::shared("helsinki-centre.osm.pbf")),
        profile,
        d.path().join("o"),
    );
    let osm = circle15::analyze::load(&cfg).unwrap();
    let b = osm.bbox;
    // 5 × 4 cells over the extract, residents 100, 200, … (awkward values).
    let (w, h) = (5u32, 4u32);
    let (dx, dy) = ((b[2] - b[0]) / w as f64, (b[3] - b[1]) / h as f64);
    let data: Vec<f32> = (0..w * h).map(|i| 100.0 * (i + 1) as f32 + 0.25).collect();
    let tif = d.path().join("pop.tif");
    std::fs::write(&tif, geotiff(w, h, &data, dx, dy, b[0], b[3])).unwrap();
    cfg.population = Some(circle15::analyze::PopulationInput::Raster(tif.clone()));
    let a = circle15::analyze::run(&cfg).unwrap();
    let raster = circle15::population::read_raster(&tif).unwrap();
    // Residents per cell, as the demand points carry them.
    let mut per_cell = vec![0.0f64; (w * h) as usize];
    for p in &a.demand {
        let (c, r) = raster.cell_of(p.point).expect("demand point inside the raster");
        per_cell[r * w as usize + c] += p.population;
    }
    // Residents of the raster outside every community (dropped, reported).
    let spread = circle15::population::spread_raster(&raster, &osm.buildings, None, &cfg.profile.population);
    let totals = circle15::population::community_totals(&spread.points, &a.communities);
    let off_by =
        |per_cell: &[f64]| -> f64 { per_cell.iter().zip(&raster.values).map(|(got, want)| (*want - got).abs()).sum() };
    let off = off_by(&per_cell);
    assert!((off - totals.outside).abs() < 1e-6 * raster.total(), "cells off by {off}, outside {}", totals.outside);
    // Re-spreading the community totals over their buildings by floor area moves residents
    // between cells.
    let mut communities = a.communities.clone();
    let respread = circle15::community::demand_points(&mut communities, &osm.buildings, &cfg.profile.population);
    let mut per_cell_respread = vec![0.0f64; (w * h) as usize];
    for p in &respread {
        let (c, r) = raster.cell_of(p.point).unwrap();
        per_cell_respread[r * w as usize + c] += p.population;
    }
    assert!(off_by(&per_cell_respread) > totals.outside + 100.0, "{}", off_by(&per_cell_respread));
    // Community totals are exact: the sums of their points.
    for (ci, c) in a.communities.iter().enumerate() {
        let s: f64 = a.demand.iter().filter(|p| p.community as usize == ci).map(|p| p.population).sum();
        assert!((s - c.population.unwrap()).abs() < 1e-6, "{}: {s} vs {:?}", c.id, c.population);
        assert_eq!(c.source, circle15::community::PopulationSource::Raster);
    }
}

/// With `--clip`, the raster is read over the district's halo too: the halo's residents (raster
/// cells beyond the district) take part in the catchments, as with estimated populations.
#[test]
fn clipped_raster_run_keeps_the_halo_residents() {
    let d = tempfile::tempdir().unwrap();
    let profile = circle15::profile::Profile::load("default", None).unwrap();
    let mut cfg = circle15::analyze::Config::new(
        Some(crate::common::shared("helsinki-centre.osm.pbf")),
        profile,
        d.path().join("o"),
    );
    let b = circle15::analyze::load(&cfg).unwrap().bbox;
    let (w, h) = (4u32, 4u32);
    let (dx, dy) = ((b[2] - b[0]) / w as f64, (b[3] - b[1]) / h as f64);
    let tif = d.path().join("pop.tif");
    std::fs::write(&tif, geotiff(w, h, &[500.0f32; 16], dx, dy, b[0], b[3])).unwrap();
    // The district: the western half of the extract.
    let mid = (b[0] + b[2]) / 2.0;
    let ring =
        format!("[[{},{}],[{mid},{}],[{mid},{}],[{},{}],[{},{}]]", b[0], b[1], b[1], b[3], b[0], b[3], b[0], b[1]);
    let clip = d.path().join("district.geojson");
    std::fs::write(&clip, format!(r#"{{"type":"Polygon","coordinates":[{ring}]}}"#)).unwrap();
    cfg.clip = Some(
        circle15::io::clip_area::read_clip_area(&clip, circle15::io::coord_transform::Crs::Wgs84, 2000.0).unwrap(),
    );
    cfg.population = Some(circle15::analyze::PopulationInput::Raster(tif));
    let a = circle15::analyze::run(&cfg).unwrap();
    let halo = a.halo.expect("a clipped run has a halo");
    let district: f64 = a.communities.iter().map(|c| c.population.unwrap_or(0.0)).sum();
    // Every raster resident is in the run: the district's and the halo's (the old rule read the
    // raster inside the district only: 2,928 + 1,072 of the 8,000 residents).
    assert!(halo.communities > 0, "{halo:?}");
    assert!((district + halo.population - 8000.0).abs() < 1e-6 * 8000.0, "{district} + {halo:?}");
    assert!(a.communities.iter().all(|c| c.source == circle15::community::PopulationSource::Raster));
}
