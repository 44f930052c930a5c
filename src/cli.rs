//! Command-line definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  photosky up                          deploy (or update) the stack `photosky`
  photosky --name demo up --memory 2048 --cors-origin https://photos.example.com
  photosky status --output json        what exists, as JSON; exit 1 if anything is missing
  photosky logs --since 1h --follow    the function's log, then new events as they come
  photosky down --yes                  delete everything the stack made
  photosky ls --all-regions            every stack in the account, and which have a state file here
  photosky user add ana@example.com    let someone sign in; prints their one-time password

Credentials and region come from the usual AWS places (AWS_PROFILE,
AWS_REGION, ~/.aws/config, SSO, instance roles), as for the AWS CLI.
AWS_ENDPOINT_URL (or --endpoint-url) points every call at an emulator such as moto.";

#[derive(Debug, Parser)]
#[command(
    name = "photosky",
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("PHOTOSKY_BUILD_NOTE"), ")"),
    about = "Deploy the PhotoSky serverless photo pipeline to AWS, and remove it again",
    long_about = "Deploy the PhotoSky serverless photo pipeline to AWS, and remove it again.\n\n\
`up` creates an ECR repository, IAM roles, a CodeBuild project that builds the Lambda \
image, the Lambda function, the upload and thumbnail buckets with their trigger, and an \
API Gateway REST API, calling AWS APIs directly. Every resource is recorded in \
<state-dir>/<name>.json as it is made, so an interrupted `up` resumes and `down` \
removes everything.",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// Stack name: lowercase letters, digits and hyphens; starts with a letter.
    #[arg(long, global = true, default_value = "photosky", value_parser = parse_stack_name)]
    pub name: String,

    /// Directory of state files (one `<name>.json` per stack).
    #[arg(long, global = true, default_value = "state", value_name = "DIR")]
    pub state_dir: PathBuf,

    /// AWS region for a new stack [default: AWS_REGION or the profile's]. An
    /// existing stack always stays in the region its state file records.
    #[arg(long, global = true, value_name = "R")]
    pub region: Option<String>,

    /// AWS profile from ~/.aws/config [default: AWS_PROFILE or `default`].
    #[arg(long, global = true, value_name = "P")]
    pub profile: Option<String>,

    /// Send every AWS call here, e.g. http://127.0.0.1:5000 for moto
    /// [default: AWS_ENDPOINT_URL].
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// How many steps may run at once. Steps start as soon as what they
    /// need exists; 1 runs the plan as a list, in order.
    #[arg(long, global = true, default_value_t = 8, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,

    /// Print more about what is happening.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Result format on stdout.
    #[arg(long, global = true, value_enum, default_value_t = Output::Text)]
    pub output: Output,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the stack, or bring it up to date; resumes after an interruption.
    Up(UpArgs),
    /// Delete every resource of the stack, then its state file.
    Down(DownArgs),
    /// Show each resource: whether it exists, is healthy, and live details.
    Status,
    /// Print the function's log events (or the builds'), oldest first.
    Logs(LogsArgs),
    /// List the stacks in the region (any name), found by their tag: what
    /// each holds, and whether a state file here knows it.
    Ls(LsArgs),
    /// Who may sign in: add, list or remove the stack's users.
    User(UserArgs),
    /// The gallery's share links: list them, or revoke one.
    Share(ShareArgs),
    /// Print the IAM policy photosky needs to run (attach it to the user or
    /// role that runs photosky: README.md, "Using it with AWS").
    Policy,
}

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Let EMAIL sign in: prints a one-time password (the first sign-in
    /// sets their own).
    Add {
        email: String,
        /// Have Cognito e-mail the one-time password instead of printing it
        /// (Cognito's own sender: a few e-mails a day).
        #[arg(long)]
        send_email: bool,
    },
    /// Everyone who may sign in, and whether they have yet.
    List,
    /// EMAIL can no longer sign in.
    Remove { email: String },
}

#[derive(Debug, Args)]
pub struct ShareArgs {
    #[command(subcommand)]
    pub command: ShareCommand,
}

#[derive(Debug, Subcommand)]
pub enum ShareCommand {
    /// Every link the gallery made: its id, photos, and until when it opens.
    List,
    /// End a link at once: it opens nothing from now on.
    Revoke {
        /// The share's id, as `share list` shows it (32 hex digits).
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct LsArgs {
    /// Look in every region the account has enabled (account:ListRegions),
    /// not only --region's.
    #[arg(long)]
    pub all_regions: bool,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The CodeBuild builds' log instead of the function's.
    #[arg(long)]
    pub build: bool,

    /// Keep printing new events as they arrive, until Ctrl-C.
    #[arg(long, short)]
    pub follow: bool,

    /// How far back to start: 30s, 10m, 2h, 1d.
    #[arg(long, value_name = "AGO", default_value = "10m", value_parser = crate::commands::logs::parse_since)]
    pub since: std::time::Duration,
}

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Function memory in MB (128-10240) [default: 1769, a whole vCPU, or what the
    /// stack has]. `up` prints what a photo costs with it (docs/cost.md).
    #[arg(long, value_name = "MB", value_parser = clap::value_parser!(i32).range(crate::state::limits::MEMORY_MB))]
    pub memory: Option<i32>,

    /// Function timeout in seconds (1-900) [default: 60, or what the stack has].
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(i32).range(crate::state::limits::TIMEOUT_S))]
    pub timeout: Option<i32>,

