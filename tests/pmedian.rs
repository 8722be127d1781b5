//! p-median and uncapacitated facility location: the exact solver against
//! brute force over every open set on small random instances (sparse arcs,
//! fixed costs, always-open facilities, customers with no arc), bounds
//! against optima, the local search alone against the proven optimum,
//! determinism, and bad input.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use servnet::assign::Status;
use servnet::planning::median::{Count, MedianProblem, MedianSolution, MedianSolver};
use servnet::{ErrorKind, ProblemCode};

/// A random instance as plain data, kept to recompute costs independently.
struct Raw {
    n: usize,
    fixed: Vec<f64>,
    always: Vec<bool>,
    /// Per customer, its arcs `(facility, cost)`.
    arcs: Vec<Vec<(usize, f64)>>,
}

impl Raw {
    fn random(seed: u64, integral: bool) -> Raw {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = rng.random_range(1..=7);
        let m = rng.random_range(0..=9);
        let density = rng.random_range(0.3..=1.0);
        let cost = |rng: &mut ChaCha8Rng, hi: f64| {
            let v = rng.random_range(0.0..hi);
            if integral { v.floor() } else { v }
        };
        let with_fixed = rng.random_bool(0.6);
        let fixed = (0..n)
            .map(|_| {
                if with_fixed {
                    cost(&mut rng, 40.0)
                } else {
                    0.0
                }
            })
            .collect();
        let always = (0..n).map(|_| rng.random_bool(0.15)).collect();
        let arcs = (0..m)
            .map(|_| {
                if rng.random_bool(0.08) {
                    return Vec::new();
                }
                let mut a = Vec::new();
                for i in 0..n {
                    if rng.random_bool(density) {
                        a.push((i, cost(&mut rng, 30.0)));
                    }
                }
                a
            })
            .collect();
        Raw {
            n,
            fixed,
            always,
            arcs,
        }
    }

    fn problem(&self) -> MedianProblem {
        let mut b = MedianProblem::builder(self.n);
        for (i, &f) in self.fixed.iter().enumerate() {
            b = b.fixed_cost(i, f);
            if self.always[i] {
                b = b.always_open(i);
            }
        }
        for a in &self.arcs {
            b = b.customer(a.iter().copied());
        }
        b.build().expect("random instance is valid")
    }

    /// The cost of an open set over the customers that have an arc; `None`
    /// when one of them has no open facility.
    fn cost(&self, open: &[bool]) -> Option<f64> {
        let mut total: f64 = (0..self.n)
            .filter(|&i| open[i])
            .map(|i| self.fixed[i])
            .sum();
        for a in self.arcs.iter().filter(|a| !a.is_empty()) {
            total += a
                .iter()
                .filter(|x| open[x.0])
                .map(|x| x.1)
                .min_by(f64::total_cmp)?;
        }
        Some(total)
    }

    /// The optimum over every open set the count allows.
    fn brute_force(&self, count: Count) -> Option<f64> {
        (0_u32..1 << self.n)
            .filter_map(|mask| {
                let open: Vec<bool> = (0..self.n)
                    .map(|i| self.always[i] || mask & (1 << i) != 0)
                    .collect();
                if (0..self.n).any(|i| self.always[i] && mask & (1 << i) != 0) {
                    return None; // each set once
                }
                let k = (0..self.n).filter(|&i| open[i] && !self.always[i]).count();
                let allowed = match count {
                    Count::Exactly(p) => k == p,
                    Count::AtMost(p) => k <= p,
                    _ => true,
                };
                allowed.then(|| self.cost(&open)).flatten()
            })
            .min_by(f64::total_cmp)
    }

