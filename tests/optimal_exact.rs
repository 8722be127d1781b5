//! `Optimal` against exact enumeration on tiny days: every assignment of
//! requests to technicians (or to none) and every order of each
//! technician's visits, kept when the checker accepts the plan, priced by
//! `Optimal::objective`. The optimum bounds what every strategy can reach,
//! and `Optimal`'s lower bound never exceeds it.

mod common;

use common::*;
use proptest::prelude::*;
use servnet::dispatch::Route;
use servnet::generate::{Generator, Preset};
use servnet::*;

use SkillLevel::{Advanced, Basic, Expert};

const TOL: f64 = 1e-6;

fn tol(x: f64) -> f64 {
    TOL * x.abs().max(1.0)
}

/// Every order of `items`.
fn permutations(items: &[RequestId]) -> Vec<Vec<RequestId>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, first);
            out.push(p);
        }
    }
    out
}

/// The least objective of any plan the checker accepts, and that plan.
///
/// The objective is a sum over routes (each visit's cost, surcharge and
/// response term) plus the penalties of the requests left out, so each
/// technician's best order of each set of visits is found once: the order
/// of least objective among those whose plan (that route alone) the checker
/// accepts. Then every assignment of requests to technicians or to none is
/// tried with those days, and kept when the checker accepts the whole plan
/// (outlet capacities, the region rule).
fn optimum(s: &Scenario, opt: &Optimal) -> (f64, Plan, usize) {
    let ids: Vec<RequestId> = s.requests().iter().map(|r| r.id).collect();
    let n = ids.len();
    let techs = s.technicians();
    assert!(n <= 6 && techs.len() <= 3, "too large to enumerate");
    // best[t][mask]: the cheapest feasible route of technician t through the set `mask`.
    let mut best: Vec<Vec<Option<(f64, Route)>>> = vec![vec![None; 1 << n]; techs.len()];
    for (tech, by_set) in techs.iter().zip(&mut best) {
        for (mask, slot) in by_set.iter_mut().enumerate().skip(1) {
            let set: Vec<RequestId> = (0..n)
                .filter(|k| mask & (1 << k) != 0)
                .map(|k| ids[k])
                .collect();
            for order in permutations(&set) {
                let Some(route) = timed_route(s, tech.id, &order) else {
                    continue;
                };
                let plan = plan_of(s, vec![route.clone()], "enumerated");
                if !verify(s, &plan).is_empty() {
                    continue;
                }
                let cost = opt.objective(s, &plan).unwrap();
                if slot.as_ref().is_none_or(|(c, _)| cost < *c) {
                    *slot = Some((cost, route));
                }
            }
        }
    }
    let choices = techs.len() + 1; // a technician, or none
    let mut optimum: Option<(f64, Plan)> = None;
    let mut feasible = 0;
    'assignments: for code in 0..choices.pow(n as u32) {
        let mut masks = vec![0usize; techs.len()];
        let mut c = code;
        for k in 0..n {
            let who = c % choices;
            c /= choices;
            if who < techs.len() {
                masks[who] |= 1 << k;
            }
        }
        let mut routes = Vec::new();
        for (t, &mask) in masks.iter().enumerate() {
            if mask == 0 {
                continue;
            }
            match &best[t][mask] {
                Some((_, route)) => routes.push(route.clone()),
                None => continue 'assignments,
            }
        }
        routes.sort_by_key(|r| r.technician);
        let plan = plan_of(s, routes, "enumerated");
        if !verify(s, &plan).is_empty() {
            continue;
        }
        feasible += 1;
        let cost = opt.objective(s, &plan).unwrap();
        if optimum.as_ref().is_none_or(|(c, _)| cost < *c) {
            optimum = Some((cost, plan));
        }
    }
    let (cost, plan) = optimum.expect("leaving every request out is always a plan");
    (cost, plan, feasible)
}

fn strategies() -> Vec<Box<dyn DispatchStrategy>> {
    vec![
        Box::new(Nearest::new()),
        Box::new(RegionNearest::new()),
        Box::new(Regret::new()),
        Box::new(Optimal::new().work_limit(0)),
        Box::new(Optimal::new().work_limit(300).seed(5)),
    ]
}

