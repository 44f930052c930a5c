//! Presigned POST signatures, byte for byte against botocore's
//! `generate_presigned_post` (the Python AWS SDK) for the same credentials,
//! time, bucket, key, fields and conditions, with and without a session
//! token, and with a key botocore must escape.

use std::path::{Path, PathBuf};
use std::process::Command;

use photosky_handler::api::presign_post::{presign, Condition, Credentials, Request};

const BOTOCORE: &str = r#"
import datetime, json, sys
import boto3, botocore.auth, botocore.signers
from botocore.config import Config
args = json.loads(sys.argv[1])
now = datetime.datetime.fromtimestamp(args["now"], datetime.timezone.utc).replace(tzinfo=None)
botocore.auth.get_current_datetime = lambda *a, **k: now
botocore.signers.get_current_datetime = lambda *a, **k: now
s3 = boto3.client("s3", region_name=args["region"], aws_access_key_id=args["id"],
                  aws_secret_access_key=args["secret"], aws_session_token=args["token"],
                  config=Config(signature_version="s3v4"))
conditions = []
for c in args["conditions"]:
    conditions.append({c[1]: c[2]} if c[0] == "eq" else ["content-length-range", c[1], c[2]] if c[0] == "range" else ["starts-with", "$" + c[1], c[2]])
out = s3.generate_presigned_post(args["bucket"], args["key"], Fields=dict(args["fields"]),
                                 Conditions=conditions, ExpiresIn=args["expires"])
print(json.dumps(out))
"#;

fn python() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::var("PHOTOSKY_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or(root.join(".venv/bin/python"))
}

fn compare(token: Option<&str>, key: &str) {
    let (id, secret, region, bucket) = (
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "eu-west-1",
        "photosky-ab12cd-source",
    );
    let now = 1_795_300_000; // 2026-11-22
    let req = Request {
        bucket,
        key,
        region,
        url: format!("https://{bucket}.s3.amazonaws.com/"),
        fields: vec![("Content-Type".into(), "image/jpeg".into())],
        conditions: vec![
            Condition::Equals("Content-Type".into(), "image/jpeg".into()),
            Condition::ContentLengthRange(1, 25 * 1024 * 1024),
            Condition::StartsWith("Content-Type".into(), "image/".into()),
        ],
        now,
        expires_in: 300,
    };
    let ours = presign(
        &Credentials {
            access_key_id: id,
            secret_access_key: secret,
            session_token: token,
        },
        &req,
    );

    let args = serde_json::json!({
        "now": now, "region": region, "id": id, "secret": secret, "token": token, "bucket": bucket, "key": key,
        "fields": [["Content-Type", "image/jpeg"]], "expires": 300,
        "conditions": [["eq", "Content-Type", "image/jpeg"], ["range", 1, 25 * 1024 * 1024], ["starts", "Content-Type", "image/"]],
    });
    let out = Command::new(python())
        .args(["-c", BOTOCORE, &args.to_string()])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let theirs_fields: Vec<(String, String)> = theirs["fields"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let mut ours_sorted = ours.fields.clone();
    ours_sorted.sort();
    let mut theirs_sorted = theirs_fields.clone();
    theirs_sorted.sort();
    assert_eq!(
        ours_sorted, theirs_sorted,
        "every field, the policy and the signature match botocore"
    );
    let sig = |f: &[(String, String)]| {
        f.iter()
            .find(|(k, _)| k == "x-amz-signature")
            .unwrap()
            .1
            .clone()
    };
    assert_eq!(sig(&ours.fields).len(), 64);
    assert_eq!(sig(&ours.fields), sig(&theirs_fields));
}

#[test]
fn same_as_botocore_with_long_term_credentials() {
    compare(None, "uploads/0f8a2c9e-IMG_0001.jpg");
}

#[test]
fn same_as_botocore_with_a_session_token_and_a_unicode_key() {
    compare(
        Some("FwoGZXIvYXdzEXAMPLE//////////wEaDEXAMPLETOKEN=="),
        "uploads/7b1d-café ☕ \"quoted\".jpg",
    );
}
