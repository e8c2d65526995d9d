//! OST KYC webhooks.
//!
//! OST POSTs `toQuery(event ∪ {request_timestamp, signature})` form-urlencoded. The string to sign is the
//! registered URL without its query string, `?`, and the canonical query of every parameter but `signature`.
//! A raw body is verified from its own bytes (the `signature` pair is dropped, nothing is re-encoded); a body
//! that middleware already parsed is re-canonicalised.

use hmac::Mac;

use crate::calendar::check_timestamp;
use crate::codec::{from_hex, to_hex};
use crate::error::KycError;
use crate::query::{build, escape_into, parse_query, scan_pairs, to_query_with, KeyIndex, Pair};
use crate::secret::{require_secrets, Secret};
use crate::value::{js_number, without, Limits, Value};

/// The default distance allowed between `request_timestamp` and `now`, in seconds.
pub const DEFAULT_TOLERANCE_SECONDS: u64 = 300;

/// What arrived: the raw bytes, or parameters that something already parsed (form or JSON).
#[derive(Clone, Copy, Debug)]
pub enum OstBody<'a> {
    /// The exact request body, `application/x-www-form-urlencoded`.
    Raw(&'a [u8]),
    /// Parameters already parsed (all values strings, as Rack or body-parser leave them), signature included.
    Params(&'a Value),
}

/// How to verify an OST webhook.
#[derive(Clone, Debug)]
pub struct VerifyOptions<'a> {
    /// The webhook URL registered in the OST dashboard. Its query string and fragment are ignored.
    pub url: &'a str,
    /// Accepted secrets: any one matching is enough, for rotation.
    pub secrets: &'a [Secret],
    /// Largest allowed `|now - request_timestamp|`; `None` disables the check.
    pub tolerance_seconds: Option<u64>,
    /// The current time in Unix seconds, passed in: the core never reads a clock.
    pub now: i64,
    /// Bounds on the body.
    pub limits: Limits,
}

/// Whether a `Content-Type` header value names JSON (`application/json`, or `application/<anything>+json`),
/// parameters and case aside. Anything else, or no header, is a form body: the content type decides, never
/// the body's first byte.
pub fn is_json_media_type(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"))
}

/// The URL as OST signs it: scheme, host, port and path, without query string or fragment.
pub fn signing_url(url: &str) -> Result<&str, KycError> {
    let base = url.split(['?', '#']).next().unwrap_or_default();
    let lower = base.get(..8).unwrap_or(base).to_ascii_lowercase();
    let has_scheme = lower.starts_with("http://") || lower.starts_with("https://");
    if !has_scheme || base.len() <= 8 || base.chars().any(char::is_whitespace) {
        return Err(KycError::invalid_argument(
            "url must be the full webhook URL registered with OST, such as https://example.com/webhooks/ost",
        ));
    }
    Ok(base)
}

fn read_timestamp(params: &Value) -> Result<i64, KycError> {
    let text = match params.get("request_timestamp") {
        None => return Err(KycError::malformed("no request_timestamp parameter")),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.fract() == 0.0 && n.abs() < 1e15 => return Ok(*n as i64),
        Some(_) => {
            return Err(KycError::malformed(
                "request_timestamp is not a whole number of seconds",
            ))
        }
    };
    let digits = text.strip_prefix('-').unwrap_or(&text);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(KycError::malformed(
            "request_timestamp is not a whole number of seconds",
        ));
    }
    text.parse()
        .map_err(|_| KycError::malformed("request_timestamp is not a whole number of seconds"))
}

fn check_tolerance(timestamp: i64, options: &VerifyOptions<'_>) -> Result<(), KycError> {
    if let Some(tolerance) = options.tolerance_seconds {
        if timestamp.abs_diff(options.now) > tolerance {
            return Err(KycError::TimestampOutOfTolerance {
                timestamp,
                now: options.now,
                tolerance,
            });
        }
    }
    Ok(())
}

fn read_signature(params: &Value) -> Result<Vec<u8>, KycError> {
    match params.get("signature") {
        None => Err(KycError::MissingSignature(
            "the body has no signature parameter",
        )),
        Some(Value::String(s)) if s.is_empty() => Err(KycError::MissingSignature(
            "the signature parameter is empty",
        )),
        // A signature that is not 64 hex digits matches nothing; it is still a signature that failed.
        Some(Value::String(s)) => Ok(from_hex(s, 32).unwrap_or_default()),
        Some(_) => Err(KycError::malformed(
            "the signature parameter is not a single string",
        )),
    }
}

fn matches_any(
    secrets: &[Secret],
    signature: &[u8],
    feed: impl Fn(&mut crate::secret::HmacSha256),
) -> Result<(), KycError> {
    let mut ok = false;
    for secret in secrets {
        let mut mac = secret.sha256()?;
        feed(&mut mac);
        // Constant-time comparison; a wrong-length signature is simply a mismatch.
        ok |= mac.verify_slice(signature).is_ok();
    }
    if ok {
        Ok(())
    } else {
        Err(KycError::InvalidSignature)
    }
}

/// Verifies an OST webhook and returns its parameters without `signature`: exactly what the signed canonical
/// query denotes when Rack reads it, whatever form the input took.
///
/// A raw body is authenticated before any nested structure is built: the pairs are split and decoded (linear
/// work, with every check that needs no structure), the MAC is checked over the raw bytes, and only then are
/// the pairs nested. A body with no `signature` pair at all is nested first, as before, so that it still
/// answers with what is wrong with it.
///
/// Parameters (JSON or already parsed) are canonicalised, the MAC is checked over that, and the canonical
/// query is read back with the Rack parser: the result is what is returned, and an input whose structure
/// differs from it (bracketed keys, empty objects or arrays, `null` or boolean leaves) is `MALFORMED_BODY`.
/// Numbers are accepted where the form carries their decimal text, and come back as that text.
pub fn verify_ost_webhook(
    body: OstBody<'_>,
    options: &VerifyOptions<'_>,
) -> Result<Value, KycError> {
    let url = signing_url(options.url)?;
    require_secrets(options.secrets)?;
    check_timestamp(options.now, "now")?;
    let params = match body {
        OstBody::Raw(bytes) => verify_raw(strip_bom(bytes), url, options)?,
        OstBody::Params(params) => verify_params(params, url, options)?,
    };
    check_tolerance(read_timestamp(&params)?, options)?;
    Ok(params)
}

