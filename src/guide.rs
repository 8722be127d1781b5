//! # Guide: from a scenario to routed days, checked and compared
//!
//! This page walks through servnet in the order a new user meets it: a
//! scenario, a policy, one day dispatched as routes and checked, the
//! [`Optimal`](crate::Optimal) plan with its lower bound, plans made
//! elsewhere, an urgent request placed into the day, and then weeks of
//! calls through several strategies, compared side by side. Every block
//! below is a test, so it runs as written.
//!
//! ## 1. A scenario
//!
//! A [`Scenario`](crate::Scenario) holds the network (cities and sales
//! regions, outlets of three kinds, technicians with skills by category and
//! level, shifts, a base and, if it differs, where the day starts —
//! [`Technician::start`](crate::Technician::start)) and the requests of a
//! day, each with a time window. Read one from JSON with
//! [`io::read_scenario`](crate::io::read_scenario), or generate one: the
//! generator places outlets and staff over the real cities of China and
//! draws demand by population and season, from a seed.
//!
//! ```
//! use servnet::generate::{Generator, Preset};
//! let day = Generator::new(Preset::province("Hainan")).requests(300).seed(1).build()?;
//! println!("{} outlets, {} technicians", day.outlets().len(), day.technicians().len());
//! # Ok::<(), servnet::Error>(())
//! ```
//!
//! ## 2. A policy
//!
//! The scenario carries the call center's [`Policy`](crate::Policy): which
//! outlet kinds may take which work, which requests only the company's own
//! technicians may take, and when dispatch may leave a request's sales
//! region. Every strategy obeys it and [`verify`](crate::verify) checks it.
//! A policy that leaves some work to nobody is refused when the scenario is
//! built, naming the category, the request kind and the difficulty.
//!
//! ```
//! use servnet::generate::{Generator, Preset};
//! use servnet::{OutletKind, Policy, RegionRule};
//! let mut policy = Policy::field(); // dealers install, contracted outlets repair, experts are ours
//! policy.region = RegionRule::Never;
//! let day = Generator::new(Preset::province("Hainan")).requests(300).seed(1).policy(policy).build()?;
//!
//! let mut orphan = Policy::field();
//! orphan.rules.retain(|r| r.kind != OutletKind::CompanyOwned);
//! let mut data = day.into_data();
//! data.policy = orphan;
//! let err = servnet::Scenario::new(data).unwrap_err();
//! assert!(err.problems()[0].message.contains("no eligible outlet kind"));
//! # Ok::<(), servnet::Error>(())
//! ```
//!
//! ## 3. One day, dispatched as routes and checked
//!
//! A strategy turns the scenario into a [`Plan`](crate::Plan): every
//! request either assigned or unassigned with a reason, and every
//! technician's day a [`Route`](crate::dispatch::Route) — from where its day
//! starts, through its visits in order, back to its base — with each
//! visit's arrival, start and departure. Each visit is also an
//! [`Assignment`](crate::dispatch::Assignment) with the leg into it (the
//! last also the way back), its minutes and its cost.
//!
//! [`verify`](crate::verify) re-derives every rule from the scenario alone:
//! skills, policy, outlet capacities, and for every route that its legs are
//! the travel model's, that every visit starts inside its window, that the
//! day ends by the shift's end, and that routes and assignments agree. A
//! plan whose times were edited by hand no longer passes.
//!
//! ```
//! use servnet::generate::{Generator, Preset};
//! use servnet::dispatch::ViolationCode;
//! use servnet::{DispatchStrategy, Nearest, verify};
//! let day = Generator::new(Preset::province("Hainan")).requests(300).seed(1).build()?;
//! let plan = Nearest::new().dispatch(&day)?;
//! assert!(verify(&day, &plan).is_empty());
//!
//! let route = &plan.routes[0];
//! println!("technician {} leaves at minute {:.0}:", route.technician, route.start_min);
//! for stop in &route.stops {
//!     let window = day.request(stop.request).unwrap().window;
//!     assert!(stop.start_min <= f64::from(window.end_min) + 1e-9);
//!     println!("  request {} from {:.0} to {:.0}", stop.request, stop.start_min, stop.depart_min);
//! }
//! println!("  back at the base at {:.0}, {:.1} km driven", route.end_min, route.travel_km());
//! let assigned: usize = plan.routes.iter().map(|r| r.stops.len()).sum();
//! assert_eq!(assigned, plan.assignments.len());
//!
//! let mut late = plan.clone();
//! late.routes[0].stops[0].start_min += 600.0;
//! let broken = verify(&day, &late);
//! assert!(broken.iter().any(|v| v.code == ViolationCode::RouteTiming));
//! # Ok::<(), servnet::Error>(())
//! ```
//!
//! Household requests of several categories are one visit when one
//! technician covers them all;
//! [`dispatch_one_stop`](crate::dispatch::dispatch_one_stop) splits the
//! others into coordinated visits and says which in
//! [`Plan::coordinated`](crate::Plan::coordinated).
//!
//! ```
//! use servnet::dispatch::dispatch_one_stop;
//! use servnet::generate::{Generator, Preset};
//! use servnet::{DispatchStrategy, Nearest, Regret, verify};
//! let day = Generator::new(Preset::province("Hainan")).requests(300).seed(1).build()?;
//! for strategy in [&Nearest::new() as &dyn DispatchStrategy, &Regret::new()] {
//!     let (split, plan) = dispatch_one_stop(strategy, &day)?;
//!     assert!(verify(&split, &plan).is_empty());
//!     let s = plan.summary(&split);
//!     println!("{:<8} {} assigned in {} routes, cost {:.0}", strategy.name(), s.assigned, plan.routes.len(), s.cost);
//! }
//! # Ok::<(), servnet::Error>(())
//! ```
//!
//! ## 4. The optimal plan, its bound and its gap
//!
//! [`Optimal`](crate::Optimal) searches the routed problem itself: it
//! builds every day by cheapest insertion, then improves the days by ruin
//! and recreate. Its objective prices each visit's fee, the policy's
//! surcharges, how long after its window opens the visit starts, and a
//! penalty for each request left open that a technician could have served.
//! The plan carries that objective, a **lower bound** on the objective of
//! every plan that keeps the rules, and the relative **gap** between them.
//!
//! The search runs a number of steps
//! ([`work_limit`](crate::Optimal::work_limit); by default 200 per request,
//! at most 400,000) or until its time limit: a run that ends on the steps
//! gives the same plan on every machine.
//! [`Optimal::objective`](crate::Optimal::objective) prices any plan the
//! same way, so every strategy's plan can be set against the one bound.
//!
//! ```
//! use servnet::generate::{Generator, Preset};
//! use servnet::{DispatchStrategy, Nearest, Optimal, Regret, verify};
//! let day = Generator::new(Preset::province("Hainan")).requests(300).seed(1).build()?;
//! let optimal = Optimal::new().work_limit(3_000);
//! let plan = optimal.dispatch(&day)?;
//! assert!(verify(&day, &plan).is_empty());
//! let (objective, bound) = (plan.objective.unwrap(), plan.lower_bound.unwrap());
//! assert!(bound <= objective);
//! println!("optimal: objective {objective:.0}, bound {bound:.0}, gap {:.1}%", 100.0 * plan.gap.unwrap());
//!
//! assert!((optimal.objective(&day, &plan)? - objective).abs() <= 1e-6 * objective);
//! for other in [&Nearest::new() as &dyn DispatchStrategy, &Regret::new()] {
//!     let priced = optimal.objective(&day, &other.dispatch(&day)?)?;
//!     assert!(bound <= priced + 1e-6 * priced);
//!     println!("{:<8} objective {priced:.0}", other.name());
//! }
//! # Ok::<(), servnet::Error>(())
//! ```
//!
//! ## 5. Plans made elsewhere: `route_plan`
//!
//! A plan may come from another system, or from a file written by hand:
//! who visits whom, with no routes.
//! [`io::read_plan`](crate::io::read_plan) reads such a plan, and a plan
//! with its routes, alike. [`route_plan`](crate::dispatch::route_plan)
//! orders each technician's visits into a day — exactly for short days, by
//! insertion and local search above — and moves a visit that no order can
//! fit onto another technician who can take it, or leaves it unassigned as
//! `window_missed`. It also re-orders the days of a strategy's plan.
//!
//! ```
//! use servnet::dispatch::route_plan;
//! use servnet::generate::{Generator, Preset};
//! use servnet::io::{plan_from_json_str, to_json_string};
//! use servnet::route::RouteOptions;
//! use servnet::{DispatchStrategy, Regret, verify};
//! let day = Generator::new(Preset::province("Hainan")).requests(300).seed(1).build()?;
//!
//! // Who visits whom, as another system would send it: no routes.
//! let mut elsewhere = Regret::new().dispatch(&day)?;
//! elsewhere.routes.clear();
//! let text = to_json_string(&elsewhere)?;
//! let read = plan_from_json_str(&text, "plan from elsewhere")?;
//! assert!(!verify(&day, &read).is_empty()); // visits in no route
//!
//! let routed = route_plan(&day, &read, &RouteOptions::new())?;
//! assert!(verify(&day, &routed).is_empty());
//! println!("{} visits in {} routes, {:.0} km", routed.assignments.len(), routed.routes.len(), routed.travel_km());
//! # Ok::<(), servnet::Error>(())
//! ```
//!
//! ## 6. An urgent call during the day: live insertion
//!
//! When a request comes in after the day is planned,
//! [`Inserter`](crate::dispatch::Inserter) places it into the routes where
//! it adds least — the visit's fee and the driving the route gains — moving
//! only visits the technician has not yet left for, and keeping every other
//! visit inside its window. Build the inserter once per plan; apply each
//! outcome with [`Inserter::apply`](crate::dispatch::Inserter::apply) to
//! keep plan and indexes in step.
//!
//! ```
//! use servnet::dispatch::{Inserter, Insertion};
//! use servnet::generate::{Generator, Preset};
//! use servnet::{DispatchStrategy, Nearest, Priority, RequestId, Scenario, TimeWindow, verify};
//! let day = Generator::new(Preset::province("Hainan")).requests(300).seed(1).build()?;
//! let mut plan = Nearest::new().dispatch(&day)?;
//! let mut inserter = Inserter::new(&day, &plan)?;
//!
//! // At 10:00, an urgent repair next to the day's first request, to start by 14:00.
//! let mut urgent = day.requests()[0].clone();
//! urgent.id = RequestId(1_000_000);
//! urgent.received_min = 600;
//! urgent.window = TimeWindow { start_min: 600, end_min: 840 };
//! urgent.priority = Priority::Urgent;
//! let outcome = inserter.insert(&plan, &urgent, 600.0)?;
//! match &outcome {
//!     Insertion::Placed(p) => println!(
//!         "technician {} takes it as visit {}, for {:.2} more ({:+.1} km)",
//!         p.technician, p.position + 1, p.extra_cost, p.extra_km
//!     ),
//!     Insertion::Unassigned(u) => println!("nobody can: {}", u.reason.as_str()),
//!     _ => {}
//! }
//! inserter.apply(&mut plan, &outcome);
//!
//! // The day with the request added: the plan still keeps every rule.
//! let mut data = day.data().clone();
//! data.requests.push(urgent);
//! let with = Scenario::new(data)?;
//! assert!(verify(&with, &plan).is_empty());
//! # Ok::<(), servnet::Error>(())
//! ```
//!
//! ## 7. Weeks of calls: the simulator
//!
//! [`Simulation`](crate::sim::Simulation) generates a network and days of
//! calls from one seed, triages them ([`Triage`](crate::sim::Triage): some
//! solved by phone, first-time-fix chances by technician level, SLAs by city
//! size), and lets each strategy dispatch the same calls in rounds over the
//! backlog. Visits that fail come back as escalated repeat visits. The
//! [`Report`](crate::sim::Report) holds each strategy's KPIs: requests by
//! phone, served and open, SLA hit rate, response times, visits, cost, km,
//! work and utilisation by outlet kind, one-stop visits and what they saved,
//! and why the open requests are open.
//!
//! By default the simulator runs `Nearest`, `RegionNearest`, `Regret` and
//! `Optimal`; here, to keep the example short, three of them, with a small
//! limit of work for `Optimal`:
//!
//! ```
//! use servnet::generate::Preset;
//! use servnet::sim::Simulation;
//! use servnet::{Nearest, Optimal, Regret};
//! let report = Simulation::new(Preset::province("Hainan"))
//!     .days(2)
//!     .requests_per_day(150)
//!     .seed(7)
//!     .strategies(vec![
//!         Box::new(Nearest::new()),
//!         Box::new(Regret::new()),
//!         Box::new(Optimal::new().work_limit(2_000)),
//!     ])
//!     .run()?;
//! print!("{}", report.table());
//! for k in &report.strategies {
//!     assert_eq!(k.requests_total, k.resolved_by_phone + k.served + k.backlog);
//! }
//! # Ok::<(), servnet::Error>(())
//! ```
//!
//! The command line does the same for the whole country and writes the
//! KPIs as JSON and CSV, the open requests with their age, and an SVG chart:
//!
//! ```text
//! servnet simulate --preset national --days 7 --seed 7 --out week/
//! ```
//!
//! ## 8. Your own strategy
//!
//! A strategy is one type implementing
//! [`DispatchStrategy`](crate::DispatchStrategy): it returns a plan whose
//! visits are routes that [`verify`](crate::verify) accepts. The simulator
//! takes any list of them. This one runs two strategies and keeps the plan
//! [`Optimal::objective`](crate::Optimal::objective) prices lower:
//!
//! ```
//! use servnet::generate::Preset;
//! use servnet::sim::Simulation;
//! use servnet::{DispatchStrategy, Nearest, Optimal, Plan, Regret, Result, Scenario};
//!
//! struct BestOfTwo;
//!
//! impl DispatchStrategy for BestOfTwo {
//!     fn name(&self) -> &str {
//!         "best_of_two"
//!     }
//!     fn dispatch(&self, s: &Scenario) -> Result<Plan> {
//!         let price = Optimal::new();
//!         let a = Nearest::new().dispatch(s)?;
//!         let b = Regret::new().dispatch(s)?;
//!         let mut best = if price.objective(s, &b)? < price.objective(s, &a)? { b } else { a };
//!         best.strategy = self.name().into();
//!         Ok(best)
//!     }
//! }
//!
//! let report = Simulation::new(Preset::province("Hainan"))
//!     .days(2)
//!     .requests_per_day(150)
//!     .seed(7)
//!     .strategies(vec![Box::new(Nearest::new()), Box::new(BestOfTwo)])
//!     .run()?;
//! assert_eq!(report.strategies[1].strategy, "best_of_two");
//! assert_eq!(report.strategies[1].violations, 0);
//! # Ok::<(), servnet::Error>(())
//! ```
