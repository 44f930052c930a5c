//! S3 ObjectCreated records -> thumbnails in the destination bucket.
//!
//! Every record is handled (not only the first). Keys outside the upload
//! prefix, and anything in the destination bucket, are ignored, so a
//! misdirected trigger cannot recurse. A permanent failure (corrupt,
//! unsupported, too large, deleted before it was read) is logged as one JSON
//! line with the key and reason, and skipped. A transient one (S3 timeout,
//! throttling, 5xx) fails the invocation after the other records were done,
//! so Lambda retries the event; thumbnails are overwritten with the same
//! bytes, so re-delivery is harmless.

use aws_lambda_events::s3::{S3Event, S3EventRecord};
use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Error;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;
use aws_smithy_types::error::display::DisplayErrorContext;
use serde_json::json;

use crate::config::Config;
use crate::keys;
use crate::thumbnail;
use crate::timeline;
use crate::work;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Thumbnails written: (key, width, height) of each.
    Made {
        key: String,
        thumbnails: Vec<(String, u32, u32)>,
    },
    /// Permanent failure: logged and skipped.
    Skipped { key: String, reason: String },
    /// Not ours to handle.
    Ignored { key: String, why: &'static str },
}

/// The invocation must fail so Lambda retries: these records hit a
/// transient error.
#[derive(Debug)]
pub struct Retry {
    pub failures: Vec<(String, String)>,
}

impl std::fmt::Display for Retry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list: Vec<String> = self
            .failures
            .iter()
            .map(|(k, e)| format!("{k}: {e}"))
            .collect();
        write!(
            f,
            "{} record(s) failed transiently and will be retried: {}",
            self.failures.len(),
            list.join("; ")
        )
    }
}

impl std::error::Error for Retry {}

pub async fn handle(s3: &Client, cfg: &Config, event: S3Event) -> Result<Vec<Outcome>, Retry> {
    let mut outcomes = Vec::new();
    let mut failures = Vec::new();
    for record in event.records {
        let raw_key = record.s3.object.key.clone().unwrap_or_default();
        match handle_record(s3, cfg, &record).await {
            Ok(outcome) => {
                log(&record, &outcome);
                outcomes.push(outcome);
            }
            Err(e) => {
                println!(
                    "{}",
                    json!({"level": "error", "event": "retry", "key": raw_key, "error": e})
                );
                failures.push((raw_key, e));
            }
        }
    }
    if failures.is_empty() {
        Ok(outcomes)
    } else {
        Err(Retry { failures })
    }
}

fn log(record: &S3EventRecord, outcome: &Outcome) {
    let bucket = record.s3.bucket.name.as_deref().unwrap_or("");
    let line = match outcome {
        Outcome::Made { key, thumbnails } => {
            let made: Vec<_> = thumbnails
                .iter()
                .map(|(k, w, h)| json!({"key": k, "width": w, "height": h}))
                .collect();
            json!({"level": "info", "event": "thumbnails", "bucket": bucket, "key": key, "made": made})
        }
        Outcome::Skipped { key, reason } => {
            json!({"level": "warn", "event": "skipped", "bucket": bucket, "key": key, "reason": reason})
        }
        Outcome::Ignored { key, why } => {
            json!({"level": "info", "event": "ignored", "bucket": bucket, "key": key, "why": why})
        }
    };
    println!("{line}");
}

