//! Every type the command line parses reads its text in the library
//! (`FromStr`), and a wrong text gets an error that names the accepted forms.

use servnet::planning::coverage::Promise;
use servnet::travel::TravelSpec;
use servnet::{Catalog, CategoryId, ErrorKind, OutletKind, ParseError};

#[test]
fn outlet_kinds_read_as_written_in_files_or_with_hyphens() {
    for kind in OutletKind::ALL {
        assert_eq!(kind.as_str().parse::<OutletKind>(), Ok(kind));
        assert_eq!(
            kind.as_str().replace('_', "-").parse::<OutletKind>(),
            Ok(kind)
        );
    }
    let e = "owned".parse::<OutletKind>().unwrap_err();
    assert_eq!(e.what, "outlet kind");
    let text = e.to_string();
    for form in ["`owned`", "company_owned", "contracted", "dealer"] {
        assert!(text.contains(form), "{text}");
    }
}

#[test]
fn travel_specs_name_a_model_and_roads_wait_for_loading() {
    assert_eq!(
        "great-circle".parse::<TravelSpec>(),
        Ok(TravelSpec::default())
    );
    assert_eq!(
        "great_circle".parse::<TravelSpec>(),
        Ok(TravelSpec::default())
    );
    let roads: TravelSpec = "roads".parse().unwrap();
    let TravelSpec::Road(spec) = &roads else {
        panic!("roads is a road spec: {roads:?}");
    };
    assert_eq!(spec.source, servnet::CHINA_TRUNK);
    assert!(spec.travel().is_none(), "parsing loads nothing");
    let loaded = servnet::io::load_travel(roads).unwrap();
    let TravelSpec::Road(spec) = &loaded else {
        panic!("still a road spec");
    };
    assert!(
        spec.travel().is_some(),
        "load_travel attaches the shipped roads"
    );
    let e = "ferry".parse::<TravelSpec>().unwrap_err();
    assert!(e.to_string().contains("great-circle or roads"), "{e}");
}

#[test]
fn promises_read_km_minutes_or_both_and_print_as_read() {
    for (text, km, minutes) in [
        ("50km", Some(50.0), None),
        ("50", Some(50.0), None),
        ("90min", None, Some(90.0)),
        ("90minutes", None, Some(90.0)),
        ("50km,90min", Some(50.0), Some(90.0)),
        (" 1e2km ", Some(100.0), None),
    ] {
        let p: Promise = text.parse().unwrap();
        assert_eq!((p.km, p.minutes), (km, minutes), "{text}");
        assert_eq!(p.to_string().parse::<Promise>(), Ok(p), "{text} round trip");
    }
    for (text, reason) in [
        ("0km", "out of range"),
        ("1e308km", "out of range"),
        ("-5km", "out of range"),
        ("5e", "unknown unit `e`"),
        ("km", "not a number"),
        ("50km,60km", "twice"),
        (",", "empty"),
    ] {
        let e: ParseError = text.parse::<Promise>().unwrap_err();
        let message = e.to_string();
        assert!(message.contains(reason), "{text}: {message}");
        assert!(
            message.contains("50km,90min"),
            "{text}: the forms in {message}"
        );
    }
}

#[test]
fn a_category_is_found_by_id_or_code() {
    let catalog = Catalog::default();
    let first = &catalog.categories[0];
    assert_eq!(catalog.find_category(&first.code), Ok(first.id));
    assert_eq!(catalog.find_category(&first.id.0.to_string()), Ok(first.id));
    let unknown = u16::MAX.to_string();
    let e = catalog.find_category(&unknown).unwrap_err();
    assert!(e.to_string().contains(&first.code), "{e}");
    assert!(catalog.find_category("toaster").is_err());
    let _ = CategoryId(0);
}

#[test]
fn a_parse_error_becomes_the_error_of_a_parameter() {
    let e = "owned"
        .parse::<OutletKind>()
        .unwrap_err()
        .for_parameter("kinds");
    match e.kind() {
        ErrorKind::Parameter { name, message } => {
            assert_eq!(*name, "kinds");
            assert!(message.contains("dealer"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn presets_read_and_print_as_the_command_line_writes_them() {
    use servnet::Preset;
    for text in ["national", "province:Zhejiang"] {
        let preset: Preset = text.parse().unwrap();
        assert_eq!(preset.to_string(), text);
    }
    for text in ["planet", "province:", "Zhejiang"] {
        let e = text.parse::<Preset>().unwrap_err();
        assert!(e.to_string().contains("province:<name>"), "{text}: {e}");
    }
}
