//! `photosky logs`: the function's and the builds' log events.

use crate::common::{state, Emulator, REGION};

/// `logs` prints the function's events (or the build's) from `--since`
/// ago, oldest first, the handler's JSON lines made readable; `--output
/// json` gives one object per event; a missing group says so.
#[tokio::test]
async fn logs_prints_the_functions_and_the_builds_events() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    emu.photosky(d, &["--name", "logged", "up"]).ok();
    let function = state(d, "logged")["names"]["function"]
        .as_str()
        .unwrap()
        .to_owned();
    let group = format!("/aws/lambda/{function}");
    let logs = aws_sdk_cloudwatchlogs::Client::new(&emu.sdk(REGION).await);
    logs.create_log_stream()
        .log_group_name(&group)
        .log_stream_name("2026/12/01/[$LATEST]abc")
        .send()
        .await
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let event = |ago_ms: i64, message: &str| {
        aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
            .timestamp(now - ago_ms)
            .message(message)
            .build()
            .unwrap()
    };
    logs.put_log_events()
        .log_group_name(&group)
        .log_stream_name("2026/12/01/[$LATEST]abc")
        .log_events(event(2 * 3600 * 1000, "two hours ago"))
        .log_events(event(60_000, "START RequestId: 1f2e Version: $LATEST"))
        .log_events(event(
            59_000,
            r#"{"level":"warn","event":"skipped","key":"uploads/notes.jpg","reason":"not an image"}"#,
        ))
        .send()
        .await
        .unwrap();

    let recent = emu
        .photosky(d, &["--name", "logged", "logs", "--since", "1h"])
        .ok();
    let lines: Vec<_> = recent.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", recent.stdout);
    assert!(
        lines[0].ends_with(" START RequestId: 1f2e Version: $LATEST"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].ends_with(" WARN skipped key=uploads/notes.jpg reason=not an image"),
        "{}",
        lines[1]
    );
    let all = emu
        .photosky(
            d,
            &[
                "--name", "logged", "--output", "json", "logs", "--since", "3h",
            ],
        )
        .ok();
    let events: Vec<serde_json::Value> = all
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 3, "{}", all.stdout);
    assert_eq!(events[0]["message"], "two hours ago");
    assert_eq!(events[0]["stream"], "2026/12/01/[$LATEST]abc");

    // --follow prints what arrives after it started. (The 60 s is a bound
    // on a hang, not a timing assertion.)
    let mut follow = emu.spawn(
        d,
        &["--name", "logged", "logs", "--follow", "--since", "5m"],
    );
    let stdout = follow.0.stdout.take().unwrap();
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = lines_rx.recv_timeout(std::time::Duration::from_secs(60));
    assert!(
        first.unwrap().contains("START RequestId"),
        "the backlog first"
    );
    lines_rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .unwrap();
    let later = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    logs.put_log_events()
        .log_group_name(&group)
        .log_stream_name("2026/12/01/[$LATEST]abc")
        .log_events(
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(later)
                .message("END RequestId: 1f2e")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let next = lines_rx.recv_timeout(std::time::Duration::from_secs(60));
    drop(follow);
    assert!(next.unwrap().ends_with(" END RequestId: 1f2e"));

    // The build's log, as the emulator's build wrote it.
    let build = emu
        .photosky(d, &["--name", "logged", "logs", "--build"])
        .ok();
    assert!(
        build.stdout.contains("[Container] pushed "),
        "{}",
        build.stdout
    );

    logs.delete_log_group()
        .log_group_name(&group)
        .send()
        .await
        .unwrap();
    let missing = emu.photosky(d, &["--name", "logged", "logs"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .contains(&format!("log group {group} does not exist")),
        "{}",
        missing.stderr
    );
    emu.down_leaves_nothing(d, "logged").await;
}
