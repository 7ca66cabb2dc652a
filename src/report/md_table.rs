//! Markdown (GFM) tables for `report.md`: columns with a heading and an alignment, rows of cells,
//! rendered as `| a | b |` lines under a `|---|---:|` rule. Every cell is escaped with
//! [`md_cell`] (a `|` in a community name cannot split a row); Markdown inside a cell (inline
//! code, bold) is kept.
//!
//! Glossary: **rule** — the second line, one `---` (left) or `---:` (right-aligned, numbers) per
//! column.

use super::format::md_cell;

/// How a column's cells are aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    /// Numbers.
    Right,
}

/// A table being built: columns first, then rows.
#[derive(Clone, Debug, Default)]
pub struct MdTable {
    head: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl MdTable {
    pub fn new() -> MdTable {
        MdTable::default()
    }

    /// Adds a column.
    pub fn column(mut self, head: impl Into<String>, align: Align) -> MdTable {
        self.head.push(head.into());
        self.align.push(align);
        self
    }

    /// Adds a column in place (for columns that depend on the data).
    pub fn push_column(&mut self, head: impl Into<String>, align: Align) {
        self.head.push(head.into());
        self.align.push(align);
    }

    /// Adds a row: one cell per column.
    pub fn row(&mut self, cells: Vec<String>) {
        assert_eq!(cells.len(), self.head.len(), "one cell per column");
        self.rows.push(cells);
    }

    /// Number of rows added.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table, every line ended by `\n`.
    pub fn render(&self) -> String {
        let mut s = String::new();
        line(&mut s, &self.head);
        s.push('|');
        for a in &self.align {
            s.push_str(match a {
                Align::Left => "---|",
                Align::Right => "---:|",
            });
        }
        s.push('\n');
        for r in &self.rows {
            line(&mut s, r);
        }
        s
    }
}

fn line(s: &mut String, cells: &[String]) {
    s.push('|');
    for c in cells {
        s.push(' ');
        s.push_str(&md_cell(c));
        s.push_str(" |");
    }
    s.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_heading_rule_and_escaped_rows() {
        let mut t = MdTable::new().column("name", Align::Left).column("n", Align::Right);
        t.row(vec!["a|b `x`".into(), "1".into()]);
        t.row(vec!["c".into(), "22".into()]);
        assert_eq!(t.render(), "| name | n |\n|---|---:|\n| a\\|b `x` | 1 |\n| c | 22 |\n");
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn empty_table_has_heading_and_rule() {
        let t = MdTable::new().column("x", Align::Left);
        assert_eq!(t.render(), "| x |\n|---|\n");
        assert!(t.is_empty());
    }

    #[test]
    #[should_panic(expected = "one cell per column")]
    fn a_row_of_the_wrong_width_is_a_bug() {
        MdTable::new().column("x", Align::Left).row(vec![]);
    }
}
