//! Step `function`: the Lambda function, from the image by digest, waited for
//! until Active. On a re-run it updates the code when the digest changed and
//! the configuration when the settings did. Records: `arn`, and `applied` = a
//! fingerprint of image, memory, timeout and the on-failure destination (S3
//! events that fail every retry are recorded in the thumbnail bucket, under
//! `aws/lambda/async/`, where they expire after 30 days).
//! Unless the stack is `--public`, its environment names the user pool,
//! app client and the pool's keys, so the handler checks every token too.
//! A function idle for weeks is `Inactive` (AWS reclaimed its resources;
//! the next request wakes it): that is settled, not a fault.
//! Reads `repository` (URI), `image` (digest), `function-role` (ARN) and
//! `dest-bucket` (ARN, the destination), `user-pool` (id, keys) and
//! `user-pool-client` (id); the photo buckets are declared
//! because its environment names them, and `function-logs` so that `down`
//! deletes the log group after the function.

use super::owner::{self, Owner};
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::aws::{retry_propagation, Backoff};
use crate::error::{Error, Result};
use crate::plan::StepId;
use crate::resources::function;
use crate::state::Record;

/// Poll until the function is Active (and, `after_update`, its update
/// ended); a Failed state ends the wait with Lambda's reason.
async fn wait_settled(cx: &Cx<'_>, name: &str, after_update: bool) -> Result<()> {
    let lambda = &cx.clients().lambda;
    let what = if after_update {
        format!("the update of Lambda function {name} to end")
    } else {
        format!("Lambda function {name} to be Active")
    };
    crate::aws::poll(&what, function::SETTLE_POLL, || async {
        let f = function::find(lambda, name)
            .await
            .on(cx, "waiting for")?
            .ok_or_else(|| {
                Error::Unexpected(format!(
                    "Lambda function {name} was deleted while photosky waited for it"
                ))
            })?;
        match function::settled(&f, after_update) {
            function::Settled::Yes => Ok(Some(())),
            function::Settled::Not => Ok(None),
            function::Settled::Failed(why) => Err(Error::Unexpected(format!(
                "Lambda function {name} did not become ready ({why}); \
                 see its configuration in the Lambda console, then run `photosky up` again"
            ))),
        }
    })
    .await
}

pub fn name(cx: &Cx<'_>) -> String {
    cx.names().function.clone()
}

