//! The generated network: outlets by city and kind, and technicians with
//! their skills and shifts, staffed in proportion to demand.

use super::demand::demand_weight;
use super::draw::scatter;
use super::{AC, KITCHEN, WHITE};
use crate::model::*;
use rand::Rng;

pub(super) fn outlets(g: &Geography, area: &[usize], rng: &mut impl Rng) -> Vec<Outlet> {
    // The most populous city of each province stands in for its capital.
    let mut largest: std::collections::HashMap<&str, usize> = Default::default();
    for &i in area {
        let c = &g.cities[i];
        let e = largest.entry(c.province.as_str()).or_insert(i);
        if g.cities[*e].population < c.population {
            *e = i;
        }
    }
    let mut out = Vec::new();
    let mut add = |city: &City,
                   kind: OutletKind,
                   tier: Tier,
                   categories: Vec<u16>,
                   location: geo::Point<f64>| {
        let id = OutletId(out.len() as u32 + 1);
        let tariff = match kind {
            OutletKind::CompanyOwned => Tariff {
                per_visit: 0.0,
                per_minute: 1.6,
                per_km: 0.0,
            },
            OutletKind::Contracted => Tariff {
                per_visit: 80.0,
                per_minute: 0.0,
                per_km: 1.2,
            },
            OutletKind::Dealer => Tariff {
                per_visit: 60.0,
                per_minute: 0.0,
                per_km: 1.0,
            },
        };
        out.push(Outlet {
            id,
            name: format!("{} {} {}", city.name, kind.as_str().replace('_', "-"), id),
            kind,
            tier,
            city: city.id,
            location,
            categories: categories.into_iter().map(CategoryId).collect(),
            daily_capacity: 1,
            tariff,
        });
    };
    for &i in area {
        let c = &g.cities[i];
        let big = matches!(
            c.admin_level,
            AdminLevel::Municipality | AdminLevel::SubProvincial
        ) || largest.get(c.province.as_str()) == Some(&i);
        if big {
            add(
                c,
                OutletKind::CompanyOwned,
                Tier::Gold,
                (0..8).collect(),
                scatter(c.location, 3.0, rng),
            );
        }
        match c.admin_level {
            AdminLevel::County => {
                let line: Vec<u16> = match rng.random_range(0..10) {
                    0..=4 => WHITE.to_vec(),
                    5..=6 => KITCHEN.to_vec(),
                    _ => (0..8).collect(),
                };
                add(
                    c,
                    OutletKind::Dealer,
                    Tier::Standard,
                    line,
                    scatter(c.location, 3.0, rng),
                );
            }
            _ => {
                let n = 1
                    + usize::from(c.population > 3_000_000)
                    + usize::from(c.population > 8_000_000);
                for _ in 0..n {
                    let mut cats = WHITE.to_vec();
                    for k in KITCHEN {
                        if rng.random::<f64>() < 0.7 {
                            cats.push(k);
                        }
                    }
                    cats.sort_unstable();
                    let tier = if big && rng.random::<f64>() < 0.5 {
                        Tier::Gold
                    } else {
                        Tier::Standard
                    };
                    add(
                        c,
                        OutletKind::Contracted,
                        tier,
                        cats,
                        scatter(c.location, 3.0, rng),
                    );
                }
            }
        }
    }
    out
}

fn level(kind: OutletKind, rng: &mut impl Rng) -> SkillLevel {
    // Expert / Advanced shares by outlet kind: experts are mostly the company's own.
    let (expert, advanced) = match kind {
        OutletKind::CompanyOwned => (0.30, 0.50),
        OutletKind::Contracted => (0.04, 0.40),
        OutletKind::Dealer => (0.0, 0.15),
    };
    let x = rng.random::<f64>();
    if x < expert {
        SkillLevel::Expert
    } else if x < expert + advanced {
        SkillLevel::Advanced
    } else {
        SkillLevel::Basic
    }
}

pub(super) fn technicians(
    g: &Geography,
    mut outlets: Vec<Outlet>,
    total: usize,
    rng: &mut impl Rng,
) -> (Vec<Technician>, Vec<Outlet>) {
    // Staff follows demand: each city's staff is in proportion to its
    // population (its demand), split among its outlets by kind.
    let kind_share = |k: OutletKind| match k {
        OutletKind::CompanyOwned => 2.0,
        OutletKind::Contracted => 1.5,
        OutletKind::Dealer => 1.0,
    };
    let mut city_share: std::collections::HashMap<CityId, f64> = Default::default();
    for o in &outlets {
        *city_share.entry(o.city).or_default() += kind_share(o.kind);
    }
    let weights: Vec<f64> = outlets
        .iter()
        .map(|o| {
            let pop = g
                .cities
                .iter()
                .find(|c| c.id == o.city)
                .map_or(1.0, demand_weight);
            pop * kind_share(o.kind) / city_share[&o.city]
        })
        .collect();
    let counts = apportion(&weights, total);
    let mut techs = Vec::with_capacity(total);
    for (o, &n) in outlets.iter_mut().zip(&counts) {
        let mut shift_total = 0u64;
        for _ in 0..n {
            let mut cats = o.categories.clone();
            let keep = match o.kind {
                OutletKind::CompanyOwned => rng.random_range(3..=6),
                OutletKind::Contracted => rng.random_range(2..=4),
                OutletKind::Dealer => rng.random_range(1..=3),
            }
            .min(cats.len());
            // A partial shuffle picks `keep` categories; AC work is common, so most keep it.
            for k in 0..keep {
                let j = rng.random_range(k..cats.len());
                cats.swap(k, j);
            }
            cats.truncate(keep);
            if o.categories.contains(&CategoryId(AC))
                && !cats.contains(&CategoryId(AC))
                && rng.random::<f64>() < 0.5
            {
                cats[0] = CategoryId(AC);
            }
            cats.sort_unstable();
            let skills = cats
                .into_iter()
                .map(|category| Skill {
                    category,
                    level: level(o.kind, rng),
                })
                .collect();
            let (start, minutes) = if rng.random::<f64>() < 0.7 {
                (480, 600)
            } else {
                (600, 600)
            };
            shift_total += minutes as u64;
            techs.push(Technician {
                id: TechnicianId(techs.len() as u32 + 1),
                outlet: o.id,
                skills,
                shift_start_min: start,
                shift_minutes: minutes,
                base: None,
                start: None,
            });
        }
        // The outlet's daily limit: about one visit per 110 shift minutes.
        o.daily_capacity = ((shift_total as f64 / 110.0).round() as u32).max(1);
    }
    (techs, outlets)
}

/// Splits `total` into whole numbers in proportion to `weights`, at least one
/// each when `total` allows (largest remainders, ties to the lower index).
fn apportion(weights: &[f64], total: usize) -> Vec<usize> {
    let n = weights.len();
    let spare = total.saturating_sub(n);
    let sum: f64 = weights.iter().sum::<f64>().max(1e-12);
    let shares: Vec<f64> = weights.iter().map(|w| spare as f64 * w / sum).collect();
    let mut counts: Vec<usize> = shares.iter().map(|s| 1 + s.floor() as usize).collect();
    let mut rest: Vec<usize> = (0..n).collect();
    rest.sort_by(|&a, &b| {
        (shares[b] - shares[b].floor())
            .total_cmp(&(shares[a] - shares[a].floor()))
            .then(a.cmp(&b))
    });
    let given: usize = counts.iter().sum();
    for &i in rest.iter().take(total.saturating_sub(given)) {
        counts[i] += 1;
    }
    counts
}
