//! HEIC/HEIF images read through libheif and libde265, built from `vendor/`
//! (see `build.rs`), and bounded: the limits are set on the context before
//! the file is parsed, a grid's tiles are counted before anything is decoded,
//! and a decode that runs past its deadline is cancelled between tiles.
//!
//! Only the dozen C functions used are declared, by hand, from the vendored
//! headers (`vendor/libheif/libheif/api/libheif/`): generating bindings
//! would need libclang on every build machine.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::marker::PhantomData;
use std::ptr;
use std::sync::Once;
use std::time::Instant;

mod ffi {
    use super::*;

    #[repr(C)]
    pub struct Context {
        _opaque: [u8; 0],
    }
    #[repr(C)]
    pub struct Handle {
        _opaque: [u8; 0],
    }
    #[repr(C)]
    pub struct Image {
        _opaque: [u8; 0],
    }

    /// `heif_error` (heif_error.h), returned by value.
    #[repr(C)]
    pub struct Error {
        pub code: c_int,
        pub subcode: c_int,
        pub message: *const c_char,
    }

    /// `heif_color_conversion_options` (heif_color.h).
    #[repr(C)]
    pub struct ColorConversionOptions {
        pub version: u8,
        pub preferred_chroma_downsampling_algorithm: c_int,
        pub preferred_chroma_upsampling_algorithm: c_int,
        pub only_use_preferred_chroma_algorithm: u8,
    }

    /// The start of `heif_decoding_options` (heif_decoding.h), as far as the
    /// fields set here. libheif allocates the whole struct
    /// (`heif_decoding_options_alloc`), so a prefix is enough to write it.
    #[repr(C)]
    pub struct DecodingOptions {
        pub version: u8,
        pub ignore_transformations: u8,
        pub start_progress: Option<unsafe extern "C" fn(c_int, c_int, *mut c_void)>,
        pub on_progress: Option<unsafe extern "C" fn(c_int, c_int, *mut c_void)>,
        pub end_progress: Option<unsafe extern "C" fn(c_int, *mut c_void)>,
        pub progress_user_data: *mut c_void,
        pub convert_hdr_to_8bit: u8,
        pub strict_decoding: u8,
        pub decoder_id: *const c_char,
        pub color_conversion_options: ColorConversionOptions,
        pub cancel_decoding: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    }

    /// The start of `heif_security_limits` (heif_security.h), version 2's
    /// fields; the context owns the whole struct.
    #[repr(C)]
    pub struct SecurityLimits {
        pub version: u8,
        pub max_image_size_pixels: u64,
        pub max_number_of_tiles: u64,
        pub max_bayer_pattern_pixels: u32,
        pub max_items: u32,
        pub max_color_profile_size: u32,
        pub max_memory_block_size: u64,
        pub max_components: u32,
        pub max_iloc_extents_per_item: u32,
        pub max_size_entity_group: u32,
        pub max_total_memory: u64,
    }

    /// `heif_image_tiling` (heif_tiling.h).
    #[repr(C)]
    #[derive(Default)]
    pub struct Tiling {
        pub version: c_int,
        pub num_columns: u32,
        pub num_rows: u32,
        pub tile_width: u32,
        pub tile_height: u32,
        pub image_width: u32,
        pub image_height: u32,
        pub top_offset: u32,
        pub left_offset: u32,
        pub number_of_extra_dimensions: u8,
        pub extra_dimensions: [u32; 8],
    }

    /// The start of `heif_color_profile_nclx` (heif_color.h); libheif
    /// allocates and frees it.
    #[repr(C)]
    pub struct Nclx {
        pub version: u8,
        pub color_primaries: c_int,
        pub transfer_characteristics: c_int,
        pub matrix_coefficients: c_int,
        pub full_range_flag: u8,
    }

