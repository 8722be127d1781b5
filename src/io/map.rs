//! A self-contained SVG map of a plan over China's cities.
//!
//! The map is drawn in an equirectangular projection scaled by the cosine
//! of the middle latitude (so a degree of longitude and of latitude have
//! their true ratio there). There is no border data in the crate: the
//! outline is the concave (or convex) hull of the geography's cities, an
//! approximation of the country's shape, not its border.

use super::geojson::{Resolved, resolve};
use super::svg::{PALETTE, document, escape, legend};
use crate::dispatch::Plan;
use crate::error::Result;
use crate::io::china::Geography;
use crate::model::{OutletKind, Scenario, Tier};
use geo::algorithm::concave_hull::ConcaveHullOptions;
use geo::{ConcaveHull, ConvexHull, MultiPoint, Point};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The country's outline drawn under the map.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Outline {
    /// No outline.
    None,
    /// The convex hull of the cities.
    ConvexHull,
    /// The concave hull of the cities (geo's [`ConcaveHull`]); a lower
    /// `concavity` follows the cities more closely, infinity is the convex hull.
    ConcaveHull {
        /// geo's concavity parameter, > 0 (2 is detailed, 5 smooth).
        concavity: f64,
    },
}

/// What [`plan_svg`] draws, as a by-value builder.
///
/// ```
/// use servnet::io::map::{MapOptions, Outline};
///
/// let opts = MapOptions::new().width_px(1200.0).lines(false).outline(Outline::ConvexHull);
/// # let _ = opts;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    width_px: f64,
    lines: bool,
    cities: bool,
    province_labels: bool,
    outline: Outline,
    title: Option<String>,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions::new()
    }
}

impl MapOptions {
    /// The defaults: 960 px wide, lines from outlets to their requests,
    /// every city as a faint dot, province labels, the concave hull of the
    /// cities (concavity 3) as the outline, and the title
    /// `Plan: <strategy>`.
    pub fn new() -> MapOptions {
        MapOptions {
            width_px: 960.0,
            lines: true,
            cities: true,
            province_labels: true,
            outline: Outline::ConcaveHull { concavity: 3.0 },
            title: None,
        }
    }

    /// The width of the image in px (at least 200; the height follows the map's shape).
    pub fn width_px(mut self, width_px: f64) -> MapOptions {
        self.width_px = width_px;
        self
    }

    /// Whether to draw a line from each visit's outlet to its request.
    pub fn lines(mut self, lines: bool) -> MapOptions {
        self.lines = lines;
        self
    }

    /// Whether to draw every city of the geography as a faint dot.
    pub fn cities(mut self, cities: bool) -> MapOptions {
        self.cities = cities;
        self
    }

    /// Whether to label each province at the mean position of its cities.
    pub fn province_labels(mut self, province_labels: bool) -> MapOptions {
        self.province_labels = province_labels;
        self
    }

    /// The outline drawn under the map.
    pub fn outline(mut self, outline: Outline) -> MapOptions {
        self.outline = outline;
        self
    }

    /// The title at the top, instead of `Plan: <strategy>`.
    pub fn title(mut self, title: impl Into<String>) -> MapOptions {
        self.title = Some(title.into());
        self
    }
}

const MARGIN: f64 = 20.0;
/// The fill of each outlet kind, in the order of [`OutletKind::ALL`].
const KIND_FILL: [&str; 3] = [PALETTE[0], PALETTE[1], PALETTE[4]];
const UNASSIGNED: &str = PALETTE[2];
const REQUEST: &str = "#555555";
const GOLD: &str = "#b8860b";

/// Longitude and latitude to px: equirectangular, x scaled by the cosine of the middle latitude.
struct Projection {
    kx: f64,
    x_min: f64,
    y_max: f64,
    scale: f64,
    left: f64,
    top: f64,
}

impl Projection {
    /// Fits the points into a `width` px wide box at (`left`, `top`); returns it and the box's height.
    fn fit(points: &[Point<f64>], width: f64, left: f64, top: f64) -> (Projection, f64) {
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for p in points {
            lo = [lo[0].min(p.x()), lo[1].min(p.y())];
            hi = [hi[0].max(p.x()), hi[1].max(p.y())];
        }
        if lo[0] > hi[0] || lo[0].is_nan() {
            // Nothing to place: a box around 0°, 0°.
            (lo, hi) = ([-0.5, -0.5], [0.5, 0.5]);
        }
        let kx = (0.5 * (lo[1] + hi[1])).to_radians().cos().max(0.1);
        let span_x = ((hi[0] - lo[0]) * kx).max(0.5);
        let span_y = (hi[1] - lo[1]).max(0.5);
        let scale = width / span_x;
        let proj = Projection {
            kx,
            x_min: lo[0] - 0.5 * (span_x / kx - (hi[0] - lo[0])),
            y_max: hi[1] + 0.5 * (span_y - (hi[1] - lo[1])),
            scale,
            left,
            top,
        };
        (proj, span_y * scale)
    }

