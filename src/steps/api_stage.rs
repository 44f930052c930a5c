//! Step `api-stage`: the `prod` stage that serves a deployment of the REST
//! API's routes and methods, throttled (`--rate-limit`, `--burst-limit`).
//! Reads: `rest-api` and `api-integration`.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api_methods::API_METHODS;
use super::owner::Owner;
use super::rest_api::REST_API;
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, Recorded, Step, StepErr};
use crate::error::Result;
use crate::plan::StepRef;
use crate::resources::api;

pub struct ApiStage;
pub const API_STAGE: ApiStage = ApiStage;

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    #[serde(rename = "id")]
    pub deployment: String,
    /// A fingerprint of what it deployed and its throttling.
    pub applied: String,
}

impl Recorded for ApiStage {
    type Record = Record;
}

/// A deployment snapshots the routes and integrations into the stage: made
/// again whenever either changed.
async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let api = cx.dep(&REST_API)?;
    let (api_id, routes) = (api.id, api.applied.unwrap_or_default());
    let integration = cx.dep(&API_METHODS)?.applied;
    let s = &cx.stack.settings;
    let (shared_rate, shared_burst) = api::SHARED_THROTTLE;
    let throttle = format!(
        "throttle {} {}, shared {shared_rate} {shared_burst}",
        s.rate_limit, s.burst_limit
    );
    let want = fingerprint(&[&routes, &integration, &throttle]);
    let apigw = &cx.clients().apigateway;
    let deployed = api::find_stage(apigw, &api_id).await.on(cx, "finding")?;
    let applied = cx.own::<Record>().map(|r| r.applied);
    if deployed.is_some() && applied.as_deref() == Some(want.as_str()) {
        return Ok(Outcome::Exists);
    }
    let deployment = api::create_deployment(apigw, &api_id)
        .await
        .on(cx, "deploying")?;
    api::put_throttling(apigw, &api_id, s.rate_limit, s.burst_limit)
        .await
        .on(cx, "setting the throttling of")?;
    cx.record(&Record {
        deployment,
        applied: want,
    })?;
    Ok(if deployed.is_some() {
        Outcome::Updated("redeployed".into())
    } else {
        Outcome::Created
    })
}

async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let apigw = &cx.clients().apigateway;
    let Some(api_id) = cx.maybe_dep(&REST_API)?.map(|r| r.id) else {
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

#[async_trait(?Send)]
impl Step for ApiStage {
    fn key(&self) -> &'static str {
        "api-stage"
    }

    fn title(&self) -> &'static str {
        "API deployment"
    }

    fn after(&self) -> &'static [StepRef] {
        &[&REST_API, &API_METHODS]
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        format!("{} stage {}", cx.names().api, api::STAGE)
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        ensure(cx).await
    }

    /// Ours if the API is.
    async fn owner(&self, _cx: &Cx<'_>) -> Result<Owner> {
        Ok(Owner::Parent(&REST_API))
    }

    /// Goes with the API.
    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        cx.deleted_with(&REST_API)
    }

    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        inspect(cx).await
    }
}
