//! Who may serve a request, and with what service time: the one rule every
//! strategy, one-stop split, live insertion and unassigned reason asks.
//!
//! A technician **may serve** a request when it covers every category of the
//! request at the level its difficulty needs (or above) and its outlet
//! serves those categories; when the scenario's [`Policy`](crate::Policy)
//! admits its outlet's kind for the request (kind rules and escalation); and,
//! under [`RegionRule::Never`], when its outlet is in the request's sales
//! region. Its **service time** is the sum over the request's categories of
//! the catalog's minutes at the technician's level. It **could serve the
//! request alone** when, in addition, the leg from its base is within the
//! reach asked for and the visit, made on its own from the start of the
//! shift, meets the window and ends by the shift's end.
//!
//! [`verify`](super::verify) keeps its own, independent statement of the rule.
//! The searches by eligibility live below: the criteria ([`Eligibility`]),
//! the technicians ([`TechnicianIndex`]) and the outlets ([`OutletIndex`]).

mod criteria;
mod outlets;
mod table;
mod technicians;

pub use criteria::{Eligibility, Found};
pub use outlets::OutletIndex;
pub(crate) use table::TechTable;
pub use technicians::TechnicianIndex;

use super::UnassignedReason;
use crate::model::{RegionRule, Scenario, ServiceRequest, SkillLevel};
use crate::route::{Job, timing};
use crate::travel::{Leg, TravelModel};
use geo::Point;
use table::Visit;

/// What a request asks of a technician, worked out once per request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Needs {
    /// The request's categories as dense catalog indices.
    pub cats: Vec<usize>,
    /// Whether every category is in the catalog (else nobody may serve it).
    pub known: bool,
    /// The level every category needs.
    pub level: SkillLevel,
    /// The outlet kinds the policy admits, by [`OutletKind::index`](crate::OutletKind::index).
    pub kinds: [bool; 3],
    /// The position of the request's sales region; `u32::MAX` for none.
    pub region: u32,
    /// Only technicians of the request's region (the region rule `never`).
    pub home_only: bool,
}

impl Needs {
    /// What `r` asks of a technician of scenario `s`.
    pub fn of(s: &Scenario, r: &ServiceRequest) -> Needs {
        let cats: Vec<usize> = r
            .categories
            .iter()
            .filter_map(|&c| s.category_index(c))
            .collect();
        Needs {
            known: cats.len() == r.categories.len() && !cats.is_empty(),
            cats,
            level: r.required_level(),
            kinds: s.policy().admitted_kinds(r),
            region: TechTable::request_region(s, r),
            home_only: s.policy().region == RegionRule::Never,
        }
    }

    /// The request's window, for the timing rule, with `service_min` on site.
    pub fn job(r: &ServiceRequest, service_min: f64) -> Job {
        Job {
            window_start_min: f64::from(r.window.start_min),
            window_end_min: f64::from(r.window.end_min),
            service_min,
        }
    }
}

impl TechTable {
    /// Whether technician `t` may serve a request of these needs: skills at
    /// the level (of categories its outlet serves), outlet kind and
    /// escalation, and the region under [`RegionRule::Never`].
    #[inline]
    pub fn may_serve(&self, t: usize, needs: &Needs) -> bool {
        needs.known
            && needs.kinds[usize::from(self.kind(t))]
            && (!needs.home_only || self.region(t) == needs.region)
            && self.index().covers(t, &needs.cats, needs.level)
    }

    /// Minutes on site of technician `t` (who may serve it) at request `r`.
    pub fn service_min(&self, s: &Scenario, t: usize, r: &ServiceRequest, needs: &Needs) -> f64 {
        let catalog = s.catalog();
        needs
            .cats
            .iter()
            .filter_map(|&c| {
                let level = self.index().level(t, c)?;
                Some(catalog.service_minutes(&catalog.categories[c], r.kind, level))
            })
            .sum()
    }

