//! The `Nearest` rule and the checker, on hand-made and random scenarios.

mod common;

use common::*;
use geo::Point;
use proptest::prelude::*;
use servnet::dispatch::ViolationCode;
use servnet::spatial::great_circle_km;
use servnet::*;

use SkillLevel::{Advanced, Basic, Expert};

#[test]
fn sends_each_request_to_the_nearest_skilled_technician() {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::Contracted, 1, 113.26, 23.13, 10)); // Guangzhou
    d.outlets
        .push(outlet(2, OutletKind::Contracted, 2, 113.12, 23.02, 10)); // Foshan
    d.technicians.push(tech(1, 1, &[(0, Expert)]));
    d.technicians.push(tech(2, 2, &[(0, Basic)]));
    d.requests.push(request(1, 2, 113.11, 23.01, &[0], 1)); // next to Foshan, basic
    d.requests.push(request(2, 2, 113.11, 23.01, &[0], 3)); // next to Foshan, advanced
    let s = Scenario::new(d).unwrap();
    let plan = dispatch_checked(&s, &Nearest::new());
    let by_req = |r: u32| {
        plan.assignments
            .iter()
            .find(|a| a.request == RequestId(r))
            .unwrap()
            .technician
    };
    assert_eq!(
        by_req(1),
        TechnicianId(2),
        "the Foshan technician is nearer"
    );
    assert_eq!(
        by_req(2),
        TechnicianId(1),
        "only the Guangzhou expert is advanced enough"
    );
}

#[test]
fn keeps_work_inside_the_sales_region_when_it_can() {
    // A request in Changsha (Central); an out-of-region technician stands nearer than the in-region one.
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::Contracted, 1, 112.95, 28.0, 10)); // in South, 25 km away
    d.outlets
        .push(outlet(2, OutletKind::Contracted, 3, 113.2, 28.6, 10)); // Changsha, Central, ~48 km
    d.technicians.push(tech(1, 1, &[(0, Basic)]));
    d.technicians.push(tech(2, 2, &[(0, Basic)]));
    d.requests.push(request(1, 3, 112.94, 28.23, &[0], 1));
    let s = Scenario::new(d.clone()).unwrap();
    let plan = dispatch_checked(&s, &Nearest::new().max_km(1000.0));
    assert_eq!(plan.assignments[0].technician, TechnicianId(2));
    // With a reach that excludes the in-region outlet, it falls back to the other region.
    d.policy.reach_km = 45.0;
    let s = Scenario::new(d.clone()).unwrap();
    let plan = dispatch_checked(&s, &Nearest::new().max_km(45.0));
    assert_eq!(plan.assignments[0].technician, TechnicianId(1));
    // A strategy whose own reach is shorter than the policy's does not cross
    // past a region technician the policy counts as in reach: the visit comes home.
    d.policy.reach_km = 300.0;
    let s = Scenario::new(d.clone()).unwrap();
    let plan = dispatch_checked(&s, &Nearest::new().max_km(45.0));
    assert_eq!(plan.assignments[0].technician, TechnicianId(2));
}

#[test]
fn a_one_stop_visit_goes_to_a_technician_covering_every_category() {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::Dealer, 1, 113.26, 23.13, 10));
    d.technicians.push(tech(1, 1, &[(0, Basic)])); // nearer? same base; only AC
    d.technicians.push(tech(2, 1, &[(0, Basic), (4, Advanced)]));
    d.requests.push(request(1, 1, 113.27, 23.12, &[0, 4], 2));
    let s = Scenario::new(d).unwrap();
    let plan = dispatch_checked(&s, &Nearest::new());
    assert_eq!(plan.assignments[0].technician, TechnicianId(2));
    let cat = Catalog::default();
    let expect = cat.categories[0].repair_min * cat.level_time_factor[0]
        + cat.categories[4].repair_min * cat.level_time_factor[1];
    assert!((plan.assignments[0].service_min - expect).abs() < 1e-9);
}

