//! KYC document uploads through the pre-signed S3 PUT and POST URLs that OST hands out.
//!
//! Everything here is pure: reading the `file_upload_put` / `file_upload_post` responses into
//! [`UploadTarget`]s, mapping uploaded targets to the KYC submission fields, and deciding, before a single
//! byte is sent, whether a file may be uploaded to a target ([`plan_upload`]): its declared type against its
//! magic bytes, its size against the bounds, the URL's expiry and the POST policy's conditions. The
//! JavaScript binding (`src/wasm/upload.rs`) reads files, sends the requests, reports progress and retries;
//! it passes the clock in.

use crate::calendar::{parse_amz_date, parse_iso8601};
use crate::error::KycError;
use crate::value::{js_number, Value};

/// Seconds a pre-signed URL stays valid after OST issues it (15 minutes, per the API documentation).
pub const URL_LIFETIME_SECONDS: i64 = 15 * 60;
/// Smallest file OST's POST policy accepts, in bytes (200 KiB): the default `minBytes`.
pub const DEFAULT_MIN_BYTES: u64 = 200 * 1024;
/// Largest file OST's POST policy accepts, in bytes (20 MiB): the default `maxBytes`.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;
/// Content types OST accepts for KYC documents (compared case-insensitively; `image/jpg` is JPEG).
pub const ALLOWED_CONTENT_TYPES: &[&str] =
    &["image/jpeg", "image/jpg", "image/png", "application/pdf"];
/// How many bytes of a file [`sniff`] needs to recognise it.
pub const SNIFF_BYTES: usize = 8;
/// Most retries of one upload after a network failure or a 5xx answer.
pub const MAX_RETRIES: u32 = 2;

/// How a target is uploaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `PUT` of the raw bytes to a pre-signed URL (`file_upload_put`).
    Put,
    /// `POST` of a multipart form with the policy fields and the file (`file_upload_post`).
    Post,
}

impl Method {
    /// `"PUT"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Put => "PUT",
            Method::Post => "POST",
        }
    }

    /// Reads `"PUT"` or `"POST"` (any case).
    pub fn parse(text: &str) -> Option<Method> {
        if text.eq_ignore_ascii_case("put") {
            Some(Method::Put)
        } else if text.eq_ignore_ascii_case("post") {
            Some(Method::Post)
        } else {
            None
        }
    }

    /// The `data.result_type` of the response that hands out targets of this kind.
    pub fn result_type(self) -> &'static str {
        match self {
            Method::Put => "file_upload_put",
            Method::Post => "file_upload_post",
        }
    }
}

/// One file's upload destination, as handed out by OST.
#[derive(Clone, Debug, PartialEq)]
pub struct UploadTarget {
    /// The unique file key of the request, e.g. `document_id` or `investor_proof_file2`.
    pub key: String,
    /// PUT or POST.
    pub method: Method,
    /// The pre-signed URL (PUT) or the form action (POST).
    pub url: String,
    /// The response's `fields`, in order: `key` (the S3 object key, which is the file path to submit) and,
    /// for POST, every policy field.
    pub fields: Vec<(String, String)>,
    /// Unix seconds after which the URL must not be used.
    pub expires_at: i64,
    /// The content type the URL was requested for, when known.
    pub content_type: Option<String>,
}

impl UploadTarget {
    /// The field named `name`, compared case-insensitively (S3 form field names are).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The S3 object key (`fields.key`): the file path to submit with the KYC details.
    pub fn object_key(&self) -> Option<&str> {
        self.field("key")
    }

    /// Checks a target handed back by a caller (rather than read from a response): `INVALID_ARGUMENT`
    /// naming what is wrong.
    pub fn check(&self) -> Result<(), KycError> {
        if !is_http_url(&self.url) {
            return Err(KycError::invalid_argument(
                "target.url must be an absolute http(s) URL: pass a target from parseUploadTargets",
            ));
        }
        if self.object_key().map_or(true, str::is_empty) {
            return Err(KycError::invalid_argument(
                "target.fields.key (the S3 object key) is missing or empty",
            ));
        }
        if self.method == Method::Post && self.field("policy").is_none() {
            return Err(KycError::invalid_argument(
                "target.fields has no policy: a POST target needs its signed policy fields",
            ));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------------------
// Reading the response

/// `success` as OST writes it: `true`, or the string `"true"` (as in the documented PUT example).
fn success_flag(response: &Value) -> Result<bool, KycError> {
    match response.get("success") {
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        Some(other) => Err(KycError::malformed(format!(
            "response.success must be true or false, got {}",
            other.kind_name()
        ))),
        None => Err(KycError::malformed(
            "response has no success flag: pass the whole JSON response of the pre-signed URL endpoint",
        )),
    }
}

/// The `err` object of a `success: false` response as [`KycError::Api`].
pub fn api_error(response: &Value, status: Option<u16>) -> KycError {
    let err = response.get("err");
    let text = |name: &str| -> String {
        match err.and_then(|e| e.get(name)) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => js_number(*n),
            _ => String::new(),
        }
    };
    let msg = text("msg");
    KycError::Api {
        code: text("code"),
        msg: if msg.is_empty() && err.is_none() {
            "the response says success: false and carries no err object".into()
        } else {
            msg
        },
        internal_id: text("internal_id"),
        status,
    }
}

fn field_text(value: &Value, path: &str) -> Result<String, KycError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) if n.is_finite() => Ok(js_number(*n)),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(KycError::malformed(format!(
            "{path} must be a string, got {}",
            other.kind_name()
        ))),
    }
}

/// Whether `url` is an absolute `http:` or `https:` URL with a host.
fn is_http_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        url.get(8..)
    } else if lower.starts_with("http://") {
        url.get(7..)
    } else {
        None
    };
    rest.is_some_and(|r| {
        !r.is_empty() && !r.starts_with('/') && !r.chars().any(|c| c.is_whitespace())
    })
}

/// Checks and normalises the `files` map of the request: each key to one allowed content type, lowercased
/// (the pre-signed URL request sends them in lowercase, so that is the type S3 signed).
pub fn normalize_files(files: &[(String, String)]) -> Result<Vec<(String, String)>, KycError> {
    let mut out = Vec::with_capacity(files.len());
    for (key, content_type) in files {
        let lower = content_type.to_ascii_lowercase();
        if !ALLOWED_CONTENT_TYPES.contains(&lower.as_str()) {
            return Err(KycError::invalid_argument(format!(
                "files.{key} is not a content type OST accepts: use image/jpeg, image/png, image/jpg or application/pdf"
            )));
        }
        out.push((key.clone(), lower));
    }
    Ok(out)
}

