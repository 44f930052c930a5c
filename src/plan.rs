//! The declared steps of a stack and what each needs. `up` runs them as a
//! graph (`scheduler.rs`): a step starts once every step in its `after` is
//! done; `down` runs the reverse graph; `status` asks every step. The list
//! is in a dependency order, which is also the order results are shown in
//! and the order ready steps start in. What a step does lives in
//! `steps/<kind>.rs`; here is only what there is and what it needs.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepId {
    Repository,
    BuildRole,
    ArtifactsBucket,
    BuildSource,
    BuildLogs,
    Project,
    Image,
    FunctionRole,
    SourceBucket,
    DestBucket,
    FunctionLogs,
    Function,
    S3Permission,
    Notification,
    RestApi,
    ApiIntegration,
    ApiStage,
    ApiPermission,
}

pub struct Step {
    pub id: StepId,
    /// The key in the state file, and the name a user passes to tests.
    pub key: &'static str,
    /// What it is, for progress and status lines.
    pub title: &'static str,
    /// The steps whose resources this one needs. `up` starts it once they
    /// are all done; `down` deletes it before any of them; a step reads only
    /// what these recorded (`steps::Cx::dep`).
    pub after: &'static [StepId],
    /// Created by AWS itself (log groups on first write): `up` does not
    /// create it, `status` does not call it missing, `down` deletes it.
    pub made_by_aws: bool,
}

use StepId::*;

/// A log group: AWS makes it on the first write, `down` deletes it. Steps
/// that write to one list it in `after`, so that `down` deletes it after them.
const fn by_aws(id: StepId, key: &'static str, title: &'static str) -> Step {
    Step {
        made_by_aws: true,
        ..step(id, key, title, &[])
    }
}

const fn step(
    id: StepId,
    key: &'static str,
    title: &'static str,
    after: &'static [StepId],
) -> Step {
    Step {
        id,
        key,
        title,
        after,
        made_by_aws: false,
    }
}

pub const PLAN: &[Step] = &[
    step(Repository, "repository", "ECR repository", &[]),
    step(BuildRole, "build-role", "CodeBuild service role", &[]),
    step(ArtifactsBucket, "artifacts-bucket", "artifacts bucket", &[]),
    step(
        BuildSource,
        "build-source",
        "build source",
        &[ArtifactsBucket],
    ),
    by_aws(BuildLogs, "build-logs", "CodeBuild log group"),
    step(
        Project,
        "project",
        "CodeBuild project",
        &[Repository, BuildRole, BuildSource, BuildLogs],
    ),
    step(
        Image,
        "image",
        "function image",
        &[Repository, Project, BuildSource],
    ),
    step(
        FunctionRole,
        "function-role",
        "function execution role",
        &[],
    ),
    step(SourceBucket, "source-bucket", "upload bucket", &[]),
    step(DestBucket, "dest-bucket", "thumbnail bucket", &[]),
    step(RestApi, "rest-api", "REST API", &[]),
    by_aws(FunctionLogs, "function-logs", "function log group"),
    step(
        Function,
        "function",
        "Lambda function",
        &[
            Repository,
            Image,
            FunctionRole,
            SourceBucket,
            DestBucket,
            FunctionLogs,
        ],
    ),
    step(
        S3Permission,
        "s3-permission",
        "S3 invoke permission",
        &[Function, SourceBucket],
    ),
    step(
        Notification,
        "notification",
        "upload notification",
        &[S3Permission, Function, SourceBucket],
    ),
    step(
        ApiIntegration,
        "api-integration",
        "API integration",
        &[RestApi, Function],
    ),
    step(
        ApiStage,
        "api-stage",
        "API deployment",
        &[RestApi, ApiIntegration],
    ),
    step(
        ApiPermission,
        "api-permission",
        "API invoke permission",
        &[RestApi, Function],
    ),
];

pub fn get(id: StepId) -> &'static Step {
    PLAN.iter()
        .find(|s| s.id == id)
        .expect("every step is in the plan")
}

/// Where a step stands in the plan: the order results are shown in.
pub fn position(id: StepId) -> usize {
    PLAN.iter()
        .position(|s| s.id == id)
        .expect("every step is in the plan")
}

pub fn by_key(key: &str) -> Option<&'static Step> {
    PLAN.iter().find(|s| s.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_comes_after_what_it_needs() {
        for (i, s) in PLAN.iter().enumerate() {
            for dep in s.after {
                let j = PLAN.iter().position(|d| d.id == *dep).unwrap();
                assert!(
                    j < i,
                    "{} runs before its dependency {}",
                    s.key,
                    PLAN[j].key
                );
            }
        }
    }

    #[test]
    fn keys_are_unique() {
        for s in PLAN {
            assert_eq!(
                PLAN.iter().filter(|t| t.key == s.key).count(),
                1,
                "{}",
                s.key
            );
            assert_eq!(by_key(s.key).unwrap().id, s.id);
        }
    }
}
