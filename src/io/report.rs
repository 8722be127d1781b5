//! Report files of a simulation: the strategies' KPIs as JSON and CSV, the
//! requests left open as CSV, and a self-contained SVG chart comparing the
//! strategies.
//!
//! Every output is a pure function of the [`Report`]: the same report gives
//! the same bytes. The dispatch timings ([`Report::dispatch_seconds`]), which
//! change from run to run, are left out.

use super::svg::{colour, document, escape, legend};
use crate::error::{ErrorKind, Result};
use crate::sim::{KindKpis, Report, StrategyKpis};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

type Cell = fn(&StrategyKpis) -> String;

/// The scalar fields of [`StrategyKpis`], in declaration order.
const SCALARS: [(&str, Cell); 20] = [
    ("strategy", |k| k.strategy.clone()),
    ("requests_total", |k| k.requests_total.to_string()),
    ("resolved_by_phone", |k| k.resolved_by_phone.to_string()),
    ("served", |k| k.served.to_string()),
    ("backlog", |k| k.backlog.to_string()),
    ("sla_hit_rate", |k| k.sla_hit_rate.to_string()),
    ("response_mean_h", |k| k.response_mean_h.to_string()),
    ("response_p95_h", |k| k.response_p95_h.to_string()),
    ("visits", |k| k.visits.to_string()),
    ("repeat_visits", |k| k.repeat_visits.to_string()),
    ("escalated_visits", |k| k.escalated_visits.to_string()),
    ("one_stop_visits", |k| k.one_stop_visits.to_string()),
    ("visits_saved", |k| k.visits_saved.to_string()),
    ("coordinated_requests", |k| {
        k.coordinated_requests.to_string()
    }),
    ("travel_km", |k| k.travel_km.to_string()),
    ("travel_km_per_visit", |k| k.travel_km_per_visit.to_string()),
    ("total_cost", |k| k.total_cost.to_string()),
    ("cost_per_visit", |k| k.cost_per_visit.to_string()),
    ("rounds", |k| k.rounds.to_string()),
    ("violations", |k| k.violations.to_string()),
];

type KindCell = fn(&KindKpis) -> String;

/// The fields of [`KindKpis`] written per outlet kind, as `<kind>_<field>`.
const KIND_FIELDS: [(&str, KindCell); 5] = [
    ("visits", |b| b.visits.to_string()),
    ("share", |b| b.share.to_string()),
    ("cost", |b| b.cost.to_string()),
    ("travel_km", |b| b.travel_km.to_string()),
    ("utilisation", |b| b.utilisation.to_string()),
];

/// The strategies' KPIs as CSV, one row per strategy.
///
/// Columns: every scalar field of [`StrategyKpis`] in declaration order
/// (`strategy`, `requests_total`, …, `rounds`, `violations`); then for each
/// outlet kind, in the order the strategies first list them,
/// `<kind>_visits`, `<kind>_share`, `<kind>_cost`, `<kind>_travel_km`,
/// `<kind>_utilisation` (0 for a strategy without that kind); then
/// `open_<reason>` for every reason any strategy left requests open for,
/// sorted, 0 where a strategy has none. Numbers are written with Rust's
/// shortest round-trip formatting, so the same report gives the same bytes.
///
/// # Errors
/// [`ErrorKind::Parameter`] if the CSV writer fails (not expected: it writes to memory).
pub fn kpis_csv(report: &Report) -> Result<String> {
    let mut kinds: Vec<&str> = Vec::new();
    for k in &report.strategies {
        for b in &k.by_kind {
            if !kinds.contains(&b.kind.as_str()) {
                kinds.push(&b.kind);
            }
        }
    }
    let reasons: BTreeSet<&str> = report
        .strategies
        .iter()
        .flat_map(|k| k.unassigned_by_reason.keys().map(String::as_str))
        .collect();

    let mut header: Vec<String> = SCALARS.iter().map(|(name, _)| name.to_string()).collect();
    for kind in &kinds {
        header.extend(KIND_FIELDS.iter().map(|(f, _)| format!("{kind}_{f}")));
    }
    header.extend(reasons.iter().map(|r| format!("open_{r}")));

    let mut rows = vec![header];
    for k in &report.strategies {
        let mut row: Vec<String> = SCALARS.iter().map(|(_, cell)| cell(k)).collect();
        for kind in &kinds {
            match k.by_kind.iter().find(|b| b.kind == *kind) {
                Some(b) => row.extend(KIND_FIELDS.iter().map(|(_, cell)| cell(b))),
                None => row.extend(KIND_FIELDS.iter().map(|_| "0".to_string())),
            }
        }
        row.extend(reasons.iter().map(|r| {
            k.unassigned_by_reason
                .get(*r)
                .copied()
                .unwrap_or(0)
                .to_string()
        }));
        rows.push(row);
    }
    csv_text("report", &rows)
}

