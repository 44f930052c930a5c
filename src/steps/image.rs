//! Step `image`: the function image in ECR, tagged with the hash of the
//! build source. When the repository has no image under that tag, a
//! CodeBuild build makes it, and the step waits for the build with a bounded
//! poller. The build it starts is recorded first as the pending build
//! (`project::PendingBuild`), so a resumed run waits for it rather than starting a second one (which
//! would fail on AWS after a whole build: the repository's tags are
//! immutable). A build of this tag still running that no record names (a
//! run killed between StartBuild and its record) is waited for too. A build
//! refused access before its buildspec ran (a new role) is started again,
//! up to three times.
//! Reads `repository`, `project` and `build-source`.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::build_source::BUILD_SOURCE;
use super::owner::Owner;
use super::project::{PendingBuild, PROJECT};
use super::repository::REPOSITORY;
use super::{Cx, Deletion, Inspection, Outcome, Recorded, Step, StepErr};
use crate::bundle::{Build, Bundle};
use crate::error::{Error, Result};
use crate::plan::StepRef;
use crate::resources::{codebuild, ecr};

pub struct Image;
pub const IMAGE: Image = Image;

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    #[serde(rename = "id")]
    pub digest: String,
    /// The tag: the hash of the build source.
    #[serde(rename = "applied")]
    pub tag: String,
}

impl Recorded for Image {
    type Record = Record;
}

/// How often a build refused access before its buildspec ran is started
/// again, and how long to let IAM catch up before each (10 s, 20 s, 30 s).
const SETUP_DENIAL_RESTARTS: u32 = 3;
const SETUP_DENIAL_PAUSE: Duration = Duration::from_secs(10);

/// Its image in ECR, else a build of it, waited for.
async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    cx.dep(&REPOSITORY)?;
    let (ecr_client, repo, tag) = (
        &cx.clients().ecr,
        &cx.names().repository,
        cx.stack.bundle.image_tag(),
    );
    if let Some(digest) = ecr::find_image(ecr_client, repo, &tag)
        .await
        .on(cx, "finding")?
    {
        if cx.own::<Record>().map(|r| r.tag).as_deref() != Some(tag.as_str()) {
            cx.record(&Record { digest, tag })?;
        }
        return Ok(Outcome::Exists);
    }
    let mut build_id = match resumable_build(cx, &tag).await? {
        Some(id) => {
            cx.note(format!("resuming the wait for build {id}"));
            PendingBuild::started(cx.stack, &id, &tag)?;
            id
        }
        None => {
            cx.stack.progress.line(format!(
                "image {}: {}",
                cx.name(),
                cx.stack.bundle.build.expectation()
            ));
            let arch = cx.stack.bundle.arch;
            if cx.stack.bundle.build == Build::FromSource && Bundle::carried(arch).is_none() {
                cx.stack.progress.line(format!(
                    "note: this photosky carries no prebuilt handler for {arch}, so CodeBuild \
                     compiles it (on AWS, about 10 minutes on every handler change); install \
                     photosky with `./dev install` to deploy in about 2 minutes"
                ));
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
        let logs = &cx.clients().logs;
        let project = &cx.names().project;
        return Err(codebuild::failure(logs, &cx.stack.scope, project, &status).await);
    }
    let digest = ecr::find_image(ecr_client, repo, &tag)
        .await
        .on(cx, "finding")?
        .ok_or_else(|| {
            Error::Unexpected(format!(
                "build {build_id} succeeded but ECR has no image {repo}:{tag}; check that buildspec.yml pushes $IMAGE_TAG"
            ))
        })?;
    cx.record(&Record { digest, tag })?;
    Ok(Outcome::Created)
}

/// A build of this source that a killed run started, to wait for rather
/// than start another: the recorded one, if it is still running or
/// succeeded (its image is in ECR by now, or is being pushed), else any
/// running build of the project for this tag.
async fn resumable_build(cx: &Cx<'_>, tag: &str) -> Result<Option<String>> {
    let recorded = PendingBuild::get(cx.stack).filter(|b| b.tag == tag);
    let (cb, project) = (&cx.clients().codebuild, &cx.names().project);
    codebuild::resumable_build(cb, project, tag, recorded.map(|b| b.id)).await
}

/// Start a build of the recorded source; record it before waiting.
async fn start(cx: &Cx<'_>, tag: &str) -> Result<String> {
    cx.dep(&PROJECT)?;
    let source_key = cx.dep(&BUILD_SOURCE)?.key;
    let (project, location) = (
        &cx.names().project,
        format!("{}/{source_key}", cx.names().artifacts_bucket),
    );
    let id = codebuild::start_build(&cx.clients().codebuild, project, &location, tag)
        .await
        .map_err(|e| Error::aws("starting a build of CodeBuild project", project, e))?;
    PendingBuild::started(cx.stack, &id, tag)?;
    Ok(id)
}

/// Wait for the build to end, saying each phase it enters.
async fn wait(cx: &Cx<'_>, build_id: &str) -> Result<codebuild::BuildStatus> {
    cx.note(format!("building image (build {build_id})"));
    let on_phase = |phase: &str| cx.note(format!("building image: {phase} (build {build_id})"));
    codebuild::wait_build(&cx.clients().codebuild, build_id, on_phase).await
}

#[async_trait(?Send)]
impl Step for Image {
    fn key(&self) -> &'static str {
        "image"
    }

    fn title(&self) -> &'static str {
        "function image"
    }

    fn after(&self) -> &'static [StepRef] {
        &[&REPOSITORY, &PROJECT, &BUILD_SOURCE]
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        format!("{}:{}", cx.names().repository, cx.stack.bundle.image_tag())
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        ensure(cx).await
    }

    /// It goes with its parent; it is ours if that is.
    async fn owner(&self, _cx: &Cx<'_>) -> Result<Owner> {
        Ok(Owner::Parent(&REPOSITORY))
    }

    /// Deleted with the repository (force).
    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        cx.deleted_with(&REPOSITORY)
    }

    /// The image the function was last given; says so when this binary
    /// carries newer source.
    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let current = cx.stack.bundle.image_tag();
        let tag = cx
            .own::<Record>()
            .map_or_else(|| current.clone(), |r| r.tag);
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
}
