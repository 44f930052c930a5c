//! The Lambda function (its permissions are in `permission.rs`).
//! Calls: CreateFunction, GetFunction, UpdateFunctionCode,
//! UpdateFunctionConfiguration, PutFunctionEventInvokeConfig,
//! GetFunctionEventInvokeConfig, DeleteFunction, ListFunctions. Waiting for Active (or for
//! an update to end) polls GetFunction, see `settled`.

use std::time::Duration;

use aws_sdk_lambda::types::{DestinationConfig, Environment, FunctionCode, OnFailure, PackageType};
pub use aws_sdk_lambda::types::{LastUpdateStatus, State};
use aws_sdk_lambda::Client;

use crate::arch::Arch;
use crate::aws::{
    not_found_is_none, not_found_is_ok, AwsError, AwsResultExt, Backoff, Propagation,
};

/// IAM has created the role, but Lambda cannot assume it yet.
pub const ROLE_PROPAGATION: &[Propagation] = &[Propagation {
    code: "InvalidParameterValueException",
    message_contains: "cannot be assumed by Lambda",
}];

/// Lambda checks, when given an on-failure destination, that the execution
/// role may write there: a policy just put is refused for a while.
pub const DESTINATION_PROPAGATION: &[Propagation] = &[Propagation {
    code: "InvalidParameterValueException",
    message_contains: "does not have permissions",
}];

/// S3 events the function fails on: Lambda retries each twice (its
/// default), for at most this long, then writes a record of it to the
/// on-failure destination instead of dropping it.
pub const MAX_EVENT_AGE_S: i32 = 6 * 3600;
pub const MAX_RETRIES: i32 = 2;

/// Where Lambda sends the record of an asynchronous invocation (an S3
/// event) that failed every attempt: a bucket ARN (Lambda writes under
/// `aws/lambda/async/<function>/`).
pub async fn put_failure_destination(
    lambda: &Client,
    name: &str,
    destination_arn: &str,
) -> Result<(), AwsError> {
    lambda
        .put_function_event_invoke_config()
        .function_name(name)
        .maximum_retry_attempts(MAX_RETRIES)
        .maximum_event_age_in_seconds(MAX_EVENT_AGE_S)
        .destination_config(
            DestinationConfig::builder()
                .on_failure(OnFailure::builder().destination(destination_arn).build())
                .build(),
        )
        .send()
        .await
        .aws()?;
    Ok(())
}

