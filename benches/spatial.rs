//! Benchmarks for `servnet::spatial`.
//!
//! The crate promises: "100,000 queries for the 8 nearest eligible
//! technicians among 10,000 in ≤ 0.3 s on one core". `k8_eligible_of_10k`
//! measures exactly that batch as one iteration, on synthetic but realistic
//! data: technicians and queries clustered around ~300 weighted city centres
//! over mainland China, skills as a side table (1–4 of 8 product categories,
//! level Basic 70% / Advanced 25% / Expert 5%), each query asking for one
//! category at a required level.
//!
//! Two ways to answer are measured:
//! * `100k_queries`: one `GeoIndex` of all technicians, the filter checks the
//!   side table;
//! * `100k_queries_keyed`: a `KeyedGeoIndex` keyed by (category, level), each
//!   technician registered under every (category, level ≤ own level) it
//!   qualifies for, so a query only walks eligible technicians.

use std::f64::consts::TAU;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use geo::Point;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use servnet::spatial::{GeoIndex, KeyedGeoIndex};

const CATEGORIES: u8 = 8;
const K: usize = 8;

/// Skills of one technician.
#[derive(Clone, Copy)]
struct Skills {
    /// Bit `c` set if the technician handles product category `c`.
    categories: u8,
    /// 0 = Basic, 1 = Advanced, 2 = Expert.
    level: u8,
}

/// A query: a place, a category and a minimum level.
#[derive(Clone, Copy)]
struct Query {
    at: Point<f64>,
    category: u8,
    min_level: u8,
}

/// City centres with population-like weights (cumulative, for sampling).
struct Cities {
    centres: Vec<Point<f64>>,
    cumulative: Vec<f64>,
}

impl Cities {
    fn new(rng: &mut ChaCha8Rng, n: usize) -> Self {
        let centres = (0..n)
            .map(|_| {
                // Denser towards the east and south, as China's population is.
                let lon = 134.0 - 59.0 * rng.random::<f64>().powf(1.8);
                let lat = 18.0 + 35.0 * rng.random::<f64>().powf(1.3);
                Point::new(lon, lat)
            })
            .collect();
        // Zipf-like city sizes.
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|i| {
                total += 1.0 / (i as f64 + 1.0).powf(0.8);
                total
            })
            .collect();
        Self {
            centres,
            cumulative,
        }
    }

    /// A point near a random city (Gaussian spread of `sigma_deg`), kept in
    /// the lon 75–134, lat 18–53 box.
    fn sample(&self, rng: &mut ChaCha8Rng, sigma_deg: f64) -> Point<f64> {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let r = rng.random::<f64>() * total;
        let i = self
            .cumulative
            .partition_point(|&c| c < r)
            .min(self.centres.len() - 1);
        let c = self.centres[i];
        let (dx, dy) = gaussian_pair(rng);
        Point::new(
            (c.x() + sigma_deg * dx).clamp(75.0, 134.0),
            (c.y() + sigma_deg * dy).clamp(18.0, 53.0),
        )
    }
}

/// Two independent standard normal deviates (Box–Muller).
fn gaussian_pair(rng: &mut ChaCha8Rng) -> (f64, f64) {
    let u1 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2 = rng.random::<f64>();
    let r = (-2.0 * u1.ln()).sqrt();
    (r * (TAU * u2).cos(), r * (TAU * u2).sin())
}

/// Basic 70%, Advanced 25%, Expert 5%.
fn random_level(rng: &mut ChaCha8Rng) -> u8 {
    match rng.random_range(0..100) {
        0..70 => 0,
        70..95 => 1,
        _ => 2,
    }
}

struct Scenario {
    technicians: Vec<(Point<f64>, u32)>,
    skills: Vec<Skills>,
    queries: Vec<Query>,
}

fn scenario(seed: u64, n_technicians: usize, n_queries: usize) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let cities = Cities::new(&mut rng, 300);
    let mut technicians = Vec::with_capacity(n_technicians);
    let mut skills = Vec::with_capacity(n_technicians);
    for id in 0..n_technicians {
        technicians.push((cities.sample(&mut rng, 0.25), id as u32));
        let wanted = rng.random_range(1..=4);
        let mut categories = 0_u8;
        while categories.count_ones() < wanted {
            categories |= 1 << rng.random_range(0..CATEGORIES);
        }
        skills.push(Skills {
            categories,
            level: random_level(&mut rng),
        });
    }
    let queries = (0..n_queries)
        .map(|_| Query {
            at: cities.sample(&mut rng, 0.4),
            category: rng.random_range(0..CATEGORIES),
            min_level: random_level(&mut rng),
        })
        .collect();
    Scenario {
        technicians,
        skills,
        queries,
    }
}

fn eligible(skills: &[Skills], tech: u32, q: &Query) -> bool {
    skills
        .get(tech as usize)
        .is_some_and(|s| s.categories & (1 << q.category) != 0 && s.level >= q.min_level)
}

fn build_plain(s: &Scenario) -> GeoIndex<u32> {
    GeoIndex::new(s.technicians.iter().copied())
}

