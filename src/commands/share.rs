//! `photosky share list|revoke`: the links to photos that the stack's
//! gallery made (Share, in the gallery), each readable without signing in
//! until it expires; `revoke` ends one at once. What a share is and why its
//! token is nowhere to be read: `resources/share.rs` and the handler's
//! `shares.rs`. Calls: ListObjectsV2, GetObject, DeleteObject.

use std::fmt;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_smithy_types::date_time::{DateTime, Format};
use serde::Serialize;

use crate::aws::AwsErrorResultExt;
use crate::cli::{Cli, ShareArgs, ShareCommand};
use crate::error::{Error, Result};
use crate::resources::share;
use crate::state::StateStore;

pub async fn run(cli: &Cli, args: &ShareArgs) -> Result<ExitCode> {
    let store = StateStore::new(&cli.state_dir, &cli.name);
    let state = super::existing_state(cli, &store)?;
    let bucket = state.names.dest_bucket.clone();
    let clients = super::connect(cli, Some(&state)).await?;
    super::caller(&clients, Some(&state)).await?;
    match &args.command {
        ShareCommand::List => {
            let mut shares: Vec<Share> = share::list(&clients.s3, &bucket)
                .await
                .ctx("listing the share links in", &bucket)?
                .into_iter()
                .map(|(id, r)| Share::new(id, r))
                .collect();
            shares.sort_by(|a, b| b.created.cmp(&a.created));
            let listed = Shares {
                stack: cli.name.clone(),
                shares,
            };
            super::print(cli.output, &listed);
        }
        ShareCommand::Revoke { id } => {
            if !share::is_id(id) {
                return Err(Error::usage(
                    format!("`{id}` is not a share id (32 hex digits)"),
                    Some(format!(
                        "`photosky --name {} share list` shows the ids",
                        cli.name
                    )),
                ));
            }
            let gone = share::delete(&clients.s3, &bucket, id)
                .await
                .ctx("revoking the share link", id)?;
            if !gone {
                return Err(Error::usage(
                    format!("stack `{}` has no share {id}", cli.name),
                    Some(format!(
                        "`photosky --name {} share list` shows the ones it has",
                        cli.name
                    )),
                ));
            }
            super::print(
                cli.output,
                &Revoked {
                    revoked: id.clone(),
                },
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One link: what it shows, since and until when.
#[derive(Debug, Serialize)]
pub struct Share {
    pub id: String,
    /// The photos' file names.
    pub photos: Vec<String>,
    pub created: String,
    pub expires: String,
    pub expired: bool,
}

impl Share {
    fn new(id: String, r: share::Record) -> Share {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Share {
            id,
            photos: r
                .photos
                .iter()
                .map(|p| display_name(&p.id).to_owned())
                .collect(),
            created: iso(r.created),
            expires: iso(r.expires),
            expired: r.expires <= now,
        }
    }
}

/// `share list`: every link, newest first.
#[derive(Debug, Serialize)]
pub struct Shares {
    pub stack: String,
    pub shares: Vec<Share>,
}

impl fmt::Display for Shares {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.shares.is_empty() {
            return writeln!(
                f,
                "Stack `{}` shares nothing: the gallery's Share makes a link.",
                self.stack
            );
        }
        for s in &self.shares {
            let until = match s.expired {
                true => format!("expired {}", s.expires),
                false => format!("until {}", s.expires),
            };
            let n = s.photos.len();
            let photos = if n == 1 { "photo" } else { "photos" };
            writeln!(
                f,
                "{}  {n} {photos}, {until}: {}",
                s.id,
                s.photos.join(", ")
            )?;
        }
        writeln!(
            f,
            "`photosky --name {} share revoke ID` ends a link at once.",
            self.stack
        )
    }
}

/// `share revoke`: the link that opens nothing from now on.
#[derive(Debug, Serialize)]
pub struct Revoked {
    pub revoked: String,
}

impl fmt::Display for Revoked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Revoked share {}: its link opens nothing now.",
            self.revoked
        )
    }
}

fn iso(secs: i64) -> String {
    DateTime::from_secs(secs)
        .fmt(Format::DateTime)
        .unwrap_or_default()
}

/// The file name in an id the gallery made (`<18 hex>-<name>`); other ids
/// whole (the handler's `ids::display_name`).
fn display_name(id: &str) -> &str {
    match id.split_once('-') {
        Some((head, name))
            if head.len() == 18
                && head.bytes().all(|b| b.is_ascii_hexdigit())
                && !name.is_empty() =>
        {
            name
        }
        _ => id,
    }
}
