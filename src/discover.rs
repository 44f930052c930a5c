//! Finding a stack in AWS without its state file (a new laptop, a deleted
//! `state/`). Every name photosky makes is `<stack>-<6 characters>` plus a
//! role suffix, so each service is listed for names of that shape (the
//! Resource Groups Tagging API does not cover ECR, IAM, CodeBuild or API
//! Gateway), and each candidate's `<6 characters>` rebuilds every name of
//! that stack (`Names::from_suffix`). Whether a found resource is the
//! stack's is then decided by its tag, as for every adopt or delete
//! (`steps::owner`): a name is only where to look.
//! Each kind is listed (every page) by its step (`Step::list_names`, which
//! asks its `resources/` file): DescribeRepositories, ListRoles,
//! ListBuckets, ListFunctions, ListProjects, GetRestApis, ListUserPools,
//! DescribeLogGroups.

use std::collections::BTreeMap;

use futures_util::stream::{StreamExt, TryStreamExt};

use crate::aws::{AwsErrorResultExt, Clients};
use crate::error::Result;
use crate::plan::{StepRef, PLAN};
use crate::progress::Progress;
use crate::resources::identity::Identity;
use crate::stack::Stack;
use crate::state::{Names, State, StateStore, SUFFIX_LEN};
use crate::steps::owner::{self, Owner};
use crate::steps::ListedAs;

/// A copy of the stack found here: its state rebuilt from its names (no
/// records), and whose each step's resource is.
pub struct Found {
    pub state: State,
    pub survey: Vec<(StepRef, Owner)>,
}

/// Every copy of `stack` in this region and account: a suffix under which
/// at least one resource carries the stack's tag.
pub async fn stacks(
    clients: &Clients,
    store: &StateStore,
    who: &Identity,
    stack: &str,
) -> Result<Vec<Found>> {
    let mut found = Vec::new();
    for (suffix, seen) in candidates(clients, stack).await? {
        // IAM is global: roles of a stack of this name in another region
        // are listed here too. A copy is here only if this region's own
        // listings (buckets by region, the rest regional) show some of it.
        if seen.iter().all(|kind| kind.global) {
            continue;
        }
        found.extend(survey_copy(clients, store, who, stack, &suffix).await?);
    }
    Ok(found)
}

/// The copy of `stack` whose names end in `suffix`, if some resource of it
/// carries the stack's tag: its state rebuilt from the names, and whose
/// each step's resource is.
async fn survey_copy(
    clients: &Clients,
    store: &StateStore,
    who: &Identity,
    stack: &str,
    suffix: &str,
) -> Result<Option<Found>> {
    let mut state = State::new(stack, &clients.region, Names::from_suffix(stack, suffix));
    state.account = Some(who.account.clone());
    state.partition = Some(who.partition.clone());
    let survey = {
        let s = Stack::new(clients, store, state.clone(), Progress::new(false));
        owner::survey(&s).await?
    };
    Ok(survey
        .iter()
        .any(|(_, o)| o.is_tagged_for(stack))
        .then_some(Found { state, survey }))
}

/// The random suffix of `name` if it is one photosky makes for `stack`.
pub fn suffix_of<'a>(stack: &str, name: &'a str) -> Option<&'a str> {
    let rest = name.strip_prefix(stack)?.strip_prefix('-')?;
    let suffix = rest.get(..SUFFIX_LEN)?;
    let ok = suffix
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (ok && Names::ENDINGS.contains(&&rest[SUFFIX_LEN..])).then_some(suffix)
}

/// Every suffix whose names some resource here carries, with the kinds of
/// resource found under it.
pub async fn candidates(c: &Clients, stack: &str) -> Result<BTreeMap<String, Vec<ListedAs>>> {
    let mut found: BTreeMap<String, Vec<ListedAs>> = BTreeMap::new();
    let seen = global(c)
        .await?
        .into_iter()
        .chain(regional(c, Some(stack)).await?);
    for (kind, name) in seen {
        if let Some(s) = suffix_of(stack, &name) {
            found.entry(s.to_owned()).or_default().push(kind);
        }
    }
    Ok(found)
}

/// A listed resource: its kind, and its name (a log group's without its
/// `/aws/lambda/` or `/aws/codebuild/` prefix).
pub type Seen = (ListedAs, String);

/// One step per listing of the plan (`Step::listed_as`), global or not.
fn listings(global: bool) -> Vec<(StepRef, ListedAs)> {
    let mut found: Vec<(StepRef, ListedAs)> = Vec::new();
    for step in PLAN {
        if let Some(l) = step.listed_as() {
            if l.global == global && !found.iter().any(|(_, f)| f.what == l.what) {
                found.push((*step, l));
            }
        }
    }
    found
}

