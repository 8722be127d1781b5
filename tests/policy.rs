//! The dispatch policy: outlet kinds, escalation, region crossing and
//! one-stop visits, each doing what it says under every strategy, and bad
//! policies refused when loaded.

mod common;

use common::*;
use servnet::dispatch::{ViolationCode, dispatch_one_stop, split_one_stop};
use servnet::generate::{Generator, Preset};
use servnet::*;

use SkillLevel::{Basic, Expert};

fn strategies() -> Vec<Box<dyn DispatchStrategy>> {
    vec![
        Box::new(Nearest::new()),
        Box::new(RegionNearest::new()),
        Box::new(Regret::new()),
        Box::new(Optimal::new().work_limit(2_000)),
    ]
}

fn national(requests: usize, seed: u64, policy: Policy) -> Scenario {
    Generator::new(Preset::National)
        .requests(requests)
        .seed(seed)
        .policy(policy)
        .build()
        .unwrap()
}

fn region_of(s: &Scenario, city: CityId) -> RegionId {
    s.city(city).unwrap().region
}

#[test]
fn expert_repairs_never_go_to_contracted_or_dealer_technicians() {
    let s = national(3000, 11, Policy::field());
    let hard = s.requests().iter().filter(|r| r.difficulty == 5).count();
    assert!(hard > 50, "the day has {hard} expert jobs");
    for st in strategies() {
        let plan = dispatch_checked(&s, st.as_ref());
        let mut served_hard = 0;
        for a in &plan.assignments {
            let r = s.request(a.request).unwrap();
            let kind = s.outlet(a.outlet).unwrap().kind;
            if r.difficulty == 5 {
                served_hard += 1;
                assert_eq!(kind, OutletKind::CompanyOwned, "{}: {a:?}", st.name());
            }
            if kind == OutletKind::Dealer {
                assert!(
                    r.difficulty <= 2 || (r.kind == RequestKind::Install && r.difficulty <= 3),
                    "{}: a dealer took {r:?}",
                    st.name()
                );
            }
        }
        assert!(served_hard > 0, "{} served no expert job", st.name());
    }
}

#[test]
fn verify_flags_work_the_policy_does_not_admit() {
    let mut d = base();
    d.policy = Policy::field();
    d.outlets
        .push(outlet(1, OutletKind::Contracted, 1, 113.26, 23.13, 10));
    d.outlets
        .push(outlet(2, OutletKind::CompanyOwned, 2, 113.12, 23.02, 10));
    d.technicians.push(tech(1, 1, &[(0, Expert)]));
    d.technicians.push(tech(2, 2, &[(0, Expert)]));
    d.requests.push(request(1, 1, 113.27, 23.14, &[0], 5));
    let s = Scenario::new(d.clone()).unwrap();
    // The contracted expert is nearer, but only the company's own may go.
    let plan = dispatch_checked(&s, &Nearest::new());
    assert_eq!(plan.assignments[0].technician, TechnicianId(2));
    // A plan that sends the contracted one breaks the policy.
    let mut bad = plan.clone();
    d.policy = Policy::default();
    let loose = Scenario::new(d).unwrap();
    let nearest = Nearest::new().dispatch(&loose).unwrap();
    assert_eq!(nearest.assignments[0].technician, TechnicianId(1));
    bad.assignments = nearest.assignments;
    bad.routes = nearest.routes;
    let v = verify(&s, &bad);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].code, ViolationCode::Policy);
    // With no company-owned technician at all, the request is left with the reason.
    let mut d = base();
    d.policy = Policy::field();
    d.outlets
        .push(outlet(1, OutletKind::Contracted, 1, 113.26, 23.13, 10));
    d.technicians.push(tech(1, 1, &[(0, Expert)]));
    d.requests.push(request(1, 1, 113.27, 23.14, &[0], 5));
    let s = Scenario::new(d).unwrap();
    for st in strategies() {
        let plan = dispatch_checked(&s, st.as_ref());
        assert_eq!(
            plan.unassigned[0].reason,
            UnassignedReason::PolicyExcludes,
            "{}",
            st.name()
        );
    }
}

