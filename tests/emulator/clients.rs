//! SDK clients of the emulator, for the tests of both packages (included
//! with `#[path]` beside `launcher.rs`, as both `common` modules do): the
//! account's root credentials, an SDK config, and an S3 client as moto
//! needs it. Both packages depend on aws-config, aws-credential-types and
//! aws-sdk-s3 already.
#![allow(dead_code)]

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

/// The account's root: the emulator's `testing` keys, which `iam.py` lets
/// do anything. For setting up and looking, never for the code under test.
pub fn root() -> Credentials {
    Credentials::new("testing", "testing", None, None, "emulator root")
}

/// Every call to `endpoint` in `region` as `credentials`, with at most
/// `attempts` tries per call.
pub async fn config(
    endpoint: &str,
    region: &str,
    credentials: Credentials,
    attempts: u32,
) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .credentials_provider(credentials)
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(attempts))
        .load()
        .await
}

/// Path-style: the emulator's buckets are not host names.
pub fn s3(sdk: &SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(true)
            .build(),
    )
}