    pub const fn fourcc(c: &[u8; 4]) -> u32 {
        u32::from_be_bytes(*c)
    }
    pub const PROPERTY_IROT: u32 = fourcc(b"irot");
    pub const PROPERTY_IMIR: u32 = fourcc(b"imir");
    /// `heif_transform_mirror_direction`: 0 flips top to bottom, 1 left to right.
    pub const MIRROR_VERTICAL: c_int = 0;
    pub const MIRROR_HORIZONTAL: c_int = 1;
    pub const COLORSPACE_YCBCR: c_int = 0;
    pub const CHROMA_420: c_int = 1;
    pub const CHANNEL_Y: c_int = 0;
    pub const CHANNEL_CB: c_int = 1;
    pub const CHANNEL_CR: c_int = 2;
    pub const COLORSPACE_RGB: c_int = 1;
    pub const CHROMA_INTERLEAVED_RGB: c_int = 10;
    pub const CHROMA_INTERLEAVED_RGBA: c_int = 11;
    pub const CHANNEL_INTERLEAVED: c_int = 10;

    extern "C" {
        pub fn heif_init(params: *mut c_void) -> Error;
        pub fn heif_context_alloc() -> *mut Context;
        pub fn heif_context_free(ctx: *mut Context);
        pub fn heif_context_get_security_limits(ctx: *const Context) -> *mut SecurityLimits;
        pub fn heif_context_set_max_decoding_threads(ctx: *mut Context, max_threads: c_int);
        pub fn heif_context_read_from_memory_without_copy(
            ctx: *mut Context,
            mem: *const c_void,
            size: usize,
            options: *const c_void,
        ) -> Error;
        pub fn heif_context_get_primary_image_handle(
            ctx: *mut Context,
            out: *mut *mut Handle,
        ) -> Error;
        pub fn heif_image_handle_release(handle: *const Handle);
        pub fn heif_image_handle_get_width(handle: *const Handle) -> c_int;
        pub fn heif_image_handle_get_height(handle: *const Handle) -> c_int;
        pub fn heif_image_handle_has_alpha_channel(handle: *const Handle) -> c_int;
        pub fn heif_image_handle_get_image_tiling(
            handle: *const Handle,
            process_image_transformations: c_int,
            out: *mut Tiling,
        ) -> Error;
        pub fn heif_decoding_options_alloc() -> *mut DecodingOptions;
        pub fn heif_decoding_options_free(options: *mut DecodingOptions);
        pub fn heif_decode_image(
            handle: *const Handle,
            out: *mut *mut Image,
            colorspace: c_int,
            chroma: c_int,
            options: *const DecodingOptions,
        ) -> Error;
        pub fn heif_image_release(image: *const Image);
        pub fn heif_image_get_nclx_color_profile(image: *const Image, out: *mut *mut Nclx)
            -> Error;
        pub fn heif_nclx_color_profile_free(nclx: *mut Nclx);
        pub fn heif_image_handle_get_item_id(handle: *const Handle) -> u32;
        pub fn heif_item_get_transformation_properties(
            ctx: *const Context,
            item: u32,
            out: *mut u32,
            count: c_int,
        ) -> c_int;
        pub fn heif_item_get_property_type(ctx: *const Context, item: u32, property: u32) -> u32;
        pub fn heif_item_get_property_transform_rotation_ccw(
            ctx: *const Context,
            item: u32,
            property: u32,
        ) -> c_int;
        pub fn heif_item_get_property_transform_mirror(
            ctx: *const Context,
            item: u32,
            property: u32,
        ) -> c_int;
        pub fn heif_image_get_width(image: *const Image, channel: c_int) -> c_int;
        pub fn heif_image_get_height(image: *const Image, channel: c_int) -> c_int;
        pub fn heif_image_get_plane_readonly2(
            image: *const Image,
            channel: c_int,
            out_stride: *mut usize,
        ) -> *const u8;
    }
}

/// What libheif said went wrong, or a limit of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

