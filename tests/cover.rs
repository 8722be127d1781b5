//! Covering solvers: set covering, maximal covering and p-center against
//! brute force over open sets on small random instances (with fixed-open
//! sites and customers out of reach), the MIP references against the same
//! brute force, bounds on the right side of every feasible value under any
//! node limit, determinism, and typed errors for bad input.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use servnet::assign::Status;
use servnet::planning::covering::{
    CoverProblem, CoverSolution, MaxCover, PCenter, SetCover, Spread, planar,
};
use servnet::{ErrorKind, ProblemCode};

/// A small instance: up to 7 sites, up to 9 customers, sparse whole-number
/// distances, some sites open already, costs including 0 and fractions.
fn random(seed: u64) -> CoverProblem {
    random_sized(seed, 7, 9)
}

/// A random instance with up to `sites` sites and `customers` customers.
fn random_sized(seed: u64, sites: usize, customers: usize) -> CoverProblem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let m = rng.random_range(1..=sites);
    let n = rng.random_range(0..=customers);
    let mut b = CoverProblem::builder(m);
    for s in 0..m {
        let cost = match rng.random_range(0..6) {
            0 => 0.0,
            1 => rng.random_range(0.5..4.0),
            k => f64::from(k),
        };
        b = b.site_cost(s, cost);
        if rng.random_bool(0.15) {
            b = b.fixed_open(s);
        }
    }
    for _ in 0..n {
        let mut arcs = Vec::new();
        for s in 0..m {
            if rng.random_bool(0.55) {
                arcs.push((s, f64::from(rng.random_range(0..20))));
            }
        }
        b = b.customer(f64::from(rng.random_range(0..10)), arcs);
    }
    b.build().expect("random instance is valid")
}

fn radius_for(seed: u64) -> f64 {
    f64::from(ChaCha8Rng::seed_from_u64(seed ^ 0xabc).random_range(0..20))
}

/// A p of 0 to 4, at most the sites that are not fixed open (more is an error).
fn p_for(seed: u64, p: &CoverProblem) -> usize {
    let free = p.fixed().iter().filter(|&&f| !f).count();
    ChaCha8Rng::seed_from_u64(seed ^ 0xdef)
        .random_range(0..5)
        .min(free)
}

/// A minimisation's solution against the optimum `best`: never better, the
/// bound never above it, and equal to it when the solver claims to be exact.
fn check_min_against(s: &CoverSolution, best: f64, exact: bool) {
    assert!(
        s.objective >= best - 1e-9,
        "beats the optimum {best}: {s:?}"
    );
    assert!(
        s.bound <= best + 1e-9,
        "bound above the optimum {best}: {s:?}"
    );
    if exact {
        assert!(close(s.objective, best), "optimum {best}: {s:?}");
    }
}

/// Every open set: the fixed sites plus each subset of the others.
fn open_sets(p: &CoverProblem) -> Vec<Vec<bool>> {
    let free: Vec<usize> = (0..p.sites()).filter(|&s| !p.fixed()[s]).collect();
    (0_u32..1 << free.len())
        .map(|mask| {
            let mut open = p.fixed().to_vec();
            for (k, &s) in free.iter().enumerate() {
                open[s] |= mask >> k & 1 == 1;
            }
            open
        })
        .collect()
}

fn free_count(p: &CoverProblem, open: &[bool]) -> usize {
    (0..p.sites()).filter(|&s| open[s] && !p.fixed()[s]).count()
}

fn within(p: &CoverProblem, j: usize, open: &[bool], r: f64) -> bool {
    p.arcs(j).iter().any(|&(s, d)| open[s as usize] && d <= r)
}

/// Set cover by brute force: the customers no site reaches, and the least
/// cost of new sites covering all the others.
fn brute_set_cover(p: &CoverProblem, r: f64) -> (Vec<usize>, f64) {
    let all = vec![true; p.sites()];
    let out: Vec<usize> = (0..p.customers())
        .filter(|&j| !within(p, j, &all, r))
        .collect();
    let best = open_sets(p)
        .into_iter()
        .filter(|o| (0..p.customers()).all(|j| out.contains(&j) || within(p, j, o, r)))
        .map(|o| {
            (0..p.sites())
                .filter(|&s| o[s] && !p.fixed()[s])
                .map(|s| p.site_costs()[s])
                .sum::<f64>()
        })
        .fold(f64::INFINITY, f64::min);
    (out, best)
}

