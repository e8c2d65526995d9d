//! The checks behind each fuzz target, one public function per target, each taking arbitrary bytes.
//!
//! `fuzz_targets/*.rs` call them under libFuzzer; the native test suite includes this very file
//! (`tests/regressions.rs` replays `fuzz/regressions/` and the corpora, `tests/properties.rs` reuses the
//! helpers), so a crash input found once is replayed by every `cargo test`.
//!
//! A check panics only when kyc-wasm breaks a promise: a panic inside kyc-wasm itself, an error with an
//! unknown code, an error whose text holds a secret, or a broken invariant (canonical query shape, round
//! trip, sign-then-verify).

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use kyc_wasm::continuation::{
    evaluate_verification, normalize_continuation, process_person_response, Action, CONDITIONS_MET,
};
use kyc_wasm::gates::{reason_is_positive, reason_value};
use kyc_wasm::person::build_verify_person_body;
use kyc_wasm::query::{parse_query, to_query_with};
use kyc_wasm::secret::Secret;
use kyc_wasm::value::js_number;
use kyc_wasm::webhook::ost::{sign_ost_webhook, verify_ost_webhook, OstBody, VerifyOptions};
use kyc_wasm::webhook::tot::{tot_webhook_signature, verify_tot_webhook};
use kyc_wasm::{KycError, Limits, Value};

/// A fuzz target's check.
pub type Check = fn(&[u8]);

/// Every fuzz target by name, with its check. `tests/regressions.rs` maps `fuzz/regressions/<name>/` here.
pub const TARGETS: [(&str, Check); 8] = [
    ("query_parse", query_parse),
    ("query_roundtrip", query_roundtrip),
    ("ost_webhook", ost_webhook),
    ("tot_webhook", tot_webhook),
    ("reasons", reasons),
    ("decisions", decisions),
    ("uploads", uploads),
    ("submission", submission),
];

/// A secret that never appears in any input: no error text may ever contain it.
pub const CANARY: &str = "canary-secret-7f3a9c1e5b";

/// The URL used when an input names none.
pub const DEFAULT_URL: &str = "https://webhook.ost.com/test/";

/// The seed example's `request_timestamp`, used as the clock when a body carries none.
pub const SEED_TIMESTAMP: i64 = 1_542_185_198;

/// Every stable code `KycError::code` may return (src/error.rs).
pub const CODES: [&str; 15] = [
    "INVALID_SIGNATURE",
    "MISSING_SIGNATURE",
    "TIMESTAMP_OUT_OF_TOLERANCE",
    "MALFORMED_BODY",
    "BODY_TOO_LARGE",
    "TOO_DEEP",
    "TOO_MANY_PARAMS",
    "INVALID_ARGUMENT",
    "API_ERROR",
    "NOT_FOUND",
    "TIMEOUT",
    "INVALID_FILE",
    "URL_EXPIRED",
    "UPLOAD_FAILED",
    "BUSY",
];

/// Limits large enough that only the input's shape decides (for round trips).
pub fn generous() -> Limits {
    Limits {
        max_body_bytes: 1 << 26,
        max_depth: 64,
        max_params: 1 << 20,
        max_key_bytes: 1 << 20,
    }
}

/// Small limits, so that every limit is reached often.
pub fn tight() -> Limits {
    Limits {
        max_body_bytes: 512,
        max_depth: 4,
        max_params: 16,
        max_key_bytes: 24,
    }
}

/// Runs the check named `target` on `data`; `false` when there is no such target.
pub fn run(target: &str, data: &[u8]) -> bool {
    match TARGETS.iter().find(|(name, _)| *name == target) {
        Some((_, check)) => {
            check(data);
            true
        }
        None => false,
    }
}

/// An error must carry a known code, and neither its `Display` nor its `Debug` may contain a secret.
pub fn check_error(error: &KycError, secrets: &[&str]) {
    assert!(
        CODES.contains(&error.code()),
        "unknown code {}",
        error.code()
    );
    let text = format!("{error} {error:?}");
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(
            !text.contains(secret),
            "a {} error shows a secret: {text}",
            error.code()
        );
    }
}

