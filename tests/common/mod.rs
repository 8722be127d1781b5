//! Small hand-made scenarios for tests.
#![allow(dead_code)]

use geo::Point;
use servnet::*;

/// Two regions, four cities: Guangzhou and Foshan (South), Changsha and Wuhan (Central).
pub fn base() -> ScenarioData {
    let city = |id, name: &str, province: &str, region, lon, lat| City {
        id: CityId(id),
        name_zh: String::new(),
        name: name.into(),
        province: province.into(),
        admin_level: AdminLevel::Prefecture,
        location: Point::new(lon, lat),
        population: 1_000_000,
        region: RegionId(region),
    };
    ScenarioData {
        travel: Default::default(),
        catalog: Catalog::default(),
        policy: Default::default(),
        regions: vec![
            Region {
                id: RegionId(1),
                name: "South".into(),
                provinces: vec!["Guangdong".into()],
                hub: CityId(1),
            },
            Region {
                id: RegionId(2),
                name: "Central".into(),
                provinces: vec!["Hunan".into(), "Hubei".into()],
                hub: CityId(4),
            },
        ],
        cities: vec![
            city(1, "Guangzhou", "Guangdong", 1, 113.2644, 23.1291),
            city(2, "Foshan", "Guangdong", 1, 113.1214, 23.0215),
            city(3, "Changsha", "Hunan", 2, 112.9388, 28.2282),
            city(4, "Wuhan", "Hubei", 2, 114.3055, 30.5928),
        ],
        outlets: vec![],
        technicians: vec![],
        requests: vec![],
    }
}

pub fn outlet(id: u32, kind: OutletKind, city: u32, lon: f64, lat: f64, capacity: u32) -> Outlet {
    Outlet {
        id: OutletId(id),
        name: format!("outlet {id}"),
        kind,
        tier: Tier::Standard,
        city: CityId(city),
        location: Point::new(lon, lat),
        categories: (0..8).map(CategoryId).collect(),
        daily_capacity: capacity,
        tariff: Tariff {
            per_visit: 50.0,
            per_minute: 1.0,
            per_km: 1.0,
        },
    }
}

pub fn tech(id: u32, outlet: u32, skills: &[(u16, SkillLevel)]) -> Technician {
    Technician {
        id: TechnicianId(id),
        outlet: OutletId(outlet),
        skills: skills
            .iter()
            .map(|&(c, level)| Skill {
                category: CategoryId(c),
                level,
            })
            .collect(),
        shift_start_min: 480,
        shift_minutes: 600,
        base: None,
        start: None,
    }
}

pub fn request(
    id: u32,
    city: u32,
    lon: f64,
    lat: f64,
    categories: &[u16],
    difficulty: u8,
) -> ServiceRequest {
    ServiceRequest {
        id: RequestId(id),
        city: CityId(city),
        location: Point::new(lon, lat),
        categories: categories.iter().map(|&c| CategoryId(c)).collect(),
        kind: RequestKind::Repair,
        difficulty,
        received_min: id,
        window: TimeWindow {
            start_min: 480,
            end_min: 1080,
        },
        priority: Priority::Normal,
    }
}

/// Dispatches with `Nearest`, asserts the plan passes `verify` and accounts for every request.
pub fn dispatch_checked(s: &Scenario, strategy: &dyn DispatchStrategy) -> Plan {
    let plan = strategy.dispatch(s).expect("dispatch");
    let violations = verify(s, &plan);
    assert!(violations.is_empty(), "violations: {violations:#?}");
    assert_eq!(
        plan.assignments.len() + plan.unassigned.len(),
        s.requests().len()
    );
    plan
}
