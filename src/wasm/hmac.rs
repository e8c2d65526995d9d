//! Raw HMACs (`hmacSha256Hex`, `hmacSha1Base64`; full builds) and the Node build's Token of Trust webhook
//! digests, over strings and binary data read by [`super::bytes`] and streamed through its scratch buffer;
//! (Node build) large inputs go to the host's native `node:crypto`. Compiled in the Node builds and the full
//! browser build; the lite browser build, whose size is budgeted, has neither.

use hmac::Mac;
use wasm_bindgen::prelude::*;

use crate::codec;
use crate::error::KycError;
use crate::secret;
#[cfg(feature = "node")]
use crate::secret::Secret;
#[cfg(feature = "node")]
use crate::webhook::tot::DIGEST_LEN;

#[cfg(feature = "node")]
use super::bytes::body_data;
use super::bytes::Data;
#[cfg(feature = "full")]
use super::bytes::{arg, Arg};
#[cfg(feature = "full")]
use super::interop::type_name;

#[cfg(feature = "node")]
#[path = "native_hmac.rs"]
pub mod native_hmac;

#[cfg(feature = "full")]
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("hmac.d.ts");

/// A key or message argument of the raw HMAC functions: a string or binary data, nothing else.
#[cfg(feature = "full")]
fn data_arg<'a>(value: &'a JsValue, path: &str) -> Result<Data<'a>, KycError> {
    match arg(value, path, None)? {
        Arg::Data(data) => Ok(data),
        Arg::Object | Arg::Other => Err(KycError::invalid_argument(format!(
            "{path} must be a string, Uint8Array, Buffer, ArrayBuffer or ArrayBuffer view, got {}",
            type_name(value)
        ))),
    }
}

/// A key of the raw HMAC functions. Keys are short and mostly strings: a string is copied into wasm in the
/// same call that tells it is one.
#[cfg(feature = "full")]
pub enum Key<'a> {
    /// A string key, with its UTF-8.
    Text(&'a JsValue, Vec<u8>),
    /// A binary key, not yet copied.
    Binary(Data<'a>),
}

#[cfg(feature = "full")]
fn key_arg<'a>(value: &'a JsValue, path: &str) -> Result<Key<'a>, KycError> {
    match value.as_string() {
        Some(text) => Ok(Key::Text(value, text.into_bytes())),
        None => data_arg(value, path).map(Key::Binary),
    }
}

#[cfg(feature = "full")]
impl Key<'_> {
    fn is_empty(&self) -> bool {
        match self {
            Key::Text(_, bytes) => bytes.is_empty(),
            Key::Binary(data) => data.is_empty(),
        }
    }

    /// The value to hand to `createHmac`.
    #[cfg(feature = "node")]
    fn js(&self) -> &JsValue {
        match self {
            Key::Text(js, _) => js,
            Key::Binary(data) => data.js(),
        }
    }

    fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, KycError> {
        match self {
            Key::Text(_, bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            Key::Binary(data) => data.to_vec().map(std::borrow::Cow::Owned),
        }
    }
}

/// The hash functions, for code that is the same for both.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Algorithm {
    /// HMAC-SHA1 (Token of Trust).
    Sha1,
    /// HMAC-SHA256 (OST).
    Sha256,
}

/// The output text of the raw HMAC functions.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Encoding {
    /// Lowercase hex.
    Hex,
    /// Standard padded base64.
    Base64,
}

/// The digest of `message` under `key` in wasm (the key's pre-keyed state comes from the cache), handed to
/// `out` as bytes.
fn wasm_digest<R>(
    algorithm: Algorithm,
    key: &[u8],
    message: &Data,
    what: &str,
    out: impl FnOnce(&[u8]) -> R,
) -> Result<R, KycError> {
    match algorithm {
        Algorithm::Sha1 => {
            let mut mac = secret::keyed_sha1(key, what)?;
            message.for_each_chunk(&mut |piece| mac.update(piece))?;
            Ok(out(&mac.finalize().into_bytes()))
        }
        Algorithm::Sha256 => {
            let mut mac = secret::keyed_sha256(key, what)?;
            message.for_each_chunk(&mut |piece| mac.update(piece))?;
            Ok(out(&mac.finalize().into_bytes()))
        }
    }
}

