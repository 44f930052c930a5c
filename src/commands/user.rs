//! `photosky user add|list|remove`: who may sign in to the stack's gallery
//! and photo API, kept in its Cognito user pool. `add` makes the user with
//! a one-time password that photosky prints (or, with `--send-email`,
//! that Cognito e-mails); the first sign-in must set a new one. Passwords
//! are Cognito's to check: photosky never sees the user's own.
//! Calls: AdminCreateUser, ListUsers, AdminDeleteUser.

use std::fmt;
use std::process::ExitCode;

use rand::Rng;
use serde::Serialize;

use crate::aws::{AwsErrorResultExt, Clients};
use crate::cli::{Cli, UserArgs, UserCommand};
use crate::error::{Error, Result};
use crate::resources::user_pool;
use crate::state::StateStore;

pub async fn run(cli: &Cli, args: &UserArgs) -> Result<ExitCode> {
    let store = StateStore::new(&cli.state_dir, &cli.name);
    let state = super::existing_state(cli, &store)?;
    let Some(pool) = state
        .record(&crate::steps::user_pool::USER_POOL)
        .map(|r| r.id)
    else {
        return Err(Error::usage(
            format!("stack `{}` has no user pool yet", cli.name),
            Some("run `photosky up`: it makes the pool (a stack made by an older photosky gets one too)".into()),
        ));
    };
    let clients = super::connect(cli, Some(&state)).await?;
    super::caller(&clients, Some(&state)).await?;
    match &args.command {
        UserCommand::Add { email, send_email } => {
            add(cli, &clients, &pool, email, *send_email).await
        }
        UserCommand::List => list(cli, &clients, &pool).await,
        UserCommand::Remove { email } => remove(cli, &clients, &pool, email).await,
    }
}

async fn add(cli: &Cli, c: &Clients, pool: &str, email: &str, send: bool) -> Result<ExitCode> {
    let password = (!send).then(one_time_password);
    let made = user_pool::add_user(&c.cognito, pool, email, password.as_deref()).await;
    match made {
        Err(e) if e.code() == "UsernameExistsException" => {
            return Err(Error::usage(
                format!("{email} is already a user of stack `{}`", cli.name),
                Some(format!(
                    "to start again: `photosky --name {} user remove {email}`, then add them",
                    cli.name
                )),
            ))
        }
        made => made.ctx("adding a user to the user pool", pool)?,
    }
    super::print(
        cli.output,
        &Added {
            email: email.to_owned(),
            temporary_password: password,
            emailed: send,
        },
    );
    Ok(ExitCode::SUCCESS)
}

async fn list(cli: &Cli, c: &Clients, pool: &str) -> Result<ExitCode> {
    let users = user_pool::users(&c.cognito, pool)
        .await
        .ctx("listing the user pool's users", pool)?;
    super::print(
        cli.output,
        &Users {
            stack: cli.name.clone(),
            users,
        },
    );
    Ok(ExitCode::SUCCESS)
}

async fn remove(cli: &Cli, c: &Clients, pool: &str, email: &str) -> Result<ExitCode> {
    let gone = user_pool::remove_user(&c.cognito, pool, email)
        .await
        .ctx("removing a user from the user pool", pool)?;
    if !gone {
        return Err(Error::usage(
            format!("{email} is not a user of stack `{}`", cli.name),
            Some(format!(
                "`photosky --name {} user list` shows who is",
                cli.name
            )),
        ));
    }
    super::print(
        cli.output,
        &Removed {
            removed: email.to_owned(),
        },
    );
    Ok(ExitCode::SUCCESS)
}

/// `user add`: who was added, and their one-time password unless Cognito
/// e-mails it.
#[derive(Debug, Serialize)]
pub struct Added {
    pub email: String,
    pub temporary_password: Option<String>,
    pub emailed: bool,
}

impl fmt::Display for Added {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.temporary_password {
            Some(p) => writeln!(
                f,
                "Added {}. One-time password (give it to them; it works for 7 days, and the first sign-in sets their own):\n  {p}",
                self.email
            ),
            None => writeln!(
                f,
                "Added {}. Cognito is e-mailing them a one-time password (valid 7 days); the first sign-in sets their own.",
                self.email
            ),
        }
    }
}

/// `user list`: every user of the stack's pool.
#[derive(Debug, Serialize)]
pub struct Users {
    pub stack: String,
    pub users: Vec<user_pool::User>,
}

impl fmt::Display for Users {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.users.is_empty() {
            return writeln!(
                f,
                "Stack `{}` has no users: `photosky --name {} user add EMAIL` makes one.",
                self.stack, self.stack
            );
        }
        for u in &self.users {
            let status = match u.status.as_str() {
                "FORCE_CHANGE_PASSWORD" => "has not signed in yet",
                "CONFIRMED" => "signed in",
                other => other,
            };
            let disabled = if u.enabled { "" } else { " (disabled)" };
            writeln!(f, "{}  {status}{disabled}", u.email)?;
        }
        Ok(())
    }
}

/// `user remove`: who can no longer sign in.
#[derive(Debug, Serialize)]
pub struct Removed {
    pub removed: String,
}

impl fmt::Display for Removed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Removed {}: they can no longer sign in.", self.removed)
    }
}

/// 16 characters from an alphabet without look-alikes, with each class
/// Cognito's default policy asks for (lower, upper, digit, symbol).
fn one_time_password() -> String {
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"-_.!+=";
    let mut rng = rand::rng();
    let mut pick = |set: &[u8]| set[rng.random_range(0..set.len())] as char;
    let mut p: Vec<char> = [LOWER, UPPER, DIGIT, SYMBOL]
        .iter()
        .map(|s| pick(s))
        .collect();
    let all: Vec<u8> = [LOWER, UPPER, DIGIT].concat();
    while p.len() < 16 {
        p.push(pick(&all));
    }
    // The four required ones are not always first.
    let mut rng = rand::rng();
    for i in (1..p.len()).rev() {
        p.swap(i, rng.random_range(0..=i));
    }
    p.into_iter().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_time_passwords_meet_cognitos_default_policy() {
        for _ in 0..50 {
            let p = super::one_time_password();
            assert_eq!(p.len(), 16);
            assert!(p.chars().any(|c| c.is_ascii_lowercase()), "{p}");
            assert!(p.chars().any(|c| c.is_ascii_uppercase()), "{p}");
            assert!(p.chars().any(|c| c.is_ascii_digit()), "{p}");
            assert!(p.chars().any(|c| !c.is_ascii_alphanumeric()), "{p}");
        }
    }
}
