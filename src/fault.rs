//! Crash injection for the resume tests: with
//! `PHOTOSKY_FAULT_CRASH_AFTER=<step key>`, the process exits abruptly the
//! moment that step's AWS work has returned and *before* it is recorded: the
//! worst place for a crash. Not a user feature; the tests set it.

pub const VAR: &str = "PHOTOSKY_FAULT_CRASH_AFTER";
pub const EXIT_CODE: i32 = 86;

pub fn crash_point(step_key: &str) {
    if std::env::var(VAR).is_ok_and(|v| v == step_key) {
        eprintln!("photosky: injected crash after `{step_key}` ({VAR})");
        std::process::exit(EXIT_CODE);
    }
}
