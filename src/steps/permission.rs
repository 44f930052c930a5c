//! Steps `s3-permission` and `api-permission`: statements in the function's
//! resource policy that let S3 (for uploads to the source bucket) and API
//! Gateway (any stage, method and path of this stack's API) invoke it.
//! They cannot be tagged; they belong to the function. Reads `function`
//! (it must exist), `source-bucket` (S3) or `rest-api` (its id).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::owner::Owner;
use super::{Cx, Deletion, Inspection, Outcome, Recorded, Step, StepErr};
use crate::aws::{retry_propagation, Backoff};
use crate::error::Result;
use crate::plan::StepRef;
use crate::resources::permission;

use super::bucket::SOURCE_BUCKET;
use super::function::FUNCTION;
use super::rest_api::REST_API;

pub struct Permission {
    key: &'static str,
    title: &'static str,
    after: &'static [StepRef],
    /// The statement's id in the function's policy.
    sid: &'static str,
    grant: fn(&Cx<'_>) -> Result<Grant>,
}

/// Who may invoke, from where, and from which account.
pub struct Grant {
    principal: &'static str,
    source_arn: String,
    source_account: Option<String>,
}

pub const S3_PERMISSION: Permission = Permission {
    key: "s3-permission",
    title: "S3 invoke permission",
    after: &[&FUNCTION, &SOURCE_BUCKET],
    sid: "photosky-s3",
    grant: |cx| {
        cx.dep(&SOURCE_BUCKET)?;
        let scope = &cx.stack.scope;
        Ok(Grant {
            principal: "s3.amazonaws.com",
            source_arn: scope.bucket_arn(&cx.names().source_bucket),
            // Bucket ARNs carry no account: pin it.
            source_account: Some(scope.account.clone()),
        })
    },
};

pub const API_PERMISSION: Permission = Permission {
    key: "api-permission",
    title: "API invoke permission",
    after: &[&REST_API, &FUNCTION],
    sid: "photosky-apigw",
    grant: |cx| {
        let api_id = cx.dep(&REST_API)?.id;
        Ok(Grant {
            principal: "apigateway.amazonaws.com",
            source_arn: cx.stack.scope.arn("execute-api", &format!("{api_id}/*")),
            source_account: None,
        })
    },
};

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    /// The source ARN the statement allows.
    pub applied: String,
}

impl Recorded for Permission {
    type Record = Record;
}

#[async_trait(?Send)]
impl Step for Permission {
    fn key(&self) -> &'static str {
        self.key
    }

    fn title(&self) -> &'static str {
        self.title
    }

    fn after(&self) -> &'static [StepRef] {
        self.after
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        format!("{} {}", cx.names().function, self.sid)
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        cx.dep(&FUNCTION)?;
        let (lambda, function, sid) = (&cx.clients().lambda, &cx.names().function, self.sid);
        let grant = (self.grant)(cx)?;
        let exists = permission::find(lambda, function, sid)
            .await
            .on(cx, "finding")?;
        let applied = cx.own::<Record>().map(|r| r.applied);
        let current = applied.as_deref() == Some(grant.source_arn.as_str());
        let record = Record {
            applied: grant.source_arn.clone(),
        };
        if exists && (current || applied.is_none()) {
            if !current {
                cx.record(&record)?;
            }
            return Ok(Outcome::Exists);
        }
        if exists {
            // It names an API or bucket that is no longer ours.
            permission::delete(lambda, function, sid)
                .await
                .on(cx, "replacing")?;
        }
        let spec = permission::PermissionSpec {
            function,
            sid,
            principal: grant.principal,
            source_arn: &grant.source_arn,
            source_account: grant.source_account.as_deref(),
        };
        retry_propagation(
            permission::UPDATING_FUNCTION,
            Backoff::PROPAGATION,
            |e, waited| {
                cx.note(format!(
                    "the function is being updated ({}), retrying ({:.0}s)",
                    e.code(),
                    waited.as_secs_f64()
                ))
            },
            || permission::create(lambda, &spec),
        )
        .await
        .on(cx, "adding")?;
        cx.record(&record)?;
        Ok(if exists {
            Outcome::Updated("source".into())
        } else {
            Outcome::Created
        })
    }

    /// It goes with its parent; it is ours if that is.
    async fn owner(&self, _cx: &Cx<'_>) -> Result<Owner> {
        Ok(Owner::Parent(&FUNCTION))
    }

    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        cx.deleted(permission::delete(
            &cx.clients().lambda,
            &cx.names().function,
            self.sid,
        ))
        .await
    }

    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let exists = permission::find(&cx.clients().lambda, &cx.names().function, self.sid)
            .await
            .on(cx, "inspecting")?;
        Ok(Inspection::found(cx, exists))
    }
}
