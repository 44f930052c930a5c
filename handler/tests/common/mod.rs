//! Shared by the handler's integration tests: the moto S3 emulator (the
//! project's launcher, `tests/emulator/moto_server.py`) and clients of it.
#![allow(dead_code)]

use std::path::Path;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_s3::config::Credentials;
use aws_sdk_s3::Client;

#[path = "../../../tests/emulator/launcher.rs"]
pub mod launcher;

/// The emulator, and its URL.
pub struct Moto(pub launcher::Emulator, pub String);

impl Moto {
    pub fn start() -> Moto {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let emulator = launcher::Emulator::start(&root, &[]);
        let url = emulator.url.clone();
        Moto(emulator, url)
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