fn check(e: ffi::Error) -> Result<(), Error> {
    if e.code == 0 {
        return Ok(());
    }
    let message = if e.message.is_null() {
        String::new()
    } else {
        // SAFETY: libheif's messages are NUL-terminated strings it owns
        // (static or in the context), alive at least until the next call.
        unsafe { CStr::from_ptr(e.message) }
            .to_string_lossy()
            .into_owned()
    };
    Err(Error(format!(
        "{message} (libheif error {}.{})",
        e.code, e.subcode
    )))
}

/// The bounds a file is read within.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most pixels of the image as displayed, and of any one coded image in
    /// it (libheif checks each item's `ispe` against this while parsing).
    pub max_pixels: u64,
    /// Most pixels decoded in all: a grid's tiles may overhang the image, so
    /// this bounds their sum, counted before decoding.
    pub max_coded_pixels: u64,
    /// Most memory libheif may hold for one file.
    pub max_memory: u64,
}

impl Limits {
    /// `max_pixels` for the image, tiles overhanging it by at most a fifth,
    /// and 4 bytes per coded pixel (8-bit RGBA) twice over for libheif.
    pub fn for_pixels(max_pixels: u64) -> Limits {
        Limits {
            max_pixels,
            max_coded_pixels: max_pixels.saturating_add(max_pixels / 5),
            max_memory: max_pixels.saturating_mul(8),
        }
    }
}

/// What `decode` is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Packed RGB (RGBA with alpha), converted by libheif at full size.
    Rgb,
    /// The decoder's own 8-bit 4:2:0 planes where it can (no alpha, a
    /// YCbCr matrix [`Ycbcr`] knows), for the caller to scale before
    /// converting; else as `Rgb`.
    Ycbcr,
}

/// A decoded image: rotated, mirrored and cropped as the file says, or,
/// for `Want::Ycbcr`, as stored with `orientation` still to apply.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub width: u32,
    pub height: u32,
    pub pixels: Pixels,
    /// What the file's `irot`/`imir` say, as an EXIF orientation (1-8:
    /// 6 turns a quarter clockwise) still to be applied to the pixels; 1
    /// when libheif applied them.
    pub orientation: u8,
}

/// A turn or mirror of the plane: mirrored left to right first if
/// `mirror`, then turned `quarters` quarter turns clockwise. The eight of
/// them are the eight EXIF orientations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Turn {
    quarters: u8,
    mirror: bool,
}

impl Turn {
    /// Then turned a quarter clockwise `q` times.
    fn rotate(self, q: u8) -> Turn {
        Turn {
            quarters: (self.quarters + q) % 4,
            mirror: self.mirror,
        }
    }

    /// Then mirrored left to right: H R(r) = R(-r) H.
    fn flip_left_right(self) -> Turn {
        Turn {
            quarters: (4 - self.quarters) % 4,
            mirror: !self.mirror,
        }
    }

    /// Then mirrored top to bottom: a left-to-right mirror and a half turn.
    fn flip_top_bottom(self) -> Turn {
        self.flip_left_right().rotate(2)
    }

    fn exif(self) -> u8 {
        match (self.quarters, self.mirror) {
            (0, false) => 1,
            (0, true) => 2,
            (2, false) => 3,
            (2, true) => 4,
            (3, true) => 5,
            (1, false) => 6,
            (1, true) => 7,
            _ => 8, // (3, false)
        }
    }
}

#[derive(Debug, Clone)]
pub enum Pixels {
    /// Packed 8-bit RGB (`channels` 3) or RGBA (4, straight alpha).
    Interleaved { channels: u8, data: Vec<u8> },
    /// 8-bit planes, rows packed: Y `width` x `height`, Cb and Cr half
    /// that, rounded up (4:2:0).
    Ycbcr420 {
        y: Vec<u8>,
        cb: Vec<u8>,
        cr: Vec<u8>,
        colour: Ycbcr,
    },
}

