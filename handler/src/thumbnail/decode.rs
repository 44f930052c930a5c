//! Header reading and decoding to 8-bit RGB, per format. Each decoder is
//! given the largest thumbnail size so it can decode no bigger than needed.

use std::io::Cursor;

use super::{Format, Rgb, Skip};

fn corrupt(format: Format, e: impl std::fmt::Display) -> Skip {
    Skip::Corrupt(format!("{format}: {e}"))
}

/// Width and height from the header alone: nothing is decoded.
pub fn dimensions(format: Format, b: &[u8]) -> Result<(u32, u32), Skip> {
    match format {
        Format::Jpeg => {
            let h = turbojpeg::read_header(b).map_err(|e| corrupt(format, e))?;
            Ok((h.width as u32, h.height as u32))
        }
        Format::Png => {
            // IHDR is always first, at a fixed place: read it directly, so a
            // bomb is refused on its header alone.
            if b.len() < 24 || &b[12..16] != b"IHDR" {
                return Err(corrupt(format, "no IHDR header"));
            }
            let be = |o: usize| u32::from_be_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
            Ok((be(16), be(20)))
        }
        Format::Webp => {
            let f = webp_features(b).ok_or_else(|| corrupt(format, "bad header"))?;
            Ok((f.width as u32, f.height as u32))
        }
        Format::Gif => {
            let d = gif_decoder(b, usize::MAX).map_err(|e| corrupt(format, e))?;
            Ok((u32::from(d.width()), u32::from(d.height())))
        }
        // The container only: a grid's tiles are counted, nothing decoded.
        Format::Heif => Ok(heif_open(b, u64::MAX)?.dimensions()),
    }
}

pub fn decode(
    format: Format,
    b: &[u8],
    width: u32,
    height: u32,
    largest: u32,
    reference: bool,
    max_pixels: u64,
) -> Result<Rgb, Skip> {
    match format {
        Format::Jpeg => jpeg(b, largest, reference),
        Format::Png => png(b, width, height),
        Format::Webp => webp(b, width, height, largest, reference),
        Format::Gif => gif(b, width, height),
        Format::Heif => heif(b, largest, reference, max_pixels),
    }
}

/// The smallest DCT scale (k/8) whose long side still covers `largest`.
fn jpeg_scale(width: usize, height: usize, largest: u32) -> turbojpeg::ScalingFactor {
    let long = width.max(height);
    let mut best = turbojpeg::ScalingFactor::ONE;
    for f in turbojpeg::Decompressor::supported_scaling_factors() {
        if f.num() > f.denom() {
            continue; // upscaling factors
        }
        let fits = f.scale(long) >= largest as usize;
        if fits && (f.num() * best.denom() < best.num() * f.denom()) {
            best = f;
        }
    }
    best
}

/// Most scans a progressive JPEG may have. Cameras and encoders write about
/// 10 (mozjpeg's scripts up to ~20); each scan is a pass over the whole
/// image, so a small file of thousands of scans is a decompression bomb in
/// time (a 125 KB one took 11.8 s to refuse). libjpeg-turbo's own guidance
/// calls a limit of a few hundred reasonable; 100 leaves a wide margin.
pub const JPEG_SCAN_LIMIT: u32 = 100;

fn jpeg(b: &[u8], largest: u32, reference: bool) -> Result<Rgb, Skip> {
    let f = Format::Jpeg;
    let mut d = turbojpeg::Decompressor::new().map_err(|e| corrupt(f, e))?;
    d.set_scan_limit(JPEG_SCAN_LIMIT)
        .map_err(|e| corrupt(f, e))?;
    let header = d.read_header(b).map_err(|e| corrupt(f, e))?;
    let scale = jpeg_scale(header.width, header.height, largest);
    d.set_scaling_factor(scale).map_err(|e| corrupt(f, e))?;
    // A progressive JPEG scaled down: only the scans that scale reads
    // (progressive.rs). Should TurboJPEG refuse the shortened file, the
    // whole one is decoded.
    if !reference && header.is_progressive {
        let eighths = scale.num() * 8 / scale.denom();
        if let Some(prefix) = super::progressive::needed_prefix(b, eighths) {
            if let Ok(rgb) = jpeg_pixels(&mut d, &prefix, &header, scale) {
                return Ok(rgb);
            }
        }
    }
    jpeg_pixels(&mut d, b, &header, scale)
}

