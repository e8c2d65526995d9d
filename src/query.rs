//! The Rails query string: `Hash#to_query` as the OST server computes it, and Rack's nested-query parser.
//!
//! Encoding rules (ActiveSupport `to_query` on a Ruby whose `CGI.escape` leaves only `A-Z a-z 0-9 - . _`
//! bare):
//! - space is `+`; every other byte of the UTF-8 form outside that set is `%XX`, uppercase;
//! - `{a: {b: 1}}` is `a%5Bb%5D=1`; `{a: [1, 2]}` is `a%5B%5D=1&a%5B%5D=2`;
//! - at each object level the encoded chunks (a nested object's whole joined text counts as one chunk) are
//!   sorted bytewise, except when the raw namespace contains `[]`, as under any array;
//! - empty arrays and objects vanish, and so does anything that encodes to nothing: no empty chunks.

use std::borrow::Cow;
use std::collections::{btree_map, BTreeMap};

use crate::codec::hex_digit;
use crate::error::KycError;
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
    let mut encoder = Encoder {
        limits,
        leaves: 0,
        bytes: 0,
    };
    let mut chunks = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        encoder.check_key(key)?;
        let mut path = String::with_capacity(key.len() + 8);
        escape_into(&mut path, key.as_bytes());
        let chunk = encoder.encode(value, path, has_empty_brackets(key), 1)?;
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
    /// Bytes of output so far. Every leaf repeats its whole path, so a small value can encode to a huge
    /// query (a long key over many array items, keys nested deep); the output is held to `max_body_bytes`.
    bytes: usize,
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
                        || has_empty_brackets(key);
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
        // Each chunk but the first is preceded by `&`.
        self.bytes = self.bytes.saturating_add(path.len() + 1);
        if self.bytes > self.limits.max_body_bytes.saturating_add(1) {
            return Err(KycError::BodyTooLarge {
                actual: self.bytes - 1,
                limit: self.limits.max_body_bytes,
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
    unescape_into(component, &mut out)?;
    String::from_utf8(out).map_err(|_| not_utf8())
}

/// [`unescape`]'s bytes, appended to `out`, before any UTF-8 check.
fn unescape_into(component: &[u8], out: &mut Vec<u8>) -> Result<(), KycError> {
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
    Ok(())
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
///
/// The work is linear in the body (times the logarithm of the widest object): every object keeps an ordered
/// index of its keys, so no key is ever found by scanning its siblings. The index is a B-tree rather than a
/// hash table because wasm32-unknown-unknown has no random seed for one, and a hash table with a fixed seed can
/// be flooded with colliding keys.
pub fn parse_query(body: &[u8], limits: &Limits) -> Result<Value, KycError> {
    build(scan_pairs(body, limits)?, limits)
}

/// One `key=value` pair of a body, raw (decoded once authenticated); checked to decode.
pub(crate) struct Pair<'a> {
    /// The raw key.
    key: &'a [u8],
    /// The raw value, `None` for a pair without `=`.
    value: Option<&'a [u8]>,
    /// Whether the key decodes to `signature`.
    pub is_signature: bool,
    /// The pair's position among the body's `&`-separated pieces, empty ones included.
    pub piece: usize,
}

impl Pair<'_> {
    /// The decoded value, `None` for a pair without `=`.
    pub fn value(&self) -> Result<Option<Cow<'_, str>>, KycError> {
        self.value.map(decode).transpose()
    }
}

/// Decodes `component`, borrowing it when there is nothing to decode.
fn decode(component: &[u8]) -> Result<Cow<'_, str>, KycError> {
    if component.iter().any(|&b| b == b'%' || b == b'+') {
        return unescape(component).map(Cow::Owned);
    }
    std::str::from_utf8(component)
        .map(Cow::Borrowed)
        .map_err(|_| not_utf8())
}

/// Decodes `component` into `scratch` (reused between calls), or borrows it when there is nothing to decode.
fn decode_in<'s>(component: &'s [u8], scratch: &'s mut Vec<u8>) -> Result<&'s str, KycError> {
    if !component.iter().any(|&b| b == b'%' || b == b'+') {
        return std::str::from_utf8(component).map_err(|_| not_utf8());
    }
    scratch.clear();
    unescape_into(component, scratch)?;
    std::str::from_utf8(scratch).map_err(|_| not_utf8())
}

fn not_utf8() -> KycError {
    KycError::malformed("a parameter is not valid UTF-8 once decoded")
}

