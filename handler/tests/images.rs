//! The thumbnailer on real photographs (`tests/photos/`, and with
//! `PHOTOSKY_CORPUS=<dir>` every image in that directory too: the
//! benchmark's full-size corpus) and on hostile input made here: every
//! image either yields correct thumbnails or is skipped with a clear
//! reason, and nothing panics.

use std::path::{Path, PathBuf};

use photosky_handler::thumbnail::{make, Options, Skip, Thumbnail};

fn photos() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/photos")
}

/// The images of a directory (not its README or licences), by name: those
/// with one of `exts`.
fn images_in(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            exts.contains(&ext)
        })
        .collect();
    found.sort();
    found
}

/// Decode with a decoder that is not ours: (width, height).
fn decode_jpeg(bytes: &[u8]) -> (u32, u32) {
    let mut d = jpeg_decoder::Decoder::new(bytes);
    let pixels = d.decode().expect("output decodes as JPEG");
    let info = d.info().unwrap();
    assert_eq!(
        pixels.len(),
        info.width as usize * info.height as usize * 3,
        "RGB output"
    );
    (u32::from(info.width), u32::from(info.height))
}

fn check(thumbs: &[Thumbnail], upright: (u32, u32)) {
    let (w, h) = upright;
    assert_eq!(
        thumbs.iter().map(|t| t.size).collect::<Vec<_>>(),
        [1024, 256]
    );
    for t in thumbs {
        let long = t.width.max(t.height);
        assert_eq!(
            long,
            t.size.min(w.max(h)),
            "long side of {}: {}x{}",
            t.size,
            t.width,
            t.height
        );
        // Aspect ratio kept (to rounding) and orientation as displayed.
        let want_short =
            (f64::from(w.min(h)) * f64::from(long) / f64::from(w.max(h))).round() as i64;
        let short = i64::from(t.width.min(t.height));
        assert!(
            (short - want_short).abs() <= 1,
            "{}x{} from {w}x{h}",
            t.width,
            t.height
        );
        assert_eq!(
            t.width >= t.height,
            w >= h,
            "orientation of {}x{}",
            t.width,
            t.height
        );
        assert_eq!(decode_jpeg(&t.jpeg), (t.width, t.height));
    }
}

/// Stored size of an image, read from its header by an independent decoder.
fn header_size(name: &str, bytes: &[u8]) -> (u32, u32) {
    if name.ends_with(".jpg") {
        let mut d = jpeg_decoder::Decoder::new(bytes);
        d.read_info().unwrap();
        let i = d.info().unwrap();
        (u32::from(i.width), u32::from(i.height))
    } else if name.ends_with(".png") {
        let r = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        (r.info().width, r.info().height)
    } else {
        // WebP VP8 key frame: 14-bit width and height at bytes 26..30.
        assert_eq!(&bytes[12..16], b"VP8 ", "lossy WebP");
        let w = u32::from(u16::from_le_bytes([bytes[26], bytes[27]]) & 0x3fff);
        let h = u32::from(u16::from_le_bytes([bytes[28], bytes[29]]) & 0x3fff);
        (w, h)
    }
}

#[test]
fn every_test_photo_gets_right_thumbnails() {
    // HEIC has its own test (the sizes here are read by other decoders).
    let exts = ["jpg", "png", "webp"];
    let mut paths = images_in(&photos(), &exts);
    assert_eq!(paths.len(), 6, "the photos tests/photos/README.md lists");
    if let Some(dir) = std::env::var_os("PHOTOSKY_CORPUS") {
        paths.extend(images_in(Path::new(&dir), &exts));
    }
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let (w, h) = header_size(&name, &bytes);
        // These carry EXIF Orientation 6: displayed portrait.
        let upright = if name.contains("orientation6") || name.starts_with("Lo6_") {
            (h, w)
        } else {
            (w, h)
        };
        let thumbs = make(&bytes, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        check(&thumbs, upright);
    }
}

#[test]
fn the_phone_photo_comes_out_portrait() {
    let bytes = std::fs::read(photos().join("seeding-orientation6.jpg")).unwrap();
    let t = make(&bytes, &Options::default()).unwrap();
    assert_eq!((t[0].width, t[0].height), (768, 1024));
    assert_eq!((t[1].width, t[1].height), (192, 256));
}

