//! The build source CodeBuild turns into the Lambda image, embedded at
//! compile time (see build.rs), in one of two forms:
//!
//! - **prebuilt**, when this photosky was built with the stack
//!   architecture's bootstrap (`PHOTOSKY_BOOTSTRAP` for x86_64,
//!   `PHOTOSKY_BOOTSTRAP_ARM64`; `./dev install` builds both): the handler's
//!   release binary, cross-built here for Linux against glibc 2.34 by
//!   cargo-zigbuild, with `handler/Dockerfile.prebuilt` (a base image and a
//!   COPY) as `handler/Dockerfile`. CodeBuild only assembles the image.
//! - **source**, otherwise (a plain `cargo install`), or with
//!   `up --from-source`: `handler/` and `buildspec.yml`; CodeBuild compiles
//!   the handler, which takes about ten minutes.
//!
//! Either way the image tag is the form, the architecture and the content
//! hash of the files (`bin-arm64-` and 20 hex digits), so unchanged input
//! reuses the image already in ECR, and an image is never reused for the
//! other architecture. The zip is written with the `zip` crate, deflated, with fixed
//! timestamps, so the same files give the same bytes.

use std::io::{Cursor, Write};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::arch::Arch;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/bundle_files.rs"));
}

/// Where the bootstrap goes in the prebuilt zip: the buildspec builds
/// `handler/` either way.
const BOOTSTRAP_PATH: &str = "handler/bootstrap";
const PREBUILT_DOCKERFILE: &[u8] = include_bytes!("../handler/Dockerfile.prebuilt");

/// How CodeBuild gets the handler binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    /// It copies the bootstrap this photosky carries.
    Prebuilt,
    /// It compiles the handler from source.
    FromSource,
}

impl Build {
    /// What the build does and how long it takes on AWS (the latency model's
    /// figures, tests/emulator/aws_latency.json), for the progress line.
    pub fn expectation(self) -> &'static str {
        match self {
            Build::Prebuilt => {
                "assembling the image from the prebuilt bootstrap (about 1 minute on AWS)"
            }
            Build::FromSource => "compiling the handler inside CodeBuild (about 10 minutes on AWS)",
        }
    }
}

#[derive(Clone)]
pub struct Bundle {
    pub build: Build,
    /// The platform the image is built for.
    pub arch: Arch,
    pub files: Vec<(&'static str, &'static [u8])>,
    /// Computed once: every step that names the image or the source zip asks.
    image_tag: String,
}

impl Bundle {
    /// What `up` deploys for `arch` by default: the prebuilt form when
    /// this binary carries that architecture's bootstrap, else the source.
    /// Hashed once per process and architecture (every `Stack` has one,
    /// and `down` without a state file makes several; a bootstrap is 17 MB).
    pub fn embedded(arch: Arch) -> Bundle {
        use std::sync::OnceLock;
        static ARM64: OnceLock<Bundle> = OnceLock::new();
        static X86_64: OnceLock<Bundle> = OnceLock::new();
        let cell = match arch {
            Arch::Arm64 => &ARM64,
            Arch::X86_64 => &X86_64,
        };
        cell.get_or_init(|| match Bundle::carried(arch) {
            Some(bootstrap) => Bundle::prebuilt(arch, bootstrap),
            None => Bundle::source(arch),
        })
        .clone()
    }

    /// The prebuilt bootstrap this photosky binary carries for `arch`.
    pub fn carried(arch: Arch) -> Option<&'static [u8]> {
        match arch {
            Arch::Arm64 => embedded::BOOTSTRAP_ARM64,
            Arch::X86_64 => embedded::BOOTSTRAP_X86_64,
        }
    }

    /// `handler/` and `buildspec.yml`: CodeBuild compiles, on `arch`.
    pub fn source(arch: Arch) -> Bundle {
        Bundle::new(Build::FromSource, arch, embedded::FILES.to_vec())
    }

    /// `buildspec.yml`, the assemble-only Dockerfile and the bootstrap.
    pub fn prebuilt(arch: Arch, bootstrap: &'static [u8]) -> Bundle {
        let buildspec = embedded::FILES
            .iter()
            .find(|(path, _)| *path == "buildspec.yml")
            .expect("build.rs embeds buildspec.yml")
            .1;
        Bundle::new(
            Build::Prebuilt,
            arch,
            vec![
                ("buildspec.yml", buildspec),
                ("handler/Dockerfile", PREBUILT_DOCKERFILE),
                (BOOTSTRAP_PATH, bootstrap),
            ],
        )
    }

    fn new(build: Build, arch: Arch, files: Vec<(&'static str, &'static [u8])>) -> Bundle {
        let prefix = match build {
            Build::Prebuilt => "bin",
            Build::FromSource => "src",
        };
        let image_tag = format!("{prefix}-{arch}-{}", &hash(&files)[..20]);
        Bundle {
            build,
            arch,
            files,
            image_tag,
        }
    }

    /// The architecture of the CodeBuild machine that builds the image: the
    /// image's own to compile the handler natively; x86_64 to assemble a
    /// prebuilt one, which only copies and so needs no emulation for arm64
    /// (and x86_64 machines are in every region).
    pub fn host(&self) -> Arch {
        match self.build {
            Build::FromSource => self.arch,
            Build::Prebuilt => Arch::X86_64,
        }
    }

    /// The ECR image tag: `bin-` or `src-`, the architecture, and the
    /// first 20 hex digits of the hash of the files.
    pub fn image_tag(&self) -> String {
        self.image_tag.clone()
    }

    /// The zip CodeBuild downloads: deflated, every entry dated 1980-01-01
    /// (the zip epoch), in path order, so the same files always give the
    /// same bytes. Mode 0644, and 0755 for the bootstrap.
    pub fn zip(&self) -> Vec<u8> {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default());
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (path, bytes) in &self.files {
            let mode = if *path == BOOTSTRAP_PATH {
                0o755
            } else {
                0o644
            };
            zip.start_file(*path, options.unix_permissions(mode))
                .and_then(|()| zip.write_all(bytes).map_err(Into::into))
                .expect("writing a zip in memory");
        }
        zip.finish().expect("writing a zip in memory").into_inner()
    }
}

