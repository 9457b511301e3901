//! A memory budget for each letter's typesetting.
//!
//! A layout that builds something huge (an array doubled in a loop) would ask the
//! allocator for ever more, until an allocation failed and the process aborted,
//! taking the batch with it and saying nothing of which letter did it. The
//! program's allocator is [`Budgeted`]: it counts what each thread allocates (less
//! what it frees) while that thread typesets a letter, and when a letter's count
//! passes the budget it stops the run the way the time budget does, through the
//! handler the batch gave, naming the letter.
//!
//! What is counted is the typesetting thread's own allocations: Typst evaluates
//! and lays out a letter on the thread that compiles it, where a runaway layout
//! allocates. Memory a letter's thread allocates and another frees (or the
//! reverse) is counted on the thread that did it, so the count is a close bound,
//! not an exact one. Rendering the templates is not counted: Tera's loops are
//! bounded by the time budget. Without [`Budgeted`] as the global allocator (in
//! the library's own tests, say) there is no memory budget, only the time one.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// What to do when a letter's typesetting passes the memory budget: given the
/// letter's description and the budget in bytes. It is not expected to return;
/// if it does, the allocation fails as it would have without a budget.
pub type MemoryExceeded = Box<dyn Fn(&str, usize) + Send + Sync>;

/// The budget in bytes of each letter's typesetting; 0 for none.
static LIMIT: AtomicUsize = AtomicUsize::new(0);

static EXCEEDED: Mutex<Option<MemoryExceeded>> = Mutex::new(None);

thread_local! {
    /// This thread's budget while it typesets a letter; 0 otherwise.
    static BUDGET: Cell<usize> = const { Cell::new(0) };
    /// What this thread has allocated, less what it freed, since it began.
    static USED: Cell<isize> = const { Cell::new(0) };
}

/// Gives each letter typeset from now on `limit` bytes (see the module's
/// documentation); `exceeded` is called on the thread of the first letter that
/// needs more.
pub fn set_memory_budget(limit: usize, exceeded: MemoryExceeded) {
    *EXCEEDED.lock().unwrap_or_else(PoisonError::into_inner) = Some(exceeded);
    LIMIT.store(limit, Ordering::SeqCst);
}

/// This thread's budget, counted until dropped.
pub(super) struct Armed;

/// Starts counting this thread's allocations against the budget, if one is set.
pub(super) fn arm() -> Armed {
    let limit = LIMIT.load(Ordering::SeqCst);
    let _ = USED.try_with(|used| used.set(0));
    let _ = BUDGET.try_with(|budget| budget.set(limit));
    Armed
}

impl Drop for Armed {
    fn drop(&mut self) {
        let _ = BUDGET.try_with(|budget| budget.set(0));
    }
}

/// Counts `bytes` more (or, negative, fewer) against this thread's budget; false
/// when that passes it.
fn charge(bytes: isize) -> bool {
    let limit = BUDGET.try_with(Cell::get).unwrap_or(0);
    if limit == 0 {
        return true;
    }
    USED.try_with(|used| {
        let now = used.get().saturating_add(bytes);
        used.set(now);
        now <= isize::try_from(limit).unwrap_or(isize::MAX)
    })
    .unwrap_or(true)
}

/// The budget is spent: counting stops on this thread (the handler allocates),
/// and the handler is told which letter it was.
#[cold]
fn exceeded() {
    let limit = BUDGET.try_with(|budget| budget.replace(0)).unwrap_or(0);
    let what = super::watchdog::typesetting_here().unwrap_or_default();
    if let Some(handler) = EXCEEDED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
    {
        handler(&what, limit);
    }
}

/// The program's allocator, `A`, counting each letter's typesetting against the
/// memory budget.
pub struct Budgeted<A>(pub A);

fn signed(bytes: usize) -> isize {
    isize::try_from(bytes).unwrap_or(isize::MAX)
}

// SAFETY: every call is passed on to `A` unchanged; the budget only counts, and
// on overrun either ends the process or gives a null pointer, which callers of
// an allocator must handle.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Budgeted<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !charge(signed(layout.size())) {
            exceeded();
            return std::ptr::null_mut();
        }
        // SAFETY: as the caller's.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !charge(signed(layout.size())) {
            exceeded();
            return std::ptr::null_mut();
        }
        // SAFETY: as the caller's.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        charge(-signed(layout.size()));
        // SAFETY: as the caller's.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !charge(signed(new_size) - signed(layout.size())) {
            exceeded();
            return std::ptr::null_mut();
        }
        // SAFETY: as the caller's.
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_armed_thread_is_counted_and_only_past_its_budget_refused() {
        assert!(charge(signed(usize::MAX / 2)), "no budget: anything goes");
        let _ = BUDGET.try_with(|budget| budget.set(100));
        let _ = USED.try_with(|used| used.set(0));
        assert!(charge(60));
        assert!(charge(-30), "freed");
        assert!(charge(70), "100 in all");
        assert!(!charge(1), "past the budget");
        let _ = BUDGET.try_with(|budget| budget.set(0));
        assert!(charge(1_000_000), "disarmed");
    }
}
