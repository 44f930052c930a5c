//! Fault injection for the tests; not a user feature.
//!
//! - `PHOTOSKY_FAULT_CRASH_AFTER=<step key>`: the process exits abruptly the
//!   moment that step's AWS work has returned and *before* it is recorded:
//!   the worst place for a crash. Steps run concurrently, so the message
//!   names the others still in flight (their work is cut off too).
//! - `PHOTOSKY_FAULT_FAIL_DELETE=<step key>`: `down` fails to delete that
//!   step's resource (as AWS might refuse), so the tests can show what a
//!   partial `down` reports and that running it again finishes the job.
//! - `PHOTOSKY_FAULT_READONLY_STATE=1`: saving or removing the state file
//!   fails as on a read-only directory (root, who runs the tests here, can
//!   write anywhere, so permissions cannot show it).
//! - `PHOTOSKY_TEST_DEPENDENCY_LOG=<file>`: `up` writes there, one
//!   `<step> <dependency>` line each, what every step read of another
//!   (`Cx::dep`), so a test can hold each step's reads to its declared
//!   `after`.

use crate::aws::AwsError;

pub const VAR: &str = "PHOTOSKY_FAULT_CRASH_AFTER";
pub const FAIL_DELETE_VAR: &str = "PHOTOSKY_FAULT_FAIL_DELETE";
pub const READONLY_STATE_VAR: &str = "PHOTOSKY_FAULT_READONLY_STATE";
pub const DEPENDENCY_LOG_VAR: &str = "PHOTOSKY_TEST_DEPENDENCY_LOG";
pub const EXIT_CODE: i32 = 86;

/// With `PHOTOSKY_TEST_DEPENDENCY_LOG` set, write `reads` there.
pub fn log_dependencies(reads: &[(&str, &str)]) -> std::io::Result<()> {
    match std::env::var_os(DEPENDENCY_LOG_VAR) {
        Some(path) => {
            let lines: String = reads.iter().map(|(s, d)| format!("{s} {d}\n")).collect();
            std::fs::write(path, lines)
        }
        None => Ok(()),
    }
}

/// Err when `PHOTOSKY_FAULT_READONLY_STATE` is set: the state file cannot
/// be written or removed.
pub fn state_write_failure() -> std::io::Result<()> {
    if std::env::var_os(READONLY_STATE_VAR).is_some() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!("{READONLY_STATE_VAR}: the state directory is read-only"),
        ));
    }
    Ok(())
}

pub fn crash_point(step_key: &str, in_flight: &[&str]) {
    if std::env::var(VAR).is_ok_and(|v| v == step_key) {
        eprintln!(
            "photosky: injected crash after `{step_key}` ({VAR}), with {} other step(s) in flight: {}",
            in_flight.len(),
            in_flight.join(", ")
        );
        std::process::exit(EXIT_CODE);
    }
}

pub fn delete_failure(step_key: &str) -> Result<(), AwsError> {
    if std::env::var(FAIL_DELETE_VAR).is_ok_and(|v| v == step_key) {
        return Err(AwsError::from_parts(
            "InjectedFault",
            &format!("{FAIL_DELETE_VAR} refuses to delete `{step_key}`"),
        ));
    }
    Ok(())
}
