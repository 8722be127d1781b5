//! Property tests of `servnet::spatial` against brute force over
//! `great_circle_km`, on point sets that stress the poles, the antimeridian,
//! dense clusters and exact duplicates.

use geo::Point;
use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, RngSeed};
use servnet::spatial::{EARTH_RADIUS_KM, GeoIndex, KeyedGeoIndex, great_circle_km};

/// Fixed seed, no regression files: the run is reproducible and fast.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(0x5e7_1e7),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Tolerance (km) when comparing a distance near `d` km: index distances
/// come from 3D chords, brute force from haversine.
fn tol(d: f64) -> f64 {
    1e-9 * d.abs() + 1e-9
}

fn point() -> impl Strategy<Value = Point<f64>> {
    prop_oneof![
        // Anywhere.
        (-180.0..=180.0_f64, -90.0..=90.0_f64),
        // Polar caps, including the poles themselves.
        (-180.0..=180.0_f64, 88.0..=90.0_f64),
        (-180.0..=180.0_f64, -90.0..=-88.0_f64),
        (Just(0.0), Just(90.0)),
        (-180.0..=180.0_f64, Just(-90.0)),
        // Straddling the antimeridian, with both spellings of 180.
        (179.0..=180.0_f64, -5.0..=5.0_f64),
        (-180.0..=-179.0_f64, -5.0..=5.0_f64),
        (prop_oneof![Just(180.0), Just(-180.0)], -5.0..=5.0_f64),
        // Longitudes outside [-180, 180] wrap around.
        (180.0..=540.0_f64, -5.0..=5.0_f64),
        // A dense cluster (sub-metre spacing) near Beijing.
        (0.0..1.0_f64, 0.0..1.0_f64).prop_map(|(a, b)| (116.4 + 1e-5 * a, 39.9 + 1e-5 * b)),
    ]
    .prop_map(|(lon, lat)| Point::new(lon, lat))
}

/// Points, each repeated at an earlier position with some probability so
/// that exact ties occur. Payload = position in the vector.
fn point_set(max: usize) -> impl Strategy<Value = Vec<Point<f64>>> {
    (
        prop::collection::vec(point(), 0..max),
        prop::collection::vec(any::<prop::sample::Index>(), 0..max / 4),
    )
        .prop_map(|(mut pts, dups)| {
            if !pts.is_empty() {
                for d in dups {
                    pts.push(pts[d.index(pts.len())]);
                }
            }
            pts
        })
}

fn max_km() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::INFINITY),
        0.0..30.0_f64,
        0.0..3_000.0_f64,
        0.0..21_000.0_f64,
        Just(0.0),
    ]
}

/// A filter accepting payload `t` iff bit `t % 64` of `mask` is set
/// (`mask == u64::MAX` accepts everything).
fn mask() -> impl Strategy<Value = u64> {
    prop_oneof![Just(u64::MAX), any::<u64>(), Just(0)]
}

fn passes(mask: u64, t: u32) -> bool {
    (mask >> (t % 64)) & 1 == 1
}

fn build(pts: &[Point<f64>]) -> GeoIndex<u32> {
    GeoIndex::new(pts.iter().enumerate().map(|(i, &p)| (p, i as u32)))
}

/// Brute force: every item passing the filter with its haversine distance,
/// sorted by (distance, payload).
fn brute(pts: &[Point<f64>], q: Point<f64>, mask: u64) -> Vec<(u32, f64)> {
    let mut all: Vec<(u32, f64)> = pts
        .iter()
        .enumerate()
        .map(|(i, &p)| (i as u32, great_circle_km(q, p)))
        .filter(|&(t, _)| passes(mask, t))
        .collect();
    all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    all
}

/// Checks invariants every result list must satisfy: sorted by distance
/// then payload, no repeated payload, filter respected, and distances that
/// agree with `great_circle_km`.
fn check_result_list(got: &[(u32, f64)], pts: &[Point<f64>], q: Point<f64>, mask: u64) {
    for w in got.windows(2) {
        assert!(
            w[0].1 < w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0),
            "not sorted by (km, payload): {w:?}"
        );
    }
    let mut ids: Vec<u32> = got.iter().map(|r| r.0).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), got.len(), "repeated payload");
    for &(t, km) in got {
        assert!(passes(mask, t), "filter ignored for {t}");
        let exact = great_circle_km(q, pts[t as usize]);
        assert!(
            (km - exact).abs() <= tol(exact),
            "item {t}: index says {km} km, great_circle_km {exact} km"
        );
    }
}

