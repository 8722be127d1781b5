//! Capacitated facility location: the MIP against brute force over open sets
//! on small random instances, bounds against feasible costs, bad input, and
//! OR-Library's cap61–64 and cap82 against the optima published in
//! `optima.md` (when the benchmark files are present).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use servnet::assign::Status;
use servnet::io::orlib::{read_cap_file, read_cap_str};
use servnet::planning::cfl::{CflProblem, CflSolution, CflSolver, allocate, greedy_drop, lp_bound};
use servnet::{ErrorKind, ProblemCode};
use std::path::{Path, PathBuf};

fn random(seed: u64) -> CflProblem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let m = rng.random_range(1..=5);
    let n = rng.random_range(1..=8);
    let demand: Vec<f64> = (0..n)
        .map(|_| f64::from(rng.random_range(1..=20)))
        .collect();
    let total: f64 = demand.iter().sum();
    let mut b = CflProblem::builder();
    for _ in 0..m {
        // Capacities from a fraction of the demand to all of it: splits and several open sites matter.
        let cap = (total * rng.random_range(0.2..1.2)).round();
        b = b.facility(f64::from(rng.random_range(0..60)), cap);
    }
    for &d in &demand {
        let row: Vec<f64> = (0..m).map(|_| f64::from(rng.random_range(0..40))).collect();
        b = b.customer(d, row);
    }
    b.build().expect("random instance is valid")
}

