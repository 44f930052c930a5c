//! The routes of the photo API (documented in `docs/api.md`). One router
//! serves both the Lambda (API Gateway proxy events) and `photosky-handler
//! serve` (local HTTP).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_config::SdkConfig;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::Client;
use serde_json::{json, Map, Value};

use super::cors::Cors;
use super::http::{Request, Response};
use super::{ids, page, presign_post};
use crate::config::Config;
use crate::keys;
use crate::s3_event::{self, Failure, Made};
use crate::shares;
use crate::thumbnail::exif;
use crate::timeline;

/// Content types the gallery takes: the ones the thumbnailer decodes.
pub const IMAGE_TYPES: [&str; 6] = [
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "image/heic",
    "image/heif",
];
/// Largest JSON body the API reads.
const MAX_BODY: usize = 16 * 1024;
const DEFAULT_PAGE: i32 = 100;
const MAX_PAGE: i32 = 1000;
/// How long `?preview=1` waits for another invocation making the same
/// version's thumbnails (well inside API Gateway's 29 s), asking every
/// `PREVIEW_POLL`.
const PREVIEW_WAIT: Duration = Duration::from_secs(20);
const PREVIEW_POLL: Duration = Duration::from_millis(250);

const ROUTES: &str = "GET /, GET /timeline, GET /list-images, POST /get-presigned-url, \
                      GET /{id}, DELETE /delete-image/{id}, POST /restore-image/{id}, \
                      GET and POST /shares, DELETE /shares/{id}, GET /shared";
/// What every failed `GET /shared` answers, whatever was wrong with the
/// token: nothing tells a guesser more than "no".
const NOT_SHARED: &str = "this link is not shared (any more): ask whoever sent it for a new one";

pub struct Api {
    s3: Client,
    cfg: Config,
    cors: Cors,
    credentials: SharedCredentialsProvider,
    region: String,
    /// Set when S3 is an emulator or other custom endpoint: URLs are then
    /// path-style under it.
    endpoint: Option<String>,
    source: String,
    dest: String,
}

/// A route's early exit: the response to send.
type Result<T> = std::result::Result<T, Response>;

impl Api {
    pub fn new(sdk: &SdkConfig, cfg: Config) -> std::result::Result<Api, String> {
        let source = cfg
            .source_bucket
            .clone()
            .ok_or("SOURCE_BUCKET is not set")?;
        let dest = cfg.dest_bucket.clone().ok_or("DEST_BUCKET is not set")?;
        let credentials = sdk
            .credentials_provider()
            .ok_or("no AWS credentials are configured")?;
        let region = sdk
            .region()
            .map(|r| r.to_string())
            .ok_or("no AWS region is configured (set AWS_REGION)")?;
        let endpoint = sdk
            .endpoint_url()
            .map(|u| u.trim_end_matches('/').to_owned());
        let s3 = Client::from_conf(
            aws_sdk_s3::config::Builder::from(sdk)
                .force_path_style(endpoint.is_some())
                .build(),
        );
        Ok(Api {
            s3,
            cors: Cors::new(&cfg.cors_origins),
            cfg,
            credentials,
            region,
            endpoint,
            source,
            dest,
        })
    }

