//! What AWS refuses, the emulator refuses (tests/emulator/aws_rules.py,
//! listed with their sources in tests/emulator/RULES.md): one test per rule
//! of AWS's that moto alone does not keep, each against photosky as it
//! deploys, and each shown to bite (the rule refuses what photosky once
//! did).

use std::time::Duration;

use crate::common::{self, changed_steps, state, Emulator, REGION};

/// API Gateway refuses overlapping writes to one REST API (409 "concurrent
/// modification"): `up` writes one at a time, and retries the conflict when
/// another writer holds the API.
#[tokio::test]
async fn up_meets_api_gateways_concurrent_modification_rule() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Another writer holds the API for the first three of photosky's writes.
    emu.rules(Some("conflicts=3"));
    let out = emu
        .photosky(d, &["--name", "overlap", "--output", "json", "up"])
        .ok()
        .json();
    assert_eq!(emu.refused("apigateway_concurrent_modification"), 3);

    // Every method is there and proxies to the function.
    let api = out["api_id"].as_str().unwrap();
    let apigw = aws_sdk_apigateway::Client::new(&emu.sdk(REGION).await);
    let methods = common::api_methods(&apigw, api).await;
    assert_eq!(methods.len(), 6, "{methods:?}");
    let resources = apigw.get_resources().rest_api_id(api).send().await.unwrap();
    for (path, method, ..) in &methods {
        let resource = resources
            .items()
            .iter()
            .find(|r| r.path() == Some(path.as_str()))
            .unwrap();
        let integration = apigw
            .get_integration()
            .rest_api_id(api)
            .resource_id(resource.id().unwrap())
            .http_method(method)
            .send()
            .await
            .unwrap();
        assert!(
            integration
                .uri()
                .unwrap()
                .contains(out["function"].as_str().unwrap()),
            "{method} {path}"
        );
    }
    // A method guarded the other way is made again, one write at a time.
    emu.photosky(d, &["--name", "overlap", "up", "--public"])
        .ok();
    let open = common::api_methods(&apigw, api).await;
    assert!(open.iter().all(|(.., auth, _)| auth == "NONE"), "{open:?}");
    emu.down_leaves_nothing(d, "overlap").await;
}

