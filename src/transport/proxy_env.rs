//! Which proxies a client uses: one given to the builder, or those the environment names, the
//! way curl reads them. reqwest does the proxying (CONNECT tunnels for https, absolute-form for
//! plain http, `Proxy-Authorization` from the URL's user info); this only decides what to hand
//! it.
//!
//! `https_proxy`/`HTTPS_PROXY` for https origins, `http_proxy` for http ones (and `HTTP_PROXY`
//! too, except in a CGI process, where a request's `Proxy:` header arrives as `HTTP_PROXY`:
//! "httpoxy"), `all_proxy`/`ALL_PROXY` for both, `no_proxy`/`NO_PROXY` for the hosts that go
//! direct. Loopback hosts never go through a proxy from the environment (the emulator runs
//! there). Messages name a proxy by its variable, never by its URL, which may hold a password.

use crate::error::Error;

/// The proxies of one client, ready for reqwest, or why the environment's cannot be used.
pub(crate) struct ProxyPlan {
    pub proxies: Vec<reqwest::Proxy>,
    /// An environment proxy that cannot be used: requests to hosts that would use it fail with
    /// this message instead of silently going direct.
    pub unusable: Option<String>,
}

/// Hosts that always go direct, in `no_proxy` syntax.
const LOOPBACK: &str = "localhost,.localhost,127.0.0.0/8,::1";

/// A proxy given by the program: every request goes through it.
pub(crate) fn explicit(url: &str) -> Result<ProxyPlan, Error> {
    let proxy = proxy_for(url, reqwest::Proxy::all::<String>)
        .map_err(|why| Error::InvalidArgument(format!("the proxy URL is not usable: {why}")))?;
    Ok(ProxyPlan { proxies: vec![proxy], unusable: None })
}

/// The proxies the environment names; `get` reads a variable.
pub(crate) fn from_env(get: impl Fn(&str) -> Option<String>) -> ProxyPlan {
    let first =
        |names: &[&'static str]| names.iter().find_map(|n| get(n).filter(|v| !v.trim().is_empty()).map(|v| (*n, v)));
    let cgi = get("REQUEST_METHOD").is_some();
    let all = first(&["all_proxy", "ALL_PROXY"]);
    let https = first(&["https_proxy", "HTTPS_PROXY"]).or_else(|| all.clone());
    let http = if cgi { first(&["http_proxy"]) } else { first(&["http_proxy", "HTTP_PROXY"]) }.or(all);
    let user_no_proxy = first(&["no_proxy", "NO_PROXY"]).map(|(_, v)| v).unwrap_or_default();
    let no_proxy = || reqwest::NoProxy::from_string(&format!("{user_no_proxy},{LOOPBACK}"));

    let mut plan = ProxyPlan { proxies: Vec::new(), unusable: None };
    type MakeProxy = fn(String) -> reqwest::Result<reqwest::Proxy>;
    let schemes: [(Option<(&str, String)>, MakeProxy); 2] =
        [(https, reqwest::Proxy::https::<String>), (http, reqwest::Proxy::http::<String>)];
    for (found, make) in schemes {
        let Some((var, url)) = found else { continue };
        match proxy_for(&url, make) {
            Ok(p) => plan.proxies.push(p.no_proxy(no_proxy())),
            Err(why) => {
                plan.unusable.get_or_insert(format!(
                    "cannot use the proxy in {var}: {why} (turn proxies from the environment off in the client options to go direct)"
                ));
            }
        }
    }
    plan
}

/// reqwest's proxy for `url`, after our own checks: http and https proxies only, with a host.
fn proxy_for(url: &str, make: impl Fn(String) -> reqwest::Result<reqwest::Proxy>) -> Result<reqwest::Proxy, String> {
    let url = url.trim();
    let with_scheme = if url.contains("://") { url.to_string() } else { format!("http://{url}") };
    let parsed = reqwest::Url::parse(&with_scheme).map_err(|e| format!("it is not a URL ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("its scheme {:?} is not supported (http:// and https:// proxies are)", parsed.scheme()));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("it has no host".into());
    }
    make(with_scheme).map_err(|_| "reqwest refused it".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> ProxyPlan {
        from_env(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn unusable_proxies_are_named_by_variable_without_their_password() {
        let p = env(&[("https_proxy", "socks5://user:hunter2@s:1080")]);
        let text = p.unusable.unwrap();
        assert!(text.contains("https_proxy") && text.contains("socks5") && !text.contains("hunter2"), "{text}");
        for bad in ["http://:80", "http://h:x", "http://[::1"] {
            let e = proxy_for(bad, reqwest::Proxy::all::<String>).unwrap_err();
            assert!(!e.contains(bad), "{e}");
        }
        let Err(e) = explicit("socks5://u:hunter2@h:1") else { panic!("a socks proxy was accepted") };
        assert!(matches!(e, Error::InvalidArgument(_)) && !e.to_string().contains("hunter2"), "{e}");
    }

    #[test]
    fn variables_are_read_per_scheme_and_cgi_ignores_upper_case_http_proxy() {
        assert_eq!(env(&[("HTTPS_PROXY", "http://a:1"), ("http_proxy", "b:2")]).proxies.len(), 2);
        assert_eq!(env(&[("ALL_PROXY", "http://a:1")]).proxies.len(), 2);
        assert_eq!(env(&[]).proxies.len(), 0);
        assert_eq!(env(&[("HTTP_PROXY", "http://evil:1"), ("REQUEST_METHOD", "GET")]).proxies.len(), 0);
        assert_eq!(env(&[("http_proxy", "http://ok:1"), ("REQUEST_METHOD", "GET")]).proxies.len(), 1);
    }
}
