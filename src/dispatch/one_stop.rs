//! One-stop visits: a household request with several categories is one
//! visit by one technician who covers them all, when such a technician is
//! within reach; otherwise it becomes coordinated visits, one per category.

use super::eligibility::TechTable;
use super::eligibility::{LegCache, Needs};
use super::{DispatchStrategy, Plan};
use crate::error::{ErrorKind, Result};
use crate::model::{RequestId, Scenario, ServiceRequest};
use serde::{Deserialize, Serialize};

/// A request split into coordinated visits, one per category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coordinated {
    /// The household's request.
    pub request: RequestId,
    /// The requests that stand for its visits, one category each.
    pub parts: Vec<RequestId>,
}

/// A scenario whose multi-category requests that no single technician
/// could serve are split, and the record of which were split.
#[derive(Debug, Clone)]
pub struct OneStop {
    /// The scenario to dispatch: one-stop requests as they were, split ones
    /// replaced by their parts.
    pub scenario: Scenario,
    /// The split requests and their parts, in the order of the scenario.
    pub coordinated: Vec<Coordinated>,
}

/// Whether one technician could make the whole visit: one who may serve
/// every category (see the rule of eligibility), within the policy's reach,
/// on time and inside a shift. Capacity is not considered: this is about who
/// exists, not who is free.
pub(crate) fn one_technician_covers(s: &Scenario, table: &TechTable, r: &ServiceRequest) -> bool {
    let needs = Needs::of(s, r);
    let reach = s.policy().reach_km;
    let mut legs = LegCache::default();
    table
        .eligible_near(&needs, r.location)
        .take_while(|&(_, km)| km <= reach)
        .any(|(t, _)| {
            let leg = legs.get(s, table, t, r.location);
            table.alone(s, t, r, &needs, leg, reach).is_some()
        })
}

/// Splits every multi-category request that no single technician in reach
/// covers into one request per category (same place, kind, difficulty,
/// time and priority), numbered after the scenario's largest request id.
///
/// # Errors
/// [`ErrorKind::Parameter`] when request ids up to `u32::MAX` leave no room for the parts.
///
/// # Example
/// ```
/// use servnet::dispatch::split_one_stop;
/// use servnet::generate::{Generator, Preset};
/// let day = Generator::new(Preset::province("Hainan")).requests(400).seed(3).build()?;
/// let split = split_one_stop(&day)?;
/// let parts: usize = split.coordinated.iter().map(|c| c.parts.len()).sum();
/// assert_eq!(split.scenario.requests().len(), 400 - split.coordinated.len() + parts);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn split_one_stop(s: &Scenario) -> Result<OneStop> {
    let table = TechTable::new(s);
    let mut next = s.requests().iter().map(|r| r.id.0).max().unwrap_or(0);
    let mut requests = Vec::with_capacity(s.requests().len());
    let mut coordinated = Vec::new();
    for r in s.requests() {
        if r.categories.len() < 2 || one_technician_covers(s, &table, r) {
            requests.push(r.clone());
            continue;
        }
        let mut parts = Vec::with_capacity(r.categories.len());
        for &c in &r.categories {
            next = next.checked_add(1).ok_or_else(|| ErrorKind::Parameter {
                name: "requests",
                message: "no request id is left for the parts of a split request".into(),
            })?;
            let mut part = r.clone();
            part.id = RequestId(next);
            part.categories = vec![c];
            parts.push(part.id);
            requests.push(part);
        }
        coordinated.push(Coordinated {
            request: r.id,
            parts,
        });
    }
    let mut data = s.data().clone();
    data.requests = requests;
    Ok(OneStop {
        scenario: Scenario::new(data)?,
        coordinated,
    })
}

/// Dispatches a scenario with one-stop visits: splits what must be split
/// ([`split_one_stop`]), lets the strategy plan the result, and records the
/// split requests in [`Plan::coordinated`]. The plan is of the returned
/// scenario and passes [`verify`](super::verify) against it.
///
/// # Errors
/// As [`split_one_stop`] and the strategy.
pub fn dispatch_one_stop(
    strategy: &dyn DispatchStrategy,
    s: &Scenario,
) -> Result<(Scenario, Plan)> {
    let OneStop {
        scenario,
        coordinated,
    } = split_one_stop(s)?;
    let mut plan = strategy.dispatch(&scenario)?;
    plan.coordinated = coordinated;
    Ok((scenario, plan))
}
