//! Stage 2 of the pipeline, **facilities**: the extract's facilities with their capacities, a
//! facility table added or replacing them, the what-if edits, and whether each category is
//! assessed.
//!
//! Glossary:
//! - **shape**: a facility's outline and mapped entrances in the extract (empty for table rows
//!   and what-if additions), used to join it to the network at its doors.
//! - **declared complete**: a category whose inputs the user says are complete (`--complete`, or
//!   a table in `replace` mode that lists it): assessed even without a facility.

use crate::error::{Error, Result};
use crate::io::coord_transform::{self, Crs};
use crate::io::extent;
use crate::model::{Assessment, CategoryId, Facility};
use crate::osm::{OsmData, OsmFacility};
use crate::profile::{Profile, ShareCount};
use crate::warnings::Warnings;

use super::on_extract::check_on_extract;
use super::{Config, FacilitiesMode};

/// A facility's outline and mapped entrances (both empty when not from the extract).
pub type Shape<'a> = (&'a [[f64; 2]], &'a [[f64; 2]]);

/// What the facilities stage hands on.
#[derive(Clone, Debug)]
pub struct FacilitySet<'a> {
    pub facilities: Vec<Facility>,
    /// Per facility: its shape in the extract.
    pub shapes: Vec<Shape<'a>>,
    /// Per category: facilities taken from the facility table.
    pub from_table: Vec<usize>,
    /// Per category: assessed or not.
    pub assessment: Vec<Assessment>,
    /// Table facilities declared WGS84 inside China (checked later for a GCJ-02 offset).
    pub declared_wgs84_in_china: Vec<usize>,
    /// Per facility-share indicator of the profile: the table rows counted.
    pub share_counts: Vec<ShareCount>,
    /// Per category: declared complete (`--complete`, or a table in `replace` mode that lists it).
    pub declared_complete: Vec<bool>,
    /// Per facility, after [`edit`]: its index in the set before the what-if edits (`None`: added
    /// by the edits). What-if re-scoring reuses the unedited facilities' snaps by it.
    pub unedited_index: Vec<Option<usize>>,
}

/// Runs the stage: [`collect_unedited`], then [`edit`].
pub fn collect<'a>(cfg: &Config, osm: &'a OsmData, warnings: &mut Warnings) -> Result<FacilitySet<'a>> {
    let set = collect_unedited(cfg, osm, warnings)?;
    edit(cfg, osm.bbox, set)
}

/// The extract's facilities and the facility table, before the what-if edits (the same for a
/// scenario and its baseline); not yet assessed.
pub fn collect_unedited<'a>(cfg: &Config, osm: &'a OsmData, warnings: &mut Warnings) -> Result<FacilitySet<'a>> {
    let profile = &cfg.profile;
    let ncat = profile.categories.len();
    let mut set = FacilitySet {
        facilities: osm.facilities.iter().map(|f| from_osm(profile, f)).collect(),
        shapes: osm.facilities.iter().map(|f| (f.outline.as_slice(), f.entrances.as_slice())).collect(),
        from_table: vec![0; ncat],
        assessment: Vec::new(),
        declared_wgs84_in_china: Vec::new(),
        share_counts: vec![ShareCount::default(); profile.facility_shares.len()],
        declared_complete: vec![false; ncat],
        unedited_index: Vec::new(),
    };
    let mut declared_complete = vec![false; ncat];
    for id in &cfg.complete {
        match profile.category_index(id) {
            Some(k) => declared_complete[k] = true,
            None => return Err(Error::Config(format!("--complete: unknown category {id:?}"))),
        }
    }
    if let Some(path) = &cfg.facilities {
        add_table(cfg, osm.bbox, path, &mut set, &mut declared_complete, warnings)?;
    }
    set.declared_complete = declared_complete;
    Ok(set)
}

/// The config's what-if edits applied to an unedited set (`extract`: the extract's bbox, for
/// the candidate sites' check), and the assessment of every category.
pub fn edit<'a>(cfg: &Config, extract: [f64; 4], mut set: FacilitySet<'a>) -> Result<FacilitySet<'a>> {
    set.unedited_index = (0..set.facilities.len()).map(Some).collect();
    apply_what_if(cfg, &mut set)?;
    check_candidates(cfg, extract)?;
    set.assessment = assess(&set.facilities, &set.declared_complete);
    Ok(set)
}

/// An extract facility with its capacity per category: the first of the category's capacity tags
/// that parses, else the category's default (marked assumed).
fn from_osm(profile: &Profile, f: &OsmFacility) -> Facility {
    Facility {
        osm_type: f.osm_type.as_str(),
        osm_id: f.osm_id,
        name: f.name.clone(),
        categories: f.categories.iter().map(|&c| CategoryId(c)).collect(),
        capacity: f
            .categories
            .iter()
            .map(|&c| {
                let cat = &profile.categories[c as usize];
                cat.capacity_tags
                    .iter()
                    .find_map(|k| f.capacity_tags.iter().find(|(kk, _)| kk == k).and_then(|(_, v)| parse_capacity(v)))
                    .map(|x| (x, false))
                    .or(cat.default_capacity.map(|x| (x, true)))
            })
            .collect(),
        public: f.public,
        point: f.point,
        node: None,
        snap_m: f64::INFINITY,
    }
}

