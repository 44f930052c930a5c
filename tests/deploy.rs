//! `photosky up`, `status` and `down` end to end against the moto emulator,
//! judged by listing every service, not by reading the state file.

mod common;

use std::fs::{self, OpenOptions};
use std::io::Write;

use common::{changed_steps, state, url_decoded, Emulator, REGION};

/// The steps `up` records, in plan order.
fn recorded_steps() -> Vec<&'static str> {
    photosky::plan::PLAN.iter().map(|s| s.key).collect()
}

#[tokio::test]
async fn up_status_up_again_down_leaves_nothing() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    let up = emu
        .photosky(d, &["--name", "life", "--output", "json", "up"])
        .ok();
    let out = up.json();
    assert_eq!(out["up_to_date"], false);
    assert_eq!(
        out["changes"].as_array().unwrap().len(),
        recorded_steps().len()
    );
    let api_id = out["api_id"].as_str().unwrap();
    assert_eq!(
        out["api_url"],
        format!("https://{api_id}.execute-api.{REGION}.amazonaws.com/prod/")
    );
    assert!(out["image_digest"].as_str().unwrap().starts_with("sha256:"));
    assert!(
        up.stderr.contains("building image"),
        "progress goes to stderr"
    );

    // The function runs the digest the build pushed, not a movable tag.
    let sdk = emu.sdk(REGION).await;
    let lambda = aws_sdk_lambda::Client::new(&sdk);
    let f = lambda
        .get_function()
        .function_name(out["function"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let image_uri = f.code().unwrap().image_uri().unwrap();
    assert!(
        image_uri.ends_with(&format!("@{}", out["image_digest"].as_str().unwrap())),
        "{image_uri}"
    );
    let cfg = f.configuration().unwrap();
    assert_eq!(cfg.memory_size(), Some(1024));
    let env = cfg.environment().unwrap().variables().unwrap();
    assert_eq!(env["SOURCE_BUCKET"], out["source_bucket"].as_str().unwrap());
    assert_eq!(env["DEST_BUCKET"], out["dest_bucket"].as_str().unwrap());

    // Buckets: public access blocked, encrypted, TLS-only policy, CORS, tag.
    let s3 = emu.s3(REGION).await;
    for bucket in [
        out["source_bucket"].as_str().unwrap(),
        out["dest_bucket"].as_str().unwrap(),
    ] {
        let pab = s3
            .get_public_access_block()
            .bucket(bucket)
            .send()
            .await
            .unwrap();
        let pab = pab.public_access_block_configuration().unwrap();
        assert_eq!(
            (
                pab.block_public_acls(),
                pab.ignore_public_acls(),
                pab.block_public_policy(),
                pab.restrict_public_buckets()
            ),
            (Some(true), Some(true), Some(true), Some(true))
        );
        let enc = s3
            .get_bucket_encryption()
            .bucket(bucket)
            .send()
            .await
            .unwrap();
        assert!(enc.server_side_encryption_configuration().is_some());
        let policy = s3.get_bucket_policy().bucket(bucket).send().await.unwrap();
        assert!(policy.policy().unwrap().contains("aws:SecureTransport"));
        let cors = s3.get_bucket_cors().bucket(bucket).send().await.unwrap();
        assert_eq!(cors.cors_rules()[0].allowed_origins(), ["*"]);
        // Presigned GETs, and the POST upload form on the upload bucket
        // only; nothing signs a PUT.
        let methods: &[&str] = if bucket == out["source_bucket"] {
            &["GET", "HEAD", "POST"]
        } else {
            &["GET", "HEAD"]
        };
        assert_eq!(cors.cors_rules()[0].allowed_methods(), methods, "{bucket}");
        let loc = s3
            .get_bucket_location()
            .bucket(bucket)
            .send()
            .await
            .unwrap();
        assert_eq!(loc.location_constraint().unwrap().as_str(), REGION);
    }
    let notif = s3
        .get_bucket_notification_configuration()
        .bucket(out["source_bucket"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let rule = &notif.lambda_function_configurations()[0];
    assert!(rule
        .lambda_function_arn()
        .ends_with(out["function"].as_str().unwrap()));

    // CodeBuild may assume the build role only for this account's project.
    let iam = aws_sdk_iam::Client::new(&sdk);
    let names = &state(d, "life")["names"];
    let build_role = iam
        .get_role()
        .role_name(names["build_role"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let trust = build_role
        .role()
        .unwrap()
        .assume_role_policy_document()
        .unwrap();
    let trust: serde_json::Value = serde_json::from_str(&url_decoded(trust)).unwrap();
    let condition = &trust["Statement"][0]["Condition"];
    assert_eq!(
        condition["StringEquals"]["aws:SourceAccount"],
        "123456789012"
    );
    assert!(
        condition["ArnLike"]["aws:SourceArn"]
            .as_str()
            .unwrap()
            .ends_with(&format!(":project/{}", names["project"].as_str().unwrap())),
        "{trust}"
    );

    let status = emu
        .photosky(d, &["--name", "life", "--output", "json", "status"])
        .ok();
    let st = status.json();
    assert_eq!(st["healthy"], true);
    let recorded: Vec<_> = st["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["exists"], true, "{r}");
            r["step"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(recorded, recorded_steps());

    let again = emu.photosky(d, &["--name", "life", "up"]).ok();
    assert!(
        again.stdout.contains("is up to date: nothing to change"),
        "{}",
        again.stdout
    );
    let before = emu.leftovers(REGION, "life-").await;
    assert_eq!(
        before.iter().filter(|r| r.starts_with("rest api")).count(),
        1,
        "{before:?}"
    );

    // Non-interactive without --yes: refused, nothing deleted.
    let refused = emu.photosky(d, &["--name", "life", "down"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    assert_eq!(emu.leftovers(REGION, "life-").await, before);

    // Put objects (and versions) in the buckets: down must empty them.
    let src = out["source_bucket"].as_str().unwrap();
    s3.put_bucket_versioning()
        .bucket(src)
        .versioning_configuration(
            aws_sdk_s3::types::VersioningConfiguration::builder()
                .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .unwrap();
    for i in 0..3 {
        s3.put_object()
            .bucket(src)
            .key("uploads/a.jpg")
            .body(vec![i; 10].into())
            .send()
            .await
            .unwrap();
    }
    s3.delete_object()
        .bucket(src)
        .key("uploads/a.jpg")
        .send()
        .await
        .unwrap();

    emu.down_leaves_nothing(d, "life").await;
    assert!(
        !d.join("life.json").exists(),
        "state file removed when everything is gone"
    );

    let twice = emu.photosky(d, &["--name", "life", "down", "--yes"]).ok();
    assert!(
        twice.stdout.contains("Nothing to delete"),
        "{}",
        twice.stdout
    );
}

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

#[tokio::test]
async fn a_failed_build_names_its_phase_and_log_then_a_rerun_succeeds() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(&emu.fail_build_flag, b"").unwrap();
    let failed = emu.photosky(d, &["--name", "fails", "up"]);
    assert_eq!(failed.code, 1);
    let e = &failed.stderr;
    assert!(e.contains("error: CodeBuild build fails-"), "{e}");
    assert!(e.contains("ended FAILED in phase BUILD"), "{e}");
    assert!(
        e.contains("Reason: Error while executing command: docker build"),
        "{e}"
    );
    assert!(
        e.contains("| error: failed to solve"),
        "the build log's last lines: {e}"
    );
    assert!(
        e.contains("console.aws.amazon.com/codesuite/codebuild/123456789012/projects/fails-"),
        "{e}"
    );
    let st = state(d, "fails");
    assert!(st["resources"].get("project").is_some());
    assert!(st["resources"].get("image").is_none());
    assert!(
        st["resources"].get("function").is_none(),
        "nothing after the build was attempted"
    );

    fs::remove_file(&emu.fail_build_flag).unwrap();
    emu.photosky(d, &["--name", "fails", "up"]).ok();
    emu.photosky(d, &["--name", "fails", "status"]).ok();
    emu.down_leaves_nothing(d, "fails").await;
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

#[tokio::test]
async fn settings_and_a_changed_image_are_applied_on_rerun_in_us_east_1() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let region = "us-east-1";
    let first = emu
        .photosky(
            d,
            &[
                "--name", "east", "--region", region, "--output", "json", "up",
            ],
        )
        .ok()
        .json();
    let function = first["function"].as_str().unwrap();
    let sdk = emu.sdk(region).await;
    let lambda = aws_sdk_lambda::Client::new(&sdk);
    let s3 = emu.s3(region).await;

    // The stack stays in its region.
    let wrong = emu.photosky(d, &["--name", "east", "--region", "eu-west-1", "up"]);
    assert_eq!(wrong.code, 2);
    assert!(
        wrong.stderr.contains("lives in us-east-1"),
        "{}",
        wrong.stderr
    );

    let rerun = emu.photosky(
        d,
        &[
            "--name",
            "east",
            "--output",
            "json",
            "up",
            "--memory",
            "2048",
            "--timeout",
            "30",
            "--cors-origin",
            "https://photos.example.com",
        ],
    );
    // The origin also goes into API Gateway's own errors (a redeploy).
    assert_eq!(
        changed_steps(&rerun.ok().json()),
        [
            "source-bucket",
            "dest-bucket",
            "function",
            "api-integration",
            "api-stage"
        ]
    );
    let apigw = aws_sdk_apigateway::Client::new(&sdk);
    let api = state(d, "east")["resources"]["rest-api"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let origin = Some("'https://photos.example.com'".to_owned());
    assert_eq!(
        common::gateway_cors(&apigw, &api).await,
        [origin.clone(), origin]
    );
    let cfg = lambda
        .get_function_configuration()
        .function_name(function)
        .send()
        .await
        .unwrap();
    assert_eq!((cfg.memory_size(), cfg.timeout()), (Some(2048), Some(30)));
    let cors = s3
        .get_bucket_cors()
        .bucket(first["source_bucket"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        cors.cors_rules()[0].allowed_origins(),
        ["https://photos.example.com"]
    );

    // Someone points the function at another image: up puts ours back.
    let ecr = aws_sdk_ecr::Client::new(&sdk);
    let repo = function; // the repository has the function's name
    let manifest = r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1,"digest":"sha256:aa"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":1,"digest":"sha256:bb"}]}"#;
    let other = ecr
        .put_image()
        .repository_name(repo)
        .image_manifest(manifest)
        .image_tag("other")
        .send()
        .await
        .unwrap();
    let other_digest = other
        .image()
        .unwrap()
        .image_id()
        .unwrap()
        .image_digest()
        .unwrap()
        .to_owned();
    let repo_uri = format!("123456789012.dkr.ecr.{region}.amazonaws.com/{repo}");
    lambda
        .update_function_code()
        .function_name(function)
        .image_uri(format!("{repo_uri}@{other_digest}"))
        .send()
        .await
        .unwrap();
    let fixed = emu
        .photosky(d, &["--name", "east", "--output", "json", "up"])
        .ok()
        .json();
    assert_eq!(fixed["changes"][0]["step"], "function");
    assert_eq!(fixed["changes"][0]["outcome"], "updated (image)");
    let f = lambda
        .get_function()
        .function_name(function)
        .send()
        .await
        .unwrap();
    assert_eq!(
        f.code().unwrap().image_uri().unwrap(),
        format!("{repo_uri}@{}", first["image_digest"].as_str().unwrap())
    );

    emu.photosky(d, &["--name", "east", "down", "--yes"]).ok();
    assert_eq!(emu.leftovers(region, "east-").await, Vec::<String>::new());
}

#[test]
fn a_corrupt_or_newer_state_file_is_reported_and_never_overwritten() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let path = d.join("photosky.json");
    for bytes in [
        &b"{\"version\": 1, \"stack\": \"photo"[..],
        &br#"{"version": 7, "stack": "photosky"}"#[..],
    ] {
        fs::write(&path, bytes).unwrap();
        for cmd in [&["up"][..], &["down", "--yes"], &["status"]] {
            let run = emu.photosky(d, cmd);
            assert_eq!(run.code, 2, "{cmd:?}");
            assert!(
                run.stderr.contains(&path.display().to_string()),
                "names the file: {}",
                run.stderr
            );
            assert!(run.stderr.contains("hint:"), "{}", run.stderr);
            assert_eq!(
                fs::read(&path).unwrap(),
                bytes,
                "file left as it was after {cmd:?}"
            );
        }
    }
}

/// What a state file names and sets is sent to AWS: a name that is not the
/// stack's own, or a setting AWS would refuse, stops every command before
/// any call, and the file is kept as it is.
#[tokio::test]
async fn a_state_file_naming_what_is_not_the_stacks_is_refused_before_any_call() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "claim", "up"]).ok();
    let path = d.join("claim.json");
    let good = fs::read(&path).unwrap();
    for (pointer, value, field) in [
        (
            "/names/source_bucket",
            serde_json::json!("../../x"),
            "names.source_bucket",
        ),
        (
            "/names/dest_bucket",
            serde_json::json!("someone-elses-bucket"),
            "names.dest_bucket",
        ),
        (
            "/settings/memory_mb",
            serde_json::json!(999999),
            "settings.memory_mb",
        ),
        (
            "/settings/upload_prefix",
            serde_json::json!("../"),
            "settings.upload_prefix",
        ),
    ] {
        let mut st: serde_json::Value = serde_json::from_slice(&good).unwrap();
        *st.pointer_mut(pointer).unwrap() = value;
        let bytes = serde_json::to_vec_pretty(&st).unwrap();
        fs::write(&path, &bytes).unwrap();
        let before = emu.requests_total();
        for cmd in [&["up"][..], &["down", "--yes"], &["status"]] {
            let mut args = vec!["--name", "claim"];
            args.extend(cmd);
            let run = emu.photosky(d, &args);
            assert_eq!(run.code, 2, "{cmd:?} with {field}: {}", run.stderr);
            assert!(run.stderr.contains(field), "{}", run.stderr);
            assert!(run.stderr.contains("hint:"), "{}", run.stderr);
            assert_eq!(fs::read(&path).unwrap(), bytes, "kept after {cmd:?}");
        }
        assert_eq!(emu.requests_total(), before, "no call with {field}");
    }
    fs::write(&path, &good).unwrap();
    emu.down_leaves_nothing(d, "claim").await;
}

/// Once `down` deleted what its state file knew, it looks for anything
/// still carrying the stack's tag: found, it is named, `down` exits 1, and
/// the next `down` (with no state file) finds and deletes it.
#[tokio::test]
async fn a_down_that_leaves_something_tagged_says_so() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "stray", "up"]).ok();
    // The stack's tag on a bucket of the stack's name pattern that its
    // state file does not know (another copy's).
    let other = "stray-zzzzzz-source";
    emu.foreign_bucket(other, Some("stray")).await;
    let down = emu.photosky(d, &["--name", "stray", "down", "--yes"]);
    assert_eq!(down.code, 1, "{}", down.stderr);
    assert!(
        down.stdout
            .contains("Still in eu-west-1, carrying the tag photosky-stack=stray"),
        "{}",
        down.stdout
    );
    assert!(down.stdout.contains(other), "{}", down.stdout);
    assert!(
        down.stderr.contains("run `photosky down` again"),
        "{}",
        down.stderr
    );
    assert!(!d.join("stray.json").exists(), "what it knew is gone");
    emu.down_leaves_nothing(d, "stray").await;
}

#[test]
fn a_second_command_on_a_locked_stack_is_refused_naming_the_holder() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut lock = OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(d.join("photosky.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    lock.write_all(b"`photosky up`, process 4242").unwrap();
    let run = emu.photosky(d, &["up"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("locked by another photosky command (`photosky up`, process 4242)"),
        "{}",
        run.stderr
    );
    assert!(!d.join("photosky.json").exists(), "nothing was planned");
    drop(lock);
    // Released (as when the holder exits or crashes): the stack is usable.
    emu.photosky(d, &["up"]).ok();
    emu.photosky(d, &["down", "--yes"]).ok();
}

#[tokio::test]
async fn a_failed_down_says_what_is_left_and_a_second_down_finishes() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = emu
        .photosky(d, &["--name", "partial", "--output", "json", "up"])
        .ok()
        .json();
    let source = out["source_bucket"].as_str().unwrap().to_owned();
    let s3 = emu.s3(REGION).await;
    s3.put_object()
        .bucket(&source)
        .key("uploads/keep.jpg")
        .body(vec![1u8; 10].into())
        .send()
        .await
        .unwrap();

    let failed = emu.photosky_env(
        d,
        &["--name", "partial", "down", "--yes"],
        &[(photosky::fault::FAIL_DELETE_VAR, "source-bucket")],
    );
    assert_eq!(failed.code, 1);
    assert!(
        failed
            .stdout
            .contains("partly deleted. Left:\n  upload bucket"),
        "{}",
        failed.stdout
    );
    assert!(
        failed
            .stderr
            .contains(&format!("deleting upload bucket ({source})")),
        "{}",
        failed.stderr
    );
    assert!(failed.stderr.contains("InjectedFault"), "{}", failed.stderr);
    assert!(
        failed.stderr.contains("hint: run `photosky down` again"),
        "{}",
        failed.stderr
    );
    // It carried on past the failure: only the upload bucket is left.
    assert_eq!(
        emu.leftovers(REGION, "partial-").await,
        vec![format!("s3 bucket {source}")]
    );
    let st = state(d, "partial");
    assert_eq!(
        st["resources"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["source-bucket"],
        "state keeps what is left"
    );

    emu.photosky(d, &["--name", "partial", "down", "--yes"])
        .ok();
    assert_eq!(
        emu.leftovers(REGION, "partial-").await,
        Vec::<String>::new()
    );
    assert!(!d.join("partial.json").exists());
}

/// The scale of the latency model in the crash test: AWS's time x 0.02, so
/// the modelled 10-minute build takes about 12 s and a call 6 ms.
const SCALE: f64 = 0.02;
/// In the life-cycle test, x 0.05: IAM's modelled 8 s propagation window is
/// then 400 ms, which the few calls between a role's policy and the
/// project's creation stay well inside even on a loaded machine.
const SLOW_SCALE: f64 = 0.05;

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

/// A build started while its role's policy has not reached CodeBuild fails
/// before the buildspec runs (ACCESS_DENIED); `up` starts it again.
#[tokio::test]
async fn a_build_refused_access_in_setup_is_started_again() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(&emu.deny_builds_file, b"1").unwrap();
    let up = emu
        .photosky(d, &["--name", "denied", "--output", "json", "up"])
        .ok();
    assert!(
        up.stderr.contains("was refused access in PROVISIONING")
            && up.stderr.contains("starting it again (1 of 3)"),
        "{}",
        up.stderr
    );
    let cb = aws_sdk_codebuild::Client::new(&emu.sdk(REGION).await);
    let project = up.json()["function"].as_str().unwrap().to_owned();
    let builds = cb
        .list_builds_for_project()
        .project_name(&project)
        .send()
        .await
        .unwrap();
    assert_eq!(builds.ids().len(), 2, "the refused build and its restart");
    emu.down_leaves_nothing(d, "denied").await;
}

/// A new account whose CodeBuild quota is 0: `up` stops with what to ask
/// Service Quotas for, and `down` removes what was made.
#[tokio::test]
async fn a_build_quota_of_zero_ends_up_with_the_hint_and_leaves_nothing() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(&emu.build_quota_flag, b"").unwrap();
    let up = emu.photosky(d, &["--name", "quota", "up"]);
    assert_eq!(up.code, 1);
    let e = &up.stderr;
    assert!(
        e.contains("error: starting a build of CodeBuild project (quota-"),
        "{e}"
    );
    assert!(e.contains("AccountLimitExceededException"), "{e}");
    assert!(
        e.contains("hint: this AWS account's CodeBuild quota") && e.contains("Service Quotas"),
        "{e}"
    );
    let st = state(d, "quota");
    assert!(
        st["resources"].get("build").is_none(),
        "no build was started"
    );
    emu.down_leaves_nothing(d, "quota").await;
}

/// `down` while a build runs (here: `up` crashed right after StartBuild,
/// before recording it) stops the build before deleting its project.
#[tokio::test]
async fn down_stops_a_running_build_before_deleting_its_project() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let crashed = emu.photosky_env(
        d,
        &["--name", "running", "up"],
        &[(photosky::fault::VAR, photosky::stack::PENDING_BUILD)],
    );
    assert_eq!(
        crashed.code,
        photosky::fault::EXIT_CODE,
        "{}",
        crashed.stderr
    );
    assert!(state(d, "running")["resources"].get("build").is_none());
    let down = emu
        .photosky(d, &["--name", "running", "down", "--yes"])
        .ok();
    let line = down
        .stderr
        .lines()
        .find(|l| l.contains("stopping build"))
        .unwrap_or_else(|| panic!("{}", down.stderr));
    let build_id = line
        .split("stopping build ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap();
    let cb = aws_sdk_codebuild::Client::new(&emu.sdk(REGION).await);
    let builds = cb.batch_get_builds().ids(build_id).send().await.unwrap();
    assert_eq!(
        builds.builds()[0].build_status().map(|s| s.as_str()),
        Some("STOPPED")
    );
    assert_eq!(
        emu.leftovers(REGION, "running-").await,
        Vec::<String>::new()
    );
}

/// The source zip `up` uploaded for stack `stack`: each entry's path and bytes.
async fn uploaded_zip(
    emu: &Emulator,
    dir: &std::path::Path,
    stack: &str,
) -> Vec<(String, Vec<u8>)> {
    let s = state(dir, stack);
    let bucket = s["names"]["artifacts_bucket"].as_str().unwrap();
    let key = s["resources"]["build-source"]["id"].as_str().unwrap();
    let body = emu
        .s3(REGION)
        .await
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap()
        .into_bytes();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body.to_vec())).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            (entry.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

/// A photosky that carries the Lambda binary (`./dev test` builds it so, as
/// `./dev install` does) uploads that binary and an assemble-only
/// Dockerfile, no Rust source; `--from-source` uploads the source instead,
/// and CodeBuild compiles; a later plain `up` goes back to the prebuilt image.
#[tokio::test]
async fn the_prebuilt_bootstrap_is_what_codebuild_gets_and_from_source_compiles() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let image_tag = |d| {
        state(d, "paths")["resources"]["image"]["applied"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    match option_env!("PHOTOSKY_BOOTSTRAP") {
        Some(path) => {
            let up = emu.photosky(d, &["--name", "paths", "up"]).ok();
            assert!(
                up.stderr
                    .contains("assembling the image from the prebuilt bootstrap"),
                "{}",
                up.stderr
            );
            assert!(
                !up.stderr.contains("carries no prebuilt handler"),
                "{}",
                up.stderr
            );
            assert!(image_tag(d).starts_with("bin-"), "{}", image_tag(d));
            let files = uploaded_zip(&emu, d, "paths").await;
            let names: Vec<_> = files.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(
                names,
                ["buildspec.yml", "handler/Dockerfile", "handler/bootstrap"]
            );
            assert_eq!(
                files[2].1,
                fs::read(path).unwrap(),
                "the bootstrap, byte for byte"
            );
            let dockerfile = String::from_utf8(files[1].1.clone()).unwrap();
            assert!(dockerfile.contains("COPY --chmod=0755 bootstrap /var/runtime/bootstrap"));
            assert!(!dockerfile.contains("cargo build"), "{dockerfile}");
        }
        None => eprintln!(
            "this photosky carries no bootstrap (PHOTOSKY_BOOTSTRAP unset when it was built): \
             only the compile path is checked; ./dev test checks both"
        ),
    }

    let from_source = emu
        .photosky(d, &["--name", "paths", "up", "--from-source"])
        .ok();
    assert!(
        from_source
            .stderr
            .contains("compiling the handler inside CodeBuild (about 10 minutes)"),
        "{}",
        from_source.stderr
    );
    assert!(image_tag(d).starts_with("src-"), "{}", image_tag(d));
    let files = uploaded_zip(&emu, d, "paths").await;
    let names: Vec<_> = files.iter().map(|(n, _)| n.as_str()).collect();
    for want in [
        "buildspec.yml",
        "handler/Cargo.lock",
        "handler/Dockerfile",
        "handler/src/main.rs",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert!(!names.contains(&"handler/bootstrap"), "{names:?}");

    if option_env!("PHOTOSKY_BOOTSTRAP").is_some() {
        // Back to the prebuilt image, which ECR still has: no build.
        let back = emu
            .photosky(d, &["--name", "paths", "--output", "json", "up"])
            .ok();
        assert!(!back.stderr.contains("building image"), "{}", back.stderr);
        assert_eq!(changed_steps(&back.json()), ["function"]);
        assert!(image_tag(d).starts_with("bin-"));
    }
    emu.down_leaves_nothing(d, "paths").await;
}

/// `down` with another account's credentials refuses before touching
/// anything (it used to report the stack deleted and drop the state file);
/// with the right ones it deletes everything.
#[tokio::test]
async fn down_with_another_accounts_credentials_refuses_and_keeps_the_state() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "mine", "up"]).ok();
    // Moto attributes requests signed with assumed-role credentials to the
    // role's account.
    let sts = aws_sdk_sts::Client::new(&emu.sdk(REGION).await);
    let other = sts
        .assume_role()
        .role_arn("arn:aws:iam::111122223333:role/someone-else")
        .role_session_name("test")
        .send()
        .await
        .unwrap();
    let c = other.credentials().unwrap();
    let wrong = emu.photosky_env(
        d,
        &["--name", "mine", "down", "--yes"],
        &[
            ("AWS_ACCESS_KEY_ID", c.access_key_id()),
            ("AWS_SECRET_ACCESS_KEY", c.secret_access_key()),
            ("AWS_SESSION_TOKEN", c.session_token()),
        ],
    );
    assert_eq!(wrong.code, 2, "{}", wrong.stderr);
    assert!(
        wrong
            .stderr
            .contains("but these credentials are for account 111122223333"),
        "{}",
        wrong.stderr
    );
    assert!(d.join("mine.json").exists(), "the state file is kept");
    assert_ne!(emu.leftovers(REGION, "mine-").await, Vec::<String>::new());
    emu.down_leaves_nothing(d, "mine").await;
}

/// A `down` that deletes everything but cannot write the state file says
/// exactly that (not that resources are left), and a second `down` finishes.
#[tokio::test]
async fn a_down_that_cannot_write_its_state_says_everything_is_deleted() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "stuck", "up"]).ok();
    let down = emu.photosky_env(
        d,
        &["--name", "stuck", "down", "--yes"],
        &[(photosky::fault::READONLY_STATE_VAR, "1")],
    );
    assert_eq!(down.code, 1);
    assert!(
        down.stderr
            .contains("every resource of stack `stuck` is deleted (")
            && down
                .stderr
                .contains("but its state file could not be removed")
            && down.stderr.contains("the state directory is read-only"),
        "{}",
        down.stderr
    );
    assert!(
        !down.stderr.contains("could not be deleted"),
        "{}",
        down.stderr
    );
    assert_eq!(emu.leftovers(REGION, "stuck-").await, Vec::<String>::new());
    assert!(d.join("stuck.json").exists());
    let again = emu.photosky(d, &["--name", "stuck", "down", "--yes"]).ok();
    assert!(
        again.stdout.contains("its state file is removed"),
        "{}",
        again.stdout
    );
    assert!(!d.join("stuck.json").exists());
}

