//! The CodeBuild project that builds the image (`find`, `create`, `update`,
//! `delete`), and its builds (`start_build`, `find_build`, `wait_build`,
//! `stop_running_builds`).
//! Calls: CreateProject, UpdateProject, BatchGetProjects, DeleteProject, StartBuild,
//! BatchGetBuilds, ListBuildsForProject, StopBuild, ListProjects. CodeBuild has no waiter
//! for builds: `wait_build` polls `find_build`, bounded.

use std::cell::RefCell;
use std::time::Duration;

pub use aws_sdk_codebuild::types::StatusType;
use aws_sdk_codebuild::types::{
    ArtifactsType, CloudWatchLogsConfig, ComputeType, EnvironmentType, EnvironmentVariable,
    LogsConfig, LogsConfigStatusType, ProjectArtifacts, ProjectEnvironment, ProjectSource,
    SortOrderType, SourceType, Tag,
};
use aws_sdk_codebuild::Client;

use super::policies::Scope;
use crate::arch::Arch;
use crate::aws::{not_found_is_none, poll, AwsError, AwsResultExt, Backoff, Propagation};
use crate::error::Error;

/// A new service role is refused for a few seconds after IAM created it.
pub const ROLE_PROPAGATION: &[Propagation] = &[Propagation {
    code: "InvalidInputException",
    message_contains: "not authorized to perform: sts:AssumeRole",
}];

/// The build images, Docker inside: CodeBuild's current standard image on
/// x86_64, and its Amazon Linux 2023 image on ARM. A curated image runs
/// only in its own environment type: `aws/codebuild/amazonlinux2-aarch64-*`
/// in a LINUX_CONTAINER project is refused ("is not supported for projects
/// with environment type LINUX_CONTAINER", aws/copilot-cli#3110,
/// aws/aws-cdk#35368).
pub const BUILD_IMAGE: &str = "aws/codebuild/standard:7.0";
pub const ARM_BUILD_IMAGE: &str = "aws/codebuild/amazonlinux-aarch64-standard:3.0";

/// The environment type and curated image of a build machine of `host`.
pub fn build_machine(host: Arch) -> (EnvironmentType, &'static str) {
    match host {
        Arch::X86_64 => (EnvironmentType::LinuxContainer, BUILD_IMAGE),
        Arch::Arm64 => (EnvironmentType::ArmContainer, ARM_BUILD_IMAGE),
    }
}

/// A build that has not started by then will not: CodeBuild's default queue
/// timeout is 8 hours, and a new account's build quota can hold a build in
/// the queue for good.
pub const QUEUED_TIMEOUT_MINUTES: i32 = 30;

/// The phases before the buildspec's own commands: an ACCESS_DENIED there is
/// the service role (its policy not yet propagated), not the build.
const SETUP_PHASES: &[&str] = &["SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE"];

pub async fn find(cb: &Client, name: &str) -> Result<Option<String>, AwsError> {
    let out = cb.batch_get_projects().names(name).send().await.aws()?;
    Ok(out
        .projects()
        .iter()
        .find(|p| p.name() == Some(name))
        .map(|p| p.arn().unwrap_or_default().to_owned()))
}

/// The project's stack tag (BatchGetProjects returns its tags).
pub async fn stack_tag(cb: &Client, name: &str) -> Result<super::StackTag, AwsError> {
    let out = cb.batch_get_projects().names(name).send().await.aws()?;
    Ok(out
        .projects()
        .iter()
        .find(|p| p.name() == Some(name))
        .map(|p| {
            super::stack_tag(
                p.tags()
                    .iter()
                    .filter_map(|t| Some((t.key()?, t.value().unwrap_or_default()))),
            )
        }))
}

pub struct ProjectSpec<'a> {
    pub name: &'a str,
    pub stack: &'a str,
    pub role_arn: &'a str,
    /// `bucket/key` of the source zip.
    pub source_location: &'a str,
    /// The build machine's architecture (`Bundle::host`).
    pub host: Arch,
    pub variables: Vec<(&'static str, String)>,
}

/// What a project is made of, shared by create and update.
struct Parts {
    source: ProjectSource,
    artifacts: ProjectArtifacts,
    environment: ProjectEnvironment,
    logs: LogsConfig,
}

const DESCRIPTION: &str = "Builds the PhotoSky Lambda image (photosky)";
const BUILD_TIMEOUT_MINUTES: i32 = 30;

