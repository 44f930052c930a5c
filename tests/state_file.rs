//! The state file across photosky's versions: a file an earlier photosky
//! wrote is read, resumed and deleted by this one. `fixtures/state-v1.json`
//! is what photosky wrote after `up` on 2026-12-07 (state version 1, roles
//! under /photosky/), before the deployer was restructured step by step:
//! whatever its types become, this file must keep working.

mod common;

use std::fs;

use common::{state, Emulator};

const WRITTEN: &str = include_str!("fixtures/state-v1.json");

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
    assert_eq!(after["settings"], before["settings"]);
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
