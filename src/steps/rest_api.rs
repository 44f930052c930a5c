//! Step `rest-api`: the API Gateway REST API (regional, resources `/` and
//! `/{proxy+}`). It is made without waiting for the function; only its
//! methods (`api_methods.rs`) need that, and its stage (`api_stage.rs`)
//! deploys them.
//!
//! Records: `id` = the API id (recorded the moment CreateRestApi returns:
//! it is the only handle on the API), `applied` = the resources'
//! fingerprint. Reads no other step.

use super::owner::{self, Owner};

use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::error::Result;
use crate::resources::api;
use crate::state::Record;

/// Bumped when the resources `api::create_resources` makes change.
const ROUTES: &str = "resources: / and /{proxy+}";

pub fn name(cx: &Cx<'_>) -> String {
    let api_name = &cx.names().api;
    match cx.own().and_then(|r| r.id) {
        Some(id) => format!("{api_name} ({id})"),
        None => api_name.clone(),
    }
}

/// The recorded API if it still exists, else one of ours
/// found by name (a create whose response came back but was never recorded).
async fn find_api(cx: &Cx<'_>, verb: &str) -> Result<Option<String>> {
    let apigw = &cx.clients().apigateway;
    if let Some(id) = cx.own().and_then(|r| r.id) {
        if api::find(apigw, &id).await.on(cx, verb)? {
            return Ok(Some(id));
        }
    }
    api::find_by_name(apigw, &cx.names().api, &cx.stack.name)
        .await
        .on(cx, verb)
}

/// Never a second API (`owner::create_sent_once`); one found is adopted
/// only if it carries the stack's tag.
async fn create_api(cx: &Cx<'_>) -> Result<String> {
    let apigw = &cx.clients().apigateway;
    owner::create_sent_once(
        cx,
        "CreateRestApi",
        || api::create(apigw, &cx.names().api, &cx.stack.name),
        || async {
            owner::verify(cx, "adopt").await?;
            find_api(cx, "finding").await
        },
    )
    .await
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let apigw = &cx.clients().apigateway;
    let (api_id, mut outcome) = match find_api(cx, "finding").await? {
        Some(id) => (id, Outcome::Exists),
        None => {
            let id = create_api(cx).await?;
            cx.record(Record {
                id: Some(id.clone()),
                ..Default::default()
            })?;
            (id, Outcome::Created)
        }
    };
    let fp = fingerprint(&[ROUTES]);
    let rec = cx.own().unwrap_or_default();
    if rec.id.as_deref() != Some(api_id.as_str()) || rec.applied.as_deref() != Some(fp.as_str()) {
        api::create_resources(apigw, &api_id)
            .await
            .on(cx, "configuring")?;
        outcome = outcome.reapplied(rec.applied.as_deref(), false, "routes");
        cx.record(Record {
            id: Some(api_id),
            arn: None,
            applied: Some(fp),
            ..Default::default()
        })?;
    }
    Ok(outcome)
}

/// The API's tag (its methods and stage are ours if it is).
pub async fn owner(cx: &Cx<'_>) -> Result<Owner> {
    let Some(id) = find_api(cx, "finding").await? else {
        return Ok(Owner::Absent);
    };
    let tag = api::stack_tag(&cx.clients().apigateway, &id)
        .await
        .on(cx, "reading the tags of")?;
    Ok(Owner::from_tag(tag))
}

/// Its methods and stage go with it.
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let apigw = &cx.clients().apigateway;
    let mut gone = match find_api(cx, "deleting").await? {
        Some(id) => api::delete(apigw, &id).await.on(cx, "deleting")?,
        None => false,
    };
    // Strays: an older photosky's retried create made a second API of this
    // name and tag, which no state file knows. Untagged ones are not ours.
    let all = api::find_all_by_name(apigw, &cx.names().api)
        .await
        .on(cx, "listing")?;
    for (id, tag) in all {
        if tag.as_deref() == Some(cx.stack.name.as_str()) {
            cx.note(format!("deleting a second API of this name ({id})"));
            gone |= api::delete(apigw, &id).await.on(cx, "deleting")?;
        }
    }
    cx.gone(gone)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let Some(api_id) = cx.own().and_then(|r| r.id) else {
        return Ok(Inspection::found(cx, false));
    };
    let exists = api::find(&cx.clients().apigateway, &api_id)
        .await
        .on(cx, "inspecting")?;
    Ok(Inspection::found(cx, exists).detail(Some(api::url(&api_id, &cx.stack.scope))))
}