/// How Y'CbCr turns into R'G'B': the matrix's coefficients (as libheif
/// derives them from Kr and Kb, `nclx.cc`) and the range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ycbcr {
    pub r_cr: f32,
    pub g_cb: f32,
    pub g_cr: f32,
    pub b_cb: f32,
    /// Full range (0-255), else limited (Y 16-235, Cb/Cr 16-240).
    pub full_range: bool,
}

impl Ycbcr {
    /// The coefficients of an nclx `matrix_coefficients` (ISO/IEC 23091-2),
    /// or `None` for matrices that are not a plain Kr/Kb one (identity,
    /// YCgCo, chromaticity-derived), which libheif is left to convert.
    /// Unspecified (2) is BT.601, as libheif takes it.
    pub fn from_matrix(matrix: i32, full_range: bool) -> Option<Ycbcr> {
        let (kr, kb) = match matrix {
            1 => (0.2126f32, 0.0722f32),
            2 | 5 | 6 => (0.299, 0.114),
            4 => (0.30, 0.11),
            7 => (0.212, 0.087),
            9 => (0.2627, 0.0593),
            _ => return None,
        };
        Some(Ycbcr {
            r_cr: 2.0 * (1.0 - kr),
            g_cb: 2.0 * kb * (1.0 - kb) / (kb + kr - 1.0),
            g_cr: 2.0 * kr * (1.0 - kr) / (kb + kr - 1.0),
            b_cb: 2.0 * (1.0 - kb),
            full_range,
        })
    }

    /// One pixel to R'G'B'.
    pub fn rgb(&self, y: u8, cb: u8, cr: u8) -> [u8; 3] {
        let (mut y, mut cb, mut cr) = (f32::from(y), f32::from(cb) - 128.0, f32::from(cr) - 128.0);
        if !self.full_range {
            y = (y - 16.0) * (255.0 / 219.0);
            cb *= 255.0 / 224.0;
            cr *= 255.0 / 224.0;
        }
        let clamp = |v: f32| (v + 0.5).clamp(0.0, 255.0) as u8;
        [
            clamp(y + self.r_cr * cr),
            clamp(y + self.g_cb * cb + self.g_cr * cr),
            clamp(y + self.b_cb * cb),
        ]
    }
}

/// An opened HEIF file: its primary image, not yet decoded.
pub struct Heif<'a> {
    ctx: *mut ffi::Context,
    handle: *mut ffi::Handle,
    /// libheif reads the caller's bytes in place (`without_copy`).
    _bytes: PhantomData<&'a [u8]>,
}

impl Drop for Heif<'_> {
    fn drop(&mut self) {
        // SAFETY: both were allocated by libheif in `open` and are released
        // once, here; a null handle (a failed `open`) is never released.
        unsafe {
            if !self.handle.is_null() {
                ffi::heif_image_handle_release(self.handle);
            }
            ffi::heif_context_free(self.ctx);
        }
    }
}

