//! The one colour ramp for a covered share (or a score ÷ 100): communities on the SVG and PNG
//! maps and in `report.html` (whose script receives [`STOPS`] in its data block and interpolates
//! them with the same formula as [`share_rgb`]), and the legends of both.
//!
//! The ramp is ColorBrewer's RdYlGn at three stops: red `#d73027` (0) → yellow `#fee08b` (0.5) →
//! green `#1a9850` (1), linear in RGB between stops, channels rounded half up. A yellow middle
//! keeps 40 % and 60 % apart, which the former amber-middle map ramp did not; absent figures are
//! grey [`NO_DATA`].
//!
//! Glossary: **stop** — a share and the colour exactly at it; shares outside `0..=1` are clamped.

/// The stops, by increasing share: `(share, [r, g, b])`.
pub const STOPS: [(f64, [u8; 3]); 3] = [(0.0, [215, 48, 39]), (0.5, [254, 224, 139]), (1.0, [26, 152, 80])];

/// Colour of an absent figure (no data).
pub const NO_DATA: &str = "#bdbdbd";

/// The colour of `share`, RGB; `None` for an absent or not-a-number share.
pub fn share_rgb(share: Option<f64>) -> Option<[u8; 3]> {
    let v = share.filter(|v| !v.is_nan())?.clamp(0.0, 1.0);
    let i = STOPS.iter().rposition(|s| s.0 <= v).unwrap_or(0).min(STOPS.len() - 2);
    let ((s0, a), (s1, b)) = (STOPS[i], STOPS[i + 1]);
    let t = (v - s0) / (s1 - s0);
    // The page script computes `Math.round(a + (b - a) * t)`: the same doubles, and `round`
    // agrees with `Math.round` on these non-negative values.
    let lerp = |k: usize| (a[k] as f64 + (b[k] as f64 - a[k] as f64) * t).round() as u8;
    Some([lerp(0), lerp(1), lerp(2)])
}

/// The colour of `share` as `#rrggbb`; [`NO_DATA`] when absent.
pub fn share_colour(share: Option<f64>) -> String {
    share_rgb(share).map_or(NO_DATA.to_string(), hex)
}

/// `#rrggbb`.
pub fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// The ramp as a CSS gradient, left (0) to right (1), for the page legend.
pub fn css_gradient() -> String {
    let stops: Vec<String> = STOPS.iter().map(|(s, c)| format!("{} {}%", hex(*c), s * 100.0)).collect();
    format!("linear-gradient(to right,{})", stops.join(","))
}

/// The ramp for the page script: `{"stops": [[share, [r, g, b]], …], "no_data": "#rrggbb",
/// "css": gradient}`.
pub fn json() -> serde_json::Value {
    serde_json::json!({
        "stops": STOPS.iter().map(|(s, c)| serde_json::json!([s, c])).collect::<Vec<_>>(),
        "no_data": NO_DATA,
        "css": css_gradient(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_are_hit_exactly_and_ends_clamp() {
        for (s, c) in STOPS {
            assert_eq!(share_rgb(Some(s)), Some(c));
        }
        assert_eq!(share_colour(Some(-1.0)), "#d73027");
        assert_eq!(share_colour(Some(2.0)), "#1a9850");
        assert_eq!(share_colour(None), NO_DATA);
        assert_eq!(share_colour(Some(f64::NAN)), NO_DATA);
    }

    #[test]
    fn between_stops_is_linear_and_rounded() {
        // A quarter: halfway from red to yellow, (215+254)/2 = 234.5 → 235, 136, 89.
        assert_eq!(share_rgb(Some(0.25)), Some([235, 136, 89]));
        // Monotone in green up to the middle.
        let g: Vec<u8> = (0..=5).map(|i| share_rgb(Some(i as f64 / 10.0)).unwrap()[1]).collect();
        assert!(g.windows(2).all(|w| w[0] < w[1]), "{g:?}");
    }

    #[test]
    fn page_gets_the_same_stops() {
        let j = json();
        assert_eq!(j["stops"][1], serde_json::json!([0.5, [254, 224, 139]]));
        assert_eq!(j["no_data"], NO_DATA);
        assert_eq!(css_gradient(), "linear-gradient(to right,#d73027 0%,#fee08b 50%,#1a9850 100%)");
    }
}