/// A digest as a JavaScript string (the crate's own hex and base64 encoders: no second copy of either in
/// the wasm).
#[cfg(feature = "full")]
fn encode(digest: &[u8], encoding: Encoding) -> JsValue {
    let text = match encoding {
        Encoding::Hex => codec::to_hex(digest),
        Encoding::Base64 => codec::to_base64(digest),
    };
    JsValue::from_str(&text)
}

/// The HMAC of `message` under `key` as text. `key_what` names the key in errors.
#[cfg(feature = "full")]
fn hmac_text(
    algorithm: Algorithm,
    encoding: Encoding,
    key: &Key,
    message: &Data,
    key_what: &str,
) -> Result<JsValue, KycError> {
    if key.is_empty() {
        // The same error as an empty secret anywhere else.
        secret::non_empty_key(&[], key_what)?;
    }
    #[cfg(feature = "node")]
    if native_hmac::prefers_native(algorithm, message) {
        if let Some(text) = native_hmac::hmac_text(algorithm, encoding, key.js(), message.js()) {
            return Ok(text);
        }
    }
    let key = key.bytes()?;
    wasm_digest(algorithm, &key, message, key_what, |digest| {
        encode(digest, encoding)
    })
}

#[cfg(feature = "full")]
fn raw_hmac(
    key: &JsValue,
    message: &JsValue,
    algorithm: Algorithm,
    encoding: Encoding,
) -> Result<JsValue, KycError> {
    let key = key_arg(key, "key")?;
    let message = data_arg(message, "message")?;
    hmac_text(algorithm, encoding, &key, &message, "key")
}

/// `hmacSha256Hex(key, message)`: lowercase hex HMAC-SHA256.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = hmacSha256Hex, skip_typescript)]
pub fn hmac_sha256_hex(key: &JsValue, message: &JsValue) -> Result<JsValue, KycError> {
    raw_hmac(key, message, Algorithm::Sha256, Encoding::Hex)
}

/// `hmacSha1Base64(key, message)`: base64 HMAC-SHA1.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = hmacSha1Base64, skip_typescript)]
pub fn hmac_sha1_base64(key: &JsValue, message: &JsValue) -> Result<JsValue, KycError> {
    raw_hmac(key, message, Algorithm::Sha1, Encoding::Base64)
}

// ------------------------------------------------------------------------------------------------------
// Token of Trust webhooks in the Node build (called from the `totWebhookSignature`/`verifyTotWebhook`
// exports in wasm.rs; the browser build keeps the shorter code that copies the body in).

/// `totWebhookSignature`: base64 HMAC-SHA1 of the body; `secret` is a string.
#[cfg(feature = "node")]
pub fn tot_signature(body: &JsValue, secret: &JsValue) -> Result<String, KycError> {
    let body = body_data(body, "body", None)?;
    let secret_js = secret;
    let secret = Secret::new(super::interop::string_arg(secret_js, "secret")?, "secret")?;
    if native_hmac::prefers_native(Algorithm::Sha1, &body) {
        // The caller's string: node:crypto keys with its UTF-8, as `Secret` holds it.
        let native =
            native_hmac::hmac_text(Algorithm::Sha1, Encoding::Base64, secret_js, body.js());
        if let Some(text) = native.and_then(|text| text.as_string()) {
            return Ok(text);
        }
    }
    wasm_digest(
        Algorithm::Sha1,
        secret.expose(),
        &body,
        "secret",
        codec::to_base64,
    )
}

/// The HMAC-SHA1 of `body` under each of `secrets`, in order: natively for large bodies in the Node build,
/// otherwise in one pass over the body in wasm, updating every secret's state.
#[cfg(feature = "node")]
pub fn sha1_digests(body: &Data, secrets: &[Secret]) -> Result<Vec<[u8; DIGEST_LEN]>, KycError> {
    if native_hmac::prefers_native(Algorithm::Sha1, body) {
        let native: Option<Vec<_>> = secrets
            .iter()
            .map(|s| native_hmac::sha1_digest(&js_sys::Uint8Array::from(s.expose()), body.js()))
            .collect();
        if let Some(digests) = native {
            return Ok(digests);
        }
    }
    let mut macs = secrets
        .iter()
        .map(Secret::sha1)
        .collect::<Result<Vec<_>, _>>()?;
    body.for_each_chunk(&mut |piece| macs.iter_mut().for_each(|mac| mac.update(piece)))?;
    Ok(macs
        .into_iter()
        .map(|mac| mac.finalize().into_bytes().into())
        .collect())
}
