//! The one reader of JavaScript strings and binary data: [`arg`] classifies an argument (a string, any
//! `ArrayBuffer` view at its `byteOffset`/`byteLength`, an `ArrayBuffer`, some other object) without copying;
//! [`body_arg`] copies a webhook or form body in under [`Limits`]; [`js_text`] hands long text back. The
//! streaming of strings and bytes through a scratch buffer (for the HMACs) is in `bytes/stream.rs`.
//!
//! Every JavaScript call that touches caller data is a `catch` import, so that no exception unwinds through
//! wasm.

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::interop::type_name;
use crate::error::KycError;
use crate::value::Limits;

#[cfg(any(feature = "node", feature = "full"))]
mod stream;
#[cfg(feature = "node")]
pub(crate) use stream::copy_into;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ArrayBuffer, js_name = isView)]
    pub(crate) fn is_view(value: &JsValue) -> bool;

    /// An `ArrayBuffer` view as the caller passed it: its getters may be user code, so each read is caught.
    pub(crate) type AnyView;
    #[wasm_bindgen(method, getter, catch)]
    pub(crate) fn buffer(this: &AnyView) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch, js_name = byteOffset)]
    pub(crate) fn byte_offset(this: &AnyView) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch, js_name = byteLength)]
    pub(crate) fn byte_length(this: &AnyView) -> Result<JsValue, JsValue>;

    // Constructors that throw on detached buffers and out-of-range views.
    #[wasm_bindgen(js_name = Uint8Array)]
    type FreshBytes;
    /// `new Uint8Array(buffer, byteOffset, byteLength)` with the values a view reported: the constructor
    /// converts them (`ToIndex`) and throws on anything out of range, inside the `catch`.
    #[wasm_bindgen(constructor, js_class = "Uint8Array", catch)]
    fn view(buffer: &JsValue, offset: &JsValue, length: &JsValue) -> Result<FreshBytes, JsValue>;
    #[wasm_bindgen(constructor, js_class = "Uint8Array", catch)]
    fn whole(buffer: &JsValue) -> Result<FreshBytes, JsValue>;
    #[wasm_bindgen(constructor, js_class = "Uint8Array", catch)]
    fn zeroed(length: f64) -> Result<FreshBytes, JsValue>;
    /// The built-in getter of a view created here: always a number.
    #[wasm_bindgen(method, getter, js_name = byteLength)]
    fn fresh_len(this: &FreshBytes) -> f64;

    // Large strings cross as UTF-8 made in JavaScript, each step with `catch`: an allocation that fails there
    // is a RangeError to map, not a trap in wasm.
    type Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder", catch)]
    fn new_encoder() -> Result<Encoder, JsValue>;
    #[wasm_bindgen(method, catch, js_class = "TextEncoder", js_name = encode)]
    fn encode(this: &Encoder, text: &JsValue) -> Result<FreshBytes, JsValue>;
    type Decoder;
    #[wasm_bindgen(constructor, js_class = "TextDecoder", catch)]
    fn new_decoder() -> Result<Decoder, JsValue>;
    #[wasm_bindgen(method, catch, js_class = "TextDecoder", js_name = decode)]
    fn decode(this: &Decoder, bytes: &FreshBytes) -> Result<JsValue, JsValue>;
}

/// Bodies above this many bytes get the checks that only matter when memory is short: strings cross as
/// UTF-8 made in JavaScript, and [`HEADROOM`] times the body must be available before the work starts.
pub(crate) const LARGE: usize = 1 << 20;

/// The memory, in multiples of a large body, that parsing it may need besides the body itself (the decoded
/// pairs, the keys' index and the answer).
const HEADROOM: usize = 3;

pub(crate) fn out_of_memory(bytes: usize) -> KycError {
    KycError::OutOfMemory { bytes }
}

/// Copies a JavaScript `Uint8Array` into a new vector, refusing with `OUT_OF_MEMORY` rather than trapping.
fn copy_out(bytes: &Uint8Array) -> Result<Vec<u8>, KycError> {
    let len = bytes.length() as usize;
    let mut out = crate::error::try_vec::<u8>(len)?;
    out.resize(len, 0);
    bytes.copy_to(&mut out);
    if len > LARGE {
        crate::error::ensure_headroom(len.saturating_mul(HEADROOM))?;
    }
    Ok(out)
}

