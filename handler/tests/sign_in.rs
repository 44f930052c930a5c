//! The API's own check of the user pool's tokens (`auth.rs`), with real
//! tokens from moto's Cognito: the page is public, every other route needs
//! a token of the stack's pool and app client, and the reasons say why.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ExplicitAuthFlowsType, MessageActionType,
};
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use common::launcher::http;
use common::{sdk, Moto};
use photosky_handler::api::Api;
use photosky_handler::auth::Verifier;
use photosky_handler::config::Config;
use serde_json::{json, Value};

/// A pool, its client and a signed-in user: (pool id, client id, id token,
/// access token).
async fn signed_in(c: &Cognito, name: &str) -> (String, String, String, String) {
    let pool = c.create_user_pool().pool_name(name).send().await.unwrap();
    let pool = pool.user_pool().unwrap().id().unwrap().to_owned();
    let client = c
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name(name)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .send()
        .await
        .unwrap();
    let client = client
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();
    // The password is set below: no invitation (which would go by SMS,
    // Cognito's default, to a user with no phone: refused).
    c.admin_create_user()
        .user_pool_id(&pool)
        .username("ana")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    c.admin_set_user_password()
        .user_pool_id(&pool)
        .username("ana")
        .password("A-long-Passphrase-9")
        .permanent(true)
        .send()
        .await
        .unwrap();
    let auth = c
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "ana")
        .auth_parameters("PASSWORD", "A-long-Passphrase-9")
        .send()
        .await
        .unwrap();
    let tokens = auth.authentication_result().unwrap();
    (
        pool,
        client,
        tokens.id_token().unwrap().to_owned(),
        tokens.access_token().unwrap().to_owned(),
    )
}

fn event(method: &str, path: &str, authorization: Option<&str>) -> Value {
    let mut e: Value = serde_json::from_str(include_str!("events/apigw-rest-proxy.json")).unwrap();
    e["httpMethod"] = json!(method);
    e["requestContext"]["httpMethod"] = json!(method);
    e["path"] = json!(path);
    e["resource"] = json!(if path == "/" { "/" } else { "/{proxy+}" });
    e["pathParameters"] = if path == "/" {
        Value::Null
    } else {
        json!({"proxy": path.trim_start_matches('/')})
    };
    e["queryStringParameters"] = Value::Null;
    e["multiValueQueryStringParameters"] = Value::Null;
    e["body"] = Value::Null;
    let mut headers = json!({"Origin": "https://photos.example.com"});
    if let Some(a) = authorization {
        headers["Authorization"] = json!(a);
    }
    e["headers"] = headers.clone();
    e["multiValueHeaders"] = headers
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), json!([v])))
        .collect();
    e
}

#[tokio::test]
async fn only_the_pools_users_get_past_the_page() {
    let moto = Moto::start();
    let conf = sdk(&moto.1, 1).await;
    let cognito = Cognito::new(&conf);
    let (pool, client, id_token, access_token) = signed_in(&cognito, "ours").await;
    let (_, _, stranger, _) = signed_in(&cognito, "theirs").await;
    let (status, jwks) = http(
        "GET",
        &format!("{}/{pool}/.well-known/jwks.json", moto.1),
        None,
        b"",
    );
    assert_eq!(status, 200);
    let issuer = format!("https://cognito-idp.eu-west-1.amazonaws.com/{pool}");
    let verifier = Verifier::new(&issuer, &client, std::str::from_utf8(&jwks).unwrap()).unwrap();
    let cfg = Config {
        source_bucket: Some("nothing-here".into()),
        dest_bucket: Some("nothing-here-either".into()),
        users: Some(verifier.clone()),
        ..Config::default()
    };
    // Storage is never reached by a refused request: a closed port.
    let dead = sdk("http://127.0.0.1:9", 1).await;
    let api = Api::new(&dead, cfg).unwrap();
    let call = |method: &'static str, path: &'static str, auth: Option<String>| {
        let api = &api;
        async move {
            let out = api.handle_apigw(event(method, path, auth.as_deref())).await;
            let status = out["statusCode"].as_u64().unwrap();
            let body = out["body"].as_str().unwrap_or("").to_owned();
            (status, body, out)
        }
    };

    // The page (it holds the sign-in form) and CORS preflights: anyone.
    assert_eq!(call("GET", "/", None).await.0, 200);
    assert!(call("OPTIONS", "/list-images", None).await.0 < 300);
    // Everything else: a token of this pool's client, or a 401 saying why.
    let refused = |(status, body, out): (u64, String, Value), why: &str| {
        assert_eq!(status, 401, "{body}");
        assert!(body.contains(why), "{why}: {body}");
        assert_eq!(out["headers"]["www-authenticate"], "Bearer", "{out}");
    };
    refused(call("GET", "/list-images", None).await, "sign in first");
    refused(
        call("GET", "/list-images", Some("Bearer not.a.token".into())).await,
        "not a JWT",
    );
    refused(
        call("GET", "/list-images", Some(format!("Bearer {stranger}"))).await,
        "another user pool",
    );
    refused(
        call("DELETE", "/delete-image/a.jpg", Some("Bearer ".into())).await,
        "sign in first",
    );
    // A good token gets through to the route (which then meets the closed
    // storage port: a 5xx, not a 401).
    for token in [&id_token, &access_token] {
        let (status, body, _) = call("GET", "/list-images", Some(format!("Bearer {token}"))).await;
        assert!(status >= 500, "{status}: {body}");
    }
    // A token whose signature does not match its claims.
    let mut parts: Vec<&str> = id_token.split('.').collect();
    let other: Vec<&str> = stranger.split('.').collect();
    parts[1] = other[1];
    refused(
        call(
            "GET",
            "/list-images",
            Some(format!("Bearer {}", parts.join("."))),
        )
        .await,
        "signature",
    );

    // Expiry, at the token's own `exp`.
    let claims: Value = serde_json::from_slice(
        &base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            id_token.split('.').nth(1).unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    let exp = claims["exp"].as_u64().unwrap();
    let bearer = format!("Bearer {id_token}");
    assert!(verifier.check(Some(&bearer), exp - 1).is_ok());
    let expired = verifier.check(Some(&bearer), exp).unwrap_err();
    assert!(expired.contains("expired"), "{expired}");
}
