//! CloudWatch Logs groups: Lambda and CodeBuild create theirs on first write,
//! so `down` deletes them by name. Also reads the tail of a build log.

use aws_sdk_cloudwatchlogs::Client;

use crate::aws::{not_found_is_ok, AwsError, AwsResultExt};

pub async fn find(logs: &Client, name: &str) -> Result<bool, AwsError> {
    let out = logs
        .describe_log_groups()
        .log_group_name_prefix(name)
        .send()
        .await
        .aws()?;
    Ok(out
        .log_groups()
        .iter()
        .any(|g| g.log_group_name() == Some(name)))
}

pub async fn delete(logs: &Client, name: &str) -> Result<bool, AwsError> {
    not_found_is_ok(
        logs.delete_log_group()
            .log_group_name(name)
            .send()
            .await
            .aws(),
    )
}

/// The last `n` lines of a log stream; an empty list if it does not exist.
pub async fn tail(
    logs: &Client,
    group: &str,
    stream: &str,
    n: i32,
) -> Result<Vec<String>, AwsError> {
    let out = logs
        .get_log_events()
        .log_group_name(group)
        .log_stream_name(stream)
        .start_from_head(false)
        .limit(n)
        .send()
        .await
        .aws();
    match out {
        Ok(o) => Ok(o
            .events()
            .iter()
            .filter_map(|e| e.message().map(|m| m.trim_end().to_owned()))
            .collect()),
        Err(e) if e.is_not_found() => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}
