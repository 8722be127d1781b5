//! The days as output: each technician's route timed by the travel model,
//! and the plan of the days.

use super::Days;
use crate::dispatch::UnassignedReason;
use crate::dispatch::plan::{Plan, Unassigned};
use crate::dispatch::routed::{Route, timed_route};

impl Days<'_> {
    /// The routes of the days, in ascending technician id, timed by the
    /// travel model; a visit a route cannot keep (never with a travel model
    /// that keeps the triangle inequality) is left out and returned.
    pub fn routes(&self) -> (Vec<Route>, Vec<u32>) {
        let s = self.s;
        let mut techs: Vec<usize> = (0..self.days.len())
            .filter(|&t| !self.days[t].stops.is_empty())
            .collect();
        techs.sort_by_key(|&t| s.technicians()[t].id);
        let mut routes = Vec::with_capacity(techs.len());
        let mut dropped = Vec::new();
        for t in techs {
            let day = &self.days[t];
            let mut stops: Vec<(u32, f64)> = day
                .stops
                .iter()
                .zip(&day.sched)
                .map(|(&i, x)| (i, x.service))
                .collect();
            loop {
                let visits: Vec<_> = stops
                    .iter()
                    .map(|&(i, service)| {
                        let r = &s.requests()[i as usize];
                        (r.id, r.location, self.reqs[i as usize].job(service))
                    })
                    .collect();
                match timed_route(s, t, &visits) {
                    Ok(route) => {
                        routes.push(route);
                        break;
                    }
                    Err(k) => dropped.push(stops.remove(k).0),
                }
            }
        }
        (routes, dropped)
    }

    /// The plan of the days: routes, visits, and `unassigned` (which must
    /// hold every request not in a day).
    pub fn plan(&self, strategy: &str, mut unassigned: Vec<Unassigned>) -> Plan {
        let (routes, dropped) = self.routes();
        unassigned.extend(dropped.into_iter().map(|i| Unassigned {
            request: self.s.requests()[i as usize].id,
            reason: UnassignedReason::WindowMissed,
        }));
        Plan::from_routes(self.s, strategy, routes, unassigned)
    }
}