fn weight_within(p: &CoverProblem, open: &[bool], r: f64) -> f64 {
    (0..p.customers())
        .filter(|&j| within(p, j, open, r))
        .map(|j| p.weights()[j])
        .sum()
}

/// Max cover by brute force over every open set of `min(k, free sites)` new sites.
fn brute_max_cover(p: &CoverProblem, r: f64, k: usize) -> f64 {
    let free = (0..p.sites()).filter(|&s| !p.fixed()[s]).count();
    open_sets(p)
        .into_iter()
        .filter(|o| free_count(p, o) == k.min(free))
        .map(|o| weight_within(p, &o, r))
        .fold(f64::NEG_INFINITY, f64::max)
}

/// The largest nearest-open distance over customers with arcs (infinite when one has none open).
fn worst(p: &CoverProblem, open: &[bool]) -> f64 {
    (0..p.customers())
        .filter(|&j| !p.arcs(j).is_empty())
        .map(|j| {
            p.arcs(j)
                .iter()
                .filter(|a| open[a.0 as usize])
                .map(|a| a.1)
                .fold(f64::INFINITY, f64::min)
        })
        .fold(0.0, f64::max)
}

fn brute_p_center(p: &CoverProblem, k: usize) -> f64 {
    let free = (0..p.sites()).filter(|&s| !p.fixed()[s]).count();
    open_sets(p)
        .into_iter()
        .filter(|o| free_count(p, o) == k.min(free))
        .map(|o| worst(p, &o))
        .fold(f64::INFINITY, f64::min)
}

fn flags(p: &CoverProblem, s: &CoverSolution) -> Vec<bool> {
    let mut open = vec![false; p.sites()];
    for &i in &s.open {
        open[i] = true;
    }
    open
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-6 * a.abs().max(1.0)
}

/// The common rules: open sorted, fixed sites open, gap matching.
fn check_shape(p: &CoverProblem, s: &CoverSolution) {
    assert!(s.open.windows(2).all(|w| w[0] < w[1]), "{s:?}");
    assert!((0..p.sites()).all(|i| !p.fixed()[i] || s.open.contains(&i)));
    assert!(s.uncovered.windows(2).all(|w| w[0] < w[1]));
    if s.status == Status::Optimal {
        assert!(close(s.objective, s.bound) && s.gap == 0.0, "{s:?}");
    }
}

fn check_set_cover(p: &CoverProblem, r: f64, s: &CoverSolution, exact: bool) {
    let (out, best) = brute_set_cover(p, r);
    check_shape(p, s);
    assert_eq!(s.uncovered, out, "{s:?}");
    let open = flags(p, s);
    for j in (0..p.customers()).filter(|j| !out.contains(j)) {
        assert!(within(p, j, &open, r), "customer {j} not covered: {s:?}");
    }
    let cost: f64 = (0..p.sites())
        .filter(|&i| open[i] && !p.fixed()[i])
        .map(|i| p.site_costs()[i])
        .sum();
    assert!(close(cost, s.objective), "{cost} vs {s:?}");
    check_min_against(s, best, exact);
    if !out.is_empty() {
        assert!(s.status.is_infeasible(), "{s:?}");
    } else if exact {
        assert_eq!(s.status, Status::Optimal, "{s:?}");
    }
}

fn check_max_cover(p: &CoverProblem, r: f64, k: usize, s: &CoverSolution, exact: bool) {
    let best = brute_max_cover(p, r, k);
    check_shape(p, s);
    let open = flags(p, s);
    let free = (0..p.sites()).filter(|&i| !p.fixed()[i]).count();
    assert_eq!(free_count(p, &open), k.min(free), "{s:?}");
    assert!(close(weight_within(p, &open, r), s.objective), "{s:?}");
    let uncovered: Vec<usize> = (0..p.customers())
        .filter(|&j| !within(p, j, &open, r))
        .collect();
    assert_eq!(s.uncovered, uncovered);
    assert!(
        s.objective <= best + 1e-9,
        "beats the optimum {best}: {s:?}"
    );
    assert!(
        s.bound >= best - 1e-9,
        "bound below the optimum {best}: {s:?}"
    );
    if exact {
        assert!(close(s.objective, best), "optimum {best}: {s:?}");
        assert_eq!(s.status, Status::Optimal);
    }
}

