//! How a scenario measures travel: the [`TravelModel`] question (a [`Leg`]
//! of km and minutes between two points), the [`GreatCircle`] parameters and
//! the [`TravelSpec`] a scenario names. The answers are computed in
//! [`crate::travel`]: great-circle legs, and shortest paths over a road network.

use crate::error::{Problem, ProblemCode};
use crate::limits::{MAX_SPEED_KMH, MIN_SPEED_KMH};
use geo::Point;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One leg of travel.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Leg {
    /// Distance in km.
    pub km: f64,
    /// Time in minutes.
    pub minutes: f64,
}

/// Travel distance and time between two WGS84 points.
///
/// Implementers must return non-negative values for valid points and a zero
/// leg from a point to itself; values are finite unless `to` cannot be
/// reached from `from` at all (a road network in pieces), when km and
/// minutes are both infinite — every check of a leg against a limit then
/// rejects it.
pub trait TravelModel: Send + Sync {
    /// The leg from `from` to `to`.
    fn leg(&self, from: Point<f64>, to: Point<f64>) -> Leg;

    /// The largest great-circle distance, in km, that a leg of at most
    /// `minutes` can span. Searches use it to stop early, so implementers must
    /// never return less than the truth; the default, infinity, never prunes.
    fn reach_km(&self, minutes: f64) -> f64 {
        let _ = minutes;
        f64::INFINITY
    }

    /// A factor `f` such that every leg's km is at least `f` × the
    /// great-circle km between its ends. Searches use it as a lower bound, so
    /// implementers must never return more than the truth; the default, 0,
    /// never prunes.
    fn km_floor(&self) -> f64 {
        0.0
    }
}

/// Great-circle distance × a detour factor, driven at an average speed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GreatCircle {
    /// Road km per great-circle km, ≥ 1. Default 1.3.
    pub detour_factor: f64,
    /// Average speed in km/h, > 0. Default 40.
    pub speed_kmh: f64,
}

impl Default for GreatCircle {
    fn default() -> Self {
        GreatCircle {
            detour_factor: 1.3,
            speed_kmh: 40.0,
        }
    }
}

impl GreatCircle {
    /// Sets the detour factor.
    pub fn detour_factor(mut self, factor: f64) -> Self {
        self.detour_factor = factor;
        self
    }

    /// Sets the average speed.
    pub fn speed_kmh(mut self, speed: f64) -> Self {
        self.speed_kmh = speed;
        self
    }

    /// Minutes to drive a road distance.
    pub fn minutes_for_km(&self, km: f64) -> f64 {
        km / self.speed_kmh * 60.0
    }
}

/// The travel model a scenario names, as stored in its JSON
/// (`"travel": {"model": "great_circle", …}` or
/// `"travel": {"model": "road", "source": "china_trunk"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TravelSpec {
    /// [`GreatCircle`].
    GreatCircle(GreatCircle),
    /// [`RoadTravel`](crate::travel::RoadTravel) over a road network.
    Road(RoadSpec),
}

/// A road network as a scenario's travel model: the name of its source, as
/// the JSON keeps it, and the loaded network.
///
/// The JSON holds only the name. Reading a scenario
/// ([`crate::io::read_scenario`]) loads the source `china_trunk`, China's
/// shipped trunk roads ([`crate::io::china::Geography::trunk_network`]);
/// a network of your own is attached in code with [`TravelSpec::road`], and a
/// scenario whose road network is not loaded is refused when validated.
/// Two specs are equal when their sources are.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadSpec {
    /// Where the network comes from: `china_trunk`, or a name of the user's.
    pub source: String,
    #[serde(skip)]
    travel: Option<Arc<dyn TravelModel>>,
}

impl std::fmt::Debug for RoadSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoadSpec")
            .field("source", &self.source)
            .field("loaded", &self.travel.is_some())
            .finish()
    }
}

impl PartialEq for RoadSpec {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl RoadSpec {
    /// A spec naming `source`, with no network loaded yet.
    pub fn named(source: impl Into<String>) -> RoadSpec {
        RoadSpec {
            source: source.into(),
            travel: None,
        }
    }

    /// The loaded road travel, if any.
    pub fn travel(&self) -> Option<&Arc<dyn TravelModel>> {
        self.travel.as_ref()
    }

