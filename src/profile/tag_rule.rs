//! Tag rules: the small language the profile uses to select OSM objects.
//!
//! A rule is a conjunction of clauses joined by `+`; a clause is `key=v1|v2` (any of the values),
//! `key=*` or `key` (any value), or `!key=v` (must not have that value). Values are compared
//! literally, so `isced:level=1;2` matches that exact string.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    pub key: String,
    /// `None` = any value.
    pub values: Option<Vec<String>>,
    pub negated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagRule {
    pub clauses: Vec<Clause>,
}

impl TagRule {
    pub fn parse(s: &str) -> Result<TagRule, String> {
        let mut clauses = Vec::new();
        for part in s.split('+') {
            let part = part.trim();
            if part.is_empty() {
                return Err(format!("tag rule {s:?}: empty clause"));
            }
            let (negated, part) = match part.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, part),
            };
            let (key, values) = match part.split_once('=') {
                Some((k, "*")) => (k, None),
                Some((k, v)) => {
                    let vals: Vec<String> = v.split('|').map(|x| x.trim().to_string()).collect();
                    if vals.iter().any(|x| x.is_empty()) {
                        return Err(format!("tag rule {s:?}: empty value in {part:?}"));
                    }
                    (k, Some(vals))
                }
                None => (part, None),
            };
            let key = key.trim();
            if key.is_empty() {
                return Err(format!("tag rule {s:?}: empty key"));
            }
            if negated && values.is_none() {
                // `!key` means: the key is absent.
            }
            clauses.push(Clause { key: key.to_string(), values, negated });
        }
        Ok(TagRule { clauses })
    }

    /// Whether the tags (looked up by `get`) satisfy every clause.
    pub fn matches<'a>(&self, get: impl Fn(&str) -> Option<&'a str>) -> bool {
        self.clauses.iter().all(|c| {
            let hit = match (get(&c.key), &c.values) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(v), Some(vals)) => vals.iter().any(|x| x == v),
            };
            hit != c.negated
        })
    }
}

impl fmt::Display for TagRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.clauses.iter().enumerate() {
            if i > 0 {
                f.write_str("+")?;
            }
            if c.negated {
                f.write_str("!")?;
            }
            match &c.values {
                None => write!(f, "{}", c.key)?,
                Some(v) => write!(f, "{}={}", c.key, v.join("|"))?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags<'a>(t: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> {
        move |k| t.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v)
    }

    #[test]
    fn conjunction_alternatives_and_negation() {
        let r = TagRule::parse("amenity=kindergarten+nursery=yes").unwrap();
        assert!(r.matches(tags(&[("amenity", "kindergarten"), ("nursery", "yes")])));
        assert!(!r.matches(tags(&[("amenity", "kindergarten")])));
        let r = TagRule::parse("amenity=clinic|doctors").unwrap();
        assert!(r.matches(tags(&[("amenity", "doctors")])));
        assert!(!r.matches(tags(&[("amenity", "school")])));
        let r = TagRule::parse("amenity=school+!isced:level=3").unwrap();
        assert!(r.matches(tags(&[("amenity", "school")])));
        assert!(!r.matches(tags(&[("amenity", "school"), ("isced:level", "3")])));
        let r = TagRule::parse("building").unwrap();
        assert!(r.matches(tags(&[("building", "yes")])));
        assert_eq!(r.to_string(), "building");
    }

    #[test]
    fn rejects_malformed_rules() {
        assert!(TagRule::parse("amenity=").is_err());
        assert!(TagRule::parse("=x").is_err());
        assert!(TagRule::parse("a=b++c=d").is_err());
    }
}
