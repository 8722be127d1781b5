//! Routing each technician's day of a plan made elsewhere and live
//! insertion: checked by `verify` with their routes, exact against brute
//! force, local search against construction.

mod common;

use common::*;
use proptest::prelude::*;
use servnet::dispatch::{Inserter, Insertion, MAX_DAY_VISITS, ViolationCode, insert, route_plan};
use servnet::generate::{Generator, Preset};
use servnet::route::{Day, DayMatrix, Job, RouteOptions, brute_force, construct, exact, improve};
use servnet::travel::Leg;
use servnet::*;
use std::collections::{BTreeMap, BTreeSet};

fn routed_checked(s: &Scenario, plan: &Plan, opts: &RouteOptions) -> Plan {
    let routed = route_plan(s, plan, opts).expect("route");
    let v = verify(s, &routed);
    assert!(v.is_empty(), "verify: {v:#?}");
    assert_routes_match(&routed);
    assert_eq!(
        routed.assignments.len() + routed.unassigned.len(),
        s.requests().len()
    );
    assert_eq!(
        (routed.objective, routed.lower_bound, routed.gap),
        (None, None, None),
        "the figures of the plan before are cleared"
    );
    routed
}

/// Each technician's requests in the plan.
fn days(plan: &Plan) -> BTreeMap<TechnicianId, BTreeSet<RequestId>> {
    let mut out: BTreeMap<TechnicianId, BTreeSet<RequestId>> = BTreeMap::new();
    for a in &plan.assignments {
        out.entry(a.technician).or_default().insert(a.request);
    }
    out
}

fn generated_days() -> Vec<(&'static str, Scenario)> {
    [
        (1, "Hainan"),
        (2, "Zhejiang"),
        (3, "Qinghai"),
        (4, "Fujian"),
    ]
    .into_iter()
    .map(|(seed, province)| {
        let s = Generator::new(Preset::province(province))
            .requests(400)
            .seed(seed)
            .build()
            .unwrap();
        (province, s)
    })
    .collect()
}

#[test]
fn routed_plans_pass_verify_and_repeat() {
    for (province, s) in generated_days() {
        for strategy in [&Nearest::new() as &dyn DispatchStrategy, &Regret::new()] {
            let plan = dispatch_checked(&s, strategy);
            let routed = routed_checked(&s, &plan, &RouteOptions::new());
            assert!(!routed.assignments.is_empty(), "{province}");
            let again = route_plan(&s, &plan, &RouteOptions::new()).unwrap();
            assert_eq!(again, routed, "{province}: deterministic");
            // Heuristics only (no exact days) also pass the checker.
            routed_checked(&s, &plan, &RouteOptions::new().exact_up_to(0));
        }
    }
}

/// A strategy's days are feasible as they stand: routing them again keeps
/// every visit with its technician, misses none, and drives no more than
/// the order the strategy built (but for rounding).
#[test]
fn routing_a_strategys_plan_again_keeps_every_visit_of_each_day() {
    for (province, s) in generated_days() {
        for strategy in [&Nearest::new() as &dyn DispatchStrategy, &Regret::new()] {
            let plan = dispatch_checked(&s, strategy);
            let routed = routed_checked(&s, &plan, &RouteOptions::new());
            let (before, after) = (days(&plan), days(&routed));
            let moved: Vec<_> = before
                .iter()
                .filter(|(t, visits)| after.get(t) != Some(visits))
                .map(|(t, visits)| (*t, visits.len()))
                .collect();
            assert!(
                moved.is_empty(),
                "{province}, {}: the days of (technician, visits) {moved:?} lost a visit",
                strategy.name()
            );
            assert_eq!(routed.unassigned, plan.unassigned, "{province}");
            assert!(
                routed.travel_km() <= plan.travel_km() + 1e-6,
                "{province}: {} > {}",
                routed.travel_km(),
                plan.travel_km()
            );
        }
    }
}

