//! `planning::coverage` against a brute force that measures every outlet with the
//! travel model, on generated national and provincial scenarios under
//! great-circle and road travel; invariants of the totals; errors.

use geo::Point;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use servnet::generate::{Generator, Preset};
use servnet::io::china::{CHINA_TRUNK, china_trunk_travel};
use servnet::io::coverage::{uncovered_geojson, write_coverage_csv};
use servnet::planning::coverage::{
    CoverageOptions, CoverageReport, NearestOutlet, Promise, coverage, coverage_of,
};
use servnet::spatial::GeoIndex;
use servnet::travel::road::{RoadClass, RoadNetwork, RoadTravel};
use servnet::travel::{Leg, TravelSpec};
use servnet::{CategoryId, OutletKind, ProblemCode, Scenario, TravelModel};
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

fn roads() -> TravelSpec {
    TravelSpec::road(CHINA_TRUNK, china_trunk_travel().unwrap())
}

fn scenario(preset: Preset, travel: TravelSpec) -> Scenario {
    Generator::new(preset)
        .requests(10)
        .seed(3)
        .travel(travel)
        .build()
        .unwrap()
}

/// Every outlet's leg to every measured city: `legs[city][outlet]`.
struct Legs {
    legs: Vec<Vec<Leg>>,
}

fn all_legs(s: &Scenario, cities: &[usize], travel: &dyn TravelModel) -> Legs {
    let legs = cities
        .iter()
        .map(|&c| {
            let at = s.cities()[c].location;
            s.outlets()
                .iter()
                .map(|o| travel.leg(o.location, at))
                .collect()
        })
        .collect();
    Legs { legs }
}

/// Brute force for one city: the nearest eligible outlet of each kind by
/// (km, id), and whether any eligible outlet of the kind keeps the promise.
fn brute_city(
    s: &Scenario,
    legs: &[Leg],
    options: &CoverageOptions,
) -> [(Option<NearestOutlet>, bool); 3] {
    let mut out = [(None, false); 3];
    for (o, leg) in s.outlets().iter().zip(legs) {
        if !options.kinds.contains(&o.kind)
            || options.category.is_some_and(|c| !o.categories.contains(&c))
            || !leg.km.is_finite()
        {
            continue;
        }
        let slot: &mut (Option<NearestOutlet>, bool) = &mut out[o.kind.index()];
        if slot
            .0
            .is_none_or(|b: NearestOutlet| (leg.km, o.id) < (b.km, b.outlet))
        {
            slot.0 = Some(NearestOutlet {
                outlet: o.id,
                kind: o.kind,
                km: leg.km,
                minutes: leg.minutes,
            });
        }
        let p = options.promise;
        let keeps = p.km.is_none_or(|r| leg.km <= r) && p.minutes.is_none_or(|t| leg.minutes <= t);
        slot.1 |= keeps;
    }
    out
}

fn check_against_brute(s: &Scenario, cities: &[usize], legs: &Legs, options: &CoverageOptions) {
    let report = coverage(s, options).unwrap();
    assert_eq!(report.cities.len(), cities.len());
    for ((&ci, row), got) in cities.iter().zip(&legs.legs).zip(&report.cities) {
        let city = &s.cities()[ci];
        assert_eq!(got.city, city.id);
        let want = brute_city(s, row, options);
        for kind in OutletKind::ALL {
            let (n, c) = want[kind.index()];
            assert_eq!(*got.nearest.get(kind), n, "city {} kind {kind:?}", city.id);
            assert_eq!(*got.covered.get(kind), c, "city {} kind {kind:?}", city.id);
        }
        let any = want
            .iter()
            .filter_map(|w| w.0)
            .min_by(|a, b| (a.km, a.outlet).partial_cmp(&(b.km, b.outlet)).unwrap());
        assert_eq!(got.nearest.any, any, "city {}", city.id);
        assert_eq!(got.covered.any, want.iter().any(|w| w.1));
    }
    check_totals(&report);
}

