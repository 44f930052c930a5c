//! The IAM and bucket policy documents of a stack: pure functions of its
//! names, so their least privilege can be read and tested in one place.

use serde_json::json;
#[cfg(test)]
use serde_json::Value;

use crate::state::Names;

/// Where a stack lives: `arn:<partition>:<service>:<region>:<account>:...`.
#[derive(Debug, Clone)]
pub struct Scope {
    pub partition: String,
    pub region: String,
    pub account: String,
}

impl Scope {
    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{resource}",
            self.partition, self.region, self.account
        )
    }
    pub fn bucket_arn(&self, bucket: &str) -> String {
        format!("arn:{}:s3:::{bucket}", self.partition)
    }
    pub fn log_group_arn(&self, group: &str) -> String {
        self.arn("logs", &format!("log-group:{group}"))
    }

    /// The partition's DNS suffix for service endpoints (execute-api, ...).
    pub fn dns_suffix(&self) -> &'static str {
        match self.partition.as_str() {
            "aws-cn" => "amazonaws.com.cn",
            "aws-iso" => "c2s.ic.gov",
            "aws-iso-b" => "sc2s.sgov.gov",
            _ => "amazonaws.com",
        }
    }

    /// The console's host for this partition and region.
    pub fn console_host(&self) -> String {
        match self.partition.as_str() {
            "aws-cn" => "console.amazonaws.cn".into(),
            "aws-us-gov" => "console.amazonaws-us-gov.com".into(),
            _ => format!("{}.console.aws.amazon.com", self.region),
        }
    }
}

pub const SOURCE_PREFIX: &str = "source/";
/// Where Lambda writes the records of S3 events the function failed on
/// (its on-failure destination): `aws/lambda/async/<function>/...`.
pub const FAILED_EVENTS_PREFIX: &str = "aws/lambda/async/";

/// Who may assume a role: the service, and for CodeBuild only on behalf of
/// this account's project (the confused-deputy conditions CodeBuild's guide
/// gives for a service role: aws:SourceAccount and aws:SourceArn). Lambda's
/// execution role gets none: whether Lambda sets those keys when it assumes
/// the role is not documented, and a condition on a key that is absent
/// denies, which would stop every function.
pub fn trust(service: &str, codebuild_project: Option<(&Scope, &str)>) -> String {
    let mut statement = json!({
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole"
    });
    if let Some((scope, project)) = codebuild_project {
        statement["Condition"] = json!({
            "StringEquals": {"aws:SourceAccount": scope.account},
            "ArnLike": {"aws:SourceArn": scope.arn("codebuild", &format!("project/{project}"))}
        });
    }
    json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()
}

/// CodeBuild: write its own log group, push to this one repository, log in
/// to ECR Public for the base image, read the build sources. The login
/// actions have no resource-level scope.
pub fn build_role(scope: &Scope, names: &Names) -> String {
    let group = scope.log_group_arn(&format!("/aws/codebuild/{}", names.project));
    let repo = scope.arn("ecr", &format!("repository/{}", names.repository));
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Logs", "Effect": "Allow",
             "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": [group.clone(), format!("{group}:*")]},
            {"Sid": "EcrLogin", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            // Pulls from public.ecr.aws as this role, not anonymously: anonymous
            // pulls share CodeBuild's IPs and their 1-per-second limit. Neither
            // action has a resource-level scope; the token is for ECR Public only.
            {"Sid": "EcrPublicLogin", "Effect": "Allow", "Action": "ecr-public:GetAuthorizationToken", "Resource": "*"},
            {"Sid": "EcrPublicToken", "Effect": "Allow", "Action": "sts:GetServiceBearerToken", "Resource": "*",
             "Condition": {"StringEquals": {"sts:AWSServiceName": "ecr-public.amazonaws.com"}}},
            {"Sid": "EcrPush", "Effect": "Allow",
             "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
                        "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"],
             "Resource": repo},
            {"Sid": "Source", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
             "Resource": format!("{}/{SOURCE_PREFIX}*", scope.bucket_arn(&names.artifacts_bucket))}
        ]
    })
    .to_string()
}

