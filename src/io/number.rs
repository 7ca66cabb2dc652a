//! Numbers as spreadsheets write them in different locales, read exactly or refused with the
//! format named — never read as a different number.
//!
//! The rules (README, "Tables"):
//! - A CSV's delimiter is taken from its header line: `,`, `;` or tab, whichever occurs most. A
//!   `;`-separated table is in the *decimal-comma* format of continental-European Excel:
//!   `1.234,5` is 1234.5; tab-separated and `,`-separated tables are *plain*.
//! - In a `,`-separated table (and in GeoJSON strings) numbers are *plain*: `1234.5`; a count may
//!   group thousands with commas or spaces (`12,345`, `12 345`); `1.234.567` (several dot groups)
//!   is read as 1234567.
//! - A count written `1.008` (one dot, three digits) is refused: 1,008 residents with a thousands
//!   dot, or 1.008 residents? A decimal comma in a plain table (`1,5`) is refused too.
//! - Coordinates never group thousands: `28,1234` is a decimal comma where the table is
//!   decimal-comma, and a dot is a decimal point everywhere.

/// How a table writes numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberFormat {
    /// `1234.5`, thousands grouped with `,` or spaces.
    Plain,
    /// `1.234,5` (a `;`-separated table).
    DecimalComma,
}

impl NumberFormat {
    pub fn describe(self) -> &'static str {
        match self {
            NumberFormat::Plain => "decimal point",
            NumberFormat::DecimalComma => "decimal comma (1.234,5)",
        }
    }
}

/// The delimiter of a CSV text (`,`, `;` or tab: whichever occurs most in its first line) and the
/// number format that goes with it.
pub fn sniff_csv(text: &str) -> (u8, NumberFormat) {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let (comma, semi, tab) = (count(','), count(';'), count('\t'));
    if semi > comma && semi >= tab {
        (b';', NumberFormat::DecimalComma)
    } else if tab > comma && tab > semi {
        (b'\t', NumberFormat::Plain)
    } else {
        (b',', NumberFormat::Plain)
    }
}

/// One line naming a CSV table's dialect when it is not the plain one (a `;`-separated table read
/// with decimal commas), so the reader of the report sees how its numbers were read. Reads only the
/// header line (`;` and `,` are the same byte in UTF-8 and GBK). `None` for GeoJSON and plain CSV.
pub fn csv_dialect_note(path: &std::path::Path) -> Option<String> {
    use std::io::{BufRead, Read};
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if ext == "geojson" || ext == "json" || super::table::is_spreadsheet(path) {
        return None;
    }
    let mut line = Vec::new();
    let f = std::fs::File::open(path).ok()?;
    std::io::BufReader::new(f).take(1 << 16).read_until(b'\n', &mut line).ok()?;
    let (delimiter, fmt) = sniff_csv(&String::from_utf8_lossy(&line));
    (fmt != NumberFormat::Plain).then(|| {
        format!(
            "{}: read as a '{}'-separated table with {} numbers (a European spreadsheet export); check a few values",
            path.display(),
            delimiter as char,
            fmt.describe()
        )
    })
}

fn groups_of_three(s: &str, sep: char) -> bool {
    let mut parts = s.split(sep);
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest.iter().all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn finite(v: &str, s: &str) -> Result<f64, String> {
    v.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| format!("{s:?} is not a number"))
}

/// A decimal such as a coordinate (no thousands grouping).
pub fn parse_decimal(s: &str, fmt: NumberFormat) -> Result<f64, String> {
    let t = s.trim();
    match fmt {
        NumberFormat::DecimalComma if t.contains(',') && t.contains('.') => {
            Err(format!("{s:?} mixes a decimal comma and a dot; write one decimal separator"))
        }
        NumberFormat::DecimalComma => finite(&t.replace(',', "."), s),
        NumberFormat::Plain if t.contains(',') => {
            Err(format!("{s:?} has a decimal comma; write {} in this comma-separated table", t.replace(',', ".")))
        }
        NumberFormat::Plain => finite(t, s),
    }
}

