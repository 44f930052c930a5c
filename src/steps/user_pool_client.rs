//! Step `user-pool-client`: the public app client the gallery signs in
//! with (no secret; password and refresh-token sign-in; its settings are
//! `resources::user_pool::CLIENT_SETTINGS`). It goes with the pool.
//! Reads: `user-pool` (id).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::owner::Owner;
use super::user_pool::USER_POOL;
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, Recorded, Step, StepErr};
use crate::error::Result;
use crate::plan::StepRef;
use crate::resources::user_pool;

pub struct UserPoolClient;
pub const USER_POOL_CLIENT: UserPoolClient = UserPoolClient;

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    /// The client id.
    pub id: String,
    /// The settings' fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<String>,
}

impl Recorded for UserPoolClient {
    type Record = Record;
}

async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let c = &cx.clients().cognito;
    let pool = cx.dep(&USER_POOL)?.id;
    let fp = fingerprint(&[user_pool::CLIENT_SETTINGS]);
    if let Some(Record { id, applied }) = cx.own() {
        if user_pool::find_client(c, &pool, &id)
            .await
            .on(cx, "finding")?
        {
            if applied.as_deref() == Some(fp.as_str()) {
                return Ok(Outcome::Exists);
            }
            // Made by an older photosky, with other settings.
            user_pool::update_client(c, &pool, &id, &cx.names().api)
                .await
                .on(cx, "updating")?;
            cx.record(&Record {
                id,
                applied: Some(fp),
            })?;
            return Ok(Outcome::Updated("sign-in settings".into()));
        }
    }
    // Found by name: made by a create whose response was lost, or whose id
    // was not recorded.
    let name = &cx.names().api;
    let found = user_pool::find_client_by_name(c, &pool, name)
        .await
        .on(cx, "finding")?;
    let (id, outcome) = match found {
        Some(id) => {
            user_pool::update_client(c, &pool, &id, name)
                .await
                .on(cx, "updating")?;
            (id, Outcome::Exists)
        }
        None => (create_client(cx, &pool).await?, Outcome::Created),
    };
    cx.record(&Record {
        id,
        applied: Some(fp),
    })?;
    Ok(outcome)
}

/// Once, and after no answer once more if the pool shows no client of
/// this name: client names are not unique either.
async fn create_client(cx: &Cx<'_>, pool: &str) -> Result<String> {
    let (c, name) = (&cx.clients().cognito, &cx.names().api);
    Ok(match user_pool::create_client(c, pool, name).await {
        Ok(id) => id,
        Err(e) if e.is_transient() => {
            cx.note("no answer to CreateUserPoolClient: looking for it before trying again");
            match user_pool::find_client_by_name(c, pool, name)
                .await
                .on(cx, "finding")?
            {
                Some(id) => id,
                None => user_pool::create_client(c, pool, name)
                    .await
                    .on(cx, "creating")?,
            }
        }
        Err(e) => return Err(cx.error("creating", e)),
    })
}

async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let c = &cx.clients().cognito;
    let Some(pool) = cx.maybe_dep(&USER_POOL)?.map(|r| r.id) else {
        return Ok(Inspection::found(cx, false));
    };
    let exists = match cx.own::<Record>() {
        Some(Record { id, .. }) => user_pool::find_client(c, &pool, &id)
            .await
            .on(cx, "inspecting")?,
        None => false,
    };
    Ok(Inspection::found(cx, exists))
}

#[async_trait(?Send)]
impl Step for UserPoolClient {
    fn key(&self) -> &'static str {
        "user-pool-client"
    }

    fn title(&self) -> &'static str {
        "user pool app client"
    }

    fn after(&self) -> &'static [StepRef] {
        &[&USER_POOL]
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        let base = &cx.names().api;
        match cx.own::<Record>() {
            Some(r) => format!("{base} ({})", r.id),
            None => base.clone(),
        }
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        ensure(cx).await
    }

    /// Ours if the pool is.
    async fn owner(&self, _cx: &Cx<'_>) -> Result<Owner> {
        Ok(Owner::Parent(&USER_POOL))
    }

    /// Goes with the pool.
    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        cx.deleted_with(&USER_POOL)
    }

    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        inspect(cx).await
    }
}
