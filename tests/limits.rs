//! Inputs that would overflow into infinities, or make work grow faster than
//! themselves, are refused at validation with their field and the documented limit.

mod common;

use common::*;
use servnet::generate::Preset;
use servnet::limits::*;
use servnet::sim::Simulation;
use servnet::*;

fn problems(d: ScenarioData) -> Vec<Problem> {
    Scenario::new(d)
        .err()
        .map_or(Vec::new(), |e| e.problems().to_vec())
}

fn small() -> ScenarioData {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::CompanyOwned, 1, 113.3, 23.1, 10));
    d.technicians.push(tech(1, 1, &[(0, SkillLevel::Expert)]));
    d.requests.push(request(1, 1, 113.3, 23.1, &[0], 2));
    d
}

/// One problem, out of range, on this entity, id and field, naming the limit.
fn refused(d: ScenarioData, entity: &str, id: Option<u64>, field: &str, limit: &str) {
    let p = problems(d);
    assert_eq!(p.len(), 1, "{field}: {p:#?}");
    assert_eq!(
        (p[0].code, p[0].entity, p[0].id, p[0].field.as_str()),
        (ProblemCode::OutOfRange, entity, id, field),
        "{p:#?}"
    );
    assert!(
        p[0].message.contains(limit),
        "{field}: `{limit}` not in {}",
        p[0]
    );
}

#[test]
fn values_at_their_limits_are_accepted() {
    let mut d = small();
    d.outlets[0].tariff = Tariff {
        per_visit: MAX_PRICE,
        per_minute: MAX_PRICE,
        per_km: MAX_PRICE,
    };
    d.outlets[0].daily_capacity = MAX_DAILY_CAPACITY;
    d.catalog.categories[0].repair_min = MAX_SERVICE_MIN;
    d.technicians[0].shift_minutes = MAX_SHIFT_MIN;
    d.technicians[0].shift_start_min = MAX_MINUTE - MAX_SHIFT_MIN;
    d.requests[0].received_min = MAX_MINUTE;
    d.requests[0].window.end_min = MAX_MINUTE;
    d.cities[0].population = MAX_POPULATION;
    d.policy.crossing_cost = MAX_PRICE;
    d.policy.gold_preference = MAX_PRICE;
    d.policy.reach_km = MAX_REACH_KM;
    d.travel = travel::TravelSpec::GreatCircle(GreatCircle::default().speed_kmh(MAX_SPEED_KMH));
    assert!(problems(d.clone()).is_empty(), "{:#?}", problems(d));
}

#[test]
fn finite_numbers_that_make_infinities_are_refused_with_their_limit() {
    let price = MAX_PRICE.to_string();
    let mut d = small();
    d.outlets[0].tariff.per_minute = 1e308;
    refused(d, "outlet", Some(1), "tariff.per_minute", &price);
    let mut d = small();
    d.outlets[0].tariff.per_km = 2e6;
    refused(d, "outlet", Some(1), "tariff.per_km", &price);
    let mut d = small();
    d.outlets[0].daily_capacity = u32::MAX;
    refused(
        d,
        "outlet",
        Some(1),
        "daily_capacity",
        &MAX_DAILY_CAPACITY.to_string(),
    );
    let mut d = small();
    d.catalog.categories[0].repair_min = 1e308;
    refused(
        d,
        "category",
        Some(0),
        "repair_min",
        &MAX_SERVICE_MIN.to_string(),
    );
    let mut d = small();
    d.technicians[0].shift_minutes = u32::MAX;
    refused(
        d,
        "technician",
        Some(1),
        "shift_minutes",
        &MAX_SHIFT_MIN.to_string(),
    );
    let mut d = small();
    d.technicians[0].shift_start_min = u32::MAX - 10;
    refused(
        d,
        "technician",
        Some(1),
        "shift_start_min",
        &MAX_MINUTE.to_string(),
    );
    let mut d = small();
    d.requests[0].window.end_min = u32::MAX;
    refused(
        d,
        "request",
        Some(1),
        "window.end_min",
        &MAX_MINUTE.to_string(),
    );
    let mut d = small();
    d.requests[0].received_min = u32::MAX;
    refused(
        d,
        "request",
        Some(1),
        "received_min",
        &MAX_MINUTE.to_string(),
    );
    let mut d = small();
    d.cities[0].population = u64::MAX;
    refused(
        d,
        "city",
        Some(1),
        "population",
        &MAX_POPULATION.to_string(),
    );
    let mut d = small();
    d.policy.crossing_cost = 1e308;
    refused(d, "policy", None, "crossing_cost", &price);
    let mut d = small();
    d.policy.reach_km = 1e308;
    refused(d, "policy", None, "reach_km", &MAX_REACH_KM.to_string());
    let mut d = small();
    d.travel = travel::TravelSpec::GreatCircle(GreatCircle::default().speed_kmh(1e-300));
    refused(d, "travel", None, "speed_kmh", &MIN_SPEED_KMH.to_string());
    let mut d = small();
    d.travel = travel::TravelSpec::GreatCircle(GreatCircle::default().speed_kmh(1e308));
    refused(d, "travel", None, "speed_kmh", &MAX_SPEED_KMH.to_string());
}

