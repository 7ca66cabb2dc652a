//! Coverage, mean and 90th-percentile walking time over a set of weighted demand points.

pub use crate::model::CoverageStats;
use crate::route::UNREACHED;

/// Coverage of the points `idx` with weights `w[i]` and times `time_ds[i]` (UNREACHED beyond the
/// cap). Sums run in index order, so results are identical for any thread count.
pub fn coverage_of(idx: &[usize], w: &[f64], time_ds: &[u32], threshold_ds: u32, cap_ds: u32) -> CoverageStats {
    let mut s = CoverageStats::default();
    let mut tsum = 0.0;
    let mut beyond = 0.0;
    let mut by_time: Vec<(u32, f64)> = Vec::with_capacity(idx.len());
    for &i in idx {
        let (wi, t) = (w[i], time_ds[i]);
        s.demand += wi;
        if t <= threshold_ds {
            s.covered += wi;
        }
        if t == UNREACHED || t > cap_ds {
            beyond += wi;
            tsum += wi * cap_ds as f64;
        } else {
            tsum += wi * t as f64;
        }
        by_time.push((t, wi));
    }
    if s.demand <= 0.0 {
        return s;
    }
    s.covered_share = Some(s.covered / s.demand);
    s.mean_s = Some(tsum / s.demand / 10.0);
    s.beyond_cap_share = Some(beyond / s.demand);
    by_time.sort_by_key(|x| x.0);
    let target = 0.9 * s.demand;
    let mut acc = 0.0;
    for (t, wi) in by_time {
        acc += wi;
        if acc >= target - 1e-9 * s.demand {
            s.p90_s = (t != UNREACHED && t <= cap_ds).then_some(t as f64 / 10.0);
            break;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_share_mean_p90() {
        let w = [1.0, 1.0, 2.0, 6.0];
        let t = [100, 300, 500, 900];
        let s = coverage_of(&[0, 1, 2, 3], &w, &t, 500, 1000);
        assert_eq!(s.demand, 10.0);
        assert!((s.covered_share.unwrap() - 0.4).abs() < 1e-12);
        assert!((s.mean_s.unwrap() - (100.0 + 300.0 + 1000.0 + 5400.0) / 10.0 / 10.0).abs() < 1e-9);
        assert_eq!(s.p90_s, Some(90.0));
        let t2 = [100, 300, 500, UNREACHED];
        let s2 = coverage_of(&[0, 1, 2, 3], &w, &t2, 500, 1000);
        assert_eq!(s2.p90_s, None);
        assert!((s2.beyond_cap_share.unwrap() - 0.6).abs() < 1e-12);
        let e = coverage_of(&[], &w, &t, 500, 1000);
        assert_eq!(e.covered_share, None);
    }
}
