//! Raw HMACs (`hmacSha256Hex`, `hmacSha1Base64`; full builds) and the byte plumbing that the Node build's
//! Token of Trust webhook functions share with them: reading strings and binary data into wasm without
//! wasm-bindgen's per-character string copy, streaming them through a reused scratch buffer, and (Node build)
//! handing large inputs to the host's native `node:crypto`. Compiled in the Node builds and the full browser
//! build; the lite browser build, whose size is budgeted, has neither the raw HMACs nor this plumbing.
//!
//! Every JavaScript call that touches caller data is a `catch` import, so that no exception unwinds through
//! wasm.

use std::cell::RefCell;

use hmac::Mac;
use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::codec;
use crate::error::KycError;
use crate::secret;
#[cfg(feature = "node")]
use crate::secret::Secret;
use crate::value::Limits;
#[cfg(feature = "node")]
use crate::webhook::tot::DIGEST_LEN;

use super::interop::type_name;

#[cfg(feature = "node")]
#[path = "native_hmac.rs"]
pub mod native_hmac;

#[cfg(feature = "full")]
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("hmac.d.ts");

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ArrayBuffer, js_name = isView)]
    fn is_view(value: &JsValue) -> bool;

    /// An `ArrayBuffer` view as the caller passed it: its getters may be user code, so each read is caught.
    type AnyView;
    #[wasm_bindgen(method, getter, catch)]
    fn buffer(this: &AnyView) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch, js_name = byteOffset)]
    fn byte_offset(this: &AnyView) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch, js_name = byteLength)]
    fn byte_length(this: &AnyView) -> Result<JsValue, JsValue>;

    // Constructors that throw on detached buffers and out-of-range views.
    #[wasm_bindgen(js_name = Uint8Array)]
    type FreshBytes;
    /// `new Uint8Array(buffer, byteOffset, byteLength)` with the values a view reported: the constructor
    /// converts them (`ToIndex`) and throws on anything out of range, inside the `catch`.
    #[wasm_bindgen(constructor, js_class = "Uint8Array", catch)]
    fn view(buffer: &JsValue, offset: &JsValue, length: &JsValue) -> Result<FreshBytes, JsValue>;
    #[wasm_bindgen(constructor, js_class = "Uint8Array", catch)]
    fn whole(buffer: &JsValue) -> Result<FreshBytes, JsValue>;
    /// The built-in getter of a view created here: always a number.
    #[wasm_bindgen(method, getter, js_name = byteLength)]
    fn fresh_len(this: &FreshBytes) -> f64;

    /// `Uint8Array.prototype.set.call(dst, src)`: copies `src` into wasm memory at `dst`.
    #[wasm_bindgen(js_namespace = Uint8Array, js_name = "prototype.set.call", catch)]
    pub(crate) fn copy_into(dst: &mut [u8], src: &JsValue) -> Result<(), JsValue>;
    /// `Uint8Array.prototype.subarray.call(src, start, end)`.
    #[wasm_bindgen(js_namespace = Uint8Array, js_name = "prototype.subarray.call", catch)]
    fn subarray(src: &JsValue, start: f64, end: f64) -> Result<JsValue, JsValue>;
}

// Node build only: faster text in and out of wasm. The browser build keeps to wasm-bindgen's own string copies
// (fewer imports and less code in the module that pages download).
#[cfg(feature = "node")]
#[wasm_bindgen]
extern "C" {
    type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder", catch)]
    fn new_encoder() -> Result<Utf8Encoder, JsValue>;
    #[wasm_bindgen(method, js_name = encodeInto, catch)]
    fn encode_into(
        this: &Utf8Encoder,
        text: &JsString,
        dst: &mut [u8],
    ) -> Result<Progress, JsValue>;
    /// `{read, written}` from `encodeInto`: a fresh object with data properties.
    type Progress;
    #[wasm_bindgen(method, getter)]
    fn read(this: &Progress) -> f64;
    #[wasm_bindgen(method, getter)]
    fn written(this: &Progress) -> f64;

    type Utf8Decoder;
    #[wasm_bindgen(constructor, js_class = "TextDecoder", catch)]
    fn new_decoder(label: &str, options: &JsValue) -> Result<Utf8Decoder, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn decode(this: &Utf8Decoder, bytes: &JsValue) -> Result<JsValue, JsValue>;
}

/// Bytes of scratch memory that inputs stream through: the largest piece copied into wasm at once.
const CHUNK: usize = 32 * 1024;

thread_local! {
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

#[cfg(feature = "node")]
thread_local! {
    static ENCODER: Option<Utf8Encoder> = Utf8Encoder::new_encoder().ok();
    /// `new TextDecoder("utf-8", {fatal: true})`: invalid UTF-8 throws instead of becoming U+FFFD.
    static DECODER: Option<Utf8Decoder> = {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"fatal".into(), &JsValue::TRUE);
        Utf8Decoder::new_decoder("utf-8", &options).ok()
    };
}

