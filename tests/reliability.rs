//! Reliability of the solvers at their limits: a time limit is honoured by
//! every inner loop (within 10% of it or 0.2 s, whichever is larger), a run
//! stopped by a limit returns a plan, a bound and a status (never an error),
//! costs too large to sum are refused, and all-pairs distances are refused
//! before they are allocated when they would not fit.

mod common;

use common::type_d;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use servnet::ErrorKind;
use servnet::assign::Status;
use servnet::assign::{AssignmentSolver, Lagrangian};
use servnet::io::orlib::{MAX_ALL_PAIRS_VERTICES, PmedInstance};
use servnet::planning::cfl::{CflProblem, CflSolver, MAX_VALUE};
use servnet::planning::median::{MAX_COST, MedianProblem};
use servnet::planning::planner::CostModel;
use std::time::{Duration, Instant};

/// The most a run limited to `limit_s` seconds may take.
fn tolerance(limit_s: f64) -> Duration {
    Duration::from_secs_f64(limit_s + (0.1 * limit_s).max(0.2))
}

/// A capacitated location problem the size of OR-Library's capa–capc: 100
/// sites on a square, 1,000 customers, serving cost the distance times the
/// demand, capacities that need about a fifth of the sites open.
pub fn large_cfl(seed: u64) -> CflProblem {
    let (m, n) = (100, 1000);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sites: Vec<(f64, f64)> = (0..m)
        .map(|_| (rng.random_range(0.0..100.0), rng.random_range(0.0..100.0)))
        .collect();
    let mut b = CflProblem::builder();
    let demands: Vec<f64> = (0..n)
        .map(|_| f64::from(rng.random_range(5..=50)))
        .collect();
    let total: f64 = demands.iter().sum();
    for _ in 0..m {
        b = b.facility(rng.random_range(5_000.0..15_000.0), (total / 20.0).ceil());
    }
    for &d in &demands {
        let at = (rng.random_range(0.0..100.0), rng.random_range(0.0..100.0));
        b = b.customer(
            d,
            sites
                .iter()
                .map(|s: &(f64, f64)| d * ((s.0 - at.0).hypot(s.1 - at.1)).round()),
        );
    }
    b.build().expect("valid by construction")
}

#[test]
fn a_time_limited_lagrangian_gap_run_stops_on_time_on_a_hard_problem() {
    // 40 × 400 type D: the sensitivity tables of each agent once ran for
    // seconds past a 0.2 s limit.
    let p = type_d(40, 400, 1);
    for limit in [0.2, 0.5] {
        let started = Instant::now();
        let s = Lagrangian::new().time_limit_s(limit).solve(&p).unwrap();
        let took = started.elapsed();
        assert!(took <= tolerance(limit), "limit {limit} s took {took:?}");
        assert!(s.lower_bound <= s.cost);
    }
}

#[test]
fn capacitated_location_of_capa_size_gives_a_plan_a_bound_and_a_status() {
    let p = large_cfl(7);
    for limit in [0.3, 2.0] {
        let started = Instant::now();
        let s = CflSolver::new().time_limit_s(limit).solve(&p).unwrap();
        let took = started.elapsed();
        assert!(took <= tolerance(limit), "limit {limit} s took {took:?}");
        assert!(matches!(s.status, Status::Feasible | Status::Optimal));
        let cost = p.evaluate(&s.open, &s.flows).unwrap();
        assert!((cost - s.cost).abs() <= 1e-6 * cost, "{cost} vs {}", s.cost);
        assert!(
            s.lower_bound > 0.0 && s.lower_bound <= s.cost,
            "{}",
            s.lower_bound
        );
        assert!(s.gap.is_finite());
    }
}

#[test]
fn a_capacitated_location_run_stopped_by_its_work_limit_is_the_same_every_time() {
    let p = large_cfl(3);
    let solver = CflSolver::new().work_limit(20_000_000);
    let json = |s: &servnet::planning::cfl::CflSolution| {
        let mut v = serde_json::to_value(s).unwrap();
        v["seconds"] = serde_json::json!(0.0);
        v.to_string()
    };
    let first = solver.solve(&p).unwrap();
    assert_eq!(first.status, Status::Feasible);
    let want = json(&first);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let again = pool.install(|| solver.solve(&p).unwrap());
        assert_eq!(json(&again), want, "{threads} thread(s)");
    }
    assert!(matches!(
        CflSolver::new().work_limit(0).solve(&p).unwrap_err().kind(),
        ErrorKind::Parameter {
            name: "work_limit",
            ..
        }
    ));
}

