//! CloudWatch Logs groups for the function and the build. `up` makes them
//! before anything writes to them (Lambda and CodeBuild would otherwise make
//! them on first write, untagged and kept forever), with the stack tag and a
//! retention. Also reads the tail of a build log.
//! Calls: CreateLogGroup, DescribeLogGroups, ListTagsForResource,
//! TagResource, PutRetentionPolicy, DeleteLogGroup, GetLogEvents,
//! FilterLogEvents.

use aws_sdk_cloudwatchlogs::Client;

use crate::aws::{not_found_is_ok, AwsError, AwsResultExt};

/// A log group as DescribeLogGroups shows it.
#[derive(Debug, Clone)]
pub struct LogGroup {
    /// Without the `:*` DescribeLogGroups' `arn` ends with.
    pub arn: String,
    pub retention_days: Option<i32>,
}

pub async fn find(logs: &Client, name: &str) -> Result<Option<LogGroup>, AwsError> {
    let out = logs
        .describe_log_groups()
        .log_group_name_prefix(name)
        .send()
        .await
        .aws()?;
    Ok(out
        .log_groups()
        .iter()
        .find(|g| g.log_group_name() == Some(name))
        .map(|g| LogGroup {
            arn: g
                .arn()
                .unwrap_or_default()
                .trim_end_matches(":*")
                .to_owned(),
            retention_days: g.retention_in_days(),
        }))
}

/// The group's stack tag.
pub async fn stack_tag(logs: &Client, name: &str) -> Result<super::StackTag, AwsError> {
    let Some(group) = find(logs, name).await? else {
        return Ok(None);
    };
    let out = logs
        .list_tags_for_resource()
        .resource_arn(&group.arn)
        .send()
        .await
        .aws();
    match out {
        Ok(o) => Ok(Some(super::stack_tag_in(o.tags()))),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Made with the stack tag.
pub async fn create(logs: &Client, name: &str, stack: &str) -> Result<(), AwsError> {
    logs.create_log_group()
        .log_group_name(name)
        .tags(super::STACK_TAG, stack)
        .send()
        .await
        .aws()?;
    Ok(())
}

/// Tag a group AWS made for us on first write (an older photosky's stack).
pub async fn tag(logs: &Client, arn: &str, stack: &str) -> Result<(), AwsError> {
    logs.tag_resource()
        .resource_arn(arn)
        .tags(super::STACK_TAG, stack)
        .send()
        .await
        .aws()?;
    Ok(())
}

pub async fn put_retention(logs: &Client, name: &str, days: i32) -> Result<(), AwsError> {
    logs.put_retention_policy()
        .log_group_name(name)
        .retention_in_days(days)
        .send()
        .await
        .aws()?;
    Ok(())
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

/// One log event.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub timestamp: i64,
    pub stream: String,
    pub message: String,
}

/// Every event of `group` from `start_ms` on, oldest first (all pages).
pub async fn events(logs: &Client, group: &str, start_ms: i64) -> Result<Vec<Event>, AwsError> {
    let mut pages = logs
        .filter_log_events()
        .log_group_name(group)
        .start_time(start_ms)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        for e in page.aws()?.events() {
            out.push(Event {
                id: e.event_id().unwrap_or_default().to_owned(),
                timestamp: e.timestamp().unwrap_or(0),
                stream: e.log_stream_name().unwrap_or_default().to_owned(),
                message: e.message().unwrap_or_default().to_owned(),
            });
        }
    }
    out.sort_by_key(|e| e.timestamp);
    Ok(out)
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

/// The name of every log group named `<prefix><starting>...`, without
/// `prefix` (for discovery: `prefix` is `/aws/lambda/` or `/aws/codebuild/`).
pub async fn list_names(
    logs: &Client,
    prefix: &str,
    starting: &str,
) -> Result<Vec<String>, AwsError> {
    let mut names = Vec::new();
    let mut pages = logs
        .describe_log_groups()
        .log_group_name_prefix(format!("{prefix}{starting}"))
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.aws()?;
        names.extend(
            page.log_groups()
                .iter()
                .filter_map(|g| g.log_group_name()?.strip_prefix(prefix).map(str::to_owned)),
        );
    }
    Ok(names)
}