fn parts(spec: &ProjectSpec<'_>) -> Parts {
    let vars = spec.variables.iter().map(|(k, v)| {
        EnvironmentVariable::builder()
            .name(*k)
            .value(v)
            .build()
            .expect("name and value set")
    });
    let (kind, image) = build_machine(spec.host);
    Parts {
        source: ProjectSource::builder()
            .r#type(SourceType::S3)
            .location(spec.source_location)
            .build()
            .expect("type set"),
        artifacts: ProjectArtifacts::builder()
            .r#type(ArtifactsType::NoArtifacts)
            .build()
            .expect("type set"),
        environment: ProjectEnvironment::builder()
            .r#type(kind)
            .image(image)
            .compute_type(ComputeType::BuildGeneral1Medium)
            // docker build needs the Docker daemon: privileged mode.
            .privileged_mode(true)
            .set_environment_variables(Some(vars.collect()))
            .build()
            .expect("type, image and compute type set"),
        logs: LogsConfig::builder()
            .cloud_watch_logs(
                CloudWatchLogsConfig::builder()
                    .status(LogsConfigStatusType::Enabled)
                    .group_name(format!("/aws/codebuild/{}", spec.name))
                    .build()
                    .expect("status set"),
            )
            .build(),
    }
}

/// What a project is configured with, as one string for a fingerprint, so
/// a project made by an older photosky is updated. Without what every
/// StartBuild overrides (the source location, IMAGE_TAG): a new handler
/// must not count as a changed project.
pub fn settings(spec: &ProjectSpec<'_>) -> String {
    let vars: Vec<_> = spec
        .variables
        .iter()
        .filter(|(k, _)| *k != "IMAGE_TAG")
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let (kind, image) = build_machine(spec.host);
    // The x86_64 machine's is written as it was before ARM builds, so an
    // older project is not updated for nothing.
    let machine = match spec.host {
        Arch::X86_64 => image.to_owned(),
        Arch::Arm64 => format!("{} {image}", kind.as_str()),
    };
    format!(
        "{machine} {} privileged {} role={} timeout={BUILD_TIMEOUT_MINUTES} queued={QUEUED_TIMEOUT_MINUTES} logs=/aws/codebuild/{} {DESCRIPTION}",
        ComputeType::BuildGeneral1Medium.as_str(),
        vars.join(","),
        spec.role_arn,
        spec.name
    )
}

/// A project's settings on a CreateProject or UpdateProject request: the
/// two builders are different types with the same setters.
macro_rules! with_settings {
    ($request:expr, $spec:expr) => {{
        let p = parts($spec);
        $request
            .name($spec.name)
            .description(DESCRIPTION)
            .source(p.source)
            .artifacts(p.artifacts)
            .environment(p.environment)
            .service_role($spec.role_arn)
            .timeout_in_minutes(BUILD_TIMEOUT_MINUTES)
            .queued_timeout_in_minutes(QUEUED_TIMEOUT_MINUTES)
            .logs_config(p.logs)
    }};
}

pub async fn create(cb: &Client, spec: &ProjectSpec<'_>) -> Result<String, AwsError> {
    let out = with_settings!(cb.create_project(), spec)
        .tags(
            Tag::builder()
                .key(super::STACK_TAG)
                .value(spec.stack)
                .build(),
        )
        .send()
        .await
        .aws()?;
    Ok(out
        .project()
        .and_then(|p| p.arn())
        .unwrap_or_default()
        .to_owned())
}

/// Bring an existing project to `spec` (its tag is left as it is).
pub async fn update(cb: &Client, spec: &ProjectSpec<'_>) -> Result<(), AwsError> {
    with_settings!(cb.update_project(), spec)
        .send()
        .await
        .aws()?;
    Ok(())
}

pub async fn delete(cb: &Client, name: &str) -> Result<bool, AwsError> {
    // DeleteProject succeeds for a missing project, so ask first to report
    // honestly whether anything was deleted.
    if find(cb, name).await?.is_none() {
        return Ok(false);
    }
    cb.delete_project().name(name).send().await.aws()?;
    Ok(true)
}

/// Start a build of `source_location` that pushes `tag`; returns the build id.
pub async fn start_build(
    cb: &Client,
    project: &str,
    source_location: &str,
    tag: &str,
) -> Result<String, AwsError> {
    let out = cb
        .start_build()
        .project_name(project)
        // The SDK resends a request whose response was lost; with the same
        // token, CodeBuild answers with the first build (for 5 minutes)
        // instead of starting a second.
        .idempotency_token(format!("photosky-{:016x}", rand::random::<u64>()))
        .source_location_override(source_location)
        .source_type_override(SourceType::S3)
        .environment_variables_override(
            EnvironmentVariable::builder()
                .name("IMAGE_TAG")
                .value(tag)
                .build()
                .expect("set"),
        )
        .send()
        .await
        .aws()?;
    Ok(out
        .build_value()
        .and_then(|b| b.id())
        .unwrap_or_default()
        .to_owned())
}

