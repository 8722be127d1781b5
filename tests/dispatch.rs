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

#[test]
fn the_checker_catches_each_kind_of_broken_plan() {
    let (s, plan) = valid_plan();
    assert!(plan.assignments.len() >= 3);

    let mut p = plan.clone();
    p.assignments.pop();
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
    assert_eq!(codes(&s, &p), [ViolationCode::WrongOutlet]);

    let mut p = plan.clone();
    p.assignments[0].cost += 1.0;
    assert_eq!(codes(&s, &p), [ViolationCode::Figures]);

    // Four visits for one outlet of capacity 3.
    let mut p = plan.clone();
    for a in &mut p.assignments {
        a.technician = TechnicianId(1);
        a.outlet = OutletId(1);
    }
    let fixed = recompute(&s, p);
    assert!(
        codes(&s, &fixed).contains(&ViolationCode::OutletCapacityExceeded),
        "{:?}",
        codes(&s, &fixed)
    );

    // A shift too short for the work.
    let mut d = s.data().clone();
    d.technicians[0].shift_minutes = 200;
    d.technicians[0].shift_start_min = 700;
    let short = Scenario::new(d).unwrap();
    let c = codes(&short, &plan);
    assert!(
        c.contains(&ViolationCode::ShiftExceeded) || c.contains(&ViolationCode::TimeWindow),
        "{c:?}"
    );
}

/// Recomputes the figures of each assignment so only capacity rules can fail.
fn recompute(s: &Scenario, mut p: Plan) -> Plan {
    for a in &mut p.assignments {
        let t = s.technician(a.technician).unwrap();
        let o = s.outlet(a.outlet).unwrap();
        let r = s.request(a.request).unwrap();
        let leg = s.travel().leg(o.location, r.location);
        a.service_min = r
            .categories
            .iter()
            .map(|&c| {
                s.catalog()
                    .service_minutes(s.category(c).unwrap(), r.kind, t.level(c).unwrap())
            })
            .sum();
        a.travel_km = 2.0 * leg.km;
        a.travel_min = 2.0 * leg.minutes;
        a.cost = o.tariff.cost(a.working_min(), a.travel_km);
    }
    p
}

/// A random scenario in a 3°×3° box over two regions: tight capacities, sparse skills.
fn random_scenario() -> impl Strategy<Value = Scenario> {
    let outlet_s = (
        0usize..3,
        110.0..116.0f64,
        21.0..27.0f64,
        1u32..6,
        prop::collection::vec(0u16..8, 1..8),
    );
    let tech_s = (
        0usize..64,
        prop::collection::vec((0u16..8, 0usize..3), 1..4),
        400u32..700,
        60u32..600,
    );
    let req_s = (
        0.0..1.0f64,
        109.0..117.0f64,
        20.0..28.0f64,
        prop::collection::vec(0u16..8, 1..3),
        1u8..6,
        0u32..1200,
        0u32..600,
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
            for (i, (region, lon, lat, mut cats, diff, start, len)) in reqs.into_iter().enumerate()
            {
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

/// The rule, written as plainly as possible: linear scans, no index.
fn brute_force_nearest(s: &Scenario, max_km: f64) -> Vec<(RequestId, Option<TechnicianId>)> {
    let mut minutes: Vec<f64> = s
        .technicians()
        .iter()
        .map(|t| f64::from(t.shift_minutes))
        .collect();
    let mut visits: Vec<u32> = s.outlets().iter().map(|o| o.daily_capacity).collect();
    let mut order: Vec<&ServiceRequest> = s.requests().iter().collect();
    order.sort_by_key(|r| (r.received_min, r.id));
    let mut out = Vec::new();
    for r in order {
        let region = s.city(r.city).unwrap().region;
        let need = r.required_level();
        let mut best: Option<(bool, f64, usize, f64)> = None;
        for (i, t) in s.technicians().iter().enumerate() {
            let oi = s.outlet_index(t.outlet).unwrap();
            let o = &s.outlets()[oi];
            let base = t.base.unwrap_or(o.location);
            let km = great_circle_km(base, r.location);
            if km > max_km || visits[oi] == 0 {
                continue;
            }
            let mut service = 0.0;
            let mut ok = true;
            for &c in &r.categories {
                match t.level(c) {
                    Some(l) if l >= need && o.categories.contains(&c) => {
                        service += s
                            .catalog()
                            .service_minutes(s.category(c).unwrap(), r.kind, l)
                    }
                    _ => ok = false,
                }
            }
            let leg = s.travel().leg(base, r.location);
            let work = service + 2.0 * leg.minutes;
            let arrive = f64::from(t.shift_start_min) + leg.minutes;
            let on_time = arrive <= f64::from(r.window.end_min)
                && arrive.max(f64::from(r.window.start_min)) + service + leg.minutes
                    <= f64::from(t.shift_end_min());
            if !ok || leg.km > max_km || work > minutes[i] + 1e-9 || !on_time {
                continue;
            }
            let other_region = s.city(o.city).unwrap().region != region;
            let key = (other_region, km, i, work);
            if best.is_none_or(|b| (key.0, key.1, key.2) < (b.0, b.1, b.2)) {
                best = Some(key);
            }
        }
        match best {
            Some((_, _, i, work)) => {
                minutes[i] -= work;
                visits[s.outlet_index(s.technicians()[i].outlet).unwrap()] -= 1;
                out.push((r.id, Some(s.technicians()[i].id)));
            }
            None => out.push((r.id, None)),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_plan_passes_the_checker_and_matches_the_plain_rule(s in random_scenario(), max_km in prop::sample::select(vec![50.0, 200.0, 1000.0])) {
        let plan = dispatch_checked(&s, &Nearest::new().max_km(max_km));
        let mut got: Vec<(RequestId, Option<TechnicianId>)> = plan.assignments.iter().map(|a| (a.request, Some(a.technician))).collect();
        got.extend(plan.unassigned.iter().map(|u| (u.request, None)));
        let mut want = brute_force_nearest(&s, max_km);
        got.sort();
        want.sort();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn same_scenario_gives_the_same_plan_byte_for_byte(s in random_scenario()) {
        let a = io::to_json_string(&Nearest::new().dispatch(&s).unwrap()).unwrap();
        let b = io::to_json_string(&Nearest::new().dispatch(&s).unwrap()).unwrap();
        prop_assert_eq!(a, b);
    }
}
