//! Only ever touch what is ours: before `up` adopts a resource it finds, or
//! `down` deletes one, the resource must carry the stack's tag
//! (`photosky-stack=<stack>`). A name in the state file is a claim to check,
//! not proof: a state file copied from elsewhere, edited, or naming a
//! resource someone else made since must never make photosky rewrite or
//! empty what it did not make.
//!
//! What cannot carry a tag (a permission, a notification, an image, the
//! build source, the API's routes and stage) is ours when its parent is. A
//! log group that AWS made on first write for our function or project (an
//! older photosky let it) has no tag: it is ours when its writer is.

use super::Cx;
use crate::aws::AwsError;
use crate::error::{Error, Result};
use crate::plan::{self, StepRef};

/// Whose a step's resource is, as AWS shows it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// Nothing by the step's name exists.
    Absent,
    /// It exists and carries this value of the stack tag (`None`: no such tag).
    Tagged(Option<String>),
    /// It is ours if that step's resource is.
    Parent(StepRef),
}

impl Owner {
    /// It exists and carries `stack`'s tag.
    pub fn is_tagged_for(&self, stack: &str) -> bool {
        matches!(self, Owner::Tagged(Some(tag)) if tag == stack)
    }

    /// From a resource module's `stack_tag`.
    pub fn from_tag(tag: crate::resources::StackTag) -> Owner {
        match tag {
            None => Owner::Absent,
            Some(t) => Owner::Tagged(t),
        }
    }
}

/// What `verify` found by the step's own name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    /// Nothing: there is nothing to adopt or delete.
    Absent,
    /// The stack's (by its tag, or its parent's), or checked so earlier in
    /// this run.
    Ours,
}

/// Refuse, before anything is changed, a resource this stack did not make.
/// A step checked once in a run is not asked again.
pub async fn verify(cx: &Cx<'_>, acting: &'static str) -> Result<Verified> {
    if cx.stack.is_verified(cx.step) {
        return Ok(Verified::Ours);
    }
    match cx.step.owner(cx).await? {
        // Nothing to adopt or delete; whatever is made next is checked again.
        Owner::Absent => return Ok(Verified::Absent),
        o if o.is_tagged_for(&cx.stack.name) => {}
        Owner::Tagged(found) => {
            return Err(Error::NotOurs {
                acting,
                what: cx.step.title(),
                name: cx.name(),
                stack: cx.stack.name.clone(),
                found,
            })
        }
        Owner::Parent(parent) => {
            Box::pin(verify(&Cx::new(cx.stack, parent), acting)).await?;
        }
    }
    cx.stack.set_verified(cx.step);
    Ok(Verified::Ours)
}

/// A create that AWS refused as "already exists" is most often our own,
/// whose response was lost on the way back (the SDK then sent it again). It
/// is adopted only if it carries the stack's tag, which every create sets:
/// `Ok(None)` then, and the caller finds it; anything else is an error.
pub async fn adopt_lost_create<T>(cx: &Cx<'_>, result: Result<T, AwsError>) -> Result<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_already_exists() => {
            cx.note(format!(
                "{}: checking whether it is ours (a lost response?)",
                e.code()
            ));
            verify(cx, "adopt").await?;
            if cx.stack.is_verified(cx.step) {
                Ok(None)
            } else {
                Err(cx.error("creating", e))
            }
        }
        Err(e) => Err(cx.error("creating", e)),
    }
}

/// `adopt_lost_create`, then what the create would have returned: from the
/// create, or (a lost response, adopted) from `find`.
pub async fn created_or_found<T, F, Fut>(
    cx: &Cx<'_>,
    made: Result<T, AwsError>,
    find: F,
) -> Result<T>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>, AwsError>>,
{
    if let Some(v) = adopt_lost_create(cx, made).await? {
        return Ok(v);
    }
    find().await.map_err(|e| cx.error("finding", e))?.ok_or_else(|| {
        Error::Unexpected(format!(
            "the {} {} was there when the create was refused, and is gone now; run the command again",
            cx.step.title(),
            cx.name()
        ))
    })
}

