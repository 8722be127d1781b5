//! The multi-day simulation: every request accounted for, every round's plan
//! sound, technicians driving their routes (position and clock carried over
//! within the day, km and cost from the routes' legs and one drive home a
//! day), the same seed giving the same report, and bad settings refused.

use geo::Point;
use servnet::generate::Preset;
use servnet::sim::{RemoteRule, SimConfig, Simulation, StrategyKpis, Triage};
use servnet::{
    DispatchStrategy, KindRule, Nearest, Optimal, OutletKind, Plan, Regret, RequestKind, Scenario,
    Tariff, TechnicianId, TravelModel, verify,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Ruin-and-recreate steps per round of the tests' `Optimal`: the tests run
/// unoptimised, where [`servnet::sim::SIM_WORK_LIMIT`] steps a round take
/// seconds.
const TEST_STEPS: u64 = 2_000;

/// [`Simulation::default_strategies`], with `Optimal` at `steps` a round.
fn strategies(steps: u64) -> Vec<Box<dyn DispatchStrategy>> {
    Simulation::default_strategies()
        .into_iter()
        .map(|s| -> Box<dyn DispatchStrategy> {
            if s.name() == "optimal" {
                Box::new(Optimal::new().work_limit(steps))
            } else {
                s
            }
        })
        .collect()
}

fn small(province: &str, days: u32, per_day: usize) -> Simulation {
    Simulation::new(Preset::province(province))
        .days(days)
        .requests_per_day(per_day)
        .seed(7)
        .strategies(strategies(TEST_STEPS))
}

#[test]
fn every_request_is_accounted_for_and_every_round_is_sound() {
    let report = small("Zhejiang", 3, 600).run().unwrap();
    assert_eq!(report.strategies.len(), 4);
    let names: Vec<&str> = report
        .strategies
        .iter()
        .map(|k| k.strategy.as_str())
        .collect();
    assert_eq!(names, ["nearest", "region_nearest", "regret", "optimal"]);
    for (k, backlog) in report.strategies.iter().zip(&report.backlog) {
        assert_eq!(
            k.requests_total,
            k.resolved_by_phone + k.served + k.backlog,
            "{}",
            k.strategy
        );
        assert_eq!(k.violations, 0, "{}", k.strategy);
        assert!(k.rounds > 0);
        assert!(k.resolved_by_phone > 0, "triage solves some calls by phone");
        assert!(k.served > k.requests_total / 2, "{}: {k:?}", k.strategy);
        assert_eq!(backlog.len(), k.backlog);
        assert!(
            backlog
                .iter()
                .all(|b| b.age_h >= 0.0 && !b.reason.is_empty())
        );
        assert_eq!(
            k.unassigned_by_reason.values().sum::<usize>(),
            k.backlog,
            "{}",
            k.strategy
        );
        assert!((0.0..=1.0).contains(&k.sla_hit_rate));
        assert!(k.response_p95_h >= k.response_mean_h * 0.5);
        let shares: f64 = k.by_kind.iter().map(|b| b.share).sum();
        assert!((shares - 1.0).abs() < 1e-9, "{shares}");
        assert!(
            k.by_kind
                .iter()
                .all(|b| (0.0..=1.0).contains(&b.utilisation))
        );
        assert!(k.visits >= k.served, "each served request took a visit");
    }
}

/// A strategy that hands each round to another and keeps the round's
/// scenario and the plan it returned.
struct Recorder {
    inner: Box<dyn DispatchStrategy>,
    rounds: Arc<Mutex<Vec<(Scenario, Plan)>>>,
}

impl DispatchStrategy for Recorder {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn dispatch(&self, scenario: &Scenario) -> servnet::Result<Plan> {
        let plan = self.inner.dispatch(scenario)?;
        self.rounds
            .lock()
            .unwrap()
            .push((scenario.clone(), plan.clone()));
        Ok(plan)
    }
}

/// One strategy's KPIs and every round it saw, in order.
fn recorded(
    sim: Simulation,
    inner: Box<dyn DispatchStrategy>,
) -> (StrategyKpis, Vec<(Scenario, Plan)>) {
    let rounds = Arc::new(Mutex::new(Vec::new()));
    let recorder = Recorder {
        inner,
        rounds: Arc::clone(&rounds),
    };
    let report = sim.strategies(vec![Box::new(recorder)]).run().unwrap();
    let rounds = std::mem::take(&mut *rounds.lock().unwrap());
    (report.strategies[0].clone(), rounds)
}

/// The day of a round: every technician on shift ends it that day.
fn day_of(s: &Scenario) -> u32 {
    let days: Vec<u32> = s
        .technicians()
        .iter()
        .map(|t| t.shift_end_min() / 1440)
        .collect();
    assert!(days.windows(2).all(|w| w[0] == w[1]), "{days:?}");
    days[0]
}

/// Where a route's last visit is, and when the technician leaves it.
fn last_visit(s: &Scenario, plan: &Plan, t: TechnicianId) -> Option<(Point<f64>, f64)> {
    let stop = plan.route(t)?.stops.last()?;
    Some((s.request(stop.request).unwrap().location, stop.depart_min))
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        "{what}: {a} vs {b}"
    );
}

