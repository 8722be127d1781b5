//! The demand: requests placed around the cities in proportion to their
//! population, with the product mix of the month, and the day's requests.

use super::AC;
use super::draw::{cumulative, pick, scatter};
use crate::model::*;
use rand::Rng;

/// The weight of a city's demand: its population, or, where the table does
/// not know it (0), a typical county-level town of 300,000.
pub(super) fn demand_weight(c: &City) -> f64 {
    if c.population == 0 {
        300_000.0
    } else {
        c.population as f64
    }
}

/// What a request looks like: where, what, how hard, how urgent; drawn in
/// a fixed order so that the same seed gives the same requests.
pub(crate) struct DemandMix<'a> {
    g: &'a Geography,
    area: &'a [usize],
    city_cum: Vec<f64>,
    cat_cum: Vec<f64>,
    summer: f64,
}

/// Calls by hour, 00:00–16:00; later calls are for the next day.
const DAY_HOURS: [f64; 16] = [
    1., 1., 1., 1., 1., 1., 2., 4., 8., 10., 10., 9., 7., 8., 9., 8.,
];

impl<'a> DemandMix<'a> {
    pub(crate) fn new(g: &'a Geography, area: &'a [usize], month: u8) -> DemandMix<'a> {
        let summer = match month {
            6..=8 => 2.5,
            5 | 9 => 1.5,
            12 | 1 | 2 => 0.6,
            _ => 1.0,
        };
        let winter = if matches!(month, 11 | 12 | 1 | 2) {
            1.5
        } else {
            1.0
        };
        DemandMix {
            g,
            area,
            city_cum: cumulative(area.iter().map(|&i| demand_weight(&g.cities[i]))),
            // air conditioner, refrigerator, washing machine, water heater, range hood, gas stove, dishwasher, TV
            cat_cum: cumulative([
                0.30 * summer,
                0.15,
                0.15,
                0.12 * winter,
                0.08,
                0.06,
                0.04,
                0.10,
            ]),
            summer,
        }
    }

    /// One request; `when` draws its arrival minute and window.
    pub(crate) fn draw<R: Rng>(
        &self,
        id: u32,
        rng: &mut R,
        when: impl FnOnce(&mut R) -> (u32, TimeWindow),
    ) -> ServiceRequest {
        let city = &self.g.cities[self.area[pick(&self.city_cum, rng)]];
        let radius = 3.0 + 2.0 * (demand_weight(city) / 1e5).sqrt().min(12.0);
        let location = scatter(city.location, radius, rng);
        let first = pick(&self.cat_cum, rng) as u16;
        let mut categories = vec![CategoryId(first)];
        let extra = match rng.random::<f64>() {
            x if x < 0.02 => 2,
            x if x < 0.10 => 1,
            _ => 0,
        };
        while categories.len() < 1 + extra {
            let c = CategoryId(pick(&self.cat_cum, rng) as u16);
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
        categories.sort_unstable();
        let install = if first == AC {
            0.30 + 0.25 * (self.summer - 1.0).max(0.0) / 1.5
        } else {
            0.30
        };
        let x = rng.random::<f64>();
        let kind = if x < install {
            RequestKind::Install
        } else if x < install + (1.0 - install) * 0.8 {
            RequestKind::Repair
        } else {
            RequestKind::Maintenance
        };
        let diff_cum = cumulative(match kind {
            RequestKind::Install => [0.50, 0.35, 0.12, 0.03, 0.0],
            RequestKind::Repair => [0.15, 0.30, 0.30, 0.15, 0.10],
            RequestKind::Maintenance => [0.60, 0.35, 0.05, 0.0, 0.0],
        });
        let difficulty = pick(&diff_cum, rng) as u8 + 1;
        let (received_min, window) = when(rng);
        let priority = match rng.random::<f64>() {
            x if x < 0.05 => Priority::Urgent,
            x if x < 0.20 => Priority::High,
            x if x < 0.90 => Priority::Normal,
            _ => Priority::Low,
        };
        ServiceRequest {
            id: RequestId(id),
            city: city.id,
            location,
            categories,
            kind,
            difficulty,
            received_min,
            window,
            priority,
        }
    }
}

pub(super) fn requests(
    g: &Geography,
    area: &[usize],
    n: usize,
    month: u8,
    rng: &mut impl Rng,
) -> Vec<ServiceRequest> {
    let mix = DemandMix::new(g, area, month);
    let hour_cum = cumulative(DAY_HOURS);
    (1..=n)
        .map(|id| {
            mix.draw(id as u32, rng, |rng| {
                let hour = pick(&hour_cum, rng) as u32;
                let received_min = hour * 60 + rng.random_range(0..60);
                let start_min = (received_min + 60).div_ceil(60).max(8) * 60;
                let window = TimeWindow {
                    start_min,
                    end_min: start_min + 240,
                };
                (received_min, window)
            })
        })
        .collect()
}