/// The shape of every canonical query: only `A-Za-z0-9-._+%` and `=`/`&`, each `%` followed by two
/// uppercase hex digits, no empty chunk, exactly one `=` per chunk.
pub fn check_query_text(query: &str) {
    let bytes = query.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        assert!(
            b.is_ascii_alphanumeric() || b"-._+%=&".contains(&b),
            "byte {b:#04x} in {query:?}"
        );
        if b == b'%' {
            let hex = |j: usize| {
                bytes
                    .get(j)
                    .is_some_and(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(c))
            };
            assert!(hex(i + 1) && hex(i + 2), "bad escape in {query:?}");
        }
    }
    if query.is_empty() {
        return;
    }
    for chunk in query.split('&') {
        assert!(!chunk.is_empty(), "empty chunk in {query:?}");
        assert_eq!(
            chunk.matches('=').count(),
            1,
            "chunk {chunk:?} of {query:?}"
        );
    }
}

fn wrap(path: &[&str], inner: Value) -> Value {
    path.iter().rev().fold(inner, |acc, key| {
        Value::Object(vec![((*key).to_owned(), acc)])
    })
}

fn plain_key(key: &str) -> bool {
    !key.is_empty() && !key.contains(['[', ']'])
}

/// The ordering rules, checked against `to_query` itself: at each object level (reached through keys
/// without brackets) the output is the bytewise-sorted non-empty chunks of its entries, each encoded
/// alone; under an array it is the non-empty chunks of its items, in order.
pub fn check_ordering(params: &Value, limits: &Limits) {
    let Ok(whole) = to_query_with(params, limits) else {
        return;
    };
    let mut pending: Vec<(Vec<&str>, &Value)> = vec![(Vec::new(), params)];
    while let Some((path, value)) = pending.pop() {
        let encode = |inner: Value| {
            let text = to_query_with(&wrap(&path, inner), limits);
            text.expect("a part of an encodable value is encodable")
        };
        let (expected, level) = match value {
            Value::Object(entries) => {
                let mut chunks: Vec<String> = entries
                    .iter()
                    .map(|entry| encode(Value::Object(vec![entry.clone()])))
                    .filter(|c| !c.is_empty())
                    .collect();
                chunks.sort_unstable();
                for (key, child) in entries {
                    if plain_key(key) && matches!(child, Value::Object(_) | Value::Array(_)) {
                        let mut deeper = path.clone();
                        deeper.push(key);
                        pending.push((deeper, child));
                    }
                }
                (chunks.join("&"), encode(value.clone()))
            }
            Value::Array(items) => {
                let chunks: Vec<String> = items
                    .iter()
                    .map(|item| encode(Value::Array(vec![item.clone()])))
                    .filter(|c| !c.is_empty())
                    .collect();
                (chunks.join("&"), encode(value.clone()))
            }
            _ => continue,
        };
        assert_eq!(level, expected, "ordering at {path:?}");
    }
    check_query_text(&whole);
}

