//! Stage timings as `summary.json` reports them (`stages_ms`): wall-clock milliseconds, rounded to
//! 0.01 ms. The one helper every stage and writer uses.

use std::time::Instant;

/// Milliseconds since `t`, rounded to 0.01 ms.
pub fn ms_since(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1e5).round() / 100.0
}

#[cfg(test)]
mod tests {
    #[test]
    fn rounds_to_hundredths_and_grows() {
        let t = std::time::Instant::now();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let x = super::ms_since(t);
        assert!(x >= 2.0, "{x}");
        assert_eq!((x * 100.0).round(), x * 100.0);
    }
}
