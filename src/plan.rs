//! The declared steps of a stack, in dependency order. `up` walks this list
//! forwards, `down` backwards, `status` asks each step's `find`. What a step
//! does lives in `stack.rs`; here is only what there is and what it needs.

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
    ApiStage,
    ApiPermission,
}

pub struct Step {
    pub id: StepId,
    /// The key in the state file, and the name a user passes to tests.
    pub key: &'static str,
    /// What it is, for progress and status lines.
    pub title: &'static str,
    #[allow(dead_code)] // declared for readers; its order is checked by the tests
    pub after: &'static [StepId],
    /// Created by AWS itself (log groups on first write): `up` does not
    /// create it, `status` does not call it missing, `down` deletes it.
    pub made_by_aws: bool,
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
        made_by_aws: false,
    }
}

pub const PLAN: &[Step] = &[
    step(Repository, "repository", "ECR repository", &[]),
    step(
        BuildRole,
        "build-role",
        "CodeBuild service role",
        &[Repository],
    ),
    step(ArtifactsBucket, "artifacts-bucket", "artifacts bucket", &[]),
    step(
        BuildSource,
        "build-source",
        "build source",
        &[ArtifactsBucket],
    ),
    // Listed before the project so that `down` deletes it after the project.
    Step {
        made_by_aws: true,
        ..step(BuildLogs, "build-logs", "CodeBuild log group", &[])
    },
    step(
        Project,
        "project",
        "CodeBuild project",
        &[BuildRole, BuildSource],
    ),
    step(Image, "image", "function image", &[Project, Repository]),
    step(
        FunctionRole,
        "function-role",
        "function execution role",
        &[],
    ),
    step(SourceBucket, "source-bucket", "upload bucket", &[]),
    step(DestBucket, "dest-bucket", "thumbnail bucket", &[]),
    Step {
        made_by_aws: true,
        ..step(FunctionLogs, "function-logs", "function log group", &[])
    },
    step(
        Function,
        "function",
        "Lambda function",
        &[Image, FunctionRole, SourceBucket, DestBucket],
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
        &[S3Permission],
    ),
    step(RestApi, "rest-api", "REST API", &[Function]),
    step(ApiStage, "api-stage", "API deployment", &[RestApi]),
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

#[cfg(test)]
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
