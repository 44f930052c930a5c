//! Step `function`: the Lambda function, from the image by digest, waited for
//! until Active. On a re-run it updates the code when the digest changed and
//! the configuration when the settings did. S3 events that fail every retry
//! are recorded in the thumbnail bucket, under `aws/lambda/async/`, where
//! they expire after 30 days. A function idle for weeks is `Inactive` (the
//! next request wakes it): that is settled, not a fault.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::bucket::{DEST_BUCKET, SOURCE_BUCKET};
use super::image::IMAGE;
use super::log_group::FUNCTION_LOGS;
use super::owner::{self, Owner};
use super::repository::REPOSITORY;
use super::role::FUNCTION_ROLE;
use super::user_pool::USER_POOL;
use super::user_pool_client::USER_POOL_CLIENT;
use super::{fingerprint, Cx, Deletion, Inspection, ListedAs, Outcome, Recorded, Step, StepErr};
use crate::aws::{retry_propagation, AwsError, Backoff, Clients};
use crate::error::{Error, Result};
use crate::plan::StepRef;
use crate::resources::{function, user_pool};

pub struct Function;
pub const FUNCTION: Function = Function;

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub arn: String,
    /// A fingerprint of image, memory, timeout, the on-failure destination
    /// and the concurrency cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<String>,
}

impl Recorded for Function {
    type Record = Record;
}

/// The handler's environment; unless the stack is `--public`, with what it
/// checks sign-in tokens by.
fn environment(cx: &Cx<'_>) -> Result<Vec<(String, String)>> {
    let settings = &cx.stack.settings;
    let sign_in = if settings.public {
        None
    } else {
        let pool = cx.dep(&USER_POOL)?;
        let scope = &cx.stack.scope;
        Some(function::SignIn {
            issuer: user_pool::issuer(&scope.region, scope.dns_suffix(), &pool.id),
            client_id: cx.dep(&USER_POOL_CLIENT)?.id,
            jwks: pool.jwks.ok_or_else(|| {
                Error::Unexpected(
                    "the state file's `user-pool` record has no signing keys (jwks), which step `function` needs; run `photosky up` again to record them".into(),
                )
            })?,
        })
    };
    Ok(function::handler_environment(cx.names(), settings, sign_in))
}

/// Made, waited for until Active, adopted after a lost response.
async fn create(cx: &Cx<'_>, spec: &function::FunctionSpec<'_>) -> Result<String> {
    let lambda = &cx.clients().lambda;
    // A new execution role is refused for a few seconds.
    let made = retry_propagation(
        function::ROLE_PROPAGATION,
        Backoff::PROPAGATION,
        cx.retry_note("creating the function"),
        || function::create(lambda, spec),
    )
    .await;
    // Made by a create whose response was lost: with this spec.
    let arn = owner::created_or_found(cx, made, || async {
        Ok(function::find(lambda, spec.name).await?.map(|f| f.arn))
    })
    .await?;
    cx.note("waiting for it to be Active");
    function::wait_settled(lambda, spec.name, false).await?;
    Ok(arn)
}

