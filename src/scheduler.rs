//! Runs the plan as a graph. Going up, a step starts as soon as every step
//! in its `after` is done; going down, as soon as every step that lists it
//! in `after` is gone (a resource goes once nothing that needs it is left).
//! At most `jobs` steps are in flight; among the ready ones, plan order
//! (reversed for down) decides, so `--jobs 1` is the plan read as a list.
//!
//! All steps run on the calling task (a `FuturesUnordered`), so they may
//! borrow the stack; their AWS calls overlap while each awaits its answer.
//!
//! A failure going up stops new steps from starting; those in flight finish
//! (and record what they made). Going down, only the steps that wait for
//! the failed one are held back: everything else is still deleted.

use std::collections::HashSet;
use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use futures_util::stream::{FuturesUnordered, StreamExt};
use futures_util::FutureExt;

use crate::error::Error;
use crate::plan::{position, StepRef, PLAN};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

pub struct Report<T> {
    /// The steps that ended well, in the order they ended.
    pub done: Vec<(StepRef, T)>,
    /// The steps that failed, in the order they failed.
    pub failed: Vec<(StepRef, Error)>,
    /// The steps never started because of a failure, in plan order.
    pub not_started: Vec<StepRef>,
    /// When each step that ran started and ended, from the start of the run.
    pub timings: Vec<(StepRef, Duration, Duration)>,
    direction: Direction,
}

impl<T> Report<T> {
    /// The chain of steps that decided how long the run took: from the step
    /// that ended last, back through the step whose end let it start (the
    /// last one to end before it began: a prerequisite, or, with every slot
    /// taken, whichever step freed one), and so on. First step first.
    pub fn critical_path(&self) -> Vec<(StepRef, Duration, Duration)> {
        let mut path = Vec::new();
        // Ties (steps that ended at the same instant) go to a declared
        // prerequisite, then to the earlier step in the plan.
        let mut next = self
            .timings
            .iter()
            .max_by_key(|(id, _, end)| (*end, std::cmp::Reverse(position(*id))))
            .copied();
        while let Some(t) = next {
            path.push(t);
            let waits_for = self.direction.waits_for(t.0);
            next = self
                .timings
                .iter()
                .filter(|(id, _, end)| *end <= t.1 && *id != t.0)
                .max_by_key(|(id, _, end)| {
                    (
                        *end,
                        waits_for.contains(id),
                        std::cmp::Reverse(position(*id)),
                    )
                })
                .copied();
        }
        path.reverse();
        path
    }

    /// `critical path 12.3s: repository 0.0-0.3s > project 0.3-1.2s > ...`
    pub fn describe_critical_path(&self) -> String {
        let path = self.critical_path();
        let total = path.last().map(|t| t.2).unwrap_or_default();
        let steps: Vec<String> = path
            .iter()
            .map(|(id, began, ended)| {
                format!(
                    "{} {:.1}-{:.1}s",
                    id.key(),
                    began.as_secs_f64(),
                    ended.as_secs_f64()
                )
            })
            .collect();
        format!(
            "critical path {:.1}s: {}",
            total.as_secs_f64(),
            steps.join(" > ")
        )
    }
}

impl Direction {
    /// The steps that must be done before `step` may start.
    pub fn waits_for(self, step: StepRef) -> Vec<StepRef> {
        match self {
            Direction::Up => step.after().to_vec(),
            Direction::Down => PLAN
                .iter()
                .copied()
                .filter(|d| d.after().contains(&step))
                .collect(),
        }
    }
}

