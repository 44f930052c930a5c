//! Each version of an upload is thumbnailed once, whoever asks first: the
//! S3 trigger, or the page's `?preview=1` right after its upload (they
//! race: the page asks as soon as S3 answers the upload, the trigger comes
//! a moment later).
//!
//! What decides is the original's ETag, never a timer:
//! - **Done**: each thumbnail carries the ETag of the original it was made
//!   from (metadata `source-etag`). The smallest is written last, so when it
//!   names this version, all of them do.
//! - **Claimed**: whoever starts writes `making/<id>/<etag>` with
//!   `If-None-Match: *`, an S3 conditional write: of two at once, exactly
//!   one succeeds and the other gets 412. The claim goes when the work ends,
//!   however it ends.
//! - A claim left by an invocation that died (a timeout, out of memory) is
//!   taken over once it is older than the longest any invocation can live
//!   (`Config::work_lease_seconds`, the function's timeout): Lambda has
//!   stopped its writer by then. The takeover is itself conditional
//!   (`If-Match` on the stale claim's ETag), so only one takes it; if the
//!   claim was released meanwhile (404), the version is claimed afresh.
//! - S3 answers a conditional write `409 ConditionalRequestConflict` when
//!   another write to the key is under way, and says to retry: retried a
//!   few times, never taken as a lost race (nobody may have won it).

use std::time::{Duration, SystemTime};

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;

use crate::keys;
use crate::s3_event::{describe, Failure};

/// The metadata key on each thumbnail: the original's ETag, unquoted.
pub const SOURCE_ETAG: &str = "source-etag";

/// Whose turn it is to make a version's thumbnails.
#[derive(Debug)]
pub enum Turn {
    /// Ours: make them, then `release`.
    Ours(Claim),
    /// Another invocation holds a live claim on this version.
    Elsewhere,
}

/// A claim this invocation holds.
#[derive(Debug)]
pub struct Claim {
    key: String,
}

/// Whether this version's thumbnails are all written: the smallest (written
/// last) was made from it.
pub async fn made(
    s3: &Client,
    dest: &str,
    smallest_key: &str,
    etag: &str,
) -> Result<bool, Failure> {
    match s3.head_object().bucket(dest).key(smallest_key).send().await {
        Ok(head) => Ok(head
            .metadata()
            .and_then(|m| m.get(SOURCE_ETAG))
            .is_some_and(|made_from| made_from == unquoted(etag))),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(false),
        Err(e) => Err(Failure::Transient(describe(&e))),
    }
}

/// Claim this version, or learn that another invocation has it.
pub async fn claim(
    s3: &Client,
    dest: &str,
    id: &str,
    etag: &str,
    lease: Duration,
) -> Result<Turn, Failure> {
    let key = keys::making_key(id, etag);
    let put = |condition: Condition| put_claim(s3, dest, &key, condition);
    if put(Condition::Absent).await? == Put::Won {
        return Ok(Turn::Ours(Claim { key }));
    }
    // Held: live, or left by an invocation that is gone?
    let held = match s3.head_object().bucket(dest).key(&key).send().await {
        Ok(h) => h,
        // Released between our write and this look: try once more.
        Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => {
            return Ok(if put(Condition::Absent).await? == Put::Won {
                Turn::Ours(Claim { key })
            } else {
                Turn::Elsewhere
            });
        }
        Err(e) => return Err(Failure::Transient(describe(&e))),
    };
    let age = held
        .last_modified()
        .and_then(|t| SystemTime::try_from(*t).ok())
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .unwrap_or_default();
    if age < lease {
        return Ok(Turn::Elsewhere);
    }
    let Some(stale) = held.e_tag() else {
        return Ok(Turn::Elsewhere);
    };
    Ok(match put(Condition::Is(stale.to_owned())).await? {
        Put::Won => Turn::Ours(Claim { key }),
        // Released since we looked: claimed afresh, or by another.
        Put::Missing if put(Condition::Absent).await? == Put::Won => Turn::Ours(Claim { key }),
        _ => Turn::Elsewhere,
    })
}

/// How a conditional write of a claim ended.
#[derive(Debug, PartialEq)]
enum Put {
    Won,
    /// 412: the condition failed: another claimed first.
    Lost,
    /// 404 to `If-Match`: the claim to take over is gone.
    Missing,
}

/// How often a `409 ConditionalRequestConflict` is retried, and the first
/// pause (doubling): another write to the key was under way.
const CONFLICT_RETRIES: u32 = 4;
const CONFLICT_PAUSE: Duration = Duration::from_millis(50);

async fn put_claim(
    s3: &Client,
    dest: &str,
    key: &str,
    condition: Condition,
) -> Result<Put, Failure> {
    let mut pause = CONFLICT_PAUSE;
    let mut retries = 0;
    loop {
        let request = s3
            .put_object()
            .bucket(dest)
            .key(key)
            .body(ByteStream::from_static(b"thumbnails being made"))
            .content_type("text/plain; charset=utf-8");
        let request = match &condition {
            Condition::Absent => request.if_none_match("*"),
            Condition::Is(etag) => request.if_match(etag),
        };
        let e = match request.send().await {
            Ok(_) => return Ok(Put::Won),
            Err(e) => e,
        };
        let status = e.raw_response().map(|r| r.status().as_u16());
        match (status, e.code()) {
            (Some(412), _) | (_, Some("PreconditionFailed")) => return Ok(Put::Lost),
            (Some(404), _) | (_, Some("NoSuchKey")) if matches!(condition, Condition::Is(_)) => {
                return Ok(Put::Missing)
            }
            (Some(409), _) | (_, Some("ConditionalRequestConflict"))
                if retries < CONFLICT_RETRIES =>
            {
                retries += 1;
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
            _ => return Err(Failure::Transient(describe(&e))),
        }
    }
}

/// Give the claim up (the work is done, or failed). Best effort: a claim
/// that stays is taken over after the lease.
pub async fn release(s3: &Client, dest: &str, claim: Claim) {
    if let Err(e) = s3.delete_object().bucket(dest).key(&claim.key).send().await {
        println!(
            "{}",
            serde_json::json!({"level": "warn", "event": "claim-not-released", "key": claim.key, "error": describe(&e)})
        );
    }
}

enum Condition {
    Absent,
    Is(String),
}

pub fn unquoted(etag: &str) -> &str {
    etag.trim_matches('"')
}
