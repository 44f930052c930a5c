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

/// **Timeline keys** (in the destination bucket): every kept photo has an
/// empty object `timeline/<14 digits>/<id>`, the digits `99999999999999`
/// minus its date as `YYYYMMDDHHMMSS`: the day it was taken (EXIF), else the
/// day it was uploaded. S3 lists keys in byte order, so a listing of the
/// prefix is the timeline, newest first, the same on every reload, paged by
/// S3's own continuation token; photos of the same second are in id order
/// (the API's ids: the newest upload first). The trigger writes it when it
/// reads a photo; a delete removes it.
pub const TIMELINE_PREFIX: &str = "timeline/";
const TIMELINE_TOP: u64 = 99_999_999_999_999;

/// `taken` is `YYYY-MM-DDTHH:MM:SS` (EXIF's, or an upload time); `None` if
/// it is not that.
pub fn timeline_key(taken: &str, id: &str) -> Option<String> {
    let digits: String = taken.chars().filter(char::is_ascii_digit).collect();
    let shape = taken.len() == 19 && digits.len() == 14;
    let stamp: u64 = digits.parse().ok().filter(|_| shape)?;
    Some(format!(
        "{TIMELINE_PREFIX}{:014}/{id}",
        TIMELINE_TOP - stamp
    ))
}

/// The date and id a timeline key holds.
pub fn timeline_entry(key: &str) -> Option<(String, &str)> {
    let (digits, id) = key.strip_prefix(TIMELINE_PREFIX)?.split_once('/')?;
    if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) || id.is_empty() {
        return None;
    }
    let d = format!("{:014}", TIMELINE_TOP - digits.parse::<u64>().ok()?);
    let taken = format!(
        "{}-{}-{}T{}:{}:{}",
        &d[..4],
        &d[4..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        &d[12..]
    );
    Some((taken, id))
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

    #[test]
    fn timeline_keys_list_newest_first_and_read_back() {
        let old = timeline_key("2007-08-06T10:29:13", "b-x.jpg").unwrap();
        let new = timeline_key("2026-12-07T09:00:00", "a-y.jpg").unwrap();
        assert_eq!(old, "timeline/79929193897086/b-x.jpg");
        assert!(new < old, "{new} should list before {old}");
        // Same second: id order.
        let twin = timeline_key("2007-08-06T10:29:13", "c-x.jpg").unwrap();
        assert!(old < twin);
        assert_eq!(
            timeline_entry(&old),
            Some(("2007-08-06T10:29:13".to_owned(), "b-x.jpg"))
        );
        for bad in ["2007-08-06", "2007-08-06T10:29:13Z", "yesterday at noon!!"] {
            assert_eq!(timeline_key(bad, "x"), None, "{bad}");
        }
        for bad in [
            "timeline/123/x",
            "timeline/7992919389708a/x",
            "timeline/79929193897086/",
            "1024/x.jpg",
        ] {
            assert_eq!(timeline_entry(bad), None, "{bad}");
        }
    }
}
