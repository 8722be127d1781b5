//! OR-Library GAP problems as assignment problems: sizes, signs, the way back
//! to the file's objective and bound, and the optimum against brute force.

use proptest::prelude::*;
use servnet::ErrorKind;
use servnet::assign::{AssignmentSolver, Lagrangian, MipSolver, Status};
use servnet::io::orlib::{GapInstance, MAX_EXACT, Sense, read_gap_str};

/// 2 agents, 3 jobs: costs 4 5 6 / 7 8 9, loads 2 2 2 / 1 3 1, capacities 4 3.
fn small() -> GapInstance {
    read_gap_str("1\n2 3\n4 5 6\n7 8 9\n2 2 2\n1 3 1\n4 3\n", "small")
        .expect("reads")
        .remove(0)
}

/// Every assignment of jobs to agents, as the agent of each job.
fn all_assignments(agents: usize, jobs: usize) -> impl Iterator<Item = Vec<usize>> {
    let count = agents.pow(jobs as u32);
    (0..count).map(move |mut code| {
        (0..jobs)
            .map(|_| {
                let a = code % agents;
                code /= agents;
                a
            })
            .collect()
    })
}

/// The best objective in the sense, by trying every assignment; `None` when none is feasible.
fn brute_force(g: &GapInstance, sense: Sense) -> Option<i64> {
    let objectives = all_assignments(g.agents, g.jobs).filter_map(|a| g.objective(&a));
    match sense {
        Sense::Minimize => objectives.min(),
        Sense::Maximize => objectives.max(),
    }
}

fn some(agents: &[usize]) -> Vec<Option<u32>> {
    agents.iter().map(|&a| Some(a as u32)).collect()
}

#[test]
fn jobs_become_tasks_and_agents_keep_their_capacities() {
    let g = small();
    let p = g.to_problem(Sense::Minimize).expect("builds");
    assert_eq!((p.tasks(), p.agents()), (3, 2));
    assert_eq!(p.capacities(), &[4.0, 3.0]);
    assert_eq!(p.edges().len(), 6);
    assert!(p.penalties().iter().all(Option::is_none));
    for e in p.edges() {
        let (i, j) = (e.agent as usize, e.task as usize);
        assert_eq!(e.cost, g.cost[i][j] as f64);
        assert_eq!(e.load, g.load[i][j] as f64);
    }
}

#[test]
fn maximising_negates_costs_and_nothing_else() {
    let g = small();
    let min = g.to_problem(Sense::Minimize).expect("builds");
    let max = g.to_problem(Sense::Maximize).expect("builds");
    assert_eq!(max.capacities(), min.capacities());
    for (a, b) in min.edges().iter().zip(max.edges()) {
        assert_eq!((a.task, a.agent, a.load), (b.task, b.agent, b.load));
        assert_eq!(b.cost, -a.cost);
    }
}

#[test]
fn evaluate_is_the_objective_up_to_sign() {
    let g = small();
    for sense in [Sense::Minimize, Sense::Maximize] {
        let p = g.to_problem(sense).expect("builds");
        for a in all_assignments(2, 3) {
            match (p.evaluate(&some(&a)), g.objective(&a)) {
                (Ok(cost), Some(objective)) => {
                    assert_eq!(sense.objective_of(cost), objective as f64, "{a:?}");
                    assert_eq!(g.objective_of_assignment(&some(&a)), Some(objective));
                }
                (Err(_), None) => {}
                (cost, objective) => panic!("{a:?}: evaluate {cost:?}, objective {objective:?}"),
            }
        }
        // Every job must be assigned.
        assert!(p.evaluate(&[Some(0), None, Some(1)]).is_err());
        assert_eq!(g.objective_of_assignment(&[Some(0), None, Some(1)]), None);
    }
}

