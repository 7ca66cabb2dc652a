//! Whether a user layer lies on the extract: the check every input layer (communities, units,
//! candidate sites) passes before it is used.
//!
//! Glossary: **extract box** the bbox of the extract's kept nodes (`OsmData::bbox`), grown by
//! [`extent::MARGIN_M`]; **swapped** a feature that lies on the extract only when lon and lat
//! are read the other way round (a layer written `[lat, lon]`).

use std::path::Path;

use crate::error::{Error, Result};
use crate::io::extent;
use crate::io::layer::LayerOptions;

/// Nothing of the layer on the extract, or features that lie on it only with lon and lat swapped,
/// is an error naming the file, the features and the fix (and, for a projected layer, the
/// Gauss–Krüger zone that would land it on the extract: `io::crs_hint`). Returns the features
/// that lie off the extract either way round (the caller decides whether that deserves a warning).
pub fn check_on_extract(
    path: &Path,
    opts: &LayerOptions,
    extract: [f64; 4],
    boxes: &[(String, [f64; 4])],
    what: &str,
) -> Result<Vec<String>> {
    let bbs: Vec<[f64; 4]> = boxes.iter().map(|b| b.1).collect();
    if let Some(m) = extent::no_overlap(extract, &bbs, what) {
        // The layer's system, read again on this error path only.
        let crs = crate::io::layer::read_layer_document(path, opts).ok().map(|(_, c)| c);
        let hint = crs.and_then(|c| crate::io::crs_hint::wrong_zone_hint(&c, extent::union(&bbs), extract));
        let m = match hint {
            Some(h) => format!("{m}; {h}"),
            None => m,
        };
        return Err(Error::input(path, "every feature", m));
    }
    let e = extent::grow(extract, extent::MARGIN_M);
    let swapped: Vec<String> = boxes
        .iter()
        .filter(|(_, b)| !extent::overlaps(e, *b) && extent::overlaps(e, [b[1], b[0], b[3], b[2]]))
        .map(|(n, _)| n.clone())
        .collect();
    if !swapped.is_empty() {
        return Err(Error::input(
            path,
            extent::list(&swapped),
            format!(
                "off the extract ({}) as given, on it with lon and lat swapped: written [lat, lon]? GeoJSON is \
                 [lon, lat]; swap them",
                extent::describe(extract)
            ),
        ));
    }
    Ok(boxes.iter().filter(|(_, b)| !extent::overlaps(e, *b)).map(|(n, _)| n.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXTRACT: [f64; 4] = [120.0, 30.0, 120.2, 30.3];

    #[test]
    fn on_extract_passes_off_extract_is_listed() {
        let boxes =
            vec![("a".to_string(), [120.05, 30.05, 120.06, 30.06]), ("far".to_string(), [121.5, 31.5, 121.6, 31.6])];
        let off =
            check_on_extract(Path::new("c.geojson"), &LayerOptions::default(), EXTRACT, &boxes, "communities").unwrap();
        assert_eq!(off, vec!["far".to_string()]);
    }

    #[test]
    fn swapped_layer_is_an_error_naming_file_and_feature() {
        // [lat, lon] of a point on the extract: 30.1, 120.1 read as lon 30.1, lat 120.1 is off the
        // globe's latitude range, so use an extract where both orders are plausible.
        let extract = [28.0, 27.0, 29.0, 28.5];
        let boxes =
            vec![("ok".to_string(), [28.2, 27.2, 28.3, 27.3]), ("swapped".to_string(), [27.5, 28.5, 27.6, 28.6])];
        let e = check_on_extract(Path::new("c.geojson"), &LayerOptions::default(), extract, &boxes, "communities")
            .unwrap_err()
            .to_string();
        assert!(e.contains("c.geojson") && e.contains("swapped") && e.contains("[lat, lon]"), "{e}");
    }

    #[test]
    fn nothing_on_the_extract_is_an_error() {
        let boxes = vec![("far".to_string(), [10.0, 50.0, 10.1, 50.1])];
        assert!(check_on_extract(Path::new("u.geojson"), &LayerOptions::default(), EXTRACT, &boxes, "units").is_err());
    }
}
