//! The function image's build: CodeBuild's failures and refusals, its quota,
//! and what CodeBuild gets on each way of building the image.

use crate::common::{changed_steps, state, Emulator, REGION};
use std::fs;

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

/// A photosky that carries the arm64 Lambda binary (`./dev test` builds it so, as
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

    match option_env!("PHOTOSKY_BOOTSTRAP_ARM64") {
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
            "this photosky carries no arm64 bootstrap (PHOTOSKY_BOOTSTRAP_ARM64 unset when it was built): \
             only the compile path is checked; ./dev test checks both"
        ),
    }

    let from_source = emu
        .photosky(d, &["--name", "paths", "up", "--from-source"])
        .ok();
    assert!(
        from_source
            .stderr
            .contains("compiling the handler inside CodeBuild (about 10 minutes on AWS)"),
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

    if option_env!("PHOTOSKY_BOOTSTRAP_ARM64").is_some() {
        // Back to the prebuilt image, which ECR still has: no build.
        let back = emu
            .photosky(d, &["--name", "paths", "--output", "json", "up"])
            .ok();
        assert!(!back.stderr.contains("building image"), "{}", back.stderr);
        // The project goes back to the x86_64 machine that assembles it.
        assert_eq!(changed_steps(&back.json()), ["project", "function"]);
        assert!(image_tag(d).starts_with("bin-"));
    }
    emu.down_leaves_nothing(d, "paths").await;
}
