//! The module graph of `src/` (ARCHITECTURE.md): data flows one way, so the `use crate::…` graph
//! between top-level modules has no cycle, `model` sits below every stage, and only the top of the
//! crate (the library entry, the command line, the benchmarks) calls `report`.
//!
//! Read from the source text as `../shared/tools/modgraph.py` does: every `crate::<module>` outside
//! `#[cfg(test)]` blocks and `tests.rs` files is an edge from the file's top-level module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Edges `module → modules it names`, from every `.rs` file under `src/`.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p.strip_prefix(src).unwrap();
            let name = rel.to_string_lossy().into_owned();
            if !name.ends_with(".rs") || name.ends_with("tests.rs") || name.contains("/tests/") {
                continue;
            }
            let top =
                rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            let body = strip_test_modules(&text);
            let set = edges.entry(top.clone()).or_default();
            for (i, _) in body.match_indices("crate::") {
                let m: String = body[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !m.is_empty() && m != top {
                    set.insert(m);
                }
            }
        }
    }
    edges
}

/// The text without `#[cfg(test)] mod … { … }` blocks (brace-matched).
fn strip_test_modules(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let Some(open) = after.find('{') else { break };
        // Only a module (or a test-only item) is skipped: up to its matching brace.
        let mut depth = 0usize;
        let mut end = after.len();
        for (j, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The strongly connected components with more than one module.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Reachability closure; small graph (about 20 modules).
    let nodes: BTreeSet<&String> = edges.keys().chain(edges.values().flatten()).collect();
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for m in edges.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    todo.push(m.clone());
                }
            }
        }
        seen
    };
    let r: BTreeMap<&String, BTreeSet<String>> = nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for n in &nodes {
        let comp: Vec<String> =
            nodes.iter().filter(|m| r[*n].contains(**m) && r[**m].contains(*n)).map(|m| (*m).clone()).collect();
        if comp.len() > 1 && !out.contains(&comp) {
            out.push(comp);
        }
    }
    out
}

fn src_graph() -> BTreeMap<String, BTreeSet<String>> {
    module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn the_module_graph_has_no_cycle() {
    let g = src_graph();
    assert!(g.contains_key("analyze") && g.contains_key("report"), "modules found: {:?}", g.keys());
    assert_eq!(cycles(&g), Vec::<Vec<String>>::new(), "module cycles in src/ (see ARCHITECTURE.md)");
}

#[test]
fn model_sits_below_every_stage() {
    let g = src_graph();
    let allowed: BTreeSet<&str> = ["geom", "profile", "osm", "graph", "error"].into();
    let model = &g["model"];
    let extra: Vec<&String> = model.iter().filter(|m| !allowed.contains(m.as_str())).collect();
    assert!(extra.is_empty(), "model imports {extra:?}: it must stay below the stages");
}

#[test]
fn only_the_top_calls_report() {
    let g = src_graph();
    let top: BTreeSet<&str> = ["lib", "cli", "main", "bench"].into();
    let callers: Vec<&String> =
        g.iter().filter(|(k, v)| v.contains("report") && !top.contains(k.as_str())).map(|(k, _)| k).collect();
    assert!(callers.is_empty(), "modules below the top import report: {callers:?}");
}

/// The checker itself: a two-module cycle is found, a chain is not.
#[test]
fn cycle_finder_finds_a_planted_cycle() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    assert!(cycles(&g).is_empty());
    g.entry("c".into()).or_default().insert("a".into());
    assert_eq!(cycles(&g), vec![vec!["a".to_string(), "b".to_string(), "c".to_string()]]);
    assert_eq!(strip_test_modules("x\n#[cfg(test)]\nmod t { use crate::y; { } }\nz"), "x\n\nz");
}
