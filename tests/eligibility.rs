//! Searches by eligibility over a scenario's technicians and outlets equal a plain scan.

use proptest::prelude::*;
use servnet::dispatch::{Eligibility, OutletIndex, TechnicianIndex};
use servnet::generate::{Generator, Preset};
use servnet::spatial::great_circle_km;
use servnet::*;

fn region_of_outlet(s: &Scenario, o: &Outlet) -> RegionId {
    s.city(o.city).unwrap().region
}

fn brute_technicians(
    s: &Scenario,
    at: geo::Point<f64>,
    cats: &[CategoryId],
    level: SkillLevel,
    kinds: &[OutletKind],
    region: Option<RegionId>,
    max_km: f64,
) -> Vec<(f64, usize)> {
    let mut v: Vec<(f64, usize)> = s
        .technicians()
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            let o = s.outlet(t.outlet).unwrap();
            kinds.contains(&o.kind)
                && region.is_none_or(|r| region_of_outlet(s, o) == r)
                && cats
                    .iter()
                    .all(|c| o.categories.contains(c) && t.level(*c).is_some_and(|l| l >= level))
        })
        .map(|(i, t)| (great_circle_km(at, s.technician_base(t)), i))
        .filter(|&(km, _)| km <= max_km)
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    v
}

fn day(seed: u64) -> Scenario {
    Generator::new(Preset::province("Guangdong"))
        .requests(200)
        .technicians(400)
        .seed(seed)
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn nearest_eligible_technicians_equal_a_plain_scan(
        seed in 0u64..4,
        lon in 109.0..118.0f64, lat in 20.0..26.0f64,
        cats in prop::collection::vec(0u16..8, 0..3),
        level in 0usize..3,
        kinds in prop::sample::subsequence(OutletKind::ALL.to_vec(), 1..=3),
        in_region in any::<bool>(),
        max_km in prop::sample::select(vec![20.0, 120.0, f64::INFINITY]),
        k in 0usize..12,
    ) {
        let s = day(seed);
        let index = TechnicianIndex::new(&s);
        let at = geo::Point::new(lon, lat);
        let cats: Vec<CategoryId> = cats.into_iter().map(CategoryId).collect();
        let level = SkillLevel::ALL[level];
        let region = in_region.then(|| s.regions().iter().find(|r| r.name.contains("South")).unwrap().id);
        let mut e = Eligibility::new().categories(cats.clone()).level(level).kinds(&kinds).max_km(max_km);
        if let Some(r) = region {
            e = e.region(r);
        }
        let want = brute_technicians(&s, at, &cats, level, &kinds, region, max_km);
        let got = index.nearest(at, k, &e);
        prop_assert_eq!(got.len(), want.len().min(k));
        for (g, w) in got.iter().zip(&want) {
            prop_assert!((g.km - w.0).abs() < 1e-6, "{} vs {}", g.km, w.0);
            prop_assert_eq!(g.outlet, s.technicians().iter().find(|t| t.id == g.id).unwrap().outlet);
        }
        // Same distances as the scan, and every one found is eligible.
        let ids: Vec<usize> = got.iter().map(|g| s.technician_index(g.id).unwrap()).collect();
        for id in ids {
            prop_assert!(want.iter().any(|&(_, i)| i == id));
        }
        let radius = index.within_radius(at, 60.0, &e);
        let within: Vec<_> = want.iter().filter(|w| w.0 <= 60.0).collect();
        prop_assert_eq!(radius.len(), within.len());
    }

    #[test]
    fn nearest_outlets_serve_every_category_asked_for(seed in 0u64..4, lon in 109.0..118.0f64, lat in 20.0..26.0f64, cats in prop::collection::vec(0u16..8, 0..3), k in 0usize..6) {
        let s = day(seed);
        let at = geo::Point::new(lon, lat);
        let cats: Vec<CategoryId> = cats.into_iter().map(CategoryId).collect();
        let index = OutletIndex::new(&s);
        let e = Eligibility::new().categories(cats.clone());
        let got = index.nearest(at, k, &e);
        let mut want: Vec<f64> = s.outlets().iter().filter(|o| cats.iter().all(|c| o.categories.contains(c))).map(|o| great_circle_km(at, o.location)).collect();
        want.sort_by(f64::total_cmp);
        prop_assert_eq!(got.len(), want.len().min(k));
        for (g, w) in got.iter().zip(&want) {
            prop_assert!((g.km - w).abs() < 1e-6);
        }
        let within = index.within_radius(at, 150.0, &e);
        prop_assert_eq!(within.len(), want.iter().filter(|&&w| w <= 150.0).count());
        prop_assert!(within.windows(2).all(|w| w[0].km <= w[1].km));
    }
}

#[test]
fn unknown_categories_or_regions_admit_nobody() {
    let s = day(1);
    let at = geo::Point::new(113.3, 23.1);
    let index = TechnicianIndex::new(&s);
    assert!(!index.nearest(at, 3, &Eligibility::new()).is_empty());
    assert!(
        index
            .nearest(at, 3, &Eligibility::new().category(CategoryId(999)))
            .is_empty()
    );
    assert!(
        index
            .nearest(at, 3, &Eligibility::new().region(RegionId(999)))
            .is_empty()
    );
    assert!(
        index
            .nearest(geo::Point::new(f64::NAN, 0.0), 3, &Eligibility::new())
            .is_empty()
    );
}
