//! Time limits of every solver in `assign` and `plan`: any positive number
//! of seconds, however large (1e20, `f64::MAX`, infinity), means no deadline
//! in practice and never panics; NaN, zero and negative limits are parameter
//! errors naming the setting.

use servnet::assign::Status;
use servnet::assign::{AssignmentProblem, AssignmentSolver, Lagrangian, MipSolver, price_bound};
use servnet::planning::cfl::{CflProblem, CflSolver};
use servnet::planning::covering::{CoverProblem, MaxCover, PCenter, SetCover};
use servnet::planning::median::{MedianProblem, MedianSolver};
use servnet::{Error, ErrorKind};

const HUGE: [f64; 4] = [1e20, f64::MAX, f64::INFINITY, 1e9];
const BAD: [f64; 4] = [f64::NAN, 0.0, -1.0, f64::NEG_INFINITY];

fn named(e: &Error) -> &'static str {
    match e.kind() {
        ErrorKind::Parameter { name, .. } => name,
        other => panic!("expected a parameter error, got {other:?}"),
    }
}

fn gap() -> AssignmentProblem {
    AssignmentProblem::builder(3)
        .agents([7.0, 5.0])
        .edge(0, 0, 1.0, 3.0)
        .edge(0, 1, 2.0, 3.0)
        .edge(1, 0, 1.0, 3.0)
        .edge(1, 1, 4.0, 3.0)
        .edge(2, 0, 1.0, 4.0)
        .edge(2, 1, 3.0, 4.0)
        .build()
        .unwrap()
}

fn cfl() -> CflProblem {
    CflProblem::builder()
        .facility(10.0, 4.0)
        .facility(12.0, 10.0)
        .customer(3.0, [1.0, 5.0])
        .customer(3.0, [1.0, 5.0])
        .build()
        .unwrap()
}

fn median() -> MedianProblem {
    let d: Vec<Vec<Option<f64>>> = (0..4)
        .map(|i: i32| {
            (0..4)
                .map(|j: i32| Some(f64::from((i - j).abs())))
                .collect()
        })
        .collect();
    MedianProblem::from_matrix(&d).unwrap()
}

fn cover() -> CoverProblem {
    let site_km = [0.0, 10.0, 20.0];
    let mut b = CoverProblem::builder(3);
    for (x, people) in [(0.0, 5.0), (5.0, 1.0), (12.0, 2.0), (20.0, 3.0)] {
        b = b.customer(
            people,
            site_km
                .iter()
                .enumerate()
                .map(|(s, &y)| (s, f64::abs(x - y))),
        );
    }
    b.build().unwrap()
}

#[test]
fn assignment_solvers_take_any_positive_time_limit_as_no_deadline() {
    let p = gap();
    for t in HUGE {
        let s = Lagrangian::new().time_limit_s(t).solve(&p).unwrap();
        assert_eq!(
            (s.cost, s.status.clone()),
            (4.0, servnet::assign::Status::Optimal),
            "{t}"
        );
        let s = MipSolver::new().time_limit_s(t).solve(&p).unwrap();
        assert_eq!(
            (s.cost, s.status),
            (4.0, servnet::assign::Status::Optimal),
            "{t}"
        );
        let b = price_bound(&p, f64::INFINITY, u64::MAX, t);
        assert!(b <= 4.0 + 1e-9, "{t}: {b}");
    }
    for t in BAD {
        assert_eq!(
            named(&Lagrangian::new().time_limit_s(t).solve(&p).unwrap_err()),
            "time_limit_s"
        );
        assert_eq!(
            named(&MipSolver::new().time_limit_s(t).solve(&p).unwrap_err()),
            "time_limit_s"
        );
    }
}

#[test]
fn location_solvers_take_any_positive_time_limit_as_no_deadline() {
    let (c, m) = (cfl(), median());
    for t in HUGE {
        let s = CflSolver::new().time_limit_s(t).solve(&c).unwrap();
        assert_eq!(s.status, Status::Optimal, "{t}");
        assert!((s.cost - 22.0).abs() < 1e-6, "{t}: {}", s.cost);
        let solver = MedianSolver::p_median(2).time_limit_s(t);
        for s in [solver.solve(&m).unwrap(), solver.solve_mip(&m).unwrap()] {
            assert_eq!((s.status, s.cost), (Status::Optimal, 2.0), "{t}");
        }
    }
    for t in BAD {
        assert_eq!(
            named(&CflSolver::new().time_limit_s(t).solve(&c).unwrap_err()),
            "time_limit_s"
        );
        let solver = MedianSolver::p_median(2).time_limit_s(t);
        assert_eq!(named(&solver.solve(&m).unwrap_err()), "time_limit_s");
        assert_eq!(named(&solver.solve_mip(&m).unwrap_err()), "time_limit_s");
    }
}

#[test]
fn covering_solvers_take_any_positive_time_limit_as_no_deadline() {
    let p = cover();
    for t in HUGE {
        let sc = SetCover::new(8.0).time_limit_s(t);
        let mc = MaxCover::new(8.0, 1).time_limit_s(t);
        let pc = PCenter::new(1).time_limit_s(t);
        for s in [sc.solve(&p).unwrap(), sc.solve_mip(&p).unwrap()] {
            assert_eq!((s.status, s.objective), (Status::Optimal, 2.0), "{t}");
        }
        for s in [mc.solve(&p).unwrap(), mc.solve_mip(&p).unwrap()] {
            assert_eq!((s.status, s.objective), (Status::Optimal, 6.0), "{t}");
        }
        for s in [pc.solve(&p).unwrap(), pc.solve_mip(&p).unwrap()] {
            assert_eq!((s.status, s.objective), (Status::Optimal, 10.0), "{t}");
        }
    }
    for t in BAD {
        let sc = SetCover::new(8.0).time_limit_s(t);
        let mc = MaxCover::new(8.0, 1).time_limit_s(t);
        let pc = PCenter::new(1).time_limit_s(t);
        for e in [
            sc.solve(&p).unwrap_err(),
            sc.solve_mip(&p).unwrap_err(),
            mc.solve(&p).unwrap_err(),
            mc.solve_mip(&p).unwrap_err(),
            pc.solve(&p).unwrap_err(),
            pc.solve_mip(&p).unwrap_err(),
        ] {
            assert_eq!(named(&e), "time_limit_s", "{t}");
        }
    }
}