#[async_trait(?Send)]
impl Step for Function {
    fn key(&self) -> &'static str {
        "function"
    }

    fn title(&self) -> &'static str {
        "Lambda function"
    }

    fn after(&self) -> &'static [StepRef] {
        &[
            &REPOSITORY,
            &IMAGE,
            &FUNCTION_ROLE,
            &SOURCE_BUCKET,
            &DEST_BUCKET,
            &FUNCTION_LOGS,
            &USER_POOL,
            &USER_POOL_CLIENT,
        ]
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        cx.names().function.clone()
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        let (lambda, name) = (&cx.clients().lambda, self.name(cx));
        let image_uri = format!("{}@{}", cx.dep(&REPOSITORY)?.uri, cx.dep(&IMAGE)?.digest);
        let role_arn = cx.dep(&FUNCTION_ROLE)?.arn;
        cx.dep(&SOURCE_BUCKET)?;
        // Its log group first: else Lambda makes it on the first write,
        // untagged and kept forever.
        cx.dep(&FUNCTION_LOGS)?;
        // Failed S3 events are kept in the thumbnail bucket, not dropped:
        // the role may write and list it, as Lambda checks (not so the
        // artifacts bucket, whose build sources become the image).
        let destination = cx.dep(&DEST_BUCKET)?.arn;
        let settings = &cx.stack.settings;
        let spec = function::FunctionSpec {
            name: &name,
            stack: &cx.stack.name,
            role_arn: &role_arn,
            image_uri: &image_uri,
            arch: settings.arch,
            memory_mb: settings.memory_mb,
            timeout_s: settings.timeout_s,
            environment: environment(cx)?,
        };
        let (arn, outcome) = match function::find(lambda, &name).await.on(cx, "finding")? {
            None => (create(cx, &spec).await?, Outcome::Created),
            Some(current) => {
                let note = |m: &str| cx.note(m);
                let changed = function::update(lambda, &current, &spec, note).await?;
                let outcome = match changed.is_empty() {
                    true => Outcome::Exists,
                    false => Outcome::Updated(changed.join(", ")),
                };
                (current.arn, outcome)
            }
        };
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
        let want = fp(&settings.max_concurrency.to_string());
        let applied = cx.own::<Record>().and_then(|r| r.applied);
        if outcome == Outcome::Exists && applied.as_deref() == Some(want.as_str()) {
            return Ok(outcome);
        }
        let cap = settings.max_concurrency;
        let note = cx.retry_note("setting where failed events go");
        let capped = function::put_limits(lambda, &name, &destination, cap, note).await?;
        if !capped {
            cx.stack.progress.line(format!(
                "warning: {name} is not capped at {cap} concurrent runs: the account's Lambda concurrency quota leaves too little unreserved (AWS lets a function reserve at most the account's unreserved concurrency minus 100, and new accounts often have 10 in all). Ask for more in Service Quotas (Lambda, Concurrent executions); the next `up` sets the cap."
            ));
        }
        // Recorded as it is: the next `up` tries the cap again.
        let got = if capped { want } else { fp("uncapped") };
        let outcome = outcome.reapplied(
            applied.as_deref().filter(|a| *a != got),
            false,
            "on-failure destination, concurrency",
        );
        cx.record(&Record {
            arn,
            applied: Some(got),
        })?;
        Ok(outcome)
    }

    /// Ours if it carries the stack's tag.
    async fn owner(&self, cx: &Cx<'_>) -> Result<Owner> {
        cx.tagged(function::stack_tag(&cx.clients().lambda, &self.name(cx)))
            .await
    }

    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        cx.deleted(function::delete(&cx.clients().lambda, &self.name(cx)))
            .await
    }

    /// Exists, its state (healthy when Active and the last update did not
    /// fail), memory, timeout and concurrency cap.
    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let lambda = &cx.clients().lambda;
        let f = function::find(lambda, &self.name(cx))
            .await
            .on(cx, "inspecting")?;
        let mut i = Inspection::found(cx, f.is_some());
        let Some(f) = f else { return Ok(i) };
        i.name = f.arn.clone();
        i.healthy = function::settled(&f, false) == function::Settled::Yes
            && f.last_update != Some(function::LastUpdateStatus::Failed);
        let cap = function::find_concurrency(lambda, &self.name(cx))
            .await
            .on(cx, "inspecting")?;
        let state = match &f.state {
            Some(function::State::Inactive) => "inactive: wakes on the next request",
            Some(s) => s.as_str(),
            None => "unknown",
        };
        let cap = match cap {
            Some(n) => format!("at most {n} at once"),
            None => "no concurrency cap".into(),
        };
        i.detail = Some(format!(
            "state {state}, {}, {} MB, {} s, {cap}",
            f.arch.map_or("unknown architecture", |a| a.as_str()),
            f.memory_mb.unwrap_or(0),
            f.timeout_s.unwrap_or(0),
        ));
        Ok(i)
    }

    fn listed_as(&self) -> Option<ListedAs> {
        Some(ListedAs::regional("Lambda function", "Lambda functions"))
    }

    async fn list_names(
        &self,
        clients: &Clients,
        _stack: Option<&str>,
    ) -> std::result::Result<Vec<String>, AwsError> {
        function::list_names(&clients.lambda).await
    }
}
