//! The checker rejects defects planted in plans it accepted: stops out of
//! order, shift overruns, edited times, stops in the wrong route or in no
//! assignment, and figures that do not add up.

mod common;

use common::*;
use servnet::dispatch::{Route, Unassigned, ViolationCode};
use servnet::generate::{Generator, Preset};
use servnet::*;

use SkillLevel::Expert;

fn codes(s: &Scenario, p: &Plan) -> Vec<ViolationCode> {
    verify(s, p).into_iter().map(|v| v.code).collect()
}

/// The route timed again from its start by the timing rule, but keeping
/// every visit whatever its window: legs from the travel model, arrival,
/// start (the later of arrival and window start), departure, the way back.
fn retime_ignoring_windows(s: &Scenario, route: &Route) -> Route {
    let t = s.technician(route.technician).unwrap();
    let travel = s.travel();
    let mut out = route.clone();
    let mut at = s.technician_start(t);
    let mut time = route.start_min;
    for stop in &mut out.stops {
        let r = s.request(stop.request).unwrap();
        let leg = travel.leg(at, r.location);
        stop.leg_km = leg.km;
        stop.leg_min = leg.minutes;
        stop.arrive_min = time + leg.minutes;
        stop.start_min = stop.arrive_min.max(f64::from(r.window.start_min));
        stop.depart_min = stop.start_min + service_min(s, t, r).unwrap();
        at = r.location;
        time = stop.depart_min;
    }
    let back = travel.leg(at, s.technician_base(t));
    out.return_km = back.km;
    out.return_min = back.minutes;
    out.end_min = time + back.minutes;
    out
}

/// One technician in Guangzhou; an early request nearby (window 480–540)
/// and a late one in Foshan (600–700): the day serves the early one first.
fn two_windows() -> Scenario {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::CompanyOwned, 1, 113.26, 23.13, 10));
    d.technicians.push(tech(1, 1, &[(0, Expert)]));
    let mut early = request(1, 1, 113.30, 23.15, &[0], 1);
    early.window = TimeWindow {
        start_min: 480,
        end_min: 540,
    };
    let mut late = request(2, 2, 113.12, 23.02, &[0], 1);
    late.window = TimeWindow {
        start_min: 600,
        end_min: 700,
    };
    d.requests.extend([early, late]);
    Scenario::new(d).unwrap()
}

#[test]
fn swapped_stops_break_a_window_or_the_routes_timing() {
    let s = two_windows();
    let route = timed_route(&s, TechnicianId(1), &[RequestId(1), RequestId(2)]).unwrap();
    assert!(timed_route(&s, TechnicianId(1), &[RequestId(2), RequestId(1)]).is_none());
    let plan = plan_of(&s, vec![route], "hand");
    assert!(verify(&s, &plan).is_empty(), "{:?}", verify(&s, &plan));
    // Swapped, nothing re-timed.
    let mut p = plan.clone();
    p.routes[0].stops.swap(0, 1);
    let c = codes(&s, &p);
    assert!(
        c.contains(&ViolationCode::RouteTiming) || c.contains(&ViolationCode::TimeWindow),
        "{c:?}"
    );
    // Swapped and honestly timed: the early request is reached after its window.
    let mut swapped = plan.routes[0].clone();
    swapped.stops.swap(0, 1);
    let p = plan_of(&s, vec![retime_ignoring_windows(&s, &swapped)], "hand");
    let v = verify(&s, &p);
    assert_eq!(codes(&s, &p), [ViolationCode::TimeWindow], "{v:?}");
    assert_eq!(v[0].request, Some(RequestId(1)));
}

#[test]
fn swapped_stops_of_generated_days_are_caught() {
    let s = Generator::new(Preset::province("Zhejiang"))
        .requests(300)
        .seed(12)
        .build()
        .unwrap();
    let plan = dispatch_checked(&s, &Regret::new());
    let mut caught = 0;
    for (i, route) in plan.routes.iter().enumerate() {
        if route.stops.len() < 2 {
            continue;
        }
        let mut p = plan.clone();
        p.routes[i].stops.swap(0, 1);
        let c = codes(&s, &p);
        assert!(
            c.contains(&ViolationCode::RouteTiming) || c.contains(&ViolationCode::TimeWindow),
            "technician {}: {c:?}",
            route.technician
        );
        caught += 1;
    }
    assert!(caught > 10, "{caught} days of two visits or more");
}

