//! Raster maps for printed reports (`--png`): each category's SVG map of [`svg_map`] rendered to
//! a PNG in pure Rust (usvg parses, resvg/tiny-skia paints; no C library, no system tool).
//!
//! Owns the rendering scale, the PNG encoding and the choice of fonts for the map's words.
//!
//! Glossary:
//! - **scale**: PNG pixels per SVG unit ([`SCALE`] = 2: the 1,000-unit-wide SVG becomes a
//!   2,000 px wide image; stored as 300 dpi in the `pHYs` chunk, i.e. 16.9 cm wide in print).
//! - **embedded font**: DejaVu Sans 2.37 (Bitstream Vera licence with public-domain DejaVu
//!   changes; `dejavu` crate, licence text in its `assets/dejavu-fonts-ttf-2.37/LICENSE`),
//!   compiled into the binary, so Latin, Greek and Cyrillic labels render identically on a
//!   laptop or a bare CI container without fonts.
//! - **missing glyphs**: characters of the map's words that DejaVu Sans lacks (the Chinese labels
//!   of `--lang zh`). Only then are the system fonts scanned (fontdb: fontconfig's directories),
//!   and usvg falls back to the first system font that has each character. Characters no font
//!   has are left out of the picture (a gap in the title) and [`FontReport::missing`] names
//!   them, so the caller can warn (install e.g. Debian's `fonts-noto-cjk`). With system fonts in
//!   play the pixels depend on the machine's fonts; with the embedded font alone they do not.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use skrifa::{FontRef, MetadataProvider};

use super::svg_map;
use crate::model::Analysis;

/// PNG pixels per SVG unit.
pub const SCALE: f32 = 2.0;

/// Print resolution stored in the PNG (`pHYs`), dots per inch.
pub const DPI: f64 = 300.0;

/// Family name of the embedded font.
pub const EMBEDDED_FAMILY: &str = "DejaVu Sans";

/// Which fonts drew the words of the maps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FontReport {
    /// Characters the embedded font lacks (system fonts were then searched).
    pub not_embedded: Vec<char>,
    /// Characters no available font has: left out of the images.
    pub missing: Vec<char>,
}

/// `(category id, png bytes)` per category, in profile order.
pub type CategoryPngs = Vec<(String, Vec<u8>)>;

/// The maps as PNG, and the font report.
pub fn category_pngs(a: &Analysis) -> Result<(CategoryPngs, FontReport), String> {
    category_pngs_with(a, None)
}

/// [`category_pngs`] with the district outline (`--clip`) drawn.
pub fn category_pngs_with(
    a: &Analysis,
    district: Option<&crate::geom::MultiPolygon>,
) -> Result<(CategoryPngs, FontReport), String> {
    let svgs = svg_map::category_maps_with(a, district);
    let mut chars = BTreeSet::new();
    for (_, svg) in &svgs {
        chars.extend(text_chars(&String::from_utf8_lossy(svg)));
    }
    let (db, report) = font_database(&chars, true);
    let mut opt = usvg::Options { font_family: EMBEDDED_FAMILY.into(), ..usvg::Options::default() };
    opt.fontdb = Arc::new(db);
    let pngs = svgs
        .par_iter()
        .map(|(cat, svg)| render(svg, &opt).map(|png| (cat.clone(), png)).map_err(|e| format!("map of {cat}: {e}")))
        .collect::<Result<Vec<_>, String>>()?;
    Ok((pngs, report))
}

/// Renders one SVG to PNG bytes at [`SCALE`] (opaque RGB, 8 bits, `pHYs` = [`DPI`]).
pub fn render(svg: &[u8], opt: &usvg::Options<'_>) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_data(svg, opt).map_err(|e| e.to_string())?;
    let size = tree.size();
    let (w, h) = ((size.width() * SCALE).round() as u32, (size.height() * SCALE).round() as u32);
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or_else(|| format!("empty image {w}×{h}"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(SCALE, SCALE), &mut pixmap.as_mut());
    // Opaque white background: premultiplied RGB is the colour itself; alpha is dropped.
    let rgb: Vec<u8> = pixmap.pixels().iter().flat_map(|p| [p.red(), p.green(), p.blue()]).collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let ppm = (DPI / 0.0254).round() as u32;
    enc.set_pixel_dims(Some(png::PixelDimensions { xppu: ppm, yppu: ppm, unit: png::Unit::Meter }));
    let mut wr = enc.write_header().map_err(|e| e.to_string())?;
    wr.write_image_data(&rgb).map_err(|e| e.to_string())?;
    wr.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// The characters inside the `<text>` elements of an SVG (entities `&amp;` `&lt;` `&gt;`
/// decoded), without whitespace.
pub fn text_chars(svg: &str) -> BTreeSet<char> {
    let mut out = BTreeSet::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        rest = &rest[i..];
        let Some(open_end) = rest.find('>') else { break };
        let Some(close) = rest.find("</text>") else { break };
        if open_end < close {
            let body = rest[open_end + 1..close].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            out.extend(body.chars().filter(|c| !c.is_whitespace()));
        }
        rest = &rest[close + 7..];
    }
    out
}

/// The font database for words made of `chars`: the embedded font, plus the system fonts when
/// the embedded one lacks a character and `system` is set.
pub fn font_database(chars: &BTreeSet<char>, system: bool) -> (usvg::fontdb::Database, FontReport) {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(dejavu::sans::regular().to_vec());
    let not_embedded: Vec<char> = chars.iter().copied().filter(|&c| !db_has(&db, c)).collect();
    let mut report = FontReport::default();
    if !not_embedded.is_empty() {
        if system {
            db.load_system_fonts();
        }
        report.missing = not_embedded.iter().copied().filter(|&c| !db_has(&db, c)).collect();
        report.not_embedded = not_embedded;
    }
    // After the system fonts, whose fontconfig aliases may name families that are not installed:
    // generic families resolve to the embedded font, and usvg's per-character fallback finds
    // the system fonts for what it lacks.
    for set in [
        usvg::fontdb::Database::set_sans_serif_family,
        usvg::fontdb::Database::set_serif_family,
        usvg::fontdb::Database::set_monospace_family,
    ] {
        set(&mut db, EMBEDDED_FAMILY);
    }
    (db, report)
}

/// Whether some face of `db` maps `c` to a glyph.
fn db_has(db: &usvg::fontdb::Database, c: char) -> bool {
    db.faces().any(|f| {
        db.with_face_data(f.id, |data, index| {
            FontRef::from_index(data, index).is_ok_and(|font| font.charmap().map(c).is_some())
        })
        .unwrap_or(false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_chars_reads_text_elements_only() {
        let svg = r#"<svg><title>Zz</title><text x="1" font-size="2">A &amp; b</text><path d="M0,0"/><text>设施</text></svg>"#;
        let got: String = text_chars(svg).into_iter().collect();
        assert_eq!(got, "&Ab施设", "sorted by code point");
    }

    #[test]
    fn embedded_font_covers_latin_and_reports_cjk() {
        let chars: BTreeSet<char> = "Childcare: 93.1% © OpenStreetMap–".chars().filter(|c| *c != ' ').collect();
        let (_, r) = font_database(&chars, false);
        assert_eq!(r, FontReport::default());
        let chars: BTreeSet<char> = "托育A".chars().collect();
        let (_, r) = font_database(&chars, false);
        assert_eq!(r.not_embedded, vec!['托', '育']);
        assert_eq!(r.missing, vec!['托', '育']);
    }
}
