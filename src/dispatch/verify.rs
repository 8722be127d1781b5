//! The independent checker: re-derives every constraint of a plan from the scenario.
//!
//! It shares no code with the strategies beyond the model and the travel
//! model, so a bug in a strategy's bookkeeping shows up here.

use super::Plan;
use crate::model::{
    OutletId, RegionRule, RequestId, Scenario, ServiceRequest, SkillLevel, TechnicianId,
};
use crate::travel::TravelModel;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// What rule a plan breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ViolationCode {
    /// The plan names a request, technician or outlet the scenario does not have.
    UnknownId,
    /// A request of the scenario is neither assigned nor unassigned.
    MissingRequest,
    /// A request appears more than once in the plan.
    DuplicateRequest,
    /// The assignment's outlet is not the technician's.
    WrongOutlet,
    /// The technician lacks a category at the required level, or the outlet does not serve it.
    Skill,
    /// The technician's visits take more minutes than the shift.
    ShiftExceeded,
    /// The outlet makes more visits than its daily capacity.
    OutletCapacityExceeded,
    /// The visit cannot meet the request's time window inside the shift.
    TimeWindow,
    /// Km, minutes or cost differ from what the scenario gives.
    Figures,
    /// The policy does not admit the outlet's kind for the request (kind rules or escalation).
    Policy,
    /// The visit leaves the request's sales region where the policy's region rule forbids it.
    RegionCrossing,
    /// A route's time or leg differs from what the travel model gives, or a
    /// visit starts before its arrival or its window's start (see
    /// [`verify_routes`](super::verify_routes)).
    RouteTiming,
    /// Routes and plan disagree: an assigned request in no route or in two,
    /// a stop the plan does not assign or assigns to another technician,
    /// routes out of order.
    RouteMismatch,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The rule.
    pub code: ViolationCode,
    /// The request concerned, if one.
    pub request: Option<RequestId>,
    /// The technician concerned, if one.
    pub technician: Option<TechnicianId>,
    /// The outlet concerned, if one.
    pub outlet: Option<OutletId>,
    /// What is wrong, with the numbers.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.code)?;
        if let Some(r) = self.request {
            write!(f, " request {r}")?;
        }
        if let Some(t) = self.technician {
            write!(f, " technician {t}")?;
        }
        if let Some(o) = self.outlet {
            write!(f, " outlet {o}")?;
        }
        write!(f, ": {}", self.message)
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// Checks a plan against a scenario and returns every violation (empty when the plan is sound).
///
/// Checked: every request of the scenario appears exactly once (assigned or
/// unassigned) and no unknown id appears; each visit's technician belongs to
/// its outlet, covers every category at the level the difficulty needs, and the
/// outlet serves them; km, minutes and cost match the scenario's travel model,
/// catalog and tariff; the visit can meet the time window inside the shift;
/// no shift is exceeded and no outlet makes more visits than its capacity.
///
/// A [routed](Plan::routed) plan is checked as the days it describes: each
/// technician's visits driven in the plan's order from the base at the
/// shift's start, each visit carrying the leg into it (the last also the
/// way back), every visit started inside its window (waiting when early)
/// and the day back by the shift's end. Whether a visit that crosses its
/// region under [`RegionRule::WhenNecessary`] was necessary is a question
/// of the dispatch before routing and is not asked again of a routed plan.
/// [`verify_routes`](super::verify_routes) checks the routes' times.
///
/// # Example
/// ```
/// use servnet::{DispatchStrategy, Nearest, verify};
/// use servnet::dispatch::ViolationCode;
/// use servnet::generate::{Generator, Preset};
/// let day = Generator::new(Preset::province("Qinghai")).requests(100).seed(3).build()?;
/// let mut plan = Nearest::new().dispatch(&day)?;
/// assert!(verify(&day, &plan).is_empty());
/// plan.assignments[0].cost *= 0.5; // a plan that under-reports a cost
/// assert_eq!(verify(&day, &plan)[0].code, ViolationCode::Figures);
/// # Ok::<(), servnet::Error>(())
/// ```
pub fn verify(s: &Scenario, plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut v = |code, request, technician, outlet, message: String| {
        out.push(Violation {
            code,
            request,
            technician,
            outlet,
            message,
        })
    };
    let mut seen: HashMap<RequestId, usize> = HashMap::new();
    let mentioned = plan
        .assignments
        .iter()
        .map(|a| a.request)
        .chain(plan.unassigned.iter().map(|u| u.request));
    for id in mentioned {
        if s.request(id).is_none() {
            v(
                ViolationCode::UnknownId,
                Some(id),
                None,
                None,
                "no such request".into(),
            );
        }
        *seen.entry(id).or_default() += 1;
    }
    for r in s.requests() {
        match seen.get(&r.id).copied().unwrap_or(0) {
            0 => v(
                ViolationCode::MissingRequest,
                Some(r.id),
                None,
                None,
                "neither assigned nor unassigned".into(),
            ),
            1 => {}
            n => v(
                ViolationCode::DuplicateRequest,
                Some(r.id),
                None,
                None,
                format!("appears {n} times"),
            ),
        }
    }

    let travel = s.travel();
    let legs = if plan.routed {
        routed_days(s, plan, &mut v)
    } else {
        Vec::new()
    };
    let mut crossings = Vec::new();
    let mut minutes: HashMap<TechnicianId, f64> = HashMap::new();
    let mut visits: HashMap<OutletId, u32> = HashMap::new();
    for (i, a) in plan.assignments.iter().enumerate() {
        let (Some(r), Some(t)) = (s.request(a.request), s.technician(a.technician)) else {
            if s.technician(a.technician).is_none() {
                v(
                    ViolationCode::UnknownId,
                    Some(a.request),
                    Some(a.technician),
                    None,
                    "no such technician".into(),
                );
            }
            continue;
        };
        let Some(o) = s.outlet(a.outlet) else {
            v(
                ViolationCode::UnknownId,
                Some(a.request),
                Some(a.technician),
                Some(a.outlet),
                "no such outlet".into(),
            );
            continue;
        };
        if !s.policy().admits(o.kind, r) {
            v(
                ViolationCode::Policy,
                Some(r.id),
                Some(t.id),
                Some(o.id),
                format!(
                    "a {} outlet may not take {:?} work of difficulty {} in these categories",
                    o.kind.as_str(),
                    r.kind,
                    r.difficulty
                ),
            );
        }
        let region_of = |city| s.city(city).map(|c| c.region);
        if region_of(r.city) != region_of(o.city) {
            match s.policy().region {
                RegionRule::Never => v(
                    ViolationCode::RegionCrossing,
                    Some(r.id),
                    Some(t.id),
                    Some(o.id),
                    "the policy never crosses a region".into(),
                ),
                RegionRule::WhenNecessary => crossings.push((r, t.id)),
                RegionRule::Freely => {}
            }
        }
        if t.outlet != o.id {
            v(
                ViolationCode::WrongOutlet,
                Some(r.id),
                Some(t.id),
                Some(o.id),
                format!("the technician works for outlet {}", t.outlet),
            );
            continue;
        }
        let need = SkillLevel::for_difficulty(r.difficulty);
        let mut service_min = 0.0;
        let mut skilled = true;
        for &c in &r.categories {
            let level = t.skills.iter().find(|k| k.category == c).map(|k| k.level);
            match (level, s.category(c)) {
                (Some(level), Some(cat)) if level >= need && o.categories.contains(&c) => {
                    service_min += s.catalog().service_minutes(cat, r.kind, level);
                }
                _ => {
                    skilled = false;
                    v(
                        ViolationCode::Skill,
                        Some(r.id),
                        Some(t.id),
                        Some(o.id),
                        format!(
                            "category {c} at level {need:?} is not covered (technician has {level:?}, outlet serves it: {})",
                            o.categories.contains(&c)
                        ),
                    );
                }
            }
        }
        let base = t.base.unwrap_or(o.location);
        let leg = travel.leg(base, r.location);
        // Round trip, or in a routed plan the legs of the day the visit carries.
        let (drive_km, drive_min) = if plan.routed {
            legs.get(i)
                .copied()
                .flatten()
                .unwrap_or((a.travel_km, a.travel_min))
        } else {
            (2.0 * leg.km, 2.0 * leg.minutes)
        };
        if skilled {
            let expect = [
                ("travel_km", a.travel_km, drive_km),
                ("travel_min", a.travel_min, drive_min),
                ("service_min", a.service_min, service_min),
                (
                    "cost",
                    a.cost,
                    o.tariff.per_visit
                        + o.tariff.per_minute * (service_min + drive_min)
                        + o.tariff.per_km * drive_km,
                ),
            ];
            for (field, got, want) in expect {
                if !close(got, want) {
                    v(
                        ViolationCode::Figures,
                        Some(r.id),
                        Some(t.id),
                        Some(o.id),
                        format!("{field} is {got}, the scenario gives {want}"),
                    );
                }
            }
            let arrive = f64::from(t.shift_start_min) + leg.minutes;
            let start = arrive.max(f64::from(r.window.start_min));
            let back = start + service_min + leg.minutes;
            if !plan.routed
                && (arrive > f64::from(r.window.end_min) + 1e-9
                    || back > f64::from(t.shift_start_min) + f64::from(t.shift_minutes) + 1e-9)
            {
                v(
                    ViolationCode::TimeWindow,
                    Some(r.id),
                    Some(t.id),
                    Some(o.id),
                    format!(
                        "arrives at minute {arrive:.1} for window [{}, {}], back at {back:.1} after a shift ending at {}",
                        r.window.start_min,
                        r.window.end_min,
                        t.shift_start_min + t.shift_minutes
                    ),
                );
            }
        }
        *minutes.entry(t.id).or_default() += service_min + drive_min;
        *visits.entry(o.id).or_default() += 1;
    }
    if !plan.routed {
        unnecessary_crossings(s, &crossings, &minutes, &visits, &mut v);
    }
    let mut over: Vec<_> = minutes.into_iter().collect();
    over.sort_by_key(|&(id, _)| id);
    for (id, used) in over {
        if let Some(t) = s.technician(id)
            && used > f64::from(t.shift_minutes) + 1e-6
        {
            v(
                ViolationCode::ShiftExceeded,
                None,
                Some(id),
                Some(t.outlet),
                format!(
                    "{used:.1} minutes of work in a {}-minute shift",
                    t.shift_minutes
                ),
            );
        }
    }
    let mut over: Vec<_> = visits.into_iter().collect();
    over.sort_by_key(|&(id, _)| id);
    for (id, n) in over {
        if let Some(o) = s.outlet(id)
            && n > o.daily_capacity
        {
            v(
                ViolationCode::OutletCapacityExceeded,
                None,
                None,
                Some(id),
                format!("{n} visits, capacity {}", o.daily_capacity),
            );
        }
    }
    out
}

