//! Judges a measured area against its target: `value = m² ÷ residents × per` (per = 1 for
//! m² per resident, 10,000 for m² per 10,000 residents), passing when `value ≥ min_value`.

use serde::Serialize;

use crate::profile::AreaTarget;

/// A measured area judged against its target.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AreaValue {
    pub area_m2: f64,
    pub population: f64,
    /// `None` without residents.
    pub value: Option<f64>,
    pub min_value: f64,
    pub pass: Option<bool>,
}

pub fn evaluate(t: &AreaTarget, area_m2: f64, population: f64) -> AreaValue {
    let value = (population > 0.0).then(|| area_m2 / population * t.kind.per_residents());
    AreaValue {
        area_m2,
        population,
        value,
        min_value: t.min_value,
        // A target its source states only for a later year is shown, not passed or failed.
        pass: value
            .filter(|_| !matches!(t.status, crate::profile::TargetStatus::DueIn(_)))
            .map(|v| v + 1e-9 * t.min_value.max(1.0) >= t.min_value),
    }
}
