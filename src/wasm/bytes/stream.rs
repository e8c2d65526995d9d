//! Strings and binary data streamed into wasm through a reused scratch buffer, [`CHUNK`] bytes at a time:
//! the HMACs hash inputs of any size without a copy of the whole (Node and full builds).

use std::cell::RefCell;

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;

use super::Data;
use crate::error::KycError;
#[cfg(feature = "node")]
use crate::value::Limits;

#[wasm_bindgen]
extern "C" {
    /// `Uint8Array.prototype.set.call(dst, src)`: copies `src` into wasm memory at `dst`.
    #[wasm_bindgen(js_namespace = Uint8Array, js_name = "prototype.set.call", catch)]
    pub(crate) fn copy_into(dst: &mut [u8], src: &JsValue) -> Result<(), JsValue>;
    /// `Uint8Array.prototype.subarray.call(src, start, end)`.
    #[wasm_bindgen(js_namespace = Uint8Array, js_name = "prototype.subarray.call", catch)]
    pub(super) fn subarray(src: &JsValue, start: f64, end: f64) -> Result<JsValue, JsValue>;
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

    pub(super) type Utf8Decoder;
    #[wasm_bindgen(constructor, js_class = "TextDecoder", catch)]
    fn new_decoder(label: &str, options: &JsValue) -> Result<Utf8Decoder, JsValue>;
    #[wasm_bindgen(method, catch)]
    pub(super) fn decode(this: &Utf8Decoder, bytes: &JsValue) -> Result<JsValue, JsValue>;
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
    pub(super) static DECODER: Option<Utf8Decoder> = {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"fatal".into(), &JsValue::TRUE);
        Utf8Decoder::new_decoder("utf-8", &options).ok()
    };
}

impl Data<'_> {
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

    /// Checks `limits.max_body_bytes` the way [`body_arg`](super::body_arg) does: for a string, its UTF-16 length first
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
