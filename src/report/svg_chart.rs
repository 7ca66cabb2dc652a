//! Inline SVG charts for `report.html`, drawn in Rust so the report needs no charting library:
//! horizontal bars (coverage per category) and histograms (residents by walking minutes).
//!
//! Output is deterministic text (fixed decimals) and scales with the page (`viewBox`, width 100 %).

use std::fmt::Write;

use crate::report::format::{html_attr, html_text, pct};

/// One bar: a share in `0..=1` (`None` = no data), an optional target share drawn as a tick.
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub color: String,
}

const W: f64 = 720.0;
const LABEL_W: f64 = 250.0;
const VALUE_W: f64 = 60.0;

/// Horizontal bar chart of shares (0–100 %), one row per bar, with target ticks.
pub fn hbars(title: &str, bars: &[Bar], no_data: &str, target_label: &str) -> String {
    let row = 22.0;
    let top = 28.0;
    let h = top + row * bars.len() as f64 + 26.0;
    let plot_w = W - LABEL_W - VALUE_W;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="c15-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" role="img" aria-label="{}"><title>{}</title>"#,
        html_attr(title),
        html_text(title)
    );
    let _ = write!(s, r#"<text x="0" y="16" class="c15-chart-title">{}</text>"#, html_text(title));
    // Grid at 0, 25, 50, 75, 100 %.
    for k in 0..=4 {
        let x = LABEL_W + plot_w * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{:.1}" stroke="#ddd"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" class="c15-tick">{}%</text>"##,
            h - 22.0,
            h - 8.0,
            k * 25
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" class="c15-label">{}</text>"#,
            LABEL_W - 6.0,
            y + 15.0,
            html_text(&b.label)
        );
        match b.value {
            Some(v) => {
                let v = v.clamp(0.0, 1.0);
                let _ = write!(
                    s,
                    r#"<rect x="{LABEL_W}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}" class="c15-value">{}</text>"#,
                    y + 3.0,
                    plot_w * v,
                    row - 6.0,
                    html_attr(&b.color),
                    html_text(&b.label),
                    pct(Some(v)),
                    LABEL_W + plot_w + 6.0,
                    y + 15.0,
                    pct(Some(v))
                );
            }
            None => {
                let _ = write!(
                    s,
                    r#"<text x="{:.1}" y="{:.1}" class="c15-value c15-nodata">{}</text>"#,
                    LABEL_W + 4.0,
                    y + 15.0,
                    html_text(no_data)
                );
            }
        }
        if let Some(t) = b.target {
            let x = LABEL_W + plot_w * t.clamp(0.0, 1.0);
            let _ = write!(
                s,
                r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#000" stroke-width="2"><title>{}: {:.0}%</title></line>"##,
                y + 1.0,
                y + row - 1.0,
                html_text(target_label),
                100.0 * t
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Labels of a histogram.
#[derive(Clone, Debug)]
pub struct HistLabels<'a> {
    pub title: &'a str,
    /// Axis unit, e.g. "min".
    pub unit: &'a str,
    pub threshold: &'a str,
    pub beyond: &'a str,
    pub residents: &'a str,
}

/// Histogram of residents by walking minutes: one bar per `bin_min` minutes from 0, coloured by
/// whether it lies within `threshold_min`, plus a last bar for residents beyond the search cap.
pub fn histogram(bins: &[f64], bin_min: f64, threshold_min: f64, beyond: f64, l: &HistLabels) -> String {
    let h = 230.0;
    let (left, right, top, bottom) = (70.0, 20.0, 30.0, 40.0);
    let n = bins.len() + 1; // + beyond
    let plot_w = W - left - right;
    let plot_h = h - top - bottom;
    let gap = 8.0; // between the bins and the beyond bar
    let bw = (plot_w - gap) / n as f64;
    let max = bins.iter().copied().fold(beyond, f64::max).max(1.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="c15-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" role="img" aria-label="{}"><title>{t}</title><text x="0" y="16" class="c15-chart-title">{t}</text>"#,
        html_attr(l.title),
        t = html_text(l.title)
    );
    // Y axis: 0, half, max.
    for k in 0..=2 {
        let v = max * k as f64 / 2.0;
        let y = top + plot_h * (1.0 - k as f64 / 2.0);
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="c15-tick">{:.0}</text>"##,
            W - right,
            left - 4.0,
            y + 4.0,
            v
        );
    }
    let _ = write!(
        s,
        r#"<text x="12" y="{:.1}" transform="rotate(-90 12 {:.1})" text-anchor="middle" class="c15-tick">{}</text>"#,
        top + plot_h / 2.0,
        top + plot_h / 2.0,
        html_text(l.residents)
    );
    for (i, &v) in bins.iter().enumerate() {
        let x = left + bw * i as f64;
        let bh = plot_h * v / max;
        let from = bin_min * i as f64;
        let within = from + bin_min <= threshold_min + 1e-9;
        let fill = if within { "#1a9850" } else { "#f46d43" };
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}"><title>{:.0}–{:.0} {}: {:.0}</title></rect>"#,
            x + 0.5,
            top + plot_h - bh,
            (bw - 1.0).max(0.5),
            bh,
            from,
            from + bin_min,
            html_text(l.unit),
            v
        );
    }
    // Beyond the cap.
    let x = left + bw * bins.len() as f64 + gap;
    let bh = plot_h * beyond / max;
    let _ = write!(
        s,
        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#a50026"><title>{}: {:.0}</title></rect><text x="{:.1}" y="{:.1}" text-anchor="middle" class="c15-tick">&gt;</text>"##,
        x + 0.5,
        top + plot_h - bh,
        (bw - 1.0).max(0.5),
        bh,
        html_text(l.beyond),
        beyond,
        x + bw / 2.0,
        h - bottom + 14.0
    );
    // X ticks every 5 minutes (or every bin when there are few).
    let step = if bins.len() > 12 { 5 } else { 1 };
    let mut m = 0;
    while m <= bins.len() {
        let x = left + bw * m as f64;
        let _ = write!(
            s,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle" class="c15-tick">{:.0}</text>"#,
            h - bottom + 14.0,
            m as f64 * bin_min
        );
        m += step;
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="c15-tick">{}</text>"#,
        left + plot_w / 2.0,
        h - 6.0,
        html_text(l.unit)
    );
    // Threshold line.
    let tx = left + bw * (threshold_min / bin_min);
    let _ = write!(
        s,
        r##"<line x1="{tx:.1}" y1="{:.1}" x2="{tx:.1}" y2="{:.1}" stroke="#000" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" class="c15-tick">{} {:.0} {}</text>"##,
        top - 4.0,
        top + plot_h,
        tx + 4.0,
        top + 8.0,
        html_text(l.threshold),
        threshold_min,
        html_text(l.unit)
    );
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_have_one_rect_per_value_and_escape_labels() {
        let bars = vec![
            Bar { label: "A & <B>".into(), value: Some(0.5), target: Some(0.8), color: "#123456".into() },
            Bar { label: "C".into(), value: None, target: None, color: "#000".into() },
        ];
        let s = hbars("Coverage", &bars, "no data", "target");
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert_eq!(s.matches("<rect").count(), 1);
        assert!(s.contains("A &amp; &lt;B&gt;") && !s.contains("<B>"));
        assert!(s.contains("50.0%") && s.contains("no data"));
        // 50 % of the plot width.
        assert!(s.contains(&format!(r#"width="{:.1}""#, (W - LABEL_W - VALUE_W) / 2.0)));
    }

    #[test]
    fn histogram_colours_bins_by_threshold() {
        let l =
            HistLabels { title: "t", unit: "min", threshold: "threshold", beyond: "beyond", residents: "residents" };
        let s = histogram(&[1.0, 2.0, 3.0, 4.0], 1.0, 2.0, 5.0, &l);
        assert_eq!(s.matches("#1a9850").count(), 2);
        assert_eq!(s.matches("#f46d43").count(), 2);
        assert_eq!(s.matches("#a50026").count(), 1);
        assert_eq!(histogram(&[], 1.0, 2.0, 0.0, &l).matches("<rect").count(), 1);
    }
}
