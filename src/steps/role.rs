//! Steps `build-role` and `function-role`: the IAM roles CodeBuild and the
//! function run as, each with one least-privilege inline policy (the
//! documents are in `resources/policies.rs`). Records: `arn`, and `applied` =
//! a fingerprint of the policy and the trust policy. Reads no other step: the policies name
//! resources by their planned names.

use super::owner::{self, Owner};
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

/// The role's trust policy, its description, its inline policy.
fn spec(cx: &Cx<'_>) -> (String, &'static str, String) {
    let (scope, names) = (&cx.stack.scope, cx.names());
    match cx.id {
        StepId::BuildRole => (
            policies::trust("codebuild.amazonaws.com", Some((scope, &names.project))),
            "CodeBuild builds the PhotoSky image (photosky)",
            policies::build_role(scope, names),
        ),
        _ => (
            policies::trust("lambda.amazonaws.com", None),
            "The PhotoSky function (photosky)",
            policies::function_role(scope, names, &cx.stack.settings.upload_prefix),
        ),
    }
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let (iam, name) = (&cx.clients().iam, name(cx));
    let (trust, description, document) = spec(cx);
    let (arn, mut outcome) = match role::find(iam, &name).await.on(cx, "finding")? {
        Some(arn) => (arn, Outcome::Exists),
        None => {
            let made = role::create(iam, &name, &trust, &cx.stack.name, description).await;
            let arn = owner::created_or_found(cx, made, || role::find(iam, &name)).await?;
            role::wait_exists(iam, &name).await.on(cx, "waiting for")?;
            (arn, Outcome::Created)
        }
    };
    // The trust policy too: a role made before it changed is brought up to it.
    let fp = fingerprint(&[&document, &trust]);
    let applied = cx.applied();
    if applied.as_deref() != Some(fp.as_str()) || outcome == Outcome::Created {
        if outcome == Outcome::Exists {
            role::update_trust(iam, &name, &trust)
                .await
                .on(cx, "updating the trust policy of")?;
        }
        role::put_policy(iam, &name, &document)
            .await
            .on(cx, "putting the inline policy of")?;
        outcome = outcome.reapplied(applied.as_deref(), false, "policy");
        cx.record(Record {
            arn: Some(arn),
            id: None,
            applied: Some(fp),
            ..Default::default()
        })?;
    }
    Ok(outcome)
}

/// Ours if it carries the stack's tag.
pub async fn owner(cx: &Cx<'_>) -> Result<Owner> {
    let tag = role::stack_tag(&cx.clients().iam, &name(cx))
        .await
        .on(cx, "reading the tags of")?;
    Ok(Owner::from_tag(tag))
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
