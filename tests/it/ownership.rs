//! What is not the stack's is never adopted, changed or deleted.

use crate::common::{Emulator, REGION};
use std::fs;

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