/// A string or binary argument, not yet copied into wasm.
pub enum Data<'a> {
    /// A JavaScript string (hashed as UTF-8; lone surrogates become U+FFFD, as `Buffer.from` does).
    Text {
        /// The caller's string.
        js: &'a JsString,
        /// Its length in UTF-16 code units.
        units: usize,
    },
    /// Binary data: a `Uint8Array` over exactly the caller's bytes (created here, so its getters are ours).
    Bytes {
        /// The view.
        js: Uint8Array,
        /// Its length in bytes.
        len: usize,
    },
}

/// What an argument turned out to be.
pub enum Arg<'a> {
    /// A string or binary data.
    Data(Data<'a>),
    /// Some other object (such as a body that middleware already parsed).
    Object,
    /// Anything else (`undefined`, a number, ...).
    Other,
}

fn unusable(path: &str) -> KycError {
    KycError::invalid_argument(format!("{path} is a detached or out-of-range buffer"))
}

/// What a view's getter returned, or `INVALID_ARGUMENT` if it threw.
fn view_prop(value: Result<JsValue, JsValue>, path: &str, what: &str) -> Result<JsValue, KycError> {
    value.map_err(|_| {
        KycError::invalid_argument(format!("reading {path}.{what} threw an exception"))
    })
}

fn fresh(bytes: Result<FreshBytes, JsValue>, path: &str) -> Result<Data<'static>, KycError> {
    let fresh = bytes.map_err(|_| unusable(path))?;
    let len = fresh.fresh_len() as usize;
    Ok(Data::Bytes {
        js: fresh.unchecked_into(),
        len,
    })
}

/// Classifies an argument. Binary data (any `ArrayBuffer` view, at its `byteOffset`/`byteLength`, or an
/// `ArrayBuffer`) becomes a fresh `Uint8Array` over the same memory: a detached buffer or a view whose getters
/// lie about its range is `INVALID_ARGUMENT`, as `new Uint8Array(buffer, byteOffset, byteLength)` throws.
/// With `limits`, a view's claimed length is checked against `max_body_bytes` before anything is built.
pub fn arg<'a>(
    value: &'a JsValue,
    path: &str,
    limits: Option<&Limits>,
) -> Result<Arg<'a>, KycError> {
    // Binary data first: in Node, bodies and messages are mostly Buffers.
    if is_view(value) {
        // The caller's own getters, each read once and in this order, as `interop::body_arg` reads them; their
        // values go to the constructor as they are (it converts them inside the `catch`).
        let view: &AnyView = value.unchecked_ref();
        let buffer = view_prop(view.buffer(), path, "buffer")?;
        let offset = view_prop(view.byte_offset(), path, "byteOffset")?;
        let length = view_prop(view.byte_length(), path, "byteLength")?;
        let mut claimed = None;
        if let Some(limits) = limits {
            claimed = length.as_f64();
            if let Some(claimed) = claimed {
                limits.check_body(claimed as usize)?;
            }
        }
        let bytes = FreshBytes::view(&buffer, &offset, &length).map_err(|_| unusable(path))?;
        // A whole number of bytes is exactly the length of the view built from it.
        let len = match claimed {
            Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 => n as usize,
            _ => bytes.fresh_len() as usize,
        };
        return Ok(Arg::Data(Data::Bytes {
            js: bytes.unchecked_into(),
            len,
        }));
    }
    if value.is_string() {
        let js: &JsString = value.unchecked_ref();
        let units = js.length() as usize;
        return Ok(Arg::Data(Data::Text { js, units }));
    }
    if value.is_instance_of::<js_sys::ArrayBuffer>() {
        return fresh(FreshBytes::whole(value), path).map(Arg::Data);
    }
    if value.is_object() {
        return Ok(Arg::Object);
    }
    Ok(Arg::Other)
}

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

