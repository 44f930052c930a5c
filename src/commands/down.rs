//! `photosky down`: run the plan's reverse graph, deleting each step's
//! resource once nothing that needs it is left. It carries on past a
//! failure (holding back only what the failed resource still needs), says
//! what is left, and can be run again; the state file goes only when
//! nothing is left. Without a state file (or with `--discover`) it finds
//! the stack by its names and tag (`discover.rs`), shows what it will delete
//! and what it leaves alone, and deletes with the same guarantees. Once
//! everything it knew of is gone, it looks for anything still carrying the
//! stack's tag (as `down` without a state file would): found, it is named
//! and `down` fails, so nothing is left behind unsaid.

use std::fmt;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

use crate::aws::Clients;
use crate::cli::{Cli, DownArgs};
use crate::discover;
use crate::error::{Error, Result};
use crate::plan::{self, StepRef};
use crate::progress::Progress;
use crate::resources::identity::Identity;
use crate::scheduler::{self, Direction};
use crate::stack::Stack;
use crate::state::{State, StateStore};
use crate::steps::owner::Owner;
use crate::steps::{self, Cx, Deletion};

pub async fn run(cli: &Cli, args: &DownArgs) -> Result<ExitCode> {
    let store = StateStore::new(&cli.state_dir, &cli.name);
    let lock = store.lock("down")?;
    let loaded = if args.discover { None } else { store.load()? };
    let discovered = loaded.is_none();
    let (clients, who, state, skip) = match loaded {
        Some(state) => {
            let clients = super::connect(cli, Some(&state)).await?;
            let who = super::caller(&clients, Some(&state)).await?;
            if !args.yes {
                confirm(&state.stack, &state.region, &state.names.suffix)?;
            }
            (clients, who, state, Vec::new())
        }
        None => {
            let clients = super::connect(cli, None).await?;
            let who = super::caller(&clients, None).await?;
            let Some(found) = discover(cli, &store, &clients, &who).await? else {
                let result = DownResult {
                    stack: cli.name.clone(),
                    existed: false,
                    deleted: Vec::new(),
                    gone: 0,
                    left: Vec::new(),
                    state_file: None,
                    left_alone: None,
                    still_tagged: None,
                    region: clients.region.clone(),
                    state_path: store.path().display().to_string(),
                    discovered: true,
                    state_error: None,
                };
                super::print(cli.output, &result);
                lock.remove();
                return Ok(ExitCode::SUCCESS);
            };
            if !args.yes {
                confirm(
                    &found.state.stack,
                    &found.state.region,
                    &found.state.names.suffix,
                )?;
            }
            (clients, who, found.state, found.skip)
        }
    };
    let stack = Stack::new(&clients, &store, state, Progress::new(cli.verbose));
    // Every resource is checked to be ours before any is deleted (found
    // without a state file: each was checked already, and what is not ours
    // is left alone).
    if !discovered {
        steps::owner::verify_all(&stack, "delete").await?;
    }
    let report = scheduler::run(Direction::Down, cli.jobs.into(), |id| {
        let stack = &stack;
        let skip = &skip;
        async move {
            if skip.contains(&id) {
                return Ok(Deletion::LeftAlone);
            }
            let cx = Cx::shown(stack, id, "deleting ");
            let result = steps::delete(&cx).await;
            match &result {
                Ok(deletion) => cx.finish(true, &deletion.describe()),
                Err(e) => {
                    cx.finish(false, "FAILED");
                    stack.progress.line(format!("  {}", e.one_line()));
                }
            }
            result
        }
    })
    .await;
    stack.progress.debug(report.describe_critical_path());

    let label = |id| Cx::new(&stack, id).label();
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
    let left_alone: Vec<String> = skip.iter().map(|id| label(*id)).collect();
    let mut left: Vec<_> = report.failed.iter().map(|(id, _)| (*id, None)).collect();
    for id in &report.not_started {
        let blockers: Vec<_> = Direction::Down
            .waits_for(*id)
            .into_iter()
            .filter(|b| !report.done.iter().any(|(d, _)| d == b))
            .map(|b| b.key())
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

    // Everything it knew of is gone: is anything still the stack's?
    let still_tagged = if left.is_empty() {
        still_tagged(&clients, &store, &who, &cli.name).await?
    } else {
        Vec::new()
    };

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
    let result = DownResult {
        stack: cli.name.clone(),
        existed: true,
        deleted: deleted.clone(),
        gone: report
            .done
            .iter()
            .filter(|(_, d)| *d != Deletion::LeftAlone)
            .count(),
        left: left.clone(),
        state_file: Some(state_file),
        left_alone: Some(left_alone),
        still_tagged: Some(still_tagged.clone()),
        region: clients.region.clone(),
        state_path: store.path().display().to_string(),
        discovered,
        state_error: state_error.as_ref().map(Error::one_line),
    };
    super::print(cli.output, &result);
    match state_error {
        _ if !left.is_empty() => Err(Error::Incomplete { left }),
        _ if !still_tagged.is_empty() => Err(Error::StillTagged {
            stack: cli.name.clone(),
            found: still_tagged,
        }),
        Some(e) => Err(Error::StateLeftBehind {
            stack: cli.name.clone(),
            deleted: deleted.len(),
            source: Box::new(e),
        }),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// What `down` deleted and what it left: printed once, as JSON or text.
#[derive(Debug, Serialize)]
pub struct DownResult {
    pub stack: String,
    /// Whether there was a stack to delete at all.
    pub existed: bool,
    pub deleted: Vec<String>,
    /// How many of the stack's resources are gone now: those `deleted`,
    /// those that went with another (an API's stage, a pool's client) and
    /// those already gone.
    pub gone: usize,
    pub left: Vec<String>,
    /// "removed", "left" (everything is gone, but the file could not be
    /// removed) or "kept" (something is left).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_file: Option<&'static str>,
    /// Found by name, but not the stack's: never touched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_alone: Option<Vec<String>>,
    /// Still carrying the stack's tag once everything known was deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub still_tagged: Option<Vec<String>>,
    #[serde(skip)]
    region: String,
    #[serde(skip)]
    state_path: String,
    #[serde(skip)]
    discovered: bool,
    #[serde(skip)]
    state_error: Option<String>,
}

impl fmt::Display for DownResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.existed {
            return writeln!(
                f,
                "No stack `{}`: there is no {}, and nothing in {} carries its names and tag. Nothing to delete.",
                self.stack, self.state_path, self.region
            );
        }
        if self.left.is_empty() && self.state_error.is_none() {
            writeln!(
                f,
                "Stack `{}` deleted: all {} resources are gone; {}.",
                self.stack,
                self.gone,
                if self.discovered {
                    "it was found by its names and tag"
                } else {
                    "its state file is removed"
                }
            )?;
        } else if !self.left.is_empty() {
            writeln!(f, "Stack `{}` is partly deleted. Left:", self.stack)?;
            for l in &self.left {
                writeln!(f, "  {l}")?;
            }
            if let Some(e) = &self.state_error {
                writeln!(
                    f,
                    "The state file could not be updated ({e}): it still lists resources that are gone, which the next `down` skips."
                )?;
            }
        }
        if let Some(alone) = self.left_alone.as_ref().filter(|l| !l.is_empty()) {
            writeln!(
                f,
                "Left alone, as not the stack's (no photosky-stack={} tag):",
                self.stack
            )?;
            for l in alone {
                writeln!(f, "  {l}")?;
            }
        }
        if let Some(tagged) = self.still_tagged.as_ref().filter(|l| !l.is_empty()) {
            writeln!(
                f,
                "Still in {}, carrying the tag photosky-stack={} (not in the state file):",
                self.region, self.stack
            )?;
            for l in tagged {
                writeln!(f, "  {l}")?;
            }
        }
        Ok(())
    }
}

/// What still carries the stack's tag in this region once `down` deleted
/// everything it knew of: found by names and tag, as `down` without a state
/// file finds a stack. A state file naming other resources than the
/// stack's, or a second copy of it, leaves such things.
async fn still_tagged(
    clients: &Clients,
    store: &StateStore,
    who: &Identity,
    name: &str,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for found in discover::stacks(clients, store, who, name).await? {
        let stack = Stack::new(clients, store, found.state, Progress::new(false));
        for (id, owner) in &found.survey {
            if owner.is_tagged_for(name) {
                out.push(Cx::new(&stack, *id).label());
            }
        }
    }
    Ok(out)
}

/// A stack found without its state file: its state rebuilt from the names,
/// and the steps whose resource fits the names but is not the stack's.
struct Found {
    state: State,
    skip: Vec<StepRef>,
}

/// Look for the stack by its names, then keep what carries its tag; say
/// what will be deleted and what is left alone. `None`: nothing is ours.
async fn discover(
    cli: &Cli,
    store: &StateStore,
    clients: &Clients,
    who: &Identity,
) -> Result<Option<Found>> {
    eprintln!(
        "No state file for stack `{}` here ({}): looking for its resources in {} by their names and tag.",
        cli.name,
        store.path().display(),
        clients.region
    );
    let found = discover::stacks(clients, store, who, &cli.name).await?;
    let count = found.len();
    let Some(discover::Found { state, survey }) = found.into_iter().next() else {
        return Ok(None);
    };
    // Not ours: a tag that is not the stack's, or a parent that is not.
    let mut skip: Vec<StepRef> = Vec::new();
    loop {
        let more: Vec<StepRef> = survey
            .iter()
            .filter(|(id, o)| {
                !skip.contains(id)
                    && match o {
                        Owner::Tagged(_) => !o.is_tagged_for(&cli.name),
                        Owner::Parent(p) => skip.contains(p),
                        Owner::Absent => false,
                    }
            })
            .map(|(id, _)| *id)
            .collect();
        if more.is_empty() {
            break;
        }
        skip.extend(more);
    }
    let stack = Stack::new(clients, store, state.clone(), Progress::new(false));
    let name = |id: StepRef| Cx::new(&stack, id).label();
    eprintln!(
        "Found stack `{}` (names end in -{}), tagged photosky-stack={}:",
        cli.name, state.names.suffix, cli.name
    );
    for (id, o) in &survey {
        if o.is_tagged_for(&cli.name) {
            eprintln!("  {}", name(*id));
        }
    }
    eprintln!("  and what goes with them (permissions, the notification, images, the API's stage)");
    for id in &skip {
        if let Some((_, Owner::Tagged(t))) = survey.iter().find(|(s, _)| s == id) {
            eprintln!(
                "  left alone, not the stack's ({}): {}",
                match t {
                    None => "no photosky-stack tag".to_owned(),
                    Some(other) => format!("tagged photosky-stack={other}"),
                },
                name(*id)
            );
        }
    }
    if count > 1 {
        eprintln!(
            "{count} copies of stack `{}` are here; this deletes the one ending in -{}. Run `photosky down` again for the next.",
            cli.name, state.names.suffix
        );
    }
    Ok(Some(Found { state, skip }))
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
