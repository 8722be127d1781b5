//! The report files: KPI and backlog CSV, the strategies' SVG chart, and
//! `write_report`'s directory of files.

use servnet::io::report::{backlog_csv, kpis_csv, strategies_svg, write_report};
use servnet::sim::{BacklogEntry, KindKpis, Report, Simulation, StrategyKpis};
use servnet::{ErrorKind, RequestId};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Scalar columns of `kpis.csv`: the fields of `StrategyKpis` other than
/// `by_kind` and `unassigned_by_reason`.
const SCALARS: usize = 20;
/// Columns per outlet kind.
const PER_KIND: usize = 5;
/// Panels of the SVG chart.
const PANELS: usize = 6;

fn simulated() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        // The four strategies, `Optimal` with a small work limit so that the
        // unoptimised test build stays quick.
        let strategies: Vec<Box<dyn servnet::DispatchStrategy>> = vec![
            Box::new(servnet::Nearest::new()),
            Box::new(servnet::RegionNearest::new()),
            Box::new(servnet::Regret::new()),
            Box::new(servnet::Optimal::new().work_limit(300)),
        ];
        Simulation::new(servnet::generate::Preset::province("Hainan"))
            .days(2)
            .requests_per_day(120)
            .seed(3)
            .strategies(strategies)
            .run()
            .expect("simulation runs")
    })
}

fn kinds(visits: [usize; 3]) -> Vec<KindKpis> {
    let total: usize = visits.iter().sum();
    ["company_owned", "contracted", "dealer"]
        .iter()
        .zip(visits)
        .map(|(kind, v)| KindKpis {
            kind: kind.to_string(),
            visits: v,
            share: v as f64 / total.max(1) as f64,
            cost: 120.5 * v as f64,
            travel_km: 7.25 * v as f64,
            utilisation: 0.4,
        })
        .collect()
}

/// Three strategies: one with an awkward name, one with no outlet kinds and
/// no open requests; open reasons that only some strategies have.
fn hand_built() -> Report {
    let a = StrategyKpis {
        strategy: "a&b<c>".into(),
        requests_total: 10,
        resolved_by_phone: 2,
        served: 5,
        backlog: 3,
        sla_hit_rate: 0.75,
        response_mean_h: 3.5,
        response_p95_h: 9.0,
        visits: 6,
        total_cost: 1234.56,
        cost_per_visit: 205.75,
        travel_km: 60.0,
        travel_km_per_visit: 10.0,
        by_kind: kinds([3, 2, 1]),
        unassigned_by_reason: BTreeMap::from([
            ("no_capacity".to_string(), 2),
            ("awaiting_repeat_visit".to_string(), 1),
        ]),
        rounds: 4,
        ..StrategyKpis::default()
    };
    let b = StrategyKpis {
        strategy: "nearest, \"quoted\"".into(),
        requests_total: 10,
        resolved_by_phone: 2,
        served: 7,
        backlog: 1,
        sla_hit_rate: 0.9,
        response_mean_h: 2.25,
        visits: 7,
        total_cost: 1500.0,
        cost_per_visit: 1500.0 / 7.0,
        by_kind: kinds([7, 0, 0]),
        unassigned_by_reason: BTreeMap::from([("out_of_reach".to_string(), 1)]),
        rounds: 4,
        ..StrategyKpis::default()
    };
    let c = StrategyKpis {
        strategy: "idle".into(),
        requests_total: 10,
        resolved_by_phone: 10,
        ..StrategyKpis::default()
    };
    let entry = |id, age_h, reason: &str| BacklogEntry {
        request: RequestId(id),
        age_h,
        reason: reason.into(),
    };
    Report {
        strategies: vec![a, b, c],
        backlog: vec![
            vec![
                entry(3, 12.5, "no_capacity"),
                entry(4, 1.0 / 3.0, "no_capacity"),
                entry(8, 30.0, "awaiting_repeat_visit"),
            ],
            vec![entry(9, 2.0, "out_of_reach")],
            vec![],
        ],
        dispatch_seconds: vec![0.1, 0.2, 0.3],
    }
}

fn parse(text: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().expect("a header").clone();
    let rows = r
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("well-formed CSV");
    (header, rows)
}

