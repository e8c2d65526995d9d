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
use crate::query::{build, parse_query, scan_pairs, to_query_with, KeyIndex, Pair};
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
