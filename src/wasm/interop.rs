//! Every conversion between JavaScript values and the core's types, in one place.
//!
//! Nothing here trusts its input: getters may throw, proxies may lie, objects may be cyclic. Each walk is
//! bounded by [`Limits`] and every JavaScript call that can run user code is made with `catch`.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::bytes::{body_arg, is_view, js_text, out_of_memory, Body, LARGE};
use crate::error::KycError;
use crate::secret::Secret;
use crate::value::{Limits, Value};

/// The largest `maxDepth` a caller may set: deeper recursion could exhaust the wasm stack.
pub const HARD_MAX_DEPTH: usize = 512;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(target: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(target: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = String)]
    fn js_string(value: &JsValue) -> String;
    #[wasm_bindgen(js_namespace = Reflect, js_name = getPrototypeOf, catch)]
    fn prototype_of(target: &JsValue) -> Result<JsValue, JsValue>;

}

/// `Array.isArray(value)`, caught: a revoked proxy throws.
pub fn is_array_checked(value: &JsValue, path: &str) -> Result<bool, KycError> {
    is_array(value).map_err(|_| {
        KycError::invalid_argument(format!("{path} could not be inspected (revoked proxy?)"))
    })
}

/// `Object.keys(value)` as strings, caught: a proxy's `ownKeys` trap may throw.
pub fn object_keys_checked(value: &JsValue, path: &str) -> Result<Vec<String>, KycError> {
    let keys = object_keys(value).map_err(|_| {
        KycError::invalid_argument(format!("listing the keys of {path} threw an exception"))
    })?;
    Ok(keys
        .iter()
        .map(|k| k.as_string().unwrap_or_default())
        .collect())
}

/// Reads `list[i]` for `i < list.length`, with every access caught.
pub fn array_items(list: &JsValue, path: &str) -> Result<Vec<JsValue>, KycError> {
    let length = get(list, "length", path)?.as_f64().unwrap_or(0.0);
    if !(0.0..=65_536.0).contains(&length) {
        return Err(KycError::invalid_argument(format!(
            "{path} has an unusable length"
        )));
    }
    (0..length as u32)
        .map(|i| {
            Reflect::get_u32(list, i).map_err(|_| {
                KycError::invalid_argument(format!("reading {path}[{i}] threw an exception"))
            })
        })
        .collect()
}

/// Turns a [`KycError`] into a real JavaScript `Error` with `name === "KycError"` and a stable `code`.
pub fn to_js_error(error: KycError) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("KycError");
    // Setting data properties on a fresh Error cannot fail.
    let _ = Reflect::set(&js, &"code".into(), &error.code().into());
    if let Some(status) = error.status() {
        let _ = Reflect::set(&js, &"status".into(), &status.into());
    }
    for (key, value) in error.details() {
        let _ = Reflect::set(&js, &key.into(), &value.into());
    }
    if let KycError::Api {
        code,
        msg,
        internal_id,
        ..
    } = &error
    {
        // The server's own `err` object, as documented: {code, msg, internal_id}.
        let err = Object::new();
        let _ = Reflect::set(&err, &"code".into(), &code.into());
        let _ = Reflect::set(&err, &"msg".into(), &msg.into());
        let _ = Reflect::set(&err, &"internal_id".into(), &internal_id.into());
        let _ = Reflect::set(&js, &"err".into(), &err);
    }
    js.into()
}

/// Every export returns `Result<_, KycError>` and uses `?`: wasm-bindgen throws the error through this.
impl From<KycError> for JsValue {
    fn from(error: KycError) -> JsValue {
        to_js_error(error)
    }
}

/// Reads `target[key]`; a throwing getter becomes `INVALID_ARGUMENT` naming `path`.
///
/// `key` is one of the crate's own property names (options, fields): their JavaScript strings are made once
/// and kept, since creating one costs more than the property read itself. [`get_dyn`] reads caller keys.
pub fn get(target: &JsValue, key: &'static str, path: &str) -> Result<JsValue, KycError> {
    if !target.is_object() && !target.is_function() {
        return Ok(JsValue::UNDEFINED);
    }
    let read = PROPERTY_NAMES
        .try_with(|names| {
            let mut names = names.try_borrow_mut().ok()?;
            if let Some((_, js)) = names.iter().find(|(name, _)| *name == key) {
                return Some(Reflect::get(target, js));
            }
            let js = JsValue::from_str(key);
            let read = Reflect::get(target, &js);
            names.push((key, js));
            Some(read)
        })
        .ok()
        .flatten();
    read.unwrap_or_else(|| Reflect::get(target, &JsValue::from_str(key)))
        .map_err(|_| KycError::invalid_argument(format!("reading {path}.{key} threw an exception")))
}

