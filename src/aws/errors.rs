//! AWS errors reduced to what we match on and what the user must see: the
//! error code and message (from `ProvideErrorMetadata`, never `to_string()`,
//! whose `Display` for `SdkError` is only "service error"), plus the full
//! `DisplayErrorContext` chain for errors that have no code (network, DNS,
//! credentials).

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_smithy_types::error::display::DisplayErrorContext;

use crate::error::Error;

#[derive(Debug, Clone)]
pub struct AwsError {
    pub code: Option<String>,
    pub message: Option<String>,
    detail: String,
}

/// Error codes that mean "there is no such thing", one per service we call.
const NOT_FOUND_CODES: &[&str] = &[
    "RepositoryNotFoundException", // ECR
    "ImageNotFoundException",      // ECR
    "NoSuchEntity",                // IAM
    "ResourceNotFoundException",   // CodeBuild, Lambda, Logs
    "NoSuchBucket",                // S3
    "NoSuchKey",                   // S3
    "NotFound",                    // S3 HeadBucket / HeadObject: a bare 404
    "NotFoundException",           // API Gateway
];

impl AwsError {
    pub fn new<E>(err: E) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        AwsError {
            code: err.code().map(str::to_owned),
            message: err.message().map(str::to_owned),
            detail: DisplayErrorContext(&err).to_string(),
        }
    }

    /// For tests and for errors we make ourselves.
    pub fn from_parts(code: &str, message: &str) -> Self {
        AwsError {
            code: Some(code.into()),
            message: Some(message.into()),
            detail: format!("{code}: {message}"),
        }
    }

    /// A waiter that gave up or failed: its whole cause chain, under one code.
    pub fn waiter(err: impl std::error::Error) -> Self {
        Self::from_parts("WaiterError", &DisplayErrorContext(&err).to_string())
    }

    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.message.as_deref().unwrap_or("")
    }

    pub fn is_not_found(&self) -> bool {
        NOT_FOUND_CODES.contains(&self.code())
    }

    pub fn is(&self, code: &str) -> bool {
        self.code() == code
    }

    pub fn hint(&self) -> Option<String> {
        match self.code() {
            "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => Some(
                "the credentials in use lack a permission photosky needs; README.md lists them".into(),
            ),
            "ExpiredToken" | "ExpiredTokenException" | "InvalidClientTokenId" | "UnrecognizedClientException" => {
                Some("refresh your AWS credentials (for example `aws sso login`) and run again".into())
            }
            // StartBuild on an account whose CodeBuild quota is 0 (new
            // accounts): "Cannot have more than 0 builds in queue for the account".
            "AccountLimitExceededException" => Some(
                "this AWS account's CodeBuild quota allows no (more) builds; new accounts often start at 0.\n\
                 In the Service Quotas console, ask for AWS CodeBuild's \"Concurrently running builds for\n\
                 Linux/Medium environment\" to be raised (or ask AWS Support), then run `photosky up` again".into(),
            ),
            "" if self.detail.contains("credentials") => Some(
                "no AWS credentials were found: set AWS_PROFILE or pass --profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY".into(),
            ),
            _ => None,
        }
    }
}

impl std::fmt::Display for AwsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, "{code}: {message}"),
            (Some(code), None) => write!(f, "{code}"),
            _ => write!(f, "{}", self.detail),
        }
    }
}

impl std::error::Error for AwsError {}

pub trait AwsResultExt<T> {
    /// Keep the error's code and message, drop the SDK's generic type.
    fn aws(self) -> Result<T, AwsError>;
}

impl<T, E> AwsResultExt<T> for Result<T, E>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    fn aws(self) -> Result<T, AwsError> {
        self.map_err(AwsError::new)
    }
}

pub trait AwsErrorResultExt<T> {
    /// Name the action and the resource: `creating ECR repository (photosky-ab12cd)`.
    fn ctx(self, action: &str, resource: &str) -> Result<T, Error>;
}

impl<T> AwsErrorResultExt<T> for Result<T, AwsError> {
    fn ctx(self, action: &str, resource: &str) -> Result<T, Error> {
        self.map_err(|e| Error::aws(action, resource, e))
    }
}

/// `Ok(None)` for a not-found error: the `find` half of a resource module.
pub fn not_found_is_none<T>(r: Result<T, AwsError>) -> Result<Option<T>, AwsError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// `Ok(false)` when the thing was already gone: the `delete` half.
pub fn not_found_is_ok<T>(r: Result<T, AwsError>) -> Result<bool, AwsError> {
    match r {
        Ok(_) => Ok(true),
        Err(e) if e.is_not_found() => Ok(false),
        Err(e) => Err(e),
    }
}
