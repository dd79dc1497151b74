//! A credential's secret bytes: redacted when printed, wiped when dropped.

use std::fmt;

use zeroize::Zeroizing;

/// A secret string (API key, PAT, token, client secret).
///
/// `Debug` and `Display` print `[redacted]`; the bytes are zeroed on drop. The only way to read
/// it is [`Secret::expose`], which the transport calls when it writes the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub(crate) fn new(s: String) -> Secret {
        Secret(Zeroizing::new(s))
    }

    /// The secret itself. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}
