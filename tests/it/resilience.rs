//! Crashes, lost responses, hand deletions and AWS's own timings: `up`
//! resumes, adopts and waits, and `down` cleans up.

use crate::common::{self, changed_steps, recorded_steps, state, Emulator, REGION};

/// A crash after each step's create returned and before it was recorded;
/// then `up` adopts what exists and completes, and `down` leaves nothing.
#[tokio::test]
async fn a_crash_after_any_step_resumes_and_cleans_up() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (i, step) in recorded_steps().iter().enumerate() {
        let stack = format!("crash{i}");
        let crashed = emu.photosky_env(
            d,
            &["--name", &stack, "up"],
            &[(photosky::fault::VAR, step)],
        );
        assert_eq!(
            crashed.code,
            photosky::fault::EXIT_CODE,
            "the injected crash at {step} happened"
        );
        let st = state(d, &stack);
        assert!(
            st["resources"].get(*step).is_none(),
            "{step} is not recorded yet"
        );
        assert!(
            st["names"]["suffix"].is_string(),
            "names were saved before anything was made"
        );

        if i % 4 == 3 {
            // Sometimes give up instead of resuming: down alone must clean up.
            emu.photosky(d, &["--name", &stack, "down", "--yes"]).ok();
        } else {
            emu.photosky(d, &["--name", &stack, "up"]).ok();
            let st = state(d, &stack);
            for s in recorded_steps() {
                assert!(
                    st["resources"].get(s).is_some(),
                    "{s} recorded after resuming from {step}"
                );
            }
            let made = emu.leftovers(REGION, &format!("{stack}-")).await;
            assert_eq!(
                made.iter().filter(|r| r.starts_with("rest api")).count(),
                1,
                "no duplicate API: {made:?}"
            );
            assert_eq!(
                made.iter().filter(|r| r.starts_with("s3 bucket")).count(),
                3,
                "{made:?}"
            );
            emu.photosky(d, &["--name", &stack, "status"]).ok();
            emu.photosky(d, &["--name", &stack, "down", "--yes"]).ok();
        }
        assert_eq!(
            emu.leftovers(REGION, &format!("{stack}-")).await,
            Vec::<String>::new(),
            "after crash at {step}"
        );
    }
}

/// The scale of the latency model in the crash test: AWS's time x 0.02, so
/// the modelled 10-minute build takes about 12 s and a call 6 ms.
const SCALE: f64 = 0.02;

