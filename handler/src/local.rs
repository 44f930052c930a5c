//! `photosky-handler serve`: the photo API and gallery page on 127.0.0.1,
//! through the same router the Lambda uses, against any S3 endpoint (an
//! emulator by default). Nothing triggers the Lambda locally, so a poller
//! stands in for the S3 trigger: it lists the upload prefix every second and
//! hands each new object to the same S3-event code, as an `ObjectCreated`
//! record like the ones S3 sends.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_s3::types::{CorsConfiguration, CorsRule};
use aws_sdk_s3::Client;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper_util::rt::{TokioIo, TokioTimer};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::json;

use crate::api::http::{Request, Response};
use crate::api::Api;
use crate::s3_event;

/// Largest request body the local server reads.
const MAX_BODY: usize = 1 << 20;

/// How long a client may take: a connection that has not sent its request
/// headers by `headers` is closed (also between requests on a kept-alive
/// one), and a request whose body has not arrived by `body` is answered 408.
/// Without these, a client that sends half a request holds its task forever.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub headers: Duration,
    pub body: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            headers: Duration::from_secs(10),
            body: Duration::from_secs(30),
        }
    }
}

/// Serve until the process is stopped. `ready` gets the bound address.
pub async fn serve(
    api: Api,
    port: u16,
    poll: bool,
    ready: impl FnOnce(std::net::SocketAddr),
) -> std::io::Result<()> {
    serve_with(api, port, poll, Limits::default(), ready).await
}

/// `serve`, with other limits (the tests use short ones).
pub async fn serve_with(
    api: Api,
    port: u16,
    poll: bool,
    limits: Limits,
    ready: impl FnOnce(std::net::SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    ready(listener.local_addr()?);
    let api = Arc::new(api);
    if poll {
        tokio::spawn(poll_uploads(api.clone()));
    }
    loop {
        let (stream, _) = listener.accept().await?;
        let api = api.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let api = api.clone();
                async move { Ok::<_, Infallible>(answer(&api, req, limits.body).await) }
            });
            // A client hanging up mid-request is not our error.
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.headers)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    api: &Api,
    req: hyper::Request<Incoming>,
    body_limit: Duration,
) -> hyper::Response<Full<Bytes>> {
    let start = Instant::now();
    let (parts, body) = req.into_parts();
    let request = Request {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(parse_query).unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect(),
        body: Vec::new(),
    };
    let read = tokio::time::timeout(body_limit, Limited::new(body, MAX_BODY).collect()).await;
    let response = match read {
        Err(_) => Response::error(
            408,
            format!(
                "the request body did not arrive within {} s",
                body_limit.as_secs()
            ),
        ),
        Ok(Ok(b)) => {
            let request = Request {
                body: b.to_bytes().to_vec(),
                ..request
            };
            api.handle(&request).await
        }
        Ok(Err(_)) => Response::error(
            413,
            format!("request bodies are limited to {MAX_BODY} bytes"),
        ),
    };
    eprintln!(
        "{} {} -> {} ({:.0} ms)",
        parts.method,
        parts.uri,
        response.status,
        start.elapsed().as_secs_f64() * 1e3
    );
    let mut out = hyper::Response::builder().status(response.status);
    for (k, v) in &response.headers {
        out = out.header(k, v);
    }
    out.body(Full::new(Bytes::from(response.body)))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::from_static(b"bad header"))))
}

