//! The `servnet` command on real files: exit codes, messages, determinism, no panics.

#[path = "common/cli.rs"]
mod cli_common;

use cli_common::{dir, generate_day, s, servnet, text};
use std::path::{Path, PathBuf};

#[test]
fn generate_dispatch_verify_round_trip_is_deterministic() {
    let d = dir("round");
    let (a, b, plan) = (d.join("a.json"), d.join("b.json"), d.join("plan.json"));
    for f in [&a, &b] {
        generate_day(f, "province:Fujian", 400, 7);
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let o = servnet(&["validate", s(&a)]);
    assert!(
        o.status.success() && text(&o).contains("400 requests"),
        "{}",
        text(&o)
    );
    let o = servnet(&[
        "dispatch",
        s(&a),
        "--strategy",
        "nearest",
        "--out",
        s(&plan),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("assigned") && text(&o).contains("company_owned"),
        "{}",
        text(&o)
    );
    let o = servnet(&["verify", s(&a), s(&plan)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // A tampered plan fails verification with exit 1 and names the request.
    let p = std::fs::read_to_string(&plan).unwrap();
    let start = p.find("\"assignments\":[").unwrap() + "\"assignments\":[".len();
    let end = start + p[start..].find("},").unwrap() + 2;
    let request = &p[start..end]
        .split("\"request\":")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let tampered = format!("{}{}", &p[..start], &p[end..]);
    std::fs::write(d.join("bad-plan.json"), tampered).unwrap();
    let o = servnet(&["verify", s(&a), s(&d.join("bad-plan.json"))]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("MissingRequest request {request}")),
        "{}",
        text(&o)
    );
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn validate_names_every_defect_and_exits_2() {
    let d = dir("validate");
    let f = d.join("day.json");
    generate_day(&f, "province:Ningxia", 20, 1);
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    v["technicians"][1]["id"] = v["technicians"][0]["id"].clone();
    v["technicians"][2]["outlet"] = 9999.into();
    v["technicians"][3]["skills"] = serde_json::json!([]);
    v["requests"][0]["location"] = serde_json::json!([300.0, 95.0]);
    v["requests"][1]["categories"] = serde_json::json!([77]);
    v["requests"][2]["window"] = serde_json::json!({"start_min": 900, "end_min": 100});
    v["outlets"][0]["daily_capacity"] = 0.into();
    std::fs::write(&f, v.to_string()).unwrap();
    let o = servnet(&["validate", s(&f)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let out = text(&o);
    let id = |list: &str, i: usize| v[list][i]["id"].to_string();
    for needle in [
        format!("E1100 technician {}", id("technicians", 0)),
        format!("E1200 technician {}, field `outlet`", id("technicians", 2)),
        format!("E1500 technician {}, field `skills`", id("technicians", 3)),
        format!("E1300 request {}, field `location`", id("requests", 0)),
        format!("E1200 request {}, field `categories`", id("requests", 1)),
        format!("E1600 request {}, field `window`", id("requests", 2)),
        format!("E1400 outlet {}, field `daily_capacity`", id("outlets", 0)),
    ] {
        assert!(out.contains(&needle), "missing `{needle}` in:\n{out}");
    }
    // An unknown enum value is named with the element's id.
    let teleport = id("requests", 3);
    v["requests"][3]["kind"] = "teleport".into();
    std::fs::write(&f, v.to_string()).unwrap();
    let o = servnet(&["validate", s(&f)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("teleport") && text(&o).contains(&format!("request {teleport}")),
        "{}",
        text(&o)
    );
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn no_input_makes_a_command_panic() {
    let d = dir("garbage");
    let cases: [(&str, &[u8]); 6] = [
        ("empty.json", b""),
        ("binary.json", &[0xff, 0xfe, 0x00, 0x12]),
        ("array.json", b"[1, 2, 3]"),
        ("truncated.json", b"{\"regions\": [{\"id\": 1,"),
        ("huge.json", b"{\"regions\": [], \"cities\": [{\"id\": 1e400}], \"outlets\": [], \"technicians\": [], \"requests\": []}"),
        ("nulls.json", b"{\"regions\": null, \"cities\": [null], \"outlets\": [], \"technicians\": [], \"requests\": []}"),
    ];
    for (name, bytes) in cases {
        let f = d.join(name);
        std::fs::write(&f, bytes).unwrap();
        for args in [
            vec!["validate", s(&f)],
            vec!["dispatch", s(&f)],
            vec!["verify", s(&f), s(&f)],
        ] {
            let o = servnet(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
            assert!(!text(&o).contains("panicked"), "{args:?}: {}", text(&o));
        }
    }
    let o = servnet(&["validate", s(&d.join("missing.json"))]);
    assert_eq!(o.status.code(), Some(2));
    let o = servnet(&[
        "generate",
        "--preset",
        "province:Atlantis",
        "--out",
        s(&d.join("x.json")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("preset"), "{}", text(&o));
    let o = servnet(&["dispatch", s(&d.join("empty.json")), "--strategy", "magic"]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn simulate_writes_its_reports_and_accounts_for_every_call() {
    let d = dir("simulate");
    let run = |out: &Path| {
        servnet(&[
            "simulate",
            "--preset",
            "province:Hainan",
            "--days",
            "2",
            "--requests-per-day",
            "300",
            "--seed",
            "3",
            "--strategies",
            "nearest,regret",
            "--out",
            s(out),
        ])
    };
    let (a, b) = (d.join("a"), d.join("b"));
    for out in [&a, &b] {
        let o = run(out);
        assert!(o.status.success(), "{}", text(&o));
        assert!(text(&o).contains("regret"), "{}", text(&o));
    }
    for f in ["kpis.json", "kpis.csv", "backlog.csv", "strategies.svg"] {
        let bytes = std::fs::read(a.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(!bytes.is_empty(), "{f} is empty");
        if f != "strategies.svg" {
            assert_eq!(bytes, std::fs::read(b.join(f)).unwrap(), "{f} differs");
        }
    }
    let kpis: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("kpis.json")).unwrap()).unwrap();
    let strategies = kpis.as_array().expect("one object per strategy");
    assert_eq!(strategies.len(), 2);
    for k in strategies {
        let n = |f: &str| k[f].as_u64().unwrap_or_else(|| panic!("{f} in {k}"));
        assert!(n("requests_total") > 0);
        assert_eq!(
            n("requests_total"),
            n("resolved_by_phone") + n("served") + n("backlog"),
            "{k}"
        );
        assert_eq!(n("violations"), 0, "{k}");
    }
    let backlog = std::fs::read_to_string(a.join("backlog.csv")).unwrap();
    let rows = backlog.lines().count() - 1;
    let open: u64 = strategies
        .iter()
        .map(|k| k["backlog"].as_u64().unwrap())
        .sum();
    assert_eq!(
        rows as u64, open,
        "one backlog row per open request and strategy"
    );
}

#[test]
fn simulate_refuses_bad_settings_with_exit_2() {
    let d = dir("simulate-bad");
    let config = d.join("config.json");
    std::fs::write(&config, r#"{"round_every_min": 0}"#).unwrap();
    for (args, says) in [
        (vec!["--config", s(&config)], "round_every_min"),
        (vec!["--region", "sometimes"], "sometimes"),
        (vec!["--strategies", "fastest"], "fastest"),
        (vec!["--days", "0"], "days"),
    ] {
        let mut all = vec!["simulate", "--preset", "province:Hainan"];
        all.extend(args);
        let o = servnet(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {}", text(&o));
        assert!(text(&o).contains(says), "{all:?}: {}", text(&o));
        assert!(!text(&o).contains("panicked"), "{}", text(&o));
    }
}

#[test]
fn dispatch_writes_geojson_and_a_map_under_road_travel() {
    let d = dir("maps");
    let (day, geo, map) = (
        d.join("day.json"),
        d.join("plan.geojson"),
        d.join("plan.svg"),
    );
    let o = servnet(&[
        "generate",
        "--preset",
        "province:Hainan",
        "--requests",
        "120",
        "--seed",
        "2",
        "--travel",
        "roads",
        "--out",
        s(&day),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = servnet(&["dispatch", s(&day), "--geojson", s(&geo), "--map", s(&map)]);
    assert!(o.status.success(), "{}", text(&o));
    let fc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&geo).unwrap()).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let points = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["geometry"]["type"] == "Point")
        .count();
    assert!(
        points >= 120,
        "{points} points for 120 requests and the outlets"
    );
    let svg = std::fs::read_to_string(&map).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    // The same plan routed: a line per technician's day, the routes checked.
    let (plan, routes) = (d.join("plan.json"), d.join("routes.geojson"));
    let o = servnet(&["dispatch", s(&day), "--out", s(&plan)]);
    assert!(o.status.success(), "{}", text(&o));
    let o = servnet(&["route", s(&day), s(&plan), "--geojson", s(&routes)]);
    assert!(
        o.status.success() && text(&o).contains("on time"),
        "{}",
        text(&o)
    );
    let fc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&routes).unwrap()).unwrap();
    let days = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["feature"] == "route")
        .count();
    assert!(days > 0, "no route lines");
    let o = servnet(&["generate", "--travel", "teleport", "--out", s(&day)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("teleport"), "{}", text(&o));
}

#[test]
fn insert_places_a_request_and_a_bad_request_file_exits_2() {
    let d = dir("insert");
    let (scen, plan, req, out) = (
        d.join("s.json"),
        d.join("plan.json"),
        d.join("req.json"),
        d.join("routed.json"),
    );
    generate_day(&scen, "province:Hainan", 150, 3);
    let o = servnet(&["dispatch", s(&scen), "--out", s(&plan)]);
    assert!(o.status.success(), "{}", text(&o));
    let scenario = servnet::io::read_scenario(&scen).unwrap();
    let mut r = scenario.requests()[0].clone();
    r.id = servnet::RequestId(900_000);
    r.window = servnet::TimeWindow {
        start_min: 600,
        end_min: 900,
    };
    std::fs::write(&req, serde_json::to_string(&r).unwrap()).unwrap();
    let o = servnet(&[
        "insert",
        s(&scen),
        s(&plan),
        s(&req),
        "--now",
        "560",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("technician") && text(&o).contains("extra cost"),
        "{}",
        text(&o)
    );
    // The plan written holds the request in a route and passes the checker
    // against the scenario with the request added.
    let routed = servnet::io::read_plan(&out).unwrap();
    assert!(
        routed
            .routes
            .iter()
            .any(|x| x.stops.iter().any(|st| st.request == r.id)),
        "{routed:?}"
    );
    let mut data = scenario.data().clone();
    data.requests.push(r.clone());
    let with = servnet::Scenario::new(data).unwrap();
    let v = servnet::verify(&with, &routed);
    assert!(v.is_empty(), "{v:?}");
    // The routed plan written reads back; inserting into it again needs a
    // scenario that has the first request, and says so otherwise.
    r.id = servnet::RequestId(900_001);
    std::fs::write(&req, serde_json::to_string(&r).unwrap()).unwrap();
    let o = servnet(&["insert", s(&scen), s(&out), s(&req), "--now", "560"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("UnknownId request 900000"),
        "{}",
        text(&o)
    );
    // Not a request, and a request of unknown category: exit 2 with the reason.
    std::fs::write(&req, "{\"id\": 5}").unwrap();
    let o = servnet(&["insert", s(&scen), s(&plan), s(&req)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("req.json"), "{}", text(&o));
    r.categories = vec![servnet::CategoryId(999)];
    std::fs::write(&req, serde_json::to_string(&r).unwrap()).unwrap();
    let o = servnet(&["insert", s(&scen), s(&plan), s(&req)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("category 999"), "{}", text(&o));
}

#[test]
fn plan_writes_its_files_and_every_city_is_in_the_csv() {
    let d = dir("plan");
    let out = d.join("out");
    let run = |promise: &str, extra: &[&str]| {
        let mut args = vec![
            "plan",
            "--preset",
            "province:Hainan",
            "--promise",
            promise,
            "--visits",
            "200000",
            "--sweep",
            "0.5,1,2",
        ];
        args.extend_from_slice(extra);
        servnet(&args)
    };
    let o = run("40km", &["--out", s(&out)]);
    assert!(o.status.success(), "{}", text(&o));
    let printed = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(printed.contains("owned outlets"), "{printed}");
    assert!(printed.contains("volume sweep"), "{printed}");
    assert!(printed.contains("coverage within 40 km"), "{printed}");
    for f in [
        "plan.csv",
        "plan.geojson",
        "plan.svg",
        "sweep.csv",
        "break_even.csv",
        "coverage.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let csv = std::fs::read_to_string(out.join("plan.csv")).unwrap();
    let cities: std::collections::BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let hainan = servnet::generate::Generator::new(servnet::generate::Preset::province("Hainan"))
        .forecast(1.0)
        .unwrap();
    assert_eq!(cities.len(), hainan.cities.len(), "one city a row group");
    assert_eq!(
        std::fs::read_to_string(out.join("sweep.csv"))
            .unwrap()
            .lines()
            .count(),
        4
    );
    let svg = std::fs::read_to_string(out.join("plan.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("company_owned"));
    // The same run gives the same bytes.
    let again = d.join("again");
    assert!(run("40km", &["--out", s(&again)]).status.success());
    assert_eq!(
        csv,
        std::fs::read_to_string(again.join("plan.csv")).unwrap()
    );
    // Prefecture-level candidates only and a 1 km promise: counties' jobs are uncovered, not an error.
    let o = run("1km", &["--candidates", "prefecture", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let printed = String::from_utf8_lossy(&o.stdout);
    assert!(printed.contains("\"status\":\"uncovered\""), "{printed}");
    // A bad promise exits 2 naming it.
    let o = run("50 parsecs", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("promise"), "{}", text(&o));
}

#[test]
fn plan_reads_a_forecast_csv_and_names_a_city_without_coordinates() {
    let d = dir("plan-forecast");
    let good = d.join("good.csv");
    let bad = d.join("bad.csv");
    let hainan = servnet::generate::Generator::new(servnet::generate::Preset::province("Hainan"))
        .forecast(1.0)
        .unwrap();
    let ids: Vec<u32> = hainan.cities.iter().map(|c| c.city.0).collect();
    std::fs::write(
        &good,
        format!("city,visits\n{},40000\n{},900\n", ids[0], ids[1]),
    )
    .unwrap();
    std::fs::write(&bad, format!("city,visits\n{},40000\n99999,900\n", ids[0])).unwrap();
    let run = |f: &Path| {
        servnet(&[
            "plan",
            "--preset",
            "province:Hainan",
            "--forecast",
            s(f),
            "--sweep",
            "1",
        ])
    };
    let o = run(&good);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("2 cities, 40900 visits a year"),
        "{}",
        text(&o)
    );
    let o = run(&bad);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("99999"), "{}", text(&o));
    assert!(!text(&o).contains("panicked"), "{}", text(&o));
}

/// Runs `servnet verify` on a scenario and a plan file.
fn verify_file(day: &Path, plan: &Path) -> std::process::Output {
    servnet(&["verify", s(day), s(plan)])
}

#[test]
fn verify_accepts_every_plan_file_the_commands_write() {
    let d = dir("verify-all");
    let day = d.join("day.json");
    generate_day(&day, "province:Hainan", 200, 4);
    let mut written: Vec<PathBuf> = Vec::new();
    for strategy in servnet::dispatch::STRATEGIES {
        let plan = d.join(format!("{strategy}.json"));
        let mut args = vec![
            "dispatch",
            s(&day),
            "--strategy",
            strategy,
            "--out",
            s(&plan),
        ];
        if strategy == "optimal" {
            args.extend(["--work-limit", "2000", "--seed", "3"]);
        }
        let o = servnet(&args);
        assert!(o.status.success(), "{strategy}: {}", text(&o));
        written.push(plan);
    }
    // `route` re-orders each day of a plan; `insert` adds a request to one.
    let routed = d.join("routed.json");
    let o = servnet(&["route", s(&day), s(&written[2]), "--out", s(&routed)]);
    assert!(o.status.success(), "{}", text(&o));
    written.push(routed);
    for path in &written {
        let o = verify_file(&day, path);
        assert_eq!(o.status.code(), Some(0), "{}: {}", path.display(), text(&o));
        assert!(text(&o).contains("ok:"), "{}", text(&o));
    }
    let scenario = servnet::io::read_scenario(&day).unwrap();
    let mut r = scenario.requests()[3].clone();
    r.id = servnet::RequestId(700_000);
    r.window = servnet::TimeWindow {
        start_min: 600,
        end_min: 1000,
    };
    let req = d.join("request.json");
    std::fs::write(&req, serde_json::to_string(&r).unwrap()).unwrap();
    let inserted = d.join("inserted.json");
    let o = servnet(&[
        "insert",
        s(&day),
        s(&written[0]),
        s(&req),
        "--now",
        "540",
        "--out",
        s(&inserted),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    // The plan now holds a request the day does not: the checker names it,
    // and accepts the plan against the day with the request in it.
    let o = verify_file(&day, &inserted);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("request 700000"), "{}", text(&o));
    let mut data = scenario.data().clone();
    data.requests.push(r);
    let day_with = d.join("day-with-request.json");
    servnet::io::write_json(&day_with, &servnet::Scenario::new(data).unwrap()).unwrap();
    let o = verify_file(&day_with, &inserted);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn verify_exits_1_on_a_plan_whose_stop_time_was_edited() {
    let d = dir("verify-edited");
    let (day, plan, edited) = (
        d.join("day.json"),
        d.join("plan.json"),
        d.join("edited.json"),
    );
    generate_day(&day, "province:Ningxia", 80, 2);
    let o = servnet(&[
        "dispatch",
        s(&day),
        "--strategy",
        "regret",
        "--out",
        s(&plan),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(verify_file(&day, &plan).status.code(), Some(0));
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    let stop = &mut v["routes"][0]["stops"][0];
    let request = stop["request"].clone();
    stop["depart_min"] = (stop["depart_min"].as_f64().unwrap() - 10.0).into();
    std::fs::write(&edited, v.to_string()).unwrap();
    let o = verify_file(&day, &edited);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("RouteTiming request {request}")),
        "{}",
        text(&o)
    );
    std::fs::remove_dir_all(d).ok();
}
