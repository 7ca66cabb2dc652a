//! Whether a user layer lies on the extract: coordinates that are valid WGS84 but plainly wrong.
//!
//! A facility row, community, unit or candidate site is checked against the extract's bounding box
//! (grown by [`MARGIN_M`]) both ways round: outside as given but inside with lon and lat swapped
//! means the file was written `[lat, lon]` (in the southern or eastern hemisphere both orders are
//! in range, so the range check of the readers cannot see it). A layer of which nothing lies on
//! the extract is an error (exit 2) naming the file and the fix; it would otherwise be snapped
//! thousands of kilometres to the nearest street and score 0 % everywhere.
//!
//! The box operations themselves (grow, contain, overlap, union, describe) are
//! [`crate::geom::bbox`]'s, re-exported here under the names the callers use.

/// How far outside the extract's bbox a point may lie and still count as on it (GCJ-02 offsets,
/// facilities just beyond the last mapped street).
pub const MARGIN_M: f64 = 2000.0;

/// `[min_lon, min_lat, max_lon, max_lat]` grown by `m` metres.
pub use crate::geom::bbox::grow_m as grow;
/// Bounding box of a set of boxes.
pub use crate::geom::bbox::of_boxes as union;
pub use crate::geom::bbox::{contains, describe, overlaps};

fn swap_box(b: [f64; 4]) -> [f64; 4] {
    [b[1], b[0], b[3], b[2]]
}

/// Indices of the points that lie off the extract as given but on it with lon and lat swapped.
pub fn swapped(extract: [f64; 4], points: &[[f64; 2]]) -> Vec<usize> {
    let e = grow(extract, MARGIN_M);
    (0..points.len())
        .filter(|&i| {
            let p = points[i];
            !contains(e, p) && contains(e, [p[1], p[0]])
        })
        .collect()
}

/// A short list of 1-based-or-as-given labels: `1, 2, 3, … (12 in all)`.
pub fn list(labels: &[String]) -> String {
    let head: Vec<&str> = labels.iter().take(5).map(String::as_str).collect();
    if labels.len() > 5 { format!("{}, … ({} in all)", head.join(", "), labels.len()) } else { head.join(", ") }
}

/// What is wrong when none of a layer's features (their bboxes) overlaps the extract; `None` when
/// at least one does. `what` names the features (`communities`).
pub fn no_overlap(extract: [f64; 4], boxes: &[[f64; 4]], what: &str) -> Option<String> {
    let e = grow(extract, MARGIN_M);
    if boxes.is_empty() || boxes.iter().any(|b| overlaps(e, *b)) {
        return None;
    }
    let layer = union(boxes);
    let fix = if boxes.iter().any(|b| overlaps(e, swap_box(*b))) {
        "the coordinates look written [lat, lon]: GeoJSON is [lon, lat], swap them".to_string()
    } else {
        "give the extract that covers them (--osm), or convert the layer to WGS84 lon/lat".to_string()
    };
    Some(format!(
        "none of the {} {what} overlaps the extract ({what}: {}; extract: {}): {fix}",
        boxes.len(),
        describe(layer),
        describe(extract)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swapped_points_are_found_in_every_hemisphere() {
        // Helsinki (N/E), São Paulo (S/W), Hangzhou (N/E, 120°E 30°N), Sydney (S/E).
        for (lon, lat) in [(24.94, 60.17), (-46.63, -23.55), (120.15, 30.27), (151.21, -33.87)] {
            let b = [lon - 0.05, lat - 0.05, lon + 0.05, lat + 0.05];
            assert_eq!(swapped(b, &[[lon, lat], [lat, lon], [lon + 0.01, lat]]), vec![1], "{lon},{lat}");
        }
        // Near the diagonal lon = lat a point on the extract is never called swapped.
        assert!(swapped([29.9, 29.9, 30.1, 30.1], &[[30.0, 30.05]]).is_empty());
    }

    #[test]
    fn a_layer_off_the_extract_is_named_with_the_fix() {
        let e = [-15.46, 28.05, -15.39, 28.18];
        let good = [-15.43, 28.10, -15.42, 28.11];
        let latlon = [28.10, -15.43, 28.11, -15.42];
        let far = [2.30, 48.85, 2.31, 48.86];
        assert_eq!(no_overlap(e, &[good, far], "communities"), None);
        let m = no_overlap(e, &[latlon], "communities").unwrap();
        assert!(m.contains("none of the 1 communities") && m.contains("[lat, lon]"), "{m}");
        let m = no_overlap(e, &[far], "units").unwrap();
        assert!(m.contains("give the extract that covers them"), "{m}");
    }
}
