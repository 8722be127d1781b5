//! The field's rule: each request, in arrival order, goes to the nearest
//! technician who has the skills and the capacity left, within the policy.

use super::days::{Days, Pricing};
use super::eligibility::LegCache;
use super::eligibility::TechTable;
use super::live::LiveIndex;
use super::region::settle;
use super::{DispatchStrategy, Plan, Unassigned};
use crate::error::{ErrorKind, Result};
use crate::model::{RegionRule, RequestKind, Scenario};

/// Nearest-technician dispatch, the baseline every other strategy is measured against.
///
/// Requests are taken in arrival order (`received_min`, then id). Each goes to
/// the nearest technician (by great-circle distance from the technician's
/// base) who may serve it (see the crate's rule of eligibility: skills at the
/// level, the outlet's categories, the [`Policy`](crate::Policy)'s outlet
/// kinds and escalation), never farther than [`Nearest::max_km`] road km from
/// the base, whose outlet has visits left, and whose day has a place for the
/// visit: a position in the route where it and every visit after it start
/// inside their windows and the day ends by the shift's end. It takes the
/// cheapest such position (the fewest tariff cost of the driving it adds,
/// then the fewest minutes). Under
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

impl DispatchStrategy for Nearest {
    fn name(&self) -> &str {
        "nearest"
    }

    fn dispatch(&self, s: &Scenario) -> Result<Plan> {
        self.checked_max_km()?;
        let table = TechTable::new(s);
        let mut days = Days::new(s, &table, Pricing::TARIFF);
        let unassigned = self.fill(&mut days);
        Ok(days.plan(self.name(), unassigned))
    }
}

impl Nearest {
    /// Dispatches every request into `days`, in arrival order; returns the
    /// requests left out with their reasons.
    pub(super) fn fill(&self, days: &mut Days) -> Vec<Unassigned> {
        let s = days.s;
        let table = days.table;
        let rule = s.policy().region;
        let home_first = rule != RegionRule::Freely || self.region_first;
        let travel = s.travel();
        // Minutes of each shift not yet spent on site (driving comes on top).
        let mut minutes_left: Vec<f64> = s
            .technicians()
            .iter()
            .map(|t| f64::from(t.shift_minutes))
            .collect();
        let mut outlet_techs: Vec<Vec<usize>> = vec![Vec::new(); s.outlets().len()];
        for (t, &o) in table.outlets().iter().enumerate() {
            outlet_techs[o].push(t);
        }
        // A technician with less left than the shortest visit it could make is full.
        let catalog = s.catalog();
        let shortest: Vec<f64> = (0..s.technicians().len())
            .map(|t| {
                table
                    .index()
                    .skills(t)
                    .flat_map(|(c, level)| {
                        RequestKind::ALL.iter().map(move |&k| {
                            catalog.service_minutes(&catalog.categories[c], k, level)
                        })
                    })
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
        let mut live = LiveIndex::new(table, &minutes_left);

        let mut order: Vec<usize> = (0..s.requests().len()).collect();
        order.sort_by_key(|&i| (s.requests()[i].received_min, s.requests()[i].id));
        let mut unassigned = Vec::new();
        for i in order {
            let r = &s.requests()[i];
            let needs = &days.reqs[i].needs;
            let radius = table.search_radius_km(travel, r, self.max_km);
            // One walk outward: the first technician of the region with a
            // place wins; the first of another region is kept as the fallback.
            let mut fallback = None;
            let mut chosen = None;
            if needs.known {
                let key = table.index().rarest(&needs.cats, needs.level);
                let least = table.least_service_min(s, r, needs);
                let mut legs = LegCache::default();
                for (t, _) in
                    live.nearest(travel, key, r.location, least, radius, table.legs_to_base())
                {
                    // Under `Freely` every technician counts as home.
                    let home = table.region(t) == needs.region || !home_first;
                    if (!home && fallback.is_some()) || !table.may_serve(t, needs) {
                        continue;
                    }
                    let leg = legs.get(s, table, t, r.location);
                    if table.alone(s, t, r, needs, leg, self.max_km).is_none() {
                        continue;
                    }
                    if let Some((place, _)) = days.best_place(t, i) {
                        if home {
                            chosen = Some((t, place.pos));
                            break;
                        }
                        fallback = Some((t, place.pos));
                    }
                }
            }
            let Some((t, pos)) = chosen.or(fallback) else {
                unassigned.push(Unassigned {
                    request: r.id,
                    reason: table.reason(s, r, needs, self.max_km),
                });
                continue;
            };
            days.insert(t, i, pos);
            let o = table.outlet(t);
            minutes_left[t] -= days.service_min(t, i);
            let full: &[usize] = if !days.outlet_has_room(t) {
                &outlet_techs[o]
            } else if minutes_left[t] < shortest[t] {
                std::slice::from_ref(&t)
            } else {
                &[]
            };
            for &f in full {
                live.remove(table, f);
            }
            live.update(table, t, minutes_left[t]);
        }
        if rule == RegionRule::WhenNecessary {
            settle(days, s.policy().reach_km);
        }
        unassigned
    }
}
