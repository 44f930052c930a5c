//! Test harness: the moto emulator (tests/emulator/launcher.rs, shared with
//! the handler's tests), the photosky binary run against it, and SDK clients
//! to look at what really exists.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use aws_config::SdkConfig;

#[path = "../../emulator/clients.rs"]
pub mod clients;
#[path = "../../emulator/launcher.rs"]
pub mod launcher;

pub const REGION: &str = "eu-west-1";

pub struct Emulator {
    moto: launcher::Emulator,
    pub url: String,
    /// While this file exists, simulated builds fail.
    pub fail_build_flag: PathBuf,
    /// While this file exists, StartBuild is refused as over the account's quota.
    pub build_quota_flag: PathBuf,
    /// A count written here makes that many next builds ACCESS_DENIED in setup.
    pub deny_builds_file: PathBuf,
    /// The latency model's scale, if on: photosky is given the same.
    latency: Option<f64>,
    /// The IAM user photosky runs as: it holds exactly
    /// `docs/deployer-policy.json`, and IAM is enforced (iam.py).
    pub deployer: Principal,
    _dir: tempfile::TempDir,
}

/// An IAM user's access key pair in the emulator.
#[derive(Clone, Debug)]
pub struct Principal {
    pub key: String,
    pub secret: String,
    /// An assumed role's session token.
    pub token: Option<String>,
    pub arn: String,
}

impl Principal {
    /// The session an AssumeRole answered.
    pub fn assumed(session: &aws_sdk_sts::operation::assume_role::AssumeRoleOutput) -> Principal {
        let c = session.credentials().unwrap();
        Principal {
            key: c.access_key_id().to_owned(),
            secret: c.secret_access_key().to_owned(),
            token: Some(c.session_token().to_owned()),
            arn: session.assumed_role_user().unwrap().arn().to_owned(),
        }
    }
}

/// The deployer policy the README tells users to grant.
pub fn deployer_policy() -> serde_json::Value {
    serde_json::from_str(include_str!("../../../docs/deployer-policy.json")).unwrap()
}

impl Emulator {
    pub fn start() -> Emulator {
        Self::launch(None, "", None)
    }

    /// With the latency model on: AWS's time at `scale`, propagation
    /// refusals and Pending functions included (tests/emulator/latency.py).
    pub fn with_latency(scale: f64) -> Emulator {
        Self::launch(Some(scale), "", None)
    }

    /// With the latency model on and some propagation windows longer than
    /// AWS's typical figures, as JSON: `{"role_for_codebuild": 20}`.
    pub fn with_latency_windows(scale: f64, windows: &str) -> Emulator {
        Self::launch(Some(scale), windows, None)
    }

    /// With moto's Lambda concurrency quota on (MOTO_LAMBDA_CONCURRENCY_QUOTA):
    /// a reservation that leaves less than moto's minimum unreserved (100;
    /// AWS: 10) is refused, as on an account whose quota is small.
    pub fn with_lambda_quota(quota: u32) -> Emulator {
        Self::launch(None, "", Some(quota))
    }

    fn launch(latency: Option<f64>, windows: &str, lambda_quota: Option<u32>) -> Emulator {
        let dir = tempfile::tempdir().unwrap();
        let fail_build_flag = dir.path().join("fail-build");
        let build_quota_flag = dir.path().join("build-quota");
        let deny_builds_file = dir.path().join("deny-builds");
        let scale = latency.map(|s| s.to_string()).unwrap_or_default();
        let mut env = vec![
            ("PHOTOSKY_ENFORCE_IAM", "1"),
            ("PHOTOSKY_SIM_FAIL_BUILD", fail_build_flag.to_str().unwrap()),
            (
                "PHOTOSKY_SIM_BUILD_QUOTA",
                build_quota_flag.to_str().unwrap(),
            ),
            (
                "PHOTOSKY_SIM_DENY_BUILDS",
                deny_builds_file.to_str().unwrap(),
            ),
        ];
        let quota = lambda_quota.map(|q| q.to_string()).unwrap_or_default();
        if lambda_quota.is_some() {
            env.push(("MOTO_LAMBDA_CONCURRENCY_QUOTA", &quota));
        }
        if latency.is_some() {
            env.push(("PHOTOSKY_LATENCY_SCALE", &scale));
            env.push(("PHOTOSKY_LATENCY_WINDOWS", windows));
        }
        let moto = launcher::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")), &env);
        let deployer = user(&moto.url, "photosky-deployer", &deployer_policy());
        Emulator {
            url: moto.url.clone(),
            moto,
            deployer,
            fail_build_flag,
            build_quota_flag,
            deny_builds_file,
            latency,
            _dir: dir,
        }
    }