    fn candidates(&self) -> usize {
        self.always.iter().filter(|&&a| !a).count()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(1.0)
}

/// Every rule of a solution that claims to serve the covered customers.
fn check(raw: &Raw, count: Count, s: &MedianSolution) {
    let mut open = vec![false; raw.n];
    for w in s.open.windows(2) {
        assert!(w[0] < w[1], "open not sorted: {:?}", s.open);
    }
    s.open.iter().for_each(|&i| open[i] = true);
    assert!(
        (0..raw.n).all(|i| !raw.always[i] || open[i]),
        "always-open missing"
    );
    let k = (0..raw.n).filter(|&i| open[i] && !raw.always[i]).count();
    match count {
        Count::Exactly(p) => assert_eq!(k, p),
        Count::AtMost(p) => assert!(k <= p),
        _ => {}
    }
    let cost = raw
        .cost(&open)
        .expect("the solution serves every covered customer");
    assert!(close(cost, s.cost), "reported {} recomputed {cost}", s.cost);
    let uncovered: Vec<usize> = (0..raw.arcs.len())
        .filter(|&j| raw.arcs[j].is_empty())
        .collect();
    assert_eq!(s.uncovered, uncovered);
    for (j, a) in raw.arcs.iter().enumerate() {
        match s.assignment[j] {
            None => assert!(a.is_empty(), "customer {j} has arcs but no facility"),
            Some(i) => {
                assert!(open[i]);
                let mine = a.iter().find(|x| x.0 == i).expect("an allowed arc").1;
                let best = a.iter().filter(|x| open[x.0]).map(|x| x.1);
                assert!(
                    best.into_iter().all(|c| mine <= c),
                    "customer {j} not at its nearest"
                );
            }
        }
    }
    if uncovered.is_empty() {
        assert_eq!(s.status, Status::Optimal, "{s:?}");
    } else {
        assert!(s.status.is_infeasible(), "{s:?}");
    }
}

fn counts(raw: &Raw) -> Vec<Count> {
    let c = raw.candidates();
    let mut v = vec![Count::Free];
    for p in 0..=c {
        v.push(Count::Exactly(p));
        v.push(Count::AtMost(p));
    }
    v
}

#[test]
fn the_solver_equals_brute_force_on_small_random_instances() {
    for seed in 0..400 {
        let raw = Raw::random(seed, seed % 2 == 0);
        let problem = raw.problem();
        for count in counts(&raw) {
            let s = MedianSolver::default()
                .count(count)
                .solve(&problem)
                .unwrap();
            let ctx = format!("seed {seed}, {count:?}: {s:?}");
            match raw.brute_force(count) {
                None => {
                    assert!(s.status.is_infeasible(), "{ctx}");
                    assert!(s.cost.is_infinite(), "{ctx}");
                    assert!(s.assignment.iter().all(Option::is_none), "{ctx}");
                }
                Some(best) => {
                    assert!(close(s.cost, best), "{ctx}: brute force {best}");
                    assert!(s.bound <= best + 1e-6, "{ctx}");
                    assert!(s.gap.abs() < 1e-9, "{ctx}");
                    check(&raw, count, &s);
                }
            }
        }
    }
}

#[test]
fn bounds_never_exceed_and_local_search_never_beats_the_optimum() {
    for seed in 1000..1200 {
        let raw = Raw::random(seed, seed % 3 != 0);
        let problem = raw.problem();
        for count in counts(&raw) {
            let Some(best) = raw.brute_force(count) else {
                continue;
            };
            for nodes in [0, 1, 2] {
                let s = MedianSolver::default()
                    .count(count)
                    .node_limit(nodes)
                    .solve(&problem)
                    .unwrap();
                let ctx = format!("seed {seed}, {count:?}, {nodes} node(s): {s:?}");
                assert!(s.bound <= best + 1e-6, "{ctx}: optimum {best}");
                assert!(s.bound <= s.cost + 1e-9, "{ctx}");
                assert!(s.nodes <= nodes, "{ctx}");
                if s.cost.is_finite() {
                    assert!(s.cost >= best - 1e-6, "{ctx}: beats the optimum {best}");
                    assert!(s.gap >= 0.0, "{ctx}");
                    let mut open = vec![false; raw.n];
                    s.open.iter().for_each(|&i| open[i] = true);
                    assert!(close(raw.cost(&open).unwrap(), s.cost), "{ctx}");
                }
            }
        }
    }
}

/// Points in the unit square, every vertex a facility and a customer.
fn euclidean(seed: u64, n: usize) -> Vec<Vec<Option<f64>>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pts: Vec<(f64, f64)> = (0..n)
        .map(|_| (rng.random_range(0.0..100.0), rng.random_range(0.0..100.0)))
        .collect();
    pts.iter()
        .map(|a| {
            pts.iter()
                .map(|b| Some(((a.0 - b.0).hypot(a.1 - b.1)).round()))
                .collect()
        })
        .collect()
}

#[test]
fn p_median_on_a_graph_equals_brute_force_and_needs_branching() {
    for seed in 0..4 {
        let d = euclidean(seed, 16);
        let problem = MedianProblem::from_matrix(&d).unwrap();
        for p in [2, 3] {
            let s = MedianSolver::p_median(p).solve(&problem).unwrap();
            let raw = Raw {
                n: 16,
                fixed: vec![0.0; 16],
                always: vec![false; 16],
                arcs: (0..16)
                    .map(|j| (0..16).map(|i| (i, d[i][j].unwrap())).collect())
                    .collect(),
            };
            let best = raw.brute_force(Count::Exactly(p)).unwrap();
            assert_eq!(s.cost, best, "seed {seed} p {p}");
            assert_eq!(s.status, Status::Optimal);
            assert_eq!(s.bound, best, "integer costs: the bound is rounded up");
            check(&raw, Count::Exactly(p), &s);
        }
    }
}

