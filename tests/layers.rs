//! The crate's layers import only downward (see `ARCHITECTURE.md`: `model`
//! at the bottom, then `spatial`, `travel`, `assign`, `planning`, `route`,
//! `dispatch`, `sim`, `io`). Every `crate::` path in the code of `src/`
//! (comments aside) is read, and a path from a module to a layer above it is
//! an upward import. A path through a name the crate root re-exports
//! (`crate::Generator`) counts as the layer the root takes it from, read
//! from the `pub use` lines of `src/lib.rs`; a root name the test cannot
//! place fails it too.
//!
//! The rule is about the library: a unit test (`#[cfg(test)] mod … { … }`)
//! may build its fixture with a higher layer, such as the generator of
//! `sim`, since it is not part of what the library compiles to.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first; `error` sits under all of them.
const LAYERS: [&str; 10] = [
    "error", "model", "spatial", "travel", "assign", "planning", "route", "dispatch", "sim", "io",
];

/// The names the crate root re-exports, with the layer each comes from:
/// every `pub use layer::…` of `lib.rs`, and for a glob (`pub use model::*`)
/// every `pub use` and `pub mod` of that layer's `mod.rs`.
fn root_names(src: &Path) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    for (layer, rest) in pub_uses(&code(&lib)) {
        if rest.trim() == "*" {
            let module = std::fs::read_to_string(src.join(&layer).join("mod.rs"))
                .expect("a glob re-exports a layer with a mod.rs");
            let module = code(&module);
            for (_, rest) in pub_uses(&module) {
                for name in last_names(&rest) {
                    names.insert(name, layer.clone());
                }
            }
            for line in module.lines() {
                if let Some(name) = line.trim().strip_prefix("pub mod ") {
                    names.insert(name.trim_end_matches(';').trim().to_string(), layer.clone());
                }
            }
        } else {
            for name in last_names(&rest) {
                names.insert(name, layer.clone());
            }
        }
    }
    names
}

/// `(first segment, the rest)` of every `pub use first::rest;` of the code.
fn pub_uses(code: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("pub use ") {
        rest = &rest[at + "pub use ".len()..];
        let end = rest.find(';').unwrap_or(rest.len());
        let path: String = rest[..end].split_whitespace().collect();
        if let Some((first, tail)) = path.split_once("::") {
            out.push((first.to_string(), tail.to_string()));
        }
        rest = &rest[end..];
    }
    out
}

/// The names a use path brings in: `a::{B, c::D}` → `B`, `D`; `a::B` → `B`;
/// `B as C` → `C`.
fn last_names(path: &str) -> Vec<String> {
    let inner = match (path.find('{'), path.rfind('}')) {
        (Some(a), Some(b)) if a < b => &path[a + 1..b],
        _ => path,
    };
    inner
        .split(',')
        .filter_map(|item| {
            let item = item.rsplit(" as ").next()?.trim();
            let name = item
                .rsplit("::")
                .next()?
                .trim_matches(|c| c == '{' || c == '}');
            (!name.is_empty() && name != "*").then(|| name.to_string())
        })
        .collect()
}

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
    names_after(code, "crate::")
}

/// The first names after every `prefix` of the code, groups opened.
fn names_after(code: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        // `xcrate::` or `a::super::` is not the prefix.
        let whole = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'));
        rest = &rest[at + prefix.len()..];
        if !whole {
            continue;
        }
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

/// Every upward import of `src/`: (file relative to `src`, the layer it
/// imports), with `roots` the crate root's names and their layers. A root
/// name missing from `roots` is `(file, "crate root: Name")`.
fn upward_imports(src: &Path, roots: &BTreeMap<String, String>) -> BTreeSet<(String, String)> {
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
            let layer = match (rank(&name), roots.get(&name)) {
                (Some(_), _) => name.as_str(),
                (None, Some(layer)) => layer.as_str(),
                (None, None) => {
                    found.insert((rel_str.clone(), format!("crate root: {name}")));
                    continue;
                }
            };
            if let Some(r) = rank(layer)
                && r > own
            {
                found.insert((rel_str.clone(), layer.to_string()));
            }
        }
    }
    found
}

