//! One file per resource step: what the step's resource is called (`name`),
//! how `up` makes it or brings it up to date (`ensure`: find, else create;
//! re-apply configuration that changed), how `down` removes it (`delete`:
//! already gone is success) and what `status` says of it (`inspect`).
//!
//! Each step runs with a `Cx`: the stack, its own step id, and its progress
//! line. It reads what an earlier step made only through `Cx::dep`, which
//! refuses a dependency that `plan.rs` does not declare for it, so the
//! plan's `after` lists are what the scheduler can trust.

mod api_methods;
mod api_stage;
mod bucket;
mod build_source;
mod function;
mod image;
mod log_group;
mod notification;
pub mod owner;
mod permission;
mod project;
mod repository;
mod rest_api;
mod role;
mod user_pool;
mod user_pool_client;

use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::aws::{AwsError, Clients};
use crate::error::{Error, Result};
use crate::plan::{self, Step, StepId};
use crate::progress::Task;
use crate::stack::Stack;
use crate::state::{Names, Record};

/// The one table from step to the file that implements it.
macro_rules! dispatch {
    ($cx:expr, $f:ident $(, $awaited:tt)?) => {
        match $cx.id {
            StepId::Repository => repository::$f($cx)$(.$awaited)?,
            StepId::BuildRole | StepId::FunctionRole => role::$f($cx)$(.$awaited)?,
            StepId::ArtifactsBucket | StepId::SourceBucket | StepId::DestBucket => {
                bucket::$f($cx)$(.$awaited)?
            }
            StepId::BuildSource => build_source::$f($cx)$(.$awaited)?,
            StepId::BuildLogs | StepId::FunctionLogs => log_group::$f($cx)$(.$awaited)?,
            StepId::Project => project::$f($cx)$(.$awaited)?,
            StepId::Image => image::$f($cx)$(.$awaited)?,
            StepId::Function => function::$f($cx)$(.$awaited)?,
            StepId::S3Permission | StepId::ApiPermission => permission::$f($cx)$(.$awaited)?,
            StepId::Notification => notification::$f($cx)$(.$awaited)?,
            StepId::RestApi => rest_api::$f($cx)$(.$awaited)?,
            StepId::ApiIntegration => api_methods::$f($cx)$(.$awaited)?,
            StepId::ApiStage => api_stage::$f($cx)$(.$awaited)?,
            StepId::UserPool => user_pool::$f($cx)$(.$awaited)?,
            StepId::UserPoolClient => user_pool_client::$f($cx)$(.$awaited)?,
        }
    };
}

pub fn name(cx: &Cx<'_>) -> String {
    dispatch!(cx, name)
}

/// Found resources are adopted only when they carry the stack's tag.
pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    owner::verify(cx, "adopt").await?;
    dispatch!(cx, ensure, await)
}

/// Deleted only when it carries the stack's tag (`down` checks every step
/// first, so that a refusal deletes nothing). When nothing by its name is
/// there, it is gone already and AWS is not asked to delete it: the
/// deployer policy allows a delete only on what carries the stack's tag,
/// and AWS authorises before it looks, so it would answer AccessDenied,
/// not NotFound.
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let found = owner::verify(cx, "delete").await?;
    crate::fault::delete_failure(cx.step().key).map_err(|e| cx.error("deleting", e))?;
    if found == owner::Verified::Absent {
        return cx.gone(false);
    }
    dispatch!(cx, delete, await)
}

/// Whose the step's resource is: its tag, or its parent's.
pub async fn owner(cx: &Cx<'_>) -> Result<owner::Owner> {
    dispatch!(cx, owner, await)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    dispatch!(cx, inspect, await)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Exists,
    Updated(String),
}

impl Outcome {
    pub fn describe(&self) -> String {
        match self {
            Outcome::Created => "created".into(),
            Outcome::Exists => "up to date".into(),
            Outcome::Updated(what) => format!("updated ({what})"),
        }
    }

    pub fn changed(&self) -> bool {
        matches!(self, Outcome::Created | Outcome::Updated(_))
    }