    /// A new IAM user holding `policy` (IAM is enforced): run photosky as
    /// it with `photosky_as`.
    pub fn user(&self, name: &str, policy: &serde_json::Value) -> Principal {
        user(&self.url, name, policy)
    }

    /// A session of a new role (no permissions) assumed as the account's
    /// root.
    pub async fn session_of_new_role(&self, name: &str) -> Principal {
        let sdk = self.sdk(REGION).await;
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
        let role = aws_sdk_iam::Client::new(&sdk)
            .create_role()
            .role_name(name)
            .assume_role_policy_document(trust)
            .send()
            .await
            .unwrap();
        let session = aws_sdk_sts::Client::new(&sdk)
            .assume_role()
            .role_arn(role.role().unwrap().arn())
            .role_session_name(name)
            .send()
            .await
            .unwrap();
        Principal::assumed(&session)
    }

    /// End the STS session whose access key is `key` now (iam.py).
    pub fn expire(&self, key: &str) {
        let body = serde_json::json!({ "AccessKeyId": key }).to_string();
        let (status, answer) = launcher::http(
            "POST",
            &format!("{}/_photosky/iam/expire", self.url),
            Some("application/json"),
            body.as_bytes(),
        );
        assert_eq!(status, 200);
        let v: serde_json::Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(v["expired"], true, "no session has the key {key}");
    }

    /// What IAM refused so far: `[{"principal", "action", "resource"}]`.
    pub fn iam_refusals(&self) -> Vec<serde_json::Value> {
        let (status, body) =
            launcher::http("GET", &format!("{}/_photosky/iam", self.url), None, b"");
        assert_eq!(status, 200);
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        v["refusals"].as_array().cloned().unwrap_or_default()
    }

    /// The latency model's scale and the propagation refusals it made.
    pub fn latency(&self) -> serde_json::Value {
        serde_json::from_str(&self.moto.latency()).unwrap()
    }

    /// The emulator carries out the next `count` calls of `action` and
    /// loses their responses (tests/emulator/faults.py).
    pub fn drop_responses(&self, action: &str, count: u32) {
        self.moto.drop_responses(action, count);
    }