#[test]
fn a_plan_with_routes_round_trips_through_json_and_the_old_routed_shape_still_reads() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(150)
        .seed(9)
        .build()
        .unwrap();
    let plan = Nearest::new().dispatch(&s).unwrap();
    let routed = routed_checked(&s, &plan, &RouteOptions::new());
    let text = servnet::io::to_json_string(&routed).unwrap();
    let back = servnet::io::plan_from_json_str(&text, "plan.json").unwrap();
    assert!(verify(&s, &back).is_empty());
    assert_eq!(back.routes, routed.routes);
    // `{"plan": {..., "routed": true}, "routes": [...]}`, as `servnet route` wrote before.
    let mut inner: serde_json::Value = serde_json::from_str(&text).unwrap();
    let routes = inner.as_object_mut().unwrap().remove("routes").unwrap();
    inner["routed"] = true.into();
    let old = serde_json::json!({ "plan": inner, "routes": routes }).to_string();
    let back = servnet::io::plan_from_json_str(&old, "old.json").unwrap();
    assert!(verify(&s, &back).is_empty(), "{:?}", verify(&s, &back));
    assert_eq!(back.routes, routed.routes);
    assert_eq!(back.assignments, routed.assignments);
}

/// Two requests in Guangzhou and Foshan whose windows both close eighty
/// minutes after the shift starts: each fits a day alone, no one day fits both.
fn clashing(techs: u32) -> Scenario {
    let mut d = base();
    d.outlets.push(outlet(
        1,
        OutletKind::CompanyOwned,
        1,
        113.2644,
        23.1291,
        10,
    ));
    for t in 1..=techs {
        d.technicians.push(tech(t, 1, &[(0, SkillLevel::Expert)]));
    }
    for (id, city, lon, lat) in [(1, 1, 113.30, 23.13), (2, 2, 113.12, 23.02)] {
        let mut r = request(id, city, lon, lat, &[0], 1);
        r.window = TimeWindow {
            start_min: 480,
            end_min: 560,
        };
        d.requests.push(r);
    }
    Scenario::new(d).unwrap()
}

/// A plan made elsewhere: both clashing visits given to technician 1, no routes.
fn both_to_technician_1(s: &Scenario) -> Plan {
    let t = s.technician(TechnicianId(1)).unwrap();
    let assignments = s
        .requests()
        .iter()
        .map(|r| servnet::dispatch::Assignment {
            request: r.id,
            technician: t.id,
            outlet: t.outlet,
            travel_km: 0.0,
            travel_min: 0.0,
            service_min: service_min(s, t, r).unwrap(),
            cost: 0.0,
        })
        .collect();
    let plan = Plan {
        strategy: "elsewhere".into(),
        assignments,
        ..Plan::default()
    };
    // Not a plan of routes: the checker says so.
    let codes: Vec<_> = verify(s, &plan).iter().map(|v| v.code).collect();
    assert!(codes.contains(&ViolationCode::RouteMismatch), "{codes:?}");
    plan
}

#[test]
fn nearest_sends_visits_no_one_day_fits_to_two_technicians() {
    let s = clashing(2);
    let plan = dispatch_checked(&s, &Nearest::new());
    assert!(plan.unassigned.is_empty(), "{plan:?}");
    assert_eq!(plan.routes.len(), 2, "{plan:?}");
}

#[test]
fn a_visit_no_order_fits_is_repaired_onto_another_technician() {
    let s = clashing(2);
    let plan = both_to_technician_1(&s);
    let routed = routed_checked(&s, &plan, &RouteOptions::new());
    assert!(routed.unassigned.is_empty());
    assert_eq!(routed.routes.len(), 2, "one visit moved to technician 2");
}

#[test]
fn a_visit_no_order_fits_is_unassigned_as_window_missed() {
    for (techs, opts) in [
        (1, RouteOptions::new()),
        (2, RouteOptions::new().repair(false)),
    ] {
        let s = clashing(techs);
        let plan = both_to_technician_1(&s);
        let routed = routed_checked(&s, &plan, &opts);
        assert_eq!(routed.assignments.len(), 1);
        assert_eq!(routed.unassigned.len(), 1);
        assert_eq!(routed.unassigned[0].reason, UnassignedReason::WindowMissed);
        assert_eq!(UnassignedReason::WindowMissed.as_str(), "window_missed");
    }
}

