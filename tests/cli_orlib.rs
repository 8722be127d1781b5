//! `servnet orlib gap` on small hand-made GAP files whose optima the test
//! finds by brute force: the table, the JSON lines, `--check`, and exit 2 on
//! bad input. Needs no OR-Library files.

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{dir, s, servnet, stdout, text};
use std::path::{Path, PathBuf};

/// A GAP problem as the test sees it.
struct Gap {
    cost: Vec<Vec<i64>>,
    load: Vec<Vec<i64>>,
    capacity: Vec<i64>,
}

impl Gap {
    /// A seeded random problem whose capacities bind: each agent holds about half its total load.
    fn random(agents: usize, jobs: usize, seed: u64) -> Gap {
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = |lo: i64, hi: i64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            lo + ((state >> 33) % (hi - lo + 1) as u64) as i64
        };
        let cost = (0..agents)
            .map(|_| (0..jobs).map(|_| next(5, 50)).collect())
            .collect();
        let load: Vec<Vec<i64>> = (0..agents)
            .map(|_| (0..jobs).map(|_| next(1, 12)).collect())
            .collect();
        let capacity = load.iter().map(|row| row.iter().sum::<i64>() / 2).collect();
        Gap {
            cost,
            load,
            capacity,
        }
    }

    fn agents(&self) -> usize {
        self.capacity.len()
    }

    fn jobs(&self) -> usize {
        self.cost[0].len()
    }

    /// The best objective over every assignment (agents^jobs of them); `None` when none fits.
    fn brute_force(&self, maximise: bool) -> Option<i64> {
        let (m, n) = (self.agents(), self.jobs());
        let mut best: Option<i64> = None;
        for mut code in 0..m.pow(n as u32) {
            let mut used = vec![0; m];
            let mut total = 0;
            for j in 0..n {
                let i = code % m;
                code /= m;
                used[i] += self.load[i][j];
                total += self.cost[i][j];
            }
            if used.iter().zip(&self.capacity).all(|(u, c)| u <= c) {
                best = Some(match best {
                    None => total,
                    Some(b) if maximise => b.max(total),
                    Some(b) => b.min(total),
                });
            }
        }
        best
    }
}

/// The OR-Library text of some problems, one table row per line.
fn gap_text(problems: &[Gap]) -> String {
    let row = |r: &[i64]| r.iter().map(i64::to_string).collect::<Vec<_>>().join(" ");
    let mut t = format!("{}\n", problems.len());
    for g in problems {
        t += &format!("{} {}\n", g.agents(), g.jobs());
        for r in g.cost.iter().chain(&g.load) {
            t += &format!(" {}\n", row(r));
        }
        t += &format!(" {}\n", row(&g.capacity));
    }
    t
}

/// Writes `gapa.txt` (minimise) and `gap1.txt` (maximise), two problems
/// each, and returns their paths with the brute-force optima in file order.
fn write_files(d: &Path) -> Vec<(PathBuf, Vec<i64>)> {
    [("gapa.txt", false, 1), ("gap1.txt", true, 2)]
        .into_iter()
        .map(|(name, maximise, seed)| {
            let problems = [Gap::random(3, 7, seed), Gap::random(2, 8, seed + 10)];
            let optima = problems
                .iter()
                .map(|g| {
                    g.brute_force(maximise)
                        .expect("the test problem is feasible")
                })
                .collect();
            let path = d.join(name);
            std::fs::write(&path, gap_text(&problems)).unwrap();
            (path, optima)
        })
        .collect()
}

/// An optima file in the `optima.md` format, with `adjust` added to every value.
fn write_optima(d: &Path, files: &[(PathBuf, Vec<i64>)], adjust: i64) -> PathBuf {
    let mut t = String::from("# Optimal values\n\nSome prose: 1 2 3.\n\n");
    for (path, optima) in files {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let values: Vec<String> = optima.iter().map(|o| (o + adjust).to_string()).collect();
        t += &format!("  - {stem}: {}\n", values.join(" "));
    }
    let path = d.join(format!("optima{adjust}.md"));
    std::fs::write(&path, t).unwrap();
    path
}

