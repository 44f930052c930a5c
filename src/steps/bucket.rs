//! Steps `artifacts-bucket`, `source-bucket` (uploads) and `dest-bucket`
//! (thumbnails): each blocks public access, encrypts by default, denies
//! requests without TLS and carries the stack's tag; the two photo buckets
//! also get the CORS rule browsers need, the artifacts bucket a lifecycle
//! (build sources expire after 30 days), the thumbnail bucket another (the
//! records of S3 events the function failed on, which Lambda writes there
//! as its on-failure destination, expire after 30 days), and the
//! upload bucket versioning (a deleted photo can be restored for
//! `--keep-deleted-days`, then its old versions expire). Made with
//! the tag; configured with retries while S3 does not know a new bucket
//! everywhere. Records: `arn`, and `applied` = a fingerprint of policy,
//! tag, CORS and lifecycle. Reads no other step.

use super::owner::{self, Owner};
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::aws::{retry_propagation, AwsError};
use crate::error::Result;
use crate::plan::StepId;
use crate::resources::{bucket, policies};
use crate::state::Record;

/// How long the artifacts bucket keeps a build source, and the thumbnail
/// bucket a failed-event record.
const ARTIFACT_DAYS: i32 = 30;

/// What expires, per bucket: (lifecycle rule id, prefix).
fn expiring(id: StepId) -> &'static [(&'static str, &'static str)] {
    match id {
        StepId::ArtifactsBucket => &[("photosky-build-sources", policies::SOURCE_PREFIX)],
        StepId::DestBucket => &[("photosky-failed-events", policies::FAILED_EVENTS_PREFIX)],
        _ => &[],
    }
}

pub fn name(cx: &Cx<'_>) -> String {
    let n = cx.names();
    match cx.id {
        StepId::ArtifactsBucket => n.artifacts_bucket.clone(),
        StepId::SourceBucket => n.source_bucket.clone(),
        _ => n.dest_bucket.clone(),
    }
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let (s3, name, scope) = (&cx.clients().s3, name(cx), &cx.stack.scope);
    let tls = policies::bucket_tls_only(scope, &name);
    // Browsers never talk to the artifacts bucket; they only read thumbnails.
    let origins = &cx.stack.settings.cors_origins;
    let cors = match cx.id {
        StepId::ArtifactsBucket => None,
        StepId::SourceBucket => Some((origins, bucket::UPLOAD_CORS_METHODS)),
        _ => Some((origins, bucket::THUMBNAIL_CORS_METHODS)),
    };
    // The methods too, so a stack made with other methods is corrected.
    let cors_fp = cors
        .map(|(o, m)| format!("{} {}", o.join(","), m.join(",")))
        .unwrap_or_default();
    let keep_deleted = cx.stack.settings.keep_deleted_days;
    let lifecycle = match cx.id {
        StepId::SourceBucket => format!("versioned, noncurrent {keep_deleted} days"),
        id => format!("{:?} expire {ARTIFACT_DAYS} days", expiring(id)),
    };
    let fp = fingerprint(&[&tls, &cx.stack.name, &cors_fp, &lifecycle]);
    let mut outcome = if bucket::find(s3, &name).await.on(cx, "finding")? {
        Outcome::Exists
    } else {
        let made = bucket::create(s3, &name, &scope.region, &cx.stack.name).await;
        owner::adopt_lost_create(cx, made).await?;
        // us-east-1 answers a create of a bucket the account has with 200:
        // the tag says whether it is the one we just made.
        if scope.region == "us-east-1" {
            owner::verify(cx, "adopt").await?;
        }
        bucket::wait_exists(s3, &name).await.on(cx, "waiting for")?;
        Outcome::Created
    };
    let applied = cx.applied();
    if outcome == Outcome::Created || applied.as_deref() != Some(fp.as_str()) {
        configure(cx, "securing", || {
            bucket::secure(s3, &name, &tls, &cx.stack.name)
        })
        .await?;
        if let Some((origins, methods)) = cors {
            configure(cx, "setting CORS on", || {
                bucket::put_cors(s3, &name, origins, methods)
            })
            .await?;
        }
        let prefixes = expiring(cx.id);
        if !prefixes.is_empty() {
            configure(cx, "setting the lifecycle of", || {
                bucket::put_expiring_prefixes(s3, &name, prefixes, ARTIFACT_DAYS)
            })
            .await?;
        }
        if cx.id == StepId::SourceBucket {
            configure(cx, "turning on versioning of", || {
                bucket::put_uploads_versioning(s3, &name, keep_deleted)
            })
            .await?;
        }
        outcome = outcome.reapplied(applied.as_deref(), false, "CORS, policy and lifecycle");
        cx.record(Record {
            arn: Some(scope.bucket_arn(&name)),
            id: None,
            applied: Some(fp),
            ..Default::default()
        })?;
    }
    Ok(outcome)
}

/// One configuration call, retried while S3 does not know a new bucket
/// everywhere yet.
async fn configure<F, Fut>(cx: &Cx<'_>, verb: &str, call: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), AwsError>>,
{
    let note = |e: &AwsError, waited: std::time::Duration| {
        cx.note(format!(
            "S3 does not know the new bucket everywhere yet ({}), retrying ({:.0}s)",
            e.code(),
            waited.as_secs_f64()
        ))
    };
    retry_propagation(
        bucket::NEW_BUCKET_PROPAGATION,
        bucket::NEW_BUCKET_BACKOFF,
        note,
        call,
    )
    .await
    .on(cx, verb)
}

/// Ours if it carries the stack's tag.
pub async fn owner(cx: &Cx<'_>) -> Result<Owner> {
    let tag = bucket::stack_tag(&cx.clients().s3, &name(cx))
        .await
        .on(cx, "reading the tags of")?;
    Ok(Owner::from_tag(tag))
}

/// Every object version and delete marker first (S3 refuses a bucket that
/// holds anything).
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let gone = bucket::delete(&cx.clients().s3, &name(cx))
        .await
        .on(cx, "deleting")?;
    cx.gone(gone)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let exists = bucket::find(&cx.clients().s3, &name(cx))
        .await
        .on(cx, "inspecting")?;
    Ok(Inspection::found(cx, exists))
}
