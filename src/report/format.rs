//! Number and text formatting shared by every writer: the one rule per kind of figure, so the
//! Markdown report, the HTML page, the maps and the JSON outputs print the same digits.
//!
//! Glossary:
//! - **share**: a fraction in `0..=1`, printed as a percentage with one decimal after rounding the
//!   fraction to 1e-4 (as `communities.geojson` writes it), so `report.md` and the GeoJSON agree;
//! - **fixed**: a number as text with a fixed count of decimals, rounded first with [`round`]
//!   (half away from zero, the rule of every JSON output), `–` when absent;
//! - **JSON number**: a rounded number as a JSON value, `null` when absent or not finite;
//! - **escaping**: HTML/XML *text* (`&`, `<`, `>`), HTML/XML *attribute* values (also `"` and
//!   `'`), and Markdown table *cells* (`|`, line breaks).

/// Printed for a figure that is absent (no data).
pub const MISSING: &str = "–";

/// Rounds to `d` decimals (half away from zero; `-0` becomes `0`).
pub fn round(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    let r = (x * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

/// Appends `v` in decimal, as `Display` writes it, through `itoa` (as `csv_out::push_int`): the page's
/// geometry blocks are millions of small integers (deltas), and `write!(s, "{},{}", …)` spent
/// more time in `core::fmt` than in the geometry.
pub fn push_i64(s: &mut String, v: i64) {
    s.push_str(itoa::Buffer::new().format(v));
}

/// A JSON number rounded to `d` decimals, or null when absent or not finite.
pub fn json_num(x: Option<f64>, d: i32) -> serde_json::Value {
    match x {
        Some(v) if v.is_finite() => serde_json::json!(round(v, d)),
        _ => serde_json::Value::Null,
    }
}

/// `x` rounded to `d` decimals and printed with exactly `d` decimals; [`MISSING`] when absent.
pub fn fixed(x: Option<f64>, d: usize) -> String {
    x.map_or(MISSING.into(), |v| format!("{:.*}", d, round(v, d as i32)))
}

/// A share (`0..=1`) as a percentage with one decimal, `12.3%`; [`MISSING`] when absent.
pub fn pct(x: Option<f64>) -> String {
    x.map_or(MISSING.into(), |v| format!("{:.1}%", 100.0 * round(v, 4)))
}

/// Milliseconds since `t`, rounded to 0.01 ms (the unit of `summary.json`'s `stages_ms`).
pub use crate::timing::ms_since;

/// Escapes text content of HTML or XML (SVG): `&`, `<`, `>`.
pub fn html_text(s: &str) -> String {
    escape(s, false)
}

/// Escapes an HTML or XML attribute value (quoted with `"` or `'`): `&`, `<`, `>`, `"`, `'`.
/// Also safe as text content.
pub fn html_attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, quotes: bool) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' if quotes => o.push_str("&quot;"),
            '\'' if quotes => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// Escapes a Markdown table cell: `|` becomes `\|` (it would end the cell) and line breaks become
/// spaces (they would end the row). Everything else, inline code included, is left as Markdown.
pub fn md_cell(s: &str) -> String {
    if !s.contains(['|', '\n', '\r']) {
        return s.to_string();
    }
    let mut o = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match c {
            '|' => o.push_str("\\|"),
            '\r' => {}
            '\n' => o.push(' '),
            _ => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    #[test]
    fn push_i64_writes_what_display_writes() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut vals = vec![0i64, 1, -1, 9, 10, -10, 99, 100, i64::MAX, i64::MIN, i64::MIN + 1];
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Every magnitude, both signs.
            vals.push((seed as i64) >> (seed % 64));
        }
        for v in vals {
            let mut s = String::from("x");
            super::push_i64(&mut s, v);
            assert_eq!(s, format!("x{v}"));
        }
    }

    use super::*;

    #[test]
    fn round_is_half_away_from_zero_without_negative_zero() {
        assert_eq!(round(0.125, 2), 0.13);
        assert_eq!(round(-2.5, 0), -3.0);
        assert_eq!(round(-0.00001, 2).to_string(), "0");
    }

    #[test]
    fn fixed_rounds_before_printing() {
        // `format!("{:.2}", 0.125)` alone prints 0.12 (ties to even): the outputs use `round`.
        assert_eq!(fixed(Some(0.125), 2), "0.13");
        assert_eq!(fixed(Some(3.0), 1), "3.0");
        assert_eq!(fixed(None, 1), MISSING);
    }

    #[test]
    fn pct_uses_the_rounded_share() {
        assert_eq!(pct(Some(0.5)), "50.0%");
        assert_eq!(pct(Some(0.123449)), "12.3%");
        assert_eq!(pct(Some(1.0)), "100.0%");
        assert_eq!(pct(None), "–");
    }

    #[test]
    fn json_num_is_null_when_absent_or_not_finite() {
        assert_eq!(json_num(Some(1.23456), 2), serde_json::json!(1.23));
        assert!(json_num(Some(f64::NAN), 2).is_null());
        assert!(json_num(None, 2).is_null());
    }

    #[test]
    fn escaping_is_named_for_what_it_escapes() {
        let s = r#"A & <b> "q" 'a'"#;
        assert_eq!(html_text(s), r#"A &amp; &lt;b&gt; "q" 'a'"#);
        assert_eq!(html_attr(s), "A &amp; &lt;b&gt; &quot;q&quot; &#39;a&#39;");
        assert_eq!(md_cell("a | b\nc `x`"), "a \\| b c `x`");
        assert_eq!(md_cell("plain"), "plain");
    }
}
