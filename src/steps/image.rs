//! Step `image`: the function image in ECR, tagged with the hash of the
//! build source. When the repository has no image under that tag, a
//! CodeBuild build makes it, and the step waits for the build with a bounded
//! poller. Records: `id` = the image digest, `applied` = the tag; the build
//! it started is recorded first as the pending build (`stack::PENDING_BUILD`),
//! so a resumed run waits for it rather than starting a second one (which
//! would fail on AWS after a whole build: the repository's tags are
//! immutable). A build of this tag still running that no record names (a
//! run killed between StartBuild and its record) is waited for too. A build
//! refused access before its buildspec ran (a new role) is started again,
//! up to three times.
//! Reads `repository`, `project` and `build-source`.

use std::time::Duration;

use super::owner::Owner;
use super::{Cx, Deletion, Inspection, Outcome, StepErr};
use crate::aws::Backoff;
use crate::bundle::{Build, Bundle};
use crate::error::{Error, Result};
use crate::plan::{self, StepId};
use crate::resources::{codebuild, ecr, log_group};
use crate::state::Record;

/// How a build is polled: it takes minutes on AWS; the first answer comes fast.
const BUILD_POLL: Backoff = Backoff {
    first: Duration::from_millis(500),
    cap: Duration::from_secs(10),
    max_wait: Duration::from_secs(45 * 60),
};

/// How often a build refused access before its buildspec ran is started
/// again, and how long to let IAM catch up before each (10 s, 20 s, 30 s).
const SETUP_DENIAL_RESTARTS: u32 = 3;
const SETUP_DENIAL_PAUSE: Duration = Duration::from_secs(10);

/// How many lines of the build log a failure shows.
const LOG_TAIL_LINES: i32 = 20;

pub fn name(cx: &Cx<'_>) -> String {
    format!("{}:{}", cx.names().repository, cx.stack.bundle.image_tag())
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    cx.dep(StepId::Repository)?;
    let (ecr_client, repo, tag) = (
        &cx.clients().ecr,
        &cx.names().repository,
        cx.stack.bundle.image_tag(),
    );
    if let Some(digest) = ecr::find_image(ecr_client, repo, &tag)
        .await
        .on(cx, "finding")?
    {
        if cx.applied().as_deref() != Some(tag.as_str()) {
            cx.record(image_record(digest, tag))?;
        }
        return Ok(Outcome::Exists);
    }
    let mut build_id = match resumable_build(cx, &tag).await? {
        Some(id) => {
            cx.note(format!("resuming the wait for build {id}"));
            cx.stack.set_pending_build(Some(pending(&id, &tag)))?;
            id
        }
        None => {
            cx.stack.progress.line(format!(
                "image {}: {}",
                name(cx),
                cx.stack.bundle.build.expectation()
            ));
            if cx.stack.bundle.build == Build::FromSource && !Bundle::carries_bootstrap() {
                cx.stack.progress.line(
                    "note: this photosky carries no prebuilt handler, so CodeBuild compiles it \
                     (about 10 minutes on every handler change); install photosky with \
                     `./dev install` to deploy in about 2 minutes",
                );
            }
            start(cx, &tag).await?
        }
    };
    let mut restarts = 0;
    let status = loop {
        let status = wait(cx, &build_id).await?;
        // A build that starts while its role is new can be refused access
        // (CloudWatch Logs, the source) before the buildspec runs: the
        // policy has not reached CodeBuild yet. Start it again, a few times.
        if status.denied_during_setup() && restarts < SETUP_DENIAL_RESTARTS {
            restarts += 1;
            let phase = status.failed_phase.as_ref().map(|p| p.0.as_str());
            cx.note(format!(
                "build {build_id} was refused access in {} (the build role's policy has not propagated yet); starting it again ({restarts} of {SETUP_DENIAL_RESTARTS})",
                phase.unwrap_or("setup")
            ));
            crate::aws::pause(SETUP_DENIAL_PAUSE * restarts).await;
            build_id = start(cx, &tag).await?;
            continue;
        }
        break status;
    };
    if !status.succeeded() {
        return Err(failure(cx, &status).await);
    }
    let digest = ecr::find_image(ecr_client, repo, &tag)
        .await
        .on(cx, "finding")?
        .ok_or_else(|| {
            Error::Unexpected(format!(
                "build {build_id} succeeded but ECR has no image {repo}:{tag}; check that buildspec.yml pushes $IMAGE_TAG"
            ))
        })?;
    cx.record(image_record(digest, tag))?;
    Ok(Outcome::Created)
}

fn image_record(digest: String, tag: String) -> Record {
    Record {
        id: Some(digest),
        arn: None,
        applied: Some(tag),
        ..Default::default()
    }
}

