//! Step `api-stage`: the `prod` stage that serves a deployment of the REST
//! API's routes and methods, throttled (`--rate-limit`, `--burst-limit`).
//! Records: `id` = the deployment, `applied` = what it deployed and its
//! throttling. Reads: `rest-api` and `api-integration`.

use super::owner::Owner;
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::error::Result;
use crate::plan::StepId;
use crate::resources::api;
use crate::state::Record;

pub fn name(cx: &Cx<'_>) -> String {
    format!("{} stage {}", cx.names().api, api::STAGE)
}

/// A deployment snapshots the routes and integrations into the stage: made
/// again whenever either changed.
pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
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

/// Ours if the API is.
pub async fn owner(_cx: &Cx<'_>) -> Result<Owner> {
    Ok(Owner::Parent(StepId::RestApi))
}

/// Goes with the API.
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    cx.deleted_with(StepId::RestApi)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let apigw = &cx.clients().apigateway;
    let Some(api_id) = cx.maybe_dep(StepId::RestApi)?.and_then(|r| r.id) else {
        return Ok(Inspection::found(cx, false));
    };
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
    Ok(Inspection::found(cx, detail.is_some()).detail(detail))
}