/// What the handler reads from its environment.
fn environment(cx: &Cx<'_>) -> Result<Vec<(String, String)>> {
    let (n, s) = (cx.names(), &cx.stack.settings);
    let mut env = vec![
        ("SOURCE_BUCKET".to_owned(), n.source_bucket.clone()),
        ("DEST_BUCKET".to_owned(), n.dest_bucket.clone()),
        ("UPLOAD_PREFIX".to_owned(), s.upload_prefix.clone()),
        ("CORS_ORIGINS".to_owned(), s.cors_origins.join(",")),
        // No invocation outlives the timeout: a claim to make thumbnails
        // older than that was left by one that died (handler/src/work.rs).
        ("WORK_LEASE_SECONDS".to_owned(), s.timeout_s.to_string()),
    ];
    // Only the pool's users may call the API: the handler checks their
    // tokens too (handler/src/auth.rs), behind API Gateway's authorizer.
    if !s.public {
        let pool = cx.dep(StepId::UserPool)?;
        let scope = &cx.stack.scope;
        let pool_id = cx.dep_id(StepId::UserPool)?;
        let jwks = pool.jwks.ok_or_else(|| {
            Error::Unexpected(
                "the state file's `user-pool` record has no signing keys (jwks), which step `function` needs; run `photosky up` again to record them".into(),
            )
        })?;
        env.extend([
            (
                "USER_POOL_ISSUER".to_owned(),
                crate::resources::user_pool::issuer(&scope.region, scope.dns_suffix(), &pool_id),
            ),
            (
                "USER_POOL_CLIENT_ID".to_owned(),
                cx.dep_id(StepId::UserPoolClient)?,
            ),
            ("USER_POOL_JWKS".to_owned(), jwks),
        ]);
    }
    env.sort();
    Ok(env)
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let (lambda, name) = (&cx.clients().lambda, name(cx));
    let digest = cx.dep_id(StepId::Image)?;
    let image_uri = format!("{}@{digest}", cx.dep_id(StepId::Repository)?);
    let role_arn = cx.dep_arn(StepId::FunctionRole)?;
    for bucket in [StepId::SourceBucket, StepId::DestBucket] {
        cx.dep(bucket)?;
    }
    let settings = &cx.stack.settings;
    let spec = function::FunctionSpec {
        name: &name,
        stack: &cx.stack.name,
        role_arn: &role_arn,
        image_uri: &image_uri,
        memory_mb: settings.memory_mb,
        timeout_s: settings.timeout_s,
        environment: environment(cx)?,
    };
    // Failed S3 events are kept in the thumbnail bucket, not dropped: the
    // role may write and list it, as Lambda checks (not so the artifacts
    // bucket, whose build sources become the image).
    let destination = cx.dep_arn(StepId::DestBucket)?;
    let (arn, mut outcome) = match function::find(lambda, &name).await.on(cx, "finding")? {
        None => {
            // A new execution role is refused for a few seconds.
            let made = retry_propagation(
                function::ROLE_PROPAGATION,
                Backoff::PROPAGATION,
                cx.retry_note("creating the function"),
                || function::create(lambda, &spec),
            )
            .await;
            // Made by a create whose response was lost: with this spec.
            let arn = owner::created_or_found(cx, made, || async {
                Ok(function::find(lambda, &name).await?.map(|f| f.arn))
            })
            .await?;
            cx.note("waiting for it to be Active");
            wait_settled(cx, &name, false).await?;
            (arn, Outcome::Created)
        }
        Some(current) => {
            let mut changed = Vec::new();
            if current.image_uri.as_deref() != Some(image_uri.as_str()) {
                cx.note(format!("updating to image {digest}"));
                function::update_code(lambda, &name, &image_uri)
                    .await
                    .on(cx, "updating the code of")?;
                wait_settled(cx, &name, true).await?;
                changed.push("image");
            }
            if current.memory_mb != Some(spec.memory_mb)
                || current.timeout_s != Some(spec.timeout_s)
                || current.environment != spec.environment
            {
                function::update_configuration(lambda, &spec)
                    .await
                    .on(cx, "updating the configuration of")?;
                wait_settled(cx, &name, true).await?;
                changed.push("configuration");
            }
            if changed.is_empty() && function::settled(&current, false) != function::Settled::Yes {
                wait_settled(cx, &name, false).await?;
            }
            let outcome = if changed.is_empty() {
                Outcome::Exists
            } else {
                Outcome::Updated(changed.join(", "))
            };
            (current.arn, outcome)
        }
    };
    let cap = settings.max_concurrency;
    let fp = |cap: &str| {
        fingerprint(&[
            &image_uri,
            &settings.memory_mb.to_string(),
            &settings.timeout_s.to_string(),
            &destination,
            &function::MAX_RETRIES.to_string(),
            &function::MAX_EVENT_AGE_S.to_string(),
            cap,
        ])
    };
    let want = fp(&cap.to_string());
    let applied = cx.applied();
    if outcome != Outcome::Exists || applied.as_deref() != Some(want.as_str()) {
        retry_propagation(
            function::DESTINATION_PROPAGATION,
            Backoff::PROPAGATION,
            cx.retry_note("setting where failed events go"),
            || function::put_failure_destination(lambda, &name, &destination),
        )
        .await
        .on(cx, "setting the on-failure destination of")?;
        let capped = function::put_concurrency(lambda, &name, cap)
            .await
            .on(cx, "reserving concurrency for")?;
        // Recorded as it is: the next `up` tries the cap again.
        let got = if capped { want } else { fp("uncapped") };
        if !capped {
            cx.stack.progress.line(format!(
                "warning: {} is not capped at {cap} concurrent runs: the account's Lambda concurrency quota leaves too little unreserved (AWS lets a function reserve at most the account's unreserved concurrency minus 100, and new accounts often have 10 in all). Ask for more in Service Quotas (Lambda, Concurrent executions); the next `up` sets the cap.",
                name
            ));
        }
        outcome = outcome.reapplied(
            applied.as_deref().filter(|a| *a != got),
            false,
            "on-failure destination, concurrency",
        );
        cx.record(Record {
            arn: Some(arn),
            id: None,
            applied: Some(got),
            ..Default::default()
        })?;
    }
    Ok(outcome)
}

/// Ours if it carries the stack's tag.
pub async fn owner(cx: &Cx<'_>) -> Result<Owner> {
    let tag = function::stack_tag(&cx.clients().lambda, &name(cx))
        .await
        .on(cx, "reading the tags of")?;
    Ok(Owner::from_tag(tag))
}

pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    let gone = function::delete(&cx.clients().lambda, &name(cx))
        .await
        .on(cx, "deleting")?;
    cx.gone(gone)
}

/// Exists, its state (healthy when Active and the last update did not
/// fail), memory and timeout.
pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let f = function::find(&cx.clients().lambda, &name(cx))
        .await
        .on(cx, "inspecting")?;
    let mut i = Inspection::found(cx, f.is_some());
    if let Some(f) = f {
        i.name = f.arn.clone();
        i.healthy = function::settled(&f, false) == function::Settled::Yes
            && f.last_update.as_deref() != Some("Failed");
        let cap = function::find_concurrency(&cx.clients().lambda, &name(cx))
            .await
            .on(cx, "inspecting")?;
        let state = match f.state.as_deref() {
            Some("Inactive") => "inactive: wakes on the next request",
            Some(s) => s,
            None => "unknown",
        };
        i.detail = Some(format!(
            "state {state}, {} MB, {} s, {}",
            f.memory_mb.unwrap_or(0),
            f.timeout_s.unwrap_or(0),
            match cap {
                Some(n) => format!("at most {n} at once"),
                None => "no concurrency cap".into(),
            }
        ));
    }
    Ok(i)
}