pub async fn run<T, F, Fut>(direction: Direction, jobs: usize, mut run_step: F) -> Report<T>
where
    F: FnMut(StepRef) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let mut pending: Vec<StepRef> = match direction {
        Direction::Up => PLAN.to_vec(),
        Direction::Down => PLAN.iter().rev().copied().collect(),
    };
    let mut ok: HashSet<StepRef> = HashSet::new();
    let mut report = Report {
        done: Vec::new(),
        failed: Vec::new(),
        not_started: Vec::new(),
        timings: Vec::new(),
        direction,
    };
    let start = Instant::now();
    let mut in_flight = FuturesUnordered::new();
    loop {
        let stop_starting = direction == Direction::Up && !report.failed.is_empty();
        let mut i = 0;
        while !stop_starting && in_flight.len() < jobs.max(1) && i < pending.len() {
            let step = pending[i];
            if direction.waits_for(step).iter().all(|d| ok.contains(d)) {
                pending.remove(i);
                let fut = run_step(step);
                let began = start.elapsed();
                in_flight.push(async move { (step, began, fut.await) });
            } else {
                i += 1;
            }
        }
        let Some(first) = in_flight.next().await else {
            // Nothing running and nothing could start: what is left waits
            // for a failed step.
            break;
        };
        // Every step that ended by now, not only the first: a failure that
        // ended at the same moment as a success stops new steps as well.
        let mut ended = vec![first];
        while let Some(Some(more)) = in_flight.next().now_or_never() {
            ended.push(more);
        }
        for (id, began, result) in ended {
            report.timings.push((id, began, start.elapsed()));
            match result {
                Ok(value) => {
                    ok.insert(id);
                    report.done.push((id, value));
                }
                Err(e) => report.failed.push((id, e)),
            }
        }
    }
    let mut not_started: Vec<StepRef> = pending;
    not_started.sort_by_key(|id| position(*id));
    report.not_started = not_started;
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::{
        api_stage::API_STAGE, bucket::*, build_source::BUILD_SOURCE, function::FUNCTION,
        image::IMAGE, log_group::BUILD_LOGS, notification::NOTIFICATION, permission::S3_PERMISSION,
        project::PROJECT, rest_api::REST_API, role::*,
    };
    use std::cell::RefCell;

    /// Each step takes a second of (paused) tokio time; the log says when
    /// each started and ended.
    async fn simulate(
        direction: Direction,
        jobs: usize,
        fail: Option<StepRef>,
    ) -> (Report<()>, Vec<(StepRef, u64, u64)>, usize) {
        let start = tokio::time::Instant::now();
        let log = RefCell::new(Vec::new());
        let running = RefCell::new(0usize);
        let peak = RefCell::new(0usize);
        let report = run(direction, jobs, |id| {
            let (log, running, peak) = (&log, &running, &peak);
            async move {
                *running.borrow_mut() += 1;
                let now = *running.borrow();
                peak.replace_with(|p| (*p).max(now));
                let t0 = start.elapsed().as_secs();
                tokio::time::sleep(Duration::from_secs(1)).await;
                *running.borrow_mut() -= 1;
                log.borrow_mut().push((id, t0, start.elapsed().as_secs()));
                if Some(id) == fail {
                    Err(Error::Unexpected(format!("{id:?} failed")))
                } else {
                    Ok(())
                }
            }
        })
        .await;
        let peak = *peak.borrow();
        (report, log.into_inner(), peak)
    }

    #[tokio::test(start_paused = true)]
    async fn up_starts_a_step_only_after_everything_it_needs() {
        let (report, log, peak) = simulate(Direction::Up, 8, None).await;
        assert_eq!(report.done.len(), PLAN.len());
        assert!(report.failed.is_empty() && report.not_started.is_empty());
        let ended = |id| log.iter().find(|(s, ..)| *s == id).unwrap().2;
        for (id, started, _) in &log {
            for dep in id.after() {
                assert!(
                    ended(*dep) <= *started,
                    "{id:?} started at {started}s before {dep:?} ended"
                );
            }
        }
        assert!(peak > 1 && peak <= 8, "{peak} in flight");
        // Independent steps overlapped: fewer seconds than steps.
        let makespan = log.iter().map(|l| l.2).max().unwrap();
        assert!(makespan < PLAN.len() as u64, "{makespan}s");
    }

    #[tokio::test(start_paused = true)]
    async fn the_critical_path_is_the_longest_chain_of_dependencies() {
        let (report, _, _) = simulate(Direction::Up, 8, None).await;
        let path: Vec<StepRef> = report.critical_path().iter().map(|t| t.0).collect();
        // Every step takes 1 s: the longest chain is the build's.
        assert_eq!(path.len(), 7, "{path:?}");
        assert_eq!(
            &path[..5],
            [
                (&ARTIFACTS_BUCKET as StepRef),
                (&BUILD_SOURCE as StepRef),
                (&PROJECT as StepRef),
                (&IMAGE as StepRef),
                (&FUNCTION as StepRef)
            ]
        );
        for pair in path.windows(2) {
            assert!(pair[1].after().contains(&pair[0]), "{pair:?}");
        }
        // Run one at a time, every step is on it, in plan order.
        let (report, _, _) = simulate(Direction::Up, 1, None).await;
        let path: Vec<usize> = report
            .critical_path()
            .iter()
            .map(|t| position(t.0))
            .collect();
        assert_eq!(path, (0..PLAN.len()).collect::<Vec<_>>());
    }

    #[tokio::test(start_paused = true)]
    async fn one_job_is_the_plan_in_order() {
        let (report, _, peak) = simulate(Direction::Up, 1, None).await;
        let order: Vec<_> = report.done.iter().map(|(id, _)| position(*id)).collect();
        assert_eq!(order, (0..PLAN.len()).collect::<Vec<_>>());
        assert_eq!(peak, 1);
        let (report, _, _) = simulate(Direction::Down, 1, None).await;
        let order: Vec<_> = report.done.iter().map(|(id, _)| position(*id)).collect();
        assert_eq!(order, (0..PLAN.len()).rev().collect::<Vec<_>>());
    }

    #[tokio::test(start_paused = true)]
    async fn down_deletes_a_step_only_after_everything_that_needs_it() {
        let (report, log, _) = simulate(Direction::Down, 8, None).await;
        assert_eq!(report.done.len(), PLAN.len());
        let ended = |id| log.iter().find(|(s, ..)| *s == id).unwrap().2;
        for (id, started, _) in &log {
            for dependent in Direction::Down.waits_for(*id) {
                assert!(ended(dependent) <= *started, "{id:?} before {dependent:?}");
            }
        }
        // The log groups go after what writes to them.
        assert!(
            ended(&PROJECT)
                <= log
                    .iter()
                    .find(|l| l.0 == (&BUILD_LOGS as StepRef))
                    .unwrap()
                    .1
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_going_up_lets_in_flight_steps_finish_and_starts_nothing_new() {
        let (report, log, _) = simulate(Direction::Up, 8, Some(&BUILD_SOURCE as StepRef)).await;
        assert_eq!(report.failed.len(), 1);
        assert_eq!(report.failed[0].0, (&BUILD_SOURCE as StepRef));
        let failed_at = log
            .iter()
            .find(|l| l.0 == (&BUILD_SOURCE as StepRef))
            .unwrap()
            .2;
        // Nothing started after the failure; everything that had started ended.
        assert!(log.iter().all(|(_, started, _)| *started < failed_at));
        assert_eq!(report.done.len() + 1 + report.not_started.len(), PLAN.len());
        assert!(report.not_started.contains(&(&PROJECT as StepRef)));
        assert!(report.not_started.contains(&(&FUNCTION as StepRef)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_going_down_holds_back_only_what_waits_for_it() {
        let (report, _, _) = simulate(Direction::Down, 8, Some(&FUNCTION as StepRef)).await;
        assert_eq!(report.failed.len(), 1);
        // What the function needs stays (it still exists), and so what
        // those need in turn...
        for kept in [
            (&IMAGE as StepRef),
            (&FUNCTION_ROLE as StepRef),
            (&SOURCE_BUCKET as StepRef),
            (&PROJECT as StepRef),
            (&BUILD_ROLE as StepRef),
        ] {
            assert!(report.not_started.contains(&kept), "{kept:?}");
        }
        // ...and what needs the function is deleted.
        for gone in [
            (&NOTIFICATION as StepRef),
            (&S3_PERMISSION as StepRef),
            (&API_STAGE as StepRef),
            (&REST_API as StepRef),
        ] {
            assert!(report.done.iter().any(|(id, _)| *id == gone), "{gone:?}");
        }
    }
}