#[test]
fn every_unassigned_request_carries_the_right_reason() {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::CompanyOwned, 1, 113.26, 23.13, 1));
    d.technicians.push(tech(1, 1, &[(0, Expert)]));
    d.requests.push(request(1, 1, 113.27, 23.12, &[0], 1)); // served: takes the outlet's only visit
    d.requests.push(request(2, 1, 113.27, 23.12, &[0], 1)); // capacity
    d.requests.push(request(3, 1, 113.27, 23.12, &[5], 1)); // nobody has category 5
    d.requests.push(request(4, 4, 114.30, 30.59, &[0], 1)); // Wuhan: 850 km away
    let mut late = request(5, 1, 113.27, 23.12, &[0], 1);
    late.window = TimeWindow {
        start_min: 0,
        end_min: 100,
    }; // before the shift starts
    d.requests.push(late);
    let s = Scenario::new(d).unwrap();
    let plan = dispatch_checked(&s, &Nearest::new());
    let reason = |r: u32| {
        plan.unassigned
            .iter()
            .find(|u| u.request == RequestId(r))
            .map(|u| u.reason)
    };
    assert_eq!(plan.assignments.len(), 1);
    assert_eq!(reason(2), Some(UnassignedReason::CapacityExhausted));
    assert_eq!(reason(3), Some(UnassignedReason::NoSkilledTechnician));
    assert_eq!(reason(4), Some(UnassignedReason::NoneWithinReach));
    assert_eq!(reason(5), Some(UnassignedReason::TimeWindowImpossible));
}

#[test]
fn an_invalid_reach_is_a_parameter_error() {
    let s = Scenario::new(base()).unwrap();
    for km in [0.0, -5.0, f64::NAN] {
        let err = Nearest::new().max_km(km).dispatch(&s).unwrap_err();
        assert!(matches!(
            err.kind(),
            ErrorKind::Parameter { name: "max_km", .. }
        ));
    }
}

fn valid_plan() -> (Scenario, Plan) {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::Contracted, 1, 113.26, 23.13, 3));
    d.outlets
        .push(outlet(2, OutletKind::Dealer, 2, 113.12, 23.02, 3));
    d.technicians.push(tech(1, 1, &[(0, Expert), (1, Expert)]));
    d.technicians.push(tech(2, 2, &[(0, Basic)]));
    for i in 1..=4 {
        d.requests.push(request(
            i,
            1,
            113.2 + 0.01 * f64::from(i),
            23.1,
            &[0],
            if i == 1 { 5 } else { 1 },
        ));
    }
    let s = Scenario::new(d).unwrap();
    let plan = dispatch_checked(&s, &Nearest::new());
    (s, plan)
}

fn codes(s: &Scenario, p: &Plan) -> Vec<ViolationCode> {
    verify(s, p).into_iter().map(|v| v.code).collect()
}

/// The plan of these technicians' days, timed here; panics when a day does not fit.
fn plan_of_days(s: &Scenario, days: &[(u32, &[u32])]) -> Plan {
    let routes = days
        .iter()
        .map(|&(t, visits)| {
            let ids: Vec<RequestId> = visits.iter().map(|&r| RequestId(r)).collect();
            timed_route(s, TechnicianId(t), &ids).expect("the day fits")
        })
        .collect();
    Plan::from_routes(s, "hand", routes, vec![])
}

