//! `photosky ls`: the stacks in a region (or every region the account has
//! enabled), whatever their names, found as `down` without a state file
//! finds one (`discover.rs`): by the names photosky gives, then by the
//! `photosky-stack` tag. For each: what of it exists, how many photos it
//! holds, and whether a state file here knows it. State files here whose
//! stack is not found are listed too. Nothing is changed.
//! Calls: as `down --discover` (IAM roles listed once), ListObjectsV2 on
//! each upload bucket (one page), and account:ListRegions for
//! `--all-regions`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use futures_util::stream::{self, StreamExt};
use serde::Serialize;
use serde_json::{json, Value};

use crate::aws::{AwsErrorResultExt, Clients};
use crate::cli::{Cli, LsArgs};
use crate::discover::{self, Found};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::resources::{bucket, identity};
use crate::stack::Stack;
use crate::state::{State, StateStore};
use crate::steps::owner::Owner;
use crate::steps::Cx;

/// One page of ListObjectsV2: past that, "1000+".
const PHOTOS_COUNTED: i32 = 1000;

pub async fn run(cli: &Cli, args: &LsArgs) -> Result<ExitCode> {
    let clients = super::connect(cli, None).await?;
    let who = super::caller(&clients, None).await?;
    let progress = Progress::new(cli.verbose);
    let regions = if args.all_regions {
        enabled_regions(&clients).await?
    } else {
        vec![clients.region.clone()]
    };
    let files = state_files(&cli.state_dir);
    let looking = progress.start(match regions.as_slice() {
        [one] => format!("looking for stacks in {one}"),
        all => format!("looking for stacks in {} regions", all.len()),
    });
    let roles = discover::global(&clients).await;
    let roles = match roles {
        Ok(r) => r,
        Err(e) => {
            looking.finish(false, "FAILED");
            return Err(e);
        }
    };
    // A few regions at once; each asks its candidates `--jobs` at a time.
    let per_region: Vec<(String, Result<Vec<Listed>>)> = stream::iter(&regions)
        .map(|region| {
            let (clients, who, roles, dir, files) =
                (&clients, &who, &roles, &cli.state_dir, &files);
            async move {
                let here = clients.in_region(region);
                let found = discover::all_stacks(&here, dir, who, roles, cli.jobs.into()).await;
                let listed = match found {
                    Ok(found) => Ok(stream::iter(found)
                        .map(|(name, found)| describe(&here, dir, files, name, found))
                        .buffered(cli.jobs.into())
                        .collect()
                        .await),
                    Err(e) => Err(e),
                };
                (region.clone(), listed)
            }
        })
        .buffered(4)
        .collect()
        .await;
    let failed = per_region.iter().filter(|(_, r)| r.is_err()).count();
    looking.finish(failed == 0, if failed == 0 { "done" } else { "INCOMPLETE" });

    let mut stacks: Vec<Listed> = Vec::new();
    let mut errors: Vec<(String, Error)> = Vec::new();
    for (region, listed) in per_region {
        match listed {
            Ok(l) => stacks.extend(l),
            Err(e) => errors.push((region, e)),
        }
    }
    // State files here of a stack found nowhere that was looked.
    let mut orphans: Vec<(PathBuf, String)> = Vec::new();
    for (path, loaded) in &files {
        match loaded {
            Ok(s) if regions.contains(&s.region) => {
                let known = stacks.iter().any(|l| {
                    l.stack == s.stack && l.region == s.region && l.suffix == s.names.suffix
                });
                if !known {
                    orphans.push((
                        path.clone(),
                        format!(
                            "stack `{}` (-{}) in {}: nothing of it carries its tag there",
                            s.stack, s.names.suffix, s.region
                        ),
                    ));
                }
            }
            Ok(_) => {}
            Err(e) => orphans.push((path.clone(), format!("unreadable: {e}"))),
        }
    }

    let result = LsResult {
        account: who.account,
        where_: match regions.as_slice() {
            [one] => one.clone(),
            all => format!("{} regions", all.len()),
        },
        regions,
        stacks,
        orphans: orphans
            .into_iter()
            .map(|(path, why)| Orphan { path, why })
            .collect(),
        errors: errors
            .iter()
            .map(|(region, e)| RegionError {
                region: region.clone(),
                error: e.one_line(),
            })
            .collect(),
        state_dir: cli.state_dir.clone(),
    };
    super::print(cli.output, &result);
    for (region, e) in &errors {
        eprintln!("error: could not list {region}: {}", e.one_line());
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The regions the account may use (ListRegions: enabled by default, or
/// opted into), in name order.
async fn enabled_regions(clients: &Clients) -> Result<Vec<String>> {
    let mut regions = identity::enabled_regions(&clients.account()).await.ctx(
        "listing the account's regions (account:ListRegions)",
        &clients.region,
    )?;
    regions.sort();
    if regions.is_empty() {
        return Err(Error::usage(
            "ListRegions named no enabled region",
            Some("pass --region instead of --all-regions".into()),
        ));
    }
    Ok(regions)
}

/// Every `<stack>.json` in `dir`, read (a bad one is reported, not fatal).
fn state_files(dir: &Path) -> Vec<(PathBuf, Result<State>)> {
    StateStore::stacks_in(dir)
        .into_iter()
        .filter_map(|stack| {
            let store = StateStore::new(dir, &stack);
            match store.load() {
                Ok(Some(s)) => Some((store.path(), Ok(s))),
                Ok(None) => None,
                Err(e) => Some((store.path(), Err(e))),
            }
        })
        .collect()
}

/// Whether a state file here knows a stack found in AWS.
enum StateFile {
    /// `<stack>.json` records this copy.
    Here(PathBuf),
    /// There is none for the stack's name.
    None,
    /// `<stack>.json` records another copy (another suffix or region), or
    /// cannot be read.
    Other(PathBuf, String),
}

/// A stack found, as `ls` shows it.
struct Listed {
    stack: String,
    region: String,
    suffix: String,
    /// Resources carrying its tag, in plan order: (kind, name).
    resources: Vec<(&'static str, String)>,
    /// Resources of the kinds that carry a tag.
    taggable: usize,
    /// Resources of its names that are not its own: (kind, name, whose).
    not_its_own: Vec<(&'static str, String, String)>,
    /// Objects under the upload prefix (one page), and whether there are more.
    photos: Option<(i32, bool)>,
    state_file: StateFile,
}

async fn describe(
    clients: &Clients,
    dir: &Path,
    files: &[(PathBuf, Result<State>)],
    stack: String,
    found: Found,
) -> Listed {
    let Found { state, survey } = found;
    let store = StateStore::new(dir, &stack);
    // The state files were read once, at the start.
    let default_prefix = state.settings.upload_prefix.clone();
    let path = store.path();
    let (state_file, prefix) = match files.iter().find(|(p, _)| *p == path).map(|(_, l)| l) {
        Some(Ok(s)) if s.region == state.region && s.names.suffix == state.names.suffix => {
            // The upload prefix is a setting: the state file's.
            (StateFile::Here(path), s.settings.upload_prefix.clone())
        }
        Some(Ok(s)) => (
            StateFile::Other(
                path,
                format!("records another copy (-{} in {})", s.names.suffix, s.region),
            ),
            default_prefix,
        ),
        None => (StateFile::None, default_prefix),
        Some(Err(e)) => (
            StateFile::Other(path, format!("unreadable: {e}")),
            default_prefix,
        ),
    };
    let s = Stack::new(clients, &store, state.clone(), Progress::new(false));
    let mut resources = Vec::new();
    let mut not_its_own = Vec::new();
    let mut taggable = 0;
    let mut uploads_ours = false;
    for (id, owner) in &survey {
        let cx = Cx::new(&s, *id);
        let kind = id.title();
        match owner {
            Owner::Parent(_) => continue,
            Owner::Absent => {}
            Owner::Tagged(_) if owner.is_tagged_for(&stack) => {
                resources.push((kind, cx.name()));
                uploads_ours |= *id == &crate::steps::bucket::SOURCE_BUCKET as crate::plan::StepRef;
            }
            Owner::Tagged(tag) => not_its_own.push((
                kind,
                cx.name(),
                match tag {
                    Some(t) => format!("tagged photosky-stack={t}"),
                    None => "no photosky-stack tag".into(),
                },
            )),
        }
        taggable += 1;
    }
    let photos = if uploads_ours {
        bucket::count_objects(
            &clients.s3,
            &state.names.source_bucket,
            &prefix,
            PHOTOS_COUNTED,
        )
        .await
        .ok()
    } else {
        None
    };
    Listed {
        stack,
        region: state.region,
        suffix: state.names.suffix,
        resources,
        taggable,
        not_its_own,
        photos,
        state_file,
    }
}

impl Listed {
    fn photos_text(&self) -> String {
        match self.photos {
            None => "-".into(),
            Some((n, true)) => format!("{n}+"),
            Some((n, false)) => n.to_string(),
        }
    }

    fn state_text(&self) -> String {
        match &self.state_file {
            StateFile::Here(p) => p.display().to_string(),
            StateFile::None => "none here".into(),
            StateFile::Other(p, why) => format!("none here ({} {why})", p.display()),
        }
    }

    fn json(&self) -> Value {
        let (state_file, state_file_note) = match &self.state_file {
            StateFile::Here(p) => (json!(p), Value::Null),
            StateFile::None => (Value::Null, Value::Null),
            StateFile::Other(p, why) => (Value::Null, json!(format!("{} {why}", p.display()))),
        };
        json!({
            "stack": self.stack,
            "region": self.region,
            "suffix": self.suffix,
            "state_file": state_file,
            "state_file_note": state_file_note,
            "resources": self.resources.iter().map(|(k, n)| json!({"kind": k, "name": n})).collect::<Vec<_>>(),
            "taggable": self.taggable,
            "not_its_own": self.not_its_own.iter().map(|(k, n, w)| json!({"kind": k, "name": n, "why": w})).collect::<Vec<_>>(),
            "photos": self.photos.map(|(n, _)| n),
            "photos_more": self.photos.map(|(_, more)| more),
        })
    }
}

/// What `ls` found: printed once, as text or JSON.
#[derive(Serialize)]
pub struct LsResult {
    account: String,
    regions: Vec<String>,
    stacks: Vec<Listed>,
    #[serde(rename = "state_files_without_stack")]
    orphans: Vec<Orphan>,
    errors: Vec<RegionError>,
    /// "eu-west-1", or "17 regions".
    #[serde(skip)]
    where_: String,
    #[serde(skip)]
    state_dir: PathBuf,
}

/// A state file here whose stack was not found where it was looked for.
#[derive(Serialize)]
struct Orphan {
    path: PathBuf,
    why: String,
}

/// A region that could not be listed (also said on stderr).
#[derive(Serialize)]
struct RegionError {
    region: String,
    error: String,
}

impl Serialize for Listed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.json().serialize(s)
    }
}

impl std::fmt::Display for LsResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (where_, account) = (&self.where_, &self.account);
        if self.stacks.is_empty() {
            writeln!(f, "No photosky stacks in {where_} (account {account}).")?;
        } else {
            writeln!(f, "Stacks in {where_} (account {account}):")?;
            table(f, &self.stacks)?;
        }
        if !self.orphans.is_empty() {
            let dir = self.state_dir.display();
            writeln!(f, "State files in {dir} without a stack:")?;
            for o in &self.orphans {
                writeln!(f, "  {}: {}", o.path.display(), o.why)?;
            }
        }
        for l in self
            .stacks
            .iter()
            .filter(|l| !matches!(l.state_file, StateFile::Here(_)))
        {
            let cmd = format!("photosky --name {} --region {}", l.stack, l.region);
            writeln!(
                f,
                "`{}` (-{}) has no state file here: take it over with `{cmd} up --adopt`, or remove it with `{cmd} down`.",
                l.stack, l.suffix
            )?;
        }
        Ok(())
    }
}

fn table(f: &mut std::fmt::Formatter<'_>, stacks: &[Listed]) -> std::fmt::Result {
    let rows: Vec<[String; 5]> = stacks
        .iter()
        .map(|l| {
            let mut resources = format!("{} of {}", l.resources.len(), l.taggable);
            if !l.not_its_own.is_empty() {
                resources += &format!(" (+{} not its own)", l.not_its_own.len());
            }
            [
                l.stack.clone(),
                format!("{} -{}", l.region, l.suffix),
                resources,
                l.photos_text(),
                l.state_text(),
            ]
        })
        .collect();
    let header = ["STACK", "WHERE", "RESOURCES", "PHOTOS", "STATE FILE"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].len())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..4).map(width).collect();
    let line = |cells: [&str; 5]| {
        let mut out = String::from(" ");
        for (i, c) in cells.iter().enumerate() {
            if i < 4 {
                out += &format!(" {c:<w$} ", w = widths[i]);
            } else {
                out += &format!(" {c}");
            }
        }
        out.trim_end().to_owned()
    };
    writeln!(f, "{}", line(header))?;
    for r in &rows {
        writeln!(f, "{}", line([&r[0], &r[1], &r[2], &r[3], &r[4]]))?;
    }
    for l in stacks {
        for (kind, name, why) in &l.not_its_own {
            writeln!(
                f,
                "  {} -{}: the {kind} {name} has its name but is not its own ({why})",
                l.stack, l.suffix
            )?;
        }
    }
    Ok(())
}
