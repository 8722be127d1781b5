//! Work limits: a run that a work or node limit ends gives the same answer,
//! byte for byte (all but the seconds), on every run and at any number of
//! threads — and every loop counts towards the limit, so such a run also
//! ends. (Time limits are checked by hand: timing tests are not allowed.)

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use servnet::assign::{AssignmentProblem, AssignmentSolver, Decomposed, Lagrangian, Status};

/// A generalized assignment problem like Chu and Beasley's type D (the hard
/// one): loads 1–100, costs falling with the load, capacities 80% of the
/// average load per agent.
fn type_d(agents: usize, jobs: usize, seed: u64) -> AssignmentProblem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut edges = Vec::new();
    let mut load_sum = vec![0.0; agents];
    for (i, sum) in load_sum.iter_mut().enumerate() {
        for j in 0..jobs {
            let load = f64::from(rng.random_range(1..=100));
            let cost = 111.0 - load + f64::from(rng.random_range(-10..=10));
            *sum += load;
            edges.push((j as u32, i as u32, cost, load));
        }
    }
    let mut b = AssignmentProblem::builder(jobs)
        .agents(load_sum.iter().map(|s| (0.8 * s / agents as f64).floor()));
    for (j, i, c, l) in edges {
        b = b.edge(j, i, c, l);
    }
    b.build().expect("valid by construction")
}

/// Two copies of a problem side by side: two independent parts for [`Decomposed`].
fn twice(p: &AssignmentProblem) -> AssignmentProblem {
    let (n, m) = (p.tasks() as u32, p.agents() as u32);
    let mut b = AssignmentProblem::builder(2 * p.tasks())
        .agents(p.capacities().iter().chain(p.capacities()).copied());
    for copy in 0..2 {
        for e in p.edges() {
            b = b.edge(e.task + copy * n, e.agent + copy * m, e.cost, e.load);
        }
    }
    b.build().expect("valid by construction")
}

/// A solution as JSON, with its `seconds` field zeroed.
fn bytes<T: Serialize>(s: &T) -> String {
    let mut v = serde_json::to_value(s).expect("serialises");
    if let Some(secs) = v.get_mut("seconds") {
        *secs = serde_json::json!(0.0);
    }
    v.to_string()
}

/// Runs `f` on a rayon pool of `threads` threads.
fn on_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a pool")
        .install(f)
}

#[test]
fn a_lagrangian_run_ended_by_its_work_limit_is_the_same_on_every_run_and_thread_count() {
    // Hard enough that the sensitivity tables and the search for each guessed
    // cost (the loops that once ignored the budget) are where the work goes.
    let p = type_d(40, 400, 1);
    let solver = Lagrangian::new()
        .time_limit_s(f64::INFINITY)
        .work_limit(3_000_000);
    let first = solver.solve(&p).unwrap();
    assert_ne!(
        first.status,
        Status::Optimal,
        "the work limit ends this run"
    );
    assert_eq!(p.evaluate(&first.agent_of), Ok(first.cost));
    assert!(first.lower_bound <= first.cost);
    let want = bytes(&first);
    for threads in [1, 2] {
        let s = on_threads(threads, || solver.solve(&p).unwrap());
        assert_eq!(bytes(&s), want, "{threads} thread(s)");
    }
    // Two copies solved in parallel give each part that same answer.
    let both = twice(&p);
    let decomposed = Decomposed::new(solver.clone());
    let one = on_threads(1, || decomposed.solve(&both).unwrap());
    let two = on_threads(2, || decomposed.solve(&both).unwrap());
    assert_eq!(bytes(&one), bytes(&two));
    assert_eq!(one.cost, 2.0 * first.cost);
}
