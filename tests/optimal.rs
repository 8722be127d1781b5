//! The `Optimal` strategy: sound plans, honest bounds and gaps, the reasons
//! `Nearest` gives, and never worse than `Nearest` under its own objective.

mod common;

use common::*;
use proptest::prelude::*;
use servnet::dispatch::strategy_by_name;
use servnet::generate::{Generator, Preset};
use servnet::*;
use std::collections::BTreeMap;

use SkillLevel::Expert;

fn hainan(requests: usize, seed: u64) -> Scenario {
    Generator::new(Preset::province("Hainan"))
        .requests(requests)
        .seed(seed)
        .build()
        .expect("generated day")
}

fn json(plan: &Plan) -> String {
    serde_json::to_string(plan).expect("serializes")
}

/// Dispatches, then checks what every `Optimal` plan must satisfy: it passes
/// `verify`, accounts for every request, reports an objective that is the
/// one `Optimal::objective` computes, a lower bound below it and the gap
/// between them; and the same scenario gives the same plan byte for byte.
/// Nearest's plan for the same day, after asserting that `plan` prices no higher under `opt`.
fn assert_no_worse_than_nearest(s: &Scenario, opt: &Optimal, plan: &Plan, seed: u64) -> Plan {
    let nearest = dispatch_checked(s, &Nearest::new());
    let theirs = opt.objective(s, &nearest).unwrap();
    assert!(
        plan.objective.unwrap() <= theirs + 1e-9 * theirs.abs().max(1.0),
        "seed {seed}: optimal {:?} > nearest {theirs}",
        plan.objective
    );
    nearest
}

fn optimal_checked(s: &Scenario, opt: &Optimal) -> Plan {
    let plan = dispatch_checked(s, opt);
    assert_eq!(plan.strategy, "optimal");
    let (Some(objective), Some(bound), Some(gap)) = (plan.objective, plan.lower_bound, plan.gap)
    else {
        panic!("objective, bound and gap must be reported: {plan:?}");
    };
    assert!(
        bound <= objective,
        "bound {bound} above objective {objective}"
    );
    let expect = (objective - bound) / objective.abs().max(1.0);
    assert!((gap - expect).abs() <= 1e-12 && gap >= 0.0, "gap {gap}");
    let priced = opt.objective(s, &plan).expect("valid settings");
    assert!(
        (priced - objective).abs() <= 1e-9 * objective.abs().max(1.0),
        "the plan says {objective}, Optimal::objective says {priced}"
    );
    let again = opt.dispatch(s).expect("dispatch");
    assert!(json(&plan) == json(&again), "not deterministic");
    plan
}

fn reasons(plan: &Plan) -> BTreeMap<RequestId, UnassignedReason> {
    plan.unassigned
        .iter()
        .map(|u| (u.request, u.reason))
        .collect()
}

/// Ruin-and-recreate steps for the tests: enough to improve on the
/// construction, few enough for an unoptimised build.
const STEPS: u64 = 3_000;

fn optimal() -> Optimal {
    Optimal::new().work_limit(STEPS)
}

#[test]
fn small_days_are_never_worse_than_nearest_under_its_objective() {
    for seed in 1..=4 {
        let s = hainan(30, seed);
        let opt = optimal();
        let plan = optimal_checked(&s, &opt);
        let nearest = assert_no_worse_than_nearest(&s, &opt, &plan, seed);
        assert_eq!(nearest.objective, None, "Nearest reports no objective");
    }
}

#[test]
fn construction_alone_gives_a_sound_plan_that_the_search_does_not_worsen() {
    for seed in [2, 5] {
        let s = hainan(150, seed);
        let built = optimal_checked(&s, &Optimal::new().work_limit(0));
        let searched = optimal_checked(&s, &optimal());
        let (a, b) = (built.objective.unwrap(), searched.objective.unwrap());
        assert!(
            b <= a + 1e-9 * a.abs().max(1.0),
            "seed {seed}: {STEPS} steps give {b}, construction {a}"
        );
    }
}

