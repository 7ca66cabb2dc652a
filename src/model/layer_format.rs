//! Which file formats the map layers are written in (`--format`).
//!
//! Owns the choice only; the writers are in `report`. Glossary: **layer** — a file of features
//! with attributes (communities, facilities, units, suggestions, isochrones, and the per-node
//! access table); **GeoJSON** — text, the default, with `access.csv`; **FlatGeobuf** (`fgb`) —
//! binary with a spatial index, for city-scale runs, with `access.fgb` in place of the CSV.

/// The formats to write; at least one is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerFormats {
    /// `<layer>.geojson` and `access.csv`.
    pub geojson: bool,
    /// `<layer>.fgb` and `access.fgb`.
    pub fgb: bool,
}

impl LayerFormats {
    /// The chosen formats' names as `--format` spells them (`geojson`, `fgb`), in that order.
    pub fn ids(self) -> Vec<&'static str> {
        [("geojson", self.geojson), ("fgb", self.fgb)].into_iter().filter(|f| f.1).map(|f| f.0).collect()
    }
}

impl Default for LayerFormats {
    fn default() -> Self {
        LayerFormats { geojson: true, fgb: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_the_chosen_formats_in_order() {
        assert_eq!(LayerFormats::default().ids(), vec!["geojson"]);
        assert_eq!(LayerFormats { geojson: true, fgb: true }.ids(), vec!["geojson", "fgb"]);
        assert_eq!(LayerFormats { geojson: false, fgb: true }.ids(), vec!["fgb"]);
    }
}