/// A capacity tag's value: the first number of `"120"`, `"120;80"`, `"120 places"`.
fn parse_capacity(v: &str) -> Option<f64> {
    let x: f64 = v.trim().split([';', ' ']).next()?.parse().ok()?;
    (x.is_finite() && x >= 0.0).then_some(x)
}

/// A facility of one category at a point, not from the extract (a table row, a what-if addition).
fn point_facility(
    profile: &Profile,
    k: usize,
    (osm_type, osm_id, name): (&'static str, i64, String),
    point: [f64; 2],
    capacity: Option<f64>,
    public: Option<bool>,
) -> Facility {
    let cat = &profile.categories[k];
    Facility {
        osm_type,
        osm_id,
        name,
        categories: vec![CategoryId::from_index(k)],
        capacity: vec![capacity.map(|c| (c, false)).or(cat.default_capacity.map(|c| (c, true)))],
        public,
        point,
        node: None,
        snap_m: f64::INFINITY,
    }
}

/// Reads the facility table: swapped coordinates are an error; in `replace` mode the extract's
/// facilities of the table's categories are dropped and those categories declared complete.
fn add_table(
    cfg: &Config,
    extract: [f64; 4],
    path: &std::path::Path,
    set: &mut FacilitySet,
    declared_complete: &mut [bool],
    warnings: &mut Warnings,
) -> Result<()> {
    let profile = &cfg.profile;
    let known: Vec<&str> = profile.categories.iter().map(|c| c.id.as_str()).collect();
    let rows = crate::io::facility_table::read_facility_table_with(path, &known, cfg.sheet.as_deref())?;
    warnings.extend(crate::io::number::csv_dialect_note(path));
    set.share_counts = profile
        .facility_shares
        .iter()
        .map(|t| t.count(rows.iter().map(|r| (r.category.as_str(), r.public, r.meals))))
        .collect();
    let sw = extent::swapped(extract, &rows.iter().map(|r| [r.lon, r.lat]).collect::<Vec<_>>());
    if !sw.is_empty() {
        let csv =
            !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json"));
        let labels: Vec<String> = sw.iter().map(|&i| rows[i].row.to_string()).collect();
        let what = match (csv, sw.len()) {
            (true, 1) => "row",
            (true, _) => "rows",
            (false, 1) => "feature",
            (false, _) => "features",
        };
        return Err(Error::input(
            path,
            format!("{what} {}", extent::list(&labels)),
            format!(
                "lon and lat look swapped: off the extract ({}) as given, on it read the other way round; swap the lon \
                 and lat {}",
                extent::describe(extract),
                if csv { "columns" } else { "of each point ([lon, lat])" }
            ),
        ));
    }
    // A table with no row on the extract (another district's registry, the wrong extract) would
    // score its categories as assessed with nobody served: an error, as for any layer.
    let points: Vec<[f64; 4]> = rows.iter().map(|r| [r.lon, r.lat, r.lon, r.lat]).collect();
    if let Some(m) = extent::no_overlap(extract, &points, "facilities") {
        return Err(Error::input(path, "every row", m));
    }
    if cfg.facilities_mode == FacilitiesMode::Replace {
        let replaced: Vec<CategoryId> =
            rows.iter().filter_map(|r| profile.category_index(&r.category).map(CategoryId::from_index)).collect();
        for &k in &replaced {
            declared_complete[k.index()] = true;
        }
        let mut kept = Vec::new();
        let mut kept_shapes = Vec::new();
        for (mut f, o) in set.facilities.drain(..).zip(set.shapes.drain(..)) {
            let keep: Vec<bool> = f.categories.iter().map(|c| !replaced.contains(c)).collect();
            let mut it = keep.iter();
            f.capacity.retain(|_| *it.next().expect("same length"));
            f.categories.retain(|c| !replaced.contains(c));
            if !f.categories.is_empty() {
                kept.push(f);
                kept_shapes.push(o);
            }
        }
        set.facilities = kept;
        set.shapes = kept_shapes;
    }
    for r in rows {
        let k = profile.category_index(&r.category).expect("validated category");
        set.from_table[k] += 1;
        if r.crs == Crs::Wgs84 && coord_transform::in_china(r.lon, r.lat) {
            set.declared_wgs84_in_china.push(set.facilities.len());
        }
        set.facilities.push(point_facility(
            profile,
            k,
            ("table", r.row as i64, r.name),
            [r.lon, r.lat],
            r.capacity,
            r.public,
        ));
        set.shapes.push((&[], &[]));
    }
    Ok(())
}

/// The what-if edits: removals by `type/id`, then additions (`added/1`, `added/2`, …).
fn apply_what_if(cfg: &Config, set: &mut FacilitySet) -> Result<()> {
    for id in &cfg.remove_facilities {
        let before = set.facilities.len();
        let keep: Vec<bool> = set.facilities.iter().map(|f| format!("{}/{}", f.osm_type, f.osm_id) != *id).collect();
        let (mut k1, mut k2, mut k3) = (keep.iter(), keep.iter(), keep.iter());
        set.facilities.retain(|_| *k1.next().expect("same length"));
        set.shapes.retain(|_| *k2.next().expect("same length"));
        set.unedited_index.retain(|_| *k3.next().expect("same length"));
        if set.facilities.len() == before {
            return Err(Error::Config(format!("--remove-facility {id}: no such facility (see facilities.geojson)")));
        }
    }
    for (i, f) in cfg.add_facilities.iter().enumerate() {
        let k = cfg
            .profile
            .category_index(&f.category)
            .ok_or_else(|| Error::Config(format!("--add-facility: unknown category {:?}", f.category)))?;
        let id = ("added", i as i64 + 1, format!("added {}", i + 1));
        set.facilities.push(point_facility(&cfg.profile, k, id, [f.lon, f.lat], f.capacity, None));
        set.shapes.push((&[], &[]));
        set.unedited_index.push(None);
    }
    Ok(())
}

/// Candidate sites of the plans must lie on the extract.
fn check_candidates(cfg: &Config, extract: [f64; 4]) -> Result<()> {
    let Some(p) = &cfg.candidates_file else {
        return Ok(());
    };
    for r in &cfg.plans {
        if let Some(sites) = &r.candidates {
            let boxes: Vec<(String, [f64; 4])> = sites
                .iter()
                .map(|s| (format!("feature {}", s.feature), [s.lon_lat[0], s.lon_lat[1], s.lon_lat[0], s.lon_lat[1]]))
                .collect();
            check_on_extract(p, &cfg.layer_options, extract, &boxes, "candidate sites")?;
        }
    }
    Ok(())
}

/// Per category: assessed when it has a facility, or when its data is declared complete.
pub fn assess(facilities: &[Facility], declared_complete: &[bool]) -> Vec<Assessment> {
    (0..declared_complete.len())
        .map(|k| {
            if facilities.iter().any(|f| f.serves(crate::model::CategoryId::from_index(k))) {
                Assessment::Facilities
            } else if declared_complete[k] {
                Assessment::DeclaredComplete
            } else {
                Assessment::NoData
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facility(categories: Vec<u16>) -> Facility {
        Facility {
            osm_type: "node",
            osm_id: 1,
            name: String::new(),
            capacity: vec![None; categories.len()],
            categories: categories.into_iter().map(CategoryId).collect(),
            public: None,
            point: [0.0, 0.0],
            node: None,
            snap_m: f64::INFINITY,
        }
    }

    #[test]
    fn capacity_values_as_mappers_write_them() {
        assert_eq!(parse_capacity("120"), Some(120.0));
        assert_eq!(parse_capacity(" 80;40"), Some(80.0));
        assert_eq!(parse_capacity("60 places"), Some(60.0));
        assert_eq!(parse_capacity("-5"), None);
        assert_eq!(parse_capacity("many"), None);
        assert_eq!(parse_capacity("NaN"), None);
    }

    #[test]
    fn assessment_needs_a_facility_or_a_declaration() {
        let fs = vec![facility(vec![0, 2])];
        let a = assess(&fs, &[false, true, false, false]);
        assert_eq!(
            a,
            vec![Assessment::Facilities, Assessment::DeclaredComplete, Assessment::Facilities, Assessment::NoData]
        );
    }

    /// The stage on the embedded extract: what-if additions get `added/N` ids and the category's
    /// default capacity; a removal of an unknown id is an error naming it.
    #[test]
    fn what_if_edits_on_the_embedded_extract() {
        let profile = Profile::load("default", None).unwrap();
        let mut cfg = Config::new(Some(crate::analyze::helsinki_fixture()), profile.clone(), "out".into());
        let osm = super::super::load(&cfg).unwrap();
        let base = collect(&cfg, &osm, &mut Warnings::new()).unwrap();
        assert_eq!(base.facilities.len(), osm.facilities.len());
        assert_eq!(base.shapes.len(), base.facilities.len());
        let k = profile.category_index("kindergarten").unwrap();
        cfg.add_facilities.push(super::super::AddedFacility {
            lon: 24.94,
            lat: 60.17,
            category: "kindergarten".into(),
            capacity: None,
        });
        let first = &base.facilities[0];
        cfg.remove_facilities.push(format!("{}/{}", first.osm_type, first.osm_id));
        let edited = collect(&cfg, &osm, &mut Warnings::new()).unwrap();
        assert_eq!(edited.facilities.len(), base.facilities.len());
        let added = edited.facilities.last().unwrap();
        assert_eq!(
            (added.osm_type, added.osm_id, added.categories.clone()),
            ("added", 1, vec![CategoryId::from_index(k)])
        );
        assert_eq!(added.capacity, vec![profile.categories[k].default_capacity.map(|c| (c, true))]);
        assert_eq!(edited.assessment[k], Assessment::Facilities);
        cfg.remove_facilities = vec!["node/1".into()];
        let e = collect(&cfg, &osm, &mut Warnings::new()).unwrap_err().to_string();
        assert!(e.contains("--remove-facility node/1"), "{e}");
    }
}