    /// The responses lost so far, per operation.
    pub fn dropped(&self) -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(&self.moto.drop_responses("", 0)).unwrap()
            ["dropped"]
            .clone()
    }

    /// AWS's rules the emulator keeps (tests/emulator/aws_rules.py): how
    /// often each refused a call, and which functions are Inactive. With
    /// `query` (`inactive=1`, `conflicts=N`), that is asked of it first.
    pub fn rules(&self, query: Option<&str>) -> serde_json::Value {
        let url = format!("{}/_photosky/rules", self.url);
        let (status, body) = match query {
            Some(q) => launcher::http("POST", &format!("{url}?{q}"), None, b""),
            None => launcher::http("GET", &url, None, b""),
        };
        assert_eq!(status, 200);
        serde_json::from_slice(&body).unwrap()
    }

    /// A bucket in REGION that photosky did not make (someone else's, or a
    /// look-alike), carrying `photosky-stack=<tag>` when given.
    pub async fn foreign_bucket(&self, name: &str, tag: Option<&str>) {
        let s3 = self.s3(REGION).await;
        s3.create_bucket()
            .bucket(name)
            .create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(REGION))
                    .build(),
            )
            .send()
            .await
            .unwrap();
        if let Some(tag) = tag {
            let tag = aws_sdk_s3::types::Tag::builder()
                .key("photosky-stack")
                .value(tag)
                .build()
                .unwrap();
            s3.put_bucket_tagging()
                .bucket(name)
                .tagging(
                    aws_sdk_s3::types::Tagging::builder()
                        .tag_set(tag)
                        .build()
                        .unwrap(),
                )
                .send()
                .await
                .unwrap();
        }
    }

    /// How many requests the emulator was sent so far (its own control
    /// calls aside).
    pub fn requests_total(&self) -> u64 {
        let counts: serde_json::Value = serde_json::from_str(&self.moto.requests()).unwrap();
        counts
            .as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum()
    }

    /// How often the rule `name` refused a call so far.
    pub fn refused(&self, name: &str) -> u64 {
        self.rules(None)["refused"][name].as_u64().unwrap_or(0)
    }

    /// Run photosky with `args` against this emulator.
    pub fn photosky(&self, state_dir: &Path, args: &[&str]) -> Run {
        self.photosky_env(state_dir, args, &[])
    }

    /// Run photosky as `who` (an IAM user from `user`).
    pub fn photosky_as(&self, who: &Principal, state_dir: &Path, args: &[&str]) -> Run {
        self.photosky_env(
            state_dir,
            args,
            &[
                ("AWS_ACCESS_KEY_ID", &who.key),
                ("AWS_SECRET_ACCESS_KEY", &who.secret),
            ],
        )
    }

    pub fn photosky_env(&self, state_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = self
            .command(state_dir, args, env)
            .output()
            .expect("run photosky");
        Run::from(out, args)
    }

    /// photosky as a new user might run it: without the variables in
    /// `remove` (credentials, say), with `env` set.
    pub fn photosky_without(
        &self,
        state_dir: &Path,
        args: &[&str],
        remove: &[&str],
        env: &[(&str, &str)],
    ) -> Run {
        let mut cmd = self.command(state_dir, args, env);
        for var in remove {
            cmd.env_remove(var);
        }
        Run::from(cmd.output().expect("run photosky"), args)
    }

    /// photosky started, not waited for (`logs --follow`), its stdout
    /// piped; killed when dropped, a failed assertion included.
    pub fn spawn(&self, state_dir: &Path, args: &[&str]) -> Spawned {
        Spawned(
            self.command(state_dir, args, &[])
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("start photosky"),
        )
    }

    fn command(&self, state_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_photosky"));
        cmd.arg("--state-dir").arg(state_dir).args(args);
        for var in [
            "AWS_PROFILE",
            "AWS_DEFAULT_REGION",
            "AWS_SESSION_TOKEN",
            photosky::fault::VAR,
            photosky::fault::FAIL_DELETE_VAR,
            photosky::aws::TIME_SCALE_VAR,
        ] {
            cmd.env_remove(var);
        }
        if let Some(scale) = self.latency {
            cmd.env(photosky::aws::TIME_SCALE_VAR, scale.to_string());
        }
        cmd.env("AWS_ENDPOINT_URL", &self.url)
            .env("AWS_ACCESS_KEY_ID", &self.deployer.key)
            .env("AWS_SECRET_ACCESS_KEY", &self.deployer.secret)
            .env("AWS_REGION", REGION)
            .env("AWS_CONFIG_FILE", "/nonexistent")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
            .stdin(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    /// As the account's root, to set up and to look.
    pub async fn sdk(&self, region: &str) -> SdkConfig {
        clients::config(&self.url, region, clients::root(), 3).await
    }

    pub async fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        clients::s3(&self.sdk(region).await)
    }

    /// `down --yes` succeeds, and then no service holds anything of `stack`.
    pub async fn down_leaves_nothing(&self, state_dir: &Path, stack: &str) {
        self.photosky(state_dir, &["--name", stack, "down", "--yes"])
            .ok();
        assert_eq!(
            self.leftovers(REGION, &format!("{stack}-")).await,
            Vec::<String>::new()
        );
    }

    /// Every resource in every service we use whose name contains `needle`:
    /// found by listing each service, not by reading any state file.
    pub async fn leftovers(&self, region: &str, needle: &str) -> Vec<String> {
        let c = self.sdk(region).await;
        let mut out = Vec::new();
        let ecr = aws_sdk_ecr::Client::new(&c);
        for r in ecr
            .describe_repositories()
            .send()
            .await
            .unwrap()
            .repositories()
        {
            out.push(format!(
                "ecr repository {}",
                r.repository_name().unwrap_or_default()
            ));
        }
        let iam = aws_sdk_iam::Client::new(&c);
        for r in iam.list_roles().send().await.unwrap().roles() {
            out.push(format!("iam role {}", r.role_name()));
        }
        for b in self
            .s3(region)
            .await
            .list_buckets()
            .send()
            .await
            .unwrap()
            .buckets()
        {
            out.push(format!("s3 bucket {}", b.name().unwrap_or_default()));
        }
        let lambda = aws_sdk_lambda::Client::new(&c);
        for f in lambda.list_functions().send().await.unwrap().functions() {
            out.push(format!(
                "lambda function {}",
                f.function_name().unwrap_or_default()
            ));
        }
        let cb = aws_sdk_codebuild::Client::new(&c);
        for p in cb.list_projects().send().await.unwrap().projects() {
            out.push(format!("codebuild project {p}"));
        }
        let apigw = aws_sdk_apigateway::Client::new(&c);
        for a in apigw.get_rest_apis().send().await.unwrap().items() {
            out.push(format!("rest api {}", a.name().unwrap_or_default()));
        }
        let cognito = aws_sdk_cognitoidentityprovider::Client::new(&c);
        let pools = cognito
            .list_user_pools()
            .max_results(60)
            .send()
            .await
            .unwrap();
        for p in pools.user_pools() {
            out.push(format!(
                "cognito user pool {}",
                p.name().unwrap_or_default()
            ));
        }
        let logs = aws_sdk_cloudwatchlogs::Client::new(&c);
        for g in logs
            .describe_log_groups()
            .send()
            .await
            .unwrap()
            .log_groups()
        {
            out.push(format!(
                "log group {}",
                g.log_group_name().unwrap_or_default()
            ));
        }
        out.retain(|r| r.contains(needle));
        out
    }
}

