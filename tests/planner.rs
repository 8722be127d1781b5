//! The own-or-contract planner: an independent checker on every plan, brute
//! force on small instances, the volume sweep's monotone service cost, the
//! break-even volume, uncovered jobs and bad inputs.

use geo::Point;
use proptest::prelude::*;
use servnet::ErrorKind;
use servnet::generate::{Generator, Preset};
use servnet::model::{
    AdminLevel, CategoryId, City, CityId, Outlet, OutletId, OutletKind, RegionId, Tariff, Tier,
};
use servnet::planning::planner::{
    CityDemand, CostModel, Forecast, JobClass, NetworkPlan, NetworkPlanner, Server,
};
use servnet::spatial::great_circle_km;
use servnet::travel::{GreatCircle, TravelModel};
use std::collections::BTreeSet;

fn city(id: u32, lon: f64, lat: f64) -> City {
    City {
        id: CityId(id),
        name_zh: format!("城{id}"),
        name: format!("City {id}"),
        province: "Test".into(),
        admin_level: AdminLevel::Prefecture,
        location: Point::new(lon, lat),
        population: 1_000_000,
        region: RegionId(1),
    }
}

fn outlet(id: u32, kind: OutletKind, lon: f64, lat: f64) -> Outlet {
    Outlet {
        id: OutletId(id),
        name: format!("outlet {id}"),
        kind,
        tier: Tier::Standard,
        city: CityId(1),
        location: Point::new(lon, lat),
        categories: vec![CategoryId(0)],
        daily_capacity: 10,
        tariff: Tariff::default(),
    }
}

fn demand(city: u32, visits: f64, basic: f64, expert: f64) -> CityDemand {
    CityDemand {
        city: CityId(city),
        visits,
        basic_share: basic,
        expert_share: expert,
        service_min: 70.0,
    }
}

/// The setting the checker and the brute force recompute from.
struct Setting<'a> {
    cities: &'a [City],
    outlets: &'a [Outlet],
    travel: &'a GreatCircle,
    cost: CostModel,
    promise_km: f64,
    escalation_km: f64,
}

