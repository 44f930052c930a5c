//! `photosky status`: each resource of the stack, whether it exists, is
//! healthy, and what AWS says of it now. Exit 1 when anything is missing or
//! unhealthy, so scripts can check a stack.

use std::process::ExitCode;

use serde_json::json;

use futures_util::stream::{self, StreamExt, TryStreamExt};

use crate::cli::{Cli, Output};
use crate::error::Result;
use crate::plan::PLAN;
use crate::progress::Progress;
use crate::stack::Stack;
use crate::state::StateStore;
use crate::steps::{self, Cx};

pub async fn run(cli: &Cli) -> Result<ExitCode> {
    let store = StateStore::new(&cli.state_dir, &cli.name);
    let state = super::existing_state(cli, &store)?;
    let clients = super::connect(cli, Some(&state)).await?;
    let stack = Stack::new(&clients, &store, state, Progress::new(cli.verbose));

    // Every step is asked at once (up to --jobs); the answers keep plan order.
    let inspections: Vec<_> = stream::iter(PLAN)
        .map(|step| {
            let stack = &stack;
            async move { steps::inspect(&Cx::new(stack, step.id)).await }
        })
        .buffered(cli.jobs.into())
        .try_collect()
        .await?;
    let s = &stack.snapshot();
    let mut rows = Vec::new();
    let mut problems = 0;
    for (step, i) in PLAN.iter().zip(inspections) {
        let recorded = s.resources.contains_key(step.key);
        let label = if i.exists && i.healthy {
            "ok"
        } else if i.exists {
            "UNHEALTHY"
        } else if recorded {
            "MISSING (drift)"
        } else {
            "not created"
        };
        if !(i.exists && i.healthy) {
            problems += 1;
        }
        rows.push((step, i, recorded, label));
    }

    match cli.output {
        Output::Json => {
            let resources: Vec<_> = rows
                .iter()
                .map(|(step, i, recorded, label)| {
                    json!({
                        "step": step.key, "kind": step.title, "name": i.name, "exists": i.exists,
                        "healthy": i.healthy, "recorded": recorded, "drift": *recorded && !i.exists,
                        "status": label, "detail": i.detail,
                    })
                })
                .collect();
            println!(
                "{}",
                json!({"stack": s.stack, "region": s.region, "account": s.account, "healthy": problems == 0, "resources": resources})
            );
        }
        Output::Text => {
            println!(
                "Stack `{}` in {} (account {}):",
                s.stack,
                s.region,
                s.account.as_deref().unwrap_or("?")
            );
            let width = rows
                .iter()
                .map(|(st, ..)| st.title.len())
                .max()
                .unwrap_or(0);
            for (step, i, _, label) in &rows {
                let detail = i
                    .detail
                    .as_deref()
                    .map(|d| format!("  {d}"))
                    .unwrap_or_default();
                println!("  {:<16} {:<width$}  {}{detail}", label, step.title, i.name);
            }
            if problems == 0 {
                println!("All {} resources exist and are healthy.", rows.len());
            } else {
                println!(
                    "{problems} resource(s) missing or unhealthy: run `photosky up` to repair."
                );
            }
        }
    }
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