/// The totals are sums over the cities; the regions add up to the total.
fn check_totals(report: &CoverageReport) {
    let t = &report.total;
    assert_eq!(t.cities, report.cities.len());
    assert_eq!(
        t.population,
        report.cities.iter().map(|c| c.population).sum::<u64>()
    );
    for kind in OutletKind::ALL {
        let covered: Vec<_> = report
            .cities
            .iter()
            .filter(|c| *c.covered.get(kind))
            .collect();
        assert_eq!(*t.covered_cities.get(kind), covered.len());
        let pop: u64 = covered.iter().map(|c| c.population).sum();
        assert_eq!(*t.covered_population.get(kind), pop);
    }
    let covered_pop: u64 = report
        .cities
        .iter()
        .filter(|c| c.is_covered())
        .map(|c| c.population)
        .sum();
    assert_eq!(t.covered_population.any, covered_pop);
    assert_eq!(t.cities - t.covered_cities.any, report.uncovered().count());
    let share = covered_pop as f64 / t.population.max(1) as f64;
    assert!((t.covered_share.any - share).abs() < 1e-12);
    let sum = |f: fn(&servnet::planning::coverage::CoverageTotals) -> u64| -> u64 {
        report.regions.iter().map(|r| f(&r.totals)).sum()
    };
    assert_eq!(sum(|r| r.population), t.population);
    assert_eq!(sum(|r| r.covered_population.any), t.covered_population.any);
    assert_eq!(
        sum(|r| r.covered_population.dealer),
        t.covered_population.dealer
    );
    assert_eq!(
        report
            .regions
            .iter()
            .map(|r| r.totals.cities)
            .sum::<usize>(),
        t.cities
    );
    let ids: Vec<_> = report.regions.iter().map(|r| r.region).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "regions by id");
}

fn promises() -> Vec<CoverageOptions> {
    vec![
        CoverageOptions::new(Promise::km(50.0)),
        CoverageOptions::new(Promise::km(8.0)),
        CoverageOptions::new(Promise::minutes(25.0)),
        CoverageOptions::new(Promise::km(40.0).and_minutes(35.0)),
        CoverageOptions::default(),
        CoverageOptions::new(Promise::minutes(90.0))
            .category(CategoryId(3))
            .kinds(&[OutletKind::CompanyOwned, OutletKind::Contracted]),
        CoverageOptions::new(Promise::km(120.0)).kinds(&[OutletKind::CompanyOwned]),
    ]
}

fn check_preset(preset: Preset, travel: TravelSpec) {
    let s = scenario(preset, travel);
    let all: Vec<usize> = (0..s.cities().len()).collect();
    let legs = all_legs(&s, &all, s.travel());
    for options in promises() {
        check_against_brute(&s, &all, &legs, &options);
    }
}

#[test]
fn national_great_circle_equals_brute_force() {
    check_preset(Preset::National, TravelSpec::default());
}

#[test]
fn national_roads_equal_brute_force() {
    check_preset(Preset::National, roads());
}

#[test]
fn provincial_networks_equal_brute_force_on_the_province_cities() {
    for travel in [TravelSpec::default(), roads()] {
        let s = scenario(Preset::province("Sichuan"), travel);
        let cities: Vec<usize> = (0..s.cities().len())
            .filter(|&i| s.cities()[i].province == "Sichuan")
            .collect();
        let legs = all_legs(&s, &cities, s.travel());
        for options in promises() {
            check_against_brute(&s, &cities, &legs, &options.provinces(["sichuan"]));
        }
    }
}

/// A road network over the given points whose edges are shorter than the
/// straight line (down to 0.3 of it) or longer, in two components (west and
/// east of `split_lon`), so the km floor is below 1 and some legs are unreachable.
fn odd_roads(points: &[Point<f64>], split_lon: f64, seed: u64) -> TravelSpec {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let index: GeoIndex<u32> = points.iter().copied().zip(0_u32..).collect();
    let mut b = RoadNetwork::builder();
    for (i, p) in points.iter().enumerate() {
        b.add_node(i as u64, *p);
    }
    let classes = [RoadClass::Expressway, RoadClass::Local, RoadClass::Arterial];
    for (i, p) in points.iter().enumerate() {
        let west = p.x() < split_lon;
        for (j, gc) in index.k_nearest_where(*p, 4, f64::INFINITY, |&j| {
            j as usize != i && (points[j as usize].x() < split_lon) == west
        }) {
            let km = gc * rng.random_range(0.3..2.0);
            b.add_edge(i as u64, u64::from(j), km, classes[rng.random_range(0..3)]);
        }
    }
    let net = b.build().unwrap();
    assert!(net.component_count() >= 2);
    TravelSpec::road("odd", Arc::new(RoadTravel::new(Arc::new(net))))
}