/// Reserve `n` concurrent executions for the function, which is also its
/// cap. `Ok(false)`: the account's quota leaves too little unreserved (AWS
/// lets one reserve at most the unreserved concurrency minus 100, and a new
/// account's quota is often 10 in all), so the function stays uncapped.
pub async fn put_concurrency(lambda: &Client, name: &str, n: i32) -> Result<bool, AwsError> {
    let out = lambda
        .put_function_concurrency()
        .function_name(name)
        .reserved_concurrent_executions(n)
        .send()
        .await
        .aws();
    match out {
        Ok(_) => Ok(true),
        Err(e)
            if e.code() == "InvalidParameterValueException"
                && e.message().contains("UnreservedConcurrentExecution") =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// The function's reserved concurrency, if any.
pub async fn find_concurrency(lambda: &Client, name: &str) -> Result<Option<i32>, AwsError> {
    let out = not_found_is_none(
        lambda
            .get_function_concurrency()
            .function_name(name)
            .send()
            .await
            .aws(),
    )?;
    Ok(out.and_then(|c| c.reserved_concurrent_executions()))
}

/// The on-failure destination configured, if any.
pub async fn find_failure_destination(
    lambda: &Client,
    name: &str,
) -> Result<Option<String>, AwsError> {
    let out = not_found_is_none(
        lambda
            .get_function_event_invoke_config()
            .function_name(name)
            .send()
            .await
            .aws(),
    )?;
    Ok(out.and_then(|o| {
        o.destination_config()
            .and_then(|d| d.on_failure())
            .and_then(|f| f.destination())
            .map(str::to_owned)
    }))
}

/// How long a new or updated function may take to become Active. Image
/// functions are optimised on create; a few minutes is normal.
pub const MAX_ACTIVE_WAIT: Duration = Duration::from_secs(600);

/// How a function is polled until it settles: an image function is Pending
/// for 5-30 s. Polling at most 5 s apart ends the wait soon after; the SDK's
/// `function_active_v2` waiter backs off exponentially (up to minutes), and
/// its 1 s floor ignores the emulator's time scale.
pub const SETTLE_POLL: Backoff = Backoff {
    first: Duration::from_millis(500),
    cap: Duration::from_secs(5),
    max_wait: MAX_ACTIVE_WAIT,
};

/// Where a function stands after a create or an update.
#[derive(Debug, PartialEq)]
pub enum Settled {
    Yes,
    Not,
    /// Lambda's state (or update status) and its reason.
    Failed(String),
}

/// Whether `f` is ready and, when `after_update`, its last update ended.
/// `Inactive` (idle for weeks: AWS reclaimed its resources) is as ready as
/// `Active`: only an invoke moves it on (to Pending, then Active), so
/// waiting for Active would never end ("Lambda function states").
pub fn settled(f: &Function, after_update: bool) -> Settled {
    let failed = |what: &str| {
        Settled::Failed(match &f.reason {
            Some(r) => format!("{what}: {r}"),
            None => what.to_owned(),
        })
    };
    use LastUpdateStatus as Update;
    match (&f.state, &f.last_update) {
        (Some(State::Failed), _) => failed("state Failed"),
        (_, Some(Update::Failed)) if after_update => failed("last update Failed"),
        (Some(State::Active | State::Inactive), Some(Update::Successful) | None) => Settled::Yes,
        (Some(State::Active | State::Inactive), Some(Update::InProgress)) if after_update => {
            Settled::Not
        }
        (Some(State::Active | State::Inactive), _) if !after_update => Settled::Yes,
        _ => Settled::Not,
    }
}

/// Poll until the function is Active (and, `after_update`, its update
/// ended); a Failed state ends the wait with Lambda's reason.
pub async fn wait_settled(
    lambda: &Client,
    name: &str,
    after_update: bool,
) -> Result<(), crate::error::Error> {
    use crate::error::Error;
    let what = if after_update {
        format!("the update of Lambda function {name} to end")
    } else {
        format!("Lambda function {name} to be Active")
    };
    crate::aws::poll(&what, SETTLE_POLL, || async {
        let f = find(lambda, name)
            .await
            .map_err(|e| Error::aws("waiting for Lambda function", name, e))?
            .ok_or_else(|| {
                Error::Unexpected(format!(
                    "Lambda function {name} was deleted while photosky waited for it"
                ))
            })?;
        match settled(&f, after_update) {
            Settled::Yes => Ok(Some(())),
            Settled::Not => Ok(None),
            Settled::Failed(why) => Err(Error::Unexpected(format!(
                "Lambda function {name} did not become ready ({why}); \
                 see its configuration in the Lambda console, then run `photosky up` again"
            ))),
        }
    })
    .await
}

/// Bring `current`'s code and configuration to `spec`, waiting out each
/// update (Lambda refuses the next while one is in progress); a function
/// not yet settled is waited for too. Returns what changed.
pub async fn update(
    lambda: &Client,
    current: &Function,
    spec: &FunctionSpec<'_>,
    note: impl Fn(&str),
) -> Result<Vec<&'static str>, crate::error::Error> {
    use crate::error::Error;
    let name = spec.name;
    let mut changed = Vec::new();
    let moves = current.arch != Some(spec.arch);
    if current.image_uri.as_deref() != Some(spec.image_uri) || moves {
        let digest = spec.image_uri.rsplit('@').next().unwrap_or_default();
        note(&match moves {
            true => format!("moving to {} with image {digest}", spec.arch),
            false => format!("updating to image {digest}"),
        });
        // The architecture goes with the code: an image runs on one.
        update_code(lambda, name, spec.image_uri, spec.arch)
            .await
            .map_err(|e| Error::aws("updating the code of Lambda function", name, e))?;
        wait_settled(lambda, name, true).await?;
        changed.push(if moves {
            "architecture, image"
        } else {
            "image"
        });
    }
    if current.memory_mb != Some(spec.memory_mb)
        || current.timeout_s != Some(spec.timeout_s)
        || current.environment != spec.environment
    {
        update_configuration(lambda, spec)
            .await
            .map_err(|e| Error::aws("updating the configuration of Lambda function", name, e))?;
        wait_settled(lambda, name, true).await?;
        changed.push("configuration");
    }
    if changed.is_empty() && settled(current, false) != Settled::Yes {
        wait_settled(lambda, name, false).await?;
    }
    Ok(changed)
}

/// Failed events go to `destination` (retried while Lambda cannot yet
/// see that the role may write there); at most `cap` runs at once.
/// Returns whether the cap was set: the account's quota may leave too
/// little unreserved.
pub async fn put_limits(
    lambda: &Client,
    name: &str,
    destination: &str,
    cap: i32,
    note: impl FnMut(&AwsError, Duration),
) -> Result<bool, crate::error::Error> {
    use crate::error::Error;
    crate::aws::retry_propagation(
        DESTINATION_PROPAGATION,
        crate::aws::Backoff::PROPAGATION,
        note,
        || put_failure_destination(lambda, name, destination),
    )
    .await
    .map_err(|e| {
        Error::aws(
            "setting the on-failure destination of Lambda function",
            name,
            e,
        )
    })?;
    put_concurrency(lambda, name, cap)
        .await
        .map_err(|e| Error::aws("reserving concurrency for Lambda function", name, e))
}

/// How the handler checks sign-in tokens: who issues them, for which app
/// client, signed with which keys.
pub struct SignIn {
    pub issuer: String,
    pub client_id: String,
    /// The pool's JWKS document.
    pub jwks: String,
}

/// What the handler reads from its environment, sorted (as `find` reads
/// it back). Without `sign_in` (a `--public` stack) it checks no tokens.
pub fn handler_environment(
    names: &crate::state::Names,
    settings: &crate::state::Settings,
    sign_in: Option<SignIn>,
) -> Vec<(String, String)> {
    let mut env = vec![
        ("SOURCE_BUCKET", names.source_bucket.clone()),
        ("DEST_BUCKET", names.dest_bucket.clone()),
        ("UPLOAD_PREFIX", settings.upload_prefix.clone()),
        ("CORS_ORIGINS", settings.cors_origins.join(",")),
        // No invocation outlives the timeout: a claim to make thumbnails
        // older than that was left by one that died (handler/src/work.rs).
        ("WORK_LEASE_SECONDS", settings.timeout_s.to_string()),
    ];
    // Only the pool's users may call the API: the handler checks their
    // tokens too (handler/src/auth.rs), behind API Gateway's authorizer.
    if let Some(s) = sign_in {
        env.extend([
            ("USER_POOL_ISSUER", s.issuer),
            ("USER_POOL_CLIENT_ID", s.client_id),
            ("USER_POOL_JWKS", s.jwks),
        ]);
    }
    let mut env: Vec<(String, String)> = env.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    env.sort();
    env
}

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub arn: String,
    pub image_uri: Option<String>,
    /// Its instruction set (`None`: one this photosky does not know).
    pub arch: Option<Arch>,
    pub memory_mb: Option<i32>,
    pub timeout_s: Option<i32>,
    pub environment: Vec<(String, String)>,
    pub state: Option<State>,
    pub last_update: Option<LastUpdateStatus>,
    /// Why the state or the last update is what it is (on a failure).
    pub reason: Option<String>,
}

