//! `photosky ls`: every stack in the region by its tag.

use crate::common::{redacted, state, Emulator, REGION};
use std::fs;

/// What `ls` prints: a table of the stacks, and where each one's state is.
#[tokio::test]
async fn ls_prints_a_table_of_the_stacks() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "shown", "up"]).ok();
    let ls = emu.photosky(d, &["ls"]).ok();
    insta::assert_snapshot!(redacted(&ls.stdout, d, &state(d, "shown")), @"
    Stacks in eu-west-1 (account 123456789012):
      STACK  WHERE              RESOURCES  PHOTOS  STATE FILE
      shown  eu-west-1 -[SUFFIX]  12 of 12   0       [STATE-DIR]/shown.json
    ");
}

/// `ls` finds stacks by their tag whatever their name and region, counts
/// their resources and photos, and says which a state file here knows;
/// a name taken by something not carrying the tag, a stale and a broken
/// state file are each reported, not counted.
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
