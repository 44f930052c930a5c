//! `GET /`: the gallery page, one HTML file embedded in the binary
//! (`page.html`: no build step, no external scripts, fonts or images).
//!
//! Its Content-Security-Policy allows exactly the page's own inline script
//! and style (by SHA-256 hash), images and requests to any HTTPS origin (the
//! presigned S3 URLs) or the page's own, and nothing else: no frames, no
//! plugins, no form posts elsewhere.

use std::sync::OnceLock;

use base64::Engine;
use sha2::{Digest, Sha256};

use super::http::Response;
use crate::config::SignIn;

pub const HTML: &str = include_str!("page.html");

/// The page's one configurable line: empty, the page signs in nowhere (an
/// open API); else where and as which app client it signs in.
const SIGN_IN_META: &str = r#"<meta name="photosky-sign-in" content="">"#;

/// The page, told how to sign in when the API wants users.
pub fn html(sign_in: Option<&SignIn>) -> String {
    match sign_in {
        None => HTML.to_owned(),
        Some(s) => HTML.replacen(
            SIGN_IN_META,
            &format!(
                r#"<meta name="photosky-sign-in" content="{} {}">"#,
                attribute(&s.endpoint),
                attribute(&s.client_id)
            ),
            1,
        ),
    }
}

fn attribute(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace(' ', "%20")
}

pub fn response(sign_in: Option<&SignIn>) -> Response {
    Response {
        status: 200,
        headers: vec![
            ("content-type".into(), "text/html; charset=utf-8".into()),
            ("cache-control".into(), "no-cache".into()),
            ("content-security-policy".into(), csp().to_owned()),
            ("x-content-type-options".into(), "nosniff".into()),
            ("referrer-policy".into(), "no-referrer".into()),
        ],
        body: html(sign_in).into_bytes(),
    }
}

fn csp() -> &'static str {
    static CSP: OnceLock<String> = OnceLock::new();
    CSP.get_or_init(|| {
        let script = hash(between(HTML, "<script>", "</script>"));
        let style = hash(between(HTML, "<style>", "</style>"));
        // Plain http: too, for an S3 emulator on 127.0.0.1 (local mode).
        format!(
            "default-src 'none'; script-src '{script}'; style-src '{style}'; \
             img-src 'self' https: http: blob: data:; connect-src 'self' https: http:; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
    })
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    let start = s.find(open).map(|i| i + open.len()).unwrap_or(0);
    let end = s[start..].find(close).map(|i| start + i).unwrap_or(start);
    &s[start..end]
}

fn hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_pages_one_script_and_style() {
        assert_eq!(HTML.matches("<script").count(), 1, "one inline script");
        assert_eq!(HTML.matches("<style").count(), 1, "one inline style");
        let csp = csp();
        assert!(csp.contains("script-src 'sha256-"), "{csp}");
        assert!(!csp.contains("unsafe"), "{csp}");
        // No handlers in attributes: the policy would block them.
        assert!(!HTML.contains(" onclick="));
        assert!(!HTML.contains(" onload="));
    }

    #[test]
    fn the_page_is_told_where_to_sign_in_only_when_there_are_users() {
        assert_eq!(HTML.matches(SIGN_IN_META).count(), 1);
        assert_eq!(html(None), HTML);
        let page = html(Some(&SignIn {
            endpoint: "https://cognito-idp.eu-west-1.amazonaws.com/".into(),
            client_id: "abc\"<x".into(),
        }));
        assert!(page.contains(
            r#"<meta name="photosky-sign-in" content="https://cognito-idp.eu-west-1.amazonaws.com/ abc&quot;&lt;x">"#
        ));
        // The script and style are untouched: their hashes still hold.
        assert_eq!(
            between(&page, "<script>", "</script>"),
            between(HTML, "<script>", "</script>")
        );
    }
}
