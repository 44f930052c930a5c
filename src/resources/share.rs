//! Share links the gallery made: records `shares/<id>.json` in the stack's
//! thumbnail bucket (the handler's `shares.rs` writes them and says why they
//! look as they do). photosky lists them and deletes them (revoking the
//! link); it never makes one, and never sees a link's token, which the
//! bucket does not hold. Calls: ListObjectsV2, GetObject, DeleteObject.

use aws_sdk_s3::Client;
use serde::{Deserialize, Serialize};

use crate::aws::{AwsError, AwsResultExt};

pub const PREFIX: &str = "shares/";

/// A record as the handler writes it (times in seconds since the epoch).
#[derive(Debug, Clone, Deserialize)]
pub struct Record {
    pub photos: Vec<Photo>,
    pub created: i64,
    pub expires: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Photo {
    pub id: String,
}

/// Whether `id` can name a record: 32 lower-case hex digits.
pub fn is_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn key(id: &str) -> String {
    format!("{PREFIX}{id}.json")
}

/// Every share record (all pages), by id; one that does not parse is
/// skipped (it is not one photosky's gallery wrote).
pub async fn list(s3: &Client, bucket: &str) -> Result<Vec<(String, Record)>, AwsError> {
    let mut out = Vec::new();
    let mut pages = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(PREFIX)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.aws()?;
        for object in page.contents() {
            let id = object
                .key()
                .and_then(|k| k.strip_prefix(PREFIX)?.strip_suffix(".json"))
                .filter(|id| is_id(id));
            if let Some(id) = id {
                if let Some(record) = find(s3, bucket, id).await? {
                    out.push((id.to_owned(), record));
                }
            }
        }
    }
    Ok(out)
}

/// The record, if it exists and is one.
pub async fn find(s3: &Client, bucket: &str, id: &str) -> Result<Option<Record>, AwsError> {
    let read = s3
        .get_object()
        .bucket(bucket)
        .key(key(id))
        .send()
        .await
        .aws();
    let object = match read {
        Ok(o) => o,
        Err(e) if e.is_not_found() || e.is("NoSuchKey") => return Ok(None),
        Err(e) => return Err(e),
    };
    let body = object
        .body
        .collect()
        .await
        .map_err(|e| AwsError::from_parts("ReadError", &format!("reading share {id}: {e}")))?;
    Ok(serde_json::from_slice(&body.into_bytes()).ok())
}

/// Revoke: `false` if there was no such share.
pub async fn delete(s3: &Client, bucket: &str, id: &str) -> Result<bool, AwsError> {
    if find(s3, bucket, id).await?.is_none() {
        return Ok(false);
    }
    s3.delete_object()
        .bucket(bucket)
        .key(key(id))
        .send()
        .await
        .aws()?;
    Ok(true)
}
