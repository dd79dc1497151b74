//! Tokens: how they are made and how they are looked up.
//!
//! The store never indexes credentials by the token itself. It indexes them by the token's
//! SHA-256 digest, so how long a lookup takes depends on nothing an attacker can steer byte by
//! byte, and the final comparison of digests runs in constant time.

use std::fmt;
use std::hash::{Hash, Hasher};

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The SHA-256 digest of a token: the key credentials are stored under.
#[derive(Clone, Copy)]
pub(crate) struct TokenDigest([u8; 32]);

impl TokenDigest {
    pub(crate) fn of(token: &[u8]) -> TokenDigest {
        TokenDigest(Sha256::digest(token).into())
    }
}

impl PartialEq for TokenDigest {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for TokenDigest {}

impl Hash for TokenDigest {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // A digest is already uniformly distributed: eight of its bytes make a fine hash.
        state.write(&self.0[..8]);
    }
}

impl fmt::Debug for TokenDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenDigest(..)")
    }
}

/// 16 random bytes as 32 lowercase hex characters, the shape of real keys and PATs.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 16];
    // The OS generator failing is not something a test server can recover from meaningfully;
    // fall back to a time- and counter-derived value so the emulator still starts.
    if getrandom::getrandom(&mut bytes).is_err() {
        fallback_entropy(&mut bytes);
    }
    hex(&bytes)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

fn fallback_entropy(bytes: &mut [u8; 16]) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    let seed = format!("{nanos}:{}:{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    bytes.copy_from_slice(&Sha256::digest(seed.as_bytes())[..16]);
}

/// Whether a token could be sent in a header at all: visible ASCII, 1 to 1024 bytes.
pub(crate) fn is_well_formed(token: &str) -> bool {
    !token.is_empty() && token.len() <= 1024 && token.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_tokens_look_like_real_keys() {
        let t = random_token();
        assert_eq!(t.len(), 32);
        assert!(t.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_ne!(t, random_token());
    }

    #[test]
    fn digests_compare_by_value() {
        assert_eq!(TokenDigest::of(b"abc"), TokenDigest::of(b"abc"));
        assert_ne!(TokenDigest::of(b"abc"), TokenDigest::of(b"abd"));
    }
}
