//! Fault injection: make chosen requests slow, throttled, failed, cut off, redirected or huge,
//! so clients can test their retry, timeout and size-limit paths against a real socket.
//!
//! A rule is written `TARGET=ACTION[,times=N]`:
//!
//! | part | forms |
//! |---|---|
//! | TARGET | `*` (every API request), an RPC name (`PostModelOutputs`, or `/clarifai.api.V2/PostModelOutputs`), or a path prefix starting with `/` (`/v2/inputs`) |
//! | ACTION | `delay:MS`, `throttle:RETRY_AFTER_SECS`, `status:HTTP[:CODE]`, `drop`, `redirect:URL`, `oversize:BYTES`, `echo[:HTTP]` |
//! | times | apply to the next N matching requests only, then the rule is removed |
//!
//! The first rule (in the order added) that matches a request applies; admin routes are never
//! faulted.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use clarifai::catalog;

use crate::Error;

/// Which requests a rule applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultTarget {
    /// Every API request (`*`).
    Any,
    /// Requests routed to this RPC (e.g. `PostModelOutputs`).
    Endpoint(String),
    /// Requests whose path starts with this prefix (e.g. `/v2/inputs`).
    PathPrefix(String),
}

/// What happens to a matching request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// HTTP 429, status 11005, header `Retry-After: SECS`.
    Throttle { retry_after_secs: u64 },
    /// This HTTP status with a JSON status body. `code` defaults by HTTP status: 429 → 11005,
    /// 401 → 11102, 403 → 11007, 404 → 11101, 405 → 11103, anything else → 10020 (FAILURE).
    Status { http: u16, code: Option<u32> },
    /// Answer normally, but close the connection after the headers and half of the body.
    Drop,
    /// HTTP 307 with `Location: URL`.
    Redirect(String),
    /// Answer normally, padded with a `"padding"` member to exactly this many bytes (a body
    /// already longer is left as it is).
    Oversize(usize),
    /// Echo the request's `Authorization` value back, as a careless server or proxy might: in
    /// the status description and details, an `x-echo` header and an `echo` member, with this
    /// HTTP status (200 answers 10000; 401 answers 11009). For testing that clients redact it.
    Echo(u16),
}

impl Fault {
    /// The Clarifai code a `status:` fault answers with.
    pub(crate) fn status_code(http: u16, code: Option<u32>) -> u32 {
        use crate::reply::*;
        code.unwrap_or(match http {
            429 => CONN_THROTTLED,
            401 => CONN_INVALID_REQUEST,
            403 => CONN_INSUFFICIENT_SCOPES,
            404 => CONN_DOES_NOT_EXIST,
            405 => CONN_METHOD_NOT_ALLOWED,
            _ => FAILURE,
        })
    }
}

/// One fault injection rule; parse one with `"PostInputs=status:503".parse()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    pub target: FaultTarget,
    pub fault: Fault,
    /// Apply to the next N matching requests only; `None` for every one.
    pub times: Option<u32>,
}

impl FaultRule {
    pub fn new(target: FaultTarget, fault: Fault) -> FaultRule {
        FaultRule { target, fault, times: None }
    }

    /// Only the next `n` matching requests.
    pub fn times(mut self, n: u32) -> FaultRule {
        self.times = Some(n);
        self
    }

    fn matches(&self, endpoint: Option<&str>, path: &str) -> bool {
        match &self.target {
            FaultTarget::Any => true,
            FaultTarget::Endpoint(name) => endpoint == Some(name.as_str()),
            FaultTarget::PathPrefix(prefix) => path.starts_with(prefix.as_str()),
        }
    }
}

impl FromStr for FaultRule {
    type Err = Error;

