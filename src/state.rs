//! The state file `state/<stack>.json`: what a stack is called and what of it
//! exists. Names are chosen and saved *before* anything is created, and each
//! resource is recorded the moment its create returns, so a crash anywhere
//! leaves a file from which `up` resumes and `down` cleans up.
//!
//! Saves are atomic (temp file, fsync, rename, fsync of the directory). A file
//! that does not parse, or has a version we do not know, is an error and is
//! never overwritten; so is anything but a regular file of at most
//! `MAX_STATE_BYTES` (a FIFO would hang the read, `/dev/zero` fill memory).
//! A state file that is a symbolic link is read and written through the
//! link: the target is what changes, the link stays. Fields this photosky
//! does not know survive a save. Temp files a killed save left behind are
//! removed by the next command that takes the lock. A lock file beside it (an OS advisory lock, released
//! when the process exits, even by a crash) keeps two commands off one stack.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const STATE_VERSION: u32 = 1;

/// A state file is a few KB; anything past this is not one.
pub const MAX_STATE_BYTES: u64 = 1 << 20;

/// How many random characters end a stack's base name.
pub const SUFFIX_LEN: usize = 6;

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
        let suffix: String = (0..SUFFIX_LEN)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        Names::from_suffix(stack, &suffix)
    }

    /// The names of the stack whose names end in `suffix`: what `down`
    /// without a state file rebuilds from a resource it found.
    /// What each name adds after `<stack>-<suffix>`: the repository,
    /// project, function and API take none. Discovery reads names back by
    /// these endings (`discover::suffix_of`).
    pub const ENDINGS: [&'static str; 6] = [
        "",
        "-build",
        "-function",
        "-artifacts",
        "-source",
        "-thumbnails",
    ];

    pub fn from_suffix(stack: &str, suffix: &str) -> Names {
        let base = format!("{stack}-{suffix}");
        let [plain, build, function, artifacts, source, thumbnails] = Self::ENDINGS;
        Names {
            repository: format!("{base}{plain}"),
            build_role: format!("{base}{build}"),
            artifacts_bucket: format!("{base}{artifacts}"),
            project: format!("{base}{plain}"),
            function_role: format!("{base}{function}"),
            source_bucket: format!("{base}{source}"),
            dest_bucket: format!("{base}{thumbnails}"),
            function: format!("{base}{plain}"),
            api: format!("{base}{plain}"),
            suffix: suffix.to_owned(),
        }
    }
}

/// What AWS accepts of each setting: `up`'s flags are checked against
/// these, and so is a state file, whose settings are sent to AWS as they are.
pub mod limits {
    use std::ops::RangeInclusive;

    /// Lambda's memory, MB.
    pub const MEMORY_MB: RangeInclusive<i64> = 128..=10240;
    /// Lambda's timeout, seconds.
    pub const TIMEOUT_S: RangeInclusive<i64> = 1..=900;
    pub const KEEP_DELETED_DAYS: RangeInclusive<i64> = 1..=3650;
    pub const RATE_LIMIT: RangeInclusive<i64> = 1..=10000;
    pub const BURST_LIMIT: RangeInclusive<i64> = 1..=5000;
    pub const MAX_CONCURRENCY: RangeInclusive<i64> = 1..=1000;
    /// The retention periods CloudWatch Logs accepts (PutRetentionPolicy).
    pub const LOG_RETENTION_DAYS: &[i32] = &[
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288, 3653,
    ];
}

/// What `up` applied last; flags given to `up` replace these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub memory_mb: i32,
    pub timeout_s: i32,
    pub cors_origins: Vec<String>,
    pub upload_prefix: String,
    /// How long the log groups keep events (a state file from before this
    /// setting gets the default).
    #[serde(default = "default_log_retention_days")]
    pub log_retention_days: i32,
    /// Days a deleted or replaced upload stays restorable (noncurrent
    /// versions in the versioned upload bucket).
    #[serde(default = "default_keep_deleted_days")]
    pub keep_deleted_days: i32,
    /// The API stage's steady rate (requests per second) and burst.
    #[serde(default = "default_rate_limit")]
    pub rate_limit: i32,
    #[serde(default = "default_burst_limit")]
    pub burst_limit: i32,
    /// Reserved concurrency: the most invocations of the function at once.
    #[serde(default = "default_max_concurrency")]
    pub max_concurrency: i32,
    /// `up --public`: the API answers anyone, no sign-in (a state file from
    /// before sign-in existed gets the default: sign-in required).
    #[serde(default)]
    pub public: bool,
    /// The function's instruction set (a state file from before this
    /// setting is an x86_64 stack: that was the only one).
    #[serde(default = "default_arch_of_older_stacks")]
    pub arch: crate::arch::Arch,
}

