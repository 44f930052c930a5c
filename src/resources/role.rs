//! IAM roles with one inline policy each.
//! Calls: CreateRole, GetRole (also for its tags), ListRoles, PutRolePolicy, ListRolePolicies,
//! DeleteRolePolicy, ListAttachedRolePolicies, DetachRolePolicy, DeleteRole;
//! the `role_exists` waiter.

use std::time::Duration;

use aws_sdk_iam::client::Waiters;
use aws_sdk_iam::types::Tag;
use aws_sdk_iam::Client;

use crate::aws::{not_found_is_none, not_found_is_ok, AwsError, AwsResultExt};

pub const POLICY_NAME: &str = "photosky";
/// Every role photosky makes lives under this path, so that the deployer
/// policy can scope CreateRole, PutRolePolicy and PassRole to photosky's
/// roles (docs/deployer-policy.json) rather than to any role by its name.
pub const PATH: &str = "/photosky/";

/// The role's ARN, if it exists.
pub async fn find(iam: &Client, name: &str) -> Result<Option<String>, AwsError> {
    let out = not_found_is_none(iam.get_role().role_name(name).send().await.aws())?;
    Ok(out.and_then(|o| o.role().map(|r| r.arn().to_owned())))
}

/// The role's stack tag (GetRole returns its tags).
pub async fn stack_tag(iam: &Client, name: &str) -> Result<super::StackTag, AwsError> {
    let out = not_found_is_none(iam.get_role().role_name(name).send().await.aws())?;
    Ok(out.and_then(|o| {
        o.role()
            .map(|r| super::stack_tag(r.tags().iter().map(|t| (t.key(), t.value()))))
    }))
}

pub async fn create(
    iam: &Client,
    name: &str,
    trust: &str,
    stack: &str,
    description: &str,
) -> Result<String, AwsError> {
    let out = iam
        .create_role()
        .role_name(name)
        .path(PATH)
        .assume_role_policy_document(trust)
        .description(description)
        .tags(
            Tag::builder()
                .key(super::STACK_TAG)
                .value(stack)
                .build()
                .expect("key and value set"),
        )
        .send()
        .await
        .aws()?;
    Ok(out.role().map(|r| r.arn().to_owned()).unwrap_or_default())
}

/// IAM is eventually consistent: wait until GetRole sees the new role. (Other
/// services may refuse it for a while longer; their calls retry that.)
pub async fn wait_exists(iam: &Client, name: &str) -> Result<(), AwsError> {
    iam.wait_until_role_exists()
        .role_name(name)
        .wait(Duration::from_secs(60))
        .await
        .map(|_| ())
        .map_err(AwsError::waiter)
}

/// Replace who may assume the role.
pub async fn update_trust(iam: &Client, name: &str, trust: &str) -> Result<(), AwsError> {
    iam.update_assume_role_policy()
        .role_name(name)
        .policy_document(trust)
        .send()
        .await
        .aws()?;
    Ok(())
}

pub async fn put_policy(iam: &Client, role: &str, document: &str) -> Result<(), AwsError> {
    iam.put_role_policy()
        .role_name(role)
        .policy_name(POLICY_NAME)
        .policy_document(document)
        .send()
        .await
        .aws()?;
    Ok(())
}

/// Inline and attached policies go first: IAM refuses to delete a role that
/// has any (DeleteConflict).
pub async fn delete(iam: &Client, name: &str) -> Result<bool, AwsError> {
    let policies = match iam.list_role_policies().role_name(name).send().await.aws() {
        Ok(o) => o.policy_names().to_vec(),
        Err(e) if e.is_not_found() => return Ok(false),
        Err(e) => return Err(e),
    };
    for p in policies {
        not_found_is_ok(
            iam.delete_role_policy()
                .role_name(name)
                .policy_name(&p)
                .send()
                .await
                .aws(),
        )?;
    }
    if let Some(attached) = not_found_is_none(
        iam.list_attached_role_policies()
            .role_name(name)
            .send()
            .await
            .aws(),
    )? {
        for p in attached.attached_policies() {
            if let Some(arn) = p.policy_arn() {
                not_found_is_ok(
                    iam.detach_role_policy()
                        .role_name(name)
                        .policy_arn(arn)
                        .send()
                        .await
                        .aws(),
                )?;
            }
        }
    }
    not_found_is_ok(iam.delete_role().role_name(name).send().await.aws())
}

/// The name of every IAM role of the account (IAM is global).
pub async fn list_names(iam: &Client) -> Result<Vec<String>, AwsError> {
    let mut names = Vec::new();
    let mut pages = iam.list_roles().into_paginator().send();
    while let Some(page) = pages.next().await {
        names.extend(page.aws()?.roles().iter().map(|r| r.role_name().to_owned()));
    }
    Ok(names)
}
