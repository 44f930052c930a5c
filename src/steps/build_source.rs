//! Step `build-source`: the zip CodeBuild builds from (`handler/` and
//! `buildspec.yml`, embedded in this binary), uploaded to the artifacts
//! bucket under a key named by its content hash. Reads `artifacts-bucket`
//! (the bucket must exist; its name is planned).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::bucket::ARTIFACTS_BUCKET;
use super::owner::Owner;
use super::{Cx, Deletion, Inspection, Outcome, Recorded, Step, StepErr};
use crate::error::Result;
use crate::plan::StepRef;
use crate::resources::{bucket, policies};

pub struct BuildSource;
pub const BUILD_SOURCE: BuildSource = BuildSource;

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    /// Its key in the artifacts bucket.
    #[serde(rename = "id")]
    pub key: String,
}

impl Recorded for BuildSource {
    type Record = Record;
}

/// The source zip's key: `source/<image tag>.zip`.
fn key(cx: &Cx<'_>) -> String {
    format!(
        "{}{}.zip",
        policies::SOURCE_PREFIX,
        cx.stack.bundle.image_tag()
    )
}

#[async_trait(?Send)]
impl Step for BuildSource {
    fn key(&self) -> &'static str {
        "build-source"
    }

    fn title(&self) -> &'static str {
        "build source"
    }

    fn after(&self) -> &'static [StepRef] {
        &[&ARTIFACTS_BUCKET]
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        format!("s3://{}/{}", cx.names().artifacts_bucket, key(cx))
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        cx.dep(&ARTIFACTS_BUCKET)?;
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
        if cx.own::<Record>().map(|r| r.key).as_deref() != Some(key.as_str()) {
            cx.record(&Record { key })?;
        }
        Ok(outcome)
    }

    /// It goes with its parent; it is ours if that is.
    async fn owner(&self, _cx: &Cx<'_>) -> Result<Owner> {
        Ok(Owner::Parent(&ARTIFACTS_BUCKET))
    }

    /// Deleted with its bucket.
    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        cx.deleted_with(&ARTIFACTS_BUCKET)
    }

    /// The zip last uploaded, which may be older than this binary's.
    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let bucket_name = &cx.names().artifacts_bucket;
        let key = cx.own::<Record>().map_or_else(|| key(cx), |r| r.key);
        let exists = bucket::find_object(&cx.clients().s3, bucket_name, &key)
            .await
            .on(cx, "inspecting")?;
        let mut i = Inspection::found(cx, exists);
        i.name = format!("s3://{bucket_name}/{key}");
        Ok(i)
    }
}
