//! Step `project`: the CodeBuild project that builds the function image from
//! the source zip and pushes it to the repository. Records: `arn`. Reads
//! `repository` (its URI, for the push), `build-role` (the service role) and
//! `build-source` (the zip it builds by default); `build-logs` is declared so
//! that `down` deletes the log group after the project. Deleting the project
//! stops its running builds first, and drops the pending-build record.

use std::time::Duration;

use super::owner::{self, Owner};
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::aws::{retry_propagation, Backoff};
use crate::error::{Error, Result};
use crate::plan::StepId;
use crate::resources::codebuild;
use crate::state::Record;

pub fn name(cx: &Cx<'_>) -> String {
    cx.names().project.clone()
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let (cb, name) = (&cx.clients().codebuild, name(cx));
    let found = codebuild::find(cb, &name).await.on(cx, "finding")?;
    let repo_uri = cx.dep_id(StepId::Repository)?;
    let role_arn = cx.dep_arn(StepId::BuildRole)?;
    let source_key = cx.dep_id(StepId::BuildSource)?;
    let (names, scope) = (cx.names(), &cx.stack.scope);
    let source_location = format!("{}/{source_key}", names.artifacts_bucket);
    let spec = codebuild::ProjectSpec {
        name: &name,
        stack: &cx.stack.name,
        role_arn: &role_arn,
        source_location: &source_location,
        variables: vec![
            ("AWS_ACCOUNT_ID", scope.account.clone()),
            ("AWS_REGION", scope.region.clone()),
            ("REPOSITORY_NAME", names.repository.clone()),
            ("REPOSITORY_URI", repo_uri),
            ("IMAGE_TAG", cx.stack.bundle.image_tag()),
        ],
    };
    let fp = fingerprint(&[&codebuild::settings(&spec)]);
    // A new service role is refused for a few seconds, by either call.
    let (arn, outcome) = match found {
        Some(_) if cx.applied().as_deref() == Some(fp.as_str()) => {
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
            let outcome = if cx.applied().is_some() {
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
    cx.record(Record {
        arn: Some(arn),
        applied: Some(fp),
        ..Default::default()
    })?;
    Ok(outcome)
}

/// Ours if it carries the stack's tag.
pub async fn owner(cx: &Cx<'_>) -> Result<Owner> {
    let tag = codebuild::stack_tag(&cx.clients().codebuild, &name(cx))
        .await
        .on(cx, "reading the tags of")?;
    Ok(Owner::from_tag(tag))
}

/// Builds still running are stopped first, and waited for: a build left
/// running (up to 30 minutes) would write its log group again after `down`
/// deleted it, and push to a repository being deleted.
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    stop_running_builds(cx).await?;
    let gone = codebuild::delete(&cx.clients().codebuild, &name(cx))
        .await
        .on(cx, "deleting")?;
    cx.stack.set_pending_build(None)?;
    cx.gone(gone)
}

/// Exists, and how its last build ended.
pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let cb = &cx.clients().codebuild;
    let arn = codebuild::find(cb, &name(cx)).await.on(cx, "inspecting")?;
    let mut i = Inspection::found(cx, arn.is_some());
    if let (Some(_), Some(build)) = (&arn, cx.stack.pending_build().and_then(|r| r.id)) {
        if let Some(s) = codebuild::find_build(cb, &build)
            .await
            .on(cx, "inspecting")?
        {
            i.detail = Some(format!("last build {} {}", s.id, s.status));
            i.healthy = s.status != "FAILED" && s.status != "FAULT";
        }
    }
    Ok(i)
}

/// How long `down` waits for a stopped build to end.
const STOP_WAIT: Backoff = Backoff {
    first: Duration::from_secs(1),
    cap: Duration::from_secs(5),
    max_wait: Duration::from_secs(5 * 60),
};

/// Stop every build of the project that is still running (listed, not only
/// the recorded one: a crash can come between StartBuild and its record),
/// then wait until none is.
async fn stop_running_builds(cx: &Cx<'_>) -> Result<()> {
    let (cb, project) = (&cx.clients().codebuild, name(cx));
    let running = || async {
        let running = codebuild::find_running_builds(cb, &project)
            .await
            .on(cx, "listing the running builds of")?;
        Ok::<_, Error>(running.into_iter().map(|b| b.id).collect::<Vec<_>>())
    };
    let builds = running().await?;
    if builds.is_empty() {
        return Ok(());
    }
    for id in &builds {
        cx.note(format!("stopping build {id}, still running"));
        codebuild::stop_build(cb, id)
            .await
            .map_err(|e| Error::aws("stopping the build", id, e))?;
    }
    let what = format!("{} build(s) of {project} to stop", builds.len());
    crate::aws::poll(&what, STOP_WAIT, || async {
        Ok(running().await?.is_empty().then_some(()))
    })
    .await
}
