//! Finding a stack in AWS without its state file (a new laptop, a deleted
//! `state/`). Every name photosky makes is `<stack>-<6 characters>` plus a
//! role suffix, so each service is listed for names of that shape (the
//! Resource Groups Tagging API does not cover ECR, IAM, CodeBuild or API
//! Gateway), and each candidate's `<6 characters>` rebuilds every name of
//! that stack (`Names::from_suffix`). Whether a found resource is the
//! stack's is then decided by its tag, as for every adopt or delete
//! (`steps::owner`): a name is only where to look.
//! Calls: DescribeRepositories, ListRoles, ListBuckets, ListFunctions,
//! ListProjects, GetRestApis, DescribeLogGroups (all paginated).

use std::collections::BTreeMap;

use crate::aws::{AwsErrorResultExt, AwsResultExt, Clients};
use crate::error::Result;
use crate::plan::StepId;
use crate::progress::Progress;
use crate::resources::identity::Identity;
use crate::stack::Stack;
use crate::state::{Names, State, StateStore, SUFFIX_LEN};
use crate::steps::owner::{self, Owner};

/// A copy of the stack found here: its state rebuilt from its names (no
/// records), and whose each step's resource is.
pub struct Found {
    pub state: State,
    pub survey: Vec<(StepId, Owner)>,
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
        if seen.iter().all(|kind| *kind == IAM_ROLE) {
            continue;
        }
        let mut state = State::new(stack, &clients.region, Names::from_suffix(stack, &suffix));
        state.account = Some(who.account.clone());
        state.partition = Some(who.partition.clone());
        let survey = {
            let s = Stack::new(clients, store, state.clone(), Progress::new(false));
            owner::survey(&s).await?
        };
        if survey.iter().any(|(_, o)| o.is_tagged_for(stack)) {
            found.push(Found { state, survey });
        }
    }
    Ok(found)
}

/// The one global kind among what is listed.
const IAM_ROLE: &str = "IAM role";

/// The role suffixes of `Names`, after `<stack>-<suffix>`.
const ROLE_SUFFIXES: &[&str] = &[
    "",
    "-build",
    "-function",
    "-artifacts",
    "-source",
    "-thumbnails",
];

/// The random suffix of `name` if it is one photosky makes for `stack`.
pub fn suffix_of<'a>(stack: &str, name: &'a str) -> Option<&'a str> {
    let rest = name.strip_prefix(stack)?.strip_prefix('-')?;
    let suffix = rest.get(..SUFFIX_LEN)?;
    let ok = suffix
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (ok && ROLE_SUFFIXES.contains(&&rest[SUFFIX_LEN..])).then_some(suffix)
}

/// Every suffix whose names some resource here carries, with the kinds of
/// resource found under it.
pub async fn candidates(c: &Clients, stack: &str) -> Result<BTreeMap<String, Vec<&'static str>>> {
    let mut found: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    let mut add = |kind: &'static str, name: &str| {
        if let Some(s) = suffix_of(stack, name) {
            found.entry(s.to_owned()).or_default().push(kind);
        }
    };
    let region = &c.region;
    let mut repos = c.ecr.describe_repositories().into_paginator().send();
    while let Some(page) = repos.next().await {
        let page = page.aws().ctx("listing ECR repositories", region)?;
        for r in page.repositories() {
            add("ECR repository", r.repository_name().unwrap_or_default());
        }
    }
    let mut roles = c.iam.list_roles().into_paginator().send();
    while let Some(page) = roles.next().await {
        let page = page.aws().ctx("listing IAM roles", region)?;
        for r in page.roles() {
            add(IAM_ROLE, r.role_name());
        }
    }
    // ListBuckets lists every region's: only this region's are asked.
    let mut buckets =
        c.s3.list_buckets()
            .bucket_region(region)
            .into_paginator()
            .send();
    while let Some(page) = buckets.next().await {
        let page = page.aws().ctx("listing S3 buckets", region)?;
        for b in page.buckets() {
            add("S3 bucket", b.name().unwrap_or_default());
        }
    }
    let mut functions = c.lambda.list_functions().into_paginator().send();
    while let Some(page) = functions.next().await {
        let page = page.aws().ctx("listing Lambda functions", region)?;
        for f in page.functions() {
            add("Lambda function", f.function_name().unwrap_or_default());
        }
    }
    let mut projects = c.codebuild.list_projects().into_paginator().send();
    while let Some(page) = projects.next().await {
        let page = page.aws().ctx("listing CodeBuild projects", region)?;
        for p in page.projects() {
            add("CodeBuild project", p);
        }
    }
    let mut apis = c
        .apigateway
        .get_rest_apis()
        .limit(500)
        .into_paginator()
        .send();
    while let Some(page) = apis.next().await {
        let page = page.aws().ctx("listing REST APIs", region)?;
        for a in page.items() {
            add("REST API", a.name().unwrap_or_default());
        }
    }
    for prefix in ["/aws/lambda/", "/aws/codebuild/"] {
        let mut groups = c
            .logs
            .describe_log_groups()
            .log_group_name_prefix(format!("{prefix}{stack}-"))
            .into_paginator()
            .send();
        while let Some(page) = groups.next().await {
            let page = page.aws().ctx("listing log groups", region)?;
            for g in page.log_groups() {
                let name = g.log_group_name().unwrap_or_default();
                add("log group", name.strip_prefix(prefix).unwrap_or_default());
            }
        }
    }
    Ok(found)
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
}
