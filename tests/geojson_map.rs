//! GeoJSON and SVG map output of a plan: they parse, hold one feature or
//! marker per request, outlet and visit with the right properties, and are
//! the same bytes on every call.

use geo::Point;
use geojson::{FeatureCollection, GeoJson, GeometryValue};
use servnet::Geography;
use servnet::generate::{Generator, Preset};
use servnet::io::geojson::{lines_geojson, plan_geojson};
use servnet::io::map::{MapOptions, Outline, plan_svg};
use servnet::{DispatchStrategy, ErrorKind, Nearest, Plan, RequestId, Scenario};
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn fixture() -> &'static (Geography, Scenario, Plan) {
    static F: OnceLock<(Geography, Scenario, Plan)> = OnceLock::new();
    F.get_or_init(|| {
        let china = Geography::china().unwrap();
        // Many requests for a small province, so some are left open.
        let scenario = Generator::new(Preset::province("Hainan"))
            .requests(600)
            .seed(11)
            .geography(china.clone())
            .build()
            .unwrap();
        let plan = Nearest::new().dispatch(&scenario).unwrap();
        (china, scenario, plan)
    })
}

fn parsed(fc: &FeatureCollection) -> FeatureCollection {
    match fc.to_string().parse::<GeoJson>().unwrap() {
        GeoJson::FeatureCollection(fc) => fc,
        other => panic!("not a feature collection: {other:?}"),
    }
}

fn by_feature(fc: &FeatureCollection, kind: &str) -> Vec<geojson::Feature> {
    fc.features
        .iter()
        .filter(|f| f.property("feature").and_then(|v| v.as_str()) == Some(kind))
        .cloned()
        .collect()
}

#[test]
fn geojson_parses_back_with_one_point_per_request_and_outlet_and_one_line_per_route() {
    let (_, scenario, plan) = fixture();
    let fc = parsed(&plan_geojson(scenario, plan).unwrap());
    assert!(!plan.unassigned.is_empty() && !plan.assignments.is_empty());
    let requests = by_feature(&fc, "request");
    let outlets = by_feature(&fc, "outlet");
    let routes = by_feature(&fc, "route");
    assert_eq!(requests.len(), scenario.requests().len());
    assert_eq!(outlets.len(), scenario.outlets().len());
    assert_eq!(routes.len(), plan.routes.len());
    assert!(
        routes.len() < plan.assignments.len(),
        "some day has two visits"
    );
    assert_eq!(
        fc.features.len(),
        requests.len() + outlets.len() + routes.len()
    );
    for f in requests.iter().chain(&outlets) {
        let g = f.geometry.as_ref().unwrap();
        assert!(matches!(g.value, GeometryValue::Point { .. }), "{f:?}");
    }
    // Start, each visit, the base.
    for (f, route) in routes.iter().zip(&plan.routes) {
        match &f.geometry.as_ref().unwrap().value {
            GeometryValue::LineString { coordinates } => {
                assert_eq!(coordinates.len(), route.stops.len() + 2)
            }
            other => panic!("a route is {other:?}"),
        }
    }
}

#[test]
fn request_properties_say_status_reason_and_priority() {
    let (_, scenario, plan) = fixture();
    let fc = plan_geojson(scenario, plan).unwrap();
    let reasons: BTreeMap<RequestId, &str> = plan
        .unassigned
        .iter()
        .map(|u| (u.request, u.reason.as_str()))
        .collect();
    let assigned: Vec<RequestId> = plan.assignments.iter().map(|a| a.request).collect();
    for (f, r) in by_feature(&fc, "request").iter().zip(scenario.requests()) {
        assert_eq!(f.property("id").unwrap().as_u64(), Some(u64::from(r.id)));
        let status = f.property("status").unwrap().as_str().unwrap();
        let reason = f.property("reason").unwrap();
        if let Some(want) = reasons.get(&r.id) {
            assert_eq!(status, "unassigned");
            assert_eq!(reason.as_str(), Some(*want));
        } else {
            assert!(
                assigned.contains(&r.id),
                "request {} is in neither list",
                r.id
            );
            assert_eq!(status, "assigned");
            assert!(reason.is_null());
        }
        let priority = serde_json::to_value(r.priority).unwrap();
        assert_eq!(f.property("priority"), Some(&priority));
        let p = match &f.geometry.as_ref().unwrap().value {
            GeometryValue::Point { coordinates } => coordinates.clone(),
            _ => unreachable!(),
        };
        assert_eq!(p.as_slice(), [r.location.x(), r.location.y()]);
    }
}

