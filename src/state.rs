//! The state file `state/<stack>.json`: what a stack is called and what of it
//! exists. Names are chosen and saved *before* anything is created, and each
//! resource is recorded the moment its create returns, so a crash anywhere
//! leaves a file from which `up` resumes and `down` cleans up.
//!
//! Saves are atomic (temp file, fsync, rename, fsync of the directory). A file
//! that does not parse, or has a version we do not know, is an error and is
//! never overwritten. A lock file beside it (an OS advisory lock, released
//! when the process exits, even by a crash) keeps two commands off one stack.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const STATE_VERSION: u32 = 1;

/// Every AWS name of a stack, fixed when the stack is first planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    pub suffix: String,
    pub repository: String,
    pub build_role: String,
    pub artifacts_bucket: String,
    pub project: String,
    pub function_role: String,
    pub source_bucket: String,
    pub dest_bucket: String,
    pub function: String,
    pub api: String,
}

impl Names {
    /// `<stack>-<6 random chars>`: bucket names are global, and a re-created
    /// stack must not collide with one being deleted. The random source is a
    /// parameter so tests can fix it.
    pub fn generate(stack: &str, rng: &mut impl Rng) -> Names {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let suffix: String = (0..6)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        let base = format!("{stack}-{suffix}");
        Names {
            repository: base.clone(),
            build_role: format!("{base}-build"),
            artifacts_bucket: format!("{base}-artifacts"),
            project: base.clone(),
            function_role: format!("{base}-function"),
            source_bucket: format!("{base}-source"),
            dest_bucket: format!("{base}-thumbnails"),
            function: base.clone(),
            api: base,
            suffix,
        }
    }
}

/// What `up` applied last; flags given to `up` replace these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub memory_mb: i32,
    pub timeout_s: i32,
    pub cors_origins: Vec<String>,
    pub upload_prefix: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            memory_mb: 1024,
            timeout_s: 60,
            cors_origins: vec!["*".into()],
            upload_prefix: "uploads/".into(),
        }
    }
}

/// One created resource: its identifiers, and a fingerprint of the
/// configuration last applied to it, so a re-run only re-applies on change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    pub stack: String,
    pub region: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub partition: Option<String>,
    pub names: Names,
    #[serde(default)]
    pub settings: Settings,
    /// Keyed by plan step id (`repository`, `function`, ...).
    #[serde(default)]
    pub resources: BTreeMap<String, Record>,
}

impl State {
    pub fn new(stack: &str, region: &str, names: Names) -> State {
        State {
            version: STATE_VERSION,
            stack: stack.into(),
            region: region.into(),
            account: None,
            partition: None,
            names,
            settings: Settings::default(),
            resources: BTreeMap::new(),
        }
    }

    pub fn record(&self, step: &str) -> Option<&Record> {
        self.resources.get(step)
    }
}

/// Where a stack's state lives, and the lock on it.
pub struct StateStore {
    dir: PathBuf,
    stack: String,
}

pub struct StackLock {
    _file: File,
    path: PathBuf,
}

impl StackLock {
    /// Remove the lock file with the state: called only when the stack is gone.
    pub fn remove(self) {
        let _ = fs::remove_file(&self.path);
    }
}

impl StateStore {
    pub fn new(dir: impl Into<PathBuf>, stack: &str) -> StateStore {
        StateStore {
            dir: dir.into(),
            stack: stack.into(),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(format!("{}.json", self.stack))
    }

    fn lock_path(&self) -> PathBuf {
        self.dir.join(format!("{}.lock", self.stack))
    }

    /// Take the stack's lock, or say who holds it.
    pub fn lock(&self, command: &str) -> Result<StackLock> {
        fs::create_dir_all(&self.dir).map_err(|source| Error::Io {
            action: "creating state directory",
            path: self.dir.clone(),
            source,
        })?;
        let path = self.lock_path();
        let io = |action, source| Error::Io {
            action,
            path: path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| io("opening lock file", e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(Error::Locked {
                    stack: self.stack.clone(),
                    holder: if holder.is_empty() {
                        "holder unknown".into()
                    } else {
                        holder.into()
                    },
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io("locking", e)),
        }
        // Say who we are, for the error another command will print.
        let holder = format!("`photosky {command}`, process {}", std::process::id());
        file.set_len(0)
            .and_then(|_| file.rewind())
            .and_then(|_| file.write_all(holder.as_bytes()))
            .map_err(|e| io("writing lock file", e))?;
        Ok(StackLock { _file: file, path })
    }

    /// `Ok(None)` when the stack has no state file.
    pub fn load(&self) -> Result<Option<State>> {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(Error::Io {
                    action: "reading state file",
                    path,
                    source,
                })
            }
        };
        parse(&path, &bytes).map(Some)
    }

    pub fn save(&self, state: &State) -> Result<()> {
        let path = self.path();
        let json = serde_json::to_vec_pretty(state).expect("state serialises");
        write_atomic(&path, &json).map_err(|source| Error::Io {
            action: "saving state file",
            path,
            source,
        })
    }

    pub fn delete(&self) -> Result<()> {
        let path = self.path();
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(Error::Io {
                action: "removing state file",
                path,
                source,
            }),
        }
    }
}

