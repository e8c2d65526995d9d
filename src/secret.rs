//! Secrets and the HMACs keyed with them.
//!
//! A [`Secret`] never prints: its `Debug` is `Secret([redacted])`. Every comparison of a received signature
//! is constant-time (`hmac`'s `verify_slice`, or [`ct_eq`]).
//!
//! Keying HMAC costs two compressions (the key's ipad and opad blocks) before the first message byte. The
//! states after those are kept for the last [`CACHED_KEYS`] keys of each algorithm and cloned per message;
//! a key is looked up with a constant-time comparison against every cached key.

use std::cell::RefCell;
use std::fmt;
use std::thread::LocalKey;

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;

use crate::codec::ct_eq;
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
            return Err(empty_secret(what));
        }
        Ok(Secret(bytes))
    }

    /// The raw key bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// An HMAC-SHA256 state keyed with this secret (from the key cache when it holds this secret).
    pub fn sha256(&self) -> Result<HmacSha256, KycError> {
        keyed(&SHA256_KEYS, &self.0, "HMAC-SHA256")
    }

    /// An HMAC-SHA1 state keyed with this secret (from the key cache when it holds this secret).
    pub fn sha1(&self) -> Result<HmacSha1, KycError> {
        keyed(&SHA1_KEYS, &self.0, "HMAC-SHA1")
    }
}

/// How many pre-keyed states are kept per algorithm: enough for a rotation list (`[current, previous]`) and
/// a signing key used side by side, without thrashing.
pub const CACHED_KEYS: usize = 4;

/// Pre-keyed HMAC states of recently used keys, replaced round robin. The key bookkeeping is not generic
/// (one copy in the wasm for both algorithms); only the states are.
struct KeyCache<M> {
    keys: CachedKeys,
    states: Vec<M>,
}

/// The keys of a [`KeyCache`], slot by slot.
struct CachedKeys {
    keys: Vec<Vec<u8>>,
    next: usize,
}

impl CachedKeys {
    /// The slot holding `key`, comparing it with every cached key in constant time (per key of equal length).
    fn find(&self, key: &[u8]) -> Option<usize> {
        let mut found = None;
        for (i, cached) in self.keys.iter().enumerate() {
            if ct_eq(cached, key) {
                found = Some(i);
            }
        }
        found
    }

    /// Stores `key` and returns its slot: a new one while there is room, else the next in turn.
    fn insert(&mut self, key: &[u8]) -> usize {
        if self.keys.len() < CACHED_KEYS {
            self.keys.push(key.to_vec());
            return self.keys.len() - 1;
        }
        let slot = self.next;
        self.next = (self.next + 1) % CACHED_KEYS;
        if let Some(old) = self.keys.get_mut(slot) {
            // Best effort: overwrite the evicted key bytes before they are freed.
            old.fill(0);
            std::hint::black_box(&old);
            *old = key.to_vec();
        }
        slot
    }
}

impl<M: Clone> KeyCache<M> {
    const fn new() -> Self {
        KeyCache {
            keys: CachedKeys {
                keys: Vec::new(),
                next: 0,
            },
            states: Vec::new(),
        }
    }

    fn find(&self, key: &[u8]) -> Option<M> {
        self.keys
            .find(key)
            .and_then(|i| self.states.get(i))
            .cloned()
    }

    fn insert(&mut self, key: &[u8], mac: &M) {
        let slot = self.keys.insert(key);
        match self.states.get_mut(slot) {
            Some(state) => *state = mac.clone(),
            None => self.states.push(mac.clone()),
        }
    }
}

thread_local! {
    static SHA1_KEYS: RefCell<KeyCache<HmacSha1>> = const { RefCell::new(KeyCache::new()) };
    static SHA256_KEYS: RefCell<KeyCache<HmacSha256>> = const { RefCell::new(KeyCache::new()) };
}

/// A state keyed with `key`: a clone of the cached one, or a fresh one that is then cached.
fn keyed<M: Mac + KeyInit + Clone + 'static>(
    cache: &'static LocalKey<RefCell<KeyCache<M>>>,
    key: &[u8],
    name: &str,
) -> Result<M, KycError> {
    // `try_with`/`try_borrow`: the cache is an optimisation, never a reason to fail (or to panic).
    let hit = cache
        .try_with(|c| c.try_borrow().ok().and_then(|c| c.find(key)))
        .ok()
        .flatten();
    if let Some(mac) = hit {
        return Ok(mac);
    }
    // HMAC takes keys of any length, so this never fails in practice.
    let mac = <M as KeyInit>::new_from_slice(key)
        .map_err(|_| KycError::invalid_argument(format!("secret cannot key {name}")))?;
    let _ = cache.try_with(|c| {
        if let Ok(mut c) = c.try_borrow_mut() {
            c.insert(key, &mac);
        }
    });
    Ok(mac)
}