fn column(header: &csv::StringRecord, name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn number(row: &csv::StringRecord, i: usize) -> f64 {
    row[i]
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {}", &row[i]))
}

/// Every request is accounted for in every row of the KPI CSV, and the
/// columns are the scalars, five per kind and one per open reason.
fn check_kpis_csv(report: &Report) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let (header, rows) = parse(&kpis_csv(report).unwrap());
    assert_eq!(rows.len(), report.strategies.len());
    let kinds: std::collections::BTreeSet<&str> = report
        .strategies
        .iter()
        .flat_map(|k| k.by_kind.iter().map(|b| b.kind.as_str()))
        .collect();
    let reasons: std::collections::BTreeSet<&str> = report
        .strategies
        .iter()
        .flat_map(|k| k.unassigned_by_reason.keys().map(String::as_str))
        .collect();
    assert_eq!(
        header.len(),
        SCALARS + PER_KIND * kinds.len() + reasons.len()
    );
    let (total, phone, served, backlog) = (
        column(&header, "requests_total"),
        column(&header, "resolved_by_phone"),
        column(&header, "served"),
        column(&header, "backlog"),
    );
    for (row, k) in rows.iter().zip(&report.strategies) {
        assert_eq!(row.len(), header.len());
        assert_eq!(&row[0], k.strategy);
        assert_eq!(
            number(row, total),
            number(row, phone) + number(row, served) + number(row, backlog),
            "{}: requests_total != phone + served + backlog",
            k.strategy
        );
        assert_eq!(number(row, total), k.requests_total as f64);
        assert_eq!(number(row, column(&header, "total_cost")), k.total_cost);
        assert_eq!(number(row, column(&header, "sla_hit_rate")), k.sla_hit_rate);
        let open: f64 = reasons
            .iter()
            .map(|r| number(row, column(&header, &format!("open_{r}"))))
            .sum();
        assert_eq!(open, k.unassigned_by_reason.values().sum::<usize>() as f64);
    }
    (header, rows)
}

#[test]
fn simulated_report_is_consistent() {
    let report = simulated();
    assert!(!report.strategies.is_empty());
    assert_eq!(report.backlog.len(), report.strategies.len());
    for (k, open) in report.strategies.iter().zip(&report.backlog) {
        assert!(k.requests_total > 0, "{}: no requests", k.strategy);
        assert_eq!(k.backlog, open.len(), "{}", k.strategy);
    }
}

#[test]
fn kpis_csv_of_a_simulation_parses_back() {
    let report = simulated();
    let (header, _) = check_kpis_csv(report);
    for kind in ["company_owned", "contracted", "dealer"] {
        for field in ["visits", "share", "cost", "travel_km", "utilisation"] {
            column(&header, &format!("{kind}_{field}"));
        }
    }
}

#[test]
fn kpis_csv_header_follows_the_declaration_order() {
    let (header, rows) = check_kpis_csv(&hand_built());
    let expected: Vec<String> = [
        "strategy",
        "requests_total",
        "resolved_by_phone",
        "served",
        "backlog",
        "sla_hit_rate",
        "response_mean_h",
        "response_p95_h",
        "visits",
        "repeat_visits",
        "escalated_visits",
        "one_stop_visits",
        "visits_saved",
        "coordinated_requests",
        "travel_km",
        "travel_km_per_visit",
        "total_cost",
        "cost_per_visit",
        "rounds",
        "violations",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(
        ["company_owned", "contracted", "dealer"]
            .iter()
            .flat_map(|kind| {
                ["visits", "share", "cost", "travel_km", "utilisation"]
                    .iter()
                    .map(move |f| format!("{kind}_{f}"))
            }),
    )
    .chain(
        [
            "open_awaiting_repeat_visit",
            "open_no_capacity",
            "open_out_of_reach",
        ]
        .iter()
        .map(|s| s.to_string()),
    )
    .collect();
    assert_eq!(header.iter().collect::<Vec<_>>(), expected);

    // Absent reasons and kinds are 0; present ones are the counts.
    let at = |row: usize, name: &str| rows[row][column(&header, name)].to_string();
    assert_eq!(at(0, "open_no_capacity"), "2");
    assert_eq!(at(0, "open_out_of_reach"), "0");
    assert_eq!(at(1, "open_out_of_reach"), "1");
    assert_eq!(at(2, "open_no_capacity"), "0");
    assert_eq!(at(2, "dealer_visits"), "0");
    assert_eq!(at(0, "company_owned_cost"), "361.5");
    assert_eq!(at(1, "strategy"), "nearest, \"quoted\"");
    assert_eq!(at(0, "cost_per_visit"), "205.75");
}

/// The CSV's scalar columns are exactly the JSON's keys other than the
/// nested ones: a field added to `StrategyKpis` must be added to the CSV.
#[test]
fn kpis_csv_covers_every_scalar_field() {
    let report = hand_built();
    let (header, _) = parse(&kpis_csv(&report).unwrap());
    let value = serde_json::to_value(&report.strategies[0]).unwrap();
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "by_kind" && *k != "unassigned_by_reason")
        .collect();
    keys.sort_unstable();
    let mut scalars: Vec<&str> = header.iter().take(SCALARS).collect();
    scalars.sort_unstable();
    assert_eq!(scalars, keys);
}