    /// Origin allowed to use the buckets from a browser (repeat for several)
    /// [default: *, or what the stack has].
    #[arg(long = "cors-origin", value_name = "ORIGIN", value_parser = parse_origin)]
    pub cors_origins: Vec<String>,

    /// The function's instruction set: arm64 (AWS Graviton, about 20% less
    /// per GB-second) or x86_64 [default: arm64, or what the stack has].
    /// Changing it rebuilds the image for the other platform and moves the
    /// function in place.
    #[arg(long, value_name = "ARCH")]
    pub arch: Option<crate::arch::Arch>,

    /// Build the function image by compiling the handler inside CodeBuild
    /// (about 10 minutes), even though this photosky carries the prebuilt
    /// bootstrap that CodeBuild only copies (about 1 minute). A photosky
    /// installed without it (plain `cargo install`) always compiles.
    #[arg(long)]
    pub from_source: bool,

    /// Days the function's and the build's log groups keep events, one of
    /// CloudWatch Logs' values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180,
    /// 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
    /// [default: 30, or what the stack has].
    #[arg(long, value_name = "DAYS", value_parser = parse_retention)]
    pub log_retention_days: Option<i32>,

    /// Days a deleted (or replaced) photo can still be restored: the upload
    /// bucket is versioned, and older versions expire after this
    /// [default: 7, or what the stack has].
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(i32).range(crate::state::limits::KEEP_DELETED_DAYS))]
    pub keep_deleted_days: Option<i32>,

    /// Requests per second the API accepts in the long run; more are
    /// answered 429 [default: 20, or what the stack has].
    #[arg(long, value_name = "RPS", value_parser = clap::value_parser!(i32).range(crate::state::limits::RATE_LIMIT))]
    pub rate_limit: Option<i32>,

    /// Requests the API accepts at once above the rate [default: 40, or
    /// what the stack has].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(crate::state::limits::BURST_LIMIT))]
    pub burst_limit: Option<i32>,

    /// The most copies of the function that run at once (reserved
    /// concurrency), so a flood costs a bounded amount [default: 10, or what
    /// the stack has].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(crate::state::limits::MAX_CONCURRENCY))]
    pub max_concurrency: Option<i32>,

    /// Leave the photo API open to anyone who has its URL, with no sign-in:
    /// what the workshop's React and Android clients expect. Anyone who
    /// finds the URL can then list, upload and delete every photo. Kept by
    /// later `up`s until `--private`.
    #[arg(long, conflicts_with = "private")]
    pub public: bool,

    /// Require sign-in again on a stack made `--public` (a new stack
    /// requires it anyway): only users of the stack's pool (`photosky user
    /// add`) may call the API.
    #[arg(long)]
    pub private: bool,

    /// Take over the stack of this name found in the region when there is
    /// no state file here (a new laptop, a lost `state/`): only what
    /// carries its tag is adopted. Without it, `up` refuses to make a
    /// second copy.
    #[arg(long)]
    pub adopt: bool,
}

pub use crate::state::limits::LOG_RETENTION_DAYS;

