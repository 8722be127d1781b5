//! Every rule of a scenario, checked at once.

use super::lonlat::is_valid;
use super::*;
use crate::error::{Problem, ProblemCode as C};
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

struct Report(Vec<Problem>);

impl Report {
    fn add(&mut self, code: C, entity: &'static str, id: u64, field: &str, message: String) {
        self.0
            .push(Problem::new(code, entity, Some(id), field, message));
    }

    fn unique<K: Hash + Eq + Copy + Into<u64>>(
        &mut self,
        entity: &'static str,
        ids: impl Iterator<Item = K>,
    ) -> HashSet<K> {
        let mut seen = HashSet::new();
        let mut reported = HashSet::new();
        for id in ids {
            if !seen.insert(id) && reported.insert(id) {
                self.add(
                    C::DuplicateId,
                    entity,
                    id.into(),
                    "id",
                    format!("id {} is used more than once", id.into()),
                );
            }
        }
        seen
    }

    fn point(&mut self, entity: &'static str, id: u64, field: &str, p: geo::Point<f64>) {
        if !is_valid(p) {
            self.add(
                C::BadCoordinate,
                entity,
                id,
                field,
                format!("[{}, {}] is not a WGS84 lon/lat", p.x(), p.y()),
            );
        }
    }

    fn reference<K: Hash + Eq + Copy + std::fmt::Display>(
        &mut self,
        known: &HashSet<K>,
        entity: &'static str,
        id: u64,
        field: &str,
        target: &str,
        value: K,
    ) {
        if !known.contains(&value) {
            self.add(
                C::DanglingReference,
                entity,
                id,
                field,
                format!("unknown {target} {value}"),
            );
        }
    }

    fn non_negative(&mut self, entity: &'static str, id: u64, field: &str, value: f64) {
        if !(value.is_finite() && value >= 0.0) {
            self.add(
                C::OutOfRange,
                entity,
                id,
                field,
                format!("{value} is not a finite number ≥ 0"),
            );
        }
    }

    fn categories(
        &mut self,
        known: &HashSet<CategoryId>,
        entity: &'static str,
        id: u64,
        list: &[CategoryId],
    ) {
        if list.is_empty() {
            self.add(C::Empty, entity, id, "categories", "no category".into());
        }
        let mut seen = HashSet::new();
        for &c in list {
            self.reference(known, entity, id, "categories", "category", c);
            if !seen.insert(c) {
                self.add(
                    C::Inconsistent,
                    entity,
                    id,
                    "categories",
                    format!("category {c} is listed twice"),
                );
            }
        }
    }
}