#[test]
fn small_images_are_never_upscaled() {
    let bytes = std::fs::read(photos().join("flower-small.jpg")).unwrap();
    let t = make(&bytes, &Options::default()).unwrap();
    let (w, h) = decode_jpeg(&bytes);
    assert_eq!((t[0].width, t[0].height), (w, h));
    assert_eq!(t[1].width.max(t[1].height), 256);
}

// ---------------------------------------------------------------- hostile

fn assert_skipped_or_correct(label: &str, bytes: &[u8]) -> Option<Skip> {
    match make(bytes, &Options::default()) {
        Ok(thumbs) => {
            for t in &thumbs {
                assert_eq!(decode_jpeg(&t.jpeg), (t.width, t.height), "{label}");
            }
            None
        }
        Err(reason) => {
            assert!(!reason.to_string().is_empty(), "{label}");
            Some(reason)
        }
    }
}

fn encode_jpeg(pixels: &[u8], w: usize, h: usize, format: turbojpeg::PixelFormat) -> Vec<u8> {
    let img = turbojpeg::Image {
        pixels,
        width: w,
        pitch: w * format.size(),
        height: h,
        format,
    };
    let subsamp = if format == turbojpeg::PixelFormat::GRAY {
        turbojpeg::Subsamp::Gray
    } else {
        turbojpeg::Subsamp::None
    };
    turbojpeg::compress(img, 90, subsamp).unwrap().to_vec()
}

fn encode_png(w: u32, h: u32, color: png::ColorType, depth: png::BitDepth, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(color);
    e.set_depth(depth);
    e.write_header().unwrap().write_image_data(data).unwrap();
    out
}

#[test]
fn empty_text_and_unknown_bytes_are_skipped_with_a_reason() {
    assert_eq!(make(b"", &Options::default()), Err(Skip::Empty));
    let text = make(
        b"<html>not a photo, despite the .jpg name</html>",
        &Options::default(),
    )
    .unwrap_err();
    assert_eq!(text.to_string(), "unsupported format: text, not an image");
    let heic = make(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", &Options::default()).unwrap_err();
    assert!(heic.to_string().contains("HEIC"), "{heic}");
    let avif = make(b"\0\0\0\x18ftypavif\0\0\0\0mif1miaf", &Options::default()).unwrap_err();
    assert!(
        matches!(&avif, Skip::Unsupported(why) if why.contains("AVIF")),
        "{avif}"
    );
}

#[test]
fn truncated_and_corrupted_files_never_panic() {
    let dir = photos();
    let sources = [
        std::fs::read(dir.join("flower-small.jpg")).unwrap(),
        std::fs::read(dir.join("seeding-progressive.jpg")).unwrap(),
        std::fs::read(dir.join("goldfish-rgba.png")).unwrap(),
        std::fs::read(dir.join("seeding.webp")).unwrap(),
        animated_gif(),
        std::fs::read(dir.join("seeding-orientation6.heic")).unwrap(),
        std::fs::read(dir.join("goldfish-rgba-small.heic")).unwrap(),
    ];
    let mut skipped = 0;
    for (i, src) in sources.iter().enumerate() {
        for cut in [4, 12, 40, 200, src.len() / 3, src.len() / 2, src.len() - 10] {
            let label = format!("source {i} cut at {cut}");
            skipped +=
                assert_skipped_or_correct(&label, &src[..cut.min(src.len())]).is_some() as usize;
        }
        // Flip bytes through the file with a fixed pattern: deterministic.
        let mut bad = src.clone();
        let mut at = 20;
        while at < bad.len() {
            bad[at] ^= 0x5a;
            at += 97 + (at % 13);
        }
        assert_skipped_or_correct(&format!("source {i} corrupted"), &bad);
        // A valid header and then garbage.
        let mut garbage = src[..src.len().min(64)].to_vec();
        garbage.extend((0..4096u32).map(|v| (v.wrapping_mul(2654435761) >> 13) as u8));
        assert_skipped_or_correct(&format!("source {i} header + garbage"), &garbage);
    }
    assert!(skipped > 10, "most damaged files are skipped ({skipped})");
}

#[test]
fn headers_claiming_huge_images_are_refused_before_decoding() {
    // A PNG header claiming 100000 x 100000 pixels, and nothing else.
    let mut png_bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    let ihdr = [100_000u32.to_be_bytes(), 100_000u32.to_be_bytes()].concat();
    png_bomb.extend_from_slice(&ihdr);
    png_bomb.extend_from_slice(&[8, 2, 0, 0, 0]);
    let crc = crc32(&png_bomb[12..]);
    png_bomb.extend_from_slice(&crc.to_be_bytes());
    assert_eq!(
        make(&png_bomb, &Options::default()),
        Err(Skip::TooManyPixels {
            width: 100_000,
            height: 100_000,
            limit: 60_000_000
        })
    );

    // A real JPEG whose SOF is patched to 60000 x 60000.
    let mut jpeg = encode_jpeg(&[128u8; 16 * 16 * 3], 16, 16, turbojpeg::PixelFormat::RGB);
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 7].copy_from_slice(&60000u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&60000u16.to_be_bytes());
    assert!(matches!(
        make(&jpeg, &Options::default()),
        Err(Skip::TooManyPixels {
            width: 60000,
            height: 60000,
            ..
        })
    ));

    // A GIF screen of 65535 x 65535.
    let mut gif = animated_gif();
    gif[6..8].copy_from_slice(&65535u16.to_le_bytes());
    gif[8..10].copy_from_slice(&65535u16.to_le_bytes());
    assert!(matches!(
        make(&gif, &Options::default()),
        Err(Skip::TooManyPixels { .. })
    ));
}

