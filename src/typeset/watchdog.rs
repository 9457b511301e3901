//! A time budget for each letter: its templates rendered and its layout typeset.
//!
//! Neither Tera nor Typst can be interrupted: a template that loops (nested
//! `range(end=100000)` in a `.md.tera`, a `for` over a huge range in `layout.typ`)
//! runs until it ends or the machine runs out of memory. So a watchdog thread
//! keeps the deadline of every letter being worked on, sleeping until the
//! earliest one, and when a letter overruns it hands the letter's description, and
//! whether its thread was typesetting at that moment, to the handler the batch
//! gave, which reports the error and stops the run.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// A letter that overran its budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overrun {
    /// The letter's description.
    pub what: String,
    /// The budget.
    pub limit: Duration,
    /// Whether its thread was typesetting (rather than rendering its templates)
    /// when the budget ran out.
    pub typesetting: bool,
}

/// What to do when a letter overruns its budget. It is not expected to return
/// (the letter's thread cannot be stopped); if it does, the watchdog watches no
/// more.
pub type Expired = Box<dyn Fn(&Overrun) + Send + Sync>;

/// The threads typesetting a letter now, with the letter's description.
static TYPESETTING: Mutex<Vec<(ThreadId, String)>> = Mutex::new(Vec::new());

/// Marks this thread as typesetting a letter until dropped.
pub(super) struct Typesetting(ThreadId);

impl Typesetting {
    pub(super) fn begin(what: &str) -> Typesetting {
        let id = std::thread::current().id();
        TYPESETTING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, what.to_owned()));
        Typesetting(id)
    }
}

impl Drop for Typesetting {
    fn drop(&mut self) {
        let mut threads = TYPESETTING.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = threads.iter().position(|(id, _)| *id == self.0) {
            threads.swap_remove(at);
        }
    }
}

fn is_typesetting(thread: ThreadId) -> bool {
    TYPESETTING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .any(|(id, _)| *id == thread)
}

/// The letter this thread is typesetting, if it is.
pub(super) fn typesetting_here() -> Option<String> {
    let here = std::thread::current().id();
    TYPESETTING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .find(|(id, _)| *id == here)
        .map(|(_, what)| what.clone())
}

/// A watchdog over letters, each with the same budget; its thread ends when this
/// is dropped.
pub struct Watchdog {
    inner: Arc<Inner>,
}

struct Inner {
    limit: Duration,
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Default)]
struct State {
    /// Letters being worked on: their deadline, description and thread, by a
    /// running number.
    running: BTreeMap<u64, (Instant, String, ThreadId)>,
    next: u64,
    closed: bool,
}

/// A letter being watched; dropping it ends the watch.
pub struct Watch<'a> {
    inner: &'a Inner,
    id: u64,
}

impl Watchdog {
    /// Starts a watchdog that calls `expired` for the first letter still being
    /// worked on `limit` after it started.
    pub fn start(limit: Duration, expired: Expired) -> std::io::Result<Watchdog> {
        let inner = Arc::new(Inner {
            limit,
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
        });
        let watcher = Arc::clone(&inner);
        std::thread::Builder::new()
            .name("casewright-watchdog".into())
            .spawn(move || watcher.watch_over(&expired))?;
        Ok(Watchdog { inner })
    }

    /// Watches one letter, worked on by this thread, until the returned guard is
    /// dropped.
    pub fn watch(&self, what: String) -> Watch<'_> {
        let mut state = self.inner.lock();
        let id = state.next;
        state.next += 1;
        let was_idle = state.running.is_empty();
        let thread = std::thread::current().id();
        state
            .running
            .insert(id, (Instant::now() + self.inner.limit, what, thread));
        if was_idle {
            // The watcher sleeps without a deadline while nothing runs.
            self.inner.wake.notify_one();
        }
        Watch {
            inner: &self.inner,
            id,
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.inner.lock().closed = true;
        self.inner.wake.notify_one();
    }
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        self.inner.lock().running.remove(&self.id);
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn watch_over(&self, expired: &Expired) {
        let mut state = self.lock();
        loop {
            if state.closed {
                return;
            }
            let earliest = state
                .running
                .values()
                .min_by_key(|(deadline, _, _)| *deadline)
                .cloned();
            state = match earliest {
                None => self
                    .wake
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
                Some((deadline, what, thread)) => {
                    let now = Instant::now();
                    if deadline <= now {
                        drop(state);
                        let typesetting = is_typesetting(thread);
                        expired(&Overrun {
                            what,
                            limit: self.limit,
                            typesetting,
                        });
                        return;
                    }
                    self.wake
                        .wait_timeout(state, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn a_letter_that_overruns_is_reported_and_one_that_ends_is_not() {
        let (told, heard) = mpsc::channel();
        let dog = Watchdog::start(
            Duration::from_millis(50),
            Box::new(move |overrun| {
                let _ = told.send(overrun.clone());
            }),
        )
        .expect("started");
        drop(dog.watch("quick".into()));
        let _slow = dog.watch("slow".into());
        let _typesetting = Typesetting::begin("slow");
        let overrun = heard
            .recv_timeout(Duration::from_secs(60))
            .expect("the overrun is reported");
        let expected = Overrun {
            what: "slow".into(),
            limit: Duration::from_millis(50),
            typesetting: true,
        };
        assert_eq!(overrun, expected);
        assert!(heard.try_recv().is_err(), "reported once");
    }

    #[test]
    fn letters_that_finish_in_time_are_never_reported() {
        let (told, heard) = mpsc::channel::<String>();
        let dog = Watchdog::start(
            Duration::from_secs(600),
            Box::new(move |overrun| {
                let _ = told.send(overrun.what.clone());
            }),
        )
        .expect("started");
        for n in 0..1000 {
            drop(dog.watch(format!("letter {n}")));
        }
        drop(dog);
        // The watcher has ended, dropping its sender, without reporting anything.
        assert_eq!(heard.recv(), Err(mpsc::RecvError));
    }
}
