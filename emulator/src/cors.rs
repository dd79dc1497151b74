//! CORS, so browser pages (the JS client's main use) can call the emulator as they call the
//! API: preflight `OPTIONS` requests are answered before routing and authorization (browsers
//! send them without credentials), and every answer allows any origin. Credentials travel in
//! the `Authorization` header, never in cookies, so `*` is enough and no origin is echoed.

use clarifai::catalog::{self, Method as CatalogMethod};
use hyper::header::{
    HeaderName, HeaderValue, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, CONTENT_LENGTH, ORIGIN, VARY,
};
use hyper::{HeaderMap, Method, Request, Response, StatusCode};

use crate::body::Body;
use crate::headers::ROUTE_HEADER;

/// Headers a preflight allows when the browser names none: what Clarifai's clients send.
const DEFAULT_ALLOW_HEADERS: &str =
    "Authorization, Content-Type, X-Clarifai-Client, X-Clarifai-Session-Token, X-Clarifai-gRPC-Client, X-Clarifai-Request-ID-Prefix";
/// Response headers a page's script may read besides the simple ones.
const EXPOSE_HEADERS: &str = "Retry-After, X-Clarifai-Emulator-Route, X-Clarifai-Emulator-Endpoint";
const ALL_METHODS: &str = "GET, POST, PATCH, PUT, DELETE, OPTIONS";

/// The methods a path takes, per the catalogue (all of them when it does not route, so the
/// browser goes on to the real request and shows its 404).
fn allowed_methods(path: &str) -> String {
    let methods =
        [CatalogMethod::Get, CatalogMethod::Post, CatalogMethod::Patch, CatalogMethod::Put, CatalogMethod::Delete];
    let mut allowed: Vec<&str> =
        methods.iter().filter(|m| catalog().route(**m, path).is_some()).map(|m| m.as_str()).collect();
    if path == crate::legacy::TOKEN_PATH {
        allowed.push("POST");
    }
    if allowed.is_empty() {
        return ALL_METHODS.to_string();
    }
    allowed.push("OPTIONS");
    allowed.join(", ")
}

fn catalog() -> &'static catalog::Catalog {
    clarifai::catalog()
}

/// A CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) gets 204 with
/// what it asks to be allowed; anything else is `None` and handled as usual.
pub(crate) fn preflight<B>(req: &Request<B>) -> Option<Response<Body>> {
    let headers = req.headers();
    if req.method() != Method::OPTIONS
        || !headers.contains_key(ORIGIN)
        || !headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD)
    {
        return None;
    }
    if crate::admin::is_admin_path(req.uri().path()) {
        return None;
    }
    let mut response = Response::new(Body::full(Vec::new()));
    *response.status_mut() = StatusCode::NO_CONTENT;
    let out = response.headers_mut();
    out.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    let methods =
        HeaderValue::from_str(&allowed_methods(req.uri().path())).unwrap_or(HeaderValue::from_static(ALL_METHODS));
    out.insert(ACCESS_CONTROL_ALLOW_METHODS, methods);
    let asked = headers.get(ACCESS_CONTROL_REQUEST_HEADERS).filter(|v| !v.is_empty()).cloned();
    out.insert(ACCESS_CONTROL_ALLOW_HEADERS, asked.unwrap_or(HeaderValue::from_static(DEFAULT_ALLOW_HEADERS)));
    out.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    out.insert(VARY, HeaderValue::from_static("Access-Control-Request-Method, Access-Control-Request-Headers"));
    out.insert(CONTENT_LENGTH, HeaderValue::from(0));
    out.insert(
        HeaderName::from_static(ROUTE_HEADER),
        HeaderValue::from_str(&format!("OPTIONS {}", req.uri().path())).unwrap_or(HeaderValue::from_static("-")),
    );
    Some(response)
}

/// The CORS headers every other answer carries.
pub(crate) fn add_headers(headers: &mut HeaderMap) {
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSE_HEADERS));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(path: &str, with: &[(&str, &str)]) -> Request<()> {
        let mut b = Request::builder().method(Method::OPTIONS).uri(path);
        for (k, v) in with {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap()
    }

    #[test]
    fn only_preflights_are_answered() {
        assert!(preflight(&options("/v2/inputs", &[("Origin", "http://a")])).is_none());
        assert!(preflight(&options("/v2/inputs", &[("Access-Control-Request-Method", "POST")])).is_none());
        let get = Request::builder()
            .uri("/v2/inputs")
            .header("Origin", "x")
            .header("Access-Control-Request-Method", "GET")
            .body(())
            .unwrap();
        assert!(preflight(&get).is_none());
        assert!(preflight(&options("/_emulator/faults", &[("Origin", "x"), ("Access-Control-Request-Method", "GET")]))
            .is_none());
    }

    #[test]
    fn a_preflight_allows_what_the_path_takes() {
        let r = preflight(&options(
            "/v2/inputs/abc",
            &[
                ("Origin", "http://page"),
                ("Access-Control-Request-Method", "DELETE"),
                ("Access-Control-Request-Headers", "authorization,content-type"),
            ],
        ))
        .unwrap();
        assert_eq!(r.status(), 204);
        let h = r.headers();
        assert_eq!(h[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert_eq!(h[ACCESS_CONTROL_ALLOW_METHODS], "GET, DELETE, OPTIONS");
        assert_eq!(h[ACCESS_CONTROL_ALLOW_HEADERS], "authorization,content-type");
        assert_eq!(h[ROUTE_HEADER], "OPTIONS /v2/inputs/abc");
        let r =
            preflight(&options("/v2/nowhere", &[("Origin", "x"), ("Access-Control-Request-Method", "GET")])).unwrap();
        assert_eq!(r.headers()[ACCESS_CONTROL_ALLOW_METHODS], ALL_METHODS);
        assert!(r.headers()[ACCESS_CONTROL_ALLOW_HEADERS].to_str().unwrap().contains("Authorization"));
    }
}