/// Compares a k-nearest answer with brute force, modulo distance ties at the
/// cut-offs (the k-th place and `max_km`).
fn check_k_nearest(
    got: &[(u32, f64)],
    pts: &[Point<f64>],
    q: Point<f64>,
    k: usize,
    max_km: f64,
    mask: u64,
) {
    check_result_list(got, pts, q, mask);
    let all = brute(pts, q, mask);
    for &(_, km) in got {
        assert!(km <= max_km, "{km} km beyond the cap {max_km}");
    }
    let surely_in = all.iter().filter(|r| r.1 < max_km - tol(max_km)).count();
    let maybe_in = all.iter().filter(|r| r.1 <= max_km + tol(max_km)).count();
    assert!(
        k.min(surely_in) <= got.len() && got.len() <= k.min(maybe_in),
        "got {} items; k = {k}, surely {surely_in}, maybe {maybe_in}",
        got.len()
    );
    // Distances agree position by position.
    for (g, b) in got.iter().zip(&all) {
        assert!(
            (g.1 - b.1).abs() <= tol(b.1),
            "distance sequence differs: {g:?} vs {b:?}"
        );
    }
    // Items strictly before the last distance (beyond rounding) are forced.
    if let Some(&(_, last)) = got.last() {
        let cut = last - tol(last);
        let mut g: Vec<u32> = got.iter().filter(|r| r.1 < cut).map(|r| r.0).collect();
        let mut b: Vec<u32> = all.iter().filter(|r| r.1 < cut).map(|r| r.0).collect();
        g.sort_unstable();
        b.sort_unstable();
        assert_eq!(g, b, "items clearly nearer than the last one differ");
    }
}