pub struct FunctionSpec<'a> {
    pub name: &'a str,
    pub stack: &'a str,
    pub role_arn: &'a str,
    pub image_uri: &'a str,
    /// The image's platform, which the function must run on.
    pub arch: Arch,
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
        // Lambda's default when it says none.
        arch: match c.map(|c| c.architectures()).unwrap_or_default() {
            [] => Some(Arch::X86_64),
            [a, ..] => Arch::from_lambda(a),
        },
        memory_mb: c.and_then(|c| c.memory_size()),
        timeout_s: c.and_then(|c| c.timeout()),
        environment,
        state: c.and_then(|c| c.state()).cloned(),
        last_update: c.and_then(|c| c.last_update_status()).cloned(),
        reason: c
            .and_then(|c| c.state_reason().or(c.last_update_status_reason()))
            .map(str::to_owned),
    }))
}

/// The function's stack tag. GetFunction returns the tags only to a caller
/// allowed `lambda:ListTags`.
pub async fn stack_tag(lambda: &Client, name: &str) -> Result<super::StackTag, AwsError> {
    let out = not_found_is_none(lambda.get_function().function_name(name).send().await.aws())?;
    Ok(out.map(|o| super::stack_tag_in(o.tags())))
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
        .architectures(spec.arch.lambda())
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

pub async fn update_code(
    lambda: &Client,
    name: &str,
    image_uri: &str,
    arch: Arch,
) -> Result<(), AwsError> {
    lambda
        .update_function_code()
        .function_name(name)
        .image_uri(image_uri)
        .architectures(arch.lambda())
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

/// The name of every function in the region (for discovery).
pub async fn list_names(lambda: &Client) -> Result<Vec<String>, AwsError> {
    let mut names = Vec::new();
    let mut pages = lambda.list_functions().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.aws()?;
        names.extend(
            page.functions()
                .iter()
                .filter_map(|f| f.function_name().map(str::to_owned)),
        );
    }
    Ok(names)
}

/// What no emulator shows: IAM propagation and throttling, as AWS sends
/// them, through the SDK's own deserialisers and retry layer.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::retry_propagation;
    use aws_sdk_lambda::config::retry::RetryConfig;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    const ROLE_NOT_READY: &str = r#"{"__type":"InvalidParameterValueException","message":"The role defined for the function cannot be assumed by Lambda."}"#;

    fn at(state: &str, last_update: Option<&str>, reason: Option<&str>) -> Function {
        Function {
            arn: String::new(),
            image_uri: None,
            arch: None,
            memory_mb: None,
            timeout_s: None,
            environment: Vec::new(),
            state: Some(State::from(state)),
            last_update: last_update.map(LastUpdateStatus::from),
            reason: reason.map(Into::into),
        }
    }

    #[test]
    fn settled_waits_out_pending_and_updates_and_reports_failures() {
        assert_eq!(settled(&at("Pending", None, None), false), Settled::Not);
        assert_eq!(settled(&at("Active", None, None), false), Settled::Yes);
        // Idle for weeks: nothing to wait for (only an invoke wakes it).
        assert_eq!(settled(&at("Inactive", None, None), false), Settled::Yes);
        assert_eq!(
            settled(&at("Inactive", Some("Successful"), None), true),
            Settled::Yes
        );
        assert_eq!(
            settled(&at("Active", Some("InProgress"), None), true),
            Settled::Not
        );
        assert_eq!(
            settled(&at("Active", Some("Successful"), None), true),
            Settled::Yes
        );
        assert_eq!(
            settled(&at("Failed", None, Some("image not found")), false),
            Settled::Failed("state Failed: image not found".into())
        );
        assert_eq!(
            settled(&at("Active", Some("Failed"), Some("bad image")), true),
            Settled::Failed("last update Failed: bad image".into())
        );
    }

    fn spec() -> FunctionSpec<'static> {
        FunctionSpec {
            name: "photosky-abc123",
            stack: "photosky",
            role_arn: "arn:aws:iam::123456789012:role/photosky-abc123-function",
            image_uri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/photosky-abc123@sha256:00",
            arch: Arch::Arm64,
            memory_mb: 1024,
            timeout_s: 60,
            environment: vec![],
        }
    }

    #[tokio::test(start_paused = true)]
    async fn create_waits_out_role_propagation() {
        let rule = mock!(Client::create_function)
            .sequence()
            .http_status(400, Some(ROLE_NOT_READY.into()))
            .times(3)
            .output(|| {
                aws_sdk_lambda::operation::create_function::CreateFunctionOutput::builder()
                    .function_arn("arn:aws:lambda:eu-west-1:123456789012:function:photosky-abc123")
                    .build()
            })
            .build();
        let client = mock_client!(aws_sdk_lambda, RuleMode::Sequential, &[&rule]);
        let mut retried = Vec::new();
        let spec = spec();
        let arn = retry_propagation(
            ROLE_PROPAGATION,
            Backoff::PROPAGATION,
            |e, _| retried.push(e.code().to_owned()),
            || create(&client, &spec),
        )
        .await
        .unwrap();
        assert!(arn.ends_with(":function:photosky-abc123"));
        assert_eq!(rule.num_calls(), 4);
        assert_eq!(retried, vec!["InvalidParameterValueException"; 3]);
    }

    #[tokio::test(start_paused = true)]
    async fn other_invalid_parameter_errors_fail_at_once_with_code_and_message() {
        let rule = mock!(Client::create_function)
            .sequence()
            .http_status(400, Some(r#"{"__type":"InvalidParameterValueException","message":"Source image is not valid."}"#.into()))
            .build();
        let client = mock_client!(aws_sdk_lambda, RuleMode::Sequential, &[&rule]);
        let spec = spec();
        let err = retry_propagation(
            ROLE_PROPAGATION,
            Backoff::PROPAGATION,
            |_, _| {},
            || create(&client, &spec),
        )
        .await
        .unwrap_err();
        assert_eq!(rule.num_calls(), 1);
        assert_eq!(
            err.to_string(),
            "InvalidParameterValueException: Source image is not valid."
        );
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_is_retried_by_the_sdk_and_reported_when_it_persists() {
        let throttled = r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#;
        let ok = || {
            aws_sdk_lambda::operation::get_function::GetFunctionOutput::builder()
                .configuration(
                    aws_sdk_lambda::types::FunctionConfiguration::builder()
                        .function_arn("arn:f")
                        .build(),
                )
                .build()
        };
        let rule = mock!(Client::get_function)
            .sequence()
            .http_status(429, Some(throttled.into()))
            .times(2)
            .output(ok)
            .build();
        // The deployer's retry policy (aws/clients.rs): standard, 6 attempts.
        let retry = |c: aws_sdk_lambda::config::Builder| {
            c.retry_config(RetryConfig::standard().with_max_attempts(6))
        };
        let client = mock_client!(aws_sdk_lambda, RuleMode::Sequential, &[&rule], retry);
        let f = find(&client, "photosky-abc123").await.unwrap().unwrap();
        assert_eq!(f.arn, "arn:f");
        assert_eq!(rule.num_calls(), 3);

        let always = mock!(Client::get_function)
            .sequence()
            .http_status(429, Some(throttled.into()))
            .repeatedly()
            .build();
        let client = mock_client!(aws_sdk_lambda, RuleMode::Sequential, &[&always], retry);
        let err = find(&client, "photosky-abc123").await.unwrap_err();
        assert_eq!(always.num_calls(), 6);
        assert_eq!(err.to_string(), "TooManyRequestsException: Rate exceeded");
    }
}
