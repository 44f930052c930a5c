//! AWS errors reduced to what we match on and what the user must see: the
//! error code and message (from `ProvideErrorMetadata`, never `to_string()`,
//! whose `Display` for `SdkError` is only "service error"), plus the full
//! `DisplayErrorContext` chain for errors that have no code (network, DNS,
//! credentials).

use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_types::error::display::DisplayErrorContext;

use crate::error::Error;

#[derive(Debug, Clone)]
pub struct AwsError {
    pub code: Option<String>,
    pub message: Option<String>,
    /// The HTTP status AWS answered with, when it answered.
    pub status: Option<u16>,
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
    pub fn new<E>(err: SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        AwsError {
            code: err.code().map(str::to_owned),
            message: err.message().map(str::to_owned),
            status: err.raw_response().map(|r| r.status().as_u16()),
            detail: DisplayErrorContext(&err).to_string(),
        }
    }

    /// For tests and for errors we make ourselves.
    pub fn from_parts(code: &str, message: &str) -> Self {
        AwsError {
            code: Some(code.into()),
            message: Some(message.into()),
            status: None,
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

    /// No answer (a dropped connection, a timeout), a server error or
    /// throttling: the request may or may not have been carried out.
    pub fn is_transient(&self) -> bool {
        match self.status {
            None => self.code.is_none(),
            Some(s) => s >= 500 || s == 429,
        }
    }

    /// A create refused because the thing exists: after a lost response,
    /// the SDK's retry of our own create meets it. Lambda says so with the
    /// code it also uses for "being updated", so its message decides.
    pub fn is_already_exists(&self) -> bool {
        match self.code() {
            "EntityAlreadyExists"                    // IAM
            | "RepositoryAlreadyExistsException"     // ECR
            | "ResourceAlreadyExistsException"       // CodeBuild, Logs
            | "BucketAlreadyOwnedByYou" => true,     // S3
            "ResourceConflictException" => self.message().contains("already exist"), // Lambda
            _ => false,
        }
    }

    pub fn is(&self, code: &str) -> bool {
        self.code() == code
    }

    pub fn hint(&self) -> Option<String> {
        // No code: an answer without a body (S3's HEAD requests), by status.
        if self.code.is_none() {
            return match self.status {
                Some(403) => Some(
                    "AWS refused access: the credentials in use lack a permission photosky needs (README.md lists them), or the resource belongs to another account".into(),
                ),
                Some(s) if s >= 500 => Some("AWS had a problem answering; run the same command again".into()),
                _ => None,
            };
        }
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
        match (&self.code, &self.message, self.status) {
            (Some(code), Some(message), _) => write!(f, "{code}: {message}"),
            (Some(code), None, _) => write!(f, "{code}"),
            // AWS answered, with no error body: say what the status means,
            // not the SDK's dump of the raw response.
            (None, _, Some(status)) => write!(f, "HTTP {status} {}", meaning(status)),
            _ => write!(f, "{}", self.detail),
        }
    }
}

impl std::error::Error for AwsError {}

/// What an HTTP status means, for an error AWS sent without a body.
fn meaning(status: u16) -> &'static str {
    match status {
        400 => "Bad Request (AWS refused the request)",
        401 => "Unauthorized (the request's signature was refused)",
        403 => "Forbidden (access denied)",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests (throttled)",
        500 => "Internal Server Error (on AWS's side)",
        503 => "Service Unavailable (on AWS's side)",
        _ => "(no error details in AWS's answer)",
    }
}

pub trait AwsResultExt<T> {
    /// Keep the error's code and message, drop the SDK's generic type.
    fn aws(self) -> Result<T, AwsError>;
}

impl<T, E> AwsResultExt<T> for Result<T, SdkError<E, HttpResponse>>
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

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::Client;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    /// S3 answers HEAD requests without a body: a bare 403 must read as
    /// what it is, with a hint, not as the SDK's dump of the response.
    #[tokio::test]
    async fn a_bodiless_403_says_access_denied_with_a_hint() {
        let rule = mock!(Client::head_object)
            .sequence()
            .http_status(403, None)
            .build();
        let client = mock_client!(aws_sdk_s3, RuleMode::Sequential, &[&rule]);
        let e = client
            .head_object()
            .bucket("b")
            .key("k")
            .send()
            .await
            .aws()
            .unwrap_err();
        assert_eq!(e.to_string(), "HTTP 403 Forbidden (access denied)");
        assert!(
            e.hint().unwrap().contains("lack a permission"),
            "{:?}",
            e.hint()
        );
        assert!(!e.to_string().contains("Response"), "{e}");
    }
}