#[derive(Debug, Clone)]
pub struct BuildStatus {
    pub id: String,
    pub status: StatusType,
    pub current_phase: String,
    /// The first phase that did not succeed, and what it said.
    pub failed_phase: Option<(String, Option<String>)>,
    /// That phase's status codes (`ACCESS_DENIED`, `CLIENT_ERROR`, ...).
    pub failed_codes: Vec<String>,
    pub log_group: Option<String>,
    pub log_stream: Option<String>,
    /// The image tag it builds (its `IMAGE_TAG`, set by `start_build`).
    pub tag: Option<String>,
}

impl BuildStatus {
    pub fn done(&self) -> bool {
        self.status != StatusType::InProgress
    }
    pub fn succeeded(&self) -> bool {
        self.status == StatusType::Succeeded
    }
    /// Ended badly: a failure of the build or of CodeBuild.
    pub fn failed(&self) -> bool {
        matches!(self.status, StatusType::Failed | StatusType::Fault)
    }
    /// Refused access before the buildspec ran: on a new role, what IAM's
    /// propagation does to a build that starts too soon.
    pub fn denied_during_setup(&self) -> bool {
        !self.succeeded()
            && self
                .failed_phase
                .as_ref()
                .is_some_and(|(phase, _)| SETUP_PHASES.contains(&phase.as_str()))
            && self.failed_codes.iter().any(|c| c == "ACCESS_DENIED")
    }
}

pub async fn find_build(cb: &Client, id: &str) -> Result<Option<BuildStatus>, AwsError> {
    let out = cb.batch_get_builds().ids(id).send().await.aws()?;
    Ok(out.builds().first().map(|b| status_of(b, id)))
}

