//! The OR-Library GAP reader: hand-written texts, every rejection with its
//! kind and line, and — when the benchmark files are present — the real files.

use proptest::prelude::*;
use servnet::io::orlib::{
    GapInstance, MAX_CELLS, Sense, read_gap_file, read_gap_optima_file, read_gap_optima_str,
    read_gap_str,
};
use servnet::{ErrorKind, ProblemCode};
use std::path::{Path, PathBuf};

/// Two problems, numbers wrapped across lines at random, tabs and blank lines.
const WRAPPED: &str = "2\n2\n3 4 5\n6 7 8\n9\n1 2\t1\n  1 2 1\n\n3 3\n1\n2 7\n3 1 10\n20\n";

fn syntax(err: &servnet::Error) -> (usize, usize, &str, &str) {
    match err.kind() {
        ErrorKind::Syntax {
            what,
            line,
            column,
            message,
        } => (*line, *column, what.as_str(), message.as_str()),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

fn invalid(err: &servnet::Error) -> Vec<(ProblemCode, &'static str, Option<u64>, String)> {
    assert!(
        matches!(err.kind(), ErrorKind::Invalid(_)),
        "expected invalid, got {err}"
    );
    err.problems()
        .iter()
        .map(|p| (p.code, p.entity, p.id, p.field.clone()))
        .collect()
}

#[test]
fn reads_numbers_wrapped_across_lines() {
    let problems = read_gap_str(WRAPPED, "wrapped").expect("reads");
    assert_eq!(problems.len(), 2);
    let first = &problems[0];
    assert_eq!((first.agents, first.jobs), (2, 3));
    assert_eq!(first.cost, vec![vec![4, 5, 6], vec![7, 8, 9]]);
    assert_eq!(first.load, vec![vec![1, 2, 1], vec![1, 2, 1]]);
    assert_eq!(first.capacity, vec![3, 3]);
    let second = &problems[1];
    assert_eq!((second.agents, second.jobs), (1, 2));
    assert_eq!(second.cost, vec![vec![7, 3]]);
    assert_eq!(second.load, vec![vec![1, 10]]);
    assert_eq!(second.capacity, vec![20]);
}

#[test]
fn accepts_crlf_and_a_byte_order_mark() {
    let text = "\u{feff}1\r\n1 2\r\n-3 4\r\n\r\n0 1\r\n1\r\n";
    let problems = read_gap_str(text, "crlf").expect("reads");
    assert_eq!(problems[0].cost, vec![vec![-3, 4]]);
    assert_eq!(problems[0].load, vec![vec![0, 1]]);
    assert_eq!(problems[0].capacity, vec![1]);
}

#[test]
fn wrapped_and_one_per_line_layouts_agree() {
    let problems = read_gap_str(WRAPPED, "wrapped").expect("reads");
    let one_per_line = WRAPPED
        .split_ascii_whitespace()
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        read_gap_str(&one_per_line, "one per line").expect("reads"),
        problems
    );
    let one_line = WRAPPED
        .split_ascii_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(
        read_gap_str(&one_line, "one line").expect("reads"),
        problems
    );
}

#[test]
fn a_token_that_is_not_an_integer_names_its_line() {
    let text = "1\n2 2\n1 2\n3 x4\n1 1 1 1\n5 5\n";
    let err = read_gap_str(text, "bad.txt").unwrap_err();
    let (line, column, what, message) = syntax(&err);
    assert_eq!((line, column, what), (4, 0, "bad.txt"));
    assert!(message.contains("`x4`"), "{message}");
    assert!(message.contains("cost of agent 2 for job 2"), "{message}");
    assert!(message.contains("problem 1 of 1"), "{message}");

    let err = read_gap_str("1\n1 1\n2.5\n1\n1\n", "t").unwrap_err();
    assert_eq!(syntax(&err).0, 3);
    let err = read_gap_str("1\n1 99999999999999999999\n", "t").unwrap_err();
    assert_eq!(syntax(&err).0, 2);
    let err = read_gap_str("   \n\n  five\n", "t").unwrap_err();
    assert_eq!(syntax(&err).0, 3);
}

#[test]
fn a_long_bad_token_is_shortened_in_the_message() {
    let token = "z".repeat(10_000);
    let err = read_gap_str(&format!("1\n1 1\n{token}\n"), "t").unwrap_err();
    let (line, _, _, message) = syntax(&err);
    assert_eq!(line, 3);
    assert!(message.len() < 200, "{message}");
}

#[test]
fn a_file_that_ends_early_names_the_problem_and_the_field() {
    // Second problem stops inside its load table.
    let text = "2\n1 2\n1 2\n1 1\n5\n2 2\n1 2 3 4\n1 1\n1\n";
    let err = read_gap_str(text, "short.txt").unwrap_err();
    let (line, column, _, message) = syntax(&err);
    assert_eq!((line, column), (9, 0), "{message}");
    assert!(message.contains("ends early"), "{message}");
    assert!(message.contains("problem 2 of 2"), "{message}");
    assert!(message.contains("load of agent 2 for job 2"), "{message}");

    let err = read_gap_str("1\n1 2\n1 2\n1 1\n", "t").unwrap_err();
    let (line, _, _, message) = syntax(&err);
    assert_eq!(line, 4);
    assert!(message.contains("capacity of agent 1"), "{message}");

    let err = read_gap_str("3\n1 1 5 1 1\n", "t").unwrap_err();
    let (line, _, _, message) = syntax(&err);
    assert_eq!(line, 2);
    assert!(
        message.contains("number of agents in problem 2 of 3"),
        "{message}"
    );

    for empty in ["", "  \n\t\n", "\u{feff}"] {
        let err = read_gap_str(empty, "t").unwrap_err();
        let (line, _, _, message) = syntax(&err);
        assert_eq!(line, 1);
        assert!(message.contains("number of problems"), "{message}");
    }
}

#[test]
fn trailing_garbage_is_rejected_at_its_line() {
    let text = "1\n1 1\n4\n1\n2\n\n7 junk\n";
    let err = read_gap_str(text, "t").unwrap_err();
    let (line, _, _, message) = syntax(&err);
    assert_eq!(line, 7);
    assert!(message.contains("`7`"), "{message}");
    assert!(message.contains("after the last of 1 problem"), "{message}");
}

#[test]
fn bad_sizes_are_rejected_before_anything_is_allocated() {
    let err = read_gap_str("1\n0 5\n", "t").unwrap_err();
    assert_eq!(
        invalid(&err),
        vec![(
            ProblemCode::NonPositive,
            "gap problem",
            Some(1),
            "agents".to_string()
        )]
    );
    let err = read_gap_str("2\n1 1 1 1 1\n-3 0\n", "t").unwrap_err();
    assert_eq!(
        invalid(&err),
        vec![
            (
                ProblemCode::NonPositive,
                "gap problem",
                Some(2),
                "agents".to_string()
            ),
            (
                ProblemCode::NonPositive,
                "gap problem",
                Some(2),
                "jobs".to_string()
            ),
        ]
    );
    // A corrupt header: each size fits, the product does not.
    let err = read_gap_str("1\n100000 100000\n1 2 3\n", "t").unwrap_err();
    assert_eq!(
        invalid(&err),
        vec![(
            ProblemCode::OutOfRange,
            "gap problem",
            Some(1),
            "agents × jobs".to_string()
        )]
    );
    let err = read_gap_str(&format!("1\n1 {}\n", MAX_CELLS + 1), "t").unwrap_err();
    assert_eq!(invalid(&err)[0].0, ProblemCode::OutOfRange);
    let err = read_gap_str(&format!("1\n1 {}\n", i64::MAX), "t").unwrap_err();
    assert_eq!(invalid(&err)[0].0, ProblemCode::OutOfRange);
    // At the limit the header is accepted; the file then ends early, without a huge allocation.
    let err = read_gap_str(&format!("1\n1 {MAX_CELLS}\n1\n"), "t").unwrap_err();
    assert_eq!(syntax(&err).0, 3);

    for count in ["0", "-2"] {
        let err = read_gap_str(&format!("{count}\n"), "t").unwrap_err();
        assert_eq!(
            invalid(&err),
            vec![(
                ProblemCode::NonPositive,
                "gap file",
                None,
                "problems".to_string()
            )]
        );
    }
}

#[test]
fn negative_loads_and_capacities_are_listed_for_every_problem() {
    // Problem 1: one negative load; problem 2: a negative capacity and two negative loads.
    let text = "2\n\
                1 2  5 5  1 -1  3\n\
                2 2  1 1 1 1  -1 -2 0 1  4 -4\n";
    let err = read_gap_str(text, "t").unwrap_err();
    let found = invalid(&err);
    assert_eq!(
        found,
        vec![
            (
                ProblemCode::OutOfRange,
                "gap problem",
                Some(1),
                "load".to_string()
            ),
            (
                ProblemCode::OutOfRange,
                "gap problem",
                Some(2),
                "load".to_string()
            ),
            (
                ProblemCode::OutOfRange,
                "gap problem",
                Some(2),
                "capacity".to_string()
            ),
        ]
    );
    let text = err.to_string();
    assert!(text.contains("agent 1, job 2: load -1"), "{text}");
    assert!(text.contains("2 negative load(s)"), "{text}");
    assert!(text.contains("agent 2: capacity -4"), "{text}");

    // Negative costs are fine: they are costs (or profits), not resources.
    assert!(read_gap_str("1\n1 1\n-9\n0\n0\n", "t").is_ok());
}

fn small() -> GapInstance {
    read_gap_str(
        "1\n2 3\n\
         4 5 6\n7 8 9\n\
         2 2 2\n1 3 1\n\
         4 4\n",
        "t",
    )
    .expect("reads")
    .remove(0)
}

#[test]
fn objective_sums_costs_of_feasible_assignments() {
    let g = small();
    assert_eq!(g.objective(&[0, 0, 1]), Some(4 + 5 + 9));
    assert_eq!(g.objective(&[1, 0, 1]), Some(7 + 5 + 9));
    // Agent 0 would carry 2 + 2 + 2 = 6 > 4.
    assert_eq!(g.objective(&[0, 0, 0]), None);
    // Agent 1 would carry 1 + 3 + 1 = 5 > 4.
    assert_eq!(g.objective(&[1, 1, 1]), None);
    // Wrong length, or an agent that does not exist.
    assert_eq!(g.objective(&[0, 1]), None);
    assert_eq!(g.objective(&[0, 1, 1, 0]), None);
    assert_eq!(g.objective(&[0, 2, 1]), None);
    assert_eq!(g.objective(&[0, usize::MAX, 1]), None);
}

#[test]
fn objective_never_panics_on_a_hand_built_inconsistent_instance() {
    let g = GapInstance {
        agents: 2,
        jobs: 2,
        cost: vec![vec![1]],
        load: vec![],
        capacity: vec![],
    };
    assert_eq!(g.objective(&[0, 1]), None);
    let g = GapInstance {
        agents: 1,
        jobs: 2,
        cost: vec![vec![i64::MAX, i64::MAX]],
        load: vec![vec![0, 0]],
        capacity: vec![0],
    };
    assert_eq!(g.objective(&[0, 0]), None, "the sum overflows i64");
    let g = GapInstance {
        agents: usize::MAX,
        jobs: 1,
        cost: vec![vec![3]],
        load: vec![vec![1]],
        capacity: vec![1],
    };
    assert_eq!(g.objective(&[0]), Some(3));
    assert_eq!(g.objective(&[1]), None);
}

#[test]
fn sense_follows_the_or_library_names() {
    for name in [
        "gap1",
        "gap12",
        "gap7.txt",
        "GAP3.TXT",
        "/data/orlib/gap10.txt",
    ] {
        assert_eq!(Sense::of_file_name(name), Some(Sense::Maximize), "{name}");
    }
    for name in ["gapa", "gapd.txt", "GapB", r"C:\orlib\gapc.txt"] {
        assert_eq!(Sense::of_file_name(name), Some(Sense::Minimize), "{name}");
    }
    for name in [
        "", "gap", "gap0", "gap13", "gap01", "gape", "gapab", "pmed1", "gap1.csv", "ga", "gap１",
    ] {
        assert_eq!(Sense::of_file_name(name), None, "{name}");
    }
}

#[test]
fn optima_lines_are_read_and_prose_is_skipped() {
    let text = "# OR-Library\n\
        - gap1.txt … gap12.txt are MAXIMISATION problems (c is a profit): 5 problems\n\
        \x20 - gap1: 336 327 339 341 326\n\
        \x20 - gap2: 434 436\n\
        - gapa, gapb, gapc are MINIMISATION problems: 6 problems each,\n\
        \x20 - gapa: 1698 3235 1360 2623 1158 2339\n\
        * gapB:   1 2\n\
        gapc: 1 x 3\n\
        - gapd:\n\
        | pmed1 | 100 | 5 | 5819 |\n\
        - pmed1: 5819\n\
        \x20 - gap2: 9 9 9\n";
    let optima = read_gap_optima_str(text);
    let keys: Vec<&str> = optima.keys().map(String::as_str).collect();
    assert_eq!(keys, ["gap1", "gap2", "gapB", "gapa"]);
    assert_eq!(optima["gap1"], [336, 327, 339, 341, 326]);
    assert_eq!(optima["gap2"], [9, 9, 9], "the last line of a name counts");
    assert_eq!(optima["gapa"].len(), 6);
    assert_eq!(optima["gapB"], [1, 2]);
    assert!(read_gap_optima_str("").is_empty());
}

#[test]
fn missing_files_are_io_errors() {
    let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("no/such/gap1.txt");
    let err = read_gap_file(&missing).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Io { .. }), "{err}");
    let err = read_gap_optima_file(&missing).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Io { .. }), "{err}");
}

