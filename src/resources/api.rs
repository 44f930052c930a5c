//! The API Gateway REST API that proxies every request to the function:
//! `/`, `/{proxy+}` and `/shared` (`METHODS`: ANY behind the stack's Cognito
//! authorizer; the page, CORS preflights and a share link's read open, the
//! last throttled harder), Lambda proxy
//! integration, deployed to one stage. Calls: CreateRestApi, GetRestApi,
//! GetRestApis, GetResources, CreateResource, GetMethod, PutMethod,
//! DeleteMethod, PutIntegration, GetIntegration, GetAuthorizers,
//! CreateAuthorizer, DeleteAuthorizer, PutGatewayResponse,
//! DeleteGatewayResponse, CreateDeployment, GetStage,
//! UpdateStage, DeleteRestApi.
//!
//! API Gateway refuses a write to a REST API while another write to it is
//! under way (409 `ConflictException`: "Unable to complete operation due to
//! concurrent modification"), and the SDK does not retry a 409. photosky
//! writes to one API one call at a time, and every write goes through
//! `write`, which retries that conflict with backoff, as the Terraform AWS
//! provider retries every API Gateway v1 call (terraform-provider-aws
//! #16439, #776, #27027): someone else (the console, another tool) may be
//! writing to the same API.

use aws_sdk_apigateway::config::retry::RetryConfig;
use aws_sdk_apigateway::types::{
    AuthorizerType, EndpointConfiguration, EndpointType, GatewayResponseType, IntegrationType, Op,
    PatchOperation,
};
use aws_sdk_apigateway::Client;

use super::policies::Scope;

use crate::aws::{
    not_found_is_none, not_found_is_ok, retry_propagation, AwsError, AwsResultExt, Backoff,
    Propagation,
};

pub const STAGE: &str = "prod";

/// Another write to the same REST API was under way.
pub const CONCURRENT_MODIFICATION: &[Propagation] = &[Propagation {
    code: "ConflictException",
    message_contains: "concurrent modification",
}];

/// Writes are short (0.2-0.5 s each): a conflict clears in a moment, unless
/// another tool is making many.
const CONFLICT_BACKOFF: Backoff = Backoff {
    first: std::time::Duration::from_millis(250),
    cap: std::time::Duration::from_secs(5),
    max_wait: std::time::Duration::from_secs(120),
};

/// One write to a REST API, retried while another write to it is under way.
async fn write<T, F, Fut>(op: F) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, AwsError>>,
{
    retry_propagation(CONCURRENT_MODIFICATION, CONFLICT_BACKOFF, |_, _| {}, op).await
}

pub async fn find(apigw: &Client, id: &str) -> Result<bool, AwsError> {
    Ok(not_found_is_none(apigw.get_rest_api().rest_api_id(id).send().await.aws())?.is_some())
}

/// The API's stack tag (GetRestApi returns its tags).
pub async fn stack_tag(apigw: &Client, id: &str) -> Result<super::StackTag, AwsError> {
    let out = not_found_is_none(apigw.get_rest_api().rest_api_id(id).send().await.aws())?;
    Ok(out.map(|o| super::stack_tag_in(o.tags())))
}

/// REST API names are not unique, but ours carry the stack's random suffix:
/// this finds an API whose create returned before its id was recorded: the
/// oldest of that name tagged for `stack`, else the oldest of that name.
pub async fn find_by_name(
    apigw: &Client,
    name: &str,
    stack: &str,
) -> Result<Option<String>, AwsError> {
    let all = find_all_by_name(apigw, name).await?;
    let ours = all.iter().find(|(_, tag)| tag.as_deref() == Some(stack));
    Ok(ours.or(all.first()).map(|(id, _)| id.clone()))
}

/// Every API of that name, oldest first, with its stack tag: more than one
/// only if an older photosky's retried create made a second.
pub async fn find_all_by_name(
    apigw: &Client,
    name: &str,
) -> Result<Vec<(String, Option<String>)>, AwsError> {
    let mut position: Option<String> = None;
    let mut found = Vec::new();
    loop {
        let page = apigw
            .get_rest_apis()
            .set_position(position.clone())
            .limit(500)
            .send()
            .await
            .aws()?;
        for api in page.items().iter().filter(|a| a.name() == Some(name)) {
            let tag = super::stack_tag_in(api.tags());
            let id = api.id().unwrap_or_default().to_owned();
            found.push((api.created_date().map(|d| d.secs()), id, tag));
        }
        match page.position() {
            Some(p) if Some(p) != position.as_deref() => position = Some(p.to_owned()),
            _ => break,
        }
    }
    found.sort_by_key(|(created, ..)| *created);
    Ok(found.into_iter().map(|(_, id, tag)| (id, tag)).collect())
}

