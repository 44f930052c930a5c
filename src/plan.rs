//! What a stack is: its steps, one line each, in a dependency order (also
//! the order results are shown in and the order ready steps start in).
//! `up` runs them as a graph (`scheduler.rs`): a step starts once every
//! step it declares in `Step::after` is done; `down` runs the reverse
//! graph; `status` asks every step. What a step is, needs and does lives
//! in its own file, `steps/<kind>.rs`: adding a resource is a new file
//! there and a line here.

// Every step module, by its name (a new one needs no edit here but its line).
use crate::steps::*;

/// A step of the plan (compared, hashed and shown by its key).
pub type StepRef = &'static dyn Step;

pub static PLAN: &[StepRef] = &[
    &repository::REPOSITORY,
    &role::BUILD_ROLE,
    &bucket::ARTIFACTS_BUCKET,
    &build_source::BUILD_SOURCE,
    &log_group::BUILD_LOGS,
    &project::PROJECT,
    &image::IMAGE,
    &role::FUNCTION_ROLE,
    &bucket::SOURCE_BUCKET,
    &bucket::DEST_BUCKET,
    &user_pool::USER_POOL,
    &user_pool_client::USER_POOL_CLIENT,
    &rest_api::REST_API,
    &log_group::FUNCTION_LOGS,
    &function::FUNCTION,
    &permission::S3_PERMISSION,
    &notification::NOTIFICATION,
    &api_methods::API_METHODS,
    &api_stage::API_STAGE,
    &permission::API_PERMISSION,
];

/// Where a step stands in the plan: the order results are shown in.
pub fn position(step: StepRef) -> usize {
    PLAN.iter()
        .position(|s| *s == step)
        .expect("every step is in the plan")
}

pub fn by_key(key: &str) -> Option<StepRef> {
    PLAN.iter().copied().find(|s| s.key() == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_comes_after_what_it_needs() {
        for (i, s) in PLAN.iter().enumerate() {
            for dep in s.after() {
                let j = position(*dep);
                assert!(
                    j < i,
                    "{} runs before its dependency {}",
                    s.key(),
                    PLAN[j].key()
                );
            }
        }
    }

    #[test]
    fn keys_are_unique() {
        for s in PLAN {
            assert_eq!(
                PLAN.iter().filter(|t| t.key() == s.key()).count(),
                1,
                "{}",
                s.key()
            );
            assert_eq!(by_key(s.key()).unwrap(), *s);
        }
    }
}
