//! The stack's Cognito user pool (who may sign in to the gallery and the
//! photo API) and its app client, and the pool's users. Passwords never
//! reach photosky's code or the function: Cognito checks them and issues
//! the tokens. Calls: CreateUserPool, DescribeUserPool, ListUserPools,
//! DeleteUserPool, CreateUserPoolClient, DescribeUserPoolClient,
//! ListUserPoolClients,
//! AdminCreateUser, ListUsers, AdminDeleteUser; and one plain HTTPS GET of
//! the pool's public keys (`fetch_jwks`).

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use aws_sdk_cognitoidentityprovider::types::{
    AdminCreateUserConfigType, AttributeType, DeletionProtectionType, DeliveryMediumType,
    ExplicitAuthFlowsType, MessageActionType, PasswordPolicyType, PreventUserExistenceErrorTypes,
    TimeUnitsType, TokenValidityUnitsType, UserPoolPolicyType, UsernameAttributeType,
    VerifiedAttributeType,
};
use aws_sdk_cognitoidentityprovider::Client;

use crate::aws::{not_found_is_none, not_found_is_ok, AwsError, AwsResultExt};

/// The pool's tag, if it exists (DescribeUserPool returns its tags).
pub async fn stack_tag(c: &Client, id: &str) -> Result<super::StackTag, AwsError> {
    let out = not_found_is_none(c.describe_user_pool().user_pool_id(id).send().await.aws())?;
    Ok(out.map(|o| super::stack_tag_in(o.user_pool().and_then(|p| p.user_pool_tags()))))
}

pub async fn find(c: &Client, id: &str) -> Result<bool, AwsError> {
    Ok(stack_tag(c, id).await?.is_some())
}

/// How many users the pool has (Cognito's estimate, from
/// DescribeUserPool), if it exists.
pub async fn user_count(c: &Client, id: &str) -> Result<Option<i32>, AwsError> {
    let out = not_found_is_none(c.describe_user_pool().user_pool_id(id).send().await.aws())?;
    Ok(out.map(|o| {
        o.user_pool()
            .map(|p| p.estimated_number_of_users())
            .unwrap_or(0)
    }))
}

/// Pool names are not unique: every pool of `name`, with its stack tag.
pub async fn find_all_by_name(
    c: &Client,
    name: &str,
) -> Result<Vec<(String, Option<String>)>, AwsError> {
    let mut found = Vec::new();
    for (id, pool_name) in list(c).await? {
        if pool_name == name {
            if let Some(tag) = stack_tag(c, &id).await? {
                found.push((id, tag));
            }
        }
    }
    Ok(found)
}

/// One of `stack`'s pools of that name (a create whose response was lost).
pub async fn find_by_name(c: &Client, name: &str, stack: &str) -> Result<Option<String>, AwsError> {
    let all = find_all_by_name(c, name).await?;
    Ok(all
        .into_iter()
        .find(|(_, tag)| tag.as_deref() == Some(stack))
        .map(|(id, _)| id))
}

/// Every pool of the region: (id, name).
pub async fn list(c: &Client) -> Result<Vec<(String, String)>, AwsError> {
    let mut pools = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = c
            .list_user_pools()
            .max_results(60)
            .set_next_token(token.clone())
            .send()
            .await
            .aws()?;
        for p in page.user_pools() {
            pools.push((
                p.id().unwrap_or_default().to_owned(),
                p.name().unwrap_or_default().to_owned(),
            ));
        }
        match page.next_token() {
            Some(t) if Some(t) != token.as_deref() => token = Some(t.to_owned()),
            _ => break,
        }
    }
    Ok(pools)
}

/// Sent once, without the SDK's retries: pool names are not unique, so a
/// retry after a lost response would make a second pool. The caller looks
/// for the first before it tries again.
///
/// Users sign in with their e-mail address; only an administrator makes
/// users (no self sign-up); passwords of at least 12 characters.
pub async fn create(c: &Client, name: &str, stack: &str) -> Result<String, AwsError> {
    let out = c
        .create_user_pool()
        .pool_name(name)
        .username_attributes(UsernameAttributeType::Email)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(true)
                .build(),
        )
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(
                    PasswordPolicyType::builder()
                        .minimum_length(12)
                        .temporary_password_validity_days(7)
                        .build(),
                )
                .build(),
        )
        .deletion_protection(DeletionProtectionType::Inactive)
        .set_user_pool_tags(Some(HashMap::from([(
            super::STACK_TAG.to_owned(),
            stack.to_owned(),
        )])))
        .customize()
        .config_override(sent_once())
        .send()
        .await
        .aws()?;
    Ok(out
        .user_pool()
        .and_then(|p| p.id())
        .unwrap_or_default()
        .to_owned())
}

