//! Work limits: a run that a work or node limit ends gives the same answer,
//! byte for byte (all but the seconds), on every run and at any number of
//! threads — and every loop counts towards the limit, so such a run also
//! ends. (Time limits are checked in `reliability.rs`.)

mod common;

use common::type_d;
use serde::Serialize;
use servnet::assign::{AssignmentProblem, AssignmentSolver, Decomposed, Lagrangian, Status};

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