/// A leading UTF-8 byte-order mark is not part of any body's content: OST never signs one.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn verify_raw(bytes: &[u8], url: &str, options: &VerifyOptions<'_>) -> Result<Value, KycError> {
    let pairs = scan_pairs(bytes, &options.limits)?;
    let is_signature = |p: &&Pair<'_>| p.is_signature;
    let Some(last) = pairs.iter().rev().find(is_signature) else {
        // No signature pair: whatever the structure says is wrong comes first, as it always has.
        let params = build(pairs, &options.limits)?;
        read_signature(&params)?;
        return Err(KycError::MissingSignature(
            "the body has no signature parameter",
        ));
    };
    let signature = match last.value()? {
        None => {
            return Err(KycError::malformed(
                "the signature parameter is not a single string",
            ))
        }
        Some(s) if s.is_empty() => {
            return Err(KycError::MissingSignature(
                "the signature parameter is empty",
            ))
        }
        Some(s) => from_hex(&s, 32).unwrap_or_default(),
    };
    if pairs.iter().filter(is_signature).count() > 1 {
        return Err(KycError::malformed(
            "the body has more than one signature parameter",
        ));
    }
    let skip = last.piece;
    matches_any(options.secrets, &signature, |mac| {
        mac.update(url.as_bytes());
        mac.update(b"?");
        let mut first = true;
        // Every piece but the signature pair, empty ones included, exactly as received.
        for pair in bytes
            .split(|&b| b == b'&')
            .enumerate()
            .filter_map(|(i, p)| (i != skip).then_some(p))
        {
            if !first {
                mac.update(b"&");
            }
            first = false;
            mac.update(pair);
        }
    })?;
    // Authenticated: now the structure, from the signed pairs only.
    let params = build(
        pairs.into_iter().filter(|p| !p.is_signature),
        &options.limits,
    )?;
    if params.get("signature").is_some() {
        return Err(KycError::malformed(
            "the body has more than one signature parameter",
        ));
    }
    Ok(params)
}

fn verify_params(
    params: &Value,
    url: &str,
    options: &VerifyOptions<'_>,
) -> Result<Value, KycError> {
    let Value::Object(entries) = params else {
        return Err(KycError::malformed(
            "the webhook body must be an object of parameters",
        ));
    };
    options.limits.check_value(params)?;
    let signature = read_signature(params)?;
    let rest = Value::Object(without(entries, &["signature"]));
    let canonical = to_query_with(&rest, &options.limits)?;
    matches_any(options.secrets, &signature, |mac| {
        mac.update(url.as_bytes());
        mac.update(b"?");
        mac.update(canonical.as_bytes());
    })?;
    let reading = parse_query(canonical.as_bytes(), &options.limits)?;
    if !same_form(&rest, &reading) {
        return Err(KycError::malformed(
            "the parameters differ from what their signature covers (a bracketed key, an empty object or \
             array, or a null or boolean value that a form body cannot carry): verify the raw body instead",
        ));
    }
    Ok(reading)
}

/// Whether `input` is what the form `reading` denotes: the same objects and arrays, string leaves equal,
/// number leaves equal to their decimal text. Object key order does not matter; array order does.
pub fn same_form(input: &Value, reading: &Value) -> bool {
    match (input, reading) {
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Number(n), Value::String(b)) => n.is_finite() && js_number(*n) == *b,
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_form(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            if a.len() != b.len() {
                return false;
            }
            // Both sides without repeated keys, the same number of them, each input key read alike.
            let index = KeyIndex::new(b.iter().map(|(k, _)| k.as_str()));
            index.len() == b.len()
                && KeyIndex::new(a.iter().map(|(k, _)| k.as_str())).len() == a.len()
                && a.iter().all(|(k, v)| {
                    index
                        .get(k)
                        .and_then(|i| b.get(i))
                        .is_some_and(|(_, r)| same_form(v, r))
                })
        }
        _ => false,
    }
}

/// What [`verify_ost_webhook_params_json`] answers.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamsAnswer {
    /// The signed parameters as JSON text: `JSON.parse` of it is the object the general path returns (the same
    /// keys in the same order, number leaves as their decimal text).
    Json(String),
    /// The signed parameters, from the general path (for an input outside the fast form).
    Value(Value),
}

/// [`verify_ost_webhook`] for parsed parameters, answering with JSON text where it can (issue 16).
///
/// The general path canonicalises the parameters, checks the MAC, reads the canonical query back with the Rack
/// parser and compares that reading with the input. For an input in the *fast form* the reading is known
/// without parsing: every object non-empty with keys that are non-empty, free of `[` and `]` and not
/// repeated; leaves strings or finite numbers; arrays non-empty and of leaves only; nesting, keys, leaf count
/// and the canonical query's length well inside `limits`. There the canonical query is one-to-one (no key
/// merges, splits or disappears when Rack reads it), so the reading IS the input without `signature`, its
/// numbers as their decimal text and each object's keys in canonical order; it is written as JSON while the
/// canonical query is built, and nothing is re-parsed. Any other input takes the general path unchanged, so
/// answers and errors are the same for every input.
pub fn verify_ost_webhook_params_json(
    params: &Value,
    options: &VerifyOptions<'_>,
) -> Result<ParamsAnswer, KycError> {
    let url = signing_url(options.url)?;
    require_secrets(options.secrets)?;
    check_timestamp(options.now, "now")?;
    let fast = match params {
        Value::Object(entries) => {
            // In the general path's order: limits, then the signature.
            options.limits.check_value(params)?;
            let signature = read_signature(params)?;
            FastForm::new(&options.limits)
                .top(entries)
                .map(|form| (signature, form))
        }
        _ => None,
    };
    let Some((signature, (canonical, json))) = fast else {
        return verify_ost_webhook(OstBody::Params(params), options).map(ParamsAnswer::Value);
    };
    matches_any(options.secrets, &signature, |mac| {
        mac.update(url.as_bytes());
        mac.update(b"?");
        mac.update(canonical.as_bytes());
    })?;
    // What the reading holds under `request_timestamp`: a number leaf reads back as its text.
    let timestamp = match params.get("request_timestamp") {
        None => Value::Object(Vec::new()),
        Some(Value::Number(n)) => one_entry(Value::String(js_number(*n))),
        Some(Value::String(s)) => one_entry(Value::String(s.clone())),
        Some(_) => one_entry(Value::Null),
    };
    check_tolerance(read_timestamp(&timestamp)?, options)?;
    Ok(ParamsAnswer::Json(json))
}