/// The function: read (and, for the photo API, list and delete) uploads,
/// write and delete thumbnails, write its own log group.
///
/// Both buckets may be listed without a prefix condition. S3 answers a
/// GetObject of a missing key with 403, not 404, to a caller that may not
/// list the bucket (a photo deleted before its event was handled would be
/// a transient failure, retried); and Lambda checks, when given the
/// thumbnail bucket as the on-failure destination, that the role may
/// `s3:PutObject` and `s3:ListBucket` there, with no request context for
/// a condition to match. The upload bucket holds nothing but uploads; the
/// thumbnail bucket holds thumbnails and those records. Neither is the
/// artifacts bucket, whose build sources become the image.
pub fn function_role(scope: &Scope, names: &Names, upload_prefix: &str) -> String {
    let group = scope.log_group_arn(&format!("/aws/lambda/{}", names.function));
    let source = scope.bucket_arn(&names.source_bucket);
    let dest = scope.bucket_arn(&names.dest_bucket);
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Logs", "Effect": "Allow",
             "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": [group.clone(), format!("{group}:*")]},
            {"Sid": "ReadUploads", "Effect": "Allow",
             "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
             "Resource": format!("{source}/{upload_prefix}*")},
            {"Sid": "ListUploads", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": source},
            // Undo a delete: find the photo's delete marker and remove it.
            // (Removing any version is what s3:DeleteObjectVersion allows;
            // the function removes only delete markers.)
            {"Sid": "RestoreUploads", "Effect": "Allow", "Action": "s3:DeleteObjectVersion",
             "Resource": format!("{source}/{upload_prefix}*")},
            {"Sid": "ListUploadVersions", "Effect": "Allow", "Action": "s3:ListBucketVersions",
             "Resource": source.clone()},
            // Thumbnails, and (written by Lambda as this role) the records
            // of S3 events that failed every retry, under
            // FAILED_EVENTS_PREFIX.
            {"Sid": "WriteThumbnails", "Effect": "Allow",
             "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
             "Resource": format!("{dest}/*")},
            {"Sid": "ListThumbnails", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": dest}
        ]
    })
    .to_string()
}

/// Every bucket refuses requests that are not over TLS.
pub fn bucket_tls_only(scope: &Scope, bucket: &str) -> String {
    let arn = scope.bucket_arn(bucket);
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [arn.clone(), format!("{arn}/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }]
    })
    .to_string()
}