/// Decode `b` at `scale` (set on `d`) to RGB.
fn jpeg_pixels(
    d: &mut turbojpeg::Decompressor,
    b: &[u8],
    header: &turbojpeg::DecompressHeader,
    scale: turbojpeg::ScalingFactor,
) -> Result<Rgb, Skip> {
    let f = Format::Jpeg;
    let scaled = header.scaled(scale);
    let (w, h) = (scaled.width, scaled.height);
    let cmyk = matches!(
        header.colorspace,
        turbojpeg::Colorspace::CMYK | turbojpeg::Colorspace::YCCK
    );
    let format = if cmyk {
        turbojpeg::PixelFormat::CMYK
    } else {
        turbojpeg::PixelFormat::RGB
    };
    let channels = format.size();
    let mut pixels = vec![0u8; w * h * channels];
    let image = turbojpeg::Image {
        pixels: pixels.as_mut_slice(),
        width: w,
        pitch: w * channels,
        height: h,
        format,
    };
    d.decompress(b, image).map_err(|e| corrupt(f, e))?;
    if cmyk {
        // Photoshop writes CMYK JPEGs inverted (Adobe APP14): each channel
        // is 255 - ink, so RGB = C * K / 255 on the stored values.
        let rgb = pixels
            .chunks_exact(4)
            .flat_map(|p| {
                let k = u16::from(p[3]);
                [p[0], p[1], p[2]].map(|c| ((u16::from(c) * k + 127) / 255) as u8)
            })
            .collect();
        pixels = rgb;
    }
    Ok(Rgb {
        width: w as u32,
        height: h as u32,
        pixels,
    })
}

fn png_decoder(b: &[u8], limit: usize) -> png::Decoder<Cursor<&[u8]>> {
    let mut d = png::Decoder::new_with_limits(Cursor::new(b), png::Limits { bytes: limit });
    // 8 bits per channel, palettes and low bit depths expanded.
    d.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    d
}

fn png(b: &[u8], width: u32, height: u32) -> Result<Rgb, Skip> {
    let f = Format::Png;
    // Room for one RGBA frame and the decoder's rows, no more.
    let limit = (width as usize * height as usize * 4)
        .saturating_mul(2)
        .max(1 << 20);
    let mut reader = png_decoder(b, limit)
        .read_info()
        .map_err(|e| corrupt(f, e))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| corrupt(f, "image too large for memory"))?;
    let mut buf = vec![0u8; size];
    let info = reader.next_frame(&mut buf).map_err(|e| corrupt(f, e))?;
    buf.truncate(info.buffer_size());
    let pixels = match info.color_type {
        png::ColorType::Rgb => buf,
        png::ColorType::Rgba => flatten_rgba(&buf),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g]).collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|p| [on_white(p[0], p[1]); 3])
            .collect(),
        png::ColorType::Indexed => return Err(corrupt(f, "palette was not expanded")),
    };
    Ok(Rgb {
        width: info.width,
        height: info.height,
        pixels,
    })
}

#[inline]
fn on_white(c: u8, a: u8) -> u8 {
    let (c, a) = (u32::from(c), u32::from(a));
    ((c * a + 255 * (255 - a) + 127) / 255) as u8
}

/// Alpha composited on white: thumbnails are JPEG.
fn flatten_rgba(rgba: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgba.len() / 4 * 3);
    for p in rgba.chunks_exact(4) {
        if p[3] == 255 {
            out.extend_from_slice(&p[..3]);
        } else {
            out.extend_from_slice(&[
                on_white(p[0], p[3]),
                on_white(p[1], p[3]),
                on_white(p[2], p[3]),
            ]);
        }
    }
    out
}

