//! The field's rule: each request, in arrival order, goes to the nearest
//! technician who has the skills and the capacity left, within the policy.

use super::live::LiveIndex;
use super::region::settle;
use super::table::{TechTable, Visit};
use super::{DispatchStrategy, Plan, Unassigned, UnassignedReason};
use crate::error::{ErrorKind, Result};
use crate::model::{RegionRule, RequestKind, Scenario, ServiceRequest, SkillLevel};
use crate::travel::{Leg, TravelModel};

const EPS: f64 = 1e-9;

/// Nearest-technician dispatch, the baseline every other strategy is measured against.
///
/// Requests are taken in arrival order (`received_min`, then id). Each goes to
/// the nearest technician (by great-circle distance from the technician's
/// base) who covers all of its categories at the required level, whose outlet
/// serves them and has visits left, whose shift has the minutes left for the
/// round trip and the service, and who can meet the time window, never
/// farther than [`Nearest::max_km`] road km — and whose outlet kind the
/// scenario's [`Policy`](crate::Policy) admits for the request. Under
/// [`RegionRule::WhenNecessary`](crate::RegionRule::WhenNecessary) the
/// request's own sales region comes first and another only when none of its
/// technicians in reach has room; under `Never` only its own; under `Freely`
/// the nearest of any region (see [`RegionNearest`](super::RegionNearest) for
/// the region first even then).
///
/// # Example
/// ```
/// use servnet::{DispatchStrategy, Nearest, generate::{Generator, Preset}};
/// let scenario = Generator::new(Preset::province("Hainan")).requests(200).seed(1).build()?;
/// let plan = Nearest::new().dispatch(&scenario)?;
/// assert!(servnet::verify(&scenario, &plan).is_empty());
/// assert_eq!(plan.assignments.len() + plan.unassigned.len(), 200);
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    max_km: f64,
    region_first: bool,
}

impl Default for Nearest {
    fn default() -> Self {
        Nearest {
            max_km: 300.0,
            region_first: false,
        }
    }
}

impl Nearest {
    /// The rule with the default reach of 300 road km.
    pub fn new() -> Self {
        Nearest::default()
    }

    /// Sets the reach: the farthest a technician is sent, in road km (> 0; may be infinite).
    pub fn max_km(mut self, km: f64) -> Self {
        self.max_km = km;
        self
    }

    /// Keeps to the request's region first even when the policy lets it cross freely.
    pub(super) fn region_first(mut self) -> Self {
        self.region_first = true;
        self
    }

    pub(super) fn checked_max_km(&self) -> Result<f64> {
        if self.max_km.is_nan() || self.max_km <= 0.0 {
            return Err(ErrorKind::Parameter {
                name: "max_km",
                message: format!("{} is not a distance > 0", self.max_km),
            }
            .into());
        }
        Ok(self.max_km)
    }
}

struct Candidate {
    tech: usize,
    visit: Visit,
}

impl DispatchStrategy for Nearest {
    fn name(&self) -> &str {
        "nearest"
    }