/// An IAM user holding `policy`, made through the emulator's control API.
fn user(url: &str, name: &str, policy: &serde_json::Value) -> Principal {
    let request = serde_json::json!({"name": name, "policy": policy}).to_string();
    let (status, body) = launcher::http(
        "POST",
        &format!("{url}/_photosky/iam/user"),
        Some("application/json"),
        request.as_bytes(),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    Principal {
        key: v["AccessKeyId"].as_str().unwrap().to_owned(),
        secret: v["SecretAccessKey"].as_str().unwrap().to_owned(),
        token: None,
        arn: v["Arn"].as_str().unwrap().to_owned(),
    }
}

pub struct Spawned(pub std::process::Child);

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output, args: &[&str]) -> Run {
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        eprintln!(
            "$ photosky {} -> exit {}\n{}{}",
            args.join(" "),
            run.code,
            run.stdout,
            run.stderr
        );
        run
    }

    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// What a user reads, with what differs from run to run named instead: the
/// stack's random suffix, the ids AWS chose, the image's digest and tag
/// (the tag is the handler source's hash), the build id, the state
/// directory. `state` is the stack's state file as it was when the text was
/// printed (`down` removes it).
pub fn redacted(text: &str, dir: &Path, state: &serde_json::Value) -> String {
    let r = &state["resources"];
    let named = [
        (&r["image"]["id"], "[DIGEST]"),
        (&r["image"]["applied"], "[IMAGE-TAG]"),
        (&r["build"]["id"], "[BUILD-ID]"),
        (&r["rest-api"]["id"], "[API-ID]"),
        (&r["user-pool"]["id"], "[POOL-ID]"),
        (&r["user-pool-client"]["id"], "[CLIENT-ID]"),
        (&r["api-stage"]["id"], "[DEPLOYMENT-ID]"),
        (&state["names"]["suffix"], "[SUFFIX]"),
    ];
    let mut pairs: Vec<(String, &str)> = named
        .iter()
        .filter_map(|(v, name)| v.as_str().map(|v| (v.to_owned(), *name)))
        .collect();
    pairs.push((dir.display().to_string(), "[STATE-DIR]"));
    // Longest first: the suffix is part of the build id.
    pairs.sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
    pairs
        .iter()
        .fold(text.to_owned(), |t, (v, name)| t.replace(v.as_str(), name))
}

