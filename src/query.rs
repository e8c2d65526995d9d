//! The Rails query string: `Hash#to_query` as the OST server computes it, and Rack's nested-query parser.
//!
//! Encoding rules (ActiveSupport `to_query` on a Ruby whose `CGI.escape` leaves only `A-Z a-z 0-9 - . _`
//! bare):
//! - space is `+`; every other byte of the UTF-8 form outside that set is `%XX`, uppercase;
//! - `{a: {b: 1}}` is `a%5Bb%5D=1`; `{a: [1, 2]}` is `a%5B%5D=1&a%5B%5D=2`;
//! - at each object level the encoded chunks (a nested object's whole joined text counts as one chunk) are
//!   sorted bytewise, except when the raw namespace contains `[]`, as under any array;
//! - empty arrays and objects vanish, and so does anything that encodes to nothing: no empty chunks.

use crate::error::KycError;
use crate::secret::hex_digit;
use crate::value::{js_number, Limits, Value};

/// Encodes `params` (an object) as the OST server's canonical query string, with the default [`Limits`].
pub fn to_query(params: &Value) -> Result<String, KycError> {
    to_query_with(params, &Limits::default())
}

/// Encodes `params` (an object) as the canonical query string, bounded by `limits`.
pub fn to_query_with(params: &Value, limits: &Limits) -> Result<String, KycError> {
    let Value::Object(entries) = params else {
        return Err(KycError::invalid_argument(
            "params must be an object, such as {email: \"kyc@ost.com\"}",
        ));
    };
    let mut encoder = Encoder { limits, leaves: 0 };
    let mut chunks = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        encoder.check_key(key)?;
        let mut path = String::with_capacity(key.len() + 8);
        escape_into(&mut path, key.as_bytes());
        let chunk = encoder.encode(value, path, key.contains("[]"), 1)?;
        if !chunk.is_empty() {
            chunks.push(chunk);
        }
    }
    sort_bytewise(&mut chunks);
    Ok(chunks.join("&"))
}

/// Sorts bytewise, in place: the same result as `sort_unstable` (equal strings are interchangeable), with
/// the same O(n log n) bound, but as one small heapsort instead of the standard library's quicksort and its
/// small-sort networks (~5 KB of wasm).
fn sort_bytewise(items: &mut [String]) {
    let len = items.len();
    let mut start = len / 2;
    let mut end = len;
    loop {
        if start > 0 {
            start -= 1;
            sift_down(items, start, len);
        } else if end > 1 {
            end -= 1;
            items.swap(0, end);
            sift_down(items, 0, end);
        } else {
            break;
        }
    }
}

/// Moves `items[root]` down the max-heap held in `items[..end]`.
fn sift_down(items: &mut [String], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && items.get(child) < items.get(child + 1) {
            child += 1;
        }
        if items.get(root) >= items.get(child) {
            return;
        }
        items.swap(root, child);
        root = child;
    }
}

struct Encoder<'a> {
    limits: &'a Limits,
    leaves: usize,
}