/// A project made by an older photosky (another queued timeout, no
/// settings fingerprint) is brought up to today's settings by UpdateProject.
#[tokio::test]
async fn a_project_with_other_settings_is_updated() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "older", "up"]).ok();
    let project = state(d, "older")["names"]["project"]
        .as_str()
        .unwrap()
        .to_owned();
    let cb = aws_sdk_codebuild::Client::new(&emu.sdk(REGION).await);
    cb.update_project()
        .name(&project)
        .queued_timeout_in_minutes(480)
        .send()
        .await
        .unwrap();
    let path = d.join("older.json");
    let mut st = state(d, "older");
    st["resources"]["project"]["applied"] = "made-by-an-older-photosky".into();
    fs::write(&path, serde_json::to_vec(&st).unwrap()).unwrap();

    let up = emu
        .photosky(d, &["--name", "older", "--output", "json", "up"])
        .ok();
    let out = up.json();
    assert_eq!(changed_steps(&out), ["project"], "{out}");
    assert_eq!(out["changes"][0]["outcome"], "updated (settings)");
    let got = cb
        .batch_get_projects()
        .names(&project)
        .send()
        .await
        .unwrap();
    assert_eq!(got.projects()[0].queued_timeout_in_minutes(), Some(30));
    // And then nothing more to do.
    let again = emu.photosky(d, &["--name", "older", "up"]).ok();
    assert!(
        again.stdout.contains("nothing to change"),
        "{}",
        again.stdout
    );
    emu.down_leaves_nothing(d, "older").await;
}