/// HMAC-SHA256 of `message` keyed with `key` (which must not be empty; `what` names it in that error).
pub fn hmac_sha256(key: &[u8], message: &[u8], what: &str) -> Result<[u8; 32], KycError> {
    let mut mac = keyed_sha256(key, what)?;
    mac.update(message);
    Ok(mac.finalize().into_bytes().into())
}

/// HMAC-SHA1 of `message` keyed with `key` (which must not be empty; `what` names it in that error).
pub fn hmac_sha1(key: &[u8], message: &[u8], what: &str) -> Result<[u8; 20], KycError> {
    let mut mac = keyed_sha1(key, what)?;
    mac.update(message);
    Ok(mac.finalize().into_bytes().into())
}

/// An HMAC-SHA256 state keyed with `key` (from the key cache), refusing an empty key like [`Secret::new`].
pub fn keyed_sha256(key: &[u8], what: &str) -> Result<HmacSha256, KycError> {
    non_empty_key(key, what)?;
    keyed(&SHA256_KEYS, key, "HMAC-SHA256")
}

/// An HMAC-SHA1 state keyed with `key` (from the key cache), refusing an empty key like [`Secret::new`].
pub fn keyed_sha1(key: &[u8], what: &str) -> Result<HmacSha1, KycError> {
    non_empty_key(key, what)?;
    keyed(&SHA1_KEYS, key, "HMAC-SHA1")
}

/// The `INVALID_ARGUMENT` that [`Secret::new`] gives for an empty key.
pub fn non_empty_key(key: &[u8], what: &str) -> Result<(), KycError> {
    if key.is_empty() {
        return Err(empty_secret(what));
    }
    Ok(())
}

fn empty_secret(what: &str) -> KycError {
    KycError::invalid_argument(format!(
        "{what} is empty: pass the secret from your provider dashboard (check the environment variable is set)"
    ))
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
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
    use crate::codec::to_hex;

    #[test]
    fn debug_never_shows_the_secret() {
        let s = Secret::new("hunter2", "secret").unwrap();
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert_eq!(
            Secret::new("", "apiSecret").unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
    }

    fn uncached_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key).unwrap();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    fn uncached_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
        let mut mac = <HmacSha1 as KeyInit>::new_from_slice(key).unwrap();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn known_answers() {
        // RFC 4231 test case 2 and RFC 2202 test case 2.
        assert_eq!(
            to_hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?", "key").unwrap()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            to_hex(&hmac_sha1(b"Jefe", b"what do ya want for nothing?", "key").unwrap()),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        let e = hmac_sha256(b"", b"x", "key").unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT");
        assert!(e.to_string().contains("key is empty"));
        assert_eq!(
            keyed_sha1(b"", "secret").unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
    }

    #[test]
    fn key_cache_never_mixes_keys() {
        let long = [7u8; 200]; // longer than the 64-byte block: HMAC hashes it first
        let mut long2 = long;
        long2[199] = 8;
        let mut keys: Vec<Vec<u8>> = vec![
            b"key-a".to_vec(),
            b"key-b".to_vec(), // differs from key-a in the last byte only
            b"key-".to_vec(),  // a prefix of both
            long.to_vec(),
            long2.to_vec(),
            [0u8; 64].to_vec(), // exactly one block
            [0u8; 65].to_vec(),
        ];
        // More keys than cache slots, in an order that hits, misses and evicts.
        keys.extend((0..CACHED_KEYS * 2).map(|i| format!("k{i}").into_bytes()));
        let messages: [&[u8]; 4] = [b"", b"m", &[1u8; 55], &[2u8; 1000]];
        for round in 0..3 {
            for (i, key) in keys.iter().enumerate() {
                for (j, message) in messages.iter().enumerate() {
                    let k = keys.get((i + j * round) % keys.len()).unwrap();
                    assert_eq!(
                        hmac_sha256(k, message, "key").unwrap(),
                        uncached_sha256(k, message)
                    );
                    assert_eq!(
                        hmac_sha1(k, message, "key").unwrap(),
                        uncached_sha1(k, message)
                    );
                    assert_eq!(
                        hmac_sha1(key, message, "key").unwrap(),
                        uncached_sha1(key, message)
                    );
                }
            }
        }
        // Secret's states come from the same cache.
        let s = Secret::new("key-b", "secret").unwrap();
        let mut mac = s.sha256().unwrap();
        mac.update(b"m");
        assert_eq!(
            <[u8; 32]>::from(mac.finalize().into_bytes()),
            uncached_sha256(b"key-b", b"m")
        );
    }
}