fn args<'a>(files: &'a [(PathBuf, Vec<i64>)], extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["orlib", "gap"];
    a.extend(files.iter().map(|(p, _)| s(p)));
    a.extend(extra);
    a
}

#[test]
fn the_table_has_a_row_per_problem_and_a_totals_line() {
    let d = dir("table");
    let files = write_files(&d);
    let optima = write_optima(&d, &files, 0);
    for solver in ["lagrangian", "mip"] {
        let o = servnet(&args(&files, &["--optima", s(&optima), "--solver", solver]));
        assert_eq!(o.status.code(), Some(0), "{solver}: {}", text(&o));
        let out = stdout(&o);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 6, "{solver}: header, 4 rows, totals:\n{out}");
        for column in [
            "file",
            "problem",
            "m×n",
            "objective",
            "bound",
            "published",
            "seconds",
            "status",
        ] {
            assert!(
                lines[0].contains(column),
                "{solver}: no `{column}` in {}",
                lines[0]
            );
        }
        let rows = files
            .iter()
            .flat_map(|(p, optima)| optima.iter().enumerate().map(move |(i, &o)| (p, i, o)));
        for (line, (path, i, optimum)) in lines[1..5].iter().zip(rows) {
            let cells: Vec<&str> = line.split_whitespace().collect();
            let name = path.file_name().unwrap().to_str().unwrap();
            let size = if i == 0 { "3×7" } else { "2×8" };
            assert_eq!(
                &cells[..4],
                [name, &(i + 1).to_string(), size, &optimum.to_string()],
                "{solver}: {line}"
            );
            assert_eq!(cells[6], optimum.to_string(), "{solver}: {line}");
            assert_eq!(cells[9], "optimal", "{solver}: {line}");
        }
        assert!(
            lines[5].contains("4 problem(s), 4 of 4 published optima matched"),
            "{solver}: {}",
            lines[5]
        );
    }
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn json_lines_parse_and_carry_every_field() {
    let d = dir("json");
    let files = write_files(&d);
    let optima = write_optima(&d, &files, 0);
    let o = servnet(&args(&files, &["--optima", s(&optima), "--json"]));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), 4, "{}", text(&o));
    let expected = files
        .iter()
        .flat_map(|(p, optima)| optima.iter().enumerate().map(move |(i, &o)| (p, i + 1, o)));
    for (v, (path, problem, optimum)) in lines.iter().zip(expected) {
        let maximise = path.ends_with("gap1.txt");
        assert_eq!(v["file"], s(path), "{v}");
        assert_eq!(v["problem"], problem, "{v}");
        let size = if problem == 1 { (3, 7) } else { (2, 8) };
        assert_eq!(
            (v["agents"].as_u64(), v["jobs"].as_u64()),
            (Some(size.0), Some(size.1)),
            "{v}"
        );
        assert_eq!(v["sense"], if maximise { "max" } else { "min" }, "{v}");
        assert_eq!(v["objective"], optimum, "{v}");
        assert_eq!(v["optimum"], optimum, "{v}");
        assert_eq!(v["matches"], true, "{v}");
        assert_eq!(v["status"], "optimal", "{v}");
        assert_eq!(
            v["bound"], optimum,
            "an optimal solution's bound is its objective: {v}"
        );
        assert!(v["seconds"].as_f64().is_some_and(|t| t >= 0.0), "{v}");
    }
    // Without optima the optional fields are absent and the run still succeeds.
    let o = servnet(&args(&files, &["--json"]));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    for l in stdout(&o).lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(
            v.get("optimum").is_none() && v.get("matches").is_none(),
            "{v}"
        );
    }
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn check_passes_on_the_true_optima_and_fails_on_better_claims() {
    let d = dir("check");
    let files = write_files(&d);
    let truth = write_optima(&d, &files, 0);
    let o = servnet(&args(&files, &["--optima", s(&truth), "--check"]));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("check passed"), "{}", text(&o));

    // A claimed value no assignment reaches: +1 profit on gap1, −1 cost on gapa.
    let mut claims = files.clone();
    for (path, optima) in &mut claims {
        let better = if path.ends_with("gap1.txt") { 1 } else { -1 };
        optima.iter_mut().for_each(|o| *o += better);
    }
    let false_claims = write_optima(&d, &claims, 0);
    let o = servnet(&args(&files, &["--optima", s(&false_claims), "--check"]));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    for (path, optima) in &claims {
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(
            text(&o).contains(&format!(
                "{name} problem 1: objective {}, published {}",
                files.iter().find(|f| &f.0 == path).unwrap().1[0],
                optima[0]
            )),
            "{}",
            text(&o)
        );
    }
    // The same in JSON mode: stdout stays JSON, the verdict goes to stderr.
    let o = servnet(&args(
        &files,
        &["--optima", s(&false_claims), "--check", "--json"],
    ));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    for l in stdout(&o).lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["matches"], false, "{v}");
    }
    assert!(String::from_utf8_lossy(&o.stderr).contains("check failed"));

    // Extreme claimed values are a failed check, not an overflow.
    let mut extreme = files.clone();
    extreme[0].1 = vec![i64::MIN, i64::MAX];
    let extreme = write_optima(&d, &extreme, 0);
    let o = servnet(&args(&files, &["--optima", s(&extreme), "--check"]));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(!text(&o).contains("panicked"), "{}", text(&o));
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn an_infeasible_problem_is_reported_not_fatal() {
    let d = dir("infeasible");
    let mut g = Gap::random(2, 5, 3);
    g.capacity = vec![1, 1];
    let f = d.join("gapb.txt");
    std::fs::write(&f, gap_text(&[g])).unwrap();
    for solver in ["lagrangian", "mip"] {
        let o = servnet(&["orlib", "gap", s(&f), "--json", "--solver", solver]);
        assert_eq!(o.status.code(), Some(0), "{solver}: {}", text(&o));
        let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
        assert_eq!(v["status"], "infeasible", "{solver}: {v}");
        assert!(v["objective"].is_null(), "{solver}: {v}");
    }
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let d = dir("bad");
    let files = write_files(&d);
    let garbage = d.join("gap2.txt");
    std::fs::write(&garbage, "1\n2 3\n1 2 x\n").unwrap();
    let nameless = d.join("custom.txt");
    std::fs::copy(&files[0].0, &nameless).unwrap();
    let missing = d.join("gap3.txt");
    let huge = d.join("gapc.txt");
    std::fs::write(&huge, "1\n1 2\n9007199254740993 1\n1 1\n5\n").unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["orlib", "gap", s(&garbage)], "line 3"),
        (
            vec!["orlib", "gap", s(&files[0].0), s(&missing)],
            "gap3.txt",
        ),
        (vec!["orlib", "gap", s(&nameless)], "custom.txt"),
        (vec!["orlib", "gap", s(&files[0].0), s(&huge)], "2^53"),
        (
            vec!["orlib", "gap", s(&files[0].0), "--time-limit", "0"],
            "time-limit",
        ),
        (
            vec!["orlib", "gap", s(&files[0].0), "--optima", s(&missing)],
            "gap3.txt",
        ),
        (vec!["orlib", "gap", s(&files[0].0), "--check"], "--optima"),
        (vec!["orlib", "gap"], "FILES"),
    ];
    for (args, needle) in cases {
        let o = servnet(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(
            text(&o).contains(needle),
            "{args:?}: no `{needle}` in {}",
            text(&o)
        );
        assert!(!text(&o).contains("panicked"), "{args:?}: {}", text(&o));
        assert!(
            stdout(&o).is_empty(),
            "{args:?}: nothing is solved before every file is read: {}",
            text(&o)
        );
    }
    // `--sense` says what the name does not.
    let o = servnet(&["orlib", "gap", s(&nameless), "--sense", "min", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let objectives: Vec<i64> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["objective"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(objectives, files[0].1);
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn cap_files_are_solved_checked_and_bad_ones_refused() {
    let d = dir("cap");
    // Two warehouses (capacity, fixed cost), three customers (demand, then the
    // cost of all of it from each warehouse). Warehouse 0 alone is too small
    // (10 < 12); warehouse 1 alone costs 50 + 4 + 6 + 8 = 68; both cost more.
    let file = d.join("cap1.txt");
    std::fs::write(&file, "2 3\n10 70\n100 50\n4\n1 4\n3\n2 6\n5\n3 8\n").unwrap();
    let o = servnet(&["orlib", "cap", s(&file), "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let line: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    for field in ["file", "objective", "bound", "seconds", "status"] {
        assert!(line.get(field).is_some(), "{field} missing: {line}");
    }
    assert_eq!(line["status"], "optimal");
    assert!(
        (line["objective"].as_f64().unwrap() - 68.0).abs() < 1e-6,
        "{line}"
    );
    // The true optimum passes the check; a better claim fails it.
    for (claim, code) in [("68", 0), ("60", 1)] {
        let optima = d.join(format!("optima-{claim}.md"));
        std::fs::write(&optima, format!("| cap1 | 2 × 3 | {claim} |\n")).unwrap();
        let o = servnet(&["orlib", "cap", s(&file), "--optima", s(&optima), "--check"]);
        assert_eq!(o.status.code(), Some(code), "{}", text(&o));
    }
    // At a capacity of 4 each, the warehouses hold 8 of the demand of 12.
    let o = servnet(&["orlib", "cap", s(&file), "--capacity", "4"]);
    assert!(
        o.status.success() && text(&o).contains("infeasible"),
        "{}",
        text(&o)
    );
    let bad = d.join("bad.txt");
    std::fs::write(&bad, "2 3\n10 70\n").unwrap();
    let o = servnet(&["orlib", "cap", s(&bad)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("bad.txt"), "{}", text(&o));
}

#[test]
fn pmed_files_are_solved_checked_and_bad_ones_refused() {
    let d = dir("pmed");
    // A path 1 —1— 2 —2— 3 —3— 4 and p = 2. By hand: medians {2, 4} cost
    // 1 + 0 + 2 + 0 = 3; every other pair costs at least 4.
    let file = d.join("pmed1.txt");
    std::fs::write(&file, "4 3 2\n1 2 1\n2 3 2\n3 4 3\n").unwrap();
    let o = servnet(&["orlib", "pmed", s(&file), "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let line: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    for field in ["file", "objective", "bound", "seconds", "status"] {
        assert!(line.get(field).is_some(), "{field} missing: {line}");
    }
    assert_eq!(line["status"], "optimal", "{line}");
    assert_eq!(line["objective"].as_f64(), Some(3.0), "{line}");
    assert_eq!(line["bound"].as_f64(), Some(3.0), "{line}");
    // The true optimum passes the check; a better claim fails it.
    for (claim, code) in [("3", 0), ("2", 1)] {
        let optima = d.join(format!("optima-{claim}.md"));
        std::fs::write(&optima, format!("| pmed1 | 4 | 2 | {claim} |\n")).unwrap();
        let o = servnet(&["orlib", "pmed", s(&file), "--optima", s(&optima), "--check"]);
        assert_eq!(o.status.code(), Some(code), "{}", text(&o));
    }
    let o = servnet(&["orlib", "pmed", s(&file)]);
    assert!(
        o.status.success() && stdout(&o).contains("optimal"),
        "{}",
        text(&o)
    );
    let bad = d.join("bad.txt");
    std::fs::write(&bad, "4 3 2\n1 2 1\n").unwrap();
    let o = servnet(&["orlib", "pmed", s(&bad)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("bad.txt"), "{}", text(&o));
    std::fs::remove_dir_all(d).ok();
}