/// The state file of `stack` in `dir`, parsed.
/// IAM returns policy documents URL-encoded (RFC 3986 %XX).
pub fn url_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// The steps `up --output json` says it changed, in its order.
pub fn changed_steps(out: &serde_json::Value) -> Vec<String> {
    out["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["step"].as_str().unwrap().to_owned())
        .collect()
}

pub fn state(dir: &Path, stack: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join(format!("{stack}.json"))).unwrap()).unwrap()
}

/// Every method of a REST API: (resource path, HTTP method, authorization
/// type, authorizer id), sorted.
pub async fn api_methods(
    apigw: &aws_sdk_apigateway::Client,
    api: &str,
) -> Vec<(String, String, String, Option<String>)> {
    let resources = apigw.get_resources().rest_api_id(api).send().await.unwrap();
    let mut out = Vec::new();
    for r in resources.items() {
        let path = r.path().unwrap_or_default().to_owned();
        for method in r.resource_methods().map(|m| m.keys()).into_iter().flatten() {
            let m = apigw
                .get_method()
                .rest_api_id(api)
                .resource_id(r.id().unwrap())
                .http_method(method)
                .send()
                .await
                .unwrap();
            out.push((
                path.clone(),
                method.clone(),
                m.authorization_type().unwrap_or_default().to_owned(),
                m.authorizer_id().map(str::to_owned),
            ));
        }
    }
    out.sort();
    out
}

