//! Step `repository`: the ECR repository the build pushes the image to,
//! with a lifecycle policy that keeps the newest images (`ecr::KEEP_IMAGES`).
//! Reads no other step.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::owner::{self, Owner};
use super::{fingerprint, Cx, Deletion, Inspection, ListedAs, Outcome, Recorded, Step, StepErr};
use crate::aws::{AwsError, Clients};
use crate::error::Result;
use crate::resources::ecr;

pub struct Repository;
pub const REPOSITORY: Repository = Repository;

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub arn: String,
    /// The function's image is `<uri>@<digest>`.
    #[serde(rename = "id")]
    pub uri: String,
    /// The lifecycle policy's fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<String>,
}

impl Recorded for Repository {
    type Record = Record;
}

#[async_trait(?Send)]
impl Step for Repository {
    fn key(&self) -> &'static str {
        "repository"
    }

    fn title(&self) -> &'static str {
        "ECR repository"
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        cx.names().repository.clone()
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        let (ecr_client, name) = (&cx.clients().ecr, self.name(cx));
        let (repo, outcome) = match ecr::find(ecr_client, &name).await.on(cx, "finding")? {
            Some(r) => (r, Outcome::Exists),
            None => {
                let made = ecr::create(ecr_client, &name, &cx.stack.name).await;
                let found = || ecr::find(ecr_client, &name);
                (
                    owner::created_or_found(cx, made, found).await?,
                    Outcome::Created,
                )
            }
        };
        let policy = ecr::lifecycle_policy();
        let fp = fingerprint(&[&policy]);
        let own = cx.own::<Record>();
        let applied = own.as_ref().and_then(|r| r.applied.clone());
        if own.as_ref().map(|r| r.arn.as_str()) == Some(repo.arn.as_str())
            && applied.as_deref() == Some(fp.as_str())
        {
            return Ok(outcome);
        }
        ecr::put_lifecycle_policy(ecr_client, &name, &policy)
            .await
            .on(cx, "setting the lifecycle policy of")?;
        cx.record(&Record {
            arn: repo.arn,
            uri: repo.uri,
            applied: Some(fp),
        })?;
        // A record of the repository without one of its policy is an
        // older photosky's: its policy was put too.
        Ok(outcome.reapplied(applied.as_deref(), own.is_some(), "lifecycle policy"))
    }

    /// Ours if it carries the stack's tag.
    async fn owner(&self, cx: &Cx<'_>) -> Result<Owner> {
        cx.tagged(ecr::stack_tag(&cx.clients().ecr, &self.name(cx)))
            .await
    }

    /// Its images go with it (force).
    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        cx.deleted(ecr::delete(&cx.clients().ecr, &self.name(cx)))
            .await
    }

    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let r = ecr::find(&cx.clients().ecr, &self.name(cx))
            .await
            .on(cx, "inspecting")?;
        Ok(Inspection::found(cx, r.is_some()).detail(r.map(|r| r.uri)))
    }

    fn listed_as(&self) -> Option<ListedAs> {
        Some(ListedAs::regional("ECR repository", "ECR repositories"))
    }

    async fn list_names(
        &self,
        clients: &Clients,
        _stack: Option<&str>,
    ) -> std::result::Result<Vec<String>, AwsError> {
        ecr::list_names(&clients.ecr).await
    }
}