impl Encoder<'_> {
    fn check_key(&self, key: &str) -> Result<(), KycError> {
        if key.len() > self.limits.max_key_bytes {
            return Err(KycError::invalid_argument(format!(
                "a key is {} bytes long, over the {}-byte limit (maxKeyBytes)",
                key.len(),
                self.limits.max_key_bytes
            )));
        }
        Ok(())
    }

    /// Encodes `value` under the escaped `path`. `unsorted` is whether the raw path contains `[]`, which is
    /// ActiveSupport's test for leaving an object's chunks in insertion order.
    fn encode(
        &mut self,
        value: &Value,
        mut path: String,
        unsorted: bool,
        depth: usize,
    ) -> Result<String, KycError> {
        let scalar = |path: &mut String, text: &[u8]| {
            path.push('=');
            escape_into(path, text);
        };
        match value {
            Value::Null => path.push('='),
            Value::Bool(b) => scalar(&mut path, if *b { b"true" } else { b"false" }),
            Value::Number(n) => {
                if !n.is_finite() {
                    return Err(KycError::invalid_argument(
                        "params contain a non-finite number (NaN or Infinity); pass a finite number or a string",
                    ));
                }
                scalar(&mut path, js_number(*n).as_bytes());
            }
            Value::String(s) => scalar(&mut path, s.as_bytes()),
            Value::Array(items) => {
                self.enter(depth)?;
                path.push_str("%5B%5D");
                let mut out = String::new();
                for item in items {
                    let chunk =
                        self.encode(item, path.clone(), /* unsorted */ true, depth + 1)?;
                    if !chunk.is_empty() {
                        if !out.is_empty() {
                            out.push('&');
                        }
                        out.push_str(&chunk);
                    }
                }
                return Ok(out);
            }
            Value::Object(entries) => {
                self.enter(depth)?;
                let mut chunks = Vec::with_capacity(entries.len());
                for (key, item) in entries {
                    self.check_key(key)?;
                    let mut child = String::with_capacity(path.len() + key.len() + 6);
                    child.push_str(&path);
                    child.push_str("%5B");
                    escape_into(&mut child, key.as_bytes());
                    child.push_str("%5D");
                    let child_unsorted = unsorted
                        || key.is_empty()
                        || key.starts_with(']')
                        || key.ends_with('[')
                        || key.contains("[]");
                    let chunk = self.encode(item, child, child_unsorted, depth + 1)?;
                    if !chunk.is_empty() {
                        chunks.push(chunk);
                    }
                }
                if !unsorted {
                    sort_bytewise(&mut chunks);
                }
                return Ok(chunks.join("&"));
            }
        }
        self.leaves += 1;
        if self.leaves > self.limits.max_params {
            return Err(KycError::TooManyParams {
                limit: self.limits.max_params,
            });
        }
        Ok(path)
    }

    fn enter(&self, depth: usize) -> Result<(), KycError> {
        if depth > self.limits.max_depth {
            return Err(KycError::TooDeep {
                limit: self.limits.max_depth,
            });
        }
        Ok(())
    }
}

/// Appends the Ruby-2.4 `CGI.escape` form of `bytes`.
pub fn escape_into(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(hex_digit(b >> 4, true));
                out.push(hex_digit(b, true));
            }
        }
    }
}

/// Decodes one `application/x-www-form-urlencoded` component: `+` is a space, `%XX` a byte.
pub fn unescape(component: &[u8]) -> Result<String, KycError> {
    let mut out = Vec::with_capacity(component.len());
    let mut i = 0;
    while let Some(&b) = component.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = component.get(i + 1).and_then(|c| hex_value(*c));
                let lo = component.get(i + 2).and_then(|c| hex_value(*c));
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    return Err(KycError::malformed(
                        "invalid %-encoding (a % must be followed by two hex digits)",
                    ));
                };
                out.push(hi << 4 | lo);
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out)
        .map_err(|_| KycError::malformed("a parameter is not valid UTF-8 once decoded"))
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Parses a form body or query string into nested parameters the way Rack 3's `parse_nested_query` does:
/// `a[b]=1` is `{a: {b: "1"}}`, `a[]=1&a[]=2` is `{a: ["1", "2"]}`, `a[][k]=1` is `{a: [{k: "1"}]}`.
/// Values are strings; a pair without `=` is `null`.
pub fn parse_query(body: &[u8], limits: &Limits) -> Result<Value, KycError> {
    limits.check_body(body.len())?;
    let mut params: Vec<(String, Value)> = Vec::new();
    let mut count = 0usize;
    for pair in body.split(|&b| b == b'&') {
        if pair.is_empty() {
            continue;
        }
        count += 1;
        if count > limits.max_params {
            return Err(KycError::TooManyParams {
                limit: limits.max_params,
            });
        }
        let (raw_key, raw_value) = match pair.iter().position(|&b| b == b'=') {
            Some(eq) => (pair.get(..eq).unwrap_or_default(), pair.get(eq + 1..)),
            None => (pair, None),
        };
        let key = unescape(raw_key)?;
        if key.len() > limits.max_key_bytes {
            return Err(KycError::malformed(format!(
                "a key is {} bytes long, over the {}-byte limit (maxKeyBytes)",
                key.len(),
                limits.max_key_bytes
            )));
        }
        let value = match raw_value {
            Some(v) => Value::String(unescape(v)?),
            None => Value::Null,
        };
        params = match normalize(params, &key, value, 0, limits.max_depth)? {
            Value::Object(p) => p,
            // Only a nested call can return an array; at depth 0 the result is always the object.
            _ => return Err(KycError::malformed("unexpected parameter shape")),
        };
    }
    Ok(Value::Object(params))
}

