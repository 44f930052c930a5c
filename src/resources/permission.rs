//! Statements in a Lambda function's resource policy: who may invoke it (S3
//! for the upload trigger, API Gateway for the REST API).
//! Calls: GetPolicy, AddPermission, RemovePermission.

use aws_sdk_lambda::Client;

use crate::aws::{not_found_is_none, not_found_is_ok, AwsError, AwsResultExt};

/// Whether the function's resource policy has a statement `sid`.
pub async fn find(lambda: &Client, function: &str, sid: &str) -> Result<bool, AwsError> {
    let Some(out) = not_found_is_none(
        lambda
            .get_policy()
            .function_name(function)
            .send()
            .await
            .aws(),
    )?
    else {
        return Ok(false);
    };
    let policy: serde_json::Value =
        serde_json::from_str(out.policy().unwrap_or("{}")).unwrap_or_default();
    Ok(policy["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|s| s["Sid"] == sid))
}

pub struct PermissionSpec<'a> {
    pub function: &'a str,
    pub sid: &'a str,
    pub principal: &'a str,
    pub source_arn: &'a str,
    pub source_account: Option<&'a str>,
}

pub async fn create(lambda: &Client, p: &PermissionSpec<'_>) -> Result<(), AwsError> {
    let out = lambda
        .add_permission()
        .function_name(p.function)
        .statement_id(p.sid)
        .action("lambda:InvokeFunction")
        .principal(p.principal)
        .source_arn(p.source_arn)
        .set_source_account(p.source_account.map(str::to_owned))
        .send()
        .await
        .aws();
    match out {
        Ok(_) => Ok(()),
        // The statement is there already (a resumed run): nothing to do.
        Err(e) if e.is("ResourceConflictException") => Ok(()),
        Err(e) => Err(e),
    }
}

pub async fn delete(lambda: &Client, function: &str, sid: &str) -> Result<bool, AwsError> {
    not_found_is_ok(
        lambda
            .remove_permission()
            .function_name(function)
            .statement_id(sid)
            .send()
            .await
            .aws(),
    )
}