#[test]
fn costs_too_large_to_sum_are_refused_naming_the_field() {
    let field_of = |e: &servnet::Error| match e.kind() {
        ErrorKind::Invalid(problems) => problems[0].field.clone(),
        other => panic!("expected an invalid input, got {other:?}"),
    };
    for huge in [1e308, f64::MAX, 2.0 * MAX_COST] {
        let e = MedianProblem::builder(2)
            .fixed_cost(0, huge)
            .customer([(0, 1.0), (1, 2.0)])
            .build()
            .unwrap_err();
        assert_eq!(field_of(&e), "fixed_cost");
        let e = MedianProblem::builder(1)
            .customer([(0, huge)])
            .build()
            .unwrap_err();
        assert_eq!(field_of(&e), "arcs[0].cost");
        let e = CflProblem::builder()
            .facility(huge, 10.0)
            .customer(1.0, [1.0])
            .build()
            .unwrap_err();
        assert_eq!(field_of(&e), "fixed_cost");
        assert!(huge > MAX_VALUE);
        let cost = CostModel {
            owned_fixed_per_year: huge,
            ..CostModel::default()
        };
        let problems = cost_problems(cost);
        assert_eq!(problems, vec!["owned_fixed_per_year".to_string()], "{huge}");
    }
    // The limit itself is accepted.
    assert!(
        MedianProblem::builder(1)
            .fixed_cost(0, MAX_COST)
            .customer([(0, MAX_COST)])
            .build()
            .is_ok()
    );
    assert!(cost_problems(CostModel::default()).is_empty());
}

/// The fields a planner refuses in a cost model, on one city with demand.
fn cost_problems(cost: CostModel) -> Vec<String> {
    use servnet::model::{AdminLevel, City, CityId, RegionId};
    use servnet::planning::planner::{CityDemand, Forecast, NetworkPlanner};
    let cities = [City {
        id: CityId(1),
        name_zh: "城1".into(),
        name: "City 1".into(),
        province: "Test".into(),
        admin_level: AdminLevel::Prefecture,
        location: geo::Point::new(116.4, 39.9),
        population: 1_000_000,
        region: RegionId(1),
    }];
    let forecast = Forecast {
        cities: vec![CityDemand {
            city: CityId(1),
            visits: 1_000.0,
            basic_share: 0.5,
            expert_share: 0.1,
            service_min: 60.0,
        }],
    };
    let travel = servnet::travel::GreatCircle::default();
    let planner = NetworkPlanner::new(&cities, &[], &travel).cost_model(cost);
    match planner.location_problem(&forecast) {
        Ok(_) => Vec::new(),
        Err(e) => match e.kind() {
            ErrorKind::Invalid(problems) => problems.iter().map(|p| p.field.clone()).collect(),
            other => panic!("expected an invalid input, got {other:?}"),
        },
    }
}

#[test]
fn all_pairs_distances_past_the_limit_are_refused_before_allocating() {
    let n = 100_000;
    let inst = PmedInstance {
        vertices: n,
        p: 10,
        edges: (1..n).map(|i| (i, i + 1, 1)).collect(),
        edge_lines: n - 1,
    };
    let started = Instant::now();
    for e in [
        inst.to_problem().unwrap_err(),
        inst.distances().unwrap_err(),
    ] {
        let ErrorKind::Invalid(problems) = e.kind() else {
            panic!("expected an invalid input, got {e}");
        };
        assert_eq!(problems[0].field, "vertices");
        let text = e.to_string();
        assert!(text.contains("MAX_ALL_PAIRS_VERTICES"), "{text}");
        assert!(text.contains(&MAX_ALL_PAIRS_VERTICES.to_string()), "{text}");
    }
    assert!(started.elapsed() < Duration::from_secs(1));
    // A graph at the limit's scale but small is still solved.
    let small = PmedInstance {
        vertices: 3,
        p: 1,
        edges: vec![(1, 2, 1), (2, 3, 1)],
        edge_lines: 2,
    };
    assert_eq!(small.to_problem().unwrap().facilities(), 3);
}

/// Points on a square: `n` customers, each also a candidate site, costs
/// the distances (rounded), as in OR-Library's p-median graphs.
fn points(n: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| (rng.random_range(0.0..1000.0), rng.random_range(0.0..1000.0)))
        .collect()
}

#[test]
fn median_and_covering_searches_stop_on_time_on_large_problems() {
    use servnet::planning::covering::{CoverProblem, MaxCover, PCenter, SetCover};
    use servnet::planning::median::MedianSolver;
    let at = points(600, 11);
    let d = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).hypot(a.1 - b.1).round();
    let mut b = MedianProblem::builder(at.len());
    for &c in &at {
        b = b.customer(at.iter().enumerate().map(|(i, &s)| (i, d(s, c))));
    }
    let median = b.build().unwrap();
    let mut b = CoverProblem::builder(at.len());
    for &c in &at {
        b = b.customer(1.0, at.iter().enumerate().map(|(i, &s)| (i, d(s, c))));
    }
    let cover = b.build().unwrap();
    let limit = 0.3;
    let timed = |what: &str, run: &dyn Fn() -> bool| {
        let started = Instant::now();
        assert!(run(), "{what}: no answer");
        let took = started.elapsed();
        assert!(
            took <= tolerance(limit),
            "{what}: limit {limit} s took {took:?}"
        );
    };
    timed("p-median", &|| {
        MedianSolver::p_median(40)
            .time_limit_s(limit)
            .solve(&median)
            .is_ok()
    });
    timed("set cover", &|| {
        SetCover::new(30.0)
            .time_limit_s(limit)
            .solve(&cover)
            .is_ok()
    });
    timed("max cover", &|| {
        MaxCover::new(30.0, 40)
            .time_limit_s(limit)
            .solve(&cover)
            .is_ok()
    });
    timed("p-center", &|| {
        PCenter::new(40).time_limit_s(limit).solve(&cover).is_ok()
    });
}
