//! `photosky up`: run the plan as a graph, ensuring each step as soon as
//! what it needs exists.

use std::fmt;
use std::process::ExitCode;

use serde::Serialize;

use crate::bundle::Bundle;
use crate::cli::{Cli, UpArgs};
use crate::cost;
use crate::discover;
use crate::error::{Error, Result};
use crate::plan;
use crate::progress::Progress;
use crate::resources::api;
use crate::scheduler::{self, Direction};
use crate::stack::Stack;
use crate::state::{Names, State, StateStore};
use crate::steps::{self, Cx, Outcome};
use crate::steps::{image::IMAGE, rest_api::REST_API};

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

    let mut state = begin(cli, args, &store, &clients, &who, existing, &progress).await?;
    state.settings.apply(args);
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
        stack.bundle = Bundle::source(stack.settings.arch);
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
            let waiting: Vec<_> = report.not_started.iter().map(|step| step.key()).collect();
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
        .map(|(step, o)| (step.key(), o))
        .collect();

    crate::fault::log_dependencies(&stack.reads())
        .map_err(|e| Error::Unexpected(format!("writing the dependency log: {e}")))?;
    let result = UpResult::new(&stack, changed);
    super::print(cli.output, &result);
    Ok(ExitCode::SUCCESS)
}

/// The stack's state: the file here; else, with `--adopt`, the copy found
/// in AWS by its names and tag (refused without `--adopt`: a stack is never
/// made twice); else a new stack, its names on disk before anything exists.
async fn begin(
    cli: &Cli,
    args: &UpArgs,
    store: &StateStore,
    clients: &crate::aws::Clients,
    who: &crate::resources::identity::Identity,
    existing: Option<State>,
    progress: &Progress,
) -> Result<State> {
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
            let found = discover::stacks(clients, store, who, &cli.name).await?;
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
    let state = match (existing, adopted) {
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
    Ok(state)
}

/// What `up` did and where the stack is: printed once, as JSON or text.
#[derive(Debug, Serialize)]
pub struct UpResult {
    pub stack: String,
    pub region: String,
    pub account: Option<String>,
    pub up_to_date: bool,
    /// How many resources the stack has (the plan's steps), of which
    /// `changes` were made or changed by this run.
    pub resources: usize,
    pub changes: Vec<Change>,
    pub api_url: String,
    pub api_id: String,
    pub source_bucket: String,
    pub dest_bucket: String,
    pub upload_prefix: String,
    pub function: String,
    pub image_digest: String,
    pub public: bool,
    /// The function's memory, and what thumbnailing 1,000 photos costs
    /// with it (US dollars; `cost.rs` says what is counted).
    pub memory_mb: i32,
    pub arch: crate::arch::Arch,
    pub cost_per_1000_photos_usd: f64,
    /// Calls went to an emulator (`--endpoint-url`), which serves no API.
    #[serde(skip)]
    emulated: bool,
}

/// One step that changed something: its key and what it did.
#[derive(Debug, Serialize)]
pub struct Change {
    pub step: &'static str,
    pub outcome: String,
}

impl UpResult {
    fn new(stack: &Stack<'_>, changed: Vec<(&'static str, Outcome)>) -> UpResult {
        let s = stack.snapshot();
        let api_id = s.record(&REST_API).map(|r| r.id).unwrap_or_default();
        UpResult {
            api_url: api::url(&api_id, &stack.scope),
            api_id,
            image_digest: s.record(&IMAGE).map(|r| r.digest).unwrap_or_default(),
            resources: plan::PLAN.len(),
            emulated: stack.clients.endpoint_url().is_some(),
            up_to_date: changed.is_empty(),
            changes: changed
                .into_iter()
                .map(|(step, o)| Change {
                    step,
                    outcome: o.describe(),
                })
                .collect(),
            stack: s.stack.clone(),
            region: s.region.clone(),
            account: s.account.clone(),
            source_bucket: s.names.source_bucket.clone(),
            dest_bucket: s.names.dest_bucket.clone(),
            upload_prefix: s.settings.upload_prefix.clone(),
            function: s.names.function.clone(),
            public: s.settings.public,
            memory_mb: s.settings.memory_mb,
            arch: s.settings.arch,
            cost_per_1000_photos_usd: cost::per_1000_photos(s.settings.memory_mb, s.settings.arch),
        }
    }
}

impl fmt::Display for UpResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (stack, region, all) = (&self.stack, &self.region, self.resources);
        let created = self
            .changes
            .iter()
            .filter(|c| c.outcome == "created")
            .count();
        let updated = self.changes.len() - created;
        let current = all - self.changes.len();
        match (created, updated) {
            (0, 0) => writeln!(
                f,
                "Stack `{stack}` in {region} is up to date: all {all} resources, nothing to change."
            )?,
            (c, 0) if c == all => writeln!(
                f,
                "Stack `{stack}` is up in {region}: all {all} resources created."
            )?,
            _ => {
                let counts: Vec<String> = [
                    (created, "created"),
                    (updated, "updated"),
                    (current, "up to date"),
                ]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{n} {what}"))
                .collect();
                writeln!(
                    f,
                    "Stack `{stack}` is up in {region}: {all} resources, {}.",
                    counts.join(", ")
                )?
            }
        }
        match self.emulated {
            true => writeln!(
                f,
                "  API URL:           {} (on AWS; the emulator serves no API)",
                self.api_url
            )?,
            false => writeln!(f, "  API URL:           {}", self.api_url)?,
        }
        if self.public {
            writeln!(f, "  Sign-in:           none: anyone with the URL can list, upload and delete photos (--public)")?;
        } else {
            writeln!(
                f,
                "  Sign-in:           required; add a user with `photosky --name {} user add EMAIL`",
                self.stack
            )?;
        }
        writeln!(
            f,
            "  Upload bucket:     s3://{}/{}",
            self.source_bucket, self.upload_prefix
        )?;
        writeln!(f, "  Thumbnail bucket:  s3://{}", self.dest_bucket)?;
        writeln!(f, "  Function:          {} ({})", self.function, self.arch)?;
        writeln!(f, "  Image:             {}", self.image_digest)?;
        writeln!(
            f,
            "  Cost:              about ${:.3} per 1,000 photos thumbnailed at {} MB ({}, docs/cost.md)",
            self.cost_per_1000_photos_usd, self.memory_mb, self.arch
        )
    }
}