/// [`get`] for a key that is not one of the crate's own names (no caching).
pub fn get_dyn(target: &JsValue, key: &str, path: &str) -> Result<JsValue, KycError> {
    if !target.is_object() && !target.is_function() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(target, &JsValue::from_str(key))
        .map_err(|_| KycError::invalid_argument(format!("reading {path}.{key} threw an exception")))
}

thread_local! {
    /// JavaScript strings of the property names [`get`] has read: a fixed set, the crate's own literals.
    static PROPERTY_NAMES: std::cell::RefCell<Vec<(&'static str, JsValue)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Describes a JavaScript value's type for error messages, without its contents.
pub fn type_name(value: &JsValue) -> &'static str {
    if value.is_undefined() {
        "undefined"
    } else if value.is_null() {
        "null"
    } else if value.is_string() {
        "a string"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_bigint() {
        "a bigint"
    } else if value.is_symbol() {
        "a symbol"
    } else if value.is_function() {
        "a function"
    } else if is_array(value).unwrap_or(false) {
        "an array"
    } else {
        "an object"
    }
}

/// A required string argument.
pub fn string_arg(value: &JsValue, path: &str) -> Result<String, KycError> {
    value.as_string().ok_or_else(|| {
        KycError::invalid_argument(format!("{path} must be a string, got {}", type_name(value)))
    })
}

/// An optional number option: `undefined`/`null` are `None`.
pub fn number_opt(value: &JsValue, path: &str) -> Result<Option<f64>, KycError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_f64().map(Some).ok_or_else(|| {
        KycError::invalid_argument(format!("{path} must be a number, got {}", type_name(value)))
    })
}

/// `secret: string | string[]`, each non-empty.
pub fn secrets_arg(value: &JsValue, path: &str) -> Result<Vec<Secret>, KycError> {
    if let Some(s) = value.as_string() {
        return Ok(vec![Secret::new(s, path)?]);
    }
    if is_array(value).unwrap_or(false) {
        let mut out = Vec::new();
        for (i, item) in array_items(value, path)?.into_iter().enumerate() {
            let s = item.as_string().ok_or_else(|| {
                KycError::invalid_argument(format!(
                    "{path}[{i}] must be a string, got {}",
                    type_name(&item)
                ))
            })?;
            out.push(Secret::new(s, &format!("{path}[{i}]"))?);
        }
        return Ok(out);
    }
    Err(KycError::invalid_argument(format!(
        "{path} must be a string or an array of strings, got {}",
        type_name(value)
    )))
}

fn limit_opt(
    options: &JsValue,
    key: &'static str,
    default: usize,
    cap: usize,
) -> Result<usize, KycError> {
    let value = get(options, key, "options")?;
    if value.is_undefined() || value.is_null() {
        return Ok(default);
    }
    match number_opt(&value, &format!("options.{key}"))? {
        None => Ok(default),
        Some(n) if n.is_finite() && n >= 1.0 && n.fract() == 0.0 && n <= cap as f64 => {
            Ok(n as usize)
        }
        Some(_) => Err(KycError::invalid_argument(format!(
            "options.{key} must be a whole number from 1 to {cap}"
        ))),
    }
}

/// Reads `maxBodyBytes`, `maxDepth`, `maxParams` and `maxKeyBytes` from an options object.
pub fn limits_opt(options: &JsValue) -> Result<Limits, KycError> {
    let d = Limits::default();
    Ok(Limits {
        max_body_bytes: limit_opt(options, "maxBodyBytes", d.max_body_bytes, 1 << 30)?,
        max_depth: limit_opt(options, "maxDepth", d.max_depth, HARD_MAX_DEPTH)?,
        max_params: limit_opt(options, "maxParams", d.max_params, 1 << 24)?,
        max_key_bytes: limit_opt(options, "maxKeyBytes", d.max_key_bytes, 1 << 20)?,
    })
}

/// An OST webhook body as the core takes it: raw form bytes, or parameters (JSON text, or an object that
/// middleware already parsed).
pub enum OstInput {
    /// `application/x-www-form-urlencoded` bytes, verified as they are.
    Raw(Vec<u8>),
    /// Parameters, verified by re-canonicalising.
    Params(Value),
}

/// Reads an OST webhook body: form bytes unless `json` (the request's content type said JSON); an object is
/// parameters that middleware already parsed. A leading byte-order mark is dropped before JSON is parsed.
pub fn ost_body_as(body: &JsValue, limits: &Limits, json: bool) -> Result<OstInput, KycError> {
    let from_json = |text: &str| {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        to_value_redacted(&parse_json(&js_text(text)?)?, limits, "body").map(OstInput::Params)
    };
    match body_arg(body, limits, "body")? {
        Body::Text(text, _) if json => from_json(&text),
        Body::Text(text, _) => Ok(OstInput::Raw(text.into_bytes())),
        Body::Bytes(bytes) if json => from_json(
            std::str::from_utf8(&bytes)
                .map_err(|_| KycError::malformed("the JSON body is not UTF-8"))?,
        ),
        Body::Bytes(bytes) => Ok(OstInput::Raw(bytes)),
        Body::Object => to_value_redacted(body, limits, "body").map(OstInput::Params),
    }
}

/// `JSON.parse` of a string value; a syntax error becomes `MALFORMED_BODY`.
pub fn parse_json(text: &JsValue) -> Result<JsValue, KycError> {
    json_parse(text).map_err(|_| KycError::malformed("the body is not valid JSON"))
}

/// Converts a JavaScript value to a [`Value`], bounded by `limits`.
///
/// Coercions: `undefined` object properties are skipped (as `JSON.stringify` does) and `undefined` array
/// items become `null`; a `bigint` becomes its decimal string. Symbols, functions, `Date`, `Map` and the
/// like are refused with `INVALID_ARGUMENT` naming the path.
pub fn to_value(value: &JsValue, limits: &Limits, path: &str) -> Result<Value, KycError> {
    let mut walker = Walker {
        limits,
        nodes: 0,
        text: 0,
        redact: false,
    };
    walker.convert(value, &Path::Root(path), 0)
}

/// [`to_value`] for a request body: error messages give an entry's position, never its key (body content).
pub fn to_value_redacted(value: &JsValue, limits: &Limits, path: &str) -> Result<Value, KycError> {
    let mut walker = Walker {
        limits,
        nodes: 0,
        text: 0,
        redact: true,
    };
    walker.convert(value, &Path::Root(path), 0)
}

/// Where the walker is, written out only when an error names it (building the text for every node was a
/// large part of the cost of a conversion).
#[derive(Clone, Copy)]
enum Path<'a> {
    Root(&'a str),
    Index(&'a Path<'a>, u32),
    Key(&'a Path<'a>, &'a str),
    /// An object entry named by its position only.
    Entry(&'a Path<'a>, usize),
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Entry(parent, i) => write!(f, "{parent} (entry {i})"),
        }
    }
}

