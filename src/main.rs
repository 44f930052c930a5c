//! `photosky`: parse, dispatch, print errors, exit code.

use std::process::ExitCode;

use photosky::cli::Command;
use photosky::commands;
use photosky::error::Error;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = photosky::cli::parse();
    let result = match &cli.command {
        Command::Up(args) => commands::up::run(&cli, args).await,
        Command::Down(args) => commands::down::run(&cli, args).await,
        Command::Status => commands::status::run(&cli).await,
        Command::Logs(args) => commands::logs::run(&cli, args).await,
        Command::Ls(args) => commands::ls::run(&cli, args).await,
        Command::User(args) => commands::user::run(&cli, args).await,
        Command::Share(args) => commands::share::run(&cli, args).await,
        Command::Policy => {
            print!("{}", photosky::DEPLOYER_POLICY);
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report(&e, cli.verbose);
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// `error: ...`, each cause as `Caused by: ...`, then what to do; with
/// `-v`, the SDK's whole account of an AWS error too.
fn report(e: &Error, verbose: bool) {
    if let Error::Several(errors) = e {
        // Steps that ran at once and failed: each in full.
        for e in errors {
            report(e, verbose);
        }
        return;
    }
    eprintln!("error: {e}");
    for cause in e.causes() {
        eprintln!("  Caused by: {cause}");
    }
    if let (true, Error::Aws { source, .. }) = (verbose, e) {
        eprintln!("  SDK detail: {}", source.detail());
    }
    if let Error::BuildFailed {
        reason, log_tail, ..
    } = e
    {
        if let Some(r) = reason {
            eprintln!("  Reason: {r}");
        }
        if !log_tail.is_empty() {
            eprintln!("  Last lines of the build log:");
            for l in log_tail {
                eprintln!("    | {l}");
            }
        }
    }
    if let Some(h) = e.hint() {
        for (i, line) in h.lines().enumerate() {
            eprintln!("{}{line}", if i == 0 { "hint: " } else { "      " });
        }
    }
}
