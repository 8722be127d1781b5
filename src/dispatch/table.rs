//! Dense per-technician facts that strategies look up in their inner loops.

use super::Assignment;
use crate::model::{RegionRule, Scenario, ServiceRequest, SkillLevel, Tier};
use crate::spatial::TechnicianIndex;
use crate::travel::{Leg, TravelModel};
use std::ops::Deref;

/// The request's categories as dense indices of the catalog, into `out`.
pub(crate) fn dense_categories(s: &Scenario, r: &ServiceRequest, out: &mut Vec<usize>) {
    out.clear();
    out.extend(r.categories.iter().filter_map(|&c| s.category_index(c)));
}

/// What a visit by one technician to one request takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Visit {
    pub leg: Leg,
    pub service_min: f64,
}

impl Visit {
    pub fn travel_km(&self) -> f64 {
        2.0 * self.leg.km
    }
    pub fn travel_min(&self) -> f64 {
        2.0 * self.leg.minutes
    }
    pub fn working_min(&self) -> f64 {
        self.service_min + self.travel_min()
    }
}

/// The technician index (skills, sites, regions) plus what dispatch needs on
/// top: outlet positions and shifts.
pub(crate) struct TechTable {
    index: TechnicianIndex,
    /// Position of each technician's outlet in the scenario.
    pub outlet: Vec<usize>,
    pub shift_start: Vec<f64>,
    pub shift_end: Vec<f64>,
    /// The longest shift, in minutes.
    pub longest_shift: f64,
    /// The earliest shift start, in minutes.
    pub earliest_start: f64,
    /// Each technician's outlet tier.
    pub tier: Vec<Tier>,
}

impl Deref for TechTable {
    type Target = TechnicianIndex;
    fn deref(&self) -> &TechnicianIndex {
        &self.index
    }
}

impl TechTable {
    pub fn new(s: &Scenario) -> TechTable {
        let techs = s.technicians();
        let shift_start: Vec<f64> = techs.iter().map(|t| f64::from(t.shift_start_min)).collect();
        TechTable {
            index: TechnicianIndex::new(s),
            outlet: techs
                .iter()
                .map(|t| s.outlet_index(t.outlet).unwrap_or(0))
                .collect(),
            shift_end: techs.iter().map(|t| f64::from(t.shift_end_min())).collect(),
            longest_shift: techs
                .iter()
                .map(|t| f64::from(t.shift_minutes))
                .fold(0.0, f64::max),
            earliest_start: shift_start.iter().copied().fold(f64::INFINITY, f64::min),
            tier: techs
                .iter()
                .map(|t| s.outlet(t.outlet).map_or(Tier::Standard, |o| o.tier))
                .collect(),
            shift_start,
        }
    }

    /// Whether technician `t`'s outlet kind is among `kinds` (by [`OutletKind::index`](crate::OutletKind::index)).
    pub fn admitted(&self, t: usize, kinds: &[bool; 3]) -> bool {
        kinds[usize::from(self.kind[t])]
    }

    /// The position of the request's sales region in the scenario; `u32::MAX` for none.
    pub fn request_region(s: &Scenario, r: &ServiceRequest) -> u32 {
        s.city(r.city)
            .and_then(|c| s.region_index(c.region))
            .map_or(u32::MAX, |i| i as u32)
    }

    /// What the policy adds to technician `t`'s visit to a request of region `region`.
    pub fn surcharge(&self, s: &Scenario, t: usize, region: u32) -> f64 {
        s.policy().surcharge(self.region[t] != region, self.tier[t])
    }

    /// The fewest minutes on site a request of these categories can take, at
    /// `level` or above: a lower bound on any technician's visit.
    pub fn least_service_min(
        &self,
        s: &Scenario,
        r: &ServiceRequest,
        cats: &[usize],
        level: SkillLevel,
    ) -> f64 {
        let catalog = s.catalog();
        let factor = catalog.level_time_factor[level.index()..]
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        cats.iter()
            .map(|&c| catalog.categories[c].base_minutes(r.kind) * factor)
            .sum()
    }

