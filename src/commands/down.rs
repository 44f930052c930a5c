//! `photosky down`: walk the plan backwards deleting each step's resource.
//! It carries on past a failure, says what is left, and can be run again;
//! the state file goes only when nothing is left.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use serde_json::json;

use crate::bundle::Bundle;
use crate::cli::{Cli, DownArgs, Output};
use crate::error::{Error, Result};
use crate::plan::PLAN;
use crate::progress::Progress;
use crate::stack::{Deletion, Stack};
use crate::state::StateStore;

pub async fn run(cli: &Cli, args: &DownArgs) -> Result<ExitCode> {
    let store = StateStore::new(&cli.state_dir, &cli.name);
    let lock = store.lock("down")?;
    let Some(state) = store.load()? else {
        match cli.output {
            Output::Json => println!(
                "{}",
                json!({"stack": cli.name, "deleted": [], "left": [], "existed": false})
            ),
            Output::Text => println!(
                "No stack `{}`: there is no {}. Nothing to delete.",
                cli.name,
                store.path().display()
            ),
        }
        lock.remove();
        return Ok(ExitCode::SUCCESS);
    };
    if !args.yes {
        confirm(&state.stack, &state.region, &state.names.suffix)?;
    }
    let clients = super::connect(cli, Some(&state)).await?;
    let mut stack = Stack {
        clients: &clients,
        store: &store,
        state,
        bundle: Bundle::embedded(),
        progress: Progress::new(cli.verbose),
    };

    let mut deleted = Vec::new();
    let mut left = Vec::new();
    for step in PLAN.iter().rev() {
        let name = stack.resource_name(step.id);
        stack
            .progress
            .start(format!("deleting {} {name}", step.title));
        match stack.delete(step.id).await {
            Ok(Deletion::Deleted) => {
                stack.progress.done("deleted");
                deleted.push(name);
            }
            Ok(Deletion::AlreadyGone) => stack.progress.done("already gone"),
            Ok(Deletion::WithParent(parent)) => {
                stack.progress.done(&format!("goes with the {parent}"))
            }
            Err(e) => {
                stack.progress.done("FAILED");
                let mut line = format!("  {e}");
                for cause in e.causes() {
                    line += &format!(": {cause}");
                }
                stack.progress.line(line);
                left.push(format!("{} {name}", step.title));
            }
        }
    }

    if left.is_empty() {
        store.delete()?;
        lock.remove();
    }
    match cli.output {
        Output::Json => println!(
            "{}",
            json!({"stack": cli.name, "deleted": deleted, "left": left, "existed": true})
        ),
        Output::Text if left.is_empty() => {
            println!(
                "Stack `{}` deleted ({} resource(s)); its state file is removed.",
                cli.name,
                deleted.len()
            )
        }
        Output::Text => {
            println!("Stack `{}` is partly deleted. Left:", cli.name);
            for l in &left {
                println!("  {l}");
            }
        }
    }
    if left.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Error::Incomplete { left })
    }
}

fn confirm(stack: &str, region: &str, suffix: &str) -> Result<()> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::usage(
            format!("refusing to delete stack `{stack}` without confirmation: standard input is not a terminal"),
            Some("pass --yes to delete without asking".into()),
        ));
    }
    eprint!("Delete stack `{stack}` (resources ending in -{suffix}) in {region}, with every photo in its buckets? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).ok();
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(Error::usage("cancelled: nothing was deleted", None))
    }
}