/// A request in Changsha (Central) with a technician of the South 25 km away
/// and one of Central 48 km away.
fn border(rule: RegionRule) -> ScenarioData {
    let mut d = base();
    d.policy.region = rule;
    d.outlets
        .push(outlet(1, OutletKind::Contracted, 1, 112.95, 28.0, 10)); // South
    d.outlets
        .push(outlet(2, OutletKind::Contracted, 3, 113.2, 28.6, 10)); // Changsha, Central
    d.technicians.push(tech(1, 1, &[(0, Basic)]));
    d.technicians.push(tech(2, 2, &[(0, Basic)]));
    d.requests.push(request(1, 3, 112.94, 28.23, &[0], 1));
    d
}

#[test]
fn region_crossing_follows_the_rule() {
    // Freely: Nearest, Regret and Optimal take the nearer technician across
    // the border; RegionNearest stays home.
    let s = Scenario::new(border(RegionRule::Freely)).unwrap();
    for st in strategies() {
        let plan = dispatch_checked(&s, st.as_ref());
        let want = if st.name() == "region_nearest" { 2 } else { 1 };
        assert_eq!(
            plan.assignments[0].technician,
            TechnicianId(want),
            "{}",
            st.name()
        );
    }
    // When necessary: home, as the home technician has room; verify refuses the crossing.
    let s = Scenario::new(border(RegionRule::WhenNecessary)).unwrap();
    for st in strategies() {
        let plan = dispatch_checked(&s, st.as_ref());
        assert_eq!(
            plan.assignments[0].technician,
            TechnicianId(2),
            "{}",
            st.name()
        );
    }
    let free = Scenario::new(border(RegionRule::Freely)).unwrap();
    let crossing = Nearest::new().dispatch(&free).unwrap();
    let v = verify(&s, &crossing);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].code, ViolationCode::RegionCrossing);
    // When necessary, with the home technician full: crossing is allowed.
    let mut d = border(RegionRule::WhenNecessary);
    d.requests.push(request(2, 3, 113.21, 28.61, &[0], 1)); // next to the home outlet
    d.outlets[1].daily_capacity = 1;
    let s = Scenario::new(d).unwrap();
    for st in strategies() {
        let plan = dispatch_checked(&s, st.as_ref());
        assert_eq!(plan.assignments.len(), 2, "{}", st.name());
    }
    // Never: the crossing plan breaks the rule, and with the home outlet
    // closed to it the request is left, with the reason.
    let s = Scenario::new(border(RegionRule::Never)).unwrap();
    assert_eq!(verify(&s, &crossing)[0].code, ViolationCode::RegionCrossing);
    let mut d = border(RegionRule::Never);
    d.technicians.pop();
    d.outlets.pop();
    let s = Scenario::new(d).unwrap();
    for st in strategies() {
        let plan = dispatch_checked(&s, st.as_ref());
        assert_eq!(
            plan.unassigned[0].reason,
            UnassignedReason::PolicyExcludes,
            "{}",
            st.name()
        );
    }
}

#[test]
fn region_rules_hold_on_a_national_day() {
    for rule in [
        RegionRule::Never,
        RegionRule::WhenNecessary,
        RegionRule::Freely,
    ] {
        let policy = Policy {
            region: rule,
            ..Policy::field()
        };
        let s = national(2500, 5, policy);
        let mut crossings = Vec::new();
        for st in strategies() {
            // dispatch_checked runs verify, which checks WhenNecessary's room test.
            let plan = dispatch_checked(&s, st.as_ref());
            let crossed = plan
                .assignments
                .iter()
                .filter(|a| {
                    let r = s.request(a.request).unwrap();
                    region_of(&s, r.city) != region_of(&s, s.outlet(a.outlet).unwrap().city)
                })
                .count();
            if rule == RegionRule::Never {
                assert_eq!(crossed, 0, "{}", st.name());
            }
            crossings.push((st.name().to_string(), crossed));
        }
        if rule == RegionRule::Freely {
            let of = |n: &str| crossings.iter().find(|(s, _)| s == n).unwrap().1;
            assert!(
                of("nearest") > of("region_nearest"),
                "crossing freely, the nearest rule crosses more than the regional one: {crossings:?}"
            );
        }
    }
}

