//! China's trunk roads as a scenario's travel model: the network, the JSON
//! round trip, dispatch and verify under it, and a road source that is not loaded.

use servnet::generate::{Generator, Preset};
use servnet::io::china::{CHINA_TRUNK, Geography, china_trunk_travel};
use servnet::io::{scenario_from_json_str, to_json_string};
use servnet::spatial::great_circle_km;
use servnet::travel::{Metric, RoadSpec, TravelSpec};
use servnet::{DispatchStrategy, Nearest, Scenario, TravelModel, verify};

#[test]
fn the_trunk_network_joins_every_city_and_never_beats_the_straight_line() {
    let china = Geography::china().unwrap();
    let net = china.trunk_network().unwrap();
    assert_eq!(net.node_count(), china.cities.len());
    assert_eq!(net.component_count(), 1);
    let far = net.node_index(u64::from(china.cities[0].id.0)).unwrap();
    let lengths = net.distances_from(far, Metric::Km);
    for c in &china.cities {
        let i = net.node_index(u64::from(c.id.0)).unwrap();
        let km = lengths[i.index()].expect("reachable");
        let straight = great_circle_km(china.cities[0].location, c.location);
        assert!(km >= straight - 1e-6, "{}: {km} < {straight}", c.name);
    }
    // Consecutive cities of a line are one expressway apart.
    let at = |id: servnet::CityId| china.cities.iter().find(|c| c.id == id).unwrap().location;
    let lines = china.trunk_lines().unwrap();
    let g4 = lines.iter().find(|l| l.line == "G4").unwrap();
    for w in g4.cities.windows(2) {
        let (a, b) = (
            net.node_index(u64::from(w[0].0)).unwrap(),
            net.node_index(u64::from(w[1].0)).unwrap(),
        );
        let path = net.path(a, b, Metric::Km).unwrap();
        let gc = great_circle_km(at(w[0]), at(w[1]));
        assert!(path.km <= 1.2 * gc + 1e-6, "{}: {} km", g4.line, path.km);
    }
}

fn road_day() -> Scenario {
    Generator::new(Preset::province("Sichuan"))
        .requests(400)
        .seed(5)
        .travel(TravelSpec::road(CHINA_TRUNK, china_trunk_travel().unwrap()))
        .build()
        .unwrap()
}

#[test]
fn a_road_scenario_round_trips_through_json_and_dispatches_the_same() {
    let s = road_day();
    let json = to_json_string(&s).unwrap();
    assert!(json.contains(r#""travel":{"model":"road","source":"china_trunk"}"#));
    let back = scenario_from_json_str(&json, "day.json").unwrap();
    let again = scenario_from_json_str(&to_json_string(&back).unwrap(), "again.json").unwrap();
    let (a, b, c) = (
        Nearest::new().dispatch(&s).unwrap(),
        Nearest::new().dispatch(&back).unwrap(),
        Nearest::new().dispatch(&again).unwrap(),
    );
    assert!(verify(&s, &a).is_empty());
    assert!(verify(&back, &b).is_empty());
    // What was read back dispatches byte for byte the same every time; the
    // JSON keeps coordinates to 1e-7°, so against the generated day the same
    // technicians go to the same requests.
    assert!(to_json_string(&b).unwrap() == to_json_string(&c).unwrap());
    let who = |p: &servnet::Plan| -> Vec<_> {
        p.assignments
            .iter()
            .map(|x| (x.request, x.technician))
            .collect()
    };
    assert_eq!(who(&a), who(&b));
    assert_eq!(a.assignments.len() + a.unassigned.len(), 400);
    // The legs are the road network's, not the straight line's.
    let road = china_trunk_travel().unwrap();
    let straight = TravelSpec::default();
    let differs = a.assignments.iter().any(|x| {
        let r = s.request(x.request).unwrap().location;
        let o = s.outlet(x.outlet).unwrap().location;
        (road.leg(o, r).km - straight.leg(o, r).km).abs() > 1e-6
    });
    assert!(differs);
}

#[test]
fn a_road_source_that_is_not_loaded_is_refused_naming_it() {
    let s = road_day();
    let json = to_json_string(&s)
        .unwrap()
        .replace(r#""source":"china_trunk""#, r#""source":"my_roads""#);
    let e = scenario_from_json_str(&json, "day.json").unwrap_err();
    let p = e
        .problems()
        .iter()
        .find(|p| p.field == "source")
        .unwrap_or_else(|| panic!("{e}"));
    assert!(p.message.contains("my_roads"), "{}", p.message);
    assert_eq!(
        RoadSpec::named("my_roads"),
        RoadSpec::named("my_roads").with_travel(china_trunk_travel().unwrap())
    );
}

#[test]
fn every_strategy_dispatches_and_routes_under_road_travel() {
    let s = road_day();
    let strategies: Vec<Box<dyn DispatchStrategy>> = servnet::dispatch::STRATEGIES
        .iter()
        .map(|name| match *name {
            // A small work limit keeps the test quick and the plan the same on any machine.
            "optimal" => Box::new(servnet::Optimal::new().work_limit(2_000)),
            name => servnet::dispatch::strategy_by_name(name).unwrap(),
        })
        .collect();
    for strategy in &strategies {
        let name = strategy.name();
        let plan = strategy.dispatch(&s).unwrap();
        assert!(
            verify(&s, &plan).is_empty(),
            "{name}: {:?}",
            verify(&s, &plan)
        );
        assert_eq!(
            plan.assignments.len() + plan.unassigned.len(),
            s.requests().len(),
            "{name}"
        );
        assert!(!plan.routes.is_empty(), "{name}");
        // The legs of the routes are the road network's.
        let road = china_trunk_travel().unwrap();
        for route in &plan.routes {
            let t = s.technician(route.technician).unwrap();
            let first = s.request(route.stops[0].request).unwrap().location;
            let leg = road.leg(s.technician_start(t), first);
            assert!((route.stops[0].leg_km - leg.km).abs() <= 1e-6 * leg.km.max(1.0));
        }
        let routed =
            servnet::dispatch::route_plan(&s, &plan, &servnet::route::RouteOptions::new()).unwrap();
        assert!(
            verify(&s, &routed).is_empty(),
            "{name}: {:?}",
            verify(&s, &routed)
        );
    }
}