/// Hex SHA-256 over every path and its bytes, in path order.
fn hash(files: &[(&str, &[u8])]) -> String {
    let mut h = Sha256::new();
    for (path, bytes) in files {
        h.update((path.len() as u64).to_le_bytes());
        h.update(path.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_the_handler_and_buildspec_and_no_build_output() {
        let b = Bundle::source(Arch::Arm64);
        assert_eq!(b.build, Build::FromSource);
        assert!(b.image_tag().starts_with("src-arm64-"), "{}", b.image_tag());
        let paths: Vec<_> = b.files.iter().map(|(p, _)| *p).collect();
        for want in [
            "buildspec.yml",
            "handler/Cargo.toml",
            "handler/Cargo.lock",
            "handler/Dockerfile",
            "handler/src/main.rs",
            "handler/heif/build.rs",
            "handler/heif/vendor/libheif/CMakeLists.txt",
        ] {
            assert!(paths.contains(&want), "{want} missing from {paths:?}");
        }
        assert!(!paths.iter().any(|p| p.contains("/target/")), "{paths:?}");
        assert!(!paths.contains(&"handler/bootstrap"), "{paths:?}");
    }

    #[test]
    fn prebuilt_holds_the_bootstrap_and_dockerfile_and_no_rust_source() {
        static FAKE: &[u8] = b"\x7fELF not really a binary";
        let b = Bundle::prebuilt(Arch::X86_64, FAKE);
        assert_eq!(b.build, Build::Prebuilt);
        assert!(
            b.image_tag().starts_with("bin-x86_64-"),
            "{}",
            b.image_tag()
        );
        let paths: Vec<_> = b.files.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            paths,
            ["buildspec.yml", "handler/Dockerfile", "handler/bootstrap"]
        );
        let dockerfile = std::str::from_utf8(b.files[1].1).unwrap();
        assert!(
            dockerfile.contains("COPY --chmod=0755 bootstrap /var/runtime/bootstrap"),
            "{dockerfile}"
        );
        // Nothing runs in the build: a base image and a copy.
        assert!(
            !dockerfile.lines().any(|l| l.starts_with("RUN")),
            "{dockerfile}"
        );
        // The tag follows what goes into the image.
        static OTHER: &[u8] = b"\x7fELF another binary";
        assert_ne!(
            b.image_tag(),
            Bundle::prebuilt(Arch::X86_64, OTHER).image_tag()
        );
        assert_ne!(b.image_tag(), Bundle::source(Arch::X86_64).image_tag());
        // The same files for the other platform are another image.
        assert_ne!(
            Bundle::source(Arch::X86_64).image_tag(),
            Bundle::source(Arch::Arm64).image_tag()
        );
        let listed = python_zip_listing(&b.zip());
        assert_eq!(
            listed,
            [
                "buildspec.yml 644",
                "handler/Dockerfile 644",
                "handler/bootstrap 755"
            ]
        );
    }

    #[test]
    fn zip_is_reproducible_and_readable_by_python() {
        let b = Bundle::source(Arch::Arm64);
        let z = b.zip();
        assert_eq!(z, b.zip());
        // Deflated: the source is mostly text.
        let raw: usize = b.files.iter().map(|(_, bytes)| bytes.len()).sum();
        assert!(z.len() < raw / 2, "{} of {raw} bytes", z.len());
        assert_eq!(b.image_tag().len(), "src-arm64-".len() + 20);
        let want: Vec<_> = b.files.iter().map(|(p, _)| format!("{p} 644")).collect();
        assert_eq!(python_zip_listing(&z), want);
    }

    /// Each entry as "path mode", read by an independent reader: Python's
    /// zipfile, which checks every CRC.
    fn python_zip_listing(zip: &[u8]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("src.zip");
        std::fs::write(&path, zip).unwrap();
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; \
                 print('\\n'.join(f'{i.filename} {i.external_attr >> 16 & 0o777:o}' for i in z.infolist()))",
            ])
            .arg(&path)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}
