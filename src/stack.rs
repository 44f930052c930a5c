//! What each plan step does to one stack: `ensure` (find, else create;
//! re-apply configuration that changed), `delete`, and `inspect`. Every
//! resource is found by the name recorded in the state file before it was
//! created, so a run that crashed after a create but before recording it is
//! adopted, not duplicated.

use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::aws::{retry_propagation, AwsError, AwsErrorResultExt, Backoff, Clients};
use crate::bundle::Bundle;
use crate::error::{Error, Result};
use crate::fault;
use crate::plan::{self, StepId};
use crate::progress::Progress;
use crate::resources::policies::{self, Scope};
use crate::resources::{api, bucket, codebuild, ecr, function, log_group, notification, role};
use crate::state::{Record, State, StateStore};

const S3_PERMISSION_SID: &str = "photosky-s3";
const API_PERMISSION_SID: &str = "photosky-apigw";

/// How a build is polled: it takes minutes on AWS; the first answer comes fast.
const BUILD_POLL: Backoff = Backoff {
    first: Duration::from_millis(500),
    cap: Duration::from_secs(10),
    max_wait: Duration::from_secs(45 * 60),
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Exists,
    Updated(String),
    /// Made by AWS when first needed (log groups).
    ByAws,
}

impl Outcome {
    pub fn describe(&self) -> String {
        match self {
            Outcome::Created => "created".into(),
            Outcome::Exists => "up to date".into(),
            Outcome::Updated(what) => format!("updated ({what})"),
            Outcome::ByAws => "made by AWS on first use".into(),
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
}

/// What `status` reports of one step.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub exists: bool,
    pub healthy: bool,
    pub name: String,
    pub detail: Option<String>,
}

pub struct Stack<'a> {
    pub clients: &'a Clients,
    pub store: &'a StateStore,
    pub state: State,
    pub bundle: Bundle,
    pub progress: Progress,
}

/// Progress line for a propagation retry.
fn retry_note<'p>(progress: &'p mut Progress, what: &str) -> impl FnMut(&AwsError, Duration) + 'p {
    let what = what.to_owned();
    move |e, waited| {
        progress.update(format!(
            "{what}: AWS has not propagated the new permission yet ({}), retrying ({:.0}s)",
            e.code(),
            waited.as_secs_f64()
        ))
    }
}