fn crc32(b: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &x in b {
        c ^= u32::from(x);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[test]
fn grayscale_and_cmyk_jpegs_make_colour_thumbnails() {
    let (w, h) = (1200usize, 800usize);
    let gray: Vec<u8> = (0..w * h).map(|i| (i % w * 255 / w) as u8).collect();
    let t = make(
        &encode_jpeg(&gray, w, h, turbojpeg::PixelFormat::GRAY),
        &Options::default(),
    )
    .unwrap();
    assert_eq!((t[0].width, t[0].height), (1024, 683));
    decode_jpeg(&t[0].jpeg);

    // CMYK as Photoshop stores it (inverted): C=255-ink ... pure red is
    // C=0 M=Y=full ink, K=none -> stored (255, 0, 0, 255).
    let cmyk: Vec<u8> = (0..w * h).flat_map(|_| [255u8, 0, 0, 255]).collect();
    let t = make(
        &encode_jpeg(&cmyk, w, h, turbojpeg::PixelFormat::CMYK),
        &Options::default(),
    )
    .unwrap();
    let mut d = jpeg_decoder::Decoder::new(&t[1].jpeg[..]);
    let px = d.decode().unwrap();
    let centre = (px.len() / 3 / 2) * 3;
    let (r, g, b) = (px[centre], px[centre + 1], px[centre + 2]);
    assert!(
        r > 200 && g < 60 && b < 60,
        "CMYK red came out as ({r}, {g}, {b})"
    );
}

#[test]
fn sixteen_bit_grey_alpha_and_palette_pngs_are_converted() {
    let (w, h) = (600u32, 300u32);
    let rgb16: Vec<u8> = (0..w * h)
        .flat_map(|i| [(i % 256) as u8, 0, 0, 0, 0xff, 0xff])
        .collect();
    let t = make(
        &encode_png(w, h, png::ColorType::Rgb, png::BitDepth::Sixteen, &rgb16),
        &Options::default(),
    )
    .unwrap();
    assert_eq!((t[0].width, t[0].height), (600, 300));
    // Fully transparent black on white is white.
    let clear: Vec<u8> = (0..w * h).flat_map(|_| [0u8, 0, 0, 0]).collect();
    let t = make(
        &encode_png(w, h, png::ColorType::Rgba, png::BitDepth::Eight, &clear),
        &Options::default(),
    )
    .unwrap();
    let px = jpeg_decoder::Decoder::new(&t[1].jpeg[..]).decode().unwrap();
    assert!(
        px.iter().all(|&v| v > 245),
        "transparent is flattened on white"
    );
    let ga: Vec<u8> = (0..w * h).flat_map(|i| [(i % 256) as u8, 255]).collect();
    make(
        &encode_png(
            w,
            h,
            png::ColorType::GrayscaleAlpha,
            png::BitDepth::Eight,
            &ga,
        ),
        &Options::default(),
    )
    .unwrap();
}

/// A 2-frame 300x200 GIF: a red frame, then a blue one.
fn animated_gif() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let palette = [255u8, 0, 0, 0, 0, 255];
        let mut e = gif::Encoder::new(&mut out, 300, 200, &palette).unwrap();
        e.set_repeat(gif::Repeat::Infinite).unwrap();
        for index in [0u8, 1] {
            let mut f = gif::Frame::default();
            f.width = 300;
            f.height = 200;
            f.buffer = std::borrow::Cow::Owned(vec![index; 300 * 200]);
            e.write_frame(&f).unwrap();
        }
    }
    out
}

