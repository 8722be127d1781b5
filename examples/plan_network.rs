//! The national network plan: China's shipped cities, the generator's
//! contracted outlets and dealers and its yearly demand forecast, a 50 km
//! promise → which cities get a company-owned outlet, what the network
//! costs, how the choice moves with volume, and where owning pays; written
//! as `plan.csv`, `plan.geojson` and `plan.svg`.
//!
//! Run: `cargo run --release --example plan_network [DIR] [promise km] [visits a year]`
//! (defaults: `target/plan_network`, 50, 5,000,000).

use servnet::generate::{Generator, Preset};
use servnet::io::china::Geography;
use servnet::io::map::{MapOptions, network_plan_svg};
use servnet::io::network_plan::{network_plan_csv, network_plan_geojson};
use servnet::model::OutletKind;
use servnet::planning::coverage::{CoverageOptions, Promise, coverage_of};
use servnet::planning::planner::NetworkPlanner;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "target/plan_network".into()));
    let promise_km: f64 = args.next().map_or(Ok(50.0), |s| s.parse())?;
    let visits: f64 = args.next().map_or(Ok(5_000_000.0), |s| s.parse())?;

    let china = Geography::china()?;
    let generator = Generator::new(Preset::National)
        .requests(0)
        .geography(china.clone());
    let scenario = generator.build()?;
    let forecast = generator.forecast(visits)?;
    let contractors = scenario
        .outlets()
        .iter()
        .filter(|o| o.kind != OutletKind::CompanyOwned)
        .count();
    println!(
        "{} cities, {visits:.0} visits a year, {contractors} contracted outlets and dealers, promise {promise_km} km",
        forecast.cities.len()
    );

    let planner = NetworkPlanner::new(scenario.cities(), scenario.outlets(), scenario.travel())
        .promise_km(promise_km);
    let plan = planner.plan(&forecast)?;
    println!("{}", plan.summary());
    let cover = planner.min_cover(&forecast)?;
    println!(
        "covering every city within {promise_km} km takes {} outlets whatever their kind (set cover: {:?}, bound {:.0})\n",
        cover.open.len(),
        cover.status,
        cover.bound
    );

    // The planned network's coverage: contracted outlets, dealers and the planned owned outlets.
    let network = planner.planned_network(&plan);
    let covered = coverage_of(
        scenario.cities(),
        scenario.regions(),
        &network,
        scenario.travel(),
        &CoverageOptions::new(Promise::km(promise_km)),
    )?;
    println!(
        "{}\n",
        covered
            .summary()
            .lines()
            .take(6)
            .collect::<Vec<_>>()
            .join("\n")
    );

    println!("volume   owned  cost a year  per visit  owned share  gap");
    for p in planner.sweep(&forecast, &[0.25, 0.5, 1.0, 2.0, 4.0, 8.0])? {
        println!(
            "{:>5}× {:>7} {:>12.0} {:>10.1} {:>11.1}% {:>5.2}%",
            p.factor,
            p.owned,
            p.total_cost,
            p.per_visit,
            100.0 * p.visit_share[0],
            100.0 * p.gap
        );
    }

    let mut breaks: Vec<_> = planner
        .break_even(&forecast)?
        .into_iter()
        .filter_map(|b| b.break_even_visits.map(|v| (b, v)))
        .collect();
    breaks.sort_by(|a, b| (b.0.visits / b.1).total_cmp(&(a.0.visits / a.1)));
    println!(
        "\nwhere an owned outlet pays for itself soonest (visits a year: forecast / break-even):"
    );
    for (b, v) in breaks.iter().take(8) {
        let name = scenario.city(b.city).map_or("?", |c| c.name.as_str());
        println!("  {name:<14} {:>8.0} / {v:>6.0}", b.visits);
    }

    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("plan.csv"),
        network_plan_csv(&plan, scenario.cities())?,
    )?;
    std::fs::write(
        dir.join("plan.geojson"),
        network_plan_geojson(&plan, scenario.cities(), scenario.outlets())?.to_string(),
    )?;
    std::fs::write(
        dir.join("plan.svg"),
        network_plan_svg(&china, &plan, scenario.outlets(), &MapOptions::new())?,
    )?;
    println!(
        "\nwrote plan.csv, plan.geojson and plan.svg to {}",
        dir.display()
    );
    Ok(())
}
