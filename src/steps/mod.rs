//! One file per step, each a type implementing `Step`: what its resource
//! is called (`name`), what it needs (`after`), how `up` makes it or brings
//! it up to date (`ensure`: find, else create; re-apply configuration that
//! changed), how `down` removes it (`delete`: already gone is success),
//! whose it is (`owner`) and what `status` says of it (`inspect`). Each
//! file also says what its step records in the state file: its own
//! `Record` type, serialised under the step's key. A kind with several
//! instances (buckets, roles, log groups, permissions) is one type whose
//! configuration is data, one constant per instance. `plan.rs` lists them.
//!
//! A step runs with a `Cx`: the stack, the step, and its progress line. It
//! reads what an earlier step made only through `Cx::dep`, typed by that
//! step's record, which refuses a dependency the step does not declare in
//! `after`: so the declared graph is what the scheduler can trust.

pub mod api_methods;
pub mod api_stage;
pub mod bucket;
pub mod build_source;
pub mod function;
pub mod image;
pub mod log_group;
pub mod notification;
pub mod owner;
pub mod permission;
pub mod project;
pub mod repository;
pub mod rest_api;
pub mod role;
pub mod user_pool;
pub mod user_pool_client;

use std::time::Duration;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::{Deserialize as _, Serialize};
use sha2::{Digest, Sha256};

use crate::aws::{AwsError, Clients};
use crate::error::{Error, Result};
use crate::plan::StepRef;
use crate::progress::Task;
use crate::stack::Stack;
use crate::state::Names;
use owner::Owner;

/// One step of the plan. Object-safe: the plan is a slice of `&dyn Step`.
#[async_trait(?Send)]
pub trait Step: Sync + CheckRecord {
    /// The key of its record in the state file.
    fn key(&self) -> &'static str;
    /// What it is, for progress and status lines.
    fn title(&self) -> &'static str;
    /// The steps whose resources this one needs. `up` starts it once they
    /// are all done; `down` deletes it before any of them; it reads only
    /// what these recorded (`Cx::dep`).
    fn after(&self) -> &'static [StepRef] {
        &[]
    }
    /// The name of its resource, as lines and reports show it.
    fn name(&self, cx: &Cx<'_>) -> String;
    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome>;
    /// Delete its resource (`steps::delete` has checked that it is ours
    /// and that it exists).
    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion>;
    /// Whose the resource is: its tag, or its parent's.
    async fn owner(&self, cx: &Cx<'_>) -> Result<Owner>;
    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection>;

    /// How discovery (`down` without a state file, `ls`) finds this kind:
    /// `None` for a kind with no name of its own (it goes with its parent).
    /// Steps that share a listing (`ListedAs::what`) are listed once.
    fn listed_as(&self) -> Option<ListedAs> {
        None
    }

    /// Every name of this kind in the clients' region (`stack`: only
    /// names starting with it, where the service can filter so).
    async fn list_names(
        &self,
        _clients: &Clients,
        _stack: Option<&str>,
    ) -> std::result::Result<Vec<String>, AwsError> {
        Ok(Vec::new())
    }
}

/// What discovery calls the names a step lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListedAs {
    /// One of them, as `ls` and `down` say it: "S3 bucket".
    pub kind: &'static str,
    /// The listing, for errors: "S3 buckets".
    pub what: &'static str,
    /// IAM's: one list for the account, whatever the region.
    pub global: bool,
}

impl ListedAs {
    pub const fn regional(kind: &'static str, what: &'static str) -> ListedAs {
        ListedAs {
            kind,
            what,
            global: false,
        }
    }
}

/// What a step records in the state file: each step file's `Record`.
pub trait Recorded {
    type Record: Serialize + DeserializeOwned;
}

/// Whether a state file's record reads as its step's `Record`: a state
/// file is checked whole before anything is done with it.
pub trait CheckRecord {
    fn check_record(&self, record: &serde_json::Value) -> std::result::Result<(), String>;
}

impl<T: Recorded> CheckRecord for T {
    fn check_record(&self, record: &serde_json::Value) -> std::result::Result<(), String> {
        T::Record::deserialize(record)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

impl PartialEq for dyn Step {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for dyn Step {}

impl std::hash::Hash for dyn Step {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.key().hash(h)
    }
}

impl std::fmt::Debug for dyn Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Found resources are adopted only when they carry the stack's tag.
pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    owner::verify(cx, "adopt").await?;
    cx.step.ensure(cx).await
}

/// Deleted only when it carries the stack's tag (`down` checks every step
/// first, so that a refusal deletes nothing). When nothing by its name is
/// there, it is gone already and AWS is not asked to delete it: the
/// deployer policy allows a delete only on what carries the stack's tag,
/// and AWS authorises before it looks, so it would answer AccessDenied,
/// not NotFound.
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let found = owner::verify(cx, "delete").await?;
    crate::fault::delete_failure(cx.step.key()).map_err(|e| cx.error("deleting", e))?;
    if found == owner::Verified::Absent {
        return cx.gone(false);
    }
    cx.step.delete(cx).await
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
    pub step: StepRef,
    task: Task,
}