    /// This spec with `travel` loaded.
    pub fn with_travel<T: TravelModel + 'static>(mut self, travel: Arc<T>) -> RoadSpec {
        self.travel = Some(travel);
        self
    }
}

impl TravelSpec {
    /// Road travel over a loaded network, under the name `source`.
    pub fn road<T: TravelModel + 'static>(source: impl Into<String>, travel: Arc<T>) -> TravelSpec {
        TravelSpec::Road(RoadSpec::named(source).with_travel(travel))
    }
}

impl std::str::FromStr for TravelSpec {
    type Err = crate::ParseError;

    /// `great-circle` (or `great_circle`): [`GreatCircle`] with its defaults;
    /// `roads`: China's shipped trunk roads, named `china_trunk` and loaded
    /// by [`crate::io::load_travel`].
    fn from_str(s: &str) -> Result<TravelSpec, crate::ParseError> {
        match s.trim() {
            "great-circle" | "great_circle" => Ok(TravelSpec::default()),
            "roads" => Ok(TravelSpec::Road(RoadSpec::named(CHINA_TRUNK))),
            _ => Err(crate::ParseError::new(
                "travel model",
                s,
                "great-circle or roads",
            )),
        }
    }
}

/// The source name of China's shipped trunk roads in a scenario's JSON
/// (`"travel": {"model": "road", "source": "china_trunk"}`).
pub const CHINA_TRUNK: &str = "china_trunk";

impl Default for TravelSpec {
    fn default() -> Self {
        TravelSpec::GreatCircle(GreatCircle::default())
    }
}

impl TravelModel for TravelSpec {
    fn leg(&self, from: Point<f64>, to: Point<f64>) -> Leg {
        match self {
            TravelSpec::GreatCircle(g) => g.leg(from, to),
            TravelSpec::Road(r) => r.travel.as_ref().map_or(
                Leg {
                    km: f64::INFINITY,
                    minutes: f64::INFINITY,
                },
                |t| t.leg(from, to),
            ),
        }
    }

    fn reach_km(&self, minutes: f64) -> f64 {
        match self {
            TravelSpec::GreatCircle(g) => g.reach_km(minutes),
            TravelSpec::Road(r) => r.travel.as_ref().map_or(0.0, |t| t.reach_km(minutes)),
        }
    }

    fn km_floor(&self) -> f64 {
        match self {
            TravelSpec::GreatCircle(g) => g.km_floor(),
            TravelSpec::Road(r) => r.travel.as_ref().map_or(0.0, |t| t.km_floor()),
        }
    }
}

pub(crate) fn validate_spec(spec: &TravelSpec, problems: &mut Vec<Problem>) {
    match spec {
        TravelSpec::GreatCircle(g) => {
            if !(g.detour_factor.is_finite() && (1.0..=10.0).contains(&g.detour_factor)) {
                problems.push(Problem::new(
                    ProblemCode::OutOfRange,
                    "travel",
                    None,
                    "detour_factor",
                    format!("{} is outside [1, 10]", g.detour_factor),
                ));
            }
            if !(g.speed_kmh.is_finite() && g.speed_kmh > 0.0) {
                problems.push(Problem::new(
                    ProblemCode::NonPositive,
                    "travel",
                    None,
                    "speed_kmh",
                    format!("{} km/h", g.speed_kmh),
                ));
            } else if !(MIN_SPEED_KMH..=MAX_SPEED_KMH).contains(&g.speed_kmh) {
                problems.push(Problem::new(
                    ProblemCode::OutOfRange,
                    "travel",
                    None,
                    "speed_kmh",
                    format!(
                        "{} km/h is outside the limits of {MIN_SPEED_KMH} to {MAX_SPEED_KMH} km/h \
                         (servnet::limits::MIN_SPEED_KMH, MAX_SPEED_KMH)",
                        crate::limits::num(g.speed_kmh)
                    ),
                ));
            }
        }
        TravelSpec::Road(r) => {
            if r.travel.is_none() {
                problems.push(Problem::new(
                    ProblemCode::DanglingReference,
                    "travel",
                    None,
                    "source",
                    format!(
                        "road network `{}` is not loaded (read the scenario with \
                         io::read_scenario, which loads `china_trunk`, or attach one \
                         with TravelSpec::road)",
                        r.source
                    ),
                ));
            }
        }
    }
}
