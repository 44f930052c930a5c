//! Share links: a few photos, readable without signing in by whoever holds
//! the link, until it expires or is revoked.
//!
//! - **The token** is 32 bytes from the operating system's CSPRNG
//!   (`getrandom`), base64url: 256 bits, nothing to guess. It travels in the
//!   link's fragment (`#shared=<token>`), which browsers never send to a
//!   server or put in a Referer, and from the page to the API in the
//!   `x-photosky-share` header: no URL the API serves holds it, so no
//!   access log does either.
//! - **The record** is `shares/<id>.json` in the thumbnail bucket, its id
//!   the first 32 hex digits of the token's SHA-256: the bucket holds no
//!   token, and whoever may list it (the stack's owner: `photosky share
//!   list`) sees ids to revoke, not links to use.
//! - **Expiry** is in the record and checked on every read; revoking deletes
//!   the record. Every way a token can fail (malformed, unknown, revoked,
//!   expired) answers the same 404.

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::s3_event::describe;

pub const PREFIX: &str = "shares/";
/// The request header that carries a token to `GET /shared`.
pub const HEADER: &str = "x-photosky-share";
pub const MAX_PHOTOS: usize = 100;
pub const DEFAULT_DAYS: u64 = 7;
pub const MAX_DAYS: u64 = 365;
const TOKEN_BYTES: usize = 32;
/// base64url of `TOKEN_BYTES`, unpadded.
const TOKEN_CHARS: usize = 43;
const ID_CHARS: usize = 32;

/// What is shared, since when and until when (seconds since the epoch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub photos: Vec<Photo>,
    pub created: u64,
    pub expires: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    pub id: String,
    /// Its place on the timeline (`timeline::date_of`).
    pub taken: String,
}

/// A fresh token and the id of its record.
pub fn new_token() -> Result<(String, String), String> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random numbers for a share link: {e}"))?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let id = id_of(&token).ok_or("a fresh token did not have the shape of one")?;
    Ok((token, id))
}

/// The record id of a token; `None` if it is not the shape of one.
pub fn id_of(token: &str) -> Option<String> {
    let shaped = token.len() == TOKEN_CHARS
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !shaped {
        return None;
    }
    let digest = Sha256::digest(token.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Some(hex[..ID_CHARS].to_owned())
}

/// Whether `id` can name a record (32 lower-case hex digits).
pub fn is_id(id: &str) -> bool {
    id.len() == ID_CHARS && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

pub fn key(id: &str) -> String {
    format!("{PREFIX}{id}.json")
}

pub async fn put(s3: &Client, dest: &str, id: &str, share: &Share) -> Result<(), String> {
    let body = serde_json::to_vec(share).map_err(|e| e.to_string())?;
    s3.put_object()
        .bucket(dest)
        .key(key(id))
        .body(ByteStream::from(body))
        .content_type("application/json")
        .send()
        .await
        .map(|_| ())
        .map_err(|e| describe(&e))
}

/// The record, if there is one (expired or not).
pub async fn get(s3: &Client, dest: &str, id: &str) -> Result<Option<Share>, String> {
    let object = match s3.get_object().bucket(dest).key(key(id)).send().await {
        Ok(o) => o,
        Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => return Ok(None),
        Err(e) => return Err(describe(&e)),
    };
    let body = object
        .body
        .collect()
        .await
        .map_err(|e| format!("reading share {id}: {e}"))?
        .into_bytes();
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|e| format!("share {id} is not a share record: {e}"))
}

/// Revoke: `false` if there was no such share.
pub async fn delete(s3: &Client, dest: &str, id: &str) -> Result<bool, String> {
    if get(s3, dest, id).await?.is_none() {
        return Ok(false);
    }
    s3.delete_object()
        .bucket(dest)
        .key(key(id))
        .send()
        .await
        .map(|_| true)
        .map_err(|e| describe(&e))
}

/// Every share (the first 1000), newest first.
pub async fn list(s3: &Client, dest: &str) -> Result<Vec<(String, Share)>, String> {
    let page = s3
        .list_objects_v2()
        .bucket(dest)
        .prefix(PREFIX)
        .send()
        .await
        .map_err(|e| describe(&e))?;
    let mut shares = Vec::new();
    for object in page.contents() {
        let Some(id) = object
            .key()
            .and_then(|k| k.strip_prefix(PREFIX)?.strip_suffix(".json"))
            .filter(|id| is_id(id))
        else {
            continue;
        };
        if let Some(share) = get(s3, dest, id).await? {
            shares.push((id.to_owned(), share));
        }
    }
    shares.sort_by(|a, b| b.1.created.cmp(&a.1.created));
    Ok(shares)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_name_their_record() {
        let (token, id) = new_token().unwrap();
        let (other, _) = new_token().unwrap();
        assert_eq!(token.len(), TOKEN_CHARS);
        assert_ne!(token, other);
        assert!(is_id(&id));
        assert_eq!(id_of(&token), Some(id.clone()));
        assert!(!id.contains(&token[..8]), "the id does not hold the token");
        let slash = format!("/{}", &token[1..]);
        let padded = format!("{}=", &token[1..]);
        for bad in ["", "short", &token[1..], &padded, &slash] {
            assert_eq!(id_of(bad), None, "{bad}");
        }
        assert_eq!(id_of(&"a".repeat(44)), None);
        assert!(!is_id("../x") && !is_id(&"A".repeat(32)));
    }
}
