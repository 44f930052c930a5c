//! Step `build-source`: the zip CodeBuild builds from (`handler/` and
//! `buildspec.yml`, embedded in this binary), uploaded to the artifacts
//! bucket under a key named by its content hash. Records: `id` = the key.
//! Reads `artifacts-bucket` (the bucket must exist; its name is planned).

use super::owner::Owner;
use super::{Cx, Deletion, Inspection, Outcome, StepErr};
use crate::error::Result;
use crate::plan::StepId;
use crate::resources::{bucket, policies};
use crate::state::Record;

/// The source zip's key: `source/<image tag>.zip`.
pub fn key(cx: &Cx<'_>) -> String {
    format!(
        "{}{}.zip",
        policies::SOURCE_PREFIX,
        cx.stack.bundle.image_tag()
    )
}

pub fn name(cx: &Cx<'_>) -> String {
    format!("s3://{}/{}", cx.names().artifacts_bucket, key(cx))
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    cx.dep(StepId::ArtifactsBucket)?;
    let (s3, bucket_name, key) = (&cx.clients().s3, &cx.names().artifacts_bucket, key(cx));
    let outcome = if bucket::find_object(s3, bucket_name, &key)
        .await
        .on(cx, "finding")?
    {
        Outcome::Exists
    } else {
        bucket::put_object(s3, bucket_name, &key, cx.stack.bundle.zip())
            .await
            .on(cx, "uploading")?;
        Outcome::Created
    };
    if cx.own().and_then(|r| r.id).as_deref() != Some(key.as_str()) {
        cx.record(Record {
            id: Some(key),
            ..Default::default()
        })?;
    }
    Ok(outcome)
}

/// It goes with its parent; it is ours if that is.
pub async fn owner(_cx: &Cx<'_>) -> Result<Owner> {
    Ok(Owner::Parent(StepId::ArtifactsBucket))
}

/// Deleted with its bucket.
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    cx.forget()?;
    Ok(Deletion::WithParent(
        crate::plan::get(StepId::ArtifactsBucket).title,
    ))
}

/// The zip last uploaded, which may be older than this binary's.
pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let bucket_name = &cx.names().artifacts_bucket;
    let key = cx.own().and_then(|r| r.id).unwrap_or_else(|| key(cx));
    let exists = bucket::find_object(&cx.clients().s3, bucket_name, &key)
        .await
        .on(cx, "inspecting")?;
    let mut i = Inspection::found(cx, exists);
    i.name = format!("s3://{bucket_name}/{key}");
    Ok(i)
}
