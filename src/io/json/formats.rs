//! The shapes of servnet's JSON formats: a scenario and its parts, a
//! request, a simulation's settings. They follow the serde derives of the
//! types; a test checks that every written value has its shape.

use super::shape::{Obj, Ty, apart, opt, req};

const U8: Ty = Ty::Uint(u8::MAX as u64);
const U16: Ty = Ty::Uint(u16::MAX as u64);
pub(crate) const U32: Ty = Ty::Uint(u32::MAX as u64);
const LONLAT: Ty = Ty::Array(&Ty::Float, 2);
const REQUEST_KINDS: Ty = Ty::Enum(&["install", "repair", "maintenance"]);
const OUTLET_KINDS: Ty = Ty::Enum(&["company_owned", "contracted", "dealer"]);
const CATEGORY_IDS: Ty = Ty::List(&U16);

pub(crate) const TRAVEL: Ty =
    Ty::Tagged("model", &[("great_circle", &GREAT_CIRCLE), ("road", &ROAD)]);

static GREAT_CIRCLE: Obj = Obj {
    entity: Some("travel"),
    fields: &[req("detour_factor", Ty::Float), req("speed_kmh", Ty::Float)],
};

static ROAD: Obj = Obj {
    entity: Some("travel"),
    fields: &[req("source", Ty::Str)],
};

/// The catalog's own fields; its categories are read one by one.
pub(crate) static CATALOG: Obj = Obj {
    entity: Some("catalog"),
    fields: &[
        apart("categories", Ty::List(&Ty::Obj(&CATEGORY))),
        opt("level_time_factor", Ty::Array(&Ty::Float, 3)),
    ],
};

pub(crate) static CATEGORY: Obj = Obj {
    entity: Some("category"),
    fields: &[
        req("id", U16),
        req("code", Ty::Str),
        req("name", Ty::Str),
        req("install_min", Ty::Float),
        req("repair_min", Ty::Float),
        req("maintenance_min", Ty::Float),
    ],
};

pub(crate) static POLICY: Obj = Obj {
    entity: Some("policy"),
    fields: &[
        opt("rules", Ty::List(&Ty::Obj(&KIND_RULE))),
        opt("escalate_above", U8),
        opt("region", Ty::Enum(&["never", "when_necessary", "freely"])),
        opt("crossing_cost", Ty::Float),
        opt("reach_km", Ty::Float),
        opt("gold_preference", Ty::Float),
    ],
};

static KIND_RULE: Obj = Obj {
    entity: None,
    fields: &[
        req("kind", OUTLET_KINDS),
        opt("request_kinds", Ty::List(&REQUEST_KINDS)),
        opt("max_difficulty", U8),
        opt("categories", Ty::Option(&CATEGORY_IDS)),
    ],
};

pub(crate) static REGION: Obj = Obj {
    entity: Some("region"),
    fields: &[
        req("id", U32),
        req("name", Ty::Str),
        req("provinces", Ty::List(&Ty::Str)),
        req("hub", U32),
    ],
};

pub(crate) static CITY: Obj = Obj {
    entity: Some("city"),
    fields: &[
        req("id", U32),
        req("name_zh", Ty::Str),
        req("name", Ty::Str),
        req("province", Ty::Str),
        req(
            "admin_level",
            Ty::Enum(&["municipality", "sub_provincial", "prefecture", "county"]),
        ),
        req("location", LONLAT),
        req("population", Ty::Uint(u64::MAX)),
        req("region", U32),
    ],
};

pub(crate) static OUTLET: Obj = Obj {
    entity: Some("outlet"),
    fields: &[
        req("id", U32),
        req("name", Ty::Str),
        req("kind", OUTLET_KINDS),
        opt("tier", Ty::Enum(&["gold", "standard"])),
        req("city", U32),
        req("location", LONLAT),
        req("categories", CATEGORY_IDS),
        req("daily_capacity", U32),
        req("tariff", Ty::Obj(&TARIFF)),
    ],
};

