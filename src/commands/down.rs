//! `photosky down`: run the plan's reverse graph, deleting each step's
//! resource once nothing that needs it is left. It carries on past a
//! failure (holding back only what the failed resource still needs), says
//! what is left, and can be run again; the state file goes only when
//! nothing is left.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use serde_json::json;

use crate::cli::{Cli, DownArgs, Output};
use crate::error::{Error, Result};
use crate::plan;
use crate::progress::Progress;
use crate::scheduler::{self, Direction};
use crate::stack::Stack;
use crate::state::StateStore;
use crate::steps::{self, Cx, Deletion};

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
    let clients = super::connect(cli, Some(&state)).await?;
    super::caller(&clients, Some(&state)).await?;
    if !args.yes {
        confirm(&state.stack, &state.region, &state.names.suffix)?;
    }
    let stack = Stack::new(&clients, &store, state, Progress::new(cli.verbose));
    // Every resource is checked to be ours before any is deleted.
    let checking = stack
        .progress
        .start("checking that the stack's resources carry its tag".into());
    let checked = steps::owner::verify_all(&stack, "delete").await;
    checking.finish(
        checked.is_ok(),
        if checked.is_ok() { "ok" } else { "REFUSED" },
    );
    checked?;
    let report = scheduler::run(Direction::Down, cli.jobs.into(), |id| {
        let stack = &stack;
        async move {
            let cx = Cx::shown(stack, id, "deleting ");
            let result = steps::delete(&cx).await;
            match &result {
                Ok(deletion) => cx.finish(true, &deletion.describe()),
                Err(e) => {
                    cx.finish(false, "FAILED");
                    let mut line = format!("  {e}");
                    for cause in e.causes() {
                        line += &format!(": {cause}");
                    }
                    stack.progress.line(line);
                }
            }
            result
        }
    })
    .await;
    stack.progress.debug(report.describe_critical_path());

    let label = |id| {
        let cx = Cx::new(&stack, id);
        format!("{} {}", plan::get(id).title, cx.name())
    };
    // Reported in the order `down` deletes, whatever order they ran in.
    let position = |id| std::cmp::Reverse(plan::position(id));
    let mut deleted: Vec<_> = report
        .done
        .iter()
        .filter(|(_, d)| *d == Deletion::Deleted)
        .map(|(id, _)| *id)
        .collect();
    deleted.sort_by_key(|id| position(*id));
    let deleted: Vec<String> = deleted
        .into_iter()
        .map(|id| Cx::new(&stack, id).name())
        .collect();
    let mut left: Vec<_> = report.failed.iter().map(|(id, _)| (*id, None)).collect();
    for id in &report.not_started {
        let blockers: Vec<_> = Direction::Down
            .waits_for(plan::get(*id))
            .into_iter()
            .filter(|b| !report.done.iter().any(|(d, _)| d == b))
            .map(|b| plan::get(b).key)
            .collect();
        left.push((*id, Some(blockers.join(", "))));
    }
    left.sort_by_key(|(id, _)| position(*id));
    let left: Vec<String> = left
        .into_iter()
        .map(|(id, waits)| match waits {
            None => label(id),
            Some(w) => format!("{} (not attempted: waits for {w} to go first)", label(id)),
        })
        .collect();

    // Every resource gone: the state file goes too, if it can.
    let state_error = if left.is_empty() {
        stack.delete_state().err()
    } else {
        stack.take_unsaved()
    };
    let state_file = match (&state_error, left.is_empty()) {
        (None, true) => "removed",
        (Some(_), true) => "left",
        (_, false) => "kept",
    };
    if state_file == "removed" {
        lock.remove();
    }
    match cli.output {
        Output::Json => println!(
            "{}",
            json!({"stack": cli.name, "deleted": deleted, "left": left, "existed": true,
                   "state_file": state_file})
        ),
        Output::Text if left.is_empty() && state_error.is_none() => {
            println!(
                "Stack `{}` deleted ({} resource(s)); its state file is removed.",
                cli.name,
                deleted.len()
            )
        }
        Output::Text if left.is_empty() => {}
        Output::Text => {
            println!("Stack `{}` is partly deleted. Left:", cli.name);
            for l in &left {
                println!("  {l}");
            }
            if let Some(e) = &state_error {
                println!(
                    "The state file could not be updated ({}): it still lists resources that are gone, which the next `down` skips.",
                    std::iter::once(e.to_string()).chain(e.causes()).collect::<Vec<_>>().join(": ")
                );
            }
        }
    }
    match state_error {
        _ if !left.is_empty() => Err(Error::Incomplete { left }),
        Some(e) => Err(Error::StateLeftBehind {
            stack: cli.name.clone(),
            deleted: deleted.len(),
            source: Box::new(e),
        }),
        None => Ok(ExitCode::SUCCESS),
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
