//! Step `user-pool`: the Cognito user pool whose users may sign in (e-mail
//! and password, made by `photosky user add`, no self sign-up), tagged in
//! its create call. Its app client is `user_pool_client.rs`.
//!
//! Records: `id` = the pool id (recorded the moment CreateUserPool returns:
//! pool names are not unique, the id is the only handle), `arn`, `jwks` =
//! the pool's public signing keys (the function checks tokens with them).
//! Reads no other step.

use std::time::Duration;

use super::owner::{self, Owner};
use super::{Cx, Deletion, Inspection, Outcome, StepErr};
use crate::aws::pause;
use crate::error::Result;
use crate::resources::user_pool;
use crate::state::Record;

pub fn name(cx: &Cx<'_>) -> String {
    let base = &cx.names().api;
    match cx.own().and_then(|r| r.id) {
        Some(id) => format!("{base} ({id})"),
        None => base.clone(),
    }
}

/// The recorded pool if it still exists, else one of ours found by name.
async fn find_pool(cx: &Cx<'_>, verb: &str) -> Result<Option<String>> {
    let c = &cx.clients().cognito;
    if let Some(id) = cx.own().and_then(|r| r.id) {
        if user_pool::find(c, &id).await.on(cx, verb)? {
            return Ok(Some(id));
        }
    }
    user_pool::find_by_name(c, &cx.names().api, &cx.stack.name)
        .await
        .on(cx, verb)
}

/// Never a second pool (`owner::create_sent_once`).
async fn create_pool(cx: &Cx<'_>) -> Result<String> {
    let c = &cx.clients().cognito;
    owner::create_sent_once(
        cx,
        "CreateUserPool",
        || user_pool::create(c, &cx.names().api, &cx.stack.name),
        || find_pool(cx, "finding"),
    )
    .await
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let (id, outcome) = match find_pool(cx, "finding").await? {
        Some(id) => (id, Outcome::Exists),
        None => {
            let id = create_pool(cx).await?;
            // The id first: it is the only handle on the pool.
            cx.record(Record {
                id: Some(id.clone()),
                ..Default::default()
            })?;
            (id, Outcome::Created)
        }
    };
    let own = cx.own().unwrap_or_default();
    if own.id.as_deref() != Some(id.as_str()) || own.jwks.is_none() || own.arn.is_none() {
        let scope = &cx.stack.scope;
        let jwks = read_keys(cx, &id).await?;
        cx.record(Record {
            arn: Some(scope.arn("cognito-idp", &format!("userpool/{id}"))),
            id: Some(id),
            jwks: Some(jwks),
            ..Default::default()
        })?;
    }
    Ok(outcome)
}

/// The pool's public signing keys (its JWKS, compacted: it goes into the
/// function's environment, 4 KB in all). A new pool's keys may take a
/// moment to be served: a few tries.
async fn read_keys(cx: &Cx<'_>, pool: &str) -> Result<String> {
    let scope = &cx.stack.scope;
    let issuer = user_pool::issuer(&scope.region, scope.dns_suffix(), pool);
    let url = user_pool::jwks_url(&issuer, cx.clients().endpoint_url(), pool);
    let mut delay = Duration::from_secs(1);
    for attempt in 1.. {
        let why = match user_pool::fetch_jwks(&url).await {
            Ok(doc) => match serde_json::from_str::<serde_json::Value>(&doc) {
                Ok(v) if v["keys"].as_array().is_some_and(|k| !k.is_empty()) => {
                    return Ok(v.to_string())
                }
                _ => crate::aws::AwsError::from_parts(
                    "JwksUnreadable",
                    &format!("GET {url} did not answer a JWKS with keys"),
                ),
            },
            Err(e) => e,
        };
        if attempt == 4 {
            return Err(cx.error("reading the signing keys of", why));
        }
        cx.note(format!(
            "the pool's keys are not served yet; trying again in {} s",
            delay.as_secs()
        ));
        pause(delay).await;
        delay *= 2;
    }
    unreachable!("the loop returns")
}

/// The pool's tag (its client is ours if it is).
pub async fn owner(cx: &Cx<'_>) -> Result<Owner> {
    let Some(id) = find_pool(cx, "finding").await? else {
        return Ok(Owner::Absent);
    };
    let tag = user_pool::stack_tag(&cx.clients().cognito, &id)
        .await
        .on(cx, "reading the tags of")?;
    Ok(Owner::from_tag(tag))
}

/// The pool with its users and client; any other pool of this name and
/// tag (a lost create's) too. Untagged ones are not ours.
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let c = &cx.clients().cognito;
    let mut gone = match find_pool(cx, "deleting").await? {
        Some(id) => user_pool::delete(c, &id).await.on(cx, "deleting")?,
        None => false,
    };
    for (id, tag) in user_pool::find_all_by_name(c, &cx.names().api)
        .await
        .on(cx, "listing")?
    {
        if tag.as_deref() == Some(cx.stack.name.as_str()) {
            cx.note(format!("deleting a second pool of this name ({id})"));
            gone |= user_pool::delete(c, &id).await.on(cx, "deleting")?;
        }
    }
    cx.gone(gone)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let Some(pool) = cx.own().and_then(|r| r.id) else {
        return Ok(Inspection::found(cx, false));
    };
    let users = user_pool::user_count(&cx.clients().cognito, &pool)
        .await
        .on(cx, "inspecting")?;
    let detail = users.map(|n| match n {
        0 => "no users: nobody can sign in yet (`photosky user add EMAIL`)".to_owned(),
        1 => "1 user".to_owned(),
        n => format!("{n} users"),
    });
    Ok(Inspection::found(cx, users.is_some()).detail(detail))
}
