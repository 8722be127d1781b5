//! Numeric and text options of the `servnet` commands: a value out of range
//! is refused before any work, exit 2, with a message naming the option —
//! never a panic, never a silent substitute.

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{dir, s, servnet, stdout, text};

/// Asserts `args` is refused: exit 2, nothing on standard output, the
/// message names `option` and holds each of `needles`.
fn refused(args: &[&str], option: &str, needles: &[&str]) {
    let o = servnet(args);
    let all = text(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {all}");
    assert!(stdout(&o).is_empty(), "{args:?} printed: {all}");
    assert!(!all.contains("panicked"), "{args:?}: {all}");
    assert!(all.contains(option), "{args:?}: no `{option}` in {all}");
    for n in needles {
        assert!(all.contains(n), "{args:?}: no `{n}` in {all}");
    }
}

#[test]
fn a_promise_s_number_and_unit_are_read_apart() {
    let plan = |promise: &str| {
        vec![
            "plan".to_string(),
            "--preset".into(),
            "province:Hainan".into(),
            "--visits".into(),
            "20000".into(),
            "--sweep".into(),
            "1".into(),
            format!("--promise={promise}"),
        ]
    };
    for (promise, needle) in [
        ("1e308km", "1e308"),
        ("1e308", "1e308"),
        ("0km", "0km"),
        ("-5km", "-5km"),
        ("NaNkm", "NaN"),
        ("infmin", "inf"),
        ("90min,1e9min", "1e9"),
        ("5e", "unknown unit `e`"),
        ("50miles", "unknown unit `miles`"),
        ("km", "not a number"),
        ("50km,60km", "twice"),
        (",", "empty"),
    ] {
        let args = plan(promise);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&args, "promise", &[needle]);
        let o = servnet(&args);
        assert!(!text(&o).contains("`e308"), "{promise}: {}", text(&o));
    }
    // The accepted forms still work.
    for promise in ["50km", "50", "90min", "50km,90min", "1e2km"] {
        let args = plan(promise);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = servnet(&args);
        assert_eq!(o.status.code(), Some(0), "{promise}: {}", text(&o));
    }
}

