//! The crate's layers import only downward (see `DESIGN.md` beside the
//! repository: `model` at the bottom, then `spatial`, `travel`, `assign`,
//! `plan`, `route`, `dispatch`, `sim`, `io`). Every `crate::` path in the
//! code of `src/` (comments aside) is read, and a path from a module to a
//! layer above it is an upward import.
//!
//! The rule is about the library: a unit test (`#[cfg(test)] mod … { … }`)
//! may build its fixture with a higher layer, such as the generator of
//! `sim`, since it is not part of what the library compiles to.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers, bottom first; `error` sits under all of them.
const LAYERS: [&str; 10] = [
    "error", "model", "spatial", "travel", "assign", "planning", "route", "dispatch", "sim", "io",
];

/// Names the crate root re-exports, with the layer they come from.
const ROOT_NAMES: [(&str, &str); 6] = [
    ("limits", "model"),
    ("generate", "sim"),
    ("verify", "dispatch"),
    ("Error", "error"),
    ("ErrorKind", "error"),
    ("Result", "error"),
];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|&l| l == layer)
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (line comments and doc comments)
/// and without its unit-test modules.
fn code(text: &str) -> String {
    let code = text
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    without_test_modules(&code)
}

/// `code` without every `#[cfg(test)] mod name { … }`, braces matched.
fn without_test_modules(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let is_module = after.trim_start().starts_with("mod ")
            && after.find('{').is_some_and(|b| !after[..b].contains(';'));
        if !is_module {
            out.push_str("#[cfg(test)]");
            rest = after;
            continue;
        }
        let open = after.find('{').expect("a module body");
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
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

/// The first names after every `crate::` of the code, groups
/// (`crate::{a::X, b}`) opened.
fn crate_names(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Names at depth 0 of the group.
            let (mut depth, mut start) = (0usize, 0usize);
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        names.push(first_ident(&group[start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.push(first_ident(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            names.push(first_ident(rest));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

fn first_ident(s: &str) -> String {
    s.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Every upward import of `src/`: (file relative to `src`, the layer it imports).
fn upward_imports(src: &Path) -> BTreeSet<(String, String)> {
    let mut all = Vec::new();
    files(src, &mut all);
    let mut found = BTreeSet::new();
    for path in all {
        let rel = path.strip_prefix(src).expect("under src");
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let top = rel_str
            .split('/')
            .next()
            .expect("a path")
            .trim_end_matches(".rs")
            .to_string();
        let Some(own) = rank(&top) else {
            continue; // the binary, lib.rs, the guide
        };
        let text = std::fs::read_to_string(&path).expect("a source file");
        for name in crate_names(&code(&text)) {
            let layer = ROOT_NAMES
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(name.as_str(), |(_, l)| l);
            if let Some(r) = rank(layer)
                && r > own
            {
                found.insert((rel_str.clone(), layer.to_string()));
            }
        }
    }
    found
}

#[test]
fn layers_import_only_downward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = upward_imports(&src);
    assert!(
        found.is_empty(),
        "upward imports (file, the layer above it that it imports): {found:#?}"
    );
}

#[test]
fn a_planted_upward_import_is_found_and_a_unit_tests_is_not() {
    let dir = std::env::temp_dir().join(format!("servnet-layers-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("model")).unwrap();
    std::fs::create_dir_all(dir.join("dispatch")).unwrap();
    std::fs::write(
        dir.join("model/x.rs"),
        "//! Uses [`crate::io`] in a comment only.\nuse crate::{error::Result, dispatch::Plan};\n\
         #[cfg(test)]\nmod tests {\n    use crate::route::Day;\n    fn g() { if true { } }\n}\n\
         fn after_the_tests() -> crate::planning::Site { todo!() }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("dispatch/y.rs"),
        "use crate::model::Scenario;\nfn f() -> crate::sim::Kpi { todo!() }\n",
    )
    .unwrap();
    let found = upward_imports(&dir);
    std::fs::remove_dir_all(&dir).ok();
    let want: BTreeSet<(String, String)> = [
        ("model/x.rs".to_string(), "dispatch".to_string()),
        ("dispatch/y.rs".to_string(), "sim".to_string()),
        ("model/x.rs".to_string(), "plan".to_string()),
    ]
    .into_iter()
    .collect();
    assert_eq!(found, want);
}