#[test]
fn a_tariff_of_1e308_read_from_json_is_refused() {
    let s = Scenario::new(small()).unwrap();
    let text = io::to_json_string(&s)
        .unwrap()
        .replace("\"per_minute\":1.0", "\"per_minute\":1e308");
    let err = io::scenario_from_json_str(&text, "day.json").unwrap_err();
    assert!(
        err.problems()
            .iter()
            .any(|p| p.field == "tariff.per_minute" && p.code == ProblemCode::OutOfRange),
        "{err}"
    );
}

/// A catalog of `n` categories.
fn catalog(n: usize) -> Catalog {
    let one = Catalog::default().categories[0].clone();
    Catalog {
        categories: (0..n)
            .map(|i| Category {
                id: CategoryId(i as u16),
                code: format!("c{i}"),
                ..one.clone()
            })
            .collect(),
        ..Catalog::default()
    }
}

fn too_large(p: &[Problem], entity: &str, id: Option<u64>, field: &str, limit: &str) {
    assert!(
        p.iter().any(|x| x.code == ProblemCode::TooLarge
            && x.entity == entity
            && x.id == id
            && x.field == field
            && x.message.contains(limit)),
        "no {entity} `{field}` over {limit} in {p:#?}"
    );
}

#[test]
fn sizes_that_make_work_grow_faster_than_the_input_are_refused() {
    let mut d = small();
    d.catalog = catalog(MAX_CATEGORIES);
    assert!(problems(d.clone()).is_empty());
    d.catalog = catalog(MAX_CATEGORIES + 1);
    let p = problems(d);
    too_large(
        &p,
        "catalog",
        None,
        "categories",
        &MAX_CATEGORIES.to_string(),
    );
    assert_eq!(p.len(), 1, "{p:#?}");

    // Skills past the number of categories a catalog may hold: one problem, not one per skill.
    let mut d = small();
    d.technicians[0] = tech(1, 1, &vec![(0, SkillLevel::Basic); MAX_CATEGORIES + 1]);
    let p = problems(d);
    too_large(
        &p,
        "technician",
        Some(1),
        "skills",
        &MAX_CATEGORIES.to_string(),
    );
    assert_eq!(p.len(), 1, "{p:#?}");

    let mut d = small();
    d.catalog = catalog(MAX_REQUEST_CATEGORIES + 1);
    d.requests[0].categories = (0..=MAX_REQUEST_CATEGORIES as u16)
        .map(CategoryId)
        .collect();
    let p = problems(d.clone());
    too_large(
        &p,
        "request",
        Some(1),
        "categories",
        &MAX_REQUEST_CATEGORIES.to_string(),
    );
    assert_eq!(p.len(), 1, "{p:#?}");
    d.requests[0].categories.pop();
    assert!(problems(d).is_empty());

    // Technicians × categories: the tables dispatch keeps.
    let mut d = small();
    d.catalog = catalog(MAX_CATEGORIES);
    let n = (MAX_CATEGORY_CELLS / MAX_CATEGORIES as u64) as u32;
    d.technicians = (1..=n)
        .map(|i| tech(i, 1, &[(0, SkillLevel::Basic)]))
        .collect();
    let p = problems(d);
    too_large(
        &p,
        "scenario",
        None,
        "technicians",
        &MAX_CATEGORY_CELLS.to_string(),
    );
    assert_eq!(p.len(), 1, "{p:#?}");
}

#[test]
fn a_simulation_past_the_limit_of_calls_is_refused_before_any_work() {
    let t = std::time::Instant::now();
    let err = Simulation::new(Preset::National)
        .days(365)
        .requests_per_day(1_000_000)
        .run()
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Parameter { .. })
            && err.to_string().contains(&MAX_SIM_CALLS.to_string()),
        "{err}"
    );
    assert!(t.elapsed().as_secs_f64() < 5.0, "{:?}", t.elapsed());
    let err = Simulation::new(Preset::province("Hainan"))
        .days(MAX_SIM_DAYS + 1)
        .requests_per_day(0)
        .run()
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Parameter { name: "days", .. })
            && err.to_string().contains(&MAX_SIM_DAYS.to_string()),
        "{err}"
    );
}

#[test]
fn rules_and_promises_past_their_limits_are_refused() {
    let mut d = small();
    d.policy.rules = vec![KindRule::new(OutletKind::CompanyOwned, 5); MAX_RULES + 1];
    let p = problems(d);
    too_large(&p, "policy", None, "rules", &MAX_RULES.to_string());
    assert_eq!(p.len(), 1, "{p:#?}");

    let mut d = small();
    d.policy.gold_preference = 1e308;
    refused(d, "policy", None, "gold_preference", &MAX_PRICE.to_string());

    let triage = servnet::sim::Triage {
        sla_city_hours: 1e308,
        ..Default::default()
    };
    let p = triage.problems();
    assert_eq!(
        (p.len(), p[0].code, p[0].field.as_str()),
        (1, ProblemCode::OutOfRange, "sla_city_hours"),
        "{p:#?}"
    );
    assert!(
        p[0].message.contains(&MAX_SLA_HOURS.to_string()),
        "{}",
        p[0]
    );
}
