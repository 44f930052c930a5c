//! Step `user-pool`: the Cognito user pool whose users may sign in (e-mail
//! and password, made by `photosky user add`, no self sign-up), tagged in
//! its create call. Its app client is `user_pool_client.rs`.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::owner::{self, Owner};
use super::{Cx, Deletion, Inspection, ListedAs, Outcome, Recorded, Step, StepErr};
use crate::aws::{AwsError, Clients};
use crate::error::{Error, Result};
use crate::resources::user_pool;

pub struct UserPool;
pub const USER_POOL: UserPool = UserPool;

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    /// The pool id, recorded the moment CreateUserPool returns: pool names
    /// are not unique, the id is the only handle.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The pool's public signing keys (its JWKS document), which the
    /// function checks tokens with: read once, as they never change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<String>,
}

impl Recorded for UserPool {
    type Record = Record;
}

impl Record {
    /// The pool's ARN, which the step records before it ends.
    pub fn arn(&self) -> Result<&str> {
        self.arn.as_deref().ok_or_else(|| {
            Error::Unexpected(
                "the state file's `user-pool` record has no arn; run `photosky up` again to record it".into(),
            )
        })
    }
}

/// The recorded pool if it still exists, else one of ours found by name.
async fn find_pool(cx: &Cx<'_>, verb: &str) -> Result<Option<String>> {
    let c = &cx.clients().cognito;
    if let Some(Record { id, .. }) = cx.own() {
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

/// The pool's public signing keys, which the function checks tokens with.
async fn read_keys(cx: &Cx<'_>, pool: &str) -> Result<String> {
    let scope = &cx.stack.scope;
    let issuer = user_pool::issuer(&scope.region, scope.dns_suffix(), pool);
    let url = user_pool::jwks_url(&issuer, cx.clients().endpoint_url(), pool);
    let on_retry = |delay: Duration| {
        cx.note(format!(
            "the pool's keys are not served yet; trying again in {} s",
            delay.as_secs()
        ))
    };
    user_pool::read_keys(&url, on_retry)
        .await
        .on(cx, "reading the signing keys of")
}

#[async_trait(?Send)]
impl Step for UserPool {
    fn key(&self) -> &'static str {
        "user-pool"
    }

    fn title(&self) -> &'static str {
        "Cognito user pool"
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        let base = &cx.names().api;
        match cx.own::<Record>() {
            Some(r) => format!("{base} ({})", r.id),
            None => base.clone(),
        }
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        let (id, outcome) = match find_pool(cx, "finding").await? {
            Some(id) => (id, Outcome::Exists),
            None => {
                let id = create_pool(cx).await?;
                // The id first: it is the only handle on the pool.
                let (arn, jwks) = (None, None);
                cx.record(&Record {
                    id: id.clone(),
                    arn,
                    jwks,
                })?;
                (id, Outcome::Created)
            }
        };
        let own = cx.own::<Record>();
        if !own.is_some_and(|r| r.id == id && r.jwks.is_some() && r.arn.is_some()) {
            let jwks = read_keys(cx, &id).await?;
            cx.record(&Record {
                arn: Some(cx.stack.scope.arn("cognito-idp", &format!("userpool/{id}"))),
                id,
                jwks: Some(jwks),
            })?;
        }
        Ok(outcome)
    }

    /// The pool's tag (its client is ours if it is).
    async fn owner(&self, cx: &Cx<'_>) -> Result<Owner> {
        match find_pool(cx, "finding").await? {
            Some(id) => {
                cx.tagged(user_pool::stack_tag(&cx.clients().cognito, &id))
                    .await
            }
            None => Ok(Owner::Absent),
        }
    }

    /// Every pool of this name carrying the stack's tag (with its users
    /// and client): the recorded one, and any a lost create made.
    /// Untagged ones are not ours.
    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        let c = &cx.clients().cognito;
        let all = user_pool::find_all_by_name(c, &cx.names().api)
            .await
            .on(cx, "listing")?;
        owner::delete_tagged(cx, all, |id| async move { user_pool::delete(c, &id).await }).await
    }

    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let Some(Record { id: pool, .. }) = cx.own() else {
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

    fn listed_as(&self) -> Option<ListedAs> {
        Some(ListedAs::regional(
            "Cognito user pool",
            "Cognito user pools",
        ))
    }

    async fn list_names(
        &self,
        clients: &Clients,
        _stack: Option<&str>,
    ) -> std::result::Result<Vec<String>, AwsError> {
        let pools = user_pool::list(&clients.cognito).await?;
        Ok(pools.into_iter().map(|(_, name)| name).collect())
    }
}
