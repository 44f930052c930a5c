//! The timeline: every kept photo by the day it was taken, newest first.
//!
//! S3 cannot sort by anything but the key, so the order is a key: each photo
//! has an empty object at `keys::timeline_key(date, id)` in the destination
//! bucket, its date the EXIF DateTimeOriginal of the original (the camera's
//! clock), else the time S3 stored the upload (UTC). Listing the prefix is
//! the timeline, stable across reloads and paged by S3's continuation token.
//!
//! - The trigger (and the API's "make it now") writes the entry once a photo
//!   has decoded (`s3_event::make`), so a file that is not a photo never has
//!   one, and removes it with the thumbnails if the photo was deleted while
//!   they were made.
//! - A delete removes it (its key is computed again from the original, which
//!   is still there at that moment).
//! - Photos uploaded before the timeline existed get theirs from
//!   [`backfill`], which `GET /timeline` runs until it has seen every upload
//!   once, in bounded slices, remembering where it got to.

use std::time::{Duration, Instant};

use aws_sdk_s3::primitives::{ByteStream, DateTime};
use aws_sdk_s3::Client;
use aws_smithy_types::date_time::Format;
use serde_json::json;

use crate::keys;
use crate::s3_event::describe;
use crate::thumbnail::exif;

/// The start of an original read for its EXIF: a JPEG's metadata segment is
/// at most 64 KiB, after at most a JFIF header. The trigger reads the date
/// from the same bytes as a delete does, so both compute the same key.
pub const EXIF_BYTES: usize = 128 * 1024;

/// Where the backfill got to: absent (never run), `complete`, or `after <key>`.
pub const BACKFILL_KEY: &str = "timeline-backfill";
/// How long one `GET /timeline` spends on the backfill (well inside API
/// Gateway's 29 s), and how many originals it reads at once.
const BACKFILL_BUDGET: Duration = Duration::from_secs(15);
const BACKFILL_PARALLEL: usize = 8;

/// The date a photo is placed at: `YYYY-MM-DDTHH:MM:SS`. `start` is the
/// start of the original (at most [`EXIF_BYTES`] are read), `stored` the
/// time S3 has for the upload.
pub fn date_of(start: &[u8], stored: Option<&DateTime>) -> String {
    let start = &start[..start.len().min(EXIF_BYTES)];
    exif::details(start).taken.unwrap_or_else(|| {
        stored
            .and_then(|t| t.fmt(Format::DateTime).ok())
            .and_then(|t| t.get(..19).map(str::to_owned))
            .unwrap_or_else(|| "1970-01-01T00:00:00".into())
    })
}

/// The timeline key of a photo, from the start of its original.
pub fn key_of(start: &[u8], stored: Option<&DateTime>, id: &str) -> String {
    let date = date_of(start, stored);
    // `date_of` only gives that shape; the epoch if it ever did not.
    keys::timeline_key(&date, id)
        .unwrap_or_else(|| format!("{}{:014}/{id}", keys::TIMELINE_PREFIX, 0))
}

pub async fn add(s3: &Client, dest: &str, key: &str) -> Result<(), String> {
    put(s3, dest, key, Vec::new(), None).await
}

pub async fn remove(s3: &Client, dest: &str, key: &str) -> Result<(), String> {
    s3.delete_object()
        .bucket(dest)
        .key(key)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| describe(&e))
}

/// The start of an original and when S3 stored it; `None` if it is gone.
pub async fn read_start(
    s3: &Client,
    bucket: &str,
    key: &str,
) -> Result<Option<(Vec<u8>, Option<DateTime>)>, String> {
    let read = s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .range(format!("bytes=0-{}", EXIF_BYTES - 1))
        .send()
        .await;
    let object = match read {
        Ok(o) => o,
        Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => return Ok(None),
        // An empty file has no range to give: no EXIF, and its time is
        // not known here; it is not a photo, and is discarded anyway.
        Err(e) if aws_sdk_s3::error::ProvideErrorMetadata::code(&e) == Some("InvalidRange") => {
            return Ok(Some((Vec::new(), None)))
        }
        Err(e) => return Err(describe(&e)),
    };
    let stored = object.last_modified().copied();
    let start = object
        .body
        .collect()
        .await
        .map_err(|e| format!("reading {key}: {e}"))?
        .into_bytes()
        .to_vec();
    Ok(Some((start, stored)))
}

