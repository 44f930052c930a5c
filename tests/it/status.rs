//! `photosky status`: every resource, whether it exists and is healthy,
//! with live details; drift; and the way out when there is no stack.

use crate::common::{redacted, state, Emulator, REGION};

#[tokio::test]
async fn status_shows_every_resource_then_drift_then_no_stack() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "shown", "up"]).ok();
    let s = state(d, "shown");
    let healthy = emu.photosky(d, &["--name", "shown", "status"]).ok();
    insta::assert_snapshot!(redacted(&healthy.stdout, d, &s), @"
    Stack `shown` in eu-west-1 (account 123456789012):
      ok               ECR repository           shown-[SUFFIX]  123456789012.dkr.ecr.eu-west-1.amazonaws.com/shown-[SUFFIX]
      ok               CodeBuild service role   arn:aws:iam::123456789012:role/photosky/shown-[SUFFIX]-build
      ok               artifacts bucket         shown-[SUFFIX]-artifacts
      ok               build source             s3://shown-[SUFFIX]-artifacts/source/[IMAGE-TAG].zip
      ok               CodeBuild log group      /aws/codebuild/shown-[SUFFIX]  keeps events 30 days
      ok               CodeBuild project        shown-[SUFFIX]  last build [BUILD-ID] SUCCEEDED
      ok               function image           shown-[SUFFIX]:[IMAGE-TAG]  [DIGEST]
      ok               function execution role  arn:aws:iam::123456789012:role/photosky/shown-[SUFFIX]-function
      ok               upload bucket            shown-[SUFFIX]-source
      ok               thumbnail bucket         shown-[SUFFIX]-thumbnails
      ok               Cognito user pool        shown-[SUFFIX] ([POOL-ID])  no users: nobody can sign in yet (`photosky user add EMAIL`)
      ok               user pool app client     shown-[SUFFIX] ([CLIENT-ID])
      ok               REST API                 shown-[SUFFIX] ([API-ID])  https://[API-ID].execute-api.eu-west-1.amazonaws.com/prod/
      ok               function log group       /aws/lambda/shown-[SUFFIX]  keeps events 30 days
      ok               Lambda function          arn:aws:lambda:eu-west-1:123456789012:function:shown-[SUFFIX]  state Active, arm64, 1769 MB, 60 s, at most 10 at once
      ok               S3 invoke permission     shown-[SUFFIX] photosky-s3
      ok               upload notification      shown-[SUFFIX]-source -> shown-[SUFFIX]  ObjectCreated under uploads/
      ok               API methods              shown-[SUFFIX] -> shown-[SUFFIX]  sign-in required (Cognito user pool)
      ok               API deployment           shown-[SUFFIX] stage prod  deployment [DEPLOYMENT-ID], 20 requests/s (burst 40)
      ok               API invoke permission    shown-[SUFFIX] photosky-apigw
    All 20 resources exist and are healthy.
    ");

    // A resource deleted by hand: missing, and the exit code says so.
    let logs = aws_sdk_cloudwatchlogs::Client::new(&emu.sdk(REGION).await);
    let group = format!("/aws/lambda/{}", s["names"]["function"].as_str().unwrap());
    logs.delete_log_group()
        .log_group_name(&group)
        .send()
        .await
        .unwrap();
    let drift = emu.photosky(d, &["--name", "shown", "status"]);
    assert_eq!(drift.code, 1, "{}", drift.stderr);
    let line = drift
        .stdout
        .lines()
        .find(|l| l.contains("function log group"))
        .unwrap();
    insta::assert_snapshot!(redacted(line, d, &s), @"  MISSING (drift)  function log group       /aws/lambda/shown-[SUFFIX]");

    let none = emu.photosky(d, &["--name", "absent", "status"]);
    assert_eq!(none.code, 2);
    insta::assert_snapshot!(redacted(&none.stderr, d, &s), @"
    error: no stack `absent`: there is no [STATE-DIR]/absent.json
    hint: run `photosky up` to create it, or pass the --name and --state-dir it was created with (`photosky ls` lists the stacks in the region)
    ");
}