    fn from_str(spec: &str) -> Result<FaultRule, Error> {
        let bad = |message: String| Error::FaultSpec { spec: spec.to_string(), message };
        let (target, rest) =
            spec.split_once('=').ok_or_else(|| bad("expected TARGET=ACTION, e.g. PostModelOutputs=delay:50".into()))?;
        let target = match target.trim() {
            "*" => FaultTarget::Any,
            t if t.starts_with("/clarifai.api.V2/") || !t.starts_with('/') => {
                let e = catalog().endpoint(t).ok_or_else(|| {
                    bad(format!("{t:?} is neither *, an RPC name of the catalogue, nor a path prefix starting with /"))
                })?;
                FaultTarget::Endpoint(e.name.clone())
            }
            t => FaultTarget::PathPrefix(t.to_string()),
        };
        // `times` comes last; a redirect URL may itself contain commas, so split from the end.
        let (action, times) = match rest.rsplit_once(",times=") {
            Some((a, n)) => {
                let n: u32 = n.trim().parse().map_err(|_| bad(format!("times={n:?} is not a whole number")))?;
                if n == 0 {
                    return Err(bad("times=0 would never apply".into()));
                }
                (a, Some(n))
            }
            None => (rest, None),
        };
        let (kind, arg) = match action.trim().split_once(':') {
            Some((k, a)) => (k, Some(a)),
            None => (action.trim(), None),
        };
        let number = |what: &str| -> Result<u64, Error> {
            arg.ok_or_else(|| bad(format!("{kind} needs a value: {kind}:{what}")))?
                .trim()
                .parse()
                .map_err(|_| bad(format!("{kind}:{what} needs a whole number")))
        };
        let fault = match kind {
            "delay" => Fault::Delay(Duration::from_millis(number("MS")?)),
            "throttle" => Fault::Throttle { retry_after_secs: number("RETRY_AFTER_SECS")? },
            "status" => {
                let arg = arg.ok_or_else(|| bad("status needs a value: status:HTTP[:CODE]".into()))?;
                let (http, code) = match arg.split_once(':') {
                    Some((h, c)) => (h, Some(c)),
                    None => (arg, None),
                };
                let http: u16 = http
                    .trim()
                    .parse()
                    .ok()
                    // 204, 205 and 304 cannot carry the JSON status body.
                    .filter(|h| (200..=599).contains(h) && !matches!(h, 204 | 205 | 304))
                    .ok_or_else(|| bad(format!("status:{http} is not an HTTP status with a body (200-599, not 204/205/304)")))?;
                let code = code
                    .map(|c| c.trim().parse::<u32>().map_err(|_| bad(format!("status code {c:?} is not a number"))))
                    .transpose()?;
                Fault::Status { http, code }
            }
            "drop" if arg.is_none() => Fault::Drop,
            "echo" => Fault::Echo(match arg {
                None => 200,
                Some(_) => number("HTTP")? as u16,
            }),
            "redirect" => {
                let url = arg.map(str::trim).filter(|u| !u.is_empty());
                let url = url.ok_or_else(|| bad("redirect needs a URL: redirect:URL".into()))?;
                if url.bytes().any(|b| !b.is_ascii_graphic()) {
                    return Err(bad("the redirect URL must be visible ASCII".into()));
                }
                Fault::Redirect(url.to_string())
            }
            "oversize" => Fault::Oversize(
                usize::try_from(number("BYTES")?).map_err(|_| bad("oversize is too large".into()))?,
            ),
            _ => {
                return Err(bad(format!(
                    "unknown action {kind:?}; use delay:MS, throttle:SECS, status:HTTP[:CODE], drop, redirect:URL or oversize:BYTES"
                )))
            }
        };
        Ok(FaultRule { target, fault, times })
    }
}