    /// Technicians who may serve a request of these needs, as `(technician,
    /// km)` by great-circle distance of their base from `at`, then by
    /// position.
    pub fn eligible_near<'a>(
        &'a self,
        needs: &'a Needs,
        at: Point<f64>,
    ) -> impl Iterator<Item = (usize, f64)> + 'a {
        let walk = needs.known.then(|| {
            self.index()
                .walk(self.index().rarest(&needs.cats, needs.level), at)
        });
        walk.into_iter()
            .flatten()
            .filter(move |&(t, _)| self.may_serve(t, needs))
    }

    /// Technician `t`'s visit to `r` on its own, with `legs` out of its
    /// start and back to its base: `Some` when the customer is at most
    /// `max_km` road km from the base and the visit, made alone from the
    /// start of the shift, meets the window and is back by the shift's end.
    pub fn alone(
        &self,
        s: &Scenario,
        t: usize,
        r: &ServiceRequest,
        needs: &Needs,
        legs: Legs,
        max_km: f64,
    ) -> Option<Visit> {
        if legs.reach_km > max_km {
            return None;
        }
        let visit = self.visit(s, legs, t, r, needs);
        self.on_time(t, r, &visit).then_some(visit)
    }

    /// Whether the visit, made on its own from the start of technician `t`'s
    /// shift and back to the base, meets the request's window and the shift.
    pub fn on_time(&self, t: usize, r: &ServiceRequest, v: &Visit) -> bool {
        let job = Needs::job(r, v.service_min);
        let leave = timing::first_departure(self.shift_start(t), v.out.minutes, &job);
        timing::visit(leave, v.out.minutes, &job)
            .is_some_and(|tm| timing::in_shift(tm.depart_min + v.back.minutes, self.shift_end(t)))
    }

    /// The fewest minutes on site a request of these needs can take: a
    /// lower bound on any technician's visit.
    pub fn least_service_min(&self, s: &Scenario, r: &ServiceRequest, needs: &Needs) -> f64 {
        let catalog = s.catalog();
        let factor = catalog.level_time_factor[needs.level.index()..]
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        needs
            .cats
            .iter()
            .map(|&c| catalog.categories[c].base_minutes(r.kind) * factor)
            .sum()
    }

    /// How many times a day through a customer drives at least the
    /// distance between the customer and the technician's base: there and
    /// back (2), or only back (1) when some technician starts away from it.
    pub fn legs_to_base(&self) -> f64 {
        if self.away() { 1.0 } else { 2.0 }
    }

    /// Every technician whose base is close enough for a visit to `r` to
    /// fit some shift lies within this great-circle distance of the request:
    /// the way to the base must fit the longest shift (half of it, there and
    /// back) and, unless technicians start away from their base, the way out
    /// must reach the location before the window closes. Negative when
    /// nothing can.
    pub fn search_radius_km(
        &self,
        travel: &dyn TravelModel,
        r: &ServiceRequest,
        max_km: f64,
    ) -> f64 {
        let mut minutes = self.longest_shift() / self.legs_to_base();
        if !self.away() {
            minutes = minutes.min(f64::from(r.window.end_min) - self.earliest_start());
        }
        if minutes < 0.0 {
            return -1.0;
        }
        travel.reach_km(minutes).min(max_km)
    }

    /// Up to `k` technicians who could make the visit to `r` alone within
    /// `max_km` road km and whom `keep` accepts, nearest first (ties by
    /// position). `budget_min` bounds any visit's working minutes (the
    /// longest shift, or a slot), which bounds the search. Appends to `out`.
    #[allow(clippy::too_many_arguments)]
    pub fn nearest_visits(
        &self,
        s: &Scenario,
        r: &ServiceRequest,
        needs: &Needs,
        k: usize,
        max_km: f64,
        budget_min: f64,
        mut keep: impl FnMut(usize, &Visit) -> bool,
        out: &mut Vec<(usize, Visit)>,
    ) {
        let travel = s.travel();
        let least = self.least_service_min(s, r, needs);
        let radius = self
            .search_radius_km(travel, r, max_km)
            .min(travel.reach_km((budget_min - least) / self.legs_to_base()));
        let mut legs = LegCache::default();
        let mut found = 0;
        for (t, km) in self.eligible_near(needs, r.location) {
            if km > radius || found >= k {
                break;
            }
            let leg = legs.get(s, self, t, r.location);
            if let Some(visit) = self.alone(s, t, r, needs, leg, max_km)
                && keep(t, &visit)
            {
                out.push((t, visit));
                found += 1;
            }
        }
    }

    /// Why nobody could take request `r`: the first of these that holds —
    /// nobody has the skills ([`UnassignedReason::NoSkilledTechnician`]), the
    /// policy admits none of those who do
    /// ([`UnassignedReason::PolicyExcludes`]), none is within `max_km`
    /// ([`UnassignedReason::NoneWithinReach`]), none could meet the window
    /// alone ([`UnassignedReason::TimeWindowImpossible`]); else some could,
    /// and their days or outlets are full
    /// ([`UnassignedReason::CapacityExhausted`]).
    pub fn reason(
        &self,
        s: &Scenario,
        r: &ServiceRequest,
        needs: &Needs,
        max_km: f64,
    ) -> UnassignedReason {
        if !needs.known {
            return UnassignedReason::NoSkilledTechnician;
        }
        let mut eligible = self.eligible_near(needs, r.location).peekable();
        if eligible.peek().is_none() {
            let key = self.index().rarest(&needs.cats, needs.level);
            let any = self
                .index()
                .walk(key, r.location)
                .any(|(t, _)| self.index().covers(t, &needs.cats, needs.level));
            return if any {
                UnassignedReason::PolicyExcludes
            } else {
                UnassignedReason::NoSkilledTechnician
            };
        }
        let mut within_reach = false;
        let radius = self.search_radius_km(s.travel(), r, max_km);
        let mut legs = LegCache::default();
        for (t, km) in eligible.take_while(|&(_, km)| km <= max_km) {
            if within_reach && km > radius {
                break;
            }
            let leg = legs.get(s, self, t, r.location);
            if leg.reach_km > max_km {
                continue;
            }
            within_reach = true;
            if self.alone(s, t, r, needs, leg, max_km).is_some() {
                return UnassignedReason::CapacityExhausted;
            }
        }
        if within_reach {
            UnassignedReason::TimeWindowImpossible
        } else {
            UnassignedReason::NoneWithinReach
        }
    }
}

