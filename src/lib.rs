//! photosky, the deployer, as a library: `main.rs` parses and prints, the
//! tests use the plan and the fault switches from here instead of copying
//! them.
//!
//! - `plan`: the declared steps and their dependencies;
//! - `scheduler`: runs the plan as a graph;
//! - `steps/`: one file per resource step (name, ensure, delete, inspect);
//! - `stack`: the deploy context and the one door to the state file;
//! - `state`: the state file's schema, lock and atomic save;
//! - `resources/`: thin AWS calls, one file per resource kind;
//! - `aws/`: SDK clients, error classification, bounded retry and poll;
//! - `commands/`: one file per command.

pub mod arch;
pub mod aws;
pub mod bundle;
pub mod cli;
pub mod commands;
pub mod cost;
pub mod discover;
pub mod error;
pub mod fault;
pub mod plan;
pub mod progress;
pub mod resources;
pub mod scheduler;
pub mod stack;
pub mod state;
pub mod steps;

/// The IAM policy photosky needs to run, which `photosky policy` prints:
/// embedded, as an installed photosky has no `docs/`.
pub const DEPLOYER_POLICY: &str = include_str!("../docs/deployer-policy.json");