struct Walker<'a> {
    limits: &'a Limits,
    nodes: usize,
    /// UTF-16 units of every string and key seen so far: one budget for the whole value.
    text: usize,
    /// Whether keys stay out of error messages.
    redact: bool,
}

impl Walker<'_> {
    fn spend_text(&mut self, units: usize) -> Result<(), KycError> {
        self.text = self.text.saturating_add(units);
        self.limits.check_body(self.text)
    }

    fn count(&mut self) -> Result<(), KycError> {
        self.nodes += 1;
        if self.nodes > self.limits.max_params {
            return Err(KycError::TooManyParams {
                limit: self.limits.max_params,
            });
        }
        Ok(())
    }

    fn convert(&mut self, value: &JsValue, path: &Path, depth: usize) -> Result<Value, KycError> {
        self.count()?;
        if value.is_null() || value.is_undefined() {
            return Ok(Value::Null);
        }
        if let Some(b) = value.as_bool() {
            return Ok(Value::Bool(b));
        }
        if let Some(n) = value.as_f64() {
            return Ok(Value::Number(n));
        }
        if value.is_string() {
            let js: &js_sys::JsString = value.unchecked_ref();
            self.spend_text(js.length() as usize)?;
            return Ok(Value::String(value.as_string().unwrap_or_default()));
        }
        if value.is_bigint() {
            return Ok(Value::String(js_string(value)));
        }
        if value.is_symbol() || value.is_function() {
            return Err(KycError::invalid_argument(format!(
                "{path} is {}, which has no query or JSON form",
                type_name(value)
            )));
        }
        if depth >= self.limits.max_depth {
            return Err(KycError::TooDeep {
                limit: self.limits.max_depth,
            });
        }
        let array = is_array(value).map_err(|_| {
            KycError::invalid_argument(format!("{path} could not be inspected (revoked proxy?)"))
        })?;
        if array {
            let length = Reflect::get(value, &JsValue::from_str("length"))
                .ok()
                .and_then(|n| n.as_f64())
                .ok_or_else(|| {
                    KycError::invalid_argument(format!(
                        "{path}.length could not be read as a number"
                    ))
                })?;
            if length > self.limits.max_params as f64 {
                return Err(KycError::TooManyParams {
                    limit: self.limits.max_params,
                });
            }
            let mut items = Vec::with_capacity(length as usize);
            for i in 0..length as u32 {
                let item = Reflect::get_u32(value, i).map_err(|_| {
                    KycError::invalid_argument(format!("reading {path}[{i}] threw an exception"))
                })?;
                items.push(self.convert(&item, &Path::Index(path, i), depth + 1)?);
            }
            return Ok(Value::Array(items));
        }
        // `instanceof` runs a proxy's getPrototypeOf trap; probe it once with `catch` first.
        prototype_of(value).map_err(|_| {
            KycError::invalid_argument(format!(
                "{path} could not be inspected (its prototype trap threw)"
            ))
        })?;
        for (class, name) in [
            (
                value.is_instance_of::<js_sys::Date>(),
                "a Date (pass date.toISOString() or Unix seconds)",
            ),
            (
                value.is_instance_of::<js_sys::Map>(),
                "a Map (pass Object.fromEntries(map))",
            ),
            (
                value.is_instance_of::<js_sys::Set>(),
                "a Set (pass [...set])",
            ),
            (
                is_view(value) || value.is_instance_of::<js_sys::ArrayBuffer>(),
                "binary data",
            ),
        ] {
            if class {
                return Err(KycError::invalid_argument(format!("{path} is {name}")));
            }
        }
        let keys = object_keys(value).map_err(|_| {
            KycError::invalid_argument(format!("listing the keys of {path} threw an exception"))
        })?;
        if keys.length() as usize > self.limits.max_params {
            return Err(KycError::TooManyParams {
                limit: self.limits.max_params,
            });
        }
        let mut entries = Vec::with_capacity(keys.length() as usize);
        for (i, key_js) in keys.iter().enumerate() {
            let key = key_js.as_string().unwrap_or_default();
            self.spend_text(key.len())?;
            if key.len() > self.limits.max_key_bytes {
                return Err(KycError::invalid_argument(format!(
                    "a key of {path} is {} bytes long, over the {}-byte limit (maxKeyBytes)",
                    key.len(),
                    self.limits.max_key_bytes
                )));
            }
            let child_path = if self.redact {
                Path::Entry(path, i)
            } else {
                Path::Key(path, &key)
            };
            // The key as Object.keys returned it: no second copy of it out of wasm.
            let item = Reflect::get(value, &key_js).map_err(|_| {
                KycError::invalid_argument(format!("reading {child_path} threw an exception"))
            })?;
            if item.is_undefined() {
                continue;
            }
            let child = self.convert(&item, &child_path, depth + 1)?;
            entries.push((key, child));
        }
        Ok(Value::Object(entries))
    }
}