/// The cheapest open set, by trying them all with an exact transportation LP.
fn brute_force(p: &CflProblem) -> Option<f64> {
    let m = p.facilities();
    (1_u32..1 << m)
        .filter_map(|mask| {
            let open: Vec<bool> = (0..m).map(|i| mask >> i & 1 == 1).collect();
            let s = allocate(p, &open).expect("allocation LP solves");
            (s.status == Status::Optimal).then_some(s.cost)
        })
        .min_by(f64::total_cmp)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

fn check_solution(p: &CflProblem, s: &CflSolution) {
    let cost = p
        .evaluate(&s.open, &s.flows)
        .expect("solution meets every rule");
    assert!(
        close(cost, s.cost),
        "reported {} but evaluates to {cost}",
        s.cost
    );
    assert!(s.lower_bound <= s.cost + 1e-6 * s.cost.abs().max(1.0));
    assert!(s.gap >= 0.0);
}

#[test]
fn the_mip_equals_brute_force_on_small_random_instances() {
    let mut feasible = 0;
    let mut infeasible = 0;
    for seed in 0..120 {
        let p = random(seed);
        let s = CflSolver::new().solve(&p).unwrap();
        match brute_force(&p) {
            Some(best) => {
                feasible += 1;
                assert_eq!(s.status, Status::Optimal, "seed {seed}");
                check_solution(&p, &s);
                assert!(
                    close(s.cost, best),
                    "seed {seed}: mip {} brute {best}",
                    s.cost
                );
                assert!(close(s.lower_bound, best), "seed {seed}");
                // No open set, however allocated, beats the proven optimum; the LP bound never exceeds it.
                let lp = lp_bound(&p).unwrap();
                assert!(
                    lp <= best + 1e-6 * best.max(1.0),
                    "seed {seed}: lp {lp} > {best}"
                );
            }
            None => {
                infeasible += 1;
                assert!(matches!(s.status, Status::Infeasible(_)), "seed {seed}");
                assert!(s.cost.is_infinite());
            }
        }
    }
    // The generator gives both kinds, so both branches above were exercised.
    assert!(
        feasible > 50 && infeasible > 0,
        "{feasible} feasible, {infeasible} infeasible"
    );
}

#[test]
fn every_allocation_costs_at_least_the_lower_bound() {
    for seed in 200..240 {
        let p = random(seed);
        let s = CflSolver::new().solve(&p).unwrap();
        if s.status != Status::Optimal {
            continue;
        }
        let m = p.facilities();
        for mask in 1_u32..1 << m {
            let open: Vec<bool> = (0..m).map(|i| mask >> i & 1 == 1).collect();
            let a = allocate(&p, &open).unwrap();
            if a.status == Status::Optimal {
                check_solution(&p, &a);
                assert!(
                    a.cost >= s.lower_bound - 1e-6 * a.cost.max(1.0),
                    "seed {seed}"
                );
            }
        }
    }
}

#[test]
fn the_heuristic_never_beats_the_proven_optimum() {
    for seed in 300..360 {
        let p = random(seed);
        let exact = CflSolver::new().solve(&p).unwrap();
        let h = greedy_drop(&p).unwrap();
        if exact.status != Status::Optimal {
            assert!(matches!(h.status, Status::Infeasible(_)), "seed {seed}");
            continue;
        }
        check_solution(&p, &h);
        assert!(
            h.cost >= exact.cost - 1e-6 * exact.cost.max(1.0),
            "seed {seed}"
        );
        assert!(
            h.lower_bound <= exact.cost + 1e-6 * exact.cost.max(1.0),
            "seed {seed}"
        );
        if h.status == Status::Optimal {
            assert!(close(h.cost, exact.cost), "seed {seed}");
        }
    }
}

#[test]
fn customers_of_zero_demand_need_no_shares() {
    let p = CflProblem::builder()
        .facility(5.0, 10.0)
        .facility(1.0, 10.0)
        .customer(0.0, [1.0, 1.0])
        .customer(0.0, [2.0, 3.0])
        .build()
        .unwrap();
    let s = CflSolver::new().solve(&p).unwrap();
    assert_eq!(s.status, Status::Optimal);
    assert_eq!(s.open, vec![false, false]);
    assert!(s.flows.iter().all(Vec::is_empty));
    assert_eq!(s.cost, 0.0);
    check_solution(&p, &s);
}

#[test]
fn demand_is_split_when_no_single_site_can_carry_it() {
    // One customer of demand 10; two sites of capacity 6 each must share it.
    let p = CflProblem::builder()
        .facility(1.0, 6.0)
        .facility(1.0, 6.0)
        .customer(10.0, [10.0, 20.0])
        .build()
        .unwrap();
    let s = CflSolver::new().solve(&p).unwrap();
    assert_eq!(s.open, vec![true, true]);
    assert_eq!(s.flows[0].len(), 2);
    assert!(close(s.flows[0][0].1, 0.6));
    assert!(close(s.cost, 2.0 + 0.6 * 10.0 + 0.4 * 20.0));
}

#[test]
fn total_capacity_below_demand_is_an_explicit_infeasible_status() {
    let p = CflProblem::builder()
        .facility(1.0, 3.0)
        .facility(1.0, 4.0)
        .customer(5.0, [1.0, 1.0])
        .customer(5.0, [1.0, 1.0])
        .build()
        .unwrap();
    let s = CflSolver::new().solve(&p).unwrap();
    let Status::Infeasible(why) = &s.status else {
        panic!("expected infeasible, got {:?}", s.status)
    };
    assert!(why.contains("capacity"), "{why}");
    assert!(s.cost.is_infinite() && s.gap.is_infinite());
    assert!(lp_bound(&p).unwrap().is_infinite());
}

#[test]
fn bad_input_is_a_typed_error_naming_field_and_index() {
    let e = CflProblem::builder()
        .facility(-1.0, 5.0)
        .facility(2.0, f64::NAN)
        .customer(3.0, [1.0, -2.0])
        .customer(-4.0, [1.0])
        .build()
        .unwrap_err();
    let problems = e.problems();
    let has = |entity: &str, id: u64, field: &str, code: ProblemCode| {
        problems
            .iter()
            .any(|p| p.entity == entity && p.id == Some(id) && p.field == field && p.code == code)
    };
    assert!(
        has("facility", 0, "fixed_cost", ProblemCode::OutOfRange),
        "{e}"
    );
    assert!(
        has("facility", 1, "capacity", ProblemCode::OutOfRange),
        "{e}"
    );
    assert!(
        has("customer", 0, "cost[1]", ProblemCode::OutOfRange),
        "{e}"
    );
    assert!(has("customer", 1, "demand", ProblemCode::OutOfRange), "{e}");
    assert!(has("customer", 1, "cost", ProblemCode::Shape), "{e}");
    let e = CflProblem::builder().build().unwrap_err();
    assert!(e.problems().iter().all(|p| p.code == ProblemCode::Empty));
    assert_eq!(e.problems().len(), 2);
    let p = random(1);
    assert!(matches!(
        p.clone().with_capacity(-1.0).unwrap_err().kind(),
        ErrorKind::Parameter {
            name: "capacity",
            ..
        }
    ));
    assert!(matches!(
        CflSolver::new()
            .time_limit_s(0.0)
            .solve(&p)
            .unwrap_err()
            .kind(),
        ErrorKind::Parameter {
            name: "time_limit_s",
            ..
        }
    ));
    assert!(allocate(&p, &[]).is_err());
}

#[test]
fn the_cap_reader_reads_the_format_and_overrides_capacities() {
    let text = "2 2\n 10 5.\n capacity 7.\n 4\n 2.5 3.0\n 6\n 1 2.\n";
    let inst = read_cap_str(text, "t").unwrap();
    assert_eq!(inst.capacity, vec![Some(10.0), None]);
    assert_eq!(inst.fixed_cost, vec![5.0, 7.0]);
    assert_eq!(inst.demand, vec![4.0, 6.0]);
    assert_eq!(inst.cost, vec![vec![2.5, 1.0], vec![3.0, 2.0]]);
    assert!(matches!(
        inst.to_problem(None).unwrap_err().kind(),
        ErrorKind::Parameter {
            name: "capacity",
            ..
        }
    ));
    let p = inst.to_problem(Some(8.0)).unwrap();
    assert_eq!(p.capacities(), &[8.0, 8.0]);
    assert_eq!(p.cost(1, 0), 3.0);
    for (bad, needle) in [
        (
            "1 2\n 10 5.\n 4 1\n",
            "ends early, before the demand of customer 2",
        ),
        ("2 2\n 10 5.\n", "more numbers than the file can hold"),
        ("2 1\n 10 5.\n 10 -7\n 4 1 1\n", "line 3"),
        ("1 1\n 10 5.\n 4 1\n 9\n", "after the last customer"),
        ("0 1\n", "count"),
        ("1 1\n x 5.\n 4 1\n", "capacity of warehouse 1"),
    ] {
        let e = read_cap_str(bad, "bad.txt").unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Syntax { .. }), "{bad}");
        assert!(e.to_string().contains(needle), "{bad}: {e}");
    }
}

