//! Small hand-made scenarios for tests.
#![allow(dead_code)]

use geo::Point;
use servnet::dispatch::{Route, Stop};
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

/// Dispatches, asserts the plan passes `verify`, accounts for every request,
/// and holds its visits in its routes (see [`assert_routes_match`]).
pub fn dispatch_checked(s: &Scenario, strategy: &dyn DispatchStrategy) -> Plan {
    let plan = strategy.dispatch(s).expect("dispatch");
    let violations = verify(s, &plan);
    assert!(violations.is_empty(), "violations: {violations:#?}");
    assert_eq!(
        plan.assignments.len() + plan.unassigned.len(),
        s.requests().len()
    );
    assert_routes_match(&plan);
    plan
}

/// Asserts that the plan's routes are in ascending technician id, one per
/// technician with visits, and that they hold exactly the plan's
/// assignments: the assignments, read in order, are the routes' stops in
/// order, each with its route's technician and outlet.
pub fn assert_routes_match(plan: &Plan) {
    for w in plan.routes.windows(2) {
        assert!(
            w[0].technician < w[1].technician,
            "routes out of order: {} then {}",
            w[0].technician,
            w[1].technician
        );
    }
    assert!(
        plan.routes.iter().all(|r| !r.stops.is_empty()),
        "a route without visits"
    );
    let stops: Vec<(RequestId, TechnicianId, OutletId)> = plan
        .routes
        .iter()
        .flat_map(|r| {
            r.stops
                .iter()
                .map(|st| (st.request, r.technician, r.outlet))
        })
        .collect();
    let visits: Vec<(RequestId, TechnicianId, OutletId)> = plan
        .assignments
        .iter()
        .map(|a| (a.request, a.technician, a.outlet))
        .collect();
    assert_eq!(stops, visits, "routes and assignments disagree");
}

/// Minutes on site of technician `t` at request `r`, at the technician's
/// levels (`None` when it lacks a category).
pub fn service_min(s: &Scenario, t: &Technician, r: &ServiceRequest) -> Option<f64> {
    r.categories
        .iter()
        .map(|&c| {
            let level = t.level(c)?;
            Some(s.catalog().service_minutes(s.category(c)?, r.kind, level))
        })
        .sum()
}

/// The route of technician `tech` through `visits` in this order, timed
/// here — legs from the scenario's travel model, the first from the
/// technician's start, the times by `servnet::route::schedule` — or `None`
/// when a window or the shift is missed (or the technician lacks a skill).
pub fn timed_route(s: &Scenario, tech: TechnicianId, visits: &[RequestId]) -> Option<Route> {
    use servnet::route::{Job, schedule};
    let t = s.technician(tech)?;
    let travel = s.travel();
    let (start, base) = (s.technician_start(t), s.technician_base(t));
    let mut at = start;
    let mut legs = Vec::new();
    let mut jobs = Vec::new();
    for &id in visits {
        let r = s.request(id)?;
        legs.push(travel.leg(at, r.location));
        jobs.push(Job {
            window_start_min: f64::from(r.window.start_min),
            window_end_min: f64::from(r.window.end_min),
            service_min: service_min(s, t, r)?,
        });
        at = r.location;
    }
    let back = if visits.is_empty() {
        servnet::travel::Leg {
            km: 0.0,
            minutes: 0.0,
        }
    } else {
        travel.leg(at, base)
    };
    let minutes: Vec<f64> = legs.iter().map(|l| l.minutes).collect();
    let day = schedule(
        f64::from(t.shift_start_min),
        f64::from(t.shift_start_min + t.shift_minutes),
        &minutes,
        &jobs,
        back.minutes,
    )?;
    Some(Route {
        technician: t.id,
        outlet: t.outlet,
        start_min: day.leave_min,
        stops: visits
            .iter()
            .zip(&legs)
            .zip(&day.times)
            .map(|((&request, leg), tm)| Stop {
                request,
                arrive_min: tm.arrive_min,
                start_min: tm.start_min,
                depart_min: tm.depart_min,
                leg_km: leg.km,
                leg_min: leg.minutes,
            })
            .collect(),
        return_km: back.km,
        return_min: back.minutes,
        end_min: day.end_min,
    })
}

/// The plan of these routes (figures recomputed from them) made by
/// `strategy`, every other request unassigned.
pub fn plan_of(s: &Scenario, routes: Vec<Route>, strategy: &str) -> Plan {
    let served: Vec<RequestId> = routes
        .iter()
        .flat_map(|r| r.stops.iter().map(|st| st.request))
        .collect();
    let unassigned = s
        .requests()
        .iter()
        .filter(|r| !served.contains(&r.id))
        .map(|r| servnet::dispatch::Unassigned {
            request: r.id,
            reason: servnet::dispatch::UnassignedReason::CapacityExhausted,
        })
        .collect();
    Plan::from_routes(s, strategy, routes, unassigned)
}

/// The scenario with every `every`-th technician (from the first) starting
/// its day `(dlon, dlat)` degrees away from its base, as one already out on
/// the road; the day still ends at the base.
pub fn starts_away(s: &Scenario, every: usize, dlon: f64, dlat: f64) -> Scenario {
    let mut d = s.data().clone();
    for i in (0..d.technicians.len()).step_by(every.max(1)) {
        let base = s.technician_base(&s.technicians()[i]);
        d.technicians[i].start = Some(Point::new(base.x() + dlon, base.y() + dlat));
    }
    Scenario::new(d).expect("starts near the bases are valid")
}

/// A generalized assignment problem like Chu and Beasley's type D (the hard
/// one): loads 1–100, costs falling with the load, capacities 80% of the
/// average load per agent.
pub fn type_d(agents: usize, jobs: usize, seed: u64) -> servnet::assign::AssignmentProblem {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut edges = Vec::new();
    let mut load_sum = vec![0.0; agents];
    for (i, sum) in load_sum.iter_mut().enumerate() {
        for j in 0..jobs {
            let load = f64::from(rng.random_range(1..=100));
            let cost = 111.0 - load + f64::from(rng.random_range(-10..=10));
            *sum += load;
            edges.push((j as u32, i as u32, cost, load));
        }
    }
    let mut b = servnet::assign::AssignmentProblem::builder(jobs)
        .agents(load_sum.iter().map(|s| (0.8 * s / agents as f64).floor()));
    for (j, i, c, l) in edges {
        b = b.edge(j, i, c, l);
    }
    b.build().expect("valid by construction")
}