/// For a routed plan: the km and minutes each visit should carry (the leg
/// into it, the last of a day also the way back), by position in the plan,
/// and a violation for each visit of a day, driven in the plan's order from
/// the start of the shift, that starts after its window or ends the day
/// after the shift.
#[allow(clippy::type_complexity)]
fn routed_days(
    s: &Scenario,
    plan: &Plan,
    v: &mut impl FnMut(ViolationCode, Option<RequestId>, Option<TechnicianId>, Option<OutletId>, String),
) -> Vec<Option<(f64, f64)>> {
    let travel = s.travel();
    let mut out = vec![None; plan.assignments.len()];
    let mut days: HashMap<TechnicianId, Vec<usize>> = HashMap::new();
    for (i, a) in plan.assignments.iter().enumerate() {
        days.entry(a.technician).or_default().push(i);
    }
    let mut days: Vec<_> = days.into_iter().collect();
    days.sort_by_key(|&(id, _)| id);
    for (id, visits) in days {
        let Some(t) = s.technician(id) else { continue };
        let base = s.technician_base(t);
        let Some(requests) = visits
            .iter()
            .map(|&i| s.request(plan.assignments[i].request))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let (mut at, mut time) = (base, f64::from(t.shift_start_min));
        for (k, (&i, r)) in visits.iter().zip(&requests).enumerate() {
            let a = &plan.assignments[i];
            let leg = travel.leg(at, r.location);
            let arrive = time + leg.minutes;
            if arrive > f64::from(r.window.end_min) + 1e-6 {
                v(
                    ViolationCode::TimeWindow,
                    Some(r.id),
                    Some(id),
                    Some(a.outlet),
                    format!(
                        "the day in the plan's order arrives at minute {arrive:.1} for window [{}, {}]",
                        r.window.start_min, r.window.end_min
                    ),
                );
            }
            time = arrive.max(f64::from(r.window.start_min)) + a.service_min;
            at = r.location;
            let (mut km, mut min) = (leg.km, leg.minutes);
            if k + 1 == visits.len() {
                let back = travel.leg(at, base);
                km += back.km;
                min += back.minutes;
                time += back.minutes;
                if time > f64::from(t.shift_end_min()) + 1e-6 {
                    v(
                        ViolationCode::TimeWindow,
                        Some(r.id),
                        Some(id),
                        Some(a.outlet),
                        format!(
                            "the day in the plan's order is back at minute {time:.1}, after the shift ends at {}",
                            t.shift_end_min()
                        ),
                    );
                }
            }
            out[i] = Some((km, min));
        }
    }
    out
}