#[test]
fn roads_shorter_than_the_straight_line_and_in_pieces_still_give_the_brute_force() {
    let base = scenario(Preset::province("Guangdong"), TravelSpec::default());
    let gd: Vec<usize> = (0..base.cities().len())
        .filter(|&i| base.cities()[i].province == "Guangdong")
        .collect();
    let points: Vec<Point<f64>> = gd.iter().map(|&i| base.cities()[i].location).collect();
    let mut data = base.into_data();
    data.travel = odd_roads(&points, 113.5, 11);
    let s = Scenario::new(data).unwrap();
    let legs = all_legs(&s, &gd, s.travel());
    let unreachable = legs
        .legs
        .iter()
        .flatten()
        .filter(|l| l.km.is_infinite())
        .count();
    assert!(unreachable > 0, "the network is in pieces");
    for options in promises() {
        check_against_brute(&s, &gd, &legs, &options.provinces(["Guangdong"]));
    }
}

#[test]
fn a_promise_of_zero_km_covers_only_cities_with_an_outlet_standing_in_them() {
    for travel in [TravelSpec::default(), roads()] {
        let mut data = scenario(Preset::province("Zhejiang"), travel).into_data();
        // Move every third outlet onto its city's own point.
        let mut at_home = BTreeSet::new();
        for (n, o) in data.outlets.iter_mut().enumerate() {
            if n % 3 == 0 {
                let c = data.cities.iter().find(|c| c.id == o.city).unwrap();
                o.location = c.location;
                at_home.insert(c.id);
            }
        }
        let s = Scenario::new(data).unwrap();
        let report = coverage(&s, &CoverageOptions::new(Promise::km(0.0))).unwrap();
        let covered: BTreeSet<_> = report
            .cities
            .iter()
            .filter(|c| c.is_covered())
            .map(|c| c.city)
            .collect();
        assert_eq!(covered, at_home);
        for c in report.cities.iter().filter(|c| c.is_covered()) {
            assert_eq!(c.nearest.any.unwrap().km, 0.0);
        }
        check_totals(&report);
    }
}

fn guangdong() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| scenario(Preset::province("Guangdong"), roads()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn adding_an_outlet_never_reduces_coverage(
        lon in 109.5..117.0_f64,
        lat in 20.5..25.5_f64,
        kind in 0..3_usize,
        cats in proptest::collection::btree_set(0..8_u16, 1..4),
        km in 0.0..60.0_f64,
        minutes in 10.0..90.0_f64,
        roads in any::<bool>(),
    ) {
        let s = guangdong();
        let travel = if roads { s.travel().clone() } else { TravelSpec::default() };
        let options = CoverageOptions::new(Promise::km(km).and_minutes(minutes))
            .category(CategoryId(3))
            .provinces(["Guangdong"]);
        let mut outlets = s.outlets().to_vec();
        let before = coverage_of(s.cities(), s.regions(), &outlets, &travel, &options).unwrap();
        let mut extra = outlets[0].clone();
        extra.id = servnet::OutletId(100_000);
        extra.kind = OutletKind::ALL[kind];
        extra.location = Point::new(lon, lat);
        extra.categories = cats.into_iter().map(CategoryId).collect();
        outlets.push(extra);
        let after = coverage_of(s.cities(), s.regions(), &outlets, &travel, &options).unwrap();
        for (b, a) in before.cities.iter().zip(&after.cities) {
            prop_assert_eq!(b.city, a.city);
            for k in OutletKind::ALL {
                prop_assert!(!*b.covered.get(k) || *a.covered.get(k));
                if let Some(bn) = b.nearest.get(k) {
                    prop_assert!(a.nearest.get(k).unwrap().km <= bn.km);
                }
            }
            prop_assert!(!b.is_covered() || a.is_covered());
        }
        prop_assert!(after.total.covered_population.any >= before.total.covered_population.any);
    }
}