/// Splits and decodes a body into its pairs, with every check that does not need the nested structure, in
/// the order [`parse_query`] has always made them: body size, then per pair the count, the key's encoding,
/// its length, the value's encoding and the key's nesting depth. What is left for [`build`] is only a
/// conflict between two pairs (`a[]=1&a[b]=2`). Linear in the body; values are checked, not copied.
pub(crate) fn scan_pairs<'a>(body: &'a [u8], limits: &Limits) -> Result<Vec<Pair<'a>>, KycError> {
    limits.check_body(body.len())?;
    let mut pairs = Vec::new();
    let mut scratch = Vec::new();
    for (piece, raw) in body.split(|&b| b == b'&').enumerate() {
        if raw.is_empty() {
            continue;
        }
        if pairs.len() >= limits.max_params {
            return Err(KycError::TooManyParams {
                limit: limits.max_params,
            });
        }
        let (raw_key, value) = match raw.iter().position(|&b| b == b'=') {
            Some(eq) => (raw.get(..eq).unwrap_or_default(), raw.get(eq + 1..)),
            None => (raw, None),
        };
        let key = decode_in(raw_key, &mut scratch)?;
        if key.len() > limits.max_key_bytes {
            return Err(KycError::malformed(format!(
                "a key is {} bytes long, over the {}-byte limit (maxKeyBytes)",
                key.len(),
                limits.max_key_bytes
            )));
        }
        let is_signature = key == "signature";
        let depth = key_depth(key, limits.max_depth);
        if let Some(v) = value {
            decode_in(v, &mut scratch)?;
        }
        depth?;
        pairs.push(Pair {
            key: raw_key,
            value,
            is_signature,
            piece,
        });
    }
    Ok(pairs)
}

/// Builds the nested parameters from decoded pairs, as Rack's `normalize_params` does one pair at a time.
pub(crate) fn build<'a>(
    pairs: impl IntoIterator<Item = Pair<'a>>,
    limits: &Limits,
) -> Result<Value, KycError> {
    let mut params = Obj::default();
    for Pair { key, value, .. } in pairs {
        let key = decode(key)?;
        let value = value.map(|v| decode(v).map(Cow::into_owned)).transpose()?;
        normalize(&mut params, &key, Node::Leaf(value), 0, limits.max_depth)?;
    }
    Ok(params.into_value())
}

/// A node of the tree under construction.
enum Node {
    /// A string, or `None` for `null`.
    Leaf(Option<String>),
    Array(Vec<Node>),
    Object(Obj),
}

/// An object under construction: its entries in insertion order, each with the hash of its key, and once
/// it has more than [`SMALL`] entries an index from key to position.
#[derive(Default)]
struct Obj {
    entries: Vec<Entry>,
    index: BTreeMap<IndexKey, usize>,
}

struct Entry {
    key: String,
    hash: u64,
    node: Node,
}

/// Up to this many entries an object is searched by comparing key hashes in order (cheaper than an index
/// for the objects webhooks have); beyond, through its index. Either way a lookup costs a bounded number of
/// integer comparisons and one comparison of texts, never a scan of the siblings' keys.
const SMALL: usize = 16;

/// A key in an [`Obj`] index, ordered by a hash of its text first, then by the text. Keys that share a long
/// prefix (the cheap way to make string comparisons slow) are told apart by the hash in one comparison. The
/// hash has no secret seed, so an attacker can make hashes collide; then the text decides, and the index is no
/// slower than a plain ordered map: never a scan. Tests count the comparisons.
#[derive(PartialEq, Eq)]
struct IndexKey {
    hash: u64,
    text: Box<str>,
}

impl IndexKey {
    fn new(text: &str) -> IndexKey {
        IndexKey {
            hash: key_hash(text.as_bytes()),
            text: text.into(),
        }
    }
}

impl Ord for IndexKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        #[cfg(test)]
        tests::COMPARISONS.with(|c| c.set(c.get() + 1));
        self.hash
            .cmp(&other.hash)
            .then_with(|| self.text.cmp(&other.text))
    }
}

impl PartialOrd for IndexKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The positions of a list of keys, found by key without scanning (for comparing objects).
pub(crate) struct KeyIndex(BTreeMap<IndexKey, usize>);

impl KeyIndex {
    /// Indexes `keys`; a repeated key keeps its first position.
    pub(crate) fn new<'a>(keys: impl IntoIterator<Item = &'a str>) -> KeyIndex {
        let mut index = BTreeMap::new();
        for (i, key) in keys.into_iter().enumerate() {
            index.entry(IndexKey::new(key)).or_insert(i);
        }
        KeyIndex(index)
    }

    /// The position of `key`, if it is one of the keys.
    pub(crate) fn get(&self, key: &str) -> Option<usize> {
        self.0.get(&IndexKey::new(key)).copied()
    }

    /// How many distinct keys there are.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// A fast, unkeyed 64-bit hash of `bytes`, eight bytes at a time (only an ordering aid: see [`IndexKey`]).