/// A count (residents, places, beds), thousands grouping allowed as the format says.
pub fn parse_count(s: &str, fmt: NumberFormat) -> Result<f64, String> {
    let t: String = s.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'')).collect();
    let t = t.replace('，', ",");
    let (int, frac) = match fmt {
        NumberFormat::DecimalComma => match t.split_once(',') {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (t.clone(), None),
        },
        NumberFormat::Plain => {
            if t.contains(',') {
                let (i, f) = t.split_once('.').map_or((t.as_str(), None), |(i, f)| (i, Some(f)));
                if !groups_of_three(i, ',') {
                    return Err(format!(
                        "{s:?} has a decimal comma (or misplaced thousands commas); write {} with a decimal point",
                        t.replace(',', ".")
                    ));
                }
                (i.replace(',', ""), f.map(str::to_string))
            } else if groups_of_three(&t, '.') && !t.starts_with('0') {
                if t.matches('.').count() == 1 {
                    return Err(format!(
                        "{s:?} is ambiguous: {} written with a thousands dot, or {s} with a decimal point? write the \
                         count as plain digits ({})",
                        t.replace('.', ""),
                        t.replace('.', "")
                    ));
                }
                (t.replace('.', ""), None)
            } else {
                (t.clone(), None)
            }
        }
    };
    let int = match fmt {
        NumberFormat::DecimalComma if int.contains('.') => {
            if !groups_of_three(&int, '.') {
                return Err(format!(
                    "{s:?} is not a number of this decimal-comma table (dots group thousands: 1.234,5)"
                ));
            }
            int.replace('.', "")
        }
        _ => int,
    };
    let v = match frac {
        Some(f) => format!("{int}.{f}"),
        None => int,
    };
    let x = finite(&v, s)?;
    if x < 0.0 {
        return Err(format!("{s:?} is negative"));
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumberFormat::*;

    #[test]
    fn counts_are_read_exactly_or_refused_with_the_format_named() {
        for (s, want) in [
            ("1008", 1008.0),
            ("12,345", 12345.0),
            ("12 345", 12345.0),
            ("1.234.567", 1234567.0),
            ("12.5", 12.5),
            ("0.125", 0.125),
            ("1,234.5", 1234.5),
        ] {
            assert_eq!(parse_count(s, Plain), Ok(want), "{s}");
        }
        let e = parse_count("1.008", Plain).unwrap_err();
        assert!(e.contains("ambiguous") && e.contains("1008"), "{e}");
        assert!(parse_count("1,5", Plain).unwrap_err().contains("decimal comma"));
        assert!(parse_count("-3", Plain).unwrap_err().contains("negative"));
        for (s, want) in [("1.008", 1008.0), ("1.234,5", 1234.5), ("12,5", 12.5), ("800", 800.0)] {
            assert_eq!(parse_count(s, DecimalComma), Ok(want), "{s}");
        }
        assert!(parse_count("12.5", DecimalComma).is_err());
    }

    #[test]
    fn decimals_and_delimiters() {
        assert_eq!(parse_decimal("28,1234", DecimalComma), Ok(28.1234));
        assert_eq!(parse_decimal("-15.43", DecimalComma), Ok(-15.43));
        assert_eq!(parse_decimal("-15.43", Plain), Ok(-15.43));
        assert!(parse_decimal("28,1", Plain).unwrap_err().contains("decimal comma"));
        assert_eq!(sniff_csv("category;name;lon;lat\n"), (b';', DecimalComma));
        assert_eq!(sniff_csv("category,name,lon,lat\n"), (b',', Plain));
        assert_eq!(sniff_csv("category\tname\tlon\n"), (b'\t', Plain));
        assert_eq!(sniff_csv("name,note\n"), (b',', Plain));
    }
}