/// Checks `Optimal` and every strategy against the enumerated optimum;
/// returns the optimum's plan, whether `Optimal` found the optimum, and
/// how many plans the checker accepted.
fn check_against_enumeration(name: &str, s: &Scenario) -> (Plan, bool, usize) {
    let opt = Optimal::new().work_limit(2_000);
    let (best, best_plan, feasible) = optimum(s, &opt);
    let plan = dispatch_checked(s, &opt);
    let (objective, bound) = (plan.objective.unwrap(), plan.lower_bound.unwrap());
    let priced = opt.objective(s, &plan).unwrap();
    assert!(
        (priced - objective).abs() <= tol(objective),
        "{name}: the plan reports {objective}, Optimal::objective gives {priced}"
    );
    assert!(
        bound <= best + tol(best),
        "{name}: the lower bound {bound} is above the optimum {best}\n{best_plan:#?}"
    );
    assert!(
        best <= objective + tol(objective),
        "{name}: Optimal's plan ({objective}) beats the enumerated optimum {best}: the enumeration missed a plan\n{plan:#?}"
    );
    for st in strategies() {
        let theirs = dispatch_checked(s, st.as_ref());
        let price = opt.objective(s, &theirs).unwrap();
        assert!(
            best <= price + tol(price),
            "{name}: {} ({price}) beats the optimum {best}",
            st.name()
        );
    }
    (best_plan, (objective - best).abs() <= tol(best), feasible)
}

/// Guangzhou and Foshan: an owned outlet with two technicians and a
/// contracted one with one, room for every visit, wide windows; priorities
/// differ, so the order of a day matters through the response term.
fn roomy() -> Scenario {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::CompanyOwned, 1, 113.26, 23.13, 10));
    d.outlets
        .push(outlet(2, OutletKind::Contracted, 2, 113.12, 23.02, 10));
    d.technicians.push(tech(1, 1, &[(0, Expert)]));
    d.technicians.push(tech(2, 1, &[(0, Basic), (1, Basic)]));
    d.technicians
        .push(tech(3, 2, &[(0, Advanced), (1, Advanced)]));
    let spots = [
        (1, 113.30, 23.15, &[0u16][..], 1, Priority::Urgent),
        (1, 113.22, 23.10, &[1][..], 2, Priority::Normal),
        (2, 113.10, 23.00, &[0][..], 3, Priority::High),
        (2, 113.15, 23.05, &[0, 1][..], 1, Priority::Low),
        (1, 113.35, 23.20, &[0][..], 5, Priority::Normal),
    ];
    for (i, &(city, lon, lat, cats, difficulty, priority)) in spots.iter().enumerate() {
        let mut r = request(i as u32 + 1, city, lon, lat, cats, difficulty);
        r.priority = priority;
        d.requests.push(r);
    }
    Scenario::new(d).unwrap()
}

/// Two technicians, four visits between them (outlet capacities 3 and 1),
/// six requests with tight windows, some urgent, some of low priority:
/// capacity binds, so the penalties decide who is served.
fn tight() -> Scenario {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::CompanyOwned, 1, 113.26, 23.13, 3));
    d.outlets
        .push(outlet(2, OutletKind::Contracted, 2, 113.12, 23.02, 1));
    d.technicians.push(tech(1, 1, &[(0, Expert)]));
    let mut short = tech(2, 2, &[(0, Expert)]);
    short.shift_minutes = 240;
    d.technicians.push(short);
    let spots = [
        (113.30, 23.15, 480, 500, Priority::Urgent),
        (113.12, 23.00, 490, 520, Priority::Low),
        (113.22, 23.10, 560, 600, Priority::Normal),
        (113.40, 23.25, 580, 620, Priority::High),
        (113.18, 23.06, 650, 700, Priority::Urgent),
        (113.28, 23.12, 480, 1080, Priority::Low),
    ];
    for (i, &(lon, lat, start, end, priority)) in spots.iter().enumerate() {
        let mut r = request(i as u32 + 1, 1, lon, lat, &[0], 2);
        r.window = TimeWindow {
            start_min: start,
            end_min: end,
        };
        r.priority = priority;
        d.requests.push(r);
    }
    Scenario::new(d).unwrap()
}