/// The form two parameter trees are compared in after a trip through the wire: scalars as the strings the
/// query carries (`null` is `""`), object entries sorted by key, empty arrays and objects gone.
pub fn normal(value: &Value) -> Option<Value> {
    match value {
        Value::Null => Some(Value::string("")),
        Value::Bool(b) => Some(Value::string(b.to_string())),
        Value::Number(n) => Some(Value::String(js_number(*n))),
        Value::String(s) => Some(Value::string(s.clone())),
        Value::Array(items) => {
            let items: Vec<Value> = items.iter().filter_map(normal).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(entries) => {
            let mut entries: Vec<(String, Value)> = entries
                .iter()
                .filter_map(|(k, v)| normal(v).map(|v| (k.clone(), v)))
                .collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            (!entries.is_empty()).then_some(Value::Object(entries))
        }
    }
}

/// The key path to the first leaf of an object, in encoding (insertion) order.
fn first_path(entries: &[(String, Value)]) -> Vec<&str> {
    let mut path = Vec::new();
    let mut current = entries;
    while let Some((key, value)) = current.first() {
        path.push(key.as_str());
        match value {
            Value::Object(next) => current = next,
            _ => break,
        }
    }
    path
}

/// Rack's `params_hash_has_key?` for a path of keys: every part but the last is an object.
fn has_path(entries: &[(String, Value)], path: &[&str]) -> bool {
    let mut current = entries;
    for (i, part) in path.iter().enumerate() {
        match current.iter().find(|(k, _)| k == part) {
            None => return false,
            Some((_, Value::Object(next))) => current = next,
            Some(_) => return i + 1 == path.len(),
        }
    }
    true
}

/// Cuts `value` (an object) down to what Rack's parser gives back unchanged (up to [`normal`]): keys
/// without brackets and without duplicates, finite numbers, at most 24 levels, no array directly in an
/// array or anywhere inside an object that is an array item, and, in an array, an object that follows an
/// object only when it starts with a key path its predecessor has (otherwise Rack merges the two). Returns
/// `None` when nothing is left.
pub fn rack_subset(value: &Value) -> Option<Value> {
    match value {
        Value::Object(_) => subset(value, false, 0),
        _ => None,
    }
}

fn subset(value: &Value, in_item: bool, depth: usize) -> Option<Value> {
    match value {
        Value::Number(n) if !n.is_finite() => None,
        Value::Object(_) | Value::Array(_) if depth > 24 => None,
        Value::Object(entries) => {
            let mut kept: Vec<(String, Value)> = Vec::new();
            for (key, item) in entries {
                if !plain_key(key) || kept.iter().any(|(k, _)| k == key) {
                    continue;
                }
                if let Some(item) = subset(item, in_item, depth + 1) {
                    kept.push((key.clone(), item));
                }
            }
            (!kept.is_empty()).then_some(Value::Object(kept))
        }
        Value::Array(_) if in_item => None,
        Value::Array(items) => {
            let mut kept: Vec<Value> = Vec::new();
            for item in items {
                let item = match item {
                    Value::Array(_) => continue,
                    Value::Object(_) => match subset(item, true, depth + 1) {
                        Some(item) => item,
                        None => continue,
                    },
                    other => match subset(other, true, depth + 1) {
                        Some(item) => item,
                        None => continue,
                    },
                };
                if let (Some(Value::Object(prev)), Value::Object(next)) = (kept.last(), &item) {
                    if !has_path(prev, &first_path(next)) {
                        continue;
                    }
                }
                kept.push(item);
            }
            (!kept.is_empty()).then_some(Value::Array(kept))
        }
        other => Some(other.clone()),
    }
}

/// `parse(toQuery(x))` is `x` (up to [`normal`]) for `x` in [`rack_subset`], and the query has the
/// canonical shape (its ordering is [`check_ordering`]'s). Returns the query.
pub fn check_round_trip(value: &Value) -> String {
    let limits = generous();
    let query = to_query_with(value, &limits).expect("a Rack-subset value encodes");
    check_query_text(&query);
    let parsed = parse_query(query.as_bytes(), &limits).expect("a canonical query parses");
    assert_eq!(
        normal(&parsed),
        normal(value),
        "round trip through {query:?}"
    );
    query
}

/// Reads a few input bytes at a time and turns them into values; past the end every byte is 0.
pub struct Gen<'a> {
    data: &'a [u8],
}

/// Pieces strings are made of: the characters each rule cares about, and the keys the verifiers look at.
const PIECES: [&str; 26] = [
    "a",
    "b",
    "id",
    "Z9",
    " ",
    "+",
    "%",
    "&",
    "=",
    "[",
    "]",
    "[]",
    "~",
    "*",
    "-",
    ".",
    "_",
    "é",
    "\u{0}",
    "2",
    "value",
    "status",
    "signature",
    "request_timestamp",
    "notApplicable",
    "😀",
];