/// The function's environment as deployed (GetFunctionConfiguration).
pub async fn function_env(
    lambda: &aws_sdk_lambda::Client,
    name: &str,
) -> std::collections::BTreeMap<String, String> {
    let f = lambda
        .get_function_configuration()
        .function_name(name)
        .send()
        .await
        .unwrap();
    f.environment()
        .and_then(|e| e.variables())
        .map(|v| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// The function's own binary (the bootstrap photosky carries) serving the
/// API on 127.0.0.1 with `env`, as the deployed function has it, against
/// the emulator's buckets. Killed when dropped.
pub struct Served {
    _child: Spawned,
    pub addr: String,
}

impl Emulator {
    /// A session of the deployed function's execution role (AssumeRole, as
    /// Lambda does): what its code runs as.
    pub async fn function_role(&self, function: &str) -> Principal {
        let sdk = self.sdk(REGION).await;
        let role = aws_sdk_lambda::Client::new(&sdk)
            .get_function_configuration()
            .function_name(function)
            .send()
            .await
            .unwrap()
            .role()
            .unwrap()
            .to_owned();
        let session = aws_sdk_sts::Client::new(&sdk)
            .assume_role()
            .role_arn(&role)
            .role_session_name(function)
            .send()
            .await
            .unwrap();
        Principal::assumed(&session)
    }

    /// The function's binary serving the API with `env`, signing as `role`
    /// (from `function_role`).
    pub fn serve_function(
        &self,
        env: &std::collections::BTreeMap<String, String>,
        role: &Principal,
    ) -> Served {
        use std::io::BufRead;
        let bin = option_env!("PHOTOSKY_BOOTSTRAP").expect(
            "PHOTOSKY_BOOTSTRAP: run the tests with ./dev test, which builds the handler binary",
        );
        let mut cmd = Command::new(bin);
        cmd.args(["serve", "--port", "0", "--endpoint-url", &self.url])
            .env_clear()
            .envs(env)
            .env(
                "PHOTOSKY_ENDPOINT_CREDENTIALS",
                format!(
                    "{} {} {}",
                    role.key,
                    role.secret,
                    role.token.as_deref().unwrap_or("")
                ),
            )
            .env("AWS_REGION", REGION)
            .env("AWS_CONFIG_FILE", "/nonexistent")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(s) = env.get("SOURCE_BUCKET") {
            cmd.args(["--source-bucket", s]);
        }
        if let Some(d) = env.get("DEST_BUCKET") {
            cmd.args(["--dest-bucket", d]);
        }
        let mut child = Spawned(cmd.spawn().expect("start photosky-handler serve"));
        let out = child.0.stdout.take().unwrap();
        let mut lines = std::io::BufReader::new(out).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("photosky-handler serve ended before it said where it listens")
                .unwrap();
            if let Some(rest) = line.strip_prefix("PhotoSky gallery: http://") {
                break rest.split('/').next().unwrap().to_owned();
            }
        };
        // Its log lines are not read from here on; drain them.
        std::thread::spawn(move || for _ in lines {});
        Served {
            _child: child,
            addr,
        }
    }
}

impl Served {
    /// `method path` with an optional Authorization header: (status, body).
    pub fn call(&self, method: &str, path: &str, authorization: Option<&str>) -> (u16, String) {
        let headers: Vec<_> = authorization
            .map(|a| ("Authorization", a))
            .into_iter()
            .collect();
        self.send(method, path, &headers, b"")
    }

    /// A request with any headers and body.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        let url = format!("http://{}{path}", self.addr);
        let (status, body) = launcher::request(method, &url, headers, body);
        (status, String::from_utf8_lossy(&body).into_owned())
    }
}

/// The `Access-Control-Allow-Origin` API Gateway's own 4xx and 5xx answers
/// carry (as configured: `'*'`, `'https://...'`), if any.
pub async fn gateway_cors(apigw: &aws_sdk_apigateway::Client, api: &str) -> Vec<Option<String>> {
    use aws_sdk_apigateway::types::GatewayResponseType;
    let mut out = Vec::new();
    for kind in [
        GatewayResponseType::Default4Xx,
        GatewayResponseType::Default5Xx,
    ] {
        let r = apigw
            .get_gateway_response()
            .rest_api_id(api)
            .response_type(kind)
            .send()
            .await;
        out.push(r.ok().and_then(|r| {
            r.response_parameters()
                .and_then(|p| p.get("gatewayresponse.header.Access-Control-Allow-Origin"))
                .cloned()
        }));
    }
    out
}

/// The REST API's authorizers (GetAuthorizers), as API Gateway has them.
pub async fn authorizers(
    apigw: &aws_sdk_apigateway::Client,
    api: &str,
) -> Vec<aws_sdk_apigateway::types::Authorizer> {
    apigw
        .get_authorizers()
        .rest_api_id(api)
        .send()
        .await
        .unwrap()
        .items()
        .to_vec()
}

/// The steps `up` records, in plan order.
pub fn recorded_steps() -> Vec<&'static str> {
    photosky::plan::PLAN.iter().map(|s| s.key()).collect()
}
