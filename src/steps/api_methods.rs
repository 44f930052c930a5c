//! Step `api-integration`: the REST API's methods, each a Lambda proxy
//! integration to the function; `ANY` behind a Cognito authorizer on the
//! stack's user pool unless the stack is `--public`, the page `GET /`, CORS
//! preflights and a share link's read `GET /shared` open; API Gateway's own 4xx and 5xx answers carry the
//! allowed origin when there is one.
//! Reads: `rest-api` (id), `user-pool` (ARN) and `function` (ARN).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::function::FUNCTION;
use super::owner::Owner;
use super::rest_api::REST_API;
use super::user_pool::USER_POOL;
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, Recorded, Step, StepErr};
use crate::error::Result;
use crate::plan::StepRef;
use crate::resources::api;

pub struct ApiMethods;
pub const API_METHODS: ApiMethods = ApiMethods;

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    /// The sign-in authorizer (none when the stack is `--public`).
    #[serde(rename = "id", default, skip_serializing_if = "Option::is_none")]
    pub authorizer: Option<String>,
    /// A fingerprint of the methods, the invoke URI and the guard.
    pub applied: String,
}

impl Recorded for ApiMethods {
    type Record = Record;
}

/// Bumped when `api::METHODS` changes.
const METHODS: &str = "methods: GET /, OPTIONS /, ANY /, OPTIONS and ANY /{proxy+}, GET /shared";

fn invoke_uri(cx: &Cx<'_>) -> Result<String> {
    let scope = &cx.stack.scope;
    let function_arn = cx.dep(&FUNCTION)?.arn;
    Ok(api::invoke_uri(
        &scope.partition,
        &scope.region,
        &function_arn,
    ))
}

/// What `api-integration` applies: the methods, guarded by the stack's
/// mode (sign-in, or `--public`), each proxying to the function.
async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let api_id = cx.dep(&REST_API)?.id;
    let uri = invoke_uri(cx)?;
    let public = cx.stack.settings.public;
    let pool = cx.dep(&USER_POOL)?;
    let pool_arn = pool.arn()?.to_owned();
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
    let applied = cx.own::<Record>().map(|r| r.applied);
    if applied.as_deref() == Some(fp.as_str()) {
        return Ok(Outcome::Exists);
    }
    let apigw = &cx.clients().apigateway;
    let name = &cx.names().api;
    let authorizer = match public {
        true => None,
        false => Some(
            api::ensure_authorizer(apigw, &api_id, name, &pool_arn)
                .await
                .on(cx, "setting the sign-in authorizer of")?,
        ),
    };
    let adopted_target = match applied {
        Some(_) => false,
        None => {
            let function_arn = cx.dep(&FUNCTION)?.arn;
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
    api::remove_authorizers_but(apigw, &api_id, name, authorizer.as_deref())
        .await
        .on(cx, "removing an unused authorizer from")?;
    cx.record(&Record {
        authorizer,
        applied: fp,
    })?;
    Ok(match applied {
        _ if made == 0 && adopted_target => Outcome::Exists,
        Some(_) if public => Outcome::Updated("open to anyone".into()),
        Some(_) => Outcome::Updated("sign-in required".into()),
        None => Outcome::Created,
    })
}

async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let apigw = &cx.clients().apigateway;
    let Some(api_id) = cx.maybe_dep(&REST_API)?.map(|r| r.id) else {
        return Ok(Inspection::found(cx, false));
    };
    let target = api::find_integration(apigw, &api_id)
        .await
        .on(cx, "inspecting")?;
    let mut i = Inspection::found(cx, target.is_some());
    let want = cx.maybe_dep(&FUNCTION)?.map(|r| r.arn);
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
    Ok(i)
}

#[async_trait(?Send)]
impl Step for ApiMethods {
    fn key(&self) -> &'static str {
        "api-integration"
    }

    fn title(&self) -> &'static str {
        "API methods"
    }

    fn after(&self) -> &'static [StepRef] {
        &[&REST_API, &USER_POOL, &FUNCTION]
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        format!("{} -> {}", cx.names().api, cx.names().function)
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
