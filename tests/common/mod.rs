//! Test harness: a moto server (with the build simulator of
//! tests/emulator/moto_server.py) on a free 127.0.0.1 port, the photosky
//! binary run against it, and SDK clients to look at what really exists.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::Credentials;

pub const REGION: &str = "eu-west-1";

pub struct Emulator {
    child: Child,
    pub url: String,
    /// While this file exists, simulated builds fail.
    pub fail_build_flag: PathBuf,
    _dir: tempfile::TempDir,
}

fn python() -> PathBuf {
    if let Ok(p) = std::env::var("PHOTOSKY_TEST_PYTHON") {
        return p.into();
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(
        venv.exists(),
        "no moto environment at {}: run `./dev setup` (or set PHOTOSKY_TEST_PYTHON)",
        venv.display()
    );
    venv
}

impl Emulator {
    pub fn start() -> Emulator {
        let dir = tempfile::tempdir().unwrap();
        let fail_build_flag = dir.path().join("fail-build");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/emulator/moto_server.py");
        let mut child = Command::new(python())
            .arg(script)
            .args(["--port", "0"])
            .env("PHOTOSKY_SIM_FAIL_BUILD", &fail_build_flag)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the moto emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("emulator said {line:?}"));
        Emulator {
            child,
            url: format!("http://127.0.0.1:{port}"),
            fail_build_flag,
            _dir: dir,
        }
    }

    /// Run photosky with `args` against this emulator.
    pub fn photosky(&self, state_dir: &Path, args: &[&str]) -> Run {
        self.photosky_env(state_dir, args, &[])
    }

    pub fn photosky_env(&self, state_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_photosky"));
        cmd.arg("--state-dir").arg(state_dir).args(args);
        for var in [
            "AWS_PROFILE",
            "AWS_DEFAULT_REGION",
            "AWS_SESSION_TOKEN",
            photosky::fault::VAR,
            photosky::fault::FAIL_DELETE_VAR,
        ] {
            cmd.env_remove(var);
        }
        cmd.env("AWS_ENDPOINT_URL", &self.url)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", REGION)
            .env("AWS_CONFIG_FILE", "/nonexistent")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
            .stdin(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run photosky");
        Run::from(out, args)
    }

    pub async fn sdk(&self, region: &str) -> SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_owned()))
            .endpoint_url(&self.url)
            .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
            .load()
            .await
    }

    pub async fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        let c = self.sdk(region).await;
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&c)
                .force_path_style(true)
                .build(),
        )
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

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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

/// The state file of `stack` in `dir`, parsed.
pub fn state(dir: &Path, stack: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join(format!("{stack}.json"))).unwrap()).unwrap()
}