    fn px(&self, p: Point<f64>) -> (f64, f64) {
        (
            self.left + (p.x() - self.x_min) * self.kx * self.scale,
            self.top + (self.y_max - p.y()) * self.scale,
        )
    }
}

/// A self-contained SVG map of a plan: outlets coloured by kind, requests
/// served as small dots, requests left open as red crosses, and optionally
/// a line from each visit's outlet to its request, over the geography's
/// cities (faint dots), province labels and outline ([`MapOptions`]).
///
/// Each outlet is one `<circle class="outlet <kind>">` (a gold-tier outlet
/// has a dark-gold ring) with a `<title>` tooltip; each request one
/// `<circle class="request">` or, when it is unassigned or only partly
/// assigned, one `<path class="unassigned">` cross with its reason as
/// tooltip. The legend names the kinds; a caption counts requests, visits
/// and outlets. Numbers have one decimal and the order is the scenario's
/// and the plan's, so the same input gives the same bytes.
///
/// The image is as wide as [`MapOptions::width_px`]; its height follows the
/// map's shape (about 0.8 × the width for all of China).
///
/// # Errors
/// As [`plan_geojson`](super::geojson::plan_geojson): a plan entry whose
/// request or outlet is not in the scenario.
///
/// # Example
/// ```
/// use servnet::generate::{Generator, Preset};
/// use servnet::io::china::Geography;
/// use servnet::io::map::{MapOptions, plan_svg};
/// use servnet::{DispatchStrategy, Nearest};
///
/// let china = Geography::china()?;
/// let scenario = Generator::new(Preset::province("Hainan")).requests(50).seed(1).build()?;
/// let plan = Nearest::new().dispatch(&scenario)?;
/// let svg = plan_svg(&china, &scenario, &plan, &MapOptions::new())?;
/// assert!(svg.starts_with("<svg"));
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn plan_svg(
    geography: &Geography,
    scenario: &Scenario,
    plan: &Plan,
    opts: &MapOptions,
) -> Result<String> {
    let resolved = resolve(scenario, plan)?;
    let width = opts.width_px.max(200.0);
    let mut body = String::new();

    let kind_names = ["company-owned outlet", "contracted outlet", "dealer"];
    let items = kind_names
        .iter()
        .zip(KIND_FILL)
        .map(|(name, fill)| (*name, fill.to_string()))
        .chain([
            ("request served", REQUEST.to_string()),
            ("request open", UNASSIGNED.to_string()),
        ]);
    let legend_y = legend(&mut body, items, MARGIN, width - MARGIN, 52.0);

    let valid = |p: &Point<f64>| crate::model::lonlat::is_valid(*p);
    let mut extent: Vec<Point<f64>> = geography.cities.iter().map(|c| c.location).collect();
    extent.extend(scenario.outlets().iter().map(|o| o.location));
    extent.extend(scenario.requests().iter().map(|r| r.location));
    extent.retain(valid);
    let top = legend_y + 18.0;
    let (proj, map_h) = Projection::fit(&extent, width - 2.0 * MARGIN, MARGIN, top);

    draw_background(&mut body, geography, &proj, opts);
    draw_plan(&mut body, scenario, &resolved, &proj, opts);

    let served = resolved
        .requests
        .iter()
        .filter(|s| s.status == "assigned")
        .count();
    let caption = format!(
        "{} requests: {served} served in {} visits, {} open; {} outlets",
        scenario.requests().len(),
        resolved.visits.len(),
        resolved
            .requests
            .iter()
            .filter(|s| matches!(s.status, "unassigned" | "partly_assigned"))
            .count(),
        scenario.outlets().len()
    );
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| format!("Plan: {}", plan.strategy));
    Ok(finish(body, &caption, top + map_h, width, &title))
}

/// The path of a 6 px cross centred at (`x`, `y`).
fn cross(x: f64, y: f64) -> String {
    format!(
        "M{:.1},{:.1} L{:.1},{:.1} M{:.1},{:.1} L{:.1},{:.1}",
        x - 3.0,
        y - 3.0,
        x + 3.0,
        y + 3.0,
        x - 3.0,
        y + 3.0,
        x + 3.0,
        y - 3.0
    )
}