/// Reads a `file_upload_put` or `file_upload_post` response into one target per file key, in the
/// response's order.
///
/// `files` is the map the URLs were requested with (file key to content type); when given, each target's
/// `content_type` comes from it and every one of its keys must have a target. `now` is the time the
/// response arrived, in Unix seconds: the URLs expire [`URL_LIFETIME_SECONDS`] later.
///
/// `success: false` (or `"false"`) is [`KycError::Api`] with the server's `err`; any other deviation from
/// the documented shape is `MALFORMED_BODY` naming the path. The bare `{fileKey: {url, fields}}` map that
/// `OstKycClient#getPresignedUrls` resolves to is accepted too (POST when its fields carry a policy).
pub fn parse_upload_targets(
    response: &Value,
    files: Option<&[(String, String)]>,
    now: i64,
) -> Result<Vec<UploadTarget>, KycError> {
    if !matches!(response, Value::Object(_)) {
        return Err(KycError::malformed(format!(
            "response must be the JSON object of the pre-signed URL endpoint, got {}",
            response.kind_name()
        )));
    }
    let files = files.map(normalize_files).transpose()?;
    if response.get("success").is_none() {
        if let Some((entries, method)) = bare_target_map(response) {
            return targets_from(entries, method, "targets", files.as_deref(), now);
        }
    }
    if !success_flag(response)? {
        return Err(api_error(response, None));
    }
    let data = match response.get("data") {
        Some(d @ Value::Object(_)) => d,
        Some(other) => {
            return Err(KycError::malformed(format!(
                "response.data must be an object, got {}",
                other.kind_name()
            )))
        }
        None => return Err(KycError::malformed("response has no data object")),
    };
    let method =
        match data.get("result_type") {
            Some(Value::String(t)) => match [Method::Put, Method::Post]
                .into_iter()
                .find(|m| m.result_type() == t)
            {
                Some(m) => m,
                None => return Err(KycError::malformed(
                    "response.data.result_type must be \"file_upload_put\" or \"file_upload_post\"",
                )),
            },
            Some(other) => {
                return Err(KycError::malformed(format!(
                    "response.data.result_type must be a string, got {}",
                    other.kind_name()
                )))
            }
            // Tolerate a missing result_type when exactly one of the two objects is there.
            None => {
                match (data.get("file_upload_put"), data.get("file_upload_post")) {
                    (Some(_), None) => Method::Put,
                    (None, Some(_)) => Method::Post,
                    _ => return Err(KycError::malformed(
                        "response.data has no result_type (file_upload_put or file_upload_post)",
                    )),
                }
            }
        };
    let result_type = method.result_type();
    let entries = match data.get(result_type) {
        Some(Value::Object(entries)) => entries,
        Some(other) => {
            return Err(KycError::malformed(format!(
                "response.data.{result_type} must be an object, got {}",
                other.kind_name()
            )))
        }
        None => {
            return Err(KycError::malformed(format!(
                "response.data has no {result_type} object"
            )))
        }
    };
    targets_from(
        entries,
        method,
        &format!("response.data.{result_type}"),
        files.as_deref(),
        now,
    )
}

/// `{fileKey: {url, fields}}` without the envelope, as `OstKycClient#getPresignedUrls` resolves to: the
/// method is POST when every entry carries a policy, PUT when none does.
fn bare_target_map(response: &Value) -> Option<(&[(String, Value)], Method)> {
    let entries = response.as_object()?;
    let looks_like_target =
        |v: &Value| v.get("url").is_some() && matches!(v.get("fields"), Some(Value::Object(_)));
    if entries.is_empty() || !entries.iter().all(|(_, v)| looks_like_target(v)) {
        return None;
    }
    let has_policy = |v: &Value| {
        v.get("fields")
            .and_then(Value::as_object)
            .is_some_and(|f| f.iter().any(|(k, _)| k.eq_ignore_ascii_case("policy")))
    };
    if entries.iter().all(|(_, v)| has_policy(v)) {
        Some((entries, Method::Post))
    } else if entries.iter().any(|(_, v)| has_policy(v)) {
        None
    } else {
        Some((entries, Method::Put))
    }
}

fn targets_from(
    entries: &[(String, Value)],
    method: Method,
    base: &str,
    files: Option<&[(String, String)]>,
    now: i64,
) -> Result<Vec<UploadTarget>, KycError> {
    if entries.is_empty() {
        return Err(KycError::malformed(format!("{base} has no targets")));
    }
    let expires_at = now.saturating_add(URL_LIFETIME_SECONDS);
    let mut targets: Vec<UploadTarget> = Vec::with_capacity(entries.len());
    for (key, entry) in entries {
        let path = format!("{base}.{key}");
        if targets.iter().any(|t| &t.key == key) {
            return Err(KycError::malformed(format!("{path} appears twice")));
        }
        let Value::Object(_) = entry else {
            return Err(KycError::malformed(format!(
                "{path} must be an object {{url, fields}}, got {}",
                entry.kind_name()
            )));
        };
        let url = match entry.get("url") {
            Some(Value::String(u)) if is_http_url(u) => u.clone(),
            Some(Value::String(_)) => {
                return Err(KycError::malformed(format!(
                    "{path}.url must be an absolute http(s) URL"
                )))
            }
            Some(other) => {
                return Err(KycError::malformed(format!(
                    "{path}.url must be a string, got {}",
                    other.kind_name()
                )))
            }
            None => return Err(KycError::malformed(format!("{path} has no url"))),
        };
        let fields = match entry.get("fields") {
            Some(Value::Object(items)) => items
                .iter()
                .map(|(k, v)| Ok((k.clone(), field_text(v, &format!("{path}.fields.{k}"))?)))
                .collect::<Result<Vec<_>, KycError>>()?,
            Some(other) => {
                return Err(KycError::malformed(format!(
                    "{path}.fields must be an object, got {}",
                    other.kind_name()
                )))
            }
            None => return Err(KycError::malformed(format!("{path} has no fields"))),
        };
        let mut target = UploadTarget {
            key: key.clone(),
            method,
            url,
            fields,
            expires_at,
            content_type: None,
        };
        if target.object_key().map_or(true, str::is_empty) {
            return Err(KycError::malformed(format!(
                "{path}.fields.key (the file path to submit) is missing or empty"
            )));
        }
        if method == Method::Post && target.field("policy").is_none() {
            return Err(KycError::malformed(format!(
                "{path}.fields has no policy: a POST target needs its signed policy fields"
            )));
        }
        target.content_type = match files {
            Some(files) => files.iter().find(|(k, _)| k == key).map(|(_, t)| t.clone()),
            // Without the request's map, a POST form's own Content-Type field says it.
            None => target.field("Content-Type").map(str::to_owned),
        };
        targets.push(target);
    }
    if let Some(files) = files {
        if let Some((missing, _)) = files
            .iter()
            .find(|(k, _)| !targets.iter().any(|t| &t.key == k))
        {
            return Err(KycError::malformed(format!(
                "{base} has no target for files.{missing}"
            )));
        }
    }
    Ok(targets)
}

// ---------------------------------------------------------------------------------------------------------
// Submission fields

/// The order of the single-file KYC fields, by file key.
const SINGLE_FILE_FIELDS: &[(&str, &str)] = &[
    ("document_id", "document_id_file_path"),
    ("selfie", "selfie_file_path"),
    ("residence_proof", "residence_proof_file_path"),
];
const INVESTOR_PROOF_PREFIX: &str = "investor_proof_file";
const INVESTOR_PROOF_FIELD: &str = "investor_proof_files_path";

/// Compares strings with digit runs as numbers, so `file2` sorts before `file10`.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (n, m) = (run(x), run(y));
                let (dx, rx) = x.split_at(n);
                let (dy, ry) = y.split_at(m);
                let strip = |d: &[u8]| -> usize { d.iter().take_while(|&&c| c == b'0').count() };
                let (sx, sy) = (
                    dx.get(strip(dx)..).unwrap_or(&[]),
                    dy.get(strip(dy)..).unwrap_or(&[]),
                );
                let order = sx.len().cmp(&sy.len()).then_with(|| sx.cmp(sy));
                if order != Ordering::Equal {
                    return order;
                }
                x = rx;
                y = ry;
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = x.get(1..).unwrap_or(&[]);
                y = y.get(1..).unwrap_or(&[]);
            }
        }
    }
}

