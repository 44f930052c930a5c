//! Object keys: decoding the key of an S3 event, and where thumbnails go.
//!
//! **Thumbnail keys** (in the destination bucket): for an upload
//! `<UPLOAD_PREFIX><id>`, the thumbnail of size N is `<N>/<id>.jpg`, e.g.
//! `uploads/2026/IMG 1.png` -> `1024/2026/IMG 1.png.jpg` and
//! `256/2026/IMG 1.png.jpg`. The whole id is kept (with its extension), so
//! `a.png` and `a.jpg` never share a thumbnail, and the mapping can be
//! computed from the id alone (the photo API looks thumbnails up by it).

/// S3 event keys are URL-encoded as in a form: `+` is a space, and other
/// bytes are percent-escapes of UTF-8. `None` if the result is not UTF-8.
pub fn decode_event_key(raw: &str) -> Option<String> {
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// The id of an upload: its key below the prefix. `None` for keys outside
/// the prefix, and for "folder" markers.
pub fn upload_id<'a>(key: &'a str, upload_prefix: &str) -> Option<&'a str> {
    let id = key.strip_prefix(upload_prefix)?;
    (!id.is_empty() && !id.ends_with('/')).then_some(id)
}

pub fn thumbnail_key(size: u32, id: &str) -> String {
    format!("{size}/{id}.jpg")
}

/// **Failure keys** (in the destination bucket): an original that cannot be
/// thumbnailed is remembered at `failed/<id>/<etag>` (its body the reason),
/// so neither the trigger nor the photo API downloads and decodes that same
/// version again. A new upload under the id has another ETag: tried afresh.
pub const FAILED_PREFIX: &str = "failed/";

pub fn failure_key(id: &str, etag: &str) -> String {
    format!("{FAILED_PREFIX}{id}/{}", etag.trim_matches('"'))
}

/// **Claim keys** (in the destination bucket): `making/<id>/<etag>` exists
/// while one invocation makes that version's thumbnails (`work.rs`).
pub const MAKING_PREFIX: &str = "making/";

pub fn making_key(id: &str, etag: &str) -> String {
    format!("{MAKING_PREFIX}{id}/{}", etag.trim_matches('"'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_keys_are_decoded() {
        assert_eq!(
            decode_event_key("uploads/my+photo.jpg").unwrap(),
            "uploads/my photo.jpg"
        );
        assert_eq!(
            decode_event_key("uploads/a%2Bb.jpg").unwrap(),
            "uploads/a+b.jpg"
        );
        assert_eq!(
            decode_event_key("uploads/caf%C3%A9+%E2%98%95.png").unwrap(),
            "uploads/café ☕.png"
        );
        assert_eq!(
            decode_event_key("uploads/100%25.jpg").unwrap(),
            "uploads/100%.jpg"
        );
        assert_eq!(decode_event_key("uploads/%FF.jpg"), None, "not UTF-8");
    }

    #[test]
    fn only_uploads_have_ids() {
        assert_eq!(upload_id("uploads/a/b.jpg", "uploads/"), Some("a/b.jpg"));
        assert_eq!(upload_id("1024/a.jpg.jpg", "uploads/"), None);
        assert_eq!(upload_id("uploads/", "uploads/"), None);
        assert_eq!(upload_id("uploads/dir/", "uploads/"), None);
        assert_eq!(thumbnail_key(256, "a/b c.png"), "256/a/b c.png.jpg");
    }

    #[test]
    fn failure_keys_name_the_id_and_the_version() {
        let k = failure_key("ab-c d.jpg", "\"9b2cf535f27731c974343645a3985328\"");
        assert_eq!(k, "failed/ab-c d.jpg/9b2cf535f27731c974343645a3985328");
        // An ETag given without its quotes names the same key.
        assert_eq!(
            failure_key("ab-c d.jpg", "9b2cf535f27731c974343645a3985328"),
            k
        );
        // A multipart upload's ETag has a part count.
        assert_eq!(failure_key("x", "\"d41d8cd9-3\""), "failed/x/d41d8cd9-3");
    }
}