#[test]
fn an_animated_gif_gives_its_first_frame() {
    let t = make(&animated_gif(), &Options::default()).unwrap();
    assert_eq!((t[0].width, t[0].height), (300, 200));
    let px = jpeg_decoder::Decoder::new(&t[0].jpeg[..]).decode().unwrap();
    let (r, b) = (px[px.len() / 2 / 3 * 3], px[px.len() / 2 / 3 * 3 + 2]);
    assert!(r > 200 && b < 60, "first frame is red: ({r}, _, {b})");
}

/// A progressive JPEG, with its last scan repeated `extra` times.
fn progressive_with_extra_scans(extra: usize) -> Vec<u8> {
    let (w, h) = (256, 192);
    let pixels: Vec<u8> = (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect();
    let mut c = turbojpeg::Compressor::new().unwrap();
    c.set_progressive(true).unwrap();
    c.set_quality(85).unwrap();
    let img = turbojpeg::Image {
        pixels: pixels.as_slice(),
        width: w,
        pitch: w * 3,
        height: h,
        format: turbojpeg::PixelFormat::RGB,
    };
    let jpeg = c.compress_to_vec(img).unwrap();
    // The last SOS marker starts the last scan, which runs to EOI.
    let last_sos = jpeg
        .windows(2)
        .rposition(|m| m == [0xFF, 0xDA])
        .expect("a scan");
    let eoi = jpeg.len() - 2;
    assert_eq!(&jpeg[eoi..], [0xFF, 0xD9]);
    let mut out = jpeg[..eoi].to_vec();
    for _ in 0..extra {
        out.extend_from_slice(&jpeg[last_sos..eoi]);
    }
    out.extend_from_slice(&jpeg[eoi..]);
    out
}

/// A scan bomb (a small progressive JPEG of many scans, each a pass over
/// the whole image) is refused at the scan limit, not decoded scan by scan;
/// an ordinary progressive JPEG is unaffected.
#[test]
fn a_progressive_jpeg_with_too_many_scans_is_refused() {
    let normal = make(&progressive_with_extra_scans(0), &Options::default());
    assert!(normal.is_ok(), "{:?}", normal.err());
    let bomb = progressive_with_extra_scans(300);
    match make(&bomb, &Options::default()) {
        Err(Skip::Corrupt(why)) => assert!(why.contains("scans"), "{why}"),
        other => panic!("a {} byte file of 300+ scans: {other:?}", bomb.len()),
    }
}

/// Decoded RGB of a JPEG, by a decoder that is not ours.
fn rgb(jpeg: &[u8]) -> Vec<u8> {
    jpeg_decoder::Decoder::new(jpeg)
        .decode()
        .expect("output decodes as JPEG")
}

/// Peak signal-to-noise ratio of `b` against `a`, in dB.
fn psnr(a: &[u8], b: &[u8]) -> f64 {
    assert_eq!(a.len(), b.len());
    let mse = a
        .iter()
        .zip(b)
        .map(|(x, y)| (f64::from(*x) - f64::from(*y)).powi(2))
        .sum::<f64>()
        / a.len() as f64;
    10.0 * (255.0f64 * 255.0 / mse.max(1e-9)).log10()
}

/// The decoder's shortcuts: a progressive JPEG scaled down is decoded from
/// only the scans that scale reads (thumbnail/progressive.rs), a WebP
/// straight to the largest size by libwebp's scaler, a HEIC's Y'CbCr planes
/// scaled before they become RGB. Their thumbnails
/// differ from the reference decode's (`Options::reference`) by less than
/// the thumbnails' own JPEG encoding (quality 80) loses: against the
/// reference written at quality 100, the shortcut's PSNR is higher than the
/// shipped thumbnail's. And the shortcut was taken: its output is not the
/// reference's.
#[test]
fn the_decode_shortcuts_differ_by_less_than_jpeg_noise() {
    let mut paths = vec![
        photos().join("seeding-progressive.jpg"),
        photos().join("seeding.webp"),
        photos().join("seeding-orientation6.heic"),
        photos().join("dune-transposed.heic"),
    ];
    if let Some(dir) = std::env::var_os("PHOTOSKY_CORPUS") {
        let shortcut = |p: &PathBuf| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("Lp_") || name.starts_with("W_") || name.starts_with("H_")
        };
        let all = images_in(Path::new(&dir), &["jpg", "webp", "heic"]);
        paths.extend(all.into_iter().filter(shortcut));
    }
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let at = |quality, reference| {
            let opts = Options {
                quality,
                reference,
                ..Options::default()
            };
            make(&bytes, &opts).unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        let (reference, shipped, early) = (at(100, true), at(80, true), at(100, false));
        for ((r, s), e) in reference.iter().zip(&shipped).zip(&early) {
            assert_eq!((e.width, e.height), (r.width, r.height), "{name}");
            assert_ne!(e.jpeg, r.jpeg, "{name} {}: no shortcut taken", r.size);
            let truth = rgb(&r.jpeg);
            let (noise, stop) = (psnr(&truth, &rgb(&s.jpeg)), psnr(&truth, &rgb(&e.jpeg)));
            eprintln!(
                "{name} {} px: shortcut {stop:.1} dB, JPEG q80 {noise:.1} dB",
                r.size
            );
            assert!(
                stop > noise,
                "{name} {}: the shortcut ({stop:.1} dB) loses more than JPEG q80 ({noise:.1} dB)",
                r.size
            );
        }
    }
}