const NUMBERS: [f64; 10] = [
    0.0,
    -0.0,
    0.1,
    1.5,
    1e21,
    1e-7,
    123_456_789_012_345_680_000.0,
    5e-324,
    f64::NAN,
    f64::INFINITY,
];

impl<'a> Gen<'a> {
    /// A generator over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Gen { data }
    }

    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    fn string(&mut self) -> String {
        let n = self.byte() % 6;
        (0..n)
            .map(|_| {
                let i = usize::from(self.byte()) % PIECES.len();
                PIECES.get(i).copied().unwrap_or("a")
            })
            .collect()
    }

    /// An object of up to four entries.
    pub fn object(&mut self, depth: usize) -> Value {
        let n = self.byte() % 5;
        Value::Object(
            (0..n)
                .map(|_| (self.string(), self.value(depth + 1)))
                .collect(),
        )
    }

    /// Any value, nesting at most six levels.
    pub fn value(&mut self, depth: usize) -> Value {
        match self.byte() % 10 {
            0 => Value::Null,
            1 => Value::Bool(self.byte() & 1 == 1),
            2 => Value::Number(f64::from(self.byte() as i8)),
            3 => {
                let mut bits = [0u8; 8];
                bits.iter_mut().for_each(|b| *b = self.byte());
                Value::Number(f64::from_le_bytes(bits))
            }
            4 => Value::Number(
                NUMBERS
                    .get(usize::from(self.byte()) % NUMBERS.len())
                    .copied()
                    .unwrap_or(0.0),
            ),
            5 | 6 => Value::String(self.string()),
            7 | 8 if depth < 6 => self.object(depth),
            9 if depth < 6 => {
                let n = self.byte() % 5;
                Value::Array((0..n).map(|_| self.value(depth + 1)).collect())
            }
            _ => Value::Null,
        }
    }
}

/// A JSON document when `data` is one (an object, if `object`), otherwise a value generated from the bytes.
fn json_or_generated(data: &[u8], object: bool) -> Value {
    if let Ok(value) = serde_json::from_slice::<Value>(data) {
        if !object || matches!(value, Value::Object(_)) {
            return value;
        }
    }
    let mut gen = Gen::new(data);
    if object {
        gen.object(0)
    } else {
        gen.value(0)
    }
}

/// Splits `data` at its first `N - 1` NUL bytes; missing fields are empty, the last keeps any NULs.
pub fn fields<const N: usize>(data: &[u8]) -> [&[u8]; N] {
    let mut out: [&[u8]; N] = [&[]; N];
    let mut rest = data;
    for (i, field) in out.iter_mut().enumerate() {
        if i + 1 == N {
            *field = rest;
            break;
        }
        match rest.iter().position(|&b| b == 0) {
            Some(at) => {
                *field = rest.get(..at).unwrap_or_default();
                rest = rest.get(at + 1..).unwrap_or_default();
            }
            None => {
                *field = rest;
                rest = &[];
            }
        }
    }
    out
}

/// **query_parse**: Rack's nested-query parser on arbitrary bytes, with default and with tight limits;
/// whatever it parses, `toQuery` encodes into the canonical shape (or refuses with a typed error).
pub fn query_parse(data: &[u8]) {
    for limits in [Limits::default(), tight()] {
        match parse_query(data, &limits) {
            Ok(parsed) => {
                assert!(matches!(parsed, Value::Object(_)), "parse gives an object");
                match to_query_with(&parsed, &generous()) {
                    Ok(query) => {
                        check_query_text(&query);
                        // Re-parsing canonical text never panics (it may differ: Rack is not injective).
                        if let Err(e) = parse_query(query.as_bytes(), &generous()) {
                            check_error(&e, &[]);
                        }
                    }
                    Err(e) => check_error(&e, &[]),
                }
            }
            Err(e) => {
                check_error(&e, &[]);
                assert!(
                    [
                        "MALFORMED_BODY",
                        "BODY_TOO_LARGE",
                        "TOO_DEEP",
                        "TOO_MANY_PARAMS"
                    ]
                    .contains(&e.code()),
                    "parse_query answered {}",
                    e.code()
                );
            }
        }
    }
}