fn status_of(b: &aws_sdk_codebuild::types::Build, id: &str) -> BuildStatus {
    let failed = b.phases().iter().find(|p| {
        p.phase_status()
            .is_some_and(|s| *s != StatusType::Succeeded)
    });
    let failed_phase = failed.map(|p| {
        let why = p
            .contexts()
            .iter()
            .filter_map(|c| c.message())
            .filter(|m| !m.is_empty())
            .collect::<Vec<_>>();
        (
            p.phase_type()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            (!why.is_empty()).then(|| why.join("; ")),
        )
    });
    let failed_codes = failed
        .map(|p| {
            p.contexts()
                .iter()
                .filter_map(|c| c.status_code().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let logs = b.logs();
    let tag = b.environment().and_then(|e| {
        e.environment_variables()
            .iter()
            .find(|v| v.name() == "IMAGE_TAG")
            .map(|v| v.value().to_owned())
    });
    BuildStatus {
        id: b.id().unwrap_or(id).to_owned(),
        status: b.build_status().cloned().unwrap_or(StatusType::InProgress),
        current_phase: b.current_phase().unwrap_or("QUEUED").to_owned(),
        failed_phase,
        failed_codes,
        log_group: logs.and_then(|l| l.group_name()).map(str::to_owned),
        log_stream: logs.and_then(|l| l.stream_name()).map(str::to_owned),
        tag,
    }
}

/// The project's builds still running (QUEUED to FINALIZING): ListBuilds-
/// ForProject's first page, newest first (a running build is among the
/// newest), asked about in one BatchGetBuilds. None for a missing project.
pub async fn find_running_builds(cb: &Client, project: &str) -> Result<Vec<BuildStatus>, AwsError> {
    let ids = not_found_is_none(
        cb.list_builds_for_project()
            .project_name(project)
            .sort_order(SortOrderType::Descending)
            .send()
            .await
            .aws(),
    )?
    .map(|o| o.ids().to_vec())
    .unwrap_or_default();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let out = cb
        .batch_get_builds()
        .set_ids(Some(ids))
        .send()
        .await
        .aws()?;
    Ok(out
        .builds()
        .iter()
        .map(|b| status_of(b, b.id().unwrap_or_default()))
        .filter(|b| !b.done())
        .collect())
}

/// How a build is polled: it takes minutes on AWS; the first answer comes fast.
pub const BUILD_POLL: Backoff = Backoff {
    first: Duration::from_millis(500),
    cap: Duration::from_secs(10),
    max_wait: Duration::from_secs(45 * 60),
};

/// Poll build `id` until it ends; `on_phase` hears each phase it enters.
pub async fn wait_build(
    cb: &Client,
    id: &str,
    on_phase: impl Fn(&str),
) -> Result<BuildStatus, Error> {
    let phase = RefCell::new(String::new());
    poll(&format!("CodeBuild build {id}"), BUILD_POLL, || async {
        let s = find_build(cb, id)
            .await
            .map_err(|e| Error::aws("checking the build", id, e))?
            .ok_or_else(|| Error::Unexpected(format!("CodeBuild does not know build {id}")))?;
        if !s.done() && *phase.borrow() != s.current_phase {
            on_phase(&s.current_phase);
            phase.replace(s.current_phase.clone());
        }
        Ok(s.done().then_some(s))
    })
    .await
}

/// A build of `tag` to wait for rather than start another: `recorded` (a
/// pending build a state file names) if it is still running or succeeded,
/// else any running build of the project for this tag (a run killed
/// between StartBuild and its record).
pub async fn resumable_build(
    cb: &Client,
    project: &str,
    tag: &str,
    recorded: Option<String>,
) -> Result<Option<String>, Error> {
    if let Some(id) = recorded {
        let status = find_build(cb, &id)
            .await
            .map_err(|e| Error::aws("checking the build", &id, e))?;
        if status.is_some_and(|s| !s.done() || s.succeeded()) {
            return Ok(Some(id));
        }
    }
    let running = find_running_builds(cb, project).await.map_err(|e| {
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

/// How many lines of the build log a failure shows.
const LOG_TAIL_LINES: i32 = 20;

/// A failed build as an error: the failing phase, CodeBuild's reason, the
/// log's last lines and a link to the console.
pub async fn failure(
    logs: &aws_sdk_cloudwatchlogs::Client,
    scope: &Scope,
    project: &str,
    status: &BuildStatus,
) -> Error {
    let log_tail = match (&status.log_group, &status.log_stream) {
        (Some(g), Some(s)) => super::log_group::tail(logs, g, s, LOG_TAIL_LINES)
            .await
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let (phase, reason) = status
        .failed_phase
        .clone()
        .unwrap_or((status.current_phase.clone(), None));
    Error::BuildFailed {
        build_id: status.id.clone(),
        status: status.status.to_string(),
        phase,
        reason,
        log_tail,
        console_url: console_url(scope, project, &status.id),
    }
}

/// How long `down` waits for a stopped build to end.
const STOP_WAIT: Backoff = Backoff {
    first: Duration::from_secs(1),
    cap: Duration::from_secs(5),
    max_wait: Duration::from_secs(5 * 60),
};

/// Stop every build of `project` still running (listed, not only one a
/// state file names: a crash can come between StartBuild and its record),
/// then wait until none is. `on_stop` hears each build stopped.
pub async fn stop_running_builds(
    cb: &Client,
    project: &str,
    on_stop: impl Fn(&str),
) -> Result<(), Error> {
    let running = || async {
        let running = find_running_builds(cb, project).await.map_err(|e| {
            Error::aws(
                "listing the running builds of CodeBuild project",
                project,
                e,
            )
        })?;
        Ok::<_, Error>(running.into_iter().map(|b| b.id).collect::<Vec<_>>())
    };
    let builds = running().await?;
    if builds.is_empty() {
        return Ok(());
    }
    for id in &builds {
        on_stop(id);
        stop_build(cb, id)
            .await
            .map_err(|e| Error::aws("stopping the build", id, e))?;
    }
    let what = format!("{} build(s) of {project} to stop", builds.len());
    poll(&what, STOP_WAIT, || async {
        Ok(running().await?.is_empty().then_some(()))
    })
    .await
}

/// Ask CodeBuild to stop a build; it ends STOPPED a few seconds later.
pub async fn stop_build(cb: &Client, id: &str) -> Result<(), AwsError> {
    cb.stop_build().id(id).send().await.aws()?;
    Ok(())
}

/// The console page of a build: what a user opens to read the whole log.
pub fn console_url(scope: &Scope, project: &str, build_id: &str) -> String {
    let id = build_id.replace(':', "%3A");
    format!(
        "https://{}/codesuite/codebuild/{}/projects/{project}/build/{id}/?region={}",
        scope.console_host(),
        scope.account,
        scope.region
    )
}

/// The name of every project in the region (for discovery).
pub async fn list_names(cb: &Client) -> Result<Vec<String>, AwsError> {
    let mut names = Vec::new();
    let mut pages = cb.list_projects().into_paginator().send();
    while let Some(page) = pages.next().await {
        names.extend(page.aws()?.projects().iter().cloned());
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::{retry_propagation, Backoff};
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    #[tokio::test(start_paused = true)]
    async fn create_project_waits_out_role_propagation() {
        let not_ready = r#"{"__type":"InvalidInputException","message":"CodeBuild is not authorized to perform: sts:AssumeRole on arn:aws:iam::123456789012:role/photosky-abc123-build"}"#;
        let rule = mock!(Client::create_project)
            .sequence()
            .http_status(400, Some(not_ready.into()))
            .times(2)
            .output(|| {
                aws_sdk_codebuild::operation::create_project::CreateProjectOutput::builder()
                    .project(
                        aws_sdk_codebuild::types::Project::builder()
                            .arn("arn:aws:codebuild:eu-west-1:123456789012:project/p")
                            .build(),
                    )
                    .build()
            })
            .build();
        let client = mock_client!(aws_sdk_codebuild, RuleMode::Sequential, &[&rule]);
        let spec = ProjectSpec {
            name: "p",
            stack: "photosky",
            role_arn: "arn:r",
            source_location: "b/k.zip",
            host: Arch::X86_64,
            variables: vec![],
        };
        let arn = retry_propagation(
            ROLE_PROPAGATION,
            Backoff::PROPAGATION,
            |_, _| {},
            || create(&client, &spec),
        )
        .await
        .unwrap();
        assert!(arn.ends_with("project/p"));
        assert_eq!(rule.num_calls(), 3);
    }

    #[tokio::test]
    async fn a_failed_build_reports_its_failing_phase() {
        use aws_sdk_codebuild::types::{
            Build, BuildPhase, BuildPhaseType, LogsLocation, PhaseContext, StatusType,
        };
        let rule = mock!(Client::batch_get_builds).then_output(|| {
            aws_sdk_codebuild::operation::batch_get_builds::BatchGetBuildsOutput::builder()
                .builds(
                    Build::builder()
                        .id("p:1")
                        .build_status(StatusType::Fault)
                        .current_phase("COMPLETED")
                        .phases(
                            BuildPhase::builder()
                                .phase_type(BuildPhaseType::Submitted)
                                .phase_status(StatusType::Succeeded)
                                .build(),
                        )
                        .phases(
                            BuildPhase::builder()
                                .phase_type(BuildPhaseType::Provisioning)
                                .phase_status(StatusType::Fault)
                                .contexts(
                                    PhaseContext::builder()
                                        .status_code("CLIENT_ERROR")
                                        .message("CLIENT_ERROR: cannot pull image")
                                        .build(),
                                )
                                .build(),
                        )
                        .logs(
                            LogsLocation::builder()
                                .group_name("/aws/codebuild/p")
                                .stream_name("1")
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let client = mock_client!(aws_sdk_codebuild, RuleMode::Sequential, &[&rule]);
        let s = find_build(&client, "p:1").await.unwrap().unwrap();
        assert!(s.done() && !s.succeeded());
        assert_eq!(s.status, StatusType::Fault);
        assert_eq!(
            s.failed_phase,
            Some((
                "PROVISIONING".into(),
                Some("CLIENT_ERROR: cannot pull image".into())
            ))
        );
        assert_eq!(s.log_group.as_deref(), Some("/aws/codebuild/p"));
        assert!(!s.denied_during_setup(), "CLIENT_ERROR is the build's own");
    }

    #[test]
    fn access_denied_counts_as_the_role_only_before_the_buildspec_runs() {
        let status = |phase: &str, code: &str| {
            BuildStatus {
            id: "p:1".into(),
            status: "FAILED".into(),
            current_phase: "COMPLETED".into(),
            failed_phase: Some((phase.into(), Some("ACCESS_DENIED: Service role ... does not allow AWS CodeBuild to create Amazon CloudWatch Logs log streams".into()))),
            failed_codes: vec![code.into()],
            log_group: None,
            log_stream: None,
            tag: None,
        }
        };
        assert!(status("PROVISIONING", "ACCESS_DENIED").denied_during_setup());
        assert!(status("DOWNLOAD_SOURCE", "ACCESS_DENIED").denied_during_setup());
        // In the build itself it is the build's business (a push refused).
        assert!(!status("POST_BUILD", "ACCESS_DENIED").denied_during_setup());
        assert!(!status("PROVISIONING", "CLIENT_ERROR").denied_during_setup());
    }
}
