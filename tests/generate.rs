//! The seeded generator: the network the field describes, demand that follows people and seasons.

mod common;

use proptest::prelude::*;
use servnet::generate::{Generator, Preset};
use servnet::io::{china::Geography, to_json_string};
use servnet::*;

fn share(n: usize, of: usize) -> f64 {
    n as f64 / of as f64
}

#[test]
fn the_national_network_has_about_700_outlets_of_the_three_kinds() {
    let s = Generator::new(Preset::National)
        .requests(2000)
        .seed(3)
        .build()
        .unwrap();
    let g = Geography::china().unwrap();
    let n = s.outlets().len();
    assert!((550..=900).contains(&n), "{n} outlets");
    let kind_count = |k| s.outlets().iter().filter(|o| o.kind == k).count();
    let owned = kind_count(OutletKind::CompanyOwned);
    assert!((25..=80).contains(&owned), "{owned} owned");
    for o in s.outlets() {
        let level = s.city(o.city).unwrap().admin_level;
        match o.kind {
            OutletKind::Dealer => assert_eq!(level, AdminLevel::County),
            OutletKind::Contracted => assert_ne!(level, AdminLevel::County),
            OutletKind::CompanyOwned => assert_ne!(level, AdminLevel::County),
        }
    }
    // Every municipality has an owned outlet.
    for c in g
        .cities
        .iter()
        .filter(|c| c.admin_level == AdminLevel::Municipality)
    {
        assert!(
            s.outlets()
                .iter()
                .any(|o| o.city == c.id && o.kind == OutletKind::CompanyOwned),
            "{}",
            c.name
        );
    }
    // Experts are few, and mostly the company's own.
    let mut experts = [0usize; 3];
    let mut skills = 0;
    for t in s.technicians() {
        let kind = s.outlet(t.outlet).unwrap().kind;
        for k in &t.skills {
            skills += 1;
            if k.level == SkillLevel::Expert {
                experts[kind.index()] += 1;
            }
        }
    }
    let total: usize = experts.iter().sum();
    assert!(
        share(total, skills) < 0.15,
        "{total} of {skills} skills are expert"
    );
    assert!(experts[0] > experts[1] + experts[2], "{experts:?}");
    assert_eq!(experts[2], 0, "dealers have no experts");
}

#[test]
fn demand_follows_population_and_season() {
    let july = Generator::new(Preset::National)
        .requests(20_000)
        .seed(5)
        .month(7)
        .build()
        .unwrap();
    let january = Generator::new(Preset::National)
        .requests(20_000)
        .seed(5)
        .month(1)
        .build()
        .unwrap();
    let ac_installs = |s: &Scenario| {
        s.requests()
            .iter()
            .filter(|r| r.categories.contains(&CategoryId(0)) && r.kind == RequestKind::Install)
            .count()
    };
    assert!(
        ac_installs(&july) > 3 * ac_installs(&january),
        "{} vs {}",
        ac_installs(&july),
        ac_installs(&january)
    );
    let multi = july
        .requests()
        .iter()
        .filter(|r| r.categories.len() > 1)
        .count();
    assert!(
        (0.05..0.15).contains(&share(multi, 20_000)),
        "{multi} one-stop households"
    );
    // The most populous city gets more requests than a small county town.
    let count = |id: CityId| july.requests().iter().filter(|r| r.city == id).count();
    let big = july.cities().iter().max_by_key(|c| c.population).unwrap();
    let small = july.cities().iter().min_by_key(|c| c.population).unwrap();
    assert!(
        count(big.id) > 10 * count(small.id).max(1),
        "{} vs {}",
        count(big.id),
        count(small.id)
    );
    // Requests lie near their city.
    for r in july.requests() {
        let c = july.city(r.city).unwrap();
        assert!(spatial::great_circle_km(c.location, r.location) < 40.0);
        assert!(r.window.start_min >= r.received_min && r.window.end_min > r.window.start_min);
    }
    let expert_share = share(
        july.requests()
            .iter()
            .filter(|r| r.required_level() == SkillLevel::Expert)
            .count(),
        20_000,
    );
    assert!((0.01..0.10).contains(&expert_share), "{expert_share}");
}

#[test]
fn a_province_preset_stays_inside_the_province() {
    let s = Generator::new(Preset::province("guangdong"))
        .requests(500)
        .seed(1)
        .build()
        .unwrap();
    for o in s.outlets() {
        assert_eq!(s.city(o.city).unwrap().province, "Guangdong");
    }
    for r in s.requests() {
        assert_eq!(s.city(r.city).unwrap().province, "Guangdong");
    }
    let err = Generator::new(Preset::province("Atlantis"))
        .build()
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Parameter { name: "preset", .. }),
        "{err}"
    );
    assert!(Preset::parse("province:").is_err() && Preset::parse("planet").is_err());
    assert_eq!(
        Preset::parse("province:Hebei").unwrap(),
        Preset::province("Hebei")
    );
    assert!(Generator::new(Preset::National).month(13).build().is_err());
}

#[test]
fn the_same_seed_gives_the_same_scenario_byte_for_byte() {
    let day = |seed| {
        let s = Generator::new(Preset::province("Sichuan"))
            .requests(800)
            .seed(seed)
            .build();
        to_json_string(&s.unwrap()).unwrap()
    };
    let (a, b, c) = (day(9), day(9), day(10));
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn a_generated_day_is_mostly_served() {
    let s = Generator::new(Preset::province("Jiangsu"))
        .requests(3000)
        .seed(2)
        .build()
        .unwrap();
    let plan = common::dispatch_checked(&s, &Nearest::new());
    assert!(
        share(plan.assignments.len(), 3000) > 0.8,
        "{}",
        plan.summary(&s)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn every_plan_of_a_generated_day_passes_the_checker(
        seed in 0u64..1000,
        province in prop::sample::select(vec!["Hainan", "Ningxia", "Zhejiang", "Tibet", "Beijing"]),
        requests in 0usize..400,
        techs in prop::option::of(1usize..200),
    ) {
        let mut g = Generator::new(Preset::province(province)).requests(requests).seed(seed);
        if let Some(n) = techs {
            g = g.technicians(n);
        }
        let s = g.build().unwrap();
        common::dispatch_checked(&s, &Nearest::new());
        let again = g.build().unwrap();
        prop_assert_eq!(to_json_string(&Nearest::new().dispatch(&s).unwrap()).unwrap(), to_json_string(&Nearest::new().dispatch(&again).unwrap()).unwrap());
    }
}