    pub fn s3(&self) -> &Client {
        &self.s3
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    pub async fn handle(&self, req: &Request) -> Response {
        if req.method == "OPTIONS" {
            return self.cors.preflight(req);
        }
        let resp = match self.route(req).await {
            Ok(r) | Err(r) => r,
        };
        if resp.status >= 500 {
            println!(
                "{}",
                json!({"level": "error", "event": "api", "method": req.method, "path": req.path,
                       "status": resp.status, "body": String::from_utf8_lossy(&resp.body)})
            );
        }
        self.cors.apply(req, resp)
    }

    /// The Lambda's entry: an API Gateway REST proxy event in, the proxy
    /// integration's response document out.
    pub async fn handle_apigw(&self, event: Value) -> Value {
        match Request::from_apigw(event) {
            Ok(req) => self.handle(&req).await,
            Err(e) => Response::error(400, e),
        }
        .to_apigw()
    }

    async fn route(&self, req: &Request) -> Result<Response> {
        let segments = decode_path(&req.path)?;
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let method = req.method.as_str();
        // The page itself is public (it holds the sign-in form), and so is
        // a share link's read (its token is its key); every other route
        // needs a user of the stack's pool, when there is one.
        let open = matches!(
            (method, segments.as_slice()),
            ("GET" | "HEAD", []) | ("GET", ["shared"])
        );
        if let (Some(verifier), false) = (&self.cfg.users, open) {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            if let Err(why) = verifier.check(req.header("authorization"), now) {
                return Err(Response::error(401, why).with_header("www-authenticate", "Bearer"));
            }
        }
        match (method, segments.as_slice()) {
            ("GET" | "HEAD", []) => Ok(page::response(self.cfg.sign_in.as_ref())),
            ("GET", ["list-images"]) => self.list(req).await,
            ("GET", ["timeline"]) => self.timeline(req).await,
            ("POST", ["get-presigned-url"]) => self.upload_url(req).await,
            ("DELETE", ["delete-image", id]) => self.delete(id).await,
            ("POST", ["restore-image", id]) => self.restore(id).await,
            ("GET", ["shared"]) => self.shared(req).await,
            ("POST", ["shares"]) => self.share(req).await,
            ("GET", ["shares"]) => self.shares().await,
            ("DELETE", ["shares", id]) => self.revoke(id).await,
            (_, ["shared"]) => Err(not_allowed("GET")),
            (_, ["shares"]) => Err(not_allowed("GET, POST")),
            (_, ["shares", _]) => Err(not_allowed("DELETE")),
            (_, ["get-presigned-url"]) => Err(not_allowed("POST")),
            ("GET", [id]) => self.view(id, req.query("preview")).await,
            (_, [] | [_]) => Err(not_allowed("GET")),
            (_, ["delete-image", _]) => Err(not_allowed("DELETE")),
            (_, ["restore-image", _]) => Err(not_allowed("POST")),
            _ => Err(Response::error(
                404,
                format!("no route for {method} {}; the API has {ROUTES}", req.path),
            )),
        }
    }

    /// `GET /list-images[?limit=N][&continuationToken=T]`
    async fn list(&self, req: &Request) -> Result<Response> {
        let limit = page_limit(req)?;
        let prefix = &self.cfg.upload_prefix;
        let page = self
            .s3
            .list_objects_v2()
            .bucket(&self.source)
            .prefix(prefix)
            // Only the prefix's own objects: ids never contain '/'.
            .delimiter("/")
            .max_keys(limit)
            .set_continuation_token(req.query("continuationToken").map(str::to_owned))
            .send()
            .await
            .map_err(|e| storage_error("listing the photos", &e))?;
        let failed = self.known_failures().await?;
        let mut images = Vec::new();
        for object in page.contents() {
            let Some(id) = object.key().and_then(|k| keys::upload_id(k, prefix)) else {
                continue;
            };
            if ids::check(id).is_err() {
                continue;
            }
            let (thumbnails, preview) = self.thumbnails(id).await?;
            // This version cannot be thumbnailed: the page shows so
            // instead of asking for a preview.
            let cannot =
                failed.contains(&keys::failure_key(id, object.e_tag().unwrap_or_default()));
            images.push(json!({
                "id": id,
                "name": ids::display_name(id),
                "failed": cannot,
                "url": self.presign_get(&self.source, &format!("{prefix}{id}")).await?,
                "size": object.size(),
                "lastModified": object.last_modified().map(|t| t.to_string()),
                "thumbnails": thumbnails,
                "preview": preview,
            }));
        }
        Ok(Response::json(
            200,
            &json!({
                "images": images,
                "continuationToken": page.next_continuation_token(),
            }),
        ))
    }

    /// `GET /timeline[?limit=N][&continuationToken=T]`: the photos by the
    /// day they were taken, newest first (`timeline.rs`). The first page
    /// first gives photos from before the timeline their place (a bounded
    /// slice of that work per call; `"complete": false` until it is done).
    async fn timeline(&self, req: &Request) -> Result<Response> {
        let limit = page_limit(req)?;
        let token = req.query("continuationToken").map(str::to_owned);
        let mut complete = true;
        if token.is_none() {
            let prefix = &self.cfg.upload_prefix;
            complete = timeline::backfill(&self.s3, &self.source, &self.dest, prefix)
                .await
                .map_err(s3_failed("placing older photos on the timeline"))?;
        }
        let page = self
            .s3
            .list_objects_v2()
            .bucket(&self.dest)
            .prefix(keys::TIMELINE_PREFIX)
            .max_keys(limit)
            .set_continuation_token(token)
            .send()
            .await
            .map_err(|e| storage_error("listing the photos", &e))?;
        let mut photos = Vec::new();
        for object in page.contents() {
            let Some((taken, id)) = object.key().and_then(keys::timeline_entry) else {
                continue;
            };
            if ids::check(id).is_err() {
                continue;
            }
            let (thumbnails, preview) = self.thumbnails(id).await?;
            photos.push(json!({
                "id": id,
                "name": ids::display_name(id),
                "taken": taken,
                "day": &taken[..10],
                "thumbnails": thumbnails,
                "preview": preview,
            }));
        }
        Ok(Response::json(
            200,
            &json!({
                "photos": photos,
                "continuationToken": page.next_continuation_token(),
                "complete": complete,
            }),
        ))
    }

    /// `POST /shares` `{"photos": [id, ...], "days": 7}`: a link to these
    /// photos for `days` (1 to `shares::MAX_DAYS`). Each photo must be
    /// there; its place on the timeline is kept with the share.
    async fn share(&self, req: &Request) -> Result<Response> {
        let body = json_body(req, r#"{"photos": ["<id>"], "days": 7}"#, "")?;
        let ids: Vec<&str> = body
            .get("photos")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if ids.is_empty() || ids.len() > shares::MAX_PHOTOS {
            return Err(Response::error(
                400,
                format!("\"photos\" must list 1 to {} photo ids", shares::MAX_PHOTOS),
            ));
        }
        let days = match body.get("days") {
            None | Some(Value::Null) => shares::DEFAULT_DAYS,
            Some(v) => v
                .as_u64()
                .filter(|d| (1..=shares::MAX_DAYS).contains(d))
                .ok_or_else(|| {
                    Response::error(
                        400,
                        format!(
                            "\"days\" must be a whole number from 1 to {}",
                            shares::MAX_DAYS
                        ),
                    )
                })?,
        };
        let mut photos = Vec::new();
        for id in ids {
            ids::check(id).map_err(|e| Response::error(400, e))?;
            if photos.iter().any(|p: &shares::Photo| p.id == id) {
                continue;
            }
            let key = format!("{}{id}", self.cfg.upload_prefix);
            let (start, stored) = self.read_start(id, &key).await?;
            photos.push(shares::Photo {
                id: id.to_owned(),
                taken: timeline::date_of(&start, stored.as_ref()),
            });
        }
        let now = now_secs();
        let share = shares::Share {
            photos,
            created: now,
            expires: now + days * 86_400,
        };
        let (token, id) = shares::new_token().map_err(|e| Response::error(500, e))?;
        shares::put(&self.s3, &self.dest, &id, &share)
            .await
            .map_err(s3_failed("keeping the share"))?;
        Ok(Response::json(
            201,
            &json!({"id": id, "token": token, "photos": share.photos.len(),
                    "expires": iso(share.expires)}),
        ))
    }

    /// `GET /shares`: every share, newest first, expired ones too (they say
    /// so): what the gallery's "Shared links" lists.
    async fn shares(&self) -> Result<Response> {
        let all = shares::list(&self.s3, &self.dest)
            .await
            .map_err(s3_failed("listing the shares"))?;
        let now = now_secs();
        let listed: Vec<Value> = all
            .iter()
            .map(|(id, s)| {
                json!({"id": id, "photos": s.photos.iter().map(|p| ids::display_name(&p.id)).collect::<Vec<_>>(),
                       "created": iso(s.created), "expires": iso(s.expires), "expired": s.expires <= now})
            })
            .collect();
        Ok(Response::json(200, &json!({ "shares": listed })))
    }

    /// `DELETE /shares/{id}`: revoke; the link answers 404 from now on.
    async fn revoke(&self, id: &str) -> Result<Response> {
        if !shares::is_id(id) {
            return Err(Response::error(400, "a share id is 32 hex digits"));
        }
        let gone = shares::delete(&self.s3, &self.dest, id)
            .await
            .map_err(s3_failed("revoking the share"))?;
        if !gone {
            return Err(Response::error(404, format!("no share with id {id}")));
        }
        Ok(Response::json(200, &json!({ "revoked": id })))
    }

    /// `GET /shared` with the token in `x-photosky-share`: the shared
    /// photos (those still there), read-only, without signing in. 404 for
    /// any token that does not open a live share.
    async fn shared(&self, req: &Request) -> Result<Response> {
        let not_shared = || Response::error(404, NOT_SHARED);
        let id = req
            .header(shares::HEADER)
            .and_then(shares::id_of)
            .ok_or_else(not_shared)?;
        let share = shares::get(&self.s3, &self.dest, &id)
            .await
            .map_err(s3_failed("reading the share"))?
            .filter(|s| s.expires > now_secs())
            .ok_or_else(not_shared)?;
        let mut photos = Vec::new();
        for p in &share.photos {
            let key = format!("{}{}", self.cfg.upload_prefix, p.id);
            if ids::check(&p.id).is_err() || !self.exists(&self.source, &key).await? {
                continue;
            }
            let (thumbnails, preview) = self.thumbnails(&p.id).await?;
            photos.push(json!({
                "id": p.id,
                "name": ids::display_name(&p.id),
                "taken": p.taken,
                "day": p.taken.get(..10),
                "thumbnails": thumbnails,
                "preview": preview,
                "url": self.presign_get(&self.source, &key).await?,
            }));
        }
        Ok(Response::json(
            200,
            &json!({"photos": photos, "expires": iso(share.expires)}),
        ))
    }

    /// Presigned GETs of a photo's thumbnails by size, and the smallest's.
    async fn thumbnails(&self, id: &str) -> Result<(Map<String, Value>, Value)> {
        let mut thumbnails = Map::new();
        for size in &self.cfg.thumbnails.sizes {
            let url = self
                .presign_get(&self.dest, &keys::thumbnail_key(*size, id))
                .await?;
            thumbnails.insert(size.to_string(), Value::String(url));
        }
        let preview = thumbnails
            .get(&self.smallest().to_string())
            .cloned()
            .unwrap_or(Value::Null);
        Ok((thumbnails, preview))
    }

    /// `POST /get-presigned-url` `{"filename", "filetype"[, "size"]}`
    async fn upload_url(&self, req: &Request) -> Result<Response> {
        let body = json_body(
            req,
            r#"{"filename": "a.jpg", "filetype": "image/jpeg"}"#,
            "; send only the file's name and type",
        )?;
        let text = |name: &str| {
            body.get(name)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| Response::error(400, format!("\"{name}\" (a string) is required")))
        };
        let filename = text("filename")?;
        let filetype = text("filetype")?.to_ascii_lowercase();
        if !IMAGE_TYPES.contains(&filetype.as_str()) {
            return Err(Response::error(
                415,
                format!(
                    "filetype {filetype:?} is not taken; send one of {}",
                    IMAGE_TYPES.join(", ")
                ),
            ));
        }
        let max = self.cfg.max_input_bytes;
        match body.get("size") {
            None | Some(Value::Null) => {}
            Some(v) => match v.as_u64() {
                Some(0) => return Err(Response::error(400, "the file is empty")),
                Some(n) if n > max => {
                    return Err(Response::error(
                        413,
                        format!("{n} bytes is over the upload limit of {max} bytes"),
                    ))
                }
                Some(_) => {}
                None => {
                    return Err(Response::error(
                        400,
                        "\"size\" must be a whole number of bytes",
                    ))
                }
            },
        }

        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let id = ids::new_id(filename, now.as_millis() as u64, fastrand::u32(..));
        let key = format!("{}{id}", self.cfg.upload_prefix);
        let creds = self.credentials.provide_credentials().await.map_err(|e| {
            Response::error(
                500,
                format!("the function has no usable AWS credentials: {e}"),
            )
        })?;
        let url = match &self.endpoint {
            Some(e) => format!("{e}/{}", self.source),
            None => format!("https://{}.s3.{}.amazonaws.com/", self.source, self.region),
        };
        let post = presign_post::presign(
            &presign_post::Credentials {
                access_key_id: creds.access_key_id(),
                secret_access_key: creds.secret_access_key(),
                session_token: creds.session_token(),
            },
            &presign_post::Request {
                bucket: &self.source,
                key: &key,
                region: &self.region,
                url,
                fields: vec![("Content-Type".into(), filetype.clone())],
                conditions: vec![
                    presign_post::Condition::Equals("Content-Type".into(), filetype),
                    presign_post::Condition::ContentLengthRange(1, max),
                ],
                now: now.as_secs() as i64,
                expires_in: self.cfg.upload_url_seconds as i64,
            },
        );
        let fields: Map<String, Value> = post
            .fields
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        Ok(Response::json(
            200,
            &json!({
                "id": id,
                "url": post.url,
                "fields": fields,
                "expiresIn": self.cfg.upload_url_seconds,
                "maxBytes": max,
            }),
        ))
    }

    /// `GET /{id}[?preview=1]`
    async fn view(&self, id: &str, preview: Option<&str>) -> Result<Response> {
        ids::check(id).map_err(|e| Response::error(400, e))?;
        let key = format!("{}{id}", self.cfg.upload_prefix);
        let preview = matches!(preview, Some("1" | "true" | "yes"));
        if !preview {
            let (start, stored) = self.read_start(id, &key).await?;
            // A few milliseconds of parsing, bounded by the bytes read.
            let details = exif::details(&start);
            let url = self.presign_get(&self.source, &key).await?;
            // What a viewer shows first: the largest thumbnail (the
            // original, megabytes, only when asked for).
            let largest = self
                .cfg
                .thumbnails
                .sizes
                .iter()
                .copied()
                .max()
                .unwrap_or(1024);
            let thumbnail = self
                .presign_get(&self.dest, &keys::thumbnail_key(largest, id))
                .await?;
            return Ok(Response::json(
                200,
                &json!({"id": id, "url": url, "thumbnail": thumbnail,
                        "taken": details.taken, "camera": details.camera,
                        "timeline": timeline::date_of(&start, stored.as_ref())}),
            ));
        }
        let thumb = keys::thumbnail_key(self.smallest(), id);
        if !self.exists(&self.dest, &thumb).await? {
            // The trigger has not made it (yet, or it failed): make it now,
            // unless this version is known not to make one.
            let etag = s3_event::find(&self.s3, &self.source, &key)
                .await
                .map_err(|e| storage_error("looking up a photo", &e))?
                .ok_or_else(|| Response::error(404, format!("no photo with id {id:?}")))?;
            // Another invocation (the trigger) making this version's: wait
            // for it, asking again each time, so that if it gives up the
            // work is taken here.
            let deadline = tokio::time::Instant::now() + PREVIEW_WAIT;
            loop {
                let made = s3_event::thumbnail_object(
                    &self.s3,
                    &self.cfg,
                    &self.source,
                    &key,
                    id,
                    Some(&etag),
                )
                .await;
                match made {
                    Ok(Made::Now(_) | Made::Already) => break,
                    Ok(Made::Elsewhere) if tokio::time::Instant::now() < deadline => {
                        tokio::time::sleep(PREVIEW_POLL).await
                    }
                    Ok(Made::Elsewhere) => {
                        return Err(Response::error(
                            503,
                            format!(
                            "the thumbnail of {id} is still being made; try again in a few seconds"
                        ),
                        )
                        .with_header("retry-after", "2"))
                    }
                    Err(Failure::Permanent(reason)) => {
                        let name = super::ids::display_name(id);
                        return Err(Response::error(
                            422,
                            format!("{name} is not a photo the gallery can show ({reason}), so it was not kept"),
                        ));
                    }
                    Err(Failure::Transient(e)) => {
                        return Err(Response::error(
                            503,
                            format!("making the thumbnail failed, try again: {e}"),
                        ))
                    }
                }
            }
        }
        let url = self.presign_get(&self.dest, &thumb).await?;
        Ok(Response::json(200, &json!({"id": id, "url": url})))
    }

    /// `DELETE /delete-image/{id}`: thumbnails first, so a failure part way
    /// leaves the original, and deleting again finishes the job. Then the
    /// original, then the thumbnails once more: a trigger (or preview) that
    /// read the original before it went may have written them again since;
    /// one that writes after this sees the original gone and removes its own
    /// (`s3_event::thumbnail_object`).
    async fn delete(&self, id: &str) -> Result<Response> {
        ids::check(id).map_err(|e| Response::error(400, e))?;
        let key = format!("{}{id}", self.cfg.upload_prefix);
        // Its place on the timeline, computed as the trigger did (from the
        // original, still there): it goes first, with the thumbnails.
        let (start, stored) = self.read_start(id, &key).await?;
        let entry = timeline::key_of(&start, stored.as_ref(), id);
        let thumbnails = self.delete_thumbnails(id, &entry).await?;
        self.s3
            .delete_object()
            .bucket(&self.source)
            .key(&key)
            .send()
            .await
            .map_err(|e| storage_error("deleting the photo", &e))?;
        self.delete_thumbnails(id, &entry).await?;
        Ok(Response::json(
            200,
            &json!({"deleted": id, "thumbnails": thumbnails}),
        ))
    }

    /// `POST /restore-image/{id}`: undo a delete. The delete marker over the
    /// photo's newest version goes, so that version is the photo again (the
    /// upload bucket keeps it `--keep-deleted-days`); no S3 event says so,
    /// so its thumbnails are made here. Answers as `GET /{id}?preview=1`.
    /// A photo that is there already is left as it is.
    async fn restore(&self, id: &str) -> Result<Response> {
        ids::check(id).map_err(|e| Response::error(400, e))?;
        let key = format!("{}{id}", self.cfg.upload_prefix);
        let versions = self
            .s3
            .list_object_versions()
            .bucket(&self.source)
            .prefix(&key)
            .send()
            .await
            .map_err(|e| storage_error("looking for the deleted photo", &e))?;
        let marker = versions
            .delete_markers()
            .iter()
            .find(|m| m.key() == Some(key.as_str()) && m.is_latest() == Some(true));
        let kept = versions
            .versions()
            .iter()
            .any(|v| v.key() == Some(key.as_str()));
        match marker.and_then(|m| m.version_id()) {
            Some(marker) if kept => {
                self.s3
                    .delete_object()
                    .bucket(&self.source)
                    .key(&key)
                    .version_id(marker)
                    .send()
                    .await
                    .map_err(|e| storage_error("restoring the photo", &e))?;
            }
            // Not deleted: nothing to undo.
            _ if kept => {}
            _ => {
                return Err(Response::error(
                    404,
                    format!("no deleted photo with id {id:?} is kept any more"),
                ))
            }
        }
        self.view(id, Some("1")).await
    }

    /// The failure keys of every version remembered as impossible to
    /// thumbnail (the first 1000; a later one is still refused at once by
    /// `?preview=1`).
    async fn known_failures(&self) -> Result<std::collections::HashSet<String>> {
        let page = self
            .s3
            .list_objects_v2()
            .bucket(&self.dest)
            .prefix(keys::FAILED_PREFIX)
            .send()
            .await
            .map_err(|e| storage_error("listing the photos", &e))?;
        Ok(page
            .contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_owned))
            .collect())
    }

    /// A photo's place on the timeline (`entry`), what was remembered of its
    /// versions, any claim, and its thumbnails; the thumbnails' keys.
    async fn delete_thumbnails(&self, id: &str, entry: &str) -> Result<Vec<String>> {
        timeline::remove(&self.s3, &self.dest, entry)
            .await
            .map_err(s3_failed("deleting the photo"))?;
        // What was remembered of its versions goes too, and any claim.
        let mut remembered = Vec::new();
        for prefix in [keys::FAILED_PREFIX, keys::MAKING_PREFIX] {
            let page = self
                .s3
                .list_objects_v2()
                .bucket(&self.dest)
                .prefix(format!("{prefix}{id}/"))
                .send()
                .await
                .map_err(|e| storage_error("deleting a thumbnail", &e))?;
            remembered.extend(page.contents().to_vec());
        }
        for o in &remembered {
            if let Some(key) = o.key() {
                self.s3
                    .delete_object()
                    .bucket(&self.dest)
                    .key(key)
                    .send()
                    .await
                    .map_err(|e| storage_error("deleting a thumbnail", &e))?;
            }
        }
        let mut thumbnails = Vec::new();
        for size in &self.cfg.thumbnails.sizes {
            let thumb = keys::thumbnail_key(*size, id);
            self.s3
                .delete_object()
                .bucket(&self.dest)
                .key(&thumb)
                .send()
                .await
                .map_err(|e| storage_error("deleting a thumbnail", &e))?;
            thumbnails.push(thumb);
        }
        Ok(thumbnails)
    }

    /// The start of the original (what holds its EXIF) and when S3 stored
    /// it; 404 if there is no such photo.
    async fn read_start(
        &self,
        id: &str,
        key: &str,
    ) -> Result<(Vec<u8>, Option<aws_sdk_s3::primitives::DateTime>)> {
        timeline::read_start(&self.s3, &self.source, key)
            .await
            .map_err(s3_failed("reading a photo"))?
            .ok_or_else(|| Response::error(404, format!("no photo with id {id:?}")))
    }

    fn smallest(&self) -> u32 {
        self.cfg.thumbnails.smallest()
    }

    async fn exists(&self, bucket: &str, key: &str) -> Result<bool> {
        s3_event::exists(&self.s3, bucket, key)
            .await
            .map_err(|e| storage_error("looking up a photo", &e))
    }

    async fn presign_get(&self, bucket: &str, key: &str) -> Result<String> {
        let conf = PresigningConfig::expires_in(Duration::from_secs(self.cfg.view_url_seconds))
            .map_err(|e| Response::error(500, format!("presigning: {e}")))?;
        let presigned = self
            .s3
            .get_object()
            .bucket(bucket)
            .key(key)
            .presigned(conf)
            .await
            .map_err(|e| Response::error(500, format!("presigning a GET of {key}: {e}")))?;
        Ok(presigned.uri().to_owned())
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `2026-12-14T09:00:00Z`.
fn iso(secs: u64) -> String {
    aws_sdk_s3::primitives::DateTime::from_secs(secs as i64)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}

/// A JSON request body of at most `MAX_BODY` bytes (413 past it, with
/// `hint` after the limit), else 400 showing `example`.
fn json_body(req: &Request, example: &str, hint: &str) -> Result<Value> {
    if req.body.len() > MAX_BODY {
        return Err(Response::error(
            413,
            format!("the request body is over {MAX_BODY} bytes{hint}"),
        ));
    }
    serde_json::from_slice(&req.body)
        .map_err(|e| Response::error(400, format!("the body must be JSON like {example}: {e}")))
}

/// A failed S3 call of the timeline's or the shares' (their errors are
/// already described): 503, worth a retry.
fn s3_failed(doing: &'static str) -> impl Fn(String) -> Response {
    move |e| Response::error(503, format!("S3 failed while {doing}: {e}"))
}

/// `?limit=N`: 1 to `MAX_PAGE`, `DEFAULT_PAGE` if not given.
fn page_limit(req: &Request) -> Result<i32> {
    match req.query("limit") {
        None => Ok(DEFAULT_PAGE),
        Some(v) => v
            .parse::<i32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                Response::error(
                    400,
                    format!("limit={v:?}: give a number from 1 to {MAX_PAGE}"),
                )
            }),
    }
}

