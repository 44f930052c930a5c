//! Steps `build-role` and `function-role`: the IAM roles CodeBuild and the
//! function run as, each with one least-privilege inline policy (the
//! documents are in `resources/policies.rs`). Records: `arn`, and `applied` =
//! a fingerprint of the policy. Reads no other step: the policies name
//! resources by their planned names.

use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::error::Result;
use crate::plan::StepId;
use crate::resources::{policies, role};
use crate::state::Record;

pub fn name(cx: &Cx<'_>) -> String {
    match cx.id {
        StepId::BuildRole => cx.names().build_role.clone(),
        _ => cx.names().function_role.clone(),
    }
}

/// The service that assumes the role, its description, its policy.
fn spec(cx: &Cx<'_>) -> (&'static str, &'static str, String) {
    let (scope, names) = (&cx.stack.scope, cx.names());
    match cx.id {
        StepId::BuildRole => (
            "codebuild.amazonaws.com",
            "CodeBuild builds the PhotoSky image (photosky)",
            policies::build_role(scope, names),
        ),
        _ => (
            "lambda.amazonaws.com",
            "The PhotoSky function (photosky)",
            policies::function_role(scope, names, &cx.stack.settings.upload_prefix),
        ),
    }
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let (iam, name) = (&cx.clients().iam, name(cx));
    let (service, description, document) = spec(cx);
    let (arn, mut outcome) = match role::find(iam, &name).await.on(cx, "finding")? {
        Some(arn) => (arn, Outcome::Exists),
        None => {
            let trust = policies::trust(service);
            let arn = role::create(iam, &name, &trust, &cx.stack.name, description)
                .await
                .on(cx, "creating")?;
            role::wait_exists(iam, &name).await.on(cx, "waiting for")?;
            (arn, Outcome::Created)
        }
    };
    let fp = fingerprint(&[&document]);
    let applied = cx.applied();
    if applied.as_deref() != Some(fp.as_str()) || outcome == Outcome::Created {
        role::put_policy(iam, &name, &document)
            .await
            .on(cx, "putting the inline policy of")?;
        if outcome == Outcome::Exists && applied.is_some() {
            outcome = Outcome::Updated("policy".into());
        }
        cx.record(Record {
            arn: Some(arn),
            id: None,
            applied: Some(fp),
            ..Default::default()
        })?;
    }
    Ok(outcome)
}

/// Its policies go first (IAM refuses a role that has any).
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let gone = role::delete(&cx.clients().iam, &name(cx))
        .await
        .on(cx, "deleting")?;
    cx.gone(gone)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let arn = role::find(&cx.clients().iam, &name(cx))
        .await
        .on(cx, "inspecting")?;
    let mut i = Inspection::found(cx, arn.is_some());
    if let Some(arn) = arn {
        i.name = arn;
    }
    Ok(i)
}
