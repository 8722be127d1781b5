//! The simulation's builder and its run: every strategy, in parallel, on the
//! same network and calls.

use super::DAY;
use super::config::SimConfig;
use super::run::Run;
use crate::dispatch::{DispatchStrategy, Nearest, Optimal, RegionNearest, Regret};
use crate::error::{ErrorKind, Result};
use crate::model::*;
use crate::sim::generate::{Generator, Preset};
use crate::sim::{BacklogEntry, Report, StrategyKpis};
use rayon::prelude::*;

/// Ruin-and-recreate steps the default `Optimal` runs in each round of a
/// simulation, whatever the round's size (see [`crate::Optimal::work_limit`]).
///
/// Chosen for the national week, `servnet simulate --preset national --days
/// 7 --seed 7` (35 rounds of up to several thousand requests), which must
/// stay within 2 minutes on a 2-core machine with the four default
/// strategies running in parallel. Measured on a 2-core machine, wall time
/// of the whole week and Optimal's SLA hit rate and cost per visit (Nearest:
/// 89.6%, 132.3), with the response cost of [`SIM_RESPONSE_COST`] and, for
/// comparison, with smaller ones:
///
/// | steps a round | response cost | wall | SLA hit | cost / visit |
/// |---|---|---|---|---|
/// | 10,000 | 0.01 | 9 s | 92.7% | 120.9 |
/// | 10,000 | 0.05 | 10 s | 94.1% | 119.8 |
/// | 10,000 | 0.25 | 10 s | 95.8% | 119.7 |
/// | 20,000 | 0.25 | 14 s | 95.8% | 119.2 |
/// | 40,000 | 0.25 | 24 s | 95.9% | 118.8 |
///
/// A response cost that makes early visits count buys more than further
/// steps; 40,000 steps leave a machine several times slower within the 2 minutes.
pub const SIM_WORK_LIMIT: u64 = 40_000;

/// What the default `Optimal` of a simulation charges per minute a visit
/// starts after its window opens, at normal priority (see
/// [`crate::Optimal::response_cost_per_min`]): a round's window is the rest
/// of the day, so the sooner in it, the sooner the customer is served.
pub const SIM_RESPONSE_COST: f64 = 0.25;

/// How far a run has come: `rounds_done` of `rounds` for strategy `strategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Position of the strategy in the run.
    pub strategy: usize,
    /// Rounds it has finished.
    pub rounds_done: usize,
    /// Rounds in all.
    pub rounds: usize,
}

/// A seeded multi-day simulation of the call center: a generated network,
/// a week (or any number of days) of demand, and every strategy dispatching
/// the same calls.
///
/// Defaults: 7 days, 20,000 calls a day on average (more at the weekend),
/// seed 0, July, the generator's staffing for that volume, [`SimConfig::default`],
/// and the four strategies of [`Simulation::default_strategies`].
///
/// # Example
/// ```
/// use servnet::generate::Preset;
/// use servnet::sim::Simulation;
/// use servnet::{Nearest, Optimal};
/// let report = Simulation::new(Preset::province("Hainan"))
///     .days(2)
///     .requests_per_day(150)
///     .seed(7)
///     .strategies(vec![
///         Box::new(Nearest::new()),
///         Box::new(Optimal::new().work_limit(2_000)),
///     ])
///     .run()?;
/// for k in &report.strategies {
///     assert_eq!(k.requests_total, k.resolved_by_phone + k.served + k.backlog);
///     assert_eq!(k.violations, 0);
/// }
/// # Ok::<(), servnet::Error>(())
/// ```
pub struct Simulation {
    /// The network's generator, with the calls a day, seed, month and technicians.
    pub(super) generator: Generator,
    pub(super) days: u32,
    pub(super) config: SimConfig,
    strategies: Vec<Box<dyn DispatchStrategy>>,
}

impl Simulation {
    /// A simulation of a preset with the defaults.
    pub fn new(preset: Preset) -> Simulation {
        Simulation {
            generator: Generator::new(preset).requests(20_000),
            days: 7,
            config: SimConfig::default(),
            strategies: Simulation::default_strategies(),
        }
    }