impl Data<'_> {
    /// Whether this is the empty string or zero bytes.
    #[cfg(feature = "full")]
    pub fn is_empty(&self) -> bool {
        match self {
            Data::Text { units, .. } => *units == 0,
            Data::Bytes { len, .. } => *len == 0,
        }
    }

    /// The value to hand to a JavaScript API that takes a string or bytes.
    #[cfg(feature = "node")]
    pub fn js(&self) -> &JsValue {
        match self {
            Data::Text { js, .. } => js,
            Data::Bytes { js, .. } => js,
        }
    }

    /// Streams the bytes (UTF-8 for strings) through `sink`, at most [`CHUNK`] at a time. Returns the total.
    /// (`sink` is a `dyn`: one copy of the streaming code for every caller, which keeps the wasm small.)
    pub fn for_each_chunk(&self, sink: &mut dyn FnMut(&[u8])) -> Result<usize, KycError> {
        let in_scratch = SCRATCH
            .try_with(|scratch| {
                scratch
                    .try_borrow_mut()
                    .ok()
                    .map(|mut buf| self.stream(&mut buf, sink))
            })
            .ok()
            .flatten();
        match in_scratch {
            Some(result) => result,
            // Only if the scratch buffer were busy (it cannot be: nothing here re-enters).
            None => self.stream(&mut Vec::new(), sink),
        }
    }

    #[inline(never)]
    fn stream(&self, buf: &mut Vec<u8>, sink: &mut dyn FnMut(&[u8])) -> Result<usize, KycError> {
        if buf.len() < CHUNK {
            buf.resize(CHUNK, 0);
        }
        match self {
            Data::Text { js, units } => encode_chunks(js, *units, buf, sink),
            Data::Bytes { js, len } => copy_chunks(js, *len, buf, sink),
        }
    }

    /// All the bytes, in a new vector (for keys: the scratch buffer is wiped after).
    #[cfg(feature = "full")]
    pub fn to_vec(&self) -> Result<Vec<u8>, KycError> {
        if let Data::Text { js, units } = self {
            if short_text(*units) {
                return Ok(js.as_string().unwrap_or_default().into_bytes());
            }
        }
        let mut out = Vec::new();
        let mut failed = false;
        let copied = self.for_each_chunk(&mut |piece| {
            if out.try_reserve(piece.len()).is_ok() {
                out.extend_from_slice(piece);
            } else {
                failed = true;
            }
        });
        let _ = SCRATCH.try_with(|scratch| {
            if let Ok(mut buf) = scratch.try_borrow_mut() {
                let used = buf.len().min(out.len());
                if let Some(used) = buf.get_mut(..used) {
                    used.fill(0);
                }
            }
        });
        copied?;
        if failed {
            return Err(KycError::invalid_argument(
                "the key is too large to copy into memory",
            ));
        }
        Ok(out)
    }

    /// The length in bytes (UTF-8 for strings; counting a string encodes it once, in pieces).
    #[cfg(feature = "node")]
    pub fn byte_len(&self) -> Result<usize, KycError> {
        match self {
            Data::Bytes { len, .. } => Ok(*len),
            Data::Text { .. } => self.for_each_chunk(&mut |_| ()),
        }
    }

    /// Checks `limits.max_body_bytes` the way `interop::body_arg` does: for a string, its UTF-16 length first
    /// (a lower bound of its UTF-8 length), then its UTF-8 length when that could be over. Returns the length
    /// in bytes when known, else a lower bound that is within the limit.
    #[cfg(feature = "node")]
    pub fn check_body(&self, limits: &Limits) -> Result<usize, KycError> {
        match self {
            Data::Bytes { len, .. } => limits.check_body(*len).map(|()| *len),
            Data::Text { units, .. } => {
                limits.check_body(*units)?;
                if units.saturating_mul(3) <= limits.max_body_bytes {
                    return Ok(*units);
                }
                let len = self.byte_len()?;
                limits.check_body(len).map(|()| len)
            }
        }
    }
}

fn stream_error() -> KycError {
    KycError::invalid_argument("the string could not be encoded as UTF-8")
}

/// Strings up to this many UTF-16 units are copied with wasm-bindgen's own string copy (one call; it is a
/// JavaScript loop, ~1–4 ns per character); longer ones, in the Node build, with `TextEncoder.encodeInto`
/// straight into the scratch buffer (a few calls, then native speed). Both give the same UTF-8, lone
/// surrogates as U+FFFD. The browser build always uses the string copy.
const SHORT_TEXT: usize = 256;

/// Whether a string of `units` is copied with wasm-bindgen's string copy.
fn short_text(units: usize) -> bool {
    !cfg!(feature = "node") || units <= SHORT_TEXT
}

/// A string's UTF-8, piece by piece (`encodeInto` never splits a surrogate pair).
fn encode_chunks(
    js: &JsString,
    units: usize,
    buf: &mut [u8],
    sink: &mut dyn FnMut(&[u8]),
) -> Result<usize, KycError> {
    if units == 0 {
        return Ok(0);
    }
    #[cfg(not(feature = "node"))]
    let _ = buf;
    #[cfg(feature = "node")]
    if !short_text(units) {
        let encoded = ENCODER.try_with(|encoder| {
            encoder
                .as_ref()
                .map(|encoder| encode_pieces(encoder, js, units, buf, sink))
        });
        if let Ok(Some(result)) = encoded {
            return result;
        }
        // No TextEncoder (or no thread-local storage): the string copy below.
    }
    let text = js.as_string().unwrap_or_default();
    for piece in text.as_bytes().chunks(CHUNK) {
        sink(piece);
    }
    Ok(text.len())
}