/// Lambda checks that the execution role may `s3:PutObject` and
/// `s3:ListBucket` an S3 on-failure destination, with no request context
/// for a condition: the role `up` writes passes for the thumbnail bucket;
/// a ListBucket conditioned on `s3:prefix` (photosky's grant on the
/// artifacts bucket until December 2026) is refused.
#[tokio::test]
async fn the_failure_destination_passes_lambdas_permission_check() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = emu
        .photosky(d, &["--name", "dest", "--output", "json", "up"])
        .ok()
        .json();
    let function = out["function"].as_str().unwrap();
    let dest = format!("arn:aws:s3:::{}", out["dest_bucket"].as_str().unwrap());
    let sdk = emu.sdk(REGION).await;
    let lambda = aws_sdk_lambda::Client::new(&sdk);
    let config = lambda
        .get_function_event_invoke_config()
        .function_name(function)
        .send()
        .await
        .unwrap();
    let destination = config
        .destination_config()
        .and_then(|c| c.on_failure())
        .and_then(|f| f.destination())
        .unwrap();
    assert_eq!(destination, dest);

    // The records expire there, and only they.
    let s3 = emu.s3(REGION).await;
    let lifecycle = s3
        .get_bucket_lifecycle_configuration()
        .bucket(out["dest_bucket"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let prefixes: Vec<_> = lifecycle
        .rules()
        .iter()
        .map(|r| r.filter().and_then(|f| f.prefix()).unwrap_or_default())
        .collect();
    assert_eq!(prefixes, ["aws/lambda/async/"]);

    // The same role with its thumbnail listing conditioned on a prefix is
    // refused by the check, with Lambda's error.
    let iam = aws_sdk_iam::Client::new(&sdk);
    let role = state(d, "dest")["names"]["function_role"]
        .as_str()
        .unwrap()
        .to_owned();
    let doc = iam
        .get_role_policy()
        .role_name(&role)
        .policy_name("photosky")
        .send()
        .await
        .unwrap()
        .policy_document()
        .to_owned();
    let mut policy: serde_json::Value = serde_json::from_str(&common::url_decoded(&doc)).unwrap();
    for st in policy["Statement"].as_array_mut().unwrap() {
        if st["Action"] == "s3:ListBucket" && st["Resource"] == dest.as_str() {
            st["Condition"] =
                serde_json::json!({"StringLike": {"s3:prefix": ["aws/lambda/async/*"]}});
        }
    }
    iam.put_role_policy()
        .role_name(&role)
        .policy_name("photosky")
        .policy_document(policy.to_string())
        .send()
        .await
        .unwrap();
    let refused = lambda
        .put_function_event_invoke_config()
        .function_name(function)
        .destination_config(
            aws_sdk_lambda::types::DestinationConfig::builder()
                .on_failure(
                    aws_sdk_lambda::types::OnFailure::builder()
                        .destination(&dest)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    let refused = refused.into_service_error();
    assert!(
        refused.is_invalid_parameter_value_exception(),
        "{refused:?}"
    );
    assert!(
        format!("{refused:?}").contains("s3:ListBucket"),
        "{refused:?}"
    );
    assert_eq!(emu.refused("lambda_destination_permissions"), 1);
    emu.down_leaves_nothing(d, "dest").await;
}

/// A function idle for weeks is Inactive until invoked: a no-op `up` has
/// nothing to wait for, `status` calls it healthy and says it wakes on the
/// next request, and a changed setting still updates it.
#[tokio::test]
async fn an_idle_inactive_function_is_settled_not_waited_for() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = emu
        .photosky(d, &["--name", "idle", "--output", "json", "up"])
        .ok()
        .json();
    let function = out["function"].as_str().unwrap().to_owned();
    let rules = emu.rules(Some("inactive=1"));
    assert_eq!(rules["inactive"], serde_json::json!([function]));

    let again = emu
        .photosky(d, &["--name", "idle", "--output", "json", "up"])
        .ok()
        .json();
    assert_eq!(changed_steps(&again), Vec::<String>::new());
    let status = emu.photosky(d, &["--name", "idle", "status"]).ok();
    assert!(
        status
            .stdout
            .contains("state inactive: wakes on the next request"),
        "{}",
        status.stdout
    );
    assert!(!status.stdout.contains("UNHEALTHY"), "{}", status.stdout);

    // An update wakes it.
    let bigger = emu
        .photosky(
            d,
            &[
                "--name", "idle", "--output", "json", "up", "--memory", "2048",
            ],
        )
        .ok()
        .json();
    assert_eq!(changed_steps(&bigger), ["function"]);
    assert_eq!(emu.rules(None)["inactive"], serde_json::json!([]));
    emu.down_leaves_nothing(d, "idle").await;
}

/// AdminCreateUser sends its invitation by SMS unless told otherwise, and
/// our users have no phone number: `user add --send-email` asks for EMAIL.
#[tokio::test]
async fn user_add_send_email_asks_cognito_for_email() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "mail", "up"]).ok();
    let added = emu
        .photosky(
            d,
            &[
                "--name",
                "mail",
                "--output",
                "json",
                "user",
                "add",
                "bo@example.com",
                "--send-email",
            ],
        )
        .ok()
        .json();
    assert_eq!(added["emailed"], true);
    assert_eq!(emu.refused("cognito_delivery_medium"), 0);
    let listed = emu.photosky(d, &["--name", "mail", "user", "list"]).ok();
    assert!(
        listed.stdout.contains("bo@example.com"),
        "{}",
        listed.stdout
    );
    emu.down_leaves_nothing(d, "mail").await;
}

/// S3 validates a notification's Lambda destination against the
/// function's resource policy (s3.amazonaws.com, this bucket, this
/// account): without the permission the notification is refused, and `up`
/// puts the permission back before the notification.
#[tokio::test]
async fn a_notification_needs_the_functions_permission_for_its_bucket() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "notify", "up"]).ok();
    let st = state(d, "notify");
    let (function, bucket) = (
        st["names"]["function"].as_str().unwrap(),
        st["names"]["source_bucket"].as_str().unwrap(),
    );
    let sdk = emu.sdk(REGION).await;
    let s3 = emu.s3(REGION).await;
    let config = s3
        .get_bucket_notification_configuration()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
    assert_eq!(config.lambda_function_configurations().len(), 1);
    aws_sdk_lambda::Client::new(&sdk)
        .remove_permission()
        .function_name(function)
        .statement_id("photosky-s3")
        .send()
        .await
        .unwrap();
    let refused = s3
        .put_bucket_notification_configuration()
        .bucket(bucket)
        .notification_configuration(
            aws_sdk_s3::types::NotificationConfiguration::builder()
                .set_lambda_function_configurations(Some(
                    config.lambda_function_configurations().to_vec(),
                ))
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    let refused = format!("{:?}", aws_sdk_s3::error::DisplayErrorContext(&refused));
    assert!(
        refused.contains("Unable to validate the following destination configurations"),
        "{refused}"
    );
    assert_eq!(emu.refused("s3_notification_unvalidated"), 1);

    // up finds the permission gone and puts it back; the notification
    // passes S3's check again.
    let out = emu
        .photosky(d, &["--name", "notify", "--output", "json", "up"])
        .ok()
        .json();
    assert!(
        changed_steps(&out).contains(&"s3-permission".to_owned()),
        "{out}"
    );
    assert_eq!(emu.refused("s3_notification_unvalidated"), 1);
    emu.down_leaves_nothing(d, "notify").await;
}

