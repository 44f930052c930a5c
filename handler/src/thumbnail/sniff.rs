//! The format of an image, from its first bytes.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Gif,
    /// HEIF with HEVC-coded images: an iPhone's HEIC.
    Heif,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp => "WebP",
            Format::Gif => "GIF",
            Format::Heif => "HEIC",
        })
    }
}

pub fn sniff(b: &[u8]) -> Option<Format> {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        Some(Format::Webp)
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some(Format::Gif)
    } else if ftyp_brands(b).any(|brand| HEVC_BRANDS.contains(&brand)) {
        Some(Format::Heif)
    } else {
        None
    }
}

/// The brands of an HEIF file whose images are HEVC-coded (ISO/IEC
/// 23008-12 Annex B): still images, sequences, and their 10-bit, multi-layer
/// kinds. `mif1` alone says only "HEIF", whatever the codec (AVIF is
/// `mif1` too), so it is not one of them.
const HEVC_BRANDS: [&[u8]; 6] = [b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"];

/// The major and compatible brands of an ISO media file's leading `ftyp` box.
fn ftyp_brands(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    let size = match b.get(0..8) {
        Some(h) if &h[4..8] == b"ftyp" => u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize,
        _ => 0,
    };
    let ftyp = b.get(8..size.min(b.len())).unwrap_or(&[]);
    // major brand, minor version, then compatible brands
    let major = ftyp.get(0..4).into_iter();
    let compatible = ftyp.get(8..).unwrap_or(&[]).chunks_exact(4);
    major.chain(compatible)
}

/// A short description of bytes that are no image we know, for the log.
pub fn describe_unknown(b: &[u8]) -> String {
    let head = &b[..b.len().min(64)];
    if b.len() >= 12 && &b[4..8] == b"ftyp" {
        let brand = String::from_utf8_lossy(&b[8..12]).into_owned();
        // HEVC brands are sniffed as HEIC: this is another codec's HEIF.
        return format!("ISO media (brand {brand}, e.g. AVIF; HEIC is read)");
    }
    if head
        .iter()
        .all(|&c| c == b'\n' || c == b'\r' || c == b'\t' || (0x20..0x7f).contains(&c))
    {
        return "text, not an image".into();
    }
    let hex: Vec<String> = b.iter().take(4).map(|c| format!("{c:02x}")).collect();
    format!("unknown bytes {}", hex.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_bytes() {
        assert_eq!(sniff(b"\xff\xd8\xff\xe0rest"), Some(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(Format::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Format::Webp));
        assert_eq!(sniff(b"GIF89a"), Some(Format::Gif));
        assert_eq!(
            sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"),
            Some(Format::Heif)
        );
        // Major brand mif1, HEVC said by a compatible brand (some phones).
        assert_eq!(
            sniff(b"\0\0\0\x18ftypmif1\0\0\0\0mif1heic"),
            Some(Format::Heif)
        );
        // AVIF is HEIF too, but not HEVC: not ours.
        assert_eq!(sniff(b"\0\0\0\x18ftypavif\0\0\0\0mif1miaf"), None);
        // A box size past the end, or too small to hold a brand.
        assert_eq!(sniff(b"\0\0\xff\xffftypheic"), Some(Format::Heif));
        assert_eq!(sniff(b"\0\0\0\x08ftypheic"), None);
        assert_eq!(sniff(b"hello, I am a .jpg"), None);
        assert_eq!(
            describe_unknown(b"hello, I am a .jpg"),
            "text, not an image"
        );
        let avif = describe_unknown(b"\0\0\0\x18ftypavif");
        assert!(
            avif.contains("brand avif") && avif.contains("AVIF"),
            "{avif}"
        );
    }
}
