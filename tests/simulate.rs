//! The multi-day simulation: every request accounted for, every round's plan
//! sound, the same seed giving the same report, and bad settings refused.

use servnet::generate::Preset;
use servnet::sim::{RemoteRule, SimConfig, Simulation, Triage};
use servnet::{KindRule, OutletKind, RequestKind};

fn small(province: &str, days: u32, per_day: usize) -> Simulation {
    Simulation::new(Preset::province(province))
        .days(days)
        .requests_per_day(per_day)
        .seed(7)
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

#[test]
fn the_same_seed_gives_the_same_report() {
    let run = || serde_json::to_string(&small("Hainan", 2, 200).run().unwrap().strategies).unwrap();
    assert_eq!(run(), run());
    let other =
        serde_json::to_string(&small("Hainan", 2, 200).seed(8).run().unwrap().strategies).unwrap();
    assert_ne!(run(), other);
}

#[test]
fn optimal_costs_less_than_nearest_at_an_sla_as_good() {
    let report = small("Guangdong", 3, 1500).run().unwrap();
    let of = |n: &str| report.strategies.iter().find(|k| k.strategy == n).unwrap();
    let (nearest, optimal) = (of("nearest"), of("optimal"));
    assert!(
        optimal.total_cost < nearest.total_cost,
        "{} vs {}",
        optimal.total_cost,
        nearest.total_cost
    );
    assert!(optimal.sla_hit_rate >= nearest.sla_hit_rate);
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
    let err = SimConfig::from_json_str(
        r#"{"triage": {"remote": [], "first_time_fix": [0.9, 1.5, 0.9],
            "sla_city_hours": 24, "sla_county_hours": -1}}"#,
        "config.json",
    )
    .unwrap_err();
    let f: Vec<&str> = err.problems().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(f, ["first_time_fix", "sla_county_hours"]);
    assert!(SimConfig::from_json_str("{}", "config.json").is_ok());
    assert!(SimConfig::from_json_str(r#"{"round_every_min": "often"}"#, "config.json").is_err());

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
