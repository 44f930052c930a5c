//! Shared by the handler's integration tests: the moto S3 emulator (the
//! project's launcher, `tests/emulator/moto_server.py`) and clients of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_s3::config::Credentials;
use aws_sdk_s3::Client;

pub struct Moto(Child, pub String);

impl Moto {
    pub fn start() -> Moto {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = std::env::var("PHOTOSKY_TEST_PYTHON")
            .map(PathBuf::from)
            .unwrap_or(root.join(".venv/bin/python"));
        assert!(
            python.exists(),
            "no moto environment at {}: run `./dev setup`",
            python.display()
        );
        let mut child = Command::new(python)
            .arg(root.join("tests/emulator/moto_server.py"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap()
            .to_owned();
        Moto(child, format!("http://127.0.0.1:{port}"))
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub async fn sdk(endpoint: &str, attempts: u32) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("t", "t", None, None, "test"))
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(attempts))
        .load()
        .await
}

pub async fn client(endpoint: &str, attempts: u32) -> Client {
    let sdk = sdk(endpoint, attempts).await;
    Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(true)
            .build(),
    )
}

/// A photo from the shared corpus beside the project.
pub fn corpus(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
