//! Step `repository`: the ECR repository the build pushes the image to,
//! with a lifecycle policy that keeps the newest images (`ecr::KEEP_IMAGES`).
//! Records: `arn`, `id` = the repository URI (the function's image is
//! `<uri>@<digest>`), and `applied` = the lifecycle policy's fingerprint.
//! Reads no other step.

use super::owner::{self, Owner};
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::error::Result;
use crate::resources::ecr;
use crate::state::Record;

pub fn name(cx: &Cx<'_>) -> String {
    cx.names().repository.clone()
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let (ecr_client, name) = (&cx.clients().ecr, name(cx));
    let (repo, outcome) = match ecr::find(ecr_client, &name).await.on(cx, "finding")? {
        Some(r) => (r, Outcome::Exists),
        None => {
            let made = ecr::create(ecr_client, &name, &cx.stack.name).await;
            let repo = owner::created_or_found(cx, made, || ecr::find(ecr_client, &name)).await?;
            (repo, Outcome::Created)
        }
    };
    let policy = ecr::lifecycle_policy();
    let fp = fingerprint(&[&policy]);
    let own = cx.own().unwrap_or_default();
    if own.arn.as_deref() != Some(repo.arn.as_str()) || own.applied.as_deref() != Some(fp.as_str())
    {
        ecr::put_lifecycle_policy(ecr_client, &name, &policy)
            .await
            .on(cx, "setting the lifecycle policy of")?;
        cx.record(Record {
            arn: Some(repo.arn),
            id: Some(repo.uri),
            applied: Some(fp),
            ..Default::default()
        })?;
        // A record of the repository without one of its policy is an
        // older photosky's: its policy was put too.
        return Ok(outcome.reapplied(
            own.applied.as_deref(),
            own.arn.is_some(),
            "lifecycle policy",
        ));
    }
    Ok(outcome)
}

/// Ours if it carries the stack's tag.
pub async fn owner(cx: &Cx<'_>) -> Result<Owner> {
    let tag = ecr::stack_tag(&cx.clients().ecr, &name(cx))
        .await
        .on(cx, "reading the tags of")?;
    Ok(Owner::from_tag(tag))
}

/// Its images go with it (force).
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let gone = ecr::delete(&cx.clients().ecr, &name(cx))
        .await
        .on(cx, "deleting")?;
    cx.gone(gone)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let r = ecr::find(&cx.clients().ecr, &name(cx))
        .await
        .on(cx, "inspecting")?;
    Ok(Inspection::found(cx, r.is_some()).detail(r.map(|r| r.uri)))
}