#[test]
fn coverage_of_the_scenario_parts_equals_coverage() {
    let s = guangdong();
    let options = CoverageOptions::new(Promise::minutes(40.0));
    let a = coverage(s, &options).unwrap();
    let b = coverage_of(s.cities(), s.regions(), s.outlets(), s.travel(), &options).unwrap();
    assert_eq!(a, b);
}

fn problem(err: servnet::Error) -> (ProblemCode, &'static str, Option<u64>, String) {
    let p = &err.problems()[0];
    (p.code, p.entity, p.id, p.field.clone())
}

#[test]
fn bad_options_and_parts_are_typed_errors_naming_the_field() {
    let s = guangdong();
    let err = |o: CoverageOptions| problem(coverage(s, &o).unwrap_err());
    assert_eq!(
        err(CoverageOptions::new(Promise::km(-1.0))),
        (ProblemCode::OutOfRange, "promise", None, "km".into())
    );
    assert_eq!(
        err(CoverageOptions::new(Promise::minutes(f64::NAN))),
        (ProblemCode::OutOfRange, "promise", None, "minutes".into())
    );
    assert_eq!(
        err(CoverageOptions::default().category(CategoryId(99))).3,
        "category"
    );
    assert_eq!(
        err(CoverageOptions::default().kinds(&[])).0,
        ProblemCode::Empty
    );
    assert_eq!(
        err(CoverageOptions::default().provinces(["Atlantis"])).3,
        "provinces"
    );
    let both = coverage(
        s,
        &CoverageOptions::new(Promise::km(-1.0).and_minutes(-2.0)),
    );
    assert_eq!(
        both.unwrap_err().problems().len(),
        2,
        "every problem at once"
    );

    let parts = |cities: &[servnet::City], outlets: &[servnet::Outlet], travel: &TravelSpec| {
        let e = coverage_of(
            cities,
            s.regions(),
            outlets,
            travel,
            &CoverageOptions::default(),
        );
        problem(e.unwrap_err())
    };
    let mut cities = s.cities().to_vec();
    cities[5].location = Point::new(f64::NAN, 23.0);
    let id = cities[5].id;
    assert_eq!(
        parts(&cities, s.outlets(), s.travel()),
        (
            ProblemCode::BadCoordinate,
            "city",
            Some(id.into()),
            "location".into()
        )
    );
    let mut cities = s.cities().to_vec();
    cities[2].region = servnet::RegionId(4242);
    assert_eq!(parts(&cities, s.outlets(), s.travel()).3, "region");
    let mut outlets = s.outlets().to_vec();
    outlets[0].location = Point::new(113.0, 95.0);
    assert_eq!(parts(s.cities(), &outlets, s.travel()).1, "outlet");
    let unloaded = TravelSpec::Road(servnet::travel::RoadSpec::named("nowhere"));
    assert_eq!(parts(s.cities(), s.outlets(), &unloaded).1, "travel");
}

#[test]
fn the_csv_has_one_row_per_city_and_the_geojson_one_point_per_uncovered_city() {
    let s = guangdong();
    let report = coverage(s, &CoverageOptions::new(Promise::km(5.0))).unwrap();
    let mut out = Vec::new();
    write_coverage_csv(&report, &mut out).unwrap();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), report.cities.len());
    for (row, c) in rows.iter().zip(&report.cities) {
        assert_eq!(row[col("city")], c.city.to_string());
        assert_eq!(row[col("covered")], c.is_covered().to_string());
        match c.nearest.contracted {
            Some(n) => {
                assert_eq!(row[col("contracted_outlet")], n.outlet.to_string());
                let km: f64 = row[col("contracted_km")].parse().unwrap();
                assert!((km - n.km).abs() <= 5e-4);
            }
            None => assert_eq!(&row[col("contracted_km")], ""),
        }
    }
    let fc = uncovered_geojson(&report);
    assert_eq!(fc.features.len(), report.uncovered().count());
    assert!(!fc.features.is_empty(), "5 km leaves cities uncovered");
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains("\"covered_share\""));
    let text = report.summary();
    assert!(
        text.contains("South China") && text.contains("uncovered"),
        "{text}"
    );
}