/// A build's modelled length on the latency model at `scale`: the
/// compiling kind's phases (the longer of the two) in real seconds.
fn modelled_build(scale: f64) -> Duration {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/emulator/aws_latency.json"
    );
    let model: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let phases = model["codebuild"]["phases"].as_object().unwrap();
    let seconds: f64 = phases
        .values()
        .map(|p| {
            let s = &p["seconds"];
            s["compile"].as_f64().or(s.as_f64()).unwrap()
        })
        .sum();
    Duration::from_secs_f64(seconds * scale)
}

/// `up` with its build recorded, then killed (SIGKILL); the build id.
fn up_killed_once_its_build_is_recorded(
    emu: &Emulator,
    d: &std::path::Path,
    stack: &str,
) -> String {
    let mut run = emu.spawn(d, &["--name", stack, "up"]);
    let file = d.join(format!("{stack}.json"));
    let build = loop {
        let st = std::fs::read(&file)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
        if let Some(id) = st
            .as_ref()
            .and_then(|st| st["resources"]["build"]["id"].as_str())
        {
            break id.to_owned();
        }
        assert!(
            run.0.try_wait().unwrap().is_none(),
            "up ended before its build was recorded"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    run.0.kill().unwrap();
    run.0.wait().unwrap();
    assert!(
        state(d, stack)["resources"].get("image").is_none(),
        "killed mid-build"
    );
    build
}

/// The builds of the stack's CodeBuild project.
async fn builds(emu: &Emulator, d: &std::path::Path, stack: &str) -> Vec<String> {
    let project = state(d, stack)["names"]["project"]
        .as_str()
        .unwrap()
        .to_owned();
    let cb = aws_sdk_codebuild::Client::new(&emu.sdk(REGION).await);
    cb.list_builds_for_project()
        .project_name(project)
        .send()
        .await
        .unwrap()
        .ids()
        .to_vec()
}

/// `up` killed while its image builds: the next `up` waits for that build,
/// whether it still runs, has ended meanwhile, or was started but never
/// recorded, and starts no second one (on AWS its push of the same
/// immutable tag would fail after a whole build).
#[tokio::test]
async fn a_run_killed_while_its_build_runs_is_resumed_by_waiting() {
    // AWS's time at 1%: a build lasts seconds, long enough to be killed in.
    const SCALE: f64 = 0.01;
    let emu = Emulator::with_latency(SCALE);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // Killed (SIGKILL) mid-build; `up` again at once, the build still running.
    let build = up_killed_once_its_build_is_recorded(&emu, d, "running");
    let resumed = emu.photosky(d, &["--name", "running", "up"]).ok();
    let waited = format!("resuming the wait for build {build}");
    assert!(resumed.stderr.contains(&waited), "{}", resumed.stderr);
    assert_eq!(builds(&emu, d, "running").await, [build]);

    // Killed mid-build; `up` again once the build has ended (it succeeded,
    // and nothing asked about it since).
    let build = up_killed_once_its_build_is_recorded(&emu, d, "ended");
    std::thread::sleep(modelled_build(SCALE) + Duration::from_secs(1));
    let resumed = emu.photosky(d, &["--name", "ended", "up"]).ok();
    assert_eq!(builds(&emu, d, "ended").await, [build]);
    assert!(
        state(d, "ended")["resources"]["image"]["id"]
            .as_str()
            .unwrap()
            .starts_with("sha256:"),
        "{}",
        resumed.stderr
    );

    // Ended between StartBuild and its record: found by listing the
    // project's running builds of this image tag.
    let crashed = emu.photosky_env(
        d,
        &["--name", "unrecorded", "up"],
        &[(photosky::fault::VAR, "build")],
    );
    assert_eq!(
        crashed.code,
        photosky::fault::EXIT_CODE,
        "{}",
        crashed.stderr
    );
    assert!(state(d, "unrecorded")["resources"].get("build").is_none());
    let started = builds(&emu, d, "unrecorded").await;
    assert_eq!(started.len(), 1);
    let resumed = emu.photosky(d, &["--name", "unrecorded", "up"]).ok();
    let waited = format!("resuming the wait for build {}", started[0]);
    assert!(resumed.stderr.contains(&waited), "{}", resumed.stderr);
    assert_eq!(builds(&emu, d, "unrecorded").await, started);

    for stack in ["running", "ended", "unrecorded"] {
        emu.down_leaves_nothing(d, stack).await;
    }
}
