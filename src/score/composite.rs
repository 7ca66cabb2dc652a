//! The composite index: a transparent stand-in for the province's 均衡可及优质指数 (whose formula is
//! not public). Per category, 0–100:
//!
//! `score = 100 × (a·可及 + b·均衡 + c·优质) / (a + b + c)` over the dimensions available, where
//! 可及 = covered share, 均衡 = min(per_1000 ÷ quota, 1) (when the category has a quota and a
//! capacity), 优质 = public/普惠 share of accessible capacity (when any facility is flagged), and
//! `a, b, c` are the profile's `[index]` weights. The overall score is the category-weighted mean.

pub use crate::model::CompositeParts;

/// Combines the available dimensions with the weights `(access, balance, quality)`.
pub fn composite(p: CompositeParts, weights: (f64, f64, f64)) -> Option<f64> {
    let mut num = 0.0;
    let mut den = 0.0;
    for (v, wt) in [(p.access, weights.0), (p.balance, weights.1), (p.quality, weights.2)] {
        if let Some(v) = v {
            num += wt * v.clamp(0.0, 1.0);
            den += wt;
        }
    }
    (den > 0.0).then(|| 100.0 * num / den)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renormalises_over_available_dimensions() {
        let w = (0.5, 0.3, 0.2);
        let all = CompositeParts { access: Some(1.0), balance: Some(0.5), quality: Some(0.0) };
        assert!((composite(all, w).unwrap() - 65.0).abs() < 1e-9);
        let only = CompositeParts { access: Some(0.8), ..Default::default() };
        assert!((composite(only, w).unwrap() - 80.0).abs() < 1e-9);
        assert_eq!(composite(CompositeParts::default(), w), None);
        let over = CompositeParts { access: Some(1.0), balance: Some(3.0), quality: None };
        assert!((composite(over, w).unwrap() - 100.0).abs() < 1e-9);
    }
}
