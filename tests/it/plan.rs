//! The plan's declared graph against what the steps do: the scheduler
//! trusts each step's `after` (what must exist before it is made, and be
//! deleted after it), so every step must read exactly what it declares.
//! Reading an undeclared dependency is refused at run time (`Cx::dep`);
//! this test catches the other half: a declared dependency no step reads,
//! which would order the graph for nothing, or hide a missing read.

use std::collections::BTreeSet;

use crate::common::Emulator;

#[tokio::test]
async fn every_step_reads_exactly_the_dependencies_it_declares() {
    let emu = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("reads.txt");
    let log_path = log.to_str().unwrap();
    emu.photosky_env(
        dir.path(),
        &["--name", "graph", "up"],
        &[(photosky::fault::DEPENDENCY_LOG_VAR, log_path)],
    )
    .ok();
    let text = std::fs::read_to_string(&log).unwrap();
    let read: BTreeSet<(&str, &str)> = text.lines().map(|l| l.split_once(' ').unwrap()).collect();
    for step in photosky::plan::PLAN {
        let declared: BTreeSet<&str> = step.after().iter().map(|d| d.key()).collect();
        let reads: BTreeSet<&str> = read
            .iter()
            .filter(|(s, _)| *s == step.key())
            .map(|(_, d)| *d)
            .collect();
        assert_eq!(reads, declared, "step `{}`: read vs declared", step.key());
    }
    emu.down_leaves_nothing(dir.path(), "graph").await;
}