fn not_allowed(allow: &str) -> Response {
    Response::error(405, format!("this path takes {allow} (and OPTIONS)"))
        .with_header("allow", allow)
}

/// Percent-decode each segment of the path once; empty segments dropped.
fn decode_path(path: &str) -> Result<Vec<String>> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|d| d.into_owned())
                .map_err(|_| Response::error(400, "the path is not UTF-8 once percent-decoded"))
        })
        .collect()
}

/// An S3 failure as the API's answer: a bad continuation token is the
/// caller's fault (400); throttling and S3's own errors are worth a retry
/// (503); anything else (a missing bucket, a denied call) is ours (502).
fn storage_error<E>(doing: &str, e: &SdkError<E>) -> Response
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let code = e.code().unwrap_or("");
    let detail = s3_event::describe(e);
    // The whole story goes to the log (CloudWatch on Lambda); the caller
    // gets what failed, without the SDK's internals.
    eprintln!("S3 failed while {doing}: {}", s3_event::detail(e));
    let status = match code {
        "InvalidArgument" => 400,
        "SlowDown" | "ServiceUnavailable" | "InternalError" | "RequestTimeout" => 503,
        _ if matches!(e, SdkError::TimeoutError(_) | SdkError::DispatchFailure(_)) => 503,
        _ => 502,
    };
    Response::error(status, format!("S3 failed while {doing}: {detail}"))
}
