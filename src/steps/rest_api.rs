//! Steps `rest-api`, `api-integration` and `api-stage`: the API Gateway REST
//! API (regional, resources `/` and `/{proxy+}`), its methods (each a
//! Lambda proxy integration to the function; `ANY` behind a Cognito
//! authorizer on the stack's user pool unless the stack is `--public`, the
//! page `GET /` and CORS preflights open; API Gateway's own 4xx and 5xx
//! answers carry the allowed origin when there is one), and the `prod` stage that
//! serves a deployment of them, throttled (`--rate-limit`,
//! `--burst-limit`). The API is made without waiting for the function;
//! only the methods need it.
//!
//! Records: `rest-api`: `id` = the API id (recorded the moment CreateRestApi
//! returns: it is the only handle on the API), `applied` = the resources'
//! fingerprint. `api-integration`: `id` = the authorizer (none when
//! public), `applied` = a fingerprint of the methods, the invoke URI and
//! the guard. `api-stage`: `id` = the deployment, `applied` = what it
//! deployed and its throttling.
//! Reads: `api-integration` reads `rest-api`, `user-pool` (ARN) and
//! `function` (ARN); `api-stage` reads `rest-api` and `api-integration`.

use super::owner::{self, Owner};

use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::error::Result;
use crate::plan::{self, StepId};
use crate::resources::api;
use crate::state::Record;

/// Bumped when the resources `api::create_resources` makes change.
const ROUTES: &str = "resources: / and /{proxy+}";

/// Bumped when `api::METHODS` changes.
const METHODS: &str = "methods: GET /, OPTIONS /, ANY /, OPTIONS and ANY /{proxy+}";

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