/// Two technicians of one outlet, one already out in Foshan when the shift
/// starts; five requests, capacity for four.
fn one_starts_away() -> Scenario {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::CompanyOwned, 1, 113.26, 23.13, 4));
    d.technicians.push(tech(1, 1, &[(0, Expert)]));
    let mut out = tech(2, 1, &[(0, Advanced)]);
    out.start = Some(geo::Point::new(113.05, 22.98));
    d.technicians.push(out);
    let spots = [
        (113.06, 22.99, 480, 540, Priority::Normal),
        (113.30, 23.14, 480, 560, Priority::High),
        (113.10, 23.01, 600, 720, Priority::Normal),
        (113.20, 23.08, 480, 1080, Priority::Urgent),
        (113.33, 23.18, 700, 800, Priority::Low),
    ];
    for (i, &(lon, lat, start, end, priority)) in spots.iter().enumerate() {
        let mut r = request(i as u32 + 1, 1, lon, lat, &[0], 3);
        r.window = TimeWindow {
            start_min: start,
            end_min: end,
        };
        r.priority = priority;
        d.requests.push(r);
    }
    Scenario::new(d).unwrap()
}

#[test]
fn with_room_for_every_visit_the_optimum_serves_all_and_bounds_every_strategy() {
    let s = roomy();
    let (best, found, feasible) = check_against_enumeration("roomy", &s);
    assert!(found, "Optimal misses the optimum of a five-request day");
    assert!(feasible > 100, "{feasible} feasible plans");
    assert!(best.unassigned.is_empty(), "{best:#?}");
}

#[test]
fn with_capacity_binding_the_optimum_pays_the_cheapest_penalties() {
    let s = tight();
    let (best, found, feasible) = check_against_enumeration("tight", &s);
    assert!(found, "Optimal misses the optimum of a six-request day");
    assert!(feasible > 10, "{feasible} feasible plans");
    assert!(
        !best.unassigned.is_empty() && best.assignments.len() <= 4,
        "{best:#?}"
    );
    // The urgent requests are served: leaving one out costs 4 × 2000.
    for id in [1, 5] {
        assert!(
            best.assignments.iter().any(|a| a.request == RequestId(id)),
            "urgent request {id} left out: {best:#?}"
        );
    }
}

#[test]
fn a_technician_starting_away_from_the_base_is_priced_and_bounded_from_its_start() {
    let s = one_starts_away();
    let (_, found, feasible) = check_against_enumeration("starts away", &s);
    assert!(found, "Optimal misses the optimum of a five-request day");
    assert!(feasible > 10, "{feasible} feasible plans");
}

/// A generated day of `requests` requests with the `techs` technicians
/// whose bases are nearest its first request (so that some visits can be made).
fn tiny_day(province: &str, requests: usize, techs: usize, seed: u64, policy: Policy) -> Scenario {
    let day = Generator::new(Preset::province(province))
        .requests(requests)
        .seed(seed)
        .policy(policy)
        .build()
        .unwrap();
    let mut d = day.data().clone();
    let at = day.requests()[0].location;
    d.technicians.sort_by(|a, b| {
        let km = |t| servnet::spatial::great_circle_km(day.technician_base(t), at);
        km(a).total_cmp(&km(b)).then(a.id.cmp(&b.id))
    });
    d.technicians.truncate(techs);
    d.technicians.sort_by_key(|t| t.id);
    Scenario::new(d).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn random_tiny_days_never_beat_the_bound_nor_the_optimum(
        province in prop::sample::select(vec!["Hainan", "Ningxia", "Zhejiang", "Guangdong"]),
        requests in 4usize..=6,
        techs in 2usize..=3,
        seed in 0u64..10_000,
        field in any::<bool>(),
        away in any::<bool>(),
    ) {
        let policy = if field { Policy::field() } else { Policy::default() };
        let mut s = tiny_day(province, requests, techs, seed, policy);
        if away {
            s = starts_away(&s, 2, 0.1, 0.05);
        }
        check_against_enumeration(&format!("{province} seed {seed}"), &s);
    }
}

#[test]
fn generated_tiny_days_match_the_enumeration() {
    let mut exact = 0;
    let mut cases = 0;
    for seed in 1..=10 {
        let policy = if seed % 2 == 0 {
            Policy::field()
        } else {
            Policy::default()
        };
        let s = tiny_day("Hainan", 6, 3, seed, policy);
        let (_, found, feasible) = check_against_enumeration(&format!("Hainan seed {seed}"), &s);
        if feasible > 1 {
            cases += 1;
            exact += usize::from(found);
        }
    }
    assert!(
        cases >= 5,
        "only {cases} generated days where a visit can be made"
    );
    // 2,000 steps of search on six requests find the optimum.
    assert_eq!(
        exact, cases,
        "Optimal found the optimum on {exact} of {cases} days"
    );
}