impl Settings {
    /// What `up` was given replaces what the stack has; what it was not
    /// given is kept.
    pub fn apply(&mut self, args: &crate::cli::UpArgs) {
        let keep = |old: &mut i32, new: Option<i32>| *old = new.unwrap_or(*old);
        keep(&mut self.memory_mb, args.memory);
        keep(&mut self.timeout_s, args.timeout);
        keep(&mut self.log_retention_days, args.log_retention_days);
        keep(&mut self.keep_deleted_days, args.keep_deleted_days);
        keep(&mut self.rate_limit, args.rate_limit);
        keep(&mut self.burst_limit, args.burst_limit);
        keep(&mut self.max_concurrency, args.max_concurrency);
        if !args.cors_origins.is_empty() {
            self.cors_origins = args.cors_origins.clone();
        }
        if args.public || args.private {
            self.public = args.public;
        }
        if let Some(arch) = args.arch {
            self.arch = arch;
        }
    }
}

fn default_arch_of_older_stacks() -> crate::arch::Arch {
    crate::arch::Arch::X86_64
}

fn default_keep_deleted_days() -> i32 {
    7
}

fn default_rate_limit() -> i32 {
    20
}

fn default_burst_limit() -> i32 {
    40
}

fn default_max_concurrency() -> i32 {
    10
}

