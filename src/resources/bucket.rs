//! S3 buckets: the build artifacts bucket, the upload (source) bucket and the
//! thumbnail (destination) bucket. All three block public access, encrypt by
//! default and deny non-TLS requests.
//! Calls: CreateBucket, HeadBucket, GetBucketTagging, PutPublicAccessBlock,
//! PutBucketEncryption, PutBucketPolicy, PutBucketCors, PutBucketTagging,
//! PutBucketLifecycleConfiguration,
//! PutObject, HeadObject, ListObjectVersions, ListObjectsV2, DeleteObjects,
//! DeleteBucket, ListBuckets;
//! the `bucket_exists` waiter.

use std::time::Duration;

use aws_sdk_s3::client::Waiters;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, BucketLocationConstraint,
    BucketVersioningStatus, CorsConfiguration, CorsRule, CreateBucketConfiguration, Delete,
    ExpirationStatus, LifecycleExpiration, LifecycleRule, LifecycleRuleFilter,
    NoncurrentVersionExpiration, ObjectIdentifier, PublicAccessBlockConfiguration,
    ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
    ServerSideEncryptionRule, Tag, Tagging, VersioningConfiguration,
};
use aws_sdk_s3::Client;

use crate::aws::{not_found_is_ok, AwsError, AwsResultExt, Backoff, Propagation};

pub async fn find(s3: &Client, name: &str) -> Result<bool, AwsError> {
    match s3.head_bucket().bucket(name).send().await.aws() {
        Ok(_) => Ok(true),
        Err(e) if e.is_not_found() => Ok(false),
        Err(e) => Err(e),
    }
}