fn fingerprint(parts: &[&str]) -> String {
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

impl<'a> Stack<'a> {
    pub fn scope(&self) -> Scope {
        Scope {
            partition: self.state.partition.clone().unwrap_or_else(|| "aws".into()),
            region: self.state.region.clone(),
            account: self.state.account.clone().unwrap_or_default(),
        }
    }

    fn applied(&self, id: StepId) -> Option<&str> {
        self.state
            .record(plan::get(id).key)
            .and_then(|r| r.applied.as_deref())
    }

    fn recorded(&self, id: StepId) -> Option<&Record> {
        self.state.record(plan::get(id).key)
    }

    /// Record what a step made, and save at once. The crash-injection point
    /// sits just before the save: AWS has the resource, the file does not.
    pub fn record(&mut self, id: StepId, record: Record) -> Result<()> {
        let key = plan::get(id).key;
        fault::crash_point(key);
        self.state.resources.insert(key.into(), record);
        self.store.save(&self.state)
    }

    pub fn forget(&mut self, id: StepId) -> Result<()> {
        if self.state.resources.remove(plan::get(id).key).is_some() {
            self.store.save(&self.state)?;
        }
        Ok(())
    }

    /// The resource name a step is about, for messages.
    pub fn resource_name(&self, id: StepId) -> String {
        let n = &self.state.names;
        match id {
            StepId::Repository => n.repository.clone(),
            StepId::BuildRole => n.build_role.clone(),
            StepId::ArtifactsBucket => n.artifacts_bucket.clone(),
            StepId::BuildSource => format!("s3://{}/{}", n.artifacts_bucket, self.source_key()),
            StepId::BuildLogs => format!("/aws/codebuild/{}", n.project),
            StepId::Project => n.project.clone(),
            StepId::Image => format!("{}:{}", n.repository, self.bundle.image_tag()),
            StepId::FunctionRole => n.function_role.clone(),
            StepId::SourceBucket => n.source_bucket.clone(),
            StepId::DestBucket => n.dest_bucket.clone(),
            StepId::FunctionLogs => format!("/aws/lambda/{}", n.function),
            StepId::Function => n.function.clone(),
            StepId::S3Permission => format!("{} {S3_PERMISSION_SID}", n.function),
            StepId::Notification => format!("{} -> {}", n.source_bucket, n.function),
            StepId::RestApi => match self.recorded(id).and_then(|r| r.id.clone()) {
                Some(api_id) => format!("{} ({api_id})", n.api),
                None => n.api.clone(),
            },
            StepId::ApiStage => format!("{} stage {}", n.api, api::STAGE),
            StepId::ApiPermission => format!("{} {API_PERMISSION_SID}", n.function),
        }
    }

    fn source_key(&self) -> String {
        format!("{}{}.zip", policies::SOURCE_PREFIX, self.bundle.image_tag())
    }

    fn function_environment(&self) -> Vec<(String, String)> {
        let n = &self.state.names;
        let s = &self.state.settings;
        let mut env = vec![
            ("SOURCE_BUCKET".to_owned(), n.source_bucket.clone()),
            ("DEST_BUCKET".to_owned(), n.dest_bucket.clone()),
            ("UPLOAD_PREFIX".to_owned(), s.upload_prefix.clone()),
            ("CORS_ORIGINS".to_owned(), s.cors_origins.join(",")),
        ];
        env.sort();
        env
    }

    // ---------------------------------------------------------------- up

    pub async fn ensure(&mut self, id: StepId) -> Result<Outcome> {
        let step = plan::get(id);
        let name = self.resource_name(id);
        let c = self.clients;
        let action = |verb: &str| format!("{verb} {}", step.title);
        match id {
            StepId::Repository => {
                let (repo, outcome) = match ecr::find(&c.ecr, &name)
                    .await
                    .ctx(&action("finding"), &name)?
                {
                    Some(r) => (r, Outcome::Exists),
                    None => (
                        ecr::create(&c.ecr, &name, &self.state.stack)
                            .await
                            .ctx(&action("creating"), &name)?,
                        Outcome::Created,
                    ),
                };
                if self.recorded(id).and_then(|r| r.arn.as_deref()) != Some(repo.arn.as_str()) {
                    self.record(
                        id,
                        Record {
                            arn: Some(repo.arn),
                            id: Some(repo.uri),
                            applied: None,
                        },
                    )?;
                }
                Ok(outcome)
            }
            StepId::BuildRole | StepId::FunctionRole => {
                let (service, description, document) = if id == StepId::BuildRole {
                    (
                        "codebuild.amazonaws.com",
                        "CodeBuild builds the PhotoSky image (photosky)",
                        policies::build_role(&self.scope(), &self.state.names),
                    )
                } else {
                    let prefix = self.state.settings.upload_prefix.clone();
                    (
                        "lambda.amazonaws.com",
                        "The PhotoSky function (photosky)",
                        policies::function_role(&self.scope(), &self.state.names, &prefix),
                    )
                };
                let (arn, mut outcome) = match role::find(&c.iam, &name)
                    .await
                    .ctx(&action("finding"), &name)?
                {
                    Some(arn) => (arn, Outcome::Exists),
                    None => {
                        let arn = role::create(
                            &c.iam,
                            &name,
                            &policies::trust(service),
                            &self.state.stack,
                            description,
                        )
                        .await
                        .ctx(&action("creating"), &name)?;
                        role::wait_exists(&c.iam, &name)
                            .await
                            .ctx(&action("waiting for"), &name)?;
                        (arn, Outcome::Created)
                    }
                };
                let fp = fingerprint(&[&document]);
                if self.applied(id) != Some(fp.as_str()) || outcome == Outcome::Created {
                    role::put_policy(&c.iam, &name, &document)
                        .await
                        .ctx(&action("putting the inline policy of"), &name)?;
                    if outcome == Outcome::Exists && self.applied(id).is_some() {
                        outcome = Outcome::Updated("policy".into());
                    }
                    self.record(
                        id,
                        Record {
                            arn: Some(arn),
                            id: None,
                            applied: Some(fp),
                        },
                    )?;
                }
                Ok(outcome)
            }
            StepId::ArtifactsBucket | StepId::SourceBucket | StepId::DestBucket => {
                self.ensure_bucket(id, &name).await
            }
            StepId::BuildSource => {
                let bucket_name = self.state.names.artifacts_bucket.clone();
                let key = self.source_key();
                let outcome = if bucket::find_object(&c.s3, &bucket_name, &key)
                    .await
                    .ctx(&action("finding"), &name)?
                {
                    Outcome::Exists
                } else {
                    bucket::put_object(&c.s3, &bucket_name, &key, self.bundle.zip())
                        .await
                        .ctx(&action("uploading"), &name)?;
                    Outcome::Created
                };
                if self.recorded(id).and_then(|r| r.id.as_deref()) != Some(key.as_str()) {
                    self.record(
                        id,
                        Record {
                            id: Some(key),
                            ..Default::default()
                        },
                    )?;
                }
                Ok(outcome)
            }
            StepId::BuildLogs | StepId::FunctionLogs => Ok(Outcome::ByAws),
            StepId::Project => {
                if let Some(arn) = codebuild::find_project(&c.codebuild, &name)
                    .await
                    .ctx(&action("finding"), &name)?
                {
                    if self.recorded(id).is_none() {
                        self.record(
                            id,
                            Record {
                                arn: Some(arn),
                                ..Default::default()
                            },
                        )?;
                    }
                    return Ok(Outcome::Exists);
                }
                let names = self.state.names.clone();
                let repo_uri = self
                    .recorded(StepId::Repository)
                    .and_then(|r| r.id.clone())
                    .unwrap_or_default();
                let role_arn = self
                    .recorded(StepId::BuildRole)
                    .and_then(|r| r.arn.clone())
                    .unwrap_or_default();
                let source_location = format!("{}/{}", names.artifacts_bucket, self.source_key());
                let spec = codebuild::ProjectSpec {
                    name: &name,
                    stack: &self.state.stack.clone(),
                    role_arn: &role_arn,
                    source_location: &source_location,
                    variables: vec![
                        ("AWS_ACCOUNT_ID", self.scope().account),
                        ("AWS_REGION", self.scope().region),
                        ("REPOSITORY_NAME", names.repository.clone()),
                        ("REPOSITORY_URI", repo_uri),
                        ("IMAGE_TAG", self.bundle.image_tag()),
                    ],
                };
                let note = retry_note(&mut self.progress, "creating the CodeBuild project");
                let arn = retry_propagation(
                    codebuild::ROLE_PROPAGATION,
                    Backoff::PROPAGATION,
                    note,
                    || codebuild::create_project(&c.codebuild, &spec),
                )
                .await
                .ctx(&action("creating"), &name)?;
                self.record(
                    id,
                    Record {
                        arn: Some(arn),
                        ..Default::default()
                    },
                )?;
                Ok(Outcome::Created)
            }
            StepId::Image => self.ensure_image(&name).await,
            StepId::Function => self.ensure_function(&name).await,
            StepId::S3Permission | StepId::ApiPermission => {
                let function_name = self.state.names.function.clone();
                let scope = self.scope();
                let (sid, principal, source_arn, source_account) = if id == StepId::S3Permission {
                    (
                        S3_PERMISSION_SID,
                        "s3.amazonaws.com",
                        scope.bucket_arn(&self.state.names.source_bucket),
                        Some(scope.account.clone()),
                    )
                } else {
                    let api_id = self
                        .recorded(StepId::RestApi)
                        .and_then(|r| r.id.clone())
                        .unwrap_or_default();
                    // Any stage, method and path of this one API.
                    (
                        API_PERMISSION_SID,
                        "apigateway.amazonaws.com",
                        scope.arn("execute-api", &format!("{api_id}/*")),
                        None,
                    )
                };
                let exists = function::find_permission(&c.lambda, &function_name, sid)
                    .await
                    .ctx(&action("finding"), &name)?;
                let current = self.applied(id) == Some(source_arn.as_str());
                if exists && (current || self.applied(id).is_none()) {
                    if !current {
                        self.record(
                            id,
                            Record {
                                applied: Some(source_arn),
                                ..Default::default()
                            },
                        )?;
                    }
                    return Ok(Outcome::Exists);
                }
                if exists {
                    // It names an API or bucket that is no longer ours.
                    function::remove_permission(&c.lambda, &function_name, sid)
                        .await
                        .ctx(&action("replacing"), &name)?;
                }
                let spec = function::PermissionSpec {
                    function: &function_name,
                    sid,
                    principal,
                    source_arn: &source_arn,
                    source_account: source_account.as_deref(),
                };
                function::add_permission(&c.lambda, &spec)
                    .await
                    .ctx(&action("adding"), &name)?;
                self.record(
                    id,
                    Record {
                        applied: Some(source_arn),
                        ..Default::default()
                    },
                )?;
                Ok(if exists {
                    Outcome::Updated("source".into())
                } else {
                    Outcome::Created
                })
            }
            StepId::Notification => {
                let bucket_name = self.state.names.source_bucket.clone();
                let function_arn = self
                    .recorded(StepId::Function)
                    .and_then(|r| r.arn.clone())
                    .unwrap_or_default();
                let prefix = self.state.settings.upload_prefix.clone();
                let fp = fingerprint(&[&function_arn, &prefix]);
                let current = notification::find(&c.s3, &bucket_name)
                    .await
                    .ctx(&action("finding"), &name)?;
                if current.as_deref() == Some(function_arn.as_str())
                    && self.applied(id).is_none_or(|a| a == fp)
                {
                    if self.applied(id).is_none() {
                        self.record(
                            id,
                            Record {
                                applied: Some(fp),
                                ..Default::default()
                            },
                        )?;
                    }
                    return Ok(Outcome::Exists);
                }
                let note = retry_note(&mut self.progress, "configuring the upload notification");
                retry_propagation(
                    notification::PERMISSION_PROPAGATION,
                    Backoff::PROPAGATION,
                    note,
                    || notification::put(&c.s3, &bucket_name, &function_arn, &prefix),
                )
                .await
                .ctx(&action("configuring"), &name)?;
                self.record(
                    id,
                    Record {
                        applied: Some(fp),
                        ..Default::default()
                    },
                )?;
                Ok(if current.is_some() {
                    Outcome::Updated("target".into())
                } else {
                    Outcome::Created
                })
            }
            StepId::RestApi => {
                let api_name = self.state.names.api.clone();
                let recorded_id = self.recorded(id).and_then(|r| r.id.clone());
                let mut found = None;
                if let Some(api_id) = recorded_id {
                    if api::find(&c.apigateway, &api_id)
                        .await
                        .ctx(&action("finding"), &name)?
                    {
                        found = Some(api_id);
                    }
                }
                if found.is_none() {
                    found = api::find_by_name(&c.apigateway, &api_name)
                        .await
                        .ctx(&action("finding"), &name)?;
                }
                let (api_id, mut outcome) = match found {
                    Some(api_id) => (api_id, Outcome::Exists),
                    None => {
                        let api_id = api::create(&c.apigateway, &api_name, &self.state.stack)
                            .await
                            .ctx(&action("creating"), &name)?;
                        // Recorded before it is configured: the id is the only
                        // handle on it.
                        self.record(
                            id,
                            Record {
                                id: Some(api_id.clone()),
                                ..Default::default()
                            },
                        )?;
                        (api_id, Outcome::Created)
                    }
                };
                let scope = self.scope();
                let function_arn = self
                    .recorded(StepId::Function)
                    .and_then(|r| r.arn.clone())
                    .unwrap_or_default();
                let uri = api::invoke_uri(&scope.partition, &scope.region, &function_arn);
                let fp = fingerprint(&[&uri]);
                let rec = self.recorded(id).cloned().unwrap_or_default();
                if rec.id.as_deref() != Some(api_id.as_str())
                    || rec.applied.as_deref() != Some(fp.as_str())
                {
                    api::configure(&c.apigateway, &api_id, &uri)
                        .await
                        .ctx(&action("configuring"), &name)?;
                    if outcome == Outcome::Exists && rec.applied.is_some() {
                        outcome = Outcome::Updated("integration".into());
                    }
                    self.record(
                        id,
                        Record {
                            id: Some(api_id),
                            arn: None,
                            applied: Some(fp),
                        },
                    )?;
                }
                Ok(outcome)
            }
            StepId::ApiStage => {
                let api_id = self
                    .recorded(StepId::RestApi)
                    .and_then(|r| r.id.clone())
                    .unwrap_or_default();
                let want = self.applied(StepId::RestApi).unwrap_or_default().to_owned();
                let deployed = api::find_stage(&c.apigateway, &api_id)
                    .await
                    .ctx(&action("finding"), &name)?;
                if deployed.is_some() && self.applied(id) == Some(want.as_str()) {
                    return Ok(Outcome::Exists);
                }
                let deployment = api::deploy(&c.apigateway, &api_id)
                    .await
                    .ctx(&action("deploying"), &name)?;
                self.record(
                    id,
                    Record {
                        id: Some(deployment),
                        arn: None,
                        applied: Some(want),
                    },
                )?;
                Ok(if deployed.is_some() {
                    Outcome::Updated("redeployed".into())
                } else {
                    Outcome::Created
                })
            }
        }
    }

    async fn ensure_bucket(&mut self, id: StepId, name: &str) -> Result<Outcome> {
        let c = self.clients;
        let title = plan::get(id).title;
        let scope = self.scope();
        let tls = policies::bucket_tls_only(&scope, name);
        let cors = if id == StepId::ArtifactsBucket {
            None
        } else {
            Some(self.state.settings.cors_origins.clone())
        };
        // The methods too, so a stack made with other methods is corrected.
        let cors_fp = cors
            .as_ref()
            .map(|o| format!("{} {}", o.join(","), bucket::CORS_METHODS.join(",")))
            .unwrap_or_default();
        let fp = fingerprint(&[&tls, &self.state.stack, &cors_fp]);
        let mut outcome = if bucket::find(&c.s3, name)
            .await
            .ctx(&format!("finding {title}"), name)?
        {
            Outcome::Exists
        } else {
            bucket::create(&c.s3, name, &scope.region)
                .await
                .ctx(&format!("creating {title}"), name)?;
            bucket::wait_exists(&c.s3, name)
                .await
                .ctx(&format!("waiting for {title}"), name)?;
            Outcome::Created
        };
        if outcome == Outcome::Created || self.applied(id) != Some(fp.as_str()) {
            bucket::secure(&c.s3, name, &tls, &self.state.stack)
                .await
                .ctx(&format!("securing {title}"), name)?;
            if let Some(origins) = &cors {
                bucket::put_cors(&c.s3, name, origins)
                    .await
                    .ctx(&format!("setting CORS on {title}"), name)?;
            }
            if outcome == Outcome::Exists && self.applied(id).is_some() {
                outcome = Outcome::Updated("CORS and policy".into());
            }
            self.record(
                id,
                Record {
                    arn: Some(scope.bucket_arn(name)),
                    id: None,
                    applied: Some(fp),
                },
            )?;
        }
        Ok(outcome)
    }

    async fn ensure_image(&mut self, name: &str) -> Result<Outcome> {
        let c = self.clients;
        let names = self.state.names.clone();
        let tag = self.bundle.image_tag();
        let finding = "finding the function image";
        if let Some(digest) = ecr::find_image(&c.ecr, &names.repository, &tag)
            .await
            .ctx(finding, name)?
        {
            if self.applied(StepId::Image) != Some(tag.as_str()) {
                self.record(
                    StepId::Image,
                    Record {
                        id: Some(digest),
                        arn: None,
                        applied: Some(tag),
                    },
                )?;
            }
            return Ok(Outcome::Exists);
        }
        // A build of this source that a crashed run started: wait for it
        // rather than start a second.
        let pending = self
            .state
            .resources
            .get("build")
            .filter(|r| r.applied.as_deref() == Some(tag.as_str()))
            .and_then(|r| r.id.clone());
        let mut build_id = None;
        if let Some(id) = pending {
            let status = codebuild::build_status(&c.codebuild, &id)
                .await
                .ctx("checking the build", &id)?;
            if status.is_some_and(|s| !s.done()) {
                self.progress
                    .update(format!("resuming the wait for build {id}"));
                build_id = Some(id);
            }
        }
        let build_id = match build_id {
            Some(id) => id,
            None => {
                let location = format!("{}/{}", names.artifacts_bucket, self.source_key());
                let id = codebuild::start_build(&c.codebuild, &names.project, &location, &tag)
                    .await
                    .ctx("starting a build of", &names.project)?;
                self.state.resources.insert(
                    "build".into(),
                    Record {
                        id: Some(id.clone()),
                        arn: None,
                        applied: Some(tag.clone()),
                    },
                );
                self.store.save(&self.state)?;
                id
            }
        };
        let progress = &mut self.progress;
        let what = format!("CodeBuild build {build_id}");
        let status = crate::aws::poll(&what, BUILD_POLL, || async {
            let s = codebuild::build_status(&c.codebuild, &build_id)
                .await
                .ctx("checking the build", &build_id)?;
            let s = s.ok_or_else(|| {
                Error::Unexpected(format!("CodeBuild does not know build {build_id}"))
            })?;
            Ok(if s.done() { Some(s) } else { None })
        });
        progress.update(format!(
            "building image {}:{tag} (build {build_id})",
            names.repository
        ));
        let status = status.await?;
        if !status.succeeded() {
            return Err(self.build_failure(&status).await);
        }
        let digest = ecr::find_image(&c.ecr, &names.repository, &tag).await.ctx(finding, name)?.ok_or_else(|| {
            Error::Unexpected(format!(
                "build {build_id} succeeded but ECR has no image {}:{tag}; check that buildspec.yml pushes $IMAGE_TAG",
                names.repository
            ))
        })?;
        self.record(
            StepId::Image,
            Record {
                id: Some(digest),
                arn: None,
                applied: Some(tag),
            },
        )?;
        Ok(Outcome::Created)
    }

    async fn build_failure(&mut self, status: &codebuild::BuildStatus) -> Error {
        let log_tail = match (&status.log_group, &status.log_stream) {
            (Some(g), Some(s)) => log_group::tail(&self.clients.logs, g, s, 20)
                .await
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let (phase, reason) = status
            .failed_phase
            .clone()
            .unwrap_or((status.current_phase.clone(), None));
        let scope = self.scope();
        Error::BuildFailed {
            build_id: status.id.clone(),
            status: status.status.clone(),
            phase,
            reason,
            log_tail,
            console_url: codebuild::console_url(
                &scope.region,
                &scope.account,
                &self.state.names.project,
                &status.id,
            ),
        }
    }

    async fn ensure_function(&mut self, name: &str) -> Result<Outcome> {
        let c = self.clients;
        let repo_uri = self
            .recorded(StepId::Repository)
            .and_then(|r| r.id.clone())
            .unwrap_or_default();
        let digest = self
            .recorded(StepId::Image)
            .and_then(|r| r.id.clone())
            .unwrap_or_default();
        let image_uri = format!("{repo_uri}@{digest}");
        let role_arn = self
            .recorded(StepId::FunctionRole)
            .and_then(|r| r.arn.clone())
            .unwrap_or_default();
        let settings = self.state.settings.clone();
        let spec = function::FunctionSpec {
            name,
            stack: &self.state.stack.clone(),
            role_arn: &role_arn,
            image_uri: &image_uri,
            memory_mb: settings.memory_mb,
            timeout_s: settings.timeout_s,
            environment: self.function_environment(),
        };
        let outcome;
        let arn;
        match function::find(&c.lambda, name)
            .await
            .ctx("finding Lambda function", name)?
        {
            None => {
                let note = retry_note(&mut self.progress, "creating the function");
                arn = retry_propagation(
                    function::ROLE_PROPAGATION,
                    Backoff::PROPAGATION,
                    note,
                    || function::create(&c.lambda, &spec),
                )
                .await
                .ctx("creating Lambda function", name)?;
                self.progress
                    .update(format!("waiting for {name} to be Active"));
                function::wait_active(&c.lambda, name)
                    .await
                    .ctx("waiting for Lambda function to be Active", name)?;
                outcome = Outcome::Created;
            }
            Some(current) => {
                let mut changed = Vec::new();
                if current.image_uri.as_deref() != Some(image_uri.as_str()) {
                    self.progress
                        .update(format!("updating {name} to image {digest}"));
                    function::update_code(&c.lambda, name, &image_uri)
                        .await
                        .ctx("updating the code of Lambda function", name)?;
                    function::wait_updated(&c.lambda, name)
                        .await
                        .ctx("waiting for the update of Lambda function", name)?;
                    changed.push("image");
                }
                if current.memory_mb != Some(spec.memory_mb)
                    || current.timeout_s != Some(spec.timeout_s)
                    || current.environment != spec.environment
                {
                    function::update_configuration(&c.lambda, &spec)
                        .await
                        .ctx("updating the configuration of Lambda function", name)?;
                    function::wait_updated(&c.lambda, name)
                        .await
                        .ctx("waiting for the update of Lambda function", name)?;
                    changed.push("configuration");
                }
                if changed.is_empty() && current.state.as_deref() != Some("Active") {
                    function::wait_active(&c.lambda, name)
                        .await
                        .ctx("waiting for Lambda function to be Active", name)?;
                }
                arn = current.arn;
                outcome = if changed.is_empty() {
                    Outcome::Exists
                } else {
                    Outcome::Updated(changed.join(", "))
                };
            }
        }
        let fp = fingerprint(&[
            &image_uri,
            &settings.memory_mb.to_string(),
            &settings.timeout_s.to_string(),
        ]);
        if outcome != Outcome::Exists || self.applied(StepId::Function) != Some(fp.as_str()) {
            self.record(
                StepId::Function,
                Record {
                    arn: Some(arn),
                    id: None,
                    applied: Some(fp),
                },
            )?;
        }
        Ok(outcome)
    }

    // -------------------------------------------------------------- down

    /// Delete one step's resource. NotFound is success: `AlreadyGone`.
    pub async fn delete(&mut self, id: StepId) -> Result<Deletion> {
        let c = self.clients;
        let n = self.state.names.clone();
        let name = self.resource_name(id);
        let action = format!("deleting {}", plan::get(id).title);
        fault::delete_failure(plan::get(id).key).ctx(&action, &name)?;
        let gone = match id {
            StepId::ApiPermission => {
                function::remove_permission(&c.lambda, &n.function, API_PERMISSION_SID).await
            }
            StepId::S3Permission => {
                function::remove_permission(&c.lambda, &n.function, S3_PERMISSION_SID).await
            }
            StepId::ApiStage | StepId::Image | StepId::BuildSource => {
                let parent = match id {
                    StepId::ApiStage => StepId::RestApi,
                    StepId::Image => StepId::Repository,
                    _ => StepId::ArtifactsBucket,
                };
                self.forget(id)?;
                return Ok(Deletion::WithParent(plan::get(parent).title));
            }
            StepId::RestApi => {
                let mut api_id = self.recorded(id).and_then(|r| r.id.clone());
                if api_id.is_none() {
                    api_id = api::find_by_name(&c.apigateway, &n.api)
                        .await
                        .ctx(&action, &name)?;
                }
                match api_id {
                    Some(api_id) => api::delete(&c.apigateway, &api_id).await,
                    None => Ok(false),
                }
            }
            StepId::Notification => notification::delete(&c.s3, &n.source_bucket).await,
            StepId::Function => function::delete(&c.lambda, &n.function).await,
            StepId::FunctionLogs | StepId::BuildLogs => log_group::delete(&c.logs, &name).await,
            StepId::SourceBucket | StepId::DestBucket | StepId::ArtifactsBucket => {
                bucket::delete(&c.s3, &name).await
            }
            StepId::FunctionRole | StepId::BuildRole => role::delete(&c.iam, &name).await,
            StepId::Project => codebuild::delete_project(&c.codebuild, &name).await,
            StepId::Repository => ecr::delete(&c.ecr, &name).await,
        }
        .ctx(&action, &name)?;
        if id == StepId::Project {
            self.state.resources.remove("build");
        }
        self.forget(id)?;
        Ok(if gone {
            Deletion::Deleted
        } else {
            Deletion::AlreadyGone
        })
    }

    // ------------------------------------------------------------ status

    pub async fn inspect(&mut self, id: StepId) -> Result<Inspection> {
        let c = self.clients;
        let n = self.state.names.clone();
        let name = self.resource_name(id);
        let action = format!("inspecting {}", plan::get(id).title);
        let mut healthy = None;
        let mut shown = name.clone();
        let (exists, detail) = match id {
            StepId::Repository => {
                let r = ecr::find(&c.ecr, &name).await.ctx(&action, &name)?;
                (r.is_some(), r.map(|r| r.uri))
            }
            StepId::BuildRole | StepId::FunctionRole => {
                let arn = role::find(&c.iam, &name).await.ctx(&action, &name)?;
                if let Some(a) = &arn {
                    shown = a.clone();
                }
                (arn.is_some(), None)
            }
            StepId::ArtifactsBucket | StepId::SourceBucket | StepId::DestBucket => {
                (bucket::find(&c.s3, &name).await.ctx(&action, &name)?, None)
            }
            StepId::BuildSource => {
                let key = self
                    .recorded(id)
                    .and_then(|r| r.id.clone())
                    .unwrap_or_else(|| self.source_key());
                shown = format!("s3://{}/{key}", n.artifacts_bucket);
                (
                    bucket::find_object(&c.s3, &n.artifacts_bucket, &key)
                        .await
                        .ctx(&action, &name)?,
                    None,
                )
            }
            StepId::BuildLogs | StepId::FunctionLogs => {
                let e = log_group::exists(&c.logs, &name)
                    .await
                    .ctx(&action, &name)?;
                (e, (!e).then(|| "not yet written".to_owned()))
            }
            StepId::Project => {
                let arn = codebuild::find_project(&c.codebuild, &name)
                    .await
                    .ctx(&action, &name)?;
                let build = self.state.resources.get("build").and_then(|r| r.id.clone());
                let mut detail = None;
                if let (Some(_), Some(b)) = (&arn, build) {
                    if let Some(s) = codebuild::build_status(&c.codebuild, &b)
                        .await
                        .ctx(&action, &name)?
                    {
                        detail = Some(format!("last build {} {}", s.id, s.status));
                        healthy = Some(s.status != "FAILED" && s.status != "FAULT");
                    }
                }
                (arn.is_some(), detail)
            }
            StepId::Image => {
                let tag = self
                    .applied(id)
                    .map(str::to_owned)
                    .unwrap_or_else(|| self.bundle.image_tag());
                shown = format!("{}:{tag}", n.repository);
                let digest = ecr::find_image(&c.ecr, &n.repository, &tag)
                    .await
                    .ctx(&action, &name)?;
                if digest.is_some() && tag != self.bundle.image_tag() {
                    healthy = Some(true);
                    (
                        true,
                        Some(format!(
                            "{} (this photosky has newer source: run `photosky up`)",
                            digest.unwrap_or_default()
                        )),
                    )
                } else {
                    (digest.is_some(), digest)
                }
            }
            StepId::Function => {
                let f = function::find(&c.lambda, &name).await.ctx(&action, &name)?;
                match f {
                    Some(f) => {
                        shown = f.arn.clone();
                        healthy = Some(
                            f.state.as_deref() == Some("Active")
                                && f.last_update.as_deref() != Some("Failed"),
                        );
                        let state = f.state.unwrap_or_else(|| "unknown".into());
                        (
                            true,
                            Some(format!(
                                "state {state}, {} MB, {} s",
                                f.memory_mb.unwrap_or(0),
                                f.timeout_s.unwrap_or(0)
                            )),
                        )
                    }
                    None => (false, None),
                }
            }
            StepId::S3Permission => (
                function::find_permission(&c.lambda, &n.function, S3_PERMISSION_SID)
                    .await
                    .ctx(&action, &name)?,
                None,
            ),
            StepId::ApiPermission => (
                function::find_permission(&c.lambda, &n.function, API_PERMISSION_SID)
                    .await
                    .ctx(&action, &name)?,
                None,
            ),
            StepId::Notification => {
                let target = notification::find(&c.s3, &n.source_bucket)
                    .await
                    .ctx(&action, &name)?;
                let prefix = &self.state.settings.upload_prefix;
                (
                    target.is_some(),
                    Some(format!("ObjectCreated under {prefix}")),
                )
            }
            StepId::RestApi => match self.recorded(id).and_then(|r| r.id.clone()) {
                Some(api_id) => {
                    let e = api::find(&c.apigateway, &api_id)
                        .await
                        .ctx(&action, &name)?;
                    (e, Some(api::url(&api_id, &self.state.region)))
                }
                None => (false, None),
            },
            StepId::ApiStage => match self.recorded(StepId::RestApi).and_then(|r| r.id.clone()) {
                Some(api_id) => {
                    let d = api::find_stage(&c.apigateway, &api_id)
                        .await
                        .ctx(&action, &name)?;
                    (d.is_some(), d.map(|d| format!("deployment {d}")))
                }
                None => (false, None),
            },
        };
        Ok(Inspection {
            exists,
            healthy: exists && healthy.unwrap_or(true),
            name: shown,
            detail,
        })
    }
}
