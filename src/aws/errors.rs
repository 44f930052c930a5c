//! AWS errors reduced to what we match on and what the user must see: the
//! error code and message (from `ProvideErrorMetadata`, never `to_string()`,
//! whose `Display` for `SdkError` is only "service error"), plus the full
//! `DisplayErrorContext` chain for errors that have no code (network, DNS,
//! credentials).

use aws_credential_types::provider::error::CredentialsError;
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
    /// Why no request reached AWS, where that is known.
    pub unsent: Option<Unsent>,
    detail: String,
}

/// Why a call never got an answer from AWS: each says so in a line, not in
/// the SDK's dump (which `-v` still prints).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsent {
    /// The credential chain found none (or could not load them).
    NoCredentials,
    /// No connection: DNS, the network, a wrong endpoint.
    Unreachable,
    TimedOut,
}

impl Unsent {
    fn of<E>(err: &SdkError<E, HttpResponse>) -> Option<Unsent>
    where
        E: std::error::Error + 'static,
    {
        // The credential chain's error travels as the source of a dispatch
        // failure: found by type, anywhere in the chain.
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(s) = source {
            if s.downcast_ref::<CredentialsError>().is_some() {
                return Some(Unsent::NoCredentials);
            }
            source = s.source();
        }
        match err {
            SdkError::TimeoutError(_) => Some(Unsent::TimedOut),
            SdkError::DispatchFailure(d) if d.is_timeout() => Some(Unsent::TimedOut),
            SdkError::DispatchFailure(d) if d.is_io() => Some(Unsent::Unreachable),
            _ => None,
        }
    }
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
            unsent: Unsent::of(&err),
            detail: DisplayErrorContext(&err).to_string(),
        }
    }

    /// The SDK's whole account of the error (for `-v`).
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The user must act before anything can work: credentials missing,
    /// expired or refused, or a permission lacking.
    pub fn needs_the_user(&self) -> bool {
        self.unsent == Some(Unsent::NoCredentials)
            || self.status == Some(403) && self.code.is_none()
            || matches!(
                self.code(),
                "AccessDenied"
                    | "AccessDeniedException"
                    | "UnauthorizedOperation"
                    | "ExpiredToken"
                    | "ExpiredTokenException"
                    | "InvalidClientTokenId"
                    | "UnrecognizedClientException"
                    | "SignatureDoesNotMatch"
            )
    }

    /// For tests and for errors we make ourselves.
    pub fn from_parts(code: &str, message: &str) -> Self {
        AwsError {
            code: Some(code.into()),
            message: Some(message.into()),
            status: None,
            unsent: None,
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
        match self.unsent {
            Some(Unsent::NoCredentials) => return Some(NO_CREDENTIALS_HINT.into()),
            Some(Unsent::Unreachable | Unsent::TimedOut) => return Some(
                "check the network, and that the region exists (AWS_ENDPOINT_URL, if set, must point at AWS or an emulator); `photosky -v` shows the SDK's details".into(),
            ),
            None => {}
        }
        // No code: an answer without a body (S3's HEAD requests), by status.
        if self.code.is_none() {
            return match self.status {
                Some(403) => Some(format!(
                    "AWS refused access: the credentials in use lack a permission photosky needs, or the resource belongs to another account. {POLICY_HINT}"
                )),
                Some(s) if s >= 500 => Some("AWS had a problem answering; run the same command again".into()),
                _ => None,
            };
        }
        match self.code() {
            "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => Some(format!(
                "the credentials in use lack the permission named above. {POLICY_HINT}"
            )),
            "ExpiredToken" | "ExpiredTokenException" => {
                Some("your AWS credentials have expired: refresh them (`aws sso login`, or new keys) and run again".into())
            }
            "InvalidClientTokenId" | "UnrecognizedClientException" | "SignatureDoesNotMatch" => Some(
                "AWS does not know these credentials (deleted keys, or a typo): check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws configure`".into(),
            ),
            // StartBuild on an account whose CodeBuild quota is 0 (new
            // accounts): "Cannot have more than 0 builds in queue for the account".
            "AccountLimitExceededException" => Some(
                "this AWS account's CodeBuild quota allows no (more) builds; new accounts often start at 0.\n\
                 In the Service Quotas console, ask for AWS CodeBuild's \"Concurrently running builds for\n\
                 Linux/Medium environment\" to be raised (or ask AWS Support), then run `photosky up` again".into(),
            ),
            _ => None,
        }
    }
}

/// What to do when no credentials are found.
const NO_CREDENTIALS_HINT: &str = "run `aws configure` (or `aws sso login`), or set AWS_PROFILE (or pass --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; `photosky -v` shows where the SDK looked";

/// Where the permissions photosky needs are.
const POLICY_HINT: &str = "`photosky policy` prints the policy photosky needs (docs/deployer-policy.json); README.md, \"Using it with AWS\", shows how to attach it";

impl std::fmt::Display for AwsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.unsent {
            Some(Unsent::NoCredentials) => return write!(
                f,
                "no AWS credentials found (in the environment, the shared config and credentials files, SSO, or instance metadata)"
            ),
            Some(Unsent::Unreachable) => return write!(f, "could not reach AWS (no connection: network or DNS)"),
            Some(Unsent::TimedOut) => return write!(f, "AWS did not answer in time"),
            None => {}
        }
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

    /// A permission refused names the action (AWS's message does) and
    /// points at the policy to grant; the user must act: exit 2.
    #[test]
    fn access_denied_points_at_the_deployer_policy_and_exits_2() {
        let e = AwsError::from_parts(
            "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/ana is not authorized to perform: lambda:PutFunctionEventInvokeConfig",
        );
        assert!(e
            .to_string()
            .contains("lambda:PutFunctionEventInvokeConfig"));
        assert!(
            e.hint().unwrap().contains("`photosky policy`"),
            "{:?}",
            e.hint()
        );
        let err = Error::aws("setting the on-failure destination of", "f", e);
        assert_eq!(err.exit_code(), 2);
        let expired = AwsError::from_parts(
            "ExpiredToken",
            "The security token included in the request is expired",
        );
        assert!(expired.hint().unwrap().contains("expired"));
        assert_eq!(
            Error::aws("finding the AWS account", "r", expired).exit_code(),
            2
        );
        let throttled = AwsError::from_parts("ThrottlingException", "Rate exceeded");
        assert_eq!(Error::aws("x", "y", throttled).exit_code(), 1);
    }

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