/// The requests still open at the end as CSV: `strategy,request,age_h,reason`,
/// one row per open request per strategy, strategies in the report's order.
///
/// # Errors
/// [`ErrorKind::Parameter`] when [`Report::backlog`] has more entries than
/// [`Report::strategies`] (a backlog without a strategy to name it), or if
/// the CSV writer fails.
pub fn backlog_csv(report: &Report) -> Result<String> {
    if report.backlog.len() > report.strategies.len() {
        return Err(ErrorKind::Parameter {
            name: "report",
            message: format!(
                "{} backlogs for {} strategies",
                report.backlog.len(),
                report.strategies.len()
            ),
        }
        .into());
    }
    let mut rows = vec![
        ["strategy", "request", "age_h", "reason"]
            .map(String::from)
            .to_vec(),
    ];
    for (k, open) in report.strategies.iter().zip(&report.backlog) {
        for e in open {
            rows.push(vec![
                k.strategy.clone(),
                e.request.to_string(),
                e.age_h.to_string(),
                e.reason.clone(),
            ]);
        }
    }
    csv_text("report", &rows)
}

/// Rows as CSV text; `name` is what an error (only a failing writer) names.
pub(crate) fn csv_text(name: &'static str, rows: &[Vec<String>]) -> Result<String> {
    let fail = |message: String| -> crate::Error {
        ErrorKind::Parameter {
            name,
            message: format!("cannot write CSV: {message}"),
        }
        .into()
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row).map_err(|e| fail(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| fail(e.error().to_string()))?;
    String::from_utf8(bytes).map_err(|e| fail(e.to_string()))
}

/// The strategies' KPIs as pretty-printed JSON: an array with one object per
/// strategy, as [`StrategyKpis`] serializes.
fn kpis_json(report: &Report) -> Result<String> {
    let mut text = serde_json::to_string_pretty(&report.strategies).map_err(|e| {
        crate::Error::from(ErrorKind::Parameter {
            name: "report",
            message: e.to_string(),
        })
    })?;
    text.push('\n');
    Ok(text)
}

/// One panel of the chart: a KPI, one bar per strategy.
struct Panel {
    title: &'static str,
    value: fn(&StrategyKpis) -> f64,
    /// Decimals of the printed values.
    decimals: usize,
    /// The axis' end when the KPI has a natural one (100 for a percentage).
    axis_max: Option<f64>,
}

const PANELS: [Panel; 6] = [
    Panel {
        title: "Total cost",
        value: |k| k.total_cost,
        decimals: 0,
        axis_max: None,
    },
    Panel {
        title: "Cost per visit",
        value: |k| k.cost_per_visit,
        decimals: 1,
        axis_max: None,
    },
    Panel {
        title: "SLA hit rate (%)",
        value: |k| 100.0 * k.sla_hit_rate,
        decimals: 1,
        axis_max: Some(100.0),
    },
    Panel {
        title: "Mean response (hours)",
        value: |k| k.response_mean_h,
        decimals: 2,
        axis_max: None,
    },
    Panel {
        title: "Served requests",
        value: |k| k.served as f64,
        decimals: 0,
        axis_max: None,
    },
    Panel {
        title: "Backlog (open requests)",
        value: |k| k.backlog as f64,
        decimals: 0,
        axis_max: None,
    },
];

const WIDTH: f64 = 960.0;
const MARGIN: f64 = 20.0;
const COLUMNS: usize = 3;
const PANEL_W: f64 = 300.0;
const PANEL_GAP: f64 = 10.0;
const PANEL_TITLE_H: f64 = 28.0;
const BAR_H: f64 = 16.0;
const BAR_STEP: f64 = 22.0;
const AXIS_LABEL_H: f64 = 24.0;
/// Left padding of the bars inside a panel, and room kept right of them for the values.
const BAR_LEFT: f64 = 12.0;
const BAR_RIGHT: f64 = 76.0;

/// A self-contained SVG chart comparing the strategies, about 960 px wide.
///
/// Small multiples: one panel per KPI — total cost, cost per visit, SLA hit
/// rate (%), mean response hours, served requests, backlog — each a
/// horizontal bar chart with one bar per strategy, its axis starting at 0,
/// the value printed beside each bar. Each strategy has its own fill colour,
/// named in a legend under the chart title; every bar also carries a
/// `<title>` tooltip with the strategy's name and value. Text is
/// XML-escaped, fonts are the viewer's generic `sans-serif`, and numbers have
/// fixed decimals, so the same report gives the same bytes.
#[must_use]
pub fn strategies_svg(report: &Report) -> String {
    let strategies = &report.strategies;
    let n = strategies.len();
    let mut body = String::new();
    if n == 0 {
        let _ = writeln!(
            body,
            r#"<text x="{MARGIN:.1}" y="52.0" font-size="12">no strategies</text>"#
        );
    }

    // Legend, wrapped to the chart's width.
    let y = legend(
        &mut body,
        strategies
            .iter()
            .enumerate()
            .map(|(i, k)| (k.strategy.as_str(), colour(i))),
        MARGIN,
        WIDTH - MARGIN,
        52.0,
    );
    let panels_top = if n == 0 { y } else { y + 18.0 };

    let panel_h = PANEL_TITLE_H + n as f64 * BAR_STEP + 4.0 + AXIS_LABEL_H;
    let rows = PANELS.len().div_ceil(COLUMNS);
    for (p, panel) in PANELS.iter().enumerate() {
        let px = MARGIN + (p % COLUMNS) as f64 * (PANEL_W + PANEL_GAP);
        let py = panels_top + (p / COLUMNS) as f64 * (panel_h + PANEL_GAP);
        draw_panel(&mut body, panel, strategies, px, py, panel_h);
    }
    let height = panels_top + rows as f64 * panel_h + (rows - 1) as f64 * PANEL_GAP + MARGIN;

    document(WIDTH, height, MARGIN, "Dispatch strategies compared", &body)
}

fn draw_panel(
    out: &mut String,
    panel: &Panel,
    strategies: &[StrategyKpis],
    px: f64,
    py: f64,
    panel_h: f64,
) {
    let values: Vec<f64> = strategies.iter().map(|k| (panel.value)(k)).collect();
    let largest = values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let axis_max = nice_max(panel.axis_max.map_or(largest, |m| m.max(largest)));
    let x0 = px + BAR_LEFT;
    let len_max = PANEL_W - BAR_LEFT - BAR_RIGHT;
    let bars_top = py + PANEL_TITLE_H;
    let bars_bottom = bars_top + strategies.len() as f64 * BAR_STEP;

    let _ = writeln!(
        out,
        r##"<g><rect x="{px:.1}" y="{py:.1}" width="{PANEL_W:.1}" height="{panel_h:.1}" fill="#fafafa" stroke="#dddddd"/>"##
    );
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" font-size="13" font-weight="bold">{}</text>"#,
        px + 10.0,
        py + 18.0,
        escape(panel.title)
    );
    // Grid and ticks at 0, half and the axis' end.
    for (t, tick) in [0.0, 0.5 * axis_max, axis_max].into_iter().enumerate() {
        let tx = x0 + len_max * t as f64 / 2.0;
        let style = if t == 0 {
            r##"stroke="#333333""##
        } else {
            r##"stroke="#cccccc" stroke-dasharray="3,3""##
        };
        let _ = writeln!(
            out,
            r#"<line x1="{tx:.1}" y1="{:.1}" x2="{tx:.1}" y2="{:.1}" {style}/>"#,
            bars_top - 2.0,
            bars_bottom + 2.0
        );
        let _ = writeln!(
            out,
            r##"<text x="{tx:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#555555">{}</text>"##,
            bars_bottom + 15.0,
            tick_label(tick)
        );
    }
    for (i, (k, &v)) in strategies.iter().zip(&values).enumerate() {
        let y = bars_top + i as f64 * BAR_STEP + (BAR_STEP - BAR_H) / 2.0;
        let len = if v.is_finite() && v > 0.0 {
            len_max * (v / axis_max).min(1.0)
        } else {
            0.0
        };
        let label = value_label(v, panel.decimals);
        let _ = writeln!(
            out,
            r#"<rect x="{x0:.1}" y="{y:.1}" width="{len:.1}" height="{BAR_H:.1}" fill="{}"><title>{}: {label}</title></rect>"#,
            colour(i),
            escape(&k.strategy)
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11">{label}</text>"#,
            x0 + len + 4.0,
            y + 12.0
        );
    }
    out.push_str("</g>\n");
}