#[test]
fn the_checker_catches_each_kind_of_broken_plan() {
    let (s, plan) = valid_plan();
    assert!(plan.assignments.len() >= 3);

    // A visit dropped from the plan but not from its route.
    let mut p = plan.clone();
    let gone = p.assignments.pop().unwrap();
    assert_eq!(
        codes(&s, &p),
        [ViolationCode::MissingRequest, ViolationCode::RouteMismatch]
    );
    // Dropped from both, the days timed again: only the request is missing.
    let days: Vec<(u32, Vec<u32>)> = plan
        .routes
        .iter()
        .map(|r| {
            let visits = r.stops.iter().map(|st| st.request.0);
            (
                r.technician.0,
                visits.filter(|&id| id != gone.request.0).collect(),
            )
        })
        .filter(|(_, visits): &(u32, Vec<u32>)| !visits.is_empty())
        .collect();
    let days: Vec<(u32, &[u32])> = days.iter().map(|(t, v)| (*t, &v[..])).collect();
    let p = plan_of_days(&s, &days);
    assert_eq!(codes(&s, &p), [ViolationCode::MissingRequest]);

    let mut p = plan.clone();
    let dup = p.assignments[0].clone();
    p.assignments.push(dup);
    assert!(codes(&s, &p).contains(&ViolationCode::DuplicateRequest));

    let mut p = plan.clone();
    p.assignments[0].request = RequestId(999);
    assert!(codes(&s, &p).contains(&ViolationCode::UnknownId));

    let mut p = plan.clone();
    let expert_job = p
        .assignments
        .iter_mut()
        .find(|a| a.request == RequestId(1))
        .unwrap();
    expert_job.technician = TechnicianId(2);
    expert_job.outlet = OutletId(2);
    assert!(codes(&s, &p).contains(&ViolationCode::Skill));

    let mut p = plan.clone();
    p.assignments[0].outlet = OutletId(if p.assignments[0].outlet == OutletId(1) {
        2
    } else {
        1
    });
    assert_eq!(
        codes(&s, &p),
        [ViolationCode::RouteMismatch, ViolationCode::WrongOutlet]
    );

    let mut p = plan.clone();
    p.assignments[0].cost += 1.0;
    assert_eq!(codes(&s, &p), [ViolationCode::Figures]);

    // Four visits for one outlet of capacity 3, in one day that fits the shift.
    let p = plan_of_days(&s, &[(1, &[1, 2, 3, 4])]);
    assert_eq!(codes(&s, &p), [ViolationCode::OutletCapacityExceeded]);

    // A shift too short for the day.
    let mut d = s.data().clone();
    d.technicians[0].shift_minutes = 150;
    let short = Scenario::new(d).unwrap();
    assert_eq!(codes(&short, &plan), [ViolationCode::ShiftExceeded]);
    // A shift that starts after the day left.
    let mut d = s.data().clone();
    d.technicians[0].shift_start_min = 700;
    let late = Scenario::new(d).unwrap();
    assert_eq!(codes(&late, &plan), [ViolationCode::RouteTiming]);
}

/// A random scenario over two regions, in a box of about 8°×8°: tight
/// capacities, sparse skills, most requests near an outlet (so that days
/// hold several visits), some anywhere.
fn random_scenario() -> impl Strategy<Value = Scenario> {
    let outlet_s = (
        0usize..3,
        110.0..116.0f64,
        21.0..27.0f64,
        1u32..10,
        prop::collection::vec(0u16..4, 2..6),
    );
    let tech_s = (
        0usize..64,
        prop::collection::vec((0u16..4, 0usize..3), 1..6),
        400u32..700,
        120u32..600,
    );
    let req_s = (
        0.0..1.0f64,
        109.0..117.0f64,
        20.0..28.0f64,
        prop::collection::vec(0u16..4, 1..3),
        1u8..6,
        300u32..1100,
        0u32..600,
        prop::option::weighted(0.8, (0usize..8, -0.2..0.2f64, -0.2..0.2f64)),
    );
    (
        prop::collection::vec(outlet_s, 1..8),
        prop::collection::vec(tech_s, 1..20),
        prop::collection::vec(req_s, 0..60),
    )
        .prop_map(|(outlets, techs, reqs)| {
            let mut d = base();
            for (i, (kind, lon, lat, cap, mut cats)) in outlets.into_iter().enumerate() {
                let mut o = outlet(
                    i as u32 + 1,
                    OutletKind::ALL[kind],
                    if lat < 24.0 { 1 } else { 3 },
                    lon,
                    lat,
                    cap,
                );
                cats.sort_unstable();
                cats.dedup();
                o.categories = cats.into_iter().map(CategoryId).collect();
                d.outlets.push(o);
            }
            let n_out = d.outlets.len();
            for (i, (o, skills, start, minutes)) in techs.into_iter().enumerate() {
                let mut seen = Vec::new();
                let skills: Vec<(u16, SkillLevel)> = skills
                    .into_iter()
                    .filter(|(c, _)| {
                        !seen.contains(c) && {
                            seen.push(*c);
                            true
                        }
                    })
                    .map(|(c, l)| (c, SkillLevel::ALL[l]))
                    .collect();
                let mut t = tech(i as u32 + 1, (o % n_out) as u32 + 1, &skills);
                t.shift_start_min = start;
                t.shift_minutes = minutes;
                // Distinct bases, so that no two technicians tie in distance.
                let home = d.outlets[o % n_out].location;
                t.base = Some(if i % 3 == 0 {
                    Point::new(113.0 + (i as f64) * 0.05, 23.0)
                } else {
                    Point::new(home.x() + 0.0013 * (i as f64 + 1.0), home.y())
                });
                d.technicians.push(t);
            }
            for (i, (region, lon, lat, mut cats, diff, start, len, near)) in
                reqs.into_iter().enumerate()
            {
                let (lon, lat) = match near {
                    Some((o, dx, dy)) => {
                        let at = d.outlets[o % n_out].location;
                        (at.x() + dx, at.y() + dy)
                    }
                    None => (lon, lat),
                };
                cats.sort_unstable();
                cats.dedup();
                let mut r = request(
                    i as u32 + 1,
                    if region < 0.5 { 2 } else { 4 },
                    lon,
                    lat,
                    &cats,
                    diff,
                );
                r.received_min = (i as u32 * 7919) % 500;
                r.window = TimeWindow {
                    start_min: start,
                    end_min: start + len,
                };
                d.requests.push(r);
            }
            Scenario::new(d).expect("generated scenarios are valid")
        })
}

