//! A seeded generator of a national (or one province's) service network and a day's demand.
//!
//! The network follows the field: company-owned service centers in the large
//! cities, contracted service companies in the prefecture-level cities, dealers
//! in the county-level cities; technicians with a realistic skill mix (few
//! experts, mostly at owned outlets). Demand is placed around cities in
//! proportion to population, with a product mix by month (air-conditioner
//! installations peak in summer), a share of multi-category households and a
//! mix of difficulties. The same parameters and seed give the same scenario.

use crate::error::{ErrorKind, Result};
use crate::model::*;
use crate::travel::TravelSpec;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The most requests, or technicians, one generated scenario may hold.
pub const MAX_ENTITIES: usize = 10_000_000;

/// Which part of China to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preset {
    /// All of mainland China.
    National,
    /// One province, by English name (e.g. `Guangdong`; case and punctuation ignored).
    Province(String),
}

impl Preset {
    /// One province.
    pub fn province(name: impl Into<String>) -> Preset {
        Preset::Province(name.into())
    }

    /// Parses `national` or `province:<name>`.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] naming `preset` for anything else.
    pub fn parse(s: &str) -> Result<Preset> {
        if s == "national" {
            Ok(Preset::National)
        } else if let Some(name) = s.strip_prefix("province:").filter(|n| !n.is_empty()) {
            Ok(Preset::province(name))
        } else {
            Err(ErrorKind::Parameter {
                name: "preset",
                message: format!("`{s}` is neither `national` nor `province:<name>`"),
            }
            .into())
        }
    }
}

/// Builds a scenario: network and one day of demand.
///
/// Defaults: 1,000 requests, seed 0, July, one technician per 3 requests
/// (at least one per outlet).
///
/// # Example
/// ```
/// use servnet::generate::{Generator, Preset};
/// let day = Generator::new(Preset::province("Zhejiang")).requests(500).seed(7).build()?;
/// assert_eq!(day.requests().len(), 500);
/// # Ok::<(), servnet::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Generator {
    preset: Preset,
    requests: usize,
    seed: u64,
    month: u8,
    technicians: Option<usize>,
    geography: Option<Geography>,
    policy: Policy,
    travel: TravelSpec,
}

impl Generator {
    /// A generator for a preset, with the defaults.
    pub fn new(preset: Preset) -> Generator {
        Generator {
            preset,
            requests: 1000,
            seed: 0,
            month: 7,
            technicians: None,
            geography: None,
            policy: Policy::default(),
            travel: TravelSpec::default(),
        }
    }

    /// Number of requests in the day.
    pub fn requests(mut self, n: usize) -> Self {
        self.requests = n;
        self
    }

    /// The seed of the random generator.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Month of the day, 1–12: sets the product mix (air conditioners peak in summer).
    pub fn month(mut self, month: u8) -> Self {
        self.month = month;
        self
    }

    /// Number of technicians (default: one per 3 requests, at least one per outlet).
    pub fn technicians(mut self, n: usize) -> Self {
        self.technicians = Some(n);
        self
    }

    /// The cities and regions to use instead of the shipped table of China.
    pub fn geography(mut self, geography: Geography) -> Self {
        self.geography = Some(geography);
        self
    }

    /// The dispatch policy the scenario carries (default: [`Policy::default`]).
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// The travel model the scenario carries (default: [`TravelSpec::default`],
    /// great-circle distance; [`crate::io::china::china_trunk_travel`] for
    /// China's trunk roads).
    pub fn travel(mut self, travel: TravelSpec) -> Self {
        self.travel = travel;
        self
    }

    /// The geography and the positions of the preset's cities in it.
    fn geography_and_area(&self) -> Result<(Geography, Vec<usize>)> {
        let geography = match &self.geography {
            Some(g) => g.clone(),
            None => Geography::china()?,
        };
        let area: Vec<usize> = match &self.preset {
            Preset::National => (0..geography.cities.len()).collect(),
            Preset::Province(name) => {
                let key = fold(name);
                let list: Vec<usize> = (0..geography.cities.len())
                    .filter(|&i| fold(&geography.cities[i].province) == key)
                    .collect();
                if list.is_empty() {
                    let mut known: Vec<&str> = geography
                        .regions
                        .iter()
                        .flat_map(|r| r.provinces.iter().map(String::as_str))
                        .collect();
                    known.sort_unstable();
                    return Err(param(
                        "preset",
                        format!("no city in province `{name}`; known: {}", known.join(", ")),
                    ));
                }
                list
            }
        };
        Ok((geography, area))
    }

    /// The positions of the preset's cities in the geography.
    pub(crate) fn area(&self) -> Result<Vec<usize>> {
        Ok(self.geography_and_area()?.1)
    }