fn parse_retention(s: &str) -> Result<i32, String> {
    match s.parse::<i32>() {
        Ok(d) if LOG_RETENTION_DAYS.contains(&d) => Ok(d),
        _ => Err(format!(
            "CloudWatch Logs keeps events for one of {} days",
            LOG_RETENTION_DAYS
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[derive(Debug, Args)]
pub struct DownArgs {
    /// Do not ask for confirmation (needed when not run from a terminal).
    #[arg(long, short)]
    pub yes: bool,

    /// Find the stack in AWS by its names and tag instead of reading its
    /// state file (what `down` does anyway when there is none): for a stack
    /// whose state file is lost or stale. Only resources carrying the tag
    /// photosky-stack=<name> are deleted.
    #[arg(long)]
    pub discover: bool,
}

/// Whether `s` is shaped like an AWS region of a partition photosky knows
/// (AWS's partition table: `eu-west-1`, `ap-southeast-5`, `cn-north-1`,
/// `us-gov-west-1`...). A new region of a known geography passes; a typo
/// such as `eu-west` or `not-a-region` does not, before any network call.
pub fn is_region(s: &str) -> bool {
    const GEOGRAPHIES: &[&str] = &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "cn"];
    let parts: Vec<&str> = s.split('-').collect();
    let (geo, rest) = match parts.as_slice() {
        ["us", "gov" | "iso" | "isob" | "isof", rest @ ..] => ("us", rest),
        ["eu", "isoe", rest @ ..] => ("eu", rest),
        [geo, rest @ ..] => (*geo, rest),
        [] => return false,
    };
    matches!(rest, [direction, number]
        if GEOGRAPHIES.contains(&geo)
            && !direction.is_empty()
            && direction.chars().all(|c| c.is_ascii_lowercase())
            && !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit()))
}

/// 1-32 characters of a-z, 0-9 and '-', starting with a letter and not
/// ending with '-'.
pub fn is_stack_name(s: &str) -> bool {
    (1..=32).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn parse_stack_name(s: &str) -> Result<String, String> {
    if is_stack_name(s) {
        Ok(s.to_owned())
    } else {
        // It becomes part of bucket, role and function names.
        Err(
            "1-32 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'"
                .into(),
        )
    }
}

pub fn parse_origin(s: &str) -> Result<String, String> {
    if s == "*"
        || ((s.starts_with("https://") || s.starts_with("http://"))
            && !s
                .trim_end_matches('/')
                .contains(|c: char| c.is_whitespace()))
    {
        Ok(s.trim_end_matches('/').to_owned())
    } else {
        Err("an origin is `*` or scheme://host[:port], e.g. https://photos.example.com".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `up`'s flags replace what the stack has; flags not given keep it.
    #[test]
    fn up_flags_apply_to_the_stacks_settings() {
        let up = |args: &[&str]| match Cli::parse_from([&["photosky", "up"], args].concat()).command
        {
            Command::Up(a) => a,
            _ => unreachable!(),
        };
        let mut settings = crate::state::Settings::default();
        let defaults = settings.clone();
        settings.apply(&up(&[
            "--memory",
            "2048",
            "--public",
            "--cors-origin",
            "https://a.example",
        ]));
        assert_eq!(settings.memory_mb, 2048);
        assert!(settings.public);
        assert_eq!(settings.cors_origins, ["https://a.example"]);
        assert_eq!(settings.timeout_s, defaults.timeout_s);
        settings.apply(&up(&["--private"]));
        assert!(!settings.public);
        assert_eq!(settings.memory_mb, 2048, "kept");
        assert_eq!(settings.cors_origins, ["https://a.example"], "kept");
        settings.apply(&up(&[]));
        assert!(!settings.public, "kept");
    }

    #[test]
    fn regions_are_checked_by_their_shape() {
        for good in [
            "eu-west-1",
            "us-east-1",
            "ap-southeast-5",
            "il-central-1",
            "cn-north-1",
            "us-gov-west-1",
            "mx-central-1",
        ] {
            assert!(is_region(good), "{good}");
        }
        for bad in [
            "",
            "not-a-region",
            "eu-west",
            "eu-west-one",
            "EU-WEST-1",
            "xx-west-1",
            "eu--1",
            "eu-west-1-a",
        ] {
            assert!(!is_region(bad), "{bad}");
        }
    }

    #[test]
    fn stack_names_are_checked() {
        assert!(parse_stack_name("photosky").is_ok());
        assert!(parse_stack_name("demo-2").is_ok());
        for bad in ["", "Photo", "1abc", "a_b", "abc-", &"a".repeat(33)] {
            assert!(parse_stack_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

/// The command line, parsed; a mistake in it exits as clap does (status 2),
/// except that clap's "a similar argument exists" is dropped when the
/// similar argument is not similar (`up --frobnicate` is not a typo of
/// `--private`): a tip that points the wrong way is worse than none.
pub fn parse() -> Cli {
    use clap::error::{ContextKind, ContextValue};
    let e = match Cli::try_parse() {
        Ok(cli) => return cli,
        Err(e) => e,
    };
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(s)) => s.first().cloned(),
        _ => None,
    };
    let (Some(given), Some(suggested)) = (
        text(ContextKind::InvalidArg),
        text(ContextKind::SuggestedArg),
    ) else {
        e.exit()
    };
    if edit_distance(&given, &suggested) <= 2 {
        e.exit()
    }
    // Clap also shows the usage with the suggestion in it: the plain one.
    let mut rendered = e.render().to_string().replace(
        &format!("\n  tip: a similar argument exists: '{suggested}'\n"),
        "",
    );
    let mut cmd = <Cli as clap::CommandFactory>::command();
    cmd.build();
    let sub = std::env::args().skip(1).find_map(|a| {
        let found = cmd.get_subcommands().any(|s| s.get_name() == a);
        found.then_some(a)
    });
    let usage = match sub.and_then(|name| cmd.find_subcommand_mut(name)) {
        Some(sub) => sub.render_usage(),
        None => cmd.render_usage(),
    };
    if let Some(line) = rendered.lines().find(|l| l.starts_with("Usage: ")) {
        rendered = rendered.replace(line, &usage.to_string());
    }
    eprint!("{rendered}");
    std::process::exit(2)
}

/// Levenshtein distance: how many characters to change, add or remove.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}
