//! The plan: the location problem of the jobs at a volume, its solve by the
//! UFL solver, and the plan assembled from the solution.

use super::NetworkPlanner;
use super::forecast::Forecast;
use super::jobs::Job;
use super::results::{CostBreakdown, NetworkPlan, Server, Service, Uncovered};
use crate::assign::{Status, gap};
use crate::error::Result;
use crate::model::OutletKind;
use crate::planning::median::{MedianProblem, MedianSolution, MedianSolver};
use std::time::Instant;

impl NetworkPlanner<'_> {
    /// The uncapacitated facility location problem behind [`NetworkPlanner::plan`]:
    /// facilities are the candidate cities, in order, then the contracts
    /// (always open); customers are each forecast city's job classes with
    /// visits, in order. For benchmarks of the solver on real instances.
    ///
    /// # Errors
    /// As [`NetworkPlanner::plan`].
    pub fn location_problem(&self, forecast: &Forecast) -> Result<MedianProblem> {
        let (sites, jobs) = self.jobs(forecast)?;
        self.problem(sites.len(), &jobs, 1.0)
    }

    /// The location problem of the jobs at `factor` times their volume: the
    /// `sites` candidate sites with the fixed cost, then the contracts.
    pub(super) fn problem(&self, sites: usize, jobs: &[Job], factor: f64) -> Result<MedianProblem> {
        let mut builder = MedianProblem::builder(sites + 1).always_open(sites);
        for s in 0..sites {
            builder = builder.fixed_cost(s, self.cost.owned_fixed_per_year);
        }
        for job in jobs {
            let visits = factor * job.visits;
            let arcs = job
                .owned
                .iter()
                .map(|&(s, _, c)| (s, visits * c))
                .chain(job.contract.map(|c| (sites, visits * c.per_visit)));
            builder = builder.customer(arcs);
        }
        builder.build()
    }

    /// Solves the jobs at `factor` times their volume and assembles the plan.
    pub(super) fn solve(
        &self,
        forecast: &Forecast,
        sites: &[usize],
        jobs: &[Job],
        factor: f64,
        start: Instant,
    ) -> Result<NetworkPlan> {
        let problem = self.problem(sites.len(), jobs, factor)?;
        let solution = MedianSolver::ufl()
            .target_gap(self.target_gap)
            .time_limit_s(self.time_limit_s)
            .node_limit(self.node_limit)
            .solve(&problem)?;
        Ok(self.assemble(forecast, sites, jobs, factor, &solution, start))
    }

    /// The plan at the forecast's volume.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`](crate::error::ErrorKind::Invalid) listing every
    /// problem: a cost or setting that is negative or not finite (entity
    /// `cost model` or `planner`, naming the field), a forecast city that is not among the planner's cities
    /// (demand without coordinates), a city twice, negative visits or shares
    /// that add up to more than 1 (entity `forecast city` with the city id),
    /// a candidate that is not a city, a city with invalid coordinates.
    /// Jobs that no outlet can serve within the promise are not an error:
    /// the plan lists them in [`NetworkPlan::uncovered`] with status
    /// [`Status::Infeasible`].
    pub fn plan(&self, forecast: &Forecast) -> Result<NetworkPlan> {
        let start = Instant::now();
        let (sites, jobs) = self.jobs(forecast)?;
        self.solve(forecast, &sites, &jobs, 1.0, start)
    }

    pub(super) fn assemble(
        &self,
        forecast: &Forecast,
        sites: &[usize],
        jobs: &[Job],
        factor: f64,
        solution: &MedianSolution,
        start: Instant,
    ) -> NetworkPlan {
        let contract_slot = sites.len();
        let mut cost = CostBreakdown::default();
        let mut visits_by_kind = [0.0; 3];
        let mut minutes_by_kind = [0.0; 3];
        let mut services = Vec::with_capacity(jobs.len());
        let mut uncovered = Vec::new();
        let mut owned_pos: Vec<usize> = solution
            .open
            .iter()
            .copied()
            .filter(|&f| f < contract_slot)
            .map(|f| sites[f])
            .collect();
        owned_pos.sort_unstable();
        for (job, assigned) in jobs.iter().zip(&solution.assignment) {
            let d = &forecast.cities[job.demand];
            let visits = factor * job.visits;
            let served = match *assigned {
                Some(f) if f == contract_slot => {
                    job.contract.map(|c| (c.server, c.leg, c.per_visit))
                }
                Some(f) => job
                    .owned
                    .iter()
                    .find(|(s, _, _)| *s == f)
                    .map(|&(s, leg, c)| (Server::Owned(self.cities[sites[s]].id), leg, c)),
                None => None,
            }
            .map(|(server, leg, per_visit)| (server, leg, visits * per_visit));
            match served {
                Some((server, leg, c)) => {
                    let kind = server.kind();
                    match kind {
                        OutletKind::CompanyOwned => cost.owned_variable += c,
                        OutletKind::Contracted => cost.contracted += c,
                        OutletKind::Dealer => cost.dealer += c,
                    }
                    visits_by_kind[kind.index()] += visits;
                    minutes_by_kind[kind.index()] +=
                        visits * (d.service_min + 2.0 * (leg.minutes + self.cost.local_min));
                    services.push(Service {
                        city: d.city,
                        class: job.class,
                        visits,
                        server: Some(server),
                        km: leg.km,
                        minutes: leg.minutes,
                        cost: c,
                    });
                }
                None => {
                    let reason =
                        self.rule
                            .uncovered_reason(job.class, self.promise_km, self.escalation_km);
                    uncovered.push(Uncovered {
                        city: d.city,
                        class: job.class,
                        visits,
                        reason,
                    });
                    services.push(Service {
                        city: d.city,
                        class: job.class,
                        visits,
                        server: None,
                        km: f64::NAN,
                        minutes: f64::NAN,
                        cost: 0.0,
                    });
                }
            }
        }
        cost.owned_fixed = self.cost.owned_fixed_per_year * owned_pos.len() as f64;
        cost.total = cost.owned_fixed + cost.owned_variable + cost.contracted + cost.dealer;
        let served: f64 = visits_by_kind.iter().sum();
        cost.per_visit = if served > 0.0 {
            cost.total / served
        } else {
            0.0
        };
        let status = if !uncovered.is_empty() {
            Status::Infeasible(format!(
                "{} job classes of cities cannot be served within the promise; the rest are planned",
                uncovered.len()
            ))
        } else if solution.status == Status::Optimal {
            Status::Optimal
        } else {
            Status::Feasible
        };
        let bound = solution.bound.min(cost.total);
        NetworkPlan {
            status,
            owned: owned_pos.iter().map(|&i| self.cities[i].id).collect(),
            services,
            uncovered,
            cost,
            visits_by_kind,
            minutes_by_kind,
            bound,
            gap: gap(cost.total, bound),
            nodes: solution.nodes,
            seconds: start.elapsed().as_secs_f64(),
        }
    }
}