impl<'a> Heif<'a> {
    /// Parse the container and find the primary image; nothing is decoded.
    pub fn open(bytes: &'a [u8], limits: Limits) -> Result<Heif<'a>, Error> {
        static INIT: Once = Once::new();
        // SAFETY: heif_init takes optional parameters (none) and is
        // reference counted; called once per process, never deinitialised.
        INIT.call_once(|| unsafe {
            let _ = ffi::heif_init(ptr::null_mut());
        });
        // SAFETY: a fresh context; `heif` owns it from here, so every early
        // return below frees it.
        let ctx = unsafe { ffi::heif_context_alloc() };
        if ctx.is_null() {
            return Err(Error("libheif could not allocate a context".into()));
        }
        let mut heif = Heif {
            ctx,
            handle: ptr::null_mut(),
            _bytes: PhantomData,
        };
        // SAFETY: the context's own limits, valid while it lives; the fields
        // written are in every version (1 and 2) of the struct.
        unsafe {
            let l = &mut *ffi::heif_context_get_security_limits(ctx);
            l.max_image_size_pixels = l.max_image_size_pixels.min(limits.max_pixels);
            if l.version >= 2 {
                l.max_total_memory = l.max_total_memory.min(limits.max_memory);
            }
            // One background thread for the tiles: it is what makes libheif
            // check `cancel_decoding` (its serial path notes a cancel but
            // goes on), and Lambda gives one vCPU below 1,769 MB.
            ffi::heif_context_set_max_decoding_threads(ctx, 1);
            check(ffi::heif_context_read_from_memory_without_copy(
                ctx,
                bytes.as_ptr().cast(),
                bytes.len(),
                ptr::null(),
            ))?;
            check(ffi::heif_context_get_primary_image_handle(
                ctx,
                &mut heif.handle,
            ))?;
        }
        let (w, h) = heif.dimensions();
        if w == 0 || h == 0 {
            return Err(Error(format!("the primary image is {w}x{h}")));
        }
        let coded = heif.coded_pixels()?;
        if coded > limits.max_coded_pixels {
            return Err(Error(format!(
                "its tiles hold {coded} pixels, over the limit of {}",
                limits.max_coded_pixels
            )));
        }
        Ok(heif)
    }

    /// Width and height as displayed: after rotation, mirroring and crop.
    pub fn dimensions(&self) -> (u32, u32) {
        // SAFETY: a valid handle (set by `open` before this is called).
        let (w, h) = unsafe {
            (
                ffi::heif_image_handle_get_width(self.handle),
                ffi::heif_image_handle_get_height(self.handle),
            )
        };
        (w.max(0) as u32, h.max(0) as u32)
    }

    /// Pixels the decoder will produce: every tile of a grid in full (the
    /// last row and column may overhang the image), or the one image.
    pub fn coded_pixels(&self) -> Result<u64, Error> {
        let mut t = ffi::Tiling::default();
        // SAFETY: a valid handle and a struct of the header's layout.
        check(unsafe { ffi::heif_image_handle_get_image_tiling(self.handle, 0, &mut t) })?;
        Ok(u64::from(t.num_columns)
            * u64::from(t.num_rows)
            * u64::from(t.tile_width)
            * u64::from(t.tile_height))
    }

    /// Decode the primary image, upright: rotated and mirrored as the file
    /// says (`irot`, `imir`: in HEIF these, not the EXIF orientation, say
    /// how an image is shown), 8 bits per sample. Cancelled between tiles
    /// once `deadline` has passed.
    pub fn decode(&self, deadline: Instant, want: Want) -> Result<Decoded, Error> {
        // SAFETY: a valid handle.
        let alpha = unsafe { ffi::heif_image_handle_has_alpha_channel(self.handle) } != 0;
        if want == Want::Ycbcr && !alpha {
            // Turning 12 MP planes is a tenth of the decode: leave it to the
            // caller's small result, unless a crop (`clap`) is among them.
            let turn = self.turn();
            let image = self.decode_as(
                ffi::COLORSPACE_YCBCR,
                ffi::CHROMA_420,
                deadline,
                turn.is_some(),
            )?;
            if let Some(colour) = image.ycbcr() {
                let (w, h) = image.size(ffi::CHANNEL_Y);
                let y = image.plane(ffi::CHANNEL_Y, w)?;
                let (cw, _) = image.size(ffi::CHANNEL_CB);
                let (cb, cr) = (
                    image.plane(ffi::CHANNEL_CB, cw)?,
                    image.plane(ffi::CHANNEL_CR, cw)?,
                );
                let chroma = (w.div_ceil(2) * h.div_ceil(2)) as usize;
                if cb.len() != chroma || cr.len() != chroma {
                    return Err(Error("libheif's chroma planes are not 4:2:0".into()));
                }
                return Ok(Decoded {
                    width: w,
                    height: h,
                    pixels: Pixels::Ycbcr420 { y, cb, cr, colour },
                    orientation: turn.map_or(1, Turn::exif),
                });
            }
            // A matrix `Ycbcr` does not know: libheif converts.
        }
        let (chroma, channels) = if alpha {
            (ffi::CHROMA_INTERLEAVED_RGBA, 4u8)
        } else {
            (ffi::CHROMA_INTERLEAVED_RGB, 3u8)
        };
        let image = self.decode_as(ffi::COLORSPACE_RGB, chroma, deadline, false)?;
        let (w, h) = image.size(ffi::CHANNEL_INTERLEAVED);
        let data = image.plane(ffi::CHANNEL_INTERLEAVED, w * u32::from(channels))?;
        Ok(Decoded {
            width: w,
            height: h,
            pixels: Pixels::Interleaved { channels, data },
            orientation: 1,
        })
    }

    /// The primary image's `irot` and `imir` properties, in the order they
    /// apply, as one turn; `None` if there is anything else (a `clap` crop).
    fn turn(&self) -> Option<Turn> {
        // SAFETY: a valid context and handle; the list is sized by the
        // first call and filled by the second.
        unsafe {
            let item = ffi::heif_image_handle_get_item_id(self.handle);
            let n =
                ffi::heif_item_get_transformation_properties(self.ctx, item, ptr::null_mut(), 0);
            let mut ids = vec![0u32; n.max(0) as usize];
            let n = ffi::heif_item_get_transformation_properties(
                self.ctx,
                item,
                ids.as_mut_ptr(),
                ids.len() as c_int,
            );
            ids.truncate(n.max(0) as usize);
            let mut turn = Turn::default();
            for id in ids {
                turn = match ffi::heif_item_get_property_type(self.ctx, item, id) {
                    ffi::PROPERTY_IROT => {
                        match ffi::heif_item_get_property_transform_rotation_ccw(self.ctx, item, id)
                        {
                            ccw @ (0 | 90 | 180 | 270) => turn.rotate(((360 - ccw) / 90 % 4) as u8),
                            _ => return None,
                        }
                    }
                    ffi::PROPERTY_IMIR => {
                        match ffi::heif_item_get_property_transform_mirror(self.ctx, item, id) {
                            ffi::MIRROR_HORIZONTAL => turn.flip_left_right(),
                            ffi::MIRROR_VERTICAL => turn.flip_top_bottom(),
                            _ => return None,
                        }
                    }
                    _ => return None,
                };
            }
            Some(turn)
        }
    }

    fn decode_as(
        &self,
        colorspace: c_int,
        chroma: c_int,
        deadline: Instant,
        ignore_transformations: bool,
    ) -> Result<Image, Error> {
        unsafe extern "C" fn past_deadline(data: *mut c_void) -> c_int {
            // SAFETY: `data` is the `&Instant` set below, alive for the call.
            let deadline = unsafe { &*(data as *const Instant) };
            c_int::from(Instant::now() >= *deadline)
        }
        let mut image: *mut ffi::Image = ptr::null_mut();
        // SAFETY: options allocated and freed here; `deadline` outlives the
        // decode that reads it.
        unsafe {
            let opts = ffi::heif_decoding_options_alloc();
            if opts.is_null() {
                return Err(Error("libheif could not allocate options".into()));
            }
            (*opts).convert_hdr_to_8bit = 1;
            (*opts).ignore_transformations = u8::from(ignore_transformations);
            (*opts).progress_user_data = &deadline as *const Instant as *mut c_void;
            if (*opts).version >= 6 {
                (*opts).cancel_decoding = Some(past_deadline);
            }
            let r = ffi::heif_decode_image(self.handle, &mut image, colorspace, chroma, opts);
            ffi::heif_decoding_options_free(opts);
            check(r)?;
        }
        let image = Image(image);
        if Instant::now() >= deadline {
            return Err(Error("decoding took longer than allowed".into()));
        }
        Ok(image)
    }
}

/// A decoded `heif_image`, released when dropped.
struct Image(*mut ffi::Image);

impl Drop for Image {
    fn drop(&mut self) {
        // SAFETY: decoded by libheif, released once, here.
        unsafe { ffi::heif_image_release(self.0) }
    }
}

impl Image {
    fn size(&self, channel: c_int) -> (u32, u32) {
        // SAFETY: a valid image; a channel it lacks gives -1.
        let (w, h) = unsafe {
            (
                ffi::heif_image_get_width(self.0, channel),
                ffi::heif_image_get_height(self.0, channel),
            )
        };
        (w.max(0) as u32, h.max(0) as u32)
    }

