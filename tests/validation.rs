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
