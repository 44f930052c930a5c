//! The photo API through the Lambda's own entry (`Api::handle_apigw`), fed
//! API Gateway REST proxy events in the documented shape
//! (`events/apigw-rest-proxy.json`: percent-encoded `path`, decoded
//! `pathParameters`, null query maps), against moto's S3. Presigned URLs are
//! fetched and posted to over plain HTTP, so they are shown to work, not
//! just to look right.

mod common;

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;
use base64::Engine;
use common::launcher::http;
use common::{client, photo, sdk, Moto, DEST, SOURCE};
use photosky_handler::api::Api;
use photosky_handler::config::Config;
use serde_json::{json, Value};

struct Resp {
    status: u64,
    headers: Value,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(Value::as_str)
    }
    fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// A REST proxy event for `method raw_path` (raw_path percent-encoded, as
/// API Gateway passes it).
fn event(
    method: &str,
    raw_path: &str,
    query: &[(&str, &str)],
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Value {
    let mut e: Value = serde_json::from_str(include_str!("events/apigw-rest-proxy.json")).unwrap();
    e["httpMethod"] = json!(method);
    e["requestContext"]["httpMethod"] = json!(method);
    e["path"] = json!(raw_path);
    e["requestContext"]["path"] = json!(format!("/prod{raw_path}"));
    let proxy = raw_path.trim_start_matches('/');
    if proxy.is_empty() {
        e["resource"] = json!("/");
        e["pathParameters"] = Value::Null;
    } else {
        let decoded = percent_encoding::percent_decode_str(proxy).decode_utf8_lossy();
        e["pathParameters"] = json!({ "proxy": decoded });
    }
    if !query.is_empty() {
        e["queryStringParameters"] = query
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        e["multiValueQueryStringParameters"] = query
            .iter()
            .map(|(k, v)| (k.to_string(), json!([v])))
            .collect();
    }
    for (k, v) in headers {
        e["headers"][*k] = json!(v);
        e["multiValueHeaders"][*k] = json!([v]);
    }
    e["body"] = body.map_or(Value::Null, |b| json!(b));
    e
}

async fn call(api: &Api, event: Value) -> Resp {
    let out = api.handle_apigw(event).await;
    assert_eq!(out["isBase64Encoded"], json!(false));
    Resp {
        status: out["statusCode"].as_u64().expect("statusCode"),
        headers: out["headers"].clone(),
        body: out["body"].as_str().expect("body").to_owned(),
    }
}

async fn get(api: &Api, raw_path: &str, query: &[(&str, &str)]) -> Resp {
    call(api, event("GET", raw_path, query, &[], None)).await
}

fn config(cors: &[&str]) -> Config {
    Config {
        source_bucket: Some(SOURCE.into()),
        dest_bucket: Some(DEST.into()),
        cors_origins: cors.iter().map(|s| s.to_string()).collect(),
        ..Config::default()
    }
}

async fn stack(moto: &Moto) -> (Client, Api) {
    let s3 = client(&moto.1, 1).await;
    for b in [SOURCE, DEST] {
        s3.create_bucket()
            .bucket(b)
            .create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint("eu-west-1".into())
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    // As `up` makes it: a deleted upload is kept as an old version.
    photosky_handler::local::keep_versions(&s3, SOURCE)
        .await
        .unwrap();
    let api = Api::new(&moto.function_sdk(1).await, config(&["*"])).unwrap();
    (s3, api)
}

/// The browser's form upload: the signed fields, then the file.
fn post_form(url: &str, fields: &serde_json::Map<String, Value>, file: &[u8]) -> (u16, Vec<u8>) {
    let boundary = "----photoskyboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{}\r\n",
                v.as_str().unwrap()
            )
            .as_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes());
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    http(
        "POST",
        url,
        Some(&format!("multipart/form-data; boundary={boundary}")),
        &body,
    )
}

async fn keys(s3: &Client, bucket: &str) -> Vec<String> {
    let out = s3.list_objects_v2().bucket(bucket).send().await.unwrap();
    out.contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_owned))
        .collect()
}

async fn put(s3: &Client, key: &str, body: Vec<u8>) {
    s3.put_object()
        .bucket(SOURCE)
        .key(key)
        .body(ByteStream::from(body))
        .send()
        .await
        .unwrap();
}