/// `Err` only for transient failures.
async fn handle_record(
    s3: &Client,
    cfg: &Config,
    record: &S3EventRecord,
) -> Result<Outcome, String> {
    let raw = record.s3.object.key.clone().unwrap_or_default();
    let skip = |key: &str, reason: String| {
        Ok(Outcome::Skipped {
            key: key.to_owned(),
            reason,
        })
    };
    if !record
        .event_name
        .as_deref()
        .unwrap_or("ObjectCreated:")
        .starts_with("ObjectCreated:")
    {
        return Ok(Outcome::Ignored {
            key: raw,
            why: "not an ObjectCreated event",
        });
    }
    let Some(key) = keys::decode_event_key(&raw) else {
        return skip(&raw, "key is not valid UTF-8 after URL-decoding".into());
    };
    let bucket = record.s3.bucket.name.clone().unwrap_or_default();
    let Some(dest) = cfg.dest_bucket.as_deref() else {
        return Err("DEST_BUCKET is not set".into());
    };
    if bucket == dest {
        return Ok(Outcome::Ignored {
            key,
            why: "object is in the thumbnail bucket (our own output)",
        });
    }
    let Some(id) = keys::upload_id(&key, &cfg.upload_prefix) else {
        return Ok(Outcome::Ignored {
            key,
            why: "key is outside the upload prefix",
        });
    };
    let announced = record.s3.object.size.unwrap_or(0);
    let etag = record.s3.object.e_tag.as_deref();
    if announced as u64 > cfg.max_input_bytes {
        let reason = format!(
            "{announced} bytes is over the limit of {}",
            cfg.max_input_bytes
        );
        if let Some(etag) = etag {
            remember_failure(s3, dest, id, etag, &reason).await;
            discard(s3, &bucket, &key, etag).await;
        }
        return skip(&key, reason);
    }

    match thumbnail_object(s3, cfg, &bucket, &key, id, etag).await {
        Ok(Made::Now(thumbnails)) => Ok(Outcome::Made { key, thumbnails }),
        Ok(Made::Already) => Ok(Outcome::Ignored {
            key,
            why: "this version's thumbnails were made already",
        }),
        Ok(Made::Elsewhere) => Ok(Outcome::Ignored {
            key,
            why: "this version's thumbnails are being made by another request",
        }),
        Err(Failure::Permanent(reason)) => skip(&key, reason),
        Err(Failure::Transient(e)) => Err(e),
    }
}

/// Why an object got no thumbnails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Retrying cannot help: corrupt, unsupported, too large, gone.
    Permanent(String),
    /// S3 unreachable, throttled, 5xx: worth retrying.
    Transient(String),
}

/// What `thumbnail_object` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    /// Made them now: (key, width, height) of each.
    Now(Vec<(String, u32, u32)>),
    /// This version's were made already.
    Already,
    /// Another invocation is making this version's (`work.rs`).
    Elsewhere,
}

/// Read `bucket/key` (the upload with this id), make its thumbnails and
/// write them to the destination bucket. The S3 trigger and the API's
/// "make it now" preview share this.
///
/// Given the version's `etag`, each version is made once (`work.rs`): one
/// whose thumbnails exist is not made again, and one another invocation is
/// making is left to it. A version that could not be thumbnailed is
/// remembered by its ETag (`keys::failure_key`) and refused at once,
/// without downloading or decoding it again.
pub async fn thumbnail_object(
    s3: &Client,
    cfg: &Config,
    bucket: &str,
    key: &str,
    id: &str,
    etag: Option<&str>,
) -> Result<Made, Failure> {
    let Some(dest) = cfg.dest_bucket.as_deref() else {
        return Err(Failure::Transient("DEST_BUCKET is not set".into()));
    };
    let Some(etag) = etag else {
        return make(s3, cfg, dest, bucket, key, id).await.map(Made::Now);
    };
    if let Some(reason) = remembered_failure(s3, dest, id, etag).await? {
        // Not kept, if a crash came between remembering and discarding.
        discard(s3, bucket, key, etag).await;
        return Err(Failure::Permanent(format!(
            "{reason} (found earlier; not tried again)"
        )));
    }
    let last = keys::thumbnail_key(cfg.thumbnails.smallest(), id);
    if work::made(s3, dest, &last, etag).await? {
        return Ok(Made::Already);
    }
    let lease = std::time::Duration::from_secs(cfg.work_lease_seconds);
    let claim = match work::claim(s3, dest, id, etag, lease).await? {
        work::Turn::Ours(claim) => claim,
        work::Turn::Elsewhere => return Ok(Made::Elsewhere),
    };
    // Another may have finished and let go between the look and the claim.
    let made = match work::made(s3, dest, &last, etag).await {
        Ok(true) => Ok(Made::Already),
        Ok(false) => make(s3, cfg, dest, bucket, key, id).await.map(Made::Now),
        Err(e) => Err(e),
    };
    work::release(s3, dest, claim).await;
    made
}