/// A large string's UTF-8, made by `TextEncoder` and checked against `limits` before it is copied in.
fn large_string(value: &JsValue, limits: &Limits) -> Result<String, KycError> {
    let units = value.unchecked_ref::<js_sys::JsString>().length() as usize;
    let bytes: Uint8Array = Encoder::new_encoder()
        .and_then(|e| e.encode(value))
        .map_err(|_| out_of_memory(units.saturating_mul(3)))?
        .unchecked_into();
    limits.check_body(bytes.length() as usize)?;
    // TextEncoder writes well-formed UTF-8 (a lone surrogate becomes U+FFFD, as with any string passed in).
    String::from_utf8(copy_out(&bytes)?)
        .map_err(|_| KycError::malformed("the body is not valid UTF-8"))
}

/// A JavaScript string of `text`; a large one is decoded in JavaScript with every step caught, so that a
/// string too long for the engine is `OUT_OF_MEMORY`, not an exception thrown through wasm.
pub fn js_text(text: &str) -> Result<JsValue, KycError> {
    if text.len() <= LARGE {
        return Ok(JsValue::from_str(text));
    }
    let fail = |_| out_of_memory(text.len());
    let bytes = FreshBytes::zeroed(text.len() as f64).map_err(fail)?;
    bytes
        .unchecked_ref::<Uint8Array>()
        .copy_from(text.as_bytes());
    Decoder::new_decoder()
        .and_then(|d| d.decode(&bytes))
        .map_err(fail)
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
        // The caller's own getters, each read once and in this order, as [`body_arg`] reads them; their
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
}

/// A body: raw bytes (`Uint8Array`, `Buffer`, `ArrayBuffer`), a string, or something else.
pub enum Body {
    /// Bytes copied out of a typed array or buffer.
    Bytes(Vec<u8>),
    /// A string, kept as the original JavaScript value too (to hand back to `JSON.parse` without a copy).
    Text(String, JsValue),
    /// Any other object, such as parameters that middleware already parsed.
    Object,
}

/// Reads a body, enforcing `max_body_bytes` before copying anything into wasm memory. Binary data is
/// classified by [`arg`], as the HMAC functions read it.
pub fn body_arg(value: &JsValue, limits: &Limits, path: &str) -> Result<Body, KycError> {
    match arg(value, path, Some(limits))? {
        Arg::Data(Data::Text { js, units }) => {
            // UTF-16 length is a lower bound on the UTF-8 length.
            limits.check_body(units)?;
            let text = if units.saturating_mul(3) > LARGE {
                large_string(value, limits)?
            } else {
                js.as_string().unwrap_or_default()
            };
            limits.check_body(text.len())?;
            Ok(Body::Text(text, value.clone()))
        }
        Arg::Data(Data::Bytes { js, len }) => {
            limits.check_body(len)?;
            copy_out(&js).map(Body::Bytes)
        }
        Arg::Object => Ok(Body::Object),
        Arg::Other => Err(KycError::invalid_argument(format!(
            "{path} must be the raw request body (a string, Uint8Array or Buffer), got {}",
            type_name(value)
        ))),
    }
}

/// A webhook body: a string or binary data; a parsed object or anything else is `INVALID_ARGUMENT` with the
/// messages [`body_arg`] gives.
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
            if let Ok(Some(Ok(text))) =
                stream::DECODER.try_with(|d| d.as_ref().map(|d| d.decode(js)))
            {
                return Ok(text);
            }
            // Not UTF-8 (or no TextDecoder, or a text too long for the engine): decided in Rust, on a copy
            // whose memory is reserved up front (OUT_OF_MEMORY, not a trap, when there is none).
            let mut bytes = crate::error::try_vec::<u8>(body.byte_len()?)?;
            body.for_each_chunk(&mut |piece| bytes.extend_from_slice(piece))?;
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| KycError::malformed("the body is not valid UTF-8"))?;
            js_text(text.strip_prefix('\u{feff}').unwrap_or(text))
        }
    }
}
