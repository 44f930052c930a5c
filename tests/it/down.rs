//! `photosky down`: what it deletes, what it leaves and says, failures
//! part-way, other credentials, and finding a stack without a state file.

use crate::common::{redacted, state, Emulator, REGION};
use std::fs;

/// What `down` prints: what it deleted; and, with nothing deployed, that
/// there is nothing to delete.
#[tokio::test]
async fn down_says_what_it_deleted_and_when_there_is_nothing() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "shown", "up"]).ok();
    let s = state(d, "shown");
    let down = emu.photosky(d, &["--name", "shown", "down", "--yes"]).ok();
    insta::assert_snapshot!(redacted(&down.stdout, d, &s), @"Stack `shown` deleted: all 20 resources are gone; its state file is removed.");
    let again = emu.photosky(d, &["--name", "shown", "down", "--yes"]).ok();
    insta::assert_snapshot!(redacted(&again.stdout, d, &s), @"No stack `shown`: there is no [STATE-DIR]/shown.json, and nothing in eu-west-1 carries its names and tag. Nothing to delete.");
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
        &[(
            photosky::fault::VAR,
            photosky::steps::project::PendingBuild::KEY,
        )],
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
        again.stdout.contains("No stack `gone`: there is no"),
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
