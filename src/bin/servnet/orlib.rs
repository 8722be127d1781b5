//! `servnet orlib gap`: solve OR-Library generalized-assignment files and
//! compare with the published optima.

use clap::{Args, Subcommand, ValueEnum};
use servnet::assign::{AssignmentSolver, Lagrangian, MipSolver, Solution, Status};
use servnet::io::orlib::{GapInstance, Sense, read_gap_file, read_gap_optima_file};
use servnet::{Error, ErrorKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[path = "orlib/bench.rs"]
mod bench;
#[path = "orlib/cap.rs"]
mod cap;
#[path = "orlib/pmed.rs"]
mod pmed;

/// The OR-Library benchmarks.
#[derive(Subcommand)]
pub enum OrlibCommand {
    /// Solve generalized-assignment files (gap1.txt … gap12.txt maximise,
    /// gapa.txt … gapd.txt minimise): one row, or JSON line, per problem.
    Gap(GapArgs),
    /// Solve capacitated warehouse location files (cap41.txt … capc.txt):
    /// one row, or JSON line, per file.
    Cap(cap::CapArgs),
    /// Solve p-median files (pmed1.txt … pmed40.txt) to proven optimality:
    /// one row, or JSON line, per file.
    Pmed(pmed::PmedArgs),
}

/// The arguments of `servnet orlib gap`.
#[derive(Args)]
pub struct GapArgs {
    /// OR-Library GAP files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Published optima, e.g. OR-Library's optima as lines `gap1: 336 327 339 341 326`
    /// (keyed by file stem, values in file order); adds the gap to the published value.
    #[arg(long, value_name = "FILE")]
    optima: Option<PathBuf>,
    /// Print one JSON object per problem per line instead of a table.
    #[arg(long)]
    json: bool,
    /// Time limit per problem, in seconds (> 0, at most 1,000,000).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = crate::ranges::seconds)]
    time_limit: f64,
    /// Whether every file minimises or maximises, instead of guessing from the file names.
    #[arg(long, value_enum)]
    sense: Option<SenseArg>,
    /// The solver.
    #[arg(long, value_enum, default_value_t = SolverArg::Lagrangian)]
    solver: SolverArg,
    /// Exit 1, naming each one, unless every problem with a published optimum
    /// is solved to exactly that value.
    #[arg(long, requires = "optima")]
    check: bool,
}

/// `--sense`.
#[derive(Clone, Copy, ValueEnum)]
enum SenseArg {
    /// Costs: the smallest objective is best.
    Min,
    /// Profits: the largest objective is best.
    Max,
}

/// `--solver`.
#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum SolverArg {
    /// Lagrangian relaxation, a primal heuristic and branch and bound.
    Lagrangian,
    /// The exact MIP reference through good_lp (microlp, or HiGHS with the `highs` feature).
    Mip,
}

/// One file, read and checked before anything is solved.
struct GapFile {
    path: PathBuf,
    /// The file name, for the table.
    name: String,
    sense: Sense,
    problems: Vec<GapInstance>,
    /// Published optima in file order, when known.
    optima: Option<Vec<i64>>,
}

/// What came of one problem.
struct Outcome {
    objective: Option<i64>,
    bound: Option<i64>,
    status: &'static str,
    /// Why a problem is infeasible or could not be solved.
    message: Option<String>,
    seconds: f64,
}

/// Runs `servnet orlib …`.
pub fn run(command: OrlibCommand) -> Result<ExitCode, Error> {
    match command {
        OrlibCommand::Gap(args) => gap(args),
        OrlibCommand::Cap(args) => cap::cap(args),
        OrlibCommand::Pmed(args) => pmed::pmed(args),
    }
}

fn sense_name(sense: Sense) -> &'static str {
    match sense {
        Sense::Minimize => "min",
        Sense::Maximize => "max",
    }
}

/// The optima of a file by its stem, ignoring case when no exact match exists.
fn optima_of<'a>(optima: &'a BTreeMap<String, Vec<i64>>, path: &Path) -> Option<&'a Vec<i64>> {
    let stem = path.file_stem()?.to_str()?;
    optima.get(stem).or_else(|| {
        optima
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(stem))
            .map(|(_, values)| values)
    })
}

/// Reads every file and decides its sense: any error stops the run before the first solve.
fn read_files(args: &GapArgs) -> Result<Vec<GapFile>, Error> {
    let optima = args.optima.as_ref().map(read_gap_optima_file).transpose()?;
    let mut files = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let sense = match args.sense {
            Some(SenseArg::Min) => Sense::Minimize,
            Some(SenseArg::Max) => Sense::Maximize,
            None => Sense::of_file_name(&name).ok_or_else(|| {
                Error::from(ErrorKind::Parameter {
                    name: "sense",
                    message: format!(
                        "{}: cannot tell from the name whether it minimises or maximises \
                         (gap1 … gap12 maximise, gapa … gapd minimise); give --sense min or --sense max",
                        path.display()
                    ),
                })
            })?,
        };
        let problems = read_gap_file(path)?;
        let optima = match &optima {
            None => None,
            Some(all) => {
                let found = optima_of(all, path).cloned();
                match &found {
                    None => errln!("warning: no published optima for {}", path.display()),
                    Some(values) if values.len() != problems.len() => errln!(
                        "warning: {} published optima for the {} problem(s) of {}",
                        values.len(),
                        problems.len(),
                        path.display()
                    ),
                    Some(_) => {}
                }
                found
            }
        };
        files.push(GapFile {
            path: path.clone(),
            name,
            sense,
            problems,
            optima,
        });
    }
    Ok(files)
}