#[test]
fn the_same_input_gives_the_same_solution_byte_for_byte() {
    let d = euclidean(9, 40);
    let problem = MedianProblem::from_matrix(&d).unwrap();
    let run = |solver: &MedianSolver| {
        let mut s = solver.solve(&problem).unwrap();
        s.seconds = 0.0;
        serde_json::to_string(&s).unwrap()
    };
    for solver in [
        MedianSolver::p_median(4),
        MedianSolver::default()
            .count(Count::AtMost(6))
            .node_limit(3),
    ] {
        assert_eq!(run(&solver), run(&solver));
    }
}

#[test]
fn a_customer_with_no_arc_is_named_and_the_rest_solved() {
    let problem = MedianProblem::builder(2)
        .fixed_cost(0, 5.0)
        .fixed_cost(1, 5.0)
        .customer([(0, 1.0), (1, 9.0)])
        .customer([])
        .customer([(1, 1.0)])
        .build()
        .unwrap();
    let s = MedianSolver::ufl().solve(&problem).unwrap();
    assert!(s.status.is_infeasible());
    assert_eq!(s.uncovered, vec![1]);
    // Opening 1 alone: 5 + 9 + 1 = 15; both: 10 + 1 + 1 = 12.
    assert_eq!(s.open, vec![0, 1]);
    assert_eq!(s.cost, 12.0);
    assert_eq!(s.assignment, vec![Some(0), None, Some(1)]);
}

#[test]
fn always_open_facilities_serve_and_do_not_count() {
    // Facility 2 is a contract outlet, always open, dear but reaching everyone.
    let problem = MedianProblem::builder(3)
        .always_open(2)
        .fixed_cost(2, 1.0)
        .customer([(0, 1.0), (2, 10.0)])
        .customer([(1, 1.0), (2, 10.0)])
        .customer([(2, 3.0)])
        .build()
        .unwrap();
    let s = MedianSolver::p_median(1).solve(&problem).unwrap();
    assert_eq!(s.status, Status::Optimal);
    assert_eq!(s.open.len(), 2);
    assert!(s.open.contains(&2));
    assert_eq!(s.cost, 1.0 + 1.0 + 10.0 + 3.0);
    let s = MedianSolver::p_median(0).solve(&problem).unwrap();
    assert_eq!((s.open.clone(), s.cost), (vec![2], 24.0));
}

#[test]
fn p_zero_with_no_always_open_facility_is_infeasible() {
    let problem = MedianProblem::from_matrix(&[vec![Some(1.0)], vec![Some(2.0)]]).unwrap();
    let s = MedianSolver::p_median(0).solve(&problem).unwrap();
    assert!(s.status.is_infeasible());
    assert!(s.cost.is_infinite());
    assert!(s.uncovered.is_empty());
}

#[test]
fn a_target_gap_stops_within_it() {
    let d = euclidean(3, 30);
    let problem = MedianProblem::from_matrix(&d).unwrap();
    let exact = MedianSolver::p_median(3).solve(&problem).unwrap();
    let s = MedianSolver::p_median(3)
        .target_gap(0.05)
        .solve(&problem)
        .unwrap();
    assert!(s.gap <= 0.05 + 1e-12, "{s:?}");
    assert!(s.bound <= exact.cost && s.cost >= exact.cost);
}

#[test]
fn bad_numbers_and_indices_are_named() {
    let e = MedianProblem::builder(2)
        .fixed_cost(0, -1.0)
        .fixed_cost(5, 1.0)
        .always_open(7)
        .customer([(0, 1.0), (3, 1.0)])
        .customer([(1, f64::NAN)])
        .build()
        .unwrap_err();
    let got: Vec<(ProblemCode, &str, Option<u64>, &str)> = e
        .problems()
        .iter()
        .map(|p| (p.code, p.entity, p.id, p.field.as_str()))
        .collect();
    for want in [
        (ProblemCode::OutOfRange, "facility", Some(0), "fixed_cost"),
        (
            ProblemCode::DanglingReference,
            "facility",
            Some(5),
            "fixed_cost",
        ),
        (
            ProblemCode::DanglingReference,
            "facility",
            Some(7),
            "always_open",
        ),
        (
            ProblemCode::DanglingReference,
            "customer",
            Some(0),
            "arcs[1].facility",
        ),
        (ProblemCode::OutOfRange, "customer", Some(1), "arcs[0].cost"),
    ] {
        assert!(got.contains(&want), "{want:?} missing from {got:?}");
    }
    let e = MedianProblem::builder(0).build().unwrap_err();
    assert_eq!(e.problems()[0].code, ProblemCode::Empty);
    let e = MedianProblem::from_matrix(&[vec![Some(1.0)], vec![]]).unwrap_err();
    assert_eq!(e.problems()[0].code, ProblemCode::Shape);
    assert_eq!(e.problems()[0].id, Some(1));
}