fn build_keyed(s: &Scenario) -> KeyedGeoIndex<(u8, u8), u32> {
    KeyedGeoIndex::new(s.technicians.iter().flat_map(|&(at, id)| {
        let sk = s.skills[id as usize];
        (0..CATEGORIES)
            .filter(move |c| sk.categories & (1 << c) != 0)
            .flat_map(move |c| (0..=sk.level).map(move |l| ((c, l), at, id)))
    }))
}

/// Runs every query on the plain index; returns a checksum of the answers.
fn run_plain(index: &GeoIndex<u32>, s: &Scenario, out: &mut Vec<(u32, f64)>) -> u64 {
    let mut sum = 0_u64;
    for q in &s.queries {
        index.k_nearest_where_into(q.at, K, f64::INFINITY, |&t| eligible(&s.skills, t, q), out);
        sum += out.iter().map(|&(t, _)| u64::from(t)).sum::<u64>();
    }
    sum
}

/// Runs every query on the keyed index; returns a checksum of the answers.
fn run_keyed(index: &KeyedGeoIndex<(u8, u8), u32>, s: &Scenario, out: &mut Vec<(u32, f64)>) -> u64 {
    let mut sum = 0_u64;
    for q in &s.queries {
        index.k_nearest_where_into(
            &(q.category, q.min_level),
            q.at,
            K,
            f64::INFINITY,
            |_| true,
            out,
        );
        sum += out.iter().map(|&(t, _)| u64::from(t)).sum::<u64>();
    }
    sum
}

fn k8_eligible_of_10k(c: &mut Criterion) {
    let s = scenario(2024, 10_000, 100_000);
    let plain = build_plain(&s);
    let keyed = build_keyed(&s);
    let mut out = Vec::with_capacity(64);
    // Both structures must give identical answers.
    assert_eq!(
        run_plain(&plain, &s, &mut out),
        run_keyed(&keyed, &s, &mut out)
    );

    let mut group = c.benchmark_group("k8_eligible_of_10k");
    group.sample_size(10);
    group.throughput(Throughput::Elements(s.queries.len() as u64));
    group.bench_function("100k_queries", |b| {
        b.iter(|| black_box(run_plain(&plain, &s, &mut out)));
    });
    group.bench_function("100k_queries_keyed", |b| {
        b.iter(|| black_box(run_keyed(&keyed, &s, &mut out)));
    });
    group.finish();
}

fn k8_eligible_sweep(c: &mut Criterion) {
    let mut group = c.benchmark_group("k8_eligible_10k_queries");
    group.sample_size(10);
    group.throughput(Throughput::Elements(10_000));
    for n in [1_000, 10_000, 50_000] {
        let s = scenario(7 + n as u64, n, 10_000);
        let plain = build_plain(&s);
        let keyed = build_keyed(&s);
        let mut out = Vec::with_capacity(64);
        group.bench_with_input(BenchmarkId::new("plain", n), &s, |b, s| {
            b.iter(|| black_box(run_plain(&plain, s, &mut out)));
        });
        group.bench_with_input(BenchmarkId::new("keyed", n), &s, |b, s| {
            b.iter(|| black_box(run_keyed(&keyed, s, &mut out)));
        });
    }
    group.finish();
}

fn build(c: &mut Criterion) {
    let s = scenario(11, 10_000, 0);
    let mut group = c.benchmark_group("build_10k");
    group.sample_size(20);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("plain", |b| b.iter(|| black_box(build_plain(&s))));
    group.bench_function("keyed", |b| b.iter(|| black_box(build_keyed(&s))));
    group.finish();
}

/// The same promise on the crate's own data and API: a generated national
/// network of 10,000 technicians, its 100,000 requests as queries, each for
/// the 8 nearest technicians covering all of the request's categories at its
/// level ([`servnet::dispatch::TechnicianIndex`]).
fn technician_index_national(c: &mut Criterion) {
    use servnet::dispatch::{Eligibility, TechnicianIndex};
    use servnet::generate::{Generator, Preset};
    let day = Generator::new(Preset::National)
        .requests(100_000)
        .technicians(10_000)
        .seed(7)
        .build()
        .expect("generated day");
    let queries: Vec<_> = day
        .requests()
        .iter()
        .map(|r| (r.location, Eligibility::for_request(r)))
        .collect();
    let index = TechnicianIndex::new(&day);
    let mut group = c.benchmark_group("technician_index");
    group.sample_size(10);
    group.throughput(Throughput::Elements(queries.len() as u64));
    group.bench_function("k8_of_10k_national/100k_queries", |b| {
        b.iter(|| {
            let mut found = 0usize;
            for (at, e) in &queries {
                found += index.nearest(*at, 8, e).len();
            }
            black_box(found)
        })
    });
    group.bench_function("build_10k", |b| {
        b.iter(|| black_box(TechnicianIndex::new(&day)))
    });
    group.finish();
}

criterion_group!(
    benches,
    k8_eligible_of_10k,
    k8_eligible_sweep,
    build,
    technician_index_national
);
criterion_main!(benches);
