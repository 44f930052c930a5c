//! Who and where we are: STS GetCallerIdentity, and the regions the account
//! may use (account:ListRegions).

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

/// The regions the account may use: enabled by default, or opted into
/// (account:ListRegions, every page).
pub async fn enabled_regions(account: &aws_sdk_account::Client) -> Result<Vec<String>, AwsError> {
    use aws_sdk_account::types::RegionOptStatus;
    let mut regions = Vec::new();
    let mut pages = account
        .list_regions()
        .region_opt_status_contains(RegionOptStatus::Enabled)
        .region_opt_status_contains(RegionOptStatus::EnabledByDefault)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.aws()?;
        regions.extend(
            page.regions()
                .iter()
                .filter_map(|r| r.region_name().map(str::to_owned)),
        );
    }
    Ok(regions)
}
