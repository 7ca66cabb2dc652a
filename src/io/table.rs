//! io::table owns reading a user's attribute table, CSV or spreadsheet, into header names and
//! rows of cell text, so the facility and census readers parse one shape whatever the format.
//!
//! Glossary:
//! - **CSV**: UTF-8 or GBK/GB18030 text ([`super::text_encoding`]), `,` `;` or tab separated
//!   ([`super::number::sniff_csv`]); row N is the N-th data row (the header is row 0).
//! - **spreadsheet**: `.xlsx` (also `.xlsm`, `.xls`, `.ods`), read with `calamine`: the sheet
//!   named by `--sheet`, else the first. The first non-empty row is the header; empty rows are
//!   skipped; a row is named as Excel shows it (`sheet "托育", row 7`). Numeric cells become text
//!   as typed: a whole number stored as a float (`120.0`) is `120`, others the shortest decimal
//!   that reads back to the same float.

use std::path::Path;

use calamine::{Data, Reader};

use super::number::{NumberFormat, sniff_csv};
use super::text_encoding::decode_text;
use crate::error::{Error, Result};

/// One data row.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    /// 1-based data row number: for CSV the record index after the header, for a spreadsheet
    /// the Excel row minus the header's Excel row.
    pub row: usize,
    /// Where the row is, for messages: `row 3`, `sheet "Sheet1", row 4`.
    pub place: String,
    /// Cell text, trimmed, one per header column.
    pub cells: Vec<String>,
}

/// A table: lower-cased, trimmed header names and the data rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
    /// How numbers in cells are written (CSV decimal comma or point; spreadsheets plain).
    pub fmt: NumberFormat,
}

/// Whether the path names a spreadsheet (by extension).
pub fn is_spreadsheet(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
}

/// Reads a CSV or spreadsheet table.
pub fn read_table(path: &Path, sheet: Option<&str>) -> Result<Table> {
    if is_spreadsheet(path) {
        return read_sheet(path, sheet);
    }
    let bytes = std::fs::read(path).map_err(|e| Error::Io { path: path.to_path_buf(), cause: e })?;
    let (text, _) = decode_text(&bytes).map_err(|m| Error::input(path, "file", m))?;
    csv_table(path, &text)
}

/// A CSV table of decoded text; `path` names it in errors.
pub fn csv_table(path: &Path, text: &str) -> Result<Table> {
    let (delimiter, fmt) = sniff_csv(text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| Error::input(path, "header", format!("invalid CSV: {e}")))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 1;
        let place = format!("row {row}");
        let rec = rec.map_err(|e| Error::input(path, place.clone(), format!("invalid CSV: {e}")))?;
        rows.push(TableRow { row, place, cells: rec.iter().map(str::to_string).collect() });
    }
    Ok(Table { headers, rows, fmt })
}

/// A cell as text; `Err` for an error cell (`#DIV/0!`).
fn cell_text(d: &Data) -> std::result::Result<String, String> {
    Ok(match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(t) => format!("{}", t.as_f64()),
        Data::Error(e) => return Err(format!("error cell {e}")),
    })
}

/// Excel's column letters of a 0-based column index (0 → A, 27 → AB).
fn column_letters(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn read_sheet(path: &Path, sheet: Option<&str>) -> Result<Table> {
    let mut wb = calamine::open_workbook_auto(path)
        .map_err(|e| Error::input(path, "file", format!("not a readable spreadsheet: {e}")))?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => {
            return Err(Error::input(path, "file", format!("no sheet {s:?}; its sheets: {}", names.join(", "))));
        }
        None => names.first().cloned().ok_or_else(|| Error::input(path, "file", "the workbook has no sheets"))?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| Error::input(path, format!("sheet {name:?}"), format!("cannot read: {e}")))?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut headers: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    for (k, cells) in range.rows().enumerate() {
        let excel_row = row0 as usize + k + 1;
        let mut text = Vec::with_capacity(cells.len());
        for (c, d) in cells.iter().enumerate() {
            let col = column_letters(col0 as usize + c);
            text.push(
                cell_text(d)
                    .map_err(|m| Error::input(path, format!("sheet {name:?}, row {excel_row}, column {col}"), m))?,
            );
        }
        if text.iter().all(String::is_empty) {
            continue;
        }
        match &headers {
            None => headers = Some((excel_row, text.iter().map(|h| h.to_lowercase()).collect())),
            Some((header_row, _)) => rows.push(TableRow {
                row: excel_row - header_row,
                place: format!("sheet {name:?}, row {excel_row}"),
                cells: text,
            }),
        }
    }
    let (_, headers) =
        headers.ok_or_else(|| Error::input(path, format!("sheet {name:?}"), "the sheet is empty (no header row)"))?;
    Ok(Table { headers, rows, fmt: NumberFormat::Plain })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_cells() {
        assert_eq!(
            [0, 25, 26, 27, 51, 52, 701, 702].map(column_letters),
            ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"].map(String::from)
        );
        assert_eq!(cell_text(&Data::Float(120.0)).unwrap(), "120");
        assert_eq!(cell_text(&Data::Float(120.123456789)).unwrap(), "120.123456789");
        assert_eq!(cell_text(&Data::Float(-0.5)).unwrap(), "-0.5");
        assert_eq!(cell_text(&Data::Int(7)).unwrap(), "7");
        assert_eq!(cell_text(&Data::String(" 幼儿园 ".into())).unwrap(), "幼儿园");
        assert!(cell_text(&Data::Error(calamine::CellErrorType::Div0)).unwrap_err().contains("#DIV/0!"));
    }

    #[test]
    fn csv_rows_are_numbered_after_the_header() {
        let t = csv_table(Path::new("t.csv"), "名称,人口\n甲,1\n乙,2\n").unwrap();
        assert_eq!(t.headers, ["名称", "人口"]);
        assert_eq!((t.rows[1].row, t.rows[1].place.as_str(), t.rows[1].cells[0].as_str()), (2, "row 2", "乙"));
    }
}