impl Setting<'_> {
    fn city(&self, id: CityId) -> &City {
        self.cities.iter().find(|c| c.id == id).unwrap()
    }

    /// What one visit of `class` in `d`'s city costs from an owned outlet in
    /// `site`, or from a contracted outlet or dealer; `None` if not allowed.
    fn visit_cost(&self, d: &CityDemand, class: JobClass, server: Server) -> Option<f64> {
        let to = self.city(d.city).location;
        let c = &self.cost;
        match server {
            Server::Owned(site) => {
                let leg = self.travel.leg(self.city(site).location, to);
                let limit = if class == JobClass::Expert {
                    self.escalation_km
                } else {
                    self.promise_km
                };
                (leg.km <= limit).then_some(
                    c.owned_per_minute * (d.service_min + 2.0 * (leg.minutes + c.local_min))
                        + c.per_km * 2.0 * (leg.km + c.local_km),
                )
            }
            Server::Contracted(o) | Server::Dealer(o) => {
                let o = self.outlets.iter().find(|x| x.id == o).unwrap();
                let fee = match (o.kind, class) {
                    (OutletKind::Dealer, JobClass::Basic) => c.dealer_per_visit,
                    (OutletKind::Contracted, JobClass::Basic | JobClass::Advanced) => {
                        c.contracted_per_visit
                    }
                    _ => return None,
                };
                let leg = self.travel.leg(o.location, to);
                (leg.km <= self.promise_km).then_some(fee + c.per_km * 2.0 * (leg.km + c.local_km))
            }
        }
    }

    fn servers(&self, owned: &[CityId]) -> Vec<Server> {
        let mut s: Vec<Server> = owned.iter().map(|&c| Server::Owned(c)).collect();
        for o in self.outlets {
            match o.kind {
                OutletKind::Contracted => s.push(Server::Contracted(o.id)),
                OutletKind::Dealer => s.push(Server::Dealer(o.id)),
                OutletKind::CompanyOwned => {}
            }
        }
        s
    }

    /// The cheapest cost of a fixed owned set, and the jobs nothing can serve.
    fn cost_of(&self, forecast: &Forecast, owned: &[CityId]) -> (f64, usize) {
        let servers = self.servers(owned);
        let mut total = self.cost.owned_fixed_per_year * owned.len() as f64;
        let mut uncovered = 0;
        for d in &forecast.cities {
            for class in JobClass::ALL {
                let v = d.class_visits(class);
                if v <= 0.0 {
                    continue;
                }
                let best = servers
                    .iter()
                    .filter_map(|&s| self.visit_cost(d, class, s))
                    .min_by(f64::total_cmp);
                match best {
                    Some(c) => total += v * c,
                    None => uncovered += 1,
                }
            }
        }
        (total, uncovered)
    }

    /// Every owned set of the cities: the least cost among those that leave
    /// the fewest jobs uncovered.
    fn brute_force(&self, forecast: &Forecast) -> (f64, usize) {
        let n = self.cities.len();
        (0u32..1 << n)
            .map(|mask| {
                let owned: Vec<CityId> = (0..n)
                    .filter(|i| mask >> i & 1 == 1)
                    .map(|i| self.cities[i].id)
                    .collect();
                let (cost, uncovered) = self.cost_of(forecast, &owned);
                (uncovered, cost)
            })
            .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
            .map(|(u, c)| (c, u))
            .unwrap()
    }

    fn planner(&self) -> NetworkPlanner<'_> {
        NetworkPlanner::new(self.cities, self.outlets, self.travel)
            .cost_model(self.cost)
            .promise_km(self.promise_km)
            .escalation_km(self.escalation_km)
            .target_gap(0.0)
    }

    /// The independent checker: every job once, served within its promise by
    /// a server allowed for its class, at the cost the model gives, and the
    /// totals add up.
    fn check(&self, forecast: &Forecast, plan: &NetworkPlan) {
        let owned: BTreeSet<CityId> = plan.owned.iter().copied().collect();
        assert_eq!(owned.len(), plan.owned.len(), "an owned city twice");
        let mut seen = BTreeSet::new();
        let mut variable = 0.0;
        let mut uncovered = 0;
        for s in &plan.services {
            assert!(
                seen.insert((s.city, s.class)),
                "job {:?} twice",
                (s.city, s.class)
            );
            let d = forecast.cities.iter().find(|d| d.city == s.city).unwrap();
            assert!((s.visits - d.class_visits(s.class)).abs() < 1e-9);
            match s.server {
                Some(server) => {
                    if let Server::Owned(c) = server {
                        assert!(owned.contains(&c), "served by {c}, which is not owned");
                    }
                    let per_visit = self
                        .visit_cost(d, s.class, server)
                        .unwrap_or_else(|| panic!("{server:?} may not serve {:?}", s.class));
                    assert!((s.cost - s.visits * per_visit).abs() < 1e-6 * (1.0 + s.cost));
                    variable += s.cost;
                }
                None => {
                    uncovered += 1;
                    assert!(
                        plan.uncovered
                            .iter()
                            .any(|u| u.city == s.city && u.class == s.class)
                    );
                    // Nothing at all could serve it.
                    let all: Vec<CityId> = self.cities.iter().map(|c| c.id).collect();
                    let servers = self.servers(&all);
                    assert!(
                        servers
                            .iter()
                            .all(|&x| self.visit_cost(d, s.class, x).is_none()),
                        "job {:?} left uncovered though it can be served",
                        (s.city, s.class)
                    );
                }
            }
        }
        let jobs = forecast
            .cities
            .iter()
            .flat_map(|d| JobClass::ALL.map(|c| d.class_visits(c)))
            .filter(|v| *v > 0.0)
            .count();
        assert_eq!(seen.len(), jobs, "every job with visits is in the plan");
        assert_eq!(uncovered, plan.uncovered.len());
        assert_eq!(plan.status.is_infeasible(), uncovered > 0);
        let fixed = self.cost.owned_fixed_per_year * plan.owned.len() as f64;
        assert!((plan.cost.total - fixed - variable).abs() < 1e-6 * (1.0 + plan.cost.total));
        let (recomputed, _) = self.cost_of(forecast, &plan.owned);
        assert!(
            recomputed <= plan.cost.total + 1e-6 * (1.0 + recomputed),
            "each job goes to its cheapest open server"
        );
        assert!(plan.bound <= plan.cost.total + 1e-6 * (1.0 + plan.cost.total));
    }
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

