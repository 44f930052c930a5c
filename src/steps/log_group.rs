//! Steps `build-logs` and `function-logs`: the CloudWatch Logs groups that
//! CodeBuild and Lambda create on their first write. `up` makes neither;
//! `down` deletes both, after the project and the function that write to
//! them (which is why `plan.rs` lists them in those steps' `after`).
//! Records nothing; reads no other step.

use super::{Cx, Deletion, Inspection, Outcome, StepErr};
use crate::error::Result;
use crate::plan::StepId;
use crate::resources::log_group;

pub fn name(cx: &Cx<'_>) -> String {
    match cx.id {
        StepId::BuildLogs => format!("/aws/codebuild/{}", cx.names().project),
        _ => format!("/aws/lambda/{}", cx.names().function),
    }
}

pub async fn ensure(_cx: &Cx<'_>) -> Result<Outcome> {
    Ok(Outcome::ByAws)
}

pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let gone = log_group::delete(&cx.clients().logs, &name(cx))
        .await
        .on(cx, "deleting")?;
    cx.gone(gone)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let exists = log_group::find(&cx.clients().logs, &name(cx))
        .await
        .on(cx, "inspecting")?;
    Ok(Inspection::found(cx, exists).detail((!exists).then(|| "not yet written".to_owned())))
}