proptest! {
    #![proptest_config(config(160))]

    #[test]
    fn k_nearest_matches_brute_force(
        pts in point_set(120),
        q in point(),
        k in 0_usize..12,
        max_km in max_km(),
        mask in mask(),
    ) {
        let index = build(&pts);
        prop_assert_eq!(index.len(), pts.len());
        let got = index.k_nearest_where(q, k, max_km, |&t| passes(mask, t));
        check_k_nearest(&got, &pts, q, k, max_km, mask);

        // The buffer variant gives the same answer, whatever was in it.
        let mut out = vec![(999_u32, -1.0)];
        index.k_nearest_where_into(q, k, max_km, |&t| passes(mask, t), &mut out);
        prop_assert_eq!(&out, &got);

        // Deterministic: same items, other insertion order, same answer.
        let mut reversed = GeoIndex::default();
        for (i, &p) in pts.iter().enumerate().rev() {
            reversed.insert(p, i as u32).unwrap();
        }
        prop_assert_eq!(
            reversed.k_nearest_where(q, k, max_km, |&t| passes(mask, t)),
            got.clone()
        );

        // nearest_where is the first of k_nearest_where.
        let first = index.k_nearest_where(q, 1, max_km, |&t| passes(mask, t));
        prop_assert_eq!(
            index.nearest_where(q, max_km, |&t| passes(mask, t)),
            first.first().copied()
        );
    }

    #[test]
    fn within_radius_matches_brute_force(
        pts in point_set(120),
        q in point(),
        radius in max_km(),
        mask in mask(),
    ) {
        let index = build(&pts);
        let got = index.within_radius_where(q, radius, |&t| passes(mask, t));
        check_result_list(&got, &pts, q, mask);
        for &(_, km) in &got {
            prop_assert!(km <= radius);
        }
        let all = brute(&pts, q, mask);
        let got_ids: Vec<u32> = got.iter().map(|r| r.0).collect();
        for &(t, km) in &all {
            if km < radius - tol(radius) {
                prop_assert!(got_ids.contains(&t), "missing {} at {} km (r = {})", t, km, radius);
            }
            if km > radius + tol(radius) {
                prop_assert!(!got_ids.contains(&t), "extra {} at {} km (r = {})", t, km, radius);
            }
        }
        let mut out = Vec::new();
        index.within_radius_where_into(q, radius, |&t| passes(mask, t), &mut out);
        prop_assert_eq!(out, got);
    }

    #[test]
    fn nearest_iter_yields_everything_once_in_order(pts in point_set(120), q in point()) {
        let index = build(&pts);
        let seq: Vec<(u32, f64)> = index.nearest_iter(q).collect();
        prop_assert_eq!(seq.len(), pts.len());
        for w in seq.windows(2) {
            prop_assert!(w[0].1 <= w[1].1, "decreasing: {:?}", w);
        }
        let mut ids: Vec<u32> = seq.iter().map(|r| r.0).collect();
        ids.sort_unstable();
        prop_assert_eq!(ids, (0..pts.len() as u32).collect::<Vec<_>>());
        for &(t, km) in &seq {
            let exact = great_circle_km(q, pts[t as usize]);
            prop_assert!((km - exact).abs() <= tol(exact), "{} vs {}", km, exact);
        }
    }

    #[test]
    fn remove_hides_and_insert_reveals(
        pts in point_set(80),
        victims in prop::collection::vec(any::<prop::sample::Index>(), 1..10),
        q in point(),
        spell_plus_360 in any::<bool>(),
    ) {
        prop_assume!(!pts.is_empty());
        let mut index = build(&pts);
        let mut removed: Vec<u32> = Vec::new();
        for v in &victims {
            let t = v.index(pts.len()) as u32;
            let p = pts[t as usize];
            // Equivalent spelling of the same place must match too.
            let p = if spell_plus_360 { Point::new(p.x() + 360.0, p.y()) } else { p };
            let was_there = !removed.contains(&t);
            prop_assert_eq!(index.remove(p, t), was_there);
            if was_there {
                removed.push(t);
            }
        }
        prop_assert_eq!(index.len(), pts.len() - removed.len());
        let everything = index.k_nearest_where(q, pts.len(), f64::INFINITY, |_| true);
        prop_assert_eq!(everything.len(), pts.len() - removed.len());
        for t in &removed {
            prop_assert!(everything.iter().all(|r| r.0 != *t));
            prop_assert!(index.nearest_iter(q).all(|r| r.0 != *t));
            prop_assert!(index
                .within_radius_where(q, f64::INFINITY, |_| true)
                .iter()
                .all(|r| r.0 != *t));
            prop_assert_eq!(index.nearest_where(q, f64::INFINITY, |x| x == t), None);
        }
        // Put them back: each one is found again, at its own distance.
        for &t in &removed {
            index.insert(pts[t as usize], t).unwrap();
            let found = index.nearest_where(q, f64::INFINITY, |&x| x == t);
            let exact = great_circle_km(q, pts[t as usize]);
            prop_assert!(found.is_some_and(|(x, km)| x == t && (km - exact).abs() <= tol(exact)));
        }
        prop_assert_eq!(index.len(), pts.len());
    }

    #[test]
    fn keyed_index_equals_filtered_plain_index(
        pts in point_set(100),
        keys in prop::collection::vec(0_u8..4, 100 + 25),
        q in point(),
        k in 1_usize..10,
        max_km in max_km(),
    ) {
        let key_of = |t: u32| keys[t as usize % keys.len()];
        let plain = build(&pts);
        let keyed: KeyedGeoIndex<u8, u32> = pts
            .iter()
            .enumerate()
            .map(|(i, &p)| (key_of(i as u32), p, i as u32))
            .collect();
        prop_assert_eq!(keyed.len(), pts.len());
        for key in 0..5_u8 {
            prop_assert_eq!(
                keyed.k_nearest_where(&key, q, k, max_km, |_| true),
                plain.k_nearest_where(q, k, max_km, |&t| key_of(t) == key)
            );
        }
    }

    #[test]
    fn garbage_coordinates_never_panic(
        raw in prop::collection::vec(
            (proptest::num::f64::ANY, proptest::num::f64::ANY), 0..40),
        q in (proptest::num::f64::ANY, proptest::num::f64::ANY),
        k in 0_usize..5,
        km in proptest::num::f64::ANY,
    ) {
        let valid = |lon: f64, lat: f64| lon.is_finite() && (-90.0..=90.0).contains(&lat);
        let pts: Vec<Point<f64>> = raw.iter().map(|&(x, y)| Point::new(x, y)).collect();
        let mut index = build(&pts);
        let n_valid = raw.iter().filter(|&&(x, y)| valid(x, y)).count();
        prop_assert_eq!(index.len(), n_valid);
        prop_assert_eq!(index.skipped_invalid(), raw.len() - n_valid);

        let q = Point::new(q.0, q.1);
        let got = index.k_nearest_where(q, k, km, |_| true);
        let _ = index.within_radius_where(q, km, |_| true);
        let _ = index.nearest_where(q, km, |_| true);
        let seq: Vec<_> = index.nearest_iter(q).collect();
        if !valid(q.x(), q.y()) {
            prop_assert!(got.is_empty() && seq.is_empty());
        }
        // Invalid items are never returned; distances are finite.
        for (t, d) in got.into_iter().chain(seq) {
            let (x, y) = raw[t as usize];
            prop_assert!(valid(x, y) && d.is_finite() && d >= 0.0);
        }
        prop_assert_eq!(index.insert(q, 0).is_ok(), valid(q.x(), q.y()));
        let _ = index.remove(q, 0);
        let _ = great_circle_km(q, Point::new(0.0, 0.0));
    }
}