#[test]
fn every_round_verifies_and_technicians_start_where_their_last_visit_ended() {
    let config = SimConfig {
        round_every_min: 120,
        ..SimConfig::default()
    };
    let (kpis, rounds) = recorded(
        small("Zhejiang", 2, 600).config(config),
        Box::new(Nearest::new()),
    );
    assert_eq!(kpis.violations, 0);
    assert_eq!(kpis.rounds, rounds.len());
    // Per technician: the day, place and time its last visit so far ended, and its shift's end.
    let mut last: HashMap<TechnicianId, (u32, Point<f64>, f64)> = HashMap::new();
    let mut shift_end: HashMap<(u32, TechnicianId), u32> = HashMap::new();
    let (mut carried, mut from_the_road) = (0, 0);
    for (s, plan) in &rounds {
        let violations = verify(s, plan);
        assert!(violations.is_empty(), "{violations:?}");
        let day = day_of(s);
        for t in s.technicians() {
            // The shift ends when it did in the round before.
            let end = *shift_end.entry((day, t.id)).or_insert(t.shift_end_min());
            assert_eq!(t.shift_end_min(), end, "technician {}", t.id);
            match last.get(&t.id) {
                Some(&(d, at, depart)) if d == day => {
                    assert_eq!(t.start, Some(at), "technician {} on day {day}", t.id);
                    assert!(
                        f64::from(t.shift_start_min) >= depart.ceil(),
                        "technician {} starts at {} before leaving its visit at {depart}",
                        t.id,
                        t.shift_start_min
                    );
                    carried += 1;
                }
                // Every day starts at the base.
                _ => assert_eq!(t.start, None, "technician {} on day {day}", t.id),
            }
        }
        for route in &plan.routes {
            let tech = s.technician(route.technician).unwrap();
            let first = &route.stops[0];
            let leg = s.travel().leg(
                s.technician_start(tech),
                s.request(first.request).unwrap().location,
            );
            close(first.leg_km, leg.km, "first leg");
            if tech.start.is_some() {
                from_the_road += 1;
            }
            let (at, depart) = last_visit(s, plan, route.technician).unwrap();
            last.insert(route.technician, (day, at, depart));
        }
    }
    assert!(carried > 0, "no technician was seen again after a visit");
    assert!(from_the_road > 0, "no route left from a customer's place");
}

/// A technician's way back to its base at the end of a day, and its outlet's tariff.
struct DriveHome {
    at: Point<f64>,
    base: Point<f64>,
    tariff: Tariff,
}

#[test]
fn km_and_cost_are_the_routes_legs_and_one_drive_home_per_technician_day() {
    let (kpis, rounds) = recorded(small("Zhejiang", 2, 600), Box::new(Regret::new()));
    assert_eq!(kpis.violations, 0);
    let (mut km, mut cost, mut visits) = (0.0, 0.0, 0);
    // Per technician and day: the drive home from its last visit.
    let mut home: BTreeMap<(u32, TechnicianId), DriveHome> = BTreeMap::new();
    for (s, plan) in &rounds {
        let day = day_of(s);
        for route in &plan.routes {
            let tariff = s.outlet(route.outlet).unwrap().tariff;
            for stop in &route.stops {
                km += stop.leg_km;
                cost += tariff.cost(stop.depart_min - stop.start_min + stop.leg_min, stop.leg_km);
                visits += 1;
            }
            let tech = s.technician(route.technician).unwrap();
            let (at, _) = last_visit(s, plan, route.technician).unwrap();
            let base = s.technician_base(tech);
            home.insert((day, route.technician), DriveHome { at, base, tariff });
        }
    }
    let travel = rounds[0].0.travel();
    for DriveHome { at, base, tariff } in home.values() {
        let leg = travel.leg(*at, *base);
        km += leg.km;
        cost += tariff.per_minute * leg.minutes + tariff.per_km * leg.km;
    }
    assert_eq!(kpis.visits, visits);
    close(kpis.travel_km, km, "km");
    close(kpis.total_cost, cost, "cost");
    let by_kind_km: f64 = kpis.by_kind.iter().map(|b| b.travel_km).sum();
    let by_kind_cost: f64 = kpis.by_kind.iter().map(|b| b.cost).sum();
    close(by_kind_km, km, "km by kind");
    close(by_kind_cost, cost, "cost by kind");
    // The rounds' plans each bring their technicians home: the day does so once.
    let planned: f64 = rounds.iter().map(|(_, p)| p.travel_km()).sum();
    assert!(km < planned, "{km} vs {planned}");
}