async fn list(c: &Clients, global: bool, stack: Option<&str>) -> Result<Vec<Seen>> {
    let mut seen = Vec::new();
    for (step, listed) in listings(global) {
        let names = step
            .list_names(c, stack)
            .await
            .ctx(&format!("listing {}", listed.what), &c.region)?;
        seen.extend(names.into_iter().map(|n| (listed, n)));
    }
    Ok(seen)
}

/// Every resource of the global kinds (IAM roles): `ls` over several
/// regions lists them once.
pub async fn global(c: &Clients) -> Result<Vec<Seen>> {
    list(c, true, None).await
}

/// Every resource of the kinds photosky makes in this region (log groups
/// only under `stack`'s names when it is given).
pub async fn regional(c: &Clients, stack: Option<&str>) -> Result<Vec<Seen>> {
    list(c, false, stack).await
}

/// Every (stack, suffix) a name could be photosky's for, whatever the
/// stack's name: `demo-ab12cd-source` is stack `demo`'s source bucket, or
/// (as far as the name goes) stack `demo-ab12cd`'s repository with suffix
/// `source`. The tags decide.
pub fn stacks_of(name: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    for role in Names::ENDINGS {
        let Some(base) = name.strip_suffix(role) else {
            continue;
        };
        let Some(cut) = base.len().checked_sub(SUFFIX_LEN + 1) else {
            continue;
        };
        if !base.is_char_boundary(cut) || base.as_bytes()[cut] != b'-' {
            continue;
        }
        let (stack, suffix) = (&base[..cut], &base[cut + 1..]);
        if crate::cli::is_stack_name(stack) && suffix_of(stack, name) == Some(suffix) {
            found.push((stack, suffix));
        }
    }
    found
}

/// Every stack in this region, whatever its name, from what was listed
/// (`global` may have been listed once for several regions): each
/// (stack, suffix) the names allow is kept if some resource under it
/// carries that stack's tag.
pub async fn all_stacks(
    clients: &Clients,
    store_dir: &std::path::Path,
    who: &Identity,
    global: &[Seen],
    jobs: usize,
) -> Result<Vec<(String, Found)>> {
    let regional = regional(clients, None).await?;
    let mut candidates: BTreeMap<(String, String), Vec<ListedAs>> = BTreeMap::new();
    for (kind, name) in global.iter().chain(&regional) {
        for (stack, suffix) in stacks_of(name) {
            candidates
                .entry((stack.to_owned(), suffix.to_owned()))
                .or_default()
                .push(*kind);
        }
    }
    // A copy is here only if this region's own listings show some of it.
    candidates.retain(|_, kinds| kinds.iter().any(|k| !k.global));
    let surveys = futures_util::stream::iter(candidates.into_keys())
        .map(|(stack, suffix)| async move {
            let store = StateStore::new(store_dir, &stack);
            let found = survey_copy(clients, &store, who, &stack, &suffix).await?;
            Ok::<_, crate::error::Error>(found.map(|f| (stack, f)))
        })
        .buffered(jobs.max(1));
    let found: Vec<_> = surveys.try_collect().await?;
    Ok(found.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_the_stacks_shape_give_a_suffix() {
        assert_eq!(suffix_of("demo", "demo-ab12cd"), Some("ab12cd"));
        assert_eq!(suffix_of("demo", "demo-ab12cd-thumbnails"), Some("ab12cd"));
        assert_eq!(suffix_of("demo", "demo-ab12cd-function"), Some("ab12cd"));
        // Another stack whose name starts like this one's.
        assert_eq!(suffix_of("demo", "demo-two-ab12cd"), None);
        assert_eq!(suffix_of("demo", "demo-ab12cd-other"), None);
        assert_eq!(suffix_of("demo", "demo-AB12CD"), None);
        assert_eq!(suffix_of("demo", "demo-ab12"), None);
        assert_eq!(suffix_of("demo", "demox-ab12cd"), None);
        assert_eq!(
            suffix_of("demo-two", "demo-two-ab12cd-source"),
            Some("ab12cd")
        );
    }

    #[test]
    fn a_name_gives_every_stack_it_could_belong_to() {
        assert_eq!(stacks_of("demo-ab12cd"), vec![("demo", "ab12cd")]);
        assert_eq!(
            stacks_of("demo-two-ab12cd-thumbnails"),
            vec![("demo-two", "ab12cd")]
        );
        // A repository of stack `demo-ab12cd` named with suffix `source`,
        // as far as the name can tell.
        assert_eq!(
            stacks_of("demo-ab12cd-source"),
            vec![("demo-ab12cd", "source"), ("demo", "ab12cd")]
        );
        for not_ours in [
            "demo",
            "demo-AB12CD",
            "1demo-ab12cd",
            "-ab12cd",
            "demo-ab12",
            "my_fn-ab12cd",
        ] {
            assert_eq!(stacks_of(not_ours), vec![], "{not_ours}");
        }
    }
}
