//! Taking the caller's own secret out of what a server sent back.
//!
//! A server (or a proxy in front of it) may echo the `Authorization` value into a status's
//! description, details or req_id, a header, or the body. The library hands all of those to
//! callers and their logs, so every occurrence of the token (as sent, and as JSON would escape
//! it) becomes `[redacted]` before an answer leaves the client.

use std::borrow::Cow;

use crate::error::Error;
use crate::response::{Response, Status};

const REDACTED: &str = "[redacted]";
/// Shorter tokens are not searched for: replacing every occurrence of a two-letter "key" would
/// corrupt answers, and no real credential is that short.
const MIN_TOKEN_LEN: usize = 6;

/// `answer` with every occurrence of `token` redacted.
pub(crate) fn answer(answer: Result<Response, Error>, token: &str) -> Result<Response, Error> {
    if token.len() < MIN_TOKEN_LEN {
        return answer;
    }
    let mut forms = forms(token);
    let result = redact_all(answer, &forms);
    for f in &mut forms {
        if let Cow::Owned(escaped) = f {
            zeroize::Zeroize::zeroize(escaped);
        }
    }
    result
}

fn redact_all(answer: Result<Response, Error>, forms: &[Cow<'_, str>]) -> Result<Response, Error> {
    match answer {
        Ok(mut resp) => {
            scrub_status(&mut resp.status, forms);
            scrub_headers(&mut resp.headers, forms);
            if forms.iter().any(|f| resp.text.contains(f.as_ref())) {
                // Still valid JSON: the token sat inside a string, and `[redacted]` needs no
                // escaping there.
                let text = scrub(&resp.text, forms);
                resp = resp.with_text(text);
            }
            Ok(resp)
        }
        Err(Error::Api(mut api)) => {
            scrub_status(&mut api.status, forms);
            scrub_headers(&mut api.headers, forms);
            Err(Error::Api(api))
        }
        Err(Error::MalformedResponse { http_status, message }) => {
            Err(Error::MalformedResponse { http_status, message: scrub(&message, forms) })
        }
        Err(other) => Err(other),
    }
}

/// The token as sent, and as a JSON string carries it when escaping changes it. Tokens are
/// visible ASCII (credential.rs), so only `"` and `\\` change. No copy of the token is made
/// unless it needs escaping, and that one is wiped: this runs on every answer.
fn forms(token: &str) -> Vec<Cow<'_, str>> {
    let mut forms = vec![Cow::Borrowed(token)];
    if token.contains(['"', '\\']) {
        let mut escaped = String::with_capacity(token.len() + 8);
        for c in token.chars() {
            if matches!(c, '"' | '\\') {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        forms.push(Cow::Owned(escaped));
    }
    forms
}

fn scrub(text: &str, forms: &[Cow<'_, str>]) -> String {
    let mut out = text.to_string();
    for f in forms {
        if out.contains(f.as_ref()) {
            out = out.replace(f.as_ref(), REDACTED);
        }
    }
    out
}

fn scrub_in_place(text: &mut String, forms: &[Cow<'_, str>]) {
    if forms.iter().any(|f| text.contains(f.as_ref())) {
        *text = scrub(text, forms);
    }
}

fn scrub_status(status: &mut Status, forms: &[Cow<'_, str>]) {
    scrub_in_place(&mut status.description, forms);
    scrub_in_place(&mut status.details, forms);
    scrub_in_place(&mut status.req_id, forms);
}

fn scrub_headers(headers: &mut [(String, String)], forms: &[Cow<'_, str>]) {
    for (_, value) in headers.iter_mut() {
        scrub_in_place(value, forms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_echo_is_redacted_and_json_stays_json() {
        let token = "sec\"ret-token";
        let body = r#"{"status":{"code":11009,"description":"key sec\"ret-token?","details":"Key sec\"ret-token","req_id":"sec\"ret-token"}}"#;
        let e = crate::response::decode(401, None, body.as_bytes()).map(|_| ()).unwrap_err();
        let Err(Error::Api(api)) = answer(Err(e), token) else { panic!("not an API error") };
        let shown = format!("{api:?} {api}");
        assert!(!shown.contains("sec\"ret") && !shown.contains("sec\\\"ret"), "{shown}");
        assert_eq!(api.status.req_id, "[redacted]");

        let ok = r#"{"status":{"code":10000,"description":"Ok"},"echo":"abcdef-token","x":1}"#;
        let mut resp = crate::response::decode(200, None, ok.as_bytes()).unwrap();
        resp.headers = vec![("x-echo".into(), "Key abcdef-token".into())];
        let resp = answer(Ok(resp), "abcdef-token").unwrap();
        assert_eq!(resp.body()["echo"], "[redacted]");
        assert_eq!(resp.header("x-echo"), Some("Key [redacted]"));
        assert_eq!(resp.body()["x"], 1);
        // Short tokens are left alone rather than corrupting the answer.
        let resp = answer(Ok(crate::response::decode(200, None, ok.as_bytes()).unwrap()), "Ok").unwrap();
        assert_eq!(resp.status.description, "Ok");
    }
}
