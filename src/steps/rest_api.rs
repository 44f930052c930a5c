//! Steps `rest-api`, `api-integration` and `api-stage`: the API Gateway REST
//! API (regional, `/` and `/{proxy+}` with method ANY), its Lambda proxy
//! integration to the function, and the `prod` stage that serves a
//! deployment of both. The API is made without waiting for the function;
//! only the integration needs it.
//!
//! Records: `rest-api`: `id` = the API id (recorded the moment CreateRestApi
//! returns: it is the only handle on the API), `applied` = the routes'
//! fingerprint. `api-integration`: `applied` = a fingerprint of the invoke
//! URI. `api-stage`: `id` = the deployment, `applied` = what it deployed.
//! Reads: `api-integration` reads `rest-api` and `function` (ARN);
//! `api-stage` reads `rest-api` and `api-integration`.

use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::error::Result;
use crate::plan::{self, StepId};
use crate::resources::api;
use crate::state::Record;

/// Bumped when the routes `api::create_routes` makes change.
const ROUTES: &str = "routes: / and /{proxy+}, ANY, no authorizer";

pub fn name(cx: &Cx<'_>) -> String {
    let api_name = &cx.names().api;
    match cx.id {
        StepId::RestApi => match cx.own().and_then(|r| r.id) {
            Some(id) => format!("{api_name} ({id})"),
            None => api_name.clone(),
        },
        StepId::ApiIntegration => format!("{api_name} -> {}", cx.names().function),
        _ => format!("{api_name} stage {}", api::STAGE),
    }
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    match cx.id {
        StepId::RestApi => ensure_api(cx).await,
        StepId::ApiIntegration => ensure_integration(cx).await,
        _ => ensure_stage(cx).await,
    }
}

/// For `rest-api`: the recorded API if it still exists, else one of ours
/// found by name (a create whose response came back but was never recorded).
async fn find_api(cx: &Cx<'_>, verb: &str) -> Result<Option<String>> {
    let apigw = &cx.clients().apigateway;
    if let Some(id) = cx.own().and_then(|r| r.id) {
        if api::find(apigw, &id).await.on(cx, verb)? {
            return Ok(Some(id));
        }
    }
    api::find_by_name(apigw, &cx.names().api).await.on(cx, verb)
}

async fn ensure_api(cx: &Cx<'_>) -> Result<Outcome> {
    let apigw = &cx.clients().apigateway;
    let (api_id, mut outcome) = match find_api(cx, "finding").await? {
        Some(id) => (id, Outcome::Exists),
        None => {
            let id = api::create(apigw, &cx.names().api, &cx.stack.name)
                .await
                .on(cx, "creating")?;
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
        api::create_routes(apigw, &api_id)
            .await
            .on(cx, "configuring")?;
        if outcome == Outcome::Exists && rec.applied.is_some() {
            outcome = Outcome::Updated("routes".into());
        }
        cx.record(Record {
            id: Some(api_id),
            arn: None,
            applied: Some(fp),
            ..Default::default()
        })?;
    }
    Ok(outcome)
}

fn invoke_uri(cx: &Cx<'_>) -> Result<String> {
    let scope = &cx.stack.scope;
    let function_arn = cx.dep_arn(StepId::Function)?;
    Ok(api::invoke_uri(
        &scope.partition,
        &scope.region,
        &function_arn,
    ))
}

async fn ensure_integration(cx: &Cx<'_>) -> Result<Outcome> {
    let api_id = cx.dep_id(StepId::RestApi)?;
    let uri = invoke_uri(cx)?;
    // Per API: a new API (drift repaired) needs its integration again.
    let fp = fingerprint(&[&api_id, &uri]);
    let applied = cx.applied();
    if applied.as_deref() == Some(fp.as_str()) {
        return Ok(Outcome::Exists);
    }
    api::create_integrations(&cx.clients().apigateway, &api_id, &uri)
        .await
        .on(cx, "configuring")?;
    cx.record(Record {
        applied: Some(fp),
        ..Default::default()
    })?;
    Ok(match applied {
        Some(_) => Outcome::Updated("target".into()),
        None => Outcome::Created,
    })
}

/// A deployment snapshots the routes and integrations into the stage: made
/// again whenever either changed.
async fn ensure_stage(cx: &Cx<'_>) -> Result<Outcome> {
    let api_id = cx.dep_id(StepId::RestApi)?;
    let routes = cx.dep(StepId::RestApi)?.applied.unwrap_or_default();
    let integration = cx.dep(StepId::ApiIntegration)?.applied.unwrap_or_default();
    let want = fingerprint(&[&routes, &integration]);
    let apigw = &cx.clients().apigateway;
    let deployed = api::find_stage(apigw, &api_id).await.on(cx, "finding")?;
    if deployed.is_some() && cx.applied().as_deref() == Some(want.as_str()) {
        return Ok(Outcome::Exists);
    }
    let deployment = api::create_deployment(apigw, &api_id)
        .await
        .on(cx, "deploying")?;
    cx.record(Record {
        id: Some(deployment),
        arn: None,
        applied: Some(want),
        ..Default::default()
    })?;
    Ok(if deployed.is_some() {
        Outcome::Updated("redeployed".into())
    } else {
        Outcome::Created
    })
}

/// The integration and the stage go with the API.
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    if cx.id != StepId::RestApi {
        cx.forget()?;
        return Ok(Deletion::WithParent(plan::get(StepId::RestApi).title));
    }
    let gone = match find_api(cx, "deleting").await? {
        Some(id) => api::delete(&cx.clients().apigateway, &id)
            .await
            .on(cx, "deleting")?,
        None => false,
    };
    cx.gone(gone)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let apigw = &cx.clients().apigateway;
    let api = match cx.id {
        StepId::RestApi => cx.own(),
        _ => cx.maybe_dep(StepId::RestApi)?,
    };
    let Some(api_id) = api.and_then(|r| r.id) else {
        return Ok(Inspection::found(cx, false));
    };
    Ok(match cx.id {
        StepId::RestApi => {
            let exists = api::find(apigw, &api_id).await.on(cx, "inspecting")?;
            Inspection::found(cx, exists).detail(Some(api::url(&api_id, &cx.stack.scope)))
        }
        StepId::ApiIntegration => {
            let target = api::find_integration(apigw, &api_id)
                .await
                .on(cx, "inspecting")?;
            let mut i = Inspection::found(cx, target.is_some());
            let want = cx.maybe_dep(StepId::Function)?.and_then(|r| r.arn);
            if let (Some(target), Some(want)) = (&target, want) {
                i.healthy = target.contains(&format!("/functions/{want}/"));
            }
            i
        }
        _ => {
            let d = api::find_stage(apigw, &api_id).await.on(cx, "inspecting")?;
            Inspection::found(cx, d.is_some()).detail(d.map(|d| format!("deployment {d}")))
        }
    })
}