fn default_log_retention_days() -> i32 {
    30
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            // A whole vCPU: as cheap per photo as less (docs/cost.md), and
            // twice as fast as 1,024 MB.
            memory_mb: crate::cost::FULL_CPU_MB,
            timeout_s: 60,
            cors_origins: vec!["*".into()],
            upload_prefix: "uploads/".into(),
            log_retention_days: default_log_retention_days(),
            keep_deleted_days: default_keep_deleted_days(),
            rate_limit: default_rate_limit(),
            burst_limit: default_burst_limit(),
            max_concurrency: default_max_concurrency(),
            public: false,
            arch: crate::arch::Arch::Arm64,
        }
    }
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
    /// What each step made, keyed by its key (`repository`, `function`,
    /// ...): each is its step's `Record` (`steps/<kind>.rs`), checked by
    /// `check`. Records this photosky has no step for are kept as they are.
    #[serde(default)]
    pub resources: BTreeMap<String, serde_json::Value>,
    /// Fields this photosky does not know: kept, and written back.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl State {
    /// A state file is a claim, not proof: what it names and sets is sent to
    /// AWS, so it must pass the checks a flag passes. Every name follows
    /// from the stack's name and suffix (`Names::from_suffix`), and every
    /// setting is in AWS's range. `Err` says the first field that is not.
    pub fn check(&self) -> std::result::Result<(), String> {
        if !crate::cli::is_stack_name(&self.stack) {
            return Err(format!(
                "`stack` is {:?}, which is not a stack name",
                self.stack
            ));
        }
        let n = &self.names;
        let suffix_ok = n.suffix.len() == SUFFIX_LEN
            && n.suffix
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !suffix_ok {
            return Err(format!(
                "`names.suffix` is {:?}, not {SUFFIX_LEN} characters of a-z and 0-9",
                n.suffix
            ));
        }
        let want = Names::from_suffix(&self.stack, &n.suffix);
        let pairs = [
            ("repository", &n.repository, &want.repository),
            ("build_role", &n.build_role, &want.build_role),
            (
                "artifacts_bucket",
                &n.artifacts_bucket,
                &want.artifacts_bucket,
            ),
            ("project", &n.project, &want.project),
            ("function_role", &n.function_role, &want.function_role),
            ("source_bucket", &n.source_bucket, &want.source_bucket),
            ("dest_bucket", &n.dest_bucket, &want.dest_bucket),
            ("function", &n.function, &want.function),
            ("api", &n.api, &want.api),
        ];
        if let Some((field, got, want)) = pairs.into_iter().find(|(_, got, want)| got != want) {
            return Err(format!(
                "`names.{field}` is {got:?}, but stack `{}` with suffix {} names it {want:?}",
                self.stack, n.suffix
            ));
        }
        let s = &self.settings;
        let ranged = [
            ("memory_mb", s.memory_mb, limits::MEMORY_MB),
            ("timeout_s", s.timeout_s, limits::TIMEOUT_S),
            (
                "keep_deleted_days",
                s.keep_deleted_days,
                limits::KEEP_DELETED_DAYS,
            ),
            ("rate_limit", s.rate_limit, limits::RATE_LIMIT),
            ("burst_limit", s.burst_limit, limits::BURST_LIMIT),
            (
                "max_concurrency",
                s.max_concurrency,
                limits::MAX_CONCURRENCY,
            ),
        ];
        for (field, value, range) in ranged {
            if !range.contains(&i64::from(value)) {
                return Err(format!(
                    "`settings.{field}` is {value}, outside {}-{}",
                    range.start(),
                    range.end()
                ));
            }
        }
        if !limits::LOG_RETENTION_DAYS.contains(&s.log_retention_days) {
            return Err(format!(
                "`settings.log_retention_days` is {}, which CloudWatch Logs does not keep",
                s.log_retention_days
            ));
        }
        if let Some(bad) = s
            .cors_origins
            .iter()
            .find(|o| crate::cli::parse_origin(o).as_deref() != Ok(o.as_str()))
        {
            return Err(format!(
                "`settings.cors_origins` has {bad:?}, which is not an origin"
            ));
        }
        let prefix = &s.upload_prefix;
        let prefix_ok = prefix.ends_with('/')
            && !prefix.starts_with('/')
            && !prefix.split('/').any(|p| p == "..")
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
        if !prefix_ok {
            return Err(format!(
                "`settings.upload_prefix` is {prefix:?}, not a key prefix like \"uploads/\""
            ));
        }
        for (key, record) in &self.resources {
            if let Some(step) = crate::plan::by_key(key) {
                step.check_record(record).map_err(|why| {
                    format!("`resources.{key}` is not a {} record: {why}", step.title())
                })?;
            }
        }
        crate::steps::project::check_pending_build(&self.resources)?;
        Ok(())
    }

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
            extra: BTreeMap::new(),
        }
    }

    /// The record `step` made, if any, read as its `Record`.
    pub fn record<S: crate::steps::Recorded + crate::steps::Step>(
        &self,
        step: &S,
    ) -> Option<S::Record> {
        let value = self.resources.get(step.key())?;
        serde::Deserialize::deserialize(value).ok()
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

    /// The stacks with a `<stack>.json` in `dir`, in name order (none if
    /// `dir` cannot be read).
    pub fn stacks_in(dir: &Path) -> Vec<String> {
        let mut stacks: Vec<String> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                let stack = name.strip_suffix(".json")?;
                crate::cli::is_stack_name(stack).then(|| stack.to_owned())
            })
            .collect();
        stacks.sort();
        stacks
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
        // Only the holder of the lock saves, so any temp file of this
        // stack's state is what a killed save left behind.
        self.remove_stale_temps();
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
        let refuse = |why: String| Error::BadStateFile {
            path: path.clone(),
            why,
        };
        let io = |source| Error::Io {
            action: "reading state file",
            path: path.clone(),
            source,
        };
        // Follows a symbolic link: what is judged is what would be read.
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return match fs::read_link(&path) {
                    Ok(target) => Err(refuse(format!(
                        "is a symbolic link to {}, which does not exist",
                        target.display()
                    ))),
                    Err(_) => Ok(None),
                };
            }
            Err(e) => return Err(io(e)),
        };
        if !meta.is_file() {
            return Err(refuse(format!("is {}, not a regular file", kind(&meta))));
        }
        if meta.len() > MAX_STATE_BYTES {
            return Err(refuse(format!(
                "is {} bytes, more than a state file can be ({MAX_STATE_BYTES})",
                meta.len()
            )));
        }
        let mut bytes = Vec::new();
        File::open(&path)
            .and_then(|f| f.take(MAX_STATE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(io)?;
        if bytes.len() as u64 > MAX_STATE_BYTES {
            return Err(refuse(
                "grew past the size a state file can be while it was read".into(),
            ));
        }
        parse(&path, &bytes).map(Some)
    }

    pub fn save(&self, state: &State) -> Result<()> {
        let path = self.path();
        let json = serde_json::to_vec_pretty(state).expect("state serialises");
        let target = through_link(&path);
        crate::fault::state_write_failure()
            .and_then(|()| write_atomic(&target, &json))
            .map_err(|source| Error::Io {
                action: "saving state file",
                path: target,
                source,
            })
    }

    /// The state file goes; when it is a link, its target and the link go.
    pub fn delete(&self) -> Result<()> {
        let path = self.path();
        let target = through_link(&path);
        for p in [&target, &path] {
            match crate::fault::state_write_failure().and_then(|()| fs::remove_file(p)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(Error::Io {
                        action: "removing state file",
                        path: p.clone(),
                        source,
                    })
                }
            }
        }
        Ok(())
    }

    fn remove_stale_temps(&self) {
        let prefix = format!("{}.json.tmp-", self.stack);
        let mut dirs = vec![self.dir.clone()];
        if let Some(d) = through_link(&self.path()).parent() {
            dirs.push(d.to_path_buf());
        }
        for dir in dirs {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
    }
}