fn key_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    let mut word = [0u8; 8];
    if let Some(head) = word.get_mut(..rest.len()) {
        head.copy_from_slice(rest);
    }
    h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    h ^ (h >> 29)
}

impl Obj {
    fn find(&self, key: &str, hash: u64) -> Option<usize> {
        if self.index.is_empty() {
            self.entries
                .iter()
                .position(|e| e.hash == hash && e.key == key)
        } else {
            self.index
                .get(&IndexKey {
                    hash,
                    text: key.into(),
                })
                .copied()
        }
    }

    fn get(&self, key: &str) -> Option<&Node> {
        let i = self.find(key, key_hash(key.as_bytes()))?;
        self.entries.get(i).map(|e| &e.node)
    }

    /// The position of `key`, appended with `value()` when it is new; and whether it was.
    fn position(&mut self, key: &str, value: impl FnOnce() -> Node) -> (usize, bool) {
        let hash = key_hash(key.as_bytes());
        let i = self.entries.len();
        if !self.index.is_empty() {
            // One search and one copy of the key, whether it is there or not.
            let text = key.into();
            match self.index.entry(IndexKey { hash, text }) {
                btree_map::Entry::Occupied(found) => return (*found.get(), false),
                btree_map::Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
            self.entries.push(Entry {
                key: key.to_owned(),
                hash,
                node: value(),
            });
            return (i, true);
        }
        if let Some(found) = self.find(key, hash) {
            return (found, false);
        }
        self.entries.push(Entry {
            key: key.to_owned(),
            hash,
            node: value(),
        });
        if self.entries.len() > SMALL {
            for (j, e) in self.entries.iter().enumerate() {
                self.index.insert(
                    IndexKey {
                        hash: e.hash,
                        text: e.key.as_str().into(),
                    },
                    j,
                );
            }
        }
        (i, true)
    }

    /// `params[key] = value`: replaces in place (the key keeps its position), or appends.
    fn set(&mut self, key: &str, value: Node) {
        let mut value = Some(value);
        let (i, inserted) = self.position(key, || value.take().unwrap_or(Node::Leaf(None)));
        if !inserted {
            if let (Some(v), Some(e)) = (value, self.entries.get_mut(i)) {
                e.node = v;
            }
        }
    }

    /// `params[key] ||= default()`, then the value: Ruby's `||=` also replaces a `nil`.
    fn slot(&mut self, key: &str, default: impl Fn() -> Node) -> Result<&mut Node, KycError> {
        let (i, _) = self.position(key, &default);
        let place = self
            .entries
            .get_mut(i)
            .map(|e| &mut e.node)
            .ok_or_else(|| KycError::malformed("unexpected parameter shape"))?;
        if matches!(place, Node::Leaf(None)) {
            *place = default();
        }
        Ok(place)
    }

    fn into_value(self) -> Value {
        Value::Object(
            self.entries
                .into_iter()
                .map(|e| (e.key, e.node.into_value()))
                .collect(),
        )
    }
}

impl Node {
    fn into_value(self) -> Value {
        match self {
            Node::Leaf(Some(s)) => Value::String(s),
            Node::Leaf(None) => Value::Null,
            Node::Array(items) => Value::Array(items.into_iter().map(Node::into_value).collect()),
            Node::Object(obj) => obj.into_value(),
        }
    }
}

fn type_error(expected: &str) -> KycError {
    // The key is not named: it is body content.
    KycError::malformed(format!(
        "expected {expected} for a parameter that an earlier pair made something else"
    ))
}

/// Rack's split of `name` at `depth` into the key at this level and what follows it.
fn split_name(name: &str, depth: usize) -> (&str, &str) {
    let split = |at: usize| (name.get(..at).unwrap_or(name), name.get(at..).unwrap_or(""));
    if depth == 0 {
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
    }
}

/// The key under an array for `after` (which starts with `[]`): `x[][y]` is a hash inside an array;
/// anything else under `[]` nests as written.
fn array_child_key(after: &str) -> &str {
    let rest = after.get(2..).unwrap_or("");
    match rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Some(c) if !c.is_empty() && !c.contains('[') && !c.contains(']') => c,
        _ => rest,
    }
}

