//! Steps `artifacts-bucket`, `source-bucket` (uploads) and `dest-bucket`
//! (thumbnails): each blocks public access, encrypts by default, denies
//! requests without TLS and carries the stack's tag. What differs is data
//! (`Bucket`): the two photo buckets get the CORS rule browsers need; the
//! artifacts bucket's build sources and the thumbnail bucket's records of
//! failed S3 events (Lambda's on-failure destination) expire after 30
//! days; the upload bucket is versioned (a deleted photo can be restored
//! for `--keep-deleted-days`, then its old versions expire). Made with the
//! tag; configured with retries while S3 does not know a new bucket
//! everywhere. Reads no other step.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::owner::{self, Owner};
use super::{fingerprint, Cx, Deletion, Inspection, ListedAs, Outcome, Recorded, Step, StepErr};
use crate::aws::{retry_propagation, AwsError, Clients};
use crate::error::Result;
use crate::resources::{bucket, policies};
use crate::state::Names;

/// How long the artifacts bucket keeps a build source, and the thumbnail
/// bucket a failed-event record.
const ARTIFACT_DAYS: i32 = 30;

pub struct Bucket {
    key: &'static str,
    title: &'static str,
    name: fn(&Names) -> &str,
    /// The methods browsers may use, from the stack's CORS origins.
    cors: Option<&'static [&'static str]>,
    /// What expires after `ARTIFACT_DAYS`: (lifecycle rule id, prefix).
    expiring: &'static [(&'static str, &'static str)],
    /// Versioned: replaced and deleted objects are kept
    /// `--keep-deleted-days`.
    versioned: bool,
}

/// Browsers never talk to it.
pub const ARTIFACTS_BUCKET: Bucket = Bucket {
    key: "artifacts-bucket",
    title: "artifacts bucket",
    name: |n| &n.artifacts_bucket,
    cors: None,
    expiring: &[("photosky-build-sources", policies::SOURCE_PREFIX)],
    versioned: false,
};

pub const SOURCE_BUCKET: Bucket = Bucket {
    key: "source-bucket",
    title: "upload bucket",
    name: |n| &n.source_bucket,
    cors: Some(bucket::UPLOAD_CORS_METHODS),
    expiring: &[],
    versioned: true,
};

/// Browsers only read thumbnails.
pub const DEST_BUCKET: Bucket = Bucket {
    key: "dest-bucket",
    title: "thumbnail bucket",
    name: |n| &n.dest_bucket,
    cors: Some(bucket::THUMBNAIL_CORS_METHODS),
    expiring: &[("photosky-failed-events", policies::FAILED_EVENTS_PREFIX)],
    versioned: false,
};

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub arn: String,
    /// A fingerprint of policy, tag, CORS and lifecycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<String>,
}

impl Recorded for Bucket {
    type Record = Record;
}

impl Bucket {
    /// What `ensure` applies, as a fingerprint.
    fn fingerprint(&self, cx: &Cx<'_>, tls: &str) -> String {
        let origins = &cx.stack.settings.cors_origins;
        // The methods too, so a stack made with other methods is corrected.
        let cors = self
            .cors
            .map(|m| format!("{} {}", origins.join(","), m.join(",")))
            .unwrap_or_default();
        let lifecycle = if self.versioned {
            let days = cx.stack.settings.keep_deleted_days;
            format!("versioned, noncurrent {days} days")
        } else {
            format!("{:?} expire {ARTIFACT_DAYS} days", self.expiring)
        };
        fingerprint(&[tls, &cx.stack.name, &cors, &lifecycle])
    }

    /// Made, with the stack's tag; `Exists` if it was there.
    async fn find_or_create(&self, cx: &Cx<'_>, name: &str) -> Result<Outcome> {
        let (s3, scope) = (&cx.clients().s3, &cx.stack.scope);
        if bucket::find(s3, name).await.on(cx, "finding")? {
            return Ok(Outcome::Exists);
        }
        let made = bucket::create(s3, name, &scope.region, &cx.stack.name).await;
        owner::adopt_lost_create(cx, made).await?;
        // us-east-1 answers a create of a bucket the account has with 200:
        // the tag says whether it is the one we just made.
        if scope.region == "us-east-1" {
            owner::verify(cx, "adopt").await?;
        }
        bucket::wait_exists(s3, name).await.on(cx, "waiting for")?;
        Ok(Outcome::Created)
    }
}

#[async_trait(?Send)]
impl Step for Bucket {
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
        let (s3, name, scope) = (&cx.clients().s3, self.name(cx), &cx.stack.scope);
        let tls = policies::bucket_tls_only(scope, &name);
        let fp = self.fingerprint(cx, &tls);
        let outcome = self.find_or_create(cx, &name).await?;
        let applied = cx.own::<Record>().and_then(|r| r.applied);
        if outcome == Outcome::Exists && applied.as_deref() == Some(fp.as_str()) {
            return Ok(outcome);
        }
        configure(cx, "securing", || {
            bucket::secure(s3, &name, &tls, &cx.stack.name)
        })
        .await?;
        if let Some(methods) = self.cors {
            let origins = &cx.stack.settings.cors_origins;
            configure(cx, "setting CORS on", || {
                bucket::put_cors(s3, &name, origins, methods)
            })
            .await?;
        }
        if !self.expiring.is_empty() {
            configure(cx, "setting the lifecycle of", || {
                bucket::put_expiring_prefixes(s3, &name, self.expiring, ARTIFACT_DAYS)
            })
            .await?;
        }
        if self.versioned {
            let days = cx.stack.settings.keep_deleted_days;
            configure(cx, "turning on versioning of", || {
                bucket::put_uploads_versioning(s3, &name, days)
            })
            .await?;
        }
        cx.record(&Record {
            arn: scope.bucket_arn(&name),
            applied: Some(fp),
        })?;
        Ok(outcome.reapplied(applied.as_deref(), false, "CORS, policy and lifecycle"))
    }

    /// Ours if it carries the stack's tag.
    async fn owner(&self, cx: &Cx<'_>) -> Result<Owner> {
        cx.tagged(bucket::stack_tag(&cx.clients().s3, &self.name(cx)))
            .await
    }

    /// Every object version and delete marker first (S3 refuses a bucket
    /// that holds anything).
    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        cx.deleted(bucket::delete(&cx.clients().s3, &self.name(cx)))
            .await
    }

    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let exists = bucket::find(&cx.clients().s3, &self.name(cx))
            .await
            .on(cx, "inspecting")?;
        Ok(Inspection::found(cx, exists))
    }

    fn listed_as(&self) -> Option<ListedAs> {
        Some(ListedAs::regional("S3 bucket", "S3 buckets"))
    }

    /// The account's buckets in this region.
    async fn list_names(
        &self,
        clients: &Clients,
        _stack: Option<&str>,
    ) -> std::result::Result<Vec<String>, AwsError> {
        bucket::list_names(&clients.s3, &clients.region).await
    }
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
