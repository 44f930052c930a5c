//! Step `repository`: the ECR repository the build pushes the image to.
//! Records: `arn`, and `id` = the repository URI (the function's image is
//! `<uri>@<digest>`). Reads no other step.

use super::{Cx, Deletion, Inspection, Outcome, StepErr};
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
        None => (
            ecr::create(ecr_client, &name, &cx.stack.name)
                .await
                .on(cx, "creating")?,
            Outcome::Created,
        ),
    };
    if cx.own().and_then(|r| r.arn) != Some(repo.arn.clone()) {
        cx.record(Record {
            arn: Some(repo.arn),
            id: Some(repo.uri),
            applied: None,
            ..Default::default()
        })?;
    }
    Ok(outcome)
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
