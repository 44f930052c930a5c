//! CORS for the photo API, from `CORS_ORIGINS` (comma-separated; default `*`).
//!
//! - `*`: every response says `Access-Control-Allow-Origin: *`.
//! - A list: a request whose `Origin` is on it gets that origin echoed back,
//!   with `Vary: Origin` so caches keep answers apart; other origins get no
//!   CORS headers (the browser then withholds the response), and their
//!   preflights a 403 that says which origins are allowed.
//!
//! The API uses no cookies or HTTP authentication, so it never sends
//! `Access-Control-Allow-Credentials`; in particular never together with `*`,
//! which browsers reject.

use super::http::{Request, Response};

pub const METHODS: &str = "GET, POST, DELETE, OPTIONS";
const HEADERS: &str = "content-type";
const MAX_AGE: &str = "600";

#[derive(Debug, Clone)]
pub struct Cors {
    any: bool,
    origins: Vec<String>,
}

impl Cors {
    pub fn new(origins: &[String]) -> Cors {
        let origins: Vec<String> = origins
            .iter()
            .map(|o| o.trim().trim_end_matches('/').to_owned())
            .filter(|o| !o.is_empty())
            .collect();
        Cors {
            any: origins.is_empty() || origins.iter().any(|o| o == "*"),
            origins,
        }
    }

    /// The origin to allow for this request, if any.
    fn allowed(&self, origin: Option<&str>) -> Option<String> {
        if self.any {
            return Some("*".into());
        }
        let origin = origin?;
        self.origins
            .iter()
            .any(|o| o.eq_ignore_ascii_case(origin.trim_end_matches('/')))
            .then(|| origin.to_owned())
    }

    /// Add the CORS headers an ordinary response needs.
    pub fn apply(&self, req: &Request, mut resp: Response) -> Response {
        if let Some(origin) = self.allowed(req.header("origin")) {
            resp = resp.with_header("access-control-allow-origin", origin);
        }
        if !self.any {
            resp = resp.with_header("vary", "Origin");
        }
        resp
    }

    /// The answer to `OPTIONS` on any path.
    pub fn preflight(&self, req: &Request) -> Response {
        let origin = req.header("origin");
        if origin.is_some() && self.allowed(origin).is_none() {
            let resp = Response::error(
                403,
                format!(
                    "origin {} is not allowed; allowed origins: {}",
                    origin.unwrap_or_default(),
                    self.origins.join(", ")
                ),
            );
            return self.apply(req, resp);
        }
        let resp = Response::empty(204)
            .with_header("access-control-allow-methods", METHODS)
            .with_header("access-control-allow-headers", HEADERS)
            .with_header("access-control-max-age", MAX_AGE);
        self.apply(req, resp)
    }
}
