//! Shared by the handler's integration tests: the moto S3 emulator (the
//! project's launcher, `tests/emulator/moto_server.py`) and clients of it.
#![allow(dead_code)]

use std::path::Path;

use aws_config::SdkConfig;
use aws_sdk_s3::config::Credentials;
use aws_sdk_s3::Client;

#[path = "../../../tests/emulator/clients.rs"]
pub mod clients;
#[path = "../../../tests/emulator/launcher.rs"]
pub mod launcher;

/// The buckets of the stack the tests stand for (`photosky`, names ending
/// in `-tests0`): the function role below is written for them.
pub const SOURCE: &str = "photosky-tests0-source";
pub const DEST: &str = "photosky-tests0-thumbnails";

/// The emulator (IAM enforced), its URL, and a session of the function's
/// execution role: the role photosky writes for this stack, checked
/// against `resources::policies::function_role` by a deployer test.
pub struct Moto(pub launcher::Emulator, pub String, pub Credentials);

impl Moto {
    pub fn start() -> Moto {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let emulator = launcher::Emulator::start(&root, &[("PHOTOSKY_ENFORCE_IAM", "1")]);
        let url = emulator.url.clone();
        let request = format!(
            r#"{{"name": "photosky-tests0-function", "policy": {}}}"#,
            include_str!("../function-role.json")
        );
        let (status, body) = launcher::http(
            "POST",
            &format!("{url}/_photosky/iam/role"),
            Some("application/json"),
            request.as_bytes(),
        );
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let field = |k: &str| v[k].as_str().unwrap().to_owned();
        let role = Credentials::new(
            field("AccessKeyId"),
            field("SecretAccessKey"),
            Some(field("SessionToken")),
            None,
            "function-role",
        );
        Moto(emulator, url, role)
    }

    /// What the function's code runs with: its execution role's session.
    pub async fn function_sdk(&self, attempts: u32) -> SdkConfig {
        clients::config(&self.1, REGION, self.2.clone(), attempts).await
    }

    pub async fn function_client(&self, attempts: u32) -> Client {
        clients::s3(&self.function_sdk(attempts).await)
    }
}

const REGION: &str = "eu-west-1";

/// The account's root: for setting up and looking, never for the code
/// under test.
pub async fn sdk(endpoint: &str, attempts: u32) -> SdkConfig {
    clients::config(endpoint, REGION, clients::root(), attempts).await
}

pub async fn client(endpoint: &str, attempts: u32) -> Client {
    clients::s3(&sdk(endpoint, attempts).await)
}

/// A test photo (`tests/photos/`, with its licence in the README there).
pub fn photo(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/photos")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