impl<'s> Cx<'s> {
    /// A step with no progress line (`status`).
    pub fn new(stack: &'s Stack<'s>, step: StepRef) -> Cx<'s> {
        Cx {
            stack,
            step,
            task: Task::silent(),
        }
    }

    /// A step with a progress line: `<verb> <title> <name>`.
    pub fn shown(stack: &'s Stack<'s>, step: StepRef, verb: &str) -> Cx<'s> {
        let mut cx = Cx::new(stack, step);
        let label = format!("{verb}{}", cx.label());
        cx.task = stack.progress.start(label);
        stack.set_running(step, true);
        cx
    }

    /// The step ended: its line says how.
    pub fn finish(self, ok: bool, outcome: &str) {
        self.stack.set_running(self.step, false);
        self.task.finish(ok, outcome);
    }

    pub fn name(&self) -> String {
        self.step.name(self)
    }

    /// `<title> <name>`: the step's resource, as lines and reports show it.
    pub fn label(&self) -> String {
        format!("{} {}", self.step.title(), self.name())
    }

    pub fn clients(&self) -> &'s Clients {
        self.stack.clients
    }

    pub fn names(&self) -> &'s Names {
        &self.stack.names
    }

    /// This step's own record (its file's `Record`), if it made something.
    /// Every record was checked when the state file was read
    /// (`CheckRecord`), so one that does not read is not there.
    pub fn own<R: DeserializeOwned>(&self) -> Option<R> {
        self.stack.recorded(self.step.key())
    }

    pub fn record<R: Serialize + DeserializeOwned>(&self, record: &R) -> Result<()> {
        self.stack.record(self.step.key(), record)
    }

    pub fn forget(&self) -> Result<()> {
        self.stack.forget(self.step.key())
    }

    /// The resource goes with `parent`'s (an API's methods, a pool's
    /// client): nothing to delete of its own; its record is forgotten.
    pub fn deleted_with(&self, parent: StepRef) -> Result<Deletion> {
        self.forget()?;
        Ok(Deletion::WithParent(parent.title()))
    }

    /// Delete with `call` (true: it was there), then forget the record.
    pub async fn deleted(
        &self,
        call: impl std::future::Future<Output = std::result::Result<bool, AwsError>>,
    ) -> Result<Deletion> {
        let gone = call.await.map_err(|e| self.error("deleting", e))?;
        self.gone(gone)
    }

    /// Whose the resource is by its tag, as `call` (a resource file's
    /// `stack_tag`) reads it.
    pub async fn tagged(
        &self,
        call: impl std::future::Future<
            Output = std::result::Result<crate::resources::StackTag, AwsError>,
        >,
    ) -> Result<Owner> {
        let tag = call
            .await
            .map_err(|e| self.error("reading the tags of", e))?;
        Ok(Owner::from_tag(tag))
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

    /// What `dependency` recorded, if anything yet; an error if this step
    /// does not declare it in `after`.
    pub fn maybe_dep<S: Step + Recorded + 'static>(
        &self,
        dependency: &'static S,
    ) -> Result<Option<S::Record>> {
        if !self
            .step
            .after()
            .iter()
            .any(|d| d.key() == dependency.key())
        {
            return Err(Error::Dependency {
                step: self.step.key(),
                dependency: dependency.key(),
                recorded: false,
            });
        }
        self.stack.note_read(self.step.key(), dependency.key());
        Ok(self.stack.recorded(dependency.key()))
    }

    /// What `dependency` recorded: declared in `after` and made already.
    pub fn dep<S: Step + Recorded + 'static>(&self, dependency: &'static S) -> Result<S::Record> {
        self.maybe_dep(dependency)?.ok_or(Error::Dependency {
            step: self.step.key(),
            dependency: dependency.key(),
            recorded: true,
        })
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
        Error::aws(format!("{verb} {}", self.step.title()), self.name(), source)
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
                serde_json::json!({"arn": format!("arn:{key}"), "id": format!("id-{key}")}),
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
        let cx = Cx::new(&stack, &notification::NOTIFICATION);
        assert_eq!(cx.dep(&function::FUNCTION).unwrap().arn, "arn:function");
        // It has no business with the repository, recorded or not.
        let e = cx.dep(&repository::REPOSITORY).unwrap_err();
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
        assert!(e.to_string().contains("after"), "{e}");
        // Declared but not made yet: a different error, naming both.
        let cx = Cx::new(&stack, &api_stage::API_STAGE);
        let e = cx.dep(&rest_api::REST_API).unwrap_err();
        assert!(
            matches!(e, Error::Dependency { recorded: true, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("`rest-api`"), "{e}");
        // A missing dependency never reaches AWS as an empty string.
        assert!(cx.maybe_dep(&rest_api::REST_API).unwrap().is_none());
    }
}
