//! One module per AWS resource kind, each with the same small family of
//! functions, named as the Terraform AWS provider names them: `find`
//! (NotFound is `None`), `create`, `wait_*`, `delete` (NotFound is success,
//! returned as `false`). They take plain names and return plain values; the
//! plan decides when each runs and records what they return.

pub mod api;
pub mod bucket;
pub mod codebuild;
pub mod ecr;
pub mod function;
pub mod identity;
pub mod log_group;
pub mod notification;
pub mod permission;
pub mod policies;
pub mod role;
pub mod share;
pub mod user_pool;

/// The tag every resource of a stack carries.
pub const STACK_TAG: &str = "photosky-stack";

/// What a resource's tags say of whose it is: `None` when it does not exist,
/// `Some(None)` when it exists without the stack tag, `Some(Some(stack))`.
pub type StackTag = Option<Option<String>>;

/// The value of the stack tag in a tag map (Lambda, API Gateway, Logs).
fn stack_tag_in(tags: Option<&std::collections::HashMap<String, String>>) -> Option<String> {
    stack_tag(
        tags.into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    )
}

/// The value of the stack tag among `tags`.
fn stack_tag<'a>(mut tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<String> {
    tags.find(|(k, _)| *k == STACK_TAG)
        .map(|(_, v)| v.to_owned())
}
