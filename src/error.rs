//! The deployer's error type. Each variant's message names the action and the
//! resource; the cause is the `#[source]`, printed by `main` as `Caused by:`.

use std::path::PathBuf;
use std::time::Duration;

use crate::aws::AwsError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An AWS call failed: `action` is what we were doing, `resource` to what.
    #[error("{action} ({resource})")]
    Aws {
        action: String,
        resource: String,
        #[source]
        source: AwsError,
    },

    #[error("state file {} is not valid JSON for a photosky stack; it was left as it is", path.display())]
    CorruptState {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },

    #[error("stack `{stack}` is deleted as its state file knew it, but {} thing(s) in AWS still carry its tag: {}", found.len(), found.join(", "))]
    StillTagged { stack: String, found: Vec<String> },

    #[error("state file {} cannot be acted on: {what}; it was left as it is", path.display())]
    InvalidState { path: PathBuf, what: String },

    #[error("state file {} has version {found}, and this photosky reads version {supported}; it was left as it is", path.display())]
    UnknownStateVersion {
        path: PathBuf,
        found: u64,
        supported: u32,
    },

    #[error("state file {} {why}; it was left as it is", path.display())]
    BadStateFile { path: PathBuf, why: String },

    #[error("stack `{stack}` is locked by another photosky command ({holder})")]
    Locked { stack: String, holder: String },

    #[error("{action} {}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("CodeBuild build {build_id} ended {status} in phase {phase}")]
    BuildFailed {
        build_id: String,
        status: String,
        phase: String,
        reason: Option<String>,
        log_tail: Vec<String>,
        console_url: String,
    },

    #[error("gave up after {}s waiting for {what}", waited.as_secs())]
    Timeout { what: String, waited: Duration },

    /// The command was asked for something it must not do; nothing was changed.
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },

    /// `down` deleted every resource, but the state file stayed.
    #[error("every resource of stack `{stack}` is deleted ({deleted}), but its state file could not be removed")]
    StateLeftBehind {
        stack: String,
        deleted: usize,
        #[source]
        source: Box<Error>,
    },

    /// `down` deleted what it could; these are left.
    #[error("{} resource(s) could not be deleted: {}", left.len(), left.join(", "))]
    Incomplete { left: Vec<String> },

    /// A step read what another step made without declaring it in its
    /// `Step::after` (a bug), or before it was made.
    #[error("step `{step}` needs what `{dependency}` made, {}", if *recorded {
        "which the state file does not have yet"
    } else {
        "but the step does not declare it in its `after` list (a bug in photosky)"
    })]
    Dependency {
        step: &'static str,
        dependency: &'static str,
        recorded: bool,
    },

    /// A resource by the stack's name does not carry the stack's tag.
    #[error("refusing to {acting} the {what} {name}: it does not carry the tag photosky-stack={stack} ({})", match found {
        None => "it has no photosky-stack tag".to_owned(),
        Some(other) => format!("it is tagged photosky-stack={other}"),
    })]
    NotOurs {
        acting: &'static str,
        what: &'static str,
        name: String,
        stack: String,
        found: Option<String>,
    },

    /// Several steps running at once failed; each is reported.
    #[error("{} steps failed", .0.len())]
    Several(Vec<Error>),

    /// A step that AWS reported as done, but whose result is not what we asked.
    #[error("{0}")]
    Unexpected(String),
}

impl Error {
    pub fn aws(action: impl Into<String>, resource: impl Into<String>, source: AwsError) -> Self {
        Error::Aws {
            action: action.into(),
            resource: resource.into(),
            source,
        }
    }

    pub fn usage(message: impl Into<String>, hint: Option<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint,
        }
    }

    /// The causes below this error, outermost first (its `#[source]` chain).
    pub fn causes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut source = std::error::Error::source(self);
        while let Some(s) = source {
            out.push(s.to_string());
            source = s.source();
        }
        out
    }

    /// The error with its causes, on one line (`a: b: c`).
    pub fn one_line(&self) -> String {
        std::iter::once(self.to_string())
            .chain(self.causes())
            .collect::<Vec<_>>()
            .join(": ")
    }

    /// Exit code 2 means "you asked for something wrong, nothing was done";
    /// 1 means AWS or the machine failed part way.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage { .. }
            | Error::Locked { .. }
            | Error::CorruptState { .. }
            | Error::BadStateFile { .. }
            | Error::UnknownStateVersion { .. }
            | Error::InvalidState { .. }
            | Error::NotOurs { .. } => 2,
            Error::Aws { source, .. } if source.needs_the_user() => 2,
            Error::Several(all) if all.iter().all(|e| e.exit_code() == 2) => 2,
            _ => 1,
        }
    }

    /// What the user can do about it, where we know.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Usage { hint, .. } => hint.clone(),
            Error::Locked { .. } => Some(
                "wait for that command to finish; the lock is released when its process exits, even if it crashed".into(),
            ),
            Error::BadStateFile { .. } => Some(
                "point --state-dir at a directory holding the stack's state file (a regular file, or a link to one)".into(),
            ),
            Error::CorruptState { .. } | Error::UnknownStateVersion { .. } => Some(
                "restore the file from a backup, or move it aside and remove the stack's resources by hand (they carry the tag photosky-stack)".into(),
            ),
            Error::StillTagged { .. } => Some(
                "run `photosky down` again: without a state file it finds them by their names and tag".into(),
            ),
            Error::InvalidState { .. } => Some(
                "correct that field (or restore the file from a backup); `photosky down --discover` finds the stack by its names and tag without the file".into(),
            ),
            Error::BuildFailed { console_url, .. } => {
                Some(format!("full build log: {console_url}\nfix the cause and run `photosky up` again; it resumes where it stopped"))
            }
            Error::Timeout { .. } => Some("run the same command again: it resumes where it stopped".into()),
            Error::StateLeftBehind { .. } => Some(
                "make the state directory writable and run `photosky down` again (it finds everything gone and removes the file), or delete the file by hand: nothing it lists exists".into(),
            ),
            Error::NotOurs { acting, stack, .. } => Some(format!(
                "photosky only {}s what it made, and everything it makes carries that tag; nothing was {}.\n\
                 If the state file names a resource that is not this stack's, restore the right state file (or use another --name).\n\
                 If the resource really is this stack's (made by hand, or its tag removed), tag it photosky-stack={stack} and run the command again.",
                if *acting == "delete" { "delete" } else { "adopt" },
                if *acting == "delete" { "deleted" } else { "changed on it" },
            )),
            Error::Incomplete { .. } => Some("run `photosky down` again; what is already gone is skipped".into()),
            Error::Aws { source, .. } => source.hint(),
            Error::Dependency { recorded: true, .. } => Some("run `photosky up` again: it makes what is missing first".into()),
            Error::Dependency { recorded: false, .. } => Some("please report this: the plan and the step disagree".into()),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