#[test]
fn bounds_round_to_integers_on_the_valid_side() {
    assert_eq!(Sense::Minimize.bound_of(335.2), 336.0);
    assert_eq!(Sense::Minimize.bound_of(336.0), 336.0);
    assert_eq!(Sense::Minimize.bound_of(335.999_999_999_9), 336.0);
    assert_eq!(Sense::Minimize.bound_of(336.000_000_000_1), 336.0);
    assert_eq!(Sense::Minimize.bound_of(-12.5), -12.0);
    // Maximising, the solver's lower bound on −profit is an upper bound on the profit.
    assert_eq!(Sense::Maximize.bound_of(-336.8), 336.0);
    assert_eq!(Sense::Maximize.bound_of(-336.000_000_000_1), 336.0);
    assert_eq!(Sense::Maximize.bound_of(12.5), -13.0);
    let zero = Sense::Maximize.bound_of(0.0);
    assert!(zero == 0.0 && zero.is_sign_positive());
    // An infeasible problem's bound stays infinite, with the sense's sign.
    assert_eq!(Sense::Minimize.bound_of(f64::INFINITY), f64::INFINITY);
    assert_eq!(Sense::Maximize.bound_of(f64::INFINITY), f64::NEG_INFINITY);
    for sense in [Sense::Minimize, Sense::Maximize] {
        assert_eq!(sense.objective_of(sense.cost_of(42.0)), 42.0);
    }
}

#[test]
fn inconsistent_hand_built_instances_are_errors_not_panics() {
    let mut g = small();
    g.cost[1].pop();
    g.capacity.push(1);
    g.load.push(vec![1, 1, 1]);
    let err = g.to_problem(Sense::Minimize).unwrap_err();
    let fields: Vec<&str> = err.problems().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["cost", "load", "capacity"], "{err}");

    let mut g = small();
    g.agents = 7;
    assert!(matches!(
        g.to_problem(Sense::Minimize).unwrap_err().kind(),
        ErrorKind::Invalid(_)
    ));

    let mut g = small();
    g.cost[0][0] = MAX_EXACT + 1;
    g.capacity[1] = i64::MIN;
    let err = g.to_problem(Sense::Maximize).unwrap_err();
    let fields: Vec<&str> = err.problems().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["cost", "capacity"], "{err}");
    g.cost[0][0] = MAX_EXACT;
    g.capacity[1] = 3;
    assert!(g.to_problem(Sense::Maximize).is_ok());

    // A negative load is refused by the problem builder.
    let mut g = small();
    g.load[0][2] = -1;
    assert!(matches!(
        g.to_problem(Sense::Minimize).unwrap_err().kind(),
        ErrorKind::Invalid(_)
    ));
}

fn instance() -> impl Strategy<Value = GapInstance> {
    (1usize..4, 1usize..6).prop_flat_map(|(m, n)| {
        (
            proptest::collection::vec(proptest::collection::vec(-20i64..50, n), m),
            proptest::collection::vec(proptest::collection::vec(0i64..10, n), m),
            proptest::collection::vec(0i64..25, m),
        )
            .prop_map(move |(cost, load, capacity)| GapInstance {
                agents: m,
                jobs: n,
                cost,
                load,
                capacity,
            })
    })
}

fn sense() -> impl Strategy<Value = Sense> {
    prop_oneof![Just(Sense::Minimize), Just(Sense::Maximize)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn evaluate_agrees_with_the_file_objective(g in instance(), sense in sense(), code in 0usize..1000) {
        let p = g.to_problem(sense).expect("builds");
        let a: Vec<usize> = (0..g.jobs).map(|j| (code >> j) % g.agents).collect();
        match (p.evaluate(&some(&a)), g.objective(&a)) {
            (Ok(cost), Some(objective)) => prop_assert_eq!(sense.objective_of(cost), objective as f64),
            (Err(_), None) => {}
            (cost, objective) => prop_assert!(false, "evaluate {:?}, objective {:?}", cost, objective),
        }
    }

    #[test]
    fn the_solvers_find_the_brute_force_optimum(g in instance(), sense in sense()) {
        let problem = g.to_problem(sense).expect("builds");
        let solvers: [Box<dyn AssignmentSolver>; 2] =
            [Box::new(MipSolver::new()), Box::new(Lagrangian::new())];
        for solver in &solvers {
            let s = solver.solve(&problem).expect("solves");
            let name = solver.name();
            match brute_force(&g, sense) {
                None => prop_assert!(matches!(s.status, Status::Infeasible(_)), "{}: {:?}", name, s.status),
                Some(best) => {
                    prop_assert_eq!(&s.status, &Status::Optimal, "{}", name);
                    prop_assert_eq!(g.objective_of_assignment(&s.agent_of), Some(best), "{}", name);
                    prop_assert_eq!(sense.objective_of(s.cost), best as f64, "{}", name);
                    prop_assert_eq!(sense.bound_of(s.lower_bound), best as f64, "{}", name);
                }
            }
        }
    }
}