impl fmt::Display for FaultRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            FaultTarget::Any => f.write_str("*")?,
            FaultTarget::Endpoint(e) | FaultTarget::PathPrefix(e) => f.write_str(e)?,
        }
        f.write_str("=")?;
        match &self.fault {
            Fault::Delay(d) => write!(f, "delay:{}", d.as_millis())?,
            Fault::Throttle { retry_after_secs } => write!(f, "throttle:{retry_after_secs}")?,
            Fault::Status { http, code: None } => write!(f, "status:{http}")?,
            Fault::Status { http, code: Some(c) } => write!(f, "status:{http}:{c}")?,
            Fault::Drop => f.write_str("drop")?,
            Fault::Redirect(url) => write!(f, "redirect:{url}")?,
            Fault::Oversize(n) => write!(f, "oversize:{n}")?,
            Fault::Echo(http) => write!(f, "echo:{http}")?,
        }
        if let Some(n) = self.times {
            write!(f, ",times={n}")?;
        }
        Ok(())
    }
}

/// The rules in force. Requests check an atomic count first, so with no rules the hot path
/// takes no lock.
#[derive(Default)]
pub(crate) struct Faults {
    count: AtomicUsize,
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    pub(crate) fn add(&self, rule: FaultRule) {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.push(rule);
        self.count.store(rules.len(), Ordering::Release);
    }

    pub(crate) fn clear(&self) {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.clear();
        self.count.store(0, Ordering::Release);
    }

    pub(crate) fn list(&self) -> Vec<FaultRule> {
        self.rules.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The fault for this request, if any, counting it against the rule's `times`.
    pub(crate) fn take(&self, endpoint: Option<&str>, path: &str) -> Option<Fault> {
        if self.count.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let i = rules.iter().position(|r| r.matches(endpoint, path))?;
        let fault = rules[i].fault.clone();
        if let Some(n) = rules[i].times.as_mut() {
            *n -= 1;
            if *n == 0 {
                rules.remove(i);
                self.count.store(rules.len(), Ordering::Release);
            }
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_action() {
        let r: FaultRule = "PostModelOutputs=delay:50".parse().unwrap();
        assert_eq!(r.target, FaultTarget::Endpoint("PostModelOutputs".into()));
        assert_eq!(r.fault, Fault::Delay(Duration::from_millis(50)));
        let r: FaultRule = "*=throttle:2,times=3".parse().unwrap();
        assert_eq!((r.target, r.fault, r.times), (FaultTarget::Any, Fault::Throttle { retry_after_secs: 2 }, Some(3)));
        let r: FaultRule = "/v2/inputs=status:503".parse().unwrap();
        assert_eq!(r.fault, Fault::Status { http: 503, code: None });
        let r: FaultRule = "*=redirect:http://127.0.0.1:9/x?a=1,b".parse().unwrap();
        assert_eq!(r.fault, Fault::Redirect("http://127.0.0.1:9/x?a=1,b".into()));
        assert_eq!("*=drop".parse::<FaultRule>().unwrap().fault, Fault::Drop);
        assert_eq!("*=oversize:4096".parse::<FaultRule>().unwrap().fault, Fault::Oversize(4096));
        assert_eq!(
            "/clarifai.api.V2/ListInputs=status:500:98004".parse::<FaultRule>().unwrap().to_string(),
            "ListInputs=status:500:98004"
        );
    }

    #[test]
    fn refuses_nonsense() {
        for spec in [
            "",
            "*",
            "*=explode",
            "NoSuchRpc=drop",
            "*=delay",
            "*=delay:x",
            "*=status:99",
            "*=status:204",
            "*=drop,times=0",
            "*=redirect:",
        ] {
            assert!(spec.parse::<FaultRule>().is_err(), "{spec}");
        }
    }

    #[test]
    fn times_runs_out() {
        let f = Faults::default();
        f.add("ListInputs=drop,times=2".parse().unwrap());
        assert_eq!(f.take(Some("PostInputs"), "/v2/inputs"), None);
        assert_eq!(f.take(Some("ListInputs"), "/v2/inputs"), Some(Fault::Drop));
        assert_eq!(f.take(Some("ListInputs"), "/v2/inputs"), Some(Fault::Drop));
        assert_eq!(f.take(Some("ListInputs"), "/v2/inputs"), None);
        assert!(f.list().is_empty());
    }
}