/// No SDK retries: for creates whose retry would make a second resource.
fn sent_once() -> aws_sdk_cognitoidentityprovider::config::Builder {
    aws_sdk_cognitoidentityprovider::config::Builder::default()
        .retry_config(RetryConfig::disabled())
}

pub async fn delete(c: &Client, id: &str) -> Result<bool, AwsError> {
    not_found_is_ok(c.delete_user_pool().user_pool_id(id).send().await.aws())
}

/// Minutes a sign-in may take between its steps (the one-time password,
/// then choosing one's own): Cognito's default of 3 is short for someone
/// choosing a first password of 12 characters or more.
pub const AUTH_SESSION_MINUTES: i32 = 15;

/// What the gallery's client is, for its create and its update alike
/// (UpdateUserPoolClient resets whatever it is not given): public (a page
/// keeps no secret), password and refresh-token sign-in only, an hour's
/// tokens, refresh for 30 days, `AUTH_SESSION_MINUTES` to finish signing
/// in, and no hint whether an address has an account.
macro_rules! client_settings {
    ($request:expr, $pool:expr, $name:expr) => {
        $request
            .user_pool_id($pool)
            .client_name($name)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
            .access_token_validity(1)
            .id_token_validity(1)
            .refresh_token_validity(30)
            .auth_session_validity(AUTH_SESSION_MINUTES)
            .token_validity_units(
                TokenValidityUnitsType::builder()
                    .access_token(TimeUnitsType::Hours)
                    .id_token(TimeUnitsType::Hours)
                    .refresh_token(TimeUnitsType::Days)
                    .build(),
            )
    };
}

/// A fingerprint of `client_settings!`: bumped when it changes, so `up`
/// updates the client of an older stack.
pub const CLIENT_SETTINGS: &str = "password+refresh, 1h/1h/30d, session 15 min";

/// The gallery's client (`client_settings!`). Sent once, as the pool is:
/// client names are not unique either.
pub async fn create_client(c: &Client, pool: &str, name: &str) -> Result<String, AwsError> {
    let out = client_settings!(c.create_user_pool_client(), pool, name)
        .generate_secret(false)
        .customize()
        .config_override(sent_once())
        .send()
        .await
        .aws()?;
    Ok(out
        .user_pool_client()
        .and_then(|p| p.client_id())
        .unwrap_or_default()
        .to_owned())
}

/// The client made again as `client_settings!` says.
pub async fn update_client(c: &Client, pool: &str, id: &str, name: &str) -> Result<(), AwsError> {
    client_settings!(c.update_user_pool_client(), pool, name)
        .client_id(id)
        .send()
        .await
        .aws()?;
    Ok(())
}

/// The pool's client of that name, if any (a create whose response was
/// lost).
pub async fn find_client_by_name(
    c: &Client,
    pool: &str,
    name: &str,
) -> Result<Option<String>, AwsError> {
    let mut token: Option<String> = None;
    loop {
        let page = c
            .list_user_pool_clients()
            .user_pool_id(pool)
            .max_results(60)
            .set_next_token(token.clone())
            .send()
            .await
            .aws()?;
        if let Some(found) = page
            .user_pool_clients()
            .iter()
            .find(|cl| cl.client_name() == Some(name))
        {
            return Ok(found.client_id().map(str::to_owned));
        }
        match page.next_token() {
            Some(t) if Some(t) != token.as_deref() => token = Some(t.to_owned()),
            _ => return Ok(None),
        }
    }
}

pub async fn find_client(c: &Client, pool: &str, id: &str) -> Result<bool, AwsError> {
    let out = not_found_is_none(
        c.describe_user_pool_client()
            .user_pool_id(pool)
            .client_id(id)
            .send()
            .await
            .aws(),
    )?;
    Ok(out.is_some())
}

/// A user who signs in with `email`. With a `temporary` password nothing
/// is sent to them (the caller hands it over); without, Cognito e-mails
/// one. Either way the first sign-in must set a new password.
pub async fn add_user(
    c: &Client,
    pool: &str,
    email: &str,
    temporary: Option<&str>,
) -> Result<(), AwsError> {
    c.admin_create_user()
        .user_pool_id(pool)
        .username(email)
        .user_attributes(
            AttributeType::builder()
                .name("email")
                .value(email)
                .build()
                .expect("name set"),
        )
        .user_attributes(
            AttributeType::builder()
                .name("email_verified")
                .value("true")
                .build()
                .expect("name set"),
        )
        .set_temporary_password(temporary.map(str::to_owned))
        .set_message_action(temporary.map(|_| MessageActionType::Suppress))
        // By e-mail: AdminCreateUser's default medium is SMS, and our
        // users have no phone number.
        .set_desired_delivery_mediums(temporary.is_none().then(|| vec![DeliveryMediumType::Email]))
        .send()
        .await
        .aws()?;
    Ok(())
}

