//! Stage timings as `summary.json` reports them (`stages_ms`): wall-clock milliseconds, rounded to
//! 0.01 ms. The one helper every stage and writer uses.

use std::time::Instant;

/// Milliseconds since `t`, rounded to 0.01 ms.
pub fn ms_since(t: Instant) -> f64 {
    round_ms(t.elapsed().as_secs_f64())
}

/// Seconds as milliseconds rounded to 0.01 ms.
fn round_ms(secs: f64) -> f64 {
    (secs * 1e5).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::round_ms;

    #[test]
    fn seconds_become_milliseconds_to_the_hundredth() {
        assert_eq!(round_ms(0.0), 0.0);
        assert_eq!(round_ms(1.5), 1500.0);
        assert_eq!(round_ms(0.012_344_9), 12.34);
        assert_eq!(round_ms(0.012_345_1), 12.35);
        assert!(super::ms_since(std::time::Instant::now()) >= 0.0);
    }
}