/// **query_roundtrip**: a parameter object (a JSON document, or generated from the bytes) encodes with
/// the canonical shape and ordering; cut down to [`rack_subset`], `parse(toQuery(x))` is `x`.
pub fn query_roundtrip(data: &[u8]) {
    let value = json_or_generated(data, /* object */ true);
    for limits in [Limits::default(), tight()] {
        match to_query_with(&value, &limits) {
            Ok(query) => check_query_text(&query),
            Err(e) => check_error(&e, &[]),
        }
    }
    check_ordering(&value, &generous());
    if let Some(subset) = rack_subset(&value) {
        check_round_trip(&subset);
    }
}

fn timestamp_in(body: &[u8]) -> Option<i64> {
    body.split(|&b| b == b'&').find_map(|pair| {
        let digits = pair.strip_prefix(b"request_timestamp=")?;
        if digits.is_empty() || digits.len() > 11 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    })
}

/// **ost_webhook**: `secret NUL url NUL body`, all arbitrary. The raw body, its parsed parameters and (when
/// it is one) its JSON form go through `verify_ost_webhook` with that secret and a canary secret; every
/// error is typed and free of secrets. Then what `sign_ost_webhook` makes of the parameters with the canary
/// verifies: signing and verifying agree.
pub fn ost_webhook(data: &[u8]) {
    let [secret, url, body] = fields::<3>(data);
    let url = if url.is_empty() {
        DEFAULT_URL.to_owned()
    } else {
        String::from_utf8_lossy(url).into_owned()
    };
    let canary = Secret::new(CANARY, "canary").expect("non-empty");
    let mut secrets = vec![canary.clone()];
    if let Ok(s) = Secret::new(secret, "secret") {
        secrets.insert(0, s);
    }
    let hidden = [CANARY];
    let timestamp = timestamp_in(body).unwrap_or(SEED_TIMESTAMP);
    let now = match data.len() % 8 {
        0 => timestamp.saturating_sub(400).max(0),
        1 => timestamp + 400,
        _ => timestamp,
    };
    let limits = if data.len() % 16 == 3 {
        tight()
    } else {
        Limits::default()
    };
    let options = VerifyOptions {
        url: &url,
        secrets: &secrets,
        tolerance_seconds: Some(300),
        now,
        limits,
    };
    match verify_ost_webhook(OstBody::Raw(body), &options) {
        Ok(params) => assert!(params.get("signature").is_none(), "signature returned"),
        Err(e) => check_error(&e, &hidden),
    }
    let parsed = parse_query(body, &limits).ok();
    if let Some(params) = &parsed {
        if let Err(e) = verify_ost_webhook(OstBody::Params(params), &options) {
            check_error(&e, &hidden);
        }
    }
    if body.first() == Some(&b'{') {
        if let Ok(json) = serde_json::from_slice::<Value>(body) {
            if let Err(e) = verify_ost_webhook(OstBody::Params(&json), &options) {
                check_error(&e, &hidden);
            }
        }
    }

    // Sign with the canary, then verify that body: it must never fail on the signature or the clock.
    let Some(params) = parsed else { return };
    let Ok(signed) = sign_ost_webhook(&params, &url, &canary, now, &limits) else {
        return;
    };
    check_query_text(&signed.body);
    let only_canary = [canary];
    let verify = VerifyOptions {
        secrets: &only_canary,
        ..options
    };
    if let Err(e) = verify_ost_webhook(OstBody::Raw(signed.body.as_bytes()), &verify) {
        check_error(&e, &hidden);
        assert!(
            [
                "MALFORMED_BODY",
                "TOO_DEEP",
                "TOO_MANY_PARAMS",
                "BODY_TOO_LARGE"
            ]
            .contains(&e.code()),
            "a body signed by sign_ost_webhook failed verification with {}",
            e.code()
        );
    }
}

