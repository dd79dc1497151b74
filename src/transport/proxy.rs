//! HTTP proxies: one given to the builder, or those of the environment the way curl reads them.
//!
//! `https_proxy`/`HTTPS_PROXY` for https origins, `http_proxy`/`HTTP_PROXY` for http ones,
//! `all_proxy`/`ALL_PROXY` for both, `no_proxy`/`NO_PROXY` for the hosts that go direct. Loopback
//! hosts never go through a proxy from the environment (the emulator runs there). Only `http://`
//! proxies are supported: https origins are tunnelled with `CONNECT`, so TLS stays end to end.
//! A proxy's credentials (`http://user:pass@host`) are sent as `Proxy-Authorization` and never
//! shown: a proxy is displayed as `http://host:port`.

use zeroize::Zeroizing;

use crate::error::{Error, TransportKind};
use crate::secret::Secret;

pub(crate) struct Proxy {
    pub host: String,
    pub port: u16,
    /// `Basic …`, from the URL's user info.
    pub authorization: Option<Secret>,
}

impl std::fmt::Display for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "http://{}:{}", self.host, self.port)
    }
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Proxy({self})")
    }
}

/// Where the requests of one client go.
#[derive(Debug)]
pub(crate) enum Proxies {
    Direct,
    Always(Proxy),
    FromEnv(EnvProxies),
}

#[derive(Debug, Default)]
pub(crate) struct EnvProxies {
    http: Option<(String, Result<Proxy, String>)>,
    https: Option<(String, Result<Proxy, String>)>,
    no_proxy: Vec<String>,
}

impl Proxies {
    /// The proxy for an origin, if any; an error when the environment names one we cannot use.
    pub fn for_origin(&self, https: bool, host: &str) -> Result<Option<&Proxy>, Error> {
        match self {
            Proxies::Direct => Ok(None),
            Proxies::Always(p) => Ok(Some(p)),
            Proxies::FromEnv(env) => {
                if super::is_loopback(host) || env.bypasses(host) {
                    return Ok(None);
                }
                match if https { &env.https } else { &env.http } {
                    None => Ok(None),
                    Some((_, Ok(p))) => Ok(Some(p)),
                    Some((var, Err(why))) => Err(Error::transport(
                        TransportKind::Connect,
                        format!("cannot use the proxy in {var}: {why} (turn proxies from the environment off in the client options to go direct)"),
                    )),
                }
            }
        }
    }
}

impl EnvProxies {
    pub fn read(get: impl Fn(&str) -> Option<String>) -> EnvProxies {
        let first = |names: &[&str]| {
            names.iter().find_map(|n| get(n).filter(|v| !v.trim().is_empty()).map(|v| (n.to_string(), v)))
        };
        let all = first(&["all_proxy", "ALL_PROXY"]);
        let parse_named = |found: Option<(String, String)>| found.map(|(var, v)| { let p = parse(&v); (var, p) });
        let https = parse_named(first(&["https_proxy", "HTTPS_PROXY"]).or_else(|| all.clone()));
        let http = parse_named(first(&["http_proxy", "HTTP_PROXY"]).or_else(|| all.clone()));
        let no_proxy = first(&["no_proxy", "NO_PROXY"])
            .map(|(_, v)| v.split(',').map(|s| s.trim().to_ascii_lowercase()).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        EnvProxies { http, https, no_proxy }
    }

    /// `no_proxy` entries: `*`, a host name (matching it and its subdomains, with or without a
    /// leading dot), or an IP address; a `:port` suffix is ignored.
    fn bypasses(&self, host: &str) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        self.no_proxy.iter().any(|entry| {
            if entry == "*" {
                return true;
            }
            let entry = entry.trim_start_matches('[');
            let entry = match entry.rsplit_once(':') {
                Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !h.contains(':') => h,
                _ => entry,
            };
            let entry = entry.trim_end_matches(']').trim_start_matches('.');
            host == entry || host.ends_with(&format!(".{entry}"))
        })
    }
}

