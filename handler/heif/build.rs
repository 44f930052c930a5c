//! Builds libde265 (the HEVC decoder) and then libheif (the HEIF container,
//! with libde265 as its only codec) from `vendor/`, both static, and links
//! them and the C++ runtime into the crate.
//!
//! Everything is pinned: libheif is configured with every other codec, plugin
//! loading and every optional library (zlib, brotli, sharpyuv) switched off,
//! so what is on the build machine never ends up in the Lambda binary. Under
//! cargo-zigbuild the cmake crate picks zig's cc/c++ wrappers from
//! `CC_<target>`/`CXX_<target>`, as for libjpeg-turbo.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=vendor");

    let de265 = cmake::Config::new(manifest.join("vendor/libde265"))
        .out_dir(out.join("libde265"))
        .define("CMAKE_INSTALL_LIBDIR", "lib")
        .define("BUILD_SHARED_LIBS", "OFF")
        .define("ENABLE_SDL", "OFF")
        .define("ENABLE_DECODER", "OFF")
        .define("ENABLE_ENCODER", "OFF")
        .build();

    let mut heif = cmake::Config::new(manifest.join("vendor/libheif"));
    heif.out_dir(out.join("libheif"))
        .define("CMAKE_INSTALL_LIBDIR", "lib")
        .define("BUILD_SHARED_LIBS", "OFF")
        .define("LIBDE265_INCLUDE_DIR", de265.join("include"))
        .define("LIBDE265_LIBRARY", de265.join("lib/libde265.a"))
        .define("WITH_LIBDE265", "ON")
        .define("WITH_LIBDE265_PLUGIN", "OFF");
    for off in [
        "BUILD_TESTING",
        "BUILD_DOCUMENTATION",
        "WITH_EXAMPLES",
        "WITH_GDK_PIXBUF",
        "ENABLE_PLUGIN_LOADING",
        "WITH_LIBSHARPYUV",
        "WITH_HEADER_COMPRESSION",
        "WITH_UNCOMPRESSED_CODEC",
        "WITH_X265",
        "WITH_KVAZAAR",
        "WITH_UVG266",
        "WITH_VVDEC",
        "WITH_VVENC",
        "WITH_X264",
        "WITH_OpenH264_DECODER",
        "WITH_DAV1D",
        "WITH_AOM_DECODER",
        "WITH_AOM_ENCODER",
        "WITH_SvtEnc",
        "WITH_RAV1E",
        "WITH_JPEG_DECODER",
        "WITH_JPEG_ENCODER",
        "WITH_OpenJPEG_DECODER",
        "WITH_OpenJPEG_ENCODER",
        "WITH_FFMPEG_DECODER",
        "WITH_OPENJPH_ENCODER",
    ] {
        heif.define(off, "OFF");
    }
    let heif = heif.build();
    check_only_libde265(&heif);

    println!(
        "cargo:rustc-link-search=native={}",
        heif.join("lib").display()
    );
    println!(
        "cargo:rustc-link-search=native={}",
        de265.join("lib").display()
    );
    println!("cargo:rustc-link-lib=static=heif");
    println!("cargo:rustc-link-lib=static=de265");
    // Both are C++. zig's linker takes `stdc++` as its own libc++, linked
    // statically; with the system toolchain it is libstdc++.
    println!("cargo:rustc-link-lib=stdc++");
}

/// libheif's pkg-config file lists what it was linked against: anything
/// beyond libde265 means an optional library slipped in from the machine.
fn check_only_libde265(heif: &Path) {
    let pc = std::fs::read_to_string(heif.join("lib/pkgconfig/libheif.pc"))
        .expect("libheif.pc after the libheif build");
    for line in pc.lines() {
        if let Some(rest) = line.strip_prefix("Requires.private:") {
            let extra: Vec<&str> = rest
                .split([',', ' '])
                .filter(|s| !s.is_empty() && !s.starts_with("libde265"))
                .collect();
            assert!(
                extra.is_empty(),
                "libheif picked up {extra:?} from this machine; only libde265 is wanted"
            );
        }
    }
}
