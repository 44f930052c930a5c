//! Statements in a Lambda function's resource policy: who may invoke it (S3
//! for the upload trigger, API Gateway for the REST API).
//! Calls: GetPolicy, AddPermission, RemovePermission.

use aws_sdk_lambda::Client;

use crate::aws::{not_found_is_none, not_found_is_ok, AwsError, AwsResultExt, Propagation};

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

/// AddPermission while the function's configuration or code is updating:
/// "The operation cannot be performed at this time. An update is in
/// progress for resource: ...". It passes once the update ends.
pub const UPDATING_FUNCTION: &[Propagation] = &[Propagation {
    code: "ResourceConflictException",
    message_contains: "update is in progress",
}];

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
        // AWS uses the same code for "the function is being updated": that
        // one is an error (UPDATING_FUNCTION retries it).
        Err(e) if e.is("ResourceConflictException") && e.message().contains("already exists") => {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Looked up first: the deployer policy allows RemovePermission only on a
/// function carrying the stack tag, and AWS authorises before it looks, so
/// on a function that is gone it answers AccessDenied, not NotFound. (The
/// other deletes need no such look: `steps::delete` skips what `owner`
/// found absent, but a permission's owner is its function.)
pub async fn delete(lambda: &Client, function: &str, sid: &str) -> Result<bool, AwsError> {
    if !find(lambda, function, sid).await? {
        return Ok(false);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::{retry_propagation, Backoff};
    use aws_sdk_lambda::operation::add_permission::AddPermissionOutput;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    const EXISTS: &str = r#"{"__type":"ResourceConflictException","message":"The statement id (photosky-s3) provided already exists. Please provide a new statement id, or remove the existing statement."}"#;
    const UPDATING: &str = r#"{"__type":"ResourceConflictException","message":"The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:eu-west-1:123456789012:function:photosky-abc123"}"#;

    fn spec() -> PermissionSpec<'static> {
        PermissionSpec {
            function: "photosky-abc123",
            sid: "photosky-s3",
            principal: "s3.amazonaws.com",
            source_arn: "arn:aws:s3:::photosky-abc123-source",
            source_account: Some("123456789012"),
        }
    }

    async fn add(responses: &[&'static str]) -> (Result<(), AwsError>, usize) {
        let mut rule = mock!(Client::add_permission).sequence();
        for body in responses {
            rule = rule.http_status(409, Some((*body).into()));
        }
        let rule = rule
            .output(|| AddPermissionOutput::builder().build())
            .build();
        let client = mock_client!(aws_sdk_lambda, RuleMode::Sequential, &[&rule]);
        let spec = spec();
        let result = retry_propagation(
            UPDATING_FUNCTION,
            Backoff::PROPAGATION,
            |_, _| {},
            || create(&client, &spec),
        )
        .await;
        (result, rule.num_calls())
    }

    #[tokio::test(start_paused = true)]
    async fn a_conflict_is_already_there_only_when_aws_says_so() {
        // The statement exists: done, without another call.
        let (result, calls) = add(&[EXISTS]).await;
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(calls, 1);
        // The function is updating: wait, then add it.
        let (result, calls) = add(&[UPDATING, UPDATING]).await;
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(calls, 3);
    }
}
