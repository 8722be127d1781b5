//! The [`AssignmentSolver`] entry point of [`Lagrangian`]: checks the
//! parameters, answers obviously infeasible problems at once, and runs the
//! search from the warm start if one is given.

use super::budget::Budget;
use super::config::Lagrangian;
use super::model::Model;
use super::search::Search;
use crate::assign::deadline::{Deadline, check_time_limit};
use crate::assign::problem::{AssignmentProblem, AssignmentSolver, Solution, Status};
use crate::error::{ErrorKind, Result};
use std::time::Instant;

impl AssignmentSolver for Lagrangian {
    fn name(&self) -> &str {
        "lagrangian"
    }

    fn solve(&self, problem: &AssignmentProblem) -> Result<Solution> {
        let started = Instant::now();
        check_time_limit("time_limit_s", self.time_limit_s)?;
        if self.work_limit == 0 {
            return Err(ErrorKind::Parameter {
                name: "work_limit",
                message: "0 is not a number of steps ≥ 1".into(),
            }
            .into());
        }
        if !(self.target_gap.is_finite() && self.target_gap >= 0.0) {
            return Err(ErrorKind::Parameter {
                name: "target_gap",
                message: format!("{} is not a gap ≥ 0", self.target_gap),
            }
            .into());
        }
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
        let mut search = Search::new(&model, self, Budget::new(deadline, self.work_limit));
        if let Some(start) = &self.warm_start
            && problem.evaluate(start).is_ok()
        {
            search.start_from(start);
        }
        search.run();
        Ok(search.finish(problem, started))
    }
}
