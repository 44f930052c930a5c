//! The SDK configuration and one client per service. Credentials, region and
//! `AWS_ENDPOINT_URL` resolve as for the AWS CLI; flags override them.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
}

#[derive(Clone)]
pub struct Clients {
    pub region: String,
    /// What the clients were made from: the same credentials and endpoint
    /// serve another region (`in_region`).
    config: SdkConfig,
    pub sts: aws_sdk_sts::Client,
    pub ecr: aws_sdk_ecr::Client,
    pub iam: aws_sdk_iam::Client,
    pub s3: aws_sdk_s3::Client,
    pub codebuild: aws_sdk_codebuild::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub apigateway: aws_sdk_apigateway::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub cognito: aws_sdk_cognitoidentityprovider::Client,
}

impl Clients {
    /// `None` when no region is configured anywhere.
    pub async fn connect(opts: &ConnectOptions) -> Option<Clients> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            // Throttling and transient 5xx are retried by the SDK; a deploy
            // makes bursts of control-plane calls, so allow more than the
            // default 3 attempts.
            .retry_config(RetryConfig::standard().with_max_attempts(6));
        if let Some(r) = &opts.region {
            loader = loader.region(Region::new(r.clone()));
        }
        if let Some(p) = &opts.profile {
            loader = loader.profile_name(p);
        }
        if let Some(u) = &opts.endpoint_url {
            loader = loader.endpoint_url(u);
        }
        let config = loader.load().await;
        Self::from_config(&config)
    }

    pub fn from_config(config: &SdkConfig) -> Option<Clients> {
        let region = config.region()?.to_string();
        let endpoint_url = config.endpoint_url().map(str::to_owned);
        // Emulators answer on an IP address, where virtual-hosted bucket
        // names cannot resolve.
        let s3_config = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(endpoint_url.is_some())
            .build();
        Some(Clients {
            region,
            config: config.clone(),
            sts: aws_sdk_sts::Client::new(config),
            ecr: aws_sdk_ecr::Client::new(config),
            iam: aws_sdk_iam::Client::new(config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            codebuild: aws_sdk_codebuild::Client::new(config),
            lambda: aws_sdk_lambda::Client::new(config),
            apigateway: aws_sdk_apigateway::Client::new(config),
            logs: aws_sdk_cloudwatchlogs::Client::new(config),
            cognito: aws_sdk_cognitoidentityprovider::Client::new(config),
        })
    }

    /// The same credentials and endpoint in `region`: credentials are
    /// resolved once, however many regions are asked.
    pub fn in_region(&self, region: &str) -> Clients {
        let config = self
            .config
            .to_builder()
            .region(Region::new(region.to_owned()))
            .build();
        Self::from_config(&config).expect("a region was just set")
    }

    /// The endpoint every client was pointed at (`AWS_ENDPOINT_URL`,
    /// `--endpoint-url`: an emulator), if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.config.endpoint_url()
    }

    /// The AWS Account API (ListRegions), which only `ls --all-regions` uses.
    pub fn account(&self) -> aws_sdk_account::Client {
        aws_sdk_account::Client::new(&self.config)
    }
}
