//! Token of Trust webhooks: base64 HMAC-SHA1 of the exact raw body, in the `Authorization` header.

use crate::calendar::parse_rfc1123;
use crate::codec::{ct_eq, from_base64, to_base64};
use crate::error::KycError;
use crate::secret::{hmac_sha1, require_secrets, Secret};
use crate::value::{Limits, Value};

/// The default distance allowed between a TOT body's signed `timestamp` and `now`, in seconds: as for OST.
pub const DEFAULT_TOLERANCE_SECONDS: u64 = 300;

/// The length of an HMAC-SHA1 digest.
pub const DIGEST_LEN: usize = 20;

/// The raw HMAC-SHA1 of `body` under `secret`.
pub fn digest(body: &[u8], secret: &Secret) -> Result<[u8; DIGEST_LEN], KycError> {
    hmac_sha1(secret.expose(), body, "secret")
}

/// The signature Token of Trust sends for `body`: base64 of HMAC-SHA1 keyed with the webhook secret.
pub fn tot_webhook_signature(body: &[u8], secret: &Secret) -> Result<String, KycError> {
    digest(body, secret).map(|d| to_base64(&d))
}

/// Checks the `Authorization` header against the raw `body` with each secret in turn.
///
/// Parsing the JSON is left to the caller, after this succeeds.
pub fn verify_tot_webhook(
    body: &[u8],
    authorization: Option<&str>,
    secrets: &[Secret],
    limits: &Limits,
) -> Result<(), KycError> {
    verify_tot_digests(body.len(), authorization, secrets, limits, || {
        secrets.iter().map(|secret| digest(body, secret)).collect()
    })
}

/// [`verify_tot_webhook`] for a body hashed elsewhere (Node's native HMAC, or a streamed copy): the same
/// checks in the same order, given the body's length in bytes and `digests`, which returns the HMAC-SHA1 of
/// the body under each of `secrets`, in order. `digests` runs only once the cheap checks have passed.
///
/// Every digest is compared with the signature in constant time; none is skipped after a match.
pub fn verify_tot_digests(
    body_len: usize,
    authorization: Option<&str>,
    secrets: &[Secret],
    limits: &Limits,
    digests: impl FnOnce() -> Result<Vec<[u8; DIGEST_LEN]>, KycError>,
) -> Result<(), KycError> {
    require_secrets(secrets)?;
    limits.check_body(body_len)?;
    let header = authorization.map(str::trim).unwrap_or_default();
    if header.is_empty() {
        return Err(KycError::MissingSignature(
            "the Authorization header is missing or empty",
        ));
    }
    // Anything that is not 20 bytes of base64 can match no HMAC-SHA1; it fails like a wrong signature.
    let signature = from_base64(header).unwrap_or_default();
    let mut ok = false;
    for digest in digests()? {
        ok |= ct_eq(&digest, &signature);
    }
    if ok {
        Ok(())
    } else {
        Err(KycError::InvalidSignature)
    }
}