/// Checks every rule and returns every problem (empty when the data is valid).
pub(crate) fn validate(d: &ScenarioData) -> Vec<Problem> {
    let mut r = Report(Vec::new());
    crate::travel::validate_spec(&d.travel, &mut r.0);

    // Catalog.
    if d.catalog.categories.is_empty() {
        r.0.push(Problem::new(
            C::Empty,
            "catalog",
            None,
            "categories",
            "the catalog has no category",
        ));
    }
    let categories = r.unique("category", d.catalog.categories.iter().map(|c| c.id));
    for c in &d.catalog.categories {
        let id = u64::from(c.id);
        for (field, v) in [
            ("install_min", c.install_min),
            ("repair_min", c.repair_min),
            ("maintenance_min", c.maintenance_min),
        ] {
            if !(v.is_finite() && v > 0.0) {
                r.add(
                    C::NonPositive,
                    "category",
                    id,
                    field,
                    format!("{v} minutes"),
                );
            }
        }
    }
    for (level, f) in SkillLevel::ALL.iter().zip(d.catalog.level_time_factor) {
        if !(f.is_finite() && f > 0.0 && f <= 2.0) {
            r.0.push(Problem::new(
                C::OutOfRange,
                "catalog",
                None,
                "level_time_factor",
                format!("{f} for {level:?} is outside (0, 2]"),
            ));
        }
    }

    r.0.extend(d.policy.problems(&d.catalog));

    // Regions and cities.
    let regions = r.unique("region", d.regions.iter().map(|x| x.id));
    let cities = r.unique("city", d.cities.iter().map(|x| x.id));
    let mut province_region: HashMap<&str, RegionId> = HashMap::new();
    for reg in &d.regions {
        let id = u64::from(reg.id);
        if reg.provinces.is_empty() {
            r.add(C::Empty, "region", id, "provinces", "no province".into());
        }
        for p in &reg.provinces {
            if let Some(other) = province_region.insert(p, reg.id)
                && other != reg.id
            {
                r.add(
                    C::Inconsistent,
                    "region",
                    id,
                    "provinces",
                    format!("province {p} also belongs to region {other}"),
                );
            }
        }
        r.reference(&cities, "region", id, "hub", "city", reg.hub);
    }
    for c in &d.cities {
        let id = u64::from(c.id);
        r.point("city", id, "location", c.location);
        r.reference(&regions, "city", id, "region", "region", c.region);
    }

    // Outlets.
    let outlets = r.unique("outlet", d.outlets.iter().map(|x| x.id));
    for o in &d.outlets {
        let id = u64::from(o.id);
        r.reference(&cities, "outlet", id, "city", "city", o.city);
        r.point("outlet", id, "location", o.location);
        r.categories(&categories, "outlet", id, &o.categories);
        if o.daily_capacity == 0 {
            r.add(
                C::NonPositive,
                "outlet",
                id,
                "daily_capacity",
                "0 visits a day".into(),
            );
        }
        r.non_negative("outlet", id, "tariff.per_visit", o.tariff.per_visit);
        r.non_negative("outlet", id, "tariff.per_minute", o.tariff.per_minute);
        r.non_negative("outlet", id, "tariff.per_km", o.tariff.per_km);
    }

    // Technicians.
    r.unique("technician", d.technicians.iter().map(|x| x.id));
    for t in &d.technicians {
        let id = u64::from(t.id);
        r.reference(&outlets, "technician", id, "outlet", "outlet", t.outlet);
        if t.skills.is_empty() {
            r.add(C::Empty, "technician", id, "skills", "no skill".into());
        }
        let mut seen = HashSet::new();
        for s in &t.skills {
            r.reference(
                &categories,
                "technician",
                id,
                "skills",
                "category",
                s.category,
            );
            if !seen.insert(s.category) {
                r.add(
                    C::Inconsistent,
                    "technician",
                    id,
                    "skills",
                    format!("category {} is listed twice", s.category),
                );
            }
        }
        if t.shift_minutes == 0 {
            r.add(
                C::NonPositive,
                "technician",
                id,
                "shift_minutes",
                "a shift of 0 minutes".into(),
            );
        }
        if let Some(base) = t.base {
            r.point("technician", id, "base", base);
        }
        if let Some(start) = t.start {
            r.point("technician", id, "start", start);
        }
    }

    // Requests.
    r.unique("request", d.requests.iter().map(|x| x.id));
    for q in &d.requests {
        request_rules(&mut r, &cities, &categories, q);
    }
    r.0
}

fn request_rules(
    r: &mut Report,
    cities: &HashSet<CityId>,
    categories: &HashSet<CategoryId>,
    q: &ServiceRequest,
) {
    let id = u64::from(q.id);
    r.reference(cities, "request", id, "city", "city", q.city);
    r.point("request", id, "location", q.location);
    r.categories(categories, "request", id, &q.categories);
    if !(1..=5).contains(&q.difficulty) {
        r.add(
            C::OutOfRange,
            "request",
            id,
            "difficulty",
            format!("{} is outside 1..=5", q.difficulty),
        );
    }
    if q.window.end_min < q.window.start_min {
        r.add(
            C::TimeWindow,
            "request",
            id,
            "window",
            format!(
                "ends at minute {} before it starts at minute {}",
                q.window.end_min, q.window.start_min
            ),
        );
    }
}

/// The rules one request must keep against a scenario's cities and
/// categories, for a request that comes after the scenario was built; its id
/// must not be one of the scenario's requests.
pub(crate) fn validate_request(s: &Scenario, q: &ServiceRequest) -> Vec<Problem> {
    let mut r = Report(Vec::new());
    let cities: HashSet<CityId> = s.cities().iter().map(|c| c.id).collect();
    let categories: HashSet<CategoryId> = s.catalog().categories.iter().map(|c| c.id).collect();
    if s.request(q.id).is_some() {
        r.add(
            C::DuplicateId,
            "request",
            u64::from(q.id),
            "id",
            format!("the scenario already has request {}", q.id),
        );
    }
    request_rules(&mut r, &cities, &categories, q);
    r.0
}