/// How deep [`normalize`] goes for `name`: a function of the name alone, so `TOO_DEEP` is known before any
/// structure is built.
fn key_depth(name: &str, max_depth: usize) -> Result<(), KycError> {
    let mut name = name;
    let mut depth = 0;
    loop {
        if depth >= max_depth {
            return Err(KycError::TooDeep { limit: max_depth });
        }
        let (k, after) = split_name(name, depth);
        if k.is_empty() || after.is_empty() || after == "[" || after == "[]" {
            return Ok(());
        }
        name = if after.starts_with("[]") {
            array_child_key(after)
        } else {
            after
        };
        depth += 1;
    }
}

/// Rack 3's `normalize_params`. Returns `Some([v])` where Rack returns a fresh array (a trailing `[]` below the
/// top level), `None` where it returns the hash it was given (or nothing).
fn normalize(
    params: &mut Obj,
    name: &str,
    v: Node,
    depth: usize,
    max_depth: usize,
) -> Result<Option<Node>, KycError> {
    if depth >= max_depth {
        return Err(KycError::TooDeep { limit: max_depth });
    }
    let (k, after) = split_name(name, depth);
    if k.is_empty() {
        return Ok(None);
    }
    if after.is_empty() {
        if k == "[]" && depth != 0 {
            return Ok(Some(Node::Array(vec![v])));
        }
        params.set(k, v);
    } else if after == "[" {
        params.set(name, v);
    } else if after == "[]" {
        match params.slot(k, || Node::Array(Vec::new()))? {
            Node::Array(items) => items.push(v),
            _ => return Err(type_error("an array")),
        }
    } else if after.starts_with("[]") {
        let child_key = array_child_key(after);
        let Node::Array(items) = params.slot(k, || Node::Array(Vec::new()))? else {
            return Err(type_error("an array"));
        };
        match items.last_mut() {
            Some(Node::Object(last)) if !hash_has_key(last, child_key) => {
                // Rack ignores what this returns: a fresh array from a trailing `[]` is dropped.
                normalize(last, child_key, v, depth + 1, max_depth)?;
            }
            _ => {
                let mut fresh = Obj::default();
                let made = normalize(&mut fresh, child_key, v, depth + 1, max_depth)?;
                items.push(made.unwrap_or(Node::Object(fresh)));
            }
        }
    } else {
        let Node::Object(inner) = params.slot(k, || Node::Object(Obj::default()))? else {
            return Err(type_error("an object"));
        };
        // `after` is never empty or `[]` here, so the nested call always answers with the hash itself.
        normalize(inner, after, v, depth + 1, max_depth)?;
    }
    Ok(None)
}

/// Whether `key` contains `[]`. A byte scan: `str::contains` with a two-character pattern links core's
/// two-way string searcher (~2 KB of wasm in the builds pages load; issue 16, size).
fn has_empty_brackets(key: &str) -> bool {
    key.as_bytes().windows(2).any(|pair| pair == b"[]")
}