/// Every step that re-applies its settings reports it the same way: a
/// resource recorded with other settings is "updated", naming what. (The
/// repository once said "up to date" here while it put a new lifecycle
/// policy.)
#[tokio::test]
async fn settings_recorded_otherwise_are_applied_again_and_reported_updated() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "recorded", "up"]).ok();
    let path = d.join("recorded.json");
    let mut st = state(d, "recorded");
    let expected = [
        ("repository", "updated (lifecycle policy)"),
        ("build-role", "updated (policy)"),
        ("source-bucket", "updated (CORS, policy and lifecycle)"),
        ("function-logs", "updated (tag, 30-day retention)"),
        ("rest-api", "updated (routes)"),
    ];
    for (step, _) in expected {
        st["resources"][step]["applied"] = "recorded-otherwise".into();
    }
    fs::write(&path, serde_json::to_vec(&st).unwrap()).unwrap();

    let out = emu
        .photosky(d, &["--name", "recorded", "--output", "json", "up"])
        .ok()
        .json();
    let mut got: Vec<(String, String)> = out["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let field = |k: &str| c[k].as_str().unwrap().to_owned();
            (field("step"), field("outcome"))
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(s, o)| (s.to_string(), o.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want, "{out}");
    let again = emu.photosky(d, &["--name", "recorded", "up"]).ok();
    assert!(
        again.stdout.contains("nothing to change"),
        "{}",
        again.stdout
    );
    emu.down_leaves_nothing(d, "recorded").await;
}

