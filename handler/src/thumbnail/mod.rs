//! Thumbnails from image bytes: pure functions, no I/O.
//!
//! One decode serves every size. The pipeline:
//! 1. tell the format from the bytes (`sniff`), never the file name;
//! 2. read the dimensions from the header and refuse more pixels than the
//!    limit *before* decoding anything (decompression bombs);
//! 3. decode to 8-bit RGB, as small as the largest thumbnail allows: JPEG
//!    through libjpeg-turbo's DCT scaling, WebP through libwebp's scaler,
//!    HEIC through libheif (its Y'CbCr planes each scaled to the largest
//!    size, then converted and turned as its `irot`/`imir` say; cancelled
//!    past a deadline); alpha is flattened on white;
//! 4. resize to the largest size (SIMD convolution), apply a JPEG's EXIF
//!    orientation to that small image, and make each smaller size from the
//!    previous one;
//! 5. encode each as baseline JPEG.
//!
//! Every failure is a [`Skip`]: permanent, so retrying cannot help. A panic
//! in a decoder is caught and reported as a corrupt image.

mod decode;
mod encode;
pub mod exif;
mod progressive;
mod resize;
mod sniff;

pub use sniff::{sniff, Format};

use std::panic::AssertUnwindSafe;

/// What to make, and the limits of what is accepted.
#[derive(Debug, Clone)]
pub struct Options {
    /// Long side of each thumbnail, in pixels. Never upscaled.
    pub sizes: Vec<u32>,
    pub quality: u8,
    pub max_pixels: u64,
    /// Decode without the shortcuts, as the thumbnails are measured
    /// against: every scan of a progressive JPEG, even those its scaled
    /// decode does not read (`progressive.rs`), a WebP at twice the
    /// largest size, Lanczos3 doing the rest, and a HEIC converted to RGB
    /// and turned upright by libheif at full size. For comparison only.
    pub reference: bool,
}

impl Options {
    /// The smallest size: the gallery's preview, and the thumbnail written
    /// last (`make` goes from the largest down).
    pub fn smallest(&self) -> u32 {
        self.sizes.iter().copied().min().unwrap_or(256)
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sizes: vec![1024, 256],
            quality: 80,
            max_pixels: 60_000_000,
            reference: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// The configured size this was made for (its long side may be smaller:
    /// never upscaled).
    pub size: u32,
    pub width: u32,
    pub height: u32,
    pub jpeg: Vec<u8>,
}

/// Why an image was skipped. Every reason is permanent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    Empty,
    Unsupported(String),
    Corrupt(String),
    TooManyPixels { width: u64, height: u64, limit: u64 },
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::Empty => write!(f, "empty file"),
            Skip::Unsupported(what) => write!(f, "unsupported format: {what}"),
            Skip::Corrupt(why) => write!(f, "corrupt image: {why}"),
            Skip::TooManyPixels {
                width,
                height,
                limit,
            } => {
                write!(
                    f,
                    "too many pixels: {width}x{height} is over the limit of {limit}"
                )
            }
        }
    }
}

impl std::error::Error for Skip {}

/// An image decoded to packed 8-bit RGB.
#[derive(Debug, Clone)]
pub struct Rgb {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// Make every configured thumbnail of `bytes`.
pub fn make(bytes: &[u8], opts: &Options) -> Result<Vec<Thumbnail>, Skip> {
    match std::panic::catch_unwind(AssertUnwindSafe(|| make_inner(bytes, opts))) {
        Ok(r) => r,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "decoder panicked".into());
            Err(Skip::Corrupt(format!("decoder failed: {why}")))
        }
    }
}

fn make_inner(bytes: &[u8], opts: &Options) -> Result<Vec<Thumbnail>, Skip> {
    if bytes.is_empty() {
        return Err(Skip::Empty);
    }
    let format = sniff(bytes).ok_or_else(|| Skip::Unsupported(sniff::describe_unknown(bytes)))?;
    let (width, height) = decode::dimensions(format, bytes)?;
    let (w, h) = (u64::from(width), u64::from(height));
    if w == 0 || h == 0 {
        return Err(Skip::Corrupt(format!(
            "{format} header says {width}x{height}"
        )));
    }
    if w * h > opts.max_pixels {
        return Err(Skip::TooManyPixels {
            width: w,
            height: h,
            limit: opts.max_pixels,
        });
    }
    let mut sizes = opts.sizes.clone();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    let largest = *sizes
        .first()
        .ok_or_else(|| Skip::Unsupported("no thumbnail sizes configured".into()))?;
    let orientation = if format == Format::Jpeg {
        exif::jpeg_orientation(bytes)
    } else {
        1
    };
    let decoded = decode::decode(
        format,
        bytes,
        width,
        height,
        largest,
        opts.reference,
        opts.max_pixels,
    )?;

    let mut out = Vec::with_capacity(sizes.len());
    let mut previous: Option<Rgb> = None;
    for size in sizes {
        let source = previous.as_ref().unwrap_or(&decoded);
        // The first size from the original's proportions (a scaled decode
        // rounds), each next one from the previous (oriented) result.
        let (tw, th) = match &previous {
            None => resize::fit(width, height, size),
            Some(p) => resize::fit(p.width, p.height, size),
        };
        let mut img = resize::resize(source, tw, th);
        if previous.is_none() {
            // Orient the first (largest) result: far cheaper than the
            // original, and every smaller size inherits it.
            img = resize::orient(img, orientation);
        }
        let jpeg = encode::jpeg(&img, opts.quality)?;
        out.push(Thumbnail {
            size,
            width: img.width,
            height: img.height,
            jpeg,
        });
        previous = Some(img);
    }
    Ok(out)
}
