//! Network plans in and out: a demand forecast from CSV, and a
//! [`NetworkPlan`] as CSV and GeoJSON (its SVG map is
//! [`crate::io::map::network_plan_svg`]).
//!
//! Rows and features come in the plan's order, so the same plan gives the
//! same bytes.

use super::china::csv_syntax;
use super::geojson::{feature, point};
use super::report::csv_text;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{City, CityId, Outlet, OutletId, OutletKind};
use crate::planning::planner::{
    BreakEven, CityDemand, Forecast, JobMix, NetworkPlan, Server, SweepPoint,
};
use ::geojson::FeatureCollection;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

#[derive(Deserialize)]
struct ForecastRow {
    city: u32,
    visits: f64,
    basic_share: Option<f64>,
    expert_share: Option<f64>,
    service_min: Option<f64>,
}

/// Reads a yearly demand forecast: a CSV with a header and the columns
/// `city` (the city id, as in `data/china/cities.csv`) and `visits` (a
/// year), and optionally `basic_share`, `expert_share` and `service_min`;
/// what a row leaves out comes from `mix`. `what` names the text in errors.
///
/// The planner checks the numbers and that every city exists
/// ([`crate::planning::planner::NetworkPlanner::plan`]).
///
/// # Errors
/// [`ErrorKind::Syntax`] (with the line) for a row that cannot be read, and
/// [`ErrorKind::Invalid`] ([`ProblemCode::Empty`]) for a forecast with no row.
///
/// # Example
/// ```
/// use servnet::io::network_plan::read_forecast_csv;
/// use servnet::planning::planner::JobMix;
///
/// let text = "city,visits,expert_share\n1,12000,0.1\n2,800,\n";
/// let f = read_forecast_csv(text.as_bytes(), "forecast.csv", &JobMix::default())?;
/// assert_eq!(f.cities.len(), 2);
/// assert_eq!(f.cities[0].expert_share, 0.1);
/// assert_eq!(f.cities[1].expert_share, JobMix::default().expert_share);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn read_forecast_csv(reader: impl Read, what: &str, mix: &JobMix) -> Result<Forecast> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(reader);
    let mut cities = Vec::new();
    for row in rdr.deserialize::<ForecastRow>() {
        let row = row.map_err(|e| csv_syntax(what, &e))?;
        cities.push(CityDemand {
            city: CityId(row.city),
            visits: row.visits,
            basic_share: row.basic_share.unwrap_or(mix.basic_share),
            expert_share: row.expert_share.unwrap_or(mix.expert_share),
            service_min: row.service_min.unwrap_or(mix.service_min),
        });
    }
    if cities.is_empty() {
        return Err(ErrorKind::Invalid(vec![Problem::new(
            ProblemCode::Empty,
            "forecast",
            None,
            "rows",
            format!("{what} has no forecast row"),
        )])
        .into());
    }
    Ok(Forecast { cities })
}

/// [`read_forecast_csv`] on a file.
///
/// # Errors
/// [`ErrorKind::Io`] if the file cannot be read; otherwise as [`read_forecast_csv`].
pub fn read_forecast_file(path: impl AsRef<Path>, mix: &JobMix) -> Result<Forecast> {
    let path = path.as_ref();
    let file = std::fs::File::open(path).map_err(|source| ErrorKind::Io {
        path: path.display().to_string(),
        source,
    })?;
    read_forecast_csv(file, &path.display().to_string(), mix)
}

fn server_columns(server: Option<Server>) -> (&'static str, String) {
    match server {
        Some(Server::Owned(c)) => ("company_owned", c.0.to_string()),
        Some(Server::Contracted(o)) => ("contracted", o.0.to_string()),
        Some(Server::Dealer(o)) => ("dealer", o.0.to_string()),
        None => ("uncovered", String::new()),
    }
}