/// Under `WhenNecessary`: each crossing visit whose request a technician of
/// its own region could have taken instead — admitted, skilled, within the
/// policy's reach, on time, and with room left in the final plan.
fn unnecessary_crossings(
    s: &Scenario,
    crossings: &[(&ServiceRequest, TechnicianId)],
    minutes: &HashMap<TechnicianId, f64>,
    visits: &HashMap<OutletId, u32>,
    v: &mut impl FnMut(ViolationCode, Option<RequestId>, Option<TechnicianId>, Option<OutletId>, String),
) {
    if crossings.is_empty() {
        return;
    }
    let travel = s.travel();
    let reach = s.policy().reach_km;
    let mut by_region: HashMap<_, Vec<_>> = HashMap::new();
    for h in s.technicians() {
        if let Some(o) = s.outlet(h.outlet) {
            let region = s.city(o.city).map(|c| c.region);
            by_region.entry(region).or_default().push((h, o));
        }
    }
    for &(r, used) in crossings {
        let region = s.city(r.city).map(|c| c.region);
        let need = SkillLevel::for_difficulty(r.difficulty);
        let candidates = by_region.get(&region).map_or(&[][..], Vec::as_slice);
        let home = candidates.iter().find(|&&(h, o)| {
            if !s.policy().admits(o.kind, r)
                || visits.get(&o.id).copied().unwrap_or(0) >= o.daily_capacity
            {
                return false;
            }
            let mut service_min = 0.0;
            for &c in &r.categories {
                let level = h.skills.iter().find(|k| k.category == c).map(|k| k.level);
                match (level, s.category(c)) {
                    (Some(level), Some(cat)) if level >= need && o.categories.contains(&c) => {
                        service_min += s.catalog().service_minutes(cat, r.kind, level);
                    }
                    _ => return false,
                }
            }
            let leg = travel.leg(h.base.unwrap_or(o.location), r.location);
            let working = service_min + 2.0 * leg.minutes;
            let used_min = minutes.get(&h.id).copied().unwrap_or(0.0);
            let arrive = f64::from(h.shift_start_min) + leg.minutes;
            let back = arrive.max(f64::from(r.window.start_min)) + service_min + leg.minutes;
            leg.km <= reach
                && used_min + working <= f64::from(h.shift_minutes) - 1e-6
                && arrive <= f64::from(r.window.end_min)
                && back <= f64::from(h.shift_end_min())
        });
        if let Some((h, _)) = home {
            v(
                ViolationCode::RegionCrossing,
                Some(r.id),
                Some(used),
                None,
                format!(
                    "crosses its region though technician {} of the region had room",
                    h.id
                ),
            );
        }
    }
}