/// Sent once, without the SDK's retries: REST API names are not unique, so a
/// retry after a lost response would make a second API. The caller looks
/// for the first before it tries again.
pub async fn create(apigw: &Client, name: &str, stack: &str) -> Result<String, AwsError> {
    let out = apigw
        .create_rest_api()
        .name(name)
        .description("PhotoSky photo API (photosky)")
        .endpoint_configuration(
            EndpointConfiguration::builder()
                .types(EndpointType::Regional)
                .build(),
        )
        // Photos are uploaded straight to S3; API payloads are small, but
        // binary responses (images) must pass through.
        .binary_media_types("image/*")
        .tags(super::STACK_TAG, stack)
        .customize()
        .config_override(
            aws_sdk_apigateway::config::Builder::default().retry_config(RetryConfig::disabled()),
        )
        .send()
        .await
        .aws()?;
    Ok(out.id().unwrap_or_default().to_owned())
}

/// The resources below `/` that photosky makes (path parts).
pub const RESOURCES: &[&str] = &["{proxy+}", "shared"];

/// The ids of `/` and, once made, of each of `RESOURCES` (in that order).
async fn routes(apigw: &Client, id: &str) -> Result<(String, Vec<Option<String>>), AwsError> {
    let resources = apigw
        .get_resources()
        .rest_api_id(id)
        .limit(500)
        .send()
        .await
        .aws()?;
    let root = resources
        .items()
        .iter()
        .find(|r| r.path() == Some("/"))
        .and_then(|r| r.id())
        .ok_or_else(|| {
            AwsError::from_parts("NotFoundException", "the REST API has no root resource")
        })?
        .to_owned();
    let below = RESOURCES
        .iter()
        .map(|part| {
            resources
                .items()
                .iter()
                .find(|r| r.path() == Some(&format!("/{part}")))
                .and_then(|r| r.id())
                .map(str::to_owned)
        })
        .collect();
    Ok((root, below))
}

/// The id of `/`, if the API exists.
async fn root(apigw: &Client, id: &str) -> Result<Option<String>, AwsError> {
    Ok(not_found_is_none(routes(apigw, id).await)?.map(|(root, _)| root))
}

/// `RESOURCES` below `/`, those not made yet. Safe to repeat: a resumed run
/// re-applies what a crash cut short.
pub async fn create_resources(apigw: &Client, id: &str) -> Result<(), AwsError> {
    let (root, below) = routes(apigw, id).await?;
    for (part, _) in RESOURCES.iter().zip(below).filter(|(_, id)| id.is_none()) {
        write(|| async {
            apigw
                .create_resource()
                .rest_api_id(id)
                .parent_id(&root)
                .path_part(*part)
                .send()
                .await
                .aws()
        })
        .await?;
    }
    Ok(())
}

/// Every method of the API: (resource, HTTP method, needs sign-in). The
/// page (`GET /`, which holds the sign-in form), CORS preflights and a
/// share link's read (`GET /shared`, its token its key) are open; API
/// Gateway picks a method by name before ANY, and a resource by its path
/// before `{proxy+}`, so nothing else under `/shared` is.
pub const METHODS: &[(&str, &str, bool)] = &[
    ("/", "GET", false),
    ("/", "OPTIONS", false),
    ("/", "ANY", true),
    ("/{proxy+}", "OPTIONS", false),
    ("/{proxy+}", "ANY", true),
    ("/shared", "GET", false),
];

/// The open share route's own throttle (requests per second, burst): a
/// guesser gets a handful of tries a second for the whole API, never the
/// stage's whole rate. Never above the stage's.
pub const SHARED_THROTTLE: (i32, i32) = (5, 10);

/// How a method is guarded: `COGNITO_USER_POOLS` with its authorizer, or
/// `NONE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    pub authorization: String,
    pub authorizer: Option<String>,
}

