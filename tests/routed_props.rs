//! Every strategy on random small days: the plan passes the checker with
//! its routes, accounts for every request once, and its routes are in
//! ascending technician id and hold exactly its assignments — under every
//! policy and region rule, in any month, with technicians starting away
//! from their base.

mod common;

use common::*;
use proptest::prelude::*;
use servnet::generate::{Generator, Preset};
use servnet::*;
use std::collections::BTreeSet;

/// Provinces of different shapes: small islands, large and sparse, dense coasts.
const PROVINCES: [&str; 7] = [
    "Hainan",
    "Ningxia",
    "Qinghai",
    "Zhejiang",
    "Fujian",
    "Guangdong",
    "Guangxi",
];

fn strategies() -> Vec<Box<dyn DispatchStrategy>> {
    vec![
        Box::new(Nearest::new()),
        Box::new(RegionNearest::new()),
        Box::new(Regret::new()),
        Box::new(Optimal::new().work_limit(400)),
    ]
}

/// The checks every plan of every strategy must pass.
fn assert_sound(s: &Scenario, plan: &Plan, name: &str) {
    let v = verify(s, plan);
    assert!(v.is_empty(), "{name}: {v:#?}");
    assert_routes_match(plan);
    // Every request once: assigned or unassigned.
    let mut seen = BTreeSet::new();
    for id in plan
        .assignments
        .iter()
        .map(|a| a.request)
        .chain(plan.unassigned.iter().map(|u| u.request))
    {
        assert!(seen.insert(id), "{name}: request {id} twice");
    }
    let all: BTreeSet<RequestId> = s.requests().iter().map(|r| r.id).collect();
    assert_eq!(seen, all, "{name}");
    // Each route starts from its technician's start, no earlier than the shift.
    for route in &plan.routes {
        let t = s.technician(route.technician).unwrap();
        assert_eq!(route.outlet, t.outlet, "{name}");
        assert!(
            route.start_min >= f64::from(t.shift_start_min) - 1e-9,
            "{name}"
        );
        let first = s.request(route.stops[0].request).unwrap().location;
        let leg = s.travel().leg(s.technician_start(t), first);
        assert!(
            (route.stops[0].leg_km - leg.km).abs() <= 1e-6 * leg.km.max(1.0),
            "{name}: technician {} does not leave from its start",
            t.id
        );
    }
}

fn policy(field: bool, rule: RegionRule) -> Policy {
    let mut p = if field {
        Policy::field()
    } else {
        Policy::default()
    };
    p.region = rule;
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_strategys_plan_of_a_random_day_passes_the_checker_with_its_routes(
        province in prop::sample::select(PROVINCES.to_vec()),
        requests in 20usize..300,
        technicians in prop::option::of(3usize..120),
        seed in 0u64..100_000,
        month in 1u8..=12,
        field in any::<bool>(),
        rule in prop::sample::select(vec![RegionRule::Never, RegionRule::WhenNecessary, RegionRule::Freely]),
        away in prop::option::of((1usize..4, -0.2..0.2f64, -0.2..0.2f64)),
    ) {
        let mut g = Generator::new(Preset::province(province))
            .requests(requests)
            .seed(seed)
            .month(month)
            .policy(policy(field, rule));
        if let Some(n) = technicians {
            g = g.technicians(n);
        }
        let mut s = g.build().unwrap();
        // Some technicians already out on the road when the shift starts.
        if let Some((every, dlon, dlat)) = away {
            s = starts_away(&s, every, dlon, dlat);
        }
        let mut served = 0;
        for st in strategies() {
            let plan = st.dispatch(&s).unwrap();
            assert_sound(&s, &plan, st.name());
            served += plan.assignments.len();
        }
        prop_assert!(served > 0, "no strategy served anything");
    }
}

/// A few fixed days with every third technician starting away, so that the
/// starts are exercised on every run whatever proptest draws.
#[test]
fn plans_with_technicians_starting_away_from_their_base_pass_the_checker() {
    for (province, seed) in [("Hainan", 1), ("Zhejiang", 2), ("Ningxia", 3)] {
        let s = Generator::new(Preset::province(province))
            .requests(250)
            .seed(seed)
            .policy(Policy::field())
            .build()
            .unwrap();
        let s = starts_away(&s, 3, 0.15, -0.1);
        for st in strategies() {
            let plan = st.dispatch(&s).unwrap();
            assert_sound(&s, &plan, st.name());
            let away = plan
                .routes
                .iter()
                .filter(|r| s.technician(r.technician).unwrap().start.is_some())
                .count();
            assert!(away > 0, "{province}, {}: no day starts away", st.name());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// The same plan, byte for byte, on one thread and on the default pool:
    /// every strategy, and `Optimal` cut into several parts.
    #[test]
    fn every_strategys_plan_is_the_same_on_one_thread_and_on_many(
        province in prop::sample::select(PROVINCES.to_vec()),
        requests in 50usize..400,
        seed in 0u64..100_000,
        rule in prop::sample::select(vec![RegionRule::Never, RegionRule::WhenNecessary, RegionRule::Freely]),
    ) {
        let s = Generator::new(Preset::province(province))
            .requests(requests)
            .seed(seed)
            .policy(policy(true, rule))
            .build()
            .unwrap();
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let mut all = strategies();
        all.push(Box::new(Optimal::new().work_limit(2_000).part_size(60)));
        for st in all {
            let json = |plan: &Plan| serde_json::to_string(plan).unwrap();
            let many = json(&st.dispatch(&s).unwrap());
            let single = json(&one.install(|| st.dispatch(&s)).unwrap());
            prop_assert!(many == single, "{}: differs between thread counts", st.name());
        }
    }
}
