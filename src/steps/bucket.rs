//! Steps `artifacts-bucket`, `source-bucket` (uploads) and `dest-bucket`
//! (thumbnails): each blocks public access, encrypts by default, denies
//! requests without TLS and carries the stack's tag; the two photo buckets
//! also get the CORS rule browsers need. Records: `arn`, and `applied` = a
//! fingerprint of policy, tag and CORS. Reads no other step.

use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::error::Result;
use crate::plan::StepId;
use crate::resources::{bucket, policies};
use crate::state::Record;

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
    let fp = fingerprint(&[&tls, &cx.stack.name, &cors_fp]);
    let mut outcome = if bucket::find(s3, &name).await.on(cx, "finding")? {
        Outcome::Exists
    } else {
        bucket::create(s3, &name, &scope.region)
            .await
            .on(cx, "creating")?;
        bucket::wait_exists(s3, &name).await.on(cx, "waiting for")?;
        Outcome::Created
    };
    let applied = cx.applied();
    if outcome == Outcome::Created || applied.as_deref() != Some(fp.as_str()) {
        bucket::secure(s3, &name, &tls, &cx.stack.name)
            .await
            .on(cx, "securing")?;
        if let Some((origins, methods)) = cors {
            bucket::put_cors(s3, &name, origins, methods)
                .await
                .on(cx, "setting CORS on")?;
        }
        if outcome == Outcome::Exists && applied.is_some() {
            outcome = Outcome::Updated("CORS and policy".into());
        }
        cx.record(Record {
            arn: Some(scope.bucket_arn(&name)),
            id: None,
            applied: Some(fp),
            ..Default::default()
        })?;
    }
    Ok(outcome)
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
