//! `up --arch`: new stacks run on arm64 (Graviton); a stack moves between
//! architectures in place, its image built again for the other platform.
//! The emulator keeps what AWS does with a mismatch (tests/emulator/RULES.md):
//! a function whose image is for the other architecture cannot start, a
//! curated CodeBuild image runs only in its own environment type, and a
//! build cannot compile for a platform other than its machine's.

use aws_sdk_codebuild::types::{
    EnvironmentType, EnvironmentVariable, ProjectEnvironment, StatusType,
};
use aws_sdk_lambda::types::Architecture;

use crate::common::{changed_steps, state, Emulator, REGION};

async fn architectures(lambda: &aws_sdk_lambda::Client, function: &str) -> Vec<Architecture> {
    lambda
        .get_function_configuration()
        .function_name(function)
        .send()
        .await
        .unwrap()
        .architectures()
        .to_vec()
}

/// The function runs on `arch`, and the emulator's Lambda finds no
/// function whose image is for the other architecture (none would start).
async fn runs_on(
    emu: &Emulator,
    lambda: &aws_sdk_lambda::Client,
    function: &str,
    arch: Architecture,
) {
    assert_eq!(architectures(lambda, function).await, [arch]);
    assert_eq!(emu.rules(None)["launch_errors"], serde_json::json!({}));
}

/// The environment variables of the last build photosky started (the state
/// file's `build` record), as CodeBuild reports them (overrides applied).
async fn last_build_env(
    cb: &aws_sdk_codebuild::Client,
    state: &serde_json::Value,
) -> Vec<(String, String)> {
    let id = state["resources"]["build"]["id"].as_str().expect("a build");
    let builds = cb.batch_get_builds().ids(id).send().await.unwrap();
    let env = builds.builds()[0].environment().unwrap();
    env.environment_variables()
        .iter()
        .map(|v| (v.name().to_owned(), v.value().to_owned()))
        .collect()
}

/// `env` on another build machine.
fn machine(env: &ProjectEnvironment, kind: EnvironmentType, image: &str) -> ProjectEnvironment {
    ProjectEnvironment::builder()
        .r#type(kind)
        .image(image)
        .compute_type(env.compute_type().clone())
        .privileged_mode(true)
        .set_environment_variables(Some(env.environment_variables().to_vec()))
        .build()
        .unwrap()
}

fn var<'a>(env: &'a [(String, String)], name: &str) -> Option<&'a str> {
    env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A new stack's function is arm64 and its image was built for
/// linux/arm64; `--arch x86_64` builds the other image and moves the
/// function in place (no second function, the same ARN), and back again
/// reuses the arm64 image ECR still has. At no point can the emulator's
/// Lambda find a function whose image is for the other architecture.
#[tokio::test]
async fn a_new_stack_runs_on_arm64_and_moves_between_architectures_in_place() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sdk = emu.sdk(REGION).await;
    let (lambda, cb) = (
        aws_sdk_lambda::Client::new(&sdk),
        aws_sdk_codebuild::Client::new(&sdk),
    );
    let up = emu
        .photosky(d, &["--name", "arch", "--output", "json", "up"])
        .ok()
        .json();
    assert_eq!(up["arch"], "arm64");
    let s = state(d, "arch");
    let function = s["names"]["function"].as_str().unwrap().to_owned();
    assert_eq!(s["settings"]["arch"], "arm64");
    runs_on(&emu, &lambda, &function, Architecture::Arm64).await;
    let tag = s["resources"]["image"]["applied"].as_str().unwrap();
    assert!(tag.contains("-arm64-"), "{tag}");
    let env = last_build_env(&cb, &s).await;
    assert_eq!(var(&env, "IMAGE_PLATFORM"), Some("linux/arm64"), "{env:?}");
    assert_eq!(var(&env, "IMAGE_TAG"), Some(tag), "{env:?}");
    let arn = up["function"].as_str().unwrap().to_owned();

    let moved = emu
        .photosky(
            d,
            &[
                "--name", "arch", "--output", "json", "up", "--arch", "x86_64",
            ],
        )
        .ok();
    assert!(
        moved.stderr.contains("moving to x86_64 with image"),
        "{}",
        moved.stderr
    );
    let moved = moved.json();
    assert_eq!(moved["arch"], "x86_64");
    let changes = &moved["changes"];
    let outcome = |step: &str| {
        changes
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["step"] == step)
            .map(|c| c["outcome"].as_str().unwrap().to_owned())
    };
    assert_eq!(outcome("image").as_deref(), Some("created"), "{changes}");
    assert_eq!(
        outcome("function").as_deref(),
        Some("updated (architecture, image)"),
        "{changes}"
    );
    assert_eq!(moved["function"], arn.as_str());
    runs_on(&emu, &lambda, &function, Architecture::X8664).await;
    let env = last_build_env(&cb, &state(d, "arch")).await;
    assert_eq!(var(&env, "IMAGE_PLATFORM"), Some("linux/amd64"), "{env:?}");
    // Kept by later plain `up`s.
    let again = emu
        .photosky(d, &["--name", "arch", "--output", "json", "up"])
        .ok()
        .json();
    assert_eq!(changed_steps(&again), Vec::<String>::new());

    let back = emu
        .photosky(
            d,
            &[
                "--name", "arch", "--output", "json", "up", "--arch", "arm64",
            ],
        )
        .ok();
    assert!(!back.stderr.contains("building image"), "{}", back.stderr);
    // The project builds for the platform it is told; the image is found.
    assert_eq!(changed_steps(&back.json()), ["project", "function"]);
    runs_on(&emu, &lambda, &function, Architecture::Arm64).await;
    emu.down_leaves_nothing(d, "arch").await;
}

