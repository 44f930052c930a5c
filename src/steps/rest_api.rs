//! Step `rest-api`: the API Gateway REST API (regional, resources `/`,
//! `/{proxy+}` and `/shared`). It is made without waiting for the function; only its
//! methods (`api_methods.rs`) need that, and its stage (`api_stage.rs`)
//! deploys them.
//!
//! Reads no other step.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::owner::{self, Owner};
use super::{fingerprint, Cx, Deletion, Inspection, ListedAs, Outcome, Recorded, Step, StepErr};
use crate::aws::{AwsError, Clients};
use crate::error::Result;
use crate::resources::api;

pub struct RestApi;
pub const REST_API: RestApi = RestApi;

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    /// The API id, recorded the moment CreateRestApi returns: it is the
    /// only handle on the API.
    pub id: String,
    /// The resources' fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<String>,
}

impl Recorded for RestApi {
    type Record = Record;
}

/// Bumped when the resources `api::create_resources` makes change.
const ROUTES: &str = "resources: /, /{proxy+} and /shared";

/// The recorded API if it still exists, else one of ours
/// found by name (a create whose response came back but was never recorded).
async fn find_api(cx: &Cx<'_>, verb: &str) -> Result<Option<String>> {
    let apigw = &cx.clients().apigateway;
    if let Some(Record { id, .. }) = cx.own() {
        if api::find(apigw, &id).await.on(cx, verb)? {
            return Ok(Some(id));
        }
    }
    api::find_by_name(apigw, &cx.names().api, &cx.stack.name)
        .await
        .on(cx, verb)
}

/// Never a second API (`owner::create_sent_once`); one found is adopted
/// only if it carries the stack's tag.
async fn create_api(cx: &Cx<'_>) -> Result<String> {
    let apigw = &cx.clients().apigateway;
    owner::create_sent_once(
        cx,
        "CreateRestApi",
        || api::create(apigw, &cx.names().api, &cx.stack.name),
        || async {
            owner::verify(cx, "adopt").await?;
            find_api(cx, "finding").await
        },
    )
    .await
}

#[async_trait(?Send)]
impl Step for RestApi {
    fn key(&self) -> &'static str {
        "rest-api"
    }

    fn title(&self) -> &'static str {
        "REST API"
    }

    fn name(&self, cx: &Cx<'_>) -> String {
        let api_name = &cx.names().api;
        match cx.own::<Record>() {
            Some(r) => format!("{api_name} ({})", r.id),
            None => api_name.clone(),
        }
    }

    async fn ensure(&self, cx: &Cx<'_>) -> Result<Outcome> {
        let apigw = &cx.clients().apigateway;
        let (api_id, outcome) = match find_api(cx, "finding").await? {
            Some(id) => (id, Outcome::Exists),
            None => {
                let id = create_api(cx).await?;
                let made = Record {
                    id: id.clone(),
                    applied: None,
                };
                cx.record(&made)?;
                (id, Outcome::Created)
            }
        };
        let fp = fingerprint(&[ROUTES]);
        let own = cx.own::<Record>();
        let applied = own.as_ref().and_then(|r| r.applied.clone());
        if own.is_some_and(|r| r.id == api_id) && applied.as_deref() == Some(fp.as_str()) {
            return Ok(outcome);
        }
        api::create_resources(apigw, &api_id)
            .await
            .on(cx, "configuring")?;
        cx.record(&Record {
            id: api_id,
            applied: Some(fp),
        })?;
        Ok(outcome.reapplied(applied.as_deref(), false, "routes"))
    }

    /// The API's tag (its methods and stage are ours if it is).
    async fn owner(&self, cx: &Cx<'_>) -> Result<Owner> {
        let Some(id) = find_api(cx, "finding").await? else {
            return Ok(Owner::Absent);
        };
        cx.tagged(api::stack_tag(&cx.clients().apigateway, &id))
            .await
    }

    /// Every API of this name carrying the stack's tag, with its methods
    /// and stage: the recorded one, and any an older photosky's retried
    /// create made. Untagged ones are not ours.
    async fn delete(&self, cx: &Cx<'_>) -> Result<Deletion> {
        let apigw = &cx.clients().apigateway;
        let all = api::find_all_by_name(apigw, &cx.names().api)
            .await
            .on(cx, "listing")?;
        owner::delete_tagged(cx, all, |id| async move { api::delete(apigw, &id).await }).await
    }

    async fn inspect(&self, cx: &Cx<'_>) -> Result<Inspection> {
        let Some(Record { id, .. }) = cx.own() else {
            return Ok(Inspection::found(cx, false));
        };
        let exists = api::find(&cx.clients().apigateway, &id)
            .await
            .on(cx, "inspecting")?;
        Ok(Inspection::found(cx, exists).detail(Some(api::url(&id, &cx.stack.scope))))
    }

    fn listed_as(&self) -> Option<ListedAs> {
        Some(ListedAs::regional("REST API", "REST APIs"))
    }

    async fn list_names(
        &self,
        clients: &Clients,
        _stack: Option<&str>,
    ) -> std::result::Result<Vec<String>, AwsError> {
        api::list_names(&clients.apigateway).await
    }
}
