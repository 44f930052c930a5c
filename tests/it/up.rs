//! `photosky up` end to end on the emulator: the life cycle, settings and
//! their updates, what it deploys and how it is hardened, `--public`, and
//! adopting a stack without a state file. Judged by listing every
//! service, not by reading the state file.

use crate::common::{
    self, changed_steps, recorded_steps, redacted, state, url_decoded, Emulator, REGION,
};
use std::fs;

/// What `up` prints when it is done: where the stack is and what to do
/// next; a second `up` says that nothing changed, a third with a new
/// setting what it changed, counted as the first two count.
#[tokio::test]
async fn up_prints_the_stack_and_what_to_do_next() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let first = emu.photosky(d, &["--name", "shown", "up"]).ok();
    let again = emu.photosky(d, &["--name", "shown", "up"]).ok();
    let changed = emu
        .photosky(d, &["--name", "shown", "up", "--memory", "2048"])
        .ok();
    let s = state(d, "shown");
    insta::assert_snapshot!(redacted(&first.stdout, d, &s), @"
    Stack `shown` is up in eu-west-1: all 20 resources created.
      API URL:           https://[API-ID].execute-api.eu-west-1.amazonaws.com/prod/ (on AWS; the emulator serves no API)
      Sign-in:           required; add a user with `photosky --name shown user add EMAIL`
      Upload bucket:     s3://shown-[SUFFIX]-source/uploads/
      Thumbnail bucket:  s3://shown-[SUFFIX]-thumbnails
      Function:          shown-[SUFFIX] (arm64)
      Image:             [DIGEST]
      Cost:              about $0.033 per 1,000 photos thumbnailed at 1769 MB (arm64, docs/cost.md)
    ");
    insta::assert_snapshot!(redacted(&again.stdout, d, &s), @"
    Stack `shown` in eu-west-1 is up to date: all 20 resources, nothing to change.
      API URL:           https://[API-ID].execute-api.eu-west-1.amazonaws.com/prod/ (on AWS; the emulator serves no API)
      Sign-in:           required; add a user with `photosky --name shown user add EMAIL`
      Upload bucket:     s3://shown-[SUFFIX]-source/uploads/
      Thumbnail bucket:  s3://shown-[SUFFIX]-thumbnails
      Function:          shown-[SUFFIX] (arm64)
      Image:             [DIGEST]
      Cost:              about $0.033 per 1,000 photos thumbnailed at 1769 MB (arm64, docs/cost.md)
    ");
    let first_line = changed.stdout.lines().next().unwrap_or_default();
    insta::assert_snapshot!(first_line, @"Stack `shown` is up in eu-west-1: 20 resources, 1 updated, 19 up to date.");
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
    assert_eq!(cfg.memory_size(), Some(1769), "a whole vCPU by default");
    assert_eq!(out["memory_mb"], 1769);
    assert!(
        out["cost_per_1000_photos_usd"]
            .as_f64()
            .is_some_and(|c| c > 0.03 && c < 0.04),
        "{out}"
    );
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
        again
            .stdout
            .contains("is up to date: all 20 resources, nothing to change"),
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
    // Its on-failure destination: aws_rules.rs.
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
    // The one open data route, a share link's read, throttled harder.
    let shared = &stage.method_settings().unwrap()["~1shared/GET"];
    assert_eq!(
        (
            shared.throttling_rate_limit(),
            shared.throttling_burst_limit()
        ),
        (5.0, 10)
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
        "GET /shared NONE",
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
            "GET /shared NONE",
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

/// `up` with no state file never makes a second copy of a stack that is in
/// AWS: it refuses with the way out, and `up --adopt` takes the stack over
/// (nothing created, the same names) so that `down` then removes it all.
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