/// The caption under a map whose bottom is at `map_bottom`, and the whole document.
fn finish(mut body: String, caption: &str, map_bottom: f64, width: f64, title: &str) -> String {
    let caption_y = map_bottom + 22.0;
    let _ = writeln!(
        body,
        r##"<text x="{MARGIN:.1}" y="{caption_y:.1}" font-size="12" fill="#555555">{}</text>"##,
        escape(caption)
    );
    document(width, caption_y + MARGIN, MARGIN, title, &body)
}

/// The outline, the cities and the province labels.
fn draw_background(out: &mut String, geography: &Geography, proj: &Projection, opts: &MapOptions) {
    let cities: MultiPoint<f64> = geography
        .cities
        .iter()
        .map(|c| c.location)
        .filter(|p| crate::model::lonlat::is_valid(*p))
        .collect();
    let hull = match opts.outline {
        _ if cities.0.len() < 3 => None,
        Outline::None => None,
        Outline::ConvexHull => Some(cities.convex_hull()),
        Outline::ConcaveHull { concavity } => {
            let options = ConcaveHullOptions {
                concavity: if concavity > 0.0 { concavity } else { 2.0 },
                ..ConcaveHullOptions::default()
            };
            Some(cities.concave_hull_with_options(options))
        }
    };
    if let Some(hull) = hull {
        let mut d = String::new();
        for (i, c) in hull.exterior().coords().enumerate() {
            let (x, y) = proj.px(Point::from(*c));
            let _ = write!(d, "{}{x:.1},{y:.1} ", if i == 0 { "M" } else { "L" });
        }
        d.push('Z');
        let _ = writeln!(
            out,
            r##"<path class="outline" d="{d}" fill="#f4f1ea" stroke="#c8c0b0" stroke-width="1"/>"##
        );
    }
    if opts.cities {
        out.push_str("<g class=\"cities\" fill=\"#c0c0c0\">\n");
        for p in &cities.0 {
            let (x, y) = proj.px(*p);
            let _ = writeln!(out, r#"<circle cx="{x:.1}" cy="{y:.1}" r="1"/>"#);
        }
        out.push_str("</g>\n");
    }
    if opts.province_labels {
        let mut provinces: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
        let valid = geography
            .cities
            .iter()
            .filter(|c| crate::model::lonlat::is_valid(c.location));
        for c in valid {
            let e = provinces.entry(c.province.as_str()).or_default();
            *e = (e.0 + c.location.x(), e.1 + c.location.y(), e.2 + 1);
        }
        out.push_str(
            "<g class=\"provinces\" font-size=\"10\" fill=\"#9a9a9a\" text-anchor=\"middle\">\n",
        );
        for (name, (lon, lat, n)) in provinces {
            let (x, y) = proj.px(Point::new(lon / n as f64, lat / n as f64));
            let _ = writeln!(
                out,
                r#"<text x="{x:.1}" y="{y:.1}">{}</text>"#,
                escape(name)
            );
        }
        out.push_str("</g>\n");
    }
}

/// The visits' lines, the requests and the outlets, in that order (outlets and open requests on top).
fn draw_plan(
    out: &mut String,
    scenario: &Scenario,
    resolved: &Resolved,
    proj: &Projection,
    opts: &MapOptions,
) {
    let outlets = scenario.outlets();
    let requests = scenario.requests();
    if opts.lines {
        out.push_str("<g class=\"visits\" stroke-width=\"0.6\" stroke-opacity=\"0.45\">\n");
        for &(r, o) in &resolved.visits {
            let (x1, y1) = proj.px(outlets[o].location);
            let (x2, y2) = proj.px(requests[r].location);
            let _ = writeln!(
                out,
                r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{}"/>"#,
                KIND_FILL[outlets[o].kind.index()]
            );
        }
        out.push_str("</g>\n");
    }
    let mut open = String::new();
    out.push_str("<g class=\"requests\">\n");
    for (r, s) in requests.iter().zip(&resolved.requests) {
        let (x, y) = proj.px(r.location);
        match s.status {
            "unassigned" | "partly_assigned" => {
                let _ = writeln!(
                    open,
                    r#"<path class="unassigned" d="{}" stroke="{UNASSIGNED}" stroke-width="1.6"><title>request {}: {}</title></path>"#,
                    cross(x, y),
                    r.id,
                    s.reason.unwrap_or(s.status)
                );
            }
            "assigned" => {
                let _ = writeln!(
                    out,
                    r#"<circle class="request" cx="{x:.1}" cy="{y:.1}" r="1.4" fill="{REQUEST}"/>"#
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    r#"<circle class="request" cx="{x:.1}" cy="{y:.1}" r="1.4" fill="none" stroke="{REQUEST}" stroke-width="0.6"/>"#
                );
            }
        }
    }
    out.push_str("</g>\n<g class=\"outlets\" stroke-width=\"1.2\">\n");
    for o in outlets {
        let (x, y) = proj.px(o.location);
        let gold = o.tier == Tier::Gold;
        let _ = writeln!(
            out,
            r#"<circle class="outlet {}" cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{}" stroke="{}"><title>outlet {} {} ({}{})</title></circle>"#,
            o.kind.as_str(),
            KIND_FILL[o.kind.index()],
            if gold { GOLD } else { "#ffffff" },
            o.id,
            escape(&o.name),
            kind_label(o.kind),
            if gold { ", gold" } else { "" }
        );
    }
    out.push_str("</g>\n");
    out.push_str(&open);
}

fn kind_label(kind: OutletKind) -> &'static str {
    match kind {
        OutletKind::CompanyOwned => "company-owned",
        OutletKind::Contracted => "contracted",
        OutletKind::Dealer => "dealer",
    }
}

