//! The source bucket's notification to the function: ObjectCreated under the
//! upload prefix (`find`, `create`, `delete`). Calls: PutBucketNotificationConfiguration,
//! GetBucketNotificationConfiguration.

use aws_sdk_s3::types::{
    Event, FilterRule, FilterRuleName, LambdaFunctionConfiguration, NotificationConfiguration,
    NotificationConfigurationFilter, S3KeyFilter,
};
use aws_sdk_s3::Client;

use crate::aws::{AwsError, AwsResultExt, Propagation};

pub const ID: &str = "photosky-thumbnails";

/// S3 checks that it may invoke the function; the permission just added
/// takes a moment to be visible to it.
pub const PERMISSION_PROPAGATION: &[Propagation] = &[Propagation {
    code: "InvalidArgument",
    message_contains: "Unable to validate the following destination configurations",
}];

/// The function ARN the notification targets, if ours is configured.
pub async fn find(s3: &Client, bucket: &str) -> Result<Option<String>, AwsError> {
    let out = match s3
        .get_bucket_notification_configuration()
        .bucket(bucket)
        .send()
        .await
        .aws()
    {
        Ok(o) => o,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(out
        .lambda_function_configurations()
        .iter()
        .find(|c| c.id() == Some(ID))
        .map(|c| c.lambda_function_arn().to_owned()))
}

pub async fn create(
    s3: &Client,
    bucket: &str,
    function_arn: &str,
    prefix: &str,
) -> Result<(), AwsError> {
    let filter = NotificationConfigurationFilter::builder()
        .key(
            S3KeyFilter::builder()
                .filter_rules(
                    FilterRule::builder()
                        .name(FilterRuleName::Prefix)
                        .value(prefix)
                        .build(),
                )
                .build(),
        )
        .build();
    let config = LambdaFunctionConfiguration::builder()
        .id(ID)
        .lambda_function_arn(function_arn)
        .events(Event::S3ObjectCreated)
        .filter(filter)
        .build()
        .expect("arn and events set");
    s3.put_bucket_notification_configuration()
        .bucket(bucket)
        .notification_configuration(
            NotificationConfiguration::builder()
                .lambda_function_configurations(config)
                .build(),
        )
        .send()
        .await
        .aws()?;
    Ok(())
}

/// An empty configuration removes ours; a missing bucket means it is gone.
pub async fn delete(s3: &Client, bucket: &str) -> Result<bool, AwsError> {
    if find(s3, bucket).await?.is_none() {
        return Ok(false);
    }
    s3.put_bucket_notification_configuration()
        .bucket(bucket)
        .notification_configuration(NotificationConfiguration::builder().build())
        .send()
        .await
        .aws()?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::{retry_propagation, Backoff};
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    #[tokio::test(start_paused = true)]
    async fn put_waits_until_s3_can_validate_the_function() {
        let body = "<Error><Code>InvalidArgument</Code><Message>Unable to validate the following destination configurations</Message><ArgumentName1>arn:aws:lambda:eu-west-1:123456789012:function:f</ArgumentName1></Error>";
        let rule = mock!(Client::put_bucket_notification_configuration)
            .sequence()
            .http_status(400, Some(body.into()))
            .times(2)
            .output(|| aws_sdk_s3::operation::put_bucket_notification_configuration::PutBucketNotificationConfigurationOutput::builder().build())
            .build();
        let client = mock_client!(aws_sdk_s3, RuleMode::Sequential, &[&rule]);
        retry_propagation(
            PERMISSION_PROPAGATION,
            Backoff::PROPAGATION,
            |_, _| {},
            || create(&client, "b", "arn:f", "uploads/"),
        )
        .await
        .unwrap();
        assert_eq!(rule.num_calls(), 3);
    }
}
