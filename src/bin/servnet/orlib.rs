//! `servnet orlib gap|cap|pmed`: solve OR-Library benchmark files and
//! compare with the published optima, through the library's benchmark
//! report ([`servnet::io::bench`]).

use clap::Subcommand;
use servnet::Error;
use std::process::ExitCode;

#[path = "orlib/bench.rs"]
mod bench;
#[path = "orlib/cap.rs"]
mod cap;
#[path = "orlib/gap.rs"]
mod gap;
#[path = "orlib/pmed.rs"]
mod pmed;

/// The OR-Library benchmarks.
#[derive(Subcommand)]
pub enum OrlibCommand {
    /// Solve generalized-assignment files (gap1.txt … gap12.txt maximise,
    /// gapa.txt … gapd.txt minimise): one row, or JSON line, per problem.
    Gap(gap::GapArgs),
    /// Solve capacitated warehouse location files (cap41.txt … capc.txt):
    /// one row, or JSON line, per file.
    Cap(cap::CapArgs),
    /// Solve p-median files (pmed1.txt … pmed40.txt) to proven optimality:
    /// one row, or JSON line, per file.
    Pmed(pmed::PmedArgs),
}

/// Runs `servnet orlib …`.
pub fn run(command: OrlibCommand) -> Result<ExitCode, Error> {
    match command {
        OrlibCommand::Gap(args) => gap::gap(args),
        OrlibCommand::Cap(args) => cap::cap(args),
        OrlibCommand::Pmed(args) => pmed::pmed(args),
    }
}
