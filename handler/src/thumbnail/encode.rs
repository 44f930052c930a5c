//! Baseline JPEG encoding (libjpeg-turbo), 4:2:0 chroma as browsers expect.

use super::{Rgb, Skip};

pub fn jpeg(img: &Rgb, quality: u8) -> Result<Vec<u8>, Skip> {
    let mut c =
        turbojpeg::Compressor::new().map_err(|e| Skip::Corrupt(format!("JPEG encoder: {e}")))?;
    c.set_quality(i32::from(quality.clamp(1, 100)))
        .map_err(|e| Skip::Corrupt(e.to_string()))?;
    c.set_subsamp(turbojpeg::Subsamp::Sub2x2)
        .map_err(|e| Skip::Corrupt(e.to_string()))?;
    let image = turbojpeg::Image {
        pixels: img.pixels.as_slice(),
        width: img.width as usize,
        pitch: img.width as usize * 3,
        height: img.height as usize,
        format: turbojpeg::PixelFormat::RGB,
    };
    c.compress_to_vec(image)
        .map_err(|e| Skip::Corrupt(format!("JPEG encoder: {e}")))
}
