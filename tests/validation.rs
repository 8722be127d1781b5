//! Bad input is reported completely, with codes, entities, ids and fields — never a panic.

mod common;

use common::*;
use servnet::io::{scenario_data_from_json_str, scenario_from_json_str, to_json_string};
use servnet::*;

fn problems_of(data: ScenarioData) -> Vec<Problem> {
    Scenario::new(data)
        .expect_err("invalid")
        .problems()
        .to_vec()
}

fn has(problems: &[Problem], code: ProblemCode, entity: &str, id: u64, field: &str) -> bool {
    problems.iter().any(|p| {
        p.code == code && p.entity == entity && p.id == Some(id) && p.field.starts_with(field)
    })
}

#[test]
fn reports_every_defect_at_once_with_code_id_and_field() {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::Contracted, 1, 113.3, 23.1, 0));
    d.outlets
        .push(outlet(2, OutletKind::Dealer, 9, 113.3, 95.0, 10));
    d.technicians.push(tech(1, 1, &[(0, SkillLevel::Basic)]));
    d.technicians.push(tech(1, 1, &[(0, SkillLevel::Basic)]));
    d.technicians.push(tech(2, 7, &[]));
    let mut t = tech(3, 1, &[(0, SkillLevel::Basic), (0, SkillLevel::Expert)]);
    t.shift_minutes = 0;
    d.technicians.push(t);
    let mut r = request(1, 1, f64::NAN, 23.1, &[0, 42], 9);
    r.window = TimeWindow {
        start_min: 600,
        end_min: 500,
    };
    d.requests.push(r);
    d.requests.push(request(2, 1, -200.0, 23.1, &[], 1));

    let p = problems_of(d);
    use ProblemCode as C;
    assert!(
        has(&p, C::NonPositive, "outlet", 1, "daily_capacity"),
        "{p:#?}"
    );
    assert!(has(&p, C::DanglingReference, "outlet", 2, "city"));
    assert!(has(&p, C::BadCoordinate, "outlet", 2, "location"));
    assert!(has(&p, C::DuplicateId, "technician", 1, "id"));
    assert!(has(&p, C::DanglingReference, "technician", 2, "outlet"));
    assert!(has(&p, C::Empty, "technician", 2, "skills"));
    assert!(has(&p, C::Inconsistent, "technician", 3, "skills"));
    assert!(has(&p, C::NonPositive, "technician", 3, "shift_minutes"));
    assert!(has(&p, C::BadCoordinate, "request", 1, "location"));
    assert!(has(&p, C::DanglingReference, "request", 1, "categories"));
    assert!(has(&p, C::OutOfRange, "request", 1, "difficulty"));
    assert!(has(&p, C::TimeWindow, "request", 1, "window"));
    assert!(has(&p, C::BadCoordinate, "request", 2, "location"));
    assert!(has(&p, C::Empty, "request", 2, "categories"));
    assert_eq!(p.len(), 14, "exactly the defects planted: {p:#?}");
    // Every problem prints its code, entity, id and field.
    let text = Scenario::new({
        let mut d = base();
        d.technicians.push(tech(5, 99, &[(0, SkillLevel::Basic)]));
        d
    })
    .unwrap_err()
    .to_string();
    assert!(
        text.contains("E1200") && text.contains("technician 5") && text.contains("`outlet`"),
        "{text}"
    );
}

#[test]
fn a_valid_scenario_round_trips_through_json() {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::CompanyOwned, 1, 113.3, 23.1, 10));
    d.technicians.push(tech(1, 1, &[(0, SkillLevel::Expert)]));
    d.requests.push(request(1, 2, 113.1, 23.0, &[0], 5));
    let s = Scenario::new(d.clone()).expect("valid");
    let text = to_json_string(&s).unwrap();
    let back = scenario_from_json_str(&text, "round trip").expect("reads back");
    assert_eq!(back.data(), &d);
}