fn slot<'a>(
    params: &'a mut Vec<(String, Value)>,
    key: &str,
    default: impl FnOnce() -> Value,
) -> Result<&'a mut Value, KycError> {
    if !params.iter().any(|(k, _)| k == key) {
        params.push((key.to_owned(), default()));
    }
    params
        .iter_mut()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .ok_or_else(|| type_error("a value", key))
}

fn set(params: &mut Vec<(String, Value)>, key: &str, value: Value) -> Result<(), KycError> {
    *slot(params, key, || Value::Null)? = value;
    Ok(())
}

fn type_error(expected: &str, key: &str) -> KycError {
    KycError::malformed(format!(
        "expected {expected} for parameter `{}`",
        truncate(key)
    ))
}

fn truncate(key: &str) -> &str {
    match key.char_indices().nth(64) {
        Some((i, _)) => key.get(..i).unwrap_or(key),
        None => key,
    }
}

/// Rack 3's `normalize_params`, over an owned object so that nested levels can be taken out and put back.
fn normalize(
    mut params: Vec<(String, Value)>,
    name: &str,
    v: Value,
    depth: usize,
    max_depth: usize,
) -> Result<Value, KycError> {
    if depth >= max_depth {
        return Err(KycError::TooDeep { limit: max_depth });
    }
    let split = |at: usize| (name.get(..at).unwrap_or(name), name.get(at..).unwrap_or(""));
    let (k, after): (&str, &str) = if depth == 0 {
        // At the start, a leading `[` is part of the key.
        match name.char_indices().skip(1).find(|&(_, c)| c == '[') {
            Some((start, _)) => split(start),
            None => (name, ""),
        }
    } else if let Some(rest) = name.strip_prefix("[]") {
        ("[]", rest)
    } else if let Some(end) = name
        .strip_prefix('[')
        .and_then(|rest| rest.find(']'))
        .map(|i| i + 1)
    {
        (
            name.get(1..end).unwrap_or(""),
            name.get(end + 1..).unwrap_or(""),
        )
    } else {
        (name, "")
    };
    if k.is_empty() {
        return Ok(Value::Object(params));
    }

    if after.is_empty() {
        if k == "[]" && depth != 0 {
            return Ok(Value::Array(vec![v]));
        }
        set(&mut params, k, v)?;
    } else if after == "[" {
        set(&mut params, name, v)?;
    } else if after == "[]" {
        match slot(&mut params, k, || Value::Array(Vec::new()))? {
            Value::Array(items) => items.push(v),
            _ => return Err(type_error("an array", k)),
        }
    } else if let Some(rest) = after.strip_prefix("[]") {
        // `x[][y]` is a hash inside an array; anything else under `[]` nests as written.
        let child_key = match rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            Some(c) if !c.is_empty() && !c.contains('[') && !c.contains(']') => c,
            _ => rest,
        };
        let Value::Array(items) = slot(&mut params, k, || Value::Array(Vec::new()))? else {
            return Err(type_error("an array", k));
        };
        match items.last_mut() {
            Some(Value::Object(last)) if !hash_has_key(last, child_key) => {
                let taken = std::mem::take(last);
                let merged = normalize(taken, child_key, v, depth + 1, max_depth)?;
                if let Some(place) = items.last_mut() {
                    *place = merged;
                }
            }
            _ => {
                let fresh = normalize(Vec::new(), child_key, v, depth + 1, max_depth)?;
                items.push(fresh);
            }
        }
    } else {
        let place = slot(&mut params, k, || Value::Object(Vec::new()))?;
        let Value::Object(inner) = place else {
            return Err(type_error("an object", k));
        };
        let taken = std::mem::take(inner);
        *place = normalize(taken, after, v, depth + 1, max_depth)?;
    }
    Ok(Value::Object(params))
}

