//! Step `user-pool-client`: the public app client the gallery signs in
//! with (no secret; password and refresh-token sign-in; its settings are
//! `resources::user_pool::CLIENT_SETTINGS`). It goes with the pool.
//! Records: `id` = the client id, `applied` = the settings' fingerprint.
//! Reads: `user-pool` (id).

use super::owner::Owner;
use super::{fingerprint, Cx, Deletion, Inspection, Outcome, StepErr};
use crate::error::Result;
use crate::plan::StepId;
use crate::resources::user_pool;
use crate::state::Record;

pub fn name(cx: &Cx<'_>) -> String {
    let base = &cx.names().api;
    match cx.own().and_then(|r| r.id) {
        Some(id) => format!("{base} ({id})"),
        None => base.clone(),
    }
}

pub async fn ensure(cx: &Cx<'_>) -> Result<Outcome> {
    let c = &cx.clients().cognito;
    let pool = cx.dep_id(StepId::UserPool)?;
    let fp = fingerprint(&[user_pool::CLIENT_SETTINGS]);
    if let Some(id) = cx.own().and_then(|r| r.id) {
        if user_pool::find_client(c, &pool, &id)
            .await
            .on(cx, "finding")?
        {
            if cx.applied().as_deref() == Some(fp.as_str()) {
                return Ok(Outcome::Exists);
            }
            // Made by an older photosky, with other settings.
            user_pool::update_client(c, &pool, &id, &cx.names().api)
                .await
                .on(cx, "updating")?;
            cx.record(Record {
                id: Some(id),
                applied: Some(fp),
                ..Default::default()
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
    cx.record(Record {
        id: Some(id),
        applied: Some(fp),
        ..Default::default()
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

/// Ours if the pool is.
pub async fn owner(_cx: &Cx<'_>) -> Result<Owner> {
    Ok(Owner::Parent(StepId::UserPool))
}

/// Goes with the pool.
pub async fn delete(cx: &Cx<'_>) -> Result<Deletion> {
    cx.deleted_with(StepId::UserPool)
}

pub async fn inspect(cx: &Cx<'_>) -> Result<Inspection> {
    let c = &cx.clients().cognito;
    let Some(pool) = cx.maybe_dep(StepId::UserPool)?.and_then(|r| r.id) else {
        return Ok(Inspection::found(cx, false));
    };
    let exists = match cx.own().and_then(|r| r.id) {
        Some(id) => user_pool::find_client(c, &pool, &id)
            .await
            .on(cx, "inspecting")?,
        None => false,
    };
    Ok(Inspection::found(cx, exists))
}