/// A crash while several steps are in flight (steps run concurrently): the
/// crashed step's resource exists unrecorded, others are cut off mid-way;
/// `up` resumes and adopts all of it, and `down` leaves nothing.
#[tokio::test]
async fn a_crash_with_several_steps_in_flight_resumes_and_cleans_up() {
    let emu = Emulator::with_latency(SCALE);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Each service answers its first call slowly while moto loads it: load
    // them all first, so the calls' modelled time decides the order.
    emu.leftovers(REGION, "warm-up").await;

    // The repository is recorded after two calls; the roles and buckets,
    // started with it, need four to nine.
    let crashed = emu.photosky_env(
        d,
        &["--name", "inflight", "up"],
        &[(photosky::fault::VAR, "repository")],
    );
    assert_eq!(
        crashed.code,
        photosky::fault::EXIT_CODE,
        "{}",
        crashed.stderr
    );
    let line = crashed
        .stderr
        .lines()
        .find(|l| l.contains("injected crash after `repository`"))
        .unwrap();
    let others: usize = line
        .split("with ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    assert!(others >= 2, "several steps were in flight: {line}");
    assert!(line.contains("source-bucket"), "{line}");
    let st = state(d, "inflight");
    assert!(st["resources"].get("repository").is_none());

    emu.photosky(d, &["--name", "inflight", "up"]).ok();
    let made = emu.leftovers(REGION, "inflight-").await;
    for (kind, n) in [
        ("ecr repository", 1),
        ("iam role", 2),
        ("s3 bucket", 3),
        ("rest api", 1),
    ] {
        assert_eq!(
            made.iter().filter(|r| r.starts_with(kind)).count(),
            n,
            "{kind}: {made:?}"
        );
    }
    emu.photosky(d, &["--name", "inflight", "status"]).ok();
    emu.photosky(d, &["--name", "inflight", "down", "--yes"])
        .ok();
    assert_eq!(
        emu.leftovers(REGION, "inflight-").await,
        Vec::<String>::new()
    );
}

/// In the life-cycle test, x 0.05: IAM's modelled 8 s propagation window is
/// then 400 ms, which the few calls between a role's policy and the
/// project's creation stay well inside even on a loaded machine.
const SLOW_SCALE: f64 = 0.05;

/// The whole life cycle on an emulator that keeps AWS's time: new roles and
/// permissions are refused for a while, as AWS refuses them, and the
/// propagation retries (which only mocks showed before) carry `up` through.
#[tokio::test]
async fn the_life_cycle_on_the_latency_model_waits_out_propagation() {
    // Windows wider than the typical figures (AWS documents minutes for
    // both), so that each is met on a loaded machine: a new bucket's
    // configuration is refused for 10 s (typical: about 1 s), and the build
    // role for 60 s (typical: 8 s), as the project is made only after the
    // artifacts bucket has waited that out, and the source zip and the
    // build log group are made.
    let emu = Emulator::with_latency_windows(
        SLOW_SCALE,
        r#"{"role_for_codebuild": 60, "bucket_configuration": 10}"#,
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.leftovers(REGION, "warm-up").await;
    // From source: its small zip uploads at once, so the project is created
    // while the build role is still young (the prebuilt zip, ~8 MB, can take
    // longer than the modelled window to write and upload here).
    let up = emu
        .photosky(
            d,
            &["--name", "slow", "--output", "json", "up", "--from-source"],
        )
        .ok();
    assert_eq!(up.json()["up_to_date"], false);
    let model = emu.latency();
    assert_eq!(model["scale"], SLOW_SCALE);
    // The project is created while its role is new, the notification right
    // after its permission, the buckets configured right after they are
    // made: each refused at first, each retried.
    for refusal in [
        "role_for_codebuild",
        "permission_for_s3",
        "bucket_configuration",
    ] {
        assert!(
            model["refusals"][refusal].as_u64().unwrap_or(0) >= 1,
            "{refusal}: {model}"
        );
    }
    assert!(
        up.stderr
            .contains("AWS has not propagated the new permission yet (InvalidInputException)"),
        "{}",
        up.stderr
    );
    assert!(
        up.stderr
            .contains("AWS has not propagated the new permission yet (InvalidArgument)"),
        "{}",
        up.stderr
    );
    assert!(
        up.stderr.contains(
            "S3 does not know the new bucket everywhere yet (OperationAborted), retrying"
        ),
        "{}",
        up.stderr
    );
    // The function was Pending, then Active: status finds it healthy.
    let st = emu
        .photosky(d, &["--name", "slow", "--output", "json", "status"])
        .ok()
        .json();
    assert_eq!(st["healthy"], true, "{st}");
    let again = emu
        .photosky(d, &["--name", "slow", "up", "--from-source"])
        .ok();
    assert!(
        again.stdout.contains("nothing to change"),
        "{}",
        again.stdout
    );
    emu.down_leaves_nothing(d, "slow").await;
}

/// The response to every create in the plan is lost once: AWS carried it
/// out, the connection closed unanswered. The SDK resends and meets "already
/// exists", or (CreateRestApi, whose names are not unique) photosky looks
/// before it tries again: `up` adopts what it made, makes no second REST API
/// or build, and `down` leaves nothing, strays with the stack's tag included.
#[tokio::test]
async fn lost_create_responses_are_adopted_without_duplicates() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let creates = [
        ("CreateRepository", 1),
        ("CreateRole", 2),
        ("CreateBucket", 3),
        ("CreateLogGroup", 2),
        ("CreateProject", 1),
        ("StartBuild", 1),
        ("CreateFunction", 1),
        ("AddPermission", 2),
        ("PutBucketNotificationConfiguration", 1),
        ("CreateRestApi", 1),
        ("CreateDeployment", 1),
        ("CreateUserPool", 1),
        ("CreateUserPoolClient", 1),
        ("CreateAuthorizer", 1),
    ];
    for (action, n) in creates {
        emu.drop_responses(action, n);
    }
    emu.photosky(d, &["--name", "lost", "up"]).ok();
    let dropped = emu.dropped();
    for (action, n) in creates {
        assert_eq!(dropped[action], n, "{action}: {dropped}");
    }
    let c = emu.sdk(REGION).await;
    let apigw = aws_sdk_apigateway::Client::new(&c);
    let apis = apigw.get_rest_apis().send().await.unwrap();
    let names: Vec<_> = apis.items().iter().filter_map(|a| a.name()).collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let cb = aws_sdk_codebuild::Client::new(&c);
    let project = state(d, "lost")["names"]["project"]
        .as_str()
        .unwrap()
        .to_owned();
    let builds = cb
        .list_builds_for_project()
        .project_name(&project)
        .send()
        .await
        .unwrap();
    assert_eq!(builds.ids().len(), 1, "{:?}", builds.ids());
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(&c);
    let pools = cognito
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    assert_eq!(pools.user_pools().len(), 1, "one user pool");
    let pool = pools.user_pools()[0].id().unwrap();
    let clients = cognito
        .list_user_pool_clients()
        .user_pool_id(pool)
        .send()
        .await
        .unwrap();
    assert_eq!(clients.user_pool_clients().len(), 1, "one app client");
    let api = apis.items()[0].id().unwrap();
    let used = state(d, "lost")["resources"]["api-integration"]["id"].clone();
    assert_eq!(
        common::authorizers(&apigw, api)
            .await
            .iter()
            .map(|a| serde_json::json!(a.id()))
            .collect::<Vec<_>>(),
        [used],
        "one authorizer, the one the methods use"
    );
    let again = emu
        .photosky(d, &["--name", "lost", "--output", "json", "up"])
        .ok();
    assert_eq!(changed_steps(&again.json()), Vec::<String>::new());

    // Two more APIs of the stack's name, as an older photosky's retried
    // create made: the one with the stack's tag is a stray `down` removes;
    // the untagged one is not ours.
    let api_name = names[0].to_owned();
    for tagged in [true, false] {
        let mut req = apigw.create_rest_api().name(&api_name);
        if tagged {
            req = req.tags("photosky-stack", "lost");
        }
        req.send().await.unwrap();
    }
    emu.photosky(d, &["--name", "lost", "down", "--yes"]).ok();
    assert_eq!(
        emu.leftovers(REGION, "lost-").await,
        vec![format!("rest api {api_name}")]
    );
    let left = apigw.get_rest_apis().send().await.unwrap();
    assert!(left.items()[0].tags().is_none_or(|t| t.is_empty()));
}

#[tokio::test]
async fn hand_deleted_resources_show_as_drift_are_recreated_and_down_copes() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = emu
        .photosky(d, &["--name", "drift", "--output", "json", "up"])
        .ok()
        .json();
    let sdk = emu.sdk(REGION).await;
    let lambda = aws_sdk_lambda::Client::new(&sdk);
    let function = out["function"].as_str().unwrap();
    lambda
        .delete_function()
        .function_name(function)
        .send()
        .await
        .unwrap();
    let apigw = aws_sdk_apigateway::Client::new(&sdk);
    apigw
        .delete_rest_api()
        .rest_api_id(out["api_id"].as_str().unwrap())
        .send()
        .await
        .unwrap();

    let status = emu.photosky(d, &["--name", "drift", "--output", "json", "status"]);
    assert_eq!(status.code, 1, "missing resources make status fail");
    let st = status.json();
    let drifted: Vec<_> = st["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["drift"] == true)
        .map(|r| r["step"].as_str().unwrap())
        .collect();
    assert!(
        drifted.contains(&"function") && drifted.contains(&"rest-api"),
        "{drifted:?}"
    );

    // up repairs it: a new function and API, wired up again.
    let repaired = emu
        .photosky(d, &["--name", "drift", "--output", "json", "up"])
        .ok()
        .json();
    assert_ne!(repaired["api_id"], out["api_id"]);
    emu.photosky(d, &["--name", "drift", "status"]).ok();

    // Deleted by hand again, then down: already gone is fine.
    lambda
        .delete_function()
        .function_name(function)
        .send()
        .await
        .unwrap();
    let s3 = emu.s3(REGION).await;
    s3.delete_bucket()
        .bucket(out["dest_bucket"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let down = emu.photosky(d, &["--name", "drift", "down", "--yes"]).ok();
    assert!(down.stderr.contains("already gone"), "{}", down.stderr);
    assert_eq!(emu.leftovers(REGION, "drift-").await, Vec::<String>::new());
}
