//! The state file across photosky's versions: a file an earlier photosky
//! wrote is read, resumed and deleted by this one. `fixtures/state-v1.json`
//! is what photosky wrote after `up` on 2026-12-07 (state version 1, roles
//! under /photosky/), before the deployer was restructured step by step:
//! whatever its types become, this file must keep working.

use std::fs::{self, OpenOptions};
use std::io::Write;

use crate::common::{state, Emulator};

const WRITTEN: &str = include_str!("../fixtures/state-v1.json");

#[tokio::test]
async fn a_state_file_an_earlier_photosky_wrote_is_read_resumed_and_deleted() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("written.json"), WRITTEN).unwrap();
    let before: serde_json::Value = serde_json::from_str(WRITTEN).unwrap();

    // Nothing it records exists on this emulator: status reads the file and
    // says so; up makes the stack again under the names it records.
    let status = emu.photosky(d, &["--name", "written", "status"]);
    assert_eq!(status.code, 1, "{}{}", status.stdout, status.stderr);
    assert!(
        status.stdout.contains("written-fcgmvt"),
        "{}",
        status.stdout
    );
    emu.photosky(d, &["--name", "written", "up"]).ok();
    let after = state(d, "written");
    assert_eq!(after["version"], before["version"]);
    assert_eq!(after["names"], before["names"]);
    // The same settings; the architecture, which it did not record, is
    // the only one that stack could have had.
    let mut settings = before["settings"].clone();
    settings["arch"] = "x86_64".into();
    assert_eq!(after["settings"], settings);
    let status = emu.photosky(d, &["--name", "written", "status"]).ok();
    assert!(
        status.stdout.contains("written-fcgmvt"),
        "{}",
        status.stdout
    );
    let again = emu.photosky(d, &["--name", "written", "up"]).ok();
    assert!(
        again.stdout.contains("nothing to change"),
        "{}",
        again.stdout
    );
    emu.down_leaves_nothing(d, "written").await;
    assert!(!d.join("written.json").exists());
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
