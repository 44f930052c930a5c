//! The EXIF orientation tag (0x0112) of a JPEG: the APP1 `Exif` segment's
//! TIFF structure, IFD0 only. Anything malformed means "no orientation" (1):
//! a bad EXIF block must not cost the user their thumbnail.

pub fn jpeg_orientation(jpeg: &[u8]) -> u8 {
    app1_exif(jpeg)
        .and_then(tiff_orientation)
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1)
}

/// The TIFF block of the first APP1 Exif segment, before the image data.
fn app1_exif(b: &[u8]) -> Option<&[u8]> {
    let mut i = 2; // after SOI
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        // Start of scan or end of image: no more metadata.
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if len < 2 || i + 2 + len > b.len() {
            return None;
        }
        let body = &b[i + 4..i + 2 + len];
        if marker == 0xE1 && body.starts_with(b"Exif\0\0") {
            return Some(&body[6..]);
        }
        i += 2 + len;
    }
    None
}

fn tiff_orientation(t: &[u8]) -> Option<u8> {
    let le = match t.get(0..4)? {
        [b'I', b'I', 42, 0] => true,
        [b'M', b'M', 0, 42] => false,
        _ => return None,
    };
    let u16_at = |o: usize| -> Option<u16> {
        let s = t.get(o..o + 2)?;
        Some(if le {
            u16::from_le_bytes([s[0], s[1]])
        } else {
            u16::from_be_bytes([s[0], s[1]])
        })
    };
    let u32_at = |o: usize| -> Option<u32> {
        let s = t.get(o..o + 4)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    for n in 0..count.min(512) {
        let entry = ifd + 2 + n * 12;
        if u16_at(entry)? == 0x0112 {
            // SHORT, count 1: the value sits in the first 2 bytes of the field.
            return u16_at(entry + 8).map(|v| v as u8);
        }
    }
    None
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
}