fn check_p_center(p: &CoverProblem, k: usize, s: &CoverSolution, exact: bool) {
    let best = brute_p_center(p, k);
    check_shape(p, s);
    let open = flags(p, s);
    let free = (0..p.sites()).filter(|&i| !p.fixed()[i]).count();
    assert_eq!(free_count(p, &open), k.min(free), "{s:?}");
    let no_arc: Vec<usize> = (0..p.customers())
        .filter(|&j| p.arcs(j).is_empty())
        .collect();
    if best.is_infinite() {
        assert!(s.status.is_infeasible(), "{s:?}");
        assert!(s.bound.is_infinite());
        return;
    }
    assert_eq!(s.uncovered, no_arc, "{s:?}");
    assert!(close(worst(p, &open), s.objective), "{s:?}");
    check_min_against(s, best, exact);
    if exact {
        if no_arc.is_empty() {
            assert_eq!(s.status, Status::Optimal);
        } else {
            assert!(s.status.is_infeasible());
        }
    }
}

/// Small instances, then larger ones (up to 12 sites and 18 customers) where the search branches.
fn instances() -> impl Iterator<Item = (u64, CoverProblem)> {
    (0..300)
        .map(|seed| (seed, random(seed)))
        .chain((300..420).map(|seed| (seed, random_sized(seed, 12, 18))))
}

#[test]
fn set_cover_equals_brute_force() {
    let mut nodes = 0;
    for (seed, p) in instances() {
        let r = radius_for(seed);
        let s = SetCover::new(r).solve(&p).expect("solves");
        check_set_cover(&p, r, &s, true);
        nodes += s.nodes;
        // The heuristics and the root bound alone: never better than the optimum.
        let s = SetCover::new(r).node_limit(0).solve(&p).expect("solves");
        check_set_cover(&p, r, &s, false);
    }
    assert!(nodes > 0);
}

/// Set-covering rows that the reductions leave alone: 14 sites, 22
/// customers each reached by 3 random sites, costs 1–3.
fn triples(seed: u64) -> CoverProblem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut b = CoverProblem::builder(14);
    for s in 0..14 {
        b = b.site_cost(s, f64::from(rng.random_range(1..=3)));
    }
    for _ in 0..22 {
        let mut sites: Vec<usize> = Vec::new();
        while sites.len() < 3 {
            let s = rng.random_range(0..14);
            if !sites.contains(&s) {
                sites.push(s);
            }
        }
        b = b.customer(1.0, sites.into_iter().map(|s| (s, 1.0)));
    }
    b.build().expect("valid")
}

#[test]
fn set_cover_branch_and_bound_equals_brute_force() {
    let mut nodes = 0;
    for seed in 0..40 {
        let p = triples(seed);
        let s = SetCover::new(1.0).solve(&p).expect("solves");
        check_set_cover(&p, 1.0, &s, true);
        nodes += s.nodes;
        for limit in [0, 2] {
            let s = SetCover::new(1.0)
                .node_limit(limit)
                .solve(&p)
                .expect("solves");
            check_set_cover(&p, 1.0, &s, false);
        }
        let k = 4;
        let s = MaxCover::new(1.0, k).solve(&p).expect("solves");
        check_max_cover(&p, 1.0, k, &s, true);
        nodes += s.nodes;
    }
    assert!(nodes > 80, "the search never branched ({nodes} nodes)");
}

#[test]
fn set_cover_bound_rises_with_the_node_limit_and_stays_below_the_optimum() {
    // Whole costs: the bound is raised one proven step at a time, so a
    // larger node limit never reports a smaller bound, and every bound is a
    // whole number at most the brute-force optimum.
    let mut rose = 0;
    for seed in 0..40 {
        let p = triples(seed);
        let (_, best) = brute_set_cover(&p, 1.0);
        let mut last = f64::NEG_INFINITY;
        for limit in 0..12 {
            let s = SetCover::new(1.0)
                .node_limit(limit)
                .solve(&p)
                .expect("solves");
            check_set_cover(&p, 1.0, &s, false);
            assert_eq!(s.bound.fract(), 0.0, "{s:?}");
            assert!(s.bound >= last, "bound fell from {last}: {s:?}");
            if last.is_finite() && s.bound > last {
                rose += 1;
            }
            last = s.bound;
        }
        let s = SetCover::new(1.0).solve(&p).expect("solves");
        assert!(close(s.bound, best) && s.bound >= last, "{s:?}");
    }
    assert!(rose > 0, "the bound never rose past the root's");
}

