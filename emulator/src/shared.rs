//! The state every connection shares.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::faults::Faults;
use crate::log::RequestLog;
use crate::store::Store;
use crate::token::TokenDigest;
use crate::Details;

pub(crate) struct Shared {
    pub store: Store,
    pub faults: Faults,
    pub log: RequestLog,
    /// The admin token's digest: admin requests are checked like API keys, in constant time.
    pub admin_token: TokenDigest,
    pub details: Details,
    pub max_body_bytes: usize,
    req_counter: AtomicU64,
    /// Connections accepted so far (TLS handshakes that failed included).
    connections: AtomicU64,
}

impl Shared {
    pub(crate) fn new(store: Store, details: Details, max_body_bytes: usize, log_capacity: usize) -> Shared {
        Shared {
            store,
            faults: Faults::default(),
            log: RequestLog::new(log_capacity),
            admin_token: TokenDigest::of(details.admin_token.as_bytes()),
            details,
            max_body_bytes,
            req_counter: AtomicU64::new(1),
            connections: AtomicU64::new(0),
        }
    }

    /// Count a new connection; its number, from 1.
    pub(crate) fn connection_accepted(&self) -> u64 {
        self.connections.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub(crate) fn connections_accepted(&self) -> u64 {
        self.connections.load(Ordering::Relaxed)
    }

    /// A fresh `req_id`: unique for this emulator's lifetime and cheap to make.
    pub(crate) fn next_req_id(&self) -> String {
        format!("emu-{:012x}", self.req_counter.fetch_add(1, Ordering::Relaxed))
    }
}
