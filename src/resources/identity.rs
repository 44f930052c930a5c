//! Who and where we are: STS GetCallerIdentity.

use crate::aws::{AwsError, AwsResultExt};

#[derive(Debug, Clone)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub partition: String,
}

pub async fn find(sts: &aws_sdk_sts::Client) -> Result<Identity, AwsError> {
    let out = sts.get_caller_identity().send().await.aws()?;
    let arn = out.arn().unwrap_or_default().to_owned();
    // arn:<partition>:sts::<account>:...
    let partition = arn
        .split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_owned();
    Ok(Identity {
        account: out.account().unwrap_or_default().to_owned(),
        arn,
        partition,
    })
}
