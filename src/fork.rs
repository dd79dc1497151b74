//! Surviving `fork()`: state that must be rebuilt in a child process.
//!
//! A child inherits the parent's memory but not its threads: a lock a parent thread held stays
//! locked forever, and sockets are shared with the parent. A `pthread_atfork` child handler bumps
//! a generation counter; [`ForkLocal`] rebuilds its value the first time it is used in a new
//! generation and deliberately leaks the inherited one without touching it.

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
pub(crate) fn generation() -> u64 {
    ATFORK.call_once(|| unsafe {
        // The child handler only does an atomic add (async-signal-safe).
        libc::pthread_atfork(Some(settle_before_fork), None, Some(bump_generation));
    });
    GENERATION.load(Ordering::SeqCst)
}

struct Slot<T> {
    generation: u64,
    value: T,
}

/// A value rebuilt in each process after a fork.
pub(crate) struct ForkLocal<T> {
    slot: AtomicPtr<Slot<T>>,
}

impl<T> ForkLocal<T> {
    pub fn new(value: T) -> ForkLocal<T> {
        let slot = Box::new(Slot { generation: generation(), value });
        ForkLocal { slot: AtomicPtr::new(Box::into_raw(slot)) }
    }

    /// The value of this process, built with `make` on first use after a fork.
    pub fn get(&self, make: impl FnOnce() -> T) -> &T {
        let generation = generation();
        let current = self.slot.load(Ordering::Acquire);
        // SAFETY: a slot is freed only in Drop; a replaced one is leaked, so `current` is live.
        let slot = unsafe { &*current };
        if slot.generation == generation {
            return &slot.value;
        }
        let fresh = Box::into_raw(Box::new(Slot { generation, value: make() }));
        match self.slot.compare_exchange(current, fresh, Ordering::AcqRel, Ordering::Acquire) {
            // The inherited slot is leaked on purpose (see the module docs).
            Ok(_) => unsafe { &(*fresh).value },
            Err(winner) => {
                drop(unsafe { Box::from_raw(fresh) });
                unsafe { &(*winner).value }
            }
        }
    }
}

impl<T> Drop for ForkLocal<T> {
    fn drop(&mut self) {
        let p = *self.slot.get_mut();
        let slot = unsafe { Box::from_raw(p) };
        if slot.generation == generation() {
            drop(slot);
        } else {
            std::mem::forget(slot);
        }
    }
}

// SAFETY: ForkLocal hands out &T only; it is Sync/Send exactly when T is.
unsafe impl<T: Send + Sync> Sync for ForkLocal<T> {}
unsafe impl<T: Send> Send for ForkLocal<T> {}
