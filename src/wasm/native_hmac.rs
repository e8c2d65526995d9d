//! Node build only: HMACs of large inputs through the host's native `node:crypto` (OpenSSL, with SHA-NI),
//! which hashes a JavaScript string or `Uint8Array` where it is, with no copy into wasm.
//!
//! `node:crypto` is loaded lazily with the CommonJS `require` of the generated glue (the Node build is
//! CommonJS); if it cannot be loaded, or a call throws, the caller falls back to the wasm implementation.
//! Every call is a `catch` import. Which inputs go native is decided by [`prefers_native`], from measured
//! crossovers (see the constants).

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{Algorithm, Encoding};
use crate::wasm::bytes::{copy_into, AnyView, Data};
use crate::webhook::tot::DIGEST_LEN;

#[wasm_bindgen]
extern "C" {
    /// The glue module's own `require` (the nodejs target is CommonJS).
    #[wasm_bindgen(js_name = require, catch)]
    fn node_require(id: &str) -> Result<NodeCrypto, JsValue>;

    type NodeCrypto;
    #[wasm_bindgen(method, catch, js_name = createHmac)]
    fn create_hmac(
        this: &NodeCrypto,
        algorithm: &JsValue,
        key: &JsValue,
    ) -> Result<NodeHmac, JsValue>;

    type NodeHmac;
    #[wasm_bindgen(method, catch)]
    fn update(this: &NodeHmac, data: &JsValue) -> Result<NodeHmac, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn digest(this: &NodeHmac, encoding: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = digest)]
    fn digest_buffer(this: &NodeHmac) -> Result<Uint8Array, JsValue>;
}

/// `node:crypto` and the argument strings it is called with, created once.
struct Native {
    crypto: NodeCrypto,
    sha1: JsValue,
    sha256: JsValue,
    hex: JsValue,
    base64: JsValue,
}

thread_local! {
    static NATIVE: Option<Native> = node_require("node:crypto").ok().and_then(|crypto| {
        // A module without createHmac (a stub, a polyfill) is as good as none.
        let has_hmac = js_sys::Reflect::get(&crypto, &"createHmac".into())
            .map(|f| f.is_function())
            .unwrap_or(false);
        has_hmac.then(|| Native {
            crypto,
            sha1: "sha1".into(),
            sha256: "sha256".into(),
            hex: "hex".into(),
            base64: "base64".into(),
        })
    });
}

// Crossovers: from these sizes up, node:crypto's fixed cost per call (about 3–4 µs through wasm: createHmac,
// update, digest) is repaid by hashing at ~1 ns/byte (SHA-NI) instead of ~2.5 (SHA-1) or ~6 (SHA-256) in wasm.
// Measured on the Node build (Node 20, x64) with each path forced in turn, interleaved, best of 21–31 rounds,
// µs wasm/native: SHA-1 bytes 1024: 4.6/6.1, 1536: 5.0/4.8, 2048: 9.4/7.4; SHA-1 ASCII 1024: 3.5/4.3,
// 1536: 4.4/5.1, 2048: 5.2/5.1; SHA-1 two-byte text 512: 8.1/9.0, 768: 10.5/10.4; SHA-256 bytes 256: 6.1/6.5,
// 384: 7.0/5.7; SHA-256 ASCII 128: 2.8/3.3, 256: 3.8/3.4. String thresholds count UTF-16 units (the UTF-8
// length would take a pass over the string), so SHA-1's sits between the ASCII and the multi-byte crossovers.
/// HMAC-SHA1, binary input: bytes.
pub const SHA1_BYTES_MIN: usize = 1536;
/// HMAC-SHA1, string input: UTF-16 code units.
pub const SHA1_TEXT_MIN: usize = 1280;
/// HMAC-SHA256, binary input: bytes.
pub const SHA256_BYTES_MIN: usize = 384;
/// HMAC-SHA256, string input: UTF-16 code units.
pub const SHA256_TEXT_MIN: usize = 256;

/// Whether `message` is large enough for the native path to be faster.
pub fn prefers_native(algorithm: Algorithm, message: &Data) -> bool {
    let (size, min) = match (algorithm, message) {
        (Algorithm::Sha1, Data::Bytes { len, .. }) => (*len, SHA1_BYTES_MIN),
        (Algorithm::Sha1, Data::Text { units, .. }) => (*units, SHA1_TEXT_MIN),
        (Algorithm::Sha256, Data::Bytes { len, .. }) => (*len, SHA256_BYTES_MIN),
        (Algorithm::Sha256, Data::Text { units, .. }) => (*units, SHA256_TEXT_MIN),
    };
    size >= min
}

fn with_native<T>(f: impl FnOnce(&Native) -> Option<T>) -> Option<T> {
    NATIVE.try_with(|n| n.as_ref().and_then(f)).ok().flatten()
}

fn keyed(
    native: &Native,
    algorithm: Algorithm,
    key: &JsValue,
    message: &JsValue,
) -> Option<NodeHmac> {
    let name = match algorithm {
        Algorithm::Sha1 => &native.sha1,
        Algorithm::Sha256 => &native.sha256,
    };
    let hmac = native.crypto.create_hmac(name, key).ok()?;
    hmac.update(message).ok()
}

/// `createHmac(algorithm, key).update(message).digest(encoding)`, or `None` when node:crypto is missing or
/// threw. `key` and `message` are strings or `Uint8Array`s.
pub fn hmac_text(
    algorithm: Algorithm,
    encoding: Encoding,
    key: &JsValue,
    message: &JsValue,
) -> Option<JsValue> {
    with_native(|native| {
        let encoding = match encoding {
            Encoding::Hex => &native.hex,
            Encoding::Base64 => &native.base64,
        };
        let text = keyed(native, algorithm, key, message)?
            .digest(encoding)
            .ok()?;
        text.is_string().then_some(text)
    })
}

/// The raw HMAC-SHA1 of `message` under `key`, copied into wasm for a constant-time comparison there.
pub fn sha1_digest(key: &JsValue, message: &JsValue) -> Option<[u8; DIGEST_LEN]> {
    with_native(|native| {
        let digest = keyed(native, Algorithm::Sha1, key, message)?
            .digest_buffer()
            .ok()?;
        let len = digest
            .unchecked_ref::<AnyView>()
            .byte_length()
            .ok()?
            .as_f64()?;
        if len != DIGEST_LEN as f64 {
            return None;
        }
        let mut out = [0u8; DIGEST_LEN];
        copy_into(&mut out, digest.unchecked_ref()).ok()?;
        Some(out)
    })
}