/// Stable insertion sort; `after(a, b)`: whether `a` goes after `b`.
fn insertion_sort<T>(items: &mut [T], after: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 {
            let ordered = match (items.get(j - 1), items.get(j)) {
                (Some(a), Some(b)) => !after(a, b),
                _ => true,
            };
            if ordered {
                break;
            }
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Maps uploaded targets, as `(file key, S3 object key)` pairs, to the KYC submission fields:
/// `document_id_file_path`, `selfie_file_path`, `residence_proof_file_path`, and every
/// `investor_proof_file*` key into `investor_proof_files_path` in natural key order. Fields without a file
/// are left out. A file key with no KYC field, or one given twice, is `INVALID_ARGUMENT`.
pub fn kyc_file_paths(uploaded: &[(String, String)]) -> Result<Value, KycError> {
    let mut singles: Vec<(usize, String)> = Vec::new();
    let mut investor: Vec<(&str, String)> = Vec::new();
    for (i, (key, path)) in uploaded.iter().enumerate() {
        if uploaded.iter().take(i).any(|(k, _)| k == key) {
            return Err(KycError::invalid_argument(format!(
                "uploaded has the file key {key} twice: each KYC field takes one file"
            )));
        }
        if path.is_empty() {
            return Err(KycError::invalid_argument(format!(
                "uploaded {key} has an empty fields.key (file path)"
            )));
        }
        if let Some(slot) = SINGLE_FILE_FIELDS.iter().position(|(k, _)| k == key) {
            singles.push((slot, path.clone()));
        } else if key.starts_with(INVESTOR_PROOF_PREFIX) {
            investor.push((key.as_str(), path.clone()));
        } else {
            return Err(KycError::invalid_argument(format!(
                "uploaded {key} maps to no KYC field: file keys are document_id, selfie, residence_proof and \
                 investor_proof_file1, investor_proof_file2, …"
            )));
        }
    }
    // A handful of items: insertion sorts keep the generic slice sorts out of the wasm.
    insertion_sort(&mut singles, |a, b| a.0 > b.0);
    insertion_sort(&mut investor, |a, b| natural_cmp(a.0, b.0).is_gt());
    let mut out: Vec<(String, Value)> = singles
        .into_iter()
        .filter_map(|(slot, path)| {
            SINGLE_FILE_FIELDS
                .get(slot)
                .map(|(_, field)| ((*field).to_owned(), Value::String(path)))
        })
        .collect();
    if !investor.is_empty() {
        out.push((
            INVESTOR_PROOF_FIELD.into(),
            Value::Array(
                investor
                    .into_iter()
                    .map(|(_, p)| Value::String(p))
                    .collect(),
            ),
        ));
    }
    Ok(Value::Object(out))
}

// ---------------------------------------------------------------------------------------------------------
// Files: type, magic bytes, size

/// A document format recognised by its magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `FF D8 FF`.
    Jpeg,
    /// `89 50 4E 47 0D 0A 1A 0A`.
    Png,
    /// `%PDF-`.
    Pdf,
}

impl FileKind {
    /// A name for messages.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Jpeg => "JPEG",
            FileKind::Png => "PNG",
            FileKind::Pdf => "PDF",
        }
    }

    /// The kind a content type declares, when it is one OST accepts (case-insensitive; `image/jpg` is JPEG).
    pub fn from_content_type(content_type: &str) -> Option<FileKind> {
        // Parameters such as `; charset=…` never belong on these types, so they are not stripped.
        match content_type.to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" => Some(FileKind::Jpeg),
            "image/png" => Some(FileKind::Png),
            "application/pdf" => Some(FileKind::Pdf),
            _ => None,
        }
    }
}

/// Recognises a file by its first bytes ([`SNIFF_BYTES`] are enough).
pub fn sniff(head: &[u8]) -> Option<FileKind> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileKind::Png)
    } else if head.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else {
        None
    }
}

/// Checks that `content_type` is allowed and that the file's magic bytes agree with it.
pub fn check_file_type(content_type: &str, head: &[u8]) -> Result<FileKind, KycError> {
    let Some(declared) = FileKind::from_content_type(content_type) else {
        return Err(KycError::InvalidFile(format!(
            "content type {content_type:?} is not accepted: use image/jpeg, image/png, image/jpg or application/pdf"
        )));
    };
    match sniff(head) {
        Some(actual) if actual == declared => Ok(declared),
        Some(actual) => Err(KycError::InvalidFile(format!(
            "the file is declared {content_type} but its magic bytes say {}: pass the right contentType, or the right file",
            actual.name()
        ))),
        None => Err(KycError::InvalidFile(format!(
            "the file is declared {content_type} but does not start with the {} magic bytes (it is no JPEG, PNG or PDF)",
            declared.name()
        ))),
    }
}

