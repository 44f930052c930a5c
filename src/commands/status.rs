//! `photosky status`: each resource of the stack, whether it exists, is
//! healthy, and what AWS says of it now. Exit 1 when anything is missing or
//! unhealthy, so scripts can check a stack.

use std::fmt;
use std::process::ExitCode;

use serde::Serialize;

use futures_util::stream::{self, StreamExt, TryStreamExt};

use crate::cli::Cli;
use crate::error::Result;
use crate::plan::PLAN;
use crate::progress::Progress;
use crate::stack::Stack;
use crate::state::StateStore;
use crate::steps::Cx;

pub async fn run(cli: &Cli) -> Result<ExitCode> {
    let store = StateStore::new(&cli.state_dir, &cli.name);
    let state = super::existing_state(cli, &store)?;
    let clients = super::connect(cli, Some(&state)).await?;
    let stack = Stack::new(&clients, &store, state, Progress::new(cli.verbose));

    // Every step is asked at once (up to --jobs); the answers keep plan order.
    let inspections: Vec<_> = stream::iter(PLAN)
        .map(|step| {
            let stack = &stack;
            async move { step.inspect(&Cx::new(stack, *step)).await }
        })
        .buffered(cli.jobs.into())
        .try_collect()
        .await?;
    let s = &stack.snapshot();
    let resources: Vec<Resource> = PLAN
        .iter()
        .zip(inspections)
        .map(|(step, i)| {
            let recorded = s.resources.contains_key(step.key());
            let status = if i.exists && i.healthy {
                "ok"
            } else if i.exists {
                "UNHEALTHY"
            } else if recorded {
                "MISSING (drift)"
            } else {
                "not created"
            };
            Resource {
                step: step.key(),
                kind: step.title(),
                name: i.name,
                exists: i.exists,
                healthy: i.healthy,
                recorded,
                drift: recorded && !i.exists,
                status,
                detail: i.detail,
            }
        })
        .collect();
    let result = StatusResult {
        stack: s.stack.clone(),
        region: s.region.clone(),
        account: s.account.clone(),
        healthy: resources.iter().all(|r| r.exists && r.healthy),
        resources,
    };
    super::print(cli.output, &result);
    Ok(if result.healthy {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Every resource of the stack and how it stands: printed once, as JSON or
/// text.
#[derive(Debug, Serialize)]
pub struct StatusResult {
    pub stack: String,
    pub region: String,
    pub account: Option<String>,
    pub healthy: bool,
    pub resources: Vec<Resource>,
}

#[derive(Debug, Serialize)]
pub struct Resource {
    pub step: &'static str,
    pub kind: &'static str,
    pub name: String,
    pub exists: bool,
    pub healthy: bool,
    pub recorded: bool,
    pub drift: bool,
    pub status: &'static str,
    pub detail: Option<String>,
}

impl fmt::Display for StatusResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Stack `{}` in {} (account {}):",
            self.stack,
            self.region,
            self.account.as_deref().unwrap_or("?")
        )?;
        let width = self
            .resources
            .iter()
            .map(|r| r.kind.len())
            .max()
            .unwrap_or(0);
        for r in &self.resources {
            let detail = r
                .detail
                .as_deref()
                .map(|d| format!("  {d}"))
                .unwrap_or_default();
            writeln!(
                f,
                "  {:<16} {:<width$}  {}{detail}",
                r.status, r.kind, r.name
            )?;
        }
        let problems = self
            .resources
            .iter()
            .filter(|r| !(r.exists && r.healthy))
            .count();
        if problems == 0 {
            writeln!(
                f,
                "All {} resources exist and are healthy.",
                self.resources.len()
            )
        } else {
            writeln!(
                f,
                "{problems} resource(s) missing or unhealthy: run `photosky up` to repair."
            )
        }
    }
}