#[test]
fn bad_solver_settings_are_typed_errors() {
    let problem = MedianProblem::builder(3)
        .always_open(0)
        .customer([(0, 1.0)])
        .build()
        .unwrap();
    let name = |r: servnet::Result<MedianSolution>| match r.unwrap_err().into_kind() {
        ErrorKind::Parameter { name, .. } => name,
        other => panic!("{other:?}"),
    };
    assert_eq!(name(MedianSolver::p_median(3).solve(&problem)), "p");
    assert_eq!(
        name(
            MedianSolver::default()
                .count(Count::AtMost(3))
                .solve(&problem)
        ),
        "p"
    );
    assert_eq!(
        name(MedianSolver::ufl().time_limit_s(0.0).solve(&problem)),
        "time_limit_s"
    );
    assert_eq!(
        name(MedianSolver::ufl().target_gap(-0.1).solve(&problem)),
        "target_gap"
    );
    assert!(MedianSolver::p_median(2).solve(&problem).is_ok());
    match problem.evaluate(&[4]).unwrap_err().into_kind() {
        ErrorKind::Parameter { name, .. } => assert_eq!(name, "open"),
        other => panic!("{other:?}"),
    }
    let e = problem.evaluate(&[1]).unwrap();
    assert_eq!((e.open, e.cost), (vec![0, 1], 1.0));
}

#[test]
fn a_pmed_file_becomes_a_problem_of_shortest_paths() {
    // A path 1 —1— 2 —2— 3 —3— 4: vertex 1 is 1 + 2 + 3 = 6 from vertex 4.
    let inst = servnet::io::orlib::read_pmed_str("4 3 2\n1 2 1\n2 3 2\n3 4 3\n", "path").unwrap();
    let problem = inst.to_problem().unwrap();
    assert_eq!((problem.facilities(), problem.customers()), (4, 4));
    assert_eq!(problem.arcs(3).find(|a| a.0 == 0), Some((0, 6.0)));
    // By hand: medians {2, 4} (0-based {1, 3}) cost 1 + 0 + 2 + 0 = 3.
    let s = MedianSolver::p_median(inst.p).solve(&problem).unwrap();
    assert_eq!(
        (s.open, s.cost, s.status),
        (vec![1, 3], 3.0, Status::Optimal)
    );
}

#[test]
fn a_time_limit_still_returns_a_solution_and_a_valid_bound() {
    let d = euclidean(5, 60);
    let problem = MedianProblem::from_matrix(&d).unwrap();
    let exact = MedianSolver::p_median(5).solve(&problem).unwrap();
    let s = MedianSolver::p_median(5)
        .time_limit_s(1e-9)
        .solve(&problem)
        .unwrap();
    assert!(matches!(s.status, Status::Optimal | Status::Feasible));
    assert!(s.cost >= exact.cost && s.bound <= exact.cost, "{s:?}");
    assert_eq!(s.open.len(), 5);
}

#[test]
fn the_mip_reference_equals_brute_force() {
    for seed in 0..40 {
        let raw = Raw::random(seed, seed % 2 == 0);
        let problem = raw.problem();
        for count in counts(&raw) {
            let ctx = format!("seed {seed}, {count:?}");
            match raw.brute_force(count) {
                // No open set within the count serves everyone: the MIP is infeasible.
                None => assert!(
                    MedianSolver::default()
                        .count(count)
                        .solve_mip(&problem)
                        .is_err_and(|e| e.to_string().contains("MIP")),
                    "{ctx}"
                ),
                Some(best) => {
                    let s = MedianSolver::default()
                        .count(count)
                        .solve_mip(&problem)
                        .unwrap();
                    assert!(close(s.cost, best), "{ctx}: {s:?}, brute force {best}");
                    assert!(s.bound <= best + 1e-6, "{ctx}");
                    check(&raw, count, &s);
                }
            }
        }
    }
}