/// The imports between sibling files of each folder of `src` (a file's
/// `super::x` or `crate::…::x` naming a sibling `x`), and every cycle among
/// them, each as the files in order.
fn sibling_cycles(src: &Path) -> Vec<Vec<String>> {
    let mut all = Vec::new();
    files(src, &mut all);
    let mut by_dir: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for path in all {
        let name = path.file_name().expect("a file name").to_string_lossy();
        if name == "mod.rs" || name == "lib.rs" || name == "main.rs" {
            continue;
        }
        let dir = path.parent().expect("in a folder").to_path_buf();
        by_dir.entry(dir).or_default().push(path);
    }
    let mut cycles = Vec::new();
    for (dir, paths) in by_dir {
        let stem = |p: &PathBuf| p.file_stem().expect("a stem").to_string_lossy().to_string();
        let siblings: BTreeSet<String> = paths.iter().map(stem).collect();
        let module = dir
            .strip_prefix(src)
            .expect("under src")
            .to_string_lossy()
            .replace(['/', '\\'], "::");
        let full = format!("crate::{module}::");
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for path in &paths {
            let text = code(&std::fs::read_to_string(path).expect("a source file"));
            let mut names = names_after(&text, "super::");
            if !module.is_empty() {
                names.extend(names_after(&text, &full));
            }
            let own = stem(path);
            let to: BTreeSet<String> = names
                .into_iter()
                .filter(|n| *n != own && siblings.contains(n))
                .collect();
            edges.insert(own, to);
        }
        // Every elementary cycle through its smallest file, by depth-first search.
        for start in &siblings {
            let mut stack = vec![(start.clone(), vec![start.clone()])];
            while let Some((at, trail)) = stack.pop() {
                for next in edges.get(&at).into_iter().flatten() {
                    if next == start {
                        let rel = dir.strip_prefix(src).expect("under src");
                        cycles.push(
                            trail
                                .iter()
                                .map(|f| rel.join(f).to_string_lossy().replace('\\', "/"))
                                .collect(),
                        );
                    } else if next > start && !trail.contains(next) {
                        let mut longer = trail.clone();
                        longer.push(next.clone());
                        stack.push((next.clone(), longer));
                    }
                }
            }
        }
    }
    cycles
}

#[test]
fn sibling_modules_import_each_other_in_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let cycles = sibling_cycles(&src);
    assert!(
        cycles.is_empty(),
        "modules that import each other: {cycles:#?}"
    );
}

#[test]
fn a_planted_cycle_of_siblings_is_found() {
    let dir = std::env::temp_dir().join(format!("servnet-cycles-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("dispatch")).unwrap();
    let files = [
        ("dispatch/a.rs", "use super::b::B;\n"),
        ("dispatch/b.rs", "fn f() { crate::dispatch::c::g() }\n"),
        ("dispatch/c.rs", "use super::{a::A, Plan};\n"),
        (
            "dispatch/d.rs",
            "use super::a::A;\n#[cfg(test)]\nmod tests {\n    use super::super::d;\n}\n",
        ),
        ("dispatch/mod.rs", "mod a;\nmod b;\nmod c;\nmod d;\n"),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let cycles = sibling_cycles(&dir);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        cycles,
        vec![vec![
            "dispatch/a".to_string(),
            "dispatch/b".to_string(),
            "dispatch/c".to_string()
        ]]
    );
}

#[test]
fn layers_import_only_downward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let roots = root_names(&src);
    for (name, layer) in [
        ("Error", "error"),
        ("Scenario", "model"),
        ("limits", "model"),
    ] {
        assert_eq!(roots.get(name).map(String::as_str), Some(layer), "{name}");
    }
    assert_eq!(roots.get("Generator").map(String::as_str), Some("sim"));
    let found = upward_imports(&src, &roots);
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
        "use crate::model::Scenario;\nfn f() -> crate::io::Writer { todo!() }\n\
         fn g() -> crate::Generator { todo!() }\nfn h() -> crate::Mystery { todo!() }\n\
         fn i() -> crate::Plan { todo!() }\n",
    )
    .unwrap();
    let roots: BTreeMap<String, String> = [("Generator", "sim"), ("Plan", "dispatch")]
        .into_iter()
        .map(|(n, l)| (n.to_string(), l.to_string()))
        .collect();
    let found = upward_imports(&dir, &roots);
    std::fs::remove_dir_all(&dir).ok();
    let want: BTreeSet<(String, String)> = [
        ("model/x.rs".to_string(), "dispatch".to_string()),
        ("dispatch/y.rs".to_string(), "io".to_string()),
        ("dispatch/y.rs".to_string(), "sim".to_string()),
        ("model/x.rs".to_string(), "planning".to_string()),
        (
            "dispatch/y.rs".to_string(),
            "crate root: Mystery".to_string(),
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(found, want);
}
