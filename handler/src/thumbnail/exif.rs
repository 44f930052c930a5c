//! What a photo's EXIF says that PhotoSky uses: the orientation (to turn a
//! JPEG's thumbnail upright), and when and with what camera it was taken
//! (shown in the viewer). Parsed by kamadak-exif, which reads only the
//! metadata segment (at most 64 KiB in a JPEG). Anything malformed means
//! "not known": a bad EXIF block must not cost the user their thumbnail.

use exif::{DateTime, Exif, In, Reader, Tag, Value};

/// The orientation tag (0x0112), 1-8; 1 (as shot) when absent or bad.
pub fn jpeg_orientation(jpeg: &[u8]) -> u8 {
    read(jpeg)
        .and_then(|e| {
            e.get_field(Tag::Orientation, In::PRIMARY)?
                .value
                .get_uint(0)
        })
        .filter(|o| (1..=8).contains(o))
        .map_or(1, |o| o as u8)
}

/// When and with what a photo was taken, as far as its EXIF says.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Details {
    /// DateTimeOriginal (or DateTimeDigitized) as the camera's clock read
    /// it: `2024-05-03T14:22:10`, no time zone.
    pub taken: Option<String>,
    /// Make and model: `Canon EOS R5`, `Apple iPhone 12`.
    pub camera: Option<String>,
}

/// `image` may be only the start of the file (what holds the metadata).
pub fn details(image: &[u8]) -> Details {
    let Some(exif) = read(image) else {
        return Details::default();
    };
    let taken = [Tag::DateTimeOriginal, Tag::DateTimeDigitized]
        .into_iter()
        .find_map(|tag| taken(&exif, tag));
    let text = |tag| ascii(&exif, tag);
    let camera = match (text(Tag::Make), text(Tag::Model)) {
        // Most models already start with the make ("Canon EOS R5").
        (Some(make), Some(model)) if model.to_lowercase().starts_with(&make.to_lowercase()) => {
            Some(model)
        }
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (make, model) => make.or(model),
    };
    Details { taken, camera }
}

fn read(image: &[u8]) -> Option<Exif> {
    Reader::new()
        .read_from_container(&mut std::io::Cursor::new(image))
        .ok()
}

fn taken(exif: &Exif, tag: Tag) -> Option<String> {
    let Value::Ascii(parts) = &exif.get_field(tag, In::PRIMARY)?.value else {
        return None;
    };
    let t = DateTime::from_ascii(parts.first()?).ok()?;
    // Cameras with no clock set write zeros.
    let plausible = (1826..=9999).contains(&t.year)
        && (1..=12).contains(&t.month)
        && (1..=31).contains(&t.day)
        && t.hour < 24
        && t.minute < 60
        && t.second < 61;
    plausible.then(|| {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            t.year, t.month, t.day, t.hour, t.minute, t.second
        )
    })
}

/// An ASCII field's text: printable characters only, trimmed, at most 64.
fn ascii(exif: &Exif, tag: Tag) -> Option<String> {
    let Value::Ascii(parts) = &exif.get_field(tag, In::PRIMARY)?.value else {
        return None;
    };
    let text: String = parts
        .first()?
        .iter()
        .map(|&b| b as char)
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(64)
        .collect();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with_exif(tiff: &[u8]) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE1];
        let len = (2 + 6 + tiff.len()) as u16;
        b.extend_from_slice(&len.to_be_bytes());
        b.extend_from_slice(b"Exif\0\0");
        b.extend_from_slice(tiff);
        b.extend_from_slice(&[0xFF, 0xDA, 0, 2, 0xFF, 0xD9]);
        b
    }

    /// A little-endian TIFF block with these IFD0 ASCII entries (tag, text)
    /// and SHORT entries (tag, value), in tag order.
    fn tiff(ascii: &[(u16, &str)], short: &[(u16, u16)]) -> Vec<u8> {
        let count = ascii.len() + short.len();
        let data_at = 8 + 2 + 12 * count + 4;
        let mut entries: Vec<(u16, Vec<u8>)> = Vec::new();
        let mut data = Vec::new();
        for (tag, text) in ascii {
            let mut bytes = text.as_bytes().to_vec();
            bytes.push(0);
            let mut e = Vec::new();
            e.extend_from_slice(&tag.to_le_bytes());
            e.extend_from_slice(&2u16.to_le_bytes());
            e.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            e.extend_from_slice(&((data_at + data.len()) as u32).to_le_bytes());
            data.extend_from_slice(&bytes);
            entries.push((*tag, e));
        }
        for (tag, v) in short {
            let mut e = Vec::new();
            e.extend_from_slice(&tag.to_le_bytes());
            e.extend_from_slice(&3u16.to_le_bytes());
            e.extend_from_slice(&1u32.to_le_bytes());
            e.extend_from_slice(&v.to_le_bytes());
            e.extend_from_slice(&[0, 0]);
            entries.push((*tag, e));
        }
        entries.sort_by_key(|(t, _)| *t);
        let mut t = vec![b'I', b'I', 42, 0, 8, 0, 0, 0];
        t.extend_from_slice(&(count as u16).to_le_bytes());
        for (_, e) in entries {
            t.extend(e);
        }
        t.extend_from_slice(&[0, 0, 0, 0]);
        t.extend(data);
        t
    }

    #[test]
    fn reads_orientation_in_both_byte_orders() {
        let le = [
            b'I', b'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0,
            0,
        ];
        assert_eq!(jpeg_orientation(&jpeg_with_exif(&le)), 6);
        let be = [
            b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0, 0, 0, 0,
            0,
        ];
        assert_eq!(jpeg_orientation(&jpeg_with_exif(&be)), 8);
    }

    #[test]
    fn malformed_exif_means_no_rotation() {
        assert_eq!(
            jpeg_orientation(&jpeg_with_exif(b"II*\0\xff\xff\xff\xff")),
            1
        );
        assert_eq!(jpeg_orientation(&jpeg_with_exif(b"garbage")), 1);
        assert_eq!(jpeg_orientation(&[0xFF, 0xD8, 0xFF, 0xE1, 0xFF]), 1);
        let bad_value = [
            b'I', b'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 99, 0, 0, 0, 0, 0,
            0, 0,
        ];
        assert_eq!(jpeg_orientation(&jpeg_with_exif(&bad_value)), 1);
    }

    #[test]
    fn date_and_camera_are_read_and_tidied() {
        // Make 0x010F, Model 0x0110, DateTime 0x0132 (not used: the file's
        // change), Orientation 0x0112.
        let t = tiff(
            &[
                (0x010F, "Canon"),
                (0x0110, "Canon EOS R5 "),
                (0x0132, "2025:01:01 00:00:00"),
            ],
            &[(0x0112, 6)],
        );
        let jpeg = jpeg_with_exif(&t);
        assert_eq!(
            details(&jpeg),
            Details {
                taken: None,
                camera: Some("Canon EOS R5".into())
            }
        );
        assert_eq!(jpeg_orientation(&jpeg), 6);
        let t = tiff(&[(0x010F, "Apple"), (0x0110, "iPhone 12")], &[]);
        assert_eq!(
            details(&jpeg_with_exif(&t)).camera.as_deref(),
            Some("Apple iPhone 12")
        );
        let t = tiff(&[(0x0110, "\u{1b}[31mX\u{7}")], &[]);
        assert_eq!(
            details(&jpeg_with_exif(&t)).camera.as_deref(),
            Some("[31mX")
        );
        assert_eq!(details(b"not an image"), Details::default());
        assert_eq!(details(&jpeg_with_exif(b"garbage")), Details::default());
    }
}
