//! Surviving `fork()`: state that must be rebuilt in a child process.
//!
//! A child inherits the parent's memory but not its threads: a lock a parent thread held stays
//! locked forever, a runtime's worker threads are gone while its queues still name them, and
//! sockets are shared with the parent. A `pthread_atfork` child handler bumps a generation
//! counter, and every value also remembers the process id it was built in (a raw `clone()` or a
//! `vfork()` skips the atfork handlers). [`ForkCell`] builds its value on first use in each
//! process and deliberately leaks an inherited one without touching it: dropping a parent's
//! runtime or connection pool in a child would wait for threads that do not exist.

use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::Once;

static GENERATION: AtomicU64 = AtomicU64::new(0);
static ATFORK: Once = Once::new();

extern "C" fn bump_generation() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// Before a fork: finish building the catalogue, so that a child never inherits it half-built
/// with its init lock held by a thread the child does not have.
extern "C" fn settle_before_fork() {
    let _ = std::panic::catch_unwind(crate::catalog::catalog);
}

/// Changes in every `fork()` child.
fn generation() -> u64 {
    ATFORK.call_once(|| unsafe {
        // The child handler only does an atomic add (async-signal-safe).
        libc::pthread_atfork(Some(settle_before_fork), None, Some(bump_generation));
    });
    GENERATION.load(Ordering::SeqCst)
}

/// Which process (and which fork generation of it) is running now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Process {
    generation: u64,
    pid: libc::pid_t,
}

impl Process {
    pub(crate) fn current() -> Process {
        // SAFETY: getpid has no preconditions.
        Process { generation: generation(), pid: unsafe { libc::getpid() } }
    }
}

struct Slot<T> {
    process: Process,
    value: T,
}

/// A value of this process: built on first use, rebuilt on first use in a fork child.
pub(crate) struct ForkCell<T> {
    slot: AtomicPtr<Slot<T>>,
}

impl<T> ForkCell<T> {
    /// Empty: the first [`ForkCell::get_or_try_init`] builds the value.
    pub const fn new() -> ForkCell<T> {
        ForkCell { slot: AtomicPtr::new(std::ptr::null_mut()) }
    }

    /// Holding `value` for the current process.
    pub fn with(value: T) -> ForkCell<T> {
        let slot = Box::new(Slot { process: Process::current(), value });
        ForkCell { slot: AtomicPtr::new(Box::into_raw(slot)) }
    }

    /// The value of this process, built with `make` when there is none yet in this process.
    /// When two threads race to build it, one value wins and the other is dropped unused.
    pub fn get_or_try_init<E>(&self, mut make: impl FnMut() -> Result<T, E>) -> Result<&T, E> {
        let process = Process::current();
        loop {
            let current = self.slot.load(Ordering::Acquire);
            // SAFETY: a slot is freed only in Drop; a replaced one is leaked, so it is live.
            if let Some(slot) = unsafe { current.as_ref() } {
                if slot.process == process {
                    return Ok(&slot.value);
                }
            }
            let fresh = Box::into_raw(Box::new(Slot { process, value: make()? }));
            match self.slot.compare_exchange(current, fresh, Ordering::AcqRel, Ordering::Acquire) {
                // An inherited slot is leaked on purpose (see the module docs).
                Ok(_) => return Ok(unsafe { &(*fresh).value }),
                // Another thread published first: use its value (checked on the next turn).
                // SAFETY: `fresh` was never published.
                Err(_) => drop(unsafe { Box::from_raw(fresh) }),
            }
        }
    }
}

impl<T> Drop for ForkCell<T> {
    fn drop(&mut self) {
        let p = *self.slot.get_mut();
        if p.is_null() {
            return;
        }
        // SAFETY: we own the slot; nothing else can reach it once we are being dropped.
        let slot = unsafe { Box::from_raw(p) };
        if slot.process == Process::current() {
            drop(slot);
        } else {
            std::mem::forget(slot);
        }
    }
}

// SAFETY: ForkCell hands out &T only; it is Sync/Send exactly when T is.
unsafe impl<T: Send + Sync> Sync for ForkCell<T> {}
unsafe impl<T: Send> Send for ForkCell<T> {}
