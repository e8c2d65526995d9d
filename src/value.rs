//! A JSON-like value that keeps object keys in insertion order, and the limits that bound it.
//!
//! Order matters: the Rails query encoding sorts chunks at object levels but keeps the order of everything
//! under an array, so the order a caller wrote must survive until encoding.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::KycError;

/// A parameter tree: what a JavaScript object, a JSON document or a Rack-parsed query holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`; encodes as `key=`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A finite number, written the way JavaScript writes it.
    Number(f64),
    /// A string.
    String(String),
    /// An array; its order is kept.
    Array(Vec<Value>),
    /// An object; its entries keep insertion order.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// Names this value's type for messages ("a string", "an object", ...), never its contents.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// The entry named `key`, when this is an object that has it. The last duplicate wins, as in JavaScript.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string inside, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, when this is an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// Builds a string value.
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// How deep this value nests: a scalar is 0, `{a: 1}` is 1.
    pub fn depth(&self) -> usize {
        // Iterative, so that a hostile value can never exhaust the stack here.
        let mut max = 0;
        let mut stack: Vec<(&Value, usize)> = vec![(self, 0)];
        while let Some((v, d)) = stack.pop() {
            max = max.max(d);
            match v {
                Value::Array(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
                Value::Object(entries) => stack.extend(entries.iter().map(|(_, i)| (i, d + 1))),
                _ => {}
            }
        }
        max
    }
}

/// Writes `n` exactly as JavaScript's `String(n)` does. Non-finite numbers are the caller's to reject.
pub fn js_number(n: f64) -> String {
    let mut buffer = ryu_js::Buffer::new();
    buffer.format(n).to_owned()
}

/// Bounds on untrusted input. Every entry point that parses or walks caller data checks these, and each
/// bound answers with its own [`KycError`] code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest body, in bytes (`BODY_TOO_LARGE`). Default 1 MiB.
    pub max_body_bytes: usize,
    /// Deepest nesting of objects and arrays (`TOO_DEEP`). Default 32, Rack's own limit.
    pub max_depth: usize,
    /// Most parameters (leaf values, or `&`-separated pairs in a body) (`TOO_MANY_PARAMS`). Default 4096.
    pub max_params: usize,
    /// Longest parameter key, in bytes (`INVALID_ARGUMENT` / `MALFORMED_BODY`). Default 1024.
    pub max_key_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1 << 20,
            max_depth: 32,
            max_params: 4096,
            max_key_bytes: 1024,
        }
    }
}

impl Limits {
    /// Checks a body length against `max_body_bytes`.
    pub fn check_body(&self, len: usize) -> Result<(), KycError> {
        if len > self.max_body_bytes {
            return Err(KycError::BodyTooLarge {
                actual: len,
                limit: self.max_body_bytes,
            });
        }
        Ok(())
    }

    /// Checks a whole value against `max_depth`, `max_params` and `max_key_bytes`.
    pub fn check_value(&self, value: &Value) -> Result<(), KycError> {
        let mut leaves = 0usize;
        let mut stack: Vec<(&Value, usize)> = vec![(value, 0)];
        while let Some((v, d)) = stack.pop() {
            match v {
                Value::Array(_) | Value::Object(_) if d >= self.max_depth => {
                    return Err(KycError::TooDeep {
                        limit: self.max_depth,
                    });
                }
                Value::Array(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
                Value::Object(entries) => {
                    for (k, item) in entries {
                        if k.len() > self.max_key_bytes {
                            return Err(KycError::invalid_argument(format!(
                                "a key is {} bytes long, over the {}-byte limit (maxKeyBytes)",
                                k.len(),
                                self.max_key_bytes
                            )));
                        }
                        stack.push((item, d + 1));
                    }
                }
                _ => {
                    leaves += 1;
                    if leaves > self.max_params {
                        return Err(KycError::TooManyParams {
                            limit: self.max_params,
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

// --- serde: lets native callers (and the test vectors) load JSON into an order-keeping Value. ---

const SERDE_MAX_DEPTH: usize = 256;

struct ValueSeed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        if self.depth > SERDE_MAX_DEPTH {
            return Err(de::Error::custom("value nests too deeply"));
        }
        deserializer.deserialize_any(ValueVisitor { depth: self.depth })
    }
}

struct ValueVisitor {
    depth: usize,
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(ValueSeed {
            depth: self.depth + 1,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(String, Value)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(ValueSeed {
                depth: self.depth + 1,
            })?;
            // JSON.parse keeps the last duplicate, in the first one's place.
            if let Some(slot) = entries.iter_mut().find(|(k, _)| *k == key) {
                slot.1 = value;
            } else {
                entries.push((key, value));
            }
        }
        Ok(Value::Object(entries))
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        ValueSeed { depth: 0 }.deserialize(deserializer)
    }
}

/// Removes `keys` from an object's entries.
pub(crate) fn without(entries: &[(String, Value)], keys: &[&str]) -> Vec<(String, Value)> {
    entries
        .iter()
        .filter(|(k, _)| !keys.contains(&k.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_like_javascript() {
        for (n, s) in [
            (1.0, "1"),
            (-0.0, "0"),
            (0.1, "0.1"),
            (1.5, "1.5"),
            (1e21, "1e+21"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (-2.5e-10, "-2.5e-10"),
            (9007199254740993.0, "9007199254740992"),
        ] {
            assert_eq!(js_number(n), s, "{n}");
        }
    }

    #[test]
    fn keeps_json_key_order() {
        let v: Value = serde_json::from_str(r#"{"z":1,"a":{"y":null,"b":[true,"x"]}}"#).unwrap();
        let keys: Vec<&str> = v
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["z", "a"]);
        assert_eq!(v.depth(), 3);
    }

    #[test]
    fn limits_answer_with_their_own_codes() {
        let mut deep = Value::Number(1.0);
        for _ in 0..40 {
            deep = Value::Object(vec![("a".into(), deep)]);
        }
        assert_eq!(
            Limits::default().check_value(&deep).unwrap_err().code(),
            "TOO_DEEP"
        );
        let wide = Value::Object((0..5000).map(|i| (format!("k{i}"), Value::Null)).collect());
        assert_eq!(
            Limits::default().check_value(&wide).unwrap_err().code(),
            "TOO_MANY_PARAMS"
        );
        let long = Value::Object(vec![("k".repeat(2000), Value::Null)]);
        assert_eq!(
            Limits::default().check_value(&long).unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
        assert_eq!(
            Limits::default().check_body(2 << 20).unwrap_err().code(),
            "BODY_TOO_LARGE"
        );
    }
}