fn webp_features(b: &[u8]) -> Option<libwebp_sys::WebPBitstreamFeatures> {
    let mut f: libwebp_sys::WebPBitstreamFeatures = unsafe { std::mem::zeroed() };
    let status = unsafe { libwebp_sys::WebPGetFeatures(b.as_ptr(), b.len(), &mut f) };
    (status == libwebp_sys::VP8StatusCode::VP8_STATUS_OK && f.width > 0 && f.height > 0)
        .then_some(f)
}

fn webp(b: &[u8], width: u32, height: u32, largest: u32, reference: bool) -> Result<Rgb, Skip> {
    let f = Format::Webp;
    let features = webp_features(b).ok_or_else(|| corrupt(f, "bad header"))?;
    // libwebp scales while decoding, averaging the source pixels under each
    // output pixel: straight to the largest thumbnail's size. (The
    // reference decodes twice that and leaves the rest to Lanczos3: 15%
    // slower on the 16.8 MP corpus photo, for a thumbnail that differs
    // from it by less than its own JPEG quality 80 does; tests/images.rs.)
    let long = width.max(height);
    let over = if reference { 2 } else { 1 };
    let (w, h) = if long > largest.saturating_mul(over) {
        let k = f64::from(largest) * f64::from(over) / f64::from(long);
        (
            ((f64::from(width) * k).round() as u32).max(1),
            ((f64::from(height) * k).round() as u32).max(1),
        )
    } else {
        (width, height)
    };
    let alpha = features.has_alpha != 0;
    let channels = if alpha { 4 } else { 3 };
    let stride = w as usize * channels;
    let mut pixels = vec![0u8; stride * h as usize];
    let mut config: libwebp_sys::WebPDecoderConfig = unsafe { std::mem::zeroed() };
    if !unsafe { libwebp_sys::WebPInitDecoderConfig(&mut config) } {
        return Err(corrupt(f, "libwebp version mismatch"));
    }
    if (w, h) != (width, height) {
        config.options.use_scaling = 1;
        config.options.scaled_width = w as i32;
        config.options.scaled_height = h as i32;
    }
    config.output.colorspace = if alpha {
        libwebp_sys::WEBP_CSP_MODE::MODE_RGBA
    } else {
        libwebp_sys::WEBP_CSP_MODE::MODE_RGB
    };
    config.output.is_external_memory = 1;
    config.output.u.RGBA = libwebp_sys::WebPRGBABuffer {
        rgba: pixels.as_mut_ptr(),
        stride: stride as i32,
        size: pixels.len(),
    };
    let status = unsafe { libwebp_sys::WebPDecode(b.as_ptr(), b.len(), &mut config) };
    // Frees nothing of ours (external memory), but must be called.
    unsafe { libwebp_sys::WebPFreeDecBuffer(&mut config.output) };
    if status != libwebp_sys::VP8StatusCode::VP8_STATUS_OK {
        return Err(corrupt(f, format!("decoding failed ({status:?})")));
    }
    if alpha {
        pixels = flatten_rgba(&pixels);
    }
    Ok(Rgb {
        width: w,
        height: h,
        pixels,
    })
}

/// Longest a HEIC decode may run. A 12 MP iPhone photo decodes in about
/// 0.7 s on one x86_64 core here (libde265 has SSE code, none for arm64:
/// Graviton's time is not measured), and the pixel limit is five times that
/// size; a file whose tiles take longer is hostile or broken. Checked
/// between tiles; the function's own timeout is 60 s.
pub const HEIF_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

fn heif_open(b: &[u8], max_pixels: u64) -> Result<photosky_heif::Heif<'_>, Skip> {
    // `dimensions` opens with no limit of ours (`u64::MAX`: libheif's own
    // stand); `make` compares what it says with the limit before decoding.
    let limits = photosky_heif::Limits::for_pixels(max_pixels);
    photosky_heif::Heif::open(b, limits).map_err(|e| corrupt(Format::Heif, e))
}

