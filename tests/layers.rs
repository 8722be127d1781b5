//! The crate's layers import only downward (see `DESIGN.md` beside the
//! repository: `model` at the bottom, then `spatial`, `travel`, `assign`,
//! `plan`, `route`, `dispatch`, `sim`, `io`). Every `crate::` path in the
//! code of `src/` (comments aside) is read, and a path from a module to a
//! layer above it is an upward import.
//!
//! The imports that break the rule today are listed in `KNOWN`, each with
//! the file and the layer it reaches; the test fails on any other, and on a
//! listed one that is gone (so the list only shrinks).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers, bottom first; `error` sits under all of them.
const LAYERS: [&str; 10] = [
    "error", "model", "spatial", "travel", "assign", "plan", "route", "dispatch", "sim", "io",
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

/// Upward imports of today, to be removed: (file, the layer it imports).
const KNOWN: [(&str, &str); 3] = [
    // A unit test builds its day with the generator.
    ("dispatch/regret.rs", "sim"),
    // `TravelSpec` is plain data of the scenario, kept in `travel`.
    ("model/scenario.rs", "travel"),
    ("model/validate.rs", "travel"),
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

/// The code of a file without its comments (line comments and doc comments).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
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
    let known: BTreeSet<(String, String)> = KNOWN
        .iter()
        .map(|(f, l)| (f.to_string(), l.to_string()))
        .collect();
    let new: Vec<_> = found.difference(&known).collect();
    let gone: Vec<_> = known.difference(&found).collect();
    assert!(
        new.is_empty(),
        "upward imports (file, the layer above it that it imports): {new:#?}"
    );
    assert!(
        gone.is_empty(),
        "listed upward imports that are gone, take them off KNOWN: {gone:#?}"
    );
}

#[test]
fn a_planted_upward_import_is_found() {
    let dir = std::env::temp_dir().join(format!("servnet-layers-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("model")).unwrap();
    std::fs::create_dir_all(dir.join("dispatch")).unwrap();
    std::fs::write(
        dir.join("model/x.rs"),
        "//! Uses [`crate::io`] in a comment only.\nuse crate::{error::Result, dispatch::Plan};\n",
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
    ]
    .into_iter()
    .collect();
    assert_eq!(found, want);
}
