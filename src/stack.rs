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

use crate::aws::Clients;
use crate::bundle::Bundle;
use crate::error::{Error, Result};
use crate::fault;
use crate::plan::{self, StepId};
use crate::progress::Progress;
use crate::resources::policies::Scope;
use crate::state::{Names, Record, Settings, State, StateStore};

/// The record of a build that was started and may still be running, so that
/// a resumed `up` waits for it instead of starting a second one. It is not a
/// plan step: it goes with the CodeBuild project.
pub const PENDING_BUILD: &str = "build";

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
    /// Steps whose resource was found to carry the stack's tag in this run.
    verified: Mutex<Vec<StepId>>,
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
            bundle: Bundle::embedded(),
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
            verified: Mutex::new(Vec::new()),
            unsaved: Mutex::new(None),
        }
    }

    /// A copy of the state as it is now (for results and reports).
    pub fn snapshot(&self) -> State {
        self.lock().clone()
    }

    pub fn recorded(&self, id: StepId) -> Option<Record> {
        self.lock().record(plan::get(id).key).cloned()
    }

    pub fn pending_build(&self) -> Option<Record> {
        self.lock().resources.get(PENDING_BUILD).cloned()
    }

    /// Record what a step made, and save at once.
    pub fn record(&self, id: StepId, mut record: Record) -> Result<()> {
        let key = plan::get(id).key;
        self.write(key, |s| {
            // Fields this photosky does not know stay with the record.
            if let Some(old) = s.resources.get(key) {
                record.extra = old.extra.clone();
            }
            s.resources.insert(key.into(), record);
            true
        })
    }

    /// The step's resource is gone. A save that fails does not fail the
    /// step: the file then lists a resource that is gone, which a later
    /// `down` skips; `take_unsaved` tells.
    pub fn forget(&self, id: StepId) -> Result<()> {
        self.remove_record(plan::get(id).key)
    }

    fn remove_record(&self, key: &'static str) -> Result<()> {
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

    /// A build was started (`Some`), or its project is gone (`None`).
    pub fn set_pending_build(&self, build: Option<Record>) -> Result<()> {
        match build {
            Some(r) => self.write(PENDING_BUILD, |s| {
                s.resources.insert(PENDING_BUILD.into(), r);
                true
            }),
            None => self.remove_record(PENDING_BUILD),
        }
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

    /// Whether this run found the step's resource to be ours already.
    pub fn is_verified(&self, id: StepId) -> bool {
        self.verified.lock().expect("verified list").contains(&id)
    }

    pub fn set_verified(&self, id: StepId) {
        self.verified.lock().expect("verified list").push(id);
    }

    /// Mark a step as running (`true`) or ended.
    pub fn set_running(&self, id: StepId, running: bool) {
        let key = plan::get(id).key;
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
