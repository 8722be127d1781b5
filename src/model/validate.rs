//! Every rule of a scenario, checked at once.

use super::limits::{self, num, past};
use super::lonlat::is_valid;
use super::*;
use crate::error::{Problem, ProblemCode as C};
use std::collections::{HashMap, HashSet};

/// The elements of a scenario's file that could not be read (a field of the
/// wrong shape, reported apart): the rules of the rest take their ids as known,
/// so that one bad element adds no false problem to the others.
#[derive(Debug, Default)]
pub(crate) struct Unread {
    pub(crate) regions: Ids,
    pub(crate) cities: Ids,
    pub(crate) outlets: Ids,
    pub(crate) technicians: Ids,
    pub(crate) requests: Ids,
    pub(crate) categories: Ids,
}

/// The unread elements of one list.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    /// The readable ids of the unread elements.
    pub(crate) ids: Vec<u64>,
    /// Whether the whole list was unread: then every reference to it counts as known.
    pub(crate) all: bool,
}

/// The ids of one kind a reference may name.
struct Known {
    ids: HashSet<u64>,
    all: bool,
}

impl Known {
    fn contains(&self, id: u64) -> bool {
        self.all || self.ids.contains(&id)
    }
}

struct Report(Vec<Problem>);

impl Report {
    fn add(&mut self, code: C, entity: &'static str, id: u64, field: &str, message: String) {
        self.0
            .push(Problem::new(code, entity, Some(id), field, message));
    }

    fn unique(
        &mut self,
        entity: &'static str,
        ids: impl Iterator<Item = u64>,
        unread: &Ids,
    ) -> Known {
        let mut seen = HashSet::new();
        let mut reported = HashSet::new();
        for id in ids.chain(unread.ids.iter().copied()) {
            if !seen.insert(id) && reported.insert(id) {
                self.add(
                    C::DuplicateId,
                    entity,
                    id,
                    "id",
                    format!("id {id} is used more than once"),
                );
            }
        }
        Known {
            ids: seen,
            all: unread.all,
        }
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

    fn reference(
        &mut self,
        known: &Known,
        entity: &'static str,
        id: u64,
        field: &str,
        target: &str,
        value: impl Into<u64>,
    ) {
        let value = value.into();
        if !known.contains(value) {
            self.add(
                C::DanglingReference,
                entity,
                id,
                field,
                format!("unknown {target} {value}"),
            );
        }
    }

    /// A price: finite, ≥ 0 and at most [`limits::MAX_PRICE`].
    fn price(&mut self, entity: &'static str, id: u64, field: &str, value: f64) {
        if !(value.is_finite() && value >= 0.0) {
            self.add(
                C::OutOfRange,
                entity,
                id,
                field,
                format!("{} is not a finite number ≥ 0", num(value)),
            );
        } else if value > limits::MAX_PRICE {
            self.add(
                C::OutOfRange,
                entity,
                id,
                field,
                past(num(value), limits::MAX_PRICE, "MAX_PRICE"),
            );
        }
    }

    /// A minute from the scenario's start, at most [`limits::MAX_MINUTE`].
    fn minute(&mut self, entity: &'static str, id: u64, field: &str, value: u32) {
        if value > limits::MAX_MINUTE {
            self.add(
                C::OutOfRange,
                entity,
                id,
                field,
                past(value, limits::MAX_MINUTE, "MAX_MINUTE"),
            );
        }
    }

    /// A list of categories: not too long, not empty, each known and listed once.
    fn categories(
        &mut self,
        known: &Known,
        entity: &'static str,
        id: u64,
        list: &[CategoryId],
        (max, name): (usize, &str),
    ) {
        if list.len() > max {
            self.add(
                C::TooLarge,
                entity,
                id,
                "categories",
                past(format!("{} categories", list.len()), max, name),
            );
            return;
        }
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
    validate_unread(d, &Unread::default())
}

/// Checks every rule of the data read from a file, some of whose elements
/// could not be read; returns every problem of the rest.
pub(crate) fn validate_unread(d: &ScenarioData, unread: &Unread) -> Vec<Problem> {
    let mut r = Report(Vec::new());
    super::travel::validate_spec(&d.travel, &mut r.0);
    sizes(&mut r, d, unread);

    // Catalog.
    if d.catalog.categories.is_empty() && unread.categories.ids.is_empty() && !unread.categories.all
    {
        r.0.push(Problem::new(
            C::Empty,
            "catalog",
            None,
            "categories",
            "the catalog has no category",
        ));
    }
    let categories = r.unique(
        "category",
        d.catalog.categories.iter().map(|c| u64::from(c.id)),
        &unread.categories,
    );
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
                    format!("{} minutes", num(v)),
                );
            } else if v > limits::MAX_SERVICE_MIN {
                r.add(
                    C::OutOfRange,
                    "category",
                    id,
                    field,
                    past(
                        format!("{} minutes", num(v)),
                        limits::MAX_SERVICE_MIN,
                        "MAX_SERVICE_MIN",
                    ),
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
                format!("{} for {level:?} is outside (0, 2]", num(f)),
            ));
        }
    }

    r.0.extend(
        d.policy
            .problems_knowing(&d.catalog, &|c| categories.contains(u64::from(c))),
    );

    // Regions and cities.
    let regions = r.unique(
        "region",
        d.regions.iter().map(|x| u64::from(x.id)),
        &unread.regions,
    );
    let cities = r.unique(
        "city",
        d.cities.iter().map(|x| u64::from(x.id)),
        &unread.cities,
    );
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
        if c.population > limits::MAX_POPULATION {
            r.add(
                C::OutOfRange,
                "city",
                id,
                "population",
                past(c.population, limits::MAX_POPULATION, "MAX_POPULATION"),
            );
        }
    }

    // Outlets.
    let outlets = r.unique(
        "outlet",
        d.outlets.iter().map(|x| u64::from(x.id)),
        &unread.outlets,
    );
    for o in &d.outlets {
        let id = u64::from(o.id);
        r.reference(&cities, "outlet", id, "city", "city", o.city);
        r.point("outlet", id, "location", o.location);
        r.categories(
            &categories,
            "outlet",
            id,
            &o.categories,
            (limits::MAX_CATEGORIES, "MAX_CATEGORIES"),
        );
        if o.daily_capacity == 0 {
            r.add(
                C::NonPositive,
                "outlet",
                id,
                "daily_capacity",
                "0 visits a day".into(),
            );
        } else if o.daily_capacity > limits::MAX_DAILY_CAPACITY {
            r.add(
                C::OutOfRange,
                "outlet",
                id,
                "daily_capacity",
                past(
                    format!("{} visits a day", o.daily_capacity),
                    limits::MAX_DAILY_CAPACITY,
                    "MAX_DAILY_CAPACITY",
                ),
            );
        }
        r.price("outlet", id, "tariff.per_visit", o.tariff.per_visit);
        r.price("outlet", id, "tariff.per_minute", o.tariff.per_minute);
        r.price("outlet", id, "tariff.per_km", o.tariff.per_km);
    }

    // Technicians.
    r.unique(
        "technician",
        d.technicians.iter().map(|x| u64::from(x.id)),
        &unread.technicians,
    );
    for t in &d.technicians {
        technician_rules(&mut r, &outlets, &categories, t);
    }

    // Requests.
    r.unique(
        "request",
        d.requests.iter().map(|x| u64::from(x.id)),
        &unread.requests,
    );
    for q in &d.requests {
        request_rules(&mut r, &cities, &categories, q);
    }
    r.0
}

