//! The inserter: one plan's routes and the scenario's technicians indexed
//! once, for many live insertions, and its outcomes applied in step.

use super::{Insertion, Placement, apply};
use crate::dispatch::Plan;
use crate::dispatch::eligibility::TechTable;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{RequestId, Scenario, ServiceRequest, TimeWindow};
use geo::Point;
use std::collections::HashMap;
use std::ops::Deref;

/// Live insertion into one plan's routes, with its indexes built once.
///
/// Build it once per plan (it indexes every technician, `O(n log n)`) and
/// ask [`Inserter::insert`] for each urgent request; apply an outcome with
/// [`Inserter::apply`] to keep the two in step.
pub struct Inserter<'s> {
    pub(super) s: &'s Scenario,
    pub(super) table: Table<'s>,
    /// By technician position: its route's position in the plan.
    pub(super) route_of: Vec<Option<usize>>,
    /// By outlet position: visits in the plan.
    pub(super) visits: Vec<u32>,
    /// Requests inserted that the scenario does not have.
    pub(super) added: HashMap<RequestId, (Point<f64>, TimeWindow)>,
    pub(super) candidates: usize,
    pub(super) max_km: f64,
}

/// The technician table an inserter reads: built for it, or lent by a
/// caller that has built it already.
pub(super) enum Table<'s> {
    Own(Box<TechTable>),
    Lent(&'s TechTable),
}

impl Deref for Table<'_> {
    type Target = TechTable;
    fn deref(&self) -> &TechTable {
        match self {
            Table::Own(table) => table,
            Table::Lent(table) => table,
        }
    }
}

