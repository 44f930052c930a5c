//! The deploy context every step runs in, and the one door through which the
//! state file is written.
//!
//! Steps run concurrently (see `scheduler.rs`), so the state sits behind a
//! mutex and every change to it goes through `Stack::write`: change the
//! in-memory state and save it atomically, with the fault-injection crash
//! point just before the save (AWS has the resource, the file does not yet).
//! What does not change during a run (names, settings, the account and
//! region) is copied out once, so steps read it without locking.

use std::sync::Mutex;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::aws::Clients;
use crate::bundle::Bundle;
use crate::error::{Error, Result};
use crate::fault;
use crate::plan::StepRef;
use crate::progress::Progress;
use crate::resources::policies::Scope;
use crate::state::{Names, Settings, State, StateStore};

pub struct Stack<'a> {
    pub clients: &'a Clients,
    pub bundle: Bundle,
    pub progress: Progress,
    /// The stack's name (the value of its `photosky-stack` tag).
    pub name: String,
    pub names: Names,
    pub settings: Settings,
    pub scope: Scope,
    store: &'a StateStore,
    state: Mutex<State>,
    /// Steps running now, for the crash point's message.
    in_flight: Mutex<Vec<&'static str>>,
    /// What each step read of another (step key, dependency key).
    reads: Mutex<std::collections::BTreeSet<(&'static str, &'static str)>>,
    /// Steps whose resource was found to carry the stack's tag in this run.
    verified: Mutex<Vec<StepRef>>,
    /// The first save of a `forget` that failed: the resource is gone from
    /// AWS either way, so `down` carries on and says so at the end.
    unsaved: Mutex<Option<Error>>,
}

impl<'a> Stack<'a> {
    pub fn new(
        clients: &'a Clients,
        store: &'a StateStore,
        state: State,
        progress: Progress,
    ) -> Stack<'a> {
        Stack {
            clients,
            bundle: Bundle::embedded(state.settings.arch),
            progress,
            name: state.stack.clone(),
            names: state.names.clone(),
            settings: state.settings.clone(),
            scope: Scope {
                partition: state.partition.clone().unwrap_or_else(|| "aws".into()),
                region: state.region.clone(),
                account: state.account.clone().unwrap_or_default(),
            },
            store,
            state: Mutex::new(state),
            in_flight: Mutex::new(Vec::new()),
            reads: Mutex::new(Default::default()),
            verified: Mutex::new(Vec::new()),
            unsaved: Mutex::new(None),
        }
    }

    /// A copy of the state as it is now (for results and reports).
    pub fn snapshot(&self) -> State {
        self.lock().clone()
    }

    /// The record under `key`, read as a step's `Record` type (`None`: no
    /// record, or not one of that type).
    pub fn recorded<R: DeserializeOwned>(&self, key: &str) -> Option<R> {
        let value = self.lock().resources.get(key).cloned()?;
        R::deserialize(value).ok()
    }

    /// Record what a step made, and save at once. Fields of the old record
    /// that `R` does not know (a newer photosky's, or written by hand) stay
    /// with it.
    pub fn record<R: Serialize + DeserializeOwned>(&self, key: &str, record: &R) -> Result<()> {
        let mut new = match serde_json::to_value(record) {
            Ok(Value::Object(fields)) => fields,
            other => unreachable!("a record is a struct, not {other:?}"),
        };
        self.write(key, |s| {
            let old = s.resources.get(key).map(WithUnknown::<R>::deserialize);
            if let Some(Ok(old)) = old {
                for (field, value) in old.unknown {
                    new.entry(field).or_insert(value);
                }
            }
            s.resources.insert(key.into(), Value::Object(new));
            true
        })
    }

    /// The step's resource is gone. A save that fails does not fail the
    /// step: the file then lists a resource that is gone, which a later
    /// `down` skips; `take_unsaved` tells.
    pub fn forget(&self, key: &str) -> Result<()> {
        let remove = |s: &mut State| s.resources.remove(key).is_some();
        match self.write(key, remove) {
            Err(e @ Error::Io { .. }) => {
                remove(&mut self.lock());
                self.unsaved.lock().expect("unsaved error").get_or_insert(e);
                Ok(())
            }
            other => other,
        }
    }

    /// The first failed save of a `forget`, if any.
    pub fn take_unsaved(&self) -> Option<Error> {
        self.unsaved.lock().expect("unsaved error").take()
    }

    /// Intent before act: the names and settings are on disk before anything
    /// is created (and a new setting before it is applied).
    pub fn save_intent(&self) -> Result<()> {
        self.write("names", |_| true)
    }

    /// Everything is gone: so is the state file.
    pub fn delete_state(&self) -> Result<()> {
        self.store.delete()
    }

    /// The door: apply `change` and, if it changed anything, save. The crash
    /// point sits between the two, on every write.
    fn write(&self, point: &str, change: impl FnOnce(&mut State) -> bool) -> Result<()> {
        let mut state = self.lock();
        let mut next = state.clone();
        if !change(&mut next) {
            return Ok(());
        }
        let others: Vec<_> = self
            .in_flight
            .lock()
            .expect("in-flight list")
            .iter()
            .copied()
            .filter(|k| *k != point)
            .collect();
        fault::crash_point(point, &others);
        self.store.save(&next)?;
        *state = next;
        Ok(())
    }

    /// `step` read what `dependency` recorded.
    pub fn note_read(&self, step: &'static str, dependency: &'static str) {
        self.reads.lock().expect("reads").insert((step, dependency));
    }

    /// Every (step, dependency) read in this run.
    pub fn reads(&self) -> Vec<(&'static str, &'static str)> {
        self.reads.lock().expect("reads").iter().copied().collect()
    }

    /// Whether this run found the step's resource to be ours already.
    pub fn is_verified(&self, step: StepRef) -> bool {
        self.verified.lock().expect("verified list").contains(&step)
    }

    pub fn set_verified(&self, step: StepRef) {
        self.verified.lock().expect("verified list").push(step);
    }

    /// Mark a step as running (`true`) or ended.
    pub fn set_running(&self, step: StepRef, running: bool) {
        let key = step.key();
        let mut list = self.in_flight.lock().expect("in-flight list");
        list.retain(|k| *k != key);
        if running {
            list.push(key);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding it would have ended the process: no poison
        // is ever seen in practice, and the saved file is the truth anyway.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A record read as `R`, and the fields `R` does not know. Serde gives a
/// flattened struct its own fields first, and the map after it the rest.
#[derive(Deserialize)]
struct WithUnknown<R> {
    #[serde(flatten)]
    #[allow(dead_code)]
    record: R,
    #[serde(flatten)]
    unknown: serde_json::Map<String, Value>,
}
