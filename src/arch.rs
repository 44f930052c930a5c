//! The instruction set the function runs on: Lambda's `Architectures`, the
//! image's platform, the CodeBuild environment that builds it from source,
//! and which prebuilt bootstrap photosky copies into it.

use serde::{Deserialize, Serialize};

/// arm64 (AWS Graviton) is what new stacks get: Lambda prices it about 20%
/// below x86_64 per GB-second (docs/cost.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum Arch {
    #[serde(rename = "arm64")]
    #[value(name = "arm64")]
    Arm64,
    #[serde(rename = "x86_64")]
    #[value(name = "x86_64")]
    X86_64,
}

impl Arch {
    /// Lambda's and the state file's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::Arm64 => "arm64",
            Arch::X86_64 => "x86_64",
        }
    }

    /// `docker build --platform`: the image's, which must be the function's
    /// (Lambda runs one architecture per image: "exec format error" at
    /// start otherwise, aws/aws-lambda-base-images#26).
    pub fn platform(self) -> &'static str {
        match self {
            Arch::Arm64 => "linux/arm64",
            Arch::X86_64 => "linux/amd64",
        }
    }

    pub fn lambda(self) -> aws_sdk_lambda::types::Architecture {
        match self {
            Arch::Arm64 => aws_sdk_lambda::types::Architecture::Arm64,
            Arch::X86_64 => aws_sdk_lambda::types::Architecture::X8664,
        }
    }

    /// Lambda's answer, read back (`None`: a value this photosky does not
    /// know).
    pub fn from_lambda(a: &aws_sdk_lambda::types::Architecture) -> Option<Arch> {
        match a {
            aws_sdk_lambda::types::Architecture::Arm64 => Some(Arch::Arm64),
            aws_sdk_lambda::types::Architecture::X8664 => Some(Arch::X86_64),
            _ => None,
        }
    }
}

impl std::fmt::Display for Arch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
