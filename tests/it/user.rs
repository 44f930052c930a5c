//! `photosky user`: who may sign in, and signing in.

use crate::common::{self, changed_steps, state, Emulator, REGION};
use std::fs;

/// The stack's user pool: `user add` makes a user whose one-time password
/// signs in (Cognito asks for a new one first) and gives tokens; `list` and
/// `remove` do what they say; `down` removes the pool with the rest.
#[tokio::test]
async fn users_are_added_sign_in_and_are_removed() {
    use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};

    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "people", "up"]).ok();
    let st = state(d, "people");
    let pool = st["resources"]["user-pool"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = st["resources"]["user-pool-client"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Fifteen minutes to get from the one-time password to one's own
    // (Cognito's default is 3), also on a client an older photosky made.
    let idp = aws_sdk_cognitoidentityprovider::Client::new(&emu.sdk(REGION).await);
    let session = || async {
        idp.describe_user_pool_client()
            .user_pool_id(&pool)
            .client_id(&client)
            .send()
            .await
            .unwrap()
            .user_pool_client()
            .unwrap()
            .auth_session_validity()
    };
    assert_eq!(session().await, Some(15));
    idp.update_user_pool_client()
        .user_pool_id(&pool)
        .client_id(&client)
        .auth_session_validity(3)
        .send()
        .await
        .unwrap();
    let path = d.join("people.json");
    let mut older: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    older["resources"]["user-pool-client"]
        .as_object_mut()
        .unwrap()
        .remove("applied");
    fs::write(&path, serde_json::to_vec(&older).unwrap()).unwrap();
    let again = emu
        .photosky(d, &["--name", "people", "--output", "json", "up"])
        .ok()
        .json();
    assert_eq!(changed_steps(&again), ["user-pool-client"]);
    assert_eq!(session().await, Some(15));

    let none = emu.photosky(d, &["--name", "people", "user", "list"]).ok();
    assert!(none.stdout.contains("has no users"), "{}", none.stdout);
    let status = emu.photosky(d, &["--name", "people", "status"]).ok();
    assert!(
        status.stdout.contains("no users: nobody can sign in yet"),
        "{}",
        status.stdout
    );

    let added = emu
        .photosky(
            d,
            &[
                "--name",
                "people",
                "--output",
                "json",
                "user",
                "add",
                "ana@example.com",
            ],
        )
        .ok()
        .json();
    let once = added["temporary_password"].as_str().unwrap().to_owned();
    let status = emu.photosky(d, &["--name", "people", "status"]).ok();
    assert!(status.stdout.contains("1 user\n"), "{}", status.stdout);
    let again = emu.photosky(d, &["--name", "people", "user", "add", "ana@example.com"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("already a user"), "{}", again.stderr);
    let listed = emu.photosky(d, &["--name", "people", "user", "list"]).ok();
    assert!(
        listed
            .stdout
            .contains("ana@example.com  has not signed in yet"),
        "{}",
        listed.stdout
    );

    // Signing in as the gallery will: the one-time password, then a new one.
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(&emu.sdk(REGION).await);
    let first = cognito
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "ana@example.com")
        .auth_parameters("PASSWORD", &once)
        .send()
        .await
        .unwrap();
    assert_eq!(
        first.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    let signed_in = cognito
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(first.session().unwrap())
        .challenge_responses("USERNAME", "ana@example.com")
        .challenge_responses("NEW_PASSWORD", "a-long-new-passphrase-9")
        .send()
        .await
        .unwrap();
    let tokens = signed_in.authentication_result().expect("tokens");
    assert!(tokens.id_token().is_some_and(|t| t.split('.').count() == 3));
    let id_token = tokens.id_token().unwrap().to_owned();

    // The API: every method but the page, the preflights and a share
    // link's read is behind the pool's authorizer.
    let sdk = emu.sdk(REGION).await;
    let apigw = aws_sdk_apigateway::Client::new(&sdk);
    let api = st["resources"]["rest-api"]["id"].as_str().unwrap();
    let authorizers = common::authorizers(&apigw, api).await;
    assert_eq!(authorizers.len(), 1);
    // A 401 from the authorizer (or a 429) is readable from any origin the
    // API allows: `*` here.
    let any = Some("'*'".to_owned());
    assert_eq!(common::gateway_cors(&apigw, api).await, [any.clone(), any]);
    let authorizer = &authorizers[0];
    let pool_arn = st["resources"]["user-pool"]["arn"].as_str().unwrap();
    assert_eq!(authorizer.provider_arns(), [pool_arn.to_owned()]);
    assert_eq!(
        authorizer.r#type().map(|t| t.as_str()),
        Some("COGNITO_USER_POOLS")
    );
    let cognito_guard = (
        "COGNITO_USER_POOLS".to_owned(),
        authorizer.id().map(str::to_owned),
    );
    let open = ("NONE".to_owned(), None);
    let methods: Vec<_> = common::api_methods(&apigw, api)
        .await
        .into_iter()
        .map(|(path, method, auth, id)| (path, method, (auth, id)))
        .collect();
    assert_eq!(
        methods,
        [
            ("/".into(), "ANY".into(), cognito_guard.clone()),
            ("/".into(), "GET".into(), open.clone()),
            ("/".into(), "OPTIONS".into(), open.clone()),
            // A share link's read: its token is its key (the function
            // checks it; API Gateway throttles it harder).
            ("/shared".into(), "GET".into(), open.clone()),
            ("/{proxy+}".into(), "ANY".into(), cognito_guard),
            ("/{proxy+}".into(), "OPTIONS".into(), open),
        ]
    );

    // The function checks tokens too, with what `up` gave it: its own
    // binary, run here with the deployed environment.
    let lambda = aws_sdk_lambda::Client::new(&sdk);
    let function = st["names"]["function"].as_str().unwrap();
    let env = common::function_env(&lambda, function).await;
    assert_eq!(
        env.get("USER_POOL_ISSUER").map(String::as_str),
        Some(format!("https://cognito-idp.{REGION}.amazonaws.com/{pool}").as_str())
    );
    assert_eq!(env.get("USER_POOL_CLIENT_ID"), Some(&client));
    let served = emu.serve_function(&env, &emu.function_role(function).await);
    let (status, page) = served.call("GET", "/", None);
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!(r#"<meta name="photosky-sign-in" content="https://cognito-idp.{REGION}.amazonaws.com/ {client}">"#)),
        "the page is told where to sign in"
    );
    let (status, body) = served.call("GET", "/list-images", None);
    assert_eq!(status, 401, "{body}");
    let (status, body) = served.call("GET", "/list-images", Some(&id_token));
    assert_eq!(status, 200, "{body}");
    let forged = format!("{}x", &id_token[..id_token.len() - 1]);
    let (status, _) = served.call("GET", "/list-images", Some(&format!("Bearer {forged}")));
    assert_eq!(status, 401, "a token whose signature does not check out");

    // A share link: made by the function for a signed-in user, read
    // without signing in, listed and revoked with `photosky share`.
    let dest = st["names"]["dest_bucket"].as_str().unwrap();
    let source = st["names"]["source_bucket"].as_str().unwrap();
    emu.s3(REGION)
        .await
        .put_object()
        .bucket(source)
        .key("uploads/fe000000000000000a-dune.jpg")
        .body(
            include_bytes!("../photos/dune-camera-exif.jpg")
                .to_vec()
                .into(),
        )
        .send()
        .await
        .unwrap();
    let body = br#"{"photos": ["fe000000000000000a-dune.jpg"]}"#;
    let (status, made) = served.send("POST", "/shares", &[], body);
    assert_eq!(status, 401, "only a user shares: {made}");
    let (status, made) = served.send("POST", "/shares", &[("Authorization", &id_token)], body);
    assert_eq!(status, 201, "{made}");
    let made: serde_json::Value = serde_json::from_str(&made).unwrap();
    let (token, id) = (
        made["token"].as_str().unwrap(),
        made["id"].as_str().unwrap(),
    );
    let read = || served.send("GET", "/shared", &[("x-photosky-share", token)], b"");
    let (status, shared) = read();
    assert_eq!(status, 200, "no sign-in needed: {shared}");
    assert!(shared.contains("\"name\":\"dune.jpg\""), "{shared}");
    let listed = emu.photosky(d, &["--name", "people", "share", "list"]).ok();
    assert!(
        listed.stdout.starts_with(&format!("{id}  1 photo, until "))
            && listed.stdout.contains(": dune.jpg\n"),
        "{}",
        listed.stdout
    );
    assert!(
        !listed.stdout.contains(token),
        "photosky never sees a token"
    );
    let revoked = emu
        .photosky(d, &["--name", "people", "share", "revoke", id])
        .ok();
    assert!(
        revoked.stdout.contains("its link opens nothing now"),
        "{}",
        revoked.stdout
    );
    assert_eq!(read().0, 404, "a revoked link opens nothing");
    let again = emu.photosky(d, &["--name", "people", "share", "revoke", id]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("share list"), "{}", again.stderr);
    let bad = emu.photosky(d, &["--name", "people", "share", "revoke", "../x"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    let none = emu.photosky(d, &["--name", "people", "share", "list"]).ok();
    assert!(none.stdout.contains("shares nothing"), "{}", none.stdout);
    let records = emu
        .s3(REGION)
        .await
        .list_objects_v2()
        .bucket(dest)
        .prefix("shares/")
        .send()
        .await
        .unwrap();
    assert_eq!(records.key_count(), Some(0), "revoking deletes the record");
    // A user of another pool (the emulator signs every pool's tokens with
    // one key: only the issuer tells them apart).
    let other = cognito
        .create_user_pool()
        .pool_name("elsewhere")
        .send()
        .await
        .unwrap();
    let other = other.user_pool().unwrap().id().unwrap().to_owned();
    let other_client = cognito
        .create_user_pool_client()
        .user_pool_id(&other)
        .client_name("elsewhere")
        .explicit_auth_flows(aws_sdk_cognitoidentityprovider::types::ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .send()
        .await
        .unwrap();
    let other_client = other_client
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();
    cognito
        .admin_create_user()
        .user_pool_id(&other)
        .username("eve")
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    cognito
        .admin_set_user_password()
        .user_pool_id(&other)
        .username("eve")
        .password("A-long-passphrase-of-eve-1!")
        .permanent(true)
        .send()
        .await
        .unwrap();
    let eve = cognito
        .admin_initiate_auth()
        .user_pool_id(&other)
        .client_id(&other_client)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "eve")
        .auth_parameters("PASSWORD", "A-long-passphrase-of-eve-1!")
        .send()
        .await
        .unwrap();
    let eve = eve
        .authentication_result()
        .unwrap()
        .id_token()
        .unwrap()
        .to_owned();
    let (status, body) = served.call("DELETE", "/delete-image/x", Some(&eve));
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("another user pool"), "{body}");
    cognito
        .delete_user_pool()
        .user_pool_id(&other)
        .send()
        .await
        .unwrap();
    drop(served);
    let wrong = cognito
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "ana@example.com")
        .auth_parameters("PASSWORD", "not-the-password-1")
        .send()
        .await;
    assert!(wrong.is_err(), "a wrong password is refused");

    let removed = emu
        .photosky(
            d,
            &["--name", "people", "user", "remove", "ana@example.com"],
        )
        .ok();
    assert!(
        removed.stdout.contains("can no longer sign in"),
        "{}",
        removed.stdout
    );
    let users = cognito
        .list_users()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert_eq!(users.users().len(), 0);
    let twice = emu.photosky(
        d,
        &["--name", "people", "user", "remove", "ana@example.com"],
    );
    assert_eq!(twice.code, 2, "{}", twice.stderr);
    emu.down_leaves_nothing(d, "people").await;
    let pools = cognito
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    assert_eq!(pools.user_pools().len(), 0);
}