/// None of these reach S3: the endpoint is a closed port.
#[tokio::test]
async fn routing_validation_and_cors_answer_without_storage() {
    let dead = sdk("http://127.0.0.1:9", 1).await;
    let api = Api::new(&dead, config(&["*"])).unwrap();

    // Preflight, any path, default origins: `*`, and never with credentials.
    let origin = [
        ("Origin", "https://photos.example.com"),
        ("Access-Control-Request-Method", "DELETE"),
    ];
    let r = call(
        &api,
        event("OPTIONS", "/delete-image/anything.jpg", &[], &origin, None),
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r
        .header("access-control-allow-methods")
        .unwrap()
        .contains("DELETE"));
    assert_eq!(r.header("access-control-allow-credentials"), None);
    let r = call(&api, event("GET", "/no/such/route", &[], &origin, None)).await;
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (404, Some("*"))
    );
    assert!(r.message().contains("GET /list-images"), "{}", r.body);

    let r = call(&api, event("PUT", "/list-images", &[], &[], None)).await;
    assert_eq!((r.status, r.header("allow")), (405, Some("GET")));
    let r = call(&api, event("GET", "/get-presigned-url", &[], &[], None)).await;
    assert_eq!((r.status, r.header("allow")), (405, Some("POST")));

    // Bad requests to the signer, each with a message.
    let post = |body: &str| {
        event(
            "POST",
            "/get-presigned-url",
            &[],
            &[("content-type", "application/json")],
            Some(body),
        )
    };
    for (body, status, says) in [
        ("{not json", 400, "must be JSON"),
        (r#"{"filetype": "image/jpeg"}"#, 400, "\"filename\""),
        (r#"{"filename": "a.jpg"}"#, 400, "\"filetype\""),
        (
            r#"{"filename": "a.txt", "filetype": "text/plain"}"#,
            415,
            "image/jpeg",
        ),
        (
            r#"{"filename": "a.svg", "filetype": "image/svg+xml"}"#,
            415,
            "image/jpeg",
        ),
        (
            r#"{"filename": "a.jpg", "filetype": "image/jpeg", "size": 0}"#,
            400,
            "empty",
        ),
        (
            r#"{"filename": "a.jpg", "filetype": "image/jpeg", "size": 99999999999}"#,
            413,
            "over the upload limit",
        ),
        (
            r#"{"filename": "a.jpg", "filetype": "image/jpeg", "size": "big"}"#,
            400,
            "whole number",
        ),
    ] {
        let r = call(&api, post(body)).await;
        assert_eq!(r.status, status, "{body}: {}", r.body);
        assert!(r.message().contains(says), "{body}: {}", r.body);
    }
    let huge = format!(
        r#"{{"filename": "{}", "filetype": "image/jpeg"}}"#,
        "a".repeat(20_000)
    );
    assert_eq!(call(&api, post(&huge)).await.status, 413);

    // Ids that cannot name a photo, however they are encoded.
    for path in ["/a%2Fb.jpg", "/delete-image/%2E%2E", "/%FF"] {
        let method = if path.starts_with("/delete") {
            "DELETE"
        } else {
            "GET"
        };
        let r = call(&api, event(method, path, &[], &[], None)).await;
        assert_eq!(r.status, 400, "{path}: {}", r.body);
    }
    let r = get(&api, "/list-images", &[("limit", "0")]).await;
    assert_eq!(r.status, 400);

    // The page, with a policy that allows its own script and nothing inline else.
    let r = get(&api, "/", &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(r.body.contains("<title>PhotoSky</title>"));
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'none'"));

    // Storage down: a JSON 503 the page can show, not a crash.
    let r = get(&api, "/list-images", &[]).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(
        r.message().contains("S3 failed while listing"),
        "{}",
        r.body
    );
    // What failed, without the SDK's internals (it was ~1.2 KB of them).
    assert!(
        r.message().contains("S3 could not be reached (")
            && !r.message().contains("DispatchFailure")
            && !r.message().contains("Response {")
            && r.message().len() < 200,
        "{}",
        r.body
    );

    // A list of origins: only those are echoed (with Vary), others refused.
    let api = Api::new(
        &dead,
        config(&["https://photos.example.com", "http://localhost:3000"]),
    )
    .unwrap();
    let r = call(
        &api,
        event(
            "OPTIONS",
            "/list-images",
            &[],
            &[("origin", "http://localhost:3000")],
            None,
        ),
    )
    .await;
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (204, Some("http://localhost:3000"))
    );
    assert_eq!(r.header("vary"), Some("Origin"));
    let evil = [("Origin", "https://evil.example")];
    let r = call(&api, event("OPTIONS", "/list-images", &[], &evil, None)).await;
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (403, None)
    );
    assert!(r.message().contains("https://photos.example.com"));
    let r = call(&api, event("GET", "/nothing/here", &[], &evil, None)).await;
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (404, None)
    );
    assert_eq!(r.header("access-control-allow-credentials"), None);
}

