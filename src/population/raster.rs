//! Gridded population (WorldPop, GHS-POP, national 100 m grids) from a single-band GeoTIFF, read
//! with the pure-Rust `tiff` crate, and spread onto buildings.
//!
//! Georeferencing: `ModelPixelScale` (33550) + `ModelTiepoint` (33922), or `ModelTransformation`
//! (34264); `PixelIsPoint` rasters are shifted half a cell as GDAL does. CRS from the
//! `GeoKeyDirectory` (34735): geographic EPSG:4326 (WGS 84) or 4490 (CGCS2000, within a metre of
//! WGS 84), or a transverse Mercator grid ([`tmerc::from_epsg`](crate::geom::tmerc::from_epsg): WGS 84 /
//! UTM, CGCS2000 Gauss–Krüger). Anything else is rejected with its EPSG code (GHS-POP's Mollweide
//! must be reprojected first). No data: the `GDAL_NODATA` tag (42113), NaN, and negative values.
//! Sample types: 8–64-bit integers and 32/64-bit floats.

use std::io::{Read, Seek};
use std::path::Path;

use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;

use super::{PopPoint, residential_floor_m2, spread_over_buildings};
use crate::error::{Error, Result};
use crate::geom::polygon::polygon_contains;
use crate::geom::tmerc::{self, TransverseMercator};
use crate::geom::{Polygon, bbox};
use crate::osm::Building;
use crate::profile::PopulationParams;

/// The coordinate system of a raster.
#[derive(Clone, Debug, PartialEq)]
pub enum RasterCrs {
    /// Longitude/latitude degrees (EPSG:4326, or 4490 CGCS2000 taken as WGS 84).
    Geographic { epsg: u32 },
    /// A transverse Mercator grid, metres.
    Projected { epsg: u32, name: String, tm: TransverseMercator },
}

/// A single-band population raster.
#[derive(Clone, Debug, PartialEq)]
pub struct PopRaster {
    pub width: usize,
    pub height: usize,
    /// Row-major values, row 0 at the top; NaN where the raster has no data.
    pub values: Vec<f64>,
    /// Pixel → model affine: `x = t0 + t1·col + t2·row`, `y = t3 + t4·col + t5·row`, with
    /// `(col, row)` continuous and `(0, 0)` the outer corner of the first pixel.
    pub transform: [f64; 6],
    pub crs: RasterCrs,
    pub nodata: Option<f64>,
    /// Cells without data (nodata value, NaN, negative).
    pub nodata_cells: usize,
}

impl PopRaster {
    fn model_to_lon_lat(&self, xy: [f64; 2]) -> [f64; 2] {
        match &self.crs {
            RasterCrs::Geographic { .. } => xy,
            RasterCrs::Projected { tm, .. } => tm.inverse(xy),
        }
    }
    fn lon_lat_to_model(&self, p: [f64; 2]) -> [f64; 2] {
        match &self.crs {
            RasterCrs::Geographic { .. } => p,
            RasterCrs::Projected { tm, .. } => tm.forward(p),
        }
    }
    /// `[lon, lat]` of the centre of cell `(col, row)`.
    pub fn cell_centre(&self, col: usize, row: usize) -> [f64; 2] {
        let t = &self.transform;
        let (c, r) = (col as f64 + 0.5, row as f64 + 0.5);
        self.model_to_lon_lat([t[0] + t[1] * c + t[2] * r, t[3] + t[4] * c + t[5] * r])
    }
    /// The cell `(col, row)` containing `[lon, lat]`, if inside the raster.
    pub fn cell_of(&self, p: [f64; 2]) -> Option<(usize, usize)> {
        let [x, y] = self.lon_lat_to_model(p);
        let t = &self.transform;
        let det = t[1] * t[5] - t[2] * t[4];
        if det == 0.0 || !det.is_finite() {
            return None;
        }
        let (dx, dy) = (x - t[0], y - t[3]);
        let col = (t[5] * dx - t[2] * dy) / det;
        let row = (-t[4] * dx + t[1] * dy) / det;
        (col >= 0.0 && row >= 0.0 && col < self.width as f64 && row < self.height as f64)
            .then_some((col as usize, row as usize))
    }
    /// Value of a cell (NaN when no data).
    pub fn value(&self, col: usize, row: usize) -> f64 {
        self.values[row * self.width + col]
    }
    /// Sum of all cells with data.
    pub fn total(&self) -> f64 {
        self.values.iter().filter(|v| v.is_finite()).sum()
    }
}

