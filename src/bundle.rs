//! The build source CodeBuild turns into the Lambda image: `handler/` and
//! `buildspec.yml`, embedded at compile time (see build.rs). Its content hash
//! is the image tag, so unchanged source reuses the image already in ECR.
//!
//! The zip is written here (stored, not deflated: the source is a few tens of
//! KiB) with fixed timestamps, so the same source gives the same bytes.

use sha2::{Digest, Sha256};

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

    pub fn zip(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        // 1980-01-01 00:00, the zip epoch: reproducible bytes.
        let (time, date) = (0u16, (1u16 << 5) | 1);
        for (path, bytes) in self.files {
            let crc = crc32fast::hash(bytes);
            let size = u32::try_from(bytes.len()).expect("source file under 4 GiB");
            let offset = u32::try_from(out.len()).expect("bundle under 4 GiB");
            let name = path.as_bytes();
            // Local file header.
            out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
            for v in [20u16, 0, 0, time, date] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            for v in [crc, size, size] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name);
            out.extend_from_slice(bytes);
            // Central directory entry; Unix mode 0644 in the external attributes.
            central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            for v in [(3u16 << 8) | 20, 20, 0, 0, time, date] {
                central.extend_from_slice(&v.to_le_bytes());
            }
            for v in [crc, size, size] {
                central.extend_from_slice(&v.to_le_bytes());
            }
            for v in [name.len() as u16, 0, 0, 0, 0] {
                central.extend_from_slice(&v.to_le_bytes());
            }
            central.extend_from_slice(&(0o100644u32 << 16).to_le_bytes());
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name);
        }
        let cd_offset = out.len() as u32;
        let n = self.files.len() as u16;
        out.extend_from_slice(&central);
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        for v in [0u16, 0, n, n] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
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