fn one_entry(value: Value) -> Value {
    Value::Object(vec![("request_timestamp".into(), value)])
}

/// One child of an object in the fast form: where its canonical query chunk and its `"key":value` JSON member
/// are in the walk's buffers.
#[derive(Clone, Copy)]
struct Member {
    query: (usize, usize),
    json: (usize, usize),
}

/// The walk of [`verify_ost_webhook_params_json`]: `None` as soon as the input leaves the fast form.
///
/// Everything is written into two buffers (no allocation per parameter): an object's members are written one
/// after the other, then in canonical order after them, and the unordered copy is removed.
struct FastForm<'a> {
    limits: &'a Limits,
    leaves: usize,
    bytes: usize,
    /// The escaped path of the object being walked (`data%5Buser%5D`).
    path: String,
    query: Vec<u8>,
    json: Vec<u8>,
    members: Vec<Member>,
}

impl<'a> FastForm<'a> {
    fn new(limits: &'a Limits) -> Self {
        FastForm {
            limits,
            leaves: 0,
            bytes: 0,
            path: String::new(),
            query: Vec::new(),
            json: Vec::new(),
            members: Vec::new(),
        }
    }

    /// The top-level object without `signature`: (canonical query, JSON text).
    fn top(mut self, entries: &[(String, Value)]) -> Option<(String, String)> {
        self.object(entries, 0, 0)?;
        // The canonical query as a body: within max_body_bytes, and well inside the parameter limit.
        if self.query.len() > self.limits.max_body_bytes || self.leaves >= self.limits.max_params {
            return None;
        }
        Some((
            String::from_utf8(self.query).ok()?,
            String::from_utf8(self.json).ok()?,
        ))
    }

    /// Whether `entries` has a key twice: pairwise for a few keys, sorted beyond (the walk runs before the MAC
    /// is checked, so it stays O(n log n) for any input).
    fn repeats_a_key(entries: &[(String, Value)]) -> bool {
        if entries.len() <= 8 {
            return entries
                .iter()
                .enumerate()
                .any(|(i, (k, _))| entries.iter().take(i).any(|(other, _)| other == k));
        }
        let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys.windows(2).any(|w| w.first() == w.get(1))
    }

    /// Appends the object's members in canonical order (query chunks joined by `&`, and `{…}`) to the buffers.
    /// `depth` is 0 for the top level; the object's escaped path is `self.path`, its decoded key `key_len` bytes.
    fn object(&mut self, entries: &[(String, Value)], key_len: usize, depth: usize) -> Option<()> {
        if depth + 2 > self.limits.max_depth
            || (depth > 0 && entries.is_empty())
            || Self::repeats_a_key(entries)
        {
            return None;
        }
        let (query_start, json_start) = (self.query.len(), self.json.len());
        let first = self.members.len();
        for (key, value) in entries {
            if depth == 0 && key == "signature" {
                continue;
            }
            if key.is_empty() || key.bytes().any(|b| b == b'[' || b == b']') {
                return None;
            }
            let path_len = self.path.len();
            let child_len = if depth == 0 {
                escape_into(&mut self.path, key.as_bytes());
                key.len()
            } else {
                self.path.push_str("%5B");
                escape_into(&mut self.path, key.as_bytes());
                self.path.push_str("%5D");
                key_len + key.len() + 2
            };
            // The longest decoded key under this one (`…[]` for an array's items) within max_key_bytes.
            if child_len + 2 > self.limits.max_key_bytes {
                return None;
            }
            let (q, j) = (self.query.len(), self.json.len());
            json_string(&mut self.json, key);
            self.json.push(b':');
            match value {
                Value::Object(inner) => self.object(inner, child_len, depth + 1)?,
                Value::Array(items) => {
                    if items.is_empty() || depth + 3 > self.limits.max_depth {
                        return None;
                    }
                    self.path.push_str("%5B%5D");
                    self.json.push(b'[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.query.push(b'&');
                            self.json.push(b',');
                        }
                        self.leaf(item)?;
                    }
                    self.json.push(b']');
                }
                leaf => self.leaf(leaf)?,
            }
            self.path.truncate(path_len);
            self.members.push(Member {
                query: (q, self.query.len()),
                json: (j, self.json.len()),
            });
        }
        // Canonical order: the children's chunks bytewise, as the encoder sorts them; Rack reads the keys back
        // in the order their first pairs come, which is this one.
        let query = &self.query;
        let members = self.members.get_mut(first..)?;
        members.sort_unstable_by(|a, b| {
            query
                .get(a.query.0..a.query.1)
                .cmp(&query.get(b.query.0..b.query.1))
        });
        let (query_end, json_end) = (self.query.len(), self.json.len());
        self.json.push(b'{');
        for (i, m) in members.iter().enumerate() {
            if i > 0 {
                self.query.push(b'&');
                self.json.push(b',');
            }
            self.query.extend_from_within(m.query.0..m.query.1);
            self.json.extend_from_within(m.json.0..m.json.1);
        }
        self.json.push(b'}');
        self.members.truncate(first);
        // The ordered copy replaces the members as written.
        self.query.drain(query_start..query_end);
        self.json.drain(json_start..json_end);
        Some(())
    }

    /// Appends the pair `path=value` to the query and the value's JSON (always a string) to the JSON.
    fn leaf(&mut self, value: &Value) -> Option<()> {
        let number;
        let text = match value {
            Value::String(s) => s.as_str(),
            Value::Number(n) if n.is_finite() => {
                number = js_number(*n);
                number.as_str()
            }
            _ => return None,
        };
        self.leaves += 1;
        let start = self.query.len();
        self.query.extend_from_slice(self.path.as_bytes());
        self.query.push(b'=');
        escape_bytes(&mut self.query, text.as_bytes());
        self.bytes = self.bytes.saturating_add(self.query.len() - start + 1);
        if self.leaves >= self.limits.max_params || self.bytes > self.limits.max_body_bytes {
            return None;
        }
        json_string(&mut self.json, text);
        Some(())
    }
}

