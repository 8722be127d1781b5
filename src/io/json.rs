//! JSON in and out, with every problem of a scenario reported at once.

mod fits;
mod formats;
mod partial;
mod shape;
mod tree;

use super::china::CHINA_TRUNK;
use crate::dispatch::Plan;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{Scenario, ScenarioData, validate_unread};
use crate::sim::SimConfig;
use crate::travel::TravelSpec;
use fits::fits;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use std::path::Path;
use tree::Node;

/// A whole text file, or an [`ErrorKind::Io`] naming it.
pub(crate) fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| {
        ErrorKind::Io {
            path: path.display().to_string(),
            source,
        }
        .into()
    })
}

pub(crate) fn syntax(what: &str, e: &serde_json::Error) -> crate::Error {
    ErrorKind::Syntax {
        what: what.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
    .into()
}

/// The text without a UTF-8 byte order mark at its start, which some editors write.
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Whether a `serde_json` error is one of the text, not of its shape.
fn is_syntax(e: &serde_json::Error) -> bool {
    e.is_syntax() || e.is_eof() || e.is_io()
}

/// The text as a tree that keeps every key, or its syntax error.
fn tree(text: &str, what: &str) -> Result<Node> {
    serde_json::from_str(text).map_err(|e| syntax(what, &e))
}

/// Adds the file's name to the problems of a file read alone.
fn in_file(mut problems: Vec<Problem>, what: &str) -> crate::Error {
    for p in &mut problems {
        p.message = format!("{} (in {what})", p.message);
    }
    ErrorKind::Invalid(problems).into()
}

/// Reads scenario data from JSON text without checking its rules, unless
/// its shape is wrong.
///
/// A UTF-8 byte order mark at the start is skipped. Input of the right
/// shape is checked as it is parsed, then read; no tree is built. Otherwise
/// the text is read again as a tree and walked element
/// by element: every field of the wrong type, missing, unknown (with the
/// close known name) or given twice is reported by its path
/// (`outlets[0].daily_capacity`) and the element's id, and the elements
/// that have their shape are checked against the rules of [`Scenario::new`],
/// so that one pass lists every problem of the file.
///
/// # Errors
/// [`ErrorKind::Syntax`] with line and column when the text is not JSON;
/// [`ErrorKind::Invalid`] listing every problem of shape, then every rule
/// the rest of the data breaks.
pub fn scenario_data_from_json_str(text: &str, what: &str) -> Result<ScenarioData> {
    let text = strip_bom(text);
    if fits(text, &formats::SCENARIO_FILE) {
        match serde_json::from_str::<ScenarioData>(text) {
            Ok(data) => return load_roads(data),
            Err(e) if is_syntax(&e) => return Err(syntax(what, &e)),
            Err(_) => {}
        }
    }
    let (data, unread, mut problems) = partial::scenario(&tree(text, what)?);
    let data = load_roads(data)?;
    if problems.is_empty() {
        return Ok(data);
    }
    problems.extend(validate_unread(&data, &unread));
    Err(ErrorKind::Invalid(problems).into())
}

/// Loads the road network a scenario names, when it is one servnet ships
/// (`china_trunk`); any other source is left for the validation to name.
fn load_roads(mut data: ScenarioData) -> Result<ScenarioData> {
    data.travel = load_travel(data.travel)?;
    Ok(data)
}

/// The travel spec with its road network loaded when it names one servnet
/// ships ([`CHINA_TRUNK`]); any other spec as it is (a road network of your
/// own is attached with [`TravelSpec::road`]).
///
/// # Errors
/// Only if the shipped network were damaged.
pub fn load_travel(spec: TravelSpec) -> Result<TravelSpec> {
    Ok(match spec {
        TravelSpec::Road(r) if r.travel().is_none() && r.source == CHINA_TRUNK => {
            TravelSpec::road(CHINA_TRUNK, super::china::china_trunk_travel()?)
        }
        other => other,
    })
}

/// Reads and validates a scenario from JSON text.
///
/// # Errors
/// As [`scenario_data_from_json_str`], then as [`Scenario::new`].
pub fn scenario_from_json_str(text: &str, what: &str) -> Result<Scenario> {
    Scenario::new(scenario_data_from_json_str(text, what)?)
}

/// Reads scenario data from a JSON file without checking its rules.
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be read, then as [`scenario_data_from_json_str`].
pub fn read_scenario_data(path: impl AsRef<Path>) -> Result<ScenarioData> {
    let path = path.as_ref();
    scenario_data_from_json_str(&read_text(path)?, &path.display().to_string())
}

/// Reads and validates a scenario from a JSON file.
///
/// # Errors
/// [`ErrorKind::Io`], [`ErrorKind::Syntax`] or [`ErrorKind::Invalid`] with every problem.
pub fn read_scenario(path: impl AsRef<Path>) -> Result<Scenario> {
    Scenario::new(read_scenario_data(path)?)
}

/// Reads a plan from JSON text: a plan with its `routes` as strategies
/// write it, or `{"plan": {...}, "routes": [...]}` (the shape earlier
/// versions of `servnet route` wrote), whose routes become the plan's.
///
/// # Errors
/// [`ErrorKind::Syntax`] with line and column when the text is not a plan.
pub fn plan_from_json_str(text: &str, what: &str) -> Result<Plan> {
    /// Whether the text is of the earlier shape.
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        plan: Option<IgnoredAny>,
    }
    /// The earlier shape, read straight from the text so that errors keep their positions.
    #[derive(Deserialize)]
    struct Earlier {
        plan: Plan,
        #[serde(default)]
        routes: Option<Vec<crate::dispatch::Route>>,
    }
    let text = strip_bom(text);
    let earlier = matches!(
        serde_json::from_str::<Probe>(text),
        Ok(Probe { plan: Some(_) })
    );
    if earlier {
        let Earlier { mut plan, routes } =
            serde_json::from_str(text).map_err(|e| syntax(what, &e))?;
        if let Some(routes) = routes {
            plan.routes = routes;
        }
        Ok(plan)
    } else {
        serde_json::from_str(text).map_err(|e| syntax(what, &e))
    }
}