#[test]
fn outlet_and_route_properties_match_the_scenario_and_plan() {
    let (_, scenario, plan) = fixture();
    let fc = plan_geojson(scenario, plan).unwrap();
    for (f, o) in by_feature(&fc, "outlet").iter().zip(scenario.outlets()) {
        assert_eq!(f.property("id").unwrap().as_u64(), Some(u64::from(o.id)));
        assert_eq!(f.property("kind").unwrap().as_str(), Some(o.kind.as_str()));
        let tier = serde_json::to_value(o.tier).unwrap();
        assert_eq!(f.property("tier"), Some(&tier));
        let visits = plan.assignments.iter().filter(|a| a.outlet == o.id).count();
        assert_eq!(f.property("visits").unwrap().as_u64(), Some(visits as u64));
    }
    let routes = by_feature(&fc, "route");
    assert_eq!(routes.len(), plan.routes.len());
    for (f, route) in routes.iter().zip(&plan.routes) {
        let num = |k: &str| f.property(k).unwrap().as_f64().unwrap();
        assert_eq!(num("technician") as u64, u64::from(route.technician));
        assert_eq!(num("outlet") as u64, u64::from(route.outlet));
        assert_eq!(num("visits") as usize, route.stops.len());
        assert_eq!(num("km"), route.travel_km());
        assert_eq!(num("minutes"), route.travel_min());
        assert_eq!(
            (num("start_min"), num("end_min")),
            (route.start_min, route.end_min)
        );
        // The route's visits cost what the plan's assignments of them cost.
        let cost: f64 = plan
            .assignments
            .iter()
            .filter(|a| route.stops.iter().any(|st| st.request == a.request))
            .map(|a| a.cost)
            .sum();
        assert!((num("cost") - cost).abs() <= 1e-9 * cost.max(1.0));
        let tech = scenario.technician(route.technician).unwrap();
        let (start, base) = (
            scenario.technician_start(tech),
            scenario.technician_base(tech),
        );
        match &f.geometry.as_ref().unwrap().value {
            GeometryValue::LineString { coordinates } => {
                assert_eq!(coordinates[0].as_slice(), [start.x(), start.y()]);
                for (c, st) in coordinates[1..].iter().zip(&route.stops) {
                    let at = scenario.request(st.request).unwrap().location;
                    assert_eq!(c.as_slice(), [at.x(), at.y()]);
                }
                assert_eq!(coordinates.last().unwrap().as_slice(), [base.x(), base.y()]);
            }
            _ => unreachable!(),
        }
    }
}

#[test]
fn a_route_starting_away_from_the_base_is_drawn_from_its_start() {
    let (_, scenario, _) = fixture();
    let mut d = scenario.data().clone();
    let away = Point::new(110.2, 20.0);
    d.technicians[0].start = Some(away);
    let s = Scenario::new(d).unwrap();
    let plan = Nearest::new().dispatch(&s).unwrap();
    assert!(servnet::verify(&s, &plan).is_empty());
    let t = s.technicians()[0].id;
    let Some(route) = plan.route(t) else {
        panic!("technician {t} has no visit");
    };
    let fc = plan_geojson(&s, &plan).unwrap();
    let f = by_feature(&fc, "route")
        .into_iter()
        .find(|f| f.property("technician").unwrap().as_u64() == Some(u64::from(t)))
        .unwrap();
    match &f.geometry.as_ref().unwrap().value {
        GeometryValue::LineString { coordinates } => {
            assert_eq!(coordinates[0].as_slice(), [away.x(), away.y()]);
            assert_eq!(coordinates.len(), route.stops.len() + 2);
        }
        _ => unreachable!(),
    }
}

#[test]
fn geojson_is_the_same_text_on_every_call() {
    let (_, scenario, plan) = fixture();
    let a = plan_geojson(scenario, plan).unwrap().to_string();
    let b = plan_geojson(scenario, plan).unwrap().to_string();
    assert_eq!(a, b);
}

