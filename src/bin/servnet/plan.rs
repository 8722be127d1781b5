//! `servnet plan`: own or contract, under a coverage promise; writes CSV, GeoJSON and an SVG map.

use crate::outputs::Outputs;
use crate::ranges;
use clap::Args;
use servnet::Error;
use servnet::Geography;
use servnet::generate::{Generator, Preset};
use servnet::io::atomic::write_folder;
use servnet::io::coverage::write_coverage_csv;
use servnet::io::map::{MapOptions, network_plan_svg};
use servnet::io::network_plan::{
    break_even_csv, network_plan_csv, network_plan_geojson, read_forecast_file, sweep_csv,
};
use servnet::model::{AdminLevel, OutletKind};
use servnet::planning::coverage::{CoverageOptions, Promise, coverage_of};
use servnet::planning::planner::{CostModel, NetworkPlanner};
use servnet::travel::TravelSpec;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `servnet plan`.
#[derive(Args)]
pub struct PlanArgs {
    /// `national` or `province:<name>`: the cities and the contracted outlets and dealers.
    #[arg(long, default_value = "national")]
    preset: Preset,
    /// The coverage promise: `50km` (the default unit), or `90min`, or both:
    /// `50km,90min`; each > 0 and at most 100,000.
    #[arg(long, default_value = "50km")]
    promise: Promise,
    /// How far owned technicians travel for expert jobs, in km (0 to 100,000).
    #[arg(long, default_value_t = 300.0, value_parser = ranges::distance)]
    escalation_km: f64,
    /// Visits a year over all the preset's cities, spread by population (the
    /// generator's forecast); > 0 and at most 10^12.
    #[arg(long, default_value_t = 5_000_000.0, value_parser = ranges::positive)]
    visits: f64,
    /// A forecast CSV (`city,visits[,basic_share,expert_share,service_min]`) instead of the generator's.
    #[arg(long)]
    forecast: Option<PathBuf>,
    /// Seed of the generated network and job mix.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Travel model: `great-circle` or `roads` (China's shipped trunk roads).
    #[arg(long, default_value = "great-circle")]
    travel: TravelSpec,
    /// Which cities may get an owned outlet: `all`, or `prefecture` (prefecture level and above).
    #[arg(long, default_value = "all")]
    candidates: String,
    /// Yearly fixed cost of an owned outlet (each cost and fee: 0 to 10^12).
    #[arg(long, value_parser = ranges::amount)]
    owned_fixed: Option<f64>,
    /// Cost of an owned technician's working minute.
    #[arg(long, value_parser = ranges::amount)]
    owned_per_minute: Option<f64>,
    /// Fee per visit of a contracted outlet.
    #[arg(long, value_parser = ranges::amount)]
    contracted_fee: Option<f64>,
    /// Fee per visit of a dealer.
    #[arg(long, value_parser = ranges::amount)]
    dealer_fee: Option<f64>,
    /// Cost per km driven.
    #[arg(long, value_parser = ranges::amount)]
    per_km: Option<f64>,
    /// Volume factors of the sweep, comma-separated (each > 0 and at most 1000).
    #[arg(long, value_delimiter = ',', default_value = "0.25,0.5,1,2,4", value_parser = ranges::factor)]
    sweep: Vec<f64>,
    /// Stop once the plan is proven within this relative gap, 0 ≤ gap < 1
    /// (0: prove it optimal).
    #[arg(long, default_value_t = 0.0, value_parser = ranges::gap)]
    target_gap: f64,
    /// Directory for plan.csv, plan.geojson, plan.svg, sweep.csv,
    /// break_even.csv and coverage.csv, replaced whole (refused if it holds
    /// anything else).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print the plan as JSON instead of the tables.
    #[arg(long)]
    json: bool,
}

/// The files `--out` writes.
const PLAN_FILES: [&str; 6] = [
    "plan.csv",
    "plan.geojson",
    "plan.svg",
    "sweep.csv",
    "break_even.csv",
    "coverage.csv",
];

