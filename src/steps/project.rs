//! Step `project`: the CodeBuild project that builds the function image from
//! the source zip and pushes it to the repository. Reads
//! `repository` (its URI, for the push), `build-role` (the service role) and
//! `build-source` (the zip it builds by default); `build-logs` is declared so
//! that `down` deletes the log group after the project. Deleting the project
//! stops its running builds first, and drops the pending-build record.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::build_source::BUILD_SOURCE;
use super::log_group::BUILD_LOGS;
use super::owner::{self, Owner};
use super::repository::REPOSITORY;
use super::role::BUILD_ROLE;
use super::{fingerprint, Cx, Deletion, Inspection, ListedAs, Outcome, Recorded, Step, StepErr};
use crate::aws::{retry_propagation, AwsError, Backoff, Clients};
use crate::error::Result;
use crate::plan::StepRef;
use crate::resources::codebuild;
use crate::stack::Stack;

pub struct Project;
pub const PROJECT: Project = Project;

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub arn: String,
    /// A fingerprint of the project's settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<String>,
}

impl Recorded for Project {
    type Record = Record;
}

/// A build that was started and may still be running, so that a resumed
/// `up` waits for it instead of starting a second one. Not a step of its
/// own: it goes with the project, under its own key in the state file.
#[derive(Debug, Serialize, Deserialize)]
pub struct PendingBuild {
    pub id: String,
    /// The image tag it builds.
    #[serde(rename = "applied")]
    pub tag: String,
}

impl PendingBuild {
    pub const KEY: &'static str = "build";

    pub fn get(stack: &Stack<'_>) -> Option<PendingBuild> {
        stack.recorded(Self::KEY)
    }

    /// Build `id` of image `tag` was started (or is waited for again).
    pub fn started(stack: &Stack<'_>, id: &str, tag: &str) -> Result<()> {
        let build = PendingBuild {
            id: id.to_owned(),
            tag: tag.to_owned(),
        };
        stack.record(Self::KEY, &build)
    }

    /// The project is gone, and its builds with it.
    pub fn clear(stack: &Stack<'_>) -> Result<()> {
        stack.forget(Self::KEY)
    }
}

/// A state file's pending build, if it has one, reads as one.
pub fn check_pending_build(
    resources: &std::collections::BTreeMap<String, serde_json::Value>,
) -> std::result::Result<(), String> {
    match resources.get(PendingBuild::KEY) {
        Some(v) => PendingBuild::deserialize(v).map(|_| ()).map_err(|e| {
            format!(
                "`resources.{}` is not a build record: {e}",
                PendingBuild::KEY
            )
        }),
        None => Ok(()),
    }
}

async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let (cb, name) = (&cx.clients().codebuild, cx.name());
    let found = codebuild::find(cb, &name).await.on(cx, "finding")?;
    let repo_uri = cx.dep(&REPOSITORY)?.uri;
    let role_arn = cx.dep(&BUILD_ROLE)?.arn;
    let source_key = cx.dep(&BUILD_SOURCE)?.key;
    // Its log group first: else CodeBuild makes it on the first build,
    // untagged and kept forever.
    cx.dep(&BUILD_LOGS)?;
    let (names, scope) = (cx.names(), &cx.stack.scope);
    let source_location = format!("{}/{source_key}", names.artifacts_bucket);
    let spec = codebuild::ProjectSpec {
        name: &name,
        stack: &cx.stack.name,
        role_arn: &role_arn,
        source_location: &source_location,
        host: cx.stack.bundle.host(),
        variables: vec![
            ("AWS_ACCOUNT_ID", scope.account.clone()),
            ("AWS_REGION", scope.region.clone()),
            ("REPOSITORY_NAME", names.repository.clone()),
            ("REPOSITORY_URI", repo_uri),
            ("IMAGE_TAG", cx.stack.bundle.image_tag()),
            ("IMAGE_PLATFORM", cx.stack.bundle.arch.platform().to_owned()),
        ],
    };
    let fp = fingerprint(&[&codebuild::settings(&spec)]);
    // A new service role is refused for a few seconds, by either call.
    let applied = cx.own::<Record>().and_then(|r| r.applied);
    let (arn, outcome) = match found {
        Some(_) if applied.as_deref() == Some(fp.as_str()) => {
            return Ok(Outcome::Exists);
        }
        Some(arn) => {
            retry_propagation(
                codebuild::ROLE_PROPAGATION,
                Backoff::PROPAGATION,
                cx.retry_note("updating the CodeBuild project"),
                || codebuild::update(cb, &spec),
            )
            .await
            .on(cx, "updating")?;
            // A project adopted after a crash, before its record, is only
            // brought to the spec; one recorded with other settings changed.
            let outcome = if applied.is_some() {
                Outcome::Updated("settings".into())
            } else {
                Outcome::Exists
            };
            (arn, outcome)
        }
        None => {
            let made = retry_propagation(
                codebuild::ROLE_PROPAGATION,
                Backoff::PROPAGATION,
                cx.retry_note("creating the CodeBuild project"),
                || codebuild::create(cb, &spec),
            )
            .await;
            // Made by a create whose response was lost: with this spec.
            let arn = owner::created_or_found(cx, made, || codebuild::find(cb, &name)).await?;
            (arn, Outcome::Created)
        }
    };
    cx.record(&Record {
        arn,
        applied: Some(fp),
    })?;
    Ok(outcome)
}

#[async_trait(?Send)]
impl Step for Project {
    fn key(&self) -> &'static str {
        "project"
    }

    fn title(&self) -> &'static str {
        "CodeBuild project"
    }

    fn after(&self) -> &'static [StepRef] {
        &[&REPOSITORY, &BUILD_ROLE, &BUILD_SOURCE, &BUILD_LOGS]
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        cx.names().project.clone()
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        ensure(cx).await
    }

    /// Ours if it carries the stack's tag.
    async fn owner(&self, cx: &Cx<'_>) -> Result<Owner> {
        cx.tagged(codebuild::stack_tag(
            &cx.clients().codebuild,
            &self.name(cx),
        ))
        .await
    }

    /// Builds still running are stopped first, and waited for: a build left
    /// running (up to 30 minutes) would write its log group again after
    /// `down` deleted it, and push to a repository being deleted.
    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        let project = self.name(cx);
        let note = |id: &str| cx.note(format!("stopping build {id}, still running"));
        codebuild::stop_running_builds(&cx.clients().codebuild, &project, note).await?;
        let gone = codebuild::delete(&cx.clients().codebuild, &self.name(cx))
            .await
            .on(cx, "deleting")?;
        PendingBuild::clear(cx.stack)?;
        cx.gone(gone)
    }

    /// Exists, and how its last build ended.
    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let cb = &cx.clients().codebuild;
        let arn = codebuild::find(cb, &self.name(cx))
            .await
            .on(cx, "inspecting")?;
        let mut i = Inspection::found(cx, arn.is_some());
        if let (Some(_), Some(build)) = (&arn, PendingBuild::get(cx.stack)) {
            if let Some(s) = codebuild::find_build(cb, &build.id)
                .await
                .on(cx, "inspecting")?
            {
                i.detail = Some(format!("last build {} {}", s.id, s.status));
                i.healthy = !s.failed();
            }
        }
        Ok(i)
    }

    fn listed_as(&self) -> Option<ListedAs> {
        Some(ListedAs::regional(
            "CodeBuild project",
            "CodeBuild projects",
        ))
    }

    async fn list_names(
        &self,
        clients: &Clients,
        _stack: Option<&str>,
    ) -> std::result::Result<Vec<String>, AwsError> {
        codebuild::list_names(&clients.codebuild).await
    }
}