/// Converts a [`Value`] to a plain JavaScript value (objects, arrays, strings, numbers, booleans, `null`).
///
/// The value is written as JSON text in wasm and handed to `JSON.parse` in one crossing: one string decode
/// instead of one per key and string, and no `Reflect.set` call per entry. `JSON.parse` gives the same
/// result as building the objects one property at a time (insertion order, the last duplicate key wins in
/// the first one's place, `__proto__` an own data property, `-0` kept). Should the text ever be refused, the
/// value is built property by property instead.
pub fn from_value(value: &Value) -> JsValue {
    let mut text = String::new();
    if write_json(value, &mut text) {
        if let Ok(parsed) = json_parse(&JsValue::from_str(&text)) {
            return parsed;
        }
    }
    from_value_walk(value)
}

/// [`from_value`] for an answer as large as a body: the JSON text is measured first and its memory reserved
/// with `OUT_OF_MEMORY` on failure, and a large text crosses to JavaScript with every step caught.
pub fn try_from_value(value: &Value) -> Result<JsValue, KycError> {
    let Some(len) = json_len(value) else {
        return Ok(from_value_walk(value));
    };
    if len <= LARGE {
        return Ok(from_value(value));
    }
    let mut text = String::new();
    text.try_reserve_exact(len)
        .map_err(|_| out_of_memory(len))?;
    write_json(value, &mut text);
    let js = js_text(&text)?;
    drop(text);
    json_parse(&js).map_err(|_| out_of_memory(len))
}

