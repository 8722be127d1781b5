//! The `servnet` command: generate, validate, dispatch and verify scenarios,
//! simulate days of calls, measure coverage, and run the OR-Library benchmarks.
//!
//! Everything is printed through [`out`] (a closed pipe is no panic), every
//! file is written whole ([`servnet::io::atomic`]) and every output path is
//! checked before any work ([`outputs`]).
#![deny(clippy::print_stdout, clippy::print_stderr)]

#[macro_use]
#[path = "servnet/out.rs"]
mod out;

#[path = "servnet/coverage.rs"]
mod coverage;
#[path = "servnet/orlib.rs"]
mod orlib;
#[path = "servnet/outputs.rs"]
mod outputs;
#[path = "servnet/plan.rs"]
mod plan;
#[path = "servnet/ranges.rs"]
mod ranges;
#[path = "servnet/simulate.rs"]
mod simulate;

use clap::{Parser, Subcommand};
use outputs::Outputs;
use ranges::MAX_COUNT;
use servnet::dispatch::Insertion;
use servnet::generate::{Generator, Preset};
use servnet::io::{read_plan, read_request, read_scenario, read_scenario_data, write_json};
use servnet::route::RouteOptions;
use servnet::travel::TravelSpec;
use servnet::{Error, ErrorKind, Scenario, dispatch, verify};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "servnet",
    version,
    about = "Plan and run an after-sales service network",
    after_help = "Exit status: 0 success; 1 a plan breaks a rule (verify, route, simulate) or \
                  an optimum is missed (orlib --check); 2 an error (input, option or output path); \
                  141 standard output closed before everything was printed \
                  (`servnet … | head -1`: the files are still written whole).\n\
                  Every file is written whole (to a temporary file renamed into place), a \
                  folder of outputs is replaced whole, and an output that is an input or \
                  cannot be written is refused before any work."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a network and a day of requests.
    Generate {
        /// `national` or `province:<name>`, e.g. `province:Guangdong`.
        #[arg(long, default_value = "national")]
        preset: Preset,
        /// Number of requests (0 to 10,000,000).
        #[arg(long, default_value_t = 1000, value_parser = ranges::count::<0, MAX_COUNT>)]
        requests: usize,
        /// Seed of the random generator.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Month 1–12 (product mix).
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u8).range(1..=12))]
        month: u8,
        /// Number of technicians, 1 to 10,000,000 (default: one per 3
        /// requests); at least one per outlet is always generated.
        #[arg(long, value_parser = ranges::count::<1, MAX_COUNT>)]
        technicians: Option<usize>,
        /// Travel model: `great-circle` (straight line × 1.3 at 40 km/h) or
        /// `roads` (China's shipped trunk roads).
        #[arg(long, default_value = "great-circle")]
        travel: TravelSpec,
        /// Where to write the scenario JSON.
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a scenario file; exit 2 listing every problem.
    Validate {
        /// Scenario JSON.
        file: PathBuf,
    },
    /// Dispatch a scenario's requests and write the plan.
    Dispatch {
        /// Scenario JSON.
        file: PathBuf,
        /// Strategy: `nearest`, `region_nearest`, `regret` or `optimal`.
        #[arg(long, default_value = "nearest")]
        strategy: String,
        /// Where to write the plan JSON.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write the plan as GeoJSON: requests, outlets by kind, a line per technician's day.
        #[arg(long)]
        geojson: Option<PathBuf>,
        /// Also write an SVG map of the plan over China's cities.
        #[arg(long)]
        map: Option<PathBuf>,
        /// `optimal` only: end the dispatch after this many seconds at the
        /// latest, every phase of it (a safety net, default 60; a run it
        /// ends is marked `time_limited` and depends on the machine's speed).
        #[arg(long, value_parser = ranges::seconds)]
        time_limit: Option<f64>,
        /// `optimal` only: search for this many seconds, however many steps
        /// that is (anytime; the plan depends on the machine's speed).
        #[arg(long, conflicts_with_all = ["time_limit", "work_limit"], value_parser = ranges::seconds)]
        anytime: Option<f64>,
        /// `optimal` only: ruin-and-recreate steps of the search (default
        /// 200 per request, at most 400,000; a run that ends on them is the
        /// same on every machine).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
        work_limit: Option<u64>,
        /// `optimal` only: the seed of the search.
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Check a plan and its routes against its scenario; exit 1 listing every violation.
    Verify {
        /// Scenario JSON.
        file: PathBuf,
        /// Plan JSON, as any servnet command writes it.
        plan: PathBuf,
    },
    /// Order each technician's visits of a plan anew, under the time windows.
    ///
    /// Each day runs from the technician's start and back to the base;
    /// visits that fit no order are moved to another technician or left
    /// `window_missed`. Exit 1 if the routed plan breaks a rule.
    Route {
        /// Scenario JSON.
        file: PathBuf,
        /// Plan JSON (as `dispatch` writes it, or made elsewhere).
        plan: PathBuf,
        /// Where to write the routed plan JSON.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write the routed plan as GeoJSON, a line per technician's day.
        #[arg(long)]
        geojson: Option<PathBuf>,
    },
    /// Place an urgent request into a plan's routed day at the least extra cost.
    ///
    /// A plan without routes is routed first.
    Insert {
        /// Scenario JSON.
        file: PathBuf,
        /// Plan JSON, with routes or without.
        plan: PathBuf,
        /// The request JSON (one request, with an id the scenario does not have).
        request: PathBuf,
        /// The minute of the insertion (default: the request's `received_min`).
        #[arg(long, value_parser = ranges::minute)]
        now: Option<f64>,
        /// Where to write the updated routed plan JSON.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Simulate days of calls through every strategy and compare their KPIs.
    Simulate(simulate::SimulateArgs),
    /// Distance to the nearest outlet of each kind; the cities and people a km/minutes promise covers.
    Coverage(coverage::CoverageArgs),
    /// Plan the network: which cities get an owned outlet, which are
    /// contracted, under a coverage promise; with a volume sweep.
    Plan(plan::PlanArgs),
    /// OR-Library benchmarks: solve the files, compare with published optima.
    Orlib {
        /// The benchmark set.
        #[command(subcommand)]
        command: orlib::OrlibCommand,
    },
}

fn report(e: &Error) -> ExitCode {
    match e.kind() {
        ErrorKind::Invalid(problems) => {
            errln!("error: {} problem(s)", problems.len());
            for p in problems {
                errln!("  {p}");
            }
        }
        _ => errln!("error: {e}"),
    }
    ExitCode::from(2)
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Orlib { command } => orlib::run(command),
        Command::Simulate(args) => simulate::run(args),
        Command::Coverage(args) => coverage::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Generate {
            preset,
            requests,
            seed,
            month,
            technicians,
            travel,
            out,
        } => {
            Outputs::new().file("out", Some(&out)).check()?;
            let travel = servnet::io::load_travel(travel)?;
            let mut g = Generator::new(preset)
                .requests(requests)
                .seed(seed)
                .month(month)
                .travel(travel);
            if let Some(n) = technicians {
                g = g.technicians(n);
            }
            let t = Instant::now();
            let s = g.build()?;
            write_json(&out, &s)?;
            errln!(
                "wrote {}: {} cities, {} outlets, {} technicians, {} requests ({:.2} s)",
                out.display(),
                s.cities().len(),
                s.outlets().len(),
                s.technicians().len(),
                s.requests().len(),
                t.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { file } => {
            let s = Scenario::new(read_scenario_data(&file)?)?;
            outln!(
                "ok: {} regions, {} cities, {} outlets, {} technicians, {} requests",
                s.regions().len(),
                s.cities().len(),
                s.outlets().len(),
                s.technicians().len(),
                s.requests().len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Dispatch {
            file,
            strategy,
            out,
            geojson,
            map,
            time_limit,
            anytime,
            work_limit,
            seed,
        } => {
            Outputs::new()
                .input(&file)
                .file("out", out.as_ref())
                .file("geojson", geojson.as_ref())
                .file("map", map.as_ref())
                .check()?;
            let s = read_scenario(&file)?;
            let tuned =
                time_limit.is_some() || anytime.is_some() || work_limit.is_some() || seed.is_some();
            if tuned && strategy != "optimal" {
                return Err(ErrorKind::Parameter {
                    name: "strategy",
                    message: format!(
                        "--time-limit, --anytime, --work-limit and --seed tune `optimal`, not `{strategy}`"
                    ),
                }
                .into());
            }
            let st: Option<Box<dyn dispatch::DispatchStrategy>> = if strategy == "optimal" {
                let mut o = servnet::Optimal::new();
                if let Some(t) = time_limit {
                    o = o.time_limit_s(t);
                }
                if let Some(w) = work_limit {
                    o = o.work_limit(w);
                }
                if let Some(t) = anytime {
                    o = o.anytime(t);
                }
                if let Some(seed) = seed {
                    o = o.seed(seed);
                }
                Some(Box::new(o))
            } else {
                dispatch::strategy_by_name(&strategy)
            };
            let Some(st) = st else {
                return Err(ErrorKind::Parameter {
                    name: "strategy",
                    message: format!(
                        "unknown strategy `{strategy}`; known: {}",
                        dispatch::STRATEGIES.join(", ")
                    ),
                }
                .into());
            };
            let t = Instant::now();
            let plan = st.dispatch(&s)?;
            let secs = t.elapsed().as_secs_f64();
            if let Some(out) = &out {
                write_json(out, &plan)?;
            }
            if let Some(path) = &geojson {
                let text = servnet::io::geojson::plan_geojson(&s, &plan)?.to_string();
                write_text(path, &text)?;
            }
            if let Some(path) = &map {
                let china = servnet::io::china::Geography::china()?;
                let svg = servnet::io::map::plan_svg(
                    &china,
                    &s,
                    &plan,
                    &servnet::io::map::MapOptions::new(),
                )?;
                write_text(path, &svg)?;
            }
            out!("{}", plan.summary(&s));
            outln!("dispatch time {secs:.3} s");
            Ok(ExitCode::SUCCESS)
        }
        Command::Route {
            file,
            plan,
            out,
            geojson,
        } => {
            Outputs::new()
                .inputs([&file, &plan])
                .file("out", out.as_ref())
                .file("geojson", geojson.as_ref())
                .check()?;
            let s = read_scenario(&file)?;
            let p = read_plan(&plan)?;
            let before = p.travel_km();
            let t = Instant::now();
            let routed = dispatch::route_plan(&s, &p, &RouteOptions::new())?;
            let secs = t.elapsed().as_secs_f64();
            let missed = routed
                .unassigned
                .iter()
                .filter(|u| u.reason == dispatch::UnassignedReason::WindowMissed)
                .count();
            let kept = routed.assignments.len();
            outln!(
                "{} technicians' days routed in {secs:.3} s: {kept} of {} visits on time ({:.2}%), {missed} window_missed",
                routed.routes.len(),
                p.assignments.len(),
                100.0 * kept as f64 / p.assignments.len().max(1) as f64
            );
            outln!(
                "travel km {before:.0} before, {:.0} routed",
                routed.travel_km()
            );
            if let Some(out) = &out {
                write_json(out, &routed)?;
            }
            if let Some(path) = &geojson {
                let text = servnet::io::geojson::plan_geojson(&s, &routed)?.to_string();
                write_text(path, &text)?;
            }
            let violations = verify(&s, &routed);
            if violations.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                outln!("{} violation(s)", violations.len());
                for v in &violations {
                    outln!("  {v}");
                }
                Ok(ExitCode::from(1))
            }
        }
        Command::Insert {
            file,
            plan,
            request,
            now,
            out,
        } => {
            Outputs::new()
                .inputs([&file, &plan, &request])
                .file("out", out.as_ref())
                .check()?;
            let s = read_scenario(&file)?;
            let mut routed = read_plan(&plan)?;
            let request = read_request(&request)?;
            if routed.routes.is_empty() && !routed.assignments.is_empty() {
                let t = Instant::now();
                routed = dispatch::route_plan(&s, &routed, &RouteOptions::new())?;
                errln!(
                    "routed {} technicians' days ({:.3} s)",
                    routed.routes.len(),
                    t.elapsed().as_secs_f64()
                );
            }
            let now = now.unwrap_or(f64::from(request.received_min));
            let t = Instant::now();
            let outcome = dispatch::insert(&s, &routed, &request, now)?;
            let secs = t.elapsed().as_secs_f64();
            match &outcome {
                Insertion::Placed(p) => outln!(
                    "request {}: technician {} (outlet {}), position {} of {}, extra cost {:.2} ({:+.2} km, {:+.2} min driving)",
                    p.request,
                    p.technician,
                    p.assignment.outlet,
                    p.position,
                    p.route.stops.len(),
                    p.extra_cost,
                    p.extra_km,
                    p.extra_min
                ),
                Insertion::Unassigned(u) => {
                    outln!("request {}: unassigned, {}", u.request, u.reason.as_str())
                }
                _ => {}
            }
            outln!("insertion time {:.3} ms", secs * 1e3);
            outcome.apply(&mut routed, &s);
            if let Some(out) = &out {
                write_json(out, &routed)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { file, plan } => {
            let s = read_scenario(&file)?;
            let p = read_plan(&plan)?;
            let violations = verify(&s, &p);
            if violations.is_empty() {
                outln!(
                    "ok: {} assigned, {} unassigned, every request accounted for",
                    p.assignments.len(),
                    p.unassigned.len()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                outln!("{} violation(s)", violations.len());
                for v in &violations {
                    outln!("  {v}");
                }
                Ok(ExitCode::from(1))
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to standard output: through `out` when it is
        // no terminal, so a closed pipe gives the same status as a command's.
        Err(e) if !e.use_stderr() && !std::io::stdout().is_terminal() => {
            out!("{}", e.render());
            return out::finish(ExitCode::SUCCESS);
        }
        Err(e) => e.exit(),
    };
    let code = run(cli).unwrap_or_else(|e| report(&e));
    out::finish(code)
}

/// Writes `text` to `path` whole, an error naming the file if it cannot.
fn write_text(path: &std::path::Path, text: &str) -> Result<(), Error> {
    servnet::io::atomic::write_file(path, text)
}