/// The sizes of [`limits`]: categories, and the tables dispatch keeps by category.
fn sizes(r: &mut Report, d: &ScenarioData, unread: &Unread) {
    let categories = d.catalog.categories.len() + unread.categories.ids.len();
    if categories > limits::MAX_CATEGORIES {
        r.0.push(Problem::new(
            C::TooLarge,
            "catalog",
            None,
            "categories",
            past(
                format!("{categories} categories"),
                limits::MAX_CATEGORIES,
                "MAX_CATEGORIES",
            ),
        ));
    }
    let technicians = (d.technicians.len() + unread.technicians.ids.len()) as u64;
    let outlets = (d.outlets.len() + unread.outlets.ids.len()) as u64;
    let cells = (technicians + outlets).saturating_mul(categories as u64);
    if cells > limits::MAX_CATEGORY_CELLS {
        r.0.push(Problem::new(
            C::TooLarge,
            "scenario",
            None,
            "technicians",
            past(
                format!(
                    "({technicians} technicians + {outlets} outlets) × {categories} categories \
                     = {cells} cells of dispatch's tables"
                ),
                limits::MAX_CATEGORY_CELLS,
                "MAX_CATEGORY_CELLS",
            ),
        ));
    }
}

fn technician_rules(r: &mut Report, outlets: &Known, categories: &Known, t: &Technician) {
    let id = u64::from(t.id);
    r.reference(outlets, "technician", id, "outlet", "outlet", t.outlet);
    if t.skills.len() > limits::MAX_CATEGORIES {
        r.add(
            C::TooLarge,
            "technician",
            id,
            "skills",
            past(
                format!("{} skills", t.skills.len()),
                limits::MAX_CATEGORIES,
                "MAX_CATEGORIES",
            ),
        );
    } else {
        if t.skills.is_empty() {
            r.add(C::Empty, "technician", id, "skills", "no skill".into());
        }
        let mut seen = HashSet::new();
        for s in &t.skills {
            r.reference(
                categories,
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
    }
    if t.shift_minutes == 0 {
        r.add(
            C::NonPositive,
            "technician",
            id,
            "shift_minutes",
            "a shift of 0 minutes".into(),
        );
    } else if t.shift_minutes > limits::MAX_SHIFT_MIN {
        r.add(
            C::OutOfRange,
            "technician",
            id,
            "shift_minutes",
            past(
                format!("a shift of {} minutes", t.shift_minutes),
                limits::MAX_SHIFT_MIN,
                "MAX_SHIFT_MIN",
            ),
        );
    }
    r.minute("technician", id, "shift_start_min", t.shift_start_min);
    if let Some(base) = t.base {
        r.point("technician", id, "base", base);
    }
    if let Some(start) = t.start {
        r.point("technician", id, "start", start);
    }
}

fn request_rules(r: &mut Report, cities: &Known, categories: &Known, q: &ServiceRequest) {
    let id = u64::from(q.id);
    r.reference(cities, "request", id, "city", "city", q.city);
    r.point("request", id, "location", q.location);
    r.categories(
        categories,
        "request",
        id,
        &q.categories,
        (limits::MAX_REQUEST_CATEGORIES, "MAX_REQUEST_CATEGORIES"),
    );
    if !(1..=5).contains(&q.difficulty) {
        r.add(
            C::OutOfRange,
            "request",
            id,
            "difficulty",
            format!("{} is outside 1..=5", q.difficulty),
        );
    }
    r.minute("request", id, "received_min", q.received_min);
    r.minute("request", id, "window.start_min", q.window.start_min);
    r.minute("request", id, "window.end_min", q.window.end_min);
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
    let known = |ids: HashSet<u64>| Known { ids, all: false };
    let cities = known(s.cities().iter().map(|c| u64::from(c.id)).collect());
    let categories = known(
        s.catalog()
            .categories
            .iter()
            .map(|c| u64::from(c.id))
            .collect(),
    );
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