/// Reads a population GeoTIFF. Errors name the file and what is wrong with it.
pub fn read_raster(path: &Path) -> Result<PopRaster> {
    let file = std::fs::File::open(path).map_err(|e| Error::Io { path: path.to_path_buf(), cause: e })?;
    read_raster_from(std::io::BufReader::new(file), path)
}

/// Reads a population GeoTIFF from any seekable reader; `path` names it in errors.
pub fn read_raster_from<R: Read + Seek>(reader: R, path: &Path) -> Result<PopRaster> {
    let fail = |m: String| Error::input(path, "GeoTIFF", m);
    let tiff_err = |e: tiff::TiffError| match e {
        tiff::TiffError::LimitsExceeded => fail(
            "the raster is too large to read at once: clip it to the study area first (e.g. gdal_translate -projwin)"
                .into(),
        ),
        e => fail(format!("cannot decode: {e}")),
    };
    let mut dec = Decoder::new(reader).map_err(|e| fail(format!("not a readable TIFF: {e}")))?;
    let (w, h) = dec.dimensions().map_err(tiff_err)?;
    match dec.colortype().map_err(tiff_err)? {
        tiff::ColorType::Gray(_) => {}
        tiff::ColorType::Multiband { num_samples: 1, .. } => {}
        other => {
            return Err(fail(format!(
                "{other:?}: a population raster has one band; extract the population band (gdal_translate -b N)"
            )));
        }
    }
    let f64s = |dec: &mut Decoder<R>, tag: Tag| -> Result<Option<Vec<f64>>> {
        match dec.find_tag(tag).map_err(tiff_err)? {
            None => Ok(None),
            Some(v) => v.into_f64_vec().map(Some).map_err(|e| fail(format!("tag {tag:?}: {e}"))),
        }
    };
    let scale = f64s(&mut dec, Tag::ModelPixelScaleTag)?;
    let tie = f64s(&mut dec, Tag::ModelTiepointTag)?;
    let matrix = f64s(&mut dec, Tag::ModelTransformationTag)?;
    let keys: Vec<u16> = match dec.find_tag(Tag::GeoKeyDirectoryTag).map_err(tiff_err)? {
        Some(v) => v.into_u16_vec().map_err(|e| fail(format!("GeoKeyDirectory: {e}")))?,
        None => return Err(fail("no GeoKeyDirectory tag: not a GeoTIFF, the coordinate system is unknown".into())),
    };
    let nodata: Option<f64> = match dec.find_tag(Tag::GdalNodata).map_err(tiff_err)? {
        None => None,
        Some(v) => {
            let s = v.into_string().map_err(|e| fail(format!("GDAL_NODATA: {e}")))?;
            let s = s.trim_matches(char::from(0)).trim();
            match s.to_ascii_lowercase().as_str() {
                "" => None,
                "nan" | "-nan" => Some(f64::NAN),
                t => Some(t.parse::<f64>().map_err(|_| fail(format!("GDAL_NODATA {s:?} is not a number")))?),
            }
        }
    };
    let geokeys = parse_geokeys(&keys).map_err(fail)?;
    let crs = crs_of(&geokeys).map_err(fail)?;
    let mut t: [f64; 6] = if let Some(m) = matrix.filter(|m| m.len() >= 16) {
        [m[3], m[0], m[1], m[7], m[4], m[5]]
    } else {
        match (scale, tie) {
            (Some(s), Some(tp)) if s.len() >= 2 && tp.len() >= 6 => {
                let (i, j, x, y) = (tp[0], tp[1], tp[3], tp[4]);
                [x - i * s[0], s[0], 0.0, y + j * s[1], 0.0, -s[1]]
            }
            _ => {
                return Err(fail(
                    "no georeferencing: needs ModelPixelScale + ModelTiepoint, or ModelTransformation".into(),
                ));
            }
        }
    };
    if !t.iter().all(|x| x.is_finite()) || t[1] * t[5] - t[2] * t[4] == 0.0 {
        return Err(fail(format!("degenerate georeferencing {t:?}")));
    }
    // GTRasterTypeGeoKey = 2 (PixelIsPoint): the reference is the centre of the pixel.
    if geokeys.iter().any(|&(k, v)| k == 1025 && v == 2) {
        t[0] -= 0.5 * (t[1] + t[2]);
        t[3] -= 0.5 * (t[4] + t[5]);
    }
    let raw = dec.read_image().map_err(tiff_err)?;
    let values: Vec<f64> = match raw {
        DecodingResult::U8(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U16(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U64(v) => v.into_iter().map(|x| x as f64).collect(),
        DecodingResult::I8(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I16(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I64(v) => v.into_iter().map(|x| x as f64).collect(),
        DecodingResult::F32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::F64(v) => v,
        _ => return Err(fail("unsupported sample type (16-bit float?); convert to Float32".into())),
    };
    let (width, height) = (w as usize, h as usize);
    if values.len() != width * height {
        return Err(fail(format!("{} samples for {width} × {height} cells", values.len())));
    }
    let is_nodata = |v: f64| match nodata {
        Some(nd) if nd.is_nan() => v.is_nan(),
        // Compare at f32 precision too: the tag holds the f64 text of an f32 value.
        Some(nd) => v == nd || (v as f32) == (nd as f32),
        None => false,
    };
    let mut nodata_cells = 0;
    let values = values
        .into_iter()
        .map(|v| {
            if !v.is_finite() || v < 0.0 || is_nodata(v) {
                nodata_cells += 1;
                f64::NAN
            } else {
                v
            }
        })
        .collect();
    Ok(PopRaster { width, height, values, transform: t, crs, nodata, nodata_cells })
}

/// `(key, value)` of the GeoKeys stored inline (TIFFTagLocation 0).
fn parse_geokeys(v: &[u16]) -> std::result::Result<Vec<(u16, u16)>, String> {
    if v.len() < 4 {
        return Err("GeoKeyDirectory shorter than its header".into());
    }
    let n = v[3] as usize;
    if v.len() < 4 + 4 * n {
        return Err(format!("GeoKeyDirectory announces {n} keys but holds {}", (v.len() - 4) / 4));
    }
    Ok((0..n).filter(|i| v[5 + 4 * i] == 0).map(|i| (v[4 + 4 * i], v[7 + 4 * i])).collect())
}

const SUPPORTED: &str = "supported: EPSG:4326, EPSG:4490, WGS 84 / UTM EPSG:32601–32660 and 32701–32760, \
                         CGCS2000 Gauss-Kruger EPSG:4491–4554";

fn crs_of(keys: &[(u16, u16)]) -> std::result::Result<RasterCrs, String> {
    let get = |k: u16| keys.iter().find(|x| x.0 == k).map(|x| x.1 as u32);
    match get(1024) {
        Some(2) => match (get(2048), get(2050)) {
            (Some(c @ (4326 | 4490)), _) => Ok(RasterCrs::Geographic { epsg: c }),
            // User-defined geographic CRS on the WGS 84 (6326) or CGCS2000 (1043) datum.
            (Some(32767) | None, Some(6326)) => Ok(RasterCrs::Geographic { epsg: 4326 }),
            (Some(32767) | None, Some(1043)) => Ok(RasterCrs::Geographic { epsg: 4490 }),
            (Some(c), _) if c != 32767 => Err(format!(
                "geographic CRS EPSG:{c} is not supported ({SUPPORTED}); reproject with gdalwarp -t_srs EPSG:4326"
            )),
            _ => Err(format!(
                "a user-defined geographic CRS is not supported ({SUPPORTED}); reproject with gdalwarp -t_srs EPSG:4326"
            )),
        },
        Some(1) => match get(3072) {
            Some(32767) | None => Err(format!(
                "a user-defined projected CRS (e.g. GHS-POP's World Mollweide, ESRI:54009) is not supported \
                 ({SUPPORTED}); reproject with gdalwarp -t_srs EPSG:4326"
            )),
            Some(c) => match tmerc::from_epsg(c) {
                Some((tm, name)) => Ok(RasterCrs::Projected { epsg: c, name, tm }),
                None => Err(format!(
                    "projected CRS EPSG:{c} is not supported ({SUPPORTED}); reproject with gdalwarp -t_srs EPSG:4326"
                )),
            },
        },
        Some(m) => Err(format!("GTModelTypeGeoKey = {m} (geocentric or unknown) is not supported ({SUPPORTED})")),
        None => Err("the GeoKeyDirectory has no GTModelTypeGeoKey: the coordinate system is unknown".into()),
    }
}

/// A raster placed on buildings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RasterSpread {
    /// Residents per building, and per cell centre for cells without a residential building.
    pub points: Vec<PopPoint>,
    /// Raster sum over the cells inside the area (= the sum over `points`).
    pub total: f64,
    /// Cells inside the area with residents.
    pub cells: usize,
    /// Of them, cells without a residential building (residents at the cell centre).
    pub cells_without_building: usize,
}

/// Spreads each cell's residents over the residential buildings whose centroid lies in the cell,
/// by floor area; a cell without one keeps its residents at its centre. With an `area`
/// (polygons, `[lon, lat]`), only cells whose centre is inside it count, and only buildings inside
/// it receive residents. The points add up to the raster sum over those cells.
pub fn spread_raster(
    raster: &PopRaster,
    buildings: &[Building],
    area: Option<&[Polygon]>,
    params: &PopulationParams,
) -> RasterSpread {
    let area_box = area.map(bbox::of_polygons);
    let in_area = |p: [f64; 2]| match (area, area_box) {
        (Some(polys), Some(b)) => bbox::contains(b, p) && polys.iter().any(|q| polygon_contains(q, p)),
        _ => true,
    };
    // Buildings per cell, as (cell index, building, floor area), sorted by cell then building.
    let mut by_cell: Vec<(usize, usize, f64)> = buildings
        .iter()
        .enumerate()
        .filter_map(|(bi, b)| {
            let floor = residential_floor_m2(b, params)?;
            let (c, r) = raster.cell_of(b.centroid)?;
            in_area(b.centroid).then_some((r * raster.width + c, bi, floor))
        })
        .collect();
    by_cell.sort_unstable_by_key(|x| (x.0, x.1));
    let mut out = RasterSpread::default();
    let mut k = 0;
    for (idx, &v) in raster.values.iter().enumerate() {
        while k < by_cell.len() && by_cell[k].0 < idx {
            k += 1;
        }
        let end = by_cell[k..].iter().position(|x| x.0 != idx).map_or(by_cell.len(), |n| k + n);
        // NaN (no data) and zero cells place nobody.
        if v.is_nan() || v <= 0.0 {
            continue;
        }
        let (col, row) = (idx % raster.width, idx / raster.width);
        let centre = raster.cell_centre(col, row);
        if !in_area(centre) {
            continue;
        }
        out.total += v;
        out.cells += 1;
        let members = &by_cell[k..end];
        if members.is_empty() {
            out.cells_without_building += 1;
            out.points.push(PopPoint { point: centre, population: v, age_groups: Vec::new(), building: None });
            continue;
        }
        let floors: Vec<f64> = members.iter().map(|x| x.2).collect();
        for (m, pop) in members.iter().zip(spread_over_buildings(v, &floors)) {
            out.points.push(PopPoint {
                point: buildings[m.1].centroid,
                population: pop,
                age_groups: Vec::new(),
                building: Some(m.1),
            });
        }
    }
    out
}
