//! Communities (社区/村) and the demand points that carry their residents: the data, not how it is read,
//! derived or placed (that is `community` and `population`).

use serde::Serialize;

/// Where a community's population figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PopulationSource {
    Given,
    /// A census table by unit, spread over buildings by floor area.
    Census,
    /// A population raster, spread over the residential buildings of each cell.
    Raster,
    Estimated,
    EstimatedArea,
}

impl PopulationSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PopulationSource::Given => "given",
            PopulationSource::Census => "census",
            PopulationSource::Raster => "raster",
            PopulationSource::Estimated => "estimated",
            PopulationSource::EstimatedArea => "estimated_area",
        }
    }
}

/// How the communities were obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommunityOrigin {
    /// A user GeoJSON layer.
    File,
    /// OSM `landuse=residential` areas.
    ResidentialLanduse,
    /// OSM `landuse=residential` areas plus grid cells for the buildings outside them.
    LanduseAndGrid,
    /// A regular grid over the built-up area.
    Grid,
}

#[derive(Clone, Debug)]
pub struct Community {
    pub id: String,
    pub name: String,
    /// Polygons: outer ring then holes, `[lon, lat]`.
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
    /// `None` until estimated (when the layer gives none).
    pub population: Option<f64>,
    pub source: PopulationSource,
    /// Age-group populations when the input has them (`age_0_3`, …).
    pub age_groups: Vec<(String, f64)>,
}

impl Community {
    pub fn contains(&self, p: [f64; 2]) -> bool {
        self.polygons.iter().any(|poly| crate::geom::polygon::polygon_contains(poly, p))
    }
    pub fn area_m2(&self) -> f64 {
        self.polygons.iter().map(|p| crate::geom::polygon::polygon_area_m2(p)).sum()
    }
    pub fn bbox(&self) -> [f64; 4] {
        let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for p in self.polygons.iter().flatten().flatten() {
            b = [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])];
        }
        b
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemandPoint {
    /// Index of the community.
    pub community: u32,
    pub point: [f64; 2],
    /// Residents (all ages) at this point.
    pub population: f64,
}