/// Give every upload listed before the timeline existed its entry, for at
/// most [`BACKFILL_BUDGET`], carrying on from where the last call stopped.
/// Returns whether every upload has been seen. Entries are written by key,
/// so writing one twice (or one the trigger wrote) changes nothing.
pub async fn backfill(
    s3: &Client,
    source: &str,
    dest: &str,
    upload_prefix: &str,
) -> Result<bool, String> {
    let after = match s3.get_object().bucket(dest).key(BACKFILL_KEY).send().await {
        Ok(o) => {
            let body = o.body.collect().await.map_err(|e| e.to_string())?;
            let text = String::from_utf8_lossy(&body.into_bytes()).into_owned();
            if text == "complete" {
                return Ok(true);
            }
            text.strip_prefix("after ").map(str::to_owned)
        }
        Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => None,
        Err(e) => return Err(describe(&e)),
    };
    let started = Instant::now();
    let mut token = None;
    loop {
        let page = s3
            .list_objects_v2()
            .bucket(source)
            .prefix(upload_prefix)
            .delimiter("/")
            .set_start_after(after.clone().filter(|_| token.is_none()))
            .set_continuation_token(token.take())
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let ids: Vec<String> = page
            .contents()
            .iter()
            .filter_map(|o| o.key())
            .filter(|k| keys::upload_id(k, upload_prefix).is_some())
            .map(str::to_owned)
            .collect();
        for chunk in ids.chunks(BACKFILL_PARALLEL) {
            let mut set = tokio::task::JoinSet::new();
            for key in chunk {
                let (s3, source, dest, key) =
                    (s3.clone(), source.to_owned(), dest.to_owned(), key.clone());
                let id = key[upload_prefix.len()..].to_owned();
                set.spawn(async move {
                    match read_start(&s3, &source, &key).await? {
                        Some((start, stored)) => {
                            add(&s3, &dest, &key_of(&start, stored.as_ref(), &id)).await
                        }
                        None => Ok(()),
                    }
                });
            }
            while let Some(done) = set.join_next().await {
                done.map_err(|e| e.to_string())??;
            }
            if started.elapsed() > BACKFILL_BUDGET {
                let at = format!("after {}", chunk.last().cloned().unwrap_or_default());
                put(s3, dest, BACKFILL_KEY, at.into_bytes(), Some(TEXT)).await?;
                println!(
                    "{}",
                    json!({"level": "info", "event": "timeline-backfill", "complete": false})
                );
                return Ok(false);
            }
        }
        match page.next_continuation_token() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    put(s3, dest, BACKFILL_KEY, b"complete".to_vec(), Some(TEXT)).await?;
    Ok(true)
}

const TEXT: &str = "text/plain; charset=utf-8";

async fn put(
    s3: &Client,
    dest: &str,
    key: &str,
    body: Vec<u8>,
    content_type: Option<&str>,
) -> Result<(), String> {
    s3.put_object()
        .bucket(dest)
        .key(key)
        .body(ByteStream::from(body))
        .set_content_type(content_type.map(str::to_owned))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| describe(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_without_exif_is_placed_when_it_was_stored() {
        let stored = DateTime::from_secs(1_796_000_000);
        assert_eq!(
            date_of(b"not a photo", Some(&stored)),
            "2026-11-30T00:53:20"
        );
        assert_eq!(date_of(b"", None), "1970-01-01T00:00:00");
        assert_eq!(
            key_of(b"", Some(&stored), "x.jpg"),
            keys::timeline_key("2026-11-30T00:53:20", "x.jpg").unwrap()
        );
    }
}
