//! `photosky logs`: the function's log events (or, with `--build`, the
//! CodeBuild builds'), oldest first, from `--since` ago; `--follow` keeps
//! asking, as `tail -f` and `aws logs tail --follow` do. The JSON lines the
//! handler writes are shown as `LEVEL event key=value ...`; other lines
//! (Lambda's START/END/REPORT, build output) as they are.
//! Calls: FilterLogEvents (paginated).

use std::collections::HashSet;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_smithy_types::date_time::{DateTime, Format};
use serde::Serialize;
use serde_json::Value;

use crate::cli::{Cli, LogsArgs};
use crate::error::{Error, Result};
use crate::resources::log_group::{self, Event};
use crate::state::StateStore;

/// How often `--follow` asks (CloudWatch Logs delivers events within a few
/// seconds; `aws logs tail --follow` polls about as often).
const FOLLOW_EVERY: Duration = Duration::from_secs(2);

pub async fn run(cli: &Cli, args: &LogsArgs) -> Result<ExitCode> {
    let store = StateStore::new(&cli.state_dir, &cli.name);
    let state = super::existing_state(cli, &store)?;
    let clients = super::connect(cli, Some(&state)).await?;
    super::caller(&clients, Some(&state)).await?;
    let group = if args.build {
        format!("/aws/codebuild/{}", state.names.project)
    } else {
        format!("/aws/lambda/{}", state.names.function)
    };
    let now_ms = || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    };
    let mut from = now_ms() - args.since.as_millis() as i64;
    let mut seen: HashSet<String> = HashSet::new();
    loop {
        let events =
            match log_group::events(&clients.logs, &group, from).await {
                Ok(e) => e,
                Err(e) if e.is_not_found() => return Err(Error::usage(
                    format!("log group {group} does not exist"),
                    Some(
                        "`photosky up` makes it; run `photosky status` to see what the stack has"
                            .into(),
                    ),
                )),
                Err(e) => return Err(Error::aws("reading the log events", group, e)),
            };
        for e in events {
            if !seen.insert(e.id.clone()) {
                continue;
            }
            // Asked again from the newest seen: events of the same
            // millisecond are not lost, and `seen` drops the repeats.
            from = from.max(e.timestamp);
            super::print(cli.output, &LogLine::of(&e));
        }
        if !args.follow {
            return Ok(ExitCode::SUCCESS);
        }
        tokio::time::sleep(FOLLOW_EVERY).await;
    }
}

/// One event: printed as `<time> <message>`, the handler's JSON made
/// readable, or with `--output json` as one JSON object per line.
#[derive(Debug, Serialize)]
pub struct LogLine<'a> {
    pub timestamp: String,
    pub stream: &'a str,
    pub message: &'a str,
}

impl<'a> LogLine<'a> {
    pub fn of(e: &'a Event) -> LogLine<'a> {
        LogLine {
            timestamp: DateTime::from_millis(e.timestamp)
                .fmt(Format::DateTime)
                .unwrap_or_default(),
            stream: &e.stream,
            message: e.message.trim_end(),
        }
    }
}

impl std::fmt::Display for LogLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} {}", self.timestamp, readable(self.message))
    }
}

/// `{"level":"warn","event":"skipped","key":"uploads/x","reason":"..."}` as
/// `WARN skipped key=uploads/x reason=...`; anything else as it is.
pub fn readable(message: &str) -> String {
    let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(message) else {
        return message.to_owned();
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out = Vec::new();
    if let Some(level) = fields.get("level") {
        out.push(text(level).to_uppercase());
    }
    if let Some(event) = fields.get("event") {
        out.push(text(event));
    }
    // The rest in the order the line has them.
    for (k, v) in fields
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "level" | "event"))
    {
        out.push(format!("{k}={}", text(v)));
    }
    out.join(" ")
}

/// `30s`, `10m`, `2h`, `1d`: how far back `logs` starts. (One number and
/// one unit: not worth a dependency.)
pub fn parse_since(s: &str) -> std::result::Result<Duration, String> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = n
        .parse()
        .map_err(|_| format!("{s:?}: give a number and a unit, as 30s, 10m, 2h or 1d"))?;
    let seconds = match unit {
        "s" => 1,
        "m" | "" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => return Err(format!("{s:?}: the unit is s, m, h or d")),
    };
    Ok(Duration::from_secs(n * seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handlers_json_lines_are_made_readable() {
        assert_eq!(
            readable(
                r#"{"level":"warn","event":"skipped","key":"uploads/a b.jpg","reason":"not an image"}"#
            ),
            "WARN skipped key=uploads/a b.jpg reason=not an image"
        );
        assert_eq!(
            readable(r#"{"event":"thumbnails","made":[1,2]}"#),
            "thumbnails made=[1,2]"
        );
        let start = "START RequestId: 1f2e Version: $LATEST";
        assert_eq!(readable(start), start);
        assert_eq!(readable("[1, 2]"), "[1, 2]");
    }

    #[test]
    fn since_takes_a_number_and_a_unit() {
        assert_eq!(parse_since("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_since("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_since("15"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_since("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_since("1d"), Ok(Duration::from_secs(86400)));
        assert!(parse_since("10w").is_err());
        assert!(parse_since("m").is_err());
    }
}
