//! Configuration from the environment `photosky up` sets, with defaults.
//!
//! | variable          | default      | meaning                                  |
//! |-------------------|--------------|------------------------------------------|
//! | `SOURCE_BUCKET`   | (none)       | bucket users upload to                   |
//! | `DEST_BUCKET`     | (required for S3 events) | bucket thumbnails go to      |
//! | `UPLOAD_PREFIX`   | `uploads/`   | only keys under it are thumbnailed       |
//! | `THUMB_SIZES`     | `1024,256`   | long sides, pixels                       |
//! | `JPEG_QUALITY`    | `80`         | 1-100                                    |
//! | `MAX_INPUT_BYTES` | `52428800`   | larger uploads are skipped unread        |
//! | `MAX_PIXELS`      | `60000000`   | larger images are skipped undecoded      |
//! | `CORS_ORIGINS`    | `*`          | origins the API answers (comma-separated) |
//! | `UPLOAD_URL_SECONDS` | `300`     | life of a presigned upload (POST)        |
//! | `VIEW_URL_SECONDS`   | `900`     | life of a presigned GET of a photo       |
//! | `USER_POOL_ISSUER`, `USER_POOL_CLIENT_ID`, `USER_POOL_JWKS` | (none: open) | only the pool's users may call the API (`auth.rs`) |
//! | `USER_POOL_ENDPOINT` | the issuer's origin | where the page signs in (an emulator's URL locally) |
//! | `WORK_LEASE_SECONDS` | `900`     | a claim to make thumbnails older than this is taken over (`work.rs`): the function's timeout |
//!
//! `MAX_INPUT_BYTES` is also the largest upload the API signs for.

use crate::thumbnail::Options;

#[derive(Debug, Clone)]
pub struct Config {
    pub source_bucket: Option<String>,
    pub dest_bucket: Option<String>,
    pub upload_prefix: String,
    pub max_input_bytes: u64,
    pub thumbnails: Options,
    pub cors_origins: Vec<String>,
    pub upload_url_seconds: u64,
    pub view_url_seconds: u64,
    /// No invocation lives longer (the default: Lambda's longest timeout).
    pub work_lease_seconds: u64,
    /// Who may call the API (`auth.rs`); `None`: anyone.
    pub users: Option<crate::auth::Verifier>,
    /// Where and as which app client the page signs in, with `users`.
    pub sign_in: Option<SignIn>,
}

/// What the gallery page needs to sign in: the Cognito endpoint it sends
/// InitiateAuth to, and the app client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    pub endpoint: String,
    pub client_id: String,
}

/// `https://cognito-idp.eu-west-1.amazonaws.com/` of the issuer
/// `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc`.
fn origin(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host_len = rest.find('/').unwrap_or(rest.len());
    format!("{}/", &url[..url.len() - rest.len() + host_len])
}

impl Default for Config {
    fn default() -> Self {
        Config {
            source_bucket: None,
            dest_bucket: None,
            upload_prefix: "uploads/".into(),
            max_input_bytes: 50 * 1024 * 1024,
            thumbnails: Options::default(),
            cors_origins: vec!["*".into()],
            upload_url_seconds: 300,
            view_url_seconds: 900,
            work_lease_seconds: 900,
            users: None,
            sign_in: None,
        }
    }
}

