//! The measured m² of one area target (green space, sports ground, culture floor area): the data;
//! measuring is `areas`.

/// One target's measured area.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AreaMeasure {
    /// m² (ground, or floor) in the study area.
    pub total_m2: f64,
    /// m² in each unit (same order as the units).
    pub unit_m2: Vec<f64>,
    /// OSM objects measured (with any part in the study area).
    pub features: usize,
    /// Buildings without `building:levels` (floor targets), in the study area.
    pub levels_assumed: usize,
    /// Of `total_m2`, floor area from assumed levels.
    pub assumed_m2: f64,
    /// Ground targets: area of the polygons counted more than once if summed (the overlaps the
    /// union removed), m², in the study area.
    pub overlap_m2: f64,
}
