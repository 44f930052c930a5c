//! Steps `build-role` and `function-role`: the IAM roles CodeBuild and the
//! function run as, under `role::PATH`, each with one least-privilege
//! inline policy (the documents are in `resources/policies.rs`). Reads no
//! other step: the policies name resources by their planned names.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::owner::{self, Owner};
use super::{fingerprint, Cx, Deletion, Inspection, ListedAs, Outcome, Recorded, Step, StepErr};
use crate::aws::{AwsError, Clients};
use crate::error::Result;
use crate::resources::{policies, role};
use crate::state::Names;

/// A role: who may assume it, and what it may do.
pub struct Role {
    key: &'static str,
    title: &'static str,
    name: fn(&Names) -> &str,
    description: &'static str,
    /// The service that assumes it.
    service: &'static str,
    /// Only on behalf of this stack's CodeBuild project (`aws:SourceArn`).
    for_project: bool,
    policy: fn(&Cx<'_>) -> String,
}

pub const BUILD_ROLE: Role = Role {
    key: "build-role",
    title: "CodeBuild service role",
    name: |n| &n.build_role,
    description: "CodeBuild builds the PhotoSky image (photosky)",
    service: "codebuild.amazonaws.com",
    for_project: true,
    policy: |cx| policies::build_role(&cx.stack.scope, cx.names()),
};

pub const FUNCTION_ROLE: Role = Role {
    key: "function-role",
    title: "function execution role",
    name: |n| &n.function_role,
    description: "The PhotoSky function (photosky)",
    service: "lambda.amazonaws.com",
    for_project: false,
    policy: |cx| {
        policies::function_role(
            &cx.stack.scope,
            cx.names(),
            &cx.stack.settings.upload_prefix,
        )
    },
};

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub arn: String,
    /// A fingerprint of the inline policy and the trust policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<String>,
}

impl Recorded for Role {
    type Record = Record;
}

impl Role {
    fn trust(&self, cx: &Cx<'_>) -> String {
        let project = (&cx.stack.scope, cx.names().project.as_str());
        policies::trust(self.service, self.for_project.then_some(project))
    }
}

#[async_trait(?Send)]
impl Step for Role {
    fn key(&self) -> &'static str {
        self.key
    }

    fn title(&self) -> &'static str {
        self.title
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        (self.name)(cx.names()).to_owned()
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        let (iam, name) = (&cx.clients().iam, self.name(cx));
        let (trust, document) = (self.trust(cx), (self.policy)(cx));
        let (arn, mut outcome) = match role::find(iam, &name).await.on(cx, "finding")? {
            Some(arn) => (arn, Outcome::Exists),
            None => {
                let made = role::create(iam, &name, &trust, &cx.stack.name, self.description).await;
                let arn = owner::created_or_found(cx, made, || role::find(iam, &name)).await?;
                role::wait_exists(iam, &name).await.on(cx, "waiting for")?;
                (arn, Outcome::Created)
            }
        };
        // The trust policy too: a role made before it changed is brought up to it.
        let fp = fingerprint(&[&document, &trust]);
        let applied = cx.own::<Record>().and_then(|r| r.applied);
        if applied.as_deref() == Some(fp.as_str()) && outcome == Outcome::Exists {
            return Ok(outcome);
        }
        if outcome == Outcome::Exists {
            role::update_trust(iam, &name, &trust)
                .await
                .on(cx, "updating the trust policy of")?;
        }
        role::put_policy(iam, &name, &document)
            .await
            .on(cx, "putting the inline policy of")?;
        outcome = outcome.reapplied(applied.as_deref(), false, "policy");
        cx.record(&Record {
            arn,
            applied: Some(fp),
        })?;
        Ok(outcome)
    }

    /// Ours if it carries the stack's tag.
    async fn owner(&self, cx: &Cx<'_>) -> Result<Owner> {
        cx.tagged(role::stack_tag(&cx.clients().iam, &self.name(cx)))
            .await
    }

    /// Its policies go first (IAM refuses a role that has any).
    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        cx.deleted(role::delete(&cx.clients().iam, &self.name(cx)))
            .await
    }

    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let arn = role::find(&cx.clients().iam, &self.name(cx))
            .await
            .on(cx, "inspecting")?;
        let mut i = Inspection::found(cx, arn.is_some());
        if let Some(arn) = arn {
            i.name = arn;
        }
        Ok(i)
    }

    fn listed_as(&self) -> Option<ListedAs> {
        Some(ListedAs {
            kind: "IAM role",
            what: "IAM roles",
            global: true,
        })
    }

    async fn list_names(
        &self,
        clients: &Clients,
        _stack: Option<&str>,
    ) -> std::result::Result<Vec<String>, AwsError> {
        role::list_names(&clients.iam).await
    }
}
