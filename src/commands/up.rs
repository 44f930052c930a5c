//! `photosky up`: run the plan as a graph, ensuring each step as soon as
//! what it needs exists.

use std::process::ExitCode;

use serde_json::json;

use crate::bundle::Bundle;
use crate::cli::{Cli, Output, UpArgs};
use crate::discover;
use crate::error::{Error, Result};
use crate::plan::{self, StepId};
use crate::progress::Progress;
use crate::resources::api;
use crate::scheduler::{self, Direction};
use crate::stack::Stack;
use crate::state::{Names, State, StateStore};
use crate::steps::{self, Cx};

pub async fn run(cli: &Cli, args: &UpArgs) -> Result<ExitCode> {
    let store = StateStore::new(&cli.state_dir, &cli.name);
    let _lock = store.lock("up")?;
    let existing = store.load()?;
    let clients = super::connect(cli, existing.as_ref()).await?;
    let progress = Progress::new(cli.verbose);

    let who = super::caller(&clients, existing.as_ref()).await?;
    progress.debug(format!(
        "account {} as {} in {}",
        who.account, who.arn, clients.region
    ));

    if existing.is_some() && args.adopt {
        return Err(Error::usage(
            format!(
                "--adopt takes over a stack that has no state file here, and {} exists",
                store.path().display()
            ),
            Some("run `photosky up` without --adopt".into()),
        ));
    }
    // No state file: a copy of the stack in AWS is never made twice.
    let adopted = match &existing {
        Some(_) => None,
        None => {
            let found = discover::stacks(&clients, &store, &who, &cli.name).await?;
            match (found.into_iter().next(), args.adopt) {
                (Some(f), true) => Some(f.state),
                (Some(f), false) => {
                    return Err(Error::usage(
                        format!(
                            "stack `{}` already exists in {} (names end in -{}), but there is no {} here",
                            cli.name,
                            clients.region,
                            f.state.names.suffix,
                            store.path().display()
                        ),
                        Some(format!(
                            "`photosky --name {n} up --adopt` takes it over (what carries its tag is adopted, and recorded again); `photosky --name {n} down` deletes it; another --name makes a new stack",
                            n = cli.name
                        )),
                    ))
                }
                (None, true) => {
                    return Err(Error::usage(
                        format!(
                            "--adopt: no resource in {} carries the names and the tag of stack `{}`",
                            clients.region, cli.name
                        ),
                        Some("run `photosky up` without --adopt to make it".into()),
                    ))
                }
                (None, false) => None,
            }
        }
    };
    let mut state = match (existing, adopted) {
        (Some(s), _) => s,
        (None, Some(s)) => {
            progress.line(format!(
                "Adopting stack `{}` found in {} (names end in -{}); state in {}",
                cli.name,
                clients.region,
                s.names.suffix,
                store.path().display()
            ));
            s
        }
        (None, None) => {
            // Intent before act: the names are on disk before anything exists.
            let names = Names::generate(&cli.name, &mut rand::rng());
            let mut s = State::new(&cli.name, &clients.region, names);
            s.account = Some(who.account.clone());
            s.partition = Some(who.partition.clone());
            progress.line(format!(
                "New stack `{}` in {} (names end in -{}), state in {}",
                cli.name,
                clients.region,
                s.names.suffix,
                store.path().display()
            ));
            s
        }
    };
    if let Some(m) = args.memory {
        state.settings.memory_mb = m;
    }
    if let Some(t) = args.timeout {
        state.settings.timeout_s = t;
    }
    if !args.cors_origins.is_empty() {
        state.settings.cors_origins = args.cors_origins.clone();
    }
    if let Some(d) = args.log_retention_days {
        state.settings.log_retention_days = d;
    }
    if let Some(d) = args.keep_deleted_days {
        state.settings.keep_deleted_days = d;
    }
    if let Some(r) = args.rate_limit {
        state.settings.rate_limit = r;
    }
    if let Some(b) = args.burst_limit {
        state.settings.burst_limit = b;
    }
    if let Some(c) = args.max_concurrency {
        state.settings.max_concurrency = c;
    }
    if args.public || args.private {
        state.settings.public = args.public;
    }
    if state.settings.public {
        progress.line(format!(
            "warning: the photo API is open to anyone with its URL{}: they can list, upload and delete every photo. `photosky up --private` makes it ask for sign-in.",
            if args.public { " (--public)" } else { " (made --public earlier)" }
        ));
    }
    state.account.get_or_insert(who.account);
    state.partition.get_or_insert(who.partition);

    let mut stack = Stack::new(&clients, &store, state, progress);
    if args.from_source {
        stack.bundle = Bundle::source();
    }
    // A stack with records: every resource it names is checked to be ours
    // before anything is changed (a new stack's names are fresh, and each
    // step checks what it finds anyway).
    if !stack.snapshot().resources.is_empty() {
        steps::owner::verify_all(&stack, "adopt").await?;
    }
    stack.save_intent()?;
    let report = scheduler::run(Direction::Up, cli.jobs.into(), |id| {
        let stack = &stack;
        async move {
            let cx = Cx::shown(stack, id, "");
            let result = steps::ensure(&cx).await;
            match &result {
                Ok(outcome) => cx.finish(true, &outcome.describe()),
                Err(_) => cx.finish(false, "FAILED"),
            }
            result
        }
    })
    .await;
    stack.progress.debug(report.describe_critical_path());
    if !report.failed.is_empty() {
        if !report.not_started.is_empty() {
            let waiting: Vec<_> = report
                .not_started
                .iter()
                .map(|id| plan::get(*id).key)
                .collect();
            stack.progress.line(format!(
                "not started, because a step failed: {}",
                waiting.join(", ")
            ));
        }
        let mut errors: Vec<Error> = report.failed.into_iter().map(|(_, e)| e).collect();
        return Err(if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Several(errors)
        });
    }
    // In plan order, whatever order they ran in.
    let mut changed: Vec<_> = report
        .done
        .into_iter()
        .filter(|(_, outcome)| outcome.changed())
        .collect();
    changed.sort_by_key(|(id, _)| plan::position(*id));
    let changed: Vec<_> = changed
        .into_iter()
        .map(|(id, o)| (plan::get(id).key, o))
        .collect();

    let s = &stack.snapshot();
    let api_id = s
        .record(plan::get(StepId::RestApi).key)
        .and_then(|r| r.id.clone())
        .unwrap_or_default();
    let url = api::url(&api_id, &stack.scope);
    let image = s
        .record(plan::get(StepId::Image).key)
        .and_then(|r| r.id.clone())
        .unwrap_or_default();
    match cli.output {
        Output::Json => {
            let changes: Vec<_> = changed
                .iter()
                .map(|(k, o)| json!({"step": k, "outcome": o.describe()}))
                .collect();
            println!(
                "{}",
                json!({
                    "stack": s.stack, "region": s.region, "account": s.account,
                    "up_to_date": changed.is_empty(), "changes": changes,
                    "api_url": url, "api_id": api_id,
                    "source_bucket": s.names.source_bucket, "dest_bucket": s.names.dest_bucket,
                    "upload_prefix": s.settings.upload_prefix,
                    "function": s.names.function, "image_digest": image,
                    "public": s.settings.public,
                })
            );
        }
        Output::Text => {
            if changed.is_empty() {
                println!("Stack `{}` is up to date: nothing to change.", s.stack);
            } else {
                println!(
                    "Stack `{}` is up in {} ({} change(s)).",
                    s.stack,
                    s.region,
                    changed.len()
                );
            }
            println!("  API URL:           {url}");
            if s.settings.public {
                println!("  Sign-in:           none: anyone with the URL can list, upload and delete photos (--public)");
            } else {
                println!(
                    "  Sign-in:           required; add a user with `photosky --name {} user add EMAIL`",
                    s.stack
                );
            }
            println!(
                "  Upload bucket:     s3://{}/{}",
                s.names.source_bucket, s.settings.upload_prefix
            );
            println!("  Thumbnail bucket:  s3://{}", s.names.dest_bucket);
            println!("  Function:          {}", s.names.function);
            println!("  Image:             {image}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
