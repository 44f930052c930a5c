//! Photo ids: what the API calls a photo, and how an upload's key is made.
//!
//! An id is the original's key below the upload prefix. The API makes it
//! when it signs an upload: `<12 hex: time, newest first><6 hex: random>-<name>`,
//! e.g. `e6a4c1f0b6ff3a9c21-IMG_0001.jpg`. The time part counts *down*, so
//! S3's lexicographic listing (and so `GET /list-images`) shows the newest
//! photos first; the random part keeps two uploads of `IMG_0001.jpg` in the
//! same millisecond apart. The name is the file name the browser gave,
//! sanitised: its last path component, letters, digits, `.`, `-` and `_`
//! only, no leading dot, no `..`, at most 80 characters.

/// The time part is `TIME_BASE - milliseconds since the epoch`, 12 hex
/// digits (good until the year 10889).
const TIME_BASE: u64 = 0xFFFF_FFFF_FFFF;
const MAX_NAME: usize = 80;
/// Longest id the API accepts (S3 keys are at most 1024 bytes, and the
/// prefix and `.jpg` of thumbnails need room).
pub const MAX_ID: usize = 900;

pub fn new_id(filename: &str, now_ms: u64, random: u32) -> String {
    format!(
        "{:012x}{:06x}-{}",
        TIME_BASE.saturating_sub(now_ms),
        random & 0xFF_FFFF,
        sanitise(filename)
    )
}

/// A safe file name from whatever the client sent.
pub fn sanitise(filename: &str) -> String {
    let last = filename.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out = String::with_capacity(last.len());
    for c in last.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
            c
        } else {
            '_'
        };
        // No runs of dots (so no `..`) and no runs of underscores.
        if (c == '.' || c == '_') && out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    let trimmed = out.trim_start_matches(['.', '_']);
    let mut name: String = trimmed.chars().take(MAX_NAME).collect();
    if name.trim_matches(['.', '_', '-']).is_empty() {
        name = "photo".into();
    }
    name
}

/// Whether `id` can name a photo: non-empty, no `/`, not `.` or `..`, no
/// control characters, not over [`MAX_ID`] bytes. Ids made elsewhere (an
/// older client's keys) are accepted if they pass this.
pub fn check(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the photo id is empty".into());
    }
    if id.len() > MAX_ID {
        return Err(format!("the photo id is over {MAX_ID} bytes"));
    }
    if id.contains('/') {
        return Err("a photo id never contains '/'".into());
    }
    if id == "." || id == ".." {
        return Err("'.' and '..' are not photo ids".into());
    }
    if id.chars().any(char::is_control) {
        return Err("the photo id contains control characters".into());
    }
    Ok(())
}

/// The file name part of an id this API made; other ids are shown whole.
pub fn display_name(id: &str) -> &str {
    match id.split_once('-') {
        Some((head, name))
            if head.len() == 18
                && head.bytes().all(|b| b.is_ascii_hexdigit())
                && !name.is_empty() =>
        {
            name
        }
        _ => id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_newest_first_and_never_collide_on_name() {
        let older = new_id("IMG_0001.jpg", 1_795_300_000_000, 1);
        let newer = new_id("IMG_0001.jpg", 1_795_300_000_001, 1);
        let twin = new_id("IMG_0001.jpg", 1_795_300_000_001, 2);
        assert!(newer < older, "{newer} should list before {older}");
        assert_ne!(newer, twin);
        assert_eq!(display_name(&newer), "IMG_0001.jpg");
        assert!(check(&newer).is_ok());
        assert_eq!(newer.len(), 18 + 1 + "IMG_0001.jpg".len());
    }

    #[test]
    fn names_are_sanitised() {
        for (given, want) in [
            ("IMG_0001.jpg", "IMG_0001.jpg"),
            ("../../etc/passwd", "passwd"),
            ("C:\\Users\\me\\My Photo (1).JPG", "My_Photo_1_.JPG"),
            ("..jpg", "jpg"),
            ("a..b...c.png", "a.b.c.png"),
            ("café ☕.webp", "caf_.webp"),
            ("", "photo"),
            ("...", "photo"),
            ("dir/", "photo"),
            ("%2e%2e%2fx.png", "2e_2e_2fx.png"),
        ] {
            let got = sanitise(given);
            assert_eq!(got, want, "{given:?}");
            assert!(!got.contains('/') && !got.contains("..") && !got.starts_with('.'));
        }
        assert_eq!(sanitise(&"x".repeat(500)).len(), MAX_NAME);
    }

    #[test]
    fn ids_are_checked() {
        assert!(check("a b+c%.jpg").is_ok());
        for bad in ["", "a/b.jpg", "..", ".", "a\u{0}b", &"x".repeat(MAX_ID + 1)] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        assert_eq!(display_name("holiday.jpg"), "holiday.jpg");
    }
}
