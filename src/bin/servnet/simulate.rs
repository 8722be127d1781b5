//! `servnet simulate`: days of calls through every strategy, KPIs side by side.

use crate::outputs::Outputs;
use crate::ranges::{self, MAX_COUNT};
use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use servnet::generate::Preset;
use servnet::sim::{SimConfig, Simulation};
use servnet::{DispatchStrategy, Error, RegionRule, dispatch};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `servnet simulate`.
#[derive(Args)]
pub struct SimulateArgs {
    /// `national` or `province:<name>`.
    #[arg(long, default_value = "national")]
    preset: Preset,
    /// Number of days, 1 to 366.
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
    days: u32,
    /// Seed of the network, the calls and every draw of chance.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Average calls a day (more at the weekend), 1 to 10,000,000.
    #[arg(long, default_value_t = 20_000, value_parser = ranges::count::<1, MAX_COUNT>)]
    requests_per_day: usize,
    /// Number of technicians, 1 to 10,000,000 (default: one per 3 calls of
    /// a day); at least one per outlet is always generated.
    #[arg(long, value_parser = ranges::count::<1, MAX_COUNT>)]
    technicians: Option<usize>,
    /// Month 1–12 (product mix).
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u8).range(1..=12))]
    month: u8,
    /// Call-center settings as JSON (triage, policy, round_every_min); checked when loaded.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Minutes between dispatch rounds, 1 to 1440 (overrides the config).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1440))]
    round_every: Option<u32>,
    /// Region rule: never, when-necessary or freely (overrides the config).
    #[arg(long)]
    region: Option<String>,
    /// Strategies, comma-separated (default: nearest,region_nearest,regret,optimal).
    #[arg(long, value_delimiter = ',')]
    strategies: Vec<String>,
    /// Directory for kpis.json, kpis.csv, backlog.csv and strategies.svg,
    /// replaced whole (refused if it holds anything else).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(a: SimulateArgs) -> Result<ExitCode, Error> {
    Outputs::new()
        .inputs(&a.config)
        .folder("out", a.out.as_ref(), &servnet::io::report::REPORT_FILES)
        .check()?;
    let mut config = match &a.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Error::parameter("config", format!("cannot read {}: {e}", path.display()))
            })?;
            servnet::io::sim_config_from_json_str(&text, &path.display().to_string())?
        }
        None => SimConfig::default(),
    };
    if let Some(m) = a.round_every {
        config.round_every_min = m;
    }
    if let Some(r) = &a.region {
        config.policy.region = RegionRule::parse(r).ok_or_else(|| {
            Error::parameter(
                "region",
                format!("`{r}` is none of never, when-necessary, freely"),
            )
        })?;
    }
    let mut sim = Simulation::new(a.preset.clone())
        .days(a.days)
        .seed(a.seed)
        .requests_per_day(a.requests_per_day)
        .month(a.month)
        .config(config);
    if let Some(n) = a.technicians {
        sim = sim.technicians(n);
    }
    // The simulation's own settings (Optimal's work limit per round) where a name matches.
    let mut defaults = Simulation::default_strategies();
    let names: Vec<String> = if a.strategies.is_empty() {
        defaults.iter().map(|s| s.name().to_string()).collect()
    } else {
        a.strategies.clone()
    };
    let mut strategies: Vec<Box<dyn DispatchStrategy>> = Vec::new();
    for name in &names {
        let strategy = match defaults.iter().position(|s| s.name() == name) {
            Some(i) => Some(defaults.remove(i)),
            None => dispatch::strategy_by_name(name),
        };
        strategies.push(strategy.ok_or_else(|| {
            Error::parameter(
                "strategies",
                format!(
                    "unknown strategy `{name}`; known: {}",
                    dispatch::STRATEGIES.join(", ")
                ),
            )
        })?);
    }
    let sim = sim.strategies(strategies);

    let bars = MultiProgress::new();
    let style =
        ProgressStyle::with_template("{prefix:>16} [{bar:30}] {pos}/{len} rounds {elapsed}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    let per: Vec<ProgressBar> = names
        .iter()
        .map(|n| {
            let bar = bars.add(ProgressBar::new(sim.rounds() as u64));
            bar.set_style(style.clone());
            bar.set_prefix(n.clone());
            bar
        })
        .collect();
    let t = Instant::now();
    let report = sim.run_with_progress(&|p| per[p.strategy].set_position(p.rounds_done as u64))?;
    for bar in &per {
        bar.finish_and_clear();
    }
    let seconds = t.elapsed().as_secs_f64();

    out!("{}", report.table());
    outln!();
    for (k, s) in report.strategies.iter().zip(&report.dispatch_seconds) {
        outln!(
            "{:<16} {} rounds, {s:.1} s dispatching; open at the end: {}",
            k.strategy,
            k.rounds,
            k.unassigned_by_reason
                .iter()
                .map(|(r, n)| format!("{r} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    outln!("simulated {} days in {seconds:.1} s", a.days);
    if let Some(dir) = &a.out {
        for path in servnet::io::report::write_report(dir, &report)? {
            errln!("wrote {}", path.display());
        }
    }
    let broken: usize = report.strategies.iter().map(|k| k.violations).sum();
    if broken > 0 {
        errln!("{broken} rule violations in the rounds' plans");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