#[test]
fn verify_catches_a_stop_out_of_its_window_and_a_lost_visit() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(200)
        .seed(4)
        .build()
        .unwrap();
    let plan = Nearest::new().dispatch(&s).unwrap();
    let routed = routed_checked(&s, &plan, &RouteOptions::new());
    let mut late = routed.clone();
    let stop = &mut late.routes[0].stops[0];
    let end = f64::from(s.request(stop.request).unwrap().window.end_min);
    stop.start_min = end + 30.0;
    let codes: Vec<_> = verify(&s, &late).iter().map(|v| v.code).collect();
    assert!(codes.contains(&ViolationCode::TimeWindow), "{codes:?}");
    let mut lost = routed.clone();
    lost.routes[0].stops.pop();
    let codes: Vec<_> = verify(&s, &lost).iter().map(|v| v.code).collect();
    assert!(codes.contains(&ViolationCode::RouteMismatch), "{codes:?}");
}

/// A random day on a plane: the base at the origin, jobs within 60 km, 1 km a minute.
fn day_strategy(max_jobs: usize) -> impl Strategy<Value = Day> {
    (1..=max_jobs)
        .prop_flat_map(|n| {
            (
                prop::collection::vec((-30.0..30.0f64, -30.0..30.0f64), n),
                prop::collection::vec((0.0..300.0f64, 0.0..200.0f64, 5.0..60.0f64), n),
                200.0..500.0f64,
            )
        })
        .prop_map(|(points, windows, shift)| {
            let pts: Vec<(f64, f64)> = std::iter::once((0.0, 0.0)).chain(points).collect();
            let m = DayMatrix::from_fn(pts.len(), |i, j| {
                let d = ((pts[i].0 - pts[j].0).powi(2) + (pts[i].1 - pts[j].1).powi(2)).sqrt();
                Leg {
                    km: d * 1.3,
                    minutes: d,
                }
            });
            let jobs = windows
                .into_iter()
                .map(|(a, w, service)| Job {
                    window_start_min: a,
                    window_end_min: a + w,
                    service_min: service,
                })
                .collect();
            Day::new(0.0, shift, jobs, m).unwrap()
        })
}

fn assert_feasible(day: &Day, order: &[usize]) {
    assert!(day.feasible(order), "{order:?}");
    let mut seen = order.to_vec();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), order.len(), "a job twice");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn exact_equals_brute_force(day in day_strategy(7)) {
        let e = exact(&day).unwrap();
        let b = brute_force(&day).unwrap();
        assert_feasible(&day, &e.order);
        prop_assert_eq!(e.order.len(), b.order.len());
        prop_assert!((e.travel_min - b.travel_min).abs() < 1e-6, "{} vs {}", e.travel_min, b.travel_min);
        prop_assert_eq!(e.order.len() + e.missed.len(), day.jobs().len());
    }

    #[test]
    fn local_search_never_worsens_construction(day in day_strategy(14)) {
        let c = construct(&day);
        assert_feasible(&day, &c.order);
        let i = improve(&day, c.clone());
        assert_feasible(&day, &i.order);
        prop_assert!(!c.better_than(&i), "{c:?} better than {i:?}");
        prop_assert!(i.order.len() >= c.order.len());
        if i.order.len() == c.order.len() {
            prop_assert!(i.travel_min <= c.travel_min + 1e-9);
        }
        if day.jobs().len() <= 7 {
            let e = exact(&day).unwrap();
            prop_assert!(!i.better_than(&e), "heuristic {i:?} beats exact {e:?}");
        }
    }
}

/// A new urgent request near an existing one, with a fresh id and a window from `now`.
fn urgent(s: &Scenario, k: usize, now: u32) -> ServiceRequest {
    let mut r = s.requests()[k * 7 % s.requests().len()].clone();
    r.id = RequestId(1_000_000 + k as u32);
    r.location = geo::Point::new(r.location.x() + 0.01, r.location.y() - 0.01);
    r.window = TimeWindow {
        start_min: now,
        end_min: now + 180,
    };
    r.priority = Priority::Urgent;
    r
}

