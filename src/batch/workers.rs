//! The worker threads a batch runs on.
//!
//! Typst itself uses rayon inside one compilation: pages are laid out in parallel
//! and the PDF writer compresses page streams on spawned tasks. A rayon worker that
//! waits for such a task runs other queued jobs in the meantime. If each case of a
//! batch were a queued rayon job (`par_iter`), a worker waiting inside one letter's
//! PDF export would start another case on top of it on the same stack, and that one
//! another: every half-finished letter stays in memory, so memory grows with the
//! length of the batch, and a long enough batch overflows the stack.
//!
//! So cases are never queued as rayon jobs. Each worker claims the next case from a
//! shared counter, and a worker that waits can only help with Typst's own small
//! tasks, which finish without starting a letter.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// Stack size of each worker: Typst recurses through nested content, so the
/// default 2 MiB is not always enough. Only the pages touched count as memory.
const WORKER_STACK: usize = 32 * 1024 * 1024;

/// A fixed set of worker threads.
pub struct Workers {
    pool: Option<rayon::ThreadPool>,
}

impl Workers {
    /// `jobs` workers, or one per core when `None`. If the threads cannot be
    /// started, work runs on the calling thread instead.
    pub fn new(jobs: Option<usize>) -> Workers {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.unwrap_or(0))
            .stack_size(WORKER_STACK)
            .thread_name(|i| format!("casewright-{i}"))
            .build()
            .ok();
        Workers { pool }
    }

    /// Applies `work` to every item, each worker taking the next unclaimed item
    /// until none is left, and hands each result to `emit` in the order of `items`
    /// as soon as every result before it has been handed over.
    ///
    /// `emit` runs on whichever worker completes the run of results it is given, one
    /// call at a time; results that finish early wait for those before them.
    pub fn each_in_order<T, R, W, E>(&self, items: &[T], work: W, mut emit: E)
    where
        T: Sync,
        R: Send,
        W: Fn(&T) -> R + Sync,
        E: FnMut(R) + Send,
    {
        let Some(pool) = &self.pool else {
            items.iter().map(work).for_each(emit);
            return;
        };
        let next = AtomicUsize::new(0);
        let in_order = Mutex::new(InOrder {
            next: 0,
            waiting: BTreeMap::new(),
            emit: &mut emit,
        });
        pool.broadcast(|_| {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else {
                    return;
                };
                let result = work(item);
                in_order
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(index, result);
            }
        });
    }

    /// Applies `work` to every item in parallel and returns the results in order.
    pub fn map<T, R, F>(&self, items: &[T], work: F) -> Vec<R>
    where
        T: Sync,
        R: Send,
        F: Fn(&T) -> R + Sync,
    {
        let mut results = Vec::with_capacity(items.len());
        self.each_in_order(items, work, |result| results.push(result));
        results
    }
}

/// Results waiting for those before them.
struct InOrder<'e, R, E> {
    /// The index of the next result to hand over.
    next: usize,
    waiting: BTreeMap<usize, R>,
    emit: &'e mut E,
}

impl<R, E: FnMut(R)> InOrder<'_, R, E> {
    fn push(&mut self, index: usize, result: R) {
        self.waiting.insert(index, result);
        while let Some(result) = self.waiting.remove(&self.next) {
            (self.emit)(result);
            self.next += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::sync::{Arc, OnceLock};

    use super::*;

    thread_local! {
        /// How many items this thread is working on at once.
        static DEPTH: Cell<usize> = const { Cell::new(0) };
    }

    /// What Typst's PDF writer does: spawn a task, then wait for it by helping
    /// with other queued work.
    fn wait_like_the_pdf_writer(n: u64) -> u64 {
        let value = Arc::new(OnceLock::new());
        let task = Arc::clone(&value);
        rayon::spawn(move || {
            task.get_or_init(|| (0..n).sum::<u64>());
        });
        while let Some(rayon::Yield::Executed) = rayon::yield_now() {}
        *value.wait()
    }

    #[test]
    fn results_come_back_in_order_each_item_once() {
        let items: Vec<u64> = (0..500).collect();
        for jobs in [1, 2, 4] {
            let results = Workers::new(Some(jobs)).map(&items, |&n| n * 2);
            assert_eq!(results, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_worker_waiting_inside_an_item_never_starts_another() {
        let items: Vec<u64> = (0..400).collect();
        let deepest = AtomicUsize::new(0);
        let results = Workers::new(Some(2)).map(&items, |&n| {
            let depth = DEPTH.with(|d| {
                d.set(d.get() + 1);
                d.get()
            });
            deepest.fetch_max(depth, Ordering::Relaxed);
            let sum = wait_like_the_pdf_writer(n);
            DEPTH.with(|d| d.set(d.get() - 1));
            sum
        });
        assert_eq!(results[399], (0..399).sum::<u64>());
        assert_eq!(deepest.load(Ordering::Relaxed), 1, "items were nested");
    }

    #[test]
    fn results_are_handed_over_while_later_items_are_still_running() {
        let items: Vec<usize> = (0..64).collect();
        let emitted = AtomicUsize::new(0);
        let mut seen = Vec::new();
        Workers::new(Some(2)).each_in_order(
            &items,
            |&n| {
                if n == items.len() - 1 {
                    // The last item is claimed last: by then the first result must
                    // have been handed over. (The deadline only keeps a broken
                    // implementation from hanging the test.)
                    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
                    while emitted.load(Ordering::SeqCst) == 0
                        && std::time::Instant::now() < deadline
                    {
                        std::thread::yield_now();
                    }
                    return (n, emitted.load(Ordering::SeqCst) > 0);
                }
                (n, true)
            },
            |(n, first_was_out)| {
                emitted.fetch_add(1, Ordering::SeqCst);
                assert!(first_was_out, "item {n} ran with nothing handed over yet");
                seen.push(n);
            },
        );
        assert_eq!(seen, items);
    }
}
