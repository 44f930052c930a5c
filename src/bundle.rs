//! The build source CodeBuild turns into the Lambda image: `handler/` and
//! `buildspec.yml`, embedded at compile time (see build.rs). Its content hash
//! is the image tag, so unchanged source reuses the image already in ECR.
//!
//! The zip is written with the `zip` crate, deflated, with fixed timestamps,
//! so the same source gives the same bytes.

use std::io::{Cursor, Write};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/bundle_files.rs"));
}

pub struct Bundle {
    pub files: &'static [(&'static str, &'static [u8])],
    /// Computed once: every step that names the image or the source zip asks.
    image_tag: String,
}

impl Bundle {
    pub fn embedded() -> Bundle {
        let hash = hash(embedded::FILES);
        Bundle {
            files: embedded::FILES,
            image_tag: format!("src-{}", &hash[..20]),
        }
    }

    /// The ECR image tag: `src-` and the first 20 hex digits of the hash.
    pub fn image_tag(&self) -> String {
        self.image_tag.clone()
    }

    /// The zip CodeBuild downloads: deflated, every entry dated 1980-01-01
    /// (the zip epoch) and mode 0644, in path order, so the same source
    /// always gives the same bytes.
    pub fn zip(&self) -> Vec<u8> {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (path, bytes) in self.files {
            zip.start_file(*path, options)
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
        let b = Bundle::embedded();
        let paths: Vec<_> = b.files.iter().map(|(p, _)| *p).collect();
        for want in [
            "buildspec.yml",
            "handler/Cargo.toml",
            "handler/Cargo.lock",
            "handler/Dockerfile",
            "handler/src/main.rs",
        ] {
            assert!(paths.contains(&want), "{want} missing from {paths:?}");
        }
        assert!(!paths.iter().any(|p| p.contains("/target/")), "{paths:?}");
    }

    #[test]
    fn zip_is_reproducible_and_readable_by_python() {
        let b = Bundle::embedded();
        let z = b.zip();
        assert_eq!(z, b.zip());
        // Deflated: the source is mostly text.
        let raw: usize = b.files.iter().map(|(_, bytes)| bytes.len()).sum();
        assert!(z.len() < raw / 2, "{} of {raw} bytes", z.len());
        assert_eq!(b.image_tag().len(), 24);
        // An independent reader: Python's zipfile checks every CRC.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("src.zip");
        std::fs::write(&path, &z).unwrap();
        let out = std::process::Command::new("python3")
            .args(["-c", "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print('\\n'.join(z.namelist()))"])
            .arg(&path)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let names = String::from_utf8(out.stdout).unwrap();
        let want: Vec<_> = b.files.iter().map(|(p, _)| *p).collect();
        assert_eq!(names.lines().collect::<Vec<_>>(), want);
    }
}