/// A state file whose names are the stack's own, but whose buckets
/// photosky did not make (one untagged, holding a file; one tagged for
/// another stack): `down` and `up` refuse before deleting or changing
/// anything, naming each, and the buckets are as they were. (Names that are
/// not the stack's at all are refused sooner, by the state file's check:
/// `a_state_file_naming_what_is_not_the_stacks_is_refused_before_any_call`.)
#[tokio::test]
async fn buckets_without_the_stack_tag_are_never_adopted_or_deleted() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "own", "up"]).ok();
    // Someone else's buckets under the names of a copy of `own` whose
    // names end in -zzzzzz.
    let (victim, other_stack) = ("own-zzzzzz-source", "own-zzzzzz-thumbnails");
    let s3 = emu.s3(REGION).await;
    emu.foreign_bucket(victim, None).await;
    emu.foreign_bucket(other_stack, Some("other")).await;
    s3.put_object()
        .bucket(victim)
        .key("precious.txt")
        .body(b"irreplaceable".to_vec().into())
        .send()
        .await
        .unwrap();
    let before = emu.leftovers(REGION, "own-").await;

    // The state file is made to name them: every name of that copy.
    let path = d.join("own.json");
    let original = fs::read_to_string(&path).unwrap();
    let mut st: serde_json::Value = serde_json::from_str(&original).unwrap();
    let suffix = st["names"]["suffix"].as_str().unwrap().to_owned();
    for name in st["names"].as_object_mut().unwrap().values_mut() {
        *name = name.as_str().unwrap().replace(&suffix, "zzzzzz").into();
    }
    fs::write(&path, serde_json::to_string_pretty(&st).unwrap()).unwrap();

    for (args, verb) in [
        (&["--name", "own", "down", "--yes"][..], "delete"),
        (&["--name", "own", "up"][..], "adopt"),
    ] {
        let run = emu.photosky(d, args);
        assert_eq!(run.code, 2, "{}", run.stderr);
        for expected in [
            format!("refusing to {verb} the upload bucket {victim}: it does not carry the tag photosky-stack=own (it has no photosky-stack tag)"),
            format!("refusing to {verb} the thumbnail bucket {other_stack}: it does not carry the tag photosky-stack=own (it is tagged photosky-stack=other)"),
            "tag it photosky-stack=own".to_owned(),
        ] {
            assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
        }
        // Nothing deleted or changed, ours or theirs.
        assert_eq!(emu.leftovers(REGION, "own-").await, before);
        let file = s3
            .get_object()
            .bucket(victim)
            .key("precious.txt")
            .send()
            .await
            .unwrap();
        assert_eq!(
            file.body.collect().await.unwrap().into_bytes().as_ref(),
            b"irreplaceable"
        );
        let tags = s3.get_bucket_tagging().bucket(victim).send().await;
        assert!(tags.is_err(), "{victim} was tagged: {tags:?}");
        assert!(s3.get_bucket_policy().bucket(victim).send().await.is_err());
        assert!(s3.get_bucket_cors().bucket(victim).send().await.is_err());
        let other = s3
            .get_bucket_tagging()
            .bucket(other_stack)
            .send()
            .await
            .unwrap();
        assert_eq!(other.tag_set()[0].value(), "other");
        assert!(path.exists(), "the state file is kept");
    }

    // With its own names back, the stack goes; the others' buckets stay.
    fs::write(&path, original).unwrap();
    emu.photosky(d, &["--name", "own", "down", "--yes"]).ok();
    let mut left = emu.leftovers(REGION, "own-").await;
    left.sort();
    assert_eq!(
        left,
        vec![
            format!("s3 bucket {victim}"),
            format!("s3 bucket {other_stack}")
        ]
    );
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