#[test]
fn the_same_seed_gives_the_same_report() {
    let run = |seed: u64| {
        let report = small("Hainan", 2, 200).seed(seed).run().unwrap();
        (
            serde_json::to_string(&report.strategies).unwrap(),
            report.table(),
            format!("{:?}", report.backlog),
        )
    };
    let first = run(7);
    assert_eq!(first, run(7));
    assert_ne!(first.0, run(8).0);
}

#[test]
fn optimal_beats_nearest_on_sla_and_cost_per_visit() {
    let report = small("Guangdong", 3, 1500)
        .strategies(vec![
            Box::new(Nearest::new()),
            Box::new(Optimal::new().work_limit(TEST_STEPS)),
        ])
        .run()
        .unwrap();
    let of = |n: &str| report.strategies.iter().find(|k| k.strategy == n).unwrap();
    let (nearest, optimal) = (of("nearest"), of("optimal"));
    assert!(
        optimal.total_cost < nearest.total_cost,
        "{} vs {}",
        optimal.total_cost,
        nearest.total_cost
    );
    assert!(
        optimal.sla_hit_rate > nearest.sla_hit_rate,
        "{} vs {}",
        optimal.sla_hit_rate,
        nearest.sla_hit_rate
    );
    assert!(optimal.cost_per_visit < nearest.cost_per_visit);
}

#[test]
fn rounds_follow_the_setting() {
    let config = SimConfig {
        round_every_min: 1440,
        ..SimConfig::default()
    };
    let report = small("Hainan", 3, 150)
        .config(config)
        .strategies(vec![Box::new(servnet::Nearest::new())])
        .run()
        .unwrap();
    // Once a day, at midnight: at most one round a day.
    assert!(report.strategies[0].rounds <= 3);
    let hourly = small("Hainan", 3, 150)
        .config(SimConfig {
            round_every_min: 60,
            ..SimConfig::default()
        })
        .strategies(vec![Box::new(servnet::Nearest::new())])
        .run()
        .unwrap();
    assert!(hourly.strategies[0].rounds > 3 * 6);
    // Answering every hour is faster than once a day.
    assert!(hourly.strategies[0].response_mean_h < report.strategies[0].response_mean_h);
}

#[test]
fn bad_settings_are_refused_before_any_work() {
    let fields = |c: SimConfig| -> Vec<String> {
        small("Hainan", 1, 10)
            .config(c)
            .run()
            .unwrap_err()
            .problems()
            .iter()
            .map(|p| p.field.clone())
            .collect()
    };
    let mut zero_sla = SimConfig::default();
    zero_sla.triage.sla_city_hours = 0.0;
    assert_eq!(fields(zero_sla), ["sla_city_hours"]);

    let mut negative = SimConfig::default();
    negative.triage.first_time_fix[1] = -0.2;
    negative.triage.remote = vec![RemoteRule {
        request_kinds: vec![RequestKind::Repair],
        categories: None,
        max_difficulty: 2,
        probability: -0.5,
    }];
    assert_eq!(fields(negative), ["remote", "first_time_fix"]);

    let mut orphan = SimConfig::default();
    orphan.policy.rules = vec![KindRule::new(OutletKind::Dealer, 2)];
    let f = fields(orphan);
    assert!(!f.is_empty() && f.iter().all(|f| f == "rules"), "{f:?}");

    let rounds = SimConfig {
        round_every_min: 0,
        ..SimConfig::default()
    };
    assert_eq!(fields(rounds), ["round_every_min"]);

    // The same checks when the settings are read from JSON.
    let err = servnet::io::sim_config_from_json_str(
        r#"{"triage": {"remote": [], "first_time_fix": [0.9, 1.5, 0.9],
            "sla_city_hours": 24, "sla_county_hours": -1}}"#,
        "config.json",
    )
    .unwrap_err();
    let f: Vec<&str> = err.problems().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(f, ["first_time_fix", "sla_county_hours"]);
    assert!(servnet::io::sim_config_from_json_str("{}", "config.json").is_ok());
    assert!(
        servnet::io::sim_config_from_json_str(r#"{"round_every_min": "often"}"#, "config.json")
            .is_err()
    );

    let d = Triage::default();
    assert!(d.problems().is_empty());
    assert!(
        small("Hainan", 0, 10)
            .run()
            .unwrap_err()
            .to_string()
            .contains("days")
    );
}