#[test]
fn backlog_csv_has_one_row_per_open_request() {
    for report in [simulated().clone(), hand_built()] {
        let (header, rows) = parse(&backlog_csv(&report).unwrap());
        assert_eq!(
            header.iter().collect::<Vec<_>>(),
            ["strategy", "request", "age_h", "reason"]
        );
        let open: usize = report.backlog.iter().map(Vec::len).sum();
        assert_eq!(rows.len(), open);
        for (k, entries) in report.strategies.iter().zip(&report.backlog) {
            let mine: Vec<_> = rows.iter().filter(|r| r[0] == *k.strategy).collect();
            assert_eq!(mine.len(), entries.len(), "{}", k.strategy);
            for (row, e) in mine.iter().zip(entries) {
                assert_eq!(row[1].parse::<u32>().unwrap(), e.request.0);
                assert_eq!(row[2].parse::<f64>().unwrap(), e.age_h);
                assert_eq!(&row[3], e.reason);
            }
        }
    }
}

#[test]
fn backlog_without_a_strategy_is_an_error() {
    let mut report = hand_built();
    report.strategies.pop();
    let e = backlog_csv(&report).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Parameter { .. }), "{e}");
}

fn check_svg(report: &Report) -> String {
    let svg = strategies_svg(report);
    assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
    assert!(svg.ends_with("</svg>"));
    assert!(svg.contains(r#"xmlns="http://www.w3.org/2000/svg""#));
    assert!(svg.contains(r#"width="960""#));
    assert!(!svg.contains("<script") && !svg.contains("@import") && !svg.contains("href"));
    assert!(svg.matches("<rect").count() >= report.strategies.len() * PANELS);
    for title in [
        "Total cost",
        "Cost per visit",
        "SLA hit rate (%)",
        "Mean response (hours)",
        "Served requests",
        "Backlog (open requests)",
    ] {
        assert!(svg.contains(&format!(">{title}</text>")), "{title}");
    }
    // Every tag opened is closed: as many `<g>` as `</g>`, `<text` as `</text>`.
    assert_eq!(svg.matches("<g>").count(), PANELS);
    assert_eq!(svg.matches("</g>").count(), PANELS);
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    assert_eq!(svg.matches("<svg").count(), 1);
    svg
}

#[test]
fn svg_of_a_simulation_has_a_bar_per_strategy_and_panel() {
    let report = simulated();
    let svg = check_svg(report);
    // Each bar carries a tooltip naming its strategy.
    for k in &report.strategies {
        assert_eq!(
            svg.matches(&format!("<title>{}: ", k.strategy)).count(),
            PANELS,
            "{}",
            k.strategy
        );
    }
}

#[test]
fn svg_escapes_names_and_prints_values() {
    let report = hand_built();
    let svg = check_svg(&report);
    assert!(svg.contains("a&amp;b&lt;c&gt;"));
    assert!(!svg.contains("a&b<c>"));
    assert!(svg.contains("nearest, &quot;quoted&quot;"));
    // Values beside the bars, with fixed decimals.
    assert!(svg.contains(">1235</text>"), "total cost");
    assert!(svg.contains(">205.8</text>"), "cost per visit");
    assert!(svg.contains(">75.0</text>"), "SLA %");
    assert!(svg.contains(">3.50</text>"), "mean response");
    // Distinct fills for the three strategies.
    for fill in ["#4e79a7", "#f28e2b", "#e15759"] {
        assert!(svg.contains(&format!(r#"fill="{fill}""#)), "{fill}");
    }
    // Zero-valued bars are still drawn, with no length.
    assert!(svg.contains(r#"width="0.0""#));
}

#[test]
fn svg_of_no_strategies_is_still_a_chart() {
    let report = Report {
        strategies: vec![],
        backlog: vec![],
        dispatch_seconds: vec![],
    };
    check_svg(&report);
    let (header, rows) = parse(&kpis_csv(&report).unwrap());
    assert_eq!((header.len(), rows.len()), (SCALARS, 0));
}

#[test]
fn many_strategies_get_distinct_colours() {
    let mut report = hand_built();
    report.strategies = (0..14)
        .map(|i| StrategyKpis {
            strategy: format!("s{i}"),
            total_cost: i as f64,
            ..StrategyKpis::default()
        })
        .collect();
    report.backlog.clear();
    let svg = check_svg(&report);
    // Bars are the rects with a tooltip: `fill="…"><title>`.
    let fills: std::collections::BTreeSet<&str> = svg
        .split(r#""><title>"#)
        .filter_map(|before| before.rsplit_once(r#"fill=""#).map(|(_, f)| f))
        .collect();
    assert!(fills.len() >= 14, "{fills:?}");
}

/// A directory under the system's temporary one, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        TempDir(std::env::temp_dir().join(format!(
            "servnet-report-{tag}-{}-{nanos}",
            std::process::id()
        )))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn write_report_writes_four_files() {
    let report = simulated();
    let tmp = TempDir::new("write");
    let dir = tmp.0.join("nested").join("out");
    let paths = write_report(&dir, report).unwrap();
    let names: Vec<_> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        ["kpis.json", "kpis.csv", "backlog.csv", "strategies.svg"]
    );
    for p in &paths {
        assert!(p.starts_with(&dir) && p.is_file(), "{}", p.display());
    }

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("kpis.json")).unwrap()).unwrap();
    let array = json.as_array().expect("a JSON array");
    assert_eq!(array.len(), report.strategies.len());
    for (obj, k) in array.iter().zip(&report.strategies) {
        for key in [
            "strategy",
            "requests_total",
            "resolved_by_phone",
            "served",
            "backlog",
            "total_cost",
            "sla_hit_rate",
        ] {
            assert!(obj.get(key).is_some(), "{key} missing in {obj}");
        }
        assert_eq!(obj["strategy"], k.strategy.as_str());
        let n = |key: &str| obj[key].as_u64().unwrap();
        assert_eq!(
            n("requests_total"),
            n("resolved_by_phone") + n("served") + n("backlog")
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("kpis.csv")).unwrap(),
        kpis_csv(report).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("backlog.csv")).unwrap(),
        backlog_csv(report).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("strategies.svg")).unwrap(),
        strategies_svg(report)
    );

    // Writing again over the same directory works and gives the same bytes.
    let before: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let again = write_report(&dir, report).unwrap();
    assert_eq!(again, paths);
    let after: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert_eq!(before, after);
}

#[test]
fn write_report_names_the_path_it_cannot_create() {
    let tmp = TempDir::new("blocked");
    std::fs::create_dir_all(&tmp.0).unwrap();
    let file = tmp.0.join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let e = write_report(file.join("out"), &hand_built()).unwrap_err();
    match e.kind() {
        ErrorKind::Io { path, .. } => assert!(path.contains("a-file"), "{path}"),
        other => panic!("expected an io error, got {other:?}"),
    }
}

#[test]
fn same_report_gives_the_same_bytes() {
    for report in [simulated().clone(), hand_built()] {
        let copy = report.clone();
        assert_eq!(kpis_csv(&report).unwrap(), kpis_csv(&copy).unwrap());
        assert_eq!(backlog_csv(&report).unwrap(), backlog_csv(&copy).unwrap());
        assert_eq!(strategies_svg(&report), strategies_svg(&copy));
        assert_eq!(kpis_csv(&report).unwrap(), kpis_csv(&report).unwrap());
        assert_eq!(strategies_svg(&report), strategies_svg(&report));

        // Dispatch timings change from run to run; the files do not show them.
        let mut timed = report.clone();
        timed.dispatch_seconds.iter_mut().for_each(|s| *s += 1.0);
        assert_eq!(strategies_svg(&report), strategies_svg(&timed));
        assert_eq!(kpis_csv(&report).unwrap(), kpis_csv(&timed).unwrap());

        let (a, b) = (TempDir::new("same-a"), TempDir::new("same-b"));
        let pa = write_report(&a.0, &report).unwrap();
        let pb = write_report(&b.0, &timed).unwrap();
        for (x, y) in pa.iter().zip(&pb) {
            assert_eq!(
                std::fs::read(x).unwrap(),
                std::fs::read(y).unwrap(),
                "{}",
                x.display()
            );
        }
    }
}
