//! The deployer's tests, end to end against the moto emulator with IAM
//! enforced (tests/emulator/), in one binary with a file per command or
//! concern, as uv's `tests/it/` has them: `common` is the fixture (the
//! emulator, photosky run as the deployer, SDK clients to look with).

mod common;

mod arch;
mod aws_rules;
mod build;
mod down;
mod first_contact;
mod help;
mod iam;
mod logs;
mod ls;
mod ownership;
mod plan;
mod resilience;
mod state_file;
mod status;
mod up;
mod user;