/// The work itself: read, decode, write each size (each marked with the
/// ETag of the original it was made from).
async fn make(
    s3: &Client,
    cfg: &Config,
    dest: &str,
    bucket: &str,
    key: &str,
    id: &str,
) -> Result<Vec<(String, u32, u32)>, Failure> {
    let object = match s3.get_object().bucket(bucket).key(key).send().await {
        Ok(o) => o,
        Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => {
            return Err(Failure::Permanent("deleted before it could be read".into()));
        }
        Err(e) => return Err(Failure::Transient(describe(&e))),
    };
    // This version, read, cannot make thumbnails: remembered by its ETag.
    let read = object.e_tag().map(str::to_owned);
    let stored = object.last_modified().copied();
    let refuse = |reason: String| async {
        if let Some(read) = &read {
            remember_failure(s3, dest, id, read, &reason).await;
            discard(s3, bucket, key, read).await;
        }
        Failure::Permanent(reason)
    };
    let length = object.content_length().unwrap_or(0);
    if length as u64 > cfg.max_input_bytes {
        return Err(refuse(format!(
            "{length} bytes is over the limit of {}",
            cfg.max_input_bytes
        ))
        .await);
    }
    let bytes = object
        .body
        .collect()
        .await
        .map_err(|e| Failure::Transient(format!("reading the object: {e}")))?
        .into_bytes();
    let entry = timeline::key_of(&bytes, stored.as_ref(), id);
    let opts = cfg.thumbnails.clone();
    let made = tokio::task::spawn_blocking(move || thumbnail::make(&bytes, &opts))
        .await
        .map_err(|e| Failure::Transient(format!("thumbnail task: {e}")))?;
    let thumbs = match made {
        Ok(thumbs) => thumbs,
        Err(reason) => return Err(refuse(reason.to_string()).await),
    };
    // A photo: on the timeline, from now on (before its thumbnails, so a
    // failure writing them leaves it listed, its tile asking for them).
    timeline::add(s3, dest, &entry)
        .await
        .map_err(Failure::Transient)?;
    let mut written = Vec::new();
    for t in thumbs {
        let thumb_key = keys::thumbnail_key(t.size, id);
        s3.put_object()
            .bucket(dest)
            .key(&thumb_key)
            .body(ByteStream::from(t.jpeg))
            .content_type("image/jpeg")
            .cache_control("public, max-age=86400")
            .set_metadata(read.as_deref().map(|etag| {
                [(
                    work::SOURCE_ETAG.to_owned(),
                    work::unquoted(etag).to_owned(),
                )]
                .into()
            }))
            .send()
            .await
            .map_err(|e| Failure::Transient(describe(&e)))?;
        written.push((thumb_key, t.width, t.height));
    }
    // A delete that came while these were made (the photo API deletes the
    // original, then the thumbnails again) must not leave them behind: if
    // the original is gone now, so are they.
    let still_there = exists(s3, bucket, key)
        .await
        .map_err(|e| Failure::Transient(describe(&e)))?;
    if !still_there {
        for (thumb_key, ..) in &written {
            s3.delete_object()
                .bucket(dest)
                .key(thumb_key)
                .send()
                .await
                .map_err(|e| Failure::Transient(describe(&e)))?;
        }
        timeline::remove(s3, dest, &entry)
            .await
            .map_err(Failure::Transient)?;
        // Not remembered as a failure: the photo is gone, nothing to ask.
        return Err(Failure::Permanent(
            "deleted while its thumbnails were made; they are removed".into(),
        ));
    }
    Ok(written)
}

/// Why this version of the photo could not be thumbnailed, if remembered.
pub async fn remembered_failure(
    s3: &Client,
    dest: &str,
    id: &str,
    etag: &str,
) -> Result<Option<String>, Failure> {
    let key = keys::failure_key(id, etag);
    match s3.get_object().bucket(dest).key(&key).send().await {
        Ok(o) => {
            let body = o
                .body
                .collect()
                .await
                .map_err(|e| Failure::Transient(format!("reading {key}: {e}")))?;
            let reason = String::from_utf8_lossy(&body.into_bytes()).into_owned();
            Ok(Some(reason))
        }
        Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
        Err(e) => Err(Failure::Transient(describe(&e))),
    }
}