#[cfg(feature = "node")]
fn encode_pieces(
    encoder: &Utf8Encoder,
    js: &JsString,
    units: usize,
    buf: &mut [u8],
    sink: &mut dyn FnMut(&[u8]),
) -> Result<usize, KycError> {
    let mut total = 0;
    let mut done = 0;
    let mut rest: Option<JsString> = None;
    loop {
        let piece = rest.as_ref().unwrap_or(js);
        let progress = encoder
            .encode_into(piece, buf)
            .map_err(|_| stream_error())?;
        // A string of at most len/3 units always fits: no need to ask how much was read.
        let (read, written) = if (units - done).saturating_mul(3) <= buf.len() {
            (units - done, progress.written() as usize)
        } else {
            (progress.read() as usize, progress.written() as usize)
        };
        let out = buf.get(..written).ok_or_else(stream_error)?;
        sink(out);
        total += written;
        done += read;
        if done >= units {
            return Ok(total);
        }
        if read == 0 {
            return Err(stream_error());
        }
        rest = Some(js.slice(done as u32, units as u32));
    }
}

/// Copies a view into wasm memory piece by piece.
fn copy_chunks(
    js: &Uint8Array,
    len: usize,
    buf: &mut [u8],
    sink: &mut dyn FnMut(&[u8]),
) -> Result<usize, KycError> {
    let failed = |_| KycError::invalid_argument("the binary data could not be read");
    let mut start = 0;
    while start < len {
        let end = len.min(start + CHUNK);
        let out = buf.get_mut(..end - start).ok_or_else(stream_error)?;
        if start == 0 && end == len {
            // Our own view of exactly `len` bytes (its length is an internal slot, not a getter): `set`
            // overwrites all of `out`.
            copy_into(out, js).map_err(failed)?;
        } else {
            // Zeroed first: should a tampered `Symbol.species` make the piece shorter, no earlier call's bytes
            // can show through.
            out.fill(0);
            let piece = subarray(js, start as f64, end as f64).map_err(failed)?;
            copy_into(out, &piece).map_err(failed)?;
        }
        sink(out);
        start = end;
    }
    Ok(len)
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

/// A webhook body: a string or binary data; a parsed object or anything else is `INVALID_ARGUMENT` with the
/// messages `interop::body_arg` gives.
#[cfg(feature = "node")]
pub fn body_data<'a>(
    value: &'a JsValue,
    path: &str,
    limits: Option<&Limits>,
) -> Result<Data<'a>, KycError> {
    match arg(value, path, limits)? {
        Arg::Data(data) => Ok(data),
        Arg::Object => Err(KycError::invalid_argument(format!(
            "{path} must be the raw body (string, Uint8Array or Buffer), not a parsed object: the signature covers \
             the exact bytes, and re-serialised JSON differs from them"
        ))),
        Arg::Other => Err(KycError::invalid_argument(format!(
            "{path} must be the raw request body (a string, Uint8Array or Buffer), got {}",
            type_name(value)
        ))),
    }
}

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
            .map(|s| native_hmac::sha1_digest(&Uint8Array::from(s.expose()), body.js()))
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

/// The text to `JSON.parse` once a body verified: the caller's own string (a copy without a leading BOM,
/// which the signature covers and `JSON.parse` refuses), or binary data decoded as strict UTF-8 (an invalid
/// sequence is `MALFORMED_BODY`; the decoder drops a leading BOM).
#[cfg(feature = "node")]
pub fn json_text(body: &Data) -> Result<JsValue, KycError> {
    match body {
        Data::Text { js, units } => {
            if *units > 0 && js.char_code_at(0) == f64::from(0xfeff) {
                return Ok(js.slice(1, *units as u32).into());
            }
            Ok(JsValue::clone(js))
        }
        Data::Bytes { js, .. } => {
            // Decoded in JavaScript, from the caller's memory.
            if let Ok(Some(Ok(text))) = DECODER.try_with(|d| d.as_ref().map(|d| d.decode(js))) {
                return Ok(text);
            }
            // Not UTF-8 (or no TextDecoder, or a text too long for the engine): decided in Rust, on a copy
            // whose memory is reserved up front (OUT_OF_MEMORY, not a trap, when there is none).
            let mut bytes = crate::error::try_vec::<u8>(body.byte_len()?)?;
            body.for_each_chunk(&mut |piece| bytes.extend_from_slice(piece))?;
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| KycError::malformed("the body is not valid UTF-8"))?;
            super::interop::js_text(text.strip_prefix('\u{feff}').unwrap_or(text))
        }
    }
}