/// Resources named in a policy, for tests and reviews.
#[cfg(test)]
pub fn resources_of(doc: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(doc).expect("policy JSON");
    let mut out = Vec::new();
    for st in v["Statement"].as_array().into_iter().flatten() {
        match &st["Resource"] {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => out.extend(a.iter().filter_map(|r| r.as_str().map(str::to_owned))),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, SeedableRng};

    fn fixture() -> (Scope, Names) {
        let scope = Scope {
            partition: "aws".into(),
            region: "eu-west-1".into(),
            account: "123456789012".into(),
        };
        (
            scope,
            Names::generate("demo", &mut StdRng::seed_from_u64(3)),
        )
    }

    #[test]
    fn endpoints_and_console_follow_the_partition() {
        let at = |partition: &str, region: &str| Scope {
            partition: partition.into(),
            region: region.into(),
            account: "123456789012".into(),
        };
        let cn = at("aws-cn", "cn-north-1");
        assert_eq!(
            crate::resources::api::url("abc", &cn),
            "https://abc.execute-api.cn-north-1.amazonaws.com.cn/prod/"
        );
        assert!(crate::resources::codebuild::console_url(&cn, "p", "p:1")
            .starts_with("https://console.amazonaws.cn/codesuite/codebuild/123456789012/projects/p/build/p%3A1/"));
        let gov = at("aws-us-gov", "us-gov-west-1");
        assert_eq!(
            crate::resources::api::url("abc", &gov),
            "https://abc.execute-api.us-gov-west-1.amazonaws.com/prod/"
        );
        assert!(crate::resources::codebuild::console_url(&gov, "p", "p:1")
            .starts_with("https://console.amazonaws-us-gov.com/"));
        assert!(
            crate::resources::codebuild::console_url(&at("aws", "eu-west-1"), "p", "p:1")
                .starts_with("https://eu-west-1.console.aws.amazon.com/")
        );
    }

    #[test]
    fn codebuild_may_assume_the_build_role_only_for_this_accounts_project() {
        let (scope, names) = fixture();
        let v: Value = serde_json::from_str(&trust(
            "codebuild.amazonaws.com",
            Some((&scope, &names.project)),
        ))
        .unwrap();
        let st = &v["Statement"][0];
        assert_eq!(st["Principal"]["Service"], "codebuild.amazonaws.com");
        assert_eq!(
            st["Condition"]["StringEquals"]["aws:SourceAccount"],
            "123456789012"
        );
        assert_eq!(
            st["Condition"]["ArnLike"]["aws:SourceArn"],
            format!(
                "arn:aws:codebuild:eu-west-1:123456789012:project/{}",
                names.project
            )
        );
        let v: Value = serde_json::from_str(&trust("lambda.amazonaws.com", None)).unwrap();
        assert!(v["Statement"][0].get("Condition").is_none());
    }

    #[test]
    fn build_role_uses_star_only_for_the_ecr_logins() {
        let (scope, names) = fixture();
        let doc = build_role(&scope, &names);
        let v: Value = serde_json::from_str(&doc).unwrap();
        let mut starred = Vec::new();
        for st in v["Statement"].as_array().unwrap() {
            if st["Resource"] == "*" {
                starred.push(st["Action"].as_str().unwrap().to_owned());
            }
            if st["Action"] == "sts:GetServiceBearerToken" {
                // A bearer token for ECR Public and no other service.
                assert_eq!(
                    st["Condition"]["StringEquals"]["sts:AWSServiceName"],
                    "ecr-public.amazonaws.com"
                );
            }
        }
        assert_eq!(
            starred,
            [
                "ecr:GetAuthorizationToken",
                "ecr-public:GetAuthorizationToken",
                "sts:GetServiceBearerToken"
            ]
        );
        let res = resources_of(&doc);
        assert!(res.contains(&format!(
            "arn:aws:ecr:eu-west-1:123456789012:repository/{}",
            names.repository
        )));
        assert!(res.contains(&format!("arn:aws:s3:::{}/source/*", names.artifacts_bucket)));
        assert!(
            res.iter().all(|r| r == "*" || r.contains(&names.suffix)),
            "{res:?}"
        );
    }

    #[test]
    fn function_role_reads_only_the_upload_prefix() {
        let (scope, names) = fixture();
        let doc = function_role(&scope, &names, "uploads/");
        let res = resources_of(&doc);
        assert!(res.contains(&format!("arn:aws:s3:::{}/uploads/*", names.source_bucket)));
        assert!(
            !res.iter().any(|r| r == "*" || r.ends_with(":*:*")),
            "{res:?}"
        );
        // The artifacts bucket (build sources, which become the image) is
        // not the function's at all.
        assert!(!doc.contains(&names.artifacts_bucket), "{doc}");
        // Lambda's check of the on-failure destination (the thumbnail
        // bucket): PutObject on the records' prefix, ListBucket with no
        // condition; the upload bucket is listed without one too (else a
        // missing key is a 403).
        let v: Value = serde_json::from_str(&doc).unwrap();
        let statements = v["Statement"].as_array().unwrap();
        let dest = format!("arn:aws:s3:::{}", names.dest_bucket);
        let source = format!("arn:aws:s3:::{}", names.source_bucket);
        for bucket in [&dest, &source] {
            let list = statements
                .iter()
                .find(|st| st["Action"] == "s3:ListBucket" && st["Resource"] == bucket.as_str())
                .unwrap_or_else(|| panic!("no ListBucket on {bucket}: {doc}"));
            assert!(list.get("Condition").is_none(), "{list}");
        }
        let records = statements.iter().find(|st| {
            st["Resource"] == format!("{dest}/*").as_str()
                && st["Action"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("s3:PutObject"))
        });
        assert!(records.is_some(), "{doc}");
    }

    #[test]
    fn tls_policy_denies_plain_http_on_bucket_and_objects() {
        let (scope, _) = fixture();
        let v: Value = serde_json::from_str(&bucket_tls_only(&scope, "b")).unwrap();
        let st = &v["Statement"][0];
        assert_eq!(st["Effect"], "Deny");
        assert_eq!(st["Condition"]["Bool"]["aws:SecureTransport"], "false");
        assert_eq!(
            st["Resource"],
            json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*"])
        );
    }

    /// The deployer policy lets roles be written and passed only under the
    /// path photosky makes them at, and every write of a role, repository,
    /// project, function, user pool or log group needs the stack tag.
    #[test]
    fn the_deployer_policy_writes_only_under_our_role_path_and_tag() {
        let policy: Value = serde_json::from_str(crate::DEPLOYER_POLICY).unwrap();
        let statements = policy["Statement"].as_array().unwrap();
        let by_sid = |sid: &str| {
            statements
                .iter()
                .find(|s| s["Sid"] == sid)
                .unwrap_or_else(|| panic!("{sid}"))
        };
        let under_path = format!("arn:aws:iam::*:role{}*", crate::resources::role::PATH);
        for sid in ["RoleCreate", "RolesOwned", "PassRoles"] {
            assert_eq!(by_sid(sid)["Resource"], json!(under_path), "{sid}");
        }
        let tag = format!("/{}", crate::resources::STACK_TAG);
        for sid in [
            "RepositoryCreate",
            "RoleCreate",
            "ProjectCreate",
            "FunctionCreate",
            "UserPoolCreate",
            "LogGroupCreate",
        ] {
            assert!(
                by_sid(sid)["Condition"]["Null"][format!("aws:RequestTag{tag}")] == "false",
                "{sid}"
            );
        }
        for sid in [
            "RepositoriesOwned",
            "RolesOwned",
            "ProjectsOwned",
            "FunctionsOwned",
            "UserPoolsOwned",
            "LogGroupsOwned",
        ] {
            assert!(
                by_sid(sid)["Condition"]["Null"][format!("aws:ResourceTag{tag}")] == "false",
                "{sid}"
            );
        }
    }

    /// The handler's tests run its code as a role holding this very policy
    /// (handler/tests/function-role.json, for the stack names they use),
    /// so a grant the code needs and the policy lacks fails them.
    #[test]
    fn the_handler_tests_hold_the_function_role_photosky_writes() {
        let (scope, _) = fixture();
        let names = Names::from_suffix("photosky", "tests0");
        let written: Value =
            serde_json::from_str(&function_role(&scope, &names, "uploads/")).unwrap();
        let used: Value =
            serde_json::from_str(include_str!("../../handler/tests/function-role.json")).unwrap();
        assert!(
            written == used,
            "handler/tests/function-role.json is not the role photosky writes; make it:\n{}",
            serde_json::to_string_pretty(&written).unwrap()
        );
    }
}
