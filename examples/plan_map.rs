//! A plan on a map: one province's generated network and a day of requests
//! → nearest-outlet dispatch → `plan.geojson` (for GIS tools and web maps:
//! the requests, the outlets, and each technician's route as one line from
//! its start through its visits and back to its base) and `plan.svg` (a map
//! of China with the outlets, the requests served and those left open).
//!
//! Run: `cargo run --release --example plan_map DIR [province] [requests] [seed]`
//! (defaults: Guangdong, 2000, 7). DIR is created if missing.

use servnet::Geography;
use servnet::generate::{Generator, Preset};
use servnet::io::geojson::plan_geojson;
use servnet::io::map::{MapOptions, plan_svg};
use servnet::{DispatchStrategy, Nearest};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: plan_map DIR [province] [requests] [seed]")?,
    );
    let province = args.next().unwrap_or_else(|| "Guangdong".to_string());
    let requests: usize = args.next().map_or(Ok(2000), |s| s.parse())?;
    let seed: u64 = args.next().map_or(Ok(7), |s| s.parse())?;

    let china = Geography::china()?;
    let scenario = Generator::new(Preset::province(&province))
        .requests(requests)
        .seed(seed)
        .geography(china.clone())
        .build()?;
    let plan = Nearest::new().dispatch(&scenario)?;
    print!("{}", plan.summary(&scenario));

    std::fs::create_dir_all(&dir)?;
    let geojson = dir.join("plan.geojson");
    std::fs::write(&geojson, plan_geojson(&scenario, &plan)?.to_string())?;
    let svg = dir.join("plan.svg");
    std::fs::write(
        &svg,
        plan_svg(&china, &scenario, &plan, &MapOptions::new())?,
    )?;
    println!(
        "wrote {} ({} routes) and {}",
        geojson.display(),
        plan.routes.len(),
        svg.display()
    );
    Ok(())
}