fn cap_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks/orlib/cap")
}

/// The published optimum of `name` from a table row `| name | m × n | value |`.
fn published(optima: &str, name: &str) -> Option<f64> {
    optima.lines().find_map(|line| {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        (cells.len() >= 4 && cells[1] == name)
            .then(|| cells[3].parse().ok())
            .flatten()
    })
}

#[test]
fn or_library_cap_instances_reach_their_published_optima() {
    let dir = cap_dir();
    let Ok(optima) = std::fs::read_to_string(dir.join("../optima.md")) else {
        eprintln!("skipped: no OR-Library cap benchmarks at {}", dir.display());
        return;
    };
    for name in ["cap61", "cap62", "cap63", "cap64", "cap82"] {
        let path = dir.join(format!("{name}.txt"));
        if !path.exists() {
            eprintln!("skipped: {} missing", path.display());
            continue;
        }
        let best = published(&optima, name).expect("optima.md lists the instance");
        let p = read_cap_file(&path).unwrap().to_problem(None).unwrap();
        let s = CflSolver::new().solve(&p).unwrap();
        check_solution(&p, &s);
        assert_eq!(s.status, Status::Optimal, "{name}");
        // The published optima are rounded to 3 decimals.
        assert!((s.cost - best).abs() < 1e-2, "{name}: {} vs {best}", s.cost);
        assert!((s.lower_bound - best).abs() < 1e-2, "{name}");
        assert!(lp_bound(&p).unwrap() <= best + 1e-2, "{name}");
    }
}