/// A HEIC's primary image, upright. Without alpha, libde265's own 4:2:0
/// planes are each scaled straight to the largest thumbnail and only then
/// turned into RGB, and turned upright (a sixteenth of the colour
/// conversion and rotation libheif would do at full size; `reference` has
/// libheif convert and turn, then resizes the RGB).
fn heif(b: &[u8], largest: u32, reference: bool, max_pixels: u64) -> Result<Rgb, Skip> {
    use photosky_heif::{Pixels, Want};
    let deadline = std::time::Instant::now() + HEIF_TIME_LIMIT;
    let want = if reference { Want::Rgb } else { Want::Ycbcr };
    let d = heif_open(b, max_pixels)?
        .decode(deadline, want)
        .map_err(|e| corrupt(Format::Heif, e))?;
    let (width, height) = (d.width, d.height);
    let (width, height, pixels) = match d.pixels {
        Pixels::Interleaved { channels: 4, data } => (width, height, flatten_rgba(&data)),
        Pixels::Interleaved { data, .. } => (width, height, data),
        Pixels::Ycbcr420 { y, cb, cr, colour } => {
            let (w, h) = super::resize::fit(width, height, largest);
            let (cw, ch) = (width.div_ceil(2), height.div_ceil(2));
            let y = super::resize::plane(&y, width, height, w, h);
            let cb = super::resize::plane(&cb, cw, ch, w, h);
            let cr = super::resize::plane(&cr, cw, ch, w, h);
            let mut rgb = Vec::with_capacity(y.len() * 3);
            for ((y, cb), cr) in y.into_iter().zip(cb).zip(cr) {
                rgb.extend_from_slice(&colour.rgb(y, cb, cr));
            }
            (w, h, rgb)
        }
    };
    let img = Rgb {
        width,
        height,
        pixels,
    };
    // The file's irot/imir if libheif left them to us: on the small
    // result, as a JPEG's EXIF orientation (1, nothing to do, otherwise).
    Ok(super::resize::orient(img, d.orientation))
}

fn gif_decoder(b: &[u8], limit: usize) -> Result<gif::Decoder<Cursor<&[u8]>>, gif::DecodingError> {
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    opts.set_memory_limit(gif::MemoryLimit::Bytes(
        std::num::NonZeroU64::new(limit as u64).unwrap_or(std::num::NonZeroU64::MIN),
    ));
    opts.read_info(Cursor::new(b))
}

/// The first frame, placed on the logical screen (white where it is
/// transparent or does not reach).
fn gif(b: &[u8], width: u32, height: u32) -> Result<Rgb, Skip> {
    let f = Format::Gif;
    let mut d = gif_decoder(b, width as usize * height as usize * 4 + (1 << 20))
        .map_err(|e| corrupt(f, e))?;
    let frame = d
        .read_next_frame()
        .map_err(|e| corrupt(f, e))?
        .ok_or_else(|| corrupt(f, "no frames"))?;
    let (sw, sh) = (width as usize, height as usize);
    let mut pixels = vec![255u8; sw * sh * 3];
    let (fl, ft, fw, fh) = (
        frame.left as usize,
        frame.top as usize,
        frame.width as usize,
        frame.height as usize,
    );
    for y in 0..fh {
        let sy = ft + y;
        if sy >= sh {
            break;
        }
        for x in 0..fw {
            let sx = fl + x;
            if sx >= sw {
                break;
            }
            let p = &frame.buffer[(y * fw + x) * 4..][..4];
            let o = (sy * sw + sx) * 3;
            pixels[o..o + 3].copy_from_slice(&[
                on_white(p[0], p[3]),
                on_white(p[1], p[3]),
                on_white(p[2], p[3]),
            ]);
        }
    }
    Ok(Rgb {
        width,
        height,
        pixels,
    })
}
