//! What a new user meets first on a real account, before anything is
//! deployed: no credentials, a region that does not exist, and the policy
//! to grant. Each ends in a few lines that say what failed and what to
//! do, exit 2, never the SDK's dump (which `-v` still prints).

use crate::common::Emulator;

/// No credentials in the environment, no profile files, no instance
/// metadata (switched off: the tests call nothing beyond loopback).
const NO_CREDENTIALS: &[&str] = &["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];
const NO_METADATA: &[(&str, &str)] = &[("AWS_EC2_METADATA_DISABLED", "true")];

#[test]
fn no_credentials_are_said_in_a_few_lines_with_what_to_do() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for args in [&["up"][..], &["down", "--yes"], &["ls"]] {
        let run = emu.photosky_without(d, args, NO_CREDENTIALS, NO_METADATA);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("no AWS credentials found"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("hint: run `aws configure`"),
            "{}",
            run.stderr
        );
        for dump in ["DispatchFailure", "ConnectorError", "source:"] {
            assert!(!run.stderr.contains(dump), "{dump}: {}", run.stderr);
        }
        assert!(!d.join("photosky.json").exists(), "no state file written");
    }
    // -v adds what the SDK said.
    let verbose = emu.photosky_without(d, &["-v", "ls"], NO_CREDENTIALS, NO_METADATA);
    assert_eq!(verbose.code, 2);
    assert!(verbose.stderr.contains("SDK detail:"), "{}", verbose.stderr);
}

#[test]
fn a_region_that_does_not_exist_is_refused_before_any_call() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let before = emu.requests_total();
    for args in [
        &["--region", "not-a-region", "up"][..],
        &["--region", "eu-west", "ls"],
    ] {
        let run = emu.photosky(d, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("is not an AWS region"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("hint: regions look like"),
            "{}",
            run.stderr
        );
    }
    let env_region = emu.photosky_env(d, &["up"], &[("AWS_REGION", "mars-north-1")]);
    assert_eq!(env_region.code, 2, "{}", env_region.stderr);
    assert!(env_region
        .stderr
        .contains("`mars-north-1` is not an AWS region"));
    assert_eq!(emu.requests_total(), before, "no call was made");
    assert!(!d.join("photosky.json").exists());
}

/// Credentials AWS refuses: a role session past its expiry (the
/// emulator ends it at once; AWS's shortest lasts 15 minutes), and keys AWS
/// does not know. Each says so in a few lines, exit 2, no state written.
#[tokio::test]
async fn expired_and_unknown_credentials_say_what_to_do() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let session = emu.session_of_new_role("first-contact-role").await;
    emu.expire(&session.key);
    let token = session.token.clone().unwrap();
    let expired = emu.photosky_env(
        d,
        &["up"],
        &[
            ("AWS_ACCESS_KEY_ID", &session.key),
            ("AWS_SECRET_ACCESS_KEY", &session.secret),
            ("AWS_SESSION_TOKEN", &token),
        ],
    );
    let unknown = emu.photosky_env(
        d,
        &["ls"],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ),
        ],
    );
    for (run, said) in [
        (&expired, "your AWS credentials have expired"),
        (&unknown, "AWS does not know these credentials"),
    ] {
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(said), "{said}: {}", run.stderr);
        assert!(run.stderr.lines().count() <= 4, "{}", run.stderr);
        for dump in ["DispatchFailure", "ServiceError", "source:"] {
            assert!(!run.stderr.contains(dump), "{dump}: {}", run.stderr);
        }
    }
    assert!(!d.join("photosky.json").exists(), "no state file written");
}

/// An installed photosky has no `docs/`: `photosky policy` prints the
/// policy to attach, byte for byte the one in the repository.
#[test]
fn policy_prints_the_deployer_policy() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let run = emu.photosky(dir.path(), &["policy"]).ok();
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/deployer-policy.json"
    ))
    .unwrap();
    assert_eq!(run.stdout, doc);
    let policy: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(policy["Version"], "2012-10-17");
}