#[test]
fn a_day_back_after_the_shift_is_a_shift_exceeded() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(200)
        .seed(4)
        .build()
        .unwrap();
    let plan = dispatch_checked(&s, &Nearest::new());
    let i = plan.routes.iter().position(|r| r.stops.len() >= 2).unwrap();
    let route = &plan.routes[i];
    let t = s.technician(route.technician).unwrap();
    let shift_end = f64::from(t.shift_start_min + t.shift_minutes);
    // The end pushed past the shift.
    let mut p = plan.clone();
    p.routes[i].end_min = shift_end + 5.0;
    assert!(codes(&s, &p).contains(&ViolationCode::ShiftExceeded));
    // A day whose real times overrun: the same route in a shift that ends
    // before the technician is back.
    let mut d = s.data().clone();
    let ti = s.technician_index(t.id).unwrap();
    d.technicians[ti].shift_minutes = (route.end_min - f64::from(t.shift_start_min)) as u32 - 1;
    let short = Scenario::new(d).unwrap();
    let v = verify(&short, &plan);
    assert_eq!(
        codes(&short, &plan),
        [ViolationCode::ShiftExceeded],
        "{v:?}"
    );
    assert_eq!(v[0].technician, Some(t.id));
}

#[test]
fn an_edited_stop_time_is_a_route_timing_violation() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(200)
        .seed(4)
        .build()
        .unwrap();
    let plan = dispatch_checked(&s, &Regret::new());
    type Edit = fn(&mut servnet::dispatch::Stop);
    let edits: [(&str, Edit); 4] = [
        ("arrive", |st| st.arrive_min += 3.0),
        ("start earlier than arrival", |st| {
            st.start_min = st.arrive_min - 1.0
        }),
        ("depart", |st| st.depart_min -= 10.0),
        ("leg", |st| st.leg_min *= 0.5),
    ];
    for (what, edit) in edits {
        let mut p = plan.clone();
        let stop = &mut p.routes[0].stops[0];
        let id = stop.request;
        edit(stop);
        let v = verify(&s, &p);
        assert!(!v.is_empty(), "{what}");
        assert!(
            v.iter().all(|x| x.code == ViolationCode::RouteTiming),
            "{what}: {v:?}"
        );
        assert_eq!(v[0].request, Some(id), "{what}: {v:?}");
    }
}

#[test]
fn a_stop_in_another_technicians_route_is_a_route_mismatch() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(200)
        .seed(4)
        .build()
        .unwrap();
    let plan = dispatch_checked(&s, &Nearest::new());
    let mut p = plan.clone();
    let stop = p.routes[0].stops.pop().unwrap();
    let id = stop.request;
    p.routes[1].stops.push(stop);
    let v = verify(&s, &p);
    assert!(
        v.iter()
            .any(|x| x.code == ViolationCode::RouteMismatch && x.request == Some(id)),
        "{v:?}"
    );
    // Honestly timed in the other route, the mismatch is still caught.
    let mut p = plan.clone();
    let stop = p.routes[0].stops.pop().unwrap();
    p.routes[0] = retime_ignoring_windows(&s, &p.routes[0]);
    p.routes[1].stops.push(stop);
    p.routes[1] = retime_ignoring_windows(&s, &p.routes[1]);
    let v = verify(&s, &p);
    assert!(
        v.iter()
            .any(|x| x.code == ViolationCode::RouteMismatch && x.request == Some(id)),
        "{v:?}"
    );
}