impl Guard {
    pub fn of(signed_in: bool, authorizer: Option<&str>) -> Guard {
        match (signed_in, authorizer) {
            (true, Some(a)) => Guard {
                authorization: "COGNITO_USER_POOLS".into(),
                authorizer: Some(a.to_owned()),
            },
            _ => Guard {
                authorization: "NONE".into(),
                authorizer: None,
            },
        }
    }
}

/// How `method` on `resource` is guarded, if it exists.
pub async fn method_guard(
    apigw: &Client,
    id: &str,
    resource: &str,
    method: &str,
) -> Result<Option<Guard>, AwsError> {
    let out = not_found_is_none(
        apigw
            .get_method()
            .rest_api_id(id)
            .resource_id(resource)
            .http_method(method)
            .send()
            .await
            .aws(),
    )?;
    Ok(out.map(|m| Guard {
        authorization: m.authorization_type().unwrap_or("NONE").to_owned(),
        authorizer: m.authorizer_id().map(str::to_owned),
    }))
}

/// Every method of `METHODS`, guarded (with `authorizer`, when given, on
/// those that need sign-in; else open), each a Lambda proxy integration to
/// the function. A method guarded otherwise is made again: the stage
/// keeps serving its deployment until the next one, so nothing is open or
/// closed in between. One method after another: API Gateway refuses
/// overlapping writes to one API. Returns how many methods were made.
pub async fn put_methods(
    apigw: &Client,
    id: &str,
    authorizer: Option<&str>,
    invoke_uri: &str,
) -> Result<usize, AwsError> {
    let (root, below) = routes(apigw, id).await?;
    let mut made = 0;
    for &(path, method, signed_in) in METHODS {
        let resource = match RESOURCES.iter().position(|part| path[1..] == **part) {
            None => &root,
            Some(i) => below[i].as_ref().ok_or_else(|| {
                AwsError::from_parts(
                    "NotFoundException",
                    &format!("the REST API has no {path} resource"),
                )
            })?,
        };
        let want = Guard::of(signed_in, authorizer);
        if put_method(apigw, id, resource, method, want, invoke_uri).await? {
            made += 1;
        }
    }
    Ok(made)
}

/// One method guarded as `want` and proxying to the function; `true` if
/// it was made (again).
async fn put_method(
    apigw: &Client,
    id: &str,
    resource: &str,
    method: &str,
    want: Guard,
    invoke_uri: &str,
) -> Result<bool, AwsError> {
    let current = method_guard(apigw, id, resource, method).await?;
    let remake = current.as_ref() != Some(&want);
    if remake {
        if current.is_some() {
            // AWS refuses a second PutMethod (Conflict); UpdateMethod is not
            // in the emulator. Deleting takes the integration too, which is
            // put again below.
            not_found_is_ok(
                write(|| async {
                    apigw
                        .delete_method()
                        .rest_api_id(id)
                        .resource_id(resource)
                        .http_method(method)
                        .send()
                        .await
                        .aws()
                })
                .await,
            )?;
        }
        let put = write(|| async {
            apigw
                .put_method()
                .rest_api_id(id)
                .resource_id(resource)
                .http_method(method)
                .authorization_type(&want.authorization)
                .set_authorizer_id(want.authorizer.clone())
                .send()
                .await
                .aws()
        })
        .await;
        match put {
            Ok(_) => {}
            // Made meanwhile by a resent request whose first answer was
            // lost ("Method already exists for this resource"); any other
            // conflict is an error.
            Err(e) if e.is("ConflictException") && e.message().contains("already exists") => {}
            Err(e) => return Err(e),
        }
    }
    // PutIntegration replaces: safe to repeat.
    write(|| async {
        apigw
            .put_integration()
            .rest_api_id(id)
            .resource_id(resource)
            .http_method(method)
            .r#type(IntegrationType::AwsProxy)
            // Lambda is always invoked with POST, whatever the client sent.
            .integration_http_method("POST")
            .uri(invoke_uri)
            .send()
            .await
            .aws()
    })
    .await?;
    Ok(remake)
}