/// Checks a solution against the file and maps it back to the file's sense.
fn outcome(g: &GapInstance, sense: Sense, s: &Solution, seconds: f64) -> Outcome {
    let failed = |message: String| Outcome {
        objective: None,
        bound: None,
        status: "error",
        message: Some(message),
        seconds,
    };
    let status = match &s.status {
        Status::Optimal => "optimal",
        Status::Feasible => "feasible",
        Status::Infeasible(why) => {
            return Outcome {
                objective: None,
                bound: None,
                status: "infeasible",
                message: Some(why.clone()),
                seconds,
            };
        }
        other => return failed(format!("unknown status {other:?}")),
    };
    let Some(objective) = g.objective_of_assignment(&s.agent_of) else {
        return failed("the solver's assignment breaks a rule of the file".into());
    };
    let reported = sense.objective_of(s.cost);
    if (reported - objective as f64).abs() > 1e-6 * (objective as f64).abs().max(1.0) {
        return failed(format!(
            "the solver reports objective {reported}, its assignment's is {objective}"
        ));
    }
    let bound = sense.bound_of(s.lower_bound);
    let bound = (bound.is_finite() && bound.abs() < 9e15).then_some(bound as i64);
    let beaten = bound.is_some_and(|b| match sense {
        Sense::Minimize => objective < b,
        Sense::Maximize => objective > b,
    });
    if beaten {
        return failed(format!(
            "objective {objective} beats the solver's own bound {}",
            bound.unwrap_or_default()
        ));
    }
    Outcome {
        objective: Some(objective),
        bound,
        status,
        message: None,
        seconds,
    }
}

/// One problem's line of the report.
struct Row<'a> {
    file: &'a GapFile,
    /// 1-based, in the file.
    number: usize,
    gap: &'a GapInstance,
    optimum: Option<i64>,
    out: Outcome,
}

impl Row<'_> {
    /// Whether the objective is the published optimum, when one is known.
    fn matches(&self) -> Option<bool> {
        self.optimum.map(|o| self.out.objective == Some(o))
    }

    /// The gap between objective and the solver's bound, in percent.
    fn own_gap(&self) -> Option<f64> {
        let (o, b) = self.out.objective.zip(self.out.bound)?;
        Some(gap_percent(self.file.sense, o, b))
    }

    /// How much worse than the published optimum the objective is, in percent.
    fn published_gap(&self) -> Option<f64> {
        let (o, p) = self.out.objective.zip(self.optimum)?;
        Some(gap_percent(self.file.sense, o, p))
    }

    /// The line `--check` prints when the optimum is missed.
    fn miss(&self) -> String {
        format!(
            "{} problem {}: objective {}, published {} ({})",
            self.file.name,
            self.number,
            or_dash(self.out.objective),
            or_dash(self.optimum),
            self.out.status
        )
    }

    fn json(&self, solver: &str, time_limit_s: f64) -> serde_json::Value {
        let (f, out) = (self.file, &self.out);
        let mut line = serde_json::json!({
            "file": f.path.display().to_string(),
            "instance": f.path.file_stem().map(|s| s.to_string_lossy().into_owned()),
            "problem": self.number,
            "agents": self.gap.agents,
            "jobs": self.gap.jobs,
            "sense": sense_name(f.sense),
            "solver": solver,
            "time_limit_s": time_limit_s,
            "objective": out.objective,
            "bound": out.bound,
            "gap_percent": self.own_gap(),
            "seconds": out.seconds,
            "status": out.status,
        });
        if let Some(o) = self.optimum {
            line["optimum"] = o.into();
            line["matches"] = self.matches().into();
            line["gap_to_optimum_percent"] = self.published_gap().into();
        }
        if let Some(m) = &out.message {
            line["message"] = m.as_str().into();
        }
        line
    }

    fn table(&self) -> String {
        let out = &self.out;
        format!(
            "{:<10} {:>7} {:>8} {:>10} {:>10} {:>9} {:>10} {:>9} {:>8.3}  {}",
            self.file.name,
            self.number,
            format!("{}×{}", self.gap.agents, self.gap.jobs),
            or_dash(out.objective),
            or_dash(out.bound),
            or_dash(self.own_gap().map(|g| format!("{g:.2}"))),
            or_dash(self.optimum),
            or_dash(self.published_gap().map(|g| format!("{g:.2}"))),
            out.seconds,
            out.status
        )
    }
}