/// The legs between technicians' starts and bases and one point:
/// technicians of one site come together in a walk and share them.
#[derive(Default)]
pub(crate) struct LegCache {
    last: Option<(Point<f64>, Point<f64>, Legs)>,
}

/// The leg out of a technician's start to a customer, the leg from there
/// back to its base, and the road km from its base to the customer (its
/// reach, the same as the leg out unless the day starts away from the base).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Legs {
    pub out: Leg,
    pub back: Leg,
    pub reach_km: f64,
}

impl Legs {
    /// The legs `start → to → base`, and the reach `base → to`.
    pub fn between(
        travel: &dyn TravelModel,
        start: Point<f64>,
        to: Point<f64>,
        base: Point<f64>,
    ) -> Legs {
        let out = travel.leg(start, to);
        Legs {
            out,
            back: travel.leg(to, base),
            reach_km: if start == base {
                out.km
            } else {
                travel.leg(base, to).km
            },
        }
    }
}

impl LegCache {
    /// The legs from technician `t`'s start to `to` and from `to` back to its base.
    pub fn get(&mut self, s: &Scenario, table: &TechTable, t: usize, to: Point<f64>) -> Legs {
        let (start, base) = (table.start(t), table.base(t));
        match self.last {
            Some((a, b, legs)) if a == start && b == base => legs,
            _ => {
                let legs = Legs::between(s.travel(), start, to, base);
                self.last = Some((start, base, legs));
                legs
            }
        }
    }
}
