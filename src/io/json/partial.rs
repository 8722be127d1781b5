//! Reading a file whose shape is wrong somewhere: every shape problem by its
//! path, and the parts that have their shape, for the rules of the rest.

use super::formats::{self, CATALOG, CATEGORY, POLICY, SCENARIO, SIM_CONFIG, TRIAGE};
use super::shape::{Ctx, Obj, Ty, Walker};
use super::tree::Node;
use crate::error::{Problem, ProblemCode};
use crate::model::{Catalog, Ids, ScenarioData, Unread};
use crate::sim::SimConfig;
use serde::de::DeserializeOwned;

const TOP: Ctx = Ctx {
    entity: "scenario",
    id: None,
};

/// A value of a part that has its shape; a problem when serde still refuses it.
fn read<T: DeserializeOwned>(node: &Node, path: &str, ctx: Ctx, w: &mut Walker) -> Option<T> {
    match T::deserialize(node.to_value()) {
        Ok(t) => Some(t),
        Err(e) => {
            w.problems.push(Problem::new(
                ProblemCode::Shape,
                ctx.entity,
                ctx.id,
                path,
                e.to_string(),
            ));
            None
        }
    }
}

/// The elements of a list that have their shape; the ids of the others go to `unread`.
fn elements<T: DeserializeOwned>(
    list: Option<&Node>,
    obj: &'static Obj,
    path: &str,
    w: &mut Walker,
    unread: &mut Ids,
) -> Vec<T> {
    let ctx = Ctx {
        entity: obj.entity.unwrap_or("scenario"),
        id: None,
    };
    let items = match list {
        Some(Node::Array(items)) => items,
        Some(other) => {
            w.problems.push(Problem::new(
                ProblemCode::Shape,
                ctx.entity,
                None,
                path,
                format!("expected a list, found {}", other.describe()),
            ));
            unread.all = true;
            return Vec::new();
        }
        None => {
            w.problems.push(Problem::new(
                ProblemCode::Shape,
                "scenario",
                None,
                path,
                "missing: give a list",
            ));
            unread.all = true;
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("{path}[{i}]");
        let read = if w.object(item, obj, &path, ctx) {
            read(item, &path, ctx.of(obj, item), w)
        } else {
            None
        };
        match read {
            Some(t) => out.push(t),
            None => unread.ids.extend(item.get("id").and_then(Node::as_u64)),
        }
    }
    out
}

/// A scenario's parts that have their shape, the ids of the elements that do
/// not, and every shape problem.
pub(crate) fn scenario(root: &Node) -> (ScenarioData, Unread, Vec<Problem>) {
    let mut w = Walker::default();
    let mut unread = Unread::default();
    let mut data = ScenarioData::default();
    if !matches!(root, Node::Object(_)) {
        w.object(root, &SCENARIO, "", TOP);
        for ids in [
            &mut unread.regions,
            &mut unread.cities,
            &mut unread.outlets,
            &mut unread.technicians,
            &mut unread.requests,
            &mut unread.categories,
        ] {
            ids.all = true;
        }
        return (data, unread, w.problems);
    }
    w.keys(root, &SCENARIO, &[], "", TOP);
    let travel = Ctx {
        entity: "travel",
        id: None,
    };
    if let Some(n) = root.get("travel")
        && w.value(n, &formats::TRAVEL, "travel", travel)
        && let Some(t) = read(n, "travel", travel, &mut w)
    {
        data.travel = t;
    }
    if let Some(n) = root.get("policy")
        && w.object(n, &POLICY, "policy", TOP)
        && let Some(p) = read(n, "policy", TOP.of(&POLICY, n), &mut w)
    {
        data.policy = p;
    }
    data.catalog = catalog(root.get("catalog"), &mut w, &mut unread.categories);
    data.regions = elements(
        root.get("regions"),
        &formats::REGION,
        "regions",
        &mut w,
        &mut unread.regions,
    );
    data.cities = elements(
        root.get("cities"),
        &formats::CITY,
        "cities",
        &mut w,
        &mut unread.cities,
    );
    data.outlets = elements(
        root.get("outlets"),
        &formats::OUTLET,
        "outlets",
        &mut w,
        &mut unread.outlets,
    );
    data.technicians = elements(
        root.get("technicians"),
        &formats::TECHNICIAN,
        "technicians",
        &mut w,
        &mut unread.technicians,
    );
    data.requests = elements(
        root.get("requests"),
        &formats::REQUEST,
        "requests",
        &mut w,
        &mut unread.requests,
    );
    (data, unread, w.problems)
}

/// The catalog's parts that have their shape, category by category.
fn catalog(node: Option<&Node>, w: &mut Walker, unread: &mut Ids) -> Catalog {
    let mut catalog = Catalog::default();
    let Some(node) = node else {
        return catalog;
    };
    if !matches!(node, Node::Object(_)) {
        w.object(node, &CATALOG, "catalog", TOP);
        catalog.categories.clear();
        unread.all = true;
        return catalog;
    }
    let ctx = TOP.of(&CATALOG, node);
    w.keys(node, &CATALOG, &[], "catalog", ctx);
    let factor = Ty::Array(&Ty::Float, 3);
    if let Some(f) = node.get("level_time_factor")
        && w.value(f, &factor, "catalog.level_time_factor", ctx)
        && let Some(f) = read(f, "catalog.level_time_factor", ctx, w)
    {
        catalog.level_time_factor = f;
    }
    catalog.categories = elements(
        node.get("categories"),
        &CATEGORY,
        "catalog.categories",
        w,
        unread,
    );
    catalog
}

/// A simulation's settings: the parts that have their shape (defaults for
/// the others), and every shape problem.
pub(crate) fn sim_config(root: &Node) -> (SimConfig, Vec<Problem>) {
    let mut w = Walker::default();
    let mut config = SimConfig::default();
    let top = Ctx {
        entity: "simulation",
        id: None,
    };
    if !matches!(root, Node::Object(_)) {
        w.object(root, &SIM_CONFIG, "", top);
        return (config, w.problems);
    }
    w.keys(root, &SIM_CONFIG, &[], "", top);
    if let Some(n) = root.get("triage")
        && w.object(n, &TRIAGE, "triage", top)
        && let Some(t) = read(n, "triage", TOP.of(&TRIAGE, n), &mut w)
    {
        config.triage = t;
    }
    if let Some(n) = root.get("policy")
        && w.object(n, &POLICY, "policy", top)
        && let Some(p) = read(n, "policy", TOP.of(&POLICY, n), &mut w)
    {
        config.policy = p;
    }
    if let Some(n) = root.get("round_every_min")
        && w.value(n, &formats::U32, "round_every_min", top)
        && let Some(m) = n.as_u64().and_then(|m| u32::try_from(m).ok())
    {
        config.round_every_min = m;
    }
    (config, w.problems)
}

/// Every shape problem of a request read alone.
pub(crate) fn request(root: &Node) -> Vec<Problem> {
    let mut w = Walker::default();
    let top = Ctx {
        entity: "request",
        id: None,
    };
    w.object(root, &formats::REQUEST, "", top);
    w.problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{Generator, Preset};
    use crate::model::{CategoryId, KindRule, OutletKind};
    use crate::sim::RemoteRule;
    use crate::travel::TravelSpec;

    fn tree_of<T: serde::Serialize>(value: &T) -> Node {
        serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
    }

    /// The shapes follow the derives: whatever servnet writes, the walk
    /// finds no problem in, and reads back as serde does.
    #[test]
    fn every_written_file_has_its_shape_and_reads_back_the_same() {
        let s = Generator::new(Preset::province("Hainan"))
            .requests(30)
            .seed(3)
            .build()
            .unwrap();
        let mut d = s.into_data();
        d.technicians[0].base = Some(geo::Point::new(110.0, 20.0));
        d.technicians[1].start = Some(geo::Point::new(110.1, 20.1));
        d.policy
            .rules
            .push(KindRule::new(OutletKind::Dealer, 2).categories([CategoryId(0)]));
        for travel in [
            TravelSpec::default(),
            TravelSpec::Road(crate::travel::RoadSpec::named("mine")),
        ] {
            d.travel = travel;
            let text = serde_json::to_string(&d).unwrap();
            assert!(super::super::fits::fits(&text, &formats::SCENARIO_FILE));
            let (back, unread, problems) = scenario(&tree_of(&d));
            assert!(problems.is_empty(), "{problems:#?}");
            assert!(unread.outlets.ids.is_empty() && !unread.outlets.all);
            assert_eq!(back, d);
        }

        let mut config = SimConfig::default();
        config.triage.remote.push(RemoteRule {
            request_kinds: vec![crate::RequestKind::Install],
            categories: Some(vec![CategoryId(1)]),
            max_difficulty: 1,
            probability: 0.5,
        });
        let text = serde_json::to_string(&config).unwrap();
        assert!(super::super::fits::fits(&text, &formats::SIM_CONFIG_FILE));
        let (back, problems) = sim_config(&tree_of(&config));
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(back, config);
        assert!(request(&tree_of(&d.requests[0])).is_empty());
        let text = serde_json::to_string(&d.requests[0]).unwrap();
        assert!(super::super::fits::fits(&text, &formats::REQUEST_FILE));
        // A list for an object, a key twice, an unknown key: not of the shape.
        for bad in [
            r#"{"round_every_min": 60, "triage": []}"#,
            r#"{"round_every_min": 60, "round_every_min": 60}"#,
            r#"{"round_every": 60}"#,
            r#"[]"#,
        ] {
            assert!(
                !super::super::fits::fits(bad, &formats::SIM_CONFIG_FILE),
                "{bad}"
            );
        }
        assert!(super::super::fits::fits(
            r#"{"round_every_min": 60}"#,
            &formats::SIM_CONFIG_FILE
        ));
    }
}