/// The length of [`write_json`]'s text for `value`; `None` when it holds a number JSON cannot write.
fn json_len(value: &Value) -> Option<usize> {
    let string_len = |s: &str| {
        2 + s
            .bytes()
            .map(|b| match b {
                b'"' | b'\\' => 2,
                0..=0x1f => 6,
                _ => 1,
            })
            .sum::<usize>()
    };
    Some(match value {
        Value::Null => 4,
        Value::Bool(b) => {
            if *b {
                4
            } else {
                5
            }
        }
        Value::Number(n) if !n.is_finite() => return None,
        Value::Number(n) if *n == 0.0 && n.is_sign_negative() => 2,
        Value::Number(n) => ryu_js::Buffer::new().format_finite(*n).len(),
        Value::String(s) => string_len(s),
        Value::Array(items) => {
            let mut len = 2 + items.len().saturating_sub(1);
            for item in items {
                len += json_len(item)?;
            }
            len
        }
        Value::Object(entries) => {
            let mut len = 2 + entries.len().saturating_sub(1);
            for (key, item) in entries {
                len += string_len(key) + 1 + json_len(item)?;
            }
            len
        }
    })
}

/// Appends `value` as JSON; `false` (and a partial text) when it holds a number JSON cannot write.
fn write_json(value: &Value, out: &mut String) -> bool {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if !n.is_finite() => return false,
        Value::Number(n) if *n == 0.0 && n.is_sign_negative() => out.push_str("-0"),
        Value::Number(n) => out.push_str(ryu_js::Buffer::new().format_finite(*n)),
        Value::String(s) => write_json_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !write_json(item, out) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Object(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(key, out);
                out.push(':');
                if !write_json(item, out) {
                    return false;
                }
            }
            out.push('}');
        }
    }
    true
}

/// Appends `s` as a JSON string literal: quotes, backslashes and control characters escaped.
fn write_json_string(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, byte) in s.bytes().enumerate() {
        if byte >= 0x20 && byte != b'"' && byte != b'\\' {
            continue;
        }
        out.push_str(s.get(start..i).unwrap_or_default());
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            _ => {
                out.push_str("\\u00");
                for nibble in [byte >> 4, byte & 15] {
                    out.extend(char::from_digit(u32::from(nibble), 16));
                }
            }
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// [`from_value`] one property at a time.
fn from_value_walk(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(*n),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(from_value_walk).collect::<Array>().into(),
        Value::Object(entries) => {
            let object = Object::new();
            for (key, item) in entries {
                set_property(&object, key, &from_value_walk(item));
            }
            object.into()
        }
    }
}

/// Sets an own data property, even for `__proto__` (which plain assignment would treat as the prototype).
pub fn set_property(object: &Object, key: &str, value: &JsValue) {
    let key_js = JsValue::from_str(key);
    if key == "__proto__" {
        let descriptor = Object::new();
        for (k, v) in [
            ("value", value.clone()),
            ("enumerable", true.into()),
            ("writable", true.into()),
            ("configurable", true.into()),
        ] {
            let _ = Reflect::set(&descriptor, &k.into(), &v);
        }
        Object::define_property(object, &key_js, &descriptor);
    } else {
        // A fresh plain object has no setters or frozen state, so this cannot fail.
        let _ = Reflect::set(object, &key_js, value);
    }
}