static TARIFF: Obj = Obj {
    entity: None,
    fields: &[
        opt("per_visit", Ty::Float),
        opt("per_minute", Ty::Float),
        opt("per_km", Ty::Float),
    ],
};

pub(crate) static TECHNICIAN: Obj = Obj {
    entity: Some("technician"),
    fields: &[
        req("id", U32),
        req("outlet", U32),
        req("skills", Ty::List(&Ty::Obj(&SKILL))),
        req("shift_start_min", U32),
        req("shift_minutes", U32),
        opt("base", Ty::Option(&LONLAT)),
        opt("start", Ty::Option(&LONLAT)),
    ],
};

static SKILL: Obj = Obj {
    entity: None,
    fields: &[
        req("category", U16),
        req("level", Ty::Enum(&["basic", "advanced", "expert"])),
    ],
};

pub(crate) static REQUEST: Obj = Obj {
    entity: Some("request"),
    fields: &[
        req("id", U32),
        req("city", U32),
        req("location", LONLAT),
        req("categories", CATEGORY_IDS),
        req("kind", REQUEST_KINDS),
        req("difficulty", U8),
        req("received_min", U32),
        req("window", Ty::Obj(&TIME_WINDOW)),
        opt("priority", Ty::Enum(&["low", "normal", "high", "urgent"])),
    ],
};

static TIME_WINDOW: Obj = Obj {
    entity: None,
    fields: &[req("start_min", U32), req("end_min", U32)],
};

/// The top level of a scenario; its parts are read one by one. Its lists
/// (and the catalog's) are required, but a missing one is reported where it
/// is read, even beside a misspelt key close to its name: a missing list
/// leaves every reference to its kind unchecked, which deserves its own line.
pub(crate) static SCENARIO: Obj = Obj {
    entity: Some("scenario"),
    fields: &[
        opt("travel", TRAVEL),
        opt("catalog", Ty::Obj(&CATALOG)),
        opt("policy", Ty::Obj(&POLICY)),
        apart("regions", Ty::List(&Ty::Obj(&REGION))),
        apart("cities", Ty::List(&Ty::Obj(&CITY))),
        apart("outlets", Ty::List(&Ty::Obj(&OUTLET))),
        apart("technicians", Ty::List(&Ty::Obj(&TECHNICIAN))),
        apart("requests", Ty::List(&Ty::Obj(&REQUEST))),
    ],
};

/// A simulation's settings ([`crate::sim::SimConfig`]).
pub(crate) static SIM_CONFIG: Obj = Obj {
    entity: Some("simulation"),
    fields: &[
        opt("triage", Ty::Obj(&TRIAGE)),
        opt("policy", Ty::Obj(&POLICY)),
        opt("round_every_min", U32),
    ],
};

pub(crate) static TRIAGE: Obj = Obj {
    entity: Some("triage"),
    fields: &[
        req("remote", Ty::List(&Ty::Obj(&REMOTE_RULE))),
        req("first_time_fix", Ty::Array(&Ty::Float, 3)),
        req("sla_city_hours", Ty::Float),
        req("sla_county_hours", Ty::Float),
    ],
};

static REMOTE_RULE: Obj = Obj {
    entity: None,
    fields: &[
        req("request_kinds", Ty::List(&REQUEST_KINDS)),
        opt("categories", Ty::Option(&CATEGORY_IDS)),
        req("max_difficulty", U8),
        req("probability", Ty::Float),
    ],
};

/// A scenario file.
pub(crate) static SCENARIO_FILE: Ty = Ty::Obj(&SCENARIO);

/// A request file.
pub(crate) static REQUEST_FILE: Ty = Ty::Obj(&REQUEST);

/// A simulation's settings file.
pub(crate) static SIM_CONFIG_FILE: Ty = Ty::Obj(&SIM_CONFIG);