/// [`escape_into`] onto bytes. Runs of bytes that stay as they are are copied at once, and the room for the
/// whole escaped text is reserved first (issue 16: a push per byte was 8% of a parsed webhook's time).
fn escape_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    let escapes = bytes.iter().filter(|&&b| !unreserved(b)).count();
    out.reserve(bytes.len() + 2 * escapes);
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if unreserved(b) {
            continue;
        }
        out.extend_from_slice(bytes.get(from..i).unwrap_or_default());
        from = i + 1;
        if b == b' ' {
            out.push(b'+');
        } else {
            out.extend_from_slice(&[
                b'%',
                HEX_UPPER.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
                HEX_UPPER.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
            ]);
        }
    }
    out.extend_from_slice(bytes.get(from..).unwrap_or_default());
}

/// The bytes the canonical query keeps as they are.
fn unreserved(b: u8) -> bool {
    matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_')
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `text` as a JSON string.
fn json_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(bytes.get(from..i).unwrap_or_default());
        if escape.is_empty() {
            // A control character: b < 0x20.
            out.extend_from_slice(b"\\u00");
            out.push(b'0' + (b >> 4));
            out.push(HEX_UPPER.get(usize::from(b & 15)).copied().unwrap_or(b'0'));
        } else {
            out.extend_from_slice(escape);
        }
        from = i + 1;
    }
    out.extend_from_slice(bytes.get(from..).unwrap_or_default());
    out.push(b'"');
}

/// [`verify_ost_webhook_params_json`] for the commonest parsed body, read straight from its JSON text (issue 16,
/// third pass): `Ok(true)` when it is verified AND its answer is the body itself without `signature`; `Ok(false)`
/// when the text is not of that form (the caller then takes the general way, which answers as before).
///
/// `text` is what `JSON.stringify` writes for the body without its top-level `signature`, whose value is
/// `signature`. The form: objects of strings, objects and non-empty arrays of strings; no escape in any string
/// (no `\`); each object's members already in canonical order; every limit of [`crate::plain_json`],
/// [`Limits::check_value`] and the fast form met with room. For such a body the general fast path reads the
/// same [`Value`], builds the same canonical query and answers with JSON text that is `text` itself (its
/// members need no reordering, its strings no re-escaping), so its `JSON.parse` is the body without
/// `signature`. Here no [`Value`] is built and no answer is written: the canonical query is written in one walk
/// of the text. The checks run in the general path's order (options, then the MAC, then the timestamp), so
/// an input of this form gets the same error too.
pub fn verify_ost_webhook_direct(
    text: &[u8],
    signature: &str,
    options: &VerifyOptions<'_>,
) -> Result<bool, KycError> {
    let url = signing_url(options.url)?;
    require_secrets(options.secrets)?;
    check_timestamp(options.now, "now")?;
    if signature.is_empty() {
        return Ok(false);
    }
    let mut walk = Direct::new(text, &options.limits);
    // The signature pair counts as a value of the body: one more node, its key and value in the byte budget.
    walk.nodes = 1;
    walk.spent = "signature".len() + signature.len();
    if walk.top().is_none() {
        return Ok(false);
    }
    let timestamp = walk.timestamp;
    let canonical = walk.query;
    let signature = from_hex(signature, 32).unwrap_or_default();
    matches_any(options.secrets, &signature, |mac| {
        mac.update(url.as_bytes());
        mac.update(b"?");
        mac.update(&canonical);
    })?;
    // As in the general path: what the reading holds under `request_timestamp`.
    let timestamp = match timestamp {
        None => Value::Object(Vec::new()),
        Some(Some(s)) => one_entry(Value::String(
            std::str::from_utf8(s)
                .map_err(|_| KycError::malformed("the body is not valid UTF-8"))?
                .to_owned(),
        )),
        Some(None) => one_entry(Value::Null),
    };
    check_tolerance(read_timestamp(&timestamp)?, options)?;
    Ok(true)
}

/// The walk of [`verify_ost_webhook_direct`]: `None` as soon as the text leaves its form.
struct Direct<'a> {
    text: &'a [u8],
    at: usize,
    limits: &'a Limits,
    /// Values read ([`crate::plain_json`]'s count: containers and leaves).
    nodes: usize,
    /// Bytes of keys and strings ([`crate::plain_json`]'s budget).
    spent: usize,
    /// Leaves and pair bytes (the fast form's counts).
    leaves: usize,
    bytes: usize,
    /// The escaped path of the object being walked.
    path: Vec<u8>,
    query: Vec<u8>,
    /// The keys of the objects being walked (ranges of `text`), for the repeated-key check.
    keys: Vec<(usize, usize)>,
    /// The top-level `request_timestamp`: a string, or something else (`None` inside).
    timestamp: Option<Option<&'a [u8]>>,
}

impl<'a> Direct<'a> {
    fn new(text: &'a [u8], limits: &'a Limits) -> Self {
        Direct {
            text,
            at: 0,
            limits,
            nodes: 0,
            spent: 0,
            leaves: 0,
            bytes: 0,
            path: Vec::with_capacity(64),
            query: Vec::with_capacity(text.len() + text.len() / 2),
            keys: Vec::with_capacity(32),
            timestamp: None,
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn node(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.limits.max_params).then_some(())
    }

    fn spend(&mut self, bytes: usize) -> Option<()> {
        self.spent = self.spent.saturating_add(bytes);
        (self.spent <= self.limits.max_body_bytes).then_some(())
    }

    /// A string without escapes: the range of its content.
    fn string(&mut self) -> Option<(usize, usize)> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.at;
        let rest = self.text.get(start..)?;
        let len = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.at = start + len + 1;
        self.spend(len)?;
        Some((start, start + len))
    }