fn flip(text: &str, at: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    if let Some(b) = bytes.get_mut(at) {
        *b ^= 1;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// **tot_webhook**: `secret NUL authorization NUL body`, all arbitrary. `verify_tot_webhook` answers with a
/// typed, secret-free error or succeeds; a missing header is `MISSING_SIGNATURE`; the canary's own signature
/// verifies, and changing one byte of the body or of the signature is rejected. A verified JSON body's
/// reasons are then judged.
pub fn tot_webhook(data: &[u8]) {
    let [secret, header, body] = fields::<3>(data);
    let header = String::from_utf8_lossy(header).into_owned();
    let canary = Secret::new(CANARY, "canary").expect("non-empty");
    let mut secrets = vec![canary.clone()];
    if let Ok(s) = Secret::new(secret, "secret") {
        secrets.push(s);
    }
    let hidden = [CANARY];
    let limits = Limits::default();
    let verified = verify_tot_webhook(body, Some(&header), &secrets, &limits);
    if let Err(e) = &verified {
        check_error(e, &hidden);
    }
    let missing = verify_tot_webhook(body, None, &secrets, &limits).expect_err("no header");
    assert_eq!(missing.code(), "MISSING_SIGNATURE");

    let only_canary = [canary.clone()];
    let signature = tot_webhook_signature(body, &canary).expect("signs");
    verify_tot_webhook(body, Some(&signature), &only_canary, &limits).expect("own signature");
    if !body.is_empty() {
        let mut changed = body.to_vec();
        if let Some(b) = changed.get_mut(data.len() % body.len()) {
            *b ^= 1 << (data.len() % 8);
        }
        let e = verify_tot_webhook(&changed, Some(&signature), &only_canary, &limits)
            .expect_err("changed body");
        assert_eq!(e.code(), "INVALID_SIGNATURE");
    }
    let wrong = flip(&signature, data.len() % signature.len().max(1));
    let e = verify_tot_webhook(body, Some(&wrong), &only_canary, &limits)
        .expect_err("changed signature");
    check_error(&e, &hidden);

    if verified.is_ok() {
        if let Ok(json) = serde_json::from_slice::<Value>(body) {
            judge_all(&json);
        }
    }
}

fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => *n != 0.0 && !n.is_nan(),
        Some(Value::String(s)) => {
            !s.is_empty()
                && ![
                    "false",
                    "noMatch",
                    "no match",
                    "insufficientData",
                    "notApplicable",
                ]
                .contains(&s.as_str())
        }
        Some(Value::Array(_) | Value::Object(_)) => true,
    }
}

/// One reason: `reasonValue` is the reason itself, or its `value` or `status`, never `"notApplicable"`;
/// `reasonIsPositive` is that value's truthiness with the provider's negative words.
pub fn judge(reason: &Value) {
    let picked = reason_value(Some(reason));
    if let Some(p) = picked {
        let child = reason
            .as_object()
            .is_some_and(|entries| entries.iter().any(|(_, c)| std::ptr::eq(c, p)));
        assert!(
            std::ptr::eq(p, reason) || child,
            "reasonValue picked a stranger"
        );
        assert_ne!(p, &Value::string("notApplicable"));
    }
    assert_eq!(reason_is_positive(Some(reason)), truthy(picked));
}

/// Judges `value` and everything inside it (at most 10,000 values), iteratively.
pub fn judge_all(value: &Value) {
    let mut pending = vec![value];
    let mut seen = 0;
    while let Some(v) = pending.pop() {
        seen += 1;
        if seen > 10_000 {
            break;
        }
        judge(v);
        match v {
            Value::Array(items) => pending.extend(items),
            Value::Object(entries) => pending.extend(entries.iter().map(|(_, c)| c)),
            _ => {}
        }
    }
}