/// Lambda cannot start a function whose image is for the other
/// architecture (aws/aws-lambda-base-images#26: "exec format error"): set
/// by hand, the emulator's invoke answers Lambda's launch error, and the
/// next `up` puts the stack's architecture back.
#[tokio::test]
async fn a_function_moved_to_the_other_architecture_by_hand_is_put_back() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let lambda = aws_sdk_lambda::Client::new(&emu.sdk(REGION).await);
    emu.photosky(d, &["--name", "drift", "up"]).ok();
    let function = state(d, "drift")["names"]["function"]
        .as_str()
        .unwrap()
        .to_owned();
    let image = lambda
        .get_function()
        .function_name(&function)
        .send()
        .await
        .unwrap()
        .code()
        .unwrap()
        .image_uri()
        .unwrap()
        .to_owned();
    lambda
        .update_function_code()
        .function_name(&function)
        .image_uri(&image)
        .architectures(Architecture::X8664)
        .send()
        .await
        .unwrap();
    assert_eq!(
        architectures(&lambda, &function).await,
        [Architecture::X8664]
    );
    let errors = emu.rules(None)["launch_errors"].clone();
    assert_eq!(
        errors[&function], "image for linux/arm64, function x86_64",
        "{errors}"
    );
    let invoked = lambda
        .invoke()
        .function_name(&function)
        .send()
        .await
        .unwrap();
    assert_eq!(invoked.function_error(), Some("Unhandled"));
    let payload = String::from_utf8(invoked.payload().unwrap().as_ref().to_vec()).unwrap();
    assert!(payload.contains("Runtime.InvalidEntrypoint"), "{payload}");
    assert_eq!(emu.refused("lambda_architecture_launch"), 1);

    let up = emu
        .photosky(d, &["--name", "drift", "--output", "json", "up"])
        .ok()
        .json();
    assert_eq!(changed_steps(&up), ["function"]);
    runs_on(&emu, &lambda, &function, Architecture::Arm64).await;
    emu.down_leaves_nothing(d, "drift").await;
}

/// `--from-source` on arm64 compiles on CodeBuild's ARM machines (a
/// compile for another platform than the machine's fails: Docker cannot
/// run its binaries), with the ARM curated image, which CodeBuild accepts
/// only in an ARM_CONTAINER project.
#[tokio::test]
async fn from_source_arm64_compiles_on_codebuilds_arm_machines() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cb = aws_sdk_codebuild::Client::new(&emu.sdk(REGION).await);
    emu.photosky(d, &["--name", "native", "up", "--from-source"])
        .ok();
    let s = state(d, "native");
    let project = s["names"]["project"].as_str().unwrap().to_owned();
    let found = cb
        .batch_get_projects()
        .names(&project)
        .send()
        .await
        .unwrap();
    let env = found.projects()[0].environment().unwrap();
    assert_eq!(env.r#type(), &EnvironmentType::ArmContainer);
    assert!(env.image().contains("aarch64"), "{}", env.image());
    let build_env = last_build_env(&cb, &s).await;
    assert_eq!(var(&build_env, "IMAGE_PLATFORM"), Some("linux/arm64"));

    // The rule bites: the ARM image in an x86_64 project is refused ...
    let refused = cb
        .update_project()
        .name(&project)
        .environment(machine(env, EnvironmentType::LinuxContainer, env.image()))
        .send()
        .await
        .unwrap_err();
    let refused = format!("{:?}", aws_sdk_codebuild::Error::from(refused));
    assert!(
        refused.contains("is not supported for projects with environment type LINUX_CONTAINER"),
        "{refused}"
    );
    // ... and an x86_64 machine cannot compile the arm64 image.
    let x86 = machine(
        env,
        EnvironmentType::LinuxContainer,
        "aws/codebuild/standard:7.0",
    );
    cb.update_project()
        .name(&project)
        .environment(x86)
        .send()
        .await
        .unwrap();
    let location = format!(
        "{}/{}",
        s["names"]["artifacts_bucket"].as_str().unwrap(),
        s["resources"]["build-source"]["id"].as_str().unwrap()
    );
    let started = cb
        .start_build()
        .project_name(&project)
        .source_location_override(location)
        .source_type_override(aws_sdk_codebuild::types::SourceType::S3)
        .environment_variables_override(
            EnvironmentVariable::builder()
                .name("IMAGE_TAG")
                .value("by-hand")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let id = started.build_value().unwrap().id().unwrap().to_owned();
    let status = loop {
        let b = cb.batch_get_builds().ids(&id).send().await.unwrap();
        let status = b.builds()[0].build_status().unwrap().clone();
        if status != StatusType::InProgress {
            break status;
        }
    };
    assert_eq!(status, StatusType::Failed);
    emu.down_leaves_nothing(d, "native").await;
}