#[test]
fn the_plan_is_the_same_with_one_thread_or_many_and_many_parts() {
    let s = hainan(300, 6);
    // Parts of about 60 requests: five or so searched in parallel, and a second phase.
    let opt = optimal().part_size(60);
    let many = optimal_checked(&s, &opt);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = pool.install(|| opt.dispatch(&s).unwrap());
    assert!(json(&many) == json(&one), "the plan depends on the threads");
    // Another seed searches differently, and still passes the checker.
    optimal_checked(&s, &opt.clone().seed(99));
}

/// One expert with one visit left at the outlet, and requests for every reason.
fn short_of_capacity() -> Scenario {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::CompanyOwned, 1, 113.26, 23.13, 1));
    d.technicians.push(tech(1, 1, &[(0, Expert)]));
    let mut near_low = request(1, 1, 113.27, 23.12, &[0], 1);
    near_low.priority = Priority::Low;
    d.requests.push(near_low);
    let mut far_urgent = request(2, 1, 113.40, 23.20, &[0], 1);
    far_urgent.priority = Priority::Urgent;
    d.requests.push(far_urgent);
    d.requests.push(request(3, 1, 113.27, 23.12, &[5], 1)); // nobody has category 5
    d.requests.push(request(4, 4, 114.30, 30.59, &[0], 1)); // Wuhan: 850 km away
    let mut late = request(5, 1, 113.27, 23.12, &[0], 1);
    late.window = TimeWindow {
        start_min: 0,
        end_min: 100,
    }; // closes before the shift starts
    d.requests.push(late);
    Scenario::new(d).unwrap()
}

#[test]
fn short_capacity_goes_to_the_urgent_request_and_the_rest_keep_nearests_reasons() {
    let s = short_of_capacity();
    let nearest = dispatch_checked(&s, &Nearest::new());
    assert_eq!(nearest.assignments[0].request, RequestId(1), "first come");
    for opt in [Optimal::new().work_limit(0), optimal(), optimal().seed(7)] {
        let plan = optimal_checked(&s, &opt);
        assert_eq!(plan.assignments.len(), 1);
        assert_eq!(plan.assignments[0].request, RequestId(2), "urgent first");
        let why = reasons(&plan);
        assert_eq!(why[&RequestId(1)], UnassignedReason::CapacityExhausted);
        assert_eq!(why[&RequestId(3)], UnassignedReason::NoSkilledTechnician);
        assert_eq!(why[&RequestId(4)], UnassignedReason::NoneWithinReach);
        assert_eq!(why[&RequestId(5)], UnassignedReason::TimeWindowImpossible);
        // Nearest served the low-priority request and pays the urgent one's penalty.
        let theirs = opt.objective(&s, &nearest).unwrap();
        assert!(plan.objective.unwrap() < theirs);
    }
}

#[test]
fn a_day_with_too_few_technicians_leaves_requests_capacity_exhausted() {
    let s = Generator::new(Preset::province("Hainan"))
        .requests(300)
        .technicians(1)
        .seed(3)
        .build()
        .unwrap();
    let plan = optimal_checked(&s, &optimal());
    let short = plan
        .unassigned
        .iter()
        .filter(|u| u.reason == UnassignedReason::CapacityExhausted)
        .count();
    assert!(short > 100, "{short} capacity_exhausted of 300");
    assert!(!plan.assignments.is_empty());
}

#[test]
fn requests_nobody_can_serve_get_the_reason_nearest_gives() {
    for seed in 1..=3 {
        let s = hainan(300, seed);
        for km in [30.0, 300.0] {
            let not_capacity = |p: &Plan| -> BTreeMap<RequestId, UnassignedReason> {
                reasons(p)
                    .into_iter()
                    .filter(|&(_, r)| r != UnassignedReason::CapacityExhausted)
                    .collect()
            };
            let nearest = dispatch_checked(&s, &Nearest::new().max_km(km));
            let plan = optimal_checked(&s, &optimal().max_km(km));
            assert_eq!(
                not_capacity(&plan),
                not_capacity(&nearest),
                "seed {seed}, {km} km"
            );
        }
    }
}

