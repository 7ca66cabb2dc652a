//! Water and green areas of the extract, for the maps' offline base layer only (light fills under
//! the streets in `report.html` and the SVG/PNG maps); no figure depends on them.
//!
//! Owns the tag predicate ([`land_cover_of`]) and the kept polygons ([`LandArea`]).
//!
//! Glossary:
//! - **water**: `natural=water`, `waterway=riverbank`, `landuse=reservoir`, `landuse=basin`: the
//!   standing and river water a planner recognises a city by (the sea is no area in OSM: its
//!   coastline ways are not kept, so the sea stays the plain background).
//! - **green**: `leisure=park`, `leisure=garden`, `landuse=grass`, `landuse=forest`,
//!   `landuse=recreation_ground`, `natural=wood`: the open green a walk crosses or skirts.
//! - Closed ways and `type=multipolygon` relations are read. A relation's member ways are often
//!   tagged with names only (西湖's islands and causeway): ways whose every key is descriptive
//!   ([`descriptive_key`]) are kept for these rings alone (no other relation sees them). A
//!   relation whose rings do not close is drawn with the rings that do, or not at all.

use crate::geom::Polygon;

/// What a [`LandArea`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LandCover {
    Water,
    Green,
}

/// One water or green area: its polygons, WGS84 `[lon, lat]`.
#[derive(Clone, Debug, PartialEq)]
pub struct LandArea {
    pub kind: LandCover,
    pub polygons: Vec<Polygon>,
}

/// The land cover an area's tags give (see the module glossary), or `None`.
pub fn land_cover_of<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Option<LandCover> {
    match (get("natural"), get("waterway"), get("landuse"), get("leisure")) {
        (Some("water"), ..) | (_, Some("riverbank"), ..) | (_, _, Some("reservoir" | "basin"), _) => {
            Some(LandCover::Water)
        }
        (Some("wood"), ..)
        | (_, _, Some("grass" | "forest" | "recreation_ground"), _)
        | (.., Some("park" | "garden")) => Some(LandCover::Green),
        _ => None,
    }
}

/// A key that names or documents an object without making it a feature (`name`, `name:en`,
/// `history`, `source`, `note`, …).
pub fn descriptive_key(k: &str) -> bool {
    matches!(
        k,
        "name"
            | "alt_name"
            | "old_name"
            | "history"
            | "source"
            | "note"
            | "fixme"
            | "FIXME"
            | "created_by"
            | "description"
            | "wikipedia"
            | "wikidata"
    ) || k.starts_with("name:")
        || k.starts_with("source:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(tags: &[(&str, &str)]) -> Option<LandCover> {
        land_cover_of(|k| tags.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v))
    }

    #[test]
    fn water_and_green_tags_are_recognised_and_others_are_not() {
        assert_eq!(of(&[("natural", "water"), ("name", "西湖")]), Some(LandCover::Water));
        assert_eq!(of(&[("waterway", "riverbank")]), Some(LandCover::Water));
        assert_eq!(of(&[("landuse", "reservoir")]), Some(LandCover::Water));
        assert_eq!(of(&[("leisure", "park")]), Some(LandCover::Green));
        assert_eq!(of(&[("landuse", "forest")]), Some(LandCover::Green));
        assert_eq!(of(&[("natural", "wood")]), Some(LandCover::Green));
        // Water wins over green on the same object (a pond mapped with its park's tag).
        assert_eq!(of(&[("leisure", "park"), ("natural", "water")]), Some(LandCover::Water));
        assert_eq!(of(&[("landuse", "residential")]), None);
        assert_eq!(of(&[("natural", "coastline")]), None);
        assert_eq!(of(&[("waterway", "river")]), None, "a river line is no area");
        assert_eq!(of(&[]), None);
        assert!(descriptive_key("name:en") && descriptive_key("history") && descriptive_key("source:date"));
        assert!(!descriptive_key("highway") && !descriptive_key("natural") && !descriptive_key("layer"));
    }
}
