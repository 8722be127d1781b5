//! The [`AssignmentSolver`] entry point of [`Lagrangian`]: checks the
//! parameters, answers obviously infeasible problems at once, and runs the
//! search from the warm start if one is given.

use super::config::Lagrangian;
use super::model::Model;
use super::search::Search;
use crate::assign::budget::Budget;
use crate::assign::deadline::Deadline;
use crate::assign::problem::{AssignmentProblem, AssignmentSolver, Solution};
use crate::assign::solver::SolverLimits;
use crate::assign::solver::Status;
use crate::error::Result;
use std::time::Instant;

impl AssignmentSolver for Lagrangian {
    fn name(&self) -> &str {
        "lagrangian"
    }

    fn solve(&self, problem: &AssignmentProblem) -> Result<Solution> {
        let started = Instant::now();
        SolverLimits {
            time_limit_s: Some(self.time_limit_s),
            work_limit: Some(self.work_limit),
            node_limit: Some(self.node_limit),
            target_gap: self.target_gap,
        }
        .check()?;
        let model = Model::new(problem);
        if let Some(why) = model.obviously_infeasible() {
            return Ok(Solution {
                agent_of: vec![None; problem.tasks()],
                cost: f64::INFINITY,
                lower_bound: f64::INFINITY,
                status: Status::Infeasible(why),
                seconds: started.elapsed().as_secs_f64(),
            });
        }
        let deadline = Deadline::after(started, self.time_limit_s);
        let mut search = Search::new(&model, self, Budget::new(deadline, Some(self.work_limit)));
        if let Some(start) = &self.warm_start
            && problem.evaluate(start).is_ok()
        {
            search.start_from(start);
        }
        search.run();
        Ok(search.finish(problem, started))
    }
}