#[test]
fn max_cover_bound_falls_with_the_node_limit_and_stays_above_the_optimum() {
    // The bound is lowered by complete searches for better solutions: a
    // larger node limit never reports a larger bound, and none is below the
    // brute-force optimum.
    for seed in 0..40 {
        let p = triples(seed);
        let k = 4;
        let mut last = f64::INFINITY;
        for limit in 0..12 {
            let s = MaxCover::new(1.0, k)
                .node_limit(limit)
                .solve(&p)
                .expect("solves");
            check_max_cover(&p, 1.0, k, &s, false);
            assert!(s.bound <= last, "bound rose from {last}: {s:?}");
            last = s.bound;
        }
    }
}

#[test]
fn p_center_under_node_limits_keeps_a_valid_bound() {
    for seed in 300..360 {
        let p = random_sized(seed, 12, 18);
        let k = p_for(seed, &p);
        for limit in [1, 2, 5] {
            let s = PCenter::new(k).node_limit(limit).solve(&p).expect("solves");
            check_p_center(&p, k, &s, false);
        }
    }
}

#[test]
fn max_cover_equals_brute_force() {
    let mut nodes = 0;
    for (seed, p) in instances() {
        let (r, k) = (radius_for(seed), p_for(seed, &p));
        let s = MaxCover::new(r, k).solve(&p).expect("solves");
        check_max_cover(&p, r, k, &s, true);
        nodes += s.nodes;
        let s = MaxCover::new(r, k).node_limit(0).solve(&p).expect("solves");
        check_max_cover(&p, r, k, &s, false);
    }
    assert!(nodes > 420, "the search never branched ({nodes} nodes)");
}

#[test]
fn p_center_equals_brute_force() {
    for (seed, p) in instances() {
        let k = p_for(seed, &p);
        let s = PCenter::new(k).solve(&p).expect("solves");
        check_p_center(&p, k, &s, true);
        let s = PCenter::new(k).node_limit(0).solve(&p).expect("solves");
        check_p_center(&p, k, &s, false);
    }
}

#[test]
fn mip_references_equal_brute_force() {
    for seed in 0..60 {
        let p = random(seed);
        let (r, k) = (radius_for(seed), p_for(seed, &p));
        check_set_cover(&p, r, &SetCover::new(r).solve_mip(&p).expect("mip"), true);
        check_max_cover(
            &p,
            r,
            k,
            &MaxCover::new(r, k).solve_mip(&p).expect("mip"),
            true,
        );
        let s = PCenter::new(k).solve_mip(&p).expect("mip");
        if brute_p_center(&p, k).is_finite() {
            check_p_center(&p, k, &s, true);
        } else {
            assert!(s.status.is_infeasible());
        }
    }
}

#[test]
fn node_limits_keep_bounds_on_the_right_side() {
    // Larger instances where the search needs nodes; every stop point must
    // report a feasible solution and a valid bound.
    for seed in 0..6 {
        let p = planar(90, 1000.0, 260.0, Spread::Uniform, seed);
        for nodes in [0, 1, 3, 20] {
            let exact = SetCover::new(150.0).solve(&p).expect("solves");
            let s = SetCover::new(150.0)
                .node_limit(nodes)
                .solve(&p)
                .expect("solves");
            assert!(s.bound <= exact.objective + 1e-9 && s.objective >= exact.objective - 1e-9);
            assert!(s.nodes <= nodes.max(1) + 1, "{s:?}");
            let exact = MaxCover::new(120.0, 6).solve(&p).expect("solves");
            let s = MaxCover::new(120.0, 6)
                .node_limit(nodes)
                .solve(&p)
                .expect("solves");
            assert!(s.bound >= exact.objective - 1e-9 && s.objective <= exact.objective + 1e-9);
            let exact = PCenter::new(8).solve(&p).expect("solves");
            let s = PCenter::new(8).node_limit(nodes).solve(&p).expect("solves");
            assert!(s.bound <= exact.objective + 1e-9 && s.objective >= exact.objective - 1e-9);
            for s in [&exact, &s] {
                assert!(!s.status.is_infeasible());
            }
        }
    }
}

