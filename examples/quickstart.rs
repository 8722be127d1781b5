//! Quickstart: China's shipped cities → one province's network and a day of
//! requests → nearest-outlet dispatch, each technician's visits one route →
//! the plan checked by `verify` (routes, windows, shifts, skills, policy) →
//! summary.
//!
//! Run: `cargo run --release --example quickstart [province] [requests] [seed]`
//! (defaults: Guangdong, 5000, 7).

use servnet::Geography;
use servnet::generate::{Generator, Preset};
use servnet::{DispatchStrategy, Nearest, OutletKind, verify};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let province = args.next().unwrap_or_else(|| "Guangdong".to_string());
    let requests: usize = args.next().map_or(Ok(5000), |s| s.parse())?;
    let seed: u64 = args.next().map_or(Ok(7), |s| s.parse())?;

    let china = Geography::china()?;
    let cities = china.province(&province);
    println!(
        "China: {} cities in {} sales regions; {province}: {} cities",
        china.cities.len(),
        china.regions.len(),
        cities.len()
    );

    let t = Instant::now();
    let scenario = Generator::new(Preset::province(&province))
        .requests(requests)
        .seed(seed)
        .geography(china)
        .build()?;
    let kinds = OutletKind::ALL.map(|k| scenario.outlets().iter().filter(|o| o.kind == k).count());
    println!(
        "network: {} outlets ({} company-owned, {} contracted, {} dealers), {} technicians; \
         {} requests (seed {seed}), generated in {:.0} ms",
        scenario.outlets().len(),
        kinds[0],
        kinds[1],
        kinds[2],
        scenario.technicians().len(),
        scenario.requests().len(),
        t.elapsed().as_secs_f64() * 1e3
    );

    let t = Instant::now();
    let plan = Nearest::new().dispatch(&scenario)?;
    let dispatch_ms = t.elapsed().as_secs_f64() * 1e3;
    let violations = verify(&scenario, &plan);
    println!(
        "dispatched in {dispatch_ms:.1} ms as {} routes, {:.0} km driven; independent check: {}",
        plan.routes.len(),
        plan.travel_km(),
        if violations.is_empty() {
            "every constraint holds".to_string()
        } else {
            format!("{} violations", violations.len())
        }
    );
    println!();
    print!("{}", plan.summary(&scenario));
    if !violations.is_empty() {
        return Err(format!("{} violations, first: {}", violations.len(), violations[0]).into());
    }
    Ok(())
}