/// API Gateway's own answers (401 from the authorizer, 429 from the
/// throttle, 5xx) carry `Access-Control-Allow-Origin: origin`, so a
/// browser on an allowed origin reads them instead of a CORS error. With
/// `None` (several origins: one static header cannot name them all) they
/// go back to AWS's defaults.
pub async fn put_cors_answers(
    apigw: &Client,
    id: &str,
    origin: Option<&str>,
) -> Result<(), AwsError> {
    for kind in [
        GatewayResponseType::Default4Xx,
        GatewayResponseType::Default5Xx,
    ] {
        match origin {
            Some(o) => {
                write(|| async {
                    apigw
                        .put_gateway_response()
                        .rest_api_id(id)
                        .response_type(kind.clone())
                        .response_parameters(
                            "gatewayresponse.header.Access-Control-Allow-Origin",
                            format!("'{o}'"),
                        )
                        .send()
                        .await
                        .aws()
                })
                .await?;
            }
            None => {
                not_found_is_ok(
                    write(|| async {
                        apigw
                            .delete_gateway_response()
                            .rest_api_id(id)
                            .response_type(kind.clone())
                            .send()
                            .await
                            .aws()
                    })
                    .await,
                )?;
            }
        }
    }
    Ok(())
}

/// How the API's `ANY /` is guarded (what every photo route gets), if
/// the API and the method exist.
pub async fn api_guard(apigw: &Client, id: &str) -> Result<Option<Guard>, AwsError> {
    let Some(root) = root(apigw, id).await? else {
        return Ok(None);
    };
    method_guard(apigw, id, &root, "ANY").await
}

/// The API's Cognito authorizers of `name`: (id, the user pool ARNs it
/// accepts tokens of).
pub async fn authorizers(
    apigw: &Client,
    id: &str,
    name: &str,
) -> Result<Vec<(String, Vec<String>)>, AwsError> {
    let out = apigw
        .get_authorizers()
        .rest_api_id(id)
        .limit(500)
        .send()
        .await
        .aws()?;
    Ok(out
        .items()
        .iter()
        .filter(|a| a.name() == Some(name))
        .map(|a| {
            (
                a.id().unwrap_or_default().to_owned(),
                a.provider_arns().to_vec(),
            )
        })
        .collect())
}

/// The stack's authorizer on `pool_arn`: the one the API has, else a new
/// one.
pub async fn ensure_authorizer(
    apigw: &Client,
    id: &str,
    name: &str,
    pool_arn: &str,
) -> Result<String, AwsError> {
    let ours = authorizers(apigw, id, name).await?;
    match ours
        .into_iter()
        .find(|(_, pools)| pools == &[pool_arn.to_owned()])
    {
        Some((authorizer, _)) => Ok(authorizer),
        None => create_authorizer(apigw, id, name, pool_arn).await,
    }
}

/// Remove every authorizer of the stack's but `keep` (none: all of them).
/// Call it after the methods let go of them: API Gateway refuses to delete
/// an authorizer a method uses.
pub async fn remove_authorizers_but(
    apigw: &Client,
    id: &str,
    name: &str,
    keep: Option<&str>,
) -> Result<(), AwsError> {
    for (authorizer, _) in authorizers(apigw, id, name).await? {
        if Some(authorizer.as_str()) != keep {
            delete_authorizer(apigw, id, &authorizer).await?;
        }
    }
    Ok(())
}

/// A Cognito authorizer: a request passes with a token of `pool_arn`'s
/// users in its `Authorization` header (API Gateway checks signature,
/// issuer and expiry before the function runs).
pub async fn create_authorizer(
    apigw: &Client,
    id: &str,
    name: &str,
    pool_arn: &str,
) -> Result<String, AwsError> {
    let out = write(|| async {
        apigw
            .create_authorizer()
            .rest_api_id(id)
            .name(name)
            .r#type(AuthorizerType::CognitoUserPools)
            .provider_arns(pool_arn)
            .identity_source("method.request.header.Authorization")
            .send()
            .await
            .aws()
    })
    .await?;
    Ok(out.id().unwrap_or_default().to_owned())
}

pub async fn delete_authorizer(apigw: &Client, id: &str, authorizer: &str) -> Result<(), AwsError> {
    not_found_is_ok(
        write(|| async {
            apigw
                .delete_authorizer()
                .rest_api_id(id)
                .authorizer_id(authorizer)
                .send()
                .await
                .aws()
        })
        .await,
    )?;
    Ok(())
}

/// The function the routes proxy to (the `/` route's integration URI).
pub async fn find_integration(apigw: &Client, id: &str) -> Result<Option<String>, AwsError> {
    let Some(root) = root(apigw, id).await? else {
        return Ok(None);
    };
    let out = not_found_is_none(
        apigw
            .get_integration()
            .rest_api_id(id)
            .resource_id(root)
            .http_method("ANY")
            .send()
            .await
            .aws(),
    )?;
    Ok(out.and_then(|i| i.uri().map(str::to_owned)))
}