/// Rack's `params_hash_has_key?`: whether the bracketed path `key` already exists under `hash`.
fn hash_has_key(hash: &Obj, key: &str) -> bool {
    if has_empty_brackets(key) {
        return false;
    }
    let mut current: Option<&Obj> = Some(hash);
    for part in key.split(['[', ']']).filter(|p| !p.is_empty()) {
        let Some(obj) = current else { return false };
        match obj.get(part) {
            Some(Node::Object(next)) => current = Some(next),
            Some(_) => current = None,
            None => return false,
        }
    }
    true
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    thread_local! {
        /// Key comparisons made by [`IndexKey`] on this thread.
        pub(crate) static COMPARISONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Body shapes that made the old parser quadratic (it found each key by scanning its siblings).
    fn hostile_bodies() -> Vec<(&'static str, String)> {
        let prefix = "k".repeat(200);
        vec![
            (
                "4095 distinct long keys with a shared prefix",
                (0..4095)
                    .map(|i| format!("{prefix}{i:05}=v"))
                    .collect::<Vec<_>>()
                    .join("&"),
            ),
            (
                "4095 keys in one nested object",
                (0..4095)
                    .map(|i| format!("a[b][c][{prefix}{i:05}]=v"))
                    .collect::<Vec<_>>()
                    .join("&"),
            ),
            (
                "4095 hashes in an array",
                (0..4095)
                    .map(|i| format!("a[][k{}]=v", i % 7))
                    .collect::<Vec<_>>()
                    .join("&"),
            ),
            ("4095 duplicates", "a=1&".repeat(4095)),
        ]
    }

    #[test]
    fn parsing_makes_n_log_n_key_comparisons_not_n_squared() {
        let limits = Limits::default();
        for (name, body) in hostile_bodies() {
            COMPARISONS.with(|c| c.set(0));
            parse_query(body.as_bytes(), &limits).unwrap();
            let comparisons = COMPARISONS.with(std::cell::Cell::get);
            // About log2(4096) = 12 per insertion, plus the B-tree's linear search inside a node; a scan of the
            // siblings (the old parser) is 4095 * 4094 / 2 = 8.4 million.
            assert!(
                comparisons <= 4095 * 40,
                "{name}: {comparisons} comparisons"
            );
        }
    }

    #[test]
    fn index_keys_with_colliding_hashes_are_told_apart_by_their_text() {
        let key = |hash, text: &str| IndexKey {
            hash,
            text: text.into(),
        };
        assert!(key(1, "a") < key(1, "b"));
        assert!(key(1, "b") < key(2, "a"));
        assert!(key(7, "same") == key(7, "same"));
        let mut index = BTreeMap::new();
        index.insert(key(1, "x"), 0);
        assert!(!index.contains_key(&key(1, "y")));
        assert_ne!(key_hash(b"ab"), key_hash(b"ba"));
        assert_ne!(key_hash(&[0; 8]), key_hash(&[0; 9]));
    }

    #[test]
    fn objects_growing_past_the_small_size_keep_order_and_replace_in_place() {
        let limits = Limits::default();
        let mut body: Vec<String> = (0..40).map(|i| format!("k{i}={i}")).collect();
        body.extend([
            "k5=x".into(),
            "k30=y".into(),
            "n[a]=1".into(),
            "n[b]=2".into(),
        ]);
        body.extend((0..20).map(|i| format!("n[c{i}]={i}")));
        body.push("n[a]=z".into());
        let parsed = parse_query(body.join("&").as_bytes(), &limits).unwrap();
        let keys: Vec<&str> = parsed
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys.len(), 41);
        assert_eq!(keys.first(), Some(&"k0"));
        assert_eq!(keys.get(39), Some(&"k39"));
        assert_eq!(parsed.get("k5").and_then(Value::as_str), Some("x"));
        assert_eq!(parsed.get("k30").and_then(Value::as_str), Some("y"));
        let n = parsed.get("n").unwrap();
        assert_eq!(n.as_object().unwrap().len(), 22);
        assert_eq!(n.get("a").and_then(Value::as_str), Some("z"));
        assert_eq!(n.get("c19").and_then(Value::as_str), Some("19"));
    }

    #[test]
    fn rack_edge_cases() {
        let limits = Limits::default();
        for (body, expected) in [
            // Ruby's `||=` replaces a nil: a pair without `=` can become an array or a hash.
            ("a&a[]=1", r#"{"a":["1"]}"#),
            ("a&a[b]=1", r#"{"a":{"b":"1"}}"#),
            // A trailing `[]` under a hash in an array: Rack drops the value and keeps the hash.
            ("x[][a]=1&x[][]=2", r#"{"x":[{"a":"1"}]}"#),
            ("x[][a]=1&x[][][]=2", r#"{"x":[{"a":"1","[]":["2"]}]}"#),
            ("x[][]=1", r#"{"x":[["1"]]}"#),
            ("a[b]c=1", r#"{"a":{"b":{"c":"1"}}}"#),
            ("a=1&b=2&a=3", r#"{"a":"3","b":"2"}"#),
        ] {
            assert_eq!(
                parse_query(body.as_bytes(), &limits).unwrap(),
                json(expected),
                "{body}"
            );
        }
    }

    #[test]
    fn messages_do_not_echo_keys() {
        let limits = Limits::default();
        let secret_key = "SECRETKEYTEXT";
        for body in [
            format!("{secret_key}[]=1&{secret_key}[b]=2"),
            format!("{secret_key}=1&{secret_key}[]=2"),
            format!("{secret_key}[]=1&{secret_key}[][b]=2&{secret_key}=x&{secret_key}[c]=1"),
        ] {
            let e = parse_query(body.as_bytes(), &limits).unwrap_err();
            assert_eq!(e.code(), "MALFORMED_BODY");
            assert!(!e.to_string().contains(secret_key), "{e}");
        }
    }

    #[test]
    fn the_canonical_query_is_bounded_by_max_body_bytes() {
        // 2,000 items under a 1,000-byte key: 5 KB of input, 2 MB of canonical query.
        let key = "k".repeat(1000);
        let items = Value::Array((0..2000).map(|_| Value::string("v")).collect());
        let v = Value::Object(vec![(key, items)]);
        assert_eq!(
            to_query(&v).map_err(|e| e.code()).err(),
            Some("BODY_TOO_LARGE")
        );
        let raised = Limits {
            max_body_bytes: 3 << 20,
            ..Limits::default()
        };
        assert!(to_query_with(&v, &raised).is_ok());
    }

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