/// A create sent once, without the SDK's retries, of a resource whose name
/// is not unique (a REST API, a user pool): a retry after a lost response
/// would make a second one. At most three tries, and never a second
/// resource: a create with no answer (or a server error) may have made it,
/// so before each new try `look` searches for it (by name and tag) and, if
/// found, it is adopted. `action` names the call in the note.
pub async fn create_sent_once<C, CFut, L, LFut>(
    cx: &Cx<'_>,
    action: &str,
    mut create: C,
    mut look: L,
) -> Result<String>
where
    C: FnMut() -> CFut,
    CFut: std::future::Future<Output = std::result::Result<String, AwsError>>,
    L: FnMut() -> LFut,
    LFut: std::future::Future<Output = Result<Option<String>>>,
{
    let mut delay = std::time::Duration::from_secs(1);
    for attempt in 1.. {
        let e = match create().await {
            Ok(id) => return Ok(id),
            Err(e) if e.is_transient() && attempt < 3 => e,
            Err(e) => return Err(cx.error("creating", e)),
        };
        cx.note(format!(
            "no answer to {action} ({}): looking for the {} before trying again",
            if e.code().is_empty() {
                "connection lost"
            } else {
                e.code()
            },
            cx.step.title()
        ));
        if let Some(id) = look().await? {
            return Ok(id);
        }
        crate::aws::pause(delay).await;
        delay *= 2;
    }
    unreachable!("the loop returns")
}

/// Delete each of `found` (the resources of the step's name, with their
/// stack tags) that carries the stack's tag: a name that is not unique (a
/// REST API's, a user pool's) may have more than one of ours after a lost
/// create. Untagged ones, or others' stacks', are not ours.
pub async fn delete_tagged<F, Fut>(
    cx: &Cx<'_>,
    found: Vec<(String, Option<String>)>,
    delete: F,
) -> Result<super::Deletion>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<bool, AwsError>>,
{
    let stack = Some(cx.stack.name.as_str());
    let ours: Vec<String> = found
        .into_iter()
        .filter(|(_, tag)| tag.as_deref() == stack)
        .map(|(id, _)| id)
        .collect();
    if ours.len() > 1 {
        cx.note(format!(
            "{} of this name carry the stack's tag (a lost create made more than one): deleting each",
            ours.len()
        ));
    }
    let mut gone = false;
    for id in ours {
        gone |= delete(id).await.map_err(|e| cx.error("deleting", e))?;
    }
    cx.gone(gone)
}

/// `verify` for every step at once: the refusals, each with why.
async fn refusals(stack: &crate::stack::Stack<'_>, acting: &'static str) -> Result<Vec<Error>> {
    let checks = plan::PLAN.iter().map(|s| async move {
        let cx = Cx::new(stack, *s);
        verify(&cx, acting).await
    });
    let mut refused = Vec::new();
    for result in futures_util::future::join_all(checks).await {
        match result {
            Ok(_) => {}
            Err(e @ Error::NotOurs { .. }) => refused.push(e),
            // AWS could not be asked: that is no answer, and no refusal.
            Err(e) => return Err(e),
        }
    }
    Ok(refused)
}

/// Whose each step's resource is, where it exists: what `down` without a
/// state file shows before it asks.
pub async fn survey(stack: &crate::stack::Stack<'_>) -> Result<Vec<(StepRef, Owner)>> {
    let asks = plan::PLAN.iter().map(|s| async move {
        let cx = Cx::new(stack, *s);
        s.owner(&cx).await.map(|o| (*s, o))
    });
    futures_util::future::join_all(asks)
        .await
        .into_iter()
        .collect()
}

/// `verify` for every step at once, on a progress line: `down` deletes
/// nothing, and `up` changes nothing, until all pass.
pub async fn verify_all(stack: &crate::stack::Stack<'_>, acting: &'static str) -> Result<()> {
    let checking = stack
        .progress
        .start("checking that the stack's resources carry its tag".into());
    let refused = refusals(stack, acting).await;
    let ok = matches!(&refused, Ok(r) if r.is_empty());
    checking.finish(ok, if ok { "ok" } else { "REFUSED" });
    let mut refused = refused?;
    match refused.len() {
        0 => Ok(()),
        1 => Err(refused.remove(0)),
        _ => Err(Error::Several(refused)),
    }
}