// ------------------------------------------------------------------ HEIC

/// Packed RGB mirrored left to right.
fn mirror(rgb: &[u8], w: usize) -> Vec<u8> {
    rgb.chunks_exact(w * 3)
        .flat_map(|row| row.chunks_exact(3).rev().flatten().copied())
        .collect()
}

/// The HEIC test photos (`tests/photos/make_heic.py`, iPhone geometry:
/// 512 px grid tiles, the orientation as irot/imir, EXIF kept) against the
/// photos they were made from: each thumbnail has the source's shape as
/// shown and its picture, to within the two lossy encodings; the same
/// comparison with the source mirrored fails, so a wrong turn or mirror
/// could not pass.
#[test]
fn heic_photos_show_as_the_photos_they_were_made_from() {
    let pairs = [
        ("seeding-orientation6.heic", "seeding-orientation6.jpg"),
        ("dune-transposed.heic", "dune-camera-exif.jpg"),
        ("goldfish-rgba-small.heic", "goldfish-rgba.png"),
    ];
    for (heic, source) in pairs {
        let read = |name: &str| std::fs::read(photos().join(name)).unwrap();
        let a = make(&read(heic), &Options::default()).unwrap_or_else(|e| panic!("{heic}: {e}"));
        let b = make(&read(source), &Options::default()).unwrap();
        for (ta, tb) in a.iter().zip(&b) {
            if heic.starts_with("goldfish") && ta.size != 256 {
                continue; // a 480 px copy: only the 256 px thumbnails compare
            }
            assert_eq!(
                (ta.width, ta.height),
                (tb.width, tb.height),
                "{heic} {} px",
                ta.size
            );
            let (got, want) = (rgb(&ta.jpeg), rgb(&tb.jpeg));
            let db = psnr(&want, &got);
            let mirrored = psnr(&mirror(&want, tb.width as usize), &got);
            eprintln!(
                "{heic} against {source} at {} px: {db:.1} dB (mirrored {mirrored:.1} dB)",
                ta.size
            );
            assert!(db > 30.0, "{heic} {} px: {db:.1} dB", ta.size);
            assert!(
                mirrored < 20.0,
                "{heic} {} px: mirrored {mirrored:.1} dB",
                ta.size
            );
        }
    }
    let phone = make(
        &std::fs::read(photos().join("seeding-orientation6.heic")).unwrap(),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        (phone[0].width, phone[0].height),
        (768, 1024),
        "shown portrait"
    );
}