/// Whether technician `t` may serve `r` at all: skills at the level, of
/// categories its outlet serves, an outlet kind the policy admits, and its
/// region under `Never`.
fn may_serve(s: &Scenario, t: &Technician, r: &ServiceRequest) -> bool {
    let o = s.outlet(t.outlet).unwrap();
    let need = r.required_level();
    let same_region = s.city(o.city).unwrap().region == s.city(r.city).unwrap().region;
    s.policy().admits(o.kind, r)
        && (s.policy().region != RegionRule::Never || same_region)
        && r.categories
            .iter()
            .all(|&c| o.categories.contains(&c) && t.level(c).is_some_and(|l| l >= need))
}

/// The cheapest position for `r` in `day` (requests in order) of technician
/// `t` that keeps the day feasible: by the tariff of the driving added, then
/// minutes, then km, then the earlier position.
fn cheapest_position(
    s: &Scenario,
    t: &Technician,
    day: &[RequestId],
    r: RequestId,
) -> Option<usize> {
    let o = s.outlet(t.outlet).unwrap();
    let now = if day.is_empty() {
        None
    } else {
        timed_route(s, t.id, day)
    };
    let (min0, km0) = now.map_or((0.0, 0.0), |x| (x.travel_min(), x.travel_km()));
    let mut best: Option<(f64, f64, f64, usize)> = None;
    for pos in 0..=day.len() {
        let mut v = day.to_vec();
        v.insert(pos, r);
        let Some(route) = timed_route(s, t.id, &v) else {
            continue;
        };
        let (dmin, dkm) = (route.travel_min() - min0, route.travel_km() - km0);
        let cost = o.tariff.per_minute * dmin + o.tariff.per_km * dkm;
        let key = (cost, dmin, dkm, pos);
        let lt = |x: f64, y: f64| x < y - 1e-9 * x.abs().max(y.abs()).max(1.0);
        let better = best.is_none_or(|b| {
            if lt(key.0, b.0) || lt(b.0, key.0) {
                return lt(key.0, b.0);
            }
            if lt(key.1, b.1) || lt(b.1, key.1) {
                return lt(key.1, b.1);
            }
            lt(key.2, b.2)
        });
        if better {
            best = Some(key);
        }
    }
    best.map(|b| b.3)
}

