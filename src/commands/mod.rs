//! One file per command. Each takes the parsed options and returns the exit
//! code; errors go back to `main`, which prints them.

pub mod down;
pub mod logs;
pub mod ls;
pub mod share;
pub mod status;
pub mod up;
pub mod user;

use crate::aws::{AwsErrorResultExt, Clients, ConnectOptions};
use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::resources::identity::{self, Identity};
use crate::state::State;

/// A command's result, printed once: as JSON with `--output json`, else as
/// its text. One type serves both, so they cannot drift apart.
pub fn print<T: serde::Serialize + std::fmt::Display>(output: crate::cli::Output, result: &T) {
    match output {
        crate::cli::Output::Json => println!(
            "{}",
            serde_json::to_string(result).expect("a result serialises")
        ),
        crate::cli::Output::Text => print!("{result}"),
    }
}

/// The state of a stack that must exist here (`status`, `logs`, `user`):
/// its absence is the user's to fix, and says how.
pub fn existing_state(cli: &Cli, store: &crate::state::StateStore) -> Result<State> {
    store.load()?.ok_or_else(|| {
        Error::usage(
            format!("no stack `{}`: there is no {}", cli.name, store.path().display()),
            Some("run `photosky up` to create it, or pass the --name and --state-dir it was created with (`photosky ls` lists the stacks in the region)".into()),
        )
    })
}

/// Clients for the region the stack lives in. A stack stays where its state
/// file says; `--region` may only confirm that.
pub async fn connect(cli: &Cli, state: Option<&State>) -> Result<Clients> {
    let mut region = cli.region.clone();
    if let Some(s) = state {
        match &region {
            Some(r) if *r != s.region => {
                return Err(Error::usage(
                    format!("stack `{}` lives in {}, not {r}", s.stack, s.region),
                    Some(format!(
                        "drop --region, or use another --name for a new stack in {r}"
                    )),
                ))
            }
            _ => region = Some(s.region.clone()),
        }
    }
    let opts = ConnectOptions {
        region,
        profile: cli.profile.clone(),
        endpoint_url: cli.endpoint_url.clone(),
    };
    let clients = Clients::connect(&opts).await.ok_or_else(|| {
        Error::usage(
            "no AWS region is configured",
            Some("pass --region, or set AWS_REGION, or a region in your AWS profile".into()),
        )
    })?;
    // Before any call: an unknown region costs the SDK's retries of a DNS
    // failure (about 17 s) and ends in its dump.
    if !crate::cli::is_region(&clients.region) {
        return Err(Error::usage(
            format!("`{}` is not an AWS region", clients.region),
            Some("regions look like eu-west-1, us-east-1 or ap-southeast-2 (`aws account list-regions` lists yours); pass --region, or correct AWS_REGION or your profile's region".into()),
        ));
    }
    Ok(clients)
}

/// Who these credentials are (sts:GetCallerIdentity); refused when the stack
/// was deployed to another account, before anything is touched: `down` with
/// the wrong profile must not report another account's nothing as deleted.
pub async fn caller(clients: &Clients, state: Option<&State>) -> Result<Identity> {
    let who = identity::find(&clients.sts).await.ctx(
        "finding the AWS account (sts:GetCallerIdentity)",
        &clients.region,
    )?;
    if let Some(s) = state {
        if let Some(account) = s.account.as_deref().filter(|a| *a != who.account) {
            return Err(Error::usage(
                format!(
                    "stack `{}` was deployed to account {account}, but these credentials are for account {}",
                    s.stack, who.account
                ),
                Some("use the profile of the stack's account, or another --name".into()),
            ));
        }
    }
    Ok(who)
}