    fn top(&mut self) -> Option<()> {
        self.object(0, 0)?;
        if self.at != self.text.len()
            || self.query.len() > self.limits.max_body_bytes
            || self.leaves >= self.limits.max_params
        {
            return None;
        }
        Some(())
    }

    /// An object at `depth` (0: the top level) whose decoded key is `key_len` bytes long.
    fn object(&mut self, key_len: usize, depth: usize) -> Option<()> {
        self.node()?;
        if !self.eat(b'{') || depth + 2 > self.limits.max_depth {
            return None;
        }
        if self.eat(b'}') {
            // An empty object: only the top level may be one.
            return (depth == 0).then_some(());
        }
        let first_key = self.keys.len();
        // The previous member's query chunk, to check the canonical order.
        let mut previous: Option<(usize, usize)> = None;
        loop {
            let (k0, k1) = self.string()?;
            let key = self.text.get(k0..k1)?;
            if key.is_empty()
                || key.iter().any(|&b| b == b'[' || b == b']')
                || (depth == 0 && key == b"signature")
                || !self.eat(b':')
            {
                return None;
            }
            self.keys.push((k0, k1));
            let path_len = self.path.len();
            let child_len = if depth == 0 {
                escape_bytes(&mut self.path, key);
                key.len()
            } else {
                self.path.extend_from_slice(b"%5B");
                escape_bytes(&mut self.path, key);
                self.path.extend_from_slice(b"%5D");
                key_len + key.len() + 2
            };
            if child_len + 2 > self.limits.max_key_bytes {
                return None;
            }
            // The member's chunk starts with its first pair, after the `&` that `leaf` writes before it.
            let chunk_start = self.query.len() + usize::from(!self.query.is_empty());
            match self.text.get(self.at)? {
                b'"' => {
                    let value = self.leaf()?;
                    if depth == 0 && key == b"request_timestamp" {
                        self.timestamp = Some(self.text.get(value.0..value.1));
                    }
                }
                b'{' => {
                    if depth == 0 && key == b"request_timestamp" {
                        self.timestamp = Some(None);
                    }
                    self.object(child_len, depth + 1)?;
                }
                b'[' => {
                    if depth == 0 && key == b"request_timestamp" {
                        self.timestamp = Some(None);
                    }
                    self.node()?;
                    self.at += 1;
                    if depth + 3 > self.limits.max_depth || self.text.get(self.at) == Some(&b']') {
                        return None;
                    }
                    self.path.extend_from_slice(b"%5B%5D");
                    loop {
                        self.leaf()?;
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                _ => return None,
            }
            self.path.truncate(path_len);
            let chunk = (chunk_start, self.query.len());
            if let Some(p) = previous {
                if self.query.get(p.0..p.1)? >= self.query.get(chunk.0..chunk.1)? {
                    return None;
                }
            }
            previous = Some(chunk);
            if self.eat(b'}') {
                break;
            }
            if !self.eat(b',') {
                return None;
            }
        }
        let repeated = self.repeats_a_key(first_key);
        self.keys.truncate(first_key);
        (!repeated).then_some(())
    }

    /// Whether the keys from `first` on repeat one: pairwise for up to 16 (no allocation; a webhook's top level
    /// has 9–12), sorted beyond (the walk runs before the MAC is checked: O(n log n) for any input).
    fn repeats_a_key(&self, first: usize) -> bool {
        let text = self.text;
        let key = |&(a, b): &(usize, usize)| text.get(a..b).unwrap_or_default();
        let keys = self.keys.get(first..).unwrap_or_default();
        if keys.len() <= 16 {
            return keys
                .iter()
                .enumerate()
                .any(|(i, k)| keys.iter().take(i).any(|other| key(other) == key(k)));
        }
        // As `&str` (the text is UTF-8 and a key ends at a quote): the same sort as the fast form's, so no second
        // copy of the standard library's sort is compiled in (~9 KB of wasm).
        let mut sorted: Vec<&str> = keys
            .iter()
            .map(|k| std::str::from_utf8(key(k)).unwrap_or_default())
            .collect();
        sorted.sort_unstable();
        sorted.windows(2).any(|w| w.first() == w.get(1))
    }

    /// A string leaf: the pair `path=value` onto the query. Returns the value's range in the text.
    fn leaf(&mut self) -> Option<(usize, usize)> {
        self.node()?;
        let (v0, v1) = self.string()?;
        let value = self.text.get(v0..v1)?;
        self.leaves += 1;
        if !self.query.is_empty() {
            self.query.push(b'&');
        }
        let start = self.query.len();
        self.query.extend_from_slice(&self.path);
        self.query.push(b'=');
        escape_bytes(&mut self.query, value);
        self.bytes = self.bytes.saturating_add(self.query.len() - start + 1);
        if self.leaves >= self.limits.max_params || self.bytes > self.limits.max_body_bytes {
            return None;
        }
        Some((v0, v1))
    }
}

/// What signing a webhook produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedWebhook {
    /// `url?query`, the exact text signed.
    pub string_to_sign: String,
    /// Lowercase hex HMAC-SHA256.
    pub signature: String,
    /// The form-urlencoded body: `toQuery(params ∪ {request_timestamp, signature})`.
    pub body: String,
}

/// Signs `params` as OST would deliver them to `url`, for testing handlers.
pub fn sign_ost_webhook(
    params: &Value,
    url: &str,
    secret: &Secret,
    timestamp: i64,
    limits: &Limits,
) -> Result<SignedWebhook, KycError> {
    let url = signing_url(url)?;
    check_timestamp(timestamp, "timestamp")?;
    let Value::Object(entries) = params else {
        return Err(KycError::invalid_argument(
            "params must be an object of event parameters",
        ));
    };
    // Before copying: a deep value's (recursive) clone would overflow the stack. Also refuses exactly
    // what verification refuses.
    limits.check_value(params)?;
    let mut all = without(entries, &["signature", "request_timestamp"]);
    all.push((
        "request_timestamp".into(),
        Value::String(timestamp.to_string()),
    ));
    let mut all = Value::Object(all);
    let canonical = to_query_with(&all, limits)?;
    let string_to_sign = format!("{url}?{canonical}");
    let mut mac = secret.sha256()?;
    mac.update(string_to_sign.as_bytes());
    let signature = to_hex(&mac.finalize().into_bytes());
    if let Value::Object(entries) = &mut all {
        entries.push(("signature".into(), Value::String(signature.clone())));
    }
    let body = to_query_with(&all, limits)?;
    Ok(SignedWebhook {
        string_to_sign,
        signature,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://webhook.ost.com/test/";
    const SEED_BODY: &str = "created_at=1541144915&data%5Bresult_type%5D=user&data%5Buser%5D%5Bcreated_at%5D=1541144915&data%5Buser%5D%5Bemail%5D=yogesh%2B13233%40ost.com&data%5Buser%5D%5Bid%5D=11493&data%5Buser%5D%5Bproperties%5D%5B%5D=doptin_mail_sent&description=User+has+signed+up&id=236&name=user_register&request_timestamp=1542185198&signature=34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a&source=web&type=user&version=v1";

    fn secrets() -> Vec<Secret> {
        vec![Secret::new("WEBHOOK_SECRET_KEY", "secret").unwrap()]
    }

    fn options(secrets: &[Secret], now: i64) -> VerifyOptions<'_> {
        VerifyOptions {
            url: URL,
            secrets,
            tolerance_seconds: Some(DEFAULT_TOLERANCE_SECONDS),
            now,
            limits: Limits::default(),
        }
    }

    #[test]
    fn verifies_the_seed_example_raw() {
        let s = secrets();
        let params = verify_ost_webhook(
            OstBody::Raw(SEED_BODY.as_bytes()),
            &options(&s, 1_542_185_198),
        )
        .unwrap();
        assert_eq!(
            params.get("name").and_then(Value::as_str),
            Some("user_register")
        );
        assert!(params.get("signature").is_none());
    }

    #[test]
    fn negative_cases() {
        let s = secrets();
        let o = options(&s, 1_542_185_198);
        let tampered = SEED_BODY.replace("11493", "11494");
        let code = |b: &str, o: &VerifyOptions<'_>| {
            verify_ost_webhook(OstBody::Raw(b.as_bytes()), o)
                .unwrap_err()
                .code()
        };
        assert_eq!(code(&tampered, &o), "INVALID_SIGNATURE");
        assert_eq!(
            code(&SEED_BODY.replace("signature=34e8", "signature=34e9"), &o),
            "INVALID_SIGNATURE"
        );
        assert_eq!(
            code(
                &SEED_BODY.replace("&signature=34e852b1", "&signature=34e852b"),
                &o
            ),
            "INVALID_SIGNATURE"
        );
        assert_eq!(
            code("a=1&request_timestamp=1542185198", &o),
            "MISSING_SIGNATURE"
        );
        assert_eq!(
            code(&format!("{SEED_BODY}&signature=00"), &o),
            "MALFORMED_BODY"
        );
        assert_eq!(
            code(&SEED_BODY.replace("version=v1", "version=%zz"), &o),
            "MALFORMED_BODY"
        );
        assert_eq!(
            code(SEED_BODY, &options(&s, 1_542_185_198 + 301)),
            "TIMESTAMP_OUT_OF_TOLERANCE"
        );
        assert_eq!(
            code(SEED_BODY, &options(&s, 1_542_185_198 - 301)),
            "TIMESTAMP_OUT_OF_TOLERANCE"
        );
        let wrong = vec![Secret::new("nope", "secret").unwrap()];
        assert_eq!(
            code(SEED_BODY, &options(&wrong, 1_542_185_198)),
            "INVALID_SIGNATURE"
        );
        let rotated = vec![Secret::new("nope", "secret").unwrap(), secrets().remove(0)];
        assert!(verify_ost_webhook(
            OstBody::Raw(SEED_BODY.as_bytes()),
            &options(&rotated, 1_542_185_198)
        )
        .is_ok());
    }

    #[test]
    fn parsed_params_verify_by_recanonicalising() {
        let s = secrets();
        let params = parse_query(SEED_BODY.as_bytes(), &Limits::default()).unwrap();
        let out =
            verify_ost_webhook(OstBody::Params(&params), &options(&s, 1_542_185_198)).unwrap();
        assert_eq!(out.get("id").and_then(Value::as_str), Some("236"));
    }

    #[test]
    fn params_answer_as_json_text_is_the_general_reading_in_order() {
        let s = secrets();
        let o = options(&s, 1_542_185_198);
        // The seed's parameters in another key order, with numbers: the answer is in canonical order, as text.
        let params: Value = serde_json::from_str(
            r#"{"version":"v1","type":"user","source":"web","signature":"34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a","request_timestamp":1542185198,"name":"user_register","id":236,"description":"User has signed up","data":{"user":{"properties":["doptin_mail_sent"],"id":"11493","email":"yogesh+13233@ost.com","created_at":"1541144915"},"result_type":"user"},"created_at":"1541144915"}"#,
        )
        .unwrap();
        let general = verify_ost_webhook(OstBody::Params(&params), &o).unwrap();
        let ParamsAnswer::Json(text) = verify_ost_webhook_params_json(&params, &o).unwrap() else {
            panic!("expected the JSON-text answer");
        };
        let read = crate::plain_json::read_plain_json(text.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(read, general);
        assert!(text.starts_with(
            r#"{"created_at":"1541144915","data":{"result_type":"user","user":{"created_at""#
        ));
        // Outside the fast form (an array of objects): the general path's value.
        let nested: Value = serde_json::from_str(r#"{"a":[{"b":"1"}],"signature":"00"}"#).unwrap();
        assert_eq!(
            verify_ost_webhook_params_json(&nested, &o)
                .unwrap_err()
                .code(),
            "INVALID_SIGNATURE"
        );
        // Control characters and quotes are escaped as JSON.
        let mut out = Vec::new();
        json_string(&mut out, "a\"\\\u{1}\u{1f}é");
        assert_eq!(out, r#""a\"\\\u0001\u001Fé""#.as_bytes());
    }

    /// The direct walk against the general fast path: where it answers, the same verdict, and JSON text that is
    /// the input itself.
    fn direct_vs_general(json: &str, o: &VerifyOptions<'_>) -> Option<Result<(), &'static str>> {
        let mut params: Value = serde_json::from_str(json).unwrap();
        let Value::Object(entries) = &mut params else {
            panic!("an object");
        };
        let signature = match entries.iter().position(|(k, _)| k == "signature") {
            Some(i) => match entries.remove(i).1 {
                Value::String(s) => s,
                _ => return None,
            },
            None => return None,
        };
        let without = serde_json::to_string(
            &serde_json::from_str::<serde_json::Value>(json)
                .map(|mut v| {
                    v.as_object_mut().unwrap().shift_remove("signature");
                    v
                })
                .unwrap(),
        )
        .unwrap();
        let direct = verify_ost_webhook_direct(without.as_bytes(), &signature, o);
        let mut with_sig = params.clone();
        if let Value::Object(e) = &mut with_sig {
            e.push(("signature".into(), Value::String(signature)));
        }
        let general = verify_ost_webhook_params_json(&with_sig, o);
        match direct {
            Ok(false) => None,
            Ok(true) => {
                assert_eq!(general, Ok(ParamsAnswer::Json(without)), "{json}");
                Some(Ok(()))
            }
            Err(e) => {
                assert_eq!(general.map(|_| ()), Err(e.clone()), "{json}");
                Some(Err(e.code()))
            }
        }
    }

    #[test]
    fn the_direct_walk_answers_as_the_general_path_or_not_at_all() {
        let s = secrets();
        let o = options(&s, 1_542_185_198);
        let seed = r#"{"created_at":"1541144915","data":{"result_type":"user","user":{"created_at":"1541144915","email":"yogesh+13233@ost.com","id":"11493","properties":["doptin_mail_sent"]}},"description":"User has signed up","id":"236","name":"user_register","request_timestamp":"1542185198","signature":"34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a","source":"web","type":"user","version":"v1"}"#;
        assert_eq!(direct_vs_general(seed, &o), Some(Ok(())));
        let tampered = seed.replace("11493", "11494");
        assert_eq!(
            direct_vs_general(&tampered, &o),
            Some(Err("INVALID_SIGNATURE"))
        );
        assert_eq!(
            direct_vs_general(seed, &options(&s, 1_542_185_198 + 301)),
            Some(Err("TIMESTAMP_OUT_OF_TOLERANCE"))
        );
        let no_timestamp = seed.replace(r#""request_timestamp":"1542185198","#, "");
        assert_eq!(
            direct_vs_general(&no_timestamp, &o),
            Some(Err("INVALID_SIGNATURE"))
        );
        // Not the direct form: another key order, a number, an escape, an empty object, a bracket, a null.
        for other in [
            seed.replace(
                r#""source":"web","type":"user""#,
                r#""type":"user","source":"web""#,
            ),
            seed.replace(r#""id":"236""#, r#""id":236"#),
            seed.replace("User has", r#"User \"has"#),
            seed.replace(r#""source":"web""#, r#""source":{}"#),
            seed.replace(r#""source":"web""#, r#""source":[]"#),
            seed.replace(r#""source""#, r#""source[x]""#),
            seed.replace(r#""source":"web""#, r#""source":null"#),
            seed.replace(r#""source":"web""#, r#""source":["a",{"b":"c"}]"#),
        ] {
            assert_eq!(direct_vs_general(&other, &o), None, "{other}");
        }
        // Timestamps of other shapes reach the same error.
        for (ts, code) in [
            (r#"{"a":"1"}"#, "MALFORMED_BODY"),
            (r#"["1"]"#, "MALFORMED_BODY"),
            (r#""x""#, "MALFORMED_BODY"),
        ] {
            let body = format!(r#"{{"a":"1","request_timestamp":{ts},"signature":"00"}}"#);
            let params: Value =
                serde_json::from_str(&format!(r#"{{"a":"1","request_timestamp":{ts}}}"#)).unwrap();
            let signed = sign_ost_webhook_as_is(&params);
            let body = body.replace(r#""signature":"00""#, &format!(r#""signature":"{signed}""#));
            assert_eq!(direct_vs_general(&body, &o), Some(Err(code)), "{body}");
        }
        // Limits: the walk stops where the general fast path would not answer, or earlier.
        for limits in [
            Limits {
                max_depth: 3,
                ..Limits::default()
            },
            Limits {
                max_params: 16,
                ..Limits::default()
            },
            Limits {
                max_key_bytes: 30,
                ..Limits::default()
            },
            Limits {
                max_body_bytes: 500,
                ..Limits::default()
            },
        ] {
            let o = VerifyOptions {
                limits,
                ..options(&s, 1_542_185_198)
            };
            if let Some(answer) = direct_vs_general(seed, &o) {
                assert_eq!(answer, Ok(()));
            }
        }
        // A repeated key (not something JSON.stringify writes, but not trusted either).
        let text = br#"{"a":"1","a":"1"}"#;
        assert_eq!(verify_ost_webhook_direct(text, "00", &o), Ok(false));
        let text = br#"{"a":{"b":"1"},"a-b":"2","a":"3"}"#;
        assert_eq!(verify_ost_webhook_direct(text, "00", &o), Ok(false));
    }

    /// The hex signature of `params` exactly as given (no timestamp added).
    fn sign_ost_webhook_as_is(params: &Value) -> String {
        let canonical = to_query_with(params, &Limits::default()).unwrap();
        let mut mac = secrets()[0].sha256().unwrap();
        mac.update(format!("{URL}?{canonical}").as_bytes());
        to_hex(&mac.finalize().into_bytes())
    }

    #[test]
    fn signing_reproduces_the_seed() {
        let params = parse_query(SEED_BODY.as_bytes(), &Limits::default()).unwrap();
        let signed = sign_ost_webhook(
            &params,
            URL,
            &secrets()[0],
            1_542_185_198,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            signed.signature,
            "34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a"
        );
        assert_eq!(signed.body, SEED_BODY);
    }

    fn sign(params: &str, timestamp: i64) -> SignedWebhook {
        let params: Value = serde_json::from_str(params).unwrap();
        sign_ost_webhook(&params, URL, &secrets()[0], timestamp, &Limits::default()).unwrap()
    }

    fn verify_json(json: &str, now: i64) -> Result<Value, &'static str> {
        let s = secrets();
        let params: Value = serde_json::from_str(json).unwrap();
        verify_ost_webhook(OstBody::Params(&params), &options(&s, now)).map_err(|e| e.code())
    }

    #[test]
    fn an_unsigned_body_is_rejected_before_any_structure_is_built() {
        use crate::query::tests::COMPARISONS;
        let s = secrets();
        let o = options(&s, 1_542_185_198);
        let prefix = "k".repeat(200);
        let mut body: String = (0..4094).map(|i| format!("{prefix}{i:05}=v&")).collect();
        body.push_str(&format!("signature={}", "0".repeat(64)));
        COMPARISONS.with(|c| c.set(0));
        let e = verify_ost_webhook(OstBody::Raw(body.as_bytes()), &o).unwrap_err();
        assert_eq!(e.code(), "INVALID_SIGNATURE");
        assert_eq!(
            COMPARISONS.with(std::cell::Cell::get),
            0,
            "no key was indexed"
        );
        // A conflict between two pairs needs the structure: an unsigned body with one is INVALID_SIGNATURE.
        let conflict = format!("a[]=1&a[b]=2&signature={}", "0".repeat(64));
        assert_eq!(
            verify_ost_webhook(OstBody::Raw(conflict.as_bytes()), &o)
                .unwrap_err()
                .code(),
            "INVALID_SIGNATURE"
        );
        // Checks that need no structure still come first, with their own codes.
        let deep = format!("a{}=1&signature={}", "[b]".repeat(40), "0".repeat(64));
        assert_eq!(
            verify_ost_webhook(OstBody::Raw(deep.as_bytes()), &o)
                .unwrap_err()
                .code(),
            "TOO_DEEP"
        );
    }

    #[test]
    fn a_raw_body_returns_exactly_the_signed_pairs() {
        let signed = sign(r#"{"a":"1","b":{"c":"2"}}"#, 1_542_185_198);
        let s = secrets();
        let o = options(&s, 1_542_185_198);
        let out = verify_ost_webhook(OstBody::Raw(signed.body.as_bytes()), &o).unwrap();
        let rest = signed.string_to_sign.split_once('?').unwrap().1;
        assert_eq!(
            out,
            parse_query(rest.as_bytes(), &Limits::default()).unwrap()
        );
        // A leading byte-order mark is not content, here as on every other path.
        let bom = format!("\u{feff}{}", signed.body);
        assert_eq!(
            verify_ost_webhook(OstBody::Raw(bom.as_bytes()), &o).unwrap(),
            out
        );
    }

    #[test]
    fn parsed_input_must_have_the_structure_that_was_signed() {
        let ts = 1_542_185_198;
        let signed = sign(r#"{"a":{"b":"v"},"kyc_status":"denied"}"#, ts);
        let sig = &signed.signature;
        let ok = format!(
            r#"{{"a":{{"b":"v"}},"kyc_status":"denied","request_timestamp":"{ts}","signature":"{sig}"}}"#
        );
        assert!(verify_json(&ok, ts).is_ok());
        // The same canonical query from other structures: never accepted.
        for forged in [
            format!(
                r#"{{"a[b]":"v","kyc_status":"denied","request_timestamp":"{ts}","signature":"{sig}"}}"#
            ),
            format!(
                r#"{{"a":{{"b":"v"}},"kyc_status":"denied","x":{{}},"request_timestamp":"{ts}","signature":"{sig}"}}"#
            ),
            format!(
                r#"{{"a":{{"b":"v","c":[]}},"kyc_status":"denied","request_timestamp":"{ts}","signature":"{sig}"}}"#
            ),
        ] {
            assert_eq!(
                verify_json(&forged, ts).unwrap_err(),
                "MALFORMED_BODY",
                "{forged}"
            );
        }
        // Leaves the form cannot carry: null is read back as "", true as "true".
        let signed = sign(r#"{"n":"","t":"true"}"#, ts);
        let sig = &signed.signature;
        for forged in [
            format!(r#"{{"n":null,"t":"true","request_timestamp":"{ts}","signature":"{sig}"}}"#),
            format!(r#"{{"n":"","t":true,"request_timestamp":"{ts}","signature":"{sig}"}}"#),
        ] {
            assert_eq!(
                verify_json(&forged, ts).unwrap_err(),
                "MALFORMED_BODY",
                "{forged}"
            );
        }
        // Repeated keys (possible in a Value built natively) cannot stand in for a signed one.
        let dup = Value::Object(vec![
            ("x".into(), Value::string("1")),
            ("x".into(), Value::string("1")),
        ]);
        let reading = parse_query(b"x=1&y=2", &Limits::default()).unwrap();
        assert!(!same_form(&dup, &reading));
        // A number is carried as its decimal text, and comes back as that text.
        let out = verify_json(
            &format!(r#"{{"n":"","t":"true","request_timestamp":{ts},"signature":"{sig}"}}"#),
            ts,
        )
        .unwrap();
        assert_eq!(
            out.get("request_timestamp").and_then(Value::as_str),
            Some("1542185198")
        );
    }

    #[test]
    fn the_content_type_decides_json() {
        for json in [
            "application/json",
            "Application/JSON; charset=utf-8",
            " application/json ;charset=UTF-8",
            "application/vnd.api+json",
        ] {
            assert!(is_json_media_type(json), "{json}");
        }
        for form in [
            "",
            "application/x-www-form-urlencoded",
            "text/plain",
            "text/json",
            "application/jsonp",
            "multipart/form-data; boundary=json",
        ] {
            assert!(!is_json_media_type(form), "{form}");
        }
    }

    #[test]
    fn urls_are_checked_and_cut() {
        assert_eq!(
            signing_url("https://a.example/x?y=1#z").unwrap(),
            "https://a.example/x"
        );
        assert_eq!(
            signing_url("/webhooks").unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
    }
}