/// Checks the signed body's `timestamp` (an RFC 1123 date, as Token of Trust sends it, or Unix seconds)
/// against `now`. `None` for `tolerance_seconds` turns the check off. A body without a timestamp (absent or
/// `null`) passes: Token of Trust documents one on its events, and the signature still binds the body; such a
/// body can only be replayed, which dedup on a digest of the body catches (`crate::delivery`). A timestamp that is present but not a
/// date is `MALFORMED_BODY`, as in `parseTotEvent`.
pub fn check_tot_timestamp(
    timestamp: Option<&Value>,
    now: i64,
    tolerance_seconds: Option<u64>,
) -> Result<(), KycError> {
    let Some(tolerance) = tolerance_seconds else {
        return Ok(());
    };
    let seconds = match timestamp {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::String(s)) => parse_rfc1123(s).ok_or_else(|| {
            KycError::malformed(
                "timestamp is not an RFC 1123 date such as Mon, 18 Jul 2022 13:03:54 GMT",
            )
        })?,
        Some(Value::Number(n)) if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 => *n as i64,
        Some(_) => return Err(KycError::malformed("timestamp is not an RFC 1123 date")),
    };
    if seconds.abs_diff(now) > tolerance {
        return Err(KycError::TimestampOutOfTolerance {
            timestamp: seconds,
            now,
            tolerance,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_timestamp_must_be_recent() {
        let date = |s: &str| Value::string(s);
        // Mon, 18 Jul 2022 13:03:54 GMT
        let t = 1_658_149_434;
        let ts = date("Mon, 18 Jul 2022 13:03:54 GMT");
        let check = |v: Option<&Value>, now: i64, tol: Option<u64>| {
            check_tot_timestamp(v, now, tol).map_err(|e| e.code())
        };
        assert_eq!(check(Some(&ts), t, Some(300)), Ok(()));
        assert_eq!(check(Some(&ts), t + 300, Some(300)), Ok(()));
        assert_eq!(check(Some(&ts), t - 300, Some(300)), Ok(()));
        assert_eq!(
            check(Some(&ts), t + 301, Some(300)),
            Err("TIMESTAMP_OUT_OF_TOLERANCE")
        );
        assert_eq!(
            check(Some(&ts), t - 301, Some(300)),
            Err("TIMESTAMP_OUT_OF_TOLERANCE")
        );
        // A captured 2019 body, today.
        let old = date("Tue, 05 Mar 2019 10:00:00 GMT");
        assert_eq!(
            check(Some(&old), 1_796_000_000, Some(300)),
            Err("TIMESTAMP_OUT_OF_TOLERANCE")
        );
        assert_eq!(check(Some(&old), 1_796_000_000, None), Ok(()));
        // Absent: accepted; unreadable: malformed; Unix seconds: read as such.
        assert_eq!(check(None, t, Some(300)), Ok(()));
        assert_eq!(check(Some(&Value::Null), t, Some(300)), Ok(()));
        assert_eq!(
            check(Some(&date("yesterday")), t, Some(300)),
            Err("MALFORMED_BODY")
        );
        assert_eq!(
            check(Some(&Value::Bool(true)), t, Some(300)),
            Err("MALFORMED_BODY")
        );
        assert_eq!(
            check(Some(&Value::Number(t as f64)), t + 10, Some(300)),
            Ok(())
        );
    }

    #[test]
    fn signs_and_verifies() {
        let secret = Secret::new("shh", "secret").unwrap();
        let body = br#"{"operation":"isCleared"}"#;
        let sig = tot_webhook_signature(body, &secret).unwrap();
        let l = Limits::default();
        let secrets = [secret];
        assert!(verify_tot_webhook(body, Some(&sig), &secrets, &l).is_ok());
        assert!(verify_tot_webhook(body, Some(&format!(" {sig}\t")), &secrets, &l).is_ok());
        let code =
            |b: &[u8], h: Option<&str>| verify_tot_webhook(b, h, &secrets, &l).unwrap_err().code();
        assert_eq!(code(b"{}", Some(&sig)), "INVALID_SIGNATURE");
        assert_eq!(code(body, None), "MISSING_SIGNATURE");
        assert_eq!(code(body, Some("")), "MISSING_SIGNATURE");
        assert_eq!(code(body, Some("AAAA")), "INVALID_SIGNATURE");
        assert_eq!(code(body, Some("not base64!")), "INVALID_SIGNATURE");
        assert_eq!(code(body, Some(&sig[..sig.len() - 4])), "INVALID_SIGNATURE");
        assert_eq!(
            verify_tot_webhook(body, Some(&sig), &[], &l)
                .unwrap_err()
                .code(),
            "INVALID_ARGUMENT"
        );
    }

    #[test]
    fn precomputed_digests_follow_the_same_rules() {
        let secrets = [
            Secret::new("old", "secret").unwrap(),
            Secret::new("new", "secret").unwrap(),
        ];
        let body = br#"{"operation":"isCleared"}"#;
        let sig = tot_webhook_signature(body, &secrets[1]).unwrap();
        let l = Limits::default();
        let digests = || -> Result<Vec<[u8; DIGEST_LEN]>, KycError> {
            secrets.iter().map(|s| digest(body, s)).collect()
        };
        let run = |len: usize, h: Option<&str>, secrets: &[Secret]| {
            verify_tot_digests(len, h, secrets, &l, digests).map_err(|e| e.code())
        };
        // Any secret of the list matches; a rotation list verifies like the core path.
        assert_eq!(run(body.len(), Some(&sig), &secrets), Ok(()));
        assert!(verify_tot_webhook(body, Some(&sig), &secrets, &l).is_ok());
        assert_eq!(
            run(body.len(), Some("AAAA"), &secrets),
            Err("INVALID_SIGNATURE")
        );
        assert_eq!(run(body.len(), None, &secrets), Err("MISSING_SIGNATURE"));
        assert_eq!(
            run(body.len(), Some("  "), &secrets),
            Err("MISSING_SIGNATURE")
        );
        assert_eq!(run(body.len(), Some(&sig), &[]), Err("INVALID_ARGUMENT"));
        // The size check comes before the header check, as in the core path, and nothing is hashed.
        let big = Limits {
            max_body_bytes: 4,
            ..Limits::default()
        };
        let never = || -> Result<Vec<[u8; DIGEST_LEN]>, KycError> { panic!("hashed") };
        assert_eq!(
            verify_tot_digests(5, None, &secrets, &big, never)
                .unwrap_err()
                .code(),
            "BODY_TOO_LARGE"
        );
        assert_eq!(
            verify_tot_digests(5, None, &secrets, &l, never)
                .unwrap_err()
                .code(),
            "MISSING_SIGNATURE"
        );
        // A digest source's own error comes through.
        let failing = || -> Result<Vec<[u8; DIGEST_LEN]>, KycError> {
            Err(KycError::invalid_argument("boom"))
        };
        assert_eq!(
            verify_tot_digests(5, Some(&sig), &secrets, &l, failing)
                .unwrap_err()
                .code(),
            "INVALID_ARGUMENT"
        );
    }
}
