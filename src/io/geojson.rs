//! GeoJSON of a plan: requests and outlets as points, each visit as a line
//! from the outlet to the request; and route polylines as lines.
//!
//! Coordinates are WGS84 `[lon, lat]`, as GeoJSON (RFC 7946) requires.
//! Features come in a fixed order (requests, then outlets, then visits, each
//! in the order of the scenario or plan) and properties are JSON objects with
//! sorted keys, so the same scenario and plan give the same text.

use crate::dispatch::Plan;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{CategoryId, OutletId, RequestId, Scenario, ServiceRequest};
use ::geojson::{Feature, FeatureCollection, Geometry, JsonObject, JsonValue, feature::Id};
use geo::Point;
use serde_json::json;
use std::collections::BTreeMap;

/// What the plan says about one request, for the map writers.
pub(crate) struct RequestStatus {
    /// `assigned`, `partly_assigned` (a split household request some of whose
    /// visits are assigned), `unassigned` or `not_in_plan`.
    pub status: &'static str,
    /// The first reason the request (or one of its parts) was left open.
    pub reason: Option<&'static str>,
    /// Visits assigned to it (or to its parts).
    pub visits: usize,
}

/// The plan's visits resolved against the scenario: for each assignment, the
/// index of its request (a split request's part maps to the household
/// request) and of its outlet; and the status of every request.
pub(crate) struct Resolved {
    /// Per assignment: request index, outlet index.
    pub visits: Vec<(usize, usize)>,
    /// Per request of the scenario, in its order.
    pub requests: Vec<RequestStatus>,
}

/// Resolves `plan` against `scenario`.
///
/// # Errors
/// [`ErrorKind::Invalid`] listing every assignment whose request or outlet,
/// and every unassigned entry whose request, is not in the scenario (nor a
/// part of one of the plan's split requests).
pub(crate) fn resolve(scenario: &Scenario, plan: &Plan) -> Result<Resolved> {
    let parts: BTreeMap<RequestId, RequestId> = plan
        .coordinated
        .iter()
        .flat_map(|c| c.parts.iter().map(move |p| (*p, c.request)))
        .collect();
    let request_index = |id: RequestId| {
        scenario
            .request_index(id)
            .or_else(|| parts.get(&id).and_then(|&h| scenario.request_index(h)))
    };
    let mut problems = Vec::new();
    let mut requests: Vec<RequestStatus> = scenario
        .requests()
        .iter()
        .map(|_| RequestStatus {
            status: "not_in_plan",
            reason: None,
            visits: 0,
        })
        .collect();
    let mut open = vec![false; requests.len()];
    let mut visits = Vec::with_capacity(plan.assignments.len());
    for a in &plan.assignments {
        let r = request_index(a.request);
        let o = scenario.outlet_index(a.outlet);
        if r.is_none() {
            problems.push(dangling("assignment", a.request, "request"));
        }
        if o.is_none() {
            problems.push(Problem::new(
                ProblemCode::DanglingReference,
                "assignment",
                Some(u64::from(a.request)),
                "outlet",
                format!("outlet {} is not in the scenario", a.outlet),
            ));
        }
        if let (Some(r), Some(o)) = (r, o) {
            requests[r].visits += 1;
            visits.push((r, o));
        }
    }
    for u in &plan.unassigned {
        match request_index(u.request) {
            Some(r) => {
                open[r] = true;
                requests[r].reason.get_or_insert(u.reason.as_str());
            }
            None => problems.push(dangling("unassigned", u.request, "request")),
        }
    }
    if !problems.is_empty() {
        return Err(ErrorKind::Invalid(problems).into());
    }
    for (s, open) in requests.iter_mut().zip(open) {
        s.status = match (s.visits > 0, open) {
            (true, false) => "assigned",
            (true, true) => "partly_assigned",
            (false, true) => "unassigned",
            (false, false) => "not_in_plan",
        };
    }
    Ok(Resolved { visits, requests })
}

fn dangling(entity: &'static str, request: RequestId, field: &str) -> Problem {
    Problem::new(
        ProblemCode::DanglingReference,
        entity,
        Some(u64::from(request)),
        field,
        format!("request {request} is not in the scenario"),
    )
}

pub(crate) fn point(p: Point<f64>) -> Geometry {
    Geometry::new_point([p.x(), p.y()])
}