impl Config {
    /// Read the environment; a malformed value is an error naming it (the
    /// function then fails at start, where the deployer sees it).
    pub fn from_env() -> Result<Config, String> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let mut c = Config::default();
        let nonempty = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        c.source_bucket = nonempty("SOURCE_BUCKET");
        c.dest_bucket = nonempty("DEST_BUCKET");
        if let Some(p) = nonempty("UPLOAD_PREFIX") {
            c.upload_prefix = if p.ends_with('/') { p } else { format!("{p}/") };
        }
        let number = |k: &str, v: String| {
            v.trim()
                .parse::<u64>()
                .map_err(|_| format!("{k}={v:?} is not a whole number"))
        };
        if let Some(v) = nonempty("MAX_INPUT_BYTES") {
            c.max_input_bytes = number("MAX_INPUT_BYTES", v)?;
        }
        if let Some(v) = nonempty("MAX_PIXELS") {
            c.thumbnails.max_pixels = number("MAX_PIXELS", v)?;
        }
        if let Some(v) = nonempty("JPEG_QUALITY") {
            let q = number("JPEG_QUALITY", v.clone())?;
            if !(1..=100).contains(&q) {
                return Err(format!("JPEG_QUALITY={v:?} is not between 1 and 100"));
            }
            c.thumbnails.quality = q as u8;
        }
        if let Some(v) = nonempty("CORS_ORIGINS") {
            c.cors_origins = v.split(',').map(|o| o.trim().to_owned()).collect();
        }
        // Presigned URLs: minutes, not hours (and at most SigV4's 7 days).
        for (k, field) in [
            ("UPLOAD_URL_SECONDS", &mut c.upload_url_seconds),
            ("VIEW_URL_SECONDS", &mut c.view_url_seconds),
        ] {
            if let Some(v) = nonempty(k) {
                let n = number(k, v.clone())?;
                if !(1..=604_800).contains(&n) {
                    return Err(format!("{k}={v:?} is not between 1 and 604800 seconds"));
                }
                *field = n;
            }
        }
        if let Some(v) = nonempty("WORK_LEASE_SECONDS") {
            let n = number("WORK_LEASE_SECONDS", v.clone())?;
            if !(1..=900).contains(&n) {
                return Err(format!(
                    "WORK_LEASE_SECONDS={v:?} is not between 1 and 900 seconds"
                ));
            }
            c.work_lease_seconds = n;
        }
        let pool = ["USER_POOL_ISSUER", "USER_POOL_CLIENT_ID", "USER_POOL_JWKS"].map(nonempty);
        match pool {
            [Some(issuer), Some(client), Some(jwks)] => {
                c.users = Some(crate::auth::Verifier::new(&issuer, &client, &jwks)?);
                c.sign_in = Some(SignIn {
                    endpoint: nonempty("USER_POOL_ENDPOINT").unwrap_or_else(|| origin(&issuer)),
                    client_id: client,
                });
            }
            [None, None, None] => {}
            _ => {
                return Err(
                    "USER_POOL_ISSUER, USER_POOL_CLIENT_ID and USER_POOL_JWKS go together: set all three or none".into(),
                )
            }
        }
        if let Some(v) = nonempty("THUMB_SIZES") {
            c.thumbnails.sizes = parse_sizes(&v).map_err(|e| format!("THUMB_SIZES={v:?}: {e}"))?;
        }
        Ok(c)
    }
}

pub fn parse_sizes(v: &str) -> Result<Vec<u32>, String> {
    let sizes: Vec<u32> = v
        .split(',')
        .map(|s| {
            s.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (16..=8192).contains(n))
                .ok_or(format!("{s:?} is not a size from 16 to 8192"))
        })
        .collect::<Result<_, _>>()?;
    if sizes.is_empty() {
        return Err("no sizes".into());
    }
    Ok(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let c = Config::from_lookup(|_| None).unwrap();
        assert_eq!(c.thumbnails.sizes, [1024, 256]);
        assert_eq!(c.upload_prefix, "uploads/");
        let c = Config::from_lookup(|k| match k {
            "UPLOAD_PREFIX" => Some("in".into()),
            "THUMB_SIZES" => Some("512, 128".into()),
            "JPEG_QUALITY" => Some("90".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(
            (
                c.upload_prefix.as_str(),
                c.thumbnails.sizes.as_slice(),
                c.thumbnails.quality
            ),
            ("in/", &[512, 128][..], 90)
        );
        assert_eq!(
            origin("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"),
            "https://cognito-idp.eu-west-1.amazonaws.com/"
        );
        assert_eq!(origin("http://127.0.0.1:5000"), "http://127.0.0.1:5000/");
        let e = Config::from_lookup(|k| (k == "THUMB_SIZES").then(|| "big".into())).unwrap_err();
        assert!(e.contains("THUMB_SIZES"), "{e}");
        assert!(Config::from_lookup(|k| (k == "JPEG_QUALITY").then(|| "0".into())).is_err());
    }
}
