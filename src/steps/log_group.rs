//! Steps `build-logs` and `function-logs`: the CloudWatch Logs groups that
//! CodeBuild and Lambda write to. `up` makes them before their writers, with
//! the stack tag and the stack's retention (`--log-retention-days`, 30 by
//! default); left to AWS, they are made on first write, untagged, and kept
//! forever. `down` deletes them after their writers (which list them in
//! `after`). A group AWS made for an older photosky's stack is tagged and
//! given the retention. Reads no other step.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::owner::{self, Owner};
use super::{fingerprint, Cx, Deletion, Inspection, ListedAs, Outcome, Recorded, Step, StepErr};
use crate::aws::{AwsError, Clients};
use crate::error::Result;
use crate::plan::StepRef;
use crate::resources::log_group;
use crate::state::Names;

pub struct LogGroup {
    key: &'static str,
    title: &'static str,
    /// Where its writer's service puts it: its name is this and the writer's.
    prefix: &'static str,
    writer_name: fn(&Names) -> &str,
    listed_as: ListedAs,
    /// What writes to it: an untagged group of this name is the one AWS
    /// made on the writer's first write, ours if the writer is.
    writer: StepRef,
}

pub const BUILD_LOGS: LogGroup = LogGroup {
    key: "build-logs",
    title: "CodeBuild log group",
    prefix: "/aws/codebuild/",
    writer_name: |n| &n.project,
    listed_as: ListedAs::regional("log group", "CodeBuild log groups"),
    writer: &super::project::PROJECT,
};

pub const FUNCTION_LOGS: LogGroup = LogGroup {
    key: "function-logs",
    title: "function log group",
    prefix: "/aws/lambda/",
    writer_name: |n| &n.function,
    listed_as: ListedAs::regional("log group", "Lambda log groups"),
    writer: &super::function::FUNCTION,
};

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub arn: String,
    /// A fingerprint of tag and retention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<String>,
}

impl Recorded for LogGroup {
    type Record = Record;
}

#[async_trait(?Send)]
impl Step for LogGroup {
    fn key(&self) -> &'static str {
        self.key
    }

    fn title(&self) -> &'static str {
        self.title
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        format!("{}{}", self.prefix, (self.writer_name)(cx.names()))
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        let (logs, name, stack) = (&cx.clients().logs, self.name(cx), &cx.stack.name);
        let days = cx.stack.settings.log_retention_days;
        let fp = fingerprint(&[stack, &days.to_string()]);
        let (group, outcome) = match log_group::find(logs, &name).await.on(cx, "finding")? {
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
        let applied = cx.own::<Record>().and_then(|r| r.applied);
        if outcome == Outcome::Exists && applied.as_deref() == Some(fp.as_str()) {
            return Ok(outcome);
        }
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
        cx.record(&Record {
            arn: group.arn,
            applied: Some(fp),
        })?;
        // Adopted as it should be (no record yet, the retention right): as is.
        Ok(outcome.reapplied(
            applied.as_deref(),
            retention_changes,
            format!("tag, {days}-day retention"),
        ))
    }

    /// Tagged: ours if the tag says so. Untagged: AWS made it on its
    /// writer's first write (an older photosky left that to AWS), so it is
    /// ours if the writer is.
    async fn owner(&self, cx: &Cx<'_>) -> Result<Owner> {
        let tag = log_group::stack_tag(&cx.clients().logs, &self.name(cx))
            .await
            .on(cx, "reading the tags of")?;
        Ok(match Owner::from_tag(tag) {
            Owner::Tagged(None) => Owner::Parent(self.writer),
            other => other,
        })
    }

    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        cx.deleted(log_group::delete(&cx.clients().logs, &self.name(cx)))
            .await
    }

    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let group = log_group::find(&cx.clients().logs, &self.name(cx))
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

    fn listed_as(&self) -> Option<ListedAs> {
        Some(self.listed_as)
    }

    /// Named without the prefix, as the writer is (only the stack's, when
    /// it is given: there are many log groups).
    async fn list_names(
        &self,
        clients: &Clients,
        stack: Option<&str>,
    ) -> std::result::Result<Vec<String>, AwsError> {
        let starting = stack.map(|s| format!("{s}-")).unwrap_or_default();
        log_group::list_names(&clients.logs, self.prefix, &starting).await
    }
}