pub fn run(a: PlanArgs) -> Result<ExitCode, Error> {
    let (km, minutes) = (a.promise.km, a.promise.minutes);
    Outputs::new()
        .inputs(&a.forecast)
        .folder("out", a.out.as_ref(), &PLAN_FILES)
        .check()?;
    // With standard output closed and no files to write, nothing is left to do.
    let done = || a.out.is_none() && crate::out::closed();
    let preset = a.preset.clone();
    let generator = Generator::new(preset.clone())
        .seed(a.seed)
        .requests(0)
        .travel(servnet::io::load_travel(a.travel.clone())?);
    let scenario = generator.build()?;
    // The generator's forecast covers the preset's cities; a user's may name fewer.
    let generated = generator.forecast(a.visits)?;
    let forecast = match &a.forecast {
        Some(path) => read_forecast_file(path, &generator.job_mix()?)?,
        None => generated.clone(),
    };
    let defaults = CostModel::default();
    let cost = CostModel {
        owned_fixed_per_year: a.owned_fixed.unwrap_or(defaults.owned_fixed_per_year),
        owned_per_minute: a.owned_per_minute.unwrap_or(defaults.owned_per_minute),
        contracted_per_visit: a.contracted_fee.unwrap_or(defaults.contracted_per_visit),
        dealer_per_visit: a.dealer_fee.unwrap_or(defaults.dealer_per_visit),
        per_km: a.per_km.unwrap_or(defaults.per_km),
        ..defaults
    };
    let mut planner = NetworkPlanner::new(scenario.cities(), scenario.outlets(), scenario.travel())
        .cost_model(cost)
        // A time promise alone: no limit of km (the planner takes finite values).
        .promise_km(km.unwrap_or(ranges::MAX_REACH))
        .escalation_km(a.escalation_km)
        .target_gap(a.target_gap);
    if let Some(m) = minutes {
        planner = planner.promise_minutes(m);
    }
    // A province's plan places owned outlets in the province's cities.
    let in_area: std::collections::BTreeSet<_> = generated.cities.iter().map(|d| d.city).collect();
    let area = |c: &&servnet::model::City| match &preset {
        Preset::National => true,
        _ => in_area.contains(&c.id),
    };
    match a.candidates.as_str() {
        "all" => {
            if !matches!(preset, Preset::National) {
                planner = planner.candidates(scenario.cities().iter().filter(area).map(|c| c.id));
            }
        }
        "prefecture" => {
            planner = planner.candidates(
                scenario
                    .cities()
                    .iter()
                    .filter(area)
                    .filter(|c| c.admin_level != AdminLevel::County)
                    .map(|c| c.id),
            )
        }
        other => {
            return Err(Error::parameter(
                "candidates",
                format!("`{other}`: expected all or prefecture"),
            ));
        }
    }
    let plan = planner.plan(&forecast)?;
    if a.json {
        outln!("{}", servnet::io::to_json_string(&plan)?);
    } else {
        outln!(
            "{} cities, {:.0} visits a year, promise {}, {} contracted outlets and dealers",
            forecast.cities.len(),
            forecast.total_visits(),
            a.promise,
            scenario
                .outlets()
                .iter()
                .filter(|o| o.kind != OutletKind::CompanyOwned)
                .count()
        );
        outln!("{}", plan.summary());
    }
    if done() {
        return Ok(ExitCode::SUCCESS);
    }
    // The planned network: the contracted outlets and dealers, and the planned owned outlets.
    let network = planner.planned_network(&plan);
    let reach = match (km, minutes) {
        (Some(k), Some(m)) => Promise::km(k).and_minutes(m),
        (Some(k), None) => Promise::km(k),
        (None, Some(m)) => Promise::minutes(m),
        (None, None) => Promise::default(),
    };
    let covered = coverage_of(
        scenario.cities(),
        scenario.regions(),
        &network,
        scenario.travel(),
        &match &preset {
            Preset::National => CoverageOptions::new(reach),
            _ => {
                let mut provinces: Vec<String> = scenario
                    .cities()
                    .iter()
                    .filter(area)
                    .map(|c| c.province.clone())
                    .collect();
                provinces.dedup();
                CoverageOptions::new(reach).provinces(provinces)
            }
        },
    )?;
    let cover = planner.min_cover(&forecast)?;
    if !a.json {
        outln!(
            "covering every city within the promise takes {} outlets whatever their kind (set cover: {:?}, bound {:.0}, {:.3} s)",
            cover.open.len(),
            cover.status,
            cover.bound,
            cover.seconds
        );
        outln!("\nthe planned network's coverage:\n{}", covered.summary());
    }
    if done() {
        return Ok(ExitCode::SUCCESS);
    }
    let sweep = planner.sweep(&forecast, &a.sweep)?;
    let breaks = planner.break_even(&forecast)?;
    let name = |id| scenario.city(id).map_or(String::new(), |c| c.name.clone());
    if !a.json {
        outln!("\nvolume sweep:");
        outln!(
            "{:>7} {:>12} {:>6} {:>15} {:>9} {:>7} {:>11} {:>7} {:>7}",
            "factor",
            "visits",
            "owned",
            "cost a year",
            "per visit",
            "owned%",
            "contracted%",
            "dealer%",
            "gap%"
        );
        for p in &sweep {
            outln!(
                "{:>7} {:>12.0} {:>6} {:>15.0} {:>9.1} {:>7.1} {:>11.1} {:>7.1} {:>7.3}",
                p.factor,
                p.visits,
                p.owned,
                p.total_cost,
                p.per_visit,
                100.0 * p.visit_share[0],
                100.0 * p.visit_share[1],
                100.0 * p.visit_share[2],
                100.0 * p.gap
            );
        }
        let mut paying: Vec<_> = breaks
            .iter()
            .filter_map(|b| b.break_even_visits.map(|v| (b, v)))
            .collect();
        paying.sort_by(|x, y| (y.0.visits / y.1).total_cmp(&(x.0.visits / x.1)));
        outln!(
            "\nwhere owning pays (an owned outlet serving only its city; {} of {} cities at today's volume):",
            paying.iter().filter(|(b, v)| b.visits >= *v).count(),
            breaks.len()
        );
        outln!(
            "{:<16} {:>10} {:>12} {:>10} {:>10}",
            "city",
            "visits",
            "break-even",
            "contract",
            "owned"
        );
        for (b, v) in paying.iter().take(10) {
            outln!(
                "{:<16} {:>10.0} {:>12.0} {:>10.1} {:>10.1}",
                name(b.city),
                b.visits,
                v,
                b.contract_per_visit.unwrap_or(f64::NAN),
                b.owned_per_visit
            );
        }
    }
    if let Some(dir) = &a.out {
        let geography = Geography {
            regions: scenario.regions().to_vec(),
            cities: scenario.cities().to_vec(),
        };
        let fc = network_plan_geojson(&plan, scenario.cities(), scenario.outlets())?;
        let svg = network_plan_svg(
            &geography,
            &plan,
            scenario.outlets(),
            &MapOptions::new().title(format!("servnet plan: {} promise {}", a.preset, a.promise)),
        )?;
        let mut coverage_csv = Vec::new();
        write_coverage_csv(&covered, &mut coverage_csv)?;
        let texts: [Vec<u8>; 6] = [
            network_plan_csv(&plan, scenario.cities())?.into_bytes(),
            format!("{fc}\n").into_bytes(),
            svg.into_bytes(),
            sweep_csv(&sweep)?.into_bytes(),
            break_even_csv(&breaks, scenario.cities())?.into_bytes(),
            coverage_csv,
        ];
        let files: Vec<(&str, &[u8])> = PLAN_FILES
            .iter()
            .zip(&texts)
            .map(|(n, t)| (*n, t.as_slice()))
            .collect();
        write_folder(dir, &files)?;
        errln!("wrote {} to {}", PLAN_FILES.join(", "), dir.display());
    }
    Ok(ExitCode::SUCCESS)
}