    /// A channel's rows of `row` bytes each, packed.
    fn plane(&self, channel: c_int, row: u32) -> Result<Vec<u8>, Error> {
        let (_, h) = self.size(channel);
        let (row, h) = (row as usize, h as usize);
        let mut stride = 0usize;
        // SAFETY: libheif's plane for `channel`: `h` rows `stride` bytes
        // apart, each at least `row` bytes long (checked), alive while
        // `self` is.
        unsafe {
            let plane = ffi::heif_image_get_plane_readonly2(self.0, channel, &mut stride);
            if plane.is_null() || stride < row {
                return Err(Error(format!(
                    "libheif returned no pixels for channel {channel}"
                )));
            }
            let mut out = Vec::with_capacity(row * h);
            for y in 0..h {
                out.extend_from_slice(std::slice::from_raw_parts(plane.add(y * stride), row));
            }
            Ok(out)
        }
    }

    /// How this image's Y'CbCr becomes RGB; `None` if `Ycbcr` cannot say.
    fn ycbcr(&self) -> Option<Ycbcr> {
        let mut nclx: *mut ffi::Nclx = ptr::null_mut();
        // SAFETY: libheif allocates the profile, freed here; an image
        // without one answers an error and leaves `nclx` null.
        unsafe {
            let err = ffi::heif_image_get_nclx_color_profile(self.0, &mut nclx);
            if err.code != 0 || nclx.is_null() {
                // No colour profile: libheif converts as BT.601, full range.
                return Ycbcr::from_matrix(2, true);
            }
            let (matrix, full) = ((*nclx).matrix_coefficients, (*nclx).full_range_flag != 0);
            ffi::heif_nclx_color_profile_free(nclx);
            Ycbcr::from_matrix(matrix, full)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The turns the eight EXIF orientations name, built from the HEIF
    /// operations in the order a file lists them.
    #[test]
    fn irot_and_imir_compose_to_the_exif_orientations() {
        let none = Turn::default();
        assert_eq!(none.exif(), 1);
        assert_eq!(none.flip_left_right().exif(), 2);
        assert_eq!(none.rotate(2).exif(), 3);
        assert_eq!(none.flip_top_bottom().exif(), 4);
        // 5, transpose: mirrored left to right, then a quarter anticlockwise.
        assert_eq!(none.flip_left_right().rotate(3).exif(), 5);
        assert_eq!(none.rotate(1).exif(), 6);
        assert_eq!(none.flip_left_right().rotate(1).exif(), 7);
        assert_eq!(none.rotate(3).exif(), 8);
        // A turn then a mirror: a quarter clockwise, then left to right,
        // takes (x, y) to (y, x), the transpose (5); then top to bottom, the
        // transverse (7).
        assert_eq!(none.rotate(1).flip_left_right().exif(), 5);
        assert_eq!(none.rotate(1).flip_top_bottom().exif(), 7);
        // Four quarter turns are none; two mirrors the same way are none.
        assert_eq!(none.rotate(1).rotate(1).rotate(1).rotate(1), none);
        assert_eq!(none.flip_top_bottom().flip_top_bottom(), none);
    }
}
