//! Credential and id validation on arbitrary strings.
//!
//! Input: token, user id and app id separated by 0xFF bytes (never part of UTF-8). A
//! credential that is accepted must put exactly its token in the header and print it nowhere;
//! a refused one must say why without quoting it: its message must be the same for any other
//! token of the same shape (each visible character replaced). Accepted ids must be safe as
//! path segments.
#![no_main]

use clarifai::{Credential, CredentialKind, Error, UserAppId};
use libfuzzer_sys::fuzz_target;

/// The same shape with every visible character replaced, so only the characters' classes and
/// positions (and the byte length) are left of the original.
fn masked(token: &str) -> String {
    token
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                c
            } else if c.is_ascii() {
                'x'
            } else {
                match c.len_utf8() {
                    2 => 'é',
                    3 => '€',
                    _ => '𝄞',
                }
            }
        })
        .collect()
}

fn check(token: &str, make: impl Fn(&str) -> Result<Credential, Error>, kind: CredentialKind) {
    match make(token) {
        Ok(c) => {
            assert_eq!(c.kind(), kind);
            assert_eq!(c.secret().expose(), token);
            assert_eq!(c.authorization(), format!("Key {token}"));
            assert_eq!(c.clone(), c);
            assert_eq!(c.secret().to_string(), "[redacted]");
            assert_eq!(format!("{:?}", c.secret()), "Secret([redacted])");
            // Against the same credential with another token: the secret is the only difference.
            let printed = format!("{c:?}");
            let reference = format!("{:?}", make("x").expect("a one-letter token is valid"));
            assert!(!printed.contains(token) || reference.contains(token), "Debug shows the token: {printed}");
        }
        Err(Error::InvalidArgument(msg)) => {
            let same_shape = match make(&masked(token)) {
                Err(Error::InvalidArgument(m)) => m,
                other => panic!("{token:?} refused but a token of the same shape gives {other:?}"),
            };
            assert_eq!(msg, same_shape, "the message depends on the token's characters");
        }
        Err(e) => panic!("unexpected error {e:?}"),
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 255
        && id != "."
        && id != ".."
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0xFF).map(|p| String::from_utf8_lossy(p).into_owned());
    let token = parts.next().unwrap_or_default();
    let user = parts.next().unwrap_or_else(|| "me".into());
    let app = parts.next().unwrap_or_else(|| "app".into());

    check(&token, Credential::api_key, CredentialKind::ApiKey);
    check(&token, Credential::pat_without_app, CredentialKind::Pat);
    check(&token, |t| Credential::pat(t, &user, &app), CredentialKind::Pat);

    match UserAppId::new(&user, &app) {
        Ok(u) => {
            assert!(valid_id(&u.user_id) && valid_id(&u.app_id), "accepted {u:?}");
            assert_eq!((u.user_id.as_str(), u.app_id.as_str()), (user.as_str(), app.as_str()));
        }
        Err(Error::InvalidArgument(_)) => assert!(!valid_id(&user) || !valid_id(&app), "refused {user:?} {app:?}"),
        Err(e) => panic!("unexpected error {e:?}"),
    }
});
