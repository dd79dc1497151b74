//! Which failures are retried, and after how long.

use std::time::Duration;

use crate::catalog::Method;
use crate::error::{Error, TransportKind};

/// How failed requests are retried. Only what cannot run twice by accident is retried: a
/// connection that was never made, a throttled request (the API did not run it), and a 502/503/504
/// answer to an idempotent method. Timeouts are never retried, and every retry and backoff
/// counts against the call's total timeout.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it, with full jitter.
    pub base_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: the 11005 error is returned.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: crate::defaults::DEFAULT_MAX_RETRIES,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    pub fn none() -> RetryPolicy {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }
}

/// How long to wait before retrying, or `None` to give up now.
pub(crate) fn retry_delay(e: &Error, method: Method, attempt: u32, policy: &RetryPolicy) -> Option<Duration> {
    let backoff = || {
        // Doubling, but never past max_delay: many retries must not mean minutes of waiting.
        let cap = policy.base_delay.saturating_mul(1u32 << attempt.min(16)).min(policy.max_delay);
        let nanos = cap.as_nanos().min(u64::MAX as u128) as u64;
        Duration::from_nanos(if nanos == 0 { 0 } else { jitter() % nanos })
    };
    match e {
        // Never connected: nothing was sent, any method may go again.
        Error::Transport { kind: TransportKind::Connect, .. } => Some(backoff()),
        Error::Api(api) if api.status.code == crate::error::code::CONN_THROTTLED || api.http_status == 429 => {
            // The API did not run a throttled request. Wait as told, if not too long.
            let wait = api.retry_after.unwrap_or_else(backoff);
            (wait <= policy.max_delay).then_some(wait)
        }
        Error::Api(api) if matches!(api.http_status, 502..=504) && method.is_idempotent() => Some(backoff()),
        Error::MalformedResponse { http_status, .. } if matches!(http_status, 502..=504) && method.is_idempotent() => {
            Some(backoff())
        }
        _ => None,
    }
}

fn jitter() -> u64 {
    use std::cell::Cell;
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1);
            let addr = &t as *const u64 as u64;
            (t ^ addr.rotate_left(32)) | 1
        });
    }
    STATE.with(|s| {
        // xorshift64*: plenty for spreading retries.
        let mut x = s.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        s.set(x);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_only_what_is_safe() {
        let p = RetryPolicy::default();
        let api = |http: u16, code: u32, ra: Option<u64>| {
            Error::Api(Box::new(crate::error::ApiError {
                http_status: http,
                status: crate::response::Status { code, ..Default::default() },
                missing: Default::default(),
                retry_after: ra.map(Duration::from_secs),
                headers: vec![],
            }))
        };
        assert!(retry_delay(&api(503, 10020, None), Method::Get, 0, &p).is_some());
        assert!(retry_delay(&api(503, 10020, None), Method::Post, 0, &p).is_none());
        assert_eq!(retry_delay(&api(429, 11005, Some(1)), Method::Post, 0, &p), Some(Duration::from_secs(1)));
        assert!(retry_delay(&api(429, 11005, Some(30)), Method::Get, 0, &p).is_none());
        assert!(retry_delay(&Error::transport(TransportKind::Timeout, "t"), Method::Get, 0, &p).is_none());
        assert!(retry_delay(&Error::transport(TransportKind::Connect, "c"), Method::Post, 0, &p).is_some());
        assert!(retry_delay(&api(401, 11009, None), Method::Get, 0, &p).is_none());
    }
}