/// Every `ispe` (image spatial extents) property of `heif` that says
/// `from` (width, height) made to say `to`.
fn patch_ispe(heif: &mut [u8], from: (u32, u32), to: (u32, u32)) -> usize {
    let mut patched = 0;
    for at in 4..heif.len().saturating_sub(16) {
        // size 20, "ispe", version and flags, width, height
        if &heif[at - 4..at + 4] == b"\0\0\0\x14ispe" {
            let dims = at + 8;
            let be = |o: usize| u32::from_be_bytes(heif[o..o + 4].try_into().unwrap());
            if (be(dims), be(dims + 4)) == from {
                heif[dims..dims + 4].copy_from_slice(&to.0.to_be_bytes());
                heif[dims + 4..dims + 8].copy_from_slice(&to.1.to_be_bytes());
                patched += 1;
            }
        }
    }
    patched
}

#[test]
fn heic_bombs_are_refused_before_decoding() {
    let phone = std::fs::read(photos().join("seeding-orientation6.heic")).unwrap();

    // The grid image (stored 1600x1200, shown turned) claiming 20000x15000:
    // refused by the pixel limit, in the shape it would be shown.
    let mut huge = phone.clone();
    assert_eq!(patch_ispe(&mut huge, (1600, 1200), (20000, 15000)), 1);
    assert_eq!(
        make(&huge, &Options::default()),
        Err(Skip::TooManyPixels {
            width: 15000,
            height: 20000,
            limit: 60_000_000
        })
    );

    // The same grid said to show only 16x16 pixels: its twelve 512 px tiles
    // (3.1 MP) would all be decoded for them. Under a 1 MP limit the image
    // passes and its tiles do not.
    let mut overhang = phone.clone();
    patch_ispe(&mut overhang, (1600, 1200), (16, 16));
    let grid = overhang
        .windows(8)
        .position(|w| w == [0, 0, 2, 3, 0x06, 0x40, 0x04, 0xB0])
        .expect("the grid descriptor: 3 rows, 4 columns, 1600x1200");
    overhang[grid + 4..grid + 8].copy_from_slice(&[0, 16, 0, 16]);
    let small_limit = Options {
        max_pixels: 1_000_000,
        ..Options::default()
    };
    let refused = make(&overhang, &small_limit).unwrap_err();
    assert!(
        refused.to_string().contains("tiles hold 3145728 pixels"),
        "{refused}"
    );
}

/// The time bound: a decode whose deadline has passed is cancelled (by
/// libheif between a grid's tiles; after the decode for one image).
#[test]
fn a_heic_decode_past_its_deadline_is_cancelled() {
    let limits = photosky_heif::Limits::for_pixels(60_000_000);
    for name in ["seeding-orientation6.heic", "goldfish-rgba-small.heic"] {
        let bytes = std::fs::read(photos().join(name)).unwrap();
        let heif = photosky_heif::Heif::open(&bytes, limits).unwrap();
        let later = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let want = photosky_heif::Want::Ycbcr;
        assert!(heif.decode(later, want).is_ok(), "{name}");
        let err = heif.decode(std::time::Instant::now(), want).unwrap_err();
        eprintln!("{name}: {err}");
        assert!(
            err.0.contains("canceled") || err.0.contains("longer than allowed"),
            "{name}: {err}"
        );
    }
}