/// Remember that this version cannot be thumbnailed. Best effort: if the
/// write fails, the next attempt only costs the work again.
async fn remember_failure(s3: &Client, dest: &str, id: &str, etag: &str, reason: &str) {
    let key = keys::failure_key(id, etag);
    let written = s3
        .put_object()
        .bucket(dest)
        .key(&key)
        .body(ByteStream::from(reason.as_bytes().to_vec()))
        .content_type("text/plain; charset=utf-8")
        .send()
        .await;
    if let Err(e) = written {
        println!(
            "{}",
            json!({"level": "warn", "event": "failure-not-remembered", "key": key, "error": describe(&e)})
        );
    }
}

/// An upload that can never be shown is not kept as a photo: its version,
/// if it is still the current one, is deleted, so that nobody's gallery
/// lists it. Under the upload bucket's versioning the delete leaves a
/// marker, so the file stays restorable for `--keep-deleted-days`; why it
/// failed stays remembered (`failed/`) for the uploader's preview to say.
/// Best effort: a failure is logged, and the next look tries again.
async fn discard(s3: &Client, bucket: &str, key: &str, etag: &str) {
    let not_discarded = |error: String| {
        println!(
            "{}",
            json!({"level": "warn", "event": "not-discarded", "key": key, "error": error})
        )
    };
    let current = match find(s3, bucket, key).await {
        Ok(current) => current,
        Err(e) => return not_discarded(describe(&e)),
    };
    // Gone already, or replaced by another version: not this one's to delete.
    if current.as_deref().map(work::unquoted) != Some(work::unquoted(etag)) {
        return;
    }
    match s3.delete_object().bucket(bucket).key(key).send().await {
        Ok(_) => println!(
            "{}",
            json!({"level": "info", "event": "discarded", "key": key})
        ),
        Err(e) => not_discarded(describe(&e)),
    }
}

/// The ETag of `key` if it exists, by listing (see `exists`).
pub async fn find(
    s3: &Client,
    bucket: &str,
    key: &str,
) -> Result<Option<String>, aws_sdk_s3::error::SdkError<ListObjectsV2Error>> {
    let page = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(key)
        .max_keys(1)
        .send()
        .await?;
    Ok(page
        .contents()
        .first()
        .filter(|o| o.key() == Some(key))
        .map(|o| o.e_tag().unwrap_or_default().to_owned()))
}

/// Whether `key` exists. Listing by prefix, not HeadObject: a HEAD of a
/// missing key answers 403, not 404, unless the caller may list the whole
/// bucket, and the function's role may list only the upload prefix of the
/// source bucket. The API's lookups use it too.
pub async fn exists(
    s3: &Client,
    bucket: &str,
    key: &str,
) -> Result<bool, aws_sdk_s3::error::SdkError<ListObjectsV2Error>> {
    Ok(find(s3, bucket, key).await?.is_some())
}

pub fn describe<E>(e: &aws_sdk_s3::error::SdkError<E>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    use aws_sdk_s3::error::SdkError;
    match (e.code(), e.message()) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c.to_owned(),
        // No code: say what happened, never the SDK's dump of the request
        // and response (headers, internal types) that Display would give.
        _ => match e {
            SdkError::TimeoutError(_) => "the request to S3 timed out".into(),
            SdkError::DispatchFailure(_) => format!("S3 could not be reached ({})", root_cause(e)),
            SdkError::ConstructionFailure(_) => {
                format!("the request to S3 could not be made ({})", root_cause(e))
            }
            _ => match e.raw_response().map(|r| r.status().as_u16()) {
                Some(403) => "HTTP 403 Forbidden (access denied)".into(),
                Some(404) => "HTTP 404 Not Found".into(),
                Some(status) => format!("HTTP {status} with no error details"),
                None => "S3's answer could not be read".into(),
            },
        },
    }
}

/// The innermost error under `e`: "Connection refused (os error 111)", not
/// the layers of SDK types around it.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Everything the SDK knows about an S3 error, for the function's log.
pub fn detail<E>(e: &aws_sdk_s3::error::SdkError<E>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    DisplayErrorContext(e).to_string()
}