#[tokio::test]
async fn the_signed_post_pins_key_type_size_and_expiry_and_s3_takes_it() {
    let moto = Moto::start();
    let (s3, api) = stack(&moto).await;
    let body = r#"{"filename": "../../IMG_0001.jpg", "filetype": "image/jpeg"}"#;
    let sign = |b64: bool| {
        let mut e = event(
            "POST",
            "/get-presigned-url",
            &[],
            &[("content-type", "application/json")],
            Some(body),
        );
        if b64 {
            e["body"] = json!(base64::engine::general_purpose::STANDARD.encode(body));
            e["isBase64Encoded"] = json!(true);
        }
        e
    };
    let first = call(&api, sign(false)).await;
    let second = call(&api, sign(true)).await;
    assert_eq!(
        (first.status, second.status),
        (200, 200),
        "{} {}",
        first.body,
        second.body
    );
    let (a, b) = (first.json(), second.json());
    let id = a["id"].as_str().unwrap();
    assert_ne!(
        id,
        b["id"].as_str().unwrap(),
        "two uploads of one name never share a key"
    );
    assert!(id.ends_with("-IMG_0001.jpg") && !id.contains('/'), "{id}");
    let fields = a["fields"].as_object().unwrap();
    assert_eq!(fields["key"], json!(format!("uploads/{id}")));
    assert_eq!(fields["Content-Type"], json!("image/jpeg"));
    assert_eq!(a["url"], json!(format!("{}/{SOURCE}", moto.1)));

    let policy: Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(fields["policy"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    let conditions = policy["conditions"].as_array().unwrap();
    assert!(
        conditions.contains(&json!({"key": format!("uploads/{id}")})),
        "{policy}"
    );
    assert!(
        conditions.contains(&json!({"Content-Type": "image/jpeg"})),
        "{policy}"
    );
    assert!(
        conditions.contains(&json!([
            "content-length-range",
            1,
            Config::default().max_input_bytes
        ])),
        "{policy}"
    );
    assert!(conditions.contains(&json!({"bucket": SOURCE})), "{policy}");
    // Expires in five minutes: compare with the signing date in the form.
    let expiration = policy["expiration"].as_str().unwrap();
    let signed_at = fields["x-amz-date"].as_str().unwrap();
    let secs = |s: &str| {
        let d: String = s.chars().filter(char::is_ascii_digit).collect();
        let (h, m, s) = (&d[8..10], &d[10..12], &d[12..14]);
        h.parse::<i64>().unwrap() * 3600
            + m.parse::<i64>().unwrap() * 60
            + s.parse::<i64>().unwrap()
    };
    assert_eq!(
        (secs(expiration) - secs(signed_at)).rem_euclid(86_400),
        300,
        "{expiration} vs {signed_at}"
    );

    // The form as a browser sends it is accepted, and lands at the pinned key.
    let photo = photo("flower-small.jpg");
    let (status, reply) = post_form(a["url"].as_str().unwrap(), fields, &photo);
    assert!(
        (200..300).contains(&status),
        "{status}: {}",
        String::from_utf8_lossy(&reply)
    );
    assert_eq!(keys(&s3, SOURCE).await, [format!("uploads/{id}")]);
    let head = s3
        .head_object()
        .bucket(SOURCE)
        .key(format!("uploads/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length(), Some(photo.len() as i64));
}

#[tokio::test]
async fn photos_are_listed_in_pages_viewed_previewed_and_deleted() {
    let moto = Moto::start();
    let (s3, api) = stack(&moto).await;
    // A photo with its camera's EXIF.
    let photo = photo("dune-camera-exif.jpg");

    // Two uploads through the API's ids (the second is newer), one from an
    // older client whose key has a space and a plus, one that is not an
    // image, and one in a "folder" (not a photo of this API).
    let mut made = Vec::new();
    for name in ["older.jpg", "newer.jpg"] {
        let body = format!(r#"{{"filename": "{name}", "filetype": "image/jpeg"}}"#);
        let r = call(
            &api,
            event("POST", "/get-presigned-url", &[], &[], Some(&body)),
        )
        .await;
        let id = r.json()["id"].as_str().unwrap().to_owned();
        put(&s3, &format!("uploads/{id}"), photo.clone()).await;
        made.push(id);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    put(&s3, "uploads/my photo+1.jpg", photo.clone()).await;
    put(&s3, "uploads/notes.jpg", b"not a photo".to_vec()).await;
    put(&s3, "uploads/2026/nested.jpg", photo.clone()).await;

    // Pages of two, followed by token.
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut q = vec![("limit", "2")];
        if let Some(t) = &token {
            q.push(("continuationToken", t.as_str()));
        }
        let r = get(&api, "/list-images", &q).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let page = r.json();
        let images = page["images"].as_array().unwrap();
        assert!(images.len() <= 2);
        for image in images {
            assert!(image["url"].as_str().unwrap().contains("X-Amz-Signature="));
            assert!(
                image["thumbnails"]["256"].is_string() && image["thumbnails"]["1024"].is_string()
            );
            assert_eq!(image["preview"], image["thumbnails"]["256"]);
            ids.push(image["id"].as_str().unwrap().to_owned());
        }
        pages += 1;
        match page["continuationToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    // S3 counts the skipped "folder" against a page's keys, so 2 or 3 pages.
    assert!(pages >= 2, "{ids:?}");
    assert_eq!(ids.len(), 4, "the nested key is not listed: {ids:?}");
    let pos = |id: &str| ids.iter().position(|x| x == id).unwrap();
    assert!(pos(&made[1]) < pos(&made[0]), "newest first: {ids:?}");
    assert!(ids.contains(&"my photo+1.jpg".to_owned()));

    // View: a URL-encoded id, and its presigned URL serves the original.
    let r = get(&api, "/my%20photo%2B1.jpg", &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // What its EXIF says, for the viewer.
    assert_eq!(r.json()["taken"], "2007-08-06T10:29:13");
    assert_eq!(r.json()["camera"], "Canon EOS DIGITAL REBEL");
    let (status, bytes) = http("GET", r.json()["url"].as_str().unwrap(), None, b"");
    assert_eq!((status, bytes.len()), (200, photo.len()));

    // Preview: no trigger ran, so the thumbnail is made on the spot.
    assert!(keys(&s3, DEST).await.is_empty());
    let r = get(&api, "/my%20photo%2B1.jpg", &[("preview", "1")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (status, thumb) = http("GET", r.json()["url"].as_str().unwrap(), None, b"");
    assert_eq!((status, &thumb[..2]), (200, &[0xFF, 0xD8][..]), "a JPEG");
    let mut dest = keys(&s3, DEST).await;
    dest.sort();
    // With its place on the timeline: the day its EXIF says it was taken.
    assert_eq!(
        dest,
        [
            "1024/my photo+1.jpg.jpg",
            "256/my photo+1.jpg.jpg",
            "timeline/79929193897086/my photo+1.jpg"
        ]
    );

    assert_eq!(get(&api, "/missing.jpg", &[]).await.status, 404);
    assert_eq!(
        get(&api, "/missing.jpg", &[("preview", "1")]).await.status,
        404
    );

    // Delete: original and thumbnails go; a second delete is a 404.
    let delete = |path: &str| event("DELETE", path, &[], &[], None);
    let r = call(&api, delete("/delete-image/my%20photo%2B1.jpg")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(keys(&s3, DEST).await.is_empty());
    assert!(!keys(&s3, SOURCE)
        .await
        .contains(&"uploads/my photo+1.jpg".to_owned()));
    let r = call(&api, delete("/delete-image/my%20photo%2B1.jpg")).await;
    assert_eq!(r.status, 404);
    assert!(r.message().contains("my photo+1.jpg"), "{}", r.body);

    // Not an image: refused, saying so in words, and not kept: the
    // original goes (restorable, as a deleted photo is), so nobody's
    // listing shows it; why stays remembered by its version (ETag).
    let r = get(&api, "/notes.jpg", &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (&r.json()["taken"], &r.json()["camera"]),
        (&Value::Null, &Value::Null)
    );
    let r = get(&api, "/notes.jpg", &[("preview", "1")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.message(),
        "notes.jpg is not a photo the gallery can show (unsupported format: text, not an image), so it was not kept"
    );
    let remembered = |s3: Client| async move {
        keys(&s3, DEST)
            .await
            .into_iter()
            .filter(|k| k.starts_with("failed/notes.jpg/"))
            .count()
    };
    assert_eq!(remembered(s3.clone()).await, 1);
    assert!(!keys(&s3, SOURCE)
        .await
        .contains(&"uploads/notes.jpg".to_owned()));
    let versions = s3
        .list_object_versions()
        .bucket(SOURCE)
        .prefix("uploads/notes.jpg")
        .send()
        .await
        .unwrap();
    assert_eq!(versions.versions().len(), 1, "kept as an old version");
    let list = get(&api, "/list-images", &[]).await.json();
    assert!(
        list["images"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != "notes.jpg"),
        "{list}"
    );
    let r = get(&api, "/notes.jpg", &[("preview", "1")]).await;
    assert_eq!(r.status, 404, "{}", r.body);
    // A new version under the same id is another ETag: tried afresh.
    put(&s3, "uploads/notes.jpg", photo.clone()).await;
    assert!(get(&api, "/list-images", &[]).await.json()["images"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["failed"] == false));
    let r = get(&api, "/notes.jpg", &[("preview", "1")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Deleting the photo forgets what was remembered of it.
    let r = call(&api, delete("/delete-image/notes.jpg")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(remembered(s3.clone()).await, 0);
}

/// Undo: a deleted photo comes back with its thumbnails while the upload
/// bucket keeps its version; a photo that is there is left alone; one never
/// uploaded is 404. As the execution role (IAM enforced): the role holds
/// exactly the two permissions this needs.
#[tokio::test]
async fn a_deleted_photo_is_restored_with_its_thumbnails() {
    let moto = Moto::start();
    let (s3, api) = stack(&moto).await;
    put(&s3, "uploads/kept.jpg", photo("flower-small.jpg")).await;
    let r = get(&api, "/kept.jpg", &[("preview", "1")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(
        &api,
        event("DELETE", "/delete-image/kept.jpg", &[], &[], None),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(keys(&s3, SOURCE).await.is_empty());
    assert!(keys(&s3, DEST).await.is_empty());

    let restore = |id: &str| event("POST", &format!("/restore-image/{id}"), &[], &[], None);
    let r = call(&api, restore("kept.jpg")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["id"], "kept.jpg");
    assert_eq!(keys(&s3, SOURCE).await, ["uploads/kept.jpg"]);
    let dest = keys(&s3, DEST).await;
    assert_eq!(
        dest[..2],
        ["1024/kept.jpg.jpg", "256/kept.jpg.jpg"],
        "its thumbnails are made again"
    );
    assert!(
        dest.len() == 3 && dest[2].starts_with("timeline/") && dest[2].ends_with("/kept.jpg"),
        "and its place on the timeline: {dest:?}"
    );
    let (status, thumb) = http("GET", r.json()["url"].as_str().unwrap(), None, b"");
    assert_eq!(status, 200);
    assert!(thumb.starts_with(&[0xff, 0xd8]), "a JPEG");
    // Again: it is there, nothing to undo.
    let r = call(&api, restore("kept.jpg")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(keys(&s3, SOURCE).await, ["uploads/kept.jpg"]);
    let r = call(&api, restore("never.jpg")).await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = call(
        &api,
        event("GET", "/restore-image/kept.jpg", &[], &[], None),
    )
    .await;
    assert_eq!(r.status, 405, "{}", r.body);
}

/// The ids `GET /timeline` lists, page by page (`limit` each), and the
/// pages' count; each photo's `taken` and `day` checked against each other.
async fn timeline(api: &Api, limit: &str) -> (Vec<(String, String)>, usize) {
    let (mut photos, mut pages, mut token) = (Vec::new(), 0, None::<String>);
    loop {
        let mut q = vec![("limit", limit)];
        if let Some(t) = &token {
            q.push(("continuationToken", t.as_str()));
        }
        let r = get(api, "/timeline", &q).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let page = r.json();
        assert_eq!(page["complete"], true, "{page}");
        for p in page["photos"].as_array().unwrap() {
            let taken = p["taken"].as_str().unwrap();
            assert_eq!(p["day"].as_str().unwrap(), &taken[..10], "{p}");
            assert!(p["preview"].as_str().unwrap().contains("X-Amz-Signature="));
            photos.push((p["id"].as_str().unwrap().to_owned(), taken.to_owned()));
        }
        pages += 1;
        match page["continuationToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => return (photos, pages),
        }
    }
}

/// The timeline: every photo by the day it was taken (EXIF, else when S3
/// stored it), newest first, the same on every call, in pages; photos from
/// before the timeline are placed by the first call; a new one by whoever
/// makes its thumbnails; a deleted one leaves it, and what is not a photo
/// never joins it.
#[tokio::test]
async fn the_timeline_lists_photos_by_the_day_taken_newest_first() {
    let moto = Moto::start();
    let (s3, api) = stack(&moto).await;
    // Three uploads from before the timeline (no entries): two taken on
    // 2007-08-06 (EXIF), one with no date (placed when it was stored).
    let dune = photo("dune-camera-exif.jpg");
    put(&s3, "uploads/b-dune.jpg", dune.clone()).await;
    put(&s3, "uploads/a-dune.jpg", dune.clone()).await;
    put(&s3, "uploads/flower.jpg", photo("flower-small.jpg")).await;

    let (all, pages) = timeline(&api, "100").await;
    assert_eq!(pages, 1);
    let ids: Vec<&str> = all.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["flower.jpg", "a-dune.jpg", "b-dune.jpg"], "{all:?}");
    assert_eq!(all[1].1, "2007-08-06T10:29:13", "the camera's date");
    assert!(all[0].1 > "2026".to_owned(), "stored today: {all:?}");
    // In pages of two, the same order; and again, unchanged.
    let (paged, pages) = timeline(&api, "2").await;
    assert_eq!((paged, pages), (all.clone(), 2));
    assert_eq!(timeline(&api, "100").await.0, all, "stable across calls");
    // `GET /{id}` says where a photo is placed, for a page that has just
    // uploaded it.
    let r = get(&api, "/flower.jpg", &[]).await;
    assert_eq!(r.json()["timeline"], all[0].1.as_str());
    assert_eq!(r.json()["taken"], Value::Null);

    // A new upload is placed when its thumbnails are made (here by the
    // preview; the trigger makes them the same way), not before.
    put(&s3, "uploads/c-dune.jpg", dune.clone()).await;
    assert_eq!(timeline(&api, "100").await.0.len(), 3, "not yet made");
    assert_eq!(
        get(&api, "/c-dune.jpg", &[("preview", "1")]).await.status,
        200
    );
    let ids: Vec<String> = timeline(&api, "100")
        .await
        .0
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(
        ids,
        ["flower.jpg", "a-dune.jpg", "b-dune.jpg", "c-dune.jpg"]
    );

    // Deleted: off the timeline; restored: back in its place.
    let r = call(
        &api,
        event("DELETE", "/delete-image/a-dune.jpg", &[], &[], None),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ids: Vec<String> = timeline(&api, "100")
        .await
        .0
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(ids, ["flower.jpg", "b-dune.jpg", "c-dune.jpg"]);
    let r = call(
        &api,
        event("POST", "/restore-image/a-dune.jpg", &[], &[], None),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(timeline(&api, "100").await.0.len(), 4);

    // Not a photo: refused, and never on the timeline.
    put(&s3, "uploads/notes.jpg", b"not a photo".to_vec()).await;
    assert_eq!(
        get(&api, "/notes.jpg", &[("preview", "1")]).await.status,
        422
    );
    assert_eq!(timeline(&api, "100").await.0.len(), 4);
    assert!(!keys(&s3, DEST)
        .await
        .iter()
        .any(|k| k.ends_with("/notes.jpg")));
    assert_eq!(get(&api, "/timeline", &[("limit", "0")]).await.status, 400);
}

/// The placing of older photos carries on from where it stopped: only the
/// uploads after the remembered one are read.
#[tokio::test]
async fn the_timeline_backfill_carries_on_where_it_stopped() {
    let moto = Moto::start();
    let (s3, api) = stack(&moto).await;
    for id in ["a.jpg", "b.jpg", "c.jpg"] {
        put(&s3, &format!("uploads/{id}"), photo("flower-small.jpg")).await;
    }
    s3.put_object()
        .bucket(DEST)
        .key(photosky_handler::timeline::BACKFILL_KEY)
        .body(ByteStream::from_static(b"after uploads/a.jpg"))
        .send()
        .await
        .unwrap();
    let ids: Vec<String> = timeline(&api, "100")
        .await
        .0
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(!ids.contains(&"a.jpg".to_owned()), "{ids:?}");
    let marker = s3
        .get_object()
        .bucket(DEST)
        .key(photosky_handler::timeline::BACKFILL_KEY)
        .send()
        .await
        .unwrap();
    let body = marker.body.collect().await.unwrap().into_bytes();
    assert_eq!(&body[..], b"complete");
}

/// Share links: a share opens exactly its photos (those still there),
/// without signing in, until it is revoked or expires; every token that
/// does not open a live share, however it is wrong, gets the same 404.
#[tokio::test]
async fn share_links_open_only_what_was_shared_until_revoked_or_expired() {
    let moto = Moto::start();
    let (s3, api) = stack(&moto).await;
    for id in ["a-dune.jpg", "b-flower.jpg", "c-secret.jpg"] {
        put(&s3, &format!("uploads/{id}"), photo("flower-small.jpg")).await;
    }
    let share = |body: &str| {
        let e = event("POST", "/shares", &[], &[], Some(body));
        call(&api, e)
    };
    let r = share(r#"{"photos": ["a-dune.jpg", "b-flower.jpg", "a-dune.jpg"]}"#).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let made = r.json();
    let token = made["token"].as_str().unwrap().to_owned();
    let id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (token.len(), id.len(), &made["photos"]),
        (43, 32, &json!(2))
    );
    let open = |token: &str| {
        let e = event("GET", "/shared", &[], &[("x-photosky-share", token)], None);
        call(&api, e)
    };
    let r = open(&token).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let shared = r.json();
    let shown: Vec<&str> = shared["photos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        shown,
        ["a-dune.jpg", "b-flower.jpg"],
        "exactly what was shared"
    );
    let photo = &shared["photos"][0];
    let (status, _) = http("GET", photo["url"].as_str().unwrap(), None, b"");
    assert_eq!(status, 200, "the original, presigned");
    assert!(photo["thumbnails"]["1024"].is_string() && photo["day"].is_string());
    let expires = shared["expires"].as_str().unwrap();
    assert_eq!(expires, made["expires"].as_str().unwrap());

    // Every token that opens nothing answers alike.
    let nothing = |r: &Resp| (r.status, r.message());
    let want = (
        404,
        "this link is not shared (any more): ask whoever sent it for a new one".to_owned(),
    );
    let mut flipped = token.clone().into_bytes();
    flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    let mut wrong = vec![
        String::new(),
        "x".into(),
        flipped,
        format!("{token}A"),
        token[1..].to_owned(),
        format!("{}=", &token[1..]),
        format!("../{}", &token[3..]),
        id.clone(),
        token.to_uppercase(),
    ];
    // And random ones, of every length and any printable character.
    let mut rng = fastrand::Rng::with_seed(22);
    for _ in 0..200 {
        let len = rng.usize(0..90);
        wrong.push((0..len).map(|_| rng.u8(0x21..0x7f) as char).collect());
    }
    for bad in &wrong {
        assert_eq!(nothing(&open(bad).await), want, "{bad:?}");
    }
    let no_header = get(&api, "/shared", &[("token", &token)]).await;
    assert_eq!(nothing(&no_header), want, "only the header carries a token");
    let post = call(
        &api,
        event(
            "POST",
            "/shared",
            &[],
            &[("x-photosky-share", &token)],
            None,
        ),
    )
    .await;
    assert_eq!(post.status, 405, "read only: {}", post.body);

    // Listed (for "Shared links"), with names, not tokens.
    let listed = get(&api, "/shares", &[]).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert_eq!(listed.json()["shares"][0]["id"], id.as_str());
    assert_eq!(
        listed.json()["shares"][0]["photos"],
        json!(["a-dune.jpg", "b-flower.jpg"])
    );
    assert!(!listed.body.contains(&token));

    // A photo deleted since is not shown.
    let r = call(
        &api,
        event("DELETE", "/delete-image/b-flower.jpg", &[], &[], None),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        open(&token).await.json()["photos"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Expired: as if never shared.
    let key = format!("shares/{id}.json");
    let record = s3.get_object().bucket(DEST).key(&key).send().await.unwrap();
    let mut record: Value =
        serde_json::from_slice(&record.body.collect().await.unwrap().into_bytes()).unwrap();
    record["expires"] = json!(record["created"].as_u64().unwrap() - 1);
    s3.put_object()
        .bucket(DEST)
        .key(&key)
        .body(ByteStream::from(serde_json::to_vec(&record).unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(nothing(&open(&token).await), want, "expired");
    assert_eq!(
        get(&api, "/shares", &[]).await.json()["shares"][0]["expired"],
        true
    );

    // Revoked: the same.
    let r = share(r#"{"photos": ["c-secret.jpg"], "days": 1}"#).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let (token, id) = (
        r.json()["token"].as_str().unwrap().to_owned(),
        r.json()["id"].as_str().unwrap().to_owned(),
    );
    assert_eq!(open(&token).await.status, 200);
    let revoke = |id: &str| {
        call(
            &api,
            event("DELETE", &format!("/shares/{id}"), &[], &[], None),
        )
    };
    assert_eq!(revoke(&id).await.status, 200);
    assert_eq!(nothing(&open(&token).await), want, "revoked");
    assert_eq!(revoke(&id).await.status, 404);
    assert_eq!(revoke("not-an-id").await.status, 400);

    // What a share may be.
    for (body, status) in [
        (r#"{"photos": []}"#, 400),
        (r#"{"photos": ["a-dune.jpg"], "days": 0}"#, 400),
        (r#"{"photos": ["a-dune.jpg"], "days": 366}"#, 400),
        (r#"{"photos": ["a-dune.jpg"], "days": "7"}"#, 400),
        (r#"{"photos": ["nowhere.jpg"]}"#, 404),
        (r#"{"photos": ["a/b.jpg"]}"#, 400),
        ("not json", 400),
    ] {
        assert_eq!(share(body).await.status, status, "{body}");
    }
    let many: Vec<String> = (0..101).map(|i| format!("p{i}.jpg")).collect();
    let r = share(&json!({ "photos": many }).to_string()).await;
    assert_eq!(r.status, 400, "{}", r.body);
}

/// `serve` does not wait forever on a client: half-sent headers get the
/// connection closed, a body that never arrives gets a 408. (The wait below
/// is a bound on a hang, not a timing assertion.)
#[tokio::test]
async fn serve_closes_a_connection_whose_request_never_arrives() {
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let dead = sdk("http://127.0.0.1:9", 1).await;
    let api = Api::new(&dead, config(&["*"])).unwrap();
    let limits = photosky_handler::local::Limits {
        headers: Duration::from_millis(300),
        body: Duration::from_millis(300),
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(photosky_handler::local::serve_with(
        api,
        0,
        false,
        limits,
        move |addr| {
            let _ = tx.send(addr);
        },
    ));
    let addr = rx.await.unwrap();
    let answer = |request: &'static [u8]| async move {
        let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
        conn.write_all(request).await.unwrap();
        let mut got = Vec::new();
        tokio::time::timeout(Duration::from_secs(20), conn.read_to_end(&mut got))
            .await
            .expect("the server closed the connection")
            .unwrap();
        String::from_utf8_lossy(&got).into_owned()
    };
    // Headers never finished: closed (hyper may say 408 first).
    let got = answer(b"GET /list-images HTTP/1.1\r\nHost: x\r\n").await;
    assert!(got.is_empty() || got.starts_with("HTTP/1.1 408"), "{got}");
    // A body promised and never sent.
    let got =
        answer(b"POST /upload-url HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"na").await;
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    assert!(got.contains("did not arrive"), "{got}");
}

/// An S3 ObjectCreated event for `uploads/<id>` with this version's ETag.
fn created(id: &str, etag: &str, size: usize) -> aws_lambda_events::s3::S3Event {
    serde_json::from_value(json!({"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1",
        "eventTime": "2026-12-01T10:00:00.000Z", "eventName": "ObjectCreated:Post",
        "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
        "requestParameters": {"sourceIPAddress": "203.0.113.9"},
        "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8"},
        "s3": {
            "s3SchemaVersion": "1.0", "configurationId": "photosky-thumbnails",
            "bucket": {"name": SOURCE, "ownerIdentity": {"principalId": "A3NL1KOZZKExample"}, "arn": format!("arn:aws:s3:::{SOURCE}")},
            "object": {"key": id, "size": size, "eTag": etag.trim_matches('"'), "sequencer": "0055AED6DCD90281E5"}
        }
    }]}))
    .unwrap()
}

/// How many times each thumbnail of `id` was written, as the emulator
/// counted the PUTs: (1024, 256).
fn writes(moto: &Moto, id: &str) -> (u64, u64) {
    let counted: Value = serde_json::from_str(&moto.0.requests()).unwrap();
    let n = |size: u32| {
        counted[format!("PUT /{DEST}/{size}/{id}.jpg")]
            .as_u64()
            .unwrap_or(0)
    };
    (n(1024), n(256))
}

async fn etag(s3: &Client, key: &str) -> String {
    let head = s3
        .head_object()
        .bucket(SOURCE)
        .key(key)
        .send()
        .await
        .unwrap();
    head.e_tag().unwrap().to_owned()
}

/// S3 answers a conditional write `409 ConditionalRequestConflict` while
/// another write to the key is under way, and says to retry
/// (tests/emulator/RULES.md): a claim that meets it is retried, not taken
/// as lost (nobody may hold it, and the photo would get no thumbnails).
#[tokio::test]
async fn a_conflicting_claim_write_is_retried_not_taken_as_lost() {
    use photosky_handler::s3_event::{handle, Outcome};

    let moto = Moto::start();
    let (s3, _api) = stack(&moto).await;
    let cfg = config(&["*"]);
    let photo = photo("flower-small.jpg");
    let key = "uploads/conflict.jpg";
    put(&s3, key, photo.clone()).await;
    let version = etag(&s3, key).await;
    let rules = |query: &str| {
        let (status, body) = http(
            "POST",
            &format!("{}/_photosky/rules?{query}", moto.1),
            None,
            b"",
        );
        assert_eq!(status, 200);
        serde_json::from_slice::<Value>(&body).unwrap()
    };
    rules("s3_conflicts=2");
    let function = moto.function_client(1).await;
    let made = handle(&function, &cfg, created(key, &version, photo.len()))
        .await
        .unwrap();
    assert!(matches!(&made[..], [Outcome::Made { .. }]), "{made:?}");
    assert_eq!(rules("")["refused"]["s3_conditional_write_conflict"], 2);
    assert_eq!(writes(&moto, "conflict.jpg"), (1, 1));
}

/// The page's `?preview=1` right after an upload races the S3 trigger:
/// whoever claims the version first makes its thumbnails, the other waits
/// for them or leaves them, and each thumbnail is written once.
#[tokio::test]
async fn each_version_is_thumbnailed_once_whoever_asks_first() {
    use photosky_handler::s3_event::{handle, Outcome};

    let moto = Moto::start();
    let (s3, api) = stack(&moto).await;
    let function = moto.function_client(1).await;
    let cfg = config(&["*"]);
    let photo = photo("flower-small.jpg");
    let mut made_by_trigger = 0;
    for n in 0..4 {
        let id = format!("race-{n}.jpg");
        let key = format!("uploads/{id}");
        put(&s3, &key, photo.clone()).await;
        let version = etag(&s3, &key).await;
        let path = format!("/{id}");
        let (preview, trigger) = tokio::join!(
            get(&api, &path, &[("preview", "1")]),
            handle(&function, &cfg, created(&key, &version, photo.len()))
        );
        assert_eq!(preview.status, 200, "{}", preview.body);
        let (status, thumb) = http("GET", preview.json()["url"].as_str().unwrap(), None, b"");
        assert_eq!((status, &thumb[..2]), (200, &[0xFF, 0xD8][..]));
        match &trigger.unwrap()[..] {
            [Outcome::Made { .. }] => made_by_trigger += 1,
            [Outcome::Ignored { why, .. }] => assert!(
                why.contains("made already") || why.contains("being made by another"),
                "{why}"
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(writes(&moto, &id), (1, 1), "{id}");
    }
    // (Which of the two won each race is not asserted: either is right.)
    eprintln!("the trigger made {made_by_trigger} of 4; the preview the rest");
    let claims = |s3: Client| async move {
        keys(&s3, DEST)
            .await
            .into_iter()
            .filter(|k| k.starts_with("making/"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        claims(s3.clone()).await,
        Vec::<String>::new(),
        "every claim released"
    );

    // S3 delivers an event twice now and then: nothing is made again. Nor
    // by a preview of a photo whose thumbnail exists.
    let key = "uploads/race-0.jpg";
    let v1 = etag(&s3, key).await;
    let again = handle(&function, &cfg, created(key, &v1, photo.len()))
        .await
        .unwrap();
    assert!(
        matches!(&again[..], [Outcome::Ignored { why, .. }] if why.contains("made already")),
        "{again:?}"
    );
    assert_eq!(
        get(&api, "/race-0.jpg", &[("preview", "1")]).await.status,
        200
    );
    assert_eq!(writes(&moto, "race-0.jpg"), (1, 1));

    // A new version is made afresh, unless another invocation holds its
    // claim: then the trigger leaves it to that one...
    let other = common::photo("dune-camera-exif.jpg");
    put(&s3, key, other.clone()).await;
    let v2 = etag(&s3, key).await;
    assert_ne!(v1, v2);
    let claim = format!("making/race-0.jpg/{}", v2.trim_matches('"'));
    s3.put_object()
        .bucket(DEST)
        .key(&claim)
        .body(ByteStream::from_static(b"held"))
        .send()
        .await
        .unwrap();
    let left = handle(&s3, &cfg, created(key, &v2, other.len()))
        .await
        .unwrap();
    assert!(
        matches!(&left[..], [Outcome::Ignored { why, .. }] if why.contains("being made by another")),
        "{left:?}"
    );
    assert_eq!(writes(&moto, "race-0.jpg"), (1, 1));
    // ...until the claim is older than any invocation can live (here a
    // lease of 1 s): its holder is gone, and the claim is taken over.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let short = Config {
        work_lease_seconds: 1,
        ..cfg.clone()
    };
    let taken = handle(&s3, &short, created(key, &v2, other.len()))
        .await
        .unwrap();
    assert!(matches!(&taken[..], [Outcome::Made { .. }]), "{taken:?}");
    assert_eq!(writes(&moto, "race-0.jpg"), (2, 2));
    assert_eq!(claims(s3.clone()).await, Vec::<String>::new());
    // The thumbnail names the version it was made from.
    let head = s3
        .head_object()
        .bucket(DEST)
        .key("256/race-0.jpg.jpg")
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.metadata().unwrap()["source-etag"],
        v2.trim_matches('"')
    );
}