/// Checks a file size against `[min_bytes, max_bytes]`.
pub fn check_size(size: u64, min_bytes: u64, max_bytes: u64) -> Result<(), KycError> {
    if size < min_bytes {
        return Err(KycError::InvalidFile(format!(
            "the file is {size} bytes, under the {min_bytes}-byte minimum (minBytes)"
        )));
    }
    if size > max_bytes {
        return Err(KycError::InvalidFile(format!(
            "the file is {size} bytes, over the {max_bytes}-byte maximum (maxBytes)"
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------
// Time

/// The value of query parameter `name` (case-insensitive) of `url`, undecoded.
fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        k.eq_ignore_ascii_case(name).then_some(v)
    })
}

/// When a SigV4 pre-signed URL stops working: `X-Amz-Date` plus `X-Amz-Expires`, if it carries both.
pub fn presigned_url_expiry(url: &str) -> Option<i64> {
    let date = parse_amz_date(query_param(url, "X-Amz-Date")?)?;
    let expires: i64 = query_param(url, "X-Amz-Expires")?.parse().ok()?;
    Some(date.saturating_add(expires))
}

/// Checks that `target` is still usable at `now`: its `expires_at`, and for a PUT the expiry signed into
/// the URL itself. `URL_EXPIRED` otherwise.
pub fn check_expiry(target: &UploadTarget, now: i64) -> Result<(), KycError> {
    if now >= target.expires_at {
        return Err(KycError::UrlExpired(format!(
            "the pre-signed URL for {} expired {} s ago (they last {} s): request new URLs",
            target.key,
            now - target.expires_at,
            URL_LIFETIME_SECONDS
        )));
    }
    if target.method == Method::Put {
        if let Some(expiry) = presigned_url_expiry(&target.url) {
            if now >= expiry {
                return Err(KycError::UrlExpired(format!(
                    "the pre-signed URL for {} expired {} s ago (X-Amz-Date + X-Amz-Expires): request new URLs",
                    target.key,
                    now - expiry
                )));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------
// POST policy

/// Decodes the base64 `policy` field of a POST target into its JSON text. `Ok(None)` when the target has
/// no policy field; `MALFORMED_BODY` when it is not base64 of UTF-8.
pub fn decode_policy(target: &UploadTarget) -> Result<Option<String>, KycError> {
    let Some(encoded) = target.field("policy") else {
        return Ok(None);
    };
    let compact: String = encoded
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = crate::codec::from_base64(&compact).ok_or_else(|| {
        KycError::malformed(format!("fields.policy of {} is not base64", target.key))
    })?;
    String::from_utf8(bytes).map(Some).map_err(|_| {
        KycError::malformed(format!("fields.policy of {} is not UTF-8 JSON", target.key))
    })
}

/// One condition of a POST policy, as far as the checks here need it.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// `{"name": "value"}` or `["eq", "$name", "value"]`. The name is stored without `$`.
    Eq(String, String),
    /// `["starts-with", "$name", "prefix"]`.
    StartsWith(String, String),
    /// `["content-length-range", min, max]`.
    ContentLengthRange(u64, u64),
}

fn condition_number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) if n.is_finite() && *n >= 0.0 && n.fract() == 0.0 => Some(*n as u64),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn condition_name(value: &Value) -> Option<String> {
    let name = value.as_str()?;
    Some(name.strip_prefix('$').unwrap_or(name).to_owned())
}

/// A parsed POST policy: its expiration (Unix seconds) and conditions.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The policy's `expiration`, in Unix seconds.
    pub expiration: i64,
    /// Every condition, in order.
    pub conditions: Vec<Condition>,
}

/// Reads a decoded POST policy document. A document that is not the documented shape is
/// `MALFORMED_BODY`: S3 itself would refuse it.
pub fn parse_policy(policy: &Value) -> Result<Policy, KycError> {
    let bad = |what: &str| KycError::malformed(format!("the POST policy {what}"));
    let expiration = match policy.get("expiration") {
        Some(Value::String(s)) => parse_iso8601(s).ok_or_else(|| {
            bad("expiration is not an ISO-8601 time such as 2026-01-23T09:14:05Z")
        })?,
        Some(_) => return Err(bad("expiration is not a string")),
        None => return Err(bad("has no expiration")),
    };
    let items = match policy.get("conditions") {
        Some(Value::Array(items)) => items,
        Some(_) => return Err(bad("conditions is not an array")),
        None => return Err(bad("has no conditions")),
    };
    let mut conditions = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::Object(entries) => {
                for (name, value) in entries {
                    let value = field_text(value, &format!("POST policy conditions[{i}].{name}"))?;
                    conditions.push(Condition::Eq(
                        name.strip_prefix('$').unwrap_or(name).to_owned(),
                        value,
                    ));
                }
            }
            Value::Array(parts) => {
                let op = parts.first().and_then(Value::as_str).unwrap_or_default();
                let condition = if op.eq_ignore_ascii_case("content-length-range") {
                    match (
                        parts.get(1).and_then(condition_number),
                        parts.get(2).and_then(condition_number),
                    ) {
                        (Some(min), Some(max)) if parts.len() == 3 && min <= max => {
                            Condition::ContentLengthRange(min, max)
                        }
                        _ => {
                            return Err(bad(&format!(
                                "conditions[{i}] is not [\"content-length-range\", min, max]"
                            )))
                        }
                    }
                } else {
                    let (Some(name), Some(value), 3) = (
                        parts.get(1).and_then(condition_name),
                        parts.get(2),
                        parts.len(),
                    ) else {
                        return Err(bad(&format!(
                            "conditions[{i}] is not [operator, \"$field\", value]"
                        )));
                    };
                    let value = field_text(value, &format!("POST policy conditions[{i}][2]"))?;
                    if op.eq_ignore_ascii_case("eq") {
                        Condition::Eq(name, value)
                    } else if op.eq_ignore_ascii_case("starts-with") {
                        Condition::StartsWith(name, value)
                    } else {
                        return Err(bad(&format!("conditions[{i}] has an unknown operator")));
                    }
                };
                conditions.push(condition);
            }
            _ => {
                return Err(bad(&format!(
                    "conditions[{i}] is neither an object nor an array"
                )))
            }
        }
    }
    Ok(Policy {
        expiration,
        conditions,
    })
}

/// Whether two content types name the same format (case-insensitive, `image/jpg` = `image/jpeg`).
fn same_type(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || matches!((FileKind::from_content_type(a), FileKind::from_content_type(b)), (Some(x), Some(y)) if x == y)
}

fn condition_text(condition: &Condition) -> String {
    match condition {
        Condition::Eq(name, value) => format!("[\"eq\", \"${name}\", {value:?}]"),
        Condition::StartsWith(name, value) => format!("[\"starts-with\", \"${name}\", {value:?}]"),
        Condition::ContentLengthRange(min, max) => {
            format!("[\"content-length-range\", {min}, {max}]")
        }
    }
}

/// Checks a file against a POST policy before sending it, as S3 would after: the expiration, the
/// `content-length-range`, and the `Content-Type` and `key` conditions (`eq` and `starts-with`) against
/// `content_type` (the Content-Type form field that will be sent) and the target's `fields.key`.
/// `URL_EXPIRED` or `INVALID_FILE` naming the condition that fails.
pub fn check_policy(
    policy: &Policy,
    target: &UploadTarget,
    content_type: &str,
    size: u64,
    now: i64,
) -> Result<(), KycError> {
    if now >= policy.expiration {
        return Err(KycError::UrlExpired(format!(
            "the POST policy for {} expired {} s ago (its expiration condition): request new URLs",
            target.key,
            now - policy.expiration
        )));
    }
    let key = target.object_key().unwrap_or_default();
    for condition in &policy.conditions {
        let (name, actual) = match condition {
            Condition::ContentLengthRange(min, max) => {
                if size < *min || size > *max {
                    return Err(KycError::InvalidFile(format!(
                        "the file is {size} bytes, outside the POST policy's {}",
                        condition_text(condition)
                    )));
                }
                continue;
            }
            Condition::Eq(name, _) | Condition::StartsWith(name, _) => {
                if name.eq_ignore_ascii_case("Content-Type") {
                    (name, content_type)
                } else if name.eq_ignore_ascii_case("key") {
                    (name, key)
                } else {
                    continue;
                }
            }
        };
        let ok = match condition {
            Condition::Eq(_, expected) => actual == expected,
            Condition::StartsWith(_, prefix) => actual.starts_with(prefix.as_str()),
            Condition::ContentLengthRange(..) => true,
        };
        if !ok {
            let what = if name.eq_ignore_ascii_case("key") {
                format!("the object key {actual:?}")
            } else {
                format!("Content-Type {actual:?}")
            };
            return Err(KycError::InvalidFile(format!(
                "{what} fails the POST policy condition {}",
                condition_text(condition)
            )));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------
// The plan: everything checked before sending

/// What [`plan_upload`] needs to know about a file.
#[derive(Clone, Copy, Debug)]
pub struct FileInfo<'a> {
    /// The first bytes of the file ([`SNIFF_BYTES`] or all of it if shorter).
    pub head: &'a [u8],
    /// The size in bytes.
    pub size: u64,
    /// The file's own type (`File.type` / `Blob.type`), when it has one.
    pub own_type: Option<&'a str>,
}

/// The caller's options for one upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadOptions {
    /// The current time, in Unix seconds.
    pub now: i64,
    /// Smallest accepted size ([`DEFAULT_MIN_BYTES`] by default).
    pub min_bytes: u64,
    /// Largest accepted size ([`DEFAULT_MAX_BYTES`] by default).
    pub max_bytes: u64,
    /// The declared type, overriding the target's and the file's own.
    pub content_type: Option<String>,
    /// Whether an `http:` target may be used (a local test server); otherwise only `https:`.
    pub allow_insecure: bool,
}

impl UploadOptions {
    /// Default bounds at `now`.
    pub fn at(now: i64) -> UploadOptions {
        UploadOptions {
            now,
            min_bytes: DEFAULT_MIN_BYTES,
            max_bytes: DEFAULT_MAX_BYTES,
            content_type: None,
            allow_insecure: false,
        }
    }
}

/// A checked upload, ready for the transport.
#[derive(Clone, Debug, PartialEq)]
pub struct UploadPlan {
    /// PUT or POST.
    pub method: Method,
    /// Where to send it.
    pub url: String,
    /// The content type: the `content-type` header of a PUT, the `Content-Type` form field of a POST.
    pub content_type: String,
    /// POST only: the form fields, in order, to send before the file (which goes last, as `file`).
    pub form: Vec<(String, String)>,
    /// The file size in bytes.
    pub size: u64,
}

/// The declared content type: the option, else the target's, else the file's own.
pub fn declared_type(
    target: &UploadTarget,
    file: &FileInfo<'_>,
    options: &UploadOptions,
) -> Result<String, KycError> {
    options
        .content_type
        .clone()
        .filter(|t| !t.is_empty())
        .or_else(|| target.content_type.clone().filter(|t| !t.is_empty()))
        .or_else(|| file.own_type.filter(|t| !t.is_empty()).map(str::to_owned))
        .ok_or_else(|| {
            KycError::InvalidFile(format!(
                "no content type for {}: pass options.contentType, or parse the targets with the files map",
                target.key
            ))
        })
}

/// Refuses an `http:` target unless `allow_insecure`: KYC documents must not travel in clear text.
pub fn check_transport(url: &str, allow_insecure: bool) -> Result<(), KycError> {
    let scheme = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if scheme.starts_with("https://") || (allow_insecure && scheme.starts_with("http://")) {
        return Ok(());
    }
    Err(KycError::invalid_argument(
        if scheme.starts_with("http://") {
            "the upload target is http:, which would send the document in clear text: use https, or pass \
         allowInsecure: true for a local test server"
        } else {
            "the upload target's URL must be https:"
        },
    ))
}

/// Checks everything that can be checked before sending `file` to `target` (the transport, the expiry, the declared
/// type against the magic bytes, the size bounds and, for POST, the decoded `policy`), and says what to
/// send. Nothing may be sent when this fails.
pub fn plan_upload(
    target: &UploadTarget,
    file: &FileInfo<'_>,
    options: &UploadOptions,
    policy: Option<&Value>,
) -> Result<UploadPlan, KycError> {
    if options.min_bytes > options.max_bytes {
        return Err(KycError::invalid_argument(format!(
            "options.minBytes ({}) is over options.maxBytes ({})",
            options.min_bytes, options.max_bytes
        )));
    }
    check_transport(&target.url, options.allow_insecure)?;
    check_expiry(target, options.now)?;
    let declared = declared_type(target, file, options)?;
    check_file_type(&declared, file.head)?;
    check_size(file.size, options.min_bytes, options.max_bytes)?;
    match target.method {
        Method::Put => {
            // S3 signed the type the URL was requested for: send exactly that one, whatever the spelling
            // (case, image/jpg for image/jpeg) of an explicit contentType that names the same type.
            let content_type = match &target.content_type {
                Some(signed) if !same_type(signed, &declared) => {
                    return Err(KycError::InvalidFile(format!(
                        "the file is declared {declared} but the URL for {} was signed for {signed}",
                        target.key
                    )))
                }
                Some(signed) => signed.clone(),
                None => declared,
            };
            Ok(UploadPlan {
                method: Method::Put,
                url: target.url.clone(),
                content_type,
                form: Vec::new(),
                size: file.size,
            })
        }
        Method::Post => {
            let policy = match policy {
                Some(p) => parse_policy(p)?,
                None => {
                    return Err(KycError::malformed(format!(
                        "the POST target {} has no policy to check",
                        target.key
                    )))
                }
            };
            let type_condition = policy.conditions.iter().find_map(|c| match c {
                Condition::Eq(n, v) if n.eq_ignore_ascii_case("Content-Type") => Some((true, v)),
                Condition::StartsWith(n, v) if n.eq_ignore_ascii_case("Content-Type") => {
                    Some((false, v))
                }
                _ => None,
            });
            let mut form = target.fields.clone();
            let content_type = match target.field("Content-Type") {
                Some(field) => {
                    if !same_type(field, &declared) {
                        return Err(KycError::InvalidFile(format!(
                            "the file is declared {declared} but the form's Content-Type field is {field}"
                        )));
                    }
                    field.to_owned()
                }
                None => {
                    // Send the policy's own spelling of an equivalent type (image/jpg for image/jpeg…).
                    let sent = match type_condition {
                        Some((true, value)) if same_type(value, &declared) => value.clone(),
                        _ => declared,
                    };
                    if type_condition.is_some() {
                        form.push(("Content-Type".into(), sent.clone()));
                    }
                    sent
                }
            };
            check_policy(&policy, target, &content_type, file.size, options.now)?;
            Ok(UploadPlan {
                method: Method::Post,
                url: target.url.clone(),
                content_type,
                form,
                size: file.size,
            })
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Answers

fn unescape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let tail = rest.get(at..).unwrap_or_default();
        let Some(end) = tail.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = tail.get(1..).unwrap_or_default();
            continue;
        };
        let entity = tail.get(1..end).unwrap_or_default();
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = tail.get(end + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let len = xml.get(start..)?.find(&close)?;
    xml.get(start..start + len)
}

/// S3's error document, `<Error><Code>…</Code><Message>…</Message></Error>`: its code and message.
pub fn parse_s3_error(body: &str) -> Option<(String, String)> {
    let error = element(body, "Error")?;
    let code = unescape_xml(element(error, "Code")?.trim());
    let message = element(error, "Message")
        .map(|m| unescape_xml(m.trim()))
        .unwrap_or_default();
    Some((code, message))
}

/// The error for a non-2xx answer of the storage server: `UPLOAD_FAILED` with S3's `Code` and `Message`
/// when the body is an S3 error document.
pub fn upload_failed(status: u16, body: &str) -> KycError {
    match parse_s3_error(body) {
        Some((s3_code, s3_message)) => KycError::UploadFailed {
            s3_code,
            s3_message,
            status: Some(status),
        },
        None => KycError::UploadFailed {
            s3_code: String::new(),
            s3_message: format!("HTTP {status} without an S3 error document"),
            status: Some(status),
        },
    }
}

/// Whether an attempt that ended with `status` (`None`: a network failure) should be retried, given that
/// `retries` retries were made already: network failures and 5xx, at most [`MAX_RETRIES`] times. Never 4xx.
pub fn should_retry(status: Option<u16>, retries: u32) -> bool {
    retries < MAX_RETRIES && status.map_or(true, |s| (500..600).contains(&s))
}

/// The wait before retry number `retry` (1 for the first): 500 ms, then 1500 ms.
pub fn retry_delay_ms(retry: u32) -> u32 {
    500u32.saturating_mul(3u32.saturating_pow(retry.saturating_sub(1).min(10)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn files(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    const NOW: i64 = 1_769_159_645; // 2026-01-23T09:14:05Z

    /// The seed's `file_upload_put` example (its `"success": "true"` is a string there).
    const SEED_PUT: &str = r#"{
        "success": "true",
        "data": {
            "result_type": "file_upload_put",
            "file_upload_put": {
                "document_id": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/i/anm15395b85581eab3068cb43ftc0rt1?X-Amz-Algorithm=AWS4..", "fields": {"key": "3/i/anm15395b85581eab3068cb43ftc0rt1"}},
                "selfie": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/i/b3vvte895rt5581eab3068cb43ftc0vg?X-Amz-Algorithm=AWS4..", "fields": {"key": "3/i/b3vvte895rt5581eab3068cb43ftc0vg"}},
                "residence_proof": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/d/276dv5b85581eab3068cb43ftc0rt1?X-Amz-Algorithm=AWS4..", "fields": {"key": "3/d/276dv5b85581eab3068cb43ftc0rt1"}},
                "investor_proof_file1": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/d/anm1539uhu33eab3068cb4c0rt1?X-Amz-Algorithm=AWS4..", "fields": {"key": "3/d/anm1539uhu33eab3068cb4c0rt1"}},
                "investor_proof_file2": {"url": "https://s3.amazonaws.com/kyc.stagingost.com/3/d/bcbeu8558ksoso68cb43ftc0?X-Amz-Algorithm=AWS4..", "fields": {"key": "3/d/bcbeu8558ksoso68cb43ftc0"}}
            }
        }
    }"#;

    /// The seed's `file_upload_post` example.
    const SEED_POST: &str = r#"{
        "success": true,
        "data": {
            "result_type": "file_upload_post",
            "file_upload_post": {
                "document_id": {
                    "url": "https://s3.amazonaws.com/kyc.ost.com",
                    "fields": {
                        "key": "3/i/b3vvte895rt5581eab3068cb43ftc0vg1",
                        "x-amz-server-side-encryption": "aws:kms",
                        "x-amz-server-side-encryption-aws-kms-key-id": "5734c3ab-c4ae-4424-a464-2253ui828296",
                        "policy": "abcdefghijklmnopqrstuvwxvz",
                        "x-amz-credential": "akiajudralnurkavs5iq/20180123/us-east-1/s3/aws4_request",
                        "x-amz-algorithm": "aws4-hmac-sha256",
                        "x-amz-date": "20180123t091405z",
                        "x-amz-signature": "34cc2f3925c360ecf0ed2ed5a1074f23537807005ffa21e4bc1ebb5225f9875a"
                    }
                }
            }
        }
    }"#;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F'];
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    const PDF: &[u8] = b"%PDF-1.4";

    #[test]
    fn seed_put_example_parses_with_string_success() {
        let request = files(&[
            ("residence_proof", "application/pdf"),
            ("investor_proof_file1", "application/pdf"),
            ("investor_proof_file2", "application/pdf"),
            ("document_id", "image/jpeg"),
            ("selfie", "IMAGE/JPEG"),
        ]);
        let targets = parse_upload_targets(&json(SEED_PUT), Some(&request), NOW).unwrap();
        assert_eq!(targets.len(), 5);
        let doc = &targets[0];
        assert_eq!(doc.key, "document_id");
        assert_eq!(doc.method, Method::Put);
        assert!(doc
            .url
            .starts_with("https://s3.amazonaws.com/kyc.stagingost.com/3/i/anm"));
        assert_eq!(
            doc.fields,
            vec![("key".into(), "3/i/anm15395b85581eab3068cb43ftc0rt1".into())]
        );
        assert_eq!(doc.expires_at, NOW + 900);
        assert_eq!(doc.content_type.as_deref(), Some("image/jpeg"));
        assert_eq!(
            targets[1].content_type.as_deref(),
            Some("image/jpeg"),
            "lowercased as requested"
        );
        assert_eq!(targets[2].content_type.as_deref(), Some("application/pdf"));
        // Without the map, no content type is known.
        let bare = parse_upload_targets(&json(SEED_PUT), None, NOW).unwrap();
        assert!(bare.iter().all(|t| t.content_type.is_none()));
    }

    #[test]
    fn seed_post_example_parses() {
        let targets = parse_upload_targets(
            &json(SEED_POST),
            Some(&files(&[("document_id", "image/jpeg")])),
            NOW,
        )
        .unwrap();
        assert_eq!(targets.len(), 1);
        let t = &targets[0];
        assert_eq!(t.method, Method::Post);
        assert_eq!(t.url, "https://s3.amazonaws.com/kyc.ost.com");
        assert_eq!(t.fields.len(), 8);
        assert_eq!(t.fields[0].0, "key", "field order is kept");
        assert_eq!(
            t.object_key(),
            Some("3/i/b3vvte895rt5581eab3068cb43ftc0vg1")
        );
        assert_eq!(
            t.field("Policy"),
            Some("abcdefghijklmnopqrstuvwxvz"),
            "field names are case-insensitive"
        );
        assert_eq!(t.content_type.as_deref(), Some("image/jpeg"));
    }

    #[test]
    fn bare_target_maps_are_accepted() {
        let put = json(SEED_PUT);
        let map = put.get("data").unwrap().get("file_upload_put").unwrap();
        let targets = parse_upload_targets(map, None, NOW).unwrap();
        assert_eq!(targets.len(), 5);
        assert!(targets.iter().all(|t| t.method == Method::Put));
        assert!(targets[0].url.starts_with("https://"));
        let post = json(SEED_POST);
        let map = post.get("data").unwrap().get("file_upload_post").unwrap();
        let targets =
            parse_upload_targets(map, Some(&files(&[("document_id", "image/jpeg")])), NOW).unwrap();
        assert_eq!(targets[0].method, Method::Post);
        // Mixed maps and other objects are not target maps.
        let mixed = json(
            r#"{"a": {"url": "https://h/b", "fields": {"key": "k"}}, "b": {"url": "https://h/b", "fields": {"key": "k", "policy": "e30="}}}"#,
        );
        assert!(parse_upload_targets(&mixed, None, NOW)
            .unwrap_err()
            .to_string()
            .contains("no success flag"));
        let e = parse_upload_targets(
            &json(r#"{"a": {"url": "ftp://x", "fields": {"key": "k"}}}"#),
            None,
            NOW,
        )
        .unwrap_err();
        assert!(e.to_string().contains("targets.a.url"), "{e}");
    }

    #[test]
    fn success_false_is_api_error_with_the_server_err() {
        let response = json(
            r#"{"success": false, "err": {"code": "UNAUTHORIZED", "msg": "We could not authenticate the request.", "internal_id": "a_1"}}"#,
        );
        let e = parse_upload_targets(&response, None, NOW).unwrap_err();
        assert_eq!(e.code(), "API_ERROR");
        assert_eq!(
            e,
            KycError::Api {
                code: "UNAUTHORIZED".into(),
                msg: "We could not authenticate the request.".into(),
                internal_id: "a_1".into(),
                status: None
            }
        );
        let e = parse_upload_targets(&json(r#"{"success": "false"}"#), None, NOW).unwrap_err();
        assert_eq!(e.code(), "API_ERROR");
        assert!(e.to_string().contains("no err object"), "{e}");
    }

    #[test]
    fn shape_is_validated() {
        let cases = [
            (r#"[]"#, "must be the JSON object"),
            (r#"{"data": {}}"#, "no success flag"),
            (r#"{"success": 1}"#, "true or false"),
            (r#"{"success": true}"#, "no data"),
            (
                r#"{"success": true, "data": {"result_type": "users"}}"#,
                "result_type must be",
            ),
            (
                r#"{"success": true, "data": {"result_type": "file_upload_put"}}"#,
                "no file_upload_put",
            ),
            (
                r#"{"success": true, "data": {"result_type": "file_upload_put", "file_upload_put": {}}}"#,
                "no targets",
            ),
            (
                r#"{"success": true, "data": {"result_type": "file_upload_put", "file_upload_put": {"a": 1}}}"#,
                "{url, fields}",
            ),
            (
                r#"{"success": true, "data": {"file_upload_put": {"a": {"fields": {"key": "k"}}}}}"#,
                "no url",
            ),
            (
                r#"{"success": true, "data": {"file_upload_put": {"a": {"url": "ftp://x/y", "fields": {"key": "k"}}}}}"#,
                "absolute http(s)",
            ),
            (
                r#"{"success": true, "data": {"file_upload_put": {"a": {"url": "https://x/y"}}}}"#,
                "no fields",
            ),
            (
                r#"{"success": true, "data": {"file_upload_put": {"a": {"url": "https://x/y", "fields": {}}}}}"#,
                "fields.key",
            ),
            (
                r#"{"success": true, "data": {"file_upload_put": {"a": {"url": "https://x/y", "fields": {"key": ""}}}}}"#,
                "fields.key",
            ),
            (
                r#"{"success": true, "data": {"file_upload_put": {"a": {"url": "https://x/y", "fields": {"key": {}}}}}}"#,
                "must be a string",
            ),
            (
                r#"{"success": true, "data": {"file_upload_post": {"a": {"url": "https://x/y", "fields": {"key": "k"}}}}}"#,
                "no policy",
            ),
        ];
        for (text, needle) in cases {
            let e = parse_upload_targets(&json(text), None, NOW).unwrap_err();
            assert_eq!(e.code(), "MALFORMED_BODY", "{text}");
            assert!(e.to_string().contains(needle), "{text}: {e}");
        }
        // Every requested file needs a target; unknown types in the map are the caller's mistake.
        let e = parse_upload_targets(
            &json(SEED_POST),
            Some(&files(&[("selfie", "image/png")])),
            NOW,
        )
        .unwrap_err();
        assert!(e.to_string().contains("no target for files.selfie"), "{e}");
        let e = parse_upload_targets(
            &json(SEED_POST),
            Some(&files(&[("document_id", "image/gif")])),
            NOW,
        )
        .unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT");
    }

    #[test]
    fn file_paths_map_to_submission_fields_in_natural_order() {
        let uploaded = files(&[
            ("investor_proof_file10", "p10"),
            ("selfie", "s"),
            ("investor_proof_file2", "p2"),
            ("document_id", "d"),
            ("investor_proof_file1", "p1"),
            ("residence_proof", "r"),
        ]);
        let out = kyc_file_paths(&uploaded).unwrap();
        assert_eq!(
            out,
            json(
                r#"{"document_id_file_path": "d", "selfie_file_path": "s", "residence_proof_file_path": "r",
                    "investor_proof_files_path": ["p1", "p2", "p10"]}"#
            )
        );
        assert_eq!(
            kyc_file_paths(&files(&[("selfie", "s")])).unwrap(),
            json(r#"{"selfie_file_path": "s"}"#)
        );
        assert_eq!(kyc_file_paths(&[]).unwrap(), json("{}"));
        for bad in [
            files(&[("passport", "x")]),
            files(&[("selfie", "a"), ("selfie", "b")]),
            files(&[("selfie", "")]),
        ] {
            assert_eq!(kyc_file_paths(&bad).unwrap_err().code(), "INVALID_ARGUMENT");
        }
    }

    #[test]
    fn natural_order() {
        use std::cmp::Ordering::*;
        assert_eq!(natural_cmp("file2", "file10"), Less);
        assert_eq!(natural_cmp("file10", "file9"), Greater);
        assert_eq!(natural_cmp("file02", "file2"), Less, "ties broken bytewise");
        assert_eq!(natural_cmp("file", "file1"), Less);
        assert_eq!(natural_cmp("file1a", "file1b"), Less);
        assert_eq!(natural_cmp("a", "a"), Equal);
    }

    #[test]
    fn magic_bytes() {
        assert_eq!(sniff(JPEG), Some(FileKind::Jpeg));
        assert_eq!(sniff(PNG), Some(FileKind::Png));
        assert_eq!(sniff(PDF), Some(FileKind::Pdf));
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(
            sniff(&PNG[..7]),
            None,
            "a truncated PNG signature is not PNG"
        );
        assert_eq!(sniff(&[]), None);
        assert_eq!(check_file_type("image/jpeg", JPEG), Ok(FileKind::Jpeg));
        assert_eq!(check_file_type("IMAGE/JPG", JPEG), Ok(FileKind::Jpeg));
        assert_eq!(check_file_type("Application/PDF", PDF), Ok(FileKind::Pdf));
        let e = check_file_type("image/png", JPEG).unwrap_err();
        assert_eq!(e.code(), "INVALID_FILE");
        assert!(e.to_string().contains("magic bytes say JPEG"), "{e}");
        let e = check_file_type("application/pdf", b"hello world").unwrap_err();
        assert!(e.to_string().contains("no JPEG, PNG or PDF"), "{e}");
        let e = check_file_type("image/gif", b"GIF89a").unwrap_err();
        assert!(e.to_string().contains("not accepted"), "{e}");
    }

    #[test]
    fn size_bounds() {
        assert!(check_size(DEFAULT_MIN_BYTES, DEFAULT_MIN_BYTES, DEFAULT_MAX_BYTES).is_ok());
        assert!(check_size(DEFAULT_MAX_BYTES, DEFAULT_MIN_BYTES, DEFAULT_MAX_BYTES).is_ok());
        let e =
            check_size(DEFAULT_MIN_BYTES - 1, DEFAULT_MIN_BYTES, DEFAULT_MAX_BYTES).unwrap_err();
        assert!(e.to_string().contains("minimum (minBytes)"), "{e}");
        let e =
            check_size(DEFAULT_MAX_BYTES + 1, DEFAULT_MIN_BYTES, DEFAULT_MAX_BYTES).unwrap_err();
        assert!(e.to_string().contains("maximum (maxBytes)"), "{e}");
    }

    #[test]
    fn url_expiry() {
        let url = "https://h/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260123T091405Z&x-amz-expires=60&X-Amz-Signature=ab";
        assert_eq!(presigned_url_expiry(url), Some(NOW + 60));
        assert_eq!(presigned_url_expiry("https://h/b/k"), None);
    }

    fn put_target(url: &str, content_type: Option<&str>) -> UploadTarget {
        UploadTarget {
            key: "document_id".into(),
            method: Method::Put,
            url: url.into(),
            fields: vec![("key".into(), "3/i/doc".into())],
            expires_at: NOW + 900,
            content_type: content_type.map(str::to_owned),
        }
    }

    fn file(head: &[u8], size: u64) -> FileInfo<'_> {
        FileInfo {
            head,
            size,
            own_type: None,
        }
    }

    #[test]
    fn put_plan_sends_exactly_the_signed_type() {
        let target = put_target(
            "https://h/b/k?X-Amz-Date=20260123T091405Z&X-Amz-Expires=900",
            Some("image/jpeg"),
        );
        let plan =
            plan_upload(&target, &file(JPEG, 300_000), &UploadOptions::at(NOW), None).unwrap();
        assert_eq!(plan.method, Method::Put);
        assert_eq!(plan.content_type, "image/jpeg");
        assert!(plan.form.is_empty());
        // image/jpg declared by the file itself still sends the signed image/jpeg.
        let mut own = file(JPEG, 300_000);
        own.own_type = Some("image/jpg");
        let plan = plan_upload(
            &put_target("https://h/b/k", None),
            &own,
            &UploadOptions::at(NOW),
            None,
        )
        .unwrap();
        assert_eq!(
            plan.content_type, "image/jpg",
            "no signed type known: the file's own"
        );
        // A declared type that contradicts the signed one is refused before sending.
        let options = UploadOptions {
            content_type: Some("image/png".into()),
            ..UploadOptions::at(NOW)
        };
        let e = plan_upload(&target, &file(PNG, 300_000), &options, None).unwrap_err();
        assert!(e.to_string().contains("signed for image/jpeg"), "{e}");
        // No type anywhere.
        let e = plan_upload(
            &put_target("https://h/b/k", None),
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW),
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("no content type"), "{e}");
    }

    #[test]
    fn an_explicit_content_type_is_compared_case_insensitively_and_the_signed_one_is_sent() {
        let target = put_target("https://h/b/k", Some("image/jpeg"));
        for explicit in ["IMAGE/JPEG", "Image/Jpeg", "image/jpg", "image/jpeg"] {
            let options = UploadOptions {
                content_type: Some(explicit.into()),
                ..UploadOptions::at(NOW)
            };
            let plan = plan_upload(&target, &file(JPEG, 300_000), &options, None).unwrap();
            assert_eq!(plan.content_type, "image/jpeg", "{explicit}");
        }
    }

    #[test]
    fn http_targets_need_allow_insecure() {
        let target = put_target("http://127.0.0.1:9000/b/k", Some("image/jpeg"));
        let e =
            plan_upload(&target, &file(JPEG, 300_000), &UploadOptions::at(NOW), None).unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT");
        assert!(e.to_string().contains("allowInsecure"), "{e}");
        let allowed = UploadOptions {
            allow_insecure: true,
            ..UploadOptions::at(NOW)
        };
        assert!(plan_upload(&target, &file(JPEG, 300_000), &allowed, None).is_ok());
        for url in ["HTTPS://h/b/k", "https://h/b/k"] {
            assert!(check_transport(url, false).is_ok(), "{url}");
        }
        for url in ["ftp://h/b/k", "file:///etc/passwd", "//h/b/k"] {
            assert_eq!(
                check_transport(url, true).unwrap_err().code(),
                "INVALID_ARGUMENT"
            );
        }
    }

    #[test]
    fn put_plan_checks_expiry_type_and_size() {
        let target = put_target(
            "https://h/b/k?X-Amz-Date=20260123T091405Z&X-Amz-Expires=60",
            Some("image/jpeg"),
        );
        let e = plan_upload(
            &target,
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW + 60),
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), "URL_EXPIRED");
        assert!(e.to_string().contains("X-Amz-Expires"), "{e}");
        let e = plan_upload(
            &target,
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW + 900),
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), "URL_EXPIRED");
        let e =
            plan_upload(&target, &file(PNG, 300_000), &UploadOptions::at(NOW), None).unwrap_err();
        assert_eq!(e.code(), "INVALID_FILE");
        let e = plan_upload(&target, &file(JPEG, 1000), &UploadOptions::at(NOW), None).unwrap_err();
        assert_eq!(e.code(), "INVALID_FILE");
        let small = UploadOptions {
            min_bytes: 100,
            ..UploadOptions::at(NOW)
        };
        assert!(plan_upload(&target, &file(JPEG, 1000), &small, None).is_ok());
        let inverted = UploadOptions {
            min_bytes: 10,
            max_bytes: 5,
            ..UploadOptions::at(NOW)
        };
        assert_eq!(
            plan_upload(&target, &file(JPEG, 7), &inverted, None)
                .unwrap_err()
                .code(),
            "INVALID_ARGUMENT"
        );
    }

    fn post_target(extra: &[(&str, &str)]) -> UploadTarget {
        let mut fields = vec![
            ("bucket".to_string(), "kyc".to_string()),
            ("X-Amz-Algorithm".into(), "AWS4-HMAC-SHA256".into()),
            ("key".into(), "3/i/doc".into()),
            ("Policy".into(), "e30=".into()),
            ("X-Amz-Signature".into(), "ab".into()),
        ];
        fields.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        UploadTarget {
            key: "document_id".into(),
            method: Method::Post,
            url: "https://h/kyc".into(),
            fields,
            expires_at: NOW + 900,
            content_type: Some("image/jpeg".into()),
        }
    }

    fn policy(conditions: &str) -> Value {
        json(&format!(
            r#"{{"expiration": "2026-01-23T09:24:05.000Z", "conditions": {conditions}}}"#
        ))
    }

    #[test]
    fn post_plan_adds_content_type_and_keeps_fields_first() {
        let p = policy(
            r#"[["content-length-range", 1000, 400000], ["eq", "$Content-Type", "image/jpeg"], {"bucket": "kyc"}, ["starts-with", "$key", "3/i/"]]"#,
        );
        let plan = plan_upload(
            &post_target(&[]),
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW),
            Some(&p),
        )
        .unwrap();
        assert_eq!(plan.method, Method::Post);
        assert_eq!(plan.content_type, "image/jpeg");
        let names: Vec<&str> = plan.form.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "bucket",
                "X-Amz-Algorithm",
                "key",
                "Policy",
                "X-Amz-Signature",
                "Content-Type"
            ]
        );
        // A form that already has the field keeps it, and adds nothing.
        let plan = plan_upload(
            &post_target(&[("Content-Type", "image/jpeg")]),
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW),
            Some(&p),
        )
        .unwrap();
        assert_eq!(
            plan.form
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .count(),
            1
        );
        // No Content-Type condition: no field is added (S3 refuses fields the policy does not name).
        let plan = plan_upload(
            &post_target(&[]),
            &file(JPEG, 300_000),
            &UploadOptions::at(NOW),
            Some(&policy("[]")),
        )
        .unwrap();
        assert!(plan.form.iter().all(|(k, _)| k != "Content-Type"));
        // image/jpg declared, policy spells image/jpeg: the policy's spelling is sent.
        let options = UploadOptions {
            content_type: Some("image/jpg".into()),
            ..UploadOptions::at(NOW)
        };
        let plan =
            plan_upload(&post_target(&[]), &file(JPEG, 300_000), &options, Some(&p)).unwrap();
        assert_eq!(plan.content_type, "image/jpeg");
    }

    #[test]
    fn post_policy_conditions_are_enforced_and_named() {
        let target = post_target(&[]);
        let check = |conditions: &str, size: u64, now: i64, content_type: Option<&str>| {
            let options = UploadOptions {
                content_type: content_type.map(str::to_owned),
                min_bytes: 0,
                ..UploadOptions::at(now)
            };
            let head = match content_type {
                Some("image/png") => PNG,
                Some("application/pdf") => PDF,
                _ => JPEG,
            };
            plan_upload(
                &target,
                &file(head, size),
                &options,
                Some(&policy(conditions)),
            )
        };
        let e = check("[]", 1000, NOW + 600, None).unwrap_err();
        assert_eq!(e.code(), "URL_EXPIRED");
        assert!(e.to_string().contains("expiration"), "{e}");
        let range = r#"[["content-length-range", 204800, 20971520]]"#;
        assert!(check(range, 204_800, NOW, None).is_ok());
        let e = check(range, 204_799, NOW, None).unwrap_err();
        assert_eq!(e.code(), "INVALID_FILE");
        assert!(e.to_string().contains("content-length-range"), "{e}");
        assert!(check(range, 20_971_521, NOW, None).is_err());
        // Numbers as strings, as some SDKs write them.
        assert!(check(r#"[["content-length-range", "10", "20"]]"#, 30, NOW, None).is_err());
        // Content-Type: eq in both spellings, any case of the name, and starts-with.
        for c in [
            r#"[["eq", "$Content-Type", "image/png"]]"#,
            r#"[["EQ", "$content-type", "image/png"]]"#,
            r#"[{"Content-Type": "image/png"}]"#,
            r#"[{"content-type": "image/png"}]"#,
            r#"[["starts-with", "$Content-Type", "application/"]]"#,
        ] {
            let e = check(c, 1000, NOW, None).unwrap_err();
            assert_eq!(e.code(), "INVALID_FILE", "{c}");
            assert!(
                e.to_string()
                    .contains("Content-Type \"image/jpeg\" fails the POST policy condition"),
                "{c}: {e}"
            );
        }
        assert!(check(
            r#"[["starts-with", "$Content-Type", "image/"]]"#,
            1000,
            NOW,
            None
        )
        .is_ok());
        assert!(check(r#"[["starts-with", "$Content-Type", ""]]"#, 1000, NOW, None).is_ok());
        assert!(check(
            r#"[{"Content-Type": "image/png"}]"#,
            1000,
            NOW,
            Some("image/png")
        )
        .is_ok());
        // key: eq and starts-with.
        assert!(check(r#"[["eq", "$key", "3/i/doc"]]"#, 1000, NOW, None).is_ok());
        assert!(check(r#"[{"key": "3/i/doc"}]"#, 1000, NOW, None).is_ok());
        let e = check(r#"[["starts-with", "$key", "4/"]]"#, 1000, NOW, None).unwrap_err();
        assert!(e.to_string().contains("object key \"3/i/doc\""), "{e}");
        assert!(check(r#"[{"key": "3/i/other"}]"#, 1000, NOW, None).is_err());
        // Other fields' conditions are S3's business.
        assert!(check(
            r#"[{"bucket": "elsewhere"}, ["eq", "$x-amz-meta-a", "b"]]"#,
            1000,
            NOW,
            None
        )
        .is_ok());
    }

    #[test]
    fn malformed_policies() {
        let target = post_target(&[]);
        for p in [
            r#"{"conditions": []}"#,
            r#"{"expiration": "tomorrow", "conditions": []}"#,
            r#"{"expiration": "2026-01-23T09:24:05Z"}"#,
            r#"{"expiration": "2026-01-23T09:24:05Z", "conditions": [1]}"#,
            r#"{"expiration": "2026-01-23T09:24:05Z", "conditions": [["content-length-range", 5, 1]]}"#,
            r#"{"expiration": "2026-01-23T09:24:05Z", "conditions": [["in", "$key", "a"]]}"#,
            r#"{"expiration": "2026-01-23T09:24:05Z", "conditions": [["eq", "$key"]]}"#,
        ] {
            let e = plan_upload(
                &target,
                &file(JPEG, 300_000),
                &UploadOptions::at(NOW),
                Some(&json(p)),
            )
            .unwrap_err();
            assert_eq!(e.code(), "MALFORMED_BODY", "{p}");
        }
        assert_eq!(
            plan_upload(&target, &file(JPEG, 300_000), &UploadOptions::at(NOW), None)
                .unwrap_err()
                .code(),
            "MALFORMED_BODY"
        );
    }

    #[test]
    fn policy_field_is_decoded() {
        let mut target = post_target(&[]);
        target.fields[3].1 =
            crate::codec::to_base64(br#"{"expiration":"2026-01-23T09:24:05Z","conditions":[]}"#);
        let text = decode_policy(&target).unwrap().unwrap();
        assert!(parse_policy(&json(&text)).is_ok());
        target.fields[3].1 = "not base64!".into();
        assert_eq!(decode_policy(&target).unwrap_err().code(), "MALFORMED_BODY");
        assert_eq!(
            decode_policy(&put_target("https://h/b", None)).unwrap(),
            None
        );
    }

    #[test]
    fn s3_error_documents() {
        let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match &amp; &#x41;&#66; &lt;x&gt;</Message><StringToSign>…</StringToSign></Error>"#;
        assert_eq!(
            parse_s3_error(body),
            Some((
                "SignatureDoesNotMatch".into(),
                "The request signature we calculated does not match & AB <x>".into()
            ))
        );
        let e = upload_failed(403, body);
        assert_eq!(e.code(), "UPLOAD_FAILED");
        assert_eq!(e.status(), Some(403));
        assert_eq!(e.details()[0], ("s3Code", "SignatureDoesNotMatch".into()));
        let e = upload_failed(502, "<html>bad gateway</html>");
        assert_eq!(e.details()[0], ("s3Code", String::new()));
        assert!(e.to_string().contains("HTTP 502"), "{e}");
        assert_eq!(parse_s3_error("<Error><Message>m</Message></Error>"), None);
        assert_eq!(unescape_xml("a &bogus; & b &#xZZ;"), "a &bogus; & b &#xZZ;");
    }

    #[test]
    fn retries() {
        assert!(should_retry(None, 0));
        assert!(should_retry(Some(503), 1));
        assert!(!should_retry(Some(503), 2), "at most twice");
        assert!(!should_retry(Some(403), 0), "never 4xx");
        assert!(!should_retry(Some(200), 0));
        assert_eq!(retry_delay_ms(1), 500);
        assert_eq!(retry_delay_ms(2), 1500);
    }
}
