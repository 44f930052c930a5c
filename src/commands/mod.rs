//! One file per command. Each takes the parsed options and returns the exit
//! code; errors go back to `main`, which prints them.

pub mod down;
pub mod status;
pub mod up;

use crate::aws::{Clients, ConnectOptions};
use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::state::State;

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
    Clients::connect(&opts).await.ok_or_else(|| {
        Error::usage(
            "no AWS region is configured",
            Some("pass --region, or set AWS_REGION, or a region in your AWS profile".into()),
        )
    })
}
