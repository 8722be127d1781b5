//! Dense per-technician facts that strategies look up in their inner loops.

use super::technicians::TechnicianIndex;
use super::{Legs, Needs};
use crate::model::{Scenario, ServiceRequest, TechnicianId, Tier};
use crate::spatial::unit_vector;
use crate::travel::Leg;

/// What a visit by one technician to one request takes, made on its own:
/// the leg out of the technician's start, the leg back to its base, and the
/// minutes on site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Visit {
    pub out: Leg,
    pub back: Leg,
    pub service_min: f64,
}

/// The technician index (skills, sites, regions) plus what dispatch needs on
/// top: outlet positions and shifts.
pub(crate) struct TechTable {
    index: TechnicianIndex,
    /// Position of each technician's outlet in the scenario.
    outlet: Vec<usize>,
    /// Where each technician's day starts (the base unless the scenario says otherwise).
    start: Vec<geo::Point<f64>>,
    shift_start: Vec<f64>,
    shift_end: Vec<f64>,
    /// The longest shift, in minutes.
    longest_shift: f64,
    /// The earliest shift start, in minutes.
    earliest_start: f64,
    /// Each technician's outlet tier.
    tier: Vec<Tier>,
    /// Whether some technician starts its day away from its base.
    away: bool,
    /// Unit vectors of each technician's start and base, for fast great-circle legs.
    start_xyz: Vec<[f64; 3]>,
    base_xyz: Vec<[f64; 3]>,
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
            start: techs.iter().map(|t| s.technician_start(t)).collect(),
            away: techs.iter().any(|t| t.start.is_some()),
            start_xyz: techs
                .iter()
                .map(|t| unit_vector(s.technician_start(t)).unwrap_or([0.0; 3]))
                .collect(),
            base_xyz: techs
                .iter()
                .map(|t| unit_vector(s.technician_base(t)).unwrap_or([0.0; 3]))
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

    /// The technician index underneath: skills, sites and searches.
    #[inline]
    pub fn index(&self) -> &TechnicianIndex {
        &self.index
    }

    /// The id of technician `t`.
    #[inline]
    pub fn id(&self, t: usize) -> TechnicianId {
        self.index.id(t)
    }

    /// Where technician `t` is based.
    #[inline]
    pub fn base(&self, t: usize) -> geo::Point<f64> {
        self.index.base(t)
    }

    /// The kind of technician `t`'s outlet, by [`OutletKind::index`](crate::OutletKind::index).
    #[inline]
    pub fn kind(&self, t: usize) -> u8 {
        self.index.kind(t)
    }

    /// Position of technician `t`'s region in the scenario; `u32::MAX` for none.
    #[inline]
    pub fn region(&self, t: usize) -> u32 {
        self.index.region(t)
    }

    /// The site (distinct base) of technician `t`.
    #[inline]
    pub fn site_of(&self, t: usize) -> u32 {
        self.index.site_of(t)
    }

    /// Technician `t`'s rank in category `c`: 0 without the category, else
    /// level index + 1.
    #[inline]
    pub fn level_rank(&self, t: usize, c: usize) -> u8 {
        self.index.level_rank(t, c)
    }

    /// Position of technician `t`'s outlet in the scenario.
    #[inline]
    pub fn outlet(&self, t: usize) -> usize {
        self.outlet[t]
    }

    /// Position of each technician's outlet in the scenario, by technician.
    #[inline]
    pub fn outlets(&self) -> &[usize] {
        &self.outlet
    }

    /// Where technician `t`'s day starts (the base unless the scenario says otherwise).
    #[inline]
    pub fn start(&self, t: usize) -> geo::Point<f64> {
        self.start[t]
    }

    /// Technician `t`'s shift start, in minutes.
    #[inline]
    pub fn shift_start(&self, t: usize) -> f64 {
        self.shift_start[t]
    }

    /// Technician `t`'s shift end, in minutes.
    #[inline]
    pub fn shift_end(&self, t: usize) -> f64 {
        self.shift_end[t]
    }

    /// The longest shift, in minutes.
    #[inline]
    pub fn longest_shift(&self) -> f64 {
        self.longest_shift
    }

    /// The earliest shift start, in minutes.
    #[inline]
    pub fn earliest_start(&self) -> f64 {
        self.earliest_start
    }

    /// Whether some technician starts its day away from its base.
    #[inline]
    pub fn away(&self) -> bool {
        self.away
    }

    /// Unit vector of technician `t`'s start, for fast great-circle legs.
    #[inline]
    pub fn start_xyz(&self, t: usize) -> [f64; 3] {
        self.start_xyz[t]
    }

    /// Unit vector of technician `t`'s base, for fast great-circle legs.
    #[inline]
    pub fn base_xyz(&self, t: usize) -> [f64; 3] {
        self.base_xyz[t]
    }

    /// The position of the request's sales region in the scenario; `u32::MAX` for none.
    pub fn request_region(s: &Scenario, r: &ServiceRequest) -> u32 {
        s.city(r.city)
            .and_then(|c| s.region_index(c.region))
            .map_or(u32::MAX, |i| i as u32)
    }

    /// What the policy adds to technician `t`'s visit to a request of region `region`.
    pub fn surcharge(&self, s: &Scenario, t: usize, region: u32) -> f64 {
        s.policy().surcharge(self.region(t) != region, self.tier[t])
    }

    /// Technician `t`'s visit to `r` (which it may serve) with `legs` out and back.
    pub fn visit(
        &self,
        s: &Scenario,
        legs: Legs,
        t: usize,
        r: &ServiceRequest,
        needs: &Needs,
    ) -> Visit {
        Visit {
            out: legs.out,
            back: legs.back,
            service_min: self.service_min(s, t, r, needs),
        }
    }
}