/// `a=1&b=x+y%21` -> [(a, 1), (b, "x y!")], as API Gateway decodes them.
fn parse_query(q: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The S3 trigger's stand-in: new or changed objects under the upload
/// prefix become `ObjectCreated` records. Objects there when it starts are
/// taken as done (the API makes a missing thumbnail when it is asked for).
async fn poll_uploads(api: Arc<Api>) {
    let cfg = api.config();
    let source = cfg.source_bucket.clone().unwrap_or_default();
    let mut seen: Option<HashMap<String, Listed>> = None;
    loop {
        match list_all(api.s3(), &source, &cfg.upload_prefix).await {
            Ok(now) => {
                if let Some(before) = &seen {
                    let fresh: Vec<serde_json::Value> = now
                        .iter()
                        .filter(|(k, o)| before.get(*k).map(|b| &b.etag) != Some(&o.etag))
                        .map(|(k, o)| record(&source, k, o))
                        .collect();
                    if !fresh.is_empty() {
                        match serde_json::from_value(json!({ "Records": fresh })) {
                            Ok(event) => {
                                if let Err(e) = s3_event::handle(api.s3(), cfg, event).await {
                                    eprintln!("thumbnails: {e}");
                                    // Forget them, so the next round retries.
                                    tokio::time::sleep(Duration::from_secs(1)).await;
                                    continue;
                                }
                            }
                            Err(e) => eprintln!("thumbnails: bad event: {e}"),
                        }
                    }
                }
                seen = Some(now);
            }
            Err(e) => eprintln!("thumbnails: listing {source}: {e}"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// What a listing says of an object.
struct Listed {
    etag: String,
    size: i64,
    modified: String,
}

async fn list_all(
    s3: &Client,
    bucket: &str,
    prefix: &str,
) -> Result<HashMap<String, Listed>, String> {
    let mut out = HashMap::new();
    let mut pages = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(prefix)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| s3_event::describe(&e))?;
        for o in page.contents() {
            if let Some(k) = o.key() {
                let listed = Listed {
                    etag: o.e_tag().unwrap_or_default().trim_matches('"').to_owned(),
                    size: o.size().unwrap_or(0),
                    modified: o
                        .last_modified()
                        .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
                        .unwrap_or_default(),
                };
                out.insert(k.to_owned(), listed);
            }
        }
    }
    Ok(out)
}

/// Keys in S3 event records are form-encoded: `+` for a space.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/')
    .remove(b' ');

/// An `ObjectCreated:Post` record with the fields S3 fills in.
fn record(bucket: &str, key: &str, o: &Listed) -> serde_json::Value {
    let encoded = utf8_percent_encode(key, FORM).to_string().replace(' ', "+");
    json!({
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "local",
        "eventTime": o.modified, "eventName": "ObjectCreated:Post",
        "userIdentity": {"principalId": "local"},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {},
        "s3": {
            "s3SchemaVersion": "1.0", "configurationId": "photosky-local-poller",
            "bucket": {"name": bucket, "ownerIdentity": {"principalId": "local"}, "arn": format!("arn:aws:s3:::{bucket}")},
            "object": {"key": encoded, "size": o.size, "eTag": o.etag, "sequencer": "0"}
        }
    })
}

/// Keep replaced and deleted objects as old versions, as `up` makes the
/// upload bucket: what lets a delete be undone (`POST /restore-image`).
pub async fn keep_versions(s3: &Client, bucket: &str) -> Result<(), String> {
    s3.put_bucket_versioning()
        .bucket(bucket)
        .versioning_configuration(
            aws_sdk_s3::types::VersioningConfiguration::builder()
                .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("versioning bucket {bucket}: {}", s3_event::describe(&e)))
}

/// For an emulator: make the buckets if they are missing, with the CORS
/// rule browsers need to POST uploads and read photos; the upload bucket
/// (`source`) versioned, as `up` makes it.
pub async fn ensure_buckets(
    s3: &Client,
    region: &str,
    source: &str,
    dest: &str,
) -> Result<(), String> {
    for bucket in [source, dest] {
        if s3.head_bucket().bucket(bucket).send().await.is_err() {
            let mut create = s3.create_bucket().bucket(bucket);
            if region != "us-east-1" {
                create = create.create_bucket_configuration(
                    aws_sdk_s3::types::CreateBucketConfiguration::builder()
                        .location_constraint(region.into())
                        .build(),
                );
            }
            create
                .send()
                .await
                .map_err(|e| format!("creating bucket {bucket}: {}", s3_event::describe(&e)))?;
            if bucket == source {
                keep_versions(s3, bucket).await?;
            }
        }
        let rule = CorsRule::builder()
            .allowed_origins("*")
            .allowed_methods("GET")
            .allowed_methods("HEAD")
            .allowed_methods("POST")
            .allowed_headers("*")
            .max_age_seconds(600)
            .build()
            .map_err(|e| e.to_string())?;
        s3.put_bucket_cors()
            .bucket(bucket)
            .cors_configuration(
                CorsConfiguration::builder()
                    .cors_rules(rule)
                    .build()
                    .map_err(|e| e.to_string())?,
            )
            .send()
            .await
            .map_err(|e| format!("setting CORS on {bucket}: {}", s3_event::describe(&e)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_and_event_keys_are_encoded_as_aws_does() {
        assert_eq!(
            parse_query("preview=1&continuationToken=a%2Bb%3D&x=y+z"),
            [
                ("preview".into(), "1".into()),
                ("continuationToken".into(), "a+b=".into()),
                ("x".into(), "y z".into())
            ]
        );
        let listed = Listed {
            etag: "e".into(),
            size: 3,
            modified: "2026-11-22T10:00:00Z".into(),
        };
        let r = record("b", "uploads/my photo+1 é.jpg", &listed);
        let event: aws_lambda_events::s3::S3Event =
            serde_json::from_value(json!({ "Records": [r.clone()] })).expect("a valid S3 event");
        assert_eq!(event.records[0].s3.object.size, Some(3));
        assert_eq!(r["s3"]["object"]["key"], "uploads/my+photo%2B1+%C3%A9.jpg");
        assert_eq!(
            crate::keys::decode_event_key(r["s3"]["object"]["key"].as_str().unwrap()).unwrap(),
            "uploads/my photo+1 é.jpg"
        );
    }
}