/// A user of the pool: e-mail, status (FORCE_CHANGE_PASSWORD until the
/// first sign-in, then CONFIRMED), whether enabled, when made.
#[derive(Debug, serde::Serialize)]
pub struct User {
    pub email: String,
    pub status: String,
    pub enabled: bool,
    pub created: Option<String>,
}

pub async fn users(c: &Client, pool: &str) -> Result<Vec<User>, AwsError> {
    let mut users = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = c
            .list_users()
            .user_pool_id(pool)
            .set_pagination_token(token.clone())
            .send()
            .await
            .aws()?;
        for u in page.users() {
            let email = u
                .attributes()
                .iter()
                .find(|a| a.name() == "email")
                .and_then(|a| a.value())
                .or(u.username())
                .unwrap_or_default()
                .to_owned();
            users.push(User {
                email,
                status: u
                    .user_status()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
                enabled: u.enabled(),
                created: u
                    .user_create_date()
                    .and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
            });
        }
        match page.pagination_token() {
            Some(t) if Some(t) != token.as_deref() => token = Some(t.to_owned()),
            _ => break,
        }
    }
    users.sort_by(|a, b| a.email.cmp(&b.email));
    Ok(users)
}

/// `Ok(false)`: there is no such user.
pub async fn remove_user(c: &Client, pool: &str, email: &str) -> Result<bool, AwsError> {
    let out = c
        .admin_delete_user()
        .user_pool_id(pool)
        .username(email)
        .send()
        .await
        .aws();
    match out {
        Ok(_) => Ok(true),
        Err(e) if e.code() == "UserNotFoundException" => Ok(false),
        Err(e) => Err(e),
    }
}

/// Who issues the pool's tokens: `https://cognito-idp.<region>.<domain>/<pool>`
/// (the `iss` claim, on AWS and in the emulator alike).
pub fn issuer(region: &str, dns_suffix: &str, pool: &str) -> String {
    format!("https://cognito-idp.{region}.{dns_suffix}/{pool}")
}

/// Where the pool's public keys are served: under the issuer on AWS,
/// under the endpoint when one is set (an emulator).
pub fn jwks_url(issuer: &str, endpoint: Option<&str>, pool: &str) -> String {
    match endpoint {
        Some(e) => format!("{}/{pool}/.well-known/jwks.json", e.trim_end_matches('/')),
        None => format!("{issuer}/.well-known/jwks.json"),
    }
}

/// The pool's public signing keys (its JWKS, compacted: it goes into the
/// function's environment, 4 KB in all). A new pool's keys may take a
/// moment to be served: four tries, 1, 2 and 4 s apart; `on_retry` hears
/// each pause.
pub async fn read_keys(
    url: &str,
    on_retry: impl Fn(std::time::Duration),
) -> Result<String, AwsError> {
    let mut delay = std::time::Duration::from_secs(1);
    for attempt in 1.. {
        let why = match fetch_jwks(url).await {
            Ok(doc) => match serde_json::from_str::<serde_json::Value>(&doc) {
                Ok(v) if v["keys"].as_array().is_some_and(|k| !k.is_empty()) => {
                    return Ok(v.to_string())
                }
                _ => AwsError::from_parts(
                    "JwksUnreadable",
                    &format!("GET {url} did not answer a JWKS with keys"),
                ),
            },
            Err(e) => e,
        };
        if attempt == 4 {
            return Err(why);
        }
        on_retry(delay);
        crate::aws::pause(delay).await;
        delay *= 2;
    }
    unreachable!("the loop returns")
}

/// The pool's JWKS document (public keys; no credentials are sent). A
/// pool's keys do not change while it lives, so this is read once.
pub async fn fetch_jwks(url: &str) -> Result<String, AwsError> {
    use http_body_util::{BodyExt, Empty, Limited};
    use hyper::body::Bytes;
    let failed =
        |why: String| AwsError::from_parts("JwksUnavailable", &format!("GET {url}: {why}"));
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(rustls::crypto::aws_lc_rs::default_provider())
        .map_err(|e| failed(format!("no TLS roots: {e}")))?
        .https_or_http()
        .enable_http1()
        .build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build::<_, Empty<Bytes>>(https);
    let uri: hyper::Uri = url.parse().map_err(|e| failed(format!("{e}")))?;
    let fetch = async {
        let res = client.get(uri).await.map_err(|e| failed(format!("{e}")))?;
        let status = res.status();
        // A JWKS is a few kilobytes; refuse anything far larger.
        let body = Limited::new(res.into_body(), 256 * 1024)
            .collect()
            .await
            .map_err(|e| failed(format!("reading the answer: {e}")))?
            .to_bytes();
        if !status.is_success() {
            return Err(failed(format!("HTTP {status}")));
        }
        String::from_utf8(body.to_vec()).map_err(|_| failed("the answer is not text".into()))
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), fetch)
        .await
        .map_err(|_| failed("no answer in 30 s".into()))?
}
