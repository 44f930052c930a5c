//! IAM as AWS enforces it (tests/emulator/iam.py): every test runs photosky
//! as a user holding exactly `docs/deployer-policy.json`, builds as their
//! project's role, and the function's code as its execution role. These
//! tests show that the check has teeth: a policy one action short stops
//! `up` naming that action and the policy, a build role that may not push
//! fails the build, and a function role without a grant breaks the route
//! that needs it.

use crate::common::{self, deployer_policy, Emulator, REGION};
use serde_json::Value;

/// The deployer policy without `action`, wherever it is granted.
fn policy_without(action: &str) -> Value {
    let mut policy = deployer_policy();
    let statements = policy["Statement"].as_array_mut().unwrap();
    for st in statements.iter_mut() {
        if let Value::Array(actions) = &mut st["Action"] {
            actions.retain(|a| a != action);
        }
    }
    statements.retain(|st| st["Action"] != action && st["Action"] != Value::Array(vec![]));
    policy
}

#[tokio::test]
async fn a_policy_one_action_short_stops_up_naming_the_action_and_the_policy() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (i, action) in [
        "lambda:PutFunctionEventInvokeConfig",
        "iam:PassRole",
        "apigateway:PUT",
    ]
    .into_iter()
    .enumerate()
    {
        let short = emu.user(&format!("short{i}"), &policy_without(action));
        let stack = format!("short{i}");
        let run = emu.photosky_as(&short, d, &["--name", &stack, "up"]);
        assert_eq!(run.code, 2, "{action}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "is not authorized to perform: {action} on resource"
            )),
            "{action}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("docs/deployer-policy.json"),
            "{}",
            run.stderr
        );
        assert!(
            emu.iam_refusals()
                .iter()
                .any(|r| r["principal"] == short.arn.as_str() && r["action"] == action),
            "{action}: {:?}",
            emu.iam_refusals()
        );
        // What it made, the full policy removes.
        emu.down_leaves_nothing(d, &stack).await;
    }
    // The full policy refused nothing along the way.
    assert!(
        !emu.iam_refusals()
            .iter()
            .any(|r| r["principal"] == emu.deployer.arn.as_str()),
        "{:?}",
        emu.iam_refusals()
    );
}

/// The inline policy of role `name`, with the statement `sid` removed.
async fn remove_statement(iam: &aws_sdk_iam::Client, role: &str, sid: &str) {
    let doc = iam
        .get_role_policy()
        .role_name(role)
        .policy_name("photosky")
        .send()
        .await
        .unwrap()
        .policy_document()
        .to_owned();
    let mut policy: Value = serde_json::from_str(&common::url_decoded(&doc)).unwrap();
    let statements = policy["Statement"].as_array_mut().unwrap();
    let before = statements.len();
    statements.retain(|s| s["Sid"] != sid);
    assert_eq!(statements.len(), before - 1, "{sid} in {doc}");
    iam.put_role_policy()
        .role_name(role)
        .policy_name("photosky")
        .policy_document(policy.to_string())
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_build_role_that_may_not_push_fails_the_build_in_post_build() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "push", "up"]).ok();
    let st = common::state(d, "push");
    let role = st["names"]["build_role"].as_str().unwrap();
    let iam = aws_sdk_iam::Client::new(&emu.sdk(REGION).await);
    remove_statement(&iam, role, "EcrPush").await;
    // Another image (from source) needs another build, which runs as the
    // role as it now is.
    let run = emu.photosky(d, &["--name", "push", "up", "--from-source"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(run.stderr.contains("POST_BUILD"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("is not authorized to perform: ecr:BatchCheckLayerAvailability"),
        "{}",
        run.stderr
    );
    emu.down_leaves_nothing(d, "push").await;
}

#[tokio::test]
async fn the_function_runs_as_its_role_and_a_route_fails_without_its_grant() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "grants", "up", "--public"])
        .ok();
    let st = common::state(d, "grants");
    let function = st["names"]["function"].as_str().unwrap();
    let sdk = emu.sdk(REGION).await;
    let env = common::function_env(&aws_sdk_lambda::Client::new(&sdk), function).await;
    let role = emu.function_role(function).await;
    assert!(role.arn.contains(":assumed-role/"), "{}", role.arn);
    let served = emu.serve_function(&env, &role);
    let (status, body) = served.call("GET", "/list-images", None);
    assert_eq!(status, 200, "{body}");

    // Without the grant to list the uploads, listing fails, as the role.
    let iam = aws_sdk_iam::Client::new(&sdk);
    remove_statement(
        &iam,
        st["names"]["function_role"].as_str().unwrap(),
        "ListUploads",
    )
    .await;
    let (status, body) = served.call("GET", "/list-images", None);
    assert_eq!(status, 502, "{body}");
    assert!(body.contains("s3:ListBucket"), "{body}");
    assert!(
        emu.iam_refusals()
            .iter()
            .any(|r| r["principal"] == role.arn.as_str() && r["action"] == "s3:ListBucket"),
        "{:?}",
        emu.iam_refusals()
    );
    drop(served);
    emu.down_leaves_nothing(d, "grants").await;
}