fn with_request(s: &Scenario, r: &ServiceRequest) -> Scenario {
    let mut d = s.data().clone();
    d.requests.push(r.clone());
    Scenario::new(d).unwrap()
}

#[test]
fn insertion_keeps_committed_visits_and_every_window() {
    let now = 660.0;
    for seed in [3, 8] {
        let s = Generator::new(Preset::province("Jiangsu"))
            .requests(500)
            .seed(seed)
            .build()
            .unwrap();
        // On the second day a third of the technicians start away from their base.
        let s = if seed == 8 {
            starts_away(&s, 3, 0.06, -0.04)
        } else {
            s
        };
        let plan = Nearest::new().dispatch(&s).unwrap();
        let mut routed = routed_checked(&s, &plan, &RouteOptions::new());
        let mut placed = 0;
        for k in 0..12 {
            let r = urgent(&s, k, now as u32);
            let outcome = insert(&s, &routed, &r, now).unwrap();
            let mut next = routed.clone();
            outcome.apply(&mut next, &s);
            let s2 = with_request(&s, &r);
            let v = verify(&s2, &next);
            assert!(v.is_empty(), "{v:#?}");
            assert_routes_match(&next);
            if let Insertion::Placed(p) = &outcome {
                placed += 1;
                let old = routed.route(p.technician);
                let new = next.route(p.technician).unwrap();
                for (i, stop) in old.map_or(&[][..], |o| &o.stops).iter().enumerate() {
                    let left = if i == 0 {
                        old.unwrap().start_min
                    } else {
                        old.unwrap().stops[i - 1].depart_min
                    };
                    if left < now {
                        assert_eq!(&new.stops[i], stop, "a visit driven to before now moved");
                    }
                }
                assert!(p.extra_cost > 0.0);
                let got = next.summary(&s2).cost - routed.summary(&s).cost;
                assert!(
                    (got - p.extra_cost).abs() < 1e-6,
                    "{got} vs {}",
                    p.extra_cost
                );
            }
            // Carry on from the routed plan without the request, so later checks
            // use the scenario without it.
        }
        assert!(placed > 0, "seed {seed}: nothing placed");
        // An inserter applies outcomes in sequence.
        let mut inserter = Inserter::new(&s, &routed).unwrap();
        let mut rs = Vec::new();
        for k in 20..26 {
            let r = urgent(&s, k, now as u32);
            let outcome = inserter.insert(&routed, &r, now).unwrap();
            inserter.apply(&mut routed, &outcome);
            rs.push(r);
        }
        let mut d = s.data().clone();
        d.requests.extend(rs);
        let s3 = Scenario::new(d).unwrap();
        let v = verify(&s3, &routed);
        assert!(v.is_empty(), "{v:#?}");
        assert_routes_match(&routed);
    }
}

/// What appending the request to the end of technician `t`'s route would
/// cost, if the technician may take it and it fits.
fn append_cost(
    s: &Scenario,
    routed: &Plan,
    t: &Technician,
    r: &ServiceRequest,
    now: f64,
) -> Option<f64> {
    let o = s.outlet(t.outlet)?;
    if !s.policy().admits(o.kind, r) {
        return None;
    }
    let used = routed
        .assignments
        .iter()
        .filter(|a| a.outlet == o.id)
        .count() as u32;
    if used >= o.daily_capacity {
        return None;
    }
    let need = r.required_level();
    let mut service = 0.0;
    for c in &r.categories {
        let level = t
            .level(*c)
            .filter(|l| *l >= need && o.categories.contains(c))?;
        service += s.catalog().service_minutes(s.category(*c)?, r.kind, level);
    }
    let base = s.technician_base(t);
    let travel = s.travel();
    if travel.leg(base, r.location).km > 300.0 {
        return None;
    }
    let route = routed.route(t.id);
    let (from, leave, old_back) = match route.and_then(|x| x.stops.last().map(|l| (x, l))) {
        Some((x, last)) => (
            s.request(last.request)?.location,
            last.depart_min,
            (x.return_km, x.return_min),
        ),
        None => (
            s.technician_start(t),
            f64::from(t.shift_start_min).max(now),
            (0.0, 0.0),
        ),
    };
    if leave < now {
        return None;
    }
    let leave = leave.max(now);
    let into = travel.leg(from, r.location);
    let back = travel.leg(r.location, base);
    let arrive = leave + into.minutes;
    if arrive > f64::from(r.window.end_min) {
        return None;
    }
    let end = arrive.max(f64::from(r.window.start_min)) + service + back.minutes;
    if end > f64::from(t.shift_end_min()) {
        return None;
    }
    let dkm = into.km + back.km - old_back.0;
    let dmin = into.minutes + back.minutes - old_back.1;
    Some(o.tariff.per_visit + o.tariff.per_minute * (service + dmin) + o.tariff.per_km * dkm)
}