impl<'s> Inserter<'s> {
    /// Checks the plan with [`verify`](fn@crate::dispatch::verify) and indexes the
    /// scenario's technicians and the plan's routes.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] listing every violation [`verify`](fn@crate::dispatch::verify)
    /// finds: a plan whose routes break a rule, name requests the scenario
    /// does not hold (a request inserted live before: add it to the
    /// scenario, or keep using the [`Inserter`] that inserted it), or
    /// disagree with its assignments is not inserted into.
    pub fn new(s: &'s Scenario, routed: &Plan) -> Result<Inserter<'s>> {
        let violations = crate::dispatch::verify(s, routed);
        if !violations.is_empty() {
            let problems = violations
                .iter()
                .map(|v| {
                    Problem::new(
                        ProblemCode::Inconsistent,
                        "plan",
                        v.request.map(u64::from).or(v.technician.map(u64::from)),
                        format!("{:?}", v.code),
                        v.to_string(),
                    )
                })
                .collect();
            return Err(ErrorKind::Invalid(problems).into());
        }
        Inserter::indexed(s, routed, None)
    }

    /// Indexes the scenario's technicians (or takes `table`, their table
    /// built already) and the plan's routes, checking only that the routes'
    /// technicians and stops' requests exist.
    pub(crate) fn indexed(
        s: &'s Scenario,
        routed: &Plan,
        table: Option<&'s TechTable>,
    ) -> Result<Inserter<'s>> {
        let mut problems = Vec::new();
        let mut route_of = vec![None; s.technicians().len()];
        for (i, route) in routed.routes.iter().enumerate() {
            match s.technician_index(route.technician) {
                Some(t) => route_of[t] = Some(i),
                None => problems.push(Problem::new(
                    ProblemCode::DanglingReference,
                    "route",
                    Some(u64::from(route.technician)),
                    "technician",
                    format!("unknown technician {}", route.technician),
                )),
            }
            for stop in &route.stops {
                if s.request(stop.request).is_none() {
                    problems.push(Problem::new(
                        ProblemCode::DanglingReference,
                        "route",
                        Some(u64::from(route.technician)),
                        "stops.request",
                        format!("unknown request {}", stop.request),
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        let mut visits = vec![0; s.outlets().len()];
        for route in &routed.routes {
            if let Some(o) = s.outlet_index(route.outlet) {
                visits[o] += route.stops.len() as u32;
            }
        }
        Ok(Inserter {
            s,
            table: match table {
                Some(table) => Table::Lent(table),
                None => Table::Own(Box::new(TechTable::new(s))),
            },
            route_of,
            visits,
            added: HashMap::new(),
            candidates: 16,
            max_km: 300.0,
        })
    }

    /// How many technicians with a place for the request (of its own region
    /// first, under the policy) are compared before the cheapest is taken
    /// (default 16; at least 1). More finds cheaper places and costs time.
    pub fn candidates(mut self, n: usize) -> Self {
        self.candidates = n.max(1);
        self
    }

    /// The farthest a technician's base may be from the request, in road km
    /// (default 300, as [`Nearest`](crate::dispatch::Nearest)).
    pub fn max_km(mut self, km: f64) -> Self {
        self.max_km = km;
        self
    }

    /// Where the request adds least to the plan's cost (see [`insert`](super::insert)).
    ///
    /// `routed` must be the plan the inserter was built from, with every
    /// outcome since applied by [`Inserter::apply`].
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] when the request breaks a rule of the
    /// scenario (unknown city or category, bad coordinate, difficulty,
    /// window) or has the id of a request already in the scenario or plan;
    /// [`ErrorKind::Parameter`] when `now_min` is NaN.
    pub fn insert(
        &self,
        routed: &Plan,
        request: &ServiceRequest,
        now_min: f64,
    ) -> Result<Insertion> {
        let mut problems = crate::model::validate_request(self.s, request);
        if self.added.contains_key(&request.id) {
            problems.push(Problem::new(
                ProblemCode::DuplicateId,
                "request",
                Some(u64::from(request.id)),
                "id",
                format!("request {} is already in the plan", request.id),
            ));
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Invalid(problems).into());
        }
        if now_min.is_nan() {
            return Err(ErrorKind::Parameter {
                name: "now_min",
                message: "NaN is not a time".into(),
            }
            .into());
        }
        self.place(routed, request, now_min, None)
    }

    /// The point and window of a request of the plan.
    pub(super) fn stop_facts(&self, id: RequestId) -> (Point<f64>, TimeWindow) {
        match self.s.request(id) {
            Some(r) => (r.location, r.window),
            None => self.added.get(&id).copied().unwrap_or((
                Point::new(0.0, 0.0),
                TimeWindow {
                    start_min: 0,
                    end_min: u32::MAX,
                },
            )),
        }
    }

    /// Puts a placement's route into `routed.routes` only (a new route at the
    /// end, out of technician order) and keeps the indexes in step; the
    /// caller sorts the routes and rebuilds the plan's visits afterwards.
    pub(crate) fn apply_route(&mut self, routed: &mut Plan, p: &Placement) {
        let Some(t) = self.s.technician_index(p.technician) else {
            return;
        };
        match self.route_of[t] {
            Some(i) => routed.routes[i] = p.route.clone(),
            None => {
                routed.routes.push(p.route.clone());
                self.route_of[t] = Some(routed.routes.len() - 1);
            }
        }
        if let Some(o) = self.s.outlet_index(p.assignment.outlet) {
            self.visits[o] += 1;
        }
    }

    /// Puts an outcome of [`Inserter::insert`] into the plan and keeps the
    /// inserter's indexes in step with it.
    pub fn apply(&mut self, routed: &mut Plan, insertion: &Insertion) {
        apply(self.s, routed, insertion);
        if let Insertion::Placed(p) = insertion {
            if let Some(o) = self.s.outlet_index(p.assignment.outlet) {
                self.visits[o] += 1;
            }
            if self.s.request(p.request).is_none() {
                self.added.insert(p.request, p.facts);
            }
            self.route_of.iter_mut().for_each(|r| *r = None);
            for (i, route) in routed.routes.iter().enumerate() {
                if let Some(t) = self.s.technician_index(route.technician) {
                    self.route_of[t] = Some(i);
                }
            }
        }
    }
}