/// Writes problems back in the file format, breaking lines every `width` numbers.
fn write_gap(problems: &[GapInstance], width: usize) -> String {
    let mut numbers = vec![problems.len() as i64];
    for g in problems {
        numbers.push(g.agents as i64);
        numbers.push(g.jobs as i64);
        numbers.extend(g.cost.iter().flatten());
        numbers.extend(g.load.iter().flatten());
        numbers.extend(&g.capacity);
    }
    numbers
        .chunks(width.max(1))
        .map(|c| c.iter().map(i64::to_string).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn instance() -> impl Strategy<Value = GapInstance> {
    (1usize..5, 1usize..7).prop_flat_map(|(m, n)| {
        (
            proptest::collection::vec(proptest::collection::vec(-50i64..100, n), m),
            proptest::collection::vec(proptest::collection::vec(0i64..30, n), m),
            proptest::collection::vec(0i64..200, m),
        )
            .prop_map(move |(cost, load, capacity)| GapInstance {
                agents: m,
                jobs: n,
                cost,
                load,
                capacity,
            })
    })
}

proptest! {
    #[test]
    fn any_wrapping_reads_back_the_same_problems(
        problems in proptest::collection::vec(instance(), 1..4),
        width in 1usize..20,
    ) {
        let text = write_gap(&problems, width);
        prop_assert_eq!(read_gap_str(&text, "generated").expect("reads"), problems);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[0-9 \\n\\r\\t+x.-]{0,80}") {
        let _ = read_gap_str(&text, "fuzz");
        let _ = read_gap_optima_str(&text);
    }

    #[test]
    fn a_cut_file_is_a_syntax_error(
        problems in proptest::collection::vec(instance(), 1..3),
        cut in 0.0f64..1.0,
    ) {
        let text = write_gap(&problems, 7);
        let tokens: Vec<&str> = text.split_ascii_whitespace().collect();
        let keep = ((tokens.len() - 1) as f64 * cut) as usize;
        let short = tokens[..keep].join(" ");
        let err = read_gap_str(&short, "cut").unwrap_err();
        prop_assert!(matches!(err.kind(), ErrorKind::Syntax { .. }), "{}", err);
    }
}

fn orlib_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks/orlib")
}

/// The OR-Library files, when present: counts, sizes, senses, and that each
/// published optimum lies within the trivial bound of its problem.
#[test]
fn or_library_gap_files_when_present() {
    let dir = orlib_dir();
    let gap_dir = dir.join("gap");
    if !gap_dir.is_dir() {
        return;
    }
    let optima = read_gap_optima_file(dir.join("optima.md")).expect("optima.md");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&gap_dir)
        .expect("gap dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("gap") && n.ends_with(".txt"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no gap*.txt in {}", gap_dir.display());
    let big_sizes = [
        (5, 100),
        (5, 200),
        (10, 100),
        (10, 200),
        (20, 100),
        (20, 200),
    ];
    let mut seen = Vec::new();
    for path in &files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name");
        let problems = read_gap_file(path).unwrap_or_else(|e| panic!("{e}"));
        let sense = Sense::of_file_name(&path.display().to_string());
        let sizes: Vec<(usize, usize)> = problems.iter().map(|g| (g.agents, g.jobs)).collect();
        match sense {
            Some(Sense::Maximize) => {
                assert_eq!(problems.len(), 5, "{stem}");
                assert!(sizes.iter().all(|&s| s == sizes[0]), "{stem}: {sizes:?}");
            }
            Some(Sense::Minimize) if stem != "gapd" => {
                assert_eq!(sizes, big_sizes, "{stem}");
            }
            Some(Sense::Minimize) => {}
            None => continue,
        }
        for g in &problems {
            assert_eq!(g.cost.len(), g.agents, "{stem}");
            assert!(g.cost.iter().chain(&g.load).all(|r| r.len() == g.jobs));
            assert_eq!(g.capacity.len(), g.agents, "{stem}");
        }
        if let Some(values) = optima.get(stem) {
            assert_eq!(values.len(), problems.len(), "{stem}");
            for (k, (g, &best)) in problems.iter().zip(values).enumerate() {
                // The best cost of each job on its own is a bound on any assignment.
                let column = |j: usize| g.cost.iter().map(move |row| row[j]);
                let bound: i64 = match sense {
                    Some(Sense::Maximize) => (0..g.jobs).filter_map(|j| column(j).max()).sum(),
                    _ => (0..g.jobs).filter_map(|j| column(j).min()).sum(),
                };
                let within = match sense {
                    Some(Sense::Maximize) => best <= bound,
                    _ => best >= bound,
                };
                assert!(within, "{stem} #{}: optimum {best}, bound {bound}", k + 1);
            }
        }
        seen.push(stem.to_string());
    }
    for k in 1..=12 {
        let stem = format!("gap{k}");
        assert_eq!(optima.get(&stem).map(Vec::len), Some(5), "{stem}");
    }
    for stem in ["gapa", "gapb", "gapc"] {
        assert_eq!(optima.get(stem).map(Vec::len), Some(6), "{stem}");
    }
    // The files the optima name are all there (gapd is optional).
    for stem in optima.keys().filter(|s| s.as_str() != "gapd") {
        assert!(seen.contains(stem), "{stem}.txt is missing");
    }
}
