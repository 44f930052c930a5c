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
    UserPool,
    UserPoolClient,
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
}

use StepId::*;

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
    // Made before what writes to it (else AWS makes it untagged, kept
    // forever), deleted after: its writer lists it in `after`.
    step(BuildLogs, "build-logs", "CodeBuild log group", &[]),
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
    // Who may sign in: the function checks its tokens, the API's
    // authorizer (made with the methods) asks for them.
    step(UserPool, "user-pool", "Cognito user pool", &[]),
    step(
        UserPoolClient,
        "user-pool-client",
        "user pool app client",
        &[UserPool],
    ),
    step(RestApi, "rest-api", "REST API", &[]),
    step(FunctionLogs, "function-logs", "function log group", &[]),
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
            UserPool,
            UserPoolClient,
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
        "API methods",
        &[RestApi, UserPool, Function],
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
