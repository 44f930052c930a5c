//! `photosky up`: walk the plan forwards, ensuring each step.

use std::process::ExitCode;

use serde_json::json;

use crate::aws::AwsErrorResultExt;
use crate::bundle::Bundle;
use crate::cli::{Cli, Output, UpArgs};
use crate::error::{Error, Result};
use crate::plan::{StepId, PLAN};
use crate::progress::Progress;
use crate::resources::{api, identity};
use crate::stack::{Outcome, Stack};
use crate::state::{Names, State, StateStore};

pub async fn run(cli: &Cli, args: &UpArgs) -> Result<ExitCode> {
    let store = StateStore::new(&cli.state_dir, &cli.name);
    let _lock = store.lock("up")?;
    let existing = store.load()?;
    let clients = super::connect(cli, existing.as_ref()).await?;
    let mut progress = Progress::new(cli.verbose);

    let who = identity::find(&clients.sts).await.ctx(
        "finding the AWS account (sts:GetCallerIdentity)",
        &clients.region,
    )?;
    progress.debug(format!(
        "account {} as {} in {}",
        who.account, who.arn, clients.region
    ));

    let mut state = match existing {
        Some(s) => {
            if s.account.as_deref().is_some_and(|a| a != who.account) {
                return Err(Error::usage(
                    format!(
                        "stack `{}` was deployed to account {}, but these credentials are for account {}",
                        s.stack,
                        s.account.as_deref().unwrap_or_default(),
                        who.account
                    ),
                    Some("use the profile of the stack's account, or another --name".into()),
                ));
            }
            s
        }
        None => {
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
    state.account.get_or_insert(who.account);
    state.partition.get_or_insert(who.partition);
    store.save(&state)?;

    let mut stack = Stack {
        clients: &clients,
        store: &store,
        state,
        bundle: Bundle::embedded(),
        progress,
    };
    let mut changed = Vec::new();
    for step in PLAN {
        let name = stack.resource_name(step.id);
        stack.progress.start(format!("{} {name}", step.title));
        let outcome = stack.ensure(step.id).await?;
        stack.progress.done(&outcome.describe());
        if matches!(outcome, Outcome::Created | Outcome::Updated(_)) {
            changed.push((step.key, outcome));
        }
    }

    let s = &stack.state;
    let api_id = s
        .record(crate::plan::get(StepId::RestApi).key)
        .and_then(|r| r.id.clone())
        .unwrap_or_default();
    let url = api::url(&api_id, &s.region);
    let image = s
        .record("image")
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
