//! The `Regret` strategy: sound plans on generated days, the same plan for
//! the same day, a case where regret beats arrival order, an objective never
//! below `Optimal`'s lower bound, and typed parameter errors.

mod common;

use common::*;
use servnet::dispatch::{STRATEGIES, strategy_by_name};
use servnet::generate::{Generator, Preset};
use servnet::*;

use SkillLevel::Expert;

fn json(plan: &Plan) -> String {
    serde_json::to_string(plan).expect("serializes")
}

/// Dispatches with `Regret`, checks the plan and that a second run gives the same bytes.
fn regret_checked(s: &Scenario, regret: &Regret) -> Plan {
    let plan = dispatch_checked(s, regret);
    assert_eq!(plan.strategy, "regret");
    let again = regret.dispatch(s).expect("dispatch");
    assert!(json(&plan) == json(&again), "not deterministic");
    plan
}

#[test]
fn plans_of_a_province_pass_the_checker_and_repeat_byte_for_byte() {
    for seed in [1, 2] {
        let s = Generator::new(Preset::province("Zhejiang"))
            .requests(2000)
            .seed(seed)
            .build()
            .unwrap();
        let plan = regret_checked(&s, &Regret::new());
        assert!(!plan.assignments.is_empty());
    }
}

#[test]
fn plans_of_a_national_day_pass_the_checker_under_every_region_rule() {
    for rule in [
        RegionRule::WhenNecessary,
        RegionRule::Never,
        RegionRule::Freely,
    ] {
        let mut policy = Policy::field();
        policy.region = rule;
        let s = Generator::new(Preset::National)
            .requests(3000)
            .seed(5)
            .policy(policy)
            .build()
            .unwrap();
        regret_checked(&s, &Regret::new());
    }
}

#[test]
fn scarce_technicians_still_give_sound_plans_with_nearests_reasons() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(600)
        .technicians(15)
        .seed(9)
        .policy(Policy::field())
        .build()
        .unwrap();
    for regret in [Regret::new(), Regret::new().k(1)] {
        let plan = regret_checked(&s, &regret);
        assert!(!plan.unassigned.is_empty(), "capacity must bind");
    }
    // Where Nearest leaves a request out for a reason other than capacity
    // (one that does not depend on the order), Regret gives the same reason.
    let plan = regret_checked(&s, &Regret::new().max_km(40.0));
    let nearest = dispatch_checked(&s, &Nearest::new().max_km(40.0));
    let mut compared = 0;
    for u in &nearest.unassigned {
        if u.reason != UnassignedReason::CapacityExhausted {
            let ours = plan.unassigned.iter().find(|v| v.request == u.request);
            assert_eq!(ours.map(|v| v.reason), Some(u.reason), "{}", u.request);
            compared += 1;
        }
    }
    assert!(
        compared > 0,
        "a 40 km reach leaves some requests out of reach"
    );
}

/// Two requests in Guangzhou, two technicians with room for one visit each.
/// The first request can go to either (the Guangzhou one is nearer); the
/// second needs a category only the Guangzhou technician has.
fn contested() -> Scenario {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::Contracted, 1, 113.26, 23.13, 1)); // Guangzhou
    d.outlets
        .push(outlet(2, OutletKind::Contracted, 2, 113.12, 23.02, 1)); // Foshan
    d.technicians.push(tech(1, 1, &[(0, Expert), (1, Expert)]));
    d.technicians.push(tech(2, 2, &[(0, Expert)]));
    d.requests.push(request(1, 1, 113.27, 23.12, &[0], 2));
    d.requests.push(request(2, 1, 113.27, 23.12, &[1], 2));
    Scenario::new(d).unwrap()
}

#[test]
fn regret_serves_first_the_request_with_no_alternative() {
    let s = contested();
    let nearest = dispatch_checked(&s, &Nearest::new());
    assert_eq!(
        nearest.assignments.len(),
        1,
        "arrival order blocks request 2"
    );
    assert_eq!(nearest.unassigned[0].request, RequestId(2));
    assert_eq!(
        nearest.unassigned[0].reason,
        UnassignedReason::CapacityExhausted
    );

    let plan = regret_checked(&s, &Regret::new());
    assert!(plan.unassigned.is_empty(), "{plan:?}");
    let tech_of = |r: u32| {
        plan.assignments
            .iter()
            .find(|a| a.request == RequestId(r))
            .map(|a| a.technician)
    };
    assert_eq!(tech_of(1), Some(TechnicianId(2)));
    assert_eq!(tech_of(2), Some(TechnicianId(1)));
    // Each technician drives a day of one visit.
    assert_eq!(plan.routes.len(), 2);
    assert!(plan.routes.iter().all(|r| r.stops.len() == 1));

    let price = Optimal::new();
    assert!(price.objective(&s, &plan).unwrap() < price.objective(&s, &nearest).unwrap());
}

#[test]
fn the_priced_objective_is_never_below_optimals_lower_bound() {
    for seed in [3, 4] {
        let s = Generator::new(Preset::province("Hainan"))
            .requests(300)
            .technicians(30)
            .seed(seed)
            .policy(Policy::field())
            .build()
            .unwrap();
        // A work limit, not a time limit: the same bound on every machine.
        let opt = Optimal::new().work_limit(2_000);
        let best = opt.dispatch(&s).unwrap();
        let bound = best.lower_bound.expect("Optimal reports a bound");
        let plan = regret_checked(&s, &Regret::new());
        let ours = opt.objective(&s, &plan).unwrap();
        assert!(
            ours >= bound - 1e-9 * bound.abs().max(1.0),
            "seed {seed}: regret {ours} below the bound {bound}"
        );
    }
}

#[test]
fn bad_parameters_are_typed_errors_naming_the_field() {
    let s = contested();
    let cases = [
        (Regret::new().k(0), "k"),
        (Regret::new().max_km(0.0), "max_km"),
        (Regret::new().max_km(-3.0), "max_km"),
        (Regret::new().max_km(f64::NAN), "max_km"),
    ];
    for (regret, field) in cases {
        let err = regret.dispatch(&s).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Parameter { name, .. } if *name == field),
            "{field}: {err}"
        );
    }
    // An infinite reach is allowed.
    regret_checked(&s, &Regret::new().max_km(f64::INFINITY));
}

#[test]
fn regret_is_known_by_name() {
    assert!(STRATEGIES.contains(&"regret"));
    let st = strategy_by_name("regret").expect("registered");
    assert_eq!(st.name(), "regret");
    assert_eq!(st.dispatch(&contested()).unwrap().assignments.len(), 2);
}