/// The rule, written as plainly as possible — linear scans, no index, each
/// day timed again from scratch: each request in arrival order goes to the
/// nearest technician (by great-circle km from the base) who may serve it,
/// could make the visit alone within `max_km` road km, whose outlet has a
/// visit left and whose day has a feasible position for it (the cheapest
/// taken); a technician of the request's region first unless the policy
/// crosses freely. Under `WhenNecessary`, visits that cross a region then go
/// home where a technician of the region within the policy's reach has a place.
/// Returns each technician's day with visits, in ascending technician id.
fn brute_force_nearest(s: &Scenario, max_km: f64) -> Vec<(TechnicianId, Vec<RequestId>)> {
    let techs = s.technicians();
    let mut days: Vec<Vec<RequestId>> = vec![Vec::new(); techs.len()];
    let mut visits: Vec<u32> = vec![0; s.outlets().len()];
    let region_of_city = |c: CityId| s.city(c).unwrap().region;
    let region_of_tech = |t: &Technician| region_of_city(s.outlet(t.outlet).unwrap().city);
    let alone = |t: &Technician, r: &ServiceRequest, km: f64| {
        s.travel().leg(s.technician_base(t), r.location).km <= km
            && timed_route(s, t.id, &[r.id]).is_some()
    };
    // Technicians by great-circle km from the request, then by position.
    let by_distance = |r: &ServiceRequest| {
        let mut v: Vec<(f64, usize)> = techs
            .iter()
            .enumerate()
            .map(|(i, t)| (great_circle_km(s.technician_base(t), r.location), i))
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        v
    };
    let room = |visits: &[u32], t: &Technician| {
        let oi = s.outlet_index(t.outlet).unwrap();
        visits[oi] < s.outlets()[oi].daily_capacity
    };
    let rule = s.policy().region;
    let mut order: Vec<&ServiceRequest> = s.requests().iter().collect();
    order.sort_by_key(|r| (r.received_min, r.id));
    let mut tech_of: std::collections::BTreeMap<RequestId, usize> = Default::default();
    for r in order {
        let mut fallback = None;
        let mut chosen = None;
        for (km, i) in by_distance(r) {
            let t = &techs[i];
            if km > max_km || !may_serve(s, t, r) || !alone(t, r, max_km) || !room(&visits, t) {
                continue;
            }
            let home = rule == RegionRule::Freely || region_of_tech(t) == region_of_city(r.city);
            if !home && fallback.is_some() {
                continue;
            }
            if let Some(pos) = cheapest_position(s, t, &days[i], r.id) {
                if home {
                    chosen = Some((i, pos));
                    break;
                }
                fallback = Some((i, pos));
            }
        }
        if let Some((i, pos)) = chosen.or(fallback) {
            days[i].insert(pos, r.id);
            visits[s.outlet_index(techs[i].outlet).unwrap()] += 1;
            tech_of.insert(r.id, i);
        }
    }
    if rule == RegionRule::WhenNecessary {
        let reach = s.policy().reach_km;
        loop {
            let mut changed = false;
            for r in s.requests() {
                let Some(&i) = tech_of.get(&r.id) else {
                    continue;
                };
                if region_of_tech(&techs[i]) == region_of_city(r.city) {
                    continue;
                }
                let home = by_distance(r).into_iter().find_map(|(km, h)| {
                    let t = &techs[h];
                    if km > reach
                        || region_of_tech(t) != region_of_city(r.city)
                        || !may_serve(s, t, r)
                        || !alone(t, r, reach)
                        || !room(&visits, t)
                    {
                        return None;
                    }
                    cheapest_position(s, t, &days[h], r.id).map(|pos| (h, pos))
                });
                if let Some((h, pos)) = home {
                    days[i].retain(|&x| x != r.id);
                    visits[s.outlet_index(techs[i].outlet).unwrap()] -= 1;
                    days[h].insert(pos, r.id);
                    visits[s.outlet_index(techs[h].outlet).unwrap()] += 1;
                    tech_of.insert(r.id, h);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
    let mut out: Vec<(TechnicianId, Vec<RequestId>)> = techs
        .iter()
        .zip(days)
        .filter(|(_, day)| !day.is_empty())
        .map(|(t, day)| (t.id, day))
        .collect();
    out.sort_by_key(|(t, _)| *t);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_plan_passes_the_checker_and_matches_the_plain_rule(
        s in random_scenario(),
        max_km in prop::sample::select(vec![50.0, 200.0, 1000.0]),
        rule in prop::sample::select(vec![RegionRule::WhenNecessary, RegionRule::Never, RegionRule::Freely]),
    ) {
        let mut d = s.data().clone();
        d.policy.region = rule;
        let s = Scenario::new(d).unwrap();
        let plan = dispatch_checked(&s, &Nearest::new().max_km(max_km));
        let got: Vec<(TechnicianId, Vec<RequestId>)> = plan
            .routes
            .iter()
            .map(|r| (r.technician, r.stops.iter().map(|st| st.request).collect()))
            .collect();
        prop_assert_eq!(got, brute_force_nearest(&s, max_km));
    }

    #[test]
    fn same_scenario_gives_the_same_plan_byte_for_byte(s in random_scenario()) {
        let a = io::to_json_string(&Nearest::new().dispatch(&s).unwrap()).unwrap();
        let b = io::to_json_string(&Nearest::new().dispatch(&s).unwrap()).unwrap();
        prop_assert_eq!(a, b);
    }
}
