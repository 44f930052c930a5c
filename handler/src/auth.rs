//! Who is asking: the Cognito user pool's tokens, checked by the function
//! itself. API Gateway's authorizer checks them first on AWS; this is the
//! defence in depth, and what makes `photosky-handler serve` enforce the
//! same rule locally.
//!
//! A request must carry `Authorization: Bearer <token>` (or the bare
//! token, as API Gateway's Cognito authorizer accepts), where the token is
//! an ID token of the stack's app client (`aud`) or an access token of it
//! (`client_id`), signed RS256 by one of the pool's keys (`kid` in its
//! JWKS), issued by the pool (`iss`), and not expired. Nothing is fetched
//! at run time: `photosky up` gives the function the pool's public keys.
//!
//! Configured by `USER_POOL_ISSUER`, `USER_POOL_CLIENT_ID` and
//! `USER_POOL_JWKS` (the JWKS document); without them the API is open, as
//! `up --public` asks.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// The pool whose users may call the API.
#[derive(Debug, Clone)]
pub struct Verifier {
    issuer: String,
    client_id: String,
    keys: JwkSet,
}

/// What is used of a good token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The user's id in the pool.
    pub sub: String,
    /// The e-mail address, when the token says it (ID tokens do).
    pub email: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    exp: u64,
    token_use: String,
    #[serde(default)]
    aud: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

impl Verifier {
    /// `jwks`: the pool's `/.well-known/jwks.json` document.
    pub fn new(issuer: &str, client_id: &str, jwks: &str) -> Result<Verifier, String> {
        let keys: JwkSet =
            serde_json::from_str(jwks).map_err(|e| format!("USER_POOL_JWKS is not a JWKS: {e}"))?;
        if keys.keys.is_empty() {
            return Err("USER_POOL_JWKS holds no key".into());
        }
        Ok(Verifier {
            issuer: issuer.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            keys,
        })
    }

    /// Check the `Authorization` header's token at `now` (seconds since
    /// the epoch). `Err`: why not, for the 401's message.
    pub fn check(&self, authorization: Option<&str>, now: u64) -> Result<Caller, String> {
        let header = authorization.unwrap_or("").trim();
        let token = header
            .strip_prefix("Bearer")
            .or_else(|| header.strip_prefix("bearer"))
            .unwrap_or(header)
            .trim();
        if token.is_empty() {
            return Err("sign in first: this API needs a token from the stack's user pool".into());
        }
        let bad = |why: &str| Err(format!("the token is not accepted: {why}"));
        let Ok(head) = decode_header(token) else {
            return bad("it is not a JWT");
        };
        if head.alg != Algorithm::RS256 {
            return bad("it is not signed RS256");
        }
        let Some(jwk) = head.kid.as_deref().and_then(|kid| self.keys.find(kid)) else {
            return bad("it is not signed by this user pool's keys");
        };
        let Ok(key) = DecodingKey::from_jwk(jwk) else {
            return bad("the user pool's key cannot be read");
        };
        let mut validation = Validation::new(Algorithm::RS256);
        // Checked below, against `now` and by token kind.
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        let claims = match decode::<Claims>(token, &key, &validation) {
            Ok(data) => data.claims,
            Err(_) => return bad("its signature or claims do not check out"),
        };
        if claims.iss.trim_end_matches('/') != self.issuer {
            return bad("it was issued by another user pool");
        }
        let audience = match claims.token_use.as_str() {
            "id" => claims.aud.as_deref(),
            "access" => claims.client_id.as_deref(),
            _ => return bad("it is neither an ID nor an access token"),
        };
        if audience != Some(self.client_id.as_str()) {
            return bad("it was issued to another app client");
        }
        if claims.exp <= now {
            return Err("the sign-in has expired: sign in again".into());
        }
        Ok(Caller {
            sub: claims.sub,
            email: claims.email,
        })
    }
}
