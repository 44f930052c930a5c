//! Step `notification`: the upload bucket invokes the function for every
//! object created under the upload prefix. Records: `applied` = a
//! fingerprint of target and prefix. Reads `function` (its ARN) and
//! `source-bucket`; comes after `s3-permission`, since S3 refuses a target
//! it may not invoke.

use super::owner::Owner;
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::aws::{retry_propagation, Backoff};
use crate::error::Result;
use crate::plan::StepId;
use crate::resources::notification;
use crate::state::Record;

pub fn name(cx: &Cx<'_>) -> String {
    format!("{} -> {}", cx.names().source_bucket, cx.names().function)
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    cx.dep(StepId::S3Permission)?;
    cx.dep(StepId::SourceBucket)?;
    let function_arn = cx.dep_arn(StepId::Function)?;
    let (s3, bucket) = (&cx.clients().s3, &cx.names().source_bucket);
    let prefix = &cx.stack.settings.upload_prefix;
    let fp = fingerprint(&[&function_arn, prefix]);
    let current = notification::find(s3, bucket).await.on(cx, "finding")?;
    let applied = cx.applied();
    let record = Record {
        applied: Some(fp.clone()),
        ..Default::default()
    };
    if current.as_deref() == Some(function_arn.as_str())
        && applied.as_ref().is_none_or(|a| *a == fp)
    {
        if applied.is_none() {
            cx.record(record)?;
        }
        return Ok(Outcome::Exists);
    }
    // S3 cannot validate the target until the permission has propagated.
    retry_propagation(
        notification::PERMISSION_PROPAGATION,
        Backoff::PROPAGATION,
        cx.retry_note("configuring the upload notification"),
        || notification::create(s3, bucket, &function_arn, prefix),
    )
    .await
    .on(cx, "configuring")?;
    cx.record(record)?;
    Ok(if current.is_some() {
        Outcome::Updated("target".into())
    } else {
        Outcome::Created
    })
}

/// It goes with its parent; it is ours if that is.
pub async fn owner(_cx: &Cx<'_>) -> Result<Owner> {
    Ok(Owner::Parent(StepId::SourceBucket))
}

pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let gone = notification::delete(&cx.clients().s3, &cx.names().source_bucket)
        .await
        .on(cx, "deleting")?;
    cx.gone(gone)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let target = notification::find(&cx.clients().s3, &cx.names().source_bucket)
        .await
        .on(cx, "inspecting")?;
    let prefix = &cx.stack.settings.upload_prefix;
    Ok(Inspection::found(cx, target.is_some())
        .detail(Some(format!("ObjectCreated under {prefix}"))))
}