#[test]
fn insertion_costs_no_more_than_appending_to_the_nearest_technician() {
    let now = 600.0;
    let s = Generator::new(Preset::province("Guangdong"))
        .requests(600)
        .technicians(500)
        .seed(11)
        .build()
        .unwrap();
    // Regions crossed freely, so the nearest technician is a candidate whatever its region.
    let mut d = s.data().clone();
    d.policy.region = RegionRule::Freely;
    let s = Scenario::new(d).unwrap();
    let plan = Nearest::new().dispatch(&s).unwrap();
    let routed = routed_checked(&s, &plan, &RouteOptions::new());
    let mut compared = 0;
    for k in 0..30 {
        let mut r = urgent(&s, k, now as u32);
        r.window.end_min = 1000;
        let nearest = s
            .technicians()
            .iter()
            .filter(|t| {
                let Some(o) = s.outlet(t.outlet) else {
                    return false;
                };
                s.policy().admits(o.kind, &r)
                    && r.categories.iter().all(|c| {
                        o.categories.contains(c)
                            && t.level(*c).is_some_and(|l| l >= r.required_level())
                    })
                    && routed
                        .assignments
                        .iter()
                        .filter(|a| a.outlet == o.id)
                        .count()
                        < o.daily_capacity as usize
            })
            .min_by(|a, b| {
                let da = servnet::spatial::great_circle_km(s.technician_base(a), r.location);
                let db = servnet::spatial::great_circle_km(s.technician_base(b), r.location);
                da.total_cmp(&db).then(a.id.cmp(&b.id))
            });
        let Some(t) = nearest else { continue };
        let Some(append) = append_cost(&s, &routed, t, &r, now) else {
            continue;
        };
        let Insertion::Placed(p) = insert(&s, &routed, &r, now).unwrap() else {
            panic!(
                "appending to technician {} fits, yet nothing was placed",
                t.id
            );
        };
        assert!(
            p.extra_cost <= append + 1e-6,
            "{} > append {append}",
            p.extra_cost
        );
        compared += 1;
    }
    assert!(compared > 5, "only {compared} comparisons");
}

#[test]
fn insertion_rejects_a_bad_request_and_reports_an_impossible_one() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(100)
        .seed(2)
        .build()
        .unwrap();
    let plan = Nearest::new().dispatch(&s).unwrap();
    let routed = routed_checked(&s, &plan, &RouteOptions::new());
    // An id the scenario already has, and an unknown category.
    let mut bad = s.requests()[0].clone();
    bad.categories = vec![CategoryId(999)];
    let err = insert(&s, &routed, &bad, 600.0).unwrap_err();
    let codes: Vec<_> = err.problems().iter().map(|p| p.code).collect();
    assert!(
        codes.contains(&ProblemCode::DuplicateId)
            && codes.contains(&ProblemCode::DanglingReference),
        "{codes:?}"
    );
    // A window that closes before anyone could get there from now: no route has a place.
    let mut late = urgent(&s, 0, 600);
    late.window = TimeWindow {
        start_min: 600,
        end_min: 620,
    };
    match insert(&s, &routed, &late, 700.0).unwrap() {
        Insertion::Unassigned(u) => assert_eq!(u.reason, UnassignedReason::WindowMissed),
        other => panic!("placed a visit whose window has closed: {other:?}"),
    }
}

/// The codes of the problems an error lists.
fn problem_codes(e: &Error) -> Vec<ProblemCode> {
    e.problems().iter().map(|p| p.code).collect()
}