    /// The outcome once `what` was applied again to a resource whose
    /// recorded settings (`recorded`, a fingerprint) differ from the wanted
    /// ones. A new resource stays created. One recorded with other settings
    /// is updated; one with no record of them (adopted, or recorded by an
    /// older photosky) is up to date as found, unless `fixed` says
    /// something about it was found wrong and put right. Every step that
    /// re-applies settings reports through this one rule.
    pub fn reapplied(
        self,
        recorded: Option<&str>,
        fixed: bool,
        what: impl Into<String>,
    ) -> Outcome {
        match self {
            Outcome::Exists if recorded.is_some() || fixed => Outcome::Updated(what.into()),
            other => other,
        }
    }
}

/// What `down` did with one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    Deleted,
    AlreadyGone,
    /// Goes with another resource (the stage with its API, images with the
    /// repository, the source zip with its bucket).
    WithParent(&'static str),
    /// Found without a state file, by name, but not carrying the stack's
    /// tag: not ours, never touched.
    LeftAlone,
}

impl Deletion {
    pub fn describe(&self) -> String {
        match self {
            Deletion::Deleted => "deleted".into(),
            Deletion::AlreadyGone => "already gone".into(),
            Deletion::WithParent(parent) => format!("goes with the {parent}"),
            Deletion::LeftAlone => "left alone (not the stack's)".into(),
        }
    }
}

/// What `status` reports of one step.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub exists: bool,
    pub healthy: bool,
    pub name: String,
    pub detail: Option<String>,
}

impl Inspection {
    /// Exists or not, healthy if it exists, shown under the step's name.
    fn found(cx: &Cx<'_>, exists: bool) -> Inspection {
        Inspection {
            exists,
            healthy: exists,
            name: cx.name(),
            detail: None,
        }
    }

    fn detail(mut self, detail: Option<String>) -> Inspection {
        self.detail = detail;
        self
    }
}

/// One step of one stack, as it runs.
pub struct Cx<'s> {
    pub stack: &'s Stack<'s>,
    pub id: StepId,
    task: Task,
}

impl<'s> Cx<'s> {
    /// A step with no progress line (`status`).
    pub fn new(stack: &'s Stack<'s>, id: StepId) -> Cx<'s> {
        Cx {
            stack,
            id,
            task: Task::silent(),
        }
    }

    /// A step with a progress line: `<verb> <title> <name>`.
    pub fn shown(stack: &'s Stack<'s>, id: StepId, verb: &str) -> Cx<'s> {
        let mut cx = Cx::new(stack, id);
        let label = format!("{verb}{}", cx.label());
        cx.task = stack.progress.start(label);
        stack.set_running(id, true);
        cx
    }

    /// The step ended: its line says how.
    pub fn finish(self, ok: bool, outcome: &str) {
        self.stack.set_running(self.id, false);
        self.task.finish(ok, outcome);
    }

    pub fn step(&self) -> &'static Step {
        plan::get(self.id)
    }

    pub fn name(&self) -> String {
        name(self)
    }

    /// `<title> <name>`: the step's resource, as lines and reports show it.
    pub fn label(&self) -> String {
        format!("{} {}", self.step().title, self.name())
    }

    pub fn clients(&self) -> &'s Clients {
        self.stack.clients
    }

    pub fn names(&self) -> &'s Names {
        &self.stack.names
    }

    /// This step's own record, if it made something.
    pub fn own(&self) -> Option<Record> {
        self.stack.recorded(self.id)
    }

    /// The fingerprint of the configuration this step last applied.
    pub fn applied(&self) -> Option<String> {
        self.own().and_then(|r| r.applied)
    }

    pub fn record(&self, record: Record) -> Result<()> {
        self.stack.record(self.id, record)
    }

    pub fn forget(&self) -> Result<()> {
        self.stack.forget(self.id)
    }

    /// The resource goes with `parent`'s (an API's methods, a pool's
    /// client): nothing to delete of its own; its record is forgotten.
    pub fn deleted_with(&self, parent: StepId) -> Result<Deletion> {
        self.forget()?;
        Ok(Deletion::WithParent(crate::plan::get(parent).title))
    }

    /// The resource is gone (`deleted`: by this call): forget its record.
    pub fn gone(&self, deleted: bool) -> Result<Deletion> {
        self.forget()?;
        Ok(if deleted {
            Deletion::Deleted
        } else {
            Deletion::AlreadyGone
        })
    }

    /// What `dependency` recorded, if anything yet; an error if `plan.rs`
    /// does not declare that this step comes after it.
    pub fn maybe_dep(&self, dependency: StepId) -> Result<Option<Record>> {
        if !self.step().after.contains(&dependency) {
            return Err(Error::Dependency {
                step: self.step().key,
                dependency: plan::get(dependency).key,
                recorded: false,
            });
        }
        Ok(self.stack.recorded(dependency))
    }

    /// What `dependency` recorded: declared in `plan.rs` and made already.
    pub fn dep(&self, dependency: StepId) -> Result<Record> {
        self.maybe_dep(dependency)?.ok_or(Error::Dependency {
            step: self.step().key,
            dependency: plan::get(dependency).key,
            recorded: true,
        })
    }

    /// The ARN a dependency recorded.
    pub fn dep_arn(&self, dependency: StepId) -> Result<String> {
        let r = self.dep(dependency)?;
        r.arn.ok_or_else(|| self.missing_field(dependency, "arn"))
    }

    /// The id a dependency recorded.
    pub fn dep_id(&self, dependency: StepId) -> Result<String> {
        let r = self.dep(dependency)?;
        r.id.ok_or_else(|| self.missing_field(dependency, "id"))
    }

    fn missing_field(&self, dependency: StepId, field: &str) -> Error {
        Error::Unexpected(format!(
            "the state file's `{}` record has no {field}, which step `{}` needs; run `photosky up` again to record it",
            plan::get(dependency).key,
            self.step().key
        ))
    }

    /// Say what the step is doing now (a build phase, a wait).
    pub fn note(&self, message: impl AsRef<str>) {
        self.task.update(message);
    }

    /// A note per propagation retry.
    pub fn retry_note(&self, what: &str) -> impl FnMut(&AwsError, Duration) + '_ {
        let what = what.to_owned();
        move |e, waited| {
            self.note(format!(
                "{what}: AWS has not propagated the new permission yet ({}), retrying ({:.0}s)",
                e.code(),
                waited.as_secs_f64()
            ))
        }
    }

    /// `<verb> <title> (<name>)`: an AWS error with what we were doing.
    pub fn error(&self, verb: &str, source: AwsError) -> Error {
        Error::aws(format!("{verb} {}", self.step().title), self.name(), source)
    }
}

