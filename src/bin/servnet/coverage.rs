//! `servnet coverage`: distance to the nearest outlet of each kind, and the
//! cities and people a km/minutes promise covers.

use crate::outputs::Outputs;
use crate::ranges;
use clap::Args;
use servnet::io::atomic::write_file;
use servnet::io::coverage::{uncovered_geojson, write_coverage_csv};
use servnet::io::{read_scenario, to_json_string};
use servnet::planning::coverage::{CoverageOptions, Promise, coverage};
use servnet::{Error, OutletKind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `servnet coverage`.
#[derive(Args)]
pub struct CoverageArgs {
    /// Scenario JSON.
    file: PathBuf,
    /// The promise's most travel km (> 0, at most 100,000).
    #[arg(long, value_parser = ranges::reach)]
    km: Option<f64>,
    /// The promise's most travel minutes (> 0, at most 100,000).
    #[arg(long, value_parser = ranges::reach)]
    minutes: Option<f64>,
    /// Only outlets servicing this category count: its id or code (e.g. `0` or `air_conditioner`).
    #[arg(long)]
    category: Option<String>,
    /// Only these outlet kinds count, comma-separated (company_owned, contracted, dealer).
    #[arg(long, value_delimiter = ',')]
    kinds: Vec<OutletKind>,
    /// Only the cities of these provinces are measured, comma-separated.
    #[arg(long, value_delimiter = ',')]
    province: Vec<String>,
    /// Write one CSV row per city here.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Write the uncovered cities as GeoJSON here.
    #[arg(long)]
    geojson: Option<PathBuf>,
    /// Print the report as JSON instead of the tables.
    #[arg(long)]
    json: bool,
}

pub fn run(a: CoverageArgs) -> Result<ExitCode, Error> {
    Outputs::new()
        .input(&a.file)
        .file("csv", a.csv.as_ref())
        .file("geojson", a.geojson.as_ref())
        .check()?;
    let s = read_scenario(&a.file)?;
    let promise = Promise {
        km: a.km,
        minutes: a.minutes,
    };
    let mut options = CoverageOptions::new(promise).provinces(a.province.iter().cloned());
    if let Some(c) = &a.category {
        let category = s.catalog().find_category(c);
        options = options.category(category.map_err(|e| e.for_parameter("category"))?);
    }
    if !a.kinds.is_empty() {
        options = options.kinds(&a.kinds);
    }
    let t = Instant::now();
    let report = coverage(&s, &options)?;
    let secs = t.elapsed().as_secs_f64();
    if let Some(path) = &a.csv {
        let mut csv = Vec::new();
        write_coverage_csv(&report, &mut csv)?;
        write_file(path, csv)?;
    }
    if let Some(path) = &a.geojson {
        write_file(path, uncovered_geojson(&report).to_string())?;
    }
    if a.json {
        outln!("{}", to_json_string(&report)?);
    } else {
        out!("{}", report.summary());
        outln!("coverage time {secs:.3} s");
    }
    Ok(ExitCode::SUCCESS)
}
