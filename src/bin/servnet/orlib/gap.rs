//! `servnet orlib gap`: solve OR-Library generalized-assignment files and
//! compare with the published optima.

use super::bench::Printer;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};
use servnet::assign::{AssignmentSolver, Lagrangian, MipSolver};
use servnet::io::bench::{Report, published_of};
use servnet::io::orlib::{GapInstance, Sense, gap_row, read_gap_file, read_gap_optima_file};
use servnet::{Error, ErrorKind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

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
    #[arg(long, value_parser = sense_parser())]
    sense: Option<Sense>,
    /// The solver.
    #[arg(long, value_enum, default_value_t = SolverArg::Lagrangian)]
    solver: SolverArg,
    /// Exit 1, naming each one, unless every problem with a published optimum
    /// is solved to exactly that value.
    #[arg(long, requires = "optima")]
    check: bool,
}

/// `--sense`: the values `--help` lists, read by [`Sense`]'s `FromStr`.
fn sense_parser() -> impl TypedValueParser<Value = Sense> {
    PossibleValuesParser::new([
        PossibleValue::new("min").help("Costs: the smallest objective is best"),
        PossibleValue::new("max").help("Profits: the largest objective is best"),
    ])
    .try_map(|s| s.parse::<Sense>())
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
    sense: Sense,
    problems: Vec<GapInstance>,
    /// Published optima in file order, when known.
    optima: Option<Vec<i64>>,
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
            Some(sense) => sense,
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
                let found = published_of(all, path).cloned();
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
            sense,
            problems,
            optima,
        });
    }
    Ok(files)
}

/// Runs `servnet orlib gap`.
pub fn gap(args: GapArgs) -> Result<ExitCode, Error> {
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
    let report = Report::new(solver.name())
        .time_limit_s(args.time_limit)
        .size_label("m×n");
    let mut printer = Printer::start(report, args.json, args.check);
    let mut errors = 0;
    for (f, i, g, problem) in prepared {
        // Nobody reads the rows any more: stop (exit 141).
        if crate::out::closed() {
            return Ok(ExitCode::SUCCESS);
        }
        let started = Instant::now();
        let solved = solver.solve(&problem);
        let seconds = started.elapsed().as_secs_f64();
        let published = f.optima.as_ref().and_then(|o| o.get(i)).copied();
        let row = gap_row(&f.path, i + 1, g, f.sense, &solved, seconds, published);
        if row.status == "error" {
            errors += 1;
            errln!(
                "error: {} problem {}: {}",
                f.path.display(),
                i + 1,
                row.message.as_deref().unwrap_or("")
            );
        }
        printer.row(&row);
    }
    let code = printer.finish();
    if errors > 0 {
        return Err(ErrorKind::Parameter {
            name: "solver",
            message: format!("{errors} problem(s) could not be solved"),
        }
        .into());
    }
    Ok(code)
}