#[test]
fn great_circle_known_values() {
    let beijing = Point::new(116.4074, 39.9042);
    let shanghai = Point::new(121.4737, 31.2304);
    let d = great_circle_km(beijing, shanghai);
    assert!((d - 1067.0).abs() <= 5.0, "Beijing–Shanghai {d}");
    assert_eq!(great_circle_km(shanghai, beijing), d);

    let d = great_circle_km(Point::new(179.9, 0.0), Point::new(-179.9, 0.0));
    assert!((d - 22.239).abs() <= 0.01, "across the antimeridian {d}");

    let d = great_circle_km(Point::new(0.0, 90.0), Point::new(0.0, -90.0));
    assert!((d - 20015.1).abs() <= 0.1, "pole to pole {d}");
    assert!((d - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-9);

    assert_eq!(great_circle_km(beijing, beijing), 0.0);
    // Every meridian meets at the pole.
    let d = great_circle_km(Point::new(-120.0, 90.0), Point::new(33.0, 90.0));
    assert!(d.abs() < 1e-6);
}

#[test]
fn index_agrees_with_great_circle_on_known_pairs() {
    let index = GeoIndex::new([
        (Point::new(121.4737, 31.2304), 0_u32),
        (Point::new(-179.9, 0.0), 1),
        (Point::new(0.0, -90.0), 2),
    ]);
    let from = |q: Point<f64>, t: u32| index.nearest_where(q, f64::INFINITY, |&x| x == t);
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b;
    let bj = Point::new(116.4074, 39.9042);
    assert!(
        from(bj, 0)
            .is_some_and(|(_, d)| near(d, great_circle_km(bj, Point::new(121.4737, 31.2304))))
    );
    let am = Point::new(179.9, 0.0);
    assert!(
        from(am, 1).is_some_and(|(_, d)| near(d, great_circle_km(am, Point::new(-179.9, 0.0))))
    );
    let np = Point::new(0.0, 90.0);
    assert!(from(np, 2).is_some_and(|(_, d)| near(d, std::f64::consts::PI * EARTH_RADIUS_KM)));
    // Across the antimeridian, the item at -179.9 is the nearest to 179.9.
    assert_eq!(
        index.nearest_where(am, 50.0, |_| true).map(|r| r.0),
        Some(1)
    );
}

#[test]
fn nan_inputs_do_not_panic() {
    let nan = f64::NAN;
    let mut index = GeoIndex::new([
        (Point::new(nan, 0.0), 0_u32),
        (Point::new(0.0, nan), 1),
        (Point::new(10.0, 10.0), 2),
    ]);
    assert_eq!((index.len(), index.skipped_invalid()), (1, 2));
    assert!(index.insert(Point::new(nan, nan), 3).is_err());
    assert!(!index.remove(Point::new(nan, 10.0), 2));
    let q = Point::new(nan, nan);
    assert!(
        index
            .k_nearest_where(q, 3, f64::INFINITY, |_| true)
            .is_empty()
    );
    assert!(index.within_radius_where(q, 100.0, |_| true).is_empty());
    assert_eq!(index.nearest_where(q, f64::INFINITY, |_| true), None);
    assert_eq!(index.nearest_iter(q).count(), 0);
    let ok = Point::new(10.0, 10.0);
    assert!(index.k_nearest_where(ok, 3, nan, |_| true).is_empty());
    assert!(index.within_radius_where(ok, nan, |_| true).is_empty());
    assert_eq!(index.nearest_where(ok, nan, |_| true), None);
    assert!(great_circle_km(q, ok).is_nan());
}