#[test]
fn zero_technicians_is_refused_not_read_as_one_per_outlet() {
    let d = dir("technicians");
    let out = d.join("day.json");
    for args in [
        vec![
            "generate",
            "--preset",
            "province:Hainan",
            "--technicians",
            "0",
            "--out",
            s(&out),
        ],
        vec![
            "simulate",
            "--preset",
            "province:Hainan",
            "--days",
            "1",
            "--technicians",
            "0",
        ],
    ] {
        refused(&args, "--technicians", &["0"]);
    }
    assert!(!out.exists());
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn every_numeric_option_is_range_checked_by_name() {
    let d = dir("ranges");
    let out = d.join("out.json");
    let out = s(&out);
    // Inputs that do not exist: a value that got through would fail on them, without the option's name.
    let (day, plan, req) = ("missing-day.json", "missing-plan.json", "missing-req.json");
    let gen_ = |o: &str, v: &str| {
        vec![
            "generate".to_string(),
            "--preset".into(),
            "province:Hainan".into(),
            format!("--{o}={v}"),
            "--out".into(),
            out.into(),
        ]
    };
    let dispatch = |o: &str, v: &str| {
        vec![
            "dispatch".to_string(),
            day.into(),
            "--strategy".into(),
            "optimal".into(),
            format!("--{o}={v}"),
        ]
    };
    let insert = |o: &str, v: &str| {
        vec![
            "insert".to_string(),
            day.into(),
            plan.into(),
            req.into(),
            format!("--{o}={v}"),
        ]
    };
    let simulate = |o: &str, v: &str| {
        vec![
            "simulate".to_string(),
            "--preset".into(),
            "province:Hainan".into(),
            format!("--{o}={v}"),
        ]
    };
    let coverage =
        |o: &str, v: &str| vec!["coverage".to_string(), day.into(), format!("--{o}={v}")];
    let plan_ = |o: &str, v: &str| {
        vec![
            "plan".to_string(),
            "--preset".into(),
            "province:Hainan".into(),
            format!("--{o}={v}"),
        ]
    };
    let orlib = |set: &str, o: &str, v: &str| {
        vec![
            "orlib".to_string(),
            set.into(),
            "missing.txt".into(),
            format!("--{o}={v}"),
        ]
    };
    const SECONDS: &[&str] = &["0", "-1", "NaN", "inf", "1e308", "ten"];
    const REACH: &[&str] = &["0", "-1", "NaN", "inf", "1e308", "far"];
    const AMOUNT: &[&str] = &["-1", "NaN", "inf", "1e300", "x"];
    let mut cases: Vec<(Vec<String>, &str)> = Vec::new();
    let mut add =
        |make: &dyn Fn(&str, &str) -> Vec<String>, option: &'static str, values: &[&str]| {
            for v in values {
                cases.push((make(option, v), option));
            }
        };
    add(
        &gen_,
        "requests",
        &["-1", "10000001", "1e3", "99999999999999999999999"],
    );
    add(&gen_, "month", &["0", "13", "-1"]);
    add(&gen_, "technicians", &["0", "-1", "10000001"]);
    add(&gen_, "seed", &["-1", "x"]);
    add(&dispatch, "time-limit", SECONDS);
    add(&dispatch, "anytime", SECONDS);
    add(&dispatch, "work-limit", &["0", "-1", "x"]);
    add(&insert, "now", &["-1", "NaN", "inf", "1e308"]);
    add(&simulate, "days", &["0", "367", "-1"]);
    add(&simulate, "requests-per-day", &["0", "10000001", "-1"]);
    add(&simulate, "technicians", &["0"]);
    add(&simulate, "month", &["0", "13"]);
    add(&simulate, "round-every", &["0", "1441"]);
    add(&coverage, "km", REACH);
    add(&coverage, "minutes", REACH);
    add(&plan_, "escalation-km", &["-1", "NaN", "inf", "1e308"]);
    add(&plan_, "visits", &["0", "-1", "NaN", "inf", "1e308"]);
    add(&plan_, "owned-fixed", AMOUNT);
    add(&plan_, "owned-per-minute", AMOUNT);
    add(&plan_, "contracted-fee", AMOUNT);
    add(&plan_, "dealer-fee", AMOUNT);
    add(&plan_, "per-km", AMOUNT);
    add(&plan_, "sweep", &["0", "1,-1", "NaN", "1,inf", "1e308"]);
    add(&plan_, "target-gap", &["1", "-0.1", "NaN", "inf"]);
    for set in ["gap", "cap", "pmed"] {
        let make = move |o: &str, v: &str| orlib(set, o, v);
        add(&make, "time-limit", SECONDS);
    }
    add(
        &|o, v| orlib("cap", o, v),
        "capacity",
        &["0", "-1", "NaN", "inf"],
    );
    for (args, option) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&args, &format!("--{option}"), &[]);
    }
    assert!(!d.join("out.json").exists());
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn each_command_s_help_is_its_own_and_its_summary_one_line() {
    let o = servnet(&["--help"]);
    assert!(o.status.success(), "{}", text(&o));
    let listing = stdout(&o);
    for (command, starts) in [
        ("route", "Order each technician's visits"),
        ("insert", "Place an urgent request"),
        ("verify", "Check a plan"),
        ("dispatch", "Dispatch a scenario"),
    ] {
        let help = servnet(&[command, "--help"]);
        let first = stdout(&help).lines().next().unwrap_or_default().to_string();
        assert!(first.starts_with(starts), "{command} --help: {first}");
        let line = listing
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{command} ")))
            .unwrap_or_else(|| panic!("{command} not listed: {listing}"));
        assert!(line.contains(starts), "{line}");
        assert!(line.chars().count() <= 100, "a summary of one line: {line}");
    }
    // The exit status of a closed pipe is documented.
    assert!(listing.contains("141"), "{listing}");
}
