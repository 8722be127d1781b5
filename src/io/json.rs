//! JSON in and out, with every problem of a scenario reported at once.

use super::china::CHINA_TRUNK;
use crate::dispatch::Plan;
use crate::error::{ErrorKind, Problem, ProblemCode, Result};
use crate::model::{Scenario, ScenarioData};
use crate::travel::TravelSpec;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::Path;

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

fn syntax(what: &str, e: &serde_json::Error) -> crate::Error {
    ErrorKind::Syntax {
        what: what.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
    .into()
}

const LISTS: [(&str, &str); 5] = [
    ("regions", "region"),
    ("cities", "city"),
    ("outlets", "outlet"),
    ("technicians", "technician"),
    ("requests", "request"),
];

/// Reads scenario data from JSON text without checking its rules.
///
/// Well-formed input takes one pass. When an element has the wrong shape
/// (a missing field, a string for a number, an unknown enum value), the text is
/// read again element by element so that every such element is reported.
///
/// # Errors
/// [`ErrorKind::Syntax`] with line and column when the text is not JSON;
/// [`ErrorKind::Invalid`] listing every element of the wrong shape.
pub fn scenario_data_from_json_str(text: &str, what: &str) -> Result<ScenarioData> {
    match serde_json::from_str::<ScenarioData>(text) {
        Ok(data) => load_roads(data),
        Err(e) if e.is_syntax() || e.is_eof() || e.is_io() => Err(syntax(what, &e)),
        Err(first) => {
            let value: Value = serde_json::from_str(text).map_err(|e| syntax(what, &e))?;
            let problems = shape_problems(&value);
            if problems.is_empty() {
                // Not expected: the element-wise pass found nothing the whole pass did.
                return Err(ErrorKind::Invalid(vec![Problem::new(
                    ProblemCode::Shape,
                    "scenario",
                    None,
                    "",
                    first.to_string(),
                )])
                .into());
            }
            Err(ErrorKind::Invalid(problems).into())
        }
    }
}

fn shape_problems(value: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(obj) = value.as_object() else {
        problems.push(Problem::new(
            ProblemCode::Shape,
            "scenario",
            None,
            "",
            "the top level must be a JSON object",
        ));
        return problems;
    };
    let known = ["travel", "catalog"];
    for key in obj.keys() {
        if !known.contains(&key.as_str()) && !LISTS.iter().any(|(k, _)| k == key) {
            problems.push(Problem::new(
                ProblemCode::Shape,
                "scenario",
                None,
                key.clone(),
                "unknown field",
            ));
        }
    }
    check_whole::<crate::travel::TravelSpec>(obj.get("travel"), "travel", &mut problems);
    check_whole::<crate::model::Catalog>(obj.get("catalog"), "catalog", &mut problems);
    for (key, entity) in LISTS {
        match obj.get(key) {
            None => problems.push(Problem::new(
                ProblemCode::Shape,
                "scenario",
                None,
                key,
                "missing list",
            )),
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let result = match key {
                        "regions" => check::<crate::model::Region>(item),
                        "cities" => check::<crate::model::City>(item),
                        "outlets" => check::<crate::model::Outlet>(item),
                        "technicians" => check::<crate::model::Technician>(item),
                        _ => check::<crate::model::ServiceRequest>(item),
                    };
                    if let Err(e) = result {
                        let id = item.get("id").and_then(Value::as_u64);
                        problems.push(Problem::new(
                            ProblemCode::Shape,
                            entity,
                            id,
                            format!("{key}[{i}]"),
                            e.to_string(),
                        ));
                    }
                }
            }
            Some(_) => problems.push(Problem::new(
                ProblemCode::Shape,
                "scenario",
                None,
                key,
                "must be a list",
            )),
        }
    }
    problems
}

fn check<T: DeserializeOwned>(item: &Value) -> serde_json::Result<()> {
    T::deserialize(item).map(drop)
}

fn check_whole<T: DeserializeOwned>(
    value: Option<&Value>,
    entity: &'static str,
    problems: &mut Vec<Problem>,
) {
    if let Some(v) = value
        && let Err(e) = check::<T>(v)
    {
        problems.push(Problem::new(
            ProblemCode::Shape,
            entity,
            None,
            entity,
            e.to_string(),
        ));
    }
}

/// Reads and validates a scenario from JSON text.
///
/// # Errors
/// Loads the road network a scenario names, when it is one servnet ships
/// (`china_trunk`); any other source is left for the validation to name.
fn load_roads(mut data: ScenarioData) -> Result<ScenarioData> {
    if let TravelSpec::Road(spec) = &data.travel
        && spec.travel().is_none()
        && spec.source == CHINA_TRUNK
    {
        data.travel = TravelSpec::road(CHINA_TRUNK, super::china::china_trunk_travel()?);
    }
    Ok(data)
}

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
    let value: Value = serde_json::from_str(text).map_err(|e| syntax(what, &e))?;
    match value {
        Value::Object(mut map) if map.contains_key("plan") => {
            let routes = map.remove("routes");
            let mut plan: Plan = serde_json::from_value(map.remove("plan").unwrap_or(Value::Null))
                .map_err(|e| syntax(what, &e))?;
            if let Some(routes) = routes {
                plan.routes = serde_json::from_value(routes).map_err(|e| syntax(what, &e))?;
            }
            Ok(plan)
        }
        value => serde_json::from_value(value).map_err(|e| syntax(what, &e)),
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
/// # Errors
/// [`ErrorKind::Io`] or [`ErrorKind::Syntax`] when the file is not a request.
pub fn read_request(path: impl AsRef<Path>) -> Result<crate::model::ServiceRequest> {
    let path = path.as_ref();
    serde_json::from_str(&read_text(path)?).map_err(|e| syntax(&path.display().to_string(), &e))
}
