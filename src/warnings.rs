//! The warnings of a run, collected by kind: the one mechanism every stage uses to warn.
//!
//! A warning about one thing is a line of its own ([`Warnings::push`]); a warning that can repeat
//! (one per community, row or facility) is added under a kind ([`Warnings::add`]) and folded into
//! one line with the count and the first [`EXAMPLES`] examples, e.g. `communities with zero
//! population: 103 (c1 "Arenales", c2 "Vegueta", c3 "Triana", … and 100 more)`. The folded lines,
//! in the order their kinds first occurred, are what `summary.json`, the reports and stderr show.
//! They are written in English; a Chinese run shows them through `crate::zh_text` (every kind and
//! warning text has a pattern there, which a test checks against the sources).

/// How many examples a folded line names.
pub const EXAMPLES: usize = 3;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Warnings {
    /// `(kind, items)`; `kind` is `None` for single-line warnings.
    entries: Vec<(Option<String>, Vec<String>)>,
}

impl Warnings {
    pub fn new() -> Warnings {
        Warnings::default()
    }

    /// A warning of its own. The same text pushed again is folded with a count.
    pub fn push(&mut self, msg: impl Into<String>) {
        let msg = msg.into();
        if let Some(e) = self.entries.iter_mut().find(|e| e.0.is_none() && e.1[0] == msg) {
            e.1.push(msg);
        } else {
            self.entries.push((None, vec![msg]));
        }
    }

    /// Several warnings of their own.
    pub fn extend(&mut self, msgs: impl IntoIterator<Item = String>) {
        for m in msgs {
            self.push(m);
        }
    }

    /// One occurrence of a repeatable warning: `kind` says what is wrong (`communities with zero
    /// population`), `item` which thing it is about.
    pub fn add(&mut self, kind: &str, item: impl Into<String>) {
        let item = item.into();
        match self.entries.iter_mut().find(|e| e.0.as_deref() == Some(kind)) {
            Some(e) => e.1.push(item),
            None => self.entries.push((Some(kind.to_string()), vec![item])),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The folded lines, one per kind (or per distinct single warning).
    pub fn lines(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|(kind, items)| match kind {
                None if items.len() == 1 => items[0].clone(),
                None => format!("{} (×{})", items[0], items.len()),
                Some(k) if items.len() == 1 => format!("{k}: {}", items[0]),
                Some(k) => {
                    let shown: Vec<&str> = items.iter().take(EXAMPLES).map(String::as_str).collect();
                    let more = items.len().saturating_sub(EXAMPLES);
                    let tail = if more > 0 { format!(", … and {more} more") } else { String::new() };
                    format!("{k}: {} ({}{tail})", items.len(), shown.join(", "))
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_kinds_fold_into_one_line_with_count_and_examples() {
        let mut w = Warnings::new();
        w.push("alone");
        for i in 0..103 {
            w.add("communities with zero population", format!("c{i}"));
        }
        w.push("alone");
        w.add("one kind, once", "x");
        assert_eq!(
            w.lines(),
            vec![
                "alone (×2)".to_string(),
                "communities with zero population: 103 (c0, c1, c2, … and 100 more)".to_string(),
                "one kind, once: x".to_string(),
            ]
        );
        let mut two = Warnings::new();
        two.add("k", "a");
        two.add("k", "b");
        assert_eq!(two.lines(), vec!["k: 2 (a, b)".to_string()]);
        assert!(Warnings::new().lines().is_empty());
    }
}