/// How much worse `objective` is than `reference` (a bound or the optimum), in percent of |objective|.
fn gap_percent(sense: Sense, objective: i64, reference: i64) -> f64 {
    // In i128: a published value may be any i64, and the difference must not overflow.
    let (objective, reference) = (i128::from(objective), i128::from(reference));
    let worse = match sense {
        Sense::Minimize => objective - reference,
        Sense::Maximize => reference - objective,
    };
    100.0 * worse as f64 / (objective.unsigned_abs().max(1) as f64)
}

fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// Writes a line to standard output ([`crate::out`]: a closed pipe is no error).
fn emit(line: &str) -> Result<(), Error> {
    outln!("{line}");
    Ok(())
}

fn header() -> String {
    format!(
        "{:<10} {:>7} {:>8} {:>10} {:>10} {:>9} {:>10} {:>9} {:>8}  status",
        "file",
        "problem",
        "m×n",
        "objective",
        "bound",
        "own gap%",
        "published",
        "pub gap%",
        "seconds"
    )
}

fn gap(args: GapArgs) -> Result<ExitCode, Error> {
    if !(args.time_limit.is_finite() && args.time_limit > 0.0) {
        return Err(ErrorKind::Parameter {
            name: "time-limit",
            message: format!("{} is not a number of seconds > 0", args.time_limit),
        }
        .into());
    }
    let files = read_files(&args)?;
    let mut prepared = Vec::new();
    for f in &files {
        for (i, g) in f.problems.iter().enumerate() {
            let problem = g.to_problem(f.sense).map_err(|e| {
                Error::from(ErrorKind::Parameter {
                    name: "file",
                    message: format!("{} problem {}: {e}", f.path.display(), i + 1),
                })
            })?;
            prepared.push((f, i, g, problem));
        }
    }
    let solver: Box<dyn AssignmentSolver> = match args.solver {
        SolverArg::Lagrangian => Box::new(Lagrangian::new().time_limit_s(args.time_limit)),
        SolverArg::Mip => Box::new(MipSolver::new().time_limit_s(args.time_limit)),
    };
    if !args.json {
        emit(&header())?;
    }
    let (mut known, mut matched, mut errors) = (0, 0, 0);
    let (mut max_seconds, mut total_seconds) = (0.0_f64, 0.0);
    let mut misses = Vec::new();
    for (f, i, g, problem) in prepared {
        // Nobody reads the rows any more: stop (exit 141).
        if crate::out::closed() {
            return Ok(ExitCode::SUCCESS);
        }
        let started = Instant::now();
        let solved = solver.solve(&problem);
        let seconds = started.elapsed().as_secs_f64();
        let out = match solved {
            Ok(s) => outcome(g, f.sense, &s, seconds),
            Err(e) => Outcome {
                objective: None,
                bound: None,
                status: "error",
                message: Some(e.to_string()),
                seconds,
            },
        };
        if out.status == "error" {
            errors += 1;
            errln!(
                "error: {} problem {}: {}",
                f.path.display(),
                i + 1,
                out.message.as_deref().unwrap_or("")
            );
        }
        max_seconds = max_seconds.max(seconds);
        total_seconds += seconds;
        let row = Row {
            file: f,
            number: i + 1,
            gap: g,
            optimum: f.optima.as_ref().and_then(|o| o.get(i)).copied(),
            out,
        };
        if row.optimum.is_some() {
            known += 1;
            if row.matches() == Some(true) {
                matched += 1;
            } else {
                misses.push(row.miss());
            }
        }
        if args.json {
            emit(&row.json(solver.name(), args.time_limit).to_string())?;
        } else {
            emit(&row.table())?;
        }
    }
    let problems: usize = files.iter().map(|f| f.problems.len()).sum();
    let totals = format!(
        "{problems} problem(s), {matched} of {known} published optima matched, \
         max {max_seconds:.3} s, total {total_seconds:.3} s ({}, time limit {} s)",
        solver.name(),
        args.time_limit
    );
    // JSON output keeps stdout to one object per line; the summary goes to stderr.
    let say = |line: &str| {
        if args.json {
            errln!("{line}");
            Ok(())
        } else {
            emit(line)
        }
    };
    say(&format!("total: {totals}"))?;
    if args.check {
        if misses.is_empty() {
            say(&format!(
                "check passed: {matched} of {known} published optima"
            ))?;
        } else {
            say(&format!(
                "check failed: {} of {known} published optima missed",
                misses.len()
            ))?;
            for m in &misses {
                say(&format!("  {m}"))?;
            }
        }
    }
    if errors > 0 {
        return Err(ErrorKind::Parameter {
            name: "solver",
            message: format!("{errors} problem(s) could not be solved"),
        }
        .into());
    }
    if args.check && !misses.is_empty() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