/// `arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<fn>/invocations`
pub fn invoke_uri(partition: &str, region: &str, function_arn: &str) -> String {
    format!("arn:{partition}:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations")
}

pub async fn find_stage(apigw: &Client, id: &str) -> Result<Option<String>, AwsError> {
    Ok(stage(apigw, id).await?.map(|s| s.deployment))
}

/// What the stage serves: its deployment, and the throttling of every
/// method (rate, burst) if set.
pub struct Stage {
    pub deployment: String,
    pub throttling: Option<(f64, i32)>,
}

pub async fn stage(apigw: &Client, id: &str) -> Result<Option<Stage>, AwsError> {
    let out = not_found_is_none(
        apigw
            .get_stage()
            .rest_api_id(id)
            .stage_name(STAGE)
            .send()
            .await
            .aws(),
    )?;
    Ok(out.map(|s| Stage {
        deployment: s.deployment_id().unwrap_or_default().to_owned(),
        throttling: s
            .method_settings()
            .and_then(|m| m.get("*/*"))
            .map(|all| (all.throttling_rate_limit(), all.throttling_burst_limit())),
    }))
}

/// A deployment snapshots the API's methods into the stage.
pub async fn create_deployment(apigw: &Client, id: &str) -> Result<String, AwsError> {
    let out = write(|| async {
        apigw
            .create_deployment()
            .rest_api_id(id)
            .stage_name(STAGE)
            .description("photosky up")
            .send()
            .await
            .aws()
    })
    .await?;
    Ok(out.id().unwrap_or_default().to_owned())
}

/// Every method of the stage answers 429 past `rate` requests per second
/// in the long run, `burst` at once; `GET /shared` past `SHARED_THROTTLE`
/// (or the stage's, if lower). A method's path in a stage setting is its
/// resource path with `/` written `~1` (API Gateway's UpdateStage docs).
pub async fn put_throttling(
    apigw: &Client,
    id: &str,
    rate: i32,
    burst: i32,
) -> Result<(), AwsError> {
    let set = |method: &str, what: &str, value: i32| {
        PatchOperation::builder()
            .op(Op::Replace)
            .path(format!("/{method}/throttling/{what}"))
            .value(value.to_string())
            .build()
    };
    let (shared_rate, shared_burst) = SHARED_THROTTLE;
    write(|| async {
        apigw
            .update_stage()
            .rest_api_id(id)
            .stage_name(STAGE)
            .patch_operations(set("*/*", "rateLimit", rate))
            .patch_operations(set("*/*", "burstLimit", burst))
            .patch_operations(set(SHARED_METHOD, "rateLimit", shared_rate.min(rate)))
            .patch_operations(set(SHARED_METHOD, "burstLimit", shared_burst.min(burst)))
            .send()
            .await
            .aws()
    })
    .await?;
    Ok(())
}

/// `GET /shared` as a stage's method settings name it.
pub const SHARED_METHOD: &str = "~1shared/GET";

/// The stage's invoke URL; the domain is the partition's (China: .com.cn).
pub fn url(id: &str, scope: &Scope) -> String {
    format!(
        "https://{id}.execute-api.{}.{}/{STAGE}/",
        scope.region,
        scope.dns_suffix()
    )
}

pub async fn delete(apigw: &Client, id: &str) -> Result<bool, AwsError> {
    // Ask first: the emulator answers DeleteRestApi on a missing API with a
    // 500 rather than NotFoundException.
    if !find(apigw, id).await? {
        return Ok(false);
    }
    // A lost response, retried by the SDK, meets NotFoundException: gone.
    not_found_is_ok(
        write(|| async { apigw.delete_rest_api().rest_api_id(id).send().await.aws() }).await,
    )
}

/// The name of every REST API in the region (for discovery).
pub async fn list_names(apigw: &Client) -> Result<Vec<String>, AwsError> {
    let mut names = Vec::new();
    let mut pages = apigw.get_rest_apis().limit(500).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.aws()?;
        names.extend(
            page.items()
                .iter()
                .filter_map(|a| a.name().map(str::to_owned)),
        );
    }
    Ok(names)
}
