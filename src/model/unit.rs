//! Administrative planning units (区 / 街道·镇·乡 / 社区·村): the data; reading, nesting and aggregating
//! them is `units`.

use crate::geom::polygon::{polygon_area_m2, polygon_contains, rings_bbox};

/// An administrative unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    pub name: String,
    /// As the layer spells it: 区, 街道, 镇, 乡, 社区, 村, …
    pub level: String,
    pub code: Option<String>,
    /// Code of the unit this one belongs to.
    pub parent: Option<String>,
    /// Polygons: outer ring then holes, `[lon, lat]`, closed.
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

impl Unit {
    pub fn contains(&self, p: [f64; 2]) -> bool {
        self.polygons.iter().any(|poly| polygon_contains(poly, p))
    }
    pub fn area_m2(&self) -> f64 {
        self.polygons.iter().map(|p| polygon_area_m2(p)).sum()
    }
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn bbox(&self) -> [f64; 4] {
        let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for p in &self.polygons {
            let r = rings_bbox(p);
            b = [b[0].min(r[0]), b[1].min(r[1]), b[2].max(r[2]), b[3].max(r[3])];
        }
        b
    }
    /// Whether the unit is of one of `levels`.
    pub fn is_of(&self, levels: &[String]) -> bool {
        levels.contains(&self.level)
    }
}
