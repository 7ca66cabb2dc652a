//! Which OSM ways a pedestrian may walk, and how fast.

/// How a walkable way is walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WayKind {
    /// Flat walking at the profile speed.
    Flat,
    /// `highway=steps`: walked at `steps_speed_factor` × speed.
    Steps,
}

const WALKABLE: &[&str] = &[
    "footway",
    "path",
    "pedestrian",
    "steps",
    "living_street",
    "residential",
    "service",
    "unclassified",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "primary",
    "primary_link",
    "track",
    "cycleway",
    "bridleway",
    "corridor",
    "road",
    "crossing",
];
const FOOT_ONLY: &[&str] = &["motorway", "motorway_link", "trunk", "trunk_link"];

/// Decides whether a way with these tags is walkable (see the README for the rule):
/// `highway` in the walkable list; motorway/trunk only with an explicit foot permission; never
/// with `foot=no`; `access=no|private` only with an explicit foot permission. `oneway` is ignored.
pub fn walkable_kind<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Option<WayKind> {
    let highway = get("highway")?;
    let foot = get("foot");
    let foot_allowed = matches!(foot, Some("yes" | "designated" | "permissive"));
    if foot == Some("no") {
        return None;
    }
    if FOOT_ONLY.contains(&highway) {
        if !foot_allowed {
            return None;
        }
    } else if !WALKABLE.contains(&highway) {
        return None;
    }
    if matches!(get("access"), Some("no" | "private")) && !foot_allowed {
        return None;
    }
    Some(if highway == "steps" { WayKind::Steps } else { WayKind::Flat })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(t: &[(&'static str, &'static str)]) -> Option<WayKind> {
        let t = t.to_vec();
        walkable_kind(move |k| t.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v))
    }

    #[test]
    fn rules() {
        assert_eq!(w(&[("highway", "residential")]), Some(WayKind::Flat));
        assert_eq!(w(&[("highway", "steps")]), Some(WayKind::Steps));
        assert_eq!(w(&[("highway", "motorway")]), None);
        assert_eq!(w(&[("highway", "trunk"), ("foot", "yes")]), Some(WayKind::Flat));
        assert_eq!(w(&[("highway", "footway"), ("foot", "no")]), None);
        assert_eq!(w(&[("highway", "service"), ("access", "private")]), None);
        assert_eq!(w(&[("highway", "service"), ("access", "private"), ("foot", "permissive")]), Some(WayKind::Flat));
        assert_eq!(w(&[("highway", "residential"), ("oneway", "yes")]), Some(WayKind::Flat));
        assert_eq!(w(&[("highway", "construction")]), None);
        assert_eq!(w(&[("building", "yes")]), None);
    }
}