/// The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power
/// of ten) at or above `m`; 1 when there is nothing to show.
fn nice_max(m: f64) -> f64 {
    if !(m.is_finite() && m > 0.0) {
        return 1.0;
    }
    let scale = 10f64.powi(m.log10().floor() as i32);
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|f| f * scale)
        .find(|&v| v >= m * (1.0 - 1e-12))
        .unwrap_or(10.0 * scale)
}

fn tick_label(v: f64) -> String {
    let text = format!("{v:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

fn value_label(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let v = if v == 0.0 { 0.0 } else { v }; // no "-0"
    format!("{v:.decimals$}")
}

/// The files [`write_report`] writes, in its order.
pub const REPORT_FILES: [&str; 4] = ["kpis.json", "kpis.csv", "backlog.csv", "strategies.svg"];

/// Writes the report's files into the folder `dir`, whole
/// ([`super::atomic::write_folder`]): `kpis.json` (the strategies' KPIs, an
/// array with one object per strategy), `kpis.csv` ([`kpis_csv`]),
/// `backlog.csv` ([`backlog_csv`]) and `strategies.svg` ([`strategies_svg`])
/// ([`REPORT_FILES`]). Returns the paths written, in that order.
///
/// The files are written into a new folder beside `dir`, which then
/// replaces `dir`: `dir` is the earlier report or the new one, whatever
/// happens while writing. A `dir` holding anything else is refused, and left
/// as it is.
///
/// # Errors
/// [`ErrorKind::Io`] naming the folder or file that could not be created
/// or written, or what `dir` holds besides the report; as [`kpis_csv`] and
/// [`backlog_csv`].
pub fn write_report(dir: impl AsRef<Path>, report: &Report) -> Result<Vec<PathBuf>> {
    let texts = [
        kpis_json(report)?,
        kpis_csv(report)?,
        backlog_csv(report)?,
        strategies_svg(report),
    ];
    let files: Vec<(&str, &[u8])> = REPORT_FILES
        .iter()
        .zip(&texts)
        .map(|(n, t)| (*n, t.as_bytes()))
        .collect();
    super::atomic::write_folder(dir, &files)
}
