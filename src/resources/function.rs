//! The Lambda function and its resource-policy permissions.
//! Calls: CreateFunction, GetFunction, UpdateFunctionCode,
//! UpdateFunctionConfiguration, DeleteFunction, AddPermission, GetPolicy,
//! RemovePermission; the `function_active_v2` and `function_updated_v2`
//! waiters.

use std::time::Duration;

use aws_sdk_lambda::client::Waiters;
use aws_sdk_lambda::types::{Architecture, Environment, FunctionCode, PackageType};
use aws_sdk_lambda::Client;

use crate::aws::{not_found_is_none, not_found_is_ok, AwsError, AwsResultExt, Propagation};

/// IAM has created the role, but Lambda cannot assume it yet.
pub const ROLE_PROPAGATION: &[Propagation] = &[Propagation {
    code: "InvalidParameterValueException",
    message_contains: "cannot be assumed by Lambda",
}];

/// How long a new or updated function may take to become Active. Image
/// functions are optimised on create; a few minutes is normal.
pub const MAX_ACTIVE_WAIT: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub arn: String,
    pub image_uri: Option<String>,
    pub memory_mb: Option<i32>,
    pub timeout_s: Option<i32>,
    pub environment: Vec<(String, String)>,
    pub state: Option<String>,
    pub last_update: Option<String>,
}

pub struct FunctionSpec<'a> {
    pub name: &'a str,
    pub stack: &'a str,
    pub role_arn: &'a str,
    pub image_uri: &'a str,
    pub memory_mb: i32,
    pub timeout_s: i32,
    pub environment: Vec<(String, String)>,
}

pub async fn find(lambda: &Client, name: &str) -> Result<Option<Function>, AwsError> {
    let Some(out) =
        not_found_is_none(lambda.get_function().function_name(name).send().await.aws())?
    else {
        return Ok(None);
    };
    let c = out.configuration();
    let mut environment: Vec<(String, String)> = c
        .and_then(|c| c.environment())
        .and_then(|e| e.variables())
        .map(|v| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    environment.sort();
    Ok(Some(Function {
        arn: c
            .and_then(|c| c.function_arn())
            .unwrap_or_default()
            .to_owned(),
        image_uri: out.code().and_then(|c| c.image_uri()).map(str::to_owned),
        memory_mb: c.and_then(|c| c.memory_size()),
        timeout_s: c.and_then(|c| c.timeout()),
        environment,
        state: c.and_then(|c| c.state()).map(|s| s.as_str().to_owned()),
        last_update: c
            .and_then(|c| c.last_update_status())
            .map(|s| s.as_str().to_owned()),
    }))
}

fn environment(vars: &[(String, String)]) -> Environment {
    Environment::builder()
        .set_variables(Some(vars.iter().cloned().collect()))
        .build()
}

pub async fn create(lambda: &Client, spec: &FunctionSpec<'_>) -> Result<String, AwsError> {
    let out = lambda
        .create_function()
        .function_name(spec.name)
        .package_type(PackageType::Image)
        .code(FunctionCode::builder().image_uri(spec.image_uri).build())
        .role(spec.role_arn)
        .architectures(Architecture::X8664)
        .memory_size(spec.memory_mb)
        .timeout(spec.timeout_s)
        .environment(environment(&spec.environment))
        .description("PhotoSky thumbnails and photo API (photosky)")
        .tags(super::STACK_TAG, spec.stack)
        .send()
        .await
        .aws();
    match out {
        Ok(o) => Ok(o.function_arn().unwrap_or_default().to_owned()),
        Err(e) => Err(e),
    }
}

fn waiter_error(e: impl std::error::Error) -> AwsError {
    AwsError::from_parts(
        "WaiterError",
        &aws_smithy_types::error::display::DisplayErrorContext(&e).to_string(),
    )
}

pub async fn wait_active(lambda: &Client, name: &str) -> Result<(), AwsError> {
    lambda
        .wait_until_function_active_v2()
        .function_name(name)
        .wait(MAX_ACTIVE_WAIT)
        .await
        .map(|_| ())
        .map_err(waiter_error)
}

pub async fn wait_updated(lambda: &Client, name: &str) -> Result<(), AwsError> {
    lambda
        .wait_until_function_updated_v2()
        .function_name(name)
        .wait(MAX_ACTIVE_WAIT)
        .await
        .map(|_| ())
        .map_err(waiter_error)
}

pub async fn update_code(lambda: &Client, name: &str, image_uri: &str) -> Result<(), AwsError> {
    lambda
        .update_function_code()
        .function_name(name)
        .image_uri(image_uri)
        .send()
        .await
        .aws()?;
    Ok(())
}

pub async fn update_configuration(
    lambda: &Client,
    spec: &FunctionSpec<'_>,
) -> Result<(), AwsError> {
    lambda
        .update_function_configuration()
        .function_name(spec.name)
        .memory_size(spec.memory_mb)
        .timeout(spec.timeout_s)
        .environment(environment(&spec.environment))
        .send()
        .await
        .aws()?;
    Ok(())
}

pub async fn delete(lambda: &Client, name: &str) -> Result<bool, AwsError> {
    not_found_is_ok(
        lambda
            .delete_function()
            .function_name(name)
            .send()
            .await
            .aws(),
    )
}

/// Whether the function's resource policy has a statement `sid`.
pub async fn find_permission(lambda: &Client, function: &str, sid: &str) -> Result<bool, AwsError> {
    let Some(out) = not_found_is_none(
        lambda
            .get_policy()
            .function_name(function)
            .send()
            .await
            .aws(),
    )?
    else {
        return Ok(false);
    };
    let policy: serde_json::Value =
        serde_json::from_str(out.policy().unwrap_or("{}")).unwrap_or_default();
    Ok(policy["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|s| s["Sid"] == sid))
}

pub struct PermissionSpec<'a> {
    pub function: &'a str,
    pub sid: &'a str,
    pub principal: &'a str,
    pub source_arn: &'a str,
    pub source_account: Option<&'a str>,
}

pub async fn add_permission(lambda: &Client, p: &PermissionSpec<'_>) -> Result<(), AwsError> {
    let out = lambda
        .add_permission()
        .function_name(p.function)
        .statement_id(p.sid)
        .action("lambda:InvokeFunction")
        .principal(p.principal)
        .source_arn(p.source_arn)
        .set_source_account(p.source_account.map(str::to_owned))
        .send()
        .await
        .aws();
    match out {
        Ok(_) => Ok(()),
        // The statement is there already (a resumed run): nothing to do.
        Err(e) if e.is("ResourceConflictException") => Ok(()),
        Err(e) => Err(e),
    }
}

pub async fn remove_permission(
    lambda: &Client,
    function: &str,
    sid: &str,
) -> Result<bool, AwsError> {
    not_found_is_ok(
        lambda
            .remove_permission()
            .function_name(function)
            .statement_id(sid)
            .send()
            .await
            .aws(),
    )
}