prop_compose! {
    fn instance()(
        cities in prop::collection::vec((0.0..1.5f64, 0.0..1.5f64, 0.0..30_000.0f64), 2..7),
        outlets in prop::collection::vec((0.0..1.5f64, 0.0..1.5f64, 0..3u8), 0..5),
        basic in 0.0..0.7f64,
        expert in 0.0..0.3f64,
        promise in 30.0..150.0f64,
        fixed in 10_000.0..2_000_000.0f64,
    ) -> (Vec<City>, Vec<Outlet>, Forecast, f64, f64) {
        let cs: Vec<City> = cities.iter().enumerate()
            .map(|(i, &(x, y, _))| city(i as u32 + 1, 110.0 + x, 30.0 + y)).collect();
        let os: Vec<Outlet> = outlets.iter().enumerate().map(|(i, &(x, y, k))| {
            let kind = [OutletKind::Contracted, OutletKind::Dealer, OutletKind::CompanyOwned][k as usize];
            outlet(i as u32 + 1, kind, 110.0 + x, 30.0 + y)
        }).collect();
        let f = Forecast { cities: cities.iter().enumerate()
            .map(|(i, &(_, _, v))| demand(i as u32 + 1, v, basic, expert)).collect() };
        (cs, os, f, promise, fixed)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn plans_equal_brute_force((cities, outlets, forecast, promise, fixed) in instance()) {
        let travel = GreatCircle::default();
        let s = Setting {
            cities: &cities,
            outlets: &outlets,
            travel: &travel,
            cost: CostModel { owned_fixed_per_year: fixed, ..CostModel::default() },
            promise_km: promise,
            escalation_km: 2.0 * promise,
        };
        let plan = s.planner().plan(&forecast).unwrap();
        s.check(&forecast, &plan);
        let (best, uncovered) = s.brute_force(&forecast);
        prop_assert_eq!(plan.uncovered.len(), uncovered);
        prop_assert!(near(plan.cost.total, best), "plan {} brute force {}", plan.cost.total, best);
        prop_assert!(plan.gap <= 1e-9);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn min_cover_is_the_fewest_sites_within_the_promise((cities, outlets, forecast, promise, _) in instance()) {
        let travel = GreatCircle::default();
        let planner = NetworkPlanner::new(&cities, &outlets, &travel).promise_km(promise);
        let cover = planner.min_cover(&forecast).unwrap();
        let sites = planner.cover_sites(&cover);
        let reach = |site: &City, c: &City| travel.leg(site.location, c.location).km <= promise;
        for c in &cities {
            prop_assert!(sites.iter().any(|s| reach(cities.iter().find(|x| x.id == *s).unwrap(), c)));
        }
        let fewest = (0u32..1 << cities.len())
            .filter(|mask| cities.iter().all(|c| (0..cities.len()).any(|i| mask >> i & 1 == 1 && reach(&cities[i], c))))
            .map(|mask| mask.count_ones() as usize)
            .min()
            .unwrap();
        prop_assert_eq!(sites.len(), fewest);
        prop_assert!(cover.bound <= fewest as f64 + 1e-9);
    }
}

#[test]
fn a_province_plan_passes_the_checker_and_is_deterministic() {
    let generator = Generator::new(Preset::province("Zhejiang"))
        .requests(0)
        .seed(3);
    let scenario = generator.build().unwrap();
    let forecast = generator.forecast(600_000.0).unwrap();
    let travel = GreatCircle::default();
    let s = Setting {
        cities: scenario.cities(),
        outlets: scenario.outlets(),
        travel: &travel,
        cost: CostModel::default(),
        promise_km: 50.0,
        escalation_km: 300.0,
    };
    let planner = s.planner().target_gap(0.001);
    let plan = planner.plan(&forecast).unwrap();
    s.check(&forecast, &plan);
    assert!(plan.gap <= 0.001, "gap {}", plan.gap);
    assert!(!plan.owned.is_empty(), "expert jobs need owned outlets");
    let again = planner.plan(&forecast).unwrap();
    assert_eq!(plan.owned, again.owned);
    assert_eq!(plan.services, again.services);
    assert_eq!(plan.cost, again.cost);
}

#[test]
fn the_service_cost_per_unit_of_volume_never_rises_with_volume() {
    // With fixed costs F and service costs t·C at volume t, optimal plans at
    // t1 < t2 satisfy (t2 − t1)(C2 − C1) ≤ 0: more volume, cheaper service.
    let generator = Generator::new(Preset::province("Hainan"))
        .requests(0)
        .seed(1);
    let scenario = generator.build().unwrap();
    let forecast = generator.forecast(300_000.0).unwrap();
    let planner = NetworkPlanner::new(scenario.cities(), scenario.outlets(), scenario.travel())
        .target_gap(0.0);
    let factors = [0.1, 0.5, 1.0, 3.0, 10.0];
    let sweep = planner.sweep(&forecast, &factors).unwrap();
    assert_eq!(sweep.len(), factors.len());
    let fixed = CostModel::default().owned_fixed_per_year;
    let unit: Vec<f64> = sweep
        .iter()
        .map(|p| (p.total_cost - fixed * p.owned as f64) / p.factor)
        .collect();
    for w in unit.windows(2) {
        assert!(
            w[1] <= w[0] * (1.0 + 1e-9),
            "service cost per unit rose: {unit:?}"
        );
    }
    assert!(sweep.last().unwrap().owned >= sweep[0].owned);
    for (p, f) in sweep.iter().zip(factors) {
        assert!(near(p.visits, forecast.total_visits() * f));
        assert!(near(p.visit_share.iter().sum::<f64>(), 1.0));
    }
}

#[test]
fn owning_starts_to_pay_at_the_break_even_volume() {
    let cities = [city(1, 113.0, 23.0)];
    let outlets = [outlet(1, OutletKind::Contracted, 113.1, 23.0)];
    let travel = GreatCircle::default();
    let planner = NetworkPlanner::new(&cities, &outlets, &travel).target_gap(0.0);
    let one = |visits| Forecast {
        cities: vec![demand(1, visits, 0.4, 0.0)],
    };
    let b = &planner.break_even(&one(1000.0)).unwrap()[0];
    let v = b
        .break_even_visits
        .expect("contracting costs more per visit");
    let per_visit = b.contract_per_visit.unwrap();
    assert!(per_visit > b.owned_per_visit);
    assert!(near(
        v * (per_visit - b.owned_per_visit),
        CostModel::default().owned_fixed_per_year
    ));
    assert!(planner.plan(&one(0.98 * v)).unwrap().owned.is_empty());
    assert_eq!(planner.plan(&one(1.02 * v)).unwrap().owned, vec![CityId(1)]);
}

#[test]
fn jobs_nothing_can_reach_are_uncovered_with_a_reason() {
    // Two cities 500 km apart; only the first may get an owned outlet; no contractor.
    let cities = [city(1, 113.0, 23.0), city(2, 118.0, 23.0)];
    assert!(great_circle_km(cities[0].location, cities[1].location) > 400.0);
    let travel = GreatCircle::default();
    let forecast = Forecast {
        cities: vec![demand(1, 5000.0, 0.5, 0.1), demand(2, 5000.0, 0.5, 0.1)],
    };
    let plan = NetworkPlanner::new(&cities, &[], &travel)
        .candidates([CityId(1)])
        .plan(&forecast)
        .unwrap();
    assert!(plan.status.is_infeasible());
    assert_eq!(plan.owned, vec![CityId(1)]);
    let left: Vec<_> = plan.uncovered.iter().map(|u| (u.city, u.class)).collect();
    assert_eq!(
        left,
        vec![
            (CityId(2), JobClass::Basic),
            (CityId(2), JobClass::Advanced),
            (CityId(2), JobClass::Expert)
        ]
    );
    assert!(plan.uncovered.iter().all(|u| u.reason.contains("km")));
    assert!(near(plan.visits_served(), 5000.0));
}

#[test]
fn bad_inputs_name_the_field_and_the_id() {
    let cities = [city(1, 113.0, 23.0)];
    let travel = GreatCircle::default();
    let forecast = Forecast {
        cities: vec![demand(1, -5.0, 0.5, 0.1), demand(9, 100.0, 0.8, 0.4)],
    };
    let err = NetworkPlanner::new(&cities, &[], &travel)
        .cost_model(CostModel {
            per_km: -1.0,
            ..CostModel::default()
        })
        .promise_km(f64::NAN)
        .plan(&forecast)
        .unwrap_err();
    let ErrorKind::Invalid(problems) = err.kind() else {
        panic!("{err}");
    };
    let found: Vec<(&str, Option<u64>, &str)> = problems
        .iter()
        .map(|p| (p.entity, p.id, p.field.as_str()))
        .collect();
    for expected in [
        ("cost model", None, "per_km"),
        ("planner", None, "promise_km"),
        ("forecast city", Some(1), "visits"),
        ("forecast city", Some(9), "city"),
        ("forecast city", Some(9), "basic_share"),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    let err = NetworkPlanner::new(&cities, &[], &travel)
        .sweep(
            &Forecast {
                cities: vec![demand(1, 5.0, 0.5, 0.1)],
            },
            &[1.0, -2.0],
        )
        .unwrap_err();
    assert!(err.to_string().contains("factor"), "{err}");
}

#[test]
fn the_planner_follows_the_policy_it_is_given() {
    use servnet::model::{KindRule, Policy, RequestKind};
    let generator = Generator::new(Preset::province("Zhejiang"))
        .requests(0)
        .seed(3);
    let scenario = generator.build().unwrap();
    let forecast = generator.forecast(600_000.0).unwrap();
    let planner = || {
        NetworkPlanner::new(scenario.cities(), scenario.outlets(), scenario.travel())
            .promise_km(50.0)
            .target_gap(0.001)
    };
    let dealer = OutletKind::Dealer.index();
    let default = planner().plan(&forecast).unwrap();
    assert!(
        default.visits_by_kind[dealer] > 0.0,
        "dealers serve basic jobs"
    );

    // The trade's split is the planner's default rule.
    let field = planner().policy(&Policy::field()).plan(&forecast).unwrap();
    assert_eq!(field.owned, default.owned);
    assert_eq!(field.services, default.services);
    assert_eq!(field.cost, default.cost);

    // Dealers may no longer install: basic jobs (installations among them) are not theirs.
    let mut no_installs = Policy::field();
    no_installs.rules.retain(|r| r.kind != OutletKind::Dealer);
    no_installs.rules.push(
        KindRule::new(OutletKind::Dealer, 2)
            .request_kinds(&[RequestKind::Repair, RequestKind::Maintenance]),
    );
    let plan = planner().policy(&no_installs).plan(&forecast).unwrap();
    assert_eq!(plan.visits_by_kind[dealer], 0.0);
    assert!(
        plan.services
            .iter()
            .all(|s| !matches!(s.server, Some(Server::Dealer(_))))
    );
    // Fewer options: never cheaper than the default's proven bound.
    assert!(plan.cost.total >= default.bound - 1e-6);

    // A policy that lets contracted outlets take every job gives expert jobs to them too.
    let open = planner()
        .policy(&Policy::default())
        .plan(&forecast)
        .unwrap();
    assert!(open.services.iter().any(|s| s.class == JobClass::Expert
        && matches!(s.server, Some(Server::Contracted(_) | Server::Dealer(_)))));
}