#[test]
fn a_plan_naming_an_unknown_request_is_an_error_naming_it() {
    let (china, scenario, plan) = fixture();
    let mut bad = plan.clone();
    bad.assignments[0].request = RequestId(9_999_999);
    let err = plan_geojson(scenario, &bad).unwrap_err();
    assert_eq!(err.problems()[0].id, Some(9_999_999), "{err}");
    assert!(plan_svg(china, scenario, &bad, &MapOptions::new()).is_err());
}

#[test]
fn lines_geojson_keeps_order_and_rejects_short_or_bad_lines() {
    let a = vec![Point::new(110.0, 20.0), Point::new(110.5, 19.5)];
    let b = vec![
        Point::new(109.5, 18.3),
        Point::new(109.0, 19.0),
        Point::new(110.3, 20.0),
    ];
    let fc = parsed(&lines_geojson(&[("a".into(), a.clone()), ("b".into(), b)]).unwrap());
    let names: Vec<_> = fc
        .features
        .iter()
        .map(|f| f.property("name").unwrap().as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["a", "b"]);
    match &fc.features[1].geometry.as_ref().unwrap().value {
        GeometryValue::LineString { coordinates } => assert_eq!(coordinates.len(), 3),
        other => panic!("{other:?}"),
    }
    let short = lines_geojson(&[("one".into(), vec![a[0]])]).unwrap_err();
    assert!(
        matches!(short.kind(), ErrorKind::Parameter { name: "lines", .. }),
        "{short}"
    );
    assert!(short.to_string().contains("one"));
    let nan = lines_geojson(&[("x".into(), vec![a[0], Point::new(f64::NAN, 1.0)])]);
    assert!(nan.is_err());
}

/// Opening tags (not self-closed) minus closing tags, per element name.
fn unbalanced(svg: &str) -> BTreeMap<String, i64> {
    let mut depth: BTreeMap<String, i64> = BTreeMap::new();
    for tag in svg.split('<').skip(1) {
        let tag = &tag[..tag.find('>').expect("every tag closes")];
        if let Some(name) = tag.strip_prefix('/') {
            *depth.entry(name.trim().to_string()).or_default() -= 1;
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap_or("").to_string();
            *depth.entry(name).or_default() += 1;
        }
    }
    depth.retain(|_, d| *d != 0);
    depth
}

#[test]
fn svg_is_well_formed_with_one_marker_per_outlet_and_request() {
    let (china, scenario, plan) = fixture();
    let svg = plan_svg(china, scenario, plan, &MapOptions::new()).unwrap();
    assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
    assert!(unbalanced(&svg).is_empty(), "{:?}", unbalanced(&svg));
    assert_eq!(
        svg.matches("class=\"outlet ").count(),
        scenario.outlets().len()
    );
    for kind in servnet::OutletKind::ALL {
        let n = scenario.outlets().iter().filter(|o| o.kind == kind).count();
        assert_eq!(
            svg.matches(&format!("class=\"outlet {}\"", kind.as_str()))
                .count(),
            n
        );
    }
    let crosses = svg.matches("class=\"unassigned\"").count();
    let dots = svg.matches("class=\"request\"").count();
    assert_eq!(crosses, plan.unassigned.len());
    assert_eq!(crosses + dots, scenario.requests().len());
    assert_eq!(svg.matches("<line ").count(), plan.assignments.len());
    assert_eq!(svg.matches("class=\"outline\"").count(), 1);
}

#[test]
fn svg_options_turn_layers_off_and_output_is_deterministic() {
    let (china, scenario, plan) = fixture();
    let opts = MapOptions::new()
        .lines(false)
        .cities(false)
        .province_labels(false)
        .outline(Outline::None)
        .title("Hainan <test>")
        .width_px(600.0);
    let svg = plan_svg(china, scenario, plan, &opts).unwrap();
    assert_eq!(svg.matches("<line ").count(), 0);
    assert!(!svg.contains("class=\"outline\"") && !svg.contains("class=\"cities\""));
    assert!(svg.contains("Hainan &lt;test&gt;") && svg.contains("width=\"600\""));
    assert!(unbalanced(&svg).is_empty());
    assert_eq!(svg, plan_svg(china, scenario, plan, &opts).unwrap());
    let full = MapOptions::new().outline(Outline::ConvexHull);
    assert_eq!(
        plan_svg(china, scenario, plan, &full).unwrap(),
        plan_svg(china, scenario, plan, &full).unwrap()
    );
}
