//! Steps `s3-permission` and `api-permission`: statements in the function's
//! resource policy that let S3 (for uploads to the source bucket) and API
//! Gateway (any stage, method and path of this stack's API) invoke it.
//! They cannot be tagged; they belong to the function. Records: `applied` =
//! the source ARN the statement allows. Reads `function` (it must exist),
//! `source-bucket` (S3) or `rest-api` (its id).

use super::owner::Owner;
use super::{Cx, Deletion, Inspection, Outcome, StepErr};
use crate::aws::{retry_propagation, Backoff};
use crate::error::Result;
use crate::plan::StepId;
use crate::resources::permission;
use crate::state::Record;

const S3_SID: &str = "photosky-s3";
const API_SID: &str = "photosky-apigw";

fn sid(cx: &Cx<'_>) -> &'static str {
    match cx.id {
        StepId::S3Permission => S3_SID,
        _ => API_SID,
    }
}

pub fn name(cx: &Cx<'_>) -> String {
    format!("{} {}", cx.names().function, sid(cx))
}

/// Who may invoke, from where, and (for S3) from which account.
fn grant(cx: &Cx<'_>) -> Result<(&'static str, String, Option<String>)> {
    let scope = &cx.stack.scope;
    Ok(match cx.id {
        StepId::S3Permission => {
            cx.dep(StepId::SourceBucket)?;
            (
                "s3.amazonaws.com",
                scope.bucket_arn(&cx.names().source_bucket),
                // Bucket ARNs carry no account: pin it.
                Some(scope.account.clone()),
            )
        }
        _ => {
            let api_id = cx.dep_id(StepId::RestApi)?;
            (
                "apigateway.amazonaws.com",
                scope.arn("execute-api", &format!("{api_id}/*")),
                None,
            )
        }
    })
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    cx.dep(StepId::Function)?;
    let (lambda, function, sid) = (&cx.clients().lambda, &cx.names().function, sid(cx));
    let (principal, source_arn, source_account) = grant(cx)?;
    let exists = permission::find(lambda, function, sid)
        .await
        .on(cx, "finding")?;
    let applied = cx.applied();
    let current = applied.as_deref() == Some(source_arn.as_str());
    let record = Record {
        applied: Some(source_arn.clone()),
        ..Default::default()
    };
    if exists && (current || applied.is_none()) {
        if !current {
            cx.record(record)?;
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
        principal,
        source_arn: &source_arn,
        source_account: source_account.as_deref(),
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
    cx.record(record)?;
    Ok(if exists {
        Outcome::Updated("source".into())
    } else {
        Outcome::Created
    })
}

/// It goes with its parent; it is ours if that is.
pub async fn owner(_cx: &Cx<'_>) -> Result<Owner> {
    Ok(Owner::Parent(StepId::Function))
}

pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let gone = permission::delete(&cx.clients().lambda, &cx.names().function, sid(cx))
        .await
        .on(cx, "deleting")?;
    cx.gone(gone)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let exists = permission::find(&cx.clients().lambda, &cx.names().function, sid(cx))
        .await
        .on(cx, "inspecting")?;
    Ok(Inspection::found(cx, exists))
}