#[test]
fn a_stop_of_a_request_assigned_nowhere_is_a_route_mismatch() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(200)
        .seed(4)
        .build()
        .unwrap();
    let plan = dispatch_checked(&s, &Nearest::new());
    // The middle visit of a day of three or more: the plan says unassigned, the route still visits it.
    let route = plan.routes.iter().find(|r| r.stops.len() >= 3).unwrap();
    let id = route.stops[1].request;
    let mut p = plan.clone();
    p.assignments.retain(|a| a.request != id);
    p.unassigned.push(Unassigned {
        request: id,
        reason: UnassignedReason::CapacityExhausted,
    });
    let v = verify(&s, &p);
    assert_eq!(codes(&s, &p), [ViolationCode::RouteMismatch], "{v:?}");
    assert_eq!(v[0].request, Some(id));
    // And an assigned visit that no route holds.
    let mut p = plan.clone();
    let i = p
        .routes
        .iter()
        .position(|r| r.technician == route.technician)
        .unwrap();
    p.routes[i].stops.remove(1);
    p.routes[i] = retime_ignoring_windows(&s, &p.routes[i]);
    let v = verify(&s, &p);
    assert!(
        v.iter()
            .any(|x| x.code == ViolationCode::RouteMismatch && x.request == Some(id)),
        "{v:?}"
    );
}

#[test]
fn routes_out_of_order_or_twice_for_a_technician_are_a_route_mismatch() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(200)
        .seed(4)
        .build()
        .unwrap();
    let plan = dispatch_checked(&s, &Nearest::new());
    let mut p = plan.clone();
    p.routes.swap(0, 1);
    assert_eq!(codes(&s, &p), [ViolationCode::RouteMismatch]);
    // A day cut in two routes of one technician, each timed honestly.
    let i = plan.routes.iter().position(|r| r.stops.len() >= 2).unwrap();
    let mut p = plan.clone();
    let mut second = p.routes[i].clone();
    second.stops.drain(..1);
    second.start_min = p.routes[i].stops[0].depart_min;
    p.routes[i].stops.truncate(1);
    p.routes[i] = retime_ignoring_windows(&s, &p.routes[i]);
    p.routes.insert(i + 1, retime_ignoring_windows(&s, &second));
    let v = verify(&s, &p);
    assert!(
        v.iter().any(|x| x.code == ViolationCode::RouteMismatch
            && x.technician == Some(plan.routes[i].technician)),
        "{v:?}"
    );
}

#[test]
fn a_bound_above_the_objective_or_a_wrong_gap_is_caught_in_figures() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(100)
        .seed(4)
        .build()
        .unwrap();
    let plan = dispatch_checked(&s, &Optimal::new().work_limit(1_000));
    let objective = plan.objective.unwrap();
    let mut p = plan.clone();
    p.lower_bound = Some(objective + 10.0);
    let v = verify(&s, &p);
    assert!(!v.is_empty());
    assert!(v.iter().all(|x| x.code == ViolationCode::Figures), "{v:?}");
    assert!(v[0].message.contains("lower bound"), "{v:?}");
    let mut p = plan.clone();
    p.gap = Some(plan.gap.unwrap() + 0.01);
    assert_eq!(codes(&s, &p), [ViolationCode::Figures]);
}

#[test]
fn a_day_timed_from_the_base_fails_when_the_technician_starts_elsewhere() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(200)
        .seed(4)
        .build()
        .unwrap();
    let plan = dispatch_checked(&s, &Nearest::new());
    let moved = starts_away(&s, 1, 0.05, 0.05);
    let v = verify(&moved, &plan);
    assert!(!v.is_empty());
    assert!(
        v.iter().any(|x| x.code == ViolationCode::RouteTiming),
        "{v:?}"
    );
    // Timed from the start, the same days pass (where they still fit).
    let routes: Vec<Route> = plan
        .routes
        .iter()
        .filter_map(|r| {
            let ids: Vec<RequestId> = r.stops.iter().map(|st| st.request).collect();
            timed_route(&moved, r.technician, &ids)
        })
        .collect();
    assert!(routes.len() * 2 > plan.routes.len());
    let p = plan_of(&moved, routes, "hand");
    assert!(verify(&moved, &p).is_empty(), "{:?}", verify(&moved, &p));
}