pub(crate) fn feature(id: String, geometry: Geometry, properties: JsonValue) -> Feature {
    let properties = match properties {
        JsonValue::Object(map) => map,
        _ => JsonObject::new(),
    };
    Feature {
        id: Some(Id::String(id)),
        geometry: Some(geometry),
        properties: Some(properties),
        ..Feature::default()
    }
}

fn codes(scenario: &Scenario, ids: &[CategoryId]) -> Vec<String> {
    ids.iter()
        .map(|&c| {
            scenario
                .category(c)
                .map_or_else(|| c.to_string(), |cat| cat.code.clone())
        })
        .collect()
}

fn enum_name(value: impl serde::Serialize) -> JsonValue {
    serde_json::to_value(value).unwrap_or(JsonValue::Null)
}

fn request_feature(scenario: &Scenario, r: &ServiceRequest, s: &RequestStatus) -> Feature {
    feature(
        format!("request-{}", r.id),
        point(r.location),
        json!({
            "feature": "request",
            "id": r.id.0,
            "status": s.status,
            "reason": s.reason,
            "visits": s.visits,
            "priority": enum_name(r.priority),
            "kind": enum_name(r.kind),
            "categories": codes(scenario, &r.categories),
            "difficulty": r.difficulty,
            "city": r.city.0,
            "window_start_min": r.window.start_min,
            "window_end_min": r.window.end_min,
        }),
    )
}

/// A plan as a GeoJSON feature collection, in this order:
///
/// 1. one `Point` per request of the scenario, in its order, with id
///    `request-<id>` and properties `feature` = `"request"`, `id`, `status`
///    (`assigned`, `unassigned`, `partly_assigned` for a split household
///    request with only some visits assigned, or `not_in_plan`), `reason`
///    (the first unassigned reason, e.g. `capacity_exhausted`, or `null`),
///    `visits`, `priority`, `kind`, `categories` (category codes),
///    `difficulty`, `city`, `window_start_min`, `window_end_min`;
/// 2. one `Point` per outlet, in the scenario's order, with id
///    `outlet-<id>` and properties `feature` = `"outlet"`, `id`, `name`,
///    `kind` (`company_owned`, `contracted`, `dealer`), `tier` (`gold`,
///    `standard`), `city`, `daily_capacity`, `categories`, `technicians`
///    (how many work there) and `visits` (how many the plan gives it);
/// 3. one `LineString` per route, in the plan's order (ascending
///    technician id), from the technician's start through its visits in
///    order and back to the base, with id `route-<technician>` and
///    properties `feature` = `"route"`, `technician`, `outlet`, `visits`,
///    `km`, `minutes` (driving), `cost` (of its visits), `start_min` and
///    `end_min`.
///
/// A part of a split request (see [`Plan::coordinated`]) is drawn at its
/// household request. Serialize with `to_string()`; numbers are written in
/// Rust's shortest round-trip form.
///
/// # Errors
/// [`ErrorKind::Invalid`] listing every assignment or unassigned entry whose
/// request or outlet is not in the scenario, or the first route that names
/// a technician or request the scenario does not hold.
///
/// # Example
/// ```
/// use servnet::generate::{Generator, Preset};
/// use servnet::io::geojson::plan_geojson;
/// use servnet::{DispatchStrategy, Nearest};
///
/// let scenario = Generator::new(Preset::province("Hainan")).requests(50).seed(1).build()?;
/// let plan = Nearest::new().dispatch(&scenario)?;
/// let fc = plan_geojson(&scenario, &plan)?;
/// let points = scenario.requests().len() + scenario.outlets().len();
/// assert_eq!(fc.features.len(), points + plan.routes.len());
/// let text = fc.to_string(); // GeoJSON
/// # assert!(text.starts_with('{'));
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn plan_geojson(scenario: &Scenario, plan: &Plan) -> Result<FeatureCollection> {
    let resolved = resolve(scenario, plan)?;
    let mut staff: BTreeMap<OutletId, usize> = BTreeMap::new();
    for t in scenario.technicians() {
        *staff.entry(t.outlet).or_default() += 1;
    }
    let mut outlet_visits = vec![0usize; scenario.outlets().len()];
    for &(_, o) in &resolved.visits {
        outlet_visits[o] += 1;
    }
    let mut features = Vec::with_capacity(
        scenario.requests().len() + scenario.outlets().len() + resolved.visits.len(),
    );
    for (r, s) in scenario.requests().iter().zip(&resolved.requests) {
        features.push(request_feature(scenario, r, s));
    }
    for (o, visits) in scenario.outlets().iter().zip(&outlet_visits) {
        features.push(feature(
            format!("outlet-{}", o.id),
            point(o.location),
            json!({
                "feature": "outlet",
                "id": o.id.0,
                "name": o.name,
                "kind": o.kind.as_str(),
                "tier": enum_name(o.tier),
                "city": o.city.0,
                "daily_capacity": o.daily_capacity,
                "categories": codes(scenario, &o.categories),
                "technicians": staff.get(&o.id).copied().unwrap_or(0),
                "visits": visits,
            }),
        ));
    }
    let cost: BTreeMap<RequestId, f64> = plan
        .assignments
        .iter()
        .map(|a| (a.request, a.cost))
        .collect();
    for (n, route) in plan.routes.iter().enumerate() {
        let missing = |entity: &str, id: u32| -> crate::Error {
            ErrorKind::Invalid(vec![Problem::new(
                ProblemCode::DanglingReference,
                "route",
                Some(route.technician.0.into()),
                entity,
                format!("route {n} names {entity} {id}, which the scenario does not hold"),
            )])
            .into()
        };
        let tech = scenario
            .technician(route.technician)
            .ok_or_else(|| missing("technician", route.technician.0))?;
        let (start, base) = (
            scenario.technician_start(tech),
            scenario.technician_base(tech),
        );
        let mut points = vec![[start.x(), start.y()]];
        for stop in &route.stops {
            let r = scenario
                .request(stop.request)
                .ok_or_else(|| missing("request", stop.request.0))?;
            points.push([r.location.x(), r.location.y()]);
        }
        points.push([base.x(), base.y()]);
        let route_cost: f64 = route
            .stops
            .iter()
            .filter_map(|st| cost.get(&st.request))
            .sum();
        features.push(feature(
            format!("route-{}", route.technician.0),
            Geometry::new_line_string(points),
            json!({
                "feature": "route",
                "technician": route.technician.0,
                "outlet": route.outlet.0,
                "visits": route.stops.len(),
                "km": route.travel_km(),
                "minutes": route.travel_min(),
                "cost": route_cost,
                "start_min": route.start_min,
                "end_min": route.end_min,
            }),
        ));
    }
    Ok(FeatureCollection::new(features))
}

