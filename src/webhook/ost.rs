//! OST KYC webhooks.
//!
//! OST POSTs `toQuery(event ∪ {request_timestamp, signature})` form-urlencoded. The string to sign is the
//! registered URL without its query string, `?`, and the canonical query of every parameter but `signature`.
//! A raw body is verified from its own bytes (the `signature` pair is dropped, nothing is re-encoded); a body
//! that middleware already parsed is re-canonicalised.

use hmac::Mac;

use crate::error::KycError;
use crate::query::{parse_query, to_query_with, unescape};
use crate::secret::{from_hex, require_secrets, to_hex, Secret};
use crate::signing::{check_timestamp, without};
use crate::value::{Limits, Value};

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

/// Whether one `key=value` pair of a raw body is the `signature` parameter.
fn is_signature_pair(pair: &[u8]) -> bool {
    let key = pair.split(|&b| b == b'=').next().unwrap_or_default();
    if key == b"signature" {
        return true;
    }
    key.contains(&b'%') && unescape(key).is_ok_and(|k| k == "signature")
}

/// Verifies an OST webhook and returns its parameters without `signature`.
pub fn verify_ost_webhook(
    body: OstBody<'_>,
    options: &VerifyOptions<'_>,
) -> Result<Value, KycError> {
    let url = signing_url(options.url)?;
    require_secrets(options.secrets)?;
    check_timestamp(options.now, "now")?;
    match body {
        OstBody::Raw(bytes) => {
            let params = parse_query(bytes, &options.limits)?;
            let signature = read_signature(&params)?;
            if bytes
                .split(|&b| b == b'&')
                .filter(|p| is_signature_pair(p))
                .count()
                > 1
            {
                return Err(KycError::malformed(
                    "the body has more than one signature parameter",
                ));
            }
            matches_any(options.secrets, &signature, |mac| {
                mac.update(url.as_bytes());
                mac.update(b"?");
                let mut first = true;
                for pair in bytes
                    .split(|&b| b == b'&')
                    .filter(|p| !is_signature_pair(p))
                {
                    if !first {
                        mac.update(b"&");
                    }
                    first = false;
                    mac.update(pair);
                }
            })?;
            check_tolerance(read_timestamp(&params)?, options)?;
            Ok(strip_signature(params))
        }
        OstBody::Params(params) => {
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
            check_tolerance(read_timestamp(params)?, options)?;
            Ok(rest)
        }
    }
}

fn strip_signature(params: Value) -> Value {
    match params {
        Value::Object(entries) => Value::Object(
            entries
                .into_iter()
                .filter(|(k, _)| k != "signature")
                .collect(),
        ),
        other => other,
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