/// Rack's `params_hash_has_key?`: whether the bracketed path `key` already exists under `hash`.
fn hash_has_key(hash: &[(String, Value)], key: &str) -> bool {
    if key.contains("[]") {
        return false;
    }
    let mut current: Option<&[(String, Value)]> = Some(hash);
    for part in key.split(['[', ']']).filter(|p| !p.is_empty()) {
        let Some(entries) = current else { return false };
        match entries.iter().find(|(k, _)| k == part) {
            Some((_, Value::Object(next))) => current = Some(next),
            Some(_) => current = None,
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn sort_bytewise_matches_sort_unstable() {
        let mut x: u32 = 0x2545_F491;
        for len in 0..70 {
            let mut items: Vec<String> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    format!("{}={}", x % 7, x % 5)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_unstable();
            sort_bytewise(&mut items);
            assert_eq!(items, expected);
        }
    }

    #[test]
    fn sorts_encoded_chunks_not_keys() {
        // `2` (0x32) sorts before `=` (0x3D).
        assert_eq!(
            to_query(&json(r#"{"id":5,"id2":3}"#)).unwrap(),
            "id2=3&id=5"
        );
    }

    #[test]
    fn escapes_like_ruby_24() {
        assert_eq!(
            to_query(&json(r#"{"a":"~*[] +é"}"#)).unwrap(),
            "a=%7E%2A%5B%5D+%2B%C3%A9"
        );
        assert_eq!(
            to_query(&json(r#"{"a-b.c_d":"A-z.0_9"}"#)).unwrap(),
            "a-b.c_d=A-z.0_9"
        );
    }

    #[test]
    fn arrays_keep_order_and_empties_vanish() {
        let v = json(r#"{"b":[{"z":1,"a":2},"x"],"a":{"e":{},"f":[]},"c":[],"d":null,"t":true}"#);
        assert_eq!(
            to_query(&v).unwrap(),
            "b%5B%5D%5Bz%5D=1&b%5B%5D%5Ba%5D=2&b%5B%5D=x&d=&t=true"
        );
    }

    #[test]
    fn a_key_with_brackets_turns_off_sorting_below_it() {
        let v = json(r#"{"a[]":{"z":1,"b":2}}"#);
        assert_eq!(to_query(&v).unwrap(), "a%5B%5D%5Bz%5D=1&a%5B%5D%5Bb%5D=2");
    }

    #[test]
    fn rejects_non_objects_and_non_finite_numbers() {
        assert_eq!(
            to_query(&json("[1]")).unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
        let nan = Value::Object(vec![("a".into(), Value::Number(f64::NAN))]);
        assert_eq!(to_query(&nan).unwrap_err().code(), "INVALID_ARGUMENT");
    }

    #[test]
    fn parses_nested_queries_like_rack() {
        let parsed = parse_query(
            b"a[b][c]=1&x[]=1&x[]=2&y[][k]=1&y[][l]=2&y[][k]=3&n&e=&s=a+b%2B",
            &Limits::default(),
        );
        assert_eq!(
            parsed.unwrap(),
            json(
                r#"{"a":{"b":{"c":"1"}},"x":["1","2"],"y":[{"k":"1","l":"2"},{"k":"3"}],"n":null,"e":"","s":"a b+"}"#
            )
        );
    }

    #[test]
    fn parse_errors_are_typed() {
        let limits = Limits::default();
        assert_eq!(
            parse_query(b"a=%zz", &limits).unwrap_err().code(),
            "MALFORMED_BODY"
        );
        assert_eq!(
            parse_query(b"a=%ff", &limits).unwrap_err().code(),
            "MALFORMED_BODY"
        );
        assert_eq!(
            parse_query(b"a[]=1&a[b]=2", &limits).unwrap_err().code(),
            "MALFORMED_BODY"
        );
        let deep = format!("a{}=1", "[b]".repeat(100));
        assert_eq!(
            parse_query(deep.as_bytes(), &limits).unwrap_err().code(),
            "TOO_DEEP"
        );
        let many = "a=1&".repeat(5000);
        assert_eq!(
            parse_query(many.as_bytes(), &limits).unwrap_err().code(),
            "TOO_MANY_PARAMS"
        );
    }

    #[test]
    fn round_trips_the_seed_webhook() {
        let body = "created_at=1541144915&data%5Bresult_type%5D=user&data%5Buser%5D%5Bcreated_at%5D=1541144915&data%5Buser%5D%5Bemail%5D=yogesh%2B13233%40ost.com&data%5Buser%5D%5Bid%5D=11493&data%5Buser%5D%5Bproperties%5D%5B%5D=doptin_mail_sent&description=User+has+signed+up&id=236&name=user_register&request_timestamp=1542185198&source=web&type=user&version=v1";
        let parsed = parse_query(body.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(to_query(&parsed).unwrap(), body);
    }
}