/// Named polylines (such as each technician's route of the day) as GeoJSON
/// `LineString` features, in the given order, with id `line-<n>` and
/// properties `feature` = `"line"`, `name` and `points`.
///
/// # Errors
/// [`ErrorKind::Parameter`] (`lines`) naming the first line with fewer than
/// two points (a GeoJSON line needs two) or with a coordinate that is not a
/// finite WGS84 lon/lat.
///
/// # Example
/// ```
/// use geo::Point;
/// use servnet::io::geojson::lines_geojson;
///
/// let route = vec![Point::new(113.26, 23.13), Point::new(113.12, 23.02), Point::new(113.26, 23.13)];
/// let fc = lines_geojson(&[("technician 7".to_string(), route)])?;
/// assert_eq!(fc.features.len(), 1);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn lines_geojson(lines: &[(String, Vec<Point<f64>>)]) -> Result<FeatureCollection> {
    let mut features = Vec::with_capacity(lines.len());
    for (n, (name, points)) in lines.iter().enumerate() {
        let bad = |message: String| -> crate::Error {
            ErrorKind::Parameter {
                name: "lines",
                message: format!("line {n} `{name}`: {message}"),
            }
            .into()
        };
        if points.len() < 2 {
            return Err(bad(format!(
                "{} point(s); a line needs at least two",
                points.len()
            )));
        }
        if let Some(p) = points.iter().find(|p| !crate::model::lonlat::is_valid(**p)) {
            return Err(bad(format!(
                "[{}, {}] is not a WGS84 lon/lat",
                p.x(),
                p.y()
            )));
        }
        features.push(feature(
            format!("line-{n}"),
            Geometry::new_line_string(points.iter().map(|p| [p.x(), p.y()])),
            json!({ "feature": "line", "name": name, "points": points.len() }),
        ));
    }
    Ok(FeatureCollection::new(features))
}