/// The bucket's stack tag. S3 answers NoSuchTagSet for a bucket with no tags.
pub async fn stack_tag(s3: &Client, name: &str) -> Result<super::StackTag, AwsError> {
    match s3.get_bucket_tagging().bucket(name).send().await.aws() {
        Ok(o) => Ok(Some(super::stack_tag(
            o.tag_set().iter().map(|t| (t.key(), t.value())),
        ))),
        Err(e) if e.is("NoSuchTagSet") => Ok(Some(None)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Made with the stack tag, so that there is no moment when a bucket of
/// ours exists untagged (a crash then would leave one `up` must refuse).
pub async fn create(s3: &Client, name: &str, region: &str, stack: &str) -> Result<(), AwsError> {
    let tag = Tag::builder()
        .key(super::STACK_TAG)
        .value(stack)
        .build()
        .expect("key and value set");
    let mut config = CreateBucketConfiguration::builder().tags(tag);
    // us-east-1 is the one region that must not be named (AWS refuses it).
    if region != "us-east-1" {
        config = config.location_constraint(BucketLocationConstraint::from(region));
    }
    let req = s3
        .create_bucket()
        .bucket(name)
        .create_bucket_configuration(config.build());
    // BucketAlreadyOwnedByYou (a lost response) is the step's to judge.
    req.send().await.aws()?;
    Ok(())
}

/// Right after CreateBucket, S3 may not know the bucket everywhere yet: its
/// configuration calls can meet NoSuchBucket, or OperationAborted ("A
/// conflicting conditional operation is currently in progress"). The
/// Terraform AWS provider retries both for 2 minutes; so do we.
pub const NEW_BUCKET_PROPAGATION: &[Propagation] = &[
    Propagation {
        code: "NoSuchBucket",
        message_contains: "",
    },
    Propagation {
        code: "OperationAborted",
        message_contains: "conflicting conditional operation",
    },
];

pub const NEW_BUCKET_BACKOFF: Backoff = Backoff {
    first: Duration::from_millis(500),
    cap: Duration::from_secs(5),
    max_wait: Duration::from_secs(120),
};

fn unfinished_uploads_go_after_a_day() -> AbortIncompleteMultipartUpload {
    AbortIncompleteMultipartUpload::builder()
        .days_after_initiation(1)
        .build()
}

/// Objects under each of `prefixes` (rule id, prefix) expire after `days`;
/// unfinished uploads go after a day. The artifacts bucket's build sources
/// (a missing one is uploaded again by the next `up`, which needs it only
/// to build) and the thumbnail bucket's failed-event records.
pub async fn put_expiring_prefixes(
    s3: &Client,
    name: &str,
    prefixes: &[(&str, &str)],
    days: i32,
) -> Result<(), AwsError> {
    let rule = |id: &str, prefix: &str| {
        LifecycleRule::builder()
            .id(id)
            .status(ExpirationStatus::Enabled)
            .filter(LifecycleRuleFilter::builder().prefix(prefix).build())
            .expiration(LifecycleExpiration::builder().days(days).build())
            .abort_incomplete_multipart_upload(unfinished_uploads_go_after_a_day())
            .build()
            .expect("status set")
    };
    let rules = prefixes.iter().map(|(id, prefix)| rule(id, prefix));
    s3.put_bucket_lifecycle_configuration()
        .bucket(name)
        .lifecycle_configuration(
            BucketLifecycleConfiguration::builder()
                .set_rules(Some(rules.collect()))
                .build()
                .expect("rules set"),
        )
        .send()
        .await
        .aws()?;
    Ok(())
}

/// Uploads are versioned: a deleted or overwritten photo stays as a
/// noncurrent version for `keep_days`, then expires; a delete marker left
/// alone is removed; unfinished uploads go after a day.
pub async fn put_uploads_versioning(
    s3: &Client,
    name: &str,
    keep_days: i32,
) -> Result<(), AwsError> {
    s3.put_bucket_versioning()
        .bucket(name)
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .aws()?;
    let rule = LifecycleRule::builder()
        .id("photosky-deleted-photos")
        .status(ExpirationStatus::Enabled)
        .filter(LifecycleRuleFilter::builder().prefix("").build())
        .noncurrent_version_expiration(
            NoncurrentVersionExpiration::builder()
                .noncurrent_days(keep_days)
                .build(),
        )
        .expiration(
            LifecycleExpiration::builder()
                .expired_object_delete_marker(true)
                .build(),
        )
        .abort_incomplete_multipart_upload(unfinished_uploads_go_after_a_day())
        .build()
        .expect("status set");
    s3.put_bucket_lifecycle_configuration()
        .bucket(name)
        .lifecycle_configuration(
            BucketLifecycleConfiguration::builder()
                .rules(rule)
                .build()
                .expect("rules set"),
        )
        .send()
        .await
        .aws()?;
    Ok(())
}

pub async fn wait_exists(s3: &Client, name: &str) -> Result<(), AwsError> {
    s3.wait_until_bucket_exists()
        .bucket(name)
        .wait(Duration::from_secs(60))
        .await
        .map(|_| ())
        .map_err(AwsError::waiter)
}

/// Public access blocked, SSE-S3 by default, TLS-only policy, the stack tag.
pub async fn secure(
    s3: &Client,
    name: &str,
    tls_policy: &str,
    stack: &str,
) -> Result<(), AwsError> {
    s3.put_public_access_block()
        .bucket(name)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .aws()?;
    let by_default = ServerSideEncryptionByDefault::builder()
        .sse_algorithm(ServerSideEncryption::Aes256)
        .build()
        .expect("algorithm set");
    s3.put_bucket_encryption()
        .bucket(name)
        .server_side_encryption_configuration(
            ServerSideEncryptionConfiguration::builder()
                .rules(
                    ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(by_default)
                        .build(),
                )
                .build()
                .expect("rules set"),
        )
        .send()
        .await
        .aws()?;
    s3.put_bucket_policy()
        .bucket(name)
        .policy(tls_policy)
        .send()
        .await
        .aws()?;
    let tag = Tag::builder()
        .key(super::STACK_TAG)
        .value(stack)
        .build()
        .expect("key and value set");
    s3.put_bucket_tagging()
        .bucket(name)
        .tagging(Tagging::builder().tag_set(tag).build().expect("tags set"))
        .send()
        .await
        .aws()?;
    Ok(())
}

/// What browsers may do cross-origin on the upload bucket: read photos
/// (presigned GET) and upload with a presigned POST form. No PUT: the API
/// never signs one.
pub const UPLOAD_CORS_METHODS: &[&str] = &["GET", "HEAD", "POST"];
/// On the thumbnail bucket: only read (presigned GET); nothing uploads there.
pub const THUMBNAIL_CORS_METHODS: &[&str] = &["GET", "HEAD"];

/// Browsers upload straight to the source bucket (presigned POST) and read
/// photos and thumbnails with presigned GETs, from these origins.
pub async fn put_cors(
    s3: &Client,
    name: &str,
    origins: &[String],
    methods: &[&str],
) -> Result<(), AwsError> {
    let rule = CorsRule::builder()
        .set_allowed_origins(Some(origins.to_vec()))
        .set_allowed_methods(Some(methods.iter().map(|m| m.to_string()).collect()))
        .allowed_headers("*")
        .expose_headers("ETag")
        .max_age_seconds(3000)
        .build()
        .expect("methods and origins set");
    s3.put_bucket_cors()
        .bucket(name)
        .cors_configuration(
            CorsConfiguration::builder()
                .cors_rules(rule)
                .build()
                .expect("rules set"),
        )
        .send()
        .await
        .aws()?;
    Ok(())
}

pub async fn put_object(
    s3: &Client,
    bucket: &str,
    key: &str,
    body: Vec<u8>,
) -> Result<(), AwsError> {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body))
        .send()
        .await
        .aws()?;
    Ok(())
}

pub async fn find_object(s3: &Client, bucket: &str, key: &str) -> Result<bool, AwsError> {
    match s3.head_object().bucket(bucket).key(key).send().await.aws() {
        Ok(_) => Ok(true),
        Err(e) if e.is_not_found() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Delete every object version and delete marker (all pages), then the
/// bucket: S3 refuses to delete a bucket that holds anything (BucketNotEmpty).
pub async fn delete(s3: &Client, name: &str) -> Result<bool, AwsError> {
    let mut key_marker: Option<String> = None;
    let mut version_marker: Option<String> = None;
    loop {
        let page = s3
            .list_object_versions()
            .bucket(name)
            .set_key_marker(key_marker.clone())
            .set_version_id_marker(version_marker.clone())
            .send()
            .await
            .aws();
        let page = match page {
            Ok(p) => p,
            Err(e) if e.is_not_found() => return Ok(false),
            Err(e) => return Err(e),
        };
        let mut ids: Vec<ObjectIdentifier> = Vec::new();
        let versions = page.versions().iter().map(|v| (v.key(), v.version_id()));
        let markers = page
            .delete_markers()
            .iter()
            .map(|m| (m.key(), m.version_id()));
        for (key, version) in versions.chain(markers) {
            if let Some(key) = key {
                ids.push(
                    ObjectIdentifier::builder()
                        .key(key)
                        .set_version_id(version.map(str::to_owned))
                        .build()
                        .expect("key set"),
                );
            }
        }
        // A page holds at most 1000 entries, the DeleteObjects limit.
        if !ids.is_empty() {
            let out = s3
                .delete_objects()
                .bucket(name)
                .delete(
                    Delete::builder()
                        .set_objects(Some(ids))
                        .quiet(true)
                        .build()
                        .expect("objects set"),
                )
                .send()
                .await
                .aws()?;
            if let Some(err) = out.errors().first() {
                return Err(AwsError::from_parts(
                    err.code().unwrap_or("DeleteObjectsError"),
                    &format!(
                        "{} ({})",
                        err.message().unwrap_or("could not delete an object"),
                        err.key().unwrap_or("?")
                    ),
                ));
            }
        }
        if page.is_truncated() == Some(true) {
            key_marker = page.next_key_marker().map(str::to_owned);
            version_marker = page.next_version_id_marker().map(str::to_owned);
        } else {
            break;
        }
    }
    not_found_is_ok(s3.delete_bucket().bucket(name).send().await.aws())
}

/// The name of every bucket in `region` (ListBuckets lists every region's:
/// only this one's are asked), for discovery.
pub async fn list_names(s3: &Client, region: &str) -> Result<Vec<String>, AwsError> {
    let mut names = Vec::new();
    let mut pages = s3
        .list_buckets()
        .bucket_region(region)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.aws()?;
        names.extend(
            page.buckets()
                .iter()
                .filter_map(|b| b.name().map(str::to_owned)),
        );
    }
    Ok(names)
}

/// How many objects under `prefix` (up to `most`), and whether there are
/// more: one ListObjectsV2 page.
pub async fn count_objects(
    s3: &Client,
    bucket: &str,
    prefix: &str,
    most: i32,
) -> Result<(i32, bool), AwsError> {
    let page = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(prefix)
        .max_keys(most)
        .send()
        .await
        .aws()?;
    Ok((
        page.key_count().unwrap_or(0),
        page.is_truncated().unwrap_or(false),
    ))
}