/// A plan as CSV: a header, then one row per city and job class with
/// visits: `city,name,province,class,visits,served_by,server,km,minutes,cost`,
/// where `served_by` is `company_owned` (and `server` the city of the owned
/// outlet), `contracted` or `dealer` (and `server` the outlet id), or
/// `uncovered` (empty `server`, `km`, `minutes`).
///
/// # Errors
/// [`ErrorKind::Parameter`] (`plan`) only if the CSV writer fails.
pub fn network_plan_csv(plan: &NetworkPlan, cities: &[City]) -> Result<String> {
    let by_id: BTreeMap<CityId, &City> = cities.iter().map(|c| (c.id, c)).collect();
    let mut rows = vec![
        [
            "city",
            "name",
            "province",
            "class",
            "visits",
            "served_by",
            "server",
            "km",
            "minutes",
            "cost",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for s in &plan.services {
        let (name, province) = by_id
            .get(&s.city)
            .map_or(("", ""), |c| (c.name.as_str(), c.province.as_str()));
        let (kind, server) = server_columns(s.server);
        rows.push(vec![
            s.city.0.to_string(),
            name.to_string(),
            province.to_string(),
            s.class.as_str().to_string(),
            num(s.visits, 1),
            kind.to_string(),
            server,
            num(s.km, 1),
            num(s.minutes, 1),
            num(s.cost, 0),
        ]);
    }
    csv_text("plan", &rows)
}

/// A number with `digits` decimals, or empty when it is not finite.
fn num(v: f64, digits: usize) -> String {
    if v.is_finite() {
        format!("{v:.digits$}")
    } else {
        String::new()
    }
}

/// A volume sweep ([`NetworkPlanner::sweep`](crate::planning::planner::NetworkPlanner::sweep))
/// as CSV: `factor,visits,owned,total_cost,per_visit,owned_share,contracted_share,dealer_share,gap`.
///
/// # Errors
/// [`ErrorKind::Parameter`] (`sweep`) only if the CSV writer fails.
pub fn sweep_csv(sweep: &[SweepPoint]) -> Result<String> {
    let mut rows = vec![
        [
            "factor",
            "visits",
            "owned",
            "total_cost",
            "per_visit",
            "owned_share",
            "contracted_share",
            "dealer_share",
            "gap",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for p in sweep {
        rows.push(vec![
            p.factor.to_string(),
            num(p.visits, 0),
            p.owned.to_string(),
            num(p.total_cost, 0),
            num(p.per_visit, 2),
            num(p.visit_share[0], 4),
            num(p.visit_share[1], 4),
            num(p.visit_share[2], 4),
            num(p.gap, 6),
        ]);
    }
    csv_text("sweep", &rows)
}

/// Break-even volumes ([`NetworkPlanner::break_even`](crate::planning::planner::NetworkPlanner::break_even))
/// as CSV: `city,name,visits,contract_per_visit,owned_per_visit,break_even_visits`
/// (empty where there is none).
///
/// # Errors
/// [`ErrorKind::Parameter`] (`break_even`) only if the CSV writer fails.
pub fn break_even_csv(rows_in: &[BreakEven], cities: &[City]) -> Result<String> {
    let by_id: BTreeMap<CityId, &City> = cities.iter().map(|c| (c.id, c)).collect();
    let opt = |v: Option<f64>| v.map_or(String::new(), |v| num(v, 1));
    let mut rows = vec![
        [
            "city",
            "name",
            "visits",
            "contract_per_visit",
            "owned_per_visit",
            "break_even_visits",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for b in rows_in {
        rows.push(vec![
            b.city.0.to_string(),
            by_id.get(&b.city).map_or(String::new(), |c| c.name.clone()),
            num(b.visits, 1),
            opt(b.contract_per_visit),
            num(b.owned_per_visit, 1),
            opt(b.break_even_visits),
        ]);
    }
    csv_text("break_even", &rows)
}

/// A plan's points, resolved against its cities and outlets, for the GeoJSON
/// and SVG writers.
pub(crate) struct PlanPoints<'a> {
    /// Planned owned outlets: their city and the visits a year they get, in the plan's order.
    pub owned: Vec<(&'a City, f64)>,
    /// Contracted outlets and dealers the plan uses, with their visits, in the order of the outlets.
    pub outlets: Vec<(&'a Outlet, f64)>,
    /// Cities with uncovered jobs: the visits left and the reasons, in city id order.
    pub uncovered: Vec<(&'a City, f64, String)>,
}

/// Resolves a plan's cities and outlets.
///
/// # Errors
/// [`ErrorKind::Invalid`] naming a city or outlet that is not in `cities` or `outlets`.
pub(crate) fn plan_points<'a>(
    plan: &NetworkPlan,
    cities: &'a [City],
    outlets: &'a [Outlet],
) -> Result<PlanPoints<'a>> {
    let by_id: BTreeMap<CityId, &City> = cities.iter().map(|c| (c.id, c)).collect();
    let outlet_pos: BTreeMap<OutletId, usize> =
        outlets.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    let mut problems = Vec::new();
    let missing = |field: &'static str, id: u32| {
        Problem::new(
            ProblemCode::DanglingReference,
            "plan",
            Some(u64::from(id)),
            field,
            format!("{field} {id} is not among the {field}s"),
        )
    };
    let mut owned_visits: BTreeMap<CityId, f64> = BTreeMap::new();
    let mut outlet_visits = vec![0.0; outlets.len()];
    for s in &plan.services {
        match s.server {
            Some(Server::Owned(c)) => *owned_visits.entry(c).or_default() += s.visits,
            Some(Server::Contracted(o) | Server::Dealer(o)) => match outlet_pos.get(&o) {
                Some(&i) => outlet_visits[i] += s.visits,
                None => problems.push(missing("outlet", o.0)),
            },
            None => {}
        }
    }
    let mut uncovered: BTreeMap<CityId, (f64, Vec<String>)> = BTreeMap::new();
    for u in &plan.uncovered {
        let e = uncovered.entry(u.city).or_default();
        e.0 += u.visits;
        if !e.1.contains(&u.reason) {
            e.1.push(u.reason.clone());
        }
    }
    let mut points = PlanPoints {
        owned: Vec::new(),
        outlets: outlets
            .iter()
            .zip(outlet_visits)
            .filter(|(_, v)| *v > 0.0)
            .collect(),
        uncovered: Vec::new(),
    };
    for id in &plan.owned {
        match by_id.get(id) {
            Some(c) => points
                .owned
                .push((c, owned_visits.get(id).copied().unwrap_or(0.0))),
            None => problems.push(missing("city", id.0)),
        }
    }
    for (id, (visits, reasons)) in uncovered {
        match by_id.get(&id) {
            Some(c) => points.uncovered.push((c, visits, reasons.join("; "))),
            None => problems.push(missing("city", id.0)),
        }
    }
    if problems.is_empty() {
        Ok(points)
    } else {
        Err(ErrorKind::Invalid(problems).into())
    }
}

/// A plan as GeoJSON points: each planned owned outlet (`feature` =
/// `owned_outlet`, at its city), each contracted outlet and dealer the plan
/// uses (`contracted_outlet`, `dealer`, with the visits a year it gets), and
/// each city with uncovered jobs (`uncovered_city`, with the visits and the
/// reason). Owned outlets come in the plan's order, outlets in the order of
/// `outlets`, uncovered cities by id.
///
/// # Errors
/// [`ErrorKind::Invalid`] naming a city or outlet of the plan that is not
/// in `cities` or `outlets`.
pub fn network_plan_geojson(
    plan: &NetworkPlan,
    cities: &[City],
    outlets: &[Outlet],
) -> Result<FeatureCollection> {
    let points = plan_points(plan, cities, outlets)?;
    let mut features = Vec::new();
    for (c, visits) in &points.owned {
        features.push(feature(
            format!("owned-{}", c.id),
            point(c.location),
            json!({
                "feature": "owned_outlet",
                "city": c.id.0,
                "name": c.name,
                "province": c.province,
                "visits": visits,
            }),
        ));
    }
    for (o, visits) in &points.outlets {
        features.push(feature(
            format!("outlet-{}", o.id),
            point(o.location),
            json!({
                "feature": match o.kind {
                    OutletKind::Dealer => "dealer",
                    _ => "contracted_outlet",
                },
                "id": o.id.0,
                "name": o.name,
                "city": o.city.0,
                "visits": visits,
            }),
        ));
    }
    for (c, visits, reason) in &points.uncovered {
        features.push(feature(
            format!("uncovered-{}", c.id),
            point(c.location),
            json!({
                "feature": "uncovered_city",
                "city": c.id.0,
                "name": c.name,
                "province": c.province,
                "visits": visits,
                "reason": reason,
            }),
        ));
    }
    Ok(FeatureCollection::new(features))
}