#[test]
fn invalid_settings_are_parameter_errors() {
    let s = hainan(10, 1);
    let cases: [(Optimal, &str); 10] = [
        (Optimal::new().sites(0), "sites"),
        (Optimal::new().part_size(0), "part_size"),
        (Optimal::new().max_km(0.0), "max_km"),
        (Optimal::new().max_km(f64::NAN), "max_km"),
        (Optimal::new().time_limit_s(0.0), "time_limit_s"),
        (Optimal::new().time_limit_s(f64::NAN), "time_limit_s"),
        (Optimal::new().time_limit_s(f64::INFINITY), "time_limit_s"),
        (
            Optimal::new().unassigned_penalty(-1.0),
            "unassigned_penalty",
        ),
        (
            Optimal::new().unassigned_penalty(f64::NAN),
            "unassigned_penalty",
        ),
        (
            Optimal::new().response_cost_per_min(-1.0),
            "response_cost_per_min",
        ),
    ];
    for (opt, field) in cases {
        for err in [
            opt.dispatch(&s).unwrap_err(),
            opt.objective(&s, &Plan::default()).unwrap_err(),
        ] {
            assert!(
                matches!(err.kind(), ErrorKind::Parameter { name, .. } if *name == field),
                "{field}: {err}"
            );
        }
    }
}

#[test]
fn plan_files_carry_objective_bound_and_gap_and_old_files_still_read() {
    let s = hainan(200, 2);
    let plan = optimal().dispatch(&s).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json(&plan)).unwrap();
    for field in ["objective", "lower_bound", "gap"] {
        assert!(v[field].is_f64(), "{field} missing: {v}");
    }
    let back = servnet::io::plan_from_json_str(&json(&plan), "plan").unwrap();
    assert_eq!(back.assignments.len(), plan.assignments.len());
    assert_eq!(back.unassigned, plan.unassigned);
    for (a, b) in [(back.objective, plan.objective), (back.gap, plan.gap)] {
        assert!((a.unwrap() - b.unwrap()).abs() <= 1e-9 * b.unwrap().abs().max(1.0));
    }
    let text = plan.summary(&s).to_string();
    for label in ["objective", "lower bound", "gap "] {
        assert!(text.contains(label), "{label} not in\n{text}");
    }

    let nearest = Nearest::new().dispatch(&s).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json(&nearest)).unwrap();
    assert!(v.get("objective").is_none() && v.get("gap").is_none());
    assert!(!nearest.summary(&s).to_string().contains("objective"));
    let old = r#"{"strategy":"nearest","assignments":[],"unassigned":[{"request":1,"reason":"capacity_exhausted"}]}"#;
    let p = servnet::io::plan_from_json_str(old, "old").unwrap();
    assert_eq!((p.objective, p.lower_bound, p.gap), (None, None, None));
}

#[test]
fn optimal_is_known_by_name() {
    let st = strategy_by_name("optimal").expect("registered");
    assert_eq!(st.name(), "optimal");
    assert!(strategy_by_name("nearest").is_some());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn plans_of_random_days_under_random_settings_pass_the_checker(
        seed in 0u64..10_000,
        requests in 1usize..200,
        technicians in prop::option::of(1usize..80),
        sites in 1usize..8,
        neighbours in 0usize..30,
        part_size in prop::sample::select(vec![25usize, 80, 4_000]),
        steps in 0u64..1_500,
        max_km in prop::sample::select(vec![20.0, 80.0, 300.0, f64::INFINITY]),
    ) {
        let mut g = Generator::new(Preset::province("Hainan")).requests(requests).seed(seed);
        if let Some(n) = technicians {
            g = g.technicians(n);
        }
        let s = g.build().unwrap();
        let opt = Optimal::new()
            .sites(sites)
            .neighbours(neighbours)
            .part_size(part_size)
            .work_limit(steps)
            .max_km(max_km)
            .seed(seed);
        let plan = optimal_checked(&s, &opt);
        // Whatever the settings, a request nobody could serve keeps the reason Nearest gives.
        let nearest = dispatch_checked(&s, &Nearest::new().max_km(max_km));
        let ours = reasons(&plan);
        for u in nearest.unassigned.iter().filter(|u| u.reason != UnassignedReason::CapacityExhausted) {
            prop_assert_eq!(ours.get(&u.request), Some(&u.reason));
        }
    }
}

#[test]
fn plans_of_generated_days_pass_verify_report_their_gap_and_beat_nearest() {
    for seed in 1..=3 {
        let s = hainan(150, seed);
        // A work limit ends the search, so the plan is the same on any machine.
        let opt = optimal();
        // optimal_checked asserts bound ≤ objective and the reported gap.
        let plan = optimal_checked(&s, &opt);
        assert_no_worse_than_nearest(&s, &opt, &plan, seed);
    }
}

