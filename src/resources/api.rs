//! The API Gateway REST API that proxies every request to the function:
//! `/` and `/{proxy+}`, method ANY, Lambda proxy integration, deployed to one
//! stage. Calls: CreateRestApi, GetRestApi, GetRestApis, GetResources,
//! CreateResource, GetMethod, PutMethod, PutIntegration, GetIntegration,
//! CreateDeployment, GetStage, UpdateStage, DeleteRestApi.

use aws_sdk_apigateway::config::retry::RetryConfig;
use aws_sdk_apigateway::types::{
    EndpointConfiguration, EndpointType, IntegrationType, Op, PatchOperation,
};
use aws_sdk_apigateway::Client;

use super::policies::Scope;

use crate::aws::{not_found_is_none, not_found_is_ok, AwsError, AwsResultExt};

pub const STAGE: &str = "prod";

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

/// The ids of `/` and, once made, `/{proxy+}`.
async fn routes(apigw: &Client, id: &str) -> Result<(String, Option<String>), AwsError> {
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
    let proxy = resources
        .items()
        .iter()
        .find(|r| r.path_part() == Some("{proxy+}"))
        .and_then(|r| r.id())
        .map(str::to_owned);
    Ok((root, proxy))
}

/// `/` and `/{proxy+}`, each with method ANY. Safe to repeat: a resumed run
/// re-applies what a crash cut short.
pub async fn create_routes(apigw: &Client, id: &str) -> Result<(), AwsError> {
    let (root, proxy) = routes(apigw, id).await?;
    let proxy = match proxy {
        Some(p) => p,
        None => apigw
            .create_resource()
            .rest_api_id(id)
            .parent_id(&root)
            .path_part("{proxy+}")
            .send()
            .await
            .aws()?
            .id()
            .unwrap_or_default()
            .to_owned(),
    };
    for resource in [&root, &proxy] {
        // An existing method is kept: AWS refuses a second (Conflict), but
        // the emulator replaces it and drops its integration.
        let method = apigw
            .get_method()
            .rest_api_id(id)
            .resource_id(resource)
            .http_method("ANY")
            .send()
            .await
            .aws();
        if not_found_is_none(method)?.is_some() {
            continue;
        }
        match apigw
            .put_method()
            .rest_api_id(id)
            .resource_id(resource)
            .http_method("ANY")
            .authorization_type("NONE")
            .send()
            .await
            .aws()
        {
            Ok(_) => {}
            Err(e) if e.is("ConflictException") => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Both routes proxy every method to the function (Lambda proxy
/// integration). PutIntegration replaces: safe to repeat.
pub async fn create_integrations(
    apigw: &Client,
    id: &str,
    invoke_uri: &str,
) -> Result<(), AwsError> {
    let (root, proxy) = routes(apigw, id).await?;
    let proxy = proxy.ok_or_else(|| {
        AwsError::from_parts(
            "NotFoundException",
            "the REST API has no /{proxy+} resource",
        )
    })?;
    for resource in [&root, &proxy] {
        apigw
            .put_integration()
            .rest_api_id(id)
            .resource_id(resource)
            .http_method("ANY")
            .r#type(IntegrationType::AwsProxy)
            // Lambda is always invoked with POST, whatever the client sent.
            .integration_http_method("POST")
            .uri(invoke_uri)
            .send()
            .await
            .aws()?;
    }
    Ok(())
}

/// The function the routes proxy to (the `/` route's integration URI).
pub async fn find_integration(apigw: &Client, id: &str) -> Result<Option<String>, AwsError> {
    let Some((root, _)) = not_found_is_none(routes(apigw, id).await)? else {
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
    let out = apigw
        .create_deployment()
        .rest_api_id(id)
        .stage_name(STAGE)
        .description("photosky up")
        .send()
        .await
        .aws()?;
    Ok(out.id().unwrap_or_default().to_owned())
}

/// Every method of the stage answers 429 past `rate` requests per second
/// in the long run, `burst` at once.
pub async fn put_throttling(
    apigw: &Client,
    id: &str,
    rate: i32,
    burst: i32,
) -> Result<(), AwsError> {
    let set = |what: &str, value: String| {
        PatchOperation::builder()
            .op(Op::Replace)
            .path(format!("/*/*/throttling/{what}"))
            .value(value)
            .build()
    };
    apigw
        .update_stage()
        .rest_api_id(id)
        .stage_name(STAGE)
        .patch_operations(set("rateLimit", rate.to_string()))
        .patch_operations(set("burstLimit", burst.to_string()))
        .send()
        .await
        .aws()?;
    Ok(())
}

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
    not_found_is_ok(apigw.delete_rest_api().rest_api_id(id).send().await.aws())
}