/// Reads a plan from a JSON file (either shape of [`plan_from_json_str`]).
///
/// # Errors
/// [`ErrorKind::Io`] or [`ErrorKind::Syntax`].
pub fn read_plan(path: impl AsRef<Path>) -> Result<Plan> {
    let path = path.as_ref();
    plan_from_json_str(&read_text(path)?, &path.display().to_string())
}

/// Serializes a value as compact JSON.
///
/// # Errors
/// [`ErrorKind::Parameter`] when the value holds a non-finite number, which JSON cannot carry.
pub fn to_json_string<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| {
        ErrorKind::Parameter {
            name: "value",
            message: e.to_string(),
        }
        .into()
    })
}

/// Writes a value as compact JSON to a file, whole ([`super::atomic::write_file`]):
/// the file is the earlier one or the new one, whatever happens while writing.
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be written;
/// [`ErrorKind::Parameter`] as [`to_json_string`].
pub fn write_json<T: Serialize>(path: impl AsRef<Path>, value: &T) -> Result<()> {
    let text = to_json_string(value)?;
    super::atomic::write_file(path, text)
}

/// Reads one service request from a JSON file (its rules are checked where it is used).
///
/// A UTF-8 byte order mark at the start is skipped.
///
/// # Errors
/// [`ErrorKind::Io`]; [`ErrorKind::Syntax`] with the line and column of
/// text that is not JSON; [`ErrorKind::Invalid`] listing every field of the
/// wrong type, missing, unknown (with the close known name) or given twice.
pub fn read_request(path: impl AsRef<Path>) -> Result<crate::model::ServiceRequest> {
    let path = path.as_ref();
    let what = path.display().to_string();
    let text = read_text(path)?;
    let text = strip_bom(&text);
    if fits(text, &formats::REQUEST_FILE) {
        match serde_json::from_str(text) {
            Ok(request) => return Ok(request),
            Err(e) if is_syntax(&e) => return Err(syntax(&what, &e)),
            Err(_) => {}
        }
    }
    let root = tree(text, &what)?;
    let problems = partial::request(&root);
    if problems.is_empty() {
        // The walk finds what serde refuses; this is only in case they ever differ.
        return serde_json::from_value(root.to_value()).map_err(|e| {
            in_file(
                vec![Problem::new(
                    ProblemCode::Shape,
                    "request",
                    None,
                    "",
                    e.to_string(),
                )],
                &what,
            )
        });
    }
    Err(in_file(problems, &what))
}

/// Reads a simulation's settings from JSON (missing parts take their
/// defaults) and checks them: the fast path, or every problem of shape and
/// of rules at once.
///
/// A UTF-8 byte order mark at the start is skipped.
///
/// # Errors
/// [`ErrorKind::Syntax`] when the text is not JSON; [`ErrorKind::Invalid`]
/// listing, at once, every field of the wrong type, missing, unknown
/// (with the close known name: `round_every` → `round_every_min`) or
/// given twice, and every problem of [`SimConfig::problems`].
///
/// # Example
/// ```
/// use servnet::io::sim_config_from_json_str;
/// let err = sim_config_from_json_str(r#"{"triage": {"remote": [], "first_time_fix": [0.9, 0.9, 0.9],
///     "sla_city_hours": 0, "sla_county_hours": 48}}"#, "config").unwrap_err();
/// assert_eq!(err.problems()[0].field, "sla_city_hours");
/// let err = sim_config_from_json_str(r#"{"round_every": 60}"#, "config").unwrap_err();
/// assert_eq!(err.problems()[0].field, "round_every");
/// ```
pub fn sim_config_from_json_str(text: &str, what: &str) -> Result<SimConfig> {
    let text = strip_bom(text);
    let fast = if fits(text, &formats::SIM_CONFIG_FILE) {
        match serde_json::from_str::<SimConfig>(text) {
            Ok(config) => Some(config),
            Err(e) if is_syntax(&e) => return Err(syntax(what, &e)),
            Err(_) => None,
        }
    } else {
        None
    };
    let (config, mut problems) = match fast {
        Some(config) => (config, Vec::new()),
        None => partial::sim_config(&tree(text, what)?),
    };
    problems.extend(config.problems());
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(in_file(problems, what))
    }
}
