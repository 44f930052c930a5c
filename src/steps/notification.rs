//! Step `notification`: the upload bucket invokes the function for every
//! object created under the upload prefix. Reads `function` (its ARN) and
//! `source-bucket`; comes after `s3-permission`, since S3 refuses a target
//! it may not invoke.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::bucket::SOURCE_BUCKET;
use super::function::FUNCTION;
use super::owner::Owner;
use super::permission::S3_PERMISSION;
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, Recorded, Step, StepErr};
use crate::aws::{retry_propagation, Backoff};
use crate::error::Result;
use crate::plan::StepRef;
use crate::resources::notification;

pub struct Notification;
pub const NOTIFICATION: Notification = Notification;

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    /// A fingerprint of target and prefix.
    pub applied: String,
}

impl Recorded for Notification {
    type Record = Record;
}

#[async_trait(?Send)]
impl Step for Notification {
    fn key(&self) -> &'static str {
        "notification"
    }

    fn title(&self) -> &'static str {
        "upload notification"
    }

    fn after(&self) -> &'static [StepRef] {
        &[&S3_PERMISSION, &FUNCTION, &SOURCE_BUCKET]
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        format!("{} -> {}", cx.names().source_bucket, cx.names().function)
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        cx.dep(&S3_PERMISSION)?;
        cx.dep(&SOURCE_BUCKET)?;
        let function_arn = cx.dep(&FUNCTION)?.arn;
        let (s3, bucket) = (&cx.clients().s3, &cx.names().source_bucket);
        let prefix = &cx.stack.settings.upload_prefix;
        let fp = fingerprint(&[&function_arn, prefix]);
        let current = notification::find(s3, bucket).await.on(cx, "finding")?;
        let applied = cx.own::<Record>().map(|r| r.applied);
        let record = Record {
            applied: fp.clone(),
        };
        if current.as_deref() == Some(function_arn.as_str())
            && applied.as_ref().is_none_or(|a| *a == fp)
        {
            if applied.is_none() {
                cx.record(&record)?;
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
        cx.record(&record)?;
        Ok(if current.is_some() {
            Outcome::Updated("target".into())
        } else {
            Outcome::Created
        })
    }

    /// It goes with its parent; it is ours if that is.
    async fn owner(&self, _cx: &Cx<'_>) -> Result<Owner> {
        Ok(Owner::Parent(&SOURCE_BUCKET))
    }

    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        cx.deleted(notification::delete(
            &cx.clients().s3,
            &cx.names().source_bucket,
        ))
        .await
    }

    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let target = notification::find(&cx.clients().s3, &cx.names().source_bucket)
            .await
            .on(cx, "inspecting")?;
        let prefix = &cx.stack.settings.upload_prefix;
        Ok(Inspection::found(cx, target.is_some())
            .detail(Some(format!("ObjectCreated under {prefix}"))))
    }
}
