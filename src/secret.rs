//! Secrets and the HMACs keyed with them.
//!
//! A [`Secret`] never prints: its `Debug` is `Secret([redacted])`. Every comparison of a received signature
//! goes through `hmac`'s `verify_slice`, which is constant-time.

use std::fmt;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;

use crate::error::KycError;

/// HMAC-SHA256, as OST signs requests and webhooks.
pub type HmacSha256 = Hmac<Sha256>;
/// HMAC-SHA1, as Token of Trust signs webhooks.
pub type HmacSha1 = Hmac<Sha1>;

/// A shared secret (API secret, webhook secret). Its bytes are the UTF-8 form of the string given.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps a secret, refusing an empty one. `what` names it in the error, e.g. `"secret"`.
    pub fn new(bytes: impl Into<Vec<u8>>, what: &str) -> Result<Secret, KycError> {
        let bytes = bytes.into();
        if bytes.is_empty() {
            return Err(KycError::invalid_argument(format!(
                "{what} is empty: pass the secret from your provider dashboard (check the environment variable is set)"
            )));
        }
        Ok(Secret(bytes))
    }

    /// The raw key bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// An HMAC-SHA256 state keyed with this secret.
    pub fn sha256(&self) -> Result<HmacSha256, KycError> {
        // HMAC takes keys of any length, so this never fails in practice.
        HmacSha256::new_from_slice(&self.0)
            .map_err(|_| KycError::invalid_argument("secret cannot key HMAC-SHA256"))
    }

    /// An HMAC-SHA1 state keyed with this secret.
    pub fn sha1(&self) -> Result<HmacSha1, KycError> {
        HmacSha1::new_from_slice(&self.0)
            .map_err(|_| KycError::invalid_argument("secret cannot key HMAC-SHA1"))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// The hex digit for the low four bits of `nibble`.
pub(crate) fn hex_digit(nibble: u8, upper: bool) -> char {
    let n = nibble & 0x0f;
    let base = if upper { b'A' } else { b'a' };
    char::from(if n < 10 { b'0' + n } else { base + n - 10 })
}

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(hex_digit(b >> 4, false));
        out.push(hex_digit(b, false));
    }
    out
}

/// Decodes hex of either case; `None` when it is not exactly `len` bytes of hex.
pub fn from_hex(text: &str, len: usize) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() != len * 2 {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    bytes
        .chunks_exact(2)
        .map(|pair| Some(nibble(*pair.first()?)? << 4 | nibble(*pair.get(1)?)?))
        .collect()
}

/// Base64 (standard alphabet, padded) of `bytes`.
pub fn to_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard padded base64; `None` on anything else.
pub fn from_base64(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// Checks `secrets` for a non-empty list, for key rotation.
pub fn require_secrets(secrets: &[Secret]) -> Result<(), KycError> {
    if secrets.is_empty() {
        return Err(KycError::invalid_argument(
            "secret list is empty: pass the webhook secret, or a list of current and previous secrets",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let s = Secret::new("hunter2", "secret").unwrap();
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert_eq!(
            Secret::new("", "apiSecret").unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
    }

    #[test]
    fn hex_round_trips_and_rejects_bad_lengths() {
        assert_eq!(to_hex(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(from_hex("00ABff", 3), Some(vec![0, 0xab, 0xff]));
        assert_eq!(from_hex("00ab", 3), None);
        assert_eq!(from_hex("zz", 1), None);
        assert_eq!(from_hex("é", 1), None);
    }
}