/// A build of this source that a killed run started, to wait for rather
/// than start another: the recorded one, if it is still running or
/// succeeded (its image is in ECR by now, or is being pushed), else any
/// running build of the project for this tag.
async fn resumable_build(cx: &Cx<'_>, tag: &str) -> Result<Option<String>> {
    let cb = &cx.clients().codebuild;
    let recorded = cx
        .stack
        .pending_build()
        .filter(|r| r.applied.as_deref() == Some(tag))
        .and_then(|r| r.id);
    if let Some(id) = recorded {
        let status = codebuild::find_build(cb, &id)
            .await
            .map_err(|e| Error::aws("checking the build", &id, e))?;
        if status.is_some_and(|s| !s.done() || s.succeeded()) {
            return Ok(Some(id));
        }
    }
    let project = &cx.names().project;
    let running = codebuild::find_running_builds(cb, project)
        .await
        .map_err(|e| {
            Error::aws(
                "listing the running builds of CodeBuild project",
                project,
                e,
            )
        })?;
    Ok(running
        .into_iter()
        .find(|b| b.tag.as_deref() == Some(tag))
        .map(|b| b.id))
}

/// Start a build of the recorded source; record it before waiting.
async fn start(cx: &Cx<'_>, tag: &str) -> Result<String> {
    cx.dep(StepId::Project)?;
    let source_key = cx.dep_id(StepId::BuildSource)?;
    let (project, location) = (
        &cx.names().project,
        format!("{}/{source_key}", cx.names().artifacts_bucket),
    );
    let id = codebuild::start_build(&cx.clients().codebuild, project, &location, tag)
        .await
        .map_err(|e| Error::aws("starting a build of CodeBuild project", project, e))?;
    cx.stack.set_pending_build(Some(pending(&id, tag)))?;
    Ok(id)
}

/// The record of a build that may still be running.
fn pending(id: &str, tag: &str) -> Record {
    Record {
        id: Some(id.to_owned()),
        arn: None,
        applied: Some(tag.to_owned()),
        ..Default::default()
    }
}

/// Poll the build until it ends, saying each phase it enters.
async fn wait(cx: &Cx<'_>, build_id: &str) -> Result<codebuild::BuildStatus> {
    let cb = &cx.clients().codebuild;
    cx.note(format!("building image (build {build_id})"));
    let phase = std::cell::RefCell::new(String::new());
    let what = format!("CodeBuild build {build_id}");
    crate::aws::poll(&what, BUILD_POLL, || async {
        let s = codebuild::find_build(cb, build_id)
            .await
            .map_err(|e| Error::aws("checking the build", build_id, e))?
            .ok_or_else(|| {
                Error::Unexpected(format!("CodeBuild does not know build {build_id}"))
            })?;
        if !s.done() && *phase.borrow() != s.current_phase {
            cx.note(format!(
                "building image: {} (build {build_id})",
                s.current_phase
            ));
            phase.replace(s.current_phase.clone());
        }
        Ok(s.done().then_some(s))
    })
    .await
}

/// The failing phase, CodeBuild's reason, the log's last lines and a link.
async fn failure(cx: &Cx<'_>, status: &codebuild::BuildStatus) -> Error {
    let log_tail = match (&status.log_group, &status.log_stream) {
        (Some(g), Some(s)) => log_group::tail(&cx.clients().logs, g, s, LOG_TAIL_LINES)
            .await
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let (phase, reason) = status
        .failed_phase
        .clone()
        .unwrap_or((status.current_phase.clone(), None));
    let scope = &cx.stack.scope;
    Error::BuildFailed {
        build_id: status.id.clone(),
        status: status.status.clone(),
        phase,
        reason,
        log_tail,
        console_url: codebuild::console_url(scope, &cx.names().project, &status.id),
    }
}

/// It goes with its parent; it is ours if that is.
pub async fn owner(_cx: &Cx<'_>) -> Result<Owner> {
    Ok(Owner::Parent(StepId::Repository))
}

/// Deleted with the repository (force).
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    cx.forget()?;
    Ok(Deletion::WithParent(plan::get(StepId::Repository).title))
}

/// The image the function was last given; says so when this binary carries
/// newer source.
pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let current = cx.stack.bundle.image_tag();
    let tag = cx.applied().unwrap_or_else(|| current.clone());
    let repo = &cx.names().repository;
    let digest = ecr::find_image(&cx.clients().ecr, repo, &tag)
        .await
        .on(cx, "inspecting")?;
    let mut i = Inspection::found(cx, digest.is_some());
    i.name = format!("{repo}:{tag}");
    i.detail = match digest {
        Some(d) if tag != current => Some(format!(
            "{d} (this photosky has newer source: run `photosky up`)"
        )),
        d => d,
    };
    Ok(i)
}