    /// The visit of technician `t` (who covers `cats`) to request `r`, with
    /// the leg from the technician's base already known.
    pub fn visit(
        &self,
        s: &Scenario,
        leg: Leg,
        t: usize,
        r: &ServiceRequest,
        cats: &[usize],
    ) -> Visit {
        let catalog = s.catalog();
        let service_min = cats
            .iter()
            .map(|&c| {
                let level = SkillLevel::ALL[usize::from(self.levels[t * self.ncat + c] - 1)];
                catalog.service_minutes(&catalog.categories[c], r.kind, level)
            })
            .sum();
        Visit { leg, service_min }
    }

    /// The plan's record of technician `t` making `visit` to request `r`,
    /// priced under the outlet's tariff.
    pub fn assignment(
        &self,
        s: &Scenario,
        t: usize,
        r: &ServiceRequest,
        visit: &Visit,
    ) -> Assignment {
        let outlet = &s.outlets()[self.outlet[t]];
        Assignment {
            request: r.id,
            technician: s.technicians()[t].id,
            outlet: outlet.id,
            travel_km: visit.travel_km(),
            travel_min: visit.travel_min(),
            service_min: visit.service_min,
            cost: outlet.tariff.cost(visit.working_min(), visit.travel_km()),
        }
    }

    /// Whether the visit fits the request's window inside technician `t`'s shift:
    /// the technician can arrive by the window's end, and start by the window's start
    /// or later, serve and drive back before the shift ends.
    pub fn on_time(&self, t: usize, r: &ServiceRequest, v: &Visit) -> bool {
        let arrive = self.shift_start[t] + v.leg.minutes;
        let start = arrive.max(f64::from(r.window.start_min));
        arrive <= f64::from(r.window.end_min)
            && start + v.service_min + v.leg.minutes <= self.shift_end[t]
    }

    /// Up to `k` technicians who could make the visit to `r` on their own,
    /// nearest first (by great-circle distance from their base, ties by
    /// position): they cover `cats` at `level`, the policy admits their
    /// outlet kind (and region, under `Never`), the leg is at most `max_km`
    /// road km, the visit fits the shift and the window, and `keep` accepts
    /// it. `budget_min` bounds any visit's working minutes (the longest shift,
    /// or a slot), which bounds the search radius. Appends to `out`.
    #[allow(clippy::too_many_arguments)]
    pub fn nearest_visits(
        &self,
        s: &Scenario,
        r: &ServiceRequest,
        cats: &[usize],
        k: usize,
        max_km: f64,
        budget_min: f64,
        mut keep: impl FnMut(usize, &Visit) -> bool,
        out: &mut Vec<(usize, Visit)>,
    ) {
        if cats.is_empty() {
            return;
        }
        let travel = s.travel();
        let level = r.required_level();
        let least = self.least_service_min(s, r, cats, level);
        let radius = self
            .search_radius_km(travel, r, max_km)
            .min(travel.reach_km((budget_min - least) / 2.0));
        let kinds = s.policy().admitted_kinds(r);
        let region = TechTable::request_region(s, r);
        let never = s.policy().region == RegionRule::Never;
        let mut last: Option<(geo::Point<f64>, Leg)> = None;
        let mut found = 0;
        for (t, km) in self.walk(self.rarest(cats, level), r.location) {
            if km > radius || found >= k {
                break;
            }
            if !self.covers(t, cats, level)
                || !self.admitted(t, &kinds)
                || (never && self.region[t] != region)
            {
                continue;
            }
            let base = self.base[t];
            let leg = match last {
                Some((p, leg)) if p == base => leg,
                _ => travel.leg(base, r.location),
            };
            last = Some((base, leg));
            let visit = self.visit(s, leg, t, r, cats);
            let shift = self.shift_end[t] - self.shift_start[t];
            if visit.leg.km <= max_km
                && visit.working_min() <= shift + 1e-9
                && keep(t, &visit)
                && self.on_time(t, r, &visit)
            {
                out.push((t, visit));
                found += 1;
            }
        }
    }

    /// Every technician whose visit to `r` could fit some shift lies within
    /// this great-circle distance: the leg must fit half the longest shift and
    /// reach the location before the window closes. Negative when nothing can.
    pub fn search_radius_km(
        &self,
        travel: &dyn TravelModel,
        r: &ServiceRequest,
        max_km: f64,
    ) -> f64 {
        let by_window = f64::from(r.window.end_min) - self.earliest_start;
        let minutes = (self.longest_shift / 2.0).min(by_window);
        if minutes < 0.0 {
            return -1.0;
        }
        travel.reach_km(minutes).min(max_km)
    }
}