/// **reasons**: every value in a JSON document (or one generated from the bytes) judged as a Token of
/// Trust reason; a missing reason is negative.
pub fn reasons(data: &[u8]) {
    assert!(!reason_is_positive(None));
    assert!(reason_value(None).is_none());
    judge_all(&json_or_generated(data, /* object */ false));
}

const DECISION_CODES: [&str; 6] = [
    "TOT_ERROR",
    "NO_CONTENT",
    "HTTP_ERROR",
    "NO_CONTINUATION",
    "NO_POSITIVE_GATE",
    "UNEXPECTED_RESPONSE",
];

fn has_url(params: Option<&Value>) -> bool {
    matches!(params.and_then(|p| p.get("url")), Some(Value::String(u)) if !u.is_empty())
}

/// `evaluateVerification` fails closed: it verifies only on evidence (a positive `isNotRequired`,
/// `isCleared` or `isSubmitted` gate under `conditionsMet`, or the app server's explicit
/// `verificationRequired: false`), continues only with a continuation URL, and every other answer is an
/// error with a documented code.
pub fn check_decision(content: &Value) {
    let d = evaluate_verification(Some(content));
    match d.action {
        Action::Verified => {
            assert!(!d.verification_required && d.error.is_none() && d.continuation.is_none());
            let gates = content
                .get("details")
                .and_then(|x| x.get("conditionResult"))
                .and_then(|x| x.get("gates"));
            let gate = |name: &str| reason_is_positive(gates.and_then(|g| g.get(name)));
            let met = content.get("code").and_then(Value::as_str) == Some(CONDITIONS_MET)
                && (gate("isNotRequired") || gate("isCleared") || gate("isSubmitted"));
            let explicit = content.get("verificationRequired") == Some(&Value::Bool(false));
            assert!(met || explicit, "verified without evidence");
        }
        Action::Continue => {
            assert!(d.verification_required && d.error.is_none());
            let c = d.continuation.as_ref().expect("a continuation");
            assert!(has_url(Some(c)), "continuation without url");
            assert!(matches!(c.get("disableClose"), Some(Value::Bool(_))));
            assert_eq!(&normalize_continuation(c), c, "normalize is idempotent");
        }
        Action::Error => {
            assert!(d.verification_required && d.continuation.is_none());
            let e = d.error.as_ref().expect("an error");
            assert!(DECISION_CODES.contains(&e.code), "code {}", e.code);
        }
    }
}

/// `processPersonResponse` (the app server) answers `verificationRequired: false` only for
/// `conditionsMet` content, a continuation only with a URL, otherwise an error with a documented code; and
/// the client's `evaluateVerification` of that answer agrees with it.
pub fn check_pass_through(response: &Value) {
    let out = process_person_response(Some(response));
    let required = out.get("verificationRequired");
    let client = evaluate_verification(Some(&out));
    if required == Some(&Value::Bool(false)) {
        let content = response.get("content");
        assert_eq!(
            content.and_then(|c| c.get("code")).and_then(Value::as_str),
            Some(CONDITIONS_MET),
            "waved through without conditionsMet"
        );
        assert_eq!(client.action, Action::Verified);
        return;
    }
    assert_eq!(required, Some(&Value::Bool(true)));
    if let Some(continuation) = out.get("continuation") {
        assert!(
            has_url(continuation.get("params")),
            "continuation without url"
        );
        assert_eq!(client.action, Action::Continue);
        return;
    }
    let error = out.get("error").expect("an error");
    let code = error.get("code").and_then(Value::as_str).expect("a code");
    assert!(DECISION_CODES.contains(&code), "code {code}");
    assert_eq!(client.action, Action::Error);
    assert_eq!(client.error.as_ref().map(|e| e.code), Some(code));
}

