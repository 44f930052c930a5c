//! The S3 trigger end to end against the moto S3 emulator: originals put in
//! the source bucket, a real S3 event (URL-encoded keys, several records),
//! thumbnails found in the destination bucket.

mod common;

use aws_sdk_s3::Client;
use common::{client, photo, Moto, DEST, SOURCE};
use photosky_handler::config::Config;
use photosky_handler::s3_event::{handle, Outcome};
use serde_json::json;

/// Keys in S3 events are encoded as in an HTML form: space is `+`.
fn form_encode(key: &str) -> String {
    key.bytes()
        .map(|b| match b {
            b' ' => "+".to_owned(),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' | b'*' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A record as S3 sends it.
fn record(bucket: &str, key: &str, size: usize) -> serde_json::Value {
    json!({
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1",
        "eventTime": "2026-11-22T10:00:00.000Z", "eventName": "ObjectCreated:Put",
        "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
        "requestParameters": {"sourceIPAddress": "203.0.113.9"},
        "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8"},
        "s3": {
            "s3SchemaVersion": "1.0", "configurationId": "photosky-thumbnails",
            "bucket": {"name": bucket, "ownerIdentity": {"principalId": "A3NL1KOZZKExample"}, "arn": format!("arn:aws:s3:::{bucket}")},
            "object": {"key": form_encode(key), "size": size, "eTag": "d41d8cd98f00b204e9800998ecf8427e", "sequencer": "0055AED6DCD90281E5"}
        }
    })
}

#[tokio::test]
async fn every_record_gets_thumbnails_under_documented_keys() {
    let moto = Moto::start();
    let s3 = client(&moto.1, 3).await;
    for b in [SOURCE, DEST] {
        s3.create_bucket()
            .bucket(b)
            .create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuWest1)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    let cfg = Config {
        dest_bucket: Some(DEST.into()),
        source_bucket: Some(SOURCE.into()),
        ..Config::default()
    };
    let photos = [
        ("uploads/my photo.jpg", photo("flower-small.jpg")),
        ("uploads/a+b=c.jpg", photo("seeding-progressive.jpg")),
        (
            "uploads/café ☕ 写真.jpg",
            photo("seeding-orientation6.jpg"),
        ),
        (
            "uploads/2026/11/nested dir/IMG 1.png",
            photo("goldfish-rgba.png"),
        ),
        ("uploads/w.webp", photo("seeding.webp")),
        ("uploads/not-a-photo.jpg", b"just text".to_vec()),
        ("elsewhere/x.jpg", photo("flower-small.jpg")),
    ];
    let mut records = Vec::new();
    for (key, bytes) in &photos {
        s3.put_object()
            .bucket(SOURCE)
            .key(*key)
            .body(bytes.clone().into())
            .send()
            .await
            .unwrap();
        records.push(record(SOURCE, key, bytes.len()));
    }
    let not_a_photo = s3
        .head_object()
        .bucket(SOURCE)
        .key("uploads/not-a-photo.jpg")
        .send()
        .await
        .unwrap()
        .e_tag()
        .unwrap()
        .to_owned();
    records.push(record(SOURCE, "uploads/deleted before we looked.jpg", 10));
    records.push(record(DEST, "uploads/loop.jpg", 10));
    let event = serde_json::from_value(json!({"Records": records})).unwrap();

    // The trigger runs as the function's execution role.
    let function = moto.function_client(3).await;
    let outcomes = handle(&function, &cfg, event).await.unwrap();
    assert_eq!(outcomes.len(), 9, "every record is handled");
    let made: Vec<_> = outcomes
        .iter()
        .filter_map(|o| {
            if let Outcome::Made { key, .. } = o {
                Some(key.as_str())
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        made,
        [
            "uploads/my photo.jpg",
            "uploads/a+b=c.jpg",
            "uploads/café ☕ 写真.jpg",
            "uploads/2026/11/nested dir/IMG 1.png",
            "uploads/w.webp"
        ]
    );
    let skipped: Vec<_> = outcomes
        .iter()
        .filter_map(|o| {
            if let Outcome::Skipped { key, reason } = o {
                Some((key.as_str(), reason.as_str()))
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        skipped,
        [
            (
                "uploads/not-a-photo.jpg",
                "unsupported format: text, not an image"
            ),
            (
                "uploads/deleted before we looked.jpg",
                "deleted before it could be read"
            ),
        ]
    );
    let ignored = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Ignored { .. }))
        .count();
    assert_eq!(ignored, 2, "outside the prefix, and our own bucket");

    let check = |key: &'static str, w: u32, h: u32| {
        let s3 = s3.clone();
        async move {
            let o = s3
                .get_object()
                .bucket(DEST)
                .key(key)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{key}: {e:?}"));
            assert_eq!(o.content_type(), Some("image/jpeg"));
            assert!(o.cache_control().unwrap().contains("max-age"));
            let bytes = o.body.collect().await.unwrap().into_bytes();
            let mut d = jpeg_decoder::Decoder::new(&bytes[..]);
            d.decode().unwrap();
            let i = d.info().unwrap();
            assert_eq!((u32::from(i.width), u32::from(i.height)), (w, h), "{key}");
        }
    };
    check("1024/my photo.jpg.jpg", 480, 361).await;
    check("256/a+b=c.jpg.jpg", 256, 144).await;
    check("1024/café ☕ 写真.jpg.jpg", 768, 1024).await;
    check("256/2026/11/nested dir/IMG 1.png.jpg", 256, 169).await;
    check("1024/w.webp.jpg", 1024, 576).await;

    // Re-delivery of the same event is harmless: same objects, same count.
    let listed = |s3: Client| async move {
        s3.list_objects_v2()
            .bucket(DEST)
            .send()
            .await
            .unwrap()
            .key_count()
    };
    let before = listed(s3.clone()).await;
    let again =
        serde_json::from_value(json!({"Records": [record(SOURCE, "uploads/my photo.jpg", 1)]}))
            .unwrap();
    handle(&function, &cfg, again).await.unwrap();
    assert_eq!(listed(s3.clone()).await, before);
    // Ten thumbnails, five places on the timeline, and the one version that
    // cannot have any, remembered.
    assert_eq!(before, Some(16));

    // The file that is not a photo is not kept: nobody's gallery lists it.
    let gone = s3
        .head_object()
        .bucket(SOURCE)
        .key("uploads/not-a-photo.jpg")
        .send()
        .await;
    assert!(gone.is_err(), "{gone:?}");
    // That version's event again (Lambda retries, or S3 delivers twice):
    // refused from what was remembered, without reading it.
    let mut r = record(SOURCE, "uploads/not-a-photo.jpg", 9);
    r["s3"]["object"]["eTag"] = not_a_photo.trim_matches('"').into();
    let again = serde_json::from_value(json!({"Records": [r]})).unwrap();
    let outcome = handle(&function, &cfg, again).await.unwrap();
    assert_eq!(
        outcome,
        [Outcome::Skipped {
            key: "uploads/not-a-photo.jpg".into(),
            reason: "unsupported format: text, not an image (found earlier; not tried again)"
                .into()
        }]
    );
    assert_eq!(listed(s3.clone()).await, before);
}

#[tokio::test]
async fn an_unreachable_s3_fails_the_invocation_so_lambda_retries() {
    // Nothing listens on port 9 of loopback: a transient failure.
    let s3 = client("http://127.0.0.1:9", 1).await;
    let cfg = Config {
        dest_bucket: Some(DEST.into()),
        ..Config::default()
    };
    let event = serde_json::from_value(
        json!({"Records": [record(SOURCE, "uploads/a.jpg", 10), record(SOURCE, "other/b.jpg", 10)]}),
    )
    .unwrap();
    let err = handle(&s3, &cfg, event).await.unwrap_err();
    assert_eq!(err.failures.len(), 1, "the ignored record is not a failure");
    assert_eq!(err.failures[0].0, "uploads/a.jpg");
    assert!(err.to_string().contains("will be retried"), "{err}");
}
