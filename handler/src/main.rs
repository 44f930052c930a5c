//! `photosky-handler`: the Lambda function (run by the Lambda runtime, no
//! arguments), or, from a shell, the photo API and gallery on 127.0.0.1, or
//! the thumbnailer on local files:
//!
//!     photosky-handler serve [--port 8080] [--create-buckets] ...
//!     photosky-handler thumbnail --out DIR FILE...
//!     photosky-handler bench [--rounds N] [--reference] FILE...

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use lambda_runtime::{service_fn, LambdaEvent};
use photosky_handler::api::{http, Api};
use photosky_handler::config::{parse_sizes, Config};
use photosky_handler::{keys, local, s3_event, thumbnail};
use serde_json::{json, Value};

const USAGE: &str = "\
usage: photosky-handler                    run as the Lambda function (under the Lambda runtime)
       photosky-handler serve [--port 8080] [--endpoint-url URL | --aws]
                              [--source-bucket B] [--dest-bucket B] [--create-buckets] [--no-poll]
                                           the photo API and gallery page on http://127.0.0.1:PORT/,
                                           the Lambda's own router, against S3 at URL (default
                                           http://127.0.0.1:5000, an emulator; --aws: real S3 with
                                           your AWS credentials). Buckets default to SOURCE_BUCKET
                                           and DEST_BUCKET, else photosky-local-source and
                                           photosky-local-thumbnails; --create-buckets makes them if
                                           missing. Polls the uploads and makes thumbnails as the S3
                                           trigger would (--no-poll: leave that to a real trigger).
                                           With USER_POOL_ISSUER, USER_POOL_CLIENT_ID and
                                           USER_POOL_JWKS set (what `photosky up` gives the function;
                                           USER_POOL_ENDPOINT: where the page signs in, e.g. the
                                           emulator), only that pool's users get past the page.
                                           Against an emulator it signs as test/test, or as
                                           PHOTOSKY_ENDPOINT_CREDENTIALS=\"KEY SECRET [TOKEN]\" gives
       photosky-handler thumbnail --out DIR [--sizes 1024,256] [--quality 80] FILE...
                                           make thumbnails of local files exactly as the Lambda
                                           would: DIR/<size>/<file name>.jpg; one line per file;
                                           exit 1 if any file failed
       photosky-handler bench [--rounds N] [--reference] FILE...
                                           time thumbnailing from memory (no writes): median ms
                                           per file, as JSON lines; --reference decodes without
                                           the shortcuts (every scan of a progressive JPEG; WebP at
                                           twice the size, then Lanczos3; HEIC converted and turned
                                           by libheif at full size), to compare";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => run_lambda(),
        Some("serve") => serve(&args[1..]),
        Some("thumbnail") => local_thumbnail(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print_usage();
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("error: unknown command {other:?}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run_lambda() -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: bad configuration: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    let result = rt.block_on(async {
        let sdk = aws_config::load_from_env().await;
        // Path-style addressing when pointed at an emulator.
        let s3_conf = aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(sdk.endpoint_url().is_some())
            .build();
        let s3 = aws_sdk_s3::Client::from_conf(s3_conf);
        // Without its buckets the API cannot work; S3 events still can.
        let api = Api::new(&sdk, config.clone());
        let (s3, config, api) = (&s3, &config, &api);
        lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
            dispatch(s3, config, api, event.payload).await
        }))
        .await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(
    s3: &aws_sdk_s3::Client,
    config: &Config,
    api: &Result<Api, String>,
    payload: Value,
) -> Result<Value, lambda_runtime::Error> {
    if payload.get("Records").is_some() {
        let event = serde_json::from_value(payload)?;
        let outcomes = s3_event::handle(s3, config, event).await?;
        let made = outcomes
            .iter()
            .filter(|o| matches!(o, s3_event::Outcome::Made { .. }))
            .count();
        return Ok(json!({"records": outcomes.len(), "thumbnailed": made}));
    }
    if payload.get("httpMethod").is_some() {
        return Ok(match api {
            Ok(api) => api.handle_apigw(payload).await,
            Err(e) => {
                http::Response::error(500, format!("the function is misconfigured: {e}")).to_apigw()
            }
        });
    }
    Err("unrecognised event: neither S3 records nor an API Gateway request".into())
}