#[test]
fn routing_refuses_a_broken_plan_listing_every_problem() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(200)
        .seed(3)
        .build()
        .unwrap();
    let plan = dispatch_checked(&s, &Nearest::new());
    // A request listed twice, one not at all, and an unknown technician.
    let mut broken = plan.clone();
    let twice = broken.assignments[0].clone();
    broken.assignments.push(twice.clone());
    let lost = broken.assignments.remove(1).request;
    broken.assignments[2].technician = TechnicianId(999_999);
    let e = route_plan(&s, &broken, &RouteOptions::new()).unwrap_err();
    let codes = problem_codes(&e);
    assert!(codes.contains(&ProblemCode::DuplicateId), "{e}");
    assert!(codes.contains(&ProblemCode::Inconsistent), "{e}");
    assert!(codes.contains(&ProblemCode::DanglingReference), "{e}");
    let text = e.to_string();
    assert!(
        text.contains(&format!("request {}", twice.request)),
        "{text}"
    );
    assert!(text.contains(&format!("request {lost}")), "{text}");
    // Minutes on site that are not a number ≥ 0.
    let mut broken = plan.clone();
    broken.assignments[0].service_min = f64::NAN;
    let e = route_plan(&s, &broken, &RouteOptions::new()).unwrap_err();
    assert!(problem_codes(&e).contains(&ProblemCode::OutOfRange), "{e}");
}

#[test]
fn routing_refuses_a_day_of_more_visits_than_the_limit() {
    let s = Generator::new(Preset::province("Zhejiang"))
        .requests(MAX_DAY_VISITS + 10)
        .seed(1)
        .build()
        .unwrap();
    let t = &s.technicians()[0];
    // Every request on one technician: a day the limit refuses before any table is built.
    let plan = Plan {
        strategy: "hand".into(),
        assignments: s
            .requests()
            .iter()
            .map(|r| servnet::dispatch::Assignment {
                request: r.id,
                technician: t.id,
                outlet: t.outlet,
                travel_km: 0.0,
                travel_min: 0.0,
                service_min: 60.0,
                cost: 0.0,
            })
            .collect(),
        ..Plan::default()
    };
    let e = route_plan(&s, &plan, &RouteOptions::new()).unwrap_err();
    assert!(problem_codes(&e).contains(&ProblemCode::OutOfRange), "{e}");
    assert!(e.to_string().contains(&MAX_DAY_VISITS.to_string()), "{e}");
}

#[test]
fn live_insertion_refuses_a_plan_whose_routes_break_a_rule() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(200)
        .seed(5)
        .build()
        .unwrap();
    let plan = dispatch_checked(&s, &Nearest::new());
    let r = urgent(&s, 0, 600);
    assert!(insert(&s, &plan, &r, 600.0).is_ok());
    let route = plan.routes.iter().position(|x| x.stops.len() >= 2).unwrap();
    let mut cases: Vec<(&str, Plan)> = Vec::new();
    // Negative and huge times.
    let mut p = plan.clone();
    p.routes[route].stops[0].start_min = -50.0;
    cases.push(("negative time", p));
    let mut p = plan.clone();
    p.routes[route].stops[1].depart_min = 1e308;
    cases.push(("huge time", p));
    // A route owned by the wrong outlet.
    let mut p = plan.clone();
    let other = s
        .outlets()
        .iter()
        .find(|o| o.id != p.routes[route].outlet)
        .unwrap()
        .id;
    p.routes[route].outlet = other;
    cases.push(("mis-owned route", p));
    // A request visited twice.
    let mut p = plan.clone();
    let stop = p.routes[route].stops[0].clone();
    p.routes[route].stops.push(stop);
    cases.push(("duplicated stop", p));
    // A request missing from the plan.
    let mut p = plan.clone();
    p.unassigned.pop();
    cases.push(("missing request", p));
    for (what, p) in cases {
        let e = Inserter::new(&s, &p)
            .err()
            .unwrap_or_else(|| panic!("{what}: accepted"));
        assert!(!e.problems().is_empty(), "{what}: {e}");
        assert!(insert(&s, &p, &r, 600.0).is_err(), "{what}");
    }
}