#[test]
fn malformed_json_names_line_and_column() {
    let text = "{\n  \"regions\": [],\n  \"cities\": [,]\n}";
    let err = scenario_data_from_json_str(text, "bad.json").unwrap_err();
    match err.kind() {
        ErrorKind::Syntax {
            line, column, what, ..
        } => {
            assert_eq!((*line, what.as_str()), (3, "bad.json"));
            assert!(*column > 0);
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn unknown_enum_values_are_all_reported_with_ids() {
    let mut d = base();
    d.outlets
        .push(outlet(1, OutletKind::Contracted, 1, 113.3, 23.1, 10));
    d.outlets
        .push(outlet(2, OutletKind::Contracted, 1, 113.3, 23.1, 10));
    d.requests.push(request(7, 1, 113.3, 23.1, &[0], 1));
    let text = to_json_string(&d)
        .unwrap()
        .replace("\"kind\":\"contracted\"", "\"kind\":\"franchise\"")
        .replace("\"kind\":\"repair\"", "\"kind\":\"teleport\"");
    let err = scenario_data_from_json_str(&text, "t").unwrap_err();
    let p = err.problems();
    assert!(
        has(p, ProblemCode::Shape, "outlet", 1, "outlets[0]"),
        "{p:#?}"
    );
    assert!(has(p, ProblemCode::Shape, "outlet", 2, "outlets[1]"));
    assert!(has(p, ProblemCode::Shape, "request", 7, "requests[0]"));
    assert!(p.iter().any(|x| x.message.contains("franchise")));
    assert!(p.iter().any(|x| x.message.contains("teleport")));
}

#[test]
fn missing_lists_and_unknown_fields_are_named() {
    let err = scenario_data_from_json_str("{\"cities\": [], \"outlest\": []}", "t").unwrap_err();
    let fields: Vec<&str> = err.problems().iter().map(|p| p.field.as_str()).collect();
    for f in ["outlest", "regions", "outlets", "technicians", "requests"] {
        assert!(fields.contains(&f), "{f} not in {fields:?}");
    }
}

#[test]
fn bad_travel_settings_are_reported() {
    let mut d = base();
    d.travel =
        travel::TravelSpec::GreatCircle(GreatCircle::default().detour_factor(0.5).speed_kmh(0.0));
    let p = problems_of(d);
    assert!(
        p.iter()
            .any(|x| x.entity == "travel" && x.field == "detour_factor")
    );
    assert!(
        p.iter()
            .any(|x| x.entity == "travel" && x.field == "speed_kmh")
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Arbitrary text never panics the reader: it is read, or it is an error.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = scenario_from_json_str(&text, "fuzz");
    }

    /// Any mutation of a valid scenario's JSON never panics the reader or the validator.
    #[test]
    fn mutated_scenarios_never_panic(pos in 0usize..2000, byte in proptest::prelude::any::<u8>()) {
        let mut d = base();
        d.outlets.push(outlet(1, OutletKind::Dealer, 1, 113.3, 23.1, 10));
        d.technicians.push(tech(1, 1, &[(0, SkillLevel::Basic)]));
        d.requests.push(request(1, 1, 113.3, 23.1, &[0], 1));
        let mut bytes = to_json_string(&d).unwrap().into_bytes();
        let i = pos % bytes.len();
        bytes[i] = byte;
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(s) = scenario_from_json_str(&text, "fuzz") {
            let plan = Nearest::new().dispatch(&s).unwrap();
            proptest::prop_assert!(verify(&s, &plan).is_empty());
        }
    }
}

/// A small generated day as JSON, to be edited by a test.
fn generated_day() -> serde_json::Value {
    let s = servnet::generate::Generator::new(servnet::generate::Preset::province("Hainan"))
        .requests(20)
        .seed(1)
        .build()
        .unwrap();
    serde_json::from_str(&to_json_string(&s).unwrap()).unwrap()
}

/// The problems of a scenario's JSON: those of reading it, or else those of its rules.
fn problems_of_json(text: &str) -> Vec<Problem> {
    match scenario_data_from_json_str(text, "day.json") {
        Ok(data) => Scenario::new(data)
            .err()
            .map_or(Vec::new(), |e| e.problems().to_vec()),
        Err(e) => {
            assert!(
                matches!(e.kind(), ErrorKind::Invalid(_)),
                "expected problems, got {e}"
            );
            e.problems().to_vec()
        }
    }
}

fn id_of(v: &serde_json::Value, list: &str, i: usize) -> u64 {
    v[list][i]["id"].as_u64().unwrap()
}

#[test]
fn a_shape_problem_hides_no_other_problem_and_adds_no_false_one() {
    let mut v = generated_day();
    assert!(problems_of_json(&v.to_string()).is_empty());
    v["outlets"][0]["daily_capacity"] = (-5).into();
    v["technicians"][1]["id"] = v["technicians"][0]["id"].clone();
    v["technicians"][2]["outlet"] = 99999.into();
    v["cities"][0]["location"][1] = 999.0.into();
    let p = problems_of_json(&v.to_string());
    use ProblemCode as C;
    let expected = [
        (
            C::Shape,
            "outlet",
            id_of(&v, "outlets", 0),
            "outlets[0].daily_capacity",
        ),
        (
            C::DuplicateId,
            "technician",
            id_of(&v, "technicians", 0),
            "id",
        ),
        (
            C::DanglingReference,
            "technician",
            id_of(&v, "technicians", 2),
            "outlet",
        ),
        (C::BadCoordinate, "city", id_of(&v, "cities", 0), "location"),
    ];
    for (code, entity, id, field) in expected {
        assert!(
            p.iter().any(|x| x.code == code
                && x.entity == entity
                && x.id == Some(id)
                && x.field == field),
            "no {code} {entity} {id} `{field}` in {p:#?}"
        );
    }
    assert_eq!(p.len(), 4, "exactly the four problems planted: {p:#?}");
    assert!(p[0].message.contains("-5"), "{}", p[0]);
}

#[test]
fn every_shape_problem_of_an_element_is_named_by_its_path() {
    let mut v = generated_day();
    let id = id_of(&v, "outlets", 1);
    v["outlets"][1]["daily_capacity"] = "many".into();
    v["outlets"][1]["tariff"]["per_km"] = serde_json::json!([1]);
    v["outlets"][1]["kind"] = "franchise".into();
    v["outlets"][1].as_object_mut().unwrap().remove("city");
    let p = problems_of_json(&v.to_string());
    let fields: Vec<&str> = p.iter().map(|x| x.field.as_str()).collect();
    for f in [
        "outlets[1].daily_capacity",
        "outlets[1].tariff.per_km",
        "outlets[1].kind",
        "outlets[1].city",
    ] {
        assert!(fields.contains(&f), "{f} not in {p:#?}");
    }
    assert_eq!(p.len(), 4, "{p:#?}");
    assert!(
        p.iter()
            .all(|x| x.code == ProblemCode::Shape && x.id == Some(id))
    );
    assert!(
        p.iter()
            .any(|x| x.message.contains("franchise") && x.message.contains("contracted"))
    );
}

#[test]
fn unknown_fields_are_errors_everywhere_with_the_close_known_name() {
    let mut v = generated_day();
    let request = id_of(&v, "requests", 12);
    let outlet = id_of(&v, "outlets", 2);
    let category = v["catalog"]["categories"][0]["id"].as_u64().unwrap();
    v["requests"][12]["priorty"] = "urgent".into();
    v["outlets"][2]["tariff"]["per_minte"] = 1.0.into();
    v["catalog"]["categories"][0]["repair_mins"] = 10.into();
    v["catalog"]["level_factor"] = serde_json::json!([1, 1, 1]);
    v["policy"]["reach"] = 100.into();
    v["policy"]["rules"][0]["max_dificulty"] = 2.into();
    v["travel"]["speed"] = 50.into();
    v["polcy"] = serde_json::json!({});
    let p = problems_of_json(&v.to_string());
    let unknown = |entity: &str, id: Option<u64>, field: &str, close: &str| {
        assert!(
            p.iter().any(|x| x.code == ProblemCode::UnknownField
                && x.entity == entity
                && x.id == id
                && x.field == field
                && x.message.contains(&format!("did you mean `{close}`"))),
            "no unknown `{field}` (did you mean `{close}`) in {p:#?}"
        );
    };
    unknown("request", Some(request), "requests[12].priorty", "priority");
    unknown(
        "outlet",
        Some(outlet),
        "outlets[2].tariff.per_minte",
        "per_minute",
    );
    unknown(
        "category",
        Some(category),
        "catalog.categories[0].repair_mins",
        "repair_min",
    );
    unknown("catalog", None, "catalog.level_factor", "level_time_factor");
    unknown("policy", None, "policy.reach", "reach_km");
    unknown(
        "policy",
        None,
        "policy.rules[0].max_dificulty",
        "max_difficulty",
    );
    unknown("travel", None, "travel.speed", "speed_kmh");
    unknown("scenario", None, "polcy", "policy");
    assert_eq!(p.len(), 8, "{p:#?}");
    // The code and the action print with the problem.
    let line = p
        .iter()
        .find(|x| x.field == "requests[12].priorty")
        .unwrap()
        .to_string();
    assert!(line.starts_with("E1002 request"), "{line}");
}

#[test]
fn a_bad_value_inside_the_policy_is_named_and_nothing_else() {
    let mut v = generated_day();
    v["policy"]["region"] = "sometimes".into();
    let p = problems_of_json(&v.to_string());
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(
        (p[0].code, p[0].entity, p[0].field.as_str()),
        (ProblemCode::Shape, "policy", "policy.region")
    );
    assert!(
        p[0].message.contains("sometimes") && p[0].message.contains("when_necessary"),
        "{}",
        p[0]
    );
}

#[test]
fn duplicate_keys_are_reported_where_they_are() {
    let v = generated_day();
    let outlet = id_of(&v, "outlets", 0);
    let text = v
        .to_string()
        .replacen(
            "\"daily_capacity\":",
            "\"daily_capacity\":3,\"daily_capacity\":",
            1,
        )
        .replacen('{', "{\"requests\":[],", 1);
    let p = problems_of_json(&text);
    assert!(
        p.iter().any(|x| x.code == ProblemCode::DuplicateKey
            && x.entity == "outlet"
            && x.id == Some(outlet)
            && x.field == "outlets[0].daily_capacity"),
        "{p:#?}"
    );
    assert!(
        p.iter().any(|x| x.code == ProblemCode::DuplicateKey
            && x.entity == "scenario"
            && x.field == "requests"),
        "{p:#?}"
    );
    assert_eq!(p.len(), 2, "{p:#?}");
}

#[test]
fn a_byte_order_mark_is_read_as_nothing() {
    let v = generated_day();
    let text = format!("\u{feff}{v}");
    assert!(scenario_from_json_str(&text, "bom.json").is_ok());
    let plan = Nearest::new()
        .dispatch(&scenario_from_json_str(&text, "bom.json").unwrap())
        .unwrap();
    let plan_text = format!("\u{feff}{}", to_json_string(&plan).unwrap());
    assert!(servnet::io::plan_from_json_str(&plan_text, "plan.json").is_ok());
    let config = "\u{feff}{\"round_every_min\": 60}";
    assert!(servnet::io::sim_config_from_json_str(config, "config.json").is_ok());
    let d = std::env::temp_dir().join(format!("servnet-bom-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let f = d.join("request.json");
    std::fs::write(&f, format!("\u{feff}{}", v["requests"][0])).unwrap();
    assert!(servnet::io::read_request(&f).is_ok());
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn a_request_read_alone_names_unknown_fields_and_real_positions() {
    let v = generated_day();
    let d = std::env::temp_dir().join(format!("servnet-request-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let f = d.join("req.json");
    let mut r = v["requests"][0].clone();
    r["priorty"] = "urgent".into();
    r["window"]["end"] = 900.into();
    std::fs::write(&f, r.to_string()).unwrap();
    let err = servnet::io::read_request(&f).unwrap_err();
    let p = err.problems();
    assert!(err.to_string().contains("req.json"), "{err}");
    assert!(
        p.iter().any(|x| x.code == ProblemCode::UnknownField
            && x.field == "priorty"
            && x.message.contains("did you mean `priority`")),
        "{p:#?}"
    );
    assert!(
        p.iter()
            .any(|x| x.field == "window.end" && x.message.contains("end_min")),
        "{p:#?}"
    );
    assert_eq!(p.len(), 2, "{p:#?}");
    // A request that is not an object, and one whose value has the wrong type.
    std::fs::write(&f, "[]").unwrap();
    assert!(
        !servnet::io::read_request(&f)
            .unwrap_err()
            .problems()
            .is_empty()
    );
    // Syntax errors carry the line and column where they are.
    std::fs::write(&f, "{\n  \"id\": 5,\n  \"city\": ?\n}").unwrap();
    match servnet::io::read_request(&f).unwrap_err().kind() {
        ErrorKind::Syntax { line, column, .. } => assert_eq!((*line, *column), (3, 11)),
        other => panic!("{other:?}"),
    }
    std::fs::remove_dir_all(d).ok();
}

#[test]
fn a_plan_of_the_earlier_shape_names_the_line_of_its_error() {
    let text = "{\"plan\": {\"strategy\": \"nearest\",\n \"assignments\": 5}, \"routes\": []}";
    match servnet::io::plan_from_json_str(text, "old.json")
        .unwrap_err()
        .kind()
    {
        ErrorKind::Syntax { line, column, .. } => {
            assert_eq!(*line, 2, "line {line}");
            assert!(*column > 0);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn misspelt_and_misshapen_settings_are_refused_with_the_close_name() {
    use servnet::io::sim_config_from_json_str;
    let problems = |text: &str| -> Vec<Problem> {
        sim_config_from_json_str(text, "config.json")
            .unwrap_err()
            .problems()
            .to_vec()
    };
    let p = problems(r#"{"round_every": 60}"#);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(
        (p[0].code, p[0].field.as_str()),
        (ProblemCode::UnknownField, "round_every")
    );
    assert!(
        p[0].message.contains("did you mean `round_every_min`"),
        "{}",
        p[0]
    );
    let err = sim_config_from_json_str("[]", "config.json").unwrap_err();
    assert!(err.to_string().contains("config.json"), "{err}");
    assert_eq!(err.problems()[0].code, ProblemCode::Shape);
    let p = problems(r#"{"policy": {"regoin": "never"}}"#);
    assert!(
        p.iter()
            .any(|x| x.field == "policy.regoin" && x.message.contains("`region`")),
        "{p:#?}"
    );
    let p = problems(
        r#"{"triage": {"remote": [{"request_kinds": ["repair"], "max_difficulty": 2, "probability": 0.3, "propability": 1}],
            "first_time_fix": [0.9, 0.9, 0.9], "sla_city_hours": 24, "sla_county_hours": 48}}"#,
    );
    assert!(
        p.iter()
            .any(|x| x.field == "triage.remote[0].propability"
                && x.message.contains("`probability`")),
        "{p:#?}"
    );
    // Shape problems and rule problems, all at once.
    let p = problems(
        r#"{"round_every_min": 0, "triage": {"remote": [], "first_time_fix": [0.9, 0.9, 0.9],
            "sla_city_hours": 24, "sla_county_hours": -1}, "polcy": {}}"#,
    );
    let fields: Vec<&str> = p.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(fields.len(), 3, "{p:#?}");
    for f in ["polcy", "round_every_min", "sla_county_hours"] {
        assert!(fields.contains(&f), "{f} not in {fields:?}");
    }
}

#[test]
fn a_list_given_for_an_object_is_refused_not_read_by_position() {
    let mut v = generated_day();
    let outlet = id_of(&v, "outlets", 0);
    v["outlets"][0]["tariff"] = serde_json::json!([]);
    v["policy"] = serde_json::json!([]);
    let p = problems_of_json(&v.to_string());
    let fields: Vec<(&str, Option<u64>)> = p.iter().map(|x| (x.field.as_str(), x.id)).collect();
    assert_eq!(
        fields,
        [("policy", None), ("outlets[0].tariff", Some(outlet))],
        "{p:#?}"
    );
    assert!(p.iter().all(|x| x.code == ProblemCode::Shape));
    let err =
        servnet::io::sim_config_from_json_str(r#"{"triage": []}"#, "config.json").unwrap_err();
    assert_eq!(err.problems()[0].field, "triage", "{err}");
}
