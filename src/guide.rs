//! # Guide: from a scenario to a strategy comparison
//!
//! This page walks through servnet in the order a new user meets it: a
//! scenario, a policy, one day dispatched and checked, then weeks of calls
//! through several strategies, compared side by side. Every block below is
//! a test, so it runs as written.
//!
//! ## 1. A scenario
//!
//! A [`Scenario`](crate::Scenario) holds the network (cities and sales
//! regions, outlets of three kinds, technicians with skills by category and
//! level) and the requests of a day. Read one from JSON with
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
//! ## 3. One day, dispatched and checked
//!
//! A strategy turns the scenario into a [`Plan`](crate::Plan): every
//! request either assigned to a technician, with its km, minutes and cost,
//! or unassigned with a reason. [`verify`](crate::verify) re-derives every
//! rule from the scenario alone. Household requests of several categories
//! are one visit when one technician covers them all;
//! [`dispatch_one_stop`](crate::dispatch::dispatch_one_stop) splits the
//! others into coordinated visits and says which in
//! [`Plan::coordinated`](crate::Plan::coordinated).
//!
//! ```
//! use servnet::dispatch::dispatch_one_stop;
//! use servnet::generate::{Generator, Preset};
//! use servnet::{DispatchStrategy, Nearest, Optimal, Regret, verify};
//! let day = Generator::new(Preset::province("Hainan")).requests(300).seed(1).build()?;
//! for strategy in [&Nearest::new() as &dyn DispatchStrategy, &Regret::new(), &Optimal::new()] {
//!     let (split, plan) = dispatch_one_stop(strategy, &day)?;
//!     assert!(verify(&split, &plan).is_empty());
//!     let s = plan.summary(&split);
//!     println!("{:<8} {} assigned, cost {:.0}", strategy.name(), s.assigned, s.cost);
//! }
//! # Ok::<(), servnet::Error>(())
//! ```
//!
//! ## 4. Weeks of calls: the simulator
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
//! ```
//! use servnet::generate::Preset;
//! use servnet::sim::Simulation;
//! let report = Simulation::new(Preset::province("Hainan"))
//!     .days(2)
//!     .requests_per_day(150)
//!     .seed(7)
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
//! ## 5. Your own strategy
//!
//! A strategy is one type implementing
//! [`DispatchStrategy`](crate::DispatchStrategy); the simulator takes any
//! list of them. This one runs two strategies and keeps the plan
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