/// A short hash of the configuration a step applies: re-applied only when
/// it changes.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `result.on(cx, "creating")`: name the action and the resource.
trait StepErr<T> {
    fn on(self, cx: &Cx<'_>, verb: &str) -> Result<T>;
}

impl<T> StepErr<T> for Result<T, AwsError> {
    fn on(self, cx: &Cx<'_>, verb: &str) -> Result<T> {
        self.map_err(|e| cx.error(verb, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Names, State, StateStore};
    use rand::{rngs::StdRng, SeedableRng};

    fn offline_clients() -> Clients {
        let config = aws_config::SdkConfig::builder()
            .region(aws_config::Region::new("eu-west-1"))
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        Clients::from_config(&config).unwrap()
    }

    #[test]
    fn a_step_reading_an_undeclared_dependency_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path(), "t");
        let mut state = State::new(
            "t",
            "eu-west-1",
            Names::generate("t", &mut StdRng::seed_from_u64(3)),
        );
        for key in ["repository", "function"] {
            state.resources.insert(
                key.into(),
                Record {
                    arn: Some(format!("arn:{key}")),
                    id: Some(format!("id-{key}")),
                    applied: None,
                    ..Default::default()
                },
            );
        }
        let clients = offline_clients();
        let stack = Stack::new(
            &clients,
            &store,
            state,
            crate::progress::Progress::new(false),
        );

        // The notification targets the function: declared, recorded.
        let cx = Cx::new(&stack, StepId::Notification);
        assert_eq!(cx.dep_arn(StepId::Function).unwrap(), "arn:function");
        // It has no business with the repository, recorded or not.
        let e = cx.dep(StepId::Repository).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Dependency {
                    step: "notification",
                    dependency: "repository",
                    recorded: false
                }
            ),
            "{e:?}"
        );
        assert!(e.to_string().contains("plan.rs"), "{e}");
        // Declared but not made yet: a different error, naming both.
        let cx = Cx::new(&stack, StepId::ApiStage);
        let e = cx.dep(StepId::RestApi).unwrap_err();
        assert!(
            matches!(e, Error::Dependency { recorded: true, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("`rest-api`"), "{e}");
        // A missing dependency never reaches AWS as an empty string.
        assert!(cx.maybe_dep(StepId::RestApi).unwrap().is_none());
    }
}