fn parse(path: &Path, bytes: &[u8]) -> Result<State> {
    // The version is checked first, so a newer file is reported as such and
    // not as a schema error.
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|source| Error::CorruptState {
            path: path.into(),
            source,
        })?;
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == STATE_VERSION as u64 => {}
        Some(found) => {
            return Err(Error::UnknownStateVersion {
                path: path.into(),
                found,
                supported: STATE_VERSION,
            })
        }
        None => {
            let source = serde::de::Error::custom("missing or non-numeric `version` field");
            return Err(Error::CorruptState {
                path: path.into(),
                source,
            });
        }
    }
    serde_json::from_value(value).map_err(|source| Error::CorruptState {
        path: path.into(),
        source,
    })
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = path.with_extension(format!("json.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        // The rename itself must survive a power cut.
        File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn names_come_from_the_seeded_random_source() {
        let a = Names::generate("photosky", &mut StdRng::seed_from_u64(7));
        let b = Names::generate("photosky", &mut StdRng::seed_from_u64(7));
        assert_eq!(a, b);
        assert_eq!(a.suffix.len(), 6);
        assert!(a
            .suffix
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        assert_eq!(a.source_bucket, format!("photosky-{}-source", a.suffix));
        assert_eq!(a.function_role, format!("photosky-{}-function", a.suffix));
        let c = Names::generate("photosky", &mut StdRng::seed_from_u64(8));
        assert_ne!(a.suffix, c.suffix);
    }

    #[test]
    fn save_then_load_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path(), "demo");
        assert!(store.load().unwrap().is_none());
        let mut s = State::new(
            "demo",
            "eu-west-1",
            Names::generate("demo", &mut StdRng::seed_from_u64(1)),
        );
        s.resources.insert(
            "repository".into(),
            Record {
                arn: Some("arn:x".into()),
                ..Default::default()
            },
        );
        store.save(&s).unwrap();
        let back = store.load().unwrap().unwrap();
        assert_eq!(back.names, s.names);
        assert_eq!(back.resources, s.resources);
        // No temp file is left beside it.
        let files: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(files, vec![std::ffi::OsString::from("demo.json")]);
    }

    #[test]
    fn corrupt_and_unknown_version_files_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path(), "demo");
        fs::write(store.path(), b"{\"version\": 1, \"stack\": ").unwrap();
        let e = store.load().unwrap_err();
        assert!(matches!(e, Error::CorruptState { .. }), "{e:?}");
        assert!(e.to_string().contains("demo.json"), "{e}");

        fs::write(store.path(), br#"{"version": 99, "stack": "demo"}"#).unwrap();
        let e = store.load().unwrap_err();
        assert!(
            matches!(e, Error::UnknownStateVersion { found: 99, .. }),
            "{e:?}"
        );
    }

    #[test]
    fn a_second_lock_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path(), "demo");
        let _held = store.lock("up").unwrap();
        match store.lock("down") {
            Err(Error::Locked { holder, .. }) => {
                assert!(holder.contains("photosky up"), "{holder}");
                assert!(holder.contains(&std::process::id().to_string()), "{holder}");
            }
            Err(e) => panic!("expected Locked, got {e:?}"),
            Ok(_) => panic!("expected Locked, got the lock"),
        }
    }
}