/// The log groups are made by `up`, before anything writes to them, with
/// the stack's tag and its retention (30 days unless asked), and a changed
/// retention is applied; one AWS made untagged for an older photosky is
/// adopted through its writer.
#[tokio::test]
async fn log_groups_are_made_tagged_with_a_retention() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "logs", "up"]).ok();
    let c = emu.sdk(REGION).await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&c);
    let groups = |prefix: &'static str| {
        let logs = logs.clone();
        async move {
            let out = logs
                .describe_log_groups()
                .log_group_name_prefix(prefix)
                .send()
                .await
                .unwrap();
            out.log_groups()
                .iter()
                .filter(|g| g.log_group_name().unwrap().contains("logs-"))
                .map(|g| {
                    (
                        g.log_group_name().unwrap().to_owned(),
                        g.arn().unwrap().trim_end_matches(":*").to_owned(),
                        g.retention_in_days(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let mut all = groups("/aws/lambda/").await;
    all.extend(groups("/aws/codebuild/").await);
    assert_eq!(all.len(), 2, "{all:?}");
    for (name, arn, days) in &all {
        assert_eq!(*days, Some(30), "{name}");
        let tags = logs
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .unwrap();
        assert_eq!(
            tags.tags()
                .unwrap()
                .get("photosky-stack")
                .map(String::as_str),
            Some("logs"),
            "{name}"
        );
    }
    // An older photosky left the function's group to AWS: untagged, kept
    // forever. `up` adopts it (its writer is ours) and sets the retention.
    let (function_group, arn, _) = all
        .iter()
        .find(|(n, ..)| n.starts_with("/aws/lambda/"))
        .unwrap()
        .clone();
    logs.untag_resource()
        .resource_arn(&arn)
        .tag_keys("photosky-stack")
        .send()
        .await
        .unwrap();
    logs.delete_retention_policy()
        .log_group_name(&function_group)
        .send()
        .await
        .unwrap();
    let mut st = state(d, "logs");
    st["resources"]
        .as_object_mut()
        .unwrap()
        .remove("function-logs");
    fs::write(d.join("logs.json"), st.to_string()).unwrap();
    let up = emu
        .photosky(
            d,
            &[
                "--name",
                "logs",
                "--output",
                "json",
                "up",
                "--log-retention-days",
                "7",
            ],
        )
        .ok();
    assert_eq!(
        changed_steps(&up.json()),
        vec!["build-logs", "function-logs"]
    );
    let mut all = groups("/aws/lambda/").await;
    all.extend(groups("/aws/codebuild/").await);
    for (name, arn, days) in &all {
        assert_eq!(*days, Some(7), "{name}");
        let tags = logs
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .unwrap();
        assert!(
            tags.tags().unwrap().contains_key("photosky-stack"),
            "{name}"
        );
    }
    let bad = emu.photosky(d, &["--name", "logs", "up", "--log-retention-days", "8"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("one of 1, 3, 5, 7, 14, 30"),
        "{}",
        bad.stderr
    );
    emu.down_leaves_nothing(d, "logs").await;
}

/// What `up` deploys, read back from the emulator: images and build
/// sources do not pile up forever, S3 events that fail every retry are kept
/// (not dropped), every bucket carries the stack tag from its creation, and
/// neither role may create log groups (`up` makes them).
/// A new account's Lambda quota is often 10 in all, and AWS keeps 100
/// unreserved: a cap cannot be reserved. `up` still deploys, says so, and
/// sets the cap once the quota allows it.
#[tokio::test]
async fn a_small_concurrency_quota_leaves_the_function_uncapped_and_says_so() {
    // moto keeps 100 unreserved: 105 leaves room for 5, not for 10.
    let emu = Emulator::with_lambda_quota(105);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let up = emu.photosky(d, &["--name", "small", "up"]).ok();
    let function = state(d, "small")["names"]["function"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        up.stderr.contains(&format!(
            "warning: {function} is not capped at 10 concurrent runs"
        )),
        "{}",
        up.stderr
    );
    let lambda = aws_sdk_lambda::Client::new(&emu.sdk(REGION).await);
    let cap = || async {
        lambda
            .get_function_concurrency()
            .function_name(&function)
            .send()
            .await
            .unwrap()
            .reserved_concurrent_executions()
    };
    assert_eq!(cap().await, None);
    // Each `up` tries again, and says so again, changing nothing else.
    let again = emu
        .photosky(d, &["--name", "small", "--output", "json", "up"])
        .ok();
    assert!(
        again.stderr.contains("is not capped at 10"),
        "{}",
        again.stderr
    );
    assert_eq!(again.json()["up_to_date"], true, "{}", again.stdout);
    // A cap the quota allows is set.
    emu.photosky(d, &["--name", "small", "up", "--max-concurrency", "4"])
        .ok();
    assert_eq!(cap().await, Some(4));
    emu.down_leaves_nothing(d, "small").await;
}

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

    // The API: every method but the page and the preflights is behind
    // the pool's authorizer.
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

#[tokio::test]
async fn what_up_deploys_is_hardened() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "hard", "up"]).ok();
    let names = state(d, "hard")["names"].clone();
    let name = |k: &str| names[k].as_str().unwrap().to_owned();
    let c = emu.sdk(REGION).await;

    let ecr = aws_sdk_ecr::Client::new(&c);
    let policy = ecr
        .get_lifecycle_policy()
        .repository_name(name("repository"))
        .send()
        .await
        .unwrap();
    let policy: serde_json::Value =
        serde_json::from_str(policy.lifecycle_policy_text().unwrap()).unwrap();
    let keep = &policy["rules"][1]["selection"];
    assert_eq!(keep["countType"], "imageCountMoreThan");
    assert_eq!(keep["countNumber"], photosky::resources::ecr::KEEP_IMAGES);

    let s3 = emu.s3(REGION).await;
    let lifecycle = s3
        .get_bucket_lifecycle_configuration()
        .bucket(name("artifacts_bucket"))
        .send()
        .await
        .unwrap();
    let rules: Vec<_> = lifecycle
        .rules()
        .iter()
        .map(|r| {
            (
                r.filter()
                    .and_then(|f| f.prefix())
                    .unwrap_or_default()
                    .to_owned(),
                r.expiration().and_then(|e| e.days()),
            )
        })
        .collect();
    assert_eq!(rules, vec![("source/".to_owned(), Some(30))]);
    for bucket in ["artifacts_bucket", "source_bucket", "dest_bucket"] {
        let tags = s3
            .get_bucket_tagging()
            .bucket(name(bucket))
            .send()
            .await
            .unwrap();
        assert!(
            tags.tag_set()
                .iter()
                .any(|t| t.key() == "photosky-stack" && t.value() == "hard"),
            "{bucket}"
        );
    }

    let lambda = aws_sdk_lambda::Client::new(&c);
    let invoke = lambda
        .get_function_event_invoke_config()
        .function_name(name("function"))
        .send()
        .await
        .unwrap();
    // Its on-failure destination: tests/aws_rules.rs.
    assert_eq!(invoke.maximum_retry_attempts(), Some(2));

    // A flood costs a bounded amount: at most 10 copies at once, and the
    // stage throttled.
    let cap = lambda
        .get_function_concurrency()
        .function_name(name("function"))
        .send()
        .await
        .unwrap();
    assert_eq!(cap.reserved_concurrent_executions(), Some(10));
    let apigw = aws_sdk_apigateway::Client::new(&c);
    let api_id = state(d, "hard")["resources"]["rest-api"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stage = apigw
        .get_stage()
        .rest_api_id(&api_id)
        .stage_name("prod")
        .send()
        .await
        .unwrap();
    let all = &stage.method_settings().unwrap()["*/*"];
    assert_eq!(
        (all.throttling_rate_limit(), all.throttling_burst_limit()),
        (20.0, 40)
    );
    // Deletes can be undone for a week: the upload bucket keeps old
    // versions 7 days.
    let versioning = s3
        .get_bucket_versioning()
        .bucket(name("source_bucket"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        versioning.status(),
        Some(&aws_sdk_s3::types::BucketVersioningStatus::Enabled)
    );
    let uploads = s3
        .get_bucket_lifecycle_configuration()
        .bucket(name("source_bucket"))
        .send()
        .await
        .unwrap();
    let rule = &uploads.rules()[0];
    assert_eq!(
        rule.noncurrent_version_expiration()
            .and_then(|e| e.noncurrent_days()),
        Some(7)
    );
    // A photo deleted (a delete marker over its version) still goes with
    // `down`, every version of it.
    s3.put_object()
        .bucket(name("source_bucket"))
        .key("uploads/kept.jpg")
        .body(b"jpeg".to_vec().into())
        .send()
        .await
        .unwrap();
    s3.delete_object()
        .bucket(name("source_bucket"))
        .key("uploads/kept.jpg")
        .send()
        .await
        .unwrap();
    let versions = s3
        .list_object_versions()
        .bucket(name("source_bucket"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (versions.versions().len(), versions.delete_markers().len()),
        (1, 1),
        "the deleted photo can be restored"
    );
    // Changing the settings changes the stack, and only them.
    let changed = emu
        .photosky(
            d,
            &[
                "--name",
                "hard",
                "--output",
                "json",
                "up",
                "--rate-limit",
                "5",
                "--burst-limit",
                "10",
                "--max-concurrency",
                "3",
                "--keep-deleted-days",
                "30",
            ],
        )
        .ok()
        .json();
    assert_eq!(
        changed_steps(&changed),
        vec!["source-bucket", "function", "api-stage"]
    );
    let stage = apigw
        .get_stage()
        .rest_api_id(&api_id)
        .stage_name("prod")
        .send()
        .await
        .unwrap();
    let all = &stage.method_settings().unwrap()["*/*"];
    assert_eq!(
        (all.throttling_rate_limit(), all.throttling_burst_limit()),
        (5.0, 10)
    );
    let cap = lambda
        .get_function_concurrency()
        .function_name(name("function"))
        .send()
        .await
        .unwrap();
    assert_eq!(cap.reserved_concurrent_executions(), Some(3));

    let iam = aws_sdk_iam::Client::new(&c);
    for role in ["build_role", "function_role"] {
        let doc = iam
            .get_role_policy()
            .role_name(name(role))
            .policy_name("photosky")
            .send()
            .await
            .unwrap();
        let doc = url_decoded(doc.policy_document());
        assert!(!doc.contains("logs:CreateLogGroup"), "{role}: {doc}");
    }
    emu.down_leaves_nothing(d, "hard").await;
}

/// A stack whose state file is lost is found by its names and tag: `down`
/// says what it found, asks (or `--yes`), and deletes it, leaving alone a
/// second stack in the region, a bucket with the stack's name pattern but
/// no tag, one of the stack's own names whose tag was removed, and a stack
/// of the same name in another region (its IAM roles, global, included).
#[tokio::test]
async fn down_without_a_state_file_finds_the_stack_by_its_names_and_tag() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let elsewhere = tempfile::tempdir().unwrap();
    emu.photosky(d, &["--name", "gone", "up"]).ok();
    emu.photosky(d, &["--name", "other", "up"]).ok();
    emu.photosky(
        elsewhere.path(),
        &["--name", "gone", "--region", "us-east-1", "up"],
    )
    .ok();
    let far = state(elsewhere.path(), "gone")["names"]["suffix"]
        .as_str()
        .unwrap()
        .to_owned();
    let far_before = emu.leftovers("us-east-1", &format!("gone-{far}")).await;
    assert_eq!(far_before.len(), 12, "{far_before:?}");
    let names = state(d, "gone")["names"].clone();
    let suffix = names["suffix"].as_str().unwrap().to_owned();
    let thumbnails = names["dest_bucket"].as_str().unwrap().to_owned();
    let s3 = emu.s3(REGION).await;
    emu.foreign_bucket("gone-zzzzzz-source", None).await;
    s3.delete_bucket_tagging()
        .bucket(&thumbnails)
        .send()
        .await
        .unwrap();
    let others = emu.leftovers(REGION, "other-").await;
    fs::remove_file(d.join("gone.json")).unwrap();

    // Not from a terminal, without --yes: it says what it found, and asks.
    let asked = emu.photosky(d, &["--name", "gone", "down"]);
    assert_eq!(asked.code, 2, "{}", asked.stderr);
    assert!(
        asked
            .stderr
            .contains(&format!("Found stack `gone` (names end in -{suffix})")),
        "{}",
        asked.stderr
    );
    assert!(
        asked
            .stderr
            .contains(&format!("  upload bucket gone-{suffix}-source")),
        "{}",
        asked.stderr
    );
    assert!(
        asked.stderr.contains(&format!(
            "left alone, not the stack's (no photosky-stack tag): thumbnail bucket {thumbnails}"
        )),
        "{}",
        asked.stderr
    );
    assert!(!asked.stderr.contains("zzzzzz"), "{}", asked.stderr);
    assert!(!asked.stderr.contains(&far), "{}", asked.stderr);
    assert_eq!(
        emu.leftovers(REGION, &format!("gone-{suffix}")).await.len(),
        12
    );

    emu.photosky(d, &["--name", "gone", "down", "--yes"]).ok();
    // (IAM roles and bucket names are global: the us-east-1 copy's are
    // listed from here too, and checked below.)
    let mut left = emu.leftovers(REGION, "gone-").await;
    left.retain(|r| !r.contains(&far));
    left.sort();
    assert_eq!(
        left,
        vec![
            format!("s3 bucket {thumbnails}"),
            "s3 bucket gone-zzzzzz-source".to_owned()
        ]
    );
    assert_eq!(emu.leftovers(REGION, "other-").await, others);
    assert_eq!(
        emu.leftovers("us-east-1", &format!("gone-{far}")).await,
        far_before
    );
    assert!(!d.join("gone.json").exists());
    let again = emu.photosky(d, &["--name", "gone", "down", "--yes"]).ok();
    assert!(
        again.stdout.contains("No stack `gone` in eu-west-1"),
        "{}",
        again.stdout
    );
    emu.photosky(d, &["--name", "other", "down", "--yes"]).ok();
    emu.photosky(
        elsewhere.path(),
        &["--name", "gone", "--region", "us-east-1", "down", "--yes"],
    )
    .ok();
}

/// `up` with no state file never makes a second copy of a stack that is in
/// AWS: it refuses with the way out, and `up --adopt` takes the stack over
/// (nothing created, the same names) so that `down` then removes it all.
#[tokio::test]
async fn ls_lists_every_stack_by_its_tag_and_says_which_a_state_file_knows() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "kept", "up"]).ok();
    emu.photosky(d, &["--name", "lost", "up"]).ok();
    emu.photosky(d, &["--name", "far", "--region", "us-east-1", "up"])
        .ok();
    let kept = state(d, "kept")["names"].clone();
    let kept_suffix = kept["suffix"].as_str().unwrap().to_owned();
    let lost_suffix = state(d, "lost")["names"]["suffix"]
        .as_str()
        .unwrap()
        .to_owned();
    let s3 = emu.s3(REGION).await;
    for key in ["uploads/a.jpg", "uploads/b.jpg"] {
        s3.put_object()
            .bucket(kept["source_bucket"].as_str().unwrap())
            .key(key)
            .body(b"jpeg".to_vec().into())
            .send()
            .await
            .unwrap();
    }
    // One of kept's names taken by a bucket without its tag; a bucket of
    // the names' shape that no stack's tag claims.
    s3.delete_bucket_tagging()
        .bucket(kept["dest_bucket"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    emu.foreign_bucket("decoy-abcdef-source", None).await;
    fs::remove_file(d.join("lost.json")).unwrap();
    // A state file whose stack is not in AWS, and one that cannot be read.
    let mut stale = state(d, "kept");
    stale["stack"] = "stale".into();
    stale["names"] =
        serde_json::to_value(photosky::state::Names::from_suffix("stale", "qqqqqq")).unwrap();
    fs::write(d.join("stale.json"), stale.to_string()).unwrap();
    fs::write(d.join("broken.json"), "{not json").unwrap();
    let before = (
        emu.leftovers(REGION, "kept-").await,
        emu.leftovers(REGION, "lost-").await,
    );

    let out = emu.photosky(d, &["--output", "json", "ls"]).ok().json();
    assert_eq!(out["regions"], serde_json::json!([REGION]));
    assert_eq!(out["errors"], serde_json::json!([]));
    let stacks = out["stacks"].as_array().unwrap();
    let found: Vec<(&str, &str)> = stacks
        .iter()
        .map(|s| (s["stack"].as_str().unwrap(), s["suffix"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("kept", kept_suffix.as_str()),
            ("lost", lost_suffix.as_str())
        ]
    );
    let (k, l) = (&stacks[0], &stacks[1]);
    assert_eq!(k["state_file"], d.join("kept.json").to_str().unwrap());
    assert_eq!(l["state_file"], serde_json::Value::Null);
    assert_eq!(k["photos"], 2);
    assert_eq!(l["photos"], 0);
    assert_eq!(k["resources"].as_array().unwrap().len(), 11);
    assert_eq!(l["resources"].as_array().unwrap().len(), 12);
    assert_eq!(k["taggable"], 12);
    assert_eq!(
        k["not_its_own"],
        serde_json::json!([{"kind": "thumbnail bucket", "name": kept["dest_bucket"], "why": "no photosky-stack tag"}])
    );
    let orphans: Vec<&str> = out["state_files_without_stack"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["path"].as_str().unwrap())
        .collect();
    let path = |f: &str| d.join(f).to_str().unwrap().to_owned();
    assert_eq!(orphans, vec![path("broken.json"), path("stale.json")]);

    let text = emu.photosky(d, &["ls"]).ok();
    let row = text
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("lost "))
        .unwrap_or_else(|| panic!("{}", text.stdout));
    assert!(
        row.contains(&format!("-{lost_suffix}")) && row.ends_with("none here"),
        "{row}"
    );
    assert!(
        text.stdout.contains(&format!("`lost` (-{lost_suffix}) has no state file here: take it over with `photosky --name lost --region {REGION} up --adopt`")),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("`kept` (-"), "{}", text.stdout);
    assert!(!text.stdout.contains("decoy"), "{}", text.stdout);

    // Every enabled region: the us-east-1 stack too, with its state file.
    let all = emu
        .photosky(d, &["--output", "json", "ls", "--all-regions"])
        .ok()
        .json();
    let regions = all["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 17, "{regions:?}");
    assert!(
        !regions.contains(&"af-south-1".into()),
        "opt-in, not enabled"
    );
    let far = all["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stack"] == "far")
        .expect("the us-east-1 stack");
    assert_eq!(far["region"], "us-east-1");
    assert_eq!(far["state_file"], d.join("far.json").to_str().unwrap());
    assert_eq!(all["stacks"].as_array().unwrap().len(), 3);

    // Looking changed nothing.
    assert_eq!(
        (
            emu.leftovers(REGION, "kept-").await,
            emu.leftovers(REGION, "lost-").await
        ),
        before
    );
    assert!(d.join("broken.json").exists() && d.join("stale.json").exists());
}

#[tokio::test]
async fn up_without_a_state_file_adopts_the_stack_only_when_asked() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "kept", "up"]).ok();
    let suffix = state(d, "kept")["names"]["suffix"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = emu.leftovers(REGION, "kept-").await;
    fs::remove_file(d.join("kept.json")).unwrap();

    let refused = emu.photosky(d, &["--name", "kept", "up"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains(&format!(
            "stack `kept` already exists in eu-west-1 (names end in -{suffix})"
        )) && refused.stderr.contains("up --adopt"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        emu.leftovers(REGION, "kept-").await,
        before,
        "no second copy"
    );
    assert!(!d.join("kept.json").exists());

    let adopted = emu
        .photosky(d, &["--name", "kept", "--output", "json", "up", "--adopt"])
        .ok();
    let changes = adopted.json()["changes"].clone();
    assert!(
        changes
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["outcome"] != "created"),
        "{changes}"
    );
    assert_eq!(state(d, "kept")["names"]["suffix"], suffix.as_str());
    assert_eq!(emu.leftovers(REGION, "kept-").await, before);
    let again = emu
        .photosky(d, &["--name", "kept", "--output", "json", "up"])
        .ok();
    assert_eq!(changed_steps(&again.json()), Vec::<String>::new());
    let twice = emu.photosky(d, &["--name", "kept", "up", "--adopt"]);
    assert_eq!(twice.code, 2, "{}", twice.stderr);
    emu.down_leaves_nothing(d, "kept").await;
    let nothing = emu.photosky(d, &["--name", "kept", "up", "--adopt"]);
    assert_eq!(nothing.code, 2, "{}", nothing.stderr);
    assert!(
        nothing.stderr.contains("--adopt: no resource"),
        "{}",
        nothing.stderr
    );
}

/// `logs` prints the function's events (or the build's) from `--since`
/// ago, oldest first, the handler's JSON lines made readable; `--output
/// json` gives one object per event; a missing group says so.
#[tokio::test]
async fn logs_prints_the_functions_and_the_builds_events() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "logged", "up"]).ok();
    let function = state(d, "logged")["names"]["function"]
        .as_str()
        .unwrap()
        .to_owned();
    let group = format!("/aws/lambda/{function}");
    let logs = aws_sdk_cloudwatchlogs::Client::new(&emu.sdk(REGION).await);
    logs.create_log_stream()
        .log_group_name(&group)
        .log_stream_name("2026/12/01/[$LATEST]abc")
        .send()
        .await
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let event = |ago_ms: i64, message: &str| {
        aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
            .timestamp(now - ago_ms)
            .message(message)
            .build()
            .unwrap()
    };
    logs.put_log_events()
        .log_group_name(&group)
        .log_stream_name("2026/12/01/[$LATEST]abc")
        .log_events(event(2 * 3600 * 1000, "two hours ago"))
        .log_events(event(60_000, "START RequestId: 1f2e Version: $LATEST"))
        .log_events(event(
            59_000,
            r#"{"level":"warn","event":"skipped","key":"uploads/notes.jpg","reason":"not an image"}"#,
        ))
        .send()
        .await
        .unwrap();

    let recent = emu
        .photosky(d, &["--name", "logged", "logs", "--since", "1h"])
        .ok();
    let lines: Vec<_> = recent.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", recent.stdout);
    assert!(
        lines[0].ends_with(" START RequestId: 1f2e Version: $LATEST"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].ends_with(" WARN skipped key=uploads/notes.jpg reason=not an image"),
        "{}",
        lines[1]
    );
    let all = emu
        .photosky(
            d,
            &[
                "--name", "logged", "--output", "json", "logs", "--since", "3h",
            ],
        )
        .ok();
    let events: Vec<serde_json::Value> = all
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 3, "{}", all.stdout);
    assert_eq!(events[0]["message"], "two hours ago");
    assert_eq!(events[0]["stream"], "2026/12/01/[$LATEST]abc");

    // --follow prints what arrives after it started. (The 60 s is a bound
    // on a hang, not a timing assertion.)
    let mut follow = emu.spawn(
        d,
        &["--name", "logged", "logs", "--follow", "--since", "5m"],
    );
    let stdout = follow.0.stdout.take().unwrap();
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = lines_rx.recv_timeout(std::time::Duration::from_secs(60));
    assert!(
        first.unwrap().contains("START RequestId"),
        "the backlog first"
    );
    lines_rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .unwrap();
    let later = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    logs.put_log_events()
        .log_group_name(&group)
        .log_stream_name("2026/12/01/[$LATEST]abc")
        .log_events(
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(later)
                .message("END RequestId: 1f2e")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let next = lines_rx.recv_timeout(std::time::Duration::from_secs(60));
    drop(follow);
    assert!(next.unwrap().ends_with(" END RequestId: 1f2e"));

    // The build's log, as the emulator's build wrote it.
    let build = emu
        .photosky(d, &["--name", "logged", "logs", "--build"])
        .ok();
    assert!(
        build.stdout.contains("[Container] pushed "),
        "{}",
        build.stdout
    );

    logs.delete_log_group()
        .log_group_name(&group)
        .send()
        .await
        .unwrap();
    let missing = emu.photosky(d, &["--name", "logged", "logs"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .contains(&format!("log group {group} does not exist")),
        "{}",
        missing.stderr
    );
    emu.down_leaves_nothing(d, "logged").await;
}

#[tokio::test]
async fn public_leaves_the_api_open_is_kept_by_later_ups_and_private_closes_it() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let up = emu.photosky(d, &["--name", "open", "up", "--public"]).ok();
    assert!(
        up.stderr.contains("open to anyone with its URL (--public)"),
        "{}",
        up.stderr
    );
    assert!(
        up.stdout.contains("Sign-in:           none"),
        "{}",
        up.stdout
    );
    let st = state(d, "open");
    assert_eq!(st["settings"]["public"], true);
    let sdk = emu.sdk(REGION).await;
    let apigw = aws_sdk_apigateway::Client::new(&sdk);
    let lambda = aws_sdk_lambda::Client::new(&sdk);
    let api = st["resources"]["rest-api"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let function = st["names"]["function"].as_str().unwrap().to_owned();
    let guards = |methods: Vec<(String, String, String, Option<String>)>| {
        methods
            .into_iter()
            .map(|(path, method, auth, _)| format!("{method} {path} {auth}"))
            .collect::<Vec<_>>()
    };
    let open = [
        "ANY / NONE",
        "GET / NONE",
        "OPTIONS / NONE",
        "ANY /{proxy+} NONE",
        "OPTIONS /{proxy+} NONE",
    ];
    assert_eq!(guards(common::api_methods(&apigw, &api).await), open);
    let authorizers = || async { common::authorizers(&apigw, &api).await.len() };
    assert_eq!(authorizers().await, 0);
    let env = common::function_env(&lambda, &function).await;
    assert!(
        !env.keys().any(|k| k.starts_with("USER_POOL_")),
        "an open API's function checks no token: {env:?}"
    );
    // The workshop's contract: the API answers without a token.
    let served = emu.serve_function(&env, &emu.function_role(&function).await);
    let (status, body) = served.call("GET", "/list-images", None);
    assert_eq!(status, 200, "{body}");
    drop(served);

    // A later `up` keeps it open, and says so every time.
    let again = emu
        .photosky(d, &["--name", "open", "--output", "json", "up"])
        .ok();
    assert!(
        again.stderr.contains("made --public earlier"),
        "{}",
        again.stderr
    );
    assert_eq!(again.json()["changes"], serde_json::json!([]));
    assert_eq!(again.json()["public"], true);
    let status = emu.photosky(d, &["--name", "open", "status"]).ok();
    assert!(
        status
            .stdout
            .contains("open to anyone with the URL (--public)"),
        "{}",
        status.stdout
    );

    // --private closes it: the methods, the function's own check, a
    // redeployed stage; and the state says so.
    let closed = emu
        .photosky(
            d,
            &["--name", "open", "--output", "json", "up", "--private"],
        )
        .ok();
    let changed = changed_steps(&closed.json());
    assert_eq!(changed, ["function", "api-integration", "api-stage"]);
    assert_eq!(state(d, "open")["settings"]["public"], false);
    assert_eq!(
        guards(common::api_methods(&apigw, &api).await),
        [
            "ANY / COGNITO_USER_POOLS",
            "GET / NONE",
            "OPTIONS / NONE",
            "ANY /{proxy+} COGNITO_USER_POOLS",
            "OPTIONS /{proxy+} NONE",
        ]
    );
    assert_eq!(authorizers().await, 1);
    let env = common::function_env(&lambda, &function).await;
    assert!(env.contains_key("USER_POOL_JWKS"), "{env:?}");
    let status = emu.photosky(d, &["--name", "open", "status"]).ok();
    assert!(
        status.stdout.contains("sign-in required"),
        "{}",
        status.stdout
    );
    // And --public again opens it, leaving no authorizer behind.
    emu.photosky(d, &["--name", "open", "up", "--public"]).ok();
    assert_eq!(guards(common::api_methods(&apigw, &api).await), open);
    assert_eq!(authorizers().await, 0);
    let both = emu.photosky(d, &["--name", "open", "up", "--public", "--private"]);
    assert_eq!(both.code, 2, "{}", both.stderr);
    emu.down_leaves_nothing(d, "open").await;
}
