//! Resizing (fast_image_resize: SIMD convolution) and EXIF orientation.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use super::Rgb;

/// The size of a thumbnail with long side `size` of a `w`x`h` image:
/// aspect ratio kept, never larger than the image, never zero.
pub fn fit(w: u32, h: u32, size: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= size {
        return (w, h);
    }
    let scale = |v: u32| {
        ((u64::from(v) * u64::from(size) + u64::from(long) / 2) / u64::from(long)).max(1) as u32
    };
    if w >= h {
        (size, scale(h))
    } else {
        (scale(w), size)
    }
}

pub fn resize(src: &Rgb, w: u32, h: u32) -> Rgb {
    // Never larger than what we have (a scaled decode may round down).
    let (w, h) = (w.min(src.width), h.min(src.height));
    if (w, h) == (src.width, src.height) {
        return src.clone();
    }
    Rgb {
        width: w,
        height: h,
        pixels: lanczos3(&src.pixels, src.width, src.height, w, h, PixelType::U8x3),
    }
}

/// `src` (`sw`x`sh` pixels of `pixel`) resized to `w`x`h` with Lanczos3,
/// as sharp and Pillow use for downscaling.
fn lanczos3(src: &[u8], sw: u32, sh: u32, w: u32, h: u32, pixel: PixelType) -> Vec<u8> {
    let from = ImageRef::new(sw, sh, src, pixel).expect("buffer matches its size");
    let mut to = Image::new(w, h, pixel);
    let opts = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&from, &mut to, &opts)
        .expect("same pixel type on both sides");
    to.into_vec()
}

/// One 8-bit plane (a HEIC's Y, Cb or Cr) resized to `w`x`h`, Lanczos3;
/// a half-size chroma plane goes to the full target size in the one pass.
pub fn plane(src: &[u8], sw: u32, sh: u32, w: u32, h: u32) -> Vec<u8> {
    if (w, h) == (sw, sh) {
        return src.to_vec();
    }
    lanczos3(src, sw, sh, w, h, PixelType::U8)
}

/// Apply EXIF orientation `o` (1-8) so the image is upright.
pub fn orient(img: Rgb, o: u8) -> Rgb {
    if !(2..=8).contains(&o) {
        return img;
    }
    let (w, h) = (img.width as usize, img.height as usize);
    let swap = o >= 5;
    let (ow, oh) = if swap { (h, w) } else { (w, h) };
    let mut out = vec![0u8; img.pixels.len()];
    for y in 0..oh {
        for x in 0..ow {
            // The source pixel of output pixel (x, y).
            let (sx, sy) = match o {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (y, h - 1 - x),
                7 => (w - 1 - y, h - 1 - x),
                _ => (w - 1 - y, x), // 8
            };
            let s = (sy * w + sx) * 3;
            let d = (y * ow + x) * 3;
            out[d..d + 3].copy_from_slice(&img.pixels[s..s + 3]);
        }
    }
    Rgb {
        width: ow as u32,
        height: oh as u32,
        pixels: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3x2 image whose pixels are numbered 0..6 (in the red channel).
    fn numbered() -> Rgb {
        Rgb {
            width: 3,
            height: 2,
            pixels: (0..6u8).flat_map(|v| [v, 0, 0]).collect(),
        }
    }

    fn reds(img: &Rgb) -> Vec<u8> {
        img.pixels.chunks(3).map(|p| p[0]).collect()
    }

    #[test]
    fn orientations_match_the_exif_definitions() {
        // 0 1 2
        // 3 4 5
        assert_eq!(reds(&orient(numbered(), 1)), [0, 1, 2, 3, 4, 5]);
        assert_eq!(reds(&orient(numbered(), 2)), [2, 1, 0, 5, 4, 3]);
        assert_eq!(reds(&orient(numbered(), 3)), [5, 4, 3, 2, 1, 0]);
        assert_eq!(reds(&orient(numbered(), 4)), [3, 4, 5, 0, 1, 2]);
        // 6: rotate 90 degrees clockwise -> 2 wide, 3 high.
        let r = orient(numbered(), 6);
        assert_eq!((r.width, r.height), (2, 3));
        assert_eq!(reds(&r), [3, 0, 4, 1, 5, 2]);
        assert_eq!(reds(&orient(numbered(), 8)), [2, 5, 1, 4, 0, 3]);
        assert_eq!(reds(&orient(numbered(), 5)), [0, 3, 1, 4, 2, 5]);
        assert_eq!(reds(&orient(numbered(), 7)), [5, 2, 4, 1, 3, 0]);
    }

    #[test]
    fn fit_never_upscales_and_keeps_the_aspect_ratio() {
        assert_eq!(fit(4032, 3024, 1024), (1024, 768));
        assert_eq!(fit(3024, 4032, 256), (192, 256));
        assert_eq!(fit(300, 200, 1024), (300, 200));
        assert_eq!(fit(10, 5000, 256), (1, 256), "never zero wide");
    }
}