/// A self-contained SVG map of a network plan
/// ([`crate::planning::planner::NetworkPlan`]): the planned company-owned
/// outlets (large circles at their cities), the contracted outlets and
/// dealers the plan uses (small circles, coloured by kind; `outlets` are
/// looked up by id), and the cities with jobs left uncovered (red crosses,
/// with the reason as tooltip), over the geography's cities, province labels
/// and outline ([`MapOptions`]; [`MapOptions::lines`] is not used). The
/// caption gives the owned outlets, the cost per visit and the gap.
///
/// # Errors
/// As [`crate::io::network_plan::network_plan_geojson`]: a city or outlet of
/// the plan that is not in `geography` or `outlets`.
pub fn network_plan_svg(
    geography: &Geography,
    plan: &crate::planning::planner::NetworkPlan,
    outlets: &[crate::model::Outlet],
    opts: &MapOptions,
) -> Result<String> {
    let points = crate::io::network_plan::plan_points(plan, &geography.cities, outlets)?;
    let width = opts.width_px.max(200.0);
    let mut body = String::new();
    let items = [
        ("company-owned outlet (planned)", KIND_FILL[0].to_string()),
        ("contracted outlet", KIND_FILL[1].to_string()),
        ("dealer", KIND_FILL[2].to_string()),
        ("city left uncovered", UNASSIGNED.to_string()),
    ];
    let legend_y = legend(&mut body, items, MARGIN, width - MARGIN, 52.0);
    let mut extent: Vec<Point<f64>> = geography.cities.iter().map(|c| c.location).collect();
    extent.retain(|p| crate::model::lonlat::is_valid(*p));
    let top = legend_y + 18.0;
    let (proj, map_h) = Projection::fit(&extent, width - 2.0 * MARGIN, MARGIN, top);
    draw_background(&mut body, geography, &proj, opts);

    let mut layers = [String::new(), String::new(), String::new()];
    for (o, visits) in &points.outlets {
        let (x, y) = proj.px(o.location);
        let _ = writeln!(
            layers[0],
            r#"<circle class="outlet {}" cx="{x:.1}" cy="{y:.1}" r="2" fill="{}"><title>{} ({visits:.0} visits a year)</title></circle>"#,
            o.kind.as_str(),
            KIND_FILL[o.kind.index()],
            escape(&o.name)
        );
    }
    for (c, visits) in &points.owned {
        let (x, y) = proj.px(c.location);
        let _ = writeln!(
            layers[1],
            r##"<circle class="outlet company_owned" cx="{x:.1}" cy="{y:.1}" r="4.5" fill="{}" stroke="#ffffff" stroke-width="1.2"><title>{} (owned, {visits:.0} visits a year)</title></circle>"##,
            KIND_FILL[0],
            escape(&c.name)
        );
    }
    for (c, visits, reason) in &points.uncovered {
        let (x, y) = proj.px(c.location);
        let _ = writeln!(
            layers[2],
            r#"<path class="uncovered" d="{}" stroke="{UNASSIGNED}" stroke-width="1.6"><title>{}: {visits:.0} visits a year uncovered: {}</title></path>"#,
            cross(x, y),
            escape(&c.name),
            escape(reason)
        );
    }
    for layer in &layers {
        body.push_str(layer);
    }
    let caption = format!(
        "{} owned outlets; {:.1} per visit, {:.0} a year; gap {:.2}%; {} cities with uncovered jobs",
        plan.owned.len(),
        plan.cost.per_visit,
        plan.cost.total,
        100.0 * plan.gap,
        points.uncovered.len()
    );
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Network plan".to_string());
    Ok(finish(body, &caption, top + map_h, width, &title))
}
