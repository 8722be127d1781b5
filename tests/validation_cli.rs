//! `servnet validate`, `insert` and `simulate` name every problem of their
//! input files at once, with paths and the close known names.
#![cfg(feature = "cli")]

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{dir, generate_day, s, servnet, text};

fn generate(d: &std::path::Path) -> (std::path::PathBuf, serde_json::Value) {
    let f = d.join("day.json");
    generate_day(&f, "province:Hainan", 20, 1);
    let v = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    (f, v)
}

#[test]
fn validate_lists_exactly_the_four_problems_of_a_mixed_defect_file() {
    let d = dir("mixed");
    let (f, mut v) = generate(&d);
    let o = servnet(&["validate", s(&f)]);
    assert!(o.status.success(), "{}", text(&o));
    v["outlets"][0]["daily_capacity"] = (-5).into();
    v["technicians"][1]["id"] = v["technicians"][0]["id"].clone();
    v["technicians"][2]["outlet"] = 99999.into();
    v["cities"][0]["location"][1] = 999.0.into();
    std::fs::write(&f, v.to_string()).unwrap();
    let o = servnet(&["validate", s(&f)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let out = text(&o);
    let id = |list: &str, i: usize| v[list][i]["id"].to_string();
    for needle in [
        format!(
            "E1001 outlet {}, field `outlets[0].daily_capacity`",
            id("outlets", 0)
        ),
        format!("E1100 technician {}, field `id`", id("technicians", 0)),
        format!("E1200 technician {}, field `outlet`", id("technicians", 2)),
        format!("E1300 city {}, field `location`", id("cities", 0)),
    ] {
        assert!(out.contains(&needle), "missing `{needle}` in:\n{out}");
    }
    assert!(out.contains("4 problem(s)"), "{out}");
    assert!(!out.contains("policy"), "{out}");
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn insert_names_a_misspelt_field_of_the_request_file() {
    let d = dir("insert-typo");
    let (f, v) = generate(&d);
    let plan = d.join("plan.json");
    let o = servnet(&["dispatch", s(&f), "--out", s(&plan)]);
    assert!(o.status.success(), "{}", text(&o));
    let req = d.join("req.json");
    let mut r = v["requests"][0].clone();
    r["id"] = 900_000.into();
    r["priorty"] = "urgent".into();
    std::fs::write(&req, r.to_string()).unwrap();
    let o = servnet(&["insert", s(&f), s(&plan), s(&req)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("req.json")
            && out.contains("priorty")
            && out.contains("did you mean `priority`"),
        "{out}"
    );
    // A syntax error names its real line and column.
    std::fs::write(&req, "{\n  \"id\": 900000,\n  \"city\": ?\n}").unwrap();
    let o = servnet(&["insert", s(&f), s(&plan), s(&req)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("line 3, column 11"), "{}", text(&o));
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn simulate_refuses_a_misspelt_setting_and_a_run_past_the_limit_of_calls() {
    let d = dir("simulate-limits");
    let config = d.join("config.json");
    std::fs::write(&config, r#"{"round_every": 60}"#).unwrap();
    let o = servnet(&[
        "simulate",
        "--preset",
        "province:Hainan",
        "--config",
        s(&config),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("round_every") && text(&o).contains("did you mean `round_every_min`"),
        "{}",
        text(&o)
    );
    std::fs::write(&config, "[]").unwrap();
    let o = servnet(&[
        "simulate",
        "--preset",
        "province:Hainan",
        "--config",
        s(&config),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = std::time::Instant::now();
    let o = servnet(&["simulate", "--days", "365", "--requests-per-day", "1000000"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains(&servnet::limits::MAX_SIM_CALLS.to_string()),
        "{}",
        text(&o)
    );
    assert!(t.elapsed().as_secs_f64() < 10.0, "{:?}", t.elapsed());
    std::fs::remove_dir_all(d).ok();
}