#[cfg(feature = "cli")]
#[test]
fn the_command_line_writes_and_prints_objective_bound_and_gap() {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("servnet-optimal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (day, plan) = (dir.join("day.json"), dir.join("plan.json"));
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_servnet"))
            .args(args)
            .output()
            .expect("runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.status.success(), "{args:?}: {text}");
        text
    };
    let (d, p) = (day.to_str().unwrap(), plan.to_str().unwrap());
    run(&[
        "generate",
        "--preset",
        "province:Hainan",
        "--requests",
        "300",
        "--seed",
        "5",
        "--out",
        d,
    ]);
    let out = run(&[
        "dispatch",
        d,
        "--strategy",
        "optimal",
        "--work-limit",
        "3000",
        "--out",
        p,
    ]);
    for label in ["objective", "lower bound", "gap"] {
        assert!(out.contains(label), "{label} not in\n{out}");
    }
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    assert_eq!(v["strategy"], "optimal");
    for field in ["objective", "lower_bound", "gap"] {
        assert!(v[field].is_f64(), "{field} missing");
    }
    run(&["verify", d, p]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_anytime_search_gives_a_sound_plan_with_its_bound() {
    let s = hainan(300, 4);
    let opt = Optimal::new().anytime(0.3);
    let plan = dispatch_checked(&s, &opt);
    assert!(plan.time_limited, "an anytime run ends on the clock");
    let objective = plan.objective.unwrap();
    // The bound is there when its relaxation was built in the time.
    if let Some(bound) = plan.lower_bound {
        assert!(
            bound <= objective,
            "bound {bound} above objective {objective}"
        );
    }
    // Unless the clock came before every request was placed once (a
    // loaded machine), the objective is the one `Optimal::objective` prices
    // and no worse than building the days alone.
    if !plan
        .unassigned
        .iter()
        .any(|u| u.reason == UnassignedReason::TimeLimit)
    {
        let priced = opt.objective(&s, &plan).unwrap();
        assert!((priced - objective).abs() <= 1e-9 * objective.abs().max(1.0));
        let built = dispatch_checked(&s, &Optimal::new().work_limit(0));
        assert!(objective <= built.objective.unwrap() + 1e-9 * objective.abs().max(1.0));
    }
    // A bad time is a parameter error, as for the time limit.
    let err = Optimal::new().anytime(0.0).dispatch(&s).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Parameter { name, .. } if *name == "time_limit_s"));
}

#[test]
fn a_time_limit_ends_the_whole_dispatch_with_a_sound_plan() {
    // A day whose work limit takes far longer than the time limit.
    let s = hainan(2_000, 6);
    for limit in [0.05, 0.5] {
        let started = std::time::Instant::now();
        let opt = Optimal::new()
            .unassigned_penalty(1_000.0)
            .time_limit_s(limit);
        let plan = opt.dispatch(&s).unwrap();
        let took = started.elapsed().as_secs_f64();
        assert!(
            took <= limit + (0.1 * limit).max(0.2),
            "{limit} s took {took:.3} s"
        );
        assert!(plan.time_limited, "{limit} s");
        assert!(verify(&s, &plan).is_empty(), "{:?}", verify(&s, &plan));
        assert_eq!(
            plan.assignments.len() + plan.unassigned.len(),
            s.requests().len()
        );
        assert_routes_match(&plan);
        // What the time left out says so, and counts its penalty.
        let cut = plan
            .unassigned
            .iter()
            .filter(|u| u.reason == UnassignedReason::TimeLimit)
            .count();
        let (objective, bound) = (plan.objective.unwrap(), plan.lower_bound);
        assert!(
            objective >= cut as f64 * 500.0,
            "a low-priority request weighs half"
        );
        if let Some(bound) = bound {
            assert!(bound <= objective);
        }
    }
    // Within its work limit, a run is not marked and gives the same plan each time.
    let small = hainan(200, 6);
    let a = dispatch_checked(&small, &Optimal::new());
    assert!(!a.time_limited);
    assert_eq!(json(&a), json(&dispatch_checked(&small, &Optimal::new())));
}