#[test]
fn planar_optima_agree_with_the_mip() {
    for seed in 0..3 {
        let p = planar(40, 600.0, 200.0, Spread::Clustered, seed);
        let s = SetCover::new(60.0).solve(&p).expect("solves");
        let m = SetCover::new(60.0).solve_mip(&p).expect("mip");
        assert_eq!((&s.status, &m.status), (&Status::Optimal, &Status::Optimal));
        assert!(close(s.objective, m.objective), "{s:?} {m:?}");
        let s = MaxCover::new(60.0, 4).solve(&p).expect("solves");
        let m = MaxCover::new(60.0, 4).solve_mip(&p).expect("mip");
        assert!(close(s.objective, m.objective), "{s:?} {m:?}");
    }
}

#[test]
fn same_input_same_output() {
    let p = planar(200, 3000.0, 400.0, Spread::Clustered, 11);
    let strip = |mut s: CoverSolution| {
        s.seconds = 0.0;
        serde_json::to_string(&s).expect("serialises")
    };
    for _ in 0..2 {
        let a = strip(
            SetCover::new(150.0)
                .node_limit(50)
                .solve(&p)
                .expect("solves"),
        );
        let b = strip(
            SetCover::new(150.0)
                .node_limit(50)
                .solve(&p)
                .expect("solves"),
        );
        assert_eq!(a, b);
        let a = strip(
            MaxCover::new(150.0, 20)
                .node_limit(50)
                .solve(&p)
                .expect("solves"),
        );
        let b = strip(
            MaxCover::new(150.0, 20)
                .node_limit(50)
                .solve(&p)
                .expect("solves"),
        );
        assert_eq!(a, b);
        let a = strip(PCenter::new(20).node_limit(50).solve(&p).expect("solves"));
        let b = strip(PCenter::new(20).node_limit(50).solve(&p).expect("solves"));
        assert_eq!(a, b);
    }
}

#[test]
fn bad_numbers_are_typed_errors_naming_field_and_index() {
    let e = CoverProblem::builder(2)
        .site_cost(1, -1.0)
        .site_cost(5, 1.0)
        .fixed_open(2)
        .customer(f64::NAN, [(0, 1.0)])
        .customer(1.0, [(0, 1.0), (3, 2.0), (1, f64::INFINITY)])
        .build()
        .expect_err("invalid");
    let got: Vec<(ProblemCode, &str, Option<u64>, &str)> = e
        .problems()
        .iter()
        .map(|p| (p.code, p.entity, p.id, p.field.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (ProblemCode::OutOfRange, "site", Some(1), "cost"),
            (ProblemCode::DanglingReference, "site", Some(5), "cost"),
            (
                ProblemCode::DanglingReference,
                "site",
                Some(2),
                "fixed_open"
            ),
            (ProblemCode::OutOfRange, "customer", Some(0), "weight"),
            (
                ProblemCode::DanglingReference,
                "customer",
                Some(1),
                "arcs[1].site"
            ),
            (
                ProblemCode::OutOfRange,
                "customer",
                Some(1),
                "arcs[2].distance"
            ),
        ]
    );
    let e = CoverProblem::builder(0).build().expect_err("no site");
    assert_eq!(e.problems()[0].code, ProblemCode::Empty);
}

#[test]
fn bad_parameters_are_typed_errors() {
    let p = CoverProblem::builder(1)
        .customer(1.0, [(0, 1.0)])
        .build()
        .expect("valid");
    let name = |r: servnet::Result<CoverSolution>| match r.expect_err("bad").into_kind() {
        ErrorKind::Parameter { name, .. } => name,
        k => panic!("not a parameter error: {k:?}"),
    };
    assert_eq!(name(SetCover::new(f64::NAN).solve(&p)), "radius");
    assert_eq!(name(MaxCover::new(-1.0, 1).solve(&p)), "radius");
    assert_eq!(
        name(SetCover::new(1.0).time_limit_s(0.0).solve(&p)),
        "time_limit_s"
    );
    assert_eq!(
        name(PCenter::new(1).target_gap(-0.1).solve(&p)),
        "target_gap"
    );
    assert_eq!(
        name(MaxCover::new(1.0, 1).time_limit_s(-2.0).solve_mip(&p)),
        "time_limit_s"
    );
    // One site: p = 2 is more than there are.
    assert_eq!(name(MaxCover::new(1.0, 2).solve(&p)), "p");
    assert_eq!(name(PCenter::new(2).solve(&p)), "p");
    assert_eq!(name(PCenter::new(2).solve_mip(&p)), "p");
}
