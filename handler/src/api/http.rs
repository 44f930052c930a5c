//! The router's own request and response, and their conversion from and to
//! API Gateway REST proxy events (the local server converts hyper's).
//!
//! API Gateway REST APIs pass `path` still percent-encoded (HTTP APIs decode
//! it), and query string parameters decoded. The router decodes each path
//! segment once, so `/delete-image/a%20b.jpg` names the id `a b.jpg`.

use std::collections::HashMap;

use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    /// As received: percent-encoded, without the stage.
    pub path: String,
    /// Decoded names and values; repeated names kept in order.
    pub query: Vec<(String, String)>,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// An API Gateway REST (payload 1.0) proxy event.
    pub fn from_apigw(event: Value) -> Result<Request, String> {
        let e: ProxyEvent =
            serde_json::from_value(event).map_err(|e| format!("not an API Gateway event: {e}"))?;
        let mut query = Vec::new();
        match (
            e.multi_value_query_string_parameters,
            e.query_string_parameters,
        ) {
            (Some(multi), _) if !multi.is_empty() => {
                for (k, vs) in multi {
                    query.extend(vs.into_iter().map(|v| (k.clone(), v)));
                }
            }
            (_, Some(single)) => query.extend(single),
            _ => {}
        }
        let body = match e.body {
            None => Vec::new(),
            Some(b) if e.is_base64_encoded => base64::engine::general_purpose::STANDARD
                .decode(b.as_bytes())
                .map_err(|e| format!("the body is marked base64 but is not: {e}"))?,
            Some(b) => b.into_bytes(),
        };
        Ok(Request {
            method: e.http_method.to_ascii_uppercase(),
            path: e.path.unwrap_or_else(|| "/".into()),
            query,
            headers: e
                .headers
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
            body,
        })
    }
}

/// A header's value, by case-insensitive name.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProxyEvent {
    http_method: String,
    path: Option<String>,
    headers: Option<HashMap<String, String>>,
    query_string_parameters: Option<HashMap<String, String>>,
    multi_value_query_string_parameters: Option<HashMap<String, Vec<String>>>,
    body: Option<String>,
    #[serde(default)]
    is_base64_encoded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(status: u16, body: &Value) -> Response {
        Response {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                // Answers carry presigned URLs: never cache them.
                ("cache-control".into(), "no-store".into()),
            ],
            body: body.to_string().into_bytes(),
        }
    }

    /// `{"message": ...}` with this status.
    pub fn error(status: u16, message: impl Into<String>) -> Response {
        Response::json(status, &json!({ "message": message.into() }))
    }

    pub fn empty(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// The Lambda proxy integration's response document. Bodies that are not
    /// UTF-8 go base64-encoded.
    pub fn to_apigw(&self) -> Value {
        let headers: serde_json::Map<String, Value> = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        let (body, base64) = match std::str::from_utf8(&self.body) {
            Ok(s) => (s.to_owned(), false),
            Err(_) => (
                base64::engine::general_purpose::STANDARD.encode(&self.body),
                true,
            ),
        };
        json!({
            "statusCode": self.status,
            "headers": headers,
            "body": body,
            "isBase64Encoded": base64,
        })
    }
}