    fn dispatch(&self, s: &Scenario) -> Result<Plan> {
        self.checked_max_km()?;
        let rule = s.policy().region;
        let home_first = rule != RegionRule::Freely || self.region_first;
        let travel = s.travel();
        let table = TechTable::new(s);
        let mut minutes_left: Vec<f64> = s
            .technicians()
            .iter()
            .map(|t| f64::from(t.shift_minutes))
            .collect();
        let mut visits_left: Vec<u32> = s.outlets().iter().map(|o| o.daily_capacity).collect();
        let mut outlet_techs: Vec<Vec<usize>> = vec![Vec::new(); s.outlets().len()];
        for (t, &o) in table.outlet.iter().enumerate() {
            outlet_techs[o].push(t);
        }
        // A technician with less left than the shortest visit it could make is full.
        let catalog = s.catalog();
        let shortest: Vec<f64> = (0..s.technicians().len())
            .map(|t| {
                (0..table.ncat)
                    .filter(|&c| table.levels[t * table.ncat + c] > 0)
                    .flat_map(|c| {
                        let level =
                            SkillLevel::ALL[usize::from(table.levels[t * table.ncat + c] - 1)];
                        RequestKind::ALL.iter().map(move |&k| {
                            catalog.service_minutes(&catalog.categories[c], k, level)
                        })
                    })
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();

        let mut live = LiveIndex::new(&table, &minutes_left);

        let mut order: Vec<usize> = (0..s.requests().len()).collect();
        order.sort_by_key(|&i| (s.requests()[i].received_min, s.requests()[i].id));

        let mut plan = Plan {
            strategy: self.name().to_string(),
            ..Plan::default()
        };
        let mut cats = Vec::new();
        for i in order {
            let r = &s.requests()[i];
            cats.clear();
            cats.extend(r.categories.iter().filter_map(|&c| s.category_index(c)));
            let level = r.required_level();
            let kinds = s.policy().admitted_kinds(r);
            let region = TechTable::request_region(s, r);
            let radius = table.search_radius_km(travel, r, self.max_km);
            // One walk outward: the first feasible technician of the region wins;
            // the first feasible one of another region is kept as the fallback.
            let mut fallback = None;
            let mut chosen = None;
            if !cats.is_empty() {
                let key = table.rarest(&cats, level);
                let least = table.least_service_min(s, r, &cats, level);
                // Technicians of one site come together and share the leg.
                let mut last_leg: Option<(geo::Point<f64>, Leg)> = None;
                for (t, _) in live.nearest(travel, key, r.location, least, radius) {
                    // Under `Freely` every technician counts as home.
                    let home = table.region[t] == region || !home_first;
                    if (!home && (fallback.is_some() || rule == RegionRule::Never))
                        || !table.admitted(t, &kinds)
                        || !table.covers(t, &cats, level)
                    {
                        continue;
                    }
                    let base = table.base[t];
                    let leg = match last_leg {
                        Some((p, leg)) if p == base => leg,
                        _ => travel.leg(base, r.location),
                    };
                    last_leg = Some((base, leg));
                    let visit = table.visit(s, leg, t, r, &cats);
                    if visit.leg.km <= self.max_km
                        && visits_left[table.outlet[t]] > 0
                        && visit.working_min() <= minutes_left[t] + EPS
                        && table.on_time(t, r, &visit)
                    {
                        if home {
                            chosen = Some(Candidate { tech: t, visit });
                            break;
                        }
                        fallback = Some(Candidate { tech: t, visit });
                    }
                }
            }
            let Some(Candidate { tech: t, visit }) = chosen.or(fallback) else {
                let reason = reason(s, &table, r, &cats, level, self.max_km);
                plan.unassigned.push(Unassigned {
                    request: r.id,
                    reason,
                });
                continue;
            };
            let o = table.outlet[t];
            minutes_left[t] -= visit.working_min();
            visits_left[o] -= 1;
            plan.assignments.push(table.assignment(s, t, r, &visit));
            let full: &[usize] = if visits_left[o] == 0 {
                &outlet_techs[o]
            } else if minutes_left[t] < shortest[t] {
                std::slice::from_ref(&t)
            } else {
                &[]
            };
            for &f in full {
                live.remove(&table, f);
            }
            live.update(&table, t, minutes_left[t]);
        }
        if rule == RegionRule::WhenNecessary {
            settle(s, &table, &mut plan);
        }
        Ok(plan)
    }
}

/// Why no technician could take the request: the first of the reasons that
/// holds when capacity is ignored, else capacity.
pub(super) fn reason(
    s: &Scenario,
    table: &TechTable,
    r: &ServiceRequest,
    cats: &[usize],
    level: SkillLevel,
    max_km: f64,
) -> UnassignedReason {
    if cats.is_empty() {
        return UnassignedReason::NoSkilledTechnician;
    }
    let kinds = s.policy().admitted_kinds(r);
    let region = TechTable::request_region(s, r);
    let never = s.policy().region == RegionRule::Never;
    let key = table.rarest(cats, level);
    let mut skilled = table
        .walk(key, r.location)
        .filter(|&(t, _)| {
            table.covers(t, cats, level)
                && table.admitted(t, &kinds)
                && (!never || table.region[t] == region)
        })
        .peekable();
    if skilled.peek().is_none() {
        let any = table
            .walk(key, r.location)
            .any(|(t, _)| table.covers(t, cats, level));
        return if any {
            UnassignedReason::PolicyExcludes
        } else {
            UnassignedReason::NoSkilledTechnician
        };
    }
    let mut within_reach = false;
    let radius = table.search_radius_km(s.travel(), r, max_km);
    for (t, km) in skilled.take_while(|&(_, km)| km <= max_km) {
        if within_reach && km > radius {
            break;
        }
        let visit = table.visit(s, s.travel().leg(table.base[t], r.location), t, r, cats);
        if visit.leg.km > max_km {
            continue;
        }
        within_reach = true;
        let fits_shift = visit.working_min() <= table.shift_end[t] - table.shift_start[t] + EPS;
        if fits_shift && table.on_time(t, r, &visit) {
            return UnassignedReason::CapacityExhausted;
        }
    }
    if within_reach {
        UnassignedReason::TimeWindowImpossible
    } else {
        UnassignedReason::NoneWithinReach
    }
}
