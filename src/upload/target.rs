//! The pre-signed upload target, its one owner: [`Method`], [`UploadTarget`], reading the pre-signed URL
//! response into targets, and when a target expires.

use super::{ALLOWED_CONTENT_TYPES, URL_LIFETIME_SECONDS};
use crate::calendar::parse_amz_date;
use crate::envelope;
use crate::error::KycError;
use crate::value::{js_number, Value};

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

    /// Reads the `kind` argument of the pre-signed URL calls: `"put"` or `"post"` (any case).
    pub fn from_kind(kind: &str) -> Result<Method, KycError> {
        Method::parse(kind).ok_or_else(|| {
            KycError::invalid_argument(
                "kind must be \"put\" or \"post\" (which pre-signed URL endpoint to call)",
            )
        })
    }

    /// The `data.result_type` of the response that hands out targets of this kind, which is also the key
    /// of its object.
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

/// `success` of a pre-signed URL response ([`crate::envelope::success_flag`]), explaining a missing or
/// wrong one.
fn success_flag(response: &Value) -> Result<bool, KycError> {
    match (envelope::success_flag(response), response.get("success")) {
        (Some(flag), _) => Ok(flag),
        (None, Some(other)) => Err(KycError::malformed(format!(
            "response.success must be true or false, got {}",
            other.kind_name()
        ))),
        (None, None) => Err(KycError::malformed(
            "response has no success flag: pass the whole JSON response of the pre-signed URL endpoint",
        )),
    }
}

pub(super) fn field_text(value: &Value, path: &str) -> Result<String, KycError> {
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
/// the documented shape is `MALFORMED_BODY` naming the path.
///
/// The bare `{fileKey: target}` map that `OstKycClient#getPresignedUrls` resolves to is accepted too: its
/// targets carry their own `method`, `expiresAt` and `contentType`, which are kept. A map of bare
/// `{url, fields}` (the documented objects without the envelope) is read as POST when every entry's fields
/// carry a policy and PUT when none does.
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
        return Err(envelope::api_error(Some(response), None));
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
        Some(method),
        &format!("response.data.{result_type}"),
        files.as_deref(),
        now,
    )
}

/// An object's entries.
type Entries = [(String, Value)];

/// `{fileKey: target}` without the envelope. `None` for the method when every entry names its own (the
/// full targets of `OstKycClient#getPresignedUrls`); for bare `{url, fields}` entries, POST when every entry
/// carries a policy, PUT when none does.
fn bare_target_map(response: &Value) -> Option<(&Entries, Option<Method>)> {
    let entries = response.as_object()?;
    let looks_like_target =
        |v: &Value| v.get("url").is_some() && matches!(v.get("fields"), Some(Value::Object(_)));
    if entries.is_empty() || !entries.iter().all(|(_, v)| looks_like_target(v)) {
        return None;
    }
    if entries.iter().all(|(_, v)| v.get("method").is_some()) {
        return Some((entries, None));
    }
    let has_policy = |v: &Value| {
        v.get("fields")
            .and_then(Value::as_object)
            .is_some_and(|f| f.iter().any(|(k, _)| k.eq_ignore_ascii_case("policy")))
    };
    if entries.iter().all(|(_, v)| has_policy(v)) {
        Some((entries, Some(Method::Post)))
    } else if entries.iter().any(|(_, v)| has_policy(v)) {
        None
    } else {
        Some((entries, Some(Method::Put)))
    }
}

/// The targets of a `{fileKey: {url, fields}}` map, each checked (an http(s) URL, a non-empty `fields.key`,
/// a policy for POST). `method: None` reads each entry's own `method`, `expiresAt` and `contentType` (the
/// full targets this module hands out); otherwise they expire [`URL_LIFETIME_SECONDS`] after `now`.
pub(crate) fn targets_from(
    entries: &[(String, Value)],
    method: Option<Method>,
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
        let (method, expires_at, own_type) = match method {
            Some(method) => (method, expires_at, None),
            None => own_method_and_expiry(entry, &path)?,
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
            // Without the request's map, the target's own (a full target), else a POST form's Content-Type field.
            None => own_type.or_else(|| target.field("Content-Type").map(str::to_owned)),
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

/// `method`, `expiresAt` and `contentType` of a full target handed back.
fn own_method_and_expiry(
    entry: &Value,
    path: &str,
) -> Result<(Method, i64, Option<String>), KycError> {
    let method = match entry.get("method") {
        Some(Value::String(m)) => Method::parse(m),
        _ => None,
    }
    .ok_or_else(|| KycError::malformed(format!("{path}.method must be \"PUT\" or \"POST\"")))?;
    let expires_at = match entry.get("expiresAt") {
        Some(Value::Number(n)) if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 => *n as i64,
        _ => {
            return Err(KycError::malformed(format!(
                "{path}.expiresAt must be whole Unix seconds"
            )))
        }
    };
    let content_type = match entry.get("contentType") {
        Some(Value::String(t)) => Some(t.to_ascii_lowercase()),
        None | Some(Value::Null) => None,
        Some(other) => {
            return Err(KycError::malformed(format!(
                "{path}.contentType must be a string, got {}",
                other.kind_name()
            )))
        }
    };
    Ok((method, expires_at, content_type))
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::fixtures::*;

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
    fn full_targets_keep_their_own_method_expiry_and_type() {
        // The shape OstKycClient#getPresignedUrls resolves to: nothing is guessed back.
        let map = json(
            r#"{"selfie": {"key": "selfie", "method": "POST", "url": "https://h/b", "fields": {"key": "k", "policy": "e30="}, "expiresAt": 1769160000, "contentType": "image/png"}}"#,
        );
        let targets = parse_upload_targets(&map, None, NOW).unwrap();
        assert_eq!(targets[0].method, Method::Post);
        assert_eq!(targets[0].expires_at, 1_769_160_000);
        assert_eq!(targets[0].content_type.as_deref(), Some("image/png"));
        let bad = json(
            r#"{"selfie": {"method": "GET", "url": "https://h/b", "fields": {"key": "k"}, "expiresAt": 1}}"#,
        );
        let e = parse_upload_targets(&bad, None, NOW).unwrap_err();
        assert!(e.to_string().contains("targets.selfie.method"), "{e}");
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
    fn url_expiry() {
        let url = "https://h/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260123T091405Z&x-amz-expires=60&X-Amz-Signature=ab";
        assert_eq!(presigned_url_expiry(url), Some(NOW + 60));
        assert_eq!(presigned_url_expiry("https://h/b/k"), None);
    }
}