/// `http://[user:password@]host[:port][/]`, or `host:port` (http assumed, as curl does).
/// Messages never repeat the URL: it may hold a password.
pub(crate) fn parse(url: &str) -> Result<Proxy, String> {
    let url = url.trim();
    let rest = match url.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
        Some((scheme, _)) => return Err(format!("its scheme {scheme:?} is not supported (only http:// proxies are)")),
        None => url,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or("it has an unclosed [")?;
        (format!("[{h}]"), after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (hostport.to_string(), None),
        }
    };
    if host.is_empty() || host.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()) {
        return Err("it has no usable host".into());
    }
    let port = match port {
        Some(p) => p.parse::<u16>().ok().filter(|&p| p != 0).ok_or("its port is not a number from 1 to 65535")?,
        None => 80,
    };
    let authorization = userinfo.map(|u| {
        let (user, password) = u.split_once(':').unwrap_or((u, ""));
        let plain = Secret::new(format!("{}:{}", *percent_decode(user), *percent_decode(password)));
        Secret::new(format!("Basic {}", crate::client::base64_encode(plain.expose().as_bytes())))
    });
    Ok(Proxy { host, port, authorization })
}

fn percent_decode(s: &str) -> Zeroizing<String> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if let (b'%', Some(&h), Some(&l)) = (b[i], b.get(i + 1), b.get(i + 2)) {
            if let (Some(h), Some(l)) = (hex(h), hex(l)) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    Zeroizing::new(String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Proxies {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Proxies::FromEnv(EnvProxies::read(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())))
    }

    fn shown(p: Result<Option<&Proxy>, Error>) -> String {
        match p {
            Ok(Some(p)) => p.to_string(),
            Ok(None) => "direct".into(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn the_environment_is_read_per_scheme_with_no_proxy_and_loopback_direct() {
        let p = env(&[("HTTPS_PROXY", "http://sec:3128"), ("http_proxy", "plain:8080"), ("NO_PROXY", "internal.test, .corp.test,10.1.2.3")]);
        assert_eq!(shown(p.for_origin(true, "api.clarifai.com")), "http://sec:3128");
        assert_eq!(shown(p.for_origin(false, "api.clarifai.com")), "http://plain:8080");
        assert_eq!(shown(p.for_origin(true, "internal.test")), "direct");
        assert_eq!(shown(p.for_origin(true, "a.internal.test")), "direct");
        assert_eq!(shown(p.for_origin(true, "x.corp.test")), "direct");
        assert_eq!(shown(p.for_origin(true, "notinternal.test")), "http://sec:3128");
        assert_eq!(shown(p.for_origin(true, "10.1.2.3")), "direct");
        assert_eq!(shown(p.for_origin(true, "127.0.0.1")), "direct");
        assert_eq!(shown(p.for_origin(true, "localhost")), "direct");
        assert_eq!(shown(p.for_origin(true, "[::1]")), "direct");

        let p = env(&[("ALL_PROXY", "http://all:1"), ("no_proxy", "*")]);
        assert_eq!(shown(p.for_origin(true, "api.clarifai.com")), "direct");
        let p = env(&[("ALL_PROXY", "http://all:1")]);
        assert_eq!(shown(p.for_origin(false, "api.clarifai.com")), "http://all:1");
        assert_eq!(shown(env(&[]).for_origin(true, "api.clarifai.com")), "direct");
    }

    #[test]
    fn an_unusable_proxy_is_a_clear_error_without_its_password() {
        let p = env(&[("https_proxy", "socks5://user:hunter2@s:1080")]);
        let text = shown(p.for_origin(true, "api.clarifai.com"));
        assert!(text.contains("https_proxy") && text.contains("socks5") && !text.contains("hunter2"), "{text}");
        for bad in ["http://:80", "http://h:0", "http://h:x", "http://[::1"] {
            let e = parse(bad).unwrap_err();
            assert!(!e.contains(bad), "{e}");
        }
    }

    #[test]
    fn proxy_credentials_become_basic_authorization() {
        let p = parse("http://al%40ice:open%20sesame@proxy.test:3128/").unwrap();
        assert_eq!((p.host.as_str(), p.port), ("proxy.test", 3128));
        // RFC 7617's example credentials, with the user percent-encoded in the URL.
        let p2 = parse("http://Aladdin:open%20sesame@proxy.test").unwrap();
        assert_eq!(p2.authorization.as_ref().unwrap().expose(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(p2.port, 80);
        assert_eq!(p.authorization.as_ref().unwrap().expose(), "Basic YWxAaWNlOm9wZW4gc2VzYW1l");
        assert!(!format!("{p} {p:?}").contains("sesame"));
        let p = parse("[::1]:8").unwrap();
        assert_eq!((p.host.as_str(), p.port, p.authorization.is_none()), ("[::1]", 8, true));
    }
}
