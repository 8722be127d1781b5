//! Capacitated facility location on OR-Library's cap61–64 and cap82 (read
//! from `../shared/benchmarks/orlib/cap`; skipped when absent).
//!
//! - `cfl/mip/{name}`: [`CflSolver`] to the proven optimum (checked optimal
//!   before timing).
//! - `cfl/greedy_drop/{name}`: the drop heuristic with its LP bound.

use criterion::{Criterion, criterion_group, criterion_main};
use servnet::assign::Status;
use servnet::io::orlib::read_cap_file;
use servnet::planning::cfl::{CflSolver, greedy_drop};
use std::hint::black_box;
use std::path::Path;

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks/orlib/cap");
    let mut group = c.benchmark_group("cfl");
    for name in ["cap61", "cap62", "cap63", "cap64", "cap82"] {
        let Ok(inst) = read_cap_file(dir.join(format!("{name}.txt"))) else {
            eprintln!("skipped {name}: no file in {}", dir.display());
            continue;
        };
        let p = inst.to_problem(None).expect("OR-Library instance is valid");
        let s = CflSolver::new().solve(&p).expect("solves");
        assert_eq!(s.status, Status::Optimal, "{name}");
        group.bench_function(format!("mip/{name}"), |b| {
            b.iter(|| CflSolver::new().solve(black_box(&p)).expect("solves"))
        });
        group.bench_function(format!("greedy_drop/{name}"), |b| {
            b.iter(|| greedy_drop(black_box(&p)).expect("solves"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