/// **decisions**: a Token of Trust verifyPerson response (a JSON document, or generated from the bytes) and
/// its `content` through `evaluateVerification` and `processPersonResponse` (see [`check_decision`],
/// [`check_pass_through`]), and the same value as verifyPerson input through `buildVerifyPersonBody` with a
/// canary `totSecretKey`: typed errors that never show it.
pub fn decisions(data: &[u8]) {
    assert_eq!(evaluate_verification(None).action, Action::Error);
    let value = json_or_generated(data, /* object */ false);
    check_pass_through(&value);
    check_decision(&value);
    if let Some(content) = value.get("content") {
        check_decision(content);
    }
    let mut input = value;
    if let Value::Object(entries) = &mut input {
        entries.retain(|(k, _)| k != "totSecretKey");
        entries.push(("totSecretKey".into(), Value::string(CANARY)));
    }
    if let Err(e) = build_verify_person_body(&input) {
        check_error(&e, &[CANARY]);
        assert_eq!(e.code(), "INVALID_ARGUMENT");
    }
}

/// **uploads**: the pre-signed URL response parser on arbitrary JSON (with and without a `files` map), then
/// what follows a parsed response: the KYC file paths, the POST policy (decoded, parsed and checked against
/// a file), and the S3 XML error parser on the raw text. Errors must be typed; targets must be sane.
pub fn uploads(data: &[u8]) {
    use kyc_wasm::upload::{
        check_policy, decode_policy, kyc_file_paths, parse_policy, parse_s3_error,
        parse_upload_targets,
    };
    let [files_part, rest] = fields::<2>(data);
    let response = json_or_generated(rest, /* object */ true);
    let files: Vec<(String, String)> = String::from_utf8_lossy(files_part)
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let _ = parse_s3_error(&String::from_utf8_lossy(rest));
    for files in [None, Some(files.as_slice())] {
        match parse_upload_targets(&response, files, 1_700_000_000) {
            Ok(targets) => {
                for t in &targets {
                    assert!(!t.key.is_empty(), "a target without a key");
                    assert_eq!(
                        t.expires_at,
                        1_700_000_000 + 900,
                        "expiresAt is now + 15 minutes"
                    );
                    if let Ok(Some(text)) = decode_policy(t) {
                        if let Ok(policy_json) = serde_json::from_str::<Value>(&text) {
                            match parse_policy(&policy_json) {
                                Ok(policy) => {
                                    for (ct, size) in
                                        [("image/png", 300_000u64), ("application/pdf", 0)]
                                    {
                                        if let Err(e) =
                                            check_policy(&policy, t, ct, size, 1_700_000_000)
                                        {
                                            check_error(&e, &[CANARY]);
                                        }
                                    }
                                }
                                Err(e) => check_error(&e, &[CANARY]),
                            }
                        }
                    }
                }
                let uploaded: Vec<(String, String)> = targets
                    .iter()
                    .map(|t| {
                        (
                            t.key.clone(),
                            t.fields
                                .iter()
                                .find(|(k, _)| k == "key")
                                .map(|(_, v)| v.clone())
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                if let Err(e) = kyc_file_paths(&uploaded) {
                    check_error(&e, &[CANARY]);
                }
            }
            Err(e) => check_error(&e, &[CANARY]),
        }
    }
}

/// **submission**: the KYC submission validator on arbitrary JSON, with the seed's required set and with a
/// narrowed one taken from the input: only a caller mistake may be an error, and every problem names a
/// field and has a message.
pub fn submission(data: &[u8]) {
    use kyc_wasm::ost_api::submission::validate_kyc_submission;
    let fields = json_or_generated(data, /* object */ true);
    let narrowed: Vec<String> = fields
        .as_object()
        .map(|e| e.iter().take(3).map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    for required in [None, Some(narrowed.as_slice())] {
        match validate_kyc_submission(&fields, required, 1_700_000_000) {
            Ok(problems) => {
                for p in problems {
                    // The field is the offending key as given (it may be the empty string); the message is never empty.
                    let known = fields.get(&p.field).is_some()
                        || p.field.chars().any(|c| c.is_ascii_alphabetic());
                    assert!(
                        !p.message.is_empty() && (known || p.field.is_empty()),
                        "a problem without a message, or naming no field: {p:?}"
                    );
                }
            }
            Err(e) => check_error(&e, &[CANARY]),
        }
    }
}