    /// `Nearest`, `RegionNearest`, `Regret` and `Optimal` with a limit of
    /// work per round ([`SIM_WORK_LIMIT`] ruin-and-recreate steps, about a
    /// second on a national round), so the same simulation gives the same
    /// figures, byte for byte, on every machine; its 60 s time limit is only
    /// a safety net.
    pub fn default_strategies() -> Vec<Box<dyn DispatchStrategy>> {
        vec![
            Box::new(Nearest::new()),
            Box::new(RegionNearest::new()),
            Box::new(Regret::new()),
            Box::new(
                Optimal::new()
                    .work_limit(SIM_WORK_LIMIT)
                    .time_limit_s(60.0)
                    .response_cost_per_min(SIM_RESPONSE_COST),
            ),
        ]
    }

    /// Number of days.
    pub fn days(mut self, days: u32) -> Self {
        self.days = days;
        self
    }

    /// Average calls a day.
    pub fn requests_per_day(mut self, n: usize) -> Self {
        self.generator = self.generator.requests(n);
        self
    }

    /// The seed of the network, the calls and every draw of chance.
    pub fn seed(mut self, seed: u64) -> Self {
        self.generator = self.generator.seed(seed);
        self
    }

    /// The month, 1–12 (the product mix).
    pub fn month(mut self, month: u8) -> Self {
        self.generator = self.generator.month(month);
        self
    }

    /// Number of technicians (default: the generator's, for one day's calls).
    pub fn technicians(mut self, n: usize) -> Self {
        self.generator = self.generator.technicians(n);
        self
    }

    /// The call center's settings.
    pub fn config(mut self, config: SimConfig) -> Self {
        self.config = config;
        self
    }

    /// The strategies to compare, instead of the default four.
    pub fn strategies(mut self, strategies: Vec<Box<dyn DispatchStrategy>>) -> Self {
        self.strategies = strategies;
        self
    }

    /// Runs every strategy on the same network and calls.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] for bad settings (before any work);
    /// [`ErrorKind::Parameter`] for a bad preset, month or size; a strategy's error.
    pub fn run(&self) -> Result<Report> {
        self.run_with_progress(&|_| {})
    }

    /// [`Simulation::run`], calling `progress` after every round (from the
    /// strategies' threads: they run in parallel).
    ///
    /// # Errors
    /// As [`Simulation::run`].
    pub fn run_with_progress(&self, progress: &(dyn Fn(Progress) + Sync)) -> Result<Report> {
        self.config.check()?;
        if self.days == 0 {
            return Err(ErrorKind::Parameter {
                name: "days",
                message: "0 days".into(),
            }
            .into());
        }
        if self.days > limits::MAX_SIM_DAYS {
            return Err(ErrorKind::Parameter {
                name: "days",
                message: limits::past(
                    format!("{} days", self.days),
                    limits::MAX_SIM_DAYS,
                    "MAX_SIM_DAYS",
                ),
            }
            .into());
        }
        let calls = self.calls();
        if calls > limits::MAX_SIM_CALLS {
            return Err(ErrorKind::Parameter {
                name: "requests_per_day",
                message: limits::past(
                    format!(
                        "{} days of {} calls a day on average: {calls} calls",
                        self.days, self.generator.requests
                    ),
                    limits::MAX_SIM_CALLS,
                    "MAX_SIM_CALLS",
                ),
            }
            .into());
        }
        if self.strategies.is_empty() {
            return Err(ErrorKind::Parameter {
                name: "strategies",
                message: "no strategy to run".into(),
            }
            .into());
        }
        let setup = self.setup()?;
        let results: Vec<(StrategyKpis, Vec<BacklogEntry>, f64)> = self
            .strategies
            .par_iter()
            .enumerate()
            .map(|(i, strategy)| {
                Run::new(
                    &setup,
                    self.generator.seed,
                    self.config.round_every_min,
                    self.days,
                )
                .go(strategy.as_ref(), &|done, rounds| {
                    progress(Progress {
                        strategy: i,
                        rounds_done: done,
                        rounds,
                    })
                })
            })
            .collect::<Result<_>>()?;
        let mut report = Report {
            strategies: Vec::new(),
            backlog: Vec::new(),
            dispatch_seconds: Vec::new(),
        };
        for (kpis, backlog, seconds) in results {
            report.strategies.push(kpis);
            report.backlog.push(backlog);
            report.dispatch_seconds.push(seconds);
        }
        Ok(report)
    }

    /// Rounds each strategy runs (rounds with nobody on shift or nothing to do are skipped,
    /// so a strategy may finish in fewer).
    pub fn rounds(&self) -> usize {
        self.days as usize * DAY.div_ceil(self.config.round_every_min.max(1)) as usize
    }
}