/// Where a save lands: the link's target when the state file is a symbolic
/// link (so the link stays a link), else the path itself.
fn through_link(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.into())
        }
        _ => path.into(),
    }
}

/// "a directory", "a FIFO", ...: what a path is, for the refusal.
fn kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "something else"
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
    let state: State = serde_json::from_value(value).map_err(|source| Error::CorruptState {
        path: path.into(),
        source,
    })?;
    state.check().map_err(|what| Error::InvalidState {
        path: path.into(),
        what,
    })?;
    Ok(state)
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
    fn a_state_is_checked_as_flags_are() {
        let names = Names::generate("demo", &mut StdRng::seed_from_u64(1));
        let good = State::new("demo", "eu-west-1", names);
        assert_eq!(good.check(), Ok(()));
        let bad = |change: fn(&mut State)| {
            let mut s = good.clone();
            change(&mut s);
            s.check().unwrap_err()
        };
        assert!(bad(|s| s.names.source_bucket = "../../x".into()).contains("names.source_bucket"));
        assert!(bad(|s| s.names.suffix = "ABCDEF".into()).contains("names.suffix"));
        assert!(bad(|s| s.stack = "Demo".into()).contains("`stack`"));
        assert!(bad(|s| s.settings.memory_mb = 999_999).contains("settings.memory_mb"));
        assert!(bad(|s| s.settings.timeout_s = 0).contains("settings.timeout_s"));
        assert!(bad(|s| s.settings.log_retention_days = 2).contains("log_retention_days"));
        assert!(bad(|s| s.settings.cors_origins = vec!["ftp://x".into()]).contains("cors_origins"));
        assert!(bad(|s| s.settings.upload_prefix = "a/../".into()).contains("upload_prefix"));
    }

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
            serde_json::json!({"arn": "arn:x", "id": "uri", "applied": "fp"}),
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

    fn sample(stack: &str) -> State {
        State::new(
            stack,
            "eu-west-1",
            Names::generate(stack, &mut StdRng::seed_from_u64(1)),
        )
    }

    /// Refused with a reason naming the file, and left as it was.
    fn refused(store: &StateStore, why: &str) {
        let e = store.load().unwrap_err();
        assert!(matches!(e, Error::BadStateFile { .. }), "{e:?}");
        assert!(
            e.to_string().contains(why) && e.to_string().contains("demo.json"),
            "{e}"
        );
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn only_a_regular_file_of_bounded_size_is_read() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path(), "demo");
        // A FIFO: opening it would block until a writer came.
        let made = std::process::Command::new("mkfifo")
            .arg(store.path())
            .status()
            .unwrap();
        assert!(made.success());
        refused(&store, "is a FIFO, not a regular file");
        fs::remove_file(store.path()).unwrap();
        // A link to /dev/zero: reading it would never end.
        symlink("/dev/zero", store.path()).unwrap();
        refused(&store, "is a device, not a regular file");
        fs::remove_file(store.path()).unwrap();
        symlink(dir.path().join("gone.json"), store.path()).unwrap();
        refused(&store, "which does not exist");
        fs::remove_file(store.path()).unwrap();
        fs::create_dir(store.path()).unwrap();
        refused(&store, "is a directory");
        fs::remove_dir(store.path()).unwrap();
        let big = vec![b' '; MAX_STATE_BYTES as usize + 1];
        fs::write(store.path(), &big).unwrap();
        refused(&store, "more than a state file can be");
        assert_eq!(fs::read(store.path()).unwrap(), big, "left as it was");
    }

    #[test]
    fn a_linked_state_file_is_written_through_the_link() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("kept.json");
        let store = StateStore::new(dir.path(), "demo");
        let mut s = sample("demo");
        StateStore::new(elsewhere.path(), "kept").save(&s).unwrap();
        symlink(&target, store.path()).unwrap();
        s.settings.memory_mb = 2048;
        store.save(&s).unwrap();
        assert!(fs::symlink_metadata(store.path())
            .unwrap()
            .file_type()
            .is_symlink());
        let through = StateStore::new(elsewhere.path(), "kept").load().unwrap();
        assert_eq!(through.unwrap().settings.memory_mb, 2048);
        store.delete().unwrap();
        assert!(!target.exists() && fs::symlink_metadata(store.path()).is_err());
    }

    #[test]
    fn unknown_fields_survive_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path(), "demo");
        let mut v = serde_json::to_value(sample("demo")).unwrap();
        v["note"] = "written by a newer photosky".into();
        v["resources"]["repository"] =
            serde_json::json!({"id": "r", "arn": "arn:r", "tags_checked": true});
        v["resources"]["from-a-newer-photosky"] = serde_json::json!({"id": 7});
        fs::write(store.path(), serde_json::to_vec(&v).unwrap()).unwrap();
        let s = store.load().unwrap().unwrap();
        store.save(&s).unwrap();
        let back: serde_json::Value =
            serde_json::from_slice(&fs::read(store.path()).unwrap()).unwrap();
        assert_eq!(back["note"], "written by a newer photosky");
        assert_eq!(back["resources"]["repository"]["tags_checked"], true);
        assert_eq!(back["resources"]["repository"]["id"], "r");
        assert_eq!(back["resources"]["from-a-newer-photosky"]["id"], 7);
    }

    #[test]
    fn a_record_that_is_not_its_steps_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path(), "demo");
        for (key, record, why) in [
            (
                "function",
                serde_json::json!({"applied": "x"}),
                "missing field `arn`",
            ),
            ("rest-api", serde_json::json!({"id": 5}), "invalid type"),
            (
                "build",
                serde_json::json!({"id": "b"}),
                "missing field `applied`",
            ),
        ] {
            let mut v = serde_json::to_value(sample("demo")).unwrap();
            v["resources"][key] = record;
            fs::write(store.path(), serde_json::to_vec(&v).unwrap()).unwrap();
            let e = store.load().unwrap_err().to_string();
            assert!(
                e.contains(&format!("`resources.{key}`")) && e.contains(why),
                "{e}"
            );
        }
    }

    #[test]
    fn the_lock_holder_removes_temp_files_a_killed_save_left() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path(), "demo");
        store.save(&sample("demo")).unwrap();
        let stale = dir.path().join("demo.json.tmp-4242");
        let other = dir.path().join("other.json.tmp-4242");
        fs::write(&stale, b"half a save").unwrap();
        fs::write(&other, b"another stack's").unwrap();
        let _lock = store.lock("up").unwrap();
        assert!(!stale.exists());
        assert!(other.exists(), "another stack's temp file is not ours");
        assert!(store.load().unwrap().is_some());
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