/// `photosky-handler serve`: see USAGE.
fn serve(args: &[String]) -> ExitCode {
    let mut port: u16 = 8080;
    let mut endpoint =
        Some(std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:5000".into()));
    let (mut create, mut poll) = (false, true);
    let (mut source, mut dest) = (None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        let parsed = match arg.as_str() {
            "--port" => value("--port").and_then(|v| {
                v.parse()
                    .map(|p| port = p)
                    .map_err(|_| format!("--port {v}: give a port number (0 picks a free one)"))
            }),
            "--endpoint-url" => value("--endpoint-url").map(|v| endpoint = Some(v)),
            "--aws" => Ok(endpoint = None),
            "--source-bucket" => value("--source-bucket").map(|v| source = Some(v)),
            "--dest-bucket" => value("--dest-bucket").map(|v| dest = Some(v)),
            "--create-buckets" => Ok(create = true),
            "--no-poll" => Ok(poll = false),
            "-h" | "--help" => {
                print_usage();
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown option {other}")),
        };
        if let Err(e) = parsed {
            return usage_error(&e);
        }
    }
    let mut config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => return usage_error(&format!("bad configuration: {e}")),
    };
    let source = source
        .or(config.source_bucket.take())
        .unwrap_or_else(|| "photosky-local-source".into());
    let dest = dest
        .or(config.dest_bucket.take())
        .unwrap_or_else(|| "photosky-local-thumbnails".into());
    config.source_bucket = Some(source.clone());
    config.dest_bucket = Some(dest.clone());

    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    let result: Result<(), String> = rt.block_on(async {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(url) = &endpoint {
            // An emulator takes any credentials: never send it real ones,
            // only those meant for it (an emulator that enforces IAM wants
            // a principal's: the tests give the execution role's).
            let (key, secret, token) = endpoint_credentials();
            loader = loader
                .endpoint_url(url)
                .credentials_provider(aws_credential_types::Credentials::new(
                    key, secret, token, None, "photosky-local",
                ));
            if std::env::var_os("AWS_REGION").is_none() && std::env::var_os("AWS_DEFAULT_REGION").is_none() {
                loader = loader.region(aws_config::Region::new("us-east-1"));
            }
        }
        let sdk = loader.load().await;
        let region = sdk.region().map(|r| r.to_string()).unwrap_or_default();
        let api = Api::new(&sdk, config)?;
        let at = endpoint.as_deref().unwrap_or("AWS");
        if create {
            local::ensure_buckets(api.s3(), &region, &source, &dest)
                .await
                .map_err(|e| format!("{e}\n  (S3 at {at}; is it running? `./dev gallery` starts an emulator)"))?;
        }
        for bucket in [&source, &dest] {
            if let Err(e) = api.s3().head_bucket().bucket(bucket).send().await {
                use aws_sdk_s3::error::SdkError;
                let why = if e.as_service_error().is_some_and(|s| s.is_not_found()) {
                    "does not exist: deploy with `photosky up`, name it with --source-bucket/--dest-bucket, or pass --create-buckets".to_owned()
                } else if matches!(e, SdkError::DispatchFailure(_) | SdkError::TimeoutError(_)) {
                    "cannot be reached: nothing answers there. Start the emulator (`./dev gallery` \
                     starts one and this server), or pass --endpoint-url URL, or --aws"
                        .to_owned()
                } else {
                    format!("cannot be reached: {}", s3_event::describe(&e))
                };
                return Err(format!("bucket {bucket} at {at} {why}"));
            }
        }
        let serving = local::serve(api, port, poll, |addr| {
            println!("PhotoSky gallery: http://{addr}/  (photos in {source}, thumbnails in {dest}; Ctrl-C stops)");
        });
        // Ctrl-C is handled, not left to the default: a script's background
        // job inherits an ignored SIGINT.
        tokio::select! {
            served = serving => served.map_err(|e| format!("serving on 127.0.0.1:{port}: {e}")),
            _ = tokio::signal::ctrl_c() => {
                eprintln!("stopped");
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--flag value` options, then files.
struct Args {
    out: Option<PathBuf>,
    sizes: Option<Vec<u32>>,
    quality: Option<u8>,
    rounds: usize,
    reference: bool,
    files: Vec<PathBuf>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut a = Args {
        out: None,
        sizes: None,
        quality: None,
        rounds: 5,
        reference: false,
        files: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--out" => a.out = Some(value("--out")?.into()),
            "--sizes" => a.sizes = Some(parse_sizes(&value("--sizes")?)?),
            "--reference" => a.reference = true,
            "--quality" => {
                let q = value("--quality")?;
                a.quality = Some(
                    q.parse()
                        .ok()
                        .filter(|q| (1..=100).contains(q))
                        .ok_or(format!("--quality {q}: 1-100"))?,
                );
            }
            "--rounds" => {
                a.rounds = value("--rounds")?
                    .parse()
                    .map_err(|_| "--rounds takes a number".to_string())?
            }
            f if f.starts_with("--") => return Err(format!("unknown option {f}")),
            f => a.files.push(f.into()),
        }
    }
    if a.files.is_empty() {
        return Err("no files given".into());
    }
    Ok(a)
}

fn options(a: &Args) -> thumbnail::Options {
    let mut opts = Config::from_env().map(|c| c.thumbnails).unwrap_or_default();
    if let Some(s) = &a.sizes {
        opts.sizes = s.clone();
    }
    if let Some(q) = a.quality {
        opts.quality = q;
    }
    opts.reference = a.reference;
    opts
}

fn local_thumbnail(args: &[String]) -> ExitCode {
    let a = match parse(args) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let Some(out) = a.out.clone() else {
        return usage_error("--out DIR is required");
    };
    let opts = options(&a);
    let mut failed = 0;
    for file in &a.files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let start = Instant::now();
        let result = std::fs::read(file)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|bytes| thumbnail::make(&bytes, &opts).map_err(|s| format!("skipped: {s}")))
            .and_then(|thumbs| write_thumbs(&out, &name, &thumbs).map(|()| thumbs));
        match result {
            Ok(thumbs) => {
                let sizes: Vec<String> = thumbs
                    .iter()
                    .map(|t| format!("{}x{}", t.width, t.height))
                    .collect();
                println!(
                    "ok      {}  {}  ({:.1} ms)",
                    file.display(),
                    sizes.join(" "),
                    start.elapsed().as_secs_f64() * 1e3
                );
            }
            Err(e) => {
                failed += 1;
                println!("FAILED  {}  {e}", file.display());
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} file(s) failed", a.files.len());
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn write_thumbs(out: &Path, name: &str, thumbs: &[thumbnail::Thumbnail]) -> Result<(), String> {
    for t in thumbs {
        let path = out.join(keys::thumbnail_key(t.size, name));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, &t.jpeg)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn bench(args: &[String]) -> ExitCode {
    let a = match parse(args) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let opts = options(&a);
    for file in &a.files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => return usage_error(&format!("{}: {e}", file.display())),
        };
        let mut times = Vec::new();
        for _ in 0..a.rounds.max(1) {
            let start = Instant::now();
            let made = thumbnail::make(&bytes, &opts);
            times.push(start.elapsed().as_secs_f64() * 1e3);
            if let Err(e) = made {
                println!("{}", json!({"file": file, "error": e.to_string()}));
                break;
            }
        }
        times.sort_by(|x, y| x.total_cmp(y));
        println!(
            "{}",
            json!({"file": file, "median_ms": times[times.len() / 2], "rounds": times.len()})
        );
    }
    ExitCode::SUCCESS
}

/// The credentials `serve --endpoint-url` signs with: those in
/// $PHOTOSKY_ENDPOINT_CREDENTIALS ("KEY SECRET [SESSION_TOKEN]"), else
/// test/test. Never the AWS credentials of the environment.
fn endpoint_credentials() -> (String, String, Option<String>) {
    let given = std::env::var("PHOTOSKY_ENDPOINT_CREDENTIALS").unwrap_or_default();
    let mut parts = given.split_whitespace().map(str::to_owned);
    match (parts.next(), parts.next()) {
        (Some(key), Some(secret)) => (key, secret, parts.next()),
        _ => ("test".into(), "test".into(), None),
    }
}

fn usage_error(e: &str) -> ExitCode {
    eprintln!("error: {e}\n\n{USAGE}");
    ExitCode::from(2)
}

/// To stdout, quietly giving up if it is closed (`--help | head`).
fn print_usage() {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{USAGE}");
}