    /// A yearly demand forecast by city for the network planner
    /// ([`crate::plan::planner`]): `yearly_visits` spread over the preset's
    /// cities in proportion to the demand the generator draws from (a city's
    /// population), and the job mix — the shares of basic (difficulty 1–2)
    /// and expert (difficulty 5) jobs and the mean minutes on site per visit
    /// at the basic level — measured on 2,000 requests drawn for each month
    /// with the generator's seed.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] for an unknown province, or `yearly_visits`
    /// negative or not finite.
    ///
    /// # Example
    /// ```
    /// use servnet::generate::{Generator, Preset};
    /// let f = Generator::new(Preset::province("Hainan")).forecast(100_000.0)?;
    /// assert!((f.total_visits() - 100_000.0).abs() < 1e-6);
    /// # Ok::<(), servnet::Error>(())
    /// ```
    pub fn forecast(&self, yearly_visits: f64) -> Result<crate::plan::planner::Forecast> {
        use crate::plan::planner::{CityDemand, Forecast};
        if !(yearly_visits.is_finite() && yearly_visits >= 0.0) {
            return Err(param(
                "yearly_visits",
                format!("{yearly_visits} is not a finite number ≥ 0"),
            ));
        }
        let mix = self.job_mix()?;
        let (geography, area) = self.geography_and_area()?;
        let weight: f64 = area
            .iter()
            .map(|&i| demand_weight(&geography.cities[i]))
            .sum();
        Ok(Forecast {
            cities: area
                .iter()
                .map(|&i| {
                    let c = &geography.cities[i];
                    CityDemand {
                        city: c.id,
                        visits: yearly_visits * demand_weight(c) / weight,
                        basic_share: mix.basic_share,
                        expert_share: mix.expert_share,
                        service_min: mix.service_min,
                    }
                })
                .collect(),
        })
    }

    /// The job mix of the generator's requests over a year (see
    /// [`Generator::forecast`]).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] for an unknown province.
    pub fn job_mix(&self) -> Result<crate::plan::planner::JobMix> {
        let (geography, area) = self.geography_and_area()?;
        let catalog = Catalog::default();
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let (mut n, mut basic, mut expert, mut minutes) = (0u32, 0u32, 0u32, 0.0);
        for month in 1..=12 {
            let mix = DemandMix::new(&geography, &area, month);
            for id in 0..2000 {
                let r = mix.draw(id, &mut rng, |_| {
                    (
                        0,
                        TimeWindow {
                            start_min: 0,
                            end_min: 0,
                        },
                    )
                });
                n += 1;
                basic += u32::from(r.difficulty <= 2);
                expert += u32::from(r.difficulty >= 5);
                minutes += r
                    .categories
                    .iter()
                    .filter_map(|&c| catalog.category(c))
                    .map(|c| c.base_minutes(r.kind))
                    .sum::<f64>();
            }
        }
        let n = f64::from(n);
        Ok(crate::plan::planner::JobMix {
            basic_share: f64::from(basic) / n,
            expert_share: f64::from(expert) / n,
            service_min: minutes / n,
        })
    }

    /// Generates the scenario.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] for an unknown province, a month outside 1–12,
    /// or more than [`MAX_ENTITIES`] requests or technicians.
    pub fn build(&self) -> Result<Scenario> {
        if !(1..=12).contains(&self.month) {
            return Err(param("month", format!("{} is outside 1..=12", self.month)));
        }
        if self.requests > MAX_ENTITIES {
            return Err(param(
                "requests",
                format!("{} is more than {MAX_ENTITIES}", self.requests),
            ));
        }
        if let Some(n) = self.technicians.filter(|&n| n > MAX_ENTITIES) {
            return Err(param(
                "technicians",
                format!("{n} is more than {MAX_ENTITIES}"),
            ));
        }
        let (geography, area) = self.geography_and_area()?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let catalog = Catalog::default();
        let outlets = outlets(&geography, &area, &mut rng);
        let n_tech = self
            .technicians
            .unwrap_or(self.requests.div_ceil(3))
            .max(outlets.len());
        let (technicians, outlets) = technicians(&geography, outlets, n_tech, &mut rng);
        let requests = requests(&geography, &area, self.requests, self.month, &mut rng);
        Scenario::new(ScenarioData {
            travel: self.travel.clone(),
            catalog,
            policy: self.policy.clone(),
            regions: geography.regions,
            cities: geography.cities,
            outlets,
            technicians,
            requests,
        })
    }
}

fn param(name: &'static str, message: String) -> crate::Error {
    ErrorKind::Parameter { name, message }.into()
}

/// Category ids of the default catalog.
const AC: u16 = 0;
const WHITE: [u16; 4] = [0, 1, 2, 7];
const KITCHEN: [u16; 4] = [3, 4, 5, 6];

/// A point at a uniformly random place within `radius_km` of `center`.
fn scatter(center: geo::Point<f64>, radius_km: f64, rng: &mut impl Rng) -> geo::Point<f64> {
    let r = radius_km * rng.random::<f64>().sqrt();
    let theta = std::f64::consts::TAU * rng.random::<f64>();
    let km_per_deg = 111.195;
    let lat = (center.y() + r * theta.sin() / km_per_deg).clamp(-89.9, 89.9);
    let lon = center.x() + r * theta.cos() / (km_per_deg * lat.to_radians().cos().max(0.01));
    geo::Point::new(lon, lat)
}

/// Index drawn from cumulative weights.
fn pick(cumulative: &[f64], rng: &mut impl Rng) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let x = rng.random::<f64>() * total;
    cumulative
        .partition_point(|&c| c <= x)
        .min(cumulative.len().saturating_sub(1))
}

fn cumulative(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .into_iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

fn outlets(g: &Geography, area: &[usize], rng: &mut impl Rng) -> Vec<Outlet> {
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

fn technicians(
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

/// The weight of a city's demand: its population, or, where the table does
/// not know it (0), a typical county-level town of 300,000.
fn demand_weight(c: &City) -> f64 {
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

/// An index drawn from cumulative weights (crate-wide, for the simulator's arrivals).
pub(crate) fn pick_index(cumulative_weights: &[f64], rng: &mut impl Rng) -> usize {
    pick(cumulative_weights, rng)
}

/// Cumulative sums of weights (crate-wide, for the simulator's arrivals).
pub(crate) fn cumulative_weights(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    cumulative(weights)
}

fn requests(
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