#[test]
fn a_one_stop_visits_technician_covers_all_of_its_categories() {
    let s = national(3000, 2, Policy::field());
    let multi = s
        .requests()
        .iter()
        .filter(|r| r.categories.len() > 1)
        .count();
    assert!(multi > 100);
    for st in strategies() {
        let (split, plan) = dispatch_one_stop(st.as_ref(), &s).unwrap();
        assert!(verify(&split, &plan).is_empty(), "{}", st.name());
        let mut one_stop = 0;
        for a in &plan.assignments {
            let r = split.request(a.request).unwrap();
            let t = split.technician(a.technician).unwrap();
            for &c in &r.categories {
                assert!(
                    t.level(c).is_some_and(|l| l >= r.required_level()),
                    "{}: technician {} lacks category {c} of request {}",
                    st.name(),
                    t.id,
                    r.id
                );
            }
            one_stop += usize::from(r.categories.len() > 1);
        }
        assert!(one_stop > 50, "{}: {one_stop} one-stop visits", st.name());
        // Coordinated parts: one category each, together the household's.
        for c in &plan.coordinated {
            let parent = s.request(c.request).unwrap();
            let mut cats: Vec<CategoryId> = c
                .parts
                .iter()
                .map(|&p| {
                    let part = split.request(p).unwrap();
                    assert_eq!(part.categories.len(), 1);
                    part.categories[0]
                })
                .collect();
            cats.sort_unstable();
            assert_eq!(cats, parent.categories);
            assert!(split.request(c.request).is_none());
        }
    }
}

#[test]
fn a_household_no_one_technician_covers_is_split_into_coordinated_visits() {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::Contracted, 1, 113.26, 23.13, 10));
    d.technicians.push(tech(1, 1, &[(0, Basic)])); // air conditioners only
    d.technicians.push(tech(2, 1, &[(1, Basic)])); // refrigerators only
    d.technicians.push(tech(3, 1, &[(0, Basic), (2, Basic)])); // AC and washers
    d.requests.push(request(1, 1, 113.27, 23.14, &[0, 1], 1)); // AC + fridge: nobody has both
    d.requests.push(request(2, 1, 113.27, 23.14, &[0, 2], 1)); // AC + washer: technician 3
    let s = Scenario::new(d).unwrap();
    let split = split_one_stop(&s).unwrap();
    assert_eq!(split.coordinated.len(), 1);
    assert_eq!(split.coordinated[0].request, RequestId(1));
    assert_eq!(split.coordinated[0].parts.len(), 2);
    let (split, plan) = dispatch_one_stop(&Nearest::new(), &s).unwrap();
    assert!(verify(&split, &plan).is_empty());
    assert_eq!(plan.assignments.len(), 3);
    let by = |r: RequestId| {
        plan.assignments
            .iter()
            .find(|a| a.request == r)
            .unwrap()
            .technician
    };
    assert_eq!(by(RequestId(2)), TechnicianId(3));
    let parts = &plan.coordinated[0].parts;
    assert_ne!(by(parts[0]), by(parts[1]));
}

#[test]
fn a_policy_that_leaves_work_to_no_outlet_kind_is_refused_when_loaded() {
    let mut d = base();
    // No kind may take repairs of difficulty 5.
    d.policy = Policy {
        rules: vec![
            KindRule::new(OutletKind::Contracted, 4),
            KindRule::new(OutletKind::CompanyOwned, 5).request_kinds(&[RequestKind::Install]),
        ],
        ..Policy::field()
    };
    let err = Scenario::new(d.clone()).unwrap_err();
    let p = err.problems();
    assert!(
        p.iter().any(|p| p.entity == "policy"
            && p.field == "rules"
            && p.message.contains("Repair at difficulty 5")),
        "{p:?}"
    );
    // A category no rule names.
    d.policy = Policy {
        rules: vec![
            KindRule::new(OutletKind::CompanyOwned, 5).categories([CategoryId(0), CategoryId(1)]),
        ],
        ..Policy::default()
    };
    let err = Scenario::new(d.clone()).unwrap_err();
    assert!(
        err.problems()
            .iter()
            .any(|p| p.message.contains("range_hood"))
    );
    // Out of range values, each named.
    d.policy = Policy {
        escalate_above: 0,
        crossing_cost: -1.0,
        reach_km: 0.0,
        ..Policy::default()
    };
    let fields: Vec<String> = Scenario::new(d)
        .unwrap_err()
        .problems()
        .iter()
        .map(|p| p.field.clone())
        .collect();
    for f in ["escalate_above", "crossing_cost", "reach_km"] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }
}
