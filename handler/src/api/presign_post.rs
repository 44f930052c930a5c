//! Presigned S3 POST (browser uploads straight to S3), signed with SigV4.
//!
//! The AWS SDK for Rust presigns requests but has no POST policies, so this
//! builds and signs one as botocore's `generate_presigned_post` does, with
//! the same policy layout byte for byte: the caller's conditions, then
//! `bucket`, `key`, `x-amz-algorithm`, `x-amz-credential`, `x-amz-date` and,
//! for temporary credentials, `x-amz-security-token`; serialised like
//! Python's `json.dumps` (`", "` and `": "` separators, non-ASCII escaped).
//! The tests check it against botocore and against AWS's worked example.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

pub struct Credentials<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub session_token: Option<&'a str>,
}

/// One policy condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `{"field": "value"}`: the form field must equal the value.
    Equals(String, String),
    /// `["starts-with", "$field", "prefix"]`.
    StartsWith(String, String),
    /// `["content-length-range", min, max]` in bytes.
    ContentLengthRange(u64, u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignedPost {
    pub url: String,
    /// Form fields, in the order botocore returns them; the file goes last.
    pub fields: Vec<(String, String)>,
}

pub struct Request<'a> {
    pub bucket: &'a str,
    pub key: &'a str,
    pub region: &'a str,
    /// Where the form is posted (`https://<bucket>.s3.<region>.amazonaws.com/`,
    /// or an emulator's path-style URL).
    pub url: String,
    /// Form fields the caller fixes (e.g. `Content-Type`); each needs a
    /// matching condition.
    pub fields: Vec<(String, String)>,
    pub conditions: Vec<Condition>,
    /// Seconds since the Unix epoch.
    pub now: i64,
    pub expires_in: i64,
}

pub fn presign(creds: &Credentials<'_>, req: &Request<'_>) -> PresignedPost {
    let (date, timestamp) = (format_date(req.now), format_timestamp(req.now));
    let credential = format!(
        "{}/{date}/{}/s3/aws4_request",
        creds.access_key_id, req.region
    );
    let mut conditions: Vec<String> = req.conditions.iter().map(render).collect();
    conditions.push(render(&Condition::Equals(
        "bucket".into(),
        req.bucket.into(),
    )));
    conditions.push(render(&Condition::Equals("key".into(), req.key.into())));
    let mut fields = req.fields.clone();
    fields.push(("key".into(), req.key.into()));
    let mut signed = vec![
        ("x-amz-algorithm", "AWS4-HMAC-SHA256".to_owned()),
        ("x-amz-credential", credential),
        ("x-amz-date", timestamp),
    ];
    if let Some(token) = creds.session_token {
        signed.push(("x-amz-security-token", token.to_owned()));
    }
    for (name, value) in signed {
        conditions.push(render(&Condition::Equals(name.into(), value.clone())));
        fields.push((name.into(), value));
    }
    let policy = format!(
        "{{\"expiration\": {}, \"conditions\": [{}]}}",
        py_json_string(&format_iso8601(req.now + req.expires_in)),
        conditions.join(", ")
    );
    let policy_b64 = base64::engine::general_purpose::STANDARD.encode(policy.as_bytes());
    let signature = sign(creds.secret_access_key, &date, req.region, &policy_b64);
    fields.push(("policy".into(), policy_b64));
    fields.push(("x-amz-signature".into(), signature));
    PresignedPost {
        url: req.url.clone(),
        fields,
    }
}

/// SigV4: the signing key from the secret, date, region and service, then
/// HMAC-SHA256 of the string to sign (for POST, the base64 policy).
pub fn sign(secret: &str, date: &str, region: &str, string_to_sign: &str) -> String {
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    for part in [region, "s3", "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    hmac(&key, string_to_sign.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

fn render(c: &Condition) -> String {
    match c {
        Condition::Equals(k, v) => format!("{{{}: {}}}", py_json_string(k), py_json_string(v)),
        Condition::StartsWith(k, p) => format!(
            "[\"starts-with\", {}, {}]",
            py_json_string(&format!("${k}")),
            py_json_string(p)
        ),
        Condition::ContentLengthRange(min, max) => {
            format!("[\"content-length-range\", {min}, {max}]")
        }
    }
}

/// A JSON string as Python's `json.dumps` writes it (ensure_ascii).
fn py_json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Civil date from days since the epoch (Howard Hinnant's algorithm).
fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (rem / 3600) as u32,
        (rem % 3600 / 60) as u32,
        (rem % 60) as u32,
    )
}

fn format_date(secs: i64) -> String {
    let (y, m, d, ..) = civil(secs);
    format!("{y:04}{m:02}{d:02}")
}

fn format_timestamp(secs: i64) -> String {
    let (y, m, d, h, mi, s) = civil(secs);
    format!("{y:04}{m:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

fn format_iso8601(secs: i64) -> String {
    let (y, m, d, h, mi, s) = civil(secs);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's worked example ("Example: Browser-Based Upload using HTTP POST
    /// (Using AWS Signature Version 4)", Amazon S3 API Reference): its
    /// base64 policy, credentials and date, and the signature it gives.
    #[test]
    fn matches_the_aws_documentation_example() {
        let policy = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";
        let sig = sign(
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "20151229",
            "us-east-1",
            policy,
        );
        assert_eq!(
            sig,
            "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"
        );
    }

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(format_timestamp(0), "19700101T000000Z");
        assert_eq!(format_timestamp(1_451_347_200), "20151229T000000Z");
        assert_eq!(format_iso8601(951_782_400 + 86_399), "2000-02-29T23:59:59Z");
        assert_eq!(format_date(4_102_444_800), "21000101");
    }

    #[test]
    fn strings_are_escaped_as_python_writes_them() {
        assert_eq!(py_json_string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(
            py_json_string("café ☕ 😀"),
            r#""caf\u00e9 \u2615 \ud83d\ude00""#
        );
        assert_eq!(py_json_string("tab\tnl\n\u{1}"), r#""tab\tnl\n\u0001""#);
    }
}
