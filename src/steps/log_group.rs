//! Steps `build-logs` and `function-logs`: the CloudWatch Logs groups that
//! CodeBuild and Lambda write to. `up` makes them before their writers, with
//! the stack tag and the stack's retention (`--log-retention-days`, 30 by
//! default); left to AWS, they are made on first write, untagged, and kept
//! forever. `down` deletes them after their writers (which list them in
//! `after`). A group AWS made for an older photosky's stack is tagged and
//! given the retention. Records: `arn`, and `applied` = a fingerprint of tag
//! and retention. Reads no other step.

use super::owner::{self, Owner};
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::error::Result;
use crate::plan::StepId;
use crate::resources::log_group;
use crate::state::Record;

pub fn name(cx: &Cx<'_>) -> String {
    match cx.id {
        StepId::BuildLogs => format!("/aws/codebuild/{}", cx.names().project),
        _ => format!("/aws/lambda/{}", cx.names().function),
    }
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let (logs, name, stack) = (&cx.clients().logs, name(cx), &cx.stack.name);
    let days = cx.stack.settings.log_retention_days;
    let fp = fingerprint(&[stack, &days.to_string()]);
    let (group, mut outcome) = match log_group::find(logs, &name).await.on(cx, "finding")? {
        Some(g) => (g, Outcome::Exists),
        None => {
            let made = log_group::create(logs, &name, stack).await;
            owner::adopt_lost_create(cx, made).await?;
            let g = log_group::LogGroup {
                arn: cx.stack.scope.log_group_arn(&name),
                retention_days: None,
            };
            (g, Outcome::Created)
        }
    };
    let applied = cx.applied();
    if outcome == Outcome::Created || applied.as_deref() != Some(fp.as_str()) {
        // A group AWS made for our writer has no tag yet.
        if outcome == Outcome::Exists {
            log_group::tag(logs, &group.arn, stack)
                .await
                .on(cx, "tagging")?;
        }
        let retention_changes = group.retention_days != Some(days);
        if retention_changes {
            log_group::put_retention(logs, &name, days)
                .await
                .on(cx, "setting the retention of")?;
        }
        // Adopted as it should be (no record yet, the retention right): as is.
        outcome = outcome.reapplied(
            applied.as_deref(),
            retention_changes,
            format!("tag, {days}-day retention"),
        );
        cx.record(Record {
            arn: Some(group.arn),
            applied: Some(fp),
            ..Default::default()
        })?;
    }
    Ok(outcome)
}

/// Tagged: ours if the tag says so. Untagged: AWS made it on its writer's
/// first write (an older photosky left that to AWS), so it is ours if the
/// writer is.
pub async fn owner(cx: &Cx<'_>) -> Result<Owner> {
    let tag = log_group::stack_tag(&cx.clients().logs, &name(cx))
        .await
        .on(cx, "reading the tags of")?;
    Ok(match Owner::from_tag(tag) {
        Owner::Tagged(None) => Owner::Parent(match cx.id {
            StepId::BuildLogs => StepId::Project,
            _ => StepId::Function,
        }),
        other => other,
    })
}

pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let gone = log_group::delete(&cx.clients().logs, &name(cx))
        .await
        .on(cx, "deleting")?;
    cx.gone(gone)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let group = log_group::find(&cx.clients().logs, &name(cx))
        .await
        .on(cx, "inspecting")?;
    let days = cx.stack.settings.log_retention_days;
    let mut i = Inspection::found(cx, group.is_some());
    if let Some(g) = group {
        i.healthy = g.retention_days == Some(days);
        i = i.detail(Some(match g.retention_days {
            Some(d) => format!("keeps events {d} days"),
            None => "keeps events forever".to_owned(),
        }));
    }
    Ok(i)
}