async fn ensure_api(cx: &Cx<'_>) -> Result<Outcome> {
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

fn invoke_uri(cx: &Cx<'_>) -> Result<String> {
    let scope = &cx.stack.scope;
    let function_arn = cx.dep_arn(StepId::Function)?;
    Ok(api::invoke_uri(
        &scope.partition,
        &scope.region,
        &function_arn,
    ))
}

/// What `api-integration` applies: the methods, guarded by the stack's
/// mode (sign-in, or `--public`), each proxying to the function.
async fn ensure_integration(cx: &Cx<'_>) -> Result<Outcome> {
    let api_id = cx.dep_id(StepId::RestApi)?;
    let uri = invoke_uri(cx)?;
    let public = cx.stack.settings.public;
    let pool_arn = cx.dep_arn(StepId::UserPool)?;
    // Per API: a new API (drift repaired) needs its methods again; per
    // pool: a new pool needs a new authorizer.
    let guard = if public {
        "open to anyone"
    } else {
        pool_arn.as_str()
    };
    // One allowed origin (or `*`): API Gateway's own errors name it too.
    let origins = &cx.stack.settings.cors_origins;
    let cors = match origins.as_slice() {
        [one] => Some(one.as_str()),
        _ => None,
    };
    let fp = fingerprint(&[&api_id, &uri, METHODS, guard, cors.unwrap_or("")]);
    let applied = cx.applied();
    if applied.as_deref() == Some(fp.as_str()) {
        return Ok(Outcome::Exists);
    }
    let apigw = &cx.clients().apigateway;
    let name = &cx.names().api;
    let ours = api::authorizers(apigw, &api_id, name)
        .await
        .on(cx, "listing the authorizers of")?;
    let authorizer = if public {
        None
    } else {
        match ours.iter().find(|(_, pools)| pools == &[pool_arn.clone()]) {
            Some((id, _)) => Some(id.clone()),
            None => Some(
                api::create_authorizer(apigw, &api_id, name, &pool_arn)
                    .await
                    .on(cx, "adding the sign-in authorizer to")?,
            ),
        }
    };
    let adopted_target = match applied {
        Some(_) => false,
        None => {
            let function_arn = cx.dep_arn(StepId::Function)?;
            let target = api::find_integration(apigw, &api_id)
                .await
                .on(cx, "finding")?;
            target.is_some_and(|t| t.contains(&format!("/functions/{function_arn}/")))
        }
    };
    // One write after another: API Gateway refuses overlapping writes to
    // one API (`api::write`).
    let made = api::put_methods(apigw, &api_id, authorizer.as_deref(), &uri)
        .await
        .on(cx, "configuring")?;
    api::put_cors_answers(apigw, &api_id, cors)
        .await
        .on(cx, "setting the CORS headers of the errors of")?;
    // An authorizer no method uses any more (the pool was replaced, the
    // stack went --public, or a retried create made two): removed once the
    // methods let go of it.
    let now = api::authorizers(apigw, &api_id, name)
        .await
        .on(cx, "listing the authorizers of")?;
    for (id, _) in now.iter().filter(|(id, _)| Some(id) != authorizer.as_ref()) {
        api::delete_authorizer(apigw, &api_id, id)
            .await
            .on(cx, "removing an unused authorizer from")?;
    }
    cx.record(Record {
        id: authorizer,
        applied: Some(fp),
        ..Default::default()
    })?;
    Ok(match applied {
        _ if made == 0 && adopted_target => Outcome::Exists,
        Some(_) if public => Outcome::Updated("open to anyone".into()),
        Some(_) => Outcome::Updated("sign-in required".into()),
        None => Outcome::Created,
    })
}

/// A deployment snapshots the routes and integrations into the stage: made
/// again whenever either changed.
async fn ensure_stage(cx: &Cx<'_>) -> Result<Outcome> {
    let api_id = cx.dep_id(StepId::RestApi)?;
    let routes = cx.dep(StepId::RestApi)?.applied.unwrap_or_default();
    let integration = cx.dep(StepId::ApiIntegration)?.applied.unwrap_or_default();
    let s = &cx.stack.settings;
    let throttle = format!("throttle {} {}", s.rate_limit, s.burst_limit);
    let want = fingerprint(&[&routes, &integration, &throttle]);
    let apigw = &cx.clients().apigateway;
    let deployed = api::find_stage(apigw, &api_id).await.on(cx, "finding")?;
    if deployed.is_some() && cx.applied().as_deref() == Some(want.as_str()) {
        return Ok(Outcome::Exists);
    }
    let deployment = api::create_deployment(apigw, &api_id)
        .await
        .on(cx, "deploying")?;
    api::put_throttling(apigw, &api_id, s.rate_limit, s.burst_limit)
        .await
        .on(cx, "setting the throttling of")?;
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

/// The API's tag; the integration and the stage are ours if the API is.
pub async fn owner(cx: &Cx<'_>) -> Result<Owner> {
    if cx.id != StepId::RestApi {
        return Ok(Owner::Parent(StepId::RestApi));
    }
    let Some(id) = find_api(cx, "finding").await? else {
        return Ok(Owner::Absent);
    };
    let tag = api::stack_tag(&cx.clients().apigateway, &id)
        .await
        .on(cx, "reading the tags of")?;
    Ok(Owner::from_tag(tag))
}

/// The integration and the stage go with the API.
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    if cx.id != StepId::RestApi {
        cx.forget()?;
        return Ok(Deletion::WithParent(plan::get(StepId::RestApi).title));
    }
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
            let guard = api::api_guard(apigw, &api_id).await.on(cx, "inspecting")?;
            if let Some(guard) = guard {
                let signed_in = guard.authorization == "COGNITO_USER_POOLS";
                // Healthy only when guarded as the stack says.
                i.healthy &= signed_in != cx.stack.settings.public;
                i = i.detail(Some(
                    if signed_in {
                        "sign-in required (Cognito user pool)"
                    } else {
                        "open to anyone with the URL (--public)"
                    }
                    .to_owned(),
                ));
            }
            i
        }
        _ => {
            let stage = api::stage(apigw, &api_id).await.on(cx, "inspecting")?;
            let detail = stage.map(|s| match s.throttling {
                Some((rate, burst)) => {
                    format!(
                        "deployment {}, {rate} requests/s (burst {burst})",
                        s.deployment
                    )
                }
                None => format!("deployment {}, not throttled", s.deployment),
            });
            Inspection::found(cx, detail.is_some()).detail(detail)
        }
    })
}
